//! Test support: copy a fixture site into a temp dir, run the real `gongshi` binary on it, read
//! what it wrote.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Output;

pub fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests").join("fixtures")
}

pub fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A site in a temp dir, made from a fixture.
pub struct Site {
    pub dir: tempfile::TempDir,
}

impl Site {
    pub fn from_fixture(name: &str) -> Site {
        Site::from_dir(&fixtures().join(name))
    }

    pub fn from_dir(src: &Path) -> Site {
        let dir = tempfile::tempdir().expect("temp dir");
        copy_dir(src, dir.path());
        Site { dir }
    }

    pub fn root(&self) -> &Path {
        self.dir.path()
    }

    pub fn path(&self, rel: &str) -> PathBuf {
        self.root().join(rel)
    }

    /// Writes (or replaces) a content file.
    pub fn write(&self, rel: &str, text: &str) {
        let p = self.path(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    }

    pub fn read(&self, rel: &str) -> String {
        std::fs::read_to_string(self.path(rel)).unwrap_or_else(|e| panic!("read {rel}: {e}"))
    }

    /// Replaces `from` by `to` in a file, failing loudly if `from` is absent.
    pub fn edit(&self, rel: &str, from: &str, to: &str) {
        let text = self.read(rel);
        assert!(text.contains(from), "{rel} does not contain {from:?}");
        self.write(rel, &text.replacen(from, to, 1));
    }

    /// Runs `gongshi <args> --root <site>`.
    pub fn run(&self, args: &[&str]) -> Run {
        let mut cmd = assert_cmd::Command::cargo_bin("gongshi").expect("binary");
        cmd.args(args).arg("--root").arg(self.root());
        Run(cmd.output().expect("run gongshi"))
    }

    pub fn build(&self, date: &str) -> Run {
        self.run(&["build", "--date", date])
    }

    /// Every file under `public/` (or another output dir): relative path -> bytes.
    pub fn tree(&self, out: &str) -> BTreeMap<String, Vec<u8>> {
        read_tree(&self.path(out))
    }

    pub fn page(&self, rel: &str) -> String {
        self.read(&format!("public/{rel}"))
    }

    /// Staging folders a build left beside `public/` (none, once a build is over).
    pub fn staging_leftovers(&self) -> Vec<String> {
        std::fs::read_dir(self.root())
            .unwrap()
            .flatten()
            .map(|e| e.file_name().to_string_lossy().to_string())
            .filter(|n| n.contains("staging"))
            .collect()
    }
}

pub struct Run(pub Output);

impl Run {
    pub fn code(&self) -> i32 {
        self.0.status.code().unwrap_or(-1)
    }
    pub fn stderr(&self) -> String {
        String::from_utf8_lossy(&self.0.stderr).into_owned()
    }
    pub fn stdout(&self) -> String {
        String::from_utf8_lossy(&self.0.stdout).into_owned()
    }
    #[track_caller]
    pub fn assert_ok(&self) -> &Run {
        assert_eq!(self.code(), 0, "exit code; stderr:\n{}\nstdout:\n{}", self.stderr(), self.stdout());
        self
    }
}

pub fn read_tree(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut out = BTreeMap::new();
    for e in walkdir::WalkDir::new(dir).sort_by_file_name() {
        let e = e.unwrap();
        if e.file_type().is_file() {
            let rel = e.path().strip_prefix(dir).unwrap().to_string_lossy().replace('\\', "/");
            out.insert(rel, std::fs::read(e.path()).unwrap());
        }
    }
    out
}

pub fn copy_dir(src: &Path, dst: &Path) {
    for e in walkdir::WalkDir::new(src) {
        let e = e.unwrap();
        let rel = e.path().strip_prefix(src).unwrap();
        let target = dst.join(rel);
        if e.file_type().is_dir() {
            std::fs::create_dir_all(&target).unwrap();
        } else {
            std::fs::copy(e.path(), &target).unwrap();
        }
    }
}

/// Text of an HTML page with tags removed and whitespace collapsed, for asserting on what a reader sees.
pub fn visible_text(html: &str) -> String {
    let inline = regex::Regex::new(r"</?(?:span|a|strong|em|code|b)\b[^>]*>").unwrap().replace_all(html, "");
    let no_tags = regex::Regex::new(r"(?s)<[^>]*>").unwrap().replace_all(&inline, " ");
    let decoded = no_tags
        .replace("&amp;", "&")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#x27;", "'")
        .replace("&#x2F;", "/");
    decoded.split_whitespace().collect::<Vec<_>>().join(" ")
}
