//! The personal-data scan over every text that will be published (fields, tables, Markdown bodies):
//! mobile and ID numbers are errors, located at the number itself; so are invisible control
//! characters and bidirectional overrides (odd Unicode). Commenters' contacts are never
//! published, so they are not scanned; neither are records this edition leaves out.

use super::privacy::NumberScanner;
use super::strings::{self, KeyPath};
use super::Ctx;
use crate::config::Config;
use crate::diagnostics::{at, Diagnostic, Pos};
use crate::load::chars;
use crate::load::{Loaded, Located};
use crate::model::common::{Audience, Scope};
use memchr::memmem;
use rayon::prelude::*;
use serde::Serialize;
use std::collections::HashMap;
use std::sync::{Arc, LazyLock};

/// Scans of records kept between rebuilds by `serve`: a record's scan depends only on its file
/// (path and text, named by its digest) and on site.yaml's `allowed_numbers`, so an unchanged file
/// is not serialized and scanned again. The default memo keeps nothing.
#[derive(Default)]
pub struct ScanMemo {
    keep: bool,
    allowed: Vec<String>,
    /// Path -> (digest of the text scanned, what the scan found).
    scans: HashMap<String, (String, Arc<Scanned>)>,
}

impl ScanMemo {
    pub fn keeping() -> ScanMemo {
        ScanMemo { keep: true, ..ScanMemo::default() }
    }

    fn get(&self, rec: &Located<impl Sized>) -> Option<Arc<Scanned>> {
        self.scans.get(&rec.path).filter(|(d, _)| *d == rec.digest).map(|(_, s)| s.clone())
    }
}

/// What the scan found in every record this edition shows, before it is reported: made without
/// the validation context, so it can run alongside the other checks.
pub struct PersonalScan<'a> {
    scanned: Vec<Looked<'a>>,
    allowed: Vec<String>,
}

/// Scans every record `audience` sees, in parallel, taking unchanged files' scans from `memo`
/// (unless site.yaml's `allowed_numbers` changed since they were made).
pub fn scan_personal_data<'a>(
    config: &Config,
    loaded: &'a Loaded,
    audience: Audience,
    memo: &ScanMemo,
) -> PersonalScan<'a> {
    let allowed: Vec<String> = config.allowed_numbers.iter().map(|n| n.as_str().to_string()).collect();
    let empty = ScanMemo::default();
    let memo = if memo.allowed == allowed { memo } else { &empty };
    let scanner = NumberScanner::new(config.allowed_numbers.iter().map(|n| n.as_str()));
    let sees = |s: Scope| audience.sees(s);
    let mut scanned = Vec::new();
    if let Some(orgs) = &loaded.orgs {
        scanned.push(scan_one(&scanner, memo, orgs, None));
    }
    scanned.extend(scan_all(&scanner, memo, &loaded.targets, |t| sees(t.scope).then_some(None)));
    scanned.extend(scan_all(&scanner, memo, &loaded.reports, |r| sees(r.scope).then_some(Some(r.body.as_str()))));
    scanned.extend(scan_all(&scanner, memo, &loaded.rectifications, |r| sees(r.scope).then_some(None)));
    scanned.extend(scan_all(&scanner, memo, &loaded.disclosures, |d| sees(d.scope).then_some(Some(d.body.as_str()))));
    scanned.extend(scan_all(&scanner, memo, &loaded.pages, |p| sees(p.scope).then_some(Some(p.body.as_str()))));
    scanned.extend(scan_all(&scanner, memo, &loaded.comments, |c| sees(c.scope).then_some(None)));
    PersonalScan { scanned, allowed }
}

/// Reports what [`scan_personal_data`] found (odd characters of every record first, then numbers
/// and placeholders) and keeps the fresh scans in `memo`.
pub fn report_personal_data(ctx: &mut Ctx, scan: PersonalScan, memo: &mut ScanMemo) {
    let PersonalScan { scanned, allowed } = scan;
    scanned.iter().flat_map(|s| s.scan.odd.iter()).for_each(|d| ctx.diags.push(d.clone()));
    for f in scanned.iter().flat_map(|s| s.scan.found.iter()) {
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
    if memo.allowed != allowed {
        memo.allowed = allowed;
        memo.scans.clear();
    }
    if memo.keep {
        remember(memo, scanned);
    }
}

/// One record's scan and where it came from.
struct Looked<'a> {
    path: &'a str,
    digest: &'a str,
    scan: Arc<Scanned>,
    /// Scanned now, not taken from the memo.
    fresh: bool,
}

/// A record's scan, from the memo when its file did not change.
fn scan_one<'a, T: Serialize>(
    scanner: &NumberScanner,
    memo: &ScanMemo,
    rec: &'a Located<T>,
    body: Option<&str>,
) -> Looked<'a> {
    let (path, digest) = (rec.path.as_str(), rec.digest.as_str());
    match memo.get(rec) {
        Some(scan) => Looked { path, digest, scan, fresh: false },
        None => Looked { path, digest, scan: Arc::new(scan_record(scanner, rec, &rec.value, body)), fresh: true },
    }
}

/// Stores the fresh scans and forgets files that are gone (or hidden from this edition).
fn remember(memo: &mut ScanMemo, scanned: Vec<Looked>) {
    let total = scanned.len();
    for l in scanned.iter().filter(|l| l.fresh) {
        memo.scans.insert(l.path.to_string(), (l.digest.to_string(), l.scan.clone()));
    }
    if memo.scans.len() > total {
        let current: std::collections::HashSet<&str> = scanned.iter().map(|l| l.path).collect();
        memo.scans.retain(|path, _| current.contains(path.as_str()));
    }
}

/// Marks a finding that is a left-over placeholder of `gongshi new`, not a number.
const PLACEHOLDER_LABEL: &str = "占位内容";

/// Left-over placeholders in `text`, as findings at their byte offset.
fn placeholders(text: &str) -> impl Iterator<Item = usize> + '_ {
    // Searched with vector instructions: the placeholder starts with 「, common in Chinese text.
    static FINDER: LazyLock<memmem::Finder> = LazyLock::new(|| memmem::Finder::new(crate::scaffold::PLACEHOLDER));
    FINDER.find_iter(text.as_bytes())
}

#[derive(Debug, Clone)]
struct Finding {
    path: String,
    pos: Pos,
    field: String,
    kind_label: &'static str,
    masked: String,
}

/// What the scan found in one record: odd characters, and personal numbers or placeholders.
#[derive(Debug)]
struct Scanned {
    odd: Vec<Diagnostic>,
    found: Vec<Finding>,
}

/// Scans records in parallel, in order, taking unchanged ones from the memo; `select` returns
/// `None` to skip a record, else its Markdown body.
fn scan_all<'a, T: Serialize + Send + Sync + 'a>(
    scanner: &NumberScanner,
    memo: &ScanMemo,
    recs: &'a [Located<T>],
    select: impl Fn(&'a T) -> Option<Option<&'a str>> + Sync,
) -> Vec<Looked<'a>> {
    recs.par_iter().filter_map(|r| select(&r.value).map(|body| scan_one(scanner, memo, r, body))).collect()
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
    strings::each(&tree, &mut |path, s| scan_string(scanner, rec, path, s, &mut out));
    if let Some(body) = body {
        scan_body(scanner, rec, body, &mut out);
    }
    out
}

/// One published string of a record. Its path is formatted, and the file's positions mapped, only
/// for a finding.
fn scan_string(scanner: &NumberScanner, rec: &Located<impl Sized>, path: &KeyPath, s: &str, out: &mut Scanned) {
    if let Some((_, c, msg)) = odd_char(s) {
        let field = path.field();
        let pos = locate_char(&rec.text, rec.positions().value(&field), c);
        out.odd.push(at(&rec.path, pos).error("control-char", &field, msg));
    }
    if placeholders(s).next().is_some() {
        let field = path.field();
        let start = rec.positions().value(&field);
        out.found.push(Finding {
            path: rec.path.clone(),
            pos: locate(&rec.text, start, crate::scaffold::PLACEHOLDER),
            field,
            kind_label: PLACEHOLDER_LABEL,
            masked: String::new(),
        });
    }
    for f in scanner.scan(s) {
        let field = path.field();
        let start = rec.positions().value(&field);
        let needle = &s[f.start..f.start + f.len];
        out.found.push(Finding {
            path: rec.path.clone(),
            pos: locate(&rec.text, start, needle),
            field,
            kind_label: f.kind.label(),
            masked: f.masked,
        });
    }
}

/// A record's Markdown body, which ends its file's text.
fn scan_body(scanner: &NumberScanner, rec: &Located<impl Sized>, body: &str, out: &mut Scanned) {
    let body_start = rec.text.len().saturating_sub(body.len());
    if let Some((i, _, msg)) = odd_char(body) {
        out.odd.push(at(&rec.path, pos_of_offset(&rec.text, body_start + i)).error("control-char", "正文", msg));
    }
    for i in placeholders(body) {
        out.found.push(Finding {
            path: rec.path.clone(),
            pos: pos_of_offset(&rec.text, body_start + i),
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

/// Invisible control characters and bidirectional overrides in public text (the `odd` part of the
/// scan): a control character breaks pages and feeds, an override (U+202E) makes a page read
/// differently from the text that was approved.
/// Embeddings, overrides and isolates (U+202A–U+202E, U+2066–U+2069).
fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

/// The first odd character of `s`: its byte offset, the character and the message. Only the few
/// characters that start like an odd one are decoded (most of `s` is CJK text).
fn odd_char(s: &str) -> Option<(usize, char, String)> {
    let i = chars::find(s.as_bytes(), |b0, b1, b2| chars::control_at(b0, b1, b2) | chars::bidi_at(b0, b1, b2))?;
    let c = chars::char_at(s, i)?;
    let what = if is_bidi_control(c) { "改变文字显示方向的控制字符" } else { "不可见的控制字符" };
    let msg = format!("公开内容中有{what} U+{:04X}，页面会显示出错或与审批的文字不一致；请删除这个字符", c as u32);
    Some((i, c, msg))
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
    fn odd_characters_are_found_by_their_bytes_as_by_their_chars() {
        let odd = |c| crate::load::yaml::is_control(c) || is_bidi_control(c);
        chars::tests::agrees(|b0, b1, b2| chars::control_at(b0, b1, b2) | chars::bidi_at(b0, b1, b2), odd);
        let s = "公示，“内容”……\u{202e}反转";
        assert_eq!(odd_char(s).map(|(i, c, _)| (i, c)), s.char_indices().find(|(_, c)| odd(*c)));
    }

    #[test]
    fn offsets_and_positions_round_trip_with_cjk() {
        let text = "title: 标题\nnote: 电话13812345678\n";
        let p = locate(text, Pos { line: 2, col: 7 }, "13812345678");
        assert_eq!(p, Pos { line: 2, col: 9 });
        assert_eq!(offset_of_pos(text, p), text.find("138").unwrap());
    }

    /// `serve` keeps scans between rebuilds: a change of `allowed_numbers` must still be seen
    /// by the records whose files did not change.
    #[test]
    fn kept_scans_follow_allowed_numbers() {
        let fixture = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/minimal/content");
        let root = tempfile::tempdir().unwrap();
        for entry in walkdir::WalkDir::new(&fixture).into_iter().flatten().filter(|e| e.file_type().is_file()) {
            let to = root.path().join("content").join(entry.path().strip_prefix(&fixture).unwrap());
            std::fs::create_dir_all(to.parent().unwrap()).unwrap();
            std::fs::copy(entry.path(), to).unwrap();
        }
        let site_yaml = root.path().join("content/site.yaml");
        let allowing = std::fs::read_to_string(&site_yaml).unwrap();
        let mut cache = super::super::ValidateCache::keeping();
        let mut numbers_found = |site_yaml_text: &str| {
            std::fs::write(&site_yaml, site_yaml_text).unwrap();
            let (loaded, _) = crate::load::load(root.path()).unwrap();
            let today = crate::model::common::Date::parse("2026-03-31").unwrap();
            let (_, diags) = super::super::validate_cached(loaded, today, Audience::Public, &mut cache);
            diags.iter().filter(|d| d.rule == "personal-number").count()
        };
        assert_eq!(numbers_found(&allowing), 0, "13700000000 is allowed");
        assert_eq!(numbers_found(&allowing.replace("13700000000", "13700000001")), 1);
        assert_eq!(numbers_found(&allowing), 0, "allowed again");
    }
}
