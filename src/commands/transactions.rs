//! MULTI, EXEC, DISCARD, WATCH and UNWATCH (Redis's "transactions" group).
//!
//! They are not applied to the keyspace like other commands: they change
//! how the executor runs the commands that follow, so they parse into a
//! [`Control`], which the executor carries out itself.

use super::{Command, CommandError};
use crate::protocol::Request;

/// A command the executor carries out itself.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Control {
    /// Start queueing commands instead of running them.
    Multi,
    /// Run the queue under one write lock, unless a watched key changed.
    Exec,
    /// Forget the queue.
    Discard,
    /// Remember these keys' versions; EXEC fails if any changes meanwhile.
    Watch(Vec<Vec<u8>>),
    /// Forget the watched keys.
    Unwatch,
}

fn control(control: Control) -> Result<Command, CommandError> {
    Ok(Command::Control(control))
}

/// `MULTI`
pub fn parse_multi(_request: Request, _now_ms: u64) -> Result<Command, CommandError> {
    control(Control::Multi)
}

/// `EXEC`
pub fn parse_exec(_request: Request, _now_ms: u64) -> Result<Command, CommandError> {
    control(Control::Exec)
}

/// `DISCARD`
pub fn parse_discard(_request: Request, _now_ms: u64) -> Result<Command, CommandError> {
    control(Control::Discard)
}

/// `WATCH key [key ...]`
pub fn parse_watch(mut request: Request, _now_ms: u64) -> Result<Command, CommandError> {
    request.remove(0);
    control(Control::Watch(request))
}

/// `UNWATCH`
pub fn parse_unwatch(_request: Request, _now_ms: u64) -> Result<Command, CommandError> {
    control(Control::Unwatch)
}
