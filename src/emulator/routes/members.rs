//! `GET /guilds/{guild_id}/members/{user_id}` (`guild.mdx`, "Get Guild Member"; notes §2.10).

use serde_json::json;
use twilight_model::id::Id;
use twilight_model::id::marker::UserMarker;

use super::{Call, Reply};
use crate::emulator::error::ApiError;
use crate::emulator::state::{EPOCH_TIMESTAMP, GuildState, user_json};

pub fn get(state: &mut GuildState, call: &Call) -> Result<Reply, ApiError> {
    call.check_guild(state)?;
    let user_id: Id<UserMarker> = call.id("user_id", ApiError::unknown_user)?;
    let user = state.user(user_id).ok_or_else(ApiError::unknown_user)?;
    let member = state.member(user_id).ok_or_else(ApiError::unknown_member)?;
    let roles: Vec<String> = member.roles.iter().map(ToString::to_string).collect();
    Ok(Reply::ok(json!({
        "user": user_json(user),
        "nick": member.nick,
        "avatar": null,
        "banner": null,
        "roles": roles,
        "joined_at": member.joined_at.as_deref().unwrap_or(EPOCH_TIMESTAMP),
        "premium_since": null,
        "deaf": false,
        "mute": false,
        "flags": 0,
        "pending": false,
        "communication_disabled_until": null,
    })))
}
