//! The RDB file's vocabulary (Redis's `rdb.h`): the version, the value type
//! bytes, the opcodes that are not values, and the length encoding's tags.
//!
//! A file is `REDIS0010`, then records, each starting with one byte: a
//! value's type (then its key and value), or one of the opcodes (an aux
//! field, a database number, an expiry time...), until [`OPCODE_EOF`], which is
//! followed by the CRC64 of everything before it.

/// The version we write, Redis 7.0's (`RDB_VERSION`).
pub const VERSION: u16 = 10;
/// The oldest and newest versions we read: 9 (Redis 5 and 6) to 11 (7.2).
pub const OLDEST_READ: u16 = 9;
pub const NEWEST_READ: u16 = 11;
/// Every file starts with `REDIS` and the version in four decimal digits.
pub const MAGIC: &[u8; 5] = b"REDIS";

// Value types (`RDB_TYPE_*`).
pub const TYPE_STRING: u8 = 0;
pub const TYPE_LIST: u8 = 1;
pub const TYPE_SET: u8 = 2;
pub const TYPE_ZSET: u8 = 3;
pub const TYPE_HASH: u8 = 4;
/// A sorted set whose scores are binary doubles, not decimal text.
pub const TYPE_ZSET_2: u8 = 5;
pub const TYPE_MODULE: u8 = 6;
pub const TYPE_MODULE_2: u8 = 7;
pub const TYPE_HASH_ZIPMAP: u8 = 9;
pub const TYPE_LIST_ZIPLIST: u8 = 10;
pub const TYPE_SET_INTSET: u8 = 11;
pub const TYPE_ZSET_ZIPLIST: u8 = 12;
pub const TYPE_HASH_ZIPLIST: u8 = 13;
/// A list as ziplists, one per node (Redis 3.2 to 6.2).
pub const TYPE_LIST_QUICKLIST: u8 = 14;
pub const TYPE_STREAM_LISTPACKS: u8 = 15;
pub const TYPE_HASH_LISTPACK: u8 = 16;
pub const TYPE_ZSET_LISTPACK: u8 = 17;
/// A list as listpacks or plain strings, one per node (Redis 7.0).
pub const TYPE_LIST_QUICKLIST_2: u8 = 18;
pub const TYPE_STREAM_LISTPACKS_2: u8 = 19;
/// A set as one listpack (Redis 7.2, RDB 11).
pub const TYPE_SET_LISTPACK: u8 = 20;
pub const TYPE_STREAM_LISTPACKS_3: u8 = 21;

// Opcodes (`RDB_OPCODE_*`): records that are not keys.
/// A function library (Redis 7.0's `FUNCTION LOAD`).
pub const OPCODE_FUNCTION_2: u8 = 245;
/// The pre-release form of function libraries (7.0 release candidates).
pub const OPCODE_FUNCTION: u8 = 246;
pub const OPCODE_MODULE_AUX: u8 = 247;
/// The next key's LRU idle time, in seconds.
pub const OPCODE_IDLE: u8 = 248;
/// The next key's LFU counter, one byte.
pub const OPCODE_FREQ: u8 = 249;
/// An auxiliary field: a name and a value, both strings.
pub const OPCODE_AUX: u8 = 250;
/// Size hints for the database that follows: keys, and keys with a TTL.
pub const OPCODE_RESIZE_DB: u8 = 251;
/// The next key's expiry, Unix milliseconds, 8 bytes little-endian.
pub const OPCODE_EXPIRETIME_MS: u8 = 252;
/// The next key's expiry, Unix seconds, 4 bytes (before RDB 3).
pub const OPCODE_EXPIRETIME: u8 = 253;
pub const OPCODE_SELECT_DB: u8 = 254;
pub const OPCODE_EOF: u8 = 255;

// A quicklist 2 node's container (`QUICKLIST_NODE_CONTAINER_*`).
pub const CONTAINER_PLAIN: u64 = 1;
pub const CONTAINER_PACKED: u64 = 2;

// The length encoding: the top two bits of the first byte.
/// `00xxxxxx`: a length up to 63 in this byte.
pub const LEN_6BIT: u8 = 0;
/// `01xxxxxx xxxxxxxx`: up to 16383, big-endian.
pub const LEN_14BIT: u8 = 1;
/// `10000000` then 4 bytes, big-endian.
pub const LEN_32BIT: u8 = 0x80;
/// `10000001` then 8 bytes, big-endian.
pub const LEN_64BIT: u8 = 0x81;
/// `11xxxxxx`: not a length but a string's special encoding, below.
pub const LEN_ENCODED: u8 = 3;
pub const ENC_INT8: u8 = 0;
pub const ENC_INT16: u8 = 1;
pub const ENC_INT32: u8 = 2;
pub const ENC_LZF: u8 = 3;

/// The name a type byte has in messages.
pub fn type_name(kind: u8) -> &'static str {
    match kind {
        TYPE_STRING => "string",
        TYPE_LIST | TYPE_LIST_ZIPLIST | TYPE_LIST_QUICKLIST | TYPE_LIST_QUICKLIST_2 => "list",
        TYPE_SET | TYPE_SET_INTSET | TYPE_SET_LISTPACK => "set",
        TYPE_ZSET | TYPE_ZSET_2 | TYPE_ZSET_ZIPLIST | TYPE_ZSET_LISTPACK => "zset",
        TYPE_HASH | TYPE_HASH_ZIPMAP | TYPE_HASH_ZIPLIST | TYPE_HASH_LISTPACK => "hash",
        TYPE_MODULE | TYPE_MODULE_2 => "module",
        TYPE_STREAM_LISTPACKS | TYPE_STREAM_LISTPACKS_2 | TYPE_STREAM_LISTPACKS_3 => "stream",
        _ => "unknown",
    }
}
