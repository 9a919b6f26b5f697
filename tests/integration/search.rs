//! The search index `search/index.js`: only what the public pages show (no 党内公开 record, no
//! unpublished comment, no contact), every entry a link that resolves, and a size that stays
//! reasonable (docs/search.md).

use crate::support::{repo_root, Site};
use serde_json::Value;
use std::collections::BTreeMap;

const DATE: &str = "2026-03-31";
const INDEX: &str = "search/index.js";

/// The JSON object a built `search/index.js` assigns to `window.GONGSHI_SEARCH`.
fn parse_index(script: &str) -> Value {
    let json = script
        .split_once("window.GONGSHI_SEARCH = ")
        .and_then(|(_, rest)| rest.trim_end().strip_suffix(';'))
        .unwrap_or_else(|| panic!("not an index script: {}", &script[..script.len().min(200)]));
    serde_json::from_str(json).expect("index is JSON")
}

fn sample_site() -> Site {
    let s = Site { dir: tempfile::tempdir().unwrap() };
    crate::support::copy_dir(&repo_root().join("content"), &s.path("content"));
    s.build(DATE).assert_ok();
    s
}

#[test]
fn the_public_index_holds_no_private_data() {
    let site = Site::from_fixture("minimal");
    site.build(DATE).assert_ok();
    let index = site.read(&format!("public/{INDEX}"));
    for canary in [
        "PARTY-CANARY-TITLE",
        "PARTY-CANARY-BODY",
        "UNPUBLISHED-CANARY",
        "REPLY-OF-UNPUBLISHED-CANARY",
        "CONTACT-CANARY",
        "13900001111",
        "欧阳明华",
        "张三",
    ] {
        assert!(!index.contains(canary), "{canary} is in the public search index");
    }
    // Not empty for want of content: the published comment and its escaped words are there.
    assert!(index.contains("周六无人值班"), "published comments are indexed");
    assert!(index.contains("<script>alert("), "comment text is kept as text (search.js shows it with textContent)");
}

#[test]
fn the_party_index_has_party_records() {
    let site = Site::from_fixture("minimal");
    site.run(&["build", "--date", DATE, "--audience", "party"]).assert_ok();
    let index = site.read(&format!("public-party/{INDEX}"));
    assert!(index.contains("PARTY-CANARY-TITLE"), "the index follows the audience of the build");
    assert!(!index.contains("UNPUBLISHED-CANARY") && !index.contains("13900001111"));
}

#[test]
fn every_index_entry_links_to_a_page_and_anchor_that_exist() {
    let site = sample_site();
    let tree = site.tree("public");
    let index = parse_index(&String::from_utf8_lossy(&tree[INDEX]));
    let docs = index["docs"].as_array().expect("docs");
    assert!(docs.len() > 100, "{} documents", docs.len());
    let mut urls = Vec::new();
    for doc in docs {
        let url = doc[0].as_str().expect("url");
        let (path, fragment) = url.split_once('#').map_or((url, None), |(p, f)| (p, Some(f)));
        let page = tree.get(path).unwrap_or_else(|| panic!("{url}: no such page"));
        if let Some(f) = fragment {
            assert!(String::from_utf8_lossy(page).contains(&format!("id=\"{f}\"")), "{url}: no #{f}");
        }
        urls.push(url);
    }
    let mut sorted = urls.clone();
    sorted.sort();
    assert_eq!(urls, sorted, "documents are sorted by URL, so the index bytes are stable");
}

#[test]
fn postings_point_at_documents_that_contain_the_term() {
    let site = sample_site();
    let index = parse_index(&site.read(&format!("public/{INDEX}")));
    let docs = index["docs"].as_array().unwrap();
    let terms: &serde_json::Map<String, Value> = index["terms"].as_object().unwrap();
    for term in ["三会", "台账", "冷库", "hx"] {
        let deltas = terms[term].as_array().unwrap_or_else(|| panic!("{term} not indexed"));
        let mut at = 0;
        for d in deltas {
            at += d.as_u64().unwrap() as usize;
            let doc = docs[at].as_array().unwrap();
            let text: String = doc[1..].iter().map(|v| v.as_str().unwrap().to_lowercase()).collect();
            assert!(text.contains(term), "{term} listed for {} which lacks it", doc[0]);
        }
    }
}

#[test]
fn the_sample_index_stays_small() {
    let site = sample_site();
    let tree: BTreeMap<String, Vec<u8>> = site.tree("public");
    let bytes = tree[INDEX].len();
    // docs/search.md gives the figure (about 200 KB) and the estimate for 10,000 records.
    assert!(bytes < 400_000, "search/index.js is {bytes} bytes: update docs/search.md or trim the index");
}
