//! The binary's command line: flags, errors and exit codes.

mod common;

use std::net::TcpListener;

use assert_cmd::Command;
use predicates::prelude::*;

fn mini_redis() -> Command {
    Command::cargo_bin("mini-redis").unwrap()
}

#[test]
fn help_prints_usage_and_exits_zero() {
    mini_redis().arg("--help").assert().success().stdout(
        predicate::str::contains("Usage: mini-redis").and(predicate::str::contains("--maxclients")),
    );
}

#[test]
fn version_names_the_redis_version_it_follows() {
    mini_redis()
        .arg("--version")
        .assert()
        .success()
        .stdout(predicate::str::contains("mini-redis ").and(predicate::str::contains("7.0")));
}

#[test]
fn an_unknown_flag_exits_2_with_a_reason_and_usage() {
    mini_redis()
        .args(["--prot", "6379"])
        .assert()
        .code(2)
        .stderr(
            predicate::str::contains("unknown option '--prot'")
                .and(predicate::str::contains("Usage:")),
        );
}

#[test]
fn a_bad_value_exits_2() {
    for args in [
        ["--port", "http"],
        ["--hz", "0"],
        ["--maxclients", "none"],
        ["--loglevel", "loud"],
    ] {
        mini_redis()
            .args(args)
            .assert()
            .code(2)
            .stderr(predicate::str::contains(format!(
                "invalid value '{}'",
                args[1]
            )));
    }
}

#[test]
fn a_port_in_use_exits_1_with_a_clear_message() {
    let taken = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = taken.local_addr().unwrap().port().to_string();
    mini_redis()
        .args(["--port", &port])
        .timeout(std::time::Duration::from_secs(10))
        .assert()
        .code(1)
        .stderr(predicate::str::contains(format!(
            "could not listen on 127.0.0.1:{port}"
        )));
}

#[test]
fn port_zero_reports_the_real_port_and_serves_it() {
    let server = common::TestServer::start(&[]);
    assert_ne!(server.port, 0);
    assert_eq!(server.connect().call(&["PING"]), b"+PONG\r\n");
}

#[test]
fn shutdown_exits_zero_without_replying() {
    let mut server = common::TestServer::start(&[]);
    let mut conn = server.connect();
    conn.send(&["SHUTDOWN", "NOSAVE"]);
    assert_eq!(
        server.wait_exit(std::time::Duration::from_secs(5)),
        Some(true)
    );
    assert!(conn.is_closed());
}
