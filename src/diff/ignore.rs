//! `[ignore]`: live objects left out of management entirely.
//!
//! The diff never sees an ignored object as something to match, keep, prune or reorder:
//! [`without_ignored`] takes it out of the live guild before [`plan`](super::plan) lines the two
//! sides up.
//!
//! - Ignored channels (and every channel in an ignored category) are removed. Reorders list only
//!   the channels they touch, so an ignored channel keeps its position number; the managed
//!   siblings get distinct positions in the file's order, so their relative order converges
//!   whatever position the ignored channel holds.
//! - Ignored roles are kept in the list but treated like integration roles (`managed`): never
//!   matched, kept, pruned or edited. They stay in the role order, in their place, because the
//!   role reorder is one bulk list of every role and the preflight reads the bot's place in it.
//!
//! Known limit: an overwrite naming an ignored role on a *managed* channel is still compared like
//! any other overwrite (the file cannot name the role, so the plan removes it).

use crate::model::{ChannelKind, Ignore, LiveGuild};

/// `live` without the objects `ignore` matches by name (see the module doc for what "without"
/// means for roles and channels).
pub fn without_ignored(live: &LiveGuild, ignore: &Ignore) -> LiveGuild {
    let mut live = live.clone();
    if ignore.is_empty() {
        return live;
    }
    for role in &mut live.roles {
        if ignore.role(&role.settings.name).is_some() {
            role.managed = true;
        }
    }
    let ignored_categories: Vec<_> = live
        .channels
        .iter()
        .filter(|channel| {
            channel.kind == ChannelKind::Category && ignore.channel(&channel.name).is_some()
        })
        .map(|channel| channel.id)
        .collect();
    live.channels.retain(|channel| {
        ignore.channel(&channel.name).is_none()
            && !channel
                .parent_id
                .is_some_and(|parent| ignored_categories.contains(&parent))
    });
    live
}
