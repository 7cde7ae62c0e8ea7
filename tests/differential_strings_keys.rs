//! GETEX, GETRANGE, SUBSTR, SETRANGE and LCS, and RENAME, RENAMENX, COPY,
//! TOUCH and RANDOMKEY, against a real `redis-server`, byte for byte, in
//! RESP2 and RESP3 (`hello 3`). WATCH, which is about what other clients
//! do, runs scripts over two connections on each server: a command that
//! changes nothing (RENAMENX refused, COPY refused, GETEX without options)
//! must not abort the watcher's EXEC, and one that changes a key must.
//!
//! This branch has no command that makes a list, hash, set or sorted set,
//! so WRONGTYPE (and LCS's own words for it) cannot be provoked over the
//! wire yet; those cases belong here once the list commands land.
//!
//! TTLs are read in whole seconds, far from a rounding boundary, or as
//! absolute times (EXPIRETIME), so that the replies do not depend on when
//! each server was asked. Needs `redis-server` (see
//! `tests/redis_differential.rs`).

//@ passes from step 7

mod common;

use std::collections::BTreeSet;

use common::differential::{assert_same_as_redis, run_case, run_script, show, start_redis, Case};
use common::{encode, Conn, TestServer};
use Case::*;

/// GETEX: each option and its errors, what it does to the TTL, and the
/// order of the checks (syntax first; the number only for a string key).
fn getex_cases() -> Vec<Case> {
    vec![
        Cmds(&["getex", "getex nokey", "exists nokey"]),
        Cmds(&[
            "getex nokey ex 0",
            "getex nokey ex abc",
            "getex nokey px -1",
            "getex nokey ex 10 ex abc",
            "getex nokey foo",
            "getex nokey ex",
            "getex nokey persist ex 10",
            "exists nokey",
        ]),
        Cmds(&[
            "set k v",
            "getex k",
            "ttl k",
            "getex k ex 100",
            "ttl k",
            "getex k px 50000",
            "ttl k",
            "getex k persist",
            "ttl k",
            "getex k persist",
            "ttl k",
        ]),
        Cmds(&[
            "set k v",
            "getex k exat 9999999999",
            "expiretime k",
            "getex k pxat 9999999999123",
            "pexpiretime k",
            "getex k EXAT 9223372036854775",
            "expiretime k",
            "getex k PxAt 9223372036854775807",
            "pexpiretime k",
        ]),
        Cmds(&[
            "set k v ex 100",
            "getex k ex 10 px 10",
            "getex k px 10 pxat 10",
            "getex k persist ex 10",
            "getex k ex 10 persist",
            "getex k keepttl",
            "getex k ex 10 keepttl",
            "getex k nx",
            "getex k xx",
            "getex k get",
            "getex k ex",
            "getex k ex 10 ex",
            "getex k bogus 10",
            "ttl k",
        ]),
        Cmds(&[
            "set k v ex 100",
            "getex k ex -1",
            "getex k ex 0",
            "getex k px 0",
            "getex k exat 0",
            "getex k pxat -5",
            "getex k ex 9223372036854775807",
            "getex k ex 9223372036854776",
            "getex k px 9223372036854775807",
            "getex k exat 9223372036854776",
            "getex k ex abc",
            "getex k ex 1.5",
            "getex k ex ' 10'",
            "getex k ex 99999999999999999999",
            "ttl k",
        ]),
        Cmds(&[
            "set k v",
            "getex k ex abc ex 10",
            "ttl k",
            "getex k Ex 10 eX 200",
            "ttl k",
            "getex k persist PERSIST",
            "ttl k",
        ]),
        // A time already past deletes the key, and the old value is the reply.
        Cmds(&["set k v ex 100", "getex k exat 1", "exists k", "getex k"]),
        Cmds(&["set k v", "getex k pxat 1", "dbsize", "ttl k"]),
        Cmds(&["set k v exat 1", "getex k ex 100", "dbsize"]),
        Cmds(&["set k v exat 1", "getex k", "dbsize"]),
        Cmds(&["set k 12345", "getex k ex 100", "incr k", "ttl k", "get k"]),
        Cmds(&[
            "hello 3",
            "getex nokey",
            "set k v",
            "getex k ex 10",
            "getex k foo",
            "getex k ex 0",
        ]),
    ]
}

/// GETRANGE and SUBSTR: Redis 7.0's clamping of negative and out-of-range
/// indexes, empty strings, missing keys, and bad numbers.
fn getrange_cases() -> Vec<Case> {
    vec![
        Cmds(&[
            "set k hello",
            "getrange k 0 -1",
            "getrange k 0 4",
            "getrange k 1 3",
            "getrange k 0 0",
            "getrange k 4 4",
            "getrange k -1 -1",
            "getrange k -3 -2",
            "getrange k -100 100",
            "getrange k 3 1",
            "getrange k 5 10",
            "getrange k 4 10",
            "getrange k -1 -5",
        ]),
        // An end before the start of the string still takes its first byte
        // (Redis 7.0), unless both indexes are negative and out of order.
        Cmds(&[
            "set k hello",
            "getrange k 0 -6",
            "getrange k 0 -5",
            "getrange k 0 -100",
            "getrange k -6 -6",
            "getrange k -6 0",
            "getrange k -5 -6",
            "getrange k -100 -6",
            "getrange k 2 -100",
            "getrange k -2 -100",
        ]),
        Cmds(&[
            "set k hello",
            "getrange k 9223372036854775807 -9223372036854775808",
            "getrange k -9223372036854775808 9223372036854775807",
            "getrange k -9223372036854775808 -9223372036854775808",
            "getrange k 9223372036854775807 9223372036854775807",
            "getrange k 9223372036854775808 1",
        ]),
        Cmds(&[
            "set e ''",
            "getrange e 0 -1",
            "getrange e 0 0",
            "getrange e -1 0",
            "getrange e -1 -1",
            "getrange nokey 0 -1",
            "getrange nokey 5 1",
            "exists nokey",
        ]),
        Cmds(&[
            "set k hello",
            "getrange k a 1",
            "getrange k 0 b",
            "getrange k 1.0 2",
            "getrange k ' 1' 2",
            "getrange nokey a 0",
            "getrange k 1",
            "getrange k 1 2 3",
        ]),
        Cmds(&[
            "set k hello",
            "substr k 1 3",
            "substr k -3 -1",
            "substr k 0 -6",
            "substr nokey 0 1",
            "substr k x 1",
            "substr k",
            "SUBSTR k 0 0",
        ]),
        Cmds(&[
            "set k 0123456789abcdefghijklmnopqrstuvwxyz",
            "getrange k 20 30",
            "getrange k -10 -1",
            "getrange k 30 100",
        ]),
        Cmds(&["set k v exat 1", "getrange k 0 -1", "dbsize"]),
        Cmds(&[
            "hello 3",
            "set k hello",
            "getrange k 1 2",
            "getrange k 3 1",
            "getrange nokey 0 -1",
            "substr k 0 0",
        ]),
    ]
}

/// SETRANGE: zero padding, the empty value that creates nothing, offset
/// errors and the 512 MB cap, checked before the key is looked at.
fn setrange_cases() -> Vec<Case> {
    vec![
        Cmds(&[
            "setrange k 5 abc",
            "get k",
            "setrange k 0 XY",
            "get k",
            "setrange k 7 '12'",
            "get k",
            "strlen k",
        ]),
        Cmds(&[
            "setrange nokey 0 ''",
            "exists nokey",
            "setrange nokey 10 ''",
            "exists nokey",
            "setrange nokey 536870912 ''",
            "setrange nokey 9999999999 ''",
            "exists nokey",
            "setrange nokey 0 x",
            "get nokey",
        ]),
        Cmds(&[
            "set k abc",
            "setrange k -1 a",
            "setrange k -1 ''",
            "setrange nokey -1 ''",
            "setrange k x a",
            "setrange k 1.5 a",
            "setrange k ' 1' a",
            "setrange k 9223372036854775808 a",
            "setrange k 9223372036854775807 a",
            "setrange k 536870912 a",
            "setrange k 536870911 ab",
            "setrange k 9999999999 ''",
            "setrange k 1 ''",
            "setrange nokey 536870912 x",
            "exists nokey",
            "get k",
        ]),
        Cmds(&["setrange k", "setrange k 1 a b"]),
        Cmds(&["set t v ex 100", "setrange t 3 x", "ttl t", "get t"]),
        Cmds(&["set n 123", "setrange n 1 x", "get n", "incr n"]),
        Cmds(&[
            "set n 123",
            "setrange n 3 4",
            "incr n",
            "setrange n 0 -",
            "get n",
        ]),
        // From inline to the heap and back within it.
        Cmds(&[
            "set k 0123456789",
            "setrange k 20 abcdef",
            "get k",
            "setrange k 2 ZZ",
            "get k",
            "setrange k 40 !",
            "strlen k",
            "getrange k 25 -1",
        ]),
        Cmds(&["set k v exat 1", "setrange k 2 x", "get k", "ttl k"]),
        Cmds(&["set k v exat 1", "setrange k 2 ''", "dbsize"]),
        Cmds(&[
            "hello 3",
            "setrange k 2 ab",
            "get k",
            "setrange k -1 a",
            "setrange nokey 3 ''",
        ]),
    ]
}

/// LCS: plain, LEN and IDX (with MINMATCHLEN and WITHMATCHLEN) in both
/// RESP versions, missing keys as empty strings, ties, and the order of the
/// option errors.
fn lcs_cases() -> Vec<Case> {
    let mut cases = vec![
        Cmds(&[
            "mset key1 ohmytext key2 mynewtext",
            "lcs key1 key2",
            "lcs key1 key2 len",
            "lcs key1 key2 idx",
            "lcs key1 key2 idx minmatchlen 4",
            "lcs key1 key2 idx minmatchlen 4 withmatchlen",
            "lcs key1 key2 idx withmatchlen",
            "lcs key1 key2 withmatchlen idx",
            "lcs key2 key1 idx withmatchlen",
            "lcs key1 key2 withmatchlen",
            "lcs key1 key2 minmatchlen 3",
            "lcs key1 key2 len minmatchlen 3 withmatchlen",
        ]),
        Cmds(&[
            "mset key1 ohmytext key2 mynewtext",
            "lcs key1 key2 len idx",
            "lcs key1 key2 idx len",
            "lcs key1 key2 foo",
            "lcs key1 key2 minmatchlen",
            "lcs key1 key2 idx minmatchlen",
            "lcs key1 key2 minmatchlen abc",
            "lcs key1 key2 minmatchlen 1.5 idx",
            "lcs key1 key2 minmatchlen abc len idx",
            "lcs key1 key2 len idx minmatchlen abc",
            "lcs key1 key2 len idx foo",
            "lcs key1 key2 foo len idx",
            "lcs key1 key2 minmatchlen 99999999999999999999",
            "lcs key1",
        ]),
        Cmds(&[
            "mset key1 ohmytext key2 mynewtext",
            "lcs key1 key2 minmatchlen -5 idx",
            "lcs key1 key2 minmatchlen 0 idx",
            "lcs key1 key2 idx minmatchlen 1 minmatchlen 100",
            "lcs key1 key2 idx minmatchlen 9223372036854775807",
            "lcs key1 key2 idx minmatchlen -9223372036854775808",
            "lcs key1 key2 LEN LEN",
            "lcs key1 key2 IdX iDx WithMatchLen",
            "lcs key1 key2 MINMATCHLEN 2 IDX WITHMATCHLEN",
        ]),
        Cmds(&[
            "set key1 ohmytext",
            "lcs key1 nokey",
            "lcs nokey key1",
            "lcs nokey nokey2 idx",
            "lcs nokey nokey2 idx withmatchlen",
            "lcs nokey nokey2 len",
            "lcs nokey nokey2",
            "lcs nokey nokey2 foo",
            "lcs key1 key1",
            "lcs key1 key1 idx withmatchlen",
            "exists nokey",
        ]),
        // Several LCSs of the same length: which one is found depends on
        // the order of the keys, as Redis walks its table.
        Cmds(&[
            "mset x abcbdab y bdcaba a xab b ab c a-b",
            "lcs x y",
            "lcs y x",
            "lcs x y idx withmatchlen",
            "lcs y x idx withmatchlen",
            "lcs a b idx",
            "lcs b a idx",
            "lcs c b idx",
            "lcs b c idx withmatchlen",
        ]),
        Cmds(&[
            "mset e '' f abc g xyz",
            "lcs e f",
            "lcs e f idx",
            "lcs f g",
            "lcs f g len",
            "lcs f g idx withmatchlen",
            "lcs e e len",
        ]),
        Cmds(&["set a abc exat 1", "set b abc", "lcs a b", "dbsize"]),
        Cmds(&[
            "hello 3",
            "mset key1 ohmytext key2 mynewtext",
            "lcs key1 key2",
            "lcs key1 key2 len",
            "lcs key1 key2 idx",
            "lcs key1 key2 idx minmatchlen 4 withmatchlen",
            "lcs nokey nokey2 idx",
            "lcs key1 key2 idx len",
            "lcs key1 key2 foo",
        ]),
        Cmds(&[
            "multi",
            "mset a ohmytext b mynewtext",
            "lcs a b idx",
            "lcs a b idx len",
            "exec",
        ]),
    ];
    // Longer strings over a small alphabet: many ties along the walk.
    let mut seed = 12345u32;
    let mut text = |len: usize| -> Vec<u8> {
        (0..len)
            .map(|_| {
                seed = seed.wrapping_mul(1_103_515_245).wrapping_add(12345);
                b"abcd"[(seed >> 16) as usize % 4]
            })
            .collect()
    };
    for (a_len, b_len) in [(40, 50), (300, 200), (1000, 999)] {
        let (a, b) = (text(a_len), text(b_len));
        let mut request = encode(&[b"MSET", b"a", &a, b"b", &b]);
        for args in [
            &[&b"LCS"[..], b"a", b"b"][..],
            &[b"LCS", b"b", b"a"],
            &[b"LCS", b"a", b"b", b"LEN"],
            &[b"LCS", b"a", b"b", b"IDX", b"WITHMATCHLEN"],
            &[b"LCS", b"b", b"a", b"IDX", b"MINMATCHLEN", b"3"],
        ] {
            request.extend_from_slice(&encode(args));
        }
        cases.push(Built(request));
    }
    // Binary bytes, NULs included.
    let mut binary = encode(&[b"MSET", b"a", b"\x00\xff\r\n\x00x", b"b", b"\xff\x00\n\x00"]);
    binary.extend_from_slice(&encode(&[b"LCS", b"a", b"b"]));
    binary.extend_from_slice(&encode(&[b"LCS", b"a", b"b", b"IDX"]));
    cases.push(Built(binary));
    // The table: (len1 + 1) × (len2 + 1) cells of 4 bytes, at most 512 MB,
    // checked after the options. SETRANGE pads with zero bytes.
    let mut too_large = Vec::new();
    for args in [
        &[&b"SETRANGE"[..], b"a", b"11583", b"x"][..],
        &[b"SETRANGE", b"b", b"11584", b"y"],
        &[b"LCS", b"a", b"b", b"LEN"],
        &[b"LCS", b"b", b"a"],
        &[b"LCS", b"a", b"b", b"foo"],
        &[b"LCS", b"a", b"b", b"IDX", b"LEN"],
    ] {
        too_large.extend_from_slice(&encode(args));
    }
    cases.push(Built(too_large));
    cases
}

/// RENAME and RENAMENX: the TTL moves with the value; a key onto itself;
/// a missing source; a destination that exists, has a TTL, or has expired.
fn rename_cases() -> Vec<Case> {
    vec![
        Cmds(&[
            "rename nokey b",
            "rename nokey nokey",
            "renamenx nokey b",
            "renamenx nokey nokey",
            "exists b",
        ]),
        Cmds(&["set a 1", "rename a a", "renamenx a a", "get a", "dbsize"]),
        Cmds(&["set a 1 ex 100", "rename a a", "ttl a"]),
        Cmds(&["set a 1 ex 100", "rename a b", "ttl b", "get b", "exists a"]),
        Cmds(&[
            "set b x ex 100",
            "set c 2",
            "rename c b",
            "ttl b",
            "get b",
            "exists c",
        ]),
        Cmds(&[
            "set a 3 ex 50",
            "set b 1",
            "renamenx a b",
            "ttl a",
            "get b",
            "ttl b",
            "renamenx a z",
            "ttl z",
            "get z",
            "exists a",
        ]),
        Cmds(&[
            "set q 1 exat 1",
            "rename q r",
            "renamenx q r",
            "exists r",
            "dbsize",
        ]),
        Cmds(&[
            "set b 1",
            "set d 2 exat 1",
            "renamenx b d",
            "get d",
            "exists b",
            "dbsize",
        ]),
        Cmds(&["set b 1", "set d 2 exat 1", "rename b d", "get d", "ttl d"]),
        Cmds(&[
            "set a 0123456789012345678901234567890123456789",
            "rename a b",
            "append b x",
            "rename b a",
            "get a",
            "strlen a",
        ]),
        Cmds(&[
            "set a 1",
            "rename a b c",
            "rename a",
            "renamenx a",
            "RENAME a B",
            "get B",
        ]),
        Cmds(&[
            "hello 3",
            "rename nokey x",
            "set a 1",
            "rename a b",
            "renamenx b c",
            "set d 1",
            "renamenx c d",
            "renamenx c c",
        ]),
        Cmds(&[
            "multi",
            "set a 1",
            "rename a b",
            "rename a b",
            "renamenx b c",
            "get c",
            "exec",
        ]),
    ]
}

/// COPY: the TTL is copied too; REPLACE; DB 0 only (there is one database,
/// so any other index is out of range, as SELECT says); errors in order.
fn copy_cases() -> Vec<Case> {
    vec![
        Cmds(&[
            "copy nokey b",
            "set z 3 ex 50",
            "set b 1",
            "copy z b",
            "get b",
            "copy z y",
            "ttl y",
            "get y",
            "copy z b replace",
            "get b",
            "ttl b",
        ]),
        Cmds(&[
            "set z 1",
            "copy z z",
            "copy z z replace",
            "copy nokey nokey",
            "copy z z db 0",
            "copy z z foo",
            "copy z z db 16",
        ]),
        Cmds(&[
            "set z 1",
            "copy z y db 0",
            "copy z y db 0 replace",
            "copy z x REPLACE DB 0",
            "copy z w replace replace",
            "copy z v Db 0 dB 0",
            "mget y x w v",
        ]),
        Cmds(&[
            "set z 1",
            "copy z y db 16",
            "copy z y db -1",
            "copy z y db abc",
            "copy z y db 1.5",
            "copy z y db 2147483648",
            "copy z y db -2147483649",
            "copy z y db 99999999999999999999",
            "copy z y db",
            "copy z y foo",
            "copy z y replace foo",
            "copy z y db 16 foo",
            "copy z y foo db 16",
            "copy z y db abc db 16",
            "copy nokey y db 16",
            "exists y",
        ]),
        Cmds(&["set a 1", "copy a b", "append a x", "get a", "get b"]),
        Cmds(&[
            "set a 1",
            "set b 2 ex 100",
            "copy a b replace",
            "ttl b",
            "get b",
        ]),
        Cmds(&["set e v exat 1", "copy e f", "exists f", "dbsize"]),
        Cmds(&["set a 1", "set f v exat 1", "copy a f", "get f", "ttl f"]),
        Cmds(&["copy a", "copy"]),
        Cmds(&[
            "hello 3",
            "copy nokey b",
            "set a 1",
            "copy a b",
            "copy a b",
            "copy a a",
            "copy a b db 16",
        ]),
    ]
}

/// TOUCH and RANDOMKEY (on databases where the draw is not random).
fn touch_and_randomkey_cases() -> Vec<Case> {
    vec![
        Cmds(&["touch nokey", "set a 1", "touch a a b", "touch a", "touch"]),
        Cmds(&["set e v exat 1", "dbsize", "touch e", "dbsize"]),
        Cmds(&[
            "randomkey",
            "set a 1",
            "randomkey",
            "randomkey x",
            "del a",
            "randomkey",
        ]),
        Cmds(&["set e1 v exat 1", "set e2 v exat 1", "randomkey", "dbsize"]),
        Cmds(&[
            "hello 3",
            "randomkey",
            "set a 1",
            "randomkey",
            "touch a nokey",
        ]),
        Cmds(&[
            "multi",
            "randomkey",
            "set a 1",
            "randomkey",
            "touch a",
            "exec",
        ]),
    ]
}

/// Commands in a transaction, WATCH on one connection, and COMMAND GETKEYS.
fn mixed_cases() -> Vec<Case> {
    vec![
        Cmds(&[
            "multi",
            "set a hello",
            "getex a ex 100",
            "setrange a 5 ' world'",
            "rename a b",
            "copy b c",
            "getrange c 0 4",
            "ttl c",
            "touch a b c",
            "exec",
        ]),
        Cmds(&[
            "multi",
            "getex k foo",
            "setrange k -1 x",
            "copy a a",
            "exec",
        ]),
        Cmds(&["multi", "rename nokey b", "lcs a b idx len", "ping", "exec"]),
        // A command that changes nothing leaves WATCH alone (one connection).
        Cmds(&[
            "set k v",
            "watch k",
            "getex k",
            "getex k persist",
            "setrange k 0 ''",
            "renamenx k k",
            "rename k k",
            "copy k j",
            "touch k",
            "getrange k 0 -1",
            "lcs k k",
            "multi",
            "ping",
            "exec",
        ]),
        Cmds(&[
            "set k v",
            "watch k",
            "setrange k 0 w",
            "multi",
            "ping",
            "exec",
        ]),
        Cmds(&[
            "set k v",
            "watch k",
            "getex k ex 100",
            "multi",
            "ping",
            "exec",
        ]),
        Cmds(&[
            "command getkeys getex k ex 10",
            "command getkeys getrange k 0 1",
            "command getkeys substr k 0 1",
            "command getkeys setrange k 0 v",
            "command getkeys lcs a b idx",
            "command getkeys rename a b",
            "command getkeys renamenx a b",
            "command getkeys copy a b db 0 replace",
            "command getkeys touch a b c",
            "command getkeys randomkey",
        ]),
        Cmds(&[
            "command getkeysandflags getex k",
            "command getkeysandflags setrange k 0 v",
            "command getkeysandflags rename a b",
            "command getkeysandflags copy a b",
            "command getkeysandflags lcs a b",
        ]),
    ]
}

fn cases() -> Vec<Case> {
    let mut cases = getex_cases();
    cases.extend(getrange_cases());
    cases.extend(setrange_cases());
    cases.extend(lcs_cases());
    cases.extend(rename_cases());
    cases.extend(copy_cases());
    cases.extend(touch_and_randomkey_cases());
    cases.extend(mixed_cases());
    cases
}

#[test]
fn strings_and_keys_answer_as_in_redis() {
    assert_same_as_redis(&cases());
}

/// Connection 0 sets up `setup`, watches `watched`; connection 1 runs
/// `command`; then connection 0 runs MULTI, PING, EXEC: `*-1` if the
/// command counted as a change of the watched key.
fn watch_script<'a>(
    setup: &[&'a str],
    watched: &'a str,
    command: &'a str,
) -> Vec<(usize, &'a str)> {
    let mut steps = vec![(0, "flushall")];
    steps.extend(setup.iter().map(|&line| (0, line)));
    steps.extend([
        (0, watched),
        (1, command),
        (0, "multi"),
        (0, "ping"),
        (0, "exec"),
    ]);
    steps
}

/// WATCH is about other clients: only a command that really changes the
/// watched key aborts EXEC.
#[test]
fn watch_sees_only_real_changes() {
    let Some(redis) = start_redis("the WATCH test") else {
        return;
    };
    let ours = TestServer::start(&["--hz", "1"]);
    let kv: &[&str] = &["set k v"];
    let kv_ttl: &[&str] = &["set k v ex 100"];
    let kj: &[&str] = &["set k v", "set j w"];
    let scripts: Vec<Vec<(usize, &str)>> = vec![
        // GETEX: only a TTL that really changes, or a deletion.
        watch_script(kv, "watch k", "getex k"),
        watch_script(kv, "watch k", "getex k persist"),
        watch_script(kv_ttl, "watch k", "getex k persist"),
        watch_script(kv_ttl, "watch k", "getex k"),
        watch_script(kv, "watch k", "getex k ex 100"),
        watch_script(kv, "watch k", "getex k exat 1"),
        watch_script(&[], "watch k", "getex k ex 100"),
        watch_script(kv, "watch k", "getex k ex abc"),
        watch_script(kv, "watch k", "getex k ex 10 px 10"),
        // SETRANGE: nothing to write is no change.
        watch_script(kv, "watch k", "setrange k 0 ''"),
        watch_script(kv, "watch k", "setrange k 0 v"),
        watch_script(&[], "watch k", "setrange k 0 ''"),
        watch_script(&[], "watch k", "setrange k 3 x"),
        watch_script(kv, "watch k", "setrange k 99999999999 x"),
        watch_script(kv, "watch k", "setrange k -1 x"),
        // RENAME and RENAMENX: both keys change, unless nothing moves.
        watch_script(kv, "watch k", "rename k k"),
        watch_script(kv, "watch k", "renamenx k k"),
        watch_script(kj, "watch k", "renamenx k j"),
        watch_script(kj, "watch j", "renamenx k j"),
        watch_script(kj, "watch j", "rename k j"),
        watch_script(kv, "watch k", "rename k j"),
        watch_script(&["set j v"], "watch k", "rename j k"),
        watch_script(&["set j v"], "watch k", "renamenx j k"),
        watch_script(&[], "watch k", "rename nokey k"),
        watch_script(&[], "watch k", "renamenx nokey k"),
        // COPY: only the destination changes, and only if it is written.
        watch_script(kj, "watch j", "copy k j"),
        watch_script(kj, "watch j", "copy k j replace"),
        watch_script(kv, "watch j", "copy k j"),
        watch_script(kv, "watch k", "copy k j"),
        watch_script(&[], "watch j", "copy nokey j"),
        watch_script(&["set j v"], "watch j", "copy nokey j replace"),
        watch_script(kv, "watch k", "copy k k"),
        watch_script(kv, "watch j", "copy k j db 16"),
        // Readers.
        watch_script(kv, "watch k", "touch k"),
        watch_script(kv, "watch k", "randomkey"),
        watch_script(kv, "watch k", "lcs k k idx"),
        watch_script(kv, "watch k", "getrange k 0 1"),
        watch_script(kv, "watch k", "substr k 0 1"),
        // Inside the other client's transaction.
        vec![
            (0, "flushall"),
            (0, "set k v"),
            (0, "watch k"),
            (1, "multi"),
            (1, "renamenx k k"),
            (1, "getex k"),
            (1, "copy k k2"),
            (1, "exec"),
            (0, "multi"),
            (0, "get k2"),
            (0, "exec"),
        ],
        vec![
            (0, "flushall"),
            (0, "set k v"),
            (0, "watch k2"),
            (1, "multi"),
            (1, "copy k k2"),
            (1, "exec"),
            (0, "multi"),
            (0, "get k2"),
            (0, "exec"),
        ],
    ];
    let mut mismatches = Vec::new();
    for (i, script) in scripts.iter().enumerate() {
        let expected = run_script(redis.port, script);
        let got = run_script(ours.port, script);
        if expected != got {
            mismatches.push(format!(
                "script {i} {script:?}:\n   redis: {}\n    ours: {}",
                show(&expected),
                show(&got)
            ));
        }
    }
    assert!(
        mismatches.is_empty(),
        "{} of {} scripts differ from Redis:\n{}",
        mismatches.len(),
        scripts.len(),
        mismatches.join("\n")
    );
}

/// The bulk string a reply holds, or `None` for a null reply.
fn bulk(reply: &[u8]) -> Option<Vec<u8>> {
    if reply == b"$-1\r\n" || reply == b"_\r\n" {
        return None;
    }
    let text = reply.strip_prefix(b"$").expect("a bulk reply");
    let header_end = text.iter().position(|&b| b == b'\r').unwrap();
    Some(text[header_end + 2..text.len() - 2].to_vec())
}

//@ passes from step 5
/// RANDOMKEY is random: each reply must be one of the live keys, every key
/// must come up in time, and an empty database gives a null reply. Keys
/// that have expired are never drawn. Redis must pass the same test.
#[test]
fn randomkey_draws_every_live_key_and_nothing_else() {
    let Some(redis) = start_redis("the RANDOMKEY test") else {
        return;
    };
    let ours = TestServer::start(&["--hz", "1"]);
    for port in [redis.port, ours.port] {
        let mut c = Conn::connect(port);
        c.call(&["FLUSHALL"]);
        assert_eq!(c.call(&["RANDOMKEY"]), b"$-1\r\n", "port {port}");
        let live: BTreeSet<Vec<u8>> = ["a", "b", "c", "0123456789012345678901234567890"]
            .iter()
            .map(|k| k.as_bytes().to_vec())
            .collect();
        for key in &live {
            c.call(&["SET", std::str::from_utf8(key).unwrap(), "v"]);
        }
        for i in 0..20 {
            c.call(&["SET", &format!("gone{i}"), "v", "PXAT", "1000"]);
        }
        let mut drawn = BTreeSet::new();
        for _ in 0..200 {
            let key = bulk(&c.call(&["RANDOMKEY"])).expect("there are live keys");
            assert!(live.contains(&key), "port {port}: drew {key:?}");
            drawn.insert(key);
        }
        assert_eq!(drawn, live, "port {port}: every key comes up");
        c.call(&["DEL", "a", "b", "c", "0123456789012345678901234567890"]);
        assert_eq!(c.call(&["RANDOMKEY"]), b"$-1\r\n", "port {port}");
        assert_eq!(
            c.call(&["DBSIZE"]),
            b":0\r\n",
            "port {port}: expired ones deleted"
        );
    }
}

//@ passes from step 5
/// SETRANGE may make a string of 512 MB exactly, and no longer: the write
/// that would go past is refused with Redis's words, the value kept.
#[test]
fn setrange_stops_at_512_mb_as_in_redis() {
    let Some(redis) = start_redis("the SETRANGE 512 MB test") else {
        return;
    };
    let ours = TestServer::start(&[]);
    let request: Vec<u8> = [
        &[&b"SETRANGE"[..], b"big", b"536870911", b"a"][..],
        &[b"SETRANGE", b"big", b"536870911", b"b"],
        &[b"SETRANGE", b"big", b"536870912", b"c"],
        &[b"SETRANGE", b"big", b"536870910", b"de"],
        &[b"SETRANGE", b"big", b"0", b"xyz"],
        &[b"STRLEN", b"big"],
        &[b"GETRANGE", b"big", b"-3", b"-1"],
        &[b"GETRANGE", b"big", b"0", b"4"],
        &[b"DEL", b"big"],
    ]
    .iter()
    .flat_map(|args| encode(args))
    .collect();
    let expected = run_case(redis.port, &request, true);
    assert_eq!(
        String::from_utf8_lossy(&run_case(ours.port, &request, true)),
        String::from_utf8_lossy(&expected)
    );
}

//@ passes from step 5
/// A key with a TTL keeps it through RENAME and COPY, to the millisecond.
#[test]
fn the_ttl_moves_to_the_millisecond() {
    let ours = TestServer::start(&["--hz", "1"]);
    let mut c = ours.connect();
    c.call(&["SET", "a", "v", "PXAT", "4102444800123"]);
    c.call(&["RENAME", "a", "b"]);
    assert_eq!(c.call_str(&["PEXPIRETIME", "b"]), ":4102444800123\r\n");
    c.call(&["COPY", "b", "c"]);
    assert_eq!(c.call_str(&["PEXPIRETIME", "c"]), ":4102444800123\r\n");
    c.call(&["RENAMENX", "c", "d"]);
    assert_eq!(c.call_str(&["PEXPIRETIME", "d"]), ":4102444800123\r\n");
}
