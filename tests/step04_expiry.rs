//! Workshop step 4: keys that expire, passively when they are touched and
//! actively by the reaper thread (lectures/04-expiry.md).
//!
//! The store takes the current time as an argument, so the first tests can
//! play with time without waiting for it. The last ones wait a real second
//! for a real server.
//!
//! Run them with `cargo test --test step04_expiry`.

mod common;

use std::thread;
use std::time::{Duration, Instant};

use common::TestServer;
use mini_redis::bytes::Bytes;
use mini_redis::db::Db;
use mini_redis::expiry::{self, Cursor};
use mini_redis::storage::Store;
use mini_redis::value::Value;

fn key(name: &str) -> Bytes {
    Bytes::copy_from(name.as_bytes())
}

fn string(bytes: &[u8]) -> Value {
    Value::String(Bytes::copy_from(bytes))
}

#[test]
fn a_key_is_invisible_once_its_time_comes_and_deleted_when_touched() {
    let mut store = Store::new();
    store.set(key("k"), string(b"v"), None, 0);
    store.set_expiry(b"k", Some(1_000));
    assert_eq!(store.expires_at(b"k"), Some(1_000));
    assert!(
        store.get(b"k", 1_000).is_some(),
        "still there in its last millisecond"
    );
    assert!(
        store.get(b"k", 1_001).is_none(),
        "expired once 1000 ms have passed"
    );
    assert_eq!(
        store.len(),
        1,
        "a reader only looks; the key is still there"
    );
    assert!(store.remove_if_expired(b"k", 1_001));
    assert_eq!(store.len(), 0);
    assert_eq!(store.expired_keys(), 1);
}

#[test]
fn only_keys_with_a_ttl_are_tracked_for_the_reaper() {
    let mut store = Store::new();
    for i in 0..10 {
        store.set(key(&format!("k{i}")), string(b""), None, 0);
    }
    store.set_expiry(b"k3", Some(5_000));
    store.set_expiry(b"k7", Some(5_000));
    assert_eq!(store.volatile_len(), 2);
    store.set_expiry(b"k3", None); // PERSIST
    assert_eq!(store.volatile_len(), 1);
    assert_eq!(store.volatile_at(0), Some((&b"k7"[..], 5_000)));
    store.set(key("k7"), string(b"new"), None, 0); // a plain SET drops the TTL
    assert_eq!(store.volatile_len(), 0);
    assert_eq!(store.expires_at(b"k7"), None);
    assert!(store.get(b"k7", 10_000).is_some());
}

#[test]
fn a_reaper_cycle_deletes_expired_keys_nobody_reads() {
    let db = Db::new();
    for i in 0..200 {
        db.write()
            .set(key(&format!("old{i}")), string(b""), Some(1), 0); // expired in 1970
    }
    db.write().set(key("keep"), string(b""), None, 0);
    let report = expiry::run_cycle(&db, &mut Cursor::default(), Duration::from_secs(5));
    assert_eq!(report.expired, 200, "{report:?}");
    assert!(report.rounds >= 200 / expiry::KEYS_PER_SAMPLE, "{report:?}");
    assert_eq!(db.read().len(), 1);
}

#[test]
fn a_reaper_cycle_stops_early_when_little_has_expired() {
    let db = Db::new();
    let later = expiry::now_ms() + 60_000;
    for i in 0..100 {
        db.write()
            .set(key(&format!("fresh{i}")), string(b""), Some(later), 0);
    }
    let report = expiry::run_cycle(&db, &mut Cursor::default(), Duration::from_secs(5));
    assert_eq!(report.rounds, 1, "{report:?}");
    assert_eq!(report.sampled, expiry::KEYS_PER_SAMPLE);
    assert_eq!(report.expired, 0);
    assert_eq!(db.read().len(), 100);
}

#[test]
fn expire_and_ttl_over_tcp() {
    let server = TestServer::start(&[]);
    let mut c = server.connect();
    c.call(&["SET", "k", "v"]);
    assert_eq!(c.call_str(&["TTL", "k"]), ":-1\r\n", "no TTL");
    assert_eq!(c.call_str(&["TTL", "missing"]), ":-2\r\n", "no key");
    assert_eq!(c.call_str(&["EXPIRE", "k", "100"]), ":1\r\n");
    assert_eq!(c.call_str(&["TTL", "k"]), ":100\r\n");
    assert_eq!(c.call_str(&["EXPIRE", "missing", "100"]), ":0\r\n");
    assert_eq!(
        c.call_str(&["EXPIRE", "k", "soon"]),
        "-ERR value is not an integer or out of range\r\n"
    );
    assert_eq!(
        c.call_str(&["EXPIRE", "k", "-1"]),
        ":1\r\n",
        "a past time deletes"
    );
    assert_eq!(c.call_str(&["GET", "k"]), "$-1\r\n");
}

#[test]
fn expire_obeys_nx_xx_gt_and_lt() {
    let server = TestServer::start(&[]);
    let mut c = server.connect();
    c.call(&["SET", "k", "v"]);
    let mut expire = |args: &[&str]| {
        let mut words = vec!["EXPIRE", "k"];
        words.extend_from_slice(args);
        c.call_str(&words)
    };
    assert_eq!(
        expire(&["100", "XX"]),
        ":0\r\n",
        "XX: only a key with a TTL"
    );
    assert_eq!(expire(&["100", "GT"]), ":0\r\n", "GT: no TTL is infinite");
    assert_eq!(
        expire(&["100", "nx"]),
        ":1\r\n",
        "NX: only a key without one"
    );
    assert_eq!(expire(&["200", "NX"]), ":0\r\n");
    assert_eq!(expire(&["50", "GT"]), ":0\r\n", "GT: only a later time");
    assert_eq!(expire(&["200", "GT"]), ":1\r\n");
    assert_eq!(expire(&["300", "LT"]), ":0\r\n", "LT: only an earlier time");
    assert_eq!(expire(&["150", "XX", "LT"]), ":1\r\n", "options combine");
    assert_eq!(
        expire(&["10", "NX", "GT"]),
        "-ERR NX and XX, GT or LT options at the same time are not compatible\r\n"
    );
    assert_eq!(
        expire(&["10", "GT", "LT"]),
        "-ERR GT and LT options at the same time are not compatible\r\n"
    );
    assert_eq!(expire(&["10", "SOON"]), "-ERR Unsupported option SOON\r\n");
    assert_eq!(
        c.call_str(&["TTL", "k"]),
        ":150\r\n",
        "refused ones changed nothing"
    );
    c.call(&["SET", "fresh", "v"]);
    assert_eq!(
        c.call_str(&["EXPIRE", "fresh", "100", "LT"]),
        ":1\r\n",
        "LT: any time is earlier than none"
    );
}

#[test]
fn a_key_expires_when_its_second_is_up() {
    let server = TestServer::start(&[]);
    let mut c = server.connect();
    c.call(&["SET", "session", "abc"]);
    assert_eq!(c.call_str(&["EXPIRE", "session", "1"]), ":1\r\n");
    let set_at = Instant::now();
    assert_eq!(c.call_str(&["GET", "session"]), "$3\r\nabc\r\n");
    thread::sleep(Duration::from_millis(1_050).saturating_sub(set_at.elapsed()));
    assert_eq!(c.call_str(&["GET", "session"]), "$-1\r\n");
    assert_eq!(c.call_str(&["TTL", "session"]), ":-2\r\n");
}

#[test]
fn the_reaper_removes_keys_nobody_reads() {
    let server = TestServer::start(&["--hz", "50"]);
    let mut c = server.connect();
    for i in 0..50 {
        let key = format!("temp{i}");
        c.call(&["SET", &key, "x"]);
        assert_eq!(c.call_str(&["EXPIRE", &key, "1"]), ":1\r\n");
    }
    assert_eq!(c.call_str(&["DBSIZE"]), ":50\r\n");
    let deadline = Instant::now() + Duration::from_secs(3);
    loop {
        thread::sleep(Duration::from_millis(50));
        if c.call_str(&["DBSIZE"]) == ":0\r\n" {
            break; // DBSIZE counts expired keys until someone deletes them
        }
        assert!(
            Instant::now() < deadline,
            "after 3 s, expired keys are still counted: the reaper did not delete them"
        );
    }
}
