//@ passes from step 7
//! MEMORY USAGE and MEMORY HELP against a real `redis-server`, byte for
//! byte, in RESP2 and RESP3: every error, and the figures for values whose
//! size Redis does not sample (strings of each encoding, intsets, small
//! hashes and sorted sets, a short list), which must be Redis's exactly.
//!
//! Needs `redis-server` (see `tests/redis_differential.rs`).

mod common;

use common::differential::{assert_same_as_redis, Case};
use Case::*;

//@ passes from step 6
#[test]
fn memory_usage_is_redis_bytes_where_redis_does_not_sample() {
    assert_same_as_redis(&[
        Cmds(&[
            "memory",
            "memory foo",
            "memory usage",
            "memory help x",
            "memory usage nokey",
        ]),
        Cmds(&[
            "set a 1",
            "memory usage a samples x",
            "memory usage a samples -1",
            "memory usage a foo",
            "memory usage a samples",
            "memory usage a samples 0",
            "memory usage a SAMPLES 3 samples 9",
            "memory usage nokey samples x",
        ]),
        Cmds(&[
            "set int 12345",
            "set neg -7",
            "set short hello",
            "set embstr 12345678901234567890123456789012345678901234",
            "set raw 123456789012345678901234567890123456789012345",
            "set long 0123456789012345678901234567890123456789012345678901234567890123456789",
            "memory usage int",
            "memory usage neg",
            "memory usage short",
            "memory usage embstr",
            "memory usage raw",
            "memory usage long",
        ]),
        Cmds(&[
            "rpush l a b c 1 200 -5000 70000",
            "sadd s 1 2 3",
            "sadd wide 1 100000",
            "sadd huge 1 10000000000",
            "hset h f v field value",
            "zadd z 1 m 2.5 n -3 o",
            "memory usage l",
            "memory usage s",
            "memory usage wide",
            "memory usage huge",
            "memory usage h",
            "memory usage z",
        ]),
        Cmds(&["set gone v pxat 1", "memory usage gone", "dbsize"]),
        // MEMORY HELP is left out: it lists only the subcommands this server has.
        Cmds(&["hello 3", "set a 1", "memory usage a", "memory usage nokey"]),
    ]);
}
