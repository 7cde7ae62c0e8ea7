//! Differential test of the hash commands: the same requests to this
//! server and to a real `redis-server` 7.0, replies compared byte for byte.
//!
//! A small hash (at most 512 fields, none of its fields or values over 64
//! bytes) is a listpack in Redis, listed in insertion order; ours keeps
//! that order, so every reply about one must be the same bytes. A bigger
//! hash is a hash table in Redis, in an order of its own, and ours lists
//! it in another: for those, the replies are compared as unordered (the
//! elements, or the field-value pairs, sorted first). HRANDFIELD is random:
//! its replies are checked against its rules on both servers. HSCAN of a
//! big hash is checked for SCAN's guarantee, on both servers.
//!
//! Needs `redis-server` on the PATH; without it the tests say so loudly and
//! pass on a developer's machine, and fail under CI (`CI` set).

//@ passes from step 7

mod common;

use std::collections::{BTreeSet, HashMap};

use common::differential::{assert_same_as_redis, show, start_redis, Case, Rng};
use common::{encode, Conn, TestServer};
use Case::*;

#[rustfmt::skip]
fn cases() -> Vec<Case> {
    let mut cases = vec![
        // Insertion order: an overwrite keeps its place, a deletion closes the gap.
        Cmds(&["hset h f v g w", "hset h f v2 x y", "hgetall h", "hdel h g", "hgetall h", "hset h g z", "hgetall h", "hkeys h", "hvals h", "hlen h"]),
        Cmds(&["hset h a 1 b 2 c 3 a 4", "hgetall h", "hset h c 5 d 6", "hgetall h", "hmset h b 7 e 8", "hgetall h"]),
        Cmds(&["hset h a 1", "hdel h a", "exists h", "hset h b 2 a 1", "hgetall h"]),
        Cmds(&["hset h a 1 b 2 c 3 d 4 e 5", "hdel h b", "hgetall h", "hdel h a d", "hkeys h", "hset h b 6", "hvals h", "hscan h 0"]),
        // Arity, including the odd ones of HSET and HMSET.
        Cmds(&["hset", "hset h", "hset h f", "hset h f v g", "hmset h f", "hmset h f v g", "hsetnx h f", "hget h", "hmget h", "hdel h", "hlen", "hexists h", "hgetall", "hkeys", "hvals", "hincrby h f", "hincrbyfloat h f", "hstrlen h", "hrandfield", "hscan h"]),
        Cmds(&["hget h f g", "hlen h x", "hgetall h x", "hstrlen h f g", "hsetnx h f v x", "hincrby h f 1 2"]),
        // WRONGTYPE both ways.
        Cmds(&["set s v", "hset s f v", "hsetnx s f v", "hmset s f v", "hget s f", "hmget s f", "hdel s f", "hlen s", "hexists s f", "hgetall s", "hkeys s", "hvals s", "hincrby s f 1", "hincrbyfloat s f 1", "hstrlen s f", "hrandfield s", "hrandfield s 1", "hrandfield s 0", "hscan s 0", "get s"]),
        Cmds(&["rpush l a", "hset l f v", "hget l f", "hgetall l", "hscan l 0"]),
        Cmds(&["hset h f v", "get h", "set h v get", "append h x", "incr h", "strlen h", "getset h x", "mget h", "lpush h x", "lrange h 0 -1", "type h", "set h v", "type h", "hget h f"]),
        // Missing keys.
        Cmds(&["hget h f", "hmget h a b", "hdel h a", "hlen h", "hexists h f", "hgetall h", "hkeys h", "hvals h", "hstrlen h f", "hrandfield h", "hrandfield h 5", "hrandfield h -5 withvalues", "hscan h 0", "exists h"]),
        // HSETNX, HGET, HMGET, HDEL, HEXISTS, HSTRLEN.
        Cmds(&["hsetnx h f q", "hsetnx h f r", "hget h f", "hsetnx h g ''", "hgetall h", "hstrlen h f", "hstrlen h g", "hstrlen h nope"]),
        Cmds(&["hset h a 1 b 2 c 3", "hmget h a zz c a", "hdel h a a zz", "hdel h b c", "exists h", "hdel h b"]),
        Cmds(&["hset h f v", "hexists h f", "hexists h g", "hexists h ''", "hset h '' empty", "hget h ''", "hexists h ''", "hgetall h"]),
        // HINCRBY: the increment first, then the type, then the value.
        Cmds(&["hset h a 1", "hincrby h a 5", "hincrby h n 1", "hincrby h a abc", "hincrby h a 1.5", "hincrby h a ' 1'", "hincrby h a 01", "hincrby h a -0", "hgetall h"]),
        Cmds(&["set s v", "hincrby s a abc", "hincrby s a 1", "hincrby nokey a abc", "exists nokey"]),
        Cmds(&["hincrby h new 9223372036854775807", "hincrby h new 1", "hincrby h new -9223372036854775808", "hincrby h new -1", "hget h new", "hincrby h m -9223372036854775808", "hincrby h m -1", "hincrby h m 0"]),
        Cmds(&["hset h bad 1.5 sp ' 1' z -0 e '' lead 01 big 9223372036854775807", "hincrby h bad 1", "hincrby h sp 1", "hincrby h z 1", "hincrby h e 1", "hincrby h lead 1", "hincrby h big 1", "hincrby h big -1", "hgetall h"]),
        // HINCRBYFLOAT: long double sums, printed as Redis prints them.
        Cmds(&["hincrbyfloat h f 0.1", "hincrbyfloat h f 0.1", "hincrbyfloat h f 0.1", "hincrbyfloat h f -0.3", "hincrbyfloat h f 1e-20", "hget h f"]),
        Cmds(&["hincrbyfloat h f abc", "hincrbyfloat h f inf", "hincrbyfloat h f -inf", "hincrbyfloat h f INFINITY", "hincrbyfloat h f nan", "hincrbyfloat h f ''", "hincrbyfloat h f ' 1'", "hincrbyfloat h f '1 '", "hincrbyfloat h f 1e", "hincrbyfloat h f .", "hincrbyfloat h f 1_0", "exists h"]),
        Cmds(&["set s v", "hincrbyfloat s f abc", "hincrbyfloat s f inf", "hincrbyfloat s f 1", "hincrbyfloat nokey f abc"]),
        Cmds(&["hincrbyfloat h a 5.0e3", "hincrbyfloat h b 3.0", "hincrbyfloat h c 1.23456789012345678901", "hincrbyfloat h d 100000000000000000000", "hincrbyfloat h e 1e17", "hincrbyfloat h f 0x10", "hincrbyfloat h g .5", "hincrbyfloat h i -0", "hincrbyfloat h j 1e-320", "hincrbyfloat h k 123456789.123456789", "hgetall h"]),
        Cmds(&["hincrbyfloat h a +5", "hincrbyfloat h b 1e21", "hincrbyfloat h c -1.5e-7", "hincrbyfloat h d 3.0000000000000004", "hincrbyfloat h e 0.30000000000000004", "hincrbyfloat h f 1.", "hincrbyfloat h g -.5e1", "hincrbyfloat h i 1e+2", "hincrbyfloat h j 0x1p-3", "hincrbyfloat h k 0x.8", "hincrbyfloat h l 0x1.fffffffffffffffffffp0", "hincrbyfloat h m 0X1P4"]),
        Cmds(&["hincrbyfloat h a 0.000000000000000005", "hincrbyfloat h b 0.000000000000000015", "hincrbyfloat h c 0.0000000000000000050000001", "hincrbyfloat h d 0.000000000000000025", "hincrbyfloat h e -0.000000000000000005", "hincrbyfloat h f 9.999999999999999999", "hgetall h"]),
        Cmds(&["hset h x 1.5 y 7 z -0 e '' hex 0x10 sp ' 5' big 1e5000 n nan i inf t '1 '", "hincrbyfloat h x 1", "hincrbyfloat h y 0.5", "hincrbyfloat h z -0", "hincrbyfloat h e 1", "hincrbyfloat h hex 1", "hincrbyfloat h sp 1", "hincrbyfloat h big 1", "hincrbyfloat h n 1", "hincrbyfloat h i 1", "hincrbyfloat h t 1", "hgetall h"]),
        Cmds(&["hincrbyfloat h ll 9223372036854775807", "hincrbyfloat h ll 1", "hincrbyfloat h ll -9223372036854775808", "hincrbyfloat h m -9223372036854775808", "hincrbyfloat h m -1"]),
        Cmds(&["hincrbyfloat h a 1e300", "hincrbyfloat h a 1e300", "hincrbyfloat h b 1.7976931348623157e308", "hincrbyfloat h b 1.7976931348623157e308"]),
        Cmds(&["hincrbyfloat h a 1e4932", "hincrbyfloat h a 1e4932", "hincrbyfloat h b -1e4932", "hincrbyfloat h b -1e4932", "hincrbyfloat h c 1e-5000", "hincrbyfloat h c 0e-5000", "hincrbyfloat h c 1e-4940", "hincrbyfloat h d 1e4933", "hincrbyfloat h d 1.1e4932"]),
        Cmds(&["hincrbyfloat h 0.1 0.2", "hincrbyfloat h f 1", "hincrbyfloat h f 2.5", "hincrby h f 1", "hincrbyfloat h f -3.5", "hincrby h f 1"]),
        // HRANDFIELD where it is not random: errors, empty, and the whole hash.
        Cmds(&["hrandfield nokey", "hrandfield nokey 5", "hrandfield nokey 0", "hrandfield nokey -5 withvalues", "hrandfield nokey abc", "hrandfield nokey 1 foo", "hrandfield nokey 0 withvalues"]),
        Cmds(&["hset h a 1 b 2 c 3", "hrandfield h abc", "hrandfield h 1 foo", "hrandfield h 1 withvalues x", "hrandfield h 0", "hrandfield h 0 withvalues", "hrandfield h -9223372036854775808", "hrandfield h 100", "hrandfield h 3", "hrandfield h 100 WITHVALUES", "hrandfield h 9223372036854775807"]),
        Cmds(&["hset h a 1 b 2 c 3", "hrandfield h 4611686018427387903 withvalues", "hrandfield h 4611686018427387904 withvalues", "hrandfield h -4611686018427387904 withvalues", "hrandfield h -9223372036854775807 withvalues", "hrandfield h 9223372036854775807 withvalues", "hrandfield nokey 4611686018427387904 withvalues"]),
        Cmds(&["hset h only 1", "hrandfield h", "hrandfield h 1", "hrandfield h -3", "hrandfield h -2 withvalues", "hrandfield h 1 withvalues"]),
        Cmds(&["set s v", "hrandfield s abc", "hrandfield s 1 foo", "hrandfield s 0", "hrandfield s 1 withvalues"]),
        // HSCAN of a small hash: all of it, whatever the cursor and COUNT.
        Cmds(&["hset h a 1 b 2 c 3", "hscan h 0", "hscan h 5", "hscan h ''", "hscan h +5", "hscan h -1", "hscan h 18446744073709551615", "hscan h -18446744073709551615", "hscan h 0 count 1", "hscan h 0 COUNT 1000"]),
        Cmds(&["hset h a 1 b 2 c 3", "hscan h abc", "hscan h 18446744073709551616", "hscan h -18446744073709551616", "hscan h ' 1'", "hscan h '1 '", "hscan h 0x10", "hscan h -", "hscan h 1.0"]),
        Cmds(&["hset h a 1 b 2 ab 3", "hscan h 0 match a*", "hscan h 0 MATCH *b", "hscan h 0 match a* match b*", "hscan h 0 match * count 1", "hscan h 0 match z*", "hscan h 0 count 1 count 2 match ?b"]),
        Cmds(&["hset h a 1", "hscan h 0 count 0", "hscan h 0 count -1", "hscan h 0 count abc", "hscan h 0 count", "hscan h 0 match", "hscan h 0 foo 1", "hscan h 0 type string", "hscan h 0 novalues", "hscan h abc count 0"]),
        Cmds(&["hscan nokey 0 count 0", "hscan nokey 0 foo", "hscan nokey abc", "set s v", "hscan s abc", "hscan s 0 count 0", "hscan s 0"]),
        // RESP3: HGETALL is a map, HRANDFIELD WITHVALUES an array of pairs.
        Cmds(&["hello 3", "hset h a 1 b 2", "hgetall h", "hgetall nokey", "hrandfield h 5 withvalues", "hrandfield h 5", "hrandfield nokey 1 withvalues", "hrandfield nokey", "hrandfield h 0 withvalues", "hscan h 0", "hmget h a z", "hget h z", "hincrbyfloat h a 1.5", "hkeys nokey", "hvals h"]),
        Cmds(&["hello 3", "hset h only v", "hrandfield h -2 withvalues", "hrandfield h 1 withvalues", "hrandfield h", "hscan nokey 0"]),
        // Expired hashes are gone for every command.
        Cmds(&["hset h a 1", "pexpireat h 1", "hlen h", "hget h a", "hset h b 2", "hgetall h", "ttl h"]),
        Cmds(&["hset h a 1", "expire h 100", "hset h b 2", "hdel h a", "ttl h", "hdel h b", "exists h", "hset h c 3", "ttl h"]),
        Cmds(&["hset h a 1", "pexpireat h 1", "hincrby h a 1", "hset h a 1 b 2", "pexpireat h 1", "hincrbyfloat h b 1", "hgetall h", "pexpireat h 1", "hsetnx h a 5", "hgetall h", "pexpireat h 1", "hscan h 0", "hrandfield h 5", "dbsize"]),
        // WATCH sees a hash change only where Redis signals one.
        Cmds(&["hset h a 1", "watch h", "hdel h zz", "hsetnx h a 2", "hget h a", "multi", "ping", "exec"]),
        Cmds(&["hset h a 1", "watch h", "hsetnx h b 2", "multi", "ping", "exec"]),
        Cmds(&["hset h a 1", "watch h", "hdel h a", "multi", "ping", "exec"]),
        Cmds(&["hset h a x", "watch h", "hincrby h a 1", "hincrbyfloat h a 1", "multi", "ping", "exec"]),
        Cmds(&["hset h a 1", "watch h", "hset h a 1", "multi", "ping", "exec"]),
        Cmds(&["hset h a 1", "watch h", "hincrbyfloat h a 0", "multi", "ping", "exec"]),
        Cmds(&["multi", "hset h a 1", "hincrbyfloat h a 0.5", "hgetall h", "hrandfield h 5 withvalues", "exec"]),
        // COMMAND's view of the hash commands.
        Cmds(&["command getkeys hset h a 1", "command getkeys hmget h a b", "command getkeys hscan h 0"]),
    ];
    // Binary fields and values.
    let mut binary = encode(&[b"HSET", b"h\x00", b"f\x00", b"\xff\r\n", b"", b"empty"]);
    for args in [
        &[&b"HGETALL"[..], b"h\x00"][..],
        &[b"HGET", b"h\x00", b"f\x00"],
        &[b"HSTRLEN", b"h\x00", b"f\x00"],
        &[b"HSCAN", b"h\x00", b"0", b"MATCH", b"f*"],
        &[b"HSCAN", b"h\x00", b"0\x00junk"],
        &[b"HDEL", b"h\x00", b""],
        &[b"HKEYS", b"h\x00"],
    ] {
        binary.extend_from_slice(&encode(args));
    }
    cases.push(Built(binary));
    // The listpack's limits, exactly: 512 fields and 64-byte values still
    // keep insertion order (byte-identical replies).
    let mut at_limits = Vec::new();
    let fields: Vec<String> = (0..512).map(|i| format!("field:{}", 511 - i)).collect();
    let mut hset: Vec<&[u8]> = vec![b"HSET", b"h"];
    for field in &fields {
        hset.extend([field.as_bytes(), b"v".as_slice()]);
    }
    at_limits.extend_from_slice(&encode(&hset));
    let value_64 = vec![b'v'; 64];
    let field_64 = vec![b'f'; 64];
    for args in [
        &[&b"HGETALL"[..], b"h"][..],
        &[b"HSET", b"h", b"field:3", &value_64],
        &[b"HSCAN", b"h", b"0", b"COUNT", b"3"],
        &[b"HRANDFIELD", b"h", b"600"],
        &[b"HSET", b"small", &field_64, &value_64, b"x", b"y"],
        &[b"HSETNX", b"small", &field_64, &value_64],
        &[b"HINCRBYFLOAT", b"small", b"x", b"1"],
        &[b"HGETALL", b"small"],
    ] {
        at_limits.extend_from_slice(&encode(args));
    }
    cases.push(Built(at_limits));
    // HINCRBYFLOAT's strings: 5119 bytes are read, 5120 are too many.
    let mut long_float = b"1.".to_vec();
    long_float.resize(5119, b'0');
    let mut too_long = long_float.clone();
    too_long.push(b'0');
    let mut floats = encode(&[b"HINCRBYFLOAT", b"h", b"f", &long_float]);
    floats.extend_from_slice(&encode(&[b"HINCRBYFLOAT", b"h", b"f", &too_long]));
    floats.extend_from_slice(&encode(&[b"HSET", b"h", b"g", &too_long, b"k", &long_float]));
    floats.extend_from_slice(&encode(&[b"HINCRBYFLOAT", b"h", b"g", b"1"]));
    floats.extend_from_slice(&encode(&[b"HINCRBYFLOAT", b"h", b"k", b"1"]));
    let mut tiny = b"0.".to_vec();
    tiny.resize(5000, b'0');
    tiny.extend_from_slice(b"123");
    floats.extend_from_slice(&encode(&[b"HINCRBYFLOAT", b"h", b"t", &tiny]));
    cases.push(Built(floats));
    cases
}

#[test]
fn hash_replies_are_byte_identical_to_redis() {
    let cases = cases();
    eprintln!("{} hash cases", cases.len());
    assert_same_as_redis(&cases);
}

// ---------------------------------------------------------------------------
// Replies compared as unordered, for big hashes.

/// A parsed RESP reply: a leaf (its bytes as sent) or an aggregate.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
enum Resp {
    Leaf(Vec<u8>),
    /// The type byte (`*`, `%`, `~`) and the elements; a map's are flat.
    Agg(u8, Vec<Resp>),
}

impl Resp {
    fn parse(bytes: &[u8]) -> Resp {
        let mut rest = bytes;
        let value = Resp::one(&mut rest);
        assert!(rest.is_empty(), "one reply: {}", show(bytes));
        value
    }

    fn one(rest: &mut &[u8]) -> Resp {
        let end = rest.windows(2).position(|w| w == b"\r\n").expect("a line");
        let line = &rest[..end];
        let header = std::str::from_utf8(&line[1..]).unwrap_or("");
        match line[0] {
            b'*' | b'%' | b'~' if header != "-1" => {
                let n: usize = header.parse().unwrap();
                let n = if line[0] == b'%' { n * 2 } else { n };
                *rest = &rest[end + 2..];
                Resp::Agg(line[0], (0..n).map(|_| Resp::one(rest)).collect())
            }
            b'$' if header != "-1" => {
                let n: usize = header.parse().unwrap();
                let leaf = rest[..end + 2 + n + 2].to_vec();
                *rest = &rest[end + 2 + n + 2..];
                Resp::Leaf(leaf)
            }
            _ => {
                let leaf = rest[..end + 2].to_vec();
                *rest = &rest[end + 2..];
                Resp::Leaf(leaf)
            }
        }
    }

    fn elements(&self) -> &[Resp] {
        match self {
            Resp::Agg(_, items) => items,
            Resp::Leaf(bytes) => panic!("not an aggregate: {}", show(bytes)),
        }
    }

    /// The bulk string's payload.
    fn text(&self) -> Vec<u8> {
        let Resp::Leaf(bytes) = self else {
            panic!("not a leaf")
        };
        let start = bytes.iter().position(|&b| b == b'\n').unwrap() + 1;
        bytes[start..bytes.len() - 2].to_vec()
    }

    /// The same reply with its elements (or its pairs of elements, if
    /// `in_pairs`) in sorted order.
    fn sorted(&self, in_pairs: bool) -> Resp {
        let Resp::Agg(kind, items) = self else {
            return self.clone();
        };
        let mut groups: Vec<Vec<Resp>> = items
            .chunks(if in_pairs { 2 } else { 1 })
            .map(<[Resp]>::to_vec)
            .collect();
        groups.sort();
        Resp::Agg(*kind, groups.concat())
    }
}

/// How to compare the reply to one command.
#[derive(Clone, Copy)]
enum Order {
    /// Not compared (HELLO names the connection's id).
    Skip,
    Exact,
    Elements,
    Pairs,
}

fn call(conn: &mut Conn, words: &[&str]) -> Vec<u8> {
    let args: Vec<&[u8]> = words.iter().map(|w| w.as_bytes()).collect();
    conn.send_raw(&encode(&args));
    conn.read_reply()
}

//@ passes from step 6
/// A big hash (past the listpack's limits, by count or by a long value):
/// the same fields and values as Redis's, only in another order.
#[test]
fn big_hashes_hold_what_redis_holds() {
    let Some(redis) = start_redis("the big-hash test") else {
        return;
    };
    let ours = TestServer::start(&[]);
    let long = "x".repeat(65);
    let mut steps: Vec<(Vec<String>, Order)> = Vec::new();
    let mut step = |words: &[&str], order| {
        steps.push((words.iter().map(|w| w.to_string()).collect(), order));
    };
    let mut hset = vec!["HSET", "big"];
    let fields: Vec<String> = (0..300).map(|i| format!("f{i}")).collect();
    let values: Vec<String> = (0..300).map(|i| format!("v{i}")).collect();
    for (f, v) in fields.iter().zip(&values) {
        hset.extend([f.as_str(), v.as_str()]);
    }
    step(&hset, Order::Exact);
    for words in [
        &["HLEN", "big"][..],
        &["HGET", "big", "f17"],
        &["HMGET", "big", "f1", "nope", "f299"],
        &["HDEL", "big", "f0", "f1", "f2", "nope"],
        &["HSET", "big", "f3", "changed", "new", "1"],
        &["HINCRBY", "big", "new", "41"],
        &["HINCRBYFLOAT", "big", "f10", "1"],
        &["HINCRBYFLOAT", "big", "new", "0.5"],
        &["HSETNX", "big", "f4", "no"],
        &["HEXISTS", "big", "f5"],
        &["HSTRLEN", "big", "f3"],
        &["HLEN", "big"],
    ] {
        step(words, Order::Exact);
    }
    step(&["HGETALL", "big"], Order::Pairs);
    step(&["HKEYS", "big"], Order::Elements);
    step(&["HVALS", "big"], Order::Elements);
    step(&["HRANDFIELD", "big", "1000"], Order::Elements);
    step(&["HRANDFIELD", "big", "1000", "WITHVALUES"], Order::Pairs);
    // Converted by one long value, then by HSETNX's long value of a field
    // that is already there (Redis converts before it looks).
    step(
        &["HSET", "long", "a", "1", "b", &long, "c", "3"],
        Order::Exact,
    );
    step(&["HGETALL", "long"], Order::Pairs);
    step(&["HDEL", "long", "b"], Order::Exact);
    step(&["HGETALL", "long"], Order::Pairs);
    step(&["HSET", "nx", "a", "1", "b", "2"], Order::Exact);
    step(&["HSETNX", "nx", "a", &long], Order::Exact);
    step(&["HSET", "nx", "c", "3"], Order::Exact);
    step(&["HGETALL", "nx"], Order::Pairs);
    step(&["HINCRBYFLOAT", "f", "a", "1e300"], Order::Exact);
    step(&["HSET", "f", "b", "2"], Order::Exact);
    step(&["HKEYS", "f"], Order::Elements);
    step(&["HSET", "lf", &long, "1"], Order::Exact);
    step(&["HINCRBY", "lf", "x", "1"], Order::Exact);
    step(&["HVALS", "lf"], Order::Elements);
    step(&["HELLO", "3"], Order::Skip);
    step(&["HGETALL", "big"], Order::Pairs);
    step(
        &["HRANDFIELD", "big", "1000", "WITHVALUES"],
        Order::Elements,
    );
    let (mut theirs, mut mine) = (Conn::connect(redis.port), Conn::connect(ours.port));
    for (words, order) in &steps {
        let words: Vec<&str> = words.iter().map(String::as_str).collect();
        let (expected, got) = (call(&mut theirs, &words), call(&mut mine, &words));
        let (expected, got) = match order {
            Order::Skip => continue,
            Order::Exact => (Resp::parse(&expected), Resp::parse(&got)),
            Order::Elements => (
                Resp::parse(&expected).sorted(false),
                Resp::parse(&got).sorted(false),
            ),
            Order::Pairs => (
                Resp::parse(&expected).sorted(true),
                Resp::parse(&got).sorted(true),
            ),
        };
        let what = words.iter().take(6).copied().collect::<Vec<_>>().join(" ");
        assert_eq!(got, expected, "{what}");
    }
}

//@ passes from step 6
/// HRANDFIELD's rules, on both servers: a positive count gives that many
/// distinct fields (all if the hash has no more), a negative one exactly
/// that many, repeats allowed; every field is the hash's, with its value.
#[test]
fn hrandfield_follows_its_rules_on_both_servers() {
    let Some(redis) = start_redis("the HRANDFIELD test") else {
        return;
    };
    let ours = TestServer::start(&[]);
    for port in [redis.port, ours.port] {
        let mut conn = Conn::connect(port);
        for (key, size) in [("small", 10), ("big", 300)] {
            let mut hash = HashMap::new();
            let mut hset = vec!["HSET".to_string(), key.to_string()];
            for i in 0..size {
                let (field, value) = (format!("f{i}"), format!("v{i}"));
                hset.extend([field.clone(), value.clone()]);
                hash.insert(field.into_bytes(), value.into_bytes());
            }
            call(
                &mut conn,
                &hset.iter().map(String::as_str).collect::<Vec<_>>(),
            );
            let one = Resp::parse(&call(&mut conn, &["HRANDFIELD", key])).text();
            assert!(hash.contains_key(&one), "port {port}: {one:?}");
            for count in [1, 3, 9, size - 1, size, size + 5, -1, -5, -(size + 20)] {
                let count_text = count.to_string();
                for with_values in [false, true] {
                    let mut words = vec!["HRANDFIELD", key, &count_text];
                    if with_values {
                        words.push("WITHVALUES");
                    }
                    let reply = Resp::parse(&call(&mut conn, &words));
                    let items = reply.elements();
                    let per = if with_values { 2 } else { 1 };
                    let expected_len = if count < 0 { -count } else { count.min(size) };
                    let what = format!("port {port}: {}", words.join(" "));
                    assert_eq!(items.len() as i64, expected_len * per, "{what}");
                    let mut seen = BTreeSet::new();
                    for chunk in items.chunks(per as usize) {
                        let field = chunk[0].text();
                        assert!(hash.contains_key(&field), "{what}: {field:?}");
                        if with_values {
                            assert_eq!(chunk[1].text(), hash[&field], "{what}");
                        }
                        let fresh = seen.insert(field);
                        assert!(fresh || count < 0, "{what}: a repeat");
                    }
                }
            }
        }
    }
}

//@ passes from step 6
/// HSCAN of a big hash, on both servers: a full scan returns every field
/// that was there all along, even as fields come and go between calls;
/// with MATCH, the fields it returns are the matching ones.
#[test]
fn hscan_of_a_big_hash_keeps_the_scan_guarantee() {
    let Some(redis) = start_redis("the HSCAN test") else {
        return;
    };
    let ours = TestServer::start(&[]);
    let mut results = Vec::new();
    for port in [redis.port, ours.port] {
        let mut conn = Conn::connect(port);
        let mut hset = vec!["HSET".to_string(), "h".to_string()];
        for i in 0..500 {
            hset.extend([
                format!("keep{i}"),
                "v".into(),
                format!("drop{i}"),
                "v".into(),
            ]);
        }
        call(
            &mut conn,
            &hset.iter().map(String::as_str).collect::<Vec<_>>(),
        );
        let (mut cursor, mut seen, mut round) = ("0".to_string(), BTreeSet::new(), 0);
        loop {
            let reply = Resp::parse(&call(&mut conn, &["HSCAN", "h", &cursor, "COUNT", "20"]));
            let [next, items] = reply.elements() else {
                panic!("two elements")
            };
            seen.extend(items.elements().chunks(2).map(|pair| pair[0].text()));
            for _ in 0..10 {
                round += 1;
                call(&mut conn, &["HDEL", "h", &format!("drop{}", round % 500)]);
                call(&mut conn, &["HSET", "h", &format!("new{round}"), "v"]);
            }
            cursor = String::from_utf8(next.text()).unwrap();
            if cursor == "0" {
                break;
            }
        }
        for i in 0..500 {
            let field = format!("keep{i}").into_bytes();
            assert!(
                seen.contains(&field),
                "port {port}: keep{i} was never returned"
            );
        }
        let (mut cursor, mut matched) = ("0".to_string(), BTreeSet::new());
        loop {
            let reply = Resp::parse(&call(
                &mut conn,
                &["HSCAN", "h", &cursor, "MATCH", "keep1*"],
            ));
            let [next, items] = reply.elements() else {
                panic!("two elements")
            };
            matched.extend(items.elements().chunks(2).map(|pair| pair[0].text()));
            cursor = String::from_utf8(next.text()).unwrap();
            if cursor == "0" {
                break;
            }
        }
        results.push(matched);
    }
    assert_eq!(results[1], results[0], "the fields matching keep1*");
    assert_eq!(results[0].len(), 111);
}

// ---------------------------------------------------------------------------
// A seeded random stream of commands over small hashes.

const KEYS: &[&str] = &["a", "b", "c"];
const FIELDS: &[&str] = &["f0", "f1", "f2", "f3", "f4", "f5", "f6", ""];
const VALUES: &[&str] = &["v", "1", "-7", "2.5", "", "10", "x y"];
const FLOATS: &[&str] = &[
    "0.1", "-0.25", "1e3", "3", "-1.5e-3", "abc", "7.0e-1", "0x1p-2", "-0",
];

/// Commands that keep every hash small (so every reply is deterministic),
/// mixed with string and key commands on the same keys. HRANDFIELD only
/// where it is not random: a count of 0, or one past the hash's size.
fn random_command(rng: &mut Rng) -> Vec<String> {
    let key = rng.pick(KEYS).to_string();
    let field = |rng: &mut Rng| rng.pick(FIELDS).to_string();
    let value = |rng: &mut Rng| rng.pick(VALUES).to_string();
    let mut words: Vec<String> = match rng.below(22) {
        0..=3 => {
            let mut words = vec![rng.pick(&["HSET", "HSET", "HMSET"]).to_string(), key];
            for _ in 0..=rng.below(3) {
                words.extend([field(rng), value(rng)]);
            }
            words
        }
        4 => vec!["HSETNX".into(), key, field(rng), value(rng)],
        5 => vec!["HGET".into(), key, field(rng)],
        6 => vec!["HMGET".into(), key, field(rng), field(rng)],
        7 | 8 => {
            let mut words = vec!["HDEL".into(), key];
            for _ in 0..=rng.below(2) {
                words.push(field(rng));
            }
            words
        }
        9 => vec!["HLEN".into(), key],
        10 => vec!["HEXISTS".into(), key, field(rng)],
        11 => vec![rng.pick(&["HGETALL", "HKEYS", "HVALS"]).to_string(), key],
        12 => {
            let by = rng.pick(&["1", "-3", "100", "abc", "9223372036854775807"]);
            vec!["HINCRBY".into(), key, field(rng), by.to_string()]
        }
        13 => vec![
            "HINCRBYFLOAT".into(),
            key,
            field(rng),
            rng.pick(FLOATS).to_string(),
        ],
        14 => vec!["HSTRLEN".into(), key, field(rng)],
        15 => {
            let mut words = vec!["HSCAN".into(), key, rng.pick(&["0", "3"]).to_string()];
            if rng.below(2) == 0 {
                words.extend([
                    "MATCH".into(),
                    rng.pick(&["f*", "*1", "?", "*"]).to_string(),
                ]);
            }
            words
        }
        16 => vec![
            "HRANDFIELD".into(),
            key,
            rng.pick(&["0", "100", "100 "]).trim().into(),
        ],
        17 => vec!["SET".into(), key, value(rng)],
        18 => vec!["GET".into(), key],
        19 => vec!["DEL".into(), key],
        20 => vec!["TYPE".into(), key],
        _ => vec!["EXISTS".into(), key],
    };
    if rng.below(10) == 0 {
        words[0] = words[0].to_lowercase();
    }
    words
}

//@ passes from step 6
#[test]
fn a_random_stream_of_hash_commands_matches_redis() {
    let seed = 0x4a5b_c0de_2bad_f00d;
    let Some(redis) = start_redis("the random hash stream") else {
        return;
    };
    let ours = TestServer::start(&[]);
    let (mut theirs, mut mine) = (Conn::connect(redis.port), Conn::connect(ours.port));
    let mut rng = Rng(seed);
    let mut history = Vec::new();
    for step in 0..2000 {
        let words = random_command(&mut rng);
        let words: Vec<&str> = words.iter().map(String::as_str).collect();
        let (expected, got) = (call(&mut theirs, &words), call(&mut mine, &words));
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

/// Where Redis 7.0 aborts (an HRANDFIELD count it cannot allocate), this
/// server refuses the one command and goes on, inside MULTI too. Not a
/// differential case: Redis has no reply to compare with.
#[test]
fn an_hrandfield_too_large_to_allocate_is_refused() {
    let ours = TestServer::start(&[]);
    let mut conn = Conn::connect(ours.port);
    call(&mut conn, &["HSET", "h", "a", "1"]);
    let refused = b"-ERR reply too large to allocate\r\n".to_vec();
    assert_eq!(
        call(&mut conn, &["HRANDFIELD", "h", "-9223372036854775807"]),
        refused
    );
    call(&mut conn, &["MULTI"]);
    call(
        &mut conn,
        &["HRANDFIELD", "h", "-4611686018427387903", "WITHVALUES"],
    );
    let mut in_exec = b"*1\r\n".to_vec();
    in_exec.extend_from_slice(&refused);
    assert_eq!(call(&mut conn, &["EXEC"]), in_exec);
    assert_eq!(
        call(&mut conn, &["HRANDFIELD", "h", "-2"]),
        b"*2\r\n$1\r\na\r\n$1\r\na\r\n"
    );
}
