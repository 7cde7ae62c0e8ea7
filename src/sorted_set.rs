//! The sorted set: members with scores, ordered by (score, member).
//!
//! Redis keeps a skiplist beside a dict (`t_zset.c`): the dict finds a
//! member's score in O(1), the skiplist walks them in order. Here a
//! `HashMap` does the first job and a `BTreeSet` of (score, member) the
//! second; std has no skiplist, and a B-tree gives the same O(log n).

use std::cmp::Ordering;
use std::collections::{BTreeSet, HashMap};

use crate::value::Bytes;

/// A score with a total order, so it can sort in a `BTreeSet`. Scores are
/// never NaN (commands refuse it), so the order is the usual one.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Score(pub f64);

impl Eq for Score {}

impl PartialOrd for Score {
    fn partial_cmp(&self, other: &Score) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Score {
    fn cmp(&self, other: &Score) -> Ordering {
        self.0.total_cmp(&other.0)
    }
}

/// Members and their scores.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SortedSet {
    scores: HashMap<Bytes, f64>,
    order: BTreeSet<(Score, Bytes)>,
}

impl SortedSet {
    pub fn len(&self) -> usize {
        self.scores.len()
    }

    pub fn is_empty(&self) -> bool {
        self.scores.is_empty()
    }

    pub fn score(&self, member: &[u8]) -> Option<f64> {
        self.scores.get(member).copied()
    }

    /// Sets `member`'s score; returns the old one, if it was there.
    pub fn insert(&mut self, member: Bytes, score: f64) -> Option<f64> {
        let old = self.scores.insert(member.clone(), score);
        if let Some(old) = old {
            self.order.remove(&(Score(old), member.clone()));
        }
        self.order.insert((Score(score), member));
        old
    }

    /// Removes `member`; returns its score, if it was there.
    pub fn remove(&mut self, member: &[u8]) -> Option<f64> {
        let (member, score) = self.scores.remove_entry(member)?;
        self.order.remove(&(Score(score), member));
        Some(score)
    }

    /// Members in order, lowest score first (ties by member, bytewise).
    pub fn iter(&self) -> impl DoubleEndedIterator<Item = (&Bytes, f64)> {
        self.order.iter().map(|(score, member)| (member, score.0))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn members_sort_by_score_then_name_and_move_when_rescored() {
        let mut z = SortedSet::default();
        z.insert(Bytes::copy_from(b"b"), 1.0);
        z.insert(Bytes::copy_from(b"a"), 1.0);
        z.insert(Bytes::copy_from(b"c"), -0.5);
        assert_eq!(z.insert(Bytes::copy_from(b"c"), 2.0), Some(-0.5));
        let names: Vec<&[u8]> = z.iter().map(|(m, _)| m.as_slice()).collect();
        assert_eq!(names, [&b"a"[..], b"b", b"c"]);
        assert_eq!(z.remove(b"a"), Some(1.0));
        assert_eq!((z.len(), z.score(b"c")), (2, Some(2.0)));
    }
}
