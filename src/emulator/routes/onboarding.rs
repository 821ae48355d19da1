//! Onboarding: `GET|PUT /guilds/{guild_id}/onboarding` (`guild.mdx`, "Guild Onboarding"; notes
//! §2.12).
//!
//! Design notes:
//! - GET answers the defaults (no prompts, no default channels, disabled, mode 0) until a PUT.
//! - PUT needs MANAGE_GUILD and MANAGE_ROLES (50013) and COMMUNITY (50035
//!   `GUILD_FEATURE_REQUIRED` [inferred]). Omitted fields keep their value.
//! - Options are written with `emoji_id` / `emoji_name` / `emoji_animated` and answered with an
//!   `emoji` object. An `emoji` object on input is ignored, as the docs say it must not be used.
//!   Prompt ids are required and kept; option ids are kept when given and generated otherwise.
//!   Role and channel ids must exist (50035 `ROLE_UNKNOWN` / `CHANNEL_UNKNOWN` [inferred]).
//! - Enabled onboarding (after the request) needs `onboarding_min_default_channels` default
//!   channels, `onboarding_min_writable_default_channels` of them writable by `@everyone`
//!   (VIEW_CHANNEL and SEND_MESSAGES after the channel's overwrites). In advanced mode (1) the
//!   channels of the options of onboarding prompts count too. Failing: 350000 when enabling,
//!   350001 when it was already enabled.

use serde_json::{Value, json};
use twilight_model::id::Id;
use twilight_model::id::marker::ChannelMarker;

use super::overwrites::require;
use super::{Call, Reply};
use crate::emulator::error::{ApiError, FormErrors};
use crate::emulator::state::{
    GuildState, Onboarding, OnboardingOption, OnboardingPrompt, OptionEmoji, permission,
};
use crate::emulator::validate::{Field, Fields};
use crate::permissions::Permissions;

pub const MAX_PROMPTS: usize = 15;
pub const MAX_OPTIONS: usize = 50;
pub const MAX_DEFAULT_CHANNELS: usize = 500;

fn onboarding_json(state: &GuildState) -> Value {
    let onboarding = state.onboarding.clone().unwrap_or(Onboarding {
        prompts: Vec::new(),
        default_channel_ids: Vec::new(),
        enabled: false,
        mode: 0,
    });
    let mut body = json!(onboarding);
    body["guild_id"] = json!(state.guild_id().to_string());
    body
}

/// `GET /guilds/{guild_id}/onboarding`.
pub fn get(state: &mut GuildState, call: &Call) -> Result<Reply, ApiError> {
    call.check_guild(state)?;
    Ok(Reply::ok(onboarding_json(state)))
}

/// `PUT /guilds/{guild_id}/onboarding` → 200 onboarding.
pub fn put(state: &mut GuildState, call: &Call) -> Result<Reply, ApiError> {
    call.check_guild(state)?;
    require(state, permission::MANAGE_GUILD)?;
    require(state, Permissions::MANAGE_ROLES)?;
    if !state.has_feature("COMMUNITY") {
        return Err(ApiError::feature_required("COMMUNITY"));
    }
    let object = call.object()?;
    let fields = Fields::new(object, Vec::new());
    let mut errors = FormErrors::default();
    let prompts = parse_prompts(state, &fields, &mut errors);
    let defaults = fields.snowflake_list("default_channel_ids", MAX_DEFAULT_CHANNELS, &mut errors);
    if let Field::Value(ids) = &defaults {
        check_channels(state, ids, &fields.path("default_channel_ids"), &mut errors);
    }
    let enabled = fields.boolean("enabled", &mut errors);
    let mode = fields.choice("mode", &[0, 1], &mut errors);
    errors.finish()?;
    let was_enabled = state.onboarding.as_ref().is_some_and(|o| o.enabled);
    let mut next = state.onboarding.clone().unwrap_or(Onboarding {
        prompts: Vec::new(),
        default_channel_ids: Vec::new(),
        enabled: false,
        mode: 0,
    });
    if let Some(mut prompts) = prompts {
        for option in prompts
            .iter_mut()
            .flat_map(|prompt| prompt.options.iter_mut())
        {
            if option.id.get() == 1 {
                option.id = Id::new(state.next_id());
            }
        }
        next.prompts = prompts;
    }
    match defaults {
        Field::Value(ids) => {
            next.default_channel_ids = ids.into_iter().filter_map(Id::new_checked).collect();
        }
        Field::Null => next.default_channel_ids.clear(),
        _ => {}
    }
    if let Some(enabled) = enabled.value() {
        next.enabled = enabled;
    }
    if let Some(mode) = mode.value() {
        next.mode = u8::try_from(mode).unwrap_or(0);
    }
    if next.enabled && !meets_requirements(state, &next, &call.config) {
        return Err(ApiError::onboarding_requirements(was_enabled));
    }
    state.onboarding = Some(next);
    Ok(Reply::ok(onboarding_json(state)))
}

fn meets_requirements(
    state: &GuildState,
    onboarding: &Onboarding,
    config: &crate::emulator::EmulatorConfig,
) -> bool {
    let mut channels: Vec<Id<ChannelMarker>> = onboarding.default_channel_ids.clone();
    if onboarding.mode == 1 {
        for prompt in onboarding.prompts.iter().filter(|p| p.in_onboarding) {
            for option in &prompt.options {
                for id in &option.channel_ids {
                    if !channels.contains(id) {
                        channels.push(*id);
                    }
                }
            }
        }
    }
    let writable = channels
        .iter()
        .filter_map(|id| state.channel(*id))
        .filter(|channel| {
            state
                .everyone_channel_permissions(channel)
                .contains(Permissions::VIEW_CHANNEL.union(Permissions::SEND_MESSAGES))
        })
        .count();
    channels.len() >= config.onboarding_min_default_channels
        && writable >= config.onboarding_min_writable_default_channels
}

fn check_channels(state: &GuildState, ids: &[u64], path: &[String], errors: &mut FormErrors) {
    for (index, id) in ids.iter().enumerate() {
        if Id::new_checked(*id)
            .and_then(|id| state.channel(id))
            .is_none()
        {
            let mut path = path.to_vec();
            path.push(index.to_string());
            errors.add(&path, "CHANNEL_UNKNOWN", "Unknown channel.");
        }
    }
}

fn parse_prompts(
    state: &GuildState,
    fields: &Fields<'_>,
    errors: &mut FormErrors,
) -> Option<Vec<OnboardingPrompt>> {
    let list = match fields.list("prompts", MAX_PROMPTS, errors) {
        Field::Value(list) => list,
        Field::Null => return Some(Vec::new()),
        _ => return None,
    };
    let before = errors.clone();
    let mut prompts = Vec::new();
    for (index, item) in list.iter().enumerate() {
        let path = vec!["prompts".to_owned(), index.to_string()];
        let Some(object) = item.as_object() else {
            errors.add(
                &path,
                "DICT_TYPE_CONVERT",
                "Only dictionaries may be used in a DictType",
            );
            continue;
        };
        let prompt = Fields::new(object, path);
        let id = if prompt.require("id", errors) {
            prompt.snowflake("id", errors).value()
        } else {
            None
        };
        let title = if prompt.require("title", errors) {
            prompt.string("title", 1, 100, errors).value()
        } else {
            None
        };
        let kind = prompt.choice("type", &[0, 1], errors).value().unwrap_or(0);
        let single_select = prompt.boolean("single_select", errors).value();
        let required = prompt.boolean("required", errors).value();
        let in_onboarding = prompt.boolean("in_onboarding", errors).value();
        let options = if prompt.require("options", errors) {
            parse_options(state, &prompt, errors)
        } else {
            Vec::new()
        };
        if let (Some(id), Some(title)) = (id.and_then(Id::new_checked), title) {
            prompts.push(OnboardingPrompt {
                id,
                kind: u8::try_from(kind).unwrap_or(0),
                options,
                title,
                single_select: single_select.unwrap_or(false),
                required: required.unwrap_or(false),
                in_onboarding: in_onboarding.unwrap_or(true),
            });
        }
    }
    (*errors == before).then_some(prompts)
}

/// Options of one prompt; an option without id gets the placeholder id 1 (replaced by a fresh
/// snowflake once the whole body is valid).
fn parse_options(
    state: &GuildState,
    prompt: &Fields<'_>,
    errors: &mut FormErrors,
) -> Vec<OnboardingOption> {
    let list = match prompt.list("options", MAX_OPTIONS, errors) {
        Field::Value(list) if list.is_empty() => {
            errors.add(
                &prompt.path("options"),
                "BASE_TYPE_BAD_LENGTH",
                &format!("Must be between 1 and {MAX_OPTIONS} in length."),
            );
            return Vec::new();
        }
        Field::Value(list) => list,
        _ => return Vec::new(),
    };
    let mut options = Vec::new();
    for (index, item) in list.iter().enumerate() {
        let mut path = prompt.path("options");
        path.push(index.to_string());
        let Some(object) = item.as_object() else {
            errors.add(
                &path,
                "DICT_TYPE_CONVERT",
                "Only dictionaries may be used in a DictType",
            );
            continue;
        };
        let option = Fields::new(object, path);
        let id = option.snowflake("id", errors).value();
        let title = if option.require("title", errors) {
            option.string("title", 1, 50, errors).value()
        } else {
            None
        };
        let description = option.string("description", 0, 100, errors).value();
        let emoji_id = option.snowflake("emoji_id", errors).value();
        let emoji_name = option.string("emoji_name", 1, 100, errors).value();
        let emoji_animated = option.boolean("emoji_animated", errors).value();
        let role_ids = option
            .snowflake_list("role_ids", 50, errors)
            .value()
            .unwrap_or_default();
        for (position, role) in role_ids.iter().enumerate() {
            if Id::new_checked(*role)
                .and_then(|id| state.role(id))
                .is_none()
            {
                let mut path = option.path("role_ids");
                path.push(position.to_string());
                errors.add(&path, "ROLE_UNKNOWN", "Unknown role.");
            }
        }
        let channel_ids = option
            .snowflake_list("channel_ids", 50, errors)
            .value()
            .unwrap_or_default();
        check_channels(state, &channel_ids, &option.path("channel_ids"), errors);
        if let Some(title) = title {
            options.push(OnboardingOption {
                id: Id::new(id.unwrap_or(1)),
                channel_ids: channel_ids
                    .into_iter()
                    .filter_map(Id::new_checked)
                    .collect(),
                role_ids: role_ids.into_iter().filter_map(Id::new_checked).collect(),
                emoji: OptionEmoji {
                    id: emoji_id.and_then(Id::new_checked),
                    name: emoji_name,
                    animated: emoji_animated.unwrap_or(false),
                },
                title,
                description: description.unwrap_or_default(),
            });
        }
    }
    options
}
