//! Commands about keys rather than values: DEL, EXISTS, TYPE, KEYS, and the
//! expiry family (EXPIRE, TTL, PERSIST and their millisecond and absolute forms).
//!
//! Redis's rules hold: a TTL in the past (or a non-positive relative one)
//! deletes the key at once; TTL rounds to the nearest second; -2 means "no
//! such key" and -1 means "no TTL".

use super::{glob, parse_int, CommandError, CommandResult, Context};
use crate::protocol::{Reply, Request};

/// `DEL key [key ...]` (also UNLINK): how many keys it removed.
pub fn del(ctx: &mut Context, request: &mut Request) -> CommandResult {
    //@ step 5: Under the write lock, remove each key; answer how many were there.
    let mut store = ctx.write();
    let removed = request[1..]
        .iter()
        .filter(|key| store.remove(key, ctx.now_ms).is_some())
        .count();
    Ok(Reply::Integer(removed as i64))
    //@ end step 5
}

/// `EXISTS key [key ...]`: how many of the keys exist, counting repeats.
pub fn exists(ctx: &mut Context, request: &mut Request) -> CommandResult {
    //@ step 5: Under the read lock, count the keys that exist (a repeated key counts each time).
    let store = ctx.read();
    let found = request[1..]
        .iter()
        .filter(|key| store.get(key, ctx.now_ms).is_some())
        .count();
    Ok(Reply::Integer(found as i64))
    //@ end step 5
}

/// `TYPE key`: every value here is a string.
pub fn type_of(ctx: &mut Context, request: &mut Request) -> CommandResult {
    let exists = ctx.read().get(&request[1], ctx.now_ms).is_some();
    Ok(Reply::Simple(if exists { "string" } else { "none" }))
}

/// `KEYS pattern`: every live key matching a glob pattern. Like Redis's, this
/// looks at every key; it holds only the read lock, so other readers go on.
pub fn keys(ctx: &mut Context, request: &mut Request) -> CommandResult {
    let pattern = &request[1];
    let store = ctx.read();
    let every = pattern.as_slice() == b"*";
    let found = store
        .keys(ctx.now_ms)
        .filter(|key| every || glob::matches(pattern, key))
        .map(Reply::bulk)
        .collect();
    Ok(Reply::Array(found))
}

/// How an EXPIRE-family command reads its time argument.
#[derive(Clone, Copy)]
struct TimeArg {
    name: &'static str,
    /// Seconds (EXPIRE, EXPIREAT) or milliseconds.
    in_seconds: bool,
    /// From now (EXPIRE, PEXPIRE) or from the Unix epoch.
    relative: bool,
}

/// `EXPIRE key seconds [NX|XX|GT|LT]`
pub fn expire(ctx: &mut Context, request: &mut Request) -> CommandResult {
    set_ttl(
        ctx,
        request,
        TimeArg {
            name: "expire",
            in_seconds: true,
            relative: true,
        },
    )
}

/// `PEXPIRE key milliseconds [NX|XX|GT|LT]`
pub fn pexpire(ctx: &mut Context, request: &mut Request) -> CommandResult {
    //@ step 5: The same as EXPIRE, with the time in milliseconds.
    set_ttl(
        ctx,
        request,
        TimeArg {
            name: "pexpire",
            in_seconds: false,
            relative: true,
        },
    )
    //@ end step 5
}

/// `EXPIREAT key unix-seconds [NX|XX|GT|LT]`
pub fn expireat(ctx: &mut Context, request: &mut Request) -> CommandResult {
    set_ttl(
        ctx,
        request,
        TimeArg {
            name: "expireat",
            in_seconds: true,
            relative: false,
        },
    )
}

/// `PEXPIREAT key unix-milliseconds [NX|XX|GT|LT]`
pub fn pexpireat(ctx: &mut Context, request: &mut Request) -> CommandResult {
    set_ttl(
        ctx,
        request,
        TimeArg {
            name: "pexpireat",
            in_seconds: false,
            relative: false,
        },
    )
}

/// The EXPIRE conditions. Redis: NX excludes the others; GT excludes LT.
#[derive(Default)]
struct Conditions {
    nx: bool,
    xx: bool,
    gt: bool,
    lt: bool,
}

fn parse_conditions(options: &[Vec<u8>]) -> Result<Conditions, CommandError> {
    let mut c = Conditions::default();
    for option in options {
        match option.to_ascii_lowercase().as_slice() {
            b"nx" => c.nx = true,
            b"xx" => c.xx = true,
            b"gt" => c.gt = true,
            b"lt" => c.lt = true,
            _ => return Err(CommandError::UnsupportedOption(option.clone())),
        }
    }
    if c.nx && (c.xx || c.gt || c.lt) {
        return Err(CommandError::ExpireNxConflict);
    }
    if c.gt && c.lt {
        return Err(CommandError::ExpireGtLtConflict);
    }
    Ok(c)
}

/// The shared body of the four EXPIRE commands (Redis's `expireGenericCommand`).
fn set_ttl(ctx: &mut Context, request: &mut Request, arg: TimeArg) -> CommandResult {
    //@ step 4: Turn the time into absolute Unix milliseconds; no key: 0; a time already past deletes the key; else `set_expiry`; answer 1.
    let conditions = parse_conditions(&request[3..])?;
    let mut when = parse_int(&request[2])?;
    let invalid = CommandError::InvalidExpireTime(arg.name);
    if arg.in_seconds {
        when = when.checked_mul(1000).ok_or(invalid.clone())?;
    }
    if arg.relative {
        when = when.checked_add(ctx.now_ms as i64).ok_or(invalid)?;
    }
    let key = &request[1];
    let mut store = ctx.write();
    let Some(entry) = store.get_mut(key, ctx.now_ms) else {
        return Ok(Reply::Integer(0));
    };
    // No TTL counts as an infinite one for GT and LT.
    let current = entry.expires_at().map(|at| at as i64);
    let refused = (conditions.nx && current.is_some())
        || (conditions.xx && current.is_none())
        || (conditions.gt && current.map_or(true, |at| when <= at))
        || (conditions.lt && current.is_some_and(|at| when >= at));
    if refused {
        return Ok(Reply::Integer(0));
    }
    if when <= ctx.now_ms as i64 {
        store.remove(key, ctx.now_ms);
    } else {
        store.set_expiry(key, Some(when as u64));
    }
    Ok(Reply::Integer(1))
    //@ end step 4
}

/// What a TTL-family command reports.
#[derive(Clone, Copy)]
enum TtlView {
    /// Time left, in seconds (TTL) or milliseconds (PTTL).
    Remaining { in_seconds: bool },
    /// The absolute expiry time (EXPIRETIME, PEXPIRETIME).
    Absolute { in_seconds: bool },
}

/// `TTL key`: seconds left, rounded to the nearest second.
pub fn ttl(ctx: &mut Context, request: &mut Request) -> CommandResult {
    report_ttl(ctx, request, TtlView::Remaining { in_seconds: true })
}

/// `PTTL key`: milliseconds left.
pub fn pttl(ctx: &mut Context, request: &mut Request) -> CommandResult {
    //@ step 5: Like TTL, in milliseconds.
    report_ttl(ctx, request, TtlView::Remaining { in_seconds: false })
    //@ end step 5
}

/// `EXPIRETIME key`: the Unix time in seconds at which the key expires.
pub fn expiretime(ctx: &mut Context, request: &mut Request) -> CommandResult {
    report_ttl(ctx, request, TtlView::Absolute { in_seconds: true })
}

/// `PEXPIRETIME key`: the Unix time in milliseconds at which the key expires.
pub fn pexpiretime(ctx: &mut Context, request: &mut Request) -> CommandResult {
    report_ttl(ctx, request, TtlView::Absolute { in_seconds: false })
}

/// Redis's `ttlGenericCommand`: -2 for no key, -1 for no TTL.
fn report_ttl(ctx: &mut Context, request: &mut Request, view: TtlView) -> CommandResult {
    //@ step 4: No key: -2; no TTL: -1; else the time left (TTL rounds to the nearest second).
    let store = ctx.read();
    let Some(entry) = store.get(&request[1], ctx.now_ms) else {
        return Ok(Reply::Integer(-2));
    };
    let Some(at) = entry.expires_at() else {
        return Ok(Reply::Integer(-1));
    };
    let (ms, in_seconds) = match view {
        TtlView::Remaining { in_seconds } => (at.saturating_sub(ctx.now_ms), in_seconds),
        TtlView::Absolute { in_seconds } => (at, in_seconds),
    };
    let value = if in_seconds { (ms + 500) / 1000 } else { ms };
    Ok(Reply::Integer(value as i64))
    //@ end step 4
}

/// `PERSIST key`: 1 if it removed a TTL, 0 if there was none or no key.
pub fn persist(ctx: &mut Context, request: &mut Request) -> CommandResult {
    //@ step 5: If the key exists and has a TTL, remove the TTL and answer 1; else 0.
    let mut store = ctx.write();
    let had_ttl = store
        .get_mut(&request[1], ctx.now_ms)
        .is_some_and(|e| e.expires_at().is_some());
    if had_ttl {
        store.set_expiry(&request[1], None);
    }
    Ok(Reply::Integer(i64::from(had_ttl)))
    //@ end step 5
}
