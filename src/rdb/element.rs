//! What Redis's compact encodings (listpack, ziplist, intset, zipmap) hold:
//! elements that are integers or byte strings, packed one after another
//! in one string of the dump.

use crate::bytes::Bytes;
use crate::protocol::parse_i64;

/// One element of a compact encoding: an integer, when the string it stands
/// for is one (Redis stores `"42"` as the number 42), else the bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Element<'a> {
    Int(i64),
    Str(&'a [u8]),
}

impl<'a> Element<'a> {
    /// How Redis would store `bytes`: as an integer if they are one in its
    /// strict sense (`string2ll`: no `+`, no leading zero, no `-0`).
    pub fn of(bytes: &'a [u8]) -> Element<'a> {
        match parse_i64(bytes) {
            Some(n) if bytes.len() <= 20 => Element::Int(n),
            _ => Element::Str(bytes),
        }
    }

    /// The element as the string it stands for.
    pub fn to_bytes(self) -> Bytes {
        match self {
            Element::Int(n) => {
                let mut bytes = Bytes::copy_from(b"");
                bytes.set_integer(n);
                bytes
            }
            Element::Str(s) => Bytes::copy_from(s),
        }
    }
}

/// Why a compact encoding could not be read: a fixed phrase for messages.
pub type Malformed = &'static str;

/// A reading position in one packed string, every step bounds-checked.
pub struct Cursor<'a> {
    pub bytes: &'a [u8],
    pub at: usize,
}

impl<'a> Cursor<'a> {
    pub fn new(bytes: &'a [u8]) -> Cursor<'a> {
        Cursor { bytes, at: 0 }
    }

    pub fn take(&mut self, n: usize) -> Result<&'a [u8], Malformed> {
        let end = self.at.checked_add(n).ok_or("length overflows")?;
        let slice = self
            .bytes
            .get(self.at..end)
            .ok_or("entry runs past the end")?;
        self.at = end;
        Ok(slice)
    }

    pub fn byte(&mut self) -> Result<u8, Malformed> {
        Ok(self.take(1)?[0])
    }

    pub fn peek(&self) -> Result<u8, Malformed> {
        self.bytes.get(self.at).copied().ok_or("no end marker")
    }

    /// `n` (at most 8) bytes as a little-endian unsigned number.
    pub fn uint_le(&mut self, n: usize) -> Result<u64, Malformed> {
        let mut value = 0u64;
        for (i, &b) in self.take(n)?.iter().enumerate() {
            value |= u64::from(b) << (8 * i);
        }
        Ok(value)
    }

    /// `n` bytes as a little-endian two's-complement number.
    pub fn int_le(&mut self, n: usize) -> Result<i64, Malformed> {
        let value = self.uint_le(n)?;
        let shift = 64 - 8 * n as u32;
        Ok(((value << shift) as i64) >> shift)
    }

    pub fn is_at_end(&self) -> bool {
        self.at == self.bytes.len()
    }
}
