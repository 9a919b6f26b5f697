//! The search index — entry `search/index.js`, term shards `search/t/<n>.js`, document chunks
//! `search/d/<n>.js` (docs/search.md): only what the public pages show (no 党内公开 record, no
//! unpublished comment, no contact), every document a link that resolves, every posting a document
//! that holds the term, in the shard search.js will look in, and small files.

use crate::support::{repo_root, Site};
use serde_json::Value;
use std::collections::BTreeMap;

const DATE: &str = "2026-03-31";
const DIGITS: &str = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/// The JSON a search file hands to its callback: the entry's object, or the second argument of
/// `GONGSHI_SEARCH.onTerms(n, …)` / `GONGSHI_SEARCH.onDocs(n, …)` with `n`.
fn payload(script: &str) -> (Option<u64>, Value) {
    let script = script.trim_end();
    if let Some((_, json)) = script.split_once("window.GONGSHI_SEARCH = ") {
        return (None, serde_json::from_str(json.strip_suffix(';').expect("ends with ;")).expect("entry is JSON"));
    }
    let call = script.strip_suffix(");").unwrap_or_else(|| panic!("not a search file: {}", &script[..80]));
    let (n, json) = call.split_once('(').and_then(|(_, args)| args.split_once(',')).expect("callback(n, data)");
    (Some(n.parse().expect("file number")), serde_json::from_str(json).expect("data is JSON"))
}

/// The search index of a built site: entry, documents in order, term -> [(doc, weight digit)].
struct Index {
    entry: Value,
    docs: Vec<Vec<String>>,
    terms: BTreeMap<String, Vec<(usize, u32)>>,
    /// Term -> the shard file it was found in.
    shard: BTreeMap<String, u64>,
}

fn index(tree: &BTreeMap<String, Vec<u8>>) -> Index {
    let text = |path: &str| String::from_utf8(tree[path].clone()).expect("UTF-8");
    let entry = payload(&text("search/index.js")).1;
    let (shards, chunk) = (entry["shards"].as_u64().unwrap(), entry["chunk"].as_u64().unwrap() as usize);
    let mut docs = Vec::new();
    for n in 0.. {
        let Some(bytes) = tree.get(&format!("search/d/{n}.js")) else { break };
        let (number, rows) = payload(std::str::from_utf8(bytes).unwrap());
        assert_eq!(number, Some(n), "search/d/{n}.js calls back with its own number");
        let rows = rows.as_array().unwrap().clone();
        assert!(
            rows.len() == chunk || !tree.contains_key(&format!("search/d/{}.js", n + 1)),
            "full chunks but the last"
        );
        docs.extend(
            rows.iter().map(|r| r.as_array().unwrap().iter().map(|v| v.as_str().unwrap().to_string()).collect()),
        );
    }
    assert_eq!(docs.len() as u64, entry["docs"].as_u64().unwrap());
    let (mut terms, mut shard) = (BTreeMap::new(), BTreeMap::new());
    for n in 0..shards {
        let (number, map) = payload(&text(&format!("search/t/{n}.js")));
        assert_eq!(number, Some(n));
        for (term, postings) in map.as_object().unwrap() {
            terms.insert(term.clone(), decode(postings.as_str().unwrap()));
            shard.insert(term.clone(), n);
        }
    }
    assert!(!tree.contains_key(&format!("search/t/{shards}.js")), "exactly `shards` shard files");
    Index { entry, docs, terms, shard }
}

/// A posting string: per document, the gap in base-32 digits (32 and above: more follow), then
/// the weight digit.
fn decode(postings: &str) -> Vec<(usize, u32)> {
    let mut digits = postings.bytes().map(|b| DIGITS.bytes().position(|d| d == b).expect("a digit") as u32);
    let (mut out, mut doc) = (Vec::new(), 0);
    while let Some(mut d) = digits.next() {
        let (mut gap, mut shift) = (0, 0);
        while d >= 32 {
            gap |= (d & 31) << shift;
            shift += 5;
            d = digits.next().expect("a number ends");
        }
        doc += (gap | (d << shift)) as usize;
        out.push((doc, digits.next().expect("a weight")));
    }
    out
}

/// search.js's shardOf: FNV-1a over the code points, MurmurHash3's finalizer, masked.
fn shard_of(term: &str, shards: u64) -> u64 {
    let mut h: u32 = 0x811c_9dc5;
    for c in term.chars() {
        h = (h ^ c as u32).wrapping_mul(0x0100_0193);
    }
    h ^= h >> 16;
    h = h.wrapping_mul(0x85eb_ca6b);
    h ^= h >> 13;
    h = h.wrapping_mul(0xc2b2_ae35);
    h ^= h >> 16;
    u64::from(h) & (shards - 1)
}

/// Every file of the search index, as one text.
fn all_search_files(tree: &BTreeMap<String, Vec<u8>>) -> String {
    let files = tree.iter().filter(|(k, _)| k.starts_with("search/") && k.ends_with(".js"));
    files.map(|(_, v)| String::from_utf8_lossy(v).into_owned()).collect()
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
    let index = all_search_files(&site.tree("public"));
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
    let index = all_search_files(&site.tree("public-party"));
    assert!(index.contains("PARTY-CANARY-TITLE"), "the index follows the audience of the build");
    assert!(!index.contains("UNPUBLISHED-CANARY") && !index.contains("13900001111"));
}

#[test]
fn every_index_entry_links_to_a_page_and_anchor_that_exist() {
    let site = sample_site();
    let tree = site.tree("public");
    let index = index(&tree);
    assert!(index.docs.len() > 100, "{} documents", index.docs.len());
    let mut urls = Vec::new();
    for doc in &index.docs {
        let url = doc[0].as_str();
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
    // The org pages the entry names (for the bonus of typing an org's name) are the org pages.
    let mut at = 0;
    for gap in index.entry["orgs"].as_array().unwrap() {
        at += gap.as_u64().unwrap() as usize;
        assert_eq!(index.docs[at][2], "党组织", "{}", index.docs[at][0]);
    }
}

#[test]
fn postings_point_at_documents_that_contain_the_term_in_the_right_shard() {
    let site = sample_site();
    let index = index(&site.tree("public"));
    let shards = index.entry["shards"].as_u64().unwrap();
    assert!(shards > 1 && shards.is_power_of_two(), "the sample spreads over several shards: {shards}");
    for (term, n) in &index.shard {
        assert_eq!(shard_of(term, shards), *n, "{term} is in shard {n}: search.js would not find it");
    }
    // Folded as the index folds: full-width ASCII to ASCII, lower case.
    let fold = |s: &str| -> String {
        s.chars()
            .map(|c| match c {
                '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
                _ => c,
            })
            .collect::<String>()
            .to_lowercase()
    };
    for term in ["三会", "台账", "冷库", "hx", "河兴", "党"] {
        let postings = index.terms.get(term).unwrap_or_else(|| panic!("{term} not indexed"));
        // A Han term is in a field exactly when the field's text holds it; an ASCII word may also
        // be part of a longer word, which is not the term.
        let han = !term.is_ascii();
        let mut previous = None;
        for &(doc, weight) in postings {
            assert!(previous < Some(doc), "{term}: documents ascending");
            previous = Some(doc);
            let d = &index.docs[doc];
            let [title, org, text] = [&d[1], &d[3], &d[4]].map(|s| fold(s));
            for (bit, field, name) in [(weight & 16 != 0, &title, "title"), (weight & 32 != 0, &org, "org")] {
                assert!(
                    if han { bit == field.contains(term) } else { !bit || field.contains(term) },
                    "{term}, {name} of {}",
                    d[0]
                );
            }
            if term.chars().count() > 1 {
                let bit = weight & 15 != 0;
                assert!(
                    if han { bit == text.contains(term) } else { !bit || text.contains(term) },
                    "{term}, text of {}",
                    d[0]
                );
            }
        }
        if han && term.chars().count() > 1 {
            let holding = index.docs.iter().filter(|d| d[1..].iter().any(|f| fold(f).contains(term))).count();
            assert_eq!(postings.len(), holding, "every document with {term} is listed");
        }
    }
    // A lone Han char is indexed from titles and org names only (docs/search.md).
    assert!(index.terms["党"].iter().all(|(_, w)| w & 15 == 0));
}

#[test]
fn the_sample_index_stays_small() {
    let site = sample_site();
    let tree: BTreeMap<String, Vec<u8>> = site.tree("public");
    let search = tree.iter().filter(|(k, _)| k.starts_with("search/") && k.ends_with(".js"));
    let total: usize = search.clone().map(|(_, v)| v.len()).sum();
    let largest = search.clone().filter(|(k, _)| *k != "search/index.js").map(|(_, v)| v.len()).max().unwrap();
    // docs/search.md gives the figures (about 210 KB in all; a query loads the entry, a shard
    // per term and the chunks of the hits shown) and those of 10,000 records.
    assert!(tree["search/index.js"].len() < 1_000, "the entry is {} bytes", tree["search/index.js"].len());
    assert!(largest < 64_000, "a search file of {largest} bytes: a query would load it whole");
    assert!(total < 400_000, "the search index is {total} bytes: update docs/search.md or trim the index");
}
