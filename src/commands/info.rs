//! `INFO [section ...]`: the server, clients, stats and keyspace sections,
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
        "persistence" => {
            out.push_str("# Persistence\r\nloading:0\r\nasync_loading:0\r\n");
            env.aof.info(out);
            Ok(())
        }
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
