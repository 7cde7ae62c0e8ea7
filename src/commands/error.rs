//! Every error a command can answer with, and Redis's exact wording for it.
//!
//! The wording is bytes, not a Rust `String`: Redis quotes a client's
//! arguments as they were sent, and an argument need not be UTF-8.

use std::io::Write as _;

use crate::value::WrongType;

/// Why a command did not run. [`CommandError::message`] gives the text of the
/// `-` reply, code included, byte for byte what Redis 7 says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CommandError {
    /// No such command. Holds the request, for the quoted name and arguments.
    UnknownCommand(Vec<Vec<u8>>),
    /// Too few or too many arguments; holds the command's lowercase full name
    /// (`get`, `client|setname`).
    WrongArity(&'static str),
    /// A container command (CLIENT, CONFIG, COMMAND) got a subcommand it does
    /// not know: (the subcommand as sent, the container's name in capitals).
    UnknownSubcommand(Vec<u8>, &'static str),
    Syntax,
    NotAnInteger,
    Overflow,
    /// DECRBY of i64::MIN, whose negation does not exist.
    DecrementOverflow,
    /// An expiry time that is not positive or overflows; holds the command name.
    InvalidExpireTime(&'static str),
    ExpireNxConflict,
    ExpireGtLtConflict,
    /// An EXPIRE option other than NX, XX, GT or LT.
    UnsupportedOption(Vec<u8>),
    DbIndexOutOfRange,
    /// HELLO with a version other than 2 or 3.
    NoProto,
    /// HELLO with a version that is not a number.
    ProtoNotAnInteger,
    /// HELLO with an option it does not understand.
    HelloSyntax(Vec<u8>),
    BadClientName,
    /// CLIENT SETINFO with an attribute other than LIB-NAME or LIB-VER.
    UnrecognizedOption(Vec<u8>),
    /// AUTH when no password is set.
    AuthNotConfigured,
    WrongPass,
    /// A command other than AUTH, HELLO and QUIT before the client has
    /// authenticated, while the default user needs a password.
    NoAuth,
    /// The last background save failed and `stop-writes-on-bgsave-error`
    /// is on: writes are refused until a save succeeds.
    MisconfRdb,
    /// The last write to the append-only file failed, for this reason.
    MisconfAof(String),
    /// HELLO, before authenticating, without its own AUTH option.
    HelloNoAuth,
    /// ACL SETUSER with a rule it refuses: (the rule, why in words).
    AclRule(Vec<u8>, &'static str),
    /// ACL SETUSER of a name with a space or a NUL in it.
    UsernameWithSpaces,
    /// ACL SETUSER of a user other than `default`: this server has no other.
    OnlyDefaultUser,
    /// ACL LOAD and SAVE: there is no ACL file.
    NoAclFile,
    NoShutdownInProgress,
    /// CONFIG SET of a setting this server does not have.
    ConfigSetUnsupported(Vec<u8>),
    /// A number that parses but is outside the range a command accepts
    /// (SELECT's index must be a 32-bit integer): (least, most).
    OutOfRange(i64, i64),
    /// The key holds a value of another type than the command works on.
    WrongType,
    /// A string would grow past 512 MB (`proto-max-bulk-len`).
    StringTooLong,
    /// CONFIG REWRITE: there is no configuration file to rewrite.
    NoConfigFile,
    /// BGREWRITEAOF while one runs.
    RewriteInProgress,
    /// BGREWRITEAOF could not start (the directory, the new incr file).
    RewriteFailed,
    /// EXEC or DISCARD outside a transaction: the command's name in capitals.
    WithoutMulti(&'static str),
    NestedMulti,
    WatchInsideMulti,
    /// A command Redis refuses to queue (SHUTDOWN).
    NotAllowedInMulti,
    /// EXEC after an error while queueing.
    ExecAbort,
    /// EXEC itself was refused (wrong arity): the transaction ends with it.
    ExecAbortBecause(Box<CommandError>),
    /// A blocking command's timeout that is not a number.
    TimeoutNotAFloat,
    TimeoutNegative,
    /// COMMAND GETKEYS of a command that does not exist.
    InvalidCommand,
    /// COMMAND GETKEYS of a command that takes no keys.
    NoKeyArguments,
    // Sets and sorted sets.
    /// A count that must not be negative (SPOP, ZPOPMIN).
    MustBePositive,
    /// A number in range for `long` but not for the command (ZRANDMEMBER
    /// WITHSCORES with a count near the limits).
    ValueOutOfRange,
    /// SINTERCARD's numkeys, not a number or below 1.
    NumkeysNotPositive,
    /// SINTERCARD's numkeys above the number of keys given.
    NumkeysAboveArgs,
    /// SINTERCARD's LIMIT, not a number or negative.
    LimitNegative,
    /// SSCAN and ZSCAN: a cursor that is not an unsigned number.
    InvalidCursor,
    /// A score that is not a number (ZADD, ZINCRBY).
    NotAFloat,
    /// ZUNIONSTORE's WEIGHTS.
    WeightNotAFloat,
    /// A score range bound (ZRANGEBYSCORE, ZCOUNT...).
    MinMaxNotFloat,
    /// A lexicographic range bound (ZRANGEBYLEX, ZLEXCOUNT...).
    MinMaxNotLex,
    /// An increment that makes the score NaN (`inf` plus `-inf`).
    ScoreNaN,
    ZaddIncrPairs,
    ZaddGtLtNx,
    ZaddXxNx,
    /// ZUNIONSTORE and ZINTERSTORE with numkeys below 1; holds the name.
    AtLeastOneKey(&'static str),
    /// ZRANGE ... LIMIT without BYSCORE or BYLEX.
    LimitNeedsByscoreOrBylex,
    /// ZRANGE ... BYLEX WITHSCORES.
    WithscoresWithBylex,
    /// RENAME or RENAMENX of a key that does not exist.
    NoSuchKey,
    /// SETRANGE at a negative offset.
    OffsetOutOfRange,
    /// COPY of a key onto itself.
    SameObject,
    /// LCS given both LEN and IDX.
    LcsLenAndIdx,
    /// LCS of a key holding another type than a string: LCS has its own
    /// words for WRONGTYPE.
    LcsNotStrings,
    /// LCS whose table would be larger than 512 MB (`proto-max-bulk-len`).
    LcsTableTooLarge,
    /// LCS whose table could not be allocated.
    LcsOutOfMemory,
    /// LSET past either end of the list.
    IndexOutOfRange,
    /// HINCRBY of a field whose value is not an integer.
    HashValueNotInteger,
    /// HINCRBYFLOAT of a field whose value is not a number.
    HashValueNotFloat,
    /// HINCRBYFLOAT by an infinity.
    NanOrInfinity,
    /// HINCRBYFLOAT whose result would be infinite (or NaN).
    IncrementNanOrInfinity,
    /// LPOS with RANK 0.
    RankZero,
    /// LPOS with a negative (or unreadable) COUNT.
    CountNegative,
    /// LPOS with a negative (or unreadable) MAXLEN.
    MaxlenNegative,
    /// LMPOP's COUNT below 1 or not a number.
    CountNotPositive,
    /// OBJECT FREQ: there is no LFU eviction policy, so no frequencies.
    LfuNotSelected,
    /// A reply too large to allocate (HRANDFIELD with a count near -2^63),
    /// where Redis 7.0 aborts: ours alone, not Redis's wording.
    ReplyTooLarge,
    // Pub/sub and MONITOR.
    /// A subcommand with a wrong number of arguments that the command
    /// itself finds (PUBSUB CHANNELS a b): (the subcommand as sent, the
    /// container's name in capitals).
    SubcommandSyntax(Vec<u8>, &'static str),
    /// A RESP2 client in subscribed mode may only (un)subscribe, PING, QUIT
    /// and RESET; holds the command's full name (`get`, `client|id`).
    NotInSubscribedContext(String),
    /// A MONITOR client may not touch the keyspace: to Redis it is a replica.
    ReplicaKeyspace,
    /// MONITOR inside a transaction, where nothing may block.
    MonitorDenyBlocking,
    /// No thread could be started for a new subscriber's outbox: ours
    /// alone, Redis has no such limit.
    NoOutbox,
    // Persistence.
    /// SAVE or BGSAVE while a background save runs.
    BgsaveInProgress,
    /// BGSAVE (without SCHEDULE) while an AOF rewrite runs: Redis runs one
    /// background job at a time.
    AnotherJobActive,
    /// SAVE could not write the dump: a bare `ERR` (the log says why).
    SaveFailed,
    /// SHUTDOWN could not save first, so the server stays up.
    ShutdownSaveFailed,
    /// CONFIG SET of a setting with a value it refuses: (name, why).
    ConfigSetFailed(Vec<u8>, &'static str),
    /// RESTORE over an existing key without REPLACE.
    BusyKey,
    InvalidTtl,
    InvalidIdleTime,
    InvalidFreq,
    /// RESTORE: a payload too short, from a newer Redis, or damaged.
    BadDumpPayload,
    /// RESTORE: a payload whose checksum is right but whose value is not.
    BadDataFormat,
}

impl From<WrongType> for CommandError {
    fn from(_: WrongType) -> Self {
        CommandError::WrongType
    }
}

/// Redis quotes client bytes with C's `%s`: they are copied as they are,
/// but end at a NUL byte. `limit` is the `%.128s` of some messages.
fn quoted(bytes: &[u8], limit: usize) -> &[u8] {
    let end = bytes.iter().position(|&b| b == 0).unwrap_or(bytes.len());
    &bytes[..end.min(limit)]
}

/// Longest name or argument an error quotes (Redis's `%.128s`).
const QUOTE_LIMIT: usize = 128;

/// `'a' 'b' `: the first arguments of an unknown command, cut at about 128
/// bytes the way Redis's `processCommand` does it.
fn args_preview(args: &[Vec<u8>]) -> Vec<u8> {
    let mut preview = Vec::new();
    for arg in args {
        if preview.len() >= QUOTE_LIMIT {
            break;
        }
        let room = QUOTE_LIMIT - preview.len();
        preview.push(b'\'');
        preview.extend_from_slice(quoted(arg, room));
        preview.extend_from_slice(b"' ");
    }
    preview
}

impl CommandError {
    /// Whether this is Redis refusing a subcommand before running it: an
    /// unknown one, or a wrong number of arguments for one (its name has a
    /// `|`). Like an unknown command, it does not count as processed.
    pub fn rejects_subcommand(&self) -> bool {
        match self {
            Self::UnknownSubcommand(..) => true,
            Self::WrongArity(name) => name.contains('|'),
            _ => false,
        }
    }

    /// The text of the `-` reply, code included.
    pub fn message(&self) -> Vec<u8> {
        let mut text = Vec::new();
        self.write_message(&mut text)
            .expect("writing to a Vec cannot fail");
        text
    }

    fn write_message(&self, f: &mut Vec<u8>) -> std::io::Result<()> {
        match self {
            Self::SubcommandSyntax(sub, container) => {
                f.extend_from_slice(
                    b"ERR unknown subcommand or wrong number of arguments for '",
                );
                f.extend_from_slice(quoted(sub, QUOTE_LIMIT));
                write!(f, "'. Try {container} HELP.")
            }
            Self::NotInSubscribedContext(name) => write!(
                f,
                "ERR Can't execute '{name}': only (P|S)SUBSCRIBE / \
                 (P|S)UNSUBSCRIBE / PING / QUIT / RESET are allowed in this context"
            ),
            Self::ReplicaKeyspace => write!(f, "ERR Replica can't interact with the keyspace"),
            Self::NoOutbox => write!(f, "ERR server is out of threads, try again later"),
            Self::MonitorDenyBlocking => {
                write!(f, "ERR MONITOR isn't allowed for DENY BLOCKING client")
            }
            Self::UnknownCommand(request) => {
                f.extend_from_slice(b"ERR unknown command '");
                f.extend_from_slice(quoted(&request[0], QUOTE_LIMIT));
                f.extend_from_slice(b"', with args beginning with: ");
                f.extend_from_slice(&args_preview(&request[1..]));
                Ok(())
            }
            Self::WrongArity(name) => {
                write!(f, "ERR wrong number of arguments for '{name}' command")
            }
            Self::UnknownSubcommand(sub, container) => {
                f.extend_from_slice(b"ERR unknown subcommand '");
                f.extend_from_slice(quoted(sub, QUOTE_LIMIT));
                write!(f, "'. Try {container} HELP.")
            }
            Self::Syntax => write!(f, "ERR syntax error"),
            Self::NotAnInteger => write!(f, "ERR value is not an integer or out of range"),
            Self::Overflow => write!(f, "ERR increment or decrement would overflow"),
            Self::DecrementOverflow => write!(f, "ERR decrement would overflow"),
            Self::InvalidExpireTime(name) => {
                write!(f, "ERR invalid expire time in '{name}' command")
            }
            Self::ExpireNxConflict => write!(
                f,
                "ERR NX and XX, GT or LT options at the same time are not compatible"
            ),
            Self::ExpireGtLtConflict => {
                write!(
                    f,
                    "ERR GT and LT options at the same time are not compatible"
                )
            }
            Self::UnsupportedOption(option) => {
                f.extend_from_slice(b"ERR Unsupported option ");
                f.extend_from_slice(quoted(option, usize::MAX));
                Ok(())
            }
            Self::DbIndexOutOfRange => write!(f, "ERR DB index is out of range"),
            Self::NoProto => write!(f, "NOPROTO unsupported protocol version"),
            Self::ProtoNotAnInteger => {
                write!(f, "ERR Protocol version is not an integer or out of range")
            }
            Self::HelloSyntax(option) => {
                f.extend_from_slice(b"ERR Syntax error in HELLO option '");
                f.extend_from_slice(quoted(option, usize::MAX));
                f.extend_from_slice(b"'");
                Ok(())
            }
            Self::BadClientName => write!(
                f,
                "ERR Client names cannot contain spaces, newlines or special characters."
            ),
            Self::UnrecognizedOption(option) => {
                f.extend_from_slice(b"ERR Unrecognized option '");
                f.extend_from_slice(quoted(option, usize::MAX));
                f.extend_from_slice(b"'");
                Ok(())
            }
            Self::AuthNotConfigured => write!(
                f,
                "ERR AUTH <password> called without any password configured for the default user. \
                 Are you sure your configuration is correct?"
            ),
            Self::WrongPass => {
                write!(
                    f,
                    "WRONGPASS invalid username-password pair or user is disabled."
                )
            }
            Self::NoAuth => write!(f, "NOAUTH Authentication required."),
            Self::MisconfAof(reason) => {
                write!(f, "MISCONF Errors writing to the AOF file: {reason}")
            }
            Self::MisconfRdb => write!(
                f,
                "MISCONF Redis is configured to save RDB snapshots, but it's currently unable to persist to disk. Commands that may modify the data set are disabled, because this instance is configured to report errors during writes if RDB snapshotting fails (stop-writes-on-bgsave-error option). Please check the Redis logs for details about the RDB error."
            ),
            Self::HelloNoAuth => write!(
                f,
                "NOAUTH HELLO must be called with the client already authenticated, otherwise the \
                 HELLO AUTH <user> <pass> option can be used to authenticate the client and select \
                 the RESP protocol version at the same time"
            ),
            Self::AclRule(rule, why) => {
                f.extend_from_slice(b"ERR Error in ACL SETUSER modifier '");
                f.extend_from_slice(quoted(rule, usize::MAX));
                write!(f, "': {why}")
            }
            Self::UsernameWithSpaces => {
                write!(f, "ERR Usernames can't contain spaces or null characters")
            }
            Self::OnlyDefaultUser => write!(
                f,
                "ERR this server has only the 'default' user; ACL SETUSER can change it alone"
            ),
            Self::NoAclFile => write!(
                f,
                "ERR This Redis instance is not configured to use an ACL file. You may want to \
                 specify users via the ACL SETUSER command and then issue a CONFIG REWRITE \
                 (assuming you have a Redis configuration file set) in order to store users in \
                 the Redis configuration."
            ),
            Self::NoShutdownInProgress => write!(f, "ERR No shutdown in progress."),
            Self::ConfigSetUnsupported(name) => {
                f.extend_from_slice(
                    b"ERR Unknown option or number of arguments for CONFIG SET - '",
                );
                f.extend_from_slice(quoted(name, usize::MAX));
                f.extend_from_slice(b"'");
                Ok(())
            }
            Self::OutOfRange(least, most) => write!(
                f,
                "ERR value is out of range, value must between {least} and {most}"
            ),
            Self::WrongType => write!(
                f,
                "WRONGTYPE Operation against a key holding the wrong kind of value"
            ),
            Self::StringTooLong => write!(
                f,
                "ERR string exceeds maximum allowed size (proto-max-bulk-len)"
            ),
            Self::NoConfigFile => write!(f, "ERR The server is running without a config file"),
            Self::RewriteInProgress => write!(
                f,
                "ERR Background append only file rewriting already in progress"
            ),
            Self::RewriteFailed => write!(
                f,
                "ERR Can't execute an AOF background rewriting. Please check the server logs for more information."
            ),
            Self::WithoutMulti(name) => write!(f, "ERR {name} without MULTI"),
            Self::NestedMulti => write!(f, "ERR MULTI calls can not be nested"),
            Self::WatchInsideMulti => write!(f, "ERR WATCH inside MULTI is not allowed"),
            Self::NotAllowedInMulti => write!(f, "ERR Command not allowed inside a transaction"),
            Self::ExecAbort => write!(
                f,
                "EXECABORT Transaction discarded because of previous errors."
            ),
            Self::ExecAbortBecause(cause) => {
                let cause = cause.message();
                let text = cause.strip_prefix(b"ERR ").unwrap_or(&cause);
                f.extend_from_slice(b"EXECABORT Transaction discarded because of: ");
                f.extend_from_slice(text);
                Ok(())
            }
            Self::TimeoutNotAFloat => write!(f, "ERR timeout is not a float or out of range"),
            Self::TimeoutNegative => write!(f, "ERR timeout is negative"),
            Self::InvalidCommand => write!(f, "ERR Invalid command specified"),
            Self::NoKeyArguments => write!(f, "ERR The command has no key arguments"),
            Self::MustBePositive => write!(f, "ERR value is out of range, must be positive"),
            Self::ValueOutOfRange => write!(f, "ERR value is out of range"),
            Self::NumkeysNotPositive => write!(f, "ERR numkeys should be greater than 0"),
            Self::NumkeysAboveArgs => {
                write!(f, "ERR Number of keys can't be greater than number of args")
            }
            Self::LimitNegative => write!(f, "ERR LIMIT can't be negative"),
            Self::InvalidCursor => write!(f, "ERR invalid cursor"),
            Self::NotAFloat => write!(f, "ERR value is not a valid float"),
            Self::WeightNotAFloat => write!(f, "ERR weight value is not a float"),
            Self::MinMaxNotFloat => write!(f, "ERR min or max is not a float"),
            Self::MinMaxNotLex => write!(f, "ERR min or max not valid string range item"),
            Self::ScoreNaN => write!(f, "ERR resulting score is not a number (NaN)"),
            Self::ZaddIncrPairs => write!(
                f,
                "ERR INCR option supports a single increment-element pair"
            ),
            Self::ZaddGtLtNx => write!(
                f,
                "ERR GT, LT, and/or NX options at the same time are not compatible"
            ),
            Self::ZaddXxNx => write!(
                f,
                "ERR XX and NX options at the same time are not compatible"
            ),
            Self::AtLeastOneKey(name) => {
                write!(f, "ERR at least 1 input key is needed for '{name}' command")
            }
            Self::LimitNeedsByscoreOrBylex => write!(
                f,
                "ERR syntax error, LIMIT is only supported in combination with either BYSCORE or BYLEX"
            ),
            Self::WithscoresWithBylex => write!(
                f,
                "ERR syntax error, WITHSCORES not supported in combination with BYLEX"
            ),
            Self::NoSuchKey => write!(f, "ERR no such key"),
            Self::OffsetOutOfRange => write!(f, "ERR offset is out of range"),
            Self::SameObject => write!(f, "ERR source and destination objects are the same"),
            Self::LcsLenAndIdx => write!(
                f,
                "ERR If you want both the length and indexes, please just use IDX."
            ),
            Self::LcsNotStrings => write!(f, "ERR The specified keys must contain string values"),
            Self::LcsTableTooLarge => write!(
                f,
                "ERR Insufficient memory, transient memory for LCS exceeds proto-max-bulk-len"
            ),
            Self::LcsOutOfMemory => write!(
                f,
                "ERR Insufficient memory, failed allocating transient memory for LCS"
            ),
            Self::IndexOutOfRange => write!(f, "ERR index out of range"),
            Self::HashValueNotInteger => write!(f, "ERR hash value is not an integer"),
            Self::HashValueNotFloat => write!(f, "ERR hash value is not a float"),
            Self::NanOrInfinity => write!(f, "ERR value is NaN or Infinity"),
            Self::IncrementNanOrInfinity => {
                write!(f, "ERR increment would produce NaN or Infinity")
            }
            Self::RankZero => write!(
                f,
                "ERR RANK can't be zero: use 1 to start from the first match, 2 from the \
                 second ... or use negative to start from the end of the list"
            ),
            Self::CountNegative => write!(f, "ERR COUNT can't be negative"),
            Self::MaxlenNegative => write!(f, "ERR MAXLEN can't be negative"),
            Self::CountNotPositive => write!(f, "ERR count should be greater than 0"),
            Self::ReplyTooLarge => write!(f, "ERR reply too large to allocate"),
            Self::LfuNotSelected => write!(
                f,
                "ERR An LFU maxmemory policy is not selected, access frequency not tracked. \
                 Please note that when switching between policies at runtime LRU and LFU data \
                 will take some time to adjust."
            ),
            Self::BgsaveInProgress => write!(f, "ERR Background save already in progress"),
            Self::AnotherJobActive => write!(
                f,
                "ERR Another child process is active (AOF?): can't BGSAVE right now. \
                 Use BGSAVE SCHEDULE in order to schedule a BGSAVE whenever possible."
            ),
            Self::SaveFailed => write!(f, "ERR"),
            Self::ShutdownSaveFailed => write!(f, "ERR Errors trying to SHUTDOWN. Check logs."),
            Self::ConfigSetFailed(name, why) => {
                f.extend_from_slice(b"ERR CONFIG SET failed (possibly related to argument '");
                f.extend_from_slice(quoted(name, usize::MAX));
                write!(f, "') - {why}")
            }
            Self::BusyKey => write!(f, "BUSYKEY Target key name already exists."),
            Self::InvalidTtl => write!(f, "ERR Invalid TTL value, must be >= 0"),
            Self::InvalidIdleTime => write!(f, "ERR Invalid IDLETIME value, must be >= 0"),
            Self::InvalidFreq => write!(f, "ERR Invalid FREQ value, must be >= 0 and <= 255"),
            Self::BadDumpPayload => write!(f, "ERR DUMP payload version or checksum are wrong"),
            Self::BadDataFormat => write!(f, "ERR Bad data format"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_command_quotes_name_and_first_args() {
        let request = vec![b"foo".to_vec(), b"bar".to_vec(), b"baz".to_vec()];
        assert_eq!(
            CommandError::UnknownCommand(request).message(),
            b"ERR unknown command 'foo', with args beginning with: 'bar' 'baz' "
        );
        let long = vec![b"foo".to_vec(), vec![b'a'; 200], b"next".to_vec()];
        let text = CommandError::UnknownCommand(long).message();
        assert!(text.ends_with(format!("'{}' ", "a".repeat(128)).as_bytes()));
    }

    #[test]
    fn quoted_bytes_are_sent_as_they_came_up_to_a_nul() {
        let request = vec![b"f\xffo\0o".to_vec(), b"\xfe".to_vec()];
        assert_eq!(
            CommandError::UnknownCommand(request).message(),
            b"ERR unknown command 'f\xffo', with args beginning with: '\xfe' "
        );
    }
}
