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

use std::io::{self, BufReader, BufWriter, Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, RwLock};
use std::thread;
use std::time::{Duration, Instant};

use crate::commands::{self, Context};
use crate::config::Config;
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

/// Bytes read from a client socket at a time: room for a pipeline of about
/// a hundred small requests. Every connected client holds this and the write
/// buffer, so they are kept small (scripts/idle-clients.sh: 16 KiB each made
/// an idle client cost 30 KiB of memory, 4 KiB each 18 KiB).
const READ_BUFFER_SIZE: usize = 4 * 1024;

/// Bytes of replies gathered before a write, unless the client goes quiet first.
const WRITE_BUFFER_SIZE: usize = 4 * 1024;

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

/// Binds the listening socket the configuration asks for.
pub fn bind(config: &Config) -> io::Result<TcpListener> {
    TcpListener::bind((config.bind, config.port))
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

/// The read side of a client's socket, under the [`BufReader`] that the RESP
/// parser reads from. The reader calls it only when it has used up every
/// byte it had, so this is the moment to act:
///
/// 1. Send the replies gathered so far. A pipeline of requests that arrived
///    together gets its replies in one write, and a client waiting for an
///    answer always has it before we wait on the client.
/// 2. If the client has been busy, look for its next request a few times,
///    yielding the CPU in between, before going to sleep. A busy client's
///    next request is often only microseconds away; catching it awake saves
///    the thread a sleep and a wake-up, which cost more than the request.
/// 3. Nothing came: sleep in a blocking read until the client sends more.
///
/// The socket is kept in non-blocking mode for step 2; [`Outbound`] and
/// [`blocking`] turn waiting back on where waiting is what we want.
///
/// Both halves borrow the one socket (`&TcpStream` can read and write), so
/// a client costs one file descriptor, as in Redis.
struct Inbound<'a> {
    socket: &'a TcpStream,
    replies: BufWriter<Outbound<'a>>,
    /// How many non-blocking reads step 2 may try: [`MAX_SPINS`] while the
    /// client keeps us busy, halved each time it makes us sleep for long,
    /// so an idle client soon costs no CPU at all between its requests.
    spins: usize,
}

/// Most non-blocking reads tried before a client thread sleeps. Measured
/// with scripts/bench.sh: with none, 50 unpipelined clients run at about
/// 0.75x Redis; 20 to 100 bring them to about 1.0x; 200 is worse again, as
/// the yields start to take CPU time from the clients themselves.
const MAX_SPINS: usize = 50;

/// A sleep shorter than this means the client is busy: spin again next time.
const BUSY_GAP: Duration = Duration::from_millis(1);

impl Read for Inbound<'_> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        self.replies.flush()?;
        for _ in 0..self.spins {
            match self.socket.read(buf) {
                Err(err) if err.kind() == io::ErrorKind::WouldBlock => thread::yield_now(),
                result => return result,
            }
        }
        let asleep = Instant::now();
        let result = blocking(self.socket, |mut socket| socket.read(buf));
        self.spins = if asleep.elapsed() < BUSY_GAP {
            MAX_SPINS
        } else {
            self.spins / 2
        };
        result
    }
}

/// The write side of a client's socket. Writes go straight through while the
/// kernel has room; if a client reads too slowly and its socket buffer is
/// full, this client's thread waits for it (and only this client's thread).
struct Outbound<'a>(&'a TcpStream);

impl Write for Outbound<'_> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        match self.0.write(buf) {
            Err(err) if err.kind() == io::ErrorKind::WouldBlock => {
                blocking(self.0, |mut socket| socket.write(buf))
            }
            result => result,
        }
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

/// Runs one socket operation in blocking mode, then returns the socket to
/// non-blocking mode.
fn blocking<T>(socket: &TcpStream, op: impl FnOnce(&TcpStream) -> io::Result<T>) -> io::Result<T> {
    socket.set_nonblocking(false)?;
    let result = op(socket);
    socket.set_nonblocking(true)?;
    result
}

/// Reads, executes and answers requests until the client leaves or errs.
fn run_connection(server: &Server, client: &mut Client, socket: TcpStream) -> io::Result<()> {
    // We gather replies ourselves, so Nagle's delay would only add latency.
    socket.set_nodelay(true)?;
    socket.set_nonblocking(true)?;
    let replies = BufWriter::with_capacity(WRITE_BUFFER_SIZE, Outbound(&socket));
    let inbound = Inbound {
        socket: &socket,
        replies,
        spins: MAX_SPINS,
    };
    let mut requests = BufReader::with_capacity(READ_BUFFER_SIZE, inbound);
    loop {
        let request = match protocol::read_request(&mut requests) {
            Ok(Some(request)) => request,
            Ok(None) => return Ok(()),
            Err(ReadError::Io(err)) => return Err(err),
            Err(ReadError::Protocol(err)) => {
                // The stream is out of step: answer, then close, as Redis does.
                log::log(Level::Verbose, format_args!("Client {}: {err}", client.id));
                let inbound = requests.get_mut();
                Reply::Error(format!("ERR {err}")).write_to(&mut inbound.replies, client.resp)?;
                inbound.replies.flush()?;
                close_gently(inbound.socket);
                return Ok(());
            }
        };
        let mut ctx = Context {
            server,
            client: &mut *client,
            now_ms: expiry::now_ms(),
        };
        let reply = commands::execute(&mut ctx, request);
        server.commands_processed.fetch_add(1, Ordering::Relaxed);
        let out = &mut requests.get_mut().replies;
        match client.hangup {
            Some(Hangup::Shutdown) => shut_down(),
            Some(Hangup::AfterReply) => {
                reply.write_to(out, client.resp)?;
                return out.flush();
            }
            None => reply.write_to(out, client.resp)?,
        }
    }
}

/// Closes a connection whose client may still be sending. Closing a socket
/// with unread input makes the kernel reset the connection, and a reset can
/// destroy the error reply we just sent before the client reads it. So we
/// say we are done writing, then read and drop what is still in flight
/// (a bounded amount, for a bounded time) before the socket is closed.
fn close_gently(socket: &TcpStream) {
    const DRAIN_LIMIT: usize = 1024 * 1024;
    let _ = socket.set_nonblocking(false);
    let _ = socket.shutdown(std::net::Shutdown::Write);
    let _ = socket.set_read_timeout(Some(Duration::from_millis(100)));
    let mut sink = [0u8; 4096];
    let mut drained = 0;
    let mut reader = socket;
    while drained < DRAIN_LIMIT {
        match reader.read(&mut sink) {
            Ok(0) | Err(_) => break,
            Ok(n) => drained += n,
        }
    }
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
