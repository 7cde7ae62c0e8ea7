//! The append-only file (AOF), in Redis 7's multi-part layout: every write
//! is logged as the command that replays it, and the log is replayed at
//! start-up.
//!
//! ```text
//! appendonlydir/
//!   appendonly.aof.manifest     which files, in which order   (manifest)
//!   appendonly.aof.1.base.aof   a snapshot, from the last rewrite (rewrite)
//!   appendonly.aof.1.incr.aof   every write since               (propagate)
//! ```
//!
//! A write's way to the disk:
//!
//! 1. the command runs under the store's write guard; what it changed is
//!    noted in the store as the words of a command ([`propagate`]);
//! 2. still under that guard, the executor [`Aof::append`]s them to a
//!    buffer in memory, so the log's order is the order of the writes;
//! 3. the writer thread ([`fsync`]) writes the buffer to the incr file and
//!    fsyncs it as `appendfsync` says; with `always`, the client waits for
//!    that fsync before it replies ([`Aof::wait_fsynced`]).
//!
//! BGREWRITEAOF ([`rewrite`]) starts a new incr file and writes a new base
//! from a snapshot; the manifest then names them, and the old files go.
//! At start-up, [`load`] replays the base and the incr files.

pub mod fsync;
pub mod load;
pub mod manifest;
pub mod propagate;
pub mod rewrite;

use std::fs::{self, File, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicU8, Ordering};
use std::sync::{Arc, Condvar, Mutex, MutexGuard, PoisonError};
use std::time::{Duration, Instant};

use crate::config::{format_yes_no, AofConfig, Fsync};
use crate::db::Db;
use crate::log::{self, Level};
use crate::protocol::Request;
use crate::storage::Store;
use crate::sys::error_text;
use manifest::Manifest;

/// The append-only file of a running server. Shared by every client
/// thread, the writer thread and a rewrite's thread.
#[derive(Debug)]
pub struct Aof {
    /// The directory of the manifest, base and incr files (`appenddirname`).
    dir: PathBuf,
    /// The working directory (`dir`), where a rewrite writes its temporary file.
    work_dir: PathBuf,
    /// `appendfilename`: the stem of every name in `dir`.
    stem: String,
    /// Whether writes are logged: read by every command, so an atomic,
    /// changed only with `io` and `state` held.
    on: AtomicBool,
    fsync: AtomicU8,
    use_rdb_preamble: AtomicBool,
    load_truncated: bool,
    /// An EXEC is running (Redis's `server.in_exec`): set and cleared under
    /// the store's write guard, so no other command can see it set.
    in_exec: AtomicBool,
    /// BGREWRITEAOF inside EXEC: the rewrite starts once EXEC is done.
    scheduled: AtomicBool,
    /// The last write to the file failed: writes are refused with MISCONF
    /// until one succeeds. An atomic, because every request looks at it.
    write_failing: AtomicBool,
    state: Mutex<State>,
    /// The writer thread waits here for something to write.
    work: Condvar,
    /// Clients of `appendfsync always` wait here for their fsync.
    synced: Condvar,
    /// The incr file being written. Held while writing it, so a switch to
    /// a new file waits for a write in flight; taken before `state`.
    io: Mutex<Io>,
    /// The keyspace, which a rewrite walks a step at a time.
    db: Arc<Db>,
}

/// What the writer thread writes to.
#[derive(Debug, Default)]
pub struct Io {
    pub file: Option<File>,
}

/// The log's progress, counted in bytes since the server started: what was
/// appended, written to the file, fsynced.
#[derive(Debug, Default)]
struct State {
    buffer: Vec<u8>,
    appended: u64,
    written: u64,
    fsynced: u64,
    /// The writer thread waits for work, and needs waking.
    writer_idle: bool,
    /// A new incr file starts with `SELECT 0`, as Redis's do.
    select_needed: bool,
    manifest: Manifest,
    /// Sizes for INFO: the base file, and base plus incr files.
    base_size: u64,
    current_size: u64,
    /// Why the last write to the file failed, in `strerror`'s words, if
    /// it did (INFO's `aof_last_write_status`, MISCONF's reason).
    write_error: Option<String>,
    /// When a failed write was last logged: Redis logs one every
    /// `AOF_WRITE_LOG_ERROR_RATE` seconds, not one per retry.
    write_error_logged: Option<Instant>,
    delayed_fsyncs: u64,
    rewrite: rewrite::Progress,
}

/// How often a write error that goes on is logged again.
const WRITE_ERROR_LOG_EVERY: Duration = Duration::from_secs(30);

/// The words of `SELECT 0`, which starts every incr file, as Redis's do.
const SELECT_0: &[u8] = b"*2\r\n$6\r\nSELECT\r\n$1\r\n0\r\n";

fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

impl Aof {
    /// The AOF as configured, not opened yet (see [`Aof::load`] and [`Aof::open_on_start`]).
    pub fn new(config: &AofConfig, work_dir: &Path, db: Arc<Db>) -> Aof {
        Aof {
            db,
            dir: work_dir.join(&config.dirname),
            work_dir: work_dir.to_path_buf(),
            stem: config.filename.clone(),
            on: AtomicBool::new(false),
            fsync: AtomicU8::new(config.fsync as u8),
            use_rdb_preamble: AtomicBool::new(config.use_rdb_preamble),
            load_truncated: config.load_truncated,
            in_exec: AtomicBool::new(false),
            scheduled: AtomicBool::new(false),
            write_failing: AtomicBool::new(false),
            state: Mutex::default(),
            work: Condvar::new(),
            synced: Condvar::new(),
            io: Mutex::default(),
        }
    }

    /// Whether writes are being logged.
    pub fn is_on(&self) -> bool {
        self.on.load(Ordering::Relaxed)
    }

    fn set_on(&self, on: bool) {
        self.on.store(on, Ordering::Relaxed);
    }

    /// Logs the writes `store` noted under the guard the caller holds (see
    /// [`Aof::append`]).
    pub fn log(&self, store: &mut Store) -> Option<u64> {
        store
            .propagated()
            .and_then(|propagated| self.append(propagated))
    }

    /// EXEC starts or ends; the caller holds the store's write guard.
    pub fn set_in_exec(&self, running: bool) {
        self.in_exec.store(running, Ordering::Relaxed);
    }

    /// Whether an EXEC is running (BGSAVE inside one is only scheduled).
    pub fn in_exec(&self) -> bool {
        self.in_exec.load(Ordering::Relaxed)
    }

    /// Asks for a rewrite once EXEC is over (the executor starts it) and no
    /// background job runs (or the `cron` thread starts it).
    pub fn schedule_rewrite(&self) {
        self.scheduled.store(true, Ordering::Relaxed);
    }

    /// Whether a rewrite waits to start ([`Aof::start_rewrite`] clears it).
    pub fn rewrite_scheduled(&self) -> bool {
        self.scheduled.load(Ordering::Relaxed)
    }

    /// Where the log ends now, if it is on.
    pub fn appended(&self) -> Option<u64> {
        self.is_on().then(|| lock(&self.state).appended)
    }

    pub fn fsync_policy(&self) -> Fsync {
        match self.fsync.load(Ordering::Relaxed) {
            x if x == Fsync::Always as u8 => Fsync::Always,
            x if x == Fsync::No as u8 => Fsync::No,
            _ => Fsync::EverySec,
        }
    }

    pub fn set_fsync_policy(&self, policy: Fsync) {
        self.fsync.store(policy as u8, Ordering::Relaxed);
        self.work.notify_one();
    }

    pub fn use_rdb_preamble(&self) -> bool {
        self.use_rdb_preamble.load(Ordering::Relaxed)
    }

    pub fn set_use_rdb_preamble(&self, yes: bool) {
        self.use_rdb_preamble.store(yes, Ordering::Relaxed);
    }

    /// Logs the writes the store noted, emptying the list. The caller holds
    /// the store's write guard, so the log has the writes in the order they
    /// were applied. Returns where the log ends now, for
    /// [`Aof::wait_fsynced`]; `None` if nothing was logged.
    pub fn append(&self, propagated: &mut Vec<Request>) -> Option<u64> {
        if propagated.is_empty() {
            return None;
        }
        let mut state = lock(&self.state);
        if !self.is_on() {
            propagated.clear();
            return None;
        }
        let before = state.buffer.len();
        if state.select_needed {
            state.buffer.extend_from_slice(SELECT_0);
            state.select_needed = false;
        }
        for words in propagated.drain(..) {
            propagate::encode(&mut state.buffer, &words);
        }
        state.appended += (state.buffer.len() - before) as u64;
        if state.writer_idle {
            state.writer_idle = false;
            self.work.notify_one();
        }
        Some(state.appended)
    }

    /// With `appendfsync always`, waits until the log is fsynced up to
    /// `end`: the reply to a write is sent only once it is on the disk.
    pub fn wait_fsynced(&self, end: Option<u64>) {
        let Some(end) = end else { return };
        if self.fsync_policy() != Fsync::Always {
            return;
        }
        let mut state = lock(&self.state);
        while self.is_on() && state.fsynced < end {
            state = self
                .synced
                .wait(state)
                .unwrap_or_else(PoisonError::into_inner);
        }
    }

    // The writer thread's side (see `fsync`).

    /// Waits until there is something to write, or `idle` has passed.
    fn wait_for_work(&self, idle: Duration) {
        let mut state = lock(&self.state);
        if state.buffer.is_empty() {
            state.writer_idle = true;
            (state, _) = self
                .work
                .wait_timeout(state, idle)
                .unwrap_or_else(PoisonError::into_inner);
            state.writer_idle = false;
        }
    }

    fn lock_io(&self) -> MutexGuard<'_, Io> {
        lock(&self.io)
    }

    /// Swaps the buffer for `chunk` (empty), and says where the log ends
    /// with it.
    fn take_buffer(&self, chunk: &mut Vec<u8>) -> u64 {
        let mut state = lock(&self.state);
        std::mem::swap(&mut state.buffer, chunk);
        state.appended
    }

    fn written(&self, bytes: u64, end: u64) {
        let mut state = lock(&self.state);
        state.written = end;
        state.current_size += bytes;
        if state.write_error.take().is_some() {
            self.write_failing.store(false, Ordering::Relaxed);
            log::log(
                Level::Warning,
                format_args!("AOF write error looks solved, Redis can write again."),
            );
        }
    }

    /// Why writes must be refused, if the last write to the file failed
    /// while the AOF is on (Redis's `aof_last_write_status`).
    pub fn write_error(&self) -> Option<String> {
        if !self.write_failing.load(Ordering::Relaxed) || !self.is_on() {
            return None;
        }
        lock(&self.state).write_error.clone()
    }

    fn has_unsynced(&self, end: u64) -> bool {
        lock(&self.state).fsynced < end
    }

    fn fsynced(&self, end: u64) {
        let mut state = lock(&self.state);
        state.fsynced = state.fsynced.max(end);
        drop(state);
        self.synced.notify_all();
    }

    /// A write failed (the disk is full, say) after `written` bytes of
    /// `chunk`: those are cut off the file again if it can be, so that the
    /// retry does not log them twice; what is not in the file goes back in
    /// front of the buffer, to be tried again, and writes are refused until
    /// it is. With `always`, Redis cannot keep its promise any more, and
    /// exits.
    fn write_failed(
        &self,
        file: &File,
        (written, err): (usize, io::Error),
        chunk: &mut Vec<u8>,
        policy: Fsync,
    ) {
        let mut kept = 0;
        let mut state = lock(&self.state);
        let quiet = state
            .write_error_logged
            .is_some_and(|at| at.elapsed() < WRITE_ERROR_LOG_EVERY);
        if written == 0 && !quiet {
            state.write_error_logged = Some(Instant::now());
            log::log(
                Level::Warning,
                format_args!("Error writing to the AOF file: {}", error_text(&err)),
            );
        } else if written > 0 {
            log::log(
                Level::Warning,
                format_args!(
                    "Short write while writing to the AOF file: (nwritten={written}, expected={})",
                    chunk.len()
                ),
            );
            let cut = file
                .metadata()
                .and_then(|meta| file.set_len(meta.len() - written as u64));
            if let Err(cut_err) = cut {
                log::log(
                    Level::Warning,
                    format_args!(
                        "Could not remove short write from the append-only file. Redis may refuse to load the AOF the next time it starts. ftruncate: {}",
                        error_text(&cut_err)
                    ),
                );
                kept = written;
            }
        }
        if policy == Fsync::Always {
            log::log(
                Level::Warning,
                format_args!(
                    "Can't recover from AOF write error when the AOF fsync policy is 'always'. Exiting..."
                ),
            );
            std::process::exit(1);
        }
        state.write_error = Some(error_text(&err));
        self.write_failing.store(true, Ordering::Relaxed);
        state.current_size += kept as u64;
        chunk.drain(..kept);
        chunk.append(&mut state.buffer);
        std::mem::swap(&mut state.buffer, chunk);
    }

    fn note_delayed_fsync(&self) {
        lock(&self.state).delayed_fsyncs += 1;
    }

    /// Writes whatever is buffered to the current file and fsyncs it (a
    /// switch of files, SHUTDOWN). The caller holds `io`.
    fn flush_locked(&self, io: &mut Io, state: &mut State) -> io::Result<()> {
        if let Some(file) = io.file.as_mut() {
            let bytes = state.buffer.len() as u64;
            file.write_all(&state.buffer)?;
            state.buffer.clear();
            state.current_size += bytes;
            file.sync_data()?;
            state.written = state.appended;
            state.fsynced = state.appended;
            self.synced.notify_all();
        }
        Ok(())
    }

    /// SHUTDOWN: the log is flushed and fsynced before the process exits.
    pub fn flush_for_shutdown(&self) {
        let mut io = self.lock_io();
        let mut state = lock(&self.state);
        if let Err(err) = self.flush_locked(&mut io, &mut state) {
            log::log(
                Level::Warning,
                format_args!(
                    "Error flushing the AOF file at shutdown: {}",
                    error_text(&err)
                ),
            );
        }
    }

    /// Ends the current incr file and starts a new one, listed in the
    /// manifest (Redis's `openNewIncrAofForAppend`): what was logged so far
    /// is in the old files, what comes next in the new one.
    fn switch_incr(&self, io: &mut Io, state: &mut State) -> io::Result<()> {
        self.flush_locked(io, state)?;
        let mut manifest = state.manifest.clone();
        let name = manifest.new_incr(&self.stem);
        let file = self.create(&name)?;
        manifest.persist(&self.dir, &self.stem)?;
        state.manifest = manifest;
        io.file = Some(file);
        state.select_needed = true;
        log::log(
            Level::Notice,
            format_args!("Creating AOF incr file {name} on background rewrite"),
        );
        Ok(())
    }

    /// Opens `name` in the AOF directory for appending, creating it.
    fn create(&self, name: &str) -> io::Result<File> {
        OpenOptions::new()
            .append(true)
            .create(true)
            .open(self.dir.join(name))
    }

    /// CONFIG SET appendonly no: the file is flushed and closed; nothing
    /// more is logged.
    pub fn stop(&self) {
        let mut io = self.lock_io();
        let mut state = lock(&self.state);
        if let Err(err) = self.flush_locked(&mut io, &mut state) {
            log::log(
                Level::Warning,
                format_args!("Fail to fsync the AOF file: {err}"),
            );
        }
        io.file = None;
        self.set_on(false);
        state.select_needed = false;
        self.synced.notify_all();
    }

    /// The settings CONFIG GET reports, with their current values.
    pub fn config_values(&self) -> Vec<(&'static str, String)> {
        vec![
            ("appendonly", format_yes_no(self.is_on())),
            ("appendfsync", self.fsync_policy().name().to_string()),
            ("appendfilename", self.stem.clone()),
            (
                "appenddirname",
                self.dir
                    .file_name()
                    .map_or_else(String::new, |n| n.to_string_lossy().into_owned()),
            ),
            (
                "aof-use-rdb-preamble",
                format_yes_no(self.use_rdb_preamble()),
            ),
            ("aof-load-truncated", format_yes_no(self.load_truncated)),
        ]
    }

    /// INFO's AOF fields of the persistence section, as Redis 7.0 prints them.
    pub fn info(&self, out: &mut String) {
        let state = lock(&self.state);
        let progress = &state.rewrite;
        let status = |ok: bool| if ok { "ok" } else { "err" };
        out.push_str(&format!(
            "aof_enabled:{}\r\naof_rewrite_in_progress:{}\r\naof_rewrite_scheduled:{}\r\n\
             aof_last_rewrite_time_sec:{}\r\naof_current_rewrite_time_sec:{}\r\n\
             aof_last_bgrewrite_status:{}\r\naof_rewrites:{}\r\n\
             aof_rewrites_consecutive_failures:{}\r\naof_last_write_status:{}\r\n\
             aof_last_cow_size:0\r\nmodule_fork_in_progress:0\r\nmodule_fork_last_cow_size:0\r\n",
            u8::from(self.is_on()),
            u8::from(progress.started.is_some()),
            u8::from(self.scheduled.load(Ordering::Relaxed)),
            progress.last_time_sec,
            progress
                .started
                .map_or(-1, |started| started.elapsed().as_secs() as i64),
            status(progress.last_ok),
            progress.rewrites,
            progress.consecutive_failures,
            status(state.write_error.is_none()),
        ));
        if self.is_on() {
            out.push_str(&format!(
                "aof_current_size:{}\r\naof_base_size:{}\r\naof_pending_rewrite:0\r\n\
                 aof_buffer_length:{}\r\naof_pending_bio_fsync:0\r\naof_delayed_fsync:{}\r\n",
                state.current_size + state.buffer.len() as u64,
                state.base_size,
                state.buffer.len(),
                state.delayed_fsyncs,
            ));
        }
    }

    /// The path of `name` in the AOF directory.
    fn path(&self, name: &str) -> PathBuf {
        self.dir.join(name)
    }

    /// Removes the history files the manifest lists, and the manifest's
    /// lines for them (`aofDelHistoryFiles`).
    fn delete_history(&self, state: &mut State) -> io::Result<()> {
        if state.manifest.history.is_empty() {
            return Ok(());
        }
        for part in std::mem::take(&mut state.manifest.history) {
            log::log(
                Level::Notice,
                format_args!("Removing the history file {} in the background", part.name),
            );
            let _ = fs::remove_file(self.path(&part.name));
        }
        state.manifest.persist(&self.dir, &self.stem)
    }
}

/// Starts the writer thread of `aof`.
pub fn spawn_writer(aof: &Arc<Aof>) -> io::Result<()> {
    let aof = Arc::clone(aof);
    std::thread::Builder::new()
        .name("aof-writer".into())
        .spawn(move || fsync::run_writer(aof))
        .map(drop)
}

/// How long ago, in whole seconds (INFO's rewrite times).
fn seconds_since(start: Instant) -> i64 {
    start.elapsed().as_secs() as i64
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A write that stopped half way (disk full) is cut off the file, and
    /// all of it goes back in front of the buffer for the retry: the log
    /// never holds those bytes twice, nor half a command.
    #[test]
    fn a_short_write_is_cut_off_and_retried_whole() {
        let dir = std::env::temp_dir().join(format!("mini-redis-short-{}", std::process::id()));
        fs::create_dir_all(&dir).unwrap();
        let path = dir.join("incr.aof");
        let mut file = File::create(&path).unwrap();
        file.write_all(b"*1\r\n$4\r\nPING\r\n").unwrap();
        let aof = Aof::new(&AofConfig::default(), &dir, Arc::default());
        lock(&aof.state).buffer = b"later".to_vec();
        let mut chunk = b"*2\r\n$3\r\nDEL\r\n$1\r\nk\r\n".to_vec();
        file.write_all(&chunk[..9]).unwrap(); // the short write
        let failure = (9, io::Error::from(io::ErrorKind::StorageFull));
        aof.write_failed(&file, failure, &mut chunk, Fsync::EverySec);
        assert_eq!(fs::read(&path).unwrap(), b"*1\r\n$4\r\nPING\r\n");
        let retried = lock(&aof.state).buffer.clone();
        assert_eq!(retried, b"*2\r\n$3\r\nDEL\r\n$1\r\nk\r\nlater");
        assert!(chunk.is_empty(), "the chunk is the buffer's old room");
        assert!(aof.write_failing.load(Ordering::Relaxed), "writes refused");
        fs::remove_dir_all(&dir).unwrap();
    }
}
