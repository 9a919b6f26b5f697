//! Finding rare characters in long, mostly CJK text without decoding it: a character is tested by
//! the UTF-8 bytes it starts with, 32 positions at a time (which the compiler turns into vector
//! instructions), so a scan costs a fraction of a cycle per byte where `chars()` costs several.
//! Used by the control-character checks of load and the personal-data scans of validate; decides
//! nothing itself.

/// Positions tested together: a block without a hit is skipped at once.
const BLOCK: usize = 32;

/// The first byte offset of `bytes` where `at(b0, b1, b2)` holds for the three bytes starting
/// there (zeros past the end). `at` must be false for continuation bytes (0x80–0xBF as `b0`), so
/// that in text every offset found starts a character; write it with `&` and `|`, not `&&` and
/// `||`, so that a block is tested without branches.
pub fn find(bytes: &[u8], at: impl Fn(u8, u8, u8) -> bool) -> Option<usize> {
    let mut i = 0;
    while let Some(window) = bytes.get(i..i + BLOCK + 2) {
        let window: &[u8; BLOCK + 2] = window.try_into().expect("sliced to length");
        let mut hit = false;
        for k in 0..BLOCK {
            hit |= at(window[k], window[k + 1], window[k + 2]);
        }
        if hit {
            return (0..BLOCK).find(|&k| at(window[k], window[k + 1], window[k + 2])).map(|k| i + k);
        }
        i += BLOCK;
    }
    let byte = |j: usize| bytes.get(j).copied().unwrap_or(0);
    (i..bytes.len()).find(|&j| at(byte(j), byte(j + 1), byte(j + 2)))
}

/// Whether the character starting with `b0 b1 b2` is one `load::yaml::is_control` holds for: a C0
/// control but tab and line ends, DEL, a C1 control (C2 80–9F), U+FFFE or U+FFFF (EF BF BE/BF).
#[inline]
pub fn control_at(b0: u8, b1: u8, b2: u8) -> bool {
    let c0 = (b0 < 0x20) & (b0 != b'\t') & (b0 != b'\n') & (b0 != b'\r');
    let c1 = (b0 == 0xc2) & between(b1, 0x80, 0x9f);
    let nonchar = (b0 == 0xef) & (b1 == 0xbf) & (b2 >= 0xbe);
    c0 | (b0 == 0x7f) | c1 | nonchar
}

/// Whether the character starting with `b0 b1 b2` is a bidirectional embedding, override or
/// isolate: U+202A–U+202E (E2 80 AA–AE), U+2066–U+2069 (E2 81 A6–A9).
#[inline]
pub fn bidi_at(b0: u8, b1: u8, b2: u8) -> bool {
    let embedding = (b1 == 0x80) & between(b2, 0xaa, 0xae);
    let isolate = (b1 == 0x81) & between(b2, 0xa6, 0xa9);
    (b0 == 0xe2) & (embedding | isolate)
}

/// `lo <= b <= hi` in one comparison, without a branch.
#[inline]
pub fn between(b: u8, lo: u8, hi: u8) -> bool {
    b.wrapping_sub(lo) <= hi.wrapping_sub(lo)
}

/// The character of `s` at byte offset `i` (an offset [`find`] returned).
pub fn char_at(s: &str, i: usize) -> Option<char> {
    s.get(i..)?.chars().next()
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::load::yaml::is_control;

    /// `at` tested on every character (followed by zeros, as at the end of a text) agrees with
    /// `pred`, and is false on every continuation byte.
    pub(crate) fn agrees(at: impl Fn(u8, u8, u8) -> bool, pred: impl Fn(char) -> bool) {
        for b in 0x80..0xc0 {
            assert!(!at(b, 0x80, 0x80) && !at(b, 0, 0), "continuation byte {b:02X}");
        }
        let mut buf = [0u8; 4];
        for c in (0..=0x10ffff).filter_map(char::from_u32) {
            let mut bytes = [0u8; 3];
            let encoded = c.encode_utf8(&mut buf).as_bytes();
            let n = encoded.len().min(3);
            bytes[..n].copy_from_slice(&encoded[..n]);
            assert_eq!(at(bytes[0], bytes[1], bytes[2]), pred(c), "U+{:04X}", c as u32);
        }
    }

    #[test]
    fn the_byte_tests_agree_with_the_char_tests() {
        agrees(control_at, is_control);
        agrees(bidi_at, |c| matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}'));
    }

    #[test]
    fn finds_the_first_match_as_a_char_scan_would() {
        let long = format!("{}\u{7f}{}", "中文，标点。".repeat(20), "x".repeat(40));
        for s in [
            "",
            "纯中文，没有控制字符。",
            "a\u{0}b",
            "中\u{85}文\u{202e}",
            "，：（）\u{ffff}",
            "\u{ff0c}\u{fffe}",
            &long,
        ] {
            let slow = s.char_indices().find(|(_, c)| is_control(*c)).map(|(i, _)| i);
            assert_eq!(find(s.as_bytes(), control_at), slow, "{s:?}");
        }
        // Past the blocks, in the tail.
        let tail = format!("{}\u{1}", "a".repeat(BLOCK + 5));
        assert_eq!(find(tail.as_bytes(), control_at), Some(BLOCK + 5));
        assert_eq!(char_at(&tail, BLOCK + 5), Some('\u{1}'));
    }
}
