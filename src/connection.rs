//! One client's socket, buffered both ways: requests come in through a
//! [`BufRead`], replies go out through a [`Write`].
//!
//! The two buffers cooperate. Replies are gathered in memory and sent only
//! when the reader runs out of requests, so a pipeline of a hundred requests
//! that arrived together gets its hundred replies in one write, and a client
//! waiting for an answer always has it before we wait for the client.
//!
//! The buffers are sized to the client: small while it is quiet, so that
//! ten thousand idle clients cost little more than their threads, and large
//! once it sends more than a small buffer holds.

use std::io::{self, BufRead, Read, Write};
use std::net::{Shutdown, TcpStream};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, OnceLock};
use std::thread;
use std::time::{Duration, Instant};

use crate::pubsub::Outbox;

/// Bytes read from a quiet client's socket at a time: enough for any one
/// request redis-benchmark sends (MSET of ten keys is about 300 bytes).
const SMALL_READ_BUFFER_SIZE: usize = 512;

/// Bytes read from a busy client's socket at a time: room for a pipeline of
/// about a hundred small requests. A client gets this once a read fills the
/// small buffer, and keeps it until it goes quiet.
const READ_BUFFER_SIZE: usize = 4 * 1024;

/// Bytes of replies gathered before a write, unless the client goes quiet first.
const WRITE_BUFFER_SIZE: usize = 4 * 1024;

/// A client that took longer than this to send its last request is quiet:
/// its buffers are given back before its thread sleeps again. (Redis frees
/// an idle client's query buffer after 2 s, in `clientsCronResizeQueryBuffer`.)
const QUIET_GAP: Duration = Duration::from_millis(100);

/// A client's connection. Read requests from it (it is a [`BufRead`]) and
/// write replies to it (it is a [`Write`]); replies leave when the reader
/// needs more input, or on [`Write::flush`].
///
/// Both directions share the one socket (`&TcpStream` can read and write),
/// so a client costs one file descriptor, as in Redis.
///
/// Once the client subscribes (or MONITORs), other threads write to it too:
/// it then gets an [`Outbox`], put in the [`SharedSocket`]'s slot, and from
/// the next write on, the connection sends what it had buffered and hands
/// every reply to the outbox instead, so replies and messages keep one order.
#[derive(Debug)]
pub struct Connection {
    /// Requests read from the socket: `requests[parsed..filled]` are not
    /// parsed yet. Its length is the size of the next read.
    requests: Vec<u8>,
    parsed: usize,
    filled: usize,
    inbound: Inbound,
    /// The outbox, once the connection has handed its writing over to it.
    outbox: Option<Arc<Outbox>>,
}

/// Where a client's outbox goes when it gets one: set once, by the client's
/// own thread (a subscribing command), read by its connection.
pub type OutboxSlot = Arc<OnceLock<Arc<Outbox>>>;

/// The client's socket as the rest of the server may hold it: to ask
/// whether the client is still there, and to give it an outbox.
#[derive(Debug, Clone)]
pub struct SharedSocket {
    pub socket: Arc<Socket>,
    pub outbox: OutboxSlot,
}

impl Connection {
    /// Wraps an accepted socket.
    pub fn new(socket: TcpStream) -> io::Result<Connection> {
        // We gather replies ourselves, so Nagle's delay would only add latency.
        socket.set_nodelay(true)?;
        let socket = Arc::new(Socket::new(socket));
        let outbound = Outbound(Arc::clone(&socket), OutboxSlot::default());
        let replies = Replies::new(outbound);
        let inbound = Inbound {
            socket,
            replies,
            // A new client is quiet until it shows otherwise.
            last_wait: QUIET_GAP,
        };
        Ok(Connection {
            requests: Vec::new(),
            parsed: 0,
            filled: 0,
            inbound,
            outbox: None,
        })
    }

    /// The socket, to look at it from elsewhere (is the client gone?) and
    /// to give it an outbox.
    pub fn socket(&self) -> SharedSocket {
        SharedSocket {
            socket: Arc::clone(&self.inbound.socket),
            outbox: Arc::clone(&self.inbound.replies.socket.1),
        }
    }

    /// The outbox, if the client has one: the first time, what is still
    /// buffered goes to the socket first, then the outbox may start.
    fn outbox(&mut self) -> io::Result<Option<&Arc<Outbox>>> {
        if self.outbox.is_none() {
            let replies = &mut self.inbound.replies;
            let Some(outbox) = replies.socket.1.get().cloned() else {
                return Ok(None);
            };
            replies.flush()?;
            outbox.open();
            self.outbox = Some(outbox);
        }
        Ok(self.outbox.as_ref())
    }

    /// Sends what is buffered, then closes a connection whose client may
    /// still be sending. Closing a socket with unread input makes the kernel
    /// reset the connection, and a reset can destroy the reply we just sent
    /// before the client reads it. So we say we are done writing, then read
    /// and drop what is still in flight (a bounded amount, for a bounded
    /// time) before the socket is closed.
    pub fn close_gently(mut self) -> io::Result<()> {
        const DRAIN_LIMIT: usize = 1024 * 1024;
        self.flush()?;
        if let Some(outbox) = self.outbox()? {
            outbox.finish();
        }
        self.inbound.socket.set_nonblocking(false)?;
        let mut socket = self.inbound.socket.stream();
        socket.shutdown(Shutdown::Write)?;
        socket.set_read_timeout(Some(Duration::from_millis(100)))?;
        let mut sink = [0u8; 4096];
        let mut drained = 0;
        while drained < DRAIN_LIMIT {
            match socket.read(&mut sink) {
                Ok(0) | Err(_) => break,
                Ok(n) => drained += n,
            }
        }
        Ok(())
    }

    /// Reads the next requests into the buffer, which the parser has
    /// used up. A quiet client's thread first gives its buffers back, then
    /// sleeps until the client sends something, and only then takes a
    /// small buffer again: an idle client holds no buffer at all.
    fn refill(&mut self) -> io::Result<()> {
        let quiet = self.inbound.last_wait >= QUIET_GAP;
        let waiting = Instant::now();
        if quiet {
            self.inbound.replies.flush()?;
            self.inbound.replies.let_go();
            self.requests = Vec::new();
            self.inbound.socket.set_nonblocking(false)?;
            self.inbound.socket.stream().peek(&mut [0; 1])?;
        }
        // Large if the last read filled the buffer; small for a quiet client.
        let size = if self.filled > 0 && self.filled == self.requests.len() {
            READ_BUFFER_SIZE
        } else {
            self.requests.len().max(SMALL_READ_BUFFER_SIZE)
        };
        if self.requests.len() != size {
            self.requests = vec![0; size];
        }
        self.filled = self.inbound.read(&mut self.requests)?;
        self.parsed = 0;
        if quiet {
            self.inbound.last_wait = waiting.elapsed();
        }
        Ok(())
    }
}

impl Read for Connection {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        // A large read (a big bulk string) skips the buffer, as BufReader's does.
        if self.parsed == self.filled && buf.len() >= READ_BUFFER_SIZE {
            return self.inbound.read(buf);
        }
        let available = self.fill_buf()?;
        let n = available.len().min(buf.len());
        buf[..n].copy_from_slice(&available[..n]);
        self.consume(n);
        Ok(n)
    }
}

impl BufRead for Connection {
    fn fill_buf(&mut self) -> io::Result<&[u8]> {
        if self.parsed == self.filled {
            self.refill()?;
        }
        Ok(&self.requests[self.parsed..self.filled])
    }

    fn consume(&mut self, amount: usize) {
        self.parsed = (self.parsed + amount).min(self.filled);
    }
}

impl Write for Connection {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.write_all(buf)?;
        Ok(buf.len())
    }

    fn write_all(&mut self, buf: &[u8]) -> io::Result<()> {
        match self.outbox()? {
            Some(outbox) => outbox.push_reply(buf),
            None => self.inbound.replies.write_all(buf),
        }
    }

    fn flush(&mut self) -> io::Result<()> {
        self.inbound.replies.flush()
    }
}

/// The read side of the socket, under the buffer that the RESP parser reads
/// from. The [`Connection`] calls it only when the parser has used up every
/// byte it had, so this is the moment to act:
///
/// 1. Send the replies gathered so far.
/// 2. Maybe spin: look for the next request for a few microseconds without
///    sleeping ([`Inbound::spin`]).
/// 3. Nothing came: sleep in a blocking read until the client sends more.
#[derive(Debug)]
struct Inbound {
    socket: Arc<Socket>,
    replies: Replies,
    /// How long the client took, last time, to send a request once it had
    /// its replies: the best guess for how long it will take this time.
    last_wait: Duration,
}

/// Longest a client thread spins for the next request before it sleeps:
/// about what a sleep and a wake-up cost on the machines measured (tens of
/// microseconds); 20, 100 and 200 µs did no better (docs/performance.md).
const SPIN_TIME: Duration = Duration::from_micros(50);

impl Read for Inbound {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        //@ step 1: Send `self.replies`, then read from `self.socket` (a blocking read will do; the spinning below is a later optimisation).
        self.replies.flush()?;
        let waiting = Instant::now();
        let result = match self.spin(buf) {
            Some(result) => result,
            None => {
                self.socket.set_nonblocking(false)?;
                self.socket.stream().read(buf)
            }
        };
        self.last_wait = waiting.elapsed();
        result
        //@ end step 1
    }
}

impl Inbound {
    /// Looks for the client's next request for up to [`SPIN_TIME`] without
    /// sleeping, yielding the CPU in between; `None` if nothing came, or if
    /// spinning would not pay. It pays only when both hold:
    ///
    /// - the client was quick last time: a client that took longer than
    ///   `SPIN_TIME` would most likely make us spin in vain;
    /// - a core is free to spin on: at most one thread per core spins
    ///   ([`Spinner`]), so spinning never keeps a woken thread, which has
    ///   real work, off the cores; nor does a thread that has just sent
    ///   messages to subscribers, whose readers it woke.
    fn spin(&mut self, buf: &mut [u8]) -> Option<io::Result<usize>> {
        if self.last_wait >= SPIN_TIME || crate::pubsub::just_delivered() {
            return None;
        }
        let _spinner = Spinner::start()?;
        if let Err(err) = self.socket.set_nonblocking(true) {
            return Some(Err(err));
        }
        let mut stream = self.socket.stream();
        let start = Instant::now();
        loop {
            match stream.read(buf) {
                Err(err) if err.kind() == io::ErrorKind::WouldBlock => {
                    if start.elapsed() >= SPIN_TIME {
                        return None;
                    }
                    thread::yield_now();
                }
                result => return Some(result),
            }
        }
    }
}

/// A place among the threads that are spinning: there are as many places as
/// cores ([`thread::available_parallelism`]).
struct Spinner;

/// How many threads are spinning now.
static SPINNERS: AtomicUsize = AtomicUsize::new(0);

impl Spinner {
    /// A place, if one is free.
    fn start() -> Option<Spinner> {
        static CORES: OnceLock<usize> = OnceLock::new();
        let cores = *CORES.get_or_init(|| thread::available_parallelism().map_or(1, |n| n.get()));
        if SPINNERS.fetch_add(1, Ordering::Relaxed) < cores {
            Some(Spinner)
        } else {
            SPINNERS.fetch_sub(1, Ordering::Relaxed);
            None
        }
    }
}

impl Drop for Spinner {
    fn drop(&mut self) {
        SPINNERS.fetch_sub(1, Ordering::Relaxed);
    }
}

/// Replies not sent yet, in front of the socket: what [`BufWriter`] does,
/// except that the memory can be given back while the client is quiet.
///
/// [`BufWriter`]: std::io::BufWriter
#[derive(Debug)]
struct Replies {
    pending: Vec<u8>,
    socket: Outbound,
}

impl Replies {
    fn new(socket: Outbound) -> Replies {
        Replies {
            pending: Vec::new(),
            socket,
        }
    }

    /// Frees the buffer; the next reply allocates a new one.
    fn let_go(&mut self) {
        self.pending = Vec::new();
    }
}

impl Write for Replies {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let overflows = self.pending.len() + buf.len() > WRITE_BUFFER_SIZE;
        if overflows || buf.len() >= WRITE_BUFFER_SIZE {
            // Bytes are about to go out, and that write may wait for a slow
            // client: the writers this thread published to must not wait
            // with it.
            crate::pubsub::wake_pending();
        }
        if overflows {
            self.flush()?;
        }
        if buf.len() >= WRITE_BUFFER_SIZE {
            // A large reply goes out as it is, not copied first.
            return self.socket.write(buf);
        }
        self.pending.extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        if !self.pending.is_empty() {
            self.socket.write_all(&self.pending)?;
            self.pending.clear();
        }
        self.socket.flush()
    }
}

/// The write side of the socket. Writes go straight through while the
/// kernel has room; if a client reads too slowly and its socket buffer is
/// full, this client's thread waits for it (and only this client's thread).
/// The slot is where an outbox appears: once what was buffered before it
/// has been written, a flush lets the outbox start.
#[derive(Debug)]
struct Outbound(Arc<Socket>, OutboxSlot);

impl Write for Outbound {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        //@ step 1: Write `buf` to the socket; if it would block (the socket is non-blocking after a spin), make it blocking and write again.
        let mut stream = self.0.stream();
        match stream.write(buf) {
            Err(err) if err.kind() == io::ErrorKind::WouldBlock => {
                self.0.set_nonblocking(false)?;
                stream.write(buf)
            }
            result => result,
        }
        //@ end step 1
    }

    fn flush(&mut self) -> io::Result<()> {
        if let Some(outbox) = self.1.get() {
            outbox.open();
        }
        // Our replies are out: now the writers of those we published to.
        crate::pubsub::wake_pending();
        Ok(())
    }
}

/// A client's socket, and the mode it is in. A thread with nothing to do
/// should sleep in a blocking `read`; a thread that spins needs reads that
/// fail with `WouldBlock` instead. Switching is a system call (an `ioctl`),
/// so the mode is remembered and switched only when it must change: a
/// client that keeps its thread spinning, or one that keeps it sleeping,
/// costs no switch at all.
#[derive(Debug)]
pub struct Socket {
    /// Shared with the client's [`Outbox`], if it gets one.
    stream: Arc<TcpStream>,
    nonblocking: AtomicBool,
}

impl Socket {
    fn new(stream: TcpStream) -> Socket {
        Socket {
            stream: Arc::new(stream),
            nonblocking: AtomicBool::new(false),
        }
    }

    pub fn stream(&self) -> &TcpStream {
        &self.stream
    }

    /// The stream, for an [`Outbox`]'s writer thread to write to.
    pub fn shared_stream(&self) -> Arc<TcpStream> {
        Arc::clone(&self.stream)
    }

    /// Switches to non-blocking (`true`) or blocking mode, unless the socket
    /// is in that mode already. Only the client's own thread calls this.
    pub fn set_nonblocking(&self, nonblocking: bool) -> io::Result<()> {
        if self.nonblocking.load(Ordering::Relaxed) != nonblocking {
            self.stream.set_nonblocking(nonblocking)?;
            self.nonblocking.store(nonblocking, Ordering::Relaxed);
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::net::TcpListener;

    /// A connection under test and the client's end of its socket.
    fn connected() -> (Connection, TcpStream) {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let client = TcpStream::connect(listener.local_addr().unwrap()).unwrap();
        let (server, _) = listener.accept().unwrap();
        (Connection::new(server).unwrap(), client)
    }

    /// Reads everything buffered now and returns how much it was.
    fn take(connection: &mut Connection) -> usize {
        let n = connection.fill_buf().unwrap().len();
        connection.consume(n);
        n
    }

    //@ passes from step 1
    #[test]
    fn a_quiet_client_gets_a_small_buffer_and_a_busy_one_a_large_one() {
        let (mut connection, mut client) = connected();
        client.write_all(&[b'a'; 2000]).unwrap();
        // Fresh clients are quiet: the first read takes what a small buffer holds.
        assert_eq!(take(&mut connection), SMALL_READ_BUFFER_SIZE);
        // That filled the buffer, so the next read is a large one.
        assert_eq!(take(&mut connection), 2000 - SMALL_READ_BUFFER_SIZE);
        assert_eq!(connection.requests.len(), READ_BUFFER_SIZE);

        // A request after a pause still lands in the large buffer; the pause
        // makes the client quiet, so the next read is small again.
        let late = thread::spawn(move || {
            thread::sleep(QUIET_GAP + Duration::from_millis(50));
            client.write_all(b"b").unwrap();
            client
        });
        assert_eq!(take(&mut connection), 1);
        assert_eq!(connection.requests.len(), READ_BUFFER_SIZE);
        assert!(connection.inbound.last_wait >= QUIET_GAP);
        let mut client = late.join().unwrap();
        client.write_all(b"c").unwrap();
        assert_eq!(take(&mut connection), 1);
        assert_eq!(connection.requests.len(), SMALL_READ_BUFFER_SIZE);
    }

    //@ passes from step 1
    #[test]
    fn replies_wait_for_the_reader_and_a_quiet_client_keeps_no_reply_buffer() {
        let (mut connection, mut client) = connected();
        client.write_all(b"one\n").unwrap();
        let mut line = Vec::new();
        connection.read_until(b'\n', &mut line).unwrap();
        connection.write_all(b"+1\r\n").unwrap();
        connection.write_all(b"+2\r\n").unwrap();
        // Nothing is sent until the connection needs the client's next request.
        client.set_nonblocking(true).unwrap();
        let mut reply = [0u8; 16];
        let nothing = client.read(&mut reply);
        assert_eq!(nothing.unwrap_err().kind(), io::ErrorKind::WouldBlock);
        client.set_nonblocking(false).unwrap();

        let reader = thread::spawn(move || {
            let mut replies = [0u8; 8];
            client.read_exact(&mut replies).unwrap();
            // Quiet for a while, then one more request.
            thread::sleep(QUIET_GAP + Duration::from_millis(50));
            client.write_all(b"two\n").unwrap();
            (replies, client)
        });
        line.clear();
        connection.read_until(b'\n', &mut line).unwrap();
        assert_eq!(line, b"two\n");
        let (replies, mut client) = reader.join().unwrap();
        assert_eq!(&replies, b"+1\r\n+2\r\n");

        // The client was quiet: before the next wait, the replies' buffer goes.
        connection.write_all(b"+3\r\n").unwrap();
        client.write_all(b"three\n").unwrap();
        line.clear();
        connection.read_until(b'\n', &mut line).unwrap();
        assert_eq!(line, b"three\n");
        assert_eq!(connection.inbound.replies.pending.capacity(), 0);
        let mut last = [0u8; 4];
        client.read_exact(&mut last).unwrap();
        assert_eq!(&last, b"+3\r\n");
    }

    //@ passes from step 1
    #[test]
    fn a_large_read_bypasses_the_buffer_and_sees_every_byte() {
        let (mut connection, mut client) = connected();
        let sent: Vec<u8> = (0..100_000u32).map(|i| (i % 251) as u8).collect();
        let writer = {
            let sent = sent.clone();
            thread::spawn(move || client.write_all(&sent).unwrap())
        };
        let mut received = vec![0u8; sent.len()];
        connection.read_exact(&mut received).unwrap();
        writer.join().unwrap();
        assert_eq!(received, sent);
    }
}
