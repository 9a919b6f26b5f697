//! The link checker: every `href`/`src`/`action` of every rendered page (whatever template or
//! Markdown made it) that points inside the site must resolve to a file of the output (and a
//! `#fragment` to an `id` on that page). External links are collected, never fetched. Works on the
//! in-memory `Output`; never reads or writes disk.

use crate::render::Output;
use rayon::prelude::*;
use regex::Regex;
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

fn attr_re() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| Regex::new(r#"\s(?:href|src|action)\s*=\s*"([^"]*)""#).expect("valid regex"))
}

fn id_re() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| Regex::new(r#"\bid\s*=\s*"([^"]*)""#).expect("valid regex"))
}

/// Checks every link of every HTML page in `out`. Pages are scanned in parallel and borrowed, not
/// copied: at 10,000 records the pages are a few hundred megabytes.
pub fn check(out: &Output) -> LinkReport {
    let pages: Vec<(&str, Cow<str>)> = out
        .files
        .iter()
        .filter(|(k, _)| k.ends_with(".html"))
        .map(|(k, v)| (k.as_str(), String::from_utf8_lossy(v)))
        .collect();
    let ids: HashMap<&str, HashSet<String>> = pages
        .par_iter()
        .map(|(page, html)| (*page, id_re().captures_iter(html).map(|c| unescape(&c[1]).into_owned()).collect()))
        .collect();
    let site = Site { files: out.files.keys().map(String::as_str).collect(), ids };
    let per_page: Vec<LinkReport> = pages.par_iter().map(|(page, html)| site.check_page(page, html)).collect();
    let mut report = LinkReport::default();
    for r in per_page {
        report.broken.extend(r.broken);
        report.external.extend(r.external);
        report.checked += r.checked;
    }
    report.broken.sort();
    report.broken.dedup();
    report
}

/// What links resolve against: every output file, and the ids of every page.
struct Site<'a> {
    files: HashSet<&'a str>,
    ids: HashMap<&'a str, HashSet<String>>,
}

impl Site<'_> {
    fn check_page(&self, page: &str, html: &str) -> LinkReport {
        let mut report = LinkReport::default();
        for cap in attr_re().captures_iter(html) {
            let raw = unescape(&cap[1]);
            report.checked += 1;
            if raw.contains(':') || raw.starts_with("//") {
                report.external.insert(raw.into_owned());
                continue;
            }
            if !self.resolves(page, &raw) {
                report.broken.push(BrokenLink { page: page.to_string(), target: raw.into_owned() });
            }
        }
        report
    }

    fn resolves(&self, page: &str, link: &str) -> bool {
        let (path, fragment) = match link.split_once('#') {
            Some((p, f)) => (p, Some(f)),
            None => (link, None),
        };
        let path = path.split('?').next().unwrap_or("");
        let target = if path.is_empty() { Some(page.to_string()) } else { join(page, path) };
        let Some(target) = target else { return false };
        let target = if target.is_empty() || target.ends_with('/') { format!("{target}index.html") } else { target };
        if !self.files.contains(target.as_str()) {
            return false;
        }
        match fragment.filter(|f| !f.is_empty()) {
            Some(f) if target.ends_with(".html") => self.ids.get(target.as_str()).is_some_and(|set| set.contains(f)),
            _ => true,
        }
    }
}

/// The few entities the templates' escaping puts into URLs; most links have none and are borrowed.
fn unescape(s: &str) -> Cow<'_, str> {
    if !s.contains('&') {
        return Cow::Borrowed(s);
    }
    Cow::Owned(s.replace("&amp;", "&").replace("&#x2F;", "/").replace("&#x27;", "'").replace("&quot;", "\""))
}

/// Resolves `link` relative to the directory of `page`; `None` if it climbs above the root.
fn join(page: &str, link: &str) -> Option<String> {
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
    fn links_above_the_root_are_broken() {
        assert_eq!(join("a/index.html", "../../x.html"), None);
        assert_eq!(join("a/b/index.html", "../c/index.html"), Some("a/c/index.html".into()));
    }
}
