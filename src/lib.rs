//! # mini-redis
//!
//! A small Redis server in std-only Rust, and the finished code of the
//! Mini-Redis workshop. The modules read in the order of the lectures:
//!
//! 1. [`server`]: a `TcpListener`, an accept loop, one OS thread per client;
//!    [`connection`]: a client's socket, buffered both ways (lecture 01).
//! 2. [`protocol`]: RESP, reading requests from a `BufRead` and writing
//!    replies (lecture 02).
//! 3. [`storage`] and [`commands`]: the keyspace behind an `RwLock`, and the
//!    commands that use it (lecture 03).
//! 4. [`expiry`]: passive expiry on access and the active reaper thread
//!    (lecture 04).
//!
//! [`config`] reads the command line and [`log`] prints Redis-style log lines.

pub mod commands;
pub mod config;
pub mod connection;
pub mod expiry;
pub mod log;
pub mod protocol;
pub mod server;
pub mod storage;
