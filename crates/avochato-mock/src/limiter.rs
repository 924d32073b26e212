//! Requests per second per credential: over it, 429 with `Retry-After`.

use std::collections::HashMap;
use std::time::Instant;

/// Requests per second per credential, as a token bucket (one second of burst).
#[derive(Debug, Default)]
pub struct RateLimiter {
    pub per_second: Option<f64>,
    buckets: HashMap<String, (f64, Instant)>,
}

impl RateLimiter {
    pub fn new(per_second: Option<f64>) -> Self {
        RateLimiter {
            per_second: per_second.filter(|r| *r > 0.0),
            buckets: HashMap::new(),
        }
    }

    /// `Ok` to go ahead, or `Err(seconds to wait)`.
    pub fn check(&mut self, key: &str) -> Result<(), u64> {
        let Some(rate) = self.per_second else {
            return Ok(());
        };
        let now = Instant::now();
        let (tokens, last) = self
            .buckets
            .entry(key.to_string())
            .or_insert((rate.max(1.0), now));
        let elapsed = now.duration_since(*last).as_secs_f64();
        *tokens = (*tokens + elapsed * rate).min(rate.max(1.0));
        *last = now;
        if *tokens >= 1.0 {
            *tokens -= 1.0;
            Ok(())
        } else {
            Err((((1.0 - *tokens) / rate).ceil() as u64).max(1))
        }
    }

    pub fn reset(&mut self) {
        self.buckets.clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn limiter_allows_the_rate_then_refuses() {
        let mut l = RateLimiter::new(Some(5.0));
        let allowed = (0..10).filter(|_| l.check("a").is_ok()).count();
        assert_eq!(allowed, 5);
        assert_eq!(l.check("a"), Err(1));
        assert!(l.check("b").is_ok());
    }
}
