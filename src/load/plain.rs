//! The fast read of plain content YAML: block mappings and sequences, one-line flow collections,
//! plain and one-line quoted scalars, `#` comments — the subset content files are written in —
//! parsed into a small tree that [`super::plain_de`] hands to serde exactly as serde_yaml would.
//! Anything outside that subset, or whose meaning it is not sure of, makes it return `None`, and
//! the caller reads the text with serde_yaml instead; it never reports a problem itself.

use std::borrow::Cow;
use std::collections::HashSet;

/// Deepest nesting read here; deeper documents go to serde_yaml (and the guard's depth check).
const MAX_NEST: usize = 24;

/// A parsed node. Keys are always text scalars that resolve to strings.
#[derive(Debug, Clone, PartialEq)]
pub enum Node<'a> {
    Scalar(Scalar<'a>),
    Seq(Vec<Node<'a>>),
    Map(Vec<(Cow<'a, str>, Node<'a>)>),
}

/// A scalar's text and what serde_yaml resolves it to.
#[derive(Debug, Clone, PartialEq)]
pub struct Scalar<'a> {
    pub text: Cow<'a, str>,
    pub kind: Kind,
}

/// How serde_yaml resolves a scalar (plain scalars only; quoted ones are always `Quoted`).
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Kind {
    Quoted,
    Null,
    Bool(bool),
    Int,
    Float,
    Str,
}

/// One line of the document: its indentation and the text after it, comments kept.
#[derive(Debug, Clone, Copy)]
struct Line<'a> {
    indent: usize,
    text: &'a str,
}

/// Parses `text`, or `None` when it is outside the subset.
pub fn parse(text: &str) -> Option<Node<'_>> {
    if super::chars::find(text.as_bytes(), refused_at).is_some() {
        return None;
    }
    let mut lines = Vec::new();
    for raw in text.split('\n') {
        let body = raw.trim_start_matches(' ');
        // Blank and comment-only lines carry nothing in block context.
        if body.is_empty() || body.starts_with('#') {
            continue;
        }
        // Document markers and directives start a new document or change parsing.
        if raw.starts_with("---") || raw.starts_with("...") || raw.starts_with('%') {
            return None;
        }
        lines.push(Line { indent: raw.len() - body.len(), text: body.trim_end_matches(' ') });
    }
    if lines.first()?.indent != 0 {
        return None;
    }
    let mut p = Parser { lines, at: 0 };
    let root = p.block(0, 0)?;
    (p.at == p.lines.len()).then_some(root)
}

/// Characters left to serde_yaml wherever they are: controls (the slow path reports them), tabs,
/// carriage returns, a BOM, and U+2028/U+2029, which libyaml takes as line breaks. Tested on UTF-8
/// bytes as [`super::chars::find`] requires.
fn refused_at(b0: u8, b1: u8, b2: u8) -> bool {
    let blank = (b0 == b'\t') | (b0 == b'\r');
    let bom = (b0 == 0xef) & (b1 == 0xbb) & (b2 == 0xbf);
    let separator = (b0 == 0xe2) & (b1 == 0x80) & ((b2 == 0xa8) | (b2 == 0xa9));
    super::chars::control_at(b0, b1, b2) | blank | bom | separator
}

struct Parser<'a> {
    lines: Vec<Line<'a>>,
    at: usize,
}

impl<'a> Parser<'a> {
    fn peek(&self) -> Option<Line<'a>> {
        self.lines.get(self.at).copied()
    }

    /// A block node whose first line is the current one, at `indent`.
    fn block(&mut self, indent: usize, depth: usize) -> Option<Node<'a>> {
        if depth > MAX_NEST {
            return None;
        }
        let line = self.peek()?;
        if is_entry(line.text) {
            self.seq(indent, depth)
        } else {
            self.map(indent, depth)
        }
    }

    /// A block sequence: every line at `indent` that starts with `- `.
    fn seq(&mut self, indent: usize, depth: usize) -> Option<Node<'a>> {
        let mut items = Vec::new();
        while let Some(line) = self.peek().filter(|l| l.indent == indent && is_entry(l.text)) {
            let rest = line.text[1..].trim_start_matches(' ');
            if rest.is_empty() || rest.starts_with('#') {
                self.at += 1;
                items.push(self.nested_or_empty(indent, false, depth)?);
            } else if starts_block(rest) {
                // `- key: value` / `- - x`: the rest of the line is a node at its own column.
                let col = indent + (line.text.len() - rest.len());
                self.lines[self.at] = Line { indent: col, text: rest };
                items.push(self.block(col, depth + 1)?);
            } else {
                self.at += 1;
                items.push(inline_value(rest, depth)?);
                self.after_scalar(indent)?;
            }
        }
        // A line at `indent` that is no entry belongs to the mapping this sequence is a value of.
        match self.peek() {
            Some(next) if next.indent > indent => None,
            _ => Some(Node::Seq(items)),
        }
    }

    /// A block mapping: every line at `indent` of the form `key: value` or `key:`.
    fn map(&mut self, indent: usize, depth: usize) -> Option<Node<'a>> {
        let mut entries: Vec<(Cow<'a, str>, Node<'a>)> = Vec::new();
        let mut keys = Keys::default();
        while let Some(line) = self.peek().filter(|l| l.indent == indent) {
            let (key, rest) = split_key(line.text)?;
            if !keys.insert(key) {
                return None;
            }
            self.at += 1;
            let value = if rest.is_empty() || rest.starts_with('#') {
                self.nested_or_empty(indent, true, depth)?
            } else {
                let v = inline_value(rest, depth)?;
                self.after_scalar(indent)?;
                v
            };
            entries.push((Cow::Borrowed(key), value));
        }
        self.ends_cleanly(indent)?;
        Some(Node::Map(entries))
    }

    /// The value of a `key:` or `-` with nothing after it: the deeper block below, a sequence at
    /// the key's own column (`in_map`), or an empty plain scalar.
    fn nested_or_empty(&mut self, indent: usize, in_map: bool, depth: usize) -> Option<Node<'a>> {
        match self.peek() {
            Some(next) if next.indent > indent => self.block(next.indent, depth + 1),
            Some(next) if in_map && next.indent == indent && is_entry(next.text) => self.seq(indent, depth + 1),
            _ => Some(Node::Scalar(Scalar { text: Cow::Borrowed(""), kind: Kind::Null })),
        }
    }

    /// After a value on its key's line, a deeper line would continue a multi-line scalar (or be an
    /// error): not read here.
    fn after_scalar(&self, indent: usize) -> Option<()> {
        match self.peek() {
            Some(next) if next.indent > indent => None,
            _ => Some(()),
        }
    }

    /// A block ends at a shallower line; a deeper one left over is something not read here.
    fn ends_cleanly(&self, indent: usize) -> Option<()> {
        match self.peek() {
            Some(next) if next.indent >= indent => None,
            _ => Some(()),
        }
    }
}

/// The keys of one mapping read so far, to refuse a key written twice (the slow path reports
/// it): scanned while few, hashed past that so that a huge mapping costs no quadratic time.
#[derive(Default)]
struct Keys<'k> {
    few: Vec<&'k str>,
    many: HashSet<&'k str>,
}

impl<'k> Keys<'k> {
    const FEW: usize = 32;

    /// Adds `key`; false when it was there already.
    fn insert(&mut self, key: &'k str) -> bool {
        if self.few.len() < Self::FEW {
            let new = !self.few.contains(&key);
            self.few.push(key);
            return new;
        }
        if self.many.is_empty() {
            self.many.extend(self.few.iter().copied());
        }
        self.many.insert(key)
    }
}

/// Whether a line is a block sequence entry.
fn is_entry(text: &str) -> bool {
    text == "-" || text.starts_with("- ")
}

/// Whether the rest of a `- ` line opens a block node: a nested entry or a `key:` pair.
fn starts_block(rest: &str) -> bool {
    is_entry(rest) || (!rest.starts_with(['"', '\'', '[', '{']) && split_key(rest).is_some())
}

/// `key: rest` or `key:` -> (key, rest trimmed); `None` unless the key is a plain text key.
fn split_key(text: &str) -> Option<(&str, &str)> {
    let colon = text.find(": ").or_else(|| text.strip_suffix(':').map(|k| k.len()))?;
    let key = &text[..colon];
    if !key_ok(key) || key.contains(['#', ':']) {
        return None;
    }
    Some((key, text[colon + 1..].trim_start_matches(' ')))
}

/// A plain key that is text for serde_yaml, short of libyaml's 1024-character limit on implicit
/// keys, and without a full-width colon (which the slow path explains when it breaks a line).
fn key_ok(key: &str) -> bool {
    plain_ok(key, false)
        && key.len() <= 256
        && !key.ends_with(' ')
        && !key.contains('：')
        && classify(key) == Some(Kind::Str)
}

/// A value written on its key's (or dash's) line: a flow collection, a quoted or a plain scalar.
fn inline_value(text: &str, depth: usize) -> Option<Node<'_>> {
    if text.starts_with(['[', '{']) {
        let mut flow = Flow { s: text, at: 0 };
        let node = flow.node(depth + 1)?;
        flow.skip_spaces();
        return end_of_line(&text[flow.at..]).then_some(node);
    }
    if text.starts_with(['"', '\'']) {
        let (value, len) = quoted(text)?;
        return end_of_line(&text[len..]).then_some(Node::Scalar(value));
    }
    // A plain scalar runs to a comment (`#` after a space) or the end of the line.
    let value = match text.find(" #") {
        Some(i) => text[..i].trim_end_matches(' '),
        None => text,
    };
    if !plain_ok(value, false) || value.contains(": ") || value.ends_with(':') {
        return None;
    }
    Some(Node::Scalar(Scalar { kind: classify(value)?, text: Cow::Borrowed(value) }))
}

/// Nothing but spaces and a comment left on the line.
fn end_of_line(rest: &str) -> bool {
    let trimmed = rest.trim_start_matches(' ');
    // A comment needs a space before its `#`.
    trimmed.is_empty() || (trimmed.starts_with('#') && trimmed.len() < rest.len())
}

/// A plain scalar's first character may not be an indicator; `flow` adds the flow indicators
/// anywhere in it.
fn plain_ok(s: &str, flow: bool) -> bool {
    let Some(first) = s.chars().next() else { return false };
    if "-?:,[]{}#&*!|>'\"%@`".contains(first) {
        // `-5`, `-x` are plain; `- ` was taken as an entry before.
        if !(first == '-' && s.len() > 1 && !s[1..].starts_with(' ')) {
            return false;
        }
    }
    if flow && s.contains([',', '[', ']', '{', '}', ':', '?', '#']) {
        return false;
    }
    true
}

/// What serde_yaml resolves a plain scalar to, or `None` when that is not certain here.
pub fn classify(s: &str) -> Option<Kind> {
    match s {
        "" | "~" | "null" => return Some(Kind::Null),
        "true" => return Some(Kind::Bool(true)),
        "false" => return Some(Kind::Bool(false)),
        _ => {}
    }
    let first = s.chars().next()?;
    if first.is_ascii_alphabetic() {
        // Only null, the booleans (serde_yaml knows three spellings each; other cases are left to
        // it) and f64's inf/nan words could be more than text.
        let keyword = ["null", "true", "false", "inf", "infinity", "nan"];
        return (!keyword.iter().any(|k| s.eq_ignore_ascii_case(k))).then_some(Kind::Str);
    }
    if !(first.is_ascii_digit() || matches!(first, '-' | '+' | '.')) {
        return Some(Kind::Str);
    }
    if is_int(s) {
        return Some(Kind::Int);
    }
    if is_float(s) {
        return Some(Kind::Float);
    }
    // A leading digit starts a decimal, or 0x/0o/0b: past those, a character no decimal (integer
    // or f64) accepts makes text. `_` is left to serde_yaml all the same.
    let radix = s.starts_with("0x") || s.starts_with("0o") || s.starts_with("0b");
    if first.is_ascii_digit() && !radix && s.chars().any(|c| !(c.is_ascii_digit() || ".eE+-_".contains(c))) {
        return Some(Kind::Str);
    }
    // No number syntax accepts a character outside these, so anything else is text; and digit
    // groups joined by single dashes (dates, ids) parse as neither integer nor float.
    if s.chars().any(|c| !(c.is_ascii_alphanumeric() || matches!(c, '.' | '+' | '-' | '_'))) {
        return Some(Kind::Str);
    }
    // (A dash is required: all digits may still be a long integer, or text like `007`.)
    let dashed = first.is_ascii_digit()
        && s.contains('-')
        && s.split('-').all(|g| !g.is_empty() && g.bytes().all(|b| b.is_ascii_digit()));
    dashed.then_some(Kind::Str)
}

/// `0` or `-?[1-9][0-9]{0,17}`: fits i64 and u64, read the same by every serde_yaml number path.
fn is_int(s: &str) -> bool {
    let digits = s.strip_prefix('-').unwrap_or(s);
    s == "0"
        || (!digits.is_empty()
            && digits.len() <= 18
            && !digits.starts_with('0')
            && digits.bytes().all(|b| b.is_ascii_digit()))
}

/// `-?(0|[1-9][0-9]{0,14})\.[0-9]{1,15}`: a decimal every reader parses the same way.
fn is_float(s: &str) -> bool {
    let digits = s.strip_prefix('-').unwrap_or(s);
    let Some((whole, frac)) = digits.split_once('.') else { return false };
    let whole_ok = whole == "0" || is_int(whole) && !whole.starts_with('-') && whole.len() <= 15;
    whole_ok && !frac.is_empty() && frac.len() <= 15 && frac.bytes().all(|b| b.is_ascii_digit())
}

/// A one-line quoted scalar at the start of `s`: its value and its length in `s`.
fn quoted(s: &str) -> Option<(Scalar<'_>, usize)> {
    let q = s.chars().next()?;
    let body = &s[1..];
    if q == '\'' {
        let mut out = String::new();
        let mut rest = body;
        loop {
            let i = rest.find('\'')?;
            out.push_str(&rest[..i]);
            if rest[i + 1..].starts_with('\'') {
                out.push('\'');
                rest = &rest[i + 2..];
            } else {
                let len = s.len() - rest.len() + i + 1;
                return Some((text_scalar(out, &body[..len - 2]), len));
            }
        }
    }
    // Double quotes: only the simplest escapes are decoded; any other backslash goes to serde_yaml.
    let end = body.find('"')?;
    let inner = &body[..end];
    if inner.contains('\\') {
        return None;
    }
    Some((Scalar { text: Cow::Borrowed(inner), kind: Kind::Quoted }, end + 2))
}

/// A quoted scalar's text, borrowed when it has no escapes.
fn text_scalar<'a>(decoded: String, raw: &'a str) -> Scalar<'a> {
    let text = if decoded == raw { Cow::Borrowed(raw) } else { Cow::Owned(decoded) };
    Scalar { text, kind: Kind::Quoted }
}

/// A one-line flow collection being read.
struct Flow<'a> {
    s: &'a str,
    at: usize,
}

impl<'a> Flow<'a> {
    fn rest(&self) -> &'a str {
        &self.s[self.at..]
    }

    fn skip_spaces(&mut self) {
        self.at = self.s.len() - self.rest().trim_start_matches(' ').len();
    }

    fn eat(&mut self, c: char) -> bool {
        self.skip_spaces();
        let hit = self.rest().starts_with(c);
        if hit {
            self.at += c.len_utf8();
        }
        hit
    }

    fn node(&mut self, depth: usize) -> Option<Node<'a>> {
        if depth > MAX_NEST {
            return None;
        }
        self.skip_spaces();
        if self.eat('[') {
            return self.items(']', depth, |f, d| f.node(d)).map(Node::Seq);
        }
        if self.eat('{') {
            let pairs = self.items('}', depth, Flow::pair)?;
            let mut keys = Keys::default();
            return pairs.iter().all(|(k, _)| keys.insert(k)).then_some(Node::Map(pairs));
        }
        self.scalar().map(Node::Scalar)
    }

    /// Comma-separated items up to `close`; a trailing comma is left to serde_yaml.
    fn items<T>(
        &mut self,
        close: char,
        depth: usize,
        mut item: impl FnMut(&mut Self, usize) -> Option<T>,
    ) -> Option<Vec<T>> {
        let mut out = Vec::new();
        if self.eat(close) {
            return Some(out);
        }
        loop {
            out.push(item(self, depth + 1)?);
            if self.eat(close) {
                return Some(out);
            }
            if !self.eat(',') {
                return None;
            }
        }
    }

    /// `key: value` inside `{}`; a key without a value is left to serde_yaml.
    fn pair(&mut self, depth: usize) -> Option<(Cow<'a, str>, Node<'a>)> {
        self.skip_spaces();
        let rest = self.rest();
        let colon = rest.find(": ")?;
        let key = &rest[..colon];
        if !key_ok(key) || !plain_ok(key, true) {
            return None;
        }
        self.at += colon + 2;
        Some((Cow::Borrowed(key), self.node(depth)?))
    }

    /// A quoted scalar, or a plain one up to the next `,`, `]` or `}`.
    fn scalar(&mut self) -> Option<Scalar<'a>> {
        let rest = self.rest();
        if rest.starts_with(['"', '\'']) {
            let (value, len) = quoted(rest)?;
            self.at += len;
            return Some(value);
        }
        let len = rest.find([',', ']', '}']).unwrap_or(rest.len());
        let value = rest[..len].trim_end_matches(' ');
        // An empty item (`[a, , b]`) and anything with a flow indicator go to serde_yaml.
        if !plain_ok(value, true) || value.contains(" #") {
            return None;
        }
        self.at += value.len();
        Some(Scalar { kind: classify(value)?, text: Cow::Borrowed(value) })
    }
}

#[cfg(test)]
#[path = "plain_tests.rs"]
mod tests;
