//! The emulated world: one guild with its roles, channels, users and members.
//!
//! [`GuildState`] is plain data, serialised in Discord's own wire shapes so a person can hand-write
//! a guild (see the format in the module doc of [`crate::emulator`]). Handlers mutate it under a
//! lock; nothing here does I/O.
//!
//! Invariants kept by [`GuildState::normalise`] (run on every load) and by the handlers:
//! - the `@everyone` role exists, its id equals the guild id and its position is 0;
//! - every channel carries `guild_id`, every role carries `colors`;
//! - `next_snowflake` is greater than every id in the state, so new ids are unique and increasing.
//!
//! Ordering rules (notes §4.2, §4.3): roles compare by `(position, id)` with the **lower id higher**
//! on equal positions; channels sort inside their bucket (categories / text-like / voice-like) by
//! `(position, id)` ascending.

use std::cmp::Reverse;

use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use twilight_model::id::Id;
use twilight_model::id::marker::{
    ChannelMarker, EmojiMarker, GenericMarker, GuildMarker, RoleMarker, TagMarker, UserMarker,
};

use crate::permissions::Permissions;

mod community;
mod threads;
pub use community::*;
pub use threads::Thread;

/// Channel types the emulator knows (`channel.mdx`, "Channel Types").
pub mod channel_type {
    pub const TEXT: u8 = 0;
    pub const VOICE: u8 = 2;
    pub const CATEGORY: u8 = 4;
    pub const ANNOUNCEMENT: u8 = 5;
    pub const STAGE: u8 = 13;
    pub const FORUM: u8 = 15;
    pub const MEDIA: u8 = 16;

    /// Text-like channels share a sorting bucket and have topics and text names.
    pub fn is_text_like(kind: u8) -> bool {
        matches!(kind, TEXT | ANNOUNCEMENT | FORUM | MEDIA)
    }

    /// Voice-like channels sort below text-like ones and have bitrate and user limits.
    pub fn is_voice_like(kind: u8) -> bool {
        matches!(kind, VOICE | STAGE)
    }

    /// The sorting bucket: 0 text-like, 1 voice-like, 2 categories.
    pub fn bucket(kind: u8) -> u8 {
        if kind == CATEGORY {
            2
        } else if is_voice_like(kind) {
            1
        } else {
            0
        }
    }
}

/// Permission bits the emulator checks beyond the ones `crate::permissions` names
/// (`permissions.mdx`, "Bitwise Permission Flags").
pub mod permission {
    use crate::permissions::Permissions;

    pub const MANAGE_GUILD: Permissions = Permissions::from_bits(1 << 5);
    pub const READ_MESSAGE_HISTORY: Permissions = Permissions::from_bits(1 << 16);
    pub const MUTE_MEMBERS: Permissions = Permissions::from_bits(1 << 22);
    pub const MOVE_MEMBERS: Permissions = Permissions::from_bits(1 << 24);
    pub const MANAGE_WEBHOOKS: Permissions = Permissions::from_bits(1 << 29);
    pub const MANAGE_EVENTS: Permissions = Permissions::from_bits(1 << 33);
    pub const MODERATE_MEMBERS: Permissions = Permissions::from_bits(1 << 40);
    pub const CREATE_EVENTS: Permissions = Permissions::from_bits(1 << 44);
    pub const MANAGE_GUILD_EXPRESSIONS: Permissions = Permissions::from_bits(1 << 30);
    pub const CREATE_GUILD_EXPRESSIONS: Permissions = Permissions::from_bits(1 << 43);
}

/// What Discord answers with and the emulator stores for a timestamp when none is known.
pub const EPOCH_TIMESTAMP: &str = "2024-01-01T00:00:00.000000+00:00";

/// The whole emulated world. See the module doc of [`crate::emulator`] for the JSON format.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GuildState {
    /// The bot token requests must carry (`Authorization: Bot <token>`).
    pub token: String,
    pub guild: Guild,
    #[serde(default)]
    pub roles: Vec<Role>,
    #[serde(default)]
    pub channels: Vec<Channel>,
    #[serde(default)]
    pub users: Vec<User>,
    #[serde(default)]
    pub members: Vec<Member>,
    /// The user the token belongs to.
    pub bot_user_id: Id<UserMarker>,
    /// The next id to hand out; raised on load above every id in the state.
    #[serde(default)]
    pub next_snowflake: u64,
    /// `None` until the welcome screen is first configured (GET answers 10069).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub welcome_screen: Option<WelcomeScreen>,
    /// `None` until onboarding is first configured (GET answers the defaults).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub onboarding: Option<Onboarding>,
    #[serde(default)]
    pub auto_moderation_rules: Vec<AutoModerationRule>,
    #[serde(default)]
    pub scheduled_events: Vec<ScheduledEvent>,
    #[serde(default)]
    pub webhooks: Vec<Webhook>,
    /// Messages of every channel, oldest first.
    #[serde(default)]
    pub messages: Vec<Message>,
    /// Invites of the guild's channels.
    #[serde(default)]
    pub invites: Vec<Invite>,
    /// Threads of every channel (never listed with the channels).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub threads: Vec<Thread>,
    /// Custom emoji (`emoji.mdx`).
    #[serde(default)]
    pub emojis: Vec<CustomEmoji>,
    /// Soundboard sounds (`soundboard.mdx`).
    #[serde(default)]
    pub sounds: Vec<SoundboardSound>,
    /// Guild stickers (`sticker.mdx`).
    #[serde(default)]
    pub stickers: Vec<GuildSticker>,
    /// Every image uploaded, as its `data:` URI by the hash it was answered with (emoji: by
    /// `emoji:<id>`): what the CDN routes serve (`emulator::cdn`).
    #[serde(default, skip_serializing_if = "std::collections::BTreeMap::is_empty")]
    pub images: std::collections::BTreeMap<String, String>,
}

/// Guild-level fields (everything but roles, channels and members).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Guild {
    pub id: Id<GuildMarker>,
    pub name: String,
    pub owner_id: Id<UserMarker>,
    #[serde(default)]
    pub features: Vec<String>,
    #[serde(default)]
    pub premium_tier: u8,
    #[serde(default)]
    pub premium_subscription_count: u32,
    #[serde(default)]
    pub description: Option<String>,
    #[serde(default)]
    pub icon: Option<String>,
    #[serde(default)]
    pub banner: Option<String>,
    #[serde(default)]
    pub splash: Option<String>,
    #[serde(default)]
    pub discovery_splash: Option<String>,
    #[serde(default)]
    pub verification_level: u8,
    #[serde(default)]
    pub default_message_notifications: u8,
    #[serde(default)]
    pub explicit_content_filter: u8,
    #[serde(default)]
    pub mfa_level: u8,
    #[serde(default)]
    pub nsfw_level: u8,
    #[serde(default = "default_afk_timeout")]
    pub afk_timeout: u32,
    #[serde(default)]
    pub afk_channel_id: Option<Id<ChannelMarker>>,
    #[serde(default)]
    pub system_channel_id: Option<Id<ChannelMarker>>,
    #[serde(default)]
    pub system_channel_flags: u64,
    #[serde(default)]
    pub rules_channel_id: Option<Id<ChannelMarker>>,
    #[serde(default)]
    pub public_updates_channel_id: Option<Id<ChannelMarker>>,
    #[serde(default)]
    pub safety_alerts_channel_id: Option<Id<ChannelMarker>>,
    #[serde(default = "default_locale")]
    pub preferred_locale: String,
    #[serde(default)]
    pub premium_progress_bar_enabled: bool,
    #[serde(default)]
    pub widget_enabled: bool,
    #[serde(default)]
    pub widget_channel_id: Option<Id<ChannelMarker>>,
    #[serde(default)]
    pub vanity_url_code: Option<String>,
}

fn default_afk_timeout() -> u32 {
    300
}

fn default_locale() -> String {
    "en-US".to_owned()
}

/// A role, exactly as Discord sends it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Role {
    pub id: Id<RoleMarker>,
    pub name: String,
    #[serde(with = "crate::permissions::wire", default)]
    pub permissions: Permissions,
    #[serde(default)]
    pub position: i64,
    #[serde(default)]
    pub color: u32,
    /// Always present after load (derived from `color` when missing).
    #[serde(default)]
    pub colors: Option<RoleColors>,
    #[serde(default)]
    pub hoist: bool,
    #[serde(default)]
    pub icon: Option<String>,
    #[serde(default)]
    pub unicode_emoji: Option<String>,
    #[serde(default)]
    pub managed: bool,
    #[serde(default)]
    pub mentionable: bool,
    #[serde(default)]
    pub flags: u64,
    /// `{"bot_id": "..."}` for a bot's role, `{"integration_id": "..."}`, ...
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tags: Option<Value>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct RoleColors {
    pub primary_color: u32,
    #[serde(default)]
    pub secondary_color: Option<u32>,
    #[serde(default)]
    pub tertiary_color: Option<u32>,
}

impl RoleColors {
    pub fn plain(color: u32) -> Self {
        Self {
            primary_color: color,
            secondary_color: None,
            tertiary_color: None,
        }
    }
}

/// A guild channel, exactly as Discord sends it. Optional fields are omitted when unset.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Channel {
    pub id: Id<ChannelMarker>,
    #[serde(rename = "type", default)]
    pub kind: u8,
    /// Always present after load.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub guild_id: Option<Id<GuildMarker>>,
    pub name: String,
    #[serde(default)]
    pub position: i64,
    #[serde(default)]
    pub flags: u64,
    #[serde(default)]
    pub parent_id: Option<Id<ChannelMarker>>,
    #[serde(default)]
    pub permission_overwrites: Vec<Overwrite>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub topic: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub nsfw: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rate_limit_per_user: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bitrate: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_limit: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rtc_region: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub video_quality_mode: Option<u8>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default_auto_archive_duration: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default_thread_rate_limit_per_user: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub available_tags: Option<Vec<ForumTag>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default_reaction_emoji: Option<DefaultReaction>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default_sort_order: Option<u8>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default_forum_layout: Option<u8>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default_tag_setting: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Overwrite {
    pub id: Id<GenericMarker>,
    /// 0 role, 1 member.
    #[serde(rename = "type")]
    pub kind: u8,
    #[serde(with = "crate::permissions::wire", default)]
    pub allow: Permissions,
    #[serde(with = "crate::permissions::wire", default)]
    pub deny: Permissions,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ForumTag {
    pub id: Id<TagMarker>,
    pub name: String,
    #[serde(default)]
    pub moderated: bool,
    #[serde(default)]
    pub emoji_id: Option<Id<EmojiMarker>>,
    #[serde(default)]
    pub emoji_name: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DefaultReaction {
    #[serde(default)]
    pub emoji_id: Option<Id<EmojiMarker>>,
    #[serde(default)]
    pub emoji_name: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct User {
    pub id: Id<UserMarker>,
    pub username: String,
    #[serde(default = "default_discriminator")]
    pub discriminator: String,
    #[serde(default)]
    pub global_name: Option<String>,
    #[serde(default)]
    pub avatar: Option<String>,
    #[serde(default)]
    pub bot: bool,
}

fn default_discriminator() -> String {
    "0".to_owned()
}

/// A guild member: the user and the roles it holds (never the `@everyone` id).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Member {
    pub user_id: Id<UserMarker>,
    #[serde(default)]
    pub roles: Vec<Id<RoleMarker>>,
    #[serde(default)]
    pub nick: Option<String>,
    #[serde(default)]
    pub joined_at: Option<String>,
}

/// The sort key of a role: higher is higher in the hierarchy; equal positions put the lower id
/// higher (twilight's `impl Ord for Role`, discord.js `comparePositions`).
pub fn role_key(role: &Role) -> (i64, Reverse<u64>) {
    (role.position, Reverse(role.id.get()))
}

/// The permissions `@everyone` gets in a new guild.
pub fn default_everyone_permissions() -> Permissions {
    [
        "create_instant_invite",
        "add_reactions",
        "stream",
        "view_channel",
        "send_messages",
        "embed_links",
        "attach_files",
        "read_message_history",
        "use_external_emojis",
        "connect",
        "speak",
        "use_vad",
        "change_nickname",
        "use_application_commands",
        "request_to_speak",
        "create_public_threads",
        "create_private_threads",
        "use_external_stickers",
        "send_messages_in_threads",
        "use_embedded_activities",
        "use_soundboard",
        "use_external_sounds",
        "send_voice_messages",
        "send_polls",
        "use_external_apps",
    ]
    .iter()
    .filter_map(|name| Permissions::from_name(name))
    .fold(Permissions::NONE, Permissions::union)
}

/// Fills what twilight-model and the OpenAPI spec expect for a channel of this type.
pub fn fill_channel_defaults(channel: &mut Channel) {
    use channel_type::*;
    let kind = channel.kind;
    if matches!(kind, TEXT | VOICE | ANNOUNCEMENT | STAGE | FORUM | MEDIA) {
        channel.nsfw.get_or_insert(false);
    }
    if matches!(kind, TEXT | VOICE | STAGE | FORUM | MEDIA) {
        channel.rate_limit_per_user.get_or_insert(0);
    }
    if is_voice_like(kind) {
        channel.bitrate.get_or_insert(64000);
        channel.user_limit.get_or_insert(0);
    }
    if matches!(kind, FORUM | MEDIA) {
        channel.available_tags.get_or_insert_with(Vec::new);
        if kind == FORUM {
            channel.default_forum_layout.get_or_insert(0);
        }
    }
    if kind == CATEGORY {
        channel.parent_id = None;
    }
}

impl GuildState {
    /// Loads a state written by [`GuildState::to_json`] or by hand; optional fields default.
    pub fn from_json(text: &str) -> Result<Self, serde_json::Error> {
        let mut state: Self = serde_json::from_str(text)?;
        state.normalise();
        Ok(state)
    }

    /// The state as pretty JSON.
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self)
            .unwrap_or_else(|error| format!("{{\"error\": \"{error}\"}}"))
    }

    /// A guild with only `@everyone`, a human owner, and a bot whose managed role (its top role)
    /// holds ADMINISTRATOR. No channels.
    pub fn new_empty(guild_name: &str) -> Self {
        const BASE: u64 = 1_300_000_000_000_000_000;
        let guild_id = Id::<GuildMarker>::new(BASE);
        let owner_id = Id::<UserMarker>::new(BASE + 1);
        let bot_id = Id::<UserMarker>::new(BASE + 2);
        let bot_role_id = Id::<RoleMarker>::new(BASE + 3);
        let mut state = Self {
            token: format!("emulator-token.{}", bot_id.get()),
            guild: Guild {
                id: guild_id,
                name: guild_name.to_owned(),
                owner_id,
                features: Vec::new(),
                premium_tier: 0,
                premium_subscription_count: 0,
                description: None,
                icon: None,
                banner: None,
                splash: None,
                discovery_splash: None,
                verification_level: 0,
                default_message_notifications: 0,
                explicit_content_filter: 0,
                mfa_level: 0,
                nsfw_level: 0,
                afk_timeout: default_afk_timeout(),
                afk_channel_id: None,
                system_channel_id: None,
                system_channel_flags: 0,
                rules_channel_id: None,
                public_updates_channel_id: None,
                safety_alerts_channel_id: None,
                preferred_locale: default_locale(),
                premium_progress_bar_enabled: false,
                widget_enabled: false,
                widget_channel_id: None,
                vanity_url_code: None,
            },
            roles: vec![Role {
                id: bot_role_id,
                name: "Miyabi Guild".to_owned(),
                permissions: Permissions::ADMINISTRATOR,
                position: 1,
                color: 0,
                colors: None,
                hoist: false,
                icon: None,
                unicode_emoji: None,
                managed: true,
                mentionable: false,
                flags: 0,
                tags: Some(json!({ "bot_id": bot_id.to_string() })),
            }],
            channels: Vec::new(),
            users: vec![
                User {
                    id: owner_id,
                    username: "sandbox-owner".to_owned(),
                    discriminator: default_discriminator(),
                    global_name: Some("Sandbox Owner".to_owned()),
                    avatar: None,
                    bot: false,
                },
                User {
                    id: bot_id,
                    username: "Miyabi Guild".to_owned(),
                    discriminator: "0001".to_owned(),
                    global_name: None,
                    avatar: None,
                    bot: true,
                },
            ],
            members: vec![
                Member {
                    user_id: owner_id,
                    roles: Vec::new(),
                    nick: None,
                    joined_at: None,
                },
                Member {
                    user_id: bot_id,
                    roles: vec![bot_role_id],
                    nick: None,
                    joined_at: None,
                },
            ],
            bot_user_id: bot_id,
            next_snowflake: BASE + 4,
            welcome_screen: None,
            onboarding: None,
            auto_moderation_rules: Vec::new(),
            scheduled_events: Vec::new(),
            webhooks: Vec::new(),
            messages: Vec::new(),
            invites: Vec::new(),
            threads: Vec::new(),
            emojis: Vec::new(),
            sounds: Vec::new(),
            stickers: Vec::new(),
            images: Default::default(),
        };
        state.normalise();
        state
    }

    pub fn guild_id(&self) -> Id<GuildMarker> {
        self.guild.id
    }

    /// Whether the guild has a feature (`"COMMUNITY"`, `"NEWS"`, ...).
    pub fn has_feature(&self, feature: &str) -> bool {
        self.guild.features.iter().any(|f| f == feature)
    }

    pub fn token(&self) -> &str {
        &self.token
    }

    pub fn bot_user_id(&self) -> Id<UserMarker> {
        self.bot_user_id
    }

    /// The `@everyone` role's id (always the guild id).
    pub fn everyone_role_id(&self) -> Id<RoleMarker> {
        self.guild.id.cast()
    }

    /// Roles from the bottom (`@everyone`) to the top of the hierarchy.
    pub fn roles(&self) -> Vec<&Role> {
        let mut roles: Vec<&Role> = self.roles.iter().collect();
        roles.sort_by_key(|role| role_key(role));
        roles
    }

    /// Channels in the order a Discord client shows them: uncategorised channels first, then each
    /// category followed by its children; text-like before voice-like; `(position, id)` within.
    pub fn channels(&self) -> Vec<&Channel> {
        let key = |channel: &&Channel| {
            (
                channel_type::bucket(channel.kind),
                channel.position,
                channel.id.get(),
            )
        };
        let mut top: Vec<&Channel> = self
            .channels
            .iter()
            .filter(|channel| channel.parent_id.is_none())
            .collect();
        top.sort_by_key(key);
        let mut ordered = Vec::with_capacity(self.channels.len());
        for channel in top {
            ordered.push(channel);
            if channel.kind == channel_type::CATEGORY {
                let mut children = self.children(channel.id);
                children.sort_by_key(key);
                ordered.extend(children);
            }
        }
        // Children whose parent is missing (a hand-written state) still show up, last.
        for channel in &self.channels {
            if !ordered.iter().any(|seen| seen.id == channel.id) {
                ordered.push(channel);
            }
        }
        ordered
    }

    pub fn role(&self, id: Id<RoleMarker>) -> Option<&Role> {
        self.roles.iter().find(|role| role.id == id)
    }

    pub fn role_named(&self, name: &str) -> Option<&Role> {
        self.roles.iter().find(|role| role.name == name)
    }

    pub fn channel(&self, id: Id<ChannelMarker>) -> Option<&Channel> {
        self.channels.iter().find(|channel| channel.id == id)
    }

    pub fn channel_named(&self, name: &str) -> Option<&Channel> {
        self.channels.iter().find(|channel| channel.name == name)
    }

    pub fn member(&self, user_id: Id<UserMarker>) -> Option<&Member> {
        self.members.iter().find(|member| member.user_id == user_id)
    }

    pub fn user(&self, user_id: Id<UserMarker>) -> Option<&User> {
        self.users.iter().find(|user| user.id == user_id)
    }

    /// The channels whose parent is `category`.
    pub fn children(&self, category: Id<ChannelMarker>) -> Vec<&Channel> {
        self.channels
            .iter()
            .filter(|channel| channel.parent_id == Some(category))
            .collect()
    }

    /// The roles as Discord sends them (`GET /guilds/{id}/roles`), bottom to top.
    pub fn roles_json(&self) -> Vec<Value> {
        self.roles().into_iter().map(role_json).collect()
    }

    /// The channels as Discord sends them (`GET /guilds/{id}/channels`), in display order.
    pub fn channels_json(&self) -> Vec<Value> {
        self.channels().into_iter().map(channel_json).collect()
    }

    /// A fresh id, greater than every id handed out before.
    pub fn next_id(&mut self) -> u64 {
        let id = self.next_snowflake.max(1);
        self.next_snowflake = id + 1;
        id
    }

    /// The guild owner bypasses permissions and hierarchy.
    pub fn is_owner(&self, user_id: Id<UserMarker>) -> bool {
        self.guild.owner_id == user_id
    }

    /// Guild-level permissions of a member (`permissions.mdx`, "Permission Hierarchy"): owner and
    /// ADMINISTRATOR get everything.
    pub fn member_permissions(&self, user_id: Id<UserMarker>) -> Permissions {
        if self.is_owner(user_id) {
            return Permissions::all();
        }
        let everyone = self
            .role(self.everyone_role_id())
            .map_or(Permissions::NONE, |role| role.permissions);
        let granted = self
            .member(user_id)
            .map(|member| {
                member
                    .roles
                    .iter()
                    .filter_map(|id| self.role(*id))
                    .fold(everyone, |acc, role| acc.union(role.permissions))
            })
            .unwrap_or(everyone);
        if granted.contains(Permissions::ADMINISTRATOR) {
            Permissions::all()
        } else {
            granted
        }
    }

    /// A member's permissions in a channel (`permissions.mdx`, "Permission Overwrites"): guild
    /// permissions, then the `@everyone` overwrite, the member's role overwrites together, and
    /// the member's own overwrite. Owner and ADMINISTRATOR get everything.
    pub fn channel_permissions(&self, user_id: Id<UserMarker>, channel: &Channel) -> Permissions {
        let base = self.member_permissions(user_id);
        if base.contains(Permissions::ADMINISTRATOR) {
            return base;
        }
        let roles: Vec<Id<RoleMarker>> = self
            .member(user_id)
            .map(|member| member.roles.clone())
            .unwrap_or_default();
        apply_overwrites(
            base,
            channel,
            self.everyone_role_id(),
            &roles,
            Some(user_id),
        )
    }

    /// What `@everyone` (a member without roles) may do in a channel.
    pub fn everyone_channel_permissions(&self, channel: &Channel) -> Permissions {
        let base = self
            .role(self.everyone_role_id())
            .map_or(Permissions::NONE, |role| role.permissions);
        if base.contains(Permissions::ADMINISTRATOR) {
            return Permissions::all();
        }
        apply_overwrites(base, channel, self.everyone_role_id(), &[], None)
    }

    pub fn bot_permissions(&self) -> Permissions {
        self.member_permissions(self.bot_user_id)
    }

    /// The hierarchy key of a member's highest role (`@everyone` when it has none).
    pub fn highest_role_key(&self, user_id: Id<UserMarker>) -> (i64, Reverse<u64>) {
        self.member(user_id)
            .into_iter()
            .flat_map(|member| member.roles.iter())
            .filter_map(|id| self.role(*id))
            .map(role_key)
            .max()
            .unwrap_or((0, Reverse(self.guild.id.get())))
    }

    /// Whether `user_id` may edit, delete or move `role`: the owner always, others only for roles
    /// strictly below their highest role (ADMINISTRATOR does not bypass this).
    pub fn can_manage_role(&self, user_id: Id<UserMarker>, role: &Role) -> bool {
        self.is_owner(user_id) || role_key(role) < self.highest_role_key(user_id)
    }

    /// Restores the invariants listed in the module doc. Run after loading hand-written state.
    pub fn normalise(&mut self) {
        let guild_id = self.guild.id;
        let everyone_id = self.everyone_role_id();
        if self.role(everyone_id).is_none() {
            self.roles.push(Role {
                id: everyone_id,
                name: "@everyone".to_owned(),
                permissions: default_everyone_permissions(),
                position: 0,
                color: 0,
                colors: None,
                hoist: false,
                icon: None,
                unicode_emoji: None,
                managed: false,
                mentionable: false,
                flags: 0,
                tags: None,
            });
        }
        for role in &mut self.roles {
            if role.id == everyone_id {
                role.position = 0;
            }
            if role.colors.is_none() {
                role.colors = Some(RoleColors::plain(role.color));
            }
        }
        for channel in &mut self.channels {
            channel.guild_id = Some(guild_id);
            fill_channel_defaults(channel);
        }
        for member in &mut self.members {
            member.roles.retain(|id| *id != everyone_id);
        }
        for user_id in [self.guild.owner_id, self.bot_user_id] {
            if self.user(user_id).is_none() {
                self.users.push(User {
                    id: user_id,
                    username: if user_id == self.bot_user_id {
                        "bot"
                    } else {
                        "owner"
                    }
                    .to_owned(),
                    discriminator: default_discriminator(),
                    global_name: None,
                    avatar: None,
                    bot: user_id == self.bot_user_id,
                });
            }
            if self.member(user_id).is_none() {
                self.members.push(Member {
                    user_id,
                    roles: Vec::new(),
                    nick: None,
                    joined_at: None,
                });
            }
        }
        let bot = self.bot_user_id;
        for rule in &mut self.auto_moderation_rules {
            rule.creator_id.get_or_insert(bot);
            rule.trigger_metadata.fill_for(rule.trigger_type);
        }
        for event in &mut self.scheduled_events {
            event.creator_id.get_or_insert(bot);
        }
        for webhook in &mut self.webhooks {
            webhook.user_id.get_or_insert(bot);
            if webhook.token.is_empty() {
                webhook.token = webhook_token(webhook.id.get());
            }
        }
        for invite in &mut self.invites {
            if invite.code.is_empty() {
                invite.code = invite_code(invite.id.get());
            }
        }
        for message in &mut self.messages {
            if message.timestamp.is_none() {
                message.timestamp = Some(crate::emulator::time::format(
                    crate::emulator::time::snowflake_millis(message.id.get()),
                ));
            }
        }
        let highest = self
            .roles
            .iter()
            .map(|role| role.id.get())
            .chain(self.auto_moderation_rules.iter().map(|rule| rule.id.get()))
            .chain(self.scheduled_events.iter().map(|event| event.id.get()))
            .chain(self.webhooks.iter().map(|webhook| webhook.id.get()))
            .chain(self.messages.iter().map(|message| message.id.get()))
            .chain(self.invites.iter().map(|invite| invite.id.get()))
            .chain(self.threads.iter().map(|thread| thread.id.get()))
            .chain(self.onboarding.iter().flat_map(|onboarding| {
                onboarding.prompts.iter().flat_map(|prompt| {
                    std::iter::once(prompt.id.get())
                        .chain(prompt.options.iter().map(|option| option.id.get()))
                })
            }))
            .chain(self.channels.iter().map(|channel| channel.id.get()))
            .chain(self.channels.iter().flat_map(|channel| {
                channel
                    .available_tags
                    .iter()
                    .flatten()
                    .map(|tag| tag.id.get())
            }))
            .chain(self.users.iter().map(|user| user.id.get()))
            .chain([guild_id.get()])
            .max()
            .unwrap_or(0);
        if self.next_snowflake <= highest {
            self.next_snowflake = highest + 1;
        }
    }
}

fn apply_overwrites(
    base: Permissions,
    channel: &Channel,
    everyone: Id<RoleMarker>,
    roles: &[Id<RoleMarker>],
    user: Option<Id<UserMarker>>,
) -> Permissions {
    let mut permissions = base;
    let overwrites = &channel.permission_overwrites;
    if let Some(overwrite) = overwrites
        .iter()
        .find(|o| o.kind == 0 && o.id == everyone.cast())
    {
        permissions = permissions
            .difference(overwrite.deny)
            .union(overwrite.allow);
    }
    let (mut allow, mut deny) = (Permissions::NONE, Permissions::NONE);
    for overwrite in overwrites
        .iter()
        .filter(|o| o.kind == 0 && roles.iter().any(|role| o.id == role.cast()))
    {
        allow = allow.union(overwrite.allow);
        deny = deny.union(overwrite.deny);
    }
    permissions = permissions.difference(deny).union(allow);
    if let Some(user) = user
        && let Some(overwrite) = overwrites
            .iter()
            .find(|o| o.kind == 1 && o.id == user.cast())
    {
        permissions = permissions
            .difference(overwrite.deny)
            .union(overwrite.allow);
    }
    permissions
}

/// A webhook token: 68 URL-safe characters, derived from the webhook id (deterministic, so a
/// state replays the same way; not a secret).
pub fn webhook_token(id: u64) -> String {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    let mut seed = id ^ 0x9e37_79b9_7f4a_7c15;
    (0..68)
        .map(|_| {
            // xorshift64*
            seed ^= seed >> 12;
            seed ^= seed << 25;
            seed ^= seed >> 27;
            let value = seed.wrapping_mul(0x2545_f491_4f6c_dd1d);
            char::from(ALPHABET[usize::try_from(value >> 58).unwrap_or(0)])
        })
        .collect()
}

/// A role as Discord sends it.
pub fn role_json(role: &Role) -> Value {
    let mut value = serde_json::to_value(role).unwrap_or(Value::Null);
    if let Some(object) = value.as_object_mut()
        && role.colors.is_none()
    {
        object.insert(
            "colors".to_owned(),
            json!({ "primary_color": role.color, "secondary_color": null, "tertiary_color": null }),
        );
    }
    value
}

/// A channel as Discord sends it.
pub fn channel_json(channel: &Channel) -> Value {
    serde_json::to_value(channel).unwrap_or(Value::Null)
}

/// A user as Discord sends it inside other objects (`UserResponse`).
pub fn user_json(user: &User) -> Value {
    json!({
        "id": user.id.to_string(),
        "username": user.username,
        "avatar": user.avatar,
        "discriminator": user.discriminator,
        "public_flags": 0,
        "flags": 0,
        "bot": user.bot,
        "global_name": user.global_name,
        "primary_guild": null,
    })
}
