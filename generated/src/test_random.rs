//! Pseudo-random numbers for the tests that compare a hand-written check with a reference
//! on many generated values: a fixed seed, so that a failure repeats.

/// A xorshift generator from `seed` (not zero).
pub(crate) fn numbers(mut seed: u64) -> impl FnMut() -> u64 {
    move || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    }
}
