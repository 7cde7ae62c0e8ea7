//! RDB: the snapshot file Redis writes with SAVE and BGSAVE and reads at
//! start-up, and the value format of DUMP and RESTORE.
//!
//! A dump is a header (`REDIS0010`), a few aux fields, then for each
//! database its number and size, and every key as a type byte, the key,
//! the value, each possibly preceded by its expiry time; an EOF byte and a
//! CRC64 of all of it close the file. Lecture 09 reads one byte by byte.
//!
//! * [`format`](mod@format): the type bytes, opcodes and length tags (`rdb.h`);
//! * [`write`](mod@write) and [`read`]: values to bytes and back, in every encoding
//!   Redis uses ([`listpack`], [`ziplist`], [`intset`], [`zipmap`]), with
//!   [`lzf`] compression and the [`crc64`] checksum written here;
//! * [`snapshot`]: where a dump goes on disk, SAVE and BGSAVE, the save
//!   policy and what INFO tells of it.
//!
//! The functions here take a [`Store`] (or a snapshot of one) and any
//! `Write` or `BufRead`, so the same code writes a file, a DUMP payload or
//! the RDB preamble of an append-only file.

pub mod crc64;
pub mod element;
pub mod format;
pub mod intset;
pub mod listpack;
pub mod lzf;
pub mod read;
pub mod snapshot;
pub mod write;
pub mod ziplist;
pub mod zipmap;

use std::io::{self, Read, Write};

pub use read::LoadError;

use crate::bytes::Bytes;
use crate::config::REDIS_VERSION;
use crate::storage::Store;
use crate::value::Value;
use format::*;
use read::Reader;

/// What the aux fields at the head of a dump say about it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Header {
    /// Unix seconds when it was written (`ctime`).
    pub created_s: u64,
    /// Whether it is the base of an append-only file (`aof-base`).
    pub aof_base: bool,
}

/// Flushes `buf` to `out` once it holds this much: a key's record is built
/// in memory, the file is written in large blocks.
const BLOCK: usize = 64 * 1024;

/// Writes a whole RDB file of `keys` (each key, its value and its expiry
/// time) to `out`: header, aux fields, database 0, EOF and CRC64. The file
/// is Redis 7.0's: redis-server loads it and `redis-check-rdb` accepts it.
pub fn write_rdb<'a, W: Write>(
    out: W,
    keys: impl Iterator<Item = (&'a [u8], &'a Value, Option<u64>)>,
    sizes: (usize, usize),
    header: Header,
) -> io::Result<()> {
    let mut rdb = RdbWriter::begin(out, sizes, header);
    for (key, value, expires_at) in keys {
        rdb.record(key, value, expires_at)?;
    }
    rdb.finish()
}

/// An RDB file being written key by key, for a writer that gets its keys a
/// few at a time (a background save's walk): [`write_rdb`] in three parts.
pub struct RdbWriter<W> {
    out: W,
    buf: Vec<u8>,
    crc: u64,
}

impl<W: Write> RdbWriter<W> {
    /// The header and aux fields; `sizes` (keys, keys with a TTL) is what
    /// the database's resize hint announces.
    pub fn begin(out: W, sizes: (usize, usize), header: Header) -> RdbWriter<W> {
        let mut buf = Vec::with_capacity(BLOCK + 1024);
        buf.extend_from_slice(format!("REDIS{VERSION:04}").as_bytes());
        put_aux(&mut buf, "redis-ver", REDIS_VERSION.as_bytes());
        put_aux(&mut buf, "redis-bits", usize::BITS.to_string().as_bytes());
        put_aux(&mut buf, "ctime", header.created_s.to_string().as_bytes());
        put_aux(&mut buf, "used-mem", used_memory().to_string().as_bytes());
        put_aux(
            &mut buf,
            "aof-base",
            if header.aof_base { b"1" } else { b"0" },
        );
        let (count, expires) = sizes;
        if count > 0 {
            buf.push(OPCODE_SELECT_DB);
            write::put_len(&mut buf, 0);
            buf.push(OPCODE_RESIZE_DB);
            write::put_len(&mut buf, count as u64);
            write::put_len(&mut buf, expires as u64);
        }
        RdbWriter { out, buf, crc: 0 }
    }

    /// One key's record; the file is written in blocks of 64 KiB.
    pub fn record(&mut self, key: &[u8], value: &Value, expires_at: Option<u64>) -> io::Result<()> {
        put_record(&mut self.buf, key, value, expires_at);
        if self.buf.len() >= BLOCK {
            self.crc = crc64::update(self.crc, &self.buf);
            self.out.write_all(&self.buf)?;
            self.buf.clear();
        }
        Ok(())
    }

    /// The EOF opcode and the checksum.
    pub fn finish(mut self) -> io::Result<()> {
        self.buf.push(OPCODE_EOF);
        self.crc = crc64::update(self.crc, &self.buf);
        self.buf.extend_from_slice(&self.crc.to_le_bytes());
        self.out.write_all(&self.buf)?;
        self.out.flush()
    }
}

/// Writes the whole of `store` as an RDB file to `out` (see [`write_rdb`]).
/// `aof_base` marks it as the base of an append-only file.
pub fn write_store<W: Write>(store: &Store, out: W, aof_base: bool, now_ms: u64) -> io::Result<()> {
    let header = Header {
        created_s: now_ms / 1000,
        aof_base,
    };
    let sizes = (store.len(), store.volatile_len());
    write_rdb(out, store.entries(), sizes, header)
}

/// One key's record: its expiry if it has one, then type, key and value.
fn put_record(buf: &mut Vec<u8>, key: &[u8], value: &Value, expires_at: Option<u64>) {
    if let Some(at) = expires_at {
        buf.push(OPCODE_EXPIRETIME_MS);
        buf.extend_from_slice(&at.to_le_bytes());
    }
    write::put_value(buf, Some(key), value);
}

fn put_aux(buf: &mut Vec<u8>, name: &str, value: &[u8]) {
    buf.push(OPCODE_AUX);
    write::put_string(buf, name.as_bytes());
    write::put_string(buf, value);
}

/// The process's resident memory, for the `used-mem` aux field (Redis
/// writes its allocator's count; nobody reads it but humans).
fn used_memory() -> u64 {
    std::fs::read_to_string("/proc/self/statm")
        .ok()
        .and_then(|statm| statm.split_whitespace().nth(1)?.parse::<u64>().ok())
        .map_or(0, |pages| pages * 4096)
}

/// The most keys a RESIZEDB record may make room for ahead of them.
const RESERVE_KEYS_AT_MOST: u64 = 1 << 22;

/// What loading a dump found.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Loaded {
    pub version: u16,
    /// The `redis-ver` aux field: which Redis wrote it.
    pub written_by: Option<String>,
    /// The `ctime` aux field.
    pub created_s: Option<u64>,
    pub keys_loaded: u64,
    /// Keys skipped because their time had already passed (as a master
    /// Redis skips them).
    pub keys_expired: u64,
    pub aof_base: bool,
    /// How many bytes the dump took, checksum included: in an append-only
    /// file with an RDB preamble, its commands start there.
    pub size: u64,
}

/// Reads a whole RDB file (versions 9 to 11) from `input` into `store`
/// (`input` need not be buffered: the reader has its own buffer).
/// On error the store may hold part of the file: load into a fresh
/// [`Store`] and drop it if this fails, so that no half-loaded keyspace is
/// ever served.
pub fn load<R: Read>(input: R, store: &mut Store, now_ms: u64) -> Result<Loaded, LoadError> {
    let mut reader = Reader::new(input);
    let mut loaded = Loaded {
        version: read_magic(&mut reader)?,
        ..Loaded::default()
    };
    let mut expires_at = None;
    loop {
        let record_at = reader.offset();
        let opcode = reader.byte()?;
        match opcode {
            OPCODE_EXPIRETIME_MS => expires_at = Some(u64::from_le_bytes(reader.array()?)),
            OPCODE_EXPIRETIME => {
                expires_at = Some(u64::from(u32::from_le_bytes(reader.array()?)) * 1000)
            }
            OPCODE_FREQ => {
                reader.byte()?; // no LFU policy here: the counter is not kept
            }
            OPCODE_IDLE => {
                reader.length()?; // nor the LRU idle time
            }
            OPCODE_SELECT_DB => {
                let db = reader.length()?;
                if db != 0 {
                    return at(
                        record_at,
                        format!("database {db}: only database 0 is supported"),
                    );
                }
            }
            OPCODE_RESIZE_DB => {
                // Sizes as hints, within reason: a damaged hint must not
                // reserve gigabytes.
                let keys = reader.length()?.min(RESERVE_KEYS_AT_MOST);
                let volatile = reader.length()?.min(keys);
                store.reserve(keys as usize, volatile as usize);
            }
            OPCODE_AUX => {
                let name = reader.string()?;
                let value = reader.string()?;
                read_aux(&mut loaded, &name, &value);
            }
            OPCODE_MODULE_AUX => {
                return at(record_at, "module data is not supported (no modules here)")
            }
            OPCODE_FUNCTION | OPCODE_FUNCTION_2 => {
                return at(record_at, "function libraries are not supported")
            }
            OPCODE_EOF => break,
            kind => {
                let key = reader.string()?;
                let value = reader.value(kind)?;
                let when = expires_at.take();
                let Some(value) = value else {
                    continue; // an empty aggregate: Redis skips it too
                };
                if when.is_some_and(|at| at < now_ms) {
                    loaded.keys_expired += 1;
                    continue;
                }
                if !store.add_new(Bytes::from(key), value, when) {
                    return at(record_at, "duplicate key");
                }
                loaded.keys_loaded += 1;
            }
        }
    }
    if loaded.version >= 5 {
        let computed = reader.crc();
        let stored = u64::from_le_bytes(reader.array()?);
        // A file written with `rdbchecksum no` has a CRC of zero.
        if stored != 0 && stored != computed {
            return at(reader.offset() - 8, "wrong RDB checksum");
        }
    }
    loaded.size = reader.offset();
    Ok(loaded)
}

fn at<T>(offset: u64, reason: impl Into<String>) -> Result<T, LoadError> {
    Err(LoadError {
        offset,
        reason: reason.into(),
    })
}

/// `REDIS` and four digits: the version, which we must be able to read.
fn read_magic<R: Read>(reader: &mut Reader<R>) -> Result<u16, LoadError> {
    let magic: [u8; 9] = reader.array()?;
    if &magic[..5] != MAGIC {
        return at(0, "not an RDB file (no REDIS signature)");
    }
    let version = std::str::from_utf8(&magic[5..])
        .ok()
        .filter(|digits| digits.bytes().all(|b| b.is_ascii_digit()))
        .and_then(|digits| digits.parse::<u16>().ok());
    match version {
        Some(v) if (1..=NEWEST_READ).contains(&v) => Ok(v),
        Some(v) => at(5, format!("can't handle RDB format version {v}")),
        None => at(5, "not an RDB file (bad version number)"),
    }
}

fn read_aux(loaded: &mut Loaded, name: &[u8], value: &[u8]) {
    let text = String::from_utf8_lossy(value);
    match name {
        b"redis-ver" => loaded.written_by = Some(text.into_owned()),
        b"ctime" => loaded.created_s = text.parse().ok(),
        b"aof-base" => loaded.aof_base = text == "1",
        _ => {} // redis-bits, used-mem, repl-*: nothing to do with them here
    }
}

/// The DUMP payload of `value`: its type and serialisation, then the RDB
/// version (2 bytes) and a CRC64 of all that (8 bytes), little-endian.
pub fn dump(value: &Value) -> Vec<u8> {
    let mut out = Vec::new();
    write::put_value(&mut out, None, value);
    out.extend_from_slice(&VERSION.to_le_bytes());
    let crc = crc64::checksum(&out);
    out.extend_from_slice(&crc.to_le_bytes());
    out
}

/// Why a RESTORE payload was refused, in Redis's two kinds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BadPayload {
    /// Too short, a version from a newer Redis, or a checksum that differs.
    VersionOrChecksum,
    /// The checksum matches but the value cannot be read.
    Format,
}

/// Reads a DUMP payload back into a value (`verifyDumpPayload` and
/// `rdbLoadObject`). `None` for an empty aggregate.
pub fn undump(payload: &[u8]) -> Result<Option<Value>, BadPayload> {
    if payload.len() < 10 {
        return Err(BadPayload::VersionOrChecksum);
    }
    let (body, footer) = payload.split_at(payload.len() - 10);
    let version = u16::from_le_bytes([footer[0], footer[1]]);
    if version > VERSION {
        return Err(BadPayload::VersionOrChecksum);
    }
    let stored = u64::from_le_bytes(footer[2..].try_into().expect("8 bytes"));
    if crc64::checksum(&payload[..payload.len() - 8]) != stored {
        return Err(BadPayload::VersionOrChecksum);
    }
    let mut reader = Reader::new(body);
    let kind = reader.byte().map_err(|_| BadPayload::Format)?;
    let value = reader.value(kind).map_err(|_| BadPayload::Format)?;
    // The value must use up the body exactly.
    if reader.offset() != body.len() as u64 {
        return Err(BadPayload::Format);
    }
    Ok(value)
}
