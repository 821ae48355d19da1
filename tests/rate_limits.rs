//! Applies at the speed of Discord's rate limits, never faster: the real binary against the
//! emulator's Discord profile. Everything is asserted from the emulator's recording (counts,
//! order, and its own clock), never from the test's wall time.

mod common;

use std::time::Duration;

use common::{repo, run, with_members_of, workspace};
use miyabi_guild::emulator::{
    Emulator, EmulatorConfig, Fault, GuildState, RateLimitScope, RateLimits, RecordedRequest,
    RequestsExt,
};

/// Discord's limits with every per-route window 20 times shorter (scheduled-event creation:
/// 5 per 3 s), the global 50 per second, and a round trip of 10 ms so requests overlap.
fn discord() -> EmulatorConfig {
    EmulatorConfig {
        rate_limits: RateLimits::discord().scaled(0.05),
        latency: Duration::from_millis(10),
        ..EmulatorConfig::default()
    }
}

async fn miyabi_on_empty(config: EmulatorConfig) -> (Emulator, tempfile::TempDir) {
    let file = repo().join("server.toml");
    let state = with_members_of(GuildState::new_empty("Miyabi"), &file);
    let emulator = Emulator::start(state, config).await.unwrap();
    (emulator, workspace(&file))
}

fn apply<'a>(extra: &[&'a str]) -> Vec<&'a str> {
    let mut args = vec!["apply", "--auto-approve"];
    args.extend_from_slice(extra);
    args
}

/// The requests on `route`, in the order the emulator handled them.
fn on<'a>(requests: &'a [RecordedRequest], route: &str) -> Vec<&'a RecordedRequest> {
    requests.iter().filter(|r| r.route == route).collect()
}

#[tokio::test(flavor = "multi_thread")]
async fn the_miyabi_file_applies_from_empty_without_a_429_and_with_requests_in_parallel() {
    let (emulator, dir) = miyabi_on_empty(discord()).await;
    let applied = run(dir.path(), Some(&emulator), &apply(&[])).await;
    assert_eq!(applied.code, 0, "{}\n{}", applied.stdout, applied.stderr);
    let requests = emulator.requests();
    assert_eq!(requests.rate_limited(), 0, "{:#?}", limited(&requests));
    assert_eq!(requests.sent_into_exhausted(), 0);
    assert!(
        requests.max_in_flight() > 1,
        "at most {} in flight",
        requests.max_in_flight()
    );
    // Seven events at 5 per window: the last two waited for the next window.
    let events = on(&requests, "POST /guilds/{guild_id}/scheduled-events");
    assert_eq!(events.len(), 7);
    assert!(events[5].at >= events[0].at + Duration::from_secs(3));

    common::assert_converged(dir.path(), &emulator).await;
}

fn limited(requests: &[RecordedRequest]) -> Vec<String> {
    requests
        .iter()
        .filter(|r| r.status == 429)
        .map(|r| format!("{} at {:?}", r.route, r.at))
        .collect()
}

/// A 429 on the first role create (`scope`, or no headers at all), then what came after it.
async fn after_one_429(scope: Option<RateLimitScope>, retry_after: f64) -> Vec<RecordedRequest> {
    let (emulator, dir) = miyabi_on_empty(discord()).await;
    emulator.inject(Fault::RateLimited {
        method: "POST".into(),
        route: "/guilds/{guild_id}/roles".into(),
        scope,
        retry_after,
        always: false,
    });
    let applied = run(dir.path(), Some(&emulator), &apply(&[])).await;
    assert_eq!(applied.code, 0, "{}\n{}", applied.stdout, applied.stderr);
    let requests = emulator.requests();
    assert_eq!(requests.rate_limited(), 1, "{:#?}", limited(&requests));
    assert_eq!(
        requests.sent_into_exhausted(),
        0,
        "nothing went before it was told"
    );
    requests
}

/// The second request on `route` came `retry_after` seconds after the first, or later.
fn waited(requests: &[RecordedRequest], route: &str, retry_after: f64) {
    let on_route = on(requests, route);
    assert_eq!(on_route[0].status, 429);
    let waited = on_route[1].at - on_route[0].at;
    assert!(
        waited >= Duration::from_secs_f64(retry_after),
        "retried after {waited:?}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_429_without_rate_limit_headers_waits_for_its_body() {
    let requests = after_one_429(None, 0.3).await;
    waited(&requests, "POST /guilds/{guild_id}/roles", 0.3);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_retry_after_with_decimals_is_waited_out() {
    let requests = after_one_429(Some(RateLimitScope::User), 0.35).await;
    waited(&requests, "POST /guilds/{guild_id}/roles", 0.35);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_shared_429_is_waited_out() {
    let requests = after_one_429(Some(RateLimitScope::Shared), 0.4).await;
    waited(&requests, "POST /guilds/{guild_id}/roles", 0.4);
}

/// A global 429 holding every request for a second, on the first role create.
async fn held_global_429(parallel: &[&str]) -> (Vec<RecordedRequest>, usize) {
    let (emulator, dir) = miyabi_on_empty(discord()).await;
    emulator.inject(Fault::RateLimited {
        method: "POST".into(),
        route: "/guilds/{guild_id}/roles".into(),
        scope: Some(RateLimitScope::Global),
        retry_after: 1.0,
        always: false,
    });
    let applied = run(dir.path(), Some(&emulator), &apply(parallel)).await;
    assert_eq!(applied.code, 0, "{}\n{}", applied.stdout, applied.stderr);
    let requests = emulator.requests();
    let storm = requests.iter().find(|r| r.status == 429).unwrap().at;
    let during = requests
        .iter()
        .filter(|r| r.at >= storm && r.at < storm + Duration::from_secs(1))
        .count();
    (requests, during)
}

#[tokio::test(flavor = "multi_thread")]
async fn a_held_global_429_stops_every_request_for_its_retry_after() {
    let (requests, during) = held_global_429(&["--parallel", "1"]).await;
    assert!(during <= 2, "{during} requests during the hold");
    assert_eq!(requests.sent_into_exhausted(), 0);
    // Concurrently, only the requests already on their way when the 429 came can arrive.
    let (requests, during) = held_global_429(&[]).await;
    assert!(during <= 1 + 8, "{during} requests during the hold");
    assert!(requests.sent_into_exhausted() <= 8);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_route_that_always_answers_429_stops_the_apply_after_the_retry_cap() {
    let (emulator, dir) = miyabi_on_empty(discord()).await;
    emulator.inject(Fault::RateLimited {
        method: "POST".into(),
        route: "/guilds/{guild_id}/scheduled-events".into(),
        scope: Some(RateLimitScope::User),
        retry_after: 0.05,
        always: true,
    });
    let applied = run(dir.path(), Some(&emulator), &apply(&["--parallel", "1"])).await;
    assert_eq!(applied.code, 1, "{}", applied.stdout);
    assert!(
        applied
            .stdout
            .contains("Apply incomplete: stopped at: create event"),
        "{}",
        applied.stdout
    );
    assert!(
        applied.stderr.contains("rate-limited 5 times in a row"),
        "{}",
        applied.stderr
    );
    assert!(applied.stderr.contains("hint:"), "{}", applied.stderr);
    let requests = emulator.requests();
    let events = on(&requests, "POST /guilds/{guild_id}/scheduled-events");
    assert_eq!(events.len(), 5, "five tries, then the apply stops");
    assert_eq!(requests.sent_into_exhausted(), 0, "each try waited as told");
}
