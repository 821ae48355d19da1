//! Answers the tool must not trust blindly: lost answers of every kind of create recovered in
//! the same run, gateway pages, writes whose answer does not hold what was sent, guild answers
//! Discord would never send, and an import that degrades per feature.

mod common;

use common::{assert_converged, repo, run, start, with_members_of, workspace};
use miyabi_guild::emulator::{Fault, GuildState, RequestsExt};
use serde_json::{Value, json};

fn lose(method: &str, route: &str) -> Fault {
    Fault::LoseAnswer {
        method: method.into(),
        route: route.into(),
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_lost_answer_of_every_kind_of_create_is_recovered_in_the_same_run() {
    let file = repo().join("server.toml");
    let dir = workspace(&file);
    let emulator = start(with_members_of(GuildState::new_empty("Lost"), &file)).await;
    for (method, route) in [
        ("POST", "/guilds/{guild_id}/roles"),
        ("POST", "/guilds/{guild_id}/channels"),
        ("POST", "/guilds/{guild_id}/auto-moderation/rules"),
        ("POST", "/guilds/{guild_id}/scheduled-events"),
        ("POST", "/channels/{channel_id}/webhooks"),
        ("POST", "/channels/{channel_id}/messages"),
    ] {
        emulator.inject(lose(method, route));
    }
    let apply = run(dir.path(), Some(&emulator), &["apply", "--auto-approve"]).await;
    assert_eq!(apply.code, 0, "{}\n{}", apply.stdout, apply.stderr);
    assert_eq!(
        apply.stdout.matches("found after a lost answer").count(),
        6,
        "{}",
        apply.stdout
    );
    let state = emulator.state();
    let mut names: Vec<String> = state
        .auto_moderation_rules
        .iter()
        .map(|rule| rule.name.clone())
        .chain(
            state
                .scheduled_events
                .iter()
                .map(|event| event.name.clone()),
        )
        .chain(state.webhooks.iter().map(|hook| hook.name.clone()))
        .collect();
    let total = names.len();
    names.sort();
    names.dedup();
    assert_eq!(names.len(), total, "a duplicate was created: {names:?}");
    assert_converged(dir.path(), &emulator).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_gateway_page_is_discord_unavailable_and_a_rerun_finishes() {
    let file = repo().join("examples/small-open-source.toml");
    let dir = workspace(&file);
    let emulator = start(GuildState::new_empty("Gateway")).await;
    // A create applied but answered with Cloudflare's page: looked up, not created twice.
    emulator.inject(Fault::GatewayPage {
        method: "POST".into(),
        route: "/guilds/{guild_id}/roles".into(),
        status: 502,
        applied: true,
    });
    // A write never applied, answered 503 with a page: the apply stops, the hint says why.
    emulator.inject(Fault::GatewayPage {
        method: "POST".into(),
        route: "/guilds/{guild_id}/channels".into(),
        status: 503,
        applied: false,
    });
    emulator.inject(Fault::GatewayPage {
        method: "POST".into(),
        route: "/guilds/{guild_id}/channels".into(),
        status: 503,
        applied: false,
    });
    // One write at a time: both injected 503s hit the same channel create and its retry.
    let first = run(
        dir.path(),
        Some(&emulator),
        &["apply", "--auto-approve", "--parallel", "1"],
    )
    .await;
    assert_eq!(first.code, 1, "{}\n{}", first.stdout, first.stderr);
    assert!(
        first.stdout.contains("found after a lost answer"),
        "{}",
        first.stdout
    );
    assert!(
        first.stderr.contains("Discord is unavailable"),
        "{}",
        first.stderr
    );
    assert!(
        !first.stderr.contains("<html"),
        "the page is not printed: {}",
        first.stderr
    );
    assert!(!first.stderr.contains("bug"), "{}", first.stderr);
    assert!(
        first.stderr.contains("run the command again"),
        "{}",
        first.stderr
    );
    let rerun = run(dir.path(), Some(&emulator), &["apply", "--auto-approve"]).await;
    assert_eq!(rerun.code, 0, "{}\n{}", rerun.stdout, rerun.stderr);
    assert_converged(dir.path(), &emulator).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_write_whose_answer_does_not_hold_what_was_sent_stops_the_apply() {
    let file = repo().join("examples/small-open-source.toml");
    let dir = workspace(&file);
    let emulator = start(GuildState::new_empty("Forgetful")).await;
    emulator.inject(Fault::Tamper {
        method: "POST".into(),
        route: "/guilds/{guild_id}/roles".into(),
        field: "permissions".into(),
        value: json!("0"),
    });
    let apply = run(dir.path(), Some(&emulator), &["apply", "--auto-approve"]).await;
    assert_eq!(apply.code, 1, "{}\n{}", apply.stdout, apply.stderr);
    assert!(
        apply.stdout.contains("Apply incomplete"),
        "{}",
        apply.stdout
    );
    assert!(!apply.stdout.contains("Apply complete"), "{}", apply.stdout);
    assert!(
        apply.stderr.contains("Discord answered `permissions: 0`")
            && apply
                .stderr
                .contains("the server did not keep the permissions"),
        "{}",
        apply.stderr
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn guild_answers_discord_would_never_send_stop_before_any_write() {
    let file = repo().join("examples/small-open-source.toml");
    let dir = workspace(&file);
    for (field, value, expected) in [
        (
            "roles",
            json!([]),
            "the API is not behaving like Discord: the guild has no @everyone role",
        ),
        (
            "roles",
            Value::Null,
            "could not read Discord's answer: roles:",
        ),
        (
            "owner_id",
            json!(""),
            "could not read Discord's answer: owner_id:",
        ),
        (
            "id",
            json!("1"),
            "the API is not behaving like Discord: the answer is guild 1",
        ),
    ] {
        let emulator = start(GuildState::new_empty("Odd")).await;
        emulator.inject(Fault::Tamper {
            method: "GET".into(),
            route: "/guilds/{guild_id}".into(),
            field: field.into(),
            value,
        });
        let apply = run(dir.path(), Some(&emulator), &["apply", "--auto-approve"]).await;
        assert_eq!(apply.code, 1, "{field}: {}", apply.stderr);
        assert!(apply.stderr.contains(expected), "{field}: {}", apply.stderr);
        assert!(!apply.stderr.contains("this is a bug"), "{}", apply.stderr);
        assert_eq!(emulator.requests().writes(), 0, "{field}");
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn import_leaves_out_a_part_discord_does_not_serve_and_says_so() {
    let emulator = start(GuildState::new_empty("Partial")).await;
    emulator.inject(Fault::Fail {
        method: "GET".into(),
        route: "/guilds/{guild_id}/onboarding".into(),
        status: 404,
    });
    let dir = tempfile::tempdir().unwrap();
    let import = run(
        dir.path(),
        Some(&emulator),
        &["import", "--out", "server.toml"],
    )
    .await;
    assert_eq!(import.code, 0, "{}", import.stderr);
    assert!(
        import
            .stderr
            .contains("warning: onboarding (Discord answered 404): not imported"),
        "{}",
        import.stderr
    );
    let text = std::fs::read_to_string(dir.path().join("server.toml")).unwrap();
    assert!(
        text.contains("# Not imported: onboarding (Discord answered 404)."),
        "{text}"
    );
    let validate = run(dir.path(), None, &["validate"]).await;
    assert_eq!(validate.code, 0, "{}", validate.stderr);
    assert_converged(dir.path(), &emulator).await;
}
