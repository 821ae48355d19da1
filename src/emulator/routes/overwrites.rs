//! Channel permission overwrites: `PUT`/`DELETE /channels/{channel_id}/permissions/{overwrite_id}`
//! (`channel.mdx`, "Edit/Delete Channel Permissions"; notes §2.7, §4.5, §4.6), plus the overwrite
//! rules shared with channel create and modify.
//!
//! Design note, permission sync: Discord has no "synced" flag. A child is synced when its
//! overwrites equal its category's as a set. When a category's overwrites change (here, in
//! [`set_overwrites`]), every child synced *before* the change receives the new set.

use std::collections::HashSet;

use serde_json::Value;
use twilight_model::id::Id;
use twilight_model::id::marker::{ChannelMarker, GenericMarker};

use super::{Call, Reply};
use crate::emulator::error::{ApiError, FormErrors};
use crate::emulator::state::{GuildState, Overwrite, channel_type};
use crate::emulator::validate::{Field, Fields};
use crate::permissions::Permissions;

/// Overwrites per request body (spec `maxItems`).
pub const MAX_OVERWRITES_PER_REQUEST: usize = 100;
/// Overwrites per channel (30060).
pub const MAX_OVERWRITES_PER_CHANNEL: usize = 1000;

/// Fails with 403 50013 unless the bot holds `permission` in the guild.
pub fn require(state: &GuildState, permission: Permissions) -> Result<(), ApiError> {
    if state.bot_permissions().contains(permission) {
        Ok(())
    } else {
        Err(ApiError::missing_permissions())
    }
}

/// Reads a `permission_overwrites` array at `key`, reporting every problem to `errors`.
pub fn parse_list(
    fields: &Fields<'_>,
    key: &str,
    errors: &mut FormErrors,
) -> Field<Vec<Overwrite>> {
    let list = match fields.raw(key) {
        Field::Value(Value::Array(list)) => list,
        Field::Value(_) => {
            errors.add(
                &fields.path(key),
                "LIST_TYPE_CONVERT",
                "Only iterables may be used in a ListType",
            );
            return Field::Invalid;
        }
        Field::Absent => return Field::Absent,
        _ => return Field::Null,
    };
    if list.len() > MAX_OVERWRITES_PER_REQUEST {
        errors.add(
            &fields.path(key),
            "BASE_TYPE_MAX_LENGTH",
            &format!("Must be {MAX_OVERWRITES_PER_REQUEST} or fewer in length."),
        );
        return Field::Invalid;
    }
    let mut overwrites = Vec::with_capacity(list.len());
    let mut valid = true;
    for (index, item) in list.iter().enumerate() {
        let mut path = fields.path(key);
        path.push(index.to_string());
        let Some(object) = item.as_object() else {
            errors.add(
                &path,
                "DICT_TYPE_CONVERT",
                "Only dictionaries may be used in a DictType",
            );
            valid = false;
            continue;
        };
        match parse_one(&Fields::new(object, path), true, errors) {
            Some(overwrite) => overwrites.push(overwrite),
            None => valid = false,
        }
    }
    if valid {
        Field::Value(overwrites)
    } else {
        Field::Invalid
    }
}

/// Reads one overwrite object; with `with_id` false the id comes from the path.
fn parse_one(fields: &Fields<'_>, with_id: bool, errors: &mut FormErrors) -> Option<Overwrite> {
    let before = errors.clone();
    let id = if with_id && fields.require("id", errors) {
        fields.snowflake("id", errors).value()
    } else {
        None
    };
    let kind = if fields.require("type", errors) {
        fields.choice("type", &[0, 1], errors).value()
    } else {
        None
    };
    let allow = fields
        .permissions("allow", errors)
        .value()
        .unwrap_or_default();
    let deny = fields
        .permissions("deny", errors)
        .value()
        .unwrap_or_default();
    if *errors != before {
        return None;
    }
    Some(Overwrite {
        id: Id::new_checked(id.unwrap_or(1))?,
        kind: u8::try_from(kind?).ok()?,
        allow,
        deny,
    })
}

/// Checks each overwrite names an existing role (type 0, else 404 10011) or a guild member
/// (type 1, else 404 10013). Discord's exact answer here is not documented [inferred].
pub fn check_targets(state: &GuildState, overwrites: &[Overwrite]) -> Result<(), ApiError> {
    for overwrite in overwrites {
        if overwrite.kind == 0 {
            if state.role(overwrite.id.cast()).is_none() {
                return Err(ApiError::unknown_role());
            }
        } else if state.member(overwrite.id.cast()).is_none() {
            return Err(ApiError::unknown_user());
        }
    }
    Ok(())
}

/// The bot may only allow or deny permissions it holds in the guild, and only administrators may
/// put MANAGE_ROLES in an overwrite (`channel.mdx`, "Modify Channel"). Overwrites that are not
/// new or changed are not checked.
pub fn check_grant(
    state: &GuildState,
    old: &[Overwrite],
    new: &[Overwrite],
) -> Result<(), ApiError> {
    let bot = state.bot_permissions();
    if bot.contains(Permissions::ADMINISTRATOR) {
        return Ok(());
    }
    for overwrite in new.iter().filter(|overwrite| !old.contains(overwrite)) {
        let bits = overwrite.allow.union(overwrite.deny);
        if bits.contains(Permissions::MANAGE_ROLES) || !bot.contains(bits) {
            return Err(ApiError::missing_permissions());
        }
    }
    Ok(())
}

/// Overwrites compare as sets of `(id, type, allow, deny)`.
pub fn same_set(left: &[Overwrite], right: &[Overwrite]) -> bool {
    left.iter().collect::<HashSet<_>>() == right.iter().collect::<HashSet<_>>()
}

/// Replaces a channel's overwrites; for a category, synced children follow (module doc).
pub fn set_overwrites(state: &mut GuildState, channel_id: Id<ChannelMarker>, new: Vec<Overwrite>) {
    let Some(channel) = state
        .channels
        .iter()
        .find(|channel| channel.id == channel_id)
    else {
        return;
    };
    if channel.kind == channel_type::CATEGORY {
        let old = channel.permission_overwrites.clone();
        for child in &mut state.channels {
            if child.parent_id == Some(channel_id) && same_set(&child.permission_overwrites, &old) {
                child.permission_overwrites = new.clone();
            }
        }
    }
    if let Some(channel) = state
        .channels
        .iter_mut()
        .find(|channel| channel.id == channel_id)
    {
        channel.permission_overwrites = new;
    }
}

/// `PUT /channels/{channel_id}/permissions/{overwrite_id}` → 204.
pub fn put(state: &mut GuildState, call: &Call) -> Result<Reply, ApiError> {
    let channel_id: Id<ChannelMarker> = call.id("channel_id", ApiError::unknown_channel)?;
    let channel = state
        .channel(channel_id)
        .ok_or_else(ApiError::unknown_channel)?;
    let target: Id<GenericMarker> = call.id("overwrite_id", ApiError::unknown_overwrite)?;
    let old = channel.permission_overwrites.clone();
    require(state, Permissions::MANAGE_ROLES)?;
    let object = call.object()?;
    let mut errors = FormErrors::default();
    let parsed = parse_one(&Fields::new(object, Vec::new()), false, &mut errors);
    errors.finish()?;
    let Some(mut overwrite) = parsed else {
        return Err(ApiError::form(
            &["type"],
            "BASE_TYPE_REQUIRED",
            "This field is required",
        ));
    };
    overwrite.id = target;
    check_targets(state, &[overwrite])?;
    let mut new: Vec<Overwrite> = old.iter().copied().filter(|o| o.id != target).collect();
    if new.len() >= MAX_OVERWRITES_PER_CHANNEL {
        return Err(ApiError::max_overwrites());
    }
    match old.iter().position(|o| o.id == target) {
        Some(index) => new.insert(index, overwrite),
        None => new.push(overwrite),
    }
    check_grant(state, &old, &new)?;
    set_overwrites(state, channel_id, new);
    Ok(Reply::no_content())
}

/// `DELETE /channels/{channel_id}/permissions/{overwrite_id}` → 204 (10009 when absent).
pub fn delete(state: &mut GuildState, call: &Call) -> Result<Reply, ApiError> {
    let channel_id: Id<ChannelMarker> = call.id("channel_id", ApiError::unknown_channel)?;
    let channel = state
        .channel(channel_id)
        .ok_or_else(ApiError::unknown_channel)?;
    let target: Id<GenericMarker> = call.id("overwrite_id", ApiError::unknown_overwrite)?;
    require(state, Permissions::MANAGE_ROLES)?;
    if !channel.permission_overwrites.iter().any(|o| o.id == target) {
        return Err(ApiError::unknown_overwrite());
    }
    let new = channel
        .permission_overwrites
        .iter()
        .copied()
        .filter(|o| o.id != target)
        .collect();
    set_overwrites(state, channel_id, new);
    Ok(Reply::no_content())
}
