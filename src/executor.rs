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
use std::time::Instant;

use crate::client::{Client, Peer};
use crate::commands::transactions::Control;
use crate::commands::{self, docs, BlockingCommand, Command, CommandError, CommandResult};
use crate::commands::{Context, Env};
use crate::db::Db;
use crate::expiry;
use crate::protocol::{Reply, Request};
use crate::storage::{Store, Trash};
use crate::transaction::{Queue, Watches};
use crate::waiters::Waiters;

/// Runs one client's commands against the shared keyspace.
pub struct Executor<'a> {
    db: &'a Db,
    waiters: &'a Waiters,
    env: Env<'a>,
    /// Removed values, freed after each write; kept to reuse its room.
    trash: Trash,
    /// Inside MULTI: the commands queued for EXEC.
    queue: Option<Queue>,
    /// The keys this client WATCHes.
    watches: Watches,
}

impl<'a> Executor<'a> {
    pub fn new(db: &'a Db, waiters: &'a Waiters, env: Env<'a>) -> Executor<'a> {
        Executor {
            db,
            waiters,
            env,
            trash: Trash::default(),
            queue: None,
            watches: Watches::default(),
        }
    }

    /// Runs one request and returns its reply. Errors become `-ERR ...`
    /// replies here, in one place.
    pub fn execute(&mut self, client: &mut Client, request: Request) -> Reply {
        if !client.authenticated && self.env.users.auth_required() {
            if let Some(refusal) = self.refuse_before_auth(&request) {
                return refusal;
            }
        }
        if self.queue.is_some() {
            return self.queue_up(client, request);
        }
        //@ step 3: Read the clock, `commands::parse` the request, `apply` it, count it if Redis would; an error becomes Reply::Error.
        let now_ms = expiry::now_ms();
        let (parsed, counted) = commands::parse(request, now_ms);
        let env = self.env;
        let ctx = Context { now_ms, env: &env };
        let outcome = parsed.and_then(|command| self.apply(command, client, &ctx));
        // Counted once done, as Redis does: INFO does not count itself.
        if counted {
            self.count(1);
        }
        outcome.unwrap_or_else(|err| Reply::Error(err.message()))
        //@ end step 3
    }

    /// Carries out a parsed command: the executor's own ([`Control`]), or
    /// one that runs under the lock its kind asks for.
    fn apply(&mut self, command: Command, client: &mut Client, ctx: &Context) -> CommandResult {
        match command {
            Command::Control(control) => self.control(control, ctx),
            Command::Blocking(command) => self.block(command, client, ctx),
            command => run(self.db, self.waiters, &mut self.trash, command, client, ctx),
        }
    }

    /// Before a client has authenticated, Redis still tells it that a
    /// command is unknown or has the wrong number of arguments, but answers
    /// NOAUTH to anything else except AUTH, HELLO and QUIT (the commands
    /// flagged `no_auth`). Neither is counted as processed, and either makes
    /// an open transaction fail at EXEC.
    fn refuse_before_auth(&mut self, request: &Request) -> Option<Reply> {
        let name = commands::lookup(&request[0]).map(|spec| spec.name);
        let allowed = name
            .and_then(docs::find)
            .is_some_and(|meta| meta.flags.contains(&"no_auth"));
        if allowed {
            return None;
        }
        // Parsing has no effects: it finds the errors Redis gives first.
        let error = match commands::parse(request.clone(), 0) {
            (Err(err), false) => err,
            _ => CommandError::NoAuth,
        };
        if let Some(queue) = &mut self.queue {
            queue.failed = true;
        }
        // A refused EXEC ends the transaction, as Redis's execCommandAbort.
        if name == Some("exec") {
            self.queue = None;
            self.unwatch_all();
            let error = CommandError::ExecAbortBecause(Box::new(error));
            return Some(Reply::Error(error.message()));
        }
        Some(Reply::Error(error.message()))
    }

    fn count(&self, commands: u64) {
        self.env
            .commands_processed
            .fetch_add(commands, Ordering::Relaxed);
    }

    /// MULTI, EXEC, DISCARD, WATCH and UNWATCH.
    fn control(&mut self, control: Control, ctx: &Context) -> CommandResult {
        let inside = self.queue.is_some();
        match control {
            Control::Multi if inside => Err(CommandError::NestedMulti),
            Control::Multi => {
                self.queue = Some(Queue::default());
                Ok(Reply::OK)
            }
            Control::Watch(_) if inside => Err(CommandError::WatchInsideMulti),
            Control::Watch(keys) => {
                let mut store = self.db.write();
                for key in keys {
                    self.watches.add(&mut store, key, ctx.now_ms);
                }
                Ok(Reply::OK)
            }
            Control::Unwatch => {
                self.unwatch_all();
                Ok(Reply::OK)
            }
            Control::Exec | Control::Discard if !inside => {
                let name = if control == Control::Exec {
                    "EXEC"
                } else {
                    "DISCARD"
                };
                Err(CommandError::WithoutMulti(name))
            }
            Control::Discard => {
                self.queue = None;
                self.unwatch_all();
                Ok(Reply::OK)
            }
            Control::Exec => unreachable!("EXEC inside MULTI is run by queue_up"),
        }
    }

    /// Inside MULTI: queues the request, or runs it now if it is one of
    /// the few that Redis does not queue (EXEC, DISCARD, MULTI, WATCH, QUIT).
    fn queue_up(&mut self, client: &mut Client, request: Request) -> Reply {
        let now_ms = expiry::now_ms();
        let name = commands::lookup(&request[0]).map(|spec| spec.name);
        let (parsed, counted) = commands::parse(request, now_ms);
        let env = self.env;
        let ctx = Context { now_ms, env: &env };
        let queue = self.queue.as_mut().expect("inside MULTI");
        let outcome = match parsed {
            Ok(Command::Control(Control::Exec)) => {
                self.count(1);
                self.exec(client, &ctx)
            }
            Ok(Command::Control(Control::Unwatch)) => {
                queue.commands.push(Ok(Command::Control(Control::Unwatch)));
                Ok(Reply::Simple("QUEUED"))
            }
            Ok(command @ Command::Control(_)) => {
                self.count(1);
                self.apply(command, client, &ctx)
            }
            Ok(command) if name == Some("quit") => {
                self.count(1);
                self.apply(command, client, &ctx)
            }
            // EXEC itself refused: the transaction ends with it.
            Err(err @ CommandError::WrongArity("exec")) => {
                self.queue = None;
                self.unwatch_all();
                Err(CommandError::ExecAbortBecause(Box::new(err)))
            }
            // Refused before running (unknown, wrong arity): EXEC will fail.
            Err(err) if !counted => {
                queue.failed = true;
                Err(err)
            }
            _ if name.is_some_and(refused_in_multi) => {
                queue.failed = true;
                Err(CommandError::NotAllowedInMulti)
            }
            queued => {
                //@ step 7: Any other command, parsed or refused by its parser: push it onto the queue as it is, and answer +QUEUED.
                queue.commands.push(queued);
                Ok(Reply::Simple("QUEUED"))
                //@ end step 7
            }
        };
        outcome.unwrap_or_else(|err| Reply::Error(err.message()))
    }

    /// EXEC: the queue under one write guard, unless a command was refused
    /// while queueing (EXECABORT) or a watched key changed (a null reply).
    fn exec(&mut self, client: &mut Client, ctx: &Context) -> CommandResult {
        let queue = self.queue.take().expect("EXEC inside MULTI");
        if queue.failed {
            self.unwatch_all();
            return Err(CommandError::ExecAbort);
        }
        let mut store = self.db.write();
        let changed = self.watches.any_changed(&store, ctx.now_ms);
        self.watches.clear(&mut store);
        if changed {
            return Ok(Reply::NullArray);
        }
        let mut replies = Vec::with_capacity(queue.commands.len());
        for queued in queue.commands {
            //@ step 7: Count the command, then run it with `run_locked` under the guard already held (a parser's error stays an error), and push its reply; an error becomes Reply::Error.
            self.count(1);
            let reply = match queued {
                Err(err) => Err(err),
                Ok(command) => run_locked(&mut store, command, client, ctx),
            };
            replies.push(reply.unwrap_or_else(|err| Reply::Error(err.message())));
            //@ end step 7
        }
        self.waiters.serve(&mut store, ctx);
        store.take_trash(&mut self.trash);
        drop(store);
        self.trash.empty();
        Ok(Reply::Array(replies))
    }

    /// A blocking command: served at once if it can be; otherwise this
    /// thread waits, no lock held, until a writer serves it, its timeout
    /// passes or its client leaves.
    fn block(
        &mut self,
        mut command: Box<dyn BlockingCommand>,
        client: &mut Client,
        ctx: &Context,
    ) -> CommandResult {
        let mut store = self.db.write();
        if let Some(result) = command.try_apply(&mut store, ctx, false) {
            store.settle_changes(result.is_ok());
            self.waiters.serve(&mut store, ctx);
            store.take_trash(&mut self.trash);
            drop(store);
            self.trash.empty();
            return result;
        }
        // A timeout too large for the clock is as good as none.
        let deadline = command
            .timeout()
            .and_then(|t| Instant::now().checked_add(t));
        let forever = command.timeout().is_none() || deadline.is_none();
        // From now on other threads may ask whether this client is gone.
        if let Some(peer) = &client.peer {
            peer.make_nonblocking();
        }
        let waiter = self.waiters.block(&mut store, command, client.peer.clone());
        drop(store);
        loop {
            if let Some(result) = waiter.wait(deadline) {
                return result;
            }
            let time_is_up = !forever && deadline.is_some_and(|d| Instant::now() >= d);
            if time_is_up || client.peer.as_ref().is_some_and(Peer::is_gone) {
                break;
            }
        }
        let mut store = self.db.write();
        match self.waiters.unblock(&mut store, &waiter) {
            Ok(result) => result,
            Err(command) => Ok(command.timed_out()),
        }
    }

    fn unwatch_all(&mut self) {
        if !self.watches.is_empty() {
            self.watches.clear(&mut self.db.write());
        }
    }
}

impl Drop for Executor<'_> {
    /// A client that leaves stops watching its keys.
    fn drop(&mut self) {
        self.unwatch_all();
    }
}

/// Redis refuses to queue the commands flagged `no_multi` (SHUTDOWN).
fn refused_in_multi(name: &str) -> bool {
    docs::find(name).is_some_and(|meta| meta.flags.contains(&"no_multi"))
}

/// Runs one command of a transaction, the write guard already held.
fn run_locked(
    store: &mut Store,
    command: Command,
    client: &mut Client,
    ctx: &Context,
) -> CommandResult {
    match command {
        Command::Read(command) => {
            let reply = command.apply(store, ctx);
            for key in command.keys() {
                store.remove_if_expired(key, ctx.now_ms);
            }
            reply
        }
        Command::Write(command) => {
            let reply = command.apply(store, ctx);
            store.settle_changes(reply.is_ok());
            reply
        }
        Command::Client(command) => command.apply(client, ctx),
        // Inside a transaction nothing waits: BLPOP is LPOP, or a null reply.
        Command::Blocking(mut command) => {
            let reply = command.try_apply(store, ctx, false);
            let reply = reply.unwrap_or_else(|| Ok(command.nothing_in_transaction()));
            store.settle_changes(reply.is_ok());
            reply
        }
        // UNWATCH, queued: EXEC has already forgotten every watched key.
        Command::Control(_) => Ok(Reply::OK),
    }
}

/// Applies a parsed command under the guard its kind asks for.
fn run(
    db: &Db,
    waiters: &Waiters,
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
            store.settle_changes(reply.is_ok());
            waiters.serve(&mut store, ctx);
            store.take_trash(trash);
            drop(store);
            trash.empty();
            reply
        }
        Command::Client(command) => command.apply(client, ctx),
        Command::Control(_) | Command::Blocking(_) => {
            unreachable!("the executor carries these out itself")
        }
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
