//! Expiry seen from a client: passive (on access) and active (the reaper).

//@ passes from step 5

mod common;

use std::thread::sleep;
use std::time::{Duration, Instant};

use common::TestServer;

/// Polls DBSIZE until it equals `want` or `within` runs out; returns the last value.
fn wait_for_dbsize(c: &mut common::Conn, want: &str, within: Duration) -> String {
    let deadline = Instant::now() + within;
    loop {
        let size = c.call_str(&["DBSIZE"]);
        if size == want || Instant::now() > deadline {
            return size;
        }
        sleep(Duration::from_millis(50));
    }
}

#[test]
fn an_expired_key_is_invisible_at_once() {
    let server = TestServer::start(&["--hz", "1"]);
    let mut c = server.connect();
    assert_eq!(c.call_str(&["SET", "k", "v", "PX", "100"]), "+OK\r\n");
    assert_eq!(c.call_str(&["GET", "k"]), "$1\r\nv\r\n");
    sleep(Duration::from_millis(150));
    assert_eq!(c.call_str(&["GET", "k"]), "$-1\r\n");
    assert_eq!(c.call_str(&["TTL", "k"]), ":-2\r\n");
    assert_eq!(c.call_str(&["EXISTS", "k"]), ":0\r\n");
}

#[test]
fn the_reaper_removes_keys_nobody_reads() {
    let server = TestServer::start(&[]);
    let mut c = server.connect();
    for i in 0..500 {
        c.call(&["SET", &format!("short:{i}"), "v", "PX", "100"]);
    }
    for i in 0..50 {
        c.call(&["SET", &format!("long:{i}"), "v", "EX", "100"]);
    }
    c.call(&["SET", "forever", "v"]);
    assert_eq!(c.call_str(&["DBSIZE"]), ":551\r\n");
    // Never touching the short keys again, only the reaper can remove them.
    assert_eq!(
        wait_for_dbsize(&mut c, ":51\r\n", Duration::from_secs(3)),
        ":51\r\n"
    );
    let info = c.call_str(&["INFO", "stats"]);
    assert!(info.contains("expired_keys:500"), "{info}");
}

//@ passes from step 4
#[test]
fn negative_and_past_expiry_deletes_at_once() {
    let server = TestServer::start(&[]);
    let mut c = server.connect();
    c.call(&["SET", "a", "1"]);
    c.call(&["SET", "b", "1"]);
    assert_eq!(c.call_str(&["EXPIRE", "a", "-1"]), ":1\r\n");
    assert_eq!(c.call_str(&["EXPIREAT", "b", "1"]), ":1\r\n");
    assert_eq!(c.call_str(&["DBSIZE"]), ":0\r\n");
}

#[test]
fn ttl_survives_incr_and_append_but_not_set() {
    let server = TestServer::start(&[]);
    let mut c = server.connect();
    c.call(&["SET", "n", "1", "EX", "100"]);
    c.call(&["INCR", "n"]);
    c.call(&["APPEND", "n", "0"]);
    assert_eq!(c.call_str(&["TTL", "n"]), ":100\r\n");
    assert_eq!(c.call_str(&["GET", "n"]), "$2\r\n20\r\n");
    c.call(&["SET", "n", "5", "KEEPTTL"]);
    assert_eq!(c.call_str(&["TTL", "n"]), ":100\r\n");
    c.call(&["SET", "n", "5"]);
    assert_eq!(c.call_str(&["TTL", "n"]), ":-1\r\n");
}
