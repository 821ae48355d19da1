//! Guild stickers (`sticker.mdx`): `GET|POST /guilds/{guild_id}/stickers`,
//! `GET|PATCH|DELETE /guilds/{guild_id}/stickers/{sticker_id}`.
//!
//! Create takes form data only (`emulator::multipart`): `name` 2-30, `description` empty or
//! 2-100, `tags` 1-200, `file` a PNG, APNG, GIF or Lottie JSON file part (by its bytes) of at
//! most 512 KiB; Lottie only with VERIFIED or PARTNERED. PATCH (JSON) takes name, description
//! and tags, never the file. Slots per tier 5/15/30/60 (30039 "Maximum number of stickers
//! reached"). Permissions as for emoji. Unknown sticker: 10060.

use axum::http::StatusCode;
use serde_json::{Value, json};
use twilight_model::id::Id;
use twilight_model::id::marker::GenericMarker;

use super::overwrites::require;
use super::{Call, Reply};
use crate::emulator::error::{ApiError, FormErrors};
use crate::emulator::state::{GuildState, GuildSticker, permission};
use crate::emulator::validate::{Field, Fields};

fn unknown_sticker() -> ApiError {
    ApiError::new(StatusCode::NOT_FOUND, 10060, "Unknown sticker")
}

fn sticker_json(state: &GuildState, sticker: &GuildSticker) -> Value {
    json!({
        "id": sticker.id.to_string(),
        "name": sticker.name,
        "description": sticker.description,
        "tags": sticker.tags,
        "type": 2,
        "format_type": sticker.format_type,
        "available": true,
        "guild_id": state.guild_id().to_string(),
    })
}

fn description(fields: &Fields<'_>, errors: &mut FormErrors) -> Field<String> {
    match fields.raw("description") {
        Field::Value(Value::String(text)) if text.is_empty() => Field::Value(String::new()),
        _ => fields.string("description", 2, 100, errors),
    }
}

pub fn list(state: &mut GuildState, call: &Call) -> Result<Reply, ApiError> {
    call.check_guild(state)?;
    let list = state
        .stickers
        .iter()
        .map(|s| sticker_json(state, s))
        .collect();
    Ok(Reply::ok(Value::Array(list)))
}

pub fn get(state: &mut GuildState, call: &Call) -> Result<Reply, ApiError> {
    call.check_guild(state)?;
    let id: Id<GenericMarker> = call.id("sticker_id", unknown_sticker)?;
    let sticker = state
        .stickers
        .iter()
        .find(|s| s.id == id)
        .ok_or_else(unknown_sticker)?;
    Ok(Reply::ok(sticker_json(state, sticker)))
}

pub fn create(state: &mut GuildState, call: &Call) -> Result<Reply, ApiError> {
    call.check_guild(state)?;
    require(state, permission::CREATE_GUILD_EXPRESSIONS)?;
    let object = call.object()?;
    let fields = Fields::new(object, Vec::new());
    let mut errors = FormErrors::default();
    for key in ["name", "tags"] {
        if matches!(fields.raw(key), Field::Absent) {
            fields.require(key, &mut errors);
        }
    }
    let name = fields.string("name", 2, 30, &mut errors);
    let tags = fields.string("tags", 1, 200, &mut errors);
    let description = description(&fields, &mut errors);
    let multipart = object.get("__multipart").is_some();
    let file = match (multipart, fields.raw("file")) {
        (true, Field::Value(Value::String(uri))) => match crate::images::data_uri_bytes(uri) {
            Some(bytes) if bytes.len() > crate::model::expressions::STICKER_BYTES_MAX => {
                errors.add(
                    &["file"],
                    "BINARY_TYPE_MAX_SIZE",
                    "File cannot be larger than 512.0 kb.",
                );
                None
            }
            Some(bytes) => match crate::model::expressions::sticker_format(&bytes) {
                Some((3, _))
                    if !state.has_feature("VERIFIED") && !state.has_feature("PARTNERED") =>
                {
                    errors.add(
                        &["file"],
                        "STICKER_LOTTIE_NOT_ALLOWED",
                        "Lottie stickers need a verified or partnered server.",
                    );
                    None
                }
                Some((format, _)) => Some((format, uri.clone())),
                None => {
                    errors.add(&["file"], "STICKER_INVALID", "Invalid sticker file");
                    None
                }
            },
            None => {
                errors.add(&["file"], "STICKER_INVALID", "Invalid sticker file");
                None
            }
        },
        _ => {
            errors.add(&["file"], "BASE_TYPE_REQUIRED", "This field is required");
            None
        }
    };
    errors.finish()?;
    let (Some(name), Some(tags), Some((format_type, uri))) = (name.value(), tags.value(), file)
    else {
        return Err(ApiError::form(
            &["name"],
            "BASE_TYPE_REQUIRED",
            "This field is required",
        ));
    };
    let limit = crate::model::expressions::sticker_slots(state.guild.premium_tier);
    if state.stickers.len() >= limit {
        return Err(ApiError::new(
            StatusCode::BAD_REQUEST,
            30039,
            format!("Maximum number of stickers reached ({limit})"),
        ));
    }
    let id = state.next_id();
    state.images.insert(format!("sticker:{id}"), uri);
    let sticker = GuildSticker {
        id: Id::new(id),
        name,
        description: description.value().unwrap_or_default(),
        tags,
        format_type,
        user_id: Some(state.bot_user_id),
    };
    let body = sticker_json(state, &sticker);
    state.stickers.push(sticker);
    Ok(Reply::created(body))
}

fn may_change(state: &GuildState, sticker: &GuildSticker) -> Result<(), ApiError> {
    super::emojis::may_change_expression(state, sticker.user_id)
}

pub fn modify(state: &mut GuildState, call: &Call) -> Result<Reply, ApiError> {
    call.check_guild(state)?;
    let id: Id<GenericMarker> = call.id("sticker_id", unknown_sticker)?;
    let index = state
        .stickers
        .iter()
        .position(|s| s.id == id)
        .ok_or_else(unknown_sticker)?;
    may_change(state, &state.stickers[index])?;
    let object = call.object()?;
    let fields = Fields::new(object, Vec::new());
    let mut errors = FormErrors::default();
    let name = fields.string("name", 2, 30, &mut errors);
    let tags = fields.string("tags", 1, 200, &mut errors);
    let description = description(&fields, &mut errors);
    errors.finish()?;
    let sticker = &mut state.stickers[index];
    if let Some(name) = name.value() {
        sticker.name = name;
    }
    if let Some(tags) = tags.value() {
        sticker.tags = tags;
    }
    if let Some(description) = description.value() {
        sticker.description = description;
    }
    let sticker = state.stickers[index].clone();
    Ok(Reply::ok(sticker_json(state, &sticker)))
}

pub fn delete(state: &mut GuildState, call: &Call) -> Result<Reply, ApiError> {
    call.check_guild(state)?;
    let id: Id<GenericMarker> = call.id("sticker_id", unknown_sticker)?;
    let index = state
        .stickers
        .iter()
        .position(|s| s.id == id)
        .ok_or_else(unknown_sticker)?;
    may_change(state, &state.stickers[index])?;
    state.stickers.remove(index);
    state.images.remove(&format!("sticker:{id}"));
    Ok(Reply::no_content())
}
