//! Workshop step 7 (optional): transactions and blocking
//! (lectures/07-transactions-and-blocking.md): MULTI's queue, EXEC's loop
//! under one write guard, WATCH's versions, and BLPOP, a client whose
//! thread waits on a `Condvar` until another client's push serves it.
//!
//! The first tests call [`Watches`] on a [`Store`] directly, then run
//! requests through two executors of one server that is never started, as
//! two clients would. The last ones talk to the real binary over TCP.
//! BLPOP pushes with lists, so step 6 comes first.
//!
//! Run them with `cargo test --test step07_transactions`.

mod common;

use std::thread;
use std::time::{Duration, Instant};

use common::TestServer;
use mini_redis::bytes::Bytes;
use mini_redis::client::Client;
use mini_redis::config::Config;
use mini_redis::executor::Executor;
use mini_redis::protocol::RespVersion;
use mini_redis::server::Server;
use mini_redis::storage::Store;
use mini_redis::transaction::Watches;
use mini_redis::value::Value;

fn string(bytes: &[u8]) -> Value {
    Value::String(Bytes::copy_from(bytes))
}

/// Runs one request through `executor` (one client's) and returns the
/// encoded reply.
fn run(executor: &mut Executor, client: &mut Client, words: &[&str]) -> String {
    let request = words.iter().map(|w| w.as_bytes().to_vec()).collect();
    let reply = executor.execute(client, request);
    let mut out = Vec::new();
    reply.write_to(&mut out, RespVersion::Resp2).unwrap();
    String::from_utf8(out).unwrap()
}

#[test]
fn a_watched_key_changes_only_when_a_write_to_it_succeeds() {
    let mut store = Store::new();
    store.set(Bytes::copy_from(b"k"), string(b"1"), None, 0);
    store.settle_changes(true);
    let mut watches = Watches::default();
    watches.add(&mut store, b"k".to_vec(), 0);
    watches.add(&mut store, b"k".to_vec(), 0);
    assert!(!watches.any_changed(&store, 0), "nothing happened yet");

    store.set(Bytes::copy_from(b"other"), string(b"x"), None, 0);
    store.settle_changes(true);
    assert!(!watches.any_changed(&store, 0), "another key is no change");

    store.set(Bytes::copy_from(b"k"), string(b"2"), None, 0);
    store.settle_changes(false);
    assert!(
        !watches.any_changed(&store, 0),
        "a failed write changed nothing"
    );

    store.set(Bytes::copy_from(b"k"), string(b"3"), None, 0);
    store.settle_changes(true);
    assert!(watches.any_changed(&store, 0));
    watches.clear(&mut store);
    assert!(watches.is_empty());
}

#[test]
fn a_watched_key_that_expires_counts_as_changed() {
    let mut store = Store::new();
    store.set(Bytes::copy_from(b"k"), string(b"v"), Some(1_000), 0);
    store.settle_changes(true);
    let mut watches = Watches::default();
    watches.add(&mut store, b"k".to_vec(), 500);
    assert!(!watches.any_changed(&store, 1_000), "its last millisecond");
    assert!(
        watches.any_changed(&store, 1_001),
        "expired, deleted or not"
    );
}

#[test]
fn exec_runs_the_queue_in_order_and_nothing_runs_before() {
    let server = Server::new(Config::default(), 0);
    let (mut a, mut b) = (server.executor(), server.executor());
    let (mut ca, mut cb) = (Client::new(1, None), Client::new(2, None));
    assert_eq!(run(&mut a, &mut ca, &["MULTI"]), "+OK\r\n");
    assert_eq!(run(&mut a, &mut ca, &["SET", "n", "10"]), "+QUEUED\r\n");
    assert_eq!(run(&mut a, &mut ca, &["INCR", "n"]), "+QUEUED\r\n");
    assert_eq!(run(&mut a, &mut ca, &["GET", "n"]), "+QUEUED\r\n");
    assert_eq!(
        run(&mut b, &mut cb, &["GET", "n"]),
        "$-1\r\n",
        "queued, not run"
    );
    assert_eq!(
        run(&mut a, &mut ca, &["EXEC"]),
        "*3\r\n+OK\r\n:11\r\n$2\r\n11\r\n"
    );
    assert_eq!(run(&mut b, &mut cb, &["GET", "n"]), "$2\r\n11\r\n");
    assert_eq!(
        run(&mut a, &mut ca, &["EXEC"]),
        "-ERR EXEC without MULTI\r\n"
    );
}

#[test]
fn a_command_that_fails_in_exec_fails_alone_and_a_refused_one_aborts_all() {
    let server = Server::new(Config::default(), 0);
    let mut a = server.executor();
    let mut c = Client::new(1, None);
    run(&mut a, &mut c, &["SET", "s", "text"]);
    run(&mut a, &mut c, &["MULTI"]);
    assert_eq!(run(&mut a, &mut c, &["INCR", "s"]), "+QUEUED\r\n");
    assert_eq!(run(&mut a, &mut c, &["SET", "t", "1"]), "+QUEUED\r\n");
    assert_eq!(
        run(&mut a, &mut c, &["EXEC"]),
        "*2\r\n-ERR value is not an integer or out of range\r\n+OK\r\n",
        "the error takes INCR's place; SET still runs"
    );

    run(&mut a, &mut c, &["MULTI"]);
    assert_eq!(run(&mut a, &mut c, &["SET", "u", "1"]), "+QUEUED\r\n");
    assert_eq!(
        run(&mut a, &mut c, &["NOSUCH"]),
        "-ERR unknown command 'NOSUCH', with args beginning with: \r\n"
    );
    assert_eq!(
        run(&mut a, &mut c, &["EXEC"]),
        "-EXECABORT Transaction discarded because of previous errors.\r\n"
    );
    assert_eq!(run(&mut a, &mut c, &["GET", "u"]), "$-1\r\n");
}

#[test]
fn watch_aborts_exec_if_another_client_wrote_the_key() {
    let server = Server::new(Config::default(), 0);
    let (mut a, mut b) = (server.executor(), server.executor());
    let (mut ca, mut cb) = (Client::new(1, None), Client::new(2, None));
    run(&mut a, &mut ca, &["SET", "balance", "100"]);
    assert_eq!(run(&mut a, &mut ca, &["WATCH", "balance"]), "+OK\r\n");
    run(&mut a, &mut ca, &["MULTI"]);
    run(&mut a, &mut ca, &["DECRBY", "balance", "30"]);
    assert_eq!(
        run(&mut b, &mut cb, &["INCRBY", "balance", "5"]),
        ":105\r\n"
    );
    assert_eq!(run(&mut a, &mut ca, &["EXEC"]), "*-1\r\n", "aborted");
    assert_eq!(run(&mut a, &mut ca, &["GET", "balance"]), "$3\r\n105\r\n");

    // EXEC forgot the watch: the retry goes through.
    run(&mut a, &mut ca, &["WATCH", "balance"]);
    run(&mut a, &mut ca, &["MULTI"]);
    run(&mut a, &mut ca, &["DECRBY", "balance", "30"]);
    assert_eq!(run(&mut a, &mut ca, &["EXEC"]), "*1\r\n:75\r\n");
}

#[test]
fn blpop_waits_until_another_client_pushes() {
    let server = TestServer::start(&[]);
    let mut waiter = server.connect();
    let mut pusher = server.connect();
    waiter.send(&["BLPOP", "jobs", "5"]);
    thread::sleep(Duration::from_millis(100));
    assert_eq!(pusher.call_str(&["RPUSH", "jobs", "build"]), ":1\r\n");
    assert_eq!(waiter.read_reply(), b"*2\r\n$4\r\njobs\r\n$5\r\nbuild\r\n");
    assert_eq!(
        pusher.call_str(&["EXISTS", "jobs"]),
        ":0\r\n",
        "served inside the push: nobody else saw the element"
    );
}

#[test]
fn blpop_times_out_with_a_null_array() {
    let server = TestServer::start(&[]);
    let mut c = server.connect();
    let start = Instant::now();
    assert_eq!(c.call_str(&["BLPOP", "nothing", "0.2"]), "*-1\r\n");
    let waited = start.elapsed();
    assert!(
        waited >= Duration::from_millis(200),
        "answered after {waited:?}"
    );
    assert_eq!(c.call_str(&["PING"]), "+PONG\r\n", "the client goes on");
}

#[test]
fn blocked_clients_are_served_first_come_first_served() {
    let server = TestServer::start(&[]);
    let mut first = server.connect();
    let mut second = server.connect();
    let mut pusher = server.connect();
    first.send(&["BLPOP", "q", "5"]);
    thread::sleep(Duration::from_millis(100));
    second.send(&["BLPOP", "other", "q", "5"]);
    thread::sleep(Duration::from_millis(100));
    assert_eq!(
        pusher.call_str(&["RPUSH", "q", "one", "two", "three"]),
        ":3\r\n"
    );
    assert_eq!(first.read_reply(), b"*2\r\n$1\r\nq\r\n$3\r\none\r\n");
    assert_eq!(second.read_reply(), b"*2\r\n$1\r\nq\r\n$3\r\ntwo\r\n");
    assert_eq!(
        pusher.call_str(&["LRANGE", "q", "0", "-1"]),
        "*1\r\n$5\r\nthree\r\n"
    );
}
