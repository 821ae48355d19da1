//! Each refusal of the safety layer: its message, and that nothing was written.

mod common;

use common::{run, start};
use miyabi_guild::emulator::{GuildState, RequestsExt};

const SMALL: &str = r#"
[[roles]]
key = "mod"
name = "Moderator"
permissions = ["kick_members"]

[[categories]]
name = "CHAT"

[[categories.channels]]
name = "general"

[[categories.channels]]
name = "random"

[[categories.channels]]
name = "memes"

[[categories.channels]]
name = "links"

[[categories.channels]]
name = "art"

[[categories.channels]]
name = "music"

[[categories.channels]]
name = "games"

[[categories.channels]]
name = "news"

[[categories.channels]]
name = "help"
"#;

async fn applied(text: &str) -> (miyabi_guild::emulator::Emulator, tempfile::TempDir) {
    let emulator = start(GuildState::new_empty("Safety")).await;
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("server.toml"), text).unwrap();
    let apply = run(dir.path(), Some(&emulator), &["apply", "--auto-approve"]).await;
    assert_eq!(apply.code, 0, "{}", apply.stderr);
    emulator.clear_requests();
    (emulator, dir)
}

#[tokio::test(flavor = "multi_thread")]
async fn changing_too_much_at_once_needs_force() {
    let (emulator, dir) = applied(SMALL).await;
    // Topics on every channel: 9 of 11 managed objects updated.
    let changed = SMALL.replace(
        "[[categories.channels]]\nname = \"",
        "[[categories.channels]]\ntopic = \"new\"\nname = \"",
    );
    std::fs::write(dir.path().join("server.toml"), changed).unwrap();
    let apply = run(dir.path(), Some(&emulator), &["apply", "--auto-approve"]).await;
    assert_eq!(apply.code, 1);
    insta::assert_snapshot!("change_guard_stderr", common::filter(&apply.stderr));
    assert_eq!(emulator.requests().writes(), 0);
    let plan = run(dir.path(), Some(&emulator), &["plan"]).await;
    assert!(
        plan.stderr.contains("apply will refuse it without --force"),
        "{}",
        plan.stderr
    );
    let forced = run(
        dir.path(),
        Some(&emulator),
        &["apply", "--auto-approve", "--force"],
    )
    .await;
    assert_eq!(forced.code, 0, "{}", forced.stderr);
}

#[tokio::test(flavor = "multi_thread")]
async fn deleting_channels_in_ci_needs_allow_delete() {
    let (emulator, dir) = applied(SMALL).await;
    let pruned = format!(
        "[prune]\nchannels = true\n{}",
        SMALL.replace("[[categories.channels]]\nname = \"help\"\n", "")
    );
    std::fs::write(dir.path().join("server.toml"), pruned).unwrap();
    let apply = run(dir.path(), Some(&emulator), &["apply", "--auto-approve"]).await;
    assert_eq!(apply.code, 1);
    insta::assert_snapshot!("delete_without_allow_stderr", common::filter(&apply.stderr));
    assert_eq!(emulator.requests().writes(), 0);
    let allowed = run(
        dir.path(),
        Some(&emulator),
        &["apply", "--auto-approve", "--allow-delete"],
    )
    .await;
    assert_eq!(allowed.code, 0, "{}", allowed.stderr);
    assert!(emulator.state().channel_named("help").is_none());
}

#[tokio::test(flavor = "multi_thread")]
async fn a_saved_plan_applies_exactly_and_refuses_when_the_guild_changed() {
    let (emulator, dir) = applied(SMALL).await;
    std::fs::write(
        dir.path().join("server.toml"),
        SMALL.replace("kick_members", "ban_members"),
    )
    .unwrap();
    let plan = run(dir.path(), Some(&emulator), &["plan", "--out", "plan.json"]).await;
    assert_eq!(plan.code, 0, "{}", plan.stderr);

    // Someone edits the role by hand after the plan was reviewed.
    let mut state = emulator.state();
    let hand_made = state
        .roles
        .iter_mut()
        .find(|role| role.name == "Moderator")
        .unwrap();
    hand_made.hoist = true;
    let stale = start(state).await;
    let apply = run(
        dir.path(),
        Some(&stale),
        &["apply", "plan.json", "--auto-approve"],
    )
    .await;
    assert_eq!(apply.code, 1);
    insta::assert_snapshot!("stale_saved_plan_stderr", common::filter(&apply.stderr));
    assert_eq!(stale.requests().writes(), 0);

    // Unchanged guild: exactly the saved plan is applied, without reading the file.
    std::fs::remove_file(dir.path().join("server.toml")).unwrap();
    let apply = run(
        dir.path(),
        Some(&emulator),
        &["apply", "plan.json", "--auto-approve"],
    )
    .await;
    assert_eq!(apply.code, 0, "{}", apply.stderr);
    assert_eq!(emulator.requests().writes(), 1, "one role update");
    assert!(
        emulator
            .state()
            .role_named("Moderator")
            .unwrap()
            .permissions
            .names()
            .contains(&"ban_members".to_owned())
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_modified_saved_plan_is_refused() {
    let (emulator, dir) = applied(SMALL).await;
    std::fs::write(
        dir.path().join("server.toml"),
        SMALL.replace("kick_members", "ban_members"),
    )
    .unwrap();
    run(dir.path(), Some(&emulator), &["plan", "--out", "plan.json"]).await;
    let text = std::fs::read_to_string(dir.path().join("plan.json")).unwrap();
    std::fs::write(
        dir.path().join("plan.json"),
        text.replace("ban_members", "administrator"),
    )
    .unwrap();
    let apply = run(
        dir.path(),
        Some(&emulator),
        &["apply", "plan.json", "--auto-approve"],
    )
    .await;
    assert_eq!(apply.code, 1);
    assert!(
        apply.stderr.contains("modified after it was saved"),
        "{}",
        apply.stderr
    );
    assert_eq!(emulator.requests().writes(), 0);
}

#[tokio::test(flavor = "multi_thread")]
async fn permissions_the_bot_lacks_are_refused_at_plan_time() {
    let mut state = GuildState::new_empty("Limited bot");
    // The bot manages roles and channels but is not an administrator.
    let bot_role = state.roles.iter_mut().find(|role| role.managed).unwrap();
    bot_role.permissions = [
        "manage_roles",
        "manage_channels",
        "view_channel",
        "kick_members",
    ]
    .iter()
    .fold(miyabi_guild::permissions::Permissions::NONE, |acc, n| {
        acc.union(miyabi_guild::permissions::Permissions::from_name(n).unwrap())
    });
    let emulator = start(state).await;
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("server.toml"),
        "[[roles]]\nkey = \"admin\"\nname = \"Admin\"\npermissions = [\"administrator\"]\n\n[[channels]]\nname = \"secret\"\noverwrites = [{ role = \"everyone\", deny = [\"view_channel\"] }]\n",
    )
    .unwrap();
    let plan = run(dir.path(), Some(&emulator), &["plan"]).await;
    assert_eq!(plan.code, 1);
    insta::assert_snapshot!("bot_lacks_permissions_stderr", common::filter(&plan.stderr));
    assert_eq!(emulator.requests().writes(), 0);
}

#[tokio::test(flavor = "multi_thread")]
async fn community_features_without_community_are_refused_at_plan_time() {
    let emulator = start(GuildState::new_empty("Not a community")).await;
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("server.toml"),
        "[[channels]]\nname = \"Town Hall\"\ntype = \"stage\"\n",
    )
    .unwrap();
    let plan = run(dir.path(), Some(&emulator), &["plan"]).await;
    assert_eq!(plan.code, 1);
    insta::assert_snapshot!("needs_community_stderr", common::filter(&plan.stderr));
    assert_eq!(emulator.requests().writes(), 0);
}

#[tokio::test(flavor = "multi_thread")]
async fn deleting_a_protected_channel_is_refused() {
    let (emulator, dir) = applied(SMALL).await;
    let pruned = format!(
        "[prune]\nchannels = true\n\n[protect]\nchannels = [\"help\"]\n{}",
        SMALL.replace("[[categories.channels]]\nname = \"help\"\n", "")
    );
    std::fs::write(dir.path().join("server.toml"), pruned).unwrap();
    let apply = run(
        dir.path(),
        Some(&emulator),
        &["apply", "--auto-approve", "--allow-delete", "--force"],
    )
    .await;
    assert_eq!(apply.code, 1);
    insta::assert_snapshot!("protected_delete_stderr", common::filter(&apply.stderr));
    assert_eq!(emulator.requests().writes(), 0);
    assert!(emulator.state().channel_named("help").is_some());
}
