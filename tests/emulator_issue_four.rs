//! Strictness of the issue-4 routes: welcome screen, onboarding, automod, scheduled events,
//! webhooks and messages refuse what Discord refuses, with its status and code.

mod emulator_support;

use emulator_support::{Server, assert_error, state_with};
use serde_json::json;

/// A community guild with text channels 10-12, voice 13, stage 14, and a message by the owner.
fn guild() -> miyabi_guild::emulator::GuildState {
    state_with(|value| {
        value["guild"]["features"] = json!(["COMMUNITY", "NEWS"]);
        let channels = value["channels"].as_array_mut().unwrap();
        for (id, kind) in [(10, 0), (11, 0), (12, 0), (13, 2), (14, 13)] {
            channels.push(json!({"id": id.to_string(), "type": kind, "name": format!("c{id}")}));
        }
        let owner = value["guild"]["owner_id"].clone();
        value["messages"] =
            json!([{"id": "50", "channel_id": "10", "author_id": owner, "content": "hi"}]);
    })
}

#[tokio::test]
async fn welcome_screen_rules() {
    let server = Server::start(guild()).await;
    assert_error(
        &server
            .send("GET", "/guilds/{guild}/welcome-screen", None)
            .await,
        404,
        10069,
    );
    let response = server
        .send("PATCH", "/guilds/{guild}/welcome-screen", Some(json!({
            "description": "x".repeat(141),
            "welcome_channels": [{"channel_id": "999", "description": ""}, {"channel_id": "10"}],
        })))
        .await;
    assert_error(&response, 400, 50035);
    assert_eq!(
        response.field_code(&["description"]).as_deref(),
        Some("BASE_TYPE_MAX_LENGTH")
    );
    assert_eq!(
        response
            .field_code(&["welcome_channels", "0", "channel_id"])
            .as_deref(),
        Some("CHANNEL_UNKNOWN")
    );
    assert_eq!(
        response
            .field_code(&["welcome_channels", "0", "description"])
            .as_deref(),
        Some("BASE_TYPE_BAD_LENGTH")
    );
    assert_eq!(
        response
            .field_code(&["welcome_channels", "1", "description"])
            .as_deref(),
        Some("BASE_TYPE_REQUIRED")
    );
    let six: Vec<_> = (0..6)
        .map(|_| json!({"channel_id": "10", "description": "d"}))
        .collect();
    let response = server
        .send(
            "PATCH",
            "/guilds/{guild}/welcome-screen",
            Some(json!({"welcome_channels": six})),
        )
        .await;
    assert_eq!(
        response.field_code(&["welcome_channels"]).as_deref(),
        Some("BASE_TYPE_MAX_LENGTH")
    );
    let body = server
        .ok(
            "PATCH",
            "/guilds/{guild}/welcome-screen",
            Some(json!({"enabled": true})),
        )
        .await;
    assert!(body.get("enabled").is_none());
    assert!(server.state().has_feature("WELCOME_SCREEN_ENABLED"));

    let plain = Server::start(state_with(|_| {})).await;
    let response = plain
        .send(
            "PATCH",
            "/guilds/{guild}/welcome-screen",
            Some(json!({"enabled": true})),
        )
        .await;
    assert_error(&response, 400, 50035);
}

#[tokio::test]
async fn onboarding_rules() {
    let server = Server::start(guild()).await;
    let defaults = server.ok("GET", "/guilds/{guild}/onboarding", None).await;
    assert_eq!(defaults["enabled"], false);
    assert_eq!(defaults["prompts"], json!([]));
    // 3 default channels are below the documented 7 / 5.
    let response = server
        .send(
            "PUT",
            "/guilds/{guild}/onboarding",
            Some(json!({"enabled": true, "default_channel_ids": ["10", "11", "12"]})),
        )
        .await;
    assert_error(&response, 400, 350000);
    let response = server
        .send("PUT", "/guilds/{guild}/onboarding", Some(json!({"prompts": [
            {"title": "", "options": []},
            {"id": "7", "title": "t", "options": [{"title": "o", "role_ids": ["999"], "channel_ids": ["10", "10"]}]},
        ], "mode": 3, "default_channel_ids": ["999"]})))
        .await;
    assert_error(&response, 400, 50035);
    for path in [
        &["prompts", "0", "id"][..],
        &["prompts", "0", "title"],
        &["prompts", "0", "options"],
        &["prompts", "1", "options", "0", "role_ids", "0"],
        &["prompts", "1", "options", "0", "channel_ids", "1"],
        &["mode"],
        &["default_channel_ids", "0"],
    ] {
        assert!(
            response.field_code(path).is_some(),
            "{path:?}: {:#}",
            response.body
        );
    }
    // Option ids: kept when given, generated otherwise.
    let body = server
        .ok("PUT", "/guilds/{guild}/onboarding", Some(json!({"prompts": [
            {"id": "7", "title": "t", "options": [{"id": "8", "title": "a"}, {"title": "b", "emoji_name": "🅱️"}]}]})))
        .await;
    let options = &body["prompts"][0]["options"];
    assert_eq!(options[0]["id"], "8");
    assert_ne!(options[1]["id"], "8");
    assert_eq!(options[1]["emoji"]["name"], "🅱️");
}

#[tokio::test]
async fn auto_moderation_rules() {
    let server = Server::start(guild()).await;
    let path = "/guilds/{guild}/auto-moderation/rules";
    let rule = |name: &str, trigger: u8| {
        json!({"name": name, "event_type": 1, "trigger_type": trigger,
        "actions": [{"type": 1, "metadata": {"custom_message": null}}], "enabled": null,
        "exempt_roles": null, "exempt_channels": null, "trigger_metadata": null})
    };
    server.ok("POST", path, Some(rule("spam", 3))).await;
    let response = server.send("POST", path, Some(rule("spam2", 3))).await;
    assert_error(&response, 400, 50035);
    assert_eq!(
        response.field_code(&["0"]).as_deref(),
        Some("AUTO_MODERATION_MAX_RULES_OF_TYPE_EXCEEDED")
    );
    for index in 0..6 {
        server
            .ok("POST", path, Some(rule(&format!("k{index}"), 1)))
            .await;
    }
    assert_error(
        &server.send("POST", path, Some(rule("k6", 1))).await,
        400,
        50035,
    );
    assert!(server.state().has_feature("AUTO_MODERATION"));
    // Timeout only on keyword / mention spam; alert channels must exist; limits.
    let response = server
        .send(
            "POST",
            path,
            Some(json!({"name": "m", "event_type": 1, "trigger_type": 5,
        "trigger_metadata": {"mention_total_limit": 51},
        "actions": [{"type": 2, "metadata": {"channel_id": "999"}}, {"type": 4}],
        "exempt_roles": (0..21).map(|i| (i + 1000).to_string()).collect::<Vec<_>>()})),
        )
        .await;
    assert_error(&response, 400, 50035);
    for field in [
        &["trigger_metadata", "mention_total_limit"][..],
        &["actions", "0", "metadata", "channel_id"],
        &["actions", "1", "type"],
        &["exempt_roles"],
    ] {
        assert!(
            response.field_code(field).is_some(),
            "{field:?}: {:#}",
            response.body
        );
    }
    let response = server.send("POST", path, Some(json!({"name": "p", "event_type": 1, "trigger_type": 4,
        "actions": [{"type": 3, "metadata": {"duration_seconds": 60}}], "trigger_metadata": {"presets": [1]}}))).await;
    assert_eq!(
        response.field_code(&["actions", "0", "type"]).as_deref(),
        Some("BASE_TYPE_CHOICES")
    );
    let response = server
        .send(
            "POST",
            path,
            Some(json!({"name": "n", "event_type": 1, "trigger_type": 5})),
        )
        .await;
    assert_eq!(
        response.field_code(&["actions"]).as_deref(),
        Some("BASE_TYPE_REQUIRED")
    );
    // trigger_type is immutable.
    let id = server.state().auto_moderation_rules[0].id;
    let response = server
        .send(
            "PATCH",
            &format!("{path}/{id}"),
            Some(json!({"trigger_type": 1})),
        )
        .await;
    assert_eq!(
        response.field_code(&["trigger_type"]).as_deref(),
        Some("BASE_TYPE_CHOICES")
    );
    assert_error(
        &server.send("GET", &format!("{path}/123"), None).await,
        404,
        0,
    );
}

#[tokio::test]
async fn scheduled_event_rules() {
    let server = Server::start(guild()).await;
    let path = "/guilds/{guild}/scheduled-events";
    let response = server
        .send(
            "POST",
            path,
            Some(json!({"name": "e", "privacy_level": 1, "entity_type": 3,
        "channel_id": "10", "scheduled_start_time": "2030-01-01T10:00:00Z"})),
        )
        .await;
    assert_error(&response, 400, 50035);
    assert_eq!(
        response.field_code(&["privacy_level"]).as_deref(),
        Some("BASE_TYPE_CHOICES")
    );
    let response = server
        .send(
            "POST",
            path,
            Some(json!({"name": "e", "privacy_level": 2, "entity_type": 3,
        "channel_id": "10", "scheduled_start_time": "2030-01-01T10:00:00Z"})),
        )
        .await;
    for field in [
        &["channel_id"][..],
        &["entity_metadata", "location"],
        &["scheduled_end_time"],
    ] {
        assert!(
            response.field_code(field).is_some(),
            "{field:?}: {:#}",
            response.body
        );
    }
    let response = server
        .send(
            "POST",
            path,
            Some(json!({"name": "e", "privacy_level": 2, "entity_type": 2,
        "channel_id": "14", "scheduled_start_time": "2030-01-01T10:00:00Z"})),
        )
        .await;
    assert_eq!(
        response.field_code(&["channel_id"]).as_deref(),
        Some("CHANNEL_TYPE_INVALID")
    );
    let response = server
        .send(
            "POST",
            path,
            Some(json!({"name": "e", "privacy_level": 2, "entity_type": 2,
        "channel_id": "13", "scheduled_start_time": "2030-01-01T10:00:00Z",
        "recurrence_rule": {"start": "2030-01-01T10:00:00Z", "frequency": 3, "interval": 2,
                            "by_weekday": [0, 2], "count": 5}})),
        )
        .await;
    for field in [
        &["recurrence_rule", "by_weekday"][..],
        &["recurrence_rule", "interval"],
        &["recurrence_rule", "count"],
    ] {
        assert!(
            response.field_code(field).is_some(),
            "{field:?}: {:#}",
            response.body
        );
    }
    let event = server
        .ok(
            "POST",
            path,
            Some(json!({"name": "e", "privacy_level": 2, "entity_type": 2,
        "channel_id": "13", "scheduled_start_time": "2030-01-01T10:00:00Z",
        "entity_metadata": {"location": "dropped"}})),
        )
        .await;
    assert_eq!(event["entity_metadata"], serde_json::Value::Null);
    let one = format!("{path}/{}", event["id"].as_str().unwrap());
    let response = server.send("PATCH", &one, Some(json!({"status": 3}))).await;
    assert_eq!(
        response.field_code(&["status"]).as_deref(),
        Some("GUILD_SCHEDULED_EVENT_INVALID_STATUS_TRANSITION")
    );
    server.ok("PATCH", &one, Some(json!({"status": 2}))).await;
    server.ok("PATCH", &one, Some(json!({"status": 3}))).await;
    assert_error(
        &server
            .send("PATCH", &one, Some(json!({"name": "again"})))
            .await,
        400,
        180000,
    );
    assert_error(
        &server.send("GET", &format!("{path}/1234"), None).await,
        404,
        10070,
    );
}

#[tokio::test]
async fn webhook_and_message_rules() {
    let server = Server::start(guild()).await;
    for name in ["My Clyde", "discordbot", ""] {
        let response = server
            .send("POST", "/channels/10/webhooks", Some(json!({"name": name})))
            .await;
        assert_error(&response, 400, 50035);
    }
    for index in 0..15 {
        server
            .ok(
                "POST",
                "/channels/10/webhooks",
                Some(json!({"name": format!("w{index}")})),
            )
            .await;
    }
    assert_error(
        &server
            .send(
                "POST",
                "/channels/10/webhooks",
                Some(json!({"name": "w15"})),
            )
            .await,
        400,
        30007,
    );
    let hook = &server.state().webhooks[0];
    let body = server
        .ok("GET", &format!("/webhooks/{}", hook.id), None)
        .await;
    assert_eq!(
        body["url"],
        format!(
            "https://discord.com/api/webhooks/{}/{}",
            hook.id, hook.token
        )
    );
    assert_error(&server.send("GET", "/webhooks/1", None).await, 404, 10015);

    assert_error(
        &server
            .send(
                "PATCH",
                "/channels/10/messages/50",
                Some(json!({"content": "x"})),
            )
            .await,
        403,
        50005,
    );
    let response = server
        .send(
            "POST",
            "/channels/10/messages",
            Some(json!({"content": "x".repeat(2001)})),
        )
        .await;
    assert_eq!(
        response.field_code(&["content"]).as_deref(),
        Some("BASE_TYPE_MAX_LENGTH")
    );
    assert_error(
        &server
            .send(
                "POST",
                "/channels/10/messages",
                Some(json!({"content": ""})),
            )
            .await,
        400,
        50006,
    );
    let mine = server
        .ok(
            "POST",
            "/channels/10/messages",
            Some(json!({"content": "mine"})),
        )
        .await;
    let list = server
        .ok("GET", "/channels/10/messages?limit=1", None)
        .await;
    assert_eq!(list.as_array().unwrap().len(), 1);
    assert_eq!(list[0]["id"], mine["id"]);
    let older = server
        .ok(
            "GET",
            &format!(
                "/channels/10/messages?before={}",
                mine["id"].as_str().unwrap()
            ),
            None,
        )
        .await;
    assert_eq!(older[0]["id"], "50");
    assert_error(
        &server
            .send("GET", "/channels/10/messages?limit=101", None)
            .await,
        400,
        50035,
    );
    assert_error(
        &server.send("GET", "/channels/10/messages/51", None).await,
        404,
        10008,
    );
}
