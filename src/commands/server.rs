//! Commands about the server as a whole: DBSIZE, FLUSHDB, FLUSHALL, COMMAND,
//! CONFIG, INFO, TIME and SHUTDOWN.

use std::fmt::Write as _;
use std::sync::atomic::Ordering;
use std::time::{SystemTime, UNIX_EPOCH};

use super::{check_arity, docs, glob, Command, CommandError, CommandResult, Context, COMMANDS};
use crate::protocol::{Reply, Request};
use crate::server::{Hangup, REDIS_VERSION};

/// `DBSIZE`: keys in the store, counting expired ones not yet reaped (as Redis).
pub fn dbsize(ctx: &mut Context, _request: &mut Request) -> CommandResult {
    Ok(Reply::Integer(ctx.read().len() as i64))
}

/// `FLUSHDB [ASYNC|SYNC]` and `FLUSHALL [ASYNC|SYNC]`: one database, so the same.
pub fn flush(ctx: &mut Context, request: &mut Request) -> CommandResult {
    match &request[1..] {
        [] => {}
        [mode] if mode.eq_ignore_ascii_case(b"async") || mode.eq_ignore_ascii_case(b"sync") => {}
        _ => return Err(CommandError::Syntax),
    }
    ctx.write().clear();
    Ok(Reply::OK)
}

/// `TIME`: Unix seconds and microseconds, as two bulk strings.
pub fn time(_ctx: &mut Context, _request: &mut Request) -> CommandResult {
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap_or_default();
    Ok(Reply::Array(vec![
        Reply::bulk(now.as_secs().to_string()),
        Reply::bulk(now.subsec_micros().to_string()),
    ]))
}

/// `SHUTDOWN [NOSAVE|SAVE] [NOW] [FORCE] [ABORT]`: nothing is ever saved
/// here, so every form stops the server at once. The client gets no reply.
pub fn shutdown(ctx: &mut Context, request: &mut Request) -> CommandResult {
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
    ctx.client.hangup = Some(Hangup::Shutdown);
    Ok(Reply::OK)
}

/// `COMMAND [COUNT | LIST | INFO name... | DOCS name...]`: what redis-cli and
/// client libraries ask to learn which commands exist.
pub fn command(_ctx: &mut Context, request: &mut Request) -> CommandResult {
    let Some(sub) = request.get(1) else {
        return Ok(Reply::Array(COMMANDS.iter().map(command_info).collect()));
    };
    match sub.to_ascii_lowercase().as_slice() {
        b"count" => {
            check_arity(request, 2, "command|count")?;
            Ok(Reply::Integer(COMMANDS.len() as i64))
        }
        b"list" => Ok(Reply::Array(
            COMMANDS.iter().map(|c| Reply::bulk(c.name)).collect(),
        )),
        b"info" if request.len() == 2 => {
            Ok(Reply::Array(COMMANDS.iter().map(command_info).collect()))
        }
        b"info" => Ok(Reply::Array(
            request[2..]
                .iter()
                .map(|name| match described(name) {
                    Some(Described::Command(c)) => command_info(c),
                    Some(Described::Sub(meta)) => docs::info_reply(meta),
                    None => Reply::Null,
                })
                .collect(),
        )),
        b"docs" => {
            let wanted: Vec<Described> = if request.len() == 2 {
                COMMANDS.iter().map(Described::Command).collect()
            } else {
                request[2..]
                    .iter()
                    .filter_map(|name| described(name))
                    .collect()
            };
            Ok(Reply::Map(
                wanted
                    .into_iter()
                    .map(|d| match d {
                        Described::Command(c) => (Reply::bulk(c.name), command_docs(c)),
                        Described::Sub(meta) => (Reply::bulk(meta.name), docs::docs_reply(meta)),
                    })
                    .collect(),
            ))
        }
        _ => Err(CommandError::UnknownSubcommand(sub.clone(), "COMMAND")),
    }
}

/// What COMMAND INFO and COMMAND DOCS can be asked about by name: a command
/// of the table, or, as Redis allows, a subcommand of one (`client|id`).
enum Described {
    Command(&'static Command),
    Sub(&'static docs::Meta),
}

fn described(name: &[u8]) -> Option<Described> {
    match name.iter().position(|&b| b == b'|') {
        None => super::lookup(name).map(Described::Command),
        Some(bar) => {
            super::lookup(&name[..bar])?;
            let full = std::str::from_utf8(name).ok()?;
            docs::find(full).map(Described::Sub)
        }
    }
}

/// One command as COMMAND INFO describes it: Redis's own description
/// ([`docs`]), or, for a command that has none yet, one made up from the table.
fn command_info(command: &Command) -> Reply {
    if let Some(meta) = docs::find(command.name) {
        return docs::info_reply(meta);
    }
    let mut categories = vec![];
    if command.flags.contains(&"write") {
        categories.push("@write");
    } else if command.flags.contains(&"readonly") {
        categories.push("@read");
    }
    categories.push(match command.group {
        "string" => "@string",
        "generic" => "@keyspace",
        "connection" => "@connection",
        _ => "@admin",
    });
    if command.flags.contains(&"fast") {
        categories.push("@fast");
    }
    let (first, last, step) = command.keys;
    Reply::Array(vec![
        Reply::bulk(command.name),
        Reply::Integer(i64::from(command.arity)),
        Reply::Set(command.flags.iter().map(|&f| Reply::Simple(f)).collect()),
        Reply::Integer(first),
        Reply::Integer(last),
        Reply::Integer(step),
        Reply::Set(categories.into_iter().map(Reply::Simple).collect()),
        Reply::Set(vec![]),
        Reply::Array(vec![]),
        Reply::Array(vec![]),
    ])
}

/// One command as COMMAND DOCS describes it, the same way.
fn command_docs(command: &Command) -> Reply {
    if let Some(meta) = docs::find(command.name) {
        return docs::docs_reply(meta);
    }
    Reply::Map(vec![
        (Reply::bulk("summary"), Reply::bulk(command.summary)),
        (Reply::bulk("since"), Reply::bulk(command.since)),
        (Reply::bulk("group"), Reply::bulk(command.group)),
    ])
}

/// `CONFIG GET pattern [pattern ...]`. Settings are fixed at start-up, so
/// CONFIG SET refuses every parameter.
pub fn config(ctx: &mut Context, request: &mut Request) -> CommandResult {
    match request[1].to_ascii_lowercase().as_slice() {
        b"get" => {
            check_arity(request, -3, "config|get")?;
            let patterns: Vec<Vec<u8>> = request[2..]
                .iter()
                .map(|p| p.to_ascii_lowercase())
                .collect();
            let pairs = config_values(ctx)
                .into_iter()
                .filter(|(name, _)| patterns.iter().any(|p| glob::matches(p, name.as_bytes())))
                .map(|(name, value)| (Reply::bulk(name), Reply::bulk(value)))
                .collect();
            Ok(Reply::Map(pairs))
        }
        b"set" => {
            check_arity(request, -4, "config|set")?;
            Err(CommandError::ConfigSetUnsupported(request[2].clone()))
        }
        _ => Err(CommandError::UnknownSubcommand(
            request[1].clone(),
            "CONFIG",
        )),
    }
}

/// The settings CONFIG GET can report, with their current values.
fn config_values(ctx: &Context) -> Vec<(&'static str, String)> {
    let config = &ctx.server.config;
    vec![
        ("bind", config.bind.to_string()),
        ("port", ctx.server.port.to_string()),
        ("maxclients", config.maxclients.to_string()),
        ("hz", config.hz.to_string()),
        (
            "loglevel",
            format!("{:?}", config.loglevel).to_ascii_lowercase(),
        ),
        ("databases", "1".to_string()),
        // Nothing is persisted: no snapshots, no append-only file.
        ("save", String::new()),
        ("appendonly", "no".to_string()),
    ]
}

/// `INFO [section ...]`: server, clients, stats and keyspace sections, in
/// Redis's `field:value` format.
pub fn info(ctx: &mut Context, request: &mut Request) -> CommandResult {
    const SECTIONS: [&str; 4] = ["server", "clients", "stats", "keyspace"];
    let asked: Vec<Vec<u8>> = request[1..]
        .iter()
        .map(|s| s.to_ascii_lowercase())
        .collect();
    let everything = asked.is_empty()
        || asked
            .iter()
            .any(|s| matches!(s.as_slice(), b"all" | b"default" | b"everything"));
    let mut text = String::new();
    for section in SECTIONS {
        if everything || asked.iter().any(|s| s == section.as_bytes()) {
            if !text.is_empty() {
                text.push_str("\r\n");
            }
            write_section(ctx, section, &mut text);
        }
    }
    Ok(Reply::Verbatim(text))
}

fn write_section(ctx: &Context, section: &str, out: &mut String) {
    let server = ctx.server;
    // Writing to a String cannot fail.
    let _ = match section {
        "server" => {
            let uptime = server.started.elapsed().as_secs();
            write!(
                out,
                "# Server\r\nredis_version:{REDIS_VERSION}\r\nmini_redis_version:{}\r\n\
                 redis_mode:standalone\r\nos:{} {}\r\narch_bits:{}\r\n\
                 multiplexing_api:threads\r\nprocess_id:{}\r\ntcp_port:{}\r\n\
                 server_time_usec:{}\r\nuptime_in_seconds:{uptime}\r\nuptime_in_days:{}\r\nhz:{}\r\n",
                env!("CARGO_PKG_VERSION"),
                std::env::consts::OS,
                std::env::consts::ARCH,
                usize::BITS,
                std::process::id(),
                server.port,
                ctx.now_ms * 1000,
                uptime / 86_400,
                server.config.hz,
            )
        }
        "clients" => write!(
            out,
            "# Clients\r\nconnected_clients:{}\r\nmaxclients:{}\r\n",
            server.slots.in_use(),
            server.config.maxclients,
        ),
        "stats" => {
            write!(
                out,
                "# Stats\r\ntotal_connections_received:{}\r\ntotal_commands_processed:{}\r\n\
                 rejected_connections:{}\r\nexpired_keys:{}\r\n",
                server.slots.admitted(),
                server.commands_processed.load(Ordering::Relaxed),
                server.slots.rejected(),
                ctx.read().expired_keys(),
            )
        }
        _ => {
            let store = ctx.read();
            out.push_str("# Keyspace\r\n");
            if store.is_empty() {
                Ok(())
            } else {
                write!(
                    out,
                    "db0:keys={},expires={},avg_ttl={}\r\n",
                    store.len(),
                    store.volatile_len(),
                    average_ttl(&store, ctx.now_ms),
                )
            }
        }
    };
}

/// Average remaining TTL in milliseconds over a sample of keys that have one:
/// an estimate, as Redis's `avg_ttl` is.
fn average_ttl(store: &crate::storage::Store, now_ms: u64) -> u64 {
    const SAMPLE: u64 = 64;
    let ttls: Vec<u64> = (0..SAMPLE.min(store.volatile_len() as u64))
        .filter_map(|i| store.volatile_key(i))
        .filter_map(|key| store.get(key, now_ms)?.expires_at())
        .map(|at| at.saturating_sub(now_ms))
        .collect();
    if ttls.is_empty() {
        0
    } else {
        (ttls.iter().map(|&t| u128::from(t)).sum::<u128>() / ttls.len() as u128) as u64
    }
}
