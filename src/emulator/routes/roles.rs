//! Roles: list, create, bulk positions, get, modify, delete (`guild.mdx`; notes §2.8, §4.3).
//!
//! Design notes:
//! - Hierarchy: the bot may create, edit, delete and move only roles strictly below its highest
//!   role (equal positions: the lower id is higher); the guild owner bypasses this. ADMINISTRATOR
//!   does not. A bot without ADMINISTRATOR cannot grant permissions it lacks.
//! - New roles go to position 1 without shifting others; with the tie rule they land at the bottom.
//! - Bulk positions: every role but `@everyone` is sorted by (requested or current position, then
//!   current order) and renumbered 1..n, so positions are unique afterwards. The roles at and
//!   above the bot's highest role must come out exactly as they were, else 403 50013.
//! - Deleting a role removes it from members and removes channel overwrites that name it.
//! - `colors`: `secondary_color` / `tertiary_color` other than null need the guild feature
//!   `ENHANCED_ROLE_COLORS`, and `icon` / `unicode_emoji` need `ROLE_ICONS`; without it the
//!   emulator answers 50035 `GUILD_FEATURE_REQUIRED` under the field (Discord's answer is
//!   undocumented [inferred]; clearing with null is always allowed). A non-null
//!   `tertiary_color` forces the holographic preset (`permissions.mdx`, "Role Colors Object").
//!   `color` always mirrors `colors.primary_color`.
//! - `icon` is a data URI; the role stores the hash of its bytes (`crate::emulator::image`).

use serde_json::Value;
use twilight_model::id::Id;
use twilight_model::id::marker::RoleMarker;

use super::overwrites::require;
use super::{Call, Reply};
use crate::emulator::error::{ApiError, FormErrors};
use crate::emulator::image;
use crate::emulator::state::{GuildState, Role, RoleColors, role_json, role_key};
use crate::emulator::validate::{self, Field, Fields};
use crate::permissions::Permissions;

pub const MAX_ROLES: usize = 250;
const MAX_COLOR: i64 = 0xFF_FFFF;

/// What a non-null `tertiary_color` turns a role's colors into.
pub const HOLOGRAPHIC: RoleColors = RoleColors {
    primary_color: 11_127_295,
    secondary_color: Some(16_759_788),
    tertiary_color: Some(16_761_760),
};

/// `GET /guilds/{guild_id}/roles`.
pub fn list(state: &mut GuildState, call: &Call) -> Result<Reply, ApiError> {
    call.check_guild(state)?;
    Ok(Reply::ok(Value::Array(state.roles_json())))
}

/// `GET /guilds/{guild_id}/roles/{role_id}`.
pub fn get(state: &mut GuildState, call: &Call) -> Result<Reply, ApiError> {
    call.check_guild(state)?;
    let id: Id<RoleMarker> = call.id("role_id", ApiError::unknown_role)?;
    let role = state.role(id).ok_or_else(ApiError::unknown_role)?;
    Ok(Reply::ok(role_json(role)))
}

/// The fields of a create or modify body.
struct RoleInput {
    name: Field<String>,
    permissions: Field<Permissions>,
    color: Field<i64>,
    colors: Field<RoleColors>,
    hoist: Field<bool>,
    mentionable: Field<bool>,
    icon: Field<String>,
    unicode_emoji: Field<String>,
}

impl RoleInput {
    fn parse(fields: &Fields<'_>, errors: &mut FormErrors) -> Self {
        Self {
            name: fields.string("name", 1, 100, errors),
            permissions: fields.permissions("permissions", errors),
            color: fields.integer("color", 0, MAX_COLOR, errors),
            colors: parse_colors(fields, errors),
            hoist: fields.boolean("hoist", errors),
            mentionable: fields.boolean("mentionable", errors),
            icon: image::field(fields, "icon", errors),
            unicode_emoji: fields.string("unicode_emoji", 1, 100, errors),
        }
    }

    /// Reports fields that need a guild feature the guild lacks (module doc).
    fn check_features(&self, state: &GuildState, errors: &mut FormErrors) {
        let missing =
            |feature: &str| format!("The guild needs the {feature} feature for this field.");
        if let Field::Value(colors) = &self.colors
            && !state.has_feature("ENHANCED_ROLE_COLORS")
        {
            let message = missing("ENHANCED_ROLE_COLORS");
            if colors.secondary_color.is_some() {
                errors.add(&["colors", "secondary_color"], FEATURE_REQUIRED, &message);
            }
            if colors.tertiary_color.is_some() {
                errors.add(&["colors", "tertiary_color"], FEATURE_REQUIRED, &message);
            }
        }
        if !state.has_feature("ROLE_ICONS") {
            let message = missing("ROLE_ICONS");
            if matches!(self.icon, Field::Value(_)) {
                errors.add(&["icon"], FEATURE_REQUIRED, &message);
            }
            if matches!(self.unicode_emoji, Field::Value(_)) {
                errors.add(&["unicode_emoji"], FEATURE_REQUIRED, &message);
            }
        }
    }

    fn apply(self, role: &mut Role, is_everyone: bool) {
        if !is_everyone {
            match self.name {
                Field::Value(name) => role.name = name,
                Field::Null => role.name = "new role".to_owned(),
                _ => {}
            }
        }
        if let Some(permissions) = self.permissions.value() {
            role.permissions = permissions;
        }
        if let Some(color) = self.color.value() {
            role.color = u32::try_from(color).unwrap_or(0);
            role.colors = Some(RoleColors::plain(role.color));
        }
        // `colors` wins over `color` when both are sent.
        if let Some(mut colors) = self.colors.value() {
            if colors.tertiary_color.is_some() {
                colors = HOLOGRAPHIC;
            }
            role.color = colors.primary_color;
            role.colors = Some(colors);
        }
        if let Some(hoist) = self.hoist.value() {
            role.hoist = hoist;
        }
        if let Some(mentionable) = self.mentionable.value() {
            role.mentionable = mentionable;
        }
        match self.icon {
            Field::Value(hash) => role.icon = Some(hash),
            Field::Null => role.icon = None,
            _ => {}
        }
        match self.unicode_emoji {
            Field::Value(emoji) => role.unicode_emoji = Some(emoji),
            Field::Null => role.unicode_emoji = None,
            _ => {}
        }
    }
}

fn parse_colors(fields: &Fields<'_>, errors: &mut FormErrors) -> Field<RoleColors> {
    match fields.raw("colors") {
        Field::Value(Value::Object(object)) => {
            let inner = Fields::new(object, fields.path("colors"));
            let primary = inner.integer("primary_color", 0, MAX_COLOR, errors);
            let secondary = inner.integer("secondary_color", 0, MAX_COLOR, errors);
            let tertiary = inner.integer("tertiary_color", 0, MAX_COLOR, errors);
            if [&primary, &secondary, &tertiary]
                .iter()
                .any(|field| matches!(field, Field::Invalid))
            {
                return Field::Invalid;
            }
            let to_u32 = |value: i64| u32::try_from(value).unwrap_or(0);
            Field::Value(RoleColors {
                primary_color: primary.value().map_or(0, to_u32),
                secondary_color: secondary.value().map(to_u32),
                tertiary_color: tertiary.value().map(to_u32),
            })
        }
        Field::Value(_) => {
            errors.add(
                &fields.path("colors"),
                "DICT_TYPE_CONVERT",
                "Only dictionaries may be used in a DictType",
            );
            Field::Invalid
        }
        Field::Absent => Field::Absent,
        _ => Field::Null,
    }
}

const FEATURE_REQUIRED: &str = "GUILD_FEATURE_REQUIRED";

/// Fails with 50013 unless the bot may grant every permission in `added`.
fn check_grant(state: &GuildState, added: Permissions) -> Result<(), ApiError> {
    if state.bot_permissions().contains(added) {
        Ok(())
    } else {
        Err(ApiError::missing_permissions())
    }
}

/// `POST /guilds/{guild_id}/roles` → 200 role at position 1.
pub fn create(state: &mut GuildState, call: &Call) -> Result<Reply, ApiError> {
    call.check_guild(state)?;
    require(state, Permissions::MANAGE_ROLES)?;
    let object = call.object()?;
    let mut errors = FormErrors::default();
    let input = RoleInput::parse(&Fields::new(object, Vec::new()), &mut errors);
    input.check_features(state, &mut errors);
    errors.finish()?;
    if state.roles.len() >= MAX_ROLES {
        return Err(ApiError::max_roles());
    }
    let everyone = state
        .role(state.everyone_role_id())
        .map_or(Permissions::NONE, |role| role.permissions);
    let permissions = input.permissions.clone().value().unwrap_or(everyone);
    check_grant(state, permissions)?;
    let mut role = Role {
        id: Id::new(state.next_id()),
        name: "new role".to_owned(),
        permissions,
        position: 1,
        color: 0,
        colors: Some(RoleColors::plain(0)),
        hoist: false,
        icon: None,
        unicode_emoji: None,
        managed: false,
        mentionable: false,
        flags: 0,
        tags: None,
    };
    input.apply(&mut role, false);
    let body = role_json(&role);
    state.roles.push(role);
    Ok(Reply::ok(body))
}

/// `PATCH /guilds/{guild_id}/roles/{role_id}` → 200 role.
pub fn modify(state: &mut GuildState, call: &Call) -> Result<Reply, ApiError> {
    call.check_guild(state)?;
    let id: Id<RoleMarker> = call.id("role_id", ApiError::unknown_role)?;
    let mut role = state.role(id).cloned().ok_or_else(ApiError::unknown_role)?;
    require(state, Permissions::MANAGE_ROLES)?;
    let object = call.object()?;
    let mut errors = FormErrors::default();
    let input = RoleInput::parse(&Fields::new(object, Vec::new()), &mut errors);
    input.check_features(state, &mut errors);
    errors.finish()?;
    let is_everyone = id == state.everyone_role_id();
    if !is_everyone && !state.can_manage_role(state.bot_user_id, &role) {
        return Err(ApiError::missing_permissions());
    }
    if role.managed {
        return Err(ApiError::missing_permissions());
    }
    if let Some(permissions) = input.permissions.clone().value() {
        check_grant(state, permissions.difference(role.permissions))?;
    }
    input.apply(&mut role, is_everyone);
    let body = role_json(&role);
    if let Some(slot) = state.roles.iter_mut().find(|r| r.id == id) {
        *slot = role;
    }
    Ok(Reply::ok(body))
}

/// `DELETE /guilds/{guild_id}/roles/{role_id}` → 204.
pub fn delete(state: &mut GuildState, call: &Call) -> Result<Reply, ApiError> {
    call.check_guild(state)?;
    let id: Id<RoleMarker> = call.id("role_id", ApiError::unknown_role)?;
    let role = state.role(id).ok_or_else(ApiError::unknown_role)?;
    require(state, Permissions::MANAGE_ROLES)?;
    if id == state.everyone_role_id() {
        return Err(ApiError::invalid_role());
    }
    if !state.can_manage_role(state.bot_user_id, role) {
        return Err(ApiError::missing_permissions());
    }
    if role.managed {
        return Err(ApiError::invalid_role());
    }
    state.roles.retain(|role| role.id != id);
    for member in &mut state.members {
        member.roles.retain(|role| *role != id);
    }
    for channel in &mut state.channels {
        channel
            .permission_overwrites
            .retain(|overwrite| !(overwrite.kind == 0 && overwrite.id == id.cast()));
    }
    Ok(Reply::no_content())
}

/// `PATCH /guilds/{guild_id}/roles` → 200 with every role (module doc for the algorithm).
pub fn positions(state: &mut GuildState, call: &Call) -> Result<Reply, ApiError> {
    call.check_guild(state)?;
    require(state, Permissions::MANAGE_ROLES)?;
    let items = validate::array(&call.body)?;
    let mut errors = FormErrors::default();
    let mut requested: Vec<(Id<RoleMarker>, Option<i64>)> = Vec::new();
    for (index, item) in items.iter().enumerate() {
        let path = vec![index.to_string()];
        let Some(object) = item.as_object() else {
            errors.add(
                &path,
                "DICT_TYPE_CONVERT",
                "Only dictionaries may be used in a DictType",
            );
            continue;
        };
        let fields = Fields::new(object, path);
        let id = if fields.require("id", &mut errors) {
            fields.snowflake("id", &mut errors).value()
        } else {
            None
        };
        let position = fields.integer("position", 0, i64::from(i32::MAX), &mut errors);
        if let Some(id) = id.and_then(Id::new_checked) {
            requested.push((id, position.value()));
        }
    }
    errors.finish()?;
    let everyone_id = state.everyone_role_id();
    for (id, position) in &requested {
        if state.role(*id).is_none() {
            return Err(ApiError::unknown_role());
        }
        if *id == everyone_id && position.is_some_and(|position| position != 0) {
            return Err(ApiError::invalid_role());
        }
    }
    // Current order, bottom to top, without @everyone.
    let before: Vec<Id<RoleMarker>> = state
        .roles()
        .into_iter()
        .filter(|role| role.id != everyone_id)
        .map(|role| role.id)
        .collect();
    let mut keyed: Vec<(i64, usize, Id<RoleMarker>)> = before
        .iter()
        .enumerate()
        .map(|(order, id)| {
            let current = state.role(*id).map_or(0, |role| role.position);
            let wanted = requested
                .iter()
                .rev()
                .find(|(requested_id, _)| requested_id == id)
                .and_then(|(_, position)| *position)
                .unwrap_or(current);
            (wanted, order, *id)
        })
        .collect();
    keyed.sort();
    let after: Vec<Id<RoleMarker>> = keyed.iter().map(|(_, _, id)| *id).collect();
    if !state.is_owner(state.bot_user_id) {
        let top = state.highest_role_key(state.bot_user_id);
        let unmovable = |order: &[Id<RoleMarker>]| -> Vec<Id<RoleMarker>> {
            order
                .iter()
                .copied()
                .skip_while(|id| state.role(*id).is_none_or(|role| role_key(role) < top))
                .collect()
        };
        let above_before = unmovable(&before);
        let start = after.len().saturating_sub(above_before.len());
        if after[start..] != above_before[..] {
            return Err(ApiError::missing_permissions());
        }
    }
    for (index, id) in after.iter().enumerate() {
        if let Some(role) = state.roles.iter_mut().find(|role| role.id == *id) {
            role.position = i64::try_from(index + 1).unwrap_or(i64::MAX);
        }
    }
    Ok(Reply::ok(Value::Array(state.roles_json())))
}
