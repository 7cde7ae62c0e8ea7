//! The blocking commands: BLPOP, BRPOP, BLMOVE, BRPOPLPUSH, BLMPOP,
//! BZPOPMIN and BZPOPMAX. Each is a [`BlockingCommand`] built on its
//! non-blocking twin (LPOP, LMOVE, LMPOP, ZPOPMIN): the executor tries it,
//! and if there is nothing to take, its client waits (no lock held) until a
//! write serves it or its timeout passes.
//!
//! Once served, each notes in the store's log the plain pop that replays
//! it (the append-only file logs BLPOP as LPOP, BLMOVE as LMOVE, as Redis
//! propagates them): a waiting command is served under another client's
//! write guard, so only the command itself knows what it took.

use std::time::Duration;

use super::lists::{self, End};
use super::{take_arg, zsets, BlockingCommand, Command, CommandError, CommandResult, Context};
use crate::protocol::{Reply, Request};
use crate::storage::Store;

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

/// The answer of a try: served (`Some`), or wait (`None`). A key of another
/// type is WRONGTYPE on the first try, as in Redis, and passed over when
/// serving.
fn served<T>(
    result: Result<Option<T>, CommandError>,
    serving: bool,
    reply: impl FnOnce(T) -> Reply,
) -> Option<CommandResult> {
    match result {
        Ok(Some(found)) => Some(Ok(reply(found))),
        Ok(None) => None,
        Err(CommandError::WrongType) if serving => None,
        Err(err) => Some(Err(err)),
    }
}

impl BlockingCommand for BlockingPop {
    fn try_apply(
        &mut self,
        store: &mut Store,
        ctx: &Context,
        serving: bool,
    ) -> Option<CommandResult> {
        for key in &self.keys {
            let popped = lists::pop(store, key, self.end, 1, ctx.now_ms);
            if let Some(result) = served(popped, serving, |elements| {
                let element = elements.into_iter().next().expect("a list holds one");
                Reply::Array(vec![
                    Reply::bulk(key.as_slice()),
                    Reply::bulk(element.as_slice()),
                ])
            }) {
                if result.is_ok() {
                    log_pop(store, &[pop_name(self.end), key]);
                }
                return Some(result);
            }
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

/// `BLMOVE source destination LEFT|RIGHT LEFT|RIGHT timeout` and
/// `BRPOPLPUSH source destination timeout`: LMOVE, once the source has an
/// element.
pub struct BlockingMove {
    /// The source alone: only a write to it can serve this command.
    source: Vec<Vec<u8>>,
    destination: Vec<u8>,
    from: End,
    to: End,
    timeout: Option<Duration>,
}

pub fn parse_blmove(mut request: Request, _now_ms: u64) -> Result<Command, CommandError> {
    let from = End::parse(&request[3])?;
    let to = End::parse(&request[4])?;
    let timeout = parse_timeout(&request[5])?;
    blocking_move(&mut request, from, to, timeout)
}

pub fn parse_brpoplpush(mut request: Request, _now_ms: u64) -> Result<Command, CommandError> {
    let timeout = parse_timeout(&request[3])?;
    blocking_move(&mut request, End::Right, End::Left, timeout)
}

fn blocking_move(
    request: &mut Request,
    from: End,
    to: End,
    timeout: Option<Duration>,
) -> Result<Command, CommandError> {
    Ok(Command::Blocking(Box::new(BlockingMove {
        source: vec![take_arg(request, 1)],
        destination: take_arg(request, 2),
        from,
        to,
        timeout,
    })))
}

impl BlockingCommand for BlockingMove {
    fn try_apply(
        &mut self,
        store: &mut Store,
        ctx: &Context,
        serving: bool,
    ) -> Option<CommandResult> {
        let moved = lists::move_element(
            store,
            &self.source[0],
            &self.destination,
            self.from,
            self.to,
            ctx.now_ms,
        );
        let result = served(moved, serving, |element| Reply::bulk(element.as_slice()));
        if let Some(Ok(_)) = result {
            let (source, destination) = (&self.source[0], &self.destination);
            log_pop(
                store,
                &[
                    b"LMOVE",
                    source,
                    destination,
                    end_name(self.from),
                    end_name(self.to),
                ],
            );
        }
        result
    }

    fn keys(&self) -> &[Vec<u8>] {
        &self.source
    }

    /// LMOVE's own answer for an empty source: a null string.
    fn nothing_in_transaction(&self) -> Reply {
        Reply::Null
    }

    fn timeout(&self) -> Option<Duration> {
        self.timeout
    }
}

/// `BLMPOP timeout numkeys key [key ...] LEFT|RIGHT [COUNT count]`: LMPOP,
/// once one of the lists has elements.
pub struct BlockingMultiPop {
    pop: lists::MultiPop,
    timeout: Option<Duration>,
}

pub fn parse_blmpop(request: Request, _now_ms: u64) -> Result<Command, CommandError> {
    let timeout = parse_timeout(&request[1])?;
    let pop = lists::parse_multi_pop(request, 2)?;
    Ok(Command::Blocking(Box::new(BlockingMultiPop {
        pop,
        timeout,
    })))
}

impl BlockingCommand for BlockingMultiPop {
    fn try_apply(
        &mut self,
        store: &mut Store,
        ctx: &Context,
        serving: bool,
    ) -> Option<CommandResult> {
        let popped = self.pop.pop(store, ctx.now_ms, serving);
        let result = served(popped, serving, |(key, elements)| {
            Reply::Array(vec![Reply::bulk(key), lists::bulk_array(elements)])
        });
        if let Some(Ok(Reply::Array(served))) = &result {
            if let [Reply::Bulk(key), Reply::Array(elements)] = served.as_slice() {
                let count = elements.len().to_string();
                log_pop(store, &[pop_name(self.pop.end()), key, count.as_bytes()]);
            }
        }
        result
    }

    fn keys(&self) -> &[Vec<u8>] {
        self.pop.keys()
    }

    fn timeout(&self) -> Option<Duration> {
        self.timeout
    }
}

/// `BZPOPMIN key [key ...] timeout` and `BZPOPMAX`: the first non-empty
/// sorted set's lowest (or highest) member, as `[key, member, score]`.
pub struct BlockingZPop {
    keys: Vec<Vec<u8>>,
    max: bool,
    timeout: Option<Duration>,
}

pub fn parse_bzpopmin(request: Request, _now_ms: u64) -> Result<Command, CommandError> {
    blocking_zpop(request, false)
}

pub fn parse_bzpopmax(request: Request, _now_ms: u64) -> Result<Command, CommandError> {
    blocking_zpop(request, true)
}

fn blocking_zpop(mut request: Request, max: bool) -> Result<Command, CommandError> {
    let timeout = parse_timeout(request.last().expect("arity is at least 3"))?;
    request.pop();
    request.remove(0);
    Ok(Command::Blocking(Box::new(BlockingZPop {
        keys: request,
        max,
        timeout,
    })))
}

impl BlockingCommand for BlockingZPop {
    fn try_apply(
        &mut self,
        store: &mut Store,
        ctx: &Context,
        serving: bool,
    ) -> Option<CommandResult> {
        for key in &self.keys {
            match store
                .peek(key, ctx.now_ms)
                .map(|value| value.as_zset().map(|z| z.is_empty()))
            {
                None | Some(Ok(true)) => continue,
                Some(Err(_)) if serving => continue,
                Some(Err(wrong)) => return Some(Err(wrong.into())),
                Some(Ok(false)) => {}
            }
            let zset = store.get_mut(key, ctx.now_ms)?.as_zset_mut().ok()?;
            let popped = zset.pop_many(self.max, 1).into_iter().next()?;
            store.remove_if_empty(key);
            let pop: &[u8] = if self.max { b"ZPOPMAX" } else { b"ZPOPMIN" };
            log_pop(store, &[pop, key]);
            return Some(Ok(zsets::blocking_pop_reply(key, popped)));
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

/// Notes the plain command that replays a served pop in the store's log.
fn log_pop(store: &mut Store, words: &[&[u8]]) {
    store.propagate(words.iter().map(|word| word.to_vec()).collect());
}

fn pop_name(end: End) -> &'static [u8] {
    match end {
        End::Left => b"LPOP",
        End::Right => b"RPOP",
    }
}

fn end_name(end: End) -> &'static [u8] {
    match end {
        End::Left => b"LEFT",
        End::Right => b"RIGHT",
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
