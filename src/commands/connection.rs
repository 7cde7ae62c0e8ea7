//! Commands about the connection itself: PING, ECHO, HELLO, AUTH, QUIT,
//! SELECT and CLIENT. They change the [`Client`](crate::server::Client), not the store.

use super::{check_arity, parse_int, CommandError, CommandResult, Context};
use crate::protocol::{Reply, Request, RespVersion};
use crate::server::{Hangup, REDIS_VERSION};

/// `PING [message]`: `+PONG`, or the message back as a bulk string.
pub fn ping(_ctx: &mut Context, request: &mut Request) -> CommandResult {
    //@ step 3: No argument: PONG as a simple string; one argument: it back as a bulk string.
    match request.len() {
        1 => Ok(Reply::Simple("PONG")),
        2 => Ok(Reply::bulk(request[1].as_slice())),
        _ => Err(CommandError::WrongArity("ping")),
    }
    //@ end step 3
}

/// `ECHO message`
pub fn echo(_ctx: &mut Context, request: &mut Request) -> CommandResult {
    //@ step 3: Answer the argument as a bulk string.
    Ok(Reply::bulk(request[1].as_slice()))
    //@ end step 3
}

/// `HELLO [protover [AUTH username password] [SETNAME name]]`: picks RESP2 or
/// RESP3 for this connection and describes the server. redis-py and other
/// RESP3 clients open every connection with it.
pub fn hello(ctx: &mut Context, request: &mut Request) -> CommandResult {
    let mut version = ctx.client.resp;
    if let Some(arg) = request.get(1) {
        version = match parse_int(arg) {
            Ok(2) => RespVersion::Resp2,
            Ok(3) => RespVersion::Resp3,
            Ok(_) => return Err(CommandError::NoProto),
            Err(_) => return Err(CommandError::ProtoNotAnInteger),
        };
    }
    let mut new_name = None;
    let mut i = 2;
    while i < request.len() {
        let more = request.len() - 1 - i;
        let option = request[i].to_ascii_lowercase();
        if option == b"auth" && more >= 2 {
            check_password(&request[i + 1])?;
            i += 3;
        } else if option == b"setname" && more >= 1 {
            new_name = Some(valid_client_name(&request[i + 1])?);
            i += 2;
        } else {
            return Err(CommandError::HelloSyntax(request[i].clone()));
        }
    }
    if let Some(name) = new_name {
        ctx.client.name = name;
    }
    ctx.client.resp = version;
    let proto = match version {
        RespVersion::Resp2 => 2,
        RespVersion::Resp3 => 3,
    };
    Ok(Reply::Map(vec![
        (Reply::bulk("server"), Reply::bulk("redis")),
        (Reply::bulk("version"), Reply::bulk(REDIS_VERSION)),
        (Reply::bulk("proto"), Reply::Integer(proto)),
        (Reply::bulk("id"), Reply::Integer(ctx.client.id as i64)),
        (Reply::bulk("mode"), Reply::bulk("standalone")),
        (Reply::bulk("role"), Reply::bulk("master")),
        (Reply::bulk("modules"), Reply::Array(vec![])),
    ]))
}

/// There are no passwords here: only the `default` user exists, and it has
/// none, so it accepts any password, exactly like a fresh Redis.
fn check_password(username: &[u8]) -> Result<(), CommandError> {
    if username == b"default" {
        Ok(())
    } else {
        Err(CommandError::WrongPass)
    }
}

/// `AUTH [username] password`
pub fn auth(_ctx: &mut Context, request: &mut Request) -> CommandResult {
    match request.len() {
        2 => Err(CommandError::AuthNotConfigured),
        3 => check_password(&request[1]).map(|()| Reply::OK),
        _ => Err(CommandError::Syntax),
    }
}

/// `QUIT`: answer OK, then close the connection.
pub fn quit(ctx: &mut Context, _request: &mut Request) -> CommandResult {
    ctx.client.hangup = Some(Hangup::AfterReply);
    Ok(Reply::OK)
}

/// `SELECT index`: there is one database, number 0.
pub fn select(_ctx: &mut Context, request: &mut Request) -> CommandResult {
    let index = parse_int(&request[1])?;
    if i32::try_from(index).is_err() {
        return Err(CommandError::NotAnInteger);
    }
    if index != 0 {
        return Err(CommandError::DbIndexOutOfRange);
    }
    Ok(Reply::OK)
}

/// A client name may be empty (no name) but holds no spaces or control bytes.
fn valid_client_name(name: &[u8]) -> Result<Option<Vec<u8>>, CommandError> {
    if name.iter().any(|&b| !(b'!'..=b'~').contains(&b)) {
        return Err(CommandError::BadClientName);
    }
    Ok((!name.is_empty()).then(|| name.to_vec()))
}

/// `CLIENT ID | GETNAME | SETNAME name | SETINFO LIB-NAME|LIB-VER value`
pub fn client(ctx: &mut Context, request: &mut Request) -> CommandResult {
    let sub = request[1].to_ascii_lowercase();
    match sub.as_slice() {
        b"id" => {
            check_arity(request, 2, "client|id")?;
            Ok(Reply::Integer(ctx.client.id as i64))
        }
        b"getname" => {
            check_arity(request, 2, "client|getname")?;
            Ok(ctx.client.name.clone().map_or(Reply::Null, Reply::Bulk))
        }
        b"setname" => {
            check_arity(request, 3, "client|setname")?;
            ctx.client.name = valid_client_name(&request[2])?;
            Ok(Reply::OK)
        }
        b"setinfo" => {
            check_arity(request, 4, "client|setinfo")?;
            let value = valid_client_name(&request[3])?;
            match request[2].to_ascii_lowercase().as_slice() {
                b"lib-name" => ctx.client.lib_name = value,
                b"lib-ver" => ctx.client.lib_ver = value,
                _ => return Err(CommandError::UnrecognizedOption(request[2].clone())),
            }
            Ok(Reply::OK)
        }
        _ => Err(CommandError::UnknownSubcommand(
            request[1].clone(),
            "CLIENT",
        )),
    }
}
