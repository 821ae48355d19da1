//! Invites, the widget and the vanity code end to end: convergence from empty and from the
//! sandbox guild, replacement of a changed invite (create, then delete), members' invites kept
//! unless pruned, a lost create answer looked up, import round trip, drift, exact request counts,
//! codes kept out of every output, the `invites` command, and the emulator as strict as Discord.

mod common;
mod emulator_support;

use common::library::{Guild, described, desired};
use common::{assert_converged, repo, run, sandbox_seed, start, workspace};
use miyabi_guild::emulator::state::Invite;
use miyabi_guild::emulator::{Emulator, Fault, GuildState, RequestsExt};
use miyabi_guild::plan::{Change, InviteDeleteReason, Kept};
use serde_json::{Value, json};

const BASE: &str = r#"
[[channels]]
name = "welcome"

[[channels]]
name = "general"

[[channels]]
name = "Lounge"
type = "voice"
"#;

const DOORS: &str = r#"
[[invites]]
channel = "welcome"

[[invites]]
channel = "welcome"
max_age = 86400
max_uses = 50

[[invites]]
channel = "Lounge"
max_uses = 10
temporary = true

[widget]
enabled = true
channel = "welcome"
"#;

fn file(extra: &str) -> String {
    format!("{BASE}{extra}")
}

/// Every invite code the emulator holds.
fn codes(emulator: &Emulator) -> Vec<String> {
    emulator
        .state()
        .invites
        .iter()
        .map(|invite| invite.code.clone())
        .collect()
}

/// An emulator holding `state` plus `edit`, for states the API cannot make (members' invites).
async fn restarted(emulator: &Emulator, edit: impl FnOnce(&mut GuildState)) -> Guild {
    let mut state = emulator.state();
    edit(&mut state);
    Guild::start(state).await
}

#[tokio::test(flavor = "multi_thread")]
async fn invites_and_the_widget_converge_from_an_empty_guild() {
    let guild = Guild::start(GuildState::new_empty("Doors")).await;
    let wanted = desired(&file(DOORS));
    let plan = guild.apply(&wanted).await;
    assert_eq!(
        described(&plan)
            .lines()
            .filter(|line| line.contains("invite") || line.contains("widget"))
            .collect::<Vec<_>>(),
        [
            "create invite to #welcome (permanent, unlimited uses)",
            "create invite to #welcome (1 day, 50 uses)",
            "create invite to voice channel \"Lounge\" (permanent, 10 uses, temporary membership)",
            "update the server widget",
        ]
    );
    let state = guild.emulator.state();
    assert_eq!(state.invites.len(), 3);
    assert!(
        state
            .invites
            .iter()
            .all(|invite| invite.inviter_id == Some(state.bot_user_id))
    );
    assert!(state.guild.widget_enabled);
    let welcome = state.channel_named("welcome").unwrap().id;
    assert_eq!(state.guild.widget_channel_id, Some(welcome));
    guild.take_writes();
    let again = guild.plan(&wanted).await;
    assert!(again.is_empty(), "{}", described(&again));
    guild.apply(&wanted).await;
    assert_eq!(guild.take_writes(), 0, "a second apply wrote");
}

#[tokio::test(flavor = "multi_thread")]
async fn the_example_converges_on_the_sandbox_guild_and_its_links_are_written_privately() {
    let file = repo().join("examples/public-community.toml");
    let emulator = start(sandbox_seed()).await;
    let dir = workspace(&file);
    let apply = run(
        dir.path(),
        Some(&emulator),
        &["apply", "--auto-approve", "--force"],
    )
    .await;
    assert_eq!(apply.code, 0, "{}\n{}", apply.stdout, apply.stderr);
    assert_eq!(emulator.state().invites.len(), 2);
    assert_converged(dir.path(), &emulator).await;

    let written = run(
        dir.path(),
        Some(&emulator),
        &["invites", "--out", "links.txt"],
    )
    .await;
    assert_eq!(written.code, 0, "{}", written.stderr);
    let path = dir.path().join("links.txt");
    let text = std::fs::read_to_string(&path).unwrap();
    let codes = codes(&emulator);
    for code in &codes {
        assert!(
            text.contains(&format!("https://discord.gg/{code}")),
            "{text}"
        );
    }
    assert!(
        text.contains("# invite to #welcome (permanent, unlimited uses)"),
        "{text}"
    );
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&path).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600, "the links file is readable by others");
    }
    let stdout = run(dir.path(), Some(&emulator), &["invites", "--out", "-"]).await;
    assert_eq!(stdout.stdout, text);
    // Nothing else prints a code: plan (all formats), drift, apply.
    for args in [
        &["plan"][..],
        &["plan", "--json"],
        &["plan", "--markdown"],
        &["drift"],
        &["drift", "--json"],
    ] {
        let output = run(dir.path(), Some(&emulator), args).await;
        for code in &codes {
            assert!(
                !output.stdout.contains(code) && !output.stderr.contains(code),
                "{args:?} printed an invite code"
            );
        }
    }
    for code in &codes {
        assert!(!apply.stdout.contains(code) && !apply.stderr.contains(code));
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_changed_setting_creates_the_new_invite_then_deletes_the_old() {
    let guild = Guild::start(GuildState::new_empty("Replace")).await;
    guild
        .apply(&desired(&file("[[invites]]\nchannel = \"welcome\"\n")))
        .await;
    let old = codes(&guild.emulator);
    let wanted = desired(&file(
        "[[invites]]\nchannel = \"welcome\"\nmax_age = 3600\n",
    ));
    let plan = guild.plan(&wanted).await;
    assert_eq!(
        described(&plan),
        "create invite to #welcome (1 hour, unlimited uses)\ndelete invite to #welcome (permanent, unlimited uses)"
    );
    assert!(matches!(
        &plan.changes[0],
        Change::CreateInvite { replaces: Some(old), .. } if old.max_age == 0
    ));
    assert!(matches!(
        &plan.changes[1],
        Change::DeleteInvite {
            reason: InviteDeleteReason::Replaced,
            ..
        }
    ));
    assert!(
        plan.warnings
            .iter()
            .any(|w| w.contains("Discord cannot edit an invite")),
        "{:?}",
        plan.warnings
    );
    guild.emulator.clear_requests();
    guild.apply(&wanted).await;
    let routes: Vec<String> = guild
        .emulator
        .requests()
        .iter()
        .filter(|r| r.route.contains("invites"))
        .map(|r| r.route.clone())
        .collect();
    // The plan's reads, then: create, find the old one without its code, delete it.
    let writes: Vec<&String> = routes
        .iter()
        .skip_while(|route| route.as_str() == "GET /guilds/{guild_id}/invites")
        .collect();
    assert_eq!(
        writes,
        [
            "POST /channels/{channel_id}/invites",
            "GET /channels/{channel_id}/invites",
            "DELETE /invites/{code}",
        ]
    );
    let state = guild.emulator.state();
    assert_eq!(state.invites.len(), 1);
    assert_eq!(state.invites[0].max_age, 3600);
    assert!(!old.contains(&state.invites[0].code));
    guild.take_writes();
    assert!(guild.plan(&wanted).await.is_empty());
}

#[tokio::test(flavor = "multi_thread")]
async fn members_invites_are_kept_unless_invites_are_pruned() {
    let first = Guild::start(GuildState::new_empty("Members")).await;
    let doors = file("[[invites]]\nchannel = \"welcome\"\n");
    first.apply(&desired(&doors)).await;
    let guild = restarted(&first.emulator, |state| {
        let general = state.channel_named("general").unwrap().id;
        let owner = state.guild.owner_id;
        let id = state.next_id();
        state.invites.push(
            serde_json::from_value::<Invite>(json!({
                "id": id, "channel_id": general, "inviter_id": owner, "max_age": 604800,
            }))
            .unwrap(),
        );
        state.normalise();
    })
    .await;
    let plan = guild.plan(&desired(&doors)).await;
    assert!(plan.is_empty(), "{}", described(&plan));
    assert!(
        plan.kept.contains(&Kept::Invites {
            channel: "#general".into(),
            count: 1
        }),
        "{:?}",
        plan.kept
    );
    let pruned = desired(&format!("[prune]\ninvites = true\n{doors}"));
    let plan = guild.plan(&pruned).await;
    assert_eq!(
        described(&plan),
        "delete invite to #general (7 days, unlimited uses)"
    );
    guild.apply(&pruned).await;
    assert_eq!(guild.emulator.state().invites.len(), 1);
    // The bot's invite the file drops is deleted without pruning; members' are not touched.
    let member = restarted(&guild.emulator, |state| {
        let general = state.channel_named("general").unwrap().id;
        let id = state.next_id();
        state.invites.push(
            serde_json::from_value::<Invite>(json!({
                "id": id, "channel_id": general, "inviter_id": state.guild.owner_id,
            }))
            .unwrap(),
        );
        state.normalise();
    })
    .await;
    let dropped = desired(&file("[[invites]]\nchannel = \"general\"\nmax_uses = 5\n"));
    let plan = member.plan(&dropped).await;
    assert_eq!(
        described(&plan),
        "create invite to #general (permanent, 5 uses)\ndelete invite to #welcome (permanent, unlimited uses)"
    );
    member.apply(&dropped).await;
    let state = member.emulator.state();
    assert_eq!(state.invites.len(), 2, "the member's invite stays");
    assert!(member.plan(&dropped).await.is_empty());
}

#[tokio::test(flavor = "multi_thread")]
async fn a_lost_create_answer_is_looked_up_not_repeated() {
    let file_path = repo().join("examples/public-community.toml");
    let dir = workspace(&file_path);
    let emulator = start(GuildState::new_empty("Lost")).await;
    emulator.inject(Fault::LoseAnswer {
        method: "POST".into(),
        route: "/channels/{channel_id}/invites".into(),
    });
    let apply = run(dir.path(), Some(&emulator), &["apply", "--auto-approve"]).await;
    assert_eq!(apply.code, 0, "{}\n{}", apply.stdout, apply.stderr);
    assert_eq!(
        apply.stdout.matches("found after a lost answer").count(),
        1,
        "{}",
        apply.stdout
    );
    let requests = emulator.requests();
    let posts = requests
        .iter()
        .filter(|r| r.route == "POST /channels/{channel_id}/invites")
        .count();
    assert_eq!(posts, 2, "one POST per invite, none repeated");
    assert_eq!(emulator.state().invites.len(), 2);
    assert_converged(dir.path(), &emulator).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn import_writes_the_bots_invites_and_the_widget_back() {
    let guild = Guild::start(GuildState::new_empty("Import")).await;
    guild.apply(&desired(&file(DOORS))).await;
    let imported = guild.import().await;
    assert!(imported.contains("[[invites]]"), "{imported}");
    assert!(
        imported.contains("[widget]\nenabled = true\nchannel = \"welcome\""),
        "{imported}"
    );
    assert!(imported.contains("temporary = true"), "{imported}");
    for code in codes(&guild.emulator) {
        assert!(!imported.contains(&code));
    }
    let plan = guild.plan(&desired(&imported)).await;
    assert!(plan.is_empty(), "{}", described(&plan));
}

#[tokio::test(flavor = "multi_thread")]
async fn drift_names_a_deleted_invite_and_a_widget_changed_by_hand() {
    let file_path = repo().join("examples/public-community.toml");
    let dir = workspace(&file_path);
    let emulator = start(GuildState::new_empty("Drift")).await;
    let apply = run(dir.path(), Some(&emulator), &["apply", "--auto-approve"]).await;
    assert_eq!(apply.code, 0, "{}", apply.stderr);
    let mut state = emulator.state();
    state.invites.retain(|invite| invite.max_age == 0);
    state.guild.widget_enabled = false;
    let general = state.channel_named("general").unwrap().id;
    let id = state.next_id();
    state.invites.push(
        serde_json::from_value::<Invite>(
            json!({ "id": id, "channel_id": general, "inviter_id": state.guild.owner_id }),
        )
        .unwrap(),
    );
    state.normalise();
    let emulator = start(state).await;
    let drift = run(dir.path(), Some(&emulator), &["drift"]).await;
    assert_eq!(drift.code, 2, "{}\n{}", drift.stdout, drift.stderr);
    insta::assert_snapshot!("drift_invites", drift.snapshot());
    let markdown = run(dir.path(), Some(&emulator), &["drift", "--markdown"]).await;
    insta::assert_snapshot!("drift_invites_markdown", markdown.snapshot());
    let plan = run(dir.path(), Some(&emulator), &["plan"]).await;
    insta::assert_snapshot!("plan_invites", plan.snapshot());
    let json: Value = serde_json::from_str(
        &run(dir.path(), Some(&emulator), &["plan", "--json"])
            .await
            .stdout,
    )
    .unwrap();
    let actions: Vec<&str> = json["changes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|change| change["action"].as_str().unwrap())
        .collect();
    assert_eq!(actions, ["create_invite", "update_widget"]);
    assert_eq!(json["changes"][0]["invite"]["max_age"], 86400);
    assert_eq!(json["scope"]["invites"], true);
}

/// The read requests of a plan, by route.
async fn plan_reads(text: &str) -> Vec<String> {
    let guild = Guild::start(GuildState::new_empty("Counts")).await;
    guild.apply(&desired(text)).await;
    guild.emulator.clear_requests();
    guild.plan(&desired(text)).await;
    let mut routes: Vec<String> = guild
        .emulator
        .requests()
        .iter()
        .map(|r| r.route.clone())
        .collect();
    routes.sort();
    routes
}

#[tokio::test(flavor = "multi_thread")]
async fn a_file_without_invites_reads_nothing_more_and_each_part_costs_one_read() {
    let base = plan_reads(BASE).await;
    assert_eq!(base.len(), 4, "{base:?}");
    assert!(
        !base.iter().any(|route| route.contains("invite")
            || route.contains("widget")
            || route.contains("vanity")),
        "{base:?}"
    );
    let with = |extra: &str| {
        let mut routes = base.clone();
        routes.push(extra.to_owned());
        routes.sort();
        routes
    };
    assert_eq!(
        plan_reads(&file("[[invites]]\nchannel = \"welcome\"\n")).await,
        with("GET /guilds/{guild_id}/invites")
    );
    assert_eq!(
        plan_reads(&file("[widget]\nenabled = false\n")).await,
        with("GET /guilds/{guild_id}/widget")
    );
    // The vanity code comes with the guild: no read of its own.
    assert_eq!(
        plan_reads(&file("[vanity]\ncode = \"doors\"\n")).await,
        base
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn the_vanity_code_is_a_warning_never_a_change() {
    let guild = Guild::start(GuildState::new_empty("Vanity")).await;
    let wanted = desired(&file("[vanity]\ncode = \"doors\"\n"));
    let plan = guild.apply(&wanted).await;
    assert!(
        plan.warnings
            .iter()
            .any(|w| w.contains("has no vanity URL")),
        "{:?}",
        plan.warnings
    );
    let featured = restarted(&guild.emulator, |state| {
        state.guild.features.push("VANITY_URL".into());
        state.guild.vanity_url_code = Some("old-doors".into());
    })
    .await;
    let plan = featured.plan(&wanted).await;
    assert!(plan.is_empty());
    assert!(
        plan.warnings
            .iter()
            .any(|w| w.contains("the server's vanity code is `old-doors`, the file says `doors`")),
        "{:?}",
        plan.warnings
    );
    let imported = featured.import().await;
    assert!(imported.contains("code = \"old-doors\""), "{imported}");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_bot_without_create_invite_is_refused_at_plan_time() {
    let first = Guild::start(GuildState::new_empty("Refused")).await;
    first.apply(&desired(BASE)).await;
    let guild = restarted(&first.emulator, |state| {
        let everyone = state.guild.id.get();
        for role in &mut state.roles {
            if role.id.get() != everyone {
                role.permissions = miyabi_guild::permissions::Permissions::from_bits(
                    (1 << 4) | (1 << 28) | (1 << 10) | (1 << 5),
                );
            } else {
                role.permissions = miyabi_guild::permissions::Permissions::NONE;
            }
        }
    })
    .await;
    let wanted = desired(&file("[[invites]]\nchannel = \"welcome\"\n"));
    let plan = guild.plan(&wanted).await;
    let live = guild.live(Some(&wanted)).await;
    let refusals = miyabi_guild::safety::preflight(&plan, &live);
    assert!(
        refusals
            .iter()
            .any(|r| r.message.contains("needs Create Invite")),
        "{refusals:?}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn the_file_is_checked_against_discords_limits() {
    let text = file(
        r#"
[[invites]]
channel = "welcome"
max_age = 604801

[[invites]]
channel = "general"
max_uses = 101

[[invites]]
channel = "nowhere"

[[invites]]
channel = "general"

[[invites]]
channel = "general"

[widget]
enabled = true
channel = "Lounge"
color = "blue"

[vanity]
code = "discord.gg/Doors"
"#,
    );
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("server.toml"), text).unwrap();
    let validate = run(dir.path(), None, &["validate"]).await;
    assert_eq!(validate.code, 1);
    insta::assert_snapshot!("invalid_invites", validate.snapshot());
}

// ---- the emulator, strict like Discord -------------------------------------------------------

struct Strict {
    emulator: Emulator,
    token: String,
    guild: u64,
    text: u64,
    category: u64,
}

async fn strict(permissions: Option<u64>) -> Strict {
    let mut value: Value =
        serde_json::from_str(&GuildState::new_empty("Strict").to_json()).unwrap();
    let guild = value["guild"]["id"]
        .as_str()
        .unwrap()
        .parse::<u64>()
        .unwrap();
    value["channels"] = json!([
        { "id": (guild + 100).to_string(), "type": 4, "name": "Doors", "position": 0 },
        { "id": (guild + 101).to_string(), "type": 0, "name": "welcome", "position": 0 },
    ]);
    if let Some(bits) = permissions {
        for role in value["roles"].as_array_mut().unwrap() {
            role["permissions"] = json!(bits.to_string());
        }
    }
    let state = GuildState::from_json(&value.to_string()).unwrap();
    let token = state.token().to_owned();
    Strict {
        emulator: emulator_support::start(state).await,
        token,
        guild,
        text: guild + 101,
        category: guild + 100,
    }
}

impl Strict {
    async fn send(&self, method: &str, path: &str, body: Option<Value>) -> emulator_support::Raw {
        let body = body.map(|b| b.to_string());
        emulator_support::raw(
            &self.emulator,
            method,
            &format!("/api/v10{path}"),
            Some(&self.token),
            body.as_deref(),
        )
        .await
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn the_emulator_validates_invites_like_discord() {
    let s = strict(None).await;
    let invites = format!("/channels/{}/invites", s.text);
    let answer = s
        .send(
            "POST",
            &invites,
            Some(json!({ "max_age": 604_801, "max_uses": 101 })),
        )
        .await;
    assert_eq!(
        (answer.status, answer.body["code"].as_i64()),
        (400, Some(50035))
    );
    assert_eq!(
        answer.field_code(&["max_age"]).as_deref(),
        Some("NUMBER_TYPE_MAX")
    );
    assert_eq!(
        answer.field_code(&["max_uses"]).as_deref(),
        Some("NUMBER_TYPE_MAX")
    );
    let answer = s
        .send("POST", &invites, Some(json!({ "temporary": "yes" })))
        .await;
    assert_eq!(
        answer.field_code(&["temporary"]).as_deref(),
        Some("BASE_TYPE_BOOLEAN")
    );
    // The body is required, even empty.
    let answer = s.send("POST", &invites, None).await;
    assert_eq!(
        (answer.status, answer.body["code"].as_i64()),
        (400, Some(50109))
    );
    let answer = s
        .send(
            "POST",
            &format!("/channels/{}/invites", s.category),
            Some(json!({})),
        )
        .await;
    assert_eq!(answer.body["code"].as_i64(), Some(50024));
    let answer = s.send("POST", "/channels/1/invites", Some(json!({}))).await;
    assert_eq!(
        (answer.status, answer.body["code"].as_i64()),
        (404, Some(10003))
    );
    // Defaults: one day, unlimited; a similar invite is answered again unless `unique`.
    let first = s.send("POST", &invites, Some(json!({}))).await;
    assert_eq!(first.status, 200);
    assert_eq!(first.body["max_age"], 86_400);
    assert_eq!(first.body["max_uses"], 0);
    let again = s.send("POST", &invites, Some(json!({}))).await;
    assert_eq!(again.body["code"], first.body["code"]);
    let unique = s
        .send("POST", &invites, Some(json!({ "unique": true })))
        .await;
    assert_ne!(unique.body["code"], first.body["code"]);
    assert_eq!(s.emulator.state().invites.len(), 2);
    // Delete by code; an unknown code is 10006.
    let code = first.body["code"].as_str().unwrap();
    let deleted = s.send("DELETE", &format!("/invites/{code}"), None).await;
    assert_eq!(deleted.status, 200);
    assert_eq!(deleted.body["code"], code);
    let gone = s.send("DELETE", &format!("/invites/{code}"), None).await;
    assert_eq!(
        (gone.status, gone.body["code"].as_i64()),
        (404, Some(10006))
    );
    // The widget: a channel that is not one is a field error.
    let widget = format!("/guilds/{}/widget", s.guild);
    let answer = s
        .send("PATCH", &widget, Some(json!({ "channel_id": "1" })))
        .await;
    assert_eq!(
        answer.field_code(&["channel_id"]).as_deref(),
        Some("CHANNEL_INVALID")
    );
    let answer = s
        .send("PATCH", &widget, Some(json!({ "enabled": "on" })))
        .await;
    assert_eq!(
        answer.field_code(&["enabled"]).as_deref(),
        Some("BASE_TYPE_BOOLEAN")
    );
    let answer = s
        .send(
            "PATCH",
            &widget,
            Some(json!({ "enabled": true, "channel_id": s.text.to_string() })),
        )
        .await;
    assert_eq!(
        answer.body,
        json!({ "enabled": true, "channel_id": s.text.to_string() })
    );
    // The vanity URL needs the feature.
    let answer = s
        .send("GET", &format!("/guilds/{}/vanity-url", s.guild), None)
        .await;
    assert_eq!(
        (answer.status, answer.body["code"].as_i64()),
        (403, Some(50013))
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn the_emulator_checks_the_permissions_the_docs_name() {
    // View Channel only: no Create Invite, Manage Channels or Manage Server.
    let s = strict(Some(1 << 10)).await;
    for (method, path, body) in [
        (
            "POST",
            format!("/channels/{}/invites", s.text),
            Some(json!({})),
        ),
        ("GET", format!("/channels/{}/invites", s.text), None),
        ("GET", format!("/guilds/{}/invites", s.guild), None),
        ("GET", format!("/guilds/{}/widget", s.guild), None),
        (
            "PATCH",
            format!("/guilds/{}/widget", s.guild),
            Some(json!({ "enabled": true })),
        ),
    ] {
        let answer = s.send(method, &path, body).await;
        assert_eq!(
            (answer.status, answer.body["code"].as_i64()),
            (403, Some(50013)),
            "{method} {path}"
        );
    }
    // Create Invite alone creates, but cannot list with metadata or delete.
    let s = strict(Some((1 << 10) | 1)).await;
    let made = s
        .send(
            "POST",
            &format!("/channels/{}/invites", s.text),
            Some(json!({})),
        )
        .await;
    assert_eq!(made.status, 200, "{}", made.body);
    let code = made.body["code"].as_str().unwrap();
    let answer = s.send("DELETE", &format!("/invites/{code}"), None).await;
    assert_eq!(answer.body["code"].as_i64(), Some(50013));
    // View Audit Log lists the guild's invites without their metadata.
    let s = strict(Some((1 << 10) | 1 | (1 << 7))).await;
    s.send(
        "POST",
        &format!("/channels/{}/invites", s.text),
        Some(json!({})),
    )
    .await;
    let listed = s
        .send("GET", &format!("/guilds/{}/invites", s.guild), None)
        .await;
    assert_eq!(listed.status, 200);
    assert!(listed.body[0].get("max_age").is_none(), "{}", listed.body);
}

#[tokio::test(flavor = "multi_thread")]
async fn deleting_a_channel_deletes_its_invites() {
    let s = strict(None).await;
    s.send(
        "POST",
        &format!("/channels/{}/invites", s.text),
        Some(json!({})),
    )
    .await;
    let answer = s
        .send("DELETE", &format!("/channels/{}", s.text), None)
        .await;
    assert_eq!(answer.status, 200, "{}", answer.body);
    assert!(s.emulator.state().invites.is_empty());
    assert!(s.emulator.requests().writes() >= 2);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_saved_plan_applies_its_invites_and_is_refused_when_they_changed() {
    let file_path = repo().join("examples/public-community.toml");
    let dir = workspace(&file_path);
    let emulator = start(GuildState::new_empty("Saved")).await;
    let apply = run(dir.path(), Some(&emulator), &["apply", "--auto-approve"]).await;
    assert_eq!(apply.code, 0, "{}", apply.stderr);
    // The meetup invite changes: a saved plan replaces it.
    let text = std::fs::read_to_string(dir.path().join("server.toml"))
        .unwrap()
        .replace("max_age = 86400", "max_age = 43200");
    std::fs::write(dir.path().join("server.toml"), text).unwrap();
    let saved = run(dir.path(), Some(&emulator), &["plan", "--out", "plan.json"]).await;
    assert_eq!(saved.code, 0, "{}", saved.stderr);
    let document = std::fs::read_to_string(dir.path().join("plan.json")).unwrap();
    for code in codes(&emulator) {
        assert!(
            !document.contains(&code),
            "the saved plan holds an invite code"
        );
    }
    // Someone deletes the meetup invite by hand: the saved plan no longer fits.
    let mut state = emulator.state();
    state.invites.retain(|invite| invite.max_age == 0);
    let changed = start(state).await;
    let refused = run(
        dir.path(),
        Some(&changed),
        &["apply", "plan.json", "--auto-approve"],
    )
    .await;
    assert_eq!(refused.code, 1, "{}\n{}", refused.stdout, refused.stderr);
    assert_eq!(changed.requests().writes(), 0);
    // On the guild it was made for, it applies and converges.
    let applied = run(
        dir.path(),
        Some(&emulator),
        &["apply", "plan.json", "--auto-approve"],
    )
    .await;
    assert_eq!(applied.code, 0, "{}\n{}", applied.stdout, applied.stderr);
    let ages: Vec<u32> = emulator.state().invites.iter().map(|i| i.max_age).collect();
    assert_eq!(ages, [0, 43_200]);
    assert_converged(dir.path(), &emulator).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_replace_that_fails_at_the_delete_is_finished_by_a_rerun() {
    let guild = Guild::start(GuildState::new_empty("Rerun")).await;
    guild
        .apply(&desired(&file("[[invites]]\nchannel = \"welcome\"\n")))
        .await;
    let wanted = desired(&file("[[invites]]\nchannel = \"welcome\"\nmax_uses = 5\n"));
    guild.emulator.inject(Fault::Fail {
        method: "DELETE".into(),
        route: "/invites/{code}".into(),
        status: 500,
    });
    let plan = guild.plan(&wanted).await;
    let report = miyabi_guild::apply::execute(
        &guild.discord,
        &plan,
        &miyabi_guild::apply::Assets::of(&wanted),
        miyabi_guild::apply::Options::default(),
        &miyabi_guild::apply::Silent,
        &miyabi_guild::apply::Interrupt::never(),
    )
    .await;
    let (failed, error) = report.failed.as_ref().expect("the delete fails");
    assert_eq!(
        failed.describe(),
        "delete invite to #welcome (permanent, unlimited uses)"
    );
    for code in codes(&guild.emulator) {
        assert!(!error.to_string().contains(&code), "{error}");
    }
    assert!(
        error.to_string().contains("DELETE invites/<code>"),
        "{error}"
    );
    // The rerun keeps the new invite and deletes the old one, now no longer in the file.
    let rerun = guild.plan(&wanted).await;
    assert_eq!(
        described(&rerun),
        "delete invite to #welcome (permanent, unlimited uses)"
    );
    guild.apply(&wanted).await;
    let state = guild.emulator.state();
    assert_eq!(state.invites.len(), 1);
    assert_eq!(state.invites[0].max_uses, 5);
    assert!(guild.plan(&wanted).await.is_empty());
}

#[tokio::test(flavor = "multi_thread")]
async fn invites_to_ignored_channels_are_left_alone() {
    let first = Guild::start(GuildState::new_empty("Ignored")).await;
    let with_tmp = format!(
        "{BASE}\n[[channels]]\nname = \"tmp-chat\"\n\n[[invites]]\nchannel = \"tmp-chat\"\n"
    );
    first.apply(&desired(&with_tmp)).await;
    assert_eq!(first.emulator.state().invites.len(), 1);
    let guild = restarted(&first.emulator, |_| {}).await;
    let ignoring = desired(&format!(
        "[prune]\ninvites = true\n\n[ignore]\nchannels = [\"tmp-*\"]\n{}",
        file("[[invites]]\nchannel = \"welcome\"\n")
    ));
    let plan = guild.plan(&ignoring).await;
    assert_eq!(
        described(&plan),
        "create invite to #welcome (permanent, unlimited uses)"
    );
    guild.apply(&ignoring).await;
    assert_eq!(guild.emulator.state().invites.len(), 2);
}

#[tokio::test(flavor = "multi_thread")]
async fn paused_invites_are_a_warning() {
    let first = Guild::start(GuildState::new_empty("Paused")).await;
    let wanted = desired(&file("[[invites]]\nchannel = \"welcome\"\n"));
    first.apply(&wanted).await;
    let guild = restarted(&first.emulator, |state| {
        state.guild.features.push("INVITES_DISABLED".into());
    })
    .await;
    let plan = guild.plan(&wanted).await;
    assert!(plan.is_empty());
    assert!(
        plan.warnings
            .iter()
            .any(|w| w.contains("invites are paused")),
        "{:?}",
        plan.warnings
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn the_invites_command_says_what_is_missing() {
    let emulator = start(GuildState::new_empty("Command")).await;
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("server.toml"), BASE).unwrap();
    let none = run(dir.path(), Some(&emulator), &["invites", "--out", "-"]).await;
    assert_eq!(none.code, 1);
    assert!(
        none.stderr.contains("declares no invites"),
        "{}",
        none.stderr
    );
    std::fs::write(
        dir.path().join("server.toml"),
        file("[[invites]]\nchannel = \"welcome\"\n"),
    )
    .unwrap();
    let missing = run(dir.path(), Some(&emulator), &["invites", "--out", "-"]).await;
    assert_eq!(missing.code, 1);
    assert!(
        missing.stderr.contains(
            "these invites do not exist yet: invite to #welcome (permanent, unlimited uses)"
        ),
        "{}",
        missing.stderr
    );
    assert!(missing.stderr.contains("run `miyabi-guild apply` first"));
    assert!(missing.stdout.is_empty());
}
