//! The HTTP side: one axum fallback handler that authenticates, rate-limits, applies faults,
//! dispatches to the route table and records what happened.
//!
//! Everything for one request runs under one lock, synchronously, so requests apply atomically
//! and in arrival order, and the recording matches what clients saw.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use axum::body::{Body, Bytes, to_bytes};
use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::response::Response;
use percent_encoding::percent_decode_str;
use serde_json::Value;

use super::config::EmulatorConfig;
use super::error::ApiError;
use super::ratelimit::{self, RateLimiter};
use super::record::{Fault, RecordedRequest};
use super::routes::{self, Call, Lookup, Reply};
use super::state::GuildState;

const API_PREFIX: &str = "/api/v10";
const MAX_BODY_BYTES: usize = 16 * 1024 * 1024;

/// What the server task and the [`super::Emulator`] handle share.
pub struct Shared {
    inner: Mutex<Inner>,
    /// Requests received and not yet answered (including their latency), and the most ever.
    in_flight: AtomicUsize,
    max_in_flight: AtomicUsize,
}

pub struct Inner {
    pub state: GuildState,
    pub config: EmulatorConfig,
    pub requests: Vec<RecordedRequest>,
    pub faults: Vec<Fault>,
    limiter: RateLimiter,
    /// The emulator's clock starts here; recordings say when each request was handled.
    started: Instant,
}

impl Shared {
    pub fn new(state: GuildState, config: EmulatorConfig) -> Self {
        Self {
            inner: Mutex::new(Inner {
                state,
                config,
                requests: Vec::new(),
                faults: Vec::new(),
                limiter: RateLimiter::default(),
                started: Instant::now(),
            }),
            in_flight: AtomicUsize::new(0),
            max_in_flight: AtomicUsize::new(0),
        }
    }

    /// The most requests that were in flight at once.
    pub fn max_in_flight(&self) -> usize {
        self.max_in_flight.load(Ordering::SeqCst)
    }

    /// How long each answer waits (the config's `latency`).
    pub fn latency(&self) -> std::time::Duration {
        self.lock().config.latency
    }

    /// The lock; a panic while it was held (a bug) does not take the emulator down with it.
    pub fn lock(&self) -> MutexGuard<'_, Inner> {
        self.inner
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

/// Counts a request in flight for as long as it lives.
struct InFlight<'a>(&'a Shared);

impl InFlight<'_> {
    fn enter(shared: &Shared) -> InFlight<'_> {
        let now = shared.in_flight.fetch_add(1, Ordering::SeqCst) + 1;
        shared.max_in_flight.fetch_max(now, Ordering::SeqCst);
        InFlight(shared)
    }
}

impl Drop for InFlight<'_> {
    fn drop(&mut self) {
        self.0.in_flight.fetch_sub(1, Ordering::SeqCst);
    }
}

/// The axum handler for every request.
pub async fn handle(State(shared): State<Arc<Shared>>, request: Request) -> Response {
    let _in_flight = InFlight::enter(&shared);
    let (parts, body) = request.into_parts();
    let bytes = to_bytes(body, MAX_BODY_BYTES).await.unwrap_or_default();
    let query = parts.uri.query().unwrap_or_default().to_owned();
    // A round trip's time (a CI runner to Discord), before the request is handled.
    let latency = shared.latency();
    if !latency.is_zero() {
        tokio::time::sleep(latency).await;
    }
    let in_flight = shared.in_flight.load(Ordering::SeqCst);
    let mut inner = shared.lock();
    inner.process(
        &parts.method,
        parts.uri.path(),
        &query,
        &parts.headers,
        &bytes,
        in_flight,
    )
}

/// The answer before it becomes an HTTP response.
struct Answer {
    status: StatusCode,
    body: Option<Value>,
    rate_limit: Option<ratelimit::Decision>,
    /// A page that is not JSON (a gateway's HTML), instead of `body`.
    page: Option<&'static str>,
}

/// What Cloudflare answers when Discord is down.
const GATEWAY_PAGE: &str = "<!DOCTYPE html>\n<html><head><title>discord.com | 502: Bad gateway</title></head><body><h1>Bad gateway</h1><p>The web server reported a bad gateway error.</p></body></html>\n";

/// What the recording notes about a request besides its answer.
#[derive(Default)]
struct Notes {
    route: String,
    applied_write: bool,
    into_exhausted: bool,
}

impl Answer {
    fn rate_limited(decision: ratelimit::Decision) -> Self {
        Self {
            status: StatusCode::TOO_MANY_REQUESTS,
            body: Some(ratelimit::body(&decision)),
            rate_limit: Some(decision),
            page: None,
        }
    }

    fn error(error: &ApiError) -> Self {
        Self {
            status: error.status,
            body: Some(error.body()),
            rate_limit: None,
            page: None,
        }
    }
}

impl Inner {
    fn process(
        &mut self,
        method: &Method,
        path: &str,
        query: &str,
        headers: &HeaderMap,
        bytes: &Bytes,
        in_flight: usize,
    ) -> Response {
        let reason = headers
            .get("x-audit-log-reason")
            .and_then(|value| value.to_str().ok())
            .map(|value| percent_decode_str(value).decode_utf8_lossy().into_owned());
        let form = headers
            .get(header::CONTENT_TYPE)
            .and_then(|value| value.to_str().ok())
            .and_then(super::multipart::boundary)
            .map(|boundary| super::multipart::parse(bytes, boundary));
        let parsed_body = match form {
            Some(Some(object)) => Ok(object),
            // Not well-formed form data: read as the invalid JSON it is not.
            Some(None) => serde_json::from_slice::<Value>(b"{"),
            None if bytes.is_empty() => Ok(Value::Null),
            None => serde_json::from_slice::<Value>(bytes),
        };
        let now = Instant::now();
        let mut notes = Notes {
            route: "-".to_owned(),
            ..Notes::default()
        };
        if method == Method::GET
            && let Some(route) = super::cdn::route(path)
        {
            return self.cdn(path, route, now, in_flight);
        }
        let _ = super::image::take_uploads();
        let answer = self.answer(method, path, query, headers, &parsed_body, now, &mut notes);
        let uploads = super::image::take_uploads();
        if notes.applied_write {
            self.state.images.extend(uploads);
            self.persist();
        }
        self.requests.push(RecordedRequest {
            method: method.to_string(),
            path: path.to_owned(),
            route: notes.route,
            status: answer.status.as_u16(),
            audit_log_reason: reason,
            body: parsed_body.ok().filter(|body| !body.is_null()),
            at: now.duration_since(self.started),
            in_flight,
            into_exhausted: notes.into_exhausted,
        });
        self.respond(answer)
    }

    #[allow(clippy::too_many_arguments)]
    fn answer(
        &mut self,
        method: &Method,
        path: &str,
        query: &str,
        headers: &HeaderMap,
        body: &Result<Value, serde_json::Error>,
        now: Instant,
        notes: &mut Notes,
    ) -> Answer {
        let Some(api_path) = path.strip_prefix(API_PREFIX) else {
            return Answer::error(&ApiError::not_found_route());
        };
        let (route, params) = match routes::lookup(method, api_path) {
            Lookup::Found(route, params) => (route, params),
            Lookup::WrongMethod => return Answer::error(&ApiError::method_not_allowed()),
            Lookup::NotFound => return Answer::error(&ApiError::not_found_route()),
        };
        notes.route = route.name();
        let route_name = &notes.route;
        let expected = format!("Bot {}", self.state.token);
        let authorised = headers
            .get(header::AUTHORIZATION)
            .is_some_and(|value| value.as_bytes() == expected.as_bytes());
        if !authorised {
            return Answer::error(&ApiError::unauthorized());
        }
        let limits = &self.config.rate_limits;
        let resource = routes::top_level_resource(route.template, &params);
        notes.into_exhausted = self
            .limiter
            .announced_exhausted(limits, route_name, &resource, now);
        let fault = self
            .faults
            .iter()
            .position(|fault| fault.matches(method.as_str(), route.template))
            .map(|index| match &self.faults[index] {
                Fault::RateLimited { always: true, .. } => self.faults[index].clone(),
                _ => self.faults.remove(index),
            });
        if let Some(Fault::RateLimited {
            scope, retry_after, ..
        }) = &fault
        {
            let wait = Duration::try_from_secs_f64(retry_after.max(0.0)).unwrap_or_default();
            let decision = self
                .limiter
                .inject(limits, route_name, &resource, *scope, wait, now);
            return Answer::rate_limited(decision);
        }
        let rate_limit = if limits.enabled {
            let empty = Value::Null;
            let request_body = body.as_ref().unwrap_or(&empty);
            let decision = self
                .limiter
                .check(limits, route_name, &resource, request_body, now);
            if decision.refused.is_some() {
                return Answer::rate_limited(decision);
            }
            Some(decision)
        } else {
            None
        };
        let with_limits = |mut answer: Answer| {
            answer.rate_limit = rate_limit.clone();
            answer
        };
        let gateway = |status: u16| Answer {
            status: StatusCode::from_u16(status).unwrap_or(StatusCode::BAD_GATEWAY),
            body: None,
            rate_limit: None,
            page: Some(GATEWAY_PAGE),
        };
        if let Some(Fault::GatewayPage {
            status,
            applied: false,
            ..
        }) = &fault
        {
            return gateway(*status);
        }
        if let Some(Fault::Fail { status, .. }) = &fault {
            let status = StatusCode::from_u16(*status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
            let message = format!(
                "{}: {}",
                status.as_u16(),
                status.canonical_reason().unwrap_or("Injected fault")
            );
            return with_limits(Answer::error(&ApiError::new(status, 0, message)));
        }
        let body = match body {
            Ok(body) => body.clone(),
            Err(_) => return with_limits(Answer::error(&ApiError::invalid_json())),
        };
        let call = Call {
            params,
            query: parse_query(query),
            body,
            config: self.config.clone(),
        };
        match (route.handler)(&mut self.state, &call) {
            Ok(Reply { status, body }) => {
                notes.applied_write = *method != Method::GET;
                if matches!(fault, Some(Fault::LoseAnswer { .. })) {
                    let error = ApiError::new(
                        StatusCode::INTERNAL_SERVER_ERROR,
                        0,
                        "500: Internal Server Error",
                    );
                    return with_limits(Answer::error(&error));
                }
                if let Some(Fault::GatewayPage { status, .. }) = &fault {
                    return gateway(*status);
                }
                let mut body = body;
                if let (Some(Fault::Tamper { field, value, .. }), Some(Value::Object(object))) =
                    (&fault, body.as_mut())
                {
                    object.insert(field.clone(), value.clone());
                }
                with_limits(Answer {
                    status,
                    body,
                    rate_limit: None,
                    page: None,
                })
            }
            Err(error) => with_limits(Answer::error(&error)),
        }
    }

    /// A CDN request: the image's bytes, or 404. Recorded like API requests (no token, no rate
    /// limit).
    fn cdn(&mut self, path: &str, route: &str, now: Instant, in_flight: usize) -> Response {
        let served = super::cdn::serve(&self.state, path);
        let status = if served.is_some() { 200 } else { 404 };
        self.requests.push(RecordedRequest {
            method: "GET".to_owned(),
            path: path.to_owned(),
            route: route.to_owned(),
            status,
            audit_log_reason: None,
            body: None,
            at: now.duration_since(self.started),
            in_flight,
            into_exhausted: false,
        });
        match served {
            Some((media_type, bytes)) => {
                let mut response = Response::new(Body::from(bytes));
                if let Ok(value) = HeaderValue::from_str(&media_type) {
                    response.headers_mut().insert(header::CONTENT_TYPE, value);
                }
                response
            }
            None => {
                let mut response = Response::new(Body::from("404: Not Found"));
                *response.status_mut() = StatusCode::NOT_FOUND;
                response
            }
        }
    }

    fn respond(&self, answer: Answer) -> Response {
        if let Some(page) = answer.page {
            let mut response = Response::new(Body::from(page));
            response
                .headers_mut()
                .insert(header::CONTENT_TYPE, HeaderValue::from_static("text/html"));
            *response.status_mut() = answer.status;
            return response;
        }
        let mut response = match &answer.body {
            Some(body) => {
                let mut response = Response::new(Body::from(body.to_string()));
                response.headers_mut().insert(
                    header::CONTENT_TYPE,
                    HeaderValue::from_static("application/json"),
                );
                response
            }
            None => Response::new(Body::empty()),
        };
        *response.status_mut() = answer.status;
        if let Some(decision) = &answer.rate_limit {
            ratelimit::apply_headers(
                response.headers_mut(),
                decision,
                self.config.rate_limits.headers,
            );
        }
        response
    }

    /// Writes the state file, when configured. Errors go to stderr: a failed save must not
    /// turn a successful request into a failed one.
    fn persist(&self) {
        if let Some(path) = &self.config.persist_to
            && let Err(error) = save_state(path, &self.state)
        {
            eprintln!("emulator: cannot save state to {}: {error}", path.display());
        }
    }
}

/// Writes the state as pretty JSON, atomically (temporary file, then rename).
pub fn save_state(path: &PathBuf, state: &GuildState) -> std::io::Result<()> {
    if let Some(parent) = path
        .parent()
        .filter(|parent| !parent.as_os_str().is_empty())
    {
        std::fs::create_dir_all(parent)?;
    }
    let temporary = path.with_extension("json.tmp");
    std::fs::write(&temporary, state.to_json())?;
    std::fs::rename(&temporary, path)
}

fn parse_query(query: &str) -> HashMap<String, String> {
    query
        .split('&')
        .filter(|pair| !pair.is_empty())
        .map(|pair| {
            let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
            (
                percent_decode_str(key).decode_utf8_lossy().into_owned(),
                percent_decode_str(value).decode_utf8_lossy().into_owned(),
            )
        })
        .collect()
}
