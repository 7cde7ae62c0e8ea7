//! Differential test: the same requests go to this server and to a real
//! `redis-server`, and the replies must be the same bytes.
//!
//! Needs `redis-server` on the PATH (Debian: `apt-get install redis-server`).
//! Without it the test says so loudly and passes on a developer's machine;
//! under CI (`CI` set) a missing `redis-server` is a failure.

//@ passes from step 6

mod common;

use common::differential::{assert_same_as_redis, run_case, start_redis, Case};
use common::{encode, info_field, TestServer};
use Case::*;

/// Every case must give the same reply whatever the timing: the two servers
/// are not asked in the same millisecond. So TTLs are read in whole seconds
/// and kept off the rounding boundary (1.7 s, not 1.5 s), and no key is
/// given a TTL so short that it might or might not expire mid-case.
fn cases() -> Vec<Case> {
    let mut cases = vec![
        Cmds(&["foo bar baz"]),
        Cmds(&["get"]),
        Cmds(&["client setname"]),
        Cmds(&["client foo"]),
        Cmds(&["set k v ex 0"]),
        Cmds(&["set k v ex abc"]),
        Cmds(&["set k v px 9999999999999999"]),
        Cmds(&["set k v nx xx"]),
        Cmds(&["set k v keepttl ex 10"]),
        Cmds(&["expire k 9223372036854775807"]),
        Cmds(&["expire k abc"]),
        Cmds(&["expire k 10 nx xx"]),
        Cmds(&["expire k 10 foo"]),
        Cmds(&["incr nokey"]),
        Cmds(&["set k abc"]),
        Cmds(&["incr k"]),
        Cmds(&["incrby k2 abc"]),
        Cmds(&["set big 9223372036854775807"]),
        Cmds(&["incr big"]),
        Cmds(&["hello 4"]),
        Cmds(&["select abc"]),
        Cmds(&["config get maxclients"]),
        Cmds(&["config get nothing"]),
        Cmds(&["ttl k"]),
        Cmds(&["pttl nokey"]),
        Cmds(&["expiretime k"]),
        Raw(b"*1\r\n$4\r\nPING\r\n*abc\r\n"),
        Raw(b"*1\r\n$4\r\nPING\r\n*2\r\n$-3\r\n"),
        Raw(b"*1\r\nx4\r\n"),
        Raw(b"*3\r\n$3\r\nSET\r\n$1\r\na\r\n$600000000\r\n"),
        Raw(b"set a \"hello\n"),
        Raw(b"set a \"hello world\" 'x'\r\nget a\r\n"),
        Raw(b"\r\n\r\nping\r\n"),
        Raw(b"ping\n"),
        Raw(b"*0\r\nping\r\n"),
        Raw(b"*-1\r\nping\r\n"),
        Raw(b"$3\r\nabc\r\n"),
        Raw(b"*2147483648\r\n"),
        Raw(b"*1\r\n$536870913\r\n"),
        Raw(b"*1\r\n$abc\r\n"),
        Raw(b"*1\r\n$\r\n"),
        Raw(b"*\r\n"),
        Raw(b"*1x\r\n"),
        Raw(b"*01\r\n$4\r\nPING\r\n"),
        Raw(b"*1\r\n$04\r\nPING\r\n"),
        Raw(b"*1\r\n$4\r\nPINGxx"),
        Raw(b"ping  \"a\\tb\\x41\\\\\" 'it\\'s'\r\n"),
        Raw(b"echo \"\\x4g\"\r\n"),
        Raw(b"echo \"a\"b\r\n"),
        Raw(b"echo 'a'b\r\n"),
        Raw(b"echo \"\\q\\u\" \r\n"),
        Raw(b"echo '\\n\\''\r\n"),
        Raw(b"ECHO\r\n"),
        Raw(b"echo  a   \r\n"),
        Raw(b"echo \"\"\r\n"),
        Raw(b"set \"\" x\r\nget \"\"\r\n"),
        Raw(b"echo\ta\r\n"),
        Raw(b"ping\r\r\n"),
        Raw(b"hello 3 setname\r\n"),
        Raw(b"hello 2 setname foo\r\nclient getname\r\n"),
        Cmds(&["hello abc"]),
        Cmds(&["hello 3 auth a b"]),
        Raw(b"hello 3\r\nget nokey\r\nconfig get maxclients\r\n"),
        Cmds(&["type k"]),
        Cmds(&["type zz"]),
        Cmds(&["set"]),
        Cmds(&["set a"]),
        Cmds(&["setex k 0 v"]),
        Cmds(&["setex k abc v"]),
        Cmds(&["setex k -5 v"]),
        Cmds(&["psetex k 0 v"]),
        Cmds(&["set k v get"]),
        Cmds(&["set k v nx get"]),
        Cmds(&["set n 5"]),
        Raw(b"set n 5\r\nset n v xx get px 100\r\n"),
        Cmds(&["expire k 10 gt lt"]),
        Raw(b"set k v\r\nexpire k 10 gt\r\nexpire k 10 lt\r\nttl k\r\nexpire k 100 xx gt\r\nttl k\r\nexpire k -1\r\nexists k\r\n"),
        Raw(b"set k v\r\nexpireat k 1\r\nexists k\r\n"),
        Raw(b"set k v\r\npexpireat k 99999999999999999\r\npexpire k 9223372036854775807\r\nexpire k 9223372036854775\r\nexpire k 9223372036854\r\nttl k\r\n"),
        Raw(b"set n 1\r\nincrby n 9223372036854775806\r\ndecrby n -9223372036854775808\r\ndecrby n 1\r\ndecr nn\r\nincrby n 1.5\r\nappend n xyz\r\nstrlen n\r\nstrlen none\r\ngetset n 1\r\ngetdel n\r\ngetdel n\r\n"),
        Raw(b"mset a 1 b\r\nmset a 1 b 2\r\nmget a b c\r\nsetnx a 2\r\nmsetnx a 1\r\nmsetnx x 1 y 2\r\ndel a b c x y\r\ndbsize\r\n"),
        Cmds(&["select 0"]),
        Cmds(&["select 16"]),
        Cmds(&["select -1"]),
        Cmds(&["echo a b"]),
        Cmds(&["ping a b"]),
        Cmds(&["ping"]),
        Cmds(&["ping hello"]),
        Cmds(&["persist none"]),
        Raw(b"set k v ex 10\r\npersist k\r\npersist k\r\nttl k\r\n"),
        Raw(b"mset abc 1 bcd 2 xyz 3\r\nkeys [a-b]b*\r\nkeys [^a-b]*\r\nkeys *c\r\n"),
        Cmds(&["client getname"]),
        Raw(b"client setname \"a b\"\r\nclient setname ok\r\nclient getname\r\nclient setname \"\"\r\nclient getname\r\n"),
        Cmds(&["client"]),
        Cmds(&["config get"]),
        Cmds(&["info nosuchsection"]),
        Cmds(&["quit extra"]),
        Cmds(&["shutdown abort"]),
        Cmds(&["shutdown foo"]),
        Cmds(&["flushdb async"]),
        Cmds(&["flushdb foo"]),
        Cmds(&["flushall sync"]),
        Cmds(&["type"]),
        Cmds(&["command foo"]),
        Cmds(&["command info nope"]),
        Cmds(&["set k v exat 0"]),
        Cmds(&["set k v pxat -5"]),
        Cmds(&["set k v ex 9223372036854775807"]),
        Cmds(&["set k v ex 92233720368547758"]),
        Cmds(&["set k v px 9223372036854775807"]),
        Cmds(&["set k v keepttl keepttl"]),
        Raw(b"set k v ex 10 ex 20\r\nttl k\r\n"),
        Cmds(&["set k v EX 10 PX 20"]),
        Cmds(&["get k k"]),
        Cmds(&["incr k k"]),
        Raw(b"set k v exat 1\r\nexists k\r\n"),
        Raw(b"set k v px 1700\r\nttl k\r\n"),
        Raw(b"set k v px 1300\r\nttl k\r\n"),
        Cmds(&["keys"]),
        Raw(b"*1\r\n$0\r\n\r\n"),
        Raw(b"*2\r\n$3\r\nfoo\r\n$200\r\naaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\r\n"),
        Raw(b"foo a\r\nb\r\n"),
        Cmds(&["auth foo"]),
        Cmds(&["auth a b"]),
        Cmds(&["auth default b"]),
        Cmds(&["unlink a"]),
        Raw(b"set k 10\r\nexpire k 100\r\nincr k\r\nttl k\r\nappend k 0\r\nttl k\r\nset k 5 keepttl\r\nttl k\r\nset k 5\r\nttl k\r\n"),
        Raw(b"set k v\r\nexpire k 100 nx\r\nexpire k 200 nx\r\nexpire k 50 xx\r\nttl k\r\nexpire k 10 lt\r\nexpire k 20 lt\r\nexpire k 5 gt\r\npexpire k 30000 gt\r\nttl k\r\n"),
        Raw(b"set k v\r\nexpire k 100 gt\r\nexpire k 100 lt\r\nttl k\r\n"),
        Raw(b"set k v\r\nset k w xx\r\nset k2 w xx\r\nset k x nx\r\nset k3 x nx get\r\nget k3\r\nset k4 v xx get\r\n"),
        Raw(b"set k v\r\nget k\r\nset k v px 100 keepttl\r\nset k v exat 99999999999 get\r\nexpiretime k\r\n"),
        Raw(b"set x 00\r\nincr x\r\nset x \" 1\"\r\nincr x\r\nset x -0\r\nincr x\r\nset x 0\r\nincr x\r\n"),
        Raw(b"set m -9223372036854775808\r\ndecr m\r\nincrby m -1\r\ndecrby m 9223372036854775807\r\n"),
        Raw(b"mget\r\nexists\r\ndel\r\n"),
        Raw(b"exists a a a\r\nset a 1\r\nexists a a b\r\n"),
        Raw(b"setex k 100 v\r\nttl k\r\npsetex k 100000 v\r\nttl k\r\n"),
        Raw(b"set k v\r\nexpire k 0\r\nexists k\r\nset k v\r\npexpire k -100\r\nexists k\r\n"),
        Raw(b"expire nokey 10\r\nttl nokey\r\npersist nokey\r\nexpiretime nokey\r\n"),
        Raw(b"getset k v\r\nttl k\r\n"),
        Raw(b"PiNg\r\nGeT nokey\r\n"),
        Raw(b"*1\r\n\r\n"),
        Raw(b"*2\r\n$4\r\nECHO\r\n$3\r\na\nb\r\n"),
        // Pipelines of many requests in one write.
        Raw(b"*1\r\n$4\r\nPING\r\n*3\r\n$3\r\nSET\r\n$1\r\nx\r\n$1\r\n1\r\n*2\r\n$4\r\nINCR\r\n$1\r\nx\r\n*2\r\n$3\r\nGET\r\n$1\r\nx\r\n"),
        Cmds(&["keys *", "set a 1", "set b 2", "set c 3", "keys ?x", "keys [a]", "keys [^ac]", "keys *b*", "keys \\c", "del a b c nokey"]),
        Cmds(&["set counter 10", "incrby counter -20", "decrby counter 5", "decr counter", "get counter", "strlen counter"]),
        Cmds(&["hello 3", "set k v", "get k", "get nokey", "ping", "ttl k", "mget k nokey", "config get maxclients", "info nosuchsection"]),
        Cmds(&["hello 3", "hello 2", "get nokey"]),
        Cmds(&["set k v exat 4102444800", "expiretime k", "pexpiretime k", "persist k", "expiretime k"]),
        Cmds(&["set k v pxat 4102444800123", "pexpiretime k", "expiretime k", "set k v keepttl", "pexpiretime k"]),
        Cmds(&["set k v", "type k", "type nokey"]),
        Cmds(&["command count extra"]),
        Cmds(&["client id extra", "client getname extra"]),
        Cmds(&["config set", "config"]),
        // Which error wins when several apply, and options on missing keys.
        Cmds(&["expire nokey abc nx xx", "expire nokey 10 bogus", "expire nokey 10 xx", "pexpire nokey -5"]),
        Cmds(&["set k v", "expire k abc bogus", "expire k 10 gt lt", "expire k 10 nx gt", "ttl k"]),
        Cmds(&["set k v nx get px abc", "set k v px 100 ex 100", "set k v get get nx", "get k"]),
        Cmds(&["set k 5 px 100000", "incrby k 1", "append k z", "getdel k", "getdel k"]),
        Cmds(&["setex k 100 v", "getset k w", "ttl k", "setnx k x", "msetnx k 1 other 2", "mget k other"]),
        Cmds(&["set n 10", "incrby n ' 5'", "incrby n +5", "incrby n 05", "incrby n -0", "decrby n 9223372036854775807", "decrby n 9223372036854775807", "get n"]),
        Cmds(&["append new abc", "append new def", "strlen new", "set empty ''", "strlen empty", "get empty", "exists empty"]),
        Cmds(&["mset a 1 b 2 c 3", "keys a", "keys [!a]", "keys [a-", "keys a\\", "keys *\\*", "del a b c"]),
        Cmds(&["PING", "ping", "PiNg x", "eCHo 'a b'", "TTL", "ttl a b"]),
        Cmds(&["hello 3 setname", "hello 3 setname a b", "hello 3 auth default", "hello two", "hello -1"]),
        Cmds(&["client setname ''", "client getname", "client setname bad\x01name", "client id a", "client getname x"]),
        Cmds(&["flushall async extra", "flushdb sync", "dbsize", "dbsize x"]),
        Cmds(&["select 0 extra", "select 00", "select 1.5", "select 99999999999999999999"]),
        Cmds(&["shutdown nosave abort", "shutdown save nosave", "shutdown save nosave bogus", "shutdown abort"]),
        Cmds(&["quit", "ping"]),
        // The same commands under RESP3.
        Cmds(&["hello 3", "set k v", "set k w get", "set nokey v nx get", "getdel nokey2", "mget k nokey", "client getname"]),
        Cmds(&["hello 3", "mset a 1 b 2", "keys a", "exists a b c", "incr a", "incr b x", "type a", "ttl nokey", "expire a 100", "ttl a"]),
        Cmds(&["hello 3", "config get maxclients", "config get nothing", "info nosuchsection", "foo", "get"]),
        Cmds(&["hello 3", "hello 2", "hello", "get nokey"]),
        Raw(b"*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$0\r\n\r\n*2\r\n$3\r\nGET\r\n$1\r\nk\r\n"),
        Raw(b"*-5\r\n*0\r\n*1\r\n$4\r\nPING\r\n"),
        Raw(b"  \t ping  \r\n"),
        Raw(b"*1\r\n$-1\r\n"),
        Raw(b"*1\r\n$+4\r\nPING\r\n"),
        Raw(b"*+1\r\n$4\r\nPING\r\n"),
        Raw(b"*1 \r\n$4\r\nPING\r\n"),
        // A time already past still stores the key (Redis 7.0); the next
        // access deletes it (lazy expiry), and DBSIZE sees that.
        Cmds(&["set k v exat 1", "dbsize", "get k", "dbsize"]),
        Cmds(&["set k v pxat 1 get", "dbsize", "exists k k", "dbsize", "set k v exat 1", "ttl k", "dbsize"]),
        Cmds(&["set k v exat 1", "type k", "dbsize", "set k v exat 1", "strlen k", "mget k k", "dbsize"]),
        Cmds(&["set k v exat 1", "set k w nx", "get k", "set j v exat 1", "set j w xx", "dbsize"]),
        Cmds(&["set k v exat 1", "keys *", "dbsize", "incr k", "get k"]),
        Cmds(&["set k v exat 1", "msetnx k 1", "set j v exat 1", "getdel j", "set i v exat 1", "expire i 100", "dbsize"]),
        // Numbers out of a command's range; the containers' help.
        Cmds(&["select 99999999999", "select 2147483648", "select -2147483649", "select 2147483647"]),
        Cmds(&["config help", "command help", "config help extra", "command help extra"]),
        Cmds(&["command getkeys set a b", "command getkeys mset a 1 b 2", "command getkeys del a b c", "command getkeys ping", "command getkeys nosuch a", "command getkeys get", "command getkeys", "command getkeys client id", "command getkeys echo a"]),
        Cmds(&["command getkeysandflags mset a 1 b 2", "command getkeysandflags set a b", "command getkeysandflags set a b get", "command getkeysandflags set a b nx px 10 get", "command getkeysandflags getdel k", "command getkeysandflags keys *", "COMMAND GETKEYS MGET a b", "command getkeys expire k 10 nx", "command getkeys msetnx a 1"]),
        Cmds(&["config rewrite", "config resetstat", "config resetstat x", "config rewrite x"]),
        // OBJECT: the encoding Redis 7.0 would choose, shared integers' count.
        Cmds(&["set a 100", "object encoding a", "object refcount a", "set b hello", "object encoding b", "object refcount b", "object freq b", "object idletime b", "object encoding nokey", "object freq nokey"]),
        Cmds(&["object help", "object foo b", "object encoding", "object help x", "set n 12345678901234567890", "object encoding n", "set m 10001", "object refcount m", "set z -1", "object encoding z", "object refcount z", "set x 01", "object encoding x"]),
        Cmds(&["set long 123456789012345678901234567890123456789012345", "object encoding long", "set e 12345678901234567890123456789012345678901234", "object encoding e", "rpush l x", "object encoding l", "hset h f v", "object encoding h", "sadd s 1 2", "object encoding s", "sadd s x", "object encoding s", "zadd z2 1 m", "object encoding z2", "incr counter", "object encoding counter"]),
        // INCRBYFLOAT: long double arithmetic, Redis's formatting, its checks' order.
        Cmds(&["set f 10.5", "incrbyfloat f 0.1", "incrbyfloat f 0.1", "incrbyfloat f abc", "incrbyfloat nokey 3", "incrbyfloat nokey -3.5e2", "get nokey"]),
        Cmds(&["set s abc", "incrbyfloat s 1", "incrbyfloat f inf", "set f 1e308", "incrbyfloat f 1e308", "get f", "set f 1e308", "incrbyfloat f 1e308"]),
        Cmds(&["set k 5 ex 100", "incrbyfloat k 1", "ttl k", "rpush l x", "incrbyfloat l 1", "incrbyfloat l abc", "incrbyfloat f ' 1'", "incrbyfloat f 0x10", "incrbyfloat f -0", "set z 0", "incrbyfloat z -0"]),
        Cmds(&["hello 3", "incrbyfloat f 1.5", "incrbyfloat f 1e-20", "set i 3", "incrbyfloat i 2", "type i"]),
        // A `*` or `$` line ends at its first `\r`; the byte after it is skipped unread.
        Raw(b"*1\n$4\nPING\r\n"),
        Raw(b"*1\r\n$4\nPING\r\n"),
        Raw(b"*1\r\n$4\n\rxPING\r\n"),
        Raw(b"*1\rX$4\r\nPING\r\n"),
        Raw(b"*1\r\n$4\rxPING\r\n"),
        Raw(b"*1\r\r\n"),
        Raw(b"*1\r2\r\n$4\r\nPING\r\n"),
        Raw(b"*1\r\n$4\r\r\nPING\r\n"),
        Raw(b"*2\r\n$4\r\nECHO\r\n$1\r\r\nab\r\n"),
        // A closing quote ends an inline word, whatever space follows it.
        Raw(b"echo \"a\"\x0b\r\n"),
        Raw(b"echo \"a\"\x0cb\r\n"),
        Raw(b"echo 'a'\x0bb\r\n"),
        Raw(b"echo a\"b\"\x0b\r\n"),
        Raw(b"echo \x0c\x0ba\x0b\r\n"),
        // A NUL is data where Redis does not look for a line end.
        Raw(b"*1\r\0$4\r\nPING\r\n"),
        Raw(b"*2\r\n$4\r\0ECHO\r\n$3\r\na\0b\r\n"),
    ];
    let long_arg = "a".repeat(300);
    cases.push(Built(encode(&[b"nosuch", long_arg.as_bytes(), b"more"])));
    cases.push(Unterminated(b"x".repeat(70_000)));
    let mut pipelined_then_big = encode(&[b"PING"]);
    pipelined_then_big.extend_from_slice(&b"x".repeat(70_000));
    cases.push(Unterminated(pipelined_then_big));
    let mut big_count = b"*1\r\n$".to_vec();
    big_count.extend_from_slice(&b"1".repeat(70_000));
    cases.push(Unterminated(big_count));
    // Redis finds line ends with strchr, which stops at a NUL byte: a line
    // with a NUL never ends, and is cut off once it is too long.
    for start in [
        &b"echo a\0b\r\n"[..],
        b"ping\r\nset k a\0b\r\nget k\r\n",
        b"echo \"a\0b\"\r\n",
        b"\0ping\r\n",
        b"*1\0\r\n$4\r\nPING\r\n",
        b"*1\r\n$4\0\r\nPING\r\n",
        b"*1\r\n\0$4\r\nPING\r\n",
    ] {
        let mut input = start.to_vec();
        input.extend_from_slice(&b"x".repeat(70_000));
        cases.push(Unterminated(input));
    }
    // A line may hold 64 KiB before its end; a byte more without one is too big.
    let mut longest_inline = b"echo ".to_vec();
    longest_inline.resize(64 * 1024, b'a');
    longest_inline.push(b'\n');
    cases.push(Built(longest_inline));
    let mut longest_crlf = b"echo ".to_vec();
    longest_crlf.resize(64 * 1024 - 1, b'a');
    longest_crlf.extend_from_slice(b"\r\n");
    cases.push(Built(longest_crlf));
    cases.push(Unterminated(b"x".repeat(64 * 1024 + 1)));
    let mut longest_len = b"*1\r\n$".to_vec();
    longest_len.resize(4 + 64 * 1024, b'1');
    longest_len.extend_from_slice(b"\r\n");
    cases.push(Built(longest_len));
    let mut too_long_len = b"*1\r\n$".to_vec();
    too_long_len.resize(4 + 64 * 1024 + 1, b'1');
    cases.push(Unterminated(too_long_len));
    let mut longest_count = b"*".to_vec();
    longest_count.resize(64 * 1024, b'1');
    longest_count.extend_from_slice(b"\r\n");
    cases.push(Built(longest_count));
    let mut too_long_count = b"*".to_vec();
    too_long_count.resize(64 * 1024 + 1, b'1');
    cases.push(Unterminated(too_long_count));
    let binary: Vec<u8> = (0..=255u8).collect();
    let mut binary_round_trip = encode(&[b"SET", b"bin\x00\xff", &binary]);
    binary_round_trip.extend_from_slice(&encode(&[b"GET", b"bin\x00\xff"]));
    binary_round_trip.extend_from_slice(&encode(&[b"STRLEN", b"bin\x00\xff"]));
    binary_round_trip.extend_from_slice(&encode(&[b"APPEND", b"bin\x00\xff", b"\r\n"]));
    cases.push(Built(binary_round_trip));
    // Errors quote arguments byte for byte: not UTF-8 as sent, cut at a NUL
    // (C's %s) and at 128 bytes where Redis says %.128s.
    let quoting: &[&[&[u8]]] = &[
        &[b"foo\x00bar", b"a\x00b", b"\xff\xfe"],
        &[b"\xe9t\xe9", b"\xc3("],
        &[b"client", b"fo\x00o\xff"],
        &[b"client", &[b'\xff'; 200]],
        &[b"config", b"set", b"a\x00\xff", b"b"],
        &[b"expire", b"k", b"10", b"f\x00o\xff"],
        &[b"hello", b"3", b"x\xff\x00y"],
        &[&[b'\xfe'; 300], &[b'x'; 100], &[b'y'; 100]],
    ];
    for args in quoting {
        cases.push(Built(encode(args)));
    }
    cases
}

#[test]
fn replies_are_byte_identical_to_redis() {
    assert_same_as_redis(&cases());
}

//@ passes from step 5
/// INFO's counters count what Redis counts: rejected commands (unknown,
/// wrong arity) are not processed; a syntax error found by the command is;
/// INFO does not count itself; a lazily deleted key is an expired key.
#[test]
fn counters_count_what_redis_counts() {
    let Some(redis) = start_redis("the counters test") else {
        return;
    };
    let ours = TestServer::start(&["--hz", "1"]);
    let steps: &[&[&[u8]]] = &[
        &[b"config", b"resetstat"],
        &[b"set", b"k", b"v", b"exat", b"1"],
        &[b"get", b"k"],
        &[b"set", b"j", b"v", b"pxat", b"1"],
        &[b"set", b"j", b"w", b"xx"],
        &[b"foo"],
        &[b"get"],
        &[b"set", b"k", b"v", b"nx", b"xx"],
        &[b"client", b"nosuch"],
        &[b"config", b"resetstat", b"extra"],
        &[b"ping", b"a", b"b"],
        &[b"mset", b"a", b"1", b"b"],
        &[b"mset", b"a"],
    ];
    let request: Vec<u8> = steps.iter().flat_map(|args| encode(args)).collect();
    let mut answers = Vec::new();
    for port in [redis.port, ours.port] {
        run_case(port, &request, true);
        let info = run_case(port, &encode(&[b"info", b"stats"]), true);
        let fields = ["total_commands_processed", "expired_keys"].map(|f| info_field(&info, f));
        answers.push(fields);
    }
    assert_eq!(answers[1], answers[0], "ours (left) against Redis (right)");
}

/// A string may not grow past 512 MB (`proto-max-bulk-len`): the APPEND that
/// would is refused with Redis's words, and the value stays as it was.
//@ passes from step 5
#[test]
fn a_string_stops_at_512_mb_as_in_redis() {
    const MB: usize = 1024 * 1024;
    let Some(redis) = start_redis("the 512 MB test") else {
        return;
    };
    let ours = TestServer::start(&[]);
    let mut request = encode(&[b"SET", b"big", &vec![b'x'; 300 * MB]]);
    request.extend_from_slice(&encode(&[b"APPEND", b"big", &vec![b'y'; 212 * MB]]));
    for args in [
        &[&b"APPEND"[..], b"big", b"z"][..],
        &[b"STRLEN", b"big"],
        &[b"DEL", b"big"],
    ] {
        request.extend_from_slice(&encode(args));
    }
    let expected = run_case(redis.port, &request, true);
    assert_eq!(
        String::from_utf8_lossy(&run_case(ours.port, &request, true)),
        String::from_utf8_lossy(&expected)
    );
}
