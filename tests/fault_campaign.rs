//! A fault campaign: 1,000 seeded cases of (file, live guild, faults) through the library
//! against the in-process emulator. Faults: 429s of every scope (with and without headers),
//! 500s before the write is applied, answers lost after it was (a 500, or a gateway's HTML
//! page), gateway pages before it, on random write routes. Each case applies, reruns until an
//! apply succeeds (at most four runs), and asserts:
//!
//! - converged: after the successful apply, a plan shows no changes (an apply never reports
//!   success on an unconverged guild);
//! - no duplicates: no two roles, and no two channels of one kind in one category, share a name;
//! - nothing the file did not delete has gone: every live object of the start is still there.
//!
//! The figures (cases, faults by kind, reruns needed) are printed.

mod common;

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::sync::Mutex;

use common::library::Guild;
use miyabi_guild::apply::{self, Assets, Interrupt, Silent};
use miyabi_guild::config::{self, Source};
use miyabi_guild::emulator::{Fault, GuildState, RateLimitScope};
use miyabi_guild::model::DesiredGuild;
use proptest::prelude::*;
use proptest::test_runner::{Config, RngAlgorithm, TestRng, TestRunner};
use serde_json::{Value, json};

const CASES: u32 = 1_000;
const RUNS: usize = 4;
const ROLE_NAMES: &[&str] = &["Admin", "Mod", "Member", "Bot Friend"];
const CHANNEL_NAMES: &[&str] = &["general", "rules", "help", "lounge", "news"];
const CATEGORY_NAMES: &[&str] = &["Info", "Talk"];
/// Write routes of the emulator that a plan for these files uses.
const ROUTES: &[(&str, &str)] = &[
    ("POST", "/guilds/{guild_id}/roles"),
    ("PATCH", "/guilds/{guild_id}/roles/{role_id}"),
    ("PATCH", "/guilds/{guild_id}/roles"),
    ("POST", "/guilds/{guild_id}/channels"),
    ("PATCH", "/channels/{channel_id}"),
    ("PATCH", "/guilds/{guild_id}/channels"),
    ("DELETE", "/channels/{channel_id}"),
];

#[derive(Clone, Debug)]
struct Case {
    /// Roles the file declares (indexes into `ROLE_NAMES`, deduplicated).
    roles: Vec<usize>,
    /// Channels the file declares: (name, voice?, category).
    channels: Vec<(usize, bool, Option<usize>)>,
    /// Live roles and channels at the start (some the file declares, some it does not).
    live_roles: Vec<(usize, u64)>,
    live_channels: Vec<(usize, bool)>,
    /// The file prunes channels (so live channels it does not declare are deleted).
    prune: bool,
    faults: Vec<(usize, u8, u8)>,
}

fn case() -> impl Strategy<Value = Case> {
    (
        proptest::collection::vec(0..ROLE_NAMES.len(), 0..4),
        proptest::collection::vec(
            (
                0..CHANNEL_NAMES.len(),
                any::<bool>(),
                proptest::option::of(0..CATEGORY_NAMES.len()),
            ),
            0..5,
        ),
        proptest::collection::vec((0..ROLE_NAMES.len(), 0u64..4), 0..3),
        proptest::collection::vec((0..CHANNEL_NAMES.len(), any::<bool>()), 0..3),
        any::<bool>(),
        proptest::collection::vec((0..ROUTES.len(), 0u8..6, 0u8..4), 1..4),
    )
        .prop_map(
            |(roles, channels, live_roles, live_channels, prune, faults)| Case {
                roles,
                channels,
                live_roles,
                live_channels,
                prune,
                faults,
            },
        )
}

/// The file of a case: valid by construction (names unique per kind and category).
fn file(case: &Case) -> String {
    let mut text = String::new();
    if case.prune {
        text.push_str("[prune]\nchannels = true\n\n");
    }
    let mut roles = case.roles.clone();
    roles.sort_unstable();
    roles.dedup();
    for role in &roles {
        writeln!(
            text,
            "[[roles]]\nkey = \"r{role}\"\nname = \"{}\"\npermissions = [\"send_messages\"]\n",
            ROLE_NAMES[*role]
        )
        .unwrap();
    }
    let overwrite = roles.first().map_or_else(String::new, |role| {
        format!(
            "overwrites = [{{ role = \"everyone\", deny = [\"view_channel\"] }}, {{ role = \"r{role}\", allow = [\"view_channel\"] }}]\n"
        )
    });
    let mut seen: Vec<(usize, bool)> = Vec::new();
    let mut categories: BTreeMap<usize, Vec<String>> = BTreeMap::new();
    for (index, (name, voice, category)) in case.channels.iter().enumerate() {
        if seen.contains(&(*name, *voice)) {
            continue;
        }
        seen.push((*name, *voice));
        let mut entry = format!("name = \"{}\"\n", CHANNEL_NAMES[*name]);
        if *voice {
            entry.push_str("type = \"voice\"\n");
        }
        if index % 2 == 0 {
            entry.push_str(&overwrite);
        }
        match category {
            None => writeln!(text, "[[channels]]\n{entry}").unwrap(),
            Some(category) => categories.entry(*category).or_default().push(entry),
        }
    }
    for (category, entries) in categories {
        writeln!(
            text,
            "[[categories]]\nname = \"{}\"\n",
            CATEGORY_NAMES[category]
        )
        .unwrap();
        for entry in entries {
            writeln!(text, "[[categories.channels]]\n{entry}").unwrap();
        }
    }
    text
}

/// The live guild of a case, in the emulator's state format.
fn state(case: &Case) -> GuildState {
    let mut value: Value =
        serde_json::from_str(&GuildState::new_empty("Campaign").to_json()).unwrap();
    let mut seen = Vec::new();
    for (index, (role, permissions)) in case.live_roles.iter().enumerate() {
        if seen.contains(role) {
            continue;
        }
        seen.push(*role);
        value["roles"].as_array_mut().unwrap().push(json!({
            "id": (1_300_000_000_000_000_100u64 + index as u64).to_string(),
            "name": ROLE_NAMES[*role],
            "permissions": (permissions * 1024).to_string(),
            "position": 1,
        }));
    }
    let mut seen = Vec::new();
    for (index, (channel, voice)) in case.live_channels.iter().enumerate() {
        if seen.contains(&(*channel, *voice)) {
            continue;
        }
        seen.push((*channel, *voice));
        value["channels"].as_array_mut().unwrap().push(json!({
            "id": (1_300_000_000_000_000_200u64 + index as u64).to_string(),
            "type": if *voice { 2 } else { 0 },
            "name": CHANNEL_NAMES[*channel],
            "position": index,
        }));
    }
    GuildState::from_json(&value.to_string()).unwrap()
}

fn fault(route: usize, kind: u8, detail: u8) -> (Fault, &'static str) {
    let (method, route) = ROUTES[route];
    let (method, route) = (method.to_owned(), route.to_owned());
    let retry_after = f64::from(detail) * 0.004;
    match kind {
        0 => (
            Fault::LoseAnswer { method, route },
            "answer lost after the write (500)",
        ),
        1 => (
            Fault::Fail {
                method,
                route,
                status: 500,
            },
            "500 before the write",
        ),
        2 => (
            Fault::GatewayPage {
                method,
                route,
                status: 502,
                applied: detail.is_multiple_of(2),
            },
            if detail.is_multiple_of(2) {
                "gateway page after the write"
            } else {
                "gateway page before the write"
            },
        ),
        _ => {
            let scope = match detail {
                0 => None,
                1 => Some(RateLimitScope::User),
                2 => Some(RateLimitScope::Shared),
                _ => Some(RateLimitScope::Global),
            };
            let label = match scope {
                None => "429 without rate-limit headers",
                Some(RateLimitScope::User) => "429 user",
                Some(RateLimitScope::Shared) => "429 shared",
                Some(RateLimitScope::Global) => "429 global",
            };
            (
                Fault::RateLimited {
                    method,
                    route,
                    scope,
                    retry_after,
                    always: false,
                },
                label,
            )
        }
    }
}

fn desired(text: &str) -> DesiredGuild {
    match config::parse(Source::new("case.toml", text)) {
        Ok(loaded) => loaded.desired,
        Err((_, diagnostics)) => panic!(
            "a generated file is invalid: {}\n{text}",
            diagnostics
                .iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join("\n")
        ),
    }
}

struct Figures {
    cases: u32,
    faults: BTreeMap<&'static str, u32>,
    runs_needed: BTreeMap<usize, u32>,
}

/// Names that appear twice among live roles, or among channels of one kind and category.
fn duplicates(state: &GuildState) -> Vec<String> {
    let mut seen: Vec<String> = Vec::new();
    let mut twice = Vec::new();
    let roles = state.roles.iter().map(|role| format!("role {}", role.name));
    let channels = state.channels.iter().map(|channel| {
        format!(
            "channel {} type {} in {:?}",
            channel.name, channel.kind, channel.parent_id
        )
    });
    for key in roles.chain(channels) {
        if seen.contains(&key) {
            twice.push(key);
        } else {
            seen.push(key);
        }
    }
    twice
}

async fn run_case(case: &Case, figures: &Mutex<Figures>) -> Result<(), String> {
    let text = file(case);
    let desired = desired(&text);
    let guild = Guild::start(state(case)).await;
    let (emulator, discord) = (&guild.emulator, &guild.discord);
    let start = emulator.state();
    for (route, kind, detail) in &case.faults {
        let (fault, label) = fault(*route, *kind, *detail);
        emulator.inject(fault);
        *figures.lock().unwrap().faults.entry(label).or_default() += 1;
    }
    let mut succeeded_after = None;
    for run in 1..=RUNS {
        let Ok(planned) = guild.try_plan(&desired).await else {
            // A read hit a fault: the next run reads again.
            continue;
        };
        let report = apply::execute(
            discord,
            &planned,
            &Assets::of(&desired),
            apply::Options::default(),
            &Silent,
            &Interrupt::never(),
        )
        .await;
        if report.succeeded() {
            succeeded_after = Some(run);
            break;
        }
    }
    let Some(runs) = succeeded_after else {
        return Err(format!("no apply succeeded in {RUNS} runs\n{text}"));
    };
    *figures.lock().unwrap().runs_needed.entry(runs).or_default() += 1;
    let again = guild.try_plan(&desired).await?;
    if !again.is_empty() {
        return Err(format!(
            "an apply succeeded on an unconverged guild: {:?}\n{text}",
            again
                .changes
                .iter()
                .map(|c| c.describe())
                .collect::<Vec<_>>()
        ));
    }
    let end = emulator.state();
    let twice = duplicates(&end);
    if !twice.is_empty() {
        return Err(format!("duplicates: {twice:?}\n{text}"));
    }
    for role in &start.roles {
        if !end.roles.iter().any(|r| r.id == role.id) {
            return Err(format!("role {} is gone\n{text}", role.name));
        }
    }
    for channel in &start.channels {
        let declared = desired
            .channels
            .iter()
            .any(|c| c.name == channel.name && c.kind.discord_type() == channel.kind);
        if !end.channels.iter().any(|c| c.id == channel.id) && (declared || !case.prune) {
            return Err(format!("channel {} is gone\n{text}", channel.name));
        }
    }
    Ok(())
}

#[test]
fn a_thousand_faulty_applies_converge_without_duplicates_or_losses() {
    let _ = rustls::crypto::ring::default_provider().install_default();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let figures = Mutex::new(Figures {
        cases: 0,
        faults: BTreeMap::new(),
        runs_needed: BTreeMap::new(),
    });
    let config = Config {
        cases: CASES,
        failure_persistence: None,
        ..Config::default()
    };
    let rng = TestRng::from_seed(RngAlgorithm::ChaCha, &[7; 32]);
    let mut runner = TestRunner::new_with_rng(config, rng);
    let result = runner.run(&case(), |case| {
        figures.lock().unwrap().cases += 1;
        runtime
            .block_on(run_case(&case, &figures))
            .map_err(TestCaseError::fail)
    });
    let figures = figures.into_inner().unwrap();
    println!(
        "fault campaign: {} cases; faults: {}; apply runs needed: {}",
        figures.cases,
        figures
            .faults
            .iter()
            .map(|(kind, count)| format!("{count} {kind}"))
            .collect::<Vec<_>>()
            .join(", "),
        figures
            .runs_needed
            .iter()
            .map(|(runs, count)| format!("{count} after {runs}"))
            .collect::<Vec<_>>()
            .join(", ")
    );
    if let Err(error) = result {
        panic!("{error}");
    }
    assert!(figures.cases >= CASES);
}
