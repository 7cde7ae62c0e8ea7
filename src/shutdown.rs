//! How the server stops: the one [`shut_down`] that SHUTDOWN and the
//! signals SIGTERM and SIGINT all end in, as in Redis (`prepareForShutdown`
//! and `finishShutdown` in its `server.c`).
//!
//! A signal handler may run between any two instructions of any thread, so
//! it cannot log, lock or save. Ours only writes the signal's number down a
//! socket ([`sys::shutdown_signals`]); the watcher thread started here reads
//! it and runs the shutdown as ordinary code, as Redis's handler only sets
//! `shutdown_asap` for its cron to act on.

use std::io;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::thread;

use crate::aof::Aof;
use crate::db::Db;
use crate::log::{self, Level};
use crate::rdb::snapshot::Persistence;
use crate::sys::{self, Signal};

/// From now on SIGTERM and SIGINT log that they came and call `stop` on a
/// thread of its own, and SIGHUP is ignored. A second SIGINT while `stop`
/// runs (a save can take a while) means "now": the process exits at once
/// with status 1, as Redis's "You insist" does. If `stop` returns (the
/// final save failed), the next signal tries again. SIGPIPE needs nothing:
/// the Rust runtime ignores it before `main`, so a write to a client that
/// has gone is an error for that client's thread (`EPIPE`), never the end
/// of the process.
pub fn watch_signals<F>(stop: F) -> io::Result<()>
where
    F: Fn() + Send + Sync + 'static,
{
    sys::ignore_hangup()?;
    let mut signals = sys::shutdown_signals()?;
    let stop = Arc::new(stop);
    let stopping = Arc::new(AtomicBool::new(false));
    thread::Builder::new()
        .name("signals".into())
        .spawn(move || {
            while let Ok(signal) = signals.wait() {
                if signal == Signal::Interrupt && stopping.load(Ordering::SeqCst) {
                    log::log(Level::Warning, format_args!("You insist... exiting now."));
                    std::process::exit(1);
                }
                log::log(
                    Level::Warning,
                    format_args!("Received {} scheduling shutdown...", signal.name()),
                );
                if stopping.swap(true, Ordering::SeqCst) {
                    continue; // a SIGTERM while one is under way
                }
                // On its own thread, so this one still hears a second SIGINT.
                let (stop, done) = (Arc::clone(&stop), Arc::clone(&stopping));
                let spawned = thread::Builder::new()
                    .name("shutdown".into())
                    .spawn(move || {
                        stop();
                        done.store(false, Ordering::SeqCst);
                    });
                if spawned.is_err() {
                    stopping.store(false, Ordering::SeqCst);
                }
            }
        })?;
    Ok(())
}

/// Stops the server: the log lines, the append-only file flushed and
/// fsynced, the final save if `save` asks for one
/// or (when it says nothing) a save policy exists, then exit 0. Clients get
/// no reply; their connections close with the process. Returns only if
/// that save failed: the server then stays up, as Redis does.
pub fn shut_down(db: &Db, persistence: &Persistence, aof: &Aof, save: Option<bool>) {
    // Redis says "User requested shutdown" whatever asked, a signal included.
    log::log(Level::Warning, format_args!("User requested shutdown..."));
    if aof.is_on() {
        log::log(
            Level::Notice,
            format_args!("Calling fsync() on the AOF file."),
        );
        aof.flush_for_shutdown();
    }
    let saved = persistence.save_for_shutdown(&db.read(), save);
    if let Err(err) = saved {
        log::log(
            Level::Warning,
            format_args!("Error trying to save the DB, can't exit: {err}"),
        );
        return;
    }
    log::log(
        Level::Warning,
        format_args!("Mini-Redis is now ready to exit, bye bye..."),
    );
    std::process::exit(0)
}
