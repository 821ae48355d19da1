//! The JSON bodies of the writes, in Discord's names: what a change asks for, with references to
//! objects created earlier in the run resolved to their ids.

use serde_json::{Value, json};

use super::Executor;
use crate::discord::DiscordError;
use crate::live::REQUIRE_TAG;
use crate::model::community::{AutoModAction, EventLocation, OnboardingMode, PromptKind, Trigger};
use crate::model::{ChannelKind, Emoji, ForumLayout, ForumSortOrder, RoleSettings, VideoQuality};
use crate::plan::{
    AutoModSpec, ChannelPick, ChannelSpec, EventSpec, EventWhen, Field, GuildSpec, OnboardingSpec,
    PlannedOverwrite, RolePick, TargetRef, WebhookSpec, channel_fields, guild_fields,
};

impl Executor<'_> {
    pub(super) fn overwrites_json(
        &self,
        overwrites: &[PlannedOverwrite],
    ) -> Result<Value, DiscordError> {
        overwrites
            .iter()
            .map(|overwrite| {
                let (id, kind) = match &overwrite.target {
                    TargetRef::Role(role) => (self.role_id(role)?.get(), 0),
                    TargetRef::Member(user) => (user.get(), 1),
                };
                Ok(json!({
                    "id": id.to_string(),
                    "type": kind,
                    "allow": overwrite.allow.bits().to_string(),
                    "deny": overwrite.deny.bits().to_string(),
                }))
            })
            .collect::<Result<Vec<Value>, DiscordError>>()
            .map(Value::Array)
    }

    pub(super) fn create_channel_body(&self, channel: &ChannelSpec) -> Result<Value, DiscordError> {
        let mut body = json!({
            "name": channel.name,
            "type": channel.kind.discord_type(),
            "permission_overwrites": self.overwrites_json(&channel.overwrites)?,
        });
        if let Some(parent) = &channel.parent {
            body["parent_id"] = json!(self.channel_id(&parent.channel)?.to_string());
        }
        for field in settings_fields_for(channel.kind) {
            self.put_channel_field(&mut body, field, channel)?;
        }
        Ok(body)
    }

    pub(super) fn update_channel_body(
        &self,
        before: &ChannelSpec,
        after: &ChannelSpec,
    ) -> Result<Value, DiscordError> {
        let mut body = json!({});
        for field in channel_fields(before, after) {
            self.put_channel_field(&mut body, field, after)?;
        }
        Ok(body)
    }

    /// Writes one field of `channel` into a create or modify body, in Discord's names.
    pub(super) fn put_channel_field(
        &self,
        body: &mut Value,
        field: Field,
        channel: &ChannelSpec,
    ) -> Result<(), DiscordError> {
        let settings = &channel.settings;
        let forum = settings.forum.clone().unwrap_or_default();
        match field {
            Field::Name => body["name"] = json!(channel.name),
            Field::Kind => body["type"] = json!(channel.kind.discord_type()),
            Field::Parent => {
                body["parent_id"] = match &channel.parent {
                    Some(parent) => json!(self.channel_id(&parent.channel)?.to_string()),
                    None => Value::Null,
                }
            }
            Field::Topic => body["topic"] = json!(settings.topic),
            Field::Nsfw => body["nsfw"] = json!(settings.nsfw),
            Field::Slowmode => body["rate_limit_per_user"] = json!(settings.slowmode),
            Field::Bitrate => body["bitrate"] = json!(settings.bitrate),
            Field::UserLimit => body["user_limit"] = json!(settings.user_limit),
            Field::DefaultAutoArchive => {
                body["default_auto_archive_duration"] = json!(settings.default_auto_archive)
            }
            Field::DefaultThreadSlowmode => {
                body["default_thread_rate_limit_per_user"] = json!(settings.default_thread_slowmode)
            }
            Field::RtcRegion => body["rtc_region"] = json!(settings.rtc_region),
            Field::VideoQuality => {
                body["video_quality_mode"] =
                    json!(VideoQuality::discord_value(settings.video_quality))
            }
            Field::Tags => {
                let tags: Vec<Value> = forum
                    .tags
                    .iter()
                    .enumerate()
                    .map(|(index, tag)| {
                        let mut value = json!({ "name": tag.name, "moderated": tag.moderated });
                        let (emoji_id, emoji_name) = emoji_pair(tag.emoji.as_ref());
                        value["emoji_id"] = emoji_id;
                        value["emoji_name"] = emoji_name;
                        if let Some(Some(id)) = channel.tag_ids.get(index) {
                            value["id"] = json!(id.to_string());
                        }
                        value
                    })
                    .collect();
                body["available_tags"] = Value::Array(tags);
            }
            Field::DefaultReaction => {
                body["default_reaction_emoji"] = match &forum.default_reaction {
                    Some(emoji) => {
                        let (emoji_id, emoji_name) = emoji_pair(Some(emoji));
                        json!({ "emoji_id": emoji_id, "emoji_name": emoji_name })
                    }
                    None => Value::Null,
                }
            }
            Field::DefaultSortOrder => {
                body["default_sort_order"] = match forum.default_sort_order {
                    Some(ForumSortOrder::LatestActivity) => json!(0),
                    Some(ForumSortOrder::CreationDate) => json!(1),
                    None => Value::Null,
                }
            }
            Field::DefaultLayout => {
                body["default_forum_layout"] = json!(match forum.default_layout {
                    ForumLayout::NotSet => 0,
                    ForumLayout::List => 1,
                    ForumLayout::Gallery => 2,
                })
            }
            // Both flags are one field on Discord: each sends the whole set.
            Field::RequireTag | Field::HideMediaDownloadOptions => {
                let mut flags = 0;
                if forum.require_tag {
                    flags |= REQUIRE_TAG;
                }
                if forum.hide_media_download_options {
                    flags |= crate::live::HIDE_MEDIA_DOWNLOAD_OPTIONS;
                }
                body["flags"] = json!(flags)
            }
            // Replaced in the same request, never "delete all, then add": no window in which a
            // private channel is open.
            Field::Overwrites => {
                body["permission_overwrites"] = self.overwrites_json(&channel.overwrites)?
            }
            _ => {}
        }
        Ok(())
    }

    pub(super) fn guild_body(
        &self,
        before: &GuildSpec,
        after: &GuildSpec,
        features: Option<&Vec<String>>,
    ) -> Result<Value, DiscordError> {
        let mut body = json!({});
        let pick = |pick: &Option<crate::plan::ParentSpec>| -> Result<Value, DiscordError> {
            Ok(match pick {
                Some(pick) => json!(self.channel_id(&pick.channel)?.to_string()),
                None => Value::Null,
            })
        };
        for field in guild_fields(before, after) {
            match field {
                Field::Name => body["name"] = json!(after.name),
                Field::Description => body["description"] = json!(after.description),
                Field::VerificationLevel => {
                    body["verification_level"] = json!(after.verification_level)
                }
                Field::ExplicitContentFilter => {
                    body["explicit_content_filter"] = json!(after.explicit_content_filter)
                }
                Field::DefaultNotifications => {
                    body["default_message_notifications"] = json!(after.default_notifications)
                }
                Field::AfkChannel => body["afk_channel_id"] = pick(&after.afk_channel)?,
                Field::AfkTimeout => body["afk_timeout"] = json!(after.afk_timeout),
                Field::SystemChannel => body["system_channel_id"] = pick(&after.system_channel)?,
                Field::SystemChannelFlags => {
                    body["system_channel_flags"] = json!(after.system_channel_flags)
                }
                Field::RulesChannel => body["rules_channel_id"] = pick(&after.rules_channel)?,
                Field::PublicUpdatesChannel => {
                    body["public_updates_channel_id"] = pick(&after.public_updates_channel)?
                }
                Field::SafetyAlertsChannel => {
                    body["safety_alerts_channel_id"] = pick(&after.safety_alerts_channel)?
                }
                Field::PreferredLocale => body["preferred_locale"] = json!(after.preferred_locale),
                Field::Community => {
                    if let Some(features) = features {
                        body["features"] = json!(features);
                    }
                }
                Field::Icon => body["icon"] = self.guild_image(after.icon.as_deref())?,
                Field::Banner => body["banner"] = self.guild_image(after.banner.as_deref())?,
                Field::InviteSplash => {
                    body["splash"] = self.guild_image(after.splash.as_deref())?
                }
                Field::DiscoverySplash => {
                    body["discovery_splash"] =
                        self.guild_image(after.discovery_splash.as_deref())?
                }
                _ => {}
            }
        }
        Ok(body)
    }
}

impl Executor<'_> {
    pub(super) fn role_id_of(&self, pick: &RolePick) -> Result<String, DiscordError> {
        Ok(self.role_id(&pick.role)?.to_string())
    }

    pub(super) fn channel_ids(&self, picks: &[ChannelPick]) -> Result<Vec<String>, DiscordError> {
        picks
            .iter()
            .map(|pick| Ok(self.channel_id(&pick.channel)?.to_string()))
            .collect()
    }

    /// A guild image to send: `null` to remove it, the file's data URI for its `sha256:` label.
    /// A plan naming an image the assets lack (a hand-edited saved plan) stops here.
    fn guild_image(&self, value: Option<&str>) -> Result<Value, DiscordError> {
        match value {
            None => Ok(Value::Null),
            Some(label) => match self.images.get(label) {
                Some(uri) => Ok(json!(uri)),
                None => Err(DiscordError::Impossible {
                    request: "PATCH guilds/{guild_id}".to_owned(),
                    detail: format!("the plan uploads image {label}, which it does not carry"),
                }),
            },
        }
    }

    /// The desired avatar's data URI, looked up by webhook name (the plan holds only its
    /// presence).
    pub(super) fn avatar(&self, webhook: &WebhookSpec) -> Value {
        match &webhook.avatar {
            Some(_) => json!(self.avatars.get(&webhook.name)),
            None => Value::Null,
        }
    }

    pub(super) fn onboarding_body(
        &self,
        onboarding: &OnboardingSpec,
        prompt_ids: &[Option<u64>],
        option_ids: &[Vec<Option<u64>>],
    ) -> Result<Value, DiscordError> {
        let mut prompts = Vec::new();
        for (index, prompt) in onboarding.prompts.iter().enumerate() {
            // Discord wants an id on every prompt; new ones get a fresh snowflake.
            let id = prompt_ids
                .get(index)
                .copied()
                .flatten()
                .unwrap_or_else(|| self.fresh_snowflake());
            let mut options = Vec::new();
            for (option_index, option) in prompt.options.iter().enumerate() {
                let (emoji_id, emoji_name) = emoji_pair(option.emoji.as_ref());
                let mut value = json!({
                    "title": option.title,
                    "description": option.description,
                    "emoji_id": emoji_id,
                    "emoji_name": emoji_name,
                    "role_ids": option.roles.iter().map(|r| self.role_id_of(r)).collect::<Result<Vec<_>, _>>()?,
                    "channel_ids": self.channel_ids(&option.channels)?,
                });
                if let Some(Some(id)) = option_ids.get(index).and_then(|ids| ids.get(option_index))
                {
                    value["id"] = json!(id.to_string());
                }
                options.push(value);
            }
            prompts.push(json!({
                "id": id.to_string(),
                "type": match prompt.kind { PromptKind::MultipleChoice => 0, PromptKind::Dropdown => 1 },
                "title": prompt.title,
                "single_select": prompt.single_select,
                "required": prompt.required,
                "in_onboarding": prompt.in_onboarding,
                "options": options,
            }));
        }
        Ok(json!({
            "prompts": prompts,
            "default_channel_ids": self.channel_ids(&onboarding.default_channels)?,
            "enabled": onboarding.enabled,
            "mode": match onboarding.mode { OnboardingMode::Default => 0, OnboardingMode::Advanced => 1 },
        }))
    }

    /// A snowflake for an object Discord wants the client to name (onboarding prompts): the
    /// current time in Discord's epoch, with a counter against collisions.
    pub(super) fn fresh_snowflake(&self) -> u64 {
        const DISCORD_EPOCH_MS: u64 = 1_420_070_400_000;
        let now =
            u64::try_from(jiff::Timestamp::now().as_millisecond()).unwrap_or(DISCORD_EPOCH_MS);
        self.snowflakes.set(self.snowflakes.get() + 1);
        (now.saturating_sub(DISCORD_EPOCH_MS) << 22) + self.snowflakes.get()
    }

    pub(super) fn automod_body(&self, rule: &AutoModSpec) -> Result<Value, DiscordError> {
        let metadata = match &rule.trigger {
            Trigger::Keyword {
                keywords,
                regex,
                allow,
            }
            | Trigger::MemberProfile {
                keywords,
                regex,
                allow,
            } => {
                json!({ "keyword_filter": keywords, "regex_patterns": regex, "allow_list": allow })
            }
            Trigger::Spam => json!({}),
            Trigger::KeywordPreset { presets, allow } => json!({
                "presets": presets.iter().map(|p| p.discord_value()).collect::<Vec<_>>(),
                "allow_list": allow,
            }),
            Trigger::MentionSpam {
                limit,
                raid_protection,
            } => json!({
                "mention_total_limit": limit,
                "mention_raid_protection_enabled": raid_protection,
            }),
        };
        let actions = rule
            .actions
            .iter()
            .map(|action| {
                Ok(match action {
                    AutoModAction::Block { message } => {
                        json!({ "type": 1, "metadata": { "custom_message": message } })
                    }
                    AutoModAction::Alert { channel } => json!({
                        "type": 2,
                        "metadata": { "channel_id": self.channel_id(&channel.channel)?.to_string() },
                    }),
                    AutoModAction::Timeout { seconds } => {
                        json!({ "type": 3, "metadata": { "duration_seconds": seconds } })
                    }
                    AutoModAction::BlockMemberInteraction => json!({ "type": 4, "metadata": {} }),
                })
            })
            .collect::<Result<Vec<Value>, DiscordError>>()?;
        Ok(json!({
            "name": rule.name,
            "event_type": rule.trigger.event_type(),
            "trigger_metadata": metadata,
            "actions": actions,
            "enabled": rule.enabled,
            "exempt_roles": rule.exempt_roles.iter().map(|r| self.role_id_of(r)).collect::<Result<Vec<_>, _>>()?,
            "exempt_channels": self.channel_ids(&rule.exempt_channels)?,
        }))
    }

    pub(super) fn event_body(
        &self,
        event: &EventSpec,
        start: jiff::Timestamp,
        end: jiff::Timestamp,
    ) -> Result<Value, DiscordError> {
        let (entity_type, channel, location) = match &event.location {
            EventLocation::Stage(pick) => (1, Some(pick), None),
            EventLocation::Voice(pick) => (2, Some(pick), None),
            EventLocation::External(place) => (3, None, Some(place)),
        };
        let channel_id = match channel {
            Some(pick) => json!(self.channel_id(&pick.channel)?.to_string()),
            None => Value::Null,
        };
        let utc = start.to_zoned_datetime(jiff::tz::TimeZone::UTC);
        let day = u8::try_from(utc.weekday().to_monday_zero_offset()).unwrap_or(0);
        let recurrence = match &event.when {
            EventWhen::Once { .. } => Value::Null,
            EventWhen::Weekly { .. } => json!({
                "start": discord_time(start), "frequency": 2, "interval": 1, "by_weekday": [day],
            }),
            EventWhen::Monthly { .. } => json!({
                "start": discord_time(start),
                "frequency": 1,
                "interval": 1,
                "by_n_weekday": [{ "n": (utc.day() - 1) / 7 + 1, "day": day }],
            }),
        };
        Ok(json!({
            "name": event.name,
            "description": event.description,
            "privacy_level": 2,
            "entity_type": entity_type,
            "channel_id": channel_id,
            "entity_metadata": location.map(|place| json!({ "location": place })),
            "scheduled_start_time": discord_time(start),
            "scheduled_end_time": discord_time(end),
            "recurrence_rule": recurrence,
        }))
    }
}

/// Discord's timestamp form (`+00:00`, not `Z`).
pub(super) fn discord_time(at: jiff::Timestamp) -> String {
    at.to_zoned_datetime(jiff::tz::TimeZone::UTC)
        .strftime("%Y-%m-%dT%H:%M:%S%.6f+00:00")
        .to_string()
}

/// The settings fields a channel of `kind` is created with.
pub(super) fn settings_fields_for(kind: ChannelKind) -> Vec<Field> {
    let mut fields = Vec::new();
    if kind.has_topic() {
        fields.push(Field::Topic);
    }
    if kind != ChannelKind::Category {
        fields.push(Field::Nsfw);
    }
    if kind.has_slowmode() {
        fields.push(Field::Slowmode);
    }
    if kind.is_voice_like() {
        fields.extend([
            Field::Bitrate,
            Field::UserLimit,
            Field::RtcRegion,
            Field::VideoQuality,
        ]);
    }
    if kind.has_threads() {
        fields.extend([Field::DefaultAutoArchive, Field::DefaultThreadSlowmode]);
    }
    if kind == ChannelKind::Forum {
        fields.extend([
            Field::Tags,
            Field::DefaultReaction,
            Field::DefaultSortOrder,
            Field::DefaultLayout,
            Field::RequireTag,
        ]);
    }
    if kind == ChannelKind::Media {
        fields.extend([
            Field::Tags,
            Field::DefaultReaction,
            Field::DefaultSortOrder,
            Field::RequireTag,
            Field::HideMediaDownloadOptions,
        ]);
    }
    fields
}

/// Discord's `(emoji_id, emoji_name)` pair.
pub(super) fn emoji_pair(emoji: Option<&Emoji>) -> (Value, Value) {
    match emoji {
        Some(Emoji::Custom(id)) => (json!(id.to_string()), Value::Null),
        Some(Emoji::Unicode(name)) => (Value::Null, json!(name)),
        None => (Value::Null, Value::Null),
    }
}

pub(super) fn role_body(role: &RoleSettings, fields: &[Field]) -> Value {
    let mut body = json!({});
    for field in fields {
        match field {
            Field::Name => body["name"] = json!(role.name),
            Field::Color => body["color"] = json!(role.color),
            Field::Hoist => body["hoist"] = json!(role.hoist),
            Field::Mentionable => body["mentionable"] = json!(role.mentionable),
            Field::Permissions => body["permissions"] = json!(role.permissions.bits().to_string()),
            Field::Colors => {
                body["colors"] = json!({
                    "primary_color": role.color,
                    "secondary_color": role.secondary_color,
                    "tertiary_color": role.tertiary_color,
                })
            }
            Field::UnicodeEmoji => body["unicode_emoji"] = json!(role.unicode_emoji),
            Field::Icon => body["icon"] = json!(role.icon),
            _ => {}
        }
    }
    body
}
