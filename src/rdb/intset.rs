//! The intset (Redis's `intset.c`): a small set of integers as one sorted
//! array, every member the same width, the smallest that holds them all.
//!
//! ```text
//! <width: u32 LE, 2, 4 or 8> <count: u32 LE> <members, ascending, LE>
//! ```

use super::element::{Cursor, Malformed};

/// The intset of `members`, which must be ascending.
pub fn build(members: &[i64]) -> Vec<u8> {
    let width: usize = if members.iter().all(|&n| i16::try_from(n).is_ok()) {
        2
    } else if members.iter().all(|&n| i32::try_from(n).is_ok()) {
        4
    } else {
        8
    };
    let mut out = Vec::with_capacity(8 + width * members.len());
    out.extend_from_slice(&(width as u32).to_le_bytes());
    out.extend_from_slice(&(members.len() as u32).to_le_bytes());
    for &n in members {
        out.extend_from_slice(&n.to_le_bytes()[..width]);
    }
    out
}

/// The members of the intset `bytes`: they must be ascending and distinct,
/// as a set's are.
pub fn members(bytes: &[u8]) -> Result<Vec<i64>, Malformed> {
    let mut cursor = Cursor::new(bytes);
    let width = cursor.uint_le(4)? as usize;
    if !matches!(width, 2 | 4 | 8) {
        return Err("intset has an unknown width");
    }
    let count = cursor.uint_le(4)? as usize;
    if count.checked_mul(width).and_then(|n| n.checked_add(8)) != Some(bytes.len()) {
        return Err("intset size does not match its header");
    }
    let mut found: Vec<i64> = Vec::with_capacity(count);
    for _ in 0..count {
        let n = cursor.int_le(width)?;
        if found.last().is_some_and(|&last| last >= n) {
            return Err("intset members are not ascending");
        }
        found.push(n);
    }
    Ok(found)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_bytes_redis_dumps_for_sadd_s_1_2_3() {
        let bytes = build(&[1, 2, 3]);
        assert_eq!(bytes, [2, 0, 0, 0, 3, 0, 0, 0, 1, 0, 2, 0, 3, 0]);
        assert_eq!(members(&bytes).unwrap(), [1, 2, 3]);
    }

    #[test]
    fn the_width_is_the_widest_members_and_order_is_checked() {
        let wide = [-(1 << 40), -5, 70_000];
        assert_eq!(build(&wide)[0], 8);
        assert_eq!(members(&build(&wide)).unwrap(), wide);
        assert_eq!(build(&[-5, 70_000])[0], 4);
        assert!(members(&build(&[3, 2])).is_err());
        assert!(members(&build(&[2, 2])).is_err());
        assert!(members(&[2, 0, 0, 0, 9, 0, 0, 0]).is_err());
    }
}
