//! A channel's settings for its kind: topic, slowmode, voice settings and forum settings with
//! their tags.

use super::{Claim, Validator, formers, is_valid_key, limits, propose_key, quoted};
use crate::config::raw::{AUTO_ARCHIVE_MINUTES, RTC_REGIONS, RawChannel, RawTag, Sp};
use crate::config::suggest;
use crate::model::{
    ChannelKind, ChannelSettings, ForumLayout, ForumSettings, ForumSortOrder, ForumTag,
    TagIdentity, VideoQuality,
};

impl Validator<'_> {
    /// The channel's settings for its kind, and the identity of each forum tag.
    pub(super) fn settings(
        &mut self,
        channel: &RawChannel,
        kind: ChannelKind,
    ) -> (ChannelSettings, Vec<TagIdentity>) {
        let mut settings = ChannelSettings::default();
        let voice_like = kind.is_voice_like();
        let forum = kind.is_thread_only();
        const TOPIC: &str = "text, announcement, forum and media channels";
        const SLOWMODE: &str = "text, voice, stage, forum and media channels";
        const THREADS: &str = "text, announcement, forum and media channels (where threads are)";
        const VOICE: &str = "voice and stage channels";
        const FORUM: &str = "forum and media channels";

        if let Some(topic) = &channel.topic
            && self.applies(topic, "topic", kind, kind.has_topic(), TOPIC)
        {
            let max = if forum {
                limits::FORUM_TOPIC_MAX
            } else {
                limits::TOPIC_MAX
            };
            let length = topic.value.chars().count();
            if length > max {
                let error = self.error(
                    format!("topic is {length} characters long (Discord allows at most {max})"),
                    topic.span.clone(),
                );
                if !forum && length <= limits::FORUM_TOPIC_MAX {
                    error.hint = Some("only forum and media channels allow up to 4096".into());
                }
            }
            settings.topic = Some(topic.value.clone());
        }
        if let Some(slowmode) = &channel.slowmode
            && self.applies(slowmode, "slowmode", kind, kind.has_slowmode(), SLOWMODE)
            && let Some(value) =
                self.in_range(slowmode, "slowmode", 0, limits::SLOWMODE_MAX, " seconds")
        {
            settings.slowmode = value;
        }
        if let Some(nsfw) = &channel.nsfw {
            settings.nsfw = nsfw.value;
        }
        if let Some(minutes) = &channel.default_auto_archive
            && self.applies(
                minutes,
                "default_auto_archive",
                kind,
                kind.has_threads(),
                THREADS,
            )
        {
            if AUTO_ARCHIVE_MINUTES
                .iter()
                .any(|allowed| i64::from(*allowed) == minutes.value)
            {
                settings.default_auto_archive = u32::try_from(minutes.value).ok();
            } else {
                self.error(
                    format!(
                        "`default_auto_archive` must be 60, 1440, 4320 or 10080 minutes, found {}",
                        minutes.value
                    ),
                    minutes.span.clone(),
                )
                .hint = Some("1 hour, 1 day, 3 days or 1 week, in minutes".into());
            }
        }
        if let Some(slowmode) = &channel.default_thread_slowmode
            && self.applies(
                slowmode,
                "default_thread_slowmode",
                kind,
                kind.has_threads(),
                THREADS,
            )
            && let Some(value) = self.in_range(
                slowmode,
                "default_thread_slowmode",
                0,
                limits::SLOWMODE_MAX,
                " seconds",
            )
        {
            settings.default_thread_slowmode = value;
        }
        if let Some(bitrate) = &channel.bitrate
            && self.applies(bitrate, "bitrate", kind, voice_like, VOICE)
        {
            let max = if kind == ChannelKind::Stage {
                limits::STAGE_BITRATE_MAX
            } else {
                limits::BITRATE_MAX
            };
            if let Some(value) = self.in_range(bitrate, "bitrate", limits::BITRATE_MIN, max, "") {
                if bitrate.value > limits::BITRATE_UNBOOSTED_MAX {
                    self.warning(
                        format!("bitrate {value} needs a boosted server"),
                        bitrate.span.clone(),
                    )
                    .hint = Some(
                        "without boosts Discord allows 96000; tier 1 128000, tier 2 256000, tier 3 384000".into(),
                    );
                }
                settings.bitrate = Some(value);
            } else if kind == ChannelKind::Stage
                && let Some(error) = self.diagnostics.last_mut()
            {
                error.hint = Some("stage channels allow at most 64000".into());
            }
        }
        if let Some(limit) = &channel.user_limit
            && self.applies(limit, "user_limit", kind, voice_like, VOICE)
        {
            // 0 (unlimited) is allowed only for voice channels.
            let (min, max) = if kind == ChannelKind::Stage {
                (1, limits::STAGE_USER_LIMIT_MAX)
            } else {
                (0, limits::USER_LIMIT_MAX)
            };
            if let Some(value) = self.in_range(limit, "user_limit", min, max, "") {
                settings.user_limit = Some(value);
            } else if kind == ChannelKind::Stage
                && limit.value == 0
                && let Some(error) = self.diagnostics.last_mut()
            {
                error.hint = Some(
                    "a stage channel cannot be unlimited; its audience is at most 10000".into(),
                );
            }
        }
        if let Some(region) = &channel.rtc_region
            && self.applies(region, "rtc_region", kind, voice_like, VOICE)
        {
            let text = region.value.as_str();
            if text == "automatic" {
                settings.rtc_region = None;
            } else if RTC_REGIONS.contains(&text) {
                settings.rtc_region = Some(text.to_owned());
            } else {
                let hint = match suggest(text, RTC_REGIONS.iter().copied()) {
                    Some(close) => format!("did you mean `{close}`?"),
                    None => format!(
                        "write `automatic` or one of {}",
                        quoted(RTC_REGIONS.iter().copied())
                    ),
                };
                self.error(
                    format!("unknown voice region `{text}`"),
                    region.span.clone(),
                )
                .hint = Some(hint);
            }
        }
        if let Some(quality) = &channel.video_quality
            && self.applies(quality, "video_quality", kind, voice_like, VOICE)
        {
            match quality.value.as_str() {
                "auto" => settings.video_quality = Some(VideoQuality::Auto),
                "full" => settings.video_quality = Some(VideoQuality::Full),
                other => {
                    self.error(
                        format!("unknown video quality `{other}`"),
                        quality.span.clone(),
                    )
                    .hint = Some("write `auto` or `full` (720p)".into());
                }
            }
        }

        let mut forum_settings = ForumSettings::default();
        let mut identities = Vec::new();
        if let Some(tags) = &channel.tags
            && self.applies(tags, "tags", kind, forum, FORUM)
        {
            (forum_settings.tags, identities) = self.tags(tags);
        }
        if let Some(reaction) = &channel.default_reaction
            && self.applies(reaction, "default_reaction", kind, forum, FORUM)
        {
            forum_settings.default_reaction = self.emoji(reaction);
        }
        if let Some(order) = &channel.default_sort_order
            && self.applies(order, "default_sort_order", kind, forum, FORUM)
        {
            match order.value.as_str() {
                "latest_activity" => {
                    forum_settings.default_sort_order = Some(ForumSortOrder::LatestActivity);
                }
                "creation_date" => {
                    forum_settings.default_sort_order = Some(ForumSortOrder::CreationDate);
                }
                other => {
                    self.error(format!("unknown sort order `{other}`"), order.span.clone())
                        .hint = Some("write `latest_activity` or `creation_date`".into());
                }
            }
        }
        if let Some(layout) = &channel.default_layout
            && self.applies(
                layout,
                "default_layout",
                kind,
                kind == ChannelKind::Forum,
                "forum channels",
            )
        {
            match layout.value.as_str() {
                "list" => forum_settings.default_layout = ForumLayout::List,
                "gallery" => forum_settings.default_layout = ForumLayout::Gallery,
                other => {
                    self.error(format!("unknown layout `{other}`"), layout.span.clone())
                        .hint = Some("write `list` or `gallery`".into());
                }
            }
        }
        if let Some(require) = &channel.require_tag
            && self.applies(require, "require_tag", kind, forum, FORUM)
        {
            forum_settings.require_tag = require.value;
            if require.value && forum_settings.tags.is_empty() && channel.tags.is_none() {
                self.error(
                    format!(
                        "`require_tag = true` on a {} without tags",
                        if kind == ChannelKind::Media {
                            "media channel"
                        } else {
                            "forum"
                        }
                    ),
                    require.whole(),
                )
                .hint = Some("posts could never be made: add `tags = [...]`".into());
            }
        }
        if let Some(hide) = &channel.hide_media_download_options
            && self.applies(
                hide,
                "hide_media_download_options",
                kind,
                kind == ChannelKind::Media,
                "media channels",
            )
        {
            forum_settings.hide_media_download_options = hide.value;
        }
        settings.forum = forum.then_some(forum_settings);
        (settings.for_kind(kind), identities)
    }

    /// Whether `key` applies to `kind`; reports it when not.
    pub(super) fn applies<T>(
        &mut self,
        value: &Sp<T>,
        key: &str,
        kind: ChannelKind,
        applies: bool,
        only: &str,
    ) -> bool {
        if !applies {
            self.error(
                format!("`{key}` does not apply to {}s", kind.describe()),
                value.whole(),
            )
            .hint = Some(format!("`{key}` is for {only} only; remove it"));
        }
        applies
    }

    pub(super) fn tags(&mut self, list: &Sp<Vec<Sp<RawTag>>>) -> (Vec<ForumTag>, Vec<TagIdentity>) {
        if list.value.len() > limits::TAGS {
            self.error(
                format!(
                    "{} tags on one forum (Discord allows at most {})",
                    list.value.len(),
                    limits::TAGS
                ),
                list.value[limits::TAGS].span.clone(),
            )
            .hint = Some(format!("this is tag number {}", limits::TAGS + 1));
        }
        let mut keys: Vec<Claim> = Vec::new();
        let mut names: Vec<Claim> = Vec::new();
        let mut previous: Vec<(Claim, String)> = Vec::new();
        let mut tags = Vec::new();
        let mut identities = Vec::new();
        for tag in &list.value {
            let tag = &tag.value;
            if let Some(key) = &tag.key {
                if !is_valid_key(&key.value) {
                    let proposal = propose_key(&key.value);
                    self.error(format!("invalid tag key `{}`", key.value), key.span.clone())
                        .hint = Some(if proposal.is_empty() {
                        "keys use lowercase letters, digits, `-` and `_`".to_owned()
                    } else {
                        format!("keys use lowercase letters, digits, `-` and `_`: try `{proposal}`")
                    });
                }
                if let Some(first) = keys.iter().find(|claim| claim.name == key.value) {
                    let line = self.line_of(&first.span);
                    self.error(
                        format!("two tags of this forum have the key `{}`", key.value),
                        key.span.clone(),
                    )
                    .hint = Some(format!(
                        "the first is on line {line}; keys must be unique in a forum"
                    ));
                }
                keys.push(Claim {
                    name: key.value.clone(),
                    span: key.span.clone(),
                });
            }
            let name = tag.name.as_ref().map(|name| name.value.clone());
            if let Some(written) = &tag.name {
                self.tag_name(written, "tag name");
                if let Some(first) = names.iter().find(|claim| claim.name == written.value) {
                    let line = self.line_of(&first.span);
                    self.error(
                        format!("two tags of this forum are named `{}`", written.value),
                        written.span.clone(),
                    )
                    .hint = Some(format!("the first is on line {line}"));
                }
                names.push(Claim {
                    name: written.value.clone(),
                    span: written.span.clone(),
                });
            }
            for former in tag.previously.iter().flat_map(|list| list.value.iter()) {
                self.tag_name(former, "former tag name");
                previous.push((
                    Claim {
                        name: former.value.clone(),
                        span: former.span.clone(),
                    },
                    name.clone().unwrap_or_default(),
                ));
            }
            tags.push(ForumTag {
                name: name.unwrap_or_default(),
                emoji: tag.emoji.as_ref().and_then(|emoji| self.emoji(emoji)),
                moderated: tag.moderated.as_ref().is_some_and(|flag| flag.value),
            });
            identities.push(TagIdentity {
                key: tag
                    .key
                    .as_ref()
                    .map(|key| key.value.clone())
                    .unwrap_or_default(),
                previously: formers(&tag.previously),
            });
        }
        self.former_names(&names, &previous, "tag", "tags");
        (tags, identities)
    }

    pub(super) fn tag_name(&mut self, name: &Sp<String>, what: &str) {
        if !self.check_name(name, what) {
            return;
        }
        let length = name.value.chars().count();
        if length > limits::TAG_NAME_MAX {
            self.error(
                format!(
                    "{what} is {length} characters long (Discord allows at most {})",
                    limits::TAG_NAME_MAX
                ),
                name.span.clone(),
            );
        }
    }

    pub(super) fn in_range(
        &mut self,
        value: &Sp<i64>,
        key: &str,
        min: i64,
        max: i64,
        unit: &str,
    ) -> Option<u32> {
        if (min..=max).contains(&value.value) {
            return u32::try_from(value.value).ok();
        }
        self.error(
            format!(
                "`{key}` must be between {min} and {max}{unit}, found {}",
                value.value
            ),
            value.span.clone(),
        );
        None
    }
}
