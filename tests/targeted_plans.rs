//! `plan --target` and `apply --target`: a plan limited to some objects and what they need,
//! through the real binary against the emulator (the sandbox guild, the Miyabi server file).

mod common;

use common::{repo, run, sandbox_seed, start, workspace};
use miyabi_guild::emulator::RequestsExt;

const TARGETS: [&str; 4] = ["--target", "channel:#welcome", "--target", "role:moderator"];

fn with<'a>(command: &[&'a str], extra: &[&'a str]) -> Vec<&'a str> {
    let mut args = command.to_vec();
    args.extend_from_slice(extra);
    args
}

fn json(text: &str) -> serde_json::Value {
    serde_json::from_str(text).unwrap_or_else(|error| panic!("{error}: {text}"))
}

/// What each change of a `plan --json` document is, in words.
fn actions(plan: &serde_json::Value) -> Vec<String> {
    plan["changes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|change| {
            let name = change
                .pointer("/key")
                .or_else(|| change.pointer("/after/name"))
                .or_else(|| change.pointer("/channel/name"))
                .and_then(|name| name.as_str())
                .unwrap_or("");
            format!("{} {name}", change["action"].as_str().unwrap())
        })
        .collect()
}

#[tokio::test(flavor = "multi_thread")]
async fn a_targeted_plan_shows_and_applies_only_the_targets_and_a_full_plan_still_shows_the_rest() {
    let emulator = start(sandbox_seed()).await;
    let dir = workspace(&repo().join("server.toml"));

    let plan = run(
        dir.path(),
        Some(&emulator),
        &with(&["plan", "--detailed-exitcode"], &TARGETS),
    )
    .await;
    assert_eq!(plan.code, 2, "{}", plan.stderr);
    insta::assert_snapshot!("targeted_plan", plan.snapshot());

    let document = json(
        &run(
            dir.path(),
            Some(&emulator),
            &with(&["plan", "--json"], &TARGETS),
        )
        .await
        .stdout,
    );
    assert_eq!(document["partial"], true);
    assert_eq!(
        document["targets"],
        serde_json::json!(["channel:#welcome", "role:moderator"])
    );
    assert_eq!(
        actions(&document),
        [
            "update_role moderator",
            "update_channel welcome",
            "reorder_roles "
        ]
    );
    let markdown = run(
        dir.path(),
        Some(&emulator),
        &with(&["plan", "--markdown"], &TARGETS),
    )
    .await;
    assert!(
        markdown.stdout.contains(
            "**Partial plan:** only `channel:#welcome`, `role:moderator` and what they need"
        ),
        "{}",
        markdown.stdout
    );
    assert!(
        markdown.stdout.contains("to reorder.** (partial)"),
        "{}",
        markdown.stdout
    );

    emulator.clear_requests();
    let apply = run(
        dir.path(),
        Some(&emulator),
        &with(&["apply", "--auto-approve"], &TARGETS),
    )
    .await;
    assert_eq!(apply.code, 0, "{}", apply.stderr);
    let requests = emulator.requests();
    assert_eq!(requests.writes(), 3, "{requests:#?}");
    assert_eq!(
        requests.count_route("PATCH /guilds/{guild_id}/roles/{role_id}"),
        1
    );
    assert_eq!(requests.count_route("PATCH /channels/{channel_id}"), 1);
    assert_eq!(requests.count_route("PATCH /guilds/{guild_id}/roles"), 1);

    let again = run(
        dir.path(),
        Some(&emulator),
        &with(&["plan", "--detailed-exitcode"], &TARGETS),
    )
    .await;
    assert_eq!(again.code, 0, "{}", again.stdout);
    assert!(
        again
            .stdout
            .contains("No changes. The targeted objects of \"Miyabi (sandbox)\" match the file."),
        "{}",
        again.stdout
    );

    let full = json(
        &run(dir.path(), Some(&emulator), &["plan", "--json"])
            .await
            .stdout,
    );
    assert!(full.get("partial").is_none(), "a full plan is not partial");
    let rest = actions(&full);
    assert!(
        rest.contains(&"create_role contributor".to_owned()),
        "{rest:?}"
    );
    assert!(
        rest.iter().any(|action| action.starts_with("update_guild")),
        "{rest:?}"
    );
    assert!(
        !rest.contains(&"update_role moderator".to_owned()),
        "{rest:?}"
    );
    assert!(
        !rest.contains(&"update_channel welcome".to_owned()),
        "{rest:?}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_new_channel_in_a_new_category_brings_the_category_but_not_its_messages() {
    let emulator = start(sandbox_seed()).await;
    let dir = workspace(&repo().join("server.toml"));
    let target = ["--target", "channel:#events"];
    let document = json(
        &run(
            dir.path(),
            Some(&emulator),
            &with(&["plan", "--json"], &target),
        )
        .await
        .stdout,
    );
    assert_eq!(
        actions(&document),
        [
            "create_channel 🎓 LEARNING & EVENTS",
            "create_channel events"
        ]
    );

    emulator.clear_requests();
    let apply = run(
        dir.path(),
        Some(&emulator),
        &with(&["apply", "--auto-approve"], &target),
    )
    .await;
    assert_eq!(apply.code, 0, "{}", apply.stderr);
    assert_eq!(emulator.requests().writes(), 2);
    let state = emulator.state();
    let category = state
        .channels
        .iter()
        .find(|channel| channel.name == "🎓 LEARNING & EVENTS")
        .expect("the category was created");
    let events = state
        .channels
        .iter()
        .find(|channel| channel.name == "events")
        .expect("the channel was created");
    assert_eq!(events.parent_id, Some(category.id));

    let again = run(
        dir.path(),
        Some(&emulator),
        &with(&["plan", "--detailed-exitcode"], &target),
    )
    .await;
    assert_eq!(again.code, 0, "{}", again.stdout);
}

#[tokio::test(flavor = "multi_thread")]
async fn an_unknown_target_is_a_usage_error_naming_a_close_one() {
    let emulator = start(sandbox_seed()).await;
    let dir = workspace(&repo().join("server.toml"));
    let typo = run(
        dir.path(),
        Some(&emulator),
        &["plan", "--target", "channel:#welcom"],
    )
    .await;
    assert_eq!(typo.code, 1);
    insta::assert_snapshot!("unknown_target", typo.snapshot());
    let kind = run(
        dir.path(),
        Some(&emulator),
        &["apply", "--auto-approve", "--target", "rol:moderator"],
    )
    .await;
    assert_eq!(kind.code, 1);
    assert!(
        kind.stderr.contains("did you mean `role:moderator`?"),
        "{}",
        kind.stderr
    );
    let nothing = run(
        dir.path(),
        Some(&emulator),
        &["plan", "--target", "everything"],
    )
    .await;
    assert_eq!(nothing.code, 1);
    assert!(
        nothing.stderr.contains("a target is one of role:<key>"),
        "{}",
        nothing.stderr
    );
    assert_eq!(emulator.requests().writes(), 0);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_saved_partial_plan_says_so_and_applies() {
    let emulator = start(sandbox_seed()).await;
    let dir = workspace(&repo().join("server.toml"));
    let saved = dir.path().join("plan.json");
    let plan = run(
        dir.path(),
        Some(&emulator),
        &[
            "plan",
            "--target",
            "role:moderator",
            "--out",
            saved.to_str().unwrap(),
        ],
    )
    .await;
    assert_eq!(plan.code, 0, "{}", plan.stderr);
    let text = std::fs::read_to_string(&saved).unwrap();
    let document = json(&text);
    assert_eq!(document["partial"], true);
    assert_eq!(document["targets"], serde_json::json!(["role:moderator"]));

    // The checksum covers the targets.
    let widened = text.replace("\"role:moderator\"", "\"role:admin\"");
    assert_ne!(widened, text);
    let tampered = dir.path().join("tampered.json");
    std::fs::write(&tampered, widened).unwrap();
    let refused = run(
        dir.path(),
        Some(&emulator),
        &["apply", "--auto-approve", tampered.to_str().unwrap()],
    )
    .await;
    assert_eq!(refused.code, 1);
    assert!(
        refused.stderr.contains("checksum does not match"),
        "{}",
        refused.stderr
    );

    let with_target = run(
        dir.path(),
        Some(&emulator),
        &[
            "apply",
            "--auto-approve",
            saved.to_str().unwrap(),
            "--target",
            "role:admin",
        ],
    )
    .await;
    assert_eq!(with_target.code, 1, "{}", with_target.stdout);

    emulator.clear_requests();
    let apply = run(
        dir.path(),
        Some(&emulator),
        &["apply", "--auto-approve", saved.to_str().unwrap()],
    )
    .await;
    assert_eq!(apply.code, 0, "{}", apply.stderr);
    assert!(
        apply
            .stdout
            .contains("Partial plan: only role:moderator and what it needs; the rest of the file is not compared."),
        "{}",
        apply.stdout
    );
    assert_eq!(
        emulator.requests().writes(),
        2,
        "the role's update and the roles' order"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn drift_never_targets() {
    let dir = workspace(&repo().join("server.toml"));
    let drift = run(dir.path(), None, &["drift", "--target", "role:moderator"]).await;
    assert_eq!(drift.code, 1, "{}", drift.stderr);
    assert!(
        drift.stderr.contains("unexpected argument '--target'"),
        "{}",
        drift.stderr
    );
}

/// The category that holds the nine channels of the guard test.
const SMALL: &str = r#"
[[categories]]
name = "CHAT"
"#;

#[tokio::test(flavor = "multi_thread")]
async fn the_change_size_guard_judges_the_partial_plan() {
    let emulator = start(miyabi_guild::emulator::GuildState::new_empty("Guard")).await;
    let dir = tempfile::tempdir().unwrap();
    let names = [
        "general", "random", "memes", "links", "art", "music", "games", "news", "help",
    ];
    let file = |topic: &str| {
        let mut text = SMALL.to_owned();
        for name in names {
            text.push_str(&format!(
                "\n[[categories.channels]]\nname = \"{name}\"\ntopic = \"{topic}\"\n"
            ));
        }
        text
    };
    std::fs::write(dir.path().join("server.toml"), file("old")).unwrap();
    let apply = run(dir.path(), Some(&emulator), &["apply", "--auto-approve"]).await;
    assert_eq!(apply.code, 0, "{}", apply.stderr);

    // Every topic changes: the whole plan is refused without --force, one channel of it is not.
    std::fs::write(dir.path().join("server.toml"), file("new")).unwrap();
    emulator.clear_requests();
    let whole = run(dir.path(), Some(&emulator), &["apply", "--auto-approve"]).await;
    assert_eq!(whole.code, 1, "{}", whole.stdout);
    assert!(whole.stderr.contains("--force"), "{}", whole.stderr);
    assert_eq!(emulator.requests().writes(), 0);
    let one = run(
        dir.path(),
        Some(&emulator),
        &["apply", "--auto-approve", "--target", "channel:#general"],
    )
    .await;
    assert_eq!(one.code, 0, "{}", one.stderr);
    assert_eq!(emulator.requests().writes(), 1);
    let state = emulator.state();
    let topic = |name: &str| {
        state
            .channels
            .iter()
            .find(|channel| channel.name == name)
            .and_then(|channel| channel.topic.clone())
    };
    assert_eq!(topic("general").as_deref(), Some("new"));
    assert_eq!(topic("random").as_deref(), Some("old"));
}
