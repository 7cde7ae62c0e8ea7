//! String commands: GET, SET and their relatives.
//!
//! The counters (INCR and friends) read the value as a decimal integer with
//! Redis's strict rules and write it back as text; they keep the key's TTL,
//! as Redis does. SET and GETSET replace the whole entry, TTL included,
//! unless SET is given KEEPTTL.

use std::slice;

use super::{lcs, parse_int, take_arg, Command, CommandError, CommandResult, Context};
use super::{ReadCommand, WriteCommand};
use crate::bytes::Bytes;
use crate::long_double::LongDouble;
use crate::protocol::{Reply, Request, MAX_BULK_LEN};
use crate::storage::Store;
use crate::value::Value;

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
        //@ stub: // Until step 5 is written, SET takes no option: any is a syntax error.
        //@ stub: Err(CommandError::Syntax)
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
        //@ step 3: Store the value under the key and answer OK; step 5 comes back for the rest.
        //@ again in step 5: Obey `condition` (look with `get_mut`; Null if it refuses), `ttl` (set, clear or keep) and `answer` (OK, or the old value with GET).
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

/// What GETEX does to the key's TTL.
#[derive(Debug, Clone, PartialEq, Eq)]
enum TtlChange {
    /// No option: GETEX is GET.
    Keep,
    /// PERSIST: the key loses its TTL.
    Persist,
    /// EX, PX, EXAT or PXAT, turned into Unix milliseconds; or the error
    /// its number gave, which Redis reports only if the key is a string.
    At(Result<u64, CommandError>),
}

/// `GETEX key [EX s|PX ms|EXAT ts|PXAT ms-ts|PERSIST]`: GET, and a new TTL.
pub struct GetEx {
    key: Vec<u8>,
    change: TtlChange,
}

/// Reads GETEX's options as SET reads its own: any case, an option may be
/// repeated (the last one counts), two different ones are a syntax error.
pub fn parse_getex(mut request: Request, now_ms: u64) -> Result<Command, CommandError> {
    let mut expiry: Option<(&[u8], &[u8])> = None; // (option name, its argument)
    let mut persist = false;
    let options = &request[2..];
    let mut i = 0;
    while i < options.len() {
        let option = options[i].to_ascii_lowercase();
        match (option.as_slice(), options.get(i + 1)) {
            (b"persist", _) if expiry.is_none() => persist = true,
            (b"ex" | b"px" | b"exat" | b"pxat", Some(amount))
                if !persist
                    && expiry.map_or(true, |(name, _)| name.eq_ignore_ascii_case(&option)) =>
            {
                expiry = Some((&options[i], amount));
                i += 1;
            }
            _ => return Err(CommandError::Syntax),
        }
        i += 1;
    }
    let change = match expiry {
        Some((unit, amount)) => TtlChange::At(expire_at(now_ms, unit, amount, "getex")),
        None if persist => TtlChange::Persist,
        None => TtlChange::Keep,
    };
    Ok(Command::Write(Box::new(GetEx {
        key: take_arg(&mut request, 1),
        change,
    })))
}

impl WriteCommand for GetEx {
    fn apply(self: Box<Self>, store: &mut Store, ctx: &Context) -> CommandResult {
        let now = ctx.now_ms;
        // Only looks: a GETEX that leaves the TTL as it was changes nothing.
        let Some(value) = store.peek(&self.key, now) else {
            return Ok(Reply::Null);
        };
        let reply = Reply::bulk(value.as_string()?.as_slice());
        match self.change {
            TtlChange::Keep => {}
            TtlChange::Persist => {
                if store.expires_at(&self.key).is_some() {
                    store.set_expiry(&self.key, None);
                }
            }
            // A time already past deletes the key, as EXPIREAT does.
            TtlChange::At(at) => match at? {
                at if at <= now => {
                    store.delete(&self.key, now);
                }
                at => store.set_expiry(&self.key, Some(at)),
            },
        }
        Ok(reply)
    }
}

/// GETRANGE's `start` and `end` (inclusive, negative ones counting from the
/// end), as the range of bytes they give in a string of `len` bytes, the
/// way Redis 7.0 reads them: each is clamped into the string, so an `end`
/// before the start of the string still takes its first byte, unless both
/// are negative and out of order. `None` is an empty reply.
pub fn string_range(start: i64, end: i64, len: usize) -> Option<std::ops::Range<usize>> {
    if start < 0 && end < 0 && start > end {
        return None;
    }
    // A string has at most 512 MB, so `len + start` cannot overflow.
    let len = len as i64;
    let from_end = |index: i64| if index < 0 { len + index } else { index };
    let start = from_end(start).max(0);
    let end = from_end(end).max(0).min(len - 1);
    if start > end {
        return None; // also every range of an empty string (its `end` is -1)
    }
    Some(start as usize..end as usize + 1)
}

/// `GETRANGE key start end` (and the older `SUBSTR`): part of a string, an
/// empty one for a missing key.
pub struct GetRange {
    key: Vec<u8>,
    start: i64,
    end: i64,
}

pub fn parse_getrange(mut request: Request, _now_ms: u64) -> Result<Command, CommandError> {
    let start = parse_int(&request[2])?;
    let end = parse_int(&request[3])?;
    Ok(Command::Read(Box::new(GetRange {
        key: take_arg(&mut request, 1),
        start,
        end,
    })))
}

impl ReadCommand for GetRange {
    fn apply(&self, store: &Store, ctx: &Context) -> CommandResult {
        let Some(value) = store.get(&self.key, ctx.now_ms) else {
            return Ok(Reply::bulk(Vec::new()));
        };
        let bytes = value.as_string()?;
        let part = string_range(self.start, self.end, bytes.len()).map_or(&[][..], |r| &bytes[r]);
        Ok(Reply::bulk(part))
    }

    fn keys(&self) -> &[Vec<u8>] {
        slice::from_ref(&self.key)
    }
}

/// `SETRANGE key offset value`: overwrites part of a string, padding it
/// with zero bytes up to `offset`; the new length.
pub struct SetRange {
    key: Vec<u8>,
    offset: usize,
    value: Vec<u8>,
}

pub fn parse_setrange(mut request: Request, _now_ms: u64) -> Result<Command, CommandError> {
    let offset = parse_int(&request[2])?;
    let offset = usize::try_from(offset).map_err(|_| CommandError::OffsetOutOfRange)?;
    Ok(Command::Write(Box::new(SetRange {
        key: take_arg(&mut request, 1),
        offset,
        value: take_arg(&mut request, 3),
    })))
}

impl WriteCommand for SetRange {
    fn apply(self: Box<Self>, store: &mut Store, ctx: &Context) -> CommandResult {
        let now = ctx.now_ms;
        let length = match store.peek(&self.key, now) {
            Some(value) => value.as_string()?.len(),
            None => 0,
        };
        // Nothing to write: nothing changes (and no key is created), even
        // at an offset past 512 MB.
        if self.value.is_empty() {
            return Ok(Reply::Integer(length as i64));
        }
        // Redis's checkStringLength. `offset` fits an i64, so no overflow.
        let end = self.offset as u64 + self.value.len() as u64;
        if end > MAX_BULK_LEN as u64 {
            return Err(CommandError::StringTooLong);
        }
        let Some(value) = store.get_mut(&self.key, now) else {
            let length = end as usize;
            // Zeroed memory from the allocator: pages the kernel fills when
            // first touched, not a byte-by-byte loop over up to 512 MB.
            let mut bytes = vec![0; length];
            bytes[self.offset..].copy_from_slice(&self.value);
            store.set(self.key.into(), Value::String(bytes.into()), None, now);
            return Ok(Reply::Integer(length as i64));
        };
        let bytes = value.as_string_mut()?;
        bytes.write_at(self.offset, &self.value);
        Ok(Reply::Integer(bytes.len() as i64))
    }
}

/// LCS's options, or the first error they have.
#[derive(Debug, Clone, Default)]
struct LcsOptions {
    len: bool,
    idx: bool,
    min_match_len: usize,
    with_match_len: bool,
}

/// `LCS key1 key2 [LEN] [IDX] [MINMATCHLEN n] [WITHMATCHLEN]`: the longest
/// common subsequence of two strings (missing keys are empty ones), its
/// length, or where its runs are in each.
pub struct Lcs {
    /// The two keys, for the executor's lazy expiry.
    keys: [Vec<u8>; 2],
    /// Redis checks the keys' types first, then the options: an error in
    /// these waits until the keys are known to hold strings.
    options: Result<LcsOptions, CommandError>,
}

fn parse_lcs_options(options: &[Vec<u8>]) -> Result<LcsOptions, CommandError> {
    let mut parsed = LcsOptions::default();
    let mut i = 0;
    while i < options.len() {
        match (
            options[i].to_ascii_lowercase().as_slice(),
            options.get(i + 1),
        ) {
            (b"len", _) => parsed.len = true,
            (b"idx", _) => parsed.idx = true,
            (b"withmatchlen", _) => parsed.with_match_len = true,
            (b"minmatchlen", Some(n)) => {
                // A negative length is no minimum.
                parsed.min_match_len = parse_int(n)?.max(0).try_into().unwrap_or(usize::MAX);
                i += 1;
            }
            _ => return Err(CommandError::Syntax),
        }
        i += 1;
    }
    if parsed.len && parsed.idx {
        return Err(CommandError::LcsLenAndIdx);
    }
    Ok(parsed)
}

pub fn parse_lcs(mut request: Request, _now_ms: u64) -> Result<Command, CommandError> {
    let options = parse_lcs_options(&request[3..]);
    Ok(Command::Read(Box::new(Lcs {
        keys: [take_arg(&mut request, 1), take_arg(&mut request, 2)],
        options,
    })))
}

impl ReadCommand for Lcs {
    fn apply(&self, store: &Store, ctx: &Context) -> CommandResult {
        let string = |key: &[u8]| match store.get(key, ctx.now_ms) {
            Some(value) => value
                .as_string()
                .map(Bytes::as_slice)
                .map_err(|_| CommandError::LcsNotStrings),
            None => Ok(&[][..]),
        };
        let a = string(&self.keys[0]);
        let b = string(&self.keys[1]);
        let (a, b) = (a?, b?);
        let options = self.options.clone()?;
        if options.len {
            return Ok(Reply::Integer(lcs::length(a, b)? as i64));
        }
        let table = lcs::Table::new(a, b)?;
        let walk = table.walk(a, b);
        if !options.idx {
            return Ok(Reply::Bulk(walk.subsequence));
        }
        let pair = |(from, to): (usize, usize)| {
            Reply::Array(vec![Reply::Integer(from as i64), Reply::Integer(to as i64)])
        };
        let matches = walk
            .matches
            .iter()
            .filter(|m| m.match_len() >= options.min_match_len)
            .map(|m| {
                let mut item = vec![pair(m.a), pair(m.b)];
                if options.with_match_len {
                    item.push(Reply::Integer(m.match_len() as i64));
                }
                Reply::Array(item)
            })
            .collect();
        Ok(Reply::Map(vec![
            (Reply::bulk("matches"), Reply::Array(matches)),
            (Reply::bulk("len"), Reply::Integer(table.lcs_len() as i64)),
        ]))
    }

    fn keys(&self) -> &[Vec<u8>] {
        &self.keys
    }
}

/// `INCRBYFLOAT key increment`: adds in C's `long double`, as Redis does,
/// and keeps the key's TTL. Redis looks at the key (WRONGTYPE, a value that
/// is not a number) before it reads the increment, so the increment stays
/// text until then.
pub struct IncrByFloat {
    key: Vec<u8>,
    by: Vec<u8>,
}

pub fn parse_incrbyfloat(mut request: Request, _now_ms: u64) -> Result<Command, CommandError> {
    Ok(Command::Write(Box::new(IncrByFloat {
        key: take_arg(&mut request, 1),
        by: take_arg(&mut request, 2),
    })))
}

impl WriteCommand for IncrByFloat {
    fn apply(self: Box<Self>, store: &mut Store, ctx: &Context) -> CommandResult {
        let current = match store.peek(&self.key, ctx.now_ms) {
            Some(value) => LongDouble::parse(value.as_string()?).ok_or(CommandError::NotAFloat)?,
            None => LongDouble::ZERO,
        };
        let by = LongDouble::parse(&self.by).ok_or(CommandError::NotAFloat)?;
        let text = (current + by)
            .to_human()
            .ok_or(CommandError::IncrementNanOrInfinity)?;
        let digits = Bytes::from(text.clone().into_bytes());
        match store.get_mut(&self.key, ctx.now_ms) {
            Some(value) => *value = Value::String(digits),
            None => store.set(self.key.into(), Value::String(digits), None, ctx.now_ms),
        }
        Ok(Reply::bulk(text))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::commands::run_on as run;
    use crate::value::Kind;

    /// A store with a string `s` and a list `l`.
    fn with_a_list() -> Store {
        let mut store = Store::new();
        store.set(
            Bytes::copy_from(b"s"),
            Value::String(Bytes::copy_from(b"abc")),
            None,
            0,
        );
        let list = store.get_or_create(b"l", Kind::List, 0);
        list.as_list_mut().unwrap().push_back(b"a");
        store
    }

    #[test]
    fn string_range_clamps_as_redis_7_0_does() {
        // (start, end) on "hello", and what GETRANGE answers.
        let cases: &[(i64, i64, &str)] = &[
            (0, -1, "hello"),
            (1, 3, "ell"),
            (-3, -2, "ll"),
            (-100, 100, "hello"),
            (4, 10, "o"),
            (5, 10, ""),
            (3, 1, ""),
            (-1, -5, ""),
            // An end before the start of the string still takes its first byte...
            (0, -6, "h"),
            (0, -100, "h"),
            (-6, -6, "h"),
            (-6, 0, "h"),
            // ...unless both are negative and out of order.
            (-5, -6, ""),
            (2, -100, ""),
            (i64::MAX, i64::MIN, ""),
            (i64::MIN, i64::MAX, "hello"),
            (i64::MIN, i64::MIN, "h"),
        ];
        for &(start, end, expected) in cases {
            let got = string_range(start, end, 5).map_or("", |r| &"hello"[r]);
            assert_eq!(got, expected, "GETRANGE {start} {end}");
        }
        for (start, end) in [(0, -1), (0, 0), (-1, 0), (-1, -1), (5, 1)] {
            assert_eq!(string_range(start, end, 0), None, "empty: {start} {end}");
        }
    }

    //@ passes from step 3
    #[test]
    fn getrange_and_setrange_check_numbers_before_the_type() {
        let mut store = with_a_list();
        let wrong = Err(CommandError::WrongType);
        assert_eq!(
            run(&mut store, "getrange l x 1", 0),
            Err(CommandError::NotAnInteger)
        );
        assert_eq!(run(&mut store, "getrange l 0 1", 0), wrong);
        assert_eq!(
            run(&mut store, "setrange l x a", 0),
            Err(CommandError::NotAnInteger)
        );
        assert_eq!(
            run(&mut store, "setrange l -1 a", 0),
            Err(CommandError::OffsetOutOfRange)
        );
        assert_eq!(
            run(&mut store, "setrange l 0 ''", 0),
            wrong,
            "even with nothing to write"
        );
        assert_eq!(run(&mut store, "setrange l 0 a", 0), wrong);
        assert_eq!(store.get(b"l", 0).unwrap().kind(), Kind::List);
    }

    //@ passes from step 4
    #[test]
    fn getex_checks_syntax_then_type_then_the_number() {
        let mut store = with_a_list();
        assert_eq!(run(&mut store, "getex l foo", 0), Err(CommandError::Syntax));
        assert_eq!(
            run(&mut store, "getex l ex abc", 0),
            Err(CommandError::WrongType)
        );
        assert_eq!(
            run(&mut store, "getex l ex 10", 0),
            Err(CommandError::WrongType)
        );
        assert_eq!(store.expires_at(b"l"), None);
        assert_eq!(run(&mut store, "getex nokey ex abc", 0), Ok(Reply::Null));
        assert_eq!(
            run(&mut store, "getex s ex abc", 0),
            Err(CommandError::NotAnInteger)
        );
        assert_eq!(
            run(&mut store, "getex s ex 0", 0),
            Err(CommandError::InvalidExpireTime("getex"))
        );
        assert_eq!(
            run(&mut store, "getex s px 500", 1_000),
            Ok(Reply::bulk("abc"))
        );
        assert_eq!(store.expires_at(b"s"), Some(1_500));
        assert_eq!(
            run(&mut store, "getex s pxat 1000", 1_000),
            Ok(Reply::bulk("abc"))
        );
        assert!(
            store.get(b"s", 1_000).is_none(),
            "a time not after now deletes"
        );
    }

    //@ passes from step 3
    #[test]
    fn lcs_names_non_strings_in_its_own_words_before_any_option_error() {
        let mut store = with_a_list();
        let not_strings = Err(CommandError::LcsNotStrings);
        for line in [
            "lcs l s",
            "lcs s l",
            "lcs s l foo",
            "lcs s l idx len",
            "lcs l nokey minmatchlen x",
        ] {
            assert_eq!(run(&mut store, line, 0), not_strings, "{line}");
        }
        assert_eq!(
            run(&mut store, "lcs s nokey foo", 0),
            Err(CommandError::Syntax)
        );
        assert_eq!(
            run(&mut store, "lcs s nokey minmatchlen x len idx", 0),
            Err(CommandError::NotAnInteger)
        );
        assert_eq!(
            run(&mut store, "lcs s nokey len idx minmatchlen x", 0),
            Err(CommandError::NotAnInteger),
            "every option is read before LEN and IDX are compared"
        );
        assert_eq!(
            run(&mut store, "lcs s s len idx", 0),
            Err(CommandError::LcsLenAndIdx)
        );
        assert_eq!(run(&mut store, "lcs s s len", 0), Ok(Reply::Integer(3)));
    }

    //@ passes from step 3
    #[test]
    fn lcs_idx_is_a_map_of_matches_and_len() {
        let mut store = Store::new();
        run(&mut store, "mset a ohmytext b mynewtext", 0).unwrap();
        let pair = |x: i64, y: i64| Reply::Array(vec![Reply::Integer(x), Reply::Integer(y)]);
        let reply = run(&mut store, "lcs a b idx minmatchlen 4 withmatchlen", 0);
        let first = Reply::Array(vec![pair(4, 7), pair(5, 8), Reply::Integer(4)]);
        assert_eq!(
            reply,
            Ok(Reply::Map(vec![
                (Reply::bulk("matches"), Reply::Array(vec![first])),
                (Reply::bulk("len"), Reply::Integer(6)),
            ]))
        );
    }
}
