//! The keyspace: a map from keys to values, plus what expiry needs.
//!
//! The [`Store`] itself knows nothing about threads. The server wraps one in
//! an `Arc<RwLock<Store>>`: many readers (GET, TTL) can look at the same time,
//! a writer (SET, DEL, the reaper) has it alone.
//!
//! Times are absolute Unix milliseconds, as in Redis, and every method that
//! cares is *given* the current time. That keeps the store easy to test and
//! makes one command see one consistent "now".

use std::collections::HashMap;
use std::sync::{Arc, PoisonError, RwLock, RwLockReadGuard, RwLockWriteGuard};

/// The store as every thread sees it.
pub type SharedStore = Arc<RwLock<Store>>;

/// Takes the read lock. If a thread once panicked while holding the lock,
/// std marks it *poisoned*; every store operation leaves the maps consistent
/// between calls, so we carry on rather than let one bad client stop them all.
pub fn read(store: &RwLock<Store>) -> RwLockReadGuard<'_, Store> {
    store.read().unwrap_or_else(PoisonError::into_inner)
}

/// Takes the write lock; see [`read`] on poisoning.
pub fn write(store: &RwLock<Store>) -> RwLockWriteGuard<'_, Store> {
    store.write().unwrap_or_else(PoisonError::into_inner)
}

/// One value and, if it has one, the moment it expires.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// The value: any bytes, not necessarily text.
    pub value: Vec<u8>,
    expiry: Option<Expiry>,
}

/// When a key expires, and where it sits in [`Store::volatile`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Expiry {
    at_ms: u64,
    slot: usize,
}

impl Entry {
    /// The Unix time in milliseconds at which this entry expires, if it does.
    pub fn expires_at(&self) -> Option<u64> {
        self.expiry.map(|e| e.at_ms)
    }

    /// True once `now_ms` has reached the expiry time: from that moment on
    /// the key no longer exists for any command (*passive* expiry).
    pub fn is_expired(&self, now_ms: u64) -> bool {
        self.expiry.is_some_and(|e| e.at_ms <= now_ms)
    }
}

/// All keys of the one database.
#[derive(Debug, Default)]
pub struct Store {
    entries: HashMap<Vec<u8>, Entry>,
    /// Every key that has a TTL, in no order. Redis keeps a second dict of
    /// these (`db->expires`); a vector lets the reaper pick one at random in
    /// O(1). Each entry remembers its slot here, so removal is O(1) too.
    volatile: Vec<Vec<u8>>,
    /// Keys deleted because they expired, by either kind of expiry (INFO).
    expired_keys: u64,
}

impl Store {
    pub fn new() -> Store {
        Store::default()
    }

    /// The live entry for `key`, or `None` if there is none or it has expired.
    /// Takes `&self`, so readers never delete: an expired key is simply invisible.
    pub fn get(&self, key: &[u8], now_ms: u64) -> Option<&Entry> {
        //@ step 3: Look `key` up in `entries`; an entry that `is_expired` counts as absent.
        self.entries.get(key).filter(|e| !e.is_expired(now_ms))
        //@ end step 3
    }

    /// The live entry for `key`, to change its value in place (APPEND, INCR);
    /// its TTL stays. An expired entry found here is deleted first.
    pub fn get_mut(&mut self, key: &[u8], now_ms: u64) -> Option<&mut Entry> {
        self.remove_if_expired(key, now_ms);
        self.entries.get_mut(key)
    }

    /// Stores `value` under `key`, replacing any old entry and its TTL, with
    /// one lookup. Returns the entry it replaced, if that one was live, so
    /// the caller can answer SET ... GET or free it after the lock is released.
    pub fn set(
        &mut self,
        key: Vec<u8>,
        value: Vec<u8>,
        expires_at: Option<u64>,
        now_ms: u64,
    ) -> Option<Entry> {
        if expires_at.is_some_and(|at| at <= now_ms) {
            // An absolute time already past (SET ... EXAT 1): the new value
            // expires the moment it is set, so the key ends up gone.
            let old = self.remove(&key, now_ms);
            self.expired_keys += 1;
            return old;
        }
        let Some(entry) = self.entries.get_mut(&key) else {
            let mut expiry = None;
            retime(&mut expiry, expires_at, &mut self.volatile, &key);
            self.entries.insert(key, Entry { value, expiry });
            return None;
        };
        let old = Entry {
            value: std::mem::replace(&mut entry.value, value),
            expiry: entry.expiry,
        };
        if let Some(slot) = retime(&mut entry.expiry, expires_at, &mut self.volatile, &key) {
            self.forget_volatile(slot);
        }
        if old.is_expired(now_ms) {
            self.expired_keys += 1;
            return None;
        }
        Some(old)
    }

    /// Removes `key`. Returns its entry if it was live; an expired one is
    /// removed too, but reported as absent.
    pub fn remove(&mut self, key: &[u8], now_ms: u64) -> Option<Entry> {
        self.remove_if_expired(key, now_ms);
        self.unlink(key)
    }

    /// Gives `key` a new expiry time, or none (`PERSIST`). Does nothing if the
    /// key does not exist; callers check that it is live first.
    pub fn set_expiry(&mut self, key: &[u8], at_ms: Option<u64>) {
        //@ step 4: Find the entry, `retime` it, and free the `volatile` slot it may give back.
        let Some(entry) = self.entries.get_mut(key) else {
            return;
        };
        if let Some(slot) = retime(&mut entry.expiry, at_ms, &mut self.volatile, key) {
            self.forget_volatile(slot);
        }
        //@ end step 4
    }

    /// Deletes `key` if it exists and its time has come. Returns whether it did.
    pub fn remove_if_expired(&mut self, key: &[u8], now_ms: u64) -> bool {
        // With no TTL anywhere, nothing can have expired: skip the lookup.
        if self.volatile.is_empty() {
            return false;
        }
        //@ step 4: If the entry has expired, `unlink` it and count it in `expired_keys`.
        let expired = self.entries.get(key).is_some_and(|e| e.is_expired(now_ms));
        if expired {
            self.unlink(key);
            self.expired_keys += 1;
        }
        expired
        //@ end step 4
    }

    /// The key in slot `index % n` of the `n` keys that have a TTL: how the
    /// reaper samples at random without scanning.
    pub fn volatile_key(&self, index: u64) -> Option<&[u8]> {
        if self.volatile.is_empty() {
            return None;
        }
        let slot = (index % self.volatile.len() as u64) as usize;
        Some(&self.volatile[slot])
    }

    /// Number of keys, counting expired ones the reaper has not reached yet
    /// (as Redis's DBSIZE does).
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Number of keys that have a TTL.
    pub fn volatile_len(&self) -> usize {
        self.volatile.len()
    }

    /// Keys deleted so far because they expired.
    pub fn expired_keys(&self) -> u64 {
        self.expired_keys
    }

    /// Every live key, in no particular order.
    pub fn keys(&self, now_ms: u64) -> impl Iterator<Item = &[u8]> {
        self.entries
            .iter()
            .filter(move |(_, e)| !e.is_expired(now_ms))
            .map(|(k, _)| k.as_slice())
    }

    /// Deletes every key (FLUSHDB).
    pub fn clear(&mut self) {
        self.entries.clear();
        self.volatile.clear();
    }

    /// Removes `key` from both maps, whatever its state.
    fn unlink(&mut self, key: &[u8]) -> Option<Entry> {
        let entry = self.entries.remove(key)?;
        if let Some(expiry) = entry.expiry {
            self.forget_volatile(expiry.slot);
        }
        Some(entry)
    }

    /// Drops slot `slot` from `volatile` by moving the last key into it, and
    /// tells that key's entry where it now lives.
    fn forget_volatile(&mut self, slot: usize) {
        //@ step 4: `swap_remove` the slot, then update the `slot` of the key that moved into it.
        self.volatile.swap_remove(slot);
        if let Some(moved) = self.volatile.get(slot) {
            if let Some(expiry) = self.entries.get_mut(moved).and_then(|e| e.expiry.as_mut()) {
                expiry.slot = slot;
            }
        }
        //@ end step 4
    }
}

/// Changes one entry's expiry to `at_ms` (or to none), adding the key to
/// `volatile` if it just got a TTL. If it just lost one, returns the slot it
/// held: freeing that slot moves another key's entry, so the caller does it
/// once it has let go of this entry.
fn retime(
    expiry: &mut Option<Expiry>,
    at_ms: Option<u64>,
    volatile: &mut Vec<Vec<u8>>,
    key: &[u8],
) -> Option<usize> {
    if expiry.is_none() && at_ms.is_none() {
        return None; // no TTL before or after: the common case, nothing to do
    }
    //@ step 4: Add, move or drop the TTL; a key that gets one joins `volatile`, one that loses it returns its slot.
    match (expiry.as_mut(), at_ms) {
        (Some(current), Some(at_ms)) => current.at_ms = at_ms,
        (None, Some(at_ms)) => {
            *expiry = Some(Expiry {
                at_ms,
                slot: volatile.len(),
            });
            volatile.push(key.to_vec());
        }
        (Some(current), None) => {
            let slot = current.slot;
            *expiry = None;
            return Some(slot);
        }
        (None, None) => {}
    }
    None
    //@ end step 4
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every volatile slot points at an entry that points back at it.
    fn assert_consistent(store: &Store) {
        for (slot, key) in store.volatile.iter().enumerate() {
            let entry = &store.entries[key];
            assert_eq!(entry.expiry.map(|e| e.slot), Some(slot));
        }
        let with_ttl = store
            .entries
            .values()
            .filter(|e| e.expiry.is_some())
            .count();
        assert_eq!(with_ttl, store.volatile.len());
    }

    #[test]
    fn set_get_and_replace_clears_ttl() {
        let mut store = Store::new();
        store.set(b"k".to_vec(), b"v1".to_vec(), Some(1_000), 0);
        assert_eq!(store.get(b"k", 999).map(|e| &e.value[..]), Some(&b"v1"[..]));
        store.set(b"k".to_vec(), b"v2".to_vec(), None, 0);
        assert_eq!(store.get(b"k", 5_000).unwrap().expires_at(), None);
        assert_consistent(&store);
    }

    #[test]
    fn expired_keys_are_invisible_then_removed_on_write() {
        let mut store = Store::new();
        store.set(b"k".to_vec(), b"v".to_vec(), Some(1_000), 0);
        assert!(store.get(b"k", 1_000).is_none());
        assert_eq!(store.len(), 1, "a read does not delete");
        assert!(store.remove(b"k", 1_000).is_none(), "expired means absent");
        assert_eq!(store.len(), 0);
        assert_eq!(store.expired_keys(), 1);
    }

    #[test]
    fn a_panic_under_the_lock_does_not_lock_out_everyone_else() {
        let store: SharedStore = Arc::new(RwLock::new(Store::new()));
        let clone = Arc::clone(&store);
        let crashed = std::thread::spawn(move || {
            let _guard = write(&clone);
            panic!("a client thread dies holding the write lock");
        })
        .join();
        assert!(crashed.is_err());
        assert!(store.is_poisoned());
        write(&store).set(b"k".to_vec(), b"v".to_vec(), None, 0);
        assert_eq!(
            read(&store).get(b"k", 0).map(|e| e.value.clone()),
            Some(b"v".to_vec())
        );
    }

    #[test]
    fn setting_an_expiry_already_past_leaves_no_key() {
        let mut store = Store::new();
        store.set(b"k".to_vec(), b"old".to_vec(), None, 0);
        let old = store.set(b"k".to_vec(), b"new".to_vec(), Some(1_000), 5_000);
        assert_eq!(old.map(|e| e.value), Some(b"old".to_vec()));
        assert!(store.is_empty());
        assert_eq!(store.expired_keys(), 1);
        assert_consistent(&store);
    }

    #[test]
    fn volatile_index_survives_removals_in_any_order() {
        let mut store = Store::new();
        for i in 0..50u64 {
            store.set(format!("k{i}").into_bytes(), vec![], Some(10_000 + i), 0);
        }
        for i in (0..50u64).step_by(3) {
            store.remove(format!("k{i}").as_bytes(), 0);
            assert_consistent(&store);
        }
        store.set_expiry(b"k1", None);
        store.set(b"k2".to_vec(), vec![], None, 0);
        assert_consistent(&store);
        assert_eq!(store.volatile_len(), 50 - 17 - 2);
        assert!(store.volatile_key(7).is_some());
    }
}
