//! Reads on after serde's first data error in a file, so that every unknown key, missing key, wrong
//! type, value not in its list and bad date of the file is reported in one run (rules.md). The
//! document is re-read as a plain YAML tree; each problem is got past (an unknown key removed, a
//! missing or bad value replaced by a placeholder) and the tree deserialized again. Placeholders
//! never produce problems of their own: nothing at or below a patched path is reported.

use super::yaml::{rule_of, YamlProblem};
use serde::de::DeserializeOwned;
use serde_yaml::Value;

/// Repair rounds per file: far more than a real file needs.
const MAX_ROUNDS: usize = 64;
/// Bytes re-read per file at most, so that a huge broken file costs a fraction of a second.
const MAX_WORK_BYTES: usize = 8 * 1024 * 1024;

/// Values tried in turn where a placeholder does not fit: one of them satisfies any field type.
fn placeholder(tries: usize) -> Option<Value> {
    match tries {
        0 => Some(Value::Null),
        // Reads as text, as an id and as a date alike.
        1 => Some(Value::String("2000-01-01".into())),
        2 => Some(Value::Number(0.into())),
        3 => Some(Value::Bool(false)),
        4 => Some(Value::Sequence(Vec::new())),
        5 => Some(Value::Mapping(Default::default())),
        _ => None,
    }
}

/// The problems after `first`, which is reported already, each made by
/// `problem(field, serde_message)`.
pub fn more_problems<T: DeserializeOwned>(
    text: &str,
    first: &YamlProblem,
    problem: impl Fn(&str, &str) -> YamlProblem,
) -> Vec<YamlProblem> {
    let Ok(mut tree) = serde_yaml::from_str::<Value>(text) else {
        return Vec::new();
    };
    let same = |a: &YamlProblem, b: &YamlProblem| (a.rule, &a.field, &a.message) == (b.rule, &b.field, &b.message);
    // Paths holding a placeholder, with how many placeholders were tried there.
    let mut patched: Vec<(String, usize)> = Vec::new();
    let mut out = Vec::new();
    let rounds = (MAX_WORK_BYTES / text.len().max(1)).clamp(4, MAX_ROUNDS);
    for _ in 0..rounds {
        // Re-serialized, scalars keep their plain form, so `title: 2025` still reads as text.
        let Ok(again) = serde_yaml::to_string(&tree) else {
            break;
        };
        let de = serde_yaml::Deserializer::from_str(&again);
        let err = match serde_path_to_error::deserialize::<_, T>(de) {
            Ok(_) => break,
            Err(e) => e,
        };
        let field = err.path().to_string();
        let field = if field == "." { String::new() } else { field };
        let raw = err.inner().to_string();
        let (rule, bare) = rule_of(&raw);
        let quiet = patched.iter().any(|(p, _)| within(&field, p));
        let found = problem(&field, &raw);
        if !quiet && !same(&found, first) && !out.iter().any(|p| same(p, &found)) {
            out.push(found);
        }
        let got_past = match rule {
            "unknown-key" => remove(&mut tree, &field),
            "missing-key" => {
                let key = join(&field, first_ticked(bare).unwrap_or_default());
                patched.push((key.clone(), 0));
                insert(&mut tree, &field, first_ticked(bare).unwrap_or_default())
            }
            "wrong-type" | "not-in-list" | "bad-date" => match patched.iter_mut().find(|(p, _)| *p == field) {
                Some((_, tries)) => {
                    *tries += 1;
                    // A required list value: the first one the message offers.
                    let value = listed_variant(bare).or_else(|| placeholder(*tries));
                    value.is_some_and(|v| set(&mut tree, &field, v))
                }
                None => {
                    patched.push((field.clone(), 0));
                    set(&mut tree, &field, Value::Null)
                }
            },
            _ => false,
        };
        if !got_past {
            break;
        }
    }
    out
}

/// Whether key path `field` is `base` or lies below it.
fn within(field: &str, base: &str) -> bool {
    field.strip_prefix(base).is_some_and(|rest| rest.is_empty() || rest.starts_with(['.', '[']))
}

fn join(path: &str, key: &str) -> String {
    if path.is_empty() {
        key.to_string()
    } else {
        format!("{path}.{key}")
    }
}

/// `missing field `issue`` -> `issue`.
fn first_ticked(msg: &str) -> Option<&str> {
    msg.split('`').nth(1)
}

/// `unknown variant `x`, expected one of `a`, `b`` -> `a`.
fn listed_variant(msg: &str) -> Option<Value> {
    let (_, list) = msg.split_once("expected one of ")?;
    first_ticked(list).map(|v| Value::String(v.to_string()))
}

/// One step of a key path: a mapping key or a list index.
enum Step<'a> {
    Key(&'a str),
    Index(usize),
}

/// `items[2].target.text` -> items, 2, target, text; `None` for a path serde could not name.
fn steps(path: &str) -> Option<Vec<Step<'_>>> {
    let mut out = Vec::new();
    if path.is_empty() {
        return Some(out);
    }
    for part in path.split('.') {
        let mut pieces = part.split('[');
        let key = pieces.next()?;
        if !key.is_empty() {
            out.push(Step::Key(key));
        }
        for index in pieces {
            out.push(Step::Index(index.strip_suffix(']')?.parse().ok()?));
        }
    }
    Some(out)
}

fn untag(v: &mut Value) -> &mut Value {
    match v {
        Value::Tagged(t) => untag(&mut t.value),
        other => other,
    }
}

/// A mapping key as the text serde's path shows it.
fn key_text(k: &Value) -> Option<String> {
    match k {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

fn node<'v>(tree: &'v mut Value, steps: &[Step]) -> Option<&'v mut Value> {
    let mut cur = tree;
    for step in steps {
        cur = match (step, untag(cur)) {
            (Step::Key(k), Value::Mapping(m)) => {
                m.iter_mut().find(|(key, _)| key_text(key).as_deref() == Some(*k)).map(|(_, v)| v)?
            }
            (Step::Index(i), Value::Sequence(s)) => s.get_mut(*i)?,
            _ => return None,
        };
    }
    Some(untag(cur))
}

fn remove(tree: &mut Value, path: &str) -> bool {
    let Some(mut steps) = steps(path) else {
        return false;
    };
    let Some(Step::Key(key)) = steps.pop() else {
        return false;
    };
    match node(tree, &steps) {
        Some(Value::Mapping(m)) => {
            let found = m.keys().find(|k| key_text(k).as_deref() == Some(key)).cloned();
            found.is_some_and(|k| m.shift_remove(&k).is_some())
        }
        _ => false,
    }
}

fn insert(tree: &mut Value, path: &str, key: &str) -> bool {
    match steps(path).and_then(|s| node(tree, &s)) {
        Some(Value::Mapping(m)) if !key.is_empty() => {
            m.insert(Value::String(key.to_string()), Value::Null);
            true
        }
        _ => false,
    }
}

fn set(tree: &mut Value, path: &str, value: Value) -> bool {
    match steps(path).and_then(|s| node(tree, &s)) {
        Some(slot) => {
            *slot = value;
            true
        }
        None => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_split_into_keys_and_indices() {
        let s = steps("[5].items[2].target.text").unwrap();
        assert_eq!(s.len(), 5);
        assert!(matches!(s[0], Step::Index(5)));
        assert!(matches!(s[4], Step::Key("text")));
        assert!(steps("items[x]").is_none());
        assert!(within("items[0].id", "items[0]") && within("items[0]", "items[0]"));
        assert!(!within("items[01]", "items[0]"));
    }

    #[test]
    fn keys_are_removed_and_values_replaced_in_place() {
        let mut tree: Value = serde_yaml::from_str("a: 1\nitems:\n  - { id: x, bad: 2 }\n").unwrap();
        assert!(remove(&mut tree, "items[0].bad"));
        assert!(set(&mut tree, "a", Value::Null));
        assert!(insert(&mut tree, "items[0]", "issue"));
        assert!(!remove(&mut tree, "items[0].nothing"));
        assert_eq!(serde_yaml::to_string(&tree).unwrap(), "a: null\nitems:\n- id: x\n  issue: null\n");
    }
}
