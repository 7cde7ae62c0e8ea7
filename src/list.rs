//! The list value, packed: a deque of *chunks*, each a few kilobytes of
//! elements laid end to end, after Redis's quicklist (a linked list of
//! listpacks, `quicklist.c` and `listpack.c`).
//!
//! Why not a `VecDeque<Bytes>`? Each element would cost 24 bytes of
//! `Bytes`, and more on the heap for a long one, plus the deque's spare
//! room: a list of a million 16-byte strings took 2.6 times Redis's memory.
//! Packed, an element costs its bytes and two bytes of framing, as in a
//! listpack.
//!
//! **A chunk** holds elements one after another, each framed by its length
//! on both sides, so the chunk can be read from either end:
//!
//! ```text
//! [len][bytes...][len reversed]  [len][bytes...][len reversed]  ...
//! ```
//!
//! A length is a LEB128 varint (7 bits a byte, the high bit saying "more"),
//! one byte for up to 127 bytes. The copy after the element is written
//! backwards, so a reader coming from the end meets its first byte first:
//! that is Redis's listpack `backlen`.
//!
//! **The chunks** are at most [`CHUNK_BYTES`] long (Redis's default
//! `list-max-listpack-size -2`, 8 KiB), unless one element alone is longer.
//! A push goes into the end chunk if it fits, else into a new chunk, so
//! pushing and popping at either end touch one chunk of bounded size: O(1),
//! as in Redis. Finding the element at an index skips whole chunks by their
//! counts, then walks one chunk: O(n / chunk), as Redis's LINDEX.

use std::collections::VecDeque;

use crate::bytes::Bytes;

/// Most bytes a chunk holds, unless a single element is longer.
pub const CHUNK_BYTES: usize = 8192;

/// A list of byte strings, packed into chunks.
#[derive(Debug, Clone, Default)]
pub struct List {
    chunks: VecDeque<Chunk>,
    len: usize,
}

/// Some consecutive elements of a list, framed as the module says.
#[derive(Debug, Clone, Default)]
struct Chunk {
    bytes: Vec<u8>,
    count: usize,
}

impl PartialEq for List {
    /// The same elements in the same order, however they are chunked.
    fn eq(&self, other: &List) -> bool {
        self.len == other.len && self.iter().eq(other.iter())
    }
}

impl FromIterator<Bytes> for List {
    fn from_iter<I: IntoIterator<Item = Bytes>>(elements: I) -> List {
        let mut list = List::default();
        elements.into_iter().for_each(|e| list.push_back(&e));
        list
    }
}

impl<const N: usize> From<[Bytes; N]> for List {
    fn from(elements: [Bytes; N]) -> List {
        elements.into_iter().collect()
    }
}

/// Appends the LEB128 bytes of `n` to `out`, or, if `reversed`, the same
/// bytes in the opposite order.
fn put_len(out: &mut Vec<u8>, mut n: usize, reversed: bool) {
    let start = out.len();
    loop {
        let low = (n & 0x7f) as u8;
        n >>= 7;
        if n == 0 {
            out.push(low);
            break;
        }
        out.push(low | 0x80);
    }
    if reversed {
        out[start..].reverse();
    }
}

/// An element with its frame, ready to be copied into a chunk.
fn frame(element: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(element.len() + 4);
    put_len(&mut out, element.len(), false);
    out.extend_from_slice(element);
    put_len(&mut out, element.len(), true);
    out
}

/// The element whose frame starts at `at`: its bytes, and where the next
/// frame starts.
fn read_forward(bytes: &[u8], at: usize) -> (&[u8], usize) {
    let (mut len, mut i, mut shift) = (0, at, 0);
    loop {
        let byte = bytes[i];
        len |= usize::from(byte & 0x7f) << shift;
        i += 1;
        if byte & 0x80 == 0 {
            break;
        }
        shift += 7;
    }
    let header = i - at;
    (&bytes[i..i + len], i + len + header)
}

/// The element whose frame ends at `end`: its bytes, and where its frame
/// starts (the end of the one before).
fn read_backward(bytes: &[u8], end: usize) -> (&[u8], usize) {
    let (mut len, mut i, mut shift) = (0, end, 0);
    loop {
        i -= 1;
        let byte = bytes[i];
        len |= usize::from(byte & 0x7f) << shift;
        if byte & 0x80 == 0 {
            break;
        }
        shift += 7;
    }
    let trailer = end - i;
    let start = i - len;
    (&bytes[start..i], start - trailer)
}

impl Chunk {
    /// Whether `more` bytes still fit, or the chunk is empty (an element
    /// longer than [`CHUNK_BYTES`] gets a chunk of its own).
    fn has_room(&self, more: usize) -> bool {
        self.count == 0 || self.bytes.len() + more <= CHUNK_BYTES
    }

    /// The elements, from either end.
    fn iter(&self) -> ChunkIter<'_> {
        ChunkIter {
            bytes: &self.bytes,
            front: 0,
            back: self.bytes.len(),
        }
    }

    /// Where the frame of element `n` starts and ends, walking from the
    /// nearer end.
    fn frame_of(&self, n: usize) -> (usize, usize) {
        if n < self.count / 2 {
            let mut at = 0;
            for _ in 0..n {
                at = read_forward(&self.bytes, at).1;
            }
            (at, read_forward(&self.bytes, at).1)
        } else {
            let mut end = self.bytes.len();
            for _ in n + 1..self.count {
                end = read_backward(&self.bytes, end).1;
            }
            (read_backward(&self.bytes, end).1, end)
        }
    }

    /// Removes up to `n` elements from the front (or the back), appending
    /// them to `out` in the order they come off.
    fn pop_many(&mut self, n: usize, front: bool, out: &mut Vec<Bytes>) {
        let n = n.min(self.count);
        if front {
            let mut at = 0;
            for _ in 0..n {
                let (element, next) = read_forward(&self.bytes, at);
                out.push(Bytes::copy_from(element));
                at = next;
            }
            self.bytes.drain(..at);
        } else {
            let mut end = self.bytes.len();
            for _ in 0..n {
                let (element, start) = read_backward(&self.bytes, end);
                out.push(Bytes::copy_from(element));
                end = start;
            }
            self.bytes.truncate(end);
        }
        self.count -= n;
    }
}

/// The elements of one chunk, read from the front, the back, or both.
struct ChunkIter<'a> {
    bytes: &'a [u8],
    front: usize,
    back: usize,
}

impl<'a> Iterator for ChunkIter<'a> {
    type Item = &'a [u8];

    fn next(&mut self) -> Option<&'a [u8]> {
        if self.front >= self.back {
            return None;
        }
        let (element, next) = read_forward(self.bytes, self.front);
        self.front = next;
        Some(element)
    }
}

impl DoubleEndedIterator for ChunkIter<'_> {
    fn next_back(&mut self) -> Option<Self::Item> {
        if self.front >= self.back {
            return None;
        }
        let (element, start) = read_backward(self.bytes, self.back);
        self.back = start;
        Some(element)
    }
}

impl List {
    pub fn len(&self) -> usize {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// LPUSH's step: `element` becomes the first.
    pub fn push_front(&mut self, element: &[u8]) {
        let framed = frame(element);
        match self.chunks.front_mut() {
            Some(chunk) if chunk.has_room(framed.len()) => {
                chunk.bytes.splice(0..0, framed);
                chunk.count += 1;
            }
            _ => {
                let chunk = self.new_chunk(framed);
                self.chunks.push_front(chunk);
            }
        }
        self.len += 1;
    }

    /// RPUSH's step: `element` becomes the last.
    pub fn push_back(&mut self, element: &[u8]) {
        let framed = frame(element);
        match self.chunks.back_mut() {
            Some(chunk) if chunk.has_room(framed.len()) => {
                chunk.bytes.extend_from_slice(&framed);
                chunk.count += 1;
            }
            _ => {
                let chunk = self.new_chunk(framed);
                self.chunks.push_back(chunk);
            }
        }
        self.len += 1;
    }

    /// A chunk holding one framed element. Once a list has filled a chunk,
    /// the next one is given its whole room at once, rather than growing
    /// by doubling and leaving the smaller blocks behind.
    fn new_chunk(&self, framed: Vec<u8>) -> Chunk {
        let mut bytes = framed;
        if !self.chunks.is_empty() {
            bytes.reserve_exact(CHUNK_BYTES.saturating_sub(bytes.len()));
        }
        Chunk { bytes, count: 1 }
    }

    /// Removes up to `n` elements from the front (`front`) or the back, in
    /// the order they come off: from the back, the last one first. One pass
    /// over each chunk they leave, which goes when emptied.
    pub fn pop_many(&mut self, n: usize, front: bool) -> Vec<Bytes> {
        let mut popped = Vec::with_capacity(n.min(self.len));
        while popped.len() < n {
            let chunk = if front {
                self.chunks.front_mut()
            } else {
                self.chunks.back_mut()
            };
            let Some(chunk) = chunk else {
                break;
            };
            chunk.pop_many(n - popped.len(), front, &mut popped);
            if chunk.count == 0 {
                if front {
                    self.chunks.pop_front();
                } else {
                    self.chunks.pop_back();
                }
            }
        }
        self.len -= popped.len();
        popped
    }

    pub fn pop_front(&mut self) -> Option<Bytes> {
        self.pop_many(1, true).pop()
    }

    pub fn pop_back(&mut self) -> Option<Bytes> {
        self.pop_many(1, false).pop()
    }

    /// The chunk holding element `index`, and the element's place in it:
    /// whole chunks are skipped by their counts, from the nearer end.
    fn locate(&self, index: usize) -> Option<(usize, usize)> {
        if index >= self.len {
            return None;
        }
        if index < self.len / 2 {
            let mut before = 0;
            for (c, chunk) in self.chunks.iter().enumerate() {
                if index < before + chunk.count {
                    return Some((c, index - before));
                }
                before += chunk.count;
            }
        } else {
            let mut after = self.len;
            for (c, chunk) in self.chunks.iter().enumerate().rev() {
                after -= chunk.count;
                if index >= after {
                    return Some((c, index - after));
                }
            }
        }
        None
    }

    /// The element at `index` (LINDEX), counted from 0 at the front.
    pub fn get(&self, index: usize) -> Option<&[u8]> {
        let (c, n) = self.locate(index)?;
        let chunk = &self.chunks[c];
        let (start, _) = chunk.frame_of(n);
        Some(read_forward(&chunk.bytes, start).0)
    }

    /// Replaces the element at `index` (LSET); false if there is none.
    pub fn set(&mut self, index: usize, element: &[u8]) -> bool {
        let Some((c, n)) = self.locate(index) else {
            return false;
        };
        let chunk = &mut self.chunks[c];
        let (start, end) = chunk.frame_of(n);
        chunk.bytes.splice(start..end, frame(element));
        self.split_if_big(c);
        true
    }

    /// Puts `element` before the element at `index`, or at the end if
    /// `index` is the length (LINSERT).
    pub fn insert(&mut self, index: usize, element: &[u8]) {
        if index >= self.len {
            return self.push_back(element);
        }
        let (c, n) = self.locate(index).expect("inside the list");
        let chunk = &mut self.chunks[c];
        let (start, _) = chunk.frame_of(n);
        chunk.bytes.splice(start..start, frame(element));
        chunk.count += 1;
        self.len += 1;
        self.split_if_big(c);
    }

    /// Cuts chunk `c` in two if it grew past twice [`CHUNK_BYTES`] (an
    /// LSET or LINSERT in its middle), so no chunk grows without bound.
    fn split_if_big(&mut self, c: usize) {
        let chunk = &mut self.chunks[c];
        if chunk.bytes.len() <= 2 * CHUNK_BYTES || chunk.count < 2 {
            return;
        }
        let keep = chunk.count / 2;
        let (at, _) = chunk.frame_of(keep);
        let tail = Chunk {
            bytes: chunk.bytes.split_off(at),
            count: chunk.count - keep,
        };
        chunk.count = keep;
        chunk.bytes.shrink_to_fit();
        self.chunks.insert(c + 1, tail);
    }

    /// Every element, front to back; `.rev()` reads it back to front.
    pub fn iter(&self) -> impl DoubleEndedIterator<Item = &[u8]> + '_ {
        self.chunks.iter().flat_map(Chunk::iter)
    }

    /// The elements from `from` to `to`, both included (LRANGE): the chunks
    /// before `from` are skipped whole.
    pub fn range(&self, from: usize, to: usize) -> impl Iterator<Item = &[u8]> + '_ {
        let (first, skip) = self.locate(from).unwrap_or((self.chunks.len(), 0));
        self.chunks
            .range(first..)
            .flat_map(Chunk::iter)
            .skip(skip)
            .take((to + 1).saturating_sub(from))
    }

    /// Keeps only the elements from `from` to `to`, both included (LTRIM):
    /// whole chunks outside go at once.
    pub fn keep_range(&mut self, from: usize, to: usize) {
        let after = self.len - (to + 1);
        self.drop_from(true, from);
        self.drop_from(false, after);
    }

    /// Drops `n` elements from one end, whole chunks first.
    fn drop_from(&mut self, front: bool, mut n: usize) {
        while n > 0 {
            let end = if front {
                self.chunks.front()
            } else {
                self.chunks.back()
            };
            match end {
                Some(chunk) if chunk.count <= n => {
                    n -= chunk.count;
                    self.len -= chunk.count;
                    if front {
                        self.chunks.pop_front();
                    } else {
                        self.chunks.pop_back();
                    }
                }
                Some(_) => {
                    self.pop_many(n, front);
                    n = 0;
                }
                None => break,
            }
        }
    }

    /// Keeps the elements for which `keep` says true, in order (LREM): the
    /// list is packed again.
    pub fn retain(&mut self, mut keep: impl FnMut(&[u8]) -> bool) {
        let mut kept = List::default();
        for element in self.iter() {
            if keep(element) {
                kept.push_back(element);
            }
        }
        *self = kept;
    }

    pub fn clear(&mut self) {
        *self = List::default();
    }

    /// How many chunks hold the list (MEMORY USAGE counts them as
    /// quicklist nodes).
    pub fn chunk_count(&self) -> usize {
        self.chunks.len()
    }

    /// The elements of each chunk, front to back (MEMORY USAGE sizes
    /// Redis's listpacks from them).
    pub fn chunks(&self) -> impl Iterator<Item = impl Iterator<Item = &[u8]> + '_> + '_ {
        self.chunks.iter().map(Chunk::iter)
    }

    /// How many bytes each chunk holds, front to back.
    pub fn chunk_sizes(&self) -> impl Iterator<Item = usize> + '_ {
        self.chunks.iter().map(|chunk| chunk.bytes.len())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn list_of(elements: &[Vec<u8>]) -> List {
        let mut list = List::default();
        elements.iter().for_each(|e| list.push_back(e));
        list
    }

    fn contents(list: &List) -> Vec<Vec<u8>> {
        list.iter().map(<[u8]>::to_vec).collect()
    }

    /// Elements of every length class: empty, short, 127/128 bytes (the
    /// varint's first step), long enough for a chunk of their own.
    fn samples(n: usize) -> Vec<Vec<u8>> {
        (0..n)
            .map(|i| match i % 7 {
                0 => Vec::new(),
                1 => vec![b'x'; 127],
                2 => vec![b'y'; 128],
                3 => vec![b'z'; 20_000],
                _ => format!("element:{i}").into_bytes(),
            })
            .collect()
    }

    #[test]
    fn pushes_and_pops_at_both_ends_mirror_a_deque() {
        let mut list = List::default();
        let mut model = VecDeque::new();
        for (i, element) in samples(3000).into_iter().enumerate() {
            if i % 3 == 0 {
                list.push_front(&element);
                model.push_front(element);
            } else {
                list.push_back(&element);
                model.push_back(element);
            }
            if i % 5 == 0 {
                assert_eq!(list.pop_back().map(|b| b.to_vec()), model.pop_back());
            }
            if i % 11 == 0 {
                assert_eq!(list.pop_front().map(|b| b.to_vec()), model.pop_front());
            }
        }
        assert_eq!(list.len(), model.len());
        assert_eq!(contents(&list), Vec::from(model.clone()));
        let backwards: Vec<Vec<u8>> = list.iter().rev().map(<[u8]>::to_vec).collect();
        assert!(backwards.iter().eq(model.iter().rev()));
        assert!(list.chunk_count() > 10, "many chunks");
        let popped = list.pop_many(1000, false);
        let expected: Vec<Vec<u8>> = (0..1000).map(|_| model.pop_back().unwrap()).collect();
        assert_eq!(
            popped.iter().map(|b| b.to_vec()).collect::<Vec<_>>(),
            expected
        );
        while let Some(element) = list.pop_front() {
            assert_eq!(Some(element.to_vec()), model.pop_front());
        }
        assert!(list.is_empty() && model.is_empty());
        assert_eq!(list.chunk_count(), 0);
    }

    #[test]
    fn indexes_ranges_and_edits_agree_with_a_vector() {
        let elements = samples(2000);
        let mut list = list_of(&elements);
        let mut model = elements.clone();
        for i in [0, 1, 499, 1000, 1998, 1999] {
            assert_eq!(list.get(i), Some(&model[i][..]), "{i}");
        }
        assert_eq!(list.get(2000), None);
        let range: Vec<Vec<u8>> = list.range(700, 1300).map(<[u8]>::to_vec).collect();
        assert_eq!(range, model[700..=1300]);
        for (i, element) in [(3, &b"new"[..]), (1500, &[b'w'; 9000][..]), (1999, b"")] {
            assert!(list.set(i, element));
            model[i] = element.to_vec();
        }
        assert!(!list.set(2000, b"x"));
        for (i, element) in [(0, &b"first"[..]), (1000, b"mid"), (2002, b"last")] {
            list.insert(i, element);
            model.insert(i, element.to_vec());
        }
        for _ in 0..100 {
            list.insert(800, &[b'q'; 300]);
            model.insert(800, vec![b'q'; 300]);
        }
        assert_eq!(contents(&list), model);
        list.keep_range(10, 1500);
        model = model[10..=1500].to_vec();
        assert_eq!(contents(&list), model);
        assert_eq!(list.len(), model.len());
        list.retain(|e| e.len() != 300);
        model.retain(|e| e.len() != 300);
        assert_eq!(contents(&list), model);
        assert_eq!(list, list_of(&model), "equal whatever the chunks");
    }

    #[test]
    fn small_elements_cost_two_bytes_of_framing() {
        let list = list_of(&vec![b"0123456789abcdef".to_vec(); 10_000]);
        let packed: usize = list.chunk_sizes().sum();
        assert_eq!(packed, 10_000 * 18);
        assert!(list.chunk_sizes().all(|size| size <= CHUNK_BYTES));
    }
}
