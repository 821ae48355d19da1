//! Judging a plan before anything is written: preflight checks against what the bot may do,
//! and the change-size guard. Pure functions of the plan and the live guild; the CLI prints what
//! they return and writes nothing when there is any.
//!
//! Preflight follows Discord's permission hierarchy (`permissions.mdx`, "Permission Hierarchy"):
//! a bot edits, deletes and orders only roles strictly below its highest role, grants only
//! permissions it has itself (ADMINISTRATOR has them all), and the guild owner bypasses all of
//! it. Community-only features need the COMMUNITY feature after the plan's guild update.

mod after;
mod expressions;
mod invites;
mod pins;
mod roster;
mod threads;

use std::fmt;

use crate::model::{DesiredGuild, LiveGuild, RoleId};
use crate::permissions::Permissions;
use crate::plan::{Change, Plan, RoleRef, TargetRef};

/// A reason the plan cannot run as it is, found before any write.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Refusal {
    pub message: String,
    pub hint: String,
}

impl fmt::Display for Refusal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

/// Everything the bot could not do, or that would lock it out, as plan errors.
pub fn preflight(plan: &Plan, live: &LiveGuild) -> Vec<Refusal> {
    let mut refusals = Vec::new();
    let bot_is_owner = live.owner_id == live.bot.user_id;
    let bot_permissions = bot_permissions(live);
    let admin = bot_is_owner || bot_permissions.contains(Permissions::ADMINISTRATOR);
    let highest = live.bot_highest_role_index();
    let bot_role_name = highest.map_or_else(
        || "(no role)".to_owned(),
        |i| live.roles[i].settings.name.clone(),
    );
    // A live role the bot cannot edit: at or above its highest role (index 0 is the top).
    let out_of_reach = |id: RoleId| -> bool {
        if bot_is_owner {
            return false;
        }
        let index = live.roles.iter().position(|role| role.id == id);
        match (index, highest) {
            (Some(index), Some(highest)) => index <= highest,
            (Some(_), None) => true,
            (None, _) => false,
        }
    };
    let move_hint = |name: &str| {
        format!(
            "in Server Settings → Roles, drag the bot's role \"{bot_role_name}\" above \"{name}\" (a bot can only change roles below its own highest role)"
        )
    };

    for change in &plan.changes {
        match change {
            Change::UpdateRole { id, before, .. } | Change::DeleteRole { id, role: before }
                if out_of_reach(*id) =>
            {
                refusals.push(Refusal {
                    message: format!(
                        "{}: the role \"{}\" is not below the bot's highest role",
                        change.describe(),
                        before.name
                    ),
                    hint: move_hint(&before.name),
                });
            }
            Change::ReorderRoles { before, after } if !bot_is_owner => {
                // The roles at and above the bot's highest role must keep their order.
                let top = highest.map_or(0, |i| i + 1);
                let frozen = |list: &[crate::plan::Slot<RoleRef>]| -> Vec<RoleRef> {
                    list.iter()
                        .take(top)
                        .map(|slot| slot.reference.clone())
                        .collect()
                };
                if frozen(before) != frozen(after) {
                    let moved = after
                        .iter()
                        .take(top)
                        .find(|slot| {
                            !before
                                .iter()
                                .take(top)
                                .any(|old| old.reference == slot.reference)
                        })
                        .or_else(|| after.first())
                        .map_or_else(String::new, |slot| slot.name.clone());
                    refusals.push(Refusal {
                        message: format!("the role order in the file puts \"{moved}\" at or above the bot's highest role \"{bot_role_name}\""),
                        hint: format!(
                            "move the bot's role above every role in the file (Server Settings → Roles), or list \"{moved}\" lower"
                        ),
                    });
                }
            }
            _ => {}
        }
        if !admin {
            let granted = granted_permissions(change);
            let missing = granted.difference(bot_permissions);
            if !missing.is_empty() {
                refusals.push(Refusal {
                    message: format!("{}: grants {missing}, which the bot does not have", change.describe()),
                    hint: "Discord lets a bot grant only permissions it holds: give the bot's role those permissions (or Administrator)".to_owned(),
                });
            }
        }
    }

    if !after::community_after(plan, live) {
        use crate::model::ChannelKind::Announcement;
        // Announcement channels need the NEWS feature, which COMMUNITY brings.
        let news = live.features.iter().any(|feature| feature == "NEWS");
        for change in &plan.changes {
            let needs = match change {
                Change::CreateChannel { channel, .. } => {
                    channel.kind.needs_community() || (channel.kind == Announcement && !news)
                }
                Change::UpdateChannel { before, after, .. } => {
                    before.kind != after.kind
                        && (after.kind.needs_community() || (after.kind == Announcement && !news))
                }
                Change::UpdateWelcomeScreen { .. } | Change::UpdateOnboarding { .. } => true,
                _ => false,
            };
            if needs {
                refusals.push(Refusal {
                    message: format!("{}: needs the COMMUNITY feature, which the guild does not have", change.describe()),
                    hint: "set `community = true` in [guild] (with verification_level, explicit_content_filter, rules_channel and public_updates_channel), or enable Community in Server Settings".to_owned(),
                });
            }
        }
    }

    if !admin {
        refusals.extend(lockouts(plan, live, bot_permissions));
        refusals.extend(threads::refusals(plan, live, bot_permissions));
    }
    refusals.extend(expressions::refusals(plan, live, admin, bot_permissions));
    refusals.extend(after::refusals(plan, live));
    refusals.extend(invites::refusals(plan, bot_permissions, admin));
    refusals.extend(roster::refusals(plan, live));
    refusals.extend(pins::refusals(plan, live, bot_permissions, admin));
    refusals
}

/// Members the plan gives an overwrite they do not have yet, with the channel's label: Discord
/// refuses an overwrite for a user who is not in the guild (10013), so each is looked up before
/// any write (one read per member).
pub fn new_member_targets(plan: &Plan) -> Vec<(crate::model::UserId, String)> {
    let mut targets: Vec<(crate::model::UserId, String)> = Vec::new();
    let mut add = |after: &crate::plan::ChannelSpec, before: Option<&crate::plan::ChannelSpec>| {
        for overwrite in &after.overwrites {
            let TargetRef::Member(id) = overwrite.target else {
                continue;
            };
            let had =
                before.is_some_and(|b| b.overwrites.iter().any(|o| o.target == overwrite.target));
            if !had && !targets.iter().any(|(known, _)| *known == id) {
                targets.push((id, crate::plan::channel_label(after.kind, &after.name)));
            }
        }
    };
    for change in &plan.changes {
        match change {
            Change::CreateChannel { channel, .. } => add(channel, None),
            Change::UpdateChannel { before, after, .. } => add(after, Some(before)),
            _ => {}
        }
    }
    targets
}

/// The refusal for an overwrite that names a user who is not in the guild.
pub fn absent_member(id: crate::model::UserId, channel: &str) -> Refusal {
    Refusal {
        message: format!(
            "{channel}: the overwrite for member {id} names a user who is not in the server (Discord would refuse it: 10013)"
        ),
        hint: format!(
            "invite that user first, or remove `{{ member = \"{id}\", ... }}` from the file (a role is the durable way to grant access)"
        ),
    }
}

/// Deletions and replacements of protected objects (`protect = true` in the file, or a name
/// under `[protect]`), as plan errors. Names are compared with the live object's name as the plan
/// shows it (a channel replaced by another kind is deleted under its live name).
pub fn protected(plan: &Plan, desired: &DesiredGuild) -> Vec<Refusal> {
    let mut refusals = Vec::new();
    for change in &plan.changes {
        match change {
            Change::DeleteRole { role, .. } if desired.protect.roles.contains(&role.name) => {
                refusals.push(Refusal {
                    message: format!(
                        "{}: the role \"{}\" is protected",
                        change.describe(),
                        role.name
                    ),
                    hint: "protected roles are never deleted: declare the role in the file again (or keep it out of `[prune] roles`), or remove its name from `[protect] roles` / its `protect = true` first".to_owned(),
                });
            }
            Change::DeleteChannel {
                channel, reason, ..
            } if desired.protect.channels.contains(&channel.name) => {
                let label = crate::plan::channel_label(channel.kind, &channel.name);
                let (message, hint) = match reason {
                    crate::plan::DeleteReason::Replaced { by } => (
                        format!(
                            "{}: {label} is protected, and changing it to a {} replaces it (Discord cannot convert it, so it is deleted with its messages)",
                            change.describe(),
                            by.describe()
                        ),
                        format!(
                            "keep the {} kind in the file, or remove `protect = true` (and the name from `[protect] channels`) first",
                            channel.kind.describe()
                        ),
                    ),
                    crate::plan::DeleteReason::Pruned => (
                        format!("{}: {label} is protected", change.describe()),
                        "protected channels are never deleted: declare it in the file again, or remove its name from `[protect] channels` first".to_owned(),
                    ),
                };
                refusals.push(Refusal { message, hint });
            }
            Change::DeleteThread { thread, .. }
                if desired.protect.threads.contains(&thread.title) =>
            {
                refusals.push(Refusal {
                    message: format!("{}: the thread is protected", change.describe()),
                    hint: "protected threads are never deleted: declare it in `[[threads]]` again, or remove its title from `[protect] threads` first".to_owned(),
                });
            }
            _ => {}
        }
    }
    refusals
}

/// The bot's guild-wide permissions: `@everyone` and every role it holds.
fn bot_permissions(live: &LiveGuild) -> Permissions {
    live.roles
        .iter()
        .filter(|role| live.bot.role_ids.contains(&role.id))
        .fold(live.everyone_permissions, |acc, role| {
            acc.union(role.settings.permissions)
        })
}

/// The permission bits a change gives to anyone: role permissions added, and every bit an
/// overwrite allows or denies (Discord checks both).
fn granted_permissions(change: &Change) -> Permissions {
    let overwrite_bits = |overwrites: &[crate::plan::PlannedOverwrite]| {
        overwrites
            .iter()
            .fold(Permissions::NONE, |acc, o| acc.union(o.allow).union(o.deny))
    };
    match change {
        Change::CreateRole { role, .. } => role.permissions,
        Change::UpdateRole { before, after, .. } => {
            after.permissions.difference(before.permissions)
        }
        Change::UpdateEveryone { before, after } => after.difference(*before),
        Change::CreateChannel { channel, .. } => overwrite_bits(&channel.overwrites),
        Change::UpdateChannel {
            before,
            after,
            predicted_overwrites,
            ..
        } if !crate::plan::same_overwrites(
            predicted_overwrites
                .as_deref()
                .unwrap_or(&before.overwrites),
            &after.overwrites,
        ) =>
        {
            let before = crate::plan::predicted_before(before, predicted_overwrites.as_deref());
            // Discord checks the overwrites that are new or changed.
            let changed: Vec<crate::plan::PlannedOverwrite> = after
                .overwrites
                .iter()
                .filter(|o| !before.overwrites.iter().any(|b| b.same_effect(o)))
                .cloned()
                .collect();
            overwrite_bits(&changed)
        }
        _ => Permissions::NONE,
    }
}

/// Channels whose new overwrites would take from the bot the access it needs to manage them.
fn lockouts(plan: &Plan, live: &LiveGuild, base: Permissions) -> Vec<Refusal> {
    let mut refusals = Vec::new();
    let everyone = RoleRef::Id(live.everyone_role_id());
    for change in &plan.changes {
        let (name, overwrites) = match change {
            Change::CreateChannel { channel, .. } => (&channel.name, &channel.overwrites),
            Change::UpdateChannel { after, .. } => (&after.name, &after.overwrites),
            _ => continue,
        };
        let mut permissions = base;
        if let Some(o) = overwrites
            .iter()
            .find(|o| o.target == TargetRef::Role(everyone.clone()))
        {
            permissions = permissions.difference(o.deny).union(o.allow);
        }
        let (mut allow, mut deny) = (Permissions::NONE, Permissions::NONE);
        for o in overwrites {
            if let TargetRef::Role(RoleRef::Id(id)) = &o.target
                && live.bot.role_ids.contains(id)
            {
                allow = allow.union(o.allow);
                deny = deny.union(o.deny);
            }
        }
        permissions = permissions.difference(deny).union(allow);
        if let Some(o) = overwrites
            .iter()
            .find(|o| o.target == TargetRef::Member(live.bot.user_id))
        {
            permissions = permissions.difference(o.deny).union(o.allow);
        }
        let needed = Permissions::VIEW_CHANNEL
            .union(Permissions::MANAGE_CHANNELS)
            .union(Permissions::MANAGE_ROLES);
        if !permissions.contains(needed) {
            refusals.push(Refusal {
                message: format!(
                    "{}: the new overwrites would leave the bot without {} there, so it could no longer manage it",
                    crate::plan::channel_label(match change {
                        Change::CreateChannel { channel, .. } => channel.kind,
                        Change::UpdateChannel { after, .. } => after.kind,
                        _ => crate::model::ChannelKind::Text,
                    }, name),
                    needed.difference(permissions)
                ),
                hint: "allow view_channel, manage_channels and manage_roles to the bot's role in that channel's overwrites, or give the bot Administrator".to_owned(),
            });
        }
    }
    refusals
}

/// The change-size guard (after octoDNS): a plan that updates or deletes more than `max_share`
/// of the managed objects, once there are at least `min_objects`, needs `--force`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ChangeGuard {
    pub max_share: f64,
    pub min_objects: usize,
}

impl Default for ChangeGuard {
    fn default() -> Self {
        Self {
            max_share: 0.3,
            min_objects: 10,
        }
    }
}

impl ChangeGuard {
    /// `Some(refusal)` when the plan changes too much of what exists.
    pub fn judge(self, plan: &Plan) -> Option<Refusal> {
        if let Some(refusal) = roster::too_many_taken(plan, self.min_objects) {
            return Some(refusal);
        }
        let touched = plan
            .changes
            .iter()
            .filter(|change| {
                matches!(
                    change.kind(),
                    crate::plan::ChangeKind::Update | crate::plan::ChangeKind::Delete
                ) && matches!(
                    change,
                    Change::UpdateRole { .. }
                        | Change::DeleteRole { .. }
                        | Change::UpdateChannel { .. }
                        | Change::DeleteChannel { .. }
                )
            })
            .count();
        let managed = plan.managed;
        if managed < self.min_objects || managed == 0 {
            return None;
        }
        let share = touched as f64 / managed as f64;
        (share > self.max_share).then(|| Refusal {
            message: format!(
                "the plan updates or deletes {touched} of the {managed} existing objects the file manages ({:.0}%, more than the {:.0}% allowed at once)",
                share * 100.0,
                self.max_share * 100.0
            ),
            hint: "review the plan: if this is what you want, run again with --force".to_owned(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{ChannelKind, ChannelSettings, GuildId, Protect, RoleSettings};
    use crate::plan::{ChannelSpec, DeleteReason};

    fn spec(kind: ChannelKind, name: &str) -> ChannelSpec {
        ChannelSpec {
            name: name.into(),
            kind,
            parent: None,
            settings: ChannelSettings::defaults_for(kind),
            overwrites: vec![],
            synced: false,
            tag_ids: vec![],
        }
    }

    #[test]
    fn deleting_or_replacing_a_protected_object_is_refused_by_name() {
        let plan = Plan {
            guild_id: GuildId::new(1),
            guild_name: "Test".into(),
            sandbox: false,
            changes: vec![
                Change::DeleteRole {
                    id: RoleId::new(10),
                    role: RoleSettings::named("Owner"),
                },
                Change::DeleteRole {
                    id: RoleId::new(11),
                    role: RoleSettings::named("Old"),
                },
                Change::DeleteChannel {
                    id: crate::model::ChannelId::new(20),
                    channel: spec(ChannelKind::Voice, "Town Hall"),
                    reason: DeleteReason::Replaced {
                        by: ChannelKind::Stage,
                    },
                },
                Change::DeleteChannel {
                    id: crate::model::ChannelId::new(21),
                    channel: spec(ChannelKind::Text, "rules"),
                    reason: DeleteReason::Pruned,
                },
                Change::DeleteChannel {
                    id: crate::model::ChannelId::new(22),
                    channel: spec(ChannelKind::Text, "tmp"),
                    reason: DeleteReason::Pruned,
                },
            ],
            kept: vec![],
            warnings: vec![],
            managed: 5,
            access: vec![],
            partial: false,
            targets: vec![],
        };
        let desired = DesiredGuild {
            protect: Protect {
                roles: vec!["Owner".into()],
                channels: vec!["Town Hall".into(), "rules".into()],
                threads: Vec::new(),
            },
            ..DesiredGuild::default()
        };
        let messages: Vec<String> = protected(&plan, &desired)
            .iter()
            .map(|refusal| refusal.message.clone())
            .collect();
        assert_eq!(messages.len(), 3, "{messages:#?}");
        assert!(
            messages[0].contains("\"Owner\" is protected"),
            "{messages:#?}"
        );
        assert!(messages[1].contains("Town Hall"), "{messages:#?}");
        assert!(messages[1].contains("replaces it"), "{messages:#?}");
        assert!(messages[2].contains("#rules is protected"), "{messages:#?}");
        assert!(protected(&plan, &DesiredGuild::default()).is_empty());
    }
}
