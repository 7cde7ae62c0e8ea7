//! Set commands: SADD, SREM, SMEMBERS, SPOP, SINTER and the rest of
//! Redis's "set" group.
//!
//! Replies list members in the set's own order, as Redis does: ascending
//! for an intset (a set of at most 512 integers, see [`crate::set`]), and
//! the hash table's order otherwise, which is pseudo-random in Redis too.
//! The algebra (SINTER, SUNION, SDIFF and their STORE forms) follows
//! Redis's algorithms step by step, because which set is walked first, and
//! what the result set is built from, decide both its encoding and so its
//! order: SINTER walks the smallest set, SUNION and SDIFF build a new set
//! that starts as an intset, and SDIFF picks one of two algorithms by the
//! sizes involved, as `sunionDiffGenericCommand` does.

use std::slice;

use super::scan::{parse_cursor, parse_scan_options, scan_reply, ScanOptions};
use super::{parse_int, take_arg, Command, CommandError, CommandResult, Context};
use super::{ReadCommand, WriteCommand};
use crate::protocol::{Reply, Request};
use crate::random;
use crate::set::{Member, Set};
use crate::storage::Store;
use crate::value::{Kind, Value};

/// The request's arguments from `from` on (the keys of SINTER...).
fn args_from(mut request: Request, from: usize) -> Vec<Vec<u8>> {
    request.drain(..from);
    request
}

/// A count Redis reads with `getPositiveLongFromObjectOrReply`, which
/// gives the same error for junk as for a negative number.
pub fn parse_positive(arg: &[u8]) -> Result<i64, CommandError> {
    match parse_int(arg) {
        Ok(n) if n >= 0 => Ok(n),
        _ => Err(CommandError::MustBePositive),
    }
}

/// The set at `key`: `None` if there is none, WRONGTYPE if it is no set.
fn lookup<'a>(
    store: &'a Store,
    key: &[u8],
    ctx: &Context,
) -> Result<Option<&'a Set>, CommandError> {
    match store.get(key, ctx.now_ms) {
        Some(value) => Ok(Some(value.as_set()?)),
        None => Ok(None),
    }
}

/// A reply for a whole collection of members: a set in RESP3.
fn members_reply<'a>(members: impl Iterator<Item = Member<'a>>) -> Reply {
    Reply::Set(members.map(Member::reply).collect())
}

/// `SADD key member [member ...]`: how many were new.
pub struct SAdd {
    key: Vec<u8>,
    members: Vec<Vec<u8>>,
}

pub fn parse_sadd(mut request: Request, _now_ms: u64) -> Result<Command, CommandError> {
    let key = take_arg(&mut request, 1);
    Ok(Command::Write(Box::new(SAdd {
        key,
        members: args_from(request, 2),
    })))
}

impl WriteCommand for SAdd {
    fn apply(self: Box<Self>, store: &mut Store, ctx: &Context) -> CommandResult {
        let before = store.changes_mark();
        let set = store
            .get_or_create(&self.key, Kind::Set, ctx.now_ms)
            .as_set_mut()?;
        let added = self
            .members
            .into_iter()
            .map(|member| set.insert_bytes(member))
            .filter(|&new| new)
            .count();
        if added == 0 {
            // Nothing new: as in Redis, no change for WATCH.
            store.forget_changes_since(before);
        }
        store.add_changes(added.saturating_sub(1) as u64);
        Ok(Reply::Integer(added as i64))
    }
}

/// `SREM key member [member ...]`: how many were there. The key goes with
/// its last member.
pub struct SRem {
    key: Vec<u8>,
    members: Vec<Vec<u8>>,
}

pub fn parse_srem(mut request: Request, _now_ms: u64) -> Result<Command, CommandError> {
    let key = take_arg(&mut request, 1);
    Ok(Command::Write(Box::new(SRem {
        key,
        members: args_from(request, 2),
    })))
}

impl WriteCommand for SRem {
    fn apply(self: Box<Self>, store: &mut Store, ctx: &Context) -> CommandResult {
        let before = store.changes_mark();
        let Some(value) = store.get_mut(&self.key, ctx.now_ms) else {
            return Ok(Reply::Integer(0));
        };
        let set = value.as_set_mut()?;
        let removed = self.members.iter().filter(|m| set.remove(m)).count();
        if removed == 0 {
            store.forget_changes_since(before); // nothing removed: no change
        }
        store.remove_if_empty(&self.key);
        Ok(Reply::Integer(removed as i64))
    }
}

/// SCARD, SISMEMBER, SMISMEMBER and SMEMBERS: questions about one set.
pub struct SQuery {
    key: Vec<u8>,
    members: Vec<Vec<u8>>,
    query: Query,
}

#[derive(Clone, Copy)]
enum Query {
    Card,
    IsMember,
    MIsMember,
    Members,
}

fn query(mut request: Request, query: Query) -> Result<Command, CommandError> {
    let key = take_arg(&mut request, 1);
    Ok(Command::Read(Box::new(SQuery {
        key,
        members: args_from(request, 2),
        query,
    })))
}

/// `SCARD key`
pub fn parse_scard(request: Request, _now_ms: u64) -> Result<Command, CommandError> {
    query(request, Query::Card)
}

/// `SISMEMBER key member`
pub fn parse_sismember(request: Request, _now_ms: u64) -> Result<Command, CommandError> {
    query(request, Query::IsMember)
}

/// `SMISMEMBER key member [member ...]`: a 0 or 1 per member.
pub fn parse_smismember(request: Request, _now_ms: u64) -> Result<Command, CommandError> {
    query(request, Query::MIsMember)
}

/// `SMEMBERS key`
pub fn parse_smembers(request: Request, _now_ms: u64) -> Result<Command, CommandError> {
    query(request, Query::Members)
}

impl ReadCommand for SQuery {
    fn apply(&self, store: &Store, ctx: &Context) -> CommandResult {
        let set = lookup(store, &self.key, ctx)?;
        let flag =
            |member: &[u8]| Reply::Integer(i64::from(set.is_some_and(|s| s.contains(member))));
        Ok(match self.query {
            Query::Card => Reply::Integer(set.map_or(0, Set::len) as i64),
            Query::IsMember => flag(&self.members[0]),
            Query::MIsMember => Reply::Array(self.members.iter().map(|m| flag(m)).collect()),
            Query::Members => match set {
                Some(set) => members_reply(set.iter()),
                None => Reply::Set(vec![]),
            },
        })
    }

    fn keys(&self) -> &[Vec<u8>] {
        slice::from_ref(&self.key)
    }
}

/// `SPOP key [count]`: removes random members.
pub struct SPop {
    key: Vec<u8>,
    /// `None`: one member, as a bulk string; `Some`: a set of up to `count`.
    count: Option<usize>,
}

pub fn parse_spop(mut request: Request, _now_ms: u64) -> Result<Command, CommandError> {
    if request.len() > 3 {
        return Err(CommandError::Syntax);
    }
    let count = match request.get(2) {
        Some(count) => Some(parse_positive(count)? as usize),
        None => None,
    };
    Ok(Command::Write(Box::new(SPop {
        key: take_arg(&mut request, 1),
        count,
    })))
}

/// How many times the members left must outnumber those popped for SPOP to
/// pop them one by one (Redis's `SPOP_MOVE_STRATEGY_MUL`); otherwise it
/// builds a new set of the few that stay.
const SPOP_MOVE_STRATEGY_MUL: usize = 5;

impl WriteCommand for SPop {
    fn apply(self: Box<Self>, store: &mut Store, ctx: &Context) -> CommandResult {
        let Some(value) = store.get_mut(&self.key, ctx.now_ms) else {
            return Ok(match self.count {
                None => Reply::Null,
                Some(_) => Reply::Set(vec![]),
            });
        };
        let set = value.as_set_mut()?;
        let reply = match self.count {
            None => Reply::bulk(set.pop_random().as_slice()),
            Some(0) => Reply::Set(vec![]),
            Some(count) if count >= set.len() => {
                // The whole set, listed as SUNION would list it: rebuilt
                // from an intset, so a set of integers comes out sorted.
                let old = std::mem::take(set);
                let mut all = Set::default();
                old.iter().for_each(|m| {
                    all.insert(m);
                });
                members_reply(all.iter())
            }
            Some(count) => {
                let remaining = set.len() - count;
                if remaining * SPOP_MOVE_STRATEGY_MUL > count {
                    let popped = (0..count).map(|_| Reply::bulk(set.pop_random().as_slice()));
                    Reply::Set(popped.collect())
                } else {
                    // Move the few that stay into a new set; pop the rest.
                    let mut kept = Set::default();
                    for _ in 0..remaining {
                        let member = set.pop_random();
                        kept.insert(Member::Str(&member));
                    }
                    let reply = members_reply(set.iter());
                    *set = kept;
                    reply
                }
            }
        };
        store.remove_if_empty(&self.key);
        Ok(reply)
    }
}

/// `SRANDMEMBER key [count]`: random members, left in place. A negative
/// count may repeat members.
pub struct SRandMember {
    key: Vec<u8>,
    count: Option<i64>,
}

pub fn parse_srandmember(mut request: Request, _now_ms: u64) -> Result<Command, CommandError> {
    if request.len() > 3 {
        return Err(CommandError::Syntax);
    }
    let count = match request.get(2) {
        Some(count) => Some(parse_count(count)?),
        None => None,
    };
    Ok(Command::Read(Box::new(SRandMember {
        key: take_arg(&mut request, 1),
        count,
    })))
}

/// A count Redis reads as a `long` in `-LONG_MAX..=LONG_MAX`.
pub fn parse_count(arg: &[u8]) -> Result<i64, CommandError> {
    match parse_int(arg)? {
        i64::MIN => Err(CommandError::OutOfRange(-i64::MAX, i64::MAX)),
        n => Ok(n),
    }
}

/// Picks `count` distinct items of `items` at random (`count` < len),
/// in random order.
pub fn sample_distinct<T>(mut items: Vec<T>, count: usize) -> Vec<T> {
    for i in 0..count {
        let j = i + random::below(items.len() - i);
        items.swap(i, j);
    }
    items.truncate(count);
    items
}

impl ReadCommand for SRandMember {
    fn apply(&self, store: &Store, ctx: &Context) -> CommandResult {
        let set = lookup(store, &self.key, ctx)?;
        let Some(count) = self.count else {
            return Ok(set.map_or(Reply::Null, |set| set.random().reply()));
        };
        let Some(set) = set else {
            return Ok(Reply::Array(vec![]));
        };
        let size = set.len();
        let wanted = count.unsigned_abs() as usize;
        Ok(Reply::Array(match count {
            0 => vec![],
            // Repeats allowed: independent draws.
            n if n < 0 || n == 1 => (0..wanted).map(|_| set.random().reply()).collect(),
            // All of them, in the set's order.
            _ if wanted >= size => set.iter().map(Member::reply).collect(),
            _ => {
                let members: Vec<Member> = set.iter().collect();
                sample_distinct(members, wanted)
                    .into_iter()
                    .map(Member::reply)
                    .collect()
            }
        }))
    }

    fn keys(&self) -> &[Vec<u8>] {
        slice::from_ref(&self.key)
    }
}

/// `SMOVE source destination member`
pub struct SMove {
    source: Vec<u8>,
    destination: Vec<u8>,
    member: Vec<u8>,
}

pub fn parse_smove(mut request: Request, _now_ms: u64) -> Result<Command, CommandError> {
    Ok(Command::Write(Box::new(SMove {
        source: take_arg(&mut request, 1),
        destination: take_arg(&mut request, 2),
        member: take_arg(&mut request, 3),
    })))
}

impl WriteCommand for SMove {
    fn apply(self: Box<Self>, store: &mut Store, ctx: &Context) -> CommandResult {
        let now = ctx.now_ms;
        store.remove_if_expired(&self.destination, now);
        // No source: 0, whatever the destination holds (Redis checks this first).
        let Some(source) = store.get_mut(&self.source, now) else {
            return Ok(Reply::Integer(0));
        };
        source.as_set()?;
        if let Some(destination) = store.get(&self.destination, now) {
            destination.as_set()?;
        }
        if self.source == self.destination {
            let set = lookup(store, &self.source, ctx)?.expect("just found");
            return Ok(Reply::Integer(i64::from(set.contains(&self.member))));
        }
        let source = store.get_mut(&self.source, now).expect("just found");
        if !source.as_set_mut()?.remove(&self.member) {
            return Ok(Reply::Integer(0));
        }
        store.remove_if_empty(&self.source);
        store
            .get_or_create(&self.destination, Kind::Set, now)
            .as_set_mut()?
            .insert_bytes(self.member);
        Ok(Reply::Integer(1))
    }
}

/// Which algebra a [`SetOp`] does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Op {
    Inter,
    Union,
    Diff,
}

/// What a [`SetOp`] answers with.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Output {
    /// The members (SINTER, SUNION, SDIFF).
    Members,
    /// How many, counting up to the limit if not 0 (SINTERCARD).
    Cardinality { limit: usize },
    /// Stored at this key; the reply is the size (the STORE forms).
    Store(Vec<u8>),
}

/// SINTER, SUNION, SDIFF, their STORE forms and SINTERCARD.
pub struct SetOp {
    op: Op,
    keys: Vec<Vec<u8>>,
    output: Output,
}

fn set_op(op: Op, request: Request, store: bool) -> Result<Command, CommandError> {
    if store {
        let mut keys = args_from(request, 1);
        let destination = keys.remove(0);
        let output = Output::Store(destination);
        return Ok(Command::Write(Box::new(SetOp { op, keys, output })));
    }
    let keys = args_from(request, 1);
    let output = Output::Members;
    Ok(Command::Read(Box::new(SetOp { op, keys, output })))
}

/// `SINTER key [key ...]`
pub fn parse_sinter(request: Request, _now_ms: u64) -> Result<Command, CommandError> {
    set_op(Op::Inter, request, false)
}

/// `SINTERSTORE destination key [key ...]`
pub fn parse_sinterstore(request: Request, _now_ms: u64) -> Result<Command, CommandError> {
    set_op(Op::Inter, request, true)
}

/// `SUNION key [key ...]`
pub fn parse_sunion(request: Request, _now_ms: u64) -> Result<Command, CommandError> {
    set_op(Op::Union, request, false)
}

/// `SUNIONSTORE destination key [key ...]`
pub fn parse_sunionstore(request: Request, _now_ms: u64) -> Result<Command, CommandError> {
    set_op(Op::Union, request, true)
}

/// `SDIFF key [key ...]`
pub fn parse_sdiff(request: Request, _now_ms: u64) -> Result<Command, CommandError> {
    set_op(Op::Diff, request, false)
}

/// `SDIFFSTORE destination key [key ...]`
pub fn parse_sdiffstore(request: Request, _now_ms: u64) -> Result<Command, CommandError> {
    set_op(Op::Diff, request, true)
}

/// `SINTERCARD numkeys key [key ...] [LIMIT limit]`
pub fn parse_sintercard(request: Request, _now_ms: u64) -> Result<Command, CommandError> {
    let numkeys = match parse_int(&request[1]) {
        Ok(n) if n >= 1 => n as usize,
        _ => return Err(CommandError::NumkeysNotPositive),
    };
    if numkeys > request.len() - 2 {
        return Err(CommandError::NumkeysAboveArgs);
    }
    let mut limit = 0;
    let mut i = 2 + numkeys;
    while i < request.len() {
        if request[i].eq_ignore_ascii_case(b"limit") && i + 1 < request.len() {
            limit = match parse_int(&request[i + 1]) {
                Ok(n) if n >= 0 => n as usize,
                _ => return Err(CommandError::LimitNegative),
            };
            i += 2;
        } else {
            return Err(CommandError::Syntax);
        }
    }
    let mut keys = args_from(request, 2);
    keys.truncate(numkeys);
    let output = Output::Cardinality { limit };
    Ok(Command::Read(Box::new(SetOp {
        op: Op::Inter,
        keys,
        output,
    })))
}

impl SetOp {
    /// Looks every key up (WRONGTYPE if any is not a set; a missing key is
    /// an empty set) and computes the result, as a new set or a count.
    fn compute(&self, store: &Store, ctx: &Context) -> Result<Computed, CommandError> {
        let mut sets = Vec::with_capacity(self.keys.len());
        for key in &self.keys {
            sets.push(lookup(store, key, ctx)?);
        }
        Ok(match self.op {
            Op::Inter => self.intersection(&sets),
            Op::Union => {
                let mut result = Set::default();
                for set in sets.iter().flatten() {
                    set.iter().for_each(|m| {
                        result.insert(m);
                    });
                }
                Computed::Set(result)
            }
            Op::Diff => Computed::Set(difference(&self.keys, &sets)),
        })
    }

    /// Redis's `sinterGenericCommand`: walk the smallest set, keep what
    /// every other set has. For SINTER the reply is in the walked set's
    /// order, so it comes straight from it.
    fn intersection(&self, sets: &[Option<&Set>]) -> Computed {
        let present: Option<Vec<&Set>> = sets.iter().copied().collect();
        let Some(mut present) = present else {
            return Computed::Empty;
        };
        present.sort_by_key(|set| set.len()); // stable, as glibc's qsort here
        let (smallest, others) = present.split_first().expect("at least one key");
        let common = smallest
            .iter()
            .filter(|&m| others.iter().all(|set| set.contains_member(m)));
        match &self.output {
            Output::Cardinality { limit } => {
                let limit = if *limit == 0 { usize::MAX } else { *limit };
                Computed::Count(common.take(limit).count())
            }
            Output::Members => Computed::Reply(members_reply(common)),
            Output::Store(_) => {
                let mut result = Set::default();
                common.for_each(|m| {
                    result.insert(m);
                });
                Computed::Set(result)
            }
        }
    }
}

/// Redis's SDIFF: nothing if the first set is missing or repeated; else
/// one of two algorithms, whichever it estimates cheaper, which matters
/// here because the second one first copies the whole first set (its
/// encoding then is that of the copy).
fn difference(keys: &[Vec<u8>], sets: &[Option<&Set>]) -> Set {
    let mut result = Set::default();
    let Some(first) = sets[0] else {
        return result;
    };
    if keys[1..].contains(&keys[0]) {
        return result;
    }
    let present = sets.iter().flatten();
    let one_work = present.clone().count() * first.len() / 2;
    let two_work: usize = present.map(|s| s.len()).sum();
    let mut others: Vec<&Set> = sets[1..].iter().flatten().copied().collect();
    if one_work <= two_work {
        // Algorithm 1: each member of the first set not found elsewhere,
        // looking in the biggest sets first.
        others.sort_by_key(|set| std::cmp::Reverse(set.len()));
        for member in first.iter() {
            if !others.iter().any(|set| set.contains_member(member)) {
                result.insert(member);
            }
        }
    } else {
        // Algorithm 2: copy the first set, then take the others away.
        first.iter().for_each(|m| {
            result.insert(m);
        });
        for set in others {
            if result.is_empty() {
                break;
            }
            for member in set.iter() {
                result.remove(&member.to_bytes());
            }
        }
    }
    result
}

/// What [`SetOp::compute`] found.
enum Computed {
    /// A missing key made the intersection empty.
    Empty,
    Set(Set),
    Count(usize),
    Reply(Reply),
}

impl ReadCommand for SetOp {
    fn apply(&self, store: &Store, ctx: &Context) -> CommandResult {
        Ok(match self.compute(store, ctx)? {
            Computed::Empty => match self.output {
                Output::Cardinality { .. } => Reply::Integer(0),
                _ => Reply::Set(vec![]),
            },
            Computed::Set(set) => members_reply(set.iter()),
            Computed::Count(n) => Reply::Integer(n as i64),
            Computed::Reply(reply) => reply,
        })
    }

    fn keys(&self) -> &[Vec<u8>] {
        &self.keys
    }
}

impl WriteCommand for SetOp {
    fn apply(self: Box<Self>, store: &mut Store, ctx: &Context) -> CommandResult {
        let Output::Store(destination) = &self.output else {
            unreachable!("only the STORE forms are writes")
        };
        for key in &self.keys {
            store.remove_if_expired(key, ctx.now_ms);
        }
        let result = match self.compute(store, ctx)? {
            Computed::Set(set) if !set.is_empty() => set,
            _ => {
                store.delete(destination, ctx.now_ms);
                return Ok(Reply::Integer(0));
            }
        };
        let size = result.len();
        let value = Value::Set(Box::new(result));
        store.set(destination.as_slice().into(), value, None, ctx.now_ms);
        Ok(Reply::Integer(size as i64))
    }
}

/// `SSCAN key cursor [MATCH pattern] [COUNT count]`
pub struct SScan {
    key: Vec<u8>,
    cursor: u64,
    /// The options, read before the key is looked up but reported after,
    /// as Redis reads them only once it has the set.
    options: Result<ScanOptions, CommandError>,
}

pub fn parse_sscan(mut request: Request, _now_ms: u64) -> Result<Command, CommandError> {
    let cursor = parse_cursor(&request[2])?;
    let options = parse_scan_options(&request[3..], false);
    Ok(Command::Read(Box::new(SScan {
        key: take_arg(&mut request, 1),
        cursor,
        options,
    })))
}

impl ReadCommand for SScan {
    fn apply(&self, store: &Store, ctx: &Context) -> CommandResult {
        let Some(set) = lookup(store, &self.key, ctx)? else {
            return Ok(scan_reply(0, vec![]));
        };
        let options = self.options.as_ref().map_err(Clone::clone)?;
        let mut found = Vec::new();
        let cursor = set.scan(self.cursor, options.count, |member| {
            let bytes = member.to_bytes();
            if options.matches(&bytes) {
                found.push(Reply::bulk(bytes.as_slice()));
            }
        });
        Ok(scan_reply(cursor, found))
    }

    fn keys(&self) -> &[Vec<u8>] {
        slice::from_ref(&self.key)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_distinct_sample_has_no_repeats() {
        let picked = sample_distinct((0..100).collect(), 30);
        let mut sorted = picked.clone();
        sorted.sort();
        sorted.dedup();
        assert_eq!((picked.len(), sorted.len()), (30, 30));
    }
}
