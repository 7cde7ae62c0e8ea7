//! [`Bytes`]: the byte string of every key and every string value.
//!
//! A million small keys is the common case, so size matters here. A
//! `Vec<u8>` is 24 bytes *plus* a heap allocation; a [`Bytes`] is the same
//! 24 bytes, and a string of up to [`INLINE_CAPACITY`] bytes lives inside
//! them, with no allocation at all. Redis does the same with its `embstr`
//! encoding (`object.c`), which keeps a short string in the allocation of
//! its object header.

use std::borrow::Borrow;
use std::fmt;
use std::hash::{self, Hasher};
use std::io::Write as _;
use std::ops::Deref;

/// Longest string kept inside a [`Bytes`] (24 bytes, less a tag and a length).
pub const INLINE_CAPACITY: usize = 22;

/// An immutable-length byte string: inline up to [`INLINE_CAPACITY`] bytes,
/// on the heap beyond. Hashes and compares exactly like the `[u8]` it holds,
/// so a `HashMap<Bytes, _>` can be looked up with a plain `&[u8]`.
#[derive(Clone)]
pub enum Bytes {
    Inline {
        len: u8,
        data: [u8; INLINE_CAPACITY],
    },
    Heap(Box<[u8]>),
}

impl Bytes {
    /// Copies `bytes` (into itself if they are short).
    pub fn copy_from(bytes: &[u8]) -> Bytes {
        if bytes.len() <= INLINE_CAPACITY {
            let mut data = [0; INLINE_CAPACITY];
            data[..bytes.len()].copy_from_slice(bytes);
            Bytes::Inline {
                len: bytes.len() as u8,
                data,
            }
        } else {
            Bytes::Heap(bytes.into())
        }
    }

    pub fn as_slice(&self) -> &[u8] {
        match self {
            Bytes::Inline { len, data } => &data[..usize::from(*len)],
            Bytes::Heap(bytes) => bytes,
        }
    }

    /// Whether dropping this frees memory: only then is it worth freeing
    /// outside the lock.
    pub fn owns_heap(&self) -> bool {
        matches!(self, Bytes::Heap(_))
    }

    /// Appends `more`. A heap string is reallocated to the new length: the
    /// 512 MB cap bounds the copy, and large reallocations are remapped by
    /// the allocator rather than copied.
    pub fn append(&mut self, more: &[u8]) {
        let len = self.len() + more.len();
        if len <= INLINE_CAPACITY {
            if let Bytes::Inline { len: n, data } = self {
                data[usize::from(*n)..len].copy_from_slice(more);
                *n = len as u8;
                return;
            }
        }
        let mut grown = Vec::with_capacity(len);
        grown.extend_from_slice(self);
        grown.extend_from_slice(more);
        *self = Bytes::from(grown);
    }

    /// Writes `bytes` at `offset` (SETRANGE), first padding with zero bytes
    /// if the string is shorter than `offset`. Within the current length
    /// (or within the inline room) it writes in place; beyond, the string
    /// is reallocated once, to the new length.
    pub fn write_at(&mut self, offset: usize, bytes: &[u8]) {
        let end = offset + bytes.len();
        let len = self.len();
        match self {
            Bytes::Heap(data) if end <= len => data[offset..end].copy_from_slice(bytes),
            Bytes::Inline { len: n, data } if end <= INLINE_CAPACITY => {
                if offset > len {
                    data[len..offset].fill(0);
                }
                data[offset..end].copy_from_slice(bytes);
                *n = end.max(len) as u8;
            }
            _ => {
                // Zeroed by the allocator, not byte by byte: SETRANGE may
                // grow a string to 512 MB.
                let mut grown = vec![0; end.max(len)];
                grown[..len].copy_from_slice(self);
                grown[offset..end].copy_from_slice(bytes);
                *self = Bytes::from(grown);
            }
        }
    }

    /// Replaces the contents with the decimal digits of `n`, in place: a
    /// number has at most 20 bytes, so it always fits inline (INCR's path).
    pub fn set_integer(&mut self, n: i64) {
        let mut data = [0; INLINE_CAPACITY];
        let mut rest = &mut data[..];
        write!(rest, "{n}").expect("20 bytes hold any i64");
        let len = INLINE_CAPACITY - rest.len();
        *self = Bytes::Inline {
            len: len as u8,
            data,
        };
    }
}

impl From<Vec<u8>> for Bytes {
    /// Takes over a request's buffer: a long one is kept (no copy), a short
    /// one is copied inline and its buffer freed.
    fn from(bytes: Vec<u8>) -> Bytes {
        if bytes.len() <= INLINE_CAPACITY {
            Bytes::copy_from(&bytes)
        } else {
            Bytes::Heap(bytes.into_boxed_slice())
        }
    }
}

impl From<&[u8]> for Bytes {
    fn from(bytes: &[u8]) -> Bytes {
        Bytes::copy_from(bytes)
    }
}

impl Deref for Bytes {
    type Target = [u8];

    fn deref(&self) -> &[u8] {
        self.as_slice()
    }
}

impl Borrow<[u8]> for Bytes {
    fn borrow(&self) -> &[u8] {
        self.as_slice()
    }
}

impl hash::Hash for Bytes {
    /// Exactly as `[u8]` hashes, which `Borrow<[u8]>` requires.
    fn hash<H: Hasher>(&self, state: &mut H) {
        hash::Hash::hash(self.as_slice(), state)
    }
}

impl PartialEq for Bytes {
    fn eq(&self, other: &Bytes) -> bool {
        self.as_slice() == other.as_slice()
    }
}

impl Eq for Bytes {}

impl PartialOrd for Bytes {
    fn partial_cmp(&self, other: &Bytes) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Bytes {
    /// Bytewise, as Redis compares strings (`memcmp`).
    fn cmp(&self, other: &Bytes) -> std::cmp::Ordering {
        self.as_slice().cmp(other.as_slice())
    }
}

impl fmt::Debug for Bytes {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "b\"{}\"", self.as_slice().escape_ascii())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    #[test]
    fn a_key_fits_in_24_bytes() {
        assert_eq!(std::mem::size_of::<Bytes>(), 24);
    }

    #[test]
    fn short_strings_are_inline_and_long_ones_on_the_heap() {
        assert!(!Bytes::copy_from(&[b'x'; INLINE_CAPACITY]).owns_heap());
        assert!(Bytes::from(vec![b'x'; INLINE_CAPACITY + 1]).owns_heap());
        assert_eq!(&*Bytes::from(b"hello".to_vec()), b"hello");
    }

    #[test]
    fn append_crosses_from_inline_to_heap() {
        let mut s = Bytes::copy_from(b"0123456789");
        s.append(b"abcdefghijkl");
        assert_eq!(&*s, b"0123456789abcdefghijkl");
        assert!(!s.owns_heap());
        s.append(b"!");
        assert!(s.owns_heap());
        assert_eq!(&*s, b"0123456789abcdefghijkl!");
    }

    #[test]
    fn write_at_pads_with_zeros_and_keeps_the_rest() {
        let mut s = Bytes::copy_from(b"hello");
        s.write_at(1, b"EL");
        assert_eq!(&*s, b"hELlo");
        s.write_at(7, b"!");
        assert_eq!(&*s, b"hELlo\0\0!");
        assert!(!s.owns_heap());
        s.write_at(20, b"xyz");
        assert_eq!(s.len(), 23);
        assert_eq!(&s[8..20], &[0; 12]);
        assert!(s.owns_heap(), "past the inline room");
        s.write_at(0, b"H");
        assert_eq!(&s[..2], b"HE");
        assert_eq!(s.len(), 23, "in place: no shorter");
        let mut s = Bytes::Inline {
            len: 1,
            data: [b'q'; INLINE_CAPACITY],
        };
        s.write_at(3, b"z");
        assert_eq!(&*s, b"q\0\0z", "the padding is zeros, whatever was there");
    }

    #[test]
    fn integers_are_written_in_place() {
        let mut s = Bytes::copy_from(b"x");
        for n in [0, 7, -1, i64::MAX, i64::MIN] {
            s.set_integer(n);
            assert_eq!(&*s, n.to_string().as_bytes());
        }
    }

    #[test]
    fn a_map_of_bytes_is_looked_up_by_slice() {
        let mut map = HashMap::new();
        map.insert(Bytes::copy_from(b"short"), 1);
        map.insert(Bytes::from(vec![b'k'; 40]), 2);
        assert_eq!(map.get(&b"short"[..]), Some(&1));
        assert_eq!(map.get(&[b'k'; 40][..]), Some(&2));
    }
}
