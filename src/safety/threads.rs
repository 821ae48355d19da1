//! What the bot needs for the plan's threads, checked before any write (`permissions.mdx`;
//! `channel.mdx`, "Start Thread in Forum or Media Channel", "Start Thread without Message",
//! "Modify Channel" for threads): a forum or media post needs Send Messages in the channel, a
//! text channel's thread Create Public Threads and Send Messages in Threads; pinning, locking,
//! a moderated tag, reopening a locked archived thread and deleting a thread need Manage
//! Threads. Permissions are the bot's in the live channel (its overwrites applied), or its
//! server-wide ones for a channel the plan creates.

use super::Refusal;
use crate::model::{ChannelId, LiveGuild, LiveTarget};
use crate::permissions::Permissions;
use crate::plan::{Change, ChannelRef, Plan, ThreadSpec};

const MANAGE_THREADS: Permissions = Permissions::from_bits(1 << 34);
const CREATE_PUBLIC_THREADS: Permissions = Permissions::from_bits(1 << 35);
const SEND_MESSAGES_IN_THREADS: Permissions = Permissions::from_bits(1 << 38);

/// The bot's permissions in the live channel `id`, from its server-wide `base`.
fn in_channel(live: &LiveGuild, id: ChannelId, base: Permissions) -> Permissions {
    let Some(channel) = live.channels.iter().find(|channel| channel.id == id) else {
        return base;
    };
    let everyone = LiveTarget::Role(live.id.cast());
    let mut permissions = base;
    if let Some(overwrite) = channel.overwrites.iter().find(|o| o.target == everyone) {
        permissions = permissions
            .difference(overwrite.deny)
            .union(overwrite.allow);
    }
    let (mut allow, mut deny) = (Permissions::NONE, Permissions::NONE);
    for overwrite in &channel.overwrites {
        if let LiveTarget::Role(role) = overwrite.target
            && live.bot.role_ids.contains(&role)
        {
            allow = allow.union(overwrite.allow);
            deny = deny.union(overwrite.deny);
        }
    }
    permissions = permissions.difference(deny).union(allow);
    if let Some(overwrite) = channel
        .overwrites
        .iter()
        .find(|o| o.target == LiveTarget::Member(live.bot.user_id))
    {
        permissions = permissions
            .difference(overwrite.deny)
            .union(overwrite.allow);
    }
    permissions
}

/// Whether one of `thread`'s tags is moderated in its live channel.
fn moderated_tag(live: &LiveGuild, thread: &ThreadSpec) -> bool {
    let ChannelRef::Id(id) = thread.channel.channel else {
        return false;
    };
    live.channels
        .iter()
        .find(|channel| channel.id == id)
        .and_then(|channel| channel.settings.forum.as_ref())
        .is_some_and(|forum| {
            forum
                .tags
                .iter()
                .any(|tag| tag.moderated && thread.tags.contains(&tag.name))
        })
}

pub(super) fn refusals(plan: &Plan, live: &LiveGuild, base: Permissions) -> Vec<Refusal> {
    let mut refusals = Vec::new();
    for change in &plan.changes {
        let (thread, mut needed, moderation) = match change {
            Change::CreateThread { thread, post } => {
                let needed = if *post {
                    Permissions::VIEW_CHANNEL.union(Permissions::SEND_MESSAGES)
                } else {
                    Permissions::VIEW_CHANNEL
                        .union(CREATE_PUBLIC_THREADS)
                        .union(SEND_MESSAGES_IN_THREADS)
                };
                let moderation = thread.pinned || thread.locked || moderated_tag(live, thread);
                (thread, needed, moderation)
            }
            Change::UpdateThread {
                before,
                after,
                message_id,
                ..
            } => {
                let mut needed = Permissions::VIEW_CHANNEL;
                if message_id.is_none() {
                    needed = needed.union(SEND_MESSAGES_IN_THREADS);
                }
                let moderation = before.pinned != after.pinned
                    || before.locked != after.locked
                    || (before.tags != after.tags && moderated_tag(live, after))
                    || (before.archived && before.locked);
                (after, needed, moderation)
            }
            Change::DeleteThread { thread, .. } => (thread, Permissions::VIEW_CHANNEL, true),
            _ => continue,
        };
        if moderation {
            needed = needed.union(MANAGE_THREADS);
        }
        let has = match thread.channel.channel {
            ChannelRef::Id(id) => in_channel(live, id, base),
            ChannelRef::New { .. } => base,
        };
        let missing = needed.difference(has);
        if !missing.is_empty() {
            refusals.push(Refusal {
                message: format!("{}: the bot lacks {missing} there", change.describe()),
                hint: "give the bot's role those permissions (server-wide, or in the channel's overwrites)".to_owned(),
            });
        }
    }
    refusals
}
