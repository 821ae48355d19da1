//! Fetching the live guild and normalising it into [`LiveGuild`].
//!
//! A constant number of reads whatever the guild's size: the bot user, the guild (which carries
//! all roles), all channels, and the bot's own member (for its place in the role hierarchy).

use crate::diff::settings_for_kind;
use crate::discord::{Discord, DiscordError, wire};
use crate::model::{
    BotMember, ChannelKind, ChannelSettings, GuildId, LiveChannel, LiveGuild, LiveRole, LiveTarget,
    Overwrite, RoleSettings, normalise_overwrites,
};

/// Reads the guild: exactly four requests.
pub async fn fetch(discord: &Discord, guild_id: GuildId) -> Result<LiveGuild, DiscordError> {
    let bot = discord.current_user().await?;
    let (guild, channels, member) = tokio::try_join!(
        discord.guild(guild_id),
        discord.guild_channels(guild_id),
        discord.guild_member(guild_id, bot.id),
    )?;
    Ok(normalise(
        guild,
        channels,
        BotMember {
            user_id: bot.id,
            role_ids: member.roles,
        },
    ))
}

/// Turns Discord's JSON into the model the diff compares.
pub fn normalise(guild: wire::Guild, channels: Vec<wire::Channel>, bot: BotMember) -> LiveGuild {
    let everyone_id = guild.id.cast();
    let everyone_permissions = guild
        .roles
        .iter()
        .find(|role| role.id == everyone_id)
        .map(|role| role.permissions)
        .unwrap_or_default();
    let mut roles: Vec<LiveRole> = guild
        .roles
        .into_iter()
        .filter(|role| role.id != everyone_id)
        .map(|role| LiveRole {
            id: role.id,
            position: role.position,
            managed: role.managed,
            settings: RoleSettings {
                name: role.name,
                color: role.color,
                hoist: role.hoist,
                mentionable: role.mentionable,
                permissions: role.permissions,
            },
        })
        .collect();
    // Top to bottom: higher position first; on a tie the older (lower id) role is higher.
    roles.sort_by(|a, b| b.position.cmp(&a.position).then(a.id.cmp(&b.id)));

    let channels = channels.into_iter().map(normalise_channel).collect();
    LiveGuild {
        id: guild.id,
        name: guild.name,
        owner_id: guild.owner_id,
        everyone_permissions,
        roles,
        channels,
        bot,
    }
}

fn normalise_channel(channel: wire::Channel) -> LiveChannel {
    let kind = ChannelKind::from_discord(channel.kind);
    let overwrites = channel
        .permission_overwrites
        .into_iter()
        .map(|overwrite| Overwrite {
            target: if overwrite.kind == 1 {
                LiveTarget::Member(overwrite.id.cast())
            } else {
                LiveTarget::Role(overwrite.id.cast())
            },
            allow: overwrite.allow,
            deny: overwrite.deny,
        })
        .collect();
    let settings = ChannelSettings {
        topic: channel.topic.filter(|topic| !topic.is_empty()),
        nsfw: channel.nsfw,
        slowmode: channel.rate_limit_per_user.unwrap_or(0),
        bitrate: channel.bitrate,
        user_limit: channel.user_limit,
    };
    LiveChannel {
        id: channel.id,
        name: channel.name.unwrap_or_default(),
        kind,
        parent_id: channel.parent_id,
        position: channel.position,
        settings: settings_for_kind(kind, settings),
        overwrites: normalise_overwrites(overwrites),
    }
}
