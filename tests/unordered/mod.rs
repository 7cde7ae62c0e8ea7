//! For the set and sorted-set differential tests: comparing replies with
//! Redis where Redis's own order is pseudo-random (a hash table's), and
//! the random command streams. Kept out of `common/`, whose harness
//! compares bytes only.
//!
//! A hash-table set lists its members in an order that depends on a hash
//! seeded at random when redis-server starts, so two Redis servers
//! disagree with each other; ours is a hash table too, and disagrees the
//! same way. For those replies only, the elements are sorted on both sides
//! before the comparison: the members must be the same, their order is not
//! checked. Everything else (intsets, sorted sets, counts, errors) is
//! compared byte for byte.
#![allow(dead_code)] // each test file uses its own share of these helpers

use std::io::BufReader;
use std::net::TcpStream;

use crate::common::differential::{run_case, show, start_redis};
use crate::common::{encode, read_value, Conn, RealRedis, TestServer};

/// One reply, parsed just enough to reorder an aggregate's elements.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Node {
    /// A reply that is one line: `+OK`, `:1`, `-ERR ...`, `,1.5`, `_`...
    Line(Vec<u8>),
    /// `$3\r\nabc` (or a RESP3 verbatim string), header included.
    Bulk(Vec<u8>),
    /// `*`, `~`, `%` or `>`, its header, then its elements.
    Aggregate(Vec<u8>, Vec<Node>),
}

impl Node {
    pub fn to_bytes(&self) -> Vec<u8> {
        match self {
            Node::Line(bytes) | Node::Bulk(bytes) => bytes.clone(),
            Node::Aggregate(header, items) => {
                let mut out = header.clone();
                items.iter().for_each(|i| out.extend(i.to_bytes()));
                out
            }
        }
    }

    /// Sorts this aggregate's elements, taken `group` at a time (2 for
    /// ZSCAN's member-score pairs), so that only membership is compared.
    fn sort_elements(&mut self, group: usize) {
        if let Node::Aggregate(_, items) = self {
            let mut groups: Vec<Vec<Node>> = items.chunks(group).map(<[Node]>::to_vec).collect();
            groups.sort();
            *items = groups.concat();
        }
    }

    /// For a SCAN reply (`[cursor, [elements]]`): sorts the elements.
    fn sort_scan(&mut self, group: usize) {
        if let Node::Aggregate(_, items) = self {
            if let Some(elements) = items.get_mut(1) {
                elements.sort_elements(group);
            }
        }
    }
}

/// Parses every reply in `bytes`.
pub fn parse_all(mut bytes: &[u8]) -> Vec<Node> {
    let mut nodes = Vec::new();
    while !bytes.is_empty() {
        let (node, rest) = parse(bytes);
        nodes.push(node);
        bytes = rest;
    }
    nodes
}

fn parse(bytes: &[u8]) -> (Node, &[u8]) {
    let end = bytes
        .windows(2)
        .position(|w| w == b"\r\n")
        .map(|at| at + 2)
        .unwrap_or(bytes.len());
    let (line, rest) = bytes.split_at(end);
    let number = || -> i64 {
        std::str::from_utf8(&line[1..line.len().saturating_sub(2)])
            .ok()
            .and_then(|n| n.parse().ok())
            .unwrap_or(-1)
    };
    match line.first() {
        Some(b'$' | b'=' | b'!') if number() >= 0 => {
            let len = number() as usize + 2;
            let (body, rest) = rest.split_at(len.min(rest.len()));
            (Node::Bulk([line, body].concat()), rest)
        }
        Some(kind @ (b'*' | b'~' | b'%' | b'>')) if number() >= 0 => {
            let count = number() as usize * if *kind == b'%' { 2 } else { 1 };
            let mut items = Vec::with_capacity(count);
            let mut rest = rest;
            for _ in 0..count {
                if rest.is_empty() {
                    break;
                }
                let (item, tail) = parse(rest);
                items.push(item);
                rest = tail;
            }
            (Node::Aggregate(line.to_vec(), items), rest)
        }
        _ => (Node::Line(line.to_vec()), rest),
    }
}

/// How a command's reply is compared.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Order {
    /// Byte for byte.
    Exact,
    /// The elements of the (top-level) aggregate in any order.
    Any,
    /// A SCAN reply whose elements (taken `n` at a time) may come in any order.
    Scan(usize),
}

/// A command line written inline-style; a leading `~` means its reply is
/// compared without order, `%` that it is a SCAN reply whose elements are
/// (`%2`: whose member-score pairs are).
pub fn split_marker(line: &str) -> (&str, Order) {
    if let Some(rest) = line.strip_prefix("%2 ") {
        (rest, Order::Scan(2))
    } else if let Some(rest) = line.strip_prefix("% ") {
        (rest, Order::Scan(1))
    } else if let Some(rest) = line.strip_prefix("~ ") {
        (rest, Order::Any)
    } else {
        (line, Order::Exact)
    }
}

pub fn normalise(mut node: Node, order: Order) -> Node {
    match order {
        Order::Exact => {}
        Order::Any => node.sort_elements(1),
        Order::Scan(group) => node.sort_scan(group),
    }
    node
}

/// The HELLO reply names the connection's id, which differs between servers.
fn is_hello(line: &str) -> bool {
    line.split_whitespace()
        .next()
        .is_some_and(|w| w.eq_ignore_ascii_case("hello"))
}

/// Runs each case (a list of marked command lines) on a fresh connection to
/// each server, after a FLUSHALL, and fails listing every case whose
/// replies differ once the marked ones are put in order.
pub fn assert_same_as_redis_unordered(cases: &[&[&str]]) {
    let Some(redis) = start_redis("the differential test against real Redis") else {
        return;
    };
    let ours = TestServer::start(&["--hz", "1"]);
    let mut mismatches = Vec::new();
    for (i, lines) in cases.iter().enumerate() {
        let orders: Vec<(String, Order)> = lines
            .iter()
            .map(|line| {
                let (command, order) = split_marker(line);
                (command.to_string(), order)
            })
            .collect();
        let request: Vec<u8> = orders
            .iter()
            .flat_map(|(command, _)| {
                let args = mini_redis::protocol::parse_inline(command.as_bytes()).unwrap();
                let args: Vec<&[u8]> = args.iter().map(Vec::as_slice).collect();
                encode(&args)
            })
            .collect();
        let replies = |port| {
            let nodes = parse_all(&run_case(port, &request, true));
            nodes
                .into_iter()
                .zip(&orders)
                .map(|(node, (command, order))| {
                    if is_hello(command) {
                        Node::Line(b"(hello)".to_vec())
                    } else {
                        normalise(node, *order)
                    }
                })
                .collect::<Vec<_>>()
        };
        let (expected, got) = (replies(redis.port), replies(ours.port));
        if expected != got {
            let at = expected
                .iter()
                .zip(&got)
                .position(|(a, b)| a != b)
                .unwrap_or(expected.len().min(got.len()));
            let command = orders.get(at).map_or("(none)", |(c, _)| c.as_str());
            let reply = |nodes: &[Node]| nodes.get(at).map_or(vec![], Node::to_bytes);
            mismatches.push(format!(
                "case {i}, command {at} `{command}`:\n   redis: {}\n    ours: {}",
                show(&reply(&expected)),
                show(&reply(&got))
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

pub use crate::common::differential::Rng;

/// The seed of a random stream: `SEED` from the environment, to replay a
/// failure, or the fixed default.
pub fn seed(default: u64) -> u64 {
    std::env::var("SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(default)
}

/// One connection to each server, for a stream of commands.
pub struct Pair {
    _redis: RealRedis,
    _ours: TestServer,
    theirs: Conn,
    mine: Conn,
}

impl Pair {
    pub fn start() -> Option<Pair> {
        let redis = start_redis("the random command stream against real Redis")?;
        let ours = TestServer::start(&["--hz", "1"]);
        let (theirs, mine) = (Conn::connect(redis.port), Conn::connect(ours.port));
        Some(Pair {
            _redis: redis,
            _ours: ours,
            theirs,
            mine,
        })
    }

    /// Sends `args` to both servers; returns both replies, normalised.
    pub fn call(&mut self, args: &[Vec<u8>], order: Order) -> (Node, Node) {
        let words: Vec<&[u8]> = args.iter().map(Vec::as_slice).collect();
        let request = encode(&words);
        let answer = |conn: &mut Conn| {
            conn.send_raw(&request);
            let reply = conn.read_reply();
            normalise(parse_all(&reply).remove(0), order)
        };
        (answer(&mut self.theirs), answer(&mut self.mine))
    }
}

/// Reads one reply from a raw stream (for callers that pipeline).
pub fn read_one(stream: &TcpStream) -> Vec<u8> {
    let mut reader = BufReader::new(stream.try_clone().unwrap());
    let mut out = Vec::new();
    read_value(&mut reader, &mut out);
    out
}

/// Runs a random stream: `next` gives each command and how to compare it;
/// the first difference fails the test, naming the seed and the commands
/// that led to it.
pub fn run_stream(
    name: &str,
    seed: u64,
    steps: usize,
    resp3: bool,
    mut next: impl FnMut(&mut Rng) -> (Vec<Vec<u8>>, Order),
) {
    let Some(mut pair) = Pair::start() else {
        return;
    };
    if resp3 {
        let hello = vec![b"HELLO".to_vec(), b"3".to_vec()];
        pair.call(&hello, Order::Exact);
    }
    let mut rng = Rng(seed);
    let mut history: Vec<String> = Vec::new();
    for step in 0..steps {
        let (args, order) = next(&mut rng);
        let line = args
            .iter()
            .map(|a| String::from_utf8_lossy(a).into_owned())
            .collect::<Vec<_>>()
            .join(" ");
        history.push(line.clone());
        let (expected, got) = pair.call(&args, order);
        if expected != got {
            let start = history.len().saturating_sub(30);
            panic!(
                "{name}: step {step} differs (seed {seed}, RESP{}; replay with SEED={seed}):\n\
                 `{line}`\n   redis: {}\n    ours: {}\nthe commands before it:\n{}",
                if resp3 { 3 } else { 2 },
                show(&expected.to_bytes()),
                show(&got.to_bytes()),
                history[start..history.len() - 1].join("\n")
            );
        }
    }
}
