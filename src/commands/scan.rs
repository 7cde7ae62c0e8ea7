//! `SCAN cursor [MATCH pattern] [COUNT count] [TYPE type]`, and what every
//! command of the SCAN family shares: the cursor, the options and the reply
//! (Redis's `scanGenericCommand`, which HSCAN, SSCAN and ZSCAN call too).
//!
//! SCAN walks the keyspace's table one bucket at a time, in the
//! reverse-binary order of [`crate::table::Table::scan`]: a key present for
//! the whole iteration is returned at least once, however the table grows or
//! shrinks between the calls. COUNT is how many keys a call tries to collect
//! (10 by default), looking at no more than ten times as many buckets, as
//! Redis does, so a sparse table answers few keys rather than stalling.
//! MATCH and TYPE filter what a bucket held, after the walk: a call may
//! answer fewer keys than COUNT, or none, with a cursor that goes on.

use std::cell::OnceCell;

use super::{glob, parse_int, Command, CommandError, CommandResult, Context, ReadCommand};
use crate::protocol::{Reply, Request};
use crate::storage::Store;

/// The options of a SCAN-family command.
pub struct ScanOptions {
    /// `None` for no pattern, or for `*`, which matches everything.
    pub pattern: Option<Vec<u8>>,
    /// How many elements a call tries to collect.
    pub count: usize,
    /// SCAN's TYPE: only keys whose TYPE is this, in any case.
    pub kind: Option<Vec<u8>>,
}

impl ScanOptions {
    /// Whether `element` matches the MATCH pattern, if there is one.
    pub fn matches(&self, element: &[u8]) -> bool {
        self.pattern
            .as_ref()
            .map_or(true, |pattern| glob::matches(pattern, element))
    }
}

/// A cursor as Redis reads it, with C's `strtoul` in base 10: an optional
/// sign (`-1` wraps around), digits, and nothing after them up to a NUL
/// byte; no leading space. The empty string is cursor 0.
pub fn parse_cursor(arg: &[u8]) -> Result<u64, CommandError> {
    let text = &arg[..arg.iter().position(|&b| b == 0).unwrap_or(arg.len())];
    if text.is_empty() {
        return Ok(0);
    }
    let (negative, digits) = match text {
        [b'-', rest @ ..] => (true, rest),
        [b'+', rest @ ..] => (false, rest),
        _ => (false, text),
    };
    if digits.is_empty() || !digits.iter().all(u8::is_ascii_digit) {
        return Err(CommandError::InvalidCursor);
    }
    let mut value: u64 = 0;
    for &digit in digits {
        value = value
            .checked_mul(10)
            .and_then(|v| v.checked_add(u64::from(digit - b'0')))
            .ok_or(CommandError::InvalidCursor)?;
    }
    Ok(if negative {
        value.wrapping_neg()
    } else {
        value
    })
}

/// `[MATCH pattern] [COUNT count]`, and `[TYPE type]` if `with_type` (SCAN
/// only), in any order, each as often as wished; the last one counts. Read
/// in order: the first bad option is the error.
pub fn parse_scan_options(
    options: &[Vec<u8>],
    with_type: bool,
) -> Result<ScanOptions, CommandError> {
    let mut parsed = ScanOptions {
        pattern: None,
        count: 10,
        kind: None,
    };
    let mut i = 0;
    while i < options.len() {
        let name = &options[i];
        let value = options.get(i + 1).ok_or(CommandError::Syntax)?;
        if name.eq_ignore_ascii_case(b"count") {
            let count = parse_int(value)?;
            if count < 1 {
                return Err(CommandError::Syntax);
            }
            parsed.count = usize::try_from(count).unwrap_or(usize::MAX);
        } else if name.eq_ignore_ascii_case(b"match") {
            parsed.pattern = (value.as_slice() != b"*").then(|| value.clone());
        } else if with_type && name.eq_ignore_ascii_case(b"type") {
            parsed.kind = Some(value.clone());
        } else {
            return Err(CommandError::Syntax);
        }
        i += 2;
    }
    Ok(parsed)
}

/// The reply of a SCAN-family command: the next cursor, as a bulk string,
/// and what was found.
pub fn scan_reply(cursor: u64, found: Vec<Reply>) -> Reply {
    Reply::Array(vec![Reply::bulk(cursor.to_string()), Reply::Array(found)])
}

/// `SCAN cursor [MATCH pattern] [COUNT count] [TYPE type]`.
pub struct Scan {
    cursor: u64,
    options: ScanOptions,
    /// The expired keys the walk met that MATCH let through: the executor
    /// deletes them once the read is done, as Redis deletes them on its way.
    expired: OnceCell<Vec<Vec<u8>>>,
}

pub fn parse_scan(request: Request, _now_ms: u64) -> Result<Command, CommandError> {
    let cursor = parse_cursor(&request[1])?;
    let options = parse_scan_options(&request[2..], true)?;
    Ok(Command::Read(Box::new(Scan {
        cursor,
        options,
        expired: OnceCell::new(),
    })))
}

impl ReadCommand for Scan {
    fn apply(&self, store: &Store, ctx: &Context) -> CommandResult {
        let count = self.options.count;
        // Redis: at most COUNT * 10 buckets more after the first.
        let mut steps_left = count.saturating_mul(10);
        let mut cursor = self.cursor;
        let mut walked = Vec::new();
        loop {
            cursor = store.scan(cursor, |key, value| walked.push((key, value.kind())));
            if cursor == 0 || steps_left == 0 || walked.len() >= count {
                break;
            }
            steps_left -= 1;
        }
        let mut found = Vec::new();
        let mut expired = Vec::new();
        for (key, kind) in walked {
            if !self.options.matches(key) {
                continue;
            }
            let is_expired = store.is_expired(key, ctx.now_ms);
            if is_expired {
                expired.push(key.to_vec());
            }
            // Redis looks an expired key's type up after deleting it: it is
            // then `none`, and `TYPE none` returns exactly such keys.
            let keep = match &self.options.kind {
                Some(wanted) => {
                    let name = if is_expired { "none" } else { kind.name() };
                    wanted.eq_ignore_ascii_case(name.as_bytes())
                }
                None => !is_expired,
            };
            if keep {
                found.push(Reply::bulk(key));
            }
        }
        let _ = self.expired.set(expired);
        Ok(scan_reply(cursor, found))
    }

    fn keys(&self) -> &[Vec<u8>] {
        self.expired.get().map_or(&[], Vec::as_slice)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bytes::Bytes;
    use crate::commands::run_on as run;
    use crate::value::Value;

    #[test]
    fn cursors_read_like_strtoul() {
        assert_eq!(parse_cursor(b"0"), Ok(0));
        assert_eq!(parse_cursor(b""), Ok(0));
        assert_eq!(parse_cursor(b"+7"), Ok(7));
        assert_eq!(parse_cursor(b"-1"), Ok(u64::MAX));
        assert_eq!(parse_cursor(b"-18446744073709551615"), Ok(1));
        assert_eq!(parse_cursor(b"18446744073709551615"), Ok(u64::MAX));
        assert_eq!(parse_cursor(b"5\0junk"), Ok(5));
        for bad in [
            &b" 1"[..],
            b"1 ",
            b"x",
            b"-",
            b"+",
            b"0x10",
            b"18446744073709551616",
            b"1.5",
        ] {
            assert_eq!(
                parse_cursor(bad),
                Err(CommandError::InvalidCursor),
                "{bad:?}"
            );
        }
    }

    #[test]
    fn options_are_read_in_order_and_type_is_scans_alone() {
        let words = |line: &str| -> Vec<Vec<u8>> {
            line.split(' ').map(|w| w.as_bytes().to_vec()).collect()
        };
        let parsed = parse_scan_options(&words("count 5 MATCH k* type hash"), true).unwrap();
        assert_eq!(parsed.count, 5);
        assert_eq!(parsed.pattern.as_deref(), Some(&b"k*"[..]));
        assert_eq!(parsed.kind.as_deref(), Some(&b"hash"[..]));
        assert!(parse_scan_options(&words("match *"), false)
            .unwrap()
            .pattern
            .is_none());
        let error = |line: &str, with_type| parse_scan_options(&words(line), with_type).err();
        assert_eq!(error("type hash", false), Some(CommandError::Syntax));
        assert_eq!(error("count 0", true), Some(CommandError::Syntax));
        assert_eq!(error("count -1", true), Some(CommandError::Syntax));
        assert_eq!(error("count x", true), Some(CommandError::NotAnInteger));
        assert_eq!(error("count", true), Some(CommandError::Syntax));
        assert_eq!(
            error("count x match", true),
            Some(CommandError::NotAnInteger)
        );
        assert_eq!(
            error("match a count 0 count x", true),
            Some(CommandError::Syntax)
        );
    }

    /// Every key from a walk of many calls, and the cursors it went through.
    fn walk(store: &mut Store, options: &str, now: u64) -> Vec<Vec<u8>> {
        let mut keys = Vec::new();
        let mut cursor = 0;
        loop {
            let reply = run(store, &format!("scan {cursor} {options}"), now).unwrap();
            let Reply::Array(parts) = reply else {
                panic!("not an array")
            };
            let [Reply::Bulk(next), Reply::Array(found)] = &parts[..] else {
                panic!("not [cursor, keys]")
            };
            keys.extend(found.iter().map(|key| match key {
                Reply::Bulk(key) => key.clone(),
                _ => panic!("not a bulk"),
            }));
            cursor = std::str::from_utf8(next).unwrap().parse().unwrap();
            if cursor == 0 {
                return keys;
            }
        }
    }

    //@ passes from step 6
    #[test]
    fn a_walk_filters_by_pattern_and_type_and_hides_expired_keys() {
        let mut store = Store::new();
        for i in 0..200 {
            let value = Value::String(Bytes::copy_from(b"v"));
            store.set(format!("s{i}").as_bytes().into(), value, None, 0);
        }
        run(&mut store, "rpush list a", 0).unwrap();
        run(&mut store, "set gone v px 10", 0).unwrap();
        let mut all = walk(&mut store, "count 7", 100);
        all.sort();
        all.dedup();
        assert_eq!(all.len(), 201, "every live key, not the expired one");
        assert_eq!(walk(&mut store, "type LIST", 100), vec![b"list".to_vec()]);
        assert_eq!(walk(&mut store, "type none", 100), vec![b"gone".to_vec()]);
        assert_eq!(walk(&mut store, "match s1? count 1000", 100).len(), 10);
        assert!(walk(&mut store, "type stream", 100).is_empty());
    }
}
