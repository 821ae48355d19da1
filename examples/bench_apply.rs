//! How fast an apply runs against Discord's rate limits, next to the fastest they allow.
//!
//! `cargo run --release --example bench_apply [-- --latency-ms 50 --parallel 8]`
//!
//! For the Miyabi `server.toml` and a generated file of 200 channels and 20 roles, each on an
//! empty guild of the emulator's Discord profile (Discord's per-route limits and global 50 per
//! second, `--latency-ms` before every answer, 50 by default: a CI runner's round trip to
//! Discord): the time from the first read to the last write, the requests, the most in flight,
//! the 429s, and the lower bound the limits set. The bound is the busiest bucket's: a bucket
//! that got `n` requests with `limit` per `window` needs `(⌈n / limit⌉ − 1) × window` plus one
//! round trip, and the global limit counts as a bucket holding every request (50 per second).
//! It ignores the round trips of changes that must wait for each other (a channel for its
//! category), so a ratio near 1 means the limits, not the tool, set the pace.

#[path = "../benches/support/mod.rs"]
mod support;

use std::collections::HashMap;
use std::time::{Duration, Instant};

use miyabi_guild::apply::Options;
use miyabi_guild::config::Loaded;
use miyabi_guild::emulator::{EmulatorConfig, RateLimits, RecordedRequest, RequestsExt};

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let _ = rustls::crypto::ring::default_provider().install_default();
    let mut latency = Duration::from_millis(50);
    let mut parallel = Options::default().parallel;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let value = args.next().unwrap_or_default();
        match arg.as_str() {
            "--latency-ms" => latency = Duration::from_millis(value.parse()?),
            "--parallel" => parallel = value.parse()?,
            other => anyhow::bail!("unknown argument {other}"),
        }
    }
    let miyabi = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("server.toml");
    let files = [
        ("server.toml (Miyabi)", miyabi_guild::config::load(&miyabi)?),
        (
            "generated, 200 channels",
            support::parse(support::server_toml(200, 20, false)),
        ),
    ];
    println!(
        "Discord profile, {} ms per answer, --parallel {parallel}",
        latency.as_millis()
    );
    for (label, loaded) in files {
        bench(label, &loaded, latency, parallel).await?;
    }
    Ok(())
}

async fn bench(
    label: &str,
    loaded: &Loaded,
    latency: Duration,
    parallel: usize,
) -> anyhow::Result<()> {
    let config = EmulatorConfig {
        rate_limits: RateLimits::discord(),
        latency,
        ..EmulatorConfig::default()
    };
    let (emulator, discord, guild) = support::empty_guild(config.clone()).await;
    let started = Instant::now();
    let (plan, report) =
        support::plan_and_apply(&discord, guild, loaded, Options { parallel }).await;
    let measured = started.elapsed();
    if let Some((change, error)) = &report.failed {
        anyhow::bail!("{label}: {} failed: {error}", change.describe());
    }
    let requests = emulator.requests();
    let (bound, busiest) = lower_bound(&config.rate_limits, &requests, latency);

    let scope = miyabi_guild::live::Scope::of(&loaded.desired);
    let again = miyabi_guild::live::fetch(&discord, guild, &scope).await?;
    let rerun = miyabi_guild::diff::plan(&loaded.desired, &again, jiff::Timestamp::now())
        .map_err(|errors| anyhow::anyhow!("{errors:?}"))?;
    println!(
        "{label}: {} changes, {} requests ({} writes), at most {} in flight, {} answered 429, {} into an exhausted bucket; {:.2} s, bound {:.2} s ({busiest}): {:.2}x; then {} changes left",
        plan.changes.len(),
        requests.len(),
        requests.writes(),
        requests.max_in_flight(),
        requests.rate_limited(),
        requests.sent_into_exhausted(),
        measured.as_secs_f64(),
        bound.as_secs_f64(),
        measured.as_secs_f64() / bound.as_secs_f64(),
        rerun.changes.len(),
    );
    emulator.shutdown().await;
    Ok(())
}

/// The busiest bucket's time: `(⌈n / limit⌉ − 1) × window + round trip`, the global limit
/// counted as one bucket of every request.
fn lower_bound(
    limits: &RateLimits,
    requests: &[RecordedRequest],
    round_trip: Duration,
) -> (Duration, String) {
    let windows = |count: usize, limit: u32, window: Duration| {
        window * (count.div_ceil(limit as usize).saturating_sub(1) as u32)
    };
    let mut busiest = (
        windows(requests.len(), 50, Duration::from_secs(1)),
        format!("global: {} requests, 50 per second", requests.len()),
    );
    let mut buckets: HashMap<(String, String), (usize, u32, Duration)> = HashMap::new();
    for request in requests {
        if let Some((name, limit, window)) = limits.bucket_of(&request.route) {
            let entry = buckets
                .entry((name, resource(&request.path)))
                .or_insert((0, limit, window));
            entry.0 += 1;
        }
    }
    for ((name, _), (count, limit, window)) in buckets {
        let time = windows(count, limit, window);
        if time > busiest.0 {
            busiest = (
                time,
                format!("{name}: {count} requests, {limit} per {window:?}"),
            );
        }
    }
    (busiest.0 + round_trip, busiest.1)
}

/// `guilds/123` of `/api/v10/guilds/123/roles`: the top-level resource a bucket is counted for.
fn resource(path: &str) -> String {
    let mut segments = path.trim_start_matches("/api/v10/").split('/');
    match (segments.next(), segments.next()) {
        (Some(kind @ ("guilds" | "channels" | "webhooks")), Some(id)) => format!("{kind}/{id}"),
        _ => String::new(),
    }
}
