//! The community's front door and routines end to end: request counts, fields only the raw
//! request builder can send, secrets kept out of every output, posted messages, events.

mod common;

use common::{repo, run, start, with_members_of, workspace};
use miyabi_guild::emulator::state::Message;
use miyabi_guild::emulator::{GuildState, RequestsExt};
use serde_json::json;

async fn miyabi_applied() -> (miyabi_guild::emulator::Emulator, tempfile::TempDir) {
    miyabi_applied_with(&[]).await
}

/// The Miyabi file applied to an empty guild, with `extra` apply arguments.
async fn miyabi_applied_with(
    extra: &[&str],
) -> (miyabi_guild::emulator::Emulator, tempfile::TempDir) {
    let file = repo().join("server.toml");
    let emulator = start(with_members_of(GuildState::new_empty("Miyabi"), &file)).await;
    let dir = workspace(&file);
    let mut args = vec!["apply", "--auto-approve"];
    args.extend_from_slice(extra);
    let apply = run(dir.path(), Some(&emulator), &args).await;
    assert_eq!(apply.code, 0, "{}\n{}", apply.stdout, apply.stderr);
    (emulator, dir)
}

#[tokio::test(flavor = "multi_thread")]
async fn each_feature_costs_one_write_per_object() {
    for parallel in [&["--parallel", "1"][..], &[]] {
        let (emulator, _dir) = miyabi_applied_with(parallel).await;
        one_write_per_object(&emulator);
    }
}

fn one_write_per_object(emulator: &miyabi_guild::emulator::Emulator) {
    let requests = emulator.requests();
    let ok = |route: &str| {
        requests
            .iter()
            .filter(|r| r.route == route && r.is_write())
            .count()
    };
    assert_eq!(ok("PATCH /guilds/{guild_id}/welcome-screen"), 1);
    assert_eq!(ok("PUT /guilds/{guild_id}/onboarding"), 1);
    assert_eq!(ok("POST /guilds/{guild_id}/auto-moderation/rules"), 4);
    assert_eq!(ok("POST /guilds/{guild_id}/scheduled-events"), 7);
    assert_eq!(ok("POST /channels/{channel_id}/webhooks"), 3);
    assert_eq!(
        ok("POST /channels/{channel_id}/messages"),
        7,
        "rules.md is 4 messages, getting-started.md 3"
    );
    let state = emulator.state();
    assert_eq!(state.auto_moderation_rules.len(), 4);
    assert_eq!(state.scheduled_events.len(), 7);
    assert_eq!(state.webhooks.len(), 3);
}

#[tokio::test(flavor = "multi_thread")]
async fn fields_twilight_cannot_send_arrive_at_the_emulator() {
    let (emulator, _dir) = miyabi_applied().await;
    let requests = emulator.requests();
    // Onboarding option emojis go as emoji_name (twilight sends an `emoji` object Discord ignores).
    let onboarding = requests
        .iter()
        .find(|r| r.route == "PUT /guilds/{guild_id}/onboarding")
        .unwrap();
    let option = &onboarding.body.as_ref().unwrap()["prompts"][0]["options"][0];
    assert_eq!(option["emoji_name"], "🤖", "{option}");
    let state = emulator.state();
    let stored = &state.onboarding.as_ref().unwrap().prompts[0].options[0];
    assert!(format!("{stored:?}").contains("🤖"), "{stored:?}");
    // A guild description (twilight's update_guild has no description).
    let guild = requests
        .iter()
        .find(|r| r.route == "PATCH /guilds/{guild_id}")
        .unwrap();
    assert!(
        guild.body.as_ref().unwrap()["description"]
            .as_str()
            .is_some_and(|d| d.contains("Miyabi"))
    );
    assert!(
        state
            .guild
            .description
            .as_deref()
            .is_some_and(|d| d.contains("Miyabi"))
    );
    // A stage channel's user limit above 99 (twilight's update_channel validates ≤ 99).
    let stage = state
        .channels()
        .into_iter()
        .find(|c| c.name == "🎤 Main Stage")
        .unwrap();
    assert_eq!(stage.user_limit, Some(1000));
    // Posted messages never ping.
    let post = requests
        .iter()
        .find(|r| r.route == "POST /channels/{channel_id}/messages")
        .unwrap();
    assert_eq!(
        post.body.as_ref().unwrap()["allowed_mentions"],
        json!({ "parse": [] })
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn no_secret_appears_in_any_output_or_saved_plan() {
    let (emulator, dir) = miyabi_applied().await;
    let state = emulator.state();
    let mut secrets: Vec<String> = state.webhooks.iter().map(|w| w.token.clone()).collect();
    secrets.push(state.token().to_owned());
    assert_eq!(secrets.len(), 4);

    // A hand edit so that plan and apply have something to say about webhooks.
    let mut changed = std::fs::read_to_string(dir.path().join("server.toml")).unwrap();
    changed = changed.replacen(
        "name = \"GitHub Releases\"",
        "name = \"GitHub Release Notes\"",
        1,
    );
    std::fs::write(dir.path().join("server.toml"), changed).unwrap();
    let mut outputs = Vec::new();
    for args in [
        vec!["plan"],
        vec!["plan", "--json", "--out", "plan.json"],
        vec!["plan", "--markdown"],
        vec!["drift", "--json"],
        vec!["drift", "--markdown"],
        vec!["apply", "plan.json", "--auto-approve"],
        vec!["import"],
        vec!["access", "--live"],
    ] {
        let output = run(dir.path(), Some(&emulator), &args).await;
        outputs.push(format!("{args:?}\n{}\n{}", output.stdout, output.stderr));
    }
    outputs.push(std::fs::read_to_string(dir.path().join("plan.json")).unwrap());
    // The one command that writes URLs, only into the file it is given.
    let urls = run(
        dir.path(),
        Some(&emulator),
        &["webhooks", "--out", "hooks.txt", "--format", "github"],
    )
    .await;
    assert_eq!(urls.code, 0, "{}", urls.stderr);
    outputs.push(format!("{}\n{}", urls.stdout, urls.stderr));
    for output in &outputs {
        for secret in &secrets {
            assert!(
                !output.contains(secret.as_str()),
                "a secret leaked into:\n{output}"
            );
        }
    }
    // Webhooks created by the runs above hold secrets too.
    for webhook in &emulator.state().webhooks {
        if !secrets.contains(&webhook.token) {
            secrets.insert(0, webhook.token.clone());
        }
    }
    for output in &outputs {
        for secret in &secrets {
            assert!(
                !output.contains(secret.as_str()),
                "a secret leaked into:\n{output}"
            );
        }
    }
    let file = std::fs::read_to_string(dir.path().join("hooks.txt")).unwrap();
    assert!(
        file.lines()
            .any(|line| line.starts_with("miyabi-ai/core=") && line.ends_with("/github")),
        "{file}"
    );
    let declared = [
        "GitHub Issues",
        "GitHub Pull Requests",
        "GitHub Release Notes",
    ];
    let state = emulator.state();
    for webhook in state
        .webhooks
        .iter()
        .filter(|w| declared.contains(&w.name.as_str()))
    {
        assert!(
            file.contains(webhook.token.as_str()),
            "{} missing from\n{file}",
            webhook.name
        );
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(dir.path().join("hooks.txt"))
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o077, 0, "only its owner can read the URL file");
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn posted_messages_are_edited_in_place_and_others_are_never_touched() {
    let file = repo().join("server.toml");
    let mut state = with_members_of(GuildState::new_empty("Miyabi"), &file);
    let owner = state.guild.owner_id;
    // A member's message already in #rules must survive everything.
    let (emulator, dir) = {
        let emulator = start(state.clone()).await;
        let dir = workspace(&file);
        assert_eq!(
            run(dir.path(), Some(&emulator), &["apply", "--auto-approve"])
                .await
                .code,
            0
        );
        state = emulator.state();
        let rules = state.channel_named("rules").unwrap().id;
        let id = state.next_id();
        state.messages.push(
            serde_json::from_value::<Message>(json!({ "id": id, "channel_id": rules, "author_id": owner, "content": "Welcome, everyone!" }))
                .unwrap(),
        );
        (start(state).await, dir)
    };
    let rules_path = dir.path().join("messages/rules.md");
    let text = std::fs::read_to_string(&rules_path).unwrap();
    assert!(text.contains("## ✅ Acceptable behaviour"));
    std::fs::write(
        &rules_path,
        text.replacen("## ✅ Acceptable behaviour", "## ✅ Welcome behaviour", 1),
    )
    .unwrap();
    let plan = run(dir.path(), Some(&emulator), &["plan"]).await;
    insta::assert_snapshot!("edited_rules_plan", plan.snapshot());
    let apply = run(dir.path(), Some(&emulator), &["apply", "--auto-approve"]).await;
    assert_eq!(apply.code, 0, "{}", apply.stderr);
    let requests = emulator.requests();
    let edits = requests
        .iter()
        .filter(|r| r.route == "PATCH /channels/{channel_id}/messages/{message_id}")
        .count();
    assert_eq!(edits, 1, "one message changed, one edit");
    assert_eq!(
        requests.count_route("POST /channels/{channel_id}/messages"),
        0
    );
    assert_eq!(
        requests.count_route("DELETE /channels/{channel_id}/messages/{message_id}"),
        0
    );
    assert!(
        emulator
            .state()
            .messages
            .iter()
            .any(|m| m.content == "Welcome, everyone!")
    );
    let again = run(
        dir.path(),
        Some(&emulator),
        &["plan", "--detailed-exitcode"],
    )
    .await;
    assert_eq!(again.code, 0, "{}", again.stdout);
}

#[tokio::test(flavor = "multi_thread")]
async fn an_event_that_advanced_to_its_next_date_is_not_drift() {
    let (emulator, dir) = miyabi_applied().await;
    let mut state = emulator.state();
    // Discord moves a recurring event to its next occurrence once one has passed.
    for event in &mut state.scheduled_events {
        let start: jiff::Timestamp = event.scheduled_start_time.parse().unwrap();
        let week = jiff::SignedDuration::from_hours(24 * 7);
        event.scheduled_start_time = start.checked_add(week).unwrap().to_string();
        if let Some(end) = &event.scheduled_end_time {
            let end: jiff::Timestamp = end.parse().unwrap();
            event.scheduled_end_time = Some(end.checked_add(week).unwrap().to_string());
        }
    }
    // Monthly events move a month, not a week: leave them where the week put them and let the
    // plan say so only for those.
    let advanced = start(state).await;
    let plan = run(dir.path(), Some(&advanced), &["plan", "--json"]).await;
    let plan: serde_json::Value = serde_json::from_str(&plan.stdout).unwrap();
    let weekly_changes = plan["changes"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["action"] == "update_event")
        .filter(|c| c["after"]["when"]["every"] == "weekly")
        .count();
    assert_eq!(weekly_changes, 0, "{plan:#}");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_past_one_off_event_is_not_recreated() {
    let emulator = start(GuildState::new_empty("History")).await;
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("server.toml"),
        "[[events]]\nname = \"Launch party\"\nlocation = \"https://example.org/launch\"\nstart = \"2024-03-01T18:00\"\ntimezone = \"Europe/Paris\"\nduration = 60\n",
    )
    .unwrap();
    let plan = run(
        dir.path(),
        Some(&emulator),
        &["plan", "--detailed-exitcode"],
    )
    .await;
    assert_eq!(plan.code, 0, "{}", plan.stdout);
    assert!(
        plan.stdout
            .contains("is a one-off in the past; it is not created"),
        "{}",
        plan.stdout
    );
}
