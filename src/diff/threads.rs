//! The diff of `[[threads]]`: each declared thread is the bot's own thread of that title in
//! its channel. Members' threads are taken out before matching (never matched, edited or
//! deleted); one that carries a declared title is a warning when the plan creates the bot's
//! own, since readers then see two threads of one title: the file cannot take over a member's
//! post (Discord lets only its author edit the first message), and refusing the plan would let
//! any member block the guide by posting first.
//!
//! Tags are compared by name (live ids mapped through the live channel's tags); `auto_archive`
//! only when the file states it.

use super::Differ;
use crate::model::ChannelId;
use crate::model::threads::{LiveThread, Thread};
use crate::plan::{Change, ChannelPick, ChannelRef, ThreadSpec};

impl Differ<'_> {
    pub(super) fn thread_changes(
        &self,
        changes: &mut Vec<Change>,
        deletes: &mut Vec<Change>,
        warnings: &mut Vec<String>,
    ) {
        let bot = self.live.bot.user_id;
        let threads = &self.live.community.threads;
        let mut used: Vec<ChannelId> = Vec::new();
        for wanted in &self.desired.community.threads {
            let channel = self.pick_desired_channel(&wanted.channel);
            let post = wanted.channel.kind.is_thread_only();
            let after = Thread {
                channel: channel.clone(),
                title: wanted.title.clone(),
                source: wanted.source.clone(),
                content: wanted.content.clone(),
                tags: wanted.tags.clone(),
                pinned: wanted.pinned,
                locked: wanted.locked,
                archived: wanted.archived,
                auto_archive: wanted.auto_archive,
            };
            let parent = match &channel.channel {
                ChannelRef::Id(id) => Some(*id),
                ChannelRef::New { .. } => None,
            };
            let in_channel = |thread: &&LiveThread| {
                Some(thread.parent) == parent && thread.title == wanted.title
            };
            let mut own: Vec<&LiveThread> = threads
                .iter()
                .filter(in_channel)
                .filter(|thread| thread.owner == Some(bot))
                .collect();
            own.sort_by_key(|thread| thread.id);
            if own.len() > 1 {
                warnings.push(format!(
                    "the bot has {} threads titled \"{}\" in {}: the oldest ({}) is kept up to date, the others are left alone",
                    own.len(),
                    wanted.title,
                    crate::plan::pick_label(&channel),
                    own[0].id
                ));
            }
            // Discord pins one post per channel: pinning this one unpins a member's.
            let pins_now = own.first().is_none_or(|live| !live.pinned);
            if wanted.pinned
                && pins_now
                && let Some(other) = threads.iter().find(|thread| {
                    Some(thread.parent) == parent && thread.pinned && thread.owner != Some(bot)
                })
            {
                warnings.push(format!(
                    "pinning \"{}\" in {} unpins the member's post \"{}\" (Discord pins one post per channel)",
                    wanted.title,
                    crate::plan::pick_label(&channel),
                    other.title
                ));
            }
            match own.first() {
                Some(live) => {
                    used.push(live.id);
                    let before = self.live_thread_spec(live, &channel, &after);
                    if before != after || live.first_message.is_none() {
                        changes.push(Change::UpdateThread {
                            id: live.id,
                            post,
                            message_id: live.first_message.as_ref().map(|(id, _)| *id),
                            before,
                            after,
                        });
                    }
                }
                None => {
                    if threads
                        .iter()
                        .filter(in_channel)
                        .any(|thread| thread.owner != Some(bot))
                    {
                        warnings.push(format!(
                            "a member's thread in {} is also titled \"{}\": it is left alone, and the bot starts its own",
                            crate::plan::pick_label(&channel),
                            wanted.title
                        ));
                    }
                    changes.push(Change::CreateThread {
                        thread: after,
                        post,
                    });
                }
            }
        }
        if !self.desired.prune.threads {
            return;
        }
        // The bot's own threads the file no longer declares, in the channels it declares
        // threads in.
        let declared_channels: Vec<ChannelId> = self
            .desired
            .community
            .threads
            .iter()
            .filter_map(
                |thread| match self.pick_desired_channel(&thread.channel).channel {
                    ChannelRef::Id(id) => Some(id),
                    ChannelRef::New { .. } => None,
                },
            )
            .collect();
        for live in threads {
            if live.owner == Some(bot)
                && declared_channels.contains(&live.parent)
                && !used.contains(&live.id)
            {
                let channel = self.pick_live_channel(live.parent);
                let thread = Thread {
                    channel: channel.clone(),
                    title: live.title.clone(),
                    source: String::new(),
                    content: live
                        .first_message
                        .as_ref()
                        .map(|(_, content)| content.clone())
                        .unwrap_or_default(),
                    tags: self.tag_names(live),
                    pinned: live.pinned,
                    locked: live.locked,
                    archived: live.archived,
                    auto_archive: Some(live.auto_archive),
                };
                deletes.push(Change::DeleteThread {
                    id: live.id,
                    thread,
                });
            }
        }
    }

    /// The live thread in the plan's terms, with the file's source and, where the file leaves
    /// `auto_archive` out, the file's (unmanaged) value.
    fn live_thread_spec(
        &self,
        live: &LiveThread,
        channel: &ChannelPick,
        after: &ThreadSpec,
    ) -> ThreadSpec {
        Thread {
            channel: channel.clone(),
            title: live.title.clone(),
            source: after.source.clone(),
            content: live
                .first_message
                .as_ref()
                .map(|(_, content)| content.clone())
                .unwrap_or_default(),
            tags: self.tag_names(live),
            pinned: live.pinned,
            locked: live.locked,
            archived: live.archived,
            auto_archive: after.auto_archive.map(|_| live.auto_archive),
        }
    }

    /// The names of a live thread's tags, in its channel's tag order (unknown ids as numbers).
    fn tag_names(&self, live: &LiveThread) -> Vec<String> {
        let Some(channel) = self.live.channels.iter().find(|c| c.id == live.parent) else {
            return live.applied_tags.iter().map(ToString::to_string).collect();
        };
        let tags = channel
            .settings
            .forum
            .as_ref()
            .map(|forum| forum.tags.as_slice())
            .unwrap_or_default();
        let mut named: Vec<(usize, String)> = live
            .applied_tags
            .iter()
            .map(
                |id| match channel.tag_ids.iter().position(|tag| tag == id) {
                    Some(index) => (
                        index,
                        tags.get(index)
                            .map_or_else(|| id.to_string(), |tag| tag.name.clone()),
                    ),
                    None => (usize::MAX, id.to_string()),
                },
            )
            .collect();
        named.sort();
        named.into_iter().map(|(_, name)| name).collect()
    }
}
