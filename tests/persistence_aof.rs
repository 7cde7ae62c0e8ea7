//@ passes from step 9
//! The append-only file, end to end: what is written survives a restart,
//! a SIGKILL, a kill in the middle of a rewrite; a torn tail is cut, a
//! corrupt middle refused; real redis-server 7.0 loads our directory and
//! we load its.

mod common;

use std::fs;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use common::differential::{assert_same_as_redis, start_redis, Case, Rng};
use common::{encode, Conn, RealRedis};

/// A fresh, empty working directory for one test.
fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("mini-redis-aof-{name}-{}", std::process::id()));
    let _ = fs::remove_dir_all(&dir);
    fs::create_dir_all(&dir).unwrap();
    dir
}

/// Our server, run in `dir` (where its AOF directory goes).
struct Ours {
    child: Child,
    port: u16,
    log: Arc<Mutex<Vec<String>>>,
}

impl Ours {
    fn start(dir: &Path, args: &[&str]) -> Ours {
        Ours::try_start(dir, args).unwrap_or_else(|log| panic!("the server did not start:\n{log}"))
    }

    /// Starts the server; `Err(log)` if it exits before it is ready.
    fn try_start(dir: &Path, args: &[&str]) -> Result<Ours, String> {
        let mut child = Command::new(env!("CARGO_BIN_EXE_mini-redis"))
            .current_dir(dir)
            .args(["--port", "0", "--save", "", "--appendonly", "yes"])
            .args(args)
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("the server binary starts");
        let mut lines = BufReader::new(child.stderr.take().unwrap()).lines();
        let log = Arc::new(Mutex::new(Vec::new()));
        let port = loop {
            let Some(Ok(line)) = lines.next() else {
                let _ = child.wait();
                return Err(log.lock().unwrap().join("\n"));
            };
            log.lock().unwrap().push(line.clone());
            if let Some((_, address)) = line.split_once("Ready to accept connections at ") {
                break address.rsplit(':').next().unwrap().trim().parse().unwrap();
            }
        };
        let sink = Arc::clone(&log);
        std::thread::spawn(move || {
            for line in lines.map_while(Result::ok) {
                sink.lock().unwrap().push(line);
            }
        });
        Ok(Ours { child, port, log })
    }

    fn connect(&self) -> Conn {
        Conn::connect(self.port)
    }

    fn log(&self) -> String {
        self.log.lock().unwrap().join("\n")
    }

    /// SIGKILL: no chance to flush anything.
    fn kill(mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Drop for Ours {
    fn drop(&mut self) {
        if std::thread::panicking() {
            eprintln!("--- the server's log ---\n{}", self.log());
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The leaves of a RESP reply (bulk strings, integers), in order.
fn leaves(reply: &[u8]) -> Vec<String> {
    let text = String::from_utf8_lossy(reply).into_owned();
    let mut out = Vec::new();
    let mut lines = text.split("\r\n");
    while let Some(line) = lines.next() {
        match line.as_bytes().first() {
            Some(b'$') if line != "$-1" => out.push(lines.next().unwrap_or("").to_string()),
            Some(b':' | b'+' | b',') => out.push(line[1..].to_string()),
            _ => {}
        }
    }
    out
}

/// Everything a client can see of the keyspace, in an order that does not
/// depend on the server: each key, its type, its contents, its absolute
/// expiry time.
fn state(conn: &mut Conn) -> Vec<String> {
    let mut keys = leaves(&conn.call(&["KEYS", "*"]));
    keys.sort();
    let mut out = Vec::new();
    for key in keys {
        let kind = leaves(&conn.call(&["TYPE", &key])).remove(0);
        let mut contents = match kind.as_str() {
            "string" => leaves(&conn.call(&["GET", &key])),
            "list" => leaves(&conn.call(&["LRANGE", &key, "0", "-1"])),
            "set" => leaves(&conn.call(&["SMEMBERS", &key])),
            "zset" => leaves(&conn.call(&["ZRANGE", &key, "0", "-1", "WITHSCORES"])),
            _ => {
                let flat = leaves(&conn.call(&["HGETALL", &key]));
                flat.chunks(2).map(|pair| pair.join("=")).collect()
            }
        };
        if kind == "set" || kind == "hash" {
            contents.sort();
        }
        let at = leaves(&conn.call(&["PEXPIRETIME", &key])).remove(0);
        out.push(format!("{key} {kind} {} @{at}", contents.join(",")));
    }
    out
}

/// One of each type, with and without TTLs, small and large encodings.
fn write_every_type(conn: &mut Conn) {
    let big: Vec<String> = (0..300).map(|i| format!("m{i}")).collect();
    let mut rpush = vec!["RPUSH", "biglist"];
    rpush.extend(big.iter().map(String::as_str));
    let mut sadd = vec!["SADD", "bigset"];
    sadd.extend(big.iter().map(String::as_str));
    for words in [
        vec!["SET", "s", "hello"],
        vec!["SET", "n", "12345"],
        vec!["SET", "ttl", "v", "EX", "1000"],
        vec!["SET", "bin", "a\r\nb\0c"],
        vec!["RPUSH", "l", "a", "b", "c"],
        rpush,
        vec!["HSET", "h", "f1", "v1", "f2", "v2"],
        vec!["SADD", "ints", "1", "2", "3", "-7"],
        sadd,
        vec!["ZADD", "z", "1.5", "a", "-2", "b", "inf", "c", "0.1", "d"],
        vec!["PEXPIRE", "l", "500000"],
        vec!["EXPIREAT", "h", "4000000000"],
    ] {
        let reply = conn.call(&words);
        assert!(
            !reply.starts_with(b"-"),
            "{words:?}: {}",
            String::from_utf8_lossy(&reply)
        );
    }
}

/// SHUTDOWN, which closes the connection without a reply.
fn shutdown(conn: &mut Conn) {
    conn.send(&["SHUTDOWN"]);
    assert!(conn.is_closed());
}

fn wait_for_rewrite(conn: &mut Conn) {
    let deadline = Instant::now() + Duration::from_secs(30);
    while String::from_utf8_lossy(&conn.call(&["INFO", "persistence"]))
        .contains("aof_rewrite_in_progress:1")
    {
        assert!(Instant::now() < deadline, "the rewrite never finished");
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// Every type through BGREWRITEAOF (the base) and after it (the incr
/// file), then a restart; the base as RDB (`preamble` yes) or as commands.
fn every_type_survives_a_restart(preamble: &str) {
    let dir = scratch(&format!("types-{preamble}"));
    let args = ["--aof-use-rdb-preamble", preamble];
    let ours = Ours::start(&dir, &args);
    let mut conn = ours.connect();
    write_every_type(&mut conn);
    assert_eq!(
        conn.call(&["BGREWRITEAOF"]),
        b"+Background append only file rewriting started\r\n"
    );
    wait_for_rewrite(&mut conn);
    // After the rewrite: these go to the new incr file.
    conn.call(&["INCR", "n"]);
    conn.call(&["LPUSH", "l", "z"]);
    let before = state(&mut conn);
    shutdown(&mut conn);
    drop(ours);

    let base = if preamble == "yes" {
        "appendonly.aof.2.base.rdb"
    } else {
        "appendonly.aof.2.base.aof"
    };
    let manifest = fs::read_to_string(dir.join("appendonlydir/appendonly.aof.manifest")).unwrap();
    assert_eq!(
        manifest,
        format!("file {base} seq 2 type b\nfile appendonly.aof.2.incr.aof seq 2 type i\n")
    );
    let bytes = fs::read(dir.join("appendonlydir").join(base)).unwrap();
    assert_eq!(bytes.starts_with(b"REDIS0010"), preamble == "yes");
    let mut files: Vec<String> = fs::read_dir(dir.join("appendonlydir"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    files.sort();
    assert_eq!(
        files,
        [base, "appendonly.aof.2.incr.aof", "appendonly.aof.manifest"],
        "the history files are gone"
    );
    let ours = Ours::start(&dir, &args);
    assert_eq!(state(&mut ours.connect()), before);
    assert!(ours
        .log()
        .contains(&format!("DB loaded from base file {base}")));
}

/// Writes sent in the same breath as BGREWRITEAOF, racing its walk, are
/// each in the new base or in the new incr file, never both and never
/// neither. Two checks: the base alone holds the keyspace as it was when
/// BGREWRITEAOF ran (a DEL that reached the base would still replay to
/// the same end), and base plus incr file replay to the end state (an
/// INCR in both would count twice).
fn writes_during_a_rewrite_land_once(preamble: &str) {
    const KEYS: usize = 20_000;
    let dir = scratch(&format!("during-rewrite-{preamble}"));
    let args = ["--aof-use-rdb-preamble", preamble];
    let ours = Ours::start(&dir, &args);
    let mut conn = ours.connect();
    let mut load = Vec::new();
    for i in 0..KEYS {
        load.extend(encode(&[b"SET", format!("n:{i}").as_bytes(), b"10"]));
    }
    conn.send_raw(&load);
    for _ in 0..KEYS {
        conn.read_reply();
    }
    let at_rewrite = state(&mut conn);
    let mut pipeline = encode(&[b"BGREWRITEAOF"]);
    for i in 0..KEYS {
        let key = format!("n:{}", (i * 7_919) % KEYS);
        pipeline.extend(match i % 3 {
            0 => encode(&[b"INCR", key.as_bytes()]),
            1 => encode(&[b"APPEND", key.as_bytes(), b"5"]),
            _ => encode(&[b"DEL", format!("n:{i}").as_bytes()]),
        });
    }
    conn.send_raw(&pipeline);
    let started = conn.read_reply();
    assert_eq!(
        started,
        b"+Background append only file rewriting started\r\n"
    );
    for _ in 0..KEYS {
        conn.read_reply();
    }
    wait_for_rewrite(&mut conn);
    let at_end = state(&mut conn);
    shutdown(&mut conn);
    drop(ours);

    let manifest = fs::read_to_string(dir.join("appendonlydir/appendonly.aof.manifest")).unwrap();
    let base = manifest
        .lines()
        .find(|line| line.ends_with("type b"))
        .unwrap();
    let name = base.split(' ').nth(1).unwrap();
    let alone = scratch(&format!("base-alone-{preamble}"));
    fs::create_dir_all(alone.join("appendonlydir")).unwrap();
    let from = dir.join("appendonlydir").join(name);
    fs::copy(from, alone.join("appendonlydir").join(name)).unwrap();
    let only_base = format!("{base}\n");
    fs::write(
        alone.join("appendonlydir/appendonly.aof.manifest"),
        only_base,
    )
    .unwrap();
    let base_server = Ours::start(&alone, &args);
    assert_eq!(
        state(&mut base_server.connect()),
        at_rewrite,
        "the base alone"
    );
    drop(base_server);

    let ours = Ours::start(&dir, &args);
    assert_eq!(state(&mut ours.connect()), at_end, "base and incr file");
}

#[test]
fn writes_during_a_rewrite_land_once_with_an_rdb_base() {
    writes_during_a_rewrite_land_once("yes");
}

//@ passes from step 8
#[test]
fn writes_during_a_rewrite_land_once_with_a_base_of_commands() {
    writes_during_a_rewrite_land_once("no");
}

#[test]
fn every_type_survives_a_restart_with_an_rdb_base() {
    every_type_survives_a_restart("yes");
}

//@ passes from step 6
#[test]
fn every_type_survives_a_restart_with_a_base_of_commands() {
    every_type_survives_a_restart("no");
}

/// Writes of every kind, chosen by a seeded random stream, on few keys so
/// they meet: relative TTLs, float increments, random pops, transactions,
/// keys that expire while the stream runs.
fn random_writes(conn: &mut Conn, seed: u64, count: usize) {
    let mut rng = Rng(seed);
    let keys = ["a", "b", "c", "d"];
    for _ in 0..count {
        let k = *rng.pick(&keys);
        let k2 = *rng.pick(&keys);
        let n = rng.below(20).to_string();
        let words: Vec<String> = match rng.below(24) {
            0 => vec!["SET".into(), k.into(), n],
            1 => vec!["SET".into(), k.into(), n, "PX".into(), "30".into()],
            2 => vec!["SETEX".into(), k.into(), "100".into(), n],
            3 => vec!["INCRBYFLOAT".into(), k.into(), "0.1".into()],
            4 => vec!["APPEND".into(), k.into(), n],
            5 => vec!["EXPIRE".into(), k.into(), "1000".into()],
            6 => vec!["PEXPIRE".into(), k.into(), "20".into()],
            7 => vec!["GETEX".into(), k.into(), "EX".into(), "50".into()],
            8 => vec!["GETDEL".into(), k.into()],
            9 => vec!["RPUSH".into(), k.into(), n.clone(), n],
            10 => vec!["LPOP".into(), k.into()],
            11 => vec![
                "LMOVE".into(),
                k.into(),
                k2.into(),
                "LEFT".into(),
                "RIGHT".into(),
            ],
            12 => vec!["SADD".into(), k.into(), n, "x".into()],
            13 => vec!["SPOP".into(), k.into()],
            14 => vec!["SPOP".into(), k.into(), "2".into()],
            15 => vec!["HSET".into(), k.into(), n.clone(), n],
            16 => vec!["HINCRBYFLOAT".into(), k.into(), "f".into(), "1.1".into()],
            17 => vec!["ZADD".into(), k.into(), n.clone(), n],
            18 => vec!["ZPOPMIN".into(), k.into()],
            19 => vec!["BLPOP".into(), k.into(), k2.into(), "0.01".into()],
            20 => vec!["PERSIST".into(), k.into()],
            21 => vec!["RENAME".into(), k.into(), k2.into()],
            22 => vec!["DEL".into(), k.into()],
            _ => {
                conn.call(&["MULTI"]);
                conn.call(&["INCR", k]);
                conn.call(&["RPUSH", k2, "t"]);
                conn.call(&["SPOP", k2]);
                vec!["EXEC".into()]
            }
        };
        let words: Vec<&str> = words.iter().map(String::as_str).collect();
        conn.call(&words);
        if rng.below(10) == 0 {
            std::thread::sleep(Duration::from_millis(5));
        }
    }
}

#[test]
fn a_random_stream_replays_to_the_same_state_and_the_same_absolute_ttls() {
    for seed in [7, 1234] {
        let dir = scratch(&format!("replay{seed}"));
        let ours = Ours::start(&dir, &[]);
        let mut conn = ours.connect();
        random_writes(&mut conn, seed, 1500);
        // Let the keys with short TTLs expire, some lazily, some by the reaper.
        std::thread::sleep(Duration::from_millis(150));
        conn.call(&["GET", "a"]);
        let before = state(&mut conn);
        shutdown(&mut conn);
        drop(ours);
        let ours = Ours::start(&dir, &[]);
        assert_eq!(state(&mut ours.connect()), before, "seed {seed}");
    }
}

/// The redis-server that reads `dir`'s AOF, or `None` (SKIPPED) without one.
fn real_redis_on(dir: &Path, preamble: &str) -> Option<RealRedis> {
    start_redis("the AOF interoperability test")?;
    RealRedis::spawn(&[
        "--dir",
        dir.to_str().unwrap(),
        "--appendonly",
        "yes",
        "--aof-use-rdb-preamble",
        preamble,
    ])
}

/// Our directory, written with `preamble`, loaded by redis-server.
fn real_redis_loads_ours(preamble: &str) {
    let dir = scratch(&format!("to-redis-{preamble}"));
    let ours = Ours::start(&dir, &["--aof-use-rdb-preamble", preamble]);
    let mut conn = ours.connect();
    write_every_type(&mut conn);
    conn.call(&["BGREWRITEAOF"]);
    wait_for_rewrite(&mut conn);
    random_writes(&mut conn, 99, 500);
    std::thread::sleep(Duration::from_millis(100));
    let before = state(&mut conn);
    shutdown(&mut conn);
    drop(ours);
    let Some(redis) = real_redis_on(&dir, preamble) else {
        return;
    };
    assert_eq!(state(&mut Conn::connect(redis.port)), before);
}

#[test]
fn real_redis_loads_our_directory_with_an_rdb_base() {
    real_redis_loads_ours("yes");
}

//@ passes from step 7
#[test]
fn real_redis_loads_our_directory_with_a_base_of_commands() {
    real_redis_loads_ours("no");
}

/// Real redis-server's directory, written with `preamble`, loaded by us.
fn we_load_real_redis(preamble: &str) {
    let dir = scratch(&format!("from-redis-{preamble}"));
    let Some(redis) = real_redis_on(&dir, preamble) else {
        return;
    };
    let mut conn = Conn::connect(redis.port);
    write_every_type(&mut conn);
    conn.call(&["BGREWRITEAOF"]);
    wait_for_rewrite(&mut conn);
    random_writes(&mut conn, 5, 500);
    std::thread::sleep(Duration::from_millis(100));
    let before = state(&mut conn);
    conn.send(&["SHUTDOWN", "NOSAVE"]);
    assert!(conn.is_closed());
    drop(redis);
    let ours = Ours::start(&dir, &[]);
    assert_eq!(state(&mut ours.connect()), before);
}

#[test]
fn we_load_the_directory_real_redis_writes_with_an_rdb_base() {
    we_load_real_redis("yes");
}

//@ passes from step 6
#[test]
fn we_load_the_directory_real_redis_writes_with_a_base_of_commands() {
    we_load_real_redis("no");
}

/// Writers on several connections, each counting the writes acknowledged;
/// returns the last value acknowledged per writer once `ours` is killed.
fn write_until_killed(ours: Ours, writers: usize, run_for: Duration) -> Vec<u64> {
    let acked: Arc<Vec<AtomicU64>> = Arc::new((0..writers).map(|_| AtomicU64::new(0)).collect());
    let port = ours.port;
    let threads: Vec<_> = (0..writers)
        .map(|w| {
            let acked = Arc::clone(&acked);
            std::thread::spawn(move || {
                let mut conn = Conn::connect(port);
                let key = format!("counter{w}");
                for i in 1.. {
                    conn.send(&["SET", &key, &i.to_string()]);
                    let mut line = String::new();
                    match conn.reader.read_line(&mut line) {
                        Ok(n) if n > 0 && line == "+OK\r\n" => acked[w].store(i, Ordering::SeqCst),
                        _ => return,
                    }
                }
            })
        })
        .collect();
    std::thread::sleep(run_for);
    ours.kill();
    for thread in threads {
        let _ = thread.join();
    }
    acked.iter().map(|a| a.load(Ordering::SeqCst)).collect()
}

fn counters(conn: &mut Conn, writers: usize) -> Vec<u64> {
    (0..writers)
        .map(|w| {
            leaves(&conn.call(&["GET", &format!("counter{w}")]))
                .first()
                .map_or(0, |v| v.parse().unwrap())
        })
        .collect()
}

#[test]
fn with_appendfsync_always_every_acknowledged_write_survives_sigkill() {
    let dir = scratch("always");
    let ours = Ours::start(&dir, &["--appendfsync", "always"]);
    let acked = write_until_killed(ours, 8, Duration::from_millis(800));
    assert!(acked.iter().all(|&n| n > 10), "the writers ran: {acked:?}");
    let ours = Ours::start(&dir, &[]);
    let found = counters(&mut ours.connect(), acked.len());
    for (w, (&found, &acked)) in found.iter().zip(&acked).enumerate() {
        // One more than acknowledged may be there: written, killed before the reply.
        assert!(
            found == acked || found == acked + 1,
            "writer {w}: acknowledged {acked}, found {found}"
        );
    }
}

#[test]
fn with_appendfsync_everysec_a_sigkill_loses_at_most_about_a_second() {
    let dir = scratch("everysec");
    let ours = Ours::start(&dir, &["--appendfsync", "everysec"]);
    let started = Instant::now();
    let acked = write_until_killed(ours, 4, Duration::from_millis(1500));
    let rate = acked.iter().sum::<u64>() as f64 / started.elapsed().as_secs_f64();
    let ours = Ours::start(&dir, &[]);
    let found = counters(&mut ours.connect(), acked.len());
    let per_writer = rate / acked.len() as f64;
    for (&found, &acked) in found.iter().zip(&acked) {
        assert!(found <= acked + 1, "found {found}, acknowledged {acked}");
        let lost = acked.saturating_sub(found) as f64;
        assert!(
            lost <= per_writer * 1.2 + 1.0,
            "lost {lost} writes, more than a second's worth ({rate:.0}/s in all)"
        );
    }
}

#[test]
fn a_kill_during_a_rewrite_leaves_the_last_good_state() {
    let dir = scratch("kill-rewrite");
    // `always`: every acknowledged write is part of the last good state.
    let mut ours = Ours::start(&dir, &["--appendfsync", "always"]);
    let mut conn = ours.connect();
    // Enough keys for the rewrite to take a while.
    for batch in 0..40 {
        let mut mset = vec!["MSET".to_string()];
        for i in 0..2500 {
            mset.push(format!("key:{batch}:{i}"));
            mset.push("x".repeat(40));
        }
        let words: Vec<&str> = mset.iter().map(String::as_str).collect();
        conn.call(&words);
    }
    let mut killed_half_way = 0;
    for round in 0..5 {
        let value = format!("round{round}");
        conn.call(&["BGREWRITEAOF"]);
        conn.call(&["SET", "last", &value]);
        ours.kill();
        // The rewrite's temporary base is left behind if the kill came first.
        for entry in fs::read_dir(&dir).unwrap().filter_map(Result::ok) {
            if entry
                .file_name()
                .to_string_lossy()
                .starts_with("temp-rewriteaof-bg-")
            {
                killed_half_way += 1;
                fs::remove_file(entry.path()).unwrap();
            }
        }
        ours = Ours::start(&dir, &["--appendfsync", "always"]);
        conn = ours.connect();
        assert_eq!(conn.call(&["DBSIZE"]), b":100001\r\n", "round {round}");
        let expected = format!("${}\r\n{value}\r\n", value.len());
        assert_eq!(
            conn.call(&["GET", "last"]),
            expected.as_bytes(),
            "round {round}"
        );
    }
    assert!(killed_half_way > 0, "no kill landed during a rewrite");
}

/// The incr file the manifest lists last.
fn last_incr(dir: &Path) -> PathBuf {
    let manifest = fs::read_to_string(dir.join("appendonlydir/appendonly.aof.manifest")).unwrap();
    let name = manifest
        .lines()
        .rfind(|l| l.ends_with("type i"))
        .unwrap()
        .split(' ')
        .nth(1)
        .unwrap()
        .to_string();
    dir.join("appendonlydir").join(name)
}

#[test]
fn a_torn_last_command_is_cut_off_with_redis_warning() {
    let dir = scratch("torn");
    let ours = Ours::start(&dir, &[]);
    let mut conn = ours.connect();
    conn.call(&["SET", "a", "1"]);
    shutdown(&mut conn);
    drop(ours);
    let incr = last_incr(&dir);
    let good = fs::metadata(&incr).unwrap().len();
    let mut bytes = fs::read(&incr).unwrap();
    bytes.extend_from_slice(b"*3\r\n$3\r\nSET\r\n$1\r\nb\r\n$5\r\nhel");
    fs::write(&incr, bytes).unwrap();

    let ours = Ours::start(&dir, &[]);
    assert_eq!(ours.connect().call(&["GET", "a"]), b"$1\r\n1\r\n");
    assert_eq!(ours.connect().call(&["EXISTS", "b"]), b":0\r\n");
    let log = ours.log();
    assert!(
        log.contains("!!! Warning: short read while loading the AOF file"),
        "{log}"
    );
    assert!(
        log.contains(&format!(
            "!!! Truncating the AOF {} at offset {good} !!!",
            incr.file_name().unwrap().to_string_lossy()
        )),
        "{log}"
    );
    assert_eq!(fs::metadata(&incr).unwrap().len(), good);
    drop(ours);

    // With aof-load-truncated no, the same tear stops the server.
    let mut bytes = fs::read(&incr).unwrap();
    bytes.extend_from_slice(b"*2\r\n$3\r\nDEL");
    fs::write(&incr, bytes).unwrap();
    let log = Ours::try_start(&dir, &["--aof-load-truncated", "no"])
        .err()
        .expect("it refuses");
    assert!(
        log.contains("Unexpected end of file reading the append only file"),
        "{log}"
    );
}

#[test]
fn corruption_in_the_middle_refuses_to_start_naming_file_and_offset() {
    let dir = scratch("corrupt");
    let ours = Ours::start(&dir, &[]);
    let mut conn = ours.connect();
    conn.call(&["SET", "a", "1"]);
    conn.call(&["SET", "b", "2"]);
    shutdown(&mut conn);
    drop(ours);
    let incr = last_incr(&dir);
    let mut bytes = fs::read(&incr).unwrap();
    let second = bytes.windows(4).rposition(|w| w == b"*3\r\n").unwrap();
    bytes[second] = b'?';
    fs::write(&incr, &bytes).unwrap();
    let log = Ours::try_start(&dir, &[])
        .err()
        .expect("it refuses to start");
    let name = incr.file_name().unwrap().to_string_lossy().into_owned();
    assert!(
        log.contains(&format!(
            "Bad file format reading the append only file {name} at offset {second}"
        )),
        "{log}"
    );
    // Nothing was cut: the file is as it was, for a person to look at.
    assert_eq!(fs::read(&incr).unwrap(), bytes);
}

//@ passes from step 1
#[test]
fn a_bad_manifest_refuses_to_start_with_redis_reason() {
    let dir = scratch("manifest");
    fs::create_dir_all(dir.join("appendonlydir")).unwrap();
    fs::write(
        dir.join("appendonlydir/appendonly.aof.manifest"),
        "file a seq 1 type x\n",
    )
    .unwrap();
    let log = Ours::try_start(&dir, &[])
        .err()
        .expect("it refuses to start");
    assert!(log.contains("Unknown AOF file type"), "{log}");
}

//@ passes from step 3
#[test]
fn an_old_single_appendonly_aof_is_upgraded_into_the_directory() {
    let dir = scratch("upgrade");
    fs::write(
        dir.join("appendonly.aof"),
        b"*3\r\n$3\r\nSET\r\n$3\r\nold\r\n$3\r\nyes\r\n",
    )
    .unwrap();
    let ours = Ours::start(&dir, &[]);
    assert_eq!(ours.connect().call(&["GET", "old"]), b"$3\r\nyes\r\n");
    assert!(ours
        .log()
        .contains("Successfully migrated an old-style AOF file (appendonly.aof)"));
    assert!(!dir.join("appendonly.aof").exists());
    assert_eq!(
        fs::read_to_string(dir.join("appendonlydir/appendonly.aof.manifest")).unwrap(),
        "file appendonly.aof seq 1 type b\nfile appendonly.aof.1.incr.aof seq 1 type i\n"
    );
}

#[test]
fn config_set_appendonly_yes_starts_the_log_with_a_rewrite() {
    let dir = scratch("config-set");
    let ours = Ours::start(&dir, &["--appendonly", "no"]);
    let mut conn = ours.connect();
    conn.call(&["SET", "before", "1"]);
    assert!(!dir.join("appendonlydir").exists());
    assert_eq!(
        conn.call(&["CONFIG", "SET", "appendonly", "yes"]),
        b"+OK\r\n"
    );
    conn.call(&["SET", "after", "2"]);
    wait_for_rewrite(&mut conn);
    assert_eq!(
        conn.call(&["CONFIG", "GET", "appendonly"]),
        b"*2\r\n$10\r\nappendonly\r\n$3\r\nyes\r\n"
    );
    shutdown(&mut conn);
    drop(ours);
    let ours = Ours::start(&dir, &[]);
    let mut conn = ours.connect();
    assert_eq!(
        conn.call(&["MGET", "before", "after"]),
        b"*2\r\n$1\r\n1\r\n$1\r\n2\r\n"
    );
    assert_eq!(
        conn.call(&["CONFIG", "SET", "appendonly", "no"]),
        b"+OK\r\n"
    );
    conn.call(&["SET", "unlogged", "3"]);
    shutdown(&mut conn);
    drop(ours);
    let ours = Ours::start(&dir, &[]);
    assert_eq!(
        ours.connect().call(&["EXISTS", "unlogged", "after"]),
        b":1\r\n"
    );
}

//@ passes from step 3
#[test]
fn config_and_errors_of_the_aof_settings_match_redis() {
    assert_same_as_redis(&[
        Case::Cmds(&["CONFIG GET appendfsync"]),
        Case::Cmds(&["CONFIG GET appendonly"]),
        Case::Cmds(&["CONFIG GET appenddirname"]),
        Case::Cmds(&["CONFIG GET appendfilename"]),
        Case::Cmds(&["CONFIG GET aof-load-truncated"]),
        Case::Cmds(&["CONFIG GET aof-use-rdb-preamble"]),
        Case::Cmds(&["CONFIG SET appendfsync sometimes"]),
        Case::Cmds(&["CONFIG SET appendonly maybe"]),
        Case::Cmds(&["CONFIG SET appenddirname elsewhere"]),
        Case::Cmds(&["CONFIG SET appendfilename other.aof"]),
        Case::Cmds(&["CONFIG SET aof-use-rdb-preamble perhaps"]),
        Case::Cmds(&[
            "CONFIG SET appendfsync always",
            "CONFIG GET appendfsync",
            "CONFIG SET appendfsync everysec",
        ]),
        Case::Cmds(&["BGREWRITEAOF extra"]),
    ]);
}

#[test]
fn bgrewriteaof_inside_exec_waits_for_the_transaction_to_end() {
    let dir = scratch("exec-rewrite");
    let ours = Ours::start(&dir, &[]);
    let mut conn = ours.connect();
    conn.call(&["SET", "n", "1"]);
    conn.call(&["MULTI"]);
    conn.call(&["INCR", "n"]);
    conn.call(&["BGREWRITEAOF"]);
    conn.call(&["INCR", "n"]);
    assert_eq!(
        conn.call(&["EXEC"]),
        b"*3\r\n:2\r\n+Background append only file rewriting scheduled\r\n:3\r\n"
    );
    wait_for_rewrite(&mut conn);
    conn.call(&["INCR", "n"]);
    shutdown(&mut conn);
    drop(ours);
    // Each INCR replays once: in the new base, or in the new incr file.
    let ours = Ours::start(&dir, &[]);
    assert_eq!(ours.connect().call(&["GET", "n"]), b"$1\r\n4\r\n");
    assert!(
        fs::read_to_string(dir.join("appendonlydir/appendonly.aof.manifest"))
            .unwrap()
            .contains("appendonly.aof.2.base.rdb")
    );
}

#[test]
fn a_pop_served_to_a_waiting_client_is_logged_as_the_plain_pop() {
    let dir = scratch("served");
    let ours = Ours::start(&dir, &[]);
    let mut waiter = ours.connect();
    let mut mover = ours.connect();
    waiter.send(&["BLPOP", "queue", "0"]);
    mover.send(&["BLMOVE", "src", "dst", "RIGHT", "LEFT", "0"]);
    std::thread::sleep(Duration::from_millis(200));
    let mut conn = ours.connect();
    conn.call(&["RPUSH", "queue", "a", "b"]);
    conn.call(&["RPUSH", "src", "x", "y"]);
    assert_eq!(waiter.read_reply(), b"*2\r\n$5\r\nqueue\r\n$1\r\na\r\n");
    assert_eq!(mover.read_reply(), b"$1\r\ny\r\n");
    let before = state(&mut conn);
    shutdown(&mut conn);
    drop(ours);
    let incr = fs::read(last_incr(&dir)).unwrap();
    let logged = String::from_utf8_lossy(&incr).replace("\r\n", " ");
    assert!(logged.contains("LPOP $5 queue"), "{logged}");
    assert!(
        logged.contains("LMOVE $3 src $3 dst $5 RIGHT $4 LEFT"),
        "{logged}"
    );
    assert!(!logged.contains("BLPOP"), "{logged}");
    let ours = Ours::start(&dir, &[]);
    assert_eq!(state(&mut ours.connect()), before);
}
