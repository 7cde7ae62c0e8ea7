//! What the keyspace stores: [`Value`], the typed value a key holds, and
//! [`Kind`], the five kinds of it. Keys and strings are [`Bytes`].

use crate::bytes::Bytes;
pub use crate::hash::Hash;
pub use crate::list::List;
pub use crate::set::Set;
pub use crate::sorted_set::SortedSet;

/// The five kinds of value Redis has, as TYPE names them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    String,
    List,
    Hash,
    Set,
    ZSet,
}

impl Kind {
    /// The name TYPE answers with.
    pub fn name(self) -> &'static str {
        match self {
            Kind::String => "string",
            Kind::List => "list",
            Kind::Hash => "hash",
            Kind::Set => "set",
            Kind::ZSet => "zset",
        }
    }
}

/// The value stored under a key. Every command reaches its value through an
/// accessor of its own type ([`Value::as_string`], [`Value::as_list`]...),
/// which is where WRONGTYPE comes from.
///
/// The aggregates are boxed, so that a `Value` stays as small as a string
/// (24 bytes) and a million small keys cost no more for the variants they
/// do not use.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    String(Bytes),
    List(Box<List>),
    Hash(Box<Hash>),
    Set(Box<Set>),
    ZSet(Box<SortedSet>),
}

/// A command met a value of another type than it works on (Redis's WRONGTYPE).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WrongType;

impl Value {
    pub fn kind(&self) -> Kind {
        match self {
            Value::String(_) => Kind::String,
            Value::List(_) => Kind::List,
            Value::Hash(_) => Kind::Hash,
            Value::Set(_) => Kind::Set,
            Value::ZSet(_) => Kind::ZSet,
        }
    }

    /// The string, or [`WrongType`] for any other kind of value.
    pub fn as_string(&self) -> Result<&Bytes, WrongType> {
        match self {
            Value::String(inner) => Ok(inner),
            _ => Err(WrongType),
        }
    }

    /// The string, to change in place.
    pub fn as_string_mut(&mut self) -> Result<&mut Bytes, WrongType> {
        match self {
            Value::String(inner) => Ok(inner),
            _ => Err(WrongType),
        }
    }

    /// The list, or [`WrongType`] for any other kind of value.
    pub fn as_list(&self) -> Result<&List, WrongType> {
        match self {
            Value::List(inner) => Ok(inner),
            _ => Err(WrongType),
        }
    }

    /// The list, to change in place.
    pub fn as_list_mut(&mut self) -> Result<&mut List, WrongType> {
        match self {
            Value::List(inner) => Ok(inner),
            _ => Err(WrongType),
        }
    }

    /// The hash, or [`WrongType`] for any other kind of value.
    pub fn as_hash(&self) -> Result<&Hash, WrongType> {
        match self {
            Value::Hash(inner) => Ok(inner),
            _ => Err(WrongType),
        }
    }

    /// The hash, to change in place.
    pub fn as_hash_mut(&mut self) -> Result<&mut Hash, WrongType> {
        match self {
            Value::Hash(inner) => Ok(inner),
            _ => Err(WrongType),
        }
    }

    /// The set, or [`WrongType`] for any other kind of value.
    pub fn as_set(&self) -> Result<&Set, WrongType> {
        match self {
            Value::Set(inner) => Ok(inner),
            _ => Err(WrongType),
        }
    }

    /// The set, to change in place.
    pub fn as_set_mut(&mut self) -> Result<&mut Set, WrongType> {
        match self {
            Value::Set(inner) => Ok(inner),
            _ => Err(WrongType),
        }
    }

    /// The sorted set, or [`WrongType`] for any other kind of value.
    pub fn as_zset(&self) -> Result<&SortedSet, WrongType> {
        match self {
            Value::ZSet(inner) => Ok(inner),
            _ => Err(WrongType),
        }
    }

    /// The sorted set, to change in place.
    pub fn as_zset_mut(&mut self) -> Result<&mut SortedSet, WrongType> {
        match self {
            Value::ZSet(inner) => Ok(inner),
            _ => Err(WrongType),
        }
    }

    /// An empty value of `kind`, for a command that creates its key (LPUSH).
    pub fn empty(kind: Kind) -> Value {
        match kind {
            Kind::String => Value::String(Bytes::copy_from(b"")),
            Kind::List => Value::List(Box::default()),
            Kind::Hash => Value::Hash(Box::default()),
            Kind::Set => Value::Set(Box::default()),
            Kind::ZSet => Value::ZSet(Box::default()),
        }
    }

    /// Whether an aggregate has no elements left: Redis deletes such a key.
    /// A string is never empty in that sense (`SET k ""` is a key).
    pub fn is_empty_aggregate(&self) -> bool {
        match self {
            Value::String(_) => false,
            Value::List(list) => list.is_empty(),
            Value::Hash(hash) => hash.is_empty(),
            Value::Set(set) => set.is_empty(),
            Value::ZSet(zset) => zset.is_empty(),
        }
    }

    /// Whether dropping this value frees memory (see [`Bytes::owns_heap`]).
    pub fn owns_heap(&self) -> bool {
        match self {
            Value::String(bytes) => bytes.owns_heap(),
            _ => true,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_value_fits_in_24_bytes_as_a_key_does() {
        assert_eq!(std::mem::size_of::<Value>(), 24);
    }
}
