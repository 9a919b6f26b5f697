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
