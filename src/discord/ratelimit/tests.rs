//! The scheduler's decisions over explicit instants: nothing here sleeps.

use std::time::{Duration, Instant};

use http::{HeaderMap, HeaderName, HeaderValue};

use super::*;

fn headers(pairs: &[(&'static str, &str)]) -> HeaderMap {
    let mut map = HeaderMap::new();
    for (name, value) in pairs {
        map.insert(
            HeaderName::from_static(name),
            HeaderValue::from_str(value).unwrap(),
        );
    }
    map
}

fn bucket(id: &str, limit: u32, remaining: u32, reset_after: f64) -> HeaderMap {
    headers(&[
        ("x-ratelimit-bucket", id),
        ("x-ratelimit-limit", &limit.to_string()),
        ("x-ratelimit-remaining", &remaining.to_string()),
        ("x-ratelimit-reset-after", &reset_after.to_string()),
    ])
}

fn go(state: &mut State, route: &Route, now: Instant) -> Permit {
    match state.decide(route, now) {
        Decision::Go(permit) => permit,
        other => panic!("expected to go, got {other:?}"),
    }
}

fn at(start: Instant, millis: u64) -> Instant {
    start + Duration::from_millis(millis)
}

#[test]
fn routes_keep_the_major_parameter_and_hide_other_ids() {
    let route = Route::of("PATCH", "channels/123");
    assert_eq!(route.route, "PATCH channels/{id}");
    assert_eq!(route.major, "channels/123");
    let route = Route::of("PUT", "channels/5/permissions/6");
    assert_eq!(route.route, "PUT channels/{id}/permissions/{id}");
    assert_eq!(route.major, "channels/5");
    let route = Route::of("DELETE", "guilds/1/roles/2");
    assert_eq!(route.route, "DELETE guilds/{id}/roles/{id}");
    assert_eq!(route.major, "guilds/1");
    let route = Route::of("GET", "channels/7/messages?limit=100");
    assert_eq!(route.route, "GET channels/{id}/messages");
    let route = Route::of("GET", "users/@me/guilds");
    assert_eq!(route.route, "GET users/@me/guilds");
    assert_eq!(route.major, "");
}

#[test]
fn an_unknown_bucket_takes_one_request_until_its_first_answer() {
    let start = Instant::now();
    let mut state = State::new(Limits::default());
    let route = Route::of("POST", "guilds/1/channels");
    let first = go(&mut state, &route, start);
    assert!(matches!(
        state.decide(&route, start),
        Decision::WaitForAnswer
    ));
    // Another guild is another bucket.
    go(&mut state, &Route::of("POST", "guilds/2/channels"), start);
    assert!(
        state
            .complete(first, 201, &bucket("b", 3, 2, 10.0), b"{}", at(start, 50))
            .is_none()
    );
    // Two left: both go at once, the next waits for the reset.
    go(&mut state, &route, at(start, 60));
    go(&mut state, &route, at(start, 60));
    match state.decide(&route, at(start, 60)) {
        Decision::WaitUntil(until) => assert_eq!(until, at(start, 10_050)),
        other => panic!("{other:?}"),
    }
    // After the reset the window is fresh again.
    go(&mut state, &route, at(start, 10_050));
}

#[test]
fn requests_in_flight_count_against_the_remaining_budget() {
    let start = Instant::now();
    let mut state = State::new(Limits::default());
    let route = Route::of("PATCH", "channels/9");
    let first = go(&mut state, &route, start);
    state.complete(first, 200, &bucket("c", 5, 4, 15.0), b"{}", at(start, 50));
    let flying: Vec<Permit> = (0..4)
        .map(|_| go(&mut state, &route, at(start, 51)))
        .collect();
    assert!(matches!(
        state.decide(&route, at(start, 52)),
        Decision::WaitUntil(_)
    ));
    // Answers arriving out of order never raise the budget within the window.
    for (index, permit) in flying.into_iter().enumerate() {
        let remaining = 3 - index as u32;
        state.complete(
            permit,
            200,
            &bucket("c", 5, remaining.min(3), 14.9),
            b"{}",
            at(start, 100),
        );
        assert!(matches!(
            state.decide(&route, at(start, 101)),
            Decision::WaitUntil(_)
        ));
    }
}

#[test]
fn routes_named_alike_share_one_bucket_per_major_parameter() {
    let start = Instant::now();
    let mut state = State::new(Limits::default());
    let put = Route::of("PUT", "channels/1/permissions/2");
    let delete = Route::of("DELETE", "channels/1/permissions/3");
    let permit = go(&mut state, &put, start);
    state.complete(permit, 204, &bucket("ow", 10, 0, 15.0), b"", at(start, 10));
    let permit = go(&mut state, &delete, at(start, 20));
    state.complete(permit, 204, &bucket("ow", 10, 0, 15.0), b"", at(start, 30));
    assert!(matches!(
        state.decide(&put, at(start, 40)),
        Decision::WaitUntil(_)
    ));
    // The same bucket on another channel is another budget.
    go(
        &mut state,
        &Route::of("PUT", "channels/8/permissions/2"),
        at(start, 40),
    );
}

#[test]
fn answers_without_bucket_headers_leave_only_the_global_limit() {
    let start = Instant::now();
    let mut state = State::new(Limits::default());
    let route = Route::of("GET", "users/@me");
    let first = go(&mut state, &route, start);
    state.complete(first, 200, &HeaderMap::new(), b"{}", at(start, 5));
    let flying: Vec<Permit> = (0..49)
        .map(|_| go(&mut state, &route, at(start, 10)))
        .collect();
    // 50 places taken: the first frees up a second after its answer arrived.
    match state.decide(&route, at(start, 10)) {
        Decision::WaitUntil(until) => assert_eq!(until, at(start, 1005)),
        other => panic!("{other:?}"),
    }
    go(&mut state, &route, at(start, 1005));
    // The other 49 are still in flight: their places come back only with their answers.
    assert!(matches!(
        state.decide(&route, at(start, 5000)),
        Decision::WaitForAnswer
    ));
    for permit in flying {
        state.complete(permit, 200, &HeaderMap::new(), b"{}", at(start, 5000));
    }
    assert!(matches!(
        state.decide(&route, at(start, 5999)),
        Decision::WaitUntil(until) if until == at(start, 6000)
    ));
}

#[test]
fn a_global_429_holds_every_request_for_its_retry_after() {
    let start = Instant::now();
    let mut state = State::new(Limits::default());
    let route = Route::of("POST", "guilds/1/roles");
    let permit = go(&mut state, &route, start);
    let limited = state
        .complete(
            permit,
            429,
            &headers(&[
                ("retry-after", "3"),
                ("x-ratelimit-global", "true"),
                ("x-ratelimit-scope", "global"),
            ]),
            br#"{"message":"You are being rate limited.","retry_after":2.5,"global":true}"#,
            start,
        )
        .unwrap();
    assert_eq!(limited.scope, Scope::Global);
    assert_eq!(limited.retry_after, Duration::from_millis(2500));
    for other in [route.clone(), Route::of("GET", "channels/5/messages")] {
        match state.decide(&other, at(start, 100)) {
            Decision::WaitUntil(until) => assert_eq!(until, at(start, 2500)),
            decision => panic!("{decision:?}"),
        }
    }
    go(&mut state, &route, at(start, 2500));
    assert_eq!(state.counts().invalid, 1);
}

#[test]
fn a_429_without_headers_waits_for_the_body_and_a_decimal_retry_after_is_honoured() {
    let start = Instant::now();
    let mut state = State::new(Limits::default());
    let bare = Route::of("POST", "guilds/1/scheduled-events");
    let permit = go(&mut state, &bare, start);
    let limited = state
        .complete(
            permit,
            429,
            &HeaderMap::new(),
            br#"{"message":"You are being rate limited.","retry_after":0.3,"global":false}"#,
            start,
        )
        .unwrap();
    assert_eq!(limited.retry_after, Duration::from_millis(300));
    assert!(
        matches!(state.decide(&bare, at(start, 299)), Decision::WaitUntil(u) if u == at(start, 300))
    );
    go(&mut state, &bare, at(start, 300));

    let decimal = Route::of("PATCH", "channels/4");
    let permit = go(&mut state, &decimal, start);
    state.complete(
        permit,
        429,
        &headers(&[("retry-after", "0.25")]),
        b"not json",
        start,
    );
    assert!(
        matches!(state.decide(&decimal, at(start, 100)), Decision::WaitUntil(u) if u == at(start, 250))
    );
}

#[test]
fn a_shared_429_holds_its_bucket_and_is_not_counted_as_invalid() {
    let start = Instant::now();
    let mut state = State::new(Limits::default());
    let route = Route::of("PATCH", "channels/4");
    let permit = go(&mut state, &route, start);
    let mut answer = bucket("shared-one", 10, 9, 64.57);
    answer.insert("retry-after", HeaderValue::from_static("2"));
    answer.insert("x-ratelimit-scope", HeaderValue::from_static("shared"));
    let limited = state
        .complete(
            permit,
            429,
            &answer,
            br#"{"message":"The resource is being rate limited.","retry_after":1.5,"global":false}"#,
            start,
        )
        .unwrap();
    assert_eq!(limited.scope, Scope::Shared);
    assert!(
        matches!(state.decide(&route, at(start, 1000)), Decision::WaitUntil(u) if u == at(start, 1500))
    );
    // Other channels are not held.
    go(
        &mut state,
        &Route::of("PATCH", "channels/5"),
        at(start, 1000),
    );
    assert_eq!(state.counts().invalid, 0);
    assert_eq!(state.counts().rate_limited, 1);
}

#[test]
fn invalid_answers_stop_everything_at_the_limit_until_they_age_out() {
    let start = Instant::now();
    let limits = Limits {
        invalid_limit: 3,
        invalid_window: Duration::from_secs(10),
        ..Limits::default()
    };
    let mut state = State::new(limits);
    let route = Route::of("GET", "guilds/1");
    for _ in 0..3 {
        let permit = go(&mut state, &route, start);
        state.complete(permit, 403, &HeaderMap::new(), b"{}", start);
    }
    assert!(matches!(
        state.decide(&route, at(start, 1)),
        Decision::Refuse(Refusal::TooManyInvalid { count: 3, .. })
    ));
    go(&mut state, &route, at(start, 10_000));
}

#[test]
fn after_a_401_nothing_more_is_sent() {
    let start = Instant::now();
    let mut state = State::new(Limits::default());
    let route = Route::of("GET", "users/@me");
    let permit = go(&mut state, &route, start);
    state.complete(permit, 401, &HeaderMap::new(), b"{}", start);
    assert!(matches!(
        state.decide(&Route::of("GET", "guilds/1"), start),
        Decision::Refuse(Refusal::TokenRejected)
    ));
}

#[test]
fn an_abandoned_request_frees_its_place() {
    let start = Instant::now();
    let mut state = State::new(Limits::default());
    let route = Route::of("POST", "guilds/1/roles");
    let permit = go(&mut state, &route, start);
    assert!(matches!(
        state.decide(&route, start),
        Decision::WaitForAnswer
    ));
    state.abandon(permit, start);
    go(&mut state, &route, start);
}
