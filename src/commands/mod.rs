//! Commands: from a parsed [`Request`] to a [`Reply`].
//!
//! [`execute`] looks the command name up in [`COMMANDS`] (case-insensitively),
//! checks the argument count the way Redis does, and calls the command's
//! function. Each function takes the lock it needs, for as short a time as it
//! can: readers (`GET`) share the store, writers (`SET`) have it alone, and no
//! lock is ever held while talking to a client.
//!
//! The commands live in one file per group, as in Redis's documentation:
//! [`strings`], [`keys`], [`connection`] and [`server`].
//! What `COMMAND INFO` and `COMMAND DOCS` say of each command is Redis's
//! own description of it, kept in [`docs`].

pub mod connection;
pub mod docs;
mod docs_data;
pub mod error;
pub mod glob;
pub mod keys;
pub mod server;
pub mod strings;

use std::sync::{RwLockReadGuard, RwLockWriteGuard};

pub use error::CommandError;

use crate::protocol::{Reply, Request};
use crate::server::{Client, Server};
use crate::storage::{self, Store};

/// What a command function returns.
pub type CommandResult = Result<Reply, CommandError>;

/// Everything a command may look at or change.
pub struct Context<'a> {
    pub server: &'a Server,
    pub client: &'a mut Client,
    /// The time, read once per command, so one command sees one "now".
    pub now_ms: u64,
}

impl Context<'_> {
    /// Shared access to the store, for commands that only look.
    pub fn read(&self) -> RwLockReadGuard<'_, Store> {
        storage::read(&self.server.store)
    }

    /// Sole access to the store, for commands that change it.
    pub fn write(&self) -> RwLockWriteGuard<'_, Store> {
        storage::write(&self.server.store)
    }
}

/// One entry of the command table: how to run a command and how to describe
/// it to `COMMAND INFO` and `COMMAND DOCS`.
pub struct Command {
    /// Lowercase, as Redis names it in errors and in COMMAND.
    pub name: &'static str,
    /// Redis's convention, name included: `2` means exactly two words
    /// (`GET key`), `-3` means at least three (`SET key value [options]`).
    pub arity: i32,
    /// The command itself. It may move its arguments out of the request:
    /// SET hands the value to the store instead of copying it.
    pub run: fn(&mut Context, &mut Request) -> CommandResult,
    /// COMMAND INFO flags, such as `write`, `readonly`, `fast`.
    pub flags: &'static [&'static str],
    /// Positions of the first and last key and the step between keys (0 if none).
    pub keys: (i64, i64, i64),
    /// Documentation group (`string`, `generic`, `connection`, `server`).
    pub group: &'static str,
    pub since: &'static str,
    pub summary: &'static str,
}

/// Whether `argc` words (name included) fit `arity`, in Redis's convention.
fn arity_fits(arity: i32, argc: usize) -> bool {
    //@ step 3: Positive arity: exactly that many words; negative: at least that many.
    let words = arity.unsigned_abs() as usize;
    if arity >= 0 {
        argc == words
    } else {
        argc >= words
    }
    //@ end step 3
}

/// Shorthand for the table below: one line per command reads better than
/// a struct literal of eight fields.
#[allow(clippy::too_many_arguments)]
const fn cmd(
    name: &'static str,
    arity: i32,
    run: fn(&mut Context, &mut Request) -> CommandResult,
    flags: &'static [&'static str],
    keys: (i64, i64, i64),
    group: &'static str,
    since: &'static str,
    summary: &'static str,
) -> Command {
    Command {
        name,
        arity,
        run,
        flags,
        keys,
        group,
        since,
        summary,
    }
}

const READ: &[&str] = &["readonly", "fast"];
const WRITE: &[&str] = &["write", "denyoom", "fast"];
const WRITE_SLOW: &[&str] = &["write"];
const NO_KEYS: (i64, i64, i64) = (0, 0, 0);
const ONE_KEY: (i64, i64, i64) = (1, 1, 1);
const ALL_KEYS: (i64, i64, i64) = (1, -1, 1);

/// Every command this server knows.
pub static COMMANDS: &[Command] = &[
    // The workshop's six.
    cmd("ping", -1, connection::ping, &["fast"], NO_KEYS, "connection", "1.0.0", "Returns the server's liveliness response."),
    cmd("get", 2, strings::get, READ, ONE_KEY, "string", "1.0.0", "Returns the string value of a key."),
    cmd("set", -3, strings::set, &["write", "denyoom"], ONE_KEY, "string", "1.0.0", "Sets the string value of a key, ignoring its type. The key is created if it doesn't exist."),
    cmd("incr", 2, strings::incr, WRITE, ONE_KEY, "string", "1.0.0", "Increments the integer value of a key by one. Uses 0 as initial value if the key doesn't exist."),
    cmd("expire", -3, keys::expire, WRITE_SLOW, ONE_KEY, "generic", "1.0.0", "Sets the expiration time of a key in seconds."),
    cmd("ttl", 2, keys::ttl, READ, ONE_KEY, "generic", "1.0.0", "Returns the expiration time in seconds of a key."),
    // Strings.
    cmd("echo", 2, connection::echo, &["fast"], NO_KEYS, "connection", "1.0.0", "Returns the given string."),
    cmd("setnx", 3, strings::setnx, WRITE, ONE_KEY, "string", "1.0.0", "Set the string value of a key only when the key doesn't exist."),
    cmd("setex", 4, strings::setex, &["write", "denyoom"], ONE_KEY, "string", "2.0.0", "Sets the string value and expiration time of a key. Creates the key if it doesn't exist."),
    cmd("psetex", 4, strings::psetex, &["write", "denyoom"], ONE_KEY, "string", "2.6.0", "Sets both string value and expiration time in milliseconds of a key. The key is created if it doesn't exist."),
    cmd("getset", 3, strings::getset, WRITE, ONE_KEY, "string", "1.0.0", "Returns the previous string value of a key after setting it to a new value."),
    cmd("getdel", 2, strings::getdel, &["write", "fast"], ONE_KEY, "string", "6.2.0", "Returns the string value of a key after deleting the key."),
    cmd("mget", -2, strings::mget, READ, ALL_KEYS, "string", "1.0.0", "Atomically returns the string values of one or more keys."),
    cmd("mset", -3, strings::mset, &["write", "denyoom"], (1, -1, 2), "string", "1.0.1", "Atomically creates or modifies the string values of one or more keys."),
    cmd("msetnx", -3, strings::msetnx, &["write", "denyoom"], (1, -1, 2), "string", "1.0.1", "Atomically modifies the string values of one or more keys only when all keys don't exist."),
    cmd("decr", 2, strings::decr, WRITE, ONE_KEY, "string", "1.0.0", "Decrements the integer value of a key by one. Uses 0 as initial value if the key doesn't exist."),
    cmd("incrby", 3, strings::incrby, WRITE, ONE_KEY, "string", "1.0.0", "Increments the integer value of a key by a number. Uses 0 as initial value if the key doesn't exist."),
    cmd("decrby", 3, strings::decrby, WRITE, ONE_KEY, "string", "1.0.0", "Decrements a number from the integer value of a key. Uses 0 as initial value if the key doesn't exist."),
    cmd("append", 3, strings::append, WRITE, ONE_KEY, "string", "2.0.0", "Appends a string to the value of a key. Creates the key if it doesn't exist."),
    cmd("strlen", 2, strings::strlen, READ, ONE_KEY, "string", "2.2.0", "Returns the length of a string value."),
    // Keys.
    cmd("del", -2, keys::del, WRITE_SLOW, ALL_KEYS, "generic", "1.0.0", "Deletes one or more keys."),
    cmd("unlink", -2, keys::del, &["write", "fast"], ALL_KEYS, "generic", "4.0.0", "Asynchronously deletes one or more keys."),
    cmd("exists", -2, keys::exists, READ, ALL_KEYS, "generic", "1.0.0", "Determines whether one or more keys exist."),
    cmd("type", 2, keys::type_of, READ, ONE_KEY, "generic", "1.0.0", "Determines the type of value stored at a key."),
    cmd("keys", 2, keys::keys, &["readonly"], NO_KEYS, "generic", "1.0.0", "Returns all key names that match a pattern."),
    cmd("pexpire", -3, keys::pexpire, WRITE_SLOW, ONE_KEY, "generic", "2.6.0", "Sets the expiration time of a key in milliseconds."),
    cmd("expireat", -3, keys::expireat, WRITE_SLOW, ONE_KEY, "generic", "1.2.0", "Sets the expiration time of a key to a Unix timestamp."),
    cmd("pexpireat", -3, keys::pexpireat, WRITE_SLOW, ONE_KEY, "generic", "2.6.0", "Sets the expiration time of a key to a Unix milliseconds timestamp."),
    cmd("pttl", 2, keys::pttl, READ, ONE_KEY, "generic", "2.6.0", "Returns the expiration time in milliseconds of a key."),
    cmd("expiretime", 2, keys::expiretime, READ, ONE_KEY, "generic", "7.0.0", "Returns the expiration time of a key as a Unix timestamp."),
    cmd("pexpiretime", 2, keys::pexpiretime, READ, ONE_KEY, "generic", "7.0.0", "Returns the expiration time of a key as a Unix milliseconds timestamp."),
    cmd("persist", 2, keys::persist, &["write", "fast"], ONE_KEY, "generic", "2.2.0", "Removes the expiration time of a key."),
    // Connection.
    cmd("hello", -1, connection::hello, &["noscript", "loading", "stale", "fast", "no_auth"], NO_KEYS, "connection", "6.0.0", "Handshakes with the Redis server."),
    cmd("auth", -2, connection::auth, &["noscript", "loading", "stale", "fast", "no_auth"], NO_KEYS, "connection", "1.0.0", "Authenticates the connection."),
    cmd("quit", -1, connection::quit, &["noscript", "loading", "stale", "fast", "no_auth"], NO_KEYS, "connection", "1.0.0", "Closes the connection."),
    cmd("select", 2, connection::select, &["loading", "stale", "fast"], NO_KEYS, "connection", "1.0.0", "Changes the selected database."),
    cmd("client", -2, connection::client, &[], NO_KEYS, "connection", "2.4.0", "A container for client connection commands."),
    // Server.
    cmd("dbsize", 1, server::dbsize, READ, NO_KEYS, "server", "1.0.0", "Returns the number of keys in the database."),
    cmd("flushdb", -1, server::flush, WRITE_SLOW, NO_KEYS, "server", "1.0.0", "Removes all keys from the current database."),
    cmd("flushall", -1, server::flush, WRITE_SLOW, NO_KEYS, "server", "1.0.0", "Removes all keys from all databases."),
    cmd("command", -1, server::command, &["loading", "stale"], NO_KEYS, "server", "2.8.13", "Returns detailed information about all commands."),
    cmd("config", -2, server::config, &[], NO_KEYS, "server", "2.0.0", "A container for server configuration commands."),
    cmd("info", -1, server::info, &["loading", "stale"], NO_KEYS, "server", "1.0.0", "Returns information and statistics about the server."),
    cmd("time", 1, server::time, &["loading", "stale", "fast"], NO_KEYS, "server", "2.6.0", "Returns the server time."),
    cmd("shutdown", -1, server::shutdown, &["admin", "noscript", "loading", "stale", "no_multi", "allow_busy"], NO_KEYS, "server", "1.0.0", "Synchronously saves the database(s) to disk and shuts down the Redis server."),
];

/// Finds a command by name, ignoring case. A plain scan: the table is
/// short, and the commands clients send most sit at its top.
pub fn lookup(name: &[u8]) -> Option<&'static Command> {
    //@ step 3: Find the command in COMMANDS whose name matches, ignoring ASCII case.
    COMMANDS
        .iter()
        .find(|c| c.name.as_bytes().eq_ignore_ascii_case(name))
    //@ end step 3
}

/// Runs one request and returns its reply. Errors become `-ERR ...` replies
/// here, in one place.
pub fn execute(ctx: &mut Context, mut request: Request) -> Reply {
    //@ step 3: Look the name up, check the arity, run the command; unknown names, wrong arity and command errors become Reply::Error.
    let outcome = match lookup(&request[0]) {
        None => Err(CommandError::UnknownCommand(request)),
        Some(command) if !arity_fits(command.arity, request.len()) => {
            Err(CommandError::WrongArity(command.name))
        }
        Some(command) => (command.run)(ctx, &mut request),
    };
    outcome.unwrap_or_else(|err| Reply::Error(err.to_string()))
    //@ end step 3
}

/// Checks a subcommand's argument count, naming it `container|sub` as Redis does.
pub fn check_arity(
    request: &Request,
    arity: i32,
    full_name: &'static str,
) -> Result<(), CommandError> {
    if arity_fits(arity, request.len()) {
        Ok(())
    } else {
        Err(CommandError::WrongArity(full_name))
    }
}

/// Parses an integer argument with Redis's strict rules.
pub fn parse_int(arg: &[u8]) -> Result<i64, CommandError> {
    crate::protocol::parse_i64(arg).ok_or(CommandError::NotAnInteger)
}
