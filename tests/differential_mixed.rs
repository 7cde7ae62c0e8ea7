//! Every type on the same few keys: a seeded random stream of string, list,
//! hash, set and sorted-set commands, with MULTI/EXEC/DISCARD among them,
//! sent to a real `redis-server` and to ours, reply by reply. Types clash
//! on purpose, so WRONGTYPE paths are taken as often as the others.
//! Commands whose output is random (SPOP, RANDOMKEY...) are left out; sets
//! hold only small integers, which Redis keeps in an intset, in order.
//!
//! `SEED=n cargo test --test differential_mixed` replays one stream.
//! Needs `redis-server` (see `tests/redis_differential.rs`).

//@ passes from step 7

mod common;

use common::differential::{show, start_redis, Rng};
use common::{encode, Conn, TestServer};

fn pick(rng: &mut Rng, words: &[&str]) -> String {
    rng.pick(words).to_string()
}

fn small(rng: &mut Rng) -> String {
    (rng.below(9) as i64 - 4).to_string()
}

const KEYS: &[&str] = &["a", "b", "c"];
const VALUES: &[&str] = &["1", "2", "x", "10", ""];
const MEMBERS: &[&str] = &["1", "2", "3", "5", "8"];
const FIELDS: &[&str] = &["f", "g", "h"];

fn random_command(rng: &mut Rng) -> Vec<String> {
    let key = pick(rng, KEYS);
    let other = pick(rng, KEYS);
    let value = pick(rng, VALUES);
    let member = pick(rng, MEMBERS);
    let field = pick(rng, FIELDS);
    let words: Vec<String> = match rng.below(40) {
        0 => vec!["SET".into(), key, value],
        1 => vec!["GET".into(), key],
        2 => vec!["INCR".into(), key],
        3 => vec!["APPEND".into(), key, value],
        4 => vec!["STRLEN".into(), key],
        5 => vec!["GETRANGE".into(), key, small(rng), small(rng)],
        6 => vec!["DEL".into(), key],
        7 => vec!["TYPE".into(), key],
        8 => vec!["EXISTS".into(), key, other],
        9 => vec!["RENAME".into(), key, other],
        10 => vec!["COPY".into(), key, other, "REPLACE".into()],
        11 => vec!["LPUSH".into(), key, value, member],
        12 => vec!["RPUSH".into(), key, value],
        13 => vec!["LPOP".into(), key],
        14 => vec!["LRANGE".into(), key, small(rng), small(rng)],
        15 => vec!["LMOVE".into(), key, other, "LEFT".into(), "RIGHT".into()],
        16 => vec!["LLEN".into(), key],
        17 => vec!["HSET".into(), key, field, value],
        18 => vec!["HGET".into(), key, field],
        19 => vec!["HGETALL".into(), key],
        20 => vec!["HDEL".into(), key, field],
        21 => vec!["HINCRBY".into(), key, field, small(rng)],
        22 => vec!["SADD".into(), key, member.clone(), pick(rng, MEMBERS)],
        23 => vec!["SREM".into(), key, member],
        24 => vec!["SMEMBERS".into(), key],
        25 => vec!["SISMEMBER".into(), key, member],
        26 => vec!["SINTER".into(), key, other],
        27 => vec!["SUNIONSTORE".into(), other.clone(), key, other],
        28 => vec!["ZADD".into(), key, small(rng), member],
        29 => vec!["ZINCRBY".into(), key, small(rng), member],
        30 => vec![
            "ZRANGE".into(),
            key,
            "0".into(),
            "-1".into(),
            "WITHSCORES".into(),
        ],
        31 => vec!["ZPOPMIN".into(), key],
        32 => vec!["ZSCORE".into(), key, member],
        33 => vec!["ZCARD".into(), key],
        34 => vec!["EXPIRE".into(), key, "100".into()],
        35 => vec!["TTL".into(), key],
        36 => vec!["MULTI".into()],
        37 => vec!["EXEC".into()],
        38 => vec!["DISCARD".into()],
        _ => vec!["DBSIZE".into()],
    };
    words
}

#[test]
fn a_random_stream_of_every_type_matches_redis() {
    let seeds: Vec<u64> = match std::env::var("SEED") {
        Ok(seed) => vec![seed.parse().expect("SEED is a number")],
        Err(_) => vec![0x00c0_ffee, 0x0bad_5eed, 0x1234_5678],
    };
    let Some(redis) = start_redis("the mixed random stream") else {
        return;
    };
    let ours = TestServer::start(&["--hz", "1"]);
    for seed in seeds {
        let (mut theirs, mut mine) = (Conn::connect(redis.port), Conn::connect(ours.port));
        theirs.call(&["FLUSHALL"]);
        mine.call(&["FLUSHALL"]);
        let mut rng = Rng(seed);
        let mut history = Vec::new();
        for step in 0..1500 {
            let words = random_command(&mut rng);
            let args: Vec<&[u8]> = words.iter().map(|w| w.as_bytes()).collect();
            let request = encode(&args);
            theirs.send_raw(&request);
            mine.send_raw(&request);
            let (expected, got) = (theirs.read_reply(), mine.read_reply());
            history.push(words.join(" "));
            assert!(
                expected == got,
                "seed {seed}, step {step}: `{}`\n   redis: {}\n    ours: {}\nthe commands before it:\n{}",
                words.join(" "),
                show(&expected),
                show(&got),
                history[history.len().saturating_sub(25)..].join("\n")
            );
        }
    }
}
