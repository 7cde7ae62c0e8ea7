//! String commands: GET, SET and their relatives.
//!
//! The counters (INCR and friends) read the value as a decimal integer with
//! Redis's strict rules and write it back as text; they keep the key's TTL,
//! as Redis does. SET and GETSET replace the whole entry, TTL included,
//! unless SET is given KEEPTTL.

use std::slice;

use super::{parse_int, take_arg, Command, CommandError, CommandResult, Context};
use super::{ReadCommand, WriteCommand};
use crate::protocol::{Reply, Request, MAX_BULK_LEN};
use crate::storage::Store;
use crate::value::{Bytes, Value};

/// A string value's bulk reply, or WRONGTYPE for another kind of value.
fn string_reply(value: Option<&Value>) -> CommandResult {
    match value {
        Some(value) => Ok(Reply::bulk(value.as_string()?.as_slice())),
        None => Ok(Reply::Null),
    }
}

/// `GET key`
pub struct Get {
    key: Vec<u8>,
}

pub fn parse_get(mut request: Request, _now_ms: u64) -> Result<Command, CommandError> {
    Ok(Command::Read(Box::new(Get {
        key: take_arg(&mut request, 1),
    })))
}

impl ReadCommand for Get {
    fn apply(&self, store: &Store, ctx: &Context) -> CommandResult {
        //@ step 3: Look the key up in the store: its string as a bulk reply, or Null (`string_reply` does both).
        string_reply(store.get(&self.key, ctx.now_ms))
        //@ end step 3
    }

    fn keys(&self) -> &[Vec<u8>] {
        slice::from_ref(&self.key)
    }
}

/// When a SET may happen, given whether the key exists now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Condition {
    Always,
    /// NX: only if the key does not exist.
    IfAbsent,
    /// XX: only if the key already exists.
    IfPresent,
}

/// The expiry a SET asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NewTtl {
    /// No option: the key loses any TTL it had.
    Clear,
    /// KEEPTTL: the key keeps the TTL it had.
    Keep,
    /// EX, PX, EXAT or PXAT, already turned into Unix milliseconds.
    At(u64),
}

/// What a SET-like command answers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Answer {
    /// `+OK`, or a null reply if the condition stopped it (SET, SETEX).
    Ok,
    /// The value the key had before (SET ... GET, GETSET).
    OldValue,
    /// `:1` if it set the key, `:0` if not (SETNX).
    Flag,
}

/// SET and the commands that are SET with fixed options: SETNX, SETEX,
/// PSETEX and GETSET.
#[derive(Debug)]
pub struct Set {
    key: Bytes,
    value: Bytes,
    condition: Condition,
    ttl: NewTtl,
    answer: Answer,
}

impl Set {
    fn new(request: &mut Request, key: usize, value: usize) -> Set {
        Set {
            key: take_arg(request, key).into(),
            value: take_arg(request, value).into(),
            condition: Condition::Always,
            ttl: NewTtl::Clear,
            answer: Answer::Ok,
        }
    }

    /// Reads `[NX|XX] [GET] [EX s|PX ms|EXAT ts|PXAT ms-ts|KEEPTTL]`, in any
    /// order. A repeated option is fine; a conflicting one is a syntax error.
    fn parse_options(&mut self, options: &[Vec<u8>], now_ms: u64) -> Result<(), CommandError> {
        //@ step 5: Walk the options (any case, any order): NX, XX, GET, KEEPTTL, or EX/PX/EXAT/PXAT and a number; anything else or a conflict is a syntax error.
        let mut expiry: Option<(&[u8], &[u8])> = None; // (option name, its argument)
        let mut keep_ttl = false;
        let mut i = 0;
        while i < options.len() {
            let option = options[i].to_ascii_lowercase();
            let next = options.get(i + 1);
            let condition = self.condition;
            match (option.as_slice(), next) {
                (b"nx", _) if condition != Condition::IfPresent => {
                    self.condition = Condition::IfAbsent
                }
                (b"xx", _) if condition != Condition::IfAbsent => {
                    self.condition = Condition::IfPresent
                }
                (b"get", _) => self.answer = Answer::OldValue,
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
        self.ttl = match expiry {
            Some((unit, amount)) => NewTtl::At(expire_at(now_ms, unit, amount, "set")?),
            None if keep_ttl => NewTtl::Keep,
            None => NewTtl::Clear,
        };
        Ok(())
        //@ end step 5
    }
}

/// `SET key value [NX|XX] [GET] [EX s|PX ms|EXAT ts|PXAT ms-ts|KEEPTTL]`
pub fn parse_set(mut request: Request, now_ms: u64) -> Result<Command, CommandError> {
    let mut set = Set::new(&mut request, 1, 2);
    if request.len() > 3 {
        set.parse_options(&request[3..], now_ms)?;
    }
    Ok(Command::Write(Box::new(set)))
}

/// `SETNX key value`: 1 if it set the key, 0 if the key already existed.
pub fn parse_setnx(mut request: Request, _now_ms: u64) -> Result<Command, CommandError> {
    let mut set = Set::new(&mut request, 1, 2);
    set.condition = Condition::IfAbsent;
    set.answer = Answer::Flag;
    Ok(Command::Write(Box::new(set)))
}

/// `SETEX key seconds value`
pub fn parse_setex(request: Request, now_ms: u64) -> Result<Command, CommandError> {
    parse_set_with_ttl(request, now_ms, b"ex", "setex")
}

/// `PSETEX key milliseconds value`
pub fn parse_psetex(request: Request, now_ms: u64) -> Result<Command, CommandError> {
    parse_set_with_ttl(request, now_ms, b"px", "psetex")
}

fn parse_set_with_ttl(
    mut request: Request,
    now_ms: u64,
    unit: &[u8],
    command: &'static str,
) -> Result<Command, CommandError> {
    let at = expire_at(now_ms, unit, &request[2], command)?;
    let mut set = Set::new(&mut request, 1, 3);
    set.ttl = NewTtl::At(at);
    Ok(Command::Write(Box::new(set)))
}

/// `GETSET key value`: sets, and returns the value it replaced.
pub fn parse_getset(mut request: Request, _now_ms: u64) -> Result<Command, CommandError> {
    let mut set = Set::new(&mut request, 1, 2);
    set.answer = Answer::OldValue;
    Ok(Command::Write(Box::new(set)))
}

impl WriteCommand for Set {
    fn apply(self: Box<Self>, store: &mut Store, ctx: &Context) -> CommandResult {
        //@ step 3: Store the value under the key and answer OK. (Step 5 adds the condition, the TTL and the other answers.)
        let Set {
            key,
            value,
            condition,
            ttl,
            answer,
        } = *self;
        let now = ctx.now_ms;
        if (condition, ttl, answer) == (Condition::Always, NewTtl::Clear, Answer::Ok) {
            // A plain SET needs nothing of the old value: one lookup, not two.
            store.set(key, Value::String(value), None, now);
            return Ok(Reply::OK);
        }
        // A writer's lookup deletes the key if it has expired (`peek`).
        let current = store.peek(&key, now);
        // GET answers the old value, which must be a string even if no SET happens.
        let old = match (answer, current) {
            (Answer::OldValue, Some(value)) => Reply::bulk(value.as_string()?.as_slice()),
            _ => Reply::Null,
        };
        let exists = current.is_some();
        let allowed = match condition {
            Condition::Always => true,
            Condition::IfAbsent => !exists,
            Condition::IfPresent => exists,
        };
        if allowed {
            let expires_at = match ttl {
                NewTtl::Clear => None,
                NewTtl::Keep if exists => store.expires_at(&key),
                NewTtl::Keep => None,
                NewTtl::At(at) => Some(at),
            };
            store.set(key, Value::String(value), expires_at, now);
        }
        Ok(match answer {
            Answer::OldValue => old,
            Answer::Flag => Reply::Integer(i64::from(allowed)),
            Answer::Ok if allowed => Reply::OK,
            Answer::Ok => Reply::Null,
        })
        //@ end step 3
    }
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

/// `GETDEL key`: returns the value and deletes the key.
pub struct GetDel {
    key: Vec<u8>,
}

pub fn parse_getdel(mut request: Request, _now_ms: u64) -> Result<Command, CommandError> {
    Ok(Command::Write(Box::new(GetDel {
        key: take_arg(&mut request, 1),
    })))
}

impl WriteCommand for GetDel {
    fn apply(self: Box<Self>, store: &mut Store, ctx: &Context) -> CommandResult {
        let reply = string_reply(store.get(&self.key, ctx.now_ms))?;
        store.delete(&self.key, ctx.now_ms);
        Ok(reply)
    }
}

/// `MGET key [key ...]`: one reply per key, null where it is missing or
/// holds another type.
pub struct MGet {
    keys: Vec<Vec<u8>>,
}

pub fn parse_mget(mut request: Request, _now_ms: u64) -> Result<Command, CommandError> {
    request.remove(0);
    Ok(Command::Read(Box::new(MGet { keys: request })))
}

impl ReadCommand for MGet {
    fn apply(&self, store: &Store, ctx: &Context) -> CommandResult {
        let values = self
            .keys
            .iter()
            .map(
                |key| match store.get(key, ctx.now_ms).map(Value::as_string) {
                    Some(Ok(bytes)) => Reply::bulk(bytes.as_slice()),
                    _ => Reply::Null,
                },
            )
            .collect();
        Ok(Reply::Array(values))
    }

    fn keys(&self) -> &[Vec<u8>] {
        &self.keys
    }
}

/// `MSET key value [key value ...]` and `MSETNX`, all under one lock: atomic.
pub struct MSet {
    pairs: Vec<(Bytes, Bytes)>,
    /// MSETNX: set all, or none if any key exists.
    only_if_none_exist: bool,
}

pub fn parse_mset(request: Request, _now_ms: u64) -> Result<Command, CommandError> {
    parse_pairs(request, "mset", false)
}

pub fn parse_msetnx(request: Request, _now_ms: u64) -> Result<Command, CommandError> {
    parse_pairs(request, "msetnx", true)
}

fn parse_pairs(
    request: Request,
    name: &'static str,
    only_if_none_exist: bool,
) -> Result<Command, CommandError> {
    if request.len() % 2 == 0 {
        return Err(CommandError::WrongArity(name));
    }
    let mut words = request.into_iter().skip(1);
    let mut pairs = Vec::with_capacity(words.len() / 2);
    while let (Some(key), Some(value)) = (words.next(), words.next()) {
        pairs.push((key.into(), value.into()));
    }
    Ok(Command::Write(Box::new(MSet {
        pairs,
        only_if_none_exist,
    })))
}

impl WriteCommand for MSet {
    fn apply(self: Box<Self>, store: &mut Store, ctx: &Context) -> CommandResult {
        let now = ctx.now_ms;
        let mut exists = |key: &Bytes| store.peek(key, now).is_some();
        if self.only_if_none_exist && self.pairs.iter().any(|(key, _)| exists(key)) {
            return Ok(Reply::Integer(0));
        }
        for (key, value) in self.pairs {
            store.set(key, Value::String(value), None, now);
        }
        Ok(if self.only_if_none_exist {
            Reply::Integer(1)
        } else {
            Reply::OK
        })
    }
}

/// `INCR`, `DECR`, `INCRBY` and `DECRBY`: adds `by` to the integer stored
/// at `key` (0 if absent), keeping its TTL.
pub struct Add {
    key: Vec<u8>,
    by: i64,
}

pub fn parse_incr(request: Request, _now_ms: u64) -> Result<Command, CommandError> {
    add(request, 1)
}

pub fn parse_decr(request: Request, _now_ms: u64) -> Result<Command, CommandError> {
    add(request, -1)
}

/// `INCRBY key increment`
pub fn parse_incrby(request: Request, _now_ms: u64) -> Result<Command, CommandError> {
    let by = parse_int(&request[2])?;
    add(request, by)
}

/// `DECRBY key decrement`
pub fn parse_decrby(request: Request, _now_ms: u64) -> Result<Command, CommandError> {
    let by = parse_int(&request[2])?;
    let negated = by.checked_neg().ok_or(CommandError::DecrementOverflow)?;
    add(request, negated)
}

fn add(mut request: Request, by: i64) -> Result<Command, CommandError> {
    Ok(Command::Write(Box::new(Add {
        key: take_arg(&mut request, 1),
        by,
    })))
}

impl WriteCommand for Add {
    fn apply(self: Box<Self>, store: &mut Store, ctx: &Context) -> CommandResult {
        //@ step 3: A missing key starts at 0; parse the string, add with overflow checks, write the digits back in place.
        let Some(value) = store.get_mut(&self.key, ctx.now_ms) else {
            let mut digits = Bytes::copy_from(b"");
            digits.set_integer(self.by);
            store.set(self.key.into(), Value::String(digits), None, ctx.now_ms);
            return Ok(Reply::Integer(self.by));
        };
        let bytes = value.as_string_mut()?;
        let updated = parse_int(bytes)?
            .checked_add(self.by)
            .ok_or(CommandError::Overflow)?;
        bytes.set_integer(updated);
        Ok(Reply::Integer(updated))
        //@ end step 3
    }
}

/// `APPEND key value`: the new length.
pub struct Append {
    key: Vec<u8>,
    value: Vec<u8>,
}

pub fn parse_append(mut request: Request, _now_ms: u64) -> Result<Command, CommandError> {
    Ok(Command::Write(Box::new(Append {
        key: take_arg(&mut request, 1),
        value: take_arg(&mut request, 2),
    })))
}

impl WriteCommand for Append {
    fn apply(self: Box<Self>, store: &mut Store, ctx: &Context) -> CommandResult {
        let Some(value) = store.get_mut(&self.key, ctx.now_ms) else {
            let length = self.value.len();
            let value = Value::String(self.value.into());
            store.set(self.key.into(), value, None, ctx.now_ms);
            return Ok(Reply::Integer(length as i64));
        };
        let bytes = value.as_string_mut()?;
        // Redis's checkStringLength: a string may not grow past 512 MB.
        if (bytes.len() + self.value.len()) as u64 > MAX_BULK_LEN as u64 {
            return Err(CommandError::StringTooLong);
        }
        bytes.append(&self.value);
        Ok(Reply::Integer(bytes.len() as i64))
    }
}

/// `STRLEN key`: 0 for a missing key.
pub struct Strlen {
    key: Vec<u8>,
}

pub fn parse_strlen(mut request: Request, _now_ms: u64) -> Result<Command, CommandError> {
    Ok(Command::Read(Box::new(Strlen {
        key: take_arg(&mut request, 1),
    })))
}

impl ReadCommand for Strlen {
    fn apply(&self, store: &Store, ctx: &Context) -> CommandResult {
        let length = match store.get(&self.key, ctx.now_ms) {
            Some(value) => value.as_string()?.len(),
            None => 0,
        };
        Ok(Reply::Integer(length as i64))
    }

    fn keys(&self) -> &[Vec<u8>] {
        slice::from_ref(&self.key)
    }
}
