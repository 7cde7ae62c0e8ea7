//! Bad input, bad clients and many clients: none of them may hurt anyone else.

//@ passes from step 3

mod common;

use std::io::{Read, Write};
use std::net::TcpStream;
use std::thread;
use std::time::Duration;

use common::{Conn, TestServer};

#[test]
fn fifty_clients_incrementing_one_key_lose_nothing() {
    let server = TestServer::start(&[]);
    let port = server.port;
    let workers: Vec<_> = (0..50)
        .map(|_| {
            thread::spawn(move || {
                let mut c = Conn::connect(port);
                // Pipelined in chunks of 100, to run quickly.
                for _ in 0..20 {
                    let batch: Vec<u8> = (0..100)
                        .flat_map(|_| common::encode(&[b"INCR", b"hits"]))
                        .collect();
                    c.send_raw(&batch);
                    for _ in 0..100 {
                        assert!(c.read_reply().starts_with(b":"));
                    }
                }
            })
        })
        .collect();
    for worker in workers {
        worker.join().unwrap();
    }
    assert_eq!(
        server.connect().call_str(&["GET", "hits"]),
        "$6\r\n100000\r\n"
    );
}

#[test]
fn a_protocol_error_closes_only_that_client() {
    let server = TestServer::start(&[]);
    let mut bystander = server.connect();
    bystander.call(&["SET", "k", "v"]);
    let mut bad = server.connect();
    bad.send_raw(b"*1\r\n$4\r\nPING\r\n*abc\r\n");
    assert_eq!(bad.read_reply(), b"+PONG\r\n");
    assert_eq!(
        bad.read_reply(),
        b"-ERR Protocol error: invalid multibulk length\r\n"
    );
    assert!(bad.is_closed());
    assert_eq!(bystander.call_str(&["GET", "k"]), "$1\r\nv\r\n");
}

#[test]
fn an_endless_line_is_refused_without_harm() {
    let server = TestServer::start(&[]);
    let mut bad = server.connect();
    bad.send_raw(&vec![b'x'; 70_000]);
    assert_eq!(
        bad.read_reply(),
        b"-ERR Protocol error: too big inline request\r\n"
    );
    assert!(bad.is_closed());
    assert_eq!(server.connect().call_str(&["PING"]), "+PONG\r\n");
}

#[test]
fn a_client_that_leaves_mid_request_costs_nothing() {
    let server = TestServer::start(&[]);
    for _ in 0..20 {
        let mut gone = TcpStream::connect(("127.0.0.1", server.port)).unwrap();
        gone.write_all(b"*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$100\r\nonly part")
            .unwrap();
    }
    let mut c = server.connect();
    assert_eq!(c.call_str(&["GET", "k"]), "$-1\r\n");
    assert_eq!(c.call_str(&["DBSIZE"]), ":0\r\n");
}

/// Virtual memory size of a process in KiB, from /proc (Linux only). Virtual,
/// not resident: a zeroed allocation is not resident until written to, but
/// it is reserved at once, so this is what shows an up-front allocation.
fn vm_size_kib(pid: u32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let line = status.lines().find(|l| l.starts_with("VmSize:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

#[test]
fn declared_lengths_cost_memory_only_as_bytes_arrive() {
    let server = TestServer::start(&[]);
    let before = vm_size_kib(server.pid());
    // Twenty clients each promise a 500 MB value and send 5 bytes of it.
    let liars: Vec<TcpStream> = (0..20)
        .map(|_| {
            let mut s = TcpStream::connect(("127.0.0.1", server.port)).unwrap();
            s.write_all(b"*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$500000000\r\nhello")
                .unwrap();
            s
        })
        .collect();
    let mut c = server.connect();
    assert_eq!(c.call_str(&["PING"]), "+PONG\r\n");
    // 20 x 500 MB would be 10 GB; allow for thread stacks and malloc arenas.
    if let (Some(before), Some(after)) = (before, vm_size_kib(server.pid())) {
        assert!(
            after < before + 4 * 1024 * 1024,
            "VmSize grew from {before} KiB to {after} KiB"
        );
    }
    drop(liars);
}

#[test]
fn the_client_limit_turns_away_the_extra_client_only() {
    let server = TestServer::start(&["--maxclients", "2"]);
    let mut first = server.connect();
    let mut second = server.connect();
    assert_eq!(first.call_str(&["PING"]), "+PONG\r\n");
    assert_eq!(second.call_str(&["PING"]), "+PONG\r\n");
    let mut third = TcpStream::connect(("127.0.0.1", server.port)).unwrap();
    third
        .set_read_timeout(Some(Duration::from_secs(5)))
        .unwrap();
    let mut answer = String::new();
    third.read_to_string(&mut answer).unwrap();
    assert_eq!(answer, "-ERR max number of clients reached\r\n");
    drop(first);
    // The slot comes back once the first client's thread has ended.
    let mut again = None;
    for _ in 0..100 {
        thread::sleep(Duration::from_millis(20));
        let mut c = server.connect();
        c.send(&["PING"]);
        let mut reply = [0u8; 7];
        if c.reader.read_exact(&mut reply).is_ok() && &reply == b"+PONG\r\n" {
            again = Some(c);
            break;
        }
    }
    assert!(
        again.is_some(),
        "a slot is free again after a client leaves"
    );
    assert_eq!(second.call_str(&["PING"]), "+PONG\r\n");
}

#[test]
fn a_client_that_never_reads_does_not_block_others() {
    let server = TestServer::start(&[]);
    let mut c = server.connect();
    c.call(&["SET", "big", &"x".repeat(1 << 20)]);
    // Ask for 1 MiB a hundred times and never read: its thread blocks on write.
    let mut hog = TcpStream::connect(("127.0.0.1", server.port)).unwrap();
    let batch: Vec<u8> = (0..100)
        .flat_map(|_| common::encode(&[b"GET", b"big"]))
        .collect();
    hog.write_all(&batch).unwrap();
    thread::sleep(Duration::from_millis(100));
    for _ in 0..100 {
        assert_eq!(c.call_str(&["PING"]), "+PONG\r\n");
    }
    assert_eq!(c.call_str(&["SET", "k", "v"]), "+OK\r\n");
}

#[test]
fn a_thousand_idle_clients_are_held_and_others_still_served() {
    let server = TestServer::start(&[]);
    let idle: Vec<Conn> = (0..1_000).map(|_| server.connect()).collect();
    let mut c = server.connect();
    assert_eq!(c.call_str(&["PING"]), "+PONG\r\n");
    let info = c.call_str(&["INFO", "clients"]);
    assert!(info.contains("connected_clients:1001"), "{info}");
    drop(idle);
}

#[test]
fn a_flood_of_short_connections_leaves_no_trace() {
    let server = TestServer::start(&["--maxclients", "100"]);
    let mut steady = server.connect();
    steady.call(&["SET", "k", "v"]);
    for round in 0..500 {
        let mut c = TcpStream::connect(("127.0.0.1", server.port)).unwrap();
        if round % 2 == 0 {
            // Half of them leave without a word, half mid-request.
            c.write_all(b"*2\r\n$3\r\nGET").unwrap();
        }
    }
    assert_eq!(steady.call_str(&["GET", "k"]), "$1\r\nv\r\n");
    // Every slot comes back: the count returns to just the steady client.
    let mut clients = String::new();
    for _ in 0..100 {
        clients = steady.call_str(&["INFO", "clients"]);
        if clients.contains("connected_clients:1\r\n") {
            break;
        }
        thread::sleep(Duration::from_millis(20));
    }
    assert!(clients.contains("connected_clients:1\r\n"), "{clients}");
    assert!(clients.contains("maxclients:100\r\n"), "{clients}");
}

//@ passes from step 5
#[test]
fn a_string_cannot_grow_past_512_mb() {
    const MB: usize = 1024 * 1024;
    let server = TestServer::start(&[]);
    let mut c = server.connect();
    c.stream
        .set_read_timeout(Some(Duration::from_secs(60)))
        .unwrap();
    let big = vec![b'x'; 300 * MB];
    let rest = vec![b'y'; 212 * MB];
    assert_eq!(
        String::from_utf8_lossy(&call_raw(&mut c, &[b"SET", b"big", &big])),
        "+OK\r\n"
    );
    assert_eq!(
        String::from_utf8_lossy(&call_raw(&mut c, &[b"APPEND", b"big", &rest,])),
        format!(":{}\r\n", 512 * MB),
        "exactly 512 MB is allowed"
    );
    assert_eq!(
        c.call_str(&["APPEND", "big", "z"]),
        "-ERR string exceeds maximum allowed size (proto-max-bulk-len)\r\n"
    );
    assert_eq!(
        c.call_str(&["STRLEN", "big"]),
        format!(":{}\r\n", 512 * MB),
        "a refused APPEND leaves the value as it was"
    );
    assert_eq!(c.call_str(&["DEL", "big"]), ":1\r\n");
}

/// Sends one command of byte arguments and reads its reply.
fn call_raw(c: &mut Conn, args: &[&[u8]]) -> Vec<u8> {
    c.send_raw(&common::encode(args));
    c.read_reply()
}
