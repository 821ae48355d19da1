//! The file's safety features: `[ignore]`, `[protect]` / `protect = true`, and access
//! assertions (`[[access.assert]]`).

use miyabi_guild::config::{self, Source};
use miyabi_guild::model::LiveGuild;

/// The staff category's overwrites in `server.toml`.
const STAFF_OVERWRITES: &str = r#"  { role = "everyone",  deny = ["view_channel"] },
  { role = "team",      allow = ["view_channel"] },
  { role = "moderator", allow = ["view_channel"] },
]"#;

fn miyabi() -> String {
    std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/server.toml")).unwrap()
}

/// Parses `text` as if it were `server.toml` (relative files resolve beside it).
fn parse(text: &str) -> Result<config::Loaded, (Source, Vec<config::Diagnostic>)> {
    config::parse(Source::new("server.toml", text))
}

fn render(source: &Source, diagnostics: &[config::Diagnostic]) -> String {
    let mut out = Vec::new();
    config::render_diagnostics(diagnostics, source, &mut out, false).expect("render");
    String::from_utf8(out).expect("UTF-8")
}

#[test]
fn the_miyabi_files_assertions_hold() {
    let loaded = parse(&miyabi()).unwrap_or_else(|(source, d)| panic!("{}", render(&source, &d)));
    assert!(
        loaded.desired.assertions.len() >= 6,
        "{:?}",
        loaded.desired.assertions
    );
    let failures = config::check_assertions(
        &loaded.desired,
        miyabi_guild::access::default_everyone_permissions(),
    );
    assert!(failures.is_empty(), "{failures:#?}");
}

#[test]
fn opening_the_staff_category_fails_validate_naming_the_channel_and_the_role() {
    let text = miyabi();
    assert_eq!(text.matches(STAFF_OVERWRITES).count(), 1);
    let broken = text.replace(
        STAFF_OVERWRITES,
        &STAFF_OVERWRITES.replace(
            r#"{ role = "everyone",  deny = ["view_channel"] }"#,
            r#"{ role = "everyone",  allow = ["view_channel"] }"#,
        ),
    );
    let Err((source, diagnostics)) = parse(&broken) else {
        panic!("the broken variant is valid");
    };
    assert!(
        diagnostics
            .iter()
            .any(|d| d.message.contains("#staff-general") && d.message.contains("@everyone")),
        "{diagnostics:#?}"
    );
    insta::assert_snapshot!(render(&source, &diagnostics));
}

#[test]
fn check_assertions_reports_lines_for_plan() {
    let text = miyabi().replace(
        STAFF_OVERWRITES,
        r#"  { role = "everyone", deny = ["view_channel"] },
  { role = "team", allow = ["view_channel"] },
  { role = "moderator", allow = ["view_channel"] },
  { role = "new-member", allow = ["view_channel"] },
]"#,
    );
    let Err((_, diagnostics)) = parse(&text) else {
        panic!("valid")
    };
    assert!(
        diagnostics[0].message.contains("🟡 New Member"),
        "{diagnostics:#?}"
    );
    // The same desired guild, judged as `plan` does.
    let mut ok = parse(&miyabi()).unwrap().desired;
    let broken_channel = ok
        .channels
        .iter_mut()
        .find(|c| c.name == "🔐 PRIVATE STAFF AREAS")
        .unwrap();
    let miyabi_guild::model::DesiredOverwrites::Explicit(list) = &mut broken_channel.overwrites
    else {
        panic!()
    };
    list.push(miyabi_guild::model::Overwrite {
        target: miyabi_guild::model::DesiredTarget::Role("new-member".into()),
        allow: miyabi_guild::permissions::Permissions::VIEW_CHANNEL,
        deny: miyabi_guild::permissions::Permissions::NONE,
    });
    let messages =
        config::check_assertions(&ok, miyabi_guild::access::default_everyone_permissions());
    assert!(
        messages[0].starts_with("line ")
            && messages[0].contains("is visible to 🟡 New Member, but the assertion allows only 🔮 Team Member, 🟠 Moderator"),
        "{messages:#?}"
    );
}

#[test]
fn assertion_mistakes_are_located_with_suggestions() {
    let text = r##"
[[roles]]
key = "moderator"
name = "Moderator"

[[categories]]
name = "STAFF"

[[categories.channels]]
name = "staff-chat"

[[access.assert]]
only_visible_to = ["moderatr"]
categories = ["STAF"]
channels = ["#staff-caht"]

[[access.assert]]
only_visible_to = ["moderator"]
not_visible_to = ["everyone"]
categories = ["STAFF"]

[[access.assert]]
read_only_except = ["moderator"]

[[access.assert]]
categories = ["STAFF"]
"##;
    let Err((source, diagnostics)) = parse(text) else {
        panic!("valid")
    };
    insta::assert_snapshot!(render(&source, &diagnostics));
}

#[test]
fn ignore_and_protect_are_read_and_declaring_an_ignored_object_is_an_error() {
    let text = r#"
[ignore]
roles = ["MEE6*", "Server Booster"]
channels = ["tmp-*", "🔒 archive"]

[protect]
roles = ["Founder"]
channels = ["rules"]

[[roles]]
key = "mod"
name = "Moderator"
protect = true
previously = ["Mod"]

[[channels]]
name = "welcome"
protect = true

[[categories]]
name = "STAFF"
protect = true

[[categories.channels]]
name = "staff-chat"
"#;
    let loaded = parse(text).unwrap_or_else(|(source, d)| panic!("{}", render(&source, &d)));
    let desired = &loaded.desired;
    assert_eq!(desired.ignore.roles, ["MEE6*", "Server Booster"]);
    assert_eq!(desired.ignore.channels, ["tmp-*", "🔒 archive"]);
    assert_eq!(desired.protect.roles, ["Founder", "Mod", "Moderator"]);
    assert_eq!(desired.protect.channels, ["STAFF", "rules", "welcome"]);

    let declared = format!(
        "{text}\n[[roles]]\nkey = \"mee6\"\nname = \"MEE6 Premium\"\n\n[[channels]]\nname = \"tmp-notes\"\n"
    );
    let Err((source, diagnostics)) = parse(&declared) else {
        panic!("valid")
    };
    insta::assert_snapshot!(render(&source, &diagnostics));
}

#[test]
fn ignored_live_objects_are_left_out_of_the_plan() {
    let text = r#"
[prune]
roles = true
channels = true

[ignore]
roles = ["MEE6*"]
channels = ["tmp-*"]

[[channels]]
name = "general"
"#;
    let desired = parse(text).unwrap().desired;
    let live: LiveGuild = serde_json::from_value(serde_json::json!({
        "id": "1000", "name": "Test", "owner_id": "1", "everyone_permissions": [],
        "roles": [
            { "id": "10", "position": 2, "managed": false,
              "settings": { "name": "MEE6 Bot", "color": 0, "secondary_color": null,
                "tertiary_color": null, "hoist": false, "mentionable": false,
                "permissions": [], "unicode_emoji": null, "icon": null } }
        ],
        "channels": [
            { "id": "20", "name": "general", "kind": "text", "parent_id": null, "position": 0,
              "settings": { "topic": null, "nsfw": false, "slowmode": 0, "bitrate": null,
                "user_limit": null, "default_auto_archive": 1440, "default_thread_slowmode": 0,
                "rtc_region": null, "video_quality": null, "forum": null },
              "overwrites": [], "tag_ids": [] },
            { "id": "21", "name": "tmp-notes", "kind": "text", "parent_id": null, "position": 1,
              "settings": { "topic": null, "nsfw": false, "slowmode": 0, "bitrate": null,
                "user_limit": null, "default_auto_archive": 1440, "default_thread_slowmode": 0,
                "rtc_region": null, "video_quality": null, "forum": null },
              "overwrites": [], "tag_ids": [] }
        ],
        "bot": { "user_id": "2", "role_ids": [] },
        "settings": { "name": "Test", "description": null, "verification_level": 0,
          "explicit_content_filter": 0, "default_notifications": 0, "afk_channel": null,
          "afk_timeout": 300, "system_channel": null, "system_channel_flags": 0,
          "rules_channel": null, "public_updates_channel": null, "safety_alerts_channel": null,
          "preferred_locale": "en-US", "community": false },
        "features": []
    }))
    .expect("live guild JSON");
    let plan = miyabi_guild::diff::plan(&desired, &live, jiff::Timestamp::UNIX_EPOCH).unwrap();
    assert!(plan.is_empty(), "{plan:#?}");
    assert!(plan.kept.is_empty(), "{:?}", plan.kept);
}
