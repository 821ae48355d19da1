//! The file as written: one struct per TOML table, every value with its location.
//!
//! [`read`](super::read) fills these from the parsed document, reporting wrong types and unknown
//! keys; [`validate`](super::validate) gives them meaning. The JSON Schema is derived from these
//! same structs, so their doc comments are what editors show on hover. Fields the file may leave
//! out are `Option`; `#[schemars(required)]` marks the ones validation insists on.

use std::borrow::Cow;
use std::ops::Range;

use schemars::{JsonSchema, Schema, SchemaGenerator, json_schema};

use crate::permissions::FLAGS;

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
    /// Delete live categories and text and voice channels the file does not describe.
    #[schemars(extend("default" = false))]
    pub channels: Option<Sp<bool>>,
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
}

/// A text or voice channel. It matches a live channel of the same kind by `id` when pinned, else
/// by `name` anywhere in the server (so moving it to another category is a move), else by a
/// `previously` name.
#[derive(Clone, Debug, JsonSchema)]
#[schemars(rename = "Channel", deny_unknown_fields)]
pub(crate) struct RawChannel {
    /// 1-100 characters. Text channel names are lowercase with `-` for spaces, as Discord
    /// stores them; voice channel names are free-form.
    #[schemars(required, with = "String", length(min = 1, max = 100))]
    pub name: Option<Sp<String>>,
    /// The kind of channel.
    #[schemars(rename = "type")]
    #[schemars(with = "Option<RawChannelType>", extend("default" = "text"))]
    pub kind: Option<Sp<RawChannelType>>,
    /// Text channels: the topic shown in the header, up to 1024 characters.
    #[schemars(with = "Option<String>", length(max = 1024))]
    pub topic: Option<Sp<String>>,
    /// Seconds each member must wait between messages, 0-21600 (6 hours).
    #[schemars(with = "Option<u32>", range(max = 21600), extend("default" = 0))]
    pub slowmode: Option<Sp<i64>>,
    /// Age-restricted channel.
    #[schemars(with = "Option<bool>", extend("default" = false))]
    pub nsfw: Option<Sp<bool>>,
    /// Voice channels: bits per second, 8000-384000. Above 96000 needs a boosted server
    /// (tier 1: 128000, tier 2: 256000, tier 3: 384000).
    #[schemars(with = "Option<u32>", range(min = 8000, max = 384000), extend("default" = 64000))]
    pub bitrate: Option<Sp<i64>>,
    /// Voice channels: how many members may join, 0-99; 0 is unlimited.
    #[schemars(with = "Option<u32>", range(max = 99), extend("default" = 0))]
    pub user_limit: Option<Sp<i64>>,
    /// Channels in a category only: `true` gives the channel the same permission overwrites as
    /// its category. The default when `overwrites` is absent; cannot be combined with
    /// `overwrites`. `false` without `overwrites` means no overwrites at all.
    #[schemars(with = "Option<bool>")]
    pub sync: Option<Sp<bool>>,
    /// Permission overwrites of this channel (at most 100). The list is authoritative.
    #[schemars(with = "Option<Vec<RawOverwrite>>")]
    pub overwrites: Option<Sp<Vec<Sp<RawOverwrite>>>>,
    /// Former names: a live channel of the same kind with one of them is renamed.
    #[schemars(with = "Option<Vec<String>>")]
    pub previously: Option<Sp<Vec<Sp<String>>>>,
    /// Pins the channel to this live channel id (a snowflake, as a string).
    #[schemars(with = "Option<Snowflake>")]
    pub id: Option<Sp<String>>,
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
    /// Permission overwrites of the category; synced channels copy them.
    #[schemars(with = "Option<Vec<RawOverwrite>>")]
    pub overwrites: Option<Sp<Vec<Sp<RawOverwrite>>>>,
    /// The category's channels, at most 50. Discord always shows voice channels below text
    /// channels.
    pub channels: Option<Vec<Sp<RawChannel>>>,
}

/// The kinds of channel this version manages. Forum, stage and announcement channels are not
/// managed yet.
#[derive(Clone, Copy, Debug, PartialEq, Eq, JsonSchema)]
#[schemars(rename = "ChannelType", rename_all = "lowercase")]
pub(crate) enum RawChannelType {
    /// A text channel.
    Text,
    /// A voice channel.
    Voice,
}

/// A permission overwrite: permissions allowed or denied in one channel for one role or member,
/// on top of their server-wide permissions. Name exactly one of `role` and `member`.
#[derive(Clone, Debug, JsonSchema)]
#[schemars(
    rename = "Overwrite",
    deny_unknown_fields,
    extend("oneOf" = [{ "required": ["role"] }, { "required": ["member"] }])
)]
pub(crate) struct RawOverwrite {
    /// A role's `key`, or `"everyone"` for `@everyone`.
    #[schemars(with = "Option<String>")]
    pub role: Option<Sp<String>>,
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

/// The JSON Schema of `server.toml`, pretty-printed with a trailing newline.
pub fn json_schema() -> String {
    let generator = schemars::generate::SchemaSettings::draft07().into_generator();
    let mut schema = generator.into_root_schema_for::<RawFile>().to_value();
    strip_null(&mut schema);
    let mut text = serde_json::to_string_pretty(&schema).unwrap_or_default();
    text.push('\n');
    text
}

/// TOML has no null: `Option` means "may be left out", never "may be null".
fn strip_null(value: &mut serde_json::Value) {
    match value {
        serde_json::Value::Object(map) => {
            if let Some(serde_json::Value::Array(types)) = map.get_mut("type") {
                types.retain(|t| t != "null");
                if types.len() == 1 {
                    let only = types.remove(0);
                    map.insert("type".into(), only);
                }
            }
            for key in ["anyOf", "oneOf"] {
                if let Some(serde_json::Value::Array(options)) = map.get_mut(key) {
                    options.retain(|option| option.get("type").is_none_or(|t| t != "null"));
                }
            }
            map.values_mut().for_each(strip_null);
        }
        serde_json::Value::Array(items) => items.iter_mut().for_each(strip_null),
        _ => {}
    }
}
