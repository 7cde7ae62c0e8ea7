//! Differential test of the set commands: the same requests to this server
//! and to a real `redis-server` 7.0, replies compared byte for byte,
//! except where Redis's own order is a hash table's (marked `~` or `%`,
//! see `tests/unordered/mod.rs`): there only the members are compared.
//! Sets of at most 512 integers are intsets, listed in numeric order, and
//! those replies are always compared byte for byte.
//!
//! Needs `redis-server` on the PATH (Debian: `apt-get install redis-server`);
//! without it the tests say so loudly and pass, except under CI.

//@ passes from step 5

mod common;
mod unordered;

use unordered::{assert_same_as_redis_unordered, run_stream, seed, Order, Rng};

#[rustfmt::skip]
const CASES: &[&[&str]] = &[
    // SADD, SCARD, SISMEMBER, SMISMEMBER, SMEMBERS on an intset: numeric order.
    &["sadd s 3 1 2 -5 10 2", "smembers s", "scard s", "sismember s 1", "sismember s 01", "smismember s 1 9 3 -5"],
    &["sadd s 9223372036854775807 -9223372036854775808 0", "smembers s", "sismember s -0", "sismember s +0"],
    &["sadd s 1 01 +1 \" 1\" 1.0", "~ smembers s", "scard s"],
    &["sadd s -0 0", "~ smembers s", "sismember s 0", "sismember s -0"],
    &["sadd s 9223372036854775808 1", "~ smembers s", "sismember s 9223372036854775808"],
    &["sadd s a b c", "~ smembers s", "sadd s a d", "scard s", "smismember s a x d"],
    &["sadd s \"\"", "smembers s", "sismember s \"\"", "scard s"],
    &["smembers nokey", "scard nokey", "sismember nokey a", "smismember nokey a b"],
    &["sadd"], &["sadd s"], &["scard"], &["scard a b"], &["sismember s"], &["smismember s"], &["smembers"],
    // An intset stays one until a string or its 513th member; never back.
    &["sadd s 1 2 3", "sadd s x", "srem s x", "~ smembers s", "scard s"],
    &["sadd s 5 3", "sadd s 4", "smembers s", "srem s 4", "smembers s"],
    // SREM: counts, deletes the key with its last member.
    &["sadd s 1 2 3", "srem s 1 1 9", "smembers s", "srem s 2 3", "exists s", "srem s 2"],
    &["srem nokey a", "sadd s a", "srem s a b", "exists s", "type s"],
    &["srem s"],
    // WRONGTYPE, both ways.
    &["set k v", "sadd k a", "srem k a", "scard k", "sismember k a", "smismember k a", "smembers k", "get k"],
    &["sadd k a", "get k", "incr k", "append k x", "strlen k", "getset k v", "type k", "set k v", "type k"],
    &["sadd k 1", "getdel k", "mget k", "setnx k x", "get k"],
    &["set k v", "spop k", "spop k 2", "srandmember k", "srandmember k 2", "sscan k 0", "smove k d a", "sinter k", "sunion k", "sdiff k"],
    &["set k v", "sinterstore d k", "sunionstore d k", "sdiffstore d k", "sintercard 1 k", "exists d"],
    &["zadd z 1 a", "sadd z a", "smembers z", "sinter z", "sadd s a", "sinter s z"],
    // SPOP: arguments.
    &["spop"], &["spop s 1 2"], &["spop s -1"], &["spop s abc"], &["spop s 1.5"], &["spop s 9223372036854775808"],
    &["spop nokey", "spop nokey 3", "spop nokey 0", "exists nokey"],
    // SPOP count >= size: the whole set, as SUNION lists it, and the key goes.
    &["sadd s 5 4 3", "spop s 10", "exists s"],
    &["sadd s 5 4 3", "spop s 3", "exists s"],
    &["sadd s 2 1", "spop s 0", "scard s"],
    &["sadd s a b c", "~ spop s 3", "exists s"],
    &["sadd s 1", "spop s", "exists s", "spop s"],
    &["sadd s a", "spop s", "spop s"],
    // SRANDMEMBER.
    &["srandmember"], &["srandmember s 1 2"], &["srandmember s x"], &["srandmember s -9223372036854775808"],
    &["srandmember nokey", "srandmember nokey 5", "srandmember nokey -5", "srandmember nokey 0"],
    &["sadd s 5 4 3", "srandmember s 3", "srandmember s 100", "srandmember s 0", "scard s"],
    &["sadd s 7", "srandmember s", "srandmember s 1", "srandmember s -3", "srandmember s 9223372036854775807"],
    &["sadd s a b", "~ srandmember s 5", "~ srandmember s 2"],
    // SMOVE.
    &["sadd a 1 2", "smove a b 1", "smembers a", "smembers b", "smove a b 9", "smove a b 2", "exists a", "smembers b"],
    &["smove nokey d 1", "set str x", "smove nokey str 1", "smove str nokey 1", "sadd a 1", "smove a str 1", "smembers a"],
    &["sadd a 1 2", "smove a a 1", "smove a a 9", "smembers a"],
    &["sadd a 1 x", "sadd b 2", "smove a b x", "~ smembers b", "smembers a"],
    &["sadd a 5", "smove a b 5", "exists a", "type b", "smembers b"],
    &["smove a b"], &["smove a b c d"],
    // SINTER.
    &["sadd a 1 2 3 4", "sadd b 3 4 5", "sinter a b", "sinter b a", "sinter a", "sinter a a"],
    &["sadd a 1 2 3", "sinter a nokey", "sinter nokey a", "sinter nokey"],
    &["sadd a 1 2 3", "set str x", "sinter nokey str", "sinter a str", "sinter str a"],
    &["sadd a 1 2 3 x", "sadd b 3 x 2", "~ sinter a b", "~ sinter b a"],
    &["sadd a 3 2 1", "sadd b x y 1 2 3", "sinter a b", "sinter b a"],
    &["sinter"],
    // SINTERSTORE.
    &["sadd a 1 2 3", "sadd b 2 3 4", "sinterstore d a b", "smembers d", "sinterstore d a nokey", "exists d"],
    &["set d x", "expire d 100", "sadd a 1", "sinterstore d a", "type d", "ttl d", "smembers d"],
    &["sadd a 1 2", "sadd b 3", "set d x", "sinterstore d a b", "exists d"],
    &["sadd a x y 1", "sadd b x 1", "sinterstore d a b", "~ smembers d"],
    &["sadd a 1 2", "sinterstore a a nokey", "exists a"],
    &["sinterstore d"],
    // SINTERCARD.
    &["sadd a 1 2 3 4", "sadd b 2 3 4 5", "sintercard 2 a b", "sintercard 2 a b limit 2", "sintercard 2 a b limit 0", "sintercard 2 a b LIMIT 9 limit 1"],
    &["sadd a 1", "sintercard 2 a nokey", "sintercard 1 nokey", "sintercard 1 a", "sintercard 1 a a"],
    &["sintercard 0 a"], &["sintercard -1 a"], &["sintercard x a"], &["sintercard 2 a"], &["sintercard 3 a b"],
    &["sintercard 1 a limit -1"], &["sintercard 1 a limit x"], &["sintercard 1 a limit"], &["sintercard 1 a foo"],
    &["sintercard 1 a limit 1 foo"], &["sintercard 9223372036854775808 a"], &["sintercard"],
    &["set k v", "sintercard 1 k", "sintercard 2 nokey k", "sintercard 1 k limit x"],
    // SUNION, SUNIONSTORE: built from an empty intset.
    &["sadd a 3 1", "sadd b 2 1", "sunion a b", "sunion a nokey b", "sunion nokey", "sunion a"],
    &["sadd a 3 1", "sadd b x", "~ sunion a b", "sunionstore d a b", "~ smembers d"],
    &["sadd a 1 x", "srem a x", "sunion a", "sunionstore d a", "smembers d"],
    &["sadd a 1 2", "set str x", "sunion a str", "sunion str nokey", "sunionstore d a str", "exists d"],
    &["sunionstore d nokey", "exists d", "set d x", "sunionstore d nokey", "exists d"],
    &["sadd a 1", "sunionstore a a a", "smembers a"],
    &["sunion"], &["sunionstore d"],
    // SDIFF, SDIFFSTORE, and the choice of algorithm.
    &["sadd a 1 2 3 4", "sadd b 3 4 5", "sdiff a b", "sdiff b a", "sdiff a nokey", "sdiff nokey a", "sdiff a a"],
    &["sadd a 1 2 3", "sadd b 2", "sdiff a b a", "sdiff a nokey b", "sdiff a b nokey"],
    &["sadd a 1 2 x", "sadd b x", "sdiff a b", "sdiffstore d a b", "smembers d"],
    &["sadd a 1 2 3 4 5 6 7 8 9 x", "sadd b x", "sadd c y", "~ sdiff a b c", "sdiffstore d a b c", "~ smembers d"],
    &["sadd a 1 2", "set str x", "sdiff a str", "sdiff str a", "sdiff nokey str", "sdiffstore d a str"],
    &["sadd a 1", "sadd b 1", "set d x", "sdiffstore d a b", "exists d"],
    &["sadd a 1 2", "sdiffstore a a nokey", "smembers a"],
    &["sdiff"], &["sdiffstore d"],
    // SSCAN.
    &["sadd s 3 1 2", "sscan s 0", "sscan s 0 count 1", "sscan s 7 match 2", "sscan s 0 match * count 5", "sscan s 0 MATCH [12] COUNT 100"],
    &["sadd s a b c", "% sscan s 0 count 100", "% sscan s 0 match a*"],
    &["sscan nokey 0", "sscan nokey 0 count 0", "sscan nokey 0 foo", "sscan nokey abc"],
    &["sadd s 1", "sscan s abc", "sscan s \" 1\"", "sscan s 1x", "sscan s -1", "sscan s +0", "sscan s \"\"", "sscan s 18446744073709551615", "sscan s 18446744073709551616"],
    &["sadd s 1", "sscan s 0 count 0", "sscan s 0 count -1", "sscan s 0 count x", "sscan s 0 count", "sscan s 0 match", "sscan s 0 foo bar", "sscan s 0 type string"],
    &["set k v", "sscan k 0", "sscan k 0 count 0", "sscan k x"],
    &["sscan s"],
    // A set past 512 integers is a hash table, and stays one below.
    &["sadd s 1 2 3", "spop s 0", "scard s"],
    // RESP3: sets are `~`, SRANDMEMBER an array, SMISMEMBER an array.
    &["hello 3", "sadd s 3 1 2", "smembers s", "sinter s", "sunion s nokey", "sdiff s nokey", "srandmember s 5", "smismember s 1 4", "sscan s 0"],
    &["hello 3", "smembers nokey", "sinter nokey", "spop nokey 2", "spop nokey", "srandmember nokey", "srandmember nokey 3", "sscan nokey 0"],
    &["hello 3", "sadd s 1 2", "spop s 5", "sadd s a", "spop s 0", "~ smembers s", "sintercard 1 s"],
    &["hello 3", "sadd a 1 2 3", "sadd b 2 3", "sinterstore d a b", "smembers d", "sdiff a b"],
    &["hello 3", "set k v", "smembers k", "sinter k", "spop k 1"],
    // Keys with a TTL keep it when changed, lose it when stored over.
    &["sadd s 1", "expire s 100", "sadd s 2", "srem s 1", "ttl s", "sunionstore s s", "ttl s"],
];

/// Cases that need more than a line of text.
fn built_cases() -> Vec<Vec<String>> {
    let mut cases = Vec::new();
    // 512 integers: still an intset, in order; the 513th makes a table.
    let ints: Vec<String> = (0..512).rev().map(|i| (i * 7 - 1000).to_string()).collect();
    cases.push(vec![
        format!("sadd s {}", ints.join(" ")),
        "smembers s".into(),
        "sadd s 100000".into(),
        "scard s".into(),
        "~ smembers s".into(),
        "srem s 100000".into(),
        "~ smembers s".into(),
        "% sscan s 0 count 10000".into(),
    ]);
    // SUNION of two intsets whose union passes 512 becomes a table.
    let low: Vec<String> = (0..300).map(|i| i.to_string()).collect();
    let high: Vec<String> = (300..600).map(|i| i.to_string()).collect();
    cases.push(vec![
        format!("sadd a {}", low.join(" ")),
        format!("sadd b {}", high.join(" ")),
        "~ sunion a b".into(),
        "sunionstore d a b".into(),
        "sinter a b".into(),
        "sdiff a b".into(),
        "scard d".into(),
        "srem d 300 301".into(),
        "scard d".into(),
    ]);
    // SDIFF's second algorithm copies the first set whole: past 512 it is a
    // table, even when the result is small.
    let many: Vec<String> = (0..600).map(|i| i.to_string()).collect();
    let few: Vec<String> = (0..598).map(|i| i.to_string()).collect();
    cases.push(vec![
        format!("sadd a {}", many.join(" ")),
        format!("sadd b {}", few.join(" ")),
        "~ sdiff a b".into(),
        "sdiffstore d a b".into(),
        "~ smembers d".into(),
        "sdiff a b nokey".into(),
    ]);
    // A long member and binary members.
    cases.push(vec![
        format!("sadd s {} 1", "x".repeat(100)),
        "scard s".into(),
        format!("sismember s {}", "x".repeat(100)),
        "sadd b \"\\x00\\xff\" \"a\\r\\nb\"".into(),
        "~ smembers b".into(),
        "sismember b \"\\x00\\xff\"".into(),
    ]);
    cases
}

#[test]
fn set_replies_are_redis_replies() {
    let built = built_cases();
    let built: Vec<Vec<&str>> = built
        .iter()
        .map(|c| c.iter().map(String::as_str).collect())
        .collect();
    let mut cases: Vec<&[&str]> = CASES.to_vec();
    cases.extend(built.iter().map(Vec::as_slice));
    assert_same_as_redis_unordered(&cases);
}

/// The random stream: set commands over a few shared keys, mixed with
/// string commands on the same keys (WRONGTYPE both ways). Commands whose
/// output is random (SPOP, SRANDMEMBER) are left out; replies listing a
/// set are compared as unordered.
fn random_set_command(rng: &mut Rng) -> (Vec<Vec<u8>>, Order) {
    const KEYS: &[&str] = &["s1", "s2", "s3", "str"];
    const MEMBERS: &[&str] = &[
        "1",
        "2",
        "3",
        "10",
        "-4",
        "07",
        "a",
        "b",
        "x",
        "",
        "9223372036854775807",
    ];
    let key = |rng: &mut Rng| rng.pick(KEYS).to_string();
    let member = |rng: &mut Rng| {
        if rng.below(8) == 0 {
            (100 + rng.below(50)).to_string() // more integers, towards 512
        } else {
            rng.pick(MEMBERS).to_string()
        }
    };
    let mut args: Vec<String> = Vec::new();
    let mut order = Order::Exact;
    match rng.below(22) {
        0..=3 => {
            args.extend(["sadd".into(), key(rng)]);
            // Now and then a hundred integers, so that sets pass 512.
            let bulk = rng.below(12) == 0;
            for _ in 0..if bulk { 100 } else { 1 + rng.below(4) } {
                args.push(if bulk {
                    rng.below(2000).to_string()
                } else {
                    member(rng)
                });
            }
        }
        4 | 5 => {
            args.extend(["srem".into(), key(rng)]);
            for _ in 0..1 + rng.below(3) {
                args.push(member(rng));
            }
        }
        6 => args.extend(["scard".into(), key(rng)]),
        7 => args.extend(["sismember".into(), key(rng), member(rng)]),
        8 => args.extend(["smismember".into(), key(rng), member(rng), member(rng)]),
        9 | 10 => {
            args.extend(["smembers".into(), key(rng)]);
            order = Order::Any;
        }
        11 => args.extend(["smove".into(), key(rng), key(rng), member(rng)]),
        12 | 13 => {
            let op = *rng.pick(&["sinter", "sunion", "sdiff"]);
            args.push(op.into());
            for _ in 0..1 + rng.below(3) {
                args.push(key(rng));
            }
            order = Order::Any;
        }
        14 => {
            let op = *rng.pick(&["sinterstore", "sunionstore", "sdiffstore"]);
            args.extend([op.into(), key(rng)]);
            for _ in 0..1 + rng.below(3) {
                args.push(key(rng));
            }
        }
        15 => {
            args.extend(["sintercard".into(), "2".into(), key(rng), key(rng)]);
            if rng.below(2) == 0 {
                args.extend(["limit".into(), rng.below(3).to_string()]);
            }
        }
        16 => {
            args.extend([
                "sscan".into(),
                key(rng),
                "0".into(),
                "count".into(),
                "1000".into(),
            ]);
            if rng.below(2) == 0 {
                args.extend([
                    "match".into(),
                    rng.pick(&["1*", "*", "[ab]", "?"]).to_string(),
                ]);
            }
            order = Order::Scan(1);
        }
        17 => args.extend(["set".into(), key(rng), member(rng)]),
        18 => args.extend(["get".into(), key(rng)]),
        19 => args.extend(["del".into(), key(rng)]),
        20 => args.extend(["type".into(), key(rng)]),
        _ => args.extend(["exists".into(), key(rng)]),
    }
    (args.into_iter().map(String::into_bytes).collect(), order)
}

#[test]
fn a_random_stream_of_set_commands_matches_redis() {
    let seed = seed(0x5e75_2026);
    run_stream("sets", seed, 2000, false, random_set_command);
    run_stream("sets", seed ^ 0xffff, 1000, true, random_set_command);
}

/// The payloads of a reply's elements (bulk strings), in order.
fn members(reply: &[u8]) -> Vec<String> {
    match unordered::parse_all(reply).remove(0) {
        unordered::Node::Aggregate(_, items) => items
            .iter()
            .map(|item| {
                let bytes = item.to_bytes();
                let text = String::from_utf8_lossy(&bytes).into_owned();
                text.split("\r\n").nth(1).unwrap_or("").to_string()
            })
            .collect(),
        other => panic!("not an aggregate: {other:?}"),
    }
}

fn distinct(items: &[String]) -> usize {
    items.iter().collect::<std::collections::HashSet<_>>().len()
}

//@ passes from step 3
/// What SPOP and SRANDMEMBER promise, checked on both servers (so the
/// checks themselves are checked against Redis): counts, membership,
/// uniqueness; and that SPOP leaving few members rebuilds the set, so a
/// remainder of integers is an intset again, listed in order.
#[test]
fn random_members_follow_redis_rules() {
    let Some(redis) = common::differential::start_redis("the SPOP/SRANDMEMBER rules test") else {
        return;
    };
    let ours = common::TestServer::start(&[]);
    for port in [redis.port, ours.port] {
        let who = if port == redis.port { "redis" } else { "ours" };
        let mut conn = common::Conn::connect(port);
        conn.call(&["FLUSHALL"]);
        let all: Vec<String> = (0..10).map(|i| format!("m{i}")).collect();
        let ints: Vec<String> = (0..10).map(|i| i.to_string()).collect();
        for (key, pool) in [("s", &all), ("i", &ints)] {
            let mut sadd = vec!["SADD", key];
            sadd.extend(pool.iter().map(String::as_str));
            conn.call(&sadd);
            let inside = |items: &[String]| items.iter().all(|m| pool.contains(m));
            let five = members(&conn.call(&["SRANDMEMBER", key, "5"]));
            assert!(
                five.len() == 5 && distinct(&five) == 5 && inside(&five),
                "{who} {key}: {five:?}"
            );
            let eight = members(&conn.call(&["SRANDMEMBER", key, "8"]));
            assert!(
                eight.len() == 8 && distinct(&eight) == 8 && inside(&eight),
                "{who}: {eight:?}"
            );
            let repeats = members(&conn.call(&["SRANDMEMBER", key, "-15"]));
            assert!(
                repeats.len() == 15 && inside(&repeats),
                "{who}: {repeats:?}"
            );
            let every = members(&conn.call(&["SRANDMEMBER", key, "20"]));
            assert!(
                every.len() == 10 && distinct(&every) == 10,
                "{who}: {every:?}"
            );
            let one = conn.call_str(&["SRANDMEMBER", key]);
            assert!(
                pool.iter()
                    .any(|m| one == format!("${}\r\n{m}\r\n", m.len())),
                "{who}: {one}"
            );
            let popped = members(&conn.call(&["SPOP", key, "3"]));
            assert!(
                popped.len() == 3 && distinct(&popped) == 3 && inside(&popped),
                "{who}: {popped:?}"
            );
            assert_eq!(conn.call_str(&["SCARD", key]), ":7\r\n", "{who}");
            for member in &popped {
                assert_eq!(
                    conn.call_str(&["SISMEMBER", key, member]),
                    ":0\r\n",
                    "{who}"
                );
            }
            // Six left, five asked: Redis keeps one in a new set, pops the rest.
            let most = members(&conn.call(&["SPOP", key, "6"]));
            assert!(
                most.len() == 6 && distinct(&most) == 6 && inside(&most),
                "{who}: {most:?}"
            );
            assert_eq!(conn.call_str(&["SCARD", key]), ":1\r\n", "{who}");
        }
        // A hash table of 600 integers, popped down to 50: the 50 left are
        // copied into a new set, an intset, so they come out sorted.
        let big: Vec<String> = (0..600).map(|i| i.to_string()).collect();
        let mut sadd = vec!["SADD", "big"];
        sadd.extend(big.iter().map(String::as_str));
        conn.call(&sadd);
        let popped = members(&conn.call(&["SPOP", "big", "550"]));
        assert_eq!((popped.len(), distinct(&popped)), (550, 550), "{who}");
        let left: Vec<i64> = members(&conn.call(&["SMEMBERS", "big"]))
            .iter()
            .map(|m| m.parse().unwrap())
            .collect();
        let mut sorted = left.clone();
        sorted.sort();
        assert_eq!(left.len(), 50, "{who}");
        assert_eq!(left, sorted, "{who}: the remainder is an intset again");
    }
}

//@ passes from step 3
/// SSCAN of a hash-table set pages through it: cursors differ from
/// Redis's (its hash is seeded at random), but on both servers a walk
/// from 0 back to 0 returns every member, in more than one step, with
/// MATCH filtering what each step found.
#[test]
fn a_full_sscan_returns_every_member() {
    let Some(redis) = common::differential::start_redis("the SSCAN walk test") else {
        return;
    };
    let ours = common::TestServer::start(&[]);
    for port in [redis.port, ours.port] {
        let mut conn = common::Conn::connect(port);
        conn.call(&["FLUSHALL"]);
        let all: Vec<String> = (0..1000).map(|i| format!("m{i}")).collect();
        let mut sadd = vec!["SADD", "s"];
        sadd.extend(all.iter().map(String::as_str));
        conn.call(&sadd);
        for (pattern, expected) in [("*", 1000), ("m1*", 111)] {
            let mut seen = std::collections::HashSet::new();
            let (mut cursor, mut steps) = ("0".to_string(), 0);
            loop {
                let reply = conn.call(&["SSCAN", "s", &cursor, "COUNT", "20", "MATCH", pattern]);
                let unordered::Node::Aggregate(_, parts) = unordered::parse_all(&reply).remove(0)
                else {
                    panic!("not a scan reply");
                };
                // The cursor, a bulk string, as a one-element array's member.
                cursor = members(&[b"*1\r\n".as_slice(), &parts[0].to_bytes()].concat())[0].clone();
                seen.extend(members(&parts[1].to_bytes()));
                steps += 1;
                if cursor == "0" {
                    break;
                }
            }
            assert!(steps > 1, "port {port}: one step");
            assert_eq!(seen.len(), expected, "port {port}, MATCH {pattern}");
        }
    }
}
