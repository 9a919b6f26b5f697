//! Field types shared by every record kind: dates, scopes, approval trails, periods, corrections.
//! Pure data with serde derives; never reads files and never decides whether a value is valid.

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Deserializer, Serialize};
use std::fmt;
use std::sync::Arc;

/// A Markdown file's body: its source text after the front matter, shared with the source rather
/// than copied (the bodies are most of a county's content, and a copy is memory the kernel must
/// first clear). Reads as a `str`.
#[derive(Clone, Default)]
pub struct Body {
    source: Arc<str>,
    start: usize,
}

impl Body {
    /// The part of `source` from byte `start` on: `start` must be a char boundary.
    pub fn new(source: Arc<str>, start: usize) -> Body {
        assert!(source.is_char_boundary(start), "a body starts on a char boundary");
        Body { source, start }
    }

    pub fn as_str(&self) -> &str {
        &self.source[self.start..]
    }
}

impl std::ops::Deref for Body {
    type Target = str;

    fn deref(&self) -> &str {
        self.as_str()
    }
}

impl PartialEq for Body {
    fn eq(&self, other: &Body) -> bool {
        self.as_str() == other.as_str()
    }
}

impl fmt::Debug for Body {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.as_str(), f)
    }
}

/// A calendar date written `YYYY-MM-DD` in content.
///
/// Parsed and printed by hand for plain digits: dates are read and written hundreds of thousands of
/// times in a big build, and chrono's format strings are parsed anew on every call.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date(pub NaiveDate);

impl Date {
    pub fn parse(s: &str) -> Option<Date> {
        let s = s.trim();
        let b = s.as_bytes();
        // chrono accepts a few lenient forms; insist on exactly YYYY-MM-DD.
        if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
            return None;
        }
        let digits = |r: std::ops::Range<usize>| {
            b[r].iter().try_fold(0u32, |n, c| c.is_ascii_digit().then(|| n * 10 + u32::from(c - b'0')))
        };
        match (digits(0..4), digits(5..7), digits(8..10)) {
            (Some(y), Some(m), Some(d)) => NaiveDate::from_ymd_opt(y as i32, m, d).map(Date),
            // Anything but plain digits: whatever chrono makes of it, as before.
            _ => NaiveDate::parse_from_str(s, "%Y-%m-%d").ok().map(Date),
        }
    }
    pub fn year(self) -> i32 {
        self.0.year()
    }
    /// 2025年3月6日
    pub fn chinese(self) -> String {
        format!("{}年{}月{}日", self.0.year(), self.0.month(), self.0.day())
    }
    /// Whole days from `self` to `later` (negative when `later` is earlier).
    pub fn days_until(self, later: Date) -> i64 {
        (later.0 - self.0).num_days()
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (y, m, d) = (self.0.year(), self.0.month(), self.0.day());
        if (0..=9999).contains(&y) {
            write!(f, "{y:04}-{m:02}-{d:02}")
        } else {
            write!(f, "{}", self.0.format("%Y-%m-%d"))
        }
    }
}

/// `YYYY-MM-DD`, as chrono writes a date.
impl Serialize for Date {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Date {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Date, D::Error> {
        let raw = Scalar::deserialize(d)?.0;
        Date::parse(&raw).ok_or_else(|| {
            serde::de::Error::custom(format!("日期 `{raw}` 无法识别，应写成 YYYY-MM-DD（如 2025-03-06）"))
        })
    }
}

/// A scalar read as text whatever its YAML type (`id: 2025` is an id, not a number).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize)]
#[serde(transparent)]
pub struct Scalar(pub String);

impl<'de> Deserialize<'de> for Scalar {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Scalar, D::Error> {
        struct V;
        impl serde::de::Visitor<'_> for V {
            type Value = Scalar;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("文字或数字")
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Scalar, E> {
                Ok(Scalar(v.to_string()))
            }
            fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<Scalar, E> {
                Ok(Scalar(v.to_string()))
            }
            fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<Scalar, E> {
                Ok(Scalar(v.to_string()))
            }
            fn visit_f64<E: serde::de::Error>(self, v: f64) -> Result<Scalar, E> {
                Ok(Scalar(v.to_string()))
            }
            fn visit_bool<E: serde::de::Error>(self, v: bool) -> Result<Scalar, E> {
                Ok(Scalar(v.to_string()))
            }
        }
        d.deserialize_any(V)
    }
}

impl Scalar {
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Scalar {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// 公开范围: who may see a record.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Deserialize, Serialize)]
pub enum Scope {
    #[default]
    #[serde(rename = "向社会公开")]
    Public,
    #[serde(rename = "党内公开")]
    Party,
}

impl Scope {
    pub fn label(self) -> &'static str {
        match self {
            Scope::Public => "向社会公开",
            Scope::Party => "党内公开",
        }
    }
}

/// Which edition of the site is being built.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Audience {
    #[default]
    Public,
    Party,
}

impl Audience {
    /// Whether a record of `scope` belongs in this edition.
    pub fn sees(self, scope: Scope) -> bool {
        self == Audience::Party || scope == Scope::Public
    }
}

/// 公示期.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Period {
    pub from: Date,
    pub to: Date,
}

impl Period {
    pub fn contains(&self, day: Date) -> bool {
        self.from <= day && day <= self.to
    }
}

/// 提出 → 审核 → 审批.
#[derive(Debug, Clone, PartialEq, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Approval {
    pub proposed_by: Option<String>,
    pub reviewed_by: Option<String>,
    pub approved_by: Option<String>,
    pub approved_on: Option<Date>,
}

/// A feedback channel for a record.
#[derive(Debug, Clone, PartialEq, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Contact {
    pub unit: Option<String>,
    pub phone: Option<Scalar>,
    pub mailbox: Option<String>,
    pub email: Option<String>,
    pub address: Option<String>,
}

/// 更正: what changed in a published record and why.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Correction {
    pub date: Date,
    pub what: String,
    pub reason: String,
}

/// 撤回: the record is taken down; its URL says so.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Withdrawal {
    pub date: Date,
    pub reason: String,
}

/// A borrowed view of the publication fields every published record carries
/// (content-format.md, "Common fields"), so rules treat all kinds alike.
#[derive(Debug, Clone, Copy)]
pub struct Publication<'a> {
    pub scope: Scope,
    pub published_on: Option<Date>,
    pub period: Option<&'a Period>,
    pub approval: Option<&'a Approval>,
    pub contact: Option<&'a Contact>,
    pub corrections: &'a [Correction],
    pub withdrawn: Option<&'a Withdrawal>,
    pub take_down_on: Option<Date>,
}

/// Implemented by every record kind that carries the common publication fields.
pub trait Published {
    fn publication(&self) -> Publication<'_>;
}

/// Implements [`Published`] for a struct that has the common fields under their spec names.
#[macro_export]
macro_rules! impl_published {
    ($t:ty) => {
        impl $crate::model::common::Published for $t {
            fn publication(&self) -> $crate::model::common::Publication<'_> {
                $crate::model::common::Publication {
                    scope: self.scope,
                    published_on: self.published_on,
                    period: self.period.as_ref(),
                    approval: self.approval.as_ref(),
                    contact: self.contact.as_ref(),
                    corrections: &self.corrections,
                    withdrawn: self.withdrawn.as_ref(),
                    take_down_on: self.take_down_on,
                }
            }
        }
    };
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_body_reads_as_the_source_after_its_start() {
        let source: Arc<str> = "---\ntitle: 通知\n---\n# 正文\n".into();
        let body = Body::new(source.clone(), source.find('#').unwrap());
        assert_eq!(body.as_str(), "# 正文\n");
        assert_eq!(&*body, "# 正文\n", "derefs to the same text");
        assert_eq!(body, Body::new("# 正文\n".into(), 0), "equal by text, not by source");
        assert_eq!(Body::default().as_str(), "");
        assert_eq!(format!("{body:?}"), "\"# 正文\\n\"");
    }

    #[test]
    fn dates_parse_strictly_and_print_in_chinese() {
        let d = Date::parse("2025-03-06").unwrap();
        assert_eq!(d.chinese(), "2025年3月6日");
        assert!(Date::parse("2025-3-6").is_none());
        assert!(Date::parse("2025-02-30").is_none());
        assert_eq!(d.days_until(Date::parse("2025-03-16").unwrap()), 10);
    }

    #[test]
    fn the_hand_written_date_paths_agree_with_chrono() {
        for text in ["2025-03-06", "0001-01-01", "9999-12-31", "2024-02-29", "2025-02-29", "2025-13-01", "2025-00-10"] {
            let chrono = NaiveDate::parse_from_str(text, "%Y-%m-%d").ok();
            assert_eq!(Date::parse(text).map(|d| d.0), chrono, "{text}");
            if let Some(d) = chrono {
                let ours = Date(d);
                assert_eq!(ours.to_string(), d.format("%Y-%m-%d").to_string());
                assert_eq!(serde_json::to_string(&ours).unwrap(), serde_json::to_string(&d).unwrap());
            }
        }
        for odd in ["+025-03-06", "2025-0a-06", "２０２５-03-06"] {
            assert_eq!(Date::parse(odd).map(|d| d.0), NaiveDate::parse_from_str(odd, "%Y-%m-%d").ok(), "{odd}");
        }
    }

    #[test]
    fn party_audience_sees_everything_public_only_public() {
        assert!(Audience::Party.sees(Scope::Party));
        assert!(!Audience::Public.sees(Scope::Party));
        assert!(Audience::Public.sees(Scope::Public));
    }
}
