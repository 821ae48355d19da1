//! Strictness and semantics: the emulator refuses what Discord refuses, with the same status,
//! code and field path, and keeps Discord's ordering, hierarchy and permission-sync rules.

mod emulator_support;

use emulator_support::{Raw, client, raw, start};
use miyabi_guild::emulator::{Emulator, GuildState};
use serde_json::{Value, json};
use twilight_model::channel::ChannelType;
use twilight_model::guild::RolePosition;
use twilight_model::http::channel_position::Position;
use twilight_model::http::permission_overwrite::{PermissionOverwrite, PermissionOverwriteType};
use twilight_model::id::Id;

const MANAGE_CHANNELS: u64 = 1 << 4;
const MANAGE_ROLES: u64 = 1 << 28;
const VIEW_CHANNEL: u64 = 1 << 10;
const ADMINISTRATOR: u64 = 1 << 3;
/// Not in `@everyone`'s default permissions.
const KICK_MEMBERS: u64 = 1 << 1;

/// A new empty guild edited as JSON (the hand-written state format), then loaded.
fn state_with(edit: impl FnOnce(&mut Value)) -> GuildState {
    let mut value: Value = serde_json::from_str(&GuildState::new_empty("Rules").to_json()).unwrap();
    edit(&mut value);
    GuildState::from_json(&value.to_string()).unwrap()
}

/// Sets the bot's role permissions (so it is no longer an administrator).
fn bot_permissions(value: &mut Value, bits: u64) {
    let roles = value["roles"].as_array_mut().unwrap();
    let bot_role = roles
        .iter_mut()
        .find(|role| role["managed"] == true)
        .unwrap();
    bot_role["permissions"] = json!(bits.to_string());
}

fn push(value: &mut Value, key: &str, item: Value) {
    value[key].as_array_mut().unwrap().push(item);
}

struct Guild {
    emulator: Emulator,
    token: String,
    id: String,
}

impl Guild {
    async fn start(state: GuildState) -> Self {
        let token = state.token().to_owned();
        let id = state.guild_id().to_string();
        Self {
            emulator: start(state).await,
            token,
            id,
        }
    }

    async fn send(&self, method: &str, path: &str, body: Option<Value>) -> Raw {
        let path = format!("/api/v10{}", path.replace("{guild}", &self.id));
        let body = body.map(|body| body.to_string());
        raw(
            &self.emulator,
            method,
            &path,
            Some(&self.token),
            body.as_deref(),
        )
        .await
    }
}

fn assert_error(response: &Raw, status: u16, code: u64) {
    assert_eq!(response.status, status, "{:#}", response.body);
    assert_eq!(response.body["code"], code, "{:#}", response.body);
}

// ---- strictness -------------------------------------------------------------------------------

#[tokio::test]
async fn a_wrong_or_missing_token_is_401() {
    let guild = Guild::start(GuildState::new_empty("Auth")).await;
    for token in [Some("nope"), None] {
        let response = raw(&guild.emulator, "GET", "/api/v10/users/@me", token, None).await;
        assert_eq!(response.status, 401);
        assert_eq!(
            response.body,
            json!({"message": "401: Unauthorized", "code": 0})
        );
    }
}

#[tokio::test]
async fn unknown_routes_are_404_and_wrong_methods_405() {
    let guild = Guild::start(GuildState::new_empty("Routes")).await;
    let response = guild
        .send("GET", "/guilds/{guild}/nothing-here", None)
        .await;
    assert_eq!(response.status, 404);
    assert_eq!(
        response.body,
        json!({"message": "404: Not Found", "code": 0})
    );
    let response = guild.send("DELETE", "/guilds/{guild}/channels", None).await;
    assert_eq!(response.status, 405);
    assert_eq!(response.body["code"], 0);
}

#[tokio::test]
async fn an_invalid_channel_body_reports_every_field_error_at_once() {
    let guild = Guild::start(GuildState::new_empty("Form")).await;
    let body = json!({
        "name": "",
        "topic": "x".repeat(1025),
        "rate_limit_per_user": 30_000,
        "permission_overwrites": [{"id": "not-a-snowflake", "type": 5}, {"type": 0}],
    });
    let response = guild
        .send("POST", "/guilds/{guild}/channels", Some(body))
        .await;
    assert_error(&response, 400, 50035);
    assert_eq!(response.body["message"], "Invalid Form Body");
    assert_eq!(
        response.field_code(&["name"]).as_deref(),
        Some("BASE_TYPE_BAD_LENGTH")
    );
    assert_eq!(
        response.field_code(&["topic"]).as_deref(),
        Some("BASE_TYPE_MAX_LENGTH")
    );
    assert_eq!(
        response.field_code(&["rate_limit_per_user"]).as_deref(),
        Some("NUMBER_TYPE_MAX")
    );
    assert_eq!(
        response
            .field_code(&["permission_overwrites", "0", "id"])
            .as_deref(),
        Some("NUMBER_TYPE_COERCE")
    );
    assert_eq!(
        response
            .field_code(&["permission_overwrites", "0", "type"])
            .as_deref(),
        Some("BASE_TYPE_CHOICES")
    );
    assert_eq!(
        response
            .field_code(&["permission_overwrites", "1", "id"])
            .as_deref(),
        Some("BASE_TYPE_REQUIRED")
    );
    let missing_name = guild
        .send("POST", "/guilds/{guild}/channels", Some(json!({})))
        .await;
    assert_eq!(
        missing_name.field_code(&["name"]).as_deref(),
        Some("BASE_TYPE_REQUIRED")
    );
}

#[tokio::test]
async fn voice_limits_follow_the_boost_tier() {
    let guild = Guild::start(GuildState::new_empty("Voice")).await;
    let create = |body: Value| guild.send("POST", "/guilds/{guild}/channels", Some(body));
    let response =
        create(json!({"name": "v", "type": 2, "bitrate": 7999, "user_limit": 100})).await;
    assert_error(&response, 400, 50035);
    assert_eq!(
        response.field_code(&["bitrate"]).as_deref(),
        Some("NUMBER_TYPE_MIN")
    );
    assert_eq!(
        response.field_code(&["user_limit"]).as_deref(),
        Some("NUMBER_TYPE_MAX")
    );
    assert_eq!(
        response.body["errors"]["user_limit"]["_errors"][0]["message"],
        "int value should be less than or equal to 99."
    );
    let response = create(json!({"name": "v", "type": 2, "bitrate": 128_000})).await;
    assert_eq!(
        response.field_code(&["bitrate"]).as_deref(),
        Some("NUMBER_TYPE_MAX")
    );
    let response =
        create(json!({"name": "v", "type": 2, "bitrate": 96_000, "user_limit": 99})).await;
    assert_eq!(response.status, 201);

    let boosted = Guild::start(state_with(|state| {
        state["guild"]["premium_tier"] = json!(1)
    }))
    .await;
    let response = boosted
        .send(
            "POST",
            "/guilds/{guild}/channels",
            Some(json!({"name": "v", "type": 2, "bitrate": 128_000})),
        )
        .await;
    assert_eq!(response.status, 201, "{:#}", response.body);
}

#[tokio::test]
async fn channel_types_are_gated_by_guild_features() {
    let guild = Guild::start(GuildState::new_empty("Types")).await;
    let create = |kind: u8| {
        guild.send(
            "POST",
            "/guilds/{guild}/channels",
            Some(json!({"name": "c", "type": kind})),
        )
    };
    let announcement = create(5).await;
    assert_error(&announcement, 400, 50035);
    assert_eq!(
        announcement.field_code(&["type"]).as_deref(),
        Some("BASE_TYPE_CHOICES")
    );
    assert_error(&create(13).await, 400, 50024);
    assert_eq!(create(15).await.status, 201);
    assert_eq!(
        create(11).await.field_code(&["type"]).as_deref(),
        Some("BASE_TYPE_CHOICES")
    );

    let community = state_with(|state| state["guild"]["features"] = json!(["COMMUNITY", "NEWS"]));
    let guild = Guild::start(community).await;
    for kind in [5, 13] {
        let response = guild
            .send(
                "POST",
                "/guilds/{guild}/channels",
                Some(json!({"name": "c", "type": kind})),
            )
            .await;
        assert_eq!(response.status, 201, "{:#}", response.body);
    }
}

#[tokio::test]
async fn a_body_that_is_not_json_is_50109() {
    let guild = Guild::start(GuildState::new_empty("Json")).await;
    let path = format!("/api/v10/guilds/{}/channels", guild.id);
    let response = raw(
        &guild.emulator,
        "POST",
        &path,
        Some(&guild.token),
        Some("{name:"),
    )
    .await;
    assert_error(&response, 400, 50109);
}

#[tokio::test]
async fn parents_must_be_existing_categories() {
    let guild = Guild::start(state_with(|state| {
        push(
            state,
            "channels",
            json!({"id": "10", "type": 0, "name": "text"}),
        );
        push(
            state,
            "channels",
            json!({"id": "11", "type": 4, "name": "cat"}),
        );
    }))
    .await;
    let create = |body: Value| guild.send("POST", "/guilds/{guild}/channels", Some(body));
    for body in [
        json!({"name": "a", "parent_id": "10"}),
        json!({"name": "a", "parent_id": "999"}),
        json!({"name": "a", "type": 4, "parent_id": "11"}),
    ] {
        let response = create(body).await;
        assert_error(&response, 400, 50035);
        assert!(
            response.field_code(&["parent_id"]).is_some(),
            "{:#}",
            response.body
        );
    }
    assert_eq!(
        create(json!({"name": "a", "parent_id": 11})).await.status,
        201
    );
}

#[tokio::test]
async fn guild_limits_are_enforced() {
    // 50 channels in one category.
    let guild = Guild::start(state_with(|state| {
        push(state, "channels", json!({"id": "10", "type": 4, "name": "full"}));
        for index in 0..50 {
            push(state, "channels", json!({"id": (100 + index).to_string(), "name": format!("c{index}"), "parent_id": "10"}));
        }
    }))
    .await;
    let response = guild
        .send(
            "POST",
            "/guilds/{guild}/channels",
            Some(json!({"name": "one-more", "parent_id": "10"})),
        )
        .await;
    assert_error(&response, 400, 50035);
    assert_eq!(
        response.field_code(&["parent_id"]).as_deref(),
        Some("CHANNEL_PARENT_MAX_CHANNELS")
    );

    // 500 channels in the guild, 50 of them categories.
    let guild = Guild::start(state_with(|state| {
        for index in 0..500 {
            let kind = if index < 50 { 4 } else { 0 };
            push(state, "channels", json!({"id": (1000 + index).to_string(), "type": kind, "name": format!("c{index}")}));
        }
    }))
    .await;
    let response = guild
        .send(
            "POST",
            "/guilds/{guild}/channels",
            Some(json!({"name": "x"})),
        )
        .await;
    assert_error(&response, 400, 30013);
    let guild = Guild::start(state_with(|state| {
        for index in 0..50 {
            push(
                state,
                "channels",
                json!({"id": (1000 + index).to_string(), "type": 4, "name": format!("c{index}")}),
            );
        }
    }))
    .await;
    let response = guild
        .send(
            "POST",
            "/guilds/{guild}/channels",
            Some(json!({"name": "x", "type": 4})),
        )
        .await;
    assert_error(&response, 400, 30030);
    assert!(response.body["message"].as_str().unwrap().contains("(50)"));

    // 250 roles.
    let guild = Guild::start(state_with(|state| {
        for index in 0..248 {
            push(state, "roles", json!({"id": (5000 + index).to_string(), "name": format!("r{index}"), "position": 1}));
        }
    }))
    .await;
    let response = guild
        .send("POST", "/guilds/{guild}/roles", Some(json!({"name": "x"})))
        .await;
    assert_error(&response, 400, 30005);

    // 1000 overwrites on a channel.
    let guild = Guild::start(state_with(|state| {
        let overwrites: Vec<Value> = (0..1000)
            .map(|index| json!({"id": (9000 + index).to_string(), "type": 1, "allow": "0", "deny": "0"}))
            .collect();
        push(state, "channels", json!({"id": "10", "type": 0, "name": "busy", "permission_overwrites": overwrites}));
    }))
    .await;
    let bot =
        serde_json::from_str::<Value>(&guild.emulator.state().to_json()).unwrap()["bot_user_id"]
            .as_str()
            .unwrap()
            .to_owned();
    let response = guild
        .send(
            "PUT",
            &format!("/channels/10/permissions/{bot}"),
            Some(json!({"type": 1, "allow": "1024"})),
        )
        .await;
    assert_error(&response, 400, 30060);
}

#[tokio::test]
async fn unknown_ids_get_their_own_codes() {
    let state = GuildState::new_empty("Unknown");
    let owner = state.guild.owner_id;
    let guild = Guild::start(state_with(|state| {
        push(
            state,
            "channels",
            json!({"id": "10", "type": 0, "name": "t"}),
        );
        push(state, "users", json!({"id": "77", "username": "left"}));
    }))
    .await;
    assert_error(&guild.send("GET", "/channels/123", None).await, 404, 10003);
    assert_error(
        &guild
            .send("PATCH", "/channels/123", Some(json!({"name": "x"})))
            .await,
        404,
        10003,
    );
    assert_error(
        &guild.send("GET", "/guilds/123/roles", None).await,
        404,
        10004,
    );
    assert_error(
        &guild.send("GET", "/guilds/{guild}/roles/123", None).await,
        404,
        10011,
    );
    assert_error(
        &guild
            .send("DELETE", "/guilds/{guild}/roles/123", None)
            .await,
        404,
        10011,
    );
    assert_error(
        &guild.send("GET", "/guilds/{guild}/members/77", None).await,
        404,
        10007,
    );
    assert_error(
        &guild.send("GET", "/guilds/{guild}/members/78", None).await,
        404,
        10013,
    );
    assert_error(
        &guild
            .send("DELETE", "/channels/10/permissions/55", None)
            .await,
        404,
        10009,
    );
    assert_eq!(
        guild
            .send("GET", &format!("/guilds/{{guild}}/members/{owner}"), None)
            .await
            .status,
        200
    );
}

#[tokio::test]
async fn everyone_is_the_guild_id_and_cannot_be_deleted_or_moved() {
    let guild = Guild::start(GuildState::new_empty("Everyone")).await;
    let roles = guild.send("GET", "/guilds/{guild}/roles", None).await;
    let everyone = roles
        .body
        .as_array()
        .unwrap()
        .iter()
        .find(|role| role["name"] == "@everyone")
        .unwrap();
    assert_eq!(everyone["id"], guild.id.as_str());
    assert_eq!(everyone["position"], 0);
    let path = format!("/guilds/{{guild}}/roles/{}", guild.id);
    assert_error(&guild.send("DELETE", &path, None).await, 400, 50028);
    let moved = guild
        .send(
            "PATCH",
            "/guilds/{guild}/roles",
            Some(json!([{"id": guild.id, "position": 3}])),
        )
        .await;
    assert_error(&moved, 400, 50028);
    let edited = guild
        .send("PATCH", &path, Some(json!({"permissions": "1024"})))
        .await;
    assert_eq!(edited.status, 200, "{:#}", edited.body);
    assert_eq!(edited.body["permissions"], "1024");
}

#[tokio::test]
async fn missing_guild_permissions_are_50013() {
    let guild = Guild::start(state_with(|state| bot_permissions(state, VIEW_CHANNEL))).await;
    let response = guild
        .send(
            "POST",
            "/guilds/{guild}/channels",
            Some(json!({"name": "x"})),
        )
        .await;
    assert_error(&response, 403, 50013);
    assert_eq!(response.body["message"], "Missing Permissions");
    assert_error(
        &guild
            .send("POST", "/guilds/{guild}/roles", Some(json!({})))
            .await,
        403,
        50013,
    );
}

#[tokio::test]
async fn the_role_hierarchy_and_grant_rules_hold() {
    let guild = Guild::start(state_with(|state| {
        bot_permissions(state, MANAGE_ROLES | MANAGE_CHANNELS | VIEW_CHANNEL);
        let roles = state["roles"].as_array_mut().unwrap();
        roles.iter_mut().find(|role| role["managed"] == true).unwrap()["position"] = json!(3);
        push(state, "roles", json!({"id": "20", "name": "Admin", "position": 5}));
        push(state, "roles", json!({"id": "21", "name": "Peer", "position": 3}));
        push(state, "roles", json!({"id": "22", "name": "Member", "position": 1}));
        push(state, "roles", json!({"id": "23", "name": "Other bot", "position": 2, "managed": true, "tags": {"bot_id": "99"}}));
        push(state, "channels", json!({"id": "30", "type": 0, "name": "t"}));
    }))
    .await;
    // Above the bot's role; and at its position with a lower (older) id, which ranks higher.
    assert_error(
        &guild
            .send(
                "PATCH",
                "/guilds/{guild}/roles/20",
                Some(json!({"name": "x"})),
            )
            .await,
        403,
        50013,
    );
    assert_error(
        &guild
            .send(
                "PATCH",
                "/guilds/{guild}/roles/21",
                Some(json!({"name": "x"})),
            )
            .await,
        403,
        50013,
    );
    assert_error(
        &guild.send("DELETE", "/guilds/{guild}/roles/20", None).await,
        403,
        50013,
    );
    // Below: fine, but not with permissions the bot lacks.
    assert_eq!(
        guild
            .send(
                "PATCH",
                "/guilds/{guild}/roles/22",
                Some(json!({"name": "M"}))
            )
            .await
            .status,
        200
    );
    let grant = json!({"permissions": (ADMINISTRATOR).to_string()});
    assert_error(
        &guild
            .send("PATCH", "/guilds/{guild}/roles/22", Some(grant.clone()))
            .await,
        403,
        50013,
    );
    assert_error(
        &guild
            .send("POST", "/guilds/{guild}/roles", Some(grant))
            .await,
        403,
        50013,
    );
    let lacking = json!({"permissions": (VIEW_CHANNEL | KICK_MEMBERS).to_string()});
    assert_error(
        &guild
            .send("POST", "/guilds/{guild}/roles", Some(lacking))
            .await,
        403,
        50013,
    );
    assert_eq!(
        guild
            .send(
                "POST",
                "/guilds/{guild}/roles",
                Some(json!({"permissions": VIEW_CHANNEL.to_string()}))
            )
            .await
            .status,
        200
    );
    // Managed roles below the bot still cannot be deleted.
    assert_error(
        &guild.send("DELETE", "/guilds/{guild}/roles/23", None).await,
        400,
        50028,
    );
    // Moving a role above the bot's highest role.
    let moved = guild
        .send(
            "PATCH",
            "/guilds/{guild}/roles",
            Some(json!([{"id": "22", "position": 10}])),
        )
        .await;
    assert_error(&moved, 403, 50013);
    // Overwrites may only use permissions the bot has, and never MANAGE_ROLES without admin.
    for allow in [KICK_MEMBERS, MANAGE_ROLES] {
        let response = guild
            .send(
                "PUT",
                "/channels/30/permissions/22",
                Some(json!({"type": 0, "allow": allow.to_string()})),
            )
            .await;
        assert_error(&response, 403, 50013);
    }
    let response = guild
        .send(
            "PUT",
            "/channels/30/permissions/22",
            Some(json!({"type": 0, "deny": VIEW_CHANNEL})),
        )
        .await;
    assert_eq!(response.status, 204, "{:#}", response.body);
}

#[tokio::test]
async fn the_owner_bypasses_the_hierarchy() {
    let guild = Guild::start(state_with(|state| {
        state["guild"]["owner_id"] = state["bot_user_id"].clone();
        bot_permissions(state, 0);
        push(
            state,
            "roles",
            json!({"id": "20", "name": "Admin", "position": 5}),
        );
    }))
    .await;
    let response = guild
        .send(
            "PATCH",
            "/guilds/{guild}/roles/20",
            Some(json!({"name": "Boss"})),
        )
        .await;
    assert_eq!(response.status, 200, "{:#}", response.body);
}

#[tokio::test]
async fn only_one_parent_change_per_position_patch() {
    let guild = Guild::start(state_with(|state| {
        push(
            state,
            "channels",
            json!({"id": "10", "type": 4, "name": "a"}),
        );
        push(
            state,
            "channels",
            json!({"id": "11", "type": 0, "name": "x"}),
        );
        push(
            state,
            "channels",
            json!({"id": "12", "type": 0, "name": "y"}),
        );
    }))
    .await;
    let body = json!([{"id": "11", "parent_id": "10"}, {"id": "12", "parent_id": "10"}]);
    assert_error(
        &guild
            .send("PATCH", "/guilds/{guild}/channels", Some(body))
            .await,
        400,
        40009,
    );
    // Unchanged parents do not count.
    let body = json!([{"id": "11", "parent_id": "10", "position": 1}, {"id": "12", "parent_id": null, "position": 2}]);
    assert_eq!(
        guild
            .send("PATCH", "/guilds/{guild}/channels", Some(body))
            .await
            .status,
        204
    );
}

#[tokio::test]
async fn snowflakes_and_bitsets_may_be_integers() {
    let guild = Guild::start(state_with(|state| {
        push(
            state,
            "roles",
            json!({"id": "20", "name": "Member", "position": 1}),
        );
    }))
    .await;
    let body = json!({"name": "x", "permission_overwrites": [{"id": 20, "type": 0, "allow": 1024, "deny": "2048"}]});
    let response = guild
        .send("POST", "/guilds/{guild}/channels", Some(body))
        .await;
    assert_eq!(response.status, 201, "{:#}", response.body);
    assert_eq!(
        response.body["permission_overwrites"][0],
        json!({"id": "20", "type": 0, "allow": "1024", "deny": "2048"})
    );
}

// ---- semantics --------------------------------------------------------------------------------

#[tokio::test]
async fn channels_sort_by_bucket_and_new_channels_go_last() {
    let state = GuildState::new_empty("Order");
    let guild_id = state.guild_id();
    let token = state.token().to_owned();
    let emulator = start(state).await;
    let client = client(&emulator, &token);
    let create = |name: &'static str, kind: ChannelType| {
        let client = &client;
        async move {
            client
                .create_guild_channel(guild_id, name)
                .kind(kind)
                .await
                .unwrap()
                .model()
                .await
                .unwrap()
        }
    };
    let category = create("Hall", ChannelType::GuildCategory).await;
    let voice = client
        .create_guild_channel(guild_id, "Stage Left")
        .kind(ChannelType::GuildVoice)
        .parent_id(category.id)
        .await
        .unwrap()
        .model()
        .await
        .unwrap();
    let text = client
        .create_guild_channel(guild_id, "Front Door")
        .parent_id(category.id)
        .await
        .unwrap()
        .model()
        .await
        .unwrap();
    let loose = create("Lobby", ChannelType::GuildText).await;
    assert!(voice.position < text.position && text.position < loose.position);
    let names = |emulator: &Emulator| -> Vec<String> {
        emulator
            .state()
            .channels()
            .iter()
            .map(|channel| channel.name.clone())
            .collect()
    };
    // Uncategorised first, then the category with text-like before voice-like children.
    assert_eq!(
        names(&emulator),
        ["lobby", "Hall", "front-door", "Stage Left"]
    );
    // Equal positions sort by id; moving the text channel below the voice one keeps buckets.
    let moves = [Position {
        id: text.id,
        position: Some(Some(0)),
        parent_id: None,
        lock_permissions: None,
    }];
    client
        .update_guild_channel_positions(guild_id, &moves)
        .await
        .unwrap();
    assert_eq!(
        names(&emulator),
        ["lobby", "Hall", "front-door", "Stage Left"]
    );
    let after = create("Later", ChannelType::GuildText).await;
    assert!(
        emulator
            .state()
            .channels
            .iter()
            .all(|c| c.id == after.id || Some(c.position as i32) < after.position)
    );
}

#[tokio::test]
async fn roles_are_created_at_the_bottom_and_renumbered_on_reorder() {
    let state = GuildState::new_empty("Roles");
    let guild_id = state.guild_id();
    let bot_role = state.role_named("Miyabi Guild").unwrap().id;
    let token = state.token().to_owned();
    let emulator = start(state).await;
    let client = client(&emulator, &token);
    let first = client
        .create_role(guild_id)
        .name("First")
        .await
        .unwrap()
        .model()
        .await
        .unwrap();
    let second = client
        .create_role(guild_id)
        .name("Second")
        .await
        .unwrap()
        .model()
        .await
        .unwrap();
    assert_eq!((first.position, second.position), (1, 1));
    let order = |emulator: &Emulator| -> Vec<String> {
        emulator
            .state()
            .roles()
            .iter()
            .map(|role| role.name.clone())
            .collect()
    };
    assert_eq!(
        order(&emulator),
        ["@everyone", "Second", "First", "Miyabi Guild"]
    );
    let moves = [
        RolePosition {
            id: bot_role,
            position: 3,
        },
        RolePosition {
            id: second.id,
            position: 2,
        },
        RolePosition {
            id: first.id,
            position: 1,
        },
    ];
    let roles = client
        .update_role_positions(guild_id, &moves)
        .await
        .unwrap()
        .models()
        .await
        .unwrap();
    assert_eq!(roles.len(), 4);
    assert_eq!(
        order(&emulator),
        ["@everyone", "First", "Second", "Miyabi Guild"]
    );
    let mut positions: Vec<i64> = emulator
        .state()
        .roles()
        .iter()
        .map(|role| role.position)
        .collect();
    positions.dedup();
    assert_eq!(positions, [0, 1, 2, 3]);
}

#[tokio::test]
async fn category_overwrite_changes_reach_synced_children_only() {
    let state = GuildState::new_empty("Sync");
    let guild_id = state.guild_id();
    let everyone = state.everyone_role_id();
    let token = state.token().to_owned();
    let emulator = start(state).await;
    let client = client(&emulator, &token);
    let hide = PermissionOverwrite {
        allow: None,
        deny: Some(twilight_model::guild::Permissions::VIEW_CHANNEL),
        id: everyone.cast(),
        kind: PermissionOverwriteType::Role,
    };
    let hide_model = twilight_model::channel::permission_overwrite::PermissionOverwrite {
        allow: twilight_model::guild::Permissions::empty(),
        deny: twilight_model::guild::Permissions::VIEW_CHANNEL,
        id: everyone.cast(),
        kind: twilight_model::channel::permission_overwrite::PermissionOverwriteType::Role,
    };
    let category = client
        .create_guild_channel(guild_id, "Staff")
        .kind(ChannelType::GuildCategory)
        .permission_overwrites(std::slice::from_ref(&hide_model))
        .await
        .unwrap()
        .model()
        .await
        .unwrap();
    let synced = client
        .create_guild_channel(guild_id, "synced")
        .parent_id(category.id)
        .await
        .unwrap()
        .model()
        .await
        .unwrap();
    let own = client
        .create_guild_channel(guild_id, "own")
        .parent_id(category.id)
        .permission_overwrites(&[])
        .await
        .unwrap()
        .model()
        .await
        .unwrap();
    let overwrites = |id| {
        emulator
            .state()
            .channel(id)
            .unwrap()
            .permission_overwrites
            .clone()
    };
    assert_eq!(
        overwrites(synced.id).len(),
        1,
        "a new child copies its category's overwrites"
    );
    assert!(overwrites(own.id).is_empty());

    // PUT on the category propagates to the synced child.
    let role = client
        .create_role(guild_id)
        .name("Staff")
        .await
        .unwrap()
        .model()
        .await
        .unwrap();
    let allow = PermissionOverwrite {
        allow: Some(twilight_model::guild::Permissions::VIEW_CHANNEL),
        deny: None,
        id: role.id.cast(),
        kind: PermissionOverwriteType::Role,
    };
    client
        .update_channel_permission(category.id, &allow)
        .await
        .unwrap();
    assert_eq!(overwrites(synced.id), overwrites(category.id));
    assert_eq!(overwrites(synced.id).len(), 2);
    assert!(overwrites(own.id).is_empty());

    // DELETE on the category propagates too.
    client
        .delete_channel_permission(category.id)
        .role(role.id)
        .await
        .unwrap();
    assert_eq!(overwrites(synced.id), overwrites(category.id));

    // PATCH of the category's overwrites propagates.
    client
        .update_channel(category.id)
        .permission_overwrites(&[])
        .await
        .unwrap();
    assert!(overwrites(synced.id).is_empty());

    // A child that diverged no longer follows.
    client
        .update_channel_permission(synced.id, &allow)
        .await
        .unwrap();
    client
        .update_channel_permission(category.id, &hide)
        .await
        .unwrap();
    assert_eq!(overwrites(synced.id).len(), 1);
    assert_ne!(overwrites(synced.id), overwrites(category.id));

    // `own` matched the emptied category, so it counted as synced and followed the last PUT.
    assert_eq!(overwrites(own.id), overwrites(category.id));

    // Moving with PATCH parent_id does not re-sync; lock_permissions in the bulk call does.
    let other = client
        .create_guild_channel(guild_id, "Other")
        .kind(ChannelType::GuildCategory)
        .await
        .unwrap()
        .model()
        .await
        .unwrap();
    client
        .update_channel(own.id)
        .parent_id(Some(other.id))
        .await
        .unwrap();
    assert_eq!(overwrites(own.id).len(), 1);
    client
        .update_channel(own.id)
        .parent_id(Some(category.id))
        .await
        .unwrap();
    let moves = [Position {
        id: own.id,
        position: None,
        parent_id: Some(Some(other.id)),
        lock_permissions: Some(Some(true)),
    }];
    client
        .update_guild_channel_positions(guild_id, &moves)
        .await
        .unwrap();
    assert!(overwrites(own.id).is_empty());
    assert_eq!(
        emulator.state().channel(own.id).unwrap().parent_id,
        Some(other.id)
    );
}

#[tokio::test]
async fn deleting_a_category_orphans_its_children() {
    let guild = Guild::start(state_with(|state| {
        push(
            state,
            "channels",
            json!({"id": "10", "type": 4, "name": "cat"}),
        );
        push(
            state,
            "channels",
            json!({"id": "11", "type": 0, "name": "child", "parent_id": "10"}),
        );
    }))
    .await;
    let response = guild.send("DELETE", "/channels/10", None).await;
    assert_eq!(response.status, 200);
    assert_eq!(response.body["id"], "10");
    let state = guild.emulator.state();
    assert_eq!(state.channels.len(), 1);
    assert_eq!(state.channel(Id::new(11)).unwrap().parent_id, None);
}

#[tokio::test]
async fn text_names_are_normalised_and_voice_names_kept() {
    let guild = Guild::start(GuildState::new_empty("Names")).await;
    let create = |body: Value| guild.send("POST", "/guilds/{guild}/channels", Some(body));
    assert_eq!(
        create(json!({"name": "Hello World"})).await.body["name"],
        "hello-world"
    );
    assert_eq!(
        create(json!({"name": "Hello World", "type": 2})).await.body["name"],
        "Hello World"
    );
    assert_eq!(
        create(json!({"name": "Big Hall", "type": 4})).await.body["name"],
        "Big Hall"
    );
    let renamed = guild.send("GET", "/guilds/{guild}/channels", None).await;
    let id = renamed.body[0]["id"].as_str().unwrap().to_owned();
    let patched = guild
        .send(
            "PATCH",
            &format!("/channels/{id}"),
            Some(json!({"name": "Good Bye"})),
        )
        .await;
    assert_eq!(patched.body["name"], "good-bye");
}

#[tokio::test]
async fn role_bodies_and_overwrite_counts_are_validated() {
    let guild = Guild::start(GuildState::new_empty("Role form")).await;
    let body = json!({"name": "x".repeat(101), "color": 0x100_0000, "hoist": "yes"});
    let response = guild
        .send("POST", "/guilds/{guild}/roles", Some(body))
        .await;
    assert_error(&response, 400, 50035);
    assert_eq!(
        response.field_code(&["name"]).as_deref(),
        Some("BASE_TYPE_BAD_LENGTH")
    );
    assert_eq!(
        response.field_code(&["color"]).as_deref(),
        Some("NUMBER_TYPE_MAX")
    );
    assert_eq!(
        response.field_code(&["hoist"]).as_deref(),
        Some("BASE_TYPE_BOOLEAN")
    );
    let bot = guild.emulator.state().bot_user_id().to_string();
    let overwrites: Vec<Value> = (0..101).map(|_| json!({"id": bot, "type": 1})).collect();
    let response = guild
        .send(
            "POST",
            "/guilds/{guild}/channels",
            Some(json!({"name": "x", "permission_overwrites": overwrites})),
        )
        .await;
    assert_eq!(
        response.field_code(&["permission_overwrites"]).as_deref(),
        Some("BASE_TYPE_MAX_LENGTH")
    );
}
