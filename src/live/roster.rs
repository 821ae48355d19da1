//! Reading the member list for the staff roster: only when the file rosters a role.
//!
//! Why the whole list and not one read per named member: the roster must also know who *else*
//! holds a rostered role (someone given it by hand is drift, and `apply` takes it back), and
//! Discord has no "members with role X" route for bots. So the list is read in pages of 1,000
//! (`members / 1000 + 1` requests, rounded down: 1 for a guild under 1,000 members), which needs the
//! Server Members Intent. Pages must come back in ascending id order above `after`, as Discord
//! sends them; anything else stops the read (a repeated page would loop forever).

use crate::discord::members::PAGE;
use crate::discord::{Discord, DiscordError};
use crate::model::GuildId;
use crate::model::roster::LiveMember;

/// Every member of the guild with their roles, in id order.
pub async fn read_members(
    discord: &Discord,
    guild_id: GuildId,
) -> Result<Vec<LiveMember>, DiscordError> {
    let mut members: Vec<LiveMember> = Vec::new();
    let mut after = 0u64;
    loop {
        let page = discord.guild_members_page(guild_id, after).await?;
        let full = page.len() >= PAGE;
        if page.len() > PAGE {
            return Err(impossible(
                guild_id,
                format!(
                    "a page holds {} members, more than the {PAGE} asked for",
                    page.len()
                ),
            ));
        }
        for member in page {
            let id = member.user.id.get();
            if id <= after {
                return Err(impossible(
                    guild_id,
                    format!("member {id} comes after {after}: pages must ascend by id"),
                ));
            }
            after = id;
            let everyone = guild_id.cast();
            members.push(LiveMember {
                id: member.user.id,
                username: member.user.username,
                bot: member.user.bot,
                roles: member
                    .roles
                    .into_iter()
                    .filter(|r| *r != everyone)
                    .collect(),
            });
        }
        if !full {
            return Ok(members);
        }
    }
}

fn impossible(guild_id: GuildId, detail: String) -> DiscordError {
    DiscordError::Impossible {
        request: format!("GET guilds/{guild_id}/members"),
        detail,
    }
}
