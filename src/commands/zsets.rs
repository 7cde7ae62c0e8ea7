//! Sorted-set commands: ZADD, ZRANGE and the rest of Redis's "sorted_set"
//! group, except the blocking BZPOPMIN/BZPOPMAX (their core is
//! [`SortedSet::pop_many`] and [`pop_reply`]).
//!
//! Scores are read as Redis reads them ([`crate::float`]): strictly for a
//! score (`value is not a valid float`), loosely for a range bound. They
//! are written as doubles ([`Reply::Double`]): a bulk `%.17g` string in
//! RESP2, a `,` double in RESP3; WITHSCORES pairs are one flat array in
//! RESP2 and an array of pairs in RESP3 ([`Reply::Pairs`]).
//!
//! Each parser checks the arguments in Redis's order, and where Redis
//! looks the key up *before* it reads some options (ZUNIONSTORE's
//! WEIGHTS, ZSCAN's COUNT), the parsed command keeps the option error and
//! reports it after the lookup, so that WRONGTYPE still comes first.

use std::slice;

use super::scan::{parse_cursor, parse_scan_options, scan_reply, ScanOptions};
use super::sets::{parse_count, parse_positive, sample_distinct};
use super::{parse_int, take_arg, Command, CommandError, CommandResult, Context};
use super::{ReadCommand, WriteCommand};
use crate::bytes::Bytes;
use crate::float::{format_d2string, format_g17, parse_range_bound, parse_score};
use crate::protocol::{Reply, Request};
use crate::set::{Member, Set};
use crate::sorted_set::{AddFlags, AddOutcome, LexBound, LexRange, ScoreRange, SortedSet};
use crate::sorted_set::{MAX_LISTPACK_ENTRIES, MAX_LISTPACK_VALUE};
use crate::storage::Store;
use crate::value::Value;

/// The sorted set at `key`: `None` if there is none, WRONGTYPE if it is
/// another kind of value.
fn lookup<'a>(
    store: &'a Store,
    key: &[u8],
    ctx: &Context,
) -> Result<Option<&'a SortedSet>, CommandError> {
    match store.get(key, ctx.now_ms) {
        Some(value) => Ok(Some(value.as_zset()?)),
        None => Ok(None),
    }
}

/// The sorted set at `key`, to change: a writer's lookup deletes the key
/// first if it has expired.
fn lookup_mut<'a>(
    store: &'a mut Store,
    key: &[u8],
    ctx: &Context,
) -> Result<Option<&'a mut SortedSet>, CommandError> {
    match store.get_mut(key, ctx.now_ms) {
        Some(value) => Ok(Some(value.as_zset_mut()?)),
        None => Ok(None),
    }
}

/// Members, with their scores if asked, as Redis lists a range.
fn entries_reply<'a>(entries: impl Iterator<Item = (&'a Bytes, f64)>, withscores: bool) -> Reply {
    if withscores {
        Reply::Pairs(
            entries
                .map(|(m, s)| (Reply::bulk(m.as_slice()), Reply::Double(s)))
                .collect(),
        )
    } else {
        Reply::Array(entries.map(|(m, _)| Reply::bulk(m.as_slice())).collect())
    }
}

/// The arguments from `from` on.
fn args_from(mut request: Request, from: usize) -> Vec<Vec<u8>> {
    request.drain(..from);
    request
}

/// `ZADD key [NX|XX] [GT|LT] [CH] [INCR] score member [score member ...]`,
/// and `ZINCRBY key increment member`, which is ZADD with INCR.
pub struct ZAdd {
    key: Vec<u8>,
    flags: AddFlags,
    /// Answer with how many were added or changed, not just added.
    ch: bool,
    pairs: Vec<(f64, Vec<u8>)>,
}

pub fn parse_zadd(request: Request, _now_ms: u64) -> Result<Command, CommandError> {
    zadd(request, AddFlags::default())
}

pub fn parse_zincrby(request: Request, _now_ms: u64) -> Result<Command, CommandError> {
    let flags = AddFlags {
        incr: true,
        ..AddFlags::default()
    };
    zadd(request, flags)
}

/// Redis's `zaddGenericCommand` checks: the options (any order, until the
/// first word that is none), pairs, conflicts, then every score, all
/// before the key is looked at, so that a bad pair changes nothing.
fn zadd(mut request: Request, mut flags: AddFlags) -> Result<Command, CommandError> {
    let mut ch = false;
    let mut at = 2;
    while at < request.len() {
        match request[at].to_ascii_lowercase().as_slice() {
            b"nx" => flags.nx = true,
            b"xx" => flags.xx = true,
            b"ch" => ch = true,
            b"incr" => flags.incr = true,
            b"gt" => flags.gt = true,
            b"lt" => flags.lt = true,
            _ => break,
        }
        at += 1;
    }
    let elements = request.len() - at;
    if elements == 0 || elements % 2 == 1 {
        return Err(CommandError::Syntax);
    }
    if flags.nx && flags.xx {
        return Err(CommandError::ZaddXxNx);
    }
    if ((flags.gt || flags.lt) && flags.nx) || (flags.gt && flags.lt) {
        return Err(CommandError::ZaddGtLtNx);
    }
    if flags.incr && elements > 2 {
        return Err(CommandError::ZaddIncrPairs);
    }
    let mut pairs = Vec::with_capacity(elements / 2);
    for pair in request[at..].chunks(2) {
        let score = parse_score(&pair[0]).ok_or(CommandError::NotAFloat)?;
        pairs.push((score, Vec::new()));
    }
    for (i, pair) in pairs.iter_mut().enumerate() {
        pair.1 = take_arg(&mut request, at + 2 * i + 1);
    }
    Ok(Command::Write(Box::new(ZAdd {
        key: take_arg(&mut request, 1),
        flags,
        ch,
        pairs,
    })))
}

impl WriteCommand for ZAdd {
    fn apply(self: Box<Self>, store: &mut Store, ctx: &Context) -> CommandResult {
        let ZAdd {
            key,
            flags,
            ch,
            pairs,
        } = *self;
        let nothing = if flags.incr {
            Reply::Null
        } else {
            Reply::Integer(0)
        };
        let before = store.changes_mark();
        if lookup_mut(store, &key, ctx)?.is_none() {
            if flags.xx {
                return Ok(nothing);
            }
            // Redis picks the encoding by the first member's length.
            let small = pairs[0].1.len() <= MAX_LISTPACK_VALUE;
            let value = Value::ZSet(Box::new(SortedSet::new(small)));
            store.set(key.as_slice().into(), value, None, ctx.now_ms);
        }
        let zset = lookup_mut(store, &key, ctx)?.expect("just created");
        let (mut added, mut updated, mut last) = (0, 0, None);
        let mut result = Ok(());
        for (score, member) in &pairs {
            match zset.add(member, *score, flags) {
                Err(_) => {
                    result = Err(CommandError::ScoreNaN);
                    break;
                }
                Ok(AddOutcome::Added(score)) => (added, last) = (added + 1, Some(score)),
                Ok(AddOutcome::Updated(score)) => (updated, last) = (updated + 1, Some(score)),
                Ok(AddOutcome::Same(score)) => last = Some(score),
                Ok(AddOutcome::Skipped) => {}
            }
        }
        if added + updated == 0 {
            // Nothing added or updated: as in Redis, no change for WATCH.
            store.forget_changes_since(before);
        }
        store.remove_if_empty(&key);
        result?;
        Ok(if flags.incr {
            last.map_or(Reply::Null, Reply::Double)
        } else if ch {
            Reply::Integer(added + updated)
        } else {
            Reply::Integer(added)
        })
    }
}

/// `ZREM key member [member ...]`
pub struct ZRem {
    key: Vec<u8>,
    members: Vec<Vec<u8>>,
}

pub fn parse_zrem(mut request: Request, _now_ms: u64) -> Result<Command, CommandError> {
    let key = take_arg(&mut request, 1);
    Ok(Command::Write(Box::new(ZRem {
        key,
        members: args_from(request, 2),
    })))
}

impl WriteCommand for ZRem {
    fn apply(self: Box<Self>, store: &mut Store, ctx: &Context) -> CommandResult {
        let before = store.changes_mark();
        let Some(zset) = lookup_mut(store, &self.key, ctx)? else {
            return Ok(Reply::Integer(0));
        };
        let removed = self
            .members
            .iter()
            .filter(|m| zset.remove(m).is_some())
            .count();
        if removed == 0 {
            store.forget_changes_since(before); // nothing removed: no change
        }
        store.remove_if_empty(&self.key);
        Ok(Reply::Integer(removed as i64))
    }
}

/// ZCARD, ZSCORE, ZMSCORE, ZRANK, ZREVRANK, ZCOUNT and ZLEXCOUNT: questions
/// about one sorted set.
pub struct ZQuery {
    key: Vec<u8>,
    query: Query,
}

enum Query {
    Card,
    Score(Vec<u8>),
    MScore(Vec<Vec<u8>>),
    Rank { member: Vec<u8>, reverse: bool },
    Count(ScoreRange),
    LexCount(LexRange),
}

fn query(mut request: Request, query: Query) -> Result<Command, CommandError> {
    Ok(Command::Read(Box::new(ZQuery {
        key: take_arg(&mut request, 1),
        query,
    })))
}

/// `ZCARD key`
pub fn parse_zcard(request: Request, _now_ms: u64) -> Result<Command, CommandError> {
    query(request, Query::Card)
}

/// `ZSCORE key member`
pub fn parse_zscore(mut request: Request, _now_ms: u64) -> Result<Command, CommandError> {
    let member = take_arg(&mut request, 2);
    query(request, Query::Score(member))
}

/// `ZMSCORE key member [member ...]`
pub fn parse_zmscore(mut request: Request, _now_ms: u64) -> Result<Command, CommandError> {
    let members = request.split_off(2);
    query(request, Query::MScore(members))
}

/// `ZRANK key member`
pub fn parse_zrank(mut request: Request, _now_ms: u64) -> Result<Command, CommandError> {
    let member = take_arg(&mut request, 2);
    let reverse = false;
    query(request, Query::Rank { member, reverse })
}

/// `ZREVRANK key member`
pub fn parse_zrevrank(mut request: Request, _now_ms: u64) -> Result<Command, CommandError> {
    let member = take_arg(&mut request, 2);
    let reverse = true;
    query(request, Query::Rank { member, reverse })
}

/// `ZCOUNT key min max`
pub fn parse_zcount(request: Request, _now_ms: u64) -> Result<Command, CommandError> {
    let range = parse_score_range(&request[2], &request[3])?;
    query(request, Query::Count(range))
}

/// `ZLEXCOUNT key min max`
pub fn parse_zlexcount(request: Request, _now_ms: u64) -> Result<Command, CommandError> {
    let range = parse_lex_range(&request[2], &request[3])?;
    query(request, Query::LexCount(range))
}

/// Redis's `zslParseRange`: each bound a number, `(` before it for an
/// exclusive one, `-inf` and `+inf` allowed, NaN not.
pub fn parse_score_range(min: &[u8], max: &[u8]) -> Result<ScoreRange, CommandError> {
    let bound = |arg: &[u8]| match arg {
        [b'(', rest @ ..] => parse_range_bound(rest).map(|v| (v, true)),
        _ => parse_range_bound(arg).map(|v| (v, false)),
    };
    match (bound(min), bound(max)) {
        (Some((min, min_exclusive)), Some((max, max_exclusive))) => Ok(ScoreRange {
            min,
            max,
            min_exclusive,
            max_exclusive,
        }),
        _ => Err(CommandError::MinMaxNotFloat),
    }
}

/// Redis's `zslParseLexRange`: `-`, `+`, or `[` / `(` and a string. A
/// byte after `-` or `+` is refused, unless it is a NUL (C reads the
/// string up to it).
pub fn parse_lex_range(min: &[u8], max: &[u8]) -> Result<LexRange, CommandError> {
    fn bound(arg: &[u8]) -> Option<LexBound> {
        match arg {
            [b'+'] | [b'+', 0, ..] => Some(LexBound::Highest),
            [b'-'] | [b'-', 0, ..] => Some(LexBound::Lowest),
            [b'(', rest @ ..] => Some(LexBound::Exclusive(rest.to_vec())),
            [b'[', rest @ ..] => Some(LexBound::Inclusive(rest.to_vec())),
            _ => None,
        }
    }
    match (bound(min), bound(max)) {
        (Some(min), Some(max)) => Ok(LexRange { min, max }),
        _ => Err(CommandError::MinMaxNotLex),
    }
}

impl ReadCommand for ZQuery {
    fn apply(&self, store: &Store, ctx: &Context) -> CommandResult {
        let zset = lookup(store, &self.key, ctx)?;
        let score = |member: &[u8]| {
            zset.and_then(|z| z.score(member))
                .map_or(Reply::Null, Reply::Double)
        };
        Ok(match &self.query {
            Query::Card => Reply::Integer(zset.map_or(0, SortedSet::len) as i64),
            Query::Score(member) => score(member),
            Query::MScore(members) => Reply::Array(members.iter().map(|m| score(m)).collect()),
            Query::Rank { member, reverse } => {
                match zset.and_then(|z| Some((z, z.rank(member)?))) {
                    Some((z, rank)) if *reverse => Reply::Integer((z.len() - 1 - rank) as i64),
                    Some((_, rank)) => Reply::Integer(rank as i64),
                    None => Reply::Null,
                }
            }
            Query::Count(range) => {
                let count = zset.map_or(0, |z| {
                    match (z.first_in_score_range(range), z.last_in_score_range(range)) {
                        (Some(first), Some(last)) => last + 1 - first,
                        _ => 0,
                    }
                });
                Reply::Integer(count as i64)
            }
            Query::LexCount(range) => {
                Reply::Integer(zset.map_or(0, |z| lex_count(z, range)) as i64)
            }
        })
    }

    fn keys(&self) -> &[Vec<u8>] {
        slice::from_ref(&self.key)
    }
}

/// ZLEXCOUNT: a listpack counts from the first member in range while the
/// members stay below max; a larger set subtracts ranks, as Redis does.
fn lex_count(zset: &SortedSet, range: &LexRange) -> usize {
    let Some(first) = zset.first_in_lex_range(range) else {
        return 0;
    };
    if zset.is_listpack() {
        return zset
            .range(first, zset.len())
            .take_while(|(m, _)| range.lte_max(m))
            .count();
    }
    zset.last_in_lex_range(range)
        .map_or(zset.len() - first, |last| last + 1 - first)
}

/// What a ZRANGE-family command selects.
#[derive(Debug, Clone, PartialEq)]
enum Selection {
    /// By rank: start and stop, negative counting from the end.
    Rank(i64, i64),
    Score(ScoreRange),
    Lex(LexRange),
}

/// ZRANGE, ZRANGESTORE, ZREVRANGE, ZRANGEBYSCORE, ZREVRANGEBYSCORE,
/// ZRANGEBYLEX and ZREVRANGEBYLEX: one command, as in Redis
/// (`zrangeGenericCommand`).
pub struct ZRange {
    key: Vec<u8>,
    selection: Selection,
    reverse: bool,
    withscores: bool,
    /// LIMIT: members skipped, then at most this many (negative: all).
    offset: i64,
    limit: i64,
    /// ZRANGESTORE's destination.
    destination: Option<Vec<u8>>,
}

/// How a ZRANGE-family command reads its arguments.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// ZRANGE and ZRANGESTORE: BYSCORE, BYLEX and REV are options.
    Any,
    Rank,
    Score,
    Lex,
}

pub fn parse_zrange(request: Request, _now_ms: u64) -> Result<Command, CommandError> {
    zrange(request, false, Kind::Any, None)
}

pub fn parse_zrangestore(request: Request, _now_ms: u64) -> Result<Command, CommandError> {
    zrange(request, true, Kind::Any, None)
}

pub fn parse_zrevrange(request: Request, _now_ms: u64) -> Result<Command, CommandError> {
    zrange(request, false, Kind::Rank, Some(true))
}

pub fn parse_zrangebyscore(request: Request, _now_ms: u64) -> Result<Command, CommandError> {
    zrange(request, false, Kind::Score, Some(false))
}

pub fn parse_zrevrangebyscore(request: Request, _now_ms: u64) -> Result<Command, CommandError> {
    zrange(request, false, Kind::Score, Some(true))
}

pub fn parse_zrangebylex(request: Request, _now_ms: u64) -> Result<Command, CommandError> {
    zrange(request, false, Kind::Lex, Some(false))
}

pub fn parse_zrevrangebylex(request: Request, _now_ms: u64) -> Result<Command, CommandError> {
    zrange(request, false, Kind::Lex, Some(true))
}

/// `<key> <min> <max> [BYSCORE|BYLEX] [REV] [WITHSCORES] [LIMIT offset count]`,
/// after ZRANGESTORE's destination: the options first, then their
/// conflicts, then the range, as Redis checks them.
fn zrange(
    mut request: Request,
    store: bool,
    mut kind: Kind,
    mut reverse: Option<bool>,
) -> Result<Command, CommandError> {
    let start = if store { 2 } else { 1 };
    let (mut withscores, mut offset, mut limit) = (false, 0, -1);
    let mut j = start + 3;
    while j < request.len() {
        let word = request[j].to_ascii_lowercase();
        let left = request.len() - j - 1;
        match word.as_slice() {
            b"withscores" if !store => withscores = true,
            b"limit" if left >= 2 => {
                offset = parse_int(&request[j + 1])?;
                limit = parse_int(&request[j + 2])?;
                j += 2;
            }
            b"rev" if reverse.is_none() => reverse = Some(true),
            b"bylex" if kind == Kind::Any => kind = Kind::Lex,
            b"byscore" if kind == Kind::Any => kind = Kind::Score,
            _ => return Err(CommandError::Syntax),
        }
        j += 1;
    }
    let reverse = reverse.unwrap_or(false);
    if kind == Kind::Any {
        kind = Kind::Rank;
    }
    if limit != -1 && kind == Kind::Rank {
        return Err(CommandError::LimitNeedsByscoreOrBylex);
    }
    if withscores && kind == Kind::Lex {
        return Err(CommandError::WithscoresWithBylex);
    }
    // A reversed range by score or lex is given as max, then min.
    let (mut min, mut max) = (&request[start + 1], &request[start + 2]);
    if reverse && kind != Kind::Rank {
        std::mem::swap(&mut min, &mut max);
    }
    let selection = match kind {
        Kind::Score => Selection::Score(parse_score_range(min, max)?),
        Kind::Lex => Selection::Lex(parse_lex_range(min, max)?),
        _ => Selection::Rank(parse_int(min)?, parse_int(max)?),
    };
    let destination = store.then(|| take_arg(&mut request, 1));
    let range = ZRange {
        key: take_arg(&mut request, start),
        selection,
        reverse,
        withscores,
        offset,
        limit,
        destination,
    };
    Ok(if store {
        Command::Write(Box::new(range))
    } else {
        Command::Read(Box::new(range))
    })
}

impl ZRange {
    /// The ranks selected, in the order they are listed.
    fn ranks(&self, zset: &SortedSet) -> Vec<usize> {
        let len = zset.len() as i64;
        match &self.selection {
            Selection::Rank(start, end) => {
                let (mut start, mut end) = (*start, *end);
                if start < 0 {
                    start += len;
                }
                if end < 0 {
                    end += len;
                }
                start = start.max(0);
                if start > end || start >= len {
                    return vec![];
                }
                end = end.min(len - 1);
                let (start, end) = (start as usize, end as usize);
                if self.reverse {
                    let last = zset.len() - 1;
                    (start..=end).map(|i| last - i).collect()
                } else {
                    (start..=end).collect()
                }
            }
            Selection::Score(range) => {
                let first = if self.reverse {
                    zset.last_in_score_range(range)
                } else {
                    zset.first_in_score_range(range)
                };
                self.walk(zset, first, |(_, score)| {
                    if self.reverse {
                        range.gte_min(score)
                    } else {
                        range.lte_max(score)
                    }
                })
            }
            Selection::Lex(range) => {
                let first = if self.reverse {
                    zset.last_in_lex_range(range)
                } else {
                    zset.first_in_lex_range(range)
                };
                self.walk(zset, first, |(member, _)| {
                    if self.reverse {
                        range.gte_min(member)
                    } else {
                        range.lte_max(member)
                    }
                })
            }
        }
    }

    /// From `first`, skips LIMIT's offset unchecked (a negative offset
    /// skips everything, as Redis's loop does), then takes members while
    /// `in_range` holds, at most LIMIT's count.
    fn walk(
        &self,
        zset: &SortedSet,
        first: Option<usize>,
        in_range: impl Fn((&Bytes, f64)) -> bool,
    ) -> Vec<usize> {
        let Some(first) = first else {
            return vec![];
        };
        if self.offset < 0 || self.offset as usize >= zset.len() {
            return vec![];
        }
        let offset = self.offset as usize;
        let limit = if self.limit < 0 {
            usize::MAX
        } else {
            self.limit as usize
        };
        let mut ranks = Vec::new();
        if self.reverse {
            let Some(start) = first.checked_sub(offset) else {
                return ranks;
            };
            for (i, entry) in zset.range(0, start + 1).rev().enumerate() {
                if ranks.len() >= limit || !in_range(entry) {
                    break;
                }
                ranks.push(start - i);
            }
        } else {
            let start = first + offset;
            for (i, entry) in zset.range(start, zset.len()).enumerate() {
                if ranks.len() >= limit || !in_range(entry) {
                    break;
                }
                ranks.push(start + i);
            }
        }
        ranks
    }

    /// The selected members and scores, in order.
    fn select<'a>(&self, zset: &'a SortedSet) -> Vec<(&'a Bytes, f64)> {
        let ranks = self.ranks(zset);
        let (Some(&a), Some(&b)) = (ranks.first(), ranks.last()) else {
            return vec![];
        };
        let (lo, hi) = (a.min(b), a.max(b) + 1);
        let mut entries: Vec<_> = zset.range(lo, hi).collect();
        if a > b {
            entries.reverse();
        }
        entries
    }
}

impl ReadCommand for ZRange {
    fn apply(&self, store: &Store, ctx: &Context) -> CommandResult {
        let Some(zset) = lookup(store, &self.key, ctx)? else {
            return Ok(Reply::Array(vec![]));
        };
        Ok(entries_reply(
            self.select(zset).into_iter(),
            self.withscores,
        ))
    }

    fn keys(&self) -> &[Vec<u8>] {
        slice::from_ref(&self.key)
    }
}

impl WriteCommand for ZRange {
    /// ZRANGESTORE: the selection becomes the destination's value.
    fn apply(self: Box<Self>, store: &mut Store, ctx: &Context) -> CommandResult {
        let destination = self.destination.as_deref().expect("ZRANGESTORE");
        store.remove_if_expired(&self.key, ctx.now_ms);
        let selected = match lookup(store, &self.key, ctx)? {
            Some(zset) => {
                let entries = self.select(zset);
                // Redis makes a listpack unless a rank range says it is too long.
                let small = match self.selection {
                    Selection::Rank(..) => entries.len() <= MAX_LISTPACK_ENTRIES,
                    _ => true,
                };
                let mut result = SortedSet::new(small);
                for (member, score) in entries {
                    result.insert(member.clone(), score);
                }
                result
            }
            None => SortedSet::default(),
        };
        Ok(store_result(store, destination, selected, ctx))
    }
}

/// Stores a computed sorted set at `destination` (replacing any value and
/// TTL), or deletes `destination` if the set is empty; answers its size.
fn store_result(store: &mut Store, destination: &[u8], zset: SortedSet, ctx: &Context) -> Reply {
    let size = zset.len();
    if size == 0 {
        store.delete(destination, ctx.now_ms);
    } else {
        let value = Value::ZSet(Box::new(zset));
        store.set(destination.into(), value, None, ctx.now_ms);
    }
    Reply::Integer(size as i64)
}

/// `ZPOPMIN key [count]` and `ZPOPMAX key [count]`.
pub struct ZPop {
    key: Vec<u8>,
    max: bool,
    count: Option<usize>,
}

pub fn parse_zpopmin(request: Request, _now_ms: u64) -> Result<Command, CommandError> {
    zpop(request, false)
}

pub fn parse_zpopmax(request: Request, _now_ms: u64) -> Result<Command, CommandError> {
    zpop(request, true)
}

fn zpop(mut request: Request, max: bool) -> Result<Command, CommandError> {
    if request.len() > 3 {
        return Err(CommandError::Syntax);
    }
    let count = match request.get(2) {
        Some(count) => Some(parse_positive(count)? as usize),
        None => None,
    };
    Ok(Command::Write(Box::new(ZPop {
        key: take_arg(&mut request, 1),
        max,
        count,
    })))
}

/// What ZPOPMIN and ZPOPMAX answer with what they popped: without a count,
/// one flat `[member, score]` pair, even in RESP3; with one, pairs.
pub fn pop_reply(popped: Vec<(Bytes, f64)>, with_count: bool) -> Reply {
    let pairs = popped
        .into_iter()
        .map(|(m, s)| (Reply::bulk(m.as_slice()), Reply::Double(s)));
    if with_count {
        Reply::Pairs(pairs.collect())
    } else {
        Reply::Array(pairs.flat_map(|(m, s)| [m, s]).collect())
    }
}

/// What BZPOPMIN and BZPOPMAX answer once they have popped from `key`:
/// `[key, member, score]`, flat in RESP2 and RESP3 alike. For the blocking
/// forms, which pop with [`SortedSet::pop_many`] (count 1) when a key they
/// wait on gets members.
pub fn blocking_pop_reply(key: &[u8], (member, score): (Bytes, f64)) -> Reply {
    Reply::Array(vec![
        Reply::bulk(key),
        Reply::bulk(member.as_slice()),
        Reply::Double(score),
    ])
}

impl WriteCommand for ZPop {
    fn apply(self: Box<Self>, store: &mut Store, ctx: &Context) -> CommandResult {
        let before = store.changes_mark();
        let Some(zset) = lookup_mut(store, &self.key, ctx)? else {
            return Ok(Reply::Array(vec![]));
        };
        if self.count == Some(0) {
            store.forget_changes_since(before); // popped nothing: no change
            return Ok(Reply::Array(vec![]));
        }
        let popped = zset.pop_many(self.max, self.count.unwrap_or(1));
        store.remove_if_empty(&self.key);
        Ok(pop_reply(popped, self.count.is_some()))
    }
}

/// ZREMRANGEBYRANK, ZREMRANGEBYSCORE and ZREMRANGEBYLEX.
pub struct ZRemRange {
    key: Vec<u8>,
    selection: Selection,
}

fn zremrange(mut request: Request, selection: Selection) -> Result<Command, CommandError> {
    Ok(Command::Write(Box::new(ZRemRange {
        key: take_arg(&mut request, 1),
        selection,
    })))
}

/// `ZREMRANGEBYRANK key start stop`
pub fn parse_zremrangebyrank(request: Request, _now_ms: u64) -> Result<Command, CommandError> {
    let selection = Selection::Rank(parse_int(&request[2])?, parse_int(&request[3])?);
    zremrange(request, selection)
}

/// `ZREMRANGEBYSCORE key min max`
pub fn parse_zremrangebyscore(request: Request, _now_ms: u64) -> Result<Command, CommandError> {
    let selection = Selection::Score(parse_score_range(&request[2], &request[3])?);
    zremrange(request, selection)
}

/// `ZREMRANGEBYLEX key min max`
pub fn parse_zremrangebylex(request: Request, _now_ms: u64) -> Result<Command, CommandError> {
    let selection = Selection::Lex(parse_lex_range(&request[2], &request[3])?);
    zremrange(request, selection)
}

impl WriteCommand for ZRemRange {
    fn apply(self: Box<Self>, store: &mut Store, ctx: &Context) -> CommandResult {
        let before = store.changes_mark();
        let Some(zset) = lookup_mut(store, &self.key, ctx)? else {
            return Ok(Reply::Integer(0));
        };
        // The same selection as the forward ZRANGE form, without a limit.
        let range = ZRange {
            key: vec![],
            selection: self.selection,
            reverse: false,
            withscores: false,
            offset: 0,
            limit: -1,
            destination: None,
        };
        let ranks = range.ranks(zset);
        let removed = match (ranks.first(), ranks.last()) {
            (Some(&lo), Some(&hi)) => zset.remove_range(lo, hi + 1).len(),
            _ => 0,
        };
        if removed == 0 {
            store.forget_changes_since(before); // nothing removed: no change
        }
        store.remove_if_empty(&self.key);
        Ok(Reply::Integer(removed as i64))
    }
}

/// How ZUNIONSTORE and ZINTERSTORE combine a member's scores.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Aggregate {
    Sum,
    Min,
    Max,
}

impl Aggregate {
    /// Redis's `zunionInterAggregate`; a sum of `inf` and `-inf` is 0.
    fn apply(self, target: &mut f64, value: f64) {
        match self {
            Aggregate::Sum => {
                *target += value;
                if target.is_nan() {
                    *target = 0.0;
                }
            }
            Aggregate::Min => {
                if value < *target {
                    *target = value;
                }
            }
            Aggregate::Max => {
                if value > *target {
                    *target = value;
                }
            }
        }
    }
}

/// Which algebra a [`ZSetOp`] does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Op {
    Union,
    Inter,
    Diff,
}

/// The options after the keys, read (and any error kept) before the keys
/// are looked up, but reported after, as Redis reads them later.
#[derive(Debug, Clone)]
struct OpOptions {
    weights: Vec<f64>,
    aggregate: Aggregate,
    withscores: bool,
    /// ZINTERCARD's LIMIT (0: none).
    limit: usize,
}

/// ZUNIONSTORE, ZINTERSTORE, ZDIFFSTORE, ZUNION, ZINTER, ZDIFF and
/// ZINTERCARD (Redis's `zunionInterDiffGenericCommand`). Their inputs may
/// be sets as well as sorted sets: a set's members all score 1.
pub struct ZSetOp {
    op: Op,
    keys: Vec<Vec<u8>>,
    options: Result<OpOptions, CommandError>,
    /// Where to store the result (the STORE forms).
    destination: Option<Vec<u8>>,
    /// ZINTERCARD: count, do not list.
    cardinality_only: bool,
}

fn zset_op(
    mut request: Request,
    op: Op,
    name: &'static str,
    store: bool,
    cardinality_only: bool,
) -> Result<Command, CommandError> {
    let numkeys_at = if store { 2 } else { 1 };
    let numkeys = parse_int(&request[numkeys_at])?;
    if numkeys < 1 {
        return Err(CommandError::AtLeastOneKey(name));
    }
    let first = numkeys_at + 1;
    if numkeys > (request.len() - first) as i64 {
        return Err(CommandError::Syntax);
    }
    let numkeys = numkeys as usize;
    let options = op_options(
        &request[first + numkeys..],
        numkeys,
        op,
        store,
        cardinality_only,
    );
    let destination = store.then(|| take_arg(&mut request, 1));
    let mut keys = args_from(request, first);
    keys.truncate(numkeys);
    let command = ZSetOp {
        op,
        keys,
        options,
        destination,
        cardinality_only,
    };
    Ok(if store {
        Command::Write(Box::new(command))
    } else {
        Command::Read(Box::new(command))
    })
}

/// `[WEIGHTS w ...] [AGGREGATE SUM|MIN|MAX] [WITHSCORES] [LIMIT n]`, each
/// where the command allows it, in any order.
fn op_options(
    words: &[Vec<u8>],
    numkeys: usize,
    op: Op,
    store: bool,
    cardinality_only: bool,
) -> Result<OpOptions, CommandError> {
    let mut options = OpOptions {
        weights: vec![1.0; numkeys],
        aggregate: Aggregate::Sum,
        withscores: false,
        limit: 0,
    };
    let combines = op != Op::Diff && !cardinality_only;
    let mut j = 0;
    while j < words.len() {
        let left = words.len() - j;
        let word = words[j].to_ascii_lowercase();
        match word.as_slice() {
            b"weights" if combines && left > numkeys => {
                for (i, weight) in words[j + 1..=j + numkeys].iter().enumerate() {
                    options.weights[i] =
                        parse_score(weight).ok_or(CommandError::WeightNotAFloat)?;
                }
                j += 1 + numkeys;
            }
            b"aggregate" if combines && left >= 2 => {
                options.aggregate = match words[j + 1].to_ascii_lowercase().as_slice() {
                    b"sum" => Aggregate::Sum,
                    b"min" => Aggregate::Min,
                    b"max" => Aggregate::Max,
                    _ => return Err(CommandError::Syntax),
                };
                j += 2;
            }
            b"withscores" if !store && !cardinality_only => {
                options.withscores = true;
                j += 1;
            }
            b"limit" if cardinality_only && left >= 2 => {
                options.limit = match parse_int(&words[j + 1]) {
                    Ok(n) if n >= 0 => n as usize,
                    _ => return Err(CommandError::LimitNegative),
                };
                j += 2;
            }
            _ => return Err(CommandError::Syntax),
        }
    }
    Ok(options)
}

pub fn parse_zunionstore(request: Request, _now_ms: u64) -> Result<Command, CommandError> {
    zset_op(request, Op::Union, "zunionstore", true, false)
}

pub fn parse_zinterstore(request: Request, _now_ms: u64) -> Result<Command, CommandError> {
    zset_op(request, Op::Inter, "zinterstore", true, false)
}

pub fn parse_zdiffstore(request: Request, _now_ms: u64) -> Result<Command, CommandError> {
    zset_op(request, Op::Diff, "zdiffstore", true, false)
}

pub fn parse_zunion(request: Request, _now_ms: u64) -> Result<Command, CommandError> {
    zset_op(request, Op::Union, "zunion", false, false)
}

pub fn parse_zinter(request: Request, _now_ms: u64) -> Result<Command, CommandError> {
    zset_op(request, Op::Inter, "zinter", false, false)
}

pub fn parse_zdiff(request: Request, _now_ms: u64) -> Result<Command, CommandError> {
    zset_op(request, Op::Diff, "zdiff", false, false)
}

pub fn parse_zintercard(request: Request, _now_ms: u64) -> Result<Command, CommandError> {
    zset_op(request, Op::Inter, "zintercard", false, true)
}

/// An input of the algebra: a sorted set, or a set whose members score 1.
#[derive(Clone, Copy)]
enum Source<'a> {
    Missing,
    Set(&'a Set),
    ZSet(&'a SortedSet),
}

impl Source<'_> {
    fn len(&self) -> usize {
        match self {
            Source::Missing => 0,
            Source::Set(set) => set.len(),
            Source::ZSet(zset) => zset.len(),
        }
    }

    fn score(&self, member: &[u8]) -> Option<f64> {
        match self {
            Source::Missing => None,
            Source::Set(set) => set.contains(member).then_some(1.0),
            Source::ZSet(zset) => zset.score(member),
        }
    }

    /// Every member and score, in the input's own order.
    fn for_each(&self, mut f: impl FnMut(&[u8], f64)) {
        match self {
            Source::Missing => {}
            Source::Set(set) => set.iter().for_each(|m| match m {
                Member::Str(s) => f(s, 1.0),
                Member::Int(_) => f(&m.to_bytes(), 1.0),
            }),
            Source::ZSet(zset) => zset.iter().for_each(|(m, s)| f(m, s)),
        }
    }
}

/// What the algebra computed.
enum Outcome {
    ZSet(SortedSet),
    Count(usize),
}

impl ZSetOp {
    fn compute(&self, store: &Store, ctx: &Context) -> Result<Outcome, CommandError> {
        let mut sources = Vec::with_capacity(self.keys.len());
        for key in &self.keys {
            sources.push(match store.get(key, ctx.now_ms) {
                None => Source::Missing,
                Some(Value::Set(set)) => Source::Set(set),
                Some(Value::ZSet(zset)) => Source::ZSet(zset),
                Some(_) => return Err(CommandError::WrongType),
            });
        }
        let options = self.options.as_ref().map_err(Clone::clone)?;
        let mut inputs: Vec<(usize, Source, f64)> = sources
            .into_iter()
            .zip(options.weights.iter().copied())
            .enumerate()
            .map(|(i, (source, weight))| (i, source, weight))
            .collect();
        if self.op != Op::Diff {
            inputs.sort_by_key(|(_, source, _)| source.len()); // stable, as glibc's qsort
        }
        let mut result = SortedSet::new(false);
        let aggregate = options.aggregate;
        let weighted = |weight: f64, score: f64| {
            let value = weight * score;
            if value.is_nan() {
                0.0
            } else {
                value
            }
        };
        match self.op {
            Op::Inter => {
                let (_, first, weight) = inputs[0];
                let mut count = 0;
                let limit = if options.limit == 0 {
                    usize::MAX
                } else {
                    options.limit
                };
                first.for_each(|member, score| {
                    if count >= limit {
                        return;
                    }
                    let mut total = weighted(weight, score);
                    for (_, other, weight) in &inputs[1..] {
                        match other.score(member) {
                            Some(value) => aggregate.apply(&mut total, value * weight),
                            None => return,
                        }
                    }
                    count += 1;
                    if !self.cardinality_only {
                        result.insert(Bytes::copy_from(member), total);
                    }
                });
                if self.cardinality_only {
                    return Ok(Outcome::Count(count));
                }
            }
            Op::Union => {
                for (_, source, weight) in &inputs {
                    source.for_each(|member, score| {
                        let value = weighted(*weight, score);
                        match result.score(member) {
                            Some(mut total) => {
                                aggregate.apply(&mut total, value);
                                result.insert(Bytes::copy_from(member), total);
                            }
                            None => {
                                result.insert(Bytes::copy_from(member), value);
                            }
                        }
                    });
                }
            }
            Op::Diff => {
                let first_key = &self.keys[0];
                let repeated = self.keys[1..].contains(first_key);
                let (_, first, _) = inputs[0];
                if !repeated {
                    first.for_each(|member, score| {
                        if inputs[1..]
                            .iter()
                            .all(|(_, s, _)| s.score(member).is_none())
                        {
                            result.insert(Bytes::copy_from(member), score);
                        }
                    });
                }
            }
        }
        Ok(Outcome::ZSet(result))
    }
}

impl ReadCommand for ZSetOp {
    fn apply(&self, store: &Store, ctx: &Context) -> CommandResult {
        match self.compute(store, ctx)? {
            Outcome::Count(count) => Ok(Reply::Integer(count as i64)),
            Outcome::ZSet(zset) => {
                let withscores = self.options.as_ref().is_ok_and(|o| o.withscores);
                Ok(entries_reply(zset.iter(), withscores))
            }
        }
    }

    fn keys(&self) -> &[Vec<u8>] {
        &self.keys
    }
}

impl WriteCommand for ZSetOp {
    fn apply(self: Box<Self>, store: &mut Store, ctx: &Context) -> CommandResult {
        let destination = self.destination.as_deref().expect("a STORE form");
        for key in &self.keys {
            store.remove_if_expired(key, ctx.now_ms);
        }
        let Outcome::ZSet(mut zset) = self.compute(store, ctx)? else {
            unreachable!("only ZINTERCARD counts")
        };
        zset.compact_if_small();
        Ok(store_result(store, destination, zset, ctx))
    }
}

/// `ZRANDMEMBER key [count [WITHSCORES]]`
pub struct ZRandMember {
    key: Vec<u8>,
    count: Option<i64>,
    withscores: bool,
}

pub fn parse_zrandmember(mut request: Request, _now_ms: u64) -> Result<Command, CommandError> {
    let mut count = None;
    let mut withscores = false;
    if request.len() >= 3 {
        let n = parse_count(&request[2])?;
        let fourth_ok = request.len() == 3 || request[3].eq_ignore_ascii_case(b"withscores");
        if request.len() > 4 || !fourth_ok {
            return Err(CommandError::Syntax);
        }
        if request.len() == 4 {
            withscores = true;
            if !(-(i64::MAX / 2)..=i64::MAX / 2).contains(&n) {
                return Err(CommandError::ValueOutOfRange);
            }
        }
        count = Some(n);
    }
    Ok(Command::Read(Box::new(ZRandMember {
        key: take_arg(&mut request, 1),
        count,
        withscores,
    })))
}

impl ReadCommand for ZRandMember {
    fn apply(&self, store: &Store, ctx: &Context) -> CommandResult {
        let zset = lookup(store, &self.key, ctx)?;
        let Some(count) = self.count else {
            let member = zset.and_then(SortedSet::random);
            return Ok(member.map_or(Reply::Null, |(m, _)| Reply::bulk(m.as_slice())));
        };
        let Some(zset) = zset else {
            return Ok(Reply::Array(vec![]));
        };
        let wanted = count.unsigned_abs() as usize;
        let picked: Vec<(&Bytes, f64)> = match count {
            0 => vec![],
            n if n < 0 || n == 1 => (0..wanted)
                .map(|_| zset.random().expect("not empty"))
                .collect(),
            // All of them, as Redis's set-algebra iterator walks a sorted
            // set: from the highest score down.
            _ if wanted >= zset.len() => zset.iter().rev().collect(),
            _ => sample_distinct(zset.iter().collect(), wanted),
        };
        Ok(entries_reply(picked.into_iter(), self.withscores))
    }

    fn keys(&self) -> &[Vec<u8>] {
        slice::from_ref(&self.key)
    }
}

/// `ZSCAN key cursor [MATCH pattern] [COUNT count]`
pub struct ZScan {
    key: Vec<u8>,
    cursor: u64,
    options: Result<ScanOptions, CommandError>,
}

pub fn parse_zscan(mut request: Request, _now_ms: u64) -> Result<Command, CommandError> {
    let cursor = parse_cursor(&request[2])?;
    let options = parse_scan_options(&request[3..], false);
    Ok(Command::Read(Box::new(ZScan {
        key: take_arg(&mut request, 1),
        cursor,
        options,
    })))
}

impl ReadCommand for ZScan {
    /// Members and scores, flat. A listpack shows its scores as it stores
    /// them (`d2string`: integers as integers); a larger set as `%.17g`.
    fn apply(&self, store: &Store, ctx: &Context) -> CommandResult {
        let Some(zset) = lookup(store, &self.key, ctx)? else {
            return Ok(scan_reply(0, vec![]));
        };
        let options = self.options.as_ref().map_err(Clone::clone)?;
        let listpack = zset.is_listpack();
        let mut found = Vec::new();
        let cursor = zset.scan(self.cursor, options.count, |member, score| {
            if options.matches(member) {
                let text = if listpack {
                    format_d2string(score)
                } else {
                    format_g17(score)
                };
                found.push(Reply::bulk(member));
                found.push(Reply::bulk(text));
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
    fn score_ranges_take_parentheses_and_infinities() {
        let range = parse_score_range(b"(1.5", b"+inf").unwrap();
        assert!(range.min_exclusive && !range.max_exclusive);
        assert_eq!((range.min, range.max), (1.5, f64::INFINITY));
        assert_eq!(
            parse_score_range(b"-inf", b"(-inf").unwrap().max,
            f64::NEG_INFINITY
        );
        assert_eq!(
            parse_score_range(b"nan", b"1"),
            Err(CommandError::MinMaxNotFloat)
        );
        assert_eq!(
            parse_score_range(b"((1", b"1"),
            Err(CommandError::MinMaxNotFloat)
        );
        assert_eq!(parse_score_range(b"(", b" 2").unwrap().min, 0.0);
    }

    #[test]
    fn lex_ranges_take_brackets_and_the_extremes() {
        let range = parse_lex_range(b"[a", b"(b").unwrap();
        assert_eq!(range.min, LexBound::Inclusive(b"a".to_vec()));
        assert_eq!(range.max, LexBound::Exclusive(b"b".to_vec()));
        assert_eq!(parse_lex_range(b"-", b"+").unwrap().max, LexBound::Highest);
        for bad in [&b"a"[..], b"", b"+x", b"--", b"1"] {
            assert_eq!(parse_lex_range(bad, b"+"), Err(CommandError::MinMaxNotLex));
        }
        assert!(parse_lex_range(b"+\0x", b"[").is_ok());
    }

    //@ passes from step 2
    /// Redis 7.0.15's bytes for ZPOPMIN with and without a count, and for
    /// BZPOPMAX, in RESP2 and RESP3.
    #[test]
    fn pop_replies_have_redis_shapes() {
        use crate::protocol::RespVersion::{Resp2, Resp3};
        let encode = |reply: &Reply, version| {
            let mut out = Vec::new();
            reply.write_to(&mut out, version).unwrap();
            String::from_utf8(out).unwrap()
        };
        let popped = || vec![(Bytes::copy_from(b"a"), 1.0)];
        let single = pop_reply(popped(), false);
        assert_eq!(encode(&single, Resp2), "*2\r\n$1\r\na\r\n$1\r\n1\r\n");
        assert_eq!(encode(&single, Resp3), "*2\r\n$1\r\na\r\n,1\r\n");
        let counted = pop_reply(popped(), true);
        assert_eq!(encode(&counted, Resp3), "*1\r\n*2\r\n$1\r\na\r\n,1\r\n");
        let blocking = blocking_pop_reply(b"z", (Bytes::copy_from(b"b"), 2.0));
        assert_eq!(
            encode(&blocking, Resp2),
            "*3\r\n$1\r\nz\r\n$1\r\nb\r\n$1\r\n2\r\n"
        );
        assert_eq!(
            encode(&blocking, Resp3),
            "*3\r\n$1\r\nz\r\n$1\r\nb\r\n,2\r\n"
        );
    }

    #[test]
    fn aggregates_follow_redis() {
        let mut total = f64::INFINITY;
        Aggregate::Sum.apply(&mut total, f64::NEG_INFINITY);
        assert_eq!(total, 0.0);
        Aggregate::Min.apply(&mut total, -1.0);
        Aggregate::Max.apply(&mut total, f64::NAN);
        assert_eq!(total, -1.0);
    }
}
