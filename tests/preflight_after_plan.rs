//! What can only fail mid-apply is refused at plan time, with zero writes: the checks of the
//! guild as it will be after the plan (Community channels, Discord's limits, onboarding), the
//! community-only channel kinds, and member overwrites for users who are not in the server.
//! Each refusal: its message, exit 1 from both `plan` and `apply`, and no write recorded.

mod common;

use common::{repo, run, start, workspace};
use miyabi_guild::emulator::{Emulator, GuildState, RequestsExt};
use serde_json::{Value, json};

const GUILD: u64 = 1_300_000_000_000_000_000;

/// An empty guild's state, changed by `edit` (Discord's JSON shapes, see `emulator` docs).
fn state(edit: impl FnOnce(&mut Value)) -> GuildState {
    let mut value: Value =
        serde_json::from_str(&GuildState::new_empty("Checks").to_json()).unwrap();
    edit(&mut value);
    GuildState::from_json(&value.to_string()).unwrap()
}

fn push(value: &mut Value, list: &str, items: impl IntoIterator<Item = Value>) {
    let array = value[list].as_array_mut().expect("a list");
    array.extend(items);
}

/// Writes `file`, then runs `plan` and `apply --auto-approve`: both must refuse with `expected`
/// in stderr, exit 1, and write nothing.
async fn refused(state: GuildState, file: &str, expected: &str) -> String {
    let emulator = start(state).await;
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("server.toml"), file).unwrap();
    let validate = run(dir.path(), None, &["validate"]).await;
    assert_eq!(
        validate.code, 0,
        "the file itself is valid: {}",
        validate.stderr
    );
    let mut stderr = String::new();
    for args in [vec!["plan"], vec!["apply", "--auto-approve", "--force"]] {
        let output = run(dir.path(), Some(&emulator), &args).await;
        assert_eq!(
            output.code, 1,
            "{args:?}: {}\n{}",
            output.stdout, output.stderr
        );
        assert!(
            output.stderr.contains(expected),
            "{args:?}: expected {expected:?} in\n{}",
            output.stderr
        );
        assert!(
            output.stderr.contains("nothing was changed"),
            "{}",
            output.stderr
        );
        stderr = output.stderr;
    }
    assert_eq!(emulator.requests().writes(), 0, "{:?}", emulator.requests());
    stderr
}

#[tokio::test(flavor = "multi_thread")]
async fn deleting_the_community_rules_channel_is_refused_unless_the_guild_points_elsewhere() {
    let community = || {
        state(|value| {
            value["guild"]["features"] = json!(["COMMUNITY", "NEWS"]);
            value["guild"]["rules_channel_id"] = json!("500");
            value["guild"]["public_updates_channel_id"] = json!("501");
            value["guild"]["verification_level"] = json!(1);
            value["guild"]["explicit_content_filter"] = json!(2);
            push(
                value,
                "channels",
                [
                    json!({ "id": "500", "type": 0, "name": "rules" }),
                    json!({ "id": "501", "type": 0, "name": "mod-updates" }),
                    json!({ "id": "502", "type": 0, "name": "old-chat" }),
                ],
            );
        })
    };
    let file = "[prune]\nchannels = true\n\n[[channels]]\nname = \"mod-updates\"\n\n[[channels]]\nname = \"general\"\n";
    let stderr = refused(
        community(),
        file,
        "delete #rules: it is the Community server's rules channel",
    )
    .await;
    assert!(stderr.contains("`rules_channel`"), "{stderr}");
    assert!(
        !stderr.contains("old-chat"),
        "only the rules channel is refused: {stderr}"
    );

    // The same plan, with the guild pointed at another rules channel first: accepted.
    let emulator = start(community()).await;
    let dir = tempfile::tempdir().unwrap();
    let moved = format!(
        "[guild]\ncommunity = true\nverification_level = \"low\"\nexplicit_content_filter = \"all_members\"\nrules_channel = \"general\"\npublic_updates_channel = \"mod-updates\"\n\n{file}"
    );
    std::fs::write(dir.path().join("server.toml"), moved).unwrap();
    let apply = run(
        dir.path(),
        Some(&emulator),
        &["apply", "--auto-approve", "--allow-delete", "--force"],
    )
    .await;
    assert_eq!(apply.code, 0, "{}\n{}", apply.stdout, apply.stderr);
    let names: Vec<String> = emulator
        .state()
        .channels
        .iter()
        .map(|c| c.name.clone())
        .collect();
    assert!(
        !names.contains(&"rules".to_owned()) && !names.contains(&"old-chat".to_owned()),
        "{names:?}"
    );
    common::assert_converged(dir.path(), &emulator).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn an_announcement_channel_without_community_is_refused() {
    let file = "[[roles]]\nkey = \"team\"\nname = \"Team\"\n\n[[channels]]\nname = \"news\"\ntype = \"announcement\"\n";
    refused(
        state(|_| {}),
        file,
        "create announcement channel \"news\": needs the COMMUNITY feature",
    )
    .await;
}

#[tokio::test(flavor = "multi_thread")]
async fn the_role_limit_counts_the_roles_the_file_does_not_list() {
    let crowded = state(|value| {
        push(
            value,
            "roles",
            (0..248).map(|i| json!({ "id": (GUILD + 100 + i).to_string(), "name": format!("old-{i}"), "position": 1 })),
        );
    });
    let file = "[[roles]]\nkey = \"a\"\nname = \"A\"\n\n[[roles]]\nkey = \"b\"\nname = \"B\"\n";
    refused(
        crowded,
        file,
        "would have 251 roles besides @everyone; Discord allows 250",
    )
    .await;
}

#[tokio::test(flavor = "multi_thread")]
async fn the_per_category_limit_counts_the_channels_the_file_does_not_list() {
    let crowded = state(|value| {
        push(
            value,
            "channels",
            [json!({ "id": "600", "type": 4, "name": "Projects" })],
        );
        push(
            value,
            "channels",
            (0..49).map(|i| json!({ "id": (700 + i).to_string(), "type": 0, "name": format!("p-{i}"), "parent_id": "600" })),
        );
    });
    let file = "[[categories]]\nname = \"Projects\"\n\n[[categories.channels]]\nname = \"one\"\n\n[[categories.channels]]\nname = \"two\"\n";
    refused(
        crowded,
        file,
        "the category \"Projects\" would hold 51 channels",
    )
    .await;
}

#[tokio::test(flavor = "multi_thread")]
async fn automod_rules_per_type_count_the_unmanaged_rules() {
    let crowded = state(|value| {
        value["auto_moderation_rules"] =
            json!((0..6)
            .map(|i| json!({
                "id": (900 + i).to_string(), "name": format!("words {i}"), "trigger_type": 1,
                "trigger_metadata": { "keyword_filter": [format!("bad{i}")] },
                "actions": [{ "type": 1 }], "enabled": true
            }))
            .collect::<Vec<_>>());
    });
    let file = "[[automod]]\nname = \"one more\"\ntrigger = \"keyword\"\nkeywords = [\"worse\"]\nactions = [{ type = \"block\" }]\n";
    refused(
        crowded,
        file,
        "would have 7 AutoMod rules of trigger type 1; Discord allows 6",
    )
    .await;
}

#[tokio::test(flavor = "multi_thread")]
async fn onboarding_is_checked_against_the_guild_after_the_plan() {
    let community = state(|value| {
        value["guild"]["features"] = json!(["COMMUNITY", "NEWS"]);
        value["guild"]["rules_channel_id"] = json!("500");
        value["guild"]["public_updates_channel_id"] = json!("500");
        value["guild"]["verification_level"] = json!(1);
        value["guild"]["explicit_content_filter"] = json!(2);
        push(
            value,
            "channels",
            [json!({ "id": "500", "type": 0, "name": "rules" })],
        );
    });
    // Seven default channels, but @everyone may post in only two: the file denies it in five.
    let mut file = String::from(
        "[onboarding]\nenabled = true\ndefault_channels = [\"one\", \"two\", \"three\", \"four\", \"five\", \"six\", \"seven\"]\n",
    );
    for (index, name) in ["one", "two", "three", "four", "five", "six", "seven"]
        .iter()
        .enumerate()
    {
        file.push_str(&format!("\n[[channels]]\nname = \"{name}\"\n"));
        if index >= 2 {
            file.push_str("overwrites = [{ role = \"everyone\", deny = [\"send_messages\"] }]\n");
        }
    }
    let stderr = refused(
        community,
        &file,
        "after this plan @everyone can view and post in only 2 of its default channels",
    )
    .await;
    assert!(stderr.contains("#one, #two"), "{stderr}");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_member_overwrite_for_a_user_not_in_the_server_is_refused_and_accepted_once_they_join() {
    let file = "[[channels]]\nname = \"general\"\noverwrites = [{ member = \"1300000000000000777\", allow = [\"send_messages\"] }]\n";
    let stderr = refused(state(|_| {}), file, "names a user who is not in the server").await;
    assert!(stderr.contains("1300000000000000777"), "{stderr}");

    let joined = state(|value| {
        push(
            value,
            "users",
            [json!({ "id": "1300000000000000777", "username": "alice" })],
        );
        push(
            value,
            "members",
            [json!({ "user_id": "1300000000000000777", "roles": [] })],
        );
    });
    let emulator: Emulator = start(joined).await;
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("server.toml"), file).unwrap();
    let apply = run(dir.path(), Some(&emulator), &["apply", "--auto-approve"]).await;
    assert_eq!(apply.code, 0, "{}\n{}", apply.stdout, apply.stderr);
    // Converged: the overwrite exists, so no member is looked up again.
    emulator.clear_requests();
    let again = run(
        dir.path(),
        Some(&emulator),
        &["plan", "--detailed-exitcode"],
    )
    .await;
    assert_eq!(again.code, 0, "{}", again.stdout);
    assert_eq!(
        emulator
            .requests()
            .count_route("GET /guilds/{guild_id}/members/{user_id}"),
        1,
        "only the bot's own member is read"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn the_small_open_source_example_applies_to_a_fresh_guild() {
    let file = repo().join("examples/small-open-source.toml");
    let dir = workspace(&file);
    let emulator = start(GuildState::new_empty("Fresh")).await;
    let apply = run(dir.path(), Some(&emulator), &["apply", "--auto-approve"]).await;
    assert_eq!(apply.code, 0, "{}\n{}", apply.stdout, apply.stderr);
    common::assert_converged(dir.path(), &emulator).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_saved_plan_that_stopped_partway_is_refused_in_one_line() {
    use miyabi_guild::emulator::Fault;
    let file = repo().join("examples/small-open-source.toml");
    let dir = workspace(&file);
    let emulator = start(GuildState::new_empty("Partial")).await;
    let saved = run(dir.path(), Some(&emulator), &["plan", "--out", "plan.json"]).await;
    assert_eq!(saved.code, 0, "{}", saved.stderr);
    // The roles are created, then the first channel fails (in plan order: concurrently, other
    // independent changes may be done first, and the refusal below would name one of them).
    emulator.inject(Fault::Fail {
        method: "POST".into(),
        route: "/guilds/{guild_id}/channels".into(),
        status: 403,
    });
    let first = run(
        dir.path(),
        Some(&emulator),
        &["apply", "plan.json", "--auto-approve", "--parallel", "1"],
    )
    .await;
    assert_eq!(first.code, 1, "{}", first.stdout);
    assert!(
        first.stdout.contains("Apply incomplete"),
        "{}",
        first.stdout
    );
    let written = emulator.requests().writes();
    assert!(written > 0);

    let again = run(
        dir.path(),
        Some(&emulator),
        &["apply", "plan.json", "--auto-approve"],
    )
    .await;
    assert_eq!(again.code, 1, "{}", again.stderr);
    assert!(
        again.stderr.contains("this plan was partly applied (")
            && again
                .stderr
                .contains(" already exists): run `miyabi-guild plan` and review the rest"),
        "{}",
        again.stderr
    );
    assert!(
        again.stderr.lines().count() <= 3,
        "one line, not a list: {}",
        again.stderr
    );
    assert_eq!(
        emulator.requests().writes(),
        written,
        "the refusal wrote nothing"
    );

    // Planning again finishes the job.
    let rest = run(dir.path(), Some(&emulator), &["apply", "--auto-approve"]).await;
    assert_eq!(rest.code, 0, "{}\n{}", rest.stdout, rest.stderr);
    common::assert_converged(dir.path(), &emulator).await;
}
