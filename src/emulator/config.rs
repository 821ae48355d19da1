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
    /// The bot has the GUILD_MEMBERS privileged intent (Developer Portal → Bot → Server Members
    /// Intent); without it, listing members answers 403 50001 as Discord does.
    pub members_intent: bool,
}

impl Default for EmulatorConfig {
    /// Rate limiting on with a generous budget (50 per second per bucket), headers always sent:
    /// right for the interactive sandbox. No latency.
    fn default() -> Self {
        Self {
            rate_limits: RateLimits::default(),
            persist_to: None,
            onboarding_min_default_channels: 7,
            onboarding_min_writable_default_channels: 5,
            latency: std::time::Duration::ZERO,
            members_intent: true,
        }
    }
}

/// Rate limits: a uniform budget per bucket (the default), or Discord's known per-route figures
/// ([`RateLimits::discord`]).
#[derive(Debug, Clone, PartialEq)]
pub struct RateLimits {
    pub enabled: bool,
    /// [`Profile::Uniform`]: requests allowed per `window` in every bucket. A bucket is a route
    /// template plus its top-level resource id (`guilds/{id}`, `channels/{id}`).
    pub limit: u32,
    pub window: Duration,
    pub headers: HeadersMode,
    pub profile: Profile,
    /// Requests per second across every route (Discord: 50), counted over any second.
    pub global: Option<u32>,
    /// Multiplies the Discord profile's per-route windows: tests run the same shape faster
    /// (0.1 makes scheduled-event creation 5 per 6 s instead of 5 per 60 s).
    pub time_scale: f64,
}

impl Default for RateLimits {
    fn default() -> Self {
        Self {
            enabled: true,
            limit: 50,
            window: Duration::from_secs(1),
            headers: HeadersMode::Always,
            profile: Profile::Uniform,
            global: None,
            time_scale: 1.0,
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

    /// Discord's published and observed per-route limits, the global 50 per second, and headers
    /// exactly as Discord sends them (see `ratelimit.rs` for the table and its sources).
    pub fn discord() -> Self {
        Self {
            enabled: true,
            headers: HeadersMode::AsDiscord,
            profile: Profile::Discord,
            global: Some(50),
            ..Self::default()
        }
    }

    /// The bucket a route (`POST /guilds/{guild_id}/roles`) counts in: its name, shared by the
    /// routes in it, its limit and its window; `None` when it has no limit of its own (only the
    /// global one).
    pub fn bucket_of(&self, route: &str) -> Option<(String, u32, Duration)> {
        super::ratelimit::bucket_of(self, route)
    }

    /// The same limits with every per-route window multiplied by `scale`.
    pub fn scaled(self, scale: f64) -> Self {
        Self {
            time_scale: scale,
            ..self
        }
    }
}

/// Which per-route limits apply.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Profile {
    /// `limit` per `window` in every bucket.
    #[default]
    Uniform,
    /// Discord's figures per route; routes without a known limit have none (only the global one)
    /// and answer without bucket headers, as Discord's do.
    Discord,
}

/// When bucket headers (`X-RateLimit-*`) are sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HeadersMode {
    /// On every response, with `X-RateLimit-Scope: user` even on successes: twilight 0.18 learns
    /// buckets only from answers that carry a scope.
    Always,
    /// Only on 429s: the client cannot pace itself, so a small budget reliably produces 429s.
    On429Only,
    /// As Discord: bucket headers on every answer of a limited route, `X-RateLimit-Scope` and
    /// `Retry-After` only on 429s.
    AsDiscord,
}
