//! RESP, the Redis serialization protocol: reading requests, writing replies.
//!
//! A request is either an array of bulk strings (`*2\r\n$3\r\nGET\r\n$1\r\nk\r\n`,
//! what every client library sends) or an *inline command* (`GET k\r\n`, what
//! a person types into `nc`). Both become the same thing: a list of arguments,
//! each a byte string. Nothing here assumes UTF-8: keys and values are bytes.
//!
//! The reader is written against [`BufRead`], so it works the same on a socket,
//! a file or a byte slice in a test. It only ever asks for bytes that have
//! really arrived: a client that *declares* a 500 MB value costs us memory only
//! as those bytes come in.
//!
//! Replies are a [`Reply`] value, written by [`Reply::write_to`] in the
//! connection's [`RespVersion`]: RESP2 by default, RESP3 after `HELLO 3`.

use std::fmt;
use std::io::{self, BufRead, Read, Write};

/// One request: the command name followed by its arguments, as raw bytes.
pub type Request = Vec<Vec<u8>>;

/// Longest inline command, and longest `*N` / `$N` header line (Redis's
/// `PROTO_INLINE_MAX_SIZE`). Past this without a line end, the client is cut off.
pub const MAX_INLINE_LEN: usize = 64 * 1024;

/// Largest element count of a request array. Redis 7 accepts up to `INT_MAX`;
/// we only reserve space for elements as they arrive, so a large count is harmless.
pub const MAX_MULTIBULK_LEN: i64 = i32::MAX as i64;

/// Largest bulk string in a request (Redis's `proto-max-bulk-len`, 512 MiB).
pub const MAX_BULK_LEN: i64 = 512 * 1024 * 1024;

/// Bulk strings up to this size are read in one go; larger ones grow
/// chunk by chunk as their bytes arrive.
const BULK_CHUNK: usize = 64 * 1024;

/// A request the client got wrong. Redis answers with the message and then
/// closes the connection, because it can no longer tell where the next
/// request starts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ProtocolError {
    InvalidMultibulkLength,
    InvalidBulkLength,
    /// An array element did not start with `$`; holds the byte it started with.
    ExpectedBulk(u8),
    TooBigInline,
    TooBigMultibulkCount,
    TooBigBulkCount,
    UnbalancedQuotes,
}

impl fmt::Display for ProtocolError {
    /// Redis's exact wording (`networking.c`), without the `ERR ` code.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::InvalidMultibulkLength => write!(f, "Protocol error: invalid multibulk length"),
            Self::InvalidBulkLength => write!(f, "Protocol error: invalid bulk length"),
            Self::ExpectedBulk(got) => {
                write!(
                    f,
                    "Protocol error: expected '$', got '{}'",
                    char::from(*got)
                )
            }
            Self::TooBigInline => write!(f, "Protocol error: too big inline request"),
            Self::TooBigMultibulkCount => write!(f, "Protocol error: too big mbulk count string"),
            Self::TooBigBulkCount => write!(f, "Protocol error: too big bulk count string"),
            Self::UnbalancedQuotes => write!(f, "Protocol error: unbalanced quotes in request"),
        }
    }
}

/// Why no request could be read.
#[derive(Debug)]
pub enum ReadError {
    /// The client sent something that is not RESP: answer it, then hang up.
    Protocol(ProtocolError),
    /// The socket failed, or the client left in the middle of a request.
    Io(io::Error),
}

impl From<io::Error> for ReadError {
    fn from(err: io::Error) -> Self {
        ReadError::Io(err)
    }
}

impl From<ProtocolError> for ReadError {
    fn from(err: ProtocolError) -> Self {
        ReadError::Protocol(err)
    }
}

/// Reads the next request. `Ok(None)` means the client closed the connection
/// cleanly, between two requests.
///
/// Empty inline lines and empty arrays (`*0`, `*-1`) are skipped, as Redis does.
/// The workshop gives this loop; step 2 writes the array reader it calls.
pub fn read_request<R: BufRead>(reader: &mut R) -> Result<Option<Request>, ReadError> {
    let mut line = Vec::new();
    loop {
        let first = match reader.fill_buf()?.first() {
            None => return Ok(None),
            Some(&byte) => byte,
        };
        let request = if first == b'*' {
            read_multibulk(reader, &mut line)?
        } else {
            // An inline line ends at `\n`; a `\r` before it is a space to `parse_inline`.
            read_line(reader, &mut line, b'\n', ProtocolError::TooBigInline)?;
            parse_inline(&line)?
        };
        if !request.is_empty() {
            return Ok(Some(request));
        }
    }
}

/// `*<count>\r\n` followed by `count` bulk strings.
fn read_multibulk<R: BufRead>(reader: &mut R, line: &mut Vec<u8>) -> Result<Request, ReadError> {
    //@ step 2: Read the `*<count>` line (`read_header`), then `count` times a `$<len>` line and its bulk string, with Redis's errors for bad lengths.
    read_header(reader, line, ProtocolError::TooBigMultibulkCount)?;
    let count = match parse_i64(&line[1..]) {
        Some(n) if n <= MAX_MULTIBULK_LEN => n,
        _ => return Err(ProtocolError::InvalidMultibulkLength.into()),
    };
    // Reserve for a few elements only: the count is the client's claim, not yet data.
    let mut request = Vec::with_capacity(count.clamp(0, 16) as usize);
    for _ in 0..count {
        read_header(reader, line, ProtocolError::TooBigBulkCount)?;
        // An empty line had only its line end, which starts with `\r`.
        let first = line.first().copied().unwrap_or(b'\r');
        if first != b'$' {
            return Err(ProtocolError::ExpectedBulk(first).into());
        }
        let len = match parse_i64(&line[1..]) {
            Some(n) if (0..=MAX_BULK_LEN).contains(&n) => n as usize,
            _ => return Err(ProtocolError::InvalidBulkLength.into()),
        };
        request.push(read_bulk(reader, len)?);
    }
    Ok(request)
    //@ end step 2
}

/// Reads `len` bytes of payload and the two bytes after it. Like Redis, we
/// skip those two bytes without checking that they are `\r\n`.
fn read_bulk<R: BufRead>(reader: &mut R, len: usize) -> io::Result<Vec<u8>> {
    //@ step 2: Read `len` bytes and the `\r\n` after them (`read_exact`); never allocate more than has arrived.
    let total = len + 2;
    // Usually the whole string is already in the reader's buffer: copy it out.
    let buffered = reader.fill_buf()?;
    if buffered.len() >= total {
        let bulk = buffered[..len].to_vec();
        reader.consume(total);
        return Ok(bulk);
    }
    let mut bulk = if total <= BULK_CHUNK {
        let mut bulk = vec![0; total];
        reader.read_exact(&mut bulk)?;
        bulk
    } else {
        // Grow only as bytes arrive, so a lying length cannot make us allocate.
        let mut bulk = Vec::with_capacity(BULK_CHUNK);
        let got = reader.take(total as u64).read_to_end(&mut bulk)?;
        if got < total {
            return Err(io::ErrorKind::UnexpectedEof.into());
        }
        bulk
    };
    bulk.truncate(len);
    Ok(bulk)
    //@ end step 2
}

/// Reads one line, up to and including the byte `end`, into `line`, and
/// strips that byte. More than [`MAX_INLINE_LEN`] bytes without the end is
/// the error `too_big`; a client that leaves mid-line is an I/O error.
///
/// Redis looks for a line's end with C's `strchr`, which stops at a NUL
/// byte: to Redis, a line with a NUL before its end has no end. So we read
/// on past it, until the line is too long or the client leaves.
fn read_line<R: BufRead>(
    reader: &mut R,
    line: &mut Vec<u8>,
    end: u8,
    too_big: ProtocolError,
) -> Result<(), ReadError> {
    line.clear();
    // Redis waits as long as it holds at most MAX_INLINE_LEN bytes of a
    // line without its end, so the end may be the byte after those.
    let mut limited = reader.take(MAX_INLINE_LEN as u64 + 1);
    limited.read_until(end, line)?;
    if line.contains(&0) {
        // No end that Redis could see: read on until the line is too long.
        limited.read_to_end(line)?;
    } else if line.last() == Some(&end) {
        line.pop();
        return Ok(());
    }
    if line.len() > MAX_INLINE_LEN {
        return Err(too_big.into());
    }
    Err(ReadError::Io(io::ErrorKind::UnexpectedEof.into()))
}

/// Reads a `*<count>` or `$<len>` line into `line`, without its line end.
/// Redis ends such a line at its first `\r`, so a bare `\n` is part of the
/// number (`*1\n` is not a count), and it skips the byte after the `\r`
/// without looking at it, as it skips the two after a bulk string.
fn read_header<R: BufRead>(
    reader: &mut R,
    line: &mut Vec<u8>,
    too_big: ProtocolError,
) -> Result<(), ReadError> {
    read_line(reader, line, b'\r', too_big)?;
    let mut skipped = [0u8; 1];
    reader.read_exact(&mut skipped)?;
    Ok(())
}

/// Redis's strict integer syntax, shared by the protocol and by commands such
/// as INCRBY: `"10"` and `"-3"` are integers, `" 10"`, `"+10"`, `"010"` and
/// `"-0"` are not, nor is anything outside `i64`.
pub fn parse_i64(text: &[u8]) -> Option<i64> {
    let (negative, digits) = match text {
        [b'0'] => return Some(0),
        [b'-', rest @ ..] => (true, rest),
        _ => (false, text),
    };
    match digits.first() {
        Some(b'1'..=b'9') if digits.len() <= 20 => {}
        _ => return None,
    }
    let mut value: i64 = 0;
    for &byte in digits {
        if !byte.is_ascii_digit() {
            return None;
        }
        let digit = i64::from(byte - b'0');
        // Accumulate as a negative number: i64::MIN has no positive twin.
        value = value.checked_mul(10)?.checked_sub(digit)?;
    }
    if negative {
        Some(value)
    } else {
        value.checked_neg()
    }
}

/// Splits an inline command into arguments like Redis's `sdssplitargs`:
/// words separated by spaces; `"double quotes"` understand `\n`, `\r`, `\t`,
/// `\b`, `\a` and `\xHH`; `'single quotes'` understand only `\'`. A closing
/// quote must be followed by a space or the end of the line. The reader
/// never gives it a NUL byte (see `read_line`), so a NUL is a plain byte here.
pub fn parse_inline(line: &[u8]) -> Result<Request, ProtocolError> {
    //@ step 5: Split the line into words separated by spaces; `parse_word` handles the quotes.
    //@ stub: // Until step 5 is written: words split at whitespace, quotes not understood.
    //@ stub: Ok(line.split(u8::is_ascii_whitespace).filter(|w| !w.is_empty()).map(<[u8]>::to_vec).collect())
    let mut args = Vec::new();
    let mut rest = line;
    loop {
        while let [first, tail @ ..] = rest {
            if !first.is_ascii_whitespace() && *first != 0x0b {
                break;
            }
            rest = tail;
        }
        if rest.is_empty() {
            return Ok(args);
        }
        let (arg, tail) = parse_word(rest)?;
        args.push(arg);
        rest = tail;
    }
    //@ end step 5
}

/// Reads one inline word from the start of `input` (which does not start with
/// a space). Returns the word and what follows it. Like `sdssplitargs`, an
/// unquoted word ends only at a space, `\n`, `\r` or `\t` (a `\x0b` or `\x0c`
/// is part of it), and a closing quote always ends the word.
fn parse_word(mut input: &[u8]) -> Result<(Vec<u8>, &[u8]), ProtocolError> {
    let mut word = Vec::new();
    loop {
        match input {
            [] | [b' ' | b'\n' | b'\r' | b'\t', ..] => return Ok((word, input)),
            [b'"', tail @ ..] => {
                let rest = parse_double_quoted(tail, &mut word)?;
                return Ok((word, rest));
            }
            [b'\'', tail @ ..] => {
                let rest = parse_single_quoted(tail, &mut word)?;
                return Ok((word, rest));
            }
            [byte, tail @ ..] => {
                word.push(*byte);
                input = tail;
            }
        }
    }
}

/// The inside of a `"..."` word, after the opening quote.
fn parse_double_quoted<'a>(
    mut input: &'a [u8],
    word: &mut Vec<u8>,
) -> Result<&'a [u8], ProtocolError> {
    loop {
        match input {
            [] => return Err(ProtocolError::UnbalancedQuotes),
            [b'\\', b'x', high, low, tail @ ..]
                if high.is_ascii_hexdigit() && low.is_ascii_hexdigit() =>
            {
                word.push(hex_value(*high) * 16 + hex_value(*low));
                input = tail;
            }
            [b'\\', escaped, tail @ ..] => {
                word.push(match escaped {
                    b'n' => b'\n',
                    b'r' => b'\r',
                    b't' => b'\t',
                    b'b' => 0x08,
                    b'a' => 0x07,
                    other => *other,
                });
                input = tail;
            }
            [b'"', tail @ ..] => return after_closing_quote(tail),
            [byte, tail @ ..] => {
                word.push(*byte);
                input = tail;
            }
        }
    }
}

/// The inside of a `'...'` word, after the opening quote.
fn parse_single_quoted<'a>(
    mut input: &'a [u8],
    word: &mut Vec<u8>,
) -> Result<&'a [u8], ProtocolError> {
    loop {
        match input {
            [] => return Err(ProtocolError::UnbalancedQuotes),
            [b'\\', b'\'', tail @ ..] => {
                word.push(b'\'');
                input = tail;
            }
            [b'\'', tail @ ..] => return after_closing_quote(tail),
            [byte, tail @ ..] => {
                word.push(*byte);
                input = tail;
            }
        }
    }
}

/// A closing quote ends the word, so it must be followed by a space or nothing.
fn after_closing_quote(tail: &[u8]) -> Result<&[u8], ProtocolError> {
    match tail.first() {
        Some(next) if !next.is_ascii_whitespace() && *next != 0x0b => {
            Err(ProtocolError::UnbalancedQuotes)
        }
        _ => Ok(tail),
    }
}

fn hex_value(digit: u8) -> u8 {
    match digit {
        b'0'..=b'9' => digit - b'0',
        b'a'..=b'f' => digit - b'a' + 10,
        _ => digit - b'A' + 10,
    }
}

/// Which reply encoding a connection speaks. Every connection starts in RESP2;
/// `HELLO 3` switches it to RESP3, which has real null, map and verbatim types.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RespVersion {
    Resp2,
    Resp3,
}

/// A reply, before it is encoded for one connection.
#[derive(Debug, Clone, PartialEq)]
pub enum Reply {
    /// `+OK`: a short status that never contains a line end.
    Simple(&'static str),
    /// `-ERR ...`: the text includes its code (`ERR`, `NOPROTO`, ...). Bytes,
    /// because an error may quote a client's argument as it was sent.
    Error(Vec<u8>),
    /// `:42`
    Integer(i64),
    /// `$5\r\nhello`: binary-safe bytes.
    Bulk(Vec<u8>),
    /// The absent value: `$-1` in RESP2, `_` in RESP3.
    Null,
    /// The absent array (an aborted EXEC, LPOP with a count on no key):
    /// `*-1` in RESP2, `_` in RESP3.
    NullArray,
    /// `*N` followed by N replies.
    Array(Vec<Reply>),
    /// `~N` in RESP3 (an unordered set); an array in RESP2.
    Set(Vec<Reply>),
    /// `%N` in RESP3; a flat array of 2N replies in RESP2.
    Map(Vec<(Reply, Reply)>),
    /// Text meant for people (INFO): `=N\r\ntxt:...` in RESP3, bulk in RESP2.
    Verbatim(String),
    /// A double (a sorted set's score): `,1.5` in RESP3, a bulk string in
    /// RESP2, written as Redis 7.0 writes it (`%.17g`, `inf`, `-inf`).
    Double(f64),
    /// Ordered pairs, such as members and scores (WITHSCORES) or fields and
    /// values (HRANDFIELD ... WITHVALUES): an array of two-element arrays in
    /// RESP3, one flat array of 2N replies in RESP2.
    Pairs(Vec<(Reply, Reply)>),
    /// An array of `count` bulk strings, already encoded one after another
    /// (`$3\r\nabc\r\n...`), as they are the same in RESP2 and RESP3: a
    /// long LRANGE is one buffer, not a `Vec` per element. Made by
    /// [`Reply::bulks`].
    Bulks { count: usize, encoded: Vec<u8> },
    /// Data the server sends without being asked (a pub/sub message, a
    /// subscription's confirmation): `>N` in RESP3, an array in RESP2.
    Push(Vec<Reply>),
    /// Several replies written one after another, with no header: SUBSCRIBE
    /// of two channels answers with two confirmations. Empty: nothing at all.
    Several(Vec<Reply>),
}

impl Reply {
    /// `+OK`, the most common reply of all.
    pub const OK: Reply = Reply::Simple("OK");

    /// A bulk reply from anything that can be viewed as bytes.
    pub fn bulk(bytes: impl Into<Vec<u8>>) -> Reply {
        Reply::Bulk(bytes.into())
    }

    /// An array of bulk strings, encoded at once ([`Reply::Bulks`]).
    pub fn bulks<'a>(elements: impl IntoIterator<Item = &'a [u8]>) -> Reply {
        let (mut count, mut encoded) = (0, Vec::new());
        for element in elements {
            write_bulk(&mut encoded, element).expect("a Vec takes every write");
            count += 1;
        }
        Reply::Bulks { count, encoded }
    }

    /// Encodes this reply onto `out` in the connection's RESP version.
    pub fn write_to<W: Write>(&self, out: &mut W, version: RespVersion) -> io::Result<()> {
        match self {
            Reply::Simple(text) => write_line(out, b'+', text.as_bytes()),
            Reply::Error(text) => write_error(out, text),
            Reply::Integer(n) => write_number(out, b':', *n),
            Reply::Bulk(bytes) => write_bulk(out, bytes),
            Reply::Null => match version {
                RespVersion::Resp2 => out.write_all(b"$-1\r\n"),
                RespVersion::Resp3 => out.write_all(b"_\r\n"),
            },
            Reply::NullArray => match version {
                RespVersion::Resp2 => out.write_all(b"*-1\r\n"),
                RespVersion::Resp3 => out.write_all(b"_\r\n"),
            },
            Reply::Array(items) => write_items(out, b'*', items, version),
            Reply::Set(items) => match version {
                RespVersion::Resp2 => write_items(out, b'*', items, version),
                RespVersion::Resp3 => write_items(out, b'~', items, version),
            },
            Reply::Map(pairs) => {
                match version {
                    RespVersion::Resp2 => write_number(out, b'*', pairs.len() as i64 * 2)?,
                    RespVersion::Resp3 => write_number(out, b'%', pairs.len() as i64)?,
                }
                pairs.iter().try_for_each(|(key, value)| {
                    key.write_to(out, version)?;
                    value.write_to(out, version)
                })
            }
            Reply::Double(value) => {
                let text = crate::float::format_g17(*value);
                match version {
                    RespVersion::Resp2 => write_bulk(out, text.as_bytes()),
                    RespVersion::Resp3 => write_line(out, b',', text.as_bytes()),
                }
            }
            Reply::Pairs(pairs) => {
                let flat = version == RespVersion::Resp2;
                let count = if flat { pairs.len() * 2 } else { pairs.len() };
                write_number(out, b'*', count as i64)?;
                pairs.iter().try_for_each(|(first, second)| {
                    if !flat {
                        out.write_all(b"*2\r\n")?;
                    }
                    first.write_to(out, version)?;
                    second.write_to(out, version)
                })
            }
            Reply::Bulks { count, encoded } => {
                write_number(out, b'*', *count as i64)?;
                out.write_all(encoded)
            }
            Reply::Push(items) => match version {
                RespVersion::Resp2 => write_items(out, b'*', items, version),
                RespVersion::Resp3 => write_items(out, b'>', items, version),
            },
            Reply::Several(replies) => replies
                .iter()
                .try_for_each(|reply| reply.write_to(out, version)),
            Reply::Verbatim(text) => match version {
                RespVersion::Resp2 => write_bulk(out, text.as_bytes()),
                RespVersion::Resp3 => {
                    write_number(out, b'=', text.len() as i64 + 4)?;
                    out.write_all(b"txt:")?;
                    out.write_all(text.as_bytes())?;
                    out.write_all(b"\r\n")
                }
            },
        }
    }
}

/// `<kind><count>\r\n` and the items.
fn write_items<W: Write>(
    out: &mut W,
    kind: u8,
    items: &[Reply],
    version: RespVersion,
) -> io::Result<()> {
    //@ step 2: Write `<kind><count>\r\n`, then every item in turn.
    write_number(out, kind, items.len() as i64)?;
    items
        .iter()
        .try_for_each(|item| item.write_to(out, version))
    //@ end step 2
}

/// `<kind><body>\r\n`
fn write_line<W: Write>(out: &mut W, kind: u8, body: &[u8]) -> io::Result<()> {
    //@ step 2: Write the kind byte, the body, then `\r\n`.
    out.write_all(&[kind])?;
    out.write_all(body)?;
    out.write_all(b"\r\n")
    //@ end step 2
}

/// `<kind><n>\r\n`, formatted on the stack: integers and lengths are in
/// nearly every reply, so they should not cost an allocation each.
fn write_number<W: Write>(out: &mut W, kind: u8, n: i64) -> io::Result<()> {
    //@ step 2: Write the kind byte, `n` in decimal, then `\r\n`.
    let mut line = [0u8; 24]; // kind, sign, 19 digits, \r\n
    let mut start = line.len() - 2;
    line[start..].copy_from_slice(b"\r\n");
    let mut rest = n.unsigned_abs();
    loop {
        start -= 1;
        line[start] = b'0' + (rest % 10) as u8;
        rest /= 10;
        if rest == 0 {
            break;
        }
    }
    if n < 0 {
        start -= 1;
        line[start] = b'-';
    }
    start -= 1;
    line[start] = kind;
    out.write_all(&line[start..])
    //@ end step 2
}

/// `$<len>\r\n<bytes>\r\n`
fn write_bulk<W: Write>(out: &mut W, bytes: &[u8]) -> io::Result<()> {
    //@ step 2: Write `$<len>\r\n`, the bytes, then `\r\n`.
    write_number(out, b'$', bytes.len() as i64)?;
    out.write_all(bytes)?;
    out.write_all(b"\r\n")
    //@ end step 2
}

/// `-<text>\r\n`, with any line end inside the text turned into a space (as
/// Redis does), so an error quoting the client's bytes cannot break the stream.
fn write_error<W: Write>(out: &mut W, text: &[u8]) -> io::Result<()> {
    let clean: Vec<u8> = text
        .iter()
        .map(|&b| if b == b'\r' || b == b'\n' { b' ' } else { b })
        .collect();
    write_line(out, b'-', &clean)
}

//@ passes from step 2
#[cfg(test)]
mod tests {
    use super::*;

    fn read_all(input: &[u8]) -> Vec<Result<Request, String>> {
        let mut reader = input;
        let mut out = Vec::new();
        loop {
            match read_request(&mut reader) {
                Ok(Some(req)) => out.push(Ok(req)),
                Ok(None) => return out,
                Err(ReadError::Protocol(e)) => {
                    out.push(Err(e.to_string()));
                    return out;
                }
                Err(ReadError::Io(e)) => {
                    out.push(Err(format!("io: {:?}", e.kind())));
                    return out;
                }
            }
        }
    }

    fn args(words: &[&str]) -> Request {
        words.iter().map(|w| w.as_bytes().to_vec()).collect()
    }

    #[test]
    fn reads_pipelined_arrays_and_inline_lines() {
        let got = read_all(b"*1\r\n$4\r\nPING\r\nGET  k\r\n\r\n*0\r\nECHO x\n");
        assert_eq!(
            got,
            vec![
                Ok(args(&["PING"])),
                Ok(args(&["GET", "k"])),
                Ok(args(&["ECHO", "x"]))
            ]
        );
    }

    #[test]
    fn bulk_strings_are_binary_safe() {
        let got = read_all(b"*2\r\n$3\r\nSET\r\n$4\r\n\r\n\0\xff\r\n");
        assert_eq!(got, vec![Ok(vec![b"SET".to_vec(), b"\r\n\0\xff".to_vec()])]);
    }

    #[test]
    fn malformed_lengths_use_redis_wording() {
        assert_eq!(
            read_all(b"*abc\r\n"),
            vec![Err("Protocol error: invalid multibulk length".into())]
        );
        assert_eq!(
            read_all(b"*1\r\n$-3\r\n"),
            vec![Err("Protocol error: invalid bulk length".into())]
        );
        assert_eq!(
            read_all(b"*1\r\n$536870913\r\n"),
            vec![Err("Protocol error: invalid bulk length".into())]
        );
        assert_eq!(
            read_all(b"*1\r\nx4\r\n"),
            vec![Err("Protocol error: expected '$', got 'x'".into())]
        );
        assert_eq!(
            read_all(b"*1\r\n\r\n"),
            vec![Err("Protocol error: expected '$', got '\r'".into())]
        );
        assert_eq!(
            read_all(b"*2147483648\r\n"),
            vec![Err("Protocol error: invalid multibulk length".into())]
        );
    }

    /// A reader that hands out one byte per `read`, as a slow network might.
    struct Trickle<'a>(&'a [u8]);

    impl Read for Trickle<'_> {
        fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
            let Some((first, rest)) = self.0.split_first() else {
                return Ok(0);
            };
            buf[0] = *first;
            self.0 = rest;
            Ok(1)
        }
    }

    #[test]
    fn header_lines_end_at_their_first_cr() {
        // A bare `\n` does not end a `*` or `$` line: it is read as part of the number.
        assert_eq!(
            read_all(b"*1\n$4\nPING\r\n"),
            vec![Err("Protocol error: invalid multibulk length".into())]
        );
        assert_eq!(
            read_all(b"*1\r\n$4\nPING\r\n"),
            vec![Err("Protocol error: invalid bulk length".into())]
        );
        // The byte after the `\r` is skipped unread, whatever it is.
        assert_eq!(read_all(b"*1\rX$4\r\0PING\r\n"), vec![Ok(args(&["PING"]))]);
        // In `*1\r\r\n` the second `\r` is that byte, so the element starts at `\n`.
        assert_eq!(
            read_all(b"*1\r\r\n$4\r\nPING\r\n"),
            vec![Err("Protocol error: expected '$', got '\n'".into())]
        );
        // In `$4\r\r\n` the bulk string starts at the `\n`.
        assert_eq!(
            read_all(b"*1\r\n$4\r\r\nPING\r\n"),
            vec![Ok(vec![b"\nPIN".to_vec()])]
        );
        // A `\r` with nothing after it yet is not a whole line.
        assert_eq!(read_all(b"*1\r"), vec![Err("io: UnexpectedEof".into())]);
    }

    #[test]
    fn header_lines_split_anywhere_read_the_same() {
        for input in [&b"*1\r\n$4\r\nPING\r\n"[..], b"*1\rX$4\rYPINGZZ"] {
            let mut slow = io::BufReader::with_capacity(1, Trickle(input));
            assert_eq!(
                read_request(&mut slow).map_err(|e| format!("{e:?}")),
                Ok(Some(args(&["PING"])))
            );
        }
    }

    #[test]
    fn a_nul_byte_hides_the_line_end() {
        // To Redis a line with a NUL never ends: it waits for more, until the
        // line is too long. Here the input ends first.
        let waits = vec![Err("io: UnexpectedEof".to_string())];
        assert_eq!(read_all(b"echo a\0b\r\nping\r\n"), waits);
        assert_eq!(read_all(b"echo \"a\0b\"\r\n"), waits);
        assert_eq!(read_all(b"\0ping\r\n"), waits);
        assert_eq!(read_all(b"*1\0\r\n$4\r\nPING\r\n"), waits);
        assert_eq!(read_all(b"*1\r\n\0$4\r\nPING\r\n"), waits);
        // With enough bytes after it, the line is too long, whichever kind it is.
        let tail = vec![b'x'; MAX_INLINE_LEN];
        for (start, error) in [
            (
                &b"ping\r\nset k a\0b\r\nget k\r\n"[..],
                "too big inline request",
            ),
            (b"*1\0\r\n$4\r\nPING\r\n", "too big mbulk count string"),
            (b"*1\r\n$4\0\r\nPING\r\n", "too big bulk count string"),
        ] {
            let mut input = start.to_vec();
            input.extend_from_slice(&tail);
            let got = read_all(&input);
            assert_eq!(
                got.last(),
                Some(&Err(format!("Protocol error: {error}"))),
                "{:?}",
                String::from_utf8_lossy(start)
            );
        }
        // Skipped bytes and bulk strings are not searched: there a NUL is data.
        assert_eq!(
            read_all(b"*2\r\0$4\r\0ECHO\r\n$3\r\na\0b\r\n"),
            vec![Ok(vec![b"ECHO".to_vec(), b"a\0b".to_vec()])]
        );
    }

    #[test]
    fn a_huge_declared_length_is_not_allocated_up_front() {
        // 500 MB declared, 3 bytes sent: the reader must fail on EOF, not on memory.
        let got = read_all(b"*2\r\n$3\r\nGET\r\n$500000000\r\nabc");
        assert_eq!(got, vec![Err("io: UnexpectedEof".into())]);
    }

    #[test]
    fn no_input_makes_the_reader_panic() {
        // Random requests built from the bytes that matter to the parser.
        const ALPHABET: &[u8] = b"*$-0123456789\r\n\r\n \"'\\xAfg";
        let mut seed: u64 = 0x9e37_79b9_7f4a_7c15;
        for _ in 0..20_000 {
            let mut input = Vec::new();
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            for i in 0..(seed % 40) {
                input.push(
                    ALPHABET[((seed >> (i % 50)) as usize + i as usize * 7) % ALPHABET.len()],
                );
            }
            let _ = read_all(&input);
            let _ = parse_inline(&input);
        }
    }

    #[test]
    fn overlong_lines_are_refused() {
        // MAX_INLINE_LEN bytes without an end: Redis waits for more.
        let mut line = vec![b'x'; MAX_INLINE_LEN];
        assert_eq!(read_all(&line), vec![Err("io: UnexpectedEof".into())]);
        let mut ended = line.clone();
        ended.push(b'\n');
        assert_eq!(read_all(&ended), vec![Ok(vec![line.clone()])]);
        // One byte more without an end, and the client is cut off.
        line.push(b'x');
        assert_eq!(
            read_all(&line),
            vec![Err("Protocol error: too big inline request".into())]
        );
        // The same limit holds for `*` and `$` lines (here counting their `*` or `$`).
        let mut count = b"*".to_vec();
        count.resize(MAX_INLINE_LEN + 1, b'1');
        assert_eq!(
            read_all(&count),
            vec![Err("Protocol error: too big mbulk count string".into())]
        );
        let mut len = b"*1\r\n$".to_vec();
        len.resize(4 + MAX_INLINE_LEN, b'1');
        assert_eq!(read_all(&len), vec![Err("io: UnexpectedEof".into())]);
        let mut ended = len.clone();
        ended.extend_from_slice(b"\r\n");
        assert_eq!(
            read_all(&ended),
            vec![Err("Protocol error: invalid bulk length".into())]
        );
        len.push(b'1');
        assert_eq!(
            read_all(&len),
            vec![Err("Protocol error: too big bulk count string".into())]
        );
    }

    //@ passes from step 5
    #[test]
    fn inline_quotes_follow_sdssplitargs() {
        let parse = |s: &[u8]| parse_inline(s).map_err(|e| e.to_string());
        assert_eq!(
            parse(br#"set a "hello world""#),
            Ok(args(&["set", "a", "hello world"]))
        );
        assert_eq!(parse(br#"echo "\x41\n\q""#), Ok(args(&["echo", "A\nq"])));
        assert_eq!(parse(br"echo 'it\'s \n'"), Ok(args(&["echo", "it's \\n"])));
        assert_eq!(parse(br#"echo """#), Ok(args(&["echo", ""])));
        let unbalanced = Err("Protocol error: unbalanced quotes in request".to_string());
        assert_eq!(parse(br#"echo "abc"#), unbalanced);
        assert_eq!(parse(br#"echo "a"b"#), unbalanced);
        assert_eq!(parse(b"echo 'a'b"), unbalanced);
        // A closing quote ends the word, even before a space that is not ' '.
        assert_eq!(parse(b"echo \"a\"\x0bb"), Ok(args(&["echo", "a", "b"])));
        assert_eq!(parse(b"echo x'a'\x0c"), Ok(args(&["echo", "xa"])));
        // Unquoted, `\x0b` and `\x0c` are part of a word; only between words are they spaces.
        assert_eq!(parse(b"echo \x0c\x0ba\x0b"), Ok(args(&["echo", "a\x0b"])));
    }

    //@ passes from step 0
    #[test]
    fn integers_follow_string2ll() {
        assert_eq!(parse_i64(b"0"), Some(0));
        assert_eq!(parse_i64(b"-42"), Some(-42));
        assert_eq!(parse_i64(b"9223372036854775807"), Some(i64::MAX));
        assert_eq!(parse_i64(b"-9223372036854775808"), Some(i64::MIN));
        for bad in [
            &b""[..],
            b"-",
            b"-0",
            b"01",
            b"+1",
            b" 1",
            b"1 ",
            b"9223372036854775808",
            b"1x",
        ] {
            assert_eq!(parse_i64(bad), None, "{:?}", String::from_utf8_lossy(bad));
        }
    }

    fn encode(reply: Reply, version: RespVersion) -> Vec<u8> {
        let mut out = Vec::new();
        reply.write_to(&mut out, version).unwrap();
        out
    }

    #[test]
    fn encodes_the_five_resp2_types() {
        use RespVersion::Resp2;
        assert_eq!(encode(Reply::OK, Resp2), b"+OK\r\n");
        assert_eq!(
            encode(Reply::Error(b"ERR bad\r\nthing".to_vec()), Resp2),
            b"-ERR bad  thing\r\n"
        );
        assert_eq!(encode(Reply::Integer(-7), Resp2), b":-7\r\n");
        assert_eq!(encode(Reply::Integer(0), Resp2), b":0\r\n");
        assert_eq!(
            encode(Reply::Integer(i64::MIN), Resp2),
            b":-9223372036854775808\r\n"
        );
        assert_eq!(
            encode(Reply::Integer(i64::MAX), Resp2),
            b":9223372036854775807\r\n"
        );
        assert_eq!(encode(Reply::bulk("hé"), Resp2), b"$3\r\nh\xc3\xa9\r\n");
        assert_eq!(encode(Reply::Null, Resp2), b"$-1\r\n");
        assert_eq!(
            encode(Reply::Array(vec![Reply::Integer(1), Reply::Null]), Resp2),
            b"*2\r\n:1\r\n$-1\r\n"
        );
    }

    #[test]
    fn resp3_has_its_own_null_map_and_verbatim() {
        use RespVersion::{Resp2, Resp3};
        let map = Reply::Map(vec![(Reply::bulk("a"), Reply::Integer(1))]);
        assert_eq!(encode(map.clone(), Resp2), b"*2\r\n$1\r\na\r\n:1\r\n");
        assert_eq!(encode(map, Resp3), b"%1\r\n$1\r\na\r\n:1\r\n");
        assert_eq!(encode(Reply::Null, Resp3), b"_\r\n");
        assert_eq!(encode(Reply::NullArray, Resp2), b"*-1\r\n");
        assert_eq!(encode(Reply::NullArray, Resp3), b"_\r\n");
        let pairs = Reply::Pairs(vec![(Reply::bulk("f"), Reply::bulk("v"))]);
        assert_eq!(
            encode(pairs.clone(), Resp2),
            b"*2\r\n$1\r\nf\r\n$1\r\nv\r\n"
        );
        assert_eq!(encode(pairs, Resp3), b"*1\r\n*2\r\n$1\r\nf\r\n$1\r\nv\r\n");
        assert_eq!(
            encode(Reply::Verbatim("hi".into()), Resp3),
            b"=6\r\ntxt:hi\r\n"
        );
    }

    /// Redis 7.0.15's bytes for `ZSCORE` and `ZRANGE ... WITHSCORES`.
    #[test]
    fn doubles_and_pairs_differ_between_resp2_and_resp3() {
        use RespVersion::{Resp2, Resp3};
        assert_eq!(
            encode(Reply::Double(0.1), Resp2),
            b"$19\r\n0.10000000000000001\r\n"
        );
        assert_eq!(
            encode(Reply::Double(0.1), Resp3),
            b",0.10000000000000001\r\n"
        );
        assert_eq!(
            encode(Reply::Double(f64::NEG_INFINITY), Resp2),
            b"$4\r\n-inf\r\n"
        );
        assert_eq!(encode(Reply::Double(f64::INFINITY), Resp3), b",inf\r\n");
        let pairs = Reply::Pairs(vec![
            (Reply::bulk("a"), Reply::Double(1.0)),
            (Reply::bulk("b"), Reply::Double(-0.0)),
        ]);
        assert_eq!(
            encode(pairs.clone(), Resp2),
            b"*4\r\n$1\r\na\r\n$1\r\n1\r\n$1\r\nb\r\n$2\r\n-0\r\n"
        );
        assert_eq!(
            encode(pairs, Resp3),
            b"*2\r\n*2\r\n$1\r\na\r\n,1\r\n*2\r\n$1\r\nb\r\n,-0\r\n"
        );
    }
}
