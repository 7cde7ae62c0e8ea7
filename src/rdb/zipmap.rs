//! The zipmap (Redis's `zipmap.c`): how Redis 2.x dumped small hashes. We
//! only read it.
//!
//! ```text
//! <count: 1 byte> (<len> <field> <len> <free: 1 byte> <value> <free bytes>)... <0xFF>
//! len = 1 byte below 254, or 254 and 4 bytes
//! ```

use super::element::{Cursor, Malformed};

const END: u8 = 0xff;

/// A field and its value.
pub type Pair<'a> = (&'a [u8], &'a [u8]);

/// The fields and values of the zipmap `bytes`, in order.
pub fn pairs(bytes: &[u8]) -> Result<Vec<Pair<'_>>, Malformed> {
    let mut cursor = Cursor::new(bytes);
    cursor.byte()?; // a count, 254 or more meaning "unknown": we count ourselves
    let mut found = Vec::new();
    while cursor.peek()? != END {
        let field_len = length(&mut cursor)?;
        let field = cursor.take(field_len)?;
        let value_len = length(&mut cursor)?;
        let free = usize::from(cursor.byte()?);
        let value = cursor.take(value_len)?;
        cursor.take(free)?;
        found.push((field, value));
    }
    cursor.byte()?;
    if !cursor.is_at_end() {
        return Err("zipmap has bytes after its end marker");
    }
    Ok(found)
}

fn length(cursor: &mut Cursor) -> Result<usize, Malformed> {
    match cursor.byte()? {
        254 => Ok(cursor.uint_le(4)? as usize),
        END => Err("zipmap ends inside an entry"),
        n => Ok(usize::from(n)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_a_redis_2_zipmap() {
        // {"foo": "bar", "k": "hello"}, with one free byte after "bar".
        let bytes = [
            2, 3, b'f', b'o', b'o', 3, 1, b'b', b'a', b'r', 0, 1, b'k', 5, 0, b'h', b'e', b'l',
            b'l', b'o', 0xff,
        ];
        assert_eq!(
            pairs(&bytes).unwrap(),
            [(&b"foo"[..], &b"bar"[..]), (&b"k"[..], &b"hello"[..])]
        );
        assert!(pairs(&bytes[..10]).is_err());
    }
}
