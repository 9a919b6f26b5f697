//! Tests of the fast read: what it reads equals serde_yaml's reading, and what it is unsure of it
//! leaves alone.

use super::super::yaml::fast;
use super::super::{classify, normalise, split_front_matter, FileKind};
use super::parse;
use crate::config::Config;
use crate::model::calendar::CalendarYear;
use crate::model::org::Org;
use crate::model::records::{Comments, Disclosure, Page, Rectifications, Report, Targets};
use proptest::prelude::*;
use serde::de::DeserializeOwned;
use std::fmt::Debug;
use std::path::Path;

type Generic = serde_json::Value;

/// Whether the fast read of `text` as `T` (if any) equals serde_yaml's; `Ok(true)` when it read.
fn agrees<T: DeserializeOwned + Debug>(text: &str) -> Result<bool, String> {
    let Some(fast) = fast::<T>(text) else { return Ok(false) };
    match serde_yaml::from_str::<T>(text) {
        Ok(slow) if format!("{fast:?}") == format!("{slow:?}") => Ok(true),
        Ok(slow) => Err(format!("differs for {text:?}:\nfast {fast:?}\nslow {slow:?}")),
        Err(e) => Err(format!("fast read what serde_yaml refuses ({e}): {text:?}\n{fast:?}")),
    }
}

fn assert_agrees<T: DeserializeOwned + Debug>(text: &str) -> bool {
    agrees::<T>(text).unwrap_or_else(|e| panic!("{e}"))
}

const COMMENTS: &str = "org: cun-00233\nyear: 2025\nentries:\n  - id: 2025-001\n    received_on: 2025-01-03\n    channel: 来信\n    commenter: { name: 徐明华, consent: false }\n    topic: 办事服务\n    text: 按照有关规定按时足额收缴党费，党费收缴、使用和管理情况每半年公开一次。\n    rating: 基本满意\n    status: 已办结\n    acknowledged_on: 2025-01-05\n    reply: { on: 2025-01-21, by: 梅岭三村党支部, text: 已按群众意见办理，并当面反馈。 }\n    closed_on: 2025-01-24\n    followup: 满意\n";

const TARGETS: &str = "org: cun-00233\nyear: 2025\ntitle: 梅岭三村党支部2025年度基层党建工作目标公开承诺\npublished_on: 2025-03-06\nperiod: { from: 2025-03-06, to: 2025-03-27 }\nresponsibility_letter: { with: zhen-009, signatory: 党组织书记, signed_on: 2025-02-28 }\nitems:\n  - id: t1\n    task: 理论武装工程\n    target: { text: 年内完成不少于2 次, value: 2, unit: 次, compare: \">=\" }\n    measures: [制定工作计划, 明确责任分工]\n    deadline: 2025-12-31\n    progress:\n      - { as_of: 2025-06-30, status: 推进中, value: 1.5, note: 按计划推进 }\n    final: { status: 已完成, completed_on: 2025-09-10 }\n";

const ORGS: &str = "# 注释\n- id: xian\n  name: 中共清溪县委员会\n  kind: county\n  secretary: 赵某某\n  phone: \"0000-6100001\"\n  valid_from: 2001-01-01\n- id: 2001\n  name: 'it''s'\n  kind: township\n  parent: xian\n  secretary:\n  - name: 甲\n    from: 2020-01-01\n  - { name: 乙 }\n";

#[test]
fn the_content_subset_reads_as_serde_yaml_reads_it() {
    assert!(assert_agrees::<Comments>(COMMENTS));
    assert!(assert_agrees::<Generic>(COMMENTS));
    assert!(assert_agrees::<Targets>(TARGETS));
    assert!(assert_agrees::<Generic>(TARGETS));
    assert!(assert_agrees::<Vec<Org>>(ORGS));
    assert!(assert_agrees::<Generic>(ORGS));
}

#[test]
fn scalars_resolve_as_serde_yaml_resolves_them() {
    for v in [
        "",
        "~",
        "null",
        "true",
        "false",
        "0",
        "7",
        "-7",
        "123456789012345678",
        "1.5",
        "-0.25",
        "2025-03-06",
        "2025-001",
        "2025-hx-001",
        "1st",
        "3e5x",
        "t1",
        "cun-00233",
        "3次",
        "“引号”",
        "a#b",
        "x # 注释",
        "http://x.cn/a",
        "'q'",
        "'it''s'",
        "\"d\"",
        "\"\"",
        "''",
        "[]",
        "{}",
        "[a, 1, 2.5, ~, true]",
        "{ a: 1, b: [x, y], c: { d: e } }",
        "a  b",
        "关于[2025]号,其一",
        "yes",
        "no",
        "on",
        "off",
        "y",
        "10:30",
    ] {
        let text = format!("k: {v}\nn:\n  - {v}\n");
        assert!(assert_agrees::<Generic>(&text), "not read: {text:?}");
        assert!(
            assert_agrees::<std::collections::BTreeMap<String, Option<String>>>(&format!("k: {v}\n"))
                || v.starts_with(['[', '{'])
        );
    }
}

#[test]
fn empty_values_and_same_column_sequences() {
    for text in ["a:\nb: 1\n", "a:\n- x\n- y\nb: 2\n", "- \n- a\n", "a:\n  -\n    b: 1\n  - - x\n    - y\n"] {
        assert!(assert_agrees::<Generic>(text), "not read: {text:?}");
    }
}

#[test]
fn what_it_is_unsure_of_goes_to_serde_yaml() {
    for text in [
        "a: &x 1\nb: *x\n",
        "a: !tag 1\n",
        "a: |\n  text\n",
        "a: >\n  text\n",
        "a: 0x1F\n",
        "a: 0o17\n",
        "a: .inf\n",
        "a: 1e3\n",
        "a: +1\n",
        "a: 1_000\n",
        "a: 007\n",
        "a: 3e5\n",
        "a: 0b12x\n",
        "a: 12345678901234567890\n",
        "a: -x\n",
        "a: True\n",
        "a: NULL\n",
        "a: nan\n",
        "a: Infinity\n",
        "a: -inf\n",
        "a: first\n  second\n",
        "a: \"multi\n  line\"\n",
        "a: \"esc\\n\"\n",
        "a:\tb\n",
        "a: 1\na: 2\n",
        "a: { x: 1, x: 2 }\n",
        "title：标题\n",
        "标题：x: 1\n",
        "a: b\u{1}\n",
        "a: b\u{85}\n",
        "a: b\u{2028}c\n",
        "a: b\u{feff}\n",
        "a: b\r\n",
        "a: b\u{ffff}\n",
        "---\na: 1\n",
        "a: 1\n---\nb: 2\n",
        "  a: 1\n",
        "a:\n    b: 1\n  c: 2\n",
        "a: [1, 2\n",
        "a: [1, 2,]\n",
        "a: [1,, 2]\n",
        "a: { b }\n",
        "a: {\"b\": 1}\n",
        "\"a\": 1\n",
        "1: x\n",
        "true: x\n",
        "? a\n: b\n",
        "a: b: c\n",
        "a: b:\n",
        "a: - b\n",
        "a: \"x\"y\n",
        "a: [x]#c\n",
        "a: \"x\"#c\n",
        "a: `x`\n",
        "a: @x\n",
        "a: %x\n",
        "just text\n",
        "",
        "# only a comment\n",
    ] {
        assert!(fast::<Generic>(text).is_none(), "read, but should not be: {text:?}");
    }
    // libyaml refuses an implicit key over 1024 characters; long keys are left to it.
    let long = "k".repeat(300);
    assert!(fast::<Generic>(&format!("{long}: x\n")).is_none());
    assert!(fast::<Generic>(&format!("a: {{ {long}: 1 }}\n")).is_none());
}

#[test]
fn types_decide_like_serde_yaml() {
    #[derive(serde::Deserialize, Debug)]
    #[allow(dead_code)]
    struct Typed {
        n: Option<u32>,
        s: Option<String>,
        f: Option<f64>,
        b: Option<bool>,
        v: Vec<String>,
    }
    // Accepted the same way (numbers as text, empty list, quoted text in an option).
    assert!(assert_agrees::<Typed>("n: 3\ns: 42\nf: 2\nb: true\nv:\n"));
    assert!(assert_agrees::<Typed>("n:\ns: ''\nf: 1.25\nb: ~\nv: [1, x]\n"));
    // Refused by serde_yaml, so not read here either.
    for text in
        ["n: -1\nv: []\n", "n: x\nv: []\n", "n: \"3\"\nv: []\n", "b: 'true'\nv: []\n", "v: ~\n", "f: x\nv: []\n"]
    {
        assert!(serde_yaml::from_str::<Typed>(text).is_err(), "{text}");
        assert!(fast::<Typed>(text).is_none(), "{text}");
    }
    // A unit enum from a scalar; a mapping is refused.
    assert!(assert_agrees::<Comments>(COMMENTS));
    let bad = COMMENTS.replace("status: 已办结", "status: { a: 1 }");
    assert!(fast::<Comments>(&bad).is_none());
}

#[test]
fn the_tree_of_a_small_document() {
    use super::{Kind, Node};
    let Some(Node::Map(entries)) = parse("a: x # c\nb: [1, 'y']\n") else { panic!() };
    assert_eq!(entries[0].0, "a");
    assert!(matches!(&entries[0].1, Node::Scalar(s) if s.text == "x" && s.kind == Kind::Str));
    assert!(matches!(&entries[1].1, Node::Seq(items) if items.len() == 2));
}

/// Every YAML file and front matter under `dir`, read as the type its path names.
fn check_tree(dir: &Path, content: &Path, read: &mut usize, total: &mut usize) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            check_tree(&path, content, read, total);
            continue;
        }
        let Ok(rel) = path.strip_prefix(content) else { continue };
        let parts: Vec<String> = rel.iter().map(|p| p.to_string_lossy().into_owned()).collect();
        let parts: Vec<&str> = parts.iter().map(String::as_str).collect();
        let Ok(bytes) = std::fs::read(&path) else { continue };
        let Ok(text) = String::from_utf8(bytes) else { continue };
        let text = normalise(text);
        let front = |t: &str| split_front_matter(t).map(|(f, _, _)| f.to_string());
        let outcome = match classify(&parts) {
            FileKind::Site => agrees::<Config>(&text),
            FileKind::Orgs => agrees::<Vec<Org>>(&text),
            FileKind::Calendar => agrees::<CalendarYear>(&text),
            FileKind::Targets { .. } => agrees::<Targets>(&text),
            FileKind::Rectifications { .. } => agrees::<Rectifications>(&text),
            FileKind::Comments { .. } => agrees::<Comments>(&text),
            FileKind::Report { .. } => front(&text).map_or(Ok(false), |f| agrees::<Report>(&f)),
            FileKind::Disclosure { .. } => front(&text).map_or(Ok(false), |f| agrees::<Disclosure>(&f)),
            FileKind::Page { .. } => front(&text).map_or(Ok(false), |f| agrees::<Page>(&f)),
            _ => continue,
        };
        *total += 1;
        match outcome {
            Ok(r) => {
                if !r && std::env::var_os("GONGSHI_PLAIN_VERBOSE").is_some() {
                    eprintln!("not read: {}", path.display());
                }
                *read += usize::from(r)
            }
            Err(e) => panic!("{}: {e}", path.display()),
        }
        // The generic reading must agree too, whatever the record type says.
        let generic = if text.starts_with("---") { front(&text).unwrap_or_default() } else { text.clone() };
        if let Err(e) = agrees::<Generic>(&generic) {
            panic!("{} (generic): {e}", path.display());
        }
    }
}

#[test]
fn every_shipped_and_fixture_file_reads_alike() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let (mut read, mut total) = (0, 0);
    let content = root.join("content");
    check_tree(&content, &content, &mut read, &mut total);
    let (shipped_read, shipped_total) = (read, total);
    for set in ["tests/fixtures/invalid", "tests/fixtures/minimal", "tests/fixtures"] {
        let Ok(cases) = std::fs::read_dir(root.join(set)) else { continue };
        for case in cases.flatten() {
            for sub in ["content", "site/content"] {
                let content = case.path().join(sub);
                check_tree(&content, &content, &mut read, &mut total);
            }
        }
    }
    eprintln!("fast path: {shipped_read}/{shipped_total} shipped files, {read}/{total} with fixtures");
    // Most shipped files are in the subset: a regression here means the fast path stopped working.
    assert!(shipped_total > 10 && shipped_read * 2 > shipped_total, "{shipped_read}/{shipped_total} shipped");
    assert!(total > shipped_total, "no fixtures found");
}

/// A line of a generated document: a key, a value near the subset, an optional list entry.
fn line() -> impl Strategy<Value = String> {
    let key = prop_oneof![
        Just("id".to_string()),
        Just("on".to_string()),
        Just("text".to_string()),
        Just("value".to_string()),
        Just("status".to_string()),
        "[a-z_]{1,6}",
        "[一-龥]{1,2}",
    ];
    (0usize..4, prop::bool::weighted(0.3), key, prop::bool::weighted(0.9), value()).prop_map(
        |(indent, dash, key, colon, value)| {
            let pad = " ".repeat(indent * 2);
            let dash = if dash { "- " } else { "" };
            let colon = if colon { ":" } else { "：" };
            let sep = if value.is_empty() { "" } else { " " };
            format!("{pad}{dash}{key}{colon}{sep}{value}")
        },
    )
}

/// A scalar or flow value, mostly in the subset, some just outside it.
fn value() -> impl Strategy<Value = String> {
    prop_oneof![
        Just(String::new()),
        "[0-9]{1,4}",
        "-?[0-9]{1,3}\\.[0-9]{1,3}",
        "[0-9]{4}-[0-9]{2}-[0-9]{2}",
        "[a-z]{1,4}-?[0-9]{0,3}",
        "[一-龥，。“”]{1,6}",
        "(true|false|True|null|~|yes|on|nan|inf|\\.inf|0x1F|0o7|1e3|\\+1|007|-0)",
        "'[a-z' ]{0,4}'",
        "\"[a-z: #]{0,4}\"",
        "\\[([a-z0-9]{1,3}(, ?)?){0,3}\\]",
        "\\{ ?([a-z]{1,2}: [a-z0-9一-龥]{1,3}(, )?){0,3}\\}",
        "(&a x|\\*a|!t x|\\||>|x #c|x#c|a: b|- x|`x|@x|：)",
    ]
}

/// A document tree, rendered as block YAML by [`render`].
#[derive(Debug, Clone)]
enum Tree {
    Leaf(String),
    Map(Vec<(String, Tree)>),
    Seq(Vec<Tree>),
}

fn key() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("id".to_string()),
        Just("on".to_string()),
        Just("text".to_string()),
        Just("status".to_string()),
        "[a-z_]{1,6}",
        "[一-龥]{1,2}",
        "(1|true|null|\"q\"|a：|a b|-a|a#)",
    ]
}

fn tree() -> impl Strategy<Value = Tree> {
    let leaf = value().prop_map(Tree::Leaf);
    leaf.prop_recursive(4, 24, 4, |inner| {
        prop_oneof![
            prop::collection::vec((key(), inner.clone()), 1..5).prop_map(Tree::Map),
            prop::collection::vec(inner, 1..4).prop_map(Tree::Seq),
        ]
    })
}

/// Block YAML for `tree` at `indent`; a sequence's mapping or sequence items start on the dash line.
fn render(tree: &Tree, indent: usize, out: &mut String) {
    let pad = " ".repeat(indent);
    match tree {
        Tree::Leaf(v) => {
            out.push_str(&format!("{pad}{v}\n"));
        }
        Tree::Map(entries) => {
            for (k, v) in entries {
                match v {
                    Tree::Leaf(s) if s.is_empty() => out.push_str(&format!("{pad}{k}:\n")),
                    Tree::Leaf(s) => out.push_str(&format!("{pad}{k}: {s}\n")),
                    _ => {
                        out.push_str(&format!("{pad}{k}:\n"));
                        render(v, indent + 2, out);
                    }
                }
            }
        }
        Tree::Seq(items) => {
            for item in items {
                let mut child = String::new();
                render(item, indent + 2, &mut child);
                out.push_str(&pad);
                out.push('-');
                out.push_str(if child.trim().is_empty() { "\n" } else { " " });
                out.push_str(child.get(indent + 2..).unwrap_or(""));
            }
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 2048, ..ProptestConfig::default() })]

    #[test]
    fn generated_documents_read_alike(lines in prop::collection::vec(line(), 1..14)) {
        let text = lines.join("\n") + "\n";
        agrees::<Generic>(&text).map_err(TestCaseError::fail)?;
        agrees::<std::collections::BTreeMap<String, Option<crate::model::common::Scalar>>>(&text).map_err(TestCaseError::fail)?;
        agrees::<Comments>(&text).map_err(TestCaseError::fail)?;
        agrees::<Targets>(&text).map_err(TestCaseError::fail)?;
        agrees::<Vec<Org>>(&text).map_err(TestCaseError::fail)?;
    }

    #[test]
    fn generated_trees_read_alike(tree in tree()) {
        let mut text = String::new();
        render(&tree, 0, &mut text);
        agrees::<Generic>(&text).map_err(TestCaseError::fail)?;
        agrees::<std::collections::BTreeMap<String, Generic>>(&text).map_err(TestCaseError::fail)?;
        agrees::<std::collections::BTreeMap<String, Option<crate::model::common::Scalar>>>(&text).map_err(TestCaseError::fail)?;
        agrees::<Vec<Option<String>>>(&text).map_err(TestCaseError::fail)?;
        agrees::<Vec<Org>>(&text).map_err(TestCaseError::fail)?;
        agrees::<Comments>(&text).map_err(TestCaseError::fail)?;
    }

    #[test]
    fn mutated_content_reads_alike(doc in 0usize..3, at in 0usize..2000, cut in 0usize..4, insert in "(| |  |:|: |-|- |#| #|'|\"|,|\\[|\\]|\\{|\\}|\n|\n  |x|1|：)") {
        let doc = [COMMENTS, TARGETS, ORGS][doc];
        let chars: Vec<char> = doc.chars().collect();
        let at = at % chars.len();
        let end = (at + cut).min(chars.len());
        let text: String = chars[..at].iter().chain(insert.chars().collect::<Vec<_>>().iter()).chain(chars[end..].iter()).collect();
        agrees::<Generic>(&text).map_err(TestCaseError::fail)?;
        agrees::<Comments>(&text).map_err(TestCaseError::fail)?;
        agrees::<Targets>(&text).map_err(TestCaseError::fail)?;
        agrees::<Vec<Org>>(&text).map_err(TestCaseError::fail)?;
    }
}

/// The generated documents are not all refused: the property above compares real readings.
#[test]
fn generated_documents_often_take_the_fast_path() {
    use proptest::strategy::ValueTree;
    use proptest::test_runner::TestRunner;
    let mut runner = TestRunner::deterministic();
    let trees = tree();
    let (mut read, mut read_typed) = (0, 0);
    for _ in 0..1000 {
        let mut text = String::new();
        render(&trees.new_tree(&mut runner).unwrap().current(), 0, &mut text);
        read += usize::from(fast::<Generic>(&text).is_some());
        read_typed += usize::from(fast::<std::collections::BTreeMap<String, Option<String>>>(&text).is_some());
    }
    eprintln!("generated: {read}/1000 read generically, {read_typed}/1000 as a map of text");
    assert!(read > 100 && read_typed > 20, "{read} {read_typed}");
}

#[test]
fn refused_characters_are_found_by_their_bytes() {
    use crate::load::yaml::is_control;
    let refused = |c: char| is_control(c) || matches!(c, '\t' | '\r' | '\u{feff}' | '\u{2028}' | '\u{2029}');
    crate::load::chars::tests::agrees(super::refused_at, refused);
}

#[test]
fn a_huge_mapping_is_read_in_linear_time() {
    let text: String = (0..60_000).map(|i| format!("k{i}: {i}\n")).collect();
    let start = std::time::Instant::now();
    assert!(assert_agrees::<std::collections::BTreeMap<String, u32>>(&text));
    let twice = format!("{text}k7: 1\n");
    assert!(fast::<std::collections::BTreeMap<String, u32>>(&twice).is_none());
    let flow = format!("a: {{ {} }}\n", (0..20_000).map(|i| format!("k{i}: 1")).collect::<Vec<_>>().join(", "));
    assert!(assert_agrees::<Generic>(&flow));
    assert!(start.elapsed() < std::time::Duration::from_secs(20), "{:?}", start.elapsed());
}
