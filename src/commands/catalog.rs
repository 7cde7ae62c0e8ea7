//! `COMMAND`: what redis-cli and client libraries ask to learn which
//! commands exist, their arity, flags, keys and documentation.

use super::docs::{self, Meta};
use super::session::help;
use super::{check_arity, lookup, take_arg, ClientCommand, Command, CommandError};
use super::{CommandResult, Context, Spec, COMMANDS};
use crate::client::Client;
use crate::protocol::{Reply, Request};

/// COMMAND HELP, in Redis's words.
const COMMAND_HELP: &[&str] = &[
    "COMMAND <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
    "(no subcommand)",
    "    Return details about all Redis commands.",
    "COUNT",
    "    Return the total number of commands in this Redis server.",
    "LIST",
    "    Return a list of all commands in this Redis server.",
    "INFO [<command-name> ...]",
    "    Return details about multiple Redis commands.",
    "    If no command names are given, documentation details for all",
    "    commands are returned.",
    "DOCS [<command-name> ...]",
    "    Return documentation details about multiple Redis commands.",
    "    If no command names are given, documentation details for all",
    "    commands are returned.",
    "GETKEYS <full-command>",
    "    Return the keys from a full Redis command.",
    "GETKEYSANDFLAGS <full-command>",
    "    Return the keys and the access flags from a full Redis command.",
    "HELP",
    "    Prints this help.",
];

/// `COMMAND [COUNT | LIST | INFO name... | DOCS name... | HELP]`
pub enum Catalog {
    Count,
    List,
    /// INFO: one entry per name asked (`None`: unknown name), or every command.
    Info(Vec<Option<&'static Meta>>),
    /// DOCS: unknown names are left out.
    Docs(Vec<&'static Meta>),
}

/// Redis's description of a command this server has, by name, ignoring
/// case; as in Redis, a subcommand is named `container|sub` (`client|id`).
fn described(name: &[u8]) -> Option<&'static Meta> {
    let container = name.split(|&b| b == b'|').next()?;
    lookup(container)?;
    docs::find(&String::from_utf8_lossy(name).to_ascii_lowercase())
}

/// Every command of the table, as Redis describes it.
fn every_command() -> Vec<&'static Meta> {
    COMMANDS
        .iter()
        .filter_map(|spec: &Spec| docs::find(spec.name))
        .collect()
}

pub fn parse_command(mut request: Request, _now_ms: u64) -> Result<Command, CommandError> {
    let every = || every_command().into_iter().map(Some).collect();
    let catalog = match request.get(1).map(|s| s.to_ascii_lowercase()).as_deref() {
        None => Catalog::Info(every()),
        Some(b"count") => {
            check_arity(&request, 2, "command|count")?;
            Catalog::Count
        }
        Some(b"list") => Catalog::List,
        Some(b"info") if request.len() == 2 => Catalog::Info(every()),
        Some(b"info") => Catalog::Info(request[2..].iter().map(|n| described(n)).collect()),
        Some(b"docs") if request.len() == 2 => Catalog::Docs(every_command()),
        Some(b"docs") => Catalog::Docs(request[2..].iter().filter_map(|n| described(n)).collect()),
        Some(b"help") => {
            check_arity(&request, 2, "command|help")?;
            return help(COMMAND_HELP);
        }
        Some(_) => {
            let sub = take_arg(&mut request, 1);
            return Err(CommandError::UnknownSubcommand(sub, "COMMAND"));
        }
    };
    Ok(Command::Client(Box::new(catalog)))
}

impl ClientCommand for Catalog {
    fn apply(self: Box<Self>, _client: &mut Client, _ctx: &Context) -> CommandResult {
        Ok(match *self {
            Catalog::Count => Reply::Integer(COMMANDS.len() as i64),
            Catalog::List => Reply::Array(COMMANDS.iter().map(|c| Reply::bulk(c.name)).collect()),
            Catalog::Info(metas) => Reply::Array(
                metas
                    .into_iter()
                    .map(|meta| meta.map_or(Reply::Null, docs::info_reply))
                    .collect(),
            ),
            Catalog::Docs(metas) => Reply::Map(
                metas
                    .into_iter()
                    .map(|meta| (Reply::bulk(meta.name), docs::docs_reply(meta)))
                    .collect(),
            ),
        })
    }
}
