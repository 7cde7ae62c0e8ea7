//! One client's socket, buffered both ways: requests come in through a
//! [`BufRead`], replies go out through a [`Write`].
//!
//! The two buffers cooperate. Replies are gathered in memory and sent only
//! when the reader runs out of requests, so a pipeline of a hundred requests
//! that arrived together gets its hundred replies in one write, and a client
//! waiting for an answer always has it before we wait for the client.

use std::io::{self, BufRead, BufReader, BufWriter, Read, Write};
use std::net::{Shutdown, TcpStream};
use std::sync::{Arc, OnceLock};
use std::thread;
use std::time::{Duration, Instant};

use crate::pubsub::Outbox;

/// Bytes read from a client socket at a time: room for a pipeline of about
/// a hundred small requests. Every connected client holds this and the write
/// buffer, so they are kept small (scripts/idle-clients.sh: 16 KiB each made
/// an idle client cost 30 KiB of memory, 4 KiB each 18 KiB).
const READ_BUFFER_SIZE: usize = 4 * 1024;

/// Bytes of replies gathered before a write, unless the client goes quiet first.
const WRITE_BUFFER_SIZE: usize = 4 * 1024;

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
    requests: BufReader<Inbound>,
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
    pub stream: Arc<TcpStream>,
    pub outbox: OutboxSlot,
}

impl Connection {
    /// Wraps an accepted socket.
    pub fn new(socket: TcpStream) -> io::Result<Connection> {
        // We gather replies ourselves, so Nagle's delay would only add latency.
        socket.set_nodelay(true)?;
        // Non-blocking, so Inbound can look for input without sleeping;
        // `blocking` turns waiting back on where waiting is what we want.
        socket.set_nonblocking(true)?;
        let socket = Arc::new(socket);
        let outbound = Outbound(Arc::clone(&socket), OutboxSlot::default());
        let replies = BufWriter::with_capacity(WRITE_BUFFER_SIZE, outbound);
        let inbound = Inbound {
            socket,
            replies,
            spins: MAX_SPINS,
        };
        Ok(Connection {
            requests: BufReader::with_capacity(READ_BUFFER_SIZE, inbound),
            outbox: None,
        })
    }

    /// The socket, to look at it from elsewhere (is the client gone?) and
    /// to give it an outbox.
    pub fn socket(&self) -> SharedSocket {
        let inbound = self.requests.get_ref();
        SharedSocket {
            stream: Arc::clone(&inbound.socket),
            outbox: Arc::clone(&inbound.replies.get_ref().1),
        }
    }

    /// The outbox, if the client has one: the first time, what is still
    /// buffered goes to the socket first, then the outbox may start.
    fn outbox(&mut self) -> io::Result<Option<&Arc<Outbox>>> {
        if self.outbox.is_none() {
            let replies = &mut self.requests.get_mut().replies;
            let Some(outbox) = replies.get_ref().1.get().cloned() else {
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
        let mut socket: &TcpStream = &self.requests.get_ref().socket;
        socket.set_nonblocking(false)?;
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
}

impl Read for Connection {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        self.requests.read(buf)
    }
}

impl BufRead for Connection {
    fn fill_buf(&mut self) -> io::Result<&[u8]> {
        self.requests.fill_buf()
    }

    fn consume(&mut self, amount: usize) {
        self.requests.consume(amount)
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
            None => {
                let replies = &mut self.requests.get_mut().replies;
                if replies.capacity() - replies.buffer().len() < buf.len() {
                    // The buffer is about to go out, and that write may wait
                    // for a slow client: the writers this thread published
                    // to must not wait with it.
                    crate::pubsub::wake_pending();
                }
                replies.write_all(buf)
            }
        }
    }

    fn flush(&mut self) -> io::Result<()> {
        self.requests.get_mut().replies.flush()
    }
}

/// The read side of the socket, under the [`BufReader`] that the RESP parser
/// reads from. The `BufReader` calls it only when it has used up every byte
/// it had, so this is the moment to act:
///
/// 1. Send the replies gathered so far.
/// 2. If the client has been busy, look for its next request a few times,
///    yielding the CPU in between, before going to sleep. A busy client's
///    next request is often only microseconds away; catching it awake saves
///    the thread a sleep and a wake-up, which cost more than the request.
/// 3. Nothing came: sleep in a blocking read until the client sends more.
#[derive(Debug)]
struct Inbound {
    socket: Arc<TcpStream>,
    replies: BufWriter<Outbound>,
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

impl Read for Inbound {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        //@ step 1: Send `self.replies`, then read from `self.socket` (a blocking read will do; the spinning below is a later optimisation).
        self.replies.flush()?;
        let mut socket: &TcpStream = &self.socket;
        for _ in 0..self.spins {
            match socket.read(buf) {
                Err(err) if err.kind() == io::ErrorKind::WouldBlock => thread::yield_now(),
                result => return result,
            }
        }
        let asleep = Instant::now();
        let result = blocking(socket, |mut socket| socket.read(buf));
        self.spins = if asleep.elapsed() < BUSY_GAP {
            MAX_SPINS
        } else {
            self.spins / 2
        };
        result
        //@ end step 1
    }
}

/// The write side of the socket. Writes go straight through while the
/// kernel has room; if a client reads too slowly and its socket buffer is
/// full, this client's thread waits for it (and only this client's thread).
/// The slot is where an outbox appears: once what was buffered before it
/// has been written, a flush lets the outbox start.
#[derive(Debug)]
struct Outbound(Arc<TcpStream>, OutboxSlot);

impl Write for Outbound {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        //@ step 1: Write `buf` to the socket; if it would block, wait for room with `blocking`.
        let mut socket: &TcpStream = &self.0;
        match socket.write(buf) {
            Err(err) if err.kind() == io::ErrorKind::WouldBlock => {
                blocking(socket, |mut socket| socket.write(buf))
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

/// Runs one socket operation in blocking mode, then returns the socket to
/// non-blocking mode.
fn blocking<T>(socket: &TcpStream, op: impl FnOnce(&TcpStream) -> io::Result<T>) -> io::Result<T> {
    socket.set_nonblocking(false)?;
    let result = op(socket);
    socket.set_nonblocking(true)?;
    result
}
