//! Threads the tool keeps: forum and media posts (a pinned guide in a knowledge-base forum) and
//! standing threads of text and announcement channels, each with a first message from a
//! Markdown file.
//!
//! Identity: a thread is its title in its channel, and only threads the bot started (owner is
//! the bot) are ever matched, edited or deleted; members' threads are read only to warn when
//! one has the title of a thread the file declares. Like the community types, a thread is
//! generic over how it names its channel (`C`): the file by name, the live guild by id. Tags are
//! named by their name in the channel, on both sides (the live side maps ids to names), so a
//! forum created in the same run needs no tag id at plan time: the executor reads the forum's
//! tags when it writes them (Discord's `threads.mdx`, "Forums").

use serde::{Deserialize, Serialize};

use super::{ChannelId, TagId, UserId};

/// Discord's limit on a thread's name (`channel.mdx`, "Start Thread in Forum or Media Channel").
pub const TITLE_MAX: usize = 100;
/// At most this many tags on one post (`channel.mdx`, "Modify Channel", thread `applied_tags`).
pub const APPLIED_TAGS_MAX: usize = 5;
/// Thread flag: pinned to the top of its forum or media channel (`channel.mdx`, "Channel Flags").
pub const PINNED: u64 = 1 << 1;
/// Thread channel types (`channel.mdx`, "Channel Types").
pub const ANNOUNCEMENT_THREAD: u8 = 10;
pub const PUBLIC_THREAD: u8 = 11;
pub const PRIVATE_THREAD: u8 = 12;

/// A thread as compared: everything the file states about it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Thread<C> {
    pub channel: C,
    /// 1-100 characters; unique among the bot's threads of the channel.
    pub title: String,
    /// The file the first message comes from, as written (`posts/faq/how-to-ask.md`); on the
    /// live side, empty.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub source: String,
    /// The first message, 1-2000 characters.
    pub content: String,
    /// Forum and media posts: tag names in the channel's tag order.
    pub tags: Vec<String>,
    /// Forum and media posts: pinned to the top (at most one per channel).
    pub pinned: bool,
    pub locked: bool,
    pub archived: bool,
    /// Minutes of inactivity before Discord archives it: 60, 1440, 4320 or 10080. `None` on the
    /// desired side: not managed.
    pub auto_archive: Option<u32>,
}

/// A live thread of a channel the file manages threads in.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LiveThread {
    pub id: ChannelId,
    pub parent: ChannelId,
    pub owner: Option<UserId>,
    /// 10, 11 or 12.
    pub kind: u8,
    pub title: String,
    pub applied_tags: Vec<TagId>,
    pub pinned: bool,
    pub locked: bool,
    pub archived: bool,
    pub auto_archive: u32,
    /// The bot's threads the file declares: the first message, `(id, content)`; `None` when the
    /// thread has none (its first message was deleted) or it was not read.
    pub first_message: Option<(u64, String)>,
}
