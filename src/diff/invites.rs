//! The diff of the server's doors: invites, the widget, the vanity code.
//!
//! Invites are matched by channel and settings among the **bot's own** invites (a member's
//! invite with the same settings is theirs, not the file's). Discord cannot edit an invite, so a
//! declared invite with no match is created, and a bot invite in the same channel that no longer
//! matches anything is its predecessor: the plan says "replaces" and deletes it after the new one
//! exists. Other bot invites the file no longer declares are deleted; members' invites are
//! counted as kept, or deleted when the file prunes invites. Nothing happens to invites when the
//! file neither declares nor prunes any (they are not even read), nor to invites to channels
//! `[ignore]` leaves out.
//!
//! The vanity code can only be read through the API: a difference is a warning that says where
//! to change it, never a change.

use std::collections::BTreeMap;

use super::Differ;
use crate::model::invites::{Invite, LiveInvite, Widget};
use crate::plan::{
    Change, ChannelRef, InviteDeleteReason, InviteSpec, Kept, WidgetSpec, invite_label, pick_label,
};

impl Differ<'_> {
    /// Creates and the widget go to `changes`, deletes to `deletes` (run last, so a replacing
    /// invite exists before the old one goes).
    pub(super) fn invite_changes(
        &self,
        changes: &mut Vec<Change>,
        deletes: &mut Vec<Change>,
        kept: &mut Vec<Kept>,
        warnings: &mut Vec<String>,
    ) {
        self.invites(changes, deletes, kept, warnings);
        self.widget(changes);
        self.vanity(warnings);
    }

    fn invites(
        &self,
        changes: &mut Vec<Change>,
        deletes: &mut Vec<Change>,
        kept: &mut Vec<Kept>,
        warnings: &mut Vec<String>,
    ) {
        let declared = &self.desired.community.invites.invites;
        let prune = self.desired.prune.invites;
        if declared.is_empty() && !prune {
            return;
        }
        // Invites to channels the guild does not show (ignored ones, `[ignore] channels`) are
        // left out, as those channels are.
        let live: Vec<&LiveInvite> = self
            .live
            .community
            .invites
            .invites
            .iter()
            .filter(|invite| self.live.channel(invite.invite.channel).is_some())
            .collect();
        let live = live.as_slice();
        if !declared.is_empty() && self.live.has_feature("INVITES_DISABLED") {
            warnings.push(
                "invites are paused on this server (INVITES_DISABLED): nobody can join through the file's invites until they are resumed in Server Settings → Invites".to_owned(),
            );
        }
        let bot = self.live.bot.user_id;
        let is_bots = |invite: &LiveInvite| invite.inviter == Some(bot);
        let mut matched = vec![false; live.len()];
        let mut creates: Vec<InviteSpec> = Vec::new();
        for wanted in declared {
            let channel = self.pick_desired_channel(&wanted.channel);
            let found = match channel.channel {
                ChannelRef::Id(id) => live.iter().enumerate().position(|(index, invite)| {
                    !matched[index]
                        && is_bots(invite)
                        && invite.invite.channel == id
                        && wanted.same_settings(&invite.invite)
                }),
                ChannelRef::New { .. } => None,
            };
            match found {
                Some(index) => matched[index] = true,
                None => creates.push(Invite {
                    channel,
                    max_age: wanted.max_age,
                    max_uses: wanted.max_uses,
                    temporary: wanted.temporary,
                }),
            }
        }
        // The bot's invites left over: the first in a channel that gets a new invite is
        // replaced by it; the others are no longer in the file.
        let mut leftovers: Vec<usize> = (0..live.len())
            .filter(|index| !matched[*index] && is_bots(live[*index]))
            .collect();
        for create in creates {
            let replaced = match create.channel.channel {
                ChannelRef::Id(id) => leftovers
                    .iter()
                    .position(|index| live[*index].invite.channel == id)
                    .map(|at| leftovers.remove(at)),
                ChannelRef::New { .. } => None,
            };
            let replaces = replaced.map(|index| {
                let old = self.live_invite_spec(live[index]);
                warnings.push(format!(
                    "the new {} replaces the bot's invite there ({}): Discord cannot edit an invite, so its link changes; update where the old link is published (`miyabi-guild invites` shows the new one)",
                    invite_label(&create),
                    old.describe_settings()
                ));
                deletes.push(self.delete_invite(live[index], InviteDeleteReason::Replaced));
                old
            });
            changes.push(Change::CreateInvite {
                invite: create,
                replaces,
            });
        }
        for index in leftovers {
            let change = self.delete_invite(live[index], InviteDeleteReason::NotInFile);
            warnings.push(format!(
                "the bot's {} is no longer in the file and will be deleted: its link stops working",
                invite_label(&self.live_invite_spec(live[index]))
            ));
            deletes.push(change);
        }
        let mut members: BTreeMap<String, usize> = BTreeMap::new();
        for (index, invite) in live.iter().enumerate() {
            if matched[index] || is_bots(invite) {
                continue;
            }
            if prune {
                deletes.push(self.delete_invite(invite, InviteDeleteReason::Pruned));
            } else {
                let channel = pick_label(&self.pick_live_channel(invite.invite.channel));
                *members.entry(channel).or_default() += 1;
            }
        }
        if prune {
            let pruned = deletes
                .iter()
                .filter(|change| {
                    matches!(
                        change,
                        Change::DeleteInvite {
                            reason: InviteDeleteReason::Pruned,
                            ..
                        }
                    )
                })
                .count();
            if pruned > 0 {
                warnings.push(format!(
                    "{pruned} invite{} made by members will be deleted (invites are pruned): their links stop working",
                    if pruned == 1 { "" } else { "s" }
                ));
            }
        }
        kept.extend(
            members
                .into_iter()
                .map(|(channel, count)| Kept::Invites { channel, count }),
        );
    }

    fn live_invite_spec(&self, invite: &LiveInvite) -> InviteSpec {
        Invite {
            channel: self.pick_live_channel(invite.invite.channel),
            max_age: invite.invite.max_age,
            max_uses: invite.invite.max_uses,
            temporary: invite.invite.temporary,
        }
    }

    fn delete_invite(&self, invite: &LiveInvite, reason: InviteDeleteReason) -> Change {
        Change::DeleteInvite {
            invite: self.live_invite_spec(invite),
            inviter: invite.inviter,
            created_at: invite.created_at.clone(),
            reason,
        }
    }

    fn widget(&self, changes: &mut Vec<Change>) {
        let Some(wanted) = &self.desired.community.invites.widget else {
            return;
        };
        let after: WidgetSpec = Widget {
            enabled: wanted.enabled,
            channel: wanted
                .channel
                .as_ref()
                .map(|key| self.pick_desired_channel(key)),
        };
        let live = self
            .live
            .community
            .invites
            .widget
            .clone()
            .unwrap_or(Widget {
                enabled: false,
                channel: None,
            });
        let before: WidgetSpec = Widget {
            enabled: live.enabled,
            channel: live.channel.map(|id| self.pick_live_channel(id)),
        };
        if before != after {
            changes.push(Change::UpdateWidget { before, after });
        }
    }

    fn vanity(&self, warnings: &mut Vec<String>) {
        let Some(code) = &self.desired.community.invites.vanity else {
            return;
        };
        if !self.live.has_feature("VANITY_URL") {
            warnings.push(format!(
                "the file's vanity code `{code}` cannot be used: the server has no vanity URL (the VANITY_URL feature comes with boost level 3 or partnership)"
            ));
            return;
        }
        let live = self.live.community.invites.vanity.as_deref();
        if live != Some(code.as_str()) {
            let now = live.map_or_else(|| "none".to_owned(), |live| format!("`{live}`"));
            warnings.push(format!(
                "the server's vanity code is {now}, the file says `{code}`: Discord's API cannot change it; set it in Server Settings → Custom Invite Link"
            ));
        }
    }
}
