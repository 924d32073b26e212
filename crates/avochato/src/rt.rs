//! What differs between native and WebAssembly: the clock, sleeping, randomness.

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

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
pub async fn sleep(d: Duration) {
    tokio::time::sleep(d).await;
}

/// Waits for `d` through the host's `setTimeout` (browsers and Node alike). Dropped early
/// (a request answered before its timeout), it clears the timer, so that a pending timer
/// never keeps a Node process alive.
#[cfg(target_arch = "wasm32")]
pub fn sleep(d: Duration) -> Timer {
    use wasm_bindgen::JsCast;
    let ms = d.as_millis().min(i32::MAX as u128) as i32;
    let global = js_sys::global();
    let function = |name: &str| {
        js_sys::Reflect::get(&global, &name.into())
            .ok()
            .and_then(|f| f.dyn_into::<js_sys::Function>().ok())
    };
    let mut id = wasm_bindgen::JsValue::UNDEFINED;
    let promise = js_sys::Promise::new(&mut |resolve, _reject| match function("setTimeout") {
        Some(set_timeout) => match set_timeout.call2(&global, &resolve, &ms.into()) {
            Ok(timer) => id = timer,
            Err(_) => {
                let _ = resolve.call0(&wasm_bindgen::JsValue::UNDEFINED);
            }
        },
        None => {
            let _ = resolve.call0(&wasm_bindgen::JsValue::UNDEFINED);
        }
    });
    Timer {
        id,
        clear: function("clearTimeout"),
        done: wasm_bindgen_futures::JsFuture::from(promise),
    }
}

/// A pending [`sleep`].
#[cfg(target_arch = "wasm32")]
pub struct Timer {
    id: wasm_bindgen::JsValue,
    clear: Option<js_sys::Function>,
    done: wasm_bindgen_futures::JsFuture,
}

#[cfg(target_arch = "wasm32")]
impl std::future::Future for Timer {
    type Output = ();
    fn poll(
        mut self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<()> {
        std::pin::Pin::new(&mut self.done).poll(cx).map(|_| ())
    }
}

#[cfg(target_arch = "wasm32")]
impl Drop for Timer {
    fn drop(&mut self) {
        if let Some(clear) = &self.clear {
            let _ = clear.call1(&js_sys::global(), &self.id);
        }
    }
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
