//! The plan: what `apply` will do, as plain data.
//!
//! A [`Plan`] is produced by `diff::plan`, rendered by `render`, and executed by `apply`. It is
//! serialisable (`plan --json`), sorted in execution order, and countable ([`Plan::summary`]).
//! References to objects that do not exist yet are by key ([`RoleRef::New`], [`ChannelRef::New`]);
//! the executor resolves them to ids as it creates them. Nothing here does I/O.

use serde::{Deserialize, Serialize};

use crate::model::{
    ChannelId, ChannelKind, ChannelSettings, GuildId, RoleId, RoleSettings, SortBucket, UserId,
};
use crate::permissions::Permissions;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Plan {
    pub guild_id: GuildId,
    pub guild_name: String,
    /// In execution order.
    pub changes: Vec<Change>,
    /// Live objects the file does not mention, left as they are.
    pub kept: Vec<Kept>,
    pub warnings: Vec<String>,
}

/// A role, existing or about to be created (by its key in the file).
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RoleRef {
    Id(RoleId),
    New(String),
}

/// A channel, existing or about to be created (identified by name and kind, unique in a valid
/// file).
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ChannelRef {
    Id(ChannelId),
    New { name: String, kind: ChannelKind },
}

#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TargetRef {
    /// `@everyone` is the role whose id is the guild id.
    Role(RoleRef),
    Member(UserId),
}

/// One permission overwrite, with the label a person reads (`@everyone`, `🟠 Moderator`).
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct PlannedOverwrite {
    pub target: TargetRef,
    pub label: String,
    pub allow: Permissions,
    pub deny: Permissions,
}

impl PlannedOverwrite {
    /// Equal in effect: same target, same bits (labels may differ, e.g. a role being renamed).
    pub fn same_effect(&self, other: &Self) -> bool {
        self.target == other.target && self.allow == other.allow && self.deny == other.deny
    }
}

/// Overwrite lists compare as sets of (target, allow, deny).
pub fn same_overwrites(a: &[PlannedOverwrite], b: &[PlannedOverwrite]) -> bool {
    a.len() == b.len() && a.iter().all(|x| b.iter().any(|y| x.same_effect(y)))
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ParentSpec {
    pub channel: ChannelRef,
    pub name: String,
}

/// Everything the tool manages about one channel.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChannelSpec {
    pub name: String,
    pub kind: ChannelKind,
    pub parent: Option<ParentSpec>,
    pub settings: ChannelSettings,
    /// Sorted by target.
    pub overwrites: Vec<PlannedOverwrite>,
    /// The file says "same overwrites as my category" (display only; `overwrites` holds them).
    pub synced: bool,
}

/// One field of a role or channel that differs, for renderers and the executor alike.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Field {
    Name,
    Color,
    Hoist,
    Mentionable,
    Permissions,
    Parent,
    Topic,
    Nsfw,
    Slowmode,
    Bitrate,
    UserLimit,
    Overwrites,
}

impl Field {
    pub fn label(self) -> &'static str {
        match self {
            Self::Name => "name",
            Self::Color => "color",
            Self::Hoist => "hoist",
            Self::Mentionable => "mentionable",
            Self::Permissions => "permissions",
            Self::Parent => "category",
            Self::Topic => "topic",
            Self::Nsfw => "nsfw",
            Self::Slowmode => "slowmode",
            Self::Bitrate => "bitrate",
            Self::UserLimit => "user_limit",
            Self::Overwrites => "overwrites",
        }
    }
}

/// The role fields that differ between `before` and `after`, in display order.
pub fn role_fields(before: &RoleSettings, after: &RoleSettings) -> Vec<Field> {
    let mut fields = Vec::new();
    if before.name != after.name {
        fields.push(Field::Name);
    }
    if before.color != after.color {
        fields.push(Field::Color);
    }
    if before.hoist != after.hoist {
        fields.push(Field::Hoist);
    }
    if before.mentionable != after.mentionable {
        fields.push(Field::Mentionable);
    }
    if before.permissions != after.permissions {
        fields.push(Field::Permissions);
    }
    fields
}

/// The channel fields that differ between `before` and `after`, in display order.
pub fn channel_fields(before: &ChannelSpec, after: &ChannelSpec) -> Vec<Field> {
    let mut fields = Vec::new();
    if before.name != after.name {
        fields.push(Field::Name);
    }
    if before.parent.as_ref().map(|p| &p.channel) != after.parent.as_ref().map(|p| &p.channel) {
        fields.push(Field::Parent);
    }
    let (b, a) = (&before.settings, &after.settings);
    if b.topic != a.topic {
        fields.push(Field::Topic);
    }
    if b.nsfw != a.nsfw {
        fields.push(Field::Nsfw);
    }
    if b.slowmode != a.slowmode {
        fields.push(Field::Slowmode);
    }
    if b.bitrate != a.bitrate {
        fields.push(Field::Bitrate);
    }
    if b.user_limit != a.user_limit {
        fields.push(Field::UserLimit);
    }
    if !same_overwrites(&before.overwrites, &after.overwrites) {
        fields.push(Field::Overwrites);
    }
    fields
}

/// Whether a reference names an object created by this plan.
pub trait Reference: PartialEq {
    fn is_new(&self) -> bool;
}

impl Reference for RoleRef {
    fn is_new(&self) -> bool {
        matches!(self, Self::New(_))
    }
}

impl Reference for ChannelRef {
    fn is_new(&self) -> bool {
        matches!(self, Self::New { .. })
    }
}

/// A place in an ordered list, as shown in reorders.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Slot<R> {
    pub reference: R,
    pub name: String,
    /// Declared in the file (only these are reordered; the others keep their places).
    pub managed: bool,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "action", rename_all = "snake_case")]
pub enum Change {
    CreateRole {
        key: String,
        role: RoleSettings,
    },
    UpdateRole {
        id: RoleId,
        key: String,
        before: RoleSettings,
        after: RoleSettings,
    },
    /// `@everyone`'s permissions.
    UpdateEveryone {
        before: Permissions,
        after: Permissions,
    },
    CreateChannel {
        channel: ChannelSpec,
    },
    UpdateChannel {
        id: ChannelId,
        before: ChannelSpec,
        after: ChannelSpec,
    },
    /// All roles top to bottom, before and after; executed as one bulk request.
    ReorderRoles {
        before: Vec<Slot<RoleRef>>,
        after: Vec<Slot<RoleRef>>,
    },
    /// The siblings of one sort bucket under one parent; all channel reorders of a plan are
    /// executed together as one bulk request.
    ReorderChannels {
        parent: Option<ParentSpec>,
        bucket: SortBucket,
        before: Vec<Slot<ChannelRef>>,
        after: Vec<Slot<ChannelRef>>,
    },
    DeleteChannel {
        id: ChannelId,
        channel: ChannelSpec,
    },
    DeleteRole {
        id: RoleId,
        role: RoleSettings,
    },
}

impl Change {
    pub fn kind(&self) -> ChangeKind {
        match self {
            Self::CreateRole { .. } | Self::CreateChannel { .. } => ChangeKind::Create,
            Self::UpdateRole { .. } | Self::UpdateEveryone { .. } | Self::UpdateChannel { .. } => {
                ChangeKind::Update
            }
            Self::DeleteRole { .. } | Self::DeleteChannel { .. } => ChangeKind::Delete,
            Self::ReorderRoles { .. } | Self::ReorderChannels { .. } => ChangeKind::Reorder,
        }
    }

    /// A short description for progress and reports: `create role "🟠 Moderator"`.
    pub fn describe(&self) -> String {
        match self {
            Self::CreateRole { role, .. } => format!("create role \"{}\"", role.name),
            Self::UpdateRole { after, .. } => format!("update role \"{}\"", after.name),
            Self::UpdateEveryone { .. } => "update @everyone".to_owned(),
            Self::DeleteRole { role, .. } => format!("delete role \"{}\"", role.name),
            Self::CreateChannel { channel } => {
                format!("create {}", channel_label(channel.kind, &channel.name))
            }
            Self::UpdateChannel { after, .. } => {
                format!("update {}", channel_label(after.kind, &after.name))
            }
            Self::DeleteChannel { channel, .. } => {
                format!("delete {}", channel_label(channel.kind, &channel.name))
            }
            Self::ReorderRoles { .. } => "reorder roles".to_owned(),
            Self::ReorderChannels { parent, bucket, .. } => {
                format!("reorder {}", bucket_label(parent.as_ref(), *bucket))
            }
        }
    }
}

/// `#general`, `voice channel "🔊 Lounge"`, `category "STAFF"`.
pub fn channel_label(kind: ChannelKind, name: &str) -> String {
    match kind {
        ChannelKind::Text => format!("#{name}"),
        other => format!("{} \"{name}\"", other.describe()),
    }
}

/// `channels in "📢 WELCOME"`, `voice channels outside categories`, `categories`.
pub fn bucket_label(parent: Option<&ParentSpec>, bucket: SortBucket) -> String {
    let what = match bucket {
        SortBucket::Category => return "categories".to_owned(),
        SortBucket::TextLike => "text channels",
        SortBucket::VoiceLike => "voice channels",
    };
    match parent {
        Some(parent) => format!("{what} in \"{}\"", parent.name),
        None => format!("{what} outside categories"),
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ChangeKind {
    Create,
    Update,
    Delete,
    Reorder,
}

/// A live object the file does not declare.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "object", rename_all = "snake_case")]
pub enum Kept {
    Role {
        id: RoleId,
        name: String,
    },
    Channel {
        id: ChannelId,
        name: String,
        kind: ChannelKind,
        parent: Option<String>,
    },
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Summary {
    pub create: usize,
    pub update: usize,
    pub delete: usize,
    pub reorder: usize,
}

impl Summary {
    pub fn total(self) -> usize {
        self.create + self.update + self.delete + self.reorder
    }
}

impl Plan {
    pub fn summary(&self) -> Summary {
        let mut summary = Summary::default();
        for change in &self.changes {
            match change.kind() {
                ChangeKind::Create => summary.create += 1,
                ChangeKind::Update => summary.update += 1,
                ChangeKind::Delete => summary.delete += 1,
                ChangeKind::Reorder => summary.reorder += 1,
            }
        }
        summary
    }

    pub fn is_empty(&self) -> bool {
        self.changes.is_empty()
    }
}
