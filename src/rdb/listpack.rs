//! The listpack (Redis's `listpack.c`): how Redis 7.0 keeps small hashes
//! and sorted sets, and every node of a list, and how it dumps them.
//!
//! ```text
//! <total bytes: u32 LE> <count: u16 LE> <entry> ... <entry> <0xFF>
//! entry = <encoding and data> <backlen: the size of both, 1 to 5 bytes>
//! ```
//!
//! An integer takes 1 to 9 bytes, by its size; a string 1, 2 or 5 bytes of
//! header before its bytes. The backlen lets Redis walk backwards; we only
//! skip it.

use super::element::{Cursor, Element, Malformed};

/// The count field when a listpack has 65535 elements or more: "count them".
const COUNT_UNKNOWN: u16 = u16::MAX;
const END: u8 = 0xff;
/// Header: total bytes and count.
const HEADER_SIZE: usize = 6;

/// A listpack being built, element by element.
pub struct ListpackBuilder {
    bytes: Vec<u8>,
    count: usize,
}

impl Default for ListpackBuilder {
    fn default() -> Self {
        ListpackBuilder::new()
    }
}

impl ListpackBuilder {
    pub fn new() -> ListpackBuilder {
        ListpackBuilder {
            bytes: vec![0; HEADER_SIZE],
            count: 0,
        }
    }

    /// The size the listpack has now, end marker included (Redis's `lpBytes`).
    pub fn size(&self) -> usize {
        self.bytes.len() + 1
    }

    pub fn count(&self) -> usize {
        self.count
    }

    /// Appends a string, stored as an integer if it is one (`lpAppend`).
    pub fn push(&mut self, bytes: &[u8]) {
        self.push_element(Element::of(bytes));
    }

    pub fn push_element(&mut self, element: Element) {
        //@ step 9: Append one entry: its encoding (by integer size, or string length) and data, then its backlen.
        let start = self.bytes.len();
        let out = &mut self.bytes;
        match element {
            Element::Int(n) if (0..=127).contains(&n) => out.push(n as u8),
            Element::Int(n) if (-4096..=4095).contains(&n) => {
                let v = if n < 0 { (1 << 13) + n } else { n } as u16;
                out.extend_from_slice(&[0xc0 | (v >> 8) as u8, v as u8]);
            }
            Element::Int(n) if i16::try_from(n).is_ok() => {
                out.push(0xf1);
                out.extend_from_slice(&(n as i16).to_le_bytes());
            }
            Element::Int(n) if (-(1 << 23)..(1 << 23)).contains(&n) => {
                out.push(0xf2);
                out.extend_from_slice(&(n as i32).to_le_bytes()[..3]);
            }
            Element::Int(n) if i32::try_from(n).is_ok() => {
                out.push(0xf3);
                out.extend_from_slice(&(n as i32).to_le_bytes());
            }
            Element::Int(n) => {
                out.push(0xf4);
                out.extend_from_slice(&n.to_le_bytes());
            }
            Element::Str(s) if s.len() < 64 => {
                out.push(0x80 | s.len() as u8);
                out.extend_from_slice(s);
            }
            Element::Str(s) if s.len() < 4096 => {
                out.extend_from_slice(&[0xe0 | (s.len() >> 8) as u8, s.len() as u8]);
                out.extend_from_slice(s);
            }
            Element::Str(s) => {
                out.push(0xf0);
                out.extend_from_slice(&(s.len() as u32).to_le_bytes());
                out.extend_from_slice(s);
            }
        }
        let entry_len = out.len() - start;
        push_backlen(out, entry_len);
        self.count += 1;
        //@ end step 9
    }

    /// The finished listpack.
    pub fn finish(mut self) -> Vec<u8> {
        self.bytes.push(END);
        let total = self.bytes.len() as u32;
        let count = u16::try_from(self.count).unwrap_or(COUNT_UNKNOWN);
        self.bytes[0..4].copy_from_slice(&total.to_le_bytes());
        self.bytes[4..6].copy_from_slice(&count.to_le_bytes());
        self.bytes
    }
}

/// The size of an entry, written so it can be read from its last byte
/// backwards: 7 bits a byte, the high bit set on all but the first.
fn push_backlen(out: &mut Vec<u8>, len: usize) {
    let n = backlen_size(len);
    for i in 0..n {
        let group = ((len >> (7 * (n - 1 - i))) & 127) as u8;
        out.push(if i == 0 { group } else { group | 128 });
    }
}

/// How many bytes a backlen for an entry of `len` bytes takes.
fn backlen_size(len: usize) -> usize {
    match len {
        0..=127 => 1,
        128..=16382 => 2,
        16383..=2097150 => 3,
        2097151..=268435454 => 4,
        _ => 5,
    }
}

/// Every element of the listpack `bytes`, checked against its header.
pub fn elements(bytes: &[u8]) -> Result<Vec<Element<'_>>, Malformed> {
    let mut cursor = Cursor::new(bytes);
    let total = cursor.uint_le(4)? as usize;
    let count = cursor.uint_le(2)? as u16;
    if total != bytes.len() {
        return Err("listpack size does not match its header");
    }
    let mut found = Vec::with_capacity(usize::from(count.min(4096)));
    while cursor.peek()? != END {
        let start = cursor.at;
        let element = entry(&mut cursor)?;
        cursor.take(backlen_size(cursor.at - start))?;
        found.push(element);
    }
    cursor.byte()?;
    if !cursor.is_at_end() {
        return Err("listpack has bytes after its end marker");
    }
    if count != COUNT_UNKNOWN && usize::from(count) != found.len() {
        return Err("listpack count does not match its entries");
    }
    Ok(found)
}

/// One entry's encoding and data.
fn entry<'a>(cursor: &mut Cursor<'a>) -> Result<Element<'a>, Malformed> {
    let first = cursor.byte()?;
    Ok(match first {
        0x00..=0x7f => Element::Int(i64::from(first)),
        0x80..=0xbf => Element::Str(cursor.take(usize::from(first & 0x3f))?),
        0xc0..=0xdf => {
            let v = (i64::from(first & 0x1f) << 8) | i64::from(cursor.byte()?);
            Element::Int(if v >= 1 << 12 { v - (1 << 13) } else { v })
        }
        0xe0..=0xef => {
            let len = (usize::from(first & 0x0f) << 8) | usize::from(cursor.byte()?);
            Element::Str(cursor.take(len)?)
        }
        0xf0 => {
            let len = cursor.uint_le(4)? as usize;
            Element::Str(cursor.take(len)?)
        }
        0xf1 => Element::Int(cursor.int_le(2)?),
        0xf2 => Element::Int(cursor.int_le(3)?),
        0xf3 => Element::Int(cursor.int_le(4)?),
        0xf4 => Element::Int(cursor.int_le(8)?),
        _ => return Err("unknown listpack entry encoding"),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    //@ passes from step 9
    #[test]
    fn the_bytes_redis_dumps_for_a_small_list() {
        // DUMP of `RPUSH l a b 1` on redis-server 7.0.15: the listpack of
        // its one quicklist node.
        let mut lp = ListpackBuilder::new();
        for element in [&b"a"[..], b"b", b"1"] {
            lp.push(element);
        }
        assert_eq!(
            lp.finish(),
            [0x0f, 0, 0, 0, 3, 0, 0x81, b'a', 2, 0x81, b'b', 2, 1, 1, 0xff]
        );
    }

    //@ passes from step 9
    #[test]
    fn every_encoding_reads_back() {
        let long = vec![b'x'; 5000];
        let mid = vec![b'y'; 300];
        let ints = [
            0,
            127,
            128,
            -1,
            4095,
            -4096,
            4096,
            32767,
            -32768,
            1 << 20,
            -(1 << 23),
            1 << 30,
            i64::MIN,
            i64::MAX,
        ];
        let mut lp = ListpackBuilder::new();
        for &n in &ints {
            lp.push_element(Element::Int(n));
        }
        for s in [&b""[..], b"hello", &mid, &long, b"007", b"-0"] {
            lp.push(s);
        }
        let bytes = lp.finish();
        let read = elements(&bytes).unwrap();
        let mut expected: Vec<Element> = ints.iter().map(|&n| Element::Int(n)).collect();
        expected.extend([&b""[..], b"hello", &mid, &long, b"007", b"-0"].map(Element::Str));
        assert_eq!(read, expected);
    }

    //@ passes from step 9
    #[test]
    fn damaged_listpacks_are_refused() {
        let mut lp = ListpackBuilder::new();
        lp.push(b"abc");
        let bytes = lp.finish();
        assert!(elements(&bytes[..bytes.len() - 1]).is_err());
        let mut wrong_count = bytes.clone();
        wrong_count[4] = 2;
        assert!(elements(&wrong_count).is_err());
        let mut bad_encoding = bytes.clone();
        bad_encoding[6] = 0xf5;
        assert!(elements(&bad_encoding).is_err());
    }
}
