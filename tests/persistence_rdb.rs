//! RDB snapshots against real Redis: a dump redis-server 7.0 writes loads
//! here with the same keys, values and TTLs; a dump we write loads in
//! redis-server the same, and `redis-check-rdb` accepts it; DUMP gives
//! Redis's bytes; a damaged dump stops the server at start with the file,
//! the offset and the reason; a crash mid-save never damages the last
//! good file. Tests that need redis-server say loudly that they were
//! SKIPPED when it is missing.

//@ passes from step 9

mod common;

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use common::differential::{assert_same_as_redis, Case, Rng};
use common::{encode, fresh_dir, Conn, RealRedis, TestServer};
use mini_redis::rdb;
use mini_redis::storage::Store;

/// Commands that make every type in every encoding Redis 7.0 has for it.
fn dataset() -> Vec<Vec<String>> {
    let mut script: Vec<Vec<String>> = Vec::new();
    let mut cmd = |words: Vec<String>| script.push(words);
    let s = |text: &str| text.to_string();
    // Strings: int-encoded, short, LZF-compressible, incompressible, binary.
    cmd(vec![s("SET"), s("int"), s("12345")]);
    cmd(vec![s("SET"), s("neg"), s("-70000")]);
    cmd(vec![s("SET"), s("wide"), s("12345678901")]);
    cmd(vec![s("SET"), s("short"), s("hello")]);
    cmd(vec![s("SET"), s("lzf"), "abcabcabc-".repeat(20)]);
    let noise: String = (0..300u32)
        .map(|i| char::from(b'!' + ((i * 7919) % 90) as u8))
        .collect();
    cmd(vec![s("SET"), s("noise"), noise]);
    cmd(vec![s("SET"), s("empty"), s("")]);
    cmd(vec![s("SET"), s("ttl"), s("soon")]);
    cmd(vec![s("PEXPIRE"), s("ttl"), s("500000")]);
    // Lists: one node, and many (8 KB nodes).
    cmd(vec![
        s("RPUSH"),
        s("list"),
        s("a"),
        s("1"),
        s("-5"),
        s("300"),
        "x".repeat(100),
    ]);
    let mut big_list = vec![s("RPUSH"), s("biglist")];
    big_list.extend((0..5000).map(|i| format!("element-{i}")));
    cmd(big_list);
    // Sets: intset, wide intset, a table of strings, a table from > 512 integers.
    cmd(vec![s("SADD"), s("ints"), s("3"), s("1"), s("2")]);
    cmd(vec![
        s("SADD"),
        s("wideints"),
        s("-9000000000"),
        s("5"),
        s("70000"),
    ]);
    cmd(vec![s("SADD"), s("strs"), s("x"), s("y"), s("z")]);
    let mut many = vec![s("SADD"), s("manyints")];
    many.extend((0..600).map(|i| (i * 3).to_string()));
    cmd(many);
    // Sorted sets: listpack (integer, decimal, infinite scores), skiplist.
    cmd(vec![
        s("ZADD"),
        s("zsmall"),
        s("1"),
        s("a"),
        s("2.5"),
        s("b"),
        s("-inf"),
        s("c"),
        s("0.1"),
        s("d"),
    ]);
    let mut bigz = vec![s("ZADD"), s("zbig")];
    for i in 0..300 {
        bigz.push(format!("{}", i as f64 / 4.0));
        bigz.push(format!("member-{i}"));
    }
    cmd(bigz);
    cmd(vec![s("ZADD"), s("zlong"), s("1"), "m".repeat(100)]);
    // Hashes: listpack, and a table (> 512 fields, or a long value).
    cmd(vec![
        s("HSET"),
        s("hsmall"),
        s("f"),
        s("v"),
        s("n"),
        s("42"),
    ]);
    let mut bigh = vec![s("HSET"), s("hbig")];
    for i in 0..700 {
        bigh.push(format!("field-{i}"));
        bigh.push(format!("value-{i}"));
    }
    cmd(bigh);
    cmd(vec![s("HSET"), s("hlong"), s("f"), "v".repeat(100)]);
    cmd(vec![s("PEXPIRE"), s("hbig"), s("900000")]);
    script
}

fn run(conn: &mut Conn, words: &[String]) -> Vec<u8> {
    let args: Vec<&[u8]> = words.iter().map(|w| w.as_bytes()).collect();
    conn.send_raw(&encode(&args));
    conn.read_reply()
}

fn call(conn: &mut Conn, words: &[&str]) -> Vec<u8> {
    conn.call(words)
}

/// The bulk strings of an array reply, in order.
fn bulks(reply: &[u8]) -> Vec<Vec<u8>> {
    let mut items = Vec::new();
    let mut at = reply
        .iter()
        .position(|&b| b == b'\n')
        .map_or(reply.len(), |i| i + 1);
    while at < reply.len() {
        let end = at + reply[at..].iter().position(|&b| b == b'\n').unwrap();
        let header = std::str::from_utf8(&reply[at + 1..end - 1]).unwrap();
        let len: usize = header.parse().unwrap();
        items.push(reply[end + 1..end + 1 + len].to_vec());
        at = end + 1 + len + 2;
    }
    items
}

/// What a key holds, the same whatever the order a hash table gives.
fn contents(conn: &mut Conn, key: &str) -> (Vec<u8>, Vec<Vec<u8>>, Vec<u8>) {
    let kind = call(conn, &["TYPE", key]);
    let mut items = match String::from_utf8_lossy(&kind).trim() {
        "+string" => vec![call(conn, &["GET", key])],
        "+list" => bulks(&call(conn, &["LRANGE", key, "0", "-1"])),
        "+set" => bulks(&call(conn, &["SMEMBERS", key])),
        "+zset" => bulks(&call(conn, &["ZRANGE", key, "0", "-1", "WITHSCORES"])),
        "+hash" => bulks(&call(conn, &["HGETALL", key]))
            .chunks(2)
            .map(|pair| [pair[0].clone(), b"=".to_vec(), pair[1].clone()].concat())
            .collect(),
        other => panic!("unexpected type {other}"),
    };
    if matches!(String::from_utf8_lossy(&kind).trim(), "+set" | "+hash") {
        items.sort();
    }
    let encoding = call(conn, &["OBJECT", "ENCODING", key]);
    (kind, items, encoding)
}

/// The keys of the dataset, and those whose DUMP bytes are reproducible
/// (no hash-table order in them).
fn keys() -> Vec<String> {
    let mut keys: Vec<String> = dataset().iter().map(|c| c[1].clone()).collect();
    keys.sort();
    keys.dedup();
    keys
}

const REPRODUCIBLE: &[&str] = &[
    "int", "neg", "wide", "short", "lzf", "noise", "empty", "list", "biglist", "ints", "wideints",
    "zsmall", "zbig", "zlong", "hsmall",
];

/// Both servers hold the same data: same contents, encodings, TTLs, and
/// DUMP bytes where the encoding is reproducible.
fn assert_same_data(expected: &mut Conn, got: &mut Conn) {
    assert_eq!(call(expected, &["DBSIZE"]), call(got, &["DBSIZE"]));
    for key in keys() {
        assert_eq!(contents(expected, &key), contents(got, &key), "key {key}");
        let ttl = |c: &mut Conn| -> i64 {
            let reply = String::from_utf8(call(c, &["PTTL", &key])).unwrap();
            reply[1..].trim().parse().unwrap()
        };
        let (a, b) = (ttl(expected), ttl(got));
        assert!((a - b).abs() < 5_000, "TTL of {key}: {a} against {b}");
        if REPRODUCIBLE.contains(&key.as_str()) {
            assert_eq!(
                call(expected, &["DUMP", &key]),
                call(got, &["DUMP", &key]),
                "DUMP of {key}"
            );
        }
    }
}

fn skipped(what: &str) {
    eprintln!("\n!!!!! redis-server is not installed: {what} SKIPPED !!!!!\n");
}

fn redis_in(dir: &Path) -> Option<RealRedis> {
    RealRedis::spawn(&["--dir", dir.to_str().unwrap(), "--dbfilename", "dump.rdb"])
}

#[test]
fn a_dump_redis_writes_loads_here_the_same() {
    let dir = fresh_dir("from-redis");
    let Some(redis) = redis_in(&dir) else {
        return skipped("loading a dump written by redis-server");
    };
    let mut theirs = Conn::connect(redis.port);
    for command in dataset() {
        run(&mut theirs, &command);
    }
    assert_eq!(call(&mut theirs, &["SAVE"]), b"+OK\r\n");
    let ours = TestServer::start(&["--dir", dir.to_str().unwrap()]);
    let log = ours.log().join("\n");
    assert!(
        log.contains("Loading RDB produced by version 7.0.15"),
        "{log}"
    );
    assert!(log.contains("DB loaded from disk"), "{log}");
    assert_same_data(&mut theirs, &mut ours.connect());
    let info = String::from_utf8(call(&mut ours.connect(), &["INFO", "persistence"])).unwrap();
    assert!(
        info.contains(&format!("rdb_last_load_keys_loaded:{}\r\n", keys().len())),
        "{info}"
    );
}

#[test]
fn a_dump_we_write_loads_in_redis_the_same_and_passes_redis_check_rdb() {
    let dir = fresh_dir("from-us");
    let ours = TestServer::start(&["--dir", dir.to_str().unwrap()]);
    let mut conn = ours.connect();
    for command in dataset() {
        run(&mut conn, &command);
    }
    assert_eq!(call(&mut conn, &["SAVE"]), b"+OK\r\n");
    let file = dir.join("dump.rdb");
    assert!(file.exists());
    match Command::new("redis-check-rdb").arg(&file).output() {
        Ok(out) => {
            let text = String::from_utf8_lossy(&out.stdout);
            assert!(
                out.status.success() && text.contains("RDB looks OK"),
                "{text}"
            );
        }
        Err(_) => eprintln!("\n!!!!! redis-check-rdb is not installed: its check SKIPPED !!!!!\n"),
    }
    let Some(redis) = redis_in(&dir) else {
        return skipped("loading our dump in redis-server");
    };
    assert_same_data(&mut conn, &mut Conn::connect(redis.port));
}

#[test]
fn bgsave_writes_a_point_in_time_copy_while_writes_go_on() {
    const KEYS: usize = 60_000;
    let dir = fresh_dir("bgsave");
    let ours = TestServer::start(&["--dir", dir.to_str().unwrap()]);
    let mut conn = ours.connect();
    let mut writes = Vec::new();
    for i in 0..KEYS {
        writes.extend(encode(&[b"SET", format!("key:{i}").as_bytes(), b"before"]));
    }
    conn.send_raw(&writes);
    for _ in 0..KEYS {
        conn.read_reply();
    }
    let before = String::from_utf8(call(&mut conn, &["LASTSAVE"])).unwrap();
    // Writes after the snapshot are not in it, whether they reach a key
    // before the background save has copied it or after: every key
    // changed, deleted, given a TTL or appended to, and new ones created,
    // sent in the same write as BGSAVE so that they race its walk.
    let mut pipeline = encode(&[b"BGSAVE"]);
    pipeline.extend(encode(&[b"SET", b"key:0", b"after"]));
    pipeline.extend(encode(&[b"SET", b"later", b"x"]));
    for i in 1..KEYS {
        let key = format!("key:{i}");
        let change: [&[u8]; 3] = match i % 4 {
            0 => [b"SET", key.as_bytes(), b"after"],
            1 => [b"DEL", key.as_bytes(), b"nothing"],
            2 => [b"EXPIRE", key.as_bytes(), b"1000"],
            _ => [b"APPEND", key.as_bytes(), b"+after"],
        };
        let words = if i % 4 == 1 {
            &change[..2]
        } else {
            &change[..]
        };
        pipeline.extend(encode(words));
        pipeline.extend(encode(&[b"SET", format!("new:{i}").as_bytes(), b"x"]));
    }
    conn.send_raw(&pipeline);
    assert_eq!(conn.read_reply(), b"+Background saving started\r\n");
    for _ in 0..2 * KEYS {
        conn.read_reply();
    }
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let info = String::from_utf8(call(&mut conn, &["INFO", "persistence"])).unwrap();
        if info.contains("rdb_bgsave_in_progress:0") {
            assert!(info.contains("rdb_last_bgsave_status:ok"), "{info}");
            let changes = format!("rdb_changes_since_last_save:{}\r\n", 2 * KEYS);
            assert!(info.contains(&changes), "{info}");
            break;
        }
        assert!(Instant::now() < deadline, "BGSAVE never ended");
        std::thread::sleep(Duration::from_millis(20));
    }
    let after = String::from_utf8(call(&mut conn, &["LASTSAVE"])).unwrap();
    assert!(after >= before);
    let mut store = Store::new();
    let bytes = fs::read(dir.join("dump.rdb")).unwrap();
    let loaded = rdb::load(&bytes[..], &mut store, 0).unwrap();
    assert_eq!(loaded.keys_loaded, KEYS as u64);
    for i in 0..KEYS {
        let key = format!("key:{i}");
        let value = store.get(key.as_bytes(), 0).unwrap().as_string().unwrap();
        assert_eq!(value.as_slice(), b"before", "{key}");
        assert_eq!(store.expires_at(key.as_bytes()), None, "{key}");
    }
    assert!(store.get(b"later", 0).is_none());
}

/// The change count after each of a script's commands
/// (`rdb_changes_since_last_save`, what the save policy weighs).
fn changes_after_each(conn: &mut Conn) -> Vec<String> {
    let script: &[&[&str]] = &[
        &["SADD", "s", "a", "b", "c"],
        &["SADD", "s", "a"],
        &["GET", "nokey"],
        &["SET", "k", "v"],
        &["DEL", "k", "s"],
        &["SET", "t", "v", "EX", "100"],
        &["SET", "k", "v"],
        &["SET", "k", "v2"],
        &["SET", "t", "v2"],
        &["SET", "t", "v3", "PX", "100000"],
        &["EXPIRE", "k", "100"],
        &["PERSIST", "k"],
        &["APPEND", "k", "x"],
        &["GETSET", "t", "v4"],
        &["SAVE"],
        &["SET", "k", "v"],
    ];
    let mut counts = Vec::new();
    for words in script {
        call(conn, words);
        let info = String::from_utf8(call(conn, &["INFO", "persistence"])).unwrap();
        let line = info
            .lines()
            .find(|l| l.starts_with("rdb_changes_since_last_save:"))
            .unwrap();
        counts.push(format!("{words:?} -> {}", line.split(':').nth(1).unwrap()));
    }
    counts
}

#[test]
fn changes_are_counted_as_redis_counts_them() {
    let dir = fresh_dir("changes-ours");
    let ours = TestServer::start(&["--dir", dir.to_str().unwrap()]);
    let counts = changes_after_each(&mut ours.connect());
    let at = |i: usize| counts[i].rsplit(' ').next().unwrap();
    assert_eq!((at(0), at(2), at(4)), ("3", "3", "6"), "{counts:#?}");
    // Without Redis to compare with, its counts for SETs beside a TTL: one
    // change each, whether or not they set or drop a TTL.
    assert_eq!((at(5), at(7), at(9), at(13)), ("7", "9", "11", "15"));
    assert_eq!(at(14), "0", "SAVE starts the count again");
    let redis_dir = fresh_dir("changes-redis");
    let Some(redis) = redis_in(&redis_dir) else {
        return skipped("the change counts compared with Redis's");
    };
    assert_eq!(counts, changes_after_each(&mut Conn::connect(redis.port)));
}

#[test]
fn our_dump_survives_our_restart_and_shutdown_saves_by_policy() {
    let dir = fresh_dir("restart");
    let dir_arg = dir.to_str().unwrap();
    let mut first = TestServer::start(&["--dir", dir_arg, "--save", "3600 1"]);
    let mut conn = first.connect();
    for command in dataset() {
        run(&mut conn, &command);
    }
    let mut before = Vec::new();
    for key in keys() {
        before.push(contents(&mut conn, &key));
    }
    conn.send(&["SHUTDOWN"]);
    assert_eq!(first.wait_exit(Duration::from_secs(10)), Some(true));
    assert!(first
        .log()
        .iter()
        .any(|l| l.contains("Saving the final RDB snapshot")));
    let second = TestServer::start(&["--dir", dir_arg]);
    let mut conn = second.connect();
    let mut after = Vec::new();
    for key in keys() {
        after.push(contents(&mut conn, &key));
    }
    assert_eq!(before, after);
    let pttl = String::from_utf8(call(&mut conn, &["PTTL", "ttl"])).unwrap();
    let pttl: i64 = pttl[1..].trim().parse().unwrap();
    assert!(pttl > 400_000 && pttl <= 500_000, "{pttl}");
    // NOSAVE with a policy: nothing written.
    fs::remove_file(dir.join("dump.rdb")).unwrap();
    conn.send(&["SHUTDOWN", "NOSAVE"]);
    drop(second);
    assert!(!dir.join("dump.rdb").exists());
}

#[test]
fn the_save_policy_saves_once_enough_changes_are_old_enough() {
    let dir = fresh_dir("policy");
    let ours = TestServer::start(&["--dir", dir.to_str().unwrap(), "--save", "1 2"]);
    let mut conn = ours.connect();
    assert_eq!(
        call(&mut conn, &["CONFIG", "GET", "save"]),
        b"*2\r\n$4\r\nsave\r\n$3\r\n1 2\r\n"
    );
    call(&mut conn, &["SET", "a", "1"]);
    std::thread::sleep(Duration::from_millis(2_500));
    assert!(!dir.join("dump.rdb").exists(), "one change is not two");
    call(&mut conn, &["SET", "b", "2"]);
    let deadline = Instant::now() + Duration::from_secs(10);
    while !dir.join("dump.rdb").exists() {
        assert!(Instant::now() < deadline, "the policy never saved");
        std::thread::sleep(Duration::from_millis(50));
    }
    std::thread::sleep(Duration::from_millis(200));
    let log = ours.log().join("\n");
    assert!(log.contains("2 changes in"), "{log}");
    assert!(
        log.contains("Background saving terminated with success"),
        "{log}"
    );
}

/// Runs the binary on `dir` and returns its exit status and log.
fn start_on(dir: &Path) -> (bool, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_mini-redis"))
        .args(["--port", "0", "--save", "", "--dir", dir.to_str().unwrap()])
        .output()
        .unwrap();
    let log = String::from_utf8_lossy(&out.stderr).into_owned();
    (out.status.success(), log)
}

/// A small good dump, written by our own writer.
fn sample_dump() -> Vec<u8> {
    let dir = fresh_dir("sample");
    let ours = TestServer::start(&["--dir", dir.to_str().unwrap()]);
    let mut conn = ours.connect();
    for command in dataset() {
        run(&mut conn, &command);
    }
    call(&mut conn, &["SAVE"]);
    fs::read(dir.join("dump.rdb")).unwrap()
}

#[test]
fn a_damaged_dump_stops_the_server_with_file_offset_and_reason() {
    let good = sample_dump();
    let dir = fresh_dir("damaged");
    let cases: Vec<(Vec<u8>, &str)> = vec![
        (good[..good.len() / 2].to_vec(), "unexpected end of file"),
        (
            {
                let mut bad = good.clone();
                let last = bad.len() - 1;
                bad[last] ^= 0xff;
                bad
            },
            "wrong RDB checksum",
        ),
        (
            b"REDIS0012\xff".to_vec(),
            "can't handle RDB format version 12",
        ),
        (b"REDIX0010\xff".to_vec(), "not an RDB file"),
        (
            b"REDIS0010\x63\x01k\x01v\xff".to_vec(),
            "unknown value type 99",
        ),
        (
            b"REDIS0010\x0f\x01k\x00\xff".to_vec(),
            "stream values are not supported",
        ),
    ];
    for (bytes, reason) in cases {
        fs::write(dir.join("dump.rdb"), &bytes).unwrap();
        let (ok, log) = start_on(&dir);
        assert!(!ok, "started on a bad dump ({reason})");
        assert!(
            log.contains("dump.rdb") && log.contains("offset") && log.contains(reason),
            "{log}"
        );
        assert!(!log.contains("Ready to accept"), "{log}");
    }
}

#[test]
fn fuzzed_dumps_never_panic_the_reader() {
    let good = sample_dump();
    let mut rng = Rng(0x9e3779b97f4a7c15);
    let check = |bytes: &[u8]| {
        let mut store = Store::new();
        // An error or a full load (every key read is there); a panic
        // fails the test.
        if let Ok(loaded) = rdb::load(bytes, &mut store, 0) {
            assert_eq!(store.len() as u64, loaded.keys_loaded);
        }
    };
    let cuts = (0..300).chain((0..300).map(|_| rng.below(good.len())));
    for cut in cuts {
        let mut store = Store::new();
        assert!(
            rdb::load(&good[..cut], &mut store, 0).is_err(),
            "a dump cut at {cut} loaded"
        );
    }
    for _ in 0..400 {
        let mut bytes = good.clone();
        for _ in 0..1 + rng.below(4) {
            let at = rng.below(bytes.len());
            bytes[at] = rng.next() as u8;
        }
        check(&bytes);
        // And without the checksum's help: a zero CRC is not checked.
        let n = bytes.len();
        bytes[n - 8..].fill(0);
        check(&bytes);
    }
    // DUMP payloads too.
    let payload = rdb::dump(&mini_redis::value::Value::List(Box::new(
        (0..50)
            .map(|i| mini_redis::bytes::Bytes::copy_from(format!("{i}").as_bytes()))
            .collect(),
    )));
    for cut in 0..payload.len() {
        assert!(rdb::undump(&payload[..cut]).is_err());
    }
}

/// Appends an RDB string of `bytes` (plain length encoding).
fn string(out: &mut Vec<u8>, bytes: &[u8]) {
    assert!(bytes.len() < 64);
    out.push(bytes.len() as u8);
    out.extend_from_slice(bytes);
}

#[test]
fn a_hand_built_rdb_11_and_the_old_encodings_load() {
    let mut file = b"REDIS0011".to_vec();
    file.extend(b"\xfa\x09redis-ver\x057.2.4");
    file.extend(b"\xfe\x00\xfb\x06\x01");
    // A set as a listpack (type 20, new in RDB 11): "a", 7.
    file.push(20);
    string(&mut file, b"lpset");
    string(&mut file, &[0x0c, 0, 0, 0, 2, 0, 0x81, b'a', 2, 7, 1, 0xff]);
    // A list as quicklist 1 (type 14) of one ziplist node: "x", 5.
    file.push(14);
    string(&mut file, b"qlist");
    file.push(1);
    string(
        &mut file,
        &[
            0x10, 0, 0, 0, 0x0d, 0, 0, 0, 2, 0, 0, 1, b'x', 3, 0xf6, 0xff,
        ],
    );
    // A hash as a zipmap (type 9): f=v.
    file.push(9);
    string(&mut file, b"zmhash");
    string(&mut file, &[1, 1, b'f', 1, 0, b'v', 0xff]);
    // A sorted set as a ziplist (type 12): m with score 1.5.
    file.push(12);
    string(&mut file, b"zlzset");
    string(
        &mut file,
        &[
            0x13, 0, 0, 0, 0x0f, 0, 0, 0, 2, 0, 0, 1, b'm', 3, 3, b'1', b'.', b'5', 0xff,
        ],
    );
    // The old sorted set (type 3), scores as text; an expiry in seconds,
    // far ahead; an LFU counter and an LRU idle time, ignored.
    file.extend(b"\xfd\xff\xff\xff\x7f\xf9\x05\xf8\x10");
    file.push(3);
    string(&mut file, b"oldzset");
    file.push(2);
    string(&mut file, b"p");
    file.extend(b"\x032.5");
    string(&mut file, b"q");
    file.push(254); // +inf
                    // A plain list (type 1) and a plain hash (type 4).
    file.push(1);
    string(&mut file, b"plainlist");
    file.push(2);
    string(&mut file, b"one");
    file.extend(b"\xc0\x02"); // the integer 2
    file.push(4);
    string(&mut file, b"plainhash");
    file.push(1);
    string(&mut file, b"k");
    string(&mut file, b"v");
    file.push(0xff);
    let crc = rdb::crc64::checksum(&file);
    file.extend_from_slice(&crc.to_le_bytes());

    let dir = fresh_dir("rdb11");
    fs::write(dir.join("dump.rdb"), &file).unwrap();
    let ours = TestServer::start(&["--dir", dir.to_str().unwrap()]);
    let mut conn = ours.connect();
    let sorted = |mut items: Vec<Vec<u8>>| {
        items.sort();
        items
    };
    assert_eq!(
        sorted(bulks(&call(&mut conn, &["SMEMBERS", "lpset"]))),
        [b"7".to_vec(), b"a".to_vec()]
    );
    assert_eq!(
        bulks(&call(&mut conn, &["LRANGE", "qlist", "0", "-1"])),
        [b"x".to_vec(), b"5".to_vec()]
    );
    assert_eq!(call(&mut conn, &["HGET", "zmhash", "f"]), b"$1\r\nv\r\n");
    assert_eq!(
        call(&mut conn, &["ZSCORE", "zlzset", "m"]),
        b"$3\r\n1.5\r\n"
    );
    assert_eq!(
        bulks(&call(
            &mut conn,
            &["ZRANGE", "oldzset", "0", "-1", "WITHSCORES"]
        )),
        [
            b"p".to_vec(),
            b"2.5".to_vec(),
            b"q".to_vec(),
            b"inf".to_vec()
        ]
    );
    assert!(call(&mut conn, &["TTL", "oldzset"]).starts_with(b":"));
    assert_eq!(
        bulks(&call(&mut conn, &["LRANGE", "plainlist", "0", "-1"])),
        [b"one".to_vec(), b"2".to_vec()]
    );
    assert_eq!(call(&mut conn, &["HGET", "plainhash", "k"]), b"$1\r\nv\r\n");
    assert_eq!(call(&mut conn, &["DBSIZE"]), b":7\r\n");
}

/// Fills a server with enough data that a save takes a while.
fn fill(conn: &mut Conn, n: usize, tag: &str) {
    let mut batch = Vec::new();
    for i in 0..n {
        batch.extend(encode(&[
            b"SET",
            format!("key:{i}").as_bytes(),
            format!("{tag}-{i}-{}", "x".repeat(40)).as_bytes(),
        ]));
        if batch.len() > 1 << 20 || i + 1 == n {
            conn.send_raw(&batch);
            batch.clear();
        }
    }
    for _ in 0..n {
        conn.read_reply();
    }
}

fn load_file(path: &PathBuf) -> Store {
    let bytes = fs::read(path).unwrap();
    let mut store = Store::new();
    rdb::load(&bytes[..], &mut store, 0).expect("the last good dump is whole");
    store
}

#[test]
fn a_crash_during_save_or_bgsave_never_damages_the_last_good_dump() {
    let dir = fresh_dir("kill");
    let file = dir.join("dump.rdb");
    let mut rng = Rng(12345);
    {
        let ours = TestServer::start(&["--dir", dir.to_str().unwrap()]);
        let mut conn = ours.connect();
        fill(&mut conn, 1000, "first");
        assert_eq!(call(&mut conn, &["SAVE"]), b"+OK\r\n");
    }
    let mut last_tag = Some("first".to_string());
    for round in 0..4 {
        let mut ours = TestServer::start(&["--dir", dir.to_str().unwrap()]);
        let mut conn = ours.connect();
        let tag = format!("round{round}");
        fill(&mut conn, 100_000, &tag);
        let command = if round % 2 == 0 { "BGSAVE" } else { "SAVE" };
        conn.send(&[command]);
        std::thread::sleep(Duration::from_millis(rng.below(400) as u64));
        ours.kill();
        // Whatever the moment of the crash: the old dump or the new, whole.
        let store = load_file(&file);
        let value = store
            .get(b"key:7", 0)
            .unwrap()
            .as_string()
            .unwrap()
            .to_vec();
        let value = String::from_utf8(value).unwrap();
        let found = value.split('-').next().unwrap().to_string();
        assert!(
            found == tag || Some(&found) == last_tag.as_ref(),
            "round {round}: found {found}"
        );
        last_tag = Some(found);
    }
}

#[test]
fn dump_and_restore_as_redis() {
    // Payloads built by our DUMP: redis-server must accept them as its own.
    let string_payload = rdb::dump(&mini_redis::value::Value::String(
        mini_redis::bytes::Bytes::copy_from(b"hello"),
    ));
    let mut damaged = string_payload.clone();
    damaged[1] ^= 1;
    let mut newer = string_payload.clone();
    let n = newer.len();
    newer[n - 10] = 11; // RDB version 11: from a newer Redis
    let mut wrong_type = vec![0x63u8, 1, b'x', 10, 0];
    let crc = rdb::crc64::checksum(&wrong_type);
    wrong_type.extend_from_slice(&crc.to_le_bytes());
    let restore = |key: &str, ttl: &str, payload: &[u8], options: &[&str]| -> Vec<u8> {
        let mut args: Vec<&[u8]> = vec![b"RESTORE", key.as_bytes(), ttl.as_bytes(), payload];
        args.extend(options.iter().map(|o| o.as_bytes()));
        encode(&args)
    };
    let then = |mut bytes: Vec<u8>, more: &[&[&[u8]]]| {
        for args in more {
            bytes.extend(encode(args));
        }
        bytes
    };
    let cases = vec![
        Case::Cmds(&[
            "SET int 12345",
            "DUMP int",
            "SET wide 12345678901",
            "DUMP wide",
            "SET s hello",
            "DUMP s",
            "SET lzf abcabcabcabcabcabcabcabcabcabcabcabcabc",
            "DUMP lzf",
            "DUMP nokey",
            "RPUSH l a 1 -5 300",
            "DUMP l",
            "SADD ints 5 -3 100000",
            "DUMP ints",
            "ZADD z 1 a 2.5 b -inf c 0.1 d",
            "DUMP z",
            "HSET h f v n 42",
            "DUMP h",
        ]),
        Case::Cmds(&["DUMP", "DUMP a b", "RESTORE k", "RESTORE k 0"]),
        Case::Built(then(
            restore("k", "0", &string_payload, &[]),
            &[&[b"GET", b"k"], &[b"PTTL", b"k"]],
        )),
        Case::Built(then(
            restore("k", "100000", &string_payload, &[]),
            &[&[b"TYPE", b"k"], &[b"EXISTS", b"k"]],
        )),
        Case::Built(then(
            restore("k", "1", &string_payload, &["ABSTTL"]),
            &[&[b"EXISTS", b"k"]],
        )),
        Case::Built(then(
            [
                encode(&[b"SET", b"k", b"old"]),
                restore("k", "0", &string_payload, &[]),
            ]
            .concat(),
            &[&[b"GET", b"k"]],
        )),
        Case::Built(then(
            [
                encode(&[b"SET", b"k", b"old"]),
                restore("k", "0", &string_payload, &["REPLACE"]),
            ]
            .concat(),
            &[&[b"GET", b"k"]],
        )),
        Case::Built(then(
            [
                encode(&[b"SET", b"k", b"old"]),
                restore("k", "1", &string_payload, &["REPLACE", "ABSTTL"]),
            ]
            .concat(),
            &[&[b"EXISTS", b"k"]],
        )),
        Case::Built(restore("k", "-1", &string_payload, &[])),
        Case::Built(restore("k", "x", &string_payload, &[])),
        Case::Built(
            [
                encode(&[b"SET", b"k", b"old"]),
                restore("k", "x", &string_payload, &[]),
            ]
            .concat(),
        ),
        Case::Built(restore("k", "0", &damaged, &[])),
        Case::Built(restore("k", "0", &newer, &[])),
        Case::Built(restore("k", "0", b"short", &[])),
        Case::Built(restore("k", "0", &wrong_type, &[])),
        Case::Built(restore("k", "0", &string_payload, &["IDLETIME", "10"])),
        Case::Built(restore("k", "0", &string_payload, &["IDLETIME", "-1"])),
        Case::Built(restore("k", "0", &string_payload, &["IDLETIME", "x"])),
        Case::Built(restore("k", "0", &string_payload, &["FREQ", "256"])),
        Case::Built(restore(
            "k",
            "0",
            &string_payload,
            &["FREQ", "5", "IDLETIME", "1"],
        )),
        Case::Built(restore("k", "0", &string_payload, &["IDLETIME"])),
        Case::Built(restore("k", "0", &string_payload, &["BOGUS"])),
        Case::Cmds(&[
            "BGSAVE now",
            "BGSAVE SCHEDULE x",
            "SAVE x",
            "LASTSAVE x",
            "CONFIG SET dir /tmp",
            "CONFIG SET dbfilename x.rdb",
            "CONFIG SET save \"1 2 3\"",
            "CONFIG SET save \"0 1\"",
            "CONFIG SET save \"10 5 20 6\"",
            "CONFIG GET save",
            "CONFIG SET save \"\"",
            "CONFIG GET save",
            "CONFIG GET dbfilename",
        ]),
    ];
    assert_same_as_redis(&cases);
}
