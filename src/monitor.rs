//! MONITOR: every command other clients run, as a line of text, sent to
//! the clients that asked for them.
//!
//! A monitoring client is a subscriber to every command: it gets an
//! [`Outbox`] as a subscriber does, and each client's thread, after running
//! a command, pushes one line to every monitor's outbox, with the same
//! limits as pub/sub (Redis puts no limit on MONITOR clients; we do, so
//! that one slow monitor cannot make the server's memory grow for ever).
//! When nobody monitors, this costs a command one atomic load.
//!
//! The line is Redis's (`replicationFeedMonitors`):
//! `+1700000000.123456 [0 127.0.0.1:54321] "set" "k" "v"`, with each
//! argument quoted as `sdscatrepr` quotes it. Administrative commands
//! (CONFIG, SHUTDOWN, MONITOR...) are never shown, and passwords are
//! replaced by `(redacted)`.

use std::net::SocketAddr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::{SystemTime, UNIX_EPOCH};

use crate::client::Client;
use crate::commands::docs;
use crate::protocol::{Reply, Request};
use crate::pubsub::Outbox;

/// The monitoring clients' outboxes, in the order they came.
#[derive(Debug, Default)]
pub struct Monitors {
    outboxes: Mutex<Vec<Arc<Outbox>>>,
    /// How many there are: the one thing a command looks at when there are none.
    count: AtomicUsize,
}

impl Monitors {
    fn lock(&self) -> MutexGuard<'_, Vec<Arc<Outbox>>> {
        self.outboxes.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Whether anyone monitors: if not, no line is made at all.
    pub fn any(&self) -> bool {
        self.count.load(Ordering::Relaxed) > 0
    }

    /// Adds a monitor, pushing `ok` to it first under the same lock, so that
    /// no line reaches it before its MONITOR's reply does.
    pub fn add(&self, outbox: &Arc<Outbox>, ok: &[u8]) {
        let mut outboxes = self.lock();
        outbox.push(ok);
        outboxes.push(Arc::clone(outbox));
        self.count.store(outboxes.len(), Ordering::Relaxed);
    }

    pub fn remove(&self, outbox: &Arc<Outbox>) {
        let mut outboxes = self.lock();
        outboxes.retain(|other| !Arc::ptr_eq(other, outbox));
        self.count.store(outboxes.len(), Ordering::Relaxed);
    }

    /// Shows a command that `client` ran to every monitor, unless Redis
    /// hides it, and returns what is left of its `reply` to send. A client
    /// that monitors sees its own command after its reply, so that reply is
    /// pushed to its outbox first; it does not see its own QUIT, as Redis
    /// writes nothing more to a client that is closing.
    pub fn feed(&self, client: &Client, request: &Request, reply: Reply) -> Reply {
        if !is_shown(request) {
            return reply;
        }
        let own = client.subscriber.as_ref().filter(|s| s.is_monitoring());
        let mut reply = reply;
        if let Some(subscriber) = own {
            let mut bytes = Vec::new();
            reply
                .write_to(&mut bytes, client.resp)
                .expect("writing to a Vec cannot fail");
            subscriber.outbox().push(&bytes);
            reply = Reply::Several(Vec::new());
        }
        let closing = own.filter(|_| client.hangup.is_some()).map(|s| s.outbox());
        self.push_line(client, request, closing);
        reply
    }

    /// Shows a command that ran inside EXEC, unless Redis hides it.
    pub fn show(&self, client: &Client, request: &Request) {
        if is_shown(request) {
            self.push_line(client, request, None);
        }
    }

    fn push_line(&self, client: &Client, request: &Request, except: Option<&Arc<Outbox>>) {
        let line = line(now_us(), client.addr, &redacted(request));
        for outbox in self.lock().iter() {
            if except.map_or(true, |except| !Arc::ptr_eq(except, outbox)) {
                outbox.push(&line);
            }
        }
    }
}

/// Microseconds since the epoch, for the line's timestamp.
fn now_us() -> u128 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_micros())
}

/// Redis hides commands flagged `admin` or `skip_monitor` (a subcommand by
/// its own flags: CONFIG GET is admin, CLIENT ID is not).
fn is_shown(request: &Request) -> bool {
    let name = crate::pubsub::full_name(request);
    docs::find(&name).map_or(true, |meta| {
        !meta.flags.contains(&"admin") && !meta.flags.contains(&"skip_monitor")
    })
}

/// What Redis stands in for a secret argument.
const REDACTED: &[u8] = b"(redacted)";

/// The request as monitors see it: AUTH's arguments, and HELLO's AUTH
/// username and password, redacted as Redis redacts them, by the command's
/// name, where the command has read them (an AUTH with too many arguments
/// fails before that, and is shown as it was sent).
pub fn redacted(request: &Request) -> Request {
    let mut shown = request.clone();
    let name = request[0].to_ascii_lowercase();
    if name == b"auth" && request.len() <= 3 {
        for arg in shown.iter_mut().skip(1) {
            *arg = REDACTED.to_vec();
        }
    } else if name == b"hello" && hello_version_ok(request) {
        let mut i = 2;
        while i < request.len() {
            let more = request.len() - 1 - i;
            let option = request[i].to_ascii_lowercase();
            if option == b"auth" && more >= 2 {
                shown[i + 1] = REDACTED.to_vec();
                shown[i + 2] = REDACTED.to_vec();
                i += 3;
            } else if option == b"setname" && more >= 1 && valid_name(&request[i + 1]) {
                i += 2;
            } else {
                // HELLO stops at the first option it cannot take.
                break;
            }
        }
    }
    shown
}

/// HELLO reads its options only after a version it accepts.
fn hello_version_ok(request: &Request) -> bool {
    request
        .get(1)
        .map_or(true, |v| matches!(v.as_slice(), b"2" | b"3"))
}

fn valid_name(name: &[u8]) -> bool {
    name.iter().all(|b| (b'!'..=b'~').contains(b))
}

/// `+<seconds>.<micros> [0 <addr>] "arg" "arg"\r\n`
fn line(now_us: u128, addr: Option<SocketAddr>, request: &Request) -> Vec<u8> {
    //@ step 8: `+`, the seconds and six digits of microseconds, ` [0 <addr>] `, each argument `quote`d, separated by spaces, then `\r\n`.
    let addr = addr.map_or_else(String::new, |a| a.to_string());
    let mut line = format!(
        "+{}.{:06} [0 {addr}] ",
        now_us / 1_000_000,
        now_us % 1_000_000
    )
    .into_bytes();
    for (i, arg) in request.iter().enumerate() {
        if i > 0 {
            line.push(b' ');
        }
        quote(&mut line, arg);
    }
    line.extend_from_slice(b"\r\n");
    line
    //@ end step 8
}

/// Redis's `sdscatrepr`: in double quotes, with `\\`, `\"`, `\n`, `\r`,
/// `\t`, `\a` and `\b` escaped, other bytes outside printable ASCII as `\xhh`.
fn quote(out: &mut Vec<u8>, arg: &[u8]) {
    out.push(b'"');
    for &byte in arg {
        match byte {
            b'\\' => out.extend_from_slice(b"\\\\"),
            b'"' => out.extend_from_slice(b"\\\""),
            b'\n' => out.extend_from_slice(b"\\n"),
            b'\r' => out.extend_from_slice(b"\\r"),
            b'\t' => out.extend_from_slice(b"\\t"),
            0x07 => out.extend_from_slice(b"\\a"),
            0x08 => out.extend_from_slice(b"\\b"),
            b' '..=b'~' => out.push(byte),
            _ => out.extend_from_slice(format!("\\x{byte:02x}").as_bytes()),
        }
    }
    out.push(b'"');
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request(words: &[&[u8]]) -> Request {
        words.iter().map(|w| w.to_vec()).collect()
    }

    //@ passes from step 8
    #[test]
    fn a_line_quotes_every_argument_as_redis_does() {
        let addr = "127.0.0.1:54321".parse().ok();
        let got = line(
            1_700_000_000_000_042,
            addr,
            &request(&[b"set", b"k\n\"\x01\xc3", b"a b\\"]),
        );
        assert_eq!(
            String::from_utf8(got).unwrap(),
            "+1700000000.000042 [0 127.0.0.1:54321] \"set\" \"k\\n\\\"\\x01\\xc3\" \"a b\\\\\"\r\n"
        );
    }

    #[test]
    fn passwords_are_redacted_where_the_command_reads_them() {
        let r = redacted(&request(&[b"AUTH", b"user", b"pw"]));
        assert_eq!(r, request(&[b"AUTH", b"(redacted)", b"(redacted)"]));
        let r = redacted(&request(&[b"auth", b"a", b"b", b"c"]));
        assert_eq!(r, request(&[b"auth", b"a", b"b", b"c"]), "a syntax error");
        let r = redacted(&request(&[
            b"hello", b"3", b"auth", b"u", b"p", b"setname", b"n",
        ]));
        assert_eq!(
            r,
            request(&[
                b"hello",
                b"3",
                b"auth",
                b"(redacted)",
                b"(redacted)",
                b"setname",
                b"n"
            ])
        );
        let r = redacted(&request(&[
            b"hello", b"2", b"setname", b"x y", b"auth", b"a", b"b",
        ]));
        assert_eq!(r[5], b"a".to_vec(), "HELLO stopped at the bad name");
    }

    #[test]
    fn administrative_commands_are_hidden() {
        assert!(!is_shown(&request(&[b"config", b"get", b"port"])));
        assert!(!is_shown(&request(&[b"MONITOR"])));
        assert!(is_shown(&request(&[b"client", b"id"])));
        assert!(is_shown(&request(&[b"get", b"k"])));
    }
}
