//! Structural rules: ids and slugs, the org tree (one root, no cycle, parents exist), references to
//! orgs, paths that agree with records, org validity dates, values from site.yaml lists, attachments.

use super::{pos, Ctx};
use crate::config::Config;
use crate::diagnostics::{at, Diagnostics, Pos};
use crate::load::{Loaded, Located};
use crate::model::calendar::CalendarYear;
use crate::model::common::Date;
use crate::model::org::{Org, OrgTree};
use std::collections::{BTreeMap, BTreeSet};

/// `[a-z0-9][a-z0-9-]*`
pub fn is_slug(s: &str) -> bool {
    let b = s.as_bytes();
    !b.is_empty()
        && (b[0].is_ascii_lowercase() || b[0].is_ascii_digit())
        && b.iter().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || *c == b'-')
}

/// `p` is asked only for a bad id: positions are mapped on first use.
fn check_slug(path: &str, p: impl FnOnce() -> Pos, field: &str, id: &str, diags: &mut Diagnostics) {
    if !is_slug(id) {
        let msg = format!("标识 `{id}` 只能用小写英文字母、数字和连字符（如 hexing、2025-007），且不能以连字符开头");
        diags.push(at(path, p()).error("bad-id", field, msg));
    }
}

pub fn check_config(config: &Located<Config>, diags: &mut Diagnostics) {
    let c = &config.value;
    if let Some(url) = c.base_url.as_deref() {
        if !(url.starts_with("https://") || url.starts_with("http://")) {
            let msg = format!("base_url `{url}` 必须以 http:// 或 https:// 开头");
            diags.push(at(&config.path, pos(config, "base_url")).error("bad-url", "base_url", msg));
        }
    }
    let ev = &c.evaluation;
    for (i, opt) in ev.invalid.iter().enumerate() {
        if !ev.ballot.contains(opt) {
            let field = format!("evaluation.invalid[{i}]");
            let msg = format!("无效票选项 `{opt}` 不在 ballot 中");
            diags.push(at(&config.path, pos(config, &field)).error("not-in-list", &field, msg));
        }
    }
    if ev.grades.len() < 2 {
        let msg = "grades 至少要有两个等次";
        diags.push(at(&config.path, pos(config, "evaluation.grades")).error("not-in-list", "evaluation.grades", msg));
    }
}

/// Checks orgs.yaml and builds the tree; `None` when the tree itself is broken.
pub fn org_tree(orgs: &Located<Vec<Org>>, diags: &mut Diagnostics) -> Option<OrgTree> {
    let path = &orgs.path;
    let before = diags.error_count();
    let mut seen: BTreeMap<&str, usize> = BTreeMap::new();
    for (i, o) in orgs.value.iter().enumerate() {
        let field = format!("[{i}].id");
        check_slug(path, || pos(orgs, &field), &field, o.id.as_str(), diags);
        if let Some(first) = seen.insert(o.id.as_str(), i) {
            let msg = format!("组织标识 `{}` 重复（第一次出现在第 {} 个组织）", o.id, first + 1);
            diags.push(at(path, pos(orgs, &field)).error("duplicate-id", &field, msg));
        }
    }
    for (i, o) in orgs.value.iter().enumerate() {
        for (field, reference) in [("parent", &o.parent), ("successor_of", &o.successor_of)] {
            if let Some(p) = reference {
                if !seen.contains_key(p.as_str()) {
                    let f = format!("[{i}].{field}");
                    diags.push(unknown_org(path, pos(orgs, &f), &f, p.as_str(), seen.keys().copied()));
                }
            }
        }
        if let (Some(from), Some(to)) = (o.valid_from, o.valid_to) {
            if to < from {
                let f = format!("[{i}].valid_to");
                diags.push(at(path, pos(orgs, &f)).error("org-validity", &f, "valid_to 早于 valid_from"));
            }
        }
    }
    let roots: Vec<usize> = orgs.value.iter().enumerate().filter(|(_, o)| o.parent.is_none()).map(|(i, _)| i).collect();
    match roots.len() {
        0 if !orgs.value.is_empty() => diags.push(at(path, Pos::START).error(
            "org-tree",
            "",
            "组织架构没有根组织（需要恰好一个没有 parent 的组织，如县委）",
        )),
        0 => diags.push(at(path, Pos::START).error("org-tree", "", "orgs.yaml 里没有任何组织")),
        1 => {}
        _ => {
            for &i in &roots[1..] {
                let f = format!("[{i}]");
                let msg = format!("组织架构只能有一个根组织，`{}` 也没有 parent", orgs.value[i].id);
                diags.push(at(path, pos(orgs, &f)).error("org-tree", &format!("{f}.parent"), msg));
            }
        }
    }
    check_cycles(orgs, &seen, diags);
    (diags.error_count() == before).then(|| OrgTree::new((*orgs.value).clone()))
}

fn check_cycles(orgs: &Located<Vec<Org>>, index: &BTreeMap<&str, usize>, diags: &mut Diagnostics) {
    let parent_of = |i: usize| orgs.value[i].parent.as_ref().and_then(|p| index.get(p.as_str()).copied());
    let mut reported = BTreeSet::new();
    for start in 0..orgs.value.len() {
        let mut cur = start;
        let mut steps = 0;
        while let Some(p) = parent_of(cur) {
            steps += 1;
            if p == start || steps > orgs.value.len() {
                if reported.insert(start) && p == start {
                    let f = format!("[{start}].parent");
                    let msg = format!("组织 `{}` 的上级链条形成了循环", orgs.value[start].id);
                    diags.push(at(&orgs.path, pos(orgs, &f)).error("org-tree", &f, msg));
                }
                break;
            }
            cur = p;
        }
    }
}

/// An unknown org id, with the closest existing id as a suggestion.
pub fn unknown_org<'k>(
    path: &str,
    p: Pos,
    field: &str,
    id: &str,
    known: impl Iterator<Item = &'k str>,
) -> crate::diagnostics::Diagnostic {
    let d = at(path, p).error("unknown-org", field, format!("组织 `{id}` 不存在（orgs.yaml 中没有这个 id）"));
    match closest(id, known) {
        Some(s) => d.with_hint(format!("是不是 `{s}`？")),
        None => d,
    }
}

/// The known id with the smallest edit distance, if it is close enough to be a typo.
fn closest<'a>(id: &str, known: impl Iterator<Item = &'a str>) -> Option<&'a str> {
    known.map(|k| (edit_distance(id, k), k)).filter(|(d, k)| *d <= 2.max(k.len() / 4) && *d > 0).min().map(|(_, k)| k)
}

fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut prev = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let cur = row[j + 1];
            row[j + 1] = (prev + usize::from(ca != *cb)).min(row[j] + 1).min(cur + 1);
            prev = cur;
        }
    }
    row[b.len()]
}

pub fn check_calendars(cals: &[Located<CalendarYear>], diags: &mut Diagnostics) {
    for c in cals {
        let name_year = c.path.rsplit('/').next().and_then(|f| f.strip_suffix(".yaml")).and_then(|y| y.parse().ok());
        if name_year != Some(c.value.year) {
            let msg = format!("文件名中的年份与 year: {} 不一致", c.value.year);
            diags.push(at(&c.path, pos(c, "year")).error("path-mismatch", "year", msg));
        }
        let stray =
            c.value.holidays.iter().chain(&c.value.workdays).enumerate().find(|(_, d)| d.year() != c.value.year);
        if let Some((i, d)) = stray {
            let field = if i < c.value.holidays.len() { "holidays" } else { "workdays" };
            let msg = format!("日期 {d} 不属于 {} 年", c.value.year);
            diags.push(at(&c.path, pos(c, field)).error("path-mismatch", field, msg));
        }
    }
}

/// The org, path, id and validity rules that every record kind shares.
pub fn check_records(ctx: &mut Ctx, loaded: &Loaded) {
    for t in &loaded.targets {
        record_basics(ctx, t, t.value.org.as_str(), Some(t.value.year), t.value.published_on);
        if let Some(letter) = &t.value.responsibility_letter {
            org_ref(ctx, t, "responsibility_letter.with", letter.with.as_str());
        }
        unique_ids(ctx, t, "items", t.value.items.iter().map(|i| i.id.as_str()));
    }
    for r in &loaded.reports {
        record_basics(ctx, r, r.value.org.as_str(), Some(r.value.year), r.value.published_on);
        if let Some(host) = r.value.meeting.as_ref().and_then(|m| m.host.as_ref()) {
            org_ref(ctx, r, "meeting.host", host.as_str());
        }
        if let Some(by) = r.value.evaluation.as_ref().and_then(|e| e.graded_by.as_ref()) {
            org_ref(ctx, r, "evaluation.graded_by", by.as_str());
        }
    }
    for r in &loaded.rectifications {
        record_basics(ctx, r, r.value.org.as_str(), None, r.value.published_on);
    }
    let all_rects =
        loaded.rectifications.iter().flat_map(|r| r.value.items.iter().enumerate().map(move |(i, it)| (r, i, it)));
    unique_across(ctx, "整改事项", all_rects.map(|(r, i, it)| (r, format!("items[{i}].id"), it.id.as_str())));
    for d in &loaded.disclosures {
        let year = d.value.published_on.map(|p| p.year());
        record_basics(ctx, d, d.value.org.as_str(), year, d.value.published_on);
        if let Some(slug) = &d.slug {
            check_slug(&d.path, || Pos::START, "", slug, &mut ctx.diags);
        }
        let config = ctx.config;
        in_list(ctx, d, "category", &d.value.category, &config.disclosure_categories, "disclosure_categories");
    }
    for c in &loaded.comments {
        record_basics(ctx, c, c.value.org.as_str(), Some(c.value.year), c.value.published_on);
        unique_ids(ctx, c, "entries", c.value.entries.iter().map(|e| e.id.as_str()));
    }
    for p in &loaded.pages {
        check_page_slug(ctx, p);
    }
}

/// Free-page slugs that would collide with the site's own sections.
const RESERVED: [&str; 13] = [
    "orgs",
    "targets",
    "reports",
    "disclosures",
    "comments",
    "boards",
    "releases",
    "search",
    "data",
    "static",
    "history",
    "rectifications",
    "attachments",
];

fn check_page_slug(ctx: &mut Ctx, p: &Located<crate::model::records::Page>) {
    let slug = p.slug.as_deref().unwrap_or_default();
    check_slug(&p.path, || Pos::START, "", slug, &mut ctx.diags);
    if RESERVED.contains(&slug) {
        let msg = format!("页面文件名 `{slug}` 与网站栏目重名，请换一个文件名");
        ctx.diags.push(at(&p.path, Pos::START).error("reserved-slug", "", msg));
    }
}

fn record_basics<T>(ctx: &mut Ctx, rec: &Located<T>, org: &str, year: Option<i32>, published_on: Option<Date>) {
    if !org_ref(ctx, rec, "org", org) {
        return;
    }
    if let Some(path_org) = &rec.path_org {
        if path_org != org {
            let msg = format!("文件路径中的组织 `{path_org}` 与记录的 org: {org} 不一致");
            ctx.diags.push(at(&rec.path, pos(rec, "org")).error("path-mismatch", "org", msg));
        }
    }
    if let (Some(py), Some(y)) = (rec.path_year, year) {
        if py != y {
            let field = if rec.path.contains("/disclosures/") { "published_on" } else { "year" };
            let msg = format!("文件路径中的年份 {py} 与记录的年份 {y} 不一致");
            ctx.diags.push(at(&rec.path, pos(rec, field)).error("path-mismatch", field, msg));
        }
    }
    let o = ctx.tree.get(org).expect("org_ref checked");
    if let Some(day) = published_on {
        if !o.valid_on(day) {
            let msg = format!("记录日期 {day} 不在组织 `{org}` 的存续期内（valid_from..valid_to）");
            ctx.diags.push(at(&rec.path, pos(rec, "published_on")).error("org-validity", "published_on", msg));
        }
    }
}

/// Reports an unknown org id; returns whether it exists.
pub fn org_ref<T>(ctx: &mut Ctx, rec: &Located<T>, field: &str, id: &str) -> bool {
    if ctx.tree.ix(id).is_some() {
        return true;
    }
    let d = unknown_org(&rec.path, pos(rec, field), field, id, ctx.tree.by_id.keys().map(String::as_str));
    ctx.diags.push(d);
    false
}

fn unique_ids<'a, T>(ctx: &mut Ctx, rec: &Located<T>, list: &str, ids: impl Iterator<Item = &'a str>) {
    let mut seen = BTreeSet::new();
    for (i, id) in ids.enumerate() {
        let first = seen.insert(id);
        if first && is_slug(id) {
            continue;
        }
        let field = format!("{list}[{i}].id");
        check_slug(&rec.path, || pos(rec, &field), &field, id, &mut ctx.diags);
        if !first {
            let msg = format!("标识 `{id}` 在本文件中重复");
            ctx.diags.push(at(&rec.path, pos(rec, &field)).error("duplicate-id", &field, msg));
        }
    }
}

fn unique_across<'a, T: 'a>(ctx: &mut Ctx, what: &str, ids: impl Iterator<Item = (&'a Located<T>, String, &'a str)>) {
    let mut seen: BTreeMap<&str, String> = BTreeMap::new();
    for (rec, field, id) in ids {
        check_slug(&rec.path, || pos(rec, &field), &field, id, &mut ctx.diags);
        if let Some(first) = seen.get(id) {
            let msg = format!("{what}标识 `{id}` 重复（已在 {first} 中使用）");
            ctx.diags.push(at(&rec.path, pos(rec, &field)).error("duplicate-id", &field, msg));
        } else {
            seen.insert(id, rec.path.clone());
        }
    }
}

/// A value that must come from one of site.yaml's lists.
pub fn in_list<T>(ctx: &mut Ctx, rec: &Located<T>, field: &str, value: &str, list: &[String], list_name: &str) {
    if !list.iter().any(|v| v == value) {
        let msg = format!("`{value}` 不在 site.yaml 的 {list_name} 中；可选：{}", list.join("、"));
        ctx.diags.push(at(&rec.path, pos(rec, field)).error("not-in-list", field, msg));
    }
}

/// The key of an attachment under content/attachments/ (leading `attachments/` tolerated).
pub fn attachment_key(file: &str) -> String {
    file.trim_start_matches("./").trim_start_matches("attachments/").to_string()
}

/// Attachments must stay inside content/attachments/ and exist; returns the existing ones.
pub fn check_attachments(ctx: &mut Ctx, loaded: &Loaded) -> BTreeSet<String> {
    let existing: BTreeSet<String> = loaded.attachments.iter().cloned().collect();
    for d in &loaded.disclosures {
        for (i, a) in d.value.attachments.iter().enumerate() {
            let field = format!("attachments[{i}].file");
            let key = attachment_key(&a.file);
            let unsafe_path = a.file.starts_with('/')
                || a.file.contains('\\')
                || a.file.contains(':')
                || key.split('/').any(|seg| seg == ".." || seg == "." || seg.is_empty());
            if unsafe_path {
                let msg = format!(
                    "附件路径 `{}` 不安全：只能写 content/attachments/ 下的相对路径，不能含 `..`、盘符或以 / 开头",
                    a.file
                );
                ctx.diags.push(at(&d.path, pos(d, &field)).error("unsafe-path", &field, msg));
            } else if !existing.contains(&key) {
                let msg = format!("附件 `{}` 不存在（应放在 content/attachments/{key}）", a.file);
                ctx.diags.push(at(&d.path, pos(d, &field)).error("missing-attachment", &field, msg));
            }
        }
    }
    existing
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_are_lowercase_ascii_with_hyphens() {
        assert!(is_slug("hexing") && is_slug("2025-007") && is_slug("a-1"));
        assert!(!is_slug("-a") && !is_slug("Hexing") && !is_slug("河兴") && !is_slug("") && !is_slug("a_b"));
    }

    #[test]
    fn typo_suggestions_pick_the_closest_id() {
        let known = ["hexing", "chengguan", "qingxi"];
        assert_eq!(closest("hexin", known.into_iter()), Some("hexing"));
        assert_eq!(closest("zzzzzz", known.into_iter()), None);
    }
}
