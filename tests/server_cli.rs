//! The binary's command line: flags, errors and exit codes.

//@ passes from step 3

mod common;

use std::net::TcpListener;
use std::process::{Command, Output};
use std::time::Duration;

/// Runs the binary with `args` to completion (for flags that make it exit).
fn mini_redis(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_mini-redis"))
        .args(args)
        .output()
        .expect("the binary runs")
}

fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

//@ passes from step 0
#[test]
fn help_prints_usage_and_exits_zero() {
    let out = mini_redis(&["--help"]);
    assert_eq!(out.status.code(), Some(0));
    assert!(
        stdout(&out).contains("Usage: mini-redis"),
        "{}",
        stdout(&out)
    );
    assert!(stdout(&out).contains("--maxclients"), "{}", stdout(&out));
}

//@ passes from step 0
#[test]
fn version_names_the_redis_version_it_follows() {
    let out = mini_redis(&["--version"]);
    assert_eq!(out.status.code(), Some(0));
    assert!(stdout(&out).starts_with("mini-redis "), "{}", stdout(&out));
    assert!(stdout(&out).contains("Redis 7.0"), "{}", stdout(&out));
}

//@ passes from step 0
#[test]
fn an_unknown_flag_exits_2_with_a_reason_and_usage() {
    let out = mini_redis(&["--prot", "6379"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).starts_with("mini-redis: unknown option '--prot'\n"),
        "{}",
        stderr(&out)
    );
    assert!(stderr(&out).contains("Usage:"), "{}", stderr(&out));
}

//@ passes from step 0
#[test]
fn a_bad_value_exits_2() {
    for args in [
        ["--port", "http"],
        ["--hz", "0"],
        ["--maxclients", "none"],
        ["--loglevel", "loud"],
    ] {
        let out = mini_redis(&args);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let reason = format!("invalid value '{}' for '{}'", args[1], args[0]);
        assert!(stderr(&out).contains(&reason), "{}", stderr(&out));
    }
}

//@ passes from step 1
#[test]
fn a_port_in_use_exits_1_with_a_clear_message() {
    let taken = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = taken.local_addr().unwrap().port().to_string();
    let out = mini_redis(&["--port", &port]);
    assert_eq!(out.status.code(), Some(1));
    let message = format!("could not listen on 127.0.0.1:{port}");
    assert!(stderr(&out).contains(&message), "{}", stderr(&out));
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
    assert_eq!(server.wait_exit(Duration::from_secs(5)), Some(true));
    assert!(conn.is_closed());
}
