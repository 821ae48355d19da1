//! Reading threads (`channel.mdx`: "List Active Guild Threads", "List Public Archived
//! Threads"): the shapes Discord sends and the reads, one request for every active thread of
//! the guild and one page per 100 archived threads of each channel asked about.

use serde::Deserialize;

use super::{Discord, DiscordError, wire};
use crate::model::{ChannelId, GuildId, TagId, UserId};

/// How many pages of archived threads one channel may have before the read stops (100 threads
/// each): a server that always answers `has_more` must not keep the tool reading forever.
pub const ARCHIVED_PAGES_MAX: usize = 50;

#[derive(Debug, Deserialize)]
pub struct Thread {
    pub id: ChannelId,
    #[serde(rename = "type")]
    pub kind: u8,
    pub parent_id: Option<ChannelId>,
    #[serde(default)]
    pub owner_id: Option<UserId>,
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub applied_tags: Vec<TagId>,
    #[serde(default)]
    pub flags: u64,
    pub thread_metadata: ThreadMetadata,
}

#[derive(Debug, Deserialize)]
pub struct ThreadMetadata {
    pub archived: bool,
    pub auto_archive_duration: u32,
    #[serde(default)]
    pub archive_timestamp: Option<String>,
    #[serde(default)]
    pub locked: bool,
}

#[derive(Debug, Deserialize)]
pub struct ThreadList {
    pub threads: Vec<Thread>,
    #[serde(default)]
    pub has_more: bool,
}

impl Discord {
    /// Every active thread of the guild, in one request.
    pub async fn active_threads(&self, guild_id: GuildId) -> Result<Vec<Thread>, DiscordError> {
        let list: ThreadList = self
            .read(format!("guilds/{guild_id}/threads/active"))
            .await?;
        Ok(list.threads)
    }

    /// The archived public threads of a channel, newest archived first, page by page.
    pub async fn archived_public_threads(
        &self,
        channel_id: ChannelId,
    ) -> Result<Vec<Thread>, DiscordError> {
        let mut threads: Vec<Thread> = Vec::new();
        let mut before: Option<String> = None;
        for _ in 0..ARCHIVED_PAGES_MAX {
            let path = match &before {
                Some(at) => format!(
                    "channels/{channel_id}/threads/archived/public?limit=100&before={}",
                    percent_encoding::utf8_percent_encode(at, percent_encoding::NON_ALPHANUMERIC)
                ),
                None => format!("channels/{channel_id}/threads/archived/public?limit=100"),
            };
            let page: ThreadList = self.read(path).await?;
            let next = page
                .threads
                .last()
                .and_then(|thread| thread.thread_metadata.archive_timestamp.clone());
            threads.extend(page.threads);
            match next {
                Some(at) if page.has_more && before.as_deref() != Some(at.as_str()) => {
                    before = Some(at);
                }
                _ => return Ok(threads),
            }
        }
        Err(DiscordError::Impossible {
            request: format!("GET channels/{channel_id}/threads/archived/public"),
            detail: format!(
                "more than {} archived threads ({ARCHIVED_PAGES_MAX} pages), or an answer that always says `has_more`",
                ARCHIVED_PAGES_MAX * 100
            ),
        })
    }

    /// The oldest 100 messages of a thread (its first message is among them: every message of a
    /// thread has an id at or after the thread's), newest first.
    pub async fn first_messages(
        &self,
        thread_id: ChannelId,
    ) -> Result<Vec<wire::Message>, DiscordError> {
        let after = thread_id.get().saturating_sub(1).max(1);
        self.read(format!(
            "channels/{thread_id}/messages?after={after}&limit=100"
        ))
        .await
    }
}

impl Discord {
    /// One channel (`GET /channels/{id}`): a forum's tags, to name them by id when a post is
    /// written.
    pub async fn channel(&self, channel_id: ChannelId) -> Result<wire::Channel, DiscordError> {
        self.read(format!("channels/{channel_id}")).await
    }
}
