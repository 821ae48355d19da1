//! Posted messages that say what real servers say, end to end: explicit boundaries, embeds,
//! mentions by name, pins and suppressed previews (`examples/meetup.toml`). Convergence, mentions
//! rendered with the live ids (also of objects created in the same apply), nothing ever pings,
//! lookup before retry, renames, stale mentions as drift, import round trip, request counts,
//! file:line:col errors in message files, and the emulator as strict as Discord.

mod common;
mod emulator_support;

use std::path::Path;

use common::library::{Guild, described, desired_at};
use common::{repo, run, start, workspace};
use miyabi_guild::emulator::state::Message;
use miyabi_guild::emulator::{Fault, GuildState, RequestsExt};
use serde_json::{Value, json};

const PINS_ROUTE: &str = "GET /channels/{channel_id}/messages/pins";

/// The meetup example as the library reads it.
fn meetup() -> miyabi_guild::model::DesiredGuild {
    let path = repo().join("examples/meetup.toml");
    desired_at(
        path.to_str().unwrap(),
        &std::fs::read_to_string(&path).unwrap(),
    )
}

fn bot_messages(state: &GuildState, channel: &str) -> Vec<Message> {
    let id = state.channel_named(channel).unwrap().id;
    state
        .messages
        .iter()
        .filter(|m| m.channel_id == id && m.author_id == state.bot_user_id && m.kind == 0)
        .cloned()
        .collect()
}

#[tokio::test(flavor = "multi_thread")]
async fn a_rich_file_converges_with_live_ids_and_never_pings() {
    let guild = Guild::start(GuildState::new_empty("Meetup")).await;
    let file = meetup();
    guild.apply(&file).await;
    assert!(guild.take_writes() > 0);
    let plan = guild.plan(&file).await;
    assert!(plan.is_empty(), "{}", described(&plan));
    guild.apply(&file).await;
    assert_eq!(guild.take_writes(), 0, "a second apply writes nothing");

    let state = guild.emulator.state();
    let id = |name: &str| state.channel_named(name).unwrap().id.get();
    let role = |name: &str| state.role_named(name).unwrap().id.get();
    let rules = bot_messages(&state, "rules");
    assert_eq!(rules.len(), 2, "the separator ends the first message");
    assert!(
        rules[0]
            .content
            .contains(&format!("<@&{}> moderate", role("Organiser"))),
        "{}",
        rules[0].content
    );
    assert!(rules[0].content.contains(&format!("<#{}>", id("help"))));
    assert!(
        !rules[0].pinned && rules[1].pinned,
        "only the embed is pinned"
    );
    let embed = &rules[1].embeds[0];
    assert_eq!(embed["title"], "Server rules");
    assert_eq!(embed["color"], 0xe6_7e22);
    assert_eq!(
        embed["image"]["url"],
        "https://example.org/meetup/banner.png"
    );
    assert_eq!(
        embed["fields"][1]["value"],
        format!(
            "Talk proposals go to <#{}>; news comes from <#{}>.",
            id("talks"),
            id("announcements")
        )
    );
    assert_eq!(embed["fields"][2]["inline"], true);
    let welcome = bot_messages(&state, "welcome");
    assert_eq!(welcome[1].flags, 4, "link previews suppressed");
    assert!(
        welcome[0].embeds[0]["description"]
            .as_str()
            .unwrap()
            .contains(&format!("<@&{}>", role("Speaker")))
    );
    // Discord's notice of the pin is the bot's too, and is not taken for a posted message.
    let notices = state.messages.iter().filter(|m| m.kind == 6).count();
    assert_eq!(notices, 1);
    // Every post and every edit said that nothing may ping.
    let sent: Vec<&Value> = state
        .messages
        .iter()
        .filter(|m| m.kind == 0)
        .flat_map(|m| &m.allowed_mentions)
        .collect();
    assert_eq!(sent.len(), 4);
    assert!(
        sent.iter().all(|a| **a == json!({ "parse": [] })),
        "{sent:?}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn pins_are_read_only_where_the_file_pins() {
    let guild = Guild::start(GuildState::new_empty("Meetup")).await;
    let file = meetup();
    guild.apply(&file).await;
    guild.emulator.clear_requests();
    let _ = guild.plan(&file).await;
    let requests = guild.emulator.requests();
    assert_eq!(requests.count_route(PINS_ROUTE), 1, "#rules only");
    assert_eq!(
        requests.count_route("GET /channels/{channel_id}/messages"),
        2
    );

    // A file with plain messages only reads no pins at all.
    let plain = Guild::start(GuildState::new_empty("Plain")).await;
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("messages")).unwrap();
    std::fs::write(dir.path().join("messages/rules.md"), "Be kind.\n").unwrap();
    let text = "[[channels]]\nname = \"rules\"\n\n[[messages]]\nchannel = \"rules\"\nfile = \"messages/rules.md\"\n";
    let path = dir.path().join("server.toml");
    let desired = desired_at(path.to_str().unwrap(), text);
    plain.apply(&desired).await;
    plain.emulator.clear_requests();
    let _ = plain.plan(&desired).await;
    let requests = plain.emulator.requests();
    assert_eq!(requests.count_route(PINS_ROUTE), 0);
    assert_eq!(
        requests.len(),
        5,
        "bot user, guild, channels, member, one channel's messages"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_lost_post_answer_is_found_and_pinned_once() {
    let guild = Guild::start(GuildState::new_empty("Flaky")).await;
    for _ in 0..4 {
        guild.emulator.inject(Fault::LoseAnswer {
            method: "POST".into(),
            route: "/channels/{channel_id}/messages".into(),
        });
    }
    let file = meetup();
    guild.apply(&file).await;
    let state = guild.emulator.state();
    assert_eq!(bot_messages(&state, "rules").len(), 2, "no duplicate");
    assert_eq!(bot_messages(&state, "welcome").len(), 2, "no duplicate");
    assert!(bot_messages(&state, "rules")[1].pinned);
    let plan = guild.plan(&file).await;
    assert!(plan.is_empty(), "{}", described(&plan));
}

#[tokio::test(flavor = "multi_thread")]
async fn a_renamed_channel_keeps_its_mentions() {
    let file = repo().join("examples/meetup.toml");
    let emulator = start(GuildState::new_empty("Meetup")).await;
    let dir = workspace(&file);
    let apply = run(dir.path(), Some(&emulator), &["apply", "--auto-approve"]).await;
    assert_eq!(apply.code, 0, "{}", apply.stderr);
    let server = dir.path().join("server.toml");
    let text = std::fs::read_to_string(&server).unwrap().replace(
        "name = \"help\"\n",
        "name = \"support\"\npreviously = [\"help\"]\n",
    );
    std::fs::write(&server, text).unwrap();
    for name in ["rules.md", "welcome.md"] {
        let path = dir.path().join("messages/meetup").join(name);
        let text = std::fs::read_to_string(&path).unwrap();
        std::fs::write(&path, text.replace("{#help}", "{#support}")).unwrap();
    }
    let plan = run(dir.path(), Some(&emulator), &["plan"]).await;
    assert!(plan.stdout.contains("1 to update"), "{}", plan.stdout);
    assert!(!plan.stdout.contains("Posted messages"), "{}", plan.stdout);
}

#[tokio::test(flavor = "multi_thread")]
async fn stale_mentions_and_embeds_changed_by_hand_are_drift() {
    let file = repo().join("examples/meetup.toml");
    let first = start(GuildState::new_empty("Meetup")).await;
    let dir = workspace(&file);
    let apply = run(dir.path(), Some(&first), &["apply", "--auto-approve"]).await;
    assert_eq!(apply.code, 0, "{}", apply.stderr);
    // By hand: the intro mentions a channel that no longer exists, the rules embed lost its
    // colour and its pin, the links post shows previews again.
    let mut state = first.state();
    let help = state.channel_named("help").unwrap().id.get();
    let bot = state.bot_user_id;
    for message in &mut state.messages {
        if message.author_id != bot || message.kind != 0 {
            continue;
        }
        message.content = message
            .content
            .replace(&format!("<#{help}>"), "<#1234567890>");
        if let Some(embed) = message.embeds.first_mut()
            && embed["title"] == "Server rules"
        {
            embed["color"] = json!(0);
            message.pinned = false;
        }
        message.flags = 0;
    }
    let emulator = start(state).await;
    let drift = run(dir.path(), Some(&emulator), &["drift"]).await;
    assert_eq!(drift.code, 2, "{}\n{}", drift.stdout, drift.stderr);
    insta::assert_snapshot!("rich_messages_drift", drift.snapshot());
    let plan = run(dir.path(), Some(&emulator), &["plan"]).await;
    insta::assert_snapshot!("rich_messages_repair_plan", plan.snapshot());
    let json = run(dir.path(), Some(&emulator), &["plan", "--json"]).await;
    let plan: Value = serde_json::from_str(&json.stdout).unwrap();
    let kinds: Vec<&str> = plan["changes"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|change| change["action"].as_str())
        .collect();
    assert_eq!(
        kinds,
        [
            "edit_message",
            "edit_message",
            "pin_message",
            "edit_message"
        ],
        "{plan:#}"
    );
    let markdown = run(dir.path(), Some(&emulator), &["plan", "--markdown"]).await;
    assert!(markdown.stdout.contains("pin"), "{}", markdown.stdout);
    let apply = run(dir.path(), Some(&emulator), &["apply", "--auto-approve"]).await;
    assert_eq!(apply.code, 0, "{}", apply.stderr);
    emulator.clear_requests();
    let again = run(dir.path(), Some(&emulator), &["apply", "--auto-approve"]).await;
    assert_eq!(again.code, 0);
    assert_eq!(emulator.requests().writes(), 0);
}

/// Writes `text` and `files` into `dir`; the server file's path.
fn write(dir: &Path, text: &str, files: &[(String, String)]) -> String {
    for (path, content) in files {
        let path = dir.join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, content).unwrap();
    }
    let path = dir.join("server.toml");
    std::fs::write(&path, text).unwrap();
    path.to_str().unwrap().to_owned()
}

#[tokio::test(flavor = "multi_thread")]
async fn import_writes_separators_embeds_pins_and_mentions_back() {
    let guild = Guild::start(GuildState::new_empty("Meetup")).await;
    guild.apply(&meetup()).await;
    let imported = guild.import_with_messages().await;
    let rules = imported
        .files
        .iter()
        .find(|(path, _)| path == "messages/rules.md")
        .map(|(_, text)| text.clone())
        .expect("the rules file");
    for expected in [
        "<!-- next message -->",
        "+++\npin = true",
        "[[embeds]]",
        "[[embeds.fields]]",
        "color = \"#e67e22\"",
        "{#help}",
        "{@organiser}",
        "{#talks}",
    ] {
        assert!(rules.contains(expected), "{expected} in:\n{rules}");
    }
    let welcome = &imported
        .files
        .iter()
        .find(|(path, _)| path == "messages/welcome.md")
        .unwrap()
        .1;
    assert!(welcome.contains("suppress_embeds = true"), "{welcome}");
    let dir = tempfile::tempdir().unwrap();
    let path = write(dir.path(), &imported.text, &imported.files);
    let again = desired_at(&path, &imported.text);
    let plan = guild.plan(&again).await;
    assert!(plan.is_empty(), "{}\n{rules}", described(&plan));
}

#[tokio::test(flavor = "multi_thread")]
async fn mistakes_in_a_message_file_are_located_in_it() {
    let dir = tempfile::tempdir().unwrap();
    let long = "x".repeat(2001);
    let title = "t".repeat(257);
    let message = format!(
        "Ask in {{#hlep}} or ping {{@moderators}}.\n\n<!-- next message -->\n\n{long}\n\n<!-- next message -->\n\n+++\nsuppress_embeds = true\npinn = true\n\n[[embeds]]\ntitle = \"{title}\"\ncolor = \"e67e22\"\nimage = \"ftp://example.org/a.png\"\n\n[[embeds.fields]]\nname = \"only a name\"\n+++\n"
    );
    let files = vec![("messages/rules.md".to_owned(), message)];
    let text = "[[roles]]\nkey = \"moderator\"\nname = \"Moderator\"\n\n[[channels]]\nname = \"help\"\n\n[[channels]]\nname = \"rules\"\n\n[[messages]]\nchannel = \"rules\"\nfile = \"messages/rules.md\"\n";
    write(dir.path(), text, &files);
    let validate = run(dir.path(), None, &["validate"]).await;
    assert_eq!(validate.code, 1);
    insta::assert_snapshot!("message_file_mistakes", validate.snapshot());
}

#[tokio::test(flavor = "multi_thread")]
async fn the_emulator_refuses_what_discord_refuses() {
    use emulator_support::raw;
    let mut state = GuildState::new_empty("Strict");
    let token = state.token().to_owned();
    let channel_id = state.next_id();
    let mut value: Value = serde_json::from_str(&state.to_json()).unwrap();
    value["channels"] =
        json!([{ "id": channel_id.to_string(), "type": 0, "name": "rules", "position": 0 }]);
    // 250 pinned messages already.
    let bot = value["bot_user_id"].clone();
    let pinned: Vec<Value> = (1..=250)
        .map(|n| {
            json!({ "id": (channel_id + n).to_string(), "channel_id": channel_id.to_string(),
                    "author_id": bot, "content": format!("pin {n}"), "pinned": true,
                    "pinned_at": "2026-01-01T00:00:00.000000+00:00" })
        })
        .collect();
    value["messages"] = Value::Array(pinned);
    state = GuildState::from_json(&value.to_string()).unwrap();
    let emulator = start(state).await;
    let messages = format!("/api/v10/channels/{channel_id}/messages");
    let post = |body: Value| {
        let emulator = &emulator;
        let token = token.clone();
        let messages = messages.clone();
        async move {
            raw(
                emulator,
                "POST",
                &messages,
                Some(&token),
                Some(&body.to_string()),
            )
            .await
        }
    };
    let long_title = post(json!({ "embeds": [{ "title": "t".repeat(257) }] })).await;
    assert_eq!(long_title.status, 400);
    assert_eq!(long_title.body["code"], 50035);
    assert_eq!(
        long_title.field_code(&["embeds", "0", "title"]).as_deref(),
        Some("BASE_TYPE_MAX_LENGTH")
    );
    let field =
        post(json!({ "embeds": [{ "fields": [{ "name": "n", "value": "v".repeat(1025) }] }] }))
            .await;
    assert_eq!(
        field
            .field_code(&["embeds", "0", "fields", "0", "value"])
            .as_deref(),
        Some("BASE_TYPE_MAX_LENGTH")
    );
    let eleven = post(json!({ "embeds": vec![json!({ "title": "a" }); 11] })).await;
    assert_eq!(
        eleven.field_code(&["embeds"]).as_deref(),
        Some("BASE_TYPE_MAX_LENGTH")
    );
    let big = json!({ "description": "d".repeat(4000) });
    let total = post(json!({ "embeds": [big, big] })).await;
    assert_eq!(
        total.field_code(&["embeds"]).as_deref(),
        Some("MAX_EMBED_SIZE_EXCEEDED")
    );
    let flags = post(json!({ "content": "x", "flags": 1 })).await;
    assert_eq!(
        flags.field_code(&["flags"]).as_deref(),
        Some("MESSAGE_FLAGS_INVALID")
    );
    let mentions =
        post(json!({ "content": "x", "allowed_mentions": { "parse": ["channels"] } })).await;
    assert_eq!(
        mentions
            .field_code(&["allowed_mentions", "parse", "0"])
            .as_deref(),
        Some("BASE_TYPE_CHOICES")
    );
    let empty = post(json!({ "content": "", "embeds": [] })).await;
    assert_eq!(empty.body["code"], 50006);
    let fine = post(json!({ "content": "one more", "allowed_mentions": { "parse": [] } })).await;
    assert_eq!(fine.status, 200, "{:#}", fine.body);
    let id = fine.body["id"].as_str().unwrap().to_owned();
    let full = raw(
        &emulator,
        "PUT",
        &format!("{messages}/pins/{id}"),
        Some(&token),
        None,
    )
    .await;
    assert_eq!(full.status, 400);
    assert_eq!(full.body["code"], 30003);
    let unknown = raw(
        &emulator,
        "PUT",
        &format!("{messages}/pins/42"),
        Some(&token),
        None,
    )
    .await;
    assert_eq!(unknown.body["code"], 10008);
    let page = raw(
        &emulator,
        "GET",
        &format!("{messages}/pins?limit=51"),
        Some(&token),
        None,
    )
    .await;
    assert_eq!(
        page.field_code(&["limit"]).as_deref(),
        Some("NUMBER_TYPE_MAX")
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn pinning_needs_pin_messages() {
    use emulator_support::raw;
    let state = GuildState::new_empty("Strict");
    let token = state.token().to_owned();
    let mut value: Value = serde_json::from_str(&state.to_json()).unwrap();
    let channel_id = 900_000_000_000_000_001_u64;
    value["channels"] =
        json!([{ "id": channel_id.to_string(), "type": 0, "name": "rules", "position": 0 }]);
    // The bot's role: everything a poster needs, but neither pin_messages nor administrator.
    for role in value["roles"].as_array_mut().unwrap() {
        role["permissions"] =
            json!(((1_u64 << 10) | (1 << 11) | (1 << 16) | (1 << 13)).to_string());
    }
    let emulator = start(GuildState::from_json(&value.to_string()).unwrap()).await;
    let messages = format!("/api/v10/channels/{channel_id}/messages");
    let posted = raw(
        &emulator,
        "POST",
        &messages,
        Some(&token),
        Some(&json!({ "content": "x" }).to_string()),
    )
    .await;
    assert_eq!(posted.status, 200, "{:#}", posted.body);
    let id = posted.body["id"].as_str().unwrap();
    let pin = raw(
        &emulator,
        "PUT",
        &format!("{messages}/pins/{id}"),
        Some(&token),
        None,
    )
    .await;
    assert_eq!(pin.status, 403, "{:#}", pin.body);
    assert_eq!(
        pin.body["code"], 50013,
        "manage_messages alone no longer pins"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_pin_over_discords_limit_is_refused_at_plan_time() {
    let state = GuildState::new_empty("Full");
    let mut value: Value = serde_json::from_str(&state.to_json()).unwrap();
    let channel_id = 900_000_000_000_000_001_u64;
    value["channels"] =
        json!([{ "id": channel_id.to_string(), "type": 0, "name": "rules", "position": 0 }]);
    let owner = value["guild"]["owner_id"].clone();
    let pinned: Vec<Value> = (1..=250)
        .map(|n| {
            json!({ "id": (channel_id + n).to_string(), "channel_id": channel_id.to_string(),
                    "author_id": owner, "content": format!("pin {n}"), "pinned": true,
                    "pinned_at": format!("2026-01-01T00:{:02}:{:02}.000000+00:00", n / 60, n % 60) })
        })
        .collect();
    value["messages"] = Value::Array(pinned);
    let emulator = start(GuildState::from_json(&value.to_string()).unwrap()).await;
    let dir = tempfile::tempdir().unwrap();
    let text = "[[channels]]\nname = \"rules\"\n\n[[messages]]\nchannel = \"rules\"\nfile = \"messages/rules.md\"\n";
    let files = vec![(
        "messages/rules.md".to_owned(),
        "+++\npin = true\n+++\nRead me.\n".to_owned(),
    )];
    write(dir.path(), text, &files);
    let plan = run(dir.path(), Some(&emulator), &["plan"]).await;
    assert_eq!(plan.code, 1, "{}\n{}", plan.stdout, plan.stderr);
    assert!(
        plan.stderr
            .contains("#rules would hold 251 pinned messages; Discord allows 250 per channel"),
        "{}",
        plan.stderr
    );
    // Five pages of 50: the pins are counted to the limit.
    assert_eq!(emulator.requests().count_route(PINS_ROUTE), 5);
    assert_eq!(emulator.requests().writes(), 0);
}

#[tokio::test(flavor = "multi_thread")]
async fn without_pin_a_pin_is_left_as_moderators_set_it_and_pin_false_unpins() {
    let guild = Guild::start(GuildState::new_empty("Meetup")).await;
    guild.apply(&meetup()).await;
    let dir = tempfile::tempdir().unwrap();
    common::copy_tree(
        &repo().join("examples/messages"),
        &dir.path().join("messages"),
    );
    let text = std::fs::read_to_string(repo().join("examples/meetup.toml")).unwrap();
    let path = dir.path().join("server.toml");
    let rules = dir.path().join("messages/meetup/rules.md");
    let original = std::fs::read_to_string(&rules).unwrap();

    std::fs::write(&rules, original.replace("pin = true\n", "")).unwrap();
    let unsaid = desired_at(path.to_str().unwrap(), &text);
    let plan = guild.plan(&unsaid).await;
    assert!(plan.is_empty(), "{}", described(&plan));

    std::fs::write(&rules, original.replace("pin = true", "pin = false")).unwrap();
    let unpin = desired_at(path.to_str().unwrap(), &text);
    let plan = guild.plan(&unpin).await;
    assert_eq!(
        described(&plan),
        "unpin messages/meetup/rules.md (2/2) in #rules"
    );
    guild.apply(&unpin).await;
    guild.take_writes();
    let state = guild.emulator.state();
    assert!(bot_messages(&state, "rules").iter().all(|m| !m.pinned));
    let plan = guild.plan(&unpin).await;
    assert!(plan.is_empty(), "{}", described(&plan));
}
