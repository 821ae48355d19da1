//! Pins refused before any write: the bot needs PIN_MESSAGES (1 << 51, enforced apart from
//! MANAGE_MESSAGES since 2026-02-23) to pin or unpin, and a channel holds at most 250 pins
//! (Discord's error 30003). The live pin count is read only for channels where the file pins.

use super::Refusal;
use crate::model::LiveGuild;
use crate::permissions::Permissions;
use crate::plan::{Change, ChannelRef, Plan};

const PIN_MESSAGES: Permissions = Permissions::from_bits(1 << 51);

/// Pins per channel (`opcodes-and-status-codes.mdx`, 30003).
pub const PIN_LIMIT: i64 = 250;

pub(super) fn refusals(
    plan: &Plan,
    live: &LiveGuild,
    bot: Permissions,
    admin: bool,
) -> Vec<Refusal> {
    let mut refusals = Vec::new();
    let mut added: Vec<(ChannelRef, String, i64)> = Vec::new();
    for change in &plan.changes {
        let (channel, delta) = match change {
            Change::PinMessage { channel, pin, .. } => (channel, if *pin { 1 } else { -1 }),
            _ => continue,
        };
        if !admin && !bot.contains(PIN_MESSAGES) {
            refusals.push(Refusal {
                message: format!("{}: the bot lacks `pin_messages`", change.describe()),
                hint: "give the bot's role `pin_messages` (Discord no longer lets `manage_messages` pin), or remove `pin` from the message's front matter".to_owned(),
            });
        }
        match added.iter_mut().find(|(c, _, _)| *c == channel.channel) {
            Some((_, _, count)) => *count += delta,
            None => added.push((channel.channel.clone(), channel.name.clone(), delta)),
        }
    }
    for (channel, name, delta) in added {
        let pinned = match &channel {
            ChannelRef::Id(id) => live
                .community
                .messages
                .iter()
                .find(|m| m.channel == *id)
                .and_then(|m| m.pins)
                .unwrap_or(0),
            ChannelRef::New { .. } => 0,
        };
        let after = i64::try_from(pinned)
            .unwrap_or(i64::MAX)
            .saturating_add(delta);
        if after > PIN_LIMIT {
            refusals.push(Refusal {
                message: format!(
                    "#{name} would hold {after} pinned messages; Discord allows {PIN_LIMIT} per channel"
                ),
                hint: "unpin old messages in the channel first, or pin fewer of the file's messages".to_owned(),
            });
        }
    }
    refusals
}
