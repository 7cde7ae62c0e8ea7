//! The longest common subsequence of two strings, for LCS: the classic
//! dynamic-programming table, walked back from its far corner.
//!
//! Cell `(i, j)` of the [`Table`] holds the length of the LCS of the first
//! `i` bytes of `a` and the first `j` bytes of `b`. Walking back from
//! `(a.len(), b.len())` gives the subsequence itself and, as a by-product,
//! the runs of bytes that are contiguous in both strings (IDX's matches).
//! Redis does the same, and where several subsequences are equally long,
//! the walk must choose as its walk does for the replies to be the same
//! bytes: on a tie it steps back in `b`, not in `a`.
//!
//! The table has `(a.len() + 1) × (b.len() + 1)` cells of 4 bytes. Like
//! Redis 7.0, this refuses one larger than 512 MB (`proto-max-bulk-len`),
//! which also bounds the time it takes: at most 2^27 cells.

use super::CommandError;
use crate::protocol::MAX_BULK_LEN;

/// A run of bytes that is the same in both strings: `a[a.0..=a.1]` equals
/// `b[b.0..=b.1]`. Inclusive, as IDX reports them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Match {
    pub a: (usize, usize),
    pub b: (usize, usize),
}

impl Match {
    /// Its length in bytes (WITHMATCHLEN).
    pub fn match_len(&self) -> usize {
        self.a.1 - self.a.0 + 1
    }
}

/// The number of cells of the table for strings of these lengths, or
/// Redis's refusal if they would take more than 512 MB.
fn cell_count(a_len: usize, b_len: usize) -> Result<usize, CommandError> {
    // At most (2^29 + 1)^2 cells for two 512 MB strings: no overflow in u64.
    let cells = (a_len as u64 + 1) * (b_len as u64 + 1);
    if cells * 4 > MAX_BULK_LEN as u64 {
        return Err(CommandError::LcsTableTooLarge);
    }
    Ok(cells as usize)
}

/// The length of the LCS alone (LCS's LEN), one row of the table at a time:
/// memory for one string, not for the table. The table's size is checked
/// all the same, for Redis's refusal to be the same.
pub fn length(a: &[u8], b: &[u8]) -> Result<usize, CommandError> {
    cell_count(a.len(), b.len())?;
    if a.is_empty() || b.is_empty() {
        return Ok(0);
    }
    let mut row = Vec::new();
    row.try_reserve_exact(b.len() + 1)
        .map_err(|_| CommandError::LcsOutOfMemory)?;
    row.resize(b.len() + 1, 0u32);
    for &x in a {
        // `diagonal` is the previous row's cell left of the one updated.
        let mut diagonal = 0;
        for (j, &y) in b.iter().enumerate() {
            let above = row[j + 1];
            row[j + 1] = if x == y {
                diagonal + 1
            } else {
                above.max(row[j])
            };
            diagonal = above;
        }
    }
    Ok(row[b.len()] as usize)
}

/// The filled table of LCS lengths.
pub struct Table {
    /// Cells per row: `b.len() + 1`.
    width: usize,
    cells: Vec<u32>,
}

/// What walking the table back gives.
#[derive(Debug, PartialEq, Eq)]
pub struct Walk {
    pub subsequence: Vec<u8>,
    /// The runs, from the end of the strings to their start.
    pub matches: Vec<Match>,
}

impl Table {
    /// Fills the table for `a` and `b`; refuses one over 512 MB, or one
    /// the allocator cannot give, with Redis's errors.
    pub fn new(a: &[u8], b: &[u8]) -> Result<Table, CommandError> {
        let width = b.len() + 1;
        let count = cell_count(a.len(), b.len())?;
        if a.is_empty() || b.is_empty() {
            // Every cell is 0, and the walk reads none: keep just the last.
            return Ok(Table {
                width,
                cells: vec![0],
            });
        }
        let mut table = Vec::new();
        table
            .try_reserve_exact(count)
            .map_err(|_| CommandError::LcsOutOfMemory)?;
        table.resize(count, 0);
        for (i, &x) in a.iter().enumerate() {
            let (above, row) = table[i * width..(i + 2) * width].split_at_mut(width);
            for (j, &y) in b.iter().enumerate() {
                row[j + 1] = if x == y {
                    above[j] + 1
                } else {
                    above[j + 1].max(row[j])
                };
            }
        }
        Ok(Table {
            width,
            cells: table,
        })
    }

    fn at(&self, i: usize, j: usize) -> u32 {
        self.cells[i * self.width + j]
    }

    /// The length of the longest common subsequence.
    pub fn lcs_len(&self) -> usize {
        *self.cells.last().expect("a table has at least one cell") as usize
    }

    /// Walks back from the far corner: the subsequence, and the runs that
    /// are contiguous in both strings, latest first. `a` and `b` must be
    /// the strings the table was filled for.
    pub fn walk(&self, a: &[u8], b: &[u8]) -> Walk {
        let mut subsequence = vec![0; self.lcs_len()];
        let mut filled = subsequence.len();
        let mut matches = Vec::new();
        // The run being grown backwards, if the last step was a match.
        let mut run: Option<Match> = None;
        let (mut i, mut j) = (a.len(), b.len());
        while i > 0 && j > 0 {
            if a[i - 1] == b[j - 1] {
                filled -= 1;
                subsequence[filled] = a[i - 1];
                i -= 1;
                j -= 1;
                // A match right after a match is always the byte before it
                // in both strings: a step that is not a match ends the run.
                let grown = match run {
                    Some(m) => Match {
                        a: (i, m.a.1),
                        b: (j, m.b.1),
                    },
                    None => Match {
                        a: (i, i),
                        b: (j, j),
                    },
                };
                run = Some(grown);
                if i == 0 || j == 0 {
                    matches.extend(run.take());
                }
            } else {
                if self.at(i - 1, j) > self.at(i, j - 1) {
                    i -= 1;
                } else {
                    j -= 1;
                }
                matches.extend(run.take());
            }
        }
        Walk {
            subsequence,
            matches,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn walk(a: &str, b: &str) -> Walk {
        Table::new(a.as_bytes(), b.as_bytes())
            .unwrap()
            .walk(a.as_bytes(), b.as_bytes())
    }

    fn m(a: (usize, usize), b: (usize, usize)) -> Match {
        Match { a, b }
    }

    #[test]
    fn the_table_holds_the_lcs_length_of_every_pair_of_prefixes() {
        let table = Table::new(b"abcbdab", b"bdcaba").unwrap();
        assert_eq!(table.width, 7);
        assert_eq!(table.lcs_len(), 4);
        // The textbook's table (Cormen et al., figure 15.8), row by row.
        let expected: [[u32; 7]; 8] = [
            [0, 0, 0, 0, 0, 0, 0],
            [0, 0, 0, 0, 1, 1, 1],
            [0, 1, 1, 1, 1, 2, 2],
            [0, 1, 1, 2, 2, 2, 2],
            [0, 1, 1, 2, 2, 3, 3],
            [0, 1, 2, 2, 2, 3, 3],
            [0, 1, 2, 2, 3, 3, 4],
            [0, 1, 2, 2, 3, 4, 4],
        ];
        for (i, row) in expected.iter().enumerate() {
            for (j, &cell) in row.iter().enumerate() {
                assert_eq!(table.at(i, j), cell, "cell ({i}, {j})");
            }
        }
    }

    #[test]
    fn the_walk_gives_redis_s_subsequence_and_runs() {
        // Redis's own example (the LCS page of its documentation).
        let found = walk("ohmytext", "mynewtext");
        assert_eq!(found.subsequence, b"mytext");
        assert_eq!(found.matches, [m((4, 7), (5, 8)), m((2, 3), (0, 1))]);
        assert_eq!(found.matches[0].match_len(), 4);
        // On a tie the walk steps back in `b`: which of the LCSs it finds
        // depends on the order of the strings, as in Redis.
        assert_eq!(walk("abcbdab", "bdcaba").subsequence, b"bdab");
        assert_eq!(walk("bdcaba", "abcbdab").subsequence, b"bcba");
    }

    #[test]
    fn the_length_alone_is_the_table_s_last_cell() {
        let mut seed = 7u32;
        let mut text = |len: usize| -> Vec<u8> {
            (0..len)
                .map(|_| {
                    seed = seed.wrapping_mul(1_103_515_245).wrapping_add(12345);
                    b"abc"[(seed >> 16) as usize % 3]
                })
                .collect()
        };
        for (a_len, b_len) in [(0, 0), (0, 5), (5, 0), (1, 1), (30, 17), (64, 100)] {
            let (a, b) = (text(a_len), text(b_len));
            let table = Table::new(&a, &b).unwrap();
            assert_eq!(length(&a, &b), Ok(table.lcs_len()), "{a:?} {b:?}");
            assert_eq!(table.walk(&a, &b).subsequence.len(), table.lcs_len());
        }
        assert_eq!(length(b"ohmytext", b"mynewtext"), Ok(6));
        assert_eq!(
            length(&[b'x'; 8191], &[b'y'; 16384]),
            Err(CommandError::LcsTableTooLarge)
        );
    }

    #[test]
    fn empty_and_disjoint_strings_have_an_empty_lcs() {
        for (a, b) in [("", ""), ("abc", ""), ("", "abc"), ("abc", "xyz")] {
            let found = walk(a, b);
            assert!(found.subsequence.is_empty() && found.matches.is_empty());
        }
        let same = walk("same", "same");
        assert_eq!(same.subsequence, b"same");
        assert_eq!(same.matches, [m((0, 3), (0, 3))]);
    }

    #[test]
    fn a_run_that_reaches_the_start_of_either_string_is_kept() {
        assert_eq!(walk("xab", "ab").matches, [m((1, 2), (0, 1))]);
        assert_eq!(walk("ab", "xab").matches, [m((0, 1), (1, 2))]);
        assert_eq!(
            walk("a-b", "ab").matches,
            [m((2, 2), (1, 1)), m((0, 0), (0, 0))]
        );
    }

    #[test]
    fn a_table_over_512_mb_is_refused_before_it_is_allocated() {
        // (8191 + 1) × (16383 + 1) cells of 4 bytes: 512 MB exactly.
        assert_eq!(cell_count(8191, 16383), Ok(1 << 27));
        assert_eq!(cell_count(16383, 8191), Ok(1 << 27));
        assert_eq!(cell_count(8191, 16384), Err(CommandError::LcsTableTooLarge));
        assert_eq!(cell_count(1 << 29, 0), Err(CommandError::LcsTableTooLarge));
        assert_eq!(cell_count((1 << 27) - 1, 0), Ok(1 << 27));
        assert_eq!(cell_count(0, 0), Ok(1));
        let (a, b) = (vec![b'x'; 8191], vec![b'y'; 16384]);
        assert_eq!(
            Table::new(&a, &b).err(),
            Some(CommandError::LcsTableTooLarge)
        );
        assert_eq!(
            Table::new(&b, &a).err(),
            Some(CommandError::LcsTableTooLarge)
        );
        let small = Table::new(&a[..100], &b[..100]).unwrap();
        assert_eq!(small.lcs_len(), 0);
    }
}
