//! How an emulator instance behaves: rate limits and persistence.

use std::path::PathBuf;
use std::time::Duration;

/// Settings for one emulator instance. Build with `EmulatorConfig { ..Default::default() }` so
/// new fields do not break callers.
#[derive(Debug, Clone, PartialEq)]
pub struct EmulatorConfig {
    pub rate_limits: RateLimits,
    /// When set, the state is written here (pretty JSON) after every successful write.
    pub persist_to: Option<PathBuf>,
    /// Enabling onboarding needs at least this many default channels (official docs: 7).
    pub onboarding_min_default_channels: usize,
    /// ... of which at least this many let `@everyone` view and send messages (docs: 5).
    pub onboarding_min_writable_default_channels: usize,
    /// Waited before handling each request: a network round trip.
    pub latency: std::time::Duration,
}

impl Default for EmulatorConfig {
    /// Rate limiting on with a generous budget (50 per second per bucket), headers always sent:
    /// right for the interactive sandbox.
    fn default() -> Self {
        Self {
            rate_limits: RateLimits::default(),
            persist_to: None,
            onboarding_min_default_channels: 7,
            onboarding_min_writable_default_channels: 5,
            latency: std::time::Duration::ZERO,
        }
    }
}

/// Per-bucket request budget (notes §4.9). A bucket is a route template plus its top-level
/// resource id (`guilds/{id}`, `channels/{id}`).
#[derive(Debug, Clone, PartialEq)]
pub struct RateLimits {
    pub enabled: bool,
    /// Requests allowed per `window` in one bucket.
    pub limit: u32,
    pub window: Duration,
    pub headers: HeadersMode,
}

impl Default for RateLimits {
    fn default() -> Self {
        Self {
            enabled: true,
            limit: 50,
            window: Duration::from_secs(1),
            headers: HeadersMode::Always,
        }
    }
}

impl RateLimits {
    /// No rate limiting at all (no headers, never a 429).
    pub fn disabled() -> Self {
        Self {
            enabled: false,
            ..Self::default()
        }
    }
}

/// When bucket headers (`X-RateLimit-*`) are sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HeadersMode {
    /// On every response: a well-behaved client (twilight) paces itself and rarely sees a 429.
    Always,
    /// Only on 429s: the client cannot pace itself, so a small budget reliably produces 429s.
    On429Only,
}
