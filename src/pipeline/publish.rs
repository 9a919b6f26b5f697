//! `build`'s way out: each file goes into the staging folder as soon as the renderer makes it, and
//! its digest (for a preview's manifest) and links (for the link check) are taken while its bytes
//! are at hand, so no page is kept in memory once written. Never renders, and writes only through
//! `write::Staging`.

use crate::error::{Error, Result};
use crate::links::{self, Checker, LinkReport, PageLinks};
use crate::release::verify::MANIFEST;
use crate::render::Sink;
use crate::validate::digest_hex;
use crate::write::Staging;
use std::borrow::Cow;
use std::collections::{BTreeMap, HashSet};

/// Writes into `staging`, checking links and, for a preview, taking digests.
pub struct Publish<'a> {
    staging: &'a Staging,
    links: Checker,
    digests: bool,
}

/// What is kept of a file once it is written.
pub struct Written {
    digest: Option<String>,
    links: Option<PageLinks>,
}

impl Sink for Publish<'_> {
    type Kept = Written;

    fn expect(&self, paths: &[&str]) -> Result<()> {
        self.links.know(paths.iter().copied());
        self.staging.make_folders(paths.iter().copied())
    }

    fn put(&self, path: &str, bytes: Cow<'_, [u8]>) -> Result<Written> {
        let links = path.ends_with(".html").then(|| self.links.page(path, &bytes));
        let digest = self.digests.then(|| digest_hex(&bytes));
        self.staging.put(path, &bytes)?;
        Ok(Written { digest, links })
    }
}

/// The site as written: its files' digests (when taken) and its link report.
pub struct Published {
    pub digests: BTreeMap<String, String>,
    pub links: LinkReport,
    pub pages: usize,
    /// Every file, the manifest included.
    pub files: usize,
}

impl<'a> Publish<'a> {
    /// `digests`: take every file's digest (a preview's manifest lists them).
    pub fn new(staging: &'a Staging, digests: bool) -> Publish<'a> {
        Publish { staging, links: Checker::default(), digests }
    }

    /// Checks the links of `written` (every file but the manifest, which is written next) against
    /// each other, and gathers the digests. Two files made for one path would leave the one that
    /// happened to be written last: an error, never a silent choice.
    pub fn finish(written: Vec<(String, Written)>) -> Result<Published> {
        let mut paths = Vec::with_capacity(written.len() + 1);
        let mut digests = BTreeMap::new();
        let mut pages = Vec::new();
        for (path, w) in written {
            pages.extend(w.links);
            if let Some(digest) = w.digest {
                digests.insert(path.clone(), digest);
            }
            paths.push(path);
        }
        paths.push(MANIFEST.to_string());
        let files: HashSet<&str> = paths.iter().map(String::as_str).collect();
        if files.len() != paths.len() {
            let mut seen = HashSet::new();
            let twice = paths.iter().find(|p| !seen.insert(p.as_str())).cloned().unwrap_or_default();
            return Err(Error::Other(format!("同一个输出文件生成了两次：{twice}")));
        }
        let count = pages.len();
        Ok(Published { digests, links: links::finish(pages, &files), pages: count, files: files.len() })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn written(path: &str) -> (String, Written) {
        (path.to_string(), Written { digest: None, links: None })
    }

    #[test]
    fn a_path_made_twice_is_an_error() {
        let err = Publish::finish(vec![written("a/index.html"), written("b.js"), written("a/index.html")]).err();
        assert!(err.is_some_and(|e| e.to_string().contains("a/index.html")));
        let done = Publish::finish(vec![written("a/index.html"), written("b.js")]).unwrap();
        assert_eq!((done.pages, done.files), (0, 3), "the manifest counts as a file");
    }
}
