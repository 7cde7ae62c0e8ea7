//! The writer thread: moves the log from memory to the file, and fsyncs it
//! as `appendfsync` says.
//!
//! Client threads never write the file themselves. A write command's words
//! are appended to a buffer in memory under the store's write guard (so the
//! log's order is the order the writes were applied), and this one thread
//! takes whatever has gathered, writes it with one `write`, and then:
//!
//! - `always`: fsyncs at once, and wakes the clients waiting for their
//!   writes to be on the disk before they reply. Whoever arrived while an
//!   fsync was running is carried by the next one: a *group commit*, one
//!   fsync for many clients, as Redis gets one fsync per event-loop turn;
//! - `everysec`: fsyncs when a second has passed since the last fsync, and
//!   wakes up once a second to do so even when nothing more is written;
//! - `no`: never fsyncs; the kernel writes its page cache back when it
//!   likes (on Linux, within about 30 seconds).
//!
//! A `write` puts the bytes in the kernel's page cache: from then on they
//! survive the process being killed, but not the machine losing power.
//! Only `fsync` makes them survive that.

use std::fs::File;
use std::io::{self, Write};
use std::sync::Arc;
use std::time::{Duration, Instant};

use super::Aof;
use crate::config::Fsync;
use crate::log::{self, Level};

/// How long the thread sleeps when there is nothing to write: one second,
/// the promise of `everysec`.
const IDLE: Duration = Duration::from_secs(1);

/// With `everysec` and `no`, how long the thread lets writes gather once it
/// is woken, so that one `write` carries many clients' commands and the
/// thread is woken at most about a thousand times a second. (With `always`,
/// clients wait for the fsync, and the thread goes at once.)
const GATHER: Duration = Duration::from_millis(1);

/// Runs the writer thread for ever.
pub fn run_writer(aof: Arc<Aof>) {
    let mut chunk = Vec::new();
    let mut last_fsync = Instant::now();
    loop {
        aof.wait_for_work(IDLE);
        let policy = aof.fsync_policy();
        if policy != Fsync::Always {
            std::thread::sleep(GATHER);
        }
        let mut io = aof.lock_io();
        // Take what gathered while we waited for the file: the rewrite may
        // have switched files meanwhile, and written the buffer itself.
        let end = aof.take_buffer(&mut chunk);
        let Some(file) = io.file.as_mut() else {
            chunk.clear();
            continue;
        };
        if !chunk.is_empty() {
            if let Err(failure) = write_fully(file, &chunk) {
                aof.write_failed(file, failure, &mut chunk, policy);
                drop(io);
                std::thread::sleep(IDLE);
                continue;
            }
            aof.written(chunk.len() as u64, end);
            chunk.clear();
        }
        let due = match policy {
            Fsync::Always => true,
            Fsync::EverySec => last_fsync.elapsed() >= IDLE,
            Fsync::No => false,
        };
        if due && aof.has_unsynced(end) {
            let started = Instant::now();
            match file.sync_data() {
                Ok(()) => aof.fsynced(end),
                Err(err) => log::log(
                    Level::Warning,
                    format_args!("Fail to fsync the AOF file: {err}"),
                ),
            }
            last_fsync = Instant::now();
            if policy == Fsync::EverySec && started.elapsed() > 2 * IDLE {
                aof.note_delayed_fsync();
            }
        }
    }
}

/// `write_all`, but a failure says how much was written before it: the
/// caller must not write those bytes twice.
fn write_fully(mut file: &File, bytes: &[u8]) -> Result<(), (usize, io::Error)> {
    let mut written = 0;
    while written < bytes.len() {
        match file.write(&bytes[written..]) {
            Ok(0) => return Err((written, io::ErrorKind::WriteZero.into())),
            Ok(n) => written += n,
            Err(err) if err.kind() == io::ErrorKind::Interrupted => {}
            Err(err) => return Err((written, err)),
        }
    }
    Ok(())
}
