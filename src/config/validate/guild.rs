//! `[guild]`: the server's own settings, Community and its preconditions.

use super::{Validator, limits, quoted};
use crate::config::raw::{LOCALES, RawFile, RawGuild, Sp};
use crate::config::suggest;
use crate::model::{ChannelKind, DesiredChannel, DesiredGuildSettings, guild_values};

use super::channels::kind_of;

impl Validator<'_> {
    pub(super) fn guild(
        &mut self,
        raw: &RawGuild,
        channels: &[DesiredChannel],
    ) -> DesiredGuildSettings {
        let mut settings = DesiredGuildSettings::default();
        if let Some(name) = &raw.name
            && self.check_name(name, "server name")
        {
            let length = name.value.chars().count();
            if length < limits::GUILD_NAME_MIN {
                self.error(
                    format!("server name is {length} character long (Discord needs 2-100)"),
                    name.span.clone(),
                );
            }
            settings.name = Some(name.value.clone());
        }
        if let Some(description) = &raw.description {
            let length = description.value.chars().count();
            if length > limits::DESCRIPTION_MAX {
                self.error(
                    format!(
                        "description is {length} characters long (Discord allows at most {})",
                        limits::DESCRIPTION_MAX
                    ),
                    description.span.clone(),
                );
            }
            settings.description =
                Some(Some(description.value.clone()).filter(|text| !text.is_empty()));
        }
        settings.verification_level = raw.verification_level.as_ref().and_then(|value| {
            self.named(
                value,
                "verification level",
                guild_values::VERIFICATION_LEVELS,
            )
        });
        settings.explicit_content_filter = raw
            .explicit_content_filter
            .as_ref()
            .and_then(|value| self.named(value, "content filter", guild_values::CONTENT_FILTERS));
        settings.default_notifications = raw.default_notifications.as_ref().and_then(|value| {
            self.named(value, "notification setting", guild_values::NOTIFICATIONS)
        });
        if let Some(timeout) = &raw.afk_timeout {
            if guild_values::AFK_TIMEOUTS
                .iter()
                .any(|allowed| i64::from(*allowed) == timeout.value)
            {
                settings.afk_timeout = u32::try_from(timeout.value).ok();
            } else {
                self.error(
                    format!(
                        "`afk_timeout` must be 60, 300, 900, 1800 or 3600 seconds, found {}",
                        timeout.value
                    ),
                    timeout.span.clone(),
                )
                .hint = Some("1, 5, 15, 30 or 60 minutes, in seconds".into());
            }
        }
        settings.afk_channel = raw
            .afk_channel
            .as_ref()
            .and_then(|value| self.channel_ref(value, "afk_channel", ChannelKind::Voice, channels));
        settings.system_channel = raw.system_channel.as_ref().and_then(|value| {
            self.channel_ref(value, "system_channel", ChannelKind::Text, channels)
        });
        settings.rules_channel = raw.rules_channel.as_ref().and_then(|value| {
            self.channel_ref(value, "rules_channel", ChannelKind::Text, channels)
        });
        settings.public_updates_channel = raw.public_updates_channel.as_ref().and_then(|value| {
            self.channel_ref(value, "public_updates_channel", ChannelKind::Text, channels)
        });
        settings.safety_alerts_channel = raw.safety_alerts_channel.as_ref().and_then(|value| {
            self.channel_ref(value, "safety_alerts_channel", ChannelKind::Text, channels)
        });
        if let Some(flags) = &raw.system_channel_flags {
            let mut bits = 0u64;
            for flag in &flags.value {
                match guild_values::SYSTEM_CHANNEL_FLAGS
                    .iter()
                    .find(|(_, name)| *name == flag.value)
                {
                    Some((bit, _)) => {
                        if bits & (1 << bit) != 0 {
                            self.warning(
                                format!("`{}` is listed twice", flag.value),
                                flag.span.clone(),
                            )
                            .hint = Some("remove one of them".into());
                        }
                        bits |= 1 << bit;
                    }
                    None => {
                        let names = guild_values::SYSTEM_CHANNEL_FLAGS
                            .iter()
                            .map(|(_, name)| *name);
                        let hint = match suggest(&flag.value, names.clone()) {
                            Some(close) => format!("did you mean `{close}`?"),
                            None => format!("the flags are {}", quoted(names)),
                        };
                        self.error(
                            format!("unknown system channel flag `{}`", flag.value),
                            flag.span.clone(),
                        )
                        .hint = Some(hint);
                    }
                }
            }
            settings.system_channel_flags = Some(bits);
        }
        if let Some(locale) = &raw.preferred_locale {
            let text = locale.value.as_str();
            if LOCALES.contains(&text) {
                settings.preferred_locale = Some(text.to_owned());
            } else {
                let wanted = text.replace('_', "-").to_ascii_lowercase();
                let hint = match LOCALES
                    .iter()
                    .find(|known| known.to_ascii_lowercase() == wanted)
                {
                    Some(known) => format!("Discord writes it `{known}`"),
                    None => match suggest(text, LOCALES.iter().copied()) {
                        Some(close) => format!("did you mean `{close}`?"),
                        None => {
                            format!("Discord's locales are {}", quoted(LOCALES.iter().copied()))
                        }
                    },
                };
                self.error(format!("unknown locale `{text}`"), locale.span.clone())
                    .hint = Some(hint);
            }
        }
        if let Some(community) = &raw.community {
            settings.community = Some(community.value);
            if community.value {
                self.community_preconditions(raw, &settings, community);
            }
        }
        self.guild_images(raw, &mut settings);
        settings
    }

    /// Discord's preconditions of COMMUNITY, each missing one its own error at `community`.
    pub(super) fn community_preconditions(
        &mut self,
        raw: &RawGuild,
        settings: &DesiredGuildSettings,
        community: &Sp<bool>,
    ) {
        let span = community.whole();
        // A value that is present but invalid was reported already.
        if raw.verification_level.is_none() || settings.verification_level == Some(0) {
            let fix = if raw.verification_level.is_none() {
                "add `verification_level = \"low\"` (or higher) to `[guild]`"
            } else {
                "set `verification_level = \"low\"` (or higher)"
            };
            self.error(
                "Community needs a verification level of at least `low`",
                span.clone(),
            )
            .hint = Some(fix.into());
        }
        if raw.explicit_content_filter.is_none()
            || settings
                .explicit_content_filter
                .is_some_and(|filter| filter != 2)
        {
            let fix = if raw.explicit_content_filter.is_none() {
                "add `explicit_content_filter = \"all_members\"` to `[guild]`"
            } else {
                "set `explicit_content_filter = \"all_members\"`"
            };
            self.error(
                "Community needs the explicit content filter on for all members",
                span.clone(),
            )
            .hint = Some(fix.into());
        }
        for (key, value, what) in [
            ("rules_channel", &raw.rules_channel, "a rules channel"),
            (
                "public_updates_channel",
                &raw.public_updates_channel,
                "a community updates channel for moderators",
            ),
        ] {
            if value.as_ref().is_none_or(|name| name.value.is_empty()) {
                self.error(format!("Community needs {what}"), span.clone())
                    .hint = Some(format!(
                    "set `{key} = \"<text channel>\"` in `[guild]` to a text channel of this file"
                ));
            }
        }
    }

    /// Announcement and stage channels need COMMUNITY, which the file does not turn on.
    pub(super) fn community_kinds(&mut self, raw: &RawFile) {
        let top = raw.channels.iter().flatten();
        let nested = raw
            .categories
            .iter()
            .flatten()
            .flat_map(|category| category.value.channels.iter().flatten());
        let mut spans = Vec::new();
        for channel in top.chain(nested) {
            let kind = kind_of(&channel.value);
            if let (
                ChannelKind::Announcement | ChannelKind::Stage | ChannelKind::Media,
                Some(written),
            ) = (kind, &channel.value.kind)
            {
                spans.push((kind, written.span.clone()));
            }
        }
        for (kind, span) in spans {
            self.warning(
                format!(
                    "{}s need a Community server, and `[guild]` does not turn Community on",
                    kind.describe()
                ),
                span,
            )
            .hint = Some(
                "add `community = true` to `[guild]` (with its preconditions), or ignore this if the server already is one".into(),
            );
        }
    }

    pub(super) fn named(
        &mut self,
        value: &Sp<String>,
        what: &str,
        table: &[(u8, &str)],
    ) -> Option<u8> {
        if let Some((number, _)) = table.iter().find(|(_, name)| *name == value.value) {
            return Some(*number);
        }
        let names = table.iter().map(|(_, name)| *name);
        let hint = match suggest(&value.value, names.clone()) {
            Some(close) => format!("did you mean `{close}`?"),
            None => format!("write one of {}", quoted(names)),
        };
        self.error(
            format!("unknown {what} `{}`", value.value),
            value.span.clone(),
        )
        .hint = Some(hint);
        None
    }
}
