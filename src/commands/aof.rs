//! BGREWRITEAOF, and CONFIG SET of the append-only file's settings: the
//! commands that reach the [`Aof`](crate::aof::Aof) of the server.

use super::{Command, CommandError, CommandResult, Context, ReadCommand, WriteCommand};
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
        if aof.schedule_rewrite_if_in_exec() {
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
enum Setting {
    AppendOnly(bool),
    AppendFsync(Fsync),
    UseRdbPreamble(bool),
}

/// An AOF setting and its new value; `None` if `name` is not one. The
/// names fixed at start-up are refused as Redis refuses them, quoting the
/// name as it was sent.
fn setting(name: &[u8], value: &[u8]) -> Option<Result<Setting, CommandError>> {
    let value = String::from_utf8_lossy(value);
    let failed = |why| CommandError::ConfigSetFailed(name.to_vec(), why);
    let yes_no = || parse_yes_no(&value).ok_or_else(|| failed("argument must be 'yes' or 'no'"));
    let parsed = match name.to_ascii_lowercase().as_slice() {
        b"appendonly" => yes_no().map(Setting::AppendOnly),
        b"aof-use-rdb-preamble" => yes_no().map(Setting::UseRdbPreamble),
        b"appendfsync" => Fsync::parse(&value)
            .map(Setting::AppendFsync)
            .ok_or_else(|| {
                failed("argument(s) must be one of the following: everysec, always, no")
            }),
        b"appenddirname" | b"appendfilename" => Err(failed("can't set immutable config")),
        _ => return None,
    };
    Some(parsed)
}

/// `CONFIG SET` of AOF settings only. A writer: turning the AOF on starts
/// logging and takes the snapshot for its base under the write guard.
pub struct ConfigSetAof {
    settings: Vec<Setting>,
}

/// `CONFIG SET name value [name value ...]` when every name is an AOF
/// setting; `None` otherwise, for CONFIG to answer as it does.
pub fn parse_config_set(request: &Request) -> Option<Result<Command, CommandError>> {
    let mut settings = Vec::new();
    for pair in request[2..].chunks(2) {
        let [name, value] = pair else { return None };
        match setting(name, value)? {
            Ok(setting) => settings.push(setting),
            Err(err) => return Some(Err(err)),
        }
    }
    Some(Ok(Command::Write(Box::new(ConfigSetAof { settings }))))
}

impl WriteCommand for ConfigSetAof {
    fn apply(self: Box<Self>, store: &mut Store, ctx: &Context) -> CommandResult {
        let aof = ctx.env.aof;
        for setting in self.settings {
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
        }
        Ok(Reply::OK)
    }
}
