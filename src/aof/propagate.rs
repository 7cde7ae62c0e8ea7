//! How a write is logged: the words of a command that, replayed, gives the
//! same keyspace — Redis's propagation rules (`rewriteClientCommandVector`,
//! `alsoPropagate` in its `t_*.c` and `expire.c`).
//!
//! Most writes are logged as they were sent. The exceptions are the writes
//! whose effect depends on when or by chance they ran:
//!
//! - a relative expiry becomes an absolute one (`EXPIRE`, `SET EX`,
//!   `SETEX`, `GETEX EX` → `PEXPIREAT` or `SET ... PXAT`), read from the
//!   store once the command has run, so the log holds the very time stored;
//! - a float increment becomes the value it gave (`INCRBYFLOAT` →
//!   `SET ... KEEPTTL`, `HINCRBYFLOAT` → `HSET`), so no rounding can differ;
//! - a random pick becomes what was picked (`SPOP` → `SREM`);
//! - a pop that chose a key becomes a pop of that key (`LMPOP` → `LPOP key
//!   count`); the blocking pops note their plain pop themselves, for they
//!   may be served under another client's guard (see `commands::blocking`);
//! - a key that went away becomes `DEL` (`GETDEL`, an expiry in the past).
//!
//! The store notes expired keys as `DEL` on its own, as Redis propagates an
//! expiry. A command is logged only if it changed something ([`note`]),
//! and a transaction that logged more than one is wrapped in MULTI/EXEC
//! ([`wrap_in_multi`]), as Redis 7.0 does.

use std::io::Write as _;

use crate::protocol::{Reply, Request};
use crate::storage::Store;

/// Notes in the store's log the write `words` that just ran and answered
/// `reply`, if it changed something (the store's dirty count moved since
/// `dirty_before`, as Redis propagates a command that made `server.dirty`
/// move). A command that failed changed nothing.
pub fn note(store: &mut Store, words: Request, reply: &Reply, dirty_before: u64) {
    if store.dirty() == dirty_before || matches!(reply, Reply::Error(_)) {
        return;
    }
    let logged = rewrite(words, reply, store);
    store.propagate(logged);
}

/// EXEC: the writes logged since `logged_before` go between MULTI and EXEC
/// if there are two or more (one is atomic on its own), so a replay applies
/// all of a transaction or none of it.
pub fn wrap_in_multi(store: &mut Store, logged_before: usize) {
    if let Some(logged) = store.propagated() {
        if logged.len() >= logged_before + 2 {
            logged.insert(logged_before, vec![b"MULTI".to_vec()]);
            logged.push(vec![b"EXEC".to_vec()]);
        }
    }
}

/// What to log for `words`, a write that ran and changed the keyspace,
/// given its reply and the store as it left it.
pub fn rewrite(mut words: Request, reply: &Reply, store: &Store) -> Request {
    // The name in lower case, on the stack: this runs for every write.
    let mut name = [0u8; 16];
    let Some(name) = name.get_mut(..words[0].len()) else {
        return words; // no command with a rewrite has so long a name
    };
    name.copy_from_slice(&words[0]);
    name.make_ascii_lowercase();
    match &*name {
        b"set" if has_expiry(&words[3..]) => match store.expires_at(&words[1]) {
            Some(at) => set_pxat(&mut words, 2, at),
            None => words,
        },
        // `GET` only changes the reply: Redis logs the SET without it.
        b"set" => {
            let options = words.split_off(3);
            words.extend(options.into_iter().filter(|w| !is(w, b"get")));
            words
        }
        b"setex" | b"psetex" => match store.expires_at(&words[1]) {
            Some(at) => set_pxat(&mut words, 3, at),
            None => words,
        },
        b"getset" => {
            words[0] = b"SET".to_vec();
            words
        }
        b"expire" | b"pexpire" | b"expireat" | b"pexpireat" => {
            match expiry_or_gone(store, &words[1]) {
                Some(at) => {
                    words[0] = b"PEXPIREAT".to_vec();
                    words[2] = at.to_string().into_bytes();
                    words
                }
                None => del(&mut words),
            }
        }
        b"getex" => {
            let persist = words[2..].iter().any(|w| is(w, b"persist"));
            match expiry_or_gone(store, &words[1]) {
                None => del(&mut words),
                Some(at) if !persist => {
                    let key = words.swap_remove(1);
                    vec![b"PEXPIREAT".to_vec(), key, at.to_string().into_bytes()]
                }
                Some(_) => {
                    words.truncate(2);
                    words[0] = b"PERSIST".to_vec();
                    words
                }
            }
        }
        b"getdel" => del(&mut words),
        b"incrbyfloat" => match reply {
            Reply::Bulk(value) => {
                let key = words.swap_remove(1);
                vec![b"SET".to_vec(), key, value.clone(), b"KEEPTTL".to_vec()]
            }
            _ => words,
        },
        b"hincrbyfloat" => match reply {
            Reply::Bulk(value) => {
                words[0] = b"HSET".to_vec();
                words[3] = value.clone();
                words
            }
            _ => words,
        },
        b"spop" => {
            // Every member popped: Redis logs the set's deletion.
            if store.get(&words[1], 0).is_none() {
                return del(&mut words);
            }
            let key = words.swap_remove(1);
            let mut srem = vec![b"SREM".to_vec(), key];
            srem.extend(bulks(reply));
            srem
        }
        b"lmpop" => match reply {
            Reply::Array(pair) if pair.len() == 2 => {
                let end = lmpop_end(&words[1..]);
                let key = bulks(&pair[0]).next().unwrap_or_default();
                let count = bulks(&pair[1]).count();
                vec![end, key, count.to_string().into_bytes()]
            }
            _ => words,
        },
        _ => words,
    }
}

/// Whether SET's options set an expiry (`KEEPTTL` keeps the one there).
fn has_expiry(options: &[Vec<u8>]) -> bool {
    options.iter().any(|w| {
        [&b"ex"[..], b"px", b"exat", b"pxat"]
            .iter()
            .any(|o| is(w, o))
    })
}

/// `SET key value PXAT at`, from SET (value at 2) or SETEX (value at 3).
fn set_pxat(words: &mut Request, value_at: usize, at: u64) -> Request {
    let value = std::mem::take(&mut words[value_at]);
    let key = std::mem::take(&mut words[1]);
    vec![
        b"SET".to_vec(),
        key,
        value,
        b"PXAT".to_vec(),
        at.to_string().into_bytes(),
    ]
}

/// The key's expiry time if it is still there, `None` if it is gone (an
/// expiry in the past deletes the key). A key without a TTL (GETEX
/// PERSIST) is still there: `Some(0)`.
fn expiry_or_gone(store: &Store, key: &[u8]) -> Option<u64> {
    store.get(key, 0)?;
    Some(store.expires_at(key).unwrap_or(0))
}

/// `DEL key`, the key of `words`.
fn del(words: &mut Request) -> Request {
    vec![b"DEL".to_vec(), std::mem::take(&mut words[1])]
}

/// LMPOP's end as the pop that replays it: `LPOP` for LEFT, `RPOP` for
/// RIGHT. `words` starts at `numkeys`.
fn lmpop_end(words: &[Vec<u8>]) -> Vec<u8> {
    let numkeys: usize = std::str::from_utf8(&words[0])
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(0);
    match words.get(1 + numkeys) {
        Some(end) if is(end, b"right") => b"RPOP".to_vec(),
        _ => b"LPOP".to_vec(),
    }
}

/// The bulk strings of a reply, one or many.
fn bulks(reply: &Reply) -> impl Iterator<Item = Vec<u8>> + '_ {
    let many: &[Reply] = match reply {
        Reply::Array(items) | Reply::Set(items) => items,
        one => std::slice::from_ref(one),
    };
    many.iter().filter_map(|item| match item {
        Reply::Bulk(bytes) => Some(bytes.clone()),
        _ => None,
    })
}

fn is(word: &[u8], name: &[u8]) -> bool {
    word.eq_ignore_ascii_case(name)
}

/// Appends `words` to `out` as RESP, the way the AOF stores a command.
pub fn encode(out: &mut Vec<u8>, words: &[Vec<u8>]) {
    header(out, words.len());
    for word in words {
        bulk(out, word);
    }
}

/// `*N`: a command of `words` words follows.
pub fn header(out: &mut Vec<u8>, words: usize) {
    // Writing to a Vec cannot fail.
    let _ = write!(out, "*{words}\r\n");
}

/// One word: `$len`, the bytes, CRLF.
pub fn bulk(out: &mut Vec<u8>, bytes: &[u8]) {
    let _ = write!(out, "${}\r\n", bytes.len());
    out.extend_from_slice(bytes);
    out.extend_from_slice(b"\r\n");
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::commands::run_on;

    fn words(line: &str) -> Request {
        line.split(' ').map(|w| w.as_bytes().to_vec()).collect()
    }

    /// Runs `line` on `store` at `now` and returns what it is logged as.
    fn logged(store: &mut Store, line: &str, now: u64) -> String {
        let reply = run_on(store, line, now).expect("the command runs");
        let out = rewrite(words(line), &reply, store);
        out.iter()
            .map(|w| String::from_utf8_lossy(w).into_owned())
            .collect::<Vec<_>>()
            .join(" ")
    }

    //@ passes from step 5
    #[test]
    fn relative_expiries_become_absolute_times() {
        let mut store = Store::new();
        assert_eq!(
            logged(&mut store, "SET k v EX 10", 1_000),
            "SET k v PXAT 11000"
        );
        assert_eq!(
            logged(&mut store, "SETEX k 5 v", 1_000),
            "SET k v PXAT 6000"
        );
        assert_eq!(
            logged(&mut store, "PEXPIRE k 500", 1_000),
            "PEXPIREAT k 1500"
        );
        assert_eq!(
            logged(&mut store, "GETEX k EX 2", 1_000),
            "PEXPIREAT k 3000"
        );
        assert_eq!(logged(&mut store, "GETEX k PERSIST", 1_000), "PERSIST k");
        assert_eq!(logged(&mut store, "EXPIRE k -1", 1_000), "DEL k");
    }

    //@ passes from step 6
    #[test]
    fn chance_and_rounding_become_what_they_gave() {
        let mut store = Store::new();
        run_on(&mut store, "SET f 1.5", 0).unwrap();
        assert_eq!(
            logged(&mut store, "INCRBYFLOAT f 0.25", 0),
            "SET f 1.75 KEEPTTL"
        );
        run_on(&mut store, "SADD s a", 0).unwrap();
        assert_eq!(logged(&mut store, "SPOP s", 0), "DEL s");
        run_on(&mut store, "SADD s a b", 0).unwrap();
        let srem = logged(&mut store, "SPOP s 1", 0);
        assert!(srem == "SREM s a" || srem == "SREM s b", "{srem}");
        run_on(&mut store, "RPUSH l a b c", 0).unwrap();
        assert_eq!(
            logged(&mut store, "LMPOP 2 nothing l RIGHT COUNT 2", 0),
            "RPOP l 2"
        );
        assert_eq!(logged(&mut store, "SET k v GET", 0), "SET k v");
        assert_eq!(logged(&mut store, "GETDEL k", 0), "DEL k");
    }

    #[test]
    fn a_command_is_encoded_as_resp() {
        let mut out = Vec::new();
        encode(&mut out, &words("SET k v"));
        assert_eq!(out, b"*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$1\r\nv\r\n");
    }
}
