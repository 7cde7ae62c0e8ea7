//! The command line, redis-server style: `--port 6380 --hz 20`.

use std::fmt;
use std::net::IpAddr;

use crate::log::Level;

/// The Redis version whose behaviour this server follows. Clients read it
/// (HELLO, INFO) to decide which commands they may use.
pub const REDIS_VERSION: &str = "7.0.15";

/// How the server was asked to run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Config {
    /// Address to listen on. Loopback unless the user says otherwise:
    /// a server with no password must not be reachable from the network by accident.
    pub bind: IpAddr,
    /// TCP port; 0 asks the OS for a free one.
    pub port: u16,
    /// Most clients connected at once; the next one is told so and closed.
    pub maxclients: usize,
    /// Active-expiry cycles per second.
    pub hz: u32,
    pub loglevel: Level,
    /// Seconds a client may stay silent before it is closed; 0: for ever.
    /// CONFIG SET changes it while the server runs.
    pub timeout: u64,
    /// Seconds of silence before TCP asks a client's machine whether it is
    /// still there (0: never), so that dead peers do not hold threads.
    pub tcp_keepalive: u32,
    /// Connections the kernel may queue, handshake done, before we accept them.
    pub tcp_backlog: u32,
    /// The default user's password at start-up; `None`: no password.
    pub requirepass: Option<Vec<u8>>,
    /// The working directory, where dumps are written (`--dir`): the server
    /// changes into it at start, as Redis does. `None`: where it was started.
    pub dir: Option<String>,
    /// The dump's file name (`--dbfilename`).
    pub dbfilename: String,
    /// When to save in the background (`--save`).
    pub save: Vec<SaveRule>,
    /// The append-only file: whether it is kept, where, and how often it
    /// is flushed to the disk (redis.conf's APPEND ONLY MODE section).
    pub aof: AofConfig,
}

/// How the append-only file is kept, as redis.conf's `append*` and `aof-*`
/// settings say.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AofConfig {
    /// `appendonly`: log every write, and load the log at start-up.
    pub enabled: bool,
    /// `appenddirname`: the directory of the manifest, base and incr files.
    pub dirname: String,
    /// `appendfilename`: the stem of every file name in that directory.
    pub filename: String,
    pub fsync: Fsync,
    /// `aof-use-rdb-preamble`: a rewrite writes its base as an RDB file.
    pub use_rdb_preamble: bool,
    /// `aof-load-truncated`: a torn last command is cut off with a warning
    /// instead of refusing to start.
    pub load_truncated: bool,
}

impl Default for AofConfig {
    fn default() -> Self {
        AofConfig {
            enabled: false,
            dirname: "appendonlydir".to_string(),
            filename: "appendonly.aof".to_string(),
            fsync: Fsync::EverySec,
            use_rdb_preamble: true,
            load_truncated: true,
        }
    }
}

/// `appendfsync`: when the log is forced from the page cache to the disk.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fsync {
    /// After every write, before its reply is sent.
    Always,
    /// Once a second, by a background thread.
    EverySec,
    /// Never: the kernel writes the page cache back when it likes.
    No,
}

impl Fsync {
    pub fn parse(text: &str) -> Option<Fsync> {
        match text.to_ascii_lowercase().as_str() {
            "always" => Some(Fsync::Always),
            "everysec" => Some(Fsync::EverySec),
            "no" => Some(Fsync::No),
            _ => None,
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Fsync::Always => "always",
            Fsync::EverySec => "everysec",
            Fsync::No => "no",
        }
    }
}

/// A yes/no setting as CONFIG GET shows it.
pub fn format_yes_no(yes: bool) -> String {
    if yes { "yes" } else { "no" }.to_string()
}

/// A redis.conf boolean: `yes` or `no`, in any case.
pub fn parse_yes_no(text: &str) -> Option<bool> {
    match text.to_ascii_lowercase().as_str() {
        "yes" => Some(true),
        "no" => Some(false),
        _ => None,
    }
}

impl Default for Config {
    fn default() -> Self {
        Config {
            bind: IpAddr::from([127, 0, 0, 1]),
            port: 6379,
            maxclients: 10_000,
            hz: 10,
            loglevel: Level::Notice,
            timeout: 0,
            tcp_keepalive: 300,
            tcp_backlog: 511,
            requirepass: None,
            aof: AofConfig::default(),
            dir: None,
            dbfilename: "dump.rdb".to_string(),
            save: DEFAULT_SAVE_POLICY.to_vec(),
        }
    }
}

/// What the command line asks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Action {
    Run(Config),
    Help,
    Version,
}

/// A command line we cannot use; the message says why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UsageError(pub String);

impl fmt::Display for UsageError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

pub const USAGE: &str = "\
Usage: mini-redis [OPTIONS]

Options:
  --port N          TCP port to listen on (default 6379; 0 picks a free port)
  --bind ADDR       address to listen on (default 127.0.0.1)
  --maxclients N    most clients connected at once (default 10000)
  --hz N            active-expiry cycles per second, 1-500 (default 10)
  --loglevel LEVEL  debug, verbose, notice or warning (default notice)
  --timeout N       close a client idle for N seconds (default 0: never)
  --tcp-keepalive N TCP keepalive probes after N idle seconds (default 300; 0: off)
  --tcp-backlog N   queue of connections waiting to be accepted (default 511)
  --requirepass PW  clients must AUTH with this password (default: none)
  --dir DIR         working directory, where the dump is written (default: current)
  --dbfilename NAME the dump's file name (default dump.rdb)
  --save 'S C ...'  save after S seconds if C changes were made; '' never
                    (default '3600 1 300 100 60 10000'; repeat to add rules)
  --appendonly yes|no               keep an append-only file (default no)
  --appenddirname NAME              its directory (default appendonlydir)
  --appendfilename NAME             its files' name (default appendonly.aof)
  --appendfsync always|everysec|no  when it is fsynced (default everysec)
  --aof-use-rdb-preamble yes|no     rewrite its base as RDB (default yes)
  --aof-load-truncated yes|no       cut off a torn last command (default yes)
  --help            print this help
  --version         print the version";

/// Reads the arguments after the program name.
pub fn parse<I, S>(args: I) -> Result<Action, UsageError>
where
    I: IntoIterator<Item = S>,
    S: Into<String>,
{
    let mut config = Config::default();
    let mut args = args.into_iter().map(Into::into).peekable();
    // The first --save replaces the default policy; later ones add to it.
    let mut save_given = false;
    while let Some(arg) = args.next() {
        let (flag, inline_value) = match arg.split_once('=') {
            Some((flag, value)) if flag.starts_with("--") => {
                (flag.to_string(), Some(value.to_string()))
            }
            _ => (arg, None),
        };
        match flag.as_str() {
            "--help" | "-h" => return Ok(Action::Help),
            "--version" | "-v" => return Ok(Action::Version),
            "--port" | "--bind" | "--maxclients" | "--hz" | "--loglevel" | "--timeout"
            | "--tcp-keepalive" | "--tcp-backlog" | "--requirepass" => {}
            "--appendonly"
            | "--appenddirname"
            | "--appendfilename"
            | "--appendfsync"
            | "--aof-use-rdb-preamble"
            | "--aof-load-truncated" => {}
            "--dir" | "--dbfilename" | "--save" => {}
            other => return Err(UsageError(format!("unknown option '{other}'"))),
        }
        let mut value = inline_value
            .or_else(|| args.next())
            .ok_or_else(|| UsageError(format!("'{flag}' needs a value")))?;
        if flag == "--save" {
            // Redis reads `--save 60 100` as well as `--save "60 100"`.
            while let Some(more) = args.next_if(|next| !next.starts_with("--")) {
                value = format!("{value} {more}");
            }
        }
        let bad = || UsageError(format!("invalid value '{value}' for '{flag}'"));
        match flag.as_str() {
            "--port" => config.port = value.parse().map_err(|_| bad())?,
            "--bind" => config.bind = value.parse().map_err(|_| bad())?,
            "--maxclients" => {
                config.maxclients = value.parse().ok().filter(|&n| n >= 1).ok_or_else(bad)?
            }
            "--hz" => {
                config.hz = value
                    .parse()
                    .ok()
                    .filter(|n| (1..=500).contains(n))
                    .ok_or_else(bad)?
            }
            "--timeout" => config.timeout = parse_int_setting(&value).ok_or_else(bad)?.into(),
            "--tcp-keepalive" => {
                config.tcp_keepalive = parse_int_setting(&value).ok_or_else(bad)?
            }
            "--tcp-backlog" => config.tcp_backlog = parse_int_setting(&value).ok_or_else(bad)?,
            // An empty password is no password, as in Redis.
            "--requirepass" => {
                config.requirepass = Some(value.into_bytes()).filter(|p| !p.is_empty())
            }
            "--dir" => config.dir = Some(value),
            "--dbfilename" => {
                if value.contains('/') {
                    return Err(UsageError(
                        "dbfilename can't be a path, just a filename".into(),
                    ));
                }
                config.dbfilename = value
            }
            "--save" => {
                let rules = parse_save_policy(&value).ok_or_else(bad)?;
                if !save_given {
                    config.save.clear();
                    save_given = true;
                }
                config.save.extend(rules);
            }
            "--loglevel" => config.loglevel = Level::parse(&value).ok_or_else(bad)?,
            "--appendonly" => config.aof.enabled = parse_yes_no(&value).ok_or_else(bad)?,
            "--appenddirname" | "--appendfilename" => {
                // A bare name, as Redis insists: the files live in `dir`.
                if value.is_empty() || value.contains('/') {
                    return Err(bad());
                }
                if flag == "--appenddirname" {
                    config.aof.dirname = value;
                } else {
                    config.aof.filename = value;
                }
            }
            "--appendfsync" => config.aof.fsync = Fsync::parse(&value).ok_or_else(bad)?,
            "--aof-use-rdb-preamble" => {
                config.aof.use_rdb_preamble = parse_yes_no(&value).ok_or_else(bad)?
            }
            _ => config.aof.load_truncated = parse_yes_no(&value).ok_or_else(bad)?,
        }
    }
    Ok(Action::Run(config))
}

/// A count from 0 to `i32::MAX`, the range Redis allows `timeout`,
/// `tcp-keepalive` and `tcp-backlog`.
pub fn parse_int_setting(value: &str) -> Option<u32> {
    value.parse().ok().filter(|&n: &u32| n <= i32::MAX as u32)
}

/// One rule of the save policy: save if at least `changes` changes were
/// made and more than `seconds` have passed since the last save (Redis's
/// `saveparam`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SaveRule {
    pub seconds: u64,
    pub changes: u64,
}

/// Redis 7.0's policy when none is given (`initServerConfig`): after an
/// hour if one change, 5 minutes if 100, a minute if 10000.
pub const DEFAULT_SAVE_POLICY: [SaveRule; 3] = [
    SaveRule {
        seconds: 3600,
        changes: 1,
    },
    SaveRule {
        seconds: 300,
        changes: 100,
    },
    SaveRule {
        seconds: 60,
        changes: 10000,
    },
];

/// Parses a `save` value, `"3600 1 300 100"`: pairs of seconds (at least 1)
/// and changes (at least 0); `""` is no rule at all.
pub fn parse_save_policy(text: &str) -> Option<Vec<SaveRule>> {
    let numbers: Vec<&str> = text.split_whitespace().collect();
    if numbers.len() % 2 != 0 {
        return None;
    }
    numbers
        .chunks_exact(2)
        .map(|pair| {
            let seconds = pair[0].parse::<u64>().ok().filter(|&s| s >= 1)?;
            let changes = pair[1].parse::<u64>().ok()?;
            Some(SaveRule { seconds, changes })
        })
        .collect()
}

/// A policy as CONFIG GET shows it: `"3600 1 300 100 60 10000"`.
pub fn format_save_policy(rules: &[SaveRule]) -> String {
    let pairs: Vec<String> = rules
        .iter()
        .map(|rule| format!("{} {}", rule.seconds, rule.changes))
        .collect();
    pairs.join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(args: &[&str]) -> Result<Config, UsageError> {
        match parse(args.iter().copied())? {
            Action::Run(config) => Ok(config),
            other => panic!("expected a config, got {other:?}"),
        }
    }

    #[test]
    fn defaults_listen_on_loopback_6379() {
        let config = run(&[]).unwrap();
        assert_eq!(config.bind.to_string(), "127.0.0.1");
        assert_eq!(config.port, 6379);
        assert_eq!(config.maxclients, 10_000);
        assert_eq!(config.hz, 10);
        assert_eq!((config.timeout, config.tcp_keepalive), (0, 300));
        assert_eq!((config.tcp_backlog, config.requirepass), (511, None));
    }

    #[test]
    fn operations_flags() {
        let config = run(&[
            "--timeout",
            "5",
            "--tcp-keepalive=60",
            "--tcp-backlog",
            "1024",
            "--requirepass",
            "s3cret",
        ])
        .unwrap();
        assert_eq!((config.timeout, config.tcp_keepalive), (5, 60));
        assert_eq!(config.tcp_backlog, 1024);
        assert_eq!(config.requirepass.as_deref(), Some(&b"s3cret"[..]));
        assert_eq!(run(&["--requirepass", ""]).unwrap().requirepass, None);
    }

    #[test]
    fn flags_take_a_separate_or_inline_value() {
        let config = run(&[
            "--port",
            "0",
            "--hz=20",
            "--bind",
            "::1",
            "--loglevel",
            "debug",
        ])
        .unwrap();
        assert_eq!(
            (config.port, config.hz, config.loglevel),
            (0, 20, Level::Debug)
        );
        assert_eq!(config.bind.to_string(), "::1");
    }

    #[test]
    fn bad_flags_and_values_are_usage_errors() {
        assert_eq!(
            run(&["--prot", "1"]),
            Err(UsageError("unknown option '--prot'".into()))
        );
        assert_eq!(
            run(&["--port"]),
            Err(UsageError("'--port' needs a value".into()))
        );
        assert_eq!(
            run(&["--port", "70000"]),
            Err(UsageError("invalid value '70000' for '--port'".into()))
        );
        assert!(run(&["--hz", "0"]).is_err());
        assert!(run(&["--maxclients", "-1"]).is_err());
        assert!(run(&["--loglevel", "loud"]).is_err());
        assert!(run(&["--timeout", "-1"]).is_err());
        assert!(run(&["--tcp-backlog", "2147483648"]).is_err());
        assert_eq!(parse(["--help"]), Ok(Action::Help));
    }

    #[test]
    fn append_only_flags_as_redis_spells_them() {
        let config = run(&[
            "--appendonly",
            "YES",
            "--appendfsync",
            "always",
            "--appenddirname",
            "log",
            "--aof-load-truncated",
            "no",
        ])
        .unwrap();
        assert!(config.aof.enabled);
        assert_eq!(config.aof.fsync, Fsync::Always);
        assert_eq!(config.aof.dirname, "log");
        assert_eq!(config.aof.filename, "appendonly.aof");
        assert!(!config.aof.load_truncated);
        assert!(run(&["--appendonly", "maybe"]).is_err());
        assert!(run(&["--appendfsync", "sometimes"]).is_err());
        assert!(run(&["--appenddirname", "a/b"]).is_err());
    }

    #[test]
    fn save_flags_replace_the_default_then_accumulate() {
        assert_eq!(run(&[]).unwrap().save, DEFAULT_SAVE_POLICY);
        let config = run(&["--save", "1 2", "--save", "3", "4", "--port", "0"]).unwrap();
        assert_eq!(format_save_policy(&config.save), "1 2 3 4");
        assert_eq!(config.port, 0);
        assert!(run(&["--save", ""]).unwrap().save.is_empty());
        assert!(run(&["--save", "1 2 3"]).is_err());
        let config = run(&["--dir", "/tmp", "--dbfilename", "x.rdb"]).unwrap();
        assert_eq!(
            (config.dir.as_deref(), config.dbfilename.as_str()),
            (Some("/tmp"), "x.rdb")
        );
        assert!(run(&["--dbfilename", "a/b"]).is_err());
    }

    #[test]
    fn save_policies_parse_and_print_as_redis_does() {
        let rules = parse_save_policy("3600 1 300 100 60 10000").unwrap();
        assert_eq!(rules, DEFAULT_SAVE_POLICY);
        assert_eq!(format_save_policy(&rules), "3600 1 300 100 60 10000");
        assert_eq!(parse_save_policy(""), Some(vec![]));
        for bad in ["1 2 3", "0 1", "10 -1", "a 1", "1 b"] {
            assert_eq!(parse_save_policy(bad), None, "{bad}");
        }
    }
}
