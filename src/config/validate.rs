//! From the [`raw`](super::raw) file to a [`DesiredGuild`]: everything about meaning.
//!
//! Checks names and Discord's limits, resolves permission names and role keys, decides each
//! channel's overwrites (synced or explicit), and makes sure every object has one identity:
//! roles by name, channels by name and kind anywhere in the server, categories by name, pins by
//! id. All problems are collected; the guild built alongside is only used when there are no
//! errors. Limits follow `DISCORD-API-NOTES.md` §4.8.

mod automod;
mod channel_settings;
mod channels;
mod community;
mod events;
mod expressions;
mod guild;
mod guild_images;
mod images;
mod invites;
mod messages;
mod overwrites;
mod references;
mod roles;
mod roster;
mod safety;
mod threads;
mod webhooks;

use std::collections::HashMap;
use std::ops::Range;

use crate::model::{DesiredGuild, Prune};
use crate::permissions::{FLAGS, Permissions};

use super::Source;
use super::diagnostic::Diagnostic;
use super::raw::{PermissionList, RawFile, Sp};

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
        channel_spans: Vec::new(),
        presets: HashMap::new(),
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
    /// Where each declared channel's name is written, in the order of the guild's channels.
    channel_spans: Vec<Range<usize>>,
    /// `[presets]` by name.
    presets: HashMap<String, overwrites::Preset>,
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

    /// The line of a span, for hints that say "on line 12": `12`, or `12 of roles.toml` when
    /// the file includes others.
    fn line_of(&self, span: &Range<usize>) -> String {
        let at = Diagnostic::error("", self.source, span.clone());
        if self.source.parts.is_empty() {
            at.line.to_string()
        } else {
            format!("{} of {}", at.line, at.file)
        }
    }

    fn line_number_of(&self, span: &Range<usize>) -> usize {
        Diagnostic::error("", self.source, span.clone()).line
    }

    /// The file a span is in, when the file includes others.
    fn file_of(&self, span: &Range<usize>) -> Option<String> {
        (!self.source.parts.is_empty())
            .then(|| Diagnostic::error("", self.source, span.clone()).file)
    }

    /// `line 12:9` (`roles.toml:12:9` when the file includes others), for messages that point
    /// at several places.
    fn position_of(&self, span: &Range<usize>) -> String {
        let at = Diagnostic::error("", self.source, span.clone());
        if self.source.parts.is_empty() {
            format!("line {}:{}", at.line, at.column)
        } else {
            format!("{}:{}:{}", at.file, at.line, at.column)
        }
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
            invites: prune.value.invites.as_ref().is_some_and(|flag| flag.value),
            threads: prune.value.threads.as_ref().is_some_and(|flag| flag.value),
            emojis: prune.value.emojis.as_ref().is_some_and(|flag| flag.value),
            soundboard: prune
                .value
                .soundboard
                .as_ref()
                .is_some_and(|flag| flag.value),
            stickers: prune.value.stickers.as_ref().is_some_and(|flag| flag.value),
        });
        let roles = self.roles(raw.roles.as_deref().unwrap_or_default());
        self.read_presets(raw);
        let channels = self.channels(
            raw.channels.as_deref().unwrap_or_default(),
            raw.categories.as_deref().unwrap_or_default(),
        );
        self.unused_presets();
        let settings = raw
            .guild
            .as_ref()
            .map(|guild| self.guild(&guild.value, &channels))
            .unwrap_or_default();
        if settings.community != Some(true) {
            self.community_kinds(raw);
        }
        let mut community = self.community(raw, &channels, &settings, everyone_permissions);
        community.invites = self.invites(raw, &channels);
        community.threads = self.threads(raw.threads.as_deref().unwrap_or_default(), &channels);
        let ignore = self.ignore(raw);
        let protect = self.protect(raw);
        let (assertions, at): (Vec<_>, Vec<_>) =
            self.assertions(raw, &channels).into_iter().unzip();
        let unlisted = self.unlisted(raw);
        let roster = self.roster(raw.roles.as_deref().unwrap_or_default());
        let desired = DesiredGuild {
            roster,
            unlisted,
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
