//! String commands: GET, SET and their relatives.
//!
//! Every value is a byte string. The counters (INCR and friends) read the
//! value as a decimal integer with Redis's strict rules and write it back as
//! text; they keep the key's TTL, as Redis does. SET and GETSET replace the
//! whole entry, TTL included, unless SET is given KEEPTTL.

use std::io::Write as _;
use std::mem::take;

use super::{parse_int, CommandError, CommandResult, Context};
use crate::protocol::{Reply, Request};

/// `GET key`
pub fn get(ctx: &mut Context, request: &mut Request) -> CommandResult {
    //@ step 3: Under the read lock, look the key up: its value as a bulk reply, or Null.
    let store = ctx.read();
    Ok(match store.get(&request[1], ctx.now_ms) {
        Some(entry) => Reply::bulk(entry.value.as_slice()),
        None => Reply::Null,
    })
    //@ end step 3
}

/// When a SET may happen, given whether the key exists now.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Condition {
    Always,
    /// NX: only if the key does not exist.
    IfAbsent,
    /// XX: only if the key already exists.
    IfPresent,
}

/// The expiry a SET asks for.
#[derive(Clone, Copy, PartialEq, Eq)]
enum NewTtl {
    /// No option: the key loses any TTL it had.
    Clear,
    /// KEEPTTL: the key keeps the TTL it had.
    Keep,
    /// EX, PX, EXAT or PXAT, already turned into Unix milliseconds.
    At(u64),
}

/// What SET's options ask for.
#[derive(Clone, Copy)]
struct SetOptions {
    condition: Condition,
    /// GET: answer with the value the key had before.
    return_old: bool,
    ttl: NewTtl,
}

impl SetOptions {
    /// A plain `SET key value`: always set, answer OK, drop any old TTL.
    const NONE: SetOptions = SetOptions {
        condition: Condition::Always,
        return_old: false,
        ttl: NewTtl::Clear,
    };

    /// Reads `[NX|XX] [GET] [EX s|PX ms|EXAT ts|PXAT ms-ts|KEEPTTL]`, in any
    /// order. A repeated option is fine; a conflicting one is a syntax error.
    fn parse(options: &[Vec<u8>], now_ms: u64) -> Result<SetOptions, CommandError> {
        //@ step 5: Walk the options (any case, any order): NX, XX, GET, KEEPTTL, or EX/PX/EXAT/PXAT and a number; anything else or a conflict is a syntax error.
        let mut parsed = SetOptions::NONE;
        let mut expiry: Option<(&[u8], &[u8])> = None; // (option name, its argument)
        let mut keep_ttl = false;
        let mut i = 0;
        while i < options.len() {
            let option = options[i].to_ascii_lowercase();
            let next = options.get(i + 1);
            let condition = parsed.condition;
            match (option.as_slice(), next) {
                (b"nx", _) if condition != Condition::IfPresent => {
                    parsed.condition = Condition::IfAbsent
                }
                (b"xx", _) if condition != Condition::IfAbsent => {
                    parsed.condition = Condition::IfPresent
                }
                (b"get", _) => parsed.return_old = true,
                (b"keepttl", _) if expiry.is_none() => keep_ttl = true,
                (b"ex" | b"px" | b"exat" | b"pxat", Some(value))
                    if !keep_ttl
                        && expiry.map_or(true, |(name, _)| name.eq_ignore_ascii_case(&option)) =>
                {
                    expiry = Some((&options[i], value));
                    i += 1;
                }
                _ => return Err(CommandError::Syntax),
            }
            i += 1;
        }
        parsed.ttl = match expiry {
            Some((unit, amount)) => NewTtl::At(expire_at(now_ms, unit, amount, "set")?),
            None if keep_ttl => NewTtl::Keep,
            None => NewTtl::Clear,
        };
        Ok(parsed)
        //@ end step 5
    }
}

/// `SET key value [NX|XX] [GET] [EX s|PX ms|EXAT ts|PXAT ms-ts|KEEPTTL]`
pub fn set(ctx: &mut Context, request: &mut Request) -> CommandResult {
    let options = if request.len() > 3 {
        SetOptions::parse(&request[3..], ctx.now_ms)?
    } else {
        SetOptions::NONE
    };
    //@ step 3: Move the key and value out of the request, store them under the write lock, answer OK. (Step 5 adds the options.)
    let key = take(&mut request[1]);
    let value = take(&mut request[2]);
    let now = ctx.now_ms;
    let mut store = ctx.write();
    // NX, XX and KEEPTTL need to know what is there now; a plain SET does not.
    let current_ttl = if options.condition != Condition::Always || options.ttl == NewTtl::Keep {
        store.get(&key, now).map(|e| e.expires_at())
    } else {
        None
    };
    let allowed = match options.condition {
        Condition::Always => true,
        Condition::IfAbsent => current_ttl.is_none(),
        Condition::IfPresent => current_ttl.is_some(),
    };
    if !allowed {
        let current = options
            .return_old
            .then(|| store.get(&key, now).map(|e| e.value.clone()));
        return Ok(current.flatten().map_or(Reply::Null, Reply::Bulk));
    }
    let expires_at = match options.ttl {
        NewTtl::Clear => None,
        NewTtl::Keep => current_ttl.flatten(),
        NewTtl::At(at) => Some(at),
    };
    let old = store.set(key, value, expires_at, now);
    drop(store);
    Ok(match (options.return_old, old) {
        (true, Some(old)) => Reply::Bulk(old.value),
        (true, None) => Reply::Null,
        (false, _) => Reply::OK,
    })
    //@ end step 3
}

/// Turns SET's `EX 10` (or PX, EXAT, PXAT) into Unix milliseconds, with
/// Redis's checks: the number must be positive and must not overflow.
fn expire_at(
    now_ms: u64,
    unit: &[u8],
    amount: &[u8],
    command: &'static str,
) -> Result<u64, CommandError> {
    let amount = parse_int(amount)?;
    let invalid = CommandError::InvalidExpireTime(command);
    let unit = unit.to_ascii_lowercase();
    let in_seconds = unit == b"ex" || unit == b"exat";
    if amount <= 0 || (in_seconds && amount > i64::MAX / 1000) {
        return Err(invalid);
    }
    let ms = if in_seconds { amount * 1000 } else { amount };
    let relative = unit == b"ex" || unit == b"px";
    let at = if relative {
        ms.checked_add(now_ms as i64).ok_or(invalid)?
    } else {
        ms
    };
    Ok(at as u64)
}

/// `SETNX key value`: 1 if it set the key, 0 if the key already existed.
pub fn setnx(ctx: &mut Context, request: &mut Request) -> CommandResult {
    let mut store = ctx.write();
    if store.get(&request[1], ctx.now_ms).is_some() {
        return Ok(Reply::Integer(0));
    }
    store.set(
        take(&mut request[1]),
        take(&mut request[2]),
        None,
        ctx.now_ms,
    );
    Ok(Reply::Integer(1))
}

/// `SETEX key seconds value`
pub fn setex(ctx: &mut Context, request: &mut Request) -> CommandResult {
    set_with_ttl(ctx, request, b"ex", "setex")
}

/// `PSETEX key milliseconds value`
pub fn psetex(ctx: &mut Context, request: &mut Request) -> CommandResult {
    set_with_ttl(ctx, request, b"px", "psetex")
}

fn set_with_ttl(
    ctx: &mut Context,
    request: &mut Request,
    unit: &[u8],
    command: &'static str,
) -> CommandResult {
    let at = expire_at(ctx.now_ms, unit, &request[2], command)?;
    let old = ctx.write().set(
        take(&mut request[1]),
        take(&mut request[3]),
        Some(at),
        ctx.now_ms,
    );
    drop(old); // freed after the lock is released
    Ok(Reply::OK)
}

/// `GETSET key value`: sets, and returns the value it replaced.
pub fn getset(ctx: &mut Context, request: &mut Request) -> CommandResult {
    let old = ctx.write().set(
        take(&mut request[1]),
        take(&mut request[2]),
        None,
        ctx.now_ms,
    );
    Ok(old.map_or(Reply::Null, |e| Reply::Bulk(e.value)))
}

/// `GETDEL key`: returns the value and deletes the key.
pub fn getdel(ctx: &mut Context, request: &mut Request) -> CommandResult {
    let old = ctx.write().remove(&request[1], ctx.now_ms);
    Ok(old.map_or(Reply::Null, |e| Reply::Bulk(e.value)))
}

/// `MGET key [key ...]`: one reply per key, null where it is missing.
pub fn mget(ctx: &mut Context, request: &mut Request) -> CommandResult {
    let store = ctx.read();
    let values = request[1..]
        .iter()
        .map(|key| match store.get(key, ctx.now_ms) {
            Some(entry) => Reply::bulk(entry.value.as_slice()),
            None => Reply::Null,
        })
        .collect();
    Ok(Reply::Array(values))
}

/// `MSET key value [key value ...]`, all under one lock: atomic.
pub fn mset(ctx: &mut Context, request: &mut Request) -> CommandResult {
    if request.len() % 2 == 0 {
        return Err(CommandError::WrongArity("mset"));
    }
    let mut store = ctx.write();
    for pair in request[1..].chunks_exact_mut(2) {
        store.set(take(&mut pair[0]), take(&mut pair[1]), None, ctx.now_ms);
    }
    Ok(Reply::OK)
}

/// `MSETNX key value [key value ...]`: sets all, or none if any key exists.
pub fn msetnx(ctx: &mut Context, request: &mut Request) -> CommandResult {
    if request.len() % 2 == 0 {
        return Err(CommandError::WrongArity("msetnx"));
    }
    let mut store = ctx.write();
    let mut keys = request[1..].iter().step_by(2);
    if keys.any(|key| store.get(key, ctx.now_ms).is_some()) {
        return Ok(Reply::Integer(0));
    }
    for pair in request[1..].chunks_exact_mut(2) {
        store.set(take(&mut pair[0]), take(&mut pair[1]), None, ctx.now_ms);
    }
    Ok(Reply::Integer(1))
}

/// `INCR key`
pub fn incr(ctx: &mut Context, request: &mut Request) -> CommandResult {
    add(ctx, &request[1], 1)
}

/// `DECR key`
pub fn decr(ctx: &mut Context, request: &mut Request) -> CommandResult {
    add(ctx, &request[1], -1)
}

/// `INCRBY key increment`
pub fn incrby(ctx: &mut Context, request: &mut Request) -> CommandResult {
    let by = parse_int(&request[2])?;
    add(ctx, &request[1], by)
}

/// `DECRBY key decrement`
pub fn decrby(ctx: &mut Context, request: &mut Request) -> CommandResult {
    let by = parse_int(&request[2])?;
    let negated = by.checked_neg().ok_or(CommandError::DecrementOverflow)?;
    add(ctx, &request[1], negated)
}

/// Adds `by` to the integer stored at `key` (0 if absent), keeping its TTL.
fn add(ctx: &mut Context, key: &[u8], by: i64) -> CommandResult {
    //@ step 3: Under the write lock: a missing key starts at 0; parse the value, add with overflow checks, store the digits.
    let mut store = ctx.write();
    let Some(entry) = store.get_mut(key, ctx.now_ms) else {
        store.set(key.to_vec(), by.to_string().into_bytes(), None, ctx.now_ms);
        return Ok(Reply::Integer(by));
    };
    let updated = parse_int(&entry.value)?
        .checked_add(by)
        .ok_or(CommandError::Overflow)?;
    // Rewrite the digits in the value's own buffer: no allocation.
    entry.value.clear();
    write!(entry.value, "{updated}").expect("writing to a Vec cannot fail");
    Ok(Reply::Integer(updated))
    //@ end step 3
}

/// `APPEND key value`: the new length.
pub fn append(ctx: &mut Context, request: &mut Request) -> CommandResult {
    let mut store = ctx.write();
    let length = match store.get_mut(&request[1], ctx.now_ms) {
        Some(entry) => {
            entry.value.extend_from_slice(&request[2]);
            entry.value.len()
        }
        None => {
            let length = request[2].len();
            store.set(
                take(&mut request[1]),
                take(&mut request[2]),
                None,
                ctx.now_ms,
            );
            length
        }
    };
    Ok(Reply::Integer(length as i64))
}

/// `STRLEN key`: 0 for a missing key.
pub fn strlen(ctx: &mut Context, request: &mut Request) -> CommandResult {
    let store = ctx.read();
    let length = store
        .get(&request[1], ctx.now_ms)
        .map_or(0, |e| e.value.len());
    Ok(Reply::Integer(length as i64))
}
