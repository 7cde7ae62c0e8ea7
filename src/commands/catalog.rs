//! `COMMAND`: what redis-cli and client libraries ask to learn which
//! commands exist, their arity, flags, keys and documentation.

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
    Info(Vec<Option<&'static Spec>>),
    /// DOCS: unknown names are left out.
    Docs(Vec<&'static Spec>),
}

pub fn parse_command(mut request: Request, _now_ms: u64) -> Result<Command, CommandError> {
    let every = || COMMANDS.iter().collect::<Vec<_>>();
    let catalog = match request.get(1).map(|s| s.to_ascii_lowercase()).as_deref() {
        None => Catalog::Info(every().into_iter().map(Some).collect()),
        Some(b"count") => {
            check_arity(&request, 2, "command|count")?;
            Catalog::Count
        }
        Some(b"list") => Catalog::List,
        Some(b"info") if request.len() == 2 => {
            Catalog::Info(every().into_iter().map(Some).collect())
        }
        Some(b"info") => Catalog::Info(request[2..].iter().map(|n| lookup(n)).collect()),
        Some(b"docs") if request.len() == 2 => Catalog::Docs(every()),
        Some(b"docs") => Catalog::Docs(request[2..].iter().filter_map(|n| lookup(n)).collect()),
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
            Catalog::Info(specs) => Reply::Array(
                specs
                    .into_iter()
                    .map(|spec| spec.map_or(Reply::Null, info))
                    .collect(),
            ),
            Catalog::Docs(specs) => Reply::Map(
                specs
                    .into_iter()
                    .map(|spec| (Reply::bulk(spec.name), docs(spec)))
                    .collect(),
            ),
        })
    }
}

/// One command as COMMAND INFO describes it.
fn info(spec: &Spec) -> Reply {
    Reply::Array(vec![
        Reply::bulk(spec.name),
        Reply::Integer(i64::from(spec.arity)),
    ])
}

/// One command as COMMAND DOCS describes it.
fn docs(_spec: &Spec) -> Reply {
    Reply::Map(vec![])
}
