//! Expiry: when keys with a TTL stop existing, and who deletes them.
//!
//! Redis uses two mechanisms together, and so do we.
//!
//! * **Passive expiry.** Every entry carries its expiry time; a command that
//!   finds an entry whose time has come treats it as absent (and, if it holds
//!   the write lock, deletes it). This alone is exact, but a key that nobody
//!   touches again would stay in memory for ever.
//! * **Active expiry.** A dedicated *reaper* thread wakes `hz` times a second
//!   and runs Redis's adaptive sampling cycle (`activeExpireCycle` in Redis's
//!   `expire.c`):
//!   1. pick up to [`KEYS_PER_SAMPLE`] random keys *among those with a TTL*;
//!   2. delete the ones that have expired;
//!   3. if more than [`REPEAT_ABOVE_PERCENT`]% of the sample had expired, many
//!      more probably have too: sample again, until the cycle's time budget
//!      ([`CYCLE_BUDGET_PERCENT`]% of the time between two cycles) is spent.
//!
//!   The reaper takes the write lock for one sample at a time, never for a
//!   whole cycle, so clients get their turn between two samples even while a
//!   million keys expire at once.

use std::collections::hash_map::RandomState;
use std::hash::{BuildHasher, Hasher};
use std::io;
use std::sync::RwLock;
use std::thread::{self, JoinHandle};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use crate::storage::{self, SharedStore, Store};

/// Keys sampled per round (Redis: `ACTIVE_EXPIRE_CYCLE_KEYS_PER_LOOP`).
pub const KEYS_PER_SAMPLE: usize = 20;

/// Sample again while more than this share of a sample had expired. Redis 7
/// makes this `active-expire-effort` dependent (10% by default); the classic
/// algorithm, and the Python workshop, use 25%.
pub const REPEAT_ABOVE_PERCENT: usize = 25;

/// Share of each cycle's period the reaper may spend deleting keys
/// (Redis: `ACTIVE_EXPIRE_CYCLE_SLOW_TIME_PERC`).
pub const CYCLE_BUDGET_PERCENT: u32 = 25;

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
    /// Number of sampling rounds.
    pub rounds: usize,
    pub sampled: usize,
    pub expired: usize,
}

/// Starts the reaper thread: one [`run_cycle`] every `1/hz` seconds, for as
/// long as the process lives.
pub fn spawn_reaper(store: SharedStore, hz: u32) -> io::Result<JoinHandle<()>> {
    let period = Duration::from_secs(1) / hz.max(1);
    let budget = period * CYCLE_BUDGET_PERCENT / 100;
    thread::Builder::new().name("reaper".into()).spawn(move || {
        let mut random = Random::new();
        loop {
            thread::sleep(period);
            run_cycle(&store, &mut random, budget);
        }
    })
}

/// One active-expiry cycle: sample, delete, and repeat while the sample was
/// stale enough and the `budget` lasts.
pub fn run_cycle(store: &RwLock<Store>, random: &mut Random, budget: Duration) -> CycleReport {
    //@ step 4: Repeat `sample_once` under the write lock while more than REPEAT_ABOVE_PERCENT of a sample had expired and the budget lasts.
    let started = Instant::now();
    let mut report = CycleReport::default();
    loop {
        let (sampled, expired) = sample_once(&mut storage::write(store), random, now_ms());
        report.rounds += 1;
        report.sampled += sampled;
        report.expired += expired;
        let stale_enough = expired * 100 > sampled * REPEAT_ABOVE_PERCENT;
        if !stale_enough || started.elapsed() >= budget {
            return report;
        }
    }
    //@ end step 4
}

/// One round under the write lock: look at up to [`KEYS_PER_SAMPLE`] random
/// keys that have a TTL and delete the expired ones. Returns (sampled, expired).
fn sample_once(store: &mut Store, random: &mut Random, now_ms: u64) -> (usize, usize) {
    //@ step 4: Up to KEYS_PER_SAMPLE times: pick a random `volatile_key`, `remove_if_expired` it; return (sampled, expired).
    let sampled = store.volatile_len().min(KEYS_PER_SAMPLE);
    let mut expired = 0;
    for _ in 0..sampled {
        let Some(key) = store.volatile_key(random.next_u64()) else {
            break;
        };
        let key = key.to_vec();
        if store.remove_if_expired(&key, now_ms) {
            expired += 1;
        }
    }
    (sampled, expired)
    //@ end step 4
}

/// A small xorshift generator: the reaper needs cheap, well-spread numbers,
/// not secrets, and std has no public random number API.
#[derive(Debug, Clone)]
pub struct Random(u64);

impl Random {
    /// Seeded from std's per-process random hash keys.
    pub fn new() -> Random {
        Random::seeded(RandomState::new().build_hasher().finish())
    }

    pub fn seeded(seed: u64) -> Random {
        Random(seed | 1)
    }

    pub fn next_u64(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        self.0 = x;
        x
    }
}

impl Default for Random {
    fn default() -> Self {
        Random::new()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cycle_repeats_while_most_samples_are_stale() {
        let store = RwLock::new(Store::new());
        let past = now_ms() - 1;
        for i in 0..1_000 {
            storage::write(&store).set(format!("k{i}").into_bytes(), vec![], Some(past), 0);
        }
        let report = run_cycle(&store, &mut Random::seeded(7), Duration::from_secs(5));
        assert!(report.rounds > 1, "{report:?}");
        assert_eq!(storage::read(&store).len(), 1_000 - report.expired);
        assert!(
            storage::read(&store).is_empty(),
            "all stale: sampling goes on until none left"
        );
    }

    #[test]
    fn a_cycle_stops_after_one_round_when_little_is_stale() {
        let store = RwLock::new(Store::new());
        let future = now_ms() + 60_000;
        for i in 0..100 {
            storage::write(&store).set(format!("k{i}").into_bytes(), vec![], Some(future), 0);
        }
        storage::write(&store).set(b"plain".to_vec(), vec![], None, 0);
        let report = run_cycle(&store, &mut Random::seeded(7), Duration::from_secs(5));
        assert_eq!(
            report,
            CycleReport {
                rounds: 1,
                sampled: 20,
                expired: 0
            }
        );
    }

    #[test]
    fn keys_without_ttl_are_never_sampled() {
        let store = RwLock::new(Store::new());
        storage::write(&store).set(b"plain".to_vec(), vec![], None, 0);
        let report = run_cycle(&store, &mut Random::seeded(1), Duration::from_secs(1));
        assert_eq!(report.sampled, 0);
    }
}
