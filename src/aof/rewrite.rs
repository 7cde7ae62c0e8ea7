//! BGREWRITEAOF: a new base file from a snapshot of the keyspace, so the
//! log no longer grows for ever (Redis's `rewriteAppendOnlyFileBackground`
//! and `backgroundRewriteDoneHandler`).
//!
//! Redis forks, and the child writes the snapshot while the parent goes on.
//! Without fork, the snapshot is a walk of the keyspace (see
//! `storage/walk.rs`, as BGSAVE's), begun while the caller holds the
//! store's guard, in the same hold that opens the new incr file: every
//! write is either in the walk's view or in the new incr file, never both,
//! never neither. The walk copies a few thousand keys per step under the
//! read guard; encoding them (as RDB, or as commands with
//! `aof-use-rdb-preamble no`), writing and fsyncing the file run on a thread
//! of its own with no lock held.
//!
//! The files change in an order that a crash at any point survives:
//!
//! 1. a new incr file is created and the manifest names it (old base, old
//!    incr files, new incr file: still the whole data);
//! 2. the snapshot goes to `temp-rewriteaof-bg-<pid>.aof`, fsynced;
//! 3. it is renamed to the new base's name, and a new manifest (new base,
//!    new incr file) replaces the old one: temp file, fsync, rename, fsync
//!    of the directory;
//! 4. only then are the old files deleted.

use std::fs::{self, File};
use std::io::{self, BufWriter, Write};
use std::path::Path;
use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::time::Instant;

use super::propagate::{bulk, header};
use super::{lock, seconds_since, Aof, SELECT_0};
use crate::db::EndsWalk;
use crate::float;
use crate::log::{self, Level};
use crate::rdb::{Header, RdbWriter};
use crate::set::Member;
use crate::storage::{Store, WalkId};
use crate::value::Value;

/// Redis's `AOF_REWRITE_ITEMS_PER_CMD`: a big list is rebuilt by many
/// RPUSHes of at most this many elements each.
const ITEMS_PER_COMMAND: usize = 64;

/// Where rewrites stand, for INFO.
#[derive(Debug)]
pub struct Progress {
    /// When the running rewrite started; `None`: none is running.
    pub started: Option<Instant>,
    /// How long the last one took, in seconds; -1 before the first.
    pub last_time_sec: i64,
    pub last_ok: bool,
    pub rewrites: u64,
    pub consecutive_failures: u64,
}

impl Default for Progress {
    fn default() -> Self {
        Progress {
            started: None,
            last_time_sec: -1,
            last_ok: true,
            rewrites: 0,
            consecutive_failures: 0,
        }
    }
}

/// Why BGREWRITEAOF (or CONFIG SET appendonly yes) did not start one.
#[derive(Debug)]
pub enum RewriteError {
    InProgress,
    Failed(io::Error),
}

impl From<io::Error> for RewriteError {
    fn from(err: io::Error) -> Self {
        RewriteError::Failed(err)
    }
}

/// How the writes logged meanwhile reach the manifest when the rewrite is done.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Incr {
    /// In an incr file the manifest already lists (BGREWRITEAOF).
    Listed,
    /// In the temporary incr file, listed once the base exists: the AOF
    /// was just turned on, and the old files do not hold the data.
    Temporary,
}

impl Aof {
    /// Whether a rewrite is running now.
    pub fn rewrite_in_progress(&self) -> bool {
        lock(&self.state).rewrite.started.is_some()
    }

    /// BGREWRITEAOF. The caller holds the store's guard (`store`), so that
    /// no write slips between the new incr file and the snapshot.
    pub fn start_rewrite(self: &Arc<Self>, store: &Store) -> Result<(), RewriteError> {
        let mut io = self.lock_io();
        let mut state = lock(&self.state);
        // Cleared under the state's lock, which INFO takes too, and held
        // until the rewrite counts as started: INFO never sees a scheduled
        // rewrite as neither scheduled nor in progress. A rewrite that
        // fails to start is not tried again.
        self.scheduled.store(false, Ordering::Relaxed);
        if state.rewrite.started.is_some() {
            return Err(RewriteError::InProgress);
        }
        self.create_dir()?;
        if self.is_on() {
            self.switch_incr(&mut io, &mut state)?;
        }
        self.begin(&mut state);
        drop((state, io));
        self.finish_in_background(store, Incr::Listed)
    }

    /// CONFIG SET appendonly yes: logging starts now, into a temporary incr
    /// file, and a rewrite writes the base; the manifest names both once
    /// the base is written. The caller holds the store's write guard.
    pub fn start(self: &Arc<Self>, store: &mut Store) -> Result<(), RewriteError> {
        let mut io = self.lock_io();
        let mut state = lock(&self.state);
        if self.is_on() {
            return Ok(());
        }
        if state.rewrite.started.is_some() {
            return Err(RewriteError::InProgress);
        }
        self.create_dir()?;
        let temp = self.path(&self.temp_incr_name());
        io.file = Some(File::create(temp)?);
        self.set_on(true);
        state.select_needed = true;
        state.buffer.clear();
        state.fsynced = state.appended;
        state.written = state.appended;
        store.start_propagating();
        self.begin(&mut state);
        drop((state, io));
        self.finish_in_background(store, Incr::Temporary)
    }

    fn create_dir(&self) -> io::Result<()> {
        let created = fs::create_dir_all(&self.dir);
        if let Err(err) = &created {
            log::log(
                Level::Warning,
                format_args!(
                    "Can't open or create append-only dir {}: {err}",
                    self.dir.display()
                ),
            );
        }
        created
    }

    fn begin(&self, state: &mut super::State) {
        state.rewrite.started = Some(Instant::now());
        state.rewrite.rewrites += 1;
        log::log(
            Level::Notice,
            format_args!(
                "Background append only file rewriting started by pid {}",
                std::process::id()
            ),
        );
    }

    fn temp_incr_name(&self) -> String {
        format!("temp-{}.incr", self.stem)
    }

    /// Begins a walk of `store` (the caller holds its guard) and writes
    /// the base from it on a thread of its own.
    fn finish_in_background(
        self: &Arc<Self>,
        store: &Store,
        incr: Incr,
    ) -> Result<(), RewriteError> {
        let aof = Arc::clone(self);
        // The base's format is the one asked for when the rewrite starts.
        let rdb = self.use_rdb_preamble();
        let (walk, sizes) = store.begin_walk();
        let spawned = std::thread::Builder::new()
            .name("aof-rewrite".into())
            .spawn(move || aof.finish(walk, sizes, rdb, incr));
        if let Err(err) = spawned {
            drop(store.end_walk(walk));
            let mut state = lock(&self.state);
            self.done(&mut state, false);
            return Err(RewriteError::Failed(err));
        }
        Ok(())
    }

    /// The rewrite's own thread: writes the base from the walk, then swaps
    /// the manifest.
    fn finish(&self, walk: WalkId, sizes: (usize, usize), rdb: bool, incr: Incr) {
        let temp = self
            .work_dir
            .join(format!("temp-rewriteaof-bg-{}.aof", std::process::id()));
        let ends = EndsWalk::new(&self.db, walk);
        let written = write_base(&temp, sizes, rdb, |each| self.db.walk(walk, each));
        drop(ends);
        let mut state = lock(&self.state);
        let result = written.and_then(|size| {
            log::log(
                Level::Notice,
                format_args!(
                    "Successfully created the temporary AOF base file {}",
                    temp.display()
                ),
            );
            self.install(&mut state, &temp, size, rdb, incr)
        });
        match result {
            Ok(()) => {
                let _ = self.delete_history(&mut state);
                self.done(&mut state, true);
                log::log(
                    Level::Notice,
                    format_args!("Background AOF rewrite finished successfully"),
                );
            }
            Err(err) => {
                let _ = fs::remove_file(&temp);
                log::log(
                    Level::Warning,
                    format_args!("Background AOF rewrite terminated with error: {err}"),
                );
                self.done(&mut state, false);
            }
        }
    }

    /// Renames the temporary base into place and persists the manifest that
    /// names it: the moment the rewrite takes effect.
    fn install(
        &self,
        state: &mut super::State,
        temp: &Path,
        base_size: u64,
        rdb: bool,
        incr: Incr,
    ) -> io::Result<()> {
        if incr == Incr::Temporary && !self.is_on() {
            return Err(io::Error::other("the AOF was turned off meanwhile"));
        }
        let mut manifest = state.manifest.clone();
        let base = manifest.new_base(&self.stem, rdb);
        fs::rename(temp, self.path(&base))?;
        log::log(
            Level::Notice,
            format_args!(
                "Successfully renamed the temporary AOF base file {} into {base}",
                temp.display()
            ),
        );
        manifest.incrs_to_history(self.is_on() && incr == Incr::Listed);
        if incr == Incr::Temporary {
            let name = manifest.new_incr(&self.stem);
            fs::rename(self.path(&self.temp_incr_name()), self.path(&name))?;
        }
        manifest.persist(&self.dir, &self.stem)?;
        state.manifest = manifest;
        state.base_size = base_size;
        let incr_size = state
            .manifest
            .incrs
            .last()
            .and_then(|part| fs::metadata(self.path(&part.name)).ok())
            .map_or(0, |meta| meta.len());
        state.current_size = base_size + incr_size;
        Ok(())
    }

    fn done(&self, state: &mut super::State, ok: bool) {
        let progress = &mut state.rewrite;
        if let Some(started) = progress.started.take() {
            progress.last_time_sec = seconds_since(started);
        }
        progress.last_ok = ok;
        if ok {
            progress.consecutive_failures = 0;
        } else {
            progress.consecutive_failures += 1;
        }
    }
}

/// Hands each key, its value and expiry time, to the function it is given.
pub type Feed<'f> = &'f mut dyn FnMut(&[u8], &Value, Option<u64>) -> io::Result<()>;

/// Writes a base file of the keys `feed` hands over (with `sizes`, the
/// number of keys and of keys with a TTL) to a new file at `path`, as an
/// RDB file (`aof-base` marked) or as commands, and fsyncs it. Returns its
/// size.
pub fn write_base(
    path: &Path,
    sizes: (usize, usize),
    rdb: bool,
    feed: impl FnOnce(Feed) -> io::Result<()>,
) -> io::Result<u64> {
    let mut file = BufWriter::new(File::create(path)?);
    if rdb {
        let header = Header {
            created_s: crate::expiry::now_ms() / 1000,
            aof_base: true,
        };
        let mut base = RdbWriter::begin(&mut file, sizes, header);
        feed(&mut |key, value, expires_at| base.record(key, value, expires_at))?;
        base.finish()?;
    } else {
        let (mut commands, mut selected) = (Vec::new(), false);
        feed(&mut |key, value, expires_at| {
            // No SELECT for an empty keyspace, as Redis writes none then.
            if !selected {
                commands.extend_from_slice(SELECT_0);
                selected = true;
            }
            encode_key(&mut commands, key, value, expires_at);
            file.write_all(&commands)?;
            commands.clear();
            Ok(())
        })?;
    }
    let file = file.into_inner().map_err(io::IntoInnerError::into_error)?;
    file.sync_all()?;
    Ok(file.metadata()?.len())
}

/// A key as the commands that rebuild it (`rewriteAppendOnlyFileRio`): SET,
/// RPUSH, SADD, ZADD or HMSET, then PEXPIREAT if it has a TTL.
fn encode_key(out: &mut Vec<u8>, key: &[u8], value: &Value, expires_at: Option<u64>) {
    match value {
        Value::String(s) => {
            header(out, 3);
            bulk(out, b"SET");
            bulk(out, key);
            bulk(out, s.as_slice());
        }
        Value::List(list) => {
            let elements: Vec<&[u8]> = list.iter().collect();
            batches(out, b"RPUSH", key, elements.len(), 1, |out, i| {
                bulk(out, elements[i])
            })
        }
        Value::Set(set) => {
            let members: Vec<Member> = set.iter().collect();
            batches(
                out,
                b"SADD",
                key,
                members.len(),
                1,
                |out, i| match members[i] {
                    Member::Int(n) => bulk(out, n.to_string().as_bytes()),
                    Member::Str(s) => bulk(out, s),
                },
            )
        }
        Value::ZSet(zset) => {
            let pairs: Vec<_> = zset.iter().collect();
            batches(out, b"ZADD", key, pairs.len(), 2, |out, i| {
                let (member, score) = pairs[i];
                bulk(out, float::format_g17(score).as_bytes());
                bulk(out, member.as_slice());
            })
        }
        Value::Hash(hash) => {
            let pairs: Vec<_> = hash.iter().collect();
            batches(out, b"HMSET", key, pairs.len(), 2, |out, i| {
                let (field, value) = pairs[i];
                bulk(out, field.as_slice());
                bulk(out, value.as_slice());
            })
        }
    }
    if let Some(at) = expires_at {
        header(out, 3);
        bulk(out, b"PEXPIREAT");
        bulk(out, key);
        bulk(out, at.to_string().as_bytes());
    }
}

/// `items` elements of a value as commands of at most ITEMS_PER_COMMAND
/// elements each, every element `words` words long.
fn batches(
    out: &mut Vec<u8>,
    command: &[u8],
    key: &[u8],
    items: usize,
    words: usize,
    mut item: impl FnMut(&mut Vec<u8>, usize),
) {
    for start in (0..items).step_by(ITEMS_PER_COMMAND) {
        let end = (start + ITEMS_PER_COMMAND).min(items);
        header(out, 2 + (end - start) * words);
        bulk(out, command);
        bulk(out, key);
        for i in start..end {
            item(out, i);
        }
    }
}
