//! Real clients against the real binary: redis-cli, redis-benchmark, redis-py.
//!
//! Each test needs its client installed (Debian: `redis-tools`; PyPI:
//! `redis`). Without it the test says so loudly and passes on a developer's
//! machine; under CI (`CI` set) a missing client is a failure.

//@ passes from step 7

mod common;

use std::io::Write;
use std::process::{Command, Output, Stdio};

use common::TestServer;

/// Runs `program args`, feeding `stdin`; `None` if the program is not installed.
fn run(program: &str, args: &[&str], stdin: &str) -> Option<Output> {
    let mut child = match Command::new(program)
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
    {
        Ok(child) => child,
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => return None,
        Err(err) => panic!("{program} could not start: {err}"),
    };
    child
        .stdin
        .take()
        .unwrap()
        .write_all(stdin.as_bytes())
        .unwrap();
    Some(child.wait_with_output().unwrap())
}

/// Says that a client is missing and the test skipped; fails under CI.
fn missing(what: &str) {
    common::skip_without(&format!("{what} is not installed"));
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// Runs a redis-py `script` against a fresh server (its port is `argv[1]`)
/// and checks that it succeeded and printed `done`.
fn run_redis_py(script: &str, done: &str) {
    let server = TestServer::start(&[]);
    let port = server.port.to_string();
    let probe = run("python3", &["-c", "import redis"], "");
    if !probe.as_ref().is_some_and(|out| out.status.success()) {
        return missing("redis-py (pip install redis)");
    }
    let out = run("python3", &["-", &port], script).unwrap();
    assert!(
        out.status.success(),
        "redis-py script failed:\n{}{}",
        text(&out.stdout),
        text(&out.stderr)
    );
    assert!(text(&out.stdout).contains(done), "{}", text(&out.stdout));
}

//@ passes from step 4
#[test]
fn redis_cli_one_shot_and_piped_sessions() {
    let server = TestServer::start(&[]);
    let port = server.port.to_string();
    let Some(out) = run(
        "redis-cli",
        &["-p", &port, "SET", "greeting", "hello world"],
        "",
    ) else {
        return missing("redis-cli");
    };
    assert_eq!(text(&out.stdout), "OK\n", "{}", text(&out.stderr));
    let out = run("redis-cli", &["-p", &port, "GET", "greeting"], "").unwrap();
    assert_eq!(text(&out.stdout), "hello world\n");
    // Commands on stdin, as a person might paste them.
    let out = run(
        "redis-cli",
        &["-p", &port],
        "INCR n\nINCR n\nEXPIRE n 100\nTTL n\nGET nothing\nFOO\n",
    )
    .unwrap();
    assert_eq!(
        text(&out.stdout),
        "1\n2\n1\n100\n\nERR unknown command 'FOO', with args beginning with: \n\n"
    );
    let out = run(
        "redis-cli",
        &["-p", &port, "--no-raw", "MGET", "greeting", "nothing"],
        "",
    )
    .unwrap();
    assert_eq!(text(&out.stdout), "1) \"hello world\"\n2) (nil)\n");
    // RESP3 through redis-cli.
    let out = run(
        "redis-cli",
        &["-3", "-p", &port, "--no-raw", "GET", "nothing"],
        "",
    )
    .unwrap();
    assert_eq!(text(&out.stdout), "(nil)\n");
}

//@ passes from step 6
#[test]
fn redis_benchmark_completes_every_test() {
    let server = TestServer::start(&[]);
    let port = server.port.to_string();
    // No `-t`: redis-benchmark's default run, every test it has.
    let args = ["-p", &port, "-n", "2000", "-c", "10", "-P", "4", "--csv"];
    let Some(out) = run("redis-benchmark", &args, "") else {
        return missing("redis-benchmark");
    };
    let report = text(&out.stdout);
    assert!(out.status.success(), "{report}{}", text(&out.stderr));
    for test in [
        "\"PING_INLINE\"",
        "\"PING_MBULK\"",
        "\"SET\"",
        "\"GET\"",
        "\"INCR\"",
        "\"LPUSH\"",
        "\"RPUSH\"",
        "\"LPOP\"",
        "\"RPOP\"",
        "\"SADD\"",
        "\"HSET\"",
        "\"SPOP\"",
        "\"ZADD\"",
        "\"ZPOPMIN\"",
        "\"LRANGE_100 (first 100 elements)\"",
        "\"LRANGE_600 (first 600 elements)\"",
        "\"MSET (10 keys)\"",
    ] {
        assert!(report.contains(test), "no {test} row in:\n{report}");
    }
    // Every SET really landed: the keys are there.
    let mut c = server.connect();
    assert_eq!(c.call_str(&["EXISTS", "key:__rand_int__"]), ":1\r\n");
    assert_eq!(
        c.call_str(&["GET", "counter:__rand_int__"]),
        "$4\r\n2000\r\n"
    );
}

/// A redis-py session: default connection (whatever protocol the installed
/// redis-py picks), then explicit RESP2 and RESP3 clients, a pipeline, a
/// transaction-free counter and expiry.
const REDIS_PY_SCRIPT: &str = r#"
import sys, redis
port = int(sys.argv[1])
for proto in (None, 2, 3):
    kwargs = {} if proto is None else {"protocol": proto}
    r = redis.Redis(port=port, **kwargs)
    assert r.ping() is True
    assert r.set("name", "mini-redis") is True
    assert r.get("name") == b"mini-redis"
    assert r.get("missing") is None
    assert r.incr("visits") >= 1
    assert r.set("temp", "x", ex=100) is True
    assert 99 <= r.ttl("temp") <= 100
    assert r.delete("temp", "missing") == 1
    assert r.mget("name", "missing") == [b"mini-redis", None]
    with r.pipeline(transaction=False) as p:
        for i in range(100):
            p.set(f"k{i}", i)
        p.get("k99")
        results = p.execute()
    assert results[-1] == b"99", results[-1]
    assert r.exists("k0", "k1", "nope") == 2
    try:
        r.execute_command("NOSUCH")
        raise SystemExit("an unknown command must raise")
    except redis.ResponseError as err:
        assert "unknown command" in str(err)
    assert r.dbsize() == 102, r.dbsize()  # name, visits, k0..k99
    info = r.info()
    assert info["redis_version"].startswith("7."), info
    r.close()
print("redis-py", redis.__version__, "ok")
"#;

//@ passes from step 5
#[test]
fn redis_py_with_its_defaults_and_both_protocols() {
    run_redis_py(REDIS_PY_SCRIPT, " ok");
}

/// redis-py's transactions: the default pipeline is MULTI/EXEC, a failed
/// one leaves nothing half done, and a WATCH retry loop under contention
/// (4 clients x 100 optimistic increments) loses no increment.
const REDIS_PY_TRANSACTIONS: &str = r#"
import sys, threading, redis
port = int(sys.argv[1])
for proto in (2, 3):
    r = redis.Redis(port=port, protocol=proto)
    r.flushall()
    with r.pipeline() as p:
        p.set("a", 1).incr("a").incr("a")
        assert p.execute() == [True, 2, 3]
    with r.pipeline() as p:
        p.set("b", 1).incr("b").execute_command("NOSUCH")
        try:
            p.execute()
            raise SystemExit("a transaction with an unknown command must fail")
        except redis.ResponseError as err:
            assert "EXECABORT" in str(err) or "unknown command" in str(err), err
    assert r.get("b") is None, "nothing of a failed transaction is applied"

    def worker():
        c = redis.Redis(port=port, protocol=proto)
        done = 0
        while done < 100:
            with c.pipeline() as p:
                try:
                    p.watch("counter")
                    value = int(p.get("counter") or 0)
                    p.multi()
                    p.set("counter", value + 1)
                    p.execute()
                    done += 1
                except redis.WatchError:
                    continue
        c.close()

    threads = [threading.Thread(target=worker) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert int(r.get("counter")) == 400, r.get("counter")
    r.close()
print("redis-py transactions ok")
"#;

#[test]
fn redis_py_transactions_and_watch_retries() {
    run_redis_py(REDIS_PY_TRANSACTIONS, " ok");
}

/// A keyspace of a few thousand keys of every type, loaded through
/// `redis-cli --pipe`, for the SCAN-based modes of redis-cli.
fn load_keyspace(port: &str) -> Option<()> {
    let mut script = String::new();
    for i in 0..3000 {
        script.push_str(&format!("SET str:{i} {}\n", "v".repeat(1 + i % 20)));
    }
    script.push_str(&format!("SET big:string {}\n", "w".repeat(100)));
    script.push_str("RPUSH big:list a b c d e f g\nHSET big:hash f1 v1 f2 v2\n");
    script.push_str("SADD big:set 1 2 3\nZADD big:zset 1 a 2 b\n");
    let out = run("redis-cli", &["-p", port, "--pipe"], &script)?;
    assert!(
        text(&out.stdout).contains("errors: 0"),
        "{}",
        text(&out.stdout)
    );
    Some(())
}

/// `redis-cli --scan`, `--scan --pattern`, `--bigkeys` and `--memkeys` walk
/// the whole keyspace with SCAN (and TYPE, the size commands, MEMORY USAGE).
//@ passes from step 6
#[test]
fn redis_cli_scan_bigkeys_and_memkeys() {
    let server = TestServer::start(&[]);
    let port = server.port.to_string();
    if load_keyspace(&port).is_none() {
        return missing("redis-cli");
    }
    let scan = |extra: &[&str]| {
        let mut args = vec!["-p", port.as_str(), "--scan"];
        args.extend(extra);
        let out = run("redis-cli", &args, "").unwrap();
        let mut keys: Vec<String> = text(&out.stdout).lines().map(str::to_string).collect();
        keys.sort();
        keys.dedup();
        keys
    };
    assert_eq!(scan(&[]).len(), 3005, "every key");
    let pattern = scan(&["--pattern", "str:1??"]);
    assert_eq!(pattern.len(), 100, "{pattern:?}");
    assert!(pattern
        .iter()
        .all(|k| k.starts_with("str:1") && k.len() == 7));

    let out = run("redis-cli", &["-p", &port, "--bigkeys"], "").unwrap();
    let report = text(&out.stdout);
    assert!(out.status.success(), "{report}{}", text(&out.stderr));
    assert!(report.contains("Sampled 3005 keys"), "{report}");
    assert!(
        report.contains("Biggest string found '\"big:string\"' has 100 bytes"),
        "{report}"
    );
    assert!(
        report.contains("Biggest   list found '\"big:list\"' has 7 items"),
        "{report}"
    );
    assert!(report.contains("1 zsets with 2 members"), "{report}");

    let out = run("redis-cli", &["-p", &port, "--memkeys"], "").unwrap();
    let report = text(&out.stdout);
    assert!(out.status.success(), "{report}{}", text(&out.stderr));
    assert!(
        !text(&out.stderr).contains("failed"),
        "{}",
        text(&out.stderr)
    );
    assert!(report.contains("Sampled 3005 keys"), "{report}");
    // 100 bytes is a raw string: 16 + 112 for the value, 16 for the key,
    // 24 for the dict entry, as Redis counts it.
    assert!(
        report.contains("Biggest string found '\"big:string\"' has 168 bytes"),
        "{report}"
    );
}

/// redis-py's `scan_iter` (with MATCH, COUNT and TYPE) returns every key,
/// in RESP2 and RESP3, while the keyspace is larger than one reply.
const REDIS_PY_SCAN: &str = r#"
import sys, redis
port = int(sys.argv[1])
for proto in (2, 3):
    r = redis.Redis(port=port, protocol=proto, decode_responses=True)
    r.flushall()
    with r.pipeline(transaction=False) as p:
        for i in range(5000):
            p.set(f"key:{i}", i)
        p.rpush("list:0", "x")
        p.sadd("set:0", "x")
        p.execute()
    every = set(r.scan_iter(count=7))
    assert len(every) == 5002, len(every)
    matched = set(r.scan_iter(match="key:12*", count=100))
    assert matched == {k for k in every if k.startswith("key:12")}, matched
    assert set(r.scan_iter(_type="LIST")) == {"list:0"}
    assert set(r.scan_iter(_type="set", count=1000)) == {"set:0"}
    cursor, first = r.scan(0, count=10)
    assert cursor != 0 and 0 < len(first) <= 40, (cursor, first)
    r.close()
print("redis-py scan ok")
"#;

//@ passes from step 6
#[test]
fn redis_py_scan_iter_returns_every_key() {
    run_redis_py(REDIS_PY_SCAN, "scan ok");
}
