//! Per-bucket rate limits with Discord's headers (notes §4.9 and §5.3).
//!
//! A bucket is `(route template, top-level resource id)`. Each has a fixed window that starts at
//! its first request; `limit` requests fit in a window. Every answer carries `X-RateLimit-Limit`,
//! `-Remaining`, `-Reset` (epoch seconds), `-Reset-After` (decimal seconds), `-Bucket` (a hash of
//! the route template, never of ids) and `X-RateLimit-Scope: user`; a 429 also carries an integer
//! `Retry-After`. twilight 0.18 reads only the `user` scope headers and retries 429s forever, so a
//! 429 missing any of them would make it hot-loop.

use std::collections::HashMap;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use axum::http::{HeaderMap, HeaderName, HeaderValue};

use super::config::RateLimits;

/// The outcome of counting one request against its bucket.
#[derive(Debug, Clone, PartialEq)]
pub struct Decision {
    pub allowed: bool,
    pub limit: u32,
    pub remaining: u32,
    pub reset_after: Duration,
    pub bucket: String,
}

#[derive(Debug, Default)]
pub struct RateLimiter {
    buckets: HashMap<(String, String), Window>,
}

#[derive(Debug, Clone, Copy)]
struct Window {
    started: Instant,
    used: u32,
}

impl RateLimiter {
    /// Counts a request for `template` on `resource` (the top-level id, or empty).
    pub fn check(&mut self, config: &RateLimits, template: &str, resource: &str) -> Decision {
        let now = Instant::now();
        let window = self
            .buckets
            .entry((template.to_owned(), resource.to_owned()))
            .or_insert(Window {
                started: now,
                used: 0,
            });
        if now.duration_since(window.started) >= config.window {
            *window = Window {
                started: now,
                used: 0,
            };
        }
        let limit = config.limit.max(1);
        let allowed = window.used < limit;
        if allowed {
            window.used += 1;
        }
        let reset_after = config
            .window
            .saturating_sub(now.duration_since(window.started));
        Decision {
            allowed,
            limit,
            remaining: limit - window.used,
            reset_after,
            bucket: bucket_hash(template),
        }
    }
}

/// An opaque, stable bucket id for a route template.
fn bucket_hash(template: &str) -> String {
    // FNV-1a: stable across runs and platforms, unlike `DefaultHasher`.
    let hash = template
        .bytes()
        .fold(0xcbf2_9ce4_8422_2325_u64, |hash, byte| {
            (hash ^ u64::from(byte)).wrapping_mul(0x0000_0100_0000_01b3)
        });
    format!("{hash:016x}")
}

/// Adds the bucket headers; for a refused request also `Retry-After`.
pub fn apply_headers(headers: &mut HeaderMap, decision: &Decision) {
    // Rounded up to the millisecond, so a client waiting this long never arrives early.
    let reset_after = (decision.reset_after.as_secs_f64() * 1000.0).ceil() / 1000.0;
    let reset_at = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0.0, |now| now.as_secs_f64())
        + reset_after;
    let mut set = |name: &'static str, value: String| {
        if let Ok(value) = HeaderValue::from_str(&value) {
            headers.insert(HeaderName::from_static(name), value);
        }
    };
    // twilight parses limit and remaining as u16.
    set(
        "x-ratelimit-limit",
        decision.limit.min(u32::from(u16::MAX)).to_string(),
    );
    set(
        "x-ratelimit-remaining",
        decision.remaining.min(u32::from(u16::MAX)).to_string(),
    );
    set("x-ratelimit-reset", format!("{reset_at:.3}"));
    set("x-ratelimit-reset-after", format!("{reset_after:.3}"));
    set("x-ratelimit-bucket", decision.bucket.clone());
    set("x-ratelimit-scope", "user".to_owned());
    if !decision.allowed {
        set(
            "retry-after",
            (reset_after.ceil() as u64).max(1).to_string(),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn budget_is_per_template_and_resource() {
        let config = RateLimits {
            limit: 2,
            window: Duration::from_secs(60),
            ..RateLimits::default()
        };
        let mut limiter = RateLimiter::default();
        assert!(limiter.check(&config, "GET /a", "1").allowed);
        let second = limiter.check(&config, "GET /a", "1");
        assert!(second.allowed);
        assert_eq!(second.remaining, 0);
        assert!(!limiter.check(&config, "GET /a", "1").allowed);
        assert!(limiter.check(&config, "GET /a", "2").allowed);
        assert!(limiter.check(&config, "GET /b", "1").allowed);
        assert_eq!(bucket_hash("GET /a"), bucket_hash("GET /a"));
        assert_ne!(bucket_hash("GET /a"), bucket_hash("GET /b"));
    }
}
