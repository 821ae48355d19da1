//! Import, then plan against the same guild: no changes. On the hand-built sandbox guild, on the
//! guild `server.toml` produces, and on a large generated guild, through the real binary.

mod common;

use common::{repo, run, sandbox_seed, start, with_members_of, workspace};
use miyabi_guild::emulator::GuildState;
use miyabi_guild::emulator::state::Channel;
use serde_json::json;

/// Imports the guild `emulator` holds into `imported.toml`, then plans it against the same guild.
async fn round_trip(emulator: &miyabi_guild::emulator::Emulator, label: &str) -> String {
    let dir = tempfile::tempdir().unwrap();
    let import = run(
        dir.path(),
        Some(emulator),
        &["import", "--out", "imported.toml"],
    )
    .await;
    assert_eq!(import.code, 0, "{label}: import failed: {}", import.stderr);
    let text = std::fs::read_to_string(dir.path().join("imported.toml")).unwrap();
    // The `#:schema` line resolves where the file was written: import puts the schema beside it.
    assert!(text.starts_with("#:schema ./server.schema.json"), "{label}");
    let schema = std::fs::read_to_string(dir.path().join("server.schema.json")).unwrap();
    assert_eq!(schema, miyabi_guild::config::json_schema(), "{label}");

    // Import writes in fmt's layout.
    let fmt = run(
        dir.path(),
        None,
        &["fmt", "--check", "--config", "imported.toml"],
    )
    .await;
    assert_eq!(
        fmt.code, 0,
        "{label}: import output is not formatted:\n{}",
        fmt.stdout
    );

    emulator.clear_requests();
    let validate = run(dir.path(), None, &["validate", "--config", "imported.toml"]).await;
    assert_eq!(
        validate.code, 0,
        "{label}: the imported file is invalid:\n{}",
        validate.stderr
    );
    let plan = run(
        dir.path(),
        Some(emulator),
        &["plan", "--config", "imported.toml", "--detailed-exitcode"],
    )
    .await;
    assert_eq!(
        plan.code, 0,
        "{label}: importing then planning shows changes:\n{}\n{}",
        plan.stdout, plan.stderr
    );
    assert!(
        emulator.requests().iter().all(|r| r.method == "GET"),
        "{label}: plan wrote something"
    );
    text
}

#[tokio::test(flavor = "multi_thread")]
async fn the_hand_built_sandbox_guild_round_trips() {
    let emulator = start(sandbox_seed()).await;
    let text = round_trip(&emulator, "sandbox guild").await;
    insta::assert_snapshot!("import_sandbox_guild", common::filter(&text));
}

#[tokio::test(flavor = "multi_thread")]
async fn the_guild_server_toml_produces_round_trips() {
    let file = repo().join("server.toml");
    let emulator = start(with_members_of(GuildState::new_empty("Fresh"), &file)).await;
    let dir = workspace(&file);
    let apply = run(dir.path(), Some(&emulator), &["apply", "--auto-approve"]).await;
    assert_eq!(apply.code, 0, "{}", apply.stderr);
    let text = round_trip(&emulator, "guild made by server.toml").await;
    // The bot's posted messages are imported too, into files beside the output.
    assert_eq!(text.matches("[[messages]]").count(), 2, "{text}");
}

#[tokio::test(flavor = "multi_thread")]
async fn every_example_round_trips_after_apply() {
    for entry in std::fs::read_dir(repo().join("examples")).unwrap() {
        let file = entry.unwrap().path();
        if file.extension().is_none_or(|ext| ext != "toml") {
            continue;
        }
        let emulator = start(with_members_of(GuildState::new_empty("Example"), &file)).await;
        let dir = workspace(&file);
        let apply = run(dir.path(), Some(&emulator), &["apply", "--auto-approve"]).await;
        assert_eq!(apply.code, 0, "{}: {}", file.display(), apply.stderr);
        round_trip(&emulator, &file.display().to_string()).await;
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_large_generated_guild_round_trips() {
    let mut state = GuildState::new_empty("Large");
    let everyone = state.guild_id();
    let mut role_ids = Vec::new();
    for r in 0..40 {
        let id = state.next_id();
        role_ids.push(id);
        state.roles.push(
            serde_json::from_value(json!({
                "id": id, "name": format!("Role {r}"), "permissions": ((r * 7919) % 4096).to_string(),
                "position": 40 - r, "color": (r * 40503) % 0xFFFFFF, "hoist": r % 3 == 0, "mentionable": r % 5 == 0
            }))
            .unwrap(),
        );
    }
    for c in 0..10 {
        let category = state.next_id();
        let role = role_ids[c % role_ids.len()];
        state.channels.push(
            serde_json::from_value::<Channel>(json!({
                "id": category, "type": 4, "name": format!("Area {c}"), "position": c,
                "permission_overwrites": [
                    { "id": everyone, "type": 0, "allow": "0", "deny": "1024" },
                    { "id": role, "type": 0, "allow": "1024", "deny": "0" }
                ]
            }))
            .unwrap(),
        );
        for n in 0..45 {
            let id = state.next_id();
            let (kind, overwrites) = match n % 5 {
                // Synced with the category.
                0 | 1 => (
                    0,
                    json!([
                        { "id": everyone, "type": 0, "allow": "0", "deny": "1024" },
                        { "id": role, "type": 0, "allow": "1024", "deny": "0" }
                    ]),
                ),
                // Its own overwrites.
                2 => (
                    0,
                    json!([{ "id": role_ids[(c + n) % role_ids.len()], "type": 0, "allow": "2048", "deny": "0" }]),
                ),
                // None at all under a category that has some.
                3 => (2, json!([])),
                _ => (
                    0,
                    json!([{ "id": everyone, "type": 0, "allow": "0", "deny": "2048" }]),
                ),
            };
            state.channels.push(
                serde_json::from_value::<Channel>(json!({
                    "id": id, "type": kind, "name": format!("room-{c}-{n}"), "position": n, "parent_id": category,
                    "topic": if kind == 0 { json!(format!("Topic {c}/{n}")) } else { json!(null) },
                    "rate_limit_per_user": (n % 3) * 5,
                    "permission_overwrites": overwrites
                }))
                .unwrap(),
            );
        }
    }
    state.normalise();
    let emulator = start(state).await;
    assert!(emulator.state().channels().len() >= 450);
    round_trip(&emulator, "large generated guild").await;
}
