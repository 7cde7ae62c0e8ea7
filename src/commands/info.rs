//! `INFO [section ...]`: the server, clients, persistence, stats and keyspace sections,
//! in Redis's `field:value` format.

use std::fmt::Write as _;
use std::sync::atomic::Ordering;

use super::{Command, CommandError, CommandResult, Context, ReadCommand};
use crate::config::REDIS_VERSION;
use crate::protocol::{Reply, Request};
use crate::storage::Store;

/// `INFO [section ...]`: server, clients, stats and keyspace sections, in
/// Redis's `field:value` format.
pub struct Info {
    sections: Vec<Vec<u8>>,
}

pub fn parse_info(mut request: Request, _now_ms: u64) -> Result<Command, CommandError> {
    request.remove(0);
    let sections = request.iter().map(|s| s.to_ascii_lowercase()).collect();
    Ok(Command::Read(Box::new(Info { sections })))
}

impl ReadCommand for Info {
    fn apply(&self, store: &Store, ctx: &Context) -> CommandResult {
        let asked = &self.sections;
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
                write_section(store, ctx, section, &mut text);
            }
        }
        Ok(Reply::Verbatim(text))
    }

    fn keys(&self) -> &[Vec<u8>] {
        &[]
    }
}

const SECTIONS: [&str; 5] = ["server", "clients", "persistence", "stats", "keyspace"];

fn write_section(store: &Store, ctx: &Context, section: &str, out: &mut String) {
    let env = ctx.env;
    // Writing to a String cannot fail.
    let _ = match section {
        "server" => {
            let uptime = env.started.elapsed().as_secs();
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
                env.port,
                ctx.now_ms * 1000,
                uptime / 86_400,
                env.config.hz,
            )
        }
        "clients" => write!(
            out,
            "# Clients\r\nconnected_clients:{}\r\nmaxclients:{}\r\n",
            env.slots.in_use(),
            env.config.maxclients,
        ),
        "persistence" => write_persistence(store, ctx, out),
        "stats" => {
            write!(
                out,
                "# Stats\r\ntotal_connections_received:{}\r\ntotal_commands_processed:{}\r\n\
                 rejected_connections:{}\r\nexpired_keys:{}\r\n",
                env.slots.admitted(),
                env.commands_processed.load(Ordering::Relaxed),
                env.slots.rejected(),
                store.expired_keys(),
            )
        }
        _ => {
            out.push_str("# Keyspace\r\n");
            if store.is_empty() {
                Ok(())
            } else {
                write!(
                    out,
                    "db0:keys={},expires={},avg_ttl={}\r\n",
                    store.len(),
                    store.volatile_len(),
                    average_ttl(store, ctx.now_ms),
                )
            }
        }
    };
}

/// Every field Redis 7.0 prints in its persistence section, in its order.
/// There is no fork, so the copy-on-write and fork figures are all zero.
fn write_persistence(store: &Store, ctx: &Context, out: &mut String) -> std::fmt::Result {
    let rdb = ctx.env.persistence.report(store.dirty());
    let seconds = |s: Option<u64>| s.map_or(-1, |s| s as i64);
    write!(
        out,
        "# Persistence\r\nloading:0\r\nasync_loading:0\r\ncurrent_cow_peak:0\r\n\
         current_cow_size:0\r\ncurrent_cow_size_age:0\r\ncurrent_fork_perc:0.00\r\n\
         current_save_keys_processed:0\r\ncurrent_save_keys_total:0\r\n\
         rdb_changes_since_last_save:{}\r\nrdb_bgsave_in_progress:{}\r\n\
         rdb_last_save_time:{}\r\nrdb_last_bgsave_status:{}\r\n\
         rdb_last_bgsave_time_sec:{}\r\nrdb_current_bgsave_time_sec:{}\r\nrdb_saves:{}\r\n\
         rdb_last_cow_size:0\r\nrdb_last_load_keys_expired:{}\r\n\
         rdb_last_load_keys_loaded:{}\r\n",
        rdb.changes_since_last_save,
        u8::from(rdb.bgsave_in_progress),
        rdb.last_save_s,
        if rdb.last_bgsave_ok { "ok" } else { "err" },
        seconds(rdb.last_bgsave_seconds),
        seconds(rdb.current_bgsave_seconds),
        rdb.saves,
        rdb.last_load_keys_expired,
        rdb.last_load_keys_loaded,
    )?;
    // The AOF's fields follow, as Redis prints them.
    ctx.env.aof.info(out);
    Ok(())
}

/// Average remaining TTL in milliseconds over a sample of keys that have one:
/// an estimate, as Redis's `avg_ttl` is.
fn average_ttl(store: &Store, now_ms: u64) -> u64 {
    const SAMPLE: usize = 64;
    let ttls: Vec<u64> = (0..SAMPLE.min(store.volatile_len()))
        .filter_map(|slot| store.volatile_at(slot))
        .filter(|&(_, at)| at > now_ms)
        .map(|(_, at)| at - now_ms)
        .collect();
    if ttls.is_empty() {
        0
    } else {
        (ttls.iter().map(|&t| u128::from(t)).sum::<u128>() / ttls.len() as u128) as u64
    }
}
