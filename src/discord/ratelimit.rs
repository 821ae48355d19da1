//! Our own rate-limit scheduler: every request waits here until Discord's limits allow it
//! (`reference/discord-docs/rate-limits.mdx`; notes §4.9).
//!
//! # Why not twilight-http's limiter
//! twilight-http 0.18 learns a bucket only from answers that carry `X-RateLimit-Scope`, which
//! Discord sends on 429s alone, so it never learns a route's limit from normal answers; it lets one
//! request per top-level resource fly at a time; it ignores `Retry-After` on a global 429 and
//! retries every 429 at once, forever (`response/future.rs`). Measured through a proxy holding a
//! global 429 for 3 s: 150 requests. Its limiter is therefore not used, nor its sending (see
//! [`super::transport`]): this module decides when each request goes, from every answer's headers.
//!
//! # Rules
//! - **Routes.** A route is the method and path with ids replaced by `{id}`, except the *major
//!   parameter*: the id after `guilds/`, `channels/` or `webhooks/` (the docs' "top-level
//!   resources"), which Discord limits separately.
//! - **Buckets.** Until an answer names its bucket (`X-RateLimit-Bucket`), a route is a bucket of
//!   its own; afterwards every route Discord names with the same bucket shares it, still per major
//!   parameter.
//! - **Unknown buckets** take one request at a time until the first answer tells their limit. An
//!   answer without bucket headers means the route has no limit of its own (only the global one).
//! - **Known buckets** never get more requests in a window than Discord said remain (`Limit`,
//!   `Remaining`, counting the requests still in flight); an exhausted bucket waits until its reset,
//!   `Reset-After` seconds after its answer arrived (never before: clocks are not compared).
//! - **429s** wait `retry_after` (the body's, with decimals; else the `Retry-After` header, decimals
//!   accepted; else `Reset-After`; else a second): a global one (`X-RateLimit-Scope: global` or
//!   `"global": true`) holds every request, a shared or user one holds its bucket. One request is
//!   sent at most [`Limits::max_rate_limited`] times into a 429, then fails with a typed error.
//! - **Global limit**: 50 requests per second, as 50 places: a request takes one when it is sent
//!   and gives it back a second after its answer arrived. Discord counts requests by when they
//!   reach it, which is between the two, so two requests that used the same place reach it at
//!   least a second apart whatever the latency and its jitter, and no second of Discord's sees
//!   more than 50. (Counting by send time would need a margin for jitter; this costs one round
//!   trip per second instead.)
//! - **Invalid answers** (401, 403, and 429s but shared ones, as Discord counts them): Discord bans
//!   the IP for an hour at 10,000 in 10 minutes; this stops at 1,000 with an error saying why.
//!   After a 401 nothing more is sent: the token is wrong.
//!
//! The state ([`State`]) is plain data over explicit instants, so its decisions are unit-tested
//! without waiting; [`Scheduler`] adds the waiting.

use std::collections::{HashMap, VecDeque};
use std::sync::{Mutex, MutexGuard};
use std::time::{Duration, Instant};

use http::HeaderMap;
use tokio::sync::Notify;

/// The limits the scheduler keeps.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Limits {
    /// Requests per `global_window` (see the module's note on how they are counted).
    pub global_limit: u32,
    pub global_window: Duration,
    /// 429s one request may receive before it fails.
    pub max_rate_limited: u32,
    /// Invalid answers in `invalid_window` at which every further request is refused.
    pub invalid_limit: u32,
    pub invalid_window: Duration,
    /// The longest a request waits for a limit before it fails instead.
    pub max_wait: Duration,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            global_limit: 50,
            global_window: Duration::from_secs(1),
            max_rate_limited: 5,
            invalid_limit: 1_000,
            invalid_window: Duration::from_secs(600),
            max_wait: Duration::from_secs(300),
        }
    }
}

/// A request's route and major parameter: `PATCH channels/{id}` on `channels/123`.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Route {
    pub route: String,
    pub major: String,
}

impl Route {
    /// `method` and a path as twilight takes it (`guilds/1/roles/2?x=y`, no leading slash).
    pub fn of(method: &str, path: &str) -> Self {
        let path = path.split('?').next().unwrap_or_default();
        let segments: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
        let mut route = String::from(method);
        route.push(' ');
        let mut major = String::new();
        for (index, segment) in segments.iter().enumerate() {
            if index > 0 {
                route.push('/');
            }
            let is_id = !segment.is_empty() && segment.bytes().all(|b| b.is_ascii_digit());
            let top_level = index == 1 && matches!(segments[0], "guilds" | "channels" | "webhooks");
            if index == 1 && segments[0] == "invites" {
                // An invite's code is a secret: kept out of route names.
                route.push_str("{code}");
            } else if is_id {
                if top_level {
                    major = format!("{}/{segment}", segments[0]);
                }
                route.push_str("{id}");
            } else {
                route.push_str(segment);
            }
        }
        Self { route, major }
    }
}

/// Why a request is not sent at all.
#[derive(Clone, Debug, PartialEq)]
pub enum Refusal {
    /// A 401 came back earlier: the token is wrong, and more requests would only count against us.
    TokenRejected,
    /// Too many invalid answers lately.
    TooManyInvalid { count: u32, window: Duration },
    /// The limit resets later than [`Limits::max_wait`].
    WaitTooLong { wait: Duration },
}

/// What a 429 said.
#[derive(Clone, Debug, PartialEq)]
pub struct Limited {
    pub retry_after: Duration,
    pub scope: Scope,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scope {
    Global,
    Shared,
    /// `user`, or no scope header at all.
    User,
}

impl Scope {
    pub fn describe(self) -> &'static str {
        match self {
            Self::Global => "global",
            Self::Shared => "shared",
            Self::User => "per-route",
        }
    }
}

/// How many requests went out and how many came back 429 (for reports and benchmarks).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Counts {
    pub sent: u64,
    pub rate_limited: u64,
    pub invalid: u64,
}

/// A request allowed to go. Hand it back with [`State::complete`] or [`State::abandon`].
#[derive(Debug)]
pub struct Permit {
    route: Route,
}

/// The decision for one request now.
#[derive(Debug)]
pub enum Decision {
    Go(Permit),
    /// Nothing can change before this instant (a reset, a Retry-After, the global window).
    WaitUntil(Instant),
    /// The bucket's limit is unknown or its window is used up by requests in flight: wait for an
    /// answer.
    WaitForAnswer,
    Refuse(Refusal),
}

/// Two answers whose resets lie closer than this describe the same window.
const SAME_WINDOW: Duration = Duration::from_millis(50);

/// What the scheduler knows.
#[derive(Debug)]
pub struct State {
    limits: Limits,
    /// What answers said about a route: its bucket id, or that it has none.
    routes: HashMap<String, Learned>,
    buckets: HashMap<(String, String), Bucket>,
    /// Requests in flight, each holding one of the global places.
    in_flight: u32,
    /// When the places given back by answered requests free up.
    freed: VecDeque<Instant>,
    global_until: Option<Instant>,
    invalid: VecDeque<Instant>,
    token_rejected: bool,
    counts: Counts,
}

#[derive(Clone, Debug, PartialEq, Eq)]
enum Learned {
    Bucket(String),
    Unlimited,
}

#[derive(Debug, Default)]
struct Bucket {
    limit: Option<u32>,
    remaining: u32,
    /// When the current window ends; `None` once it has ended and no answer told the next one.
    reset_at: Option<Instant>,
    /// A 429 holds the bucket until then.
    held_until: Option<Instant>,
    in_flight: u32,
}

impl State {
    pub fn new(limits: Limits) -> Self {
        Self {
            limits,
            routes: HashMap::new(),
            buckets: HashMap::new(),
            in_flight: 0,
            freed: VecDeque::new(),
            global_until: None,
            invalid: VecDeque::new(),
            token_rejected: false,
            counts: Counts::default(),
        }
    }

    pub fn counts(&self) -> Counts {
        self.counts
    }

    fn key(&self, route: &Route) -> (String, String) {
        let bucket = match self.routes.get(&route.route) {
            Some(Learned::Bucket(id)) => id.clone(),
            _ => route.route.clone(),
        };
        (bucket, route.major.clone())
    }

    /// May a request on `route` go at `now`?
    pub fn decide(&mut self, route: &Route, now: Instant) -> Decision {
        if self.token_rejected {
            return Decision::Refuse(Refusal::TokenRejected);
        }
        let window = self.limits.invalid_window;
        while self
            .invalid
            .front()
            .is_some_and(|at| now.duration_since(*at) >= window)
        {
            self.invalid.pop_front();
        }
        let invalid = u32::try_from(self.invalid.len()).unwrap_or(u32::MAX);
        if invalid >= self.limits.invalid_limit {
            return Decision::Refuse(Refusal::TooManyInvalid {
                count: invalid,
                window,
            });
        }
        if let Some(until) = self.global_until.filter(|until| *until > now) {
            return Decision::WaitUntil(until);
        }
        while self.freed.front().is_some_and(|at| *at <= now) {
            self.freed.pop_front();
        }
        let taken = self.in_flight as usize + self.freed.len();
        if taken >= self.limits.global_limit.max(1) as usize {
            return match self.freed.front() {
                Some(first) => Decision::WaitUntil(*first),
                None => Decision::WaitForAnswer,
            };
        }
        let unlimited = self.routes.get(&route.route) == Some(&Learned::Unlimited);
        let key = self.key(route);
        let bucket = self.buckets.entry(key).or_default();
        if let Some(until) = bucket.held_until.filter(|until| *until > now) {
            return Decision::WaitUntil(until);
        }
        match bucket.limit {
            None if unlimited => {}
            None if bucket.in_flight > 0 => return Decision::WaitForAnswer,
            None => {}
            Some(limit) => {
                let limit = limit.max(1);
                if bucket.reset_at.is_some_and(|reset| reset <= now) {
                    // A new window; requests still in flight may count in it.
                    bucket.remaining = limit.saturating_sub(bucket.in_flight);
                    bucket.reset_at = None;
                }
                if bucket.remaining == 0 {
                    match bucket.reset_at {
                        Some(reset) => return Decision::WaitUntil(reset),
                        None if bucket.in_flight > 0 => return Decision::WaitForAnswer,
                        // Nothing in flight and no word of the window: assume a fresh one.
                        None => bucket.remaining = limit,
                    }
                }
                bucket.remaining -= 1;
            }
        }
        bucket.in_flight += 1;
        self.in_flight += 1;
        self.counts.sent += 1;
        Decision::Go(Permit {
            route: route.clone(),
        })
    }

    /// The request of `permit` got no answer (a transport error, or it was abandoned); it may
    /// still reach Discord, so its global place frees up a second from `now`.
    pub fn abandon(&mut self, permit: Permit, now: Instant) {
        let key = self.key(&permit.route);
        if let Some(bucket) = self.buckets.get_mut(&key) {
            bucket.in_flight = bucket.in_flight.saturating_sub(1);
        }
        self.give_back(now);
    }

    /// A request's global place frees up one window after `now`.
    fn give_back(&mut self, now: Instant) {
        self.in_flight = self.in_flight.saturating_sub(1);
        // `now` only grows, so the queue stays sorted.
        self.freed.push_back(now + self.limits.global_window);
    }

    /// Learns from the answer to `permit`'s request; `Some` when it was a 429.
    pub fn complete(
        &mut self,
        permit: Permit,
        status: u16,
        headers: &HeaderMap,
        body: &[u8],
        now: Instant,
    ) -> Option<Limited> {
        let route = permit.route;
        let before = self.key(&route);
        if let Some(bucket) = self.buckets.get_mut(&before) {
            bucket.in_flight = bucket.in_flight.saturating_sub(1);
        }
        self.give_back(now);
        let seen = Headers::read(headers);
        match &seen.bucket {
            Some(id) => self.learn_bucket(&route, id, before),
            None if status != 429 => {
                self.routes
                    .entry(route.route.clone())
                    .or_insert(Learned::Unlimited);
            }
            None => {}
        }
        let key = self.key(&route);
        if let (Some(limit), Some(remaining), Some(reset_after)) =
            (seen.limit, seen.remaining, seen.reset_after)
        {
            let bucket = self.buckets.entry(key.clone()).or_default();
            let reset = now + reset_after;
            // Requests still in flight may or may not be counted in `remaining`: assume not.
            let fresh = remaining.saturating_sub(bucket.in_flight);
            let same_window = bucket.limit.is_some()
                && bucket
                    .reset_at
                    .is_some_and(|old| reset <= old + SAME_WINDOW);
            if same_window {
                bucket.remaining = bucket.remaining.min(fresh);
                bucket.reset_at = bucket.reset_at.max(Some(reset));
            } else {
                bucket.remaining = fresh;
                bucket.reset_at = Some(reset);
            }
            bucket.limit = Some(limit);
        }
        match status {
            401 => {
                self.token_rejected = true;
                self.invalid(now);
            }
            403 => self.invalid(now),
            _ => {}
        }
        if status != 429 {
            return None;
        }
        self.counts.rate_limited += 1;
        let retry_after = seen
            .body_retry_after(body)
            .or(seen.retry_after)
            .or(seen.reset_after)
            .unwrap_or(Duration::from_secs(1));
        let scope = if seen.global || body_says_global(body) {
            Scope::Global
        } else if seen.scope.as_deref() == Some("shared") {
            Scope::Shared
        } else {
            Scope::User
        };
        let until = now + retry_after;
        match scope {
            Scope::Global => {
                self.global_until = self.global_until.max(Some(until));
                self.invalid(now);
            }
            Scope::Shared | Scope::User => {
                let bucket = self.buckets.entry(key).or_default();
                bucket.held_until = bucket.held_until.max(Some(until));
                if scope == Scope::User {
                    self.invalid(now);
                }
            }
        }
        Some(Limited { retry_after, scope })
    }

    fn invalid(&mut self, now: Instant) {
        self.invalid.push_back(now);
        self.counts.invalid += 1;
    }

    /// `route` belongs to bucket `id`: from now on it shares that bucket's state.
    fn learn_bucket(&mut self, route: &Route, id: &str, before: (String, String)) {
        let learned = Learned::Bucket(id.to_owned());
        if self.routes.get(&route.route) == Some(&learned) {
            return;
        }
        self.routes.insert(route.route.clone(), learned);
        let after = (id.to_owned(), route.major.clone());
        if before == after {
            return;
        }
        // The requests in flight on the route's own bucket now complete against the shared one.
        if let Some(old) = self.buckets.remove(&before) {
            let shared = self.buckets.entry(after).or_default();
            shared.in_flight += old.in_flight;
            if shared.limit.is_none() {
                shared.limit = old.limit;
                shared.remaining = old.remaining;
                shared.reset_at = old.reset_at;
            }
            shared.held_until = shared.held_until.max(old.held_until);
        }
    }
}

/// The rate-limit headers of one answer.
#[derive(Debug, Default)]
struct Headers {
    bucket: Option<String>,
    limit: Option<u32>,
    remaining: Option<u32>,
    reset_after: Option<Duration>,
    retry_after: Option<Duration>,
    scope: Option<String>,
    global: bool,
}

impl Headers {
    fn read(headers: &HeaderMap) -> Self {
        let text = |name: &str| {
            headers
                .get(name)
                .and_then(|value| value.to_str().ok())
                .map(str::trim)
        };
        let number = |name: &str| text(name).and_then(|value| value.parse::<u32>().ok());
        Self {
            bucket: text("x-ratelimit-bucket").map(str::to_owned),
            limit: number("x-ratelimit-limit"),
            remaining: number("x-ratelimit-remaining"),
            reset_after: text("x-ratelimit-reset-after").and_then(seconds),
            retry_after: text("retry-after").and_then(seconds),
            scope: text("x-ratelimit-scope").map(str::to_ascii_lowercase),
            global: text("x-ratelimit-global").is_some_and(|v| v.eq_ignore_ascii_case("true"))
                || text("x-ratelimit-scope").is_some_and(|v| v.eq_ignore_ascii_case("global")),
        }
    }

    fn body_retry_after(&self, body: &[u8]) -> Option<Duration> {
        let value: serde_json::Value = serde_json::from_slice(body).ok()?;
        let seconds = value.get("retry_after")?.as_f64()?;
        Duration::try_from_secs_f64(seconds.max(0.0)).ok()
    }
}

fn body_says_global(body: &[u8]) -> bool {
    serde_json::from_slice::<serde_json::Value>(body)
        .ok()
        .and_then(|value| value.get("global")?.as_bool())
        .unwrap_or(false)
}

/// `1`, `0.25`, `64.57`: seconds, with decimals.
fn seconds(text: &str) -> Option<Duration> {
    let value: f64 = text.parse().ok()?;
    (value.is_finite() && value >= 0.0)
        .then(|| Duration::try_from_secs_f64(value).ok())
        .flatten()
}

/// The scheduler shared by every request of one [`super::Discord`].
#[derive(Debug)]
pub struct Scheduler {
    state: Mutex<State>,
    answered: Notify,
    max_wait: Duration,
    max_rate_limited: u32,
}

/// A request on its way; dropping it without [`Scheduler::complete`] frees its place.
pub struct Flight<'a> {
    scheduler: &'a Scheduler,
    permit: Option<Permit>,
}

impl Drop for Flight<'_> {
    fn drop(&mut self) {
        if let Some(permit) = self.permit.take() {
            self.scheduler.lock().abandon(permit, Instant::now());
            self.scheduler.answered.notify_waiters();
        }
    }
}

impl Scheduler {
    pub fn new(limits: Limits) -> Self {
        Self {
            max_wait: limits.max_wait,
            max_rate_limited: limits.max_rate_limited,
            state: Mutex::new(State::new(limits)),
            answered: Notify::new(),
        }
    }

    /// 429s one request may receive before it fails.
    pub fn max_rate_limited(&self) -> u32 {
        self.max_rate_limited
    }

    pub fn counts(&self) -> Counts {
        self.lock().counts()
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        self.state
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Waits until a request on `route` may go.
    pub async fn acquire(&self, route: &Route) -> Result<Flight<'_>, Refusal> {
        loop {
            // Registered before looking, so an answer arriving meanwhile is not missed.
            let answered = self.answered.notified();
            tokio::pin!(answered);
            answered.as_mut().enable();
            let now = Instant::now();
            let decision = self.lock().decide(route, now);
            match decision {
                Decision::Go(permit) => {
                    return Ok(Flight {
                        scheduler: self,
                        permit: Some(permit),
                    });
                }
                Decision::WaitUntil(until) => {
                    let wait = until.saturating_duration_since(now);
                    if wait > self.max_wait {
                        return Err(Refusal::WaitTooLong { wait });
                    }
                    tokio::select! {
                        () = tokio::time::sleep_until(tokio::time::Instant::from_std(until)) => {}
                        () = &mut answered => {}
                    }
                }
                Decision::WaitForAnswer => answered.await,
                Decision::Refuse(refusal) => return Err(refusal),
            }
        }
    }

    /// Learns from the answer to `flight`'s request; `Some` when it was a 429.
    pub fn complete(
        &self,
        mut flight: Flight<'_>,
        status: u16,
        headers: &HeaderMap,
        body: &[u8],
    ) -> Option<Limited> {
        let permit = flight.permit.take()?;
        let limited = self
            .lock()
            .complete(permit, status, headers, body, Instant::now());
        self.answered.notify_waiters();
        limited
    }
}

#[cfg(test)]
mod tests;
