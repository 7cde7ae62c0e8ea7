//! A client's outbox: the writing side of a socket that other threads write
//! to, while the client's own thread sleeps in a blocking read.
//!
//! A subscriber's thread waits for its client's next command; the messages
//! published to it come from other clients' threads. Those must never wait
//! for a slow subscriber. They append the encoded frame to this queue, under
//! a mutex held for a copy, and once their own client has its replies they
//! deliver what they queued ([`wake_pending`]): while the subscriber keeps
//! up, straight to its socket with a send that never waits
//! ([`sys::send_now`]), as Redis's one thread writes to every client; when
//! its socket is full, by waking the outbox's own writer thread, which may
//! block on it. Only one thread writes to the socket at a time, taking the
//! queue from its front, and the client's own replies go through the same
//! queue, so everything the client receives is in one order.
//!
//! The queue is bounded as Redis bounds a pub/sub client's output buffer
//! (`client-output-buffer-limit pubsub 32mb 8mb 60`): over the hard limit at
//! once, or over the soft limit for longer than its seconds, the client is
//! disconnected and its queue dropped. Memory stays bounded whatever a
//! client does; it costs publishers one failed check.

use std::cell::{Cell, RefCell};
use std::collections::VecDeque;
use std::io::{self, Write};
use std::net::{Shutdown, SocketAddr, TcpStream};
use std::os::fd::AsRawFd;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{self, SendError, Sender};
use std::sync::{Arc, Condvar, Mutex, MutexGuard, OnceLock, PoisonError};
use std::thread;
use std::time::{Duration, Instant};

use crate::log::{self, Level};
use crate::sys;

/// Redis's `client-output-buffer-limit` for one class of clients.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Over this many bytes queued, the client is dropped at once.
    pub hard: usize,
    /// Over this many bytes for longer than `soft_for`, it is dropped too.
    pub soft: usize,
    pub soft_for: Duration,
}

/// `client-output-buffer-limit pubsub 32mb 8mb 60`, Redis's default for
/// pub/sub clients, which we apply to MONITOR clients as well.
pub const PUBSUB_LIMITS: Limits = Limits {
    hard: 32 * 1024 * 1024,
    soft: 8 * 1024 * 1024,
    soft_for: Duration::from_secs(60),
};

/// Bytes per queued chunk, Redis's `PROTO_REPLY_CHUNK_BYTES`: small frames
/// share a chunk, so the writer sends many of them in one system call.
const CHUNK: usize = 16 * 1024;

/// The client's own thread waits, before queueing more replies, while this
/// much is queued: a client that pipelines without reading stays bounded
/// even when no limit applies to it.
const REPLY_BACKLOG: usize = 1024 * 1024;

/// How long a leaving client's queue may take to go out before the socket
/// is shut: a client that stopped reading cannot keep a thread for ever.
const FINISH_WAIT: Duration = Duration::from_secs(1);

/// Who the outbox writes to, for the log line when it drops its client.
#[derive(Debug, Clone)]
pub struct Card {
    pub id: u64,
    pub addr: Option<SocketAddr>,
    pub flags: &'static str,
}

/// The queue and its writer. Shared by `Arc`: the client's thread, the
/// publishers and the writer thread each hold one.
#[derive(Debug)]
pub struct Outbox {
    state: Mutex<State>,
    /// The writer sleeps here while the queue is empty.
    wake_writer: Condvar,
    /// The client's thread sleeps here while the queue is too long, or
    /// while the writer finishes.
    drained: Condvar,
    socket: Arc<TcpStream>,
    /// Whether [`PUBSUB_LIMITS`] apply now: while the client is subscribed
    /// or monitoring. Otherwise it is a normal client, with no limit.
    limited: AtomicBool,
    /// Whether the client speaks RESP3, for publishers encoding frames.
    resp3: AtomicBool,
    card: Mutex<Card>,
    started: Instant,
    /// [`Outbox::open`] was called: a flag to look at without the lock.
    opened: AtomicBool,
}

#[derive(Debug, Default)]
struct State {
    chunks: VecDeque<Vec<u8>>,
    /// Bytes queued or being written: what the limits measure (Redis's omem).
    pending: usize,
    /// Since when `pending` has been over the soft limit.
    over_soft_since: Option<Instant>,
    /// The writer may start (the connection has sent what it had buffered).
    open: bool,
    /// No more bytes are accepted; the writer sends what is left and ends.
    finishing: bool,
    /// Dropped, or the socket failed: nothing more is sent.
    closed: bool,
    writer_asleep: bool,
    /// A thread is writing to the socket: the writer, or a client's thread
    /// sending for it ([`Outbox::send_queued`]). One at a time, each from
    /// the front of the queue, so frames neither interleave nor overtake.
    sending: bool,
    /// On some thread's list of outboxes to deliver ([`wake_pending`]).
    wake_scheduled: bool,
    writer_done: bool,
}

impl Outbox {
    /// An outbox for `socket`, held: its writer starts when [`Outbox::open`]
    /// is called, once the connection has sent the replies it had buffered.
    pub fn new(socket: Arc<TcpStream>, card: Card, resp3: bool) -> io::Result<Arc<Outbox>> {
        let outbox = Arc::new(Outbox {
            state: Mutex::new(State::default()),
            wake_writer: Condvar::new(),
            drained: Condvar::new(),
            socket,
            limited: AtomicBool::new(false),
            resp3: AtomicBool::new(resp3),
            card: Mutex::new(card),
            started: Instant::now(),
            opened: AtomicBool::new(false),
        });
        let writer = Arc::clone(&outbox);
        thread::Builder::new()
            .stack_size(WRITER_STACK_SIZE)
            .spawn(move || writer.write_out())?;
        Ok(outbox)
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Lets the writer start sending.
    pub fn open(&self) {
        if self.opened.swap(true, Ordering::Relaxed) {
            return;
        }
        let mut state = self.lock();
        state.open = true;
        self.wake(&mut state);
    }

    pub fn set_limited(&self, limited: bool, flags: &'static str) {
        self.limited.store(limited, Ordering::Relaxed);
        self.card
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .flags = flags;
    }

    pub fn set_resp3(&self, resp3: bool) {
        self.resp3.store(resp3, Ordering::Relaxed);
    }

    pub fn is_resp3(&self) -> bool {
        self.resp3.load(Ordering::Relaxed)
    }

    /// Queues bytes from another client (a message, a MONITOR line). Never
    /// waits; false if the client is gone or was just dropped for its limits.
    /// The writer is woken later, by [`wake_pending`], once this thread has
    /// sent its own client's replies.
    pub fn push(self: &Arc<Self>, frame: &[u8]) -> bool {
        //@ step 8: Lock the state; if it is closed or finishing, false; else `append` the frame, check the limits with `over_limit` (over: `drop_client`, false), `schedule_wake`, true.
        let mut state = self.lock();
        if state.closed || state.finishing {
            return false;
        }
        append(&mut state, frame);
        if self.limited.load(Ordering::Relaxed) && over_limit(&mut state, Instant::now()) {
            self.drop_client(state);
            return false;
        }
        self.schedule_wake(&mut state);
        true
        //@ end step 8
    }

    /// Queues the client's own reply: as [`Outbox::push`], but the client's
    /// thread then waits while too much is queued, as it would wait for a
    /// socket that is full.
    pub fn push_reply(self: &Arc<Self>, reply: &[u8]) -> io::Result<()> {
        if !self.push(reply) {
            return Err(io::ErrorKind::BrokenPipe.into());
        }
        if self.lock().pending <= REPLY_BACKLOG {
            return Ok(());
        }
        wake_pending();
        let mut state = self.lock();
        while state.pending > REPLY_BACKLOG && !state.closed {
            state = self
                .drained
                .wait(state)
                .unwrap_or_else(PoisonError::into_inner);
        }
        Ok(())
    }

    /// Bytes waiting to be sent (Redis's `omem`).
    pub fn pending(&self) -> usize {
        self.lock().pending
    }

    /// The client is leaving: what is queued goes out (for at most
    /// `FINISH_WAIT`), then the writer ends.
    pub fn finish(&self) {
        let mut state = self.lock();
        state.finishing = true;
        state.open = true;
        self.wake(&mut state);
        let (state, _) = self
            .drained
            .wait_timeout_while(state, FINISH_WAIT, |state| !state.writer_done)
            .unwrap_or_else(PoisonError::into_inner);
        if !state.writer_done {
            // Blocked on a client that does not read: a shut socket ends the write.
            let _ = self.socket.shutdown(Shutdown::Both);
        }
    }

    fn wake(&self, state: &mut State) {
        if state.writer_asleep && state.open {
            state.writer_asleep = false;
            self.wake_writer.notify_one();
        }
    }

    /// Puts the outbox on this thread's list of outboxes to deliver, once:
    /// unless a thread is writing to its socket already, which takes what
    /// is queued when it is done.
    fn schedule_wake(self: &Arc<Self>, state: &mut State) {
        if state.writer_asleep && !state.sending && state.open && !state.wake_scheduled {
            state.wake_scheduled = true;
            TO_WAKE.with(|list| list.borrow_mut().push(Arc::clone(self)));
        }
    }

    /// Over its limit: the queue is dropped and the socket shut, which also
    /// wakes the client's own thread from its read, so it cleans up and ends.
    fn drop_client(&self, mut state: MutexGuard<'_, State>) {
        let omem = state.pending;
        state.chunks = VecDeque::new();
        state.pending = 0;
        state.closed = true;
        state.writer_asleep = false;
        self.wake_writer.notify_one();
        self.drained.notify_all();
        drop(state);
        let _ = self.socket.shutdown(Shutdown::Both);
        let card = self.card.lock().unwrap_or_else(PoisonError::into_inner);
        let addr = card.addr.map_or_else(String::new, |a| a.to_string());
        let laddr = self
            .socket
            .local_addr()
            .map_or_else(|_| String::new(), |a| a.to_string());
        // Redis's line names the client as CLIENT LIST does; these are the
        // fields an outbox knows.
        log::log(
            Level::Warning,
            format_args!(
                "Client id={} addr={addr} laddr={laddr} fd={} age={} flags={} omem={omem} \
                 scheduled to be closed ASAP for overcoming of output buffer limits.",
                card.id,
                self.socket.as_raw_fd(),
                self.started.elapsed().as_secs(),
                card.flags,
            ),
        );
    }

    /// What a client's thread does for the writer: sends what is queued
    /// without waiting, if nobody is writing to the socket already. What the
    /// socket cannot take now goes back to the front of the queue, and the
    /// writer is woken for it; a client that keeps up costs no wake-up.
    /// True if it sent something.
    fn send_queued(&self) -> bool {
        let mut state = self.lock();
        state.wake_scheduled = false;
        let idle = state.writer_asleep && !state.sending;
        if !idle || !state.open || state.closed || state.finishing {
            // Someone is at the socket and sees the queue when done, or the
            // outbox is not sending yet, or no more: nothing to do here.
            return false;
        }
        let mut batch = std::mem::take(&mut state.chunks);
        state.sending = true;
        drop(state);
        let mut sent = 0;
        let mut failed = false;
        while let Some(mut chunk) = batch.pop_front() {
            match send_now_all(&self.socket, &chunk) {
                Ok(n) if n == chunk.len() => sent += n,
                Ok(n) => {
                    // Full: the rest of this chunk first, then the others.
                    sent += n;
                    chunk.drain(..n);
                    batch.push_front(chunk);
                    break;
                }
                Err(_) => {
                    failed = true;
                    break;
                }
            }
        }
        let mut state = self.lock();
        self.sent(&mut state, sent);
        state.sending = false;
        if failed {
            self.close(&mut state);
        } else if !state.closed {
            // Whatever others queued meanwhile comes after the rest.
            while let Some(chunk) = batch.pop_back() {
                state.chunks.push_front(chunk);
            }
        }
        if !state.chunks.is_empty() || state.finishing || state.closed {
            self.wake(&mut state);
        }
        sent > 0
    }

    /// Counts `bytes` as sent, and tells the client's thread if it waits
    /// for the queue to shrink ([`Outbox::push_reply`]).
    fn sent(&self, state: &mut State, bytes: usize) {
        let before = state.pending;
        state.pending = before.saturating_sub(bytes);
        if before > REPLY_BACKLOG && state.pending <= REPLY_BACKLOG {
            self.drained.notify_all();
        }
    }

    /// The socket failed: nothing more is sent, and nobody waits for it.
    fn close(&self, state: &mut State) {
        state.closed = true;
        state.chunks = VecDeque::new();
        self.drained.notify_all();
    }

    /// The writer thread: takes whatever is queued, writes it, and sleeps
    /// when there is nothing left (or while a client's thread sends for
    /// it), until the client leaves.
    fn write_out(&self) {
        loop {
            let batch = {
                let mut state = self.lock();
                loop {
                    if state.closed {
                        break VecDeque::new();
                    }
                    if !state.sending {
                        if state.open && !state.chunks.is_empty() {
                            state.sending = true;
                            break std::mem::take(&mut state.chunks);
                        }
                        if state.finishing {
                            break VecDeque::new();
                        }
                    }
                    state.writer_asleep = true;
                    state = self
                        .wake_writer
                        .wait(state)
                        .unwrap_or_else(PoisonError::into_inner);
                }
            };
            if batch.is_empty() {
                break;
            }
            for chunk in batch {
                let written = write_all(&self.socket, &chunk);
                let mut state = self.lock();
                self.sent(&mut state, chunk.len());
                if written.is_err() {
                    self.close(&mut state);
                    break;
                }
            }
            self.lock().sending = false;
        }
        let mut state = self.lock();
        state.writer_done = true;
        self.drained.notify_all();
    }
}

thread_local! {
    /// The outboxes this thread pushed to while nobody was writing to them.
    static TO_WAKE: RefCell<Vec<Arc<Outbox>>> = const { RefCell::new(Vec::new()) };
    /// Whether this thread's last [`wake_pending`] sent to any socket.
    static DELIVERED: Cell<bool> = const { Cell::new(false) };
}

/// Delivers what this thread queued for others: sends it to each socket
/// that has room, and wakes the writer of each that is full. A client's
/// thread calls it when it has sent its own replies (and before it waits):
/// a publisher answers first and delivers after, so its subscribers do not
/// stand between it and its reply, and one send serves every message a
/// pipeline published, as Redis writes to its clients once per turn of its
/// loop. A long list is shared with the courier thread. None of it waits: a
/// slow subscriber is its writer's to wait for.
pub fn wake_pending() {
    let mut to_wake = TO_WAKE.with(|list| std::mem::take(&mut *list.borrow_mut()));
    if to_wake.len() >= COURIER_FROM {
        if let Some(courier) = courier() {
            let half = to_wake.split_off(to_wake.len() / 2);
            if let Err(SendError(half)) = courier.send(half) {
                to_wake.extend(half);
            }
        }
    }
    let mut delivered = false;
    for outbox in to_wake {
        delivered |= outbox.send_queued();
    }
    DELIVERED.with(|flag| flag.set(delivered));
}

/// Lists of outboxes this long are shared with the [`courier`]; for fewer,
/// waking it would cost more than the sends it takes over (a send costs a
/// few microseconds, and so does a wake-up).
const COURIER_FROM: usize = 8;

/// A thread that delivers for publishers: one with a long list of outboxes
/// to deliver hands the courier half of it and sends the other half
/// itself, so two cores send at once (Redis's `io-threads` share its
/// writes the same way). The hand-off is a channel, so a publisher never
/// waits for the courier, and it holds few lists: an outbox is on one list
/// at a time. `None` on one core, or if no thread could be started.
fn courier() -> Option<&'static Sender<Vec<Arc<Outbox>>>> {
    static COURIER: OnceLock<Option<Sender<Vec<Arc<Outbox>>>>> = OnceLock::new();
    COURIER
        .get_or_init(|| {
            let cores = thread::available_parallelism().map_or(1, |n| n.get());
            if cores < 2 {
                return None;
            }
            let (sender, lists) = mpsc::channel::<Vec<Arc<Outbox>>>();
            thread::Builder::new()
                .name("courier".into())
                .stack_size(WRITER_STACK_SIZE)
                .spawn(move || {
                    for list in lists {
                        for outbox in list {
                            outbox.send_queued();
                        }
                    }
                })
                .ok()?;
            Some(sender)
        })
        .as_ref()
}

/// Whether this thread's last [`wake_pending`] sent frames to other
/// clients' sockets: their readers have just been woken, and need the cores
/// more than this thread needs to spin for its next request.
pub fn just_delivered() -> bool {
    DELIVERED.with(Cell::get)
}

/// A writer needs little stack: it copies bytes to a socket.
const WRITER_STACK_SIZE: usize = 64 * 1024;

/// Adds a frame to the last chunk if it fits, else to a new one. A chunk
/// starts the size of its first frame, since most are sent alone, straight
/// away; the second frame makes room for a whole chunk.
fn append(state: &mut State, frame: &[u8]) {
    state.pending += frame.len();
    if let Some(last) = state.chunks.back_mut() {
        if last.len() + frame.len() <= CHUNK {
            if last.capacity() < last.len() + frame.len() {
                last.reserve_exact(CHUNK - last.len());
            }
            last.extend_from_slice(frame);
            return;
        }
    }
    state.chunks.push_back(frame.to_vec());
}

/// Redis's `checkClientOutputBufferLimits`: over the hard limit, or over the
/// soft one for longer than allowed. The soft limit's clock starts the first
/// time it is seen exceeded, and stops when the queue is back under it.
fn over_limit(state: &mut State, now: Instant) -> bool {
    let limits = PUBSUB_LIMITS;
    if state.pending >= limits.hard {
        return true;
    }
    if state.pending < limits.soft {
        state.over_soft_since = None;
        return false;
    }
    let since = *state.over_soft_since.get_or_insert(now);
    now.duration_since(since) > limits.soft_for
}

/// Sends as much of `bytes` as the socket takes now, without waiting: all
/// of it, or less if its buffer filled.
fn send_now_all(socket: &TcpStream, bytes: &[u8]) -> io::Result<usize> {
    let mut sent = 0;
    while sent < bytes.len() {
        match sys::send_now(socket, &bytes[sent..]) {
            Ok(0) => return Err(io::ErrorKind::WriteZero.into()),
            Ok(n) => sent += n,
            Err(err) if err.kind() == io::ErrorKind::WouldBlock => break,
            Err(err) if err.kind() == io::ErrorKind::Interrupted => {}
            Err(err) => return Err(err),
        }
    }
    Ok(sent)
}

/// Writes all of `bytes`, waiting for the socket. The client's own thread switches the socket to
/// non-blocking mode for moments (the flag belongs to the socket, not to a
/// handle): a write that would block then is tried again a little later.
fn write_all(socket: &TcpStream, mut bytes: &[u8]) -> io::Result<()> {
    let mut socket = socket;
    while !bytes.is_empty() {
        match socket.write(bytes) {
            Ok(0) => return Err(io::ErrorKind::WriteZero.into()),
            Ok(n) => bytes = &bytes[n..],
            Err(err) if err.kind() == io::ErrorKind::WouldBlock => {
                thread::sleep(Duration::from_millis(1))
            }
            Err(err) if err.kind() == io::ErrorKind::Interrupted => {}
            Err(err) => return Err(err),
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Read;
    use std::net::TcpListener;

    /// An open outbox whose writer has gone to sleep, and the client's end.
    fn idle_outbox() -> (Arc<Outbox>, TcpStream) {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let client = TcpStream::connect(listener.local_addr().unwrap()).unwrap();
        let (server, _) = listener.accept().unwrap();
        let card = Card {
            id: 1,
            addr: None,
            flags: "P",
        };
        let outbox = Outbox::new(Arc::new(server), card, false).unwrap();
        outbox.open();
        let started = Instant::now();
        while !outbox.lock().writer_asleep {
            assert!(
                started.elapsed() < Duration::from_secs(5),
                "the writer sleeps"
            );
            thread::yield_now();
        }
        client
            .set_read_timeout(Some(Duration::from_secs(10)))
            .unwrap();
        (outbox, client)
    }

    //@ passes from step 8
    #[test]
    fn a_client_that_keeps_up_is_sent_to_by_the_publishing_thread() {
        let (outbox, mut client) = idle_outbox();
        assert!(outbox.push(b"one "));
        assert!(outbox.push(b"two"));
        wake_pending();
        assert!(just_delivered(), "this thread sent the frames itself");
        let state = outbox.lock();
        assert!(state.writer_asleep && state.chunks.is_empty() && state.pending == 0);
        drop(state);
        let mut got = [0u8; 7];
        client.read_exact(&mut got).unwrap();
        assert_eq!(&got, b"one two");
        wake_pending();
        assert!(!just_delivered(), "nothing was pushed since");
    }

    //@ passes from step 8
    #[test]
    fn a_long_list_is_shared_with_the_courier_and_every_client_gets_its_frames() {
        let clients: Vec<_> = (0..COURIER_FROM * 2).map(|_| idle_outbox()).collect();
        for round in 0..3 {
            for (i, (outbox, _)) in clients.iter().enumerate() {
                assert!(outbox.push(format!("[{round}:{i:02}]").as_bytes()));
            }
            wake_pending();
        }
        for (i, (_, client)) in clients.iter().enumerate() {
            let mut got = [0u8; 18];
            (&*client).read_exact(&mut got).unwrap();
            assert_eq!(got, *format!("[0:{i:02}][1:{i:02}][2:{i:02}]").as_bytes());
        }
    }

    //@ passes from step 8
    #[test]
    fn a_full_socket_hands_the_rest_to_the_writer_in_order_without_waiting() {
        let (outbox, mut client) = idle_outbox();
        // Far more than the kernel's buffers hold, and the client reads none
        // of it yet: the publishing thread sends what fits and goes on.
        let frames: Vec<Vec<u8>> = (0..4000u32)
            .map(|i| format!("{i:>6}").repeat(1 + i as usize % 2000).into_bytes())
            .collect();
        let started = Instant::now();
        for frame in &frames {
            assert!(outbox.push(frame));
            wake_pending();
        }
        assert!(started.elapsed() < Duration::from_secs(5), "nobody waited");
        assert!(outbox.pending() > 0, "the rest is queued for the writer");
        let mut got = vec![0u8; frames.iter().map(Vec::len).sum()];
        client.read_exact(&mut got).unwrap();
        assert!(got == frames.concat(), "every byte, in order");
        outbox.finish();
        assert_eq!(outbox.pending(), 0);
    }

    #[test]
    fn small_frames_share_a_chunk_and_large_ones_get_their_own() {
        let mut state = State::default();
        append(&mut state, b"abc");
        append(&mut state, b"def");
        append(&mut state, &[b'x'; CHUNK]);
        assert_eq!(state.chunks.len(), 2);
        assert_eq!(state.chunks[0], b"abcdef");
        assert_eq!(state.pending, 6 + CHUNK);
    }

    #[test]
    fn the_hard_limit_drops_at_once_and_the_soft_limit_after_its_time() {
        let start = Instant::now();
        let mut state = State {
            pending: PUBSUB_LIMITS.hard,
            ..State::default()
        };
        assert!(over_limit(&mut state, start));
        state.pending = PUBSUB_LIMITS.soft;
        assert!(!over_limit(&mut state, start), "the soft clock starts");
        let later = start + PUBSUB_LIMITS.soft_for;
        assert!(!over_limit(&mut state, later), "60 s is not more than 60 s");
        let later = later + Duration::from_secs(1);
        assert!(over_limit(&mut state, later));
        state.pending = PUBSUB_LIMITS.soft - 1;
        assert!(
            !over_limit(&mut state, later),
            "back under: the clock stops"
        );
        state.pending = PUBSUB_LIMITS.soft;
        assert!(!over_limit(&mut state, later), "and starts again");
    }
}
