//! Writes files into a folder tree (from any thread, folders made as needed), and removes a folder
//! tree in parallel, both, on Unix, through folder descriptors (each path is looked up from its
//! folder, not from `/`). Knows nothing of staging or swapping: `write` decides which folder is which.

use rayon::prelude::*;
use std::io;
use std::path::Path;

/// A path (relative to the tree's root, or absolute) and what went wrong there.
pub type Failure = (String, io::Error);

/// An existing folder that files are written into, from any thread.
pub struct Tree {
    root: imp::Root,
}

impl Tree {
    pub fn open(root: &Path) -> Result<Tree, Failure> {
        Ok(Tree { root: imp::open_dir(root).map_err(|e| (root.display().to_string(), e))? })
    }

    /// Makes every folder that holds a file of `paths` (sorted), once, a level at a time (a level's
    /// folders in parallel): then no write has to fail to find that its folder is missing.
    pub fn make_folders<'a>(&self, paths: impl Iterator<Item = &'a str>) -> Result<(), Failure> {
        for level in folders(paths) {
            level.par_iter().try_for_each(|dir| match imp::make_dir(&self.root, dir) {
                Err(e) if e.kind() != io::ErrorKind::AlreadyExists => Err((dir.to_string(), e)),
                _ => Ok(()),
            })?;
        }
        Ok(())
    }

    /// Writes the file `rel` (created or truncated), making its folders first when they are missing.
    pub fn put(&self, rel: &str, bytes: &[u8]) -> Result<(), Failure> {
        match imp::write_file(&self.root, rel, bytes) {
            Err(e) if e.kind() == io::ErrorKind::NotFound && rel.contains('/') => {
                self.make_folders(std::iter::once(rel))?;
                imp::write_file(&self.root, rel, bytes)
            }
            done => done,
        }
        .map_err(|e| (rel.to_string(), e))
    }
}

/// Every folder that holds a file of `paths` (sorted), grouped by depth: `levels[0]` the top ones.
fn folders<'a>(paths: impl Iterator<Item = &'a str>) -> Vec<Vec<&'a str>> {
    let mut levels: Vec<Vec<&str>> = Vec::new();
    for path in paths {
        let slashes = path.bytes().enumerate().filter(|&(_, b)| b == b'/').map(|(i, _)| i);
        for (depth, slash) in slashes.enumerate() {
            if levels.len() == depth {
                levels.push(Vec::new());
            }
            // Sorted paths keep everything under one folder together, so a folder seen before
            // is the last one of its level.
            let dir = &path[..slash];
            if levels[depth].last() != Some(&dir) {
                levels[depth].push(dir);
            }
        }
    }
    levels
}

/// Removes the folder `path` and everything in it; the subfolders of a folder in parallel.
pub fn remove(path: &Path) -> io::Result<()> {
    imp::remove(path)
}

#[cfg(unix)]
mod imp {
    use rayon::prelude::*;
    use rustix::fs::{openat, statat, AtFlags, Dir, FileType, Mode, OFlags, CWD};
    use std::ffi::{CStr, CString};
    use std::io::{self, Write};
    use std::os::fd::OwnedFd;
    use std::path::Path;

    const DIR_FLAGS: OFlags = OFlags::RDONLY.union(OFlags::DIRECTORY).union(OFlags::NOFOLLOW).union(OFlags::CLOEXEC);

    /// The folder a tree is written into.
    pub type Root = OwnedFd;

    pub fn open_dir(path: &Path) -> io::Result<OwnedFd> {
        Ok(openat(CWD, path, DIR_FLAGS, Mode::empty())?)
    }

    pub fn make_dir(root: &OwnedFd, rel: &str) -> io::Result<()> {
        Ok(rustix::fs::mkdirat(root, rel, Mode::from_raw_mode(0o777))?)
    }

    /// As `std::fs::write` does it (create or truncate, mode 0666 less the umask), from `root`.
    pub fn write_file(root: &OwnedFd, rel: &str, bytes: &[u8]) -> io::Result<()> {
        let flags = OFlags::WRONLY | OFlags::CREATE | OFlags::TRUNC | OFlags::CLOEXEC;
        let fd = openat(root, rel, flags, Mode::from_raw_mode(0o666))?;
        std::fs::File::from(fd).write_all(bytes)
    }

    /// As `std::fs::remove_dir_all` does it: a link named `path` is removed, not followed.
    pub fn remove(path: &Path) -> io::Result<()> {
        if std::fs::symlink_metadata(path)?.file_type().is_symlink() {
            return std::fs::remove_file(path);
        }
        remove_contents(&open_dir(path)?)?;
        std::fs::remove_dir(path)
    }

    /// Unlinks the files of `dir` as they are listed; empties and removes its folders in parallel.
    fn remove_contents(dir: &OwnedFd) -> io::Result<()> {
        let mut folders: Vec<CString> = Vec::new();
        for entry in Dir::read_from(dir)? {
            let entry = entry?;
            let name = entry.file_name();
            if name == c"." || name == c".." {
                continue;
            }
            if is_folder(dir, name, entry.file_type())? {
                folders.push(name.to_owned());
            } else {
                rustix::fs::unlinkat(dir, name, AtFlags::empty())?;
            }
        }
        folders.par_iter().try_for_each(|name| {
            let sub = openat(dir, name.as_c_str(), DIR_FLAGS, Mode::empty())?;
            remove_contents(&sub)?;
            drop(sub);
            Ok(rustix::fs::unlinkat(dir, name.as_c_str(), AtFlags::REMOVEDIR)?)
        })
    }

    /// A folder, not a link to one; asks the file system when the listing does not say.
    fn is_folder(dir: &OwnedFd, name: &CStr, listed: FileType) -> io::Result<bool> {
        Ok(match listed {
            FileType::Unknown => {
                FileType::from_raw_mode(statat(dir, name, AtFlags::SYMLINK_NOFOLLOW)?.st_mode) == FileType::Directory
            }
            known => known == FileType::Directory,
        })
    }
}

#[cfg(not(unix))]
mod imp {
    use std::io;
    use std::path::{Path, PathBuf};

    /// The folder a tree is written into.
    pub type Root = PathBuf;

    pub fn open_dir(path: &Path) -> io::Result<PathBuf> {
        Ok(path.to_path_buf())
    }

    pub fn make_dir(root: &Path, rel: &str) -> io::Result<()> {
        std::fs::create_dir(root.join(rel))
    }

    pub fn write_file(root: &Path, rel: &str, bytes: &[u8]) -> io::Result<()> {
        std::fs::write(root.join(rel), bytes)
    }

    pub fn remove(path: &Path) -> io::Result<()> {
        std::fs::remove_dir_all(path)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    /// Writes every file of `files` (relative path -> bytes) under the existing folder `root`.
    fn write(files: &BTreeMap<String, Vec<u8>>, root: &Path) -> Result<(), Failure> {
        let tree = Tree::open(root)?;
        tree.make_folders(files.keys().map(String::as_str))?;
        files.par_iter().try_for_each(|(rel, bytes)| tree.put(rel, bytes))
    }

    #[test]
    fn folders_come_once_by_level() {
        let paths = ["a/b/x.html", "a/b/y.html", "a/c/z.html", "a/index.html", "a-b/q", "index.html", "z/1/2/3"];
        let mut sorted = paths.to_vec();
        sorted.sort_unstable();
        let levels = folders(sorted.into_iter());
        assert_eq!(levels, vec![vec!["a-b", "a", "z"], vec!["a/b", "a/c", "z/1"], vec!["z/1/2"]]);
    }

    #[test]
    fn writes_a_tree_and_removes_it() {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path().join("site");
        std::fs::create_dir(&root).unwrap();
        let mut files = BTreeMap::new();
        for (i, path) in ["index.html", "a/index.html", "a/b/c/d.css", "e/f.txt"].into_iter().enumerate() {
            files.insert(path.to_string(), vec![b'x'; i * 5000]);
        }
        write(&files, &root).unwrap();
        for (path, bytes) in &files {
            assert_eq!(&std::fs::read(root.join(path)).unwrap(), bytes, "{path}");
        }
        #[cfg(unix)]
        std::os::unix::fs::symlink(tmp.path(), root.join("a/b/loop")).unwrap();
        std::fs::write(tmp.path().join("outside"), "kept").unwrap();
        remove(&root).unwrap();
        assert!(!root.exists());
        assert_eq!(std::fs::read_to_string(tmp.path().join("outside")).unwrap(), "kept", "links are not followed");
        #[cfg(unix)]
        {
            let link = tmp.path().join("link");
            std::os::unix::fs::symlink(tmp.path(), &link).unwrap();
            remove(&link).unwrap();
            assert!(!link.exists() && tmp.path().join("outside").exists(), "a link itself is removed, not its target");
        }
    }

    #[test]
    fn a_file_where_a_folder_must_go_is_an_error() {
        let tmp = tempfile::tempdir().unwrap();
        let mut files = BTreeMap::new();
        files.insert("a".to_string(), b"file".to_vec());
        files.insert("a/b.html".to_string(), b"page".to_vec());
        let failure = write(&files, tmp.path()).unwrap_err();
        assert!(failure.0.starts_with('a'), "{failure:?}");
    }
}
