//! Start-up: the manifest read, the base and incr files replayed in its
//! order, then the last incr file opened for appending (Redis's
//! `loadAppendOnlyFiles`, `loadSingleAppendOnlyFile` and
//! `aofOpenIfNeededOnServerStart`).
//!
//! A file is read command by command. Where it ends matters:
//!
//! - at a command's end: all is well;
//! - inside a command (a *torn* write: the process died half way through
//!   one `write`), or inside MULTI with no EXEC: with `aof-load-truncated
//!   yes`, the file is cut back to the last whole command with Redis's
//!   warning, if it is the last file; otherwise the server refuses to start;
//! - anything that is not a command (bytes that cannot be RESP): the server
//!   refuses to start, naming the file, the offset and the reason. Serving
//!   half a keyspace as if it were whole would be worse than not starting.
//!
//! Commands are replayed as if at time 0, so no key expires while loading
//! (Redis's `keyIsExpired` says no while `server.loading`): the log's own
//! DELs say which keys expired, and the keys whose time has passed expire
//! as usual once the server runs.

use std::fs::{self, File, OpenOptions};
use std::io::{self, BufRead, BufReader, Read, Seek, SeekFrom};
use std::path::Path;
use std::time::Instant;

use super::manifest::{Manifest, Part};
use super::{lock, rewrite, Aof};
use crate::log::{self, Level};
use crate::protocol::Request;
use crate::storage::Store;

/// Runs one logged command against the keyspace being loaded, as Redis's
/// fake AOF client does (the executor's [`Replay`](crate::executor::Replay)):
/// `Err` names a command this server does not know.
pub type ReplayFn<'a> = dyn FnMut(&mut Store, Request) -> Result<(), String> + 'a;

/// Why the server cannot start with these files; the text says which file
/// and why, and has already been logged.
#[derive(Debug)]
pub struct LoadError(pub String);

impl std::fmt::Display for LoadError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// Logs a fatal reason at warning level and makes it the error.
fn fatal(text: String) -> LoadError {
    log::log(Level::Warning, format_args!("{text}"));
    LoadError(text)
}

/// Redis's `AOF_ANNOTATION_LINE_MAX_LEN`: the longest line (`*3`, `$5`,
/// `#TS:...`) read before a command's arguments.
const MAX_LINE: usize = 1024;

impl Aof {
    /// Reads the manifest, upgrading an old single `appendonly.aof`, and,
    /// if the AOF is on, replays the files into `store`. Called once,
    /// before the server accepts clients.
    pub fn load(
        &self,
        enabled: bool,
        store: &mut Store,
        replay: &mut ReplayFn,
    ) -> Result<(), LoadError> {
        let manifest = self.read_manifest()?;
        let mut state = lock(&self.state);
        state.manifest = manifest;
        if !enabled {
            return Ok(());
        }
        self.upgrade_if_needed(&mut state.manifest)?;
        let parts: Vec<Part> = state
            .manifest
            .base
            .iter()
            .chain(&state.manifest.incrs)
            .cloned()
            .collect();
        drop(state);
        let mut total = 0;
        for part in &parts {
            total += fs::metadata(self.path(&part.name))
                .map_err(|err| {
                    fatal(format!(
                        "Unable to obtain the AOF file {} length. stat: {err}",
                        part.name
                    ))
                })?
                .len();
        }
        if total == 0 {
            return Ok(());
        }
        let started = Instant::now();
        for (i, part) in parts.iter().enumerate() {
            let last = i + 1 == parts.len();
            let began = Instant::now();
            let loaded = self.load_file(&part.name, last, store, replay)?;
            if loaded {
                let kind = if i == 0 && lock(&self.state).manifest.base.is_some() {
                    "base"
                } else {
                    "incr"
                };
                log::log(
                    Level::Notice,
                    format_args!(
                        "DB loaded from {kind} file {}: {:.3} seconds",
                        part.name,
                        began.elapsed().as_secs_f32()
                    ),
                );
            }
        }
        let mut state = lock(&self.state);
        state.current_size = total;
        state.base_size = state
            .manifest
            .base
            .as_ref()
            .and_then(|base| fs::metadata(self.path(&base.name)).ok())
            .map_or(0, |meta| meta.len());
        log::log(
            Level::Notice,
            format_args!(
                "DB loaded from append only file: {:.3} seconds",
                started.elapsed().as_secs_f32()
            ),
        );
        Ok(())
    }

    fn read_manifest(&self) -> Result<Manifest, LoadError> {
        let path = self.path(&format!("{}.manifest", self.stem));
        let text = match fs::read(&path) {
            Ok(bytes) => bytes,
            Err(err) if err.kind() == io::ErrorKind::NotFound => return Ok(Manifest::default()),
            Err(err) => {
                return Err(fatal(format!(
                    "Fatal error: can't open the AOF manifest file {} for reading: {err}",
                    path.display()
                )))
            }
        };
        let text = String::from_utf8_lossy(&text);
        Manifest::parse(&text).map_err(|err| {
            log::log(
                Level::Warning,
                format_args!("*** FATAL AOF MANIFEST FILE ERROR ***"),
            );
            fatal(format!("{}: {err}", path.display()))
        })
    }

    /// An old single-file AOF in the working directory becomes the base of
    /// a new manifest, and moves into the AOF directory (`aofUpgradePrepare`).
    /// Each step can be retried: a crash half way is finished next start.
    fn upgrade_if_needed(&self, manifest: &mut Manifest) -> Result<(), LoadError> {
        let old = self.work_dir.join(&self.stem);
        if !old.is_file() {
            return Ok(());
        }
        let no_files = manifest.base.is_none() && manifest.incrs.is_empty();
        let half_done = manifest.incrs.is_empty()
            && manifest.base.as_ref().is_some_and(|b| b.name == self.stem)
            && !self.path(&self.stem).exists();
        if self.dir.is_dir() && !no_files && !half_done {
            return Ok(());
        }
        let failed = |what: &str, err: io::Error| fatal(format!("{what}: {err}"));
        self.create_dir_for_start()?;
        *manifest = Manifest::from_old_file(&self.stem);
        manifest
            .persist(&self.dir, &self.stem)
            .map_err(|err| failed("Can't write the AOF manifest", err))?;
        fs::rename(&old, self.path(&self.stem)).map_err(|err| {
            failed(
                &format!(
                    "Error trying to move the old AOF file {} into dir {}",
                    self.stem,
                    self.dir.display()
                ),
                err,
            )
        })?;
        log::log(
            Level::Notice,
            format_args!(
                "Successfully migrated an old-style AOF file ({}) into the AOF directory ({}).",
                self.stem,
                self.dir.display()
            ),
        );
        Ok(())
    }

    fn create_dir_for_start(&self) -> Result<(), LoadError> {
        fs::create_dir_all(&self.dir).map_err(|err| {
            fatal(format!(
                "Can't open or create append-only dir {}: {err}",
                self.dir.display()
            ))
        })
    }

    /// Replays one file. Returns whether it held anything.
    fn load_file(
        &self,
        name: &str,
        last: bool,
        store: &mut Store,
        replay: &mut ReplayFn,
    ) -> Result<bool, LoadError> {
        let path = self.path(name);
        let file = File::open(&path).map_err(|err| {
            fatal(format!(
                "Fatal error: can't open the append log file {name} for reading: {err}"
            ))
        })?;
        let size = file.metadata().map(|m| m.len()).unwrap_or(0);
        if size == 0 {
            return Ok(false);
        }
        let offset = self.load_rdb_part(name, &file, store)?;
        let mut file = file;
        file.seek(SeekFrom::Start(offset)).map_err(|err| {
            fatal(format!(
                "Unrecoverable error reading the append only file {name}: {err}"
            ))
        })?;
        let mut reader = Reader {
            input: BufReader::with_capacity(64 * 1024, file),
            offset,
            size,
        };
        let mut transaction = Transaction::default();
        let mut valid_up_to = offset;
        let end = loop {
            match reader.command() {
                Ok(Some(request)) => {
                    let ran = transaction.run(request, valid_up_to, |request| {
                        replay(store, request)
                    });
                    if let Err(reason) = ran {
                        return Err(fatal(format!(
                            "{reason} reading the append only file {name} at offset {valid_up_to}"
                        )));
                    }
                    valid_up_to = reader.offset;
                }
                Ok(None) => match transaction.started_at {
                    None => break None,
                    Some(before) => {
                        log::log(
                            Level::Warning,
                            format_args!(
                                "Revert incomplete MULTI/EXEC transaction in AOF file {name}"
                            ),
                        );
                        break Some(before);
                    }
                },
                Err(Broken::Torn) => break Some(valid_up_to),
                Err(Broken::Format(reason)) => {
                    return Err(fatal(format!(
                        "Bad file format reading the append only file {name} at offset {valid_up_to}: \
                         {reason}. Make a backup of your AOF file, then use ./redis-check-aof --fix <filename.manifest>"
                    )))
                }
                Err(Broken::Io(err)) => {
                    return Err(fatal(format!(
                        "Unrecoverable error reading the append only file {name}: {err}"
                    )))
                }
            }
        };
        if let Some(valid_up_to) = end {
            self.truncate(name, &path, valid_up_to, last)?;
        }
        Ok(true)
    }

    /// A base in RDB form (`REDIS` first), or an old single AOF with an RDB
    /// preamble, is loaded as a dump; commands may follow it (the old
    /// form's tail). Returns where the commands start: 0 if there is no RDB.
    fn load_rdb_part(&self, name: &str, file: &File, store: &mut Store) -> Result<u64, LoadError> {
        let unreadable = |err: io::Error| {
            fatal(format!(
                "Unrecoverable error reading the append only file {name}: {err}"
            ))
        };
        let mut signature = [0; 5];
        let is_rdb =
            matches!((&*file).read_exact(&mut signature), Ok(()) if &signature == b"REDIS");
        (&*file).seek(SeekFrom::Start(0)).map_err(unreadable)?;
        if !is_rdb {
            return Ok(0);
        }
        let old_style = name == self.stem;
        let (what, reading) = if old_style {
            (
                "RDB preamble of the AOF file",
                "Reading RDB preamble from AOF file...",
            )
        } else {
            ("RDB base file", "Reading RDB base file on AOF loading...")
        };
        log::log(Level::Notice, format_args!("{reading}"));
        // Time 0, as for the commands: no key of a base is dropped as expired.
        match crate::rdb::load(file, store, 0) {
            Ok(loaded) => {
                if old_style {
                    log::log(
                        Level::Notice,
                        format_args!("Reading the remaining AOF tail..."),
                    );
                }
                Ok(loaded.size)
            }
            Err(err) => Err(fatal(format!(
                "Error reading the {what} {name}, AOF loading aborted: {err}"
            ))),
        }
    }

    /// A torn end: cut the file back to its last whole command, as
    /// `aof-load-truncated yes` allows for the last file only.
    fn truncate(
        &self,
        name: &str,
        path: &Path,
        valid_up_to: u64,
        last: bool,
    ) -> Result<(), LoadError> {
        let unexpected = || {
            fatal(format!(
                "Unexpected end of file reading the append only file {name}. You can: \
                 1) Make a backup of your AOF file, then use ./redis-check-aof --fix <filename.manifest>. \
                 2) Alternatively you can set the 'aof-load-truncated' configuration option to yes and restart the server."
            ))
        };
        if !self.load_truncated {
            return Err(unexpected());
        }
        if !last {
            return Err(fatal(format!(
                "Fatal error: the truncated file {name} is not the last file"
            )));
        }
        log::log(
            Level::Warning,
            format_args!("!!! Warning: short read while loading the AOF file {name}!!!"),
        );
        log::log(
            Level::Warning,
            format_args!("!!! Truncating the AOF {name} at offset {valid_up_to} !!!"),
        );
        let cut = OpenOptions::new()
            .write(true)
            .open(path)
            .and_then(|file| file.set_len(valid_up_to).and_then(|()| file.sync_all()));
        if let Err(err) = cut {
            log::log(
                Level::Warning,
                format_args!("Error truncating the AOF file {name}: {err}"),
            );
            return Err(unexpected());
        }
        log::log(
            Level::Warning,
            format_args!("AOF {name} loaded anyway because aof-load-truncated is enabled"),
        );
        Ok(())
    }

    /// After loading, with the AOF on: a base file for an empty start, the
    /// last incr file (or a new one) opened for appending, and the manifest
    /// on disk (`aofOpenIfNeededOnServerStart`); then the history files go.
    pub fn open_on_start(&self, store: &mut Store) -> Result<(), LoadError> {
        self.create_dir_for_start()?;
        let mut io = self.lock_io();
        let mut state = lock(&self.state);
        let failed = |what: String, err: io::Error| fatal(format!("{what}: {err}"));
        if state.manifest.base.is_none() && state.manifest.incrs.is_empty() {
            let rdb = self.use_rdb_preamble();
            let base = state.manifest.new_base(&self.stem, rdb);
            let temp = self
                .work_dir
                .join(format!("temp-rewriteaof-{}.aof", std::process::id()));
            let sizes = (store.len(), store.volatile_len());
            let size = rewrite::write_base(&temp, sizes, rdb, |each| {
                store
                    .entries()
                    .try_for_each(|(key, value, at)| each(key, value, at))
            })
            .and_then(|size| fs::rename(&temp, self.path(&base)).map(|()| size))
            .map_err(|err| failed(format!("Can't create the AOF base file {base}"), err))?;
            state.base_size = size;
            state.current_size = state.base_size;
            log::log(
                Level::Notice,
                format_args!("Creating AOF base file {base} on server start"),
            );
        }
        let (name, opened) = match state.manifest.incrs.last() {
            Some(part) => (part.name.clone(), true),
            None => (state.manifest.new_incr(&self.stem), false),
        };
        let file = self
            .create(&name)
            .map_err(|err| failed(format!("Can't open the append-only file {name}"), err))?;
        state
            .manifest
            .persist(&self.dir, &self.stem)
            .map_err(|err| failed("Can't write the AOF manifest".into(), err))?;
        io.file = Some(file);
        self.set_on(true);
        state.select_needed = true;
        store.start_propagating();
        let verb = if opened { "Opening" } else { "Creating" };
        log::log(
            Level::Notice,
            format_args!("{verb} AOF incr file {name} on server start"),
        );
        if let Err(err) = self.delete_history(&mut state) {
            log::log(
                Level::Warning,
                format_args!("Can't remove the AOF history files: {err}"),
            );
        }
        Ok(())
    }
}

/// How a file stopped being readable.
enum Broken {
    /// It ends inside a command.
    Torn,
    /// Bytes that are not a command; the reason.
    Format(String),
    Io(io::Error),
}

/// Reads an AOF's commands, keeping the offset of what it has read.
struct Reader {
    input: BufReader<File>,
    offset: u64,
    size: u64,
}

impl Reader {
    /// The next command; `None` at the end of the file.
    fn command(&mut self) -> Result<Option<Request>, Broken> {
        let count = loop {
            let Some(line) = self.line()? else {
                return Ok(None);
            };
            match line.first() {
                Some(b'#') => continue, // an annotation (`#TS:...`)
                Some(b'*') => break number(&line[1..]),
                _ => return Err(Broken::Format("a command must start with '*'".into())),
            }
        };
        let count = match count {
            Some(n) if n >= 1 => n,
            _ => return Err(Broken::Format("bad argument count".into())),
        };
        let mut words = Vec::new();
        for _ in 0..count {
            let line = self.line()?.ok_or(Broken::Torn)?;
            if line.first() != Some(&b'$') {
                return Err(Broken::Format("an argument must start with '$'".into()));
            }
            let len = number(&line[1..]).ok_or(Broken::Format("bad argument length".into()))?;
            // A length past the end of the file is a torn write: never
            // allocate for it.
            if self.offset + len as u64 + 2 > self.size {
                return Err(Broken::Torn);
            }
            let mut word = vec![0; len + 2];
            self.input.read_exact(&mut word).map_err(torn_or_io)?;
            self.offset += word.len() as u64;
            if !word.ends_with(b"\r\n") {
                return Err(Broken::Format("an argument must end with CRLF".into()));
            }
            word.truncate(len);
            words.push(word);
        }
        Ok(Some(words))
    }

    /// A line without its CRLF; `None` at a clean end of file. A line
    /// with no end is torn.
    fn line(&mut self) -> Result<Option<Vec<u8>>, Broken> {
        let mut line = Vec::new();
        let read = (&mut self.input)
            .take(MAX_LINE as u64)
            .read_until(b'\n', &mut line)
            .map_err(Broken::Io)?;
        self.offset += read as u64;
        if read == 0 {
            return Ok(None);
        }
        if !line.ends_with(b"\n") {
            return if read == MAX_LINE {
                Err(Broken::Format("a line is too long".into()))
            } else {
                Err(Broken::Torn)
            };
        }
        line.pop();
        if line.last() == Some(&b'\r') {
            line.pop();
        }
        Ok(Some(line))
    }
}

fn torn_or_io(err: io::Error) -> Broken {
    if err.kind() == io::ErrorKind::UnexpectedEof {
        Broken::Torn
    } else {
        Broken::Io(err)
    }
}

/// A count or length in decimal digits.
fn number(text: &[u8]) -> Option<usize> {
    if text.is_empty() || !text.iter().all(u8::is_ascii_digit) {
        return None;
    }
    std::str::from_utf8(text).ok()?.parse().ok()
}

/// MULTI ... EXEC in a file: the commands between are run at EXEC, all
/// together, and not at all if the file ends before EXEC.
#[derive(Default)]
struct Transaction {
    queued: Vec<Request>,
    /// Inside MULTI: the offset before it, where a torn transaction is cut.
    started_at: Option<u64>,
}

impl Transaction {
    /// Runs (or queues) one command read at `offset`. `Err`: a command this
    /// server cannot load (unknown, or a database other than 0).
    fn run(
        &mut self,
        request: Request,
        offset: u64,
        mut replay: impl FnMut(Request) -> Result<(), String>,
    ) -> Result<(), String> {
        if request[0].eq_ignore_ascii_case(b"multi") {
            self.started_at = Some(offset);
            self.queued.clear();
            return Ok(());
        }
        if request[0].eq_ignore_ascii_case(b"exec") {
            self.started_at = None;
            return std::mem::take(&mut self.queued)
                .into_iter()
                .try_for_each(replay);
        }
        if request[0].eq_ignore_ascii_case(b"select")
            && request.get(1).map(Vec::as_slice) != Some(b"0")
        {
            let db = request.get(1).map_or(&[][..], Vec::as_slice);
            return Err(format!(
                "SELECT {}: this server has database 0 only",
                String::from_utf8_lossy(db)
            ));
        }
        if self.started_at.is_some() {
            self.queued.push(request);
            Ok(())
        } else {
            replay(request)
        }
    }
}
