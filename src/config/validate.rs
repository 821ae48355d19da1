//! From the [`raw`](super::raw) file to a [`DesiredGuild`]: everything about meaning.
//!
//! Checks names and Discord's limits, resolves permission names and role keys, decides each
//! channel's overwrites (synced or explicit), and makes sure every object has one identity:
//! roles by name, channels by name and kind anywhere in the server, categories by name, pins by
//! id. All problems are collected; the guild built alongside is only used when there are no
//! errors. Limits follow `DISCORD-API-NOTES.md` §4.8.

mod community;
mod safety;

use std::collections::HashMap;
use std::ops::Range;

use crate::model::{
    ChannelKind, ChannelSettings, DesiredChannel, DesiredGuild, DesiredGuildSettings,
    DesiredOverwrites, DesiredRole, DesiredTarget, Emoji, ForumLayout, ForumSettings,
    ForumSortOrder, ForumTag, Overwrite, Prune, RoleSettings, SortBucket, TagIdentity,
    VideoQuality, guild_values,
};
use crate::permissions::{FLAGS, Permissions};

use super::diagnostic::Diagnostic;
use super::raw::{
    AUTO_ARCHIVE_MINUTES, LOCALES, PermissionList, RTC_REGIONS, RawCategory, RawChannel,
    RawChannelType, RawFile, RawGuild, RawOverwrite, RawRole, RawTag, Sp,
};
use super::{Source, normalise_text_channel_name, suggest};

/// Discord's limits the file is checked against.
pub mod limits {
    pub const NAME_MAX: usize = 100;
    pub const TOPIC_MAX: usize = 1024;
    /// A forum's topic is its post guidelines.
    pub const FORUM_TOPIC_MAX: usize = 4096;
    pub const SLOWMODE_MAX: i64 = 21_600;
    pub const BITRATE_MIN: i64 = 8_000;
    pub const BITRATE_MAX: i64 = 384_000;
    /// The highest bitrate a server without boosts may use.
    pub const BITRATE_UNBOOSTED_MAX: i64 = 96_000;
    pub const USER_LIMIT_MAX: i64 = 99;
    pub const STAGE_BITRATE_MAX: i64 = 64_000;
    pub const STAGE_USER_LIMIT_MAX: i64 = 10_000;
    pub const TAGS: usize = 20;
    pub const TAG_NAME_MAX: usize = 20;
    pub const GUILD_NAME_MIN: usize = 2;
    pub const DESCRIPTION_MAX: usize = 300;
    /// Discord's limit for `emoji_name` and `unicode_emoji`.
    pub const EMOJI_MAX: usize = 100;
    /// Role icons are at most 256 KiB.
    pub const ICON_BYTES_MAX: usize = 256 * 1024;
    /// Discord's fixed holographic role colours.
    pub const HOLOGRAPHIC: (u32, u32, u32) = (11_127_295, 16_759_788, 16_761_760);
    pub const CHANNELS_PER_CATEGORY: usize = 50;
    pub const CATEGORIES: usize = 50;
    /// Categories count as channels.
    pub const CHANNELS: usize = 500;
    pub const ROLES: usize = 250;
    pub const OVERWRITES_PER_CHANNEL: usize = 100;
}

/// Names people coming from other tools write, and the flag they mean.
const PERMISSION_ALIASES: &[(&str, &str)] = &[
    ("read_messages", "view_channel"),
    ("read_message", "view_channel"),
    ("manage_server", "manage_guild"),
    ("manage_emojis", "manage_guild_expressions"),
    ("manage_emojis_and_stickers", "manage_guild_expressions"),
    ("use_slash_commands", "use_application_commands"),
    ("timeout_members", "moderate_members"),
    ("use_voice_activity", "use_vad"),
    ("start_embedded_activities", "use_embedded_activities"),
    ("create_polls", "send_polls"),
];

pub(crate) fn validate(
    raw: &RawFile,
    source: &Source,
    diagnostics: &mut Vec<Diagnostic>,
) -> DesiredGuild {
    let mut validator = Validator {
        source,
        diagnostics,
        pins: HashMap::new(),
        role_keys: Vec::new(),
    };
    validator.file(raw)
}

struct Validator<'s> {
    source: &'s Source,
    diagnostics: &'s mut Vec<Diagnostic>,
    /// Every id pinned so far, and where.
    pins: HashMap<u64, Range<usize>>,
    /// Every role key written (valid or not, so one bad key does not cascade) and its name.
    role_keys: Vec<(String, Option<String>)>,
}

/// How an image file is checked.
struct Image {
    what: &'static str,
    max_bytes: usize,
    too_big: &'static str,
    accepted: &'static str,
}

/// A name claimed by an object, for uniqueness checks.
struct Claim {
    name: String,
    span: Range<usize>,
}

impl Validator<'_> {
    fn error(&mut self, message: impl Into<String>, span: Range<usize>) -> &mut Diagnostic {
        self.push(Diagnostic::error(message, self.source, span))
    }

    fn warning(&mut self, message: impl Into<String>, span: Range<usize>) -> &mut Diagnostic {
        self.push(Diagnostic::warning(message, self.source, span))
    }

    fn push(&mut self, diagnostic: Diagnostic) -> &mut Diagnostic {
        self.diagnostics.push(diagnostic);
        let last = self.diagnostics.len() - 1;
        &mut self.diagnostics[last]
    }

    fn line_of(&self, span: &Range<usize>) -> usize {
        Diagnostic::error("", self.source, span.clone()).line
    }

    fn file(&mut self, raw: &RawFile) -> DesiredGuild {
        let everyone_permissions = raw
            .everyone
            .as_ref()
            .map(|everyone| self.permissions(everyone.value.permissions.as_ref()));
        let prune = raw.prune.as_ref().map_or(Prune::default(), |prune| Prune {
            roles: prune.value.roles.as_ref().is_some_and(|flag| flag.value),
            channels: prune.value.channels.as_ref().is_some_and(|flag| flag.value),
            automod: prune.value.automod.as_ref().is_some_and(|flag| flag.value),
            events: prune.value.events.as_ref().is_some_and(|flag| flag.value),
            webhooks: prune.value.webhooks.as_ref().is_some_and(|flag| flag.value),
        });
        let roles = self.roles(raw.roles.as_deref().unwrap_or_default());
        let channels = self.channels(
            raw.channels.as_deref().unwrap_or_default(),
            raw.categories.as_deref().unwrap_or_default(),
        );
        let settings = raw
            .guild
            .as_ref()
            .map(|guild| self.guild(&guild.value, &channels))
            .unwrap_or_default();
        if settings.community != Some(true) {
            self.community_kinds(raw);
        }
        let community = self.community(raw, &channels, &settings, everyone_permissions);
        let ignore = self.ignore(raw);
        let protect = self.protect(raw);
        let (assertions, at): (Vec<_>, Vec<_>) =
            self.assertions(raw, &channels).into_iter().unzip();
        let desired = DesiredGuild {
            everyone_permissions,
            roles,
            channels,
            prune,
            settings,
            community,
            ignore,
            protect,
            assertions,
        };
        self.judge_assertions(&desired, &at);
        desired
    }

    // ---- roles -------------------------------------------------------------------------------

    fn roles(&mut self, raw: &[Sp<RawRole>]) -> Vec<DesiredRole> {
        // Keys first, so overwrites anywhere can be checked against all of them.
        for role in raw {
            if let Some(key) = &role.value.key {
                let name = role.value.name.as_ref().map(|name| name.value.clone());
                self.role_keys.push((key.value.clone(), name));
            }
        }
        if raw.len() > limits::ROLES {
            self.error(
                format!(
                    "too many roles: {} (Discord allows at most {})",
                    raw.len(),
                    limits::ROLES
                ),
                raw[limits::ROLES].span.clone(),
            )
            .hint = Some(format!(
                "this is role number {}; remove some roles",
                limits::ROLES + 1
            ));
        }
        let mut keys: Vec<Claim> = Vec::new();
        let mut names: Vec<Claim> = Vec::new();
        let mut previous: Vec<(Claim, String)> = Vec::new();
        let mut roles = Vec::new();
        for role in raw {
            let role = &role.value;
            if let Some(key) = &role.key {
                self.role_key(key, &keys);
                keys.push(Claim {
                    name: key.value.clone(),
                    span: key.span.clone(),
                });
            }
            if let Some(name) = &role.name {
                self.check_name(name, "role name");
                if let Some(first) = names.iter().find(|claim| claim.name == name.value) {
                    let line = self.line_of(&first.span);
                    self.error(
                        format!("two roles are named `{}`", name.value),
                        name.span.clone(),
                    )
                    .hint = Some(format!(
                        "the first is on line {line}; roles are matched by name, so names must be unique"
                    ));
                }
                names.push(Claim {
                    name: name.value.clone(),
                    span: name.span.clone(),
                });
            }
            let owner = role
                .name
                .as_ref()
                .map(|name| name.value.clone())
                .unwrap_or_default();
            for former in role.previously.iter().flat_map(|list| list.value.iter()) {
                self.check_name(former, "former role name");
                previous.push((
                    Claim {
                        name: former.value.clone(),
                        span: former.span.clone(),
                    },
                    owner.clone(),
                ));
            }
            let (color, secondary_color, tertiary_color) = self.role_colors(role);
            let unicode_emoji = role.emoji.as_ref().and_then(|emoji| self.role_emoji(emoji));
            let icon = role.icon.as_ref().and_then(|icon| self.icon(icon));
            if let (Some(_), Some(icon)) = (&role.emoji, &role.icon) {
                self.error(
                    "a role has either an `emoji` or an `icon`, not both",
                    icon.whole(),
                )
                .hint = Some("Discord shows one of them; remove `emoji` or `icon`".into());
            }
            let permissions = self.permissions(role.permissions.as_ref());
            let id = role
                .id
                .as_ref()
                .and_then(|id| self.pin(id))
                .map(twilight_model::id::Id::new);
            roles.push(DesiredRole {
                key: role
                    .key
                    .as_ref()
                    .map(|key| key.value.clone())
                    .unwrap_or_default(),
                id,
                previously: role
                    .previously
                    .iter()
                    .flat_map(|list| list.value.iter().map(|former| former.value.clone()))
                    .collect(),
                settings: RoleSettings {
                    name: owner,
                    color,
                    hoist: role.hoist.as_ref().is_some_and(|flag| flag.value),
                    mentionable: role.mentionable.as_ref().is_some_and(|flag| flag.value),
                    permissions,
                    secondary_color,
                    tertiary_color,
                    unicode_emoji,
                    icon,
                },
            });
        }
        self.former_names(&names, &previous, "role", "roles");
        roles
    }

    fn role_key(&mut self, key: &Sp<String>, earlier: &[Claim]) {
        let text = key.value.as_str();
        if text == "everyone" || text == "@everyone" {
            self.error(
                "the role key `everyone` is reserved for @everyone",
                key.span.clone(),
            )
            .hint = Some(
                "set @everyone's permissions in `[everyone]`; pick another key for this role"
                    .into(),
            );
        } else if !is_valid_key(text) {
            let proposal = propose_key(text);
            let hint = if proposal.is_empty() {
                "keys start with a lowercase letter or digit, then letters, digits, `-` or `_`"
                    .to_owned()
            } else {
                format!("keys use lowercase letters, digits, `-` and `_`: try `{proposal}`")
            };
            self.error(format!("invalid role key `{text}`"), key.span.clone())
                .hint = Some(hint);
        }
        if let Some(first) = earlier.iter().find(|claim| claim.name == text) {
            let line = self.line_of(&first.span);
            self.error(format!("duplicate role key `{text}`"), key.span.clone())
                .hint = Some(format!(
                "the key is first used on line {line}; keys must be unique"
            ));
        }
    }

    fn color(&mut self, color: &Sp<String>) -> u32 {
        let text = color.value.as_str();
        let parsed = text
            .strip_prefix('#')
            .filter(|hex| hex.len() == 6 && hex.chars().all(|c| c.is_ascii_hexdigit()))
            .and_then(|hex| u32::from_str_radix(hex, 16).ok());
        match parsed {
            Some(value) => value,
            None => {
                let hint = if text.len() == 6 && text.chars().all(|c| c.is_ascii_hexdigit()) {
                    format!("add the `#`: `\"#{text}\"`")
                } else {
                    "write colours as `\"#rrggbb\"`, for example `\"#e67e22\"`".to_owned()
                };
                self.error(format!("invalid colour `{text}`"), color.span.clone())
                    .hint = Some(hint);
                0
            }
        }
    }

    /// Reports former names that are someone's current name, or claimed twice.
    fn former_names(
        &mut self,
        names: &[Claim],
        previous: &[(Claim, String)],
        what: &str,
        plural: &str,
    ) {
        for (index, (former, owner)) in previous.iter().enumerate() {
            if former.name == *owner {
                self.error(
                    format!("`{}` is already this {what}'s name", former.name),
                    former.span.clone(),
                )
                .hint = Some("remove it from `previously`".into());
            } else if names.iter().any(|claim| claim.name == former.name) {
                self.error(
                    format!(
                        "`{}` is listed in `previously` but another {what} has that name",
                        former.name
                    ),
                    former.span.clone(),
                )
                .hint = Some(format!(
                    "a live {what} named `{}` would match both {plural}; remove it from `previously`",
                    former.name
                ));
            } else if let Some((first, _)) = previous[..index]
                .iter()
                .find(|(claim, _)| claim.name == former.name)
            {
                let line = self.line_of(&first.span);
                self.error(
                    format!("two {plural} list `{}` in `previously`", former.name),
                    former.span.clone(),
                )
                .hint = Some(format!(
                    "it is also listed on line {line}; a former name can belong to one {what} only"
                ));
            }
        }
    }

    // ---- channels ----------------------------------------------------------------------------

    fn channels(
        &mut self,
        top_level: &[Sp<RawChannel>],
        categories: &[Sp<RawCategory>],
    ) -> Vec<DesiredChannel> {
        let mut channels = Vec::new();
        // Identity: (kind, name) for current names, and for former names.
        let mut names: HashMap<ChannelKind, Vec<Claim>> = HashMap::new();
        let mut previous: HashMap<ChannelKind, Vec<(Claim, String)>> = HashMap::new();
        let mut spans: Vec<Range<usize>> = Vec::new();

        for raw in top_level {
            let channel = self.channel(raw, None);
            self.claim(
                &channel,
                &raw.value.name,
                &raw.value.previously,
                &mut names,
                &mut previous,
            );
            spans.push(raw.span.clone());
            channels.push(channel);
        }
        self.text_above_voice(top_level, "outside any category");

        if categories.len() > limits::CATEGORIES {
            self.error(
                format!(
                    "too many categories: {} (Discord allows at most {})",
                    categories.len(),
                    limits::CATEGORIES
                ),
                categories[limits::CATEGORIES].span.clone(),
            );
        }
        for raw in categories {
            let category = self.category(raw);
            self.claim(
                &category,
                &raw.value.name,
                &raw.value.previously,
                &mut names,
                &mut previous,
            );
            spans.push(raw.span.clone());
            let parent = category.name.clone();
            channels.push(category);
            let children = raw.value.channels.as_deref().unwrap_or_default();
            if children.len() > limits::CHANNELS_PER_CATEGORY {
                self.error(
                    format!(
                        "category `{parent}` has {} channels (Discord allows at most {})",
                        children.len(),
                        limits::CHANNELS_PER_CATEGORY
                    ),
                    raw.span.clone(),
                )
                .hint = Some("split it into two categories".into());
            }
            for child in children {
                let channel = self.channel(child, Some(&parent));
                self.claim(
                    &channel,
                    &child.value.name,
                    &child.value.previously,
                    &mut names,
                    &mut previous,
                );
                spans.push(child.span.clone());
                channels.push(channel);
            }
            self.text_above_voice(children, &format!("in category `{parent}`"));
        }
        if spans.len() > limits::CHANNELS {
            self.error(
                format!(
                    "too many channels: {} counting categories (Discord allows at most {})",
                    spans.len(),
                    limits::CHANNELS
                ),
                spans[limits::CHANNELS].clone(),
            );
        }
        let mut kinds: Vec<ChannelKind> = names.keys().chain(previous.keys()).copied().collect();
        kinds.sort();
        kinds.dedup();
        for kind in kinds {
            let (what, plural) = match kind {
                ChannelKind::Category => ("category".to_owned(), "categories".to_owned()),
                _ => (kind.describe(), format!("{}s", kind.describe())),
            };
            let current = names.remove(&kind).unwrap_or_default();
            let former = previous.remove(&kind).unwrap_or_default();
            self.former_names(&current, &former, &what, &plural);
        }
        channels
    }

    /// Records the channel's identity, reporting a second channel with the same name and kind.
    fn claim(
        &mut self,
        channel: &DesiredChannel,
        name: &Option<Sp<String>>,
        former: &Option<Sp<Vec<Sp<String>>>>,
        names: &mut HashMap<ChannelKind, Vec<Claim>>,
        previous: &mut HashMap<ChannelKind, Vec<(Claim, String)>>,
    ) {
        if let Some(name) = name {
            let claims = names.entry(channel.kind).or_default();
            if let Some(first) = claims.iter().find(|claim| claim.name == name.value) {
                let line = self.line_of(&first.span);
                let (message, hint) = if channel.kind == ChannelKind::Category {
                    (
                        format!("two categories are named `{}`", name.value),
                        format!(
                            "the first is on line {line}; categories are matched by name, so names must be unique"
                        ),
                    )
                } else {
                    (
                        format!(
                            "two {}s are named `{}`",
                            channel.kind.describe(),
                            name.value
                        ),
                        format!(
                            "the first is on line {line}; channels are matched by name and kind anywhere in the server, so a {} name can be used once",
                            channel.kind.describe()
                        ),
                    )
                };
                self.error(message, name.span.clone()).hint = Some(hint);
            } else {
                claims.push(Claim {
                    name: name.value.clone(),
                    span: name.span.clone(),
                });
            }
        }
        let claims = previous.entry(channel.kind).or_default();
        for entry in former.iter().flat_map(|list| list.value.iter()) {
            claims.push((
                Claim {
                    name: entry.value.clone(),
                    span: entry.span.clone(),
                },
                channel.name.clone(),
            ));
        }
    }

    fn channel(&mut self, raw: &Sp<RawChannel>, parent: Option<&str>) -> DesiredChannel {
        let channel = &raw.value;
        let kind = kind_of(channel);
        if let Some(name) = &channel.name {
            self.channel_name(name, kind, "channel name");
        }
        for former in channel.previously.iter().flat_map(|list| list.value.iter()) {
            self.channel_name(former, kind, "former channel name");
        }
        let (settings, tags) = self.settings(channel, kind);
        let overwrites = match parent {
            None => {
                if let Some(sync) = &channel.sync {
                    self.error("`sync` only applies to channels in a category", sync.whole())
                        .hint = Some(
                        "a channel outside any category has no category to copy overwrites from; remove `sync`".into(),
                    );
                }
                DesiredOverwrites::Explicit(self.overwrites(channel.overwrites.as_ref()))
            }
            Some(_) => match (&channel.sync, &channel.overwrites) {
                (Some(sync), Some(_)) if sync.value => {
                    self.error("`sync = true` cannot be combined with `overwrites`", sync.whole())
                        .hint = Some(
                        "remove `sync = true` to use this list, or remove `overwrites` to copy the category's".into(),
                    );
                    DesiredOverwrites::SyncWithParent
                }
                (_, Some(list)) => DesiredOverwrites::Explicit(self.overwrites(Some(list))),
                (Some(sync), None) if !sync.value => DesiredOverwrites::Explicit(Vec::new()),
                _ => DesiredOverwrites::SyncWithParent,
            },
        };
        DesiredChannel {
            name: channel
                .name
                .as_ref()
                .map(|name| name.value.clone())
                .unwrap_or_default(),
            kind,
            id: channel
                .id
                .as_ref()
                .and_then(|id| self.pin(id))
                .map(twilight_model::id::Id::new),
            previously: formers(&channel.previously),
            parent: parent.map(str::to_owned),
            settings,
            overwrites,
            tags,
        }
    }

    /// The channel's settings for its kind, and the identity of each forum tag.
    fn settings(
        &mut self,
        channel: &RawChannel,
        kind: ChannelKind,
    ) -> (ChannelSettings, Vec<TagIdentity>) {
        let mut settings = ChannelSettings::default();
        let voice_like = kind.is_voice_like();
        let forum = kind == ChannelKind::Forum;
        const TOPIC: &str = "text, announcement and forum channels";
        const SLOWMODE: &str = "text, voice, stage and forum channels";
        const THREADS: &str = "text, announcement and forum channels (where threads are)";
        const VOICE: &str = "voice and stage channels";
        const FORUM: &str = "forum channels";

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
                    error.hint = Some("only forum channels allow up to 4096".into());
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
            && self.applies(layout, "default_layout", kind, forum, FORUM)
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
                    "`require_tag = true` on a forum without tags",
                    require.whole(),
                )
                .hint = Some("posts could never be made: add `tags = [...]`".into());
            }
        }
        settings.forum = forum.then_some(forum_settings);
        (settings.for_kind(kind), identities)
    }

    /// Whether `key` applies to `kind`; reports it when not.
    fn applies<T>(
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

    fn tags(&mut self, list: &Sp<Vec<Sp<RawTag>>>) -> (Vec<ForumTag>, Vec<TagIdentity>) {
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

    fn tag_name(&mut self, name: &Sp<String>, what: &str) {
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

    /// A unicode emoji, or a custom one as `<:name:id>` / `<a:name:id>`.
    fn emoji(&mut self, value: &Sp<String>) -> Option<Emoji> {
        let text = value.value.as_str();
        if text.starts_with('<') {
            let id = text
                .strip_prefix("<a:")
                .or_else(|| text.strip_prefix("<:"))
                .and_then(|rest| rest.strip_suffix('>'))
                .and_then(|rest| rest.split_once(':'))
                .filter(|(name, _)| {
                    (2..=32).contains(&name.len())
                        && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
                })
                .and_then(|(_, id)| {
                    Some(id)
                        .filter(|id| id.chars().all(|c| c.is_ascii_digit()))
                        .and_then(|id| id.parse::<u64>().ok())
                })
                .filter(|id| *id > 0);
            return match id {
                Some(id) => Some(Emoji::Custom(twilight_model::id::Id::new(id))),
                None => {
                    self.error(
                        format!("`{text}` is not a custom emoji"),
                        value.span.clone(),
                    )
                    .hint = Some(
                        "write custom emojis as `<:name:id>` (`<a:name:id>` when animated), as typing `\\:name:` in Discord shows them".into(),
                    );
                    None
                }
            };
        }
        self.unicode_emoji(value).map(Emoji::Unicode)
    }

    fn unicode_emoji(&mut self, value: &Sp<String>) -> Option<String> {
        let text = value.value.as_str();
        if is_unicode_emoji(text) {
            return Some(text.to_owned());
        }
        let hint = if text.starts_with(':') && text.ends_with(':') && text.len() > 2 {
            "Discord's `:shortcodes:` are not accepted here: paste the emoji itself, like `\"✅\"`"
        } else {
            "write a unicode emoji, like `\"✅\"`, or a custom emoji as `<:name:id>`"
        };
        self.error(format!("`{text}` is not an emoji"), value.span.clone())
            .hint = Some(hint.into());
        None
    }

    // ---- role looks --------------------------------------------------------------------------

    /// `color`, `colors` or `holographic`: (primary, secondary, tertiary).
    fn role_colors(&mut self, role: &RawRole) -> (u32, Option<u32>, Option<u32>) {
        let holographic = role.holographic.as_ref().filter(|flag| flag.value);
        if let Some(flag) = holographic {
            for (key, present) in [
                ("color", role.color.is_some()),
                ("colors", role.colors.is_some()),
            ] {
                if present {
                    self.error(
                        format!("`holographic` cannot be combined with `{key}`"),
                        flag.whole(),
                    )
                    .hint = Some(format!(
                        "the holographic style has Discord's fixed colours; remove `{key}` or `holographic`"
                    ));
                }
            }
            let (primary, secondary, tertiary) = limits::HOLOGRAPHIC;
            return (primary, Some(secondary), Some(tertiary));
        }
        if let Some(colors) = &role.colors {
            if let Some(color) = &role.color {
                self.error("`color` and `colors` cannot be combined", color.whole())
                    .hint = Some(
                    "`colors` is a gradient `[primary, secondary]`; keep `color` alone for one colour"
                        .into(),
                );
            }
            let parsed: Vec<u32> = colors.value.iter().map(|color| self.color(color)).collect();
            return match parsed.as_slice() {
                [primary, secondary] => (*primary, Some(*secondary), None),
                _ => {
                    let hint = if parsed.len() > 2 {
                        "Discord's third colour only exists in the holographic style: write `holographic = true`"
                    } else {
                        "write two colours, `[\"#rrggbb\", \"#rrggbb\"]`, or use `color` for one"
                    };
                    self.error(
                        format!(
                            "`colors` is a gradient of two colours, found {}",
                            parsed.len()
                        ),
                        colors.span.clone(),
                    )
                    .hint = Some(hint.into());
                    (parsed.first().copied().unwrap_or(0), None, None)
                }
            };
        }
        let color = role.color.as_ref().map_or(0, |color| self.color(color));
        (color, None, None)
    }

    fn role_emoji(&mut self, emoji: &Sp<String>) -> Option<String> {
        if emoji.value.starts_with('<') {
            self.error(
                "a role's `emoji` must be a unicode emoji",
                emoji.span.clone(),
            )
            .hint = Some(
                "for a custom emoji, save its image and set `icon = \"path/to/image.png\"`".into(),
            );
            return None;
        }
        self.unicode_emoji(emoji)
    }

    /// A role icon: an image file next to the server file, as a `data:` URI; or `discord:<hash>`
    /// for the icon the role already has.
    fn icon(&mut self, icon: &Sp<String>) -> Option<String> {
        self.image(
            icon,
            &Image {
                what: "icon",
                max_bytes: limits::ICON_BYTES_MAX,
                too_big: "shrink the image; role icons show at 64×64 at most",
                accepted: "Discord accepts PNG, JPEG, GIF and WebP role icons",
            },
        )
    }

    /// An image file next to the server file, as a `data:` URI; or `discord:<hash>` for the
    /// image the object already has.
    fn image(&mut self, value: &Sp<String>, image: &Image) -> Option<String> {
        let what = image.what;
        let text = value.value.as_str();
        if let Some(hash) = text.strip_prefix("discord:") {
            if !hash.is_empty() && hash.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
                return Some(text.to_owned());
            }
            self.error(
                format!("`{text}` is not an {what} hash"),
                value.span.clone(),
            )
            .hint = Some(format!(
                "`discord:<hash>` keeps the current {what} (as `import` writes it); otherwise give an image file"
            ));
            return None;
        }
        let path = self.beside_file(text);
        let bytes = match std::fs::read(&path) {
            Ok(bytes) => bytes,
            Err(error) => {
                self.error(
                    format!("cannot read {what} `{}`: {error}", path.display()),
                    value.span.clone(),
                )
                .hint = Some(format!(
                    "{what} paths are relative to the folder of {}",
                    self.source.name
                ));
                return None;
            }
        };
        if bytes.len() > image.max_bytes {
            self.error(
                format!(
                    "{what} `{text}` is {} KiB (Discord allows at most {} KiB)",
                    bytes.len().div_ceil(1024),
                    image.max_bytes / 1024
                ),
                value.span.clone(),
            )
            .hint = Some(image.too_big.into());
            return None;
        }
        let Some(mime) = image_type(&bytes) else {
            self.error(
                format!("{what} `{text}` is not a PNG, JPEG, GIF or WebP image"),
                value.span.clone(),
            )
            .hint = Some(image.accepted.into());
            return None;
        };
        Some(format!("data:{mime};base64,{}", base64(&bytes)))
    }

    /// A path written in the file, relative to the file's folder.
    fn beside_file(&self, path: &str) -> std::path::PathBuf {
        std::path::Path::new(&self.source.name)
            .parent()
            .unwrap_or(std::path::Path::new(""))
            .join(path)
    }

    // ---- the guild ---------------------------------------------------------------------------

    fn guild(&mut self, raw: &RawGuild, channels: &[DesiredChannel]) -> DesiredGuildSettings {
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
        settings
    }

    /// Discord's preconditions of COMMUNITY, each missing one its own error at `community`.
    fn community_preconditions(
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
    fn community_kinds(&mut self, raw: &RawFile) {
        let top = raw.channels.iter().flatten();
        let nested = raw
            .categories
            .iter()
            .flatten()
            .flat_map(|category| category.value.channels.iter().flatten());
        let mut spans = Vec::new();
        for channel in top.chain(nested) {
            let kind = kind_of(&channel.value);
            if let (ChannelKind::Announcement | ChannelKind::Stage, Some(written)) =
                (kind, &channel.value.kind)
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

    fn named(&mut self, value: &Sp<String>, what: &str, table: &[(u8, &str)]) -> Option<u8> {
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

    /// A `[guild]` channel reference: `""` for none, else a channel of `kind` in the file.
    fn channel_ref(
        &mut self,
        value: &Sp<String>,
        key: &str,
        kind: ChannelKind,
        channels: &[DesiredChannel],
    ) -> Option<Option<String>> {
        let name = value.value.as_str();
        if name.is_empty() {
            return Some(None);
        }
        if channels
            .iter()
            .any(|channel| channel.kind == kind && channel.name == name)
        {
            return Some(Some(name.to_owned()));
        }
        if let Some(other) = channels.iter().find(|channel| channel.name == name) {
            self.error(
                format!(
                    "`{key}` must be {}, but `{name}` is {}",
                    with_article(&kind.describe()),
                    with_article(&other.kind.describe())
                ),
                value.span.clone(),
            )
            .hint = Some(format!(
                "name a {} declared in this file, or `\"\"` for none",
                kind.describe()
            ));
            return None;
        }
        let candidates: Vec<&str> = channels
            .iter()
            .filter(|channel| channel.kind == kind)
            .map(|channel| channel.name.as_str())
            .collect();
        let normalised = normalise_text_channel_name(name);
        let hint = if kind == ChannelKind::Text && candidates.contains(&normalised.as_str()) {
            format!("write `\"{normalised}\"`")
        } else {
            match suggest(name, candidates.iter().copied()) {
                Some(close) => format!("did you mean `{close}`?"),
                None => format!(
                    "`{key}` names a {} declared in this file, or `\"\"` for none",
                    kind.describe()
                ),
            }
        };
        self.error(
            format!("no {} named `{name}` in this file", kind.describe()),
            value.span.clone(),
        )
        .hint = Some(hint);
        None
    }

    fn in_range(
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

    fn channel_name(&mut self, name: &Sp<String>, kind: ChannelKind, what: &str) {
        if !self.check_name(name, what) || kind.sort_bucket() != SortBucket::TextLike {
            return;
        }
        let normalised = normalise_text_channel_name(&name.value);
        if normalised != name.value {
            self.error(
                format!(
                    "{} names are lowercase without spaces: Discord would store `{}` as `{normalised}`",
                    kind.describe(),
                    name.value
                ),
                name.span.clone(),
            )
            .hint = Some(format!("write `\"{normalised}\"`"));
        }
    }

    fn category(&mut self, raw: &Sp<RawCategory>) -> DesiredChannel {
        let category = &raw.value;
        if let Some(name) = &category.name {
            self.check_name(name, "category name");
        }
        for former in category
            .previously
            .iter()
            .flat_map(|list| list.value.iter())
        {
            self.check_name(former, "former category name");
        }
        DesiredChannel {
            name: category
                .name
                .as_ref()
                .map(|name| name.value.clone())
                .unwrap_or_default(),
            kind: ChannelKind::Category,
            id: category
                .id
                .as_ref()
                .and_then(|id| self.pin(id))
                .map(twilight_model::id::Id::new),
            previously: formers(&category.previously),
            parent: None,
            settings: ChannelSettings::defaults_for(ChannelKind::Category),
            overwrites: DesiredOverwrites::Explicit(self.overwrites(category.overwrites.as_ref())),
            tags: Vec::new(),
        }
    }

    /// Discord shows text-like channels (text, announcement, forum) above voice-like channels
    /// (voice, stage) whatever their positions, so a file listing a voice channel first cannot
    /// be shown in its order.
    fn text_above_voice(&mut self, channels: &[Sp<RawChannel>], place: &str) {
        let voice_like = |channel: &Sp<RawChannel>| kind_of(&channel.value).is_voice_like();
        let Some(first_voice) = channels.iter().position(voice_like) else {
            return;
        };
        let late_text = channels[first_voice..]
            .iter()
            .find(|channel| !voice_like(channel));
        if let Some(text) = late_text {
            let name = |channel: &Sp<RawChannel>| {
                channel
                    .value
                    .name
                    .as_ref()
                    .map(|name| name.value.clone())
                    .unwrap_or_default()
            };
            let voice = &channels[first_voice];
            self.warning(
                format!(
                    "{} `{}` is listed after {} `{}` {place}",
                    kind_of(&text.value).describe(),
                    name(text),
                    kind_of(&voice.value).describe(),
                    name(voice),
                ),
                text.span.clone(),
            )
            .hint = Some(
                "Discord always shows text, announcement and forum channels above voice and stage channels; list those last so the file reads in Discord's order".into(),
            );
        }
    }

    // ---- shared ------------------------------------------------------------------------------

    /// Checks a display name; `false` when it is unusable.
    fn check_name(&mut self, name: &Sp<String>, what: &str) -> bool {
        let text = name.value.as_str();
        let trimmed = text.trim();
        if trimmed.is_empty() {
            self.error(format!("{what} is empty"), name.span.clone())
                .hint = Some(format!("Discord needs 1-{} characters", limits::NAME_MAX));
            return false;
        }
        let length = text.chars().count();
        if length > limits::NAME_MAX {
            self.error(
                format!(
                    "{what} is {length} characters long (Discord allows at most {})",
                    limits::NAME_MAX
                ),
                name.span.clone(),
            );
            return false;
        }
        if trimmed != text {
            self.error(
                format!("{what} starts or ends with spaces"),
                name.span.clone(),
            )
            .hint = Some(format!("Discord removes them, so write `\"{trimmed}\"`"));
            return false;
        }
        true
    }

    /// Resolves a list of permission names, reporting unknown ones.
    fn permissions(&mut self, list: Option<&PermissionList>) -> Permissions {
        let mut set = Permissions::NONE;
        for name in list.iter().flat_map(|list| list.value.iter()) {
            match resolve_permission(&name.value) {
                Ok(flag) => {
                    if set.contains(flag) {
                        self.warning(
                            format!("permission `{}` is listed twice", name.value),
                            name.span.clone(),
                        )
                        .hint = Some("remove one of them".into());
                    }
                    set = set.union(flag);
                }
                Err(hint) => {
                    self.error(
                        format!("unknown permission `{}`", name.value),
                        name.span.clone(),
                    )
                    .hint = Some(hint);
                }
            }
        }
        set
    }

    fn overwrites(
        &mut self,
        list: Option<&Sp<Vec<Sp<RawOverwrite>>>>,
    ) -> Vec<Overwrite<DesiredTarget>> {
        let Some(list) = list else {
            return Vec::new();
        };
        if list.value.len() > limits::OVERWRITES_PER_CHANNEL {
            self.error(
                format!(
                    "{} overwrites on one channel (Discord allows at most {})",
                    list.value.len(),
                    limits::OVERWRITES_PER_CHANNEL
                ),
                list.key_or_value(),
            );
        }
        let mut targets: Vec<(DesiredTarget, Range<usize>)> = Vec::new();
        let mut overwrites = Vec::new();
        for entry in &list.value {
            let Some((target, target_span)) = self.target(entry) else {
                continue;
            };
            let allow = self.permissions(entry.value.allow.as_ref());
            let deny = self.permissions(entry.value.deny.as_ref());
            let both = allow.intersection(deny);
            if !both.is_empty() {
                for name in entry.value.deny.iter().flat_map(|deny| deny.value.iter()) {
                    if resolve_permission(&name.value).is_ok_and(|flag| both.contains(flag)) {
                        self.error(
                            format!("`{}` is both allowed and denied", name.value),
                            name.span.clone(),
                        )
                        .hint = Some("keep it in `allow` or in `deny`, not both".into());
                    }
                }
            }
            if allow.is_empty()
                && deny.is_empty()
                && (entry.value.allow.is_some() || entry.value.deny.is_some())
            {
                self.warning(
                    "this overwrite allows and denies nothing",
                    entry.span.clone(),
                )
                .hint = Some("it has no effect; remove it or list permissions".into());
            } else if allow.is_empty() && deny.is_empty() {
                self.warning(
                    "this overwrite has no `allow` or `deny`",
                    entry.span.clone(),
                )
                .hint = Some("it has no effect; add `allow = [...]` or `deny = [...]`".into());
            }
            if let Some((_, first)) = targets.iter().find(|(seen, _)| *seen == target) {
                let line = self.line_of(first);
                self.error(
                    format!(
                        "a second overwrite for {} in the same list",
                        describe_target(&target)
                    ),
                    target_span,
                )
                .hint = Some(format!("the first is on line {line}; merge the two"));
                continue;
            }
            targets.push((target.clone(), target_span));
            overwrites.push(Overwrite {
                target,
                allow,
                deny,
            });
        }
        overwrites
    }

    fn target(&mut self, entry: &Sp<RawOverwrite>) -> Option<(DesiredTarget, Range<usize>)> {
        match (&entry.value.role, &entry.value.member) {
            (Some(role), None) => {
                let key = role.value.as_str();
                if key == "everyone" {
                    return Some((DesiredTarget::Everyone, role.span.clone()));
                }
                if self.role_keys.iter().any(|(known, _)| known == key) {
                    return Some((DesiredTarget::Role(key.to_owned()), role.span.clone()));
                }
                let by_name = self
                    .role_keys
                    .iter()
                    .find(|(_, name)| name.as_deref() == Some(key))
                    .map(|(known, _)| known.clone());
                let hint = if key == "@everyone" {
                    "write `role = \"everyone\"`".to_owned()
                } else if let Some(known) = by_name {
                    format!("roles are referenced by `key`, not name: write `role = \"{known}\"`")
                } else {
                    let candidates: Vec<String> = self
                        .role_keys
                        .iter()
                        .map(|(known, _)| known.clone())
                        .chain(["everyone".to_owned()])
                        .collect();
                    match suggest(key, candidates.iter().map(String::as_str)) {
                        Some(close) => format!("did you mean `{close}`?"),
                        None => "use a role's `key` from `[[roles]]`, or `everyone`".to_owned(),
                    }
                };
                self.error(format!("unknown role `{key}`"), role.span.clone())
                    .hint = Some(hint);
                None
            }
            (None, Some(member)) => {
                let id = self.snowflake(member, "member")?;
                Some((
                    DesiredTarget::Member(twilight_model::id::Id::new(id)),
                    member.span.clone(),
                ))
            }
            (Some(_), Some(member)) => {
                self.error(
                    "an overwrite names both a `role` and a `member`",
                    member.whole(),
                )
                .hint = Some("write one overwrite for the role and another for the member".into());
                None
            }
            (None, None) => {
                // A wrongly typed `role` or `member` was reported already.
                let note = if entry.value.allow.is_some() || entry.value.deny.is_some() {
                    "add `role = \"<key>\"` (or `\"everyone\"`) or `member = \"<user id>\"`"
                } else {
                    "an overwrite needs `role` or `member`, and `allow` and/or `deny`"
                };
                self.error(
                    "an overwrite needs a `role` or a `member`",
                    entry.span.clone(),
                )
                .hint = Some(note.into());
                None
            }
        }
    }

    /// A decimal id above zero.
    fn snowflake(&mut self, text: &Sp<String>, key: &str) -> Option<u64> {
        let parsed = Some(text.value.as_str())
            .filter(|digits| !digits.is_empty() && digits.chars().all(|c| c.is_ascii_digit()))
            .and_then(|digits| digits.parse::<u64>().ok())
            .filter(|id| *id > 0);
        if parsed.is_none() {
            self.error(
                format!("`{}` is not a Discord id", text.value),
                text.span.clone(),
            )
            .hint = Some(format!(
                "`{key}` takes the number Discord's \"Copy ID\" gives (developer mode), in quotes"
            ));
        }
        parsed
    }

    /// An `id = "..."` pin: a valid snowflake, used once in the whole file.
    fn pin(&mut self, text: &Sp<String>) -> Option<u64> {
        let id = self.snowflake(text, "id")?;
        if let Some(first) = self.pins.get(&id).cloned() {
            let line = self.line_of(&first);
            self.error(format!("id `{id}` is pinned twice"), text.span.clone())
                .hint = Some(format!(
                "it is also pinned on line {line}; an id belongs to one object"
            ));
            return None;
        }
        self.pins.insert(id, text.span.clone());
        Some(id)
    }
}

fn kind_of(channel: &RawChannel) -> ChannelKind {
    match channel.kind.as_ref().map(|kind| kind.value) {
        Some(RawChannelType::Voice) => ChannelKind::Voice,
        Some(RawChannelType::Announcement) => ChannelKind::Announcement,
        Some(RawChannelType::Stage) => ChannelKind::Stage,
        Some(RawChannelType::Forum) => ChannelKind::Forum,
        Some(RawChannelType::Text) | None => ChannelKind::Text,
    }
}

fn formers(list: &Option<Sp<Vec<Sp<String>>>>) -> Vec<String> {
    list.iter()
        .flat_map(|list| list.value.iter().map(|former| former.value.clone()))
        .collect()
}

fn describe_target(target: &DesiredTarget) -> String {
    match target {
        DesiredTarget::Everyone => "`everyone`".into(),
        DesiredTarget::Role(key) => format!("role `{key}`"),
        DesiredTarget::Member(id) => format!("member `{id}`"),
    }
}

/// A permission name as the file must write it: a flag name in snake_case, or `bit_N`. The error
/// is the hint.
pub(crate) fn resolve_permission(name: &str) -> Result<Permissions, String> {
    if FLAGS.iter().any(|(_, flag)| *flag == name) || name.starts_with("bit_") {
        if let Some(flag) = Permissions::parse_name(name) {
            return Ok(flag);
        }
        return Err("`bit_N` names a bit from 0 to 63".into());
    }
    if let Some(flag) = Permissions::from_name(name) {
        let spelled = flag.names().join("");
        return Err(format!(
            "permission names are lowercase snake_case: write `{spelled}`"
        ));
    }
    if let Some((_, meant)) = PERMISSION_ALIASES.iter().find(|(alias, _)| *alias == name) {
        return Err(format!("Discord calls it `{meant}`"));
    }
    match Permissions::suggest(name) {
        Some(close) => Err(format!("did you mean `{close}`?")),
        None => Err("permission names are Discord's flags in snake_case, like `view_channel` or `send_messages`".into()),
    }
}

fn is_valid_key(key: &str) -> bool {
    let mut chars = key.chars();
    chars
        .next()
        .is_some_and(|first| first.is_ascii_lowercase() || first.is_ascii_digit())
        && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_')
}

/// A valid key close to `text`: `Core Contributor` becomes `core-contributor`.
fn propose_key(text: &str) -> String {
    let mut key = String::new();
    for c in text.chars().flat_map(char::to_lowercase) {
        if c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_' {
            key.push(c);
        } else if !key.is_empty() && !key.ends_with('-') {
            key.push('-');
        }
    }
    key.trim_end_matches('-').to_owned()
}

fn quoted<'a>(names: impl Iterator<Item = &'a str>) -> String {
    names
        .map(|name| format!("`{name}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

fn with_article(noun: &str) -> String {
    if noun.starts_with(['a', 'e', 'i', 'o', 'u']) {
        format!("an {noun}")
    } else {
        format!("a {noun}")
    }
}

/// A unicode emoji as Discord stores it: one short run of non-ASCII symbols (keycaps like `1️⃣`
/// have an ASCII digit before U+20E3).
pub(crate) fn is_unicode_emoji(text: &str) -> bool {
    let keycap = text.contains('\u{20e3}');
    !text.is_empty()
        && text.chars().count() <= limits::EMOJI_MAX
        && !text.is_ascii()
        && text.chars().all(|c| {
            !c.is_whitespace()
                && (!c.is_ascii() || (keycap && (c.is_ascii_digit() || c == '#' || c == '*')))
        })
}

/// The MIME type of an image Discord accepts as a role icon, from its first bytes.
fn image_type(bytes: &[u8]) -> Option<&'static str> {
    if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        Some("image/png")
    } else if bytes.starts_with(&[0xff, 0xd8, 0xff]) {
        Some("image/jpeg")
    } else if bytes.starts_with(b"GIF87a") || bytes.starts_with(b"GIF89a") {
        Some("image/gif")
    } else if bytes.len() >= 12 && &bytes[..4] == b"RIFF" && &bytes[8..12] == b"WEBP" {
        Some("image/webp")
    } else {
        None
    }
}

/// Standard base64 with padding.
fn base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            chunk.get(1).copied().unwrap_or(0),
            chunk.get(2).copied().unwrap_or(0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for (i, shift) in [18, 12, 6, 0].into_iter().enumerate() {
            if i <= chunk.len() {
                out.push(char::from(ALPHABET[((n >> shift) & 63) as usize]));
            } else {
                out.push('=');
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn base64_matches_the_rfc_examples() {
        let cases = [
            ("", ""),
            ("f", "Zg=="),
            ("fo", "Zm8="),
            ("foo", "Zm9v"),
            ("foob", "Zm9vYg=="),
            ("fooba", "Zm9vYmE="),
            ("foobar", "Zm9vYmFy"),
        ];
        for (input, output) in cases {
            assert_eq!(super::base64(input.as_bytes()), output);
        }
    }

    #[test]
    fn unicode_emojis_are_recognised() {
        for emoji in ["✅", "🛡️", "👍🏽", "1️⃣", "#️⃣", "🏳️‍🌈"] {
            assert!(super::is_unicode_emoji(emoji), "{emoji}");
        }
        for text in ["", "ok", ":smile:", "✅ ✅", "1"] {
            assert!(!super::is_unicode_emoji(text), "{text}");
        }
    }
}
