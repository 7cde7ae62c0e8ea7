//@ passes from step 7
//! SCAN against a real `redis-server`, in RESP2 and RESP3: every error, and
//! every walk whose outcome does not depend on either server's hash (a
//! keyspace small enough that one call with a large COUNT returns all of it
//! and the final cursor 0). The keys come in each table's own order, so a
//! SCAN reply (marked `%`) is compared with its keys sorted; everything else
//! byte for byte. Then, against this server alone, SCAN's guarantee while
//! other clients insert and delete keys and the table grows and shrinks.
//!
//! Needs `redis-server` (see `tests/redis_differential.rs`).

mod common;
mod unordered;

use std::collections::HashSet;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::thread;

use common::{Conn, TestServer};
use unordered::assert_same_as_redis_unordered;

const CASES: &[&[&str]] = &[
    // The cursor, then the options, each checked in order.
    &[
        "scan",
        "scan x",
        "scan \" 1\"",
        "scan 1x",
        "scan 18446744073709551616",
        "scan -",
    ],
    &[
        "scan 0 count 0",
        "scan 0 count -1",
        "scan 0 count x",
        "scan 0 count",
        "scan 0 match",
        "scan 0 type",
    ],
    &[
        "scan 0 foo bar",
        "scan 0 count 1 foo",
        "scan 0 count x count 0",
        "scan 0 count 0 count x",
        "scan x count 0",
    ],
    &[
        "scan 0 COUNT 5 MATCH * TYPE string",
        "scan 0 type string type",
        "scan 0 match a match",
    ],
    // An empty keyspace: any cursor ends at once.
    &[
        "scan 0",
        "scan 7",
        "scan 18446744073709551615",
        "scan -1",
        "scan \"\"",
        "scan +0",
        "scan 0 type string",
    ],
    // Every type, filtered by TYPE in any case; unknown types match nothing.
    &[
        "mset a 1 b 2 c 3",
        "rpush l x",
        "sadd s m",
        "hset h f v",
        "zadd z 1 m",
        "% scan 0 count 100",
        "% scan 0 count 9223372036854775807",
        "% scan 0 type string count 100",
        "% scan 0 TYPE List count 100",
        "% scan 0 type SET count 100",
        "% scan 0 type hash count 100",
        "% scan 0 type zset count 100",
        "scan 0 type stream count 100",
        "scan 0 type foo count 100",
        "scan 0 type none count 100",
    ],
    // MATCH.
    &[
        "mset a 1 ab 2 abc 3 b 4 x*y 5",
        "% scan 0 match a* count 100",
        "% scan 0 match ? count 100",
        "% scan 0 match [ab] count 100",
        "% scan 0 match x\\*y count 100",
        "scan 0 match nothing* count 100",
        "% scan 0 match * count 100",
        "% scan 0 match a* match b* count 100",
    ],
    // An expired key is deleted when the walk meets it (if MATCH lets it
    // through), and is not returned, except by TYPE none, which Redis 7.0
    // answers with exactly the expired keys.
    &[
        "set live 1",
        "set gone 1 pxat 1",
        "dbsize",
        "scan 0 match g* count 100",
        "dbsize",
        "% scan 0 count 100",
        "dbsize",
    ],
    &[
        "set live 1",
        "set gone 1 pxat 1",
        "scan 0 match x* count 100",
        "dbsize",
    ],
    &[
        "set live 1",
        "set gone 1 pxat 1",
        "scan 0 type string count 100",
        "dbsize",
    ],
    &[
        "set live 1",
        "set gone 1 pxat 1",
        "scan 0 type none count 100",
        "dbsize",
    ],
    &[
        "set live 1",
        "set gone 1 pxat 1",
        "scan 0 type NONE match l* count 100",
        "dbsize",
    ],
    // RESP3.
    &[
        "hello 3",
        "mset a 1 b 2",
        "% scan 0 count 100",
        "scan x",
        "scan 0 type none",
    ],
    // The other SCANs take the same options, but no TYPE.
    &[
        "sadd s a",
        "hset h f v",
        "zadd z 1 m",
        "sscan s 0 type set",
        "hscan h 0 type hash",
        "zscan z 0 type zset",
    ],
];

//@ passes from step 6
#[test]
fn scan_errors_and_whole_walks_are_redis_bytes() {
    assert_same_as_redis_unordered(CASES);
}

/// A hundred and a thousand keys: one call with COUNT well above that
/// returns them all and the cursor 0 on both servers.
//@ passes from step 6
#[test]
fn a_whole_keyspace_in_one_call() {
    let lines: Vec<String> = [100, 1000]
        .iter()
        .flat_map(|&n| {
            let mset: Vec<String> = (0..n).map(|i| format!("key:{i} v")).collect();
            [
                "flushall".to_string(),
                format!("mset {}", mset.join(" ")),
                "% scan 0 count 100000".to_string(),
                "% scan 0 match key:1* count 100000".to_string(),
            ]
        })
        .collect();
    let case: Vec<&str> = lines.iter().map(String::as_str).collect();
    assert_same_as_redis_unordered(&[&case]);
}

/// One SCAN walk to the end, COUNT `count`: every key it returned.
fn walk(conn: &mut Conn, count: usize) -> Vec<String> {
    let mut keys = Vec::new();
    let mut cursor = "0".to_string();
    loop {
        let reply = conn.call(&["SCAN", &cursor, "COUNT", &count.to_string()]);
        let (next, found) = scan_reply(&reply);
        keys.extend(found);
        cursor = next;
        if cursor == "0" {
            return keys;
        }
    }
}

/// `*2\r\n$N\r\ncursor\r\n*M\r\n$..key..`: the cursor and the keys.
fn scan_reply(reply: &[u8]) -> (String, Vec<String>) {
    let text = String::from_utf8_lossy(reply);
    let lines: Vec<&str> = text.split("\r\n").collect();
    assert_eq!(lines[0], "*2", "{text}");
    let cursor = lines[2].to_string();
    let count: usize = lines[3][1..].parse().unwrap();
    let keys = (0..count).map(|i| lines[5 + 2 * i].to_string()).collect();
    (cursor, keys)
}

/// Redis's guarantee, on this server: while two other clients add and
/// delete thousands of keys (the table doubling several times and
/// shrinking back), a walk returns every key that was there all along.
//@ passes from step 6
#[test]
fn a_walk_returns_every_key_that_stays_while_others_write() {
    let server = TestServer::start(&[]);
    let mut conn = server.connect();
    let stay: Vec<String> = (0..2000).map(|i| format!("stay:{i}")).collect();
    for chunk in stay.chunks(500) {
        let mut args = vec!["MSET"];
        for key in chunk {
            args.extend([key.as_str(), "v"]);
        }
        conn.call(&args);
    }
    let running = Arc::new(AtomicBool::new(true));
    let writers: Vec<_> = (0..2)
        .map(|w| {
            let running = Arc::clone(&running);
            let mut conn = server.connect();
            thread::spawn(move || {
                let mut round = 0;
                while running.load(Ordering::Relaxed) {
                    // Grow by 8,000 keys, then take them away again.
                    for i in 0..8000 {
                        conn.call(&["SET", &format!("tmp:{w}:{i}"), "v"]);
                    }
                    for i in 0..8000 {
                        conn.call(&["DEL", &format!("tmp:{w}:{i}")]);
                    }
                    round += 1;
                }
                round
            })
        })
        .collect();
    let mut walks = 0;
    for count in [1, 3, 10, 50] {
        for _ in 0..3 {
            let seen: HashSet<String> = walk(&mut conn, count).into_iter().collect();
            let missing: Vec<&String> = stay.iter().filter(|k| !seen.contains(*k)).collect();
            assert!(missing.is_empty(), "COUNT {count}: missed {missing:?}");
            walks += 1;
        }
    }
    running.store(false, Ordering::Relaxed);
    for writer in writers {
        writer.join().unwrap();
    }
    assert_eq!(walks, 12);
}
