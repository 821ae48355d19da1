//! The invariant behind every real server's layout: **whatever a successful apply creates, the
//! next plan can read and shows no changes.** Checked over random files with names repeated
//! across categories, text and announcement twins, and bots' roles in overwrites, on guilds
//! that are empty or already hold channels of the same names, through the library against the
//! in-process emulator.

mod common;

use std::fmt::Write as _;

use common::library::{Guild, described, desired};
use miyabi_guild::emulator::GuildState;
use miyabi_guild::emulator::state::Channel;
use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};
use serde_json::json;

const NAMES: &[&str] = &["general", "news", "lounge"];
const CATEGORIES: &[&str] = &["Team A", "Team B", "Team C"];
const KINDS: &[&str] = &["text", "announcement", "voice", "stage", "forum"];
/// Bots already in the guild, whose roles the file names in overwrites.
const BOTS: &[&str] = &["carl-bot", "ci-bot"];

/// One channel of the file: name, kind and overwrites (indexes into the pools).
#[derive(Clone, Debug)]
struct Channel0 {
    name: usize,
    kind: usize,
    /// 0: none (synced in a category), 1: hidden from @everyone and shown to a role, 2: shown
    /// to a bot's role.
    overwrites: usize,
}

#[derive(Clone, Debug)]
struct Spec {
    roles: usize,
    top: Vec<Channel0>,
    /// (category, its channels); category indexes are made unique.
    categories: Vec<(usize, Vec<Channel0>)>,
    /// Channels already in the guild: name, kind, category (an index into `CATEGORIES`, which
    /// also exist live when used).
    existing: Vec<(usize, usize, Option<usize>)>,
}

fn channel() -> impl Strategy<Value = Channel0> {
    (0..NAMES.len(), 0..KINDS.len(), 0..3usize).prop_map(|(name, kind, overwrites)| Channel0 {
        name,
        kind,
        overwrites,
    })
}

fn spec() -> impl Strategy<Value = Spec> {
    (
        0..3usize,
        proptest::collection::vec(channel(), 0..3),
        proptest::collection::vec(
            (
                0..CATEGORIES.len(),
                proptest::collection::vec(channel(), 0..5),
            ),
            0..4,
        ),
        proptest::collection::vec(
            (
                0..NAMES.len(),
                0..KINDS.len(),
                proptest::option::of(0..CATEGORIES.len()),
            ),
            0..4,
        ),
    )
        .prop_map(|(roles, top, categories, existing)| Spec {
            roles,
            top,
            categories,
            existing,
        })
}

/// A valid file: names unique per kind within a category, categories unique.
fn file(spec: &Spec) -> String {
    let mut text = String::new();
    for role in 0..spec.roles {
        writeln!(
            text,
            "[[roles]]\nkey = \"r{role}\"\nname = \"Role {role}\"\n"
        )
        .unwrap();
    }
    let write_channels = |header: &str, channels: &[Channel0], text: &mut String| {
        let mut seen: Vec<(usize, usize)> = Vec::new();
        // Text-like first, as Discord shows them.
        let mut ordered: Vec<&Channel0> = channels.iter().collect();
        ordered.sort_by_key(|c| matches!(KINDS[c.kind], "voice" | "stage"));
        for channel in ordered {
            if seen.contains(&(channel.name, channel.kind)) {
                continue;
            }
            seen.push((channel.name, channel.kind));
            writeln!(
                text,
                "[[{header}]]\nname = \"{}\"\ntype = \"{}\"",
                NAMES[channel.name], KINDS[channel.kind]
            )
            .unwrap();
            match channel.overwrites {
                1 if spec.roles > 0 => writeln!(
                    text,
                    "overwrites = [{{ role = \"everyone\", deny = [\"view_channel\"] }}, {{ role = \"r0\", allow = [\"view_channel\"] }}]"
                )
                .unwrap(),
                1 => writeln!(
                    text,
                    "overwrites = [{{ role = \"everyone\", deny = [\"view_channel\"] }}]"
                )
                .unwrap(),
                2 => writeln!(
                    text,
                    "overwrites = [{{ role = \"@{}\", allow = [\"view_channel\", \"send_messages\"] }}]",
                    BOTS[channel.name % BOTS.len()]
                )
                .unwrap(),
                _ => {}
            }
            text.push('\n');
        }
    };
    write_channels("channels", &spec.top, &mut text);
    let mut categories: Vec<usize> = Vec::new();
    for (category, channels) in &spec.categories {
        if categories.contains(category) {
            continue;
        }
        categories.push(*category);
        writeln!(
            text,
            "[[categories]]\nname = \"{}\"\n",
            CATEGORIES[*category]
        )
        .unwrap();
        write_channels("categories.channels", channels, &mut text);
    }
    text
}

/// A Community guild (announcement and stage channels need it) holding `spec.existing`.
fn guild(spec: &Spec) -> GuildState {
    let mut state = GuildState::new_empty("Layouts");
    state.guild.features = vec!["COMMUNITY".to_owned(), "NEWS".to_owned()];
    for bot in BOTS {
        common::add_bot(&mut state, bot, "0");
    }
    let mut categories: Vec<(usize, u64)> = Vec::new();
    let mut seen: Vec<(usize, usize, Option<usize>)> = Vec::new();
    for (name, kind, category) in &spec.existing {
        // Two live channels of one kind and name in one place cannot be told apart by anyone.
        if seen.contains(&(*name, *kind, *category)) {
            continue;
        }
        seen.push((*name, *kind, *category));
        let parent = category.map(|category| {
            if let Some((_, id)) = categories.iter().find(|(c, _)| *c == category) {
                return *id;
            }
            let id = state.next_id();
            state.channels.push(
                serde_json::from_value::<Channel>(
                    json!({ "id": id, "type": 4, "name": CATEGORIES[category], "position": category }),
                )
                .unwrap(),
            );
            categories.push((category, id));
            id
        });
        let id = state.next_id();
        let discord_type = match KINDS[*kind] {
            "text" => 0,
            "voice" => 2,
            "announcement" => 5,
            "stage" => 13,
            _ => 15,
        };
        state.channels.push(
            serde_json::from_value::<Channel>(json!({
                "id": id, "type": discord_type, "name": NAMES[*name], "position": seen.len(),
                "parent_id": parent,
            }))
            .unwrap(),
        );
    }
    state.normalise();
    state
}

async fn case(spec: Spec) {
    let text = file(&spec);
    let file = desired(&text);
    let guild = Guild::start(guild(&spec)).await;
    guild.apply(&file).await;
    let plan = guild.plan(&file).await;
    assert!(
        plan.is_empty(),
        "not converged:\n{}\n---- file ----\n{text}\n---- guild ----\n{:?}",
        described(&plan),
        spec.existing
    );
}

#[test]
fn whatever_an_apply_creates_the_next_plan_reads_without_changes() {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let config = Config {
        cases: 1000,
        max_shrink_iters: 200,
        failure_persistence: None,
        ..Config::default()
    };
    let mut runner = TestRunner::new(config);
    let result = runner.run(&spec(), |spec| {
        runtime.block_on(case(spec));
        Ok(())
    });
    if let Err(error) = result {
        panic!("{error}");
    }
}
