//! The staff roster, compared: for each rostered role, who must gain it and who must lose it.
//!
//! Pure: the file's members against the live holders (`LiveGuild::members`). A role created in
//! this run has no holders yet, so everyone it lists gains it (the executor waits for the
//! create). Roles without `roster = true` are not looked at. Order: the file's role order,
//! every gain, then every loss, each in the file's role order (gains in the roster's order,
//! losses by user id).

use super::Differ;
use crate::model::roster::RosterMember;
use crate::plan::{Change, RolePick, RoleRef};

impl Differ<'_> {
    pub(super) fn roster_changes(&self, changes: &mut Vec<Change>) {
        let mut losses = Vec::new();
        // Not read means not planned: `live::Scope::of` reads the list whenever the file
        // rosters a role.
        let Some(members) = &self.live.members else {
            return;
        };
        for rostered in &self.desired.roster {
            let Some(role) = self.desired.roles.iter().find(|r| r.key == rostered.key) else {
                continue;
            };
            let reference = self.role_ref(&rostered.key);
            let pick = RolePick {
                role: reference.clone(),
                name: role.settings.name.clone(),
            };
            let permissions = role.settings.permissions;
            let holders: Vec<&crate::model::roster::LiveMember> = match &reference {
                RoleRef::Id(id) => members.iter().filter(|m| m.roles.contains(id)).collect(),
                RoleRef::New(_) => Vec::new(),
            };
            for member in &rostered.members {
                if !holders.iter().any(|holder| holder.id == member.id) {
                    changes.push(Change::AssignRole {
                        member: member.clone(),
                        role: pick.clone(),
                        permissions,
                    });
                }
            }
            for holder in holders {
                if !rostered.members.iter().any(|member| member.id == holder.id) {
                    losses.push(Change::UnassignRole {
                        member: RosterMember {
                            id: holder.id,
                            name: Some(holder.username.clone()),
                        },
                        role: pick.clone(),
                        permissions,
                    });
                }
            }
        }
        // Losses after every gain: the plan keeps its deletes last.
        changes.extend(losses);
    }
}
