//! Differential test of the list commands: the same requests to this
//! server and to a real `redis-server` 7.0, replies compared byte for byte.
//! A list's order is deterministic in Redis, so every reply must be equal.
//!
//! Besides the hand-written cases, a seeded random stream of list, string
//! and key commands over a few shared keys runs on one connection to each
//! server, reply by reply.
//!
//! Needs `redis-server` on the PATH; without it the tests say so loudly and
//! pass on a developer's machine, and fail under CI (`CI` set).

//@ passes from step 7

mod common;

use common::differential::{assert_same_as_redis, show, start_redis, Case, Rng};
use common::{encode, Conn, TestServer};
use Case::*;

#[rustfmt::skip]
fn cases() -> Vec<Case> {
    let mut cases = vec![
        // Pushing, and the arity of every command.
        Cmds(&["lpush l a b c", "rpush l d e", "lrange l 0 -1", "llen l"]),
        Cmds(&["lpush", "lpush l", "rpush l", "lpushx l", "rpushx l", "lpop", "rpop", "llen", "llen a b"]),
        Cmds(&["lrange l 0", "lindex l", "lset l 0", "lrem l 0", "ltrim l 0", "linsert l before a", "lpos l", "lmove a b left", "rpoplpush a", "lmpop 1 a"]),
        Cmds(&["lpushx l a", "rpushx l a", "exists l", "rpush l x", "lpushx l a b", "rpushx l y z", "lrange l 0 -1"]),
        Cmds(&["LPUSH l A", "LpUsH l b", "LRANGE l 0 -1", "LLEN l"]),
        Cmds(&["rpush l ''", "rpush l ''", "lrange l 0 -1", "llen l"]),
        // WRONGTYPE both ways.
        Cmds(&["set s v", "lpush s a", "rpush s a", "lpushx s a", "rpushx s a", "lpop s", "rpop s 2", "llen s", "lrange s 0 -1", "lindex s 0", "lset s 0 x", "lrem s 0 x", "ltrim s 0 1", "linsert s before a b", "lpos s a", "lmove s d left left", "rpoplpush s d", "lmpop 1 s left", "get s"]),
        Cmds(&["rpush l a", "get l", "set l v get", "append l x", "incr l", "strlen l", "getdel l", "getset l x", "mget l", "type l", "set l v", "type l", "llen l"]),
        Cmds(&["rpush l a", "incrby l 2", "decr l", "setnx l x", "lrange l 0 -1", "del l", "type l"]),
        // Popping, with and without a count.
        Cmds(&["lpop l", "lpop l 0", "lpop l 1", "rpop l 5", "lpop l -1", "lpop l abc", "lpop l 1 2"]),
        Cmds(&["rpush l a b c d e", "lpop l", "rpop l", "lpop l 0", "lpop l 2", "rpop l 5", "exists l", "lpop l 2", "rpop l"]),
        Cmds(&["rpush l a b c", "lpop l 9223372036854775807", "exists l"]),
        Cmds(&["rpush l a b c", "lpop l -1", "lpop l 1.5", "lpop l ' 1'", "lpop l 01", "rpop l -0", "lrange l 0 -1"]),
        Cmds(&["set s v", "lpop s 0", "lpop s abc", "rpop s -1", "lpop nokey abc"]),
        // LRANGE and LINDEX: every shape of index.
        Cmds(&["rpush l 1 2 3 4 5", "lrange l 0 -1", "lrange l -2 -1", "lrange l -100 100", "lrange l 5 1", "lrange l -1 -2", "lrange l 2 2", "lrange l 4 9", "lrange l 5 5", "lrange l -5 -5", "lrange l -6 -6"]),
        Cmds(&["rpush l 1 2 3", "lrange l -9223372036854775808 9223372036854775807", "lrange l 0 -9223372036854775808", "lrange l 9223372036854775807 0", "lrange l 1 -1"]),
        Cmds(&["lrange nokey a b", "lrange nokey 0 b", "lrange nokey 0 1", "set s v", "lrange s a b", "lrange s 0 1", "rpush l a", "lrange l 1.0 2", "lrange l 0 9223372036854775808"]),
        Cmds(&["rpush l a b c", "lindex l 0", "lindex l -1", "lindex l 2", "lindex l 3", "lindex l -3", "lindex l -4", "lindex l 9223372036854775807", "lindex l -9223372036854775808", "lindex l a", "lindex l ''"]),
        Cmds(&["lindex nokey a", "set s v", "lindex s a", "lindex s 0"]),
        // LSET: no such key, then the type, then the index.
        Cmds(&["lset nokey 0 x", "lset nokey a x", "set s v", "lset s a x", "rpush l a b c", "lset l a x", "lset l 3 x", "lset l -4 x", "lset l -1 z", "lset l 0 y", "lrange l 0 -1", "lset l 9223372036854775807 x", "lset l -9223372036854775808 x"]),
        // LREM from either end, and emptying the list.
        Cmds(&["rpush l a b a c a b a", "lrem l 2 a", "lrange l 0 -1", "lrem l -1 b", "lrange l 0 -1", "lrem l 0 a", "lrange l 0 -1", "lrem l 0 zz", "lrem l 5 b", "lrem l 1 c", "exists l"]),
        Cmds(&["rpush l a a a a a", "lrem l -2 a", "lrange l 0 -1", "lrem l 9223372036854775807 a", "exists l"]),
        Cmds(&["rpush l a a a", "lrem l -9223372036854775808 a", "exists l", "lrem l x a", "lrem nokey x a", "lrem nokey 0 a", "set s v", "lrem s x a", "lrem s 0 a"]),
        // LTRIM.
        Cmds(&["rpush l 1 2 3 4 5", "ltrim l 1 -2", "lrange l 0 -1", "ltrim l 0 0", "lrange l 0 -1", "ltrim l 5 10", "exists l"]),
        Cmds(&["rpush l 1 2 3 4 5", "ltrim l -2 -1", "lrange l 0 -1", "ltrim l 1 0", "exists l"]),
        Cmds(&["rpush l 1 2 3 4 5", "ltrim l -100 100", "lrange l 0 -1", "ltrim l -1 -9223372036854775808", "exists l"]),
        Cmds(&["ltrim nokey a b", "ltrim nokey 0 1", "set s v", "ltrim s 0 1", "ltrim s a b", "rpush l a", "ltrim l 0 b"]),
        // LINSERT: the position word first, then the key.
        Cmds(&["rpush l 1 2 3", "linsert l before 2 x", "linsert l after 3 y", "linsert l AFTER 1 z", "linsert l BeFoRe 1 w", "lrange l 0 -1", "linsert l before nope q", "llen l"]),
        Cmds(&["linsert nokey foo a x", "linsert nokey before a x", "exists nokey", "set s v", "linsert s foo a x", "linsert s after a x", "rpush l a a", "linsert l after a b", "lrange l 0 -1", "linsert l middle a b"]),
        // LPOS: options first, in any order, the last one winning.
        Cmds(&["rpush l a b c a b c a", "lpos l a", "lpos l c", "lpos l z", "lpos l a rank 1", "lpos l a rank 2", "lpos l a rank 3", "lpos l a rank 4", "lpos l a rank -1", "lpos l a rank -2", "lpos l a rank -4"]),
        Cmds(&["rpush l a b c a b c a", "lpos l a count 0", "lpos l a count 1", "lpos l a count 2", "lpos l a count 100", "lpos l z count 0", "lpos l a count 0 rank 2", "lpos l a count 2 rank -1", "lpos l a rank -2 count 0"]),
        Cmds(&["rpush l a b c a b c a", "lpos l a maxlen 1", "lpos l b maxlen 1", "lpos l a count 0 maxlen 4", "lpos l a rank -1 maxlen 1", "lpos l a rank -1 maxlen 2 count 0", "lpos l a maxlen 0 count 0", "lpos l a rank 2 maxlen 3"]),
        Cmds(&["rpush l a b c a b c a", "lpos l a rank 2 rank 1", "lpos l a count 1 count 0", "lpos l a RANK 2 COUNT 0 MAXLEN 9", "lpos l a rank 9223372036854775807", "lpos l a rank -9223372036854775807", "lpos l a count 9223372036854775807"]),
        Cmds(&["rpush l a b c a b c a", "lpos l a rank -9223372036854775808", "lpos l a rank -9223372036854775808 count 0", "lpos l a rank -9223372036854775808 count 2 maxlen 5"]),
        Cmds(&["rpush l a", "lpos l a rank 0", "lpos l a rank abc", "lpos l a count -1", "lpos l a count abc", "lpos l a maxlen -1", "lpos l a maxlen abc", "lpos l a foo", "lpos l a foo 1", "lpos l a rank", "lpos l a count 1 rank", "lpos l a rank 0 count -1", "lpos l a count -1 rank 0"]),
        Cmds(&["lpos nokey a", "lpos nokey a count 0", "lpos nokey a rank 0", "set s v", "lpos s a", "lpos s a rank 0", "lpos s a count -1", "lpos s a count 1"]),
        // LMOVE and RPOPLPUSH, to themselves too.
        Cmds(&["rpush a 1 2 3", "lmove a b left right", "lmove a b right left", "lrange a 0 -1", "lrange b 0 -1", "lmove a b LEFT LEFT", "exists a", "lmove a b left left", "lrange b 0 -1"]),
        Cmds(&["rpush l 1 2 3", "lmove l l left right", "lrange l 0 -1", "lmove l l right left", "lrange l 0 -1", "lmove l l left left", "lmove l l right right", "lrange l 0 -1"]),
        Cmds(&["rpush l x", "lmove l l left right", "lrange l 0 -1", "rpoplpush l l", "lrange l 0 -1", "lmove l m left right", "exists l", "lrange m 0 -1"]),
        Cmds(&["set s v", "rpush l a", "lmove s l left left", "lmove l s left left", "lrange l 0 -1", "lmove nokey s left left", "lmove nokey l left left", "rpoplpush l s", "rpoplpush s l", "rpoplpush nokey s"]),
        Cmds(&["lmove a b up left", "lmove a b left down", "set s v", "lmove s d foo left", "rpush l a", "lmove l d foo left", "lmove l d left ''"]),
        Cmds(&["rpush a 1 2 3", "rpoplpush a b", "rpoplpush a b", "rpoplpush a b", "rpoplpush a b", "lrange b 0 -1", "exists a"]),
        // LMPOP: numkeys, the end, COUNT, and which key.
        Cmds(&["lmpop 0 k left", "lmpop -1 k left", "lmpop abc k left", "lmpop 3 k left", "lmpop 2 k left", "lmpop 1 k k left", "lmpop 1 k foo", "lmpop 2147483648 k left", "lmpop 9223372036854775807 k left", "lmpop 9223372036854775808 k left"]),
        Cmds(&["lmpop 1 k left count", "lmpop 1 k left count 0", "lmpop 1 k left count -1", "lmpop 1 k left count abc", "lmpop 1 k left count 1 count 2", "lmpop 1 k left foo", "lmpop 1 k left foo 1", "lmpop 1 k LEFT COUNT 2", "lmpop 1 k left count 9223372036854775807"]),
        Cmds(&["set s v", "lmpop 1 s left", "lmpop 1 s left count abc", "lmpop 2 nokey s left", "rpush l a b c", "lmpop 2 l s left", "lmpop 2 nokey l right count 10", "lmpop 1 l left"]),
        Cmds(&["rpush a 1 2", "rpush b 3 4 5", "lmpop 2 a b left count 5", "lmpop 2 a b right", "lmpop 2 a b right count 1", "lmpop 3 x a b left count 2", "exists a b"]),
        // RESP3: null arrays and nulls become `_`.
        Cmds(&["hello 3", "lpop nokey", "lpop nokey 1", "lpop nokey 0", "rpush l a", "lpop l 0", "lpop l 5", "lmpop 1 nokey left", "lindex nokey 0", "lpos nokey a", "lpos nokey a count 0", "lmove nokey x left left", "rpoplpush nokey x", "lrange nokey 0 1"]),
        Cmds(&["hello 3", "rpush l a b c a", "lpos l a count 0", "lpos l z", "lmpop 1 l left count 2", "lrange l 0 -1", "lset nokey 0 x", "linsert nokey before a b"]),
        // Expired lists are gone for every command.
        Cmds(&["rpush l a b", "pexpireat l 1", "llen l", "exists l", "rpush l c", "lrange l 0 -1", "ttl l"]),
        Cmds(&["rpush l a b", "expire l 100", "lpop l", "ttl l", "rpop l", "exists l", "ttl l", "rpush l x", "ttl l"]),
        Cmds(&["rpush a x", "pexpireat a 1", "lmove a b left left", "rpush b y", "pexpireat b 1", "rpush a z", "lmove a b left left", "lrange b 0 -1", "lmpop 1 a left", "lpos a x"]),
        Cmds(&["rpush l a", "pexpireat l 1", "lset l 0 x", "lindex l 0", "linsert l before a b", "lrem l 0 a", "ltrim l 0 1", "lpushx l a", "dbsize"]),
        // WATCH sees a list change only where Redis signals one.
        Cmds(&["rpush l a b", "watch l", "lrem l 0 zz", "linsert l before zz x", "lpop l 0", "lpos l a", "lrange l 0 -1", "multi", "ping", "exec"]),
        Cmds(&["rpush l a b", "watch l", "lrem l 0 a", "multi", "ping", "exec"]),
        Cmds(&["rpush l a b", "watch l", "linsert l after a x", "multi", "ping", "exec"]),
        Cmds(&["rpush l a b", "watch l", "lpop l", "multi", "ping", "exec", "lrange l 0 -1"]),
        Cmds(&["rpush a x", "set s v", "watch a s", "lmove a s left left", "lset a 5 x", "lpushx nokey x", "multi", "ping", "exec"]),
        Cmds(&["rpush a x", "watch b", "lmove a b left left", "multi", "ping", "exec"]),
        Cmds(&["rpush l a", "watch l", "ltrim l 0 -1", "multi", "ping", "exec"]),
        Cmds(&["rpush l a", "watch l", "lmpop 1 l left count 5", "multi", "ping", "exec", "exists l"]),
        Cmds(&["multi", "rpush l a b", "lpop l 5", "lpos l a", "lmpop 1 l left", "exec"]),
        // COMMAND's view of the list commands.
        Cmds(&["command getkeys lmpop 2 a b left count 3", "command getkeys lmove a b left right", "command getkeys lpush l a b", "command getkeys rpoplpush a b"]),
    ];
    // Binary elements and pivots.
    let mut binary = encode(&[b"RPUSH", b"l\x00", b"a\x00b", b"\xff\r\n", b""]);
    for args in [
        &[&b"LRANGE"[..], b"l\x00", b"0", b"-1"][..],
        &[b"LPOS", b"l\x00", b"\xff\r\n"],
        &[b"LINSERT", b"l\x00", b"AFTER", b"a\x00b", b"\x00"],
        &[b"LREM", b"l\x00", b"0", b""],
        &[b"LRANGE", b"l\x00", b"0", b"-1"],
    ] {
        binary.extend_from_slice(&encode(args));
    }
    cases.push(Built(binary));
    // A long list, and long elements (past any inline size).
    let mut long = Vec::new();
    let elements: Vec<String> = (0..1000).map(|i| format!("e{i}")).collect();
    let mut push: Vec<&[u8]> = vec![b"RPUSH", b"big"];
    push.extend(elements.iter().map(|e| e.as_bytes()));
    long.extend_from_slice(&encode(&push));
    let big_element = vec![b'x'; 10_000];
    long.extend_from_slice(&encode(&[b"LPUSH", b"big", &big_element]));
    for args in [
        &[&b"LRANGE"[..], b"big", b"995", b"1005"][..],
        &[b"LINDEX", b"big", b"0"],
        &[b"LPOS", b"big", b"e999"],
        &[b"LPOS", b"big", b"e500", b"RANK", b"-1", b"MAXLEN", b"400"],
        &[b"LPOS", b"big", b"e500", b"RANK", b"-1", b"MAXLEN", b"600"],
        &[b"LTRIM", b"big", b"100", b"-100"],
        &[b"LLEN", b"big"],
        &[b"LPOP", b"big", b"3"],
        &[b"RPOP", b"big", b"3"],
        &[b"LMPOP", b"1", b"big", b"LEFT", b"COUNT", b"2"],
        &[b"LREM", b"big", b"0", b"e500"],
        &[b"LLEN", b"big"],
        &[b"LRANGE", b"big", b"-3", b"-1"],
    ] {
        long.extend_from_slice(&encode(args));
    }
    cases.push(Built(long));
    cases
}

/// A client blocked in BLPOP or BRPOP is served by the writes of the list
/// commands (a push, a move into its key), as in Redis: the same replies
/// on both servers, to the blocked client and to the writer.
#[test]
fn list_writes_serve_blocked_clients_as_in_redis() {
    let Some(redis) = start_redis("the blocked-client test") else {
        return;
    };
    let ours = TestServer::start(&[]);
    let mut transcripts = Vec::new();
    for port in [redis.port, ours.port] {
        let (mut blocked, mut writer) = (Conn::connect(port), Conn::connect(port));
        let mut transcript = Vec::new();
        let scenarios: &[(&[&str], &[&[&str]])] = &[
            (
                &["BLPOP", "k", "5"],
                &[&["RPUSH", "k", "a", "b"], &["LRANGE", "k", "0", "-1"]],
            ),
            (
                &["BRPOP", "d", "5"],
                &[
                    &["RPUSH", "s", "x"],
                    &["LMOVE", "s", "d", "LEFT", "LEFT"],
                    &["EXISTS", "d"],
                ],
            ),
            (
                &["BLPOP", "e", "5"],
                &[&["RPOPLPUSH", "k", "e"], &["LLEN", "e"]],
            ),
            (
                &["BLPOP", "n", "o", "5"],
                &[
                    &["LPUSHX", "o", "x"],
                    &["LPUSH", "o", "y", "z"],
                    &["LRANGE", "o", "0", "-1"],
                ],
            ),
            (
                &["BRPOP", "m", "5"],
                &[
                    &["LINSERT", "m", "BEFORE", "a", "b"],
                    &["RPUSH", "m", "1", "2"],
                    &["LRANGE", "m", "0", "-1"],
                ],
            ),
        ];
        for (wait, writes) in scenarios {
            blocked.send(wait);
            std::thread::sleep(std::time::Duration::from_millis(100));
            for write in writes.iter() {
                transcript.push(writer.call(write));
            }
            transcript.push(blocked.read_reply());
        }
        transcripts.push(transcript);
    }
    let shown = |t: &[Vec<u8>]| t.iter().map(|r| show(r)).collect::<Vec<_>>().join("\n");
    assert!(
        transcripts[0] == transcripts[1],
        "redis:\n{}\nours:\n{}",
        shown(&transcripts[0]),
        shown(&transcripts[1])
    );
}

#[test]
fn list_replies_are_byte_identical_to_redis() {
    let cases = cases();
    eprintln!("{} list cases", cases.len());
    assert_same_as_redis(&cases);
}

/// A small index, often negative, sometimes out of range.
fn index(rng: &mut Rng) -> String {
    (rng.below(15) as i64 - 7).to_string()
}

const KEYS: &[&str] = &["a", "b", "c"];
const ELEMENTS: &[&str] = &["x", "y", "z", "1", ""];

fn random_command(rng: &mut Rng) -> Vec<String> {
    let key = rng.pick(KEYS).to_string();
    let element = |rng: &mut Rng| rng.pick(ELEMENTS).to_string();
    let end = |rng: &mut Rng| rng.pick(&["LEFT", "RIGHT", "left"]).to_string();
    let mut words: Vec<String> = match rng.below(24) {
        0..=3 => {
            let name = rng.pick(&["LPUSH", "RPUSH", "LPUSHX", "RPUSHX", "RPUSH"]);
            let mut words = vec![name.to_string(), key];
            for _ in 0..=rng.below(3) {
                words.push(element(rng));
            }
            words
        }
        4 | 5 => {
            let name = rng.pick(&["LPOP", "RPOP"]).to_string();
            match rng.below(3) {
                0 => vec![name, key],
                _ => vec![name, key, rng.below(4).to_string()],
            }
        }
        6 => vec!["LLEN".into(), key],
        7 | 8 => vec!["LRANGE".into(), key, index(rng), index(rng)],
        9 => vec!["LINDEX".into(), key, index(rng)],
        10 => vec!["LSET".into(), key, index(rng), element(rng)],
        11 => vec![
            "LREM".into(),
            key,
            (rng.below(5) as i64 - 2).to_string(),
            element(rng),
        ],
        12 => vec!["LTRIM".into(), key, index(rng), index(rng)],
        13 => {
            let side = rng.pick(&["BEFORE", "AFTER"]).to_string();
            vec!["LINSERT".into(), key, side, element(rng), element(rng)]
        }
        14 | 15 => {
            let mut words = vec!["LPOS".into(), key, element(rng)];
            if rng.below(2) == 0 {
                let rank = rng.pick(&["1", "2", "-1", "-2", "3"]);
                words.extend(["RANK".into(), rank.to_string()]);
            }
            if rng.below(2) == 0 {
                words.extend(["COUNT".into(), rng.below(3).to_string()]);
            }
            if rng.below(3) == 0 {
                words.extend(["MAXLEN".into(), rng.below(4).to_string()]);
            }
            words
        }
        16 => {
            let to = rng.pick(KEYS).to_string();
            vec!["LMOVE".into(), key, to, end(rng), end(rng)]
        }
        17 => vec!["RPOPLPUSH".into(), key, rng.pick(KEYS).to_string()],
        18 => {
            let mut words = vec![
                "LMPOP".into(),
                "2".into(),
                key,
                rng.pick(KEYS).to_string(),
                end(rng),
            ];
            if rng.below(2) == 0 {
                words.extend(["COUNT".into(), (1 + rng.below(3)).to_string()]);
            }
            words
        }
        19 => vec!["SET".into(), key, element(rng)],
        20 => vec!["GET".into(), key],
        21 => vec!["DEL".into(), key],
        22 => vec!["TYPE".into(), key],
        _ => vec!["EXISTS".into(), key, rng.pick(KEYS).to_string()],
    };
    // Now and then a command in another case, as clients may send it.
    if rng.below(10) == 0 {
        words[0] = words[0].to_lowercase();
    }
    words
}

/// Sends `count` random commands (from `seed`) to both servers, one
/// connection each, and compares every reply; fails at the first that
/// differs, with the seed and the commands that led there.
fn random_stream(seed: u64, count: usize, make: fn(&mut Rng) -> Vec<String>) {
    let Some(redis) = start_redis("the random list stream") else {
        return;
    };
    let ours = TestServer::start(&[]);
    let (mut theirs, mut mine) = (Conn::connect(redis.port), Conn::connect(ours.port));
    let mut rng = Rng(seed);
    let mut history = Vec::new();
    for step in 0..count {
        let words = make(&mut rng);
        let args: Vec<&[u8]> = words.iter().map(|w| w.as_bytes()).collect();
        let request = encode(&args);
        theirs.send_raw(&request);
        mine.send_raw(&request);
        let (expected, got) = (theirs.read_reply(), mine.read_reply());
        history.push(words.join(" "));
        assert!(
            expected == got,
            "seed {seed:#x}, step {step}: `{}`\n   redis: {}\n    ours: {}\nthe commands before it:\n{}",
            words.join(" "),
            show(&expected),
            show(&got),
            history[history.len().saturating_sub(30)..].join("\n")
        );
    }
}

//@ passes from step 6
#[test]
fn a_random_stream_of_list_commands_matches_redis() {
    random_stream(0x5eed_0f11_5d5d, 2000, random_command);
}

/// Elements for long lists: short ones, one past a one-byte length (130
/// bytes), and one longer than a whole chunk of the packed list (9,000).
fn long_list_element(rng: &mut Rng) -> String {
    match rng.below(10) {
        0 => "p".repeat(130),
        1 => "q".repeat(9000),
        2 => String::new(),
        n => format!("e{}", n % 4),
    }
}

/// An index into a list of a few thousand elements, from either end.
fn long_index(rng: &mut Rng) -> String {
    (rng.below(8000) as i64 - 4000).to_string()
}

/// Commands on two lists that grow to thousands of elements, so that they
/// span many chunks of the packed list: pushes of many elements, indexes
/// far from the ends, pops and trims of hundreds, edits in the middle.
fn random_long_list_command(rng: &mut Rng) -> Vec<String> {
    let key = rng.pick(&["a", "b"]).to_string();
    match rng.below(16) {
        0..=3 => {
            let name = rng.pick(&["LPUSH", "RPUSH"]).to_string();
            let mut words = vec![name, key];
            for _ in 0..1 + rng.below(120) {
                words.push(long_list_element(rng));
            }
            words
        }
        4 => {
            let name = rng.pick(&["LPOP", "RPOP"]).to_string();
            vec![name, key, rng.below(300).to_string()]
        }
        5 | 6 => {
            let from = long_index(rng);
            let to = if rng.below(2) == 0 {
                long_index(rng)
            } else {
                (from.parse::<i64>().unwrap() + rng.below(200) as i64).to_string()
            };
            vec!["LRANGE".into(), key, from, to]
        }
        7 => vec!["LINDEX".into(), key, long_index(rng)],
        8 => vec!["LSET".into(), key, long_index(rng), long_list_element(rng)],
        9 => {
            let side = rng.pick(&["BEFORE", "AFTER"]).to_string();
            vec![
                "LINSERT".into(),
                key,
                side,
                long_list_element(rng),
                long_list_element(rng),
            ]
        }
        10 => vec![
            "LREM".into(),
            key,
            (rng.below(21) as i64 - 10).to_string(),
            long_list_element(rng),
        ],
        11 => {
            let start = rng.below(50).to_string();
            let stop = (-(rng.below(50) as i64) - 1).to_string();
            vec!["LTRIM".into(), key, start, stop]
        }
        12 => {
            let mut words = vec!["LPOS".into(), key, long_list_element(rng)];
            let rank = rng.pick(&["1", "3", "-1", "-4"]);
            words.extend(["RANK".into(), rank.to_string()]);
            words.extend(["COUNT".into(), rng.below(5).to_string()]);
            words.extend(["MAXLEN".into(), rng.below(3000).to_string()]);
            words
        }
        13 => vec![
            "LMOVE".into(),
            key,
            rng.pick(&["a", "b"]).to_string(),
            rng.pick(&["LEFT", "RIGHT"]).to_string(),
            rng.pick(&["LEFT", "RIGHT"]).to_string(),
        ],
        _ => vec!["LLEN".into(), key],
    }
}

//@ passes from step 6
#[test]
fn a_random_stream_over_long_lists_matches_redis() {
    random_stream(0x10_6115_7500, 1500, random_long_list_command);
}
