//! The keyspace: a map from keys to values, plus what expiry needs.
//!
//! The [`Store`] itself knows nothing about threads or locks: the executor
//! holds it behind a lock and lends it to one command at a time, as `&Store`
//! to a command that reads, as `&mut Store` to one that writes.
//!
//! Like Redis (`db->dict` and `db->expires`), the store keeps two maps: every
//! key and its value, and, for the keys that have a TTL only, when they
//! expire. A key without a TTL costs nothing in the second map. The first is
//! our own [`Table`], as Redis's is its own `dict`: SCAN walks its buckets
//! with a cursor that survives the table growing, and RANDOMKEY draws from
//! it in O(1), which std's `HashMap` can do neither of.
//!
//! Times are absolute Unix milliseconds, as in Redis, and every method that
//! cares is *given* the current time. That keeps the store easy to test and
//! makes one command see one consistent "now".
//!
//! Nothing is freed here: a value that is deleted or overwritten goes into
//! the store's [`Trash`], which the executor empties after it has released
//! the lock, so a client deleting a large value never makes others wait for
//! the memory to be given back.

mod walk;

use std::collections::HashMap;
use std::mem;
use std::sync::Mutex;

use crate::bytes::Bytes;
use crate::table::{Keyed, Table};
use crate::value::{Kind, Value};

pub use walk::{Ended, Record, Step, WalkId};

/// How many expired keys in a row RANDOMKEY draws before it walks the
/// table instead (Redis's `dbRandomKey` gives up after 100 on a replica).
pub const RANDOM_KEY_TRIES: usize = 100;

/// What [`Store::random_key`] finds: a live key, if any, and the expired
/// keys it met on the way.
pub type RandomKey<'a> = (Option<&'a [u8]>, Vec<&'a [u8]>);

/// All keys of the one database.
#[derive(Debug, Default)]
pub struct Store {
    keys: Keys,
    /// Keys deleted because they expired, by either kind of expiry (INFO).
    expired_keys: u64,
    /// What was removed under the lock, waiting to be freed outside it.
    trash: Trash,
    /// The keys some client WATCHes, each with a version every change bumps.
    watched: HashMap<Bytes, Watched>,
    /// The watched keys the running write command changed: their versions
    /// move only if it succeeds, as Redis signals only real changes.
    touched: Vec<Bytes>,
    /// How many blocked clients (BLPOP) wait on each key.
    waited: HashMap<Bytes, usize>,
    /// Keys with waiting clients that a write has changed: the executor
    /// tries to serve those clients before it lets go of the lock.
    ready: Vec<Bytes>,
    /// Changes made since start-up, counted as Redis's `server.dirty` (one
    /// per key a write changes, one per key FLUSHALL removes, one per new
    /// member of SADD): the save policy and INFO's
    /// `rdb_changes_since_last_save` are differences of it. A write that
    /// moved it changed something, and is worth logging (AOF).
    dirty: u64,
    /// The running write's changes, added to `dirty` if it succeeds.
    pending_dirty: u64,
    /// While an append-only file is kept: the writes done under the guard,
    /// each as the words of a command, in the order they were applied, for
    /// the executor to log before it lets go of the lock. `None`: no log.
    propagated: Option<Vec<Vec<Vec<u8>>>>,
    /// The walks under way (background saves). Behind a mutex so that a
    /// walk can step under the *read* guard; a writer, holding the store
    /// alone, reaches them without locking (`Mutex::get_mut`).
    walks: Mutex<walk::Walks>,
}

/// A watched key: how many clients watch it, and its version.
#[derive(Debug, Default)]
struct Watched {
    watchers: usize,
    version: Version,
}

/// Where a watched key stands. Its expiries are counted apart, because
/// Redis 7.0 does not count the deletion of a key that had already expired
/// when it was watched as a change.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Version {
    /// Real changes: writes that succeeded, deletions, FLUSHALL.
    pub changes: u64,
    /// Deletions because the key had expired.
    pub expirations: u64,
}

/// The maps themselves; FLUSHALL replaces them whole.
#[derive(Debug, Default)]
struct Keys {
    entries: Table<Entry>,
    /// For each key with a TTL, its slot in `volatile`.
    expires: HashMap<Bytes, usize>,
    /// Every key that has a TTL, with its expiry time, in no order. A vector
    /// lets the reaper walk the keys with a TTL without a map's help, and
    /// lets a key leave it in O(1): its slot is taken by the last one.
    volatile: Vec<Volatile>,
}

impl Keys {
    fn expires_at(&self, key: &[u8]) -> Option<u64> {
        let slot = *self.expires.get(key)?;
        Some(self.volatile[slot].at_ms)
    }
}

/// A key and its value, as the keyspace's table holds them: 48 bytes, of
/// which a short key and a short string need no more.
#[derive(Debug, Clone)]
struct Entry {
    key: Bytes,
    value: Value,
}

impl Keyed for Entry {
    fn key(&self) -> &[u8] {
        &self.key
    }
}

/// A key with a TTL, and the Unix time in milliseconds when it expires.
#[derive(Debug, Clone)]
struct Volatile {
    key: Bytes,
    at_ms: u64,
}

/// Values and whole keyspaces removed under the lock. Dropping a `Trash`
/// frees them; the executor does that once the lock is released.
#[derive(Debug, Default)]
pub struct Trash {
    values: Vec<Value>,
    keys: Vec<Bytes>,
    keyspaces: Vec<Keys>,
}

impl Trash {
    /// Frees everything, keeping the room for the next command's trash.
    pub fn empty(&mut self) {
        self.values.clear();
        self.keys.clear();
        self.keyspaces.clear();
    }

    pub fn is_empty(&self) -> bool {
        self.values.is_empty() && self.keys.is_empty() && self.keyspaces.is_empty()
    }

    fn throw(&mut self, value: Value) {
        // A short string owns no heap memory: dropping it costs nothing.
        if value.owns_heap() {
            self.values.push(value);
        }
    }

    fn throw_key(&mut self, key: Bytes) {
        if key.owns_heap() {
            self.keys.push(key);
        }
    }
}

impl Store {
    pub fn new() -> Store {
        Store::default()
    }

    /// The live value of `key`, or `None` if there is none or it has expired.
    /// Takes `&self`, so readers never delete: an expired key is simply
    /// invisible, and the executor deletes it afterwards (lazy expiry).
    pub fn get(&self, key: &[u8], now_ms: u64) -> Option<&Value> {
        //@ step 3: Look `key` up in `entries`; a key that `is_expired` counts as absent.
        if self.is_expired(key, now_ms) {
            return None;
        }
        self.keys.entries.get(key).map(|entry| &entry.value)
        //@ end step 3
    }

    /// The value of `key`, even if its time has passed (MEMORY USAGE, which
    /// Redis answers from its dict without an expiry check).
    pub fn get_expired_or_not(&self, key: &[u8]) -> Option<&Value> {
        self.keys.entries.get(key).map(|entry| &entry.value)
    }

    /// The live value of `key`, to change in place (APPEND, INCR); its TTL
    /// stays. An expired key found here is deleted first.
    pub fn get_mut(&mut self, key: &[u8], now_ms: u64) -> Option<&mut Value> {
        self.remove_if_expired(key, now_ms);
        if self.keys.entries.contains(key) {
            self.keep_for_walks(key);
            self.touch(key);
        }
        self.keys.entries.get_mut(key).map(|entry| &mut entry.value)
    }

    /// The live value of `key`, for a writer that only looks (SET NX, EXPIRE
    /// XX): an expired key is deleted first, as by [`Store::get_mut`], but
    /// the key does not count as changed.
    pub fn peek(&mut self, key: &[u8], now_ms: u64) -> Option<&Value> {
        self.remove_if_expired(key, now_ms);
        self.keys.entries.get(key).map(|entry| &entry.value)
    }

    /// The live value of `key`, created empty as a `kind` if there is none
    /// (LPUSH on a new key). The caller checks its type (WRONGTYPE) and,
    /// once done, calls [`Store::remove_if_empty`].
    pub fn get_or_create(&mut self, key: &[u8], kind: Kind, now_ms: u64) -> &mut Value {
        self.remove_if_expired(key, now_ms);
        self.keep_for_walks(key);
        self.touch(key);
        let make = || Entry {
            key: Bytes::copy_from(key),
            value: Value::empty(kind),
        };
        &mut self.keys.entries.get_or_insert_with(key, make).0.value
    }

    /// Deletes `key` if it holds an aggregate with no elements left: Redis
    /// never keeps an empty list, hash, set or sorted set. Returns whether it did.
    pub fn remove_if_empty(&mut self, key: &[u8]) -> bool {
        let empty = self
            .keys
            .entries
            .get(key)
            .is_some_and(|entry| entry.value.is_empty_aggregate());
        if empty {
            if let Some(value) = self.unlink(key) {
                self.trash.throw(value);
            }
            self.touch(key);
        }
        empty
    }

    /// Whether `key` exists and is live.
    pub fn contains(&self, key: &[u8], now_ms: u64) -> bool {
        self.get(key, now_ms).is_some()
    }

    /// The Unix time in milliseconds at which `key` expires, if it has a TTL.
    pub fn expires_at(&self, key: &[u8]) -> Option<u64> {
        self.keys.expires_at(key)
    }

    /// True once `now_ms` has passed the key's expiry time: from then on the
    /// key no longer exists for any command (*passive* expiry). "Passed", as
    /// Redis's `keyIsExpired` has it: in its last millisecond the key is
    /// still there, with a PTTL of 0.
    pub fn is_expired(&self, key: &[u8], now_ms: u64) -> bool {
        // With no TTL anywhere, nothing can have expired: skip the lookup.
        !self.keys.volatile.is_empty() && self.expires_at(key).is_some_and(|at| at < now_ms)
    }

    /// Stores `value` under `key` with the given expiry (`None`: no TTL),
    /// replacing any old value and its TTL. The old value goes to the trash.
    /// A time already past is stored as it is, as Redis 7.0 does: the key
    /// then expires on its next access or reaper visit.
    pub fn set(&mut self, key: Bytes, value: Value, expires_at: Option<u64>, now_ms: u64) {
        self.remove_if_expired(&key, now_ms);
        self.keep_for_walks(&key);
        self.touch(&key);
        // Only a key that gets a TTL needs its name twice.
        let named = expires_at.map(|_| key.clone());
        match self.keys.entries.replace(Entry { key, value }) {
            Some(old) => {
                self.trash.throw(old.value);
                self.place_expiry(&old.key, expires_at);
                self.trash.throw_key(old.key);
            }
            // A new key without a TTL: nothing more to record.
            None => {
                if let Some(key) = named {
                    self.place_expiry(&key, expires_at);
                }
            }
        }
    }

    /// Removes `key` and returns its value if it was live; an expired one
    /// is removed too, but reported as absent.
    pub fn remove(&mut self, key: &[u8], now_ms: u64) -> Option<Value> {
        if self.remove_if_expired(key, now_ms) {
            return None;
        }
        let value = self.unlink(key)?;
        self.touch(key);
        Some(value)
    }

    /// Deletes `key`, sending its value to the trash. Returns whether it was live.
    pub fn delete(&mut self, key: &[u8], now_ms: u64) -> bool {
        match self.remove(key, now_ms) {
            Some(value) => {
                self.trash.throw(value);
                true
            }
            None => false,
        }
    }

    /// Moves the value of `from` to `to`, with its TTL (RENAME): whatever
    /// `to` held goes to the trash, and `to` gets `from`'s TTL or none.
    /// Both keys count as changed. Returns false, changing nothing, if
    /// `from` is not live; renaming a live key to itself changes nothing.
    pub fn rename(&mut self, from: &[u8], to: Bytes, now_ms: u64) -> bool {
        if self.peek(from, now_ms).is_none() {
            return false;
        }
        if from == to.as_slice() {
            return true;
        }
        let expires_at = self.expires_at(from);
        let Some(value) = self.remove(from, now_ms) else {
            return false; // cannot happen: `from` was just found live
        };
        // `from` was live, so its expiry time, if any, is not past.
        self.set(to, value, expires_at, now_ms);
        true
    }

    /// A live key picked at random (RANDOMKEY), or `None` if there is none,
    /// and the expired keys drawn on the way, for the caller to have deleted:
    /// Redis's `dbRandomKey` deletes each expired key it draws and draws
    /// again. `random` gives the draws. Each draw is O(1); after
    /// [`RANDOM_KEY_TRIES`] expired ones in a row (most keys have expired
    /// and a reader cannot delete them), it walks the table once from a
    /// random place instead, so this never loops: with every key expired,
    /// it lists them all and finds none, as Redis ends up deleting them all.
    pub fn random_key(&self, now_ms: u64, mut random: impl FnMut() -> u64) -> RandomKey<'_> {
        let mut expired: Vec<&[u8]> = Vec::new();
        let entries = &self.keys.entries;
        for _ in 0..RANDOM_KEY_TRIES {
            let Some(entry) = entries.random(&mut random) else {
                return (None, expired);
            };
            if !self.is_expired(&entry.key, now_ms) {
                return (Some(&entry.key), expired);
            }
            if !expired.contains(&entry.key.as_slice()) {
                expired.push(&entry.key);
            }
        }
        let start = (random() % entries.len() as u64) as usize;
        let walk = entries.iter().skip(start).chain(entries.iter().take(start));
        for entry in walk {
            if !self.is_expired(&entry.key, now_ms) {
                return (Some(&entry.key), expired);
            }
            if !expired.contains(&entry.key.as_slice()) {
                expired.push(&entry.key);
            }
        }
        (None, expired)
    }

    /// One step of SCAN, Redis's `dictScan` over `db->dict`: calls `found`
    /// with every key (expired or not: the caller decides) of the bucket
    /// `cursor` names, and its value; returns the next cursor, 0 at the end.
    pub fn scan<'a>(&'a self, cursor: u64, mut found: impl FnMut(&'a [u8], &'a Value)) -> u64 {
        self.keys
            .entries
            .scan(cursor, |entry| found(&entry.key, &entry.value))
    }

    /// Gives `key` a new expiry time, or none (`PERSIST`). Does nothing if the
    /// key does not exist; callers check that it is live first.
    pub fn set_expiry(&mut self, key: &[u8], at_ms: Option<u64>) {
        if at_ms.is_none() && self.keys.volatile.is_empty() {
            return; // no TTL before or after: the common case
        }
        if self.keys.entries.contains(key) {
            self.keep_for_walks(key);
            self.touch(key);
        }
        self.place_expiry(key, at_ms);
    }

    /// Records the new expiry time of `key` in the two maps. Counts no
    /// change: [`Store::set`] has counted its one already, as Redis's SET
    /// counts one change whether or not it sets a TTL.
    fn place_expiry(&mut self, key: &[u8], at_ms: Option<u64>) {
        if at_ms.is_none() && self.keys.volatile.is_empty() {
            return; // no TTL before or after: the common case
        }
        //@ step 4: Add, move or drop the key's entry in `volatile` and `expires`; `forget_volatile` frees a slot.
        let keys = &mut self.keys;
        match (keys.expires.get(key).copied(), at_ms) {
            (None, None) => {}
            (Some(slot), Some(at_ms)) => keys.volatile[slot].at_ms = at_ms,
            (None, Some(at_ms)) => {
                let Some(entry) = keys.entries.get(key) else {
                    return;
                };
                let key = entry.key.clone();
                keys.expires.insert(key.clone(), keys.volatile.len());
                keys.volatile.push(Volatile { key, at_ms });
            }
            (Some(slot), None) => {
                keys.expires.remove(key);
                self.forget_volatile(slot);
            }
        }
        //@ end step 4
    }

    /// Deletes `key` if it exists and its time has come. Returns whether it did.
    pub fn remove_if_expired(&mut self, key: &[u8], now_ms: u64) -> bool {
        // With no TTL anywhere, nothing can have expired: skip the lookup.
        if self.keys.volatile.is_empty() {
            return false;
        }
        if !self.is_expired(key, now_ms) {
            return false;
        }
        self.expire(key);
        true
    }

    /// Deletes `key`, whose time has come (passive or active expiry).
    fn expire(&mut self, key: &[u8]) {
        //@ step 4: `unlink` the key, send its value to the trash, and count it in `expired_keys`.
        if let Some(value) = self.unlink(key) {
            self.trash.throw(value);
        }
        self.expired_keys += 1;
        //@ end step 4
        // Logged as the DEL that replays it, as Redis propagates an expiry.
        if let Some(propagated) = &mut self.propagated {
            propagated.push(vec![b"DEL".to_vec(), key.to_vec()]);
        }
        // For WATCH: expired, whatever the command does next.
        if let Some(watched) = self.watched.get_mut(key) {
            watched.version.expirations += 1;
        }
    }

    /// The reaper's step: if the key in `volatile` slot `slot` has expired,
    /// delete it and return true. The slot is then taken by another key
    /// (the last one), which the reaper should look at next. The slot holds
    /// the expiry time, so only the deletion looks the key up.
    pub fn expire_slot(&mut self, slot: usize, now_ms: u64) -> bool {
        let Some(volatile) = self.keys.volatile.get(slot) else {
            return false;
        };
        if volatile.at_ms >= now_ms {
            return false;
        }
        let key = volatile.key.clone();
        self.expire(&key);
        true
    }

    /// Number of keys, counting expired ones not deleted yet (as Redis's
    /// DBSIZE does).
    pub fn len(&self) -> usize {
        self.keys.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.keys.entries.is_empty()
    }

    /// Number of keys that have a TTL.
    pub fn volatile_len(&self) -> usize {
        self.keys.volatile.len()
    }

    /// The key with a TTL in slot `slot`, and when it expires: the reaper's
    /// and INFO's way to sample keys without scanning the map.
    pub fn volatile_at(&self, slot: usize) -> Option<(&[u8], u64)> {
        let volatile = self.keys.volatile.get(slot)?;
        Some((&volatile.key, volatile.at_ms))
    }

    /// Keys deleted so far because they expired.
    pub fn expired_keys(&self) -> u64 {
        self.expired_keys
    }

    /// CONFIG RESETSTAT: the count of expired keys starts again at zero.
    pub fn reset_stats(&mut self) {
        self.expired_keys = 0;
    }

    /// Adds a key that is not there (loading a dump): one lookup, and not a
    /// change to be saved again. False, changing nothing, if it is there.
    pub fn add_new(&mut self, key: Bytes, value: Value, expires_at: Option<u64>) -> bool {
        self.keep_for_walks(&key);
        let keys = &mut self.keys;
        // Only a key with a TTL needs its name twice.
        let named = expires_at.map(|_| key.clone());
        if !keys.entries.insert(Entry { key, value }) {
            return false;
        }
        if let (Some(at_ms), Some(key)) = (expires_at, named) {
            keys.expires.insert(key.clone(), keys.volatile.len());
            keys.volatile.push(Volatile { key, at_ms });
        }
        true
    }

    /// Makes room for `keys` more keys, `volatile` of them with a TTL, so
    /// that loading a dump does not grow the maps step by step.
    pub fn reserve(&mut self, keys: usize, volatile: usize) {
        self.keys.entries.reserve(keys);
        self.keys.expires.reserve(volatile);
        self.keys.volatile.reserve(volatile);
    }

    /// Every key with its value and expiry time, expired ones not yet
    /// deleted included, in no particular order: what a dump holds.
    pub fn entries(&self) -> impl Iterator<Item = (&[u8], &Value, Option<u64>)> {
        let any_ttl = !self.keys.volatile.is_empty();
        self.keys.entries.iter().map(move |entry| {
            let at = if any_ttl {
                self.expires_at(&entry.key)
            } else {
                None
            };
            (entry.key.as_slice(), &entry.value, at)
        })
    }

    /// Every live key, in no particular order.
    pub fn keys(&self, now_ms: u64) -> impl Iterator<Item = &[u8]> {
        self.keys
            .entries
            .iter()
            .map(|entry| entry.key.as_slice())
            .filter(move |key| !self.is_expired(key, now_ms))
    }

    /// Deletes every key (FLUSHDB). The maps go to the trash whole, so their
    /// memory goes back to the allocator once the trash is emptied.
    pub fn clear(&mut self) {
        // Redis: a watched key counts as changed only if the flush removed it.
        let flushed: Vec<Bytes> = self
            .watched
            .keys()
            .filter(|key| self.keys.entries.contains(key))
            .cloned()
            .collect();
        self.touched.extend(flushed);
        self.pending_dirty += self.keys.entries.len() as u64;
        let old = mem::take(&mut self.keys);
        if let Some(old) = self.hand_flushed_to_walks(old) {
            self.trash.keyspaces.push(old);
        }
    }

    /// Hands over what was removed since the last call, for the caller to
    /// free once it has released the lock: the store gets `empty` (an
    /// emptied trash, whose room it reuses) in exchange.
    pub fn take_trash(&mut self, empty: &mut Trash) {
        debug_assert!(empty.is_empty(), "empty the trash before swapping it back");
        mem::swap(&mut self.trash, empty);
    }

    /// WATCH: starts watching `key` for one more client. Returns its version.
    pub fn watch(&mut self, key: &[u8]) -> Version {
        let watched = match self.watched.get_mut(key) {
            Some(watched) => watched,
            None => self.watched.entry(Bytes::copy_from(key)).or_default(),
        };
        watched.watchers += 1;
        watched.version
    }

    /// One client stops watching `key` (UNWATCH, EXEC, DISCARD, gone).
    pub fn unwatch(&mut self, key: &[u8]) {
        if let Some(watched) = self.watched.get_mut(key) {
            watched.watchers -= 1;
            if watched.watchers == 0 {
                self.watched.remove(key);
            }
        }
    }

    /// The version of a watched key: it moves whenever the key changes.
    pub fn version(&self, key: &[u8]) -> Version {
        self.watched
            .get(key)
            .map_or(Version::default(), |watched| watched.version)
    }

    /// Ends a write command: if it succeeded, the watched keys it changed
    /// move to a new version; if it failed, it changed nothing.
    pub fn settle_changes(&mut self, succeeded: bool) {
        let touched = mem::take(&mut self.touched);
        let changes = mem::take(&mut self.pending_dirty);
        if succeeded {
            self.dirty += changes;
            for key in &touched {
                self.bump(key);
            }
        }
    }

    /// Notes that the running command changes `key`: only a watched key's
    /// change is worth noting, and with no WATCH anywhere, this is one test.
    fn touch(&mut self, key: &[u8]) {
        self.pending_dirty += 1;
        if !self.watched.is_empty() && self.watched.contains_key(key) {
            self.touched.push(Bytes::copy_from(key));
        }
        if !self.waited.is_empty() && self.waited.contains_key(key) {
            self.ready.push(Bytes::copy_from(key));
        }
    }

    /// Starts noting writes to log (the append-only file is on).
    pub fn start_propagating(&mut self) {
        self.propagated.get_or_insert_with(Vec::new);
    }

    /// Stops noting writes (the append-only file is off).
    pub fn stop_propagating(&mut self) {
        self.propagated = None;
    }

    /// Notes a write, as the words of the command that replays it, if an
    /// append-only file is kept.
    pub fn propagate(&mut self, words: Vec<Vec<u8>>) {
        if let Some(propagated) = &mut self.propagated {
            propagated.push(words);
        }
    }

    /// The writes noted so far; the executor logs them under the guard.
    pub fn propagated(&mut self) -> Option<&mut Vec<Vec<Vec<u8>>>> {
        self.propagated.as_mut()
    }

    /// A client starts waiting on `keys` (BLPOP).
    pub fn wait_on(&mut self, keys: &[Vec<u8>]) {
        for key in keys {
            *self.waited.entry(Bytes::copy_from(key)).or_default() += 1;
        }
    }

    /// A client stops waiting on `keys`: served, timed out or gone.
    pub fn stop_waiting(&mut self, keys: &[Vec<u8>]) {
        for key in keys {
            if let Some(count) = self.waited.get_mut(key.as_slice()) {
                *count -= 1;
                if *count == 0 {
                    self.waited.remove(key.as_slice());
                }
            }
        }
    }

    /// Where the notes of changes stand, for [`Store::forget_changes_since`].
    pub fn changes_mark(&self) -> (usize, usize, u64) {
        (self.touched.len(), self.ready.len(), self.pending_dirty)
    }

    /// Forgets the changes noted since `mark`: a blocked client's try that
    /// served nothing changed nothing.
    pub fn forget_changes_since(&mut self, (touched, ready, dirty): (usize, usize, u64)) {
        self.touched.truncate(touched);
        self.ready.truncate(ready);
        self.pending_dirty = dirty;
    }

    /// Counts `n` more changes for the running write, beyond the one its
    /// key's change counts (SADD of three new members is three).
    pub fn add_changes(&mut self, n: u64) {
        self.pending_dirty += n;
    }

    /// Changes made since start-up (Redis's `server.dirty`, never reset:
    /// a save remembers where it stood).
    pub fn dirty(&self) -> u64 {
        self.dirty
    }

    /// [`Store::dirty`] once the running write's changes count: what a save
    /// made by that write (FLUSHALL's) has written.
    pub fn dirty_with_pending(&self) -> u64 {
        self.dirty + self.pending_dirty
    }

    /// The next key that a write changed while clients wait on it.
    pub fn next_ready(&mut self) -> Option<Bytes> {
        self.ready.pop()
    }

    /// A watched key has changed.
    fn bump(&mut self, key: &[u8]) {
        if let Some(watched) = self.watched.get_mut(key) {
            watched.version.changes += 1;
        }
    }

    /// Removes `key` from both maps, whatever its state.
    fn unlink(&mut self, key: &[u8]) -> Option<Value> {
        let removed = if self.walking() {
            self.keep_for_walks(key);
            self.keys.entries.remove_keeping_size(key)
        } else {
            self.keys.entries.remove(key)
        };
        let Entry { key: name, value } = removed?;
        if let Some((name, slot)) = self.keys.expires.remove_entry(key) {
            self.trash.throw_key(name);
            self.forget_volatile(slot);
        }
        self.trash.throw_key(name);
        Some(value)
    }

    /// Drops slot `slot` from `volatile` by moving the last key into it, and
    /// tells that key's `expires` entry where it now lives.
    fn forget_volatile(&mut self, slot: usize) {
        //@ step 4: `swap_remove` the slot (its key to the trash), then update the `expires` slot of the key that moved into it.
        let keys = &mut self.keys;
        let gone = keys.volatile.swap_remove(slot);
        self.trash.throw_key(gone.key);
        if let Some(moved) = keys.volatile.get(slot) {
            if let Some(moved_slot) = keys.expires.get_mut(&moved.key) {
                *moved_slot = slot;
            }
        }
        //@ end step 4
    }
}

//@ passes from step 4
#[cfg(test)]
mod tests {
    use super::*;

    fn string(bytes: &[u8]) -> Value {
        Value::String(Bytes::copy_from(bytes))
    }

    fn key(name: &str) -> Bytes {
        Bytes::copy_from(name.as_bytes())
    }

    /// Every volatile slot points at a key whose `expires` entry points back.
    fn assert_consistent(store: &Store) {
        let keys = &store.keys;
        for (slot, volatile) in keys.volatile.iter().enumerate() {
            assert_eq!(keys.expires.get(&volatile.key), Some(&slot));
            assert!(keys.entries.contains(&volatile.key));
        }
        assert_eq!(keys.expires.len(), keys.volatile.len());
    }

    #[test]
    fn set_get_and_replace_clears_ttl() {
        let mut store = Store::new();
        store.set(key("k"), string(b"v1"), Some(1_000), 0);
        assert_eq!(store.get(b"k", 999), Some(&string(b"v1")));
        store.set(key("k"), string(b"v2"), None, 0);
        assert_eq!(store.expires_at(b"k"), None);
        assert!(store.contains(b"k", 5_000));
        assert_consistent(&store);
    }

    #[test]
    fn expired_keys_are_invisible_then_removed_on_write() {
        let mut store = Store::new();
        store.set(key("k"), string(b"v"), Some(1_000), 0);
        assert!(store.get(b"k", 1_000).is_some(), "its last millisecond");
        assert!(store.get(b"k", 1_001).is_none());
        assert_eq!(store.len(), 1, "a read does not delete");
        assert!(store.remove(b"k", 1_001).is_none(), "expired means absent");
        assert_eq!(store.len(), 0);
        assert_eq!(store.expired_keys(), 1);
    }

    #[test]
    fn an_expiry_already_past_is_stored_and_expires_on_access() {
        let mut store = Store::new();
        store.set(key("k"), string(b"old"), None, 0);
        store.set(key("k"), string(b"new"), Some(1_000), 5_000);
        assert_eq!(store.len(), 1, "stored, as Redis 7.0 does");
        assert!(store.get(b"k", 5_000).is_none());
        assert!(store.remove_if_expired(b"k", 5_000));
        assert!(store.is_empty());
        assert_eq!(store.expired_keys(), 1);
        assert_consistent(&store);
    }

    #[test]
    fn volatile_index_survives_removals_in_any_order() {
        let mut store = Store::new();
        for i in 0..50u64 {
            store.set(key(&format!("k{i}")), string(b""), Some(10_000 + i), 0);
        }
        for i in (0..50u64).step_by(3) {
            store.delete(format!("k{i}").as_bytes(), 0);
            assert_consistent(&store);
        }
        store.set_expiry(b"k1", None);
        store.set(key("k2"), string(b""), None, 0);
        assert_consistent(&store);
        assert_eq!(store.volatile_len(), 50 - 17 - 2);
        assert!(store.volatile_at(7).is_some());
    }

    #[test]
    fn the_reaper_step_deletes_only_what_has_expired() {
        let mut store = Store::new();
        store.set(key("old"), string(b""), Some(10), 0);
        store.set(key("new"), string(b""), Some(10_000), 0);
        let slot_of = |store: &Store, name: &[u8]| store.keys.expires[name];
        assert!(!store.expire_slot(slot_of(&store, b"new"), 100));
        assert!(store.expire_slot(slot_of(&store, b"old"), 100));
        assert_eq!(store.len(), 1);
        assert_consistent(&store);
    }

    //@ passes from step 0
    #[test]
    fn an_aggregate_is_created_on_demand_and_goes_when_empty() {
        let mut store = Store::new();
        let list = store
            .get_or_create(b"l", Kind::List, 0)
            .as_list_mut()
            .unwrap();
        list.push_back(b"x");
        assert!(!store.remove_if_empty(b"l"));
        store
            .get_mut(b"l", 0)
            .unwrap()
            .as_list_mut()
            .unwrap()
            .clear();
        assert!(store.remove_if_empty(b"l"));
        assert!(store.is_empty());
        store.set(key("s"), string(b""), None, 0);
        assert!(
            !store.remove_if_empty(b"s"),
            "an empty string is still a key"
        );
        let wrong = store.get_or_create(b"s", Kind::List, 0);
        assert_eq!(wrong.as_list_mut().unwrap_err(), crate::value::WrongType);
    }

    #[test]
    fn rename_moves_the_value_and_its_ttl() {
        let mut store = Store::new();
        let big = vec![b'x'; 100];
        store.set(key("a"), string(b"1"), Some(9_000), 0);
        store.set(key("b"), string(&big), Some(5_000), 0);
        store.set(key("c"), string(b"3"), None, 0);
        assert!(store.rename(b"a", key("b"), 0), "over a key with a TTL");
        assert!(store.get(b"a", 0).is_none());
        assert_eq!(store.get(b"b", 0), Some(&string(b"1")));
        assert_eq!(store.expires_at(b"b"), Some(9_000));
        assert!(store.rename(b"c", key("b"), 0), "no TTL: none after");
        assert_eq!(store.expires_at(b"b"), None);
        assert_eq!(store.volatile_len(), 0);
        assert_eq!(store.len(), 1);
        assert_consistent(&store);
        let mut trash = Trash::default();
        store.take_trash(&mut trash);
        assert_eq!(trash.values.len(), 1, "the value it replaced");
    }

    #[test]
    fn rename_of_a_missing_or_expired_key_or_onto_itself_changes_nothing() {
        let mut store = Store::new();
        assert!(!store.rename(b"nokey", key("b"), 0));
        store.set(key("e"), string(b"v"), Some(10), 0);
        store.set(key("b"), string(b"kept"), None, 0);
        assert!(!store.rename(b"e", key("b"), 11), "expired is missing");
        assert_eq!(store.expired_keys(), 1);
        assert_eq!(store.get(b"b", 11), Some(&string(b"kept")));
        store.set(key("t"), string(b"v"), Some(1_000), 0);
        assert!(store.rename(b"t", key("t"), 0));
        assert_eq!(store.expires_at(b"t"), Some(1_000));
        assert_consistent(&store);
    }

    //@ passes from step 0
    #[test]
    fn rename_counts_both_keys_as_changed() {
        let mut store = Store::new();
        store.set(key("a"), string(b"1"), None, 0);
        let (from, to) = (store.watch(b"a"), store.watch(b"b"));
        store.rename(b"a", key("b"), 0);
        store.settle_changes(true);
        assert_ne!(store.version(b"a"), from);
        assert_ne!(store.version(b"b"), to);
        store.rename(b"b", key("b"), 0);
        store.rename(b"nokey", key("b"), 0);
        let now = store.version(b"b");
        store.settle_changes(true);
        assert_eq!(store.version(b"b"), now, "onto itself, or from nothing");
    }

    #[test]
    fn a_random_key_is_live_and_any_may_be_drawn() {
        let mut store = Store::new();
        assert_eq!(store.random_key(0, crate::random::next_u64), (None, vec![]));
        for name in ["a", "b", "c"] {
            store.set(key(name), string(b""), None, 0);
        }
        store.set(key("gone"), string(b""), Some(10), 0);
        let mut drawn = std::collections::BTreeSet::new();
        for _ in 0..100 {
            let (found, expired) = store.random_key(100, crate::random::next_u64);
            let found = found.expect("there are live keys");
            assert_ne!(found, b"gone");
            assert!(expired.iter().all(|k| *k == b"gone"), "listed once");
            assert!(expired.len() <= 1);
            drawn.insert(found.to_vec());
        }
        assert_eq!(drawn.len(), 3, "every live key can be drawn");
    }

    #[test]
    fn with_every_key_expired_there_is_no_random_key() {
        let mut store = Store::new();
        for i in 0..300 {
            store.set(key(&format!("k{i}")), string(b""), Some(10), 0);
        }
        let (found, expired) = store.random_key(11, crate::random::next_u64);
        assert_eq!(found, None);
        assert_eq!(expired.len(), 300, "each listed once, for deletion");
        let (found, _) = store.random_key(10, crate::random::next_u64);
        assert!(found.is_some(), "their last millisecond");
        store.set(key("live"), string(b""), None, 0);
        let (found, expired) = store.random_key(11, crate::random::next_u64);
        assert_eq!(found, Some(&b"live"[..]), "found by the walk if not drawn");
        assert!(expired.len() < 301);
    }

    //@ passes from step 0
    #[test]
    fn an_entry_costs_48_bytes_in_the_table() {
        assert_eq!(std::mem::size_of::<Option<Entry>>(), 48);
    }

    //@ passes from step 0
    #[test]
    fn a_scan_of_the_keyspace_sees_every_key_that_stays() {
        let mut store = Store::new();
        for i in 0..1000 {
            store.set(key(&format!("keep{i}")), string(b""), None, 0);
        }
        let mut seen = std::collections::HashSet::new();
        let (mut cursor, mut step) = (0, 0);
        loop {
            cursor = store.scan(cursor, |key, _| {
                seen.insert(key.to_vec());
            });
            step += 1;
            match step {
                // Grow the table four times over, then shrink it back, and
                // delete and re-add keys, between steps.
                10 => {
                    (0..5000).for_each(|i| store.set(key(&format!("tmp{i}")), string(b""), None, 0))
                }
                400 => (0..5000).for_each(|i| {
                    store.delete(format!("tmp{i}").as_bytes(), 0);
                }),
                _ => {}
            }
            if cursor == 0 {
                break;
            }
        }
        assert!((0..1000).all(|i| seen.contains(format!("keep{i}").as_bytes())));
    }

    //@ passes from step 0
    #[test]
    fn removed_values_wait_in_the_trash() {
        let mut store = Store::new();
        let big = vec![b'x'; 100];
        store.set(key("a"), string(&big), None, 0);
        store.set(key("a"), string(&big), None, 0); // overwrite
        store.set(key("b"), string(&big), None, 0);
        store.delete(b"b", 0);
        store.set(key("short"), string(b"1"), None, 0);
        store.delete(b"short", 0); // owns nothing: not kept
        let mut trash = Trash::default();
        store.take_trash(&mut trash);
        assert_eq!(trash.values.len(), 2);
        trash.empty();
        store.clear();
        store.take_trash(&mut trash);
        assert_eq!(trash.keyspaces.len(), 1);
        assert!(store.is_empty());
    }
}
