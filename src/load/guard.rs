//! The one-pass YAML read's guard: a serde `Deserializer` adapter that passes every call through
//! unchanged and notes whether the document might hold what only the slower positions walk of
//! yaml.rs reports — a key twice in one mapping, or nesting deeper than [`DEPTH`]. A file it has
//! doubts about is read again the slow way, which decides and locates; a doubt is never a
//! diagnostic itself, so a false doubt costs time, never output. Never reads files.

use serde::de::{self, DeserializeSeed, Deserializer, EnumAccess, MapAccess, SeqAccess, VariantAccess, Visitor};
use std::cell::Cell;
use std::fmt;

/// Nesting past which the slow walk decides (it refuses past 128 levels).
const DEPTH: usize = 64;

/// Deserializes `T` through the guard: `None` when it failed or when the guard has a doubt.
pub fn deserialize<'de, D: Deserializer<'de>, T: de::Deserialize<'de>>(de: D) -> Option<T> {
    let doubt = Cell::new(false);
    let value = T::deserialize(De { de, g: Guard { doubt: &doubt, depth: 0 }, key: None }).ok()?;
    (!doubt.get()).then_some(value)
}

/// Shared by every adapter of one read: where doubts go, and how deep the current node is.
#[derive(Clone, Copy)]
struct Guard<'a> {
    doubt: &'a Cell<bool>,
    depth: usize,
}

impl Guard<'_> {
    fn doubt(&self) {
        self.doubt.set(true);
    }

    /// One level further down; past [`DEPTH`] a doubt.
    fn deeper(self) -> Self {
        if self.depth >= DEPTH {
            self.doubt();
        }
        Guard { depth: self.depth + 1, ..self }
    }
}

/// What a mapping key read as: text (hashed), or anything else, which the guard does not compare.
#[derive(Clone, Copy)]
enum Key {
    Unread,
    Text(u64),
    Other,
}

/// FNV-1a: keys are short; a collision only costs a slow read.
fn hash(s: &str) -> u64 {
    s.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| (h ^ u64::from(b)).wrapping_mul(0x100_0000_01b3))
}

/// A deserializer; `key` is set while it reads a mapping key.
struct De<'a, D> {
    de: D,
    g: Guard<'a>,
    key: Option<&'a Cell<Key>>,
}

impl<'a, D> De<'a, D> {
    fn wrap<V>(&self, v: V) -> Vis<'a, V> {
        Vis { v, g: self.g, key: self.key }
    }
}

macro_rules! forward_deserialize {
    ($($method:ident($($arg:ident: $ty:ty),*);)*) => {$(
        fn $method<V: Visitor<'de>>(self, $($arg: $ty,)* visitor: V) -> Result<V::Value, D::Error> {
            let v = self.wrap(visitor);
            self.de.$method($($arg,)* v)
        }
    )*};
}

impl<'de, D: Deserializer<'de>> Deserializer<'de> for De<'_, D> {
    type Error = D::Error;

    forward_deserialize! {
        deserialize_any(); deserialize_bool(); deserialize_i8(); deserialize_i16(); deserialize_i32();
        deserialize_i64(); deserialize_i128(); deserialize_u8(); deserialize_u16(); deserialize_u32();
        deserialize_u64(); deserialize_u128(); deserialize_f32(); deserialize_f64(); deserialize_char();
        deserialize_str(); deserialize_string(); deserialize_bytes(); deserialize_byte_buf();
        deserialize_option(); deserialize_unit(); deserialize_unit_struct(name: &'static str);
        deserialize_newtype_struct(name: &'static str); deserialize_seq(); deserialize_tuple(len: usize);
        deserialize_tuple_struct(name: &'static str, len: usize); deserialize_map();
        deserialize_struct(name: &'static str, fields: &'static [&'static str]);
        deserialize_enum(name: &'static str, variants: &'static [&'static str]);
        deserialize_identifier();
    }

    /// What a type skips is read all the same: a duplicate key inside it counts too.
    fn deserialize_ignored_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, D::Error> {
        let v = self.wrap(visitor);
        self.de.deserialize_any(v)
    }

    fn is_human_readable(&self) -> bool {
        self.de.is_human_readable()
    }
}

/// A visitor: notes what a key read as, and wraps what it descends into.
struct Vis<'a, V> {
    v: V,
    g: Guard<'a>,
    key: Option<&'a Cell<Key>>,
}

impl<V> Vis<'_, V> {
    fn note(&self, key: Key) {
        if let Some(k) = self.key {
            k.set(key);
        }
    }

    /// A collection read as a key (a complex key): the slow walk decides.
    fn collection(&self) {
        if self.key.is_some() {
            self.g.doubt();
        }
    }
}

macro_rules! forward_visit {
    ($($method:ident($ty:ty);)*) => {$(
        fn $method<E: de::Error>(self, v: $ty) -> Result<Self::Value, E> {
            self.note(Key::Other);
            self.v.$method(v)
        }
    )*};
}

impl<'a, 'de, V: Visitor<'de>> Visitor<'de> for Vis<'a, V> {
    type Value = V::Value;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        self.v.expecting(f)
    }

    forward_visit! {
        visit_bool(bool); visit_i8(i8); visit_i16(i16); visit_i32(i32); visit_i64(i64); visit_i128(i128);
        visit_u8(u8); visit_u16(u16); visit_u32(u32); visit_u64(u64); visit_u128(u128); visit_f32(f32);
        visit_f64(f64); visit_char(char); visit_bytes(&[u8]); visit_borrowed_bytes(&'de [u8]);
        visit_byte_buf(Vec<u8>);
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
        self.note(Key::Text(hash(v)));
        self.v.visit_str(v)
    }

    fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Self::Value, E> {
        self.note(Key::Text(hash(v)));
        self.v.visit_borrowed_str(v)
    }

    fn visit_string<E: de::Error>(self, v: String) -> Result<Self::Value, E> {
        self.note(Key::Text(hash(&v)));
        self.v.visit_string(v)
    }

    fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
        self.note(Key::Other);
        self.v.visit_none()
    }

    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        self.note(Key::Other);
        self.v.visit_unit()
    }

    fn visit_some<D: Deserializer<'de>>(self, de: D) -> Result<Self::Value, D::Error> {
        self.v.visit_some(De { de, g: self.g, key: self.key })
    }

    fn visit_newtype_struct<D: Deserializer<'de>>(self, de: D) -> Result<Self::Value, D::Error> {
        self.v.visit_newtype_struct(De { de, g: self.g, key: self.key })
    }

    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Self::Value, A::Error> {
        self.collection();
        self.v.visit_seq(Seq { seq, g: self.g.deeper() })
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
        self.collection();
        self.v.visit_map(Map { map, g: self.g.deeper(), keys: Vec::new() })
    }

    fn visit_enum<A: EnumAccess<'de>>(self, data: A) -> Result<Self::Value, A::Error> {
        self.collection();
        self.v.visit_enum(Enum { data, g: self.g })
    }
}

/// A value's seed: what it reads goes through the guard.
struct Seed<'a, S> {
    seed: S,
    g: Guard<'a>,
    key: Option<&'a Cell<Key>>,
}

impl<'de, S: DeserializeSeed<'de>> DeserializeSeed<'de> for Seed<'_, S> {
    type Value = S::Value;

    fn deserialize<D: Deserializer<'de>>(self, de: D) -> Result<S::Value, D::Error> {
        self.seed.deserialize(De { de, g: self.g, key: self.key })
    }
}

struct Seq<'a, A> {
    seq: A,
    g: Guard<'a>,
}

impl<'de, A: SeqAccess<'de>> SeqAccess<'de> for Seq<'_, A> {
    type Error = A::Error;

    fn next_element_seed<S: DeserializeSeed<'de>>(&mut self, seed: S) -> Result<Option<S::Value>, A::Error> {
        self.seq.next_element_seed(Seed { seed, g: self.g, key: None })
    }

    fn size_hint(&self) -> Option<usize> {
        self.seq.size_hint()
    }
}

/// A mapping: remembers the hash of every text key read so far.
struct Map<'a, A> {
    map: A,
    g: Guard<'a>,
    keys: Vec<u64>,
}

impl<'de, A: MapAccess<'de>> MapAccess<'de> for Map<'_, A> {
    type Error = A::Error;

    fn next_key_seed<K: DeserializeSeed<'de>>(&mut self, seed: K) -> Result<Option<K::Value>, A::Error> {
        let key = Cell::new(Key::Unread);
        let found = self.map.next_key_seed(Seed { seed, g: self.g, key: Some(&key) })?;
        if found.is_some() {
            match key.get() {
                Key::Text(h) if !self.keys.contains(&h) => self.keys.push(h),
                _ => self.g.doubt(),
            }
        }
        Ok(found)
    }

    fn next_value_seed<S: DeserializeSeed<'de>>(&mut self, seed: S) -> Result<S::Value, A::Error> {
        self.map.next_value_seed(Seed { seed, g: self.g, key: None })
    }

    fn size_hint(&self) -> Option<usize> {
        self.map.size_hint()
    }
}

struct Enum<'a, A> {
    data: A,
    g: Guard<'a>,
}

impl<'a, 'de, A: EnumAccess<'de>> EnumAccess<'de> for Enum<'a, A> {
    type Error = A::Error;
    type Variant = Variant<'a, A::Variant>;

    fn variant_seed<S: DeserializeSeed<'de>>(self, seed: S) -> Result<(S::Value, Self::Variant), A::Error> {
        let (value, variant) = self.data.variant_seed(Seed { seed, g: self.g, key: None })?;
        Ok((value, Variant { variant, g: self.g }))
    }
}

struct Variant<'a, A> {
    variant: A,
    g: Guard<'a>,
}

impl<'de, A: VariantAccess<'de>> VariantAccess<'de> for Variant<'_, A> {
    type Error = A::Error;

    fn unit_variant(self) -> Result<(), A::Error> {
        self.variant.unit_variant()
    }

    fn newtype_variant_seed<S: DeserializeSeed<'de>>(self, seed: S) -> Result<S::Value, A::Error> {
        self.variant.newtype_variant_seed(Seed { seed, g: self.g, key: None })
    }

    fn tuple_variant<V: Visitor<'de>>(self, len: usize, visitor: V) -> Result<V::Value, A::Error> {
        self.variant.tuple_variant(len, Vis { v: visitor, g: self.g, key: None })
    }

    fn struct_variant<V: Visitor<'de>>(
        self,
        fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, A::Error> {
        self.variant.struct_variant(fields, Vis { v: visitor, g: self.g, key: None })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    fn read<T: de::DeserializeOwned>(text: &str) -> Option<T> {
        deserialize(serde_yaml::Deserializer::from_str(text))
    }

    #[derive(serde::Deserialize, Debug, PartialEq)]
    struct Doc {
        title: String,
        #[serde(default)]
        votes: BTreeMap<String, u32>,
    }

    #[test]
    fn a_clean_document_reads_as_without_the_guard() {
        let text = "title: x\nvotes: { 满意: 3, 基本满意: 2 }\n";
        assert_eq!(read::<Doc>(text), serde_yaml::from_str::<Doc>(text).ok());
        assert!(read::<Doc>(text).is_some());
    }

    #[test]
    fn a_key_twice_in_a_map_is_a_doubt() {
        // serde keeps the last value silently; the slow walk reports the second key.
        let text = "title: x\nvotes:\n  满意: 3\n  满意: 2\n";
        assert!(serde_yaml::from_str::<Doc>(text).is_ok());
        assert!(read::<Doc>(text).is_none());
        // Quoted or not, the key is the same text.
        assert!(read::<Doc>("title: x\nvotes: { a: 1, \"a\": 2 }\n").is_none());
    }

    #[test]
    fn keys_inside_what_a_type_skips_are_compared_too() {
        #[derive(serde::Deserialize)]
        #[allow(dead_code)]
        struct Loose {
            title: String,
        }
        assert!(read::<Loose>("title: x\nother: { a: 1, b: 2 }\n").is_some());
        assert!(read::<Loose>("title: x\nother: { a: 1, a: 2 }\n").is_none());
    }

    #[test]
    fn deep_nesting_and_non_text_keys_are_doubts() {
        let deep = format!("title: x\nother: {}{}\n", "[".repeat(DEPTH + 1), "]".repeat(DEPTH + 1));
        #[derive(serde::Deserialize)]
        #[allow(dead_code)]
        struct Loose {
            title: String,
        }
        assert!(read::<Loose>(&deep).is_none());
        assert!(read::<BTreeMap<String, u32>>("1: 1\n2: 2\n").is_some());
        assert!(read::<BTreeMap<u32, u32>>("1: 1\n2: 2\n").is_none());
    }
}
