//! Invites, the widget and the vanity URL: `GET /guilds/{guild_id}/invites`,
//! `GET|POST /channels/{channel_id}/invites`, `DELETE /invites/{code}`,
//! `GET|PATCH /guilds/{guild_id}/widget`, `GET /guilds/{guild_id}/vanity-url` (`invite.mdx`,
//! `channel.mdx` Create Channel Invite / Get Channel Invites, `guild.mdx` Get Guild Invites,
//! widget settings, Get Guild Vanity URL).
//!
//! Design notes:
//! - Permissions as the docs say: listing the guild's invites needs MANAGE_GUILD (VIEW_AUDIT_LOG
//!   alone lists them without metadata); a channel's invites need MANAGE_CHANNELS there; creating
//!   needs CREATE_INSTANT_INVITE in the channel; deleting needs MANAGE_CHANNELS in the invite's
//!   channel or MANAGE_GUILD; the widget and the vanity URL need MANAGE_GUILD.
//! - Create: the body is required (an empty object at least: 50109 otherwise); `max_age` 0-604800,
//!   `max_uses` 0-100 (50035 `NUMBER_TYPE_MAX` with the field path); categories take no invites
//!   (50024); 1000 invites per guild (30016). Without `unique: true` an invite of the same
//!   inviter, channel and settings is answered again instead of a new one, as the docs say
//!   ("don't try to reuse a similar invite").
//! - Unknown invites are 10006 (404). Expiry is not emulated: an invite lives until deleted.
//! - The vanity URL needs the VANITY_URL feature (50013 without it [inferred: Discord's answer
//!   is undocumented]). Discord documents no way to set the code; the emulator has none either.

use serde_json::{Value, json};
use twilight_model::id::Id;
use twilight_model::id::marker::ChannelMarker;

use super::{Call, Reply};
use crate::emulator::error::{ApiError, FormErrors};
use crate::emulator::state::{
    Channel, GuildState, Invite, channel_type, invite_code, permission, user_json,
};
use crate::emulator::time;
use crate::emulator::validate::{Field, Fields};
use crate::permissions::Permissions;

const CREATE_INSTANT_INVITE: Permissions = Permissions::from_bits(1);
const MANAGE_CHANNELS: Permissions = Permissions::from_bits(1 << 4);
const VIEW_AUDIT_LOG: Permissions = Permissions::from_bits(1 << 7);
pub const MAX_AGE_MAX: i64 = 604_800;
pub const MAX_USES_MAX: i64 = 100;
pub const MAX_PER_GUILD: usize = 1000;

fn unknown_invite() -> ApiError {
    ApiError::new(axum::http::StatusCode::NOT_FOUND, 10006, "Unknown Invite")
}

fn max_invites() -> ApiError {
    ApiError::new(
        axum::http::StatusCode::BAD_REQUEST,
        30016,
        "Maximum number of invites reached (1000)",
    )
}

fn in_channel(state: &GuildState, channel: &Channel, needed: Permissions) -> bool {
    state
        .channel_permissions(state.bot_user_id, channel)
        .contains(needed)
}

/// An invite as Discord answers it; `metadata` adds uses, limits and the creation time.
fn invite_json(state: &GuildState, invite: &Invite, metadata: bool) -> Value {
    let guild = &state.guild;
    let channel = state.channel(invite.channel_id);
    let created = time::snowflake_millis(invite.id.get());
    let expires_at =
        (invite.max_age > 0).then(|| time::format(created + i64::from(invite.max_age) * 1000));
    let mut body = json!({
        "type": 0,
        "code": invite.code,
        "expires_at": expires_at,
        "guild_id": guild.id.to_string(),
        "guild": {
            "id": guild.id.to_string(),
            "name": guild.name,
            "splash": guild.splash,
            "banner": guild.banner,
            "description": guild.description,
            "icon": guild.icon,
            "features": guild.features,
            "verification_level": guild.verification_level,
            "vanity_url_code": guild.vanity_url_code,
            "nsfw_level": guild.nsfw_level,
            "nsfw": false,
            "premium_subscription_count": guild.premium_subscription_count,
        },
        "channel": {
            "id": invite.channel_id.to_string(),
            "type": channel.map_or(0, |c| c.kind),
            "name": channel.map(|c| c.name.clone()),
        },
    });
    if let Some(user) = invite.inviter_id.and_then(|id| state.user(id)) {
        body["inviter"] = user_json(user);
    }
    if metadata {
        body["uses"] = json!(invite.uses);
        body["max_uses"] = json!(invite.max_uses);
        body["max_age"] = json!(invite.max_age);
        body["temporary"] = json!(invite.temporary);
        body["created_at"] = json!(time::format(created));
    }
    body
}

fn channel_of(state: &GuildState, call: &Call) -> Result<Id<ChannelMarker>, ApiError> {
    let id: Id<ChannelMarker> = call.id("channel_id", ApiError::unknown_channel)?;
    state.channel(id).ok_or_else(ApiError::unknown_channel)?;
    Ok(id)
}

/// `GET /guilds/{guild_id}/invites`.
pub fn list_guild(state: &mut GuildState, call: &Call) -> Result<Reply, ApiError> {
    call.check_guild(state)?;
    let granted = state.bot_permissions();
    let metadata = granted.contains(permission::MANAGE_GUILD);
    if !metadata && !granted.contains(VIEW_AUDIT_LOG) {
        return Err(ApiError::missing_permissions());
    }
    let list = state
        .invites
        .iter()
        .map(|invite| invite_json(state, invite, metadata))
        .collect();
    Ok(Reply::ok(Value::Array(list)))
}

/// `GET /channels/{channel_id}/invites`.
pub fn list_channel(state: &mut GuildState, call: &Call) -> Result<Reply, ApiError> {
    let id = channel_of(state, call)?;
    let channel = state.channel(id).ok_or_else(ApiError::unknown_channel)?;
    if !in_channel(state, channel, MANAGE_CHANNELS) {
        return Err(ApiError::missing_permissions());
    }
    let list = state
        .invites
        .iter()
        .filter(|invite| invite.channel_id == id)
        .map(|invite| invite_json(state, invite, true))
        .collect();
    Ok(Reply::ok(Value::Array(list)))
}

/// `POST /channels/{channel_id}/invites` → 200 invite with metadata.
pub fn create(state: &mut GuildState, call: &Call) -> Result<Reply, ApiError> {
    let id = channel_of(state, call)?;
    let channel = state.channel(id).ok_or_else(ApiError::unknown_channel)?;
    if channel.kind == channel_type::CATEGORY {
        return Err(ApiError::invalid_channel_type());
    }
    if !in_channel(state, channel, CREATE_INSTANT_INVITE) {
        return Err(ApiError::missing_permissions());
    }
    // "All JSON parameters for this route are optional, however the request body is not."
    if call.body.is_null() {
        return Err(ApiError::invalid_json());
    }
    let object = call.object()?;
    let fields = Fields::new(object, Vec::new());
    let mut errors = FormErrors::default();
    let max_age = fields.integer("max_age", 0, MAX_AGE_MAX, &mut errors);
    let max_uses = fields.integer("max_uses", 0, MAX_USES_MAX, &mut errors);
    let temporary = fields.boolean("temporary", &mut errors);
    let unique = fields.boolean("unique", &mut errors);
    errors.finish()?;
    let number = |field: Field<i64>, default: u32| match field {
        Field::Value(value) => u32::try_from(value).unwrap_or(default),
        _ => default,
    };
    let max_age = number(max_age, 86_400);
    let max_uses = number(max_uses, 0);
    let temporary = temporary.value().unwrap_or(false);
    let bot = state.bot_user_id;
    if unique.value() != Some(true)
        && let Some(similar) = state.invites.iter().find(|invite| {
            invite.channel_id == id
                && invite.inviter_id == Some(bot)
                && invite.max_age == max_age
                && invite.max_uses == max_uses
                && invite.temporary == temporary
        })
    {
        return Ok(Reply::ok(invite_json(state, similar, true)));
    }
    if state.invites.len() >= MAX_PER_GUILD {
        return Err(max_invites());
    }
    let snowflake = state.next_id();
    let invite = Invite {
        id: Id::new(snowflake),
        code: invite_code(snowflake),
        channel_id: id,
        inviter_id: Some(bot),
        max_age,
        max_uses,
        temporary,
        uses: 0,
    };
    let body = invite_json(state, &invite, true);
    state.invites.push(invite);
    Ok(Reply::ok(body))
}

/// `DELETE /invites/{code}` → 200 the deleted invite.
pub fn delete(state: &mut GuildState, call: &Call) -> Result<Reply, ApiError> {
    let code = call.params.get("code").cloned().unwrap_or_default();
    let index = state
        .invites
        .iter()
        .position(|invite| invite.code == code)
        .ok_or_else(unknown_invite)?;
    let channel = state
        .channel(state.invites[index].channel_id)
        .ok_or_else(unknown_invite)?;
    let allowed = state.bot_permissions().contains(permission::MANAGE_GUILD)
        || in_channel(state, channel, MANAGE_CHANNELS);
    if !allowed {
        return Err(ApiError::missing_permissions());
    }
    let body = invite_json(state, &state.invites[index], false);
    state.invites.remove(index);
    Ok(Reply::ok(body))
}

fn widget_json(state: &GuildState) -> Value {
    json!({
        "enabled": state.guild.widget_enabled,
        "channel_id": state.guild.widget_channel_id.map(|id| id.to_string()),
    })
}

fn manage_guild(state: &GuildState, call: &Call) -> Result<(), ApiError> {
    call.check_guild(state)?;
    if state.bot_permissions().contains(permission::MANAGE_GUILD) {
        Ok(())
    } else {
        Err(ApiError::missing_permissions())
    }
}

/// `GET /guilds/{guild_id}/widget`.
pub fn get_widget(state: &mut GuildState, call: &Call) -> Result<Reply, ApiError> {
    manage_guild(state, call)?;
    Ok(Reply::ok(widget_json(state)))
}

/// `PATCH /guilds/{guild_id}/widget` → 200 the settings.
pub fn modify_widget(state: &mut GuildState, call: &Call) -> Result<Reply, ApiError> {
    manage_guild(state, call)?;
    let object = call.object()?;
    let fields = Fields::new(object, Vec::new());
    let mut errors = FormErrors::default();
    let enabled = fields.boolean("enabled", &mut errors);
    let channel = fields.snowflake("channel_id", &mut errors);
    if let Field::Value(id) = channel {
        let known = Id::new_checked(id)
            .and_then(|id| state.channel(id))
            .is_some_and(|channel| channel.kind != channel_type::CATEGORY);
        if !known {
            errors.add(&["channel_id"], "CHANNEL_INVALID", "Invalid channel");
        }
    }
    errors.finish()?;
    if let Field::Value(enabled) = enabled {
        state.guild.widget_enabled = enabled;
    }
    match channel {
        Field::Value(id) => state.guild.widget_channel_id = Id::new_checked(id),
        Field::Null => state.guild.widget_channel_id = None,
        _ => {}
    }
    Ok(Reply::ok(widget_json(state)))
}

/// `GET /guilds/{guild_id}/vanity-url`.
pub fn vanity_url(state: &mut GuildState, call: &Call) -> Result<Reply, ApiError> {
    manage_guild(state, call)?;
    if !state.has_feature("VANITY_URL") {
        return Err(ApiError::missing_permissions());
    }
    Ok(Reply::ok(json!({
        "code": state.guild.vanity_url_code,
        "uses": 0,
    })))
}
