//! Threads the emulator holds: forum and media posts and threads of text channels. Kept apart
//! from `channels`, as Discord does: `GET /guilds/{id}/channels` never lists threads.

use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use twilight_model::id::Id;
use twilight_model::id::marker::{ChannelMarker, GuildMarker, TagMarker, UserMarker};

/// A thread (`channel.mdx`, "Thread-specific channel fields", "Thread Metadata").
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Thread {
    pub id: Id<ChannelMarker>,
    /// 10 announcement, 11 public, 12 private.
    #[serde(rename = "type")]
    pub kind: u8,
    pub parent_id: Id<ChannelMarker>,
    pub owner_id: Id<UserMarker>,
    pub name: String,
    #[serde(default)]
    pub applied_tags: Vec<Id<TagMarker>>,
    /// PINNED (1 << 1) is the only flag a request may set.
    #[serde(default)]
    pub flags: u64,
    #[serde(default)]
    pub archived: bool,
    #[serde(default)]
    pub locked: bool,
    #[serde(default = "default_auto_archive")]
    pub auto_archive_duration: u32,
    /// When it was last archived or unarchived (Discord's `archive_timestamp`).
    #[serde(default)]
    pub archive_timestamp: Option<String>,
    #[serde(default)]
    pub rate_limit_per_user: u32,
}

fn default_auto_archive() -> u32 {
    1440
}

impl Thread {
    /// The thread as Discord sends it (`ThreadResponse`); `messages` is its message count.
    pub fn json(&self, guild_id: Id<GuildMarker>, messages: usize) -> Value {
        json!({
            "id": self.id.to_string(),
            "type": self.kind,
            "guild_id": guild_id.to_string(),
            "parent_id": self.parent_id.to_string(),
            "owner_id": self.owner_id.to_string(),
            "name": self.name,
            "flags": self.flags,
            "applied_tags": self.applied_tags.iter().map(ToString::to_string).collect::<Vec<_>>(),
            "rate_limit_per_user": self.rate_limit_per_user,
            "last_message_id": null,
            "message_count": messages,
            "member_count": 1,
            "total_message_sent": messages,
            "thread_metadata": {
                "archived": self.archived,
                "archive_timestamp": self.archive_timestamp,
                "auto_archive_duration": self.auto_archive_duration,
                "locked": self.locked,
            },
        })
    }
}
