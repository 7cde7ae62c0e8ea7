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
use std::thread;

use crate::log::{self, Level};
use crate::sys::{self, Signal};

/// From now on SIGTERM and SIGINT log that they came and call `stop` on a
/// thread of their own, and SIGHUP is ignored. A second SIGINT while the
/// shutdown runs (a save can take a while) means "now": the process exits
/// at once with status 1, as Redis's "You insist" does. SIGPIPE needs
/// nothing: the Rust runtime ignores it before `main`, so a write to a
/// client that has gone is an error for that client's thread (`EPIPE`),
/// never the end of the process.
pub fn watch_signals<F>(stop: F) -> io::Result<()>
where
    F: FnOnce() + Send + 'static,
{
    sys::ignore_hangup()?;
    let mut signals = sys::shutdown_signals()?;
    let mut stop = Some(stop);
    thread::Builder::new()
        .name("signals".into())
        .spawn(move || {
            while let Ok(signal) = signals.wait() {
                if stop.is_none() && signal == Signal::Interrupt {
                    log::log(Level::Warning, format_args!("You insist... exiting now."));
                    std::process::exit(1);
                }
                log::log(
                    Level::Warning,
                    format_args!("Received {} scheduling shutdown...", signal.name()),
                );
                if let Some(stop) = stop.take() {
                    // Keep listening while it runs, for a second SIGINT.
                    let _ = thread::Builder::new().name("shutdown".into()).spawn(stop);
                }
            }
        })?;
    Ok(())
}

/// Stops the server: the last words in the log, then exit 0. Clients get
/// no reply; their connections close with the process.
/// Redis says "User requested shutdown" whatever asked, a signal included.
pub fn shut_down() -> ! {
    log::log(Level::Warning, format_args!("User requested shutdown..."));
    save_before_exit();
    log::log(
        Level::Warning,
        format_args!("Redis is now ready to exit, bye bye..."),
    );
    std::process::exit(0)
}

/// Where the keyspace is written to disk before the process ends (SHUTDOWN
/// SAVE, or when a save policy is configured). Nothing is persisted yet,
/// so there is nothing to write.
fn save_before_exit() {}
