//! Located content problems: every rule reports a `Diagnostic` (file, line, column, rule, field,
//! message) into one `Diagnostics` collector, so an editor sees every problem of a run at once.
//! Never decides what is a problem and never exits the process.

use serde::Serialize;
use std::fmt;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
}

/// A position in a content file: 1-based line and column (columns count characters).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Default, Serialize)]
pub struct Pos {
    pub line: usize,
    pub col: usize,
}

impl Pos {
    pub const START: Pos = Pos { line: 1, col: 1 };
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    pub severity: Severity,
    /// Path relative to the site root, with `/` separators.
    pub path: String,
    pub line: usize,
    pub col: usize,
    /// Stable rule name, e.g. `unknown-key`, `satisfaction-mismatch`.
    pub rule: &'static str,
    /// The key path of the offending field, e.g. `entries[2].reply`; empty for a whole file.
    pub field: String,
    pub message: String,
    /// A hint in plain Chinese for a common mistake.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hint: Option<String>,
    /// Sort key so warnings the spec wants first come first.
    #[serde(skip)]
    pub urgent: bool,
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sev = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        write!(f, "{}:{}:{}: {}[{}]: {}", self.path, self.line, self.col, sev, self.rule, self.message)?;
        if !self.field.is_empty() {
            write!(f, "（字段 `{}`）", self.field)?;
        }
        if let Some(h) = &self.hint {
            write!(f, "\n  提示：{h}")?;
        }
        Ok(())
    }
}

/// Collects diagnostics from every stage of a run.
#[derive(Debug, Default, Clone)]
pub struct Diagnostics {
    items: Vec<Diagnostic>,
}

impl Diagnostics {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn push(&mut self, d: Diagnostic) {
        self.items.push(d);
    }

    pub fn extend(&mut self, other: Diagnostics) {
        self.items.extend(other.items);
    }

    pub fn has_errors(&self) -> bool {
        self.items.iter().any(|d| d.severity == Severity::Error)
    }

    pub fn error_count(&self) -> usize {
        self.items.iter().filter(|d| d.severity == Severity::Error).count()
    }

    pub fn warning_count(&self) -> usize {
        self.items.len() - self.error_count()
    }

    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    /// Errors first, then urgent warnings, then by file and position; duplicates removed.
    pub fn sorted(mut self) -> Vec<Diagnostic> {
        self.items.sort_by(|a, b| {
            (a.severity, !a.urgent, &a.path, a.line, a.col, a.rule, &a.message)
                .cmp(&(b.severity, !b.urgent, &b.path, b.line, b.col, b.rule, &b.message))
        });
        self.items.dedup();
        self.items
    }

    pub fn iter(&self) -> impl Iterator<Item = &Diagnostic> {
        self.items.iter()
    }
}

/// Builder used by rules: `at(path, pos).error(rule, field, message)`.
pub struct Site<'a> {
    pub path: &'a str,
    pub pos: Pos,
}

pub fn at(path: &str, pos: Pos) -> Site<'_> {
    Site { path, pos }
}

impl Site<'_> {
    fn make(&self, severity: Severity, rule: &'static str, field: &str, message: String) -> Diagnostic {
        Diagnostic {
            severity,
            path: self.path.to_string(),
            line: self.pos.line,
            col: self.pos.col,
            rule,
            field: field.to_string(),
            message,
            hint: None,
            urgent: false,
        }
    }
    pub fn error(&self, rule: &'static str, field: &str, message: impl Into<String>) -> Diagnostic {
        self.make(Severity::Error, rule, field, message.into())
    }
    pub fn warning(&self, rule: &'static str, field: &str, message: impl Into<String>) -> Diagnostic {
        self.make(Severity::Warning, rule, field, message.into())
    }
}

impl Diagnostic {
    pub fn with_hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }
    pub fn urgent(mut self) -> Self {
        self.urgent = true;
        self
    }
}

impl Diagnostic {
    /// The diagnostic for a terminal: the `path:line:col: …` line, the offending source line with a
    /// caret under the column, and the hint. `source` is the file's text, when it can be read.
    pub fn render(&self, source: Option<&str>) -> String {
        let (sev, style) = match self.severity {
            Severity::Error => ("error", anstyle::AnsiColor::Red.on_default().bold()),
            Severity::Warning => ("warning", anstyle::AnsiColor::Yellow.on_default().bold()),
        };
        let mut out =
            format!("{}:{}:{}: {style}{sev}[{}]{style:#}: {}", self.path, self.line, self.col, self.rule, self.message);
        if !self.field.is_empty() {
            out.push_str(&format!("（字段 `{}`）", self.field));
        }
        if let Some(raw) = source.and_then(|s| s.lines().nth(self.line.saturating_sub(1))) {
            let line = &printable(raw);
            let gutter = self.line.to_string();
            let pad = " ".repeat(gutter.len());
            // Columns count characters; CJK characters take two cells on a terminal.
            let width: usize = raw
                .chars()
                .take(self.col.saturating_sub(1))
                .map(|c| printable(&c.to_string()).chars().map(cell_width).sum::<usize>())
                .sum();
            let blue = anstyle::AnsiColor::Blue.on_default().bold();
            out.push_str(&format!(
                "\n {blue}{gutter} |{blue:#} {line}\n {blue}{pad} |{blue:#} {}{style}^{style:#}",
                " ".repeat(width)
            ));
        }
        if let Some(h) = &self.hint {
            out.push_str(&format!("\n  提示：{h}"));
        }
        out
    }
}

/// The line as a terminal may show it: control and direction-changing characters (which would
/// scramble the excerpt or hide what is really there) written as `<U+202E>`.
fn printable(line: &str) -> String {
    line.chars()
        .map(|c| {
            let invisible = c.is_control() && c != '\t'
                || matches!(c, '\u{200b}'..='\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{feff}');
            if invisible { format!("<U+{:04X}>", c as u32) } else { c.to_string() }
        })
        .collect()
}

fn cell_width(c: char) -> usize {
    match c {
        '\t' => 4,
        '\u{1100}'..='\u{115f}'
        | '\u{2e80}'..='\u{a4cf}'
        | '\u{ac00}'..='\u{d7a3}'
        | '\u{f900}'..='\u{faff}'
        | '\u{fe30}'..='\u{fe4f}'
        | '\u{ff00}'..='\u{ff60}'
        | '\u{ffe0}'..='\u{ffe6}' => 2,
        _ => 1,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn display_is_path_line_col_severity_rule_message() {
        let d = at("content/orgs.yaml", Pos { line: 3, col: 5 }).error("unknown-org", "parent", "上级组织 `x` 不存在");
        assert_eq!(d.to_string(), "content/orgs.yaml:3:5: error[unknown-org]: 上级组织 `x` 不存在（字段 `parent`）");
    }

    #[test]
    fn render_shows_the_source_line_with_a_caret_under_the_column() {
        let d = at("content/a.yaml", Pos { line: 2, col: 4 })
            .error("unknown-key", "titel", "未知的键")
            .with_hint("改为 title");
        let plain = anstream::adapter::strip_str(&d.render(Some("org: x\n标题a: y\n"))).to_string();
        assert_eq!(
            plain,
            "content/a.yaml:2:4: error[unknown-key]: 未知的键（字段 `titel`）\n 2 | 标题a: y\n   |      ^\n  提示：改为 title"
        );
    }

    #[test]
    fn render_shows_invisible_characters_as_code_points() {
        let d = at("a.yaml", Pos { line: 1, col: 8 }).error("control-char", "", "控制字符");
        let plain = anstream::adapter::strip_str(&d.render(Some("title: \u{202e}abc"))).to_string();
        assert!(plain.contains(" 1 | title: <U+202E>abc"), "{plain}");
        assert!(plain.ends_with("|        ^"), "{plain:?}");
    }

    #[test]
    fn errors_sort_before_warnings_and_urgent_warnings_first() {
        let mut ds = Diagnostics::new();
        ds.push(at("b", Pos::START).warning("w1", "", "plain"));
        ds.push(at("z", Pos::START).warning("w2", "", "urgent").urgent());
        ds.push(at("c", Pos::START).error("e", "", "error"));
        let rules: Vec<_> = ds.sorted().into_iter().map(|d| d.rule).collect();
        assert_eq!(rules, vec!["e", "w2", "w1"]);
    }
}
