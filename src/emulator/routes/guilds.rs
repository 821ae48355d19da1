//! `GET` and `PATCH /guilds/{guild_id}` (`guild.mdx`, "Get Guild", "Modify Guild"; notes §2.1,
//! §2.2, §4.7).
//!
//! Emits every key the spec's `GuildWithCountsResponse` requires, which includes all the keys
//! twilight-model's `Guild` deserializer insists on.
//!
//! Design notes for Modify Guild:
//! - Only `COMMUNITY`, `DISCOVERABLE`, `INVITES_DISABLED` and `RAID_ALERTS_DISABLED` can be
//!   toggled through `features`; every other feature keeps its current presence whatever the body
//!   says (Discord ignores them too). Toggling `COMMUNITY` or `DISCOVERABLE` needs ADMINISTRATOR
//!   (403 50013); `DISCOVERABLE` also needs `COMMUNITY`.
//! - Enabling `COMMUNITY` checks the settings the guild would have after the request. The real
//!   refusal is undocumented (bots have even seen 40006 "This feature has been temporarily
//!   disabled", discord-api-docs#6015); the emulator answers one 50035 with an error under each
//!   field that fails: `verification_level` (`COMMUNITY_VERIFICATION_LEVEL_TOO_LOW`),
//!   `explicit_content_filter` (`COMMUNITY_EXPLICIT_CONTENT_FILTER_REQUIRED`),
//!   `rules_channel_id` / `public_updates_channel_id` (`COMMUNITY_CHANNEL_REQUIRED`).
//! - Enabling `COMMUNITY` adds `NEWS`; disabling it removes `NEWS`, `DISCOVERABLE` and
//!   `WELCOME_SCREEN_ENABLED`, and turns announcement channels back into text channels (what the
//!   client's "Disable Community" dialog announces) [inferred].
//! - While `COMMUNITY` is on, `rules_channel_id` and `public_updates_channel_id` cannot be
//!   cleared (50035 `COMMUNITY_CHANNEL_REQUIRED`). A community channel (rules, public updates,
//!   safety alerts) that is not a text channel is 400 50086; the AFK channel must be a voice
//!   channel and the system channel a text channel (50035 `CHANNEL_TYPE_INVALID`); an unknown id
//!   in any channel field is 50035 `CHANNEL_UNKNOWN` [inferred codes].
//! - `system_channel_flags` accepts the six documented bits (0x3f); others are 50035
//!   `BASE_TYPE_CHOICES` [inferred].

use serde_json::{Value, json};
use twilight_model::id::Id;
use twilight_model::id::marker::ChannelMarker;

use super::overwrites::require;
use super::{Call, Reply};
use crate::emulator::error::{ApiError, FormErrors};
use crate::emulator::state::{GuildState, channel_type, permission};
use crate::emulator::validate::{Field, Fields};
use crate::permissions::Permissions;

/// Locales Discord accepts for `preferred_locale` (`reference.mdx`, "Locales").
pub const LOCALES: [&str; 34] = [
    "ar", "bg", "cs", "da", "de", "el", "en-GB", "en-US", "es-419", "es-ES", "fi", "fr", "he",
    "hi", "hr", "hu", "id", "it", "ja", "ko", "lt", "nl", "no", "pl", "pt-BR", "ro", "ru", "sv-SE",
    "th", "tr", "uk", "vi", "zh-CN", "zh-TW",
];

/// Features a `PATCH` may add or remove.
pub const MUTABLE_FEATURES: [&str; 4] = [
    "COMMUNITY",
    "DISCOVERABLE",
    "INVITES_DISABLED",
    "RAID_ALERTS_DISABLED",
];

/// The documented `system_channel_flags` bits.
pub const SYSTEM_CHANNEL_FLAGS: u64 = 0x3f;

pub fn get(state: &mut GuildState, call: &Call) -> Result<Reply, ApiError> {
    call.check_guild(state)?;
    let mut body = guild_json(state);
    if call.query_flag("with_counts")
        && let Some(object) = body.as_object_mut()
    {
        object.insert(
            "approximate_member_count".to_owned(),
            json!(state.members.len()),
        );
        object.insert("approximate_presence_count".to_owned(), json!(0));
    }
    Ok(Reply::ok(body))
}

/// The guild object with its roles.
pub fn guild_json(state: &GuildState) -> Value {
    let guild = &state.guild;
    let id = |value: Option<twilight_model::id::Id<twilight_model::id::marker::ChannelMarker>>| {
        value.map(|id| id.to_string())
    };
    json!({
        "id": guild.id.to_string(),
        "name": guild.name,
        "icon": guild.icon,
        "description": guild.description,
        "home_header": null,
        "splash": guild.splash,
        "discovery_splash": guild.discovery_splash,
        "features": guild.features,
        "banner": guild.banner,
        "owner_id": guild.owner_id.to_string(),
        "application_id": null,
        "region": "deprecated",
        "afk_channel_id": id(guild.afk_channel_id),
        "afk_timeout": guild.afk_timeout,
        "system_channel_id": id(guild.system_channel_id),
        "system_channel_flags": guild.system_channel_flags,
        "widget_enabled": guild.widget_enabled,
        "widget_channel_id": id(guild.widget_channel_id),
        "verification_level": guild.verification_level,
        "roles": state.roles_json(),
        "default_message_notifications": guild.default_message_notifications,
        "mfa_level": guild.mfa_level,
        "explicit_content_filter": guild.explicit_content_filter,
        "max_presences": null,
        "max_members": 500_000,
        "max_stage_video_channel_users": 50,
        "max_video_channel_users": 25,
        "vanity_url_code": guild.vanity_url_code,
        "premium_tier": guild.premium_tier,
        "premium_subscription_count": guild.premium_subscription_count,
        "preferred_locale": guild.preferred_locale,
        "rules_channel_id": id(guild.rules_channel_id),
        "safety_alerts_channel_id": id(guild.safety_alerts_channel_id),
        "public_updates_channel_id": id(guild.public_updates_channel_id),
        "premium_progress_bar_enabled": guild.premium_progress_bar_enabled,
        "nsfw": false,
        "nsfw_level": guild.nsfw_level,
        "emojis": [],
        "stickers": [],
        "incidents_data": null,
    })
}

/// A channel setting of the guild (`afk_channel_id`, `rules_channel_id`, ...).
#[derive(Clone, Copy, PartialEq)]
enum Slot {
    Afk,
    System,
    Rules,
    PublicUpdates,
    SafetyAlerts,
}

impl Slot {
    const ALL: [Slot; 5] = [
        Slot::Afk,
        Slot::System,
        Slot::Rules,
        Slot::PublicUpdates,
        Slot::SafetyAlerts,
    ];

    fn key(self) -> &'static str {
        match self {
            Slot::Afk => "afk_channel_id",
            Slot::System => "system_channel_id",
            Slot::Rules => "rules_channel_id",
            Slot::PublicUpdates => "public_updates_channel_id",
            Slot::SafetyAlerts => "safety_alerts_channel_id",
        }
    }

    fn get(self, state: &GuildState) -> Option<Id<ChannelMarker>> {
        let guild = &state.guild;
        match self {
            Slot::Afk => guild.afk_channel_id,
            Slot::System => guild.system_channel_id,
            Slot::Rules => guild.rules_channel_id,
            Slot::PublicUpdates => guild.public_updates_channel_id,
            Slot::SafetyAlerts => guild.safety_alerts_channel_id,
        }
    }

    fn set(self, state: &mut GuildState, value: Option<Id<ChannelMarker>>) {
        let guild = &mut state.guild;
        let slot = match self {
            Slot::Afk => &mut guild.afk_channel_id,
            Slot::System => &mut guild.system_channel_id,
            Slot::Rules => &mut guild.rules_channel_id,
            Slot::PublicUpdates => &mut guild.public_updates_channel_id,
            Slot::SafetyAlerts => &mut guild.safety_alerts_channel_id,
        };
        *slot = value;
    }

    /// Rules, public updates and safety alerts: "community server channels" (50086).
    fn is_community(self) -> bool {
        matches!(self, Slot::Rules | Slot::PublicUpdates | Slot::SafetyAlerts)
    }
}

/// `PATCH /guilds/{guild_id}` → 200 guild (module doc for the rules).
pub fn modify(state: &mut GuildState, call: &Call) -> Result<Reply, ApiError> {
    call.check_guild(state)?;
    require(state, permission::MANAGE_GUILD)?;
    let object = call.object()?;
    let fields = Fields::new(object, Vec::new());
    let mut errors = FormErrors::default();
    let name = match fields.raw("name") {
        Field::Null => {
            errors.add(&["name"], "BASE_TYPE_REQUIRED", "This field is required");
            None
        }
        Field::Value(Value::String(text)) if text.trim().chars().count() < 2 => {
            errors.add(
                &["name"],
                "BASE_TYPE_BAD_LENGTH",
                "Must be between 2 and 100 in length.",
            );
            None
        }
        _ => fields
            .string("name", 2, 100, &mut errors)
            .value()
            .map(|name| name.trim().to_owned()),
    };
    let description = fields.string("description", 0, 300, &mut errors);
    let verification_level = fields.choice("verification_level", &[0, 1, 2, 3, 4], &mut errors);
    let notifications = fields.choice("default_message_notifications", &[0, 1], &mut errors);
    let content_filter = fields.choice("explicit_content_filter", &[0, 1, 2], &mut errors);
    let afk_timeout = fields.choice("afk_timeout", &[60, 300, 900, 1800, 3600], &mut errors);
    let flags = match fields.integer("system_channel_flags", 0, i64::MAX, &mut errors) {
        Field::Value(bits)
            if u64::try_from(bits).unwrap_or(u64::MAX) & !SYSTEM_CHANNEL_FLAGS != 0 =>
        {
            errors.add(
                &["system_channel_flags"],
                "BASE_TYPE_CHOICES",
                "Value must be a combination of the system channel flags (0x3f).",
            );
            Field::Invalid
        }
        other => other,
    };
    let locale = match fields.string("preferred_locale", 1, 10, &mut errors) {
        Field::Value(text) if !LOCALES.contains(&text.as_str()) => {
            errors.add(
                &["preferred_locale"],
                "BASE_TYPE_CHOICES",
                &format!("Value must be one of ({}).", LOCALES.join(", ")),
            );
            Field::Invalid
        }
        Field::Value(text) => Field::Value(text),
        _ => Field::Absent,
    };
    let progress_bar = fields.boolean("premium_progress_bar_enabled", &mut errors);
    let features = parse_features(&fields, &mut errors);
    let images = super::guild_images::parse(&fields, state, &mut errors);
    let mut slots: Vec<(Slot, Field<u64>)> = Slot::ALL
        .iter()
        .map(|slot| (*slot, fields.snowflake(slot.key(), &mut errors)))
        .collect();
    for (slot, value) in &mut slots {
        if let Field::Value(id) = value {
            let wanted = if *slot == Slot::Afk {
                channel_type::VOICE
            } else {
                channel_type::TEXT
            };
            match Id::new_checked(*id).and_then(|id| state.channel(id)) {
                None => {
                    errors.add(&[slot.key()], "CHANNEL_UNKNOWN", "Unknown channel.");
                    *value = Field::Invalid;
                }
                Some(channel) if channel.kind != wanted && !slot.is_community() => {
                    errors.add(
                        &[slot.key()],
                        "CHANNEL_TYPE_INVALID",
                        if wanted == channel_type::VOICE {
                            "Channel must be a voice channel."
                        } else {
                            "Channel must be a text channel."
                        },
                    );
                    *value = Field::Invalid;
                }
                Some(_) => {}
            }
        }
    }
    std::mem::take(&mut errors).finish()?;
    for (slot, value) in &slots {
        if let Field::Value(id) = value
            && slot.is_community()
            && Id::new_checked(*id)
                .and_then(|id| state.channel(id))
                .is_some_and(|channel| channel.kind != channel_type::TEXT)
        {
            return Err(ApiError::community_channel_type());
        }
    }

    // The guild as it would be after this request.
    let had_community = state.has_feature("COMMUNITY");
    let mut new_features: Vec<String> = state.guild.features.clone();
    if let Some(requested) = &features {
        new_features.retain(|feature| !MUTABLE_FEATURES.contains(&feature.as_str()));
        for feature in MUTABLE_FEATURES {
            if requested.iter().any(|wanted| wanted == feature) {
                new_features.push(feature.to_owned());
            }
        }
    }
    let has = |list: &[String], feature: &str| list.iter().any(|f| f == feature);
    let wants_community = has(&new_features, "COMMUNITY");
    let admin = state.bot_permissions().contains(Permissions::ADMINISTRATOR);
    let toggles_discoverable =
        has(&new_features, "DISCOVERABLE") != state.has_feature("DISCOVERABLE");
    if (wants_community != had_community || toggles_discoverable) && !admin {
        return Err(ApiError::missing_permissions());
    }
    let slot_after = |slot: Slot| -> Option<Id<ChannelMarker>> {
        match slots.iter().find(|(s, _)| *s == slot).map(|(_, v)| v) {
            Some(Field::Value(id)) => Id::new_checked(*id),
            Some(Field::Null) => None,
            _ => slot.get(state),
        }
    };
    if wants_community {
        let level = verification_level
            .clone()
            .value()
            .unwrap_or(i64::from(state.guild.verification_level));
        let filter = content_filter
            .clone()
            .value()
            .unwrap_or(i64::from(state.guild.explicit_content_filter));
        if !had_community {
            if level < 1 {
                errors.add(
                    &["verification_level"],
                    "COMMUNITY_VERIFICATION_LEVEL_TOO_LOW",
                    "Community servers need a verification level of at least 1 (low).",
                );
            }
            if filter != 2 {
                errors.add(
                    &["explicit_content_filter"],
                    "COMMUNITY_EXPLICIT_CONTENT_FILTER_REQUIRED",
                    "Community servers must scan media content from all members (2).",
                );
            }
        }
        for slot in [Slot::Rules, Slot::PublicUpdates] {
            if slot_after(slot).is_none() {
                errors.add(
                    &[slot.key()],
                    "COMMUNITY_CHANNEL_REQUIRED",
                    "Community servers need a rules channel and a community updates channel.",
                );
            }
        }
    }
    if has(&new_features, "DISCOVERABLE") && !wants_community {
        errors.add(
            &["features"],
            "DISCOVERABLE_REQUIRES_COMMUNITY",
            "Only community servers can be discoverable.",
        );
    }
    errors.finish()?;

    let guild = &mut state.guild;
    if let Some(name) = name {
        guild.name = name;
    }
    match description {
        Field::Value(text) => guild.description = Some(text),
        Field::Null => guild.description = None,
        _ => {}
    }
    let to_u8 = |value: i64| u8::try_from(value).unwrap_or(0);
    if let Some(value) = verification_level.value() {
        guild.verification_level = to_u8(value);
    }
    if let Some(value) = notifications.value() {
        guild.default_message_notifications = to_u8(value);
    }
    if let Some(value) = content_filter.value() {
        guild.explicit_content_filter = to_u8(value);
    }
    if let Some(value) = afk_timeout.value() {
        guild.afk_timeout = u32::try_from(value).unwrap_or(300);
    }
    if let Some(value) = flags.value() {
        guild.system_channel_flags = u64::try_from(value).unwrap_or(0);
    }
    if let Field::Value(locale) = locale {
        guild.preferred_locale = locale;
    }
    if let Some(value) = progress_bar.value() {
        guild.premium_progress_bar_enabled = value;
    }
    for (slot, value) in slots {
        match value {
            Field::Value(id) => slot.set(state, Id::new_checked(id)),
            Field::Null => slot.set(state, None),
            _ => {}
        }
    }
    if wants_community && !had_community {
        if !has(&new_features, "NEWS") {
            new_features.push("NEWS".to_owned());
        }
    } else if had_community && !wants_community {
        new_features.retain(|feature| {
            !matches!(
                feature.as_str(),
                "NEWS" | "DISCOVERABLE" | "WELCOME_SCREEN_ENABLED"
            )
        });
        for channel in &mut state.channels {
            if channel.kind == channel_type::ANNOUNCEMENT {
                channel.kind = channel_type::TEXT;
                crate::emulator::state::fill_channel_defaults(channel);
            }
        }
    }
    state.guild.features = new_features;
    super::guild_images::apply(state, images);
    Ok(Reply::ok(guild_json(state)))
}

/// Reads `features`: a list of unique strings.
fn parse_features(fields: &Fields<'_>, errors: &mut FormErrors) -> Option<Vec<String>> {
    let list = match fields.raw("features") {
        Field::Value(Value::Array(list)) => list,
        Field::Value(_) => {
            errors.add(
                &["features"],
                "LIST_TYPE_CONVERT",
                "Only iterables may be used in a ListType",
            );
            return None;
        }
        _ => return None,
    };
    let mut features = Vec::new();
    for (index, item) in list.iter().enumerate() {
        match item.as_str() {
            Some(text) if features.iter().any(|seen: &String| seen == text) => errors.add(
                &["features".to_owned(), index.to_string()],
                "BASE_TYPE_UNIQUE",
                "Items must be unique.",
            ),
            Some(text) => features.push(text.to_owned()),
            None => errors.add(
                &["features".to_owned(), index.to_string()],
                "BASE_TYPE_STRING",
                "Could not interpret value as string.",
            ),
        }
    }
    Some(features)
}
