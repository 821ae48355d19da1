//! The file as written: one struct per TOML table, every value with its location.
//!
//! [`read`](super::read) fills these from the parsed document, reporting wrong types and unknown
//! keys; [`validate`](super::validate) gives them meaning. The JSON Schema is derived from these
//! same structs, so their doc comments are what editors show on hover. Fields the file may leave
//! out are `Option`; `#[schemars(required)]` marks the ones validation insists on.

use std::borrow::Cow;
use std::ops::Range;

use schemars::{JsonSchema, Schema, SchemaGenerator, json_schema};

use crate::model::guild_values;
use crate::permissions::FLAGS;

mod community;
mod schema;

pub(crate) use community::*;
pub use schema::json_schema;

/// A value and where it was written. `key_span` covers the key of a `key = value` pair, when
/// there is one.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Sp<T> {
    pub value: T,
    pub span: Range<usize>,
    pub key_span: Option<Range<usize>>,
}

impl<T> Sp<T> {
    pub fn new(value: T, span: Range<usize>) -> Self {
        Self {
            value,
            span,
            key_span: None,
        }
    }

    /// The whole `key = value`, or just the value.
    pub fn whole(&self) -> Range<usize> {
        match &self.key_span {
            Some(key) => key.start.min(self.span.start)..self.span.end.max(key.end),
            None => self.span.clone(),
        }
    }

    /// The key if there is one, else the value.
    pub fn key_or_value(&self) -> Range<usize> {
        self.key_span.clone().unwrap_or_else(|| self.span.clone())
    }
}

/// The schema of a located value is the value's schema.
impl<T: JsonSchema> JsonSchema for Sp<T> {
    fn inline_schema() -> bool {
        T::inline_schema()
    }

    fn schema_name() -> Cow<'static, str> {
        T::schema_name()
    }

    fn schema_id() -> Cow<'static, str> {
        T::schema_id()
    }

    fn json_schema(generator: &mut SchemaGenerator) -> Schema {
        T::json_schema(generator)
    }
}

/// A list of permission names, as written.
pub(crate) type PermissionList = Sp<Vec<Sp<String>>>;

/// `server.toml`: a Discord server described as code, for miyabi-guild.
///
/// Order is meaningful: roles are listed top to bottom (the first role is the highest), and
/// categories and channels appear in the file's order.
#[derive(Clone, Debug, Default, JsonSchema)]
#[schemars(title = "miyabi-guild server.toml", deny_unknown_fields)]
pub(crate) struct RawFile {
    /// Other files holding tables of this one, relative to its directory, in order:
    /// `include = ["roles.toml", "channels/*.toml"]` (`*` and `?` match within a file name;
    /// matches are taken sorted by path; a directory stands for its `.toml` files). Lists of tables (`[[roles]]`, ...) are concatenated,
    /// this file's first; a key may be written in one file only. Included files have the same
    /// shape, without `include` or `environments`.
    #[schemars(with = "Option<Vec<String>>")]
    #[allow(dead_code)] // read by `config::layout` before the reader; here for the schema
    pub include: Option<()>,
    /// Guilds this file is applied to, by name (`[environments.staging]`,
    /// `[environments.production]`): each with its guild id, what it omits and its overrides.
    /// Select one with `--env NAME` (or `MIYABI_ENV`); its token is `DISCORD_TOKEN_NAME`, else
    /// `DISCORD_TOKEN`.
    #[schemars(with = "Option<std::collections::BTreeMap<String, schema::RawEnvironment>>")]
    #[allow(dead_code)]
    // read by `config::environments` before the reader; here for the schema
    pub environments: Option<()>,
    /// The server's own settings: name, description, moderation levels, system channels,
    /// Community. Every key is optional: a key left out is not managed.
    pub guild: Option<Sp<RawGuild>>,
    /// The permissions of `@everyone`, the role every member has. Leave the table out to leave
    /// them as they are on Discord.
    pub everyone: Option<Sp<RawEveryone>>,
    /// Which kinds of live object the file is authoritative for. By default objects the file
    /// does not mention are kept.
    pub prune: Option<Sp<RawPrune>>,
    /// Roles, top to bottom: the first role is the highest in the hierarchy.
    pub roles: Option<Vec<Sp<RawRole>>>,
    /// Channels outside any category. Discord shows them above every category.
    pub channels: Option<Vec<Sp<RawChannel>>>,
    /// Categories in display order, each with its channels.
    pub categories: Option<Vec<Sp<RawCategory>>>,
    /// The screen new members see before entering (Community servers). Leave the table out to
    /// leave it as it is on Discord.
    #[schemars(with = "Option<RawWelcomeScreen>")]
    pub welcome_screen: Option<Sp<RawWelcomeScreen>>,
    /// Onboarding: the channels new members start with and the questions they answer
    /// (Community servers). Leave the table out to leave it as it is on Discord.
    #[schemars(with = "Option<RawOnboarding>")]
    pub onboarding: Option<Sp<RawOnboarding>>,
    /// AutoMod rules, matched by name. Live rules the file does not name are kept unless
    /// `[prune] automod = true`.
    pub automod: Option<Vec<Sp<RawAutoModRule>>>,
    /// Scheduled events, matched by name. Live events the file does not name are kept unless
    /// `[prune] events = true`.
    pub events: Option<Vec<Sp<RawEvent>>>,
    /// Channel webhooks, matched by name in their channel. Live webhooks the file does not name
    /// are kept unless `[prune] webhooks = true`.
    pub webhooks: Option<Vec<Sp<RawWebhook>>>,
    /// Custom emoji, matched by name. Live emoji the file does not name are kept unless
    /// `[prune] emojis = true`.
    pub emojis: Option<Vec<Sp<RawEmoji>>>,
    /// Soundboard sounds, matched by name. Live sounds the file does not name are kept unless
    /// `[prune] soundboard = true`.
    pub soundboard: Option<Vec<Sp<RawSound>>>,
    /// Guild stickers, matched by name. Live stickers the file does not name are kept unless
    /// `[prune] stickers = true`.
    pub stickers: Option<Vec<Sp<RawSticker>>>,
    /// Messages the tool keeps posted in a channel, from a Markdown file.
    pub messages: Option<Vec<Sp<RawMessages>>>,
    /// Invites the community publishes (on a website, in a README), matched by channel and
    /// settings. The tool keeps exactly these among the bot's own invites; members' invites are
    /// kept unless `[prune] invites = true`. `miyabi-guild invites` shows their links.
    pub invites: Option<Vec<Sp<RawInvite>>>,
    /// The server widget. Leave the table out to leave it as it is on Discord.
    #[schemars(with = "Option<RawWidget>")]
    pub widget: Option<Sp<RawWidget>>,
    /// The server's vanity invite code (servers with the VANITY_URL feature). Discord's API
    /// cannot set it: the plan warns when it differs, saying where to change it.
    #[schemars(with = "Option<RawVanity>")]
    pub vanity: Option<Sp<RawVanity>>,
    /// Forum and media posts and text-channel threads the bot keeps (a pinned guide), matched
    /// by title in their channel among the bot's own threads; members' threads are never
    /// touched.
    pub threads: Option<Vec<Sp<RawThread>>>,
    /// Live objects left out of management entirely: never matched, kept, pruned or reordered.
    /// Declaring an object whose name an ignore pattern matches is an error.
    #[schemars(with = "Option<RawIgnore>")]
    pub ignore: Option<Sp<RawIgnore>>,
    /// Names of live objects no plan may delete, even when they leave the file and their
    /// collection is pruned (see also `protect = true` on a role, category or channel).
    #[schemars(with = "Option<RawProtect>")]
    pub protect: Option<Sp<RawProtect>>,
    /// Statements about access that must hold: `validate` checks them against the file, `plan`
    /// against the result of applying it.
    #[schemars(with = "Option<RawAccess>")]
    pub access: Option<Sp<RawAccess>>,
    /// Named sets of overwrites, written once and used by categories and channels with
    /// `preset = "name"`: `[presets.staff-only]`.
    #[schemars(with = "Option<std::collections::BTreeMap<String, RawPreset>>")]
    pub presets: Option<Sp<RawPresets>>,
}

/// `[presets]`: each preset's name and table, in file order.
pub(crate) type RawPresets = Vec<(Sp<String>, Sp<RawPreset>)>;

/// A named set of overwrites.
#[derive(Clone, Debug, Default, JsonSchema)]
#[schemars(rename = "Preset", deny_unknown_fields)]
pub(crate) struct RawPreset {
    /// The overwrites, as a category's or channel's `overwrites` are written.
    #[schemars(required, with = "Vec<RawOverwrite>")]
    pub overwrites: Option<Sp<Vec<Sp<RawOverwrite>>>>,
}

/// Live objects the tool leaves alone, by name. A pattern is a name where `*` stands for any
/// run of characters (`MEE6*`, `tmp-*`); nothing else is special.
#[derive(Clone, Debug, Default, JsonSchema)]
#[schemars(rename = "Ignore", deny_unknown_fields)]
pub(crate) struct RawIgnore {
    /// Patterns of live role names (`["MEE6*", "Server Booster"]`).
    #[schemars(with = "Option<Vec<String>>")]
    pub roles: Option<Sp<Vec<Sp<String>>>>,
    /// Patterns of live channel and category names (`["tmp-*", "🔒 archive"]`). Ignoring a
    /// category ignores the channels in it.
    #[schemars(with = "Option<Vec<String>>")]
    pub channels: Option<Sp<Vec<Sp<String>>>>,
}

/// Live objects no plan may delete or replace, by exact name.
#[derive(Clone, Debug, Default, JsonSchema)]
#[schemars(rename = "Protect", deny_unknown_fields)]
pub(crate) struct RawProtect {
    /// Live role names.
    #[schemars(with = "Option<Vec<String>>")]
    pub roles: Option<Sp<Vec<Sp<String>>>>,
    /// Live channel and category names.
    #[schemars(with = "Option<Vec<String>>")]
    pub channels: Option<Sp<Vec<Sp<String>>>>,
    /// Titles of the bot's threads `[prune] threads` may not delete.
    #[schemars(with = "Option<Vec<String>>")]
    pub threads: Option<Sp<Vec<Sp<String>>>>,
}

/// Access rules.
#[derive(Clone, Debug, Default, JsonSchema)]
#[schemars(rename = "Access", deny_unknown_fields)]
pub(crate) struct RawAccess {
    /// Assertions about who can see and post where, each judged per role (a member holding only
    /// that role). Roles with Administrator pass every overwrite, so "nobody else" never counts
    /// them.
    #[schemars(rename = "assert")]
    pub assertions: Option<Vec<Sp<RawAssertion>>>,
}

/// One access assertion: exactly one of `only_visible_to`, `not_visible_to`,
/// `read_only_except`, and at least one of `categories`, `channels`.
#[derive(Clone, Debug, Default, JsonSchema)]
#[schemars(rename = "Assertion", deny_unknown_fields)]
pub(crate) struct RawAssertion {
    /// Role keys (`everyone` for @everyone, `@name` for a bot's role) that can see the selected
    /// channels; no other role can.
    #[schemars(with = "Option<Vec<String>>")]
    pub only_visible_to: Option<Sp<Vec<Sp<String>>>>,
    /// Role keys (`everyone` for @everyone) that cannot see the selected channels.
    #[schemars(with = "Option<Vec<String>>")]
    pub not_visible_to: Option<Sp<Vec<Sp<String>>>>,
    /// Role keys (`everyone` for @everyone) that can post in the selected channels; no other
    /// role can (categories themselves are not judged: nothing is posted in a category).
    #[schemars(with = "Option<Vec<String>>")]
    pub read_only_except: Option<Sp<Vec<Sp<String>>>>,
    /// Category names: the category and every channel in it.
    #[schemars(with = "Option<Vec<String>>")]
    pub categories: Option<Sp<Vec<Sp<String>>>>,
    /// Channel names, any kind.
    #[schemars(with = "Option<Vec<String>>")]
    pub channels: Option<Sp<Vec<Sp<String>>>>,
}

/// The server's own settings. Every key is optional; a key left out is left as it is on Discord.
/// Channels are referenced by the name of a channel declared in this file (`"general in Team 3"`
/// when the name repeats across categories, `"general outside categories"`, a kind in
/// parentheses for twins: `"news (announcement)"`); `""` clears the setting.
#[derive(Clone, Debug, Default, JsonSchema)]
#[schemars(rename = "Guild", deny_unknown_fields)]
pub(crate) struct RawGuild {
    /// The server's name, 2-100 characters.
    #[schemars(with = "Option<String>", length(min = 2, max = 100))]
    pub name: Option<Sp<String>>,
    /// Shown in invites and server discovery, up to 300 characters; `""` for none.
    #[schemars(with = "Option<String>", length(max = 300))]
    pub description: Option<Sp<String>>,
    /// What members must have before they can talk: `none`, `low` (verified email), `medium`
    /// (registered for 5 minutes), `high` (member for 10 minutes), `highest` (verified phone).
    #[schemars(with = "Option<VerificationLevel>")]
    pub verification_level: Option<Sp<String>>,
    /// Whose media Discord scans for explicit content.
    #[schemars(with = "Option<ContentFilter>")]
    pub explicit_content_filter: Option<Sp<String>>,
    /// Default notification setting of new members.
    #[schemars(with = "Option<Notifications>")]
    pub default_notifications: Option<Sp<String>>,
    /// Name of a voice channel in this file where idle members are moved; `""` for none.
    #[schemars(with = "Option<String>")]
    pub afk_channel: Option<Sp<String>>,
    /// Seconds of inactivity before a member is moved to the AFK channel.
    #[schemars(with = "Option<AfkTimeout>")]
    pub afk_timeout: Option<Sp<i64>>,
    /// Name of a text channel in this file where Discord posts joins and boosts; `""` for none.
    #[schemars(with = "Option<String>")]
    pub system_channel: Option<Sp<String>>,
    /// System messages to turn off (the list is the whole set: messages not listed are on).
    #[schemars(with = "Option<Vec<SystemChannelFlag>>")]
    pub system_channel_flags: Option<Sp<Vec<Sp<String>>>>,
    /// Name of a text channel in this file holding the rules (Community servers); `""` for none.
    #[schemars(with = "Option<String>")]
    pub rules_channel: Option<Sp<String>>,
    /// Name of a text channel in this file where Discord sends notices to moderators (Community
    /// servers); `""` for none.
    #[schemars(with = "Option<String>")]
    pub public_updates_channel: Option<Sp<String>>,
    /// Name of a text channel in this file for safety alerts (raids, spam); `""` for none.
    #[schemars(with = "Option<String>")]
    pub safety_alerts_channel: Option<Sp<String>>,
    /// The server's primary language, one of Discord's locale codes (`en-US`, `ja`, ...).
    #[schemars(with = "Option<Locale>")]
    pub preferred_locale: Option<Sp<String>>,
    /// Turns the Community feature on or off. On needs, in this file: `verification_level` at
    /// least `low`, `explicit_content_filter = "all_members"`, `rules_channel` and
    /// `public_updates_channel`. Announcement and stage channels need a Community server.
    #[schemars(with = "Option<bool>")]
    pub community: Option<Sp<bool>>,
    /// The server icon: a PNG, JPEG or GIF file (GIF needs the ANIMATED_ICON feature), path
    /// relative to this file, at most 10 MiB; `"discord:<hash>"` (written by `import`) keeps the
    /// current one; `""` removes it. Compared with Discord's by content (the README says how).
    #[schemars(with = "Option<String>")]
    pub icon: Option<Sp<String>>,
    /// The banner: a PNG or JPEG file (GIF with ANIMATED_BANNER). Needs the BANNER feature (boost
    /// level 2); without it the plan warns and leaves the banner as it is.
    #[schemars(with = "Option<String>")]
    pub banner: Option<Sp<String>>,
    /// The invite background: a PNG or JPEG file. Needs the INVITE_SPLASH feature (boost level
    /// 1); without it the plan warns and leaves it as it is.
    #[schemars(with = "Option<String>")]
    pub invite_splash: Option<Sp<String>>,
    /// The server discovery background: a PNG or JPEG file. Needs the DISCOVERABLE feature;
    /// without it the plan warns and leaves it as it is.
    #[schemars(with = "Option<String>")]
    pub discovery_splash: Option<Sp<String>>,
}

/// The `@everyone` role.
#[derive(Clone, Debug, JsonSchema)]
#[schemars(rename = "Everyone", deny_unknown_fields)]
pub(crate) struct RawEveryone {
    /// Server-wide permissions of every member. `[]` takes every permission away.
    #[schemars(required, with = "Vec<PermissionName>")]
    pub permissions: Option<PermissionList>,
}

/// Whether unmanaged live objects are deleted.
#[derive(Clone, Debug, JsonSchema)]
#[schemars(rename = "Prune", deny_unknown_fields)]
pub(crate) struct RawPrune {
    /// Delete live roles the file does not describe (never managed roles such as bots' own).
    #[schemars(extend("default" = false))]
    pub roles: Option<Sp<bool>>,
    /// Delete live categories and channels the file does not describe (never channels of kinds
    /// the file cannot hold, such as directory channels).
    #[schemars(extend("default" = false))]
    pub channels: Option<Sp<bool>>,
    /// Delete live AutoMod rules the file does not describe.
    #[schemars(extend("default" = false))]
    pub automod: Option<Sp<bool>>,
    /// Delete live scheduled events the file does not describe (past and canceled events are
    /// history and never touched).
    #[schemars(extend("default" = false))]
    pub events: Option<Sp<bool>>,
    /// Delete live incoming webhooks the file does not describe.
    #[schemars(extend("default" = false))]
    pub webhooks: Option<Sp<bool>>,
    /// Delete live invites the file does not describe, members' invites too (the bot's own
    /// invites the file no longer describes are deleted without this).
    #[schemars(extend("default" = false))]
    pub invites: Option<Sp<bool>>,
    /// Delete the bot's own threads the file does not describe, in the channels where it
    /// declares `[[threads]]` (members' threads are never deleted).
    #[schemars(extend("default" = false))]
    pub threads: Option<Sp<bool>>,
    /// Delete live custom emoji the file does not describe (never integrations' emoji).
    #[schemars(extend("default" = false))]
    pub emojis: Option<Sp<bool>>,
    /// Delete live soundboard sounds the file does not describe.
    #[schemars(extend("default" = false))]
    pub soundboard: Option<Sp<bool>>,
    /// Delete live stickers the file does not describe.
    #[schemars(extend("default" = false))]
    pub stickers: Option<Sp<bool>>,
}

/// A role. It matches a live role by `id` when pinned, else by `name`, else by a `previously`
/// name (which renames it).
#[derive(Clone, Debug, JsonSchema)]
#[schemars(rename = "Role", deny_unknown_fields)]
pub(crate) struct RawRole {
    /// Short stable name that overwrites use to refer to this role: lowercase letters, digits,
    /// `-` and `_`. It is never sent to Discord, so the display name can change freely.
    #[schemars(required, with = "String", regex(pattern = r"^[a-z0-9][a-z0-9_-]*$"))]
    pub key: Option<Sp<String>>,
    /// Display name, 1-100 characters, unique among roles.
    #[schemars(required, with = "String", length(min = 1, max = 100))]
    pub name: Option<Sp<String>>,
    /// Colour as `#rrggbb`. Leave it out for no colour.
    #[schemars(with = "Option<String>", regex(pattern = r"^#[0-9a-fA-F]{6}$"))]
    pub color: Option<Sp<String>>,
    /// A gradient instead of `color`: `["#rrggbb", "#rrggbb"]`, primary then secondary. Needs
    /// the server's enhanced role colours.
    #[schemars(
        with = "Option<Vec<String>>",
        length(min = 2, max = 2),
        inner(regex(pattern = r"^#[0-9a-fA-F]{6}$"))
    )]
    pub colors: Option<Sp<Vec<Sp<String>>>>,
    /// Discord's holographic style instead of `color` or `colors`.
    #[schemars(with = "Option<bool>", extend("default" = false))]
    pub holographic: Option<Sp<bool>>,
    /// A unicode emoji shown next to members' names (needs role icons: boost level 2). Cannot be
    /// combined with `icon`.
    #[schemars(with = "Option<String>")]
    pub emoji: Option<Sp<String>>,
    /// An image shown next to members' names (needs role icons: boost level 2): a PNG, JPEG, GIF
    /// or WebP file of at most 256 KiB, relative to this file's folder. `discord:<hash>`
    /// (written by `import`) keeps the icon the role already has. Cannot be combined with `emoji`.
    #[schemars(with = "Option<String>")]
    pub icon: Option<Sp<String>>,
    /// Show members with this role separately in the member list.
    #[schemars(with = "Option<bool>", extend("default" = false))]
    pub hoist: Option<Sp<bool>>,
    /// Anyone may @mention this role.
    #[schemars(with = "Option<bool>", extend("default" = false))]
    pub mentionable: Option<Sp<bool>>,
    /// Server-wide permissions the role grants.
    #[schemars(with = "Option<Vec<PermissionName>>", extend("default" = []))]
    pub permissions: Option<PermissionList>,
    /// Former names: a live role with one of them is renamed instead of a new role being made.
    #[schemars(with = "Option<Vec<String>>")]
    pub previously: Option<Sp<Vec<Sp<String>>>>,
    /// Pins the role to this live role id (a snowflake, as a string).
    #[schemars(with = "Option<Snowflake>")]
    pub id: Option<Sp<String>>,
    /// No plan may delete this role (its current and former names stay protected while it is declared; list it under `[protect] roles` to keep it protected after it leaves the file): `plan` and `apply` refuse.
    #[schemars(with = "Option<bool>", extend("default" = false))]
    pub protect: Option<Sp<bool>>,
    /// The staff roster: `true` makes `members` exactly who holds this role. `plan` shows who
    /// gains and loses it, `apply` adds and removes those assignments, `drift` reports anyone
    /// given it by hand. Needs the bot's Server Members Intent. Roles without it are never
    /// touched (bots that hand out roles keep working).
    #[schemars(with = "Option<bool>", extend("default" = false))]
    pub roster: Option<Sp<bool>>,
    /// With `roster = true`: every member who holds this role, by user id (`"123…"`), or
    /// `{ id = "123…", name = "alice" }` where the name is a label for people (the id decides).
    /// `[]` for nobody.
    #[schemars(with = "Option<Vec<RawRosterMember>>")]
    pub members: Option<Sp<Vec<Sp<RawRosterMember>>>>,
}

/// One member of a role's roster: a user id, with an optional name for people.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct RawRosterMember {
    pub id: Option<Sp<String>>,
    pub name: Option<Sp<String>>,
}

impl JsonSchema for RawRosterMember {
    fn schema_name() -> Cow<'static, str> {
        "RosterMember".into()
    }

    fn json_schema(generator: &mut SchemaGenerator) -> Schema {
        let id = generator.subschema_for::<Snowflake>();
        json_schema!({
            "description": "A member by user id (`\"123456789012345678\"`), or `{ id = \"123456789012345678\", name = \"alice\" }`: the name is a label shown in plans, the id decides.",
            "anyOf": [
                id,
                {
                    "type": "object",
                    "properties": {
                        "id": id,
                        "name": { "type": "string", "minLength": 1, "maxLength": 100 }
                    },
                    "required": ["id"],
                    "additionalProperties": false
                }
            ]
        })
    }
}

/// A channel. It matches a live channel of the same kind by `id` when pinned, else by `name`
/// anywhere in the server (so moving it to another category is a move), else by a `previously`
/// name. A name that repeats (in the file or on Discord) is matched in the channel's category:
/// moving such a channel needs `previously = [{ category = "...", name = "..." }]` or an `id`.
#[derive(Clone, Debug, JsonSchema)]
#[schemars(rename = "Channel", deny_unknown_fields)]
pub(crate) struct RawChannel {
    /// 1-100 characters. Text, announcement and forum channel names are lowercase with `-` for
    /// spaces, as Discord stores them; voice and stage channel names are free-form.
    #[schemars(required, with = "String", length(min = 1, max = 100))]
    pub name: Option<Sp<String>>,
    /// The kind of channel.
    #[schemars(rename = "type")]
    #[schemars(with = "Option<RawChannelType>", extend("default" = "text"))]
    pub kind: Option<Sp<RawChannelType>>,
    /// Text and announcement channels: the topic shown in the header, up to 1024 characters.
    /// Forum channels: the guidelines shown to posters, up to 4096 characters.
    #[schemars(with = "Option<String>", length(max = 4096))]
    pub topic: Option<Sp<String>>,
    /// Text, voice, stage and forum channels: seconds each member must wait between messages,
    /// 0-21600 (6 hours).
    #[schemars(with = "Option<u32>", range(max = 21600), extend("default" = 0))]
    pub slowmode: Option<Sp<i64>>,
    /// Age-restricted channel.
    #[schemars(with = "Option<bool>", extend("default" = false))]
    pub nsfw: Option<Sp<bool>>,
    /// Voice channels: bits per second, 8000-384000. Above 96000 needs a boosted server
    /// (tier 1: 128000, tier 2: 256000, tier 3: 384000). Stage channels: 8000-64000.
    #[schemars(with = "Option<u32>", range(min = 8000, max = 384000), extend("default" = 64000))]
    pub bitrate: Option<Sp<i64>>,
    /// Voice channels: how many members may join, 0-99; 0 is unlimited. Stage channels:
    /// 1-10000 (0 is allowed only for voice).
    #[schemars(with = "Option<u32>", range(max = 10000), extend("default" = 0))]
    pub user_limit: Option<Sp<i64>>,
    /// Voice and stage channels: the voice region, or `automatic` (Discord picks one).
    #[schemars(with = "Option<RtcRegion>", extend("default" = "automatic"))]
    pub rtc_region: Option<Sp<String>>,
    /// Voice and stage channels: camera video quality, `auto` or `full` (720p).
    #[schemars(with = "Option<VideoQualityName>", extend("default" = "auto"))]
    pub video_quality: Option<Sp<String>>,
    /// Text, announcement and forum channels: minutes of inactivity before new threads are
    /// archived: 60 (1 hour), 1440 (1 day), 4320 (3 days) or 10080 (1 week).
    #[schemars(with = "Option<AutoArchive>", extend("default" = 1440))]
    pub default_auto_archive: Option<Sp<i64>>,
    /// Text, announcement and forum channels: slowmode of new threads, in seconds (0-21600).
    #[schemars(with = "Option<u32>", range(max = 21600), extend("default" = 0))]
    pub default_thread_slowmode: Option<Sp<i64>>,
    /// Forum channels: the tags posts can carry, in display order (at most 20).
    #[schemars(with = "Option<Vec<RawTag>>", length(max = 20))]
    pub tags: Option<Sp<Vec<Sp<RawTag>>>>,
    /// Forum channels: the reaction every new post gets, a unicode emoji or a custom emoji as
    /// `<:name:id>`.
    #[schemars(with = "Option<EmojiValue>")]
    pub default_reaction: Option<Sp<String>>,
    /// Forum channels: how posts are sorted by default.
    #[schemars(with = "Option<SortOrder>")]
    pub default_sort_order: Option<Sp<String>>,
    /// Forum channels: how posts are shown by default.
    #[schemars(with = "Option<Layout>")]
    pub default_layout: Option<Sp<String>>,
    /// Forum channels: every post must carry at least one tag.
    #[schemars(with = "Option<bool>", extend("default" = false))]
    pub require_tag: Option<Sp<bool>>,
    /// Media channels: hide the download options of the media in posts.
    #[schemars(with = "Option<bool>", extend("default" = false))]
    pub hide_media_download_options: Option<Sp<bool>>,
    /// Channels in a category only: `true` gives the channel the same permission overwrites as
    /// its category. The default when `overwrites` is absent; cannot be combined with
    /// `overwrites`. `false` without `overwrites` means no overwrites at all.
    #[schemars(with = "Option<bool>")]
    pub sync: Option<Sp<bool>>,
    /// Permission overwrites of this channel (at most 100). The list is authoritative; with
    /// `preset`, it is applied on top of the preset's.
    #[schemars(with = "Option<Vec<RawOverwrite>>")]
    pub overwrites: Option<Sp<Vec<Sp<RawOverwrite>>>>,
    /// Channels in a category only: the category's overwrites, with these added or tightened
    /// (an entry for a role the category names replaces that role's bits where it says so).
    /// Cannot be combined with `overwrites`, `preset` or `sync = true`.
    #[schemars(with = "Option<Vec<RawOverwrite>>")]
    pub overwrites_extend: Option<Sp<Vec<Sp<RawOverwrite>>>>,
    /// The overwrites of a preset of `[presets]`, by name.
    #[schemars(with = "Option<String>")]
    pub preset: Option<Sp<String>>,
    /// Former names: a live channel of the same kind with one of them is renamed. A name is
    /// looked up where the current one is: anywhere when the name is unique, in this channel's
    /// category when it repeats. `{ category = "Team 3", name = "general" }` says where the
    /// channel was, to move a channel whose name repeats from another category.
    #[schemars(with = "Option<Vec<RawFormer>>")]
    pub previously: Option<Sp<Vec<Sp<RawFormer>>>>,
    /// Pins the channel to this live channel id (a snowflake, as a string).
    #[schemars(with = "Option<Snowflake>")]
    pub id: Option<Sp<String>>,
    /// No plan may delete this channel, nor replace it by changing its `type`: `plan` and `apply` refuse.
    #[schemars(with = "Option<bool>", extend("default" = false))]
    pub protect: Option<Sp<bool>>,
}

/// A channel's former name, or where it was.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum RawFormer {
    /// `"old-name"`.
    Name(String),
    /// `{ category = "Team 3", name = "general" }`; a key left out was reported.
    Place(RawFormerPlace),
}

impl RawFormer {
    /// The former name, if it was written.
    pub fn name(&self) -> Option<&str> {
        match self {
            Self::Name(name) => Some(name),
            Self::Place(place) => place.name.as_ref().map(|name| name.value.as_str()),
        }
    }
}

impl JsonSchema for RawFormer {
    fn schema_name() -> Cow<'static, str> {
        "FormerChannel".into()
    }

    fn json_schema(generator: &mut SchemaGenerator) -> Schema {
        let place = generator.subschema_for::<RawFormerPlace>();
        json_schema!({
            "description": "A former name (`\"old-name\"`), or where the channel was: `{ category = \"Team 3\", name = \"general\" }`.",
            "anyOf": [{ "type": "string", "minLength": 1, "maxLength": 100 }, place]
        })
    }
}

/// Where a channel was: a category and the channel's name there.
#[derive(Clone, Debug, PartialEq, Eq, JsonSchema)]
#[schemars(rename = "FormerPlace", deny_unknown_fields)]
pub(crate) struct RawFormerPlace {
    /// The category the channel was in: its name in this file, or its name on Discord.
    #[schemars(required, with = "String")]
    pub category: Option<Sp<String>>,
    /// The channel's name there.
    #[schemars(required, with = "String", length(min = 1, max = 100))]
    pub name: Option<Sp<String>>,
}

/// A forum tag. It keeps its Discord id when renamed or moved, as long as the `key` stays.
#[derive(Clone, Debug, JsonSchema)]
#[schemars(rename = "Tag", deny_unknown_fields)]
pub(crate) struct RawTag {
    /// Short stable name of the tag in this file: lowercase letters, digits, `-` and `_`,
    /// unique in the forum. Never sent to Discord.
    #[schemars(required, with = "String", regex(pattern = r"^[a-z0-9][a-z0-9_-]*$"))]
    pub key: Option<Sp<String>>,
    /// Display name, 1-20 characters, unique in the forum.
    #[schemars(required, with = "String", length(min = 1, max = 20))]
    pub name: Option<Sp<String>>,
    /// A unicode emoji or a custom emoji as `<:name:id>`.
    #[schemars(with = "Option<EmojiValue>")]
    pub emoji: Option<Sp<String>>,
    /// Only members who can manage threads may apply it (for example "Solved").
    #[schemars(with = "Option<bool>", extend("default" = false))]
    pub moderated: Option<Sp<bool>>,
    /// Former names: a live tag with one of them is renamed.
    #[schemars(with = "Option<Vec<String>>")]
    pub previously: Option<Sp<Vec<Sp<String>>>>,
}

/// A category and the channels in it, in display order.
#[derive(Clone, Debug, JsonSchema)]
#[schemars(rename = "Category", deny_unknown_fields)]
pub(crate) struct RawCategory {
    /// 1-100 characters, free-form, unique among categories.
    #[schemars(required, with = "String", length(min = 1, max = 100))]
    pub name: Option<Sp<String>>,
    /// Former names: a live category with one of them is renamed.
    #[schemars(with = "Option<Vec<String>>")]
    pub previously: Option<Sp<Vec<Sp<String>>>>,
    /// Pins the category to this live channel id (a snowflake, as a string).
    #[schemars(with = "Option<Snowflake>")]
    pub id: Option<Sp<String>>,
    /// Permission overwrites of the category; synced channels copy them. With `preset`, applied
    /// on top of the preset's.
    #[schemars(with = "Option<Vec<RawOverwrite>>")]
    pub overwrites: Option<Sp<Vec<Sp<RawOverwrite>>>>,
    /// The overwrites of a preset of `[presets]`, by name.
    #[schemars(with = "Option<String>")]
    pub preset: Option<Sp<String>>,
    /// Live channels in this category that the file does not list: `keep` them (the default),
    /// `prune` them (delete), or `sync` them (keep, with the category's overwrites).
    #[schemars(with = "Option<UnlistedName>", extend("default" = "keep"))]
    pub unlisted: Option<Sp<String>>,
    /// The category's channels, at most 50. Discord always shows voice channels below text
    /// channels.
    pub channels: Option<Vec<Sp<RawChannel>>>,
    /// No plan may delete this category: `plan` and `apply` refuse.
    #[schemars(with = "Option<bool>", extend("default" = false))]
    pub protect: Option<Sp<bool>>,
}

/// The kinds of channel the file manages (categories are `[[categories]]`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, JsonSchema)]
#[schemars(rename = "ChannelType", rename_all = "lowercase")]
pub(crate) enum RawChannelType {
    /// A text channel.
    Text,
    /// A voice channel.
    Voice,
    /// An announcement channel: other servers can follow it. Needs a Community server.
    Announcement,
    /// A stage channel: speakers and an audience. Needs a Community server.
    Stage,
    /// A forum channel: every post is a thread, with tags.
    Forum,
    /// A media channel: a forum for images and videos (no layout; can hide download options).
    /// Needs a Community server.
    Media,
}

/// A permission overwrite: permissions allowed or denied in one channel for one role or member,
/// on top of their server-wide permissions. Name exactly one of `role`, `roles` and `member`.
#[derive(Clone, Debug, JsonSchema)]
#[schemars(
    rename = "Overwrite",
    deny_unknown_fields,
    extend("oneOf" = [{ "required": ["role"] }, { "required": ["roles"] }, { "required": ["member"] }])
)]
pub(crate) struct RawOverwrite {
    /// A role's `key`, `"everyone"` for `@everyone`, or `"@name"` for the role a bot or
    /// integration manages (`"@carl-bot"`): matched by name among managed roles, never created
    /// or edited; the bot must be in the server.
    #[schemars(with = "Option<String>")]
    pub role: Option<Sp<String>>,
    /// Several roles (keys, `everyone`, `@name`) with the same permissions: one overwrite each.
    #[schemars(with = "Option<Vec<String>>")]
    pub roles: Option<Sp<Vec<Sp<String>>>>,
    /// A member, by user id (a snowflake, as a string).
    #[schemars(with = "Option<Snowflake>")]
    pub member: Option<Sp<String>>,
    /// Permissions granted here even if the server-wide ones do not.
    #[schemars(with = "Option<Vec<PermissionName>>", extend("default" = []))]
    pub allow: Option<PermissionList>,
    /// Permissions taken away here.
    #[schemars(with = "Option<Vec<PermissionName>>", extend("default" = []))]
    pub deny: Option<PermissionList>,
}

/// Schema only: a Discord permission by name.
pub(crate) struct PermissionName;

impl JsonSchema for PermissionName {
    fn schema_name() -> Cow<'static, str> {
        "Permission".into()
    }

    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        let names: Vec<&str> = FLAGS.iter().map(|(_, name)| *name).collect();
        json_schema!({
            "description": "A Discord permission, by its snake_case name (`view_channel`, `send_messages`, ...). `bit_N` names a bit this version has no name for.",
            "anyOf": [
                { "type": "string", "enum": names },
                { "type": "string", "pattern": "^bit_([0-9]|[1-5][0-9]|6[0-3])$" }
            ]
        })
    }
}

/// Discord's locale codes (`reference.mdx`, "Locales").
pub(crate) const LOCALES: &[&str] = &[
    "id", "da", "de", "en-GB", "en-US", "es-ES", "es-419", "fr", "hr", "it", "lt", "hu", "nl",
    "no", "pl", "pt-BR", "ro", "fi", "sv-SE", "vi", "tr", "cs", "el", "bg", "ru", "uk", "hi", "th",
    "zh-CN", "ja", "zh-TW", "ko",
];

/// Voice region ids a channel can be pinned to; `automatic` is none.
pub(crate) const RTC_REGIONS: &[&str] = &[
    "us-west",
    "us-east",
    "us-central",
    "us-south",
    "singapore",
    "southafrica",
    "sydney",
    "rotterdam",
    "brazil",
    "hongkong",
    "russia",
    "japan",
    "india",
];

/// Thread auto-archive durations, in minutes.
pub(crate) const AUTO_ARCHIVE_MINUTES: &[u32] = &[60, 1440, 4320, 10080];

pub(crate) const VIDEO_QUALITIES: &[&str] = &["auto", "full"];
pub(crate) const SORT_ORDERS: &[&str] = &["latest_activity", "creation_date"];
pub(crate) const LAYOUTS: &[&str] = &["list", "gallery"];
pub(crate) const ONBOARDING_MODES: &[&str] = &["default", "advanced"];
pub(crate) const PROMPT_TYPES: &[&str] = &["multiple_choice", "dropdown"];
pub(crate) const TRIGGERS: &[&str] = &[
    "keyword",
    "spam",
    "keyword_preset",
    "mention_spam",
    "member_profile",
];
pub(crate) const PRESETS: &[&str] = &["profanity", "sexual_content", "slurs"];
pub(crate) const ACTIONS: &[&str] = &["block", "alert", "timeout", "block_interaction"];
pub(crate) const REPEATS: &[&str] = &["weekly", "monthly"];
pub(crate) const UNLISTED: &[&str] = &["keep", "prune", "sync"];

/// Schema-only types whose values are a fixed list of names.
macro_rules! named_values {
    ($($ty:ident = $name:literal, $description:literal, $values:expr;)*) => {$(
        pub(crate) struct $ty;

        impl JsonSchema for $ty {
            fn schema_name() -> Cow<'static, str> {
                $name.into()
            }

            fn json_schema(_: &mut SchemaGenerator) -> Schema {
                let values: Vec<serde_json::Value> = $values;
                json_schema!({ "description": $description, "enum": values })
            }
        }
    )*};
}

fn names(table: &[(u8, &str)]) -> Vec<serde_json::Value> {
    table.iter().map(|(_, name)| (*name).into()).collect()
}

fn strings(list: &[&str]) -> Vec<serde_json::Value> {
    list.iter().map(|name| (*name).into()).collect()
}

named_values! {
    VerificationLevel = "VerificationLevel",
        "`none`, `low` (verified email), `medium` (registered for 5 minutes), `high` (member for 10 minutes) or `highest` (verified phone).",
        names(guild_values::VERIFICATION_LEVELS);
    ContentFilter = "ContentFilter",
        "Whose media is scanned: `disabled`, `members_without_roles` or `all_members`.",
        names(guild_values::CONTENT_FILTERS);
    Notifications = "Notifications",
        "`all_messages` or `only_mentions`.",
        names(guild_values::NOTIFICATIONS);
    SystemChannelFlag = "SystemChannelFlag",
        "A kind of system message to turn off.",
        names(guild_values::SYSTEM_CHANNEL_FLAGS);
    AfkTimeout = "AfkTimeout",
        "Seconds: 60, 300, 900, 1800 or 3600.",
        guild_values::AFK_TIMEOUTS.iter().map(|seconds| (*seconds).into()).collect();
    Locale = "Locale",
        "One of Discord's locale codes.",
        strings(LOCALES);
    RtcRegion = "RtcRegion",
        "`automatic`, or a voice region id.",
        std::iter::once("automatic".into()).chain(strings(RTC_REGIONS)).collect();
    VideoQualityName = "VideoQuality",
        "`auto` or `full` (720p).",
        strings(VIDEO_QUALITIES);
    AutoArchive = "AutoArchive",
        "Minutes: 60 (1 hour), 1440 (1 day), 4320 (3 days) or 10080 (1 week).",
        AUTO_ARCHIVE_MINUTES.iter().map(|minutes| (*minutes).into()).collect();
    SortOrder = "SortOrder",
        "`latest_activity` or `creation_date`.",
        strings(SORT_ORDERS);
    Layout = "Layout",
        "`list` or `gallery`.",
        strings(LAYOUTS);
    OnboardingModeName = "OnboardingMode",
        "`default` or `advanced`.",
        strings(ONBOARDING_MODES);
    PromptTypeName = "PromptType",
        "`multiple_choice` or `dropdown`.",
        strings(PROMPT_TYPES);
    TriggerName = "Trigger",
        "`keyword`, `spam`, `keyword_preset`, `mention_spam` or `member_profile`.",
        strings(TRIGGERS);
    PresetName = "KeywordPreset",
        "`profanity`, `sexual_content` or `slurs`.",
        strings(PRESETS);
    ActionName = "ActionType",
        "`block`, `alert`, `timeout` or `block_interaction`.",
        strings(ACTIONS);
    RepeatName = "Repeat",
        "`weekly` or `monthly`.",
        strings(REPEATS);
    UnlistedName = "Unlisted",
        "`keep`, `prune` or `sync`.",
        strings(UNLISTED);
}

/// Schema only: an emoji value.
pub(crate) struct EmojiValue;

impl JsonSchema for EmojiValue {
    fn schema_name() -> Cow<'static, str> {
        "Emoji".into()
    }

    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "description": "A unicode emoji (`\"✅\"`), or one of the server's custom emojis in Discord's markup: `\"<:name:id>\"` (`\"<a:name:id>\"` when animated).",
            "type": "string",
            "minLength": 1
        })
    }
}

/// Schema only: a Discord id.
pub(crate) struct Snowflake;

impl JsonSchema for Snowflake {
    fn schema_name() -> Cow<'static, str> {
        "Snowflake".into()
    }

    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "description": "A Discord id (snowflake) as a string of digits, as \"Copy ID\" in Discord's developer mode gives it.",
            "type": "string",
            "pattern": "^[1-9][0-9]{0,19}$"
        })
    }
}
