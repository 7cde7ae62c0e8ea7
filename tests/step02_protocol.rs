//! Workshop step 2: RESP, the Redis serialization protocol
//! (lectures/02-protocol-parsing.md).
//!
//! No sockets here: [`read_request`] reads from any `BufRead`, so these tests
//! feed it byte slices, and [`Reply::write_to`] writes into a `Vec<u8>`.
//!
//! Run them with `cargo test --test step02_protocol`.

use std::io::{self, BufReader, Read};

use mini_redis::protocol::{read_request, ReadError, Reply, Request, RespVersion};

/// Every request in `input`, then how reading ended: `Ok(())` for a clean
/// end of input, or the error.
fn read_all(input: &[u8]) -> (Vec<Request>, Result<(), ReadError>) {
    read_all_from(&mut &input[..])
}

fn read_all_from(reader: &mut impl io::BufRead) -> (Vec<Request>, Result<(), ReadError>) {
    let mut requests = Vec::new();
    loop {
        match read_request(reader) {
            Ok(Some(request)) => requests.push(request),
            Ok(None) => return (requests, Ok(())),
            Err(err) => return (requests, Err(err)),
        }
    }
}

fn words(list: &[&str]) -> Request {
    list.iter().map(|w| w.as_bytes().to_vec()).collect()
}

/// The protocol error's message, as the server sends it after `-ERR `.
fn protocol_error(input: &[u8]) -> String {
    match read_all(input).1 {
        Err(ReadError::Protocol(err)) => err.to_string(),
        other => panic!("expected a protocol error for {input:?}, got {other:?}"),
    }
}

fn encode(reply: Reply) -> String {
    let mut out = Vec::new();
    reply.write_to(&mut out, RespVersion::Resp2).unwrap();
    String::from_utf8(out).unwrap()
}

/// A reader that hands out one byte per `read`, as a slow network might.
struct Trickle<'a>(&'a [u8]);

impl Read for Trickle<'_> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let Some((first, rest)) = self.0.split_first() else {
            return Ok(0);
        };
        buf[0] = *first;
        self.0 = rest;
        Ok(1)
    }
}

#[test]
fn reads_an_array_of_bulk_strings() {
    let (requests, end) = read_all(b"*2\r\n$3\r\nGET\r\n$3\r\nkey\r\n");
    assert_eq!(requests, vec![words(&["GET", "key"])]);
    assert!(end.is_ok(), "no more input is a clean end: {end:?}");
}

#[test]
fn reads_several_requests_from_one_buffer() {
    let input =
        b"*1\r\n$4\r\nPING\r\n*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$5\r\nhello\r\n*1\r\n$4\r\nPING\r\n";
    let (requests, end) = read_all(input);
    assert_eq!(
        requests,
        vec![
            words(&["PING"]),
            words(&["SET", "k", "hello"]),
            words(&["PING"])
        ]
    );
    assert!(end.is_ok());
}

#[test]
fn input_that_arrives_a_byte_at_a_time_reads_the_same() {
    let input =
        b"*3\r\n$3\r\nSET\r\n$10\r\nkey:000001\r\n$12\r\nhello\r\nworld\r\n*1\r\n$4\r\nPING\r\n";
    let mut slow = BufReader::with_capacity(1, Trickle(input));
    let (requests, end) = read_all_from(&mut slow);
    assert_eq!(
        requests,
        vec![
            words(&["SET", "key:000001", "hello\r\nworld"]),
            words(&["PING"])
        ]
    );
    assert!(end.is_ok());
}

#[test]
fn bulk_strings_are_binary_safe() {
    let (requests, _) = read_all(b"*2\r\n$4\r\nECHO\r\n$6\r\n\r\n\0\xff*\n\r\n");
    assert_eq!(
        requests,
        vec![vec![b"ECHO".to_vec(), b"\r\n\0\xff*\n".to_vec()]]
    );
}

#[test]
fn empty_strings_are_read_and_empty_arrays_skipped() {
    let (requests, end) = read_all(b"*0\r\n*2\r\n$4\r\nECHO\r\n$0\r\n\r\n");
    assert_eq!(requests, vec![vec![b"ECHO".to_vec(), Vec::new()]]);
    assert!(end.is_ok());
}

#[test]
fn a_client_leaving_mid_request_is_an_io_error() {
    let (requests, end) = read_all(b"*1\r\n$4\r\nPING\r\n*2\r\n$3\r\nGET\r\n$3\r\nke");
    assert_eq!(requests, vec![words(&["PING"])]);
    assert!(matches!(end, Err(ReadError::Io(_))), "{end:?}");
}

#[test]
fn malformed_requests_get_redis_wording() {
    assert_eq!(
        protocol_error(b"*abc\r\n"),
        "Protocol error: invalid multibulk length"
    );
    assert_eq!(
        protocol_error(b"*1\r\n$-3\r\n"),
        "Protocol error: invalid bulk length"
    );
    assert_eq!(
        protocol_error(b"*1\r\n$x\r\n"),
        "Protocol error: invalid bulk length"
    );
    assert_eq!(
        protocol_error(b"*1\r\n:4\r\n"),
        "Protocol error: expected '$', got ':'"
    );
}

#[test]
fn encodes_simple_strings_and_errors() {
    assert_eq!(encode(Reply::OK), "+OK\r\n");
    assert_eq!(encode(Reply::Simple("PONG")), "+PONG\r\n");
    assert_eq!(
        encode(Reply::Error(b"ERR unknown command".to_vec())),
        "-ERR unknown command\r\n"
    );
}

#[test]
fn encodes_integers() {
    assert_eq!(encode(Reply::Integer(0)), ":0\r\n");
    assert_eq!(encode(Reply::Integer(42)), ":42\r\n");
    assert_eq!(encode(Reply::Integer(-2)), ":-2\r\n");
    assert_eq!(
        encode(Reply::Integer(i64::MIN)),
        ":-9223372036854775808\r\n"
    );
}

#[test]
fn encodes_bulk_strings_and_null() {
    assert_eq!(encode(Reply::bulk("hello")), "$5\r\nhello\r\n");
    assert_eq!(encode(Reply::bulk("")), "$0\r\n\r\n");
    assert_eq!(encode(Reply::bulk("a\r\nb")), "$4\r\na\r\nb\r\n");
    assert_eq!(encode(Reply::Null), "$-1\r\n");
}

#[test]
fn encodes_arrays_of_any_replies() {
    let nested = Reply::Array(vec![
        Reply::Integer(1),
        Reply::bulk("two"),
        Reply::Null,
        Reply::Array(vec![Reply::OK]),
    ]);
    assert_eq!(
        encode(nested),
        "*4\r\n:1\r\n$3\r\ntwo\r\n$-1\r\n*1\r\n+OK\r\n"
    );
    assert_eq!(encode(Reply::Array(Vec::new())), "*0\r\n");
}
