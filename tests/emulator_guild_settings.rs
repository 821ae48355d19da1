//! Guild settings, every channel kind and role styling (issue 3): what the emulator refuses, with
//! which status, code and field path, and the semantics behind COMMUNITY, tags and conversions.

mod emulator_support;

use emulator_support::{Server, assert_error, set_bot_permissions, state_with};
use miyabi_guild::emulator::GuildState;
use serde_json::{Value, json};

const MANAGE_GUILD: u64 = 1 << 5;
const MANAGE_CHANNELS: u64 = 1 << 4;
const PNG: &str = "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==";

fn features(value: &mut Value, list: &[&str]) {
    value["guild"]["features"] = json!(list);
}

fn channel(value: &mut Value, id: u64, kind: u8, name: &str) {
    value["channels"]
        .as_array_mut()
        .unwrap()
        .push(json!({"id": id.to_string(), "type": kind, "name": name}));
}

/// A guild with text channels 10 (`rules`) and 11 (`updates`), voice 12 and announcement 13.
fn with_channels(value: &mut Value) {
    channel(value, 10, 0, "rules");
    channel(value, 11, 0, "updates");
    channel(value, 12, 2, "Voice");
    channel(value, 13, 5, "news");
}

/// A community guild: channels as [`with_channels`], rules 10, updates 11.
fn community() -> GuildState {
    state_with(|value| {
        with_channels(value);
        features(value, &["COMMUNITY", "NEWS"]);
        value["guild"]["rules_channel_id"] = json!("10");
        value["guild"]["public_updates_channel_id"] = json!("11");
        value["guild"]["verification_level"] = json!(1);
        value["guild"]["explicit_content_filter"] = json!(2);
    })
}

fn has(body: &Value, feature: &str) -> bool {
    body["features"]
        .as_array()
        .unwrap()
        .iter()
        .any(|f| f == feature)
}

// ---- Modify Guild -----------------------------------------------------------------------------

#[tokio::test]
async fn guild_fields_are_validated_all_at_once() {
    let server = Server::start(state_with(with_channels)).await;
    let response = server
        .send(
            "PATCH",
            "/guilds/{guild}",
            Some(json!({
                "name": " a ",
                "description": "x".repeat(301),
                "verification_level": 5,
                "default_message_notifications": 2,
                "explicit_content_filter": 3,
                "afk_timeout": 100,
                "preferred_locale": "xx-XX",
                "system_channel_flags": 1 << 10,
                "afk_channel_id": "10",
                "system_channel_id": "12",
                "safety_alerts_channel_id": "999",
                "premium_progress_bar_enabled": "yes",
                "features": ["INVITES_DISABLED", "INVITES_DISABLED"],
            })),
        )
        .await;
    assert_error(&response, 400, 50035);
    for (field, code) in [
        ("name", "BASE_TYPE_BAD_LENGTH"),
        ("description", "BASE_TYPE_MAX_LENGTH"),
        ("verification_level", "BASE_TYPE_CHOICES"),
        ("default_message_notifications", "BASE_TYPE_CHOICES"),
        ("explicit_content_filter", "BASE_TYPE_CHOICES"),
        ("afk_timeout", "BASE_TYPE_CHOICES"),
        ("preferred_locale", "BASE_TYPE_CHOICES"),
        ("system_channel_flags", "BASE_TYPE_CHOICES"),
        ("afk_channel_id", "CHANNEL_TYPE_INVALID"),
        ("system_channel_id", "CHANNEL_TYPE_INVALID"),
        ("safety_alerts_channel_id", "CHANNEL_UNKNOWN"),
        ("premium_progress_bar_enabled", "BASE_TYPE_BOOLEAN"),
    ] {
        assert_eq!(
            response.field_code(&[field]).as_deref(),
            Some(code),
            "{field}: {:#}",
            response.body
        );
    }
    assert_eq!(
        response.field_code(&["features", "1"]).as_deref(),
        Some("BASE_TYPE_UNIQUE")
    );
    // Nothing was applied.
    assert_eq!(server.state().guild.name, "Test");
}

#[tokio::test]
async fn guild_settings_apply_and_read_back() {
    let server = Server::start(state_with(with_channels)).await;
    let body = server
        .ok(
            "PATCH",
            "/guilds/{guild}",
            Some(json!({
                "name": "  Renamed  ",
                "description": "About us",
                "verification_level": 4,
                "default_message_notifications": 1,
                "explicit_content_filter": 1,
                "afk_timeout": 3600,
                "afk_channel_id": "12",
                "system_channel_id": "10",
                "system_channel_flags": 0b101,
                "rules_channel_id": "10",
                "public_updates_channel_id": "11",
                "safety_alerts_channel_id": "11",
                "preferred_locale": "pt-BR",
                "premium_progress_bar_enabled": true,
            })),
        )
        .await;
    assert_eq!(body["name"], "Renamed");
    let got = server.ok("GET", "/guilds/{guild}", None).await;
    assert_eq!(got, body);
    for (key, value) in [
        ("description", json!("About us")),
        ("verification_level", json!(4)),
        ("default_message_notifications", json!(1)),
        ("explicit_content_filter", json!(1)),
        ("afk_timeout", json!(3600)),
        ("afk_channel_id", json!("12")),
        ("system_channel_id", json!("10")),
        ("system_channel_flags", json!(5)),
        // Allowed without COMMUNITY (discord-api-docs#2282, "wontfix").
        ("rules_channel_id", json!("10")),
        ("public_updates_channel_id", json!("11")),
        ("safety_alerts_channel_id", json!("11")),
        ("preferred_locale", json!("pt-BR")),
        ("premium_progress_bar_enabled", json!(true)),
    ] {
        assert_eq!(got[key], value, "{key}");
    }
    let cleared = server
        .ok(
            "PATCH",
            "/guilds/{guild}",
            Some(json!({"description": null, "afk_channel_id": null, "rules_channel_id": null})),
        )
        .await;
    assert_eq!(cleared["description"], Value::Null);
    assert_eq!(cleared["afk_channel_id"], Value::Null);
    assert_eq!(cleared["rules_channel_id"], Value::Null);
    assert_eq!(cleared["public_updates_channel_id"], "11");
}

#[tokio::test]
async fn modify_guild_needs_manage_guild_and_community_needs_administrator() {
    let server = Server::start(state_with(|value| {
        with_channels(value);
        set_bot_permissions(value, MANAGE_CHANNELS);
    }))
    .await;
    let response = server
        .send("PATCH", "/guilds/{guild}", Some(json!({"name": "x y"})))
        .await;
    assert_error(&response, 403, 50013);

    let server = Server::start(state_with(|value| {
        with_channels(value);
        set_bot_permissions(value, MANAGE_GUILD);
    }))
    .await;
    server
        .ok(
            "PATCH",
            "/guilds/{guild}",
            Some(json!({"features": ["INVITES_DISABLED", "RAID_ALERTS_DISABLED"]})),
        )
        .await;
    let response = server
        .send(
            "PATCH",
            "/guilds/{guild}",
            Some(json!({
                "features": ["COMMUNITY"], "verification_level": 1, "explicit_content_filter": 2,
                "rules_channel_id": "10", "public_updates_channel_id": "11",
            })),
        )
        .await;
    assert_error(&response, 403, 50013);
}

#[tokio::test]
async fn community_preconditions_are_named_field_by_field() {
    let server = Server::start(state_with(with_channels)).await;
    let response = server
        .send(
            "PATCH",
            "/guilds/{guild}",
            Some(json!({"features": ["COMMUNITY"]})),
        )
        .await;
    assert_error(&response, 400, 50035);
    for (field, code) in [
        ("verification_level", "COMMUNITY_VERIFICATION_LEVEL_TOO_LOW"),
        (
            "explicit_content_filter",
            "COMMUNITY_EXPLICIT_CONTENT_FILTER_REQUIRED",
        ),
        ("rules_channel_id", "COMMUNITY_CHANNEL_REQUIRED"),
        ("public_updates_channel_id", "COMMUNITY_CHANNEL_REQUIRED"),
    ] {
        assert_eq!(
            response.field_code(&[field]).as_deref(),
            Some(code),
            "{field}"
        );
    }
    // Settings already in place count; only what is missing is reported.
    server
        .ok(
            "PATCH",
            "/guilds/{guild}",
            Some(json!({"verification_level": 2, "rules_channel_id": "10"})),
        )
        .await;
    let response = server
        .send(
            "PATCH",
            "/guilds/{guild}",
            Some(json!({"features": ["COMMUNITY"], "public_updates_channel_id": "11"})),
        )
        .await;
    assert_error(&response, 400, 50035);
    let errors = response.body["errors"].as_object().unwrap();
    assert_eq!(
        errors.keys().collect::<Vec<_>>(),
        ["explicit_content_filter"]
    );
    // Community channels must be text channels.
    let response = server
        .send(
            "PATCH",
            "/guilds/{guild}",
            Some(
                json!({"features": ["COMMUNITY"], "explicit_content_filter": 2,
                        "public_updates_channel_id": "13"}),
            ),
        )
        .await;
    assert_error(&response, 400, 50086);
    assert!(!has(
        &server.ok("GET", "/guilds/{guild}", None).await,
        "COMMUNITY"
    ));
}

#[tokio::test]
async fn community_adds_news_and_only_mutable_features_change() {
    let server = Server::start(state_with(|value| {
        with_channels(value);
        features(value, &["ROLE_ICONS", "VANITY_URL"]);
    }))
    .await;
    let body = server
        .ok(
            "PATCH",
            "/guilds/{guild}",
            Some(json!({
                "features": ["COMMUNITY", "VERIFIED", "RAID_ALERTS_DISABLED"],
                "verification_level": 1, "explicit_content_filter": 2,
                "rules_channel_id": "10", "public_updates_channel_id": "11",
            })),
        )
        .await;
    for feature in [
        "COMMUNITY",
        "NEWS",
        "RAID_ALERTS_DISABLED",
        "ROLE_ICONS",
        "VANITY_URL",
    ] {
        assert!(has(&body, feature), "{feature}: {}", body["features"]);
    }
    assert!(!has(&body, "VERIFIED"));
    // Announcement and stage channels are now possible.
    server
        .ok(
            "POST",
            "/guilds/{guild}/channels",
            Some(json!({"name": "stage", "type": 13})),
        )
        .await;
    server
        .ok(
            "POST",
            "/guilds/{guild}/channels",
            Some(json!({"name": "announcements", "type": 5})),
        )
        .await;
    // DISCOVERABLE needs COMMUNITY.
    let response = server
        .send(
            "PATCH",
            "/guilds/{guild}",
            Some(json!({"features": ["DISCOVERABLE"]})),
        )
        .await;
    assert_error(&response, 400, 50035);
    assert_eq!(
        response.field_code(&["features"]).as_deref(),
        Some("DISCOVERABLE_REQUIRES_COMMUNITY")
    );
}

#[tokio::test]
async fn community_channels_are_protected_while_community_is_on() {
    let server = Server::start(community()).await;
    assert_error(
        &server.send("DELETE", "/channels/10", None).await,
        400,
        50074,
    );
    assert_error(
        &server.send("DELETE", "/channels/11", None).await,
        400,
        50074,
    );
    assert_error(
        &server
            .send("PATCH", "/channels/10", Some(json!({"type": 5})))
            .await,
        400,
        50086,
    );
    let response = server
        .send(
            "PATCH",
            "/guilds/{guild}",
            Some(json!({"rules_channel_id": null})),
        )
        .await;
    assert_error(&response, 400, 50035);
    assert_eq!(
        response.field_code(&["rules_channel_id"]).as_deref(),
        Some("COMMUNITY_CHANNEL_REQUIRED")
    );
    // Moving the role to another text channel is fine; the old one is then deletable.
    server
        .ok(
            "POST",
            "/guilds/{guild}/channels",
            Some(json!({"name": "new-rules"})),
        )
        .await;
    let new_rules = server.state().channel_named("new-rules").unwrap().id;
    server
        .ok(
            "PATCH",
            "/guilds/{guild}",
            Some(json!({"rules_channel_id": new_rules.to_string()})),
        )
        .await;
    server.ok("DELETE", "/channels/10", None).await;

    // Turning COMMUNITY off: NEWS goes, announcement channels become text channels, and the
    // community channels are free again.
    let body = server
        .ok("PATCH", "/guilds/{guild}", Some(json!({"features": []})))
        .await;
    assert!(!has(&body, "COMMUNITY") && !has(&body, "NEWS"));
    let news = server.ok("GET", "/channels/13", None).await;
    assert_eq!(news["type"], 0);
    assert_eq!(news["rate_limit_per_user"], 0);
    server
        .ok(
            "PATCH",
            "/guilds/{guild}",
            Some(json!({"public_updates_channel_id": null})),
        )
        .await;
    server.ok("DELETE", "/channels/11", None).await;
}

// ---- channels ---------------------------------------------------------------------------------

#[tokio::test]
async fn channel_kinds_are_gated_by_features() {
    let server = Server::start(state_with(with_channels)).await;
    let response = server
        .send(
            "POST",
            "/guilds/{guild}/channels",
            Some(json!({"name": "news", "type": 5})),
        )
        .await;
    assert_error(&response, 400, 50035);
    assert_eq!(
        response.field_code(&["type"]).as_deref(),
        Some("BASE_TYPE_CHOICES")
    );
    let response = server
        .send(
            "POST",
            "/guilds/{guild}/channels",
            Some(json!({"name": "stage", "type": 13})),
        )
        .await;
    assert_error(&response, 400, 50024);
    // Forums are not gated.
    server
        .ok(
            "POST",
            "/guilds/{guild}/channels",
            Some(json!({"name": "forum", "type": 15})),
        )
        .await;
    // 0 -> 5 needs NEWS.
    let response = server
        .send("PATCH", "/channels/10", Some(json!({"type": 5})))
        .await;
    assert_error(&response, 400, 50035);
    assert_eq!(
        response.field_code(&["type"]).as_deref(),
        Some("BASE_TYPE_CHOICES")
    );
}

#[tokio::test]
async fn only_text_and_announcement_convert_into_each_other() {
    let server = Server::start(state_with(|value| {
        with_channels(value);
        features(value, &["NEWS"]);
        value["channels"][0]["rate_limit_per_user"] = json!(30);
    }))
    .await;
    for (id, kind) in [("12", 0), ("10", 2), ("10", 15), ("13", 2), ("10", 4)] {
        let response = server
            .send(
                "PATCH",
                &format!("/channels/{id}"),
                Some(json!({"type": kind})),
            )
            .await;
        assert_error(&response, 400, 50035);
        assert_eq!(
            response.field_code(&["type"]).as_deref(),
            Some("BASE_TYPE_CHOICES"),
            "{id} -> {kind}"
        );
    }
    let announcement = server
        .ok(
            "PATCH",
            "/channels/10",
            Some(json!({"type": 5, "topic": "t"})),
        )
        .await;
    assert_eq!(announcement["type"], 5);
    assert_eq!(announcement["topic"], "t");
    assert!(announcement.get("rate_limit_per_user").is_none());
    let text = server
        .ok("PATCH", "/channels/13", Some(json!({"type": 0})))
        .await;
    assert_eq!(text["type"], 0);
    assert_eq!(text["rate_limit_per_user"], 0);
    // Sending the current type is no conversion.
    server
        .ok("PATCH", "/channels/12", Some(json!({"type": 2})))
        .await;
}

#[tokio::test]
async fn every_channel_setting_has_its_limits() {
    let server = Server::start(community()).await;
    let create = |body: Value| async {
        server
            .send("POST", "/guilds/{guild}/channels", Some(body))
            .await
    };
    let cases = [
        (
            json!({"name": "t", "topic": "x".repeat(1025)}),
            "topic",
            "BASE_TYPE_MAX_LENGTH",
        ),
        (
            json!({"name": "f", "type": 15, "topic": "x".repeat(4097)}),
            "topic",
            "BASE_TYPE_MAX_LENGTH",
        ),
        (
            json!({"name": "t", "rate_limit_per_user": 21601}),
            "rate_limit_per_user",
            "NUMBER_TYPE_MAX",
        ),
        (
            json!({"name": "t", "default_auto_archive_duration": 30}),
            "default_auto_archive_duration",
            "BASE_TYPE_CHOICES",
        ),
        (
            json!({"name": "t", "default_thread_rate_limit_per_user": -1}),
            "default_thread_rate_limit_per_user",
            "NUMBER_TYPE_MIN",
        ),
        (
            json!({"name": "v", "type": 2, "bitrate": 7999}),
            "bitrate",
            "NUMBER_TYPE_MIN",
        ),
        (
            json!({"name": "v", "type": 2, "bitrate": 128000}),
            "bitrate",
            "NUMBER_TYPE_MAX",
        ),
        (
            json!({"name": "s", "type": 13, "bitrate": 96000}),
            "bitrate",
            "NUMBER_TYPE_MAX",
        ),
        (
            json!({"name": "v", "type": 2, "user_limit": 100}),
            "user_limit",
            "NUMBER_TYPE_MAX",
        ),
        (
            json!({"name": "s", "type": 13, "user_limit": 10001}),
            "user_limit",
            "NUMBER_TYPE_MAX",
        ),
        (
            json!({"name": "v", "type": 2, "rtc_region": "mars"}),
            "rtc_region",
            "BASE_TYPE_CHOICES",
        ),
        (
            json!({"name": "v", "type": 2, "video_quality_mode": 3}),
            "video_quality_mode",
            "BASE_TYPE_CHOICES",
        ),
        (
            json!({"name": "f", "type": 15, "default_sort_order": 2}),
            "default_sort_order",
            "BASE_TYPE_CHOICES",
        ),
        (
            json!({"name": "f", "type": 15, "default_forum_layout": 3}),
            "default_forum_layout",
            "BASE_TYPE_CHOICES",
        ),
        (
            json!({"name": "f", "type": 15, "default_tag_setting": "any"}),
            "default_tag_setting",
            "BASE_TYPE_CHOICES",
        ),
        (
            json!({"name": "f", "type": 15, "flags": 2}),
            "flags",
            "BASE_TYPE_CHOICES",
        ),
        (
            json!({"name": "f", "type": 15, "default_reaction_emoji": {"emoji_id": "5", "emoji_name": "x"}}),
            "default_reaction_emoji",
            "EMOJI_INVALID",
        ),
        (
            json!({"name": "f", "type": 15, "default_reaction_emoji": {}}),
            "default_reaction_emoji",
            "EMOJI_INVALID",
        ),
        (
            json!({"name": "f", "type": 15, "available_tags": (0..21).map(|i| json!({"name": i.to_string()})).collect::<Vec<_>>()}),
            "available_tags",
            "BASE_TYPE_MAX_LENGTH",
        ),
    ];
    for (body, field, code) in cases {
        let response = create(body.clone()).await;
        assert_error(&response, 400, 50035);
        assert_eq!(
            response.field_code(&[field]).as_deref(),
            Some(code),
            "{body}: {:#}",
            response.body
        );
    }
    let response = create(json!({"name": "f", "type": 15,
        "available_tags": [{"name": "x".repeat(21)}, {"name": "ok", "emoji_id": "5", "emoji_name": "y"}]}))
    .await;
    assert_eq!(
        response
            .field_code(&["available_tags", "0", "name"])
            .as_deref(),
        Some("BASE_TYPE_BAD_LENGTH")
    );
    assert_eq!(
        response
            .field_code(&["available_tags", "1", "emoji_id"])
            .as_deref(),
        Some("EMOJI_INVALID")
    );
    let response = create(json!({"name": "f", "type": 15,
        "available_tags": [{"name": "same"}, {"name": "same"}]}))
    .await;
    assert_error(&response, 400, 40061);

    // The upper bounds themselves are accepted; stage user_limit 0 means "no limit".
    for body in [
        json!({"name": "s", "type": 13, "bitrate": 64000, "user_limit": 0}),
        json!({"name": "s", "type": 13, "user_limit": 10000, "rtc_region": "us-west"}),
        json!({"name": "f", "type": 15, "topic": "x".repeat(4096), "flags": 16,
               "default_tag_setting": "match_all", "default_reaction_emoji": {"emoji_name": "🔥"}}),
        json!({"name": "v", "type": 2, "user_limit": 99, "bitrate": 96000, "video_quality_mode": 2}),
    ] {
        let response = create(body.clone()).await;
        assert_eq!(response.status, 201, "{body}: {:#}", response.body);
    }
    // Fields that do not apply to a kind are ignored.
    let voice = create(
        json!({"name": "v", "type": 2, "topic": "ignored", "flags": 16,
                              "available_tags": [{"name": "x"}]}),
    )
    .await;
    assert_eq!(voice.status, 201);
    assert!(voice.body.get("topic").is_none());
    assert!(voice.body.get("available_tags").is_none());
    assert_eq!(voice.body["flags"], 0);
}

#[tokio::test]
async fn forum_tags_keep_known_ids_and_get_new_ones_otherwise() {
    let server = Server::start(GuildState::new_empty("Tags")).await;
    let forum = server
        .ok(
            "POST",
            "/guilds/{guild}/channels",
            Some(json!({"name": "help", "type": 15,
                "available_tags": [{"name": "bug"}, {"name": "idea", "emoji_name": "💡"}]})),
        )
        .await;
    let id = forum["id"].as_str().unwrap().to_owned();
    let bug = forum["available_tags"][0]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let idea = forum["available_tags"][1]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    assert_ne!(bug, idea);
    let patched = server
        .ok(
            "PATCH",
            &format!("/channels/{id}"),
            Some(json!({"available_tags": [
                {"id": idea, "name": "feature", "moderated": true},
                {"name": "question"},
                {"id": "123456", "name": "unknown id"},
            ]})),
        )
        .await;
    let tags = patched["available_tags"].as_array().unwrap();
    assert_eq!(tags.len(), 3);
    assert_eq!(tags[0]["id"], idea.as_str());
    assert_eq!(tags[0]["name"], "feature");
    assert_eq!(tags[0]["moderated"], true);
    let ids: Vec<&str> = tags.iter().map(|tag| tag["id"].as_str().unwrap()).collect();
    assert!(
        !ids.contains(&bug.as_str()),
        "the dropped tag's id is not reused"
    );
    assert!(!ids.contains(&"123456"));
    assert_ne!(ids[1], ids[2]);
    // The ids survive a state round trip.
    let state = GuildState::from_json(&server.state().to_json()).unwrap();
    let stored = state.channel(id.parse::<u64>().unwrap().try_into().unwrap());
    assert!(stored.is_some());
}

// ---- roles ------------------------------------------------------------------------------------

#[tokio::test]
async fn role_colors_and_icons_need_their_features() {
    let server = Server::start(GuildState::new_empty("Plain")).await;
    let response = server
        .send(
            "POST",
            "/guilds/{guild}/roles",
            Some(json!({
                "colors": {"primary_color": 1, "secondary_color": 2, "tertiary_color": 3},
                "icon": PNG,
                "unicode_emoji": "🔥",
            })),
        )
        .await;
    assert_error(&response, 400, 50035);
    for path in [
        &["colors", "secondary_color"][..],
        &["colors", "tertiary_color"],
        &["icon"],
        &["unicode_emoji"],
    ] {
        assert_eq!(
            response.field_code(path).as_deref(),
            Some("GUILD_FEATURE_REQUIRED"),
            "{path:?}"
        );
    }
    // A plain primary color and clearing are always fine.
    let role = server
        .ok(
            "POST",
            "/guilds/{guild}/roles",
            Some(
                json!({"colors": {"primary_color": 255, "secondary_color": null},
                        "icon": null, "unicode_emoji": null}),
            ),
        )
        .await;
    assert_eq!(role["color"], 255);
    assert_eq!(
        role["colors"],
        json!({"primary_color": 255, "secondary_color": null, "tertiary_color": null})
    );
}

#[tokio::test]
async fn gradients_holographic_colors_and_icons_with_features() {
    let server = Server::start(state_with(|value| {
        features(value, &["ENHANCED_ROLE_COLORS", "ROLE_ICONS"]);
    }))
    .await;
    let gradient = server
        .ok(
            "POST",
            "/guilds/{guild}/roles",
            Some(json!({"colors": {"primary_color": 1, "secondary_color": 2}, "icon": PNG})),
        )
        .await;
    assert_eq!(
        gradient["colors"],
        json!({"primary_color": 1, "secondary_color": 2, "tertiary_color": null})
    );
    assert_eq!(gradient["color"], 1);
    let icon = gradient["icon"].as_str().unwrap();
    assert_eq!(icon.len(), 32);
    assert!(icon.chars().all(|c| c.is_ascii_hexdigit()));
    let id = gradient["id"].as_str().unwrap();
    let holographic = server
        .ok(
            "PATCH",
            &format!("/guilds/{{guild}}/roles/{id}"),
            Some(
                json!({"colors": {"primary_color": 5, "secondary_color": 6, "tertiary_color": 7},
                        "icon": PNG, "unicode_emoji": "🔥"}),
            ),
        )
        .await;
    assert_eq!(
        holographic["colors"],
        json!({"primary_color": 11127295, "secondary_color": 16759788, "tertiary_color": 16761760})
    );
    assert_eq!(holographic["color"], 11127295);
    assert_eq!(holographic["icon"], icon, "same bytes, same hash");
    assert_eq!(holographic["unicode_emoji"], "🔥");
    let response = server
        .send(
            "PATCH",
            &format!("/guilds/{{guild}}/roles/{id}"),
            Some(json!({"icon": "data:image/png;base64,@@@"})),
        )
        .await;
    assert_error(&response, 400, 50035);
    assert_eq!(
        response.field_code(&["icon"]).as_deref(),
        Some("IMAGE_INVALID")
    );
    let cleared = server
        .ok(
            "PATCH",
            &format!("/guilds/{{guild}}/roles/{id}"),
            Some(json!({"icon": null, "color": 9})),
        )
        .await;
    assert_eq!(cleared["icon"], Value::Null);
    assert_eq!(
        cleared["colors"],
        json!({"primary_color": 9, "secondary_color": null, "tertiary_color": null})
    );
}
