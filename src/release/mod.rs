//! Versioned publishing (versioning.md): the ledger, release planning, the history of every public
//! record for the pages, and verification of a built site. The only module that touches
//! `content/releases/` (through `ledger`).

pub mod ledger;
pub mod plan;
pub mod verify;

use crate::error::Result;
use crate::model::common::{Published, Scope};
use crate::model::history::{History, RecordHistory, ReleaseSummary, Version};
use crate::model::records::Comments;
use crate::model::{Record, Site};
use crate::validate::privacy::mask_name;
use ledger::{Entry, Ledger};
use plan::Current;
use rayon::prelude::*;
use std::collections::BTreeMap;

/// Every public record of the site as a release sees it (党内公开 records never enter the ledger).
pub fn current_records(site: &Site) -> Vec<Current> {
    // At most one per record: reserved at once, not grown by doubling (fresh memory each time).
    let records = site.targets.len()
        + site.reports.len()
        + site.disclosures.len()
        + site.rectifications.len()
        + site.comments.len()
        + site.pages.len();
    let mut out = Vec::with_capacity(records);
    let mut add = |key: String, path: &str, digest: &str, corrections: usize, withdrawn: bool, correctable: bool| {
        out.push(Current {
            key,
            path: path.to_string(),
            digest: digest.to_string(),
            corrections,
            withdrawn,
            correctable,
        });
    };
    fn public<T: Published>(r: &Record<T>) -> bool {
        r.value.publication().scope == Scope::Public
    }
    for r in site.targets.iter().filter(|r| public(*r)) {
        add(r.key(), &r.path, &r.digest, r.value.corrections.len(), r.value.withdrawn.is_some(), true);
    }
    for r in site.reports.iter().filter(|r| public(*r)) {
        add(r.key(), &r.path, &r.digest, r.value.corrections.len(), r.value.withdrawn.is_some(), true);
    }
    for r in site.disclosures.iter().filter(|r| public(*r)) {
        add(r.key(), &r.path, &r.digest, r.value.corrections.len(), r.value.withdrawn.is_some(), true);
    }
    for r in site.rectifications.iter().filter(|r| r.value.scope == Scope::Public) {
        add(r.key(), &r.path, &r.digest, 0, false, false);
    }
    for r in site.comments.iter().filter(|r| r.value.scope == Scope::Public) {
        add(r.key(), &r.path, &r.digest, 0, false, false);
    }
    for r in site.pages.iter().filter(|r| r.value.scope == Scope::Public) {
        add(r.key(), &r.path, &r.digest, 0, false, false);
    }
    out.sort_by(|a, b| a.key.cmp(&b.key));
    out
}

/// Whether the working content is exactly what `latest` released.
pub fn matches(latest: Option<&Entry>, current: &[Current]) -> bool {
    let Some(latest) = latest else { return false };
    latest.records.len() == current.len()
        && current.iter().all(|c| latest.records.get(&c.key).is_some_and(|r| r.digest == c.digest))
}

/// The sources of the working copy, by digest, for versions not yet in the object store. Borrowed:
/// at 10,000 records a copy would be every byte of content again.
pub fn working_sources(site: &Site) -> BTreeMap<&str, &str> {
    let mut m = BTreeMap::new();
    m.extend(site.targets.iter().map(|r| (r.digest.as_str(), &*r.source)));
    m.extend(site.reports.iter().map(|r| (r.digest.as_str(), &*r.source)));
    m.extend(site.disclosures.iter().map(|r| (r.digest.as_str(), &*r.source)));
    m.extend(site.rectifications.iter().map(|r| (r.digest.as_str(), &*r.source)));
    m.extend(site.comments.iter().map(|r| (r.digest.as_str(), &*r.source)));
    m.extend(site.pages.iter().map(|r| (r.digest.as_str(), &*r.source)));
    m
}

/// The history the pages show: the ledger's releases (plus `pending`, a release being made) and each
/// current record's versions with their public text.
pub fn history(
    today: crate::model::common::Date,
    ledger: &Ledger,
    pending: Option<&Entry>,
    current: &[Current],
    working: &BTreeMap<&str, &str>,
) -> Result<History> {
    let entries: Vec<&Entry> = ledger.entries.iter().map(|s| &s.entry).chain(pending).collect();
    let releases = entries.iter().map(|e| summary(e)).collect();
    // Records in parallel: an old version's text may have to be read from the object store, and
    // a comments file's parsed again to show only what its page shows. The first failure in
    // record order is the one reported, as before.
    let made: Vec<Result<RecordHistory>> =
        current.par_iter().map(|c| record_history(today, ledger, &entries, c, working)).collect();
    let records = current.iter().zip(made).map(|(c, h)| Ok((c.key.clone(), h?))).collect::<Result<_>>()?;
    let preview = !matches(entries.last().copied(), current);
    Ok(History { releases, records, preview })
}

/// The released versions of `c`, oldest first, and whether its working copy differs.
fn record_history(
    today: crate::model::common::Date,
    ledger: &Ledger,
    entries: &[&Entry],
    c: &Current,
    working: &BTreeMap<&str, &str>,
) -> Result<RecordHistory> {
    let mut h = RecordHistory::default();
    for e in entries {
        let Some(r) = e.records.get(&c.key) else { continue };
        if h.versions.last().is_some_and(|v| v.digest == r.digest) {
            continue;
        }
        let source = match working.get(r.digest.as_str()) {
            Some(s) => std::borrow::Cow::Borrowed(*s),
            None => std::borrow::Cow::Owned(ledger.object(&r.digest)?),
        };
        h.versions.push(Version {
            number: h.versions.len() as u32 + 1,
            release: e.number,
            date: e.date,
            digest: r.digest.clone(),
            source: public_text(&c.key, &source, today),
        });
    }
    h.unreleased = h.versions.last().is_none_or(|v| v.digest != c.digest);
    Ok(h)
}

fn summary(e: &Entry) -> ReleaseSummary {
    ReleaseSummary {
        number: e.number,
        date: e.date,
        time: e.time.clone(),
        by: e.by.clone(),
        message: e.message.clone(),
        added: e.changes.added.clone(),
        changed: e.changes.changed.clone(),
        withdrawn: e.changes.withdrawn.clone(),
    }
}

/// The text of a record version that may be shown publicly. A comments file holds commenters'
/// contacts and unpublished entries, so its history shows only what its page shows.
pub fn public_text(key: &str, source: &str, today: crate::model::common::Date) -> String {
    if key.starts_with("disclosures/") {
        return disclosure_text(source, today);
    }
    if !key.starts_with("comments/") {
        return source.to_string();
    }
    match crate::load::yaml::parse::<Comments>(source, 0) {
        Ok(c) => comments_text(&c),
        Err(_) => "（该版本无法显示）".to_string(),
    }
}

/// A notice past its `take_down_on` no longer shows the personal data it held, in any version.
fn disclosure_text(source: &str, today: crate::model::common::Date) -> String {
    let front = crate::load::split_front_matter(source).map(|(f, _, _)| f);
    let parsed = front.and_then(|f| crate::load::yaml::parse::<crate::model::records::Disclosure>(f, 1).ok());
    match parsed.and_then(|d| d.take_down_on) {
        Some(t) if t <= today => format!("（本公示含有个人信息，已于{}撤下，不再显示原文）\n", t.chinese()),
        _ => source.to_string(),
    }
}

fn comments_text(c: &Comments) -> String {
    let mut out = String::new();
    for e in &c.entries {
        out.push_str(&format!("【{}】{} {}\n", e.id, e.received_on, e.status.label()));
        if !e.publish {
            out.push_str("  （不公开内容）\n");
            continue;
        }
        let name = e.commenter.as_ref().and_then(|p| p.name.as_deref()).map(mask_name).unwrap_or_else(|| "匿名".into());
        out.push_str(&format!("  留言（{name}）：{}\n", e.text.trim()));
        if let Some(r) = &e.reply {
            out.push_str(&format!("  答复（{}）：{}\n", r.on, r.text.trim()));
        }
    }
    out
}
