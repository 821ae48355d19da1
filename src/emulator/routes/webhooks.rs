//! Webhooks: `POST|GET /channels/{channel_id}/webhooks`, `GET /guilds/{guild_id}/webhooks`,
//! `GET|PATCH|DELETE /webhooks/{webhook_id}` (`webhook.mdx`; notes §2.15).
//!
//! Design notes: everything needs MANAGE_WEBHOOKS. Names are 1-80 characters and must not
//! contain "clyde" or "discord" (any case; 50035 `WEBHOOK_INVALID_NAME` [inferred code]). 15 per
//! channel (30007), 1000 per guild (30058). Webhooks live in text-like channels (50024
//! otherwise). Every answer carries `token` and `url`; tokens derive from the webhook id.

use serde_json::{Value, json};
use twilight_model::id::Id;
use twilight_model::id::marker::{ChannelMarker, GenericMarker};

use super::overwrites::require;
use super::{Call, Reply};
use crate::emulator::error::{ApiError, FormErrors};
use crate::emulator::image;
use crate::emulator::state::{
    GuildState, Webhook, channel_type, permission, user_json, webhook_token,
};
use crate::emulator::validate::{Field, Fields};

pub const MAX_PER_CHANNEL: usize = 15;
pub const MAX_PER_GUILD: usize = 1000;

fn webhook_json(state: &GuildState, webhook: &Webhook) -> Value {
    let user = webhook.user_id.and_then(|id| state.user(id)).map(user_json);
    json!({
        "id": webhook.id.to_string(),
        "type": 1,
        "guild_id": state.guild_id().to_string(),
        "channel_id": webhook.channel_id.to_string(),
        "user": user,
        "name": webhook.name,
        "avatar": webhook.avatar,
        "token": webhook.token,
        "application_id": null,
        "url": format!("https://discord.com/api/webhooks/{}/{}", webhook.id, webhook.token),
    })
}

fn name_field(fields: &Fields<'_>, errors: &mut FormErrors) -> Field<String> {
    match fields.string("name", 1, 80, errors) {
        Field::Value(name) => {
            let lower = name.to_lowercase();
            if lower.contains("clyde") || lower.contains("discord") {
                errors.add(
                    &["name"],
                    "WEBHOOK_INVALID_NAME",
                    "Webhook names cannot contain \"clyde\" or \"discord\".",
                );
                Field::Invalid
            } else {
                Field::Value(name)
            }
        }
        Field::Null => {
            errors.add(&["name"], "BASE_TYPE_REQUIRED", "This field is required");
            Field::Invalid
        }
        other => other,
    }
}

fn channel_for_webhooks(state: &GuildState, call: &Call) -> Result<Id<ChannelMarker>, ApiError> {
    let id: Id<ChannelMarker> = call.id("channel_id", ApiError::unknown_channel)?;
    let channel = state.channel(id).ok_or_else(ApiError::unknown_channel)?;
    if !channel_type::is_text_like(channel.kind) {
        return Err(ApiError::invalid_channel_type());
    }
    require(state, permission::MANAGE_WEBHOOKS)?;
    Ok(id)
}

/// `POST /channels/{channel_id}/webhooks` → 200 webhook.
pub fn create(state: &mut GuildState, call: &Call) -> Result<Reply, ApiError> {
    let channel_id = channel_for_webhooks(state, call)?;
    let object = call.object()?;
    let fields = Fields::new(object, Vec::new());
    let mut errors = FormErrors::default();
    if matches!(fields.raw("name"), Field::Absent) {
        fields.require("name", &mut errors);
    }
    let name = name_field(&fields, &mut errors);
    let avatar = image::field(&fields, "avatar", &mut errors);
    errors.finish()?;
    let Some(name) = name.value() else {
        return Err(ApiError::form(
            &["name"],
            "BASE_TYPE_REQUIRED",
            "This field is required",
        ));
    };
    if state
        .webhooks
        .iter()
        .filter(|w| w.channel_id == channel_id)
        .count()
        >= MAX_PER_CHANNEL
    {
        return Err(ApiError::max_webhooks());
    }
    if state.webhooks.len() >= MAX_PER_GUILD {
        return Err(ApiError::max_guild_webhooks());
    }
    let id = state.next_id();
    let webhook = Webhook {
        id: Id::new(id),
        channel_id,
        name,
        avatar: avatar.value(),
        token: webhook_token(id),
        user_id: Some(state.bot_user_id),
    };
    let body = webhook_json(state, &webhook);
    state.webhooks.push(webhook);
    Ok(Reply::ok(body))
}

/// `GET /channels/{channel_id}/webhooks`.
pub fn list_channel(state: &mut GuildState, call: &Call) -> Result<Reply, ApiError> {
    let channel_id = channel_for_webhooks(state, call)?;
    let list = state
        .webhooks
        .iter()
        .filter(|w| w.channel_id == channel_id)
        .map(|w| webhook_json(state, w))
        .collect();
    Ok(Reply::ok(Value::Array(list)))
}

/// `GET /guilds/{guild_id}/webhooks`.
pub fn list_guild(state: &mut GuildState, call: &Call) -> Result<Reply, ApiError> {
    call.check_guild(state)?;
    require(state, permission::MANAGE_WEBHOOKS)?;
    let list = state
        .webhooks
        .iter()
        .map(|w| webhook_json(state, w))
        .collect();
    Ok(Reply::ok(Value::Array(list)))
}

fn find(state: &GuildState, call: &Call) -> Result<usize, ApiError> {
    let id: Id<GenericMarker> = call.id("webhook_id", ApiError::unknown_webhook)?;
    let index = state
        .webhooks
        .iter()
        .position(|w| w.id == id)
        .ok_or_else(ApiError::unknown_webhook)?;
    require(state, permission::MANAGE_WEBHOOKS)?;
    Ok(index)
}

/// `GET /webhooks/{webhook_id}`.
pub fn get(state: &mut GuildState, call: &Call) -> Result<Reply, ApiError> {
    let index = find(state, call)?;
    Ok(Reply::ok(webhook_json(state, &state.webhooks[index])))
}

/// `PATCH /webhooks/{webhook_id}` → 200 webhook (`name`, `avatar`, `channel_id`).
pub fn modify(state: &mut GuildState, call: &Call) -> Result<Reply, ApiError> {
    let index = find(state, call)?;
    let object = call.object()?;
    let fields = Fields::new(object, Vec::new());
    let mut errors = FormErrors::default();
    let name = name_field(&fields, &mut errors);
    let avatar = image::field(&fields, "avatar", &mut errors);
    let channel = fields.snowflake("channel_id", &mut errors);
    errors.finish()?;
    let mut webhook = state.webhooks[index].clone();
    if let Field::Value(id) = channel {
        let id = Id::new_checked(id).ok_or_else(ApiError::unknown_channel)?;
        let target = state.channel(id).ok_or_else(ApiError::unknown_channel)?;
        if !channel_type::is_text_like(target.kind) {
            return Err(ApiError::invalid_channel_type());
        }
        if id != webhook.channel_id
            && state.webhooks.iter().filter(|w| w.channel_id == id).count() >= MAX_PER_CHANNEL
        {
            return Err(ApiError::max_webhooks());
        }
        webhook.channel_id = id;
    }
    if let Some(name) = name.value() {
        webhook.name = name;
    }
    match avatar {
        Field::Value(hash) => webhook.avatar = Some(hash),
        Field::Null => webhook.avatar = None,
        _ => {}
    }
    let body = webhook_json(state, &webhook);
    state.webhooks[index] = webhook;
    Ok(Reply::ok(body))
}

/// `DELETE /webhooks/{webhook_id}` → 204.
pub fn delete(state: &mut GuildState, call: &Call) -> Result<Reply, ApiError> {
    let index = find(state, call)?;
    state.webhooks.remove(index);
    Ok(Reply::no_content())
}
