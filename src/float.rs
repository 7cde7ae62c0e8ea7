//! Numbers the way Redis reads and writes its doubles (sorted-set scores).
//!
//! Redis reads a double with C's `strtod` and writes one with `printf`'s
//! `%.17g`. Neither is Rust's: `"1e3".parse::<f64>()` agrees, but `" 1"`,
//! `"0x10"` and `"1e400"` do not, and `{}` prints `0.1` where Redis prints
//! `0.10000000000000001`. So this module gives, in std:
//!
//! * [`strtod`]: how much of a byte string glibc's `strtod` would read, and
//!   the value (decimal, `inf`/`infinity`, `nan`, hexadecimal `0x1p3`);
//! * [`parse_score`]: Redis's strict `string2d` (ZADD's scores, WEIGHTS):
//!   the whole string, no leading space, no NaN, no overflow or underflow;
//! * [`parse_range_bound`]: the looser reading of ZRANGEBYSCORE's bounds,
//!   plain `strtod` that must reach the end of the C string;
//! * [`format_g17`]: `%.17g`, what Redis 7.0 replies with for a double;
//! * [`format_d2string`]: Redis's `d2string`, how a small sorted set stores
//!   a score (and so how ZSCAN shows it): integers as integers, the rest `%.17g`.

/// C's `isspace` in the "C" locale.
fn is_c_space(byte: u8) -> bool {
    matches!(byte, b' ' | b'\t' | b'\n' | 0x0b | 0x0c | b'\r')
}

/// What [`strtod`] read.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Strtod {
    pub value: f64,
    /// Bytes consumed, leading spaces included; 0 when nothing was a number
    /// (then C's `endptr` is the start of the string, spaces or not).
    pub consumed: usize,
    /// A finite number too large for a double (the value is then infinite),
    /// or too small but not zero (the value is then 0): C's `ERANGE` cases
    /// that Redis's `string2d` refuses.
    pub out_of_range: bool,
}

/// Reads the longest prefix of `text` that glibc's `strtod` accepts: spaces,
/// a sign, then `inf`/`infinity`/`nan[(...)]` (any case), a hexadecimal
/// number (`0x1.8p3`), or decimal digits with an optional point and exponent.
pub fn strtod(text: &[u8]) -> Strtod {
    let none = Strtod {
        value: 0.0,
        consumed: 0,
        out_of_range: false,
    };
    let mut i = 0;
    while i < text.len() && is_c_space(text[i]) {
        i += 1;
    }
    let negative = text.get(i) == Some(&b'-');
    if matches!(text.get(i), Some(b'+' | b'-')) {
        i += 1;
    }
    let sign = if negative { -1.0 } else { 1.0 };
    let rest = &text[i..];
    let starts =
        |word: &[u8]| rest.len() >= word.len() && rest[..word.len()].eq_ignore_ascii_case(word);
    if starts(b"infinity") || starts(b"inf") {
        let len = if starts(b"infinity") { 8 } else { 3 };
        return Strtod {
            value: sign * f64::INFINITY,
            consumed: i + len,
            out_of_range: false,
        };
    }
    if starts(b"nan") {
        let mut len = 3;
        // `nan(chars)`: the parenthesis counts only if it closes.
        if rest.get(3) == Some(&b'(') {
            let inside = rest[4..]
                .iter()
                .take_while(|b| b.is_ascii_alphanumeric() || **b == b'_')
                .count();
            if rest.get(4 + inside) == Some(&b')') {
                len = 5 + inside;
            }
        }
        return Strtod {
            value: f64::NAN,
            consumed: i + len,
            out_of_range: false,
        };
    }
    if rest.len() >= 2 && rest[0] == b'0' && (rest[1] | 0x20) == b'x' {
        if let Some(hex) = hex_float(&rest[2..]) {
            return Strtod {
                value: sign * hex.0,
                consumed: i + 2 + hex.1,
                out_of_range: hex.2,
            };
        }
        // "0x" with no hex digit after it: just the "0".
        return Strtod {
            value: sign * 0.0,
            consumed: i + 1,
            out_of_range: false,
        };
    }
    let digits = |from: usize| {
        text[from..]
            .iter()
            .take_while(|b| b.is_ascii_digit())
            .count()
    };
    let start = i;
    let whole = digits(i);
    i += whole;
    let mut fraction = 0;
    if text.get(i) == Some(&b'.') {
        fraction = digits(i + 1);
        if whole + fraction > 0 {
            i += 1 + fraction;
        }
    }
    if whole + fraction == 0 {
        return none;
    }
    // An exponent counts only if at least one digit follows its sign.
    if matches!(text.get(i), Some(b'e' | b'E')) {
        let mut j = i + 1;
        if matches!(text.get(j), Some(b'+' | b'-')) {
            j += 1;
        }
        let exponent = digits(j);
        if exponent > 0 {
            i = j + exponent;
        }
    }
    let literal = std::str::from_utf8(&text[start..i]).expect("ASCII digits");
    // Rust's parser rounds correctly, as glibc does; it wants no lone '.'.
    let magnitude: f64 = literal
        .parse()
        .or_else(|_| format!("{literal}0").parse())
        .expect("a decimal literal");
    let nonzero_digit = text[start..i]
        .iter()
        .take_while(|b| **b != b'e' && **b != b'E')
        .any(|b| (b'1'..=b'9').contains(b));
    let out_of_range = magnitude.is_infinite() || (magnitude == 0.0 && nonzero_digit);
    Strtod {
        value: sign * magnitude,
        consumed: i,
        out_of_range,
    }
}

/// The part of a hexadecimal float after `0x`: (magnitude, bytes read,
/// out of range), or `None` if no hex digit comes first.
fn hex_float(text: &[u8]) -> Option<(f64, usize, bool)> {
    let mut mantissa: u64 = 0;
    let mut exponent: i64 = 0; // power of two
    let mut sticky = false; // a non-zero digit that did not fit
    let mut seen = false;
    let mut i = 0;
    let mut after_point = false;
    while i < text.len() {
        let byte = text[i];
        if byte == b'.' && !after_point {
            after_point = true;
            i += 1;
            continue;
        }
        let Some(digit) = (byte as char).to_digit(16) else {
            break;
        };
        seen = true;
        if mantissa >> 60 == 0 {
            mantissa = mantissa << 4 | u64::from(digit);
            if after_point {
                exponent -= 4;
            }
        } else {
            sticky |= digit != 0;
            if !after_point {
                exponent += 4;
            }
        }
        i += 1;
    }
    if !seen {
        return None;
    }
    if matches!(text.get(i), Some(b'p' | b'P')) {
        let mut j = i + 1;
        let negative = text.get(j) == Some(&b'-');
        if matches!(text.get(j), Some(b'+' | b'-')) {
            j += 1;
        }
        let count = text[j..].iter().take_while(|b| b.is_ascii_digit()).count();
        if count > 0 {
            let power = text[j..j + count]
                .iter()
                .fold(0i64, |n, b| (n * 10 + i64::from(b - b'0')).min(1 << 20));
            exponent += if negative { -power } else { power };
            i = j + count;
        }
    }
    if sticky {
        mantissa |= 1; // below the 53 bits kept: only breaks a tie
    }
    // Scale in steps so that no intermediate power overflows on its own.
    let mut value = mantissa as f64;
    let mut left = exponent;
    while left != 0 && value != 0.0 && value.is_finite() {
        let step = left.clamp(-1000, 1000);
        value *= 2f64.powi(step as i32);
        left -= step;
    }
    let out_of_range = value.is_infinite() || (value == 0.0 && mantissa != 0);
    Some((value, i, out_of_range))
}

/// Redis's `string2d`, used for ZADD's scores and ZUNIONSTORE's weights: the
/// whole string must be a number, with no leading space; NaN, overflow
/// (`1e400`) and underflow to zero (`1e-400`) are refused.
pub fn parse_score(text: &[u8]) -> Option<f64> {
    if text.is_empty() || is_c_space(text[0]) {
        return None;
    }
    let read = strtod(text);
    if read.consumed != text.len() || read.out_of_range || read.value.is_nan() {
        return None;
    }
    Some(read.value)
}

/// A bound of ZRANGEBYSCORE and its family, after any `(`: Redis calls
/// plain `strtod` and wants it to stop at the end of the C string, so a
/// leading space and `1e400` are fine, the empty string is 0, and the
/// string ends at a NUL byte. Only NaN is refused besides junk.
pub fn parse_range_bound(text: &[u8]) -> Option<f64> {
    let text = &text[..text.iter().position(|&b| b == 0).unwrap_or(text.len())];
    let read = strtod(text);
    if read.consumed != text.len() || read.value.is_nan() {
        return None;
    }
    Some(read.value)
}

/// `printf("%.17g", value)`, as Redis 7.0 writes a double in a reply, with
/// `inf` and `-inf` for the infinities (Redis spells them out itself).
pub fn format_g17(value: f64) -> String {
    if value.is_infinite() {
        return if value > 0.0 { "inf" } else { "-inf" }.to_string();
    }
    if value.is_nan() {
        return "nan".to_string();
    }
    // Rust's `{:.16e}` is the exactly rounded 17-digit mantissa, as glibc's.
    let scientific = format!("{value:.16e}");
    let (mantissa, exponent) = scientific.split_once('e').expect("`e` format");
    let exponent: i32 = exponent.parse().expect("an exponent");
    let negative = mantissa.starts_with('-');
    let digits: Vec<u8> = mantissa.bytes().filter(u8::is_ascii_digit).collect();
    let mut out = String::with_capacity(24);
    if negative {
        out.push('-');
    }
    if (-4..17).contains(&exponent) {
        // Fixed notation, 17 significant digits, trailing zeros dropped.
        let point = exponent + 1; // digits before the point
        let text: String = if point <= 0 {
            let zeros = "0".repeat((-point) as usize);
            format!("0.{zeros}{}", std::str::from_utf8(&digits).unwrap())
        } else {
            let (int, frac) = digits.split_at(point as usize);
            format!(
                "{}.{}",
                std::str::from_utf8(int).unwrap(),
                std::str::from_utf8(frac).unwrap()
            )
        };
        out.push_str(text.trim_end_matches('0').trim_end_matches('.'));
    } else {
        let (first, rest) = digits.split_at(1);
        out.push(first[0] as char);
        let rest = std::str::from_utf8(rest).unwrap().trim_end_matches('0');
        if !rest.is_empty() {
            out.push('.');
            out.push_str(rest);
        }
        let sign = if exponent < 0 { '-' } else { '+' };
        out.push_str(&format!("e{sign}{:02}", exponent.unsigned_abs()));
    }
    out
}

/// The largest magnitude Redis's `double2ll` turns into an integer (2^62:
/// `LLONG_MAX / 2` as a double).
const INTEGER_LIMIT: f64 = 4_611_686_018_427_387_904.0;

/// The integer a double equals, when Redis's `double2ll` would print it as
/// one: integral and at most 2^62 in magnitude.
pub fn as_integer(value: f64) -> Option<i64> {
    if !(-INTEGER_LIMIT..=INTEGER_LIMIT).contains(&value) || value.fract() != 0.0 {
        return None;
    }
    Some(value as i64)
}

/// Redis's `d2string`: how a listpack-encoded sorted set stores a score.
/// `-0` and `0` as such, integers up to 2^62 in decimal, the rest `%.17g`.
pub fn format_d2string(value: f64) -> String {
    if value == 0.0 {
        return if value.is_sign_negative() { "-0" } else { "0" }.to_string();
    }
    match as_integer(value) {
        Some(n) => n.to_string(),
        None => format_g17(value),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Each pair was checked against redis-server 7.0.15 (`ZADD z <in> m`,
    /// then `ZSCORE z m`) or against C's printf("%.17g").
    #[test]
    fn doubles_print_as_percent_17g() {
        for (value, text) in [
            (0.1, "0.10000000000000001"),
            (0.1 + 0.2, "0.30000000000000004"),
            (1e21, "1e+21"),
            (123456789012345678.0, "1.2345678901234568e+17"),
            (-0.0, "-0"),
            (0.0, "0"),
            (1.5, "1.5"),
            (-2.0, "-2"),
            (100.0, "100"),
            (1e16, "10000000000000000"),
            (1e17, "1e+17"),
            (0.0001, "0.0001"),
            (0.00001, "1.0000000000000001e-05"),
            (1.0 / 3.0, "0.33333333333333331"),
            (f64::INFINITY, "inf"),
            (f64::NEG_INFINITY, "-inf"),
            (f64::MAX, "1.7976931348623157e+308"),
            (f64::MIN_POSITIVE, "2.2250738585072014e-308"),
            (5e-324, "4.9406564584124654e-324"),
            (2.71, "2.71"),
            (12345.678, "12345.678"),
            (-1e-7, "-9.9999999999999995e-08"),
            (9007199254740993.0, "9007199254740992"),
        ] {
            assert_eq!(format_g17(value), text, "{value:e}");
        }
    }

    #[test]
    fn d2string_prints_integers_as_integers() {
        assert_eq!(format_d2string(123456789012345678.0), "123456789012345680");
        assert_eq!(format_d2string(-0.0), "-0");
        assert_eq!(format_d2string(3.0), "3");
        assert_eq!(format_d2string(0.1), "0.10000000000000001");
        assert_eq!(format_d2string(1e21), "1e+21");
        assert_eq!(
            format_d2string(4611686018427387904.0),
            "4611686018427387904"
        );
        assert_eq!(
            format_d2string(9223372036854775807.0),
            "9.2233720368547758e+18"
        );
        assert_eq!(format_d2string(f64::NEG_INFINITY), "-inf");
    }

    #[test]
    fn scores_follow_string2d() {
        for (text, value) in [
            ("1", 1.0),
            ("-1.5", -1.5),
            ("+2", 2.0),
            ("1e3", 1000.0),
            ("1E+3", 1000.0),
            (".5", 0.5),
            ("5.", 5.0),
            ("inf", f64::INFINITY),
            ("+inf", f64::INFINITY),
            ("-Infinity", f64::NEG_INFINITY),
            ("0x10", 16.0),
            ("0x1p-1", 0.5),
            ("0X.8", 0.5),
            ("0e999", 0.0),
            ("1e-310", 1e-310),
            ("-0", -0.0),
        ] {
            assert_eq!(parse_score(text.as_bytes()), Some(value), "{text}");
        }
        for bad in [
            "", " 1", "1 ", "\t1", "abc", "1e", "1e+", "nan", "-nan", "NaN(1)", "1e400", "-1e400",
            "1e-400", "0x", "1\0", ".", "-", "+", "1.2.3", "inf1", "(1",
        ] {
            assert_eq!(parse_score(bad.as_bytes()), None, "{bad:?}");
        }
        // "0x" alone reads as 0 followed by junk; "1e" as 1 followed by junk.
        assert_eq!(strtod(b"0x").consumed, 1);
        assert_eq!(strtod(b"1e+").consumed, 1);
        assert_eq!(strtod(b"  7x").consumed, 3);
        assert_eq!(strtod(b"  x").consumed, 0);
        assert_eq!(strtod(b"nan(abc)x").consumed, 8);
        assert_eq!(strtod(b"nan(abc").consumed, 3);
        assert_eq!(strtod(b"infinit").consumed, 3);
    }

    #[test]
    fn range_bounds_are_plain_strtod_to_the_end() {
        assert_eq!(parse_range_bound(b" 1"), Some(1.0));
        assert_eq!(parse_range_bound(b""), Some(0.0));
        assert_eq!(parse_range_bound(b"1e400"), Some(f64::INFINITY));
        assert_eq!(parse_range_bound(b"2\0junk"), Some(2.0));
        assert_eq!(parse_range_bound(b"-inf"), Some(f64::NEG_INFINITY));
        assert_eq!(parse_range_bound(b"nan"), None);
        assert_eq!(parse_range_bound(b"1 "), None);
        assert_eq!(parse_range_bound(b" "), None);
        assert_eq!(parse_range_bound(b"x"), None);
    }

    /// The formatter's output always reads back as the same double, and
    /// agrees with Rust's own `{:e}` digits on a spread of values.
    #[test]
    fn formatting_round_trips() {
        let mut seed: u64 = 0x2545_f491_4f6c_dd1d;
        for _ in 0..20_000 {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            let value = f64::from_bits(seed);
            if !value.is_finite() {
                continue;
            }
            let text = format_g17(value);
            assert_eq!(parse_score(text.as_bytes()), Some(value), "{text}");
        }
    }
}
