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

use std::cell::Cell;
use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::time::Instant;

use crate::aof::{propagate, Aof};
use crate::client::{Client, Peer};
use crate::commands::pubsub::PubSubCommand;
use crate::commands::transactions::Control;
use crate::commands::{self, docs, BlockingCommand, Command, CommandError, CommandResult};
use crate::commands::{Context, Env};
use crate::db::Db;
use crate::expiry;
use crate::protocol::{Reply, Request};
use crate::pubsub::{self, Delivery, PubSub};
use crate::storage::{Store, Trash};
use crate::transaction::{Queue, Watches};
use crate::waiters::Waiters;

/// Runs one client's commands against the shared keyspace.
pub struct Executor<'a> {
    db: &'a Db,
    waiters: &'a Waiters,
    /// Subscriptions and MONITOR clients.
    pubsub: &'a Arc<PubSub>,
    env: Env<'a>,
    /// Removed values, freed after each write; kept to reuse its room.
    trash: Trash,
    /// Inside MULTI: the commands queued for EXEC.
    queue: Option<Queue>,
    /// The keys this client WATCHes.
    watches: Watches,
    /// While the AOF is on: the words of the request being run, kept to
    /// log it by (parsing consumes the request).
    words: Option<Request>,
    /// Inside MULTI, while the AOF is on: the words of each queued command.
    queued_words: Vec<Option<Request>>,
    /// Whether the request being executed ran (was counted), so MONITOR
    /// shows it: set by [`Executor::count`].
    ran: Cell<bool>,
    /// Inside MULTI, while anyone monitors: the queued requests, as sent,
    /// for MONITOR to show when EXEC runs them.
    monitored_queue: Vec<Option<Request>>,
}

impl<'a> Executor<'a> {
    pub fn new(
        db: &'a Db,
        waiters: &'a Waiters,
        pubsub: &'a Arc<PubSub>,
        env: Env<'a>,
    ) -> Executor<'a> {
        Executor {
            db,
            waiters,
            pubsub,
            env,
            trash: Trash::default(),
            queue: None,
            watches: Watches::default(),
            words: None,
            queued_words: Vec::new(),
            ran: Cell::new(false),
            monitored_queue: Vec::new(),
        }
    }

    /// Runs one request and returns its reply. Errors become `-ERR ...`
    /// replies here, in one place. A client that subscribes or monitors
    /// may be refused what it may not do in that mode, and MONITOR clients
    /// are shown every request that ran.
    pub fn execute(&mut self, client: &mut Client, request: Request) -> Reply {
        if !client.authenticated && self.env.users.auth_required() {
            if let Some(refusal) = self.refuse_before_auth(&request) {
                return refusal;
            }
        }
        if let Some(why) = self.disk_error() {
            if let Some(refusal) = self.refuse_write(&request, why) {
                return refusal;
            }
        }
        if let Some(err) = self.refusal(client, &request) {
            if let Some(queue) = self.queue.as_mut() {
                queue.failed = true;
            }
            return Reply::Error(err.message());
        }
        let monitored = self.pubsub.monitors.any().then(|| request.clone());
        self.ran.set(false);
        let queued = self.queue.as_ref().map(|queue| queue.commands.len());
        let reply = match pubsub::subscribed_ping(client, &request, self.queue.is_some()) {
            Some(pong) => {
                self.count(1);
                pong
            }
            None => self.run_request(client, request),
        };
        pubsub::settle(client);
        match &self.queue {
            // Queued: shown to monitors when EXEC runs it.
            Some(queue) if queued.is_some_and(|before| queue.commands.len() > before) => {
                self.monitored_queue.push(monitored.clone());
            }
            Some(_) => {}
            None => self.monitored_queue.clear(),
        }
        match monitored.filter(|_| self.ran.get()) {
            Some(request) => self.pubsub.monitors.feed(client, &request, reply),
            None => reply,
        }
    }

    /// Redis's refusals for a client in subscribed or MONITOR mode, which
    /// come after the command's name and arity are found good.
    fn refusal(&self, client: &Client, request: &Request) -> Option<CommandError> {
        client.subscriber.as_ref()?;
        well_formed(request)?;
        pubsub::refusal(client, request)
    }

    fn run_request(&mut self, client: &mut Client, request: Request) -> Reply {
        if self.queue.is_some() {
            return self.queue_up(client, request);
        }
        self.words = self.env.aof.is_on().then(|| request.clone());
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
            Command::PubSub(command) => {
                if command == PubSubCommand::Reset {
                    self.unwatch_all();
                }
                pubsub::run(self.pubsub, command, client, Delivery::Outbox)
            }
            command => {
                let words = self.words.take();
                let aof = self.env.aof;
                run(
                    self.db,
                    self.waiters,
                    aof,
                    &mut self.trash,
                    command,
                    words,
                    client,
                    ctx,
                )
            }
        }
    }

    /// Before a client has authenticated, Redis still tells it that a
    /// command is unknown or has the wrong number of arguments, but answers
    /// NOAUTH to anything else except AUTH, HELLO and QUIT (the commands
    /// flagged `no_auth`). Neither is counted as processed, and either makes
    /// an open transaction fail at EXEC.
    fn refuse_before_auth(&mut self, request: &Request) -> Option<Reply> {
        let name = commands::lookup(&request[0]).map(|spec| spec.name);
        if name.is_some_and(|name| docs::flagged(name, "no_auth")) {
            return None;
        }
        // Parsing has no effects: it finds the errors Redis gives first.
        let error = match commands::parse(request.clone(), 0) {
            (Err(err), false) => err,
            _ => CommandError::NoAuth,
        };
        Some(self.reject(name == Some("exec"), error))
    }

    /// Redis's `rejectCommand`: the refusal as a reply, not counted as
    /// processed. An open transaction will fail at EXEC, and a refused EXEC
    /// ends it at once (`execCommandAbort`).
    fn reject(&mut self, exec: bool, error: CommandError) -> Reply {
        if exec {
            self.queue = None;
            self.unwatch_all();
            return Reply::Error(CommandError::ExecAbortBecause(Box::new(error)).message());
        }
        if let Some(queue) = &mut self.queue {
            queue.failed = true;
        }
        Reply::Error(error.message())
    }

    /// Why writes cannot be kept now, if they cannot: the last background
    /// save failed (while a save policy exists), or the last write to the
    /// append-only file did (Redis's `writeCommandsDeniedByDiskError`).
    /// Two atomic loads when all is well.
    fn disk_error(&self) -> Option<CommandError> {
        if self.env.persistence.refusing_writes() {
            return Some(CommandError::MisconfRdb);
        }
        self.env.aof.write_error().map(CommandError::MisconfAof)
    }

    /// When writes cannot be kept, Redis refuses what writes (and PING, so
    /// that a health check notices) with MISCONF and `why`, once the
    /// command's name and arity are found good. An EXEC is a write if a
    /// command it would run writes (so only inside MULTI).
    fn refuse_write(&mut self, request: &Request, why: CommandError) -> Option<Reply> {
        let name = well_formed(request)?.name;
        let exec = name == "exec";
        let writes = match &self.queue {
            Some(queue) if exec => queue.writes,
            _ => docs::flagged(name, "write"),
        };
        if !writes && name != "ping" {
            return None;
        }
        Some(self.reject(exec, why))
    }

    fn count(&self, commands: u64) {
        self.ran.set(true);
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
                self.queued_words.clear();
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
        let spec = commands::lookup(&request[0]);
        let name = spec.map(|spec| spec.name);
        let words = self.env.aof.is_on().then(|| request.clone());
        let (parsed, counted) = commands::parse_found(spec, request, now_ms);
        // A blocking command notes its own pop (see `block`).
        let words = words.filter(|_| !matches!(parsed, Ok(Command::Blocking(_))));
        let env = self.env;
        let ctx = Context { now_ms, env: &env };
        let queue = self.queue.as_mut().expect("inside MULTI");
        let queued_before = queue.commands.len();
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
                queue.writes |= name.is_some_and(|name| docs::flagged(name, "write"));
                //@ step 7: Any other command, parsed or refused by its parser: push it onto the queue as it is, and answer +QUEUED.
                queue.commands.push(queued);
                Ok(Reply::Simple("QUEUED"))
                //@ end step 7
            }
        };
        if self
            .queue
            .as_ref()
            .is_some_and(|queue| queue.commands.len() > queued_before)
        {
            self.queued_words.push(words);
        }
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
        let logged_before = store.propagated().map_or(0, |logged| logged.len());
        self.env.aof.set_in_exec(true);
        let mut words = std::mem::take(&mut self.queued_words).into_iter();
        let mut replies = Vec::with_capacity(queue.commands.len());
        for queued in queue.commands {
            let dirty_before = store.dirty();
            //@ step 7: Count the command, then run it with `run_locked` under the guard already held (a parser's error stays an error), and push its reply; an error becomes Reply::Error.
            self.count(1);
            let reply = match queued {
                Err(err) => Err(err),
                Ok(command) => run_locked(&mut store, command, client, ctx),
            };
            replies.push(reply.unwrap_or_else(|err| Reply::Error(err.message())));
            //@ end step 7
            if let (Some(words), Some(reply)) = (words.next().flatten(), replies.last()) {
                propagate::note(&mut store, words, reply, dirty_before);
            }
        }
        self.env.aof.set_in_exec(false);
        propagate::wrap_in_multi(&mut store, logged_before);
        self.waiters.serve(&mut store, ctx);
        let end = self.env.aof.log(&mut store);
        // Behind a BGSAVE, the scheduled rewrite waits for the cron thread.
        if !self.env.persistence.bgsave_in_progress() && self.env.aof.rewrite_scheduled() {
            // Logged up to here: now the snapshot and the new incr file meet.
            if let Err(err) = self.env.aof.start_rewrite(&store) {
                crate::log::log(
                    crate::log::Level::Warning,
                    format_args!("The scheduled AOF rewrite did not start: {err:?}"),
                );
            }
        }
        store.take_trash(&mut self.trash);
        drop(store);
        self.trash.empty();
        self.env.aof.wait_fsynced(end);
        for request in std::mem::take(&mut self.monitored_queue).iter().flatten() {
            self.pubsub.monitors.show(client, request);
        }
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
        // It notes its own pop in the store's log when served.
        self.words = None;
        let mut store = self.db.write();
        if let Some(result) = command.try_apply(&mut store, ctx, false) {
            store.settle_changes(result.is_ok());
            self.waiters.serve(&mut store, ctx);
            let end = self.env.aof.log(&mut store);
            store.take_trash(&mut self.trash);
            drop(store);
            self.trash.empty();
            self.env.aof.wait_fsynced(end);
            return result;
        }
        // What this client published before must not wait with it.
        pubsub::wake_pending();
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
                // The writer that served it logged the pop: wait for that too.
                self.env.aof.wait_fsynced(self.env.aof.appended());
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
    /// A client that leaves stops watching its keys, and wakes the writers
    /// it pushed to.
    fn drop(&mut self) {
        pubsub::wake_pending();
        self.unwatch_all();
    }
}

/// Start-up: runs the commands of the append-only file against the
/// keyspace being loaded, as Redis's fake AOF client does: replies are
/// dropped, a command's error is no reason to stop, and nothing waits.
/// Commands run as if at time 0, so no key expires while loading (Redis's
/// `keyIsExpired` says no while `server.loading`).
pub struct Replay<'a> {
    env: Env<'a>,
    client: Client,
    trash: Trash,
}

impl<'a> Replay<'a> {
    pub fn new(env: Env<'a>) -> Replay<'a> {
        Replay {
            env,
            client: Client::new(0, None),
            trash: Trash::default(),
        }
    }

    /// Runs one logged command; `Err` if this server does not know it.
    pub fn run(&mut self, store: &mut Store, request: Request) -> Result<(), String> {
        if commands::lookup(&request[0]).is_none() {
            return Err(format!(
                "Unknown command '{}'",
                String::from_utf8_lossy(&request[0])
            ));
        }
        // Relative times (an old EXPIRE) are read against the real clock.
        let (parsed, _) = commands::parse(request, expiry::now_ms());
        let Ok(command) = parsed else {
            return Ok(());
        };
        let ctx = Context {
            now_ms: 0,
            env: &self.env,
        };
        match command {
            Command::Write(command) => {
                let reply = command.apply(store, &ctx);
                store.settle_changes(reply.is_ok());
            }
            Command::Read(command) => {
                let _ = command.apply(store, &ctx);
            }
            Command::Blocking(mut command) => {
                let reply = command.try_apply(store, &ctx, false);
                store.settle_changes(matches!(reply, Some(Ok(_))));
            }
            Command::Client(command) => {
                let _ = command.apply(&mut self.client, &ctx);
            }
            // PUBLISH is sent to replicas, never to the AOF: nothing to replay.
            Command::Control(_) | Command::PubSub(_) => {}
        }
        store.take_trash(&mut self.trash);
        self.trash.empty();
        Ok(())
    }
}

/// The command `request` names, if it is one and its number of arguments
/// fits: Redis's later refusals (subscribed mode, MISCONF) come only then.
fn well_formed(request: &Request) -> Option<&'static commands::Spec> {
    let spec = commands::lookup(&request[0])?;
    commands::arity_fits(spec.arity, request.len()).then_some(spec)
}

/// Redis refuses to queue the commands flagged `no_multi` (SHUTDOWN).
fn refused_in_multi(name: &str) -> bool {
    docs::flagged(name, "no_multi")
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
        // Pub/sub needs no store: inside EXEC its frames are its reply.
        Command::PubSub(command) => pubsub::run(ctx.env.pubsub, command, client, Delivery::Reply),
    }
}

/// Applies a parsed command under the guard its kind asks for.
#[allow(clippy::too_many_arguments)]
fn run(
    db: &Db,
    waiters: &Waiters,
    aof: &Aof,
    trash: &mut Trash,
    command: Command,
    words: Option<Request>,
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
                delete_expired(db, aof, trash, &expired, ctx.now_ms);
            }
            reply
        }
        Command::Write(command) => {
            let mut store = db.write();
            let dirty_before = store.dirty();
            let reply = command.apply(&mut store, ctx);
            store.settle_changes(reply.is_ok());
            if let (Some(words), Ok(reply)) = (words, &reply) {
                propagate::note(&mut store, words, reply, dirty_before);
            }
            waiters.serve(&mut store, ctx);
            let end = aof.log(&mut store);
            store.take_trash(trash);
            drop(store);
            trash.empty();
            aof.wait_fsynced(end);
            reply
        }
        Command::Client(command) => command.apply(client, ctx),
        Command::Control(_) | Command::Blocking(_) | Command::PubSub(_) => {
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
fn delete_expired(db: &Db, aof: &Aof, trash: &mut Trash, keys: &[Vec<u8>], now_ms: u64) {
    let mut store = db.write();
    for key in keys {
        store.remove_if_expired(key, now_ms);
    }
    // Each logged as DEL; no reply waits for them, so no fsync is awaited.
    aof.log(&mut store);
    store.take_trash(trash);
    drop(store);
    trash.empty();
}
