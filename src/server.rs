//! The network side: a listener, an accept loop, one OS thread per client.
//!
//! ```text
//! main thread:    bind ─▶ accept ─▶ spawn ─▶ accept ─▶ spawn ─▶ …
//! client thread:  read request ─▶ execute ─▶ buffer reply ─▶ (flush when idle) ─▶ …
//! reaper thread:  sleep 1/hz ─▶ sample and delete expired keys ─▶ …
//! ```
//!
//! Every client thread blocks in `read` on its own socket, so a slow or idle
//! client only ever holds up its own thread. The threads share one
//! [`SharedStore`]; a command holds its lock only while it touches the store,
//! never while it reads from or writes to a socket.

use std::io::{self, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, RwLock};
use std::thread;
use std::time::{Duration, Instant};

use crate::commands::{self, Context};
use crate::config::Config;
use crate::connection::Connection;
use crate::expiry;
use crate::log::{self, Level};
use crate::protocol::{self, ReadError, Reply, RespVersion};
use crate::storage::{SharedStore, Store};

/// The Redis version whose behaviour this server follows. Clients read it
/// (HELLO, INFO) to decide which commands they may use.
pub const REDIS_VERSION: &str = "7.0.15";

/// Stack size of a client thread. A client's work is shallow (no recursion),
/// and a small stack is what lets ten thousand idle clients be cheap.
pub const CLIENT_STACK_SIZE: usize = 128 * 1024;

/// What Redis tells a client over the `maxclients` limit.
const MAX_CLIENTS_ERROR: &[u8] = b"-ERR max number of clients reached\r\n";

/// A counting semaphore over client connections: the `maxclients` limit,
/// and the connection counters INFO reports.
#[derive(Debug)]
pub struct ClientSlots {
    max: usize,
    in_use: AtomicUsize,
    admitted: AtomicU64,
    rejected: AtomicU64,
}

/// One taken slot; dropping it (when the client thread ends, even by a
/// panic) gives the slot back.
#[derive(Debug)]
pub struct Slot(Arc<ClientSlots>);

impl ClientSlots {
    pub fn new(max: usize) -> Arc<ClientSlots> {
        Arc::new(ClientSlots {
            max,
            in_use: AtomicUsize::new(0),
            admitted: AtomicU64::new(0),
            rejected: AtomicU64::new(0),
        })
    }

    /// Takes a slot, or `None` if all `max` are in use.
    pub fn try_acquire(self: &Arc<Self>) -> Option<Slot> {
        let taken = self
            .in_use
            .fetch_update(Ordering::AcqRel, Ordering::Acquire, |n| {
                (n < self.max).then_some(n + 1)
            });
        if taken.is_ok() {
            self.admitted.fetch_add(1, Ordering::Relaxed);
            Some(Slot(Arc::clone(self)))
        } else {
            self.rejected.fetch_add(1, Ordering::Relaxed);
            None
        }
    }

    /// Clients connected now.
    pub fn in_use(&self) -> usize {
        self.in_use.load(Ordering::Acquire)
    }

    /// Connections accepted since start-up.
    pub fn admitted(&self) -> u64 {
        self.admitted.load(Ordering::Relaxed)
    }

    /// Connections turned away by the limit since start-up.
    pub fn rejected(&self) -> u64 {
        self.rejected.load(Ordering::Relaxed)
    }
}

impl Drop for Slot {
    fn drop(&mut self) {
        self.0.in_use.fetch_sub(1, Ordering::AcqRel);
    }
}

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
    pub store: SharedStore,
    pub slots: Arc<ClientSlots>,
    pub started: Instant,
    pub commands_processed: AtomicU64,
    next_client_id: AtomicU64,
}

impl Server {
    pub fn new(config: Config, port: u16) -> Server {
        let slots = ClientSlots::new(config.maxclients);
        Server {
            config,
            port,
            store: Arc::new(RwLock::new(Store::new())),
            slots,
            started: Instant::now(),
            commands_processed: AtomicU64::new(0),
            next_client_id: AtomicU64::new(1),
        }
    }
}

/// Why a connection is about to end on the server's side.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Hangup {
    /// QUIT: send this reply, then close.
    AfterReply,
    /// SHUTDOWN: stop the whole server, replying to nobody.
    Shutdown,
}

/// One connected client's own state.
#[derive(Debug)]
pub struct Client {
    /// Unique for the life of the server (CLIENT ID, HELLO).
    pub id: u64,
    pub addr: Option<SocketAddr>,
    /// Set by CLIENT SETNAME or HELLO SETNAME.
    pub name: Option<Vec<u8>>,
    /// Set by CLIENT SETINFO, as client libraries do at connect time.
    pub lib_name: Option<Vec<u8>>,
    pub lib_ver: Option<Vec<u8>>,
    /// RESP2 until the client says HELLO 3.
    pub resp: RespVersion,
    pub hangup: Option<Hangup>,
}

impl Client {
    pub fn new(id: u64, addr: Option<SocketAddr>) -> Client {
        Client {
            id,
            addr,
            name: None,
            lib_name: None,
            lib_ver: None,
            resp: RespVersion::Resp2,
            hangup: None,
        }
    }
}

/// Runs the server on an already bound listener: starts the reaper, says
/// it is ready, and serves clients until SHUTDOWN ends the process.
pub fn serve(listener: TcpListener, config: Config) -> io::Result<()> {
    let address = listener.local_addr()?;
    let server = Arc::new(Server::new(config, address.port()));
    expiry::spawn_reaper(Arc::clone(&server.store), server.config.hz)?;
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
    //@ step 3: Loop: read a request, execute it with a fresh Context, write the reply; stop when the client leaves.
    loop {
        let request = match protocol::read_request(&mut connection) {
            Ok(Some(request)) => request,
            Ok(None) => return Ok(()),
            Err(ReadError::Io(err)) => return Err(err),
            Err(ReadError::Protocol(err)) => {
                // The stream is out of step: answer, then close, as Redis does.
                log::log(Level::Verbose, format_args!("Client {}: {err}", client.id));
                Reply::Error(format!("ERR {err}")).write_to(&mut connection, client.resp)?;
                return connection.close_gently();
            }
        };
        let mut ctx = Context {
            server,
            client: &mut *client,
            now_ms: expiry::now_ms(),
        };
        let reply = commands::execute(&mut ctx, request);
        server.commands_processed.fetch_add(1, Ordering::Relaxed);
        match client.hangup {
            Some(Hangup::Shutdown) => shut_down(),
            Some(Hangup::AfterReply) => {
                reply.write_to(&mut connection, client.resp)?;
                return connection.flush();
            }
            None => reply.write_to(&mut connection, client.resp)?,
        }
    }
    //@ end step 3
}

/// SHUTDOWN: nothing is kept on disk, so there is nothing to save. Exit now.
fn shut_down() -> ! {
    log::log(Level::Warning, format_args!("User requested shutdown..."));
    log::log(
        Level::Warning,
        format_args!("Mini-Redis is now ready to exit, bye bye..."),
    );
    std::process::exit(0)
}
