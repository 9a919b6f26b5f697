//! The published strings of a record serialized as JSON, each with its key path
//! (`entries[2].reply.text`), in the order of the JSON tree, skipping what is never published: an
//! unpublished comment's text and a commenter's contact. A path is formatted only when a scan asks
//! for it, which it does only for a string where it found something. Decides nothing itself.

use serde_json::Value;
use std::fmt::Write;

/// One step of a key path.
#[derive(Clone, Copy)]
enum Step<'v> {
    Key(&'v str),
    Index(usize),
}

/// The key path of the string being visited.
pub struct KeyPath<'v>(Vec<Step<'v>>);

impl KeyPath<'_> {
    /// The path as diagnostics name a field: `entries[2].reply.text`, `[0].id` in a top-level list.
    pub fn field(&self) -> String {
        let mut path = String::new();
        for step in &self.0 {
            match step {
                Step::Key(k) if path.is_empty() => path.push_str(k),
                Step::Key(k) => {
                    path.push('.');
                    path.push_str(k);
                }
                Step::Index(i) => {
                    let _ = write!(path, "[{i}]");
                }
            }
        }
        path
    }
}

/// Calls `f` with every published string of `v` and its key path.
pub fn each<'v>(v: &'v Value, f: &mut impl FnMut(&KeyPath<'v>, &'v str)) {
    walk(v, &mut KeyPath(Vec::new()), f);
}

fn walk<'v>(v: &'v Value, path: &mut KeyPath<'v>, f: &mut impl FnMut(&KeyPath<'v>, &'v str)) {
    match v {
        Value::String(s) => f(path, s),
        Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                path.0.push(Step::Index(i));
                walk(item, path, f);
                path.0.pop();
            }
        }
        Value::Object(map) => {
            // An unpublished comment shows no text; a commenter's contact is never output.
            if map.get("publish") == Some(&Value::Bool(false)) {
                return;
            }
            for (k, item) in map {
                if k == "contact" && path.field().ends_with("commenter") {
                    continue;
                }
                path.0.push(Step::Key(k));
                walk(item, path, f);
                path.0.pop();
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields(v: &Value) -> Vec<(String, String)> {
        let mut out = Vec::new();
        each(v, &mut |path, s| out.push((path.field(), s.to_string())));
        out
    }

    #[test]
    fn commenter_contact_and_unpublished_entries_are_skipped() {
        let v = serde_json::json!({"entries": [
            {"text": "a", "commenter": {"contact": "13800001234", "name": "李明"}},
            {"text": "hidden", "publish": false}
        ]});
        let found: Vec<String> = fields(&v).into_iter().map(|(f, _)| f).collect();
        assert_eq!(found, vec!["entries[0].commenter.name", "entries[0].text"]);
    }

    #[test]
    fn paths_are_written_as_rules_name_fields() {
        let v = serde_json::json!([{"id": "a", "items": [{"t": "x"}], "": {"k": "y"}}]);
        let found = fields(&v);
        // Written as the JSON walk always wrote them, an empty key included.
        let expected = [("[0]..k", "y"), ("[0].id", "a"), ("[0].items[0].t", "x")];
        assert_eq!(found, expected.map(|(f, s)| (f.to_string(), s.to_string())));
    }
}
