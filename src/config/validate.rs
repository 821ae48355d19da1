//! From the [`raw`](super::raw) file to a [`DesiredGuild`]: everything about meaning.
//!
//! Checks names and Discord's limits, resolves permission names and role keys, decides each
//! channel's overwrites (synced or explicit), and makes sure every object has one identity:
//! roles by name, channels by name and kind anywhere in the server, categories by name, pins by
//! id. All problems are collected; the guild built alongside is only used when there are no
//! errors. Limits follow `DISCORD-API-NOTES.md` §4.8.

use std::collections::HashMap;
use std::ops::Range;

use crate::model::{
    ChannelKind, ChannelSettings, DesiredChannel, DesiredGuild, DesiredOverwrites, DesiredRole,
    DesiredTarget, Overwrite, Prune, RoleSettings,
};
use crate::permissions::{FLAGS, Permissions};

use super::diagnostic::Diagnostic;
use super::raw::{
    PermissionList, RawCategory, RawChannel, RawChannelType, RawFile, RawOverwrite, RawRole, Sp,
};
use super::{Source, normalise_text_channel_name, suggest};

/// Discord's limits the file is checked against.
pub mod limits {
    pub const NAME_MAX: usize = 100;
    pub const TOPIC_MAX: usize = 1024;
    pub const SLOWMODE_MAX: i64 = 21_600;
    pub const BITRATE_MIN: i64 = 8_000;
    pub const BITRATE_MAX: i64 = 384_000;
    /// The highest bitrate a server without boosts may use.
    pub const BITRATE_UNBOOSTED_MAX: i64 = 96_000;
    pub const USER_LIMIT_MAX: i64 = 99;
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
            ..Prune::default()
        });
        let roles = self.roles(raw.roles.as_deref().unwrap_or_default());
        let channels = self.channels(
            raw.channels.as_deref().unwrap_or_default(),
            raw.categories.as_deref().unwrap_or_default(),
        );
        DesiredGuild {
            everyone_permissions,
            roles,
            channels,
            prune,
            settings: Default::default(),
            community: Default::default(),
        }
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
            let color = role.color.as_ref().map_or(0, |color| self.color(color));
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
                    secondary_color: None,
                    tertiary_color: None,
                    unicode_emoji: None,
                    icon: None,
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
                ChannelKind::Category => ("category", "categories"),
                ChannelKind::Voice => ("voice channel", "voice channels"),
                _ => ("text channel", "text channels"),
            };
            let current = names.remove(&kind).unwrap_or_default();
            let former = previous.remove(&kind).unwrap_or_default();
            self.former_names(&current, &former, what, plural);
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
        let kind = match channel.kind.as_ref().map(|kind| kind.value) {
            Some(RawChannelType::Voice) => ChannelKind::Voice,
            Some(RawChannelType::Text) | None => ChannelKind::Text,
        };
        if let Some(name) = &channel.name {
            self.channel_name(name, kind, "channel name");
        }
        for former in channel.previously.iter().flat_map(|list| list.value.iter()) {
            self.channel_name(former, kind, "former channel name");
        }
        let settings = self.settings(channel, kind);
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
            tags: Vec::new(),
        }
    }

    fn settings(&mut self, channel: &RawChannel, kind: ChannelKind) -> ChannelSettings {
        let mut settings = ChannelSettings::defaults_for(kind);
        let voice = kind == ChannelKind::Voice;
        if let Some(topic) = &channel.topic {
            if voice {
                self.not_for(topic.whole(), "topic", "voice channels", "text channels");
            } else {
                let length = topic.value.chars().count();
                if length > limits::TOPIC_MAX {
                    self.error(
                        format!(
                            "topic is {length} characters long (Discord allows at most {})",
                            limits::TOPIC_MAX
                        ),
                        topic.span.clone(),
                    );
                }
                settings.topic = Some(topic.value.clone()).filter(|text| !text.is_empty());
            }
        }
        if let Some(slowmode) = &channel.slowmode
            && let Some(value) =
                self.in_range(slowmode, "slowmode", 0, limits::SLOWMODE_MAX, " seconds")
        {
            settings.slowmode = value;
        }
        if let Some(nsfw) = &channel.nsfw {
            settings.nsfw = nsfw.value;
        }
        if let Some(bitrate) = &channel.bitrate {
            if !voice {
                self.not_for(
                    bitrate.whole(),
                    "bitrate",
                    "text channels",
                    "voice channels",
                );
            } else if let Some(value) = self.in_range(
                bitrate,
                "bitrate",
                limits::BITRATE_MIN,
                limits::BITRATE_MAX,
                "",
            ) {
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
            }
        }
        if let Some(limit) = &channel.user_limit {
            if !voice {
                self.not_for(
                    limit.whole(),
                    "user_limit",
                    "text channels",
                    "voice channels",
                );
            } else if let Some(value) =
                self.in_range(limit, "user_limit", 0, limits::USER_LIMIT_MAX, "")
            {
                settings.user_limit = Some(value);
            }
        }
        settings
    }

    fn not_for(&mut self, span: Range<usize>, key: &str, kinds: &str, only: &str) {
        self.error(format!("`{key}` does not apply to {kinds}"), span)
            .hint = Some(format!("`{key}` is for {only} only; remove it"));
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
        if !self.check_name(name, what) || kind != ChannelKind::Text {
            return;
        }
        let normalised = normalise_text_channel_name(&name.value);
        if normalised != name.value {
            self.error(
                format!(
                    "text channel names are lowercase without spaces: Discord would store `{}` as `{normalised}`",
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

    /// Discord shows text channels above voice channels whatever their positions, so a file
    /// listing a voice channel first cannot be shown in its order.
    fn text_above_voice(&mut self, channels: &[Sp<RawChannel>], place: &str) {
        let kind_of = |channel: &Sp<RawChannel>| channel.value.kind.as_ref().map(|kind| kind.value);
        let Some(first_voice) = channels
            .iter()
            .position(|channel| kind_of(channel) == Some(RawChannelType::Voice))
        else {
            return;
        };
        let late_text = channels[first_voice..]
            .iter()
            .find(|channel| kind_of(channel) != Some(RawChannelType::Voice));
        if let Some(text) = late_text {
            let name = |channel: &Sp<RawChannel>| {
                channel
                    .value
                    .name
                    .as_ref()
                    .map(|name| name.value.clone())
                    .unwrap_or_default()
            };
            let voice_name = name(&channels[first_voice]);
            self.warning(
                format!(
                    "text channel `{}` is listed after voice channel `{voice_name}` {place}",
                    name(text)
                ),
                text.span.clone(),
            )
            .hint = Some(
                "Discord always shows text channels above voice channels; list voice channels last so the file reads in Discord's order".into(),
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
