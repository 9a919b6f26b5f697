//! Every internal link of the built sample resolves on disk (the way a browser opening
//! `public/index.html` from `file://` would follow it), and no resource comes from another host.

use crate::support::{repo_root, Site};
use std::collections::BTreeMap;

fn sample_site() -> Site {
    let s = Site { dir: tempfile::tempdir().unwrap() };
    crate::support::copy_dir(&repo_root().join("content"), &s.path("content"));
    s.build("2026-03-31").assert_ok();
    s
}

/// Resolves `link` from `page` (both relative to the output root); `None` if it leaves the root.
fn resolve(page: &str, link: &str) -> Option<String> {
    let mut parts: Vec<&str> = page.split('/').collect();
    parts.pop();
    for seg in link.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            s => parts.push(s),
        }
    }
    Some(parts.join("/"))
}

fn links_of(html: &str) -> Vec<String> {
    let re = regex::Regex::new(r#"(?:href|src)="([^"]*)""#).unwrap();
    re.captures_iter(html).map(|c| c[1].replace("&amp;", "&")).collect()
}

#[test]
fn every_internal_link_of_the_sample_resolves() {
    let site = sample_site();
    let tree: BTreeMap<String, Vec<u8>> = site.tree("public");
    let mut checked = 0;
    let mut broken = Vec::new();
    for (page, bytes) in tree.iter().filter(|(k, _)| k.ends_with(".html")) {
        let html = String::from_utf8_lossy(bytes);
        for link in links_of(&html) {
            if link.contains(':') {
                continue;
            }
            let (path, fragment) = link.split_once('#').map_or((link.as_str(), None), |(p, f)| (p, Some(f)));
            checked += 1;
            let target = if path.is_empty() { Some(page.clone()) } else { resolve(page, path) };
            match target {
                Some(t) if tree.contains_key(&t) => {
                    assert!(t.ends_with(".html") || !path.ends_with('/'), "{page}: {link} is a folder link");
                    if let Some(f) = fragment.filter(|f| !f.is_empty()) {
                        let target_html = String::from_utf8_lossy(&tree[&t]);
                        if !target_html.contains(&format!("id=\"{f}\"")) {
                            broken.push(format!("{page} -> {link} (no #{f})"));
                        }
                    }
                }
                _ => broken.push(format!("{page} -> {link}")),
            }
            assert!(
                path.is_empty() || path.ends_with(".html") || path.rsplit('/').next().unwrap().contains('.'),
                "{page}: {link} does not end in a file name"
            );
        }
    }
    assert!(checked > 1000, "walked {checked} links");
    assert!(broken.is_empty(), "broken links:\n{}", broken.join("\n"));
}

#[test]
fn no_resource_comes_from_another_host() {
    let site = sample_site();
    let re = regex::Regex::new(r#"<(?:link|script|img|iframe|source|video|audio)\b[^>]*(?:href|src)="(https?:)?//"#)
        .unwrap();
    for (page, bytes) in site.tree("public").iter().filter(|(k, _)| k.ends_with(".html") || k.ends_with(".css")) {
        let text = String::from_utf8_lossy(bytes);
        assert!(!re.is_match(&text), "{page} loads a resource from another host");
        assert!(!text.contains("url(http"), "{page} has a remote url()");
    }
}

#[test]
fn check_finds_a_planted_broken_link() {
    let site = sample_site();
    site.write("content/pages/about.md", "---\ntitle: 关于本站\n---\n[坏链接](../no-such-page/index.html)\n");
    let run = site.run(&["check", "--date", "2026-03-31"]);
    assert_eq!(run.code(), 1, "{}", run.stderr());
    assert!(
        run.stderr().contains("about/index.html:1:1: error[broken-link]: 站内链接 `../no-such-page/index.html`"),
        "{}",
        run.stderr()
    );
    let ok = sample_site().run(&["check", "--date", "2026-03-31"]);
    ok.assert_ok();
    assert!(ok.stdout().contains("检查通过"), "{}", ok.stdout());
}

/// `(attribute, value)` of every `href`, `src` and `action` in `html`.
fn attributes(html: &str) -> Vec<(String, String)> {
    let re = regex::Regex::new(r#"\s(href|src|action)="([^"]*)""#).unwrap();
    re.captures_iter(html).map(|c| (c[1].to_string(), c[2].replace("&amp;", "&"))).collect()
}

#[test]
fn resources_are_local_and_links_to_pages_relative() {
    let site = sample_site();
    let tree = site.tree("public");
    let base_url = "https://dj.example.gov.cn/";
    let mut bad = Vec::new();
    let mut seen = 0;
    let link_re = regex::Regex::new(r#"<link\b[^>]*\shref="([^"]*)""#).unwrap();
    let remote_css = regex::Regex::new(r#"(?i)url\(\s*['"]?(https?:|//)|@import"#).unwrap();
    for (page, bytes) in tree.iter().filter(|(k, _)| k.ends_with(".html")) {
        let html = String::from_utf8_lossy(bytes);
        for (attr, value) in attributes(&html) {
            seen += 1;
            let remote = value.starts_with("//") || value.contains("://");
            let scheme = value.split_once(':').map(|(s, _)| s).filter(|s| !s.contains('/'));
            match attr.as_str() {
                // Every src is a resource (script, image, frame, media): always a local file.
                "src" if remote || scheme.is_some() => bad.push(format!("{page}: src={value}")),
                // Links to the site's own pages and forms are relative, never rooted or absolute.
                _ if value.starts_with('/') || value.starts_with(base_url) => {
                    bad.push(format!("{page}: {attr}={value} is not relative"))
                }
                _ if scheme.is_some_and(|s| !["http", "https", "mailto", "tel"].contains(&s)) => {
                    bad.push(format!("{page}: {attr}={value} has an unsafe scheme"))
                }
                _ => {}
            }
        }
        // Stylesheets, icons, preloaded fonts: <link href> is a resource too.
        for c in link_re.captures_iter(&html) {
            if c[1].contains("://") || c[1].starts_with("//") {
                bad.push(format!("{page}: <link href={}>", &c[1]));
            }
        }
    }
    for (file, bytes) in tree.iter().filter(|(k, _)| k.starts_with("static/")) {
        let text = String::from_utf8_lossy(bytes);
        if file.ends_with(".css") && remote_css.is_match(&text) {
            bad.push(format!("{file}: remote url() or @import (fonts and images must be local)"));
        }
        if file.ends_with(".js") {
            for needle in ["http://", "https://", "fetch(", "XMLHttpRequest", "sendBeacon", "WebSocket"] {
                if text.contains(needle) {
                    bad.push(format!("{file}: contains {needle}"));
                }
            }
        }
    }
    assert!(seen > 1000 && tree.keys().any(|k| k == "static/search.js"), "walked {seen} attributes");
    assert!(bad.is_empty(), "{}", bad.join("\n"));
}

#[test]
fn check_finds_a_broken_anchor_made_by_a_theme_template() {
    let site = sample_site();
    site.write(
        "themes/default/templates/page.html",
        "{% extends \"base.html\" %}{% block content %}<h1>{{ page_title }}</h1><a href=\"#no-such-id\">x</a>\
         <a href=\"#main\">ok</a>{{ body_html | safe }}{% endblock content %}",
    );
    let run = site.run(&["check", "--date", "2026-03-31"]);
    assert_eq!(run.code(), 1, "{}", run.stderr());
    assert!(
        run.stderr().contains("about/index.html:1:1: error[broken-link]: 站内链接 `#no-such-id`"),
        "{}",
        run.stderr()
    );
    assert!(!run.stderr().contains("`#main`"), "the skip link's target exists: {}", run.stderr());
}

/// The broken links a run reports, without their severity: `page: target`.
fn broken_links(stderr: &str) -> std::collections::BTreeSet<String> {
    stderr
        .lines()
        .filter(|l| l.contains("[broken-link]"))
        .map(|l| {
            let page = l.split(':').next().unwrap_or_default();
            let target = l.split('`').nth(1).unwrap_or_default();
            format!("{page}: {target}")
        })
        .collect()
}

#[test]
fn build_checks_links_as_it_writes_and_finds_what_check_finds() {
    let site = sample_site();
    // Links of every kind the build resolves while it writes, or only once every file is made:
    // this page's ids, another page's ids, a missing page, and files made beside the pages (open
    // data, the search index).
    site.write(
        "themes/default/templates/page.html",
        "{% extends \"base.html\" %}{% block content %}<h1>{{ page_title }}</h1>\
         <a href=\"#no-such-id\">a</a><a href=\"#main\">b</a><a href=\"{{ root | safe }}index.html#main\">c</a>\
         <a href=\"{{ root | safe }}index.html#nope\">d</a><a href=\"{{ root | safe }}nowhere/index.html\">e</a>\
         <a href=\"{{ root | safe }}data/disclosures.csv\">f</a><a href=\"{{ root | safe }}search/index.js\">g</a>\
         <a href=\"{{ root | safe }}data/none.csv\">h</a>{{ body_html | safe }}{% endblock content %}",
    );
    let check = site.run(&["check", "--date", "2026-03-31"]);
    assert_eq!(check.code(), 1, "{}", check.stderr());
    let build = site.build("2026-03-31");
    build.assert_ok();
    assert!(build.stderr().contains("warning[broken-link]"), "{}", build.stderr());
    let found = broken_links(&build.stderr());
    assert_eq!(found, broken_links(&check.stderr()));
    let about: Vec<&str> = found.iter().filter(|l| l.starts_with("about/")).map(String::as_str).collect();
    assert_eq!(
        about,
        [
            "about/index.html: #no-such-id",
            "about/index.html: ../data/none.csv",
            "about/index.html: ../index.html#nope",
            "about/index.html: ../nowhere/index.html"
        ]
    );
}
