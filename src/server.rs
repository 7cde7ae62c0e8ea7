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

use crate::client::{Client, Hangup, Peer};
use crate::commands::{CommandError, Env};
use crate::config::Config;
use crate::connection::Connection;
use crate::db::Db;
use crate::executor::Executor;
use crate::expiry;
use crate::log::{self, Level};
use crate::protocol::{self, ReadError, Reply};
use crate::rdb::{self, snapshot::Persistence};
use crate::slots::ClientSlots;
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
    for stream in listener.incoming() {
        let mut stream = match stream {
            Ok(stream) => stream,
            Err(err) => {
                log::log(
                    Level::Warning,
                    format_args!("Accepting client connection: {err}"),
                );
                // Out of file descriptors, most likely: give clients time to leave.
                thread::sleep(Duration::from_millis(10));
                continue;
            }
        };
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

/// What the server as a whole shares with every client thread.
#[derive(Debug)]
pub struct Server {
    pub config: Config,
    /// The port really listened on (the configured one may be 0).
    pub port: u16,
    pub db: Arc<Db>,
    /// Clients blocked in BLPOP and its kin.
    pub waiters: Waiters,
    pub slots: Arc<ClientSlots>,
    pub started: Instant,
    pub commands_processed: AtomicU64,
    /// The dump on disk and the saves made of it.
    pub persistence: Arc<Persistence>,
    next_client_id: AtomicU64,
}

impl Server {
    pub fn new(config: Config, port: u16) -> Server {
        let slots = ClientSlots::new(config.maxclients);
        let persistence = Arc::new(Persistence::new(
            config.dbfilename.clone(),
            config.save.clone(),
        ));
        Server {
            persistence,
            config,
            port,
            db: Arc::new(Db::new()),
            waiters: Waiters::default(),
            slots,
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
            commands_processed: &self.commands_processed,
            persistence: &self.persistence,
        }
    }

    /// An executor for one client thread.
    pub fn executor(&self) -> Executor<'_> {
        Executor::new(&self.db, &self.waiters, self.env())
    }
}

/// Runs the server on an already bound listener: moves into `--dir`, loads
/// the dump, starts the reaper and the save policy, says it is ready, and
/// serves clients until SHUTDOWN ends the process.
pub fn serve(listener: TcpListener, config: Config) -> io::Result<()> {
    let address = listener.local_addr()?;
    if let Some(dir) = &config.dir {
        std::env::set_current_dir(dir)
            .map_err(|err| io::Error::new(err.kind(), format!("Can't chdir to '{dir}': {err}")))?;
    }
    let server = Arc::new(Server::new(config, address.port()));
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
    expiry::spawn_reaper(Arc::clone(&server.db), server.config.hz)?;
    rdb::snapshot::spawn_policy(Arc::clone(&server.db), Arc::clone(&server.persistence))?;
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

/// A client thread's whole life: serve requests until the client leaves.
pub fn serve_client(server: &Server, stream: TcpStream) {
    let id = server.next_client_id.fetch_add(1, Ordering::Relaxed);
    let mut client = Client::new(id, stream.peer_addr().ok());
    match client.addr {
        Some(addr) => log::log(
            Level::Verbose,
            format_args!("Accepted client {id} from {addr}"),
        ),
        None => log::log(Level::Verbose, format_args!("Accepted client {id}")),
    }
    if let Err(err) = run_connection(server, &mut client, stream) {
        log::log(Level::Verbose, format_args!("Client {id} dropped: {err}"));
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
                shut_down(server, save);
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

/// SHUTDOWN: saves the dump if `save` or the save policy says so (see
/// [`Persistence::save_for_shutdown`]), then exits. Returns only if that
/// save failed: the server then stays up, as Redis does.
pub fn shut_down(server: &Server, save: Option<bool>) {
    log::log(Level::Warning, format_args!("User requested shutdown..."));
    let saved = {
        let store = server.db.read();
        server.persistence.save_for_shutdown(&store, save)
    };
    if let Err(err) = saved {
        log::log(
            Level::Warning,
            format_args!("Error trying to save the DB, can't exit: {err}"),
        );
        return;
    }
    log::log(
        Level::Warning,
        format_args!("Mini-Redis is now ready to exit, bye bye..."),
    );
    std::process::exit(0)
}
