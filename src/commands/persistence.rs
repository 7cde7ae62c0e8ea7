//! Persistence commands: SAVE, BGSAVE and LASTSAVE (the dump on disk, see
//! [`crate::rdb::snapshot`]), and DUMP and RESTORE (one value in the same
//! format, see [`crate::rdb::dump`]).

use super::{parse_int, take_arg, ClientCommand, Command, CommandError, CommandResult};
use super::{Context, ReadCommand, WriteCommand};
use crate::bytes::Bytes;
use crate::client::Client;
use crate::protocol::{Reply, Request};
use crate::rdb::{self, BadPayload};
use crate::storage::Store;

/// `SAVE`: writes the dump now. It runs under the read lock, so clients
/// that only read go on while it writes; writers wait, as all of Redis does.
pub struct Save;

pub fn parse_save(_request: Request, _now_ms: u64) -> Result<Command, CommandError> {
    Ok(Command::Read(Box::new(Save)))
}

impl ReadCommand for Save {
    fn apply(&self, store: &Store, ctx: &Context) -> CommandResult {
        let persistence = ctx.env.persistence;
        if persistence.bgsave_in_progress() {
            return Err(CommandError::BgsaveInProgress);
        }
        match persistence.save_command(store) {
            Ok(()) => Ok(Reply::OK),
            Err(_) => Err(CommandError::SaveFailed),
        }
    }

    fn keys(&self) -> &[Vec<u8>] {
        &[]
    }
}

/// `BGSAVE [SCHEDULE]`: walks the keyspace and writes it on a thread of
/// its own. Redis runs one background job at a time: behind an AOF rewrite,
/// or inside EXEC, a BGSAVE is only scheduled (SCHEDULE asks for that, and
/// without it the rewrite makes BGSAVE an error); with a BGSAVE running,
/// both forms are refused.
pub struct Bgsave {
    schedule: bool,
}

pub fn parse_bgsave(request: Request, _now_ms: u64) -> Result<Command, CommandError> {
    let schedule = match &request[1..] {
        [] => false,
        [option] if option.eq_ignore_ascii_case(b"schedule") => true,
        _ => return Err(CommandError::Syntax),
    };
    Ok(Command::Read(Box::new(Bgsave { schedule })))
}

impl ReadCommand for Bgsave {
    fn apply(&self, store: &Store, ctx: &Context) -> CommandResult {
        let (persistence, aof) = (ctx.env.persistence, ctx.env.aof);
        if persistence.bgsave_in_progress() {
            return Err(CommandError::BgsaveInProgress);
        }
        let in_exec = aof.in_exec();
        if aof.rewrite_in_progress() || in_exec {
            if !(self.schedule || in_exec) {
                return Err(CommandError::AnotherJobActive);
            }
            persistence.schedule();
            return Ok(Reply::Simple("Background saving scheduled"));
        }
        match persistence.start_background(store) {
            Ok(()) => Ok(Reply::Simple("Background saving started")),
            Err(rdb::snapshot::BgsaveRefused::InProgress) => Err(CommandError::BgsaveInProgress),
        }
    }

    fn keys(&self) -> &[Vec<u8>] {
        &[]
    }
}

/// `LASTSAVE`: Unix time of the last successful save (or of start-up).
pub struct LastSave;

pub fn parse_lastsave(_request: Request, _now_ms: u64) -> Result<Command, CommandError> {
    Ok(Command::Client(Box::new(LastSave)))
}

impl ClientCommand for LastSave {
    fn apply(self: Box<Self>, _client: &mut Client, ctx: &Context) -> CommandResult {
        Ok(Reply::Integer(ctx.env.persistence.last_save_s() as i64))
    }
}

/// `DUMP key`: the value in RDB form, with the RDB version and a CRC64.
pub struct Dump {
    keys: [Vec<u8>; 1],
}

pub fn parse_dump(mut request: Request, _now_ms: u64) -> Result<Command, CommandError> {
    Ok(Command::Read(Box::new(Dump {
        keys: [take_arg(&mut request, 1)],
    })))
}

impl ReadCommand for Dump {
    fn apply(&self, store: &Store, ctx: &Context) -> CommandResult {
        Ok(match store.get(&self.keys[0], ctx.now_ms) {
            Some(value) => Reply::Bulk(rdb::dump(value)),
            None => Reply::Null,
        })
    }

    fn keys(&self) -> &[Vec<u8>] {
        &self.keys
    }
}

/// `RESTORE key ttl serialized-value [REPLACE] [ABSTTL] [IDLETIME s] [FREQ f]`.
/// Without an LRU or LFU policy the idle time and frequency are checked,
/// as Redis checks them, and then have nothing to set.
pub struct Restore {
    key: Vec<u8>,
    ttl: Vec<u8>,
    payload: Vec<u8>,
    replace: bool,
    absolute: bool,
}

pub fn parse_restore(mut request: Request, _now_ms: u64) -> Result<Command, CommandError> {
    let (mut replace, mut absolute) = (false, false);
    let (mut idle, mut freq) = (None, None);
    let mut at = 4;
    while at < request.len() {
        let option = request[at].to_ascii_lowercase();
        let has_value = at + 1 < request.len();
        match option.as_slice() {
            b"replace" => replace = true,
            b"absttl" => absolute = true,
            // As in Redis, IDLETIME and FREQ exclude each other.
            b"idletime" if has_value && freq.is_none() => {
                at += 1;
                let seconds = parse_int(&request[at])?;
                if seconds < 0 {
                    return Err(CommandError::InvalidIdleTime);
                }
                idle = Some(seconds);
            }
            b"freq" if has_value && idle.is_none() => {
                at += 1;
                let count = parse_int(&request[at])?;
                if !(0..=255).contains(&count) {
                    return Err(CommandError::InvalidFreq);
                }
                freq = Some(count);
            }
            _ => return Err(CommandError::Syntax),
        }
        at += 1;
    }
    Ok(Command::Write(Box::new(Restore {
        key: take_arg(&mut request, 1),
        ttl: take_arg(&mut request, 2),
        payload: take_arg(&mut request, 3),
        replace,
        absolute,
    })))
}

impl WriteCommand for Restore {
    fn apply(self: Box<Self>, store: &mut Store, ctx: &Context) -> CommandResult {
        // Redis's order: the key, then the TTL, then the payload.
        if !self.replace && store.peek(&self.key, ctx.now_ms).is_some() {
            return Err(CommandError::BusyKey);
        }
        let ttl = parse_int(&self.ttl)?;
        if ttl < 0 {
            return Err(CommandError::InvalidTtl);
        }
        let value = match rdb::undump(&self.payload) {
            Ok(Some(value)) => value,
            Err(BadPayload::VersionOrChecksum) => return Err(CommandError::BadDumpPayload),
            Ok(None) | Err(BadPayload::Format) => return Err(CommandError::BadDataFormat),
        };
        let expires_at = match ttl {
            0 => None,
            ttl if self.absolute => Some(ttl as u64),
            ttl => Some(ctx.now_ms.saturating_add(ttl as u64)),
        };
        if expires_at.is_some_and(|at| at <= ctx.now_ms) {
            // Already expired: the old value goes (with REPLACE), nothing is added.
            if self.replace {
                store.delete(&self.key, ctx.now_ms);
            }
            return Ok(Reply::OK);
        }
        store.set(Bytes::from(self.key), value, expires_at, ctx.now_ms);
        Ok(Reply::OK)
    }
}
