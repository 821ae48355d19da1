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

#[cfg(test)]
mod tests {
    use crate::model::roster::{LiveMember, RosterMember, RosterRole};
    use crate::model::{
        BotMember, DesiredGuild, DesiredRole, GuildId, LiveGuild, LiveRole, RoleId, RoleSettings,
        UserId,
    };
    use crate::plan::{Change, RoleRef};

    fn live(members: Option<Vec<LiveMember>>) -> LiveGuild {
        LiveGuild {
            id: GuildId::new(1000),
            name: "Test".into(),
            owner_id: UserId::new(1),
            everyone_permissions: crate::permissions::Permissions::NONE,
            roles: vec![
                LiveRole {
                    id: RoleId::new(10),
                    position: 2,
                    managed: false,
                    settings: RoleSettings::named("Admin"),
                },
                LiveRole {
                    id: RoleId::new(11),
                    position: 1,
                    managed: false,
                    settings: RoleSettings::named("Regular"),
                },
            ],
            channels: vec![],
            bot: BotMember {
                user_id: UserId::new(2),
                role_ids: vec![],
            },
            images: Default::default(),
            settings: Default::default(),
            features: vec![],
            community: Default::default(),
            members,
        }
    }

    fn member(id: u64, name: &str, roles: &[u64]) -> LiveMember {
        LiveMember {
            id: UserId::new(id),
            username: name.into(),
            bot: false,
            roles: roles.iter().copied().map(RoleId::new).collect(),
        }
    }

    fn desired(rostered: &[(&str, &[u64])]) -> DesiredGuild {
        let role = |key: &str, name: &str| DesiredRole {
            key: key.into(),
            id: None,
            previously: vec![],
            settings: RoleSettings::named(name),
        };
        DesiredGuild {
            roles: vec![
                role("admin", "Admin"),
                role("regular", "Regular"),
                role("new", "New"),
            ],
            roster: rostered
                .iter()
                .map(|(key, ids)| RosterRole {
                    key: (*key).into(),
                    members: ids
                        .iter()
                        .map(|id| RosterMember {
                            id: UserId::new(*id),
                            name: None,
                        })
                        .collect(),
                })
                .collect(),
            ..DesiredGuild::default()
        }
    }

    fn roster_changes(desired: &DesiredGuild, live: &LiveGuild) -> Vec<Change> {
        crate::diff::plan(desired, live, jiff::Timestamp::UNIX_EPOCH)
            .unwrap()
            .changes
            .into_iter()
            .filter(crate::access::roster::is_roster)
            .collect()
    }

    #[test]
    fn gains_come_before_losses_and_unrostered_roles_are_not_looked_at() {
        let live = live(Some(vec![
            member(5, "eve", &[10, 11]),
            member(6, "finn", &[11]),
        ]));
        let changes = roster_changes(&desired(&[("admin", &[6])]), &live);
        let described: Vec<String> = changes.iter().map(Change::describe).collect();
        assert_eq!(
            described,
            [
                "give user 6 the role \"Admin\"",
                "take the role \"Admin\" from user 5 (eve)",
            ]
        );
        // Regular has holders and no roster: nothing about it.
        assert!(changes.iter().all(|change| matches!(change,
            Change::AssignRole { role, .. } | Change::UnassignRole { role, .. }
                if role.role == RoleRef::Id(RoleId::new(10)))));
    }

    #[test]
    fn a_new_rostered_role_is_assigned_by_its_key_to_everyone_listed() {
        let live = live(Some(vec![member(5, "eve", &[])]));
        let changes = roster_changes(&desired(&[("new", &[5])]), &live);
        assert!(matches!(
            changes.as_slice(),
            [Change::AssignRole { role, .. }] if role.role == RoleRef::New("new".into())
        ));
    }

    #[test]
    fn a_matching_roster_plans_nothing_and_an_unread_member_list_plans_nothing() {
        let members = Some(vec![member(5, "eve", &[10])]);
        assert!(roster_changes(&desired(&[("admin", &[5])]), &live(members)).is_empty());
        assert!(roster_changes(&desired(&[("admin", &[])]), &live(None)).is_empty());
    }
}
