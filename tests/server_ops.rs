//! Operations, on the real binary: signals, the limit on open files,
//! idle and dead clients, the listen backlog, and a client that never
//! reads its replies.

//@ passes from step 5

mod common;

use std::io::{Read, Write};
use std::net::TcpStream;
use std::process::{Command, Stdio};
use std::thread;
use std::time::{Duration, Instant};

use common::differential::start_redis_with;
use common::{encode, TestServer};

/// Sends `signal` (a name `kill` knows: TERM, INT, HUP) to process `pid`.
fn send_signal(pid: u32, signal: &str) {
    let status = Command::new("kill")
        .args([&format!("-{signal}"), &pid.to_string()])
        .status()
        .expect("kill runs");
    assert!(status.success(), "kill -{signal} {pid}");
}

/// The log's messages, each after its level's mark (`# ...`), without the
/// pid, role and time that Redis's log lines start with.
fn messages(log: &[String]) -> Vec<String> {
    log.iter()
        .map(|line| {
            let parts: Vec<&str> = line.splitn(6, ' ').collect();
            parts
                .get(5)
                .map_or(line.clone(), |message| message.to_string())
        })
        .collect()
}

/// Waits until the server's log has a line containing `text`.
fn wait_for_line(server: &TestServer, text: &str) -> bool {
    let deadline = Instant::now() + Duration::from_secs(5);
    while Instant::now() < deadline {
        if server.log().iter().any(|line| line.contains(text)) {
            return true;
        }
        thread::sleep(Duration::from_millis(20));
    }
    false
}

//@ passes from step 4
#[test]
fn sigterm_and_sigint_shut_down_as_redis_does_and_exit_0() {
    for (signal, name) in [("TERM", "SIGTERM"), ("INT", "SIGINT")] {
        let mut server = TestServer::start(&[]);
        let mut client = server.connect();
        assert_eq!(client.call_str(&["SET", "k", "v"]), "+OK\r\n");
        send_signal(server.pid(), signal);
        assert_eq!(
            server.wait_exit(Duration::from_secs(5)),
            Some(true),
            "{name}: exits 0"
        );
        thread::sleep(Duration::from_millis(50)); // the last lines
        let log = messages(&server.log());
        let end = &log[log.len() - 3..];
        assert_eq!(
            end,
            [
                format!("# Received {name} scheduling shutdown..."),
                "# User requested shutdown...".to_string(),
                "# Mini-Redis is now ready to exit, bye bye...".to_string(),
            ],
            "{name}"
        );
    }
}

//@ passes from step 9
#[test]
fn sigterm_saves_first_when_there_is_a_save_policy() {
    let dir = common::fresh_dir("sigterm-save");
    let dir_arg = dir.to_str().unwrap();
    let mut server = TestServer::start(&["--dir", dir_arg, "--save", "3600 1"]);
    assert_eq!(server.connect().call_str(&["SET", "k", "v"]), "+OK\r\n");
    send_signal(server.pid(), "TERM");
    assert_eq!(server.wait_exit(Duration::from_secs(10)), Some(true));
    thread::sleep(Duration::from_millis(50));
    let log = messages(&server.log());
    assert!(
        log.iter()
            .any(|m| m == "* Saving the final RDB snapshot before exiting."),
        "{log:?}"
    );
    let dump = std::fs::read(dir.join("dump.rdb")).expect("the dump was written");
    assert!(dump.starts_with(b"REDIS"));
    let restarted = TestServer::start(&["--dir", dir_arg]);
    assert_eq!(restarted.connect().call_str(&["GET", "k"]), "$1\r\nv\r\n");
}

//@ passes from step 4
#[test]
fn shutdown_logs_the_same_last_lines() {
    let mut server = TestServer::start(&[]);
    server.connect().send(&["SHUTDOWN"]);
    assert_eq!(server.wait_exit(Duration::from_secs(5)), Some(true));
    thread::sleep(Duration::from_millis(50));
    let log = messages(&server.log());
    assert_eq!(
        &log[log.len() - 2..],
        [
            "# User requested shutdown...",
            "# Mini-Redis is now ready to exit, bye bye..."
        ]
    );
}

//@ passes from step 4
#[test]
fn sighup_is_ignored_and_sigpipe_cannot_kill() {
    let mut server = TestServer::start(&[]);
    send_signal(server.pid(), "HUP");
    thread::sleep(Duration::from_millis(200));
    assert_eq!(server.wait_exit(Duration::from_millis(10)), None);
    assert_eq!(server.connect().call_str(&["PING"]), "+PONG\r\n");
    // The kernel's own record: SIGHUP (1) and SIGPIPE (13) are ignored.
    let status = std::fs::read_to_string(format!("/proc/{}/status", server.pid())).unwrap();
    let ignored = status
        .lines()
        .find_map(|line| line.strip_prefix("SigIgn:"))
        .map(|hex| u64::from_str_radix(hex.trim(), 16).unwrap())
        .unwrap();
    assert_ne!(ignored & (1 << (1 - 1)), 0, "SIGHUP ignored");
    assert_ne!(ignored & (1 << (13 - 1)), 0, "SIGPIPE ignored");
    // And in practice: replies written to clients that have gone.
    for _ in 0..20 {
        let mut stream = TcpStream::connect(("127.0.0.1", server.port)).unwrap();
        let mut pipeline = Vec::new();
        for _ in 0..2000 {
            pipeline.extend_from_slice(&encode(&[b"ECHO", &[b'x'; 1000]]));
        }
        let _ = stream.write_all(&pipeline);
        drop(stream);
    }
    thread::sleep(Duration::from_millis(200));
    assert_eq!(server.connect().call_str(&["PING"]), "+PONG\r\n");
}

/// Opens `n` connections, each sending PING, and returns each reply.
fn ping_from_many(port: u16, n: usize) -> (Vec<TcpStream>, Vec<String>) {
    let mut streams = Vec::new();
    for _ in 0..n {
        let mut stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
        stream
            .set_read_timeout(Some(Duration::from_secs(10)))
            .unwrap();
        stream.write_all(b"PING\r\n").unwrap();
        streams.push(stream);
    }
    let replies = streams
        .iter_mut()
        .map(|stream| {
            let mut reply = vec![0u8; 64];
            let n = stream.read(&mut reply).unwrap_or(0);
            String::from_utf8_lossy(&reply[..n]).into_owned()
        })
        .collect();
    (streams, replies)
}

//@ passes from step 4
#[test]
fn a_low_open_files_limit_lowers_maxclients_as_redis_does() {
    let server = TestServer::start_after("ulimit -n 256", &[]);
    let warnings: Vec<String> = messages(&server.log())
        .into_iter()
        .filter(|m| m.contains("maxclients") || m.contains("open files"))
        .collect();
    assert_eq!(
        warnings,
        [
            "# You requested maxclients of 10000 requiring at least 10032 max file descriptors.",
            "# Server can't set maximum open files to 10032 because of OS error: Operation not permitted.",
            "# Current maximum open files is 256. maxclients has been reduced to 224 to compensate for low ulimit. If you need higher maxclients increase 'ulimit -n'.",
        ]
    );
    let mut client = server.connect();
    let maxclients = client.call_str(&["CONFIG", "GET", "maxclients"]);
    assert_eq!(maxclients, "*2\r\n$10\r\nmaxclients\r\n$3\r\n224\r\n");
    // 400 clients (one is connected already): every one is answered.
    let (_streams, replies) = ping_from_many(server.port, 399);
    let served = replies.iter().filter(|r| *r == "+PONG\r\n").count();
    let refused = replies
        .iter()
        .filter(|r| *r == "-ERR max number of clients reached\r\n")
        .count();
    assert_eq!((served, refused), (223, 176), "{:?}", &replies[220..230]);
    let accept_errors = server
        .log()
        .iter()
        .filter(|line| line.contains("Accepting client connection"))
        .count();
    assert!(accept_errors <= 2, "{accept_errors} accept errors logged");
    assert_eq!(client.call_str(&["PING"]), "+PONG\r\n");
}

//@ passes from step 4
#[test]
fn the_open_files_warnings_are_redis_own() {
    let Some(redis_log) = redis_log_under("ulimit -n 256") else {
        return;
    };
    let ours = TestServer::start_after("ulimit -n 256", &[]);
    let pick = |log: Vec<String>| -> Vec<String> {
        messages(&log)
            .into_iter()
            .filter(|m| m.contains("maxclients") || m.contains("open files"))
            .collect()
    };
    assert_eq!(pick(ours.log()), pick(redis_log));
}

/// redis-server's start-up log when started after `setup` in a shell.
fn redis_log_under(setup: &str) -> Option<Vec<String>> {
    start_redis_with("the open-files warnings test", &[])?;
    let out = Command::new("sh")
        .arg("-c")
        .arg(format!(
            "{setup}; exec redis-server --port 0 --save '' --appendonly no --daemonize no & \
             sleep 0.5; kill $!"
        ))
        .stderr(Stdio::null())
        .output()
        .ok()?;
    Some(
        String::from_utf8_lossy(&out.stdout)
            .lines()
            .map(str::to_string)
            .collect(),
    )
}

//@ passes from step 4
#[test]
fn an_idle_client_is_closed_after_timeout_and_a_busy_one_is_not() {
    let server = TestServer::start(&["--timeout", "1", "--loglevel", "verbose"]);
    let mut idle = server.connect();
    let mut busy = server.connect();
    let start = Instant::now();
    while start.elapsed() < Duration::from_millis(1800) {
        assert_eq!(busy.call_str(&["PING"]), "+PONG\r\n");
        thread::sleep(Duration::from_millis(200));
    }
    assert!(idle.is_closed(), "the idle client is gone");
    assert!(wait_for_line(&server, "Closing idle client"));
    assert_eq!(
        busy.call_str(&["CONFIG", "GET", "timeout"]),
        "*2\r\n$7\r\ntimeout\r\n$1\r\n1\r\n"
    );
    // CONFIG SET timeout 0: clients that connect afterwards stay.
    assert_eq!(busy.call_str(&["CONFIG", "SET", "timeout", "0"]), "+OK\r\n");
    let mut patient = server.connect();
    thread::sleep(Duration::from_millis(1500));
    assert_eq!(patient.call_str(&["PING"]), "+PONG\r\n");
}

//@ passes from step 7
#[test]
fn a_client_blocked_in_blpop_is_not_idle() {
    let server = TestServer::start(&["--timeout", "1"]);
    let mut blocked = server.connect();
    blocked.send(&["BLPOP", "list", "0"]);
    thread::sleep(Duration::from_millis(1600));
    assert_eq!(server.connect().call_str(&["RPUSH", "list", "x"]), ":1\r\n");
    assert_eq!(blocked.read_reply(), b"*2\r\n$4\r\nlist\r\n$1\r\nx\r\n");
}

/// The keepalive timer of the server's side of each connection to `port`,
/// in seconds, as `/proc/net/tcp` shows it (`None`: no keepalive timer).
fn keepalive_timers(port: u16) -> Vec<Option<f64>> {
    let table = std::fs::read_to_string("/proc/net/tcp").unwrap();
    let local = format!("0100007F:{port:04X}");
    table
        .lines()
        .skip(1)
        .filter_map(|line| {
            let fields: Vec<&str> = line.split_whitespace().collect();
            // Established (01) connections whose local end is the server.
            (fields[1] == local && fields[3] == "01").then(|| {
                let (kind, ticks) = fields[5].split_once(':').unwrap();
                let ticks = u64::from_str_radix(ticks, 16).unwrap();
                (kind == "02").then_some(ticks as f64 / 100.0)
            })
        })
        .collect()
}

//@ passes from step 4
#[test]
fn tcp_keepalive_is_on_with_the_configured_interval() {
    let server = TestServer::start(&["--tcp-keepalive", "60"]);
    let _client = server.connect();
    thread::sleep(Duration::from_millis(100));
    let timers = keepalive_timers(server.port);
    assert_eq!(timers.len(), 1, "{timers:?}");
    let seconds = timers[0].expect("a keepalive timer");
    assert!((50.0..=60.0).contains(&seconds), "{seconds}");

    let off = TestServer::start(&["--tcp-keepalive", "0"]);
    let _client = off.connect();
    thread::sleep(Duration::from_millis(100));
    assert_eq!(keepalive_timers(off.port), [None]);
}

//@ passes from step 4
#[test]
fn the_listen_backlog_is_tcp_backlog() {
    // `ss` shows a listening socket's backlog as its Send-Q.
    let server = TestServer::start(&["--tcp-backlog", "300"]);
    let Ok(out) = Command::new("ss")
        .args(["-ltn", &format!("sport = :{}", server.port)])
        .output()
    else {
        eprintln!("\n!!!!! ss is not installed: the backlog check DID NOT RUN !!!!!\n");
        return;
    };
    let text = String::from_utf8_lossy(&out.stdout);
    let row = text.lines().nth(1).expect("the listening socket");
    let send_q: u32 = row.split_whitespace().nth(2).unwrap().parse().unwrap();
    assert_eq!(send_q, 300, "{text}");
    let mut client = server.connect();
    assert_eq!(
        client.call_str(&["CONFIG", "GET", "tcp-backlog"]),
        "*2\r\n$11\r\ntcp-backlog\r\n$3\r\n300\r\n"
    );
}

//@ passes from step 4
#[test]
fn a_burst_of_connections_is_answered() {
    let server = TestServer::start(&[]);
    let (_streams, replies) = ping_from_many(server.port, 1500);
    assert!(replies.iter().all(|r| r == "+PONG\r\n"));
}

/// Resident memory of process `pid`, in KiB.
fn rss_kib(pid: u32) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap();
    status
        .lines()
        .find_map(|line| line.strip_prefix("VmRSS:"))
        .and_then(|rest| rest.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap()
}

//@ passes from step 4
#[test]
fn a_client_that_never_reads_cannot_grow_the_server() {
    let server = TestServer::start(&[]);
    let mut setup = server.connect();
    let big = "x".repeat(100_000);
    assert_eq!(setup.call_str(&["SET", "big", &big]), "+OK\r\n");
    let before = rss_kib(server.pid());
    // Up to a million GETs of 100 kB each (100 GB of replies), unread.
    let mut greedy = TcpStream::connect(("127.0.0.1", server.port)).unwrap();
    greedy
        .set_write_timeout(Some(Duration::from_secs(2)))
        .unwrap();
    let thousand = encode(&[b"GET", b"big"]).repeat(1000);
    let mut sent = 0;
    while sent < 1_000 {
        if greedy.write_all(&thousand).is_err() {
            break; // the server has stopped reading: the write timed out
        }
        sent += 1;
    }
    assert!(sent < 1_000, "the server read every request");
    let grown = rss_kib(server.pid()).saturating_sub(before);
    assert!(grown < 16 * 1024, "the server grew by {grown} KiB");
    // Everyone else is still served.
    assert_eq!(setup.call_str(&["PING"]), "+PONG\r\n");
}
