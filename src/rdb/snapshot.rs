//! Dumps on disk: SAVE, BGSAVE, the save policy, loading at start-up, and
//! the state INFO's persistence section reports.
//!
//! ## A snapshot without fork
//!
//! Redis's BGSAVE forks: the child sees the keyspace frozen at that instant
//! and writes it while the parent serves on, the kernel copying a memory
//! page only just before the parent writes to it. A thread has no such
//! trick, so the store does the copying itself, per key: BGSAVE begins a
//! *walk* of the keyspace ([`Store::begin_walk`]), and its thread copies a
//! few thousand buckets at a time under the read guard, then writes them
//! with no lock held. A writer about to change a key the walk has not
//! reached yet first keeps the key's old state for the walk (see
//! `storage/walk.rs`). The dump is the keyspace of the instant BGSAVE ran,
//! as the fork's is, and a writer waits for one step at most (plus, the
//! first time it changes a key not yet saved, for that value's copy).
//!
//! The price, against a fork: a write to a key not yet saved copies that
//! key's value (a fork copies a 4 KiB page, whatever the key), and while a
//! walk is under way the keyspace's table does not shrink.
//!
//! ## Writing safely
//!
//! A dump is written to `temp-<pid>.rdb` beside the real one, flushed to
//! the disk (`fsync`), renamed over `dump.rdb`, and the directory is then
//! flushed too, so the rename itself survives a crash. At any instant the
//! old file or the new one is whole on disk; a crash mid-save leaves at
//! worst a stray temporary file.

use std::fs::{self, File};
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::thread;
use std::time::Instant;

use super::{load, Header, Loaded, RdbWriter};
use crate::config::SaveRule;
use crate::db::{Db, EndsWalk};
use crate::log::{self, Level};
use crate::storage::{Store, WalkId};

/// How long after a failed background save the policy waits before it
/// tries again (`CONFIG_BGSAVE_RETRY_DELAY`).
const RETRY_DELAY_S: u64 = 5;

/// How a background save is given up (FLUSHALL, SHUTDOWN), as Redis kills
/// its child: its writer fails at its next write, and its temporary file is
/// removed. The giver-up holds the store's guard, so it must not wait for
/// the writer, which needs the guard for its next step; instead the writer
/// holds `landing` from its last look at the flag until its file has been
/// renamed over the dump, and the giver-up sets the flag under `landing`.
/// So a save given up never lands after the one that replaces it.
#[derive(Debug, Default)]
struct Cancel {
    given_up: AtomicBool,
    landing: Mutex<()>,
}

impl Cancel {
    fn give_up(&self) {
        let _landing = self.landing.lock().unwrap_or_else(PoisonError::into_inner);
        self.given_up.store(true, Ordering::Relaxed);
    }

    fn given_up(&self) -> bool {
        self.given_up.load(Ordering::Relaxed)
    }

    fn given_up_error() -> io::Error {
        io::Error::other("cancelled")
    }
}

/// A writer that fails once its save is given up: how a background save is
/// stopped between two writes.
struct Cancellable<'a, W> {
    out: W,
    cancel: &'a Cancel,
}

impl<W: Write> Write for Cancellable<'_, W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        if self.cancel.given_up() {
            return Err(Cancel::given_up_error());
        }
        self.out.write(buf)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.out.flush()
    }
}

/// Why a background save is due ([`Persistence::due`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Due {
    /// A save rule: this many changes in this many seconds (which Redis
    /// logs before it saves).
    Rule { changes: u64, seconds: u64 },
    /// BGSAVE SCHEDULE, or BGSAVE inside EXEC (Redis logs nothing then).
    Scheduled,
}

/// Why BGSAVE did not start.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BgsaveRefused {
    /// One is running already.
    InProgress,
}

/// A background save under way.
#[derive(Debug, Clone)]
struct Running {
    started: Instant,
    /// The change count when its snapshot was taken.
    dirty_at_start: u64,
    /// How it is given up (FLUSHALL, SHUTDOWN): the temporary file is
    /// removed, the dump left alone.
    cancel: Arc<Cancel>,
}

/// How a background save ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Ended {
    Saved,
    Failed,
    /// Given up on purpose: not a failure, as Redis does not count a child
    /// it killed itself.
    Cancelled,
}

/// Where dumps go, the policy, and what happened to the saves so far.
#[derive(Debug)]
pub struct Persistence {
    /// The dump's file name, in the working directory (`dbfilename`).
    pub dbfilename: String,
    state: Mutex<State>,
    /// The keyspace, which a background save walks a step at a time.
    db: Arc<Db>,
    /// Held by a save on the caller's thread (SAVE, FLUSHALL's, SHUTDOWN's):
    /// SAVE needs only the read guard, so two clients may save at once, and
    /// they would write the same temporary file; Redis, one thread, saves
    /// one after the other.
    saving: Mutex<()>,
    /// Whether writes are refused with MISCONF: the last background save
    /// failed, a save policy exists and `stop-writes-on-bgsave-error` is
    /// on (Redis's `writeCommandsDeniedByDiskError`). Kept apart from the
    /// state so that every request can look at it without a lock.
    refusing_writes: AtomicBool,
}

#[derive(Debug)]
struct State {
    policy: Vec<SaveRule>,
    /// Unix seconds of the last successful save, or of start-up (LASTSAVE).
    last_save_s: u64,
    /// The change count the last successful save had written.
    dirty_at_last_save: u64,
    running: Option<Running>,
    /// BGSAVE SCHEDULE asked for one once the running one ends.
    scheduled: bool,
    last_bgsave_ok: bool,
    /// Unix seconds of the last background save's start, for the retry delay.
    last_bgsave_try_s: u64,
    last_bgsave_seconds: Option<u64>,
    /// `stop-writes-on-bgsave-error` (on by default, as Redis's).
    stop_writes_on_error: bool,
    saves: u64,
    last_load: (u64, u64),
}

/// What INFO's persistence section shows of the RDB side.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Report {
    pub changes_since_last_save: u64,
    pub bgsave_in_progress: bool,
    pub last_save_s: u64,
    pub last_bgsave_ok: bool,
    pub last_bgsave_seconds: Option<u64>,
    pub current_bgsave_seconds: Option<u64>,
    pub saves: u64,
    pub last_load_keys_loaded: u64,
    pub last_load_keys_expired: u64,
}

fn unix_s() -> u64 {
    crate::expiry::now_ms() / 1000
}

impl Persistence {
    pub fn new(dbfilename: String, policy: Vec<SaveRule>, db: Arc<Db>) -> Persistence {
        Persistence {
            dbfilename,
            db,
            saving: Mutex::new(()),
            state: Mutex::new(State {
                policy,
                last_save_s: unix_s(),
                dirty_at_last_save: 0,
                running: None,
                scheduled: false,
                last_bgsave_ok: true,
                last_bgsave_try_s: 0,
                last_bgsave_seconds: None,
                stop_writes_on_error: true,
                saves: 0,
                last_load: (0, 0),
            }),
            refusing_writes: AtomicBool::new(false),
        }
    }

    fn state(&self) -> std::sync::MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    pub fn policy(&self) -> Vec<SaveRule> {
        self.state().policy.clone()
    }

    /// CONFIG SET save.
    pub fn set_policy(&self, policy: Vec<SaveRule>) {
        let mut state = self.state();
        state.policy = policy;
        self.update_refusal(&state);
    }

    /// CONFIG GET stop-writes-on-bgsave-error.
    pub fn stop_writes_on_error(&self) -> bool {
        self.state().stop_writes_on_error
    }

    /// CONFIG SET stop-writes-on-bgsave-error.
    pub fn set_stop_writes_on_error(&self, yes: bool) {
        let mut state = self.state();
        state.stop_writes_on_error = yes;
        self.update_refusal(&state);
    }

    /// Whether writes (and PING) get MISCONF now.
    pub fn refusing_writes(&self) -> bool {
        self.refusing_writes.load(Ordering::Relaxed)
    }

    fn update_refusal(&self, state: &State) {
        let refuse =
            state.stop_writes_on_error && !state.policy.is_empty() && !state.last_bgsave_ok;
        self.refusing_writes.store(refuse, Ordering::Relaxed);
    }

    /// LASTSAVE: Unix seconds of the last successful save.
    pub fn last_save_s(&self) -> u64 {
        self.state().last_save_s
    }

    pub fn bgsave_in_progress(&self) -> bool {
        self.state().running.is_some()
    }

    /// What INFO shows, given the store's change count now.
    pub fn report(&self, dirty: u64) -> Report {
        let state = self.state();
        Report {
            changes_since_last_save: dirty.saturating_sub(state.dirty_at_last_save),
            bgsave_in_progress: state.running.is_some(),
            last_save_s: state.last_save_s,
            last_bgsave_ok: state.last_bgsave_ok,
            last_bgsave_seconds: state.last_bgsave_seconds,
            current_bgsave_seconds: state
                .running
                .as_ref()
                .map(|r| r.started.elapsed().as_secs()),
            saves: state.saves,
            last_load_keys_loaded: state.last_load.0,
            last_load_keys_expired: state.last_load.1,
        }
    }

    /// The dump's path, in the working directory.
    pub fn path(&self) -> PathBuf {
        PathBuf::from(&self.dbfilename)
    }

    /// The SAVE command's save: counted in `rdb_saves` before it is tried,
    /// as Redis counts it (the saves of FLUSHALL and SHUTDOWN are not).
    pub fn save_command(&self, store: &Store) -> io::Result<()> {
        self.state().saves += 1;
        self.save(store)
    }

    /// SAVE: writes `store` now, on this thread. The caller holds the read
    /// lock, so the file is the keyspace of this instant.
    pub fn save(&self, store: &Store) -> io::Result<()> {
        let _one_at_a_time = self.saving.lock().unwrap_or_else(PoisonError::into_inner);
        let now_ms = crate::expiry::now_ms();
        let temp = format!("temp-{}.rdb", std::process::id());
        let result = write_file(&temp, &self.path(), |out| {
            super::write_store(store, out, false, now_ms)
        });
        match &result {
            Ok(()) => {
                log::log(Level::Notice, format_args!("DB saved on disk"));
                let mut state = self.state();
                state.last_save_s = now_ms / 1000;
                state.dirty_at_last_save = store.dirty_with_pending();
                state.last_bgsave_ok = true;
                self.update_refusal(&state);
            }
            Err(err) => log_failed_save(&temp, err),
        }
        result
    }

    /// FLUSHALL's save, when a save policy exists: the background save
    /// under way (of the keys just flushed) is given up first, so that it
    /// cannot put them back on disk after this one.
    pub fn save_flushed(&self, store: &Store) -> io::Result<()> {
        self.give_up_background();
        if self.state().policy.is_empty() {
            return Ok(());
        }
        self.save(store)
    }

    /// BGSAVE: begins a walk of `store` (the caller holds the read guard)
    /// and writes it on a thread of its own. Refused while one runs, even
    /// with SCHEDULE, as Redis refuses it: Redis schedules a BGSAVE only
    /// behind another kind of background job (see [`Persistence::schedule`]).
    pub fn start_background(self: &Arc<Self>, store: &Store) -> Result<(), BgsaveRefused> {
        let mut state = self.state();
        if state.running.is_some() {
            return Err(BgsaveRefused::InProgress);
        }
        let (walk, sizes) = store.begin_walk();
        let cancel = Arc::new(Cancel::default());
        state.running = Some(Running {
            started: Instant::now(),
            dirty_at_start: store.dirty(),
            cancel: Arc::clone(&cancel),
        });
        state.scheduled = false;
        state.last_bgsave_try_s = unix_s();
        // Counted when it starts, as Redis counts `rdb_saves`.
        state.saves += 1;
        drop(state);
        log::log(
            Level::Notice,
            format_args!("Background saving started by pid {}", std::process::id()),
        );
        let persistence = Arc::clone(self);
        let spawned = thread::Builder::new()
            .name("bgsave".into())
            .spawn(move || persistence.write_background(walk, sizes, &cancel));
        if spawned.is_err() {
            drop(store.end_walk(walk));
            self.background_done(Ended::Failed);
        }
        Ok(())
    }

    /// Asks for a BGSAVE as soon as no background job runs and the retry
    /// delay allows (BGSAVE behind a rewrite, or inside EXEC): the `cron`
    /// thread starts it.
    pub fn schedule(&self) {
        self.state().scheduled = true;
    }

    /// The background thread's work: write the walk, then record how it went.
    fn write_background(&self, walk: WalkId, sizes: (usize, usize), cancel: &Cancel) {
        let ends = EndsWalk::new(&self.db, walk);
        let now_ms = crate::expiry::now_ms();
        let temp = background_temp_name();
        let mut landing = None;
        let result = write_file(&temp, &self.path(), |out| {
            self.write_walk(
                walk,
                sizes,
                Cancellable {
                    out: &mut *out,
                    cancel,
                },
                now_ms,
            )?;
            // On the disk before the landing lock is taken: a giver-up may
            // wait for it.
            out.flush()?;
            out.get_ref().sync_all()?;
            let guard = cancel
                .landing
                .lock()
                .unwrap_or_else(PoisonError::into_inner);
            if cancel.given_up() {
                return Err(Cancel::given_up_error());
            }
            landing = Some(guard);
            Ok(())
        });
        drop((landing, ends));
        let ended = match &result {
            Err(_) if cancel.given_up() => {
                log::log(
                    Level::Warning,
                    format_args!("Background saving stopped: a newer save replaces it"),
                );
                Ended::Cancelled
            }
            Ok(()) => {
                log::log(Level::Notice, format_args!("DB saved on disk"));
                log::log(
                    Level::Notice,
                    format_args!("Background saving terminated with success"),
                );
                Ended::Saved
            }
            Err(err) => {
                log_failed_save(&temp, err);
                log::log(Level::Warning, format_args!("Background saving error"));
                Ended::Failed
            }
        };
        self.background_done(ended);
    }

    /// Writes walk `walk` of the keyspace as a dump ([`Db::walk`]: no lock
    /// is held while keys are encoded and written).
    fn write_walk(
        &self,
        walk: WalkId,
        sizes: (usize, usize),
        out: impl Write,
        now_ms: u64,
    ) -> io::Result<()> {
        let header = Header {
            created_s: now_ms / 1000,
            aof_base: false,
        };
        let mut rdb = RdbWriter::begin(out, sizes, header);
        self.db
            .walk(walk, |key, value, at| rdb.record(key, value, at))?;
        rdb.finish()
    }

    fn background_done(&self, ended: Ended) {
        let mut state = self.state();
        let Some(running) = state.running.take() else {
            return;
        };
        if ended == Ended::Cancelled {
            return;
        }
        state.last_bgsave_ok = ended == Ended::Saved;
        state.last_bgsave_seconds = Some(running.started.elapsed().as_secs());
        if ended == Ended::Saved {
            state.last_save_s = unix_s();
            state.dirty_at_last_save = running.dirty_at_start;
        }
        self.update_refusal(&state);
    }

    /// Makes the background save under way, if any, give up: it will not
    /// land, and its temporary file is removed now (its thread may still be
    /// writing it, but the process may be about to exit). Its thread ends
    /// at its next step; the caller holds the store's guard, so waiting for
    /// it here would wait for ever.
    fn give_up_background(&self) {
        let state = self.state();
        if let Some(running) = &state.running {
            running.cancel.give_up();
            let _ = fs::remove_file(background_temp_name());
        }
    }

    /// `serverCron`'s rule: which rule says a background save is due, if
    /// any, given the change count now. After a failed save, none for
    /// `RETRY_DELAY_S` seconds.
    pub fn due(&self, dirty: u64) -> Option<Due> {
        let state = self.state();
        if state.running.is_some() {
            return None;
        }
        let now = unix_s();
        let may_retry = state.last_bgsave_ok || now - state.last_bgsave_try_s > RETRY_DELAY_S;
        if !may_retry {
            return None;
        }
        let changes = dirty.saturating_sub(state.dirty_at_last_save);
        let since = now.saturating_sub(state.last_save_s);
        if state.scheduled {
            return Some(Due::Scheduled);
        }
        state
            .policy
            .iter()
            .any(|rule| changes >= rule.changes && since > rule.seconds)
            .then_some(Due::Rule {
                changes,
                seconds: since,
            })
    }

    /// SHUTDOWN's save (and the signals'): writes the dump if `save` says
    /// so or, when it says nothing, if there is a save policy. A background
    /// save still running is given up first, as Redis kills its child, so
    /// that its older snapshot cannot land after this one.
    pub fn save_for_shutdown(&self, store: &Store, save: Option<bool>) -> io::Result<()> {
        // Given up even with NOSAVE, as Redis kills its child and removes
        // the child's temporary file whatever SHUTDOWN was told.
        self.give_up_background();
        let wanted = save.unwrap_or_else(|| !self.state().policy.is_empty());
        if !wanted {
            return Ok(());
        }
        log::log(
            Level::Notice,
            format_args!("Saving the final RDB snapshot before exiting."),
        );
        self.save(store)
    }

    /// Loads the dump at start-up, if there is one, into a new store. A
    /// damaged file is an error naming the file, the offset and the reason:
    /// the server must not start with part of its data.
    pub fn load_at_start(&self) -> Result<Store, String> {
        let path = self.path();
        let file = match File::open(&path) {
            Ok(file) => file,
            Err(err) if err.kind() == io::ErrorKind::NotFound => return Ok(Store::new()),
            Err(err) => return Err(format!("Can't open {}: {err}", path.display())),
        };
        let started = Instant::now();
        let mut store = Store::new();
        let now_ms = crate::expiry::now_ms();
        let loaded = load(file, &mut store, now_ms).map_err(|err| {
            format!(
                "Bad RDB file {} at offset {}: {}",
                path.display(),
                err.offset,
                err.reason
            )
        })?;
        // What the file held is not a change to be saved again.
        store.settle_changes(false);
        log_loaded(&loaded, now_ms);
        log::log(
            Level::Notice,
            format_args!(
                "DB loaded from disk: {:.3} seconds",
                started.elapsed().as_secs_f64()
            ),
        );
        self.state().last_load = (loaded.keys_loaded, loaded.keys_expired);
        Ok(store)
    }
}

fn log_loaded(loaded: &Loaded, now_ms: u64) {
    if let Some(version) = &loaded.written_by {
        log::log(
            Level::Notice,
            format_args!("Loading RDB produced by version {version}"),
        );
    }
    if let Some(created) = loaded.created_s {
        let age = (now_ms / 1000).saturating_sub(created);
        log::log(Level::Notice, format_args!("RDB age {age} seconds"));
    }
    log::log(
        Level::Notice,
        format_args!(
            "Done loading RDB, keys loaded: {}, keys expired: {}.",
            loaded.keys_loaded, loaded.keys_expired
        ),
    );
}

fn log_failed_save(temp: &str, err: &io::Error) {
    // Redis says "unknown" when the directory itself is gone.
    let dir = std::env::current_dir()
        .map_or_else(|_| "unknown".to_string(), |dir| dir.display().to_string());
    log::log(
        Level::Warning,
        format_args!("Failed saving the DB ({temp} in server root dir {dir}): {err}"),
    );
}

/// Writes a file safely: into `temp`, flushed to disk, renamed over
/// `path`, then the directory flushed, so that a crash at any point leaves
/// the old file or the new one whole. `temp` is removed on failure.
pub fn write_file(
    temp: &str,
    path: &Path,
    fill: impl FnOnce(&mut BufWriter<&File>) -> io::Result<()>,
) -> io::Result<()> {
    //@ step 9: Write through `fill` into `temp`, fsync it, rename it over `path`, then fsync the directory; on any error remove `temp`.
    let attempt = || -> io::Result<()> {
        let file = File::create(temp)?;
        let mut out = BufWriter::with_capacity(1 << 16, &file);
        fill(&mut out)?;
        out.flush()?;
        drop(out);
        file.sync_all()?;
        fs::rename(temp, path)?;
        let dir = match path.parent() {
            Some(parent) if !parent.as_os_str().is_empty() => parent.to_path_buf(),
            _ => PathBuf::from("."),
        };
        File::open(dir)?.sync_all()
    };
    let result = attempt();
    if result.is_err() {
        let _ = fs::remove_file(temp);
    }
    result
    //@ end step 9
}

/// The file a background save writes before it is renamed over the dump.
fn background_temp_name() -> String {
    format!("temp-bg-{}.rdb", std::process::id())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_rule_is_due_after_its_changes_and_seconds_and_not_while_one_runs() {
        let persistence = Persistence::new(
            "d.rdb".into(),
            vec![SaveRule {
                seconds: 1,
                changes: 2,
            }],
            Arc::default(),
        );
        persistence.state().last_save_s = unix_s() - 5;
        assert_eq!(persistence.due(1), None, "one change is not enough");
        assert!(persistence.due(2).is_some());
        {
            let mut state = persistence.state();
            state.running = Some(running(2));
            state.last_bgsave_try_s = unix_s();
        }
        assert_eq!(persistence.due(5), None);
        persistence.background_done(Ended::Failed);
        assert_eq!(
            persistence.due(5),
            None,
            "a failed save waits before the retry"
        );
        persistence.state().last_bgsave_try_s = unix_s() - RETRY_DELAY_S - 1;
        let due = persistence.due(5);
        assert!(matches!(due, Some(Due::Rule { changes: 5, .. })), "{due:?}");
        persistence.schedule();
        assert_eq!(
            persistence.due(0),
            Some(Due::Scheduled),
            "logged as no rule"
        );
    }

    fn running(dirty_at_start: u64) -> Running {
        Running {
            started: Instant::now(),
            dirty_at_start,
            cancel: Arc::default(),
        }
    }

    #[test]
    fn writes_are_refused_after_a_failed_background_save_while_a_policy_asks() {
        let rule = SaveRule {
            seconds: 3600,
            changes: 1,
        };
        let persistence = Persistence::new("d.rdb".into(), vec![rule], Arc::default());
        let fail = |persistence: &Persistence| {
            persistence.state().running = Some(running(0));
            persistence.background_done(Ended::Failed);
        };
        assert!(!persistence.refusing_writes());
        fail(&persistence);
        assert!(persistence.refusing_writes());
        persistence.set_stop_writes_on_error(false);
        assert!(!persistence.refusing_writes());
        persistence.set_stop_writes_on_error(true);
        assert!(persistence.refusing_writes());
        persistence.set_policy(Vec::new());
        assert!(!persistence.refusing_writes(), "no policy, no refusal");
        persistence.set_policy(vec![rule]);
        assert!(persistence.refusing_writes());
        // A save given up on purpose is no failure, and changes nothing.
        persistence.state().running = Some(running(0));
        persistence.background_done(Ended::Cancelled);
        assert!(persistence.refusing_writes());
        persistence.state().running = Some(running(0));
        persistence.background_done(Ended::Saved);
        assert!(!persistence.refusing_writes(), "a good save lifts it");
    }
}
