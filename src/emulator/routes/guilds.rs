//! `GET /guilds/{guild_id}` (`guild.mdx`, "Get Guild"; notes §2.1).
//!
//! Emits every key the spec's `GuildWithCountsResponse` requires, which includes all the keys
//! twilight-model's `Guild` deserializer insists on.

use serde_json::{Value, json};

use super::{Call, Reply};
use crate::emulator::error::ApiError;
use crate::emulator::state::GuildState;

pub fn get(state: &mut GuildState, call: &Call) -> Result<Reply, ApiError> {
    call.check_guild(state)?;
    let mut body = guild_json(state);
    if call.query_flag("with_counts")
        && let Some(object) = body.as_object_mut()
    {
        object.insert(
            "approximate_member_count".to_owned(),
            json!(state.members.len()),
        );
        object.insert("approximate_presence_count".to_owned(), json!(0));
    }
    Ok(Reply::ok(body))
}

/// The guild object with its roles.
pub fn guild_json(state: &GuildState) -> Value {
    let guild = &state.guild;
    let id = |value: Option<twilight_model::id::Id<twilight_model::id::marker::ChannelMarker>>| {
        value.map(|id| id.to_string())
    };
    json!({
        "id": guild.id.to_string(),
        "name": guild.name,
        "icon": guild.icon,
        "description": guild.description,
        "home_header": null,
        "splash": guild.splash,
        "discovery_splash": guild.discovery_splash,
        "features": guild.features,
        "banner": guild.banner,
        "owner_id": guild.owner_id.to_string(),
        "application_id": null,
        "region": "deprecated",
        "afk_channel_id": id(guild.afk_channel_id),
        "afk_timeout": guild.afk_timeout,
        "system_channel_id": id(guild.system_channel_id),
        "system_channel_flags": guild.system_channel_flags,
        "widget_enabled": guild.widget_enabled,
        "widget_channel_id": id(guild.widget_channel_id),
        "verification_level": guild.verification_level,
        "roles": state.roles_json(),
        "default_message_notifications": guild.default_message_notifications,
        "mfa_level": guild.mfa_level,
        "explicit_content_filter": guild.explicit_content_filter,
        "max_presences": null,
        "max_members": 500_000,
        "max_stage_video_channel_users": 50,
        "max_video_channel_users": 25,
        "vanity_url_code": guild.vanity_url_code,
        "premium_tier": guild.premium_tier,
        "premium_subscription_count": guild.premium_subscription_count,
        "preferred_locale": guild.preferred_locale,
        "rules_channel_id": id(guild.rules_channel_id),
        "safety_alerts_channel_id": id(guild.safety_alerts_channel_id),
        "public_updates_channel_id": id(guild.public_updates_channel_id),
        "premium_progress_bar_enabled": guild.premium_progress_bar_enabled,
        "nsfw": false,
        "nsfw_level": guild.nsfw_level,
        "emojis": [],
        "stickers": [],
        "incidents_data": null,
    })
}
