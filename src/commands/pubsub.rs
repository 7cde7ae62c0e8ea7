//! Pub/sub commands (Redis's "pubsub" group): SUBSCRIBE, UNSUBSCRIBE,
//! PSUBSCRIBE, PUNSUBSCRIBE, PUBLISH, PUBSUB, and their sharded twins
//! SSUBSCRIBE, SUNSUBSCRIBE and SPUBLISH; with MONITOR and RESET, which also
//! change what a connection receives.
//!
//! They need neither the keyspace nor its lock, but what other clients are
//! subscribed to, so they are their own kind of [`Command`]: the executor
//! hands them to [`crate::pubsub`], which keeps the subscriptions.
//!
//! Sharded channels are Redis 7.0's: in a cluster they live on the node of
//! their slot; in one server they are a namespace of their own, apart from
//! the plain channels and never matched by patterns. We have them because
//! Redis 7.0 has them, PUBSUB HELP lists them, and they cost a third map.

use super::session::help;
use super::{check_arity, take_arg, Command, CommandError};
use crate::protocol::Request;

/// What a subscription is to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A channel, by its exact name (SUBSCRIBE).
    Channel,
    /// Every channel whose name matches a glob (PSUBSCRIBE).
    Pattern,
    /// A sharded channel (SSUBSCRIBE).
    Shard,
}

impl Kind {
    /// The first word of a confirmation frame, as Redis names it.
    pub fn subscribe_word(self) -> &'static str {
        match self {
            Kind::Channel => "subscribe",
            Kind::Pattern => "psubscribe",
            Kind::Shard => "ssubscribe",
        }
    }

    pub fn unsubscribe_word(self) -> &'static str {
        match self {
            Kind::Channel => "unsubscribe",
            Kind::Pattern => "punsubscribe",
            Kind::Shard => "sunsubscribe",
        }
    }
}

/// A parsed pub/sub command.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PubSubCommand {
    Subscribe(Kind, Vec<Vec<u8>>),
    /// No names: from every channel (or pattern) of that kind.
    Unsubscribe(Kind, Vec<Vec<u8>>),
    /// PUBLISH (`Kind::Channel`) or SPUBLISH (`Kind::Shard`).
    Publish {
        kind: Kind,
        channel: Vec<u8>,
        message: Vec<u8>,
    },
    /// PUBSUB CHANNELS or SHARDCHANNELS, with an optional glob.
    Channels(Kind, Option<Vec<u8>>),
    /// PUBSUB NUMSUB or SHARDNUMSUB.
    NumSub(Kind, Vec<Vec<u8>>),
    NumPat,
    Monitor,
    /// Back to a fresh connection's state: no subscriptions, no MONITOR,
    /// no transaction, RESP2, no name.
    Reset,
}

fn pubsub(command: PubSubCommand) -> Result<Command, CommandError> {
    Ok(Command::PubSub(command))
}

/// The arguments after the command's name.
fn names(mut request: Request) -> Vec<Vec<u8>> {
    request.remove(0);
    request
}

/// `SUBSCRIBE channel [channel ...]`
pub fn parse_subscribe(request: Request, _now_ms: u64) -> Result<Command, CommandError> {
    pubsub(PubSubCommand::Subscribe(Kind::Channel, names(request)))
}

/// `PSUBSCRIBE pattern [pattern ...]`
pub fn parse_psubscribe(request: Request, _now_ms: u64) -> Result<Command, CommandError> {
    pubsub(PubSubCommand::Subscribe(Kind::Pattern, names(request)))
}

/// `SSUBSCRIBE shardchannel [shardchannel ...]`
pub fn parse_ssubscribe(request: Request, _now_ms: u64) -> Result<Command, CommandError> {
    pubsub(PubSubCommand::Subscribe(Kind::Shard, names(request)))
}

/// `UNSUBSCRIBE [channel ...]`
pub fn parse_unsubscribe(request: Request, _now_ms: u64) -> Result<Command, CommandError> {
    pubsub(PubSubCommand::Unsubscribe(Kind::Channel, names(request)))
}

/// `PUNSUBSCRIBE [pattern ...]`
pub fn parse_punsubscribe(request: Request, _now_ms: u64) -> Result<Command, CommandError> {
    pubsub(PubSubCommand::Unsubscribe(Kind::Pattern, names(request)))
}

/// `SUNSUBSCRIBE [shardchannel ...]`
pub fn parse_sunsubscribe(request: Request, _now_ms: u64) -> Result<Command, CommandError> {
    pubsub(PubSubCommand::Unsubscribe(Kind::Shard, names(request)))
}

/// `PUBLISH channel message`
pub fn parse_publish(mut request: Request, _now_ms: u64) -> Result<Command, CommandError> {
    pubsub(PubSubCommand::Publish {
        kind: Kind::Channel,
        message: take_arg(&mut request, 2),
        channel: take_arg(&mut request, 1),
    })
}

/// `SPUBLISH shardchannel message`
pub fn parse_spublish(mut request: Request, _now_ms: u64) -> Result<Command, CommandError> {
    pubsub(PubSubCommand::Publish {
        kind: Kind::Shard,
        message: take_arg(&mut request, 2),
        channel: take_arg(&mut request, 1),
    })
}

/// PUBSUB HELP, in Redis 7.0's words.
const PUBSUB_HELP: &[&str] = &[
    "PUBSUB <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
    "CHANNELS [<pattern>]",
    "    Return the currently active channels matching a <pattern> (default: '*').",
    "NUMPAT",
    "    Return number of subscriptions to patterns.",
    "NUMSUB [<channel> ...]",
    "    Return the number of subscribers for the specified channels, excluding",
    "    pattern subscriptions(default: no channels).",
    "SHARDCHANNELS [<pattern>]",
    "    Return the currently active shard level channels matching a <pattern> (default: '*').",
    "SHARDNUMSUB [<shardchannel> ...]",
    "    Return the number of subscribers for the specified shard level channel(s)",
    "HELP",
    "    Prints this help.",
];

/// `PUBSUB CHANNELS [pattern] | NUMSUB [channel ...] | NUMPAT |
/// SHARDCHANNELS [pattern] | SHARDNUMSUB [shardchannel ...] | HELP`
pub fn parse_pubsub(mut request: Request, _now_ms: u64) -> Result<Command, CommandError> {
    let sub = request[1].to_ascii_lowercase();
    let kind = match sub.as_slice() {
        b"channels" | b"numsub" => Kind::Channel,
        _ => Kind::Shard,
    };
    match sub.as_slice() {
        b"help" => {
            check_arity(&request, 2, "pubsub|help")?;
            help(PUBSUB_HELP)
        }
        b"numpat" => {
            check_arity(&request, 2, "pubsub|numpat")?;
            pubsub(PubSubCommand::NumPat)
        }
        // Redis checks these counts inside the command, with its own words.
        b"channels" | b"shardchannels" if request.len() > 3 => Err(CommandError::SubcommandSyntax(
            take_arg(&mut request, 1),
            "PUBSUB",
        )),
        b"channels" | b"shardchannels" => {
            let pattern = (request.len() == 3).then(|| take_arg(&mut request, 2));
            pubsub(PubSubCommand::Channels(kind, pattern))
        }
        b"numsub" | b"shardnumsub" => {
            request.drain(..2);
            pubsub(PubSubCommand::NumSub(kind, request))
        }
        _ => Err(CommandError::UnknownSubcommand(
            take_arg(&mut request, 1),
            "PUBSUB",
        )),
    }
}

/// `MONITOR`
pub fn parse_monitor(_request: Request, _now_ms: u64) -> Result<Command, CommandError> {
    pubsub(PubSubCommand::Monitor)
}

/// `RESET`
pub fn parse_reset(_request: Request, _now_ms: u64) -> Result<Command, CommandError> {
    pubsub(PubSubCommand::Reset)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(line: &str) -> Result<PubSubCommand, Vec<u8>> {
        let request = crate::protocol::parse_inline(line.as_bytes()).unwrap();
        match super::super::parse(request, 0).0 {
            Ok(Command::PubSub(command)) => Ok(command),
            Ok(_) => panic!("{line} is not a pub/sub command"),
            Err(err) => Err(err.message()),
        }
    }

    //@ passes from step 5
    #[test]
    fn subscriptions_keep_their_names_in_order_and_bytes_as_sent() {
        assert_eq!(
            parse("subscribe b a b"),
            Ok(PubSubCommand::Subscribe(
                Kind::Channel,
                vec![b"b".to_vec(), b"a".to_vec(), b"b".to_vec()]
            ))
        );
        assert_eq!(
            parse("PUNSUBSCRIBE"),
            Ok(PubSubCommand::Unsubscribe(Kind::Pattern, vec![]))
        );
        assert_eq!(
            parse("spublish \"s\\x00\" m"),
            Ok(PubSubCommand::Publish {
                kind: Kind::Shard,
                channel: b"s\0".to_vec(),
                message: b"m".to_vec()
            })
        );
    }

    //@ passes from step 3
    #[test]
    fn pubsub_subcommands_and_their_errors() {
        assert_eq!(
            parse("pubsub channels"),
            Ok(PubSubCommand::Channels(Kind::Channel, None))
        );
        assert_eq!(
            parse("pubsub SHARDCHANNELS x*"),
            Ok(PubSubCommand::Channels(Kind::Shard, Some(b"x*".to_vec())))
        );
        assert_eq!(
            parse("pubsub numsub"),
            Ok(PubSubCommand::NumSub(Kind::Channel, vec![]))
        );
        assert_eq!(
            parse("pubsub channels a b"),
            Err(b"ERR unknown subcommand or wrong number of arguments for 'channels'. Try PUBSUB HELP.".to_vec())
        );
        assert_eq!(
            parse("pubsub numpat x"),
            Err(b"ERR wrong number of arguments for 'pubsub|numpat' command".to_vec())
        );
        assert_eq!(
            parse("pubsub nosuch"),
            Err(b"ERR unknown subcommand 'nosuch'. Try PUBSUB HELP.".to_vec())
        );
    }
}
