//! Fetching the live guild and normalising it into [`LiveGuild`].
//!
//! A constant number of reads whatever the guild's size: the bot user, the guild (which carries
//! all roles), all channels, and the bot's own member (for its place in the role hierarchy).

use crate::discord::{Discord, DiscordError, wire};
use crate::model::{
    BotMember, ChannelKind, ChannelSettings, Emoji, ForumLayout, ForumSettings, ForumSortOrder,
    ForumTag, GuildId, LiveChannel, LiveGuild, LiveGuildSettings, LiveRole, LiveTarget, Overwrite,
    RoleSettings, VideoQuality, normalise_overwrites,
};

/// Channel flag: forum posts must carry a tag.
pub const REQUIRE_TAG: u64 = 1 << 4;

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
                secondary_color: role
                    .colors
                    .as_ref()
                    .and_then(|colors| colors.secondary_color),
                tertiary_color: role
                    .colors
                    .as_ref()
                    .and_then(|colors| colors.tertiary_color),
                hoist: role.hoist,
                mentionable: role.mentionable,
                permissions: role.permissions,
                unicode_emoji: role.unicode_emoji.filter(|emoji| !emoji.is_empty()),
                icon: role.icon,
            },
        })
        .collect();
    // Top to bottom: higher position first; on a tie the older (lower id) role is higher.
    roles.sort_by(|a, b| b.position.cmp(&a.position).then(a.id.cmp(&b.id)));

    let channels = channels.into_iter().map(normalise_channel).collect();
    let settings = LiveGuildSettings {
        name: guild.name.clone(),
        description: guild.description.filter(|text| !text.is_empty()),
        verification_level: guild.verification_level,
        explicit_content_filter: guild.explicit_content_filter,
        default_notifications: guild.default_message_notifications,
        afk_channel: guild.afk_channel_id,
        afk_timeout: guild.afk_timeout,
        system_channel: guild.system_channel_id,
        system_channel_flags: guild.system_channel_flags,
        rules_channel: guild.rules_channel_id,
        public_updates_channel: guild.public_updates_channel_id,
        safety_alerts_channel: guild.safety_alerts_channel_id,
        preferred_locale: guild.preferred_locale,
        community: guild.features.iter().any(|feature| feature == "COMMUNITY"),
    };
    LiveGuild {
        id: guild.id,
        name: guild.name,
        owner_id: guild.owner_id,
        everyone_permissions,
        roles,
        channels,
        bot,
        settings,
        features: guild.features,
        community: Default::default(),
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
    let tag_ids = channel.available_tags.iter().map(|tag| tag.id).collect();
    let forum = ForumSettings {
        tags: channel
            .available_tags
            .into_iter()
            .map(|tag| ForumTag {
                name: tag.name,
                emoji: emoji(tag.emoji_id, tag.emoji_name),
                moderated: tag.moderated,
            })
            .collect(),
        default_reaction: channel
            .default_reaction_emoji
            .and_then(|reaction| emoji(reaction.emoji_id, reaction.emoji_name)),
        default_sort_order: match channel.default_sort_order {
            Some(0) => Some(ForumSortOrder::LatestActivity),
            Some(1) => Some(ForumSortOrder::CreationDate),
            _ => None,
        },
        default_layout: match channel.default_forum_layout {
            Some(1) => ForumLayout::List,
            Some(2) => ForumLayout::Gallery,
            _ => ForumLayout::NotSet,
        },
        require_tag: channel.flags & REQUIRE_TAG != 0,
    };
    let settings = ChannelSettings {
        topic: channel.topic,
        nsfw: channel.nsfw,
        slowmode: channel.rate_limit_per_user.unwrap_or(0),
        bitrate: channel.bitrate,
        user_limit: channel.user_limit,
        default_auto_archive: channel.default_auto_archive_duration,
        default_thread_slowmode: channel.default_thread_rate_limit_per_user.unwrap_or(0),
        rtc_region: channel.rtc_region,
        video_quality: channel
            .video_quality_mode
            .and_then(VideoQuality::from_discord),
        forum: Some(forum),
    };
    LiveChannel {
        id: channel.id,
        name: channel.name.unwrap_or_default(),
        kind,
        parent_id: channel.parent_id,
        position: channel.position,
        settings: settings.for_kind(kind),
        overwrites: normalise_overwrites(overwrites),
        tag_ids: if kind == ChannelKind::Forum {
            tag_ids
        } else {
            Vec::new()
        },
    }
}

/// Discord's `{emoji_id, emoji_name}` pair: a custom emoji wins over a unicode one.
fn emoji(id: Option<crate::model::EmojiId>, name: Option<String>) -> Option<Emoji> {
    match (id, name) {
        (Some(id), _) => Some(Emoji::Custom(id)),
        (None, Some(name)) if !name.is_empty() => Some(Emoji::Unicode(name)),
        _ => None,
    }
}
