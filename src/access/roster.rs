//! The staff roster as access changes, in words: "user 1234 (alice) gains 🔴 Admin:
//! administrator". A gain opens up access (a `!` line, like a channel becoming visible); a loss
//! narrows it. Drift reads the same changes the other way round: a holder the file does not
//! list was given the role by hand.

use crate::permissions::Permissions;
use crate::plan::{AccessLine, Change, Plan};

/// The permissions that make a role powerful, in the order they are named: Discord's
/// "elevated" permissions (the ones that need 2FA when the server requires it) and a few more
/// that reach every member.
const POWERS: &[(Permissions, &str)] = &[
    (Permissions::from_bits(1 << 5), "manage_guild"),
    (Permissions::MANAGE_ROLES, "manage_roles"),
    (Permissions::MANAGE_CHANNELS, "manage_channels"),
    (Permissions::from_bits(1 << 29), "manage_webhooks"),
    (Permissions::from_bits(1 << 2), "ban_members"),
    (Permissions::from_bits(1 << 1), "kick_members"),
    (Permissions::from_bits(1 << 40), "moderate_members"),
    (Permissions::from_bits(1 << 13), "manage_messages"),
    (Permissions::from_bits(1 << 34), "manage_threads"),
    (Permissions::from_bits(1 << 30), "manage_guild_expressions"),
    (Permissions::from_bits(1 << 33), "manage_events"),
    (Permissions::from_bits(1 << 27), "manage_nicknames"),
    (Permissions::from_bits(1 << 7), "view_audit_log"),
    (Permissions::from_bits(1 << 17), "mention_everyone"),
];

/// `administrator`, or the powerful permissions a role grants (`manage_roles, ban_members`), or
/// `no moderation permissions`.
pub fn powers(permissions: Permissions) -> String {
    if permissions.contains(Permissions::ADMINISTRATOR) {
        return "administrator".to_owned();
    }
    let named: Vec<&str> = POWERS
        .iter()
        .filter(|(flag, _)| permissions.contains(*flag))
        .map(|(_, name)| *name)
        .collect();
    if named.is_empty() {
        "no moderation permissions".to_owned()
    } else {
        named.join(", ")
    }
}

/// Whether a role with these permissions is one `import` rosters: it can change the server
/// itself or who holds power in it.
pub fn is_staff(permissions: Permissions) -> bool {
    [
        Permissions::ADMINISTRATOR,
        Permissions::MANAGE_ROLES,
        Permissions::from_bits(1 << 5),
    ]
    .iter()
    .any(|flag| permissions.contains(*flag))
}

/// The plan's roster changes, as the plan's access lines.
pub fn plan_lines(plan: &Plan) -> Vec<AccessLine> {
    plan.changes
        .iter()
        .filter_map(|change| match change {
            Change::AssignRole {
                member,
                role,
                permissions,
            } => Some(AccessLine {
                text: format!(
                    "{} gains {}: {}",
                    member.label(),
                    role.name,
                    powers(*permissions)
                ),
                widens: true,
            }),
            Change::UnassignRole {
                member,
                role,
                permissions,
            } => Some(AccessLine {
                text: format!(
                    "{} loses {}: {}",
                    member.label(),
                    role.name,
                    powers(*permissions)
                ),
                widens: false,
            }),
            _ => None,
        })
        .collect()
}

/// The same changes as drift: what was done by hand.
pub fn drift_lines(plan: &Plan) -> Vec<AccessLine> {
    plan.changes
        .iter()
        .filter_map(|change| match change {
            Change::UnassignRole {
                member,
                role,
                permissions,
            } => Some(AccessLine {
                text: format!(
                    "{} holds {} ({}) but is not in its roster: given by hand",
                    member.label(),
                    role.name,
                    powers(*permissions)
                ),
                widens: true,
            }),
            Change::AssignRole { member, role, .. } => Some(AccessLine {
                text: format!(
                    "{} is in the roster of {} but does not hold it: taken away by hand",
                    member.label(),
                    role.name
                ),
                widens: false,
            }),
            _ => None,
        })
        .collect()
}

/// Whether a change is the roster's.
pub fn is_roster(change: &Change) -> bool {
    matches!(
        change,
        Change::AssignRole { .. } | Change::UnassignRole { .. }
    )
}
