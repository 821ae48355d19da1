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

use serde::{Deserialize, Serialize};
use twilight_model::id::Id;
use twilight_model::id::marker::{ChannelMarker, GuildMarker, RoleMarker, UserMarker};

use crate::permissions::Permissions;

pub type RoleId = Id<RoleMarker>;
pub type ChannelId = Id<ChannelMarker>;
pub type GuildId = Id<GuildMarker>;
pub type UserId = Id<UserMarker>;

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
    /// A Discord channel type this version does not manage (announcement, stage, forum, ...).
    Other(u8),
}

impl ChannelKind {
    pub fn from_discord(kind: u8) -> Self {
        match kind {
            0 => Self::Text,
            2 => Self::Voice,
            4 => Self::Category,
            other => Self::Other(other),
        }
    }

    pub fn discord_type(self) -> u8 {
        match self {
            Self::Text => 0,
            Self::Voice => 2,
            Self::Category => 4,
            Self::Other(kind) => kind,
        }
    }

    /// Discord sorts siblings in buckets: categories, text-like channels, then voice-like
    /// channels below them. Relative order only means something inside one bucket.
    pub fn sort_bucket(self) -> SortBucket {
        match self {
            Self::Category => SortBucket::Category,
            Self::Voice | Self::Other(2 | 13) => SortBucket::VoiceLike,
            Self::Text | Self::Other(_) => SortBucket::TextLike,
        }
    }

    /// How a person reads it: "text channel", "category", ...
    pub fn describe(self) -> String {
        match self {
            Self::Category => "category".into(),
            Self::Text => "text channel".into(),
            Self::Voice => "voice channel".into(),
            Self::Other(5) => "announcement channel".into(),
            Self::Other(13) => "stage channel".into(),
            Self::Other(15) => "forum channel".into(),
            Self::Other(16) => "media channel".into(),
            Self::Other(kind) => format!("channel of type {kind}"),
        }
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
    /// `0xRRGGBB`; 0 means "no colour".
    pub color: u32,
    pub hoist: bool,
    pub mentionable: bool,
    pub permissions: Permissions,
}

/// A channel's own settings, apart from name, kind, parent, order and overwrites. Fields a kind
/// does not have are `None` (a text channel has no bitrate).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChannelSettings {
    /// Text channels only. `None` is no topic (Discord stores an empty topic as none).
    pub topic: Option<String>,
    pub nsfw: bool,
    /// Seconds between messages per member (`rate_limit_per_user`); text and voice.
    pub slowmode: u32,
    /// Voice only.
    pub bitrate: Option<u32>,
    /// Voice only; 0 is unlimited.
    pub user_limit: Option<u32>,
}

impl ChannelSettings {
    /// Discord's defaults for a new channel of `kind`.
    pub fn defaults_for(kind: ChannelKind) -> Self {
        match kind {
            ChannelKind::Voice => Self {
                bitrate: Some(DEFAULT_BITRATE),
                user_limit: Some(0),
                ..Self::default()
            },
            _ => Self::default(),
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
}

/// Which collections are authoritative: unmanaged live objects in them are deleted.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Prune {
    pub roles: bool,
    pub channels: bool,
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
    pub previously: Vec<String>,
    /// Name of the desired category this channel sits in; `None` for categories and for channels
    /// outside any category.
    pub parent: Option<String>,
    pub settings: ChannelSettings,
    pub overwrites: DesiredOverwrites,
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
}

/// The bot the tool runs as, and its place in the role hierarchy.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct BotMember {
    pub user_id: UserId,
    pub role_ids: Vec<RoleId>,
}

impl LiveGuild {
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
