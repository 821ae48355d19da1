//! `/users/@me` and `/users/@me/guilds` (`user.mdx`): the bot user and its one guild.

use serde_json::json;

use super::{Call, Reply};
use crate::emulator::error::ApiError;
use crate::emulator::state::GuildState;

/// `GET /users/@me` (`UserPIIResponse`; twilight `CurrentUser`).
pub fn current_user(state: &mut GuildState, _call: &Call) -> Result<Reply, ApiError> {
    let user = state
        .user(state.bot_user_id)
        .ok_or_else(ApiError::unknown_user)?;
    Ok(Reply::ok(json!({
        "id": user.id.to_string(),
        "username": user.username,
        "avatar": user.avatar,
        "discriminator": user.discriminator,
        "public_flags": 0,
        "flags": 0,
        "bot": true,
        "banner": null,
        "accent_color": null,
        "global_name": user.global_name,
        "mfa_enabled": false,
        "locale": "en-US",
        "verified": true,
        "email": null,
    })))
}

/// `GET /users/@me/guilds` (`MyGuildResponse[]`; twilight `CurrentUserGuild`).
pub fn current_user_guilds(state: &mut GuildState, _call: &Call) -> Result<Reply, ApiError> {
    let guild = &state.guild;
    Ok(Reply::ok(json!([{
        "id": guild.id.to_string(),
        "name": guild.name,
        "icon": guild.icon,
        "banner": guild.banner,
        "owner": state.is_owner(state.bot_user_id),
        "permissions": state.bot_permissions().bits().to_string(),
        "features": guild.features,
    }])))
}
