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
    let server = TestServer::start(&[]);
    let port = server.port.to_string();
    let probe = run("python3", &["-c", "import redis"], "");
    if !probe.as_ref().is_some_and(|out| out.status.success()) {
        return missing("redis-py (pip install redis)");
    }
    let out = run("python3", &["-", &port], REDIS_PY_SCRIPT).unwrap();
    assert!(
        out.status.success(),
        "redis-py script failed:\n{}{}",
        text(&out.stdout),
        text(&out.stderr)
    );
    assert!(text(&out.stdout).contains(" ok"), "{}", text(&out.stdout));
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
    let server = TestServer::start(&[]);
    let port = server.port.to_string();
    let probe = run("python3", &["-c", "import redis"], "");
    if !probe.as_ref().is_some_and(|out| out.status.success()) {
        return missing("redis-py (pip install redis)");
    }
    let out = run("python3", &["-", &port], REDIS_PY_TRANSACTIONS).unwrap();
    assert!(
        out.status.success(),
        "redis-py script failed:\n{}{}",
        text(&out.stdout),
        text(&out.stderr)
    );
    assert!(text(&out.stdout).contains(" ok"), "{}", text(&out.stdout));
}
