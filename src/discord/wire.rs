//! Discord's JSON shapes, as much of them as the tool reads.
//!
//! Responses are parsed here rather than through twilight-model because twilight 0.18 drops
//! permission bits it does not know (`SET_VOICE_CHANNEL_STATUS`, bit 48) and the diff must see
//! every bit to converge.

use serde::Deserialize;
use twilight_model::id::Id;
use twilight_model::id::marker::GenericMarker;

use crate::model::{ChannelId, GuildId, RoleId, UserId};
use crate::permissions::{self, Permissions};

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
    #[serde(default)]
    pub roles: Vec<Role>,
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
}

#[derive(Debug, Deserialize)]
pub struct Channel {
    pub id: ChannelId,
    #[serde(rename = "type")]
    pub kind: u8,
    #[serde(default)]
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
