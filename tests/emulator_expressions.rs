//! The emulator's custom emoji, strict like Discord: names, formats by magic bytes and size,
//! roles, permissions, slots, unknown ids; the CDN serves the uploaded bytes by emoji id.

mod emulator_support;

use emulator_support::{Server, assert_error, set_bot_permissions, state_with};
use serde_json::json;

const PNG: &str = "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==";

#[tokio::test]
async fn emoji_fields_are_validated_all_at_once() {
    let server = Server::start(state_with(|_| {})).await;
    let response = server
        .send(
            "POST",
            "/guilds/{guild}/emojis",
            Some(json!({ "name": "no spaces", "image": "data:text/plain;base64,aGk=", "roles": ["999"] })),
        )
        .await;
    assert_error(&response, 400, 50035);
    assert_eq!(
        response.field_code(&["name"]).as_deref(),
        Some("STRING_TYPE_REGEX")
    );
    assert_eq!(
        response.field_code(&["image"]).as_deref(),
        Some("IMAGE_INVALID")
    );
    assert_eq!(
        response.field_code(&["roles", "0"]).as_deref(),
        Some("ROLE_UNKNOWN")
    );

    let response = server
        .send(
            "POST",
            "/guilds/{guild}/emojis",
            Some(json!({ "name": "x" })),
        )
        .await;
    assert_eq!(
        response.field_code(&["name"]).as_deref(),
        Some("BASE_TYPE_BAD_LENGTH")
    );
    assert_eq!(
        response.field_code(&["image"]).as_deref(),
        Some("BASE_TYPE_REQUIRED")
    );

    // 256 KiB at most.
    let big = format!(
        "data:image/png;base64,{}",
        "iVBORw0KGgoAAAAA".repeat(256 * 1024 / 12 + 1)
    );
    let response = server
        .send(
            "POST",
            "/guilds/{guild}/emojis",
            Some(json!({ "name": "big", "image": big })),
        )
        .await;
    assert_eq!(
        response.field_code(&["image"]).as_deref(),
        Some("BINARY_TYPE_MAX_SIZE")
    );
    assert!(server.state().emojis.is_empty());
}

#[tokio::test]
async fn permissions_unknown_ids_and_slots() {
    let server = Server::start(state_with(|value| set_bot_permissions(value, 0))).await;
    let response = server
        .send(
            "POST",
            "/guilds/{guild}/emojis",
            Some(json!({ "name": "ok", "image": PNG })),
        )
        .await;
    assert_error(&response, 403, 50013);

    let server = Server::start(state_with(|_| {})).await;
    let response = server
        .send(
            "PATCH",
            "/guilds/{guild}/emojis/12345",
            Some(json!({ "roles": [] })),
        )
        .await;
    assert_error(&response, 404, 10014);
    for n in 0..50 {
        server
            .ok(
                "POST",
                "/guilds/{guild}/emojis",
                Some(json!({ "name": format!("e{n}"), "image": PNG })),
            )
            .await;
    }
    let response = server
        .send(
            "POST",
            "/guilds/{guild}/emojis",
            Some(json!({ "name": "more", "image": PNG })),
        )
        .await;
    assert_error(&response, 400, 30008);
}

#[tokio::test]
async fn sounds_are_checked_like_discord_checks_them() {
    let server = Server::start(state_with(|_| {})).await;
    let response = server
        .send(
            "POST",
            "/guilds/{guild}/soundboard-sounds",
            Some(json!({ "name": "x", "sound": PNG, "volume": 3, "emoji_id": "999" })),
        )
        .await;
    assert_error(&response, 400, 50035);
    assert_eq!(
        response.field_code(&["name"]).as_deref(),
        Some("BASE_TYPE_BAD_LENGTH")
    );
    assert_eq!(
        response.field_code(&["sound"]).as_deref(),
        Some("SOUND_INVALID")
    );
    assert_eq!(
        response.field_code(&["volume"]).as_deref(),
        Some("NUMBER_TYPE_MAX")
    );
    assert_eq!(
        response.field_code(&["emoji_id"]).as_deref(),
        Some("EMOJI_UNKNOWN")
    );
    let response = server
        .send("DELETE", "/guilds/{guild}/soundboard-sounds/42", None)
        .await;
    assert_error(&response, 404, 10097);
    let mp3 = "data:audio/mpeg;base64,SUQzBAAAAAAAAP/7kAA=";
    for n in 0..8 {
        server
            .ok(
                "POST",
                "/guilds/{guild}/soundboard-sounds",
                Some(json!({ "name": format!("sound {n}"), "sound": mp3 })),
            )
            .await;
    }
    let response = server
        .send(
            "POST",
            "/guilds/{guild}/soundboard-sounds",
            Some(json!({ "name": "ninth", "sound": mp3 })),
        )
        .await;
    assert_error(&response, 400, 30045);
}

#[tokio::test]
async fn stickers_take_form_data_only() {
    let server = Server::start(state_with(|_| {})).await;
    let response = server
        .send(
            "POST",
            "/guilds/{guild}/stickers",
            Some(json!({ "name": "wave", "tags": "👋", "file": PNG })),
        )
        .await;
    assert_error(&response, 400, 50035);
    assert_eq!(
        response.field_code(&["file"]).as_deref(),
        Some("BASE_TYPE_REQUIRED")
    );
    let response = server
        .send("GET", "/guilds/{guild}/stickers/77", None)
        .await;
    assert_error(&response, 404, 10060);
}
