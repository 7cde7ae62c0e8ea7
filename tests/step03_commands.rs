//! Workshop step 3: the store and the first commands, PING, ECHO, GET, SET
//! and INCR, wired into the connection loop (lectures/03-commands.md).
//!
//! The first tests call the library directly: [`Store`] for the keyspace,
//! an [`Executor`](mini_redis::executor::Executor) for a request. The last ones start the real binary
//! and talk to it over TCP, the way redis-cli does.
//!
//! Run them with `cargo test --test step03_commands`.

mod common;

use std::thread;

use common::TestServer;
use mini_redis::bytes::Bytes;
use mini_redis::client::Client;
use mini_redis::config::Config;
use mini_redis::protocol::RespVersion;
use mini_redis::server::Server;
use mini_redis::storage::Store;
use mini_redis::value::Value;

/// A server that is never started: enough for commands to run against.
fn offline_server() -> Server {
    Server::new(Config::default(), 0)
}

/// Runs one request through an executor and returns the encoded reply.
fn run(server: &Server, words: &[&str]) -> String {
    let mut client = Client::new(1, None);
    let request = words.iter().map(|w| w.as_bytes().to_vec()).collect();
    let reply = server.executor().execute(&mut client, request);
    let mut out = Vec::new();
    reply.write_to(&mut out, RespVersion::Resp2).unwrap();
    String::from_utf8(out).unwrap()
}

#[test]
fn the_store_keeps_one_value_per_key() {
    let string = |s: &[u8]| Value::String(Bytes::copy_from(s));
    let mut store = Store::new();
    assert!(store.get(b"k", 0).is_none());
    store.set(Bytes::copy_from(b"k"), string(b"v1"), None, 0);
    store.set(Bytes::copy_from(b"other"), string(b"x"), None, 0);
    assert_eq!(store.get(b"k", 0), Some(&string(b"v1")));
    store.set(Bytes::copy_from(b"k"), string(b"v2"), None, 0);
    assert_eq!(store.get(b"k", 0), Some(&string(b"v2")));
    assert_eq!(store.len(), 2);
}

#[test]
fn ping_and_echo() {
    let server = offline_server();
    assert_eq!(run(&server, &["PING"]), "+PONG\r\n");
    assert_eq!(run(&server, &["PING", "hello"]), "$5\r\nhello\r\n");
    assert_eq!(run(&server, &["ECHO", "hi there"]), "$8\r\nhi there\r\n");
}

#[test]
fn set_then_get() {
    let server = offline_server();
    assert_eq!(run(&server, &["GET", "name"]), "$-1\r\n");
    assert_eq!(run(&server, &["SET", "name", "redis"]), "+OK\r\n");
    assert_eq!(run(&server, &["GET", "name"]), "$5\r\nredis\r\n");
    assert_eq!(run(&server, &["SET", "name", "again"]), "+OK\r\n");
    assert_eq!(run(&server, &["GET", "name"]), "$5\r\nagain\r\n");
}

#[test]
fn incr_counts_from_zero_and_refuses_what_is_not_a_number() {
    let server = offline_server();
    assert_eq!(run(&server, &["INCR", "visits"]), ":1\r\n");
    assert_eq!(run(&server, &["INCR", "visits"]), ":2\r\n");
    assert_eq!(run(&server, &["GET", "visits"]), "$1\r\n2\r\n");
    run(&server, &["SET", "word", "hello"]);
    assert_eq!(
        run(&server, &["INCR", "word"]),
        "-ERR value is not an integer or out of range\r\n"
    );
    run(&server, &["SET", "big", "9223372036854775807"]);
    assert_eq!(
        run(&server, &["INCR", "big"]),
        "-ERR increment or decrement would overflow\r\n"
    );
}

#[test]
fn each_command_that_runs_is_counted_as_redis_counts_it() {
    use std::sync::atomic::Ordering;
    let server = offline_server();
    let counted = || server.commands_processed.load(Ordering::Relaxed);
    run(&server, &["PING"]);
    run(&server, &["SET", "k", "v"]);
    run(&server, &["INCR", "k"]); // an error of the command's own: counted
    assert_eq!(
        counted(),
        3,
        "INFO's total_commands_processed counts every command that ran"
    );
    run(&server, &["NOSUCH"]);
    run(&server, &["GET"]);
    assert_eq!(
        counted(),
        3,
        "an unknown command or a wrong arity is refused before it is counted"
    );
}

#[test]
fn command_names_ignore_case() {
    let server = offline_server();
    assert_eq!(run(&server, &["ping"]), "+PONG\r\n");
    assert_eq!(run(&server, &["sEt", "k", "v"]), "+OK\r\n");
    assert_eq!(run(&server, &["get", "k"]), "$1\r\nv\r\n");
}

#[test]
fn unknown_commands_and_wrong_arity_get_redis_wording() {
    let server = offline_server();
    assert_eq!(
        run(&server, &["HELP", "me"]),
        "-ERR unknown command 'HELP', with args beginning with: 'me' \r\n"
    );
    assert_eq!(
        run(&server, &["GET"]),
        "-ERR wrong number of arguments for 'get' command\r\n"
    );
    assert_eq!(
        run(&server, &["GET", "a", "b"]),
        "-ERR wrong number of arguments for 'get' command\r\n"
    );
    assert_eq!(
        run(&server, &["SET", "k"]),
        "-ERR wrong number of arguments for 'set' command\r\n"
    );
}

#[test]
fn the_server_answers_over_tcp() {
    let server = TestServer::start(&[]);
    let mut c = server.connect();
    assert_eq!(c.call_str(&["PING"]), "+PONG\r\n");
    assert_eq!(c.call_str(&["SET", "greeting", "hello world"]), "+OK\r\n");
    assert_eq!(c.call_str(&["GET", "greeting"]), "$11\r\nhello world\r\n");
    assert_eq!(c.call_str(&["INCR", "n"]), ":1\r\n");
    assert_eq!(c.call_str(&["GET", "missing"]), "$-1\r\n");
}

#[test]
fn pipelined_requests_get_their_replies_in_order() {
    let server = TestServer::start(&[]);
    let mut c = server.connect();
    let mut batch = Vec::new();
    for i in 0..100 {
        batch.extend(common::encode(&[b"INCR", b"counter"]));
        if i % 10 == 0 {
            batch.extend(common::encode(&[b"PING"]));
        }
    }
    c.send_raw(&batch);
    for i in 0..100 {
        assert_eq!(c.read_reply(), format!(":{}\r\n", i + 1).into_bytes());
        if i % 10 == 0 {
            assert_eq!(c.read_reply(), b"+PONG\r\n");
        }
    }
}

#[test]
fn clients_share_one_store_and_lose_no_update() {
    let server = TestServer::start(&[]);
    let workers: Vec<_> = (0..8)
        .map(|_| {
            let mut c = server.connect();
            thread::spawn(move || {
                for _ in 0..250 {
                    c.call(&["INCR", "shared"]);
                }
            })
        })
        .collect();
    for worker in workers {
        worker.join().expect("a client thread failed");
    }
    let mut reader = server.connect();
    assert_eq!(reader.call_str(&["GET", "shared"]), "$4\r\n2000\r\n");
}
