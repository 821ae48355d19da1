//! The diff of posted messages: each part of a message file against the bot's own message at the
//! same place in its channel (oldest first).
//!
//! The file's part is rendered with live ids first (`{#rules}` → `<#id>` of the channel the file's
//! `rules` matched), then compared with the live message as Discord stores it: a renamed channel
//! keeps its id and its mentions stay right; a channel recreated under a new id shows the
//! message as stale. Mentions of objects this plan creates cannot be in the live text, so that
//! part changes, and the plan carries their tokens for apply to fill in ([`PendingMention`]).
//! Pins are compared only where the file says `pin` (absent: as moderators left it).

use super::Differ;
use crate::model::messages::{Mention, channel_mention, render, role_mention};
use crate::plan::{Change, ChannelRef, PendingMention, RoleRef};

impl Differ<'_> {
    pub(super) fn messages(&self, changes: &mut Vec<Change>) {
        for posted in &self.desired.community.messages {
            let channel = self.pick_desired_channel(&posted.channel);
            let own = match &channel.channel {
                ChannelRef::Id(id) => self
                    .live
                    .community
                    .messages
                    .iter()
                    .find(|m| m.channel == *id)
                    .map_or(&[][..], |m| m.own.as_slice()),
                ChannelRef::New { .. } => &[],
            };
            let of = posted.parts.len();
            for (index, part) in posted.parts.iter().enumerate() {
                let mut pending: Vec<PendingMention> = Vec::new();
                let mut labels: Vec<(String, String)> = Vec::new();
                let (content, look) =
                    render(&part.content, &part.look(), &part.mentions, |mention| {
                        let target = mention.map(
                            |key| self.pick_desired_channel(key).channel,
                            |key| self.role_ref(key),
                        );
                        match (&target, mention) {
                            (Mention::Channel(ChannelRef::Id(id)), Mention::Channel(key)) => {
                                let text = channel_mention(id.get());
                                let name = self.pick_desired_channel(key).name;
                                labels.push((text.clone(), format!("#{name}")));
                                return Some(text);
                            }
                            (Mention::Role(RoleRef::Id(id)), Mention::Role(key)) => {
                                let text = role_mention(id.get());
                                let name = self.pick_desired_role(key).name;
                                labels.push((text.clone(), format!("@{name}")));
                                return Some(text);
                            }
                            _ => {}
                        }
                        let token = part
                            .mentions
                            .iter()
                            .find(|m| m.target == *mention)
                            .map(|m| m.token.clone())
                            .unwrap_or_default();
                        pending.push(PendingMention { token, target });
                        None
                    });
                pending.sort();
                pending.dedup();
                labels.sort();
                labels.dedup();
                match own.get(index) {
                    Some(live) => {
                        if live.content != content || live.look != look {
                            changes.push(Change::EditMessage {
                                channel: channel.clone(),
                                source: posted.source.clone(),
                                part: index + 1,
                                of,
                                message_id: live.id,
                                before: live.content.clone(),
                                after: content,
                                before_look: live.look.clone(),
                                after_look: look,
                                mentions: pending,
                                labels,
                            });
                        }
                        if let Some(pin) = part.pin.filter(|pin| *pin != live.pinned) {
                            changes.push(Change::PinMessage {
                                channel: channel.clone(),
                                source: posted.source.clone(),
                                part: index + 1,
                                of,
                                message_id: Some(live.id),
                                pin,
                            });
                        }
                    }
                    None => {
                        changes.push(Change::PostMessage {
                            channel: channel.clone(),
                            source: posted.source.clone(),
                            part: index + 1,
                            of,
                            content,
                            look,
                            mentions: pending,
                            labels,
                        });
                        // One write per change: the pin is its own, after the post.
                        if part.pin == Some(true) {
                            changes.push(Change::PinMessage {
                                channel: channel.clone(),
                                source: posted.source.clone(),
                                part: index + 1,
                                of,
                                message_id: None,
                                pin: true,
                            });
                        }
                    }
                }
            }
            // The bot's own messages beyond what the file needs; others' are never touched.
            for live in own.iter().skip(of) {
                changes.push(Change::DeleteMessage {
                    channel: channel.clone(),
                    message_id: live.id,
                    content: live.content.clone(),
                });
            }
        }
    }
}
