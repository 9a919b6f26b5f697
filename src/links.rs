//! The link checker: every `href`/`src`/`action` of every rendered page (whatever template or
//! Markdown made it) that points inside the site must resolve to a file of the output (and a
//! `#fragment` to an `id` on that page). External links are collected, never fetched. Works on the
//! in-memory `Output`, or page by page as a build makes them; never reads or writes disk.

mod scan;

use crate::render::Output;
use rayon::prelude::*;
use std::borrow::Cow;
use std::collections::{BTreeSet, HashMap, HashSet};
use std::sync::OnceLock;

/// A link that does not resolve.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct BrokenLink {
    pub page: String,
    pub target: String,
}

#[derive(Debug, Default)]
pub struct LinkReport {
    pub broken: Vec<BrokenLink>,
    pub external: BTreeSet<String>,
    pub checked: usize,
}

/// Checks every link of every HTML page in `out`. Pages are scanned in parallel and borrowed, not
/// copied or even validated as UTF-8: at 10,000 records the pages are over a hundred megabytes.
pub fn check(out: &Output) -> LinkReport {
    let files: HashSet<&str> = out.files.keys().map(String::as_str).collect();
    let checker = Checker::default();
    checker.know(files.iter().copied());
    let pages: Vec<PageLinks> =
        out.files.par_iter().filter(|(k, _)| k.ends_with(".html")).map(|(k, v)| checker.page(k, v)).collect();
    finish(pages, &files)
}

/// Checks pages one at a time, as they are made (from any thread), against the files known before
/// any was made: a link is resolved as soon as it is found, and only one to a file not known yet,
/// or with a `#fragment` into another page, waits for [`finish`].
#[derive(Default)]
pub struct Checker {
    known: OnceLock<HashSet<String>>,
}

/// What one page's links came to, and what is left to resolve once every file is known.
pub struct PageLinks {
    path: String,
    /// Its ids, sorted.
    ids: Vec<String>,
    /// Its external links, broken links and count, the links that wait aside.
    report: LinkReport,
    waiting: Vec<Waiting>,
}

/// A link to a file not known while its page was checked, or to a `#fragment` of another page.
struct Waiting {
    /// As written in the page.
    raw: String,
    /// The file it points at, from the site's root.
    target: String,
    fragment: Option<String>,
}

impl Checker {
    /// The files that exist before any page is checked (a second call changes nothing).
    pub fn know<'p>(&self, paths: impl IntoIterator<Item = &'p str>) {
        let _ = self.known.set(paths.into_iter().map(str::to_string).collect());
    }

    /// Checks the page `path`.
    pub fn page(&self, path: &str, html: &[u8]) -> PageLinks {
        let empty = HashSet::new();
        let known = self.known.get().unwrap_or(&empty);
        let mut report = LinkReport::default();
        let mut waiting = Vec::new();
        let mut here = Vec::new();
        // One buffer for every target of the page: resolving allocates nothing.
        let mut target = String::new();
        let ids = scan::scan(html, |raw| {
            report.checked += 1;
            if has(&raw, b':') || raw.starts_with("//") {
                report.external.insert(raw.into_owned());
                return;
            }
            let Some(fragment) = target_of(path, &raw, &mut target) else {
                report.broken.push(BrokenLink { page: path.to_string(), target: raw.into_owned() });
                return;
            };
            match (known.contains(target.as_str()), fragment) {
                (true, None) => {}
                (true, Some(fragment)) if target == path => here.push((fragment.len(), raw)),
                (_, fragment) => waiting.push(Waiting {
                    fragment: fragment.map(str::to_string),
                    target: target.clone(),
                    raw: raw.into_owned(),
                }),
            }
        });
        // Links to a `#fragment` of this very page, now that its ids are known.
        for (len, raw) in here {
            if !has_id(&ids, &raw[raw.len() - len..]) {
                report.broken.push(BrokenLink { page: path.to_string(), target: raw.into_owned() });
            }
        }
        PageLinks { path: path.to_string(), ids: ids.into_iter().map(Cow::into_owned).collect(), report, waiting }
    }
}

/// The report of every page, once every file of the site (`files`) is known.
pub fn finish(pages: Vec<PageLinks>, files: &HashSet<&str>) -> LinkReport {
    let ids: HashMap<&str, &[String]> = pages.iter().map(|p| (p.path.as_str(), p.ids.as_slice())).collect();
    let mut report = LinkReport::default();
    for page in &pages {
        for link in &page.waiting {
            let found = files.contains(link.target.as_str())
                && link
                    .fragment
                    .as_ref()
                    .is_none_or(|f| ids.get(link.target.as_str()).is_some_and(|ids| has_id(ids, f)));
            if !found {
                report.broken.push(BrokenLink { page: page.path.clone(), target: link.raw.clone() });
            }
        }
    }
    for page in pages {
        report.broken.extend(page.report.broken);
        report.external.extend(page.report.external);
        report.checked += page.report.checked;
    }
    report.broken.sort();
    report.broken.dedup();
    report
}

/// Resolves `link` from `page` into `target`: `None` if it climbs above the site's root, else the
/// `#fragment` to find when the target is a page and the link names one.
fn target_of<'l>(page: &str, link: &'l str, target: &mut String) -> Option<Option<&'l str>> {
    let (path, fragment) = match memchr::memchr(b'#', link.as_bytes()) {
        Some(i) => (&link[..i], Some(&link[i + 1..])),
        None => (link, None),
    };
    let path = memchr::memchr(b'?', path.as_bytes()).map_or(path, |i| &path[..i]);
    target.clear();
    if path.is_empty() {
        target.push_str(page);
    } else if !join(page, path, target) {
        return None;
    }
    if target.is_empty() || target.ends_with('/') {
        target.push_str("index.html");
    }
    Some(fragment.filter(|f| !f.is_empty() && target.ends_with(".html")))
}

/// `id` is among the sorted `ids`.
fn has_id<S: AsRef<str>>(ids: &[S], id: &str) -> bool {
    ids.binary_search_by(|probe| probe.as_ref().cmp(id)).is_ok()
}

/// `s` holds the ASCII byte `b`. (Links are short: a plain loop beats a searcher's set-up.)
fn has(s: &str, b: u8) -> bool {
    s.bytes().any(|c| c == b)
}

/// Resolves `link` relative to the directory of `page` into `joined` (empty on entry); `false` if
/// it climbs above the root. `joined` holds the path's segments joined by `/`; `depth` counts them.
fn join(page: &str, link: &str, joined: &mut String) -> bool {
    let mut depth = 0;
    if let Some(slash) = page.bytes().rposition(|b| b == b'/').filter(|_| !link.starts_with('/')) {
        joined.push_str(&page[..slash]);
        depth = 1 + page[..slash].bytes().filter(|&b| b == b'/').count();
    }
    for seg in segments(link) {
        match seg {
            "" | "." => {}
            ".." => {
                if depth == 0 {
                    return false;
                }
                depth -= 1;
                let last = joined.bytes().rposition(|b| b == b'/');
                joined.truncate(last.unwrap_or(0));
            }
            s => {
                if depth > 0 {
                    joined.push('/');
                }
                joined.push_str(s);
                depth += 1;
            }
        }
    }
    if link.ends_with('/') {
        joined.push('/');
    }
    true
}

/// `link.split('/')`, by a plain loop over the bytes.
fn segments(link: &str) -> impl Iterator<Item = &str> {
    let mut start = 0;
    let ends = link.bytes().enumerate().filter(|&(_, b)| b == b'/').map(|(i, _)| i).chain([link.len()]);
    ends.map(move |end| {
        let seg = &link[start..end];
        start = end + 1;
        seg
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn site(files: &[(&str, &str)]) -> Output {
        let mut o = Output::default();
        for (k, v) in files {
            o.insert(k.to_string(), v.as_bytes().to_vec());
        }
        o
    }

    #[test]
    fn finds_broken_links_and_fragments_and_skips_external() {
        let out = site(&[
            (
                "index.html",
                r##"<a href="orgs/index.html">x</a><a href="orgs/nope/index.html">y</a><a href="https://e.cn/">z</a><a href="#top">t</a><p id="top"></p>"##,
            ),
            ("orgs/index.html", r##"<a href="../index.html#missing">back</a><link href="../static/a.css">"##),
            ("search/index.html", r##"<form action="../nope/index.html"></form><a data-href="x">y</a>"##),
        ]);
        let r = check(&out);
        let broken: Vec<(&str, &str)> = r.broken.iter().map(|b| (b.page.as_str(), b.target.as_str())).collect();
        assert_eq!(
            broken,
            vec![
                ("index.html", "orgs/nope/index.html"),
                ("orgs/index.html", "../index.html#missing"),
                ("orgs/index.html", "../static/a.css"),
                ("search/index.html", "../nope/index.html")
            ]
        );
        assert!(r.external.contains("https://e.cn/"));
    }

    #[test]
    fn links_to_files_made_later_wait_for_them() {
        let checker = Checker::default();
        checker.know(["index.html", "a/index.html"]);
        let html = br##"<a href="a/index.html">ok</a><a href="data/x.csv">later</a><a href="a/index.html#top">there</a><a href="#here">here</a><b id="here"></b>"##;
        let page = checker.page("index.html", html);
        assert_eq!(page.waiting.len(), 2, "the data file and the other page's fragment wait");
        let other = checker.page("a/index.html", br#"<p id="top"></p>"#);
        let files: HashSet<&str> = ["index.html", "a/index.html", "data/x.csv"].into_iter().collect();
        let report = finish(vec![page, other], &files);
        assert!(report.broken.is_empty(), "{:?}", report.broken);
        assert_eq!(report.checked, 4);
        let page = checker.page("index.html", html);
        let report = finish(vec![page], &["index.html", "a/index.html"].into_iter().collect());
        let broken: Vec<&str> = report.broken.iter().map(|b| b.target.as_str()).collect();
        assert_eq!(broken, ["a/index.html#top", "data/x.csv"], "no such file, and no page scanned with that id");
    }

    fn joined(page: &str, link: &str) -> Option<String> {
        let mut out = String::new();
        join(page, link, &mut out).then_some(out)
    }

    #[test]
    fn links_above_the_root_are_broken() {
        assert_eq!(joined("a/index.html", "../../x.html"), None);
        assert_eq!(joined("a/b/index.html", "../c/index.html"), Some("a/c/index.html".into()));
    }

    /// The joining of segments this replaces: a list of the page's folders, pushed and popped.
    fn joined_by_list(page: &str, link: &str) -> Option<String> {
        let mut parts: Vec<&str> = page.split('/').collect();
        parts.pop();
        if link.starts_with('/') {
            parts.clear();
        }
        for seg in link.split('/') {
            match seg {
                "" | "." => {}
                ".." => {
                    parts.pop()?;
                }
                s => parts.push(s),
            }
        }
        let mut joined = parts.join("/");
        if link.ends_with('/') {
            joined.push('/');
        }
        Some(joined)
    }

    #[test]
    fn joins_as_a_list_of_segments_would() {
        let pages = ["index.html", "a/index.html", "a/b/c.html", "a//b/index.html", "/x.html", "a/"];
        let links = ["x.html", "../x", "../../y/", "/abs/z.html", "./.././q", "..", "../", "a/../../b", "//", "."];
        for page in pages {
            for link in links {
                assert_eq!(joined(page, link), joined_by_list(page, link), "{page} + {link}");
            }
        }
    }
}
