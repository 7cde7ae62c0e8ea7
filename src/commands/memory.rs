//! `MEMORY USAGE key [SAMPLES count]` and `MEMORY HELP`.
//!
//! Our values are not laid out as Redis's, so MEMORY USAGE answers what
//! Redis 7.0 would allocate for the same key and value, as its
//! `objectComputeSize` (`object.c`) counts it: the object header, the key's
//! `sds`, the `dictEntry`, and the value in the encoding Redis would give
//! it ([`object::encoding`]), each allocation rounded up to jemalloc's size
//! class. So `redis-cli --memkeys` finds the same big keys here as there.
//! For strings, intsets and listpacks the figure is Redis's to the byte;
//! for a hash table, a skiplist or a quicklist, where Redis itself samples
//! (SAMPLES, 5 by default, 0 for all), it is an estimate of the same kind.

use super::object;
use super::session::help;
use super::ReadCommand;
use super::{check_arity, parse_int, take_arg, Command, CommandError, CommandResult, Context};
use crate::float::format_d2string;
use crate::protocol::{parse_i64, Reply, Request};
use crate::set::{Member, Set};
use crate::storage::Store;
use crate::value::Value;

/// MEMORY HELP, in Redis's words, for the subcommands this server has.
const MEMORY_HELP: &[&str] = &[
    "MEMORY <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
    "USAGE <key> [SAMPLES <count>]",
    "    Return memory in bytes used by <key> and its value. Nested values are",
    "    sampled up to <count> times (default: 5, 0 means sample all).",
    "HELP",
    "    Prints this help.",
];

/// Redis's default SAMPLES (`OBJ_COMPUTE_SIZE_DEF_SAMPLES`).
const DEFAULT_SAMPLES: usize = 5;

// The sizes of Redis 7.0's structures on a 64-bit machine.
/// `robj`, the header of every value.
const ROBJ: usize = 16;
/// `dictEntry`: key, value and next pointers.
const DICT_ENTRY: usize = 24;
/// `dict`, without its table of buckets.
const DICT: usize = 56;
/// `quicklist` and one `quicklistNode`.
const QUICKLIST: usize = 40;
const QUICKLIST_NODE: usize = 40;
/// `zset` (a dict and a skiplist pointer) and `zskiplist`.
const ZSET: usize = 16;
const ZSKIPLIST: usize = 32;
/// A skiplist node of two levels (Redis draws each node's levels at
/// random; this is about what its nodes cost on average), and the header
/// node of 32 levels.
const ZSKIPLIST_NODE: usize = 24 + 2 * 16;
const ZSKIPLIST_HEADER: usize = 24 + 32 * 16;

/// jemalloc's size class for `n` bytes: 8, then multiples of 16 up to 128,
/// then four classes for each doubling (160, 192, 224, 256, 320, ...).
fn size_class(n: usize) -> usize {
    if n <= 8 {
        return 8;
    }
    if n <= 128 {
        return n.div_ceil(16) * 16;
    }
    let spacing = n.next_power_of_two() / 8;
    n.div_ceil(spacing) * spacing
}

/// An `sds` of `len` bytes: its header (1 to 17 bytes, by length), the
/// bytes and a NUL, allocated.
fn sds(len: usize) -> usize {
    let header = match len {
        0..=31 => 1,
        32..=255 => 3,
        256..=65_535 => 5,
        _ if len <= u32::MAX as usize => 9,
        _ => 17,
    };
    size_class(header + len + 1)
}

/// One listpack entry: its encoding, its data and its `backlen`. An
/// integer is stored as one (7 to 64 bits), any other string as bytes.
fn listpack_entry(element: &[u8]) -> usize {
    let encoded = match parse_i64(element) {
        Some(0..=127) => 1,
        Some(-4096..=4095) => 2,
        Some(n) if i16::try_from(n).is_ok() => 3,
        Some(n) if (-(1 << 23)..(1 << 23)).contains(&n) => 4,
        Some(n) if i32::try_from(n).is_ok() => 5,
        Some(_) => 9,
        None if element.len() < 64 => 1 + element.len(),
        None if element.len() < 4096 => 2 + element.len(),
        None => 5 + element.len(),
    };
    let backlen = match encoded {
        0..=127 => 1,
        128..=16_382 => 2,
        16_383..=2_097_150 => 3,
        2_097_151..=268_435_454 => 4,
        _ => 5,
    };
    encoded + backlen
}

/// A listpack holding `entries`: a 6-byte header, the entries, an end byte.
fn listpack<'a>(entries: impl Iterator<Item = &'a [u8]>) -> usize {
    size_class(6 + entries.map(listpack_entry).sum::<usize>() + 1)
}

/// The buckets of a dict of `len` elements: a power of two, at least 4.
fn buckets(len: usize) -> usize {
    8 * len.next_power_of_two().max(4)
}

/// What `per_element` says of the first `samples` elements, averaged and
/// counted `len` times, as Redis samples a big value.
fn sampled(sizes: impl Iterator<Item = usize>, samples: usize, len: usize) -> usize {
    let (mut total, mut seen) = (0, 0);
    for size in sizes.take(samples) {
        total += size;
        seen += 1;
    }
    if seen == 0 {
        return 0;
    }
    (total as f64 / seen as f64 * len as f64) as usize
}

/// What Redis would allocate for `value` (`objectComputeSize`).
fn value_size(value: &Value, samples: usize) -> usize {
    match value {
        Value::String(bytes) => match object::encoding(value) {
            "int" => ROBJ,
            "embstr" => size_class(ROBJ + 3 + bytes.len() + 1),
            _ => ROBJ + sds(bytes.len()),
        },
        Value::List(list) => {
            let nodes = list
                .chunks()
                .map(|elements| QUICKLIST_NODE + listpack(elements));
            ROBJ + QUICKLIST + sampled(nodes, samples.max(1), list.chunk_count())
        }
        Value::Hash(hash) if hash.is_small() => {
            let entries = hash.iter().flat_map(|(f, v)| [f.as_slice(), v.as_slice()]);
            ROBJ + listpack(entries)
        }
        Value::Hash(hash) => {
            let entries = hash
                .iter()
                .map(|(f, v)| DICT_ENTRY + sds(f.len()) + sds(v.len()));
            ROBJ + DICT + buckets(hash.len()) + sampled(entries, samples, hash.len())
        }
        Value::Set(set) => match set.as_ref() {
            Set::Ints(ints) => {
                let width = match (ints.first(), ints.last()) {
                    (Some(&lo), Some(&hi))
                        if i16::try_from(lo).is_ok() && i16::try_from(hi).is_ok() =>
                    {
                        2
                    }
                    (Some(&lo), Some(&hi))
                        if i32::try_from(lo).is_ok() && i32::try_from(hi).is_ok() =>
                    {
                        4
                    }
                    (None, _) => 2,
                    _ => 8,
                };
                ROBJ + size_class(8 + width * ints.len())
            }
            Set::Table(_) => {
                let members = set.iter().map(|member| {
                    let len = match member {
                        Member::Int(n) => n.to_string().len(),
                        Member::Str(s) => s.len(),
                    };
                    DICT_ENTRY + sds(len)
                });
                ROBJ + DICT + buckets(set.len()) + sampled(members, samples, set.len())
            }
        },
        Value::ZSet(zset) if zset.is_listpack() => {
            let scores: Vec<String> = zset
                .iter()
                .map(|(_, score)| format_d2string(score))
                .collect();
            let entries = zset
                .iter()
                .zip(&scores)
                .flat_map(|((member, _), score)| [member.as_slice(), score.as_bytes()]);
            ROBJ + listpack(entries)
        }
        Value::ZSet(zset) => {
            let nodes = zset
                .iter()
                .map(|(member, _)| sds(member.len()) + DICT_ENTRY + size_class(ZSKIPLIST_NODE));
            ROBJ + ZSET
                + ZSKIPLIST
                + DICT
                + buckets(zset.len())
                + size_class(ZSKIPLIST_HEADER)
                + sampled(nodes, samples, zset.len())
        }
    }
}

/// `MEMORY USAGE key [SAMPLES count]`.
pub struct Usage {
    key: Vec<u8>,
    samples: usize,
}

pub fn parse_memory(mut request: Request, _now_ms: u64) -> Result<Command, CommandError> {
    match request[1].to_ascii_lowercase().as_slice() {
        b"help" => {
            check_arity(&request, 2, "memory|help")?;
            help(MEMORY_HELP)
        }
        b"usage" => {
            check_arity(&request, -3, "memory|usage")?;
            let mut samples = DEFAULT_SAMPLES;
            let mut i = 3;
            while i < request.len() {
                if !request[i].eq_ignore_ascii_case(b"samples") || i + 1 == request.len() {
                    return Err(CommandError::Syntax);
                }
                samples = match parse_int(&request[i + 1])? {
                    n if n < 0 => return Err(CommandError::Syntax),
                    0 => usize::MAX,
                    n => usize::try_from(n).unwrap_or(usize::MAX),
                };
                i += 2;
            }
            Ok(Command::Read(Box::new(Usage {
                key: take_arg(&mut request, 2),
                samples,
            })))
        }
        _ => {
            let sub = take_arg(&mut request, 1);
            Err(CommandError::UnknownSubcommand(sub, "MEMORY"))
        }
    }
}

impl ReadCommand for Usage {
    /// Redis finds the key in its dict with no expiry check, so a key
    /// whose time has passed but that is still there is measured too.
    fn apply(&self, store: &Store, _ctx: &Context) -> CommandResult {
        let Some(value) = store.get_expired_or_not(&self.key) else {
            return Ok(Reply::Null);
        };
        let usage = value_size(value, self.samples) + sds(self.key.len()) + DICT_ENTRY;
        Ok(Reply::Integer(usage as i64))
    }

    /// It deletes nothing, expired or not.
    fn keys(&self) -> &[Vec<u8>] {
        &[]
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::commands::run_on as run;

    #[test]
    fn size_classes_are_jemallocs() {
        let classes: Vec<usize> = [1, 8, 9, 17, 128, 129, 161, 257, 1025, 4097, 8193]
            .iter()
            .map(|&n| size_class(n))
            .collect();
        assert_eq!(
            classes,
            [8, 8, 16, 32, 128, 160, 192, 320, 1280, 5120, 10240]
        );
    }

    /// Figures read from redis-server 7.0.15 for the same commands.
    //@ passes from step 6
    #[test]
    fn small_values_cost_what_they_cost_in_redis() {
        let mut store = Store::new();
        let fifty = "x".repeat(50);
        for line in [
            "set a 1",
            "set bb hello",
            "set c 12345678901234567890123",
            &format!("set d {fifty}"),
            "rpush l a b c",
            "hset h f v",
            "sadd s 1 2 3",
            "sadd t a b",
            "zadd z 1 m",
        ] {
            run(&mut store, line, 0).unwrap();
        }
        for (key, usage) in [
            ("a", 48),
            ("bb", 64),
            ("c", 80),
            ("d", 112),
            ("l", 144),
            ("h", 64),
            ("s", 64),
            ("t", 200),
            ("z", 64),
        ] {
            let reply = run(&mut store, &format!("memory usage {key}"), 0);
            assert_eq!(reply, Ok(Reply::Integer(usage)), "{key}");
        }
        assert_eq!(run(&mut store, "memory usage nokey", 0), Ok(Reply::Null));
    }
}
