//! What tests look at afterwards: every request recorded, and one-shot injected faults.

use std::time::Duration;

use serde_json::Value;

pub use super::ratelimit::Scope as RateLimitScope;

/// One request as the emulator saw and answered it.
#[derive(Debug, Clone, PartialEq)]
pub struct RecordedRequest {
    /// `GET`, `POST`, ...
    pub method: String,
    /// The concrete path, e.g. `/api/v10/channels/123`.
    pub path: String,
    /// Method and route template, e.g. `PATCH /channels/{channel_id}` (`-` for unknown routes).
    pub route: String,
    /// The status the client received.
    pub status: u16,
    /// `X-Audit-Log-Reason`, percent-decoded.
    pub audit_log_reason: Option<String>,
    /// The JSON body, when there was one and it parsed.
    pub body: Option<Value>,
    /// When it was handled (after the configured latency), on the emulator's clock.
    pub at: Duration,
    /// Requests in flight when it was handled, itself included (received, not yet answered).
    pub in_flight: usize,
    /// It arrived while an earlier answer had announced its bucket (or the whole API) exhausted:
    /// `Remaining: 0` before the reset, or a 429 before its `Retry-After` ran out.
    pub into_exhausted: bool,
}

impl RecordedRequest {
    /// A non-GET request answered with a 2xx status.
    pub fn is_write(&self) -> bool {
        self.method != "GET" && (200..300).contains(&self.status)
    }
}

/// Counting helpers over a recording.
pub trait RequestsExt {
    /// Writes (non-GET answered 2xx).
    fn writes(&self) -> usize;
    /// Requests answered 429.
    fn rate_limited(&self) -> usize;
    /// Requests whose route (`"POST /guilds/{guild_id}/channels"`) matches.
    fn count_route(&self, route: &str) -> usize;
    /// Requests sent into a bucket announced exhausted.
    fn sent_into_exhausted(&self) -> usize;
    /// The most requests in flight at once, as seen when each was handled.
    fn max_in_flight(&self) -> usize;
}

impl RequestsExt for [RecordedRequest] {
    fn writes(&self) -> usize {
        self.iter().filter(|request| request.is_write()).count()
    }

    fn rate_limited(&self) -> usize {
        self.iter().filter(|request| request.status == 429).count()
    }

    fn count_route(&self, route: &str) -> usize {
        self.iter().filter(|request| request.route == route).count()
    }

    fn sent_into_exhausted(&self) -> usize {
        self.iter().filter(|request| request.into_exhausted).count()
    }

    fn max_in_flight(&self) -> usize {
        self.iter()
            .map(|request| request.in_flight)
            .max()
            .unwrap_or(0)
    }
}

/// A fault for the next request matching `method` and `route` (one-shot unless it says
/// otherwise). `route` is the template with or without the method (`"/guilds/{guild_id}/channels"`
/// or `"POST /guilds/{guild_id}/channels"`).
#[derive(Debug, Clone, PartialEq)]
pub enum Fault {
    /// Answer `status` without applying the request.
    Fail {
        method: String,
        route: String,
        status: u16,
    },
    /// Apply the request, then answer 500 as if the answer were lost.
    LoseAnswer { method: String, route: String },
    /// Answer `status` (a 502 or 503) with a gateway's HTML page, as Cloudflare does when
    /// Discord is down; the request is applied first when `applied` (the answer lost on the way
    /// back), not at all otherwise.
    GatewayPage {
        method: String,
        route: String,
        status: u16,
        applied: bool,
    },
    /// Apply the request, then answer with `field` set to `value`: an answer Discord never
    /// sends (the server did not keep what it was sent).
    Tamper {
        method: String,
        route: String,
        field: String,
        value: Value,
    },
    /// Answer 429 asking to wait `retry_after` seconds (decimals are written as such in
    /// `Retry-After`), with `scope`'s headers, or no rate-limit header at all when `None`. A
    /// global one holds every request for `retry_after` (a storm). With `always`, every matching
    /// request is refused, not only the next.
    RateLimited {
        method: String,
        route: String,
        scope: Option<RateLimitScope>,
        retry_after: f64,
        always: bool,
    },
}

impl Fault {
    pub(crate) fn matches(&self, method: &str, template: &str) -> bool {
        let (fault_method, fault_route) = match self {
            Fault::Fail { method, route, .. }
            | Fault::LoseAnswer { method, route }
            | Fault::GatewayPage { method, route, .. }
            | Fault::Tamper { method, route, .. }
            | Fault::RateLimited { method, route, .. } => (method, route),
        };
        if !fault_method.eq_ignore_ascii_case(method) {
            return false;
        }
        let route = fault_route
            .strip_prefix(fault_method.as_str())
            .map_or(fault_route.as_str(), str::trim_start);
        let route = route.strip_prefix("/api/v10").unwrap_or(route);
        route == template
    }
}
