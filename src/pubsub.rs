//! Pub/sub: who is subscribed to what, and how a message reaches them.
//!
//! ```text
//! publisher's thread:  PUBLISH ─▶ read guard on the registry ─▶ for each subscriber: encode, push to its Outbox
//!                      reply sent ─▶ send the queued frames without waiting (half of a long list: the courier)
//! subscriber's thread: asleep in `read` on its socket, waiting for its client's next command
//! outbox writer:       asleep until a socket was full ─▶ write the rest, waiting for it ─▶ asleep again
//! ```
//!
//! In an event loop one thread owns every socket, so PUBLISH can append a
//! message to each subscriber's buffer and let the loop write it. Here each
//! socket has its own thread, and a subscriber's is blocked reading. So a
//! subscriber gets an [`Outbox`] when it first subscribes: a bounded queue
//! through which everything the client receives goes from then on, its own
//! replies too, in one order. A publisher pushes, answers its own client,
//! then sends what it pushed with sends that never wait; what a full socket
//! does not take is left to the outbox's writer thread. A publisher never
//! waits for a subscriber, and a subscriber that stops reading is dropped
//! by its outbox's limits, not waited for.
//!
//! The registry maps each channel and pattern to its subscribers, in
//! the order they subscribed; a client's [`Subscriber`] remembers its own
//! channels and patterns, so that leaving (or RESET) takes it out of every
//! one of them. Confirmations are pushed while the registry's write guard
//! is held, so no message on a channel can reach a client before the
//! confirmation of its subscription does.

mod outbox;

use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, PoisonError, RwLock, RwLockReadGuard, RwLockWriteGuard};

pub use outbox::{just_delivered, wake_pending, Card, Limits, Outbox, PUBSUB_LIMITS};

use crate::client::Client;
use crate::commands::docs;
use crate::commands::glob;
use crate::commands::pubsub::{Kind, PubSubCommand};
use crate::commands::{CommandError, CommandResult};
use crate::monitor::Monitors;
use crate::protocol::{Reply, Request, RespVersion};

/// Every subscription of every client, and the MONITOR clients.
#[derive(Debug, Default)]
pub struct PubSub {
    registry: RwLock<Registry>,
    pub monitors: Monitors,
}

/// Each channel, pattern and sharded channel with a subscriber, mapped to
/// its subscribers in the order they came. A name nobody listens to any
/// more is removed, so that millions of channels used once cost nothing.
#[derive(Debug, Default)]
struct Registry {
    channels: HashMap<Vec<u8>, Vec<Arc<Outbox>>>,
    patterns: HashMap<Vec<u8>, Vec<Arc<Outbox>>>,
    shard_channels: HashMap<Vec<u8>, Vec<Arc<Outbox>>>,
}

impl Registry {
    fn get(&self, kind: Kind) -> &HashMap<Vec<u8>, Vec<Arc<Outbox>>> {
        match kind {
            Kind::Channel => &self.channels,
            Kind::Pattern => &self.patterns,
            Kind::Shard => &self.shard_channels,
        }
    }

    fn map(&mut self, kind: Kind) -> &mut HashMap<Vec<u8>, Vec<Arc<Outbox>>> {
        match kind {
            Kind::Channel => &mut self.channels,
            Kind::Pattern => &mut self.patterns,
            Kind::Shard => &mut self.shard_channels,
        }
    }

    fn add(&mut self, kind: Kind, name: &[u8], outbox: &Arc<Outbox>) {
        let subscribers = self.map(kind).entry(name.to_vec()).or_default();
        subscribers.push(Arc::clone(outbox));
    }

    fn remove(&mut self, kind: Kind, name: &[u8], outbox: &Arc<Outbox>) {
        let map = self.map(kind);
        if let Some(subscribers) = map.get_mut(name) {
            subscribers.retain(|other| !Arc::ptr_eq(other, outbox));
            if subscribers.is_empty() {
                map.remove(name);
            }
        }
    }
}

/// How a command's frames reach its client.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Delivery {
    /// Pushed to the outbox at once, under the guard that orders them
    /// with publishers' messages; the command's reply is then empty.
    Outbox,
    /// Returned as the reply, for EXEC to put in its array.
    Reply,
}

impl PubSub {
    fn read(&self) -> RwLockReadGuard<'_, Registry> {
        self.registry.read().unwrap_or_else(PoisonError::into_inner)
    }

    fn write(&self) -> RwLockWriteGuard<'_, Registry> {
        self.registry
            .write()
            .unwrap_or_else(PoisonError::into_inner)
    }

    /// PUBLISH and SPUBLISH: pushes the message to every subscriber of the
    /// channel, then (plain channels only) to every subscriber of each
    /// pattern that matches it. Returns the number of receivers as Redis
    /// counts them: one per subscription that matched, so a client with a
    /// channel and a pattern that match hears it twice and counts twice.
    pub fn publish(&self, kind: Kind, channel: &[u8], message: &[u8]) -> i64 {
        //@ step 8: Under the read guard: for each subscriber of `channel` in `kind`'s map, push the `message` frame (`Frames` encodes it once per RESP version); then, for a plain channel, each pattern that `glob::matches` it, the `pmessage` frame. Count every push.
        let registry = self.read();
        let mut receivers = 0;
        if let Some(subscribers) = registry.get(kind).get(channel) {
            let word = if kind == Kind::Shard {
                "smessage"
            } else {
                "message"
            };
            let mut frames = Frames::new(vec![
                Reply::bulk(word),
                Reply::bulk(channel),
                Reply::bulk(message),
            ]);
            for outbox in subscribers {
                outbox.push(frames.encoded(outbox.is_resp3()));
                receivers += 1;
            }
        }
        if kind == Kind::Channel {
            for (pattern, subscribers) in &registry.patterns {
                if !glob::matches(pattern, channel) {
                    continue;
                }
                let mut frames = Frames::new(vec![
                    Reply::bulk("pmessage"),
                    Reply::bulk(pattern.as_slice()),
                    Reply::bulk(channel),
                    Reply::bulk(message),
                ]);
                for outbox in subscribers {
                    outbox.push(frames.encoded(outbox.is_resp3()));
                    receivers += 1;
                }
            }
        }
        receivers
        //@ end step 8
    }

    /// PUBSUB CHANNELS and SHARDCHANNELS: the channels with a subscriber,
    /// those matching `pattern` if there is one.
    fn channels(&self, kind: Kind, pattern: Option<&[u8]>) -> Reply {
        let names = self
            .read()
            .get(kind)
            .keys()
            .filter(|name| pattern.map_or(true, |p| glob::matches(p, name)))
            .map(|name| Reply::Bulk(name.clone()))
            .collect();
        Reply::Array(names)
    }

    /// PUBSUB NUMSUB and SHARDNUMSUB: each channel and its number of
    /// subscribers, pattern subscriptions left out.
    fn numsub(&self, kind: Kind, channels: Vec<Vec<u8>>) -> Reply {
        let registry = self.read();
        let map = registry.get(kind);
        let mut reply = Vec::with_capacity(channels.len() * 2);
        for channel in channels {
            let count = map.get(&channel).map_or(0, Vec::len);
            reply.push(Reply::Bulk(channel));
            reply.push(Reply::Integer(count as i64));
        }
        Reply::Array(reply)
    }

    /// PUBSUB NUMPAT: how many patterns have a subscriber.
    fn numpat(&self) -> Reply {
        Reply::Integer(self.read().patterns.len() as i64)
    }
}

/// A frame encoded at most once per RESP version, however many
/// subscribers it goes to.
struct Frames {
    items: Vec<Reply>,
    resp2: Option<Vec<u8>>,
    resp3: Option<Vec<u8>>,
}

impl Frames {
    fn new(items: Vec<Reply>) -> Frames {
        Frames {
            items,
            resp2: None,
            resp3: None,
        }
    }

    fn encoded(&mut self, resp3: bool) -> &[u8] {
        let (slot, version) = if resp3 {
            (&mut self.resp3, RespVersion::Resp3)
        } else {
            (&mut self.resp2, RespVersion::Resp2)
        };
        slot.get_or_insert_with(|| encode(&Reply::Push(self.items.clone()), version))
    }
}

fn encode(reply: &Reply, version: RespVersion) -> Vec<u8> {
    let mut bytes = Vec::new();
    reply
        .write_to(&mut bytes, version)
        .expect("writing to a Vec cannot fail");
    bytes
}

/// A set of names that remembers the order they came in: UNSUBSCRIBE with
/// no names leaves them in that order (Redis's own order for channels is
/// its hash table's, which no client can rely on).
#[derive(Debug, Default)]
struct Names {
    order: BTreeMap<u64, Vec<u8>>,
    index: HashMap<Vec<u8>, u64>,
    next: u64,
}

impl Names {
    /// False if it was there already.
    fn insert(&mut self, name: &[u8]) -> bool {
        if self.index.contains_key(name) {
            return false;
        }
        self.index.insert(name.to_vec(), self.next);
        self.order.insert(self.next, name.to_vec());
        self.next += 1;
        true
    }

    fn remove(&mut self, name: &[u8]) -> bool {
        match self.index.remove(name) {
            Some(at) => {
                self.order.remove(&at);
                true
            }
            None => false,
        }
    }

    fn len(&self) -> usize {
        self.index.len()
    }

    fn in_order(&self) -> Vec<Vec<u8>> {
        self.order.values().cloned().collect()
    }
}

/// One client as a subscriber or monitor: its outbox, and what it listens
/// to. Dropped with its [`Client`], it leaves every channel and pattern.
#[derive(Debug)]
pub struct Subscriber {
    pubsub: Arc<PubSub>,
    outbox: Arc<Outbox>,
    channels: Names,
    patterns: Names,
    shard_channels: Names,
    monitoring: bool,
}

impl Subscriber {
    pub fn new(pubsub: Arc<PubSub>, outbox: Arc<Outbox>) -> Subscriber {
        Subscriber {
            pubsub,
            outbox,
            channels: Names::default(),
            patterns: Names::default(),
            shard_channels: Names::default(),
            monitoring: false,
        }
    }

    pub fn outbox(&self) -> &Arc<Outbox> {
        &self.outbox
    }

    fn names(&mut self, kind: Kind) -> &mut Names {
        match kind {
            Kind::Channel => &mut self.channels,
            Kind::Pattern => &mut self.patterns,
            Kind::Shard => &mut self.shard_channels,
        }
    }

    /// The count a confirmation carries: channels and patterns together,
    /// or sharded channels alone.
    fn count(&self, kind: Kind) -> i64 {
        let count = match kind {
            Kind::Shard => self.shard_channels.len(),
            _ => self.channels.len() + self.patterns.len(),
        };
        count as i64
    }

    /// Subscribed to anything: a RESP2 client is then in subscribed mode.
    pub fn is_subscribed(&self) -> bool {
        self.channels.len() + self.patterns.len() + self.shard_channels.len() > 0
    }

    pub fn is_monitoring(&self) -> bool {
        self.monitoring
    }

    fn subscribe(
        &mut self,
        kind: Kind,
        names: Vec<Vec<u8>>,
        resp: RespVersion,
        delivery: Delivery,
    ) -> Reply {
        //@ step 8: Under the registry's write guard: for each name, if `self.names(kind).insert` it is new, add this outbox to the registry; make a confirmation (`confirmation`) with the count after it; then `deliver` them, still under the guard.
        let pubsub = Arc::clone(&self.pubsub);
        let mut registry = pubsub.write();
        let mut frames = Vec::with_capacity(names.len());
        for name in names {
            if self.names(kind).insert(&name) {
                registry.add(kind, &name, &self.outbox);
            }
            let count = self.count(kind);
            frames.push(confirmation(kind.subscribe_word(), Some(name), count));
        }
        self.deliver(frames, resp, delivery)
        //@ end step 8
    }

    fn unsubscribe(
        &mut self,
        kind: Kind,
        names: Vec<Vec<u8>>,
        resp: RespVersion,
        delivery: Delivery,
    ) -> Reply {
        let pubsub = Arc::clone(&self.pubsub);
        let mut registry = pubsub.write();
        let names = if names.is_empty() {
            self.names(kind).in_order()
        } else {
            names
        };
        let mut frames = Vec::with_capacity(names.len().max(1));
        for name in names {
            if self.names(kind).remove(&name) {
                registry.remove(kind, &name, &self.outbox);
            }
            let count = self.count(kind);
            frames.push(confirmation(kind.unsubscribe_word(), Some(name), count));
        }
        if frames.is_empty() {
            frames.push(confirmation(
                kind.unsubscribe_word(),
                None,
                self.count(kind),
            ));
        }
        self.deliver(frames, resp, delivery)
    }

    fn deliver(&self, frames: Vec<Reply>, resp: RespVersion, delivery: Delivery) -> Reply {
        let frames = Reply::Several(frames);
        match delivery {
            Delivery::Reply => frames,
            Delivery::Outbox => {
                self.outbox.push(&encode(&frames, resp));
                Reply::Several(Vec::new())
            }
        }
    }

    /// Leaves every channel and pattern without a word (RESET, or leaving).
    fn forget_all(&mut self) {
        let pubsub = Arc::clone(&self.pubsub);
        let mut registry = pubsub.write();
        for kind in [Kind::Channel, Kind::Pattern, Kind::Shard] {
            for name in self.names(kind).in_order() {
                registry.remove(kind, &name, &self.outbox);
            }
            *self.names(kind) = Names::default();
        }
        drop(registry);
        if self.monitoring {
            self.pubsub.monitors.remove(&self.outbox);
            self.monitoring = false;
        }
    }

    /// Brings the outbox up to date with its client after a command: the
    /// limits apply while the client subscribes or monitors, and frames are
    /// encoded in the RESP version it speaks now.
    fn settle(&self, resp: RespVersion) {
        let flags = match (self.is_subscribed(), self.monitoring) {
            (true, _) => "P",
            (false, true) => "O",
            (false, false) => "N",
        };
        self.outbox.set_limited(flags != "N", flags);
        self.outbox.set_resp3(resp == RespVersion::Resp3);
    }
}

impl Drop for Subscriber {
    /// A client that leaves is taken out of every channel and pattern, then
    /// what its outbox still holds is sent.
    fn drop(&mut self) {
        self.forget_all();
        self.outbox.finish();
    }
}

/// `subscribe`, `unsubscribe`...: the word, the name (none: "from nothing",
/// a null), and the client's count after it.
fn confirmation(word: &'static str, name: Option<Vec<u8>>, count: i64) -> Reply {
    Reply::Push(vec![
        Reply::bulk(word),
        name.map_or(Reply::Null, Reply::Bulk),
        Reply::Integer(count),
    ])
}

/// Runs a pub/sub command for `client`. The first subscription (or
/// MONITOR) gives the client its [`Subscriber`] and outbox.
pub fn run(
    pubsub: &Arc<PubSub>,
    command: PubSubCommand,
    client: &mut Client,
    delivery: Delivery,
) -> CommandResult {
    let resp = client.resp;
    let reply = match command {
        PubSubCommand::Publish {
            kind,
            channel,
            message,
        } => Reply::Integer(pubsub.publish(kind, &channel, &message)),
        PubSubCommand::Channels(kind, pattern) => pubsub.channels(kind, pattern.as_deref()),
        PubSubCommand::NumSub(kind, channels) => pubsub.numsub(kind, channels),
        PubSubCommand::NumPat => pubsub.numpat(),
        PubSubCommand::Subscribe(kind, names) => {
            subscriber(pubsub, client)?.subscribe(kind, names, resp, delivery)
        }
        PubSubCommand::Unsubscribe(kind, names) => match client.subscriber.as_mut() {
            Some(subscriber) => subscriber.unsubscribe(kind, names, resp, delivery),
            // Never subscribed: a confirmation for each name, counting 0.
            None => {
                let mut frames: Vec<Reply> = names
                    .into_iter()
                    .map(|name| confirmation(kind.unsubscribe_word(), Some(name), 0))
                    .collect();
                if frames.is_empty() {
                    frames.push(confirmation(kind.unsubscribe_word(), None, 0));
                }
                Reply::Several(frames)
            }
        },
        PubSubCommand::Monitor => {
            if delivery == Delivery::Reply {
                return Err(CommandError::MonitorDenyBlocking);
            }
            let subscriber = subscriber(pubsub, client)?;
            // Already monitoring: Redis says nothing at all.
            if !subscriber.monitoring {
                subscriber.monitoring = true;
                pubsub.monitors.add(&subscriber.outbox, b"+OK\r\n");
            }
            Reply::Several(Vec::new())
        }
        PubSubCommand::Reset => {
            if let Some(subscriber) = client.subscriber.as_mut() {
                subscriber.forget_all();
            }
            client.resp = RespVersion::Resp2;
            client.name = None;
            Reply::Simple("RESET")
        }
    };
    settle(client);
    Ok(reply)
}

/// The client's [`Subscriber`], made with its outbox the first time.
fn subscriber<'c>(
    pubsub: &Arc<PubSub>,
    client: &'c mut Client,
) -> Result<&'c mut Subscriber, CommandError> {
    if client.subscriber.is_none() {
        let card = Card {
            id: client.id,
            addr: client.addr,
            flags: "N",
        };
        let resp3 = client.resp == RespVersion::Resp3;
        let peer = client.peer.as_ref().ok_or(CommandError::NoOutbox)?;
        let outbox = peer
            .outbox(card, resp3)
            .map_err(|_| CommandError::NoOutbox)?;
        client.subscriber = Some(Subscriber::new(Arc::clone(pubsub), outbox));
    }
    Ok(client.subscriber.as_mut().expect("just made"))
}

/// After any command: the client's outbox learns whether its limits apply
/// (subscribed or monitoring) and which RESP version to encode frames in.
pub fn settle(client: &Client) {
    if let Some(subscriber) = &client.subscriber {
        subscriber.settle(client.resp);
    }
}

/// PING from a RESP2 client in subscribed mode: Redis answers it in the
/// shape of a message, `["pong", message or ""]`, so that a client reading
/// only frames can read it. Not inside MULTI, where PING is queued.
pub fn subscribed_ping(client: &Client, request: &Request, in_multi: bool) -> Option<Reply> {
    let subscribed = client.subscriber.as_ref()?.is_subscribed();
    let ping = request.len() <= 2 && request[0].eq_ignore_ascii_case(b"ping");
    if !subscribed || !ping || in_multi || client.resp != RespVersion::Resp2 {
        return None;
    }
    let message = request.get(1).cloned().unwrap_or_default();
    Some(Reply::Array(vec![
        Reply::bulk("pong"),
        Reply::Bulk(message),
    ]))
}

/// The commands a RESP2 client may send while subscribed.
const ALLOWED_WHEN_SUBSCRIBED: &[&str] = &[
    "ping",
    "subscribe",
    "ssubscribe",
    "unsubscribe",
    "sunsubscribe",
    "psubscribe",
    "punsubscribe",
    "quit",
    "reset",
];

/// The two refusals of Redis's `processCommand` that depend on this mode:
/// a RESP2 client in subscribed mode may only send the commands above, and
/// a MONITOR client (a replica, to Redis) may not touch the keyspace.
/// `request` is known to be a command with the right number of arguments.
pub fn refusal(client: &Client, request: &Request) -> Option<CommandError> {
    let subscriber = client.subscriber.as_ref()?;
    let name = full_name(request);
    // A subcommand's own arity error comes first, from its parser.
    let meta = docs::find(&name)?;
    if !crate::commands::arity_fits(meta.arity, request.len()) {
        return None;
    }
    if subscriber.is_subscribed() && client.resp == RespVersion::Resp2 {
        let top = name.split('|').next().unwrap_or_default();
        if !ALLOWED_WHEN_SUBSCRIBED.contains(&top) {
            return Some(CommandError::NotInSubscribedContext(name));
        }
    }
    if subscriber.monitoring {
        let touches_keys = ["write", "readonly", "may_replicate"]
            .iter()
            .any(|flag| meta.flags.contains(flag));
        if touches_keys {
            return Some(CommandError::ReplicaKeyspace);
        }
    }
    None
}

/// A command's name as Redis's errors and flags know it: `get`, or
/// `client|id` for a subcommand Redis describes.
pub fn full_name(request: &Request) -> String {
    let name = String::from_utf8_lossy(&request[0]).to_ascii_lowercase();
    let Some(meta) = docs::find(&name) else {
        return name;
    };
    if let Some(sub) = request.get(1) {
        let sub = String::from_utf8_lossy(sub).to_ascii_lowercase();
        let full = format!("{}|{sub}", meta.name);
        if meta.subcommands.iter().any(|s| s.name == full) {
            return full;
        }
    }
    meta.name.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_keep_their_order_and_forget_removed_ones() {
        let mut names = Names::default();
        assert!(names.insert(b"b"));
        assert!(names.insert(b"a"));
        assert!(!names.insert(b"b"), "already there");
        assert!(names.remove(b"b"));
        assert!(!names.remove(b"b"));
        assert!(names.insert(b"b"));
        assert_eq!(names.in_order(), vec![b"a".to_vec(), b"b".to_vec()]);
        assert_eq!(names.len(), 2);
    }

    //@ passes from step 2
    #[test]
    fn frames_are_arrays_in_resp2_and_pushes_in_resp3() {
        let mut frames = Frames::new(vec![Reply::bulk("message"), Reply::bulk("c")]);
        assert_eq!(frames.encoded(false), b"*2\r\n$7\r\nmessage\r\n$1\r\nc\r\n");
        assert_eq!(frames.encoded(true), b">2\r\n$7\r\nmessage\r\n$1\r\nc\r\n");
        let nothing = confirmation("unsubscribe", None, 0);
        assert_eq!(
            encode(&nothing, RespVersion::Resp2),
            b"*3\r\n$11\r\nunsubscribe\r\n$-1\r\n:0\r\n"
        );
    }
}
