//! The `maxclients` limit: a counting semaphore over client connections,
//! the connection counters INFO reports, and the other limits every
//! connection is held to (`timeout`, `tcp-keepalive`). At start-up,
//! [`fit_open_files_limit`] makes sure the process may open that many.

use std::sync::atomic::{AtomicU32, AtomicU64, AtomicUsize, Ordering};
use std::sync::Arc;

use crate::log::{self, Level};
use crate::sys;

/// A counting semaphore over client connections: the `maxclients` limit,
/// the connection counters INFO reports, and the idle and keepalive
/// settings, which CONFIG SET may change while clients are connected.
#[derive(Debug)]
pub struct ClientSlots {
    max: usize,
    in_use: AtomicUsize,
    admitted: AtomicU64,
    rejected: AtomicU64,
    /// `timeout`: idle seconds before a client is closed; 0: never.
    idle_timeout: AtomicU64,
    /// `tcp-keepalive`: seconds, 0: off. New connections get it.
    keepalive: AtomicU32,
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
            idle_timeout: AtomicU64::new(0),
            keepalive: AtomicU32::new(0),
        })
    }

    /// Idle seconds before a client is closed (`timeout`); 0: never.
    pub fn idle_timeout(&self) -> u64 {
        self.idle_timeout.load(Ordering::Relaxed)
    }

    pub fn set_idle_timeout(&self, seconds: u64) {
        self.idle_timeout.store(seconds, Ordering::Relaxed);
    }

    /// Keepalive interval for new connections (`tcp-keepalive`); 0: off.
    pub fn keepalive(&self) -> u32 {
        self.keepalive.load(Ordering::Relaxed)
    }

    pub fn set_keepalive(&self, seconds: u32) {
        self.keepalive.store(seconds, Ordering::Relaxed);
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

/// File descriptors kept for everything but clients: the listener, the
/// log, the signal socket, files a save may open (Redis's
/// `CONFIG_MIN_RESERVED_FDS`).
pub const RESERVED_FDS: u64 = 32;

/// What the limit on open files allows `maxclients` to be, as Redis's
/// `adjustOpenFilesLimit` decides it: raise the limit to `maxclients` +
/// [`RESERVED_FDS`] if the system lets us (trying a little lower each
/// time, 16 at a time), and if it does not, lower `maxclients` to what the
/// limit leaves, with Redis's warnings. Over the limit, a client would be
/// accepted by the kernel and then never answered; under `maxclients` it
/// gets "max number of clients reached" instead. `Err` holds the message
/// to exit with when not even one client would fit.
pub fn fit_open_files_limit(maxclients: usize) -> Result<usize, String> {
    let wanted = maxclients as u64 + RESERVED_FDS;
    let old = match sys::open_files_limit() {
        Ok((soft, _)) => soft,
        Err(err) => {
            log::log(
                Level::Warning,
                format_args!(
                    "Unable to obtain the current NOFILE limit ({}), assuming 1024 and \
                     setting the max clients configuration accordingly.",
                    sys::error_text(&err)
                ),
            );
            return Ok((1024 - RESERVED_FDS) as usize);
        }
    };
    if old >= wanted {
        return Ok(maxclients);
    }
    let mut best = wanted;
    let mut error = None;
    while best > old {
        match sys::set_open_files_limit(best) {
            Ok(()) => break,
            Err(err) => error = Some(err),
        }
        if best < 16 {
            best = old;
            break;
        }
        best -= 16;
    }
    let best = best.max(old);
    if best >= wanted {
        log::log(
            Level::Notice,
            format_args!(
                "Increased maximum number of open files to {wanted} (it was originally set to {old})."
            ),
        );
        return Ok(maxclients);
    }
    if best <= RESERVED_FDS {
        return Err(format!(
            "Your current 'ulimit -n' of {old} is not enough for the server to start. \
             Please increase your open file limit to at least {wanted}. Exiting."
        ));
    }
    let lowered = (best - RESERVED_FDS) as usize;
    let why = error.map_or_else(String::new, |err| sys::error_text(&err));
    log::log(
        Level::Warning,
        format_args!(
            "You requested maxclients of {maxclients} requiring at least {wanted} max file descriptors."
        ),
    );
    log::log(
        Level::Warning,
        format_args!("Server can't set maximum open files to {wanted} because of OS error: {why}."),
    );
    log::log(
        Level::Warning,
        format_args!(
            "Current maximum open files is {best}. maxclients has been reduced to {lowered} to \
             compensate for low ulimit. If you need higher maxclients increase 'ulimit -n'."
        ),
    );
    Ok(lowered)
}

impl Drop for Slot {
    fn drop(&mut self) {
        self.0.in_use.fetch_sub(1, Ordering::AcqRel);
    }
}
