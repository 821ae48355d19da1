//! Import of the server's doors: the bot's own invites, the widget, the vanity code.
//!
//! Only the bot's invites are written (members' invites are theirs: a plan keeps them). The
//! widget is written when it is on or names a channel; the vanity code when the guild has one.
//! Codes of invites are never written: `miyabi-guild invites` shows the links.

use std::collections::HashSet;

use super::{Importer, string};
use crate::config::names::NOT_CATEGORY;
use crate::model::invites::{MAX_AGE_MAX, MAX_USES_MAX};

impl Importer<'_> {
    pub(super) fn invites(&mut self) {
        let live = self.live;
        let doors = &live.community.invites;
        let bot = live.bot.user_id;
        let own: Vec<_> = doors
            .invites
            .iter()
            .filter(|invite| invite.inviter == Some(bot))
            .collect();
        if !own.is_empty() {
            self.line("");
            self.line(
                "# The bot's invites, matched by channel and settings. Their links are written by",
            );
            self.line("# `miyabi-guild invites --out FILE`, never here.");
        }
        let mut seen = HashSet::new();
        for invite in own {
            self.line("");
            let settings = &invite.invite;
            let channel = self.written_reference(settings.channel, NOT_CATEGORY);
            let reason = if settings.max_age > MAX_AGE_MAX || settings.max_uses > MAX_USES_MAX {
                Some("its settings are beyond what the API creates".to_owned())
            } else if !seen.insert(settings.clone()) {
                Some("the bot has another invite alike (a plan deletes this one)".to_owned())
            } else {
                channel.as_ref().err().cloned()
            };
            if let Some(reason) = reason {
                self.line(format!(
                    "# Not managed: an invite to channel {} ({}): {reason}.",
                    settings.channel,
                    settings.describe_settings()
                ));
                continue;
            }
            self.line("[[invites]]");
            self.line(format!(
                "channel = {}",
                string(&channel.unwrap_or_default())
            ));
            self.line(format!(
                "max_age = {}{}",
                settings.max_age,
                if settings.max_age == 0 {
                    "    # never expires"
                } else {
                    ""
                }
            ));
            self.line(format!(
                "max_uses = {}{}",
                settings.max_uses,
                if settings.max_uses == 0 {
                    "   # unlimited"
                } else {
                    ""
                }
            ));
            if settings.temporary {
                self.line("temporary = true");
            }
        }
        if let Some(widget) = &doors.widget
            && (widget.enabled || widget.channel.is_some())
        {
            self.line("");
            let channel = widget
                .channel
                .map(|id| self.written_reference(id, NOT_CATEGORY));
            match channel {
                Some(Err(reason)) => {
                    self.line(format!("# Not managed: the server widget: {reason}."));
                }
                channel => {
                    self.line("[widget]");
                    self.line(format!("enabled = {}", widget.enabled));
                    if let Some(Ok(channel)) = channel {
                        self.line(format!("channel = {}", string(&channel)));
                    }
                }
            }
        }
        if let Some(code) = &doors.vanity {
            self.line("");
            self.line("[vanity]                           # set in Server Settings; the API only reads it");
            self.line(format!("code = {}", string(code)));
        }
    }
}
