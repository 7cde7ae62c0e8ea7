//! The executor: one request's way from parsed command to reply.
//!
//! ```text
//! request ─▶ parse (no lock) ─▶ take the guard ─▶ apply ─▶ drop the guard ─▶ free ─▶ reply
//! ```
//!
//! It is the only code that takes the keyspace's lock, and it takes it once
//! per command: the read guard for a [`ReadCommand`](crate::commands::ReadCommand),
//! the write guard for a [`WriteCommand`](crate::commands::WriteCommand).
//! What a write removed is freed after the guard is dropped, so other
//! clients never wait for memory to be given back.

use std::sync::atomic::Ordering;

use crate::client::Client;
use crate::commands::{self, Command, CommandResult, Context, Env};
use crate::db::Db;
use crate::expiry;
use crate::protocol::{Reply, Request};
use crate::storage::{Store, Trash};

/// Runs one client's commands against the shared keyspace.
pub struct Executor<'a> {
    db: &'a Db,
    env: Env<'a>,
    /// Removed values, freed after each write; kept to reuse its room.
    trash: Trash,
}

impl<'a> Executor<'a> {
    pub fn new(db: &'a Db, env: Env<'a>) -> Executor<'a> {
        Executor {
            db,
            env,
            trash: Trash::default(),
        }
    }

    /// Runs one request and returns its reply. Errors become `-ERR ...`
    /// replies here, in one place.
    pub fn execute(&mut self, client: &mut Client, request: Request) -> Reply {
        //@ step 3: Read the clock, `commands::parse` the request, apply it with `run`, count it if Redis would; an error becomes Reply::Error.
        let now_ms = expiry::now_ms();
        let (parsed, counted) = commands::parse(request, now_ms);
        let ctx = Context {
            now_ms,
            env: &self.env,
        };
        let outcome =
            parsed.and_then(|command| run(self.db, &mut self.trash, command, client, &ctx));
        // Counted once done, as Redis does: INFO does not count itself.
        if counted {
            self.env.commands_processed.fetch_add(1, Ordering::Relaxed);
        }
        outcome.unwrap_or_else(|err| Reply::Error(err.message()))
        //@ end step 3
    }
}

/// Applies a parsed command under the guard its kind asks for.
fn run(
    db: &Db,
    trash: &mut Trash,
    command: Command,
    client: &mut Client,
    ctx: &Context,
) -> CommandResult {
    match command {
        Command::Read(command) => {
            let store = db.read();
            let reply = command.apply(&store, ctx);
            let expired = expired_keys(&store, command.keys(), ctx.now_ms);
            drop(store);
            if !expired.is_empty() {
                delete_expired(db, trash, &expired, ctx.now_ms);
            }
            reply
        }
        Command::Write(command) => {
            let mut store = db.write();
            let reply = command.apply(&mut store, ctx);
            store.take_trash(trash);
            drop(store);
            trash.empty();
            reply
        }
        Command::Client(command) => command.apply(client, ctx),
    }
}

/// The keys a reader looked up that have expired. Usually none, and then
/// this costs one check: a store with no TTL at all cannot have any.
fn expired_keys(store: &Store, keys: &[Vec<u8>], now_ms: u64) -> Vec<Vec<u8>> {
    if store.volatile_len() == 0 {
        return Vec::new();
    }
    keys.iter()
        .filter(|key| store.is_expired(key, now_ms))
        .cloned()
        .collect()
}

/// Lazy expiry for readers: a reader only holds the read guard, so the
/// expired keys it met are deleted here, under a short write guard of
/// their own, as Redis deletes a key the moment a lookup finds it expired.
/// Each key is checked again: another client may have set it meanwhile.
fn delete_expired(db: &Db, trash: &mut Trash, keys: &[Vec<u8>], now_ms: u64) {
    let mut store = db.write();
    for key in keys {
        store.remove_if_expired(key, now_ms);
    }
    store.take_trash(trash);
    drop(store);
    trash.empty();
}
