//! Pair key -> term number for the search index's tokenizer: the one map looked up once per Han
//! character of the site. Never knows what the keys mean.

/// Pair key -> term number: open addressing with linear probing, buckets picked by the high bits
/// of a multiplicative hash (Fibonacci hashing), at most half full, a bucket one `u64` (the 42-bit
/// key above the 22-bit number, half the bytes of a std map's bucket). Looked up once per Han char
/// of the site, so kept small enough to stay in the cache and found in one probe as a rule.
pub struct PairMap {
    buckets: Vec<u64>,
    shift: u32,
    len: usize,
}

/// Bits of a bucket that hold the term number.
const ID_BITS: u32 = 22;

impl Default for PairMap {
    fn default() -> PairMap {
        PairMap { buckets: vec![0; 1 << 10], shift: 64 - 10, len: 0 }
    }
}

impl PairMap {
    /// The number of `key` (never 0), or the empty bucket where it goes.
    #[inline(always)]
    pub fn find(&self, key: u64) -> Result<u32, usize> {
        let mask = self.buckets.len() - 1;
        let mut i = (key.wrapping_mul(0x9e37_79b9_7f4a_7c15) >> self.shift) as usize;
        loop {
            let b = self.buckets[i];
            if b >> ID_BITS == key {
                return Ok((b & ((1 << ID_BITS) - 1)) as u32);
            }
            if b == 0 {
                return Err(i);
            }
            i = (i + 1) & mask;
        }
    }

    /// Puts `key` in the empty bucket `at` that [`PairMap::find`] returned.
    pub fn insert(&mut self, at: usize, key: u64, id: u32) {
        assert!(id < 1 << ID_BITS, "more than 4 million search terms in one run of documents");
        self.buckets[at] = (key << ID_BITS) | u64::from(id);
        self.len += 1;
        if 2 * self.len > self.buckets.len() {
            let size = 2 * self.buckets.len();
            let old = std::mem::replace(&mut self.buckets, vec![0; size]);
            self.shift -= 1;
            for b in old.into_iter().filter(|b| *b != 0) {
                if let Err(at) = self.find(b >> ID_BITS) {
                    self.buckets[at] = b;
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_pair_map_grows_and_keeps_every_key() {
        let mut map = PairMap::default();
        for k in 1..5000u64 {
            let at = map.find(k << 21).unwrap_err();
            map.insert(at, k << 21, k as u32);
        }
        assert!((1..5000u64).all(|k| map.find(k << 21) == Ok(k as u32)));
        assert!(map.find(5000 << 21).is_err());
    }
}
