//! Members: get one, list them, add and remove a role (`guild.mdx`, "Get Guild Member", "List
//! Guild Members", "Add Guild Member Role", "Remove Guild Member Role"; notes §2.10).
//!
//! Design notes:
//! - Listing needs the GUILD_MEMBERS privileged intent: without it Discord answers 403 50001
//!   "Missing Access". The emulator's `members_intent` setting (on by default) says whether the
//!   bot has it, so tests can exercise the refusal.
//! - `limit` is 1-1000 (default 1), `after` a user id (default 0); members come back in
//!   ascending user id order above `after`, as Discord pages them. A bad value is 50035 under
//!   the query key.
//! - Adding or removing a role: 204, idempotent (a role held already, or not held, is no
//!   error). Needs MANAGE_ROLES (owner and ADMINISTRATOR have it) and a role strictly below the
//!   bot's highest (ADMINISTRATOR does not bypass that), else 403 50013; an integration's role
//!   or `@everyone` cannot be assigned (50013 / 10011 [inferred]). Unknown role 10011, a user
//!   who is not a member 10007.

use serde_json::{Value, json};
use twilight_model::id::Id;
use twilight_model::id::marker::{RoleMarker, UserMarker};

use super::{Call, Reply};
use crate::emulator::error::{ApiError, FormErrors};
use crate::emulator::state::{EPOCH_TIMESTAMP, GuildState, Member, User, user_json};
use crate::emulator::validate::Fields;
use crate::permissions::Permissions;

/// Discord's largest page.
pub const MAX_LIMIT: i64 = 1000;

fn member_json(user: &User, member: &Member) -> Value {
    let roles: Vec<String> = member.roles.iter().map(ToString::to_string).collect();
    json!({
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
    })
}

/// `GET /guilds/{guild_id}/members/{user_id}`.
pub fn get(state: &mut GuildState, call: &Call) -> Result<Reply, ApiError> {
    call.check_guild(state)?;
    let user_id: Id<UserMarker> = call.id("user_id", ApiError::unknown_user)?;
    let user = state.user(user_id).ok_or_else(ApiError::unknown_user)?;
    let member = state.member(user_id).ok_or_else(ApiError::unknown_member)?;
    Ok(Reply::ok(member_json(user, member)))
}

/// `GET /guilds/{guild_id}/members?limit=&after=`.
pub fn list(state: &mut GuildState, call: &Call) -> Result<Reply, ApiError> {
    call.check_guild(state)?;
    if !call.config.members_intent {
        return Err(ApiError::missing_access());
    }
    let mut errors = FormErrors::default();
    let query: serde_json::Map<String, Value> = call
        .query
        .iter()
        .map(|(key, value)| (key.clone(), Value::String(value.clone())))
        .collect();
    let fields = Fields::new(&query, Vec::new());
    let limit = fields
        .integer("limit", 1, MAX_LIMIT, &mut errors)
        .value()
        .unwrap_or(1);
    let after = match query.get("after").and_then(Value::as_str) {
        None => 0,
        Some(text) => match text.parse::<u64>() {
            Ok(after) => after,
            Err(_) => {
                errors.add(
                    &["after"],
                    "NUMBER_TYPE_COERCE",
                    &format!("Value \"{text}\" is not snowflake."),
                );
                0
            }
        },
    };
    errors.finish()?;
    let mut members: Vec<&Member> = state
        .members
        .iter()
        .filter(|member| member.user_id.get() > after)
        .collect();
    members.sort_by_key(|member| member.user_id.get());
    members.truncate(usize::try_from(limit).unwrap_or(1));
    let list = members
        .into_iter()
        .filter_map(|member| Some(member_json(state.user(member.user_id)?, member)))
        .collect();
    Ok(Reply::ok(Value::Array(list)))
}

/// The member and role of an assignment route, checked as Discord checks them.
fn assignment(
    state: &GuildState,
    call: &Call,
) -> Result<(Id<UserMarker>, Id<RoleMarker>), ApiError> {
    call.check_guild(state)?;
    let user_id: Id<UserMarker> = call.id("user_id", ApiError::unknown_member)?;
    let role_id: Id<RoleMarker> = call.id("role_id", ApiError::unknown_role)?;
    state.member(user_id).ok_or_else(ApiError::unknown_member)?;
    if role_id == state.everyone_role_id() {
        return Err(ApiError::unknown_role());
    }
    let role = state.role(role_id).ok_or_else(ApiError::unknown_role)?;
    let bot = state.bot_user_id();
    if !state.bot_permissions().contains(Permissions::MANAGE_ROLES)
        || !state.can_manage_role(bot, role)
        || role.managed
    {
        return Err(ApiError::missing_permissions());
    }
    Ok((user_id, role_id))
}

/// `PUT /guilds/{guild_id}/members/{user_id}/roles/{role_id}` → 204.
pub fn add_role(state: &mut GuildState, call: &Call) -> Result<Reply, ApiError> {
    let (user_id, role_id) = assignment(state, call)?;
    if let Some(member) = state.members.iter_mut().find(|m| m.user_id == user_id)
        && !member.roles.contains(&role_id)
    {
        member.roles.push(role_id);
    }
    Ok(Reply::no_content())
}

/// `DELETE /guilds/{guild_id}/members/{user_id}/roles/{role_id}` → 204.
pub fn remove_role(state: &mut GuildState, call: &Call) -> Result<Reply, ApiError> {
    let (user_id, role_id) = assignment(state, call)?;
    if let Some(member) = state.members.iter_mut().find(|m| m.user_id == user_id) {
        member.roles.retain(|id| *id != role_id);
    }
    Ok(Reply::no_content())
}
