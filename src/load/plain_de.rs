//! A serde `Deserializer` over a [`super::plain`] tree that makes the same visitor calls
//! serde_yaml's `Deserializer::from_str` makes for the same text (yaml_serde 0.10, de.rs), so a
//! type reads the same value either way. Where serde_yaml would fail it fails too, with a bare
//! message: the caller then reads the text with serde_yaml, which reports the located problem.
//! Never parses text and never produces diagnostics.

use super::plain::{Kind, Node, Scalar};
use serde::de::{self, value::StrDeserializer, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
use std::borrow::Cow;
use std::fmt;

/// Reads `T` from a parsed tree, or `None` when serde_yaml would not read it either (or reads
/// something this module does not mirror).
pub fn deserialize<T: de::DeserializeOwned>(node: &Node<'_>) -> Option<T> {
    T::deserialize(De(node)).ok()
}

/// A failure: its text is never shown, the slow path explains.
#[derive(Debug)]
pub struct Error;

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("not read by the fast path")
    }
}

impl std::error::Error for Error {}

impl de::Error for Error {
    fn custom<T: fmt::Display>(_: T) -> Self {
        Error
    }
}

type Result<T> = std::result::Result<T, Error>;

#[derive(Clone, Copy)]
struct De<'n, 'a>(&'n Node<'a>);

impl<'n, 'a> De<'n, 'a> {
    fn scalar(&self) -> Option<&'n Scalar<'a>> {
        match self.0 {
            Node::Scalar(s) => Some(s),
            _ => None,
        }
    }

    /// A plain scalar of this kind, as serde_yaml's typed methods require.
    fn plain(&self, want: fn(Kind) -> bool) -> Result<&'n str> {
        match self.scalar() {
            Some(s) if want(s.kind) => Ok(&s.text),
            _ => Err(Error),
        }
    }

    /// An empty plain scalar, which serde_yaml reads as an empty sequence or mapping.
    fn is_empty_plain(&self) -> bool {
        matches!(self.scalar(), Some(s) if s.kind == Kind::Null && s.text.is_empty())
    }
}

impl<'de> Deserializer<'de> for De<'_, '_> {
    type Error = Error;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        match self.0 {
            Node::Scalar(s) => match s.kind {
                Kind::Null => visitor.visit_unit(),
                Kind::Bool(b) => visitor.visit_bool(b),
                Kind::Int if s.text.starts_with('-') => visitor.visit_i64(s.text.parse().map_err(|_| Error)?),
                Kind::Int => visitor.visit_u64(s.text.parse().map_err(|_| Error)?),
                Kind::Float => visitor.visit_f64(s.text.parse().map_err(|_| Error)?),
                Kind::Str | Kind::Quoted => visitor.visit_str(&s.text),
            },
            Node::Seq(items) => visit_seq(items, visitor),
            Node::Map(entries) => visit_map(entries, visitor),
        }
    }

    fn deserialize_bool<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        match self.scalar().map(|s| s.kind) {
            Some(Kind::Bool(b)) => visitor.visit_bool(b),
            _ => Err(Error),
        }
    }

    // serde_yaml reads i8..i32 as i64 and u8..u32 as u64, the visitor checking the range.
    fn deserialize_i8<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        self.deserialize_i64(visitor)
    }
    fn deserialize_i16<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        self.deserialize_i64(visitor)
    }
    fn deserialize_i32<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        self.deserialize_i64(visitor)
    }
    fn deserialize_i64<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        let text = self.plain(|k| k == Kind::Int)?;
        visitor.visit_i64(text.parse().map_err(|_| Error)?)
    }
    fn deserialize_u8<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        self.deserialize_u64(visitor)
    }
    fn deserialize_u16<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        self.deserialize_u64(visitor)
    }
    fn deserialize_u32<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        self.deserialize_u64(visitor)
    }
    fn deserialize_u64<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        let text = self.plain(|k| k == Kind::Int)?;
        // `-1` is no u64 for serde_yaml either; parse fails on it.
        visitor.visit_u64(text.parse().map_err(|_| Error)?)
    }
    fn deserialize_f32<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        self.deserialize_f64(visitor)
    }
    fn deserialize_f64<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        let text = self.plain(|k| matches!(k, Kind::Int | Kind::Float))?;
        visitor.visit_f64(text.parse().map_err(|_| Error)?)
    }

    /// Any scalar reads as its text, whatever it resolves to.
    fn deserialize_str<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        match self.scalar() {
            Some(s) => visitor.visit_str(&s.text),
            None => Err(Error),
        }
    }
    fn deserialize_string<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        self.deserialize_str(visitor)
    }
    fn deserialize_char<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        self.deserialize_str(visitor)
    }
    fn deserialize_identifier<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        self.deserialize_str(visitor)
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        match self.scalar() {
            Some(s) if s.kind == Kind::Null => visitor.visit_none(),
            _ => visitor.visit_some(self),
        }
    }

    fn deserialize_unit<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        match self.scalar() {
            Some(s) if s.kind == Kind::Null => visitor.visit_unit(),
            _ => Err(Error),
        }
    }
    fn deserialize_unit_struct<V: Visitor<'de>>(self, _: &'static str, visitor: V) -> Result<V::Value> {
        self.deserialize_unit(visitor)
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(self, _: &'static str, visitor: V) -> Result<V::Value> {
        visitor.visit_newtype_struct(self)
    }

    fn deserialize_seq<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        match self.0 {
            Node::Seq(items) => visit_seq(items, visitor),
            _ if self.is_empty_plain() => visit_seq(&[], visitor),
            _ => Err(Error),
        }
    }
    fn deserialize_tuple<V: Visitor<'de>>(self, _: usize, visitor: V) -> Result<V::Value> {
        self.deserialize_seq(visitor)
    }
    fn deserialize_tuple_struct<V: Visitor<'de>>(self, _: &'static str, _: usize, visitor: V) -> Result<V::Value> {
        self.deserialize_seq(visitor)
    }

    fn deserialize_map<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        match self.0 {
            Node::Map(entries) => visit_map(entries, visitor),
            _ if self.is_empty_plain() => visit_map(&[], visitor),
            _ => Err(Error),
        }
    }
    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _: &'static str,
        _: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value> {
        self.deserialize_map(visitor)
    }

    /// Untagged, serde_yaml reads an enum only from a scalar: its text names a unit variant.
    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _: &'static str,
        _: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value> {
        match self.scalar() {
            Some(s) => visitor.visit_enum(StrDeserializer::<Error>::new(&s.text)),
            None => Err(Error),
        }
    }

    fn deserialize_ignored_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        visitor.visit_unit()
    }

    // serde_yaml refuses bytes; 128-bit integers are left to it.
    fn deserialize_i128<V: Visitor<'de>>(self, _: V) -> Result<V::Value> {
        Err(Error)
    }
    fn deserialize_u128<V: Visitor<'de>>(self, _: V) -> Result<V::Value> {
        Err(Error)
    }
    fn deserialize_bytes<V: Visitor<'de>>(self, _: V) -> Result<V::Value> {
        Err(Error)
    }
    fn deserialize_byte_buf<V: Visitor<'de>>(self, _: V) -> Result<V::Value> {
        Err(Error)
    }
}

/// Visits a sequence; like serde_yaml, an element the visitor left unread is an error.
fn visit_seq<'de, V: Visitor<'de>>(items: &[Node<'_>], visitor: V) -> Result<V::Value> {
    let mut access = Seq { items: items.iter() };
    let value = visitor.visit_seq(&mut access)?;
    if access.items.len() == 0 {
        Ok(value)
    } else {
        Err(Error)
    }
}

/// Visits a mapping; like serde_yaml, an entry the visitor left unread is an error.
fn visit_map<'de, V: Visitor<'de>>(entries: &[(Cow<'_, str>, Node<'_>)], visitor: V) -> Result<V::Value> {
    let mut access = Map { entries: entries.iter(), value: None };
    let value = visitor.visit_map(&mut access)?;
    if access.entries.len() == 0 && access.value.is_none() {
        Ok(value)
    } else {
        Err(Error)
    }
}

struct Seq<'n, 'a> {
    items: std::slice::Iter<'n, Node<'a>>,
}

impl<'de> SeqAccess<'de> for Seq<'_, '_> {
    type Error = Error;

    fn next_element_seed<S: DeserializeSeed<'de>>(&mut self, seed: S) -> Result<Option<S::Value>> {
        self.items.next().map(|node| seed.deserialize(De(node))).transpose()
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.items.len())
    }
}

struct Map<'n, 'a> {
    entries: std::slice::Iter<'n, (Cow<'a, str>, Node<'a>)>,
    value: Option<&'n Node<'a>>,
}

impl<'de> MapAccess<'de> for Map<'_, '_> {
    type Error = Error;

    fn next_key_seed<K: DeserializeSeed<'de>>(&mut self, seed: K) -> Result<Option<K::Value>> {
        let Some((key, value)) = self.entries.next() else { return Ok(None) };
        self.value = Some(value);
        // Keys are plain scalars that resolve to strings (the parser takes no other).
        let key = Node::Scalar(Scalar { text: Cow::Borrowed(key.as_ref()), kind: Kind::Str });
        seed.deserialize(De(&key)).map(Some)
    }

    fn next_value_seed<S: DeserializeSeed<'de>>(&mut self, seed: S) -> Result<S::Value> {
        let node = self.value.take().ok_or(Error)?;
        seed.deserialize(De(node))
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.entries.len())
    }
}
