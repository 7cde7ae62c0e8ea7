//! The one lock: the [`Store`] behind a `std::sync::RwLock`.
//!
//! Only the executor, the reaper and the background saves hold a [`Db`].
//! A command is lent the
//! store itself, `&Store` or `&mut Store`, for the length of one call, so
//! command code has no lock it could take, hold too long or forget to
//! release.

use std::io;
use std::sync::{PoisonError, RwLock, RwLockReadGuard, RwLockWriteGuard, TryLockError};

use crate::storage::{Step, Store, WalkId};
use crate::value::Value;

/// How many of the keyspace table's buckets one step of a walk copies
/// under the read guard: with the table at most 3/4 full, a few thousand
/// keys, about 0.1 ms when values are short.
const WALK_STEP_BUCKETS: usize = 4096;

/// The keyspace as every thread sees it: many readers at once, or one writer.
#[derive(Debug, Default)]
pub struct Db {
    store: RwLock<Store>,
}

impl Db {
    pub fn new() -> Db {
        Db::default()
    }

    /// Takes the read lock. If a thread once panicked while holding the
    /// write lock, std marks it *poisoned*; every store operation leaves the
    /// maps consistent between calls, so we carry on rather than let one bad
    /// client stop them all.
    pub fn read(&self) -> RwLockReadGuard<'_, Store> {
        self.store.read().unwrap_or_else(PoisonError::into_inner)
    }

    /// Takes the write lock, waiting for the readers to finish; see [`Db::read`]
    /// on poisoning.
    pub fn write(&self) -> RwLockWriteGuard<'_, Store> {
        self.store.write().unwrap_or_else(PoisonError::into_inner)
    }

    /// Takes the write lock only if nobody holds the lock now. Housekeeping
    /// (the reaper) uses this: std's futex-based `RwLock`, the one it uses
    /// on Linux, lets a *waiting* writer hold back new readers (a choice of
    /// that implementation; the docs promise no policy), so a writer queued
    /// behind a long KEYS would make every GET wait too.
    pub fn try_write(&self) -> Option<RwLockWriteGuard<'_, Store>> {
        match self.store.try_write() {
            Ok(guard) => Some(guard),
            Err(TryLockError::Poisoned(poisoned)) => Some(poisoned.into_inner()),
            Err(TryLockError::WouldBlock) => None,
        }
    }

    /// Hands every key of walk `walk` ([`Store::begin_walk`]) to `each`, a
    /// step at a time: a step holds the read guard only while it copies a
    /// few thousand buckets; `each` runs, and the copies are freed,
    /// with no lock held. If `each` fails, the walk is left for the
    /// caller's [`EndsWalk`] to end.
    pub fn walk(
        &self,
        walk: WalkId,
        mut each: impl FnMut(&[u8], &Value, Option<u64>) -> io::Result<()>,
    ) -> io::Result<()> {
        let mut copied = Vec::new();
        loop {
            let step = self.read().walk_step(walk, WALK_STEP_BUCKETS, &mut copied);
            for (key, value, expires_at) in copied.drain(..) {
                each(&key, &value, expires_at)?;
            }
            if let Step::Over(rest) = step {
                drop(rest);
                return Ok(());
            }
        }
    }
}

/// Ends a walk when dropped, however the thread that walks it stops: a
/// walk left behind would make writers keep old values for it for ever,
/// and the table never shrink again. Ending a walk that is over does
/// nothing.
pub struct EndsWalk<'a> {
    db: &'a Db,
    walk: WalkId,
}

impl<'a> EndsWalk<'a> {
    pub fn new(db: &'a Db, walk: WalkId) -> EndsWalk<'a> {
        EndsWalk { db, walk }
    }
}

impl Drop for EndsWalk<'_> {
    fn drop(&mut self) {
        // What the walk kept is freed only once the guard is let go.
        let rest = self.db.read().end_walk(self.walk);
        drop(rest);
    }
}

//@ passes from step 3
#[cfg(test)]
mod tests {
    use super::*;
    use crate::bytes::Bytes;
    use crate::value::Value;

    #[test]
    fn a_panic_under_the_write_lock_does_not_lock_out_everyone_else() {
        let db = std::sync::Arc::new(Db::new());
        let crashed = {
            let db = std::sync::Arc::clone(&db);
            std::thread::spawn(move || {
                let _guard = db.write();
                panic!("a client thread dies holding the write lock");
            })
            .join()
        };
        assert!(crashed.is_err());
        assert!(db.store.is_poisoned());
        let value = Value::String(Bytes::copy_from(b"v"));
        db.write()
            .set(Bytes::copy_from(b"k"), value.clone(), None, 0);
        assert_eq!(db.read().get(b"k", 0), Some(&value));
        assert!(db.try_write().is_some());
    }
}
