//! What persistence does to the rest of the server, against real Redis:
//! writes refused with MISCONF after a background save fails (and the
//! `stop-writes-on-bgsave-error` setting) or while the append-only file
//! cannot be written (a disk that is full), FLUSHALL saving the emptied
//! keyspace when a save policy exists, and CONFIG SET of AOF and other
//! settings in one call. Tests that need redis-server say loudly that
//! they were SKIPPED when it is missing.

//@ passes from step 9

mod common;

use std::fs;
use std::path::Path;
use std::thread;
use std::time::{Duration, Instant};

use common::differential::{run_script, show, start_redis_with};
use common::{fresh_dir, info_field, Conn, RealRedis, TestServer};

/// `field` of INFO persistence, as the server at `port` reports it.
fn persistence_field(port: u16, field: &str) -> String {
    info_field(&Conn::connect(port).call(&["INFO", "persistence"]), field)
}

/// Waits, up to 20 s, until INFO persistence shows `field` as `value`.
fn wait_for_field(port: u16, field: &str, value: &str) {
    let deadline = Instant::now() + Duration::from_secs(20);
    while persistence_field(port, field) != value {
        assert!(Instant::now() < deadline, "{field} never became {value}");
        thread::sleep(Duration::from_millis(20));
    }
}

/// After a BGSAVE into a directory that has been deleted: what writes,
/// reads, PING, transactions and the two settings that lift the refusal
/// get, from two clients.
fn refused_writes(port: u16, dir: &Path) -> Vec<u8> {
    let mut conn = Conn::connect(port);
    assert_eq!(conn.call_str(&["SET", "kept", "v"]), "+OK\r\n");
    fs::remove_dir_all(dir).unwrap();
    assert_eq!(conn.call_str(&["BGSAVE"]), "+Background saving started\r\n");
    wait_for_field(port, "rdb_bgsave_in_progress", "0");
    assert_eq!(persistence_field(port, "rdb_last_bgsave_status"), "err");
    run_script(
        port,
        &[
            (0, "SET k v"),
            (0, "PING"),
            (0, "PING hello"),
            (0, "GET kept"),
            (0, "DEL kept"),
            (0, "SET"),
            (0, "NOSUCHCOMMAND"),
            (0, "MULTI"),
            (0, "SET k v"),
            (0, "GET kept"),
            (0, "EXEC"),
            (0, "MULTI"),
            (0, "GET kept"),
            (0, "EXEC"),
            (0, "CONFIG GET stop-writes-on-bgsave-error"),
            (0, "CONFIG SET stop-writes-on-bgsave-error maybe"),
            (0, "CONFIG SET stop-writes-on-bgsave-error no"),
            (0, "CONFIG GET stop-writes-on-bgsave-error"),
            (0, "SET k v"),
            (0, "MULTI"),
            (0, "SET k2 v2"),
            (1, "CONFIG SET stop-writes-on-bgsave-error yes"),
            (0, "EXEC"),
            (0, "EXEC"),
            (1, "PING"),
            (1, "CONFIG SET save \"\""),
            (1, "INCR n"),
            (1, "CONFIG SET save \"3600 1\""),
            (1, "INCR n"),
            (1, "MGET kept k k2 n"),
        ],
    )
}

#[test]
fn writes_and_ping_get_misconf_after_a_failed_bgsave_as_in_redis() {
    let args = ["--save", "3600 1"];
    let says = "MISCONF Redis is configured to save RDB snapshots";
    let Some(ours) = same_as_redis("MISCONF", &args, refused_writes, says) else {
        return;
    };
    let log = ours.log().join("\n");
    assert!(log.contains("Background saving error"), "{log}");
}

/// Runs `transcript` on redis-server and on ours, each started with `args`
/// in a fresh directory of its own (Redis first), and checks that ours
/// `says` what the test is about and that the two are the same, byte for
/// byte. Returns our server, for its log; `None` (saying so) without Redis.
fn same_as_redis(
    name: &str,
    args: &[&str],
    transcript: fn(u16, &Path) -> Vec<u8>,
    says: &str,
) -> Option<TestServer> {
    let dir_name = name.to_lowercase().replace(' ', "-");
    let redis_dir = fresh_dir(&format!("{dir_name}-redis"));
    let redis_args = [&["--dir", redis_dir.to_str().unwrap()][..], args].concat();
    let redis = start_redis_with(&format!("{name} against real Redis"), &redis_args)?;
    let our_dir = fresh_dir(&format!("{dir_name}-ours"));
    let ours = TestServer::start(&[&["--dir", our_dir.to_str().unwrap()][..], args].concat());
    let expected = transcript(redis.port, &redis_dir);
    let got = transcript(ours.port, &our_dir);
    assert!(show(&got).contains(says), "{}", show(&got));
    assert_eq!(show(&got), show(&expected));
    Some(ours)
}

/// SAVE with three keys, FLUSHALL, then a crash (SIGKILL, nothing saved
/// on the way out): the keys a restart finds in the dump, and what INFO
/// said of the changes since the last save just after the flush.
fn keys_after_flushall_and_crash(policy: &str, redis: bool) -> (String, String) {
    let dir = fresh_dir("flushall");
    let dir_arg = dir.to_str().unwrap();
    let args = [
        "--dir",
        dir_arg,
        "--save",
        policy,
        "--dbfilename",
        "dump.rdb",
    ];
    let changes = if redis {
        let Some(server) = RealRedis::spawn(&args) else {
            panic!("redis-server starts");
        };
        flush_after_save(server.port)
    } else {
        let mut server = TestServer::start(&args);
        let changes = flush_after_save(server.port);
        server.kill();
        changes
    };
    let keys = if redis {
        let server = RealRedis::spawn(&args).expect("redis-server starts again");
        Conn::connect(server.port).call_str(&["DBSIZE"])
    } else {
        let server = TestServer::start(&args);
        server.connect().call_str(&["DBSIZE"])
    };
    (keys, changes)
}

fn flush_after_save(port: u16) -> String {
    let mut conn = Conn::connect(port);
    for key in ["a", "b", "c"] {
        assert_eq!(conn.call_str(&["SET", key, "v"]), "+OK\r\n");
    }
    assert_eq!(conn.call_str(&["SAVE"]), "+OK\r\n");
    assert_eq!(conn.call_str(&["SET", "d", "v"]), "+OK\r\n");
    assert_eq!(conn.call_str(&["FLUSHALL"]), "+OK\r\n");
    persistence_field(port, "rdb_changes_since_last_save")
}

#[test]
fn flushall_saves_the_empty_keyspace_when_a_save_policy_exists() {
    let with_policy = keys_after_flushall_and_crash("3600 1", false);
    assert_eq!(with_policy.0, ":0\r\n", "the flushed keys came back");
    let without = keys_after_flushall_and_crash("", false);
    assert_eq!(without.0, ":3\r\n", "without a policy the last dump stays");
    if which_redis().is_none() {
        return;
    }
    assert_eq!(with_policy, keys_after_flushall_and_crash("3600 1", true));
    assert_eq!(without, keys_after_flushall_and_crash("", true));
}

/// Whether redis-server is here, saying loudly that the comparison with
/// it is skipped when not.
fn which_redis() -> Option<RealRedis> {
    start_redis_with("the comparison with real Redis", &[])
}

#[test]
fn flushall_during_a_bgsave_leaves_no_old_keys_on_disk() {
    let dir = fresh_dir("flushall-bgsave");
    let args = ["--dir", dir.to_str().unwrap(), "--save", "3600 1"];
    let mut server = TestServer::start(&args);
    let mut conn = server.connect();
    let big = "x".repeat(1000);
    let mut batch = Vec::new();
    for i in 0..100_000 {
        batch.push(format!("key:{i}"));
        batch.push(big.clone());
    }
    let mut words = vec!["MSET"];
    words.extend(batch.iter().map(String::as_str));
    assert_eq!(conn.call_str(&words), "+OK\r\n");
    assert_eq!(conn.call_str(&["BGSAVE"]), "+Background saving started\r\n");
    assert_eq!(conn.call_str(&["FLUSHALL"]), "+OK\r\n");
    // The background save was given up, or done before the flush's own
    // save replaced its file. Given up, its thread ends at its next step,
    // as Redis's child is reaped after FLUSHALL has answered; a save given
    // up on purpose is no failure.
    wait_for_field(server.port, "rdb_bgsave_in_progress", "0");
    assert_eq!(
        persistence_field(server.port, "rdb_last_bgsave_status"),
        "ok"
    );
    let names = |dir: &Path| -> Vec<String> {
        let entries = fs::read_dir(dir).unwrap().map(|entry| entry.unwrap());
        entries
            .map(|e| e.file_name().into_string().unwrap())
            .collect()
    };
    assert_eq!(names(&dir), ["dump.rdb"], "no temporary file is left");
    server.kill();
    let again = TestServer::start(&args);
    assert_eq!(again.connect().call_str(&["DBSIZE"]), ":0\r\n");
}

/// CONFIG SET of append-only settings with others in one call: the
/// refusals in Redis's order, all or nothing, and what CONFIG GET shows.
fn mixed_config_set(port: u16) -> Vec<u8> {
    run_script(
        port,
        &[
            (0, "CONFIG SET appendfsync always timeout 10"),
            (0, "CONFIG GET appendfsync"),
            (0, "CONFIG GET timeout"),
            (0, "CONFIG SET appendfsync no APPENDFSYNC no"),
            (0, "CONFIG SET timeout 5 appenddirname x"),
            (0, "CONFIG SET timeout 5 appendfilename x"),
            (0, "CONFIG SET appendonly maybe timeout 5"),
            (0, "CONFIG SET timeout 5 appendfsync sometimes"),
            (0, "CONFIG SET timeout 5 aof-use-rdb-preamble perhaps"),
            (0, "CONFIG SET timeout x appendonly yes"),
            (0, "CONFIG GET timeout"),
            (0, "CONFIG GET appendonly"),
            (
                0,
                "CONFIG SET appendonly yes timeout 0 appendfsync everysec",
            ),
            (0, "CONFIG GET appendonly"),
            (0, "CONFIG GET appendfsync"),
            (0, "CONFIG GET timeout"),
            (0, "CONFIG SET appendonly no stop-writes-on-bgsave-error no"),
            (0, "CONFIG GET appendonly"),
            (0, "CONFIG GET stop-writes-on-bgsave-error"),
            (0, "CONFIG SET nosuchsetting 1 appendonly yes"),
            (0, "CONFIG SET appendonly yes timeout"),
        ],
    )
}

#[test]
fn config_set_mixes_aof_and_other_settings_as_redis() {
    let Some(redis) = start_redis_with("mixed CONFIG SET against real Redis", &[]) else {
        return;
    };
    let ours = TestServer::start(&[]);
    let expected = mixed_config_set(redis.port);
    let got = mixed_config_set(ours.port);
    assert_eq!(show(&got), show(&expected));
}

/// With the AOF on, its next incr file made a link to `/dev/full` (every
/// write fails: the disk is full), a BGREWRITEAOF switches to it: what a
/// write, PING, a read and a transaction then get.
fn aof_write_error(port: u16, dir: &Path) -> Vec<u8> {
    let next_incr = dir.join("appendonlydir/appendonly.aof.2.incr.aof");
    std::os::unix::fs::symlink("/dev/full", next_incr).unwrap();
    let mut conn = Conn::connect(port);
    assert_eq!(conn.call_str(&["SET", "kept", "v"]), "+OK\r\n");
    assert_eq!(
        conn.call_str(&["BGREWRITEAOF"]),
        "+Background append only file rewriting started\r\n"
    );
    wait_for_field(port, "aof_rewrite_in_progress", "0");
    // Acknowledged, then lost to the full disk as it is written.
    assert_eq!(conn.call_str(&["SET", "lost", "v"]), "+OK\r\n");
    wait_for_field(port, "aof_last_write_status", "err");
    run_script(
        port,
        &[
            (0, "SET k v"),
            (0, "PING"),
            (0, "GET kept"),
            (0, "MULTI"),
            (0, "INCR n"),
            (0, "EXEC"),
            (0, "CONFIG SET stop-writes-on-bgsave-error no"),
            (0, "SET k v"),
            (0, "CONFIG SET appendonly no"),
            (0, "SET k v"),
            (0, "GET k"),
        ],
    )
}

#[test]
fn writes_get_misconf_while_the_aof_cannot_be_written_as_in_redis() {
    let on = ["--appendonly", "yes", "--appendfsync", "everysec"];
    let says = "MISCONF Errors writing to the AOF file: No space left on device";
    let Some(ours) = same_as_redis("AOF MISCONF", &on, aof_write_error, says) else {
        return;
    };
    let log = ours.log().join("\n");
    let errors = log.matches("Error writing to the AOF file").count();
    assert_eq!(errors, 1, "logged once, not once per retry: {log}");
}

/// Fills the server with `n` keys of 100 bytes, in one MSET.
fn fill(conn: &mut Conn, n: usize) {
    let value = "v".repeat(100);
    let keys: Vec<String> = (0..n).map(|i| format!("key:{i}")).collect();
    let mut words = vec!["MSET"];
    for key in &keys {
        words.extend([key.as_str(), value.as_str()]);
    }
    assert_eq!(conn.call_str(&words), "+OK\r\n");
}

#[test]
fn two_clients_saving_at_once_both_save() {
    let dir = fresh_dir("two-saves");
    let server = TestServer::start(&["--dir", dir.to_str().unwrap()]);
    fill(&mut server.connect(), 100_000);
    let port = server.port;
    let savers: Vec<_> = (0..2)
        .map(|_| {
            thread::spawn(move || {
                let mut conn = Conn::connect(port);
                (0..4).map(|_| conn.call_str(&["SAVE"])).collect::<Vec<_>>()
            })
        })
        .collect();
    for saver in savers {
        assert_eq!(saver.join().unwrap(), ["+OK\r\n"; 4]);
    }
    assert_eq!(persistence_field(port, "rdb_last_bgsave_status"), "ok");
}

#[test]
fn shutdown_nosave_during_a_bgsave_leaves_no_temporary_file() {
    let dir = fresh_dir("nosave-bgsave");
    let mut server = TestServer::start(&["--dir", dir.to_str().unwrap()]);
    let mut conn = server.connect();
    fill(&mut conn, 100_000);
    assert_eq!(conn.call_str(&["BGSAVE"]), "+Background saving started\r\n");
    conn.send(&["SHUTDOWN", "NOSAVE"]);
    assert!(conn.is_closed());
    assert_eq!(server.wait_exit(Duration::from_secs(10)), Some(true));
    let left: Vec<_> = fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    let temporary = left
        .iter()
        .filter(|name| name.to_string_lossy().starts_with("temp-"));
    assert_eq!(temporary.count(), 0, "{left:?}");
}

/// Sends `commands` in one write and notes each reply in `transcript`.
fn pipeline(conn: &mut Conn, commands: &[&[&str]], transcript: &mut Vec<String>) {
    let mut bytes = Vec::new();
    for words in commands {
        let words: Vec<&[u8]> = words.iter().map(|w| w.as_bytes()).collect();
        bytes.extend(common::encode(&words));
    }
    conn.send_raw(&bytes);
    for words in commands {
        let reply = String::from_utf8(conn.read_reply()).unwrap();
        transcript.push(format!("{words:?} -> {reply:?}"));
    }
}

/// What one server answers when background jobs meet: a rewrite asked for
/// during a BGSAVE, a BGSAVE (plain, then SCHEDULE) during a rewrite, and
/// a BGSAVE inside EXEC; then whether each job that was only scheduled ran
/// once the other was done. Redis runs one background job at a time.
fn jobs_meeting(port: u16) -> Vec<String> {
    let mut conn = Conn::connect(port);
    fill(&mut conn, 200_000);
    let mut transcript = Vec::new();
    // All three in one INFO: read one by one, a scheduled rewrite could
    // start between two reads and look like none at all.
    let idle = |port: u16| {
        let jobs = [
            "rdb_bgsave_in_progress",
            "aof_rewrite_in_progress",
            "aof_rewrite_scheduled",
        ];
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            let info = Conn::connect(port).call(&["INFO", "persistence"]);
            if jobs.iter().all(|field| info_field(&info, field) == "0") {
                break;
            }
            assert!(Instant::now() < deadline, "background jobs never ended");
            thread::sleep(Duration::from_millis(20));
        }
    };
    pipeline(
        &mut conn,
        &[&["BGSAVE"], &["BGREWRITEAOF"]],
        &mut transcript,
    );
    transcript.push(format!(
        "scheduled: {}",
        persistence_field(port, "aof_rewrite_scheduled")
    ));
    idle(port);
    let rewrites = persistence_field(port, "aof_rewrites");
    transcript.push(format!("rewrites after: {rewrites}"));
    let commands: &[&[&str]] = &[&["BGREWRITEAOF"], &["BGSAVE"], &["BGSAVE", "SCHEDULE"]];
    pipeline(&mut conn, commands, &mut transcript);
    idle(port);
    wait_for_field(port, "rdb_saves", "2");
    idle(port);
    pipeline(
        &mut conn,
        &[&["MULTI"], &["BGSAVE"], &["EXEC"]],
        &mut transcript,
    );
    wait_for_field(port, "rdb_saves", "3");
    idle(port);
    transcript.push(format!("saves: {}", persistence_field(port, "rdb_saves")));
    // SAVE counts too, FLUSHALL's own save does not.
    conn.call(&["SAVE"]);
    conn.call(&["CONFIG", "SET", "save", "3600 1"]);
    conn.call(&["FLUSHALL"]);
    transcript.push(format!("saves: {}", persistence_field(port, "rdb_saves")));
    transcript
}

#[test]
fn background_jobs_run_one_at_a_time_as_in_redis() {
    let dir = fresh_dir("jobs-meeting");
    let ours = TestServer::start(&["--dir", dir.to_str().unwrap()]);
    let transcript = jobs_meeting(ours.port);
    let scheduled = "\"+Background append only file rewriting scheduled\\r\\n\"";
    assert!(transcript[1].ends_with(scheduled), "{transcript:#?}");
    let refused = "ERR Another child process is active";
    assert!(transcript[5].contains(refused), "{transcript:#?}");
    let redis_dir = fresh_dir("jobs-meeting-redis");
    let Some(redis) = start_redis_with(
        "the background jobs' order compared with Redis's",
        &["--dir", redis_dir.to_str().unwrap()],
    ) else {
        return;
    };
    assert_eq!(transcript, jobs_meeting(redis.port));
}
