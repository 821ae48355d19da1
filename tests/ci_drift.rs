//! `drift` and `plan --markdown` on the emulator: in sync, hand-made changes, unmanaged
//! additions (kept, then pruned), and a hand-made change that opens a staff channel to everyone.
//! Each scenario applies the base file to an empty guild, changes the guild "by hand", then
//! snapshots the terminal report, the Markdown report and the plan comment.

mod common;

use common::{Output, run, start};
use miyabi_guild::emulator::{Emulator, GuildState, RequestsExt};
use serde_json::{Value, json};

const BASE: &str = r##"#:schema ./schemas/server.schema.json
[guild]
name = "Drift Club"

[[roles]]
key = "staff"
name = "Staff"
color = "#e67e22"
permissions = ["kick_members", "manage_messages"]

[[roles]]
key = "member"
name = "Member"

[[categories]]
name = "COMMUNITY"

[[categories.channels]]
name = "general"
topic = "Talk about anything"
slowmode = 5

[[categories.channels]]
name = "help"
topic = "Ask for help"

[[categories]]
name = "STAFF"

[[categories.channels]]
name = "staff-chat"
topic = "Staff only"
overwrites = [{ role = "everyone", deny = ["view_channel"] }, { role = "staff", allow = ["view_channel"] }]
"##;

const PRUNED: &str = "\n[prune]\nroles = true\nchannels = true\n";

/// A guild where `file` was applied, as a state to change by hand.
async fn applied(file: &str) -> (tempfile::TempDir, GuildState) {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("server.toml"), file).unwrap();
    let emulator = start(GuildState::new_empty("Drift Club")).await;
    let apply = run(dir.path(), Some(&emulator), &["apply", "--auto-approve"]).await;
    assert_eq!(apply.code, 0, "{}\n{}", apply.stdout, apply.stderr);
    let state = emulator.state();
    emulator.shutdown().await;
    (dir, state)
}

/// Edits the guild as JSON, the way a person clicking in Discord would leave it.
fn by_hand(state: &GuildState, edit: impl FnOnce(&mut Value)) -> GuildState {
    let mut value = serde_json::to_value(state).unwrap();
    edit(&mut value);
    GuildState::from_json(&value.to_string()).expect("the edited guild loads")
}

fn channel<'a>(state: &'a mut Value, name: &str) -> &'a mut Value {
    state["channels"]
        .as_array_mut()
        .unwrap()
        .iter_mut()
        .find(|c| c["name"] == name)
        .unwrap_or_else(|| panic!("no channel {name}"))
}

fn role<'a>(state: &'a mut Value, name: &str) -> &'a mut Value {
    state["roles"]
        .as_array_mut()
        .unwrap()
        .iter_mut()
        .find(|r| r["name"] == name)
        .unwrap_or_else(|| panic!("no role {name}"))
}

/// A role and a text channel someone made in Discord.
fn add_unmanaged(state: &mut Value) {
    let guild = state["guild"]["id"].clone();
    let community = channel(state, "COMMUNITY")["id"].clone();
    state["roles"].as_array_mut().unwrap().push(json!({
        "id": "1390000000000000001", "name": "Party Planner", "position": 1,
        "permissions": "0", "color": 0
    }));
    state["channels"].as_array_mut().unwrap().push(json!({
        "id": "1390000000000000002", "type": 0, "guild_id": guild, "name": "memes",
        "position": 9, "parent_id": community, "permission_overwrites": []
    }));
}

struct Reports {
    drift: Output,
    markdown: Output,
    plan: Output,
    json: Output,
}

async fn report_all(dir: &tempfile::TempDir, state: GuildState) -> Reports {
    let emulator: Emulator = start(state).await;
    let drift = run(dir.path(), Some(&emulator), &["drift"]).await;
    let markdown = run(dir.path(), Some(&emulator), &["drift", "--markdown"]).await;
    let plan = run(
        dir.path(),
        Some(&emulator),
        &["plan", "--markdown", "--detailed-exitcode"],
    )
    .await;
    let json = run(dir.path(), Some(&emulator), &["drift", "--json"]).await;
    assert_eq!(emulator.requests().writes(), 0, "drift and plan only read");
    emulator.shutdown().await;
    Reports {
        drift,
        markdown,
        plan,
        json,
    }
}

fn json_of(output: &Output) -> Value {
    serde_json::from_str(&output.stdout).expect("drift --json prints JSON")
}

#[tokio::test(flavor = "multi_thread")]
async fn in_sync() {
    let (dir, state) = applied(BASE).await;
    let reports = report_all(&dir, state).await;
    assert_eq!(reports.drift.code, 0);
    insta::assert_snapshot!("in_sync_drift", reports.drift.snapshot());
    insta::assert_snapshot!("in_sync_drift_markdown", reports.markdown.snapshot());
    insta::assert_snapshot!("in_sync_plan_markdown", reports.plan.snapshot());
    let json = json_of(&reports.json);
    assert_eq!(reports.json.code, 0);
    assert_eq!(json["format_version"], 1);
    assert_eq!(json["in_sync"], true);
    assert_eq!(json["items"], json!([]));
}

#[tokio::test(flavor = "multi_thread")]
async fn hand_made_changes() {
    let (dir, state) = applied(BASE).await;
    let state = by_hand(&state, |s| {
        channel(s, "general")["topic"] = json!("memes only");
        channel(s, "general")["rate_limit_per_user"] = json!(0);
        role(s, "Staff")["color"] = json!(0xff0000);
        role(s, "Staff")["colors"] = json!({ "primary_color": 0xff0000 });
        // Deleted by hand: now missing.
        let help = channel(s, "help")["id"].clone();
        s["channels"]
            .as_array_mut()
            .unwrap()
            .retain(|c| c["id"] != help);
    });
    let reports = report_all(&dir, state).await;
    assert_eq!(reports.drift.code, 2, "{}", reports.drift.stderr);
    assert_eq!(reports.markdown.code, 2);
    assert_eq!(reports.plan.code, 2);
    insta::assert_snapshot!("hand_made_drift", reports.drift.snapshot());
    insta::assert_snapshot!("hand_made_drift_markdown", reports.markdown.snapshot());
    insta::assert_snapshot!("hand_made_plan_markdown", reports.plan.snapshot());

    let json = json_of(&reports.json);
    assert_eq!(json["in_sync"], false);
    assert_eq!(
        json["summary"],
        json!({ "changed": 2, "missing": 1, "added": 0, "unmanaged": 0 })
    );
    let first = &json["items"][0];
    assert_eq!(first["drift"], "changed");
    assert_eq!(first["fix"]["action"], "update_role");
}

#[tokio::test(flavor = "multi_thread")]
async fn unmanaged_additions_are_listed_apart_unless_the_file_prunes() {
    let (dir, state) = applied(BASE).await;
    let state = by_hand(&state, add_unmanaged);
    let reports = report_all(&dir, state.clone()).await;
    assert_eq!(reports.drift.code, 0, "not pruned: not drift");
    insta::assert_snapshot!("unmanaged_kept_drift", reports.drift.snapshot());
    insta::assert_snapshot!("unmanaged_kept_drift_markdown", reports.markdown.snapshot());
    assert_eq!(json_of(&reports.json)["summary"]["unmanaged"], 2);

    std::fs::write(dir.path().join("server.toml"), format!("{BASE}{PRUNED}")).unwrap();
    let reports = report_all(&dir, state).await;
    assert_eq!(reports.drift.code, 2, "pruned: drift");
    insta::assert_snapshot!("unmanaged_pruned_drift", reports.drift.snapshot());
    insta::assert_snapshot!(
        "unmanaged_pruned_drift_markdown",
        reports.markdown.snapshot()
    );
    insta::assert_snapshot!("unmanaged_pruned_plan_markdown", reports.plan.snapshot());
    let json = json_of(&reports.json);
    assert_eq!(json["summary"]["added"], 2);
    assert!(
        json["items"]
            .as_array()
            .unwrap()
            .iter()
            .all(|item| item["drift"] == "added")
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn access_widening_drift_comes_first_and_is_highlighted() {
    let (dir, state) = applied(BASE).await;
    let guild = state.guild_id().get().to_string();
    let state = by_hand(&state, |s| {
        // Someone removed @everyone's deny: the staff channel is open to all.
        channel(s, "staff-chat")["permission_overwrites"]
            .as_array_mut()
            .unwrap()
            .retain(|o| o["id"] != guild.as_str());
        channel(s, "general")["topic"] = json!("memes only");
    });
    let reports = report_all(&dir, state).await;
    assert_eq!(reports.drift.code, 2);
    insta::assert_snapshot!("access_widened_drift", reports.drift.snapshot());
    insta::assert_snapshot!("access_widened_drift_markdown", reports.markdown.snapshot());
    insta::assert_snapshot!("access_widened_plan_markdown", reports.plan.snapshot());

    let markdown = &reports.markdown.stdout;
    let caution = markdown.find("[!CAUTION]").expect("highlighted");
    let first_section = markdown.find("<details").unwrap();
    assert!(caution < first_section, "who-can-see comes first");
    assert!(markdown[caution..first_section].contains("#staff-chat"));
    assert!(markdown.starts_with("<!-- miyabi-guild:drift -->\n"));
    assert!(
        reports
            .plan
            .stdout
            .starts_with("<!-- miyabi-guild:plan -->\n")
    );
    let json = json_of(&reports.json);
    // The same shape as the plan's `access`: a list of `{text, widens}`.
    let access = json["access"].as_array().expect("a list");
    assert!(
        access.iter().any(|line| line["widens"] == true),
        "{access:?}"
    );
    assert!(access.iter().all(|line| line["text"].is_string()));
}

#[tokio::test(flavor = "multi_thread")]
async fn a_plan_that_opens_a_staff_channel_is_highlighted_first() {
    let (dir, state) = applied(BASE).await;
    let opened = BASE.replace(
        "overwrites = [{ role = \"everyone\", deny = [\"view_channel\"] }, { role = \"staff\", allow = [\"view_channel\"] }]",
        "overwrites = [{ role = \"staff\", allow = [\"view_channel\"] }]",
    );
    assert_ne!(opened, BASE);
    std::fs::write(dir.path().join("server.toml"), opened).unwrap();
    let emulator = start(state).await;
    let plan = run(dir.path(), Some(&emulator), &["plan", "--markdown"]).await;
    assert_eq!(plan.code, 0, "{}", plan.stderr);
    insta::assert_snapshot!("access_widening_plan_markdown", plan.snapshot());
    let caution = plan.stdout.find("[!CAUTION]").expect("highlighted");
    assert!(caution < plan.stdout.find("<details").unwrap());
}
