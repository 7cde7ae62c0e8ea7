//! Expiry: when keys with a TTL stop existing, and who deletes them.
//!
//! Redis uses two mechanisms together, and so do we.
//!
//! * **Passive expiry.** A command that finds a key whose time has come
//!   treats it as absent and has it deleted: a writer at once, a reader
//!   (which holds only the read lock) through the executor right after.
//!   This alone is exact, but a key that nobody touches again would stay in
//!   memory for ever.
//! * **Active expiry.** A dedicated *reaper* thread wakes `hz` times a second
//!   and runs Redis 7's adaptive cycle (`activeExpireCycle` in `expire.c`):
//!   1. walk the keys that have a TTL, [`KEYS_PER_SAMPLE`] at a time, from
//!      where the last walk stopped, deleting the expired ones;
//!   2. if more than [`ACCEPTABLE_STALE_PERCENT`]% of a sample had expired,
//!      many more probably have too: go on, until the cycle's time budget
//!      ([`CYCLE_BUDGET_PERCENT`]% of the time between two cycles) is spent;
//!   3. a cycle that ran out of budget left work behind, so short *fast*
//!      cycles ([`FAST_CYCLE`]) follow until the next one, as Redis runs them
//!      between its event loop's iterations.
//!
//!   The reaper holds the write lock for at most [`MAX_HOLD`] at a time, so
//!   clients get their turn even while a million keys expire at once. And it
//!   never *waits* for the lock: in std's futex-based `RwLock` (its
//!   implementation on Linux, not a rule of Linux) a waiting writer holds
//!   back new readers, so a reaper queued behind a long KEYS would stall
//!   every GET.

use std::io;
use std::sync::Arc;
use std::thread::{self, JoinHandle};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use crate::db::Db;
use crate::storage::{Store, Trash};

/// Keys looked at per sample (Redis: `ACTIVE_EXPIRE_CYCLE_KEYS_PER_LOOP`).
pub const KEYS_PER_SAMPLE: usize = 20;

/// Go on sampling while more than this share of a sample had expired
/// (Redis: `ACTIVE_EXPIRE_CYCLE_ACCEPTABLE_STALE`, at the default effort).
pub const ACCEPTABLE_STALE_PERCENT: usize = 10;

/// Share of each cycle's period the reaper may spend deleting keys
/// (Redis: `ACTIVE_EXPIRE_CYCLE_SLOW_TIME_PERC`).
pub const CYCLE_BUDGET_PERCENT: u32 = 25;

/// Length of a fast cycle, run every other such interval while a backlog
/// lasts (Redis: `ACTIVE_EXPIRE_CYCLE_FAST_DURATION`, 1000 µs).
pub const FAST_CYCLE: Duration = Duration::from_millis(1);

/// Longest the reaper holds the write lock at once. Ours: Redis has one
/// thread and no lock, so it has no such constant.
pub const MAX_HOLD: Duration = Duration::from_millis(1);

/// How long the reaper waits before it tries the lock again when readers
/// hold it. Long enough not to take CPU time from them.
pub const LOCK_RETRY: Duration = Duration::from_millis(1);

/// The current Unix time in milliseconds: the clock every expiry time is
/// compared with. Wall-clock time, because EXPIREAT and EXPIRETIME speak it.
pub fn now_ms() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_millis() as u64)
}

/// What one active-expiry cycle did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct CycleReport {
    /// Number of samples taken.
    pub rounds: usize,
    pub sampled: usize,
    pub expired: usize,
    /// Whether it stopped because its budget ran out, with work left.
    pub out_of_time: bool,
}

/// Where the reaper's walk over the keys with a TTL has got to.
#[derive(Debug, Default, Clone, Copy)]
pub struct Cursor(usize);

/// Starts the reaper thread: a cycle every `1/hz` seconds, and fast cycles
/// in between while a backlog lasts, for as long as the process lives.
pub fn spawn_reaper(db: Arc<Db>, hz: u32) -> io::Result<JoinHandle<()>> {
    let period = Duration::from_secs(1) / hz.max(1);
    let budget = period * CYCLE_BUDGET_PERCENT / 100;
    thread::Builder::new().name("reaper".into()).spawn(move || {
        let mut cursor = Cursor::default();
        loop {
            let next_cycle = Instant::now() + period;
            let mut report = run_cycle(&db, &mut cursor, budget);
            while report.out_of_time && Instant::now() + 2 * FAST_CYCLE < next_cycle {
                thread::sleep(FAST_CYCLE);
                report = run_cycle(&db, &mut cursor, FAST_CYCLE);
            }
            thread::sleep(next_cycle.saturating_duration_since(Instant::now()));
        }
    })
}

/// One active-expiry cycle: sample and delete while the samples are stale
/// enough and the `budget` lasts, in holds of the lock no longer than
/// [`MAX_HOLD`]. The removed values are freed between holds.
pub fn run_cycle(db: &Db, cursor: &mut Cursor, budget: Duration) -> CycleReport {
    if db.read().volatile_len() == 0 {
        return CycleReport::default(); // no key has a TTL: nothing can expire
    }
    //@ step 4: Repeat `sample_once` under the write lock (`try_write`; never wait for it) while more than ACCEPTABLE_STALE_PERCENT of a sample had expired and the budget lasts; release the lock at least every MAX_HOLD.
    //@ stub: // Until step 4 is written, the reaper does nothing: a cycle that found no work.
    //@ stub: CycleReport::default()
    let started = Instant::now();
    let mut report = CycleReport::default();
    let mut trash = Trash::default();
    loop {
        if started.elapsed() >= budget {
            // Out of time with work left, unless it never got the lock.
            report.out_of_time = report.rounds > 0;
            return report;
        }
        let Some(mut store) = db.try_write() else {
            // Readers are busy: let them be, and look again shortly.
            thread::sleep(LOCK_RETRY);
            continue;
        };
        let (held, now) = (Instant::now(), now_ms());
        let done = loop {
            let (sampled, expired) = sample_once(&mut store, cursor, now);
            report.rounds += 1;
            report.sampled += sampled;
            report.expired += expired;
            if sampled == 0 || expired * 100 <= sampled * ACCEPTABLE_STALE_PERCENT {
                break true;
            }
            if held.elapsed() >= MAX_HOLD {
                break false;
            }
        };
        store.take_trash(&mut trash);
        drop(store);
        trash.empty();
        if done {
            return report;
        }
    }
    //@ end step 4
}

/// One sample under the write lock: look at up to [`KEYS_PER_SAMPLE`] keys
/// with a TTL, from the cursor on, and delete the expired ones. Returns
/// (sampled, expired).
fn sample_once(store: &mut Store, cursor: &mut Cursor, now_ms: u64) -> (usize, usize) {
    //@ step 4: Up to KEYS_PER_SAMPLE times: wrap the cursor at `volatile_len`, `expire_slot` it (a deleted slot is taken by another key: look at it again, else move on); return (sampled, expired).
    let sampled = store.volatile_len().min(KEYS_PER_SAMPLE);
    let mut expired = 0;
    for _ in 0..sampled {
        if store.volatile_len() == 0 {
            break;
        }
        if cursor.0 >= store.volatile_len() {
            cursor.0 = 0;
        }
        if store.expire_slot(cursor.0, now_ms) {
            expired += 1;
        } else {
            cursor.0 += 1;
        }
    }
    (sampled, expired)
    //@ end step 4
}

//@ passes from step 4
#[cfg(test)]
mod tests {
    use super::*;
    use crate::bytes::Bytes;
    use crate::value::Value;

    fn fill(db: &Db, count: usize, expires_at: u64) {
        let mut store = db.write();
        for i in 0..count {
            let key = Bytes::from(format!("k{i}").into_bytes());
            store.set(
                key,
                Value::String(Bytes::from(&b"v"[..])),
                Some(expires_at),
                0,
            );
        }
    }

    #[test]
    fn a_cycle_goes_on_while_samples_are_stale() {
        let db = Db::new();
        fill(&db, 1_000, 1);
        let report = run_cycle(&db, &mut Cursor::default(), Duration::from_secs(5));
        assert!(report.rounds > 1, "{report:?}");
        assert!(
            db.read().is_empty(),
            "all stale: sampling goes on until none left"
        );
        assert_eq!(report.expired, 1_000);
    }

    #[test]
    fn a_cycle_stops_after_one_sample_when_little_is_stale() {
        let db = Db::new();
        fill(&db, 100, now_ms() + 60_000);
        let report = run_cycle(&db, &mut Cursor::default(), Duration::from_secs(5));
        assert_eq!((report.rounds, report.sampled, report.expired), (1, 20, 0));
    }

    #[test]
    fn successive_cycles_walk_on_from_the_cursor() {
        let db = Db::new();
        fill(&db, 100, now_ms() + 60_000);
        let mut cursor = Cursor::default();
        for _ in 0..5 {
            run_cycle(&db, &mut cursor, Duration::from_secs(5));
        }
        assert_eq!(cursor.0, 100, "five samples of 20 visited every key once");
    }

    #[test]
    fn the_reaper_does_not_wait_behind_a_reader() {
        let db = Db::new();
        fill(&db, 10, 1);
        let reader = db.read();
        let report = run_cycle(&db, &mut Cursor::default(), Duration::from_millis(5));
        assert_eq!(report.rounds, 0, "{report:?}");
        assert!(!report.out_of_time, "no fast cycles for want of the lock");
        drop(reader);
    }
}
