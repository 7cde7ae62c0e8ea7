//! LZF, the compression of long strings in RDB files (Redis's `lzf_c.c` and
//! `lzf_d.c`, by Marc Lehmann).
//!
//! The compressed stream is a sequence of runs, each started by a control
//! byte:
//!
//! ```text
//! 000LLLLL  <L+1 bytes>          literal: the next L+1 (1..32) bytes as they are
//! LLLooooo  oooooooo             back reference: copy L+2 (3..8) bytes from
//! 111ooooo  LLLLLLLL  oooooooo   o+1 (1..8192) bytes back; L+9 bytes in the long form
//! ```
//!
//! Decompression is unique. Compression is not: which earlier bytes a
//! repeat is matched with depends on the compressor's hash table. DUMP must
//! give Redis's bytes, so [`compress`] makes the same choices as Redis's
//! build of `lzf_compress` (a 2^16-slot table, `VERY_FAST`, the table
//! starting empty).

/// log2 of the hash table's slots (`HLOG`).
const HASH_LOG: u32 = 16;
/// Longest literal run (`MAX_LIT`).
const MAX_LITERAL: usize = 1 << 5;
/// Farthest back a reference reaches (`MAX_OFF`).
const MAX_OFFSET: usize = 1 << 13;
/// Longest reference (`MAX_REF`).
const MAX_REFERENCE: usize = (1 << 8) + (1 << 3);

/// The slot of the three bytes whose value is `h` (`IDX` with `VERY_FAST`).
fn slot(h: u32) -> usize {
    ((h >> (24 - HASH_LOG)).wrapping_sub(h.wrapping_mul(5)) & ((1 << HASH_LOG) - 1)) as usize
}

/// Compresses `input` into at most `max_len` bytes, or gives `None` if it
/// does not fit (or `input` is empty): the caller then stores it as it is.
pub fn compress(input: &[u8], max_len: usize) -> Option<Vec<u8>> {
    let len = input.len();
    if len == 0 || max_len == 0 {
        return None;
    }
    let at = |i: usize| u32::from(input.get(i).copied().unwrap_or(0));
    // Positions are stored plus one, so that 0 means "no earlier position".
    let mut table = vec![0u32; 1 << HASH_LOG];
    // A little room past `max_len`: the checks below are Redis's, which
    // may look one control byte ahead before giving up.
    let mut out = vec![0u8; max_len + 4];
    let mut op = 1; // out[0] waits for the first run's control byte
    let mut lit = 0usize;
    let mut ip = 0usize;
    let mut hval = (at(0) << 8) | at(1);
    while ip + 2 < len {
        hval = (hval << 8) | at(ip + 2);
        let hslot = slot(hval);
        let reference = table[hslot] as usize;
        table[hslot] = ip as u32 + 1;
        let matched = reference > 1 && {
            let r = reference - 1;
            ip - r - 1 < MAX_OFFSET && input[r..r + 3] == input[ip..ip + 3]
        };
        if matched {
            let r = reference - 1;
            let off = ip - r - 1;
            let mut n = 2;
            let max_n = (len - ip - n).min(MAX_REFERENCE);
            if op + 4 >= max_len && op - usize::from(lit == 0) + 4 >= max_len {
                return None;
            }
            out[op - lit - 1] = (lit as u8).wrapping_sub(1); // close the literal run
            if lit == 0 {
                op -= 1; // it was empty: drop its control byte
            }
            n = extend_match(input, r, ip, n, max_n);
            n -= 2; // from here on: bytes matched, less one... less two, as encoded
            ip += 1;
            if n < 7 {
                out[op] = ((off >> 8) + (n << 5)) as u8;
                op += 1;
            } else {
                out[op] = ((off >> 8) + (7 << 5)) as u8;
                out[op + 1] = (n - 7) as u8;
                op += 2;
            }
            out[op] = off as u8;
            op += 2; // and a new literal run begins
            lit = 0;
            ip += n + 1;
            if ip + 2 >= len {
                break;
            }
            // Enter the two positions just before `ip` in the table.
            ip -= 2;
            hval = (at(ip) << 8) | at(ip + 1);
            for _ in 0..2 {
                hval = (hval << 8) | at(ip + 2);
                table[slot(hval)] = ip as u32 + 1;
                ip += 1;
            }
        } else {
            if op >= max_len {
                return None;
            }
            lit += 1;
            out[op] = input[ip];
            op += 1;
            ip += 1;
            if lit == MAX_LITERAL {
                out[op - lit - 1] = (lit - 1) as u8;
                lit = 0;
                op += 1;
            }
        }
    }
    if op + 3 > max_len {
        return None;
    }
    while ip < len {
        lit += 1;
        out[op] = input[ip];
        op += 1;
        ip += 1;
        if lit == MAX_LITERAL {
            out[op - lit - 1] = (lit - 1) as u8;
            lit = 0;
            op += 1;
        }
    }
    out[op - lit - 1] = (lit as u8).wrapping_sub(1);
    if lit == 0 {
        op -= 1;
    }
    if op > max_len {
        return None;
    }
    out.truncate(op);
    Some(out)
}

/// How many bytes at `ip` equal those at `r`, knowing the first `n` do:
/// Redis's loop, sixteen steps unchecked when there is room, then one by one
/// up to `max_n`.
fn extend_match(input: &[u8], r: usize, ip: usize, mut n: usize, max_n: usize) -> usize {
    if max_n > 16 {
        for _ in 0..16 {
            n += 1;
            if input[r + n] != input[ip + n] {
                return n;
            }
        }
    }
    loop {
        n += 1;
        if !(n < max_n && input[r + n] == input[ip + n]) {
            return n;
        }
    }
}

/// Why compressed bytes could not be expanded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Corrupt {
    /// A run reaches past the end of the compressed bytes.
    Truncated,
    /// A back reference points before the start of the output.
    BadReference,
    /// The output is not the length it was said to be.
    WrongLength,
}

/// Expands `input`, which must give exactly `out_len` bytes.
pub fn decompress(input: &[u8], out_len: usize) -> Result<Vec<u8>, Corrupt> {
    //@ step 9: Expand `input` into exactly `out_len` bytes: a control byte below 32 copies that many plus one literal bytes; any other copies an earlier stretch of the output (length in its top 3 bits, offset in the rest and the next byte).
    let mut out = Vec::with_capacity(out_len);
    let mut ip = 0;
    while ip < input.len() {
        let control = usize::from(input[ip]);
        ip += 1;
        if control < MAX_LITERAL {
            let run = control + 1;
            let bytes = input.get(ip..ip + run).ok_or(Corrupt::Truncated)?;
            if out.len() + run > out_len {
                return Err(Corrupt::WrongLength);
            }
            out.extend_from_slice(bytes);
            ip += run;
        } else {
            let mut run = control >> 5;
            if run == 7 {
                run += usize::from(*input.get(ip).ok_or(Corrupt::Truncated)?);
                ip += 1;
            }
            let low = usize::from(*input.get(ip).ok_or(Corrupt::Truncated)?);
            ip += 1;
            let back = ((control & 0x1f) << 8) + low + 1;
            let start = out.len().checked_sub(back).ok_or(Corrupt::BadReference)?;
            run += 2;
            if out.len() + run > out_len {
                return Err(Corrupt::WrongLength);
            }
            // Byte by byte: the copy may overlap what it is writing.
            for i in start..start + run {
                let byte = out[i];
                out.push(byte);
            }
        }
    }
    if out.len() != out_len {
        return Err(Corrupt::WrongLength);
    }
    Ok(out)
    //@ end step 9
}

#[cfg(test)]
mod tests {
    use super::*;

    //@ passes from step 9
    #[test]
    fn a_known_vector_compresses_as_redis_does() {
        // What redis-server 7.0.15 stores for a 40-byte string of one repeated
        // letter (`SET k aaaa...`, then DUMP k): a literal "aa" (a match with
        // the very first byte is never taken), a reference copying 36 bytes
        // from one back, and a literal "aa" (the last two bytes are never
        // matched).
        let input = vec![b'a'; 40];
        let packed = compress(&input, input.len() - 4).unwrap();
        assert_eq!(
            packed,
            [0x01, b'a', b'a', 0xe0, 0x1b, 0x00, 0x01, b'a', b'a']
        );
        assert_eq!(decompress(&packed, 40).unwrap(), input);
    }

    //@ passes from step 9
    #[test]
    fn round_trips_and_refuses_what_does_not_shrink() {
        let text =
            b"the quick brown fox jumps over the lazy dog; the quick brown fox again".repeat(30);
        let packed = compress(&text, text.len() - 4).unwrap();
        assert!(packed.len() < text.len() / 4);
        assert_eq!(decompress(&packed, text.len()).unwrap(), text);
        let noise: Vec<u8> = (0..200u32)
            .map(|i| (i.wrapping_mul(2654435761) >> 13) as u8)
            .collect();
        assert_eq!(compress(&noise, noise.len() - 4), None);
        assert_eq!(compress(b"", 10), None);
    }

    //@ passes from step 9
    #[test]
    fn corrupt_input_is_an_error_not_a_panic() {
        assert_eq!(decompress(&[0x05, b'a'], 6), Err(Corrupt::Truncated));
        assert_eq!(decompress(&[0x20, 0x00], 3), Err(Corrupt::BadReference));
        assert_eq!(decompress(&[0x00, b'a'], 2), Err(Corrupt::WrongLength));
        assert_eq!(decompress(&[0xe0], 9), Err(Corrupt::Truncated));
    }
}
