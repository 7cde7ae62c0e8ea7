//! Workshop step 5: going further, the exercises of the summary lecture
//! (lectures/05-summary.md): DEL and EXISTS, PEXPIRE, PTTL and PERSIST,
//! SET's options, and inline commands typed by hand into `nc`.
//!
//! Run them with `cargo test --test step05_extensions`.

mod common;

use common::TestServer;

#[test]
fn del_removes_keys_and_counts_them() {
    let server = TestServer::start(&[]);
    let mut c = server.connect();
    c.call(&["SET", "a", "1"]);
    c.call(&["SET", "b", "2"]);
    assert_eq!(c.call_str(&["DEL", "a", "b", "missing"]), ":2\r\n");
    assert_eq!(c.call_str(&["GET", "a"]), "$-1\r\n");
    assert_eq!(c.call_str(&["DEL", "a"]), ":0\r\n");
}

#[test]
fn exists_counts_the_keys_that_exist() {
    let server = TestServer::start(&[]);
    let mut c = server.connect();
    c.call(&["SET", "a", "1"]);
    assert_eq!(c.call_str(&["EXISTS", "a"]), ":1\r\n");
    assert_eq!(c.call_str(&["EXISTS", "a", "missing", "a"]), ":2\r\n");
    assert_eq!(c.call_str(&["EXISTS", "missing"]), ":0\r\n");
}

#[test]
fn pexpire_and_pttl_speak_milliseconds() {
    let server = TestServer::start(&[]);
    let mut c = server.connect();
    c.call(&["SET", "k", "v"]);
    assert_eq!(c.call_str(&["PEXPIRE", "k", "1700"]), ":1\r\n");
    let left = c.call_str(&["PTTL", "k"]);
    let left: i64 = left.trim_start_matches(':').trim_end().parse().unwrap();
    assert!((1_600..=1_700).contains(&left), "PTTL said {left}");
    assert_eq!(c.call_str(&["TTL", "k"]), ":2\r\n", "1.7 s rounds to 2");
    assert_eq!(c.call_str(&["PTTL", "missing"]), ":-2\r\n");
}

#[test]
fn persist_removes_a_ttl() {
    let server = TestServer::start(&[]);
    let mut c = server.connect();
    c.call(&["SET", "k", "v"]);
    assert_eq!(c.call_str(&["PERSIST", "k"]), ":0\r\n", "no TTL to remove");
    c.call(&["EXPIRE", "k", "100"]);
    assert_eq!(c.call_str(&["PERSIST", "k"]), ":1\r\n");
    assert_eq!(c.call_str(&["TTL", "k"]), ":-1\r\n");
    assert_eq!(c.call_str(&["PERSIST", "missing"]), ":0\r\n");
}

#[test]
fn set_with_ex_or_px_gives_a_ttl() {
    let server = TestServer::start(&[]);
    let mut c = server.connect();
    assert_eq!(c.call_str(&["SET", "a", "1", "EX", "100"]), "+OK\r\n");
    assert_eq!(c.call_str(&["TTL", "a"]), ":100\r\n");
    assert_eq!(c.call_str(&["SET", "b", "2", "px", "100000"]), "+OK\r\n");
    assert_eq!(c.call_str(&["TTL", "b"]), ":100\r\n");
    assert_eq!(c.call_str(&["SET", "a", "3"]), "+OK\r\n");
    assert_eq!(
        c.call_str(&["TTL", "a"]),
        ":-1\r\n",
        "a plain SET drops the TTL"
    );
}

#[test]
fn set_nx_and_xx_depend_on_the_key() {
    let server = TestServer::start(&[]);
    let mut c = server.connect();
    assert_eq!(c.call_str(&["SET", "k", "1", "XX"]), "$-1\r\n");
    assert_eq!(c.call_str(&["SET", "k", "1", "NX"]), "+OK\r\n");
    assert_eq!(c.call_str(&["SET", "k", "2", "NX"]), "$-1\r\n");
    assert_eq!(c.call_str(&["GET", "k"]), "$1\r\n1\r\n");
    assert_eq!(c.call_str(&["SET", "k", "3", "XX"]), "+OK\r\n");
    assert_eq!(c.call_str(&["GET", "k"]), "$1\r\n3\r\n");
}

#[test]
fn set_refuses_bad_options_with_redis_wording() {
    let server = TestServer::start(&[]);
    let mut c = server.connect();
    assert_eq!(
        c.call_str(&["SET", "k", "v", "EX"]),
        "-ERR syntax error\r\n"
    );
    assert_eq!(
        c.call_str(&["SET", "k", "v", "NX", "XX"]),
        "-ERR syntax error\r\n"
    );
    assert_eq!(
        c.call_str(&["SET", "k", "v", "EX", "0"]),
        "-ERR invalid expire time in 'set' command\r\n"
    );
    assert_eq!(
        c.call_str(&["SET", "k", "v", "EX", "ten"]),
        "-ERR value is not an integer or out of range\r\n"
    );
    assert_eq!(c.call_str(&["GET", "k"]), "$-1\r\n", "nothing was set");
}

#[test]
fn inline_commands_work_like_arrays() {
    let server = TestServer::start(&[]);
    let mut c = server.connect();
    c.send_raw(b"PING\r\n");
    assert_eq!(c.read_reply(), b"+PONG\r\n");
    c.send_raw(b"SET greeting \"hello world\"\r\nGET greeting\n");
    assert_eq!(c.read_reply(), b"+OK\r\n");
    assert_eq!(c.read_reply(), b"$11\r\nhello world\r\n");
    c.send_raw(b"ECHO 'unbalanced\r\n");
    assert_eq!(
        c.read_reply(),
        b"-ERR Protocol error: unbalanced quotes in request\r\n"
    );
}
