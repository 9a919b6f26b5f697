//! The site search: the search page's job and `search/index.js`, an index of every public record
//! page (titles, orgs, body text, published comments and their replies) with CJK bigrams and ASCII
//! words computed at build time. Built only from the audience-filtered `Site` and only from what
//! the pages themselves show, so a 党内公开 record, an unpublished comment or a contact can never
//! be found. Never renders templates; the reader's side is `static/search.js`.

use super::{markdown, routes, PageJob};
use crate::model::common::Withdrawal;
use crate::model::records::{Comments, Disclosure, Rectifications, Report, Targets};
use crate::model::{Record, Site};
use rayon::prelude::*;
use serde::Serialize;
use std::collections::{BTreeMap, HashMap};
use std::fmt::Write as _;
use std::hash::{BuildHasherDefault, Hasher};

/// Format version of the index; search.js refuses an index of another version.
const VERSION: u32 = 1;

/// One search hit target: a page, or a comment on its org's comments page.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Doc {
    /// Root-relative URL, possibly with a `#fragment`.
    pub url: String,
    pub title: String,
    /// 党务公开, 述职评议, 群众评说 …
    pub kind: &'static str,
    /// Short name of the org the page belongs to; empty for site-wide pages.
    pub org: String,
    /// Plain text as the page shows it, whitespace collapsed.
    pub text: String,
}

/// The search page. Its results come from search.js; without JavaScript it says how to browse.
pub fn page() -> PageJob {
    PageJob {
        path: routes::search(),
        template: "search.html",
        title: "站内搜索".into(),
        // The page has its own search form; the header's would be a second one.
        context: tera::Context::from_serialize(serde_json::json!({ super::chrome::NO_HEADER_SEARCH: true }))
            .expect("a JSON object is a context"),
    }
}

/// `search/index.js` for `site`: `window.GONGSHI_SEARCH = {…};`, deterministic bytes.
pub fn index_script(site: &Site) -> Vec<u8> {
    let docs = documents(site);
    let text: usize = docs.iter().map(|d| d.text.len() + d.title.len() + d.url.len()).sum();
    // Serialized straight into the file's bytes: the index is as large as all the text of the site.
    let mut out = Vec::with_capacity(text + text / 2 + 256);
    out.extend_from_slice(
        "/* gongshi 站内搜索索引：生成文件，请勿手改（格式见 docs/search.md）。 */\nwindow.GONGSHI_SEARCH = "
            .as_bytes(),
    );
    serde_json::to_writer(&mut out, &Index::new(&docs)).expect("index serializes");
    out.extend_from_slice(b";\n");
    out
}

/// What search.js reads: `docs` as `[url, title, kind, org, text]` rows (no repeated keys), and
/// `terms`: term -> ascending doc numbers, delta-coded (first number absolute).
#[derive(Serialize)]
struct Index<'a> {
    v: u32,
    docs: Vec<[&'a str; 5]>,
    terms: BTreeMap<String, Vec<u32>>,
}

impl<'a> Index<'a> {
    fn new(docs: &'a [Doc]) -> Index<'a> {
        let mut postings: BTreeMap<String, Vec<u32>> = BTreeMap::new();
        for (term, list) in Postings::of(docs).into_terms() {
            postings.insert(term, list);
        }
        for list in postings.values_mut() {
            // Doc numbers were pushed in ascending order; deltas keep the file small.
            for i in (1..list.len()).rev() {
                list[i] -= list[i - 1];
            }
        }
        Index {
            v: VERSION,
            docs: docs.iter().map(|d| [&*d.url, &*d.title, d.kind, &*d.org, &*d.text]).collect(),
            terms: postings,
        }
    }
}

/// Term -> ascending doc numbers, built without a string per term occurrence: a Han pair is two
/// chars packed in a `u64` (a site has millions of pair occurrences but only thousands of distinct
/// pairs), an ASCII word stays a string. Documents are indexed in parallel, in chunks whose lists
/// are then appended in chunk order, so every list stays ascending.
#[derive(Default)]
struct Postings {
    pairs: HashMap<u64, Vec<u32>, BuildHasherDefault<PairHasher>>,
    words: HashMap<String, Vec<u32>>,
}

/// A multiplicative hash for packed pairs: the pair map is looked up once per character of the
/// site's text, where SipHash's protection against crafted keys buys nothing (the keys are the
/// site's own text, and the map is dropped after the build).
#[derive(Default)]
struct PairHasher(u64);

impl Hasher for PairHasher {
    fn write(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.write_u64(u64::from(*b));
        }
    }

    fn write_u64(&mut self, n: u64) {
        self.0 = (self.0.rotate_left(5) ^ n).wrapping_mul(0x9e37_79b9_7f4a_7c15);
    }

    fn finish(&self) -> u64 {
        self.0
    }
}

impl Postings {
    fn of(docs: &[Doc]) -> Postings {
        const CHUNK: usize = 256;
        let chunks: Vec<Postings> = docs
            .par_chunks(CHUNK)
            .enumerate()
            .map(|(c, chunk)| {
                let mut p = Postings::default();
                for (i, d) in chunk.iter().enumerate() {
                    p.add((c * CHUNK + i) as u32, d);
                }
                p
            })
            .collect();
        let mut all = Postings::default();
        for chunk in chunks {
            for (k, list) in chunk.pairs {
                all.pairs.entry(k).or_default().extend(list);
            }
            for (k, list) in chunk.words {
                all.words.entry(k).or_default().extend(list);
            }
        }
        all
    }

    /// Adds document `n`, each of its terms once.
    fn add(&mut self, n: u32, d: &Doc) {
        let push = |list: &mut Vec<u32>| {
            if list.last() != Some(&n) {
                list.push(n);
            }
        };
        for s in [&d.title, &d.org, &d.text] {
            for_each_term(
                s,
                |a, b| push(self.pairs.entry(pack(a, b)).or_default()),
                |w| match self.words.get_mut(w) {
                    Some(list) => push(list),
                    None => drop(self.words.insert(w.to_string(), vec![n])),
                },
            );
        }
    }

    fn into_terms(self) -> impl Iterator<Item = (String, Vec<u32>)> {
        let pairs = self.pairs.into_iter().map(|(k, list)| (unpack(k), list));
        pairs.chain(self.words)
    }
}

fn pack(a: char, b: char) -> u64 {
    (u64::from(a as u32) << 32) | u64::from(b as u32)
}

fn unpack(k: u64) -> String {
    let char_at = |v: u64| char::from_u32(v as u32).unwrap_or(char::REPLACEMENT_CHARACTER);
    [char_at(k >> 32), char_at(k & 0xffff_ffff)].iter().collect()
}

/// Folds what a reader may type differently: full-width ASCII (ＡＢＣ１２３) to ASCII, ASCII upper
/// to lower case. One char in, one char out, so offsets in folded text are offsets in the original
/// (search.js relies on that for highlighting).
pub fn fold(c: char) -> char {
    match c {
        '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c).to_ascii_lowercase(),
        '\u{3000}' => ' ',
        _ => c.to_ascii_lowercase(),
    }
}

/// Han ideographs (and their compatibility forms): the script written without spaces.
pub fn is_cjk(c: char) -> bool {
    matches!(c, '\u{3400}'..='\u{4DBF}' | '\u{4E00}'..='\u{9FFF}' | '\u{F900}'..='\u{FAFF}' | '\u{20000}'..='\u{2FFFF}')
}

/// The index terms of a text: every pair of adjacent Han characters (a run of one is too short to
/// index; search.js scans the text for one-character queries) and every run of ASCII letters and
/// digits, lower-cased. Anything else separates. search.js tokenizes queries the same way.
pub fn terms(text: &str) -> Vec<String> {
    let out = std::cell::RefCell::new(Vec::new());
    for_each_term(text, |a, b| out.borrow_mut().push(unpack(pack(a, b))), |w| out.borrow_mut().push(w.to_string()));
    out.into_inner()
}

/// Calls `pair` for every adjacent pair of Han characters and `word` for every ASCII word of the
/// folded text, in text order, allocating nothing per term.
fn for_each_term(text: &str, mut pair: impl FnMut(char, char), mut word: impl FnMut(&str)) {
    let mut previous_han: Option<char> = None;
    let mut current = String::new();
    for c in text.chars().map(fold).chain(std::iter::once(' ')) {
        if is_cjk(c) {
            if let Some(p) = previous_han {
                pair(p, c);
            }
            previous_han = Some(c);
        } else {
            previous_han = None;
        }
        if c.is_ascii_alphanumeric() {
            current.push(c);
        } else if !current.is_empty() {
            word(&current);
            current.clear();
        }
    }
}

/// Every searchable page of the site, sorted by URL.
pub fn documents(site: &Site) -> Vec<Doc> {
    let mut docs = Vec::new();
    docs.extend(org_docs(site));
    docs.extend(site.targets.iter().map(|t| targets_doc(site, t)));
    docs.extend(year_docs(site));
    // Reports and disclosures carry Markdown bodies to flatten: the bulk of the work.
    docs.par_extend(site.reports.par_iter().map(|r| report_doc(site, r)));
    docs.extend(site.rectifications.iter().map(|r| rectifications_doc(site, r)));
    docs.par_extend(site.disclosures.par_iter().map(|d| disclosure_doc(site, d)));
    for c in &site.comments {
        docs.extend(comment_docs(site, c));
    }
    docs.extend(site.pages.iter().map(|p| Doc {
        url: routes::page(&p.value.slug),
        title: p.value.title.clone(),
        kind: "页面",
        org: String::new(),
        text: clean(&markdown::plain_text(&p.value.body)),
    }));
    docs.par_sort();
    docs.dedup_by(|a, b| a.url == b.url);
    docs
}

/// Collapses whitespace runs to one space, so passages read as the page shows them.
fn clean(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for word in s.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

/// Joins the present parts with a Chinese full stop, skipping empty ones.
fn sentences<'a>(parts: impl IntoIterator<Item = &'a str>) -> String {
    let mut out = String::new();
    for p in parts.into_iter().map(str::trim).filter(|p| !p.is_empty()) {
        if !out.is_empty() && !out.ends_with(['。', '！', '？', '；', '.']) {
            out.push('。');
        }
        out.push_str(p);
    }
    clean(&out)
}

fn org_name(site: &Site, id: &str) -> String {
    site.orgs.get(id).map(|o| o.display_name().to_string()).unwrap_or_default()
}

/// A withdrawn record's page shows only that it was withdrawn and why: so does its entry.
fn withdrawn_text(w: &Withdrawal) -> String {
    format!("本条已撤回。撤回原因：{}", w.reason)
}

fn org_docs(site: &Site) -> Vec<Doc> {
    site.orgs
        .orgs
        .iter()
        .map(|o| {
            let secretary = o.secretary.as_ref().and_then(|s| s.current(site.today)).map(|s| format!("书记：{s}"));
            let kind = o.kind.label();
            Doc {
                url: routes::org(o.id.as_str()),
                title: o.name.clone(),
                kind: "党组织",
                org: o.display_name().to_string(),
                text: sentences([kind, secretary.as_deref().unwrap_or("")]),
            }
        })
        .collect()
}

/// Year overview pages: found by their titles (the rows they list are documents of their own).
fn year_docs(site: &Site) -> Vec<Doc> {
    let doc = |url: String, title: String, kind: &'static str| Doc {
        url,
        title,
        kind,
        org: String::new(),
        text: String::new(),
    };
    let mut docs: Vec<Doc> = Vec::new();
    for y in site.targets.iter().map(|t| t.value.year).collect::<std::collections::BTreeSet<_>>() {
        docs.push(doc(routes::targets_year(y), format!("{y}年度基层党建目标"), "年度目标"));
    }
    for y in site.reports.iter().map(|r| r.value.year).collect::<std::collections::BTreeSet<_>>() {
        docs.push(doc(routes::reports_year(y), format!("{y}年度书记抓基层党建工作述职评议"), "述职评议"));
    }
    docs
}

fn targets_doc(site: &Site, t: &Record<Targets>) -> Doc {
    let v = &t.value;
    let text = match &v.withdrawn {
        Some(w) => withdrawn_text(w),
        None => {
            let mut parts: Vec<&str> = Vec::new();
            for it in &v.items {
                parts.extend([it.task.as_deref(), it.goal.as_deref(), it.indicator.as_deref()].into_iter().flatten());
                parts.extend(it.target.as_ref().and_then(|t| t.text.as_deref()));
                parts.extend(it.measures.iter().map(String::as_str));
                parts.extend(it.responsible.as_deref());
                parts.extend(it.progress.iter().filter_map(|p| p.note.as_deref()));
                parts.extend(it.final_result.as_ref().and_then(|f| f.reason_unmet.as_deref()));
            }
            sentences(parts)
        }
    };
    Doc {
        url: routes::targets(v.year, v.org.as_str()),
        title: v.title.clone(),
        kind: "年度目标",
        org: org_name(site, v.org.as_str()),
        text,
    }
}

fn report_doc(site: &Site, r: &Record<Report>) -> Doc {
    let v = &r.value;
    let text = match &v.withdrawn {
        Some(w) => withdrawn_text(w),
        None => {
            let reporter = v.reporter.as_ref().map(|p| format!("述职人：{}", p.name)).unwrap_or_default();
            let grade = v.evaluation.as_ref().and_then(|e| e.grade.as_ref()).map(|g| format!("等次：{g}"));
            let body = markdown::plain_text(&v.body);
            let mut parts = vec![reporter.as_str(), grade.as_deref().unwrap_or("")];
            parts.extend(v.superior_remarks.iter().chain(&v.problems).map(String::as_str));
            parts.push(&body);
            sentences(parts)
        }
    };
    Doc {
        url: routes::report(v.year, v.org.as_str()),
        title: v.title.clone(),
        kind: "述职评议",
        org: org_name(site, v.org.as_str()),
        text,
    }
}

fn rectifications_doc(site: &Site, r: &Record<Rectifications>) -> Doc {
    let org = org_name(site, r.value.org.as_str());
    let mut parts: Vec<&str> = Vec::new();
    for it in &r.value.items {
        parts.push(&it.issue);
        parts.extend(it.measures.iter().map(String::as_str));
        parts.extend(it.responsible.as_deref());
        parts.extend(it.updates.iter().map(|u| u.note.as_str()));
    }
    Doc {
        url: routes::rectifications(r.value.org.as_str()),
        title: format!("{org}整改清单"),
        kind: "整改清单",
        text: sentences(parts),
        org,
    }
}

fn disclosure_doc(site: &Site, d: &Record<Disclosure>) -> Doc {
    let v = &d.value;
    let text = match &v.withdrawn {
        Some(w) => withdrawn_text(w),
        None => {
            let mut text = sentences([v.category.as_str(), &markdown::plain_text(&v.body)]);
            for row in &v.table {
                let cells: Vec<&str> = row.0.iter().map(|(_, cell)| cell.as_str()).filter(|c| !c.is_empty()).collect();
                let _ = write!(text, " {}", cells.join(" "));
            }
            for a in &v.attachments {
                let _ = write!(text, " 附件：{}", a.title);
            }
            clean(&text)
        }
    };
    Doc {
        url: routes::disclosure(v.year, v.org.as_str(), &v.slug),
        title: v.title.clone(),
        kind: "党务公开",
        org: org_name(site, v.org.as_str()),
        text,
    }
}

/// The comments page of an org and year, and one entry per published comment (its words, the
/// reply, a refusal's reason). An unpublished comment's text and reply are not on its page, so
/// they are not here either.
fn comment_docs(site: &Site, c: &Record<Comments>) -> Vec<Doc> {
    let v = &c.value;
    let org = org_name(site, v.org.as_str());
    let page = Doc {
        url: routes::comments_of(v.year, v.org.as_str()),
        title: format!("{org}{}年群众评说", v.year),
        kind: "群众评说",
        org: org.clone(),
        text: String::new(),
    };
    let entries = v.entries.iter().filter(|e| e.publish).map(|e| {
        let reply = e.reply.as_ref().map(|r| format!("答复：{}", r.text)).unwrap_or_default();
        let refused = e.reason_not_accepted.as_ref().map(|r| format!("不予受理：{r}")).unwrap_or_default();
        Doc {
            url: routes::comment(v.year, v.org.as_str(), e.id.as_str()),
            title: e.topic.clone().unwrap_or_else(|| "群众留言".into()),
            kind: "群众评说",
            org: org.clone(),
            text: sentences([e.text.as_str(), &reply, &refused]),
        }
    });
    std::iter::once(page).chain(entries).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn han_text_becomes_bigrams_and_ascii_words() {
        assert_eq!(terms("三会一课台账"), ["三会", "会一", "一课", "课台", "台账"]);
        assert_eq!(terms("“三会”HX-2024 第１２号"), ["三会", "hx", "2024", "12"]);
        // A lone Han character is not a term: it is found by scanning instead.
        assert_eq!(terms("村、镇"), Vec::<String>::new());
    }

    #[test]
    fn folding_keeps_one_char_per_char() {
        let s = "ＡＢｃ１　党";
        let folded: String = s.chars().map(fold).collect();
        assert_eq!(folded, "abc1 党");
        assert_eq!(folded.chars().count(), s.chars().count());
    }

    #[test]
    fn sentences_skip_empty_parts_and_end_each_part() {
        assert_eq!(sentences(["一是这样", "", "二是那样。", "三"]), "一是这样。二是那样。三");
    }

    #[test]
    fn postings_are_delta_coded_and_sorted() {
        let doc = |url: &str, text: &str| Doc {
            url: url.into(),
            title: String::new(),
            kind: "页面",
            org: String::new(),
            text: text.into(),
        };
        let docs = vec![doc("a", "党员"), doc("b", "群众"), doc("c", "党员 党员")];
        let index = Index::new(&docs);
        assert_eq!(index.terms["党员"], vec![0, 2]);
        assert_eq!(index.terms["群众"], vec![1]);
        let json = serde_json::to_string(&index).unwrap();
        assert!(json.starts_with(r#"{"v":1,"docs":[["a","","页面","","党员"]"#), "{json}");
    }
}
