//! C's `long double`, as Redis computes HINCRBYFLOAT (and INCRBYFLOAT) in it.
//!
//! On x86-64 Linux a `long double` is the x87 *extended* format: a 64-bit
//! significand (its leading bit explicit) and a 15-bit exponent. Redis
//! parses both the stored value and the increment with `strtold`, adds
//! them in that precision, and prints the sum with `%.17Lf`, trailing
//! zeros removed. The precision shows in the replies: `123456789.123456789`
//! comes back as `123456789.12345678899873747`, and `1e300` as the 301
//! exact digits of the nearest extended value, neither of which an `f64`
//! would give. Rust has no such type, so this module is one: every step
//! rounds exactly as the hardware and glibc do (to nearest, ties to even),
//! with a small big-integer type for the exact intermediate values.
//!
//! Only what those commands need is here: [`LongDouble::parse`] (the
//! subset of `strtold` that Redis accepts), its `+` and
//! [`LongDouble::to_human`].

use std::cmp::Ordering;

/// Longest string Redis reads as a long double, plus one (its buffer size,
/// `MAX_LONG_DOUBLE_CHARS`): a string of this length or more is not a number.
pub const MAX_CHARS: usize = 5 * 1024;

/// Significand bits.
const PRECISION: i64 = 64;
/// The exponent of a finite value's least significant bit is at least this
/// (the smallest subnormal is 2^-16445)...
const MIN_LSB_EXP: i64 = -16445;
/// ...and the exponent of its most significant bit at most this.
const MAX_TOP_EXP: i64 = 16383;

/// An x87 extended-precision number.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LongDouble {
    /// `(-1)^negative × mantissa × 2^exp`; a zero has mantissa 0.
    Finite {
        negative: bool,
        mantissa: u64,
        exp: i64,
    },
    Infinite {
        negative: bool,
    },
    NaN,
}

impl LongDouble {
    pub const ZERO: LongDouble = LongDouble::Finite {
        negative: false,
        mantissa: 0,
        exp: 0,
    };

    /// Whether this is NaN or an infinity (which Redis refuses to store).
    pub fn is_nan_or_infinite(self) -> bool {
        !matches!(self, LongDouble::Finite { .. })
    }

    /// The value of `i` (exact: every i64 fits in 64 bits of significand).
    pub fn from_i64(i: i64) -> LongDouble {
        round(i < 0, Big::from_u64(i.unsigned_abs()), 0, false).0
    }

    /// Reads `text` as Redis's `string2ld` does: all of it must be a number
    /// for `strtold`, with no leading space. Decimal (`-1.5e3`, `.5`, `1.`),
    /// hexadecimal (`0x1.8p3`), `inf`/`infinity` and `nan` (any case) are
    /// numbers; NaN is refused, and so is a value too large for the format
    /// or so small it rounds to zero (`strtold`'s ERANGE).
    pub fn parse(text: &[u8]) -> Option<LongDouble> {
        if text.is_empty() || text.len() >= MAX_CHARS {
            return None;
        }
        let (negative, rest) = match text[0] {
            b'-' => (true, &text[1..]),
            b'+' => (false, &text[1..]),
            _ => (false, text),
        };
        let lower = rest.to_ascii_lowercase();
        if lower == b"inf" || lower == b"infinity" {
            return Some(LongDouble::Infinite { negative });
        }
        // "nan" and "nan(chars)" parse, but Redis refuses a NaN.
        let (value, range_error) = if lower.len() > 2 && lower[..2] == *b"0x" {
            parse_hex(&rest[2..])?
        } else {
            parse_decimal(rest)?
        };
        if range_error {
            return None;
        }
        Some(match value {
            LongDouble::Finite {
                mantissa, exp: e, ..
            } => LongDouble::Finite {
                negative,
                mantissa,
                exp: e,
            },
            other => other,
        })
    }

    /// The text Redis stores and replies with: C's `%.17Lf`, then trailing
    /// zeros (and a trailing point) removed, and `-0` written `0`
    /// (`ld2string` in `LD_STR_HUMAN` mode). Only finite values have one.
    pub fn to_human(self) -> Option<String> {
        let LongDouble::Finite {
            negative,
            mantissa,
            exp,
        } = self
        else {
            return None;
        };
        let (mut integer, mut fraction) = fixed_17(mantissa, exp);
        // The digits are exact; drop the zeros after the point.
        while fraction.ends_with('0') {
            fraction.pop();
        }
        if !fraction.is_empty() {
            integer.push('.');
            integer.push_str(&fraction);
        }
        if negative && integer != "0" {
            integer.insert(0, '-');
        }
        Some(integer)
    }
}

impl std::ops::Add for LongDouble {
    type Output = LongDouble;

    /// `self + other`, rounded to the nearest extended value (ties to even).
    fn add(self, other: LongDouble) -> LongDouble {
        use LongDouble::*;
        let (a, b) = match (self, other) {
            (NaN, _) | (_, NaN) => return NaN,
            (Infinite { negative: x }, Infinite { negative: y }) if x != y => return NaN,
            (Infinite { negative }, _) | (_, Infinite { negative }) => {
                return Infinite { negative }
            }
            (a, b) => (a, b),
        };
        let (
            Finite {
                negative: sa,
                mantissa: ma,
                exp: ea,
            },
            Finite {
                negative: sb,
                mantissa: mb,
                exp: eb,
            },
        ) = (a, b)
        else {
            unreachable!("both finite")
        };
        if mb == 0 {
            return if ma == 0 {
                // -0 + -0 is -0; any other sum of zeros is +0.
                Finite {
                    negative: sa && sb,
                    mantissa: 0,
                    exp: 0,
                }
            } else {
                a
            };
        }
        if ma == 0 {
            return b;
        }
        // Far below the other's last bit, an operand only decides the
        // rounding, as anything under a quarter of its unit would: keep a
        // stand-in that small, so the exact sum stays a few words long.
        let top = |m: u64, e: i64| e + 63 - i64::from(m.leading_zeros());
        let (ta, tb) = (top(ma, ea), top(mb, eb));
        let (mb, eb) = if ta - tb > 70 { (1, ta - 66) } else { (mb, eb) };
        let (ma, ea) = if tb - ta > 70 { (1, tb - 66) } else { (ma, ea) };
        let e = ea.min(eb);
        let big_a = Big::from_u64(ma).shl((ea - e) as u32);
        let big_b = Big::from_u64(mb).shl((eb - e) as u32);
        let (negative, sum) = if sa == sb {
            (sa, big_a.add(&big_b))
        } else {
            match big_a.cmp(&big_b) {
                Ordering::Equal => return LongDouble::ZERO,
                Ordering::Greater => (sa, big_a.sub(&big_b)),
                Ordering::Less => (sb, big_b.sub(&big_a)),
            }
        };
        round(negative, sum, e, false).0
    }
}

/// `%.17f` of `mantissa × 2^exp` (its magnitude): the integer digits and
/// the 17 digits after the point, rounded to nearest, ties to even, as
/// glibc's printf rounds the exact binary value.
fn fixed_17(mantissa: u64, exp: i64) -> (String, String) {
    if exp >= 0 {
        let integer = Big::from_u64(mantissa).shl(exp as u32);
        return (integer.to_decimal(), "0".repeat(17));
    }
    let k = (-exp) as u32;
    let whole = Big::from_u64(mantissa);
    let mut integer = whole.shr(k);
    let mut rest = whole.low_bits(k);
    let mut digits = Vec::with_capacity(17);
    for _ in 0..17 {
        rest = rest.mul_small(10);
        let digit = rest.shr(k);
        digits.push(digit.to_u64() as u8);
        rest = rest.low_bits(k);
    }
    // What is left is rest / 2^k of a unit in the 17th place: compare with a half.
    let twice = rest.shl(1);
    let half_or_more = twice.cmp(&Big::from_u64(1).shl(k));
    let round_up = match half_or_more {
        Ordering::Greater => true,
        Ordering::Equal => digits[16] % 2 == 1,
        Ordering::Less => false,
    };
    if round_up {
        let mut carry = true;
        for digit in digits.iter_mut().rev() {
            if *digit == 9 {
                *digit = 0;
            } else {
                *digit += 1;
                carry = false;
                break;
            }
        }
        if carry {
            integer = integer.add(&Big::from_u64(1));
        }
    }
    let fraction = digits.iter().map(|d| char::from(b'0' + d)).collect();
    (integer.to_decimal(), fraction)
}

/// Rounds `(mag + sticky·ε) × 2^exp` (ε some amount strictly between 0 and
/// 1, present if `sticky`) to the nearest extended value. The second value
/// is `strtold`'s ERANGE: the result overflowed, or a nonzero value became
/// zero. A caller that sets `sticky` gives at least 66 bits of `mag`, so
/// the guard bits are real.
fn round(negative: bool, mag: Big, exp: i64, sticky: bool) -> (LongDouble, bool) {
    let bits = i64::from(mag.bit_len());
    if bits == 0 {
        let zero = LongDouble::Finite {
            negative,
            mantissa: 0,
            exp: 0,
        };
        return (zero, sticky);
    }
    let top = exp + bits - 1;
    let lsb = (top - (PRECISION - 1)).max(MIN_LSB_EXP);
    let shift = lsb - exp;
    let (mut mantissa, mut lsb) = if shift <= 0 {
        debug_assert!(!sticky || bits >= 66);
        (mag.to_u64() << (-shift), lsb)
    } else if shift > bits + 1 {
        // Everything is below half of the smallest unit: zero.
        (0, lsb)
    } else {
        let shift = shift as u32;
        let kept = mag.shr(shift).to_u64();
        let half = mag.bit(shift - 1);
        let below = sticky || mag.any_low_bits(shift - 1);
        let up = half && (below || kept & 1 == 1);
        match kept.checked_add(u64::from(up)) {
            Some(m) => (m, lsb),
            // 2^64: one more bit than fits; 2^63 of twice the unit.
            None => (1 << 63, lsb + 1),
        }
    };
    if mantissa == 0 {
        let zero = LongDouble::Finite {
            negative,
            mantissa: 0,
            exp: 0,
        };
        return (zero, true);
    }
    let top = lsb + 63 - i64::from(mantissa.leading_zeros());
    if top > MAX_TOP_EXP {
        return (LongDouble::Infinite { negative }, true);
    }
    // Keep the significand's leading bit at bit 63 when the exponent allows.
    let room = i64::from(mantissa.leading_zeros()).min(lsb - MIN_LSB_EXP);
    if room > 0 {
        mantissa <<= room;
        lsb -= room;
    }
    let value = LongDouble::Finite {
        negative,
        mantissa,
        exp: lsb,
    };
    (value, false)
}

/// A decimal number without its sign: `digits[.digits][e[sign]digits]`,
/// at least one digit before the exponent.
fn parse_decimal(text: &[u8]) -> Option<(LongDouble, bool)> {
    let mut digits = Vec::new(); // significant digits, leading zeros dropped
    let mut exp10: i64 = 0; // value = digits × 10^exp10
    let mut seen_digit = false;
    let mut seen_point = false;
    let mut i = 0;
    while i < text.len() {
        match text[i] {
            b'0'..=b'9' => {
                seen_digit = true;
                if !(digits.is_empty() && text[i] == b'0') {
                    digits.push(text[i] - b'0');
                }
                if seen_point {
                    exp10 -= 1;
                }
            }
            b'.' if !seen_point => seen_point = true,
            _ => break,
        }
        i += 1;
    }
    if !seen_digit {
        return None;
    }
    if i < text.len() {
        if text[i] != b'e' && text[i] != b'E' {
            return None;
        }
        exp10 += parse_exponent(&text[i + 1..])?;
    }
    while digits.last() == Some(&0) {
        digits.pop();
        exp10 += 1;
    }
    if digits.is_empty() {
        return Some((LongDouble::ZERO, false));
    }
    // The value lies in [10^(magnitude-1), 10^magnitude).
    let magnitude = digits.len() as i64 + exp10;
    if magnitude > 4934 {
        return Some((LongDouble::Infinite { negative: false }, true));
    }
    if magnitude < -4952 {
        return Some((LongDouble::ZERO, true));
    }
    let mut numerator = Big::from_u64(0);
    for chunk in digits.chunks(9) {
        let mut value = 0u32;
        for &d in chunk {
            value = value * 10 + u32::from(d);
        }
        numerator = numerator
            .mul_small(10u32.pow(chunk.len() as u32))
            .add(&Big::from_u64(value.into()));
    }
    if exp10 >= 0 {
        let value = numerator.mul(&Big::pow10(exp10 as u32));
        return Some(round(false, value, 0, false));
    }
    let denominator = Big::pow10((-exp10) as u32);
    // Enough bits of quotient for 64 of significand, a guard bit and more.
    let shift = (i64::from(denominator.bit_len()) - i64::from(numerator.bit_len()) + 68).max(0);
    let (quotient, remainder) = numerator.shl(shift as u32).div_rem(&denominator);
    Some(round(false, quotient, -shift, remainder))
}

/// A hexadecimal number after its `0x`: `hexdigits[.hexdigits][p[sign]digits]`.
fn parse_hex(text: &[u8]) -> Option<(LongDouble, bool)> {
    let mut mag = Big::from_u64(0);
    let mut exp2: i64 = 0;
    let mut seen_digit = false;
    let mut seen_point = false;
    let mut i = 0;
    while i < text.len() {
        let c = text[i];
        if let Some(d) = char::from(c).to_digit(16) {
            seen_digit = true;
            mag = mag.mul_small(16).add(&Big::from_u64(d.into()));
            if seen_point {
                exp2 -= 4;
            }
        } else if c == b'.' && !seen_point {
            seen_point = true;
        } else {
            break;
        }
        i += 1;
    }
    if !seen_digit {
        return None;
    }
    if i < text.len() {
        if text[i] != b'p' && text[i] != b'P' {
            return None;
        }
        exp2 += parse_exponent(&text[i + 1..])?;
    }
    if mag.is_zero() {
        return Some((LongDouble::ZERO, false));
    }
    // Beyond these the value is surely infinite or zero; it keeps shifts small.
    let top = exp2 + i64::from(mag.bit_len());
    if top > MAX_TOP_EXP + 2 {
        return Some((LongDouble::Infinite { negative: false }, true));
    }
    if top < MIN_LSB_EXP - 2 {
        return Some((LongDouble::ZERO, true));
    }
    Some(round(false, mag, exp2, false))
}

/// An exponent's `[sign]digits`, all of the text; huge ones saturate.
fn parse_exponent(text: &[u8]) -> Option<i64> {
    let (negative, digits) = match text.first() {
        Some(b'-') => (true, &text[1..]),
        Some(b'+') => (false, &text[1..]),
        _ => (false, text),
    };
    if digits.is_empty() || !digits.iter().all(u8::is_ascii_digit) {
        return None;
    }
    let value = digits
        .iter()
        .fold(0i64, |n, &d| (n * 10 + i64::from(d - b'0')).min(1 << 40));
    Some(if negative { -value } else { value })
}

/// A natural number, in 32-bit words, least significant first, with no
/// zero words at the top. Just the few operations the conversions need.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Big(Vec<u32>);

impl Big {
    fn from_u64(n: u64) -> Big {
        let mut big = Big(vec![n as u32, (n >> 32) as u32]);
        big.trim();
        big
    }

    fn pow10(n: u32) -> Big {
        let mut big = Big::from_u64(1);
        for _ in 0..n / 9 {
            big = big.mul_small(1_000_000_000);
        }
        big.mul_small(10u32.pow(n % 9))
    }

    fn trim(&mut self) {
        while self.0.last() == Some(&0) {
            self.0.pop();
        }
    }

    fn is_zero(&self) -> bool {
        self.0.is_empty()
    }

    fn bit_len(&self) -> u32 {
        match self.0.last() {
            None => 0,
            Some(top) => 32 * (self.0.len() as u32 - 1) + (32 - top.leading_zeros()),
        }
    }

    fn bit(&self, n: u32) -> bool {
        let word = (n / 32) as usize;
        word < self.0.len() && self.0[word] >> (n % 32) & 1 == 1
    }

    /// Whether any of the lowest `n` bits is set.
    fn any_low_bits(&self, n: u32) -> bool {
        let whole = (n / 32) as usize;
        let words = &self.0[..whole.min(self.0.len())];
        words.iter().any(|&w| w != 0)
            || (n % 32 != 0
                && whole < self.0.len()
                && self.0[whole] & ((1u32 << (n % 32)) - 1) != 0)
    }

    /// The lowest 64 bits (the caller knows there are no more).
    fn to_u64(&self) -> u64 {
        let word = |i: usize| u64::from(self.0.get(i).copied().unwrap_or(0));
        word(0) | word(1) << 32
    }

    fn low_bits(&self, n: u32) -> Big {
        let whole = (n / 32) as usize;
        let mut words: Vec<u32> = self.0.iter().take(whole + 1).copied().collect();
        if words.len() > whole {
            words[whole] &= ((1u64 << (n % 32)) - 1) as u32;
        }
        let mut big = Big(words);
        big.trim();
        big
    }

    fn shl(&self, n: u32) -> Big {
        if self.is_zero() {
            return self.clone();
        }
        let (words, bits) = ((n / 32) as usize, n % 32);
        let mut out = vec![0u32; words];
        let mut carry = 0u32;
        for &w in &self.0 {
            if bits == 0 {
                out.push(w);
            } else {
                out.push(w << bits | carry);
                carry = w >> (32 - bits);
            }
        }
        out.push(carry);
        let mut big = Big(out);
        big.trim();
        big
    }

    fn shr(&self, n: u32) -> Big {
        let (words, bits) = ((n / 32) as usize, n % 32);
        if words >= self.0.len() {
            return Big(Vec::new());
        }
        let src = &self.0[words..];
        let mut out = Vec::with_capacity(src.len());
        for i in 0..src.len() {
            let high = src.get(i + 1).copied().unwrap_or(0);
            out.push(if bits == 0 {
                src[i]
            } else {
                src[i] >> bits | high << (32 - bits)
            });
        }
        let mut big = Big(out);
        big.trim();
        big
    }

    fn mul_small(&self, m: u32) -> Big {
        let mut carry = 0u64;
        let mut out = Vec::with_capacity(self.0.len() + 1);
        for &w in &self.0 {
            let product = u64::from(w) * u64::from(m) + carry;
            out.push(product as u32);
            carry = product >> 32;
        }
        out.push(carry as u32);
        let mut big = Big(out);
        big.trim();
        big
    }

    fn mul(&self, other: &Big) -> Big {
        let mut out = vec![0u32; self.0.len() + other.0.len()];
        for (i, &a) in self.0.iter().enumerate() {
            let mut carry = 0u64;
            for (j, &b) in other.0.iter().enumerate() {
                let t = u64::from(a) * u64::from(b) + u64::from(out[i + j]) + carry;
                out[i + j] = t as u32;
                carry = t >> 32;
            }
            out[i + other.0.len()] = carry as u32;
        }
        let mut big = Big(out);
        big.trim();
        big
    }

    fn add(&self, other: &Big) -> Big {
        let len = self.0.len().max(other.0.len());
        let mut out = Vec::with_capacity(len + 1);
        let mut carry = 0u64;
        for i in 0..len {
            let a = u64::from(self.0.get(i).copied().unwrap_or(0));
            let b = u64::from(other.0.get(i).copied().unwrap_or(0));
            let t = a + b + carry;
            out.push(t as u32);
            carry = t >> 32;
        }
        out.push(carry as u32);
        let mut big = Big(out);
        big.trim();
        big
    }

    /// `self - other`; `other` must not be larger.
    fn sub(&self, other: &Big) -> Big {
        let mut out = Vec::with_capacity(self.0.len());
        let mut borrow = 0i64;
        for i in 0..self.0.len() {
            let b = i64::from(other.0.get(i).copied().unwrap_or(0));
            let mut t = i64::from(self.0[i]) - b - borrow;
            borrow = 0;
            if t < 0 {
                t += 1 << 32;
                borrow = 1;
            }
            out.push(t as u32);
        }
        debug_assert_eq!(borrow, 0, "subtracted a larger number");
        let mut big = Big(out);
        big.trim();
        big
    }

    fn cmp(&self, other: &Big) -> Ordering {
        self.0
            .len()
            .cmp(&other.0.len())
            .then_with(|| self.0.iter().rev().cmp(other.0.iter().rev()))
    }

    /// Quotient, and whether there is a remainder, by long division one bit
    /// at a time: quotients here have under a hundred bits.
    fn div_rem(&self, divisor: &Big) -> (Big, bool) {
        let (n, d) = (self.bit_len(), divisor.bit_len());
        if n < d {
            return (Big(Vec::new()), !self.is_zero());
        }
        let mut rest = self.clone();
        let mut quotient = Big(Vec::new());
        for i in (0..=n - d).rev() {
            let shifted = divisor.shl(i);
            quotient = quotient.shl(1);
            if rest.cmp(&shifted) != Ordering::Less {
                rest = rest.sub(&shifted);
                quotient = quotient.add(&Big::from_u64(1));
            }
        }
        (quotient, !rest.is_zero())
    }

    fn to_decimal(&self) -> String {
        if self.is_zero() {
            return "0".to_string();
        }
        let mut chunks = Vec::new(); // base 10^9, least significant first
        let mut words = self.0.clone();
        while !words.is_empty() {
            let mut rem = 0u64;
            for w in words.iter_mut().rev() {
                let cur = rem << 32 | u64::from(*w);
                *w = (cur / 1_000_000_000) as u32;
                rem = cur % 1_000_000_000;
            }
            chunks.push(rem as u32);
            while words.last() == Some(&0) {
                words.pop();
            }
        }
        let mut text = chunks.pop().expect("nonzero").to_string();
        for chunk in chunks.iter().rev() {
            text.push_str(&format!("{chunk:09}"));
        }
        text
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn human(text: &str) -> String {
        LongDouble::parse(text.as_bytes())
            .unwrap_or_else(|| panic!("{text} parses"))
            .to_human()
            .unwrap()
    }

    fn sum(a: &str, b: &str) -> String {
        let a = LongDouble::parse(a.as_bytes()).unwrap();
        let b = LongDouble::parse(b.as_bytes()).unwrap();
        (a + b).to_human().unwrap()
    }

    /// Every expected text here is what redis-server 7.0.15 answered.
    #[test]
    fn sums_print_as_redis_prints_them() {
        assert_eq!(sum("0", "0.1"), "0.1");
        assert_eq!(sum("0.1", "0.1"), "0.2");
        assert_eq!(sum("0.2", "0.1"), "0.3");
        assert_eq!(sum("1.5", "1"), "2.5");
        assert_eq!(
            sum("0", "123456789.123456789"),
            "123456789.12345678899873747"
        );
        assert_eq!(sum("0", "1.23456789012345678901"), "1.23456789012345679");
        assert_eq!(sum("9223372036854775807", "1"), "9223372036854775808");
        assert_eq!(sum("-0", "-0"), "0");
        assert_eq!(sum("0", "-1.5e-7"), "-0.00000015");
        assert_eq!(
            sum("0", "1e300"),
            "1000000000000000000008997324079559193870523944273290747938260082321265646596\
             180935755849152083750497190350372508614274835903592556184672983913096260520\
             748646287327135641843653294084255107606016789726652932370030551382947620994\
             540294772781889620606179267611627097410650567187386105690089424915104006144"
        );
        let twice = sum(
            "1000000000000000000008997324079559193870523944273290747938260082321265646596\
             180935755849152083750497190350372508614274835903592556184672983913096260520\
             748646287327135641843653294084255107606016789726652932370030551382947620994\
             540294772781889620606179267611627097410650567187386105690089424915104006144",
            "1e300",
        );
        assert!(twice.starts_with("20000000000000000000179946481591183877410478885465814"));
        assert!(twice.ends_with("4772211380178849830208012288"), "{twice}");
    }

    #[test]
    fn fixed_point_rounds_the_exact_binary_value() {
        assert_eq!(human("0.000000000000000005"), "0");
        assert_eq!(human("0.000000000000000015"), "0.00000000000000002");
        assert_eq!(human("0.0000000000000000050000001"), "0.00000000000000001");
        assert_eq!(human("1e-320"), "0");
        assert_eq!(human("3.0000000000000004"), "3.0000000000000004");
        assert_eq!(human("0.30000000000000004"), "0.30000000000000004");
        assert_eq!(human("1e21"), "1000000000000000000000");
        assert_eq!(human("5.0e3"), "5000");
        assert_eq!(human("-.5e1"), "-5");
        assert_eq!(human("1."), "1");
        assert_eq!(human("0x10"), "16");
        assert_eq!(human("0x1p-3"), "0.125");
        assert_eq!(human("0x.8"), "0.5");
        assert_eq!(human("0x1.fffffffffffffffffffp0"), "2");
        assert!(human("1.7976931348623157e308").starts_with("17976931348623156999592104677410443"));
        assert_eq!(human("1e4932").len(), 4933);
    }

    #[test]
    fn parse_refuses_what_string2ld_refuses() {
        for bad in [
            "", " 1", "1 ", "abc", "nan", "NaN", "1e", "1e+", ".", "1_0", "0x", "0x1p", "1\0",
            "1e5000", "1e-5000", "-1e-5000", "infinit", "--1", "+-1",
        ] {
            assert_eq!(LongDouble::parse(bad.as_bytes()), None, "{bad:?}");
        }
        let mut long = b"1.".to_vec();
        long.resize(MAX_CHARS - 1, b'0');
        assert_eq!(human(std::str::from_utf8(&long).unwrap()), "1");
        long.push(b'0');
        assert_eq!(LongDouble::parse(&long), None, "too long, though a number");
        for inf in ["inf", "-INF", "Infinity", "+inf"] {
            assert!(LongDouble::parse(inf.as_bytes())
                .unwrap()
                .is_nan_or_infinite());
        }
        assert_eq!(LongDouble::parse(b"0e-5000"), Some(LongDouble::ZERO));
        assert!(
            LongDouble::parse(b"1e-4940").is_some(),
            "a subnormal is a number"
        );
    }

    #[test]
    fn overflow_and_infinities() {
        let big = LongDouble::parse(b"1e4932").unwrap();
        assert!((big + big).is_nan_or_infinite());
        let inf = LongDouble::parse(b"inf").unwrap();
        let minus_inf = LongDouble::parse(b"-inf").unwrap();
        assert_eq!((inf + minus_inf), LongDouble::NaN);
        assert_eq!((inf + LongDouble::from_i64(1)), inf);
    }

    #[test]
    fn far_apart_operands_round_as_the_exact_sum() {
        // 1 + 2^-64 is a tie between 1 and 1 + 2^-63: to even, so 1.
        let one = LongDouble::from_i64(1);
        let tiny = LongDouble::parse(b"0x1p-64").unwrap();
        assert_eq!((one + tiny), one);
        let more = LongDouble::parse(b"0x1.0000001p-64").unwrap();
        assert_ne!((one + more), one);
        let far = LongDouble::parse(b"0x1p-1000").unwrap();
        assert_eq!((one + far), one);
        assert_eq!((far + one), one);
        let minus_far = LongDouble::parse(b"-0x1p-1000").unwrap();
        assert_eq!(
            (one + minus_far),
            one,
            "1 is nearer than the number below it"
        );
        let x = LongDouble::from_i64(i64::MIN);
        assert_eq!(x.to_human().unwrap(), "-9223372036854775808");
        assert_eq!(
            (x + LongDouble::from_i64(i64::MAX)).to_human().unwrap(),
            "-1"
        );
    }
}
