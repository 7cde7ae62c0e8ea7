//! Every error a command can answer with, and Redis's exact wording for it.

use std::fmt;

/// Why a command did not run. [`fmt::Display`] gives the text of the `-` reply,
/// code included, byte for byte what Redis 7 says.
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
    NoShutdownInProgress,
    /// CONFIG SET: this server's settings are fixed at start-up.
    ConfigSetUnsupported(Vec<u8>),
}

/// Redis quotes client bytes with `%s`: they end at a NUL byte.
fn quoted(bytes: &[u8]) -> String {
    let end = bytes.iter().position(|&b| b == 0).unwrap_or(bytes.len());
    String::from_utf8_lossy(&bytes[..end]).into_owned()
}

/// `'a' 'b' `: the first arguments of an unknown command, cut at about 128
/// bytes the way Redis's `processCommand` does it.
fn args_preview(args: &[Vec<u8>]) -> String {
    const LIMIT: usize = 128;
    let mut preview = Vec::new();
    for arg in args {
        if preview.len() >= LIMIT {
            break;
        }
        let room = LIMIT - preview.len();
        preview.push(b'\'');
        preview.extend_from_slice(&arg[..arg.len().min(room)]);
        preview.extend_from_slice(b"' ");
    }
    quoted(&preview)
}

impl fmt::Display for CommandError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::UnknownCommand(request) => {
                let name = &request[0][..request[0].len().min(128)];
                write!(
                    f,
                    "ERR unknown command '{}', with args beginning with: {}",
                    quoted(name),
                    args_preview(&request[1..])
                )
            }
            Self::WrongArity(name) => {
                write!(f, "ERR wrong number of arguments for '{name}' command")
            }
            Self::UnknownSubcommand(sub, container) => {
                write!(
                    f,
                    "ERR unknown subcommand '{}'. Try {container} HELP.",
                    quoted(sub)
                )
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
                write!(f, "ERR Unsupported option {}", quoted(option))
            }
            Self::DbIndexOutOfRange => write!(f, "ERR DB index is out of range"),
            Self::NoProto => write!(f, "NOPROTO unsupported protocol version"),
            Self::ProtoNotAnInteger => {
                write!(f, "ERR Protocol version is not an integer or out of range")
            }
            Self::HelloSyntax(option) => {
                write!(f, "ERR Syntax error in HELLO option '{}'", quoted(option))
            }
            Self::BadClientName => write!(
                f,
                "ERR Client names cannot contain spaces, newlines or special characters."
            ),
            Self::UnrecognizedOption(option) => {
                write!(f, "ERR Unrecognized option '{}'", quoted(option))
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
            Self::NoShutdownInProgress => write!(f, "ERR No shutdown in progress."),
            Self::ConfigSetUnsupported(name) => write!(
                f,
                "ERR Unknown option or number of arguments for CONFIG SET - '{}'",
                quoted(name)
            ),
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
            CommandError::UnknownCommand(request).to_string(),
            "ERR unknown command 'foo', with args beginning with: 'bar' 'baz' "
        );
        let long = vec![b"foo".to_vec(), vec![b'a'; 200], b"next".to_vec()];
        let text = CommandError::UnknownCommand(long).to_string();
        assert!(text.ends_with(&format!("'{}' ", "a".repeat(128))), "{text}");
    }
}
