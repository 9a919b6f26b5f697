//! Finds the link targets and the `id`s of one HTML page, exactly as the two patterns
//! `\s(?:href|src|action)\s*=\s*"([^"]*)"` and `\bid\s*=\s*"([^"]*)"` (Unicode `\s` and `\b`, each
//! pattern's matches not overlapping) would find them in the page read as lossy UTF-8 — but on the
//! raw bytes, from each `=` outwards, without validating or copying the page. Never resolves links.

use std::borrow::Cow;

/// Scans `html` once, handing every `href`, `src` and `action` value to `on_link` in page order
/// and returning every `id` value, sorted; both unescaped, and borrowed from the page unless an
/// entity or an invalid byte made a copy necessary.
///
/// An attribute is `name\s*=\s*"value"`: every match holds exactly one `=` right after its name,
/// so each `=` is a candidate, and candidates come in the order their matches would start. A match
/// is taken when it starts after the previous match of its pattern ended, which is how a regex's
/// successive non-overlapping matches fall.
pub fn scan<'a>(html: &'a [u8], mut on_link: impl FnMut(Cow<'a, str>)) -> Vec<Cow<'a, str>> {
    let mut ids = Vec::new();
    let (mut links_end, mut ids_end) = (0, 0);
    for eq in memchr::memchr_iter(b'=', html) {
        let name_end = skip_space_back(html, eq);
        if link_attr_start(html, name_end).is_some_and(|s| s >= links_end) {
            if let Some(v) = quoted_value(html, eq + 1) {
                on_link(text(&html[v.start..v.end]));
                links_end = v.end + 1;
            }
        } else if id_start(html, name_end).is_some_and(|s| s >= ids_end) {
            if let Some(v) = quoted_value(html, eq + 1) {
                ids.push(text(&html[v.start..v.end]));
                ids_end = v.end + 1;
            }
        }
    }
    ids.sort_unstable();
    ids
}

/// Where a quoted attribute value lies: `start..end`, `end` being its closing quote.
struct Value {
    start: usize,
    end: usize,
}

/// `\s(?:href|src|action)` ending at `name_end`: where that match starts (at the space).
fn link_attr_start(html: &[u8], name_end: usize) -> Option<usize> {
    let before = &html[..name_end];
    // One byte tells which name it can be: most `=` follow none of them.
    let name: &[u8] = match before.last()? {
        b'f' => b"href",
        b'c' => b"src",
        b'n' => b"action",
        _ => return None,
    };
    if !before.ends_with(name) {
        return None;
    }
    let name_start = name_end - name.len();
    match char_before(html, name_start) {
        Some((c, len)) if c.is_whitespace() => Some(name_start - len),
        _ => None,
    }
}

/// `\bid` ending at `name_end`: where that match starts.
fn id_start(html: &[u8], name_end: usize) -> Option<usize> {
    let start = name_end.checked_sub(2).filter(|&s| html[s..name_end] == *b"id")?;
    match char_before(html, start) {
        Some((c, _)) if regex_syntax::is_word_character(c) => None,
        _ => Some(start),
    }
}

/// Steps back over `\s*` from `end`.
fn skip_space_back(html: &[u8], mut end: usize) -> usize {
    while let Some((_, len)) = char_before(html, end).filter(|(c, _)| c.is_whitespace()) {
        end -= len;
    }
    end
}

/// `\s*"([^"]*)"` from `from`.
fn quoted_value(html: &[u8], mut from: usize) -> Option<Value> {
    while let Some((_, len)) = char_at(html, from).filter(|(c, _)| c.is_whitespace()) {
        from += len;
    }
    if html.get(from) != Some(&b'"') {
        return None;
    }
    let start = from + 1;
    let end = start + memchr::memchr(b'"', &html[start..])?;
    Some(Value { start, end })
}

/// The character that ends at `end` and its length in bytes; `None` at the start of the page and
/// where lossy decoding would have put U+FFFD (neither a space nor a word character).
fn char_before(html: &[u8], end: usize) -> Option<(char, usize)> {
    let last = *html.get(end.checked_sub(1)?)?;
    if last.is_ascii() {
        return Some((char::from(last), 1));
    }
    // A sequence starts at its first byte that is not a continuation byte, at most 4 bytes back;
    // lossy decoding never lets an earlier sequence swallow such a byte.
    let len = (1..=end.min(4)).find(|&n| html[end - n] & 0xC0 != 0x80)?;
    one_char(&html[end - len..end])
}

/// The character that starts at `at` and its length in bytes (`None` as for [`char_before`]).
fn char_at(html: &[u8], at: usize) -> Option<(char, usize)> {
    let first = *html.get(at)?;
    if first.is_ascii() {
        return Some((char::from(first), 1));
    }
    let len = match first {
        0xC0..=0xDF => 2,
        0xE0..=0xEF => 3,
        0xF0..=0xF7 => 4,
        _ => return None,
    };
    one_char(html.get(at..at + len)?)
}

/// `bytes` as exactly one valid character.
fn one_char(bytes: &[u8]) -> Option<(char, usize)> {
    let s = std::str::from_utf8(bytes).ok()?;
    let mut chars = s.chars();
    let c = chars.next()?;
    chars.next().is_none().then_some((c, bytes.len()))
}

/// A value as text: lossy UTF-8, then [`unescape`].
fn text(bytes: &[u8]) -> Cow<'_, str> {
    match std::str::from_utf8(bytes) {
        Ok(s) => unescape(s),
        Err(_) => Cow::Owned(unescape(&String::from_utf8_lossy(bytes)).into_owned()),
    }
}

/// The few entities the templates' escaping puts into URLs; most values have none and are borrowed.
pub fn unescape(s: &str) -> Cow<'_, str> {
    if !s.bytes().any(|b| b == b'&') {
        return Cow::Borrowed(s);
    }
    Cow::Owned(s.replace("&amp;", "&").replace("&#x2F;", "/").replace("&#x27;", "'").replace("&quot;", "\""))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// The two patterns this scanner stands for, run on the page as lossy UTF-8.
    fn by_regex(html: &[u8]) -> (Vec<String>, Vec<String>) {
        let page = String::from_utf8_lossy(html);
        let all = |re: &str| -> Vec<String> {
            let re = regex::Regex::new(re).unwrap();
            re.captures_iter(&page).map(|c| unescape(&c[1]).into_owned()).collect()
        };
        let mut ids = all(r#"\bid\s*=\s*"([^"]*)""#);
        ids.sort_unstable();
        (all(r#"\s(?:href|src|action)\s*=\s*"([^"]*)""#), ids)
    }

    fn by_scan(html: &[u8]) -> (Vec<String>, Vec<String>) {
        let mut links = Vec::new();
        let ids = scan(html, |link| links.push(link.into_owned()));
        (links, ids.into_iter().map(Cow::into_owned).collect())
    }

    #[test]
    fn finds_what_the_patterns_find() {
        let cases: &[&[u8]] = &[
            br##"<a href="a.html">x</a><link href = "b.css"><img src="c.png"><form action="d/"></form>"##,
            br##"<p id="top"></p><div data-id="x"></div><p grid="no"></p><p _id="no"></p>id="first""##,
            br##"<a data-href="no" xhref="no" href="a?x=1&amp;y=2" srcset="no">"##,
            "<a\u{3000}href=\u{a0}\"wide\"><b 中id=\"han\"></b><i ①id=\"circled\"></i>".as_bytes(),
            br##"<a href="unclosed id="in-value" src="after">"##,
            b"<a \xFFhref=\"bad\"> <a href=\"x\xE3\x80y\"> \xE3\x80\x80href=\"ideographic\"",
            br##"href="at-start" <a href="#frag">"##,
        ];
        for html in cases {
            assert_eq!(by_scan(html), by_regex(html), "{}", String::from_utf8_lossy(html));
        }
        let (links, ids) = by_scan(cases[0]);
        assert_eq!((links.len(), ids.len()), (4, 0));
    }

    fn piece() -> impl Strategy<Value = Vec<u8>> {
        let pieces: Vec<&[u8]> = vec![
            b"href",
            b"src",
            b"action",
            b"id",
            b"=",
            b"\"",
            b" ",
            b"\t",
            b"\n",
            b"a",
            b"_",
            b"-",
            b"#",
            b"/",
            b"&amp;",
            b"&quot;",
            b"<a ",
            b">",
            "\u{3000}".as_bytes(),
            "\u{a0}".as_bytes(),
            "\u{2028}".as_bytes(),
            "中".as_bytes(),
            "\u{300}".as_bytes(),
            "①".as_bytes(),
            b"\xE3\x80",
            b"\x80",
            b"\xFF",
            b"\xC2",
        ];
        proptest::sample::select(pieces).prop_map(<[u8]>::to_vec)
    }

    proptest! {
        #[test]
        fn agrees_with_the_patterns(parts in proptest::collection::vec(piece(), 0..60)) {
            let html = parts.concat();
            prop_assert_eq!(by_scan(&html), by_regex(&html));
        }
    }
}
