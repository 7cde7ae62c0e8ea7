//! Hash commands: HSET, HGET, HGETALL, HINCRBY, HRANDFIELD, HSCAN and the
//! rest of Redis's hash commands.
//!
//! The value is a [`Hash`](struct@crate::hash::Hash), which keeps a small hash in
//! insertion order exactly as Redis's listpack does, so the replies that
//! list fields are the same bytes as Redis's; a big hash lists them in an
//! order of its own (see [`crate::hash`]). A hash that loses its last field
//! is deleted.
//!
//! HINCRBYFLOAT adds in C's `long double`, as Redis does, and writes the sum
//! back as Redis prints it ([`crate::long_double`]).

use std::collections::hash_map::RandomState;
use std::collections::HashSet;
use std::hash::BuildHasher;
use std::slice;
use std::time::Instant;

use super::scan::{parse_cursor, parse_scan_options, scan_reply, ScanOptions};
use super::{parse_int, take_arg, Command, CommandError, CommandResult, Context};
use super::{ReadCommand, WriteCommand};
use crate::bytes::Bytes;
use crate::hash::{Hash, MAX_LISTPACK_VALUE};
use crate::long_double::LongDouble;
use crate::protocol::{parse_i64, Reply, Request};
use crate::storage::Store;
use crate::value::Kind;

/// The hash at `key`, if there is one (WRONGTYPE for another kind of value).
fn hash_at<'a>(
    store: &'a Store,
    key: &[u8],
    now_ms: u64,
) -> Result<Option<&'a Hash>, CommandError> {
    match store.get(key, now_ms) {
        Some(value) => Ok(Some(value.as_hash()?)),
        None => Ok(None),
    }
}

/// A reader of one key: its `keys()` for lazy expiry.
macro_rules! one_key {
    () => {
        fn keys(&self) -> &[Vec<u8>] {
            slice::from_ref(&self.key)
        }
    };
}

/// `HSET key field value [field value ...]` (the number of new fields) and
/// `HMSET`, the same with `+OK`.
pub struct Set {
    key: Vec<u8>,
    pairs: Vec<(Bytes, Bytes)>,
    /// HMSET answers OK, HSET the count of fields it added.
    answer_ok: bool,
}

fn parse_set(
    request: Request,
    name: &'static str,
    answer_ok: bool,
) -> Result<Command, CommandError> {
    if request.len() % 2 == 1 {
        return Err(CommandError::WrongArity(name));
    }
    let mut words = request.into_iter().skip(1);
    let key = words.next().expect("arity checked");
    let mut pairs = Vec::with_capacity(words.len() / 2);
    while let (Some(field), Some(value)) = (words.next(), words.next()) {
        pairs.push((field.into(), value.into()));
    }
    Ok(Command::Write(Box::new(Set {
        key,
        pairs,
        answer_ok,
    })))
}

pub fn parse_hset(request: Request, _now_ms: u64) -> Result<Command, CommandError> {
    parse_set(request, "hset", false)
}

pub fn parse_hmset(request: Request, _now_ms: u64) -> Result<Command, CommandError> {
    parse_set(request, "hmset", true)
}

impl WriteCommand for Set {
    fn apply(self: Box<Self>, store: &mut Store, ctx: &Context) -> CommandResult {
        //@ step 6: `get_or_create` a `Kind::Hash`, `as_hash_mut` it (WRONGTYPE), `prepare_for` every field and value, then `insert` each pair, counting the new fields; HMSET answers OK.
        let hash = store
            .get_or_create(&self.key, Kind::Hash, ctx.now_ms)
            .as_hash_mut()?;
        let args = self
            .pairs
            .iter()
            .flat_map(|(f, v)| [f.as_slice(), v.as_slice()]);
        hash.prepare_for(args);
        let mut added = 0;
        for (field, value) in self.pairs {
            added += i64::from(hash.insert(field, value));
        }
        Ok(if self.answer_ok {
            Reply::OK
        } else {
            Reply::Integer(added)
        })
        //@ end step 6
    }
}

/// `HSETNX key field value`: 1 if it set the field, 0 if it was there.
pub struct SetNx {
    key: Vec<u8>,
    field: Bytes,
    value: Bytes,
}

pub fn parse_hsetnx(mut request: Request, _now_ms: u64) -> Result<Command, CommandError> {
    Ok(Command::Write(Box::new(SetNx {
        key: take_arg(&mut request, 1),
        field: take_arg(&mut request, 2).into(),
        value: take_arg(&mut request, 3).into(),
    })))
}

impl WriteCommand for SetNx {
    fn apply(self: Box<Self>, store: &mut Store, ctx: &Context) -> CommandResult {
        let args = [self.field.as_slice(), self.value.as_slice()];
        let long = args.iter().any(|arg| arg.len() > MAX_LISTPACK_VALUE);
        if let Some(value) = store.peek(&self.key, ctx.now_ms) {
            let hash = value.as_hash()?;
            // Nothing is set, so the key has not changed (for WATCH); but
            // Redis converts a small hash for a long field or value even
            // then, which shows in its order. Only that rare case takes the
            // key for writing, and so counts as a change here.
            if hash.contains(&self.field) && !(long && hash.is_small()) {
                return Ok(Reply::Integer(0));
            }
        }
        let hash = store
            .get_or_create(&self.key, Kind::Hash, ctx.now_ms)
            .as_hash_mut()?;
        hash.prepare_for(args.into_iter());
        if hash.contains(&self.field) {
            return Ok(Reply::Integer(0));
        }
        hash.insert(self.field, self.value);
        Ok(Reply::Integer(1))
    }
}

/// `HGET key field`, `HSTRLEN key field` and `HEXISTS key field`.
pub struct Get {
    key: Vec<u8>,
    field: Vec<u8>,
    answer: GetAnswer,
}

#[derive(Clone, Copy)]
enum GetAnswer {
    Value,
    Length,
    Exists,
}

fn parse_get(mut request: Request, answer: GetAnswer) -> Result<Command, CommandError> {
    Ok(Command::Read(Box::new(Get {
        key: take_arg(&mut request, 1),
        field: take_arg(&mut request, 2),
        answer,
    })))
}

pub fn parse_hget(request: Request, _now_ms: u64) -> Result<Command, CommandError> {
    parse_get(request, GetAnswer::Value)
}

pub fn parse_hstrlen(request: Request, _now_ms: u64) -> Result<Command, CommandError> {
    parse_get(request, GetAnswer::Length)
}

pub fn parse_hexists(request: Request, _now_ms: u64) -> Result<Command, CommandError> {
    parse_get(request, GetAnswer::Exists)
}

impl ReadCommand for Get {
    fn apply(&self, store: &Store, ctx: &Context) -> CommandResult {
        //@ step 6: Find the field with `hash_at` and `Hash::get`; answer its value (HGET, or a null), its length (HSTRLEN) or whether it is there (HEXISTS).
        let value = hash_at(store, &self.key, ctx.now_ms)?.and_then(|hash| hash.get(&self.field));
        Ok(match self.answer {
            GetAnswer::Value => value.map_or(Reply::Null, |v| Reply::bulk(v.as_slice())),
            GetAnswer::Length => Reply::Integer(value.map_or(0, |v| v.len() as i64)),
            GetAnswer::Exists => Reply::Integer(i64::from(value.is_some())),
        })
        //@ end step 6
    }

    one_key!();
}

/// `HMGET key field [field ...]`: a null for each missing field.
pub struct MGet {
    key: Vec<u8>,
    fields: Vec<Vec<u8>>,
}

pub fn parse_hmget(request: Request, _now_ms: u64) -> Result<Command, CommandError> {
    let mut words = request.into_iter().skip(1);
    let key = words.next().expect("arity checked");
    Ok(Command::Read(Box::new(MGet {
        key,
        fields: words.collect(),
    })))
}

impl ReadCommand for MGet {
    fn apply(&self, store: &Store, ctx: &Context) -> CommandResult {
        let hash = hash_at(store, &self.key, ctx.now_ms)?;
        let values = self
            .fields
            .iter()
            .map(|field| match hash.and_then(|hash| hash.get(field)) {
                Some(value) => Reply::bulk(value.as_slice()),
                None => Reply::Null,
            });
        Ok(Reply::Array(values.collect()))
    }

    one_key!();
}

/// `HDEL key field [field ...]`: how many it removed.
pub struct Del {
    key: Vec<u8>,
    fields: Vec<Vec<u8>>,
}

pub fn parse_hdel(request: Request, _now_ms: u64) -> Result<Command, CommandError> {
    let mut words = request.into_iter().skip(1);
    let key = words.next().expect("arity checked");
    Ok(Command::Write(Box::new(Del {
        key,
        fields: words.collect(),
    })))
}

impl WriteCommand for Del {
    fn apply(self: Box<Self>, store: &mut Store, ctx: &Context) -> CommandResult {
        let Some(value) = store.peek(&self.key, ctx.now_ms) else {
            return Ok(Reply::Integer(0));
        };
        // Redis counts the key as changed only if a field goes.
        let hash = value.as_hash()?;
        if !self.fields.iter().any(|field| hash.contains(field)) {
            return Ok(Reply::Integer(0));
        }
        let hash = store
            .get_mut(&self.key, ctx.now_ms)
            .expect("just found")
            .as_hash_mut()?;
        let removed = self
            .fields
            .iter()
            .filter(|field| hash.remove(field).is_some())
            .count();
        store.remove_if_empty(&self.key);
        Ok(Reply::Integer(removed as i64))
    }
}

/// `HLEN`, `HGETALL`, `HKEYS` and `HVALS key`: the whole hash, one way or another.
pub struct Whole {
    key: Vec<u8>,
    answer: WholeAnswer,
}

#[derive(Clone, Copy)]
enum WholeAnswer {
    Len,
    /// A map in RESP3.
    All,
    Keys,
    Values,
}

fn parse_whole(mut request: Request, answer: WholeAnswer) -> Result<Command, CommandError> {
    Ok(Command::Read(Box::new(Whole {
        key: take_arg(&mut request, 1),
        answer,
    })))
}

pub fn parse_hlen(request: Request, _now_ms: u64) -> Result<Command, CommandError> {
    parse_whole(request, WholeAnswer::Len)
}

pub fn parse_hgetall(request: Request, _now_ms: u64) -> Result<Command, CommandError> {
    parse_whole(request, WholeAnswer::All)
}

pub fn parse_hkeys(request: Request, _now_ms: u64) -> Result<Command, CommandError> {
    parse_whole(request, WholeAnswer::Keys)
}

pub fn parse_hvals(request: Request, _now_ms: u64) -> Result<Command, CommandError> {
    parse_whole(request, WholeAnswer::Values)
}

impl ReadCommand for Whole {
    fn apply(&self, store: &Store, ctx: &Context) -> CommandResult {
        //@ step 6: A missing key is an empty hash; answer its length (HLEN), a `Reply::Map` of every field and value (HGETALL), its fields (HKEYS) or its values (HVALS), in `iter()` order.
        let empty = Hash::new();
        let hash = hash_at(store, &self.key, ctx.now_ms)?.unwrap_or(&empty);
        let bulk = |bytes: &Bytes| Reply::bulk(bytes.as_slice());
        Ok(match self.answer {
            WholeAnswer::Len => Reply::Integer(hash.len() as i64),
            WholeAnswer::All => Reply::Map(hash.iter().map(|(f, v)| (bulk(f), bulk(v))).collect()),
            WholeAnswer::Keys => Reply::Array(hash.iter().map(|(f, _)| bulk(f)).collect()),
            WholeAnswer::Values => Reply::Array(hash.iter().map(|(_, v)| bulk(v)).collect()),
        })
        //@ end step 6
    }

    one_key!();
}

/// `HINCRBY key field increment`: the increment is read first, then the
/// key's type, then the field's value, which must be an integer.
pub struct IncrBy {
    key: Vec<u8>,
    field: Bytes,
    by: i64,
}

pub fn parse_hincrby(mut request: Request, _now_ms: u64) -> Result<Command, CommandError> {
    let by = parse_int(&request[3])?;
    Ok(Command::Write(Box::new(IncrBy {
        key: take_arg(&mut request, 1),
        field: take_arg(&mut request, 2).into(),
        by,
    })))
}

impl WriteCommand for IncrBy {
    fn apply(self: Box<Self>, store: &mut Store, ctx: &Context) -> CommandResult {
        let hash = store
            .get_or_create(&self.key, Kind::Hash, ctx.now_ms)
            .as_hash_mut()?;
        let current = match hash.get(&self.field) {
            Some(value) => parse_i64(value).ok_or(CommandError::HashValueNotInteger)?,
            None => 0,
        };
        let updated = current.checked_add(self.by).ok_or(CommandError::Overflow)?;
        let mut digits = Bytes::copy_from(b"");
        digits.set_integer(updated);
        hash.insert(self.field, digits);
        Ok(Reply::Integer(updated))
    }
}

/// `HINCRBYFLOAT key field increment`: the sum, in `long double`, as text.
pub struct IncrByFloat {
    key: Vec<u8>,
    field: Bytes,
    by: LongDouble,
}

pub fn parse_hincrbyfloat(mut request: Request, _now_ms: u64) -> Result<Command, CommandError> {
    let by = LongDouble::parse(&request[3]).ok_or(CommandError::NotAFloat)?;
    if by.is_nan_or_infinite() {
        return Err(CommandError::NanOrInfinity);
    }
    Ok(Command::Write(Box::new(IncrByFloat {
        key: take_arg(&mut request, 1),
        field: take_arg(&mut request, 2).into(),
        by,
    })))
}

impl WriteCommand for IncrByFloat {
    fn apply(self: Box<Self>, store: &mut Store, ctx: &Context) -> CommandResult {
        let hash = store
            .get_or_create(&self.key, Kind::Hash, ctx.now_ms)
            .as_hash_mut()?;
        let current = match hash.get(&self.field) {
            Some(value) => LongDouble::parse(value).ok_or(CommandError::HashValueNotFloat)?,
            None => LongDouble::ZERO,
        };
        let text = (current + self.by)
            .to_human()
            .ok_or(CommandError::IncrementNanOrInfinity)?;
        hash.insert(self.field, Bytes::from(text.clone().into_bytes()));
        Ok(Reply::bulk(text))
    }
}

/// `HRANDFIELD key [count [WITHVALUES]]`.
///
/// Without a count: one random field, or a null. With a count `n`: `n`
/// distinct fields if positive (the whole hash if it has no more, in its
/// order), `-n` fields that may repeat if negative. The sample of
/// distinct fields comes in the hash's order, as Redis's listpack sampling
/// gives it; its choice is random, so no test can compare it byte for byte.
pub struct RandField {
    key: Vec<u8>,
    count: Option<i64>,
    with_values: bool,
}

pub fn parse_hrandfield(mut request: Request, _now_ms: u64) -> Result<Command, CommandError> {
    let mut count = None;
    let mut with_values = false;
    if let Some(arg) = request.get(2) {
        let n = parse_int(arg)?;
        if n == i64::MIN {
            return Err(CommandError::OutOfRange(-i64::MAX, i64::MAX));
        }
        match request.len() {
            3 => {}
            4 if request[3].eq_ignore_ascii_case(b"withvalues") => with_values = true,
            _ => return Err(CommandError::Syntax),
        }
        // Redis refuses a count whose fields and values would overflow.
        if with_values && !(-(i64::MAX / 2)..=i64::MAX / 2).contains(&n) {
            return Err(CommandError::ValueOutOfRange);
        }
        count = Some(n);
    }
    Ok(Command::Read(Box::new(RandField {
        key: take_arg(&mut request, 1),
        count,
        with_values,
    })))
}

/// A small xorshift generator, seeded differently each time: random enough
/// to sample fields, and no dependency.
struct Rng(u64);

impl Rng {
    fn new() -> Rng {
        Rng(RandomState::new().hash_one(Instant::now()) | 1)
    }

    /// A number in `0..n` (`n` > 0).
    fn below(&mut self, n: usize) -> usize {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 % n as u64) as usize
    }
}

impl RandField {
    /// The entry numbers to reply with.
    fn pick(&self, len: usize, count: i64) -> Vec<usize> {
        let mut rng = Rng::new();
        if count < 0 {
            let n = count.unsigned_abs() as usize;
            return (0..n).map(|_| rng.below(len)).collect();
        }
        let n = count as usize;
        if n >= len {
            return (0..len).collect();
        }
        // Floyd's sampling: n distinct numbers below len, in n steps.
        let mut chosen = HashSet::with_capacity(n);
        for top in len - n..len {
            let pick = rng.below(top + 1);
            if !chosen.insert(pick) {
                chosen.insert(top);
            }
        }
        let mut chosen: Vec<usize> = chosen.into_iter().collect();
        chosen.sort_unstable();
        chosen
    }
}

impl ReadCommand for RandField {
    fn apply(&self, store: &Store, ctx: &Context) -> CommandResult {
        let hash = hash_at(store, &self.key, ctx.now_ms)?;
        let Some(count) = self.count else {
            return Ok(match hash {
                Some(hash) => {
                    let (field, _) = hash.entry(Rng::new().below(hash.len())).expect("in range");
                    Reply::bulk(field.as_slice())
                }
                None => Reply::Null,
            });
        };
        let Some(hash) = hash.filter(|_| count != 0) else {
            return Ok(Reply::Array(Vec::new()));
        };
        // Redis 7.0 aborts, out of memory, on a count it cannot allocate
        // (HRANDFIELD h -9223372036854775807). Here the one client gets an
        // error instead, before anything is allocated.
        let picks = if count < 0 {
            count.unsigned_abs() as usize
        } else {
            hash.len().min(count as usize)
        };
        let per_pick = std::mem::size_of::<usize>() + 2 * std::mem::size_of::<Reply>();
        if Vec::<u8>::new()
            .try_reserve_exact(picks.saturating_mul(per_pick))
            .is_err()
        {
            return Err(CommandError::ReplyTooLarge);
        }
        let entries = self
            .pick(hash.len(), count)
            .into_iter()
            .map(|n| hash.entry(n).expect("in range"));
        let bulk = |bytes: &Bytes| Reply::bulk(bytes.as_slice());
        Ok(if self.with_values {
            Reply::Pairs(entries.map(|(f, v)| (bulk(f), bulk(v))).collect())
        } else {
            Reply::Array(entries.map(|(f, _)| bulk(f)).collect())
        })
    }

    one_key!();
}

/// `HSCAN key cursor [MATCH pattern] [COUNT count]`.
///
/// A small hash is returned whole, with cursor 0, whatever the cursor and
/// COUNT, as Redis returns a listpack. A big one is walked `count` entries
/// (10 by default) at a time with [`Hash::scan`]'s cursor, which keeps
/// SCAN's guarantee; its cursors are not Redis's bucket numbers.
pub struct Scan {
    key: Vec<u8>,
    cursor: u64,
    /// Redis reads the options only once it has found the hash: a missing
    /// key answers an empty scan even with bad options. So an error here
    /// waits for the key to be looked at.
    options: Result<ScanOptions, CommandError>,
}

pub fn parse_hscan(mut request: Request, _now_ms: u64) -> Result<Command, CommandError> {
    let cursor = parse_cursor(&request[2])?;
    let options = parse_scan_options(&request[3..], false);
    Ok(Command::Read(Box::new(Scan {
        key: take_arg(&mut request, 1),
        cursor,
        options,
    })))
}

impl ReadCommand for Scan {
    fn apply(&self, store: &Store, ctx: &Context) -> CommandResult {
        let Some(hash) = hash_at(store, &self.key, ctx.now_ms)? else {
            return Ok(scan_reply(0, Vec::new()));
        };
        let options = self.options.as_ref().map_err(Clone::clone)?;
        let (next, entries): (u64, Box<dyn Iterator<Item = (&Bytes, &Bytes)>>) = if hash.is_small()
        {
            (0, Box::new(hash.iter()))
        } else {
            let (next, entries) = hash.scan(self.cursor, options.count);
            (next, Box::new(entries.iter().rev().map(|(f, v)| (f, v))))
        };
        let mut items = Vec::new();
        for (field, value) in entries {
            if options.matches(field) {
                items.push(Reply::bulk(field.as_slice()));
                items.push(Reply::bulk(value.as_slice()));
            }
        }
        Ok(scan_reply(next, items))
    }

    one_key!();
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn floyd_sampling_gives_distinct_fields_in_order() {
        let command = RandField {
            key: Vec::new(),
            count: None,
            with_values: false,
        };
        for (len, count) in [(10, 3), (10, 9), (1000, 10), (5, 5), (5, 50)] {
            let picked = command.pick(len, count);
            assert_eq!(picked.len(), count.min(len as i64) as usize);
            assert!(picked.windows(2).all(|w| w[0] < w[1]), "{picked:?}");
            assert!(picked.iter().all(|&n| n < len));
        }
        let repeats = command.pick(3, -20);
        assert_eq!(repeats.len(), 20);
        assert!(repeats.iter().all(|&n| n < 3));
    }
}
