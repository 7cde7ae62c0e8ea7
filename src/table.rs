//! A hash table of our own, for the keyspace, the sets and the sorted sets:
//! std's `HashMap` cannot do two things Redis's `dict` does and their
//! commands need.
//!
//! * **A random element in O(1)** (RANDOMKEY, SPOP, SRANDMEMBER): std
//!   offers no access by position, so picking one would walk the table.
//!   Here a random slot is drawn until one is full: with the table at least
//!   1/8 full that takes a few draws, and every element is equally likely.
//! * **A cursor that survives resizing** (SCAN, SSCAN, ZSCAN): Redis's `dictScan`
//!   walks the buckets in *reverse-binary* order, so that an element present
//!   for the whole iteration is returned at least once however the table
//!   grows or shrinks in between. That needs buckets we can name, which std
//!   hides.
//!
//! It is open addressing with linear probing: one `Vec` of slots, a power of
//! two long, no allocation per element. An element's *home* is its hash
//! masked to the table size; it lies at its home or after it, with no empty
//! slot in between, so a bucket (the elements of one home) is found by
//! walking from the home to the next empty slot. Removal shifts the
//! following elements back (no tombstones), which keeps that true.
//!
//! The hash is SipHash with keys drawn once per process (std's
//! `RandomState`), so, as in Redis, a client cannot choose members that
//! collide, and iteration order differs from one run to the next.

use std::collections::hash_map::RandomState;
use std::hash::BuildHasher;
use std::sync::OnceLock;

use crate::bytes::Bytes;

/// What a table holds: anything with a byte-string key.
pub trait Keyed {
    fn key(&self) -> &[u8];
}

impl Keyed for Bytes {
    fn key(&self) -> &[u8] {
        self
    }
}

/// Fewest slots a table that holds anything has.
const MIN_SLOTS: usize = 4;

fn hash(key: &[u8]) -> u64 {
    static KEYS: OnceLock<RandomState> = OnceLock::new();
    KEYS.get_or_init(RandomState::new).hash_one(key)
}

/// A set of `T`s, looked up by their key.
#[derive(Debug, Clone)]
pub struct Table<T> {
    /// Empty or a power of two long; never more than 3/4 full.
    slots: Vec<Option<T>>,
    len: usize,
}

impl<T> Default for Table<T> {
    fn default() -> Self {
        Table {
            slots: Vec::new(),
            len: 0,
        }
    }
}

impl<T: Keyed> Table<T> {
    /// A table that holds `n` elements without growing.
    pub fn with_capacity(n: usize) -> Self {
        let mut table = Table::default();
        if n > 0 {
            table.resize(slots_for(n));
        }
        table
    }

    pub fn len(&self) -> usize {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    fn mask(&self) -> usize {
        self.slots.len().wrapping_sub(1)
    }

    fn home(&self, key: &[u8]) -> usize {
        hash(key) as usize & self.mask()
    }

    /// The slot holding `key`, or the empty slot where it would go.
    fn find(&self, key: &[u8]) -> Result<usize, usize> {
        let mask = self.mask();
        let mut at = self.home(key);
        loop {
            match &self.slots[at] {
                None => return Err(at),
                Some(item) if item.key() == key => return Ok(at),
                Some(_) => at = (at + 1) & mask,
            }
        }
    }

    pub fn get(&self, key: &[u8]) -> Option<&T> {
        if self.len == 0 {
            return None;
        }
        let at = self.find(key).ok()?;
        self.slots[at].as_ref()
    }

    pub fn get_mut(&mut self, key: &[u8]) -> Option<&mut T> {
        if self.len == 0 {
            return None;
        }
        let at = self.find(key).ok()?;
        self.slots[at].as_mut()
    }

    pub fn contains(&self, key: &[u8]) -> bool {
        self.get(key).is_some()
    }

    /// Adds `item` unless its key is already there; returns whether it did.
    pub fn insert(&mut self, item: T) -> bool {
        self.grow_for_one_more();
        match self.find(item.key()) {
            Ok(_) => false,
            Err(at) => {
                self.slots[at] = Some(item);
                self.len += 1;
                true
            }
        }
    }

    /// Adds `item`, or puts it in the place of the element with its key,
    /// which it returns.
    pub fn replace(&mut self, item: T) -> Option<T> {
        self.grow_for_one_more();
        match self.find(item.key()) {
            Ok(at) => self.slots[at].replace(item),
            Err(at) => {
                self.slots[at] = Some(item);
                self.len += 1;
                None
            }
        }
    }

    /// The element with `key`, made by `make` and inserted if there is
    /// none: one search either way. The flag says whether it was inserted.
    pub fn get_or_insert_with(&mut self, key: &[u8], make: impl FnOnce() -> T) -> (&mut T, bool) {
        self.grow_for_one_more();
        let (at, inserted) = match self.find(key) {
            Ok(at) => (at, false),
            Err(at) => {
                self.slots[at] = Some(make());
                self.len += 1;
                (at, true)
            }
        };
        (
            self.slots[at].as_mut().expect("found or just filled"),
            inserted,
        )
    }

    /// Removes and returns the element with `key`.
    pub fn remove(&mut self, key: &[u8]) -> Option<T> {
        let item = self.remove_keeping_size(key)?;
        self.shrink_if_sparse();
        Some(item)
    }

    /// Removes and returns the element with `key`, never shrinking the
    /// table: while a walk is under way, halving it would merge a bucket
    /// the walk has passed with one it has not (see [`Table::walked`]).
    pub fn remove_keeping_size(&mut self, key: &[u8]) -> Option<T> {
        if self.len == 0 {
            return None;
        }
        let at = self.find(key).ok()?;
        Some(self.take_slot(at))
    }

    /// Makes room for `more` elements, so that adding them does not grow
    /// the table step by step (loading a dump).
    pub fn reserve(&mut self, more: usize) {
        let wanted = self.len + more;
        if wanted * 4 > self.slots.len() * 3 {
            self.resize(slots_for(wanted));
        }
    }

    /// Doubles the table if one more element would make it more than 3/4 full.
    fn grow_for_one_more(&mut self) {
        if (self.len + 1) * 4 > self.slots.len() * 3 {
            self.resize((self.slots.len() * 2).max(MIN_SLOTS));
        }
    }

    /// Halves it (or more) once it is less than 1/8 full, as Redis's
    /// `htNeedsResize` shrinks a dict below 10%.
    fn shrink_if_sparse(&mut self) {
        if self.slots.len() > MIN_SLOTS && self.len * 8 < self.slots.len() {
            self.resize(slots_for(self.len));
        }
    }

    /// Empties slot `hole`, then moves back the elements after it that may
    /// live there, so that no element is cut off from its home.
    fn take_slot(&mut self, mut hole: usize) -> T {
        let item = self.slots[hole].take().expect("a full slot");
        self.len -= 1;
        let mask = self.mask();
        let mut next = (hole + 1) & mask;
        while let Some(moved) = &self.slots[next] {
            let home = self.home(moved.key());
            // `moved` may go back to `hole` unless its home lies after the
            // hole, up to `next` (cyclically).
            let stays = if hole <= next {
                hole < home && home <= next
            } else {
                hole < home || home <= next
            };
            if !stays {
                self.slots[hole] = self.slots[next].take();
                hole = next;
            }
            next = (next + 1) & mask;
        }
        item
    }

    fn resize(&mut self, slots: usize) {
        let old = std::mem::take(&mut self.slots);
        self.slots.resize_with(slots, || None);
        let mask = self.mask();
        for item in old.into_iter().flatten() {
            let mut at = self.home(item.key());
            while self.slots[at].is_some() {
                at = (at + 1) & mask;
            }
            self.slots[at] = Some(item);
        }
    }

    /// Every element, in slot order (random, but fixed until the next change).
    pub fn iter(&self) -> impl Iterator<Item = &T> + '_ {
        self.slots.iter().flatten()
    }

    /// Every element, by value, emptying the table.
    pub fn drain(&mut self) -> impl Iterator<Item = T> {
        self.len = 0;
        std::mem::take(&mut self.slots).into_iter().flatten()
    }

    /// An element chosen uniformly at random, `random` giving the draws.
    pub fn random(&self, mut random: impl FnMut() -> u64) -> Option<&T> {
        if self.len == 0 {
            return None;
        }
        let mask = self.mask();
        loop {
            if let Some(item) = &self.slots[random() as usize & mask] {
                return Some(item);
            }
        }
    }

    /// Removes and returns an element chosen uniformly at random.
    pub fn pop_random(&mut self, mut random: impl FnMut() -> u64) -> Option<T> {
        if self.len == 0 {
            return None;
        }
        let mask = self.mask();
        let at = loop {
            let at = random() as usize & mask;
            if self.slots[at].is_some() {
                break at;
            }
        };
        let item = self.take_slot(at);
        self.shrink_if_sparse();
        Some(item)
    }

    /// One step of a scan, Redis's `dictScan`: calls `found` for every
    /// element of the bucket `cursor` names, and returns the cursor of the
    /// next bucket, 0 when the walk is over. The cursor counts in reverse
    /// binary (its high bits change fastest), which is what lets a walk go
    /// on correctly after the table doubled or halved.
    pub fn scan<'a>(&'a self, cursor: u64, mut found: impl FnMut(&'a T)) -> u64 {
        if self.slots.is_empty() {
            return 0;
        }
        let mask = self.mask() as u64;
        let bucket = (cursor & mask) as usize;
        let mut at = bucket;
        while let Some(item) = &self.slots[at] {
            if self.home(item.key()) == bucket {
                found(item);
            }
            at = (at + 1) & self.mask();
        }
        let mut next = cursor | !mask;
        next = next.reverse_bits().wrapping_add(1).reverse_bits();
        next
    }

    /// One step of a walk in slot order (a background save's). The walk
    /// began when the table had `start_slots` slots; since then it may have
    /// doubled, never shrunk, so each bucket of then is now the buckets
    /// `bucket + k * start_slots`, and its elements are still found by
    /// reading memory in order. Calls `found` for every element of the
    /// `count` buckets of then from `from`, and returns where the next step
    /// begins, `None` when the walk is over.
    pub fn walk_step<'a>(
        &'a self,
        start_slots: usize,
        from: usize,
        count: usize,
        mut found: impl FnMut(&'a T),
    ) -> Option<usize> {
        if from >= start_slots || self.slots.is_empty() {
            return None;
        }
        let to = (from + count).min(start_slots);
        let mask = self.mask();
        for first in (0..self.slots.len()).step_by(start_slots) {
            let (begin, end) = (first + from, first + to);
            // A bucket's elements lie from its home on, with no empty slot
            // in between: read on past `end` until an empty slot, but never
            // round the table back to `begin`.
            for at in begin..begin + self.slots.len() {
                match &self.slots[at & mask] {
                    None if at >= end => break,
                    None => {}
                    Some(item) => {
                        let home = self.home(item.key());
                        if (begin..end).contains(&home) {
                            found(item);
                        }
                    }
                }
            }
        }
        (to < start_slots).then_some(to)
    }

    /// Whether a walk begun when the table had `start_slots` slots, whose
    /// next step begins at bucket `next`, has passed `key` (see
    /// [`Table::walk_step`]).
    pub fn walked(&self, key: &[u8], start_slots: usize, next: usize) -> bool {
        start_slots > 0 && (hash(key) as usize & (start_slots - 1)) < next
    }

    /// How many slots the table has: where a walk's buckets are counted.
    pub fn slots(&self) -> usize {
        self.slots.len()
    }
}

/// Slots for `n` elements: a power of two, at most 3/4 full.
fn slots_for(n: usize) -> usize {
    (n * 4 / 3 + 1).next_power_of_two().max(MIN_SLOTS)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::{HashMap, HashSet};

    fn b(text: &str) -> Bytes {
        Bytes::copy_from(text.as_bytes())
    }

    #[test]
    fn inserts_finds_and_removes_through_growth_and_shrinking() {
        let mut table = Table::default();
        for i in 0..2000 {
            assert!(table.insert(b(&format!("m{i}"))));
            assert!(!table.insert(b(&format!("m{i}"))));
        }
        assert_eq!(table.len(), 2000);
        for i in (0..2000).step_by(2) {
            assert!(table.remove(format!("m{i}").as_bytes()).is_some());
            assert!(table.remove(format!("m{i}").as_bytes()).is_none());
        }
        for i in 0..2000 {
            assert_eq!(
                table.contains(format!("m{i}").as_bytes()),
                i % 2 == 1,
                "{i}"
            );
        }
        for i in (1..2000).step_by(2) {
            table.remove(format!("m{i}").as_bytes());
        }
        assert!(table.is_empty());
        assert!(table.slots.len() <= 8, "it shrank: {}", table.slots.len());
    }

    #[test]
    fn a_scan_returns_every_element_that_stays_even_as_the_table_resizes() {
        let mut table = Table::default();
        for i in 0..500 {
            table.insert(b(&format!("keep{i}")));
        }
        let mut seen = HashSet::new();
        let mut cursor = 0;
        let mut step = 0;
        loop {
            cursor = table.scan(cursor, |item| {
                seen.insert(item.clone());
            });
            step += 1;
            // Grow, then shrink, the table under the walk.
            if step == 20 {
                for i in 0..3000 {
                    table.insert(b(&format!("tmp{i}")));
                }
            }
            if step == 200 {
                for i in 0..3000 {
                    table.remove(format!("tmp{i}").as_bytes());
                }
            }
            if cursor == 0 {
                break;
            }
        }
        for i in 0..500 {
            assert!(seen.contains(&b(&format!("keep{i}"))[..]), "keep{i}");
        }
    }

    /// Every element there when the walk began is found exactly once, and
    /// `walked` agrees with the steps, however full the table and however
    /// often it doubles under the walk.
    #[test]
    fn a_walk_in_slot_order_finds_each_element_once_as_the_table_doubles() {
        let shapes = [1, 2, 3, 5, 12, 100, 700].into_iter().flat_map(|size| {
            let steps = [1, 2, 64]
                .into_iter()
                .flat_map(move |n| [(n, 0), (n, 1), (n, 3)]);
            steps.map(move |(buckets, grow_at)| (size, buckets, grow_at))
        });
        for (size, buckets, grow_at) in shapes {
            let mut table = Table::default();
            for i in 0..size {
                table.insert(b(&format!("old{i}")));
            }
            let start_slots = table.slots();
            let mut counts: HashMap<Vec<u8>, usize> = HashMap::new();
            let (mut next, mut step) = (Some(0), 0);
            while let Some(from) = next {
                if step == grow_at {
                    for i in 0..size * 5 {
                        table.insert(b(&format!("new{i}")));
                    }
                }
                next = table.walk_step(start_slots, from, buckets, |item| {
                    *counts.entry(item.to_vec()).or_default() += 1;
                });
                for i in 0..size {
                    let name = format!("old{i}");
                    let found = counts.contains_key(name.as_bytes());
                    let passed = next.unwrap_or(start_slots);
                    assert_eq!(table.walked(name.as_bytes(), start_slots, passed), found);
                }
                step += 1;
            }
            for i in 0..size {
                let name = format!("old{i}");
                assert_eq!(counts.remove(name.as_bytes()), Some(1), "{name}");
            }
            assert!(counts.keys().all(|key| key.starts_with(b"new")));
        }
    }

    #[test]
    fn random_picks_reach_every_element() {
        let mut table = Table::default();
        for i in 0..10 {
            table.insert(b(&i.to_string()));
        }
        let mut state = 88172645463325252u64;
        let mut next = || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        let mut seen = HashSet::new();
        for _ in 0..1000 {
            seen.insert(table.random(&mut next).unwrap().clone());
        }
        assert_eq!(seen.len(), 10);
        let mut popped = HashSet::new();
        while let Some(item) = table.pop_random(&mut next) {
            popped.insert(item);
        }
        assert_eq!(popped.len(), 10);
    }
}
