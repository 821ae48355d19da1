//! Hints about what the file probably meant: a channel moved without saying where it was, a
//! role or channel renamed without `previously`. Warnings only; the plan stays what the file
//! says.

use std::collections::HashSet;

use super::Differ;
use crate::model::{ChannelKind, LiveChannel, LiveRole};
use crate::plan::channel_label;

impl Differ<'_> {
    /// A channel whose name repeats is matched in its category only: a new one while a live
    /// channel of that name stays unmatched in another category is probably a move the file
    /// does not state.
    pub(super) fn move_hints(&self, warnings: &mut Vec<String>) {
        let matched: HashSet<usize> = self.channel_matches.iter().flatten().copied().collect();
        for (index, channel) in self.desired.channels.iter().enumerate() {
            if self.channel_matches[index].is_some()
                || channel.kind == ChannelKind::Category
                || self.replaced.values().any(|desired| *desired == index)
            {
                continue;
            }
            let elsewhere: Vec<&LiveChannel> = self
                .live
                .channels
                .iter()
                .enumerate()
                .filter(|(i, live)| {
                    !matched.contains(i)
                        && live.name == channel.name
                        && live.kind.family() == channel.kind.family()
                })
                .map(|(_, live)| live)
                .collect();
            let [live] = elsewhere.as_slice() else {
                continue;
            };
            let Some(category) = live.parent_id.and_then(|id| self.live.channel(id)) else {
                continue;
            };
            let target = match &channel.parent {
                Some(parent) => format!(" in \"{parent}\""),
                None => " outside categories".to_owned(),
            };
            warnings.push(format!(
                "{}{target} is created, while {} in \"{}\" is not matched (the name repeats, so channels are matched in their category): if it moved, add `previously = [{{ category = \"{}\", name = \"{}\" }}]`",
                channel_label(channel.kind, &channel.name),
                channel_label(live.kind, &live.name),
                category.name,
                category.name,
                live.name
            ));
        }
    }

    /// A declared role or channel that is created while an unmatched live one looks like it
    /// (a role with the same permissions and colour; a channel of its kind in the same place
    /// with the same topic) was probably renamed in the file without `previously`: without it,
    /// the old one is kept and the new one gets its access.
    pub(super) fn rename_hints(&self, warnings: &mut Vec<String>) {
        let matched_roles: HashSet<usize> = self.role_matches.iter().flatten().copied().collect();
        for (index, role) in self.desired.roles.iter().enumerate() {
            if self.role_matches[index].is_some() {
                continue;
            }
            let alike: Vec<&LiveRole> = self
                .live
                .roles
                .iter()
                .enumerate()
                .filter(|(i, live)| {
                    !live.managed
                        && !matched_roles.contains(i)
                        && live.settings.permissions == role.settings.permissions
                        && live.settings.color == role.settings.color
                })
                .map(|(_, live)| live)
                .collect();
            if let [old] = alike.as_slice() {
                warnings.push(format!(
                    "role \"{}\" [{}] is created, and the live role \"{}\" with the same permissions and colour is not in the file: did you rename \"{}\"? add `previously = [\"{}\"]` to role `{}`; otherwise its members lose the access the file gives the new role",
                    role.settings.name,
                    role.key,
                    old.settings.name,
                    old.settings.name,
                    old.settings.name,
                    role.key
                ));
            }
        }
        let matched: HashSet<usize> = self.channel_matches.iter().flatten().copied().collect();
        for (index, channel) in self.desired.channels.iter().enumerate() {
            let Some(topic) = &channel.settings.topic else {
                continue;
            };
            if self.channel_matches[index].is_some()
                || self.replaced.values().any(|desired| *desired == index)
            {
                continue;
            }
            let parent = channel
                .parent
                .as_deref()
                .and_then(|name| self.desired_category_index(name))
                .map(|category| self.channel_matches[category]);
            let alike: Vec<&LiveChannel> = self
                .live
                .channels
                .iter()
                .enumerate()
                .filter(|(i, live)| {
                    let place = match parent {
                        None => live.parent_id.is_none(),
                        Some(None) => false,
                        Some(Some(category)) => {
                            live.parent_id == Some(self.live.channels[category].id)
                        }
                    };
                    !matched.contains(i)
                        && place
                        && live.name != channel.name
                        && live.kind.family() == channel.kind.family()
                        && live.settings.topic.as_ref() == Some(topic)
                })
                .map(|(_, live)| live)
                .collect();
            if let [old] = alike.as_slice() {
                warnings.push(format!(
                    "{} is created, and {} in the same place with the same topic is not in the file: did you rename it? add `previously = [\"{}\"]`",
                    channel_label(channel.kind, &channel.name),
                    channel_label(old.kind, &old.name),
                    old.name
                ));
            }
        }
    }
}
