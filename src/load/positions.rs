//! Where each key and value of a YAML document sits in its file: a walk of the document's events
//! (yaml-rust2) that maps key paths (`entries[2].reply.on`) to positions, and finds the problems
//! only such a walk sees (a key twice in one mapping, nesting too deep). Rules ask for positions
//! through [`LazyPositions`], so a file is walked only when a diagnostic needs it. Never reads
//! files or decides content rules.

use super::yaml::YamlProblem;
use crate::diagnostics::Pos;
use std::collections::HashMap;
use std::sync::OnceLock;
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

/// The [`Positions`] of a document in a file's text, mapped on first use.
#[derive(Debug, Clone, Default)]
pub struct LazyPositions {
    /// Byte range of the YAML in the file's text (all of it, or a Markdown file's front matter).
    start: usize,
    end: usize,
    line_offset: usize,
    map: OnceLock<Positions>,
}

impl LazyPositions {
    /// For the YAML at `range` of a file's text, starting at file line `line_offset + 1`.
    pub fn new(range: std::ops::Range<usize>, line_offset: usize) -> LazyPositions {
        LazyPositions { start: range.start, end: range.end, line_offset, map: OnceLock::new() }
    }

    /// The positions, mapped from `text` (the same file text every time) on the first call.
    pub fn get(&self, text: &str) -> &Positions {
        self.map.get_or_init(|| positions(text.get(self.start..self.end).unwrap_or_default(), self.line_offset))
    }
}

/// Where each key path of `text` (starting at file line `line_offset + 1`) sits.
pub fn positions(text: &str, line_offset: usize) -> Positions {
    map_positions(text, line_offset).0
}

/// Nesting no content needs and serde_yaml refuses anyway (its recursion limit).
pub(super) const MAX_DEPTH: usize = 128;

/// Walks the YAML events of the first document once, recording where every key and value starts,
/// and whether the document uses aliases.
pub(super) fn map_positions(text: &str, line_offset: usize) -> (Positions, Vec<YamlProblem>, bool) {
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
