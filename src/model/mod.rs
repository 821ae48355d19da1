//! The normalised model that both sides of the diff are brought into.
//!
//! `config` turns `server.toml` into a [`DesiredGuild`]; `live` turns Discord's JSON into a
//! [`LiveGuild`]. Both share the settings types ([`RoleSettings`], [`ChannelSettings`]) so the diff
//! compares like with like. Invariants:
//!
//! - `DesiredGuild` has already passed validation: keys are unique, references resolve, every
//!   value is within Discord's limits.
//! - Settings hold Discord's defaults for anything the file leaves out (no topic, slowmode 0, ...),
//!   so "the file is silent" and "the file says the default" compare equal.
//! - Orders are lists: roles top to bottom, channels in file order. Position numbers never appear
//!   on the desired side.

pub mod community;
pub mod expressions;
pub mod invites;
pub mod messages;
pub mod roster;
pub mod threads;

use serde::{Deserialize, Serialize};
use twilight_model::id::Id;
use twilight_model::id::marker::{
    ChannelMarker, EmojiMarker, GuildMarker, RoleMarker, TagMarker, UserMarker,
};

use crate::permissions::Permissions;

pub type RoleId = Id<RoleMarker>;
pub type ChannelId = Id<ChannelMarker>;
pub type GuildId = Id<GuildMarker>;
pub type UserId = Id<UserMarker>;
pub type EmojiId = Id<EmojiMarker>;
pub type TagId = Id<TagMarker>;

/// Voice channels default to 64 kbps on Discord.
pub const DEFAULT_BITRATE: u32 = 64_000;

/// The kinds of channel the tool manages. Live channels of any other type are `Other` and are
/// always left alone.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ChannelKind {
    Category,
    Text,
    Voice,
    /// Type 5; needs the guild's `NEWS` feature (which COMMUNITY brings).
    Announcement,
    /// Type 13; needs COMMUNITY.
    Stage,
    /// Type 15.
    Forum,
    /// Type 16: a forum for media posts. Needs COMMUNITY (Discord's Help Center, "Media
    /// Channels": available to Community servers).
    Media,
    /// A Discord channel type this version does not manage (media, directory, ...).
    Other(u8),
}

impl ChannelKind {
    pub fn from_discord(kind: u8) -> Self {
        match kind {
            0 => Self::Text,
            2 => Self::Voice,
            4 => Self::Category,
            5 => Self::Announcement,
            13 => Self::Stage,
            15 => Self::Forum,
            16 => Self::Media,
            other => Self::Other(other),
        }
    }

    pub fn discord_type(self) -> u8 {
        match self {
            Self::Text => 0,
            Self::Voice => 2,
            Self::Category => 4,
            Self::Announcement => 5,
            Self::Stage => 13,
            Self::Forum => 15,
            Self::Media => 16,
            Self::Other(kind) => kind,
        }
    }

    /// Whether the tool manages channels of this kind.
    pub fn is_managed(self) -> bool {
        !matches!(self, Self::Other(_))
    }

    /// Discord sorts siblings in buckets: categories, text-like channels, then voice-like
    /// channels below them. Relative order only means something inside one bucket.
    pub fn sort_bucket(self) -> SortBucket {
        match self {
            Self::Category => SortBucket::Category,
            Self::Voice | Self::Stage | Self::Other(2 | 13) => SortBucket::VoiceLike,
            Self::Text | Self::Announcement | Self::Forum | Self::Media | Self::Other(_) => {
                SortBucket::TextLike
            }
        }
    }

    /// Text and announcement channels convert into each other in place (`PATCH type`); any
    /// other change of kind replaces the channel.
    pub fn converts_in_place_to(self, other: Self) -> bool {
        matches!(
            (self, other),
            (Self::Text, Self::Announcement) | (Self::Announcement, Self::Text)
        )
    }

    /// The identity a channel keeps across kind changes: text and announcement channels convert
    /// into each other in place (`PATCH type`), so they are one family.
    pub fn family(self) -> Self {
        match self {
            Self::Announcement => Self::Text,
            other => other,
        }
    }

    /// How a person reads it: "text channel", "category", ...
    pub fn describe(self) -> String {
        match self {
            Self::Category => "category".into(),
            Self::Text => "text channel".into(),
            Self::Voice => "voice channel".into(),
            Self::Announcement | Self::Other(5) => "announcement channel".into(),
            Self::Stage | Self::Other(13) => "stage channel".into(),
            Self::Forum | Self::Other(15) => "forum channel".into(),
            Self::Media | Self::Other(16) => "media channel".into(),
            Self::Other(kind) => format!("channel of type {kind}"),
        }
    }

    /// Which settings apply to channels of this kind.
    pub fn has_topic(self) -> bool {
        matches!(
            self,
            Self::Text | Self::Announcement | Self::Forum | Self::Media
        )
    }

    pub fn has_slowmode(self) -> bool {
        matches!(
            self,
            Self::Text | Self::Voice | Self::Stage | Self::Forum | Self::Media
        )
    }

    pub fn has_threads(self) -> bool {
        matches!(
            self,
            Self::Text | Self::Announcement | Self::Forum | Self::Media
        )
    }

    /// Forum and media channels: every message is a post (a thread), with tags.
    pub fn is_thread_only(self) -> bool {
        matches!(self, Self::Forum | Self::Media)
    }

    /// Stage and media channels exist only in Community guilds.
    pub fn needs_community(self) -> bool {
        matches!(self, Self::Stage | Self::Media)
    }

    pub fn is_voice_like(self) -> bool {
        matches!(self, Self::Voice | Self::Stage)
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SortBucket {
    Category,
    TextLike,
    VoiceLike,
}

/// A role's own settings: what the diff compares field by field.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RoleSettings {
    pub name: String,
    /// `0xRRGGBB`; 0 means "no colour". The first colour of a gradient.
    pub color: u32,
    /// Gradient colours (`ENHANCED_ROLE_COLORS`); `None` for a plain colour.
    pub secondary_color: Option<u32>,
    pub tertiary_color: Option<u32>,
    pub hoist: bool,
    pub mentionable: bool,
    pub permissions: Permissions,
    /// A unicode emoji shown as the role icon (`ROLE_ICONS`).
    pub unicode_emoji: Option<String>,
    /// An image icon (`ROLE_ICONS`). Desired side: a `data:` URI of the file; live side: Discord's
    /// image hash. The two cannot be compared byte for byte, so only presence is compared.
    pub icon: Option<String>,
}

impl RoleSettings {
    /// A role with only a name: no colour, no permissions, nothing else.
    pub fn named(name: &str) -> Self {
        Self {
            name: name.to_owned(),
            color: 0,
            secondary_color: None,
            tertiary_color: None,
            hoist: false,
            mentionable: false,
            permissions: Permissions::NONE,
            unicode_emoji: None,
            icon: None,
        }
    }
}

/// A channel's own settings, apart from name, kind, parent, order and overwrites. Fields a kind
/// does not have are at their defaults (a text channel has no bitrate): see
/// [`ChannelSettings::for_kind`].
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChannelSettings {
    /// Text, announcement and forum channels. `None` is no topic (Discord stores an empty topic
    /// as none).
    pub topic: Option<String>,
    pub nsfw: bool,
    /// Seconds between messages per member (`rate_limit_per_user`).
    pub slowmode: u32,
    /// Voice and stage.
    pub bitrate: Option<u32>,
    /// Voice and stage; 0 is unlimited.
    pub user_limit: Option<u32>,
    /// Minutes of inactivity before new threads archive: 60, 1440, 4320 or 10080. `None` is
    /// Discord's default (1440) where threads exist.
    pub default_auto_archive: Option<u32>,
    /// Slowmode for new threads, in seconds.
    pub default_thread_slowmode: u32,
    /// Voice and stage: `None` is automatic.
    pub rtc_region: Option<String>,
    /// Voice and stage: `None` is automatic (Discord's 1), `Some(Full)` is 720p.
    pub video_quality: Option<VideoQuality>,
    /// Forum channels only.
    pub forum: Option<ForumSettings>,
}

/// Default auto-archive duration of threads where the channel does not set one.
pub const DEFAULT_AUTO_ARCHIVE: u32 = 1440;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum VideoQuality {
    Auto,
    Full,
}

impl VideoQuality {
    pub fn from_discord(value: u8) -> Option<Self> {
        match value {
            2 => Some(Self::Full),
            _ => None,
        }
    }

    pub fn discord_value(quality: Option<Self>) -> u8 {
        match quality {
            Some(Self::Full) => 2,
            _ => 1,
        }
    }
}

/// A unicode emoji or one of the guild's custom emojis.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Emoji {
    Unicode(String),
    Custom(EmojiId),
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ForumSettings {
    /// In display order.
    pub tags: Vec<ForumTag>,
    pub default_reaction: Option<Emoji>,
    /// `None` is "not set" (Discord shows recent activity).
    pub default_sort_order: Option<ForumSortOrder>,
    pub default_layout: ForumLayout,
    /// Posts must carry a tag (channel flag `REQUIRE_TAG`).
    pub require_tag: bool,
    /// Media channels only: hide the download options of embedded media (channel flag
    /// `HIDE_MEDIA_DOWNLOAD_OPTIONS`).
    #[serde(default)]
    pub hide_media_download_options: bool,
}

/// A forum tag as compared. Identity (desired key and former names, live id) is kept beside it.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct ForumTag {
    pub name: String,
    pub emoji: Option<Emoji>,
    /// Only moderators can apply it.
    pub moderated: bool,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ForumSortOrder {
    LatestActivity,
    CreationDate,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ForumLayout {
    #[default]
    NotSet,
    List,
    Gallery,
}

impl ChannelSettings {
    /// Discord's defaults for a new channel of `kind`.
    pub fn defaults_for(kind: ChannelKind) -> Self {
        Self::default().for_kind(kind)
    }

    /// These settings with every field `kind` does not have reset, and the defaults of the
    /// fields it has filled in, so that "absent" and "Discord's default" compare equal.
    pub fn for_kind(self, kind: ChannelKind) -> Self {
        let voice_like = kind.is_voice_like();
        Self {
            topic: self
                .topic
                .filter(|topic| kind.has_topic() && !topic.is_empty()),
            nsfw: self.nsfw && kind != ChannelKind::Category,
            slowmode: if kind.has_slowmode() {
                self.slowmode
            } else {
                0
            },
            bitrate: voice_like.then(|| self.bitrate.unwrap_or(DEFAULT_BITRATE)),
            user_limit: voice_like.then(|| self.user_limit.unwrap_or(0)),
            default_auto_archive: kind
                .has_threads()
                .then(|| self.default_auto_archive.unwrap_or(DEFAULT_AUTO_ARCHIVE)),
            default_thread_slowmode: if kind.has_threads() {
                self.default_thread_slowmode
            } else {
                0
            },
            rtc_region: self.rtc_region.filter(|_| voice_like),
            video_quality: self
                .video_quality
                .filter(|quality| voice_like && *quality == VideoQuality::Full),
            forum: kind.is_thread_only().then(|| {
                let mut forum = self.forum.unwrap_or_default();
                // Media channels have no layout; only they hide download options.
                if kind == ChannelKind::Media {
                    forum.default_layout = ForumLayout::NotSet;
                } else {
                    forum.hide_media_download_options = false;
                }
                forum
            }),
        }
    }
}

/// Who a permission overwrite applies to, on the desired side.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DesiredTarget {
    Everyone,
    /// A role by its key in the file.
    Role(String),
    /// A role a bot or integration manages, by its name on Discord (`role = "@carl-bot"`):
    /// matched against managed live roles only, never created or edited.
    Managed(String),
    Member(UserId),
}

/// Who a permission overwrite applies to, on the live side. `@everyone` is the role whose id is
/// the guild id.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LiveTarget {
    Role(RoleId),
    Member(UserId),
}

#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Overwrite<T> {
    pub target: T,
    pub allow: Permissions,
    pub deny: Permissions,
}

/// Everything `server.toml` asks for, validated.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct DesiredGuild {
    /// `@everyone`'s permissions; `None` when the file does not manage them.
    pub everyone_permissions: Option<Permissions>,
    /// Top to bottom.
    pub roles: Vec<DesiredRole>,
    /// Categories and channels in file order: each category is followed by its channels;
    /// channels outside any category come first.
    pub channels: Vec<DesiredChannel>,
    pub prune: Prune,
    /// The guild's own settings; each field `None` when the file does not manage it.
    pub settings: DesiredGuildSettings,
    /// Welcome screen, onboarding, AutoMod, events, webhooks, posted messages.
    pub community: DesiredCommunity,
    /// Live objects left out of management entirely (`[ignore]`).
    pub ignore: Ignore,
    /// Live objects no plan may delete or replace (`protect = true` and `[protect]`).
    pub protect: Protect,
    /// Statements about access that must hold (`[[access.assert]]`), in file order.
    pub assertions: Vec<LocatedAssertion>,
    /// What happens to live channels a category holds that the file does not list, by category
    /// name, where the file says something else than keeping them.
    pub unlisted: std::collections::BTreeMap<String, Unlisted>,
    /// Rostered roles (`roster = true`) and who holds them, in file order.
    pub roster: Vec<roster::RosterRole>,
}

/// What happens to live channels in a category that the file does not list (`unlisted = ...`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Unlisted {
    /// Left as they are.
    #[default]
    Keep,
    /// Deleted.
    Prune,
    /// Kept, with their overwrites set to the category's.
    Sync,
}

/// Name patterns of live objects the tool neither matches, keeps, prunes nor reorders: they are
/// removed from the diff's inputs (see `diff::without_ignored`). A pattern is a name in which
/// `*` stands for any run of characters (`MEE6*`, `tmp-*`); everything else matches literally.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Ignore {
    /// Patterns matched against live role names.
    pub roles: Vec<String>,
    /// Patterns matched against live channel and category names. Ignoring a category ignores
    /// the channels in it.
    pub channels: Vec<String>,
}

impl Ignore {
    pub fn is_empty(&self) -> bool {
        self.roles.is_empty() && self.channels.is_empty()
    }

    /// The first role pattern matching `name`.
    pub fn role(&self, name: &str) -> Option<&str> {
        self.roles
            .iter()
            .map(String::as_str)
            .find(|pattern| glob_matches(pattern, name))
    }

    /// The first channel pattern matching `name`.
    pub fn channel(&self, name: &str) -> Option<&str> {
        self.channels
            .iter()
            .map(String::as_str)
            .find(|pattern| glob_matches(pattern, name))
    }
}

/// Whether `name` matches `pattern`, where `*` is any run of characters (possibly none) and
/// every other character matches itself.
pub fn glob_matches(pattern: &str, name: &str) -> bool {
    let parts: Vec<&str> = pattern.split('*').collect();
    if parts.len() == 1 {
        return pattern == name;
    }
    let (first, last) = (parts[0], parts[parts.len() - 1]);
    if !name.starts_with(first) || name.len() < first.len() + last.len() || !name.ends_with(last) {
        return false;
    }
    let mut rest = &name[first.len()..name.len() - last.len()];
    for part in &parts[1..parts.len() - 1] {
        match rest.find(part) {
            Some(at) => rest = &rest[at + part.len()..],
            None => return false,
        }
    }
    true
}

/// Live names no plan may delete or replace: the current and former names of objects declared
/// with `protect = true`, and the names listed under `[protect]` (which stay protected after the
/// object leaves the file, even when its collection is pruned).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Protect {
    /// Role names.
    pub roles: Vec<String>,
    /// Channel and category names (any kind).
    pub channels: Vec<String>,
    /// Titles of the bot's threads.
    pub threads: Vec<String>,
}

/// An access assertion and the line of the file that states it (its `[[access.assert]]`
/// header), for messages.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LocatedAssertion {
    pub assertion: crate::access::Assertion,
    /// 1-based line in the file; 0 when the assertion does not come from a file.
    pub line: usize,
    /// The file it is written in, when the server file includes others (`access.toml`); `None`
    /// for the main file alone.
    pub file: Option<String>,
}

/// The community features the file declares. `None` and empty lists are "not managed"; declared
/// AutoMod rules, events and webhooks are matched by name, and unmatched live ones are kept
/// unless the file prunes them.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct DesiredCommunity {
    pub welcome_screen: Option<community::WelcomeScreen<ChannelKey>>,
    pub onboarding: Option<community::Onboarding<ChannelKey, String>>,
    pub automod: Vec<community::AutoModRule<ChannelKey, String>>,
    pub events: Vec<community::Event<ChannelKey>>,
    pub webhooks: Vec<(community::Webhook<ChannelKey>, community::WebhookSources)>,
    pub messages: Vec<community::PostedMessages<ChannelKey>>,
    /// Invites, the widget and the vanity code.
    pub invites: invites::DesiredInvites<ChannelKey>,
    /// Forum posts and threads the bot keeps, in file order.
    pub threads: Vec<threads::Thread<ChannelKey>>,
    /// Custom emoji (`[[emojis]]`), matched by name.
    pub emojis: Vec<expressions::DesiredEmoji>,
    /// Soundboard sounds (`[[soundboard]]`), matched by name.
    pub sounds: Vec<expressions::DesiredSound>,
    /// Guild stickers (`[[stickers]]`), matched by name.
    pub stickers: Vec<expressions::DesiredSticker>,
}

/// The guild's own settings as the file states them. A `None` field is not managed. Channel
/// references name channels declared in the file, already checked to exist with a kind that
/// fits (text for rules and updates, voice for AFK).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct DesiredGuildSettings {
    pub name: Option<String>,
    /// `Some(None)`: no description.
    pub description: Option<Option<String>>,
    pub verification_level: Option<u8>,
    pub explicit_content_filter: Option<u8>,
    pub default_notifications: Option<u8>,
    pub afk_channel: Option<Option<ChannelKey>>,
    /// Seconds: 60, 300, 900, 1800 or 3600.
    pub afk_timeout: Option<u32>,
    pub system_channel: Option<Option<ChannelKey>>,
    /// `SUPPRESS_*` bits of `system_channel_flags`.
    pub system_channel_flags: Option<u64>,
    pub rules_channel: Option<Option<ChannelKey>>,
    pub public_updates_channel: Option<Option<ChannelKey>>,
    pub safety_alerts_channel: Option<Option<ChannelKey>>,
    pub preferred_locale: Option<String>,
    /// The COMMUNITY feature.
    pub community: Option<bool>,
    /// Icon, banner and splashes: `Some(data URI)` from a file, `Some("discord:<hash>")` keeps
    /// the current one, `None` removes it. Images not in the map are not managed.
    pub images: std::collections::BTreeMap<crate::images::GuildImage, Option<String>>,
}

/// The live guild's own settings.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct LiveGuildSettings {
    pub name: String,
    pub description: Option<String>,
    pub verification_level: u8,
    pub explicit_content_filter: u8,
    pub default_notifications: u8,
    pub afk_channel: Option<ChannelId>,
    pub afk_timeout: u32,
    pub system_channel: Option<ChannelId>,
    pub system_channel_flags: u64,
    pub rules_channel: Option<ChannelId>,
    pub public_updates_channel: Option<ChannelId>,
    pub safety_alerts_channel: Option<ChannelId>,
    pub preferred_locale: String,
    pub community: bool,
    /// Discord's hashes of the icon, banner and splashes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub icon: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub banner: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub splash: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub discovery_splash: Option<String>,
    /// The boost level, 0-3 (what role icons, banners and expression slots depend on).
    #[serde(default)]
    pub premium_tier: u8,
}

impl LiveGuildSettings {
    /// The hash of one of the guild's images.
    pub fn image(&self, image: crate::images::GuildImage) -> Option<&String> {
        use crate::images::GuildImage;
        match image {
            GuildImage::Icon => self.icon.as_ref(),
            GuildImage::Banner => self.banner.as_ref(),
            GuildImage::InviteSplash => self.splash.as_ref(),
            GuildImage::DiscoverySplash => self.discovery_splash.as_ref(),
        }
        .filter(|hash| !hash.is_empty())
    }
}

/// Named values of the guild's enumerations, shared by the file, the plan and import.
pub mod guild_values {
    pub const VERIFICATION_LEVELS: &[(u8, &str)] = &[
        (0, "none"),
        (1, "low"),
        (2, "medium"),
        (3, "high"),
        (4, "highest"),
    ];
    pub const CONTENT_FILTERS: &[(u8, &str)] = &[
        (0, "disabled"),
        (1, "members_without_roles"),
        (2, "all_members"),
    ];
    pub const NOTIFICATIONS: &[(u8, &str)] = &[(0, "all_messages"), (1, "only_mentions")];
    pub const AFK_TIMEOUTS: &[u32] = &[60, 300, 900, 1800, 3600];
    pub const SYSTEM_CHANNEL_FLAGS: &[(u8, &str)] = &[
        (0, "suppress_join_notifications"),
        (1, "suppress_premium_subscriptions"),
        (2, "suppress_guild_reminder_notifications"),
        (3, "suppress_join_notification_replies"),
        (4, "suppress_role_subscription_purchase_notifications"),
        (
            5,
            "suppress_role_subscription_purchase_notification_replies",
        ),
    ];

    /// The name of `value` in `table`, or the number.
    pub fn name_of(table: &[(u8, &str)], value: u8) -> String {
        table
            .iter()
            .find(|(v, _)| *v == value)
            .map_or_else(|| value.to_string(), |(_, name)| (*name).to_owned())
    }
}

/// Which collections are authoritative: unmanaged live objects in them are deleted.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Prune {
    pub roles: bool,
    pub channels: bool,
    /// AutoMod rules not in the file.
    #[serde(default)]
    pub automod: bool,
    /// Scheduled events not in the file.
    #[serde(default)]
    pub events: bool,
    /// Incoming webhooks not in the file.
    #[serde(default)]
    pub webhooks: bool,
    /// Invites not in the file, members' too.
    #[serde(default)]
    pub invites: bool,
    /// The bot's own threads not in the file, in channels that declare threads.
    #[serde(default)]
    pub threads: bool,
    /// Custom emoji not in the file.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub emojis: bool,
    /// Soundboard sounds not in the file.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub soundboard: bool,
    /// Stickers not in the file.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub stickers: bool,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DesiredRole {
    /// Short stable key the file uses to reference the role (`moderator`).
    pub key: String,
    /// Pins the role to a live id; matching by name is then skipped.
    pub id: Option<RoleId>,
    /// Former names: a live role with one of these names is renamed, not recreated.
    pub previously: Vec<String>,
    pub settings: RoleSettings,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DesiredChannel {
    pub name: String,
    pub kind: ChannelKind,
    pub id: Option<ChannelId>,
    /// Former names, looked up where the current name is (anywhere when the name is unique, in
    /// this channel's category when it repeats).
    pub previously: Vec<String>,
    /// Former places: `previously = [{ category = "Team 3", name = "general" }]`, which moves a
    /// channel whose name repeats from that category.
    pub previously_at: Vec<FormerPlace>,
    /// Name of the desired category this channel sits in; `None` for categories and for channels
    /// outside any category.
    pub parent: Option<String>,
    pub settings: ChannelSettings,
    pub overwrites: DesiredOverwrites,
    /// For forums: the identity of each tag in `settings.forum.tags`, same order.
    pub tags: Vec<TagIdentity>,
}

/// Where a channel used to be: a category (by its name in the file, else its live name) and the
/// channel's name there.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct FormerPlace {
    pub category: String,
    pub name: String,
}

/// How the rest of the file names one of its channels or categories: name, kind and category.
/// Unique in a valid file (categories are unique by name; inside one category, a name is used
/// once per kind), so it stands for one declared channel even when names repeat across
/// categories.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct ChannelKey {
    pub name: String,
    pub kind: ChannelKind,
    /// The category it sits in; `None` for categories and channels outside any category.
    pub category: Option<String>,
}

impl ChannelKey {
    pub fn of(channel: &DesiredChannel) -> Self {
        Self {
            name: channel.name.clone(),
            kind: channel.kind,
            category: channel.parent.clone(),
        }
    }

    /// Whether `channel` is the one this key names.
    pub fn names(&self, channel: &DesiredChannel) -> bool {
        self.name == channel.name && self.kind == channel.kind && self.category == channel.parent
    }
}

impl DesiredGuild {
    /// The index of the declared channel `key` names.
    pub fn channel_index(&self, key: &ChannelKey) -> Option<usize> {
        self.channels.iter().position(|channel| key.names(channel))
    }

    /// Whether another declared channel of `channel`'s kind family (text and announcement are
    /// one) has its name: then its category is part of its identity.
    pub fn name_repeats(&self, channel: &DesiredChannel) -> bool {
        self.channels
            .iter()
            .filter(|other| {
                other.kind != ChannelKind::Category
                    && other.name == channel.name
                    && other.kind.family() == channel.kind.family()
            })
            .count()
            > 1
    }
}

/// How a desired forum tag is found among the live ones: its key in the file, and former names
/// (a tag matches a live tag by name, then by former name, so renaming keeps its id).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TagIdentity {
    pub key: String,
    pub previously: Vec<String>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DesiredOverwrites {
    /// Exactly these overwrites (possibly none).
    Explicit(Vec<Overwrite<DesiredTarget>>),
    /// The same overwrites as the parent category ("synced" in Discord's client).
    SyncWithParent,
}

/// The live guild as fetched, normalised.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LiveGuild {
    pub id: GuildId,
    pub name: String,
    pub owner_id: UserId,
    pub everyone_permissions: Permissions,
    /// Top to bottom (Discord's order: position descending, then id ascending), without
    /// `@everyone`.
    pub roles: Vec<LiveRole>,
    /// In no particular order; see [`LiveGuild::sorted_children`].
    pub channels: Vec<LiveChannel>,
    pub bot: BotMember,
    pub settings: LiveGuildSettings,
    /// Discord's feature flags (`COMMUNITY`, `NEWS`, `ROLE_ICONS`, ...).
    pub features: Vec<String>,
    /// Welcome screen, onboarding, AutoMod, events, webhooks and the bot's posted messages, as
    /// far as they were read (see `live::Scope`).
    #[serde(default)]
    pub community: community::LiveCommunity,
    /// Every member with their roles; read only when the file rosters a role (`None`: not read).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub members: Option<Vec<roster::LiveMember>>,
    /// The images the file declares as files, fetched from the CDN: CDN path without extension
    /// (`icons/{guild_id}/{hash}`) → `sha256:<hex>` of its bytes (see `crate::images`).
    #[serde(default, skip_serializing_if = "std::collections::BTreeMap::is_empty")]
    pub images: std::collections::BTreeMap<String, String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LiveRole {
    pub id: RoleId,
    pub position: i64,
    /// Managed by an integration (a bot's own role, the booster role): never touched.
    pub managed: bool,
    pub settings: RoleSettings,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LiveChannel {
    pub id: ChannelId,
    pub name: String,
    pub kind: ChannelKind,
    pub parent_id: Option<ChannelId>,
    pub position: i64,
    pub settings: ChannelSettings,
    /// Sorted, so two equal sets compare equal.
    pub overwrites: Vec<Overwrite<LiveTarget>>,
    /// For forums: the id of each tag in `settings.forum.tags`, same order.
    pub tag_ids: Vec<TagId>,
}

/// The bot the tool runs as, and its place in the role hierarchy.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct BotMember {
    pub user_id: UserId,
    pub role_ids: Vec<RoleId>,
}

impl LiveGuild {
    pub fn has_feature(&self, feature: &str) -> bool {
        self.features.iter().any(|f| f == feature)
    }

    pub fn role(&self, id: RoleId) -> Option<&LiveRole> {
        self.roles.iter().find(|role| role.id == id)
    }

    pub fn channel(&self, id: ChannelId) -> Option<&LiveChannel> {
        self.channels.iter().find(|channel| channel.id == id)
    }

    /// The `@everyone` role's id, which Discord makes equal to the guild id.
    pub fn everyone_role_id(&self) -> RoleId {
        self.id.cast()
    }

    /// Index in `roles` (0 = top) of the bot's highest role, if it has any role.
    pub fn bot_highest_role_index(&self) -> Option<usize> {
        self.roles
            .iter()
            .position(|role| self.bot.role_ids.contains(&role.id))
    }

    /// Channels under `parent` in one sort bucket, in Discord's display order (position, then
    /// id).
    pub fn sorted_children(
        &self,
        parent: Option<ChannelId>,
        bucket: SortBucket,
    ) -> Vec<&LiveChannel> {
        let mut children: Vec<&LiveChannel> = self
            .channels
            .iter()
            .filter(|channel| channel.parent_id == parent && channel.kind.sort_bucket() == bucket)
            .collect();
        children.sort_by_key(|channel| (channel.position, channel.id));
        children
    }
}

/// Sorts overwrites so that sets compare equal regardless of Discord's order, and drops
/// overwrites that allow and deny nothing (they have no effect).
pub fn normalise_overwrites<T: Ord>(mut overwrites: Vec<Overwrite<T>>) -> Vec<Overwrite<T>> {
    overwrites.retain(|overwrite| !(overwrite.allow.is_empty() && overwrite.deny.is_empty()));
    overwrites.sort();
    overwrites.dedup();
    overwrites
}
