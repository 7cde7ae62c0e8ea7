//! `OBJECT ENCODING | FREQ | IDLETIME | REFCOUNT | HELP key`: how Redis
//! would hold a key's value.
//!
//! Our values are not Redis's, so ENCODING names the encoding Redis 7.0
//! would have chosen for the same value: `int`, `embstr` or `raw` for a
//! string, `quicklist` for a list, `listpack` or `hashtable` for a hash,
//! `intset` or `hashtable` for a set, `listpack` or `skiplist` for a sorted
//! set. For a string, Redis also remembers how it was made (APPEND makes
//! any string `raw`); we look only at its bytes.

use std::slice;

use super::session::help;
use super::{check_arity, take_arg, Command, CommandError, CommandResult, Context, ReadCommand};
use crate::protocol::{parse_i64, Reply, Request};
use crate::storage::Store;
use crate::value::Value;

/// OBJECT HELP, in Redis's words.
const OBJECT_HELP: &[&str] = &[
    "OBJECT <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
    "ENCODING <key>",
    "    Return the kind of internal representation used in order to store the value",
    "    associated with a <key>.",
    "FREQ <key>",
    "    Return the access frequency index of the <key>. The returned integer is",
    "    proportional to the logarithm of the recent access frequency of the key.",
    "IDLETIME <key>",
    "    Return the idle time of the <key>, that is the approximated number of",
    "    seconds elapsed since the last access to the key.",
    "REFCOUNT <key>",
    "    Return the number of references of the value associated with the specified",
    "    <key>.",
    "HELP",
    "    Prints this help.",
];

/// What OBJECT is asked about a key.
#[derive(Clone, Copy)]
enum Question {
    Encoding,
    Freq,
    IdleTime,
    RefCount,
}

pub struct Object {
    key: Vec<u8>,
    question: Question,
}

pub fn parse_object(mut request: Request, _now_ms: u64) -> Result<Command, CommandError> {
    let question = match request[1].to_ascii_lowercase().as_slice() {
        b"encoding" => Question::Encoding,
        b"freq" => Question::Freq,
        b"idletime" => Question::IdleTime,
        b"refcount" => Question::RefCount,
        b"help" => {
            check_arity(&request, 2, "object|help")?;
            return help(OBJECT_HELP);
        }
        _ => {
            let sub = take_arg(&mut request, 1);
            return Err(CommandError::UnknownSubcommand(sub, "OBJECT"));
        }
    };
    let name = match question {
        Question::Encoding => "object|encoding",
        Question::Freq => "object|freq",
        Question::IdleTime => "object|idletime",
        Question::RefCount => "object|refcount",
    };
    check_arity(&request, 3, name)?;
    Ok(Command::Read(Box::new(Object {
        key: take_arg(&mut request, 2),
        question,
    })))
}

/// The encoding Redis 7.0 would give this value.
pub fn encoding(value: &Value) -> &'static str {
    match value {
        Value::String(bytes) if bytes.len() <= 20 && parse_i64(bytes).is_some() => "int",
        Value::String(bytes) if bytes.len() <= 44 => "embstr",
        Value::String(_) => "raw",
        Value::List(_) => "quicklist",
        Value::Hash(hash) if hash.is_small() => "listpack",
        Value::Hash(_) => "hashtable",
        Value::Set(set) if set.is_intset() => "intset",
        Value::Set(_) => "hashtable",
        Value::ZSet(zset) if zset.is_listpack() => "listpack",
        Value::ZSet(_) => "skiplist",
    }
}

/// Redis shares one object for each integer from 0 to 9,999
/// (`OBJ_SHARED_INTEGERS`), and reports such a shared object's count as
/// `INT_MAX`.
fn refcount(value: &Value) -> i64 {
    match value {
        Value::String(bytes) if parse_i64(bytes).is_some_and(|n| (0..10_000).contains(&n)) => {
            i64::from(i32::MAX)
        }
        _ => 1,
    }
}

impl ReadCommand for Object {
    fn apply(&self, store: &Store, ctx: &Context) -> CommandResult {
        let Some(value) = store.get(&self.key, ctx.now_ms) else {
            return Ok(Reply::Null);
        };
        Ok(match self.question {
            Question::Encoding => Reply::bulk(encoding(value)),
            Question::Freq => return Err(CommandError::LfuNotSelected),
            // No access times are kept here: every key looks just used.
            Question::IdleTime => Reply::Integer(0),
            Question::RefCount => Reply::Integer(refcount(value)),
        })
    }

    fn keys(&self) -> &[Vec<u8>] {
        slice::from_ref(&self.key)
    }
}
