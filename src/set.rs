//! The set value, with Redis 7.0's two encodings, because they show in
//! replies.
//!
//! Redis keeps a set whose members are all integers (in its strict sense:
//! `string2ll`, so `"7"` and `"-3"` but not `"07"` or `"+3"`) as an *intset*,
//! a sorted array of integers, as long as it has at most 512 members
//! (`set-max-intset-entries`). SMEMBERS, SSCAN, SUNION... then list the
//! members in ascending numeric order, and a client can rely on that. Any
//! other set is a hash table, whose order is pseudo-random. The first
//! non-integer or the 513th member turns an intset into a hash table, and
//! nothing turns it back.
//!
//! [`Set`] mirrors that: [`Set::Ints`] is the intset, kept sorted, and
//! [`Set::Table`] the hash table. Our table's order is not Redis's (no two
//! Redis servers agree on it either: the hash is seeded at random), but
//! every intset answers in exactly Redis's order.

use crate::bytes::Bytes;
use crate::protocol::{parse_i64, Reply};
use crate::random;
use crate::table::Table;

/// Most members an intset holds (`set-max-intset-entries`).
pub const MAX_INTSET_ENTRIES: usize = 512;

#[derive(Debug, Clone)]
pub enum Set {
    /// Every member an integer, at most [`MAX_INTSET_ENTRIES`], ascending.
    Ints(Vec<i64>),
    Table(Table<Bytes>),
}

impl Default for Set {
    /// An empty intset: Redis's `createIntsetObject`, which any member
    /// that is not an integer converts at once.
    fn default() -> Self {
        Set::Ints(Vec::new())
    }
}

/// A member as a set yields it: an intset's are numbers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Member<'a> {
    Int(i64),
    Str(&'a [u8]),
}

impl Member<'_> {
    pub fn to_bytes(self) -> Bytes {
        match self {
            Member::Int(n) => {
                let mut bytes = Bytes::copy_from(b"");
                bytes.set_integer(n);
                bytes
            }
            Member::Str(s) => Bytes::copy_from(s),
        }
    }

    pub fn reply(self) -> Reply {
        match self {
            Member::Int(n) => Reply::bulk(n.to_string()),
            Member::Str(s) => Reply::bulk(s),
        }
    }

    /// The member as an integer, if it is one in Redis's strict sense.
    fn as_int(self) -> Option<i64> {
        match self {
            Member::Int(n) => Some(n),
            Member::Str(s) => parse_i64(s),
        }
    }
}

impl PartialEq for Set {
    /// The same members, whatever the encoding or order.
    fn eq(&self, other: &Set) -> bool {
        self.len() == other.len() && self.iter().all(|m| other.contains_member(m))
    }
}

impl Set {
    pub fn len(&self) -> usize {
        match self {
            Set::Ints(ints) => ints.len(),
            Set::Table(table) => table.len(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Whether Redis would hold this set as an intset.
    pub fn is_intset(&self) -> bool {
        matches!(self, Set::Ints(_))
    }

    pub fn contains(&self, member: &[u8]) -> bool {
        self.contains_member(Member::Str(member))
    }

    pub fn contains_member(&self, member: Member) -> bool {
        match (self, member) {
            (Set::Ints(ints), member) => member
                .as_int()
                .is_some_and(|n| ints.binary_search(&n).is_ok()),
            (Set::Table(table), Member::Str(s)) => table.contains(s),
            (Set::Table(table), Member::Int(n)) => table.contains(n.to_string().as_bytes()),
        }
    }

    /// Adds `member`; returns whether it was new. An intset becomes a table
    /// when `member` is not an integer or the set outgrows 512 members.
    pub fn insert(&mut self, member: Member) -> bool {
        if let Set::Ints(ints) = self {
            if let Some(n) = member.as_int() {
                let Err(at) = ints.binary_search(&n) else {
                    return false;
                };
                ints.insert(at, n);
                if ints.len() > MAX_INTSET_ENTRIES {
                    self.convert_to_table();
                }
                return true;
            }
            self.convert_to_table();
        }
        let Set::Table(table) = self else {
            unreachable!("converted above")
        };
        match member {
            Member::Str(s) if table.contains(s) => false,
            member => table.insert(member.to_bytes()),
        }
    }

    /// Adds a member given as an owned string (SADD's arguments).
    pub fn insert_bytes(&mut self, member: Vec<u8>) -> bool {
        match self {
            Set::Table(table) if !table.contains(&member) => table.insert(member.into()),
            _ => self.insert(Member::Str(&member)),
        }
    }

    pub fn remove(&mut self, member: &[u8]) -> bool {
        match self {
            Set::Ints(ints) => match parse_i64(member).map(|n| ints.binary_search(&n)) {
                Some(Ok(at)) => {
                    ints.remove(at);
                    true
                }
                _ => false,
            },
            Set::Table(table) => table.remove(member).is_some(),
        }
    }

    fn convert_to_table(&mut self) {
        if let Set::Ints(ints) = self {
            let mut table = Table::with_capacity(ints.len() + 1);
            for &n in ints.iter() {
                table.insert(Member::Int(n).to_bytes());
            }
            *self = Set::Table(table);
        }
    }

    /// Every member: an intset's in ascending order, a table's in its own.
    pub fn iter(&self) -> impl Iterator<Item = Member<'_>> + '_ {
        let (ints, table) = match self {
            Set::Ints(ints) => (Some(ints.iter().map(|&n| Member::Int(n))), None),
            Set::Table(table) => (None, Some(table.iter().map(|s| Member::Str(s)))),
        };
        ints.into_iter()
            .flatten()
            .chain(table.into_iter().flatten())
    }

    /// A member chosen at random (the set must not be empty).
    pub fn random(&self) -> Member<'_> {
        match self {
            Set::Ints(ints) => Member::Int(ints[random::below(ints.len())]),
            Set::Table(table) => {
                Member::Str(table.random(random::next_u64).expect("a non-empty set"))
            }
        }
    }

    /// Removes and returns a member chosen at random (the set must not be empty).
    pub fn pop_random(&mut self) -> Bytes {
        match self {
            Set::Ints(ints) => {
                let n = ints.remove(random::below(ints.len()));
                Member::Int(n).to_bytes()
            }
            Set::Table(table) => table.pop_random(random::next_u64).expect("a non-empty set"),
        }
    }

    /// One step of SSCAN: an intset answers whole (cursor 0 back), as
    /// Redis does for any set that is not a hash table; a table walks
    /// [`Table::scan`] until it has `count` members or has visited ten
    /// times that many buckets.
    pub fn scan(&self, cursor: u64, count: usize, mut found: impl FnMut(Member)) -> u64 {
        match self {
            Set::Ints(ints) => {
                ints.iter().for_each(|&n| found(Member::Int(n)));
                0
            }
            Set::Table(table) => {
                let mut cursor = cursor;
                let mut seen = 0;
                let mut budget = count.saturating_mul(10);
                loop {
                    cursor = table.scan(cursor, |s| {
                        seen += 1;
                        found(Member::Str(s));
                    });
                    if cursor == 0 || budget == 0 || seen >= count {
                        return cursor;
                    }
                    budget -= 1;
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn members(set: &Set) -> Vec<Vec<u8>> {
        set.iter().map(|m| m.to_bytes().to_vec()).collect()
    }

    #[test]
    fn integers_stay_an_intset_in_numeric_order() {
        let mut set = Set::default();
        for m in ["10", "-3", "2", "10"] {
            set.insert(Member::Str(m.as_bytes()));
        }
        assert!(set.is_intset());
        assert_eq!(
            members(&set),
            [b"-3".to_vec(), b"2".to_vec(), b"10".to_vec()]
        );
        assert!(set.contains(b"2") && !set.contains(b"02") && !set.contains(b"x"));
    }

    #[test]
    fn a_string_or_the_513th_integer_makes_a_table_for_good() {
        let mut set = Set::default();
        set.insert(Member::Str(b"1"));
        set.insert(Member::Str(b"01"));
        assert!(!set.is_intset());
        set.remove(b"01");
        assert!(!set.is_intset(), "no way back");
        let mut big = Set::default();
        for n in 0..512 {
            big.insert(Member::Int(n));
        }
        assert!(big.is_intset());
        big.insert(Member::Int(512));
        assert!(!big.is_intset());
        assert_eq!(big.len(), 513);
        assert!(big.contains(b"511"));
    }
}
