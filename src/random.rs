//! Random numbers for the commands that pick members at random (SPOP,
//! SRANDMEMBER, ZRANDMEMBER): xorshift64*, one generator per thread, seeded
//! from std's per-process random keys and the thread, so two clients never
//! draw the same sequence and no lock is shared. Not for secrets.

use std::cell::Cell;
use std::collections::hash_map::RandomState;
use std::hash::BuildHasher;

thread_local! {
    static STATE: Cell<u64> = Cell::new(seed());
}

fn seed() -> u64 {
    let thread = format!("{:?}", std::thread::current().id());
    RandomState::new().hash_one(thread) | 1 // never zero
}

/// The next random 64-bit number of this thread's generator.
pub fn next_u64() -> u64 {
    STATE.with(|state| {
        let mut x = state.get();
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        state.set(x);
        x.wrapping_mul(0x2545_f491_4f6c_dd1d)
    })
}

/// A number in `0..n` (`n` > 0), near enough uniform for picking members.
pub fn below(n: usize) -> usize {
    ((u128::from(next_u64()) * n as u128) >> 64) as usize
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn draws_cover_the_range() {
        let mut seen = [false; 7];
        for _ in 0..1000 {
            seen[below(7)] = true;
        }
        assert!(seen.iter().all(|&s| s));
    }
}
