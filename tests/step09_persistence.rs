//! Workshop step 9 (optional): persistence (lectures/09-persistence.md):
//! the RDB length encoding, strings in their three encodings (plain,
//! integer, LZF), the listpack of a small list, the CRC64 that closes
//! every dump, and a file written so that a crash never damages it.
//!
//! The first tests call the `rdb` module directly, on bytes from a real
//! redis-server 7.0.15; the last one saves and reloads over TCP.
//!
//! Run them with `cargo test --test step09_persistence`.

mod common;

use std::time::Duration;

use common::{fresh_dir, TestServer};
use mini_redis::bytes::Bytes;
use mini_redis::rdb::{self, crc64, read::Reader, write};
use mini_redis::storage::Store;
use mini_redis::value::Value;

/// The dump redis-server 7.0.15 wrote for `SET greeting hello`, `SET n 42`,
/// `RPUSH list a b` and `SET session x PXAT 4102444800000`, then SAVE
/// (lecture 09 reads it byte by byte).
const REDIS_DUMP: &[u8] = &[
    0x52, 0x45, 0x44, 0x49, 0x53, 0x30, 0x30, 0x31, 0x30, 0xfa, 0x09, 0x72, 0x65, 0x64, 0x69, 0x73,
    0x2d, 0x76, 0x65, 0x72, 0x06, 0x37, 0x2e, 0x30, 0x2e, 0x31, 0x35, 0xfa, 0x0a, 0x72, 0x65, 0x64,
    0x69, 0x73, 0x2d, 0x62, 0x69, 0x74, 0x73, 0xc0, 0x40, 0xfa, 0x05, 0x63, 0x74, 0x69, 0x6d, 0x65,
    0xc2, 0xb6, 0x59, 0x0f, 0x6b, 0xfa, 0x08, 0x75, 0x73, 0x65, 0x64, 0x2d, 0x6d, 0x65, 0x6d, 0xc2,
    0x78, 0xfc, 0x13, 0x00, 0xfa, 0x08, 0x61, 0x6f, 0x66, 0x2d, 0x62, 0x61, 0x73, 0x65, 0xc0, 0x00,
    0xfe, 0x00, 0xfb, 0x04, 0x01, 0xfc, 0x00, 0xd8, 0xc3, 0x2c, 0xbb, 0x03, 0x00, 0x00, 0x00, 0x07,
    0x73, 0x65, 0x73, 0x73, 0x69, 0x6f, 0x6e, 0x01, 0x78, 0x12, 0x04, 0x6c, 0x69, 0x73, 0x74, 0x01,
    0x02, 0x0d, 0x0d, 0x00, 0x00, 0x00, 0x02, 0x00, 0x81, 0x61, 0x02, 0x81, 0x62, 0x02, 0xff, 0x00,
    0x01, 0x6e, 0xc0, 0x2a, 0x00, 0x08, 0x67, 0x72, 0x65, 0x65, 0x74, 0x69, 0x6e, 0x67, 0x05, 0x68,
    0x65, 0x6c, 0x6c, 0x6f, 0xff, 0x27, 0x74, 0x93, 0xdf, 0xdd, 0x43, 0x62, 0xba,
];

#[test]
fn crc64_is_redis_crc_64_jones() {
    assert_eq!(crc64::checksum(b"123456789"), 0xe9c6d914c4b8d9ca);
    // The last 8 bytes of a dump are the CRC of everything before them.
    let (body, footer) = REDIS_DUMP.split_at(REDIS_DUMP.len() - 8);
    assert_eq!(crc64::checksum(body).to_le_bytes(), footer);
}

#[test]
fn lengths_take_one_two_five_or_nine_bytes() {
    let cases: [(u64, &[u8]); 5] = [
        (10, &[0x0a]),
        (63, &[0x3f]),
        (300, &[0x41, 0x2c]),
        (70_000, &[0x80, 0x00, 0x01, 0x11, 0x70]),
        (1 << 33, &[0x81, 0, 0, 0, 2, 0, 0, 0, 0]),
    ];
    for (n, bytes) in cases {
        let mut out = Vec::new();
        write::put_len(&mut out, n);
        assert_eq!(out, bytes, "length {n}");
        assert_eq!(Reader::new(bytes).length().unwrap(), n, "reading {bytes:?}");
    }
}

#[test]
fn strings_read_back_in_every_encoding() {
    let read = |bytes: &[u8]| Reader::new(bytes).string().unwrap();
    assert_eq!(read(b"\x05hello"), b"hello");
    assert_eq!(read(&[0xc0, 0x2a]), b"42");
    assert_eq!(read(&[0xc1, 0x39, 0x30]), b"12345");
    assert_eq!(read(&[0xc2, 0x90, 0xee, 0xfe, 0xff]), b"-70000");
    // redis-server's DUMP of 40 "a"s: LZF, 9 bytes standing for 40.
    let lzf = [
        0xc3, 0x09, 0x28, 0x01, b'a', b'a', 0xe0, 0x1b, 0x00, 0x01, b'a', b'a',
    ];
    assert_eq!(read(&lzf), vec![b'a'; 40]);
    let short = Reader::new(&b"\x05hel"[..]).string().unwrap_err();
    // The error says where: the end of the bytes, in the middle of "hello".
    assert_eq!(short.offset, 4, "{short}");
}

#[test]
fn a_small_list_dumps_to_redis_bytes() {
    let list = Value::List(Box::new([&b"a"[..], b"b"].map(Bytes::copy_from).into()));
    let payload = rdb::dump(&list);
    // What redis-server answers to DUMP list after RPUSH list a b.
    let start = REDIS_DUMP
        .windows(5)
        .position(|w| w == b"\x04list")
        .unwrap()
        + 5;
    let value = &REDIS_DUMP[start..start + 16];
    assert_eq!(payload[0], 0x12, "a quicklist of listpacks");
    assert_eq!(&payload[1..payload.len() - 10], value);
}

#[test]
fn a_dump_written_by_redis_loads() {
    let mut store = Store::new();
    let loaded = rdb::load(REDIS_DUMP, &mut store, 0).unwrap();
    assert_eq!(loaded.keys_loaded, 4);
    assert_eq!(loaded.written_by.as_deref(), Some("7.0.15"));
    let greeting = store.get(b"greeting", 0).unwrap().as_string().unwrap();
    assert_eq!(greeting.as_slice(), b"hello");
    assert_eq!(
        store.get(b"n", 0).unwrap().as_string().unwrap().as_slice(),
        b"42"
    );
    assert_eq!(store.expires_at(b"session"), Some(4102444800000));
    let mut damaged = REDIS_DUMP.to_vec();
    damaged[0x90] ^= 1; // one bit of "hello"
    let err = rdb::load(&damaged[..], &mut Store::new(), 0).unwrap_err();
    assert!(err.reason.contains("checksum"), "{err}");
}

#[test]
fn save_then_restart_keeps_the_data() {
    let dir = fresh_dir("step09");
    let dir_arg = dir.to_str().unwrap();
    {
        let server = TestServer::start(&["--dir", dir_arg]);
        let mut conn = server.connect();
        conn.call(&["SET", "greeting", "hello"]);
        conn.call(&["RPUSH", "list", "a", "b", "c"]);
        conn.call(&["SET", "long", &"compress me ".repeat(10)]);
        assert_eq!(conn.call(&["SAVE"]), b"+OK\r\n");
        assert!(dir.join("dump.rdb").exists());
        assert!(
            !dir.join(format!("temp-{}.rdb", server.pid())).exists(),
            "the temp file was renamed"
        );
    }
    std::thread::sleep(Duration::from_millis(50));
    let server = TestServer::start(&["--dir", dir_arg]);
    let mut conn = server.connect();
    assert_eq!(conn.call(&["GET", "greeting"]), b"$5\r\nhello\r\n");
    assert_eq!(
        conn.call(&["LRANGE", "list", "0", "-1"]),
        b"*3\r\n$1\r\na\r\n$1\r\nb\r\n$1\r\nc\r\n"
    );
    assert_eq!(conn.call_str(&["STRLEN", "long"]), ":120\r\n");
}
