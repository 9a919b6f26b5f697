//! YAML text -> typed values with located errors, and a map from key paths (`entries[2].reply.on`)
//! to source positions so later rules can point at the offending key or value. The only code that
//! calls serde_yaml; never applies content rules.

use crate::diagnostics::{at, Diagnostic, Pos};
use serde::de::DeserializeOwned;
use std::collections::HashMap;
use yaml_rust2::parser::{Event, MarkedEventReceiver, Parser};
use yaml_rust2::scanner::Marker;

/// Where each key path of a document sits in its file.
#[derive(Debug, Clone, Default)]
pub struct Positions {
    keys: HashMap<String, Pos>,
    values: HashMap<String, Pos>,
}

impl Positions {
    /// Position of the key at `path` (or its nearest located ancestor), else the file start.
    pub fn key(&self, path: &str) -> Pos {
        self.lookup(&self.keys, path)
    }

    /// Position of the value at `path` (or its nearest located ancestor), else the file start.
    pub fn value(&self, path: &str) -> Pos {
        self.lookup(&self.values, path)
    }

    /// Position of the key at exactly `path`, if the file has that key.
    pub fn find_key(&self, path: &str) -> Option<Pos> {
        self.keys.get(path).copied()
    }

    /// Position of the value at exactly `path`, if the file has that value.
    pub fn find_value(&self, path: &str) -> Option<Pos> {
        self.values.get(path).copied()
    }

    fn lookup(&self, map: &HashMap<String, Pos>, path: &str) -> Pos {
        let mut p = path;
        loop {
            if let Some(pos) = map.get(p).or_else(|| self.values.get(p)) {
                return *pos;
            }
            match parent_path(p) {
                Some(parent) => p = parent,
                None => return self.values.get("").copied().unwrap_or(Pos::START),
            }
        }
    }
}

fn parent_path(path: &str) -> Option<&str> {
    if path.is_empty() {
        return None;
    }
    let cut = path.rfind(['.', '[']).unwrap_or(0);
    Some(&path[..cut])
}

/// A YAML problem found while parsing or deserializing.
#[derive(Debug, Clone)]
pub struct YamlProblem {
    pub pos: Pos,
    pub rule: &'static str,
    pub field: String,
    pub message: String,
    pub hint: Option<String>,
}

impl YamlProblem {
    pub fn into_diagnostic(self, path: &str) -> Diagnostic {
        let d = at(path, self.pos).error(self.rule, &self.field, self.message);
        match self.hint {
            Some(h) => d.with_hint(h),
            None => d,
        }
    }
}

/// Parses `text` (which starts at file line `line_offset + 1`) into `T`, and maps its key positions.
pub fn parse<T: DeserializeOwned>(text: &str, line_offset: usize) -> Result<(T, Positions), Vec<YamlProblem>> {
    // libyaml stops at the first control character and names only its byte offset.
    let controls = control_chars(text, line_offset);
    if !controls.is_empty() {
        return Err(controls);
    }
    let (positions, mut problems, aliases) = map_positions(text, line_offset);
    // Deeper than serde_yaml will go: stop before libyaml spends quadratic time on it.
    if problems.iter().any(|p| p.rule == "yaml-too-complex") {
        return Err(problems);
    }
    if text.trim().is_empty() {
        problems.push(YamlProblem {
            pos: Pos { line: line_offset + 1, col: 1 },
            rule: "empty-file",
            field: String::new(),
            message: "文件是空的，缺少必填内容".into(),
            hint: None,
        });
        return Err(problems);
    }
    let de = serde_yaml::Deserializer::from_str(text);
    match serde_path_to_error::deserialize::<_, T>(de) {
        Ok(v) if problems.is_empty() => Ok((v, positions)),
        Ok(_) => Err(problems),
        Err(e) => {
            // A duplicate key found by the position walk explains serde's 1:1 error better.
            if !problems.is_empty() {
                return Err(problems);
            }
            let first = describe(&e, text, line_offset, &positions);
            if first.rule == "yaml-syntax" {
                // A full-width colon breaks the YAML on its line or the next; point at the colon.
                let colon = full_width_colon(text, first.pos.line.saturating_sub(line_offset), line_offset);
                return Err(vec![colon.unwrap_or(first)]);
            }
            // Anchors could expand into a huge tree when re-read, so a file using them keeps one error.
            let more = if DATA_RULES.contains(&first.rule) && !aliases {
                super::recover::more_problems::<T>(text, &first, |field, raw| {
                    problem(field, raw, None, text, line_offset, &positions)
                })
            } else {
                Vec::new()
            };
            problems.push(first);
            problems.extend(more);
            Err(problems)
        }
    }
}

/// Rules about the data rather than the syntax: after one of them the rest of the file is still read.
const DATA_RULES: [&str; 5] = ["unknown-key", "missing-key", "wrong-type", "not-in-list", "bad-date"];

/// Characters no YAML document may hold and no page should show: C0 controls but tab and line
/// ends, DEL, C1 controls, and the noncharacters U+FFFE/U+FFFF.
pub fn is_control(c: char) -> bool {
    matches!(c, '\0'..='\u{8}' | '\u{b}' | '\u{c}' | '\u{e}'..='\u{1f}' | '\u{7f}'..='\u{9f}' | '\u{fffe}' | '\u{ffff}')
}

/// The first control character of each line (at most 20 lines: a binary file needs no more).
fn control_chars(text: &str, line_offset: usize) -> Vec<YamlProblem> {
    let found = text.lines().enumerate().filter_map(|(i, line)| {
        let (col, c) = line.chars().enumerate().find(|(_, c)| is_control(*c))?;
        Some(YamlProblem {
            pos: Pos { line: i + 1 + line_offset, col: col + 1 },
            rule: "control-char",
            field: String::new(),
            message: format!("有不可见的控制字符 U+{:04X}，YAML 不允许", c as u32),
            hint: Some("多半是从其他软件复制粘贴带进来的，请删除这个字符后重新输入".into()),
        })
    });
    found.take(20).collect()
}

/// A key followed by a full-width colon on the line of a syntax error (`line`, 1-based within
/// `text`) or on the last line with content before it: the only places such a colon breaks YAML.
fn full_width_colon(text: &str, line: usize, line_offset: usize) -> Option<YamlProblem> {
    let lines: Vec<&str> = text.lines().collect();
    let at = line.max(1).min(lines.len()).checked_sub(1)?;
    let blank = |l: &str| l.trim().is_empty() || l.trim_start().starts_with('#');
    let above = (0..at).rev().find(|&i| !blank(lines[i]));
    let key_like = |s: &str| !s.is_empty() && s.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
    [Some(at), above].into_iter().flatten().find_map(|i| {
        let (before, _) = lines[i].split_once('：')?;
        let key = before.trim_start().trim_start_matches("- ").trim();
        key_like(key).then(|| YamlProblem {
            pos: Pos { line: i + 1 + line_offset, col: before.chars().count() + 1 },
            rule: "yaml-syntax",
            field: String::new(),
            message: format!("键 `{key}` 后面用了中文冒号“：”，YAML 不认"),
            hint: Some(format!("键后面要用英文冒号加空格，例如 `{key}: …`")),
        })
    })
}

fn describe(
    e: &serde_path_to_error::Error<serde_yaml::Error>,
    text: &str,
    line_offset: usize,
    positions: &Positions,
) -> YamlProblem {
    let inner = e.inner();
    let serde_pos = inner.location().map(|loc| Pos { line: loc.line() + line_offset, col: loc.column() });
    problem(&e.path().to_string(), &inner.to_string(), serde_pos, text, line_offset, positions)
}

/// A problem from serde's message `raw` about the value at key path `field`. Data problems are
/// located at the key or value the path names (serde points at the enclosing mapping for some of
/// them, e.g. a bad date); syntax problems where serde stopped.
pub(super) fn problem(
    field: &str,
    raw: &str,
    serde_pos: Option<Pos>,
    text: &str,
    line_offset: usize,
    positions: &Positions,
) -> YamlProblem {
    let field = if field == "." { "" } else { field };
    let (rule, message) = translate(without_path(raw));
    let by_path = match rule {
        "unknown-key" => positions.find_key(field),
        "missing-key" | "wrong-type" | "not-in-list" | "bad-date" => positions.find_value(field),
        _ => None,
    };
    let pos = by_path.or(serde_pos).unwrap_or_else(|| positions.value(field));
    let hint = hint_for(text, pos.line.saturating_sub(line_offset), raw);
    // A syntax error's path is wherever serde happened to be (`items[2].?`): it would mislead.
    let field = if rule == "yaml-syntax" { String::new() } else { field.to_string() };
    YamlProblem { pos, rule, field, message, hint }
}

/// serde_yaml prefixes the key path, which a diagnostic carries as its field.
fn without_path(raw: &str) -> &str {
    match raw.split_once(": ") {
        Some((path, rest)) if !path.contains(' ') && !path.is_empty() => rest,
        _ => raw,
    }
}

/// The rule a serde message breaks, and the message without its key path.
pub(super) fn rule_of(raw: &str) -> (&'static str, &str) {
    let bare = without_path(raw);
    (translate(bare).0, bare)
}

/// serde's English messages, in the editor's language, with a stable rule name.
fn translate(raw: &str) -> (&'static str, String) {
    let msg = raw.split(" at line ").next().unwrap_or(raw).trim();
    let ticks: Vec<&str> = msg.split('`').skip(1).step_by(2).collect();
    if msg.starts_with("unknown field") {
        let valid = ticks.get(1..).map(|v| v.join("、")).unwrap_or_default();
        let known = if valid.is_empty() { String::new() } else { format!("；可用的键：{valid}") };
        return ("unknown-key", format!("未知的键 `{}`{known}", ticks.first().unwrap_or(&"")));
    }
    if msg.starts_with("missing field") {
        return ("missing-key", format!("缺少必填的键 `{}`", ticks.first().unwrap_or(&"")));
    }
    if msg.starts_with("unknown variant") {
        let valid = ticks.get(1..).map(|v| v.join("、")).unwrap_or_default();
        return ("not-in-list", format!("取值 `{}` 不在可选范围内：{valid}", ticks.first().unwrap_or(&"")));
    }
    if msg.starts_with("invalid type") || msg.starts_with("invalid value") || msg.starts_with("invalid length") {
        return ("wrong-type", format!("类型不对：{}", chinese_type_message(msg)));
    }
    if msg.contains("YYYY-MM-DD") {
        return ("bad-date", msg.to_string());
    }
    if msg.contains("duplicate entry") || msg.contains("duplicate key") {
        return ("duplicate-key", format!("重复的键：{msg}"));
    }
    if msg.contains("recursion limit") || msg.contains("repetition limit") {
        return ("yaml-too-complex", "YAML 嵌套过深或别名展开过多，已拒绝读取".to_string());
    }
    if msg.contains("did not match any variant of untagged enum") {
        return ("wrong-type", "类型不对：应为一个名字，或 [{ name: …, from: 日期 }] 形式的任职记录".to_string());
    }
    if raw.contains(" at line ") || msg.contains("while scanning") || msg.contains("while parsing") {
        return ("yaml-syntax", format!("YAML 语法错误：{msg}"));
    }
    ("wrong-type", msg.to_string())
}

fn chinese_type_message(msg: &str) -> String {
    without_type_names(msg)
        .replace("invalid type: ", "")
        .replace("invalid value: ", "")
        .replace("expected", "应为")
        .replace("a sequence", "列表")
        .replace("a map", "键值映射")
        .replace("a string", "文字")
        .replace("string", "文字")
        .replace("integer", "整数")
        .replace("floating point", "小数")
        .replace("a boolean", "true 或 false")
        .replace("boolean", "布尔值")
        .replace("sequence", "列表")
        .replace("map", "键值映射")
        .replace("unit value", "空值")
        .replace("u32", "非负整数")
        .replace("i32", "整数")
        .replace("f64", "数字")
}

/// `struct CommentEntry` names a Rust type; the editor only needs to know a mapping is expected.
fn without_type_names(msg: &str) -> String {
    let mut out = String::new();
    let mut rest = msg;
    while let Some(i) = rest.find("struct ") {
        out.push_str(&rest[..i]);
        out.push_str("a map");
        rest = rest[i + "struct ".len()..].trim_start_matches(|c: char| c.is_ascii_alphanumeric() || c == '_');
    }
    out.push_str(rest);
    out
}

/// Plain-Chinese hints for the mistakes editors make most (ecosystem.md "Traps").
fn hint_for(text: &str, line: usize, raw: &str) -> Option<String> {
    let src = text.lines().nth(line.checked_sub(1)?).unwrap_or("");
    if let Some((key, _)) = src.split_once('：') {
        if !key.contains(':') && !key.trim().is_empty() {
            return Some(format!(
                "这一行用了中文冒号“：”。键后面要用英文冒号加空格，例如 `{}: …`",
                key.trim().trim_start_matches("- ")
            ));
        }
    }
    if src.contains('\t') || raw.contains("tab") {
        return Some("这一行有制表符（Tab）。YAML 只能用空格缩进，请把 Tab 换成空格".into());
    }
    let value = src.split_once(": ").map(|(_, v)| v.trim()).unwrap_or("");
    for q in ['"', '\''] {
        if value.starts_with(q) && value.len() > 1 && !value.ends_with(q) {
            return Some(
                "值以英文引号开头、引号后面还有文字，YAML 不认。请改用中文引号“…”，或把整个值用引号括起来".into(),
            );
        }
    }
    None
}

/// Nesting no content needs and serde_yaml refuses anyway (its recursion limit).
const MAX_DEPTH: usize = 128;

/// Walks the YAML events of the first document once, recording where every key and value starts,
/// and whether the document uses aliases.
fn map_positions(text: &str, line_offset: usize) -> (Positions, Vec<YamlProblem>, bool) {
    let mut walker = Walker { line_offset, ..Walker::default() };
    let mut parser = Parser::new_from_str(text);
    // Events are pulled in a loop: `Parser::load` recurses per level and overflows the stack on a
    // deeply nested file. Syntax errors are reported by serde_yaml, which locates them; here they
    // only stop the walk, except the scanner's own nesting limit (255 brackets).
    loop {
        let (ev, mark) = match parser.next_token() {
            Ok(event) => event,
            Err(e) if e.info().contains("recursion limit") => break walker.too_deep(e.marker()),
            Err(_) => break,
        };
        if matches!(ev, Event::DocumentEnd | Event::StreamEnd) {
            break;
        }
        walker.on_event(ev, mark);
        if walker.stack.len() > MAX_DEPTH {
            break walker.too_deep(&mark);
        }
    }
    (walker.positions, walker.problems, walker.aliases)
}

enum Frame {
    /// A mapping: the path of the mapping and the key waiting for its value (if any).
    Map {
        path: String,
        key: Option<String>,
        seen: Vec<String>,
    },
    Seq {
        path: String,
        next: usize,
    },
}

#[derive(Default)]
struct Walker {
    line_offset: usize,
    stack: Vec<Frame>,
    positions: Positions,
    problems: Vec<YamlProblem>,
    aliases: bool,
}

impl Walker {
    fn pos(&self, m: &Marker) -> Pos {
        Pos { line: m.line() + self.line_offset, col: m.col() + 1 }
    }

    fn too_deep(&mut self, m: &Marker) {
        self.problems.push(YamlProblem {
            pos: self.pos(m),
            rule: "yaml-too-complex",
            field: String::new(),
            message: format!("YAML 嵌套超过 {MAX_DEPTH} 层，已拒绝读取"),
            hint: Some("多半是括号 [ 或 { 没有配对，或缩进层层加深；请检查这一行".into()),
        });
    }

    /// The path a value arriving now belongs to; advances the parent frame.
    fn next_value_path(&mut self) -> Option<String> {
        match self.stack.last_mut() {
            None => Some(String::new()),
            Some(Frame::Seq { path, next }) => {
                let p = format!("{path}[{next}]");
                *next += 1;
                Some(p)
            }
            Some(Frame::Map { path, key, .. }) => key.take().map(|k| join(path, &k)),
        }
    }

    fn value_at(&mut self, pos: Pos) -> Option<String> {
        let path = self.next_value_path()?;
        self.positions.values.entry(path.clone()).or_insert(pos);
        Some(path)
    }

    fn scalar(&mut self, s: String, pos: Pos) {
        if let Some(Frame::Map { path, key: key @ None, seen }) = self.stack.last_mut() {
            // A block mapping's start marker sits after its first key; the key is where it begins.
            if seen.is_empty() {
                let start = self.positions.values.entry(path.clone()).or_insert(pos);
                *start = (*start).min(pos);
            }
            let full = join(path, &s);
            if seen.contains(&s) {
                self.problems.push(YamlProblem {
                    pos,
                    rule: "duplicate-key",
                    field: full.clone(),
                    message: format!("键 `{s}` 在同一层出现了两次"),
                    hint: Some("删除或合并重复的那一行".into()),
                });
            }
            seen.push(s.clone());
            self.positions.keys.entry(full).or_insert(pos);
            *key = Some(s);
            return;
        }
        self.value_at(pos);
    }
}

fn join(path: &str, key: &str) -> String {
    if path.is_empty() {
        key.to_string()
    } else {
        format!("{path}.{key}")
    }
}

impl MarkedEventReceiver for Walker {
    fn on_event(&mut self, ev: Event, mark: Marker) {
        let pos = self.pos(&mark);
        match ev {
            Event::Scalar(s, ..) => self.scalar(s, pos),
            Event::Alias(_) => {
                self.aliases = true;
                // An alias used as a key has no name to record; as a value it just occupies the slot.
                if let Some(Frame::Map { key: key @ None, .. }) = self.stack.last_mut() {
                    *key = Some("*".into());
                } else {
                    self.value_at(pos);
                }
            }
            Event::MappingStart(..) => {
                let path = self.value_at(pos).unwrap_or_default();
                self.stack.push(Frame::Map { path, key: None, seen: Vec::new() });
            }
            Event::SequenceStart(..) => {
                let path = self.value_at(pos).unwrap_or_default();
                self.stack.push(Frame::Seq { path, next: 0 });
            }
            Event::MappingEnd | Event::SequenceEnd => {
                self.stack.pop();
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    #[derive(Deserialize, Debug)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Doc {
        title: String,
        entries: Vec<Entry>,
    }
    #[derive(Deserialize, Debug)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Entry {
        id: String,
        n: u32,
    }

    #[test]
    fn positions_of_nested_keys_and_values() {
        let text = "title: x\nentries:\n  - id: a\n    n: 1\n  - id: b\n    n: 2\n";
        let (_, p) = parse::<Doc>(text, 1).unwrap();
        assert_eq!(p.key("entries[1].n"), Pos { line: 7, col: 5 });
        assert_eq!(p.value("entries[1].n"), Pos { line: 7, col: 8 });
        assert_eq!(p.value("entries[0]"), Pos { line: 4, col: 5 });
        // An unknown path falls back to its nearest ancestor.
        assert_eq!(p.value("entries[1].zzz"), Pos { line: 6, col: 5 });
    }

    #[test]
    fn unknown_key_is_located_and_lists_valid_keys() {
        let text = "title: x\nentries:\n  - id: a\n    nn: 1\n";
        let errs = parse::<Doc>(text, 0).unwrap_err();
        assert_eq!(errs[0].rule, "unknown-key");
        assert_eq!(errs[0].pos.line, 4);
        assert!(errs[0].message.contains("`nn`"), "{}", errs[0].message);
        assert!(errs[0].message.contains("id、n"), "{}", errs[0].message);
        // `nn` was meant to be `n`, which is therefore missing too.
        assert_eq!(errs.len(), 2, "{errs:?}");
        assert_eq!((errs[1].rule, errs[1].pos), ("missing-key", Pos { line: 3, col: 5 }));
    }

    #[test]
    fn every_data_error_of_a_file_is_reported() {
        let text = "title: x\nentrys: []\nentries:\n  - id: a\n    n: many\n  - id: b\n    n: 2\n    m: 3\n";
        let errs = parse::<Doc>(text, 0).unwrap_err();
        let found: Vec<(&str, usize, &str)> = errs.iter().map(|e| (e.rule, e.pos.line, e.field.as_str())).collect();
        assert_eq!(
            found,
            vec![("unknown-key", 2, "entrys"), ("wrong-type", 5, "entries[0].n"), ("unknown-key", 8, "entries[1].m")]
        );
    }

    #[test]
    fn placeholders_never_report_problems_of_their_own() {
        // `n` is required: the placeholder put in for `many` must not be reported as well.
        let errs = parse::<Doc>("title: x\nentries:\n  - id: a\n    n: many\n", 0).unwrap_err();
        assert_eq!(errs.len(), 1, "{errs:?}");
    }

    #[test]
    fn a_full_width_colon_is_located_at_the_colon() {
        let errs = parse::<Doc>("entries: []\ntitle： x\nother: 1\n", 0).unwrap_err();
        assert_eq!(errs.len(), 1, "{errs:?}");
        assert_eq!((errs[0].rule, errs[0].pos), ("yaml-syntax", Pos { line: 2, col: 6 }));
        assert!(errs[0].message.contains("中文冒号"), "{errs:?}");
    }

    #[test]
    fn a_full_width_colon_in_text_is_not_blamed_for_a_later_syntax_error() {
        let errs = parse::<Doc>("title: |\n  备注 note： x\n  note： y\nentries: []\nx: [\n\n", 0).unwrap_err();
        assert_eq!(errs.len(), 1, "{errs:?}");
        assert!(!errs[0].message.contains("中文冒号"), "{errs:?}");
        // Blank and comment lines between the colon and the next key do not hide it.
        let errs = parse::<Doc>("entries: []\ntitle： x\n\n# 注释\nother: 1\n", 0).unwrap_err();
        assert_eq!(errs[0].pos, Pos { line: 2, col: 6 }, "{errs:?}");
    }

    #[test]
    fn two_keys_missing_from_one_mapping_are_both_reported() {
        let errs = parse::<Doc>("title: x\nentries:\n  - {}\n", 0).unwrap_err();
        let msgs: Vec<&str> = errs.iter().map(|e| e.message.as_str()).collect();
        assert_eq!(msgs, vec!["缺少必填的键 `id`", "缺少必填的键 `n`"]);
    }

    #[test]
    fn control_characters_are_located() {
        let errs = parse::<Doc>("title: a\u{0}b\nentries: []\n", 3).unwrap_err();
        assert_eq!((errs[0].rule, errs[0].pos), ("control-char", Pos { line: 4, col: 9 }));
    }

    #[test]
    fn a_bad_value_is_located_at_the_value_not_its_mapping() {
        #[derive(Deserialize, Debug)]
        #[allow(dead_code)]
        struct Dated {
            on: crate::model::common::Date,
        }
        let errs = parse::<Dated>("\non: 2025-3-6\n", 0).unwrap_err();
        assert_eq!((errs[0].rule, errs[0].pos), ("bad-date", Pos { line: 2, col: 5 }));
    }

    #[test]
    fn full_width_colon_gets_a_hint() {
        let errs = parse::<Doc>("title： x\nentries: []\n", 0).unwrap_err();
        assert!(errs[0].hint.as_deref().unwrap_or("").contains("中文冒号"), "{errs:?}");
    }

    #[test]
    fn quote_then_text_gets_a_hint() {
        let errs = parse::<Doc>("title: \"三会一课\"台账\nentries: []\n", 0).unwrap_err();
        assert_eq!(errs[0].rule, "yaml-syntax");
        assert_eq!(errs[0].pos.line, 1);
        assert!(errs[0].hint.as_deref().unwrap_or("").contains("中文引号"), "{errs:?}");
    }

    #[test]
    fn duplicate_keys_are_located_on_the_second_one() {
        let errs = parse::<Doc>("title: a\nentries: []\ntitle: b\n", 0).unwrap_err();
        assert_eq!(errs[0].rule, "duplicate-key");
        assert_eq!(errs[0].pos, Pos { line: 3, col: 1 });
    }

    #[test]
    fn wrong_type_names_the_field() {
        let errs = parse::<Doc>("title: a\nentries:\n  - id: a\n    n: many\n", 0).unwrap_err();
        assert_eq!(errs[0].rule, "wrong-type");
        assert_eq!(errs[0].field, "entries[0].n");
        assert_eq!(errs[0].pos.line, 4);
    }
}
