//! The ziplist (Redis's `ziplist.c`), the compact encoding before the
//! listpack: Redis 3.2 to 6.2 dump small hashes, sorted sets and list
//! nodes as ziplists. We only read them.
//!
//! ```text
//! <total bytes: u32> <offset of last entry: u32> <count: u16> <entry> ... <0xFF>
//! entry = <prevlen: 1 byte, or 0xFE and 4 bytes> <encoding> <data>
//! ```

use super::element::{Cursor, Element, Malformed};

const END: u8 = 0xff;

/// Every element of the ziplist `bytes`, checked against its header.
pub fn elements(bytes: &[u8]) -> Result<Vec<Element<'_>>, Malformed> {
    let mut cursor = Cursor::new(bytes);
    let total = cursor.uint_le(4)? as usize;
    let _tail = cursor.uint_le(4)?;
    let count = cursor.uint_le(2)? as u16;
    if total != bytes.len() {
        return Err("ziplist size does not match its header");
    }
    let mut found = Vec::with_capacity(usize::from(count.min(4096)));
    while cursor.peek()? != END {
        let prevlen = cursor.byte()?;
        if prevlen == 0xfe {
            cursor.take(4)?;
        }
        found.push(entry(&mut cursor)?);
    }
    cursor.byte()?;
    if !cursor.is_at_end() {
        return Err("ziplist has bytes after its end marker");
    }
    // 65535 means "too many to count in the header".
    if count != u16::MAX && usize::from(count) != found.len() {
        return Err("ziplist count does not match its entries");
    }
    Ok(found)
}

fn entry<'a>(cursor: &mut Cursor<'a>) -> Result<Element<'a>, Malformed> {
    let first = cursor.byte()?;
    Ok(match first >> 6 {
        0 => Element::Str(cursor.take(usize::from(first & 0x3f))?),
        1 => {
            let len = (usize::from(first & 0x3f) << 8) | usize::from(cursor.byte()?);
            Element::Str(cursor.take(len)?)
        }
        2 => {
            let b = cursor.take(4)?;
            let len = u32::from_be_bytes([b[0], b[1], b[2], b[3]]) as usize;
            Element::Str(cursor.take(len)?)
        }
        _ => match first {
            0xc0 => Element::Int(cursor.int_le(2)?),
            0xd0 => Element::Int(cursor.int_le(4)?),
            0xe0 => Element::Int(cursor.int_le(8)?),
            0xf0 => Element::Int(cursor.int_le(3)?),
            0xfe => Element::Int(cursor.int_le(1)?),
            0xf1..=0xfd => Element::Int(i64::from(first & 0x0f) - 1),
            _ => return Err("unknown ziplist entry encoding"),
        },
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_what_redis_6_wrote() {
        // A ziplist of "a", 5 (a 4-bit immediate), 300 (int16) and -70000 (int24).
        let bytes = [
            0x19, 0, 0, 0, 0x13, 0, 0, 0, 4, 0, // header: 25 bytes, tail at 19, 4 entries
            0x00, 0x01, b'a', // prevlen 0, 1-byte string
            0x03, 0xf6, // prevlen 3, immediate 5
            0x02, 0xc0, 0x2c, 0x01, // int16 300
            0x04, 0xf0, 0x90, 0xee, 0xfe, // int24 -70000
            0xff,
        ];
        assert_eq!(
            elements(&bytes).unwrap(),
            [
                Element::Str(b"a"),
                Element::Int(5),
                Element::Int(300),
                Element::Int(-70000)
            ]
        );
        assert!(elements(&bytes[..24]).is_err());
    }
}
