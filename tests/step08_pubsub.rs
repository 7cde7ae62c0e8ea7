//! Workshop step 8 (optional): pub/sub (lectures/08-pubsub.md): SUBSCRIBE,
//! PSUBSCRIBE and PUBLISH through a subscriber's outbox, which other
//! clients' threads push to while the subscriber's own thread is asleep
//! in its read; and MONITOR's lines.
//!
//! Every test talks to the real binary over TCP, as two or three clients.
//!
//! Run them with `cargo test --test step08_pubsub`.

mod common;

use std::time::Duration;

use common::TestServer;

#[test]
fn a_subscription_is_confirmed_then_messages_arrive_in_publish_order() {
    let server = TestServer::start(&[]);
    let mut subscriber = server.connect();
    let mut publisher = server.connect();
    subscriber.send(&["SUBSCRIBE", "news", "sport"]);
    assert_eq!(
        subscriber.read_reply(),
        b"*3\r\n$9\r\nsubscribe\r\n$4\r\nnews\r\n:1\r\n"
    );
    assert_eq!(
        subscriber.read_reply(),
        b"*3\r\n$9\r\nsubscribe\r\n$5\r\nsport\r\n:2\r\n"
    );
    for i in 0..100 {
        let message = format!("m{i}");
        assert_eq!(publisher.call_str(&["PUBLISH", "news", &message]), ":1\r\n");
    }
    for i in 0..100 {
        let frame = format!(
            "*3\r\n$7\r\nmessage\r\n$4\r\nnews\r\n${}\r\nm{i}\r\n",
            1 + i.to_string().len()
        );
        assert_eq!(String::from_utf8(subscriber.read_reply()).unwrap(), frame);
    }
    assert_eq!(publisher.call_str(&["PUBLISH", "nobody", "x"]), ":0\r\n");
}

#[test]
fn a_pattern_hears_every_matching_channel_and_counts_as_a_receiver() {
    let server = TestServer::start(&[]);
    let mut subscriber = server.connect();
    let mut publisher = server.connect();
    subscriber.call(&["PSUBSCRIBE", "news.*"]);
    subscriber.call(&["SUBSCRIBE", "news.tech"]);
    assert_eq!(
        publisher.call_str(&["PUBLISH", "news.tech", "rust"]),
        ":2\r\n"
    );
    assert_eq!(
        subscriber.read_reply(),
        b"*3\r\n$7\r\nmessage\r\n$9\r\nnews.tech\r\n$4\r\nrust\r\n"
    );
    assert_eq!(
        subscriber.read_reply(),
        b"*4\r\n$8\r\npmessage\r\n$6\r\nnews.*\r\n$9\r\nnews.tech\r\n$4\r\nrust\r\n"
    );
    assert_eq!(publisher.call_str(&["PUBLISH", "weather", "sun"]), ":0\r\n");
}

#[test]
fn in_resp3_frames_are_pushes_and_every_command_still_works() {
    let server = TestServer::start(&[]);
    let mut subscriber = server.connect();
    let mut publisher = server.connect();
    subscriber.call(&["HELLO", "3"]);
    assert_eq!(
        subscriber.call_str(&["SUBSCRIBE", "c"]),
        ">3\r\n$9\r\nsubscribe\r\n$1\r\nc\r\n:1\r\n"
    );
    assert_eq!(subscriber.call_str(&["SET", "k", "v"]), "+OK\r\n");
    assert_eq!(publisher.call_str(&["PUBLISH", "c", "hi"]), ":1\r\n");
    assert_eq!(
        subscriber.read_reply(),
        b">3\r\n$7\r\nmessage\r\n$1\r\nc\r\n$2\r\nhi\r\n"
    );
    assert_eq!(subscriber.call_str(&["GET", "k"]), "$1\r\nv\r\n");
}

#[test]
fn monitor_shows_other_clients_commands_as_redis_prints_them() {
    let server = TestServer::start(&[]);
    let mut monitor = server.connect();
    let mut client = server.connect();
    assert_eq!(monitor.call_str(&["MONITOR"]), "+OK\r\n");
    client.call(&["SET", "greeting", "hello \"world\"\n"]);
    let line = String::from_utf8(monitor.read_reply()).unwrap();
    // +1700000000.123456 [0 127.0.0.1:54321] "SET" "greeting" "hello \"world\"\n"
    let (time, rest) = line[1..].split_once(' ').unwrap();
    let (seconds, micros) = time.split_once('.').unwrap();
    assert!(seconds.parse::<u64>().unwrap() > 1_600_000_000, "{line}");
    assert_eq!(micros.len(), 6, "{line}");
    assert!(rest.starts_with("[0 127.0.0.1:"), "{line}");
    assert!(
        rest.ends_with("] \"SET\" \"greeting\" \"hello \\\"world\\\"\\n\"\r\n"),
        "{line}"
    );
    monitor
        .stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
}
