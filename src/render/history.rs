//! Pages of versioned publishing: the release list, each release's change set, each record's
//! version list and every old version with a line diff against the one before; and the version badge
//! record pages carry. Reads the history the pipeline put in `Site`; never touches the ledger.

use super::deps::Tracker;
use super::{routes, Job, PageJob};
use crate::model::history::{RecordHistory, Version};
use crate::model::Site;
use serde::Serialize;
use similar::{ChangeTag, TextDiff};
use std::collections::BTreeMap;
use tera::Context;

/// 第K版 of a record, the release it came with, and its history link.
#[derive(Serialize)]
pub struct VersionBadge {
    number: u32,
    unreleased: bool,
    release: Option<u32>,
    release_url: Option<String>,
    date: Option<crate::model::common::Date>,
    history_url: Option<String>,
}

/// The [`VersionBadge`] of the record `key`, if it has a history.
pub fn version_badge(site: &Site, key: &str) -> Option<VersionBadge> {
    let h = site.history.records.get(key)?;
    let last = h.versions.last().filter(|_| !h.unreleased);
    Some(VersionBadge {
        number: h.current_number(),
        unreleased: h.unreleased,
        release: last.map(|v| v.release),
        release_url: last.map(|v| routes::release(v.release)),
        date: last.map(|v| v.date),
        history_url: (!h.versions.is_empty()).then(|| routes::history(key)),
    })
}

/// The release list, each release's page and every record's version pages, once there is a
/// release. Each page's inputs are the values it shows (a release's linked titles, a version and
/// the one before it) besides the release list, which every page depends on anyway.
pub fn jobs<'a>(site: &'a Site, t: &'a Tracker) -> Vec<Job<'a>> {
    if site.history.releases.is_empty() {
        return Vec::new();
    }
    let titles = titles(site);
    let mut jobs = vec![Job::later(routes::releases(), t.deps(), move || release_list(site))];
    jobs.extend(site.history.releases.iter().map(|r| {
        let link = |keys: &[String]| keys.iter().map(|k| linked(k, &titles)).collect::<Vec<_>>();
        let groups = serde_json::json!([
            {"label": "新增", "items": link(&r.added)},
            {"label": "更正", "items": link(&r.changed)},
            {"label": "撤回", "items": link(&r.withdrawn)},
        ]);
        let deps = t.deps().value(&(r.number, &groups));
        Job::later(routes::release(r.number), deps, move || {
            let mut ctx = Context::new();
            ctx.insert("release", r);
            ctx.insert("groups", &groups);
            PageJob::new(routes::release(r.number), "releases/release.html", &format!("第{}版发布内容", r.number), ctx)
        })
    }));
    for (key, h) in site.history.records.iter().filter(|(_, h)| !h.versions.is_empty()) {
        let title = titles.get(key).cloned().unwrap_or_else(|| key.clone());
        let deps = t.deps().value(&(key, h, &title));
        let list_title = title.clone();
        jobs.push(Job::later(routes::history(key), deps, move || version_list(key, h, &list_title)));
        for (i, v) in h.versions.iter().enumerate() {
            let previous = i.checked_sub(1).map(|p| &h.versions[p]);
            let deps = t.deps().value(&(key, v, previous, &title));
            let title = title.clone();
            let path = routes::history_version(key, v.number);
            jobs.push(Job::later(path, deps, move || version_page(key, v, previous, &title)));
        }
    }
    jobs
}

/// Record key -> title, for lists of changes.
fn titles(site: &Site) -> BTreeMap<String, String> {
    let mut m = BTreeMap::new();
    site.targets.iter().for_each(|r| drop(m.insert(r.key(), r.value.title.clone())));
    site.reports.iter().for_each(|r| drop(m.insert(r.key(), r.value.title.clone())));
    site.disclosures.iter().for_each(|r| drop(m.insert(r.key(), r.value.title.clone())));
    site.pages.iter().for_each(|r| drop(m.insert(r.key(), r.value.title.clone())));
    for r in &site.comments {
        let name = site.orgs.get(r.value.org.as_str()).map(|o| o.display_name()).unwrap_or_default();
        m.insert(r.key(), format!("{name}{}年群众评说", r.value.year));
    }
    for r in &site.rectifications {
        let name = site.orgs.get(r.value.org.as_str()).map(|o| o.display_name()).unwrap_or_default();
        m.insert(r.key(), format!("{name}整改清单"));
    }
    m
}

#[derive(Serialize)]
struct Linked {
    key: String,
    title: String,
    url: Option<String>,
}

fn linked(key: &str, titles: &BTreeMap<String, String>) -> Linked {
    // A record that left the public site (it can only do so through a withdrawal) keeps its key.
    let title = titles.get(key).cloned();
    Linked {
        key: key.to_string(),
        url: title.as_ref().map(|_| routes::record_page(key)),
        title: title.unwrap_or_else(|| key.to_string()),
    }
}

fn release_list(site: &Site) -> PageJob {
    let rows: Vec<serde_json::Value> = site
        .history
        .releases
        .iter()
        .rev()
        .map(|r| {
            serde_json::json!({
                "number": r.number, "date": r.date, "by": r.by, "message": r.message, "url": routes::release(r.number),
                "added": r.added.len(), "changed": r.changed.len(), "withdrawn": r.withdrawn.len(),
            })
        })
        .collect();
    let mut ctx = Context::new();
    ctx.insert("rows", &rows);
    PageJob::new(routes::releases(), "releases/index.html", "版本记录", ctx)
}

fn version_list(key: &str, h: &RecordHistory, title: &str) -> PageJob {
    let rows: Vec<serde_json::Value> = h
        .versions
        .iter()
        .rev()
        .map(|v| {
            serde_json::json!({
                "number": v.number, "release": v.release, "release_url": routes::release(v.release), "date": v.date,
                "check_code": v.check_code(), "url": routes::history_version(key, v.number),
            })
        })
        .collect();
    let mut ctx = Context::new();
    ctx.insert("rows", &rows);
    ctx.insert("record_url", &routes::record_page(key));
    ctx.insert("record_title", title);
    ctx.insert("unreleased", &h.unreleased);
    PageJob::new(routes::history(key), "history/index.html", &format!("{title}·版本历史"), ctx)
}

#[derive(Serialize)]
struct DiffLine {
    /// `+` added, `-` removed, ` ` unchanged, `…` unchanged lines left out.
    tag: &'static str,
    text: String,
}

/// Line diff of two versions' public text: the changed lines with two lines of context around
/// them, and a `…` line where unchanged text is left out.
fn diff(old: &str, new: &str) -> Vec<DiffLine> {
    let d = TextDiff::from_lines(old, new);
    let mut out = Vec::new();
    for (i, group) in d.grouped_ops(2).iter().enumerate() {
        if i > 0 {
            out.push(DiffLine { tag: "…", text: String::new() });
        }
        for op in group {
            for c in d.iter_changes(op) {
                let tag = match c.tag() {
                    ChangeTag::Insert => "+",
                    ChangeTag::Delete => "-",
                    ChangeTag::Equal => " ",
                };
                out.push(DiffLine { tag, text: c.value().trim_end_matches('\n').to_string() });
            }
        }
    }
    out
}

fn version_page(key: &str, v: &Version, previous: Option<&Version>, title: &str) -> PageJob {
    let mut ctx = Context::new();
    ctx.insert("version", v);
    ctx.insert("check_code", v.check_code());
    ctx.insert("source", &v.source);
    ctx.insert("release_url", &routes::release(v.release));
    ctx.insert("history_url", &routes::history(key));
    ctx.insert("record_url", &routes::record_page(key));
    ctx.insert("record_title", title);
    ctx.insert("previous", &previous.map(|p| p.number));
    ctx.insert("diff", &previous.map(|p| diff(&p.source, &v.source)).unwrap_or_default());
    PageJob::new(
        routes::history_version(key, v.number),
        "history/version.html",
        &format!("{title}·第{}版", v.number),
        ctx,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn diff_marks_added_and_removed_lines() {
        let d = diff("a\nb\nc\n", "a\nB\nc\n");
        let tags: String = d.iter().map(|l| l.tag).collect();
        assert_eq!(tags, " -+ ");
        let far = diff("1\n2\n3\n4\n5\n6\n7\n8\n9\n", "1\nX\n3\n4\n5\n6\n7\nY\n9\n");
        let tags: String = far.iter().map(|l| l.tag).collect();
        assert_eq!(tags, " -+  …  -+ ", "unchanged lines far from a change are left out");
        assert_eq!(d[1].text, "b");
        assert_eq!(d[2].text, "B");
    }
}
