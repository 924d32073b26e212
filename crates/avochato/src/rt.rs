//! What differs between native and WebAssembly: the clock, sleeping, randomness.

use std::sync::atomic::{AtomicU64, Ordering};

/// Seconds since the Unix epoch, as a float.
#[cfg(not(target_arch = "wasm32"))]
pub fn now_secs() -> f64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs_f64())
        .unwrap_or(0.0)
}

/// Seconds since the Unix epoch, as a float (`Date.now()`: `SystemTime` panics on wasm32).
#[cfg(target_arch = "wasm32")]
pub fn now_secs() -> f64 {
    js_sys::Date::now() / 1000.0
}

/// Waits for `d`.
#[cfg(not(target_arch = "wasm32"))]
pub async fn sleep(d: std::time::Duration) {
    tokio::time::sleep(d).await;
}

static COUNTER: AtomicU64 = AtomicU64::new(0x9E37_79B9_7F4A_7C15);

/// A uniform random number in `[0, 1)` (splitmix64 over the clock and a counter): enough
/// for retry jitter, not for anything secret.
pub fn random_unit() -> f64 {
    let tick = COUNTER.fetch_add(0x9E37_79B9_7F4A_7C15, Ordering::Relaxed);
    let mut z = tick ^ now_secs().to_bits();
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^= z >> 31;
    (z >> 11) as f64 / (1u64 << 53) as f64
}

#[cfg(test)]
mod tests {
    #[test]
    fn random_is_in_range_and_varies() {
        let values: Vec<f64> = (0..1000).map(|_| super::random_unit()).collect();
        assert!(values.iter().all(|v| (0.0..1.0).contains(v)));
        let mean = values.iter().sum::<f64>() / values.len() as f64;
        assert!((0.4..0.6).contains(&mean), "mean {mean}");
    }
}
