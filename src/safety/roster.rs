//! Preflight for the staff roster: what Discord would refuse halfway through an apply, and
//! assignments that would lock the bot or the server out, refused at plan time instead.
//!
//! - every member a roster gives a role must be in the guild (Discord: 10007 Unknown Member);
//! - the bot assigns only roles strictly below its highest role, and needs Manage Roles (or
//!   Administrator; the owner bypasses both) (Discord: 50013);
//! - the bot's own assignment of a role that gives it its place or a permission it has from
//!   nowhere else is never removed (it would lose what it needs to manage the server);
//! - the last member holding an administrator role keeps it (a `members = []` by mistake would
//!   leave only the owner able to repair the server).

use super::Refusal;
use crate::model::{LiveGuild, RoleId, UserId};
use crate::permissions::Permissions;
use crate::plan::{Change, Plan, RoleRef};

pub(super) fn refusals(plan: &Plan, live: &LiveGuild) -> Vec<Refusal> {
    let roster: Vec<&Change> = plan
        .changes
        .iter()
        .filter(|change| crate::access::roster::is_roster(change))
        .collect();
    if roster.is_empty() {
        return Vec::new();
    }
    let mut refusals = Vec::new();
    let bot_is_owner = live.owner_id == live.bot.user_id;
    let bot_permissions = super::bot_permissions(live);
    let admin = bot_is_owner || bot_permissions.contains(Permissions::ADMINISTRATOR);
    if !admin && !bot_permissions.contains(Permissions::MANAGE_ROLES) {
        refusals.push(Refusal {
            message: format!(
                "{}: the bot lacks Manage Roles, which assigning roles needs",
                roster[0].describe()
            ),
            hint: "give the bot's role Manage Roles (Server Settings → Roles)".to_owned(),
        });
    }
    let highest = live.bot_highest_role_index();
    let bot_role_name = highest.map_or_else(
        || "(no role)".to_owned(),
        |i| live.roles[i].settings.name.clone(),
    );
    let out_of_reach = |id: RoleId| -> bool {
        let index = live.roles.iter().position(|role| role.id == id);
        !bot_is_owner
            && match (index, highest) {
                (Some(index), Some(highest)) => index <= highest,
                (Some(_), None) => true,
                (None, _) => false,
            }
    };
    let members = live.members.as_deref().unwrap_or_default();
    for change in &roster {
        let (Change::AssignRole { member, role, .. } | Change::UnassignRole { member, role, .. }) =
            change
        else {
            continue;
        };
        if let RoleRef::Id(id) = role.role
            && out_of_reach(id)
        {
            refusals.push(Refusal {
                message: format!(
                    "{}: the role \"{}\" is not below the bot's highest role",
                    change.describe(),
                    role.name
                ),
                hint: format!(
                    "in Server Settings → Roles, drag the bot's role \"{bot_role_name}\" above \"{}\" (a bot can only assign roles below its own highest role)",
                    role.name
                ),
            });
        }
        if matches!(change, Change::AssignRole { .. })
            && !members.iter().any(|live| live.id == member.id)
        {
            refusals.push(Refusal {
                message: format!(
                    "{}: {} is not a member of the server, so the role cannot be assigned",
                    change.describe(),
                    member.label()
                ),
                hint: "check the id in `members` (Developer Mode → right-click the user → Copy User ID), or have them join the server first".to_owned(),
            });
        }
        if let (Change::UnassignRole { .. }, RoleRef::Id(id)) = (change, &role.role)
            && member.id == live.bot.user_id
            && bot_needs(live, *id)
        {
            refusals.push(Refusal {
                message: format!(
                    "{}: that is the bot itself, and without \"{}\" it loses what it needs to manage the server",
                    change.describe(),
                    role.name
                ),
                hint: format!(
                    "add the bot to the roster of \"{}\": `{{ id = \"{}\", name = \"the bot\" }}`",
                    role.name, live.bot.user_id
                ),
            });
        }
    }
    refusals.extend(last_administrator(plan, live));
    refusals
}

/// Whether the bot's place or permissions depend on `role`: it is the bot's highest role, or
/// grants a permission the bot has from no other role.
fn bot_needs(live: &LiveGuild, role: RoleId) -> bool {
    if live.bot.user_id == live.owner_id {
        return false;
    }
    let highest = live.bot_highest_role_index().map(|i| live.roles[i].id);
    if highest == Some(role) {
        return true;
    }
    let without = live
        .roles
        .iter()
        .filter(|r| r.id != role && live.bot.role_ids.contains(&r.id))
        .fold(live.everyone_permissions, |acc, r| {
            acc.union(r.settings.permissions)
        });
    let with = super::bot_permissions(live);
    if without.contains(Permissions::ADMINISTRATOR) {
        return false;
    }
    !without.contains(with)
}

/// The plan takes every administrator role from the last person (not a bot) who holds one.
fn last_administrator(plan: &Plan, live: &LiveGuild) -> Vec<Refusal> {
    let Some(members) = &live.members else {
        return Vec::new();
    };
    let admin_role = |id: &RoleId| {
        live.role(*id)
            .is_some_and(|r| r.settings.permissions.contains(Permissions::ADMINISTRATOR))
    };
    let people = |member: &crate::model::roster::LiveMember| !member.bot;
    let before: Vec<UserId> = members
        .iter()
        .filter(|m| people(m) && m.roles.iter().any(admin_role))
        .map(|m| m.id)
        .collect();
    if before.is_empty() {
        return Vec::new();
    }
    let taken = |user: UserId, role: RoleId| {
        plan.changes.iter().any(|change| {
            matches!(change, Change::UnassignRole { member, role: pick, .. }
                if member.id == user && pick.role == RoleRef::Id(role))
        })
    };
    let given = plan.changes.iter().any(|change| {
        matches!(change, Change::AssignRole { member, permissions, .. }
            if permissions.contains(Permissions::ADMINISTRATOR)
                && members.iter().any(|m| m.id == member.id && people(m)))
    });
    let kept = members.iter().filter(|m| people(m)).any(|m| {
        m.roles
            .iter()
            .any(|role| admin_role(role) && !taken(m.id, *role))
    });
    if kept || given {
        return Vec::new();
    }
    let labels: Vec<String> = members
        .iter()
        .filter(|m| before.contains(&m.id))
        .map(|m| m.label())
        .collect();
    vec![Refusal {
        message: format!(
            "the plan takes administrator from everyone who holds it: {}",
            labels.join(", ")
        ),
        hint: "keep at least one person in the roster of an administrator role (only the server owner could repair the server otherwise)".to_owned(),
    }]
}

/// The change-size guard for the roster: taking rostered roles from more than `limit` members
/// at once (a `members` list emptied by mistake) needs `--force`.
pub(super) fn too_many_taken(plan: &Plan, limit: usize) -> Option<Refusal> {
    let taken = plan
        .changes
        .iter()
        .filter(|change| matches!(change, Change::UnassignRole { .. }))
        .count();
    (taken > limit).then(|| Refusal {
        message: format!(
            "the plan takes rostered roles from {taken} members at once (more than {limit} needs --force)"
        ),
        hint: "review the staff roster changes in the plan: if this is what you want, run again with --force".to_owned(),
    })
}
