//! Shared by the integration tests: start the real binary on a free port and
//! talk RESP to it over TCP.
#![allow(dead_code)] // each test file uses its own share of these helpers

pub mod differential;

use std::io::{self, BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// A running `mini-redis`, killed when dropped. If the test failed, the
/// server's log is printed: a panic in the server (a workshop step's
/// `todo!`, say) is then shown beside the test's own failure.
pub struct TestServer {
    child: Child,
    pub port: u16,
    log: Arc<Mutex<Vec<String>>>,
    /// Its working directory, where its dumps go, unless `--dir` was given.
    own_dir: Option<std::path::PathBuf>,
}

/// A new empty directory under the system's temporary one.
pub fn fresh_dir(what: &str) -> std::path::PathBuf {
    static NEXT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    let n = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let dir = std::env::temp_dir().join(format!("mini-redis-{what}-{}-{n}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("a temporary directory");
    dir
}

impl TestServer {
    /// Starts the binary with `--port 0` plus `args`, and waits for its ready
    /// line to learn the port it got. Unless `args` say otherwise, it saves
    /// nothing (`--save ""`) and works in a directory of its own, so that
    /// no test finds another's dump.
    pub fn start(args: &[&str]) -> TestServer {
        let own_dir = (!args.contains(&"--dir")).then(|| fresh_dir("server"));
        let mut command = Command::new(env!("CARGO_BIN_EXE_mini-redis"));
        command.args(["--port", "0", "--save", ""]);
        if let Some(dir) = &own_dir {
            command.arg("--dir").arg(dir);
        }
        command.args(args);
        TestServer::start_command(command, own_dir)
    }

    /// Like [`TestServer::start`], but through `sh -c`, after the shell
    /// commands in `setup` (say, `ulimit -n 256`).
    pub fn start_after(setup: &str, args: &[&str]) -> TestServer {
        let own_dir = fresh_dir("server");
        let mut command = Command::new("sh");
        command
            .arg("-c")
            .arg(format!("{setup}; exec \"$0\" --port 0 --save '' \"$@\""))
            .arg(env!("CARGO_BIN_EXE_mini-redis"))
            .arg("--dir")
            .arg(&own_dir)
            .args(args);
        TestServer::start_command(command, Some(own_dir))
    }

    fn start_command(mut command: Command, own_dir: Option<std::path::PathBuf>) -> TestServer {
        let mut child = command
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("the server binary starts");
        let stderr = child.stderr.take().expect("stderr is piped");
        let mut lines = BufReader::new(stderr).lines();
        let log = Arc::new(Mutex::new(Vec::new()));
        let port = loop {
            let Some(Ok(line)) = lines.next() else {
                panic!(
                    "the server exited before it was ready; its log:\n{}",
                    log.lock().unwrap().join("\n")
                );
            };
            log.lock().unwrap().push(line.clone());
            if let Some((_, address)) = line.split_once("Ready to accept connections at ") {
                let port = address.rsplit(':').next().unwrap();
                break port.trim().parse().expect("the ready line names a port");
            }
        };
        // Keep draining stderr so the server never blocks on a full pipe.
        let sink = Arc::clone(&log);
        std::thread::spawn(move || {
            for line in lines.map_while(Result::ok) {
                sink.lock().unwrap().push(line);
            }
        });
        TestServer {
            child,
            port,
            log,
            own_dir,
        }
    }

    /// Kills the server with SIGKILL, as a crash would, and waits for it.
    pub fn kill(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }

    /// The lines the server has logged so far.
    pub fn log(&self) -> Vec<String> {
        self.log.lock().unwrap().clone()
    }

    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    pub fn connect(&self) -> Conn {
        Conn::connect(self.port)
    }

    /// Waits for the process to exit by itself; returns whether it exited 0.
    pub fn wait_exit(&mut self, within: Duration) -> Option<bool> {
        let deadline = std::time::Instant::now() + within;
        while std::time::Instant::now() < deadline {
            if let Some(status) = self.child.try_wait().unwrap() {
                return Some(status.success());
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        None
    }
}

impl Drop for TestServer {
    fn drop(&mut self) {
        if std::thread::panicking() {
            std::thread::sleep(Duration::from_millis(50)); // let the last lines in
            if let Ok(log) = self.log.lock() {
                eprintln!("--- the server's log ---\n{}", log.join("\n"));
            }
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
        if let Some(dir) = &self.own_dir {
            let _ = std::fs::remove_dir_all(dir);
        }
    }
}

/// Encodes a command as a RESP array of bulk strings.
pub fn encode(args: &[&[u8]]) -> Vec<u8> {
    let mut out = format!("*{}\r\n", args.len()).into_bytes();
    for arg in args {
        out.extend_from_slice(format!("${}\r\n", arg.len()).as_bytes());
        out.extend_from_slice(arg);
        out.extend_from_slice(b"\r\n");
    }
    out
}

/// A client connection that reads whole replies as raw bytes.
pub struct Conn {
    pub reader: BufReader<TcpStream>,
    pub stream: TcpStream,
}

impl Conn {
    pub fn connect(port: u16) -> Conn {
        let stream = TcpStream::connect(("127.0.0.1", port)).expect("connects");
        stream
            .set_read_timeout(Some(Duration::from_secs(10)))
            .unwrap();
        let reader = BufReader::new(stream.try_clone().unwrap());
        Conn { reader, stream }
    }

    pub fn send_raw(&mut self, bytes: &[u8]) {
        self.stream.write_all(bytes).expect("request is sent");
    }

    /// Sends one command given as words, e.g. `["SET", "k", "v"]`.
    pub fn send(&mut self, words: &[&str]) {
        let args: Vec<&[u8]> = words.iter().map(|w| w.as_bytes()).collect();
        self.send_raw(&encode(&args));
    }

    /// Sends a command and returns its whole reply, raw.
    pub fn call(&mut self, words: &[&str]) -> Vec<u8> {
        self.send(words);
        self.read_reply()
    }

    /// Like [`Conn::call`], as text, for readable assertions.
    pub fn call_str(&mut self, words: &[&str]) -> String {
        String::from_utf8_lossy(&self.call(words)).into_owned()
    }

    /// Reads exactly one RESP reply (of any type, nested), raw.
    pub fn read_reply(&mut self) -> Vec<u8> {
        let mut out = Vec::new();
        read_value(&mut self.reader, &mut out);
        out
    }

    /// True if the server has closed the connection (after anything it sent).
    pub fn is_closed(&mut self) -> bool {
        let mut rest = Vec::new();
        self.reader.read_to_end(&mut rest).is_ok()
    }
}

/// Reads one RESP2/RESP3 value into `out`.
pub fn read_value<R: BufRead>(reader: &mut R, out: &mut Vec<u8>) {
    let start = out.len();
    let n = reader.read_until(b'\n', out).expect("a reply arrives");
    assert!(n > 0, "connection closed before a reply");
    let line = out[start..].to_vec();
    let header = std::str::from_utf8(&line[1..line.len() - 2]).unwrap_or("");
    match line[0] {
        b'$' | b'=' | b'!' => {
            let len: i64 = header.parse().unwrap();
            if len >= 0 {
                let mut body = vec![0; len as usize + 2];
                reader.read_exact(&mut body).unwrap();
                out.extend_from_slice(&body);
            }
        }
        b'*' | b'~' | b'>' => {
            let len: i64 = header.parse().unwrap();
            for _ in 0..len.max(0) {
                read_value(reader, out);
            }
        }
        b'%' => {
            let len: i64 = header.parse().unwrap();
            for _ in 0..len * 2 {
                read_value(reader, out);
            }
        }
        _ => {}
    }
}

/// Says that the running test did not run, because `missing` (a tool it
/// needs) is not installed, or fails it under CI (`CI` set), where every
/// tool must be there.
///
/// libtest reports such a test as `ok`, and shows what a passing test
/// prints only if it fails; so the line goes to the process's stderr
/// itself, past the capture, in libtest's own shape:
/// `test NAME ... skipped: redis-server is not installed`.
pub fn skip_without(missing: &str) {
    if std::env::var_os("CI").is_some() {
        panic!("{missing}: this test must run under CI");
    }
    let name = std::thread::current()
        .name()
        .unwrap_or("a test")
        .to_string();
    let _ = writeln!(io::stderr(), "test {name} ... skipped: {missing}");
}

/// A real `redis-server` on a free port, with persistence off, stopped when
/// dropped. `None` if it is not installed or does not start. Unless `args`
/// name a `--dir`, it works in a directory of its own, so a `dump.rdb` left
/// where the tests run is never loaded into it.
pub struct RealRedis {
    child: Child,
    pub port: u16,
    own_dir: Option<std::path::PathBuf>,
}

impl RealRedis {
    pub fn spawn(args: &[&str]) -> Option<RealRedis> {
        let port = TcpListener::bind("127.0.0.1:0")
            .ok()?
            .local_addr()
            .ok()?
            .port();
        let own_dir = (!args.contains(&"--dir")).then(|| fresh_dir("redis"));
        let mut command = Command::new("redis-server");
        command
            .args(["--port", &port.to_string(), "--bind", "127.0.0.1"])
            .args(["--save", "", "--appendonly", "no"]);
        if let Some(dir) = &own_dir {
            command.arg("--dir").arg(dir);
        }
        let child = command
            .args(args)
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .ok()?;
        let mut redis = RealRedis {
            child,
            port,
            own_dir,
        };
        let stdout = redis.child.stdout.take()?;
        let deadline = Instant::now() + Duration::from_secs(10);
        for line in BufReader::new(stdout).lines() {
            if line.map_or(true, |l| l.contains("Ready to accept connections"))
                || Instant::now() > deadline
            {
                break;
            }
        }
        TcpStream::connect(("127.0.0.1", port)).ok()?;
        Some(redis)
    }
}

impl Drop for RealRedis {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        if let Some(dir) = &self.own_dir {
            let _ = std::fs::remove_dir_all(dir);
        }
    }
}

/// The value of `field` in an INFO reply.
pub fn info_field(info: &[u8], field: &str) -> String {
    let text = String::from_utf8_lossy(info);
    let prefix = format!("{field}:");
    text.split("\r\n")
        .find_map(|line| line.strip_prefix(&prefix))
        .unwrap_or_else(|| panic!("INFO has no {field}: {text}"))
        .to_string()
}
