//! Planning a release: compare every public record's source digest with the latest release, refuse a
//! changed record without a new correction and a vanished record without a withdrawal, and work out
//! the change set and each record's version. Pure: reads nothing, writes nothing.

use super::ledger::{Changes, Entry, RecordEntry};
use crate::diagnostics::{at, Diagnostics, Pos};
use std::collections::BTreeMap;

/// A public record of the working content, as a release sees it.
#[derive(Debug, Clone)]
pub struct Current {
    pub key: String,
    pub path: String,
    pub digest: String,
    pub corrections: usize,
    pub withdrawn: bool,
    /// Whether the kind carries `corrections` (targets, reports, disclosures): only those need one.
    pub correctable: bool,
}

#[derive(Debug, Default)]
pub struct Plan {
    pub changes: Changes,
    pub records: BTreeMap<String, RecordEntry>,
    pub diagnostics: Diagnostics,
}

/// Plans release `number` of `current` against `latest`.
pub fn plan(latest: Option<&Entry>, current: &[Current], number: u32) -> Plan {
    let mut p = Plan::default();
    let empty = BTreeMap::new();
    let before = latest.map_or(&empty, |e| &e.records);
    for c in current {
        let entry = match before.get(&c.key) {
            None => {
                p.changes.added.push(c.key.clone());
                record(c, 1, number)
            }
            Some(prev) if prev.digest == c.digest => prev.clone(),
            Some(prev) => {
                check_change(&mut p.diagnostics, prev, c);
                if c.withdrawn && !prev.withdrawn {
                    p.changes.withdrawn.push(c.key.clone());
                } else {
                    p.changes.changed.push(c.key.clone());
                }
                record(c, prev.version + 1, number)
            }
        };
        p.records.insert(c.key.clone(), entry);
    }
    for (key, prev) in before {
        if !p.records.contains_key(key) {
            let msg = format!(
                "已发布的记录 `{key}` 不见了：公开过的内容不能悄悄删除或改为党内公开，请保留原文件并加上 withdrawn: {{ date: …, reason: … }}（撤回日期和原因）"
            );
            p.diagnostics.push(at(&prev.path, Pos::START).error("withdrawal-missing", "withdrawn", msg));
        }
    }
    p
}

fn record(c: &Current, version: u32, since: u32) -> RecordEntry {
    RecordEntry {
        path: c.path.clone(),
        digest: c.digest.clone(),
        version,
        since,
        corrections: c.corrections,
        withdrawn: c.withdrawn,
    }
}

fn check_change(diags: &mut Diagnostics, prev: &RecordEntry, c: &Current) {
    let withdrawing = c.withdrawn && !prev.withdrawn;
    if c.correctable && !withdrawing && c.corrections <= prev.corrections {
        let msg = format!(
            "内容自第{}版发布后改动过，但没有新增更正记录：请在 corrections 中加一条 {{ date: …, what: 改了什么, reason: 为什么改 }}",
            prev.version
        );
        diags.push(at(&c.path, Pos::START).error("correction-missing", "corrections", msg));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::common::Date;

    fn cur(key: &str, digest: &str, corrections: usize, withdrawn: bool) -> Current {
        Current {
            key: key.into(),
            path: format!("content/{key}.md"),
            digest: digest.into(),
            corrections,
            withdrawn,
            correctable: true,
        }
    }

    fn entry_of(plan: Plan, number: u32) -> Entry {
        Entry {
            number,
            date: Date::parse("2026-01-01").unwrap(),
            time: String::new(),
            by: String::new(),
            message: String::new(),
            previous: None,
            changes: plan.changes,
            records: plan.records,
            files: BTreeMap::new(),
        }
    }

    #[test]
    fn first_release_adds_everything() {
        let p = plan(None, &[cur("a", "1", 0, false), cur("b", "2", 0, false)], 1);
        assert_eq!(p.changes.added, vec!["a", "b"]);
        assert!(p.diagnostics.is_empty());
    }

    #[test]
    fn a_change_needs_a_new_correction_and_bumps_the_version() {
        let r1 = entry_of(plan(None, &[cur("a", "1", 0, false)], 1), 1);
        let refused = plan(Some(&r1), &[cur("a", "2", 0, false)], 2);
        assert!(refused.diagnostics.has_errors());
        let ok = plan(Some(&r1), &[cur("a", "2", 1, false)], 2);
        assert!(!ok.diagnostics.has_errors());
        assert_eq!(ok.changes.changed, vec!["a"]);
        assert_eq!((ok.records["a"].version, ok.records["a"].since), (2, 2));
    }

    #[test]
    fn vanishing_needs_a_withdrawal_and_withdrawing_needs_no_correction() {
        let r1 = entry_of(plan(None, &[cur("a", "1", 0, false), cur("b", "2", 0, false)], 1), 1);
        let gone = plan(Some(&r1), &[cur("a", "1", 0, false)], 2);
        let d: Vec<_> = gone.diagnostics.sorted();
        assert_eq!(d[0].rule, "withdrawal-missing");
        assert_eq!(d[0].path, "content/b.md");
        let withdrawn = plan(Some(&r1), &[cur("a", "1", 0, false), cur("b", "3", 0, true)], 2);
        assert!(!withdrawn.diagnostics.has_errors());
        assert_eq!(withdrawn.changes.withdrawn, vec!["b"]);
    }
}
