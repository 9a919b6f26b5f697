//! The release ledger kept with the content in `content/releases/`: one JSON entry per release
//! (`0001.json`, …) chained by digests, and the sources of every released record version stored by
//! digest (`objects/ab/cdef…`). The only code that writes there; it only ever adds files.

use crate::error::{Error, Result};
use crate::model::common::Date;
use crate::validate::digest_hex;
use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

/// A record as one release saw it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RecordEntry {
    pub path: String,
    pub digest: String,
    /// 第K版 of this record in this release.
    pub version: u32,
    /// The release that brought this version.
    pub since: u32,
    /// How many `corrections` the record carried (a change needs a new one).
    pub corrections: usize,
    pub withdrawn: bool,
}

/// Keys of the records that a release added, changed and withdrew.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Changes {
    pub added: Vec<String>,
    pub changed: Vec<String>,
    pub withdrawn: Vec<String>,
}

impl Changes {
    pub fn is_empty(&self) -> bool {
        self.added.is_empty() && self.changed.is_empty() && self.withdrawn.is_empty()
    }
}

/// One release: who, when, why, every public record's digest, the change set, the previous entry's
/// digest (the hash chain) and the digests of the output files it produced.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Entry {
    pub number: u32,
    pub date: Date,
    /// RFC 3339 with +08:00.
    pub time: String,
    pub by: String,
    pub message: String,
    /// SHA-256 of the previous entry's file; `None` for release 1.
    pub previous: Option<String>,
    pub changes: Changes,
    pub records: BTreeMap<String, RecordEntry>,
    /// Output path -> SHA-256 of its bytes (manifest.json itself excluded).
    pub files: BTreeMap<String, String>,
}

impl Entry {
    /// The canonical bytes of an entry: what the ledger file and manifest.json hold.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut b = serde_json::to_vec_pretty(self).expect("an entry always serializes");
        b.push(b'\n');
        b
    }
}

/// An entry read from disk, with its file name and the digest of its bytes.
#[derive(Debug, Clone)]
pub struct Stored {
    pub entry: Entry,
    pub file: String,
    pub digest: String,
}

/// Reads and parses one entry file.
fn read_entry(path: &Path) -> Result<Stored> {
    let bytes = fs::read(path).map_err(|e| Error::read(path, e))?;
    let entry: Entry =
        serde_json::from_slice(&bytes).map_err(|e| Error::Ledger(format!("{} 无法读取：{e}", path.display())))?;
    let file = path.file_name().map(|f| f.to_string_lossy().to_string()).unwrap_or_default();
    Ok(Stored { entry, file, digest: digest_hex(&bytes) })
}

#[derive(Debug, Clone)]
pub struct Ledger {
    pub dir: PathBuf,
    /// Entries in release order.
    pub entries: Vec<Stored>,
}

impl Ledger {
    pub fn dir_of(root: &Path) -> PathBuf {
        root.join("content").join("releases")
    }

    /// Reads every entry; a ledger folder that does not exist is an empty ledger.
    pub fn open(root: &Path) -> Result<Ledger> {
        let dir = Ledger::dir_of(root);
        let mut entries = Vec::new();
        if dir.is_dir() {
            let mut files: Vec<PathBuf> = fs::read_dir(&dir)
                .map_err(|e| Error::read(&dir, e))?
                .flatten()
                .map(|e| e.path())
                .filter(|p| p.extension().is_some_and(|x| x == "json"))
                .collect();
            files.sort();
            // Each entry lists every output file of its release: with a long history, reading them
            // is a good part of a small site's build, so they are read in parallel. The first
            // problem in file order is the one reported, as it was when they were read in turn.
            let read: Vec<Result<Stored>> = files.par_iter().map(|path| read_entry(path)).collect();
            entries = read.into_iter().collect::<Result<Vec<_>>>()?;
        }
        entries.sort_by_key(|s| s.entry.number);
        Ok(Ledger { dir, entries })
    }

    pub fn latest(&self) -> Option<&Entry> {
        self.entries.last().map(|s| &s.entry)
    }

    pub fn file_name(number: u32) -> String {
        format!("{number:04}.json")
    }

    fn object_path(&self, digest: &str) -> PathBuf {
        let (head, tail) = digest.split_at(2.min(digest.len()));
        self.dir.join("objects").join(head).join(tail)
    }

    /// The stored source of a released record version.
    pub fn object(&self, digest: &str) -> Result<String> {
        let path = self.object_path(digest);
        fs::read_to_string(&path)
            .map_err(|e| Error::Ledger(format!("账本缺少已发布版本的原文 {}：{e}", path.display())))
    }

    /// Stores a source by its digest (once; an existing object is never rewritten).
    pub fn store_object(&self, digest: &str, text: &str) -> Result<()> {
        let path = self.object_path(digest);
        if path.exists() {
            return Ok(());
        }
        write_new(&path, text.as_bytes())
    }

    /// Appends `entry` as the next file; refuses to overwrite anything.
    pub fn append(&self, entry: &Entry) -> Result<()> {
        let path = self.dir.join(Ledger::file_name(entry.number));
        if path.exists() {
            return Err(Error::Ledger(format!("{} 已存在：账本只能追加，不能改写", path.display())));
        }
        write_new(&path, &entry.to_bytes())
    }

    /// Problems of the hash chain and numbering, naming the broken link.
    pub fn chain_problems(&self) -> Vec<String> {
        let mut out = Vec::new();
        for (i, s) in self.entries.iter().enumerate() {
            let want_number = i as u32 + 1;
            if s.entry.number != want_number {
                out.push(format!(
                    "content/releases/{}：版本号为 {}，应为 {want_number}（账本不连续）",
                    s.file, s.entry.number
                ));
            }
            if s.file != Ledger::file_name(s.entry.number) {
                out.push(format!("content/releases/{}：文件名与版本号 {} 不符", s.file, s.entry.number));
            }
            let want_previous = i.checked_sub(1).map(|p| self.entries[p].digest.clone());
            if s.entry.previous != want_previous {
                let prev = i.checked_sub(1).map(|p| self.entries[p].file.clone()).unwrap_or_default();
                out.push(format!(
                    "哈希链断裂：第{}版（content/releases/{}）记录的上一版摘要与 content/releases/{prev} 的实际摘要不符，{prev} 在发布后被改动过",
                    s.entry.number, s.file
                ));
            }
        }
        out
    }
}

/// Writes a new file through a temporary name, so a killed run leaves no half-written file.
fn write_new(path: &Path, bytes: &[u8]) -> Result<()> {
    let dir = path.parent().unwrap_or(Path::new("."));
    fs::create_dir_all(dir).map_err(|e| Error::write(dir, e))?;
    let tmp = path.with_extension("tmp");
    fs::write(&tmp, bytes).map_err(|e| Error::write(&tmp, e))?;
    fs::rename(&tmp, path).map_err(|e| Error::write(path, e))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(number: u32, previous: Option<String>) -> Entry {
        Entry {
            number,
            date: Date::parse("2026-03-31").unwrap(),
            time: "2026-03-31T09:00:00+08:00".into(),
            by: "编辑".into(),
            message: "说明".into(),
            previous,
            changes: Changes::default(),
            records: BTreeMap::new(),
            files: BTreeMap::new(),
        }
    }

    #[test]
    fn append_chain_and_detect_an_edited_entry() {
        let root = tempfile::tempdir().unwrap();
        let ledger = Ledger::open(root.path()).unwrap();
        ledger.append(&entry(1, None)).unwrap();
        let ledger = Ledger::open(root.path()).unwrap();
        ledger.append(&entry(2, Some(ledger.entries[0].digest.clone()))).unwrap();
        assert!(ledger.append(&entry(1, None)).is_err(), "never overwrites");
        let ledger = Ledger::open(root.path()).unwrap();
        assert_eq!(ledger.chain_problems(), Vec::<String>::new());
        let first = ledger.dir.join("0001.json");
        let text = fs::read_to_string(&first).unwrap().replace("说明", "改过的说明");
        fs::write(&first, text).unwrap();
        let problems = Ledger::open(root.path()).unwrap().chain_problems();
        assert_eq!(problems.len(), 1);
        assert!(problems[0].contains("第2版") && problems[0].contains("0001.json"), "{problems:?}");
    }

    #[test]
    fn objects_are_content_addressed() {
        let root = tempfile::tempdir().unwrap();
        let ledger = Ledger::open(root.path()).unwrap();
        let d = digest_hex(b"abc");
        ledger.store_object(&d, "abc").unwrap();
        ledger.store_object(&d, "abc").unwrap();
        assert_eq!(ledger.object(&d).unwrap(), "abc");
    }
}
