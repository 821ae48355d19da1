//! Guild channels: list, create, bulk positions, get, modify, delete (`channel.mdx`, `guild.mdx`;
//! notes §2.3-§2.6, §4.1, §4.2, §4.6).
//!
//! Design notes:
//! - Positions are stored as sent; display order is `(bucket, position, id)` under each parent.
//!   A channel created without `position` gets `1 + max(position)` over the guild's channels, so
//!   it lands last in its bucket whatever the bucket.
//! - Text-like names (text, announcement, forum, media) are normalised like Discord does:
//!   lowercased, runs of whitespace become one `-`.
//! - A channel created under a category without `permission_overwrites` copies the category's
//!   overwrites (it starts synced). `PATCH` with a new `parent_id` does not re-sync;
//!   `lock_permissions` in the bulk position call does.
//! - Fields that do not apply to a channel's type are validated (a malformed value is still a
//!   50035, as the body is checked before the type is looked at) but not stored: Discord ignores
//!   them silently. Converting text ↔ announcement drops what the new type lacks
//!   (`rate_limit_per_user` on announcement channels).
//! - `user_limit`: voice 0-99, stage 0-10000 (`channel.mdx`: "0 refers to no limit"; the
//!   userdoccers' "stage cannot be 0" is not enforced). `rtc_region`: null or one of
//!   [`RTC_REGIONS`] (50035 `BASE_TYPE_CHOICES` otherwise [inferred code]).
//! - `flags` is stored only on forum and media channels, where only REQUIRE_TAG (1 << 4) and, on
//!   media, HIDE_MEDIA_DOWNLOAD_OPTIONS (1 << 15) may be set (50035 `BASE_TYPE_CHOICES` on
//!   `flags` otherwise [inferred code]); other kinds ignore it.
//! - `default_reaction_emoji` needs exactly one of `emoji_id` / `emoji_name`, a forum tag at most
//!   one (50035 `EMOJI_INVALID` [inferred code]). Tags: a tag whose `id` names one of the
//!   channel's tags keeps it; tags without an id, or with an unknown snowflake, get a new id.
//! - `PATCH` `type`: only text (0) ↔ announcement (5) in a guild with `NEWS`; anything else is
//!   50035 `BASE_TYPE_CHOICES` on `type` listing the allowed values (the same shape Discord uses
//!   for a forbidden type on create). While the guild has `COMMUNITY`, its rules and public
//!   updates channels cannot become announcement channels (50086) nor be deleted (50074).

use serde_json::Value;
use twilight_model::id::Id;
use twilight_model::id::marker::ChannelMarker;

use super::overwrites::{check_grant, check_targets, parse_list, require, set_overwrites};
use super::{Call, Reply};
use crate::emulator::error::{ApiError, FormErrors};
use crate::emulator::state::{
    Channel, DefaultReaction, ForumTag, GuildState, Overwrite, channel_json, channel_type::*,
    fill_channel_defaults,
};
use crate::emulator::validate::{self, Field, Fields};
use crate::permissions::Permissions;

pub const MAX_CHANNELS: usize = 500;
pub const MAX_CATEGORIES: usize = 50;
pub const MAX_CHANNELS_PER_CATEGORY: usize = 50;
pub const MAX_FORUM_TAGS: usize = 20;
pub const REQUIRE_TAG: u64 = 1 << 4;
pub const HIDE_MEDIA_DOWNLOAD_OPTIONS: u64 = 1 << 15;

/// Voice region ids accepted for `rtc_region` (`GET /voice/regions`).
pub const RTC_REGIONS: [&str; 15] = [
    "brazil",
    "hongkong",
    "india",
    "japan",
    "rotterdam",
    "russia",
    "singapore",
    "south-korea",
    "southafrica",
    "sydney",
    "us-central",
    "us-east",
    "us-south",
    "us-west",
    "milan",
];

/// `GET /guilds/{guild_id}/channels`.
pub fn list(state: &mut GuildState, call: &Call) -> Result<Reply, ApiError> {
    call.check_guild(state)?;
    Ok(Reply::ok(Value::Array(state.channels_json())))
}

/// `GET /channels/{channel_id}`.
pub fn get(state: &mut GuildState, call: &Call) -> Result<Reply, ApiError> {
    if super::threads::is_thread(state, call) {
        return super::threads::get(state, call);
    }
    let id: Id<ChannelMarker> = call.id("channel_id", ApiError::unknown_channel)?;
    let channel = state.channel(id).ok_or_else(ApiError::unknown_channel)?;
    Ok(Reply::ok(channel_json(channel)))
}

/// The channel types a create may use in this guild (announcement needs `NEWS`).
fn allowed_types(state: &GuildState) -> Vec<i64> {
    let mut types = vec![i64::from(TEXT), i64::from(VOICE), i64::from(CATEGORY)];
    if has_feature(state, "NEWS") {
        types.push(i64::from(ANNOUNCEMENT));
    }
    types.extend([i64::from(STAGE), i64::from(FORUM), i64::from(MEDIA)]);
    types
}

fn has_feature(state: &GuildState, feature: &str) -> bool {
    state.has_feature(feature)
}

/// Discord's text-channel name form: lowercase, whitespace runs become one `-`.
pub fn normalise_text_name(name: &str) -> String {
    name.split_whitespace()
        .map(str::to_lowercase)
        .collect::<Vec<_>>()
        .join("-")
}

/// The optional fields shared by create and modify, validated for a channel of type `kind`.
struct ChannelInput {
    topic: Field<String>,
    nsfw: Field<bool>,
    rate_limit_per_user: Field<i64>,
    bitrate: Field<i64>,
    user_limit: Field<i64>,
    rtc_region: Field<String>,
    video_quality_mode: Field<i64>,
    position: Field<i64>,
    parent_id: Field<u64>,
    permission_overwrites: Field<Vec<Overwrite>>,
    default_auto_archive_duration: Field<i64>,
    default_thread_rate_limit_per_user: Field<i64>,
    default_sort_order: Field<i64>,
    default_forum_layout: Field<i64>,
    default_tag_setting: Field<String>,
    default_reaction_emoji: Field<DefaultReaction>,
    available_tags: Field<Vec<TagInput>>,
    flags: Field<i64>,
}

struct TagInput {
    id: Option<u64>,
    name: String,
    moderated: bool,
    emoji_id: Option<u64>,
    emoji_name: Option<String>,
}

fn max_bitrate(state: &GuildState, kind: u8) -> i64 {
    if kind == STAGE {
        return 64_000;
    }
    if has_feature(state, "VIP_REGIONS") {
        return 384_000;
    }
    match state.guild.premium_tier {
        0 => 96_000,
        1 => 128_000,
        2 => 256_000,
        _ => 384_000,
    }
}

impl ChannelInput {
    fn parse(fields: &Fields<'_>, kind: u8, state: &GuildState, errors: &mut FormErrors) -> Self {
        let topic_max = if matches!(kind, FORUM | MEDIA) {
            4096
        } else {
            1024
        };
        let user_limit_max = if kind == STAGE { 10_000 } else { 99 };
        Self {
            topic: fields.string("topic", 0, topic_max, errors),
            nsfw: fields.boolean("nsfw", errors),
            rate_limit_per_user: fields.integer("rate_limit_per_user", 0, 21_600, errors),
            bitrate: fields.integer("bitrate", 8_000, max_bitrate(state, kind), errors),
            user_limit: fields.integer("user_limit", 0, user_limit_max, errors),
            rtc_region: match fields.string("rtc_region", 1, 100, errors) {
                Field::Value(region) if !RTC_REGIONS.contains(&region.as_str()) => {
                    errors.add(
                        &fields.path("rtc_region"),
                        "BASE_TYPE_CHOICES",
                        &format!("Value must be one of ({}).", RTC_REGIONS.join(", ")),
                    );
                    Field::Invalid
                }
                other => other,
            },
            video_quality_mode: fields.choice("video_quality_mode", &[1, 2], errors),
            position: fields.integer("position", 0, i64::from(i32::MAX), errors),
            parent_id: fields.snowflake("parent_id", errors),
            permission_overwrites: parse_list(fields, "permission_overwrites", errors),
            default_auto_archive_duration: fields.choice(
                "default_auto_archive_duration",
                &[60, 1440, 4320, 10080],
                errors,
            ),
            default_thread_rate_limit_per_user: fields.integer(
                "default_thread_rate_limit_per_user",
                0,
                21_600,
                errors,
            ),
            default_sort_order: fields.choice("default_sort_order", &[0, 1], errors),
            default_forum_layout: fields.choice("default_forum_layout", &[0, 1, 2], errors),
            default_tag_setting: match fields.string("default_tag_setting", 0, 20, errors) {
                Field::Value(text) if text != "match_all" && text != "match_some" => {
                    errors.add(
                        &fields.path("default_tag_setting"),
                        "BASE_TYPE_CHOICES",
                        "Value must be one of ('match_some', 'match_all').",
                    );
                    Field::Invalid
                }
                other => other,
            },
            default_reaction_emoji: parse_reaction(fields, errors),
            available_tags: parse_tags(fields, errors),
            flags: match fields.integer("flags", 0, i64::from(u32::MAX), errors) {
                Field::Value(bits) if matches!(kind, FORUM | MEDIA) => {
                    let allowed = if kind == MEDIA {
                        REQUIRE_TAG | HIDE_MEDIA_DOWNLOAD_OPTIONS
                    } else {
                        REQUIRE_TAG
                    };
                    if u64::try_from(bits).unwrap_or(u64::MAX) & !allowed != 0 {
                        errors.add(
                            &fields.path("flags"),
                            "BASE_TYPE_CHOICES",
                            &format!("Only these flags may be set on this channel: {allowed}."),
                        );
                        Field::Invalid
                    } else {
                        Field::Value(bits)
                    }
                }
                other => other,
            },
        }
    }
}

fn parse_reaction(fields: &Fields<'_>, errors: &mut FormErrors) -> Field<DefaultReaction> {
    match fields.raw("default_reaction_emoji") {
        Field::Value(Value::Object(object)) => {
            let inner = Fields::new(object, fields.path("default_reaction_emoji"));
            let emoji_id = inner.snowflake("emoji_id", errors);
            let emoji_name = inner.string("emoji_name", 1, 100, errors);
            if matches!(emoji_id, Field::Invalid) || matches!(emoji_name, Field::Invalid) {
                return Field::Invalid;
            }
            let given = [
                matches!(emoji_id, Field::Value(_)),
                matches!(emoji_name, Field::Value(_)),
            ];
            if given.iter().filter(|given| **given).count() != 1 {
                errors.add(
                    &fields.path("default_reaction_emoji"),
                    "EMOJI_INVALID",
                    "Exactly one of emoji_id and emoji_name must be set.",
                );
                return Field::Invalid;
            }
            Field::Value(DefaultReaction {
                emoji_id: emoji_id.value().and_then(Id::new_checked),
                emoji_name: emoji_name.value(),
            })
        }
        Field::Value(_) => {
            errors.add(
                &fields.path("default_reaction_emoji"),
                "DICT_TYPE_CONVERT",
                "Only dictionaries may be used in a DictType",
            );
            Field::Invalid
        }
        Field::Absent => Field::Absent,
        _ => Field::Null,
    }
}

fn parse_tags(fields: &Fields<'_>, errors: &mut FormErrors) -> Field<Vec<TagInput>> {
    let list = match fields.raw("available_tags") {
        Field::Value(Value::Array(list)) => list,
        Field::Value(_) => {
            errors.add(
                &fields.path("available_tags"),
                "LIST_TYPE_CONVERT",
                "Only iterables may be used in a ListType",
            );
            return Field::Invalid;
        }
        Field::Absent => return Field::Absent,
        _ => return Field::Null,
    };
    if list.len() > MAX_FORUM_TAGS {
        errors.add(
            &fields.path("available_tags"),
            "BASE_TYPE_MAX_LENGTH",
            &format!("Must be {MAX_FORUM_TAGS} or fewer in length."),
        );
        return Field::Invalid;
    }
    let before = errors.clone();
    let mut tags = Vec::new();
    for (index, item) in list.iter().enumerate() {
        let mut path = fields.path("available_tags");
        path.push(index.to_string());
        let Some(object) = item.as_object() else {
            errors.add(
                &path,
                "DICT_TYPE_CONVERT",
                "Only dictionaries may be used in a DictType",
            );
            continue;
        };
        let tag = Fields::new(object, path);
        let name = if tag.require("name", errors) {
            tag.string("name", 1, 20, errors).value()
        } else {
            None
        };
        let id = tag.snowflake("id", errors).value();
        let moderated = tag.boolean("moderated", errors).value().unwrap_or(false);
        let emoji_id = tag.snowflake("emoji_id", errors).value();
        let emoji_name = tag.string("emoji_name", 1, 100, errors).value();
        if emoji_id.is_some() && emoji_name.is_some() {
            errors.add(
                &tag.path("emoji_id"),
                "EMOJI_INVALID",
                "At most one of emoji_id and emoji_name may be set.",
            );
        }
        if let Some(name) = name {
            tags.push(TagInput {
                id,
                name,
                moderated,
                emoji_id,
                emoji_name,
            });
        }
    }
    if *errors == before {
        Field::Value(tags)
    } else {
        Field::Invalid
    }
}

/// Checks a destination category for a channel of type `kind` moving (or being created) into it.
fn check_parent(
    state: &GuildState,
    channel: Option<Id<ChannelMarker>>,
    kind: u8,
    parent: u64,
    path: &[String],
    errors: &mut FormErrors,
) {
    let parent_channel = Id::new_checked(parent).and_then(|id| state.channel(id));
    let is_category = parent_channel.is_some_and(|parent| parent.kind == CATEGORY);
    if kind == CATEGORY || !is_category {
        // Discord's code for this case is undocumented [inferred].
        errors.add(
            path,
            "CHANNEL_PARENT_INVALID",
            "Category does not exist or is not a category.",
        );
        return;
    }
    let Some(parent_channel) = parent_channel else {
        return;
    };
    if channel
        .is_some_and(|id| state.channel(id).and_then(|c| c.parent_id) == Some(parent_channel.id))
    {
        return;
    }
    if state.children(parent_channel.id).len() >= MAX_CHANNELS_PER_CATEGORY {
        errors.add(
            path,
            "CHANNEL_PARENT_MAX_CHANNELS",
            "Maximum number of channels in category reached (50)",
        );
    }
}

/// Writes the applicable fields of `input` onto `channel` (module doc: others are dropped).
fn apply(state: &mut GuildState, channel: &mut Channel, input: ChannelInput) {
    let kind = channel.kind;
    let text_like = is_text_like(kind);
    let voice_like = is_voice_like(kind);
    let to_u32 = |value: i64| u32::try_from(value).unwrap_or(0);
    if text_like {
        match input.topic {
            Field::Value(topic) => channel.topic = Some(topic),
            Field::Null => channel.topic = None,
            _ => {}
        }
    }
    if kind != CATEGORY
        && let Some(nsfw) = input.nsfw.value()
    {
        channel.nsfw = Some(nsfw);
    }
    if kind != CATEGORY
        && kind != ANNOUNCEMENT
        && let Some(value) = input.rate_limit_per_user.value()
    {
        channel.rate_limit_per_user = Some(to_u32(value));
    }
    if voice_like {
        if let Some(value) = input.bitrate.value() {
            channel.bitrate = Some(to_u32(value));
        }
        if let Some(value) = input.user_limit.value() {
            channel.user_limit = Some(to_u32(value));
        }
        match input.rtc_region {
            Field::Value(region) => channel.rtc_region = Some(region),
            Field::Null => channel.rtc_region = None,
            _ => {}
        }
        if let Some(value) = input.video_quality_mode.value() {
            channel.video_quality_mode = u8::try_from(value).ok();
        }
    }
    if let Some(value) = input.position.value() {
        channel.position = value;
    }
    if matches!(kind, FORUM | MEDIA)
        && let Some(value) = input.flags.value()
    {
        channel.flags = u64::try_from(value).unwrap_or(0);
    }
    if text_like {
        if let Some(value) = input.default_auto_archive_duration.value() {
            channel.default_auto_archive_duration = Some(to_u32(value));
        }
        if let Some(value) = input.default_thread_rate_limit_per_user.value() {
            channel.default_thread_rate_limit_per_user = Some(to_u32(value));
        }
    }
    if matches!(kind, FORUM | MEDIA) {
        match input.default_sort_order {
            Field::Value(value) => channel.default_sort_order = u8::try_from(value).ok(),
            Field::Null => channel.default_sort_order = None,
            _ => {}
        }
        if let Some(value) = input.default_forum_layout.value() {
            channel.default_forum_layout = u8::try_from(value).ok();
        }
        match input.default_tag_setting {
            Field::Value(value) => channel.default_tag_setting = Some(value),
            Field::Null => channel.default_tag_setting = None,
            _ => {}
        }
        match input.default_reaction_emoji {
            Field::Value(value) => channel.default_reaction_emoji = Some(value),
            Field::Null => channel.default_reaction_emoji = None,
            _ => {}
        }
        match input.available_tags {
            Field::Value(tags) => {
                let existing = channel.available_tags.clone().unwrap_or_default();
                let resolved = tags
                    .into_iter()
                    .map(|tag| {
                        let kept = tag
                            .id
                            .filter(|id| existing.iter().any(|old| old.id.get() == *id));
                        let id = kept.unwrap_or_else(|| state.next_id());
                        ForumTag {
                            id: Id::new(id.max(1)),
                            name: tag.name,
                            moderated: tag.moderated,
                            emoji_id: tag.emoji_id.and_then(Id::new_checked),
                            emoji_name: tag.emoji_name,
                        }
                    })
                    .collect();
                channel.available_tags = Some(resolved);
            }
            Field::Null => channel.available_tags = Some(Vec::new()),
            _ => {}
        }
    }
}

fn check_unique_tags(input: &ChannelInput) -> Result<(), ApiError> {
    if let Field::Value(tags) = &input.available_tags {
        let mut names: Vec<&str> = tags.iter().map(|tag| tag.name.as_str()).collect();
        names.sort_unstable();
        names.dedup();
        if names.len() != tags.len() {
            return Err(ApiError::new(
                axum::http::StatusCode::BAD_REQUEST,
                40061,
                "Tag names must be unique",
            ));
        }
    }
    Ok(())
}

/// `POST /guilds/{guild_id}/channels` → 201.
pub fn create(state: &mut GuildState, call: &Call) -> Result<Reply, ApiError> {
    call.check_guild(state)?;
    require(state, Permissions::MANAGE_CHANNELS)?;
    let object = call.object()?;
    let fields = Fields::new(object, Vec::new());
    let mut errors = FormErrors::default();
    let name = if fields.require("name", &mut errors) {
        fields.string("name", 1, 100, &mut errors).value()
    } else {
        None
    };
    let kind = fields
        .choice("type", &allowed_types(state), &mut errors)
        .value()
        .and_then(|kind| u8::try_from(kind).ok())
        .unwrap_or(TEXT);
    let input = ChannelInput::parse(&fields, kind, state, &mut errors);
    if let Field::Value(parent) = input.parent_id {
        check_parent(
            state,
            None,
            kind,
            parent,
            &fields.path("parent_id"),
            &mut errors,
        );
    }
    errors.finish()?;
    let Some(name) = name else {
        return Err(ApiError::form(
            &["name"],
            "BASE_TYPE_REQUIRED",
            "This field is required",
        ));
    };
    // Stage and media channels exist only in Community guilds (media: Discord's Help Center,
    // "Media Channels").
    if matches!(kind, STAGE | MEDIA) && !has_feature(state, "COMMUNITY") {
        return Err(ApiError::invalid_channel_type());
    }
    check_unique_tags(&input)?;
    if state.channels.len() >= MAX_CHANNELS {
        return Err(ApiError::max_channels());
    }
    let categories = state.channels.iter().filter(|c| c.kind == CATEGORY).count();
    if kind == CATEGORY && categories >= MAX_CATEGORIES {
        return Err(ApiError::max_categories());
    }
    let parent_id = input.parent_id.clone().value().and_then(Id::new_checked);
    let overwrites = match &input.permission_overwrites {
        Field::Value(overwrites) => {
            check_targets(state, overwrites)?;
            check_grant(state, &[], overwrites)?;
            overwrites.clone()
        }
        _ => parent_id
            .and_then(|parent| state.channel(parent))
            .map(|parent| parent.permission_overwrites.clone())
            .unwrap_or_default(),
    };
    let position = state
        .channels
        .iter()
        .map(|channel| channel.position + 1)
        .max()
        .unwrap_or(0);
    let id = Id::new(state.next_id());
    let mut channel = Channel {
        id,
        kind,
        guild_id: Some(state.guild_id()),
        name: if is_text_like(kind) {
            normalise_text_name(&name)
        } else {
            name
        },
        position,
        flags: 0,
        parent_id,
        permission_overwrites: overwrites,
        topic: None,
        nsfw: None,
        rate_limit_per_user: None,
        bitrate: None,
        user_limit: None,
        rtc_region: None,
        video_quality_mode: None,
        default_auto_archive_duration: None,
        default_thread_rate_limit_per_user: None,
        available_tags: None,
        default_reaction_emoji: None,
        default_sort_order: None,
        default_forum_layout: None,
        default_tag_setting: None,
    };
    apply(state, &mut channel, input);
    fill_channel_defaults(&mut channel);
    let body = channel_json(&channel);
    state.channels.push(channel);
    Ok(Reply::created(body))
}

/// `PATCH /channels/{channel_id}` → 200 channel.
pub fn modify(state: &mut GuildState, call: &Call) -> Result<Reply, ApiError> {
    if super::threads::is_thread(state, call) {
        return super::threads::modify(state, call);
    }
    let id: Id<ChannelMarker> = call.id("channel_id", ApiError::unknown_channel)?;
    let mut channel = state
        .channel(id)
        .cloned()
        .ok_or_else(ApiError::unknown_channel)?;
    require(state, Permissions::MANAGE_CHANNELS)?;
    let object = call.object()?;
    let fields = Fields::new(object, Vec::new());
    let mut errors = FormErrors::default();
    let name = match fields.raw("name") {
        Field::Null => {
            errors.add(
                &fields.path("name"),
                "BASE_TYPE_REQUIRED",
                "This field is required",
            );
            None
        }
        _ => fields.string("name", 1, 100, &mut errors).value(),
    };
    let mut kind = channel.kind;
    if let Field::Value(wanted) = fields.integer("type", 0, 255, &mut errors) {
        let wanted = u8::try_from(wanted).unwrap_or(u8::MAX);
        if wanted != kind {
            let conversion = matches!((kind, wanted), (TEXT, ANNOUNCEMENT) | (ANNOUNCEMENT, TEXT));
            if conversion && has_feature(state, "NEWS") {
                kind = wanted;
            } else {
                let mut allowed = vec![i64::from(kind)];
                if matches!(kind, TEXT | ANNOUNCEMENT) && has_feature(state, "NEWS") {
                    allowed = vec![i64::from(TEXT), i64::from(ANNOUNCEMENT)];
                }
                errors.add(
                    &fields.path("type"),
                    "BASE_TYPE_CHOICES",
                    &validate::choices_message(&allowed),
                );
            }
        }
    }
    let input = ChannelInput::parse(&fields, kind, state, &mut errors);
    if let Field::Value(parent) = input.parent_id {
        check_parent(
            state,
            Some(id),
            kind,
            parent,
            &fields.path("parent_id"),
            &mut errors,
        );
    }
    errors.finish()?;
    if kind == ANNOUNCEMENT && channel.kind != ANNOUNCEMENT && is_community_channel(state, id) {
        return Err(ApiError::community_channel_type());
    }
    check_unique_tags(&input)?;
    let new_overwrites = match &input.permission_overwrites {
        Field::Value(overwrites) => Some(overwrites.clone()),
        Field::Null => Some(Vec::new()),
        _ => None,
    };
    if let Some(overwrites) = &new_overwrites {
        require(state, Permissions::MANAGE_ROLES)?;
        check_targets(state, overwrites)?;
        check_grant(state, &channel.permission_overwrites, overwrites)?;
    }
    if channel.kind != kind {
        channel.kind = kind;
        if kind == ANNOUNCEMENT {
            channel.rate_limit_per_user = None;
        }
    }
    if let Some(name) = name {
        channel.name = if is_text_like(kind) {
            normalise_text_name(&name)
        } else {
            name
        };
    }
    match input.parent_id {
        Field::Value(parent) => channel.parent_id = Id::new_checked(parent),
        Field::Null => channel.parent_id = None,
        _ => {}
    }
    apply(state, &mut channel, input);
    fill_channel_defaults(&mut channel);
    let old_overwrites = channel.permission_overwrites.clone();
    if let Some(slot) = state.channels.iter_mut().find(|c| c.id == id) {
        *slot = channel;
    }
    if let Some(overwrites) = new_overwrites
        && overwrites != old_overwrites
    {
        set_overwrites(state, id, overwrites);
    }
    let body = state.channel(id).map(channel_json).unwrap_or(Value::Null);
    Ok(Reply::ok(body))
}

/// `DELETE /channels/{channel_id}` → 200 with the deleted channel; children of a deleted category
/// keep existing with `parent_id: null`.
pub fn delete(state: &mut GuildState, call: &Call) -> Result<Reply, ApiError> {
    if super::threads::is_thread(state, call) {
        return super::threads::delete(state, call);
    }
    let id: Id<ChannelMarker> = call.id("channel_id", ApiError::unknown_channel)?;
    let index = state
        .channels
        .iter()
        .position(|channel| channel.id == id)
        .ok_or_else(ApiError::unknown_channel)?;
    require(state, Permissions::MANAGE_CHANNELS)?;
    if is_community_channel(state, id) {
        return Err(ApiError::community_channel_delete());
    }
    let channel = state.channels.remove(index);
    // The channel's webhooks and messages go with it.
    state.webhooks.retain(|webhook| webhook.channel_id != id);
    state.messages.retain(|message| message.channel_id != id);
    state.invites.retain(|invite| invite.channel_id != id);
    let threads: Vec<_> = state
        .threads
        .iter()
        .filter(|thread| thread.parent_id == id)
        .map(|thread| thread.id)
        .collect();
    state.threads.retain(|thread| thread.parent_id != id);
    state
        .messages
        .retain(|message| !threads.contains(&message.channel_id));
    for child in &mut state.channels {
        if child.parent_id == Some(id) {
            child.parent_id = None;
        }
    }
    let guild = &mut state.guild;
    for slot in [
        &mut guild.afk_channel_id,
        &mut guild.system_channel_id,
        &mut guild.rules_channel_id,
        &mut guild.public_updates_channel_id,
        &mut guild.safety_alerts_channel_id,
        &mut guild.widget_channel_id,
    ] {
        if *slot == Some(id) {
            *slot = None;
        }
    }
    Ok(Reply::ok(channel_json(&channel)))
}

/// Whether `id` is the rules or public updates channel of a community guild.
fn is_community_channel(state: &GuildState, id: Id<ChannelMarker>) -> bool {
    state.has_feature("COMMUNITY")
        && (state.guild.rules_channel_id == Some(id)
            || state.guild.public_updates_channel_id == Some(id))
}

/// One entry of `PATCH /guilds/{guild_id}/channels`.
struct PositionEntry {
    id: Id<ChannelMarker>,
    position: Option<i64>,
    /// `Some(None)` moves the channel out of its category.
    parent_id: Option<Option<Id<ChannelMarker>>>,
    lock_permissions: bool,
}

/// `PATCH /guilds/{guild_id}/channels` → 204. At most one entry may change `parent_id` (40009).
pub fn positions(state: &mut GuildState, call: &Call) -> Result<Reply, ApiError> {
    call.check_guild(state)?;
    require(state, Permissions::MANAGE_CHANNELS)?;
    let items = validate::array(&call.body)?;
    let mut errors = FormErrors::default();
    let mut entries = Vec::new();
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
        let parent = fields.snowflake("parent_id", &mut errors);
        let lock = fields.boolean("lock_permissions", &mut errors);
        let Some(id) = id.and_then(Id::new_checked) else {
            continue;
        };
        entries.push(PositionEntry {
            id,
            position: position.value(),
            parent_id: match parent {
                Field::Value(parent) => Some(Id::new_checked(parent)),
                Field::Null => Some(None),
                _ => None,
            },
            lock_permissions: lock.value().unwrap_or(false),
        });
    }
    std::mem::take(&mut errors).finish()?;
    let mut moves = 0;
    for (index, entry) in entries.iter().enumerate() {
        let channel = state
            .channel(entry.id)
            .ok_or_else(ApiError::unknown_channel)?;
        if let Some(parent) = entry.parent_id
            && parent != channel.parent_id
        {
            moves += 1;
            if let Some(parent) = parent {
                let path = vec![index.to_string(), "parent_id".to_owned()];
                check_parent(
                    state,
                    Some(entry.id),
                    channel.kind,
                    parent.get(),
                    &path,
                    &mut errors,
                );
            }
            if entry.lock_permissions {
                require(state, Permissions::MANAGE_ROLES)?;
            }
        }
    }
    if moves > 1 {
        return Err(ApiError::one_parent_change());
    }
    errors.finish()?;
    for entry in entries {
        let Some(channel) = state.channels.iter_mut().find(|c| c.id == entry.id) else {
            continue;
        };
        if let Some(position) = entry.position {
            channel.position = position;
        }
        if let Some(parent) = entry.parent_id
            && parent != channel.parent_id
        {
            channel.parent_id = parent;
            if entry.lock_permissions {
                let overwrites = parent
                    .and_then(|parent| state.channel(parent))
                    .map(|parent| parent.permission_overwrites.clone())
                    .unwrap_or_default();
                if let Some(channel) = state.channels.iter_mut().find(|c| c.id == entry.id) {
                    channel.permission_overwrites = overwrites;
                }
            }
        }
    }
    Ok(Reply::no_content())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_names_are_lowercased_and_hyphenated() {
        assert_eq!(normalise_text_name("General Chat"), "general-chat");
        assert_eq!(normalise_text_name("  Spaced   Out "), "spaced-out");
        assert_eq!(normalise_text_name("already-fine"), "already-fine");
    }
}
