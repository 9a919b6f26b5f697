//! The parse cache `serve` keeps between rebuilds: every file under `content/`, in the order a full
//! walk lists them, with its parse and diagnostics. A rebuild told which paths changed re-reads and
//! re-parses only those (a changed folder is walked, a vanished path dropped with everything under
//! it); a rebuild told nothing walks everything and re-parses only files whose text differs. Either
//! way the `Loaded` handed out is the one a fresh [`super::load`] would give. Never validates.

use super::{attachment_check, classify, parse_file, read_text, FileKind, Loaded, Parsed};
use crate::diagnostics::Diagnostics;
use crate::error::{Error, Result};
use rayon::prelude::*;
use std::cmp::Ordering;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// What changed on disk since the last load.
#[derive(Debug, Clone)]
pub enum Changes {
    /// Unknown (first load, a watcher rescan, an event without paths): walk everything.
    All,
    /// These absolute paths were created, written, renamed or removed (files or folders).
    Paths(Vec<PathBuf>),
}

/// A file's path as diagnostics show it (`content/…`, `/`-separated), sorting the way a walk
/// sorted by file name visits files: folder by folder, so `a/x` comes before `a-b/y` (plain string
/// order would put `-` first).
#[derive(Debug, Clone, PartialEq, Eq)]
struct WalkKey(String);

impl Ord for WalkKey {
    fn cmp(&self, other: &Self) -> Ordering {
        self.0.split('/').cmp(other.0.split('/'))
    }
}

impl PartialOrd for WalkKey {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

/// One file as last loaded.
#[derive(Debug)]
struct Cached {
    parsed: Parsed,
    diags: Diagnostics,
    /// The text when the parse does not hold it (a file that failed to parse), for comparison on a
    /// full walk; `None` when the file could not be read at all.
    text: Option<String>,
}

impl Cached {
    fn text(&self) -> Option<&str> {
        self.parsed.text().or(self.text.as_deref())
    }
}

/// Parsed files kept between runs of `serve`. The default cache keeps nothing: keeping costs the
/// parse of every file for as long as the cache lives.
#[derive(Debug, Default)]
pub struct LoadCache {
    files: BTreeMap<WalkKey, Cached>,
    keep: bool,
    /// `files` holds a complete walk of `content/`, so changed paths can update it.
    complete: bool,
}

impl LoadCache {
    /// A cache that remembers parsed files between loads.
    pub fn keeping() -> LoadCache {
        LoadCache { keep: true, ..LoadCache::default() }
    }

    pub fn keeps(&self) -> bool {
        self.keep
    }

    /// Loads `root/content`, re-reading only what `changes` names when the cache is filled.
    pub fn load(&mut self, root: &Path, changes: &Changes) -> Result<(Loaded, Diagnostics)> {
        let content = root.join("content");
        if !content.is_dir() {
            self.files.clear();
            self.complete = false;
            return Err(Error::NoContent(content));
        }
        if !self.keep {
            let files = list_files(&content, &content)?;
            let parsed: Vec<(String, Parsed, Diagnostics)> = files
                .into_par_iter()
                .map(|(abs, rel)| {
                    let (kind, text) = read(&abs, &rel);
                    let shown = display(&rel);
                    let (item, diags) = parse_file(shown.clone(), kind, text);
                    (shown, item, diags)
                })
                .collect();
            return Ok(super::assemble(parsed));
        }
        match changes {
            Changes::Paths(paths) if self.complete => self.update(&content, paths)?,
            _ => self.walk(&content)?,
        }
        self.complete = true;
        // Cheap copies: a parse holds its value and text behind `Arc`s.
        let parsed: Vec<(Parsed, Diagnostics)> =
            self.files.par_iter().map(|(_, c)| (c.parsed.clone(), c.diags.clone())).collect();
        let paths = self.files.keys().map(|k| k.0.as_str());
        Ok(super::assemble(paths.zip(parsed).map(|(path, (item, d))| (path, item, d)).collect()))
    }

    /// A full walk: every file re-read, re-parsed only when its text changed.
    fn walk(&mut self, content: &Path) -> Result<()> {
        let files = list_files(content, content)?;
        let old = std::mem::take(&mut self.files);
        self.files = files
            .into_par_iter()
            .map(|(abs, rel)| {
                let key = WalkKey(display(&rel));
                let (kind, text) = read(&abs, &rel);
                let cached = match (old.get(&key), &text) {
                    (Some(c), Ok(t)) if c.text() == Some(t.as_str()) => {
                        Cached { parsed: c.parsed.clone(), diags: c.diags.clone(), text: c.text.clone() }
                    }
                    _ => parse_for_cache(&rel, kind, text),
                };
                (key, cached)
            })
            .collect();
        Ok(())
    }

    /// Applies the watcher's paths: a file is re-read, a folder walked, a vanished path dropped
    /// with everything that was under it.
    fn update(&mut self, content: &Path, paths: &[PathBuf]) -> Result<()> {
        let mut reread: BTreeMap<String, PathBuf> = BTreeMap::new();
        for abs in paths {
            let Ok(rel) = abs.strip_prefix(content) else { continue };
            let rel = rel_string(rel);
            if rel.is_empty() {
                return self.walk(content);
            }
            match std::fs::symlink_metadata(abs) {
                Ok(m) if m.is_dir() => {
                    self.remove_under(&rel);
                    reread.extend(list_files(content, abs)?.into_iter().map(|(a, r)| (r, a)));
                }
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                    self.files.remove(&WalkKey(display(&rel)));
                    self.remove_under(&rel);
                }
                // A file, a symbolic link (refused when read) or a path that cannot be looked at
                // (reported when read).
                _ => {
                    reread.insert(rel, abs.clone());
                }
            }
        }
        let fresh: Vec<(WalkKey, Cached)> = reread
            .into_par_iter()
            .map(|(rel, abs)| {
                let cached = read_and_parse(&abs, &rel);
                (WalkKey(display(&rel)), cached)
            })
            .collect();
        self.files.extend(fresh);
        Ok(())
    }

    fn remove_under(&mut self, folder: &str) {
        let prefix = format!("content/{folder}/");
        self.files.retain(|k, _| !k.0.starts_with(&prefix));
    }
}

fn display(rel: &str) -> String {
    format!("content/{rel}")
}

/// Reads one file the way its kind wants it read: content as text, attachments only checked,
/// anything else not at all.
fn read(abs: &Path, rel: &str) -> (FileKind, std::result::Result<String, Diagnostics>) {
    let parts: Vec<&str> = rel.split('/').collect();
    let kind = classify(&parts);
    let shown = display(rel);
    let text = match kind {
        FileKind::Attachment => attachment_check(abs, &shown),
        FileKind::Ledger | FileKind::Ignored | FileKind::Unknown => Ok(String::new()),
        _ => read_text(abs, &shown),
    };
    (kind, text)
}

/// Reads and parses one file for the cache.
fn read_and_parse(abs: &Path, rel: &str) -> Cached {
    let (kind, text) = read(abs, rel);
    parse_for_cache(rel, kind, text)
}

/// Parses a file's text, keeping a copy of the text when the parse does not hold it (a file that
/// failed to parse, an attachment, a file that is not content), for comparison on a full walk.
fn parse_for_cache(rel: &str, kind: FileKind, text: std::result::Result<String, Diagnostics>) -> Cached {
    let copy = text.as_ref().ok().cloned();
    let (parsed, diags) = parse_file(display(rel), kind, text);
    let text = if parsed.text().is_some() { None } else { copy };
    Cached { parsed, diags, text }
}

fn rel_string(rel: &Path) -> String {
    rel.components().map(|c| c.as_os_str().to_string_lossy()).collect::<Vec<_>>().join("/")
}

/// Every non-folder entry under `dir` (itself under `content`), sorted by file name folder by
/// folder, as (absolute path, `/`-separated path relative to `content`).
fn list_files(content: &Path, dir: &Path) -> Result<Vec<(PathBuf, String)>> {
    let mut out = Vec::new();
    for entry in walkdir::WalkDir::new(dir).sort_by_file_name().follow_links(false) {
        let entry = entry.map_err(|e| Error::read(dir, std::io::Error::other(e.to_string())))?;
        if entry.file_type().is_dir() {
            continue;
        }
        let rel = entry.path().strip_prefix(content).unwrap_or(entry.path());
        out.push((entry.path().to_path_buf(), rel_string(rel)));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn walk_keys_sort_like_a_walk_sorted_by_file_name() {
        let dir = tempfile::tempdir().unwrap();
        for f in ["a.yaml", "a/x.md", "a-b/y.md", "b.md", "a/b/z.md", "a/b-c.md"] {
            let p = dir.path().join(f);
            std::fs::create_dir_all(p.parent().unwrap()).unwrap();
            std::fs::write(p, "").unwrap();
        }
        let walked: Vec<String> = list_files(dir.path(), dir.path()).unwrap().into_iter().map(|(_, r)| r).collect();
        let mut keys: Vec<WalkKey> = walked.iter().rev().map(|k| WalkKey(k.clone())).collect();
        keys.sort();
        assert_eq!(keys.into_iter().map(|k| k.0).collect::<Vec<_>>(), walked);
        assert_eq!(walked, ["a/b/z.md", "a/b-c.md", "a/x.md", "a-b/y.md", "a.yaml", "b.md"]);
    }

    /// A cache told which paths changed loads exactly what a fresh load of the same disk gives.
    #[test]
    fn changed_paths_give_what_a_fresh_load_gives() {
        let root = tempfile::tempdir().unwrap();
        let write = |rel: &str, text: &str| {
            let p = root.path().join(rel);
            std::fs::create_dir_all(p.parent().unwrap()).unwrap();
            std::fs::write(p, text).unwrap();
        };
        let page = |title: &str| format!("---\ntitle: {title}\n---\n正文\n");
        write("content/site.yaml", "title: 测试\n");
        write("content/pages/a.md", &page("甲"));
        write("content/pages/b.md", &page("乙"));
        write("content/notes.txt", "x");
        let mut cache = LoadCache::keeping();
        cache.load(root.path(), &Changes::All).unwrap();
        let same = |cache: &mut LoadCache, changed: &[&str]| {
            let paths = changed.iter().map(|c| root.path().join(c)).collect();
            let (incremental, d1) = cache.load(root.path(), &Changes::Paths(paths)).unwrap();
            let (fresh, d2) = super::super::load(root.path()).unwrap();
            assert_eq!(format!("{incremental:?}"), format!("{fresh:?}"), "after {changed:?}");
            assert_eq!(d1.sorted(), d2.sorted(), "after {changed:?}");
        };
        write("content/pages/a.md", &page("甲二"));
        same(&mut cache, &["content/pages/a.md"]);
        write("content/pages/c.md", "---\ntitle: [\n---\n");
        same(&mut cache, &["content/pages/c.md"]);
        std::fs::remove_file(root.path().join("content/pages/b.md")).unwrap();
        same(&mut cache, &["content/pages/b.md"]);
        write("content/pages/new/x.md", &page("丙"));
        write("content/pages/new/y.md", &page("丁"));
        same(&mut cache, &["content/pages/new"]);
        std::fs::remove_dir_all(root.path().join("content/pages")).unwrap();
        same(&mut cache, &["content/pages"]);
    }
}
