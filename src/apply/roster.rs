//! Role assignments of the staff roster: `PUT` / `DELETE /guilds/{id}/members/{user}/roles/{role}`
//! (`guild.mdx`, "Add Guild Member Role", "Remove Guild Member Role"), one request each, no
//! body, the audit-log reason like every write. Both are idempotent on Discord's side (adding
//! a role a member holds, or removing one they lack, answers 204), so a rerun after any
//! failure converges without a lookup. A role created in the same run is named by its new id.

use super::Executor;
use crate::discord::DiscordError;
use crate::model::roster::RosterMember;
use crate::plan::RolePick;

impl Executor<'_> {
    /// The assignment's path, with the role's id (new roles: the id the create returned).
    pub(super) fn assignment_path(
        &self,
        member: &RosterMember,
        role: &RolePick,
    ) -> Result<String, DiscordError> {
        let role = self.role_id(&role.role)?;
        Ok(format!(
            "guilds/{}/members/{}/roles/{role}",
            self.guild_id, member.id
        ))
    }
}
