//! The link checker: every `href`/`src`/`action` of every rendered page (whatever template or
//! Markdown made it) that points inside the site must resolve to a file of the output (and a
//! `#fragment` to an `id` on that page). External links are collected, never fetched. Works on the
//! in-memory `Output`; never reads or writes disk.

mod scan;

use crate::render::Output;
use rayon::prelude::*;
use std::borrow::Cow;
use std::collections::{BTreeSet, HashMap, HashSet};

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
/// A link is resolved as soon as it is found; one with a `#fragment` into a page waits until every
/// page's ids are known.
pub fn check(out: &Output) -> LinkReport {
    let files: HashSet<&str> = out.files.keys().map(String::as_str).collect();
    let pages: Vec<Page> =
        out.files.par_iter().filter(|(k, _)| k.ends_with(".html")).map(|(k, v)| Page::check(&files, k, v)).collect();
    let ids: HashMap<&str, &[Cow<str>]> = pages.iter().map(|p| (p.path, p.ids.as_slice())).collect();
    let mut report = LinkReport::default();
    let mut target = String::new();
    for page in &pages {
        for raw in &page.with_fragment {
            let found = matches!(target_of(&files, page.path, raw, &mut target),
                Some(Some(fragment)) if ids.get(target.as_str()).is_some_and(|ids| has_id(ids, fragment)));
            if !found {
                report.broken.push(BrokenLink { page: page.path.to_string(), target: raw.to_string() });
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

/// One page after the first pass.
struct Page<'a> {
    path: &'a str,
    /// Its ids, sorted.
    ids: Vec<Cow<'a, str>>,
    /// Its external links, broken links and count, fragments aside.
    report: LinkReport,
    /// Its links to an existing page with a `#fragment`, to look up among that page's ids.
    with_fragment: Vec<Cow<'a, str>>,
}

impl<'a> Page<'a> {
    fn check(files: &HashSet<&str>, path: &'a str, html: &'a [u8]) -> Page<'a> {
        let mut report = LinkReport::default();
        let mut with_fragment = Vec::new();
        // One buffer for every target of the page: resolving allocates nothing.
        let mut target = String::new();
        let ids = scan::scan(html, |raw| {
            report.checked += 1;
            if has(&raw, b':') || raw.starts_with("//") {
                report.external.insert(raw.into_owned());
                return;
            }
            match target_of(files, path, &raw, &mut target) {
                None => report.broken.push(BrokenLink { page: path.to_string(), target: raw.into_owned() }),
                Some(None) => {}
                Some(Some(_)) => with_fragment.push(raw),
            }
        });
        Page { path, ids, report, with_fragment }
    }
}

/// Resolves `link` from `page` into `target`: `None` if no file of the output is there, else the
/// `#fragment` still to find when the target is a page and the link names one.
fn target_of<'l>(files: &HashSet<&str>, page: &str, link: &'l str, target: &mut String) -> Option<Option<&'l str>> {
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
    if !files.contains(target.as_str()) {
        return None;
    }
    Some(fragment.filter(|f| !f.is_empty() && target.ends_with(".html")))
}

/// `id` is among the sorted `ids`.
fn has_id(ids: &[Cow<str>], id: &str) -> bool {
    ids.binary_search_by(|probe| (**probe).cmp(id)).is_ok()
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
