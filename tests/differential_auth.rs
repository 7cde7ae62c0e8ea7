//! Passwords against a real `redis-server` started with the same
//! `--requirepass`, byte for byte, in RESP2 and RESP3: NOAUTH for every
//! command but AUTH, HELLO and QUIT (after the unknown-command and arity
//! errors, which come first), AUTH in both forms, HELLO ... AUTH, WRONGPASS,
//! the ACL basics, and CONFIG GET/SET of requirepass, timeout and
//! tcp-keepalive. Each script runs on fresh connections to each server.
//!
//! Needs `redis-server` (see `tests/redis_differential.rs`).

//@ passes from step 5

mod common;

use common::differential::{normalise, run_script, show, start_redis_with};
use common::TestServer;

const PASSWORD: &str = "s3cret";

/// Every script, in order; the servers carry their state from one to the
/// next (a password changed by one is what the next connects with).
fn scripts() -> Vec<Vec<(usize, &'static str)>> {
    vec![
        // Before AUTH: errors found without running come first, then NOAUTH.
        vec![
            (0, "ping"),
            (0, "get"),
            (0, "nosuchcommand a b"),
            (0, "config get"),
            (0, "config nosuch"),
            (0, "client setname"),
            (0, "set k v ex abc"),
            (0, "get k"),
            (0, "multi"),
            (0, "exec"),
            (0, "acl whoami"),
            (0, "acl whoami x"),
            (0, "acl nosuch"),
            (0, "info"),
            (0, "shutdown"),
            (0, "config set requirepass x"),
        ],
        // AUTH's forms and failures.
        vec![
            (0, "auth"),
            (0, "auth a b c"),
            (0, "auth wrong"),
            (0, "auth default wrong"),
            (0, "auth nobody s3cret"),
            (0, "ping"),
            (0, "auth s3cret"),
            (0, "ping"),
            (0, "auth wrong"),
            (0, "ping"),
            (1, "auth default s3cret"),
            (1, "set k v"),
            (1, "get k"),
            (2, "quit"),
        ],
        // HELLO before AUTH, and HELLO ... AUTH in RESP2 and RESP3.
        vec![
            (0, "hello"),
            (0, "hello 3"),
            (0, "hello 4"),
            (0, "hello x"),
            (0, "hello 3 auth default wrong"),
            (0, "hello 3 setname early"),
            (0, "hello 3 auth default"),
            (0, "ping"),
            (1, "hello 3 auth default s3cret setname named"),
            (1, "client getname"),
            (1, "acl getuser default"),
            (1, "acl whoami"),
            (2, "hello 2 auth default s3cret nosuchoption"),
            (2, "ping"),
            (2, "hello 2 auth default s3cret"),
            (3, "hello 3 setname bad\x01name auth default s3cret"),
            (3, "ping"),
        ],
        // ACL basics.
        vec![
            (0, "auth s3cret"),
            (0, "acl whoami"),
            (0, "acl users"),
            (0, "acl list"),
            (0, "acl getuser default"),
            (0, "acl getuser nobody"),
            (0, "acl getuser"),
            (0, "acl"),
            (0, "acl load"),
            (0, "acl save"),
            (0, "acl setuser default >other"),
            (0, "acl list"),
            (0, "acl getuser default"),
            (1, "auth other"),
            (1, "auth s3cret"),
            (0, "acl setuser default <other"),
            (0, "acl setuser default <other"),
            (0, "acl setuser default bogus"),
            (0, "acl setuser default #abc"),
            (0, "acl setuser default #BA7816BF8F01CFEA414140DE5DAE2223B00361A396177A9CB410FF61F20015AD"),
            (0, "acl setuser default #ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
            (0, "acl setuser default on ~* &* +@all allkeys allchannels allcommands"),
            (0, "acl list"),
            (0, "acl setuser default off >again <nosuch"),
            (0, "acl list"),
            (0, "acl setuser default off"),
            (2, "auth s3cret"),
            (2, "auth abc"),
            (0, "ping"),
            (0, "acl getuser default"),
            (0, "acl setuser default on"),
            (2, "auth abc"),
            (2, "ping"),
            (0, "acl setuser default resetpass"),
            (0, "acl list"),
            (0, "acl setuser default >s3cret"),
            (0, "acl setuser \"a b\" on"),
            (0, "config get requirepass"),
            (0, "multi"),
            (0, "acl setuser default >x"),
            (0, "acl setuser default <x"),
            (0, "exec"),
        ],
        // CONFIG SET requirepass: new clients need the new one; none at all.
        vec![
            (0, "auth s3cret"),
            (0, "config set requirepass changed"),
            (0, "config get requirepass"),
            (0, "acl list"),
            (0, "ping"),
            (1, "ping"),
        ],
        vec![
            (0, "ping"),
            (0, "auth s3cret"),
            (0, "auth changed"),
            (0, "config set requirepass \"\""),
            (0, "acl list"),
            (0, "config get requirepass"),
        ],
        vec![
            (0, "ping"),
            (0, "auth anything"),
            (0, "auth default anything"),
            (0, "auth nobody anything"),
            (0, "hello 3"),
            (0, "acl getuser default"),
            (0, "config set requirepass s3cret"),
            (0, "ping"),
        ],
        // CONFIG GET and SET of the connection settings.
        vec![
            (0, "auth s3cret"),
            (0, "config get timeout"),
            (0, "config get tcp-keepalive"),
            (0, "config get tcp-backlog"),
            (0, "config set timeout abc"),
            (0, "config set timeout -1"),
            (0, "config set timeout 2147483648"),
            (0, "config set timeout +5"),
            (0, "config set timeout 5 nosuch 1"),
            (0, "config set tcp-backlog 5"),
            (0, "config set timeout 1 TIMEOUT 2"),
            (0, "config set timeout 1 tcp-keepalive"),
            (0, "config set TIMEOUT 7 tcp-keepalive 100"),
            (0, "config get timeout"),
            (0, "config get tcp-keepalive"),
            (0, "config set timeout 0 tcp-keepalive 300"),
        ],
        // A pipeline before AUTH: each command answered in turn.
        vec![(0, "ping"), (0, "auth s3cret"), (0, "ping"), (0, "dbsize")],
    ]
}

//@ passes from step 7
#[test]
fn passwords_and_acl_answer_as_redis_does() {
    let args = ["--requirepass", PASSWORD];
    let Some(redis) = start_redis_with("the AUTH and ACL differential test", &args) else {
        return;
    };
    let ours = TestServer::start(&args);
    let mut mismatches = Vec::new();
    for (i, script) in scripts().iter().enumerate() {
        let expected = normalise(&run_script(redis.port, script));
        let got = normalise(&run_script(ours.port, script));
        if expected != got {
            // From the first reply that differs.
            let same = expected
                .iter()
                .zip(&got)
                .take_while(|(a, b)| a == b)
                .count();
            let from = expected[..same]
                .windows(2)
                .rposition(|w| w == b"\n[")
                .map_or(0, |at| at + 1);
            mismatches.push(format!(
                "script {i}, from its first difference:\n   redis: {}\n    ours: {}",
                show(&expected[from..]),
                show(&got[from..])
            ));
        }
    }
    assert!(
        mismatches.is_empty(),
        "{} scripts differ from Redis:\n{}",
        mismatches.len(),
        mismatches.join("\n")
    );
}

/// Runs `program args` to completion; `None` if it is not installed.
fn run(program: &str, args: &[&str]) -> Option<std::process::Output> {
    match std::process::Command::new(program).args(args).output() {
        Ok(out) => Some(out),
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => None,
        Err(err) => panic!("{program} could not start: {err}"),
    }
}

/// Says loudly that a client is missing; fails under CI.
fn missing(what: &str) {
    let warning = format!("{what} is not installed: this password test DID NOT RUN");
    if std::env::var_os("CI").is_some() {
        panic!("{warning} (it must under CI)");
    }
    eprintln!("\n!!!!! {warning} !!!!!\n");
}

/// What redis-cli prints for `args` against the server at `port`.
fn redis_cli(port: u16, args: &[&str]) -> Option<String> {
    let port = port.to_string();
    let mut all = vec!["-p", &port];
    all.extend_from_slice(args);
    let out = run("redis-cli", &all)?;
    Some(String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr))
}

//@ passes from step 4
#[test]
fn redis_cli_with_and_without_a_password_prints_what_it_prints_for_redis() {
    let args = ["--requirepass", PASSWORD];
    let Some(redis) = start_redis_with("the redis-cli password test", &args) else {
        return;
    };
    let ours = TestServer::start(&args);
    let sessions: &[&[&str]] = &[
        &["-a", PASSWORD, "--no-auth-warning", "SET", "k", "v"],
        &["-a", PASSWORD, "--no-auth-warning", "GET", "k"],
        &["-a", PASSWORD, "--no-auth-warning", "ACL", "WHOAMI"],
        &["-a", "wrong", "--no-auth-warning", "GET", "k"],
        &["GET", "k"],
        &[
            "--user",
            "default",
            "--pass",
            PASSWORD,
            "--no-auth-warning",
            "PING",
        ],
        &[
            "-3",
            "-a",
            PASSWORD,
            "--no-auth-warning",
            "ACL",
            "GETUSER",
            "default",
        ],
    ];
    for session in sessions {
        let Some(expected) = redis_cli(redis.port, session) else {
            return missing("redis-cli");
        };
        let got = redis_cli(ours.port, session).unwrap();
        assert_eq!(got, expected, "redis-cli {session:?}");
    }
}

/// redis-py with a password, in RESP2 and RESP3; a wrong or missing
/// password is an AuthenticationError, as redis-py raises it for Redis.
const REDIS_PY_AUTH: &str = r#"
import sys, redis
from redis.backoff import NoBackoff
from redis.retry import Retry
port, password = int(sys.argv[1]), sys.argv[2]
once = Retry(NoBackoff(), 0)  # a refusal is final: no retries
for proto in (2, 3):
    r = redis.Redis(port=port, password=password, protocol=proto)
    assert r.ping() is True
    assert r.set("k", "v") is True and r.get("k") == b"v"
    assert r.acl_whoami() == "default" or r.acl_whoami() == b"default"
    r.close()
    for bad in ({"password": "wrong"}, {"username": "nobody", "password": password}, {}):
        try:
            redis.Redis(port=port, protocol=proto, retry=once, **bad).ping()
            raise SystemExit(f"{bad} must be refused")
        except redis.AuthenticationError:
            pass
print("redis-py auth ok")
"#;

//@ passes from step 4
#[test]
fn redis_py_with_a_password() {
    let server = TestServer::start(&["--requirepass", PASSWORD]);
    let probe = run("python3", &["-c", "import redis"]);
    if !probe.as_ref().is_some_and(|out| out.status.success()) {
        return missing("redis-py (pip install redis)");
    }
    let port = server.port.to_string();
    let out = run("python3", &["-c", REDIS_PY_AUTH, &port, PASSWORD]).unwrap();
    assert!(
        out.status.success(),
        "redis-py script failed:\n{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}
