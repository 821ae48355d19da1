//! Preflight for invites and the widget: the permissions their requests need, checked before
//! any write (`channel.mdx` Create Channel Invite, Get Channel Invites; `invite.mdx` Delete
//! Invite; `guild.mdx` Modify Guild Widget).

use super::Refusal;
use crate::permissions::Permissions;
use crate::plan::{Change, Plan};

const CREATE_INSTANT_INVITE: Permissions = Permissions::from_bits(1);
const MANAGE_GUILD: Permissions = Permissions::from_bits(1 << 5);

/// What the bot lacks for the plan's invite and widget changes (`admin`: it lacks nothing).
pub(super) fn refusals(plan: &Plan, bot: Permissions, admin: bool) -> Vec<Refusal> {
    if admin {
        return Vec::new();
    }
    let mut refusals = Vec::new();
    for change in &plan.changes {
        let (needed, name) = match change {
            Change::CreateInvite { .. } => (CREATE_INSTANT_INVITE, "Create Invite"),
            Change::DeleteInvite { .. } => (Permissions::MANAGE_CHANNELS, "Manage Channels"),
            Change::UpdateWidget { .. } => (MANAGE_GUILD, "Manage Server"),
            _ => continue,
        };
        if !bot.contains(needed) {
            refusals.push(Refusal {
                message: format!(
                    "{}: needs {name}, which the bot does not have",
                    change.describe()
                ),
                hint: format!("give the bot's role {name} (Server Settings → Roles)"),
            });
        }
    }
    refusals
}
