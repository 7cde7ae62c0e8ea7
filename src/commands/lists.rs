//! List commands: LPUSH, LPOP, LRANGE, LMOVE and the rest of Redis's
//! non-blocking list commands.
//!
//! A list is a [`List`]: its elements packed into chunks, both ends O(1),
//! as in Redis's quicklist. A list that loses its last element is deleted,
//! as Redis never keeps an empty one; so a list found in the store has at
//! least one element.
//!
//! Redis checks a list command's arguments in an order of its own, which
//! shows when several are wrong: LRANGE reads its indexes before it looks
//! at the key (`LRANGE nokey a b` is an error), LINDEX and LSET look at the
//! key first (`LINDEX nokey a` is a null), LPOS reads all its options first
//! (`LPOS string x RANK 0` is the RANK error, not WRONGTYPE). Each parser
//! says which; an index read after the key is kept as bytes until then.
//!
//! The cores that a blocking command needs too ([`push`], [`pop`],
//! [`move_element`]) are public functions on the store, so BLPOP, BLMPOP
//! and BLMOVE can run them once a list has elements.

use std::slice;

use super::{parse_int, take_arg, Command, CommandError, CommandResult, Context};
use super::{ReadCommand, WriteCommand};
use crate::bytes::Bytes;
use crate::protocol::{parse_i64, Reply, Request};
use crate::storage::Store;
use crate::value::{Kind, List};

/// Which end of a list: the head (LEFT) or the tail (RIGHT).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum End {
    Left,
    Right,
}

impl End {
    /// `LEFT` or `RIGHT`, in any case; anything else is a syntax error.
    pub fn parse(word: &[u8]) -> Result<End, CommandError> {
        if word.eq_ignore_ascii_case(b"left") {
            Ok(End::Left)
        } else if word.eq_ignore_ascii_case(b"right") {
            Ok(End::Right)
        } else {
            Err(CommandError::Syntax)
        }
    }
}

fn push_at(list: &mut List, end: End, element: &[u8]) {
    match end {
        End::Left => list.push_front(element),
        End::Right => list.push_back(element),
    }
}

/// Takes up to `count` elements from `end`, in the order they come off
/// (from the tail, the last one first).
fn pop_at(list: &mut List, end: End, count: usize) -> Vec<Bytes> {
    list.pop_many(count, end == End::Left)
}

/// Turns Redis's inclusive `start stop` (negative counts from the end) into
/// the positions they cover in a list of `len`, or `None` if none: the rule
/// of LRANGE and LTRIM.
pub fn range(start: i64, stop: i64, len: usize) -> Option<(usize, usize)> {
    //@ step 6: Count a negative index from the end (`len + i`), clamp `start` at 0 and `stop` at `len - 1`; `None` if `start > stop` or `start >= len`.
    let len = len as i64;
    let from_end = |i: i64| if i < 0 { len + i } else { i };
    let (start, stop) = (from_end(start).max(0), from_end(stop));
    if start > stop || start >= len {
        return None;
    }
    Some((start as usize, stop.min(len - 1) as usize))
    //@ end step 6
}

/// The position of LINDEX's and LSET's `index` (negative from the end), if
/// it is inside a list of `len`.
pub fn position(index: i64, len: usize) -> Option<usize> {
    let len = len as i64;
    let at = if index < 0 { len + index } else { index };
    (0..len).contains(&at).then_some(at as usize)
}

/// Pushes `elements` one by one at `end` of the list at `key`, creating it
/// unless `only_if_exists` (LPUSHX); returns the new length (0 if there was
/// no list for LPUSHX).
pub fn push(
    store: &mut Store,
    key: &[u8],
    end: End,
    elements: Vec<Bytes>,
    only_if_exists: bool,
    now_ms: u64,
) -> Result<usize, CommandError> {
    //@ step 6: Find the list (`get_mut` for LPUSHX, which needs one; else `get_or_create` a `Kind::List`), `as_list_mut` it (WRONGTYPE), `push_at` each element in turn; return the new length.
    let value = if only_if_exists {
        match store.get_mut(key, now_ms) {
            Some(value) => value,
            None => return Ok(0),
        }
    } else {
        store.get_or_create(key, Kind::List, now_ms)
    };
    let list = value.as_list_mut()?;
    for element in &elements {
        push_at(list, end, element);
    }
    Ok(list.len())
    //@ end step 6
}

/// Pops up to `count` elements from `end` of the list at `key`, deleting the
/// key if that empties it; `None` if there is no such key. The core of
/// LPOP/RPOP with a count, LMPOP, and (once it has elements) BLMPOP.
pub fn pop(
    store: &mut Store,
    key: &[u8],
    end: End,
    count: usize,
    now_ms: u64,
) -> Result<Option<Vec<Bytes>>, CommandError> {
    // Popping nothing changes nothing (WATCH and blocked clients see no write).
    match store.peek(key, now_ms) {
        None => return Ok(None),
        Some(value) if count == 0 => {
            value.as_list()?;
            return Ok(Some(Vec::new()));
        }
        // The type before `get_mut`, which counts the key as changed.
        Some(value) => {
            value.as_list()?;
        }
    }
    //@ step 6: Take up to `count` elements from `end` with `pop_at`, then `remove_if_empty` the key; return them.
    let list = store
        .get_mut(key, now_ms)
        .expect("just found")
        .as_list_mut()?;
    let popped = pop_at(list, end, count);
    store.remove_if_empty(key);
    Ok(Some(popped))
    //@ end step 6
}

/// Moves one element from `from` of the list at `source` to `to` of the
/// list at `destination` (the same key rotates it); `None` if there is no
/// source. Both keys are type-checked before anything moves, as in Redis.
/// The core of LMOVE and RPOPLPUSH, and of BLMOVE once the source has one.
pub fn move_element(
    store: &mut Store,
    source: &[u8],
    destination: &[u8],
    from: End,
    to: End,
    now_ms: u64,
) -> Result<Option<Bytes>, CommandError> {
    // Only look at both keys until both are known to be lists.
    match store.peek(source, now_ms) {
        None => return Ok(None),
        Some(value) => value.as_list()?,
    };
    if let Some(value) = store.peek(destination, now_ms) {
        value.as_list()?;
    }
    let list = store
        .get_mut(source, now_ms)
        .expect("the source was just found")
        .as_list_mut()?;
    let element = pop_at(list, from, 1)
        .pop()
        .expect("a stored list is never empty");
    let target = store.get_or_create(destination, Kind::List, now_ms);
    push_at(target.as_list_mut()?, to, &element);
    store.remove_if_empty(source);
    Ok(Some(element))
}

/// `LPUSH`, `RPUSH`, `LPUSHX`, `RPUSHX key element [element ...]`: the new length.
pub struct Push {
    key: Vec<u8>,
    end: End,
    elements: Vec<Bytes>,
    only_if_exists: bool,
}

fn parse_push(request: Request, end: End, only_if_exists: bool) -> Result<Command, CommandError> {
    let mut words = request.into_iter().skip(1);
    let key = words.next().expect("arity checked");
    Ok(Command::Write(Box::new(Push {
        key,
        end,
        elements: words.map(Bytes::from).collect(),
        only_if_exists,
    })))
}

pub fn parse_lpush(request: Request, _now_ms: u64) -> Result<Command, CommandError> {
    parse_push(request, End::Left, false)
}

pub fn parse_rpush(request: Request, _now_ms: u64) -> Result<Command, CommandError> {
    parse_push(request, End::Right, false)
}

pub fn parse_lpushx(request: Request, _now_ms: u64) -> Result<Command, CommandError> {
    parse_push(request, End::Left, true)
}

pub fn parse_rpushx(request: Request, _now_ms: u64) -> Result<Command, CommandError> {
    parse_push(request, End::Right, true)
}

impl WriteCommand for Push {
    fn apply(self: Box<Self>, store: &mut Store, ctx: &Context) -> CommandResult {
        let Push {
            key,
            end,
            elements,
            only_if_exists,
        } = *self;
        let len = push(store, &key, end, elements, only_if_exists, ctx.now_ms)?;
        Ok(Reply::Integer(len as i64))
    }
}

/// `LPOP` and `RPOP key [count]`. Without a count: one element, or a null.
/// With one: an array, or a null *array* for a missing key (`*-1`, which
/// RESP3 writes `_`), and an empty array for `LPOP key 0`.
pub struct Pop {
    key: Vec<u8>,
    end: End,
    count: Option<usize>,
}

fn parse_pop(mut request: Request, end: End, name: &'static str) -> Result<Command, CommandError> {
    if request.len() > 3 {
        return Err(CommandError::WrongArity(name));
    }
    let count = match request.get(2) {
        // A count that is negative or not a number is the same error.
        Some(arg) => match parse_i64(arg) {
            Some(n) if n >= 0 => Some(n as usize),
            _ => return Err(CommandError::MustBePositive),
        },
        None => None,
    };
    Ok(Command::Write(Box::new(Pop {
        key: take_arg(&mut request, 1),
        end,
        count,
    })))
}

pub fn parse_lpop(request: Request, _now_ms: u64) -> Result<Command, CommandError> {
    parse_pop(request, End::Left, "lpop")
}

pub fn parse_rpop(request: Request, _now_ms: u64) -> Result<Command, CommandError> {
    parse_pop(request, End::Right, "rpop")
}

impl WriteCommand for Pop {
    fn apply(self: Box<Self>, store: &mut Store, ctx: &Context) -> CommandResult {
        let popped = pop(
            store,
            &self.key,
            self.end,
            self.count.unwrap_or(1),
            ctx.now_ms,
        )?;
        Ok(match (popped, self.count) {
            (None, Some(_)) => Reply::NullArray,
            (None, None) => Reply::Null,
            (Some(elements), Some(_)) => bulk_array(elements),
            (Some(mut elements), None) => Reply::bulk(elements.pop().expect("one popped").to_vec()),
        })
    }
}

pub fn bulk_array(elements: impl IntoIterator<Item = Bytes>) -> Reply {
    Reply::Array(
        elements
            .into_iter()
            .map(|e| Reply::bulk(e.as_slice()))
            .collect(),
    )
}

/// `LLEN key`: 0 for a missing key.
pub struct Len {
    key: Vec<u8>,
}

pub fn parse_llen(mut request: Request, _now_ms: u64) -> Result<Command, CommandError> {
    Ok(Command::Read(Box::new(Len {
        key: take_arg(&mut request, 1),
    })))
}

impl ReadCommand for Len {
    fn apply(&self, store: &Store, ctx: &Context) -> CommandResult {
        let len = match store.get(&self.key, ctx.now_ms) {
            Some(value) => value.as_list()?.len(),
            None => 0,
        };
        Ok(Reply::Integer(len as i64))
    }

    fn keys(&self) -> &[Vec<u8>] {
        slice::from_ref(&self.key)
    }
}

/// `LRANGE key start stop`: the indexes are read before the key is looked at.
pub struct Range {
    key: Vec<u8>,
    start: i64,
    stop: i64,
}

pub fn parse_lrange(mut request: Request, _now_ms: u64) -> Result<Command, CommandError> {
    let (start, stop) = (parse_int(&request[2])?, parse_int(&request[3])?);
    Ok(Command::Read(Box::new(Range {
        key: take_arg(&mut request, 1),
        start,
        stop,
    })))
}

impl ReadCommand for Range {
    fn apply(&self, store: &Store, ctx: &Context) -> CommandResult {
        let Some(value) = store.get(&self.key, ctx.now_ms) else {
            return Ok(Reply::Array(Vec::new()));
        };
        let list = value.as_list()?;
        Ok(match range(self.start, self.stop, list.len()) {
            Some((from, to)) => Reply::bulks(list.range(from, to)),
            None => Reply::Array(Vec::new()),
        })
    }

    fn keys(&self) -> &[Vec<u8>] {
        slice::from_ref(&self.key)
    }
}

/// `LINDEX key index`: the key is looked at first, so a missing key is a
/// null even if the index is not a number.
pub struct Index {
    key: Vec<u8>,
    index: Vec<u8>,
}

pub fn parse_lindex(mut request: Request, _now_ms: u64) -> Result<Command, CommandError> {
    Ok(Command::Read(Box::new(Index {
        key: take_arg(&mut request, 1),
        index: take_arg(&mut request, 2),
    })))
}

impl ReadCommand for Index {
    fn apply(&self, store: &Store, ctx: &Context) -> CommandResult {
        let Some(value) = store.get(&self.key, ctx.now_ms) else {
            return Ok(Reply::Null);
        };
        let list = value.as_list()?;
        let index = parse_int(&self.index)?;
        Ok(
            match position(index, list.len()).and_then(|at| list.get(at)) {
                Some(element) => Reply::bulk(element),
                None => Reply::Null,
            },
        )
    }

    fn keys(&self) -> &[Vec<u8>] {
        slice::from_ref(&self.key)
    }
}

/// `LSET key index element`: no such key, then its type, then the index.
pub struct SetAt {
    key: Vec<u8>,
    index: Vec<u8>,
    element: Vec<u8>,
}

pub fn parse_lset(mut request: Request, _now_ms: u64) -> Result<Command, CommandError> {
    Ok(Command::Write(Box::new(SetAt {
        key: take_arg(&mut request, 1),
        index: take_arg(&mut request, 2),
        element: take_arg(&mut request, 3),
    })))
}

impl WriteCommand for SetAt {
    fn apply(self: Box<Self>, store: &mut Store, ctx: &Context) -> CommandResult {
        let value = store
            .get_mut(&self.key, ctx.now_ms)
            .ok_or(CommandError::NoSuchKey)?;
        let list = value.as_list_mut()?;
        let index = parse_int(&self.index)?;
        let at = position(index, list.len()).ok_or(CommandError::IndexOutOfRange)?;
        list.set(at, &self.element);
        Ok(Reply::OK)
    }
}

/// `LREM key count element`: removes the first `count` matches (from the
/// tail if negative, all if 0); the count is read before the key.
pub struct Remove {
    key: Vec<u8>,
    count: i64,
    element: Vec<u8>,
}

pub fn parse_lrem(mut request: Request, _now_ms: u64) -> Result<Command, CommandError> {
    let count = parse_int(&request[2])?;
    Ok(Command::Write(Box::new(Remove {
        key: take_arg(&mut request, 1),
        count,
        element: take_arg(&mut request, 3),
    })))
}

impl WriteCommand for Remove {
    fn apply(self: Box<Self>, store: &mut Store, ctx: &Context) -> CommandResult {
        // Redis counts the key as changed only if something is removed.
        let Some(value) = store.peek(&self.key, ctx.now_ms) else {
            return Ok(Reply::Integer(0));
        };
        let element = self.element.as_slice();
        let matches = value.as_list()?.iter().filter(|e| *e == element).count();
        if matches == 0 {
            return Ok(Reply::Integer(0));
        }
        let list = store
            .get_mut(&self.key, ctx.now_ms)
            .expect("just found")
            .as_list_mut()?;
        let limit = match self.count {
            0 => usize::MAX,
            n => usize::try_from(n.unsigned_abs()).unwrap_or(usize::MAX),
        };
        let removed = limit.min(matches);
        // From the tail (a negative count): the last `removed` matches go,
        // so the first `matches - removed` stay.
        let spared = if self.count >= 0 {
            0
        } else {
            matches - removed
        };
        let mut seen = 0;
        list.retain(|e| {
            if e != element {
                return true;
            }
            seen += 1;
            seen <= spared || seen > spared + removed
        });
        store.remove_if_empty(&self.key);
        Ok(Reply::Integer(removed as i64))
    }
}

/// `LTRIM key start stop`: keeps only that range; the indexes come first.
pub struct Trim {
    key: Vec<u8>,
    start: i64,
    stop: i64,
}

pub fn parse_ltrim(mut request: Request, _now_ms: u64) -> Result<Command, CommandError> {
    let (start, stop) = (parse_int(&request[2])?, parse_int(&request[3])?);
    Ok(Command::Write(Box::new(Trim {
        key: take_arg(&mut request, 1),
        start,
        stop,
    })))
}

impl WriteCommand for Trim {
    fn apply(self: Box<Self>, store: &mut Store, ctx: &Context) -> CommandResult {
        let Some(value) = store.get_mut(&self.key, ctx.now_ms) else {
            return Ok(Reply::OK);
        };
        let list = value.as_list_mut()?;
        match range(self.start, self.stop, list.len()) {
            Some((from, to)) => list.keep_range(from, to),
            None => list.clear(),
        }
        store.remove_if_empty(&self.key);
        Ok(Reply::OK)
    }
}

/// `LINSERT key BEFORE|AFTER pivot element`: the new length, -1 if there
/// is no pivot, 0 if there is no key. The position word is read first.
pub struct Insert {
    key: Vec<u8>,
    after: bool,
    pivot: Vec<u8>,
    element: Vec<u8>,
}

pub fn parse_linsert(mut request: Request, _now_ms: u64) -> Result<Command, CommandError> {
    let after = if request[2].eq_ignore_ascii_case(b"after") {
        true
    } else if request[2].eq_ignore_ascii_case(b"before") {
        false
    } else {
        return Err(CommandError::Syntax);
    };
    Ok(Command::Write(Box::new(Insert {
        key: take_arg(&mut request, 1),
        after,
        pivot: take_arg(&mut request, 3),
        element: take_arg(&mut request, 4),
    })))
}

impl WriteCommand for Insert {
    fn apply(self: Box<Self>, store: &mut Store, ctx: &Context) -> CommandResult {
        let Some(value) = store.peek(&self.key, ctx.now_ms) else {
            return Ok(Reply::Integer(0));
        };
        let pivot = self.pivot.as_slice();
        let Some(at) = value.as_list()?.iter().position(|e| e == pivot) else {
            // No pivot, no change.
            return Ok(Reply::Integer(-1));
        };
        let list = store
            .get_mut(&self.key, ctx.now_ms)
            .expect("just found")
            .as_list_mut()?;
        list.insert(at + usize::from(self.after), &self.element);
        Ok(Reply::Integer(list.len() as i64))
    }
}

/// `LPOS key element [RANK rank] [COUNT num-matches] [MAXLEN len]`: where
/// the element is. RANK n starts at the n-th match (from the tail if
/// negative), COUNT asks for that many positions (0: all) as an array,
/// MAXLEN compares only that many elements (0: all).
pub struct Pos {
    key: Vec<u8>,
    element: Vec<u8>,
    rank: i64,
    count: Option<usize>,
    maxlen: usize,
}

pub fn parse_lpos(mut request: Request, _now_ms: u64) -> Result<Command, CommandError> {
    let (mut rank, mut count, mut maxlen) = (1, None, 0);
    let mut i = 3;
    while i < request.len() {
        let (option, value) = (&request[i], request.get(i + 1));
        let Some(value) = value else {
            return Err(CommandError::Syntax);
        };
        // COUNT and MAXLEN say "can't be negative" of anything not a
        // non-negative number; RANK has the usual integer error.
        let non_negative = |error| match parse_i64(value) {
            Some(n) if n >= 0 => Ok(n as usize),
            _ => Err(error),
        };
        if option.eq_ignore_ascii_case(b"rank") {
            rank = parse_int(value)?;
            if rank == 0 {
                return Err(CommandError::RankZero);
            }
        } else if option.eq_ignore_ascii_case(b"count") {
            count = Some(non_negative(CommandError::CountNegative)?);
        } else if option.eq_ignore_ascii_case(b"maxlen") {
            maxlen = non_negative(CommandError::MaxlenNegative)?;
        } else {
            return Err(CommandError::Syntax);
        }
        i += 2;
    }
    Ok(Command::Read(Box::new(Pos {
        key: take_arg(&mut request, 1),
        element: take_arg(&mut request, 2),
        rank,
        count,
        maxlen,
    })))
}

impl Pos {
    /// The positions of the matches LPOS reports, at most `limit` of them.
    fn matches(&self, list: &List, limit: usize) -> Vec<i64> {
        // Redis 7.0 negates RANK in C, so i64::MIN stays negative: from the
        // tail, and every match counts (as for -1).
        let skip = match self.rank {
            i64::MIN => 0,
            rank => rank.unsigned_abs() - 1,
        };
        let compared = if self.maxlen == 0 {
            list.len()
        } else {
            self.maxlen.min(list.len())
        };
        let hits = |(at, element): (usize, &[u8])| (element == self.element).then_some(at as i64);
        let found: Box<dyn Iterator<Item = i64>> = if self.rank > 0 {
            Box::new(list.iter().enumerate().take(compared).filter_map(hits))
        } else {
            let last = list.len() - 1;
            let from_tail = list
                .iter()
                .rev()
                .enumerate()
                .map(move |(i, e)| (last - i, e));
            Box::new(from_tail.take(compared).filter_map(hits))
        };
        found
            .skip(usize::try_from(skip).unwrap_or(usize::MAX))
            .take(limit)
            .collect()
    }
}

impl ReadCommand for Pos {
    fn apply(&self, store: &Store, ctx: &Context) -> CommandResult {
        let list = match store.get(&self.key, ctx.now_ms) {
            Some(value) => Some(value.as_list()?),
            None => None,
        };
        let Some(count) = self.count else {
            let first = list.and_then(|list| self.matches(list, 1).pop());
            return Ok(first.map_or(Reply::Null, Reply::Integer));
        };
        let limit = if count == 0 { usize::MAX } else { count };
        let found = list.map_or_else(Vec::new, |list| self.matches(list, limit));
        Ok(Reply::Array(
            found.into_iter().map(Reply::Integer).collect(),
        ))
    }

    fn keys(&self) -> &[Vec<u8>] {
        slice::from_ref(&self.key)
    }
}

/// `LMOVE source destination LEFT|RIGHT LEFT|RIGHT` and `RPOPLPUSH source
/// destination`: the element moved, or a null if the source is empty.
pub struct Move {
    source: Vec<u8>,
    destination: Vec<u8>,
    from: End,
    to: End,
}

pub fn parse_lmove(mut request: Request, _now_ms: u64) -> Result<Command, CommandError> {
    let (from, to) = (End::parse(&request[3])?, End::parse(&request[4])?);
    Ok(Command::Write(Box::new(Move {
        source: take_arg(&mut request, 1),
        destination: take_arg(&mut request, 2),
        from,
        to,
    })))
}

pub fn parse_rpoplpush(mut request: Request, _now_ms: u64) -> Result<Command, CommandError> {
    Ok(Command::Write(Box::new(Move {
        source: take_arg(&mut request, 1),
        destination: take_arg(&mut request, 2),
        from: End::Right,
        to: End::Left,
    })))
}

impl WriteCommand for Move {
    fn apply(self: Box<Self>, store: &mut Store, ctx: &Context) -> CommandResult {
        let moved = move_element(
            store,
            &self.source,
            &self.destination,
            self.from,
            self.to,
            ctx.now_ms,
        )?;
        Ok(moved.map_or(Reply::Null, |element| Reply::bulk(element.as_slice())))
    }
}

/// `LMPOP numkeys key [key ...] LEFT|RIGHT [COUNT count]`: pops from the
/// first of the keys that holds a list; `[key, [elements]]`, or a null
/// array if none does.
pub struct MultiPop {
    keys: Vec<Vec<u8>>,
    end: End,
    count: usize,
}

/// Reads `numkeys key... LEFT|RIGHT [COUNT count]` from `request[first..]`,
/// as LMPOP (and BLMPOP, after its timeout) have it.
pub fn parse_multi_pop(request: Request, first: usize) -> Result<MultiPop, CommandError> {
    let numkeys = match parse_i64(&request[first]) {
        Some(n) if n > 0 => n as u64,
        _ => return Err(CommandError::NumkeysNotPositive),
    };
    // The keys and the end must be there.
    let after_numkeys = (request.len() - first - 1) as u64;
    if numkeys >= after_numkeys {
        return Err(CommandError::Syntax);
    }
    let numkeys = numkeys as usize;
    let end = End::parse(&request[first + 1 + numkeys])?;
    let mut count = None;
    let mut i = first + 2 + numkeys;
    while i < request.len() {
        match request.get(i + 1) {
            Some(value) if count.is_none() && request[i].eq_ignore_ascii_case(b"count") => {
                count = match parse_i64(value) {
                    Some(n) if n > 0 => Some(n as usize),
                    _ => return Err(CommandError::CountNotPositive),
                };
            }
            _ => return Err(CommandError::Syntax),
        }
        i += 2;
    }
    let keys = request.into_iter().skip(first + 1).take(numkeys).collect();
    Ok(MultiPop {
        keys,
        end,
        count: count.unwrap_or(1),
    })
}

pub fn parse_lmpop(request: Request, _now_ms: u64) -> Result<Command, CommandError> {
    Ok(Command::Write(Box::new(parse_multi_pop(request, 1)?)))
}

/// What LMPOP popped: the key, and its elements.
pub type Popped = (Vec<u8>, Vec<Bytes>);

impl MultiPop {
    /// The end it pops from.
    pub fn end(&self) -> End {
        self.end
    }

    /// The pop itself: from the first key with a list, `(key, elements)`.
    /// `skip_wrong_types`: pass over a key of another type (BLMPOP being
    /// served) instead of answering WRONGTYPE.
    pub fn pop(
        &self,
        store: &mut Store,
        now_ms: u64,
        skip_wrong_types: bool,
    ) -> Result<Option<Popped>, CommandError> {
        for key in &self.keys {
            match pop(store, key, self.end, self.count, now_ms) {
                Ok(Some(elements)) => return Ok(Some((key.clone(), elements))),
                Ok(None) => {}
                Err(CommandError::WrongType) if skip_wrong_types => {}
                Err(err) => return Err(err),
            }
        }
        Ok(None)
    }

    pub fn keys(&self) -> &[Vec<u8>] {
        &self.keys
    }
}

impl WriteCommand for MultiPop {
    fn apply(self: Box<Self>, store: &mut Store, ctx: &Context) -> CommandResult {
        Ok(match self.pop(store, ctx.now_ms, false)? {
            Some((key, elements)) => Reply::Array(vec![Reply::bulk(key), bulk_array(elements)]),
            None => Reply::NullArray,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    //@ passes from step 6
    #[test]
    fn ranges_follow_redis_rules() {
        assert_eq!(range(0, -1, 5), Some((0, 4)));
        assert_eq!(range(-2, -1, 5), Some((3, 4)));
        assert_eq!(range(-100, 100, 5), Some((0, 4)));
        assert_eq!(range(1, 0, 5), None);
        assert_eq!(range(5, 10, 5), None);
        assert_eq!(range(-1, -2, 5), None);
        assert_eq!(range(i64::MIN, i64::MAX, 3), Some((0, 2)));
        assert_eq!(range(0, i64::MIN, 3), None);
        assert_eq!(range(0, 0, 0), None);
    }

    #[test]
    fn positions_count_from_either_end() {
        assert_eq!(position(0, 3), Some(0));
        assert_eq!(position(-1, 3), Some(2));
        assert_eq!(position(-3, 3), Some(0));
        assert_eq!(position(-4, 3), None);
        assert_eq!(position(3, 3), None);
        assert_eq!(position(i64::MIN, 3), None);
        assert_eq!(position(i64::MAX, 3), None);
    }
}
