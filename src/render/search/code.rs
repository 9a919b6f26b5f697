//! The posting strings of the term shards: for each document holding a term, the gap from the
//! previous one (the first: its number) in base-32 digits, then one weight digit. Digits are the
//! 64 characters of base64, so a posting string needs no escaping in JSON. search.js decodes them;
//! docs/search.md describes them. Never decides what is indexed.

/// The digits, 6 bits each.
pub const DIGITS: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
/// Levels of a term's weight in a document (BM25's saturating term frequency), 1 to 15.
const LEVELS: f64 = 15.0;

/// What weighs a term's count in a document against the document's length: BM25's
/// `k1 · (1 − b + b · length / average)` with k1 = 1.2, b = 0.75.
pub fn length_factor(length: u32, average: f64) -> f64 {
    1.2 * (0.25 + 0.75 * f64::from(length) / average)
}

/// The weight level of a term counted `tf` times: `tf / (tf + factor)` in 15 levels, at least 1
/// when the term is in the text.
fn level(tf: u32, factor: f64) -> u8 {
    match tf {
        0 => 0,
        // Rounded half up (the value is positive): no call into libm.
        _ => ((LEVELS * f64::from(tf) / (f64::from(tf) + factor) + 0.5) as u8).clamp(1, LEVELS as u8),
    }
}

/// The weight digits of one document: its level plus 16 when the term is in the title, 32 in the
/// org. The levels of common counts are worked out once per document.
pub struct Weights {
    factor: f64,
    levels: [u8; 16],
}

impl Weights {
    pub fn new(length: u32, average: f64) -> Weights {
        let factor = length_factor(length, average);
        Weights { factor, levels: std::array::from_fn(|tf| level(tf as u32, factor)) }
    }

    /// The digit of a term counted `tf` times in the text, with its title and org bits.
    pub fn digit(&self, tf: u32, title: bool, org: bool) -> u8 {
        let level = self.levels.get(tf as usize).copied().unwrap_or_else(|| level(tf, self.factor));
        DIGITS[usize::from(level | (u8::from(title) << 4) | (u8::from(org) << 5))]
    }
}

/// Appends one posting: the gap from the previous document, then the weight digit. (Byte by
/// byte: copying a 2-byte slice would call memmove once per posting.)
pub fn push_posting(gap: u32, digit: u8, out: &mut Vec<u8>) {
    push_number(gap, out);
    out.push(digit);
}

/// Appends `n` in base 32, least significant digit first; a digit of 32 or more means more follow.
pub fn push_number(mut n: u32, out: &mut Vec<u8>) {
    while n >= 32 {
        out.push(DIGITS[(32 | (n & 31)) as usize]);
        n >>= 5;
    }
    out.push(DIGITS[n as usize]);
}

/// How many digits [`push_number`] writes for `n`.
pub fn number_len(mut n: u32) -> usize {
    let mut len = 1;
    while n >= 32 {
        n >>= 5;
        len += 1;
    }
    len
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_base_32_digits_least_significant_first() {
        let mut out = Vec::new();
        for n in [0, 1, 31, 32, 1000] {
            push_number(n, &mut out);
        }
        // 32 = 0 + 1·32: "g" (32|0) then "B"; 1000 = 8 + 31·32: "o" (32|8) then "f".
        assert_eq!(String::from_utf8(out).unwrap(), "ABfgBof");
        assert_eq!([0, 31, 32, 1000, 1 << 20].map(number_len), [1, 1, 2, 2, 5]);
    }

    #[test]
    fn weights_saturate_and_never_round_a_present_term_to_zero() {
        let average = Weights::new(100, 100.0); // factor 1.2
        assert_eq!(average.digit(0, true, false), DIGITS[16]);
        assert_eq!(average.digit(1, false, false), DIGITS[7]);
        assert_eq!(average.digit(2, false, false), DIGITS[9]);
        assert_eq!(average.digit(200, false, false), DIGITS[15]);
        assert_eq!(Weights::new(1000, 1.0).digit(1, false, true), DIGITS[1 | 32], "a long document");
        assert_eq!(level(16, 1.2), 14);
        assert_eq!(average.digit(16, false, false), DIGITS[14]);
    }

    #[test]
    fn a_posting_is_its_gap_then_its_weight() {
        let mut a = Vec::new();
        push_posting(1000, b'Q', &mut a);
        let mut b = Vec::new();
        push_number(1000, &mut b);
        b.push(b'Q');
        assert_eq!(a, b);
    }
}
