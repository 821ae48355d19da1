//! The fields of roles, channels and the guild as the plan shows them: values in words,
//! permission and tag deltas, new objects' settings.

use super::*;

pub(super) fn new_role_fields(role: &RoleSettings, out: &mut dyn Write) -> io::Result<()> {
    let blank = RoleSettings::named(&role.name);
    for field in role_fields(&blank, role) {
        if field != Field::Name && field != Field::Permissions {
            field_line(field.label(), &role_value(field, role), out)?;
        }
    }
    let names = role.permissions.names();
    if names.is_empty() {
        return field_line("permissions", &role.permissions.to_string(), out);
    }
    list_field("permissions", &names, out)
}

pub(super) fn role_field(
    field: Field,
    before: &RoleSettings,
    after: &RoleSettings,
    style: Style,
    out: &mut dyn Write,
) -> io::Result<()> {
    let value = match field {
        Field::Permissions => {
            let delta = permission_delta(before.permissions, after.permissions, style);
            return list_field(field.label(), &delta, out);
        }
        _ => format!(
            "{} → {}",
            role_value(field, before),
            role_value(field, after)
        ),
    };
    field_line(field.label(), &value, out)
}

/// One role field as a person reads it.
pub(super) fn role_value(field: Field, role: &RoleSettings) -> String {
    match field {
        Field::Name => format!("\"{}\"", role.name),
        Field::Color => color(role.color),
        Field::Colors => match (role.secondary_color, role.tertiary_color) {
            (None, _) => "plain".to_owned(),
            (Some(second), None) => format!("gradient {} → {}", color(role.color), color(second)),
            (Some(_), Some(_)) => "holographic".to_owned(),
        },
        Field::Hoist => role.hoist.to_string(),
        Field::Mentionable => role.mentionable.to_string(),
        Field::Permissions => role.permissions.to_string(),
        Field::UnicodeEmoji => role
            .unicode_emoji
            .clone()
            .unwrap_or_else(|| "(none)".to_owned()),
        Field::Icon => crate::render::images::image_label(role.icon.as_deref()).to_owned(),
        _ => String::new(),
    }
}

pub(super) fn color(value: u32) -> String {
    if value == 0 {
        "none".to_owned()
    } else {
        format!("#{value:06x}")
    }
}

/// `+ kick_members`, `- ban_members`
pub(super) fn permission_delta(
    before: Permissions,
    after: Permissions,
    style: Style,
) -> Vec<String> {
    let added = after.difference(before);
    let removed = before.difference(after);
    let mut parts: Vec<String> = added
        .names()
        .iter()
        .map(|name| style.create(&format!("+ {name}")))
        .collect();
    parts.extend(
        removed
            .names()
            .iter()
            .map(|name| style.delete(&format!("- {name}"))),
    );
    parts
}

pub(super) fn new_channel_fields(
    channel: &ChannelSpec,
    style: Style,
    out: &mut dyn Write,
) -> io::Result<()> {
    let blank = ChannelSpec {
        settings: ChannelSettings::defaults_for(channel.kind),
        overwrites: Vec::new(),
        tag_ids: Vec::new(),
        ..channel.clone()
    };
    for field in channel_fields(&blank, channel) {
        match field {
            Field::Overwrites => {}
            Field::Topic => match &channel.settings.topic {
                Some(topic) if is_short(topic) => {
                    field_line("topic", &format!("\"{topic}\""), out)?
                }
                topic => text_field("topic", None, topic.as_deref(), style, out)?,
            },
            Field::Tags => {
                writeln!(out, "      tags")?;
                for tag in channel.settings.forum.iter().flat_map(|forum| &forum.tags) {
                    writeln!(out, "        {} {}", style.create("+"), tag_text(tag))?;
                }
            }
            field => field_line(field.label(), &channel_value(field, channel), out)?,
        }
    }
    if channel.synced {
        field_line("overwrites", "synced with the category", out)?;
    } else if !channel.overwrites.is_empty() {
        writeln!(out, "      overwrites")?;
        for overwrite in &channel.overwrites {
            writeln!(
                out,
                "        {} {}",
                style.create("+"),
                overwrite_text(overwrite)
            )?;
        }
    }
    Ok(())
}

pub(super) fn channel_field(
    field: Field,
    before: &ChannelSpec,
    after: &ChannelSpec,
    style: Style,
    out: &mut dyn Write,
) -> io::Result<()> {
    let (b, a) = (&before.settings, &after.settings);
    match field {
        Field::Topic => text_field("topic", b.topic.as_deref(), a.topic.as_deref(), style, out),
        Field::Overwrites => overwrite_delta(before, after, style, out),
        Field::Tags => tag_delta(before, after, style, out),
        _ => field_line(
            field.label(),
            &format!(
                "{} → {}",
                channel_value(field, before),
                channel_value(field, after)
            ),
            out,
        ),
    }
}

/// One channel field as a person reads it.
pub(super) fn channel_value(field: Field, channel: &ChannelSpec) -> String {
    let settings = &channel.settings;
    let forum = settings.forum.clone().unwrap_or_default();
    match field {
        Field::Name => format!("\"{}\"", channel.name),
        Field::Kind => channel.kind.describe(),
        Field::Parent => channel
            .parent
            .as_ref()
            .map_or_else(|| "(none)".to_owned(), |p| format!("\"{}\"", p.name)),
        Field::Nsfw => settings.nsfw.to_string(),
        Field::Slowmode => seconds(settings.slowmode),
        Field::Bitrate => bitrate(settings.bitrate),
        Field::UserLimit => user_limit(settings.user_limit),
        Field::DefaultAutoArchive => minutes(
            settings
                .default_auto_archive
                .unwrap_or(DEFAULT_AUTO_ARCHIVE),
        ),
        Field::DefaultThreadSlowmode => seconds(settings.default_thread_slowmode),
        Field::RtcRegion => settings
            .rtc_region
            .clone()
            .unwrap_or_else(|| "automatic".to_owned()),
        Field::VideoQuality => match settings.video_quality {
            Some(VideoQuality::Full) => "full (720p)".to_owned(),
            _ => "auto".to_owned(),
        },
        Field::DefaultReaction => forum
            .default_reaction
            .as_ref()
            .map_or_else(|| "(none)".to_owned(), emoji_text),
        Field::DefaultSortOrder => match forum.default_sort_order {
            Some(ForumSortOrder::LatestActivity) => "latest activity".to_owned(),
            Some(ForumSortOrder::CreationDate) => "creation date".to_owned(),
            None => "(not set)".to_owned(),
        },
        Field::DefaultLayout => match forum.default_layout {
            ForumLayout::NotSet => "(not set)".to_owned(),
            ForumLayout::List => "list".to_owned(),
            ForumLayout::Gallery => "gallery".to_owned(),
        },
        Field::RequireTag => forum.require_tag.to_string(),
        Field::HideMediaDownloadOptions => forum.hide_media_download_options.to_string(),
        _ => String::new(),
    }
}

/// A verification level and what it asks of members (this is how "email verification" is set).
pub(super) fn verification(level: u8) -> String {
    let meaning = match level {
        0 => "no requirement",
        1 => "a verified email",
        2 => "a verified email, registered for 5 minutes",
        3 => "a verified email, a member for 10 minutes",
        4 => "a verified phone number",
        _ => return name_of(VERIFICATION_LEVELS, level),
    };
    format!("{} ({meaning})", name_of(VERIFICATION_LEVELS, level))
}

/// One guild field as a person reads it.
pub(super) fn guild_value(field: Field, guild: &GuildSpec) -> String {
    let channel = |pick: &Option<crate::plan::ParentSpec>| {
        pick.as_ref()
            .map_or_else(|| "(none)".to_owned(), |p| format!("\"{}\"", p.name))
    };
    match field {
        Field::Name => format!("\"{}\"", guild.name),
        Field::Description => guild
            .description
            .as_ref()
            .map_or_else(|| "(none)".to_owned(), |d| format!("\"{d}\"")),
        Field::VerificationLevel => verification(guild.verification_level),
        Field::ExplicitContentFilter => name_of(CONTENT_FILTERS, guild.explicit_content_filter),
        Field::DefaultNotifications => name_of(NOTIFICATIONS, guild.default_notifications),
        Field::AfkChannel => channel(&guild.afk_channel),
        Field::AfkTimeout => seconds(guild.afk_timeout),
        Field::SystemChannel => channel(&guild.system_channel),
        Field::SystemChannelFlags => {
            let names: Vec<String> = SYSTEM_CHANNEL_FLAGS
                .iter()
                .filter(|(bit, _)| guild.system_channel_flags & (1 << bit) != 0)
                .map(|(_, name)| (*name).to_owned())
                .collect();
            if names.is_empty() {
                "(none)".to_owned()
            } else {
                names.join(", ")
            }
        }
        Field::RulesChannel => channel(&guild.rules_channel),
        Field::PublicUpdatesChannel => channel(&guild.public_updates_channel),
        Field::SafetyAlertsChannel => channel(&guild.safety_alerts_channel),
        Field::PreferredLocale => guild.preferred_locale.clone(),
        Field::Community => guild.community.to_string(),
        Field::Icon => crate::render::images::image_label(guild.icon.as_deref()).to_owned(),
        Field::Banner => crate::render::images::image_label(guild.banner.as_deref()).to_owned(),
        Field::InviteSplash => {
            crate::render::images::image_label(guild.splash.as_deref()).to_owned()
        }
        Field::DiscoverySplash => {
            crate::render::images::image_label(guild.discovery_splash.as_deref()).to_owned()
        }
        _ => String::new(),
    }
}

pub(super) fn is_short(text: &str) -> bool {
    text.chars().count() <= 120 && !text.contains('\n')
}

pub(super) fn minutes(value: u32) -> String {
    match value {
        60 => "1 hour".to_owned(),
        1440 => "24 hours".to_owned(),
        4320 => "3 days".to_owned(),
        10080 => "1 week".to_owned(),
        other => format!("{other} minutes"),
    }
}

pub(in crate::render) fn emoji_text(emoji: &Emoji) -> String {
    match emoji {
        Emoji::Unicode(text) => text.clone(),
        Emoji::Custom(id) => format!("custom emoji {id}"),
    }
}

pub(super) fn tag_text(tag: &ForumTag) -> String {
    let mut text = match &tag.emoji {
        Some(emoji) => format!("{} {}", emoji_text(emoji), tag.name),
        None => tag.name.clone(),
    };
    if tag.moderated {
        text.push_str(" (moderators only)");
    }
    text
}

/// Tags as the list after the change, each marked new, changed or kept; removed ones last.
pub(super) fn tag_delta(
    before: &ChannelSpec,
    after: &ChannelSpec,
    style: Style,
    out: &mut dyn Write,
) -> io::Result<()> {
    let old = before.settings.forum.clone().unwrap_or_default().tags;
    let new = after.settings.forum.clone().unwrap_or_default().tags;
    writeln!(out, "      tags")?;
    let mut kept_ids = Vec::new();
    for (index, tag) in new.iter().enumerate() {
        let id = after.tag_ids.get(index).copied().flatten();
        let previous = id.and_then(|id| {
            let at = before
                .tag_ids
                .iter()
                .position(|old_id| *old_id == Some(id))?;
            old.get(at)
        });
        match previous {
            None => writeln!(out, "        {} {}", style.create("+"), tag_text(tag))?,
            Some(previous) if previous != tag => writeln!(
                out,
                "        {} {} → {}",
                style.update("~"),
                tag_text(previous),
                tag_text(tag)
            )?,
            Some(_) => writeln!(out, "          {}", tag_text(tag))?,
        }
        kept_ids.extend(id);
    }
    for (index, tag) in old.iter().enumerate() {
        let id = before.tag_ids.get(index).copied().flatten();
        if id.is_none_or(|id| !kept_ids.contains(&id)) {
            writeln!(out, "        {} {}", style.delete("-"), tag_text(tag))?;
        }
    }
    Ok(())
}

pub(super) fn seconds(value: u32) -> String {
    if value == 0 {
        "off".to_owned()
    } else {
        format!("{value}s")
    }
}

pub(super) fn bitrate(value: Option<u32>) -> String {
    format!("{} kbps", value.unwrap_or(DEFAULT_BITRATE) / 1000)
}

pub(super) fn user_limit(value: Option<u32>) -> String {
    match value.unwrap_or(0) {
        0 => "unlimited".to_owned(),
        limit => limit.to_string(),
    }
}
