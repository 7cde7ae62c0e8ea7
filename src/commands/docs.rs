//! What `COMMAND INFO` and `COMMAND DOCS` say about a command: the types that
//! hold Redis's description of each command, and the code that turns one into
//! the reply Redis 7.0 would send, byte for byte.
//!
//! Client libraries and tools read these replies to learn about a server:
//! which arguments are keys (for cluster routing), which commands only read
//! (for replicas), what a command's syntax is (for redis-cli's hints). So the
//! data is Redis's own, read from a running redis-server 7.0.15, and kept in
//! `src/commands/docs_data.rs`, one static per command.
//!
//! The names of the types and fields are those of Redis's documentation
//! ("Command key specifications", "COMMAND DOCS"), so a reader can look any
//! of them up there.

use super::docs_data::ALL;
use crate::protocol::Reply;

/// Everything `COMMAND INFO` and `COMMAND DOCS` report about one command or
/// subcommand. Fields left out of a static take their value from
/// [`Meta::EMPTY`]: nothing, which Redis also leaves out of its reply.
pub struct Meta {
    // --- COMMAND INFO, in the order of its reply ---
    /// Lowercase; a subcommand is named `container|sub`, as in `client|id`.
    pub name: &'static str,
    /// Words including the name: `2` is exactly two, `-3` is three or more.
    pub arity: i32,
    /// Command flags such as `write`, `readonly`, `fast`, in Redis's order.
    pub flags: &'static [&'static str],
    /// The legacy key positions (first key, last key, step), kept by Redis
    /// for old clients; `(0, 0, 0)` when there are no keys. Key specs say more.
    pub keys: (i64, i64, i64),
    /// ACL categories, such as `@read` and `@string`.
    pub acl_categories: &'static [&'static str],
    /// Hints for clients and proxies, such as `nondeterministic_output`.
    pub tips: &'static [&'static str],
    /// Where the keys are among the arguments, and what is done to them.
    pub key_specs: &'static [KeySpec],
    /// A container's subcommands (only those this project covers).
    pub subcommands: &'static [&'static Meta],

    // --- COMMAND DOCS, in the order of its reply ---
    pub summary: &'static str,
    /// The Redis version that introduced the command.
    pub since: &'static str,
    /// The documentation group: `string`, `generic`, `connection`, `server`...
    pub group: &'static str,
    /// Time complexity, as prose; empty if Redis gives none.
    pub complexity: &'static str,
    /// `deprecated` or `syscmd`, when they apply.
    pub doc_flags: &'static [&'static str],
    pub deprecated_since: Option<&'static str>,
    /// What to use instead of a deprecated command.
    pub replaced_by: Option<&'static str>,
    /// (version, what changed), oldest first.
    pub history: &'static [(&'static str, &'static str)],
    pub arguments: &'static [Arg],
}

impl Meta {
    /// A command with nothing to say: the defaults every static starts from.
    pub const EMPTY: Meta = Meta {
        name: "",
        arity: 0,
        flags: &[],
        keys: (0, 0, 0),
        acl_categories: &[],
        tips: &[],
        key_specs: &[],
        subcommands: &[],
        summary: "",
        since: "",
        group: "",
        complexity: "",
        doc_flags: &[],
        deprecated_since: None,
        replaced_by: None,
        history: &[],
        arguments: &[],
    };
}

/// A key specification: how to find one kind of key among a command's
/// arguments (first [`BeginSearch`], then [`FindKeys`] from there), and
/// what the command does to those keys.
pub struct KeySpec {
    /// A remark for people, such as why the flags are what they are.
    pub notes: Option<&'static str>,
    /// `RO`/`RW`/`OW`/`RM` (read only, read-write, overwrite, remove), then
    /// what happens to the data: `access`, `update`, `insert`, `delete`...
    pub flags: &'static [&'static str],
    pub begin_search: BeginSearch,
    pub find_keys: FindKeys,
}

/// Where the search for keys starts.
pub enum BeginSearch {
    /// At this argument (the command name is argument 0).
    Index(i64),
    /// Just after this keyword, searched for from argument `startfrom`
    /// (negative: from the end, backwards).
    Keyword {
        keyword: &'static str,
        startfrom: i64,
    },
    /// Only the command itself knows.
    Unknown,
}

/// Which arguments, counted from where the search began, are keys.
pub enum FindKeys {
    /// Keys up to `lastkey` (negative: counted from the end), every
    /// `keystep`-th argument; `limit` > 1 means only the first 1/limit of
    /// what remains.
    Range {
        lastkey: i64,
        keystep: i64,
        limit: i64,
    },
    /// The argument at `keynumidx` says how many keys follow, the first at
    /// `firstkey`, every `keystep`-th argument.
    Keynum {
        keynumidx: i64,
        firstkey: i64,
        keystep: i64,
    },
    /// Only the command itself knows.
    Unknown,
}

/// One argument in COMMAND DOCS: a leaf (a key, a string, a token...) or a
/// group of arguments ([`ArgType::OneOf`], [`ArgType::Block`]).
#[derive(Clone, Copy)]
pub struct Arg {
    pub name: &'static str,
    pub kind: ArgType,
    /// How to show the argument instead of its name (Redis 7.0 uses none).
    pub display_text: Option<&'static str>,
    /// For a key: which of the command's [`KeySpec`]s finds it.
    pub key_spec_index: Option<u32>,
    /// The literal word that comes before the argument, as `EX` in `EX seconds`.
    pub token: Option<&'static str>,
    pub summary: Option<&'static str>,
    pub since: Option<&'static str>,
    pub deprecated_since: Option<&'static str>,
    /// The argument may be left out.
    pub optional: bool,
    /// The argument may be repeated.
    pub multiple: bool,
    /// With `multiple`: the token is repeated too (`GET a GET b`).
    pub multiple_token: bool,
    /// The members of a `OneOf` or a `Block`.
    pub arguments: &'static [Arg],
}

/// The kinds of argument, as COMMAND DOCS names them.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum ArgType {
    String,
    Integer,
    Double,
    Key,
    Pattern,
    UnixTime,
    /// A token alone, such as `NX`.
    PureToken,
    /// Exactly one of the member arguments.
    OneOf,
    /// The member arguments together, in order.
    Block,
}

impl ArgType {
    fn as_str(self) -> &'static str {
        match self {
            ArgType::String => "string",
            ArgType::Integer => "integer",
            ArgType::Double => "double",
            ArgType::Key => "key",
            ArgType::Pattern => "pattern",
            ArgType::UnixTime => "unix-time",
            ArgType::PureToken => "pure-token",
            ArgType::OneOf => "oneof",
            ArgType::Block => "block",
        }
    }
}

// Short constructors, so that the statics read like the syntax they describe:
// `integer("seconds").token("EX").since("2.6.12")`.

const fn arg(name: &'static str, kind: ArgType) -> Arg {
    Arg {
        name,
        kind,
        display_text: None,
        key_spec_index: None,
        token: None,
        summary: None,
        since: None,
        deprecated_since: None,
        optional: false,
        multiple: false,
        multiple_token: false,
        arguments: &[],
    }
}

pub const fn string(name: &'static str) -> Arg {
    arg(name, ArgType::String)
}

pub const fn integer(name: &'static str) -> Arg {
    arg(name, ArgType::Integer)
}

pub const fn double(name: &'static str) -> Arg {
    arg(name, ArgType::Double)
}

pub const fn pattern(name: &'static str) -> Arg {
    arg(name, ArgType::Pattern)
}

pub const fn unix_time(name: &'static str) -> Arg {
    arg(name, ArgType::UnixTime)
}

/// A key argument, found by the command's key spec number `key_spec_index`.
pub const fn key(name: &'static str, key_spec_index: u32) -> Arg {
    let mut key = arg(name, ArgType::Key);
    key.key_spec_index = Some(key_spec_index);
    key
}

/// A word on its own, such as `NX`.
pub const fn token(name: &'static str, token: &'static str) -> Arg {
    arg(name, ArgType::PureToken).token(token)
}

pub const fn oneof(name: &'static str, arguments: &'static [Arg]) -> Arg {
    let mut oneof = arg(name, ArgType::OneOf);
    oneof.arguments = arguments;
    oneof
}

pub const fn block(name: &'static str, arguments: &'static [Arg]) -> Arg {
    let mut block = arg(name, ArgType::Block);
    block.arguments = arguments;
    block
}

impl Arg {
    pub const fn token(mut self, token: &'static str) -> Arg {
        self.token = Some(token);
        self
    }

    pub const fn since(mut self, version: &'static str) -> Arg {
        self.since = Some(version);
        self
    }

    pub const fn deprecated_since(mut self, version: &'static str) -> Arg {
        self.deprecated_since = Some(version);
        self
    }

    pub const fn optional(mut self) -> Arg {
        self.optional = true;
        self
    }

    pub const fn multiple(mut self) -> Arg {
        self.multiple = true;
        self
    }

    pub const fn multiple_token(mut self) -> Arg {
        self.multiple_token = true;
        self
    }
}

/// The most common key spec: one key, at argument `index`.
pub const fn one_key(index: i64, flags: &'static [&'static str]) -> KeySpec {
    key_range(index, 0, 1, flags)
}

/// Keys from argument `index` to `lastkey` (relative to `index`; `-1` is the
/// last argument), every `keystep`-th.
pub const fn key_range(
    index: i64,
    lastkey: i64,
    keystep: i64,
    flags: &'static [&'static str],
) -> KeySpec {
    KeySpec {
        notes: None,
        flags,
        begin_search: BeginSearch::Index(index),
        find_keys: FindKeys::Range {
            lastkey,
            keystep,
            limit: 0,
        },
    }
}

/// Keys counted by an argument (SINTERCARD's `numkeys`): searched from
/// argument `index`, the one at `keynumidx` after it says how many keys
/// there are, the first at `firstkey`, every `keystep`-th.
pub const fn key_num(
    index: i64,
    keynumidx: i64,
    firstkey: i64,
    keystep: i64,
    flags: &'static [&'static str],
) -> KeySpec {
    KeySpec {
        notes: None,
        flags,
        begin_search: BeginSearch::Index(index),
        find_keys: FindKeys::Keynum {
            keynumidx,
            firstkey,
            keystep,
        },
    }
}

impl KeySpec {
    pub const fn notes(mut self, notes: &'static str) -> KeySpec {
        self.notes = Some(notes);
        self
    }
}

/// Every command described, top-level ones with their subcommands after
/// them (`client`, `client|id`, ...).
pub fn every_name() -> Vec<&'static str> {
    let mut names = Vec::new();
    for meta in ALL {
        names.push(meta.name);
        names.extend(meta.subcommands.iter().map(|sub| sub.name));
    }
    names
}

/// Whether Redis gives the command `name` the flag `flag` (`write`,
/// `no_auth`, ...); no for a command it does not describe.
pub fn flagged(name: &str, flag: &str) -> bool {
    find(name).is_some_and(|meta| meta.flags.contains(&flag))
}

/// The description of a command (`get`) or subcommand (`client|id`), any case.
pub fn find(name: &str) -> Option<&'static Meta> {
    let container = name
        .split_once('|')
        .map_or(name, |(container, _)| container);
    let top = ALL
        .iter()
        .copied()
        .find(|meta| meta.name.eq_ignore_ascii_case(container))?;
    if container.len() == name.len() {
        return Some(top);
    }
    top.subcommands
        .iter()
        .copied()
        .find(|sub| sub.name.eq_ignore_ascii_case(name))
}

/// One command's entry in the reply to `COMMAND INFO`: an array of ten.
pub fn info_reply(meta: &Meta) -> Reply {
    let (first, last, step) = meta.keys;
    Reply::Array(vec![
        Reply::bulk(meta.name),
        Reply::Integer(i64::from(meta.arity)),
        simple_set(meta.flags),
        Reply::Integer(first),
        Reply::Integer(last),
        Reply::Integer(step),
        simple_set(meta.acl_categories),
        Reply::Set(meta.tips.iter().map(|&tip| Reply::bulk(tip)).collect()),
        Reply::Set(meta.key_specs.iter().map(key_spec_reply).collect()),
        // Redis 7.0 sends "no subcommands" as an empty set, but a list of
        // them as an array. Only RESP3 can tell the two apart.
        if meta.subcommands.is_empty() {
            Reply::Set(vec![])
        } else {
            Reply::Array(meta.subcommands.iter().map(|sub| info_reply(sub)).collect())
        },
    ])
}

fn key_spec_reply(spec: &KeySpec) -> Reply {
    let mut fields = vec![];
    if let Some(notes) = spec.notes {
        fields.push(field("notes", Reply::bulk(notes)));
    }
    fields.push(field("flags", simple_set(spec.flags)));
    let (kind, found) = match spec.begin_search {
        BeginSearch::Index(index) => ("index", vec![field("index", Reply::Integer(index))]),
        BeginSearch::Keyword { keyword, startfrom } => (
            "keyword",
            vec![
                field("keyword", Reply::bulk(keyword)),
                field("startfrom", Reply::Integer(startfrom)),
            ],
        ),
        BeginSearch::Unknown => ("unknown", vec![]),
    };
    fields.push(field("begin_search", search_step(kind, found)));
    let (kind, found) = match spec.find_keys {
        FindKeys::Range {
            lastkey,
            keystep,
            limit,
        } => (
            "range",
            vec![
                field("lastkey", Reply::Integer(lastkey)),
                field("keystep", Reply::Integer(keystep)),
                field("limit", Reply::Integer(limit)),
            ],
        ),
        FindKeys::Keynum {
            keynumidx,
            firstkey,
            keystep,
        } => (
            "keynum",
            vec![
                field("keynumidx", Reply::Integer(keynumidx)),
                field("firstkey", Reply::Integer(firstkey)),
                field("keystep", Reply::Integer(keystep)),
            ],
        ),
        FindKeys::Unknown => ("unknown", vec![]),
    };
    fields.push(field("find_keys", search_step(kind, found)));
    Reply::Map(fields)
}

/// `{type: kind, spec: {...}}`, the shape of both halves of a key spec.
fn search_step(kind: &'static str, spec: Vec<(Reply, Reply)>) -> Reply {
    Reply::Map(vec![
        field("type", Reply::bulk(kind)),
        field("spec", Reply::Map(spec)),
    ])
}

/// One command's value in the map `COMMAND DOCS` replies with (the caller
/// pairs it with the name). Fields Redis has nothing for are left out.
pub fn docs_reply(meta: &Meta) -> Reply {
    let mut fields = vec![
        field("summary", Reply::bulk(meta.summary)),
        field("since", Reply::bulk(meta.since)),
        field("group", Reply::bulk(meta.group)),
    ];
    if !meta.complexity.is_empty() {
        fields.push(field("complexity", Reply::bulk(meta.complexity)));
    }
    if !meta.doc_flags.is_empty() {
        fields.push(field("doc_flags", simple_set(meta.doc_flags)));
    }
    if let Some(version) = meta.deprecated_since {
        fields.push(field("deprecated_since", Reply::bulk(version)));
    }
    if let Some(replacement) = meta.replaced_by {
        fields.push(field("replaced_by", Reply::bulk(replacement)));
    }
    if !meta.history.is_empty() {
        let entries = meta.history.iter().map(|&(version, change)| {
            Reply::Array(vec![Reply::bulk(version), Reply::bulk(change)])
        });
        fields.push(field("history", Reply::Set(entries.collect())));
    }
    if !meta.arguments.is_empty() {
        fields.push(field("arguments", args_reply(meta.arguments)));
    }
    if !meta.subcommands.is_empty() {
        let subs = meta
            .subcommands
            .iter()
            .map(|sub| (Reply::bulk(sub.name), docs_reply(sub)));
        fields.push(field("subcommands", Reply::Map(subs.collect())));
    }
    Reply::Map(fields)
}

fn args_reply(args: &[Arg]) -> Reply {
    Reply::Array(args.iter().map(arg_reply).collect())
}

fn arg_reply(arg: &Arg) -> Reply {
    let mut fields = vec![
        field("name", Reply::bulk(arg.name)),
        field("type", Reply::bulk(arg.kind.as_str())),
    ];
    push_text(&mut fields, "display_text", arg.display_text);
    if let Some(index) = arg.key_spec_index {
        fields.push(field("key_spec_index", Reply::Integer(i64::from(index))));
    }
    push_text(&mut fields, "token", arg.token);
    push_text(&mut fields, "summary", arg.summary);
    push_text(&mut fields, "since", arg.since);
    push_text(&mut fields, "deprecated_since", arg.deprecated_since);
    let flags: Vec<&'static str> = [
        (arg.optional, "optional"),
        (arg.multiple, "multiple"),
        (arg.multiple_token, "multiple_token"),
    ]
    .into_iter()
    .filter_map(|(set, flag)| set.then_some(flag))
    .collect();
    if !flags.is_empty() {
        fields.push(field("flags", simple_set(&flags)));
    }
    // A group always lists its members, even when it has none.
    if matches!(arg.kind, ArgType::OneOf | ArgType::Block) {
        fields.push(field("arguments", args_reply(arg.arguments)));
    }
    Reply::Map(fields)
}

/// Adds `name: text` if there is a text: Redis leaves absent fields out.
fn push_text(fields: &mut Vec<(Reply, Reply)>, name: &'static str, text: Option<&'static str>) {
    if let Some(text) = text {
        fields.push(field(name, Reply::bulk(text)));
    }
}

fn field(name: &'static str, value: Reply) -> (Reply, Reply) {
    (Reply::bulk(name), value)
}

/// Flags and categories are sets of simple strings (`~2 +readonly +fast`).
fn simple_set(words: &[&'static str]) -> Reply {
    Reply::Set(words.iter().map(|&word| Reply::Simple(word)).collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::commands::COMMANDS;
    use crate::protocol::RespVersion;

    fn encode(reply: &Reply, version: RespVersion) -> Vec<u8> {
        let mut out = Vec::new();
        reply.write_to(&mut out, version).unwrap();
        out
    }

    #[test]
    fn every_command_and_subcommand_is_found_by_its_name() {
        for &meta in ALL {
            assert!(!meta.name.contains('|'), "{} is a subcommand", meta.name);
            assert_eq!(meta.name, meta.name.to_ascii_lowercase());
            assert!(std::ptr::eq(find(meta.name).unwrap(), meta));
            assert!(std::ptr::eq(find(&meta.name.to_uppercase()).unwrap(), meta));
            for &sub in meta.subcommands {
                let prefix = format!("{}|", meta.name);
                assert!(
                    sub.name.starts_with(&prefix),
                    "{} in {}",
                    sub.name,
                    meta.name
                );
                assert!(sub.subcommands.is_empty(), "{} nests", sub.name);
                assert!(std::ptr::eq(find(sub.name).unwrap(), sub));
            }
        }
        assert!(find("nosuch").is_none());
        assert!(find("client|nosuch").is_none());
        assert!(find("get|x").is_none());
        assert!(find("|id").is_none());
    }

    #[test]
    fn every_command_of_the_table_is_described_with_its_arity() {
        for command in COMMANDS {
            let meta = find(command.name)
                .unwrap_or_else(|| panic!("{} has no entry in docs_data.rs", command.name));
            assert_eq!(meta.arity, command.arity, "{}", command.name);
        }
    }

    /// Every key argument names a key spec the command has; every group has
    /// members; every pure token has its token; every entry has a summary.
    #[test]
    fn descriptions_are_consistent() {
        fn check_args(meta: &Meta, args: &[Arg]) {
            for arg in args {
                let what = format!("{} argument {}", meta.name, arg.name);
                match arg.kind {
                    ArgType::Key => {
                        let index = arg.key_spec_index.expect(&what) as usize;
                        assert!(index < meta.key_specs.len(), "{what}");
                    }
                    ArgType::OneOf | ArgType::Block => assert!(!arg.arguments.is_empty(), "{what}"),
                    ArgType::PureToken => assert!(arg.token.is_some(), "{what}"),
                    _ => {}
                }
                assert!(!arg.multiple_token || arg.multiple, "{what}");
                check_args(meta, arg.arguments);
            }
        }
        let all = ALL
            .iter()
            .flat_map(|&m| std::iter::once(m).chain(m.subcommands.iter().copied()));
        for meta in all {
            assert!(
                !meta.summary.is_empty() && !meta.since.is_empty(),
                "{}",
                meta.name
            );
            // A command whose keys only its arguments locate (SINTERCARD's
            // numkeys) may have key specs and no legacy positions.
            if !meta.flags.contains(&"movablekeys") {
                assert_eq!(
                    meta.keys == (0, 0, 0),
                    meta.key_specs.is_empty(),
                    "{}",
                    meta.name
                );
            }
            check_args(meta, meta.arguments);
        }
    }

    //@ passes from step 2
    /// What redis-server 7.0.15 sends for `COMMAND INFO get` and
    /// `COMMAND DOCS get` in RESP3, so the rendering is checked even where
    /// no redis-server is installed (tests/command_docs.rs checks them all).
    #[test]
    fn get_is_described_exactly_as_redis_does() {
        let info = Reply::Array(vec![info_reply(find("get").unwrap())]);
        let expected_info: &[u8] = concat!(
            "*1\r\n*10\r\n$3\r\nget\r\n:2\r\n~2\r\n+readonly\r\n+fast\r\n:1\r\n:1\r\n:1\r\n",
            "~3\r\n+@read\r\n+@string\r\n+@fast\r\n~0\r\n~1\r\n%3\r\n",
            "$5\r\nflags\r\n~2\r\n+RO\r\n+access\r\n",
            "$12\r\nbegin_search\r\n%2\r\n$4\r\ntype\r\n$5\r\nindex\r\n",
            "$4\r\nspec\r\n%1\r\n$5\r\nindex\r\n:1\r\n",
            "$9\r\nfind_keys\r\n%2\r\n$4\r\ntype\r\n$5\r\nrange\r\n$4\r\nspec\r\n%3\r\n",
            "$7\r\nlastkey\r\n:0\r\n$7\r\nkeystep\r\n:1\r\n$5\r\nlimit\r\n:0\r\n~0\r\n",
        )
        .as_bytes();
        assert_eq!(encode(&info, RespVersion::Resp3), expected_info);

        let docs = Reply::Map(vec![(Reply::bulk("get"), docs_reply(find("get").unwrap()))]);
        let expected_docs: &[u8] = concat!(
            "%1\r\n$3\r\nget\r\n%5\r\n",
            "$7\r\nsummary\r\n$22\r\nGet the value of a key\r\n",
            "$5\r\nsince\r\n$5\r\n1.0.0\r\n$5\r\ngroup\r\n$6\r\nstring\r\n",
            "$10\r\ncomplexity\r\n$4\r\nO(1)\r\n$9\r\narguments\r\n*1\r\n%3\r\n",
            "$4\r\nname\r\n$3\r\nkey\r\n$4\r\ntype\r\n$3\r\nkey\r\n$14\r\nkey_spec_index\r\n:0\r\n",
        )
        .as_bytes();
        assert_eq!(encode(&docs, RespVersion::Resp3), expected_docs);
    }

    //@ passes from step 2
    /// Key specs our commands do not use yet, against what redis-server
    /// 7.0.15 sends for XREAD's key spec and ZUNIONSTORE's second one.
    #[test]
    fn keyword_keynum_and_unknown_key_specs_have_redis_shapes() {
        let render = |spec: &KeySpec| encode(&key_spec_reply(spec), RespVersion::Resp3);
        let xread = KeySpec {
            notes: None,
            flags: &["RO", "access"],
            begin_search: BeginSearch::Keyword {
                keyword: "STREAMS",
                startfrom: 1,
            },
            find_keys: FindKeys::Range {
                lastkey: -1,
                keystep: 1,
                limit: 2,
            },
        };
        let expected: &[u8] = concat!(
            "%3\r\n$5\r\nflags\r\n~2\r\n+RO\r\n+access\r\n",
            "$12\r\nbegin_search\r\n%2\r\n$4\r\ntype\r\n$7\r\nkeyword\r\n$4\r\nspec\r\n%2\r\n",
            "$7\r\nkeyword\r\n$7\r\nSTREAMS\r\n$9\r\nstartfrom\r\n:1\r\n",
            "$9\r\nfind_keys\r\n%2\r\n$4\r\ntype\r\n$5\r\nrange\r\n$4\r\nspec\r\n%3\r\n",
            "$7\r\nlastkey\r\n:-1\r\n$7\r\nkeystep\r\n:1\r\n$5\r\nlimit\r\n:2\r\n",
        )
        .as_bytes();
        assert_eq!(render(&xread), expected);

        let zunionstore = KeySpec {
            find_keys: FindKeys::Keynum {
                keynumidx: 0,
                firstkey: 1,
                keystep: 1,
            },
            ..one_key(2, &["RO", "access"])
        };
        let expected: &[u8] = concat!(
            "%3\r\n$5\r\nflags\r\n~2\r\n+RO\r\n+access\r\n",
            "$12\r\nbegin_search\r\n%2\r\n$4\r\ntype\r\n$5\r\nindex\r\n$4\r\nspec\r\n%1\r\n",
            "$5\r\nindex\r\n:2\r\n",
            "$9\r\nfind_keys\r\n%2\r\n$4\r\ntype\r\n$6\r\nkeynum\r\n$4\r\nspec\r\n%3\r\n",
            "$9\r\nkeynumidx\r\n:0\r\n$8\r\nfirstkey\r\n:1\r\n$7\r\nkeystep\r\n:1\r\n",
        )
        .as_bytes();
        assert_eq!(render(&zunionstore), expected);

        let unknown = KeySpec {
            notes: Some("why"),
            flags: &["OW", "update"],
            begin_search: BeginSearch::Unknown,
            find_keys: FindKeys::Unknown,
        };
        let expected: &[u8] = concat!(
            "%4\r\n$5\r\nnotes\r\n$3\r\nwhy\r\n$5\r\nflags\r\n~2\r\n+OW\r\n+update\r\n",
            "$12\r\nbegin_search\r\n%2\r\n$4\r\ntype\r\n$7\r\nunknown\r\n$4\r\nspec\r\n%0\r\n",
            "$9\r\nfind_keys\r\n%2\r\n$4\r\ntype\r\n$7\r\nunknown\r\n$4\r\nspec\r\n%0\r\n",
        )
        .as_bytes();
        assert_eq!(render(&unknown), expected);
    }

    #[test]
    fn a_container_lists_its_subcommands_as_an_array_and_others_as_a_set() {
        let last = |name| match info_reply(find(name).unwrap()) {
            Reply::Array(mut fields) => fields.pop().unwrap(),
            other => panic!("{other:?}"),
        };
        assert!(matches!(last("get"), Reply::Set(subs) if subs.is_empty()));
        // id, getname, setname, setinfo, help
        assert!(matches!(last("client"), Reply::Array(subs) if subs.len() == 5));
    }
}
