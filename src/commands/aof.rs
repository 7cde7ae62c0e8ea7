//! BGREWRITEAOF, and the append-only file's settings that CONFIG SET
//! changes: what reaches the [`Aof`](crate::aof::Aof) of the server.

use super::{Command, CommandError, CommandResult, Context, ReadCommand};
use crate::aof::rewrite::RewriteError;
use crate::config::{parse_yes_no, Fsync};
use crate::protocol::{Reply, Request};
use crate::storage::Store;

/// `BGREWRITEAOF`: a new base file from a snapshot, a new incr file.
/// A reader: the snapshot is taken under the read guard, so writers wait
/// for it and readers go on.
pub struct BgRewriteAof;

pub fn parse_bgrewriteaof(_request: Request, _now_ms: u64) -> Result<Command, CommandError> {
    Ok(Command::Read(Box::new(BgRewriteAof)))
}

impl ReadCommand for BgRewriteAof {
    fn apply(&self, store: &Store, ctx: &Context) -> CommandResult {
        let aof = ctx.env.aof;
        if aof.rewrite_in_progress() {
            return Err(CommandError::RewriteInProgress);
        }
        // Inside EXEC the writes before it are not logged yet, so a snapshot
        // now would have them in both the base and the new incr file; and
        // Redis runs one background job at a time. Either way, it waits.
        if aof.in_exec() || ctx.env.persistence.bgsave_in_progress() {
            aof.schedule_rewrite();
            return Ok(Reply::Simple(
                "Background append only file rewriting scheduled",
            ));
        }
        aof.start_rewrite(store).map_err(rewrite_error)?;
        Ok(Reply::Simple(
            "Background append only file rewriting started",
        ))
    }

    fn keys(&self) -> &[Vec<u8>] {
        &[]
    }
}

fn rewrite_error(err: RewriteError) -> CommandError {
    match err {
        RewriteError::InProgress => CommandError::RewriteInProgress,
        RewriteError::Failed(_) => CommandError::RewriteFailed,
    }
}

/// One AOF setting CONFIG SET may change while the server runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Setting {
    AppendOnly(bool),
    AppendFsync(Fsync),
    UseRdbPreamble(bool),
}

/// The AOF settings CONFIG SET changes; `appenddirname` and
/// `appendfilename` are fixed at start-up, as in Redis.
pub const SETTINGS: [&str; 3] = ["appendonly", "appendfsync", "aof-use-rdb-preamble"];
pub const FIXED_SETTINGS: [&str; 2] = ["appenddirname", "appendfilename"];

/// The AOF setting `name` (one of [`SETTINGS`], lower case) set to `value`,
/// or the reason, in Redis's words, why `value` will not do.
pub fn parse_setting(name: &str, value: &[u8]) -> Result<Setting, &'static str> {
    let value = String::from_utf8_lossy(value);
    let yes_no = || parse_yes_no(&value).ok_or("argument must be 'yes' or 'no'");
    match name {
        "appendonly" => yes_no().map(Setting::AppendOnly),
        "aof-use-rdb-preamble" => yes_no().map(Setting::UseRdbPreamble),
        _ => Fsync::parse(&value)
            .map(Setting::AppendFsync)
            .ok_or("argument(s) must be one of the following: everysec, always, no"),
    }
}

/// Makes `setting` so. Turning the AOF on starts logging and takes the
/// snapshot for its base, so CONFIG SET runs under the write guard.
pub fn apply_setting(setting: Setting, store: &mut Store, ctx: &Context) -> CommandResult {
    let aof = ctx.env.aof;
    match setting {
        Setting::AppendFsync(policy) => aof.set_fsync_policy(policy),
        Setting::UseRdbPreamble(yes) => aof.set_use_rdb_preamble(yes),
        Setting::AppendOnly(true) => aof.start(store).map_err(|_| {
            CommandError::ConfigSetFailed(
                b"appendonly".to_vec(),
                "Unable to turn on AOF. Check server logs.",
            )
        })?,
        Setting::AppendOnly(false) => {
            if aof.is_on() {
                aof.stop();
                store.stop_propagating();
            }
        }
    }
    Ok(Reply::OK)
}
