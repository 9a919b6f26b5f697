//! The bytes of the index files (format in docs/search.md): document chunks `search/d/<n>.js`,
//! term shards `search/t/<n>.js` and the entry `search/index.js`. Every file is a script that hands
//! its data to a callback of search.js, so `<script src>` loads it from `file://`. Written straight
//! into byte buffers, in a fixed order, so the same documents give the same bytes. Never decides
//! what a document holds (documents.rs) or how text is cut (terms.rs).

use super::code;
use super::documents::{Doc, ORG_KIND};
use super::terms::{Field, Key, Postings, Term};

/// Format version: search.js refuses an index of another one.
pub const VERSION: u32 = 2;
/// How search.js finds a term's shard; it refuses an index that names another way.
pub const HASH: &str = "fnv1a32-fmix32";

/// The documents of a run of whole chunks, read in one pass: what putting their chunk files
/// returned, and their postings.
pub struct Run<T> {
    pub chunks: Vec<T>,
    pub terms: Vec<Term>,
}

/// Reads `docs` (numbered from `first`, a multiple of `per_chunk`; `lengths` their texts'
/// lengths, `average` the site's average) into chunk files, each handed to `put` with its number
/// as soon as it is made, and postings. Each document's text is taken: once in its chunk and its
/// postings, it is not needed again.
pub fn read_run<T>(
    docs: &mut [Doc],
    lengths: &[u32],
    first: usize,
    per_chunk: usize,
    average: f64,
    put: impl Fn(usize, Vec<u8>) -> T,
) -> Run<T> {
    let mut postings = Postings::new(average);
    let mut chunks = Vec::new();
    for (c, group) in docs.chunks_mut(per_chunk).enumerate() {
        let bytes: usize = group.iter().map(|d| d.url.len() + d.title.len() + d.org.len() + d.text.len() + 40).sum();
        let number = first / per_chunk + c;
        let mut out = Vec::with_capacity(bytes + 64);
        out.extend_from_slice(format!("GONGSHI_SEARCH.onDocs({number},[").as_bytes());
        for (i, d) in group.iter_mut().enumerate() {
            let n = (first + c * per_chunk + i) as u32;
            postings.begin(n);
            postings.field(Field::Title, &d.title);
            postings.field(Field::Org, &d.org);
            out.extend_from_slice(if i == 0 { b"\n[" } else { b",\n[" });
            for s in [&*d.url, &*d.title, d.kind, &*d.org] {
                serde_json::to_writer(&mut out, s).expect("a string serializes");
                out.push(b',');
            }
            out.push(b'"');
            postings.text(&std::mem::take(&mut d.text), &mut out);
            out.extend_from_slice(b"\"]");
            postings.end(lengths[c * per_chunk + i]);
        }
        out.extend_from_slice(b"]);\n");
        chunks.push(put(number, out));
    }
    Run { chunks, terms: postings.into_terms() }
}

/// The shard of a term: FNV-1a over its code points, mixed by MurmurHash3's finalizer (FNV's low
/// bits alone spread short keys badly), modulo the shard count (a power of two). search.js does
/// the same in 32-bit integer arithmetic.
pub fn shard_of(key: &Key, shards: usize) -> usize {
    let mut h: u32 = 0x811c_9dc5;
    key.code_points(|c| h = (h ^ c).wrapping_mul(0x0100_0193));
    h ^= h >> 16;
    h = h.wrapping_mul(0x85eb_ca6b);
    h ^= h >> 13;
    h = h.wrapping_mul(0xc2b2_ae35);
    h ^= h >> 16;
    h as usize & (shards - 1)
}

/// One term shard file: `GONGSHI_SEARCH.onTerms(n,{"term":"<postings>",…});`. `entries` are its
/// terms sorted by key, each a (shard, key, run, term) of `runs` (each run's terms); a term found in several runs
/// comes once, its runs' posting strings joined (each run's first gap made relative again).
pub fn shard_file(n: usize, entries: &[(usize, &Key, usize, usize)], runs: &[Vec<Term>]) -> Vec<u8> {
    let term = |e: &(usize, &Key, usize, usize)| &runs[e.2][e.3];
    let mut out = Vec::with_capacity(64 + entries.iter().map(|e| 16 + term(e).postings.len()).sum::<usize>());
    out.extend_from_slice(format!("GONGSHI_SEARCH.onTerms({n},{{").as_bytes());
    for (i, group) in entries.chunk_by(|a, b| a.1 == b.1).enumerate() {
        if i > 0 {
            out.push(b',');
        }
        out.push(b'"');
        // Han chars and ASCII letters and digits: nothing to escape.
        group[0].1.code_points(|c| {
            let mut buf = [0; 4];
            out.extend_from_slice(char::from_u32(c).unwrap_or('\u{FFFD}').encode_utf8(&mut buf).as_bytes());
        });
        out.extend_from_slice(b"\":\"");
        let mut last = None;
        for t in group.iter().map(term) {
            match last {
                None => out.extend_from_slice(&t.postings),
                Some(last) => {
                    code::push_number(t.first - last, &mut out);
                    out.extend_from_slice(&t.postings[code::number_len(t.first)..]);
                }
            }
            last = Some(t.last);
        }
        out.push(b'"');
    }
    out.extend_from_slice(b"});\n");
    out
}

/// The entry `search/index.js`: format, hash, shard and document counts, documents per chunk, and
/// the (delta-coded) numbers of the org pages, which get a bonus when a query names their org.
pub fn entry_file(docs: &[Doc], shards: usize, per_chunk: usize) -> Vec<u8> {
    let mut orgs = String::new();
    let mut previous = 0;
    for (n, _) in docs.iter().enumerate().filter(|(_, d)| d.kind == ORG_KIND) {
        orgs.push_str(&format!("{}{}", if orgs.is_empty() { "" } else { "," }, n - previous));
        previous = n;
    }
    format!(
        "/* gongshi 站内搜索索引入口：生成文件，请勿手改（格式见 docs/search.md）。 */\n\
         window.GONGSHI_SEARCH = {{\"v\":{VERSION},\"hash\":\"{HASH}\",\"shards\":{shards},\"docs\":{},\
         \"chunk\":{per_chunk},\"orgs\":[{orgs}]}};\n",
        docs.len()
    )
    .into_bytes()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shards_match_search_js() {
        // The same figures are checked against search.js's shardOf in tests/browser.
        let key = |s: &str| match s.chars().count() {
            1 => Key::Han(u64::from(s.chars().next().unwrap() as u32)),
            _ if s.is_ascii() => Key::Word(s.into()),
            _ => {
                let mut c = s.chars().map(|c| u64::from(c as u32));
                Key::Han((c.next().unwrap() << 21) | c.next().unwrap())
            }
        };
        let got: Vec<usize> = ["党员", "党", "hx", "2024", "𠀀字"].iter().map(|s| shard_of(&key(s), 1 << 16)).collect();
        assert_eq!(got, [63391, 24554, 4547, 33451, 42533]);
    }
}
