//! Commands about the server as a whole (Redis's "server" group): DBSIZE,
//! FLUSHDB, FLUSHALL, CONFIG, TIME and SHUTDOWN. INFO has its own file,
//! [`info`](super::info), and so has COMMAND, [`catalog`](super::catalog).

use std::sync::atomic::Ordering;
use std::time::{SystemTime, UNIX_EPOCH};

use super::aof;
use super::session::help;
use super::{check_arity, glob, parse_int, take_arg, ClientCommand, Command, CommandError};
use super::{CommandResult, Context, ReadCommand, WriteCommand};
use crate::client::{Client, Hangup};
use crate::config::{format_save_policy, format_yes_no, parse_save_policy, parse_yes_no, SaveRule};
use crate::protocol::{Reply, Request};
use crate::storage::Store;

/// `DBSIZE`: keys in the store, counting expired ones not yet deleted (as Redis).
pub struct DbSize;

pub fn parse_dbsize(_request: Request, _now_ms: u64) -> Result<Command, CommandError> {
    Ok(Command::Read(Box::new(DbSize)))
}

impl ReadCommand for DbSize {
    fn apply(&self, store: &Store, _ctx: &Context) -> CommandResult {
        Ok(Reply::Integer(store.len() as i64))
    }

    fn keys(&self) -> &[Vec<u8>] {
        &[]
    }
}

/// `FLUSHDB [ASYNC|SYNC]` and `FLUSHALL [ASYNC|SYNC]`: one database, so the
/// same keys go. Either way the old keyspace is freed after the lock is
/// released. FLUSHALL also saves the empty keyspace when a save policy
/// exists, as Redis's `flushAllDataAndResetRDB`, so that a restart does not
/// bring the flushed keys back from the last dump.
pub struct Flush {
    all: bool,
}

pub fn parse_flush(request: Request, _now_ms: u64) -> Result<Command, CommandError> {
    match &request[1..] {
        [] => {}
        [mode] if mode.eq_ignore_ascii_case(b"async") || mode.eq_ignore_ascii_case(b"sync") => {}
        _ => return Err(CommandError::Syntax),
    }
    let all = request[0].eq_ignore_ascii_case(b"flushall");
    Ok(Command::Write(Box::new(Flush { all })))
}

impl WriteCommand for Flush {
    fn apply(self: Box<Self>, store: &mut Store, ctx: &Context) -> CommandResult {
        store.clear();
        if self.all {
            // Redis answers OK even when this save fails (it logs why).
            let _ = ctx.env.persistence.save_flushed(store);
        }
        Ok(Reply::OK)
    }
}

/// `TIME`: Unix seconds and microseconds, as two bulk strings.
pub struct Time;

pub fn parse_time(_request: Request, _now_ms: u64) -> Result<Command, CommandError> {
    Ok(Command::Client(Box::new(Time)))
}

impl ClientCommand for Time {
    fn apply(self: Box<Self>, _client: &mut Client, _ctx: &Context) -> CommandResult {
        let now = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .unwrap_or_default();
        Ok(Reply::Array(vec![
            Reply::bulk(now.as_secs().to_string()),
            Reply::bulk(now.subsec_micros().to_string()),
        ]))
    }
}

/// `SHUTDOWN [NOSAVE|SAVE] [NOW] [FORCE] [ABORT]`: saves the dump if SAVE
/// says so or a save policy exists (and not NOSAVE), then stops the server.
/// The client gets no reply, unless the save fails.
pub struct Shutdown {
    save: Option<bool>,
}

pub fn parse_shutdown(request: Request, _now_ms: u64) -> Result<Command, CommandError> {
    let (mut save, mut nosave, mut other, mut abort) = (false, false, false, false);
    for option in &request[1..] {
        match option.to_ascii_lowercase().as_slice() {
            b"save" => save = true,
            b"nosave" => nosave = true,
            b"now" | b"force" => other = true,
            b"abort" => abort = true,
            _ => return Err(CommandError::Syntax),
        }
    }
    // Redis: ABORT takes no other option, and SAVE and NOSAVE contradict.
    if (abort && (save || nosave || other)) || (save && nosave) {
        return Err(CommandError::Syntax);
    }
    if abort {
        return Err(CommandError::NoShutdownInProgress);
    }
    let save = if save {
        Some(true)
    } else if nosave {
        Some(false)
    } else {
        None
    };
    Ok(Command::Client(Box::new(Shutdown { save })))
}

impl ClientCommand for Shutdown {
    fn apply(self: Box<Self>, client: &mut Client, _ctx: &Context) -> CommandResult {
        client.hangup = Some(Hangup::Shutdown { save: self.save });
        Ok(Reply::OK)
    }
}

/// CONFIG HELP, in Redis's words.
const CONFIG_HELP: &[&str] = &[
    "CONFIG <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
    "GET <pattern>",
    "    Return parameters matching the glob-like <pattern> and their values.",
    "SET <directive> <value>",
    "    Set the configuration <directive> to <value>.",
    "RESETSTAT",
    "    Reset statistics reported by the INFO command.",
    "REWRITE",
    "    Rewrite the configuration file.",
    "HELP",
    "    Prints this help.",
];

/// `CONFIG GET pattern [pattern ...]`: the settings whose names match.
pub struct ConfigGet {
    patterns: Vec<Vec<u8>>,
}

/// `CONFIG GET | SET | RESETSTAT | REWRITE | HELP`. Most settings are fixed
/// at start-up; CONFIG SET changes the few in [`Setting`] (and refuses
/// `dir` and `dbfilename` as Redis 7.0 refuses protected ones). There is no
/// configuration file for REWRITE.
pub fn parse_config(mut request: Request, _now_ms: u64) -> Result<Command, CommandError> {
    match request[1].to_ascii_lowercase().as_slice() {
        b"get" => {
            check_arity(&request, -3, "config|get")?;
            let patterns = request[2..]
                .iter()
                .map(|p| p.to_ascii_lowercase())
                .collect();
            Ok(Command::Client(Box::new(ConfigGet { patterns })))
        }
        b"set" => {
            check_arity(&request, -4, "config|set")?;
            parse_config_set(request)
        }
        b"resetstat" => {
            check_arity(&request, 2, "config|resetstat")?;
            Ok(Command::Write(Box::new(ResetStat)))
        }
        b"rewrite" => {
            check_arity(&request, 2, "config|rewrite")?;
            Err(CommandError::NoConfigFile)
        }
        b"help" => {
            check_arity(&request, 2, "config|help")?;
            help(CONFIG_HELP)
        }
        _ => {
            let sub = take_arg(&mut request, 1);
            Err(CommandError::UnknownSubcommand(sub, "CONFIG"))
        }
    }
}

impl ClientCommand for ConfigGet {
    fn apply(self: Box<Self>, _client: &mut Client, ctx: &Context) -> CommandResult {
        let pairs = config_values(ctx)
            .into_iter()
            .filter(|(name, _)| {
                self.patterns
                    .iter()
                    .any(|p| glob::matches(p, name.as_bytes()))
            })
            .map(|(name, value)| (Reply::bulk(name), Reply::bulk(value)))
            .collect();
        Ok(Reply::Map(pairs))
    }
}

/// The settings CONFIG GET can report, with their current values.
fn config_values(ctx: &Context) -> Vec<(&'static str, String)> {
    let config = ctx.env.config;
    let mut values = vec![
        ("bind", config.bind.to_string()),
        ("port", ctx.env.port.to_string()),
        ("maxclients", config.maxclients.to_string()),
        ("hz", config.hz.to_string()),
        ("timeout", ctx.env.slots.idle_timeout().to_string()),
        ("tcp-keepalive", ctx.env.slots.keepalive().to_string()),
        ("tcp-backlog", config.tcp_backlog.to_string()),
        (
            "loglevel",
            format!("{:?}", config.loglevel).to_ascii_lowercase(),
        ),
        ("databases", "1".to_string()),
        ("save", format_save_policy(&ctx.env.persistence.policy())),
        ("dbfilename", ctx.env.persistence.dbfilename.clone()),
        ("dir", current_dir()),
        (
            "stop-writes-on-bgsave-error",
            format_yes_no(ctx.env.persistence.stop_writes_on_error()),
        ),
    ];
    values.extend(ctx.env.aof.config_values());
    // Redis shows the password in clear to whoever may run CONFIG GET.
    let password = String::from_utf8_lossy(&ctx.env.users.requirepass()).into_owned();
    values.push(("requirepass", password));
    values
}

/// A setting CONFIG SET can change while the server runs, with its new value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Setting {
    /// `timeout`: idle seconds (for clients that connect from now on).
    Timeout(u64),
    /// `tcp-keepalive`: seconds (for clients that connect from now on).
    TcpKeepalive(u32),
    /// `requirepass`: the default user's one password; empty for none.
    RequirePass(Vec<u8>),
    /// `save`: the save policy, at once.
    Save(Vec<SaveRule>),
    /// `stop-writes-on-bgsave-error`: refuse writes after a failed BGSAVE.
    StopWritesOnBgsaveError(bool),
    /// One of the append-only file's settings.
    Aof(aof::Setting),
}

/// The names CONFIG SET knows, lower case.
const SETTINGS: [&str; 5] = [
    "timeout",
    "tcp-keepalive",
    "requirepass",
    "save",
    "stop-writes-on-bgsave-error",
];

/// Settings CONFIG GET shows that are fixed once the server has started.
const FIXED_SETTINGS: [&str; 4] = ["bind", "port", "databases", "tcp-backlog"];

/// `CONFIG SET name value [name value ...]`: every pair is checked first,
/// then all are set, or none, in the order of Redis's `configSetCommand`:
/// the names (unknown, fixed at start-up, given twice), then the values.
/// A writer, because turning the AOF on snapshots the keyspace.
pub struct ConfigSet {
    settings: Vec<Setting>,
}

fn parse_config_set(request: Request) -> Result<Command, CommandError> {
    if request.len() % 2 == 1 {
        return Err(CommandError::Syntax);
    }
    let pairs: Vec<(&[u8], &[u8])> = request[2..]
        .chunks(2)
        .map(|pair| (pair[0].as_slice(), pair[1].as_slice()))
        .collect();
    let mut names = Vec::new();
    for &(name, _) in &pairs {
        let known = setting_name(name)?;
        if names.contains(&known) {
            return Err(CommandError::ConfigSetFailed(
                name.to_vec(),
                "duplicate parameter",
            ));
        }
        names.push(known);
    }
    let mut settings = Vec::new();
    for (name, (_, value)) in names.into_iter().zip(pairs) {
        let failed = |why| CommandError::ConfigSetFailed(name.as_bytes().to_vec(), why);
        settings.push(setting(name, value).map_err(failed)?);
    }
    // The one that can fail while being made so goes first: if the AOF
    // cannot start, nothing else has changed.
    settings.sort_by_key(|s| !matches!(s, Setting::Aof(aof::Setting::AppendOnly(true))));
    Ok(Command::Write(Box::new(ConfigSet { settings })))
}

/// `name` as CONFIG SET knows it, or Redis's refusal of it.
fn setting_name(name: &[u8]) -> Result<&'static str, CommandError> {
    let lower = name.to_ascii_lowercase();
    let is = |known: &str| known.as_bytes() == lower;
    if let Some(known) = SETTINGS.into_iter().chain(aof::SETTINGS).find(|n| is(n)) {
        return Ok(known);
    }
    let refused = if FIXED_SETTINGS
        .into_iter()
        .chain(aof::FIXED_SETTINGS)
        .any(is)
    {
        "can't set immutable config"
    } else if lower == b"dir" || lower == b"dbfilename" {
        // Redis 7.0 protects these unless `enable-protected-configs`.
        "can't set protected config"
    } else {
        return Err(CommandError::ConfigSetUnsupported(name.to_vec()));
    };
    Err(CommandError::ConfigSetFailed(name.to_vec(), refused))
}

/// The setting `name` (known, lower case) set to `value`, or why not.
fn setting(name: &str, value: &[u8]) -> Result<Setting, &'static str> {
    let seconds = || match parse_int(value) {
        Err(_) => Err("argument couldn't be parsed into an integer"),
        Ok(n) if !(0..=i64::from(i32::MAX)).contains(&n) => {
            Err("argument must be between 0 and 2147483647 inclusive")
        }
        Ok(n) => Ok(n as u32),
    };
    Ok(match name {
        "timeout" => Setting::Timeout(seconds()?.into()),
        "tcp-keepalive" => Setting::TcpKeepalive(seconds()?),
        "requirepass" => Setting::RequirePass(value.to_vec()),
        "save" => Setting::Save(
            std::str::from_utf8(value)
                .ok()
                .and_then(parse_save_policy)
                .ok_or("Invalid save parameters")?,
        ),
        "stop-writes-on-bgsave-error" => Setting::StopWritesOnBgsaveError(
            parse_yes_no(&String::from_utf8_lossy(value))
                .ok_or("argument must be 'yes' or 'no'")?,
        ),
        aof_name => Setting::Aof(aof::parse_setting(aof_name, value)?),
    })
}

impl WriteCommand for ConfigSet {
    fn apply(self: Box<Self>, store: &mut Store, ctx: &Context) -> CommandResult {
        let env = ctx.env;
        for setting in self.settings {
            match setting {
                Setting::Timeout(seconds) => env.slots.set_idle_timeout(seconds),
                Setting::TcpKeepalive(seconds) => env.slots.set_keepalive(seconds),
                Setting::RequirePass(password) => env.users.set_requirepass(&password),
                Setting::Save(rules) => env.persistence.set_policy(rules),
                Setting::StopWritesOnBgsaveError(yes) => {
                    env.persistence.set_stop_writes_on_error(yes)
                }
                Setting::Aof(setting) => {
                    aof::apply_setting(setting, store, ctx)?;
                }
            }
        }
        Ok(Reply::OK)
    }
}

/// The working directory, where the dump is (Redis's `dir` is its `getcwd`).
fn current_dir() -> String {
    std::env::current_dir()
        .map(|dir| dir.display().to_string())
        .unwrap_or_default()
}

/// `CONFIG RESETSTAT`: zeroes the counters INFO reports. A write, because
/// the count of expired keys lives in the store.
pub struct ResetStat;

impl WriteCommand for ResetStat {
    fn apply(self: Box<Self>, store: &mut Store, ctx: &Context) -> CommandResult {
        store.reset_stats();
        ctx.env.slots.reset_stats();
        ctx.env.commands_processed.store(0, Ordering::Relaxed);
        Ok(Reply::OK)
    }
}
