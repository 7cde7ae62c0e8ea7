//! Writing values the way Redis 7.0's `rdbSaveObject` does, so that DUMP
//! gives Redis's bytes and redis-server loads our files.
//!
//! Each function appends to a `Vec<u8>`: a key's record is built in memory
//! (a few bytes, usually), then the file writer passes it on in large
//! blocks. For each value Redis chooses the encoding it keeps in memory:
//!
//! | value | when | RDB type |
//! |---|---|---|
//! | string | always | `STRING`, its bytes as an integer, LZF or raw |
//! | list | always | `QUICKLIST_2`: nodes of listpacks of at most 8 KB |
//! | set | all integers, at most 512 | `SET_INTSET` |
//! | set | otherwise | `SET`: the members |
//! | sorted set | listpack in memory | `ZSET_LISTPACK` |
//! | sorted set | otherwise | `ZSET_2`: members and binary scores, highest first |
//! | hash | listpack in memory | `HASH_LISTPACK` |
//! | hash | otherwise | `HASH`: fields and values |

use super::format::*;
use super::intset;
use super::listpack::ListpackBuilder;
use super::lzf;
use crate::float::{as_integer, format_d2string};
use crate::protocol::parse_i64;
use crate::set::{Member, Set};
use crate::value::{Hash, SortedSet, Value};

/// Largest listpack of a list node: `list-max-listpack-size -2` is 8 KB.
const LIST_NODE_MAX: usize = 8192;
/// What Redis adds to an element's length when it checks that it fits a
/// node (`SIZE_ESTIMATE_OVERHEAD`).
const LIST_NODE_OVERHEAD: usize = 8;
/// Strings longer than this are tried with LZF (`rdbcompression yes`).
const COMPRESS_OVER: usize = 20;

/// Appends a length, in 1, 2, 5 or 9 bytes (`rdbSaveLen`).
pub fn put_len(out: &mut Vec<u8>, n: u64) {
    //@ step 9: Append the length `n` in the fewest bytes: 6 bits in one byte, 14 bits in two, else a marker byte and 4 or 8 bytes big-endian.
    if n < 1 << 6 {
        out.push((LEN_6BIT << 6) | n as u8);
    } else if n < 1 << 14 {
        out.push((LEN_14BIT << 6) | (n >> 8) as u8);
        out.push(n as u8);
    } else if n <= u64::from(u32::MAX) {
        out.push(LEN_32BIT);
        out.extend_from_slice(&(n as u32).to_be_bytes());
    } else {
        out.push(LEN_64BIT);
        out.extend_from_slice(&n.to_be_bytes());
    }
    //@ end step 9
}

/// Appends a string (`rdbSaveRawString`): up to 11 bytes that spell an
/// integer fitting 32 bits become that integer; longer than 20 bytes, LZF
/// if it saves at least 5 bytes; else the length and the bytes.
pub fn put_string(out: &mut Vec<u8>, bytes: &[u8]) {
    if bytes.len() <= 11 {
        if let Some(n) = parse_i64(bytes) {
            if put_integer(out, n) {
                return;
            }
        }
    }
    if bytes.len() > COMPRESS_OVER {
        if let Some(packed) = lzf::compress(bytes, bytes.len() - 4) {
            out.push((LEN_ENCODED << 6) | ENC_LZF);
            put_len(out, packed.len() as u64);
            put_len(out, bytes.len() as u64);
            out.extend_from_slice(&packed);
            return;
        }
    }
    put_len(out, bytes.len() as u64);
    out.extend_from_slice(bytes);
}

/// Appends `n` as an integer-encoded string if it fits 32 bits.
fn put_integer(out: &mut Vec<u8>, n: i64) -> bool {
    let tag = LEN_ENCODED << 6;
    if let Ok(n) = i8::try_from(n) {
        out.extend_from_slice(&[tag | ENC_INT8, n as u8]);
    } else if let Ok(n) = i16::try_from(n) {
        out.push(tag | ENC_INT16);
        out.extend_from_slice(&n.to_le_bytes());
    } else if let Ok(n) = i32::try_from(n) {
        out.push(tag | ENC_INT32);
        out.extend_from_slice(&n.to_le_bytes());
    } else {
        return false;
    }
    true
}

/// Appends a value's type byte, then `key` if there is one, then the value
/// (`rdbSaveObjectType`, `rdbSaveStringObject`, `rdbSaveObject`): a key's
/// record in a file, or with no key the body of a DUMP payload.
pub fn put_value(out: &mut Vec<u8>, key: Option<&[u8]>, value: &Value) {
    match value {
        Value::String(bytes) => {
            start(out, key, TYPE_STRING);
            put_string(out, bytes);
        }
        Value::List(list) => put_list(out, key, list.iter()),
        Value::Set(set) => put_set(out, key, set),
        Value::ZSet(zset) => put_zset(out, key, zset),
        Value::Hash(hash) => put_hash(out, key, hash),
    }
}

/// Starts a record: the type byte, then the key if there is one.
fn start(out: &mut Vec<u8>, key: Option<&[u8]>, kind: u8) {
    out.push(kind);
    if let Some(key) = key {
        put_string(out, key);
    }
}

/// A list as Redis 7.0 keeps it: a quicklist whose nodes are listpacks,
/// each filled while it stays within 8 KB.
fn put_list<'a>(out: &mut Vec<u8>, key: Option<&[u8]>, items: impl Iterator<Item = &'a [u8]>) {
    let mut nodes = Vec::new();
    let mut node = ListpackBuilder::new();
    for item in items {
        let fits = node.size() + item.len() + LIST_NODE_OVERHEAD <= LIST_NODE_MAX;
        if node.count() > 0 && !fits {
            nodes.push(std::mem::take(&mut node).finish());
        }
        node.push(item);
    }
    if node.count() > 0 {
        nodes.push(node.finish());
    }
    start(out, key, TYPE_LIST_QUICKLIST_2);
    put_len(out, nodes.len() as u64);
    for node in nodes {
        put_len(out, CONTAINER_PACKED);
        put_string(out, &node);
    }
}

fn put_set(out: &mut Vec<u8>, key: Option<&[u8]>, set: &Set) {
    if let Set::Ints(members) = set {
        start(out, key, TYPE_SET_INTSET);
        put_string(out, &intset::build(members));
        return;
    }
    start(out, key, TYPE_SET);
    put_len(out, set.len() as u64);
    for member in set.iter() {
        match member {
            Member::Str(bytes) => put_string(out, bytes),
            Member::Int(n) => put_string(out, n.to_string().as_bytes()),
        }
    }
}

fn put_zset(out: &mut Vec<u8>, key: Option<&[u8]>, zset: &SortedSet) {
    if zset.is_listpack() {
        let mut lp = ListpackBuilder::new();
        for (member, score) in zset.iter() {
            lp.push(member);
            // `zzlInsertAt`: an integral score as an integer, the rest as text.
            match as_integer(score) {
                Some(n) => lp.push_element(super::element::Element::Int(n)),
                None => lp.push(format_d2string(score).as_bytes()),
            }
        }
        start(out, key, TYPE_ZSET_LISTPACK);
        put_string(out, &lp.finish());
        return;
    }
    start(out, key, TYPE_ZSET_2);
    put_len(out, zset.len() as u64);
    // From the highest score down: Redis walks its skiplist from the tail,
    // so that loading inserts each member at the head.
    for (member, score) in zset.iter().rev() {
        put_string(out, member);
        out.extend_from_slice(&score.to_le_bytes());
    }
}

fn put_hash(out: &mut Vec<u8>, key: Option<&[u8]>, hash: &Hash) {
    if hash.is_small() {
        let mut lp = ListpackBuilder::new();
        for (field, value) in hash.iter() {
            lp.push(field);
            lp.push(value);
        }
        start(out, key, TYPE_HASH_LISTPACK);
        put_string(out, &lp.finish());
        return;
    }
    start(out, key, TYPE_HASH);
    put_len(out, hash.len() as u64);
    for (field, value) in hash.iter() {
        put_string(out, field);
        put_string(out, value);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bytes::Bytes;

    fn encoded(f: impl FnOnce(&mut Vec<u8>)) -> Vec<u8> {
        let mut out = Vec::new();
        f(&mut out);
        out
    }

    //@ passes from step 9
    #[test]
    fn lengths_take_one_two_five_or_nine_bytes() {
        assert_eq!(encoded(|o| put_len(o, 63)), [63]);
        assert_eq!(encoded(|o| put_len(o, 64)), [0x40, 64]);
        assert_eq!(encoded(|o| put_len(o, 16383)), [0x7f, 0xff]);
        assert_eq!(encoded(|o| put_len(o, 16384)), [0x80, 0, 0, 0x40, 0]);
        assert_eq!(
            encoded(|o| put_len(o, 1 << 32)),
            [0x81, 0, 0, 0, 1, 0, 0, 0, 0]
        );
    }

    //@ passes from step 9
    #[test]
    fn strings_as_redis_writes_them() {
        // From redis-server 7.0.15's dump: "12345" is int16 0x3039, "64" int8.
        assert_eq!(encoded(|o| put_string(o, b"12345")), [0xc1, 0x39, 0x30]);
        assert_eq!(encoded(|o| put_string(o, b"64")), [0xc0, 64]);
        assert_eq!(
            encoded(|o| put_string(o, b"-70000")),
            [0xc2, 0x90, 0xee, 0xfe, 0xff]
        );
        // Not integers in Redis's strict sense, or too wide for 32 bits.
        assert_eq!(encoded(|o| put_string(o, b"007")), [3, b'0', b'0', b'7']);
        assert_eq!(encoded(|o| put_string(o, b"4294967296"))[0], 10);
        // Redis's DUMP of 40 "a"s: LZF, 9 bytes for 40.
        let long = encoded(|o| put_string(o, &[b'a'; 40]));
        assert_eq!(&long[..3], [0xc3, 9, 40]);
    }

    //@ passes from step 9
    #[test]
    fn a_small_list_is_one_listpack_node() {
        let list: Vec<Bytes> = [&b"a"[..], b"b", b"1"].map(Bytes::copy_from).to_vec();
        let out = encoded(|o| put_list(o, None, list.iter().map(|b| b.as_slice())));
        // redis-server 7.0.15: DUMP of `RPUSH l a b 1`, less version and CRC.
        assert_eq!(
            out,
            [0x12, 1, 2, 0x0f, 0x0f, 0, 0, 0, 3, 0, 0x81, b'a', 2, 0x81, b'b', 2, 1, 1, 0xff]
        );
    }

    //@ passes from step 9
    #[test]
    fn a_long_list_is_cut_into_nodes_of_at_most_8_kb() {
        let items: Vec<Vec<u8>> = (0..3000)
            .map(|i| format!("item-{i}").into_bytes())
            .collect();
        let out = encoded(|o| put_list(o, None, items.iter().map(|v| v.as_slice())));
        assert_eq!(out[0], TYPE_LIST_QUICKLIST_2);
        assert!(out[1] > 1, "several nodes");
    }
}
