//! The only writer of the output folder: writes an `Output` into a staging folder beside the target,
//! then swaps it into place atomically (renameat2 RENAME_EXCHANGE where the OS has it), so a failed
//! or killed build leaves the previous site complete. Never renders anything.

mod tree;

use crate::error::{Error, Result};
use crate::render::Output;
use rayon::prelude::*;
use std::fs;
use std::path::{Path, PathBuf};

/// Writes `output` to `out_dir`, replacing what was there only once everything is on disk.
pub fn write_atomically(output: &Output, out_dir: &Path) -> Result<()> {
    let staging = Staging::begin(out_dir)?;
    staging.make_folders(output.files.keys().map(String::as_str))?;
    output.files.par_iter().try_for_each(|(rel, bytes)| staging.put(rel, bytes))?;
    staging.publish()
}

/// A new site being written file by file, from any thread, into a staging folder beside `out_dir`;
/// [`Staging::publish`] swaps it into place. Dropped before that (a failed build), it is removed
/// and the previous site stays as it was.
pub struct Staging {
    out_dir: PathBuf,
    path: PathBuf,
    tree: Option<tree::Tree>,
}

impl Staging {
    /// An empty staging folder for `out_dir` (leftovers of killed builds removed first).
    pub fn begin(out_dir: &Path) -> Result<Staging> {
        let out_dir = absolute(out_dir)?;
        let parent = out_dir.parent().ok_or_else(|| Error::Usage(format!("输出目录无效：{}", out_dir.display())))?;
        fs::create_dir_all(parent).map_err(|e| Error::write(parent, e))?;
        let name = out_dir.file_name().map(|n| n.to_string_lossy().to_string()).unwrap_or_else(|| "public".into());
        clean_leftovers(parent, &name);
        let path = parent.join(format!(".{name}.staging-{}", std::process::id()));
        if path.exists() {
            tree::remove(&path).map_err(|e| Error::write(&path, e))?;
        }
        fs::create_dir_all(&path).map_err(|e| Error::write(&path, e))?;
        let tree = tree::Tree::open(&path).map_err(|(_, e)| Error::write(&path, e))?;
        Ok(Staging { out_dir, path, tree: Some(tree) })
    }

    /// Makes the folders of files to come (`paths` sorted), a level at a time.
    pub fn make_folders<'a>(&self, paths: impl Iterator<Item = &'a str>) -> Result<()> {
        self.tree().make_folders(paths).map_err(|(rel, e)| Error::write(self.path.join(rel), e))
    }

    /// Writes the file `rel` of the new site.
    pub fn put(&self, rel: &str, bytes: &[u8]) -> Result<()> {
        self.tree().put(rel, bytes).map_err(|(rel, e)| Error::write(self.path.join(rel), e))
    }

    /// Swaps the new site into place of the old one.
    pub fn publish(mut self) -> Result<()> {
        self.tree = None;
        swap_into_place(&self.path, &self.out_dir)
    }

    fn tree(&self) -> &tree::Tree {
        self.tree.as_ref().expect("a staging folder is written only before it is published")
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        if self.tree.take().is_some() {
            let _ = tree::remove(&self.path);
        }
    }
}

fn absolute(p: &Path) -> Result<PathBuf> {
    if p.is_absolute() {
        return Ok(p.to_path_buf());
    }
    let cwd = std::env::current_dir().map_err(|e| Error::read(".", e))?;
    Ok(cwd.join(p))
}

/// Removes staging and retired folders that a killed build left behind.
fn clean_leftovers(parent: &Path, name: &str) {
    let Ok(entries) = fs::read_dir(parent) else {
        return;
    };
    let prefixes = [format!(".{name}.staging-"), format!(".{name}.old-")];
    for e in entries.flatten() {
        let file = e.file_name().to_string_lossy().to_string();
        if prefixes.iter().any(|p| file.starts_with(p.as_str())) {
            let _ = tree::remove(&e.path());
        }
    }
}

fn swap_into_place(staging: &Path, out_dir: &Path) -> Result<()> {
    if !out_dir.exists() {
        return fs::rename(staging, out_dir).map_err(|e| Error::write(out_dir, e));
    }
    if exchange(staging, out_dir).is_ok() {
        // `staging` now holds the previous site.
        let _ = tree::remove(staging);
        return Ok(());
    }
    // No atomic exchange here: two renames, with the old site kept until the new one is in place.
    let parent = out_dir.parent().unwrap_or(Path::new("."));
    let name = out_dir.file_name().map(|n| n.to_string_lossy().to_string()).unwrap_or_default();
    let retired = parent.join(format!(".{name}.old-{}", std::process::id()));
    fs::rename(out_dir, &retired).map_err(|e| Error::write(out_dir, e))?;
    fs::rename(staging, out_dir).map_err(|e| Error::write(out_dir, e))?;
    let _ = tree::remove(&retired);
    Ok(())
}

#[cfg(target_os = "linux")]
fn exchange(a: &Path, b: &Path) -> std::io::Result<()> {
    use rustix::fs::{renameat_with, RenameFlags, CWD};
    renameat_with(CWD, a, CWD, b, RenameFlags::EXCHANGE).map_err(std::io::Error::from)
}

#[cfg(not(target_os = "linux"))]
fn exchange(_: &Path, _: &Path) -> std::io::Result<()> {
    Err(std::io::Error::from(std::io::ErrorKind::Unsupported))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_then_replaces_whole_tree() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("public");
        let mut a = Output::default();
        a.insert("index.html".into(), b"one".to_vec());
        a.insert("orgs/x/index.html".into(), b"x".to_vec());
        write_atomically(&a, &out).unwrap();
        assert_eq!(fs::read(out.join("orgs/x/index.html")).unwrap(), b"x");
        let mut b = Output::default();
        b.insert("index.html".into(), b"two".to_vec());
        write_atomically(&b, &out).unwrap();
        assert_eq!(fs::read(out.join("index.html")).unwrap(), b"two");
        assert!(!out.join("orgs").exists(), "files of the old build are gone");
        let leftovers: Vec<_> = fs::read_dir(tmp.path()).unwrap().flatten().map(|e| e.file_name()).collect();
        assert_eq!(leftovers.len(), 1, "no staging folder left: {leftovers:?}");
    }

    #[test]
    fn files_go_in_as_they_come_and_an_unpublished_staging_folder_is_removed() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("public");
        let mut first = Output::default();
        first.insert("index.html".into(), b"one".to_vec());
        write_atomically(&first, &out).unwrap();

        let staging = Staging::begin(&out).unwrap();
        staging.make_folders(["a/index.html"].into_iter()).unwrap();
        staging.put("a/index.html", b"a").unwrap();
        // A file whose folders were not announced: they are made when the write finds them missing.
        staging.put("b/c/d.js", b"d").unwrap();
        drop(staging);
        assert_eq!(fs::read(out.join("index.html")).unwrap(), b"one", "the previous site is untouched");
        assert!(!out.join("a").exists());
        let names: Vec<_> = fs::read_dir(tmp.path()).unwrap().flatten().map(|e| e.file_name()).collect();
        assert_eq!(names, ["public"], "the dropped staging folder is gone");

        let staging = Staging::begin(&out).unwrap();
        staging.put("b/c/d.js", b"d").unwrap();
        staging.publish().unwrap();
        assert_eq!(fs::read(out.join("b/c/d.js")).unwrap(), b"d");
        assert!(!out.join("index.html").exists(), "the new site replaced the old one whole");
    }
}
