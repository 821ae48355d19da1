//! Import of the staff roster: roles that grant Administrator, Manage Roles or Manage Server
//! are written with `roster = true` and the members who hold them, so importing then planning
//! shows no change and a later hand-made assignment shows as drift. Other roles are never
//! rostered (bots hand out community roles). Nothing is written when the member list was not
//! read (no Server Members Intent: the import notes it), nor for a role held by more than
//! [`MAX_MEMBERS`] members (a roster is for staff; such a role is noted instead).

use super::{Importer, string};
use crate::model::LiveRole;

/// The most holders an imported roster lists.
pub(super) const MAX_MEMBERS: usize = 100;

impl Importer<'_> {
    pub(super) fn roster(&mut self, role: &LiveRole) {
        if !crate::access::roster::is_staff(role.settings.permissions) {
            return;
        }
        let Some(members) = &self.live.members else {
            return;
        };
        let holders: Vec<&crate::model::roster::LiveMember> = members
            .iter()
            .filter(|member| member.roles.contains(&role.id))
            .collect();
        let powers = crate::access::roster::powers(role.settings.permissions);
        if holders.len() > MAX_MEMBERS {
            self.line(format!(
                "# Held by {} members ({powers}): too many for a staff roster, left unmanaged.",
                holders.len()
            ));
            return;
        }
        self.line(format!(
            "# Staff roster ({powers}): exactly these members hold this role; `plan` shows who"
        ));
        self.line("# gains or loses it. Remove `roster` and `members` to stop managing it.");
        self.line("roster = true");
        if holders.is_empty() {
            self.line("members = []");
            return;
        }
        self.line("members = [");
        for holder in holders {
            self.line(format!(
                "  {{ id = \"{}\", name = {} }},",
                holder.id,
                string(&holder.username)
            ));
        }
        self.line("]");
    }
}
