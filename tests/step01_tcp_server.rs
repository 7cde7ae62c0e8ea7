//! Workshop step 1: a TCP server with one OS thread per client
//! (lectures/01-tcp-server.md).
//!
//! There is no Redis in this step yet. The tests run the accept loop with a
//! handler of their own, an echo: every line a client sends comes back to it.
//! The handler reads through the same [`Connection`] the finished server
//! uses, so these tests pass on the finished code too.
//!
//! Run them with `cargo test --test step01_tcp_server`.

use std::io::{self, BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::panic::{self, AssertUnwindSafe};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::{self, JoinHandle, ThreadId};
use std::time::{Duration, Instant};

use mini_redis::config::Config;
use mini_redis::connection::Connection;
use mini_redis::server;
use mini_redis::slots::ClientSlots;

/// The handler under test: echo every line until the client leaves.
fn echo(stream: TcpStream) -> io::Result<()> {
    let mut connection = Connection::new(stream)?;
    let mut line = Vec::new();
    loop {
        line.clear();
        if connection.read_until(b'\n', &mut line)? == 0 {
            return Ok(()); // the client closed the connection
        }
        connection.write_all(&line)?;
    }
}

/// An accept loop running the echo handler on its own thread, with a record
/// of what the client threads did.
struct EchoServer {
    address: SocketAddr,
    slots: Arc<ClientSlots>,
    accept_loop: JoinHandle<()>,
    /// Which thread served each client, in the order they started.
    threads: Arc<Mutex<Vec<ThreadId>>>,
    /// Handlers that have returned.
    finished: Arc<AtomicUsize>,
    /// Panic messages from client threads (a `todo!` not yet written, say).
    panics: Arc<Mutex<Vec<String>>>,
}

impl EchoServer {
    fn start(max_clients: usize) -> EchoServer {
        let config = Config {
            port: 0,
            ..Config::default()
        };
        let listener = server::bind(&config).expect("binds to a free port");
        let address = listener.local_addr().unwrap();
        let slots = ClientSlots::new(max_clients);
        let threads = Arc::new(Mutex::new(Vec::new()));
        let finished = Arc::new(AtomicUsize::new(0));
        let panics = Arc::new(Mutex::new(Vec::new()));
        let accept_loop = {
            let (slots, threads, finished, panics) = (
                Arc::clone(&slots),
                Arc::clone(&threads),
                Arc::clone(&finished),
                Arc::clone(&panics),
            );
            thread::spawn(move || {
                server::accept_loop(&listener, &slots, move |stream| {
                    threads.lock().unwrap().push(thread::current().id());
                    let outcome = panic::catch_unwind(AssertUnwindSafe(|| echo(stream)));
                    if let Err(panic) = outcome {
                        panics.lock().unwrap().push(panic_message(&panic));
                    }
                    finished.fetch_add(1, Ordering::SeqCst);
                })
            })
        };
        EchoServer {
            address,
            slots,
            accept_loop,
            threads,
            finished,
            panics,
        }
    }

    fn connect(&self) -> Client {
        let stream = TcpStream::connect(self.address).expect("connects");
        stream
            .set_read_timeout(Some(Duration::from_secs(2)))
            .unwrap();
        Client {
            reader: BufReader::new(stream.try_clone().unwrap()),
            stream,
        }
    }

    /// Sends `line` on `client` and expects it back; if it does not come,
    /// says what went wrong on the server's side.
    fn assert_echo(&self, client: &mut Client, line: &str) {
        client.stream.write_all(line.as_bytes()).unwrap();
        let mut back = String::new();
        let result = client.reader.read_line(&mut back);
        if result.is_err() || back != line {
            panic!(
                "sent {line:?}, got {back:?} ({result:?}). On the server: {}",
                self.diagnosis()
            );
        }
    }

    /// What the server's threads did, for a failing test's message.
    fn diagnosis(&self) -> String {
        if self.accept_loop.is_finished() {
            return "the accept loop returned or panicked (see its panic above)".into();
        }
        let panics = self.panics.lock().unwrap();
        match panics.first() {
            Some(message) => format!("a client thread panicked: {message}"),
            None => "no client thread panicked".into(),
        }
    }

    /// Waits until `done` holds, for at most two seconds.
    fn wait_for(&self, what: &str, done: impl Fn() -> bool) {
        let deadline = Instant::now() + Duration::from_secs(2);
        while !done() {
            if Instant::now() > deadline {
                panic!(
                    "timed out waiting for {what}. On the server: {}",
                    self.diagnosis()
                );
            }
            thread::sleep(Duration::from_millis(5));
        }
    }
}

struct Client {
    reader: BufReader<TcpStream>,
    stream: TcpStream,
}

fn panic_message(panic: &Box<dyn std::any::Any + Send>) -> String {
    if let Some(text) = panic.downcast_ref::<String>() {
        text.clone()
    } else if let Some(text) = panic.downcast_ref::<&str>() {
        (*text).to_string()
    } else {
        "(a panic without a message)".into()
    }
}

#[test]
fn bind_listens_on_the_configured_address() {
    let config = Config {
        port: 0,
        ..Config::default()
    };
    let listener = server::bind(&config).expect("binds");
    let address = listener.local_addr().unwrap();
    assert_eq!(address.ip(), config.bind);
    assert_ne!(address.port(), 0, "port 0 asks the OS to pick a free port");
}

#[test]
fn each_line_comes_back() {
    let server = EchoServer::start(10);
    let mut client = server.connect();
    server.assert_echo(&mut client, "hello\n");
    server.assert_echo(&mut client, "PING\r\n");
}

#[test]
fn lines_sent_together_come_back_in_order() {
    let server = EchoServer::start(10);
    let mut client = server.connect();
    client.stream.write_all(b"one\ntwo\nthree\n").unwrap();
    for expected in ["one\n", "two\n", "three\n"] {
        let mut line = String::new();
        client.reader.read_line(&mut line).unwrap_or_else(|err| {
            panic!("{err}. On the server: {}", server.diagnosis());
        });
        assert_eq!(line, expected, "on the server: {}", server.diagnosis());
    }
}

#[test]
fn a_line_longer_than_every_buffer_comes_back_whole() {
    let server = EchoServer::start(10);
    let mut client = server.connect();
    let long = format!("{}\n", "x".repeat(300_000));
    // Write from another thread: the server echoes while we are still sending.
    let mut writer = client.stream.try_clone().unwrap();
    let sent = long.clone();
    let sender = thread::spawn(move || writer.write_all(sent.as_bytes()));
    let mut back = String::new();
    let result = client.reader.read_line(&mut back);
    assert!(
        result.is_ok() && back == long,
        "got {} of {} bytes back ({result:?}). On the server: {}",
        back.len(),
        long.len(),
        server.diagnosis()
    );
    sender.join().unwrap().unwrap();
}

#[test]
fn a_second_client_is_served_while_the_first_sits_idle() {
    let server = EchoServer::start(10);
    let mut idle = server.connect();
    server.assert_echo(&mut idle, "first\n");
    idle.stream.write_all(b"half a li").unwrap(); // and then nothing
    let mut busy = server.connect();
    server.assert_echo(&mut busy, "second\n");
    idle.stream.write_all(b"ne\n").unwrap();
    let mut line = String::new();
    idle.reader.read_line(&mut line).unwrap();
    assert_eq!(line, "half a line\n");
}

#[test]
fn each_client_gets_its_own_thread() {
    let server = EchoServer::start(10);
    let mut a = server.connect();
    let mut b = server.connect();
    server.assert_echo(&mut a, "a\n");
    server.assert_echo(&mut b, "b\n");
    let threads = server.threads.lock().unwrap().clone();
    assert_eq!(threads.len(), 2, "one handler call per client");
    assert_ne!(threads[0], threads[1], "two clients, two threads");
    assert!(!threads.contains(&server.accept_loop.thread().id()));
}

#[test]
fn a_client_that_leaves_mid_line_does_not_disturb_the_others() {
    let server = EchoServer::start(10);
    let mut stays = server.connect();
    server.assert_echo(&mut stays, "before\n");
    let mut leaves = server.connect();
    server.assert_echo(&mut leaves, "hi\n");
    leaves.stream.write_all(b"never finish").unwrap();
    drop(leaves);
    server.wait_for("the leaving client's handler to end", || {
        server.finished.load(Ordering::SeqCst) == 1
    });
    server.assert_echo(&mut stays, "after\n");
    let mut newcomer = server.connect();
    server.assert_echo(&mut newcomer, "new\n");
}

#[test]
fn a_client_leaving_ends_its_handler_and_frees_its_slot() {
    let server = EchoServer::start(10);
    let mut client = server.connect();
    server.assert_echo(&mut client, "bye\n");
    assert_eq!(server.slots.in_use(), 1);
    client.stream.shutdown(std::net::Shutdown::Both).unwrap();
    server.wait_for("the handler to return", || {
        server.finished.load(Ordering::SeqCst) == 1
    });
    server.wait_for("the slot to be freed", || server.slots.in_use() == 0);
    assert!(server.panics.lock().unwrap().is_empty());
}

#[test]
fn a_client_over_the_limit_is_told_and_closed() {
    let server = EchoServer::start(1);
    let mut first = server.connect();
    server.assert_echo(&mut first, "in\n");
    let mut second = server.connect();
    let mut answer = Vec::new();
    let result = second.reader.read_to_end(&mut answer);
    assert!(
        result.is_ok(),
        "{result:?}. On the server: {}",
        server.diagnosis()
    );
    assert_eq!(
        String::from_utf8_lossy(&answer),
        "-ERR max number of clients reached\r\n"
    );
    server.assert_echo(&mut first, "still here\n");
    assert_eq!(server.slots.rejected(), 1);
}
