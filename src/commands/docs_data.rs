//! Redis 7.0.15's own description of each command we have (or are about
//! to have), as `COMMAND INFO` and `COMMAND DOCS` report it. The types and
//! the code that turns them into replies are in [`super::docs`].
//!
//! Every value here was read from a running redis-server 7.0.15 and is
//! checked against one by `tests/command_docs.rs`. The one exception is
//! `CLIENT SETINFO`, which Redis 7.0 does not have: its entry is what
//! Redis 7.2.0 documents for it.

use super::docs::{
    block, double, integer, key, key_range, one_key, oneof, pattern, string, token, unix_time, Arg,
    Meta,
};

// Key-spec flags, named after what they hold: the access first (RO read only,
// RW read-write, OW overwrite, RM remove), then what is done to the data.
const RO_ACCESS: &[&str] = &["RO", "access"];
const RW_ACCESS_UPDATE_VARIABLE_FLAGS: &[&str] = &["RW", "access", "update", "variable_flags"];
const RW_ACCESS_UPDATE: &[&str] = &["RW", "access", "update"];
const RW_UPDATE: &[&str] = &["RW", "update"];
const OW_INSERT: &[&str] = &["OW", "insert"];
const OW_UPDATE: &[&str] = &["OW", "update"];
const RW_ACCESS_DELETE: &[&str] = &["RW", "access", "delete"];
const RW_INSERT: &[&str] = &["RW", "insert"];
const RO: &[&str] = &["RO"];
const RM_DELETE: &[&str] = &["RM", "delete"];

/// The argument most commands start with: `key`, found by key spec 0.
const KEY: Arg = key("key", 0);

/// The flags of the commands a client may send before it has authenticated.
const BEFORE_AUTH: &[&str] = &[
    "noscript",
    "loading",
    "stale",
    "fast",
    "no_auth",
    "allow_busy",
];

// The workshop's first six commands.

/// `PING [message]`
pub static PING: Meta = Meta {
    name: "ping",
    arity: -1,
    flags: &["fast"],
    acl_categories: &["@fast", "@connection"],
    tips: &["request_policy:all_shards", "response_policy:all_succeeded"],
    summary: "Ping the server",
    since: "1.0.0",
    group: "connection",
    complexity: "O(1)",
    arguments: &[string("message").optional()],
    ..Meta::EMPTY
};

/// `GET key`
pub static GET: Meta = Meta {
    name: "get",
    arity: 2,
    flags: &["readonly", "fast"],
    keys: (1, 1, 1),
    acl_categories: &["@read", "@string", "@fast"],
    key_specs: &[one_key(1, RO_ACCESS)],
    summary: "Get the value of a key",
    since: "1.0.0",
    group: "string",
    complexity: "O(1)",
    arguments: &[KEY],
    ..Meta::EMPTY
};

/// ```text
/// SET key value [NX | XX] [GET] [EX seconds | PX milliseconds | EXAT unix-time-seconds | PXAT
///     unix-time-milliseconds | KEEPTTL]
/// ```
pub static SET: Meta = Meta {
    name: "set",
    arity: -3,
    flags: &["write", "denyoom"],
    keys: (1, 1, 1),
    acl_categories: &["@write", "@string", "@slow"],
    key_specs: &[one_key(1, RW_ACCESS_UPDATE_VARIABLE_FLAGS)
        .notes("RW and ACCESS due to the optional `GET` argument")],
    summary: "Set the string value of a key",
    since: "1.0.0",
    group: "string",
    complexity: "O(1)",
    history: &[
        ("2.6.12", "Added the `EX`, `PX`, `NX` and `XX` options."),
        ("6.0.0", "Added the `KEEPTTL` option."),
        ("6.2.0", "Added the `GET`, `EXAT` and `PXAT` option."),
        (
            "7.0.0",
            "Allowed the `NX` and `GET` options to be used together.",
        ),
    ],
    arguments: &[
        KEY,
        string("value"),
        oneof("condition", &[token("nx", "NX"), token("xx", "XX")])
            .since("2.6.12")
            .optional(),
        token("get", "GET").since("6.2.0").optional(),
        oneof(
            "expiration",
            &[
                integer("seconds").token("EX").since("2.6.12"),
                integer("milliseconds").token("PX").since("2.6.12"),
                unix_time("unix-time-seconds").token("EXAT").since("6.2.0"),
                unix_time("unix-time-milliseconds")
                    .token("PXAT")
                    .since("6.2.0"),
                token("keepttl", "KEEPTTL").since("6.0.0"),
            ],
        )
        .optional(),
    ],
    ..Meta::EMPTY
};

/// `INCR key`
pub static INCR: Meta = Meta {
    name: "incr",
    arity: 2,
    flags: &["write", "denyoom", "fast"],
    keys: (1, 1, 1),
    acl_categories: &["@write", "@string", "@fast"],
    key_specs: &[one_key(1, RW_ACCESS_UPDATE)],
    summary: "Increment the integer value of a key by one",
    since: "1.0.0",
    group: "string",
    complexity: "O(1)",
    arguments: &[KEY],
    ..Meta::EMPTY
};

/// `EXPIRE key seconds [NX | XX | GT | LT]`
pub static EXPIRE: Meta = Meta {
    name: "expire",
    arity: -3,
    flags: &["write", "fast"],
    keys: (1, 1, 1),
    acl_categories: &["@keyspace", "@write", "@fast"],
    key_specs: &[one_key(1, RW_UPDATE)],
    summary: "Set a key's time to live in seconds",
    since: "1.0.0",
    group: "generic",
    complexity: "O(1)",
    history: &[("7.0.0", "Added options: `NX`, `XX`, `GT` and `LT`.")],
    arguments: &[
        KEY,
        integer("seconds"),
        oneof(
            "condition",
            &[
                token("nx", "NX"),
                token("xx", "XX"),
                token("gt", "GT"),
                token("lt", "LT"),
            ],
        )
        .since("7.0.0")
        .optional(),
    ],
    ..Meta::EMPTY
};

/// `TTL key`
pub static TTL: Meta = Meta {
    name: "ttl",
    arity: 2,
    flags: &["readonly", "fast"],
    keys: (1, 1, 1),
    acl_categories: &["@keyspace", "@read", "@fast"],
    tips: &["nondeterministic_output"],
    key_specs: &[one_key(1, RO_ACCESS)],
    summary: "Get the time to live for a key in seconds",
    since: "1.0.0",
    group: "generic",
    complexity: "O(1)",
    history: &[("2.8.0", "Added the -2 reply.")],
    arguments: &[KEY],
    ..Meta::EMPTY
};

// Strings.

/// `ECHO message`
pub static ECHO: Meta = Meta {
    name: "echo",
    arity: 2,
    flags: &["loading", "stale", "fast"],
    acl_categories: &["@fast", "@connection"],
    summary: "Echo the given string",
    since: "1.0.0",
    group: "connection",
    complexity: "O(1)",
    arguments: &[string("message")],
    ..Meta::EMPTY
};

/// `SETNX key value`
pub static SETNX: Meta = Meta {
    name: "setnx",
    arity: 3,
    flags: &["write", "denyoom", "fast"],
    keys: (1, 1, 1),
    acl_categories: &["@write", "@string", "@fast"],
    key_specs: &[one_key(1, OW_INSERT)],
    summary: "Set the value of a key, only if the key does not exist",
    since: "1.0.0",
    group: "string",
    complexity: "O(1)",
    arguments: &[KEY, string("value")],
    ..Meta::EMPTY
};

/// `SETEX key seconds value`
pub static SETEX: Meta = Meta {
    name: "setex",
    arity: 4,
    flags: &["write", "denyoom"],
    keys: (1, 1, 1),
    acl_categories: &["@write", "@string", "@slow"],
    key_specs: &[one_key(1, OW_UPDATE)],
    summary: "Set the value and expiration of a key",
    since: "2.0.0",
    group: "string",
    complexity: "O(1)",
    arguments: &[KEY, integer("seconds"), string("value")],
    ..Meta::EMPTY
};

/// `PSETEX key milliseconds value`
pub static PSETEX: Meta = Meta {
    name: "psetex",
    arity: 4,
    flags: &["write", "denyoom"],
    keys: (1, 1, 1),
    acl_categories: &["@write", "@string", "@slow"],
    key_specs: &[one_key(1, OW_UPDATE)],
    summary: "Set the value and expiration in milliseconds of a key",
    since: "2.6.0",
    group: "string",
    complexity: "O(1)",
    arguments: &[KEY, integer("milliseconds"), string("value")],
    ..Meta::EMPTY
};

/// `GETSET key value`
pub static GETSET: Meta = Meta {
    name: "getset",
    arity: 3,
    flags: &["write", "denyoom", "fast"],
    keys: (1, 1, 1),
    acl_categories: &["@write", "@string", "@fast"],
    key_specs: &[one_key(1, RW_ACCESS_UPDATE)],
    summary: "Set the string value of a key and return its old value",
    since: "1.0.0",
    group: "string",
    complexity: "O(1)",
    doc_flags: &["deprecated"],
    deprecated_since: Some("6.2.0"),
    replaced_by: Some("`SET` with the `!GET` argument"),
    arguments: &[KEY, string("value")],
    ..Meta::EMPTY
};

/// `GETDEL key`
pub static GETDEL: Meta = Meta {
    name: "getdel",
    arity: 2,
    flags: &["write", "fast"],
    keys: (1, 1, 1),
    acl_categories: &["@write", "@string", "@fast"],
    key_specs: &[one_key(1, RW_ACCESS_DELETE)],
    summary: "Get the value of a key and delete the key",
    since: "6.2.0",
    group: "string",
    complexity: "O(1)",
    arguments: &[KEY],
    ..Meta::EMPTY
};

/// `MGET key [key ...]`
pub static MGET: Meta = Meta {
    name: "mget",
    arity: -2,
    flags: &["readonly", "fast"],
    keys: (1, -1, 1),
    acl_categories: &["@read", "@string", "@fast"],
    tips: &["request_policy:multi_shard"],
    key_specs: &[key_range(1, -1, 1, RO_ACCESS)],
    summary: "Get the values of all the given keys",
    since: "1.0.0",
    group: "string",
    complexity: "O(N) where N is the number of keys to retrieve.",
    arguments: &[key("key", 0).multiple()],
    ..Meta::EMPTY
};

/// `MSET key value [key value ...]`
pub static MSET: Meta = Meta {
    name: "mset",
    arity: -3,
    flags: &["write", "denyoom"],
    keys: (1, -1, 2),
    acl_categories: &["@write", "@string", "@slow"],
    tips: &[
        "request_policy:multi_shard",
        "response_policy:all_succeeded",
    ],
    key_specs: &[key_range(1, -1, 2, OW_UPDATE)],
    summary: "Set multiple keys to multiple values",
    since: "1.0.1",
    group: "string",
    complexity: "O(N) where N is the number of keys to set.",
    arguments: &[block("key_value", &[KEY, string("value")]).multiple()],
    ..Meta::EMPTY
};

/// `MSETNX key value [key value ...]`
pub static MSETNX: Meta = Meta {
    name: "msetnx",
    arity: -3,
    flags: &["write", "denyoom"],
    keys: (1, -1, 2),
    acl_categories: &["@write", "@string", "@slow"],
    tips: &["request_policy:multi_shard", "response_policy:agg_min"],
    key_specs: &[key_range(1, -1, 2, OW_INSERT)],
    summary: "Set multiple keys to multiple values, only if none of the keys \
        exist",
    since: "1.0.1",
    group: "string",
    complexity: "O(N) where N is the number of keys to set.",
    arguments: &[block("key_value", &[KEY, string("value")]).multiple()],
    ..Meta::EMPTY
};

/// `DECR key`
pub static DECR: Meta = Meta {
    name: "decr",
    arity: 2,
    flags: &["write", "denyoom", "fast"],
    keys: (1, 1, 1),
    acl_categories: &["@write", "@string", "@fast"],
    key_specs: &[one_key(1, RW_ACCESS_UPDATE)],
    summary: "Decrement the integer value of a key by one",
    since: "1.0.0",
    group: "string",
    complexity: "O(1)",
    arguments: &[KEY],
    ..Meta::EMPTY
};

/// `INCRBY key increment`
pub static INCRBY: Meta = Meta {
    name: "incrby",
    arity: 3,
    flags: &["write", "denyoom", "fast"],
    keys: (1, 1, 1),
    acl_categories: &["@write", "@string", "@fast"],
    key_specs: &[one_key(1, RW_ACCESS_UPDATE)],
    summary: "Increment the integer value of a key by the given amount",
    since: "1.0.0",
    group: "string",
    complexity: "O(1)",
    arguments: &[KEY, integer("increment")],
    ..Meta::EMPTY
};

/// `DECRBY key decrement`
pub static DECRBY: Meta = Meta {
    name: "decrby",
    arity: 3,
    flags: &["write", "denyoom", "fast"],
    keys: (1, 1, 1),
    acl_categories: &["@write", "@string", "@fast"],
    key_specs: &[one_key(1, RW_ACCESS_UPDATE)],
    summary: "Decrement the integer value of a key by the given number",
    since: "1.0.0",
    group: "string",
    complexity: "O(1)",
    arguments: &[KEY, integer("decrement")],
    ..Meta::EMPTY
};

/// `APPEND key value`
pub static APPEND: Meta = Meta {
    name: "append",
    arity: 3,
    flags: &["write", "denyoom", "fast"],
    keys: (1, 1, 1),
    acl_categories: &["@write", "@string", "@fast"],
    key_specs: &[one_key(1, RW_INSERT)],
    summary: "Append a value to a key",
    since: "2.0.0",
    group: "string",
    complexity: "O(1). The amortized time complexity is O(1) assuming the \
        appended value is small and the already present value is of any \
        size, since the dynamic string library used by Redis will double \
        the free space available on every reallocation.",
    arguments: &[KEY, string("value")],
    ..Meta::EMPTY
};

/// `STRLEN key`
pub static STRLEN: Meta = Meta {
    name: "strlen",
    arity: 2,
    flags: &["readonly", "fast"],
    keys: (1, 1, 1),
    acl_categories: &["@read", "@string", "@fast"],
    key_specs: &[one_key(1, RO)],
    summary: "Get the length of the value stored in a key",
    since: "2.2.0",
    group: "string",
    complexity: "O(1)",
    arguments: &[KEY],
    ..Meta::EMPTY
};

// Keys.

/// `DEL key [key ...]`
pub static DEL: Meta = Meta {
    name: "del",
    arity: -2,
    flags: &["write"],
    keys: (1, -1, 1),
    acl_categories: &["@keyspace", "@write", "@slow"],
    tips: &["request_policy:multi_shard", "response_policy:agg_sum"],
    key_specs: &[key_range(1, -1, 1, RM_DELETE)],
    summary: "Delete a key",
    since: "1.0.0",
    group: "generic",
    complexity: "O(N) where N is the number of keys that will be removed. When a \
        key to remove holds a value other than a string, the individual \
        complexity for this key is O(M) where M is the number of \
        elements in the list, set, sorted set or hash. Removing a single \
        key that holds a string value is O(1).",
    arguments: &[key("key", 0).multiple()],
    ..Meta::EMPTY
};

/// `UNLINK key [key ...]`
pub static UNLINK: Meta = Meta {
    name: "unlink",
    arity: -2,
    flags: &["write", "fast"],
    keys: (1, -1, 1),
    acl_categories: &["@keyspace", "@write", "@fast"],
    tips: &["request_policy:multi_shard", "response_policy:agg_sum"],
    key_specs: &[key_range(1, -1, 1, RM_DELETE)],
    summary: "Delete a key asynchronously in another thread. Otherwise it is \
        just as DEL, but non blocking.",
    since: "4.0.0",
    group: "generic",
    complexity: "O(1) for each key removed regardless of its size. Then the \
        command does O(N) work in a different thread in order to reclaim \
        memory, where N is the number of allocations the deleted objects \
        where composed of.",
    arguments: &[key("key", 0).multiple()],
    ..Meta::EMPTY
};

/// `EXISTS key [key ...]`
pub static EXISTS: Meta = Meta {
    name: "exists",
    arity: -2,
    flags: &["readonly", "fast"],
    keys: (1, -1, 1),
    acl_categories: &["@keyspace", "@read", "@fast"],
    tips: &["request_policy:multi_shard", "response_policy:agg_sum"],
    key_specs: &[key_range(1, -1, 1, RO)],
    summary: "Determine if a key exists",
    since: "1.0.0",
    group: "generic",
    complexity: "O(N) where N is the number of keys to check.",
    history: &[("3.0.3", "Accepts multiple `key` arguments.")],
    arguments: &[key("key", 0).multiple()],
    ..Meta::EMPTY
};

/// `TYPE key`
pub static TYPE: Meta = Meta {
    name: "type",
    arity: 2,
    flags: &["readonly", "fast"],
    keys: (1, 1, 1),
    acl_categories: &["@keyspace", "@read", "@fast"],
    key_specs: &[one_key(1, RO)],
    summary: "Determine the type stored at key",
    since: "1.0.0",
    group: "generic",
    complexity: "O(1)",
    arguments: &[KEY],
    ..Meta::EMPTY
};

/// `KEYS pattern`
pub static KEYS: Meta = Meta {
    name: "keys",
    arity: 2,
    flags: &["readonly"],
    acl_categories: &["@keyspace", "@read", "@slow", "@dangerous"],
    tips: &["request_policy:all_shards", "nondeterministic_output_order"],
    summary: "Find all keys matching the given pattern",
    since: "1.0.0",
    group: "generic",
    complexity: "O(N) with N being the number of keys in the database, under the \
        assumption that the key names in the database and the given \
        pattern have limited length.",
    arguments: &[pattern("pattern")],
    ..Meta::EMPTY
};

/// `PEXPIRE key milliseconds [NX | XX | GT | LT]`
pub static PEXPIRE: Meta = Meta {
    name: "pexpire",
    arity: -3,
    flags: &["write", "fast"],
    keys: (1, 1, 1),
    acl_categories: &["@keyspace", "@write", "@fast"],
    key_specs: &[one_key(1, RW_UPDATE)],
    summary: "Set a key's time to live in milliseconds",
    since: "2.6.0",
    group: "generic",
    complexity: "O(1)",
    history: &[("7.0.0", "Added options: `NX`, `XX`, `GT` and `LT`.")],
    arguments: &[
        KEY,
        integer("milliseconds"),
        oneof(
            "condition",
            &[
                token("nx", "NX"),
                token("xx", "XX"),
                token("gt", "GT"),
                token("lt", "LT"),
            ],
        )
        .since("7.0.0")
        .optional(),
    ],
    ..Meta::EMPTY
};

/// `EXPIREAT key unix-time-seconds [NX | XX | GT | LT]`
pub static EXPIREAT: Meta = Meta {
    name: "expireat",
    arity: -3,
    flags: &["write", "fast"],
    keys: (1, 1, 1),
    acl_categories: &["@keyspace", "@write", "@fast"],
    key_specs: &[one_key(1, RW_UPDATE)],
    summary: "Set the expiration for a key as a UNIX timestamp",
    since: "1.2.0",
    group: "generic",
    complexity: "O(1)",
    history: &[("7.0.0", "Added options: `NX`, `XX`, `GT` and `LT`.")],
    arguments: &[
        KEY,
        unix_time("unix-time-seconds"),
        oneof(
            "condition",
            &[
                token("nx", "NX"),
                token("xx", "XX"),
                token("gt", "GT"),
                token("lt", "LT"),
            ],
        )
        .since("7.0.0")
        .optional(),
    ],
    ..Meta::EMPTY
};

/// `PEXPIREAT key unix-time-milliseconds [NX | XX | GT | LT]`
pub static PEXPIREAT: Meta = Meta {
    name: "pexpireat",
    arity: -3,
    flags: &["write", "fast"],
    keys: (1, 1, 1),
    acl_categories: &["@keyspace", "@write", "@fast"],
    key_specs: &[one_key(1, RW_UPDATE)],
    summary: "Set the expiration for a key as a UNIX timestamp specified in \
        milliseconds",
    since: "2.6.0",
    group: "generic",
    complexity: "O(1)",
    history: &[("7.0.0", "Added options: `NX`, `XX`, `GT` and `LT`.")],
    arguments: &[
        KEY,
        unix_time("unix-time-milliseconds"),
        oneof(
            "condition",
            &[
                token("nx", "NX"),
                token("xx", "XX"),
                token("gt", "GT"),
                token("lt", "LT"),
            ],
        )
        .since("7.0.0")
        .optional(),
    ],
    ..Meta::EMPTY
};

/// `PTTL key`
pub static PTTL: Meta = Meta {
    name: "pttl",
    arity: 2,
    flags: &["readonly", "fast"],
    keys: (1, 1, 1),
    acl_categories: &["@keyspace", "@read", "@fast"],
    tips: &["nondeterministic_output"],
    key_specs: &[one_key(1, RO_ACCESS)],
    summary: "Get the time to live for a key in milliseconds",
    since: "2.6.0",
    group: "generic",
    complexity: "O(1)",
    history: &[("2.8.0", "Added the -2 reply.")],
    arguments: &[KEY],
    ..Meta::EMPTY
};

/// `EXPIRETIME key`
pub static EXPIRETIME: Meta = Meta {
    name: "expiretime",
    arity: 2,
    flags: &["readonly", "fast"],
    keys: (1, 1, 1),
    acl_categories: &["@keyspace", "@read", "@fast"],
    key_specs: &[one_key(1, RO_ACCESS)],
    summary: "Get the expiration Unix timestamp for a key",
    since: "7.0.0",
    group: "generic",
    complexity: "O(1)",
    arguments: &[KEY],
    ..Meta::EMPTY
};

/// `PEXPIRETIME key`
pub static PEXPIRETIME: Meta = Meta {
    name: "pexpiretime",
    arity: 2,
    flags: &["readonly", "fast"],
    keys: (1, 1, 1),
    acl_categories: &["@keyspace", "@read", "@fast"],
    key_specs: &[one_key(1, RO_ACCESS)],
    summary: "Get the expiration Unix timestamp for a key in milliseconds",
    since: "7.0.0",
    group: "generic",
    complexity: "O(1)",
    arguments: &[KEY],
    ..Meta::EMPTY
};

/// `PERSIST key`
pub static PERSIST: Meta = Meta {
    name: "persist",
    arity: 2,
    flags: &["write", "fast"],
    keys: (1, 1, 1),
    acl_categories: &["@keyspace", "@write", "@fast"],
    key_specs: &[one_key(1, RW_UPDATE)],
    summary: "Remove the expiration from a key",
    since: "2.2.0",
    group: "generic",
    complexity: "O(1)",
    arguments: &[KEY],
    ..Meta::EMPTY
};

// Connection.

/// `HELLO [protover [AUTH username password] [SETNAME clientname]]`
pub static HELLO: Meta = Meta {
    name: "hello",
    arity: -1,
    flags: BEFORE_AUTH,
    acl_categories: &["@fast", "@connection"],
    summary: "Handshake with Redis",
    since: "6.0.0",
    group: "connection",
    complexity: "O(1)",
    history: &[(
        "6.2.0",
        "`protover` made optional; when called without arguments the \
        command reports the current connection's context.",
    )],
    arguments: &[block(
        "arguments",
        &[
            integer("protover"),
            block(
                "username_password",
                &[string("username"), string("password")],
            )
            .token("AUTH")
            .optional(),
            string("clientname").token("SETNAME").optional(),
        ],
    )
    .optional()],
    ..Meta::EMPTY
};

/// `AUTH [username] password`
pub static AUTH: Meta = Meta {
    name: "auth",
    arity: -2,
    flags: BEFORE_AUTH,
    acl_categories: &["@fast", "@connection"],
    summary: "Authenticate to the server",
    since: "1.0.0",
    group: "connection",
    complexity: "O(N) where N is the number of passwords defined for the user",
    history: &[("6.0.0", "Added ACL style (username and password).")],
    arguments: &[
        string("username").since("6.0.0").optional(),
        string("password"),
    ],
    ..Meta::EMPTY
};

/// `QUIT`
pub static QUIT: Meta = Meta {
    name: "quit",
    arity: -1,
    flags: BEFORE_AUTH,
    acl_categories: &["@fast", "@connection"],
    summary: "Close the connection",
    since: "1.0.0",
    group: "connection",
    complexity: "O(1)",
    ..Meta::EMPTY
};

/// `SELECT index`
pub static SELECT: Meta = Meta {
    name: "select",
    arity: 2,
    flags: &["loading", "stale", "fast"],
    acl_categories: &["@fast", "@connection"],
    summary: "Change the selected database for the current connection",
    since: "1.0.0",
    group: "connection",
    complexity: "O(1)",
    arguments: &[integer("index")],
    ..Meta::EMPTY
};

/// `CLIENT`
pub static CLIENT: Meta = Meta {
    name: "client",
    arity: -2,
    acl_categories: &["@slow"],
    subcommands: &[
        &CLIENT_ID,
        &CLIENT_GETNAME,
        &CLIENT_SETNAME,
        &CLIENT_SETINFO,
        &CLIENT_HELP,
    ],
    summary: "A container for client connection commands",
    since: "2.4.0",
    group: "connection",
    complexity: "Depends on subcommand.",
    ..Meta::EMPTY
};

/// `CLIENT ID`
pub static CLIENT_ID: Meta = Meta {
    name: "client|id",
    arity: 2,
    flags: &["noscript", "loading", "stale"],
    acl_categories: &["@slow", "@connection"],
    summary: "Returns the client ID for the current connection",
    since: "5.0.0",
    group: "connection",
    complexity: "O(1)",
    ..Meta::EMPTY
};

/// `CLIENT GETNAME`
pub static CLIENT_GETNAME: Meta = Meta {
    name: "client|getname",
    arity: 2,
    flags: &["noscript", "loading", "stale"],
    acl_categories: &["@slow", "@connection"],
    summary: "Get the current connection name",
    since: "2.6.9",
    group: "connection",
    complexity: "O(1)",
    ..Meta::EMPTY
};

/// `CLIENT SETNAME connection-name`
pub static CLIENT_SETNAME: Meta = Meta {
    name: "client|setname",
    arity: 3,
    flags: &["noscript", "loading", "stale"],
    acl_categories: &["@slow", "@connection"],
    summary: "Set the current connection name",
    since: "2.6.9",
    group: "connection",
    complexity: "O(1)",
    arguments: &[string("connection-name")],
    ..Meta::EMPTY
};

/// `CLIENT SETINFO <lib-name libname | lib-ver libver>`
///
/// Redis 7.0 has no CLIENT SETINFO: this is what Redis 7.2.0 documents for it
/// (flags, ACL categories, arguments), as 7.0 would send it. Its tips are
/// left empty, like CLIENT SETNAME's in 7.0: whether 7.2 gives it any (later
/// versions do) could not be checked against a running 7.2.
pub static CLIENT_SETINFO: Meta = Meta {
    name: "client|setinfo",
    arity: 4,
    flags: &["noscript", "loading", "stale"],
    acl_categories: &["@slow", "@connection"],
    summary: "Sets information specific to the client or connection.",
    since: "7.2.0",
    group: "connection",
    complexity: "O(1)",
    arguments: &[oneof(
        "attr",
        &[
            string("libname").token("lib-name"),
            string("libver").token("lib-ver"),
        ],
    )],
    ..Meta::EMPTY
};

/// `CLIENT HELP`
pub static CLIENT_HELP: Meta = Meta {
    name: "client|help",
    arity: 2,
    flags: &["loading", "stale"],
    acl_categories: &["@slow", "@connection"],
    summary: "Show helpful text about the different subcommands",
    since: "5.0.0",
    group: "connection",
    complexity: "O(1)",
    ..Meta::EMPTY
};

// Server.

/// `DBSIZE`
pub static DBSIZE: Meta = Meta {
    name: "dbsize",
    arity: 1,
    flags: &["readonly", "fast"],
    acl_categories: &["@keyspace", "@read", "@fast"],
    tips: &["request_policy:all_shards", "response_policy:agg_sum"],
    summary: "Return the number of keys in the selected database",
    since: "1.0.0",
    group: "server",
    complexity: "O(1)",
    ..Meta::EMPTY
};

/// `FLUSHDB [ASYNC | SYNC]`
pub static FLUSHDB: Meta = Meta {
    name: "flushdb",
    arity: -1,
    flags: &["write"],
    acl_categories: &["@keyspace", "@write", "@slow", "@dangerous"],
    tips: &["request_policy:all_shards", "response_policy:all_succeeded"],
    summary: "Remove all keys from the current database",
    since: "1.0.0",
    group: "server",
    complexity: "O(N) where N is the number of keys in the selected database",
    history: &[
        ("4.0.0", "Added the `ASYNC` flushing mode modifier."),
        ("6.2.0", "Added the `SYNC` flushing mode modifier."),
    ],
    arguments: &[oneof(
        "async",
        &[
            token("async", "ASYNC").since("4.0.0"),
            token("sync", "SYNC").since("6.2.0"),
        ],
    )
    .optional()],
    ..Meta::EMPTY
};

/// `FLUSHALL [ASYNC | SYNC]`
pub static FLUSHALL: Meta = Meta {
    name: "flushall",
    arity: -1,
    flags: &["write"],
    acl_categories: &["@keyspace", "@write", "@slow", "@dangerous"],
    tips: &["request_policy:all_shards", "response_policy:all_succeeded"],
    summary: "Remove all keys from all databases",
    since: "1.0.0",
    group: "server",
    complexity: "O(N) where N is the total number of keys in all databases",
    history: &[
        ("4.0.0", "Added the `ASYNC` flushing mode modifier."),
        ("6.2.0", "Added the `SYNC` flushing mode modifier."),
    ],
    arguments: &[oneof(
        "async",
        &[
            token("async", "ASYNC").since("4.0.0"),
            token("sync", "SYNC").since("6.2.0"),
        ],
    )
    .optional()],
    ..Meta::EMPTY
};

/// `COMMAND`
pub static COMMAND: Meta = Meta {
    name: "command",
    arity: -1,
    flags: &["loading", "stale"],
    acl_categories: &["@slow", "@connection"],
    tips: &["nondeterministic_output_order"],
    subcommands: &[
        &COMMAND_COUNT,
        &COMMAND_LIST,
        &COMMAND_INFO,
        &COMMAND_DOCS,
        &COMMAND_GETKEYS,
        &COMMAND_HELP,
    ],
    summary: "Get array of Redis command details",
    since: "2.8.13",
    group: "server",
    complexity: "O(N) where N is the total number of Redis commands",
    ..Meta::EMPTY
};

/// `COMMAND COUNT`
pub static COMMAND_COUNT: Meta = Meta {
    name: "command|count",
    arity: 2,
    flags: &["loading", "stale"],
    acl_categories: &["@slow", "@connection"],
    summary: "Get total number of Redis commands",
    since: "2.8.13",
    group: "server",
    complexity: "O(1)",
    ..Meta::EMPTY
};

/// `COMMAND LIST [FILTERBY MODULE module-name | ACLCAT category | PATTERN pattern]`
pub static COMMAND_LIST: Meta = Meta {
    name: "command|list",
    arity: -2,
    flags: &["loading", "stale"],
    acl_categories: &["@slow", "@connection"],
    tips: &["nondeterministic_output_order"],
    summary: "Get an array of Redis command names",
    since: "7.0.0",
    group: "server",
    complexity: "O(N) where N is the total number of Redis commands",
    arguments: &[oneof(
        "filterby",
        &[
            string("module-name").token("MODULE"),
            string("category").token("ACLCAT"),
            pattern("pattern").token("PATTERN"),
        ],
    )
    .token("FILTERBY")
    .optional()],
    ..Meta::EMPTY
};

/// `COMMAND INFO [command-name [command-name ...]]`
pub static COMMAND_INFO: Meta = Meta {
    name: "command|info",
    arity: -2,
    flags: &["loading", "stale"],
    acl_categories: &["@slow", "@connection"],
    tips: &["nondeterministic_output_order"],
    summary: "Get array of specific Redis command details, or all when no \
        argument is given.",
    since: "2.8.13",
    group: "server",
    complexity: "O(N) where N is the number of commands to look up",
    history: &[(
        "7.0.0",
        "Allowed to be called with no argument to get info on all \
        commands.",
    )],
    arguments: &[string("command-name").optional().multiple()],
    ..Meta::EMPTY
};

/// `COMMAND DOCS [command-name [command-name ...]]`
pub static COMMAND_DOCS: Meta = Meta {
    name: "command|docs",
    arity: -2,
    flags: &["loading", "stale"],
    acl_categories: &["@slow", "@connection"],
    tips: &["nondeterministic_output_order"],
    summary: "Get array of specific Redis command documentation",
    since: "7.0.0",
    group: "server",
    complexity: "O(N) where N is the number of commands to look up",
    arguments: &[string("command-name").optional().multiple()],
    ..Meta::EMPTY
};

/// `COMMAND GETKEYS`
pub static COMMAND_GETKEYS: Meta = Meta {
    name: "command|getkeys",
    arity: -4,
    flags: &["loading", "stale"],
    acl_categories: &["@slow", "@connection"],
    summary: "Extract keys given a full Redis command",
    since: "2.8.13",
    group: "server",
    complexity: "O(N) where N is the number of arguments to the command",
    ..Meta::EMPTY
};

/// `COMMAND HELP`
pub static COMMAND_HELP: Meta = Meta {
    name: "command|help",
    arity: 2,
    flags: &["loading", "stale"],
    acl_categories: &["@slow", "@connection"],
    summary: "Show helpful text about the different subcommands",
    since: "5.0.0",
    group: "server",
    complexity: "O(1)",
    ..Meta::EMPTY
};

/// `CONFIG`
pub static CONFIG: Meta = Meta {
    name: "config",
    arity: -2,
    acl_categories: &["@slow"],
    subcommands: &[&CONFIG_GET, &CONFIG_SET, &CONFIG_HELP],
    summary: "A container for server configuration commands",
    since: "2.0.0",
    group: "server",
    complexity: "Depends on subcommand.",
    ..Meta::EMPTY
};

/// `CONFIG GET parameter [parameter ...]`
pub static CONFIG_GET: Meta = Meta {
    name: "config|get",
    arity: -3,
    flags: &["admin", "noscript", "loading", "stale"],
    acl_categories: &["@admin", "@slow", "@dangerous"],
    summary: "Get the values of configuration parameters",
    since: "2.0.0",
    group: "server",
    complexity: "O(N) when N is the number of configuration parameters provided",
    history: &[(
        "7.0.0",
        "Added the ability to pass multiple pattern parameters in one \
        call",
    )],
    arguments: &[block("parameter", &[string("parameter")]).multiple()],
    ..Meta::EMPTY
};

/// `CONFIG SET parameter value [parameter value ...]`
pub static CONFIG_SET: Meta = Meta {
    name: "config|set",
    arity: -4,
    flags: &["admin", "noscript", "loading", "stale"],
    acl_categories: &["@admin", "@slow", "@dangerous"],
    tips: &["request_policy:all_nodes", "response_policy:all_succeeded"],
    summary: "Set configuration parameters to the given values",
    since: "2.0.0",
    group: "server",
    complexity: "O(N) when N is the number of configuration parameters provided",
    history: &[(
        "7.0.0",
        "Added the ability to set multiple parameters in one call.",
    )],
    arguments: &[block("parameter_value", &[string("parameter"), string("value")]).multiple()],
    ..Meta::EMPTY
};

/// `CONFIG HELP`
pub static CONFIG_HELP: Meta = Meta {
    name: "config|help",
    arity: 2,
    flags: &["loading", "stale"],
    acl_categories: &["@slow"],
    summary: "Show helpful text about the different subcommands",
    since: "5.0.0",
    group: "server",
    complexity: "O(1)",
    ..Meta::EMPTY
};

/// `ACL`
pub static ACL: Meta = Meta {
    name: "acl",
    arity: -2,
    acl_categories: &["@slow"],
    subcommands: &[
        &ACL_WHOAMI,
        &ACL_USERS,
        &ACL_LIST,
        &ACL_GETUSER,
        &ACL_SETUSER,
        &ACL_LOAD,
        &ACL_SAVE,
        &ACL_HELP,
    ],
    summary: "A container for Access List Control commands ",
    since: "6.0.0",
    group: "server",
    complexity: "Depends on subcommand.",
    ..Meta::EMPTY
};

/// `ACL WHOAMI`
pub static ACL_WHOAMI: Meta = Meta {
    name: "acl|whoami",
    arity: 2,
    flags: &["noscript", "loading", "stale"],
    acl_categories: &["@slow"],
    summary: "Return the name of the user associated to the current connection",
    since: "6.0.0",
    group: "server",
    complexity: "O(1)",
    ..Meta::EMPTY
};

/// `ACL USERS`
pub static ACL_USERS: Meta = Meta {
    name: "acl|users",
    arity: 2,
    flags: &["admin", "noscript", "loading", "stale"],
    acl_categories: &["@admin", "@slow", "@dangerous"],
    summary: "List the username of all the configured ACL rules",
    since: "6.0.0",
    group: "server",
    complexity: "O(N). Where N is the number of configured users.",
    ..Meta::EMPTY
};

/// `ACL LIST`
pub static ACL_LIST: Meta = Meta {
    name: "acl|list",
    arity: 2,
    flags: &["admin", "noscript", "loading", "stale"],
    acl_categories: &["@admin", "@slow", "@dangerous"],
    summary: "List the current ACL rules in ACL config file format",
    since: "6.0.0",
    group: "server",
    complexity: "O(N). Where N is the number of configured users.",
    ..Meta::EMPTY
};

/// `ACL GETUSER`
pub static ACL_GETUSER: Meta = Meta {
    name: "acl|getuser",
    arity: 3,
    flags: &["admin", "noscript", "loading", "stale"],
    acl_categories: &["@admin", "@slow", "@dangerous"],
    summary: "Get the rules for a specific ACL user",
    since: "6.0.0",
    group: "server",
    complexity:
        "O(N). Where N is the number of password, command and pattern rules that the user has.",
    history: &[
        ("6.2.0", "Added Pub/Sub channel patterns."),
        (
            "7.0.0",
            "Added selectors and changed the format of key and channel \
            patterns from a list to their rule representation.",
        ),
    ],
    arguments: &[string("username")],
    ..Meta::EMPTY
};

/// `ACL SETUSER`
pub static ACL_SETUSER: Meta = Meta {
    name: "acl|setuser",
    arity: -3,
    flags: &["admin", "noscript", "loading", "stale"],
    acl_categories: &["@admin", "@slow", "@dangerous"],
    summary: "Modify or create the rules for a specific ACL user",
    since: "6.0.0",
    group: "server",
    complexity: "O(N). Where N is the number of rules provided.",
    history: &[
        ("6.2.0", "Added Pub/Sub channel patterns."),
        ("7.0.0", "Added selectors and key based permissions."),
    ],
    arguments: &[string("username"), string("rule").optional().multiple()],
    ..Meta::EMPTY
};

/// `ACL LOAD`
pub static ACL_LOAD: Meta = Meta {
    name: "acl|load",
    arity: 2,
    flags: &["admin", "noscript", "loading", "stale"],
    acl_categories: &["@admin", "@slow", "@dangerous"],
    summary: "Reload the ACLs from the configured ACL file",
    since: "6.0.0",
    group: "server",
    complexity: "O(N). Where N is the number of configured users.",
    ..Meta::EMPTY
};

/// `ACL SAVE`
pub static ACL_SAVE: Meta = Meta {
    name: "acl|save",
    arity: 2,
    flags: &["admin", "noscript", "loading", "stale"],
    acl_categories: &["@admin", "@slow", "@dangerous"],
    summary: "Save the current ACL rules in the configured ACL file",
    since: "6.0.0",
    group: "server",
    complexity: "O(N). Where N is the number of configured users.",
    ..Meta::EMPTY
};

/// `ACL HELP`
pub static ACL_HELP: Meta = Meta {
    name: "acl|help",
    arity: 2,
    flags: &["loading", "stale"],
    acl_categories: &["@slow"],
    summary: "Show helpful text about the different subcommands",
    since: "6.0.0",
    group: "server",
    complexity: "O(1)",
    ..Meta::EMPTY
};

/// `INFO [section [section ...]]`
pub static INFO: Meta = Meta {
    name: "info",
    arity: -1,
    flags: &["loading", "stale"],
    acl_categories: &["@slow", "@dangerous"],
    tips: &[
        "nondeterministic_output",
        "request_policy:all_shards",
        "response_policy:special",
    ],
    summary: "Get information and statistics about the server",
    since: "1.0.0",
    group: "server",
    complexity: "O(1)",
    history: &[(
        "7.0.0",
        "Added support for taking multiple section arguments.",
    )],
    arguments: &[string("section").optional().multiple()],
    ..Meta::EMPTY
};

/// `TIME`
pub static TIME: Meta = Meta {
    name: "time",
    arity: 1,
    flags: &["loading", "stale", "fast"],
    acl_categories: &["@fast"],
    tips: &["nondeterministic_output"],
    summary: "Return the current server time",
    since: "2.6.0",
    group: "server",
    complexity: "O(1)",
    ..Meta::EMPTY
};

/// `BGREWRITEAOF`
pub static BGREWRITEAOF: Meta = Meta {
    name: "bgrewriteaof",
    arity: 1,
    flags: &["admin", "noscript", "no_async_loading"],
    acl_categories: &["@admin", "@slow", "@dangerous"],
    summary: "Asynchronously rewrite the append-only file",
    since: "1.0.0",
    group: "server",
    complexity: "O(1)",
    ..Meta::EMPTY
};

/// `SHUTDOWN [NOSAVE | SAVE] [NOW] [FORCE] [ABORT]`
pub static SHUTDOWN: Meta = Meta {
    name: "shutdown",
    arity: -1,
    flags: &[
        "admin",
        "noscript",
        "loading",
        "stale",
        "no_multi",
        "allow_busy",
    ],
    acl_categories: &["@admin", "@slow", "@dangerous"],
    summary: "Synchronously save the dataset to disk and then shut down the \
        server",
    since: "1.0.0",
    group: "server",
    complexity: "O(N) when saving, where N is the total number of keys in all \
        databases when saving data, otherwise O(1)",
    history: &[("7.0.0", "Added the `NOW`, `FORCE` and `ABORT` modifiers.")],
    arguments: &[
        oneof(
            "nosave_save",
            &[token("nosave", "NOSAVE"), token("save", "SAVE")],
        )
        .optional(),
        token("now", "NOW").since("7.0.0").optional(),
        token("force", "FORCE").since("7.0.0").optional(),
        token("abort", "ABORT").since("7.0.0").optional(),
    ],
    ..Meta::EMPTY
};

// Not implemented yet: ready for the commands about to be added.

/// ```text
/// GETEX key [EX seconds | PX milliseconds | EXAT unix-time-seconds | PXAT
///     unix-time-milliseconds | PERSIST]
/// ```
pub static GETEX: Meta = Meta {
    name: "getex",
    arity: -2,
    flags: &["write", "fast"],
    keys: (1, 1, 1),
    acl_categories: &["@write", "@string", "@fast"],
    key_specs: &[one_key(1, RW_ACCESS_UPDATE).notes("RW and UPDATE because it changes the TTL")],
    summary: "Get the value of a key and optionally set its expiration",
    since: "6.2.0",
    group: "string",
    complexity: "O(1)",
    arguments: &[
        KEY,
        oneof(
            "expiration",
            &[
                integer("seconds").token("EX"),
                integer("milliseconds").token("PX"),
                unix_time("unix-time-seconds").token("EXAT"),
                unix_time("unix-time-milliseconds").token("PXAT"),
                token("persist", "PERSIST"),
            ],
        )
        .optional(),
    ],
    ..Meta::EMPTY
};

/// `GETRANGE key start end`
pub static GETRANGE: Meta = Meta {
    name: "getrange",
    arity: 4,
    flags: &["readonly"],
    keys: (1, 1, 1),
    acl_categories: &["@read", "@string", "@slow"],
    key_specs: &[one_key(1, RO_ACCESS)],
    summary: "Get a substring of the string stored at a key",
    since: "2.4.0",
    group: "string",
    complexity: "O(N) where N is the length of the returned string. The \
        complexity is ultimately determined by the returned length, but \
        because creating a substring from an existing string is very \
        cheap, it can be considered O(1) for small strings.",
    arguments: &[KEY, integer("start"), integer("end")],
    ..Meta::EMPTY
};

/// `SETRANGE key offset value`
pub static SETRANGE: Meta = Meta {
    name: "setrange",
    arity: 4,
    flags: &["write", "denyoom"],
    keys: (1, 1, 1),
    acl_categories: &["@write", "@string", "@slow"],
    key_specs: &[one_key(1, RW_UPDATE)],
    summary: "Overwrite part of a string at key starting at the specified \
        offset",
    since: "2.2.0",
    group: "string",
    complexity: "O(1), not counting the time taken to copy the new string in \
        place. Usually, this string is very small so the amortized \
        complexity is O(1). Otherwise, complexity is O(M) with M being \
        the length of the value argument.",
    arguments: &[KEY, integer("offset"), string("value")],
    ..Meta::EMPTY
};

/// `SUBSTR key start end`
pub static SUBSTR: Meta = Meta {
    name: "substr",
    arity: 4,
    flags: &["readonly"],
    keys: (1, 1, 1),
    acl_categories: &["@read", "@string", "@slow"],
    key_specs: &[one_key(1, RO_ACCESS)],
    summary: "Get a substring of the string stored at a key",
    since: "1.0.0",
    group: "string",
    complexity: "O(N) where N is the length of the returned string. The \
        complexity is ultimately determined by the returned length, but \
        because creating a substring from an existing string is very \
        cheap, it can be considered O(1) for small strings.",
    doc_flags: &["deprecated"],
    deprecated_since: Some("2.0.0"),
    replaced_by: Some("`GETRANGE`"),
    arguments: &[KEY, integer("start"), integer("end")],
    ..Meta::EMPTY
};

/// `INCRBYFLOAT key increment`
pub static INCRBYFLOAT: Meta = Meta {
    name: "incrbyfloat",
    arity: 3,
    flags: &["write", "denyoom", "fast"],
    keys: (1, 1, 1),
    acl_categories: &["@write", "@string", "@fast"],
    key_specs: &[one_key(1, RW_ACCESS_UPDATE)],
    summary: "Increment the float value of a key by the given amount",
    since: "2.6.0",
    group: "string",
    complexity: "O(1)",
    arguments: &[KEY, double("increment")],
    ..Meta::EMPTY
};

/// `LCS key1 key2 [LEN] [IDX] [MINMATCHLEN len] [WITHMATCHLEN]`
pub static LCS: Meta = Meta {
    name: "lcs",
    arity: -3,
    flags: &["readonly"],
    keys: (1, 2, 1),
    acl_categories: &["@read", "@string", "@slow"],
    key_specs: &[key_range(1, 1, 1, RO_ACCESS)],
    summary: "Find longest common substring",
    since: "7.0.0",
    group: "string",
    complexity: "O(N*M) where N and M are the lengths of s1 and s2, \
        respectively",
    arguments: &[
        key("key1", 0),
        key("key2", 0),
        token("len", "LEN").optional(),
        token("idx", "IDX").optional(),
        integer("len").token("MINMATCHLEN").optional(),
        token("withmatchlen", "WITHMATCHLEN").optional(),
    ],
    ..Meta::EMPTY
};

/// `RENAME key newkey`
pub static RENAME: Meta = Meta {
    name: "rename",
    arity: 3,
    flags: &["write"],
    keys: (1, 2, 1),
    acl_categories: &["@keyspace", "@write", "@slow"],
    key_specs: &[one_key(1, RW_ACCESS_DELETE), one_key(2, OW_UPDATE)],
    summary: "Rename a key",
    since: "1.0.0",
    group: "generic",
    complexity: "O(1)",
    arguments: &[KEY, key("newkey", 1)],
    ..Meta::EMPTY
};

/// `RENAMENX key newkey`
pub static RENAMENX: Meta = Meta {
    name: "renamenx",
    arity: 3,
    flags: &["write", "fast"],
    keys: (1, 2, 1),
    acl_categories: &["@keyspace", "@write", "@fast"],
    key_specs: &[one_key(1, RW_ACCESS_DELETE), one_key(2, OW_INSERT)],
    summary: "Rename a key, only if the new key does not exist",
    since: "1.0.0",
    group: "generic",
    complexity: "O(1)",
    history: &[(
        "3.2.0",
        "The command no longer returns an error when source and \
        destination names are the same.",
    )],
    arguments: &[KEY, key("newkey", 1)],
    ..Meta::EMPTY
};

/// `COPY source destination [DB destination-db] [REPLACE]`
pub static COPY: Meta = Meta {
    name: "copy",
    arity: -3,
    flags: &["write", "denyoom"],
    keys: (1, 2, 1),
    acl_categories: &["@keyspace", "@write", "@slow"],
    key_specs: &[one_key(1, RO_ACCESS), one_key(2, OW_UPDATE)],
    summary: "Copy a key",
    since: "6.2.0",
    group: "generic",
    complexity: "O(N) worst case for collections, where N is the number of \
        nested items. O(1) for string values.",
    arguments: &[
        key("source", 0),
        key("destination", 1),
        integer("destination-db").token("DB").optional(),
        token("replace", "REPLACE").optional(),
    ],
    ..Meta::EMPTY
};

/// `TOUCH key [key ...]`
pub static TOUCH: Meta = Meta {
    name: "touch",
    arity: -2,
    flags: &["readonly", "fast"],
    keys: (1, -1, 1),
    acl_categories: &["@keyspace", "@read", "@fast"],
    tips: &["request_policy:multi_shard", "response_policy:agg_sum"],
    key_specs: &[key_range(1, -1, 1, RO)],
    summary: "Alters the last access time of a key(s). Returns the number of \
        existing keys specified.",
    since: "3.2.1",
    group: "generic",
    complexity: "O(N) where N is the number of keys that will be touched.",
    arguments: &[key("key", 0).multiple()],
    ..Meta::EMPTY
};

/// `RANDOMKEY`
pub static RANDOMKEY: Meta = Meta {
    name: "randomkey",
    arity: 1,
    flags: &["readonly"],
    acl_categories: &["@keyspace", "@read", "@slow"],
    tips: &["request_policy:all_shards", "nondeterministic_output"],
    summary: "Return a random key from the keyspace",
    since: "1.0.0",
    group: "generic",
    complexity: "O(1)",
    ..Meta::EMPTY
};

/// `OBJECT`
pub static OBJECT: Meta = Meta {
    name: "object",
    arity: -2,
    acl_categories: &["@slow"],
    subcommands: &[
        &OBJECT_ENCODING,
        &OBJECT_FREQ,
        &OBJECT_IDLETIME,
        &OBJECT_REFCOUNT,
        &OBJECT_HELP,
    ],
    summary: "A container for object introspection commands",
    since: "2.2.3",
    group: "generic",
    complexity: "Depends on subcommand.",
    ..Meta::EMPTY
};

/// `OBJECT ENCODING key`
pub static OBJECT_ENCODING: Meta = Meta {
    name: "object|encoding",
    arity: 3,
    flags: &["readonly"],
    keys: (2, 2, 1),
    acl_categories: &["@keyspace", "@read", "@slow"],
    tips: &["nondeterministic_output"],
    key_specs: &[one_key(2, RO)],
    summary: "Inspect the internal encoding of a Redis object",
    since: "2.2.3",
    group: "generic",
    complexity: "O(1)",
    arguments: &[KEY],
    ..Meta::EMPTY
};

/// `OBJECT FREQ key`
pub static OBJECT_FREQ: Meta = Meta {
    name: "object|freq",
    arity: 3,
    flags: &["readonly"],
    keys: (2, 2, 1),
    acl_categories: &["@keyspace", "@read", "@slow"],
    tips: &["nondeterministic_output"],
    key_specs: &[one_key(2, RO)],
    summary: "Get the logarithmic access frequency counter of a Redis object",
    since: "4.0.0",
    group: "generic",
    complexity: "O(1)",
    arguments: &[KEY],
    ..Meta::EMPTY
};

/// `OBJECT IDLETIME key`
pub static OBJECT_IDLETIME: Meta = Meta {
    name: "object|idletime",
    arity: 3,
    flags: &["readonly"],
    keys: (2, 2, 1),
    acl_categories: &["@keyspace", "@read", "@slow"],
    tips: &["nondeterministic_output"],
    key_specs: &[one_key(2, RO)],
    summary: "Get the time since a Redis object was last accessed",
    since: "2.2.3",
    group: "generic",
    complexity: "O(1)",
    arguments: &[KEY],
    ..Meta::EMPTY
};

/// `OBJECT REFCOUNT key`
pub static OBJECT_REFCOUNT: Meta = Meta {
    name: "object|refcount",
    arity: 3,
    flags: &["readonly"],
    keys: (2, 2, 1),
    acl_categories: &["@keyspace", "@read", "@slow"],
    tips: &["nondeterministic_output"],
    key_specs: &[one_key(2, RO)],
    summary: "Get the number of references to the value of the key",
    since: "2.2.3",
    group: "generic",
    complexity: "O(1)",
    arguments: &[KEY],
    ..Meta::EMPTY
};

/// `OBJECT HELP`
pub static OBJECT_HELP: Meta = Meta {
    name: "object|help",
    arity: 2,
    flags: &["loading", "stale"],
    acl_categories: &["@keyspace", "@slow"],
    summary: "Show helpful text about the different subcommands",
    since: "6.2.0",
    group: "generic",
    complexity: "O(1)",
    ..Meta::EMPTY
};

/// `MEMORY`
pub static MEMORY: Meta = Meta {
    name: "memory",
    arity: -2,
    acl_categories: &["@slow"],
    subcommands: &[&MEMORY_USAGE, &MEMORY_HELP],
    summary: "A container for memory diagnostics commands",
    since: "4.0.0",
    group: "server",
    complexity: "Depends on subcommand.",
    ..Meta::EMPTY
};

/// `MEMORY USAGE key [SAMPLES count]`
pub static MEMORY_USAGE: Meta = Meta {
    name: "memory|usage",
    arity: -3,
    flags: &["readonly"],
    keys: (2, 2, 1),
    acl_categories: &["@read", "@slow"],
    key_specs: &[one_key(2, RO)],
    summary: "Estimate the memory usage of a key",
    since: "4.0.0",
    group: "server",
    complexity: "O(N) where N is the number of samples.",
    arguments: &[KEY, integer("count").token("SAMPLES").optional()],
    ..Meta::EMPTY
};

/// `MEMORY HELP`
pub static MEMORY_HELP: Meta = Meta {
    name: "memory|help",
    arity: 2,
    flags: &["loading", "stale"],
    acl_categories: &["@slow"],
    summary: "Show helpful text about the different subcommands",
    since: "4.0.0",
    group: "server",
    complexity: "O(1)",
    ..Meta::EMPTY
};

/// `SCAN cursor [MATCH pattern] [COUNT count] [TYPE type]`
pub static SCAN: Meta = Meta {
    name: "scan",
    arity: -2,
    flags: &["readonly"],
    acl_categories: &["@keyspace", "@read", "@slow"],
    tips: &["nondeterministic_output", "request_policy:special"],
    summary: "Incrementally iterate the keys space",
    since: "2.8.0",
    group: "generic",
    complexity: "O(1) for every call. O(N) for a complete iteration, including \
        enough command calls for the cursor to return back to 0. N is \
        the number of elements inside the collection.",
    history: &[("6.0.0", "Added the `TYPE` subcommand.")],
    arguments: &[
        integer("cursor"),
        pattern("pattern").token("MATCH").optional(),
        integer("count").token("COUNT").optional(),
        string("type").token("TYPE").since("6.0.0").optional(),
    ],
    ..Meta::EMPTY
};

use super::docs::{BeginSearch, FindKeys, KeySpec};

const RW_DELETE: &[&str] = &["RW", "delete"];

// Lists.

/// `LPUSH key element [element ...]`
pub static LPUSH: Meta = Meta {
    name: "lpush",
    arity: -3,
    flags: &["write", "denyoom", "fast"],
    keys: (1, 1, 1),
    acl_categories: &["@write", "@list", "@fast"],
    key_specs: &[one_key(1, RW_INSERT)],
    summary: "Prepend one or multiple elements to a list",
    since: "1.0.0",
    group: "list",
    complexity: "O(1) for each element added, so O(N) to add N elements when the \
        command is called with multiple arguments.",
    history: &[("2.4.0", "Accepts multiple `element` arguments.")],
    arguments: &[KEY, string("element").multiple()],
    ..Meta::EMPTY
};

/// `RPUSH key element [element ...]`
pub static RPUSH: Meta = Meta {
    name: "rpush",
    arity: -3,
    flags: &["write", "denyoom", "fast"],
    keys: (1, 1, 1),
    acl_categories: &["@write", "@list", "@fast"],
    key_specs: &[one_key(1, RW_INSERT)],
    summary: "Append one or multiple elements to a list",
    since: "1.0.0",
    group: "list",
    complexity: "O(1) for each element added, so O(N) to add N elements when the \
        command is called with multiple arguments.",
    history: &[("2.4.0", "Accepts multiple `element` arguments.")],
    arguments: &[KEY, string("element").multiple()],
    ..Meta::EMPTY
};

/// `LPUSHX key element [element ...]`
pub static LPUSHX: Meta = Meta {
    name: "lpushx",
    arity: -3,
    flags: &["write", "denyoom", "fast"],
    keys: (1, 1, 1),
    acl_categories: &["@write", "@list", "@fast"],
    key_specs: &[one_key(1, RW_INSERT)],
    summary: "Prepend an element to a list, only if the list exists",
    since: "2.2.0",
    group: "list",
    complexity: "O(1) for each element added, so O(N) to add N elements when the \
        command is called with multiple arguments.",
    history: &[("4.0.0", "Accepts multiple `element` arguments.")],
    arguments: &[KEY, string("element").multiple()],
    ..Meta::EMPTY
};

/// `RPUSHX key element [element ...]`
pub static RPUSHX: Meta = Meta {
    name: "rpushx",
    arity: -3,
    flags: &["write", "denyoom", "fast"],
    keys: (1, 1, 1),
    acl_categories: &["@write", "@list", "@fast"],
    key_specs: &[one_key(1, RW_INSERT)],
    summary: "Append an element to a list, only if the list exists",
    since: "2.2.0",
    group: "list",
    complexity: "O(1) for each element added, so O(N) to add N elements when the \
        command is called with multiple arguments.",
    history: &[("4.0.0", "Accepts multiple `element` arguments.")],
    arguments: &[KEY, string("element").multiple()],
    ..Meta::EMPTY
};

/// `LPOP key [count]`
pub static LPOP: Meta = Meta {
    name: "lpop",
    arity: -2,
    flags: &["write", "fast"],
    keys: (1, 1, 1),
    acl_categories: &["@write", "@list", "@fast"],
    key_specs: &[one_key(1, RW_ACCESS_DELETE)],
    summary: "Remove and get the first elements in a list",
    since: "1.0.0",
    group: "list",
    complexity: "O(N) where N is the number of elements returned",
    history: &[("6.2.0", "Added the `count` argument.")],
    arguments: &[KEY, integer("count").since("6.2.0").optional()],
    ..Meta::EMPTY
};

/// `RPOP key [count]`
pub static RPOP: Meta = Meta {
    name: "rpop",
    arity: -2,
    flags: &["write", "fast"],
    keys: (1, 1, 1),
    acl_categories: &["@write", "@list", "@fast"],
    key_specs: &[one_key(1, RW_ACCESS_DELETE)],
    summary: "Remove and get the last elements in a list",
    since: "1.0.0",
    group: "list",
    complexity: "O(N) where N is the number of elements returned",
    history: &[("6.2.0", "Added the `count` argument.")],
    arguments: &[KEY, integer("count").since("6.2.0").optional()],
    ..Meta::EMPTY
};

/// `LLEN key`
pub static LLEN: Meta = Meta {
    name: "llen",
    arity: 2,
    flags: &["readonly", "fast"],
    keys: (1, 1, 1),
    acl_categories: &["@read", "@list", "@fast"],
    key_specs: &[one_key(1, RO)],
    summary: "Get the length of a list",
    since: "1.0.0",
    group: "list",
    complexity: "O(1)",
    arguments: &[KEY],
    ..Meta::EMPTY
};

/// `LRANGE key start stop`
pub static LRANGE: Meta = Meta {
    name: "lrange",
    arity: 4,
    flags: &["readonly"],
    keys: (1, 1, 1),
    acl_categories: &["@read", "@list", "@slow"],
    key_specs: &[one_key(1, RO_ACCESS)],
    summary: "Get a range of elements from a list",
    since: "1.0.0",
    group: "list",
    complexity: "O(S+N) where S is the distance of start offset from HEAD for \
        small lists, from nearest end (HEAD or TAIL) for large lists; \
        and N is the number of elements in the specified range.",
    arguments: &[KEY, integer("start"), integer("stop")],
    ..Meta::EMPTY
};

/// `LINDEX key index`
pub static LINDEX: Meta = Meta {
    name: "lindex",
    arity: 3,
    flags: &["readonly"],
    keys: (1, 1, 1),
    acl_categories: &["@read", "@list", "@slow"],
    key_specs: &[one_key(1, RO_ACCESS)],
    summary: "Get an element from a list by its index",
    since: "1.0.0",
    group: "list",
    complexity: "O(N) where N is the number of elements to traverse to get to \
        the element at index. This makes asking for the first or the \
        last element of the list O(1).",
    arguments: &[KEY, integer("index")],
    ..Meta::EMPTY
};

/// `LSET key index element`
pub static LSET: Meta = Meta {
    name: "lset",
    arity: 4,
    flags: &["write", "denyoom"],
    keys: (1, 1, 1),
    acl_categories: &["@write", "@list", "@slow"],
    key_specs: &[one_key(1, RW_UPDATE)],
    summary: "Set the value of an element in a list by its index",
    since: "1.0.0",
    group: "list",
    complexity: "O(N) where N is the length of the list. Setting either the \
        first or the last element of the list is O(1).",
    arguments: &[KEY, integer("index"), string("element")],
    ..Meta::EMPTY
};

/// `LREM key count element`
pub static LREM: Meta = Meta {
    name: "lrem",
    arity: 4,
    flags: &["write"],
    keys: (1, 1, 1),
    acl_categories: &["@write", "@list", "@slow"],
    key_specs: &[one_key(1, RW_DELETE)],
    summary: "Remove elements from a list",
    since: "1.0.0",
    group: "list",
    complexity: "O(N+M) where N is the length of the list and M is the number of \
        elements removed.",
    arguments: &[KEY, integer("count"), string("element")],
    ..Meta::EMPTY
};

/// `LTRIM key start stop`
pub static LTRIM: Meta = Meta {
    name: "ltrim",
    arity: 4,
    flags: &["write"],
    keys: (1, 1, 1),
    acl_categories: &["@write", "@list", "@slow"],
    key_specs: &[one_key(1, RW_DELETE)],
    summary: "Trim a list to the specified range",
    since: "1.0.0",
    group: "list",
    complexity: "O(N) where N is the number of elements to be removed by the \
        operation.",
    arguments: &[KEY, integer("start"), integer("stop")],
    ..Meta::EMPTY
};

/// `LINSERT key <BEFORE | AFTER> pivot element`
pub static LINSERT: Meta = Meta {
    name: "linsert",
    arity: 5,
    flags: &["write", "denyoom"],
    keys: (1, 1, 1),
    acl_categories: &["@write", "@list", "@slow"],
    key_specs: &[one_key(1, RW_INSERT)],
    summary: "Insert an element before or after another element in a list",
    since: "2.2.0",
    group: "list",
    complexity: "O(N) where N is the number of elements to traverse before \
        seeing the value pivot. This means that inserting somewhere on \
        the left end on the list (head) can be considered O(1) and \
        inserting somewhere on the right end (tail) is O(N).",
    arguments: &[
        KEY,
        oneof(
            "where",
            &[token("before", "BEFORE"), token("after", "AFTER")],
        ),
        string("pivot"),
        string("element"),
    ],
    ..Meta::EMPTY
};

/// `LPOS key element [RANK rank] [COUNT num-matches] [MAXLEN len]`
pub static LPOS: Meta = Meta {
    name: "lpos",
    arity: -3,
    flags: &["readonly"],
    keys: (1, 1, 1),
    acl_categories: &["@read", "@list", "@slow"],
    key_specs: &[one_key(1, RO_ACCESS)],
    summary: "Return the index of matching elements on a list",
    since: "6.0.6",
    group: "list",
    complexity: "O(N) where N is the number of elements in the list, for the \
        average case. When searching for elements near the head or the \
        tail of the list, or when the MAXLEN option is provided, the \
        command may run in constant time.",
    arguments: &[
        KEY,
        string("element"),
        integer("rank").token("RANK").optional(),
        integer("num-matches").token("COUNT").optional(),
        integer("len").token("MAXLEN").optional(),
    ],
    ..Meta::EMPTY
};

/// `LMOVE source destination <LEFT | RIGHT> <LEFT | RIGHT>`
pub static LMOVE: Meta = Meta {
    name: "lmove",
    arity: 5,
    flags: &["write", "denyoom"],
    keys: (1, 2, 1),
    acl_categories: &["@write", "@list", "@slow"],
    key_specs: &[one_key(1, RW_ACCESS_DELETE), one_key(2, RW_INSERT)],
    summary: "Pop an element from a list, push it to another list and return \
        it",
    since: "6.2.0",
    group: "list",
    complexity: "O(1)",
    arguments: &[
        key("source", 0),
        key("destination", 1),
        oneof(
            "wherefrom",
            &[token("left", "LEFT"), token("right", "RIGHT")],
        ),
        oneof("whereto", &[token("left", "LEFT"), token("right", "RIGHT")]),
    ],
    ..Meta::EMPTY
};

/// `RPOPLPUSH source destination`
pub static RPOPLPUSH: Meta = Meta {
    name: "rpoplpush",
    arity: 3,
    flags: &["write", "denyoom"],
    keys: (1, 2, 1),
    acl_categories: &["@write", "@list", "@slow"],
    key_specs: &[one_key(1, RW_ACCESS_DELETE), one_key(2, RW_INSERT)],
    summary: "Remove the last element in a list, prepend it to another list \
        and return it",
    since: "1.2.0",
    group: "list",
    complexity: "O(1)",
    doc_flags: &["deprecated"],
    deprecated_since: Some("6.2.0"),
    replaced_by: Some("`LMOVE` with the `RIGHT` and `LEFT` arguments"),
    arguments: &[key("source", 0), key("destination", 1)],
    ..Meta::EMPTY
};

/// `LMPOP numkeys key [key ...] <LEFT | RIGHT> [COUNT count]`
pub static LMPOP: Meta = Meta {
    name: "lmpop",
    arity: -4,
    flags: &["write", "movablekeys"],
    acl_categories: &["@write", "@list", "@slow"],
    key_specs: &[KeySpec {
        notes: None,
        flags: RW_ACCESS_DELETE,
        begin_search: BeginSearch::Index(1),
        find_keys: FindKeys::Keynum {
            keynumidx: 0,
            firstkey: 1,
            keystep: 1,
        },
    }],
    summary: "Pop elements from a list",
    since: "7.0.0",
    group: "list",
    complexity: "O(N+M) where N is the number of provided keys and M is the \
        number of elements returned.",
    arguments: &[
        integer("numkeys"),
        key("key", 0).multiple(),
        oneof("where", &[token("left", "LEFT"), token("right", "RIGHT")]),
        integer("count").token("COUNT").optional(),
    ],
    ..Meta::EMPTY
};

// Hashes.

/// `HSET key field value [field value ...]`
pub static HSET: Meta = Meta {
    name: "hset",
    arity: -4,
    flags: &["write", "denyoom", "fast"],
    keys: (1, 1, 1),
    acl_categories: &["@write", "@hash", "@fast"],
    key_specs: &[one_key(1, RW_UPDATE)],
    summary: "Set the string value of a hash field",
    since: "2.0.0",
    group: "hash",
    complexity: "O(1) for each field/value pair added, so O(N) to add N \
        field/value pairs when the command is called with multiple \
        field/value pairs.",
    history: &[("4.0.0", "Accepts multiple `field` and `value` arguments.")],
    arguments: &[
        KEY,
        block("field_value", &[string("field"), string("value")]).multiple(),
    ],
    ..Meta::EMPTY
};

/// `HSETNX key field value`
pub static HSETNX: Meta = Meta {
    name: "hsetnx",
    arity: 4,
    flags: &["write", "denyoom", "fast"],
    keys: (1, 1, 1),
    acl_categories: &["@write", "@hash", "@fast"],
    key_specs: &[one_key(1, RW_INSERT)],
    summary: "Set the value of a hash field, only if the field does not \
        exist",
    since: "2.0.0",
    group: "hash",
    complexity: "O(1)",
    arguments: &[KEY, string("field"), string("value")],
    ..Meta::EMPTY
};

/// `HGET key field`
pub static HGET: Meta = Meta {
    name: "hget",
    arity: 3,
    flags: &["readonly", "fast"],
    keys: (1, 1, 1),
    acl_categories: &["@read", "@hash", "@fast"],
    key_specs: &[one_key(1, RO_ACCESS)],
    summary: "Get the value of a hash field",
    since: "2.0.0",
    group: "hash",
    complexity: "O(1)",
    arguments: &[KEY, string("field")],
    ..Meta::EMPTY
};

/// `HMGET key field [field ...]`
pub static HMGET: Meta = Meta {
    name: "hmget",
    arity: -3,
    flags: &["readonly", "fast"],
    keys: (1, 1, 1),
    acl_categories: &["@read", "@hash", "@fast"],
    key_specs: &[one_key(1, RO_ACCESS)],
    summary: "Get the values of all the given hash fields",
    since: "2.0.0",
    group: "hash",
    complexity: "O(N) where N is the number of fields being requested.",
    arguments: &[KEY, string("field").multiple()],
    ..Meta::EMPTY
};

/// `HMSET key field value [field value ...]`
pub static HMSET: Meta = Meta {
    name: "hmset",
    arity: -4,
    flags: &["write", "denyoom", "fast"],
    keys: (1, 1, 1),
    acl_categories: &["@write", "@hash", "@fast"],
    key_specs: &[one_key(1, RW_UPDATE)],
    summary: "Set multiple hash fields to multiple values",
    since: "2.0.0",
    group: "hash",
    complexity: "O(N) where N is the number of fields being set.",
    doc_flags: &["deprecated"],
    deprecated_since: Some("4.0.0"),
    replaced_by: Some("`HSET` with multiple field-value pairs"),
    arguments: &[
        KEY,
        block("field_value", &[string("field"), string("value")]).multiple(),
    ],
    ..Meta::EMPTY
};

/// `HDEL key field [field ...]`
pub static HDEL: Meta = Meta {
    name: "hdel",
    arity: -3,
    flags: &["write", "fast"],
    keys: (1, 1, 1),
    acl_categories: &["@write", "@hash", "@fast"],
    key_specs: &[one_key(1, RW_DELETE)],
    summary: "Delete one or more hash fields",
    since: "2.0.0",
    group: "hash",
    complexity: "O(N) where N is the number of fields to be removed.",
    history: &[("2.4.0", "Accepts multiple `field` arguments.")],
    arguments: &[KEY, string("field").multiple()],
    ..Meta::EMPTY
};

/// `HLEN key`
pub static HLEN: Meta = Meta {
    name: "hlen",
    arity: 2,
    flags: &["readonly", "fast"],
    keys: (1, 1, 1),
    acl_categories: &["@read", "@hash", "@fast"],
    key_specs: &[one_key(1, RO)],
    summary: "Get the number of fields in a hash",
    since: "2.0.0",
    group: "hash",
    complexity: "O(1)",
    arguments: &[KEY],
    ..Meta::EMPTY
};

/// `HEXISTS key field`
pub static HEXISTS: Meta = Meta {
    name: "hexists",
    arity: 3,
    flags: &["readonly", "fast"],
    keys: (1, 1, 1),
    acl_categories: &["@read", "@hash", "@fast"],
    key_specs: &[one_key(1, RO)],
    summary: "Determine if a hash field exists",
    since: "2.0.0",
    group: "hash",
    complexity: "O(1)",
    arguments: &[KEY, string("field")],
    ..Meta::EMPTY
};

/// `HGETALL key`
pub static HGETALL: Meta = Meta {
    name: "hgetall",
    arity: 2,
    flags: &["readonly"],
    keys: (1, 1, 1),
    acl_categories: &["@read", "@hash", "@slow"],
    tips: &["nondeterministic_output_order"],
    key_specs: &[one_key(1, RO_ACCESS)],
    summary: "Get all the fields and values in a hash",
    since: "2.0.0",
    group: "hash",
    complexity: "O(N) where N is the size of the hash.",
    arguments: &[KEY],
    ..Meta::EMPTY
};

/// `HKEYS key`
pub static HKEYS: Meta = Meta {
    name: "hkeys",
    arity: 2,
    flags: &["readonly"],
    keys: (1, 1, 1),
    acl_categories: &["@read", "@hash", "@slow"],
    tips: &["nondeterministic_output_order"],
    key_specs: &[one_key(1, RO_ACCESS)],
    summary: "Get all the fields in a hash",
    since: "2.0.0",
    group: "hash",
    complexity: "O(N) where N is the size of the hash.",
    arguments: &[KEY],
    ..Meta::EMPTY
};

/// `HVALS key`
pub static HVALS: Meta = Meta {
    name: "hvals",
    arity: 2,
    flags: &["readonly"],
    keys: (1, 1, 1),
    acl_categories: &["@read", "@hash", "@slow"],
    tips: &["nondeterministic_output_order"],
    key_specs: &[one_key(1, RO_ACCESS)],
    summary: "Get all the values in a hash",
    since: "2.0.0",
    group: "hash",
    complexity: "O(N) where N is the size of the hash.",
    arguments: &[KEY],
    ..Meta::EMPTY
};

/// `HINCRBY key field increment`
pub static HINCRBY: Meta = Meta {
    name: "hincrby",
    arity: 4,
    flags: &["write", "denyoom", "fast"],
    keys: (1, 1, 1),
    acl_categories: &["@write", "@hash", "@fast"],
    key_specs: &[one_key(1, RW_ACCESS_UPDATE)],
    summary: "Increment the integer value of a hash field by the given \
        number",
    since: "2.0.0",
    group: "hash",
    complexity: "O(1)",
    arguments: &[KEY, string("field"), integer("increment")],
    ..Meta::EMPTY
};

/// `HINCRBYFLOAT key field increment`
pub static HINCRBYFLOAT: Meta = Meta {
    name: "hincrbyfloat",
    arity: 4,
    flags: &["write", "denyoom", "fast"],
    keys: (1, 1, 1),
    acl_categories: &["@write", "@hash", "@fast"],
    key_specs: &[one_key(1, RW_ACCESS_UPDATE)],
    summary: "Increment the float value of a hash field by the given amount",
    since: "2.6.0",
    group: "hash",
    complexity: "O(1)",
    arguments: &[KEY, string("field"), double("increment")],
    ..Meta::EMPTY
};

/// `HSTRLEN key field`
pub static HSTRLEN: Meta = Meta {
    name: "hstrlen",
    arity: 3,
    flags: &["readonly", "fast"],
    keys: (1, 1, 1),
    acl_categories: &["@read", "@hash", "@fast"],
    key_specs: &[one_key(1, RO)],
    summary: "Get the length of the value of a hash field",
    since: "3.2.0",
    group: "hash",
    complexity: "O(1)",
    arguments: &[KEY, string("field")],
    ..Meta::EMPTY
};

/// `HRANDFIELD key [count [WITHVALUES]]`
pub static HRANDFIELD: Meta = Meta {
    name: "hrandfield",
    arity: -2,
    flags: &["readonly"],
    keys: (1, 1, 1),
    acl_categories: &["@read", "@hash", "@slow"],
    tips: &["nondeterministic_output"],
    key_specs: &[one_key(1, RO_ACCESS)],
    summary: "Get one or multiple random fields from a hash",
    since: "6.2.0",
    group: "hash",
    complexity: "O(N) where N is the number of fields returned",
    arguments: &[
        KEY,
        block(
            "options",
            &[
                integer("count"),
                token("withvalues", "WITHVALUES").optional(),
            ],
        )
        .optional(),
    ],
    ..Meta::EMPTY
};

/// `HSCAN key cursor [MATCH pattern] [COUNT count]`
pub static HSCAN: Meta = Meta {
    name: "hscan",
    arity: -3,
    flags: &["readonly"],
    keys: (1, 1, 1),
    acl_categories: &["@read", "@hash", "@slow"],
    tips: &["nondeterministic_output"],
    key_specs: &[one_key(1, RO_ACCESS)],
    summary: "Incrementally iterate hash fields and associated values",
    since: "2.8.0",
    group: "hash",
    complexity: "O(1) for every call. O(N) for a complete iteration, including \
        enough command calls for the cursor to return back to 0. N is \
        the number of elements inside the collection..",
    arguments: &[
        KEY,
        integer("cursor"),
        pattern("pattern").token("MATCH").optional(),
        integer("count").token("COUNT").optional(),
    ],
    ..Meta::EMPTY
};

/// `BLPOP key [key ...] timeout`
pub static BLPOP: Meta = Meta {
    name: "blpop",
    arity: -3,
    flags: &["write", "noscript", "blocking"],
    keys: (1, -2, 1),
    acl_categories: &["@write", "@list", "@slow", "@blocking"],
    key_specs: &[key_range(1, -2, 1, RW_ACCESS_DELETE)],
    summary: "Remove and get the first element in a list, or block until one is available",
    since: "2.0.0",
    group: "list",
    complexity: "O(N) where N is the number of provided keys.",
    history: &[(
        "6.0.0",
        "`timeout` is interpreted as a double instead of an integer.",
    )],
    arguments: &[KEY.multiple(), double("timeout")],
    ..Meta::EMPTY
};

/// `BRPOP key [key ...] timeout`
pub static BRPOP: Meta = Meta {
    name: "brpop",
    arity: -3,
    flags: &["write", "noscript", "blocking"],
    keys: (1, -2, 1),
    acl_categories: &["@write", "@list", "@slow", "@blocking"],
    key_specs: &[key_range(1, -2, 1, RW_ACCESS_DELETE)],
    summary: "Remove and get the last element in a list, or block until one is available",
    since: "2.0.0",
    group: "list",
    complexity: "O(N) where N is the number of provided keys.",
    history: &[(
        "6.0.0",
        "`timeout` is interpreted as a double instead of an integer.",
    )],
    arguments: &[KEY.multiple(), double("timeout")],
    ..Meta::EMPTY
};

/// `BLMOVE source destination LEFT|RIGHT LEFT|RIGHT timeout`
pub static BLMOVE: Meta = Meta {
    name: "blmove",
    arity: 6,
    flags: &["write", "denyoom", "noscript", "blocking"],
    keys: (1, 2, 1),
    acl_categories: &["@write", "@list", "@slow", "@blocking"],
    key_specs: &[one_key(1, RW_ACCESS_DELETE), one_key(2, RW_INSERT)],
    summary: "Pop an element from a list, push it to another list and return \
        it; or block until one is available",
    since: "6.2.0",
    group: "list",
    complexity: "O(1)",
    arguments: &[
        key("source", 0),
        key("destination", 1),
        oneof(
            "wherefrom",
            &[token("left", "LEFT"), token("right", "RIGHT")],
        ),
        oneof("whereto", &[token("left", "LEFT"), token("right", "RIGHT")]),
        double("timeout"),
    ],
    ..Meta::EMPTY
};

/// `BRPOPLPUSH source destination timeout`
pub static BRPOPLPUSH: Meta = Meta {
    name: "brpoplpush",
    arity: 4,
    flags: &["write", "denyoom", "noscript", "blocking"],
    keys: (1, 2, 1),
    acl_categories: &["@write", "@list", "@slow", "@blocking"],
    key_specs: &[one_key(1, RW_ACCESS_DELETE), one_key(2, RW_INSERT)],
    summary: "Pop an element from a list, push it to another list and return \
        it; or block until one is available",
    since: "2.2.0",
    group: "list",
    complexity: "O(1)",
    doc_flags: &["deprecated"],
    deprecated_since: Some("6.2.0"),
    replaced_by: Some("`BLMOVE` with the `RIGHT` and `LEFT` arguments"),
    history: &[(
        "6.0.0",
        "`timeout` is interpreted as a double instead of an integer.",
    )],
    arguments: &[key("source", 0), key("destination", 1), double("timeout")],
    ..Meta::EMPTY
};

/// `BLMPOP timeout numkeys key [key ...] LEFT|RIGHT [COUNT count]`
pub static BLMPOP: Meta = Meta {
    name: "blmpop",
    arity: -5,
    flags: &["write", "blocking", "movablekeys"],
    acl_categories: &["@write", "@list", "@slow", "@blocking"],
    key_specs: &[KeySpec {
        notes: None,
        flags: RW_ACCESS_DELETE,
        begin_search: BeginSearch::Index(2),
        find_keys: FindKeys::Keynum {
            keynumidx: 0,
            firstkey: 1,
            keystep: 1,
        },
    }],
    summary: "Pop elements from a list, or block until one is available",
    since: "7.0.0",
    group: "list",
    complexity: "O(N+M) where N is the number of provided keys and M is the \
        number of elements returned.",
    arguments: &[
        double("timeout"),
        integer("numkeys"),
        key("key", 0).multiple(),
        oneof("where", &[token("left", "LEFT"), token("right", "RIGHT")]),
        integer("count").token("COUNT").optional(),
    ],
    ..Meta::EMPTY
};

/// `BZPOPMIN key [key ...] timeout`
pub static BZPOPMIN: Meta = Meta {
    name: "bzpopmin",
    arity: -3,
    flags: &["write", "noscript", "blocking", "fast"],
    keys: (1, -2, 1),
    acl_categories: &["@write", "@sortedset", "@fast", "@blocking"],
    key_specs: &[key_range(1, -2, 1, RW_ACCESS_DELETE)],
    summary: "Remove and return the member with the lowest score from one or \
        more sorted sets, or block until one is available",
    since: "5.0.0",
    group: "sorted-set",
    complexity: "O(log(N)) with N being the number of elements in the sorted set.",
    history: &[(
        "6.0.0",
        "`timeout` is interpreted as a double instead of an integer.",
    )],
    arguments: &[KEY.multiple(), double("timeout")],
    ..Meta::EMPTY
};

/// `BZPOPMAX key [key ...] timeout`
pub static BZPOPMAX: Meta = Meta {
    name: "bzpopmax",
    arity: -3,
    flags: &["write", "noscript", "blocking", "fast"],
    keys: (1, -2, 1),
    acl_categories: &["@write", "@sortedset", "@fast", "@blocking"],
    key_specs: &[key_range(1, -2, 1, RW_ACCESS_DELETE)],
    summary: "Remove and return the member with the highest score from one or \
        more sorted sets, or block until one is available",
    since: "5.0.0",
    group: "sorted-set",
    complexity: "O(log(N)) with N being the number of elements in the sorted set.",
    history: &[(
        "6.0.0",
        "`timeout` is interpreted as a double instead of an integer.",
    )],
    arguments: &[KEY.multiple(), double("timeout")],
    ..Meta::EMPTY
};

/// `MULTI`
pub static MULTI: Meta = Meta {
    name: "multi",
    arity: 1,
    flags: &["noscript", "loading", "stale", "fast", "allow_busy"],
    acl_categories: &["@fast", "@transaction"],
    summary: "Mark the start of a transaction block",
    since: "1.2.0",
    group: "transactions",
    complexity: "O(1)",
    ..Meta::EMPTY
};

/// `EXEC`
pub static EXEC: Meta = Meta {
    name: "exec",
    arity: 1,
    flags: &["noscript", "loading", "stale", "skip_slowlog"],
    acl_categories: &["@slow", "@transaction"],
    summary: "Execute all commands issued after MULTI",
    since: "1.2.0",
    group: "transactions",
    complexity: "Depends on commands in the transaction",
    ..Meta::EMPTY
};

/// `DISCARD`
pub static DISCARD: Meta = Meta {
    name: "discard",
    arity: 1,
    flags: &["noscript", "loading", "stale", "fast", "allow_busy"],
    acl_categories: &["@fast", "@transaction"],
    summary: "Discard all commands issued after MULTI",
    since: "2.0.0",
    group: "transactions",
    complexity: "O(N), when N is the number of queued commands",
    ..Meta::EMPTY
};

/// `WATCH key [key ...]`
pub static WATCH: Meta = Meta {
    name: "watch",
    arity: -2,
    flags: &["noscript", "loading", "stale", "fast", "allow_busy"],
    keys: (1, -1, 1),
    acl_categories: &["@fast", "@transaction"],
    key_specs: &[key_range(1, -1, 1, RO)],
    summary: "Watch the given keys to determine execution of the MULTI/EXEC block",
    since: "2.2.0",
    group: "transactions",
    complexity: "O(1) for every key.",
    arguments: &[KEY.multiple()],
    ..Meta::EMPTY
};

/// `UNWATCH`
pub static UNWATCH: Meta = Meta {
    name: "unwatch",
    arity: 1,
    flags: &["noscript", "loading", "stale", "fast", "allow_busy"],
    acl_categories: &["@fast", "@transaction"],
    summary: "Forget about all watched keys",
    since: "2.2.0",
    group: "transactions",
    complexity: "O(1)",
    ..Meta::EMPTY
};

/// Every top-level command, in the order of the command table; subcommands
/// are reached through their container.
#[rustfmt::skip]
pub static ALL: &[&Meta] = &[
    &PING, &GET, &SET, &INCR, &EXPIRE, &TTL,
    &ECHO, &SETNX, &SETEX, &PSETEX, &GETSET, &GETDEL, &MGET, &MSET, &MSETNX, &DECR, &INCRBY,
    &DECRBY, &APPEND, &STRLEN,
    &DEL, &UNLINK, &EXISTS, &TYPE, &KEYS, &PEXPIRE, &EXPIREAT, &PEXPIREAT, &PTTL, &EXPIRETIME,
    &PEXPIRETIME, &PERSIST,
    &HELLO, &AUTH, &QUIT, &SELECT, &CLIENT,
    &DBSIZE, &FLUSHDB, &FLUSHALL, &COMMAND, &CONFIG, &INFO, &TIME, &SHUTDOWN, &ACL,
    &BGREWRITEAOF,
    &BLPOP, &BRPOP, &BLMOVE, &BRPOPLPUSH, &BLMPOP, &BZPOPMIN, &BZPOPMAX,
    &MULTI, &EXEC, &DISCARD, &WATCH, &UNWATCH,
    &GETEX, &GETRANGE, &SETRANGE, &SUBSTR, &INCRBYFLOAT, &LCS, &RENAME, &RENAMENX, &COPY,
    &TOUCH, &RANDOMKEY, &OBJECT, &SCAN, &MEMORY,
    &SADD, &SREM, &SCARD, &SISMEMBER, &SMISMEMBER, &SMEMBERS, &SPOP, &SRANDMEMBER, &SMOVE,
    &SINTER, &SINTERSTORE, &SINTERCARD, &SUNION, &SUNIONSTORE, &SDIFF, &SDIFFSTORE, &SSCAN,
    &ZADD, &ZINCRBY, &ZSCORE, &ZMSCORE, &ZCARD, &ZCOUNT, &ZLEXCOUNT, &ZRANK, &ZREVRANK, &ZREM,
    &ZRANGE, &ZRANGESTORE, &ZRANGEBYSCORE, &ZREVRANGE, &ZREVRANGEBYSCORE, &ZRANGEBYLEX,
    &ZREVRANGEBYLEX, &ZPOPMIN, &ZPOPMAX, &ZREMRANGEBYRANK, &ZREMRANGEBYSCORE, &ZREMRANGEBYLEX,
    &ZUNIONSTORE, &ZINTERSTORE, &ZUNION, &ZINTER, &ZDIFF, &ZDIFFSTORE, &ZINTERCARD,
    &ZRANDMEMBER, &ZSCAN,
    // Lists and hashes.
    &LPUSH, &RPUSH, &LPUSHX, &RPUSHX, &LPOP, &RPOP, &LLEN, &LRANGE, &LINDEX, &LSET, &LREM, &LTRIM,
    &LINSERT, &LPOS, &LMOVE, &RPOPLPUSH, &LMPOP,
    &HSET, &HSETNX, &HGET, &HMGET, &HMSET, &HDEL, &HLEN, &HEXISTS, &HGETALL, &HKEYS, &HVALS,
    &HINCRBY, &HINCRBYFLOAT, &HSTRLEN, &HRANDFIELD, &HSCAN,
    // Pub/sub.
    &SUBSCRIBE, &UNSUBSCRIBE, &PSUBSCRIBE, &PUNSUBSCRIBE, &PUBLISH, &PUBSUB, &SSUBSCRIBE,
    &SUNSUBSCRIBE, &SPUBLISH, &MONITOR, &RESET,
    // Persistence.
    &SAVE, &BGSAVE, &LASTSAVE, &DUMP, &RESTORE,
];

// Sets and sorted sets.

/// `SADD key member [member ...]`
pub static SADD: Meta = Meta {
    name: "sadd",
    arity: -3,
    flags: &["write", "denyoom", "fast"],
    keys: (1, 1, 1),
    acl_categories: &["@write", "@set", "@fast"],
    key_specs: &[one_key(1, RW_INSERT)],
    summary: "Add one or more members to a set",
    since: "1.0.0",
    group: "set",
    complexity: "O(1) for each element added, so O(N) to add N elements when the \
        command is called with multiple arguments.",
    history: &[("2.4.0", "Accepts multiple `member` arguments.")],
    arguments: &[KEY, string("member").multiple()],
    ..Meta::EMPTY
};

/// `SREM key member [member ...]`
pub static SREM: Meta = Meta {
    name: "srem",
    arity: -3,
    flags: &["write", "fast"],
    keys: (1, 1, 1),
    acl_categories: &["@write", "@set", "@fast"],
    key_specs: &[one_key(1, &["RW", "delete"])],
    summary: "Remove one or more members from a set",
    since: "1.0.0",
    group: "set",
    complexity: "O(N) where N is the number of members to be removed.",
    history: &[("2.4.0", "Accepts multiple `member` arguments.")],
    arguments: &[KEY, string("member").multiple()],
    ..Meta::EMPTY
};

/// `SCARD key`
pub static SCARD: Meta = Meta {
    name: "scard",
    arity: 2,
    flags: &["readonly", "fast"],
    keys: (1, 1, 1),
    acl_categories: &["@read", "@set", "@fast"],
    key_specs: &[one_key(1, RO)],
    summary: "Get the number of members in a set",
    since: "1.0.0",
    group: "set",
    complexity: "O(1)",
    arguments: &[KEY],
    ..Meta::EMPTY
};

/// `SISMEMBER key member`
pub static SISMEMBER: Meta = Meta {
    name: "sismember",
    arity: 3,
    flags: &["readonly", "fast"],
    keys: (1, 1, 1),
    acl_categories: &["@read", "@set", "@fast"],
    key_specs: &[one_key(1, RO)],
    summary: "Determine if a given value is a member of a set",
    since: "1.0.0",
    group: "set",
    complexity: "O(1)",
    arguments: &[KEY, string("member")],
    ..Meta::EMPTY
};

/// `SMISMEMBER key member [member ...]`
pub static SMISMEMBER: Meta = Meta {
    name: "smismember",
    arity: -3,
    flags: &["readonly", "fast"],
    keys: (1, 1, 1),
    acl_categories: &["@read", "@set", "@fast"],
    key_specs: &[one_key(1, RO_ACCESS)],
    summary: "Returns the membership associated with the given elements for a \
        set",
    since: "6.2.0",
    group: "set",
    complexity: "O(N) where N is the number of elements being checked for \
        membership",
    arguments: &[KEY, string("member").multiple()],
    ..Meta::EMPTY
};

/// `SMEMBERS key`
pub static SMEMBERS: Meta = Meta {
    name: "smembers",
    arity: 2,
    flags: &["readonly"],
    keys: (1, 1, 1),
    acl_categories: &["@read", "@set", "@slow"],
    tips: &["nondeterministic_output_order"],
    key_specs: &[one_key(1, RO_ACCESS)],
    summary: "Get all the members in a set",
    since: "1.0.0",
    group: "set",
    complexity: "O(N) where N is the set cardinality.",
    arguments: &[KEY],
    ..Meta::EMPTY
};

/// `SPOP key [count]`
pub static SPOP: Meta = Meta {
    name: "spop",
    arity: -2,
    flags: &["write", "fast"],
    keys: (1, 1, 1),
    acl_categories: &["@write", "@set", "@fast"],
    tips: &["nondeterministic_output"],
    key_specs: &[one_key(1, RW_ACCESS_DELETE)],
    summary: "Remove and return one or multiple random members from a set",
    since: "1.0.0",
    group: "set",
    complexity: "Without the count argument O(1), otherwise O(N) where N is the \
        value of the passed count.",
    history: &[("3.2.0", "Added the `count` argument.")],
    arguments: &[KEY, integer("count").since("3.2.0").optional()],
    ..Meta::EMPTY
};

/// `SRANDMEMBER key [count]`
pub static SRANDMEMBER: Meta = Meta {
    name: "srandmember",
    arity: -2,
    flags: &["readonly"],
    keys: (1, 1, 1),
    acl_categories: &["@read", "@set", "@slow"],
    tips: &["nondeterministic_output"],
    key_specs: &[one_key(1, RO_ACCESS)],
    summary: "Get one or multiple random members from a set",
    since: "1.0.0",
    group: "set",
    complexity: "Without the count argument O(1), otherwise O(N) where N is the \
        absolute value of the passed count.",
    history: &[("2.6.0", "Added the optional `count` argument.")],
    arguments: &[KEY, integer("count").since("2.6.0").optional()],
    ..Meta::EMPTY
};

/// `SMOVE source destination member`
pub static SMOVE: Meta = Meta {
    name: "smove",
    arity: 4,
    flags: &["write", "fast"],
    keys: (1, 2, 1),
    acl_categories: &["@write", "@set", "@fast"],
    key_specs: &[one_key(1, RW_ACCESS_DELETE), one_key(2, RW_INSERT)],
    summary: "Move a member from one set to another",
    since: "1.0.0",
    group: "set",
    complexity: "O(1)",
    arguments: &[key("source", 0), key("destination", 1), string("member")],
    ..Meta::EMPTY
};

/// `SINTER key [key ...]`
pub static SINTER: Meta = Meta {
    name: "sinter",
    arity: -2,
    flags: &["readonly"],
    keys: (1, -1, 1),
    acl_categories: &["@read", "@set", "@slow"],
    tips: &["nondeterministic_output_order"],
    key_specs: &[key_range(1, -1, 1, RO_ACCESS)],
    summary: "Intersect multiple sets",
    since: "1.0.0",
    group: "set",
    complexity: "O(N*M) worst case where N is the cardinality of the smallest \
        set and M is the number of sets.",
    arguments: &[key("key", 0).multiple()],
    ..Meta::EMPTY
};

/// `SINTERSTORE destination key [key ...]`
pub static SINTERSTORE: Meta = Meta {
    name: "sinterstore",
    arity: -3,
    flags: &["write", "denyoom"],
    keys: (1, -1, 1),
    acl_categories: &["@write", "@set", "@slow"],
    key_specs: &[one_key(1, RW_UPDATE), key_range(2, -1, 1, RO_ACCESS)],
    summary: "Intersect multiple sets and store the resulting set in a key",
    since: "1.0.0",
    group: "set",
    complexity: "O(N*M) worst case where N is the cardinality of the smallest \
        set and M is the number of sets.",
    arguments: &[key("destination", 0), key("key", 1).multiple()],
    ..Meta::EMPTY
};

/// `SINTERCARD numkeys key [key ...] [LIMIT limit]`
pub static SINTERCARD: Meta = Meta {
    name: "sintercard",
    arity: -3,
    flags: &["readonly", "movablekeys"],
    acl_categories: &["@read", "@set", "@slow"],
    key_specs: &[super::docs::key_num(1, 0, 1, 1, RO_ACCESS)],
    summary: "Intersect multiple sets and return the cardinality of the \
        result",
    since: "7.0.0",
    group: "set",
    complexity: "O(N*M) worst case where N is the cardinality of the smallest \
        set and M is the number of sets.",
    arguments: &[
        integer("numkeys"),
        key("key", 0).multiple(),
        integer("limit").token("LIMIT").optional(),
    ],
    ..Meta::EMPTY
};

/// `SUNION key [key ...]`
pub static SUNION: Meta = Meta {
    name: "sunion",
    arity: -2,
    flags: &["readonly"],
    keys: (1, -1, 1),
    acl_categories: &["@read", "@set", "@slow"],
    tips: &["nondeterministic_output_order"],
    key_specs: &[key_range(1, -1, 1, RO_ACCESS)],
    summary: "Add multiple sets",
    since: "1.0.0",
    group: "set",
    complexity: "O(N) where N is the total number of elements in all given \
        sets.",
    arguments: &[key("key", 0).multiple()],
    ..Meta::EMPTY
};

/// `SUNIONSTORE destination key [key ...]`
pub static SUNIONSTORE: Meta = Meta {
    name: "sunionstore",
    arity: -3,
    flags: &["write", "denyoom"],
    keys: (1, -1, 1),
    acl_categories: &["@write", "@set", "@slow"],
    key_specs: &[one_key(1, OW_UPDATE), key_range(2, -1, 1, RO_ACCESS)],
    summary: "Add multiple sets and store the resulting set in a key",
    since: "1.0.0",
    group: "set",
    complexity: "O(N) where N is the total number of elements in all given \
        sets.",
    arguments: &[key("destination", 0), key("key", 1).multiple()],
    ..Meta::EMPTY
};

/// `SDIFF key [key ...]`
pub static SDIFF: Meta = Meta {
    name: "sdiff",
    arity: -2,
    flags: &["readonly"],
    keys: (1, -1, 1),
    acl_categories: &["@read", "@set", "@slow"],
    tips: &["nondeterministic_output_order"],
    key_specs: &[key_range(1, -1, 1, RO_ACCESS)],
    summary: "Subtract multiple sets",
    since: "1.0.0",
    group: "set",
    complexity: "O(N) where N is the total number of elements in all given \
        sets.",
    arguments: &[key("key", 0).multiple()],
    ..Meta::EMPTY
};

/// `SDIFFSTORE destination key [key ...]`
pub static SDIFFSTORE: Meta = Meta {
    name: "sdiffstore",
    arity: -3,
    flags: &["write", "denyoom"],
    keys: (1, -1, 1),
    acl_categories: &["@write", "@set", "@slow"],
    key_specs: &[one_key(1, OW_UPDATE), key_range(2, -1, 1, RO_ACCESS)],
    summary: "Subtract multiple sets and store the resulting set in a key",
    since: "1.0.0",
    group: "set",
    complexity: "O(N) where N is the total number of elements in all given \
        sets.",
    arguments: &[key("destination", 0), key("key", 1).multiple()],
    ..Meta::EMPTY
};

/// `SSCAN key cursor [MATCH pattern] [COUNT count]`
pub static SSCAN: Meta = Meta {
    name: "sscan",
    arity: -3,
    flags: &["readonly"],
    keys: (1, 1, 1),
    acl_categories: &["@read", "@set", "@slow"],
    tips: &["nondeterministic_output"],
    key_specs: &[one_key(1, RO_ACCESS)],
    summary: "Incrementally iterate Set elements",
    since: "2.8.0",
    group: "set",
    complexity: "O(1) for every call. O(N) for a complete iteration, including \
        enough command calls for the cursor to return back to 0. N is \
        the number of elements inside the collection..",
    arguments: &[
        KEY,
        integer("cursor"),
        pattern("pattern").token("MATCH").optional(),
        integer("count").token("COUNT").optional(),
    ],
    ..Meta::EMPTY
};

// Sorted sets.

/// `ZADD key [NX | XX] [GT | LT] [CH] [INCR] score member [score member ...]`
pub static ZADD: Meta = Meta {
    name: "zadd",
    arity: -4,
    flags: &["write", "denyoom", "fast"],
    keys: (1, 1, 1),
    acl_categories: &["@write", "@sortedset", "@fast"],
    key_specs: &[one_key(1, RW_UPDATE)],
    summary: "Add one or more members to a sorted set, or update its score if \
        it already exists",
    since: "1.2.0",
    group: "sorted-set",
    complexity: "O(log(N)) for each item added, where N is the number of \
        elements in the sorted set.",
    history: &[
        ("2.4.0", "Accepts multiple elements."),
        ("3.0.2", "Added the `XX`, `NX`, `CH` and `INCR` options."),
        ("6.2.0", "Added the `GT` and `LT` options."),
    ],
    arguments: &[
        KEY,
        oneof("condition", &[token("nx", "NX"), token("xx", "XX")])
            .since("3.0.2")
            .optional(),
        oneof("comparison", &[token("gt", "GT"), token("lt", "LT")])
            .since("6.2.0")
            .optional(),
        token("change", "CH").since("3.0.2").optional(),
        token("increment", "INCR").since("3.0.2").optional(),
        block("score_member", &[double("score"), string("member")]).multiple(),
    ],
    ..Meta::EMPTY
};

/// `ZINCRBY key increment member`
pub static ZINCRBY: Meta = Meta {
    name: "zincrby",
    arity: 4,
    flags: &["write", "denyoom", "fast"],
    keys: (1, 1, 1),
    acl_categories: &["@write", "@sortedset", "@fast"],
    key_specs: &[one_key(1, RW_ACCESS_UPDATE)],
    summary: "Increment the score of a member in a sorted set",
    since: "1.2.0",
    group: "sorted-set",
    complexity: "O(log(N)) where N is the number of elements in the sorted set.",
    arguments: &[KEY, integer("increment"), string("member")],
    ..Meta::EMPTY
};

/// `ZSCORE key member`
pub static ZSCORE: Meta = Meta {
    name: "zscore",
    arity: 3,
    flags: &["readonly", "fast"],
    keys: (1, 1, 1),
    acl_categories: &["@read", "@sortedset", "@fast"],
    key_specs: &[one_key(1, RO_ACCESS)],
    summary: "Get the score associated with the given member in a sorted set",
    since: "1.2.0",
    group: "sorted-set",
    complexity: "O(1)",
    arguments: &[KEY, string("member")],
    ..Meta::EMPTY
};

/// `ZMSCORE key member [member ...]`
pub static ZMSCORE: Meta = Meta {
    name: "zmscore",
    arity: -3,
    flags: &["readonly", "fast"],
    keys: (1, 1, 1),
    acl_categories: &["@read", "@sortedset", "@fast"],
    key_specs: &[one_key(1, RO_ACCESS)],
    summary: "Get the score associated with the given members in a sorted \
        set",
    since: "6.2.0",
    group: "sorted-set",
    complexity: "O(N) where N is the number of members being requested.",
    arguments: &[KEY, string("member").multiple()],
    ..Meta::EMPTY
};

/// `ZCARD key`
pub static ZCARD: Meta = Meta {
    name: "zcard",
    arity: 2,
    flags: &["readonly", "fast"],
    keys: (1, 1, 1),
    acl_categories: &["@read", "@sortedset", "@fast"],
    key_specs: &[one_key(1, RO)],
    summary: "Get the number of members in a sorted set",
    since: "1.2.0",
    group: "sorted-set",
    complexity: "O(1)",
    arguments: &[KEY],
    ..Meta::EMPTY
};

/// `ZCOUNT key min max`
pub static ZCOUNT: Meta = Meta {
    name: "zcount",
    arity: 4,
    flags: &["readonly", "fast"],
    keys: (1, 1, 1),
    acl_categories: &["@read", "@sortedset", "@fast"],
    key_specs: &[one_key(1, RO_ACCESS)],
    summary: "Count the members in a sorted set with scores within the given \
        values",
    since: "2.0.0",
    group: "sorted-set",
    complexity: "O(log(N)) with N being the number of elements in the sorted \
        set.",
    arguments: &[KEY, double("min"), double("max")],
    ..Meta::EMPTY
};

/// `ZLEXCOUNT key min max`
pub static ZLEXCOUNT: Meta = Meta {
    name: "zlexcount",
    arity: 4,
    flags: &["readonly", "fast"],
    keys: (1, 1, 1),
    acl_categories: &["@read", "@sortedset", "@fast"],
    key_specs: &[one_key(1, RO_ACCESS)],
    summary: "Count the number of members in a sorted set between a given \
        lexicographical range",
    since: "2.8.9",
    group: "sorted-set",
    complexity: "O(log(N)) with N being the number of elements in the sorted \
        set.",
    arguments: &[KEY, string("min"), string("max")],
    ..Meta::EMPTY
};

/// `ZRANK key member`
pub static ZRANK: Meta = Meta {
    name: "zrank",
    arity: 3,
    flags: &["readonly", "fast"],
    keys: (1, 1, 1),
    acl_categories: &["@read", "@sortedset", "@fast"],
    key_specs: &[one_key(1, RO_ACCESS)],
    summary: "Determine the index of a member in a sorted set",
    since: "2.0.0",
    group: "sorted-set",
    complexity: "O(log(N))",
    arguments: &[KEY, string("member")],
    ..Meta::EMPTY
};

/// `ZREVRANK key member`
pub static ZREVRANK: Meta = Meta {
    name: "zrevrank",
    arity: 3,
    flags: &["readonly", "fast"],
    keys: (1, 1, 1),
    acl_categories: &["@read", "@sortedset", "@fast"],
    key_specs: &[one_key(1, RO_ACCESS)],
    summary: "Determine the index of a member in a sorted set, with scores \
        ordered from high to low",
    since: "2.0.0",
    group: "sorted-set",
    complexity: "O(log(N))",
    arguments: &[KEY, string("member")],
    ..Meta::EMPTY
};

/// `ZREM key member [member ...]`
pub static ZREM: Meta = Meta {
    name: "zrem",
    arity: -3,
    flags: &["write", "fast"],
    keys: (1, 1, 1),
    acl_categories: &["@write", "@sortedset", "@fast"],
    key_specs: &[one_key(1, &["RW", "delete"])],
    summary: "Remove one or more members from a sorted set",
    since: "1.2.0",
    group: "sorted-set",
    complexity: "O(M*log(N)) with N being the number of elements in the sorted \
        set and M the number of elements to be removed.",
    history: &[("2.4.0", "Accepts multiple elements.")],
    arguments: &[KEY, string("member").multiple()],
    ..Meta::EMPTY
};

/// `ZRANGE key start stop [BYSCORE | BYLEX] [REV] [LIMIT offset count] [WITHSCORES]`
pub static ZRANGE: Meta = Meta {
    name: "zrange",
    arity: -4,
    flags: &["readonly"],
    keys: (1, 1, 1),
    acl_categories: &["@read", "@sortedset", "@slow"],
    key_specs: &[one_key(1, RO_ACCESS)],
    summary: "Return a range of members in a sorted set",
    since: "1.2.0",
    group: "sorted-set",
    complexity: "O(log(N)+M) with N being the number of elements in the sorted \
        set and M the number of elements returned.",
    history: &[(
        "6.2.0",
        "Added the `REV`, `BYSCORE`, `BYLEX` and `LIMIT` options.",
    )],
    arguments: &[
        KEY,
        string("start"),
        string("stop"),
        oneof(
            "sortby",
            &[token("byscore", "BYSCORE"), token("bylex", "BYLEX")],
        )
        .since("6.2.0")
        .optional(),
        token("rev", "REV").since("6.2.0").optional(),
        block("offset_count", &[integer("offset"), integer("count")])
            .token("LIMIT")
            .since("6.2.0")
            .optional(),
        token("withscores", "WITHSCORES").optional(),
    ],
    ..Meta::EMPTY
};

/// `ZRANGESTORE dst src min max [BYSCORE | BYLEX] [REV] [LIMIT offset count]`
pub static ZRANGESTORE: Meta = Meta {
    name: "zrangestore",
    arity: -5,
    flags: &["write", "denyoom"],
    keys: (1, 2, 1),
    acl_categories: &["@write", "@sortedset", "@slow"],
    key_specs: &[one_key(1, OW_UPDATE), one_key(2, RO_ACCESS)],
    summary: "Store a range of members from sorted set into another key",
    since: "6.2.0",
    group: "sorted-set",
    complexity: "O(log(N)+M) with N being the number of elements in the sorted \
        set and M the number of elements stored into the destination \
        key.",
    arguments: &[
        key("dst", 0),
        key("src", 1),
        string("min"),
        string("max"),
        oneof(
            "sortby",
            &[token("byscore", "BYSCORE"), token("bylex", "BYLEX")],
        )
        .optional(),
        token("rev", "REV").optional(),
        block("offset_count", &[integer("offset"), integer("count")])
            .token("LIMIT")
            .optional(),
    ],
    ..Meta::EMPTY
};

/// `ZRANGEBYSCORE key min max [WITHSCORES] [LIMIT offset count]`
pub static ZRANGEBYSCORE: Meta = Meta {
    name: "zrangebyscore",
    arity: -4,
    flags: &["readonly"],
    keys: (1, 1, 1),
    acl_categories: &["@read", "@sortedset", "@slow"],
    key_specs: &[one_key(1, RO_ACCESS)],
    summary: "Return a range of members in a sorted set, by score",
    since: "1.0.5",
    group: "sorted-set",
    complexity: "O(log(N)+M) with N being the number of elements in the sorted \
        set and M the number of elements being returned. If M is \
        constant (e.g. always asking for the first 10 elements with \
        LIMIT), you can consider it O(log(N)).",
    doc_flags: &["deprecated"],
    deprecated_since: Some("6.2.0"),
    replaced_by: Some("`ZRANGE` with the `BYSCORE` argument"),
    history: &[("2.0.0", "Added the `WITHSCORES` modifier.")],
    arguments: &[
        KEY,
        double("min"),
        double("max"),
        token("withscores", "WITHSCORES").since("2.0.0").optional(),
        block("offset_count", &[integer("offset"), integer("count")])
            .token("LIMIT")
            .optional(),
    ],
    ..Meta::EMPTY
};

/// `ZREVRANGE key start stop [WITHSCORES]`
pub static ZREVRANGE: Meta = Meta {
    name: "zrevrange",
    arity: -4,
    flags: &["readonly"],
    keys: (1, 1, 1),
    acl_categories: &["@read", "@sortedset", "@slow"],
    key_specs: &[one_key(1, RO_ACCESS)],
    summary: "Return a range of members in a sorted set, by index, with \
        scores ordered from high to low",
    since: "1.2.0",
    group: "sorted-set",
    complexity: "O(log(N)+M) with N being the number of elements in the sorted \
        set and M the number of elements returned.",
    doc_flags: &["deprecated"],
    deprecated_since: Some("6.2.0"),
    replaced_by: Some("`ZRANGE` with the `REV` argument"),
    arguments: &[
        KEY,
        integer("start"),
        integer("stop"),
        token("withscores", "WITHSCORES").optional(),
    ],
    ..Meta::EMPTY
};

/// `ZREVRANGEBYSCORE key max min [WITHSCORES] [LIMIT offset count]`
pub static ZREVRANGEBYSCORE: Meta = Meta {
    name: "zrevrangebyscore",
    arity: -4,
    flags: &["readonly"],
    keys: (1, 1, 1),
    acl_categories: &["@read", "@sortedset", "@slow"],
    key_specs: &[one_key(1, RO_ACCESS)],
    summary: "Return a range of members in a sorted set, by score, with \
        scores ordered from high to low",
    since: "2.2.0",
    group: "sorted-set",
    complexity: "O(log(N)+M) with N being the number of elements in the sorted \
        set and M the number of elements being returned. If M is \
        constant (e.g. always asking for the first 10 elements with \
        LIMIT), you can consider it O(log(N)).",
    doc_flags: &["deprecated"],
    deprecated_since: Some("6.2.0"),
    replaced_by: Some("`ZRANGE` with the `REV` and `BYSCORE` arguments"),
    history: &[("2.1.6", "`min` and `max` can be exclusive.")],
    arguments: &[
        KEY,
        double("max"),
        double("min"),
        token("withscores", "WITHSCORES").optional(),
        block("offset_count", &[integer("offset"), integer("count")])
            .token("LIMIT")
            .optional(),
    ],
    ..Meta::EMPTY
};

/// `ZRANGEBYLEX key min max [LIMIT offset count]`
pub static ZRANGEBYLEX: Meta = Meta {
    name: "zrangebylex",
    arity: -4,
    flags: &["readonly"],
    keys: (1, 1, 1),
    acl_categories: &["@read", "@sortedset", "@slow"],
    key_specs: &[one_key(1, RO_ACCESS)],
    summary: "Return a range of members in a sorted set, by lexicographical \
        range",
    since: "2.8.9",
    group: "sorted-set",
    complexity: "O(log(N)+M) with N being the number of elements in the sorted \
        set and M the number of elements being returned. If M is \
        constant (e.g. always asking for the first 10 elements with \
        LIMIT), you can consider it O(log(N)).",
    doc_flags: &["deprecated"],
    deprecated_since: Some("6.2.0"),
    replaced_by: Some("`ZRANGE` with the `BYLEX` argument"),
    arguments: &[
        KEY,
        string("min"),
        string("max"),
        block("offset_count", &[integer("offset"), integer("count")])
            .token("LIMIT")
            .optional(),
    ],
    ..Meta::EMPTY
};

/// `ZREVRANGEBYLEX key max min [LIMIT offset count]`
pub static ZREVRANGEBYLEX: Meta = Meta {
    name: "zrevrangebylex",
    arity: -4,
    flags: &["readonly"],
    keys: (1, 1, 1),
    acl_categories: &["@read", "@sortedset", "@slow"],
    key_specs: &[one_key(1, RO_ACCESS)],
    summary: "Return a range of members in a sorted set, by lexicographical \
        range, ordered from higher to lower strings.",
    since: "2.8.9",
    group: "sorted-set",
    complexity: "O(log(N)+M) with N being the number of elements in the sorted \
        set and M the number of elements being returned. If M is \
        constant (e.g. always asking for the first 10 elements with \
        LIMIT), you can consider it O(log(N)).",
    doc_flags: &["deprecated"],
    deprecated_since: Some("6.2.0"),
    replaced_by: Some("`ZRANGE` with the `REV` and `BYLEX` arguments"),
    arguments: &[
        KEY,
        string("max"),
        string("min"),
        block("offset_count", &[integer("offset"), integer("count")])
            .token("LIMIT")
            .optional(),
    ],
    ..Meta::EMPTY
};

/// `ZPOPMIN key [count]`
pub static ZPOPMIN: Meta = Meta {
    name: "zpopmin",
    arity: -2,
    flags: &["write", "fast"],
    keys: (1, 1, 1),
    acl_categories: &["@write", "@sortedset", "@fast"],
    key_specs: &[one_key(1, RW_ACCESS_DELETE)],
    summary: "Remove and return members with the lowest scores in a sorted \
        set",
    since: "5.0.0",
    group: "sorted-set",
    complexity: "O(log(N)*M) with N being the number of elements in the sorted \
        set, and M being the number of elements popped.",
    arguments: &[KEY, integer("count").optional()],
    ..Meta::EMPTY
};

/// `ZPOPMAX key [count]`
pub static ZPOPMAX: Meta = Meta {
    name: "zpopmax",
    arity: -2,
    flags: &["write", "fast"],
    keys: (1, 1, 1),
    acl_categories: &["@write", "@sortedset", "@fast"],
    key_specs: &[one_key(1, RW_ACCESS_DELETE)],
    summary: "Remove and return members with the highest scores in a sorted \
        set",
    since: "5.0.0",
    group: "sorted-set",
    complexity: "O(log(N)*M) with N being the number of elements in the sorted \
        set, and M being the number of elements popped.",
    arguments: &[KEY, integer("count").optional()],
    ..Meta::EMPTY
};

/// `ZREMRANGEBYRANK key start stop`
pub static ZREMRANGEBYRANK: Meta = Meta {
    name: "zremrangebyrank",
    arity: 4,
    flags: &["write"],
    keys: (1, 1, 1),
    acl_categories: &["@write", "@sortedset", "@slow"],
    key_specs: &[one_key(1, &["RW", "delete"])],
    summary: "Remove all members in a sorted set within the given indexes",
    since: "2.0.0",
    group: "sorted-set",
    complexity: "O(log(N)+M) with N being the number of elements in the sorted \
        set and M the number of elements removed by the operation.",
    arguments: &[KEY, integer("start"), integer("stop")],
    ..Meta::EMPTY
};

/// `ZREMRANGEBYSCORE key min max`
pub static ZREMRANGEBYSCORE: Meta = Meta {
    name: "zremrangebyscore",
    arity: 4,
    flags: &["write"],
    keys: (1, 1, 1),
    acl_categories: &["@write", "@sortedset", "@slow"],
    key_specs: &[one_key(1, &["RW", "delete"])],
    summary: "Remove all members in a sorted set within the given scores",
    since: "1.2.0",
    group: "sorted-set",
    complexity: "O(log(N)+M) with N being the number of elements in the sorted \
        set and M the number of elements removed by the operation.",
    arguments: &[KEY, double("min"), double("max")],
    ..Meta::EMPTY
};

/// `ZREMRANGEBYLEX key min max`
pub static ZREMRANGEBYLEX: Meta = Meta {
    name: "zremrangebylex",
    arity: 4,
    flags: &["write"],
    keys: (1, 1, 1),
    acl_categories: &["@write", "@sortedset", "@slow"],
    key_specs: &[one_key(1, &["RW", "delete"])],
    summary: "Remove all members in a sorted set between the given \
        lexicographical range",
    since: "2.8.9",
    group: "sorted-set",
    complexity: "O(log(N)+M) with N being the number of elements in the sorted \
        set and M the number of elements removed by the operation.",
    arguments: &[KEY, string("min"), string("max")],
    ..Meta::EMPTY
};

/// ```text
/// ZUNIONSTORE destination numkeys key [key ...] [WEIGHTS weight [WEIGHTS weight ...]]
///     [AGGREGATE SUM | MIN | MAX]
/// ```
pub static ZUNIONSTORE: Meta = Meta {
    name: "zunionstore",
    arity: -4,
    flags: &["write", "denyoom", "movablekeys"],
    keys: (1, 1, 1),
    acl_categories: &["@write", "@sortedset", "@slow"],
    key_specs: &[
        one_key(1, OW_UPDATE),
        super::docs::key_num(2, 0, 1, 1, RO_ACCESS),
    ],
    summary: "Add multiple sorted sets and store the resulting sorted set in \
        a new key",
    since: "2.0.0",
    group: "sorted-set",
    complexity: "O(N)+O(M log(M)) with N being the sum of the sizes of the input \
        sorted sets, and M being the number of elements in the resulting \
        sorted set.",
    arguments: &[
        key("destination", 0),
        integer("numkeys"),
        key("key", 1).multiple(),
        integer("weight").token("WEIGHTS").optional().multiple(),
        oneof(
            "aggregate",
            &[
                token("sum", "SUM"),
                token("min", "MIN"),
                token("max", "MAX"),
            ],
        )
        .token("AGGREGATE")
        .optional(),
    ],
    ..Meta::EMPTY
};

/// ```text
/// ZINTERSTORE destination numkeys key [key ...] [WEIGHTS weight [WEIGHTS weight ...]]
///     [AGGREGATE SUM | MIN | MAX]
/// ```
pub static ZINTERSTORE: Meta = Meta {
    name: "zinterstore",
    arity: -4,
    flags: &["write", "denyoom", "movablekeys"],
    keys: (1, 1, 1),
    acl_categories: &["@write", "@sortedset", "@slow"],
    key_specs: &[
        one_key(1, OW_UPDATE),
        super::docs::key_num(2, 0, 1, 1, RO_ACCESS),
    ],
    summary: "Intersect multiple sorted sets and store the resulting sorted \
        set in a new key",
    since: "2.0.0",
    group: "sorted-set",
    complexity: "O(N*K)+O(M*log(M)) worst case with N being the smallest input \
        sorted set, K being the number of input sorted sets and M being \
        the number of elements in the resulting sorted set.",
    arguments: &[
        key("destination", 0),
        integer("numkeys"),
        key("key", 1).multiple(),
        integer("weight").token("WEIGHTS").optional().multiple(),
        oneof(
            "aggregate",
            &[
                token("sum", "SUM"),
                token("min", "MIN"),
                token("max", "MAX"),
            ],
        )
        .token("AGGREGATE")
        .optional(),
    ],
    ..Meta::EMPTY
};

/// ```text
/// ZUNION numkeys key [key ...] [WEIGHTS weight [WEIGHTS weight ...]] [AGGREGATE SUM | MIN |
///     MAX] [WITHSCORES]
/// ```
pub static ZUNION: Meta = Meta {
    name: "zunion",
    arity: -3,
    flags: &["readonly", "movablekeys"],
    acl_categories: &["@read", "@sortedset", "@slow"],
    key_specs: &[super::docs::key_num(1, 0, 1, 1, RO_ACCESS)],
    summary: "Add multiple sorted sets",
    since: "6.2.0",
    group: "sorted-set",
    complexity: "O(N)+O(M*log(M)) with N being the sum of the sizes of the input \
        sorted sets, and M being the number of elements in the resulting \
        sorted set.",
    arguments: &[
        integer("numkeys"),
        key("key", 0).multiple(),
        integer("weight").token("WEIGHTS").optional().multiple(),
        oneof(
            "aggregate",
            &[
                token("sum", "SUM"),
                token("min", "MIN"),
                token("max", "MAX"),
            ],
        )
        .token("AGGREGATE")
        .optional(),
        token("withscores", "WITHSCORES").optional(),
    ],
    ..Meta::EMPTY
};

/// ```text
/// ZINTER numkeys key [key ...] [WEIGHTS weight [WEIGHTS weight ...]] [AGGREGATE SUM | MIN |
///     MAX] [WITHSCORES]
/// ```
pub static ZINTER: Meta = Meta {
    name: "zinter",
    arity: -3,
    flags: &["readonly", "movablekeys"],
    acl_categories: &["@read", "@sortedset", "@slow"],
    key_specs: &[super::docs::key_num(1, 0, 1, 1, RO_ACCESS)],
    summary: "Intersect multiple sorted sets",
    since: "6.2.0",
    group: "sorted-set",
    complexity: "O(N*K)+O(M*log(M)) worst case with N being the smallest input \
        sorted set, K being the number of input sorted sets and M being \
        the number of elements in the resulting sorted set.",
    arguments: &[
        integer("numkeys"),
        key("key", 0).multiple(),
        integer("weight").token("WEIGHTS").optional().multiple(),
        oneof(
            "aggregate",
            &[
                token("sum", "SUM"),
                token("min", "MIN"),
                token("max", "MAX"),
            ],
        )
        .token("AGGREGATE")
        .optional(),
        token("withscores", "WITHSCORES").optional(),
    ],
    ..Meta::EMPTY
};

/// `ZDIFF numkeys key [key ...] [WITHSCORES]`
pub static ZDIFF: Meta = Meta {
    name: "zdiff",
    arity: -3,
    flags: &["readonly", "movablekeys"],
    acl_categories: &["@read", "@sortedset", "@slow"],
    key_specs: &[super::docs::key_num(1, 0, 1, 1, RO_ACCESS)],
    summary: "Subtract multiple sorted sets",
    since: "6.2.0",
    group: "sorted-set",
    complexity: "O(L + (N-K)log(N)) worst case where L is the total number of \
        elements in all the sets, N is the size of the first set, and K \
        is the size of the result set.",
    arguments: &[
        integer("numkeys"),
        key("key", 0).multiple(),
        token("withscores", "WITHSCORES").optional(),
    ],
    ..Meta::EMPTY
};

/// `ZDIFFSTORE destination numkeys key [key ...]`
pub static ZDIFFSTORE: Meta = Meta {
    name: "zdiffstore",
    arity: -4,
    flags: &["write", "denyoom", "movablekeys"],
    keys: (1, 1, 1),
    acl_categories: &["@write", "@sortedset", "@slow"],
    key_specs: &[
        one_key(1, OW_UPDATE),
        super::docs::key_num(2, 0, 1, 1, RO_ACCESS),
    ],
    summary: "Subtract multiple sorted sets and store the resulting sorted \
        set in a new key",
    since: "6.2.0",
    group: "sorted-set",
    complexity: "O(L + (N-K)log(N)) worst case where L is the total number of \
        elements in all the sets, N is the size of the first set, and K \
        is the size of the result set.",
    arguments: &[
        key("destination", 0),
        integer("numkeys"),
        key("key", 1).multiple(),
    ],
    ..Meta::EMPTY
};

/// `ZINTERCARD numkeys key [key ...] [LIMIT limit]`
pub static ZINTERCARD: Meta = Meta {
    name: "zintercard",
    arity: -3,
    flags: &["readonly", "movablekeys"],
    acl_categories: &["@read", "@sortedset", "@slow"],
    key_specs: &[super::docs::key_num(1, 0, 1, 1, RO_ACCESS)],
    summary: "Intersect multiple sorted sets and return the cardinality of \
        the result",
    since: "7.0.0",
    group: "sorted-set",
    complexity: "O(N*K) worst case with N being the smallest input sorted set, K \
        being the number of input sorted sets.",
    arguments: &[
        integer("numkeys"),
        key("key", 0).multiple(),
        integer("limit").token("LIMIT").optional(),
    ],
    ..Meta::EMPTY
};

/// `ZRANDMEMBER key [count [WITHSCORES]]`
pub static ZRANDMEMBER: Meta = Meta {
    name: "zrandmember",
    arity: -2,
    flags: &["readonly"],
    keys: (1, 1, 1),
    acl_categories: &["@read", "@sortedset", "@slow"],
    tips: &["nondeterministic_output"],
    key_specs: &[one_key(1, RO_ACCESS)],
    summary: "Get one or multiple random elements from a sorted set",
    since: "6.2.0",
    group: "sorted-set",
    complexity: "O(N) where N is the number of elements returned",
    arguments: &[
        KEY,
        block(
            "options",
            &[
                integer("count"),
                token("withscores", "WITHSCORES").optional(),
            ],
        )
        .optional(),
    ],
    ..Meta::EMPTY
};

/// `ZSCAN key cursor [MATCH pattern] [COUNT count]`
pub static ZSCAN: Meta = Meta {
    name: "zscan",
    arity: -3,
    flags: &["readonly"],
    keys: (1, 1, 1),
    acl_categories: &["@read", "@sortedset", "@slow"],
    tips: &["nondeterministic_output"],
    key_specs: &[one_key(1, RO_ACCESS)],
    summary: "Incrementally iterate sorted sets elements and associated \
        scores",
    since: "2.8.0",
    group: "sorted-set",
    complexity: "O(1) for every call. O(N) for a complete iteration, including \
        enough command calls for the cursor to return back to 0. N is \
        the number of elements inside the collection..",
    arguments: &[
        KEY,
        integer("cursor"),
        pattern("pattern").token("MATCH").optional(),
        integer("count").token("COUNT").optional(),
    ],
    ..Meta::EMPTY
};

// Pub/sub, MONITOR and RESET.

/// The flags of the commands that (un)subscribe.
const SUBSCRIBING: &[&str] = &["pubsub", "noscript", "loading", "stale"];
/// The flags of PUBSUB's subcommands that look at the subscriptions.
const PUBSUB_LOOK: &[&str] = &["pubsub", "loading", "stale"];
/// Sharded channels are found as keys are (for cluster routing), but are not keys.
const NOT_KEY: &[&str] = &["not_key"];

/// `SUBSCRIBE channel [channel ...]`
pub static SUBSCRIBE: Meta = Meta {
    name: "subscribe",
    arity: -2,
    flags: SUBSCRIBING,
    acl_categories: &["@pubsub", "@slow"],
    summary: "Listen for messages published to the given channels",
    since: "2.0.0",
    group: "pubsub",
    complexity: "O(N) where N is the number of channels to subscribe to.",
    arguments: &[string("channel").multiple()],
    ..Meta::EMPTY
};

/// `UNSUBSCRIBE [channel [channel ...]]`
pub static UNSUBSCRIBE: Meta = Meta {
    name: "unsubscribe",
    arity: -1,
    flags: SUBSCRIBING,
    acl_categories: &["@pubsub", "@slow"],
    summary: "Stop listening for messages posted to the given channels",
    since: "2.0.0",
    group: "pubsub",
    complexity: "O(N) where N is the number of clients already subscribed to a channel.",
    arguments: &[string("channel").optional().multiple()],
    ..Meta::EMPTY
};

/// `PSUBSCRIBE pattern [pattern ...]`
pub static PSUBSCRIBE: Meta = Meta {
    name: "psubscribe",
    arity: -2,
    flags: SUBSCRIBING,
    acl_categories: &["@pubsub", "@slow"],
    summary: "Listen for messages published to channels matching the given patterns",
    since: "2.0.0",
    group: "pubsub",
    complexity: "O(N) where N is the number of patterns the client is already subscribed to.",
    arguments: &[block("pattern", &[pattern("pattern")]).multiple()],
    ..Meta::EMPTY
};

/// `PUNSUBSCRIBE [pattern [pattern ...]]`
pub static PUNSUBSCRIBE: Meta = Meta {
    name: "punsubscribe",
    arity: -1,
    flags: SUBSCRIBING,
    acl_categories: &["@pubsub", "@slow"],
    summary: "Stop listening for messages posted to channels matching the given patterns",
    since: "2.0.0",
    group: "pubsub",
    complexity: "O(N+M) where N is the number of patterns the client is already \
        subscribed and M is the number of total patterns subscribed in the \
        system (by any client).",
    arguments: &[pattern("pattern").optional().multiple()],
    ..Meta::EMPTY
};

/// `PUBLISH channel message`
pub static PUBLISH: Meta = Meta {
    name: "publish",
    arity: 3,
    flags: &["pubsub", "loading", "stale", "fast"],
    acl_categories: &["@pubsub", "@fast"],
    summary: "Post a message to a channel",
    since: "2.0.0",
    group: "pubsub",
    complexity: "O(N+M) where N is the number of clients subscribed to the receiving \
        channel and M is the total number of subscribed patterns (by any client).",
    arguments: &[string("channel"), string("message")],
    ..Meta::EMPTY
};

/// `PUBSUB <subcommand>`
pub static PUBSUB: Meta = Meta {
    name: "pubsub",
    arity: -2,
    acl_categories: &["@slow"],
    subcommands: &[
        &PUBSUB_CHANNELS,
        &PUBSUB_HELP,
        &PUBSUB_SHARDCHANNELS,
        &PUBSUB_NUMPAT,
        &PUBSUB_NUMSUB,
        &PUBSUB_SHARDNUMSUB,
    ],
    summary: "A container for Pub/Sub commands",
    since: "2.8.0",
    group: "pubsub",
    complexity: "Depends on subcommand.",
    ..Meta::EMPTY
};

/// `PUBSUB CHANNELS [pattern]`
pub static PUBSUB_CHANNELS: Meta = Meta {
    name: "pubsub|channels",
    arity: -2,
    flags: PUBSUB_LOOK,
    acl_categories: &["@pubsub", "@slow"],
    summary: "List active channels",
    since: "2.8.0",
    group: "pubsub",
    complexity: "O(N) where N is the number of active channels, and assuming \
        constant time pattern matching (relatively short channels and patterns)",
    arguments: &[pattern("pattern").optional()],
    ..Meta::EMPTY
};

/// `PUBSUB HELP`
pub static PUBSUB_HELP: Meta = Meta {
    name: "pubsub|help",
    arity: 2,
    flags: &["loading", "stale"],
    acl_categories: &["@slow"],
    summary: "Show helpful text about the different subcommands",
    since: "6.2.0",
    group: "pubsub",
    complexity: "O(1)",
    ..Meta::EMPTY
};

/// `PUBSUB SHARDCHANNELS [pattern]`
pub static PUBSUB_SHARDCHANNELS: Meta = Meta {
    name: "pubsub|shardchannels",
    arity: -2,
    flags: PUBSUB_LOOK,
    acl_categories: &["@pubsub", "@slow"],
    summary: "List active shard channels",
    since: "7.0.0",
    group: "pubsub",
    complexity: "O(N) where N is the number of active shard channels, and assuming \
        constant time pattern matching (relatively short shard channels).",
    arguments: &[pattern("pattern").optional()],
    ..Meta::EMPTY
};

/// `PUBSUB NUMPAT`
pub static PUBSUB_NUMPAT: Meta = Meta {
    name: "pubsub|numpat",
    arity: 2,
    flags: PUBSUB_LOOK,
    acl_categories: &["@pubsub", "@slow"],
    summary: "Get the count of unique patterns pattern subscriptions",
    since: "2.8.0",
    group: "pubsub",
    complexity: "O(1)",
    ..Meta::EMPTY
};

/// `PUBSUB NUMSUB [channel [channel ...]]`
pub static PUBSUB_NUMSUB: Meta = Meta {
    name: "pubsub|numsub",
    arity: -2,
    flags: PUBSUB_LOOK,
    acl_categories: &["@pubsub", "@slow"],
    summary: "Get the count of subscribers for channels",
    since: "2.8.0",
    group: "pubsub",
    complexity: "O(N) for the NUMSUB subcommand, where N is the number of requested channels",
    arguments: &[string("channel").optional().multiple()],
    ..Meta::EMPTY
};

/// `PUBSUB SHARDNUMSUB [shardchannel [shardchannel ...]]`
pub static PUBSUB_SHARDNUMSUB: Meta = Meta {
    name: "pubsub|shardnumsub",
    arity: -2,
    flags: PUBSUB_LOOK,
    acl_categories: &["@pubsub", "@slow"],
    summary: "Get the count of subscribers for shard channels",
    since: "7.0.0",
    group: "pubsub",
    complexity: "O(N) for the SHARDNUMSUB subcommand, where N is the number of \
        requested shard channels",
    arguments: &[string("shardchannel").optional().multiple()],
    ..Meta::EMPTY
};

/// `SSUBSCRIBE shardchannel [shardchannel ...]`
pub static SSUBSCRIBE: Meta = Meta {
    name: "ssubscribe",
    arity: -2,
    flags: SUBSCRIBING,
    keys: (1, -1, 1),
    acl_categories: &["@pubsub", "@slow"],
    key_specs: &[key_range(1, -1, 1, NOT_KEY)],
    summary: "Listen for messages published to the given shard channels",
    since: "7.0.0",
    group: "pubsub",
    complexity: "O(N) where N is the number of shard channels to subscribe to.",
    arguments: &[string("shardchannel").multiple()],
    ..Meta::EMPTY
};

/// `SUNSUBSCRIBE [shardchannel [shardchannel ...]]`
pub static SUNSUBSCRIBE: Meta = Meta {
    name: "sunsubscribe",
    arity: -1,
    flags: SUBSCRIBING,
    keys: (1, -1, 1),
    acl_categories: &["@pubsub", "@slow"],
    key_specs: &[key_range(1, -1, 1, NOT_KEY)],
    summary: "Stop listening for messages posted to the given shard channels",
    since: "7.0.0",
    group: "pubsub",
    complexity: "O(N) where N is the number of clients already subscribed to a shard channel.",
    arguments: &[string("shardchannel").optional().multiple()],
    ..Meta::EMPTY
};

/// `SPUBLISH shardchannel message`
pub static SPUBLISH: Meta = Meta {
    name: "spublish",
    arity: 3,
    flags: &["pubsub", "loading", "stale", "fast"],
    keys: (1, 1, 1),
    acl_categories: &["@pubsub", "@fast"],
    key_specs: &[one_key(1, NOT_KEY)],
    summary: "Post a message to a shard channel",
    since: "7.0.0",
    group: "pubsub",
    complexity: "O(N) where N is the number of clients subscribed to the receiving shard channel.",
    arguments: &[string("shardchannel"), string("message")],
    ..Meta::EMPTY
};

/// `MONITOR`
pub static MONITOR: Meta = Meta {
    name: "monitor",
    arity: 1,
    flags: &["admin", "noscript", "loading", "stale"],
    acl_categories: &["@admin", "@slow", "@dangerous"],
    summary: "Listen for all requests received by the server in real time",
    since: "1.0.0",
    group: "server",
    ..Meta::EMPTY
};

/// `RESET`
pub static RESET: Meta = Meta {
    name: "reset",
    arity: 1,
    flags: &[
        "noscript",
        "loading",
        "stale",
        "fast",
        "no_auth",
        "allow_busy",
    ],
    acl_categories: &["@fast", "@connection"],
    summary: "Reset the connection",
    since: "6.2.0",
    group: "connection",
    complexity: "O(1)",
    ..Meta::EMPTY
};
// Persistence.

/// `SAVE`
pub static SAVE: Meta = Meta {
    name: "save",
    arity: 1,
    flags: &["admin", "noscript", "no_async_loading", "no_multi"],
    acl_categories: &["@admin", "@slow", "@dangerous"],
    summary: "Synchronously save the dataset to disk",
    since: "1.0.0",
    group: "server",
    complexity: "O(N) where N is the total number of keys in all databases",
    ..Meta::EMPTY
};

/// `BGSAVE [SCHEDULE]`
pub static BGSAVE: Meta = Meta {
    name: "bgsave",
    arity: -1,
    flags: &["admin", "noscript", "no_async_loading"],
    acl_categories: &["@admin", "@slow", "@dangerous"],
    summary: "Asynchronously save the dataset to disk",
    since: "1.0.0",
    group: "server",
    complexity: "O(1)",
    history: &[("3.2.2", "Added the `SCHEDULE` option.")],
    arguments: &[token("schedule", "SCHEDULE").since("3.2.2").optional()],
    ..Meta::EMPTY
};

/// `LASTSAVE`
pub static LASTSAVE: Meta = Meta {
    name: "lastsave",
    arity: 1,
    flags: &["loading", "stale", "fast"],
    acl_categories: &["@admin", "@fast", "@dangerous"],
    tips: &["nondeterministic_output"],
    summary: "Get the UNIX time stamp of the last successful save to disk",
    since: "1.0.0",
    group: "server",
    complexity: "O(1)",
    ..Meta::EMPTY
};

/// `DUMP key`
pub static DUMP: Meta = Meta {
    name: "dump",
    arity: 2,
    flags: &["readonly"],
    keys: (1, 1, 1),
    acl_categories: &["@keyspace", "@read", "@slow"],
    tips: &["nondeterministic_output"],
    key_specs: &[one_key(1, RO_ACCESS)],
    summary: "Return a serialized version of the value stored at the specified key.",
    since: "2.6.0",
    group: "generic",
    complexity: "O(1) to access the key and additional O(N*M) to serialize it, where N is \
        the number of Redis objects composing the value and M their average size. For small \
        string values the time complexity is thus O(1)+O(1*M) where M is small, so simply O(1).",
    arguments: &[KEY],
    ..Meta::EMPTY
};

/// `RESTORE key ttl serialized-value [REPLACE] [ABSTTL] [IDLETIME seconds]
/// [FREQ frequency]`
pub static RESTORE: Meta = Meta {
    name: "restore",
    arity: -4,
    flags: &["write", "denyoom"],
    keys: (1, 1, 1),
    acl_categories: &["@keyspace", "@write", "@slow", "@dangerous"],
    key_specs: &[one_key(1, OW_UPDATE)],
    summary: "Create a key using the provided serialized value, previously obtained using DUMP.",
    since: "2.6.0",
    group: "generic",
    complexity: "O(1) to create the new key and additional O(N*M) to reconstruct the \
        serialized value, where N is the number of Redis objects composing the value and M \
        their average size. For small string values the time complexity is thus O(1)+O(1*M) \
        where M is small, so simply O(1). However for sorted set values the complexity is \
        O(N*M*log(N)) because inserting values into sorted sets is O(log(N)).",
    history: &[
        ("3.0.0", "Added the `REPLACE` modifier."),
        ("5.0.0", "Added the `ABSTTL` modifier."),
        ("5.0.0", "Added the `IDLETIME` and `FREQ` options."),
    ],
    arguments: &[
        KEY,
        integer("ttl"),
        string("serialized-value"),
        token("replace", "REPLACE").since("3.0.0").optional(),
        token("absttl", "ABSTTL").since("5.0.0").optional(),
        integer("seconds")
            .token("IDLETIME")
            .since("5.0.0")
            .optional(),
        integer("frequency").token("FREQ").since("5.0.0").optional(),
    ],
    ..Meta::EMPTY
};
