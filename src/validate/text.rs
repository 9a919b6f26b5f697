//! The personal-data scan over every text that will be published (fields, tables, Markdown bodies):
//! mobile and ID numbers are errors, located at the number itself; so are invisible control
//! characters and bidirectional overrides (odd Unicode). Commenters' contacts are never
//! published, so they are not scanned; neither are records this edition leaves out.

use super::privacy::NumberScanner;
use super::Ctx;
use crate::diagnostics::{at, Diagnostic, Pos};
use crate::load::yaml::is_control;
use crate::load::{Loaded, Located};
use crate::model::common::{Audience, Scope};
use rayon::prelude::*;
use serde::Serialize;
use serde_json::Value;

pub fn check_personal_data(ctx: &mut Ctx, loaded: &Loaded, audience: Audience) {
    let scanner = NumberScanner::new(ctx.config.allowed_numbers.iter().map(|n| n.as_str()));
    let sees = |s: Scope| audience.sees(s);
    let mut scanned = Vec::new();
    if let Some(orgs) = &loaded.orgs {
        scanned.push(scan_record(&scanner, orgs, &orgs.value, None));
    }
    scanned.extend(scan_all(&scanner, &loaded.targets, |t| sees(t.scope).then_some(None)));
    scanned.extend(scan_all(&scanner, &loaded.reports, |r| sees(r.scope).then_some(Some(r.body.as_str()))));
    scanned.extend(scan_all(&scanner, &loaded.rectifications, |r| sees(r.scope).then_some(None)));
    scanned.extend(scan_all(&scanner, &loaded.disclosures, |d| sees(d.scope).then_some(Some(d.body.as_str()))));
    scanned.extend(scan_all(&scanner, &loaded.pages, |p| sees(p.scope).then_some(Some(p.body.as_str()))));
    scanned.extend(scan_all(&scanner, &loaded.comments, |c| sees(c.scope).then_some(None)));
    // Odd characters of every record first, then numbers and placeholders.
    let (odd, found): (Vec<_>, Vec<_>) = scanned.into_iter().map(|s| (s.odd, s.found)).unzip();
    odd.into_iter().flatten().for_each(|d| ctx.diags.push(d));
    for f in found.into_iter().flatten() {
        let d = if f.kind_label == PLACEHOLDER_LABEL {
            let msg = "还有没填写的占位内容「请填写…」：请换成实际内容后再生成";
            at(&f.path, f.pos).error("placeholder", &f.field, msg)
        } else {
            let msg = format!(
                "公开内容中有{}（{}），不能对外公布；请删除，或确属公开的办公号码时列入 site.yaml 的 allowed_numbers",
                f.kind_label, f.masked
            );
            at(&f.path, f.pos).error("personal-number", &f.field, msg)
        };
        ctx.diags.push(d);
    }
}

/// Marks a finding that is a left-over placeholder of `gongshi new`, not a number.
const PLACEHOLDER_LABEL: &str = "占位内容";

/// Left-over placeholders in `text`, as findings at their byte offset.
fn placeholders(text: &str) -> impl Iterator<Item = usize> + '_ {
    text.match_indices(crate::scaffold::PLACEHOLDER).map(|(i, _)| i)
}

struct Finding {
    path: String,
    pos: Pos,
    field: String,
    kind_label: &'static str,
    masked: String,
}

/// What the scan found in one record: odd characters, and personal numbers or placeholders.
struct Scanned {
    odd: Vec<Diagnostic>,
    found: Vec<Finding>,
}

/// Scans records in parallel, in order; `select` returns `None` to skip a record, else its
/// Markdown body.
fn scan_all<'a, T: Serialize + Sync + 'a>(
    scanner: &NumberScanner,
    recs: &'a [Located<T>],
    select: impl Fn(&'a T) -> Option<Option<&'a str>> + Sync,
) -> Vec<Scanned> {
    recs.par_iter().filter_map(|r| select(&r.value).map(|body| scan_record(scanner, r, &r.value, body))).collect()
}

/// Both scans of one record over one serialization of it (serializing is most of the cost).
fn scan_record<T: Serialize>(
    scanner: &NumberScanner,
    rec: &Located<impl Sized>,
    value: &T,
    body: Option<&str>,
) -> Scanned {
    let mut out = Scanned { odd: Vec::new(), found: Vec::new() };
    let Ok(tree) = serde_json::to_value(value) else {
        return out;
    };
    let mut strings = Vec::new();
    collect_strings(&tree, String::new(), &mut strings);
    out.odd = odd_in_record(rec, &strings, body);
    for (field, s) in strings {
        if placeholders(s).next().is_some() {
            let start = rec.positions.value(&field);
            let pos = locate(&rec.text, start, crate::scaffold::PLACEHOLDER);
            out.found.push(Finding {
                path: rec.path.clone(),
                pos,
                field: field.clone(),
                kind_label: PLACEHOLDER_LABEL,
                masked: String::new(),
            });
        }
        for f in scanner.scan(s) {
            let start = rec.positions.value(&field);
            let needle = &s[f.start..f.start + f.len];
            out.found.push(Finding {
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
        for i in placeholders(body) {
            let pos = pos_of_offset(&rec.text, body_start + i);
            out.found.push(Finding {
                path: rec.path.clone(),
                pos,
                field: "正文".into(),
                kind_label: PLACEHOLDER_LABEL,
                masked: String::new(),
            });
        }
        for f in scanner.scan(body) {
            out.found.push(Finding {
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

/// Invisible control characters and bidirectional overrides in public text (the `odd` part of the
/// scan): a control character breaks pages and feeds, an override (U+202E) makes a page read
/// differently from the text that was approved.
/// Embeddings, overrides and isolates (U+202A–U+202E, U+2066–U+2069).
fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

/// The first odd character of `s`: its byte offset, the character and the message.
fn odd_char(s: &str) -> Option<(usize, char, String)> {
    let (i, c) = s.char_indices().find(|(_, c)| is_control(*c) || is_bidi_control(*c))?;
    let what = if is_bidi_control(c) { "改变文字显示方向的控制字符" } else { "不可见的控制字符" };
    let msg = format!("公开内容中有{what} U+{:04X}，页面会显示出错或与审批的文字不一致；请删除这个字符", c as u32);
    Some((i, c, msg))
}

fn odd_in_record(rec: &Located<impl Sized>, strings: &[(String, &str)], body: Option<&str>) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for (field, s) in strings {
        if let Some((_, c, msg)) = odd_char(s) {
            let pos = locate_char(&rec.text, rec.positions.value(field), c);
            out.push(at(&rec.path, pos).error("control-char", field, msg));
        }
    }
    if let Some((i, _, msg)) = body.and_then(odd_char) {
        let body_start = rec.text.len().saturating_sub(body.map_or(0, str::len));
        out.push(at(&rec.path, pos_of_offset(&rec.text, body_start + i)).error("control-char", "正文", msg));
    }
    out
}

/// Where `c` sits in `text` at or after `start`: the character itself, or the YAML escape that
/// wrote it (`"\0"`, `"\u202E"`); else `start`.
fn locate_char(text: &str, start: Pos, c: char) -> Pos {
    let from = offset_of_pos(text, start);
    let code = c as u32;
    let short = match c {
        '\0' => "\\0",
        '\u{7}' => "\\a",
        '\u{8}' => "\\b",
        '\u{b}' => "\\v",
        '\u{c}' => "\\f",
        '\u{1b}' => "\\e",
        '\u{85}' => "\\N",
        _ => "",
    };
    let forms = [
        c.to_string(),
        short.to_string(),
        format!("\\x{code:02x}"),
        format!("\\x{code:02X}"),
        format!("\\u{code:04x}"),
        format!("\\u{code:04X}"),
        format!("\\U{code:08x}"),
        format!("\\U{code:08X}"),
    ];
    let found = forms.iter().filter(|f| !f.is_empty()).filter_map(|f| text[from..].find(f.as_str())).min();
    found.map_or(start, |i| pos_of_offset(text, from + i))
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
