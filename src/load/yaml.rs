//! YAML text -> typed values with located errors, each with a plain-Chinese message and, for the
//! common mistakes, a hint. The only code that calls serde_yaml; never applies content rules.
//!
//! A document is read once, by serde_yaml through [`super::guard`]; only a document with a problem
//! (or one the guard doubts) is read again the slow way, with the positions walk of
//! [`super::positions`] first, which locates every problem.

use super::positions::{map_positions, Positions, MAX_DEPTH};
use crate::diagnostics::{at, Diagnostic, Pos};
use serde::de::DeserializeOwned;

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

/// Parses `text` (which starts at file line `line_offset + 1`) into `T`, every problem located.
pub fn parse<T: DeserializeOwned>(text: &str, line_offset: usize) -> Result<T, Vec<YamlProblem>> {
    if let Some(value) = fast(text) {
        return Ok(value);
    }
    match quick(text) {
        Some(value) => Ok(value),
        None => parse_located(text, line_offset),
    }
}

/// The read of plain content YAML without libyaml ([`super::plain`]): `None` for anything outside
/// its subset or that does not deserialize, which serde_yaml then reads. Public for the differential
/// fuzz target (tests/fuzz), which holds it to serde_yaml.
pub fn fast<T: DeserializeOwned>(text: &str) -> Option<T> {
    super::plain_de::deserialize(&super::plain::parse(text)?)
}

/// The one-pass read of a document that holds nothing only the positions walk finds (checked by
/// [`super::guard`]): `None` sends it to [`parse_located`], which reads it again and decides.
fn quick<T: DeserializeOwned>(text: &str) -> Option<T> {
    // A control character, an empty file and deep flow nesting (libyaml's time grows with the
    // depth times the tokens; the walk refuses it early) go the slow way.
    if has_control(text) || text.trim().is_empty() || flow_openers(text) > MAX_DEPTH {
        return None;
    }
    super::guard::deserialize(serde_yaml::Deserializer::from_str(text))
}

/// How many `[` and `{` the text has: more than the flow nesting it can hold.
fn flow_openers(text: &str) -> usize {
    text.bytes().filter(|&b| b == b'[' || b == b'{').count()
}

/// Whether `text` holds a character [`control_chars`] reports.
fn has_control(text: &str) -> bool {
    super::chars::find(text.as_bytes(), super::chars::control_at).is_some()
}

/// [`parse`] the slow way: the positions walk first, then serde_yaml, every problem located.
fn parse_located<T: DeserializeOwned>(text: &str, line_offset: usize) -> Result<T, Vec<YamlProblem>> {
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
        Ok(v) if problems.is_empty() => Ok(v),
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
        use crate::load::positions::positions;
        let text = "title: x\nentries:\n  - id: a\n    n: 1\n  - id: b\n    n: 2\n";
        assert!(parse::<Doc>(text, 1).is_ok());
        let p = positions(text, 1);
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

#[cfg(test)]
mod one_pass {
    //! Whenever the one-pass read gives a value, the slow read (positions walk first) gives the
    //! same one: the guard's doubts cover everything only the walk reports.
    use super::{parse_located, quick};
    use crate::model::records::{Comments, Report};
    use proptest::prelude::*;
    use serde::de::DeserializeOwned;

    const REPORT: &str = "org: cun-b\nyear: 2024\ntitle: 述职报告\npublished_on: 2025-01-20\nperiod: { from: 2025-01-20, to: 2025-01-28 }\napproval: { proposed_by: 村党支部, reviewed_by: 镇党建办, approved_by: 东镇党委, approved_on: 2025-01-20 }\nreporter: { name: 某某某, post: 党支部书记 }\nmeeting: { date: 2025-01-20, host: zhen, form: 现场述职, participants: 50 }\nevaluation:\n  ballots_issued: 50\n  votes:\n    满意: 20\n    基本满意: 10\n    不满意: 20\n  grade: 较好\n  graded_by: zhen\n  graded_on: 2025-01-20\nsuperior_remarks: [台账不规范。]\nrectifications: []\n";
    const COMMENTS: &str = "org: hexing\nyear: 2025\nentries:\n  - id: c1\n    received_on: 2025-03-02\n    channel: 意见箱\n    commenter: { name: 李明, contact: \"13800001234\" }\n    text: 村党群服务中心周六无人值班。\n    status: 已办结\n    reply: { on: 2025-03-12, by: 河兴村党支部, text: 已实行周六轮值。 }\n  - id: c2\n    received_on: 2025-03-05\n    text: 路灯坏了。\n    status: 已受理\n";

    fn agrees<T: DeserializeOwned + std::fmt::Debug>(text: &str) -> Result<(), TestCaseError> {
        if let Some(fast) = quick::<T>(text) {
            let slow = parse_located::<T>(text, 0);
            prop_assert!(slow.is_ok(), "read in one pass but not the slow way: {text:?}\n{slow:?}");
            prop_assert_eq!(format!("{fast:?}"), format!("{:?}", slow.unwrap()));
        }
        Ok(())
    }

    /// `doc` with line `from` copied before line `to`, then `extra` as a line before line `at`.
    fn mutated(doc: &str, from: usize, to: usize, extra: &str, at: usize) -> String {
        let mut lines: Vec<&str> = doc.lines().collect();
        let copy = lines[from % lines.len()];
        lines.insert(to % (lines.len() + 1), copy);
        if !extra.is_empty() {
            lines.insert(at % (lines.len() + 1), extra);
        }
        lines.join("\n") + "\n"
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

        #[test]
        fn copied_lines_and_extra_keys_read_alike(
            from in 0usize..40,
            to in 0usize..40,
            at in 0usize..40,
            extra in "( {0,6}(- )?(满意|不满意|id|text|org|votes|\"满意\"|'id'|[a-z]{1,3}): ?(\\{ ?[a-z]{1,2}: 1, ?[a-z]{1,2}: 2 ?\\}|[0-9]{1,2}|[一-龥]{1,3}|&a x|\\*a)?)?",
        ) {
            for doc in [REPORT, COMMENTS] {
                let text = mutated(doc, from, to, &extra, at);
                agrees::<Report>(&text)?;
                agrees::<Comments>(&text)?;
            }
        }

        #[test]
        fn yaml_like_text_reads_alike(text in "([a-z_]{1,8}(:|：)[ \\t]?(\\[|\\{|\"|'|-|[0-9]{1,4}|[一-龥]{1,4}|\\*a|&a)?\\n( {0,4}- )?){0,30}") {
            agrees::<Report>(&text)?;
            agrees::<Comments>(&text)?;
        }
    }

    #[test]
    fn the_seed_documents_read_in_one_pass() {
        assert!(quick::<Report>(REPORT).is_some());
        assert!(quick::<Comments>(COMMENTS).is_some());
        // A vote counted twice is a doubt: the slow read reports the duplicate key.
        let twice = REPORT.replace("    不满意: 20\n", "    不满意: 20\n    满意: 1\n");
        assert!(quick::<Report>(&twice).is_none());
        assert_eq!(parse_located::<Report>(&twice, 0).unwrap_err()[0].rule, "duplicate-key");
    }
}
