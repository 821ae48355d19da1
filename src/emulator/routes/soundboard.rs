//! Soundboard sounds (`soundboard.mdx`): `GET|POST /guilds/{guild_id}/soundboard-sounds`
//! (the list is `{"items": [...]}`), `GET|PATCH|DELETE …/soundboard-sounds/{sound_id}`.
//!
//! Strict like Discord: `name` 2-32 characters, `sound` an `audio/mpeg` or `audio/ogg` data URI
//! whose bytes are MP3 (`ID3` or a frame sync) or Ogg (`OggS`), at most 512 KiB
//! (`BINARY_TYPE_MAX_SIZE`); the 5.2-second limit is not checked (that needs decoding);
//! `volume` 0-1; `emoji_id` one of the guild's emoji. PATCH cannot change the sound. Slots per
//! boost tier 8/24/36/48 (30045 [inferred code]). Permissions as for emoji. Unknown: 10097.

use axum::http::StatusCode;
use serde_json::{Value, json};
use twilight_model::id::Id;
use twilight_model::id::marker::GenericMarker;

use super::overwrites::require;
use super::{Call, Reply};
use crate::emulator::error::{ApiError, FormErrors};
use crate::emulator::state::{GuildState, SoundboardSound, permission};
use crate::emulator::validate::{Field, Fields};

fn unknown_sound() -> ApiError {
    ApiError::new(StatusCode::NOT_FOUND, 10097, "Unknown Sound")
}

fn sound_json(state: &GuildState, sound: &SoundboardSound) -> Value {
    json!({
        "name": sound.name,
        "sound_id": sound.id.to_string(),
        "volume": sound.volume,
        "emoji_id": sound.emoji_id.map(|id| id.to_string()),
        "emoji_name": sound.emoji_name,
        "guild_id": state.guild_id().to_string(),
        "available": true,
    })
}

/// `volume`, `emoji_id`, `emoji_name`.
fn settings(
    state: &GuildState,
    fields: &Fields<'_>,
    errors: &mut FormErrors,
) -> (Option<f64>, Field<u64>, Field<String>) {
    let volume = match fields.raw("volume") {
        Field::Value(Value::Number(number)) => match number.as_f64() {
            Some(value) if (0.0..=1.0).contains(&value) => Some(value),
            _ => {
                errors.add(
                    &["volume"],
                    "NUMBER_TYPE_MAX",
                    "Value should be less than or equal to 1.",
                );
                None
            }
        },
        Field::Value(_) => {
            errors.add(&["volume"], "NUMBER_TYPE_COERCE", "Value is not a number.");
            None
        }
        Field::Null => Some(1.0),
        _ => None,
    };
    let emoji_id = match fields.snowflake("emoji_id", errors) {
        Field::Value(id) if !state.emojis.iter().any(|emoji| emoji.id.get() == id) => {
            errors.add(&["emoji_id"], "EMOJI_UNKNOWN", "Unknown emoji.");
            Field::Invalid
        }
        other => other,
    };
    let emoji_name = fields.string("emoji_name", 1, 100, errors);
    (volume, emoji_id, emoji_name)
}

pub fn list(state: &mut GuildState, call: &Call) -> Result<Reply, ApiError> {
    call.check_guild(state)?;
    let items: Vec<Value> = state.sounds.iter().map(|s| sound_json(state, s)).collect();
    Ok(Reply::ok(json!({ "items": items })))
}

pub fn get(state: &mut GuildState, call: &Call) -> Result<Reply, ApiError> {
    call.check_guild(state)?;
    let id: Id<GenericMarker> = call.id("sound_id", unknown_sound)?;
    let sound = state
        .sounds
        .iter()
        .find(|s| s.id == id)
        .ok_or_else(unknown_sound)?;
    Ok(Reply::ok(sound_json(state, sound)))
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
    let name = fields.string("name", 2, 32, &mut errors);
    let data = match fields.raw("sound") {
        Field::Value(Value::String(text)) => match crate::images::data_uri_bytes(text) {
            Some(bytes) if bytes.len() > crate::model::expressions::SOUND_BYTES_MAX => {
                errors.add(
                    &["sound"],
                    "BINARY_TYPE_MAX_SIZE",
                    "File cannot be larger than 512.0 kb.",
                );
                None
            }
            Some(bytes)
                if crate::model::expressions::sound_type(&bytes)
                    .is_some_and(|kind| text.starts_with(&format!("data:{kind};base64,"))) =>
            {
                Some(text.clone())
            }
            _ => {
                errors.add(&["sound"], "SOUND_INVALID", "Invalid sound data");
                None
            }
        },
        Field::Absent | Field::Null => {
            errors.add(&["sound"], "BASE_TYPE_REQUIRED", "This field is required");
            None
        }
        _ => {
            errors.add(&["sound"], "SOUND_INVALID", "Invalid sound data");
            None
        }
    };
    let (volume, emoji_id, emoji_name) = settings(state, &fields, &mut errors);
    errors.finish()?;
    let (Some(name), Some(data)) = (name.value(), data) else {
        return Err(ApiError::form(
            &["name"],
            "BASE_TYPE_REQUIRED",
            "This field is required",
        ));
    };
    let limit = crate::model::expressions::sound_slots(state.guild.premium_tier);
    if state.sounds.len() >= limit {
        return Err(ApiError::new(
            StatusCode::BAD_REQUEST,
            30045,
            format!("Maximum number of soundboard sounds reached ({limit})"),
        ));
    }
    let id = state.next_id();
    state.images.insert(format!("sound:{id}"), data);
    let sound = SoundboardSound {
        id: Id::new(id),
        name,
        volume: volume.unwrap_or(1.0),
        emoji_id: emoji_id.value().map(Id::new),
        emoji_name: emoji_name.value(),
        user_id: Some(state.bot_user_id),
    };
    let body = sound_json(state, &sound);
    state.sounds.push(sound);
    Ok(Reply::created(body))
}

fn may_change(state: &GuildState, sound: &SoundboardSound) -> Result<(), ApiError> {
    super::emojis::may_change_expression(state, sound.user_id)
}

pub fn modify(state: &mut GuildState, call: &Call) -> Result<Reply, ApiError> {
    call.check_guild(state)?;
    let id: Id<GenericMarker> = call.id("sound_id", unknown_sound)?;
    let index = state
        .sounds
        .iter()
        .position(|s| s.id == id)
        .ok_or_else(unknown_sound)?;
    may_change(state, &state.sounds[index])?;
    let object = call.object()?;
    let fields = Fields::new(object, Vec::new());
    let mut errors = FormErrors::default();
    let name = fields.string("name", 2, 32, &mut errors);
    let (volume, emoji_id, emoji_name) = settings(state, &fields, &mut errors);
    errors.finish()?;
    let sound = &mut state.sounds[index];
    if let Some(name) = name.value() {
        sound.name = name;
    }
    if let Some(volume) = volume {
        sound.volume = volume;
    }
    match emoji_id {
        Field::Value(id) => sound.emoji_id = Some(Id::new(id)),
        Field::Null => sound.emoji_id = None,
        _ => {}
    }
    match emoji_name {
        Field::Value(text) => sound.emoji_name = Some(text),
        Field::Null => sound.emoji_name = None,
        _ => {}
    }
    let sound = state.sounds[index].clone();
    Ok(Reply::ok(sound_json(state, &sound)))
}

pub fn delete(state: &mut GuildState, call: &Call) -> Result<Reply, ApiError> {
    call.check_guild(state)?;
    let id: Id<GenericMarker> = call.id("sound_id", unknown_sound)?;
    let index = state
        .sounds
        .iter()
        .position(|s| s.id == id)
        .ok_or_else(unknown_sound)?;
    may_change(state, &state.sounds[index])?;
    state.sounds.remove(index);
    state.images.remove(&format!("sound:{id}"));
    Ok(Reply::no_content())
}
