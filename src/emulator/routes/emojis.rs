//! Custom emoji (`emoji.mdx`): `GET|POST /guilds/{guild_id}/emojis`,
//! `GET|PATCH|DELETE /guilds/{guild_id}/emojis/{emoji_id}`.
//!
//! Strict like Discord: `name` 2-32 letters, digits or `_` (50035 `name`), `image` required on
//! create, a PNG, JPEG, GIF or WebP data URI (50035 `image` `IMAGE_INVALID`), at most 256 KiB
//! (50035 `image` `BINARY_TYPE_MAX_SIZE`: the docs say "400 Bad Request and an error message, but
//! not a JSON status code"; the field error is [inferred]); `roles` must be roles of the guild
//! (50035 `roles.N`); PATCH cannot change the image (`image` is not a field of Modify Guild
//! Emoji and is ignored). Slots per boost tier, static and animated apart: 50/100/150/250
//! (30008 "Maximum number of emojis reached"). Permissions: CREATE_GUILD_EXPRESSIONS to create;
//! to edit or delete, MANAGE_GUILD_EXPRESSIONS, or CREATE_GUILD_EXPRESSIONS for the bot's own
//! (50013). Unknown emoji: 10014.

use axum::http::StatusCode;
use serde_json::{Value, json};
use twilight_model::id::Id;

use super::overwrites::require;
use super::{Call, Reply};
use crate::emulator::error::{ApiError, FormErrors};
use crate::emulator::image;
use crate::emulator::state::{CustomEmoji, GuildState, permission, user_json};
use crate::emulator::validate::{Field, Fields};

fn unknown_emoji() -> ApiError {
    ApiError::new(StatusCode::NOT_FOUND, 10014, "Unknown Emoji")
}

fn emoji_json(state: &GuildState, emoji: &CustomEmoji) -> Value {
    let mut body = json!({
        "id": emoji.id.to_string(),
        "name": emoji.name,
        "roles": emoji.roles.iter().map(ToString::to_string).collect::<Vec<_>>(),
        "require_colons": true,
        "managed": emoji.managed,
        "animated": emoji.animated,
        "available": true,
    });
    if let Some(user) = emoji.user_id.and_then(|id| state.user(id)) {
        body["user"] = user_json(user);
    }
    body
}

fn name_field(fields: &Fields<'_>, errors: &mut FormErrors) -> Field<String> {
    match fields.string("name", 2, 32, errors) {
        Field::Value(name) if !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') => {
            errors.add(
                &fields.path("name"),
                "STRING_TYPE_REGEX",
                "String value did not match validation regex.",
            );
            Field::Invalid
        }
        other => other,
    }
}

fn roles_field(
    state: &GuildState,
    fields: &Fields<'_>,
    errors: &mut FormErrors,
) -> Option<Vec<u64>> {
    match fields.snowflake_list("roles", 250, errors) {
        Field::Value(ids) => {
            for (index, id) in ids.iter().enumerate() {
                if !state.roles.iter().any(|role| role.id.get() == *id) {
                    errors.add(
                        &["roles".to_owned(), index.to_string()],
                        "ROLE_UNKNOWN",
                        "Unknown role.",
                    );
                }
            }
            Some(ids)
        }
        Field::Null => Some(Vec::new()),
        _ => None,
    }
}

/// Slots per boost tier, for static and animated emoji each [inferred: Discord's published
/// numbers; the reference pages do not list them].
pub fn slots(premium_tier: u8) -> usize {
    crate::model::expressions::emoji_slots(premium_tier)
}

pub fn list(state: &mut GuildState, call: &Call) -> Result<Reply, ApiError> {
    call.check_guild(state)?;
    let list = state.emojis.iter().map(|e| emoji_json(state, e)).collect();
    Ok(Reply::ok(Value::Array(list)))
}

pub fn get(state: &mut GuildState, call: &Call) -> Result<Reply, ApiError> {
    call.check_guild(state)?;
    let id: Id<twilight_model::id::marker::GenericMarker> = call.id("emoji_id", unknown_emoji)?;
    let emoji = state
        .emojis
        .iter()
        .find(|e| e.id == id)
        .ok_or_else(unknown_emoji)?;
    Ok(Reply::ok(emoji_json(state, emoji)))
}

pub fn create(state: &mut GuildState, call: &Call) -> Result<Reply, ApiError> {
    call.check_guild(state)?;
    require(state, permission::CREATE_GUILD_EXPRESSIONS)?;
    let object = call.object()?;
    let fields = Fields::new(object, Vec::new());
    let mut errors = FormErrors::default();
    if matches!(fields.raw("name"), Field::Absent) {
        fields.require("name", &mut errors);
    }
    let name = name_field(&fields, &mut errors);
    let mut animated = false;
    let image = match fields.raw("image") {
        Field::Value(Value::String(text)) => match image::decode_data_uri(text) {
            Some((_, bytes)) if bytes.len() > crate::model::expressions::EMOJI_BYTES_MAX => {
                errors.add(
                    &["image"],
                    "BINARY_TYPE_MAX_SIZE",
                    "File cannot be larger than 256.0 kb.",
                );
                None
            }
            Some((media_type, _)) => {
                animated = media_type == "image/gif";
                match image::field(&fields, "image", &mut errors) {
                    Field::Value(hash) => Some(hash),
                    _ => None,
                }
            }
            None => {
                errors.add(&["image"], "IMAGE_INVALID", "Invalid image data");
                None
            }
        },
        Field::Absent | Field::Null => {
            errors.add(&["image"], "BASE_TYPE_REQUIRED", "This field is required");
            None
        }
        _ => {
            errors.add(&["image"], "IMAGE_INVALID", "Invalid image data");
            None
        }
    };
    let roles = roles_field(state, &fields, &mut errors);
    errors.finish()?;
    let (Some(name), Some(hash)) = (name.value(), image) else {
        return Err(ApiError::form(
            &["name"],
            "BASE_TYPE_REQUIRED",
            "This field is required",
        ));
    };
    let limit = slots(state.guild.premium_tier);
    if state
        .emojis
        .iter()
        .filter(|e| e.animated == animated)
        .count()
        >= limit
    {
        let kind = if animated {
            "animated emojis"
        } else {
            "emojis"
        };
        return Err(ApiError::new(
            StatusCode::BAD_REQUEST,
            if animated { 30018 } else { 30008 },
            format!("Maximum number of {kind} reached ({limit})"),
        ));
    }
    let id = state.next_id();
    // The CDN serves an emoji by id (`emojis/{id}.png`): its image is kept under the id.
    if let Some(uri) = image::take_uploads()
        .into_iter()
        .find(|(uploaded, _)| *uploaded == hash)
        .map(|(_, uri)| uri)
    {
        state.images.insert(format!("emoji:{id}"), uri);
    }
    let emoji = CustomEmoji {
        id: Id::new(id),
        name,
        roles: roles.unwrap_or_default().into_iter().map(Id::new).collect(),
        animated,
        managed: false,
        user_id: Some(state.bot_user_id),
    };
    let body = emoji_json(state, &emoji);
    state.emojis.push(emoji);
    // 201, as the spec says for Create Guild Emoji.
    Ok(Reply::created(body))
}

/// Editing or deleting: MANAGE_GUILD_EXPRESSIONS, or CREATE_GUILD_EXPRESSIONS for the bot's own.
fn may_change(state: &GuildState, emoji: &CustomEmoji) -> Result<(), ApiError> {
    may_change_expression(state, emoji.user_id)
}

/// Editing or deleting an emoji, sound or sticker: the bot's own with Create Expressions,
/// anyone's with Manage Expressions (`emoji.mdx`, `soundboard.mdx`, `sticker.mdx`).
pub(super) fn may_change_expression(
    state: &GuildState,
    creator: Option<twilight_model::id::Id<twilight_model::id::marker::UserMarker>>,
) -> Result<(), ApiError> {
    let own = creator == Some(state.bot_user_id);
    if own && require(state, permission::CREATE_GUILD_EXPRESSIONS).is_ok() {
        return Ok(());
    }
    require(state, permission::MANAGE_GUILD_EXPRESSIONS)
}

pub fn modify(state: &mut GuildState, call: &Call) -> Result<Reply, ApiError> {
    call.check_guild(state)?;
    let id: Id<twilight_model::id::marker::GenericMarker> = call.id("emoji_id", unknown_emoji)?;
    let index = state
        .emojis
        .iter()
        .position(|e| e.id == id)
        .ok_or_else(unknown_emoji)?;
    may_change(state, &state.emojis[index])?;
    let object = call.object()?;
    let fields = Fields::new(object, Vec::new());
    let mut errors = FormErrors::default();
    let name = name_field(&fields, &mut errors);
    let roles = roles_field(state, &fields, &mut errors);
    errors.finish()?;
    let emoji = &mut state.emojis[index];
    if let Some(name) = name.value() {
        emoji.name = name;
    }
    if let Some(roles) = roles {
        emoji.roles = roles.into_iter().map(Id::new).collect();
    }
    let emoji = state.emojis[index].clone();
    Ok(Reply::ok(emoji_json(state, &emoji)))
}

pub fn delete(state: &mut GuildState, call: &Call) -> Result<Reply, ApiError> {
    call.check_guild(state)?;
    let id: Id<twilight_model::id::marker::GenericMarker> = call.id("emoji_id", unknown_emoji)?;
    let index = state
        .emojis
        .iter()
        .position(|e| e.id == id)
        .ok_or_else(unknown_emoji)?;
    may_change(state, &state.emojis[index])?;
    state.emojis.remove(index);
    state.images.remove(&format!("emoji:{id}"));
    Ok(Reply::no_content())
}
