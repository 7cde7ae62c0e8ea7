//! One client's transaction state: the queue of MULTI, and the keys of WATCH.
//!
//! Redis runs a transaction's commands one after another with nothing in
//! between, because it has one thread. Here the executor holds the write
//! lock for the whole EXEC: one guard over the queue, and no other client
//! can see the keyspace half way.

use crate::commands::{Command, CommandError};
use crate::storage::{Store, Version};

/// The commands queued since MULTI.
#[derive(Default)]
pub struct Queue {
    /// Each parsed command, or the error its parser found: Redis reports
    /// that error in EXEC's reply, in the command's place.
    pub commands: Vec<Result<Command, CommandError>>,
    /// A command was refused while queueing (unknown, wrong arity): EXEC
    /// will run nothing.
    pub failed: bool,
    /// A queued command writes: EXEC is then a write too, and refused
    /// when writes are (Redis's `mstate.cmd_flags`).
    pub writes: bool,
}

/// A key this client WATCHes, as it was then.
struct Watch {
    key: Vec<u8>,
    version: Version,
    /// Already expired when watched: then its expiry is no change.
    expired: bool,
}

/// The keys one client WATCHes.
#[derive(Default)]
pub struct Watches {
    keys: Vec<Watch>,
}

impl Watches {
    /// WATCH `key`: remembers its version now. Watching a key twice is once.
    pub fn add(&mut self, store: &mut Store, key: Vec<u8>, now_ms: u64) {
        //@ step 7: Skip a key already watched; else `store.watch` it for its version, note whether it `is_expired` now, and push the `Watch`.
        if self.keys.iter().any(|watch| watch.key == key) {
            return;
        }
        let version = store.watch(&key);
        let expired = store.is_expired(&key, now_ms);
        self.keys.push(Watch {
            key,
            version,
            expired,
        });
        //@ end step 7
    }

    /// Whether any watched key changed since it was watched: written,
    /// deleted, flushed or expired (Redis 7.0 counts a key that expired
    /// meanwhile, even if nobody deleted it yet).
    pub fn any_changed(&self, store: &Store, now_ms: u64) -> bool {
        //@ step 7: True if some watched key's `store.version` shows a change, or, for a key that was live when watched, an expiry since (deleted or not yet).
        self.keys.iter().any(|watch| {
            let now = store.version(&watch.key);
            now.changes != watch.version.changes
                || (!watch.expired
                    && (now.expirations != watch.version.expirations
                        || store.is_expired(&watch.key, now_ms)))
        })
        //@ end step 7
    }

    /// UNWATCH: forgets every key.
    pub fn clear(&mut self, store: &mut Store) {
        for watch in self.keys.drain(..) {
            store.unwatch(&watch.key);
        }
    }

    pub fn is_empty(&self) -> bool {
        self.keys.is_empty()
    }
}
