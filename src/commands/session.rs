//! Commands about the connection itself (Redis's "connection" group): PING,
//! ECHO, HELLO, QUIT, SELECT and CLIENT (AUTH has a file of its own,
//! [`auth`](super::auth)). They read and change the [`Client`], never the
//! keyspace.

use super::auth::authenticate;
use super::{check_arity, parse_int, take_arg, ClientCommand, Command, CommandError};
use super::{CommandResult, Context};
use crate::client::{Client, Hangup};
use crate::config::REDIS_VERSION;
use crate::protocol::{Reply, Request, RespVersion};

/// A command that answers without looking at anything: PING, ECHO and
/// SELECT's only valid index, once their arguments are checked.
pub struct Answer(Reply);

impl ClientCommand for Answer {
    fn apply(self: Box<Self>, _client: &mut Client, _ctx: &Context) -> CommandResult {
        Ok(self.0)
    }
}

fn answer(reply: Reply) -> Result<Command, CommandError> {
    Ok(Command::Client(Box::new(Answer(reply))))
}

/// `PING [message]`: `+PONG`, or the message back as a bulk string.
pub fn parse_ping(mut request: Request, _now_ms: u64) -> Result<Command, CommandError> {
    //@ step 3: No argument: PONG as a simple string; one argument: it back as a bulk string; more: WrongArity.
    match request.len() {
        1 => answer(Reply::Simple("PONG")),
        2 => answer(Reply::Bulk(take_arg(&mut request, 1))),
        _ => Err(CommandError::WrongArity("ping")),
    }
    //@ end step 3
}

/// `ECHO message`
pub fn parse_echo(mut request: Request, _now_ms: u64) -> Result<Command, CommandError> {
    //@ step 3: Answer the argument as a bulk string.
    answer(Reply::Bulk(take_arg(&mut request, 1)))
    //@ end step 3
}

/// `HELLO [protover [AUTH username password] [SETNAME name]]`: picks RESP2 or
/// RESP3 for this connection and describes the server. redis-py and other
/// RESP3 clients open every connection with it.
pub struct Hello {
    version: Option<RespVersion>,
    /// The words after the version, read in order when it runs: as in
    /// Redis, an AUTH that works stays done even if a later option is bad.
    options: Request,
}

pub fn parse_hello(mut request: Request, _now_ms: u64) -> Result<Command, CommandError> {
    let mut version = None;
    if let Some(arg) = request.get(1) {
        version = Some(match parse_int(arg) {
            Ok(2) => RespVersion::Resp2,
            Ok(3) => RespVersion::Resp3,
            Ok(_) => return Err(CommandError::NoProto),
            Err(_) => return Err(CommandError::ProtoNotAnInteger),
        });
    }
    let options = request.split_off(request.len().min(2));
    Ok(Command::Client(Box::new(Hello { version, options })))
}

impl ClientCommand for Hello {
    fn apply(self: Box<Self>, client: &mut Client, ctx: &Context) -> CommandResult {
        let options = &self.options;
        let mut i = 0;
        while i < options.len() {
            let more = options.len() - 1 - i;
            let option = options[i].to_ascii_lowercase();
            if option == b"auth" && more >= 2 {
                authenticate(ctx.env.users, client, &options[i + 1], &options[i + 2])?;
                i += 3;
            } else if option == b"setname" && more >= 1 {
                client.name = valid_client_name(&options[i + 1])?;
                i += 2;
            } else {
                return Err(CommandError::HelloSyntax(options[i].clone()));
            }
        }
        if !client.authenticated {
            return Err(CommandError::HelloNoAuth);
        }
        if let Some(version) = self.version {
            client.resp = version;
        }
        let proto = match client.resp {
            RespVersion::Resp2 => 2,
            RespVersion::Resp3 => 3,
        };
        Ok(Reply::Map(vec![
            (Reply::bulk("server"), Reply::bulk("redis")),
            (Reply::bulk("version"), Reply::bulk(REDIS_VERSION)),
            (Reply::bulk("proto"), Reply::Integer(proto)),
            (Reply::bulk("id"), Reply::Integer(client.id as i64)),
            (Reply::bulk("mode"), Reply::bulk("standalone")),
            (Reply::bulk("role"), Reply::bulk("master")),
            (Reply::bulk("modules"), Reply::Array(vec![])),
        ]))
    }
}

/// `QUIT`: answer OK, then close the connection.
pub struct Quit;

pub fn parse_quit(_request: Request, _now_ms: u64) -> Result<Command, CommandError> {
    Ok(Command::Client(Box::new(Quit)))
}

impl ClientCommand for Quit {
    fn apply(self: Box<Self>, client: &mut Client, _ctx: &Context) -> CommandResult {
        client.hangup = Some(Hangup::AfterReply);
        Ok(Reply::OK)
    }
}

/// `SELECT index`: there is one database, number 0.
pub fn parse_select(request: Request, _now_ms: u64) -> Result<Command, CommandError> {
    check_db_index(&request[1])?;
    answer(Reply::OK)
}

/// Checks a database index (SELECT's, COPY's `DB`) as Redis reads one: a
/// 32-bit integer, then one of the databases; here there is only 0.
pub fn check_db_index(arg: &[u8]) -> Result<(), CommandError> {
    let index = parse_int(arg)?;
    if i32::try_from(index).is_err() {
        return Err(CommandError::OutOfRange(i32::MIN.into(), i32::MAX.into()));
    }
    if index != 0 {
        return Err(CommandError::DbIndexOutOfRange);
    }
    Ok(())
}

/// A client name may be empty (no name) but holds no spaces or control bytes.
fn valid_client_name(name: &[u8]) -> Result<Option<Vec<u8>>, CommandError> {
    if name.iter().any(|&b| !(b'!'..=b'~').contains(&b)) {
        return Err(CommandError::BadClientName);
    }
    Ok((!name.is_empty()).then(|| name.to_vec()))
}

/// `CLIENT ID | GETNAME | SETNAME name | SETINFO LIB-NAME|LIB-VER value | HELP`
pub enum ClientSub {
    Id,
    GetName,
    SetName(Option<Vec<u8>>),
    SetLibName(Option<Vec<u8>>),
    SetLibVer(Option<Vec<u8>>),
}

/// CLIENT HELP, in Redis's words, for the subcommands this server has.
const CLIENT_HELP: &[&str] = &[
    "CLIENT <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
    "GETNAME",
    "    Return the name of the current connection.",
    "ID",
    "    Return the ID of the current connection.",
    "SETINFO <option> <value>",
    "    Set client meta attr. Options are:",
    "    * LIB-NAME: the client lib name.",
    "    * LIB-VER: the client lib version.",
    "SETNAME <name>",
    "    Assign the name <name> to the current connection.",
    "HELP",
    "    Prints this help.",
];

/// A container's HELP text: one simple string a line, as Redis sends it.
pub fn help(lines: &'static [&'static str]) -> Result<Command, CommandError> {
    answer(Reply::Array(
        lines.iter().map(|&l| Reply::Simple(l)).collect(),
    ))
}

pub fn parse_client(mut request: Request, _now_ms: u64) -> Result<Command, CommandError> {
    let sub = match request[1].to_ascii_lowercase().as_slice() {
        b"id" => {
            check_arity(&request, 2, "client|id")?;
            ClientSub::Id
        }
        b"getname" => {
            check_arity(&request, 2, "client|getname")?;
            ClientSub::GetName
        }
        b"setname" => {
            check_arity(&request, 3, "client|setname")?;
            ClientSub::SetName(valid_client_name(&request[2])?)
        }
        b"setinfo" => {
            check_arity(&request, 4, "client|setinfo")?;
            let value = valid_client_name(&request[3])?;
            match request[2].to_ascii_lowercase().as_slice() {
                b"lib-name" => ClientSub::SetLibName(value),
                b"lib-ver" => ClientSub::SetLibVer(value),
                _ => return Err(CommandError::UnrecognizedOption(take_arg(&mut request, 2))),
            }
        }
        b"help" => {
            check_arity(&request, 2, "client|help")?;
            return help(CLIENT_HELP);
        }
        _ => {
            let sub = take_arg(&mut request, 1);
            return Err(CommandError::UnknownSubcommand(sub, "CLIENT"));
        }
    };
    Ok(Command::Client(Box::new(sub)))
}

impl ClientCommand for ClientSub {
    fn apply(self: Box<Self>, client: &mut Client, _ctx: &Context) -> CommandResult {
        match *self {
            ClientSub::Id => return Ok(Reply::Integer(client.id as i64)),
            ClientSub::GetName => return Ok(client.name.clone().map_or(Reply::Null, Reply::Bulk)),
            ClientSub::SetName(name) => client.name = name,
            ClientSub::SetLibName(name) => client.lib_name = name,
            ClientSub::SetLibVer(version) => client.lib_ver = version,
        }
        Ok(Reply::OK)
    }
}
