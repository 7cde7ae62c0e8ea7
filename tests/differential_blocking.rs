//! The blocking commands (BLPOP, BRPOP, BLMOVE, BRPOPLPUSH, BLMPOP,
//! BZPOPMIN, BZPOPMAX) against a real `redis-server`, byte for byte: alone
//! on one connection (served at once, timed out, refused), and as scripts
//! over several connections, where one client's write serves another's
//! wait.
//!
//! Needs `redis-server` (see `tests/redis_differential.rs`).

//@ passes from step 7

mod common;

use std::io::{BufReader, Write};
use std::net::TcpStream;
use std::thread;
use std::time::{Duration, Instant};

use common::differential::{assert_same_as_redis, show, start_redis, Case};
use common::{encode, read_value, Conn, TestServer};
use Case::*;

fn cases() -> Vec<Case> {
    vec![
        Cmds(&["blpop nokey 0.05", "brpop nokey other 0.05", "exists nokey"]),
        Cmds(&[
            "rpush l a b c",
            "blpop l 0",
            "brpop l 0",
            "blpop nokey l 0",
            "llen l",
            "blpop l 0.05",
            "exists l",
        ]),
        Cmds(&[
            "set s x",
            "blpop s 0.05",
            "blpop nokey s 0.05",
            "rpush l a",
            "blpop s l 0.05",
            "blpop l s 0.05",
        ]),
        Cmds(&[
            "blpop k abc",
            "blpop k -1",
            "blpop k 1e20",
            "blpop k inf",
            "blpop k nan",
            "blpop k ' 1'",
            "blpop k",
        ]),
        Cmds(&["multi", "blpop nokey 0", "brpop nokey 0", "exec"]),
        Cmds(&[
            "rpush a x y",
            "brpoplpush a b 0",
            "blmove a b left left 0",
            "lrange b 0 -1",
            "brpoplpush a b 0.05",
            "exists a",
        ]),
        Cmds(&[
            "blmove a b up right 0.05",
            "blmove a b left right -1",
            "blmove a b left right abc",
            "set s x",
            "rpush a x",
            "brpoplpush a s 0.05",
            "lrange a 0 -1",
            "brpoplpush s b 0.05",
        ]),
        Cmds(&[
            "rpush l 1 2 3",
            "blmpop 0 2 nokey l right count 2",
            "blmpop 0.05 1 nokey left",
            "blmpop 0.05 0 l left",
            "blmpop 0.05 3 l left",
            "blmpop 0.05 1 l middle",
            "blmpop 0.05 1 l left count 0",
            "blmpop abc 1 l left",
        ]),
        Cmds(&[
            "zadd z 1 m 2 n",
            "bzpopmin z 0",
            "bzpopmax z 0",
            "exists z",
            "bzpopmin z 0.05",
            "set s x",
            "bzpopmin s 0.05",
            "bzpopmax z abc",
        ]),
        Cmds(&[
            "hello 3",
            "blpop nokey 0.05",
            "rpush l a",
            "blpop l 0",
            "zadd z 1.5 m",
            "bzpopmax z 0",
            "brpoplpush a b 0.05",
            "blmpop 0.05 1 a left",
        ]),
        Cmds(&[
            "multi",
            "rpush l a",
            "blpop l 0",
            "blpop l 0",
            "bzpopmin z 0",
            "blmpop 0 1 l left",
            "brpoplpush l m 0",
            "exec",
        ]),
        Cmds(&[
            "command getkeys blpop a b 0",
            "command getkeys blmpop 0 2 a b left",
            "command getkeys blmove a b left right 0",
        ]),
    ]
}

#[test]
fn blocking_commands_alone_answer_as_in_redis() {
    assert_same_as_redis(&cases());
}

/// One step of a script: send a command on a connection, or read the
/// next reply that connection is owed (which may have to wait).
#[derive(Clone, Copy)]
enum Step {
    Send(usize, &'static str),
    Read(usize),
    /// Close a connection (a client that leaves while blocked).
    Close(usize),
    Sleep(u64),
}
use Step::*;

/// Runs `steps` against the server at `port` on fresh connections and
/// returns every reply read, in order, each marked with its connection.
fn run_script(port: u16, steps: &[Step]) -> Vec<u8> {
    let mut streams: Vec<Option<(TcpStream, BufReader<TcpStream>)>> = (0..4)
        .map(|_| {
            let stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
            stream
                .set_read_timeout(Some(Duration::from_secs(5)))
                .unwrap();
            let reader = BufReader::new(stream.try_clone().unwrap());
            Some((stream, reader))
        })
        .collect();
    let mut replies = Vec::new();
    for step in steps {
        match *step {
            Send(c, line) => {
                let args = mini_redis::protocol::parse_inline(line.as_bytes()).unwrap();
                let args: Vec<&[u8]> = args.iter().map(Vec::as_slice).collect();
                let (stream, _) = streams[c].as_mut().expect("open");
                stream.write_all(&encode(&args)).unwrap();
            }
            Read(c) => {
                let (_, reader) = streams[c].as_mut().expect("open");
                replies.extend_from_slice(format!("[{c}] ").as_bytes());
                read_value(reader, &mut replies);
            }
            Close(c) => streams[c] = None,
            Sleep(ms) => thread::sleep(Duration::from_millis(ms)),
        }
    }
    replies
}

#[test]
fn a_write_serves_the_clients_that_wait() {
    let Some(redis) = start_redis("the blocking scripts") else {
        return;
    };
    let ours = TestServer::start(&["--hz", "1"]);
    let settle = Sleep(150); // long enough for a BLPOP to be waiting
    let scripts: Vec<Vec<Step>> = vec![
        // A push wakes the waiter.
        vec![
            Send(0, "blpop k 0"),
            settle,
            Send(1, "rpush k a"),
            Read(1),
            Read(0),
            Send(1, "exists k"),
            Read(1),
        ],
        // First come, first served; one push of two serves two waiters.
        vec![
            Send(0, "blpop k 0"),
            Sleep(100),
            Send(1, "brpop k 0"),
            settle,
            Send(2, "rpush k a b"),
            Read(2),
            Read(0),
            Read(1),
            Send(2, "llen k"),
            Read(2),
        ],
        // The waiter is served before the pusher's next command can take it.
        vec![
            Send(0, "blpop k 0"),
            settle,
            Send(1, "rpush k a"),
            Send(1, "lpop k"),
            Read(1),
            Read(1),
            Read(0),
        ],
        // A transaction's pushes serve the waiter once EXEC has run.
        vec![
            Send(0, "blpop k 0"),
            settle,
            Send(1, "multi"),
            Send(1, "rpush k a"),
            Send(1, "rpush k b"),
            Send(1, "exec"),
            Read(1),
            Read(1),
            Read(1),
            Read(1),
            Read(0),
            Send(1, "lrange k 0 -1"),
            Read(1),
        ],
        // BLMOVE: the element moves to its destination, which may serve another.
        vec![
            Send(0, "blmove src dst left right 0"),
            Sleep(100),
            Send(1, "blpop dst 0"),
            settle,
            Send(2, "rpush src x"),
            Read(2),
            Read(0),
            Read(1),
            Send(2, "exists src dst"),
            Read(2),
        ],
        // BZPOPMIN waits for a ZADD; BLMPOP for a push to any of its keys.
        vec![
            Send(0, "bzpopmin z 0"),
            Sleep(100),
            Send(1, "blmpop 0 2 a b right count 5"),
            settle,
            Send(2, "zadd z 2 m 1 n"),
            Send(2, "rpush b 1 2 3"),
            Read(2),
            Read(2),
            Read(0),
            Read(1),
            Send(2, "zrange z 0 -1"),
            Read(2),
        ],
        // A key that becomes a string does not serve a list's waiter.
        vec![
            Send(0, "blpop k 0.5"),
            settle,
            Send(1, "set k x"),
            Read(1),
            Read(0),
        ],
        // A key that becomes another type leaves its waiters waiting, and
        // the server serving everyone else (no loop under the lock).
        vec![
            Send(0, "blpop a 0.5"),
            settle,
            Send(1, "set a str"),
            Read(1),
            Send(2, "set x 1"),
            Read(2),
            Send(2, "get x"),
            Read(2),
            Read(0),
        ],
        vec![
            Send(0, "blmpop 0.5 1 a left"),
            settle,
            Send(1, "set a str"),
            Read(1),
            Send(2, "ping"),
            Read(2),
            Send(2, "set y 2"),
            Read(2),
            Read(0),
        ],
        // A waiter on several keys is served by the one that can, even if
        // another of its keys holds another type now.
        vec![
            Send(0, "bzpopmin a b 0"),
            settle,
            Send(1, "set a str"),
            Read(1),
            Send(1, "zadd b 1 m"),
            Read(1),
            Read(0),
            Send(1, "exists b"),
            Read(1),
        ],
        vec![
            Send(0, "blpop a b 0"),
            settle,
            Send(1, "set a str"),
            Read(1),
            Send(1, "rpush b x"),
            Read(1),
            Read(0),
            Send(1, "exists b"),
            Read(1),
        ],
        vec![
            Send(0, "blmpop 0 2 a b left count 2"),
            settle,
            Send(1, "set a str"),
            Read(1),
            Send(1, "rpush b x y z"),
            Read(1),
            Read(0),
            Send(1, "lrange b 0 -1"),
            Read(1),
        ],
        // A waiter on two keys is served once.
        vec![
            Send(0, "blpop a b 0"),
            settle,
            Send(1, "rpush a 1"),
            Send(1, "rpush b 2"),
            Read(1),
            Read(1),
            Read(0),
            Send(1, "llen b"),
            Read(1),
        ],
        // A client that leaves while blocked takes nothing.
        vec![
            Send(0, "blpop k 0"),
            settle,
            Close(0),
            Sleep(300),
            Send(1, "rpush k a"),
            Read(1),
            Send(1, "llen k"),
            Read(1),
        ],
        // A timeout of 0.2 s passes, and the key is not waited on any more.
        vec![
            Send(0, "blpop k 0.2"),
            Read(0),
            Send(1, "rpush k a"),
            Read(1),
            Send(1, "llen k"),
            Read(1),
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

/// Timeouts are kept to within a few tens of milliseconds.
#[test]
fn a_timeout_is_kept() {
    let server = TestServer::start(&[]);
    let mut c = Conn::connect(server.port);
    for (timeout, ms) in [("0.2", 200), ("0.05", 50), ("1", 1000)] {
        let started = Instant::now();
        assert_eq!(c.call_str(&["BLPOP", "nokey", timeout]), "*-1\r\n");
        let took = started.elapsed();
        assert!(
            took >= Duration::from_millis(ms) && took < Duration::from_millis(ms + 150),
            "BLPOP ... {timeout} took {took:?}"
        );
    }
}
