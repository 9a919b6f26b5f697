//! The figures of rules.md, computed from raw data: 满意率 by each formula, ranks, target status and
//! completion, rectification overdue and cross-year chains, comment response figures. Pure
//! functions over records; never trusts a typed percentage and never reports diagnostics.

use super::common::Date;
use super::org::OrgTree;
use super::records::{
    CommentEntry, CommentStatus, Compare, FinalStatus, ProgressStatus, Rating, RectItem, RectStatus, Report, TargetItem,
};
use crate::config::{EvaluationRules, Formula, Rules};
use std::collections::{BTreeMap, BTreeSet};

/// Rounds half up to one decimal, the way 满意率 is shown.
pub fn round1(x: f64) -> f64 {
    // The epsilon absorbs binary error in values like 61.05 that are exact in decimal.
    ((x * 10.0) + 0.5 + 1e-9).floor() / 10.0
}

/// `61.1%`
pub fn percent(x: f64) -> String {
    format!("{:.1}%", round1(x))
}

/// Σ votes of options that count (not listed in `invalid`).
pub fn valid_votes(votes: &BTreeMap<String, u32>, rules: &EvaluationRules) -> u32 {
    votes.iter().filter(|(k, _)| !rules.invalid.contains(k)).map(|(_, v)| *v).sum()
}

/// 满意率 in percent, unrounded; `None` when there is no valid vote.
pub fn satisfaction(votes: &BTreeMap<String, u32>, rules: &EvaluationRules) -> Option<f64> {
    let valid = valid_votes(votes, rules);
    if valid == 0 {
        return None;
    }
    let count = |label: &str, fallback: usize| -> f64 {
        let key = if rules.ballot.iter().any(|b| b == label) {
            Some(label)
        } else {
            rules.ballot.get(fallback).map(String::as_str)
        };
        key.and_then(|k| votes.get(k)).copied().unwrap_or(0) as f64
    };
    let favourable = match rules.formula {
        Formula::SatisfiedOrFair => count("满意", 0) + count("基本满意", 1),
        Formula::Satisfied => count("满意", 0),
        Formula::Weighted => votes
            .iter()
            .filter(|(k, _)| !rules.invalid.contains(k))
            .map(|(k, v)| rules.weights.get(k).copied().unwrap_or(0.0) * *v as f64)
            .sum(),
    };
    Some(favourable * 100.0 / valid as f64)
}

/// A rank among sibling orgs of the same kind.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct RankFig {
    pub position: u32,
    pub of: u32,
    pub group: String,
    /// Whether the report stated it (true) or gongshi computed it (false).
    pub stated: bool,
}

impl RankFig {
    /// Last place; a group of one has no last.
    pub fn is_last(&self) -> bool {
        self.of > 1 && self.position == self.of
    }
}

/// Ranks reports: stated ranks as given; otherwise by 满意率 descending among the same year's reports
/// of orgs with the same parent and kind, ties sharing a rank (1, 2, 2, 4).
pub fn ranks(reports: &[&Report], tree: &OrgTree, rules: &EvaluationRules) -> Vec<Option<RankFig>> {
    // (year, parent, kind) -> (report index, 满意率) of its members.
    type GroupKey = (i32, Option<usize>, String);
    let mut groups: BTreeMap<GroupKey, Vec<(usize, f64)>> = BTreeMap::new();
    for (i, r) in reports.iter().enumerate() {
        let Some(ix) = tree.ix(r.org.as_str()) else {
            continue;
        };
        let Some(sat) = r.evaluation.as_ref().and_then(|e| satisfaction(&e.votes, rules)) else {
            continue;
        };
        let kind = format!("{:?}", tree.orgs[ix].kind);
        groups.entry((r.year, tree.parent[ix], kind)).or_default().push((i, sat));
    }
    let mut out: Vec<Option<RankFig>> = vec![None; reports.len()];
    for ((_, parent, _), members) in groups {
        let of = members.len() as u32;
        let group = group_label(tree, parent, members.first().map(|m| reports[m.0]));
        for &(i, sat) in &members {
            let better = members.iter().filter(|(_, s)| round1(*s) > round1(sat)).count() as u32;
            out[i] = Some(RankFig { position: better + 1, of, group: group.clone(), stated: false });
        }
    }
    for (i, r) in reports.iter().enumerate() {
        if let Some(rank) = r.evaluation.as_ref().and_then(|e| e.rank.as_ref()) {
            let group = rank.group.clone().or_else(|| out[i].as_ref().map(|f| f.group.clone())).unwrap_or_default();
            out[i] = Some(RankFig { position: rank.position, of: rank.of, group, stated: true });
        }
    }
    out
}

fn group_label(tree: &OrgTree, parent: Option<usize>, sample: Option<&Report>) -> String {
    let kind = sample.and_then(|r| tree.get(r.org.as_str())).map(|o| o.kind.label()).unwrap_or("");
    match parent {
        Some(p) => format!("{}所属{}", tree.orgs[p].display_name(), kind),
        None => kind.to_string(),
    }
}

/// How many years running, ending with `year`, the org was last in its rank.
pub fn bottom_streak(org: &str, year: i32, last_by_org_year: &BTreeSet<(String, i32)>) -> u32 {
    let mut n = 0;
    let mut y = year;
    while last_by_org_year.contains(&(org.to_string(), y)) {
        n += 1;
        y -= 1;
    }
    n
}

/// Computed status of a target item.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize)]
pub struct TargetFig {
    pub status: ProgressStatus,
    pub overdue: bool,
    /// The latest reported value, if any.
    #[serde(skip)]
    pub actual: Option<f64>,
}

impl TargetFig {
    pub fn done(&self) -> bool {
        self.status == ProgressStatus::Done
    }
}

/// Whether `actual` meets the numeric target.
pub fn meets(compare: Compare, actual: f64, target: f64) -> Option<bool> {
    const EPS: f64 = 1e-9;
    match compare {
        Compare::AtLeast => Some(actual + EPS >= target),
        Compare::AtMost => Some(actual <= target + EPS),
        Compare::Equal => Some((actual - target).abs() < EPS),
        Compare::Completion => None,
    }
}

pub fn target_status(item: &TargetItem, today: Date) -> TargetFig {
    let latest = item.progress.iter().max_by_key(|p| p.as_of);
    let actual =
        item.final_result.as_ref().and_then(|f| f.value).or_else(|| {
            item.progress.iter().filter(|p| p.value.is_some()).max_by_key(|p| p.as_of).and_then(|p| p.value)
        });
    let numeric_met = item.target.as_ref().and_then(|t| {
        let (Some(c), Some(v), Some(a)) = (t.compare, t.value, actual) else {
            return None;
        };
        meets(c, a, v)
    });
    let status = match &item.final_result {
        Some(f) => match f.status {
            FinalStatus::Done => ProgressStatus::Done,
            FinalStatus::Unmet => ProgressStatus::Unmet,
        },
        None if numeric_met == Some(true) => ProgressStatus::Done,
        None => latest.map(|p| p.status).unwrap_or(ProgressStatus::NotStarted),
    };
    let overdue = status != ProgressStatus::Done && item.deadline.is_some_and(|d| d < today);
    TargetFig { status, overdue, actual }
}

/// Share of items done, in percent; `None` for no items.
pub fn completion_rate(figs: &[TargetFig]) -> Option<f64> {
    if figs.is_empty() {
        return None;
    }
    Some(figs.iter().filter(|f| f.done()).count() as f64 * 100.0 / figs.len() as f64)
}

/// Computed state of a rectification item.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct RectFig {
    pub overdue: bool,
    /// Years (of `raised_on`) along the `carried_from` chain, oldest first, this item included.
    pub chain_years: Vec<i32>,
    /// Ids along the chain, oldest first, this item included.
    pub chain: Vec<String>,
}

impl RectFig {
    /// 年年述、年年改、年年在: the chain spans two or more years.
    pub fn recurring(&self) -> bool {
        self.chain_years.len() >= 2
    }
}

pub fn rect_overdue(item: &RectItem, today: Date) -> bool {
    !matches!(item.status, RectStatus::Done | RectStatus::Ongoing) && item.deadline.is_some_and(|d| d < today)
}

/// Follows `carried_from` links through `all` (id -> item); stops at unknown ids and cycles.
pub fn rect_chain<'a>(item: &'a RectItem, all: &BTreeMap<&str, &'a RectItem>) -> (Vec<String>, Vec<i32>) {
    let mut ids = vec![item.id.0.clone()];
    let mut years = BTreeSet::new();
    years.extend(item.raised_on.map(|d| d.year()));
    let mut cur = item;
    while let Some(prev) = cur.carried_from.as_ref().and_then(|p| all.get(p.as_str())) {
        if ids.contains(&prev.id.0) {
            break;
        }
        ids.push(prev.id.0.clone());
        years.extend(prev.raised_on.map(|d| d.year()));
        cur = prev;
    }
    ids.reverse();
    (ids, years.into_iter().collect())
}

/// Per-entry figures of a comment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct CommentFig {
    pub days_to_ack: Option<i64>,
    pub days_to_reply: Option<i64>,
    /// 超期未答复: no reply and older than `comment_reply_days`.
    pub overdue: bool,
    /// Unanswered beyond `comment_hard_limit_days`.
    pub beyond_hard_limit: bool,
}

fn awaits_reply(e: &CommentEntry) -> bool {
    e.reply.is_none() && e.status != CommentStatus::Rejected
}

pub fn comment_fig(e: &CommentEntry, today: Date, rules: &Rules) -> CommentFig {
    let age = e.received_on.days_until(today);
    CommentFig {
        days_to_ack: e.acknowledged_on.map(|a| e.received_on.days_until(a)),
        days_to_reply: e.reply.as_ref().map(|r| e.received_on.days_until(r.on)),
        overdue: awaits_reply(e) && age > rules.comment_reply_days,
        beyond_hard_limit: awaits_reply(e) && age > rules.comment_hard_limit_days,
    }
}

/// Figures of one org's comments column for a year (published and unpublished entries alike).
#[derive(Debug, Clone, PartialEq, Default, serde::Serialize)]
pub struct CommentStats {
    pub received: usize,
    pub answered: usize,
    pub answered_on_time: usize,
    pub overdue: usize,
    /// answered on time ÷ (answered + unanswered past the limit), percent.
    pub on_time_rate: Option<f64>,
    pub median_days_to_reply: Option<f64>,
    pub followups: usize,
    /// followups 满意 + 基本满意 ÷ followups given, percent.
    pub reply_satisfaction: Option<f64>,
}

pub fn comment_stats(entries: &[CommentEntry], figs: &[CommentFig], rules: &Rules) -> CommentStats {
    let mut days: Vec<i64> = figs.iter().filter_map(|f| f.days_to_reply).collect();
    days.sort_unstable();
    let answered = days.len();
    let answered_on_time = days.iter().filter(|d| **d <= rules.comment_reply_days).count();
    let overdue = figs.iter().filter(|f| f.overdue).count();
    let followups: Vec<Rating> = entries.iter().filter_map(|e| e.followup).collect();
    let happy = followups.iter().filter(|r| matches!(r, Rating::Satisfied | Rating::Fair)).count();
    CommentStats {
        received: entries.len(),
        answered,
        answered_on_time,
        overdue,
        on_time_rate: ratio(answered_on_time, answered + overdue),
        median_days_to_reply: median(&days),
        followups: followups.len(),
        reply_satisfaction: ratio(happy, followups.len()),
    }
}

fn ratio(part: usize, whole: usize) -> Option<f64> {
    (whole > 0).then(|| part as f64 * 100.0 / whole as f64)
}

fn median(sorted: &[i64]) -> Option<f64> {
    let n = sorted.len();
    match n {
        0 => None,
        _ if n % 2 == 1 => Some(sorted[n / 2] as f64),
        _ => Some((sorted[n / 2 - 1] + sorted[n / 2]) as f64 / 2.0),
    }
}

#[cfg(test)]
#[path = "figures_tests.rs"]
mod tests;
