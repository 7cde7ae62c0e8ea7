//! A walk: the keyspace as it was at one instant, copied a few buckets at a
//! time while clients go on changing it. A background save writes one.
//!
//! Redis's BGSAVE forks, and the kernel keeps the child's view frozen by
//! copying a memory page just before the parent changes it. A walk does the
//! same per key, in the store: before a writer changes a key the walk has
//! not reached yet, the store *keeps* the key's state from before (its value
//! and expiry time, or that it was absent) for the walk. When the walk then
//! reaches a key it kept, it skips it; at its end it hands over what it
//! kept. The keys it copied and the keys kept for it make the keyspace as
//! it was when the walk began, and no step holds the lock for long.
//!
//! "Has the walk reached this key?" must be answerable from the key alone.
//! The walk goes through the buckets the table had when it began, in slot
//! order ([`Table::walk_step`]), so the answer is whether the key's bucket
//! *of then* comes before the walk's next one ([`Table::walked`]). A bucket
//! of then stays one set of buckets when the table doubles, so that stays
//! right; halving would not keep it, and the store does not shrink the
//! table while a walk is under way. A FLUSHALL hands the whole old keyspace
//! to the walks, which go on over it.
//!
//! [`Table::walk_step`]: crate::table::Table::walk_step
//! [`Table::walked`]: crate::table::Table::walked

use std::collections::HashMap;
use std::sync::{Arc, MutexGuard, PoisonError};

use super::{Keys, Store};
use crate::bytes::Bytes;
use crate::value::Value;

/// A key as a walk hands it over: its name, value and expiry time.
pub type Record = (Bytes, Value, Option<u64>);

/// Names one walk: a BGSAVE and a rewrite may walk at the same time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WalkId(u64);

/// Every walk under way.
#[derive(Debug, Default)]
pub(super) struct Walks {
    next_id: u64,
    list: Vec<Walk>,
}

impl Walks {
    fn position(&self, id: WalkId) -> Option<usize> {
        self.list.iter().position(|walk| walk.id == id.0)
    }
}

#[derive(Debug)]
struct Walk {
    id: u64,
    /// How many slots the table had when the walk began: its buckets are
    /// the ones walked.
    start_slots: usize,
    /// The bucket the next step begins at.
    next: usize,
    /// The keyspace a FLUSHALL took away before the walk was over: the walk
    /// goes on over it, and writers no longer have anything to keep for it.
    flushed: Option<Arc<Keys>>,
    /// Keys changed before the walk reached them, each with its state when
    /// the walk began: value and expiry time, or `None` if it was absent.
    kept: HashMap<Bytes, Option<(Value, Option<u64>)>>,
}

/// What one step of a walk leaves.
#[derive(Debug)]
pub enum Step {
    /// There is more to copy.
    More,
    /// The walk is over, or was ended. Drop this only after letting go of
    /// the lock: it may hold a whole flushed keyspace.
    Over(Ended),
}

/// A finished walk's leftovers, freed when dropped.
#[derive(Debug)]
pub struct Ended {
    _flushed: Option<Arc<Keys>>,
}

impl Store {
    /// Begins a walk of the keyspace as it is now. Returns its id, and how
    /// many keys, and keys with a TTL, the keyspace holds now (what a dump's
    /// header announces). The caller holds the read guard, at least: no
    /// write may come between "now" and the walk's beginning.
    pub fn begin_walk(&self) -> (WalkId, (usize, usize)) {
        let mut walks = self.lock_walks();
        let id = walks.next_id;
        walks.next_id += 1;
        walks.list.push(Walk {
            id,
            start_slots: self.keys.entries.slots(),
            next: 0,
            flushed: None,
            kept: HashMap::new(),
        });
        (WalkId(id), (self.len(), self.volatile_len()))
    }

    /// One step of walk `id`, under the read guard: copies into `into` the
    /// keys of `buckets` more buckets, except those kept for it. At
    /// the walk's end the kept keys that existed go into `into` too, and the
    /// walk is forgotten.
    pub fn walk_step(&self, id: WalkId, buckets: usize, into: &mut Vec<Record>) -> Step {
        let mut walks = self.lock_walks();
        let Some(at) = walks.position(id) else {
            return Step::Over(Ended { _flushed: None });
        };
        let walk = &mut walks.list[at];
        let keys = walk.flushed.as_deref().unwrap_or(&self.keys);
        let kept = &walk.kept;
        let next = keys
            .entries
            .walk_step(walk.start_slots, walk.next, buckets, |entry| {
                if kept.is_empty() || !kept.contains_key(entry.key.as_slice()) {
                    let at = keys.expires_at(&entry.key);
                    into.push((entry.key.clone(), entry.value.clone(), at));
                }
            });
        if let Some(next) = next {
            walk.next = next;
            return Step::More;
        }
        let walk = walks.list.swap_remove(at);
        let kept = walk.kept.into_iter();
        into.extend(kept.filter_map(|(key, then)| then.map(|(value, at)| (key, value, at))));
        Step::Over(Ended {
            _flushed: walk.flushed,
        })
    }

    /// Forgets walk `id` if it is still under way: its thread stopped
    /// before the end (a save given up, an error). An ended walk is gone.
    pub fn end_walk(&self, id: WalkId) -> Ended {
        let mut walks = self.lock_walks();
        let at = walks.position(id);
        let flushed = at.and_then(|at| walks.list.swap_remove(at).flushed);
        Ended { _flushed: flushed }
    }

    /// Whether any walk is under way: then the table must not shrink.
    pub(super) fn walking(&mut self) -> bool {
        let walks = self.walks.get_mut().unwrap_or_else(PoisonError::into_inner);
        !walks.list.is_empty()
    }

    /// Keeps the state of `key` for every walk that has not reached it yet
    /// and has not kept it already: called before any change to the key.
    pub(super) fn keep_for_walks(&mut self, key: &[u8]) {
        let walks = self.walks.get_mut().unwrap_or_else(PoisonError::into_inner);
        for walk in &mut walks.list {
            if walk.flushed.is_some()
                || self.keys.entries.walked(key, walk.start_slots, walk.next)
                || walk.kept.contains_key(key)
            {
                continue;
            }
            let keys = &self.keys;
            let then = keys
                .entries
                .get(key)
                .map(|entry| (entry.value.clone(), keys.expires_at(key)));
            walk.kept.insert(Bytes::copy_from(key), then);
        }
    }

    /// Hands the keyspace a FLUSHALL took away to the walks that still need
    /// it; gives it back if none does.
    pub(super) fn hand_flushed_to_walks(&mut self, old: Keys) -> Option<Keys> {
        let walks = self.walks.get_mut().unwrap_or_else(PoisonError::into_inner);
        if walks.list.iter().all(|walk| walk.flushed.is_some()) {
            return Some(old);
        }
        let old = Arc::new(old);
        for walk in &mut walks.list {
            walk.flushed.get_or_insert_with(|| Arc::clone(&old));
        }
        None
    }

    fn lock_walks(&self) -> MutexGuard<'_, Walks> {
        self.walks.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

//@ passes from step 4
#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::*;
    use crate::value::Kind;

    type Keyspace = BTreeMap<Vec<u8>, (Value, Option<u64>)>;

    fn string(text: &str) -> Value {
        Value::String(Bytes::copy_from(text.as_bytes()))
    }

    fn now(store: &Store) -> Keyspace {
        let entries = store.entries();
        entries
            .map(|(key, value, at)| (key.to_vec(), (value.clone(), at)))
            .collect()
    }

    /// Steps `walk` `buckets` at a time into `found`, saying whether it is over.
    fn step(store: &Store, walk: WalkId, buckets: usize, found: &mut Keyspace) -> bool {
        let mut copied = Vec::new();
        let over = matches!(store.walk_step(walk, buckets, &mut copied), Step::Over(_));
        for (key, value, at) in copied {
            let twice = found.insert(key.to_vec(), (value, at));
            assert!(twice.is_none(), "{key:?} handed over twice");
        }
        over
    }

    /// A seeded stream of changes of every kind (each way the store changes
    /// a key, keys expiring as the clock moves, FLUSHALL) between small
    /// steps of two walks begun at different times: each walk ends with the
    /// keyspace as it was when it began, each key once, however the table
    /// grew.
    #[test]
    fn a_walk_sees_the_keyspace_of_its_beginning_whatever_writers_do() {
        let mut seed = 0x9e37_79b9_7f4a_7c15_u64;
        let mut random = move |n: u64| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed % n
        };
        let mut checked = 0;
        for round in 0..60 {
            let mut store = Store::new();
            for i in 0..random(300) {
                let ttl = (i % 3 == 0).then_some(1_000_000 + i);
                store.set(
                    Bytes::copy_from(format!("k{i}").as_bytes()),
                    string("v0"),
                    ttl,
                    0,
                );
            }
            let mut walks = Vec::new();
            let mut done = Vec::new();
            for change in 0..3_000u64 {
                if walks.len() < 2 && random(400) == 0 {
                    walks.push((store.begin_walk().0, now(&store), Keyspace::new()));
                }
                // The clock moves: keys given a TTL expire during the walks.
                let clock = 1_000_000 + change;
                let key = format!("k{}", random(600));
                let key = key.as_bytes();
                match random(13) {
                    0 | 1 => {
                        let value = string(&format!("s{change}"));
                        store.set(Bytes::copy_from(key), value, None, clock);
                    }
                    2 => {
                        if let Some(value) = store.get_mut(key, clock) {
                            *value = string(&format!("m{change}"));
                        }
                    }
                    3 | 4 => {
                        store.delete(key, clock);
                    }
                    5 if store.contains(key, clock) => {
                        store.set_expiry(key, Some(clock + random(50)));
                    }
                    6 if store.contains(key, clock) => store.set_expiry(key, None),
                    7 => {
                        let to = Bytes::copy_from(format!("k{}", random(600)).as_bytes());
                        store.rename(key, to, clock);
                    }
                    8 if random(300) == 0 => store.clear(),
                    // LPUSH and LPOP: a list made, grown in place, emptied.
                    9 => {
                        let value = store.get_or_create(key, Kind::List, clock);
                        if let Ok(list) = value.as_list_mut() {
                            list.push_front(format!("e{change}").as_bytes());
                        }
                        store.remove_if_empty(key);
                    }
                    10 => {
                        let value = store.get_mut(key, clock);
                        if let Some(Ok(list)) = value.map(Value::as_list_mut) {
                            list.pop_front();
                        }
                        store.remove_if_empty(key);
                    }
                    11 if !store.contains(key, clock) => {
                        store.remove_if_expired(key, clock);
                        store.add_new(Bytes::copy_from(key), string("new"), None);
                    }
                    // The reaper's step, and lazy expiry.
                    12 => {
                        let volatile = store.volatile_len() as u64;
                        if volatile > 0 {
                            store.expire_slot(random(volatile) as usize, clock);
                        }
                        store.remove_if_expired(key, clock);
                    }
                    _ => {}
                }
                settle(&mut store);
                let mut left = Vec::new();
                for (walk, then, mut found) in walks.drain(..) {
                    if step(&store, walk, 1 + random(8) as usize, &mut found) {
                        done.push((then, found));
                    } else {
                        left.push((walk, then, found));
                    }
                }
                walks = left;
            }
            for (walk, then, mut found) in walks {
                while !step(&store, walk, 64, &mut found) {}
                done.push((then, found));
            }
            checked += done.len();
            for (then, found) in done {
                assert_eq!(found, then, "round {round}");
            }
            assert!(!store.walking(), "every walk is forgotten at its end");
        }
        assert!(checked >= 60, "only {checked} walks were checked");
    }

    /// Ends the running write, as the executor does, and empties the trash.
    fn settle(store: &mut Store) {
        store.settle_changes(true);
        let mut trash = Default::default();
        store.take_trash(&mut trash);
    }

    //@ passes from step 3
    /// Deleting nearly every key under a walk would halve the table again
    /// and again, merging buckets the walk has passed with ones it has not.
    #[test]
    fn a_walk_survives_nearly_every_key_being_deleted() {
        let mut store = Store::new();
        for i in 0..4_000 {
            store.set(
                Bytes::copy_from(format!("k{i}").as_bytes()),
                string("v"),
                None,
                0,
            );
        }
        let (walk, _) = store.begin_walk();
        let then = now(&store);
        let mut found = Keyspace::new();
        for i in 0..3_990 {
            store.delete(format!("k{i}").as_bytes(), 0);
            settle(&mut store);
            if i % 4 == 0 {
                assert!(!step(&store, walk, 1, &mut found));
            }
        }
        while !step(&store, walk, 64, &mut found) {}
        assert_eq!(found, then);
    }

    //@ passes from step 3
    #[test]
    fn an_ended_walk_keeps_nothing_more() {
        let mut store = Store::new();
        store.set(Bytes::copy_from(b"a"), string("1"), None, 0);
        let (walk, sizes) = store.begin_walk();
        assert_eq!(sizes, (1, 0));
        drop(store.end_walk(walk));
        store.set(Bytes::copy_from(b"a"), string("2"), None, 0);
        assert!(!store.walking());
        let mut copied = Vec::new();
        assert!(matches!(
            store.walk_step(walk, 1, &mut copied),
            Step::Over(_)
        ));
        assert!(copied.is_empty());
    }
}
