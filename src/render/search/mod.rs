//! The site search: the search page's job and the index files it loads — a small entry
//! `search/index.js`, term shards `search/t/<n>.js` (term -> documents, fetched only for a query's
//! terms) and document chunks `search/d/<n>.js` (URL, title, kind, org, text; fetched only for
//! the hits shown). Built only from the audience-filtered `Site` and only from what the pages
//! themselves show, so a 党内公开 record, an unpublished comment or a contact can never be found.
//! Never renders templates; the reader's side is `static/search.js`; format in docs/search.md.

mod code;
mod documents;
mod files;
mod pairs;
mod terms;

pub use documents::{documents, BodyTexts, Doc, ORG_KIND};
pub use terms::{fold, is_cjk, terms};

use super::{routes, PageJob};
use crate::model::Site;
use rayon::prelude::*;

/// About this many bytes of documents go in one chunk: a result shown costs its whole chunk.
const CHUNK_BYTES: usize = 24 * 1024;
/// Documents per chunk, whatever their size: at least this many, so a site of short documents
/// does not become thousands of files …
const MIN_PER_CHUNK: usize = 4;
/// … and at most this many.
const MAX_PER_CHUNK: usize = 100;
/// At most about this many bytes go in one shard, on average: a query term costs its whole shard,
/// and every shard is a file to write.
const SHARD_BYTES: usize = 16 * 1024;
const MAX_SHARDS: usize = 4096;

/// The search page. Its results come from search.js; without JavaScript it says how to browse.
pub fn page() -> PageJob {
    // The page has its own search form; the header's would be a second one.
    let context = tera::Context::from_serialize(serde_json::json!({ super::chrome::NO_HEADER_SEARCH: true }))
        .expect("a JSON object is a context");
    PageJob::new(routes::search(), "search.html", "站内搜索", context)
}

/// The index's files for `site`: (output path, bytes), deterministic.
pub fn index_script(site: &Site) -> Vec<(String, Vec<u8>)> {
    index_with(site, None, |path, bytes| (path, bytes))
}

/// The index's files for `site`, each handed to `put` (output path, bytes) as soon as it is made,
/// and what `put` returned. A chunk's bytes and its documents' text are then freed while the rest
/// is read: held until the end, they made the search index most of the build's peak memory.
/// `texts`: notices' body texts as their pages made them (see [`BodyTexts`]).
pub fn index_with<T: Send>(site: &Site, texts: Option<BodyTexts>, put: impl Fn(String, Vec<u8>) -> T + Sync) -> Vec<T> {
    index_files(documents(site, texts), &put)
}

/// The index's files for `docs` (sorted by URL, their order giving the document numbers), handed
/// to `put`; the documents' text is used up.
fn index_files<T: Send>(mut docs: Vec<Doc>, put: &(impl Fn(String, Vec<u8>) -> T + Sync)) -> Vec<T> {
    assert!(docs.len() < terms::MAX_DOCS, "{} search documents: more than the index can number", docs.len());
    let per_chunk = docs_per_chunk(&docs);
    // BM25 weighs a term's count by the document's length against the average: known first. In
    // bytes (a Han char is three) rather than chars: the ratio is what counts, and it is free.
    let lengths: Vec<u32> = docs.iter().map(|d| d.text.len().min(u32::MAX as usize) as u32).collect();
    let average = lengths.iter().map(|l| u64::from(*l)).sum::<u64>() as f64 / docs.len().max(1) as f64;
    // Runs of whole chunks, read in parallel: each puts its chunks and collects its postings in
    // one pass over its documents' text.
    let per_run = per_chunk * docs.len().div_ceil(per_chunk).div_ceil(4 * rayon::current_num_threads()).max(1);
    let put_chunk = |c: usize, bytes: Vec<u8>| put(routes::search_docs(c), bytes);
    let runs: Vec<files::Run<T>> = docs
        .par_chunks_mut(per_run)
        .zip(lengths.par_chunks(per_run))
        .enumerate()
        .map(|(r, (run, lengths))| files::read_run(run, lengths, r * per_run, per_chunk, average, put_chunk))
        .collect();
    let (chunks, runs): (Vec<Vec<T>>, Vec<Vec<terms::Term>>) = runs.into_iter().map(|r| (r.chunks, r.terms)).unzip();
    // A shard's bytes: its terms' postings, and some ten bytes per term for the term itself.
    let shards = shard_count(runs.iter().flatten().map(|t| t.postings.len() + 10).sum());
    // Every (shard, term, run) once, sorted: a shard's terms are then one slice, in key order, and
    // a term's runs follow each other in document order.
    let mut entries: Vec<(usize, &terms::Key, usize, usize)> = runs
        .iter()
        .enumerate()
        .flat_map(|(r, terms)| terms.iter().enumerate().map(move |(i, t)| (0, &t.key, r, i)))
        .collect();
    entries.par_iter_mut().for_each(|e| e.0 = files::shard_of(e.1, shards));
    entries.par_sort_unstable();
    let mut bounds = vec![0; shards + 1];
    for e in &entries {
        bounds[e.0 + 1] += 1;
    }
    for s in 0..shards {
        bounds[s + 1] += bounds[s];
    }
    let mut out: Vec<T> = (0..shards)
        .into_par_iter()
        .map(|s| put(routes::search_terms(s), files::shard_file(s, &entries[bounds[s]..bounds[s + 1]], &runs)))
        .collect();
    out.push(put(routes::search_index(), files::entry_file(&docs, shards, per_chunk)));
    drop(entries);
    out.extend(chunks.into_iter().flatten());
    out
}

/// Documents per chunk, from the average document: chunks of about [`CHUNK_BYTES`].
fn docs_per_chunk(docs: &[Doc]) -> usize {
    let bytes: usize = docs.iter().map(|d| d.url.len() + d.title.len() + d.org.len() + d.text.len() + 40).sum();
    let average = (bytes / docs.len().max(1)).max(1);
    (CHUNK_BYTES / average).clamp(MIN_PER_CHUNK, MAX_PER_CHUNK)
}

/// Shards for `bytes` of terms and postings: a power of two (search.js masks the hash) that keeps
/// them under [`SHARD_BYTES`] on average.
fn shard_count(bytes: usize) -> usize {
    bytes.div_ceil(SHARD_BYTES).next_power_of_two().min(MAX_SHARDS)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    fn doc(url: &str, title: &str, text: &str) -> Doc {
        Doc { url: url.into(), title: title.into(), kind: "页面", org: String::new(), text: text.into() }
    }

    fn index_script_of(docs: Vec<Doc>) -> Vec<(String, Vec<u8>)> {
        index_files(docs, &|path, bytes| (path, bytes))
    }

    /// Decodes the shards of `files` back to term -> [(doc, weight digit)].
    fn decode(files: &[(String, Vec<u8>)]) -> BTreeMap<String, Vec<(u32, u8)>> {
        let digit = |b: u8| {
            b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".iter().position(|d| *d == b).unwrap()
                as u32
        };
        let mut out = BTreeMap::new();
        for (path, bytes) in files.iter().filter(|(p, _)| p.starts_with("search/t/")) {
            let text = std::str::from_utf8(bytes).unwrap();
            let json = text.split_once(',').unwrap().1.trim_end().strip_suffix(");").unwrap();
            let map: BTreeMap<String, String> = serde_json::from_str(json).unwrap_or_else(|e| panic!("{path}: {e}"));
            for (term, postings) in map {
                let (mut doc, mut list, mut it) = (0, Vec::new(), postings.bytes());
                while let Some(mut b) = it.next() {
                    let (mut gap, mut shift) = (0, 0);
                    while digit(b) >= 32 {
                        gap |= (digit(b) & 31) << shift;
                        shift += 5;
                        b = it.next().unwrap();
                    }
                    doc += gap | digit(b) << shift;
                    list.push((doc, digit(it.next().unwrap()) as u8));
                }
                out.insert(term, list);
            }
        }
        out
    }

    #[test]
    fn the_index_is_an_entry_shards_and_chunks() {
        let docs: Vec<Doc> = (0..50).map(|i| doc(&format!("p{i:02}/index.html"), "标题", "党员 大会")).collect();
        let files = index_script_of(docs);
        let paths: Vec<&str> = files.iter().map(|(p, _)| p.as_str()).collect();
        assert!(
            paths.contains(&"search/index.js") && paths.contains(&"search/t/0.js") && paths.contains(&"search/d/0.js")
        );
        let entry = String::from_utf8(files.iter().find(|(p, _)| p == "search/index.js").unwrap().1.clone()).unwrap();
        assert!(
            entry.contains(
                r#"window.GONGSHI_SEARCH = {"v":2,"hash":"fnv1a32-fmix32","shards":1,"docs":50,"chunk":100,"orgs":[]};"#
            ),
            "{entry}"
        );
        let terms = decode(&files);
        assert_eq!(terms["党员"].len(), 50);
        assert_eq!(terms["党员"][49].0, 49);
    }

    #[test]
    fn postings_point_at_documents_and_carry_title_bits() {
        let mut docs = vec![doc("a", "", "党员"), doc("b", "群众", "说说"), doc("c", "", "党员 党员")];
        docs.extend((0..5000).map(|i| doc(&format!("z{i:04}"), "党", &format!("第{i}号")))); // many shards
        let files = index_script_of(docs);
        let terms = decode(&files);
        assert!(files.iter().filter(|(p, _)| p.starts_with("search/t/")).count() > 1);
        assert_eq!(terms["党员"].iter().map(|p| p.0).collect::<Vec<_>>(), [0, 2]);
        assert_eq!(terms["群众"], [(1, b'Q' - b'A')], "title only: weight 0 + 16");
        assert_eq!(terms["党"].len(), 5000);
        let chunk0 = String::from_utf8(files.iter().find(|(p, _)| p == "search/d/0.js").unwrap().1.clone()).unwrap();
        assert!(
            chunk0.starts_with("GONGSHI_SEARCH.onDocs(0,[\n[\"a\",\"\",\"页面\",\"\",\"党员\"],\n[\"b\""),
            "{chunk0}"
        );
    }

    #[test]
    fn the_same_documents_give_the_same_bytes() {
        let docs: Vec<Doc> =
            (0..3000).map(|i| doc(&format!("p{i:04}"), "标题", &format!("党员{i} 大会 abc{}", i % 7))).collect();
        assert_eq!(index_script_of(docs.clone()), index_script_of(docs));
    }
}
