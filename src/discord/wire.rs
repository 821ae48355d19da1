//! Discord's JSON shapes, as much of them as the tool reads.
//!
//! Responses are parsed here rather than through twilight-model because twilight 0.18 drops
//! permission bits it does not know (`SET_VOICE_CHANNEL_STATUS`, bit 48) and the diff must see
//! every bit to converge.

use serde::de::DeserializeOwned;
use serde::{Deserialize, Deserializer};
use twilight_model::id::Id;
use twilight_model::id::marker::GenericMarker;

use crate::model::{ChannelId, EmojiId, GuildId, RoleId, TagId, UserId};
use crate::permissions::{self, Permissions};

/// `null`, absent and `""` are all none. Discord sends `null` for an unset image hash or emoji;
/// some servers in front of it send an empty string, which must not become an emoji id `""` or
/// an image called `""`.
fn empty_as_none<'de, D, T>(deserializer: D) -> Result<Option<T>, D::Error>
where
    D: Deserializer<'de>,
    T: DeserializeOwned,
{
    let value = serde_json::Value::deserialize(deserializer)?;
    match &value {
        serde_json::Value::Null => Ok(None),
        serde_json::Value::String(text) if text.is_empty() => Ok(None),
        _ => T::deserialize(value)
            .map(Some)
            .map_err(serde::de::Error::custom),
    }
}

#[derive(Debug, Deserialize)]
pub struct CurrentUser {
    pub id: UserId,
    pub username: String,
}

#[derive(Debug, Deserialize)]
pub struct PartialGuild {
    pub id: GuildId,
    pub name: String,
}

#[derive(Debug, Deserialize)]
pub struct Guild {
    pub id: GuildId,
    pub name: String,
    pub owner_id: UserId,
    /// Required: a guild answer without its roles is not Discord's (read as "no roles", every
    /// apply would create every role again).
    pub roles: Vec<Role>,
    #[serde(default)]
    pub features: Vec<String>,
    #[serde(default)]
    pub description: Option<String>,
    #[serde(default)]
    pub verification_level: u8,
    #[serde(default)]
    pub explicit_content_filter: u8,
    #[serde(default)]
    pub default_message_notifications: u8,
    #[serde(default)]
    pub afk_channel_id: Option<ChannelId>,
    #[serde(default)]
    pub afk_timeout: u32,
    #[serde(default)]
    pub system_channel_id: Option<ChannelId>,
    #[serde(default)]
    pub system_channel_flags: u64,
    #[serde(default)]
    pub rules_channel_id: Option<ChannelId>,
    #[serde(default)]
    pub public_updates_channel_id: Option<ChannelId>,
    #[serde(default)]
    pub safety_alerts_channel_id: Option<ChannelId>,
    #[serde(default)]
    pub preferred_locale: String,
    #[serde(default, deserialize_with = "empty_as_none")]
    pub vanity_url_code: Option<String>,
    #[serde(default, deserialize_with = "empty_as_none")]
    pub icon: Option<String>,
    #[serde(default, deserialize_with = "empty_as_none")]
    pub banner: Option<String>,
    #[serde(default, deserialize_with = "empty_as_none")]
    pub splash: Option<String>,
    #[serde(default, deserialize_with = "empty_as_none")]
    pub discovery_splash: Option<String>,
    #[serde(default)]
    pub premium_tier: u8,
}

#[derive(Debug, Deserialize)]
pub struct Role {
    pub id: RoleId,
    pub name: String,
    #[serde(default)]
    pub color: u32,
    #[serde(default)]
    pub hoist: bool,
    #[serde(default)]
    pub managed: bool,
    #[serde(default)]
    pub mentionable: bool,
    #[serde(with = "permissions::wire")]
    pub permissions: Permissions,
    #[serde(default)]
    pub position: i64,
    #[serde(default)]
    pub colors: Option<RoleColors>,
    #[serde(default, deserialize_with = "empty_as_none")]
    pub unicode_emoji: Option<String>,
    #[serde(default, deserialize_with = "empty_as_none")]
    pub icon: Option<String>,
}

#[derive(Debug, Deserialize)]
pub struct RoleColors {
    #[serde(default)]
    pub secondary_color: Option<u32>,
    #[serde(default)]
    pub tertiary_color: Option<u32>,
}

#[derive(Debug, Deserialize)]
pub struct Channel {
    pub id: ChannelId,
    #[serde(rename = "type")]
    pub kind: u8,
    #[serde(default, deserialize_with = "empty_as_none")]
    pub name: Option<String>,
    #[serde(default)]
    pub parent_id: Option<ChannelId>,
    #[serde(default)]
    pub position: i64,
    #[serde(default)]
    pub permission_overwrites: Vec<Overwrite>,
    #[serde(default)]
    pub topic: Option<String>,
    #[serde(default)]
    pub nsfw: bool,
    #[serde(default)]
    pub rate_limit_per_user: Option<u32>,
    #[serde(default)]
    pub bitrate: Option<u32>,
    #[serde(default)]
    pub user_limit: Option<u32>,
    #[serde(default)]
    pub default_auto_archive_duration: Option<u32>,
    #[serde(default)]
    pub default_thread_rate_limit_per_user: Option<u32>,
    #[serde(default)]
    pub rtc_region: Option<String>,
    #[serde(default)]
    pub video_quality_mode: Option<u8>,
    #[serde(default)]
    pub available_tags: Vec<Tag>,
    #[serde(default)]
    pub default_reaction_emoji: Option<Reaction>,
    #[serde(default)]
    pub default_sort_order: Option<u8>,
    #[serde(default)]
    pub default_forum_layout: Option<u8>,
    #[serde(default)]
    pub flags: u64,
}

#[derive(Debug, Deserialize)]
pub struct Tag {
    pub id: TagId,
    pub name: String,
    #[serde(default)]
    pub moderated: bool,
    #[serde(default, deserialize_with = "empty_as_none")]
    pub emoji_id: Option<EmojiId>,
    #[serde(default, deserialize_with = "empty_as_none")]
    pub emoji_name: Option<String>,
}

#[derive(Debug, Deserialize)]
pub struct Reaction {
    #[serde(default, deserialize_with = "empty_as_none")]
    pub emoji_id: Option<EmojiId>,
    #[serde(default, deserialize_with = "empty_as_none")]
    pub emoji_name: Option<String>,
}

#[derive(Debug, Deserialize)]
pub struct Overwrite {
    pub id: Id<GenericMarker>,
    /// 0 role, 1 member.
    #[serde(rename = "type")]
    pub kind: u8,
    #[serde(with = "permissions::wire")]
    pub allow: Permissions,
    #[serde(with = "permissions::wire")]
    pub deny: Permissions,
}

#[derive(Debug, Deserialize)]
pub struct Member {
    #[serde(default)]
    pub roles: Vec<RoleId>,
}

/// Only the id of a created object is read back.
#[derive(Debug, Deserialize)]
pub struct Created {
    pub id: Id<GenericMarker>,
}

/// A guild sticker (`GET /guilds/{id}/stickers`).
#[derive(Debug, Deserialize)]
pub struct Sticker {
    pub id: Id<GenericMarker>,
    pub name: String,
    #[serde(default, deserialize_with = "empty_as_none")]
    pub description: Option<String>,
    #[serde(default)]
    pub tags: String,
    pub format_type: u8,
}

/// A soundboard sound (`GET /guilds/{id}/soundboard-sounds` answers `{"items": [...]}`).
#[derive(Debug, Deserialize)]
pub struct SoundboardSound {
    pub sound_id: Id<GenericMarker>,
    pub name: String,
    pub volume: f64,
    #[serde(default)]
    pub emoji_id: Option<crate::model::EmojiId>,
    #[serde(default, deserialize_with = "empty_as_none")]
    pub emoji_name: Option<String>,
}

#[derive(Debug, Deserialize)]
pub struct SoundboardSounds {
    pub items: Vec<SoundboardSound>,
}

/// A custom emoji (`GET /guilds/{id}/emojis`).
#[derive(Debug, Deserialize)]
pub struct Emoji {
    /// Required for a guild's custom emoji (only unicode emoji have none).
    pub id: Id<GenericMarker>,
    pub name: String,
    #[serde(default)]
    pub roles: Vec<crate::model::RoleId>,
    #[serde(default)]
    pub animated: bool,
    #[serde(default)]
    pub managed: bool,
}

#[derive(Debug, Deserialize)]
pub struct WelcomeScreen {
    #[serde(default)]
    pub description: Option<String>,
    #[serde(default)]
    pub welcome_channels: Vec<WelcomeChannel>,
}

#[derive(Debug, Deserialize)]
pub struct WelcomeChannel {
    pub channel_id: ChannelId,
    #[serde(default)]
    pub description: String,
    #[serde(default, deserialize_with = "empty_as_none")]
    pub emoji_id: Option<EmojiId>,
    #[serde(default, deserialize_with = "empty_as_none")]
    pub emoji_name: Option<String>,
}

#[derive(Debug, Deserialize)]
pub struct Onboarding {
    #[serde(default)]
    pub prompts: Vec<Prompt>,
    #[serde(default)]
    pub default_channel_ids: Vec<ChannelId>,
    #[serde(default)]
    pub enabled: bool,
    #[serde(default)]
    pub mode: u8,
}

#[derive(Debug, Deserialize)]
pub struct Prompt {
    pub id: Id<GenericMarker>,
    #[serde(rename = "type", default)]
    pub kind: u8,
    #[serde(default)]
    pub options: Vec<PromptOption>,
    pub title: String,
    #[serde(default)]
    pub single_select: bool,
    #[serde(default)]
    pub required: bool,
    #[serde(default)]
    pub in_onboarding: bool,
}

#[derive(Debug, Deserialize)]
pub struct PromptOption {
    pub id: Id<GenericMarker>,
    #[serde(default)]
    pub channel_ids: Vec<ChannelId>,
    #[serde(default)]
    pub role_ids: Vec<RoleId>,
    #[serde(default)]
    pub emoji: Option<PartialEmoji>,
    #[serde(default, deserialize_with = "empty_as_none")]
    pub emoji_id: Option<EmojiId>,
    #[serde(default, deserialize_with = "empty_as_none")]
    pub emoji_name: Option<String>,
    pub title: String,
    #[serde(default)]
    pub description: Option<String>,
}

#[derive(Debug, Deserialize)]
pub struct PartialEmoji {
    #[serde(default, deserialize_with = "empty_as_none")]
    pub id: Option<EmojiId>,
    #[serde(default, deserialize_with = "empty_as_none")]
    pub name: Option<String>,
}

#[derive(Debug, Deserialize)]
pub struct AutoModRule {
    pub id: Id<GenericMarker>,
    pub name: String,
    #[serde(default)]
    pub trigger_type: u8,
    #[serde(default)]
    pub trigger_metadata: TriggerMetadata,
    #[serde(default)]
    pub actions: Vec<AutoModAction>,
    #[serde(default)]
    pub enabled: bool,
    #[serde(default)]
    pub exempt_roles: Vec<RoleId>,
    #[serde(default)]
    pub exempt_channels: Vec<ChannelId>,
}

#[derive(Debug, Default, Deserialize)]
pub struct TriggerMetadata {
    #[serde(default)]
    pub keyword_filter: Vec<String>,
    #[serde(default)]
    pub regex_patterns: Vec<String>,
    #[serde(default)]
    pub presets: Vec<u8>,
    #[serde(default)]
    pub allow_list: Vec<String>,
    #[serde(default)]
    pub mention_total_limit: Option<u8>,
    #[serde(default)]
    pub mention_raid_protection_enabled: Option<bool>,
}

#[derive(Debug, Deserialize)]
pub struct AutoModAction {
    #[serde(rename = "type")]
    pub kind: u8,
    #[serde(default)]
    pub metadata: Option<ActionMetadata>,
}

#[derive(Debug, Default, Deserialize)]
pub struct ActionMetadata {
    #[serde(default)]
    pub channel_id: Option<ChannelId>,
    #[serde(default)]
    pub duration_seconds: Option<u32>,
    #[serde(default)]
    pub custom_message: Option<String>,
}

#[derive(Debug, Deserialize)]
pub struct ScheduledEvent {
    pub id: Id<GenericMarker>,
    pub name: String,
    #[serde(default)]
    pub description: Option<String>,
    #[serde(default)]
    pub channel_id: Option<ChannelId>,
    pub entity_type: u8,
    #[serde(default)]
    pub entity_metadata: Option<EntityMetadata>,
    pub scheduled_start_time: String,
    #[serde(default)]
    pub scheduled_end_time: Option<String>,
    #[serde(default)]
    pub status: u8,
    #[serde(default)]
    pub recurrence_rule: Option<RecurrenceRule>,
}

#[derive(Debug, Deserialize)]
pub struct EntityMetadata {
    #[serde(default)]
    pub location: Option<String>,
}

#[derive(Debug, Deserialize)]
pub struct RecurrenceRule {
    pub frequency: u8,
    #[serde(default)]
    pub interval: Option<u32>,
    #[serde(default)]
    pub by_weekday: Option<Vec<u8>>,
    #[serde(default)]
    pub by_n_weekday: Option<Vec<NthWeekday>>,
}

#[derive(Debug, Deserialize)]
pub struct NthWeekday {
    pub n: u8,
    pub day: u8,
}

/// A webhook as Discord returns it. Deliberately not `Debug`: its token is a secret.
#[derive(Deserialize)]
pub struct Webhook {
    pub id: Id<GenericMarker>,
    #[serde(rename = "type", default)]
    pub kind: u8,
    #[serde(default)]
    pub channel_id: Option<ChannelId>,
    #[serde(default, deserialize_with = "empty_as_none")]
    pub name: Option<String>,
    #[serde(default, deserialize_with = "empty_as_none")]
    pub avatar: Option<String>,
    #[serde(default)]
    pub token: Option<String>,
}

#[derive(Debug, Deserialize)]
pub struct Message {
    pub id: Id<GenericMarker>,
    pub author: MessageAuthor,
    #[serde(default)]
    pub content: String,
    /// 0 for a message a user or bot posted; 6 for Discord's "pinned a message" notice, ...
    #[serde(rename = "type")]
    pub kind: u8,
    pub embeds: Vec<MessageEmbed>,
    pub pinned: bool,
    #[serde(default)]
    pub flags: u64,
}

impl Message {
    /// As the model compares it: only `rich` embeds (link previews are Discord's own), the
    /// SUPPRESS_EMBEDS flag alone.
    pub fn into_live(self) -> crate::model::messages::LiveMessage {
        use crate::model::messages::{
            Embed, EmbedField, LiveMessage, MessageLook, SUPPRESS_EMBEDS,
        };
        let embeds = self
            .embeds
            .into_iter()
            .filter(|embed| embed.kind.as_deref().is_none_or(|kind| kind == "rich"))
            .map(|embed| Embed {
                title: embed.title,
                description: embed.description,
                color: embed.color,
                fields: embed
                    .fields
                    .into_iter()
                    .map(|field| EmbedField {
                        name: field.name,
                        value: field.value,
                        inline: field.inline,
                    })
                    .collect(),
                footer: embed.footer.map(|footer| footer.text),
                image: embed.image.map(|image| image.url),
            })
            .collect();
        LiveMessage {
            id: self.id.get(),
            content: self.content,
            look: MessageLook {
                embeds,
                suppress_embeds: self.flags & SUPPRESS_EMBEDS != 0,
            },
            pinned: self.pinned,
        }
    }
}

/// The parts of an embed object this tool manages (`message.mdx`, embed object).
#[derive(Debug, Deserialize)]
pub struct MessageEmbed {
    #[serde(rename = "type", default)]
    pub kind: Option<String>,
    #[serde(default)]
    pub title: Option<String>,
    #[serde(default)]
    pub description: Option<String>,
    #[serde(default)]
    pub color: Option<u32>,
    #[serde(default)]
    pub fields: Vec<MessageEmbedField>,
    #[serde(default)]
    pub footer: Option<MessageEmbedFooter>,
    #[serde(default)]
    pub image: Option<MessageEmbedImage>,
}

#[derive(Debug, Deserialize)]
pub struct MessageEmbedField {
    pub name: String,
    pub value: String,
    #[serde(default)]
    pub inline: bool,
}

#[derive(Debug, Deserialize)]
pub struct MessageEmbedFooter {
    pub text: String,
}

#[derive(Debug, Deserialize)]
pub struct MessageEmbedImage {
    pub url: String,
}

/// `GET /channels/{id}/messages/pins`: one page of a channel's pins, newest first.
#[derive(Debug, Deserialize)]
pub struct ChannelPins {
    pub items: Vec<MessagePin>,
    pub has_more: bool,
}

#[derive(Debug, Deserialize)]
pub struct MessagePin {
    pub pinned_at: String,
}

#[derive(Debug, Deserialize)]
pub struct MessageAuthor {
    pub id: UserId,
}

/// An invite with its metadata (`GET /guilds/{id}/invites`, `GET /channels/{id}/invites`).
/// Deliberately not `Debug`: its code is the door to the server.
#[derive(Deserialize)]
pub struct Invite {
    pub code: String,
    pub channel: Option<InviteChannel>,
    #[serde(default)]
    pub inviter: Option<InviteUser>,
    /// Metadata: required, as Discord sends it to a bot with Manage Server.
    pub max_age: u32,
    pub max_uses: u32,
    pub temporary: bool,
    pub uses: u32,
    pub created_at: String,
}

#[derive(Debug, Deserialize)]
pub struct InviteChannel {
    pub id: ChannelId,
}

#[derive(Debug, Deserialize)]
pub struct InviteUser {
    pub id: UserId,
}

/// `GET /guilds/{id}/widget`.
#[derive(Debug, Deserialize)]
pub struct WidgetSettings {
    pub enabled: bool,
    pub channel_id: Option<ChannelId>,
}

/// `GET /guilds/{id}/vanity-url`.
#[derive(Debug, Deserialize)]
pub struct VanityUrl {
    pub code: Option<String>,
    pub uses: u32,
}
