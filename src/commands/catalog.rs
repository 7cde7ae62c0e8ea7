//! `COMMAND`: what redis-cli and client libraries ask to learn which
//! commands exist, their arity, flags, keys and documentation.

use super::docs::{self, BeginSearch, FindKeys, KeySpec, Meta};
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
    /// GETKEYS (or GETKEYSANDFLAGS, `with_flags`): the keys of a full command.
    GetKeys {
        command: Request,
        meta: &'static Meta,
        with_flags: bool,
    },
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
        Some(sub @ (b"getkeys" | b"getkeysandflags")) => {
            let with_flags = sub == b"getkeysandflags";
            let name = if with_flags {
                "command|getkeysandflags"
            } else {
                "command|getkeys"
            };
            // The name, then the full command: at least a name and an argument.
            check_arity(&request, -4, name)?;
            let command = request.split_off(2);
            let spec = lookup(&command[0]).ok_or(CommandError::InvalidCommand)?;
            if !super::arity_fits(spec.arity, command.len()) {
                return Err(CommandError::WrongArity(name));
            }
            let meta = docs::find(spec.name).ok_or(CommandError::NoKeyArguments)?;
            Catalog::GetKeys {
                command,
                meta,
                with_flags,
            }
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
            Catalog::GetKeys {
                command,
                meta,
                with_flags,
            } => get_keys(&command, meta, with_flags)?,
        })
    }
}

/// COMMAND GETKEYS: the keys of `command`, found with its key specs.
fn get_keys(command: &Request, meta: &Meta, with_flags: bool) -> CommandResult {
    let mut keys = Vec::new();
    for spec in meta.key_specs {
        for index in key_positions(spec, command) {
            let key = Reply::bulk(command[index].as_slice());
            keys.push(if with_flags {
                let flags = key_flags(spec, command);
                let flags = flags.iter().map(|&f| Reply::Simple(f)).collect();
                Reply::Array(vec![key, Reply::Array(flags)])
            } else {
                key
            });
        }
    }
    if keys.is_empty() {
        return Err(CommandError::NoKeyArguments);
    }
    Ok(Reply::Array(keys))
}

/// What a command does to the keys of one spec. `variable_flags` means it
/// depends on the arguments: SET overwrites, but with GET it reads first.
fn key_flags(spec: &KeySpec, command: &Request) -> &'static [&'static str] {
    if !spec.flags.contains(&"variable_flags") {
        return spec.flags;
    }
    let reads_first = command[0].eq_ignore_ascii_case(b"set")
        && command[3..]
            .iter()
            .any(|arg| arg.eq_ignore_ascii_case(b"get"));
    if reads_first {
        &["RW", "access", "update"]
    } else {
        &["OW", "update"]
    }
}

/// Which arguments of `args` (the command name is 0) one key spec names.
fn key_positions(spec: &KeySpec, args: &[Vec<u8>]) -> Vec<usize> {
    let argc = args.len() as i64;
    let start = match spec.begin_search {
        BeginSearch::Index(index) => index,
        BeginSearch::Keyword { keyword, startfrom } => {
            let mut positions: Vec<i64> = if startfrom >= 0 {
                (startfrom..argc).collect()
            } else {
                (1..=argc + startfrom).rev().collect()
            };
            positions.retain(|&i| args[i as usize].eq_ignore_ascii_case(keyword.as_bytes()));
            match positions.first() {
                Some(&found) => found + 1,
                None => return vec![],
            }
        }
        BeginSearch::Unknown => return vec![],
    };
    let (first, last, step) = match spec.find_keys {
        FindKeys::Range {
            lastkey,
            keystep,
            limit,
        } => {
            let mut last = if lastkey >= 0 {
                start + lastkey
            } else {
                argc + lastkey
            };
            if limit > 1 {
                last = start + (last - start + 1) / limit - 1;
            }
            (start, last, keystep)
        }
        FindKeys::Keynum {
            keynumidx,
            firstkey,
            keystep,
        } => {
            let count = args
                .get((start + keynumidx) as usize)
                .and_then(|n| crate::protocol::parse_i64(n))
                .unwrap_or(0);
            let first = start + firstkey;
            (first, first + (count - 1) * keystep, keystep)
        }
        FindKeys::Unknown => return vec![],
    };
    (first..=last.min(argc - 1))
        .step_by(step.max(1) as usize)
        .filter(|&i| i >= 1)
        .map(|i| i as usize)
        .collect()
}
