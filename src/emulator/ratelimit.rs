//! Per-bucket rate limits with Discord's headers (`rate-limits.mdx`; notes §4.9 and §5.3).
//!
//! A bucket is a group of routes plus the top-level resource id of the request (`guilds/{id}`,
//! `channels/{id}`, `webhooks/{id}`). Each bucket has a fixed window that starts at its first
//! request; `limit` requests fit in a window. The headers are `X-RateLimit-Limit`, `-Remaining`,
//! `-Reset` (epoch seconds), `-Reset-After` (decimal seconds) and `-Bucket` (a hash of the bucket's
//! name, never of ids); a 429 adds `Retry-After`, `X-RateLimit-Scope` and the body's
//! `retry_after`. How much of that is sent on successes is [`HeadersMode`]'s choice.
//!
//! # The Discord profile
//! Discord publishes no table ("rate limits should not be hard coded"), so these are the figures
//! its answers have shown, with where they were seen:
//!
//! | routes | limit | per | source |
//! |---|---|---|---|
//! | every request | 50 | 1 s | rate-limits.mdx "Global Rate Limit" |
//! | `PATCH /channels/{id}` | 5 | 15 s | discord-api-docs#1900 (headers `limit: 5`, `reset-after: 15`); hata `channel_edit` |
//! | ... of which changing `name` or `topic` | 2 | 10 min | discord-api-docs#2190 and #1900, Discord.Net#1554, JDA#1306: a 429 whose bucket headers do not show it |
//! | `PUT`/`DELETE /channels/{id}/permissions/{id}` (one bucket) | 10 | 15 s | hata `GROUP_PERMISSION_OVERWRITE_MODIFY` |
//! | `POST /channels/{id}/messages`, `PATCH .../messages/{id}` (one bucket) | 5 | 4 s | hata `message_create`/`message_edit`; discord-api-docs#1442 (same bucket header) |
//! | `DELETE /channels/{id}/messages/{id}` | 3 | 1 s | hata `message_delete` |
//! | `GET /channels/{id}/messages` | 5 | 5 s | hata `message_get_chunk` |
//! | `POST /guilds/{id}/channels` | 500 | 24 h | Discord's notice to bot developers, August 2022 (500 channel creations per guild per day) |
//! | `POST /guilds/{id}/roles` | 250 | 48 h | discord-api-docs#1073; hata `role_create` (250 per 172,800 s) |
//! | `PATCH /guilds/{id}/roles/{id}` | 1,000 | 24 h | hata `role_edit` |
//! | `POST /guilds/{id}/scheduled-events` | 5 | 60 s | hata `scheduled_event_create` |
//! | `PATCH`/`DELETE /guilds/{id}/scheduled-events/{id}` | 5 | 20 s | hata `scheduled_event_edit`/`_delete` |
//! | `GET /guilds/{id}/scheduled-events` | 1 | 10 s | hata `scheduled_event_get_all_guild` |
//! | `GET /guilds/{id}/auto-moderation/rules` | 5 | 10 s | hata `auto_moderation_rule_get_all` |
//! | `POST`/`DELETE /guilds/{id}/auto-moderation/rules[/{id}]` | 5 | 30 s | hata `auto_moderation_rule_create`/`_delete` |
//! | `PATCH /guilds/{id}/auto-moderation/rules/{id}` | 10 | 30 s | hata `auto_moderation_rule_edit` |
//! | `PATCH /guilds/{id}/welcome-screen` | 100 | 24 h | hata `welcome_screen_edit` |
//! | `GET /guilds/{id}/members/{id}` | 5 | 1 s | hata `guild_user_get` |
//! | `GET /users/@me/guilds` | 1 | 1 s | hata `guild_get_all` |
//!
//! hata: `HuyaneMatsu/hata`, `hata/discord/http/rate_limit_groups.py`, measured against Discord.
//! Every other route (guild and channel reads, channel deletes, bulk reorders, guild settings,
//! onboarding, webhooks) has no limit of its own that anyone has measured; like Discord's answers
//! to them (hata: "API does not provide any rate limit infos"), they carry no bucket headers.

use std::collections::{HashMap, VecDeque};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use axum::http::{HeaderMap, HeaderName, HeaderValue};
use serde_json::{Value, json};

use super::config::{HeadersMode, Profile, RateLimits};

/// One row of the Discord profile.
struct Rule {
    /// Route names (`PATCH /channels/{channel_id}`) sharing one bucket.
    routes: &'static [&'static str],
    limit: u32,
    window_secs: f64,
}

const DISCORD: &[Rule] = &[
    Rule {
        routes: &["PATCH /channels/{channel_id}"],
        limit: 5,
        window_secs: 15.0,
    },
    Rule {
        routes: &[
            "PUT /channels/{channel_id}/permissions/{overwrite_id}",
            "DELETE /channels/{channel_id}/permissions/{overwrite_id}",
        ],
        limit: 10,
        window_secs: 15.0,
    },
    Rule {
        routes: &[
            "POST /channels/{channel_id}/messages",
            "PATCH /channels/{channel_id}/messages/{message_id}",
        ],
        limit: 5,
        window_secs: 4.0,
    },
    Rule {
        routes: &["DELETE /channels/{channel_id}/messages/{message_id}"],
        limit: 3,
        window_secs: 1.0,
    },
    Rule {
        routes: &["GET /channels/{channel_id}/messages"],
        limit: 5,
        window_secs: 5.0,
    },
    Rule {
        routes: &["POST /guilds/{guild_id}/channels"],
        limit: 500,
        window_secs: 86_400.0,
    },
    Rule {
        routes: &["POST /guilds/{guild_id}/roles"],
        limit: 250,
        window_secs: 172_800.0,
    },
    Rule {
        routes: &["PATCH /guilds/{guild_id}/roles/{role_id}"],
        limit: 1_000,
        window_secs: 86_400.0,
    },
    Rule {
        routes: &["POST /guilds/{guild_id}/scheduled-events"],
        limit: 5,
        window_secs: 60.0,
    },
    Rule {
        routes: &[
            "PATCH /guilds/{guild_id}/scheduled-events/{guild_scheduled_event_id}",
            "DELETE /guilds/{guild_id}/scheduled-events/{guild_scheduled_event_id}",
        ],
        limit: 5,
        window_secs: 20.0,
    },
    Rule {
        routes: &["GET /guilds/{guild_id}/scheduled-events"],
        limit: 1,
        window_secs: 10.0,
    },
    Rule {
        routes: &["GET /guilds/{guild_id}/auto-moderation/rules"],
        limit: 5,
        window_secs: 10.0,
    },
    Rule {
        routes: &[
            "POST /guilds/{guild_id}/auto-moderation/rules",
            "DELETE /guilds/{guild_id}/auto-moderation/rules/{rule_id}",
        ],
        limit: 5,
        window_secs: 30.0,
    },
    Rule {
        routes: &["PATCH /guilds/{guild_id}/auto-moderation/rules/{rule_id}"],
        limit: 10,
        window_secs: 30.0,
    },
    Rule {
        routes: &["PATCH /guilds/{guild_id}/welcome-screen"],
        limit: 100,
        window_secs: 86_400.0,
    },
    Rule {
        routes: &["GET /guilds/{guild_id}/members/{user_id}"],
        limit: 5,
        window_secs: 1.0,
    },
    Rule {
        routes: &["GET /users/@me/guilds"],
        limit: 1,
        window_secs: 1.0,
    },
];

/// Renames and topic changes of one channel (the hidden sub-limit of `PATCH /channels/{id}`).
const RENAMES: (u32, f64) = (2, 600.0);

/// The bucket state an answer reports.
#[derive(Debug, Clone, PartialEq)]
pub struct BucketHeaders {
    pub limit: u32,
    pub remaining: u32,
    pub reset_after: Duration,
    pub bucket: String,
}

/// Why a request was refused with a 429.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    User,
    Shared,
    Global,
}

/// The outcome of counting one request.
#[derive(Debug, Clone, PartialEq)]
pub struct Decision {
    /// `None`: allowed. `Some`: a 429 of that scope.
    pub refused: Option<Scope>,
    /// The request's bucket, when the route has one.
    pub headers: Option<BucketHeaders>,
    /// For a 429: how long to wait.
    pub retry_after: Duration,
    /// A fault's 429 carries no header at all.
    pub bare: bool,
}

impl Decision {
    fn allowed(headers: Option<BucketHeaders>) -> Self {
        Self {
            refused: None,
            headers,
            retry_after: Duration::ZERO,
            bare: false,
        }
    }
}

#[derive(Debug, Default)]
pub struct RateLimiter {
    buckets: HashMap<(String, String), Window>,
    /// Arrival times of the last second's requests (the global limit).
    arrivals: VecDeque<Instant>,
    /// A global 429 holds every request until then (a fault's storm).
    global_hold: Option<Instant>,
    /// Until when each bucket (or route, for routes without one) was announced exhausted: by an
    /// answer with `Remaining: 0`, or a 429.
    announced: HashMap<(String, String), Instant>,
    global_announced: Option<Instant>,
}

#[derive(Debug, Clone, Copy)]
struct Window {
    started: Instant,
    used: u32,
}

/// A bucket: its name (shared by its routes) and limits, for one route in one profile.
struct Limit {
    name: String,
    limit: u32,
    window: Duration,
}

fn scaled(seconds: f64, scale: f64) -> Duration {
    Duration::try_from_secs_f64((seconds * scale).max(0.001)).unwrap_or(Duration::from_secs(1))
}

fn limit_of(config: &RateLimits, route: &str) -> Option<Limit> {
    match config.profile {
        Profile::Uniform => Some(Limit {
            name: route.to_owned(),
            limit: config.limit.max(1),
            window: config.window,
        }),
        Profile::Discord => DISCORD
            .iter()
            .find(|rule| rule.routes.contains(&route))
            .map(|rule| Limit {
                name: rule.routes.join(" | "),
                limit: rule.limit,
                window: scaled(rule.window_secs, config.time_scale),
            }),
    }
}

/// The bucket of `route` under `config`: its name (shared by the routes in it), limit and window;
/// `None` for a route with no limit of its own.
pub fn bucket_of(config: &RateLimits, route: &str) -> Option<(String, u32, Duration)> {
    limit_of(config, route).map(|limit| (limit.name, limit.limit, limit.window))
}

impl RateLimiter {
    /// Whether a request on `route` and `resource` arriving `now` comes while its bucket (or the
    /// whole API) was announced exhausted.
    pub fn announced_exhausted(
        &self,
        config: &RateLimits,
        route: &str,
        resource: &str,
        now: Instant,
    ) -> bool {
        let key = announce_key(config, route, resource);
        self.global_announced.is_some_and(|until| now < until)
            || self.announced.get(&key).is_some_and(|until| now < *until)
    }

    /// Counts a request for `route` on `resource` (the top-level id, or empty).
    pub fn check(
        &mut self,
        config: &RateLimits,
        route: &str,
        resource: &str,
        body: &Value,
        now: Instant,
    ) -> Decision {
        if let Some(until) = self.global_hold.filter(|until| now < *until) {
            return self.refuse_globally(until - now, now);
        }
        if let Some(per_second) = config.global {
            while self
                .arrivals
                .front()
                .is_some_and(|at| now.duration_since(*at) >= Duration::from_secs(1))
            {
                self.arrivals.pop_front();
            }
            if self.arrivals.len() >= per_second.max(1) as usize
                && let Some(first) = self.arrivals.front()
            {
                let wait = Duration::from_secs(1).saturating_sub(now.duration_since(*first));
                return self.refuse_globally(wait, now);
            }
            self.arrivals.push_back(now);
        }
        let Some(limit) = limit_of(config, route) else {
            return Decision::allowed(None);
        };
        let (allowed, headers) = self.count(&limit, resource, now);
        if !allowed {
            return self.refuse(config, route, resource, Scope::User, headers, now);
        }
        // Discord's hidden sub-limit: a channel's name and topic change twice per 10 minutes,
        // refused with the main bucket's headers, which do not show it.
        let renames = config.profile == Profile::Discord
            && route == "PATCH /channels/{channel_id}"
            && (body.get("name").is_some() || body.get("topic").is_some());
        if renames {
            let sub = Limit {
                name: "renames".to_owned(),
                limit: RENAMES.0,
                window: scaled(RENAMES.1, config.time_scale),
            };
            let (allowed, sub_headers) = self.count(&sub, resource, now);
            if !allowed {
                // The refused request does not count in the main bucket.
                if let Some(window) = self.buckets.get_mut(&(limit.name.clone(), resource.into())) {
                    window.used = window.used.saturating_sub(1);
                }
                let mut decision = self.refuse(config, route, resource, Scope::User, headers, now);
                decision.retry_after = sub_headers.reset_after;
                if let Some(headers) = &mut decision.headers {
                    headers.remaining += 1;
                }
                let key = announce_key(config, route, resource);
                self.announced.insert(key, now + decision.retry_after);
                return decision;
            }
        }
        if headers.remaining == 0 {
            self.announced.insert(
                announce_key(config, route, resource),
                now + headers.reset_after,
            );
        }
        Decision::allowed(Some(headers))
    }

    /// Counts one request in `limit`'s bucket for `resource`.
    fn count(&mut self, limit: &Limit, resource: &str, now: Instant) -> (bool, BucketHeaders) {
        let window = self
            .buckets
            .entry((limit.name.clone(), resource.to_owned()))
            .or_insert(Window {
                started: now,
                used: 0,
            });
        if now.duration_since(window.started) >= limit.window {
            *window = Window {
                started: now,
                used: 0,
            };
        }
        let allowed = window.used < limit.limit;
        if allowed {
            window.used += 1;
        }
        let headers = BucketHeaders {
            limit: limit.limit,
            remaining: limit.limit - window.used,
            reset_after: limit
                .window
                .saturating_sub(now.duration_since(window.started)),
            bucket: bucket_hash(&limit.name),
        };
        (allowed, headers)
    }

    fn refuse(
        &mut self,
        config: &RateLimits,
        route: &str,
        resource: &str,
        scope: Scope,
        headers: BucketHeaders,
        now: Instant,
    ) -> Decision {
        let retry_after = headers.reset_after;
        self.announced
            .insert(announce_key(config, route, resource), now + retry_after);
        Decision {
            refused: Some(scope),
            headers: Some(headers),
            retry_after,
            bare: false,
        }
    }

    fn refuse_globally(&mut self, retry_after: Duration, now: Instant) -> Decision {
        self.global_announced = self.global_announced.max(Some(now + retry_after));
        Decision {
            refused: Some(Scope::Global),
            headers: None,
            retry_after,
            bare: false,
        }
    }

    /// A fault's 429: `scope` (or no headers at all when `None`), asking to wait `retry_after`.
    /// A global one holds every request for that long.
    pub fn inject(
        &mut self,
        config: &RateLimits,
        route: &str,
        resource: &str,
        scope: Option<Scope>,
        retry_after: Duration,
        now: Instant,
    ) -> Decision {
        if scope == Some(Scope::Global) {
            self.global_hold = Some(now + retry_after);
            return self.refuse_globally(retry_after, now);
        }
        self.announced
            .insert(announce_key(config, route, resource), now + retry_after);
        let headers = limit_of(config, route).map(|limit| BucketHeaders {
            limit: limit.limit,
            remaining: if scope == Some(Scope::User) {
                0
            } else {
                limit.limit
            },
            reset_after: retry_after,
            bucket: bucket_hash(&limit.name),
        });
        Decision {
            refused: Some(scope.unwrap_or(Scope::User)),
            headers,
            retry_after,
            bare: scope.is_none(),
        }
    }
}

/// What an announcement of exhaustion is about: the route's bucket, or the route itself.
fn announce_key(config: &RateLimits, route: &str, resource: &str) -> (String, String) {
    let name = limit_of(config, route).map_or_else(|| route.to_owned(), |limit| limit.name);
    (name, resource.to_owned())
}

/// An opaque, stable bucket id for a bucket name.
fn bucket_hash(name: &str) -> String {
    // FNV-1a: stable across runs and platforms, unlike `DefaultHasher`.
    let hash = name.bytes().fold(0xcbf2_9ce4_8422_2325_u64, |hash, byte| {
        (hash ^ u64::from(byte)).wrapping_mul(0x0000_0100_0000_01b3)
    });
    format!("{hash:016x}")
}

/// Seconds as Discord writes them: up to three decimals, no trailing zeros (`0.25`, `3`).
fn seconds(duration: Duration) -> String {
    // Rounded up to the millisecond, so a client waiting this long never arrives early.
    let millis = duration.as_nanos().div_ceil(1_000_000);
    let text = format!("{}.{:03}", millis / 1000, millis % 1000);
    text.trim_end_matches('0').trim_end_matches('.').to_owned()
}

/// The 429 body.
pub fn body(decision: &Decision) -> Value {
    let message = match decision.refused {
        Some(Scope::Shared) => "The resource is being rate limited.",
        _ => "You are being rate limited.",
    };
    let retry_after = (decision.retry_after.as_secs_f64() * 1000.0).ceil() / 1000.0;
    json!({
        "message": message,
        "retry_after": retry_after,
        "global": decision.refused == Some(Scope::Global),
    })
}

/// Adds the headers `mode` sends for `decision`.
pub fn apply_headers(headers: &mut HeaderMap, decision: &Decision, mode: HeadersMode) {
    if decision.bare {
        return;
    }
    let mut set = |name: &'static str, value: String| {
        if let Ok(value) = HeaderValue::from_str(&value) {
            headers.insert(HeaderName::from_static(name), value);
        }
    };
    let refused = decision.refused.is_some();
    if let Some(bucket) = &decision.headers
        && (refused || mode != HeadersMode::On429Only)
    {
        let reset_after = seconds(bucket.reset_after);
        let reset_at = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0.0, |now| now.as_secs_f64())
            + bucket.reset_after.as_secs_f64();
        // twilight parses limit and remaining as u16.
        set(
            "x-ratelimit-limit",
            bucket.limit.min(u32::from(u16::MAX)).to_string(),
        );
        set(
            "x-ratelimit-remaining",
            bucket.remaining.min(u32::from(u16::MAX)).to_string(),
        );
        set("x-ratelimit-reset", format!("{reset_at:.3}"));
        set("x-ratelimit-reset-after", reset_after);
        set("x-ratelimit-bucket", bucket.bucket.clone());
        if mode == HeadersMode::Always && !refused {
            set("x-ratelimit-scope", "user".to_owned());
        }
    }
    let Some(scope) = decision.refused else {
        return;
    };
    let retry_after = match mode {
        // twilight 0.18 parses a shared 429's Retry-After as an integer.
        HeadersMode::Always | HeadersMode::On429Only => decision
            .retry_after
            .as_secs_f64()
            .ceil()
            .max(1.0)
            .to_string(),
        HeadersMode::AsDiscord => seconds(decision.retry_after),
    };
    set("retry-after", retry_after);
    let scope = match scope {
        Scope::User => "user",
        Scope::Shared => "shared",
        Scope::Global => {
            set("x-ratelimit-global", "true".to_owned());
            "global"
        }
    };
    set("x-ratelimit-scope", scope.to_owned());
}

#[cfg(test)]
mod tests {
    use super::*;

    fn uniform(limit: u32, window: Duration) -> RateLimits {
        RateLimits {
            limit,
            window,
            ..RateLimits::default()
        }
    }

    #[test]
    fn budget_is_per_template_and_resource() {
        let config = uniform(2, Duration::from_secs(60));
        let mut limiter = RateLimiter::default();
        let now = Instant::now();
        let mut check = |route: &str, resource: &str| {
            limiter.check(&config, route, resource, &Value::Null, now)
        };
        assert!(check("GET /a", "1").refused.is_none());
        let second = check("GET /a", "1");
        assert!(second.refused.is_none());
        assert_eq!(second.headers.unwrap().remaining, 0);
        assert_eq!(check("GET /a", "1").refused, Some(Scope::User));
        assert!(check("GET /a", "2").refused.is_none());
        assert!(check("GET /b", "1").refused.is_none());
        assert_eq!(bucket_hash("GET /a"), bucket_hash("GET /a"));
        assert_ne!(bucket_hash("GET /a"), bucket_hash("GET /b"));
    }

    #[test]
    fn the_discord_profile_limits_known_routes_and_leaves_the_rest_to_the_global_limit() {
        let config = RateLimits::discord();
        let mut limiter = RateLimiter::default();
        let now = Instant::now();
        for _ in 0..5 {
            let decision = limiter.check(
                &config,
                "POST /guilds/{guild_id}/scheduled-events",
                "1",
                &Value::Null,
                now,
            );
            assert!(decision.refused.is_none());
        }
        let sixth = limiter.check(
            &config,
            "POST /guilds/{guild_id}/scheduled-events",
            "1",
            &Value::Null,
            now,
        );
        assert_eq!(sixth.refused, Some(Scope::User));
        assert_eq!(sixth.retry_after, Duration::from_secs(60));
        assert!(limiter.announced_exhausted(
            &config,
            "POST /guilds/{guild_id}/scheduled-events",
            "1",
            now
        ));
        let read = limiter.check(
            &config,
            "GET /guilds/{guild_id}/channels",
            "1",
            &Value::Null,
            now,
        );
        assert_eq!(read, Decision::allowed(None));
        // 7 requests so far; 43 more fit in the second, the 51st does not.
        for _ in 0..43 {
            assert!(
                limiter
                    .check(&config, "GET /users/@me", "", &Value::Null, now)
                    .refused
                    .is_none()
            );
        }
        let global = limiter.check(&config, "GET /users/@me", "", &Value::Null, now);
        assert_eq!(global.refused, Some(Scope::Global));
        assert!(limiter.announced_exhausted(&config, "GET /users/@me", "", now));
        let later = now + Duration::from_secs(1);
        assert!(!limiter.announced_exhausted(&config, "GET /users/@me", "", later));
    }

    #[test]
    fn the_third_rename_in_ten_minutes_is_refused_with_headers_that_do_not_show_it() {
        let config = RateLimits::discord();
        let mut limiter = RateLimiter::default();
        let now = Instant::now();
        let route = "PATCH /channels/{channel_id}";
        let rename = json!({ "name": "x" });
        assert!(
            limiter
                .check(&config, route, "7", &rename, now)
                .refused
                .is_none()
        );
        assert!(
            limiter
                .check(&config, route, "7", &rename, now)
                .refused
                .is_none()
        );
        let third = limiter.check(&config, route, "7", &rename, now);
        assert_eq!(third.refused, Some(Scope::User));
        assert_eq!(third.retry_after, Duration::from_secs(600));
        assert_eq!(third.headers.unwrap().remaining, 3);
        // Other edits of the channel still go, within 5 per 15 s.
        let nsfw = json!({ "nsfw": true });
        assert!(
            limiter
                .check(&config, route, "7", &nsfw, now)
                .refused
                .is_none()
        );
    }

    #[test]
    fn seconds_are_written_like_discord() {
        assert_eq!(seconds(Duration::from_millis(250)), "0.25");
        assert_eq!(seconds(Duration::from_secs(3)), "3");
        assert_eq!(seconds(Duration::from_micros(64_570_100)), "64.571");
    }
}
