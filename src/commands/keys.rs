//! Commands about keys rather than values: DEL, EXISTS, TYPE, KEYS, and the
//! expiry family (EXPIRE, TTL, PERSIST and their millisecond and absolute forms).
//!
//! Redis's rules hold: a TTL in the past (or a non-positive relative one)
//! deletes the key at once; TTL rounds to the nearest second; -2 means "no
//! such key" and -1 means "no TTL".

use std::cell::OnceCell;
use std::slice;

use super::{glob, parse_int, session, take_arg, Command, CommandError, CommandResult, Context};
use super::{ReadCommand, WriteCommand};
use crate::protocol::{Reply, Request};
use crate::random;
use crate::storage::Store;

/// The request's arguments after the command name: the keys of DEL, EXISTS...
fn all_keys(mut request: Request) -> Vec<Vec<u8>> {
    request.remove(0);
    request
}

/// `DEL key [key ...]` (also UNLINK): how many keys it removed.
pub struct Del {
    keys: Vec<Vec<u8>>,
}

pub fn parse_del(request: Request, _now_ms: u64) -> Result<Command, CommandError> {
    Ok(Command::Write(Box::new(Del {
        keys: all_keys(request),
    })))
}

impl WriteCommand for Del {
    fn apply(self: Box<Self>, store: &mut Store, ctx: &Context) -> CommandResult {
        //@ step 5: Delete each key; answer how many were there.
        let removed = self
            .keys
            .iter()
            .filter(|key| store.delete(key, ctx.now_ms))
            .count();
        Ok(Reply::Integer(removed as i64))
        //@ end step 5
    }
}

/// `EXISTS key [key ...]`: how many of the keys exist, counting repeats.
pub struct Exists {
    keys: Vec<Vec<u8>>,
}

pub fn parse_exists(request: Request, _now_ms: u64) -> Result<Command, CommandError> {
    Ok(Command::Read(Box::new(Exists {
        keys: all_keys(request),
    })))
}

impl ReadCommand for Exists {
    fn apply(&self, store: &Store, ctx: &Context) -> CommandResult {
        //@ step 5: Count the keys that exist (a repeated key counts each time).
        let found = self
            .keys
            .iter()
            .filter(|key| store.contains(key, ctx.now_ms))
            .count();
        Ok(Reply::Integer(found as i64))
        //@ end step 5
    }

    fn keys(&self) -> &[Vec<u8>] {
        &self.keys
    }
}

/// `TYPE key`: the kind of value, or `none`.
pub struct Type {
    key: Vec<u8>,
}

pub fn parse_type(mut request: Request, _now_ms: u64) -> Result<Command, CommandError> {
    Ok(Command::Read(Box::new(Type {
        key: take_arg(&mut request, 1),
    })))
}

impl ReadCommand for Type {
    fn apply(&self, store: &Store, ctx: &Context) -> CommandResult {
        let name = store
            .get(&self.key, ctx.now_ms)
            .map_or("none", |value| value.kind().name());
        Ok(Reply::Simple(name))
    }

    fn keys(&self) -> &[Vec<u8>] {
        slice::from_ref(&self.key)
    }
}

/// `KEYS pattern`: every live key matching a glob pattern. Like Redis's, this
/// looks at every key; it holds only the read lock, so other readers go on.
pub struct Keys {
    pattern: Vec<u8>,
}

pub fn parse_keys(mut request: Request, _now_ms: u64) -> Result<Command, CommandError> {
    Ok(Command::Read(Box::new(Keys {
        pattern: take_arg(&mut request, 1),
    })))
}

impl ReadCommand for Keys {
    fn apply(&self, store: &Store, ctx: &Context) -> CommandResult {
        let every = self.pattern.as_slice() == b"*";
        let found = store
            .keys(ctx.now_ms)
            .filter(|key| every || glob::matches(&self.pattern, key))
            .map(Reply::bulk)
            .collect();
        Ok(Reply::Array(found))
    }

    /// KEYS looks at no key by name; Redis 7.0 deletes none of the expired
    /// keys it passes over.
    fn keys(&self) -> &[Vec<u8>] {
        &[]
    }
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
pub fn parse_expire(request: Request, now_ms: u64) -> Result<Command, CommandError> {
    let arg = TimeArg {
        name: "expire",
        in_seconds: true,
        relative: true,
    };
    parse_set_ttl(request, now_ms, arg)
}

/// `PEXPIRE key milliseconds [NX|XX|GT|LT]`
pub fn parse_pexpire(request: Request, now_ms: u64) -> Result<Command, CommandError> {
    //@ step 5: The same as EXPIRE, with the time in milliseconds.
    let arg = TimeArg {
        name: "pexpire",
        in_seconds: false,
        relative: true,
    };
    parse_set_ttl(request, now_ms, arg)
    //@ end step 5
}

/// `EXPIREAT key unix-seconds [NX|XX|GT|LT]`
pub fn parse_expireat(request: Request, now_ms: u64) -> Result<Command, CommandError> {
    let arg = TimeArg {
        name: "expireat",
        in_seconds: true,
        relative: false,
    };
    parse_set_ttl(request, now_ms, arg)
}

/// `PEXPIREAT key unix-milliseconds [NX|XX|GT|LT]`
pub fn parse_pexpireat(request: Request, now_ms: u64) -> Result<Command, CommandError> {
    let arg = TimeArg {
        name: "pexpireat",
        in_seconds: false,
        relative: false,
    };
    parse_set_ttl(request, now_ms, arg)
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

/// The four EXPIRE commands, parsed (Redis's `expireGenericCommand`).
pub struct SetTtl {
    key: Vec<u8>,
    /// The new expiry time, absolute, in Unix milliseconds.
    when: i64,
    conditions: Conditions,
}

fn parse_set_ttl(mut request: Request, now_ms: u64, arg: TimeArg) -> Result<Command, CommandError> {
    //@ step 4: Read NX, XX, GT and LT with `parse_conditions` (given), then turn the time into absolute Unix milliseconds, with Redis's overflow checks; build a SetTtl.
    let conditions = parse_conditions(&request[3..])?;
    let mut when = parse_int(&request[2])?;
    let invalid = CommandError::InvalidExpireTime(arg.name);
    if arg.in_seconds {
        when = when.checked_mul(1000).ok_or(invalid.clone())?;
    }
    if arg.relative {
        when = when.checked_add(now_ms as i64).ok_or(invalid)?;
    }
    Ok(Command::Write(Box::new(SetTtl {
        key: take_arg(&mut request, 1),
        when,
        conditions,
    })))
    //@ end step 4
}

impl WriteCommand for SetTtl {
    fn apply(self: Box<Self>, store: &mut Store, ctx: &Context) -> CommandResult {
        //@ step 4: No key: 0; a condition that refuses (NX: a TTL is there; XX: none is; GT, LT: compare with the TTL, none being infinite): 0; a time already past deletes the key; else `set_expiry`; answer 1.
        let (key, when, c) = (&self.key, self.when, &self.conditions);
        if store.peek(key, ctx.now_ms).is_none() {
            return Ok(Reply::Integer(0));
        }
        // No TTL counts as an infinite one for GT and LT.
        let current = store.expires_at(key).map(|at| at as i64);
        let refused = (c.nx && current.is_some())
            || (c.xx && current.is_none())
            || (c.gt && current.map_or(true, |at| when <= at))
            || (c.lt && current.is_some_and(|at| when >= at));
        if refused {
            return Ok(Reply::Integer(0));
        }
        if when <= ctx.now_ms as i64 {
            store.delete(key, ctx.now_ms);
        } else {
            store.set_expiry(key, Some(when as u64));
        }
        Ok(Reply::Integer(1))
        //@ end step 4
    }
}

/// What a TTL-family command reports.
#[derive(Clone, Copy)]
enum TtlView {
    /// Time left, in seconds (TTL) or milliseconds (PTTL).
    Remaining { in_seconds: bool },
    /// The absolute expiry time (EXPIRETIME, PEXPIRETIME).
    Absolute { in_seconds: bool },
}

/// TTL, PTTL, EXPIRETIME and PEXPIRETIME (Redis's `ttlGenericCommand`).
pub struct Ttl {
    key: Vec<u8>,
    view: TtlView,
}

fn ttl(mut request: Request, view: TtlView) -> Result<Command, CommandError> {
    Ok(Command::Read(Box::new(Ttl {
        key: take_arg(&mut request, 1),
        view,
    })))
}

/// `TTL key`: seconds left, rounded to the nearest second.
pub fn parse_ttl(request: Request, _now_ms: u64) -> Result<Command, CommandError> {
    ttl(request, TtlView::Remaining { in_seconds: true })
}

/// `PTTL key`: milliseconds left.
pub fn parse_pttl(request: Request, _now_ms: u64) -> Result<Command, CommandError> {
    //@ step 5: Like TTL, in milliseconds.
    ttl(request, TtlView::Remaining { in_seconds: false })
    //@ end step 5
}

/// `EXPIRETIME key`: the Unix time in seconds at which the key expires.
pub fn parse_expiretime(request: Request, _now_ms: u64) -> Result<Command, CommandError> {
    ttl(request, TtlView::Absolute { in_seconds: true })
}

/// `PEXPIRETIME key`: the Unix time in milliseconds at which the key expires.
pub fn parse_pexpiretime(request: Request, _now_ms: u64) -> Result<Command, CommandError> {
    ttl(request, TtlView::Absolute { in_seconds: false })
}

impl ReadCommand for Ttl {
    fn apply(&self, store: &Store, ctx: &Context) -> CommandResult {
        //@ step 4: No key: -2; no TTL: -1; else the time left (TTL rounds to the nearest second).
        if !store.contains(&self.key, ctx.now_ms) {
            return Ok(Reply::Integer(-2));
        }
        let Some(at) = store.expires_at(&self.key) else {
            return Ok(Reply::Integer(-1));
        };
        let (ms, in_seconds) = match self.view {
            TtlView::Remaining { in_seconds } => (at.saturating_sub(ctx.now_ms), in_seconds),
            TtlView::Absolute { in_seconds } => (at, in_seconds),
        };
        let value = if in_seconds { (ms + 500) / 1000 } else { ms };
        Ok(Reply::Integer(value as i64))
        //@ end step 4
    }

    fn keys(&self) -> &[Vec<u8>] {
        slice::from_ref(&self.key)
    }
}

/// `PERSIST key`: 1 if it removed a TTL, 0 if there was none or no key.
pub struct Persist {
    key: Vec<u8>,
}

pub fn parse_persist(mut request: Request, _now_ms: u64) -> Result<Command, CommandError> {
    Ok(Command::Write(Box::new(Persist {
        key: take_arg(&mut request, 1),
    })))
}

impl WriteCommand for Persist {
    fn apply(self: Box<Self>, store: &mut Store, ctx: &Context) -> CommandResult {
        //@ step 5: If the key exists and has a TTL, remove the TTL and answer 1; else 0.
        let had_ttl =
            store.peek(&self.key, ctx.now_ms).is_some() && store.expires_at(&self.key).is_some();
        if had_ttl {
            store.set_expiry(&self.key, None);
        }
        Ok(Reply::Integer(i64::from(had_ttl)))
        //@ end step 5
    }
}

/// `RENAME key newkey` and `RENAMENX key newkey`: the value moves, with its
/// TTL, over whatever `newkey` held (RENAMENX: only if `newkey` is free).
pub struct Rename {
    from: Vec<u8>,
    to: Vec<u8>,
    /// RENAMENX: refuse if `to` exists, and answer 1 or 0 instead of OK.
    only_if_free: bool,
}

fn rename(mut request: Request, only_if_free: bool) -> Result<Command, CommandError> {
    Ok(Command::Write(Box::new(Rename {
        from: take_arg(&mut request, 1),
        to: take_arg(&mut request, 2),
        only_if_free,
    })))
}

pub fn parse_rename(request: Request, _now_ms: u64) -> Result<Command, CommandError> {
    rename(request, false)
}

pub fn parse_renamenx(request: Request, _now_ms: u64) -> Result<Command, CommandError> {
    rename(request, true)
}

impl WriteCommand for Rename {
    fn apply(self: Box<Self>, store: &mut Store, ctx: &Context) -> CommandResult {
        let now = ctx.now_ms;
        let done = if self.only_if_free {
            Reply::Integer(1)
        } else {
            Reply::OK
        };
        // Every refusal only looks, so that it changes nothing for WATCH.
        if store.peek(&self.from, now).is_none() {
            return Err(CommandError::NoSuchKey);
        }
        // Onto itself: nothing moves; RENAMENX finds the name taken.
        if self.from == self.to {
            return Ok(if self.only_if_free {
                Reply::Integer(0)
            } else {
                done
            });
        }
        if self.only_if_free && store.peek(&self.to, now).is_some() {
            return Ok(Reply::Integer(0));
        }
        store.rename(&self.from, self.to.into(), now);
        Ok(done)
    }
}

/// `COPY source destination [DB index] [REPLACE]`: 1 if it copied, 0 if the
/// source is missing or the destination exists (without REPLACE).
pub struct CopyKey {
    from: Vec<u8>,
    to: Vec<u8>,
    replace: bool,
}

/// There is one database: `DB 0` is accepted, any other index is refused
/// as SELECT refuses it. Redis checks the options in order, then whether
/// the two keys are one.
pub fn parse_copy(mut request: Request, _now_ms: u64) -> Result<Command, CommandError> {
    let mut replace = false;
    let options = &request[3..];
    let mut i = 0;
    while i < options.len() {
        match (
            options[i].to_ascii_lowercase().as_slice(),
            options.get(i + 1),
        ) {
            (b"replace", _) => replace = true,
            (b"db", Some(index)) => {
                session::check_db_index(index)?;
                i += 1;
            }
            _ => return Err(CommandError::Syntax),
        }
        i += 1;
    }
    if request[1] == request[2] {
        return Err(CommandError::SameObject);
    }
    Ok(Command::Write(Box::new(CopyKey {
        from: take_arg(&mut request, 1),
        to: take_arg(&mut request, 2),
        replace,
    })))
}

impl WriteCommand for CopyKey {
    fn apply(self: Box<Self>, store: &mut Store, ctx: &Context) -> CommandResult {
        let now = ctx.now_ms;
        let Some(value) = store.peek(&self.from, now) else {
            return Ok(Reply::Integer(0));
        };
        let value = value.clone();
        let expires_at = store.expires_at(&self.from);
        // Refused: it only looked, so nothing changed for WATCH.
        if !self.replace && store.peek(&self.to, now).is_some() {
            return Ok(Reply::Integer(0));
        }
        store.set(self.to.into(), value, expires_at, now);
        Ok(Reply::Integer(1))
    }
}

/// `TOUCH key [key ...]`: how many of the keys exist. Redis also marks
/// them as just used, for eviction; this server evicts nothing, so TOUCH
/// is EXISTS.
pub fn parse_touch(request: Request, now_ms: u64) -> Result<Command, CommandError> {
    parse_exists(request, now_ms)
}

/// `RANDOMKEY`: a live key drawn at random, or a null reply.
pub struct RandomKey {
    /// The expired keys the draw passed over: the executor deletes them
    /// once the read is done, as it deletes any reader's expired keys.
    expired: OnceCell<Vec<Vec<u8>>>,
}

pub fn parse_randomkey(_request: Request, _now_ms: u64) -> Result<Command, CommandError> {
    Ok(Command::Read(Box::new(RandomKey {
        expired: OnceCell::new(),
    })))
}

impl ReadCommand for RandomKey {
    fn apply(&self, store: &Store, ctx: &Context) -> CommandResult {
        let (key, expired) = store.random_key(ctx.now_ms, random::next_u64);
        let _ = self
            .expired
            .set(expired.into_iter().map(<[u8]>::to_vec).collect());
        Ok(key.map_or(Reply::Null, Reply::bulk))
    }

    fn keys(&self) -> &[Vec<u8>] {
        self.expired.get().map_or(&[], Vec::as_slice)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bytes::Bytes;
    use crate::commands::run_on as run;
    use crate::value::{Kind, Value};

    /// A store with a list `l` of one element, with a TTL, and a string `s`.
    fn with_a_list() -> Store {
        let mut store = Store::new();
        let s = Value::String(Bytes::copy_from(b"abc"));
        store.set(Bytes::copy_from(b"s"), s, None, 0);
        let list = store.get_or_create(b"l", Kind::List, 0);
        list.as_list_mut().unwrap().push_back(b"a");
        store.set_expiry(b"l", Some(9_000));
        store
    }

    //@ passes from step 4
    #[test]
    fn rename_moves_any_kind_of_value_over_any_other() {
        let mut store = with_a_list();
        assert_eq!(run(&mut store, "rename l s", 0), Ok(Reply::OK));
        assert_eq!(store.get(b"s", 0).unwrap().kind(), Kind::List);
        assert_eq!(store.expires_at(b"s"), Some(9_000));
        assert!(store.get(b"l", 0).is_none());
        assert_eq!(
            run(&mut store, "renamenx l s", 0),
            Err(CommandError::NoSuchKey)
        );
    }

    //@ passes from step 4
    #[test]
    fn copy_is_deep_and_takes_the_ttl() {
        let mut store = with_a_list();
        assert_eq!(run(&mut store, "copy l s", 0), Ok(Reply::Integer(0)));
        assert_eq!(
            run(&mut store, "copy l s replace", 0),
            Ok(Reply::Integer(1))
        );
        assert_eq!(store.expires_at(b"s"), Some(9_000));
        let copy = store.get_mut(b"s", 0).unwrap().as_list_mut().unwrap();
        copy.push_back(b"b");
        assert_eq!(copy.len(), 2);
        assert_eq!(store.get(b"l", 0).unwrap().as_list().unwrap().len(), 1);
    }

    //@ passes from step 3
    #[test]
    fn copy_checks_its_options_in_order_then_the_names() {
        let mut store = Store::new();
        let cases = [
            ("copy a a", CommandError::SameObject),
            ("copy a a db 0", CommandError::SameObject),
            ("copy a a foo", CommandError::Syntax),
            ("copy a a db 16", CommandError::DbIndexOutOfRange),
            ("copy a b db 1", CommandError::DbIndexOutOfRange),
            ("copy a b db x db 16", CommandError::NotAnInteger),
            ("copy a b db 16 foo", CommandError::DbIndexOutOfRange),
            ("copy a b foo db 16", CommandError::Syntax),
            ("copy a b db", CommandError::Syntax),
            (
                "copy a b db 2147483648",
                CommandError::OutOfRange(i32::MIN.into(), i32::MAX.into()),
            ),
        ];
        for (line, error) in cases {
            assert_eq!(run(&mut store, line, 0), Err(error), "{line}");
        }
        assert_eq!(
            run(&mut store, "copy a b db 0 replace", 0),
            Ok(Reply::Integer(0))
        );
    }

    //@ passes from step 5
    #[test]
    fn touch_counts_live_keys_of_any_kind() {
        let mut store = with_a_list();
        assert_eq!(
            run(&mut store, "touch l s s nokey", 0),
            Ok(Reply::Integer(3))
        );
        assert_eq!(run(&mut store, "touch l", 9_001), Ok(Reply::Integer(0)));
    }
}
