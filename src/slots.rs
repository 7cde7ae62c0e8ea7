//! The `maxclients` limit: a counting semaphore over client connections,
//! and the connection counters INFO reports.

use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::Arc;

/// A counting semaphore over client connections: the `maxclients` limit,
/// and the connection counters INFO reports.
#[derive(Debug)]
pub struct ClientSlots {
    max: usize,
    in_use: AtomicUsize,
    admitted: AtomicU64,
    rejected: AtomicU64,
}

/// One taken slot; dropping it (when the client thread ends, even by a
/// panic) gives the slot back.
#[derive(Debug)]
pub struct Slot(Arc<ClientSlots>);

impl ClientSlots {
    pub fn new(max: usize) -> Arc<ClientSlots> {
        Arc::new(ClientSlots {
            max,
            in_use: AtomicUsize::new(0),
            admitted: AtomicU64::new(0),
            rejected: AtomicU64::new(0),
        })
    }

    /// Takes a slot, or `None` if all `max` are in use.
    pub fn try_acquire(self: &Arc<Self>) -> Option<Slot> {
        let taken = self
            .in_use
            .fetch_update(Ordering::AcqRel, Ordering::Acquire, |n| {
                (n < self.max).then_some(n + 1)
            });
        if taken.is_ok() {
            self.admitted.fetch_add(1, Ordering::Relaxed);
            Some(Slot(Arc::clone(self)))
        } else {
            self.rejected.fetch_add(1, Ordering::Relaxed);
            None
        }
    }

    /// Clients connected now.
    pub fn in_use(&self) -> usize {
        self.in_use.load(Ordering::Acquire)
    }

    /// Connections accepted since start-up.
    pub fn admitted(&self) -> u64 {
        self.admitted.load(Ordering::Relaxed)
    }

    /// CONFIG RESETSTAT: the connection counters start again at zero.
    pub fn reset_stats(&self) {
        self.admitted.store(0, Ordering::Relaxed);
        self.rejected.store(0, Ordering::Relaxed);
    }

    /// Connections turned away by the limit since start-up.
    pub fn rejected(&self) -> u64 {
        self.rejected.load(Ordering::Relaxed)
    }
}

impl Drop for Slot {
    fn drop(&mut self) {
        self.0.in_use.fetch_sub(1, Ordering::AcqRel);
    }
}
