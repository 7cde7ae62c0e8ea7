//! A hash value (HSET and friends): fields and their values, kept the way
//! Redis keeps them, because the way shows in replies.
//!
//! Redis stores a small hash as a *listpack*, a flat array of field, value,
//! field, value..., searched from the start. HGETALL, HKEYS, HVALS and HSCAN
//! of such a hash list the fields in the order they were first set: an
//! overwritten field keeps its place, a deleted one closes its gap. A hash
//! stays small while it has at most [`MAX_LISTPACK_ENTRIES`] fields, none of
//! its fields and values longer than [`MAX_LISTPACK_VALUE`] bytes (Redis's
//! `hash-max-listpack-entries` and `hash-max-listpack-value`). Past either
//! limit Redis converts it, for good, to a hash table, whose order is
//! pseudo-random.
//!
//! [`Hash`](struct@Hash) does the same: one vector of entries in insertion order, and,
//! once the hash is big, an index of that vector (an open-addressing table
//! of entry numbers), so a lookup is O(1). Small, a lookup scans the at most
//! 512 entries as Redis scans its listpack, and deletion shifts the rest
//! down, keeping the order. Big, deletion moves the last entry into the
//! hole, so the order is no longer insertion order: a big hash's order is
//! ours, as a hash table's is Redis's, and the two differ.
//!
//! The index costs 4 bytes per slot at most 3/4 full; with the 48 bytes of
//! an entry (two [`Bytes`]), a big hash of short fields costs about 60 bytes
//! a field, under Redis's dictEntry plus two sds strings plus its bucket.

use std::collections::hash_map::RandomState;
use std::hash::BuildHasher;

use crate::bytes::Bytes;

/// Most fields a hash may have and still be kept small
/// (`hash-max-listpack-entries`: 512 in Redis 7.0's `config.c`).
pub const MAX_LISTPACK_ENTRIES: usize = 512;
/// Longest field or value a small hash may hold (`hash-max-listpack-value`).
pub const MAX_LISTPACK_VALUE: usize = 64;

/// A hash's fields and values.
#[derive(Debug, Clone, Default)]
pub struct Hash {
    /// Every field and its value; in insertion order while the hash is small.
    entries: Vec<(Bytes, Bytes)>,
    /// Where each field is in `entries`, once the hash is big; `None` while
    /// it is small (a listpack, for Redis).
    index: Option<Box<Index>>,
}

impl PartialEq for Hash {
    /// The same fields with the same values, in any order.
    fn eq(&self, other: &Hash) -> bool {
        self.len() == other.len()
            && self
                .iter()
                .all(|(field, value)| other.get(field) == Some(value))
    }
}

impl Hash {
    pub fn new() -> Hash {
        Hash::default()
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Whether the hash is small, a listpack for Redis: then its order is
    /// insertion order, and HSCAN returns it whole.
    pub fn is_small(&self) -> bool {
        self.index.is_none()
    }

    /// The fields and values, in the hash's order.
    pub fn iter(&self) -> impl ExactSizeIterator<Item = (&Bytes, &Bytes)> {
        self.entries.iter().map(|(field, value)| (field, value))
    }

    /// Entry number `n` in the hash's order (HRANDFIELD's pick).
    pub fn entry(&self, n: usize) -> Option<(&Bytes, &Bytes)> {
        self.entries.get(n).map(|(field, value)| (field, value))
    }

    pub fn get(&self, field: &[u8]) -> Option<&Bytes> {
        self.position(field).map(|at| &self.entries[at].1)
    }

    pub fn contains(&self, field: &[u8]) -> bool {
        self.position(field).is_some()
    }

    /// Converts a small hash to a big one if any of `args` is too long for
    /// a listpack, as Redis checks every field and value of an HSET before
    /// it sets any (`hashTypeTryConversion`), even one that is then not set
    /// (HSETNX of an existing field).
    pub fn prepare_for<'a>(&mut self, mut args: impl Iterator<Item = &'a [u8]>) {
        if self.is_small() && args.any(|arg| arg.len() > MAX_LISTPACK_VALUE) {
            self.make_big();
        }
    }

    /// Sets `field` to `value`; true if the field is new. A field that was
    /// there keeps its place. The hash becomes big if it outgrows a listpack.
    pub fn insert(&mut self, field: Bytes, value: Bytes) -> bool {
        if self.is_small() && (field.len() > MAX_LISTPACK_VALUE || value.len() > MAX_LISTPACK_VALUE)
        {
            self.make_big();
        }
        if let Some(at) = self.position(&field) {
            self.entries[at].1 = value;
            return false;
        }
        match &mut self.index {
            Some(index) => {
                index.reserve_one(&self.entries);
                index.add(&field, self.entries.len());
                self.entries.push((field, value));
            }
            None => {
                self.entries.push((field, value));
                if self.entries.len() > MAX_LISTPACK_ENTRIES {
                    self.make_big();
                }
            }
        }
        true
    }

    /// Deletes `field`; returns its value if it was there.
    pub fn remove(&mut self, field: &[u8]) -> Option<Bytes> {
        let at = self.position(field)?;
        let Some(index) = &mut self.index else {
            // Small: close the gap, keeping the order.
            return Some(self.entries.remove(at).1);
        };
        index.remove(&self.entries, at);
        let last = self.entries.len() - 1;
        if at != last {
            index.renumber(&self.entries[last].0, last, at);
        }
        Some(self.entries.swap_remove(at).1)
    }

    /// One step of HSCAN over a big hash: up to `count` entries from
    /// `cursor` on, and the cursor to continue from (0 when done).
    ///
    /// The cursor counts entries from the *end* of the vector: a scan
    /// visits the entries from the last to the first, and the cursor is how
    /// many are left to visit. That keeps SCAN's guarantee (an entry there
    /// for the whole scan is returned at least once) under our deletions:
    /// a new entry is pushed at the end, among those already visited, and a
    /// deletion moves the last entry (visited, or the very next one) into
    /// the hole, never an unvisited entry past the cursor. An entry may so
    /// be returned twice, which SCAN allows. Cursor 0 starts a scan; one
    /// past the end (the hash shrank) continues from the end.
    pub fn scan(&self, cursor: u64, count: usize) -> (u64, &[(Bytes, Bytes)]) {
        let len = self.entries.len();
        let left = if cursor == 0 {
            len
        } else {
            usize::try_from(cursor).map_or(len, |c| c.min(len))
        };
        let start = left.saturating_sub(count.max(1));
        (start as u64, &self.entries[start..left])
    }

    /// Where `field` is in `entries`.
    fn position(&self, field: &[u8]) -> Option<usize> {
        match &self.index {
            Some(index) => index.find(&self.entries, field).map(|(_, at)| at),
            None => self.entries.iter().position(|(f, _)| f.as_slice() == field),
        }
    }

    /// From listpack to hash table, as Redis's `hashTypeConvert`; never back.
    fn make_big(&mut self) {
        if self.index.is_none() {
            self.index = Some(Box::new(Index::build(&self.entries)));
        }
    }
}

/// Marks a free slot.
const EMPTY: u32 = u32::MAX;

/// An open-addressing table (linear probing) of entry numbers, looked up
/// by the field they hold.
#[derive(Debug, Clone)]
struct Index {
    /// A power of two of slots, each an entry number or [`EMPTY`].
    slots: Vec<u32>,
    /// Seeded at random per hash, so fields cannot be chosen to collide.
    hasher: RandomState,
}

impl Index {
    fn build(entries: &[(Bytes, Bytes)]) -> Index {
        let mut index = Index {
            slots: Vec::new(),
            hasher: RandomState::new(),
        };
        index.rebuild(entries, Self::capacity_for(entries.len()));
        index
    }

    /// Slots enough for `len` entries at most 3/4 full.
    fn capacity_for(len: usize) -> usize {
        (len + len / 3 + 1).next_power_of_two().max(16)
    }

    fn rebuild(&mut self, entries: &[(Bytes, Bytes)], capacity: usize) {
        self.slots = vec![EMPTY; capacity];
        for (at, (field, _)) in entries.iter().enumerate() {
            self.add(field, at);
        }
    }

    fn home(&self, field: &[u8]) -> usize {
        self.hasher.hash_one(field) as usize & (self.slots.len() - 1)
    }

    /// Makes room for one more entry, growing (and rehashing) if needed.
    fn reserve_one(&mut self, entries: &[(Bytes, Bytes)]) {
        if (entries.len() + 1) * 4 > self.slots.len() * 3 {
            self.rebuild(entries, self.slots.len() * 2);
        }
    }

    /// The slot and entry number of `field`.
    fn find(&self, entries: &[(Bytes, Bytes)], field: &[u8]) -> Option<(usize, usize)> {
        let mask = self.slots.len() - 1;
        let mut slot = self.home(field);
        loop {
            let at = self.slots[slot];
            if at == EMPTY {
                return None;
            }
            if entries[at as usize].0.as_slice() == field {
                return Some((slot, at as usize));
            }
            slot = (slot + 1) & mask;
        }
    }

    /// Records that entry `at` holds `field` (not there yet).
    fn add(&mut self, field: &[u8], at: usize) {
        let mask = self.slots.len() - 1;
        let mut slot = self.home(field);
        while self.slots[slot] != EMPTY {
            slot = (slot + 1) & mask;
        }
        self.slots[slot] = u32::try_from(at).expect("under 4 billion fields");
    }

    /// The slot that holds entry `at`, whose field is `field`.
    fn slot_of(&self, field: &[u8], at: usize) -> usize {
        let mask = self.slots.len() - 1;
        let mut slot = self.home(field);
        while self.slots[slot] as usize != at {
            debug_assert_ne!(self.slots[slot], EMPTY, "the entry is indexed");
            slot = (slot + 1) & mask;
        }
        slot
    }

    /// Entry `from` (holding `field`) is moving to number `to`.
    fn renumber(&mut self, field: &[u8], from: usize, to: usize) {
        let slot = self.slot_of(field, from);
        self.slots[slot] = to as u32;
    }

    /// Forgets entry `at`. The entries after it in its run of full slots
    /// move back to close the gap (backward-shift deletion), so a lookup
    /// can stop at the first free slot.
    fn remove(&mut self, entries: &[(Bytes, Bytes)], at: usize) {
        let mask = self.slots.len() - 1;
        let mut hole = self.slot_of(&entries[at].0, at);
        let mut next = hole;
        loop {
            next = (next + 1) & mask;
            let moving = self.slots[next];
            if moving == EMPTY {
                break;
            }
            // An entry may fill the hole unless its home lies after the
            // hole, up to where it sits (cyclically).
            let home = self.home(&entries[moving as usize].0);
            let stays = if hole <= next {
                hole < home && home <= next
            } else {
                hole < home || home <= next
            };
            if !stays {
                self.slots[hole] = moving;
                hole = next;
            }
        }
        self.slots[hole] = EMPTY;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn b(text: &str) -> Bytes {
        Bytes::copy_from(text.as_bytes())
    }

    fn fields(hash: &Hash) -> Vec<String> {
        hash.iter()
            .map(|(f, _)| String::from_utf8_lossy(f).into_owned())
            .collect()
    }

    #[test]
    fn a_small_hash_keeps_insertion_order() {
        let mut hash = Hash::new();
        for f in ["a", "b", "c", "d"] {
            assert!(hash.insert(b(f), b("1")));
        }
        assert!(!hash.insert(b("b"), b("2")), "an overwrite");
        assert_eq!(hash.remove(b"a"), Some(b("1")));
        assert!(hash.insert(b("a"), b("3")));
        assert_eq!(fields(&hash), ["b", "c", "d", "a"]);
        assert_eq!(hash.get(b"b"), Some(&b("2")));
        assert!(hash.is_small());
    }

    #[test]
    fn a_hash_grows_big_past_either_limit_and_stays_big() {
        let mut hash = Hash::new();
        for i in 0..MAX_LISTPACK_ENTRIES {
            hash.insert(b(&format!("f{i}")), b("v"));
        }
        assert!(hash.is_small());
        hash.insert(b("one more"), b("v"));
        assert!(!hash.is_small());
        for i in 0..MAX_LISTPACK_ENTRIES {
            hash.remove(format!("f{i}").as_bytes());
        }
        assert!(!hash.is_small(), "Redis never converts back");
        let mut long = Hash::new();
        long.insert(b("f"), Bytes::from(vec![b'x'; MAX_LISTPACK_VALUE]));
        assert!(long.is_small(), "64 bytes still fit");
        long.insert(b("g"), Bytes::from(vec![b'x'; MAX_LISTPACK_VALUE + 1]));
        assert!(!long.is_small());
        assert_eq!(fields(&long), ["f", "g"]);
    }

    /// Random inserts and deletes against a std map: the index never loses
    /// or invents a field, whatever the collisions and the growth.
    #[test]
    fn the_index_agrees_with_a_map() {
        let mut hash = Hash::new();
        let mut model = std::collections::HashMap::new();
        let mut seed = 0x2545_f491_4f6c_dd1d_u64;
        for step in 0..50_000 {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            let field = format!("f{}", seed % 3000);
            if seed % 5 < 3 {
                let value = format!("v{step}");
                let new = hash.insert(b(&field), b(&value));
                assert_eq!(new, model.insert(field, value).is_none());
            } else {
                let got = hash.remove(field.as_bytes());
                assert_eq!(
                    got.map(|v| v.to_vec()),
                    model.remove(&field).map(String::into_bytes)
                );
            }
            assert_eq!(hash.len(), model.len());
        }
        for (field, value) in &model {
            assert_eq!(
                hash.get(field.as_bytes()).map(|v| v.to_vec()),
                Some(value.clone().into_bytes())
            );
        }
        assert!(!hash.contains(b"nope"));
    }

    /// A full scan returns every field that was there all along, however
    /// the hash changes between steps.
    #[test]
    fn a_scan_sees_every_field_that_stays() {
        let mut hash = Hash::new();
        for i in 0..1000 {
            hash.insert(b(&format!("keep{i}")), b("v"));
            hash.insert(b(&format!("drop{i}")), b("v"));
        }
        let mut seen = std::collections::HashSet::new();
        let mut cursor = 0;
        let mut round = 0;
        loop {
            let (next, entries) = hash.scan(cursor, 7);
            seen.extend(entries.iter().map(|(f, _)| f.to_vec()));
            for _ in 0..5 {
                round += 1;
                hash.remove(format!("drop{}", round % 1000).as_bytes());
                hash.insert(b(&format!("new{round}")), b("v"));
            }
            if next == 0 {
                break;
            }
            cursor = next;
        }
        for i in 0..1000 {
            assert!(
                seen.contains(format!("keep{i}").as_bytes()),
                "keep{i} missed"
            );
        }
    }
}
