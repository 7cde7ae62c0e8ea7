//! Reading RDB files and DUMP payloads: versions 9 to 11, every encoding
//! Redis has written since 2.x.
//!
//! A [`Reader`] counts the bytes it has consumed, so every error can say
//! where in the file it was met, and it keeps the CRC64 of them for the
//! check at the end. Nothing it reads is trusted: a length is never used
//! to allocate more than the bytes that actually follow, so a damaged
//! length in a small file cannot ask for gigabytes.

use std::fmt;
use std::io::{self, Read};

use super::crc64;
use super::element::{Element, Malformed};
use super::format::*;
use super::{intset, listpack, lzf, ziplist, zipmap};
use crate::bytes::Bytes;
use crate::float::parse_score;
use crate::set::{Member, Set, MAX_INTSET_ENTRIES};
use crate::table::Table;
use crate::value::{Hash, List, SortedSet, Value};

/// The most elements reserved ahead of reading them: a count in the file
/// is only a claim until the elements are there.
const RESERVE_AT_MOST: usize = 1 << 16;

/// Why a dump could not be read, and where: the offset of the byte at which
/// the problem was seen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoadError {
    pub offset: u64,
    pub reason: String,
}

impl fmt::Display for LoadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "at offset {}: {}", self.offset, self.reason)
    }
}

impl std::error::Error for LoadError {}

pub type Result<T> = std::result::Result<T, LoadError>;

/// How much of the input is read at a time.
const BUFFER: usize = 64 * 1024;

/// A dump being read: the bytes so far, counted and checksummed. It keeps
/// its own buffer so that the CRC is computed a whole buffer at a time, not
/// a few bytes per string.
pub struct Reader<R> {
    input: R,
    buf: Box<[u8]>,
    /// `buf[pos..end]` is read from the input and not consumed yet.
    pos: usize,
    end: usize,
    /// Where `buf[0]` is in the input.
    base: u64,
    /// The CRC64 of everything before `buf[0]`.
    crc: u64,
}

impl<R: Read> Reader<R> {
    pub fn new(input: R) -> Reader<R> {
        Reader {
            input,
            buf: vec![0; BUFFER].into_boxed_slice(),
            pos: 0,
            end: 0,
            base: 0,
            crc: 0,
        }
    }

    /// Bytes consumed so far.
    pub fn offset(&self) -> u64 {
        self.base + self.pos as u64
    }

    /// The CRC64 of the bytes consumed so far.
    pub fn crc(&self) -> u64 {
        crc64::update(self.crc, &self.buf[..self.pos])
    }

    /// An error at the current offset.
    pub fn error<T>(&self, reason: impl Into<String>) -> Result<T> {
        Err(LoadError {
            offset: self.offset(),
            reason: reason.into(),
        })
    }

    /// Reads the next buffer once this one is consumed; false at the end.
    fn refill(&mut self) -> Result<bool> {
        self.crc = crc64::update(self.crc, &self.buf[..self.end]);
        self.base += self.end as u64;
        self.pos = 0;
        self.end = 0;
        loop {
            match self.input.read(&mut self.buf) {
                Ok(n) => {
                    self.end = n;
                    return Ok(n > 0);
                }
                Err(err) if err.kind() == io::ErrorKind::Interrupted => continue,
                Err(err) => return self.error(format!("read error: {err}")),
            }
        }
    }

    /// Fills `out` from the input.
    pub fn fill(&mut self, out: &mut [u8]) -> Result<()> {
        let mut done = 0;
        while done < out.len() {
            if self.pos == self.end && !self.refill()? {
                return self.error("unexpected end of file");
            }
            let n = (out.len() - done).min(self.end - self.pos);
            out[done..done + n].copy_from_slice(&self.buf[self.pos..self.pos + n]);
            self.pos += n;
            done += n;
        }
        Ok(())
    }

    pub fn array<const N: usize>(&mut self) -> Result<[u8; N]> {
        let mut buf = [0; N];
        self.fill(&mut buf)?;
        Ok(buf)
    }

    pub fn byte(&mut self) -> Result<u8> {
        Ok(self.array::<1>()?[0])
    }

    /// `n` bytes, read a block at a time: memory grows with the bytes that
    /// are there, not with what `n` claims.
    pub fn bytes(&mut self, n: u64) -> Result<Vec<u8>> {
        const BLOCK: u64 = 1 << 20;
        let mut buf = Vec::new();
        while (buf.len() as u64) < n {
            let start = buf.len();
            let step = (n - start as u64).min(BLOCK) as usize;
            buf.resize(start + step, 0);
            self.fill(&mut buf[start..])?;
        }
        Ok(buf)
    }

    /// Whether the input has no byte left.
    pub fn at_end(&mut self) -> Result<bool> {
        Ok(self.pos == self.end && !self.refill()?)
    }

    /// A length, or the tag of a specially encoded string (`rdbLoadLenByRef`).
    pub fn len_or_encoding(&mut self) -> Result<Len> {
        //@ step 9: Read a length: the top two bits of the first byte say how (6 bits here, 14 bits with the next byte, 32 or 64 bits after a marker); `11` means a specially encoded string, returned as `Encoded`.
        let first = self.byte()?;
        Ok(match first >> 6 {
            LEN_6BIT => Len::Plain(u64::from(first & 0x3f)),
            LEN_14BIT => Len::Plain((u64::from(first & 0x3f) << 8) | u64::from(self.byte()?)),
            LEN_ENCODED => Len::Encoded(first & 0x3f),
            _ if first == LEN_32BIT => Len::Plain(u64::from(u32::from_be_bytes(self.array()?))),
            _ if first == LEN_64BIT => Len::Plain(u64::from_be_bytes(self.array()?)),
            _ => return self.error(format!("unknown length encoding 0x{first:02x}")),
        })
        //@ end step 9
    }

    /// A length; a string's special encoding here is an error.
    pub fn length(&mut self) -> Result<u64> {
        match self.len_or_encoding()? {
            Len::Plain(n) => Ok(n),
            Len::Encoded(_) => self.error("a string encoding where a length was expected"),
        }
    }

    /// A string, whatever its encoding (`rdbGenericLoadStringObject`).
    pub fn string(&mut self) -> Result<Vec<u8>> {
        //@ step 9: Read a string: a plain length and that many bytes, or an integer (1, 2 or 4 bytes, little-endian) written as decimal, or LZF: compressed length, length, then the compressed bytes.
        match self.len_or_encoding()? {
            Len::Plain(n) => self.bytes(n),
            Len::Encoded(ENC_INT8) => Ok((self.byte()? as i8).to_string().into_bytes()),
            Len::Encoded(ENC_INT16) => {
                Ok(i16::from_le_bytes(self.array()?).to_string().into_bytes())
            }
            Len::Encoded(ENC_INT32) => {
                Ok(i32::from_le_bytes(self.array()?).to_string().into_bytes())
            }
            Len::Encoded(ENC_LZF) => {
                let packed_len = self.length()?;
                let len = self.length()?;
                // A run of LZF gives at most 264 bytes for 3: anything more is a lie.
                if len > packed_len.saturating_mul(88).saturating_add(64) {
                    return self.error("LZF string claims an impossible length");
                }
                let packed = self.bytes(packed_len)?;
                match lzf::decompress(&packed, len as usize) {
                    Ok(bytes) => Ok(bytes),
                    Err(err) => self.error(format!("corrupt LZF string ({err:?})")),
                }
            }
            Len::Encoded(other) => self.error(format!("unknown string encoding {other}")),
        }
        //@ end step 9
    }

    /// A double written as text, one length byte first (`rdbLoadDoubleValue`,
    /// the scores of the old `ZSET` type).
    fn text_double(&mut self) -> Result<f64> {
        match self.byte()? {
            253 => Ok(f64::NAN),
            254 => Ok(f64::INFINITY),
            255 => Ok(f64::NEG_INFINITY),
            n => {
                let text = self.bytes(u64::from(n))?;
                match std::str::from_utf8(&text).ok().and_then(|t| t.parse().ok()) {
                    Some(value) => Ok(value),
                    None => self.error("a score that is not a number"),
                }
            }
        }
    }

    /// A value of type `kind`, as it follows its key (`rdbLoadObject`).
    /// `None`: an empty aggregate, which Redis skips.
    pub fn value(&mut self, kind: u8) -> Result<Option<Value>> {
        let start = self.offset();
        let value = match kind {
            TYPE_STRING => Value::String(Bytes::from(self.string()?)),
            TYPE_LIST => {
                let n = self.length()?;
                let mut items = List::default();
                for _ in 0..n {
                    items.push_back(&self.string()?);
                }
                Value::List(Box::new(items))
            }
            TYPE_LIST_ZIPLIST => {
                let blob = self.string()?;
                let items = self.packed(start, ziplist::elements(&blob))?;
                list_of(items)
            }
            TYPE_LIST_QUICKLIST | TYPE_LIST_QUICKLIST_2 => self.quicklist(kind)?,
            TYPE_SET => {
                let n = self.length()?;
                let mut set = new_set(n);
                for _ in 0..n {
                    let member = self.string()?;
                    if !set.insert_bytes(member) {
                        return self.error("duplicate set member");
                    }
                }
                Value::Set(Box::new(set))
            }
            TYPE_SET_INTSET => {
                let blob = self.string()?;
                let members = self.packed(start, intset::members(&blob))?;
                let set = if members.len() <= MAX_INTSET_ENTRIES {
                    Set::Ints(members)
                } else {
                    let mut set = new_set(members.len() as u64);
                    for n in members {
                        set.insert(Member::Int(n));
                    }
                    set
                };
                Value::Set(Box::new(set))
            }
            TYPE_SET_LISTPACK => {
                let blob = self.string()?;
                let members = self.packed(start, listpack::elements(&blob))?;
                let mut set = new_set(members.len() as u64);
                for member in members {
                    let inserted = match member {
                        Element::Int(n) => set.insert(Member::Int(n)),
                        Element::Str(s) => set.insert(Member::Str(s)),
                    };
                    if !inserted {
                        return self.error("duplicate set member");
                    }
                }
                Value::Set(Box::new(set))
            }
            TYPE_ZSET | TYPE_ZSET_2 => {
                let n = self.length()?;
                let mut zset = SortedSet::new(n <= crate::sorted_set::MAX_LISTPACK_ENTRIES as u64);
                for _ in 0..n {
                    let member = Bytes::from(self.string()?);
                    let score = if kind == TYPE_ZSET_2 {
                        f64::from_le_bytes(self.array()?)
                    } else {
                        self.text_double()?
                    };
                    if score.is_nan() {
                        return self.error("a score that is not a number");
                    }
                    if zset.insert(member, score).is_some() {
                        return self.error("duplicate sorted set member");
                    }
                }
                Value::ZSet(Box::new(zset))
            }
            TYPE_ZSET_ZIPLIST | TYPE_ZSET_LISTPACK => {
                let blob = self.string()?;
                let items = if kind == TYPE_ZSET_ZIPLIST {
                    ziplist::elements(&blob)
                } else {
                    listpack::elements(&blob)
                };
                let items = self.packed(start, items)?;
                let zset = self.packed(start, zset_of(&items))?;
                Value::ZSet(Box::new(zset))
            }
            TYPE_HASH => {
                let n = self.length()?;
                let mut hash = Hash::new();
                for _ in 0..n {
                    let field = Bytes::from(self.string()?);
                    let value = Bytes::from(self.string()?);
                    if !hash.insert(field, value) {
                        return self.error("duplicate hash field");
                    }
                }
                Value::Hash(Box::new(hash))
            }
            TYPE_HASH_ZIPMAP => {
                let blob = self.string()?;
                let pairs = self.packed(start, zipmap::pairs(&blob))?;
                let pairs = pairs
                    .into_iter()
                    .map(|(f, v)| (Element::Str(f), Element::Str(v)));
                Value::Hash(Box::new(self.packed(start, hash_of(pairs))?))
            }
            TYPE_HASH_ZIPLIST | TYPE_HASH_LISTPACK => {
                let blob = self.string()?;
                let items = if kind == TYPE_HASH_ZIPLIST {
                    ziplist::elements(&blob)
                } else {
                    listpack::elements(&blob)
                };
                let items = self.packed(start, items)?;
                if items.len() % 2 != 0 {
                    return self.error("hash with a field and no value");
                }
                let pairs = items.chunks_exact(2).map(|pair| (pair[0], pair[1]));
                Value::Hash(Box::new(self.packed(start, hash_of(pairs))?))
            }
            TYPE_MODULE | TYPE_MODULE_2 => {
                return self.error("module values are not supported (no modules here)")
            }
            TYPE_STREAM_LISTPACKS | TYPE_STREAM_LISTPACKS_2 | TYPE_STREAM_LISTPACKS_3 => {
                return self.error("stream values are not supported")
            }
            other => return self.error(format!("unknown value type {other}")),
        };
        Ok((!value.is_empty_aggregate()).then_some(value))
    }

    /// A list in quicklist form: nodes, each a ziplist (v1) or, in v2, a
    /// container (packed listpack or one plain element) and its string.
    fn quicklist(&mut self, kind: u8) -> Result<Value> {
        let nodes = self.length()?;
        let mut items = List::default();
        for _ in 0..nodes {
            let container = if kind == TYPE_LIST_QUICKLIST_2 {
                self.length()?
            } else {
                CONTAINER_PACKED
            };
            let start = self.offset();
            let blob = self.string()?;
            match container {
                CONTAINER_PLAIN => items.push_back(&blob),
                CONTAINER_PACKED => {
                    let elements = if kind == TYPE_LIST_QUICKLIST_2 {
                        listpack::elements(&blob)
                    } else {
                        ziplist::elements(&blob)
                    };
                    for element in self.packed(start, elements)? {
                        items.push_back(&element.to_bytes());
                    }
                }
                other => return self.error(format!("unknown quicklist container {other}")),
            }
        }
        Ok(Value::List(Box::new(items)))
    }

    /// The outcome of decoding a packed string that started at `start`.
    fn packed<T>(&self, start: u64, decoded: std::result::Result<T, Malformed>) -> Result<T> {
        decoded.map_err(|reason| LoadError {
            offset: start,
            reason: reason.to_string(),
        })
    }
}

/// A length, or the tag of a string's special encoding.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Len {
    Plain(u64),
    Encoded(u8),
}

fn reserve(claimed: u64) -> usize {
    claimed.min(RESERVE_AT_MOST as u64) as usize
}

/// An empty set for `n` members: an intset while it may stay one.
fn new_set(n: u64) -> Set {
    if n as usize > MAX_INTSET_ENTRIES {
        Set::Table(Table::with_capacity(reserve(n)))
    } else {
        Set::default()
    }
}

fn list_of(items: Vec<Element>) -> Value {
    Value::List(Box::new(items.into_iter().map(Element::to_bytes).collect()))
}

/// A sorted set from member, score, member, score...
fn zset_of(items: &[Element]) -> std::result::Result<SortedSet, Malformed> {
    if items.len() % 2 != 0 {
        return Err("sorted set with a member and no score");
    }
    let mut zset = SortedSet::new(items.len() / 2 <= crate::sorted_set::MAX_LISTPACK_ENTRIES);
    for pair in items.chunks_exact(2) {
        let score = match pair[1] {
            Element::Int(n) => n as f64,
            Element::Str(text) => parse_score(text).ok_or("a score that is not a number")?,
        };
        if zset.insert(pair[0].to_bytes(), score).is_some() {
            return Err("duplicate sorted set member");
        }
    }
    Ok(zset)
}

fn hash_of<'a>(
    pairs: impl Iterator<Item = (Element<'a>, Element<'a>)>,
) -> std::result::Result<Hash, Malformed> {
    let mut hash = Hash::new();
    for (field, value) in pairs {
        if !hash.insert(field.to_bytes(), value.to_bytes()) {
            return Err("duplicate hash field");
        }
    }
    Ok(hash)
}
