//! The personal-data scan over every text that will be published (fields, tables, Markdown bodies):
//! mobile and ID numbers are errors, located at the number itself. Commenters' contacts are never
//! published, so they are not scanned; neither are records this edition leaves out.

use super::privacy::NumberScanner;
use super::Ctx;
use crate::diagnostics::{at, Pos};
use crate::load::{Loaded, Located};
use crate::model::common::{Audience, Scope};
use rayon::prelude::*;
use serde::Serialize;
use serde_json::Value;

pub fn check_personal_data(ctx: &mut Ctx, loaded: &Loaded, audience: Audience) {
    let scanner = NumberScanner::new(ctx.config.allowed_numbers.iter().map(|n| n.as_str()));
    let sees = |s: Scope| audience.sees(s);
    let mut found = Vec::new();
    if let Some(orgs) = &loaded.orgs {
        found.extend(scan_record(&scanner, orgs, &orgs.value, None));
    }
    let scan = |f: &mut Vec<Finding>, batch: Vec<Finding>| f.extend(batch);
    scan(&mut found, scan_all(&scanner, &loaded.targets, |t| sees(t.scope).then_some(None)));
    scan(&mut found, scan_all(&scanner, &loaded.reports, |r| sees(r.scope).then_some(Some(r.body.as_str()))));
    scan(&mut found, scan_all(&scanner, &loaded.rectifications, |r| sees(r.scope).then_some(None)));
    scan(&mut found, scan_all(&scanner, &loaded.disclosures, |d| sees(d.scope).then_some(Some(d.body.as_str()))));
    scan(&mut found, scan_all(&scanner, &loaded.pages, |p| sees(p.scope).then_some(Some(p.body.as_str()))));
    scan(&mut found, scan_all(&scanner, &loaded.comments, |c| sees(c.scope).then_some(None)));
    for f in found {
        let msg = format!(
            "公开内容中有{}（{}），不能对外公布；请删除，或确属公开的办公号码时列入 site.yaml 的 allowed_numbers",
            f.kind_label, f.masked
        );
        ctx.diags.push(at(&f.path, f.pos).error("personal-number", &f.field, msg));
    }
}

struct Finding {
    path: String,
    pos: Pos,
    field: String,
    kind_label: &'static str,
    masked: String,
}

/// Scans records in parallel; `select` returns `None` to skip a record, else its Markdown body.
fn scan_all<'a, T: Serialize + Sync + 'a>(
    scanner: &NumberScanner,
    recs: &'a [Located<T>],
    select: impl Fn(&'a T) -> Option<Option<&'a str>> + Sync,
) -> Vec<Finding> {
    recs.par_iter()
        .filter_map(|r| select(&r.value).map(|body| scan_record(scanner, r, &r.value, body)))
        .flatten()
        .collect()
}

fn scan_record<T: Serialize>(
    scanner: &NumberScanner,
    rec: &Located<impl Sized>,
    value: &T,
    body: Option<&str>,
) -> Vec<Finding> {
    let mut out = Vec::new();
    let Ok(tree) = serde_json::to_value(value) else {
        return out;
    };
    let mut strings = Vec::new();
    collect_strings(&tree, String::new(), &mut strings);
    for (field, s) in strings {
        for f in scanner.scan(s) {
            let start = rec.positions.value(&field);
            let needle = &s[f.start..f.start + f.len];
            out.push(Finding {
                path: rec.path.clone(),
                pos: locate(&rec.text, start, needle),
                field: field.clone(),
                kind_label: f.kind.label(),
                masked: f.masked,
            });
        }
    }
    if let Some(body) = body {
        let body_start = rec.text.len().saturating_sub(body.len());
        for f in scanner.scan(body) {
            out.push(Finding {
                path: rec.path.clone(),
                pos: pos_of_offset(&rec.text, body_start + f.start),
                field: "正文".into(),
                kind_label: f.kind.label(),
                masked: f.masked,
            });
        }
    }
    out
}

/// Every string in a serialized record with its key path, skipping what is never published.
fn collect_strings<'v>(v: &'v Value, path: String, out: &mut Vec<(String, &'v str)>) {
    match v {
        Value::String(s) => out.push((path, s)),
        Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                collect_strings(item, format!("{path}[{i}]"), out);
            }
        }
        Value::Object(map) => {
            // An unpublished comment shows no text; a commenter's contact is never output.
            if map.get("publish") == Some(&Value::Bool(false)) {
                return;
            }
            for (k, item) in map {
                if k == "contact" && path.ends_with("commenter") {
                    continue;
                }
                let p = if path.is_empty() { k.clone() } else { format!("{path}.{k}") };
                collect_strings(item, p, out);
            }
        }
        _ => {}
    }
}

/// The position of `needle` at or after `start` in `text`, else `start`.
fn locate(text: &str, start: Pos, needle: &str) -> Pos {
    let from = offset_of_pos(text, start);
    match text[from..].find(needle) {
        Some(i) => pos_of_offset(text, from + i),
        None => start,
    }
}

fn offset_of_pos(text: &str, p: Pos) -> usize {
    let line_start: usize = text.split_inclusive('\n').take(p.line.saturating_sub(1)).map(str::len).sum();
    let line = &text[line_start.min(text.len())..];
    let col_bytes: usize = line.chars().take(p.col.saturating_sub(1)).map(char::len_utf8).sum();
    (line_start + col_bytes).min(text.len())
}

fn pos_of_offset(text: &str, offset: usize) -> Pos {
    let offset = offset.min(text.len());
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let col = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    Pos { line, col }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn offsets_and_positions_round_trip_with_cjk() {
        let text = "title: 标题\nnote: 电话13812345678\n";
        let p = locate(text, Pos { line: 2, col: 7 }, "13812345678");
        assert_eq!(p, Pos { line: 2, col: 9 });
        assert_eq!(offset_of_pos(text, p), text.find("138").unwrap());
    }

    #[test]
    fn commenter_contact_and_unpublished_entries_are_skipped() {
        let v = serde_json::json!({"entries": [
            {"text": "a", "commenter": {"contact": "13800001234", "name": "李明"}},
            {"text": "hidden", "publish": false}
        ]});
        let mut out = Vec::new();
        collect_strings(&v, String::new(), &mut out);
        let fields: Vec<&str> = out.iter().map(|(f, _)| f.as_str()).collect();
        assert_eq!(fields, vec!["entries[0].commenter.name", "entries[0].text"]);
    }
}
