//! The blocking pops: BLPOP and BRPOP. Each is a [`BlockingCommand`]: the
//! executor tries it, and if every list is empty, its client waits (no lock
//! held) until a push serves it or its timeout passes.

use std::collections::VecDeque;
use std::time::Duration;

use super::{BlockingCommand, Command, CommandError, CommandResult, Context};
use crate::protocol::{Reply, Request};
use crate::storage::Store;
use crate::value::Bytes;

/// Redis's `getTimeoutFromObjectOrReply` for a timeout in seconds: a float
/// (`0.5`), rounded up to the millisecond; 0 waits for ever (`None`).
pub fn parse_timeout(arg: &[u8]) -> Result<Option<Duration>, CommandError> {
    let seconds = std::str::from_utf8(arg)
        .ok()
        .filter(|text| !text.starts_with(|c: char| c.is_ascii_whitespace()))
        .and_then(|text| text.parse::<f64>().ok())
        .filter(|seconds| !seconds.is_nan())
        .ok_or(CommandError::TimeoutNotAFloat)?;
    let ms = (seconds * 1000.0).ceil();
    // Past i64, C's conversion goes negative: Redis then says "negative".
    if !(0.0..i64::MAX as f64).contains(&ms) {
        return Err(CommandError::TimeoutNegative);
    }
    Ok((ms > 0.0).then(|| Duration::from_millis(ms as u64)))
}

/// Which end of a list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum End {
    Left,
    Right,
}

/// Pops one element from `end` of `list`.
fn pop(list: &mut VecDeque<Bytes>, end: End) -> Option<Bytes> {
    match end {
        End::Left => list.pop_front(),
        End::Right => list.pop_back(),
    }
}

/// `BLPOP key [key ...] timeout` and `BRPOP`: the first non-empty list's
/// first (or last) element, as `[key, element]`.
pub struct BlockingPop {
    keys: Vec<Vec<u8>>,
    end: End,
    timeout: Option<Duration>,
}

pub fn parse_blpop(request: Request, _now_ms: u64) -> Result<Command, CommandError> {
    blocking_pop(request, End::Left)
}

pub fn parse_brpop(request: Request, _now_ms: u64) -> Result<Command, CommandError> {
    blocking_pop(request, End::Right)
}

fn blocking_pop(mut request: Request, end: End) -> Result<Command, CommandError> {
    let timeout = parse_timeout(request.last().expect("arity is at least 3"))?;
    request.pop();
    request.remove(0);
    Ok(Command::Blocking(Box::new(BlockingPop {
        keys: request,
        end,
        timeout,
    })))
}

impl BlockingCommand for BlockingPop {
    fn try_apply(&mut self, store: &mut Store, ctx: &Context) -> Option<CommandResult> {
        for key in &self.keys {
            let Some(value) = store.peek(key, ctx.now_ms) else {
                continue;
            };
            let list = match value.as_list() {
                Ok(list) => list,
                Err(wrong) => return Some(Err(wrong.into())),
            };
            if list.is_empty() {
                continue;
            }
            let list = store.get_mut(key, ctx.now_ms)?.as_list_mut().ok()?;
            let element = pop(list, self.end)?;
            store.remove_if_empty(key);
            return Some(Ok(Reply::Array(vec![
                Reply::bulk(key.as_slice()),
                Reply::bulk(element.as_slice()),
            ])));
        }
        None
    }

    fn keys(&self) -> &[Vec<u8>] {
        &self.keys
    }

    fn timeout(&self) -> Option<Duration> {
        self.timeout
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timeouts_parse_as_redis_reads_them() {
        let ok = |text: &str| parse_timeout(text.as_bytes());
        assert_eq!(ok("0"), Ok(None));
        assert_eq!(ok("-0"), Ok(None));
        assert_eq!(ok("0.001"), Ok(Some(Duration::from_millis(1))));
        assert_eq!(
            ok("0.0001"),
            Ok(Some(Duration::from_millis(1))),
            "rounded up"
        );
        assert_eq!(ok("1.5"), Ok(Some(Duration::from_millis(1500))));
        assert_eq!(ok(".5"), Ok(Some(Duration::from_millis(500))));
        for bad in ["abc", " 1", "1 ", "nan", "1e3x", ""] {
            assert_eq!(ok(bad), Err(CommandError::TimeoutNotAFloat), "{bad:?}");
        }
        for negative in ["-1", "1e20", "inf", "99999999999999999999"] {
            assert_eq!(
                ok(negative),
                Err(CommandError::TimeoutNegative),
                "{negative:?}"
            );
        }
        assert!(
            ok("922337203685477").unwrap().is_some(),
            "huge, but Redis waits"
        );
    }
}
