//! CRC-64/Jones, the checksum at the end of every RDB file and DUMP payload
//! (Redis's `crc64.c`): polynomial 0xad93d23594c935a9, bits reflected in and
//! out, starting from 0, with no final XOR.
//!
//! Redis computes it eight bytes at a time ("slice-by-8", `crcspeed.c`);
//! so do we, with eight tables built once: a dump of a million keys is tens
//! of megabytes, and a byte-at-a-time CRC would be a visible part of SAVE.

use std::sync::OnceLock;

/// The polynomial, bit-reversed, as a reflected CRC uses it.
const REFLECTED_POLY: u64 = 0xad93d23594c935a9_u64.reverse_bits();

/// `TABLES[0][b]` is the CRC of the byte `b`; `TABLES[k][b]` the CRC of `b`
/// followed by `k` zero bytes, which is what slice-by-8 needs.
fn tables() -> &'static [[u64; 256]; 8] {
    // Built on the heap: 16 KiB on a client thread's small stack (and its
    // copies, in a debug build) is too much.
    static TABLES: OnceLock<Box<[[u64; 256]; 8]>> = OnceLock::new();
    TABLES.get_or_init(|| {
        let tables = vec![[0u64; 256]; 8].into_boxed_slice();
        let mut tables: Box<[[u64; 256]; 8]> = tables.try_into().expect("eight tables");
        for (byte, entry) in tables[0].iter_mut().enumerate() {
            let mut crc = byte as u64;
            for _ in 0..8 {
                crc = if crc & 1 == 1 {
                    (crc >> 1) ^ REFLECTED_POLY
                } else {
                    crc >> 1
                };
            }
            *entry = crc;
        }
        for byte in 0..256 {
            for k in 1..8 {
                let previous = tables[k - 1][byte];
                tables[k][byte] = tables[0][(previous & 0xff) as usize] ^ (previous >> 8);
            }
        }
        tables
    })
}

/// Continues the CRC `crc` over `bytes`: `update(update(0, a), b)` is the
/// CRC of `a` followed by `b`.
pub fn update(mut crc: u64, bytes: &[u8]) -> u64 {
    //@ step 9: Update `crc` with `bytes`: for each byte, look up TABLES[0] with the low byte of `crc ^ byte` and XOR in `crc >> 8` (or do eight bytes at a time).
    let t = tables();
    let mut chunks = bytes.chunks_exact(8);
    for chunk in &mut chunks {
        let word = crc ^ u64::from_le_bytes(chunk.try_into().expect("8 bytes"));
        crc = t[7][(word & 0xff) as usize]
            ^ t[6][((word >> 8) & 0xff) as usize]
            ^ t[5][((word >> 16) & 0xff) as usize]
            ^ t[4][((word >> 24) & 0xff) as usize]
            ^ t[3][((word >> 32) & 0xff) as usize]
            ^ t[2][((word >> 40) & 0xff) as usize]
            ^ t[1][((word >> 48) & 0xff) as usize]
            ^ t[0][(word >> 56) as usize];
    }
    for &byte in chunks.remainder() {
        crc = t[0][((crc ^ u64::from(byte)) & 0xff) as usize] ^ (crc >> 8);
    }
    crc
    //@ end step 9
}

/// The CRC of `bytes` alone.
pub fn checksum(bytes: &[u8]) -> u64 {
    update(0, bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    //@ passes from step 9
    #[test]
    fn the_check_value_of_redis_crc64_test() {
        // Redis's `crc64Test`: crc64(0, "123456789") == 0xe9c6d914c4b8d9ca.
        assert_eq!(checksum(b"123456789"), 0xe9c6d914c4b8d9ca);
        // and its longer vector: a lorem ipsum with C's closing NUL byte.
        let long = b"Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed \
            do eiusmod tempor incididunt ut labore et dolore magna \
            aliqua. Ut enim ad minim veniam, quis nostrud exercitation \
            ullamco laboris nisi ut aliquip ex ea commodo consequat. Duis \
            aute irure dolor in reprehenderit in voluptate velit esse \
            cillum dolore eu fugiat nulla pariatur. Excepteur sint \
            occaecat cupidatat non proident, sunt in culpa qui officia \
            deserunt mollit anim id est laborum.\0";
        assert_eq!(checksum(long), 0xc7794709e69683b3);
    }

    //@ passes from step 9
    #[test]
    fn slices_and_bytes_agree_at_every_split() {
        let data: Vec<u8> = (0..100u8).map(|i| i.wrapping_mul(37)).collect();
        let whole = checksum(&data);
        for split in 0..data.len() {
            assert_eq!(update(checksum(&data[..split]), &data[split..]), whole);
        }
        assert_eq!(checksum(b""), 0);
    }
}
