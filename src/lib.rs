//! # mini-redis
//!
//! A small Redis server in std-only Rust, and the finished code of the
//! Mini-Redis workshop. The modules read in the order of the lectures:
//!
//! 1. [`server`]: a `TcpListener`, an accept loop, one OS thread per client,
//!    within the [`slots`] of `maxclients`; [`connection`]: a client's
//!    socket, buffered both ways (lecture 01).
//! 2. [`protocol`]: RESP, reading requests from a `BufRead` and writing
//!    replies (lecture 02).
//! 3. [`value`] and [`storage`]: the typed values and the keyspace that
//!    holds them; [`commands`]: each request parsed into a typed command;
//!    [`executor`]: the one place that takes the lock of the [`db`] and
//!    applies a command under it (lecture 03).
//! 4. [`expiry`]: passive expiry on access and the active reaper thread
//!    (lecture 04).
//!
//! 6. [`list`] (a list, packed into chunks as Redis packs it), [`hash`] (a
//!    hash, kept in Redis's order while small) and the list and hash
//!    commands: values that are not strings (lecture 06, optional).
//! 7. [`transaction`] (a client's MULTI queue and WATCHed keys, which the
//!    executor runs under one lock) and [`waiters`] (the clients blocked in
//!    BLPOP, and how a write serves them) (lecture 07, optional).
//! 8. [`pubsub`] (channels, patterns, and the outbox through which other
//!    threads write to a subscriber) and [`monitor`] (every command, shown
//!    to MONITOR clients) (lecture 08, optional).
//! 9. [`rdb`]: snapshots on disk in Redis's RDB format, SAVE and BGSAVE,
//!    the save policy, loading at start, DUMP and RESTORE; [`aof`]: the
//!    append-only file, every write logged in Redis 7's multi-part layout
//!    and replayed at start; [`cron`]: the thread that starts a due or
//!    scheduled BGSAVE or rewrite, one at a time (lecture 09, optional).
//!
//! [`bytes`] is the byte string of every key and string; [`set`] and
//! [`sorted_set`] are the structures behind those values, both built on
//! [`table`]; [`float`] reads and writes doubles as Redis does,
//! [`long_double`] is C's `long double` for HINCRBYFLOAT and INCRBYFLOAT,
//! and [`random`] draws the random members of SPOP and its kin. [`client`]
//! is one connection's own state, [`config`] reads the command line and
//! [`log`] prints Redis-style log lines.
//!
//! Imports point one way: `bytes` is imported by the value structures, which
//! `value` imports; `commands` know the store, the values and the protocol,
//! never the lock or the network; `executor` knows `commands` and the lock;
//! `aof` knows the store and the protocol but not `commands`: the executor
//! notes each write for it, and lends it the replay at start;
//! `server` knows them all, and nothing imports `server`.
#![deny(unsafe_code)]

pub mod acl;
pub mod aof;
pub mod bytes;
pub mod client;
pub mod commands;
pub mod config;
pub mod connection;
pub mod cron;
pub mod db;
pub mod executor;
pub mod expiry;
pub mod float;
pub mod hash;
pub mod list;
pub mod log;
pub mod long_double;
pub mod monitor;
pub mod protocol;
pub mod pubsub;
pub mod random;
pub mod rdb;
pub mod server;
pub mod set;
pub mod shutdown;
pub mod slots;
pub mod sorted_set;
pub mod storage;
pub mod sys;
pub mod table;
pub mod transaction;
pub mod value;
pub mod waiters;
