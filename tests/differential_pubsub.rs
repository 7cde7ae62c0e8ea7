//@ passes from step 8
//! Pub/sub and MONITOR against a real `redis-server`, byte for byte, in
//! RESP2 and RESP3: scripts over several connections (subscribers,
//! publishers, monitors) run on each server, and everything each
//! connection receives is compared.
//!
//! Needs `redis-server` (see `tests/redis_differential.rs`).

mod common;

use std::io::{BufReader, Write};
use std::net::TcpStream;
use std::time::Duration;

use common::differential::{normalise, start_redis};
use common::{encode, read_value, TestServer};

/// One step of a script.
#[derive(Clone, Copy)]
enum Step {
    /// Send a command on a connection, then read this many frames from it.
    Send(usize, &'static str, usize),
    /// Read this many frames that arrive by themselves (messages).
    Read(usize, usize),
    /// Close a connection, and wait a moment for the server to notice.
    Close(usize),
}
use Step::*;

/// Waits until the server has let go of every subscription: the clients
/// of the script before have closed, and a server notices that on its own
/// time.
fn wait_for_no_subscriptions(port: u16) {
    let mut probe = common::Conn::connect(port);
    for _ in 0..100 {
        let channels = probe.call(&["PUBSUB", "CHANNELS"]);
        let shard = probe.call(&["PUBSUB", "SHARDCHANNELS"]);
        let patterns = probe.call(&["PUBSUB", "NUMPAT"]);
        if channels == b"*0\r\n" && shard == b"*0\r\n" && patterns == b":0\r\n" {
            return;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    panic!("subscriptions of closed clients are still there");
}

/// Runs a script against the server at `port` and returns what every
/// connection received, in order, each frame marked with its connection.
fn run(port: u16, steps: &[Step]) -> Vec<u8> {
    wait_for_no_subscriptions(port);
    let connections = 1 + steps
        .iter()
        .map(|step| match *step {
            Send(c, ..) | Read(c, _) | Close(c) => c,
        })
        .max()
        .unwrap_or(0);
    let mut readers: Vec<Option<BufReader<TcpStream>>> = (0..connections)
        .map(|_| {
            let stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
            stream
                .set_read_timeout(Some(Duration::from_secs(5)))
                .unwrap();
            Some(BufReader::new(stream))
        })
        .collect();
    let mut out = Vec::new();
    for step in steps {
        let (c, frames) = match *step {
            Send(c, line, frames) => {
                let args = mini_redis::protocol::parse_inline(line.as_bytes()).unwrap();
                let args: Vec<&[u8]> = args.iter().map(Vec::as_slice).collect();
                let reader = readers[c].as_mut().expect("an open connection");
                reader.get_mut().write_all(&encode(&args)).unwrap();
                (c, frames)
            }
            Read(c, frames) => (c, frames),
            Close(c) => {
                readers[c] = None;
                std::thread::sleep(Duration::from_millis(100));
                continue;
            }
        };
        let reader = readers[c].as_mut().expect("an open connection");
        for _ in 0..frames {
            out.extend_from_slice(format!("[{c}] ").as_bytes());
            read_value(reader, &mut out);
        }
    }
    // Anything more that had arrived is part of the answer too.
    for (c, reader) in readers.iter().enumerate() {
        if let Some(reader) = reader.as_ref().filter(|r| !r.buffer().is_empty()) {
            out.extend_from_slice(format!("[{c}] more: ").as_bytes());
            out.extend_from_slice(reader.buffer());
        }
    }
    without_clock(&normalise(&out))
}

/// MONITOR lines name a time and a client's port, which differ between
/// servers: `+1700000000.123456 [0 127.0.0.1:5555] "get"` becomes
/// `+T [0 127.0.0.1:P] "get"`.
fn without_clock(bytes: &[u8]) -> Vec<u8> {
    let text = String::from_utf8_lossy(bytes);
    let mut out = String::new();
    for line in text.split_inclusive('\n') {
        match line.split_once(" [0 127.0.0.1:") {
            Some((head, rest)) if head.ends_with(|c: char| c.is_ascii_digit()) => {
                let at = head.rfind('+').expect("a MONITOR line starts with +");
                let port_end = rest.find(']').expect("the address ends with ]");
                out.push_str(&head[..at]);
                out.push_str("+T [0 127.0.0.1:P");
                out.push_str(&rest[port_end..]);
            }
            _ => out.push_str(line),
        }
    }
    out.into_bytes()
}

/// The scripts, each run as it is (RESP2) and with every connection
/// switched to RESP3 first.
fn scripts() -> Vec<Vec<Step>> {
    vec![
        // Subscribe, publish, counts, unsubscribe, unsubscribe from nothing.
        vec![
            Send(0, "subscribe a b a", 3),
            Send(1, "publish a hello", 1),
            Read(0, 1),
            Send(1, "publish b ''", 1),
            Read(0, 1),
            Send(1, "publish nobody x", 1),
            Send(1, "pubsub numsub a b c", 1),
            Send(1, "pubsub numpat", 1),
            Send(0, "unsubscribe a zz", 2),
            Send(1, "publish a lost", 1),
            Send(0, "unsubscribe", 1),
            Send(0, "unsubscribe", 1),
            Send(1, "pubsub channels", 1),
        ],
        // Patterns: pmessage frames, a channel and a pattern both matching.
        vec![
            Send(0, "psubscribe h?llo", 1),
            Send(1, "psubscribe h*", 1),
            Send(1, "subscribe hello", 1),
            Send(2, "publish hello x", 1),
            Read(0, 1),
            Read(1, 2),
            Send(2, "publish hallo y", 1),
            Read(0, 1),
            Read(1, 1),
            Send(2, "publish nomatch z", 1),
            Send(2, "pubsub numpat", 1),
            Send(0, "punsubscribe nosuch h?llo", 2),
            Send(0, "punsubscribe", 1),
            Send(1, "punsubscribe", 1),
            Send(1, "unsubscribe", 1),
            Send(2, "pubsub numpat", 1),
        ],
        // Glob classes and escapes, as KEYS reads them.
        vec![
            Send(0, "psubscribe news.[a-c]* \\*lit", 2),
            Send(1, "publish news.b1 m", 1),
            Read(0, 1),
            Send(1, "publish news.d1 m", 1),
            Send(1, "publish *lit m", 1),
            Read(0, 1),
            Send(1, "publish xlit m", 1),
        ],
        // Binary-safe channels and messages.
        vec![
            Send(0, "subscribe \"c\\x00\\xff\\r\\n\"", 1),
            Send(1, "publish \"c\\x00\\xff\\r\\n\" \"m\\r\\n\\x00\"", 1),
            Read(0, 1),
            Send(1, "pubsub numsub \"c\\x00\\xff\\r\\n\"", 1),
        ],
        // Subscribed mode: RESP2 refuses most commands; RESP3 allows all.
        vec![
            Send(0, "subscribe a", 1),
            Send(0, "get x", 1),
            Send(0, "ping", 1),
            Send(0, "ping hi", 1),
            Send(0, "client id x", 1),
            Send(0, "nosuch", 1),
            Send(0, "get", 1),
            Send(0, "multi", 1),
            Send(0, "echo x", 1),
            Send(0, "psubscribe p*", 1),
            Send(0, "unsubscribe a", 1),
            Send(0, "get x", 1),
            Send(0, "punsubscribe", 1),
            Send(0, "get x", 1),
            Send(0, "ping", 1),
        ],
        // Sharded channels: their own namespace, their own count.
        vec![
            Send(0, "ssubscribe s1 s2", 2),
            Send(0, "subscribe s1", 1),
            Send(1, "psubscribe s*", 1),
            Send(2, "spublish s1 m", 1),
            Read(0, 1),
            Send(2, "publish s1 n", 1),
            Read(0, 1),
            Read(1, 1),
            Send(2, "pubsub shardnumsub s1 s2 s3", 1),
            Send(2, "pubsub shardchannels s1", 1),
            Send(0, "sunsubscribe s1", 1),
            Send(0, "sunsubscribe", 1),
            Send(0, "sunsubscribe", 1),
            Send(0, "unsubscribe", 1),
        ],
        // PUBSUB's subcommands and errors, PUBLISH's arity.
        vec![
            Send(0, "pubsub help", 1),
            Send(0, "pubsub", 1),
            Send(0, "pubsub nosuch", 1),
            Send(0, "pubsub numpat x", 1),
            Send(0, "pubsub channels a b", 1),
            Send(0, "pubsub help x", 1),
            Send(0, "pubsub numsub", 1),
            Send(0, "pubsub channels nomatch*", 1),
            Send(0, "publish a", 1),
            Send(0, "subscribe", 1),
            Send(0, "unsubscribe x y", 2),
            Send(0, "punsubscribe", 1),
        ],
        // RESET leaves every channel and pattern, and MONITOR.
        vec![
            Send(0, "subscribe a", 1),
            Send(0, "psubscribe a*", 1),
            Send(0, "reset", 1),
            Send(0, "get x", 1),
            Send(1, "publish a m", 1),
            Send(1, "pubsub numpat", 1),
            Send(0, "monitor", 1),
            Send(0, "reset", 1),
            Send(1, "set k v", 1),
            Send(0, "get k", 1),
        ],
        // A subscriber that leaves is taken out of every channel.
        vec![
            Send(0, "subscribe a b", 2),
            Send(0, "psubscribe *", 1),
            Send(1, "subscribe a", 1),
            Close(0),
            Send(2, "publish a m", 1),
            Read(1, 1),
            Send(2, "pubsub numsub a b", 1),
            Send(2, "pubsub numpat", 1),
        ],
        // SUBSCRIBE inside MULTI: the confirmations are EXEC's reply.
        vec![
            Send(0, "multi", 1),
            Send(0, "subscribe a b", 1),
            Send(0, "exec", 1),
            Send(1, "publish b m", 1),
            Read(0, 1),
        ],
        // MONITOR: lines in Redis's format, hidden and redacted commands.
        vec![
            Send(0, "monitor", 1),
            Send(1, "set k \"v w\\n\\\"\\x01\"", 1),
            Read(0, 1),
            Send(1, "config get maxclients", 1),
            Send(1, "auth secret", 1),
            Read(0, 1),
            Send(1, "auth a b c", 1),
            Read(0, 1),
            Send(1, "hello 2 auth default pw", 1),
            Read(0, 1),
            Send(1, "nosuch", 1),
            Send(1, "get", 1),
            Send(1, "incr k", 1),
            Read(0, 1),
            Send(1, "publish ch m", 1),
            Read(0, 1),
            Send(1, "multi", 1),
            Send(1, "set k 1", 1),
            Send(1, "config get maxclients", 1),
            Send(1, "incr k", 1),
            Send(1, "exec", 1),
            Read(0, 4),
            Send(1, "multi", 1),
            Send(1, "set k 2", 1),
            Send(1, "discard", 1),
            Read(0, 2),
            Send(0, "monitor", 0),
            Send(0, "get k", 1),
            Send(0, "ping", 2),
            Send(0, "echo e", 2),
            Send(0, "quit", 1),
            Send(1, "ping", 1),
        ],
    ]
}

/// The same script, every connection first switched to RESP3.
fn in_resp3(script: &[Step]) -> Vec<Step> {
    let connections = script
        .iter()
        .map(|step| match *step {
            Send(c, ..) | Read(c, _) | Close(c) => c,
        })
        .max()
        .unwrap_or(0);
    let mut steps: Vec<Step> = (0..=connections).map(|c| Send(c, "hello 3", 1)).collect();
    steps.extend_from_slice(script);
    steps
}

#[test]
fn pubsub_and_monitor_frames_are_redis_s_in_resp2_and_resp3() {
    let Some(redis) = start_redis("the pub/sub differential test") else {
        return;
    };
    let ours = TestServer::start(&[]);
    let mut mismatches = Vec::new();
    for (i, script) in scripts().iter().enumerate() {
        for (version, steps) in [("RESP2", script.clone()), ("RESP3", in_resp3(script))] {
            eprintln!("script {i} in {version}");
            let expected = run(redis.port, &steps);
            let got = run(ours.port, &steps);
            if expected != got {
                mismatches.push(format!(
                    "script {i} in {version}:\n   redis: {:?}\n    ours: {:?}",
                    String::from_utf8_lossy(&expected),
                    String::from_utf8_lossy(&got)
                ));
            }
        }
    }
    assert!(
        mismatches.is_empty(),
        "{} scripts differ from Redis:\n{}",
        mismatches.len(),
        mismatches.join("\n")
    );
}

/// Resident memory of a process, in KiB.
fn rss_kib(pid: u32) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap();
    let line = status.lines().find(|l| l.starts_with("VmRSS:")).unwrap();
    line.split_whitespace().nth(1).unwrap().parse().unwrap()
}

#[test]
fn a_subscriber_that_never_reads_is_dropped_at_the_limit_and_memory_stays_bounded() {
    let server = TestServer::start(&[]);
    let mut subscriber = server.connect();
    assert_eq!(
        subscriber.call_str(&["SUBSCRIBE", "firehose"]),
        "*3\r\n$9\r\nsubscribe\r\n$8\r\nfirehose\r\n:1\r\n"
    );
    let before = rss_kib(server.pid());
    // 64 MiB in 1,024 messages of 64 KiB, pipelined; the subscriber reads none.
    let message = "m".repeat(64 * 1024);
    let mut publisher = server.connect();
    let one = encode(&[b"PUBLISH", b"firehose", message.as_bytes()]);
    let started = std::time::Instant::now();
    let mut receivers = Vec::new();
    for _ in 0..16 {
        for _ in 0..64 {
            publisher.send_raw(&one);
        }
        for _ in 0..64 {
            receivers.push(publisher.read_reply());
        }
    }
    let took = started.elapsed();
    let peak = rss_kib(server.pid());
    // The publisher never waited for the subscriber: each PUBLISH counted
    // it while it was subscribed, then 0 once it was dropped.
    assert_eq!(receivers[0], b":1\r\n");
    assert_eq!(
        receivers.last().unwrap(),
        b":0\r\n",
        "the subscriber was dropped"
    );
    assert!(took < Duration::from_secs(20), "publishing took {took:?}");
    let grew = peak.saturating_sub(before);
    assert!(
        grew < 48 * 1024,
        "RSS grew by {grew} KiB for a 32 MiB limit (before {before}, peak {peak})"
    );
    // The server cut it off: what the kernel held arrives, then the end.
    subscriber
        .stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    assert!(subscriber.is_closed(), "the subscriber's connection ends");
    assert_eq!(
        publisher.call_str(&["PUBSUB", "NUMSUB", "firehose"]),
        "*2\r\n$8\r\nfirehose\r\n:0\r\n"
    );
}

#[test]
fn subscriptions_leave_nothing_behind_after_100k_cycles_and_1000_vanished_clients() {
    let server = TestServer::start(&[]);
    let mut client = server.connect();
    let warm_up = rss_kib(server.pid());
    for round in 0..100 {
        let mut batch = Vec::new();
        for i in 0..1000 {
            let channel = format!("ch:{round}:{i}");
            batch.extend(encode(&[b"SUBSCRIBE", channel.as_bytes()]));
            batch.extend(encode(&[b"PSUBSCRIBE", channel.as_bytes()]));
            batch.extend(encode(&[b"UNSUBSCRIBE", channel.as_bytes()]));
            batch.extend(encode(&[b"PUNSUBSCRIBE", channel.as_bytes()]));
        }
        client.send_raw(&batch);
        for _ in 0..4000 {
            client.read_reply();
        }
    }
    let mut probe = server.connect();
    assert_eq!(probe.call_str(&["PUBSUB", "CHANNELS"]), "*0\r\n");
    assert_eq!(probe.call_str(&["PUBSUB", "NUMPAT"]), ":0\r\n");
    // Clients that subscribe and vanish, without a word.
    for _ in 0..10 {
        let mut clients: Vec<_> = (0..100).map(|_| server.connect()).collect();
        for (i, c) in clients.iter_mut().enumerate() {
            c.call(&["SUBSCRIBE", "shared", &format!("own:{i}")]);
            c.call(&["PSUBSCRIBE", "p*"]);
        }
    }
    let mut gone = false;
    for _ in 0..200 {
        let numsub = probe.call_str(&["PUBSUB", "NUMSUB", "shared"]);
        let numpat = probe.call_str(&["PUBSUB", "NUMPAT"]);
        if numsub == "*2\r\n$6\r\nshared\r\n:0\r\n" && numpat == ":0\r\n" {
            gone = true;
            break;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    assert!(gone, "the vanished clients are still subscribed");
    assert_eq!(probe.call_str(&["PUBLISH", "shared", "x"]), ":0\r\n");
    let grew = rss_kib(server.pid()).saturating_sub(warm_up);
    assert!(grew < 16 * 1024, "RSS grew by {grew} KiB");
}

/// redis-py 8's pub/sub, in RESP3 and RESP2: subscribe, psubscribe,
/// get_message, unsubscribe; and its MONITOR.
const REDIS_PY_PUBSUB: &str = r#"
import sys, time, redis
port = int(sys.argv[1])
def next_message(p):
    deadline = time.time() + 5
    while time.time() < deadline:
        m = p.get_message(timeout=1.0)
        if m is not None:
            return m
    raise SystemExit("no message within 5 s")
for proto in (3, 2):
    r = redis.Redis(port=port, protocol=proto)
    p = r.pubsub()
    p.subscribe("news")
    assert next_message(p) == {"type": "subscribe", "pattern": None, "channel": b"news", "data": 1}
    p.psubscribe("n*")
    assert next_message(p)["type"] == "psubscribe"
    assert r.publish("news", b"\x00hi\r\n") == 2
    m = next_message(p)
    assert m == {"type": "message", "pattern": None, "channel": b"news", "data": b"\x00hi\r\n"}, m
    m = next_message(p)
    assert m == {"type": "pmessage", "pattern": b"n*", "channel": b"news", "data": b"\x00hi\r\n"}, m
    assert r.pubsub_numsub("news") == [(b"news", 1)]
    assert r.pubsub_numpat() == 1
    p.unsubscribe("news")
    assert next_message(p)["type"] == "unsubscribe"
    p.punsubscribe()
    assert next_message(p)["type"] == "punsubscribe"
    assert r.publish("news", "x") == 0
    p.close()
    with r.monitor() as m:
        r.set("k", "v")
        command = m.next_command()
        assert command["command"] == "SET k v", command
    r.close()
print("redis-py pubsub ok")
"#;

/// Runs `program args`; `None` if it is not installed.
fn run_program(program: &str, args: &[&str]) -> Option<std::process::Child> {
    match std::process::Command::new(program)
        .args(args)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .stdin(std::process::Stdio::piped())
        .spawn()
    {
        Ok(child) => Some(child),
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => None,
        Err(err) => panic!("{program} could not start: {err}"),
    }
}

/// Says loudly that a client is missing; fails under CI.
fn missing(what: &str) {
    let warning = format!("{what} is not installed: this interop test DID NOT RUN");
    if std::env::var_os("CI").is_some() {
        panic!("{warning} (it must under CI)");
    }
    eprintln!("\n!!!!! {warning} !!!!!\n");
}

#[test]
fn redis_py_pubsub_and_monitor_in_both_protocols() {
    let server = TestServer::start(&[]);
    let port = server.port.to_string();
    let probe = std::process::Command::new("python3")
        .args(["-c", "import redis"])
        .output();
    if !probe.is_ok_and(|out| out.status.success()) {
        return missing("redis-py (pip install redis)");
    }
    let mut child = run_program("python3", &["-", &port]).unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(REDIS_PY_PUBSUB.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    let text = |b: &[u8]| String::from_utf8_lossy(b).into_owned();
    assert!(
        out.status.success() && text(&out.stdout).contains("pubsub ok"),
        "redis-py script failed:\n{}{}",
        text(&out.stdout),
        text(&out.stderr)
    );
}

/// Reads lines from a child's stdout until one contains `wanted`.
fn wait_for_line(lines: &mut impl Iterator<Item = std::io::Result<String>>, wanted: &str) {
    for line in lines.by_ref() {
        if line.expect("a line").contains(wanted) {
            return;
        }
    }
    panic!("no line with {wanted:?}");
}

#[test]
fn redis_cli_subscribe_and_monitor_print_what_they_receive() {
    use std::io::BufRead;
    let server = TestServer::start(&[]);
    let port = server.port.to_string();
    let Some(mut subscriber) = run_program("redis-cli", &["-p", &port, "subscribe", "cli"]) else {
        return missing("redis-cli");
    };
    let Some(mut monitor) = run_program("redis-cli", &["-p", &port, "monitor"]) else {
        return missing("redis-cli");
    };
    let mut sub_lines = std::io::BufReader::new(subscriber.stdout.take().unwrap()).lines();
    let mut mon_lines = std::io::BufReader::new(monitor.stdout.take().unwrap()).lines();
    wait_for_line(&mut sub_lines, "cli");
    wait_for_line(&mut mon_lines, "OK");
    let mut publisher = server.connect();
    assert_eq!(
        publisher.call_str(&["PUBLISH", "cli", "hello there"]),
        ":1\r\n"
    );
    wait_for_line(&mut sub_lines, "hello there");
    wait_for_line(&mut mon_lines, "\"PUBLISH\" \"cli\" \"hello there\"");
    let _ = subscriber.kill();
    let _ = monitor.kill();
    let _ = subscriber.wait();
    let _ = monitor.wait();
}

/// A `message` frame as a subscriber receives it.
fn message_frame(resp3: bool, channel: &[u8], message: &[u8]) -> Vec<u8> {
    let mut frame = if resp3 {
        b">3\r\n".to_vec()
    } else {
        b"*3\r\n".to_vec()
    };
    frame.extend_from_slice(b"$7\r\nmessage\r\n");
    for part in [channel, message] {
        frame.extend_from_slice(format!("${}\r\n", part.len()).as_bytes());
        frame.extend_from_slice(part);
        frame.extend_from_slice(b"\r\n");
    }
    frame
}

/// Reads `frames` whole values from `reader` and returns their bytes.
fn read_frames(reader: &mut BufReader<TcpStream>, frames: usize) -> Vec<u8> {
    let mut out = Vec::new();
    for _ in 0..frames {
        read_value(reader, &mut out);
    }
    out
}

/// Where two streams part, for a readable failure (they are megabytes).
fn first_difference(expected: &[u8], got: &[u8]) -> String {
    let at = expected
        .iter()
        .zip(got)
        .position(|(a, b)| a != b)
        .unwrap_or(expected.len().min(got.len()));
    let show =
        |bytes: &[u8]| String::from_utf8_lossy(&bytes[at..bytes.len().min(at + 60)]).into_owned();
    format!(
        "{} bytes expected, {} received; they part at byte {at}: expected {:?}, received {:?}",
        expected.len(),
        got.len(),
        show(expected),
        show(got)
    )
}

/// The slow-subscriber stream's messages: seeded sizes, mostly small, one
/// in ten larger than a socket buffer takes at once; about 20 MB in all,
/// under the 32 MB limit however little of it the kernel holds.
fn stream_messages() -> Vec<Vec<u8>> {
    let mut rng = common::differential::Rng(0x5eed_0ffa_0001);
    (0..1200)
        .map(|i| {
            let len = match rng.below(10) {
                0 => 64 * 1024 + rng.below(192 * 1024),
                1..=3 => rng.below(4096),
                _ => rng.below(64),
            };
            let mut message = format!("{i}:").into_bytes();
            message.resize(message.len() + len, b'a' + (i % 26) as u8);
            message
        })
        .collect()
}

/// A connection that waits long for what it reads: megabytes may be
/// queued ahead of it.
fn patient_connection(port: u16) -> BufReader<TcpStream> {
    let stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(30)))
        .unwrap();
    BufReader::new(stream)
}

/// A [`patient_connection`] subscribed to `ch`, its confirmation read.
fn subscribed_to_ch(port: u16) -> BufReader<TcpStream> {
    let mut subscriber = patient_connection(port);
    subscriber
        .get_mut()
        .write_all(&encode(&[b"SUBSCRIBE", b"ch"]))
        .unwrap();
    read_frames(&mut subscriber, 1);
    subscriber
}

/// What the server at `port` sends, from the publisher's connection and
/// from a subscriber that reads nothing until half the messages are out:
///
/// - the publisher speaks RESP3 and is subscribed itself, so each PUBLISH
///   brings it the message and then its reply, and every seventh is
///   followed by an ECHO, whose reply must come after both;
/// - the subscriber's socket fills while it does not read, so its frames
///   go out partly sent, partly queued, then all at once.
fn slow_subscriber_streams(port: u16, messages: &[Vec<u8>]) -> (Vec<u8>, Vec<u8>) {
    let mut subscriber = subscribed_to_ch(port);
    let mut publisher = patient_connection(port);
    let mut writer = publisher.get_ref().try_clone().unwrap();
    writer.write_all(&encode(&[b"HELLO", b"3"])).unwrap();
    read_frames(&mut publisher, 1); // the server's details: not compared
    writer.write_all(&encode(&[b"SUBSCRIBE", b"ch"])).unwrap();
    read_frames(&mut publisher, 1);
    let echoes = messages.len().div_ceil(7);
    let publisher_frames = 2 * messages.len() + echoes;
    let publisher_reader =
        std::thread::spawn(move || read_frames(&mut publisher, publisher_frames));
    let publish = |writer: &mut TcpStream, from: usize, to: usize| {
        for (i, message) in messages.iter().enumerate().take(to).skip(from) {
            let mut request = encode(&[b"PUBLISH", b"ch", message]);
            if i % 7 == 0 {
                request.extend(encode(&[b"ECHO", format!("after {i}").as_bytes()]));
            }
            writer.write_all(&request).unwrap();
        }
    };
    let half = messages.len() / 2;
    publish(&mut writer, 0, half);
    let frames = messages.len();
    let subscriber_reader = std::thread::spawn(move || read_frames(&mut subscriber, frames));
    publish(&mut writer, half, messages.len());
    let published = publisher_reader.join().unwrap();
    let received = subscriber_reader.join().unwrap();
    (published, received)
}

#[test]
fn a_slow_subscriber_gets_every_frame_whole_and_in_order_with_its_replies_as_redis_sends_them() {
    let messages = stream_messages();
    let mut published = Vec::new();
    let mut received = Vec::new();
    for (i, message) in messages.iter().enumerate() {
        published.extend(message_frame(true, b"ch", message));
        published.extend_from_slice(b":2\r\n");
        if i % 7 == 0 {
            let echo = format!("after {i}");
            published.extend(format!("${}\r\n{echo}\r\n", echo.len()).into_bytes());
        }
        received.extend(message_frame(false, b"ch", message));
    }
    let ours = TestServer::start(&[]);
    let mut servers = vec![("ours", ours.port)];
    // Redis, where it is installed, shows the expected streams are its own.
    let redis = start_redis("the slow subscriber's stream, against Redis");
    if let Some(redis) = &redis {
        servers.push(("redis", redis.port));
    }
    for (name, port) in servers {
        let (got_published, got_received) = slow_subscriber_streams(port, &messages);
        assert!(
            got_published == published,
            "{name}, the publisher's connection: {}",
            first_difference(&published, &got_published)
        );
        assert!(
            got_received == received,
            "{name}, the slow subscriber: {}",
            first_difference(&received, &got_received)
        );
    }
}

/// Parses `count` RESP2 `message` frames and returns their payloads.
fn payloads(reader: &mut BufReader<TcpStream>, count: usize) -> Vec<Vec<u8>> {
    (0..count)
        .map(|_| {
            let mut frame = Vec::new();
            read_value(reader, &mut frame);
            let header = b"*3\r\n$7\r\nmessage\r\n$2\r\nch\r\n$";
            assert!(frame.starts_with(header), "not a whole message frame");
            let rest = &frame[header.len()..];
            let line_end = rest.iter().position(|&b| b == b'\r').unwrap();
            let len: usize = std::str::from_utf8(&rest[..line_end])
                .unwrap()
                .parse()
                .unwrap();
            let payload = rest[line_end + 2..rest.len() - 2].to_vec();
            assert_eq!(payload.len(), len);
            payload
        })
        .collect()
}

#[test]
fn publishers_on_many_threads_never_interleave_or_reorder_one_subscribers_frames() {
    const PUBLISHERS: usize = 4;
    const EACH: usize = 2000;
    let server = TestServer::start(&[]);
    // Most subscribers read at once, one only after a pause: its socket
    // has room, fills, and is sent to by its writer. Ten of them make each
    // publisher share its deliveries with another thread.
    let total = PUBLISHERS * EACH;
    let readers: Vec<_> = (0..10)
        .map(|i| {
            let mut subscriber = subscribed_to_ch(server.port);
            let late = i == 0;
            let name = if late {
                "late".to_string()
            } else {
                format!("eager {i}")
            };
            let reader = std::thread::spawn(move || {
                if late {
                    std::thread::sleep(Duration::from_millis(300));
                }
                payloads(&mut subscriber, total)
            });
            (name, reader)
        })
        .collect();
    let publishers: Vec<_> = (0..PUBLISHERS)
        .map(|p| {
            let mut publisher = patient_connection(server.port);
            std::thread::spawn(move || {
                let mut rng = common::differential::Rng(0x9e37_79b9 + p as u64);
                for seq in 0..EACH {
                    let pad = if rng.below(50) == 0 {
                        20_000 + rng.below(80_000)
                    } else {
                        rng.below(200)
                    };
                    let mut message = format!("{p}:{seq}:").into_bytes();
                    message.resize(message.len() + pad, b'a' + (seq % 26) as u8);
                    publisher
                        .get_mut()
                        .write_all(&encode(&[b"PUBLISH", b"ch", &message]))
                        .unwrap();
                    // Half wait for each reply, half pipeline a hundred.
                    if p % 2 == 0 {
                        read_frames(&mut publisher, 1);
                    } else if seq % 100 == 99 {
                        read_frames(&mut publisher, 100);
                    }
                }
            })
        })
        .collect();
    for publisher in publishers {
        publisher.join().unwrap();
    }
    for (name, reader) in readers {
        let mut next = [0usize; PUBLISHERS];
        for payload in reader.join().unwrap() {
            let text = String::from_utf8_lossy(&payload);
            let mut parts = text.splitn(3, ':');
            let p: usize = parts.next().unwrap().parse().unwrap();
            let seq: usize = parts.next().unwrap().parse().unwrap();
            let fill = parts.next().unwrap();
            assert_eq!(
                seq, next[p],
                "{name}: publisher {p}'s messages out of order"
            );
            assert!(
                fill.bytes().all(|b| b == b'a' + (seq % 26) as u8),
                "{name}: a message's bytes were mixed with another's"
            );
            next[p] += 1;
        }
        assert_eq!(next, [EACH; PUBLISHERS], "{name}: every message arrived");
    }
}
