//! The welcome screen: `GET|PATCH /guilds/{guild_id}/welcome-screen` (`guild.mdx`, "Get/Modify
//! Guild Welcome Screen"; notes §2.11).
//!
//! Design notes:
//! - A guild that never configured one answers 10069. GET needs MANAGE_GUILD while the screen is
//!   not enabled.
//! - PATCH needs MANAGE_GUILD and COMMUNITY (without it: 50035 `GUILD_FEATURE_REQUIRED` at the
//!   top level [inferred]); `enabled` adds or removes the `WELCOME_SCREEN_ENABLED` feature and is
//!   not part of the answer. `welcome_channels: null` empties the list; each channel must exist
//!   (50035 `CHANNEL_UNKNOWN` under `channel_id` [inferred code]) and may carry at most one of
//!   `emoji_id` / `emoji_name`.

use serde_json::{Value, json};
use twilight_model::id::Id;

use super::overwrites::require;
use super::{Call, Reply};
use crate::emulator::error::{ApiError, FormErrors};
use crate::emulator::state::{GuildState, WelcomeChannel, WelcomeScreen, permission};
use crate::emulator::validate::{Field, Fields};

pub const MAX_WELCOME_CHANNELS: usize = 5;
const ENABLED: &str = "WELCOME_SCREEN_ENABLED";

fn screen_json(screen: &WelcomeScreen) -> Value {
    json!(screen)
}

/// `GET /guilds/{guild_id}/welcome-screen`.
pub fn get(state: &mut GuildState, call: &Call) -> Result<Reply, ApiError> {
    call.check_guild(state)?;
    if !state.has_feature(ENABLED) {
        require(state, permission::MANAGE_GUILD)?;
    }
    let screen = state
        .welcome_screen
        .as_ref()
        .ok_or_else(ApiError::unknown_welcome_screen)?;
    Ok(Reply::ok(screen_json(screen)))
}

/// `PATCH /guilds/{guild_id}/welcome-screen` → 200 welcome screen.
pub fn modify(state: &mut GuildState, call: &Call) -> Result<Reply, ApiError> {
    call.check_guild(state)?;
    require(state, permission::MANAGE_GUILD)?;
    if !state.has_feature("COMMUNITY") {
        return Err(ApiError::feature_required("COMMUNITY"));
    }
    let object = call.object()?;
    let fields = Fields::new(object, Vec::new());
    let mut errors = FormErrors::default();
    let enabled = fields.boolean("enabled", &mut errors);
    let description = fields.string("description", 0, 140, &mut errors);
    let channels = parse_channels(state, &fields, &mut errors);
    errors.finish()?;
    let screen = state.welcome_screen.get_or_insert(WelcomeScreen {
        description: None,
        welcome_channels: Vec::new(),
    });
    match description {
        Field::Value(text) => screen.description = Some(text),
        Field::Null => screen.description = None,
        _ => {}
    }
    match channels {
        Field::Value(list) => screen.welcome_channels = list,
        Field::Null => screen.welcome_channels.clear(),
        _ => {}
    }
    let body = screen_json(screen);
    match enabled.value() {
        Some(true) if !state.has_feature(ENABLED) => {
            state.guild.features.push(ENABLED.to_owned());
        }
        Some(false) => state.guild.features.retain(|f| f != ENABLED),
        _ => {}
    }
    Ok(Reply::ok(body))
}

fn parse_channels(
    state: &GuildState,
    fields: &Fields<'_>,
    errors: &mut FormErrors,
) -> Field<Vec<WelcomeChannel>> {
    let list = match fields.raw("welcome_channels") {
        Field::Value(Value::Array(list)) => list,
        Field::Value(_) => {
            errors.add(
                &["welcome_channels"],
                "LIST_TYPE_CONVERT",
                "Only iterables may be used in a ListType",
            );
            return Field::Invalid;
        }
        Field::Absent => return Field::Absent,
        _ => return Field::Null,
    };
    if list.len() > MAX_WELCOME_CHANNELS {
        errors.add(
            &["welcome_channels"],
            "BASE_TYPE_MAX_LENGTH",
            &format!("Must be {MAX_WELCOME_CHANNELS} or fewer in length."),
        );
        return Field::Invalid;
    }
    let before = errors.clone();
    let mut channels = Vec::new();
    for (index, item) in list.iter().enumerate() {
        let path = vec!["welcome_channels".to_owned(), index.to_string()];
        let Some(object) = item.as_object() else {
            errors.add(
                &path,
                "DICT_TYPE_CONVERT",
                "Only dictionaries may be used in a DictType",
            );
            continue;
        };
        let entry = Fields::new(object, path);
        let channel_id = if entry.require("channel_id", errors) {
            entry.snowflake("channel_id", errors).value()
        } else {
            None
        };
        let channel_id = channel_id.and_then(Id::new_checked);
        if let Some(id) = channel_id
            && state.channel(id).is_none()
        {
            errors.add(
                &entry.path("channel_id"),
                "CHANNEL_UNKNOWN",
                "Unknown channel.",
            );
        }
        let description = if entry.require("description", errors) {
            entry.string("description", 1, 50, errors).value()
        } else {
            None
        };
        let emoji_id = entry.snowflake("emoji_id", errors).value();
        let emoji_name = entry.string("emoji_name", 1, 100, errors).value();
        if emoji_id.is_some() && emoji_name.is_some() {
            errors.add(
                &entry.path("emoji_id"),
                "EMOJI_INVALID",
                "At most one of emoji_id and emoji_name may be set.",
            );
        }
        if let (Some(channel_id), Some(description)) = (channel_id, description) {
            channels.push(WelcomeChannel {
                channel_id,
                description,
                emoji_id: emoji_id.and_then(Id::new_checked),
                emoji_name,
            });
        }
    }
    if *errors == before {
        Field::Value(channels)
    } else {
        Field::Invalid
    }
}
