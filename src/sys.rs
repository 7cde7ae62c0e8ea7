//! The few POSIX calls std has no API for, each behind a safe function.
//!
//! std can open sockets and spawn threads, but it cannot catch a signal,
//! read or raise the limit of open files, turn on TCP keepalive, choose a
//! listen backlog (`TcpListener::bind` always asks for 128), or send on a
//! socket without waiting while another thread blocks reading it. Redis
//! does all five with plain libc calls, and so do we: this module declares those C
//! functions (they are in the C library every Rust program on Linux already
//! links), and is the only place in the crate allowed `unsafe`. Each
//! `unsafe` block is one call whose arguments are checked right there.
//!
//! Written for Linux on x86_64 and aarch64: the constants below are the
//! values of `<signal.h>`, `<sys/resource.h>`, `<sys/socket.h>` and
//! `<netinet/tcp.h>` there (they are the same on both).

use std::io;
use std::net::{TcpListener, TcpStream};
use std::os::fd::{AsRawFd, IntoRawFd, RawFd};
use std::os::unix::net::UnixStream;
use std::sync::atomic::{AtomicI32, Ordering};

type CInt = i32;

/// `sighandler_t`: a handler's address, or `SIG_IGN`.
type SigHandler = usize;

/// `struct rlimit` on 64-bit Linux: two `rlim_t`, which are `u64`.
#[repr(C)]
struct RLimit {
    rlim_cur: u64,
    rlim_max: u64,
}

extern "C" {
    /// `sighandler_t signal(int signum, sighandler_t handler)`. glibc's and
    /// musl's `signal` install the handler with `SA_RESTART`, so a signal
    /// does not make another thread's blocking `read` fail with `EINTR`.
    fn signal(signum: CInt, handler: SigHandler) -> SigHandler;
    /// `ssize_t write(int fd, const void *buf, size_t count)`: the one call
    /// the signal handler makes; POSIX lists it as async-signal-safe.
    fn write(fd: CInt, buf: *const u8, count: usize) -> isize;
    /// `int getrlimit(int resource, struct rlimit *rlim)`
    fn getrlimit(resource: CInt, rlim: *mut RLimit) -> CInt;
    /// `int setrlimit(int resource, const struct rlimit *rlim)`
    fn setrlimit(resource: CInt, rlim: *const RLimit) -> CInt;
    /// `int setsockopt(int fd, int level, int name, const void *value, socklen_t len)`
    fn setsockopt(fd: CInt, level: CInt, name: CInt, value: *const CInt, len: u32) -> CInt;
    /// `int listen(int fd, int backlog)`: on a socket that already listens,
    /// Linux only changes the backlog.
    fn listen(fd: CInt, backlog: CInt) -> CInt;
    /// `ssize_t send(int fd, const void *buf, size_t len, int flags)`
    fn send(fd: CInt, buf: *const u8, len: usize, flags: CInt) -> isize;
}

const SIGHUP: CInt = 1;
const SIGINT: CInt = 2;
const SIGTERM: CInt = 15;
const SIG_IGN: SigHandler = 1;
const SIG_ERR: SigHandler = usize::MAX;

const RLIMIT_NOFILE: CInt = 7;

const SOL_SOCKET: CInt = 1;
const SO_KEEPALIVE: CInt = 9;
const IPPROTO_TCP: CInt = 6;
const TCP_KEEPIDLE: CInt = 4;
const TCP_KEEPINTVL: CInt = 5;
const TCP_KEEPCNT: CInt = 6;
const MSG_DONTWAIT: CInt = 0x40;
const MSG_NOSIGNAL: CInt = 0x4000;

/// A signal that asks the server to stop.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Signal {
    /// SIGINT: Ctrl-C.
    Interrupt,
    /// SIGTERM: `kill`, or a service manager stopping the server.
    Terminate,
}

impl Signal {
    /// Its name, as Redis logs it.
    pub fn name(self) -> &'static str {
        match self {
            Signal::Interrupt => "SIGINT",
            Signal::Terminate => "SIGTERM",
        }
    }

    fn from_number(number: u8) -> Option<Signal> {
        match CInt::from(number) {
            SIGINT => Some(Signal::Interrupt),
            SIGTERM => Some(Signal::Terminate),
            _ => None,
        }
    }
}

/// The socket the signal handler writes to; -1 until
/// [`shutdown_signals`] installs the handler.
static SIGNAL_PIPE: AtomicI32 = AtomicI32::new(-1);

/// Runs on whatever thread the kernel picked, between any two instructions
/// of it: it may only do what is async-signal-safe. It writes the signal's
/// number down a socket that an ordinary thread reads ([`SignalReceiver`]),
/// and does nothing else. A successful `write` leaves `errno` alone; the
/// write can only fail if a hundred-odd signals are already waiting unread,
/// and then one more changes nothing.
extern "C" fn on_shutdown_signal(number: CInt) {
    let fd = SIGNAL_PIPE.load(Ordering::Relaxed);
    let byte = number as u8;
    // SAFETY: `byte` is a live one-byte buffer; a bad `fd` only makes write fail.
    #[allow(unsafe_code)]
    unsafe {
        write(fd, &byte, 1);
    }
}

/// The reading end of the signal handler's socket.
#[derive(Debug)]
pub struct SignalReceiver(UnixStream);

impl SignalReceiver {
    /// Blocks until SIGINT or SIGTERM arrives.
    pub fn wait(&mut self) -> io::Result<Signal> {
        use std::io::Read;
        let mut byte = [0u8; 1];
        loop {
            self.0.read_exact(&mut byte)?;
            if let Some(signal) = Signal::from_number(byte[0]) {
                return Ok(signal);
            }
        }
    }
}

/// Catches SIGINT and SIGTERM from now on: instead of ending the process at
/// once, each is handed to whoever waits on the returned receiver. Call it
/// once.
pub fn shutdown_signals() -> io::Result<SignalReceiver> {
    let (receiver, sender) = UnixStream::pair()?;
    // The handler must never block: a full socket drops the signal instead.
    sender.set_nonblocking(true)?;
    // The sending end stays open for the life of the process.
    let previous = SIGNAL_PIPE.swap(sender.into_raw_fd(), Ordering::SeqCst);
    assert_eq!(previous, -1, "shutdown_signals is called once");
    for number in [SIGINT, SIGTERM] {
        set_handler(
            number,
            on_shutdown_signal as extern "C" fn(CInt) as SigHandler,
        )?;
    }
    Ok(SignalReceiver(receiver))
}

/// SIGHUP (the terminal went away) is ignored from now on, as Redis does
/// when it has no configuration file to reload.
pub fn ignore_hangup() -> io::Result<()> {
    set_handler(SIGHUP, SIG_IGN)
}

fn set_handler(number: CInt, handler: SigHandler) -> io::Result<()> {
    // SAFETY: `handler` is SIG_IGN or an `extern "C" fn(c_int)` that lives
    // for the whole program and only does async-signal-safe work.
    #[allow(unsafe_code)]
    let previous = unsafe { signal(number, handler) };
    if previous == SIG_ERR {
        return Err(io::Error::last_os_error());
    }
    Ok(())
}

/// The limit on open file descriptors (`RLIMIT_NOFILE`): (soft, hard).
pub fn open_files_limit() -> io::Result<(u64, u64)> {
    let mut limit = RLimit {
        rlim_cur: 0,
        rlim_max: 0,
    };
    // SAFETY: `limit` is a valid, writable `struct rlimit`.
    #[allow(unsafe_code)]
    let result = unsafe { getrlimit(RLIMIT_NOFILE, &mut limit) };
    if result == -1 {
        return Err(io::Error::last_os_error());
    }
    Ok((limit.rlim_cur, limit.rlim_max))
}

/// Sets both the soft and the hard limit on open file descriptors to
/// `files`. Raising the hard limit needs privilege; lowering it is for good.
pub fn set_open_files_limit(files: u64) -> io::Result<()> {
    let limit = RLimit {
        rlim_cur: files,
        rlim_max: files,
    };
    // SAFETY: `limit` is a valid `struct rlimit`, only read.
    #[allow(unsafe_code)]
    let result = unsafe { setrlimit(RLIMIT_NOFILE, &limit) };
    if result == -1 {
        return Err(io::Error::last_os_error());
    }
    Ok(())
}

/// Turns on TCP keepalive as Redis's `anetKeepAlive` does: the first probe
/// after `interval` seconds of silence, then one every `interval / 3`, and
/// the connection is dropped after three unanswered probes. A client whose
/// machine vanished is then noticed, and its thread freed, within about
/// twice `interval`.
pub fn set_keepalive(socket: &TcpStream, interval: u32) -> io::Result<()> {
    let fd = socket.as_raw_fd();
    let idle = CInt::try_from(interval).unwrap_or(CInt::MAX);
    set_int_option(fd, SOL_SOCKET, SO_KEEPALIVE, 1)?;
    set_int_option(fd, IPPROTO_TCP, TCP_KEEPIDLE, idle)?;
    set_int_option(fd, IPPROTO_TCP, TCP_KEEPINTVL, (idle / 3).max(1))?;
    set_int_option(fd, IPPROTO_TCP, TCP_KEEPCNT, 3)
}

fn set_int_option(fd: RawFd, level: CInt, name: CInt, value: CInt) -> io::Result<()> {
    let len = std::mem::size_of::<CInt>() as u32;
    // SAFETY: `value` is a live `int`, and `len` is its size.
    #[allow(unsafe_code)]
    let result = unsafe { setsockopt(fd, level, name, &value, len) };
    if result == -1 {
        return Err(io::Error::last_os_error());
    }
    Ok(())
}

/// Sets how many connections the kernel may hold, handshake done, waiting
/// for `accept` (Redis's `tcp-backlog`). The kernel caps it at
/// `/proc/sys/net/core/somaxconn`.
pub fn set_backlog(listener: &TcpListener, backlog: u32) -> io::Result<()> {
    let backlog = CInt::try_from(backlog).unwrap_or(CInt::MAX);
    // SAFETY: a plain call on a socket we own; no memory is passed.
    #[allow(unsafe_code)]
    let result = unsafe { listen(listener.as_raw_fd(), backlog) };
    if result == -1 {
        return Err(io::Error::last_os_error());
    }
    Ok(())
}

/// Sends what the kernel's buffer for `socket` takes of `bytes` now, and
/// never waits: a full buffer is `WouldBlock`. std can only do this by
/// switching the whole socket to non-blocking mode, and that flag is shared
/// by every handle to it, so the thread sleeping in a blocking `read` on the
/// same socket would wake to `WouldBlock` too. `MSG_DONTWAIT` makes this one
/// call non-blocking and leaves the socket as it is (Redis's sockets are
/// all non-blocking, so its plain `write` does the same). `MSG_NOSIGNAL`:
/// a client that has gone is an error, not a SIGPIPE.
pub fn send_now(socket: &TcpStream, bytes: &[u8]) -> io::Result<usize> {
    let flags = MSG_DONTWAIT | MSG_NOSIGNAL;
    // SAFETY: `bytes` is a live buffer of `bytes.len()` bytes, only read; a
    // bad descriptor only makes send fail.
    #[allow(unsafe_code)]
    let sent = unsafe { send(socket.as_raw_fd(), bytes.as_ptr(), bytes.len(), flags) };
    if sent < 0 {
        return Err(io::Error::last_os_error());
    }
    Ok(sent as usize)
}

/// An OS error as C's `strerror` words it ("Operation not permitted"),
/// without the "(os error 1)" that Rust adds, for Redis's log lines.
pub fn error_text(err: &io::Error) -> String {
    let text = err.to_string();
    match text.rfind(" (os error ") {
        Some(at) => text[..at].to_string(),
        None => text,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_open_files_limit_reads_back_as_set() {
        let (soft, hard) = open_files_limit().unwrap();
        assert!(soft <= hard);
        assert!(soft > 0);
    }

    #[test]
    fn keepalive_is_set_on_a_socket() {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let socket = TcpStream::connect(listener.local_addr().unwrap()).unwrap();
        set_keepalive(&socket, 300).unwrap();
        set_backlog(&listener, 511).unwrap();
    }

    #[test]
    fn send_now_stops_when_the_buffer_is_full_and_leaves_the_socket_blocking() {
        use std::io::Read;
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let mut reader = TcpStream::connect(listener.local_addr().unwrap()).unwrap();
        let (sender, _) = listener.accept().unwrap();
        assert_eq!(send_now(&sender, b"hello").unwrap(), 5);
        let mut got = [0u8; 5];
        reader.read_exact(&mut got).unwrap();
        assert_eq!(&got, b"hello");
        // Nobody reads: the kernel's buffers fill, and send_now says so.
        let block = vec![b'x'; 64 * 1024];
        let full = loop {
            match send_now(&sender, &block) {
                Ok(_) => continue,
                Err(err) => break err,
            }
        };
        assert_eq!(full.kind(), io::ErrorKind::WouldBlock);
        // The socket itself is still blocking: a read with nothing to read
        // waits for its timeout instead of failing at once.
        let timeout = std::time::Duration::from_millis(50);
        sender.set_read_timeout(Some(timeout)).unwrap();
        let start = std::time::Instant::now();
        assert!((&sender).read(&mut got).is_err());
        assert!(start.elapsed() >= timeout / 2);
    }

    #[test]
    fn error_text_drops_rusts_suffix() {
        let err = io::Error::from_raw_os_error(1);
        assert_eq!(error_text(&err), "Operation not permitted");
    }
}
