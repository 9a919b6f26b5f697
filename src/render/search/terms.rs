//! Cutting text into search terms, and the postings of a run of documents: term -> the documents
//! holding it, each with its count in the text and whether it is in the title or the org name.
//! Terms are every pair of adjacent Han characters, every run of ASCII letters and digits (after
//! folding) and, in titles and org names, every Han character. search.js cuts queries the same
//! way. Never writes files: it only fills the buffer it is handed with a document's text.

use super::code;
use super::pairs::PairMap;
use std::collections::HashMap;

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

/// An index term: a Han character or pair packed in an integer (a site has millions of Han
/// occurrences but only thousands of distinct terms, so no string is made per occurrence), or an
/// ASCII word.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Key {
    Han(u64),
    Word(Box<str>),
}

impl Key {
    /// Calls `f` with each code point of the term, in order.
    pub fn code_points(&self, mut f: impl FnMut(u32)) {
        match self {
            Key::Han(k) => {
                if *k >> 21 != 0 {
                    f((*k >> 21) as u32);
                }
                f((*k & 0x1f_ffff) as u32);
            }
            Key::Word(w) => w.bytes().for_each(|b| f(u32::from(b))),
        }
    }

    /// The term as text.
    pub fn text(&self) -> String {
        let mut s = String::new();
        self.code_points(|c| s.push(char::from_u32(c).unwrap_or(char::REPLACEMENT_CHARACTER)));
        s
    }
}

/// A pair packs its first char above bit 21 (every Han char is above U+3400, so a pair's key is
/// never a lone char's, and never 0).
fn pair(a: u32, b: char) -> u64 {
    (u64::from(a) << 21) | u64::from(b as u32)
}

/// The distinct terms of a title, in the order they first appear (what the index gets from it;
/// a text gives the same but its lone chars).
pub fn terms(text: &str) -> Vec<String> {
    let mut p = Postings::new(1.0);
    p.begin(0);
    p.field(Field::Title, text);
    p.terms.iter().map(|t| t.key.text()).collect()
}

/// Where a term was found in a document.
#[derive(Clone, Copy)]
pub enum Field {
    Title,
    Org,
    Text,
}

/// The tokenizer's state between characters: the previous Han char (0: none), the ASCII word so far.
#[derive(Default)]
struct Scan {
    previous_han: u32,
    word: String,
}

/// Documents a run can number: far above any county's site.
pub const MAX_DOCS: usize = 1 << 24;

/// One term of a run of documents and its postings (see [`code`]), ascending by document; the
/// first one's gap is from document 0, so a run's list is complete on its own.
pub struct Term {
    pub key: Key,
    pub postings: Vec<u8>,
    pub first: u32,
    pub last: u32,
}

/// What a term collects while one document is read: the document, and its count in the text
/// (low 8 bits, saturating) with the title (bit 8) and org (bit 9) bits above.
#[derive(Clone, Copy)]
struct Slot {
    doc: u32,
    counts: u32,
}

/// Han chars of the Basic Multilingual Plane get their term number from a table, not a hash map.
const TABLE_START: u32 = 0x3400;
const TABLE_END: u32 = 0xFB00;

/// The postings of a run of documents, read one after the other in ascending order. A term is
/// looked up once per occurrence, so lookups avoid hashing where they can and never allocate.
///
/// A lone Han char is a term of titles and org names only: in the text it would double the
/// lookups and add two thirds to the postings (measured at 10,000 records) for the weakest of
/// queries; a reader who types one character gets the pages whose title or org has it.
pub struct Postings {
    /// Term number + 1 of each BMP Han char (0: not seen yet).
    chars: Vec<u32>,
    pairs: PairMap,
    /// Han chars outside the table (supplementary planes).
    astral: HashMap<u32, u32>,
    words: HashMap<Box<str>, u32>,
    terms: Vec<Term>,
    slots: Vec<Slot>,
    /// Terms met in the current document: the first `seen_len` (the buffer is kept large enough
    /// to write one past them, so noting a term is free of branches).
    seen: Vec<u32>,
    seen_len: usize,
    doc: u32,
    /// BM25's average document length.
    average: f64,
}

impl Postings {
    /// Postings for documents whose average length is `average`.
    pub fn new(average: f64) -> Postings {
        Postings {
            chars: vec![0; (TABLE_END - TABLE_START) as usize],
            pairs: PairMap::default(),
            astral: HashMap::new(),
            words: HashMap::new(),
            terms: Vec::new(),
            slots: Vec::new(),
            seen: Vec::new(),
            seen_len: 0,
            doc: 0,
            average: average.max(1.0),
        }
    }

    /// Starts document `doc` (above every document added before).
    pub fn begin(&mut self, doc: u32) {
        debug_assert_eq!(self.seen_len, 0);
        self.doc = doc;
    }

    /// Adds the terms of a title or org name.
    pub fn field(&mut self, field: Field, text: &str) {
        self.reserve(text.len());
        let mut scan = Scan::default();
        for c in text.chars() {
            match is_cjk(c) {
                true => self.han(&mut scan, c, field),
                false => self.other(&mut scan, fold(c), field),
            }
        }
        self.other(&mut scan, ' ', field);
    }

    /// Adds the terms of the document's text and writes the text into `json` as the inside of a
    /// JSON string: whitespace runs collapsed to one space, ends trimmed, `"`, `\\` and control
    /// characters escaped. One pass over the text for all three.
    pub fn text(&mut self, text: &str, json: &mut Vec<u8>) {
        self.reserve(text.len());
        let bytes = text.as_bytes();
        let mut scan = Scan::default();
        let mut run = 0; // start of the bytes not yet copied
        let mut space = false; // a whitespace run is pending
        let mut written = false;
        for (i, c) in text.char_indices() {
            if space && !c.is_whitespace() {
                if written {
                    json.push(b' ');
                }
                space = false;
            }
            // Most chars are Han: neither whitespace nor escaped, and they fold to themselves.
            if is_cjk(c) {
                written = true;
                self.han(&mut scan, c, Field::Text);
                continue;
            }
            if c.is_whitespace() {
                if !space {
                    json.extend_from_slice(&bytes[run..i]);
                    space = true;
                }
                run = i + c.len_utf8();
                self.other(&mut scan, ' ', Field::Text);
                continue;
            }
            written = true;
            if c == '"' || c == '\\' || c < ' ' {
                json.extend_from_slice(&bytes[run..i]);
                escape(c, json);
                run = i + 1;
            }
            self.other(&mut scan, fold(c), Field::Text);
        }
        if !space {
            json.extend_from_slice(&bytes[run..]);
        }
        self.other(&mut scan, ' ', Field::Text);
    }

    /// Ends the current document, of `length` (measured as `average` was): one posting for each
    /// term it holds.
    pub fn end(&mut self, length: u32) {
        let weights = code::Weights::new(length, self.average);
        let doc = self.doc;
        for &id in &self.seen[..self.seen_len] {
            let counts = self.slots[id as usize].counts;
            let term = &mut self.terms[id as usize];
            if term.postings.is_empty() {
                term.first = doc;
            }
            let digit = weights.digit(counts & 0xff, counts & 0x100 != 0, counts & 0x200 != 0);
            code::push_posting(doc - term.last, digit, &mut term.postings);
            term.last = doc;
        }
        self.seen_len = 0;
    }

    pub fn into_terms(self) -> Vec<Term> {
        self.terms
    }

    /// Room in `seen` for every term of `bytes` more bytes of text (at most two per char).
    fn reserve(&mut self, bytes: usize) {
        let need = self.seen_len + 2 * bytes + 4;
        if self.seen.len() < need {
            self.seen.resize(need, 0);
        }
    }

    /// A Han char: the pair it ends is a term, and so is the char itself in a title or org name
    /// (see [`Postings`]); it ends an ASCII word.
    #[inline(always)]
    fn han(&mut self, scan: &mut Scan, c: char, field: Field) {
        if !matches!(field, Field::Text) {
            let id = match self.chars.get((c as u32).wrapping_sub(TABLE_START) as usize) {
                Some(&id) if id != 0 => id - 1,
                _ => self.new_char(c),
            };
            self.note(id, field);
        }
        if scan.previous_han != 0 {
            let key = pair(scan.previous_han, c);
            let id = match self.pairs.find(key) {
                Ok(id) => id,
                Err(at) => self.new_pair(at, key),
            };
            self.note(id, field);
        }
        scan.previous_han = c as u32;
        if !scan.word.is_empty() {
            self.word(scan, field);
        }
    }

    /// Any other (folded) char: ends a run of Han chars; extends or ends an ASCII word.
    #[inline(always)]
    fn other(&mut self, scan: &mut Scan, c: char, field: Field) {
        scan.previous_han = 0;
        if c.is_ascii_alphanumeric() {
            scan.word.push(c);
        } else if !scan.word.is_empty() {
            self.word(scan, field);
        }
    }

    fn word(&mut self, scan: &mut Scan, field: Field) {
        let id = match self.words.get(scan.word.as_str()) {
            Some(id) => *id,
            None => {
                let id = self.new_term(Key::Word(scan.word.as_str().into()));
                self.words.insert(scan.word.as_str().into(), id);
                id
            }
        };
        scan.word.clear();
        self.note(id, field);
    }

    /// Notes one occurrence of term `id` in the current document.
    #[inline(always)]
    fn note(&mut self, id: u32, field: Field) {
        let doc = self.doc;
        let s = &mut self.slots[id as usize];
        // Whether the term is new in this document is a coin toss: computed, not branched on.
        let new = s.doc != doc;
        let kept = if new { 0 } else { s.counts };
        s.counts = match field {
            Field::Title => kept | 0x100,
            Field::Org => kept | 0x200,
            Field::Text => kept + u32::from(kept & 0xff != 0xff),
        };
        s.doc = doc;
        self.seen[self.seen_len] = id;
        self.seen_len += usize::from(new);
    }

    #[cold]
    fn new_char(&mut self, c: char) -> u32 {
        match self.chars.get_mut((c as u32).wrapping_sub(TABLE_START) as usize) {
            Some(slot) => {
                *slot = self.terms.len() as u32 + 1;
                self.new_term(Key::Han(u64::from(c as u32)))
            }
            None => match self.astral.get(&(c as u32)) {
                Some(id) => *id,
                None => {
                    let id = self.new_term(Key::Han(u64::from(c as u32)));
                    self.astral.insert(c as u32, id);
                    id
                }
            },
        }
    }

    #[cold]
    fn new_pair(&mut self, at: usize, key: u64) -> u32 {
        let id = self.new_term(Key::Han(key));
        self.pairs.insert(at, key, id);
        id
    }

    fn new_term(&mut self, key: Key) -> u32 {
        self.terms.push(Term { key, postings: Vec::new(), first: 0, last: 0 });
        self.slots.push(Slot { doc: u32::MAX, counts: 0 });
        self.terms.len() as u32 - 1
    }
}

/// A JSON escape for `"`, `\` and control characters (the only ones a JSON string needs).
fn escape(c: char, json: &mut Vec<u8>) {
    match c {
        '"' => json.extend_from_slice(b"\\\""),
        '\\' => json.extend_from_slice(b"\\\\"),
        _ => {
            let _ = std::io::Write::write_fmt(json, format_args!("\\u{:04x}", c as u32));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn han_text_becomes_chars_pairs_and_ascii_words() {
        assert_eq!(terms("三会一课"), ["三", "会", "三会", "一", "会一", "课", "一课"]);
        assert_eq!(terms("“三会”HX-2024 第１２号"), ["三", "会", "三会", "hx", "2024", "第", "号", "12"]);
        assert_eq!(terms("村、镇 村"), ["村", "镇"]);
        assert_eq!(terms("𠀀字"), ["𠀀", "字", "𠀀字"]);
    }

    #[test]
    fn folding_keeps_one_char_per_char() {
        let s = "ＡＢｃ１　党";
        let folded: String = s.chars().map(fold).collect();
        assert_eq!(folded, "abc1 党");
        assert_eq!(folded.chars().count(), s.chars().count());
    }

    fn written(text: &str) -> String {
        let mut json = Vec::new();
        let mut p = Postings::new(1.0);
        p.begin(0);
        p.text(text, &mut json);
        p.end(1);
        String::from_utf8(json).unwrap()
    }

    #[test]
    fn text_is_written_collapsed_trimmed_and_escaped() {
        assert_eq!(written("  一是\n\n  二是\u{3000}三 "), "一是 二是 三");
        assert_eq!(written("说“\"a\\b\"”\u{1}"), r#"说“\"a\\b\"”\u0001"#);
        assert_eq!(
            written("<script>alert(1)</script>"),
            "<script>alert(1)</script>",
            "a .js file's JSON string needs no HTML escaping"
        );
        for text in ["a  b", " 一 ", "", "  ", "a\tb\r\nc", "x\u{a0}\u{2028}y"] {
            let collapsed: Vec<&str> = text.split_whitespace().collect();
            assert_eq!(written(text), collapsed.join(" "), "{text:?}");
        }
    }

    /// Term -> [(doc, weight digit)] of documents given as (title, org, text).
    fn postings(docs: &[(&str, &str, &str)]) -> HashMap<String, Vec<(u32, u8)>> {
        let mut p = Postings::new(4.0);
        let mut json = Vec::new();
        for (n, (title, org, text)) in docs.iter().enumerate() {
            p.begin(n as u32);
            p.field(Field::Title, title);
            p.field(Field::Org, org);
            p.text(text, &mut json);
            p.end(text.chars().count() as u32);
        }
        let digit = |b: u8| code::DIGITS.iter().position(|d| *d == b).unwrap() as u8;
        let mut out = HashMap::new();
        for t in p.into_terms() {
            // Every gap and number here is below 32: one digit each.
            let mut doc = 0;
            let list = t.postings.chunks(2).map(|g| {
                doc += u32::from(digit(g[0]));
                (doc, digit(g[1]))
            });
            out.insert(t.key.text(), list.collect());
        }
        out
    }

    #[test]
    fn postings_count_the_text_and_flag_title_and_org() {
        let terms = postings(&[("党员", "河兴村", "党员 党员 大会"), ("群众", "", "群众说党员")]);
        let levels =
            |list: &[(u32, u8)]| list.iter().map(|(d, w)| (*d, w & 15, w & 16 != 0, w & 32 != 0)).collect::<Vec<_>>();
        let pair = levels(&terms["党员"]);
        assert_eq!(pair.iter().map(|p| p.0).collect::<Vec<_>>(), [0, 1]);
        assert!(pair[0].1 > pair[1].1, "two in a shorter text weigh more than one: {pair:?}");
        assert!(pair[0].2 && !pair[0].3 && !pair[1].2);
        assert_eq!(levels(&terms["河兴"]), [(0, 0, false, true)], "in the org name only");
        assert_eq!(terms["党"], [(0, 16)], "a lone char: from titles and org names only");
        assert!(levels(&terms["群众"])[0].2);
    }

    #[test]
    fn a_term_is_counted_once_per_document_however_often_it_occurs() {
        let text = "党员".repeat(300);
        let terms = postings(&[("", "", &text), ("", "", "党员")]);
        assert_eq!(terms["党员"].iter().map(|p| p.0).collect::<Vec<_>>(), [0, 1]);
        assert_eq!(terms["员党"].len(), 1);
    }
}
