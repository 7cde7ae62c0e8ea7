//! AUTH and ACL: logging in, and the basics of Redis's users that clients
//! and tools use. The users themselves are in [`acl`]; HELLO's
//! AUTH option is in [`session`](super::session) and uses [`authenticate`].

use super::session::help;
use super::{check_arity, take_arg, ClientCommand, Command, CommandError, CommandResult, Context};
use crate::acl::{self, Users, DEFAULT_USER};
use crate::client::Client;
use crate::protocol::{Reply, Request};

/// Logs `client` in as `username` if the password opens that user, as
/// Redis's `ACLAuthenticateUser`. A failure leaves the client as it was
/// (an authenticated client stays authenticated).
pub fn authenticate(
    users: &Users,
    client: &mut Client,
    username: &[u8],
    password: &[u8],
) -> Result<(), CommandError> {
    if users.check(username, password) {
        client.authenticated = true;
        Ok(())
    } else {
        Err(CommandError::WrongPass)
    }
}

/// `AUTH [username] password`. Never logged: no log line quotes a request.
pub struct Auth {
    /// `None`: the one-argument form, for the default user.
    username: Option<Vec<u8>>,
    password: Vec<u8>,
}

pub fn parse_auth(mut request: Request, _now_ms: u64) -> Result<Command, CommandError> {
    let auth = match request.len() {
        2 => Auth {
            username: None,
            password: take_arg(&mut request, 1),
        },
        3 => Auth {
            username: Some(take_arg(&mut request, 1)),
            password: take_arg(&mut request, 2),
        },
        _ => return Err(CommandError::Syntax),
    };
    Ok(Command::Client(Box::new(auth)))
}

impl ClientCommand for Auth {
    fn apply(self: Box<Self>, client: &mut Client, ctx: &Context) -> CommandResult {
        let users = ctx.env.users;
        let username = match &self.username {
            Some(username) => username.as_slice(),
            // The old form makes no sense without a password to give.
            None if users.default_user().nopass => return Err(CommandError::AuthNotConfigured),
            None => DEFAULT_USER.as_bytes(),
        };
        authenticate(users, client, username, &self.password)?;
        Ok(Reply::OK)
    }
}

/// ACL HELP, in Redis's words, for the subcommands this server has.
const ACL_HELP: &[&str] = &[
    "ACL <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
    "GETUSER <username>",
    "    Get the user's details.",
    "LIST",
    "    Show users details in config file format.",
    "SETUSER <username> <attribute> [<attribute> ...]",
    "    Create or modify a user with the specified attributes.",
    "USERS",
    "    List all the registered usernames.",
    "WHOAMI",
    "    Return the current connection username.",
    "HELP",
    "    Prints this help.",
];

/// `ACL WHOAMI | USERS | LIST | GETUSER name | SETUSER name rule... | HELP`
pub enum AclSub {
    WhoAmI,
    Users,
    List,
    GetUser(Vec<u8>),
    SetUser(Vec<Vec<u8>>),
}

pub fn parse_acl(mut request: Request, _now_ms: u64) -> Result<Command, CommandError> {
    let sub = match request[1].to_ascii_lowercase().as_slice() {
        b"whoami" => {
            check_arity(&request, 2, "acl|whoami")?;
            AclSub::WhoAmI
        }
        b"users" => {
            check_arity(&request, 2, "acl|users")?;
            AclSub::Users
        }
        b"list" => {
            check_arity(&request, 2, "acl|list")?;
            AclSub::List
        }
        b"getuser" => {
            check_arity(&request, 3, "acl|getuser")?;
            AclSub::GetUser(take_arg(&mut request, 2))
        }
        b"setuser" => {
            check_arity(&request, -3, "acl|setuser")?;
            let name = &request[2];
            if name
                .iter()
                .any(|&b| b.is_ascii_whitespace() || b == 0x0b || b == 0)
            {
                return Err(CommandError::UsernameWithSpaces);
            }
            if name.as_slice() != DEFAULT_USER.as_bytes() {
                return Err(CommandError::OnlyDefaultUser);
            }
            AclSub::SetUser(request.split_off(3))
        }
        b"load" | b"save" => {
            let name = if request[1].eq_ignore_ascii_case(b"load") {
                "acl|load"
            } else {
                "acl|save"
            };
            check_arity(&request, 2, name)?;
            return Err(CommandError::NoAclFile);
        }
        b"help" => {
            check_arity(&request, 2, "acl|help")?;
            return help(ACL_HELP);
        }
        _ => {
            let sub = take_arg(&mut request, 1);
            return Err(CommandError::UnknownSubcommand(sub, "ACL"));
        }
    };
    Ok(Command::Client(Box::new(sub)))
}

impl ClientCommand for AclSub {
    fn apply(self: Box<Self>, _client: &mut Client, ctx: &Context) -> CommandResult {
        let users = ctx.env.users;
        match *self {
            AclSub::WhoAmI => Ok(Reply::bulk(DEFAULT_USER)),
            AclSub::Users => Ok(Reply::Array(vec![Reply::bulk(DEFAULT_USER)])),
            AclSub::List => Ok(Reply::Array(vec![Reply::Bulk(
                users.default_user().describe(),
            )])),
            AclSub::GetUser(name) if name != DEFAULT_USER.as_bytes() => Ok(Reply::Null),
            AclSub::GetUser(_) => Ok(describe_fields(&users.default_user())),
            AclSub::SetUser(rules) => {
                users
                    .set_default_user(&rules)
                    .map_err(|bad| CommandError::AclRule(bad.rule, bad.why.text()))?;
                Ok(Reply::OK)
            }
        }
    }
}

/// ACL GETUSER's map: the flags, the hashed passwords, and the permissions,
/// which here are always all of them.
fn describe_fields(user: &acl::User) -> Reply {
    let flags = user.flags().into_iter().map(Reply::bulk).collect();
    let passwords = user
        .passwords
        .iter()
        .map(|hash| Reply::bulk(acl::hex(hash)))
        .collect();
    Reply::Map(vec![
        (Reply::bulk("flags"), Reply::Set(flags)),
        (Reply::bulk("passwords"), Reply::Array(passwords)),
        (Reply::bulk("commands"), Reply::bulk("+@all")),
        (Reply::bulk("keys"), Reply::bulk("~*")),
        (Reply::bulk("channels"), Reply::bulk("&*")),
        (Reply::bulk("selectors"), Reply::Array(vec![])),
    ])
}
