//! The clock of the background jobs: the part of Redis's `serverCron` that
//! starts them. Ten times a second it starts a BGSAVE when the save policy
//! (or BGSAVE SCHEDULE) says one is due, and a BGREWRITEAOF that had to
//! wait behind a BGSAVE, each only while no other background job runs:
//! Redis runs one child process at a time, and clients and tools expect
//! its answers (`Background saving scheduled`, `... rewriting scheduled`)
//! and its order, though here the two walks could run side by side.

use std::io;
use std::sync::Arc;
use std::thread;
use std::time::Duration;

use crate::aof::Aof;
use crate::db::Db;
use crate::log::{self, Level};
use crate::rdb::snapshot::{Due, Persistence};

/// How often the jobs are looked at (Redis: every `serverCron`, 10 times a
/// second by default).
const TICK: Duration = Duration::from_millis(100);

/// Starts the thread.
pub fn spawn(db: Arc<Db>, persistence: Arc<Persistence>, aof: Arc<Aof>) -> io::Result<()> {
    thread::Builder::new()
        .name("cron".into())
        .spawn(move || loop {
            thread::sleep(TICK);
            tick(&db, &persistence, &aof);
        })
        .map(|_| ())
}

fn tick(db: &Db, persistence: &Arc<Persistence>, aof: &Arc<Aof>) {
    if persistence.bgsave_in_progress() || aof.rewrite_in_progress() {
        return;
    }
    // Not under the guard: a reader that holds it while `due` waits for
    // the persistence's lock would hold writers back meanwhile.
    let dirty = db.read().dirty();
    if let Some(due) = persistence.due(dirty) {
        if let Due::Rule { changes, seconds } = due {
            log::log(
                Level::Notice,
                format_args!("{changes} changes in {seconds} seconds. Saving..."),
            );
        }
        let _ = persistence.start_background(&db.read());
        return;
    }
    // Looked at under the guard: an EXEC, which holds the write guard,
    // starts the rewrite it scheduled itself.
    let store = db.read();
    if aof.rewrite_scheduled() {
        if let Err(err) = aof.start_rewrite(&store) {
            log::log(
                Level::Warning,
                format_args!("The scheduled AOF rewrite did not start: {err:?}"),
            );
        }
    }
}
