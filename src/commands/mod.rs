//! Commands: from a [`Request`] to a typed [`Command`], ready to apply.
//!
//! Every command is handled in two stages, as in Redis:
//!
//! 1. **Parse**, with no lock held: the name is looked up in [`COMMANDS`]
//!    (ignoring case), the argument count checked, and the arguments turned
//!    into a typed value (a [`strings::Set`] knows its key, value, condition
//!    and expiry). Every syntax error ends here, before the keyspace is
//!    touched.
//! 2. **Apply**, by the executor. A parsed command says what it needs by its
//!    kind: a [`ReadCommand`] is lent `&Store`, a [`WriteCommand`] `&mut
//!    Store`, a [`ClientCommand`] only its own [`Client`]. The executor takes
//!    the lock; command code never sees it, so it cannot hold it too long.
//!
//! The commands live in one file per group, as in Redis's documentation:
//! [`strings`], [`keys`], [`lists`], [`hashes`], [`sets`], [`zsets`]
//! (sorted sets), [`session`] (Redis's "connection" group) and [`auth`]
//! (AUTH and ACL), [`admin`], [`info`] and [`catalog`] (its "server"
//! group), [`blocking`], [`transactions`], [`persistence`] and
//! [`pubsub`]. What `COMMAND INFO` and `COMMAND DOCS` say of each
//! command is Redis's own description of it, kept in [`docs`].

pub mod admin;
pub mod aof;
pub mod auth;
pub mod blocking;
pub mod catalog;
pub mod docs;
mod docs_data;
pub mod error;
pub mod glob;
pub mod hashes;
pub mod info;
pub mod keys;
pub mod lcs;
pub mod lists;
pub mod memory;
pub mod object;
pub mod persistence;
pub mod pubsub;
pub mod scan;
pub mod session;
pub mod sets;
pub mod strings;
pub mod transactions;
pub mod zsets;

use std::sync::atomic::AtomicU64;
use std::sync::Arc;
use std::time::{Duration, Instant};

pub use error::CommandError;

use crate::acl::Users;
use crate::aof::Aof;
use crate::client::Client;
use crate::config::Config;
use crate::protocol::{Reply, Request};
use crate::pubsub::PubSub;
use crate::rdb::snapshot::Persistence;
use crate::slots::ClientSlots;
use crate::storage::Store;

/// What applying a command gives: a reply, or an error to reply with.
pub type CommandResult = Result<Reply, CommandError>;

/// A parsed command, by what it needs to run.
pub enum Command {
    /// Looks at the keyspace: runs under the shared read lock.
    Read(Box<dyn ReadCommand>),
    /// Changes the keyspace: runs under the write lock, alone.
    Write(Box<dyn WriteCommand>),
    /// Needs no keyspace: about this connection or the server (PING, HELLO).
    Client(Box<dyn ClientCommand>),
    /// Changes how the executor runs the commands that follow (MULTI, EXEC).
    Control(transactions::Control),
    /// May have to wait for another client's write (BLPOP).
    Blocking(Box<dyn BlockingCommand>),
    /// About who hears what: subscriptions, PUBLISH, MONITOR ([`pubsub`]).
    PubSub(pubsub::PubSubCommand),
}

/// A command that only reads the keyspace (GET, TTL).
pub trait ReadCommand {
    fn apply(&self, store: &Store, ctx: &Context) -> CommandResult;

    /// The keys it looked up. A reader cannot delete, so the executor
    /// deletes those of them that had expired once the read is done.
    fn keys(&self) -> &[Vec<u8>];
}

/// A command that changes the keyspace (SET, DEL). It is consumed, so it
/// can move its key and value into the store without copying them.
pub trait WriteCommand {
    fn apply(self: Box<Self>, store: &mut Store, ctx: &Context) -> CommandResult;
}

/// A command that waits for data (BLPOP, BRPOP): it is tried under the
/// write lock, and if it cannot be served yet, its client waits with no lock
/// held, until a write to one of its keys serves it or the timeout passes.
/// It is `Send` because the client whose write serves it runs it, on its
/// own thread, under the same write lock as that write.
pub trait BlockingCommand: Send {
    /// Serves the command if it can; `None` means: wait. `serving` is true
    /// when a writer tries it for a waiting client: a key of another type
    /// is then skipped, as Redis serves a blocked client from any key that
    /// can serve it; on the first try it is WRONGTYPE at once.
    fn try_apply(
        &mut self,
        store: &mut Store,
        ctx: &Context,
        serving: bool,
    ) -> Option<CommandResult>;

    /// The keys whose writes may serve it.
    fn keys(&self) -> &[Vec<u8>];

    /// How long to wait at most; `None`: for ever (a timeout of 0).
    fn timeout(&self) -> Option<Duration>;

    /// The reply when the time is up.
    fn timed_out(&self) -> Reply {
        Reply::NullArray
    }

    /// The reply when there is nothing to take inside MULTI, where nothing
    /// waits: Redis runs the command's non-blocking twin there.
    fn nothing_in_transaction(&self) -> Reply {
        self.timed_out()
    }
}

/// A command about the client or the server, not the keyspace.
pub trait ClientCommand {
    fn apply(self: Box<Self>, client: &mut Client, ctx: &Context) -> CommandResult;
}

/// What the server shares with commands: its settings and counters, never
/// its lock.
#[derive(Clone, Copy)]
pub struct Env<'a> {
    pub config: &'a Config,
    /// The port really listened on (the configured one may be 0).
    pub port: u16,
    pub started: Instant,
    pub slots: &'a ClientSlots,
    /// The users and their passwords (AUTH, ACL, CONFIG SET requirepass).
    pub users: &'a Users,
    pub commands_processed: &'a AtomicU64,
    /// The append-only file: BGREWRITEAOF, CONFIG and INFO reach it here.
    pub aof: &'a std::sync::Arc<Aof>,
    /// The subscriptions, for pub/sub commands queued in a transaction,
    /// which EXEC runs with the other queued commands.
    pub pubsub: &'a Arc<PubSub>,
    /// The dump on disk: its name, the save policy, the saves so far.
    pub persistence: &'a Arc<Persistence>,
}

/// Everything a command may look at besides its keyspace or client.
pub struct Context<'a> {
    /// The time, read once per command, so one command sees one "now".
    pub now_ms: u64,
    pub env: &'a Env<'a>,
}

/// Turns a request's arguments into a command; the arity is already checked.
/// It is given the time the command runs at, to turn `EX 10` into a moment.
pub type Parser = fn(Request, u64) -> Result<Command, CommandError>;

/// One row of the command table.
pub struct Spec {
    /// Lowercase, as Redis names it in errors and in COMMAND.
    pub name: &'static str,
    /// Redis's convention, name included: `2` means exactly two words
    /// (`GET key`), `-3` means at least three (`SET key value [options]`).
    pub arity: i32,
    pub parse: Parser,
}

/// Whether `argc` words (name included) fit `arity`, in Redis's convention.
pub fn arity_fits(arity: i32, argc: usize) -> bool {
    //@ step 3: Positive arity: exactly that many words; negative: at least that many.
    let words = arity.unsigned_abs() as usize;
    if arity >= 0 {
        argc == words
    } else {
        argc >= words
    }
    //@ end step 3
}

/// A row of the table: name, arity, parser.
const fn row(name: &'static str, arity: i32, parse: Parser) -> Spec {
    Spec { name, arity, parse }
}

/// Every command this server knows; COMMAND ([`catalog`]) describes them.
#[rustfmt::skip]
pub static COMMANDS: &[Spec] = &[
    // The workshop's six.
    row("ping", -1, session::parse_ping),
    row("get", 2, strings::parse_get),
    row("set", -3, strings::parse_set),
    row("incr", 2, strings::parse_incr),
    row("expire", -3, keys::parse_expire),
    row("ttl", 2, keys::parse_ttl),
    // Strings.
    row("echo", 2, session::parse_echo),
    row("setnx", 3, strings::parse_setnx),
    row("setex", 4, strings::parse_setex),
    row("psetex", 4, strings::parse_psetex),
    row("getset", 3, strings::parse_getset),
    row("getdel", 2, strings::parse_getdel),
    row("mget", -2, strings::parse_mget),
    row("mset", -3, strings::parse_mset),
    row("msetnx", -3, strings::parse_msetnx),
    row("decr", 2, strings::parse_decr),
    row("incrby", 3, strings::parse_incrby),
    row("decrby", 3, strings::parse_decrby),
    row("append", 3, strings::parse_append),
    row("strlen", 2, strings::parse_strlen),
    row("incrbyfloat", 3, strings::parse_incrbyfloat),
    row("getex", -2, strings::parse_getex),
    row("getrange", 4, strings::parse_getrange),
    row("substr", 4, strings::parse_getrange),
    row("setrange", 4, strings::parse_setrange),
    row("lcs", -3, strings::parse_lcs),
    // Keys.
    row("del", -2, keys::parse_del),
    row("unlink", -2, keys::parse_del),
    row("exists", -2, keys::parse_exists),
    row("type", 2, keys::parse_type),
    row("object", -2, object::parse_object),
    row("keys", 2, keys::parse_keys),
    row("pexpire", -3, keys::parse_pexpire),
    row("expireat", -3, keys::parse_expireat),
    row("pexpireat", -3, keys::parse_pexpireat),
    row("pttl", 2, keys::parse_pttl),
    row("expiretime", 2, keys::parse_expiretime),
    row("pexpiretime", 2, keys::parse_pexpiretime),
    row("persist", 2, keys::parse_persist),
    row("rename", 3, keys::parse_rename),
    row("renamenx", 3, keys::parse_renamenx),
    row("copy", -3, keys::parse_copy),
    row("touch", -2, keys::parse_touch),
    row("randomkey", 1, keys::parse_randomkey),
    row("scan", -2, scan::parse_scan),
    // Connection.
    row("hello", -1, session::parse_hello),
    row("auth", -2, auth::parse_auth),
    row("quit", -1, session::parse_quit),
    row("select", 2, session::parse_select),
    row("client", -2, session::parse_client),
    // Server.
    row("dbsize", 1, admin::parse_dbsize),
    row("flushdb", -1, admin::parse_flush),
    row("flushall", -1, admin::parse_flush),
    row("command", -1, catalog::parse_command),
    row("config", -2, admin::parse_config),
    row("info", -1, info::parse_info),
    row("time", 1, admin::parse_time),
    row("memory", -2, memory::parse_memory),
    row("shutdown", -1, admin::parse_shutdown),
    row("acl", -2, auth::parse_acl),
    // Persistence.
    row("save", 1, persistence::parse_save),
    row("bgsave", -1, persistence::parse_bgsave),
    row("lastsave", 1, persistence::parse_lastsave),
    row("dump", 2, persistence::parse_dump),
    row("restore", -4, persistence::parse_restore),
    row("bgrewriteaof", 1, aof::parse_bgrewriteaof),
    // Lists.
    row("lpush", -3, lists::parse_lpush),
    row("rpush", -3, lists::parse_rpush),
    row("lpushx", -3, lists::parse_lpushx),
    row("rpushx", -3, lists::parse_rpushx),
    row("lpop", -2, lists::parse_lpop),
    row("rpop", -2, lists::parse_rpop),
    row("llen", 2, lists::parse_llen),
    row("lrange", 4, lists::parse_lrange),
    row("lindex", 3, lists::parse_lindex),
    row("lset", 4, lists::parse_lset),
    row("lrem", 4, lists::parse_lrem),
    row("ltrim", 4, lists::parse_ltrim),
    row("linsert", 5, lists::parse_linsert),
    row("lpos", -3, lists::parse_lpos),
    row("lmove", 5, lists::parse_lmove),
    row("rpoplpush", 3, lists::parse_rpoplpush),
    row("lmpop", -4, lists::parse_lmpop),
    // Hashes.
    row("hset", -4, hashes::parse_hset),
    row("hsetnx", 4, hashes::parse_hsetnx),
    row("hget", 3, hashes::parse_hget),
    row("hmget", -3, hashes::parse_hmget),
    row("hmset", -4, hashes::parse_hmset),
    row("hdel", -3, hashes::parse_hdel),
    row("hlen", 2, hashes::parse_hlen),
    row("hexists", 3, hashes::parse_hexists),
    row("hgetall", 2, hashes::parse_hgetall),
    row("hkeys", 2, hashes::parse_hkeys),
    row("hvals", 2, hashes::parse_hvals),
    row("hincrby", 4, hashes::parse_hincrby),
    row("hincrbyfloat", 4, hashes::parse_hincrbyfloat),
    row("hstrlen", 3, hashes::parse_hstrlen),
    row("hrandfield", -2, hashes::parse_hrandfield),
    row("hscan", -3, hashes::parse_hscan),
    // Blocking pops.
    row("blpop", -3, blocking::parse_blpop),
    row("brpop", -3, blocking::parse_brpop),
    row("blmove", 6, blocking::parse_blmove),
    row("brpoplpush", 4, blocking::parse_brpoplpush),
    row("blmpop", -5, blocking::parse_blmpop),
    row("bzpopmin", -3, blocking::parse_bzpopmin),
    row("bzpopmax", -3, blocking::parse_bzpopmax),
    // Transactions.
    row("multi", 1, transactions::parse_multi),
    row("exec", 1, transactions::parse_exec),
    row("discard", 1, transactions::parse_discard),
    row("watch", -2, transactions::parse_watch),
    row("unwatch", 1, transactions::parse_unwatch),
    // Sets.
    row("sadd", -3, sets::parse_sadd),
    row("srem", -3, sets::parse_srem),
    row("scard", 2, sets::parse_scard),
    row("sismember", 3, sets::parse_sismember),
    row("smismember", -3, sets::parse_smismember),
    row("smembers", 2, sets::parse_smembers),
    row("spop", -2, sets::parse_spop),
    row("srandmember", -2, sets::parse_srandmember),
    row("smove", 4, sets::parse_smove),
    row("sinter", -2, sets::parse_sinter),
    row("sinterstore", -3, sets::parse_sinterstore),
    row("sintercard", -3, sets::parse_sintercard),
    row("sunion", -2, sets::parse_sunion),
    row("sunionstore", -3, sets::parse_sunionstore),
    row("sdiff", -2, sets::parse_sdiff),
    row("sdiffstore", -3, sets::parse_sdiffstore),
    row("sscan", -3, sets::parse_sscan),
    // Sorted sets.
    row("zadd", -4, zsets::parse_zadd),
    row("zincrby", 4, zsets::parse_zincrby),
    row("zscore", 3, zsets::parse_zscore),
    row("zmscore", -3, zsets::parse_zmscore),
    row("zcard", 2, zsets::parse_zcard),
    row("zcount", 4, zsets::parse_zcount),
    row("zlexcount", 4, zsets::parse_zlexcount),
    row("zrank", 3, zsets::parse_zrank),
    row("zrevrank", 3, zsets::parse_zrevrank),
    row("zrem", -3, zsets::parse_zrem),
    row("zrange", -4, zsets::parse_zrange),
    row("zrangestore", -5, zsets::parse_zrangestore),
    row("zrangebyscore", -4, zsets::parse_zrangebyscore),
    row("zrevrange", -4, zsets::parse_zrevrange),
    row("zrevrangebyscore", -4, zsets::parse_zrevrangebyscore),
    row("zrangebylex", -4, zsets::parse_zrangebylex),
    row("zrevrangebylex", -4, zsets::parse_zrevrangebylex),
    row("zpopmin", -2, zsets::parse_zpopmin),
    row("zpopmax", -2, zsets::parse_zpopmax),
    row("zremrangebyrank", 4, zsets::parse_zremrangebyrank),
    row("zremrangebyscore", 4, zsets::parse_zremrangebyscore),
    row("zremrangebylex", 4, zsets::parse_zremrangebylex),
    row("zunionstore", -4, zsets::parse_zunionstore),
    row("zinterstore", -4, zsets::parse_zinterstore),
    row("zunion", -3, zsets::parse_zunion),
    row("zinter", -3, zsets::parse_zinter),
    row("zdiff", -3, zsets::parse_zdiff),
    row("zdiffstore", -4, zsets::parse_zdiffstore),
    row("zintercard", -3, zsets::parse_zintercard),
    row("zrandmember", -2, zsets::parse_zrandmember),
    row("zscan", -3, zsets::parse_zscan),
    // Pub/sub.
    row("subscribe", -2, pubsub::parse_subscribe),
    row("unsubscribe", -1, pubsub::parse_unsubscribe),
    row("psubscribe", -2, pubsub::parse_psubscribe),
    row("punsubscribe", -1, pubsub::parse_punsubscribe),
    row("publish", 3, pubsub::parse_publish),
    row("pubsub", -2, pubsub::parse_pubsub),
    row("ssubscribe", -2, pubsub::parse_ssubscribe),
    row("sunsubscribe", -1, pubsub::parse_sunsubscribe),
    row("spublish", 3, pubsub::parse_spublish),
    row("monitor", 1, pubsub::parse_monitor),
    row("reset", 1, pubsub::parse_reset),
];

/// Finds a command by name, ignoring case. A plain scan: the table is
/// short, and the commands clients send most sit at its top.
pub fn lookup(name: &[u8]) -> Option<&'static Spec> {
    //@ step 3: Find the command in COMMANDS whose name matches, ignoring ASCII case.
    COMMANDS
        .iter()
        .find(|c| c.name.as_bytes().eq_ignore_ascii_case(name))
    //@ end step 3
}

/// Looks a request's command up, checks its arity and parses it: every error
/// a request can have without looking at the keyspace. The second value is
/// whether Redis counts it as processed: it rejects unknown names and wrong
/// arity (of a subcommand too) before that, but counts a syntax error that
/// the command itself finds.
pub fn parse(request: Request, now_ms: u64) -> (Result<Command, CommandError>, bool) {
    let spec = lookup(&request[0]);
    parse_found(spec, request, now_ms)
}

/// [`parse`] once the name has been looked up: `spec` is its row, or `None`
/// for a name the table does not have. MULTI's queue looks the name up
/// itself, to know what it queues, and then calls this.
pub fn parse_found(
    spec: Option<&'static Spec>,
    request: Request,
    now_ms: u64,
) -> (Result<Command, CommandError>, bool) {
    //@ step 3: No row (`None`): UnknownCommand; check `arity_fits` (else WrongArity), then call the row's `parse`; say whether it counts.
    match spec {
        None => (Err(CommandError::UnknownCommand(request)), false),
        Some(spec) if !arity_fits(spec.arity, request.len()) => {
            (Err(CommandError::WrongArity(spec.name)), false)
        }
        Some(spec) => {
            let parsed = (spec.parse)(request, now_ms);
            let counted = !matches!(&parsed, Err(err) if err.rejects_subcommand());
            (parsed, counted)
        }
    }
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

/// Moves argument `index` out of a request (it is not needed there again).
pub fn take_arg(request: &mut Request, index: usize) -> Vec<u8> {
    std::mem::take(&mut request[index])
}

/// Parses and applies one command to `store` at time `now`, as the executor
/// would (lazy expiry for readers aside): for unit tests of commands that
/// need a value no command can make yet, or a time of their choosing.
#[cfg(test)]
pub(crate) fn run_on(store: &mut Store, line: &str, now: u64) -> CommandResult {
    let config = Config::default();
    let slots = ClientSlots::new(1);
    let processed = AtomicU64::new(0);
    let pubsub = Arc::default();
    let users = Users::new(None);
    let aof = std::sync::Arc::new(Aof::new(
        &config.aof,
        std::path::Path::new("."),
        Arc::default(),
    ));
    let persistence = Arc::new(Persistence::new("dump.rdb".into(), vec![], Arc::default()));
    let env = Env {
        config: &config,
        port: 0,
        started: Instant::now(),
        slots: &slots,
        users: &users,
        commands_processed: &processed,
        aof: &aof,
        pubsub: &pubsub,
        persistence: &persistence,
    };
    let ctx = Context {
        now_ms: now,
        env: &env,
    };
    let request = crate::protocol::parse_inline(line.as_bytes()).expect("the line parses");
    let reply = match parse(request, now).0? {
        Command::Read(command) => command.apply(store, &ctx),
        Command::Write(command) => command.apply(store, &ctx),
        _ => panic!("{line} is neither a reader nor a writer"),
    };
    store.settle_changes(reply.is_ok());
    reply
}
