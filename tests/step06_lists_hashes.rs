//! Workshop step 6 (optional): values that are not strings, lists and hashes
//! (lectures/06-lists-and-hashes.md): LPUSH and RPUSH, LRANGE's indexes,
//! LPOP and RPOP, HSET, HGET and HGETALL, WRONGTYPE, and a list or hash that
//! loses its last element taking its key with it.
//!
//! The first tests call the list functions on a [`Store`] directly; the
//! others talk to the real binary over TCP.
//!
//! Run them with `cargo test --test step06_lists_hashes`.

mod common;

use common::TestServer;
use mini_redis::bytes::Bytes;
use mini_redis::commands::lists::{self, End};
use mini_redis::commands::CommandError;
use mini_redis::storage::Store;
use mini_redis::value::{Kind, Value};

fn elements(words: &[&str]) -> Vec<Bytes> {
    words
        .iter()
        .map(|w| Bytes::copy_from(w.as_bytes()))
        .collect()
}

#[test]
fn lrange_indexes_count_from_either_end_and_are_clamped() {
    // A list of 5: positions 0..=4, or -5..=-1 from the end.
    assert_eq!(lists::range(0, -1, 5), Some((0, 4)), "the whole list");
    assert_eq!(lists::range(1, 2, 5), Some((1, 2)));
    assert_eq!(lists::range(-2, -1, 5), Some((3, 4)), "the last two");
    assert_eq!(
        lists::range(-100, 100, 5),
        Some((0, 4)),
        "clamped at both ends"
    );
    assert_eq!(lists::range(3, 1, 5), None, "start after stop");
    assert_eq!(lists::range(5, 10, 5), None, "start past the end");
    assert_eq!(lists::range(0, -6, 5), None, "stop before the start");
    assert_eq!(lists::range(0, 0, 0), None, "an empty list has nothing");
}

#[test]
fn a_list_is_created_by_a_push_and_deleted_by_the_pop_that_empties_it() {
    let mut store = Store::new();
    let len = lists::push(
        &mut store,
        b"q",
        End::Right,
        elements(&["a", "b"]),
        false,
        0,
    );
    assert_eq!(len, Ok(2));
    let len = lists::push(&mut store, b"q", End::Left, elements(&["z"]), false, 0);
    assert_eq!(len, Ok(3), "z, a, b");
    assert_eq!(store.get(b"q", 0).map(Value::kind), Some(Kind::List));

    let popped = lists::pop(&mut store, b"q", End::Right, 2, 0).unwrap();
    assert_eq!(
        popped,
        Some(elements(&["b", "a"])),
        "from the tail, last first"
    );
    assert_eq!(store.len(), 1, "one element left");
    let popped = lists::pop(&mut store, b"q", End::Left, 10, 0).unwrap();
    assert_eq!(popped, Some(elements(&["z"])), "at most what there is");
    assert!(store.get(b"q", 0).is_none(), "an empty list is no list");
    assert_eq!(store.len(), 0);
    assert_eq!(lists::pop(&mut store, b"q", End::Left, 1, 0), Ok(None));

    let pushx = lists::push(&mut store, b"q", End::Left, elements(&["x"]), true, 0);
    assert_eq!(pushx, Ok(0), "LPUSHX creates nothing");
    assert_eq!(store.len(), 0);
}

#[test]
fn a_push_onto_a_string_is_wrongtype() {
    let mut store = Store::new();
    let string = Value::String(Bytes::copy_from(b"text"));
    store.set(Bytes::copy_from(b"s"), string.clone(), None, 0);
    let pushed = lists::push(&mut store, b"s", End::Left, elements(&["x"]), false, 0);
    assert_eq!(pushed, Err(CommandError::WrongType));
    assert_eq!(store.get(b"s", 0), Some(&string), "the string is untouched");
}

#[test]
fn lpush_and_rpush_add_at_either_end_and_lrange_reads() {
    let server = TestServer::start(&[]);
    let mut c = server.connect();
    assert_eq!(c.call_str(&["RPUSH", "l", "b", "c"]), ":2\r\n");
    assert_eq!(c.call_str(&["LPUSH", "l", "a", "0"]), ":4\r\n");
    assert_eq!(
        c.call_str(&["LRANGE", "l", "0", "-1"]),
        "*4\r\n$1\r\n0\r\n$1\r\na\r\n$1\r\nb\r\n$1\r\nc\r\n",
        "LPUSH a 0 pushes a, then 0 in front of it"
    );
    assert_eq!(
        c.call_str(&["LRANGE", "l", "-2", "100"]),
        "*2\r\n$1\r\nb\r\n$1\r\nc\r\n"
    );
    assert_eq!(c.call_str(&["LRANGE", "l", "3", "1"]), "*0\r\n");
    assert_eq!(c.call_str(&["LRANGE", "missing", "0", "-1"]), "*0\r\n");
    assert_eq!(c.call_str(&["TYPE", "l"]), "+list\r\n");
}

#[test]
fn lpop_and_rpop_take_from_either_end_and_the_last_one_deletes_the_key() {
    let server = TestServer::start(&[]);
    let mut c = server.connect();
    c.call(&["RPUSH", "l", "a", "b", "c", "d"]);
    assert_eq!(c.call_str(&["LPOP", "l"]), "$1\r\na\r\n");
    assert_eq!(c.call_str(&["RPOP", "l"]), "$1\r\nd\r\n");
    assert_eq!(
        c.call_str(&["LPOP", "l", "5"]),
        "*2\r\n$1\r\nb\r\n$1\r\nc\r\n"
    );
    assert_eq!(
        c.call_str(&["EXISTS", "l"]),
        ":0\r\n",
        "no empty list is kept"
    );
    assert_eq!(c.call_str(&["LPOP", "l"]), "$-1\r\n");
    assert_eq!(c.call_str(&["LPOP", "l", "2"]), "*-1\r\n");
}

#[test]
fn hset_hget_and_hgetall_keep_the_order_fields_were_first_set() {
    let server = TestServer::start(&[]);
    let mut c = server.connect();
    assert_eq!(
        c.call_str(&["HSET", "h", "name", "ada", "lang", "rust"]),
        ":2\r\n"
    );
    assert_eq!(
        c.call_str(&["HSET", "h", "name", "grace", "year", "1906"]),
        ":1\r\n",
        "only `year` is new"
    );
    assert_eq!(c.call_str(&["HGET", "h", "name"]), "$5\r\ngrace\r\n");
    assert_eq!(c.call_str(&["HGET", "h", "nope"]), "$-1\r\n");
    assert_eq!(c.call_str(&["HGET", "missing", "name"]), "$-1\r\n");
    assert_eq!(
        c.call_str(&["HGETALL", "h"]),
        "*6\r\n$4\r\nname\r\n$5\r\ngrace\r\n$4\r\nlang\r\n$4\r\nrust\r\n$4\r\nyear\r\n$4\r\n1906\r\n",
        "an overwritten field keeps its place"
    );
    assert_eq!(c.call_str(&["HGETALL", "missing"]), "*0\r\n");
    assert_eq!(c.call_str(&["HLEN", "h"]), ":3\r\n");
    assert_eq!(c.call_str(&["TYPE", "h"]), "+hash\r\n");
}

#[test]
fn a_hash_that_loses_its_last_field_is_deleted() {
    let server = TestServer::start(&[]);
    let mut c = server.connect();
    c.call(&["HSET", "h", "a", "1", "b", "2"]);
    assert_eq!(c.call_str(&["HDEL", "h", "a", "b"]), ":2\r\n");
    assert_eq!(c.call_str(&["EXISTS", "h"]), ":0\r\n");
    assert_eq!(c.call_str(&["HGETALL", "h"]), "*0\r\n");
}

#[test]
fn each_command_refuses_the_wrong_kind_of_value() {
    let server = TestServer::start(&[]);
    let mut c = server.connect();
    let wrongtype = "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n";
    c.call(&["SET", "s", "text"]);
    c.call(&["RPUSH", "l", "x"]);
    c.call(&["HSET", "h", "f", "v"]);
    assert_eq!(c.call_str(&["LPUSH", "s", "x"]), wrongtype);
    assert_eq!(c.call_str(&["LRANGE", "h", "0", "-1"]), wrongtype);
    assert_eq!(c.call_str(&["LPOP", "h"]), wrongtype);
    assert_eq!(c.call_str(&["HSET", "l", "f", "v"]), wrongtype);
    assert_eq!(c.call_str(&["HGET", "s", "f"]), wrongtype);
    assert_eq!(c.call_str(&["HGETALL", "l"]), wrongtype);
    assert_eq!(c.call_str(&["GET", "l"]), wrongtype);
    assert_eq!(
        c.call_str(&["GET", "s"]),
        "$4\r\ntext\r\n",
        "nothing changed"
    );
}
