//! Auto moderation rules: `GET|POST /guilds/{guild_id}/auto-moderation/rules`,
//! `GET|PATCH|DELETE .../rules/{rule_id}` (`auto-moderation.mdx`; notes §2.13).
//!
//! Design notes:
//! - Everything needs MANAGE_GUILD; a TIMEOUT action also MODERATE_MEMBERS (50013).
//! - Bodies may carry `null` wherever twilight sends it (`actions`, `enabled`, `exempt_*`,
//!   `trigger_metadata`, action metadata fields): null reads as "not given". A create still needs
//!   1-5 actions.
//! - Rules of a trigger type are capped (keyword 6, the others 1): 50035 with
//!   `AUTO_MODERATION_MAX_RULES_OF_TYPE_EXCEEDED` under the key `"0"` (as observed).
//! - `trigger_type` cannot change on PATCH (50035 `BASE_TYPE_CHOICES` on `trigger_type`
//!   [inferred]); `event_type` 2 (MEMBER_UPDATE) goes with MEMBER_PROFILE rules only, which in
//!   turn use 1 or 2. TIMEOUT actions only on KEYWORD and MENTION_SPAM rules,
//!   BLOCK_MEMBER_INTERACTION only on MEMBER_PROFILE rules (50035 on the action's `type`).
//! - Answers always carry every key of the rule and of its trigger type's metadata. The guild
//!   gains `AUTO_MODERATION` with its first rule and keeps it.
//! - An unknown rule id is 404 with code 0 (no code is documented [inferred]).

use serde_json::{Value, json};
use twilight_model::id::Id;
use twilight_model::id::marker::GenericMarker;

use super::overwrites::require;
use super::{Call, Reply};
use crate::emulator::error::{ApiError, FormErrors};
use crate::emulator::state::{
    ActionMetadata, AutoModerationAction, AutoModerationRule, GuildState, TriggerMetadata,
    permission,
};
use crate::emulator::validate::{Field, Fields};

pub const MAX_ACTIONS: usize = 5;
pub const MAX_EXEMPT_ROLES: usize = 20;
pub const MAX_EXEMPT_CHANNELS: usize = 50;
pub const MAX_TIMEOUT_SECONDS: i64 = 2_419_200;

/// How many rules of a trigger type a guild may have.
pub fn max_rules(trigger_type: u8) -> usize {
    if trigger_type == 1 { 6 } else { 1 }
}

fn rule_json(state: &GuildState, rule: &AutoModerationRule) -> Value {
    let mut body = json!(rule);
    body["guild_id"] = json!(state.guild_id().to_string());
    body
}

fn find(state: &GuildState, call: &Call) -> Result<usize, ApiError> {
    let id: Id<GenericMarker> = call.id("rule_id", ApiError::unknown_auto_moderation_rule)?;
    state
        .auto_moderation_rules
        .iter()
        .position(|rule| rule.id == id)
        .ok_or_else(ApiError::unknown_auto_moderation_rule)
}

/// `GET /guilds/{guild_id}/auto-moderation/rules`.
pub fn list(state: &mut GuildState, call: &Call) -> Result<Reply, ApiError> {
    call.check_guild(state)?;
    require(state, permission::MANAGE_GUILD)?;
    let rules = state
        .auto_moderation_rules
        .iter()
        .map(|rule| rule_json(state, rule))
        .collect();
    Ok(Reply::ok(Value::Array(rules)))
}

/// `GET /guilds/{guild_id}/auto-moderation/rules/{rule_id}`.
pub fn get(state: &mut GuildState, call: &Call) -> Result<Reply, ApiError> {
    call.check_guild(state)?;
    let index = find(state, call)?;
    require(state, permission::MANAGE_GUILD)?;
    Ok(Reply::ok(rule_json(
        state,
        &state.auto_moderation_rules[index],
    )))
}

/// The optional fields of a create or modify body.
struct RuleInput {
    name: Option<String>,
    event_type: Option<u8>,
    trigger_metadata: Option<TriggerMetadata>,
    actions: Option<Vec<AutoModerationAction>>,
    enabled: Option<bool>,
    exempt_roles: Option<Vec<u64>>,
    exempt_channels: Option<Vec<u64>>,
}

fn parse(
    state: &GuildState,
    fields: &Fields<'_>,
    trigger_type: u8,
    errors: &mut FormErrors,
) -> RuleInput {
    let name = fields.string("name", 1, 100, errors).value();
    let event_type = fields
        .choice("event_type", &[1, 2], errors)
        .value()
        .and_then(|value| u8::try_from(value).ok());
    if event_type == Some(2) && trigger_type != 6 {
        errors.add(
            &["event_type"],
            "BASE_TYPE_CHOICES",
            "Value must be one of {1}.",
        );
    }
    let trigger_metadata = match fields.raw("trigger_metadata") {
        Field::Value(Value::Object(object)) => Some(parse_metadata(
            &Fields::new(object, fields.path("trigger_metadata")),
            trigger_type,
            errors,
        )),
        Field::Value(_) => {
            errors.add(
                &["trigger_metadata"],
                "DICT_TYPE_CONVERT",
                "Only dictionaries may be used in a DictType",
            );
            None
        }
        _ => None,
    };
    let actions = parse_actions(state, fields, trigger_type, errors);
    let enabled = fields.boolean("enabled", errors).value();
    let exempt_roles = fields
        .snowflake_list("exempt_roles", MAX_EXEMPT_ROLES, errors)
        .value();
    for (index, id) in exempt_roles.iter().flatten().enumerate() {
        if Id::new_checked(*id).and_then(|id| state.role(id)).is_none() {
            errors.add(
                &["exempt_roles".to_owned(), index.to_string()],
                "ROLE_UNKNOWN",
                "Unknown role.",
            );
        }
    }
    let exempt_channels = fields
        .snowflake_list("exempt_channels", MAX_EXEMPT_CHANNELS, errors)
        .value();
    for (index, id) in exempt_channels.iter().flatten().enumerate() {
        if Id::new_checked(*id)
            .and_then(|id| state.channel(id))
            .is_none()
        {
            errors.add(
                &["exempt_channels".to_owned(), index.to_string()],
                "CHANNEL_UNKNOWN",
                "Unknown channel.",
            );
        }
    }
    RuleInput {
        name,
        event_type,
        trigger_metadata,
        actions,
        enabled,
        exempt_roles,
        exempt_channels,
    }
}

fn parse_metadata(
    fields: &Fields<'_>,
    trigger_type: u8,
    errors: &mut FormErrors,
) -> TriggerMetadata {
    let mut metadata = TriggerMetadata::default();
    match trigger_type {
        1 | 6 => {
            metadata.keyword_filter = fields
                .string_list("keyword_filter", 1000, 1, 60, errors)
                .value();
            metadata.regex_patterns = fields
                .string_list("regex_patterns", 10, 1, 260, errors)
                .value();
            metadata.allow_list = fields.string_list("allow_list", 100, 1, 60, errors).value();
        }
        4 => {
            metadata.allow_list = fields
                .string_list("allow_list", 1000, 1, 60, errors)
                .value();
            if let Field::Value(list) = fields.list("presets", 3, errors) {
                let mut presets = Vec::new();
                for (index, item) in list.iter().enumerate() {
                    let mut path = fields.path("presets");
                    path.push(index.to_string());
                    match item.as_u64().and_then(|v| u8::try_from(v).ok()) {
                        Some(value @ 1..=3) if !presets.contains(&value) => presets.push(value),
                        Some(value @ 1..=3) => {
                            let _ = value;
                            errors.add(&path, "BASE_TYPE_UNIQUE", "Items must be unique.");
                        }
                        _ => errors.add(
                            &path,
                            "BASE_TYPE_CHOICES",
                            "Value must be one of {1, 2, 3}.",
                        ),
                    }
                }
                metadata.presets = Some(presets);
            }
        }
        5 => {
            metadata.mention_total_limit = fields
                .integer("mention_total_limit", 0, 50, errors)
                .value()
                .and_then(|value| u8::try_from(value).ok());
            metadata.mention_raid_protection_enabled = fields
                .boolean("mention_raid_protection_enabled", errors)
                .value();
        }
        _ => {}
    }
    metadata
}

fn parse_actions(
    state: &GuildState,
    fields: &Fields<'_>,
    trigger_type: u8,
    errors: &mut FormErrors,
) -> Option<Vec<AutoModerationAction>> {
    let list = fields.list("actions", MAX_ACTIONS, errors).value()?;
    if list.is_empty() {
        errors.add(
            &["actions"],
            "BASE_TYPE_BAD_LENGTH",
            &format!("Must be between 1 and {MAX_ACTIONS} in length."),
        );
        return None;
    }
    let mut actions = Vec::new();
    for (index, item) in list.iter().enumerate() {
        let path = vec!["actions".to_owned(), index.to_string()];
        let Some(object) = item.as_object() else {
            errors.add(
                &path,
                "DICT_TYPE_CONVERT",
                "Only dictionaries may be used in a DictType",
            );
            continue;
        };
        let action = Fields::new(object, path);
        let kind = if action.require("type", errors) {
            action.choice("type", &[1, 2, 3, 4], errors).value()
        } else {
            None
        };
        let Some(kind) = kind.and_then(|kind| u8::try_from(kind).ok()) else {
            continue;
        };
        let allowed = match kind {
            3 => matches!(trigger_type, 1 | 5),
            4 => trigger_type == 6,
            _ => true,
        };
        if !allowed {
            errors.add(
                &action.path("type"),
                "BASE_TYPE_CHOICES",
                "This action type is not available for this trigger type.",
            );
        }
        let empty = serde_json::Map::new();
        let metadata_object = match action.raw("metadata") {
            Field::Value(Value::Object(object)) => object,
            _ => &empty,
        };
        let metadata = Fields::new(metadata_object, action.path("metadata"));
        let mut parsed = ActionMetadata::default();
        match kind {
            1 => parsed.custom_message = metadata.string("custom_message", 0, 150, errors).value(),
            2 => {
                if metadata.require("channel_id", errors)
                    && let Some(id) = metadata.snowflake("channel_id", errors).value()
                {
                    match Id::new_checked(id).filter(|id| state.channel(*id).is_some()) {
                        Some(id) => parsed.channel_id = Some(id),
                        None => errors.add(
                            &metadata.path("channel_id"),
                            "CHANNEL_UNKNOWN",
                            "Unknown channel.",
                        ),
                    }
                }
            }
            3 if metadata.require("duration_seconds", errors) => {
                parsed.duration_seconds = metadata
                    .integer("duration_seconds", 0, MAX_TIMEOUT_SECONDS, errors)
                    .value()
                    .and_then(|value| u32::try_from(value).ok());
            }
            _ => {}
        }
        actions.push(AutoModerationAction {
            kind,
            metadata: parsed,
        });
    }
    Some(actions)
}

/// Checks the permissions an action list needs.
fn check_action_permissions(
    state: &GuildState,
    actions: &[AutoModerationAction],
) -> Result<(), ApiError> {
    if actions.iter().any(|action| action.kind == 3) {
        require(state, permission::MODERATE_MEMBERS)?;
    }
    Ok(())
}

/// `POST /guilds/{guild_id}/auto-moderation/rules` → 200 rule.
pub fn create(state: &mut GuildState, call: &Call) -> Result<Reply, ApiError> {
    call.check_guild(state)?;
    require(state, permission::MANAGE_GUILD)?;
    let object = call.object()?;
    let fields = Fields::new(object, Vec::new());
    let mut errors = FormErrors::default();
    fields.require("name", &mut errors);
    fields.require("event_type", &mut errors);
    let trigger_type = if fields.require("trigger_type", &mut errors) {
        fields
            .choice("trigger_type", &[1, 3, 4, 5, 6], &mut errors)
            .value()
            .and_then(|value| u8::try_from(value).ok())
    } else {
        None
    };
    let input = parse(state, &fields, trigger_type.unwrap_or(1), &mut errors);
    if input.actions.is_none() && !matches!(fields.raw("actions"), Field::Invalid) {
        fields.require("actions", &mut errors);
    }
    if matches!(trigger_type, Some(4 | 6)) && input.trigger_metadata.is_none() {
        fields.require("trigger_metadata", &mut errors);
    }
    errors.finish()?;
    let (Some(trigger_type), Some(name), Some(event_type), Some(actions)) =
        (trigger_type, input.name, input.event_type, input.actions)
    else {
        return Err(ApiError::form(
            &[] as &[&str],
            "BASE_TYPE_REQUIRED",
            "This field is required",
        ));
    };
    check_action_permissions(state, &actions)?;
    let existing = state
        .auto_moderation_rules
        .iter()
        .filter(|rule| rule.trigger_type == trigger_type)
        .count();
    if existing >= max_rules(trigger_type) {
        return Err(ApiError::form(
            &["0"],
            "AUTO_MODERATION_MAX_RULES_OF_TYPE_EXCEEDED",
            &format!(
                "Maximum number of rules with trigger type {trigger_type} is {}",
                max_rules(trigger_type)
            ),
        ));
    }
    let mut trigger_metadata = input.trigger_metadata.unwrap_or_default();
    trigger_metadata.fill_for(trigger_type);
    let rule = AutoModerationRule {
        id: Id::new(state.next_id()),
        name,
        creator_id: Some(state.bot_user_id),
        event_type,
        trigger_type,
        trigger_metadata,
        actions,
        enabled: input.enabled.unwrap_or(false),
        exempt_roles: ids(input.exempt_roles),
        exempt_channels: ids(input.exempt_channels),
    };
    let body = rule_json(state, &rule);
    state.auto_moderation_rules.push(rule);
    if !state.has_feature("AUTO_MODERATION") {
        state.guild.features.push("AUTO_MODERATION".to_owned());
    }
    Ok(Reply::ok(body))
}

fn ids<T>(list: Option<Vec<u64>>) -> Vec<Id<T>> {
    list.unwrap_or_default()
        .into_iter()
        .filter_map(Id::new_checked)
        .collect()
}

/// `PATCH /guilds/{guild_id}/auto-moderation/rules/{rule_id}` → 200 rule.
pub fn modify(state: &mut GuildState, call: &Call) -> Result<Reply, ApiError> {
    call.check_guild(state)?;
    let index = find(state, call)?;
    require(state, permission::MANAGE_GUILD)?;
    let mut rule = state.auto_moderation_rules[index].clone();
    let object = call.object()?;
    let fields = Fields::new(object, Vec::new());
    let mut errors = FormErrors::default();
    if let Field::Value(kind) = fields.integer("trigger_type", 0, 255, &mut errors)
        && kind != i64::from(rule.trigger_type)
    {
        errors.add(
            &["trigger_type"],
            "BASE_TYPE_CHOICES",
            &format!("Value must be one of {{{}}}.", rule.trigger_type),
        );
    }
    let input = parse(state, &fields, rule.trigger_type, &mut errors);
    errors.finish()?;
    if let Some(actions) = &input.actions {
        check_action_permissions(state, actions)?;
    }
    if let Some(name) = input.name {
        rule.name = name;
    }
    if let Some(event_type) = input.event_type {
        rule.event_type = event_type;
    }
    if let Some(mut metadata) = input.trigger_metadata {
        metadata.fill_for(rule.trigger_type);
        rule.trigger_metadata = metadata;
    }
    if let Some(actions) = input.actions {
        rule.actions = actions;
    }
    if let Some(enabled) = input.enabled {
        rule.enabled = enabled;
    }
    if input.exempt_roles.is_some() {
        rule.exempt_roles = ids(input.exempt_roles);
    }
    if input.exempt_channels.is_some() {
        rule.exempt_channels = ids(input.exempt_channels);
    }
    let body = rule_json(state, &rule);
    state.auto_moderation_rules[index] = rule;
    Ok(Reply::ok(body))
}

/// `DELETE /guilds/{guild_id}/auto-moderation/rules/{rule_id}` → 204.
pub fn delete(state: &mut GuildState, call: &Call) -> Result<Reply, ApiError> {
    call.check_guild(state)?;
    let index = find(state, call)?;
    require(state, permission::MANAGE_GUILD)?;
    state.auto_moderation_rules.remove(index);
    Ok(Reply::no_content())
}
