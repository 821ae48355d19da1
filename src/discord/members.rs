//! The member list, for the staff roster: `GET /guilds/{id}/members?limit=1000&after=…`
//! (`guild.mdx`, "List Guild Members"), and role assignments.
//!
//! Listing needs the GUILD_MEMBERS privileged intent (Developer Portal → Bot → Server Members
//! Intent): without it Discord answers 403 with code 50001 "Missing Access", which becomes
//! [`DiscordError::MembersIntent`] with that instruction.

use serde::Deserialize;

use super::{Discord, DiscordError};
use crate::model::{GuildId, RoleId, UserId};

/// Discord's largest page.
pub const PAGE: usize = 1000;

/// One member of a listed page: the user and the roles (without `@everyone`).
#[derive(Debug, Deserialize)]
pub struct ListedMember {
    pub user: ListedUser,
    pub roles: Vec<RoleId>,
}

#[derive(Debug, Deserialize)]
pub struct ListedUser {
    pub id: UserId,
    pub username: String,
    #[serde(default)]
    pub bot: bool,
}

impl Discord {
    /// One page of members with ids above `after` (0 for the first), ascending.
    pub async fn guild_members_page(
        &self,
        guild_id: GuildId,
        after: u64,
    ) -> Result<Vec<ListedMember>, DiscordError> {
        let path = format!("guilds/{guild_id}/members?limit={PAGE}&after={after}");
        match self.read(path).await {
            Err(DiscordError::Api {
                request,
                status: 403,
                code: 50001,
                ..
            }) => Err(DiscordError::MembersIntent { request }),
            other => other,
        }
    }
}
