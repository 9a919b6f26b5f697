//! The record kinds of content-format.md as typed, deserializable data: targets, reports,
//! rectifications, disclosures, comments and free pages. No I/O, no rules, no figures.

use super::common::{Approval, Body, Contact, Correction, Date, Period, Scalar, Scope, Withdrawal};
use serde::{Deserialize, Deserializer, Serialize};
use std::collections::BTreeMap;
use std::fmt;

/// Defines a Chinese-labelled enum: serde reads the label, `label()` gives it back.
macro_rules! labelled_enum {
    ($(#[$m:meta])* $name:ident { $($variant:ident => $label:literal),+ $(,)? }) => {
        $(#[$m])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize, Serialize)]
        pub enum $name {
            $(#[serde(rename = $label)] $variant),+
        }
        impl $name {
            pub fn label(self) -> &'static str {
                match self { $($name::$variant => $label),+ }
            }
        }
    };
}

labelled_enum!(
    /// Progress status of a target item.
    ProgressStatus { NotStarted => "未启动", InProgress => "推进中", Done => "已完成", Unmet => "未完成" }
);
labelled_enum!(
    /// Final status of a target item.
    FinalStatus { Done => "已完成", Unmet => "未完成" }
);
labelled_enum!(
    /// How an actual value is compared with the target value.
    Compare { AtLeast => ">=", AtMost => "<=", Equal => "=", Completion => "完成" }
);
labelled_enum!(
    /// Where a rectification item came from.
    RectSource {
        Evaluation => "述职评议", RedLine => "满意率低于红线", Comments => "群众评说",
        Inspection => "巡察反馈", Supervision => "督查交办", SelfCheck => "自查"
    }
);
labelled_enum!(
    /// Written status of a rectification (逾期 is computed, never written).
    RectStatus { NotStarted => "未启动", InProgress => "整改中", Done => "已完成", Ongoing => "长期坚持" }
);
labelled_enum!(
    /// A commenter's view, or satisfaction with a reply.
    Rating { Satisfied => "满意", Fair => "基本满意", Unsatisfied => "不满意" }
);
labelled_enum!(
    /// Handling status of a comment.
    CommentStatus {
        Received => "已受理", Handling => "办理中", Replied => "已答复", Closed => "已办结", Rejected => "不予受理"
    }
);

/// Declares a published record kind: its own fields plus the common publication fields of
/// content-format.md ("Common fields of published records"), spelled once here, and `Published`.
macro_rules! published_record {
    ($(#[$m:meta])* pub struct $name:ident { $($(#[$fm:meta])* pub $field:ident: $ty:ty,)* }) => {
        $(#[$m])*
        #[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
        #[serde(deny_unknown_fields)]
        pub struct $name {
            $($(#[$fm])* pub $field: $ty,)*
            #[serde(default)]
            pub scope: Scope,
            pub published_on: Option<Date>,
            pub period: Option<Period>,
            pub approval: Option<Approval>,
            pub contact: Option<Contact>,
            #[serde(default)]
            pub corrections: Vec<Correction>,
            pub withdrawn: Option<Withdrawal>,
            pub take_down_on: Option<Date>,
        }
        crate::impl_published!($name);
    };
}

// ---------------------------------------------------------------- targets

#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct TargetValue {
    pub text: Option<String>,
    pub value: Option<f64>,
    pub unit: Option<String>,
    pub compare: Option<Compare>,
}

#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Progress {
    pub as_of: Date,
    pub status: ProgressStatus,
    pub value: Option<f64>,
    pub note: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct FinalResult {
    pub status: FinalStatus,
    pub completed_on: Option<Date>,
    pub reason_unmet: Option<String>,
    pub value: Option<f64>,
}

#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct TargetItem {
    pub id: Scalar,
    pub task: Option<String>,
    pub goal: Option<String>,
    pub indicator: Option<String>,
    pub target: Option<TargetValue>,
    #[serde(default)]
    pub measures: Vec<String>,
    pub responsible: Option<String>,
    pub deadline: Option<Date>,
    #[serde(default)]
    pub progress: Vec<Progress>,
    #[serde(rename = "final")]
    pub final_result: Option<FinalResult>,
}

#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct ResponsibilityLetter {
    pub with: Scalar,
    pub signatory: Option<String>,
    pub counter_signatory: Option<String>,
    pub signed_on: Option<Date>,
}

published_record! {
    /// targets/<year>/<org>.yaml
    pub struct Targets {
        pub org: Scalar,
        pub year: i32,
        pub title: String,
        pub responsibility_letter: Option<ResponsibilityLetter>,
        #[serde(default)]
        pub items: Vec<TargetItem>,
    }
}

// ---------------------------------------------------------------- reports

#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Reporter {
    pub name: String,
    pub post: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Meeting {
    pub date: Option<Date>,
    pub host: Option<Scalar>,
    pub form: Option<String>,
    pub participants: Option<u32>,
}

#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Rank {
    pub position: u32,
    pub of: u32,
    pub group: Option<String>,
}

fn yes() -> bool {
    true
}

#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Evaluation {
    pub ballots_issued: Option<u32>,
    #[serde(default)]
    pub votes: BTreeMap<String, u32>,
    pub satisfaction: Option<f64>,
    pub rank: Option<Rank>,
    pub grade: Option<String>,
    pub graded_by: Option<Scalar>,
    pub graded_on: Option<Date>,
    #[serde(default)]
    pub consequences: Vec<String>,
    #[serde(default = "yes")]
    pub publish_votes: bool,
}

published_record! {
    /// Front matter of reports/<year>/<org>.md; `body` is the Markdown after it.
    pub struct Report {
        pub org: Scalar,
        pub year: i32,
        pub title: String,
        pub reporter: Option<Reporter>,
        pub meeting: Option<Meeting>,
        pub evaluation: Option<Evaluation>,
        #[serde(default)]
        pub superior_remarks: Vec<String>,
        #[serde(default)]
        pub problems: Vec<String>,
        #[serde(default)]
        pub rectifications: Vec<Scalar>,
        #[serde(skip)]
        pub body: Body,
    }
}

// ---------------------------------------------------------------- rectifications

#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Update {
    pub date: Date,
    pub note: String,
}

#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RectItem {
    pub id: Scalar,
    pub raised_on: Option<Date>,
    pub source: Option<RectSource>,
    pub source_ref: Option<String>,
    pub issue: String,
    pub carried_from: Option<Scalar>,
    #[serde(default)]
    pub measures: Vec<String>,
    pub responsible: Option<String>,
    pub deadline: Option<Date>,
    pub status: RectStatus,
    #[serde(default)]
    pub updates: Vec<Update>,
    pub completed_on: Option<Date>,
    pub verified_by: Option<String>,
}

/// rectifications/<org>.yaml
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Rectifications {
    pub org: Scalar,
    #[serde(default)]
    pub scope: Scope,
    pub published_on: Option<Date>,
    pub approval: Option<Approval>,
    #[serde(default)]
    pub items: Vec<RectItem>,
}

// ---------------------------------------------------------------- disclosures

/// One table row, columns in the order written.
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
pub struct Row(pub Vec<(String, String)>);

impl<'de> Deserialize<'de> for Row {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Row, D::Error> {
        struct V;
        impl<'de> serde::de::Visitor<'de> for V {
            type Value = Row;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("一行表格（列名: 内容）")
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Row, A::Error> {
                let mut cells = Vec::new();
                while let Some((k, v)) = map.next_entry::<Scalar, Option<Scalar>>()? {
                    cells.push((k.0, v.map(|v| v.0).unwrap_or_default()));
                }
                Ok(Row(cells))
            }
        }
        d.deserialize_map(V)
    }
}

#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Attachment {
    pub title: String,
    pub file: String,
}

published_record! {
    /// Front matter of disclosures/<year>/<org>/<slug>.md.
    pub struct Disclosure {
        pub org: Scalar,
        pub title: String,
        pub category: String,
        pub event_date: Option<Date>,
        #[serde(default)]
        pub table: Vec<Row>,
        #[serde(default)]
        pub attachments: Vec<Attachment>,
        #[serde(skip)]
        pub slug: String,
        #[serde(skip)]
        pub year: i32,
        #[serde(skip)]
        pub body: Body,
    }
}

// ---------------------------------------------------------------- comments

#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Commenter {
    pub name: Option<String>,
    pub contact: Option<Scalar>,
    pub consent: Option<bool>,
}

#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Reply {
    pub on: Date,
    pub by: Option<String>,
    pub text: String,
}

#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct CommentEntry {
    pub id: Scalar,
    pub received_on: Date,
    pub channel: Option<String>,
    pub commenter: Option<Commenter>,
    pub topic: Option<String>,
    pub text: String,
    pub rating: Option<Rating>,
    pub status: CommentStatus,
    pub acknowledged_on: Option<Date>,
    pub reply: Option<Reply>,
    pub closed_on: Option<Date>,
    pub followup: Option<Rating>,
    pub rectification: Option<Scalar>,
    pub reason_not_accepted: Option<String>,
    #[serde(default = "yes")]
    pub publish: bool,
}

/// comments/<year>/<org>.yaml
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Comments {
    pub org: Scalar,
    pub year: i32,
    #[serde(default)]
    pub scope: Scope,
    pub published_on: Option<Date>,
    pub approval: Option<Approval>,
    #[serde(default)]
    pub entries: Vec<CommentEntry>,
}

// ---------------------------------------------------------------- free pages

/// Front matter of pages/<slug>.md.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Page {
    pub title: String,
    #[serde(default)]
    pub scope: Scope,
    pub published_on: Option<Date>,
    /// Position in the navigation (smaller first); pages without one follow, by slug.
    pub order: Option<i32>,
    #[serde(skip)]
    pub slug: String,
    #[serde(skip)]
    pub body: Body,
}
