//! Commands over TCP against the real binary: the way clients see them.

//@ passes from step 3

mod common;

use std::thread::sleep;
use std::time::Duration;

use common::TestServer;

//@ passes from step 4
#[test]
fn the_workshop_core_commands() {
    let server = TestServer::start(&[]);
    let mut c = server.connect();
    assert_eq!(c.call_str(&["PING"]), "+PONG\r\n");
    assert_eq!(c.call_str(&["PING", "hi"]), "$2\r\nhi\r\n");
    assert_eq!(c.call_str(&["GET", "k"]), "$-1\r\n");
    assert_eq!(c.call_str(&["SET", "k", "v"]), "+OK\r\n");
    assert_eq!(c.call_str(&["GET", "k"]), "$1\r\nv\r\n");
    assert_eq!(c.call_str(&["INCR", "n"]), ":1\r\n");
    assert_eq!(c.call_str(&["INCR", "n"]), ":2\r\n");
    assert_eq!(
        c.call_str(&["INCR", "k"]),
        "-ERR value is not an integer or out of range\r\n"
    );
    assert_eq!(c.call_str(&["TTL", "k"]), ":-1\r\n");
    assert_eq!(c.call_str(&["EXPIRE", "k", "100"]), ":1\r\n");
    assert_eq!(c.call_str(&["TTL", "k"]), ":100\r\n");
    assert_eq!(c.call_str(&["TTL", "missing"]), ":-2\r\n");
}

#[test]
fn command_names_are_case_insensitive_and_errors_use_redis_wording() {
    let server = TestServer::start(&[]);
    let mut c = server.connect();
    assert_eq!(c.call_str(&["pInG"]), "+PONG\r\n");
    assert_eq!(
        c.call_str(&["FOO", "bar"]),
        "-ERR unknown command 'FOO', with args beginning with: 'bar' \r\n"
    );
    assert_eq!(
        c.call_str(&["GET"]),
        "-ERR wrong number of arguments for 'get' command\r\n"
    );
    c.send(&["SET", "big", "9223372036854775807"]);
    c.read_reply();
    assert_eq!(
        c.call_str(&["INCR", "big"]),
        "-ERR increment or decrement would overflow\r\n"
    );
}

//@ passes from step 5
#[test]
fn inline_commands_work_like_nc() {
    let server = TestServer::start(&[]);
    let mut c = server.connect();
    c.send_raw(b"SET a \"hello world\"\r\nGET a\nPING\r\n\r\n");
    assert_eq!(c.read_reply(), b"+OK\r\n");
    assert_eq!(c.read_reply(), b"$11\r\nhello world\r\n");
    assert_eq!(c.read_reply(), b"+PONG\r\n");
}

#[test]
fn a_pipeline_in_one_write_gets_every_reply_in_order() {
    let server = TestServer::start(&[]);
    let mut c = server.connect();
    let mut batch = Vec::new();
    for i in 0..1_000 {
        batch.extend_from_slice(&common::encode(&[b"INCR", b"counter"]));
        if i % 100 == 0 {
            batch.extend_from_slice(&common::encode(&[b"GET", b"counter"]));
        }
    }
    c.send_raw(&batch);
    for i in 0..1_000 {
        assert_eq!(c.read_reply(), format!(":{}\r\n", i + 1).into_bytes());
        if i % 100 == 0 {
            let n = (i + 1).to_string();
            assert_eq!(
                c.read_reply(),
                format!("${}\r\n{n}\r\n", n.len()).into_bytes()
            );
        }
    }
}

#[test]
fn a_request_split_across_writes_is_reassembled() {
    let server = TestServer::start(&[]);
    let mut c = server.connect();
    // A complete PING, then half a request: the PONG must not wait for the rest.
    c.send_raw(b"*1\r\n$4\r\nPING\r\n*2\r\n$4\r\nEC");
    assert_eq!(c.read_reply(), b"+PONG\r\n");
    sleep(Duration::from_millis(50));
    c.send_raw(b"HO\r\n$5\r\nhel");
    sleep(Duration::from_millis(50));
    c.send_raw(b"lo\r\n");
    assert_eq!(c.read_reply(), b"$5\r\nhello\r\n");
}

#[test]
fn values_are_binary_safe() {
    let server = TestServer::start(&[]);
    let mut c = server.connect();
    let value: Vec<u8> = (0..=255u8).cycle().take(100_000).collect();
    c.send_raw(&common::encode(&[b"SET", b"\x00key\xff", &value]));
    assert_eq!(c.read_reply(), b"+OK\r\n");
    c.send_raw(&common::encode(&[b"GET", b"\x00key\xff"]));
    let mut expected = b"$100000\r\n".to_vec();
    expected.extend_from_slice(&value);
    expected.extend_from_slice(b"\r\n");
    assert_eq!(c.read_reply(), expected);
}

#[test]
fn hello_3_switches_the_connection_to_resp3() {
    let server = TestServer::start(&[]);
    let mut c = server.connect();
    let hello = c.call_str(&["HELLO", "3"]);
    assert!(
        hello.starts_with("%7\r\n$6\r\nserver\r\n$5\r\nredis\r\n"),
        "{hello}"
    );
    assert!(hello.contains("$5\r\nproto\r\n:3\r\n"), "{hello}");
    assert_eq!(c.call_str(&["GET", "missing"]), "_\r\n");
    assert_eq!(
        c.call_str(&["HELLO", "4"]),
        "-NOPROTO unsupported protocol version\r\n"
    );
    // Another connection is still RESP2.
    assert_eq!(server.connect().call_str(&["GET", "missing"]), "$-1\r\n");
}

#[test]
fn quit_answers_ok_then_closes() {
    let server = TestServer::start(&[]);
    let mut c = server.connect();
    assert_eq!(c.call_str(&["QUIT"]), "+OK\r\n");
    assert!(c.is_closed());
}

//@ passes from step 5
#[test]
fn client_and_info_commands_report_real_state() {
    let server = TestServer::start(&["--maxclients", "77", "--hz", "25"]);
    let mut c = server.connect();
    let id = c.call_str(&["CLIENT", "ID"]);
    assert!(id.starts_with(':'), "{id}");
    assert_eq!(c.call_str(&["CLIENT", "SETNAME", "worker-1"]), "+OK\r\n");
    assert_eq!(c.call_str(&["CLIENT", "GETNAME"]), "$8\r\nworker-1\r\n");
    assert_eq!(
        c.call_str(&["CLIENT", "SETINFO", "LIB-NAME", "redis-py"]),
        "+OK\r\n"
    );
    assert_eq!(
        c.call_str(&["CONFIG", "GET", "maxclients"]),
        "*2\r\n$10\r\nmaxclients\r\n$2\r\n77\r\n"
    );
    assert_eq!(
        c.call_str(&["CONFIG", "GET", "hz"]),
        "*2\r\n$2\r\nhz\r\n$2\r\n25\r\n"
    );
    c.call(&["SET", "a", "1"]);
    c.call(&["SET", "b", "2", "EX", "100"]);
    let mut second = server.connect();
    second.call(&["PING"]); // answered, so surely accepted
    let info = c.call_str(&["INFO"]);
    for field in [
        "redis_version:7.0",
        "connected_clients:2",
        "maxclients:77",
        "hz:25",
        "db0:keys=2,expires=1,avg_ttl=",
    ] {
        assert!(info.contains(field), "INFO lacks {field}:\n{info}");
    }
    let processed: u64 = info
        .lines()
        .find_map(|l| l.strip_prefix("total_commands_processed:"))
        .unwrap()
        .parse()
        .unwrap();
    assert!(processed >= 8, "{processed}");
}

#[test]
fn command_count_docs_and_info_describe_the_table() {
    let server = TestServer::start(&[]);
    let mut c = server.connect();
    let count = c.call_str(&["COMMAND", "COUNT"]);
    let count: usize = count[1..count.len() - 2].parse().unwrap();
    assert!(count >= 40, "{count}");
    let docs = c.call_str(&["COMMAND", "DOCS", "get"]);
    assert!(docs.starts_with("*2\r\n$3\r\nget\r\n"), "{docs}");
    assert!(docs.contains("summary"), "{docs}");
    let info = c.call_str(&["COMMAND", "INFO", "get", "nosuch"]);
    assert!(
        info.starts_with("*2\r\n*10\r\n$3\r\nget\r\n:2\r\n"),
        "{info}"
    );
    assert!(info.ends_with("$-1\r\n"), "{info}");
}
