//! The network side: a listener, an accept loop, one OS thread per client.
//!
//! ```text
//! main thread:    bind ─▶ accept ─▶ spawn ─▶ accept ─▶ spawn ─▶ …
//! client thread:  read request ─▶ execute ─▶ buffer reply ─▶ (flush when idle) ─▶ …
//! reaper thread:  sleep 1/hz ─▶ sample and delete expired keys ─▶ …
//! ```
//!
//! Every client thread blocks in `read` on its own socket, so a slow or idle
//! client only ever holds up its own thread. The threads share one [`Db`];
//! each thread's [`Executor`] holds its lock only while a command touches
//! the store, never while it reads from or writes to a socket.

use std::io::{self, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::thread;
use std::time::{Duration, Instant};

use crate::acl::Users;
use crate::aof::{self, Aof};
use crate::client::{Client, Hangup, Peer};
use crate::commands::{CommandError, Env};
use crate::config::Config;
use crate::connection::Connection;
use crate::cron;
use crate::db::Db;
use crate::executor::{Executor, Replay};
use crate::expiry;
use crate::log::{self, Level};
use crate::protocol::{self, ReadError, Reply};
use crate::pubsub::PubSub;
use crate::rdb::snapshot::Persistence;
use crate::shutdown;
use crate::slots::{self, ClientSlots};
use crate::sys;
use crate::waiters::Waiters;

/// Stack size of a client thread. A client's work is shallow (no recursion),
/// and a small stack is what lets ten thousand idle clients be cheap.
pub const CLIENT_STACK_SIZE: usize = 128 * 1024;

/// What Redis tells a client over the `maxclients` limit.
const MAX_CLIENTS_ERROR: &[u8] = b"-ERR max number of clients reached\r\n";

/// Binds the listening socket the configuration asks for.
pub fn bind(config: &Config) -> io::Result<TcpListener> {
    //@ step 1: Bind a TcpListener to the address and port in `config`.
    TcpListener::bind((config.bind, config.port))
    //@ end step 1
}

/// Accepts connections for ever, running `handler` on a new OS thread for
/// each one. The handler is a parameter so the loop can be tested (and
/// built in the workshop's first step) before there is any Redis in it.
///
/// Over the slots' limit, a client gets Redis's error and is closed. A
/// failed accept (say, out of file descriptors) or a failed thread spawn
/// costs that one client, never the server.
pub fn accept_loop<H>(listener: &TcpListener, slots: &Arc<ClientSlots>, handler: H)
where
    H: Fn(TcpStream) + Send + Sync + 'static,
{
    //@ step 1: For each incoming stream: take a slot (or send MAX_CLIENTS_ERROR), then run `handler` on a new thread of CLIENT_STACK_SIZE.
    let handler = Arc::new(handler);
    let mut failures = AcceptFailures::default();
    for stream in listener.incoming() {
        let mut stream = match stream {
            Ok(stream) => stream,
            Err(err) => {
                // Out of file descriptors, most likely: give clients time to leave.
                failures.back_off(&err);
                continue;
            }
        };
        failures.reset();
        let Some(slot) = slots.try_acquire() else {
            let _ = stream.write_all(MAX_CLIENTS_ERROR);
            continue;
        };
        // A second handle, to say goodbye if the thread cannot be created.
        let spare = stream.try_clone();
        let handler = Arc::clone(&handler);
        let spawned = thread::Builder::new()
            .stack_size(CLIENT_STACK_SIZE)
            .spawn(move || {
                let _slot = slot;
                handler(stream);
            });
        if let Err(err) = spawned {
            log::log(
                Level::Warning,
                format_args!("Could not create a thread for a client: {err}"),
            );
            if let Ok(mut spare) = spare {
                let _ = spare.write_all(b"-ERR server is out of threads, try again later\r\n");
            }
        }
    }
    //@ end step 1
}

/// Failed accepts in a row. Out of file descriptors, `accept` fails at
/// once every time it is called, so the loop waits a little longer after
/// each failure (10 ms, doubling up to [`AcceptFailures::MAX_WAIT`]), and
/// logs at most one line a second, saying how many it did not log.
#[derive(Debug, Default)]
pub struct AcceptFailures {
    in_a_row: u32,
    last_logged: Option<Instant>,
    unlogged: u64,
}

impl AcceptFailures {
    /// The longest wait between two tries, however long the failures last.
    pub const MAX_WAIT: Duration = Duration::from_millis(500);

    /// Logs (or counts) `err`, then sleeps before the next try.
    pub fn back_off(&mut self, err: &io::Error) {
        let (log_it, wait) = self.record(Instant::now());
        if let Some(unlogged) = log_it {
            let more = if unlogged > 0 {
                format!(" ({unlogged} more like it not logged)")
            } else {
                String::new()
            };
            log::log(
                Level::Warning,
                format_args!(
                    "Accepting client connection: accept: {}{more}",
                    sys::error_text(err)
                ),
            );
        }
        thread::sleep(wait);
    }

    /// Counts a failure at `now`: whether to log it (and how many were not
    /// logged since the last line), and how long to wait.
    fn record(&mut self, now: Instant) -> (Option<u64>, Duration) {
        let due = self
            .last_logged
            .map_or(true, |at| now.duration_since(at) >= Duration::from_secs(1));
        let log_it = if due {
            self.last_logged = Some(now);
            Some(std::mem::take(&mut self.unlogged))
        } else {
            self.unlogged += 1;
            None
        };
        let wait = Duration::from_millis(10) * 2u32.pow(self.in_a_row.min(6));
        self.in_a_row += 1;
        (log_it, wait.min(Self::MAX_WAIT))
    }

    /// An accept worked: the next failure waits the shortest time again.
    pub fn reset(&mut self) {
        self.in_a_row = 0;
    }
}

/// What the server as a whole shares with every client thread.
#[derive(Debug)]
pub struct Server {
    pub config: Config,
    /// The port really listened on (the configured one may be 0).
    pub port: u16,
    pub db: Arc<Db>,
    /// Clients blocked in BLPOP and its kin.
    pub waiters: Waiters,
    /// Who is subscribed to what, and who MONITORs.
    pub pubsub: Arc<PubSub>,
    pub slots: Arc<ClientSlots>,
    /// Who may connect: the default user and its passwords.
    pub users: Users,
    pub started: Instant,
    pub commands_processed: AtomicU64,
    /// The append-only file, on or off.
    pub aof: Arc<Aof>,
    /// The dump on disk and the saves made of it.
    pub persistence: Arc<Persistence>,
    next_client_id: AtomicU64,
}

impl Server {
    pub fn new(config: Config, port: u16) -> Server {
        let slots = ClientSlots::new(config.maxclients);
        slots.set_idle_timeout(config.timeout);
        slots.set_keepalive(config.tcp_keepalive);
        let users = Users::new(config.requirepass.as_deref());
        let db = Arc::new(Db::new());
        let persistence = Arc::new(Persistence::new(
            config.dbfilename.clone(),
            config.save.clone(),
            Arc::clone(&db),
        ));
        // The files live in the working directory, `--dir`, as Redis's do.
        let aof = Arc::new(Aof::new(
            &config.aof,
            std::path::Path::new("."),
            Arc::clone(&db),
        ));
        Server {
            persistence,
            aof,
            config,
            port,
            db,
            waiters: Waiters::default(),
            pubsub: Arc::default(),
            slots,
            users,
            started: Instant::now(),
            commands_processed: AtomicU64::new(0),
            next_client_id: AtomicU64::new(1),
        }
    }

    /// What commands may see of the server: settings and counters, not the lock.
    pub fn env(&self) -> Env<'_> {
        Env {
            config: &self.config,
            port: self.port,
            started: self.started,
            slots: &self.slots,
            users: &self.users,
            commands_processed: &self.commands_processed,
            aof: &self.aof,
            pubsub: &self.pubsub,
            persistence: &self.persistence,
        }
    }

    /// An executor for one client thread.
    pub fn executor(&self) -> Executor<'_> {
        Executor::new(&self.db, &self.waiters, &self.pubsub, self.env())
    }
}

/// Runs the server on an already bound listener: fits `maxclients` to the
/// limit on open files, sets the listen backlog, moves into `--dir`, loads
/// the dump, starts the reaper, the save policy and the signal watcher,
/// says it is ready, and serves clients until SHUTDOWN or a signal ends the
/// process.
pub fn serve(listener: TcpListener, mut config: Config) -> io::Result<()> {
    let address = listener.local_addr()?;
    config.maxclients = slots::fit_open_files_limit(config.maxclients).map_err(io::Error::other)?;
    set_backlog(&listener, config.tcp_backlog)?;
    if let Some(dir) = &config.dir {
        std::env::set_current_dir(dir)
            .map_err(|err| io::Error::new(err.kind(), format!("Can't chdir to '{dir}': {err}")))?;
    }
    let server = Arc::new(Server::new(config, address.port()));
    load_from_disk(&server)?;
    expiry::spawn_reaper(Arc::clone(&server.db), server.config.hz)?;
    let (db, persistence) = (Arc::clone(&server.db), Arc::clone(&server.persistence));
    cron::spawn(db, persistence, Arc::clone(&server.aof))?;
    let stopping = Arc::clone(&server);
    // A signal saves as a plain SHUTDOWN does: if there is a save policy.
    shutdown::watch_signals(move || {
        shutdown::shut_down(&stopping.db, &stopping.persistence, &stopping.aof, None)
    })?;
    log::log(
        Level::Notice,
        format_args!("Ready to accept connections at {address}"),
    );
    let slots = Arc::clone(&server.slots);
    accept_loop(&listener, &slots, move |stream| {
        serve_client(&server, stream)
    });
    Ok(())
}

/// `listen` again with Redis's backlog (std asks for 128), warning as Redis
/// does when the kernel caps it lower.
fn set_backlog(listener: &TcpListener, backlog: u32) -> io::Result<()> {
    sys::set_backlog(listener, backlog)?;
    let somaxconn = std::fs::read_to_string("/proc/sys/net/core/somaxconn")
        .ok()
        .and_then(|text| text.trim().parse::<u32>().ok());
    if let Some(somaxconn) = somaxconn.filter(|&n| n > 0 && n < backlog) {
        log::log(
            Level::Warning,
            format_args!(
                "WARNING: The TCP backlog setting of {backlog} cannot be enforced because \
                 /proc/sys/net/core/somaxconn is set to the lower value of {somaxconn}."
            ),
        );
    }
    Ok(())
}

/// Start-up: the append-only file is replayed if it is on (and opened for
/// writing), the dump otherwise; a file that cannot be loaded stops the
/// server here.
fn load_from_disk(server: &Server) -> io::Result<()> {
    let env = server.env();
    let enabled = server.config.aof.enabled;
    // With the AOF on, Redis loads it and not the dump.
    if !enabled {
        match server.persistence.load_at_start() {
            Ok(store) => *server.db.write() = store,
            Err(reason) => {
                log::log(Level::Warning, format_args!("{reason}"));
                log::log(
                    Level::Warning,
                    format_args!("Fatal error loading the DB, check server logs. Exiting."),
                );
                return Err(io::Error::new(io::ErrorKind::InvalidData, reason));
            }
        }
    }
    let mut store = server.db.write();
    let mut replay = Replay::new(env);
    let loaded = server
        .aof
        .load(enabled, &mut store, &mut |store, request| {
            replay.run(store, request)
        })
        .and_then(|()| match enabled {
            true => server.aof.open_on_start(&mut store),
            false => Ok(()),
        });
    drop(store);
    loaded.map_err(|err| io::Error::other(err.0))?;
    aof::spawn_writer(&server.aof)
}

/// A client thread's whole life: serve requests until the client leaves.
pub fn serve_client(server: &Server, stream: TcpStream) {
    let id = server.next_client_id.fetch_add(1, Ordering::Relaxed);
    let mut client = Client::new(id, stream.peer_addr().ok());
    client.authenticated = !server.users.auth_required();
    if let Err(err) = hold_to_limits(&server.slots, &stream) {
        log::log(Level::Verbose, format_args!("Client {id} dropped: {err}"));
        return;
    }
    match client.addr {
        Some(addr) => log::log(
            Level::Verbose,
            format_args!("Accepted client {id} from {addr}"),
        ),
        None => log::log(Level::Verbose, format_args!("Accepted client {id}")),
    }
    match run_connection(server, &mut client, stream) {
        Ok(()) => {}
        // The read timeout set by hold_to_limits ran out.
        Err(err)
            if matches!(
                err.kind(),
                io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut
            ) =>
        {
            log::log(Level::Verbose, format_args!("Closing idle client"))
        }
        Err(err) => log::log(Level::Verbose, format_args!("Client {id} dropped: {err}")),
    }
}

/// TCP keepalive (`tcp-keepalive`), so a client whose machine vanished is
/// noticed, and `timeout`: a read that waits longer than that for the
/// client's next request fails, and the connection ends.
fn hold_to_limits(slots: &ClientSlots, stream: &TcpStream) -> io::Result<()> {
    let keepalive = slots.keepalive();
    if keepalive > 0 {
        sys::set_keepalive(stream, keepalive)?;
    }
    match slots.idle_timeout() {
        0 => Ok(()), // a new socket has no timeout
        idle => stream.set_read_timeout(Some(Duration::from_secs(idle))),
    }
}

/// Reads, executes and answers requests until the client leaves or errs.
fn run_connection(server: &Server, client: &mut Client, socket: TcpStream) -> io::Result<()> {
    let mut connection = Connection::new(socket)?;
    client.peer = Some(Peer::new(connection.socket()));
    let mut executor = server.executor();
    //@ step 3: Loop: read a request, execute it, write the reply; stop when the client leaves.
    loop {
        let request = match protocol::read_request(&mut connection) {
            Ok(Some(request)) => request,
            Ok(None) => return Ok(()),
            Err(ReadError::Io(err)) => return Err(err),
            Err(ReadError::Protocol(err)) => {
                // The stream is out of step: answer, then close, as Redis does.
                log::log(Level::Verbose, format_args!("Client {}: {err}", client.id));
                let reply = Reply::Error(format!("ERR {err}").into_bytes());
                reply.write_to(&mut connection, client.resp)?;
                return connection.close_gently();
            }
        };
        let reply = executor.execute(client, request);
        match client.hangup {
            Some(Hangup::Shutdown { save }) => {
                // Back here only if the final save failed: say so and go on.
                shutdown::shut_down(&server.db, &server.persistence, &server.aof, save);
                client.hangup = None;
                let reply = Reply::Error(CommandError::ShutdownSaveFailed.message());
                reply.write_to(&mut connection, client.resp)?;
            }
            Some(Hangup::AfterReply) => {
                reply.write_to(&mut connection, client.resp)?;
                return connection.flush();
            }
            None => reply.write_to(&mut connection, client.resp)?,
        }
    }
    //@ end step 3
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accept_failures_wait_longer_and_log_once_a_second() {
        let mut failures = AcceptFailures::default();
        let start = Instant::now();
        let first: Vec<_> = (0..100).map(|_| failures.record(start)).collect();
        assert_eq!(first[0], (Some(0), Duration::from_millis(10)));
        assert_eq!(first[1], (None, Duration::from_millis(20)));
        assert!(first[2..].iter().all(|(log_it, _)| log_it.is_none()));
        assert_eq!(first[99].1, AcceptFailures::MAX_WAIT);
        let later = failures.record(start + Duration::from_secs(1));
        assert_eq!(later.0, Some(99), "the next line counts the unlogged");
        failures.reset();
        assert_eq!(failures.record(start).1, Duration::from_millis(10));
    }
}
