//! MULTI, EXEC, DISCARD, WATCH and UNWATCH against a real `redis-server`,
//! byte for byte. Single-connection cases use the shared harness; WATCH,
//! which is about what *other* clients do, runs scripts over two
//! connections on each server.
//!
//! Needs `redis-server` (see `tests/redis_differential.rs`).

//@ passes from step 7

mod common;

use std::thread;
use std::time::Duration;

use common::differential::{assert_same_as_redis, run_script, show, start_redis, Case};
use common::TestServer;
use Case::*;

fn cases() -> Vec<Case> {
    vec![
        Cmds(&[
            "multi", "set a 1", "incr a", "incr a", "get a", "exec", "get a",
        ]),
        Cmds(&["multi", "multi", "exec"]),
        Cmds(&["multi", "watch a", "exec"]),
        Cmds(&["exec", "discard", "unwatch", "watch"]),
        Cmds(&["multi", "foo", "set a 1", "exec", "get a"]),
        Cmds(&["multi", "get", "set a 1", "exec", "get a"]),
        Cmds(&[
            "multi",
            "set a v ex abc",
            "incr a",
            "set b 1",
            "exec",
            "get b",
        ]),
        Cmds(&["multi", "client nosuch", "exec"]),
        Cmds(&["multi", "ping", "echo x", "discard", "ping", "exec"]),
        Cmds(&["multi", "exec x", "exec"]),
        Cmds(&["multi x"]),
        Cmds(&["watch a", "multi", "exec"]),
        Cmds(&["multi", "set a 1", "exec", "exec"]),
        Cmds(&["multi", "discard x", "exec"]),
        Cmds(&["multi", "shutdown abort", "exec"]),
        Cmds(&["multi", "shutdown nosave", "ping", "exec"]),
        Cmds(&[
            "multi",
            "set k abc",
            "incr k",
            "append k d",
            "get k",
            "exec",
        ]),
        Cmds(&["multi", "unwatch", "ping", "exec"]),
        Cmds(&["multi", "watch", "exec"]),
        Cmds(&[
            "multi",
            "config get maxclients",
            "dbsize",
            "info nosuchsection",
            "exec",
        ]),
        Cmds(&[
            "multi",
            "client setname tx",
            "client getname",
            "exec",
            "client getname",
        ]),
        Cmds(&["multi", "command count x", "exec"]),
        Cmds(&[
            "multi",
            "set k v",
            "expire k 100",
            "ttl k",
            "persist k",
            "ttl k",
            "del k",
            "exists k",
            "exec",
        ]),
        Cmds(&["multi", "set k v exat 1", "get k", "dbsize", "exec"]),
        Cmds(&["set a 1", "watch a", "set a 2", "multi", "get a", "exec"]),
        Cmds(&["set a 1", "watch a", "get a", "multi", "get a", "exec"]),
        Cmds(&[
            "set a 1",
            "watch a",
            "set a 1 nx",
            "expire a 10 xx gt",
            "multi",
            "get a",
            "exec",
        ]),
        Cmds(&["set a abc", "watch a", "incr a", "multi", "get a", "exec"]),
        Cmds(&[
            "set a x",
            "watch a",
            "append a ''",
            "multi",
            "get a",
            "exec",
        ]),
        Cmds(&["watch a", "unwatch", "set a 1", "multi", "get a", "exec"]),
        Cmds(&["watch a b c", "watch a", "set c 1", "multi", "ping", "exec"]),
        Cmds(&["watch nokey", "flushall", "multi", "ping", "exec"]),
        Cmds(&["set x 1", "watch x", "flushdb", "multi", "ping", "exec"]),
        Cmds(&[
            "set x 1",
            "watch x",
            "del nokey",
            "persist x",
            "multi",
            "ping",
            "exec",
        ]),
        Cmds(&[
            "set x 1", "watch x", "multi", "set x 2", "exec", "multi", "set x 3", "exec", "get x",
        ]),
        Cmds(&["set e 1 exat 1", "watch e", "multi", "ping", "exec"]),
        // Already expired when watched: its deletion (by a read, or by SET
        // on it) is no change; a real write after it is.
        Cmds(&[
            "set e 1 exat 1",
            "watch e",
            "get e",
            "multi",
            "ping",
            "exec",
        ]),
        Cmds(&[
            "set e 1 exat 1",
            "watch e",
            "exists e",
            "set e 2",
            "multi",
            "ping",
            "exec",
        ]),
        Cmds(&[
            "set e 1 px 100000",
            "watch e",
            "pexpire e 1",
            "multi",
            "ping",
            "exec",
        ]),
        Cmds(&[
            "watch a", "multi", "discard", "set a 1", "multi", "ping", "exec",
        ]),
        Cmds(&[
            "hello 3", "multi", "set a 1", "get a", "exec", "set a 2", "watch a", "set a 3",
            "multi", "exec",
        ]),
        Cmds(&["multi", "hello 3", "exec", "get nokey"]),
        Cmds(&["multi", "set a 1", "quit"]),
        Cmds(&["multi", "mset a 1 b", "mset a 1 b 2", "exec"]),
        Cmds(&["multi", "command getkeys", "exec"]),
    ]
}

#[test]
fn transactions_answer_as_in_redis() {
    assert_same_as_redis(&cases());
}

/// WATCH is about other clients: a change by anyone aborts EXEC.
#[test]
fn watch_sees_what_other_clients_do() {
    let Some(redis) = start_redis("the WATCH test") else {
        return;
    };
    let ours = TestServer::start(&["--hz", "1"]);
    let scripts: &[&[(usize, &str)]] = &[
        &[
            (0, "flushall"),
            (0, "set k 1"),
            (0, "watch k"),
            (1, "set k 2"),
            (0, "multi"),
            (0, "get k"),
            (0, "exec"),
        ],
        &[
            (0, "flushall"),
            (0, "watch k"),
            (1, "set k 2"),
            (0, "multi"),
            (0, "exec"),
        ],
        &[
            (0, "flushall"),
            (0, "set k 1"),
            (0, "watch k"),
            (1, "del k"),
            (0, "multi"),
            (0, "exec"),
        ],
        &[
            (0, "flushall"),
            (0, "set k 1"),
            (0, "watch k"),
            (1, "flushall"),
            (0, "multi"),
            (0, "exec"),
        ],
        &[
            (0, "flushall"),
            (0, "watch k"),
            (1, "flushall"),
            (0, "multi"),
            (0, "exec"),
        ],
        &[
            (0, "flushall"),
            (0, "set k 1"),
            (0, "watch k"),
            (1, "get k"),
            (1, "set k 5 nx"),
            (0, "multi"),
            (0, "incr k"),
            (0, "exec"),
        ],
        &[
            (0, "flushall"),
            (0, "set k 1"),
            (0, "watch k"),
            (1, "watch k"),
            (1, "multi"),
            (1, "incr k"),
            (1, "exec"),
            (0, "multi"),
            (0, "incr k"),
            (0, "exec"),
            (0, "get k"),
        ],
        &[
            (0, "flushall"),
            (0, "set k 1"),
            (0, "watch k"),
            (1, "expire k 100"),
            (0, "multi"),
            (0, "exec"),
        ],
        &[
            (0, "flushall"),
            (0, "set k 1"),
            (0, "watch k"),
            (1, "incr k x"),
            (1, "incr nokey"),
            (0, "multi"),
            (0, "exec"),
        ],
        &[
            (0, "flushall"),
            (0, "set k 1"),
            (0, "watch k"),
            (1, "mset a 1 k 2"),
            (0, "multi"),
            (0, "exec"),
        ],
        &[
            (0, "flushall"),
            (0, "set k 1"),
            (0, "watch k"),
            (0, "unwatch"),
            (1, "set k 2"),
            (0, "multi"),
            (0, "exec"),
        ],
    ];
    let mut mismatches = Vec::new();
    for (i, script) in scripts.iter().enumerate() {
        let expected = run_script(redis.port, script);
        let got = run_script(ours.port, script);
        if expected != got {
            mismatches.push(format!(
                "script {i}:\n   redis: {}\n    ours: {}",
                show(&expected),
                show(&got)
            ));
        }
    }
    assert!(mismatches.is_empty(), "{}", mismatches.join("\n"));
}

/// A watched key that expires (here, after 100 ms) aborts EXEC, even if no
/// one has deleted it yet, as in Redis 7.0.
#[test]
fn a_watched_key_that_expires_aborts_exec() {
    let Some(redis) = start_redis("the WATCH expiry test") else {
        return;
    };
    let ours = TestServer::start(&["--hz", "1"]);
    for port in [redis.port, ours.port] {
        let mut c = common::Conn::connect(port);
        c.call(&["SET", "k", "v", "PX", "100"]);
        assert_eq!(c.call_str(&["WATCH", "k"]), "+OK\r\n");
        thread::sleep(Duration::from_millis(300));
        c.call(&["MULTI"]);
        c.call(&["PING"]);
        assert_eq!(c.call_str(&["EXEC"]), "*-1\r\n", "port {port}");
    }
}

/// A write that changes nothing (SADD of a member already there, SREM of
/// one that is not) does not abort a watcher's EXEC, as in Redis.
#[test]
fn a_write_that_changes_nothing_leaves_watch_alone() {
    let Some(redis) = start_redis("the no-op WATCH test") else {
        return;
    };
    let ours = TestServer::start(&["--hz", "1"]);
    let scripts: &[&[(usize, &str)]] = &[
        &[
            (0, "flushall"),
            (0, "sadd s 1"),
            (0, "watch s"),
            (1, "sadd s 1"),
            (1, "srem s 9"),
            (0, "multi"),
            (0, "ping"),
            (0, "exec"),
        ],
        &[
            (0, "flushall"),
            (0, "sadd s 1"),
            (0, "watch s"),
            (1, "sadd s 1 2"),
            (0, "multi"),
            (0, "ping"),
            (0, "exec"),
        ],
        &[
            (0, "flushall"),
            (0, "sadd s 1 2"),
            (0, "watch s"),
            (1, "srem s 2"),
            (0, "multi"),
            (0, "ping"),
            (0, "exec"),
        ],
    ];
    for script in scripts {
        let expected = run_script(redis.port, script);
        assert_eq!(show(&run_script(ours.port, script)), show(&expected));
    }
}

/// The sorted-set writes that change nothing leave a watcher's EXEC alone,
/// as Redis's `zaddGenericCommand`, `zremCommand`, `zremrangeGenericCommand`
/// and `genericZpopCommand` signal only a real change; the same commands
/// that do change something abort it. Each line is run by another client
/// between WATCH and EXEC, on `z` = {a: 1, b: 2}, a listpack, and on the
/// same members in a skiplist (a member longer than 64 bytes).
#[test]
fn sorted_set_writes_that_change_nothing_leave_watch_alone() {
    let Some(redis) = start_redis("the sorted-set WATCH test") else {
        return;
    };
    let ours = TestServer::start(&["--hz", "1"]);
    let writes = [
        // No change.
        "zadd z 1 a",
        "zadd z nx 5 a",
        "zadd z xx 5 c",
        "zadd z gt 0 a",
        "zadd z lt 9 b",
        "zadd z ch 1 a 2 b",
        "zadd z incr 0 a",
        "zadd z xx incr 1 c",
        "zincrby z 0 a",
        "zrem z c d",
        "zremrangebyscore z 5 9",
        "zremrangebyrank z 5 9",
        "zremrangebylex z [x [y",
        "zpopmin z 0",
        "zpopmax z 0",
        "zadd y xx 1 a",
        // A change.
        "zadd z 3 a",
        "zadd z nx 1 c",
        "zadd z gt 7 a",
        "zincrby z 1 a",
        "zrem z c a",
        "zremrangebyscore z 2 2",
        "zpopmin z 1",
        "zpopmax z",
    ];
    let long = "m".repeat(70);
    let mut mismatches = Vec::new();
    for setup in [
        "zadd z 1 a 2 b".to_string(),
        format!("zadd z 1 a 2 b 3 {long}"),
    ] {
        for write in writes {
            let script = [
                (0, "flushall"),
                (0, setup.as_str()),
                (0, "watch z"),
                (1, write),
                (0, "multi"),
                (0, "ping"),
                (0, "exec"),
            ];
            let expected = run_script(redis.port, &script);
            let got = run_script(ours.port, &script);
            if got != expected {
                mismatches.push(format!(
                    "{setup} / {write}:\n   redis: {}\n    ours: {}",
                    show(&expected),
                    show(&got)
                ));
            }
        }
    }
    assert!(mismatches.is_empty(), "{}", mismatches.join("\n"));
}
