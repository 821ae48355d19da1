//! The emulator's community objects: expressions, invites, the welcome screen, onboarding,
//! AutoMod rules, scheduled events, webhooks and messages, as Discord answers them.

use serde::{Deserialize, Serialize};
use twilight_model::id::Id;
use twilight_model::id::marker::*;

/// A custom emoji. `user_id` is who uploaded it (the bot for emoji it created).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CustomEmoji {
    pub id: Id<GenericMarker>,
    pub name: String,
    #[serde(default)]
    pub roles: Vec<Id<RoleMarker>>,
    #[serde(default)]
    pub animated: bool,
    #[serde(default)]
    pub managed: bool,
    #[serde(default)]
    pub user_id: Option<Id<UserMarker>>,
}

/// A guild sticker; its file is in `images` as `sticker:<id>`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GuildSticker {
    pub id: Id<GenericMarker>,
    pub name: String,
    #[serde(default)]
    pub description: String,
    #[serde(default)]
    pub tags: String,
    /// 1 PNG, 2 APNG, 3 Lottie, 4 GIF.
    #[serde(default = "png_format")]
    pub format_type: u8,
    #[serde(default)]
    pub user_id: Option<Id<UserMarker>>,
}

fn png_format() -> u8 {
    1
}

/// A soundboard sound; its file is in `images` as `sound:<id>`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SoundboardSound {
    pub id: Id<GenericMarker>,
    pub name: String,
    #[serde(default = "full_volume")]
    pub volume: f64,
    #[serde(default)]
    pub emoji_id: Option<Id<GenericMarker>>,
    #[serde(default)]
    pub emoji_name: Option<String>,
    #[serde(default)]
    pub user_id: Option<Id<UserMarker>>,
}

fn full_volume() -> f64 {
    1.0
}

/// A channel invite. `code` is derived from `id` when missing; `inviter_id` defaults to nobody
/// (hand-written states name a member for their invites); `created_at` derives from `id`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Invite {
    /// The emulator's own handle, never shown: Discord's invites have no id.
    pub id: Id<GenericMarker>,
    #[serde(default)]
    pub code: String,
    pub channel_id: Id<ChannelMarker>,
    #[serde(default)]
    pub inviter_id: Option<Id<UserMarker>>,
    #[serde(default)]
    pub max_age: u32,
    #[serde(default)]
    pub max_uses: u32,
    #[serde(default)]
    pub temporary: bool,
    #[serde(default)]
    pub uses: u32,
}

/// An invite code: 10 letters and digits derived from a snowflake (deterministic, so test
/// states stay stable).
pub fn invite_code(id: u64) -> String {
    const ALPHABET: &[u8] = b"ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";
    let mut value = id.wrapping_mul(0x9E37_79B9_7F4A_7C15) ^ (id >> 29);
    (0..10)
        .map(|_| {
            let c = ALPHABET[(value % ALPHABET.len() as u64) as usize] as char;
            value /= ALPHABET.len() as u64;
            value = value.wrapping_add(id.rotate_left(17));
            c
        })
        .collect()
}

/// `GET /guilds/{id}/welcome-screen`, as Discord sends it. Whether it is shown is the guild
/// feature `WELCOME_SCREEN_ENABLED`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WelcomeScreen {
    #[serde(default)]
    pub description: Option<String>,
    #[serde(default)]
    pub welcome_channels: Vec<WelcomeChannel>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WelcomeChannel {
    pub channel_id: Id<ChannelMarker>,
    pub description: String,
    #[serde(default)]
    pub emoji_id: Option<Id<EmojiMarker>>,
    #[serde(default)]
    pub emoji_name: Option<String>,
}

/// `GET /guilds/{id}/onboarding` without `guild_id`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Onboarding {
    #[serde(default)]
    pub prompts: Vec<OnboardingPrompt>,
    #[serde(default)]
    pub default_channel_ids: Vec<Id<ChannelMarker>>,
    #[serde(default)]
    pub enabled: bool,
    /// 0 ONBOARDING_DEFAULT, 1 ONBOARDING_ADVANCED.
    #[serde(default)]
    pub mode: u8,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OnboardingPrompt {
    pub id: Id<GenericMarker>,
    /// 0 MULTIPLE_CHOICE, 1 DROPDOWN.
    #[serde(rename = "type", default)]
    pub kind: u8,
    #[serde(default)]
    pub options: Vec<OnboardingOption>,
    pub title: String,
    #[serde(default)]
    pub single_select: bool,
    #[serde(default)]
    pub required: bool,
    #[serde(default = "yes")]
    pub in_onboarding: bool,
}

fn yes() -> bool {
    true
}

/// A prompt option in the response shape (an `emoji` object, not `emoji_id`/`emoji_name`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OnboardingOption {
    pub id: Id<GenericMarker>,
    #[serde(default)]
    pub channel_ids: Vec<Id<ChannelMarker>>,
    #[serde(default)]
    pub role_ids: Vec<Id<RoleMarker>>,
    #[serde(default)]
    pub emoji: OptionEmoji,
    pub title: String,
    /// The spec types it as a (non-null) string: an empty description is `""`.
    #[serde(default)]
    pub description: String,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct OptionEmoji {
    #[serde(default)]
    pub id: Option<Id<EmojiMarker>>,
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub animated: bool,
}

/// An auto moderation rule without `guild_id`. `trigger_metadata` always carries every key of
/// its trigger type (filled on load and on write).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AutoModerationRule {
    pub id: Id<GenericMarker>,
    pub name: String,
    /// Filled with the bot's id on load when missing.
    #[serde(default)]
    pub creator_id: Option<Id<UserMarker>>,
    /// 1 MESSAGE_SEND, 2 MEMBER_UPDATE.
    #[serde(default = "one")]
    pub event_type: u8,
    /// 1 KEYWORD, 3 SPAM, 4 KEYWORD_PRESET, 5 MENTION_SPAM, 6 MEMBER_PROFILE.
    pub trigger_type: u8,
    #[serde(default)]
    pub trigger_metadata: TriggerMetadata,
    #[serde(default)]
    pub actions: Vec<AutoModerationAction>,
    #[serde(default)]
    pub enabled: bool,
    #[serde(default)]
    pub exempt_roles: Vec<Id<RoleMarker>>,
    #[serde(default)]
    pub exempt_channels: Vec<Id<ChannelMarker>>,
}

fn one() -> u8 {
    1
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct TriggerMetadata {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub keyword_filter: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub regex_patterns: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub presets: Option<Vec<u8>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub allow_list: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mention_total_limit: Option<u8>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mention_raid_protection_enabled: Option<bool>,
}

impl TriggerMetadata {
    /// Keeps exactly the keys of `trigger_type`, filling missing ones with their empty value.
    pub fn fill_for(&mut self, trigger_type: u8) {
        let keep = |value: &mut Option<Vec<String>>, wanted: bool| {
            if wanted {
                value.get_or_insert_with(Vec::new);
            } else {
                *value = None;
            }
        };
        let keyword = matches!(trigger_type, 1 | 6);
        keep(&mut self.keyword_filter, keyword);
        keep(&mut self.regex_patterns, keyword);
        keep(&mut self.allow_list, keyword || trigger_type == 4);
        if trigger_type == 4 {
            self.presets.get_or_insert_with(Vec::new);
        } else {
            self.presets = None;
        }
        if trigger_type == 5 {
            self.mention_total_limit.get_or_insert(0);
            self.mention_raid_protection_enabled.get_or_insert(false);
        } else {
            self.mention_total_limit = None;
            self.mention_raid_protection_enabled = None;
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AutoModerationAction {
    /// 1 BLOCK_MESSAGE, 2 SEND_ALERT_MESSAGE, 3 TIMEOUT, 4 BLOCK_MEMBER_INTERACTION.
    #[serde(rename = "type")]
    pub kind: u8,
    #[serde(default)]
    pub metadata: ActionMetadata,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ActionMetadata {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub channel_id: Option<Id<ChannelMarker>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub duration_seconds: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub custom_message: Option<String>,
}

/// A guild scheduled event without `guild_id`, `creator` and the exceptions list.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ScheduledEvent {
    pub id: Id<GenericMarker>,
    pub name: String,
    #[serde(default)]
    pub description: Option<String>,
    #[serde(default)]
    pub channel_id: Option<Id<ChannelMarker>>,
    /// Filled with the bot's id on load when missing.
    #[serde(default)]
    pub creator_id: Option<Id<UserMarker>>,
    #[serde(default)]
    pub image: Option<String>,
    pub scheduled_start_time: String,
    #[serde(default)]
    pub scheduled_end_time: Option<String>,
    /// 1 SCHEDULED, 2 ACTIVE, 3 COMPLETED, 4 CANCELED.
    #[serde(default = "one")]
    pub status: u8,
    /// 1 STAGE_INSTANCE, 2 VOICE, 3 EXTERNAL.
    pub entity_type: u8,
    #[serde(default)]
    pub entity_id: Option<Id<GenericMarker>>,
    /// `{"location": ...}` for external events, null otherwise.
    #[serde(default)]
    pub entity_metadata: Option<EntityMetadata>,
    #[serde(default)]
    pub recurrence_rule: Option<RecurrenceRule>,
    /// Always 2 (GUILD_ONLY).
    #[serde(default = "two")]
    pub privacy_level: u8,
}

fn two() -> u8 {
    2
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EntityMetadata {
    pub location: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RecurrenceRule {
    pub start: String,
    #[serde(default)]
    pub end: Option<String>,
    /// 0 YEARLY, 1 MONTHLY, 2 WEEKLY, 3 DAILY.
    pub frequency: u8,
    pub interval: u32,
    #[serde(default)]
    pub by_weekday: Option<Vec<u8>>,
    #[serde(default)]
    pub by_n_weekday: Option<Vec<NWeekday>>,
    #[serde(default)]
    pub by_month: Option<Vec<u8>>,
    #[serde(default)]
    pub by_month_day: Option<Vec<i8>>,
    #[serde(default)]
    pub by_year_day: Option<Vec<u16>>,
    #[serde(default)]
    pub count: Option<u32>,
}

#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct NWeekday {
    pub n: u8,
    pub day: u8,
}

/// An incoming webhook. `url` is derived; `user_id` is who created it (the bot by default).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Webhook {
    pub id: Id<GenericMarker>,
    pub channel_id: Id<ChannelMarker>,
    pub name: String,
    #[serde(default)]
    pub avatar: Option<String>,
    /// Filled on load when missing.
    #[serde(default)]
    pub token: String,
    #[serde(default)]
    pub user_id: Option<Id<UserMarker>>,
}

/// A message in a guild channel. Hand-written states may use any user in `users` as author.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Message {
    pub id: Id<GenericMarker>,
    pub channel_id: Id<ChannelMarker>,
    pub author_id: Id<UserMarker>,
    #[serde(default)]
    pub content: String,
    /// Defaults to the time inside the message id.
    #[serde(default)]
    pub timestamp: Option<String>,
    #[serde(default)]
    pub edited_timestamp: Option<String>,
    #[serde(default)]
    pub pinned: bool,
    /// Message type: 0 default, 6 Discord's "pinned a message" notice.
    #[serde(default, rename = "type")]
    pub kind: u8,
    /// Rich embeds as Discord answers them (see `routes/messages.rs`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub embeds: Vec<serde_json::Value>,
    #[serde(default)]
    pub flags: u64,
    /// When it was pinned (the pins list's order and `before`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pinned_at: Option<String>,
    /// The `allowed_mentions` of every post and edit of this message, in order (tests check
    /// that nothing could ping).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub allowed_mentions: Vec<serde_json::Value>,
    /// A pin notice's pinned message.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reference: Option<Id<GenericMarker>>,
}
