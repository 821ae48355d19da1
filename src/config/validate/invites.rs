//! `[[invites]]`, `[widget]` and `[vanity]`: the server's doors.
//!
//! Limits from `channel.mdx` (Create Channel Invite: `max_age` 0-604800, `max_uses` 0-100) and
//! `guild.mdx` (widget settings; the vanity code, which the API only reads). Invites are
//! identified by channel and settings, so two alike are one invite written twice: an error.

use std::ops::Range;

use super::Validator;
use crate::config::names::NOT_CATEGORY;
use crate::config::raw::{RawFile, Sp};
use crate::model::invites::{DesiredInvites, Invite, MAX_AGE_MAX, MAX_USES_MAX, Widget};
use crate::model::{ChannelKey, DesiredChannel};

/// Vanity codes: Discord's client allows lowercase letters, digits and `-` [inferred: the API
/// docs give no limit; 2-32 is what the client accepts].
const VANITY_MIN: usize = 2;
const VANITY_MAX: usize = 32;

impl Validator<'_> {
    pub(super) fn invites(
        &mut self,
        raw: &RawFile,
        channels: &[DesiredChannel],
    ) -> DesiredInvites<ChannelKey> {
        let mut invites: Vec<Invite<ChannelKey>> = Vec::new();
        let mut lines: Vec<Range<usize>> = Vec::new();
        for entry in raw.invites.as_deref().unwrap_or_default() {
            let written = &entry.value;
            let channel = written.channel.as_ref().and_then(|name| {
                self.channel_named(name, "an invite's channel", NOT_CATEGORY, channels)
            });
            let max_age = self.bounded(
                written.max_age.as_ref(),
                "max_age",
                MAX_AGE_MAX,
                "seconds (7 days)",
                "0 never expires",
            );
            let max_uses = self.bounded(
                written.max_uses.as_ref(),
                "max_uses",
                MAX_USES_MAX,
                "uses",
                "0 is unlimited",
            );
            let temporary = written.temporary.as_ref().is_some_and(|flag| flag.value);
            let (Some(channel), Some(max_age), Some(max_uses)) = (channel, max_age, max_uses)
            else {
                continue;
            };
            let invite = Invite {
                channel,
                max_age,
                max_uses,
                temporary,
            };
            if let Some(first) = invites.iter().position(|other| *other == invite) {
                let line = self.line_of(&lines[first]);
                self.error(
                    format!(
                        "this invite to `{}` ({}) is declared twice",
                        invite.channel.name,
                        invite.describe_settings()
                    ),
                    entry.span.clone(),
                )
                .hint = Some(format!(
                    "the first is on line {line}; invites are matched by channel and settings, so one invite serves every place its link is published"
                ));
                continue;
            }
            invites.push(invite);
            lines.push(entry.span.clone());
        }
        let widget = raw.widget.as_ref().map(|widget| {
            let channel = widget
                .value
                .channel
                .as_ref()
                .filter(|name| !name.value.is_empty())
                .and_then(|name| {
                    self.channel_named(name, "the widget's channel", NOT_CATEGORY, channels)
                });
            Widget {
                enabled: widget.value.enabled.as_ref().is_some_and(|flag| flag.value),
                channel,
            }
        });
        let vanity = raw
            .vanity
            .as_ref()
            .and_then(|vanity| vanity.value.code.as_ref())
            .and_then(|code| self.vanity_code(code));
        DesiredInvites {
            invites,
            widget,
            vanity,
        }
    }

    /// A whole number from 0 to `max`; a value left out is 0.
    fn bounded(
        &mut self,
        value: Option<&Sp<i64>>,
        key: &str,
        max: u32,
        unit: &str,
        zero: &str,
    ) -> Option<u32> {
        let Some(value) = value else {
            return Some(0);
        };
        match u32::try_from(value.value) {
            Ok(number) if number <= max => Some(number),
            _ => {
                self.error(
                    format!(
                        "`{key}` is {}; Discord allows 0 to {max} {unit}",
                        value.value
                    ),
                    value.span.clone(),
                )
                .hint = Some(format!("write a value from 0 to {max} ({zero})"));
                None
            }
        }
    }

    fn vanity_code(&mut self, code: &Sp<String>) -> Option<String> {
        let text = code.value.as_str();
        let length = text.chars().count();
        let allowed = text
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
        if (VANITY_MIN..=VANITY_MAX).contains(&length) && allowed {
            return Some(text.to_owned());
        }
        let hint = if text.starts_with("discord.gg/") || text.starts_with("https://") {
            format!(
                "write the code alone: `\"{}\"`",
                text.rsplit('/').next().unwrap_or_default().to_lowercase()
            )
        } else {
            format!("{VANITY_MIN}-{VANITY_MAX} lowercase letters, digits and `-`")
        };
        self.error(format!("`{text}` is not a vanity code"), code.span.clone())
            .hint = Some(hint);
        None
    }
}
