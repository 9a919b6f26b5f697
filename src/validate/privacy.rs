//! Personal-data protection: finds mainland mobile numbers and checksum-valid ID numbers in public text, and masks commenters' names. Never reads files or decides what is public.

use crate::load::chars;
use memchr::memmem;
use std::borrow::Cow;
use std::collections::HashSet;
use std::ops::Range;
use std::sync::LazyLock;

/// Digits in a mainland mobile number.
const MOBILE_LEN: usize = 11;
/// Bytes of a mobile number written 3-4-4 with separators (`138-1234-5678`).
const GROUPED_LEN: usize = 13;
/// Characters in a resident ID number (GB 11643-1999).
const ID_LEN: usize = 18;
/// GB 11643-1999 / ISO 7064 MOD 11-2 weights for the first 17 digits.
const ID_WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
/// Check character indexed by the weighted sum modulo 11.
const ID_CHECK_CHARS: &[u8; 11] = b"10X98765432";

/// Two-character compound surnames (simplified and traditional forms). Deliberately
/// leaves out pairs such as 单于 or 贺兰 whose first character is a common single
/// surname and whose second is a common given-name character: a wrong match would
/// reveal a character of the given name, while a missed match only hides more.
const COMPOUND_SURNAMES: &[&str] = &[
    "欧阳", "司马", "上官", "诸葛", "东方", "皇甫", "尉迟", "公孙", "慕容", "长孙", "宇文", "司徒", "令狐", "夏侯",
    "轩辕", "端木", "独孤", "南宫", "西门", "百里", "呼延", "澹台", "公冶", "宗政", "濮阳", "太史", "申屠", "仲孙",
    "钟离", "闻人", "赫连", "万俟", "拓跋", "第五", "司空", "东郭", "南门", "羊舌", "微生", "梁丘", "左丘", "东门",
    "公良", "乐正", "漆雕", "壤驷", "公西", "巫马", "谷梁", "宰父", "段干", "颛孙", "鲜于", "闾丘", "子车", "亓官",
    "司寇", "公羊", "淳于", "太叔", "完颜", "纳兰", "歐陽", "司馬", "諸葛", "東方", "尉遲", "公孫", "長孫", "軒轅",
    "獨孤", "南宮", "西門", "澹臺", "濮陽", "仲孫", "鍾離", "聞人", "赫連", "東郭", "南門", "東門", "漆彫", "壤駟",
    "巫馬", "顓孫", "鮮於", "閭丘", "子車",
];

/// What kind of personal number was found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NumberKind {
    /// A mainland mobile number: 1[3-9] and 9 more digits.
    Mobile,
    /// A checksum-valid 18-character resident ID number.
    IdCard,
}

impl NumberKind {
    /// The Chinese name used in build messages.
    pub fn label(self) -> &'static str {
        match self {
            NumberKind::Mobile => "手机号码",
            NumberKind::IdCard => "身份证号码",
        }
    }
}

/// One personal number found in a text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    pub kind: NumberKind,
    /// Byte offset of the number's first character in the ORIGINAL text (not the normalised one).
    pub start: usize,
    /// Byte length in the original text.
    pub len: usize,
    /// The number masked for messages, e.g. 138****1234 or 110105********123X (ASCII digits).
    pub masked: String,
}

/// A number found in the normalised text, before allow-listing and offset mapping.
struct Candidate {
    kind: NumberKind,
    /// Byte range in the normalised text.
    start: usize,
    end: usize,
    /// ASCII digits (and a final upper-case X for IDs), separators removed.
    digits: String,
}

/// Scans text for personal numbers, letting allowed numbers through.
pub struct NumberScanner {
    /// Allowed numbers reduced to their digits (see [`number_key`]).
    allowed: HashSet<String>,
}

impl NumberScanner {
    /// `allowed` are numbers from site.yaml `allowed_numbers`; compare after removing every non-digit/non-X char and normalising full-width digits, so "138-0000-1234" in the allow list lets "13800001234" through.
    pub fn new<I: IntoIterator<Item = S>, S: AsRef<str>>(allowed: I) -> Self {
        let mut keys = HashSet::new();
        for number in allowed {
            let key = number_key(number.as_ref());
            // An editor may write a hotline with the country code (+86 138…);
            // the published text usually carries the bare 11 digits.
            if let Some(bare) = strip_country_code(&key) {
                keys.insert(bare.to_string());
            }
            if !key.is_empty() {
                keys.insert(key);
            }
        }
        NumberScanner { allowed: keys }
    }

    /// Returns the personal numbers in `text`, in order of position.
    pub fn scan(&self, text: &str) -> Vec<Finding> {
        // Most public texts hold no long number at all: skip them cheaply.
        if !has_enough_digits(text) {
            return Vec::new();
        }
        let norm = Normalised::new(text);
        let mut candidates = self.digit_run_candidates(&norm.text);
        candidates.extend(self.grouped_mobile_candidates(&norm.text));
        candidates.retain(|c| !self.allowed.contains(&c.digits));
        candidates.sort_by_key(|c| c.start);
        candidates.into_iter().map(|c| norm.finding(c)).collect()
    }

    /// Mobiles and IDs written as one unbroken run of digits.
    fn digit_run_candidates(&self, text: &str) -> Vec<Candidate> {
        let bytes = text.as_bytes();
        let mut found = Vec::new();
        for run in digit_runs(bytes) {
            if let Some(start) = mobile_start(bytes, run.start, &text[run.clone()]) {
                found.push(Candidate {
                    kind: NumberKind::Mobile,
                    start,
                    end: run.end,
                    digits: text[start..run.end].to_string(),
                });
            } else if let Some(candidate) = id_candidate(bytes, run.start, run.end) {
                found.push(candidate);
            }
        }
        found
    }

    /// Mobiles written 138-1234-5678 or 138 1234 5678.
    fn grouped_mobile_candidates<'a>(&'a self, text: &'a str) -> impl Iterator<Item = Candidate> + 'a {
        let bytes = text.as_bytes();
        grouped_mobiles(bytes).filter(move |m| !digit_before(bytes, m.start) && !digit_at(bytes, m.end)).map(|m| {
            Candidate {
                kind: NumberKind::Mobile,
                digits: text[m.clone()].chars().filter(char::is_ascii_digit).collect(),
                start: m.start,
                end: m.end,
            }
        })
    }
}

/// Maximal runs of ASCII digits, as byte ranges: a whole run is a candidate, so a number glued to
/// more digits is not taken for a shorter one.
fn digit_runs(bytes: &[u8]) -> impl Iterator<Item = Range<usize>> + '_ {
    let mut from = 0;
    std::iter::from_fn(move || {
        let start = from + chars::find(&bytes[from..], |b, _, _| b.is_ascii_digit())?;
        let end = bytes[start..].iter().position(|b| !b.is_ascii_digit()).map_or(bytes.len(), |n| start + n);
        from = end;
        Some(start..end)
    })
}

/// `1[3-9][0-9]`, a separator (`-` or a space), four digits, the same separator, four digits:
/// the matches left to right, none overlapping the one before.
fn grouped_mobiles(bytes: &[u8]) -> impl Iterator<Item = Range<usize>> + '_ {
    let mut from = 0;
    std::iter::from_fn(move || loop {
        let at = from + memchr::memchr(b'1', bytes.get(from..)?)?;
        if grouped_mobile_at(bytes, at) {
            from = at + GROUPED_LEN;
            return Some(at..at + GROUPED_LEN);
        }
        from = at + 1;
    })
}

fn grouped_mobile_at(bytes: &[u8], at: usize) -> bool {
    let Some(m) = bytes.get(at..at + GROUPED_LEN) else {
        return false;
    };
    let digits = |r: Range<usize>| m[r].iter().all(u8::is_ascii_digit);
    m[0] == b'1'
        && (b'3'..=b'9').contains(&m[1])
        && m[2].is_ascii_digit()
        && matches!(m[3], b'-' | b' ')
        && m[8] == m[3]
        && digits(4..8)
        && digits(9..13)
}

/// True when the text holds at least 11 ASCII or full-width digits, the
/// fewest any personal number needs.
fn has_enough_digits(text: &str) -> bool {
    let bytes = text.as_bytes();
    let mut ascii = 0;
    // Counted 64 bytes at a time in a byte-wide sum, which vector instructions do 16 or 32 at once.
    for block in bytes.chunks(64) {
        ascii += usize::from(block.iter().map(|b| u8::from(b.is_ascii_digit())).sum::<u8>());
        if ascii >= MOBILE_LEN {
            return true;
        }
    }
    ascii + fullwidth_digits(bytes) >= MOBILE_LEN
}

/// How many full-width digits ０-９ (U+FF10–U+FF19: EF BC 90–99) `bytes` holds.
fn fullwidth_digits(bytes: &[u8]) -> usize {
    static LEAD: LazyLock<memmem::Finder> = LazyLock::new(|| memmem::Finder::new(b"\xef\xbc"));
    LEAD.find_iter(bytes).filter(|&i| matches!(bytes.get(i + 2), Some(0x90..=0x99))).count()
}

/// The ASCII digit for a full-width digit ０-９.
fn fullwidth_digit(c: char) -> Option<char> {
    match c {
        '０'..='９' => char::from_u32(c as u32 - '０' as u32 + '0' as u32),
        _ => None,
    }
}

/// The ASCII character matched in place of `c`, if `c` needs normalising.
/// Full-width separators are folded too, so １３８－１２３４－５６７８ is caught.
fn normalise_char(c: char) -> Option<char> {
    match c {
        'Ｘ' => Some('X'),
        'ｘ' => Some('x'),
        '－' => Some('-'),
        '\u{3000}' | '\u{a0}' => Some(' '),
        _ => fullwidth_digit(c),
    }
}

/// Whether the character starting with `b0 b1 b2` is one [`normalise_char`] folds: ０-９ (EF BC
/// 90–99), Ｘ (EF BC B8), － (EF BC 8D), ｘ (EF BD 98), U+3000 (E3 80 80), U+00A0 (C2 A0).
#[inline]
fn folds_at(b0: u8, b1: u8, b2: u8) -> bool {
    let fullwidth = (b0 == 0xef)
        & (((b1 == 0xbc) & (chars::between(b2, 0x90, 0x99) | (b2 == 0xb8) | (b2 == 0x8d)))
            | ((b1 == 0xbd) & (b2 == 0x98)));
    let ideographic_space = (b0 == 0xe3) & (b1 == 0x80) & (b2 == 0x80);
    fullwidth | ideographic_space | ((b0 == 0xc2) & (b1 == 0xa0))
}

/// Text with full-width digits etc. folded to ASCII, remembering how to map
/// byte offsets back to the original text.
struct Normalised<'a> {
    text: Cow<'a, str>,
    /// For each folded character: (its end offset in the normalised text, the
    /// total bytes removed up to and including it). Sparse, so a huge text
    /// with a few full-width digits costs little memory.
    shifts: Vec<(usize, usize)>,
}

impl<'a> Normalised<'a> {
    fn new(text: &'a str) -> Self {
        if chars::find(text.as_bytes(), folds_at).is_none() {
            return Normalised { text: Cow::Borrowed(text), shifts: Vec::new() };
        }
        let mut out = String::with_capacity(text.len());
        let mut shifts = Vec::new();
        let mut removed = 0;
        for c in text.chars() {
            match normalise_char(c) {
                Some(ascii) => {
                    out.push(ascii);
                    removed += c.len_utf8() - ascii.len_utf8();
                    shifts.push((out.len(), removed));
                }
                None => out.push(c),
            }
        }
        Normalised { text: Cow::Owned(out), shifts }
    }

    /// Maps a byte offset (a char boundary) of the normalised text to the original.
    fn original_offset(&self, offset: usize) -> usize {
        let folded_before = self.shifts.partition_point(|&(end, _)| end <= offset);
        match folded_before {
            0 => offset,
            n => offset + self.shifts[n - 1].1,
        }
    }

    fn finding(&self, candidate: Candidate) -> Finding {
        let start = self.original_offset(candidate.start);
        let end = self.original_offset(candidate.end);
        Finding {
            kind: candidate.kind,
            start,
            len: end - start,
            masked: mask_number(candidate.kind, &candidate.digits),
        }
    }
}

fn digit_at(bytes: &[u8], index: usize) -> bool {
    bytes.get(index).is_some_and(u8::is_ascii_digit)
}

fn digit_before(bytes: &[u8], index: usize) -> bool {
    index > 0 && digit_at(bytes, index - 1)
}

/// Where the mobile number in the maximal digit run `digits` (at `start`)
/// begins: the run itself, or after the country code of a run glued to
/// "+86", which is unmistakably a phone number rather than a serial.
fn mobile_start(bytes: &[u8], start: usize, digits: &str) -> Option<usize> {
    if is_mobile(digits) {
        Some(start)
    } else if start > 0 && bytes[start - 1] == b'+' && strip_country_code(digits).is_some() {
        Some(start + 2)
    } else {
        None
    }
}

/// An 11-digit string starting 1[3-9].
fn is_mobile(digits: &str) -> bool {
    let b = digits.as_bytes();
    b.len() == MOBILE_LEN && b[0] == b'1' && (b'3'..=b'9').contains(&b[1])
}

/// An ID number made of the maximal digit run `start..end`: 18 digits, or 17
/// digits followed by X/x that is not itself followed by a digit.
fn id_candidate(bytes: &[u8], start: usize, end: usize) -> Option<Candidate> {
    let run_len = end - start;
    let end = if run_len == ID_LEN {
        end
    } else if run_len == ID_LEN - 1 && matches!(bytes.get(end), Some(b'X' | b'x')) && !digit_at(bytes, end + 1) {
        end + 1
    } else {
        return None;
    };
    let digits: String = bytes[start..end].iter().map(|&b| b.to_ascii_uppercase() as char).collect();
    is_valid_id(digits.as_bytes()).then_some(Candidate { kind: NumberKind::IdCard, start, end, digits })
}

/// 18 characters with a plausible birth date and a valid MOD 11-2 check character.
fn is_valid_id(id: &[u8]) -> bool {
    id.len() == ID_LEN
        && id[..ID_LEN - 1].iter().all(u8::is_ascii_digit)
        && has_plausible_birth_date(&id[6..14])
        && id_check_char(&id[..ID_LEN - 1]) == Some(id[ID_LEN - 1])
}

/// The GB 11643-1999 check character for the first 17 digits.
fn id_check_char(first17: &[u8]) -> Option<u8> {
    if first17.len() != ID_WEIGHTS.len() || !first17.iter().all(u8::is_ascii_digit) {
        return None;
    }
    let sum: u32 = first17.iter().zip(ID_WEIGHTS).map(|(&d, w)| u32::from(d - b'0') * w).sum();
    Some(ID_CHECK_CHARS[(sum % 11) as usize])
}

/// YYYYMMDD with year 1900–2099 and a day that exists in that month.
fn has_plausible_birth_date(date: &[u8]) -> bool {
    let number = |range: std::ops::Range<usize>| -> u32 {
        date[range].iter().fold(0, |acc, &d| acc * 10 + u32::from(d.wrapping_sub(b'0')))
    };
    if date.len() != 8 || !date.iter().all(u8::is_ascii_digit) {
        return false;
    }
    let (year, month, day) = (number(0..4), number(4..6), number(6..8));
    (1900..=2099).contains(&year) && day >= 1 && day <= days_in_month(year, month)
}

/// Days in `month` of `year`; 0 for a month that does not exist.
fn days_in_month(year: u32, month: u32) -> u32 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        2 => 28,
        _ => 0,
    }
}

/// Mobile: first 3 and last 4 digits kept; ID: first 6 and last 4.
fn mask_number(kind: NumberKind, digits: &str) -> String {
    let (head, tail) = match kind {
        NumberKind::Mobile => (3, 4),
        NumberKind::IdCard => (6, 4),
    };
    // Digits are ASCII, so byte slicing is char slicing; guard anyway.
    if digits.len() < head + tail || !digits.is_ascii() {
        return "*".repeat(digits.chars().count());
    }
    let hidden = digits.len() - head - tail;
    format!("{}{}{}", &digits[..head], "*".repeat(hidden), &digits[digits.len() - tail..])
}

/// The comparable form of an allow-listed number: ASCII digits and upper-case X only.
fn number_key(number: &str) -> String {
    number
        .chars()
        .map(|c| normalise_char(c).unwrap_or(c))
        .filter(|c| c.is_ascii_digit() || matches!(c, 'X' | 'x'))
        .map(|c| c.to_ascii_uppercase())
        .collect()
}

/// "8613812345678" → "13812345678".
fn strip_country_code(key: &str) -> Option<&str> {
    key.strip_prefix("86").filter(|bare| is_mobile(bare))
}

/// Masks a commenter's name: 李明 → 李*, 张三丰 → 张**, 欧阳明华 → 欧阳**, 司马光 → 司马*; a single character name → *; an empty or whitespace name → empty string; a non-CJK name (e.g. "Li Ming") → first char then * for each remaining non-space char ("L** ****" is fine, just never reveal more than the first letter/surname). Compound surnames: a const list of the common two-character Chinese compound surnames (欧阳 司马 上官 诸葛 东方 皇甫 尉迟 公孙 慕容 长孙 宇文 司徒 令狐 夏侯 轩辕 端木 独孤 南宫 西门 百里 呼延 澹台 公冶 宗政 濮阳 太史 申屠 仲孙 钟离 闻人 赫连 万俟 拓跋 第五 司空 …) decides; a name of exactly two characters whose two characters form a compound surname (e.g. "欧阳") → 欧*.
pub fn mask_name(name: &str) -> String {
    let chars: Vec<char> = name.trim().chars().collect();
    match chars.as_slice() {
        [] => String::new(),
        [_] => "*".to_string(),
        [first, ..] if is_han(*first) => mask_chinese_name(&chars),
        _ => mask_other_name(&chars),
    }
}

/// Keeps the surname (one character, or two for a compound surname followed by
/// a given name) and masks every other character, so the length is preserved.
fn mask_chinese_name(chars: &[char]) -> String {
    let kept = if chars.len() > 2 && is_compound_surname(chars[0], chars[1]) { 2 } else { 1 };
    let mut masked: String = chars[..kept].iter().collect();
    masked.push_str(&"*".repeat(chars.len() - kept));
    masked
}

/// Keeps the first character; spaces stay so the shape of the name is kept.
fn mask_other_name(chars: &[char]) -> String {
    let rest = chars[1..].iter().map(|&c| if c.is_whitespace() { c } else { '*' });
    std::iter::once(chars[0]).chain(rest).collect()
}

fn is_compound_surname(first: char, second: char) -> bool {
    COMPOUND_SURNAMES.iter().any(|surname| {
        let mut it = surname.chars();
        it.next() == Some(first) && it.next() == Some(second) && it.next().is_none()
    })
}

/// A Han ideograph (CJK unified ideographs, extensions and compatibility block).
fn is_han(c: char) -> bool {
    matches!(c,
        '\u{3400}'..='\u{4DBF}'
        | '\u{4E00}'..='\u{9FFF}'
        | '\u{F900}'..='\u{FAFF}'
        | '\u{20000}'..='\u{323AF}')
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn scanner() -> NumberScanner {
        NumberScanner::new(Vec::<String>::new())
    }

    /// Independent of the module's helper: appends the check character.
    fn with_check_char(first17: &str) -> String {
        let weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
        let sum: u32 = first17.chars().zip(weights).map(|(c, w)| c.to_digit(10).unwrap() * w).sum();
        let check = "10X98765432".chars().nth((sum % 11) as usize).unwrap();
        format!("{first17}{check}")
    }

    fn fullwidth(s: &str) -> String {
        s.chars()
            .map(|c| match c {
                '0'..='9' => char::from_u32(c as u32 - '0' as u32 + '０' as u32).unwrap(),
                'X' => 'Ｘ',
                other => other,
            })
            .collect()
    }

    #[test]
    fn folded_characters_are_found_by_their_bytes_as_by_their_chars() {
        crate::load::chars::tests::agrees(folds_at, |c| normalise_char(c).is_some());
    }

    #[test]
    fn labels() {
        assert_eq!(NumberKind::Mobile.label(), "手机号码");
        assert_eq!(NumberKind::IdCard.label(), "身份证号码");
    }

    #[test]
    fn masks_names() {
        assert_eq!(mask_name("李明"), "李*");
        assert_eq!(mask_name("张三丰"), "张**");
        assert_eq!(mask_name("欧阳明华"), "欧阳**");
        assert_eq!(mask_name("司马光"), "司马*");
        assert_eq!(mask_name("欧阳"), "欧*");
        assert_eq!(mask_name("李"), "*");
        assert_eq!(mask_name(""), "");
        assert_eq!(mask_name("  \t　"), "");
        assert_eq!(mask_name(" 李明 "), "李*");
        assert_eq!(mask_name("Li Ming"), "L* ****");
        assert_eq!(mask_name("L"), "*");
    }

    #[test]
    fn mobile_in_chinese_context() {
        let text = "电话13812345678。";
        let found = scanner().scan(text);
        assert_eq!(found.len(), 1);
        let f = &found[0];
        assert_eq!(f.kind, NumberKind::Mobile);
        assert_eq!(f.start, "电话".len());
        assert_eq!(&text[f.start..f.start + f.len], "13812345678");
        assert_eq!(f.masked, "138****5678");
    }

    #[test]
    fn mobile_at_start_and_end() {
        let found = scanner().scan("13912345678");
        assert_eq!(found.len(), 1);
        assert_eq!((found[0].start, found[0].len), (0, 11));
        let found = scanner().scan("联系人手机：15912345678");
        assert_eq!(found[0].start, "联系人手机：".len());
        let found = scanner().scan("tel13812345678");
        assert_eq!(found[0].start, 3);
        // Glued to the country code, the 11 digits after "+86" are reported.
        let found = scanner().scan("电话+8613812345678");
        assert_eq!(found.len(), 1);
        assert_eq!((found[0].start, found[0].len), ("电话+86".len(), 11));
        assert!(scanner().scan("编号8613812345678").is_empty());
    }

    #[test]
    fn fullwidth_mobile() {
        let text = format!("电话{}号", fullwidth("13812345678"));
        let found = scanner().scan(&text);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].start, "电话".len());
        assert_eq!(found[0].len, 11 * 3);
        assert_eq!(found[0].masked, "138****5678");
    }

    #[test]
    fn mobile_with_separators() {
        for text in ["电话138-1234-5678。", "电话138 1234 5678。"] {
            let found = scanner().scan(text);
            assert_eq!(found.len(), 1, "{text}");
            let f = &found[0];
            assert_eq!(f.start, "电话".len());
            assert_eq!(f.len, 13);
            assert_eq!(f.masked, "138****5678");
        }
        let found = scanner().scan(&fullwidth("电话138－1234－5678"));
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].len, 13 * 3);
        // Mixed separators or a longer last group are not the 3-4-4 form.
        assert!(scanner().scan("138-1234 5678").is_empty());
        assert!(scanner().scan("138-1234-56789").is_empty());
        assert!(scanner().scan("2138-1234-5678").is_empty());
    }

    #[test]
    fn longer_digit_runs_are_not_mobiles() {
        assert!(scanner().scan("编号213812345678").is_empty());
        assert!(scanner().scan("编号138123456789").is_empty());
        assert!(scanner().scan("流水号 2023138123456780001").is_empty());
        assert!(scanner().scan(&fullwidth("编号213812345678")).is_empty());
    }

    #[test]
    fn landlines_are_fine() {
        for text in [
            "监督电话：0000-1234567",
            "监督电话：010-12345678",
            "0571-88888888，0571-88888888",
            "电话(010)12345678转1234",
            "12345678901",
        ] {
            assert!(scanner().scan(text).is_empty(), "{text}");
        }
    }

    #[test]
    fn allowed_numbers_are_dropped() {
        let scanner = NumberScanner::new(["138-0000-1234", "１３９ ００００ １２３４", "+86 137 0000 1234"]);
        assert!(scanner.scan("热线13800001234").is_empty());
        assert!(scanner.scan("热线138-0000-1234").is_empty());
        assert!(scanner.scan("热线13900001234").is_empty());
        assert!(scanner.scan("热线13700001234").is_empty());
        assert_eq!(scanner.scan("热线13600001234").len(), 1);
    }

    #[test]
    fn valid_id_is_found() {
        let id = with_check_char("11010519491231002");
        assert_eq!(id, "11010519491231002X");
        let text = format!("身份证：{id}，");
        let found = scanner().scan(&text);
        assert_eq!(found.len(), 1);
        let f = &found[0];
        assert_eq!(f.kind, NumberKind::IdCard);
        assert_eq!(f.start, "身份证：".len());
        assert_eq!(f.len, 18);
        assert_eq!(f.masked, "110105********002X");
        // Lower-case x is accepted and reported upper-case.
        let found = scanner().scan("11010519491231002x");
        assert_eq!(found[0].masked, "110105********002X");
    }

    #[test]
    fn numeric_check_digit_id_is_found() {
        let id = with_check_char("44030419851012123");
        let found = scanner().scan(&format!("号码{id}"));
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].masked, format!("440304********{}", &id[14..]));
    }

    #[test]
    fn allowed_id_is_dropped() {
        let scanner = NumberScanner::new(["11010519491231002x"]);
        assert!(scanner.scan("11010519491231002X").is_empty());
    }

    #[test]
    fn invalid_ids_are_not_found() {
        // Wrong check character.
        assert!(scanner().scan("110105194912310021").is_empty());
        // Valid checksum but impossible birth dates.
        for first17 in ["11010519491331002", "11010518001231002", "11010519490230002"] {
            let id = with_check_char(first17);
            assert!(scanner().scan(&id).is_empty(), "{id}");
        }
        // A valid ID inside a longer digit run.
        assert!(scanner().scan("911010519491231002X").is_empty());
        assert!(scanner().scan("11010519491231002X5").is_empty());
    }

    #[test]
    fn offsets_after_fullwidth_digits() {
        let text = "２０２４年，１３８１２３４５６７８，13912345678";
        let found = scanner().scan(text);
        assert_eq!(found.len(), 2);
        let first_start = "２０２４年，".len();
        assert_eq!((found[0].start, found[0].len), (first_start, 33));
        let second_start = text.find("139").unwrap();
        assert_eq!((found[1].start, found[1].len), (second_start, 11));
        assert_eq!(&text[found[1].start..found[1].start + found[1].len], "13912345678");
        assert_eq!(found[1].masked, "139****5678");
    }

    #[test]
    fn fullwidth_id_offsets() {
        let text = format!("１２号：{}", fullwidth("11010519491231002X"));
        let found = scanner().scan(&text);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].start, "１２号：".len());
        assert_eq!(found[0].len, 18 * 3);
        assert_eq!(found[0].masked, "110105********002X");
    }

    #[test]
    fn results_are_in_order() {
        let text = "13812345678 11010519491231002X 139-1234-5678 13712345678";
        let starts: Vec<usize> = scanner().scan(text).iter().map(|f| f.start).collect();
        assert_eq!(starts, vec![0, 12, 31, 45]);
    }

    #[test]
    fn few_digits_and_odd_input() {
        assert!(scanner().scan("").is_empty());
        assert!(scanner().scan("1234567890").is_empty());
        assert!(scanner().scan("\u{0}\u{FFFF}\u{10FFFF}𠀀ｘＸ－　").is_empty());
    }

    fn cjk_string(max: usize) -> impl Strategy<Value = String> {
        proptest::collection::vec(proptest::char::range('\u{4e00}', '\u{9fa5}'), 0..max)
            .prop_map(|v| v.into_iter().collect())
    }

    /// Text where the hand-written matchers have something to find: numbers, separators, CJK.
    fn number_soup() -> impl Strategy<Value = String> {
        let piece = prop_oneof![
            "1[3-9][0-9][- ][0-9]{4}[- ][0-9]{4}",
            "[0-9]{1,6}",
            "[- ]",
            "[０-９]{1,3}",
            Just("电话".to_string()),
        ];
        proptest::collection::vec(piece, 0..10).prop_map(|v| v.concat())
    }

    proptest! {
        #[test]
        fn hand_written_matchers_agree_with_the_regexes_they_replace(text in number_soup()) {
            let runs: Vec<_> = digit_runs(text.as_bytes()).collect();
            let want: Vec<_> = regex::Regex::new("[0-9]+").unwrap().find_iter(&text).map(|m| m.range()).collect();
            prop_assert_eq!(runs, want);
            let grouped: Vec<_> = grouped_mobiles(text.as_bytes()).collect();
            let re = regex::Regex::new(r"1[3-9][0-9](?:-[0-9]{4}-|\x20[0-9]{4}\x20)[0-9]{4}").unwrap();
            let want: Vec<_> = re.find_iter(&text).map(|m| m.range()).collect();
            prop_assert_eq!(grouped, want);
            let digits = text.chars().filter(|c| c.is_ascii_digit() || fullwidth_digit(*c).is_some()).count();
            prop_assert_eq!(has_enough_digits(&text), digits >= MOBILE_LEN);
        }

        #[test]
        fn scan_never_panics(text in any::<String>()) {
            let findings = scanner().scan(&text);
            for f in findings {
                prop_assert!(text.get(f.start..f.start + f.len).is_some());
            }
        }

        #[test]
        fn scan_never_panics_on_digit_soup(text in "[0-9０-９XxＸｘ\\- 　电话]{0,60}") {
            let findings = scanner().scan(&text);
            for f in findings {
                prop_assert!(text.get(f.start..f.start + f.len).is_some());
            }
        }

        #[test]
        fn mobile_found_at_right_offset(
            prefix in cjk_string(10),
            mobile in "1[3-9][0-9]{9}",
            suffix in cjk_string(10),
            wide in any::<bool>(),
        ) {
            let number = if wide { fullwidth(&mobile) } else { mobile.clone() };
            let text = format!("{prefix}{number}{suffix}");
            let found = scanner().scan(&text);
            prop_assert_eq!(found.len(), 1);
            prop_assert_eq!(found[0].start, prefix.len());
            prop_assert_eq!(found[0].len, number.len());
            prop_assert_eq!(&found[0].masked, &format!("{}****{}", &mobile[..3], &mobile[7..]));
        }

        #[test]
        fn chinese_names_are_masked_keeping_length(name in cjk_string(6).prop_filter("two chars or more", |n| n.chars().count() >= 2)) {
            let masked = mask_name(&name);
            prop_assert_ne!(&masked, &name);
            prop_assert_eq!(masked.chars().count(), name.chars().count());
        }

        #[test]
        fn compound_surname_names_are_masked(
            surname in proptest::sample::select(COMPOUND_SURNAMES),
            given in cjk_string(3),
        ) {
            let name = format!("{surname}{given}");
            let masked = mask_name(&name);
            prop_assert_ne!(&masked, &name);
            prop_assert_eq!(masked.chars().count(), name.chars().count());
        }

        #[test]
        fn latin_names_are_masked(name in "[A-Za-z]{1,8}( [A-Za-z]{1,8})?") {
            let masked = mask_name(&name);
            prop_assert_ne!(&masked, &name);
            prop_assert_eq!(masked.chars().count(), name.chars().count());
        }
    }
}
