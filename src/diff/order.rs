//! Order: the after-state order of each list is simulated from live positions and creations
//! (which land at the bottom); when the relative order of the *managed* siblings differs from
//! the file's, one reorder is planned for that list, refilling only the managed slots so
//! unmanaged objects keep their places.

use std::collections::{BTreeMap, HashMap, HashSet};

use super::Differ;
use crate::model::{ChannelKind, LiveChannel, LiveRole, RoleId, SortBucket};
use crate::plan::{Change, ChannelRef, ChannelSpec, ParentSpec, RoleRef, Slot};

impl Differ<'_> {
    pub(super) fn role_reorder(&self, deleted: &[&LiveRole]) -> Option<Change> {
        let deleted: HashSet<RoleId> = deleted.iter().map(|role| role.id).collect();
        let managed_by_live: HashMap<usize, usize> = self
            .role_matches
            .iter()
            .enumerate()
            .filter_map(|(desired, live)| live.map(|live| (live, desired)))
            .collect();
        // (reference, name, desired index if declared) in the order Discord will show after creates.
        let mut simulated: Vec<(RoleRef, String, Option<usize>)> = self
            .live
            .roles
            .iter()
            .enumerate()
            .filter(|(_, role)| !deleted.contains(&role.id))
            .map(|(index, role)| {
                let desired = managed_by_live.get(&index).copied();
                let name = desired.map_or_else(
                    || role.settings.name.clone(),
                    |d| self.desired.roles[d].settings.name.clone(),
                );
                (RoleRef::Id(role.id), name, desired)
            })
            .collect();
        for (index, role) in self.desired.roles.iter().enumerate() {
            if self.role_matches[index].is_none() {
                simulated.push((
                    RoleRef::New(role.key.clone()),
                    role.settings.name.clone(),
                    Some(index),
                ));
            }
        }
        let after = refill_managed_slots(&simulated)?;
        Some(Change::ReorderRoles {
            before: slots(&simulated),
            after: slots(&after),
        })
    }

    /// The reorders still needed after creates, and the position each create (in creation
    /// order) sends so that it lands in its place: a list is reordered only when positions sent
    /// with the creates cannot put its managed channels in file order.
    pub(super) fn channel_reorders(
        &self,
        specs: &[ChannelSpec],
        deleted: &[&LiveChannel],
    ) -> (Vec<Change>, Vec<Option<i64>>) {
        let deleted: HashSet<u64> = deleted.iter().map(|channel| channel.id.get()).collect();
        let desired_by_live: HashMap<usize, usize> = self
            .channel_matches
            .iter()
            .enumerate()
            .filter_map(|(desired, live)| live.map(|live| (live, desired)))
            .collect();

        // Every channel as it will be after creates, moves and deletes, grouped by list.
        type Entry = ((u8, i64, u64), ChannelRef, String, Option<usize>);
        let mut lists: BTreeMap<(Option<ChannelRef>, SortBucket), Vec<Entry>> = BTreeMap::new();
        for (index, channel) in self.live.channels.iter().enumerate() {
            if deleted.contains(&channel.id.get()) {
                continue;
            }
            let desired = desired_by_live.get(&index).copied();
            let (parent, name) = match desired {
                Some(d) => (
                    specs[d].parent.as_ref().map(|p| p.channel.clone()),
                    specs[d].name.clone(),
                ),
                None => (
                    channel
                        .parent_id
                        .filter(|id| !deleted.contains(&id.get()))
                        .map(ChannelRef::Id),
                    channel.name.clone(),
                ),
            };
            let key = (0, channel.position, channel.id.get());
            lists
                .entry((parent, channel.kind.sort_bucket()))
                .or_default()
                .push((key, ChannelRef::Id(channel.id), name, desired));
        }
        let (before_guild, after_guild) = self.creation_order(specs);
        let creations = before_guild
            .into_iter()
            .chain(after_guild)
            .map(|index| (index, &specs[index]));
        let mut positions = Vec::new();
        for (sequence, (index, spec)) in creations.enumerate() {
            positions.push(None);
            let parent = spec.parent.as_ref().map(|p| p.channel.clone());
            let key = (1, sequence as i64, 0);
            lists
                .entry((parent, spec.kind.sort_bucket()))
                .or_default()
                .push((key, self.channel_ref(index), spec.name.clone(), Some(index)));
        }

        // Lists in the file's order: top level first, then each category as declared.
        let mut order: Vec<(Option<ChannelRef>, SortBucket)> = Vec::new();
        for bucket in [
            SortBucket::Category,
            SortBucket::TextLike,
            SortBucket::VoiceLike,
        ] {
            order.push((None, bucket));
        }
        for (index, spec) in specs.iter().enumerate() {
            if spec.kind == ChannelKind::Category {
                for bucket in [SortBucket::TextLike, SortBucket::VoiceLike] {
                    order.push((Some(self.channel_ref(index)), bucket));
                }
            }
        }

        let mut changes = Vec::new();
        for list_key in order {
            let Some(mut list) = lists.remove(&list_key) else {
                continue;
            };
            list.sort_by_key(|entry| entry.0);
            let keys: Vec<(u8, i64, u64)> = list.iter().map(|entry| entry.0).collect();
            let simulated: Vec<(ChannelRef, String, Option<usize>)> = list
                .into_iter()
                .map(|(_, reference, name, desired)| (reference, name, desired))
                .collect();
            let Some(after) = refill_managed_slots(&simulated) else {
                continue;
            };
            if let Some(placed) = creation_positions(&keys, &simulated, &after) {
                for (sequence, position) in placed {
                    positions[sequence] = Some(position);
                }
                continue;
            }
            let (parent, bucket) = list_key;
            let parent = parent.map(|reference| {
                let name = specs
                    .iter()
                    .enumerate()
                    .find(|(index, _)| self.channel_ref(*index) == reference)
                    .map(|(_, spec)| spec.name.clone())
                    .unwrap_or_default();
                ParentSpec {
                    channel: reference,
                    name,
                    category: None,
                }
            });
            changes.push(Change::ReorderChannels {
                parent,
                bucket,
                before: slots(&simulated),
                after: slots(&after),
            });
        }
        (changes, positions)
    }
}

/// Positions for the creates of one list that make Discord's order (position, then id) equal
/// to `after`, as `(creation sequence, position)`; `None` when no positions can (live channels
/// out of order, or no room between two live positions), and the list is reordered instead.
///
/// Discord stores a create's `position` as sent, moves no other channel, and sorts equal
/// positions by id (`channel.mdx`, Create Guild Channel: "channels with the same position are
/// sorted by id"; discord.js#3534). A new channel's id is above every live one and the creates
/// of one list run in plan order (`apply/order.rs`), so ids follow the creation sequence.
/// Positions start at 1: some clients treat a position of 0 as unset (discord.js#3982).
fn creation_positions<R: PartialEq>(
    keys: &[(u8, i64, u64)],
    before: &[(R, String, Option<usize>)],
    after: &[(R, String, Option<usize>)],
) -> Option<Vec<(usize, i64)>> {
    let mut placed = Vec::new();
    // The sort key of the previous entry: (position, new?, id or creation sequence).
    let mut previous: Option<(i64, bool, u64)> = None;
    for entry in after {
        let from = before.iter().position(|b| b.0 == entry.0)?;
        let (created, value, id) = keys[from];
        let key = if created == 1 {
            let sequence = value as u64;
            let position = match previous {
                None => 1,
                Some((position, false, _)) => position.max(1),
                Some((position, true, last)) if sequence > last => position,
                Some((position, true, _)) => position + 1,
            };
            placed.push((sequence as usize, position));
            (position, true, sequence)
        } else {
            let key = (value, false, id);
            if previous.is_some_and(|previous| previous >= key) {
                return None;
            }
            key
        };
        previous = Some(key);
    }
    Some(placed)
}

/// When the declared objects of `list` (those with a desired index) are not in file order,
/// returns the list with only their slots refilled in file order; `None` when already in order.
fn refill_managed_slots<R: Clone>(
    list: &[(R, String, Option<usize>)],
) -> Option<Vec<(R, String, Option<usize>)>> {
    let mut declared: Vec<&(R, String, Option<usize>)> =
        list.iter().filter(|entry| entry.2.is_some()).collect();
    if declared.windows(2).all(|pair| pair[0].2 < pair[1].2) {
        return None;
    }
    declared.sort_by_key(|entry| entry.2);
    let mut declared = declared.into_iter();
    Some(
        list.iter()
            .map(|entry| match entry.2 {
                Some(_) => declared.next().cloned().unwrap_or_else(|| entry.clone()),
                None => entry.clone(),
            })
            .collect(),
    )
}

/// A simulated list as the plan shows it: declared entries are the managed slots.
fn slots<R: Clone>(list: &[(R, String, Option<usize>)]) -> Vec<Slot<R>> {
    list.iter()
        .map(|(reference, name, desired)| Slot {
            reference: reference.clone(),
            name: name.clone(),
            managed: desired.is_some(),
        })
        .collect()
}

#[cfg(test)]
mod tests;
