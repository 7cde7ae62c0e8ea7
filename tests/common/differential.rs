//! The differential harness: the same requests to this server and to a
//! real `redis-server`, the replies compared byte for byte. Each test file
//! of the form `tests/*differential*.rs` lists its cases and calls
//! [`assert_same_as_redis`].

use std::io::{BufReader, Read, Write};
use std::net::TcpStream;
use std::time::Duration;

use super::{encode, read_value, skip_without, RealRedis, TestServer};

/// One test case, sent on a fresh connection to each server.
pub enum Case {
    /// Commands written inline-style, each sent as a RESP array.
    Cmds(&'static [&'static str]),
    /// Bytes sent exactly as given.
    Raw(&'static [u8]),
    /// Bytes built at run time (too long to write out).
    Built(Vec<u8>),
    /// Bytes that never end their last line: no sentinel may follow (it
    /// would end the line), so the server must answer and close by itself.
    Unterminated(Vec<u8>),
}
use Case::*;

/// Echoed after every case: its reply marks the end of the case's replies.
const SENTINEL: &str = "__end_of_case__";

/// A real Redis, with a reaper cycle a second, so that no case's expired
/// key is reaped by one server and lazily deleted by the other. `None`
/// where redis-server is not installed: the test then says it is skipped
/// (under CI, `CI` set, it fails).
pub fn start_redis(what: &str) -> Option<RealRedis> {
    start_redis_with(what, &["--hz", "1"])
}

/// [`start_redis`] with other arguments for redis-server.
pub fn start_redis_with(what: &str, args: &[&str]) -> Option<RealRedis> {
    let redis = RealRedis::spawn(args);
    if redis.is_none() {
        skip_without(&format!(
            "redis-server is not installed, so {what} did not run (apt-get install redis-server)"
        ));
    }
    redis
}

/// Sends every case to both servers (each on fresh connections, after a
/// FLUSHALL) and fails, listing them, if any replies differ.
pub fn assert_same_as_redis(cases: &[Case]) {
    let Some(redis) = start_redis("the differential test against real Redis") else {
        return;
    };
    let ours = TestServer::start(&["--hz", "1"]);
    let mut mismatches = Vec::new();
    for (i, case) in cases.iter().enumerate() {
        let request = case_bytes(case);
        let with_sentinel = !matches!(case, Unterminated(_));
        let expected = normalise(&run_case(redis.port, &request, with_sentinel));
        let got = normalise(&run_case(ours.port, &request, with_sentinel));
        if expected != got {
            mismatches.push(format!(
                "case {i}: request {}\n   redis: {}\n    ours: {}",
                show(&request),
                show(&expected),
                show(&got)
            ));
        }
    }
    assert!(
        mismatches.is_empty(),
        "{} of {} cases differ from Redis:\n{}",
        mismatches.len(),
        cases.len(),
        mismatches.join("\n")
    );
}

pub fn case_bytes(case: &Case) -> Vec<u8> {
    match case {
        Cmds(lines) => lines
            .iter()
            .flat_map(|line| {
                let args =
                    mini_redis::protocol::parse_inline(line.as_bytes()).expect("test case parses");
                let args: Vec<&[u8]> = args.iter().map(Vec::as_slice).collect();
                encode(&args)
            })
            .collect(),
        Raw(bytes) => bytes.to_vec(),
        Built(bytes) | Unterminated(bytes) => bytes.clone(),
    }
}

/// Sends a case and returns everything the server answered, up to the
/// sentinel's reply or the server closing the connection.
pub fn run_case(port: u16, request: &[u8], with_sentinel: bool) -> Vec<u8> {
    flush_all(port);
    let mut stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(5)))
        .unwrap();
    let _ = stream.write_all(request);
    if with_sentinel {
        let _ = stream.write_all(&encode(&[b"ECHO", SENTINEL.as_bytes()]));
    }
    let sentinel_reply = format!("${}\r\n{SENTINEL}\r\n", SENTINEL.len());
    let mut answer = Vec::new();
    let mut chunk = [0u8; 65536];
    loop {
        match stream.read(&mut chunk) {
            Ok(0) => {
                answer.extend_from_slice(b"<closed>");
                return answer;
            }
            Ok(n) => answer.extend_from_slice(&chunk[..n]),
            // Closing with unread input makes the kernel send a reset instead
            // of a normal close; whether that happens is a race, not behaviour.
            Err(err) if err.kind() == std::io::ErrorKind::ConnectionReset => {
                answer.extend_from_slice(b"<closed>");
                return answer;
            }
            Err(err) => panic!(
                "no complete answer within 5 s ({err}); got {:?}",
                String::from_utf8_lossy(&answer)
            ),
        }
        if answer.ends_with(sentinel_reply.as_bytes()) {
            answer.truncate(answer.len() - sentinel_reply.len());
            return answer;
        }
    }
}

fn flush_all(port: u16) {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
    stream.write_all(&encode(&[b"FLUSHALL"])).unwrap();
    let mut reply = [0u8; 5];
    stream.read_exact(&mut reply).unwrap();
    assert_eq!(&reply, b"+OK\r\n");
}

/// The reply to HELLO names the connection's id, which differs between servers.
pub fn normalise(answer: &[u8]) -> Vec<u8> {
    let marker = b"$2\r\nid\r\n:";
    let mut out = Vec::new();
    let mut rest = answer;
    while let Some(at) = rest.windows(marker.len()).position(|w| w == marker) {
        out.extend_from_slice(&rest[..at + marker.len()]);
        rest = &rest[at + marker.len()..];
        let digits = rest.iter().take_while(|b| b.is_ascii_digit()).count();
        out.push(b'N');
        rest = &rest[digits..];
    }
    out.extend_from_slice(rest);
    out
}

/// Bytes as a quoted string, cut short if long.
pub fn show(bytes: &[u8]) -> String {
    const LIMIT: usize = 400;
    let text = format!(
        "{:?}",
        String::from_utf8_lossy(&bytes[..bytes.len().min(LIMIT)])
    );
    if bytes.len() > LIMIT {
        format!("{text}... ({} bytes)", bytes.len())
    } else {
        text
    }
}

/// Runs `steps` (connection number, command) on fresh connections to the
/// server at `port`, one reply read after each command, and returns every
/// reply in order, each marked with its connection: for what several
/// clients see of each other (WATCH).
pub fn run_script(port: u16, steps: &[(usize, &str)]) -> Vec<u8> {
    let connections = 1 + steps.iter().map(|&(c, _)| c).max().unwrap_or(0);
    let mut streams: Vec<TcpStream> = (0..connections)
        .map(|_| {
            let stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
            stream
                .set_read_timeout(Some(Duration::from_secs(5)))
                .unwrap();
            stream
        })
        .collect();
    let mut replies = Vec::new();
    for &(c, line) in steps {
        let args = mini_redis::protocol::parse_inline(line.as_bytes()).unwrap();
        let args: Vec<&[u8]> = args.iter().map(Vec::as_slice).collect();
        streams[c].write_all(&encode(&args)).unwrap();
        replies.extend_from_slice(format!("[{c}] ").as_bytes());
        let mut reader = BufReader::new(&streams[c]);
        read_value(&mut reader, &mut replies);
        assert!(reader.buffer().is_empty(), "one reply per command");
    }
    replies
}

/// xorshift64 for the seeded random streams: a fixed seed gives the same
/// stream of commands every run.
pub struct Rng(pub u64);

impl Rng {
    pub fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    pub fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}
