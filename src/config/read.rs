//! From TOML text to the [`raw`](super::raw) structs: types and keys, with every mistake located.
//!
//! This does by hand what `serde` with `deny_unknown_fields` would do, because serde stops at the
//! first error and we report all of them. A TOML syntax error stops everything (the document has
//! no shape to walk); past that, every table is read on its own, a wrong value is reported and
//! left out, and reading goes on. Missing required keys are reported here too; everything about
//! meaning (limits, references, names) is [`validate`](super::validate)'s job.

use std::ops::Range;

use toml::Spanned;
use toml::de::{DeTable, DeValue};

use super::Source;
use super::diagnostic::Diagnostic;
use super::raw::{
    PermissionList, RawAccess, RawAction, RawAssertion, RawAutoModRule, RawCategory, RawChannel,
    RawChannelType, RawEvent, RawEveryone, RawFile, RawFormer, RawFormerPlace, RawGuild, RawIgnore,
    RawMessages, RawOnboarding, RawOverwrite, RawPreset, RawPresets, RawPrompt, RawPromptOption,
    RawProtect, RawPrune, RawRole, RawRosterMember, RawTag, RawThread, RawWebhook,
    RawWelcomeChannel, RawWelcomeScreen, Sp,
};
use super::raw::{RawInvite, RawVanity, RawWidget};
use super::suggest;

mod community;
mod front_matter;
mod keys;
pub(crate) use front_matter::{RawEmbed, RawFrontMatter, read_front_matter};
pub(crate) use keys::*;

type Value<'i> = Spanned<DeValue<'i>>;

/// Reads a parsed file (one file, or a layout merged with an environment's overrides: see
/// [`layout`](super::layout)) into the raw file.
pub(crate) fn read_table(
    source: &Source,
    table: &DeTable<'_>,
    diagnostics: &mut Vec<Diagnostic>,
) -> RawFile {
    let mut reader = Reader {
        source,
        diagnostics,
    };
    reader.file(table)
}

struct Reader<'s> {
    source: &'s Source,
    diagnostics: &'s mut Vec<Diagnostic>,
}

/// The entries of one table that have a known key.
struct Fields<'t, 'i> {
    entries: Vec<(&'t str, Range<usize>, &'t Value<'i>)>,
}

impl<'t, 'i> Fields<'t, 'i> {
    fn get(&self, key: &str) -> Option<(Range<usize>, &'t Value<'i>)> {
        self.entries
            .iter()
            .find(|(name, _, _)| *name == key)
            .map(|(_, span, value)| (span.clone(), *value))
    }
}

impl Reader<'_> {
    fn error(&mut self, message: impl Into<String>, span: Range<usize>) -> &mut Diagnostic {
        self.diagnostics
            .push(Diagnostic::error(message, self.source, span));
        let last = self.diagnostics.len() - 1;
        &mut self.diagnostics[last]
    }

    /// The table's entries whose key is in `allowed`; every other key is reported.
    fn fields<'t, 'i>(
        &mut self,
        table: &'t DeTable<'i>,
        allowed: &[&str],
        what: &str,
    ) -> Fields<'t, 'i> {
        let mut entries = Vec::new();
        for (key, value) in table.iter() {
            let name: &str = key.get_ref();
            if allowed.contains(&name) {
                entries.push((name, key.span(), value));
                continue;
            }
            let hint = match suggest(name, allowed.iter().copied()) {
                Some(close) => format!("did you mean `{close}`?"),
                None => format!("{what} keys are: {}", quoted_list(allowed)),
            };
            self.error(format!("unknown key `{name}` in {what}"), key.span())
                .hint = Some(hint);
        }
        Fields { entries }
    }

    fn type_error(&mut self, key: &str, expected: &str, value: &Value<'_>) {
        let found = article(value.get_ref().type_str());
        let hint = match (expected, value.get_ref()) {
            ("true or false", DeValue::String(text)) if text == "true" || text == "false" => {
                Some(format!("write `{key} = {text}` without quotes"))
            }
            ("a whole number", DeValue::String(text)) if text.parse::<i64>().is_ok() => {
                Some(format!("write `{key} = {text}` without quotes"))
            }
            ("an id as a string", DeValue::Integer(number)) => Some(format!(
                "write ids in quotes: `{key} = \"{}\"`",
                number.as_str()
            )),
            ("a list of strings", DeValue::String(text)) => {
                Some(format!("write a list: `{key} = [\"{text}\"]`"))
            }
            _ => None,
        };
        self.error(
            format!("`{key}` must be {expected}, found {found}"),
            value.span(),
        )
        .hint = hint;
    }

    fn string(&mut self, fields: &Fields<'_, '_>, key: &str) -> Option<Sp<String>> {
        let (key_span, value) = fields.get(key)?;
        match value.get_ref() {
            DeValue::String(text) => Some(located(text.to_string(), value, key_span)),
            _ => {
                self.type_error(key, "a string", value);
                None
            }
        }
    }

    /// A snowflake as written; its digits are checked by validation.
    fn id(&mut self, fields: &Fields<'_, '_>, key: &str) -> Option<Sp<String>> {
        let (key_span, value) = fields.get(key)?;
        match value.get_ref() {
            DeValue::String(text) => Some(located(text.to_string(), value, key_span)),
            _ => {
                self.type_error(key, "an id as a string", value);
                None
            }
        }
    }

    fn boolean(&mut self, fields: &Fields<'_, '_>, key: &str) -> Option<Sp<bool>> {
        let (key_span, value) = fields.get(key)?;
        match value.get_ref() {
            DeValue::Boolean(flag) => Some(located(*flag, value, key_span)),
            _ => {
                self.type_error(key, "true or false", value);
                None
            }
        }
    }

    fn float(&mut self, fields: &Fields<'_, '_>, key: &str) -> Option<Sp<f64>> {
        let (key_span, value) = fields.get(key)?;
        let number = match value.get_ref() {
            DeValue::Float(number) => number.as_str().parse::<f64>().ok(),
            DeValue::Integer(number) => i64::from_str_radix(number.as_str(), number.radix())
                .ok()
                .map(|n| n as f64),
            _ => {
                self.type_error(key, "a number", value);
                return None;
            }
        };
        match number.filter(|n| n.is_finite()) {
            Some(number) => Some(located(number, value, key_span)),
            None => {
                self.error(format!("`{key}` is not a finite number"), value.span());
                None
            }
        }
    }

    fn integer(&mut self, fields: &Fields<'_, '_>, key: &str) -> Option<Sp<i64>> {
        let (key_span, value) = fields.get(key)?;
        match value.get_ref() {
            DeValue::Integer(number) => {
                match i64::from_str_radix(number.as_str(), number.radix()) {
                    Ok(number) => Some(located(number, value, key_span)),
                    Err(_) => {
                        self.error(format!("`{key}` is out of range"), value.span());
                        None
                    }
                }
            }
            _ => {
                self.type_error(key, "a whole number", value);
                None
            }
        }
    }

    fn string_list(&mut self, fields: &Fields<'_, '_>, key: &str) -> Option<Sp<Vec<Sp<String>>>> {
        let (key_span, value) = fields.get(key)?;
        let DeValue::Array(items) = value.get_ref() else {
            self.type_error(key, "a list of strings", value);
            return None;
        };
        let mut strings = Vec::new();
        for item in items.iter() {
            match item.get_ref() {
                DeValue::String(text) => strings.push(Sp::new(text.to_string(), item.span())),
                other => {
                    let found = article(other.type_str());
                    self.error(
                        format!("`{key}` must list strings, found {found}"),
                        item.span(),
                    );
                }
            }
        }
        Some(located(strings, value, key_span))
    }

    fn permissions(&mut self, fields: &Fields<'_, '_>, key: &str) -> Option<PermissionList> {
        self.string_list(fields, key)
    }

    /// The tables of an array of tables (`[[roles]]` or `roles = [{ ... }]`).
    fn tables<'t, 'i>(
        &mut self,
        fields: &Fields<'t, 'i>,
        key: &str,
    ) -> Vec<(&'t DeTable<'i>, Range<usize>)> {
        let Some((_, value)) = fields.get(key) else {
            return Vec::new();
        };
        let DeValue::Array(items) = value.get_ref() else {
            let hint = match value.get_ref() {
                DeValue::Table(_) => Some(format!(
                    "write `[[{key}]]` (double brackets): there can be several"
                )),
                _ => None,
            };
            self.error(
                format!(
                    "`{key}` must be a list of tables, found {}",
                    article(value.get_ref().type_str())
                ),
                value.span(),
            )
            .hint = hint;
            return Vec::new();
        };
        let mut tables = Vec::new();
        for item in items.iter() {
            match item.get_ref() {
                DeValue::Table(table) => tables.push((table, item.span())),
                other => {
                    let found = article(other.type_str());
                    self.error(
                        format!("each entry of `{key}` must be a table, found {found}"),
                        item.span(),
                    );
                }
            }
        }
        tables
    }

    fn table<'t, 'i>(
        &mut self,
        fields: &Fields<'t, 'i>,
        key: &str,
    ) -> Option<(&'t DeTable<'i>, Range<usize>)> {
        let (_, value) = fields.get(key)?;
        match value.get_ref() {
            DeValue::Table(table) => Some((table, value.span())),
            other => {
                let found = article(other.type_str());
                self.error(
                    format!("`{key}` must be a table, found {found}"),
                    value.span(),
                )
                .hint = Some(format!("write it as a `[{key}]` section"));
                None
            }
        }
    }

    fn require<T>(
        &mut self,
        value: &Option<T>,
        fields: &Fields<'_, '_>,
        key: &str,
        what: &str,
        span: &Range<usize>,
    ) {
        // A key present with a wrong type was reported already.
        if value.is_none() && fields.get(key).is_none() {
            self.error(format!("{what} is missing `{key}`"), span.clone())
                .hint = Some(format!("add `{key} = ...` to this {what}"));
        }
    }

    fn file(&mut self, table: &DeTable<'_>) -> RawFile {
        let fields = self.fields(table, FILE_KEYS, "the file");
        let guild = self.table(&fields, "guild").map(|(table, span)| {
            let fields = self.fields(table, GUILD_KEYS, "`[guild]`");
            let guild = RawGuild {
                name: self.string(&fields, "name"),
                description: self.string(&fields, "description"),
                verification_level: self.string(&fields, "verification_level"),
                explicit_content_filter: self.string(&fields, "explicit_content_filter"),
                default_notifications: self.string(&fields, "default_notifications"),
                afk_channel: self.string(&fields, "afk_channel"),
                afk_timeout: self.integer(&fields, "afk_timeout"),
                system_channel: self.string(&fields, "system_channel"),
                system_channel_flags: self.string_list(&fields, "system_channel_flags"),
                rules_channel: self.string(&fields, "rules_channel"),
                public_updates_channel: self.string(&fields, "public_updates_channel"),
                safety_alerts_channel: self.string(&fields, "safety_alerts_channel"),
                preferred_locale: self.string(&fields, "preferred_locale"),
                community: self.boolean(&fields, "community"),
                icon: self.string(&fields, "icon"),
                banner: self.string(&fields, "banner"),
                invite_splash: self.string(&fields, "invite_splash"),
                discovery_splash: self.string(&fields, "discovery_splash"),
            };
            Sp::new(guild, span)
        });
        let everyone = self.table(&fields, "everyone").map(|(table, span)| {
            let fields = self.fields(table, EVERYONE_KEYS, "`[everyone]`");
            self.everyone_has_no_roster(table);
            let permissions = self.permissions(&fields, "permissions");
            if permissions.is_none() && fields.get("permissions").is_none() {
                self.error("`[everyone]` is missing `permissions`", span.clone()).hint = Some(
                    "write `permissions = [...]`, or remove `[everyone]` to leave @everyone as it is".into(),
                );
            }
            Sp::new(RawEveryone { permissions }, span)
        });
        let prune = self.table(&fields, "prune").map(|(table, span)| {
            let fields = self.fields(table, PRUNE_KEYS, "`[prune]`");
            let prune = RawPrune {
                roles: self.boolean(&fields, "roles"),
                channels: self.boolean(&fields, "channels"),
                automod: self.boolean(&fields, "automod"),
                events: self.boolean(&fields, "events"),
                webhooks: self.boolean(&fields, "webhooks"),
                invites: self.boolean(&fields, "invites"),
                threads: self.boolean(&fields, "threads"),
                emojis: self.boolean(&fields, "emojis"),
                soundboard: self.boolean(&fields, "soundboard"),
                stickers: self.boolean(&fields, "stickers"),
            };
            Sp::new(prune, span)
        });
        let roles = self
            .tables(&fields, "roles")
            .into_iter()
            .map(|(table, span)| self.role(table, span))
            .collect();
        let channels = self
            .tables(&fields, "channels")
            .into_iter()
            .map(|(table, span)| self.channel(table, span))
            .collect();
        let categories = self
            .tables(&fields, "categories")
            .into_iter()
            .map(|(table, span)| self.category(table, span))
            .collect();
        let welcome_screen = self
            .table(&fields, "welcome_screen")
            .map(|(table, span)| Sp::new(self.welcome_screen(table), span));
        let onboarding = self
            .table(&fields, "onboarding")
            .map(|(table, span)| Sp::new(self.onboarding(table), span));
        let automod = self
            .tables(&fields, "automod")
            .into_iter()
            .map(|(table, span)| self.automod_rule(table, span))
            .collect();
        let events = self
            .tables(&fields, "events")
            .into_iter()
            .map(|(table, span)| self.event(table, span))
            .collect();
        let webhooks = self
            .tables(&fields, "webhooks")
            .into_iter()
            .map(|(table, span)| self.webhook(table, span))
            .collect();
        let emojis = self
            .tables(&fields, "emojis")
            .into_iter()
            .map(|(table, span)| {
                let fields = self.fields(table, EMOJI_KEYS, "an emoji");
                let emoji = super::raw::RawEmoji {
                    name: self.string(&fields, "name"),
                    file: self.string(&fields, "file"),
                    roles: self.string_list(&fields, "roles"),
                };
                self.require(&emoji.name, &fields, "name", "emoji", &span);
                self.require(&emoji.file, &fields, "file", "emoji", &span);
                Sp::new(emoji, span)
            })
            .collect();
        let soundboard = self
            .tables(&fields, "soundboard")
            .into_iter()
            .map(|(table, span)| {
                let fields = self.fields(table, SOUND_KEYS, "a sound");
                let sound = super::raw::RawSound {
                    name: self.string(&fields, "name"),
                    file: self.string(&fields, "file"),
                    volume: self.float(&fields, "volume"),
                    emoji: self.string(&fields, "emoji"),
                };
                self.require(&sound.name, &fields, "name", "sound", &span);
                self.require(&sound.file, &fields, "file", "sound", &span);
                Sp::new(sound, span)
            })
            .collect();
        let stickers = self
            .tables(&fields, "stickers")
            .into_iter()
            .map(|(table, span)| {
                let fields = self.fields(table, STICKER_KEYS, "a sticker");
                let sticker = super::raw::RawSticker {
                    name: self.string(&fields, "name"),
                    description: self.string(&fields, "description"),
                    tags: self.string(&fields, "tags"),
                    file: self.string(&fields, "file"),
                };
                self.require(&sticker.name, &fields, "name", "sticker", &span);
                self.require(&sticker.tags, &fields, "tags", "sticker", &span);
                self.require(&sticker.file, &fields, "file", "sticker", &span);
                Sp::new(sticker, span)
            })
            .collect();
        let messages = self
            .tables(&fields, "messages")
            .into_iter()
            .map(|(table, span)| self.messages(table, span))
            .collect();
        let (invites, widget, vanity) = self.invites(&fields);
        let threads = self
            .tables(&fields, "threads")
            .into_iter()
            .map(|(table, span)| self.thread(table, span))
            .collect();
        let ignore = self.table(&fields, "ignore").map(|(table, span)| {
            let fields = self.fields(table, IGNORE_KEYS, "`[ignore]`");
            let ignore = RawIgnore {
                roles: self.string_list(&fields, "roles"),
                channels: self.string_list(&fields, "channels"),
            };
            Sp::new(ignore, span)
        });
        let protect = self.table(&fields, "protect").map(|(table, span)| {
            let fields = self.fields(table, PROTECT_KEYS, "`[protect]`");
            let protect = RawProtect {
                roles: self.string_list(&fields, "roles"),
                channels: self.string_list(&fields, "channels"),
                threads: self.string_list(&fields, "threads"),
            };
            Sp::new(protect, span)
        });
        let access = self.table(&fields, "access").map(|(table, span)| {
            let fields = self.fields(table, ACCESS_KEYS, "`[access]`");
            let assertions = self
                .tables(&fields, "assert")
                .into_iter()
                .map(|(table, span)| self.assertion(table, span))
                .collect();
            Sp::new(
                RawAccess {
                    assertions: Some(assertions),
                },
                span,
            )
        });
        let presets = self.presets(&fields);
        RawFile {
            include: None,
            environments: None,
            ignore,
            protect,
            access,
            presets,
            guild,
            everyone,
            prune,
            roles: Some(roles),
            channels: Some(channels),
            categories: Some(categories),
            welcome_screen,
            onboarding,
            automod: Some(automod),
            events: Some(events),
            webhooks: Some(webhooks),
            emojis: Some(emojis),
            soundboard: Some(soundboard),
            stickers: Some(stickers),
            messages: Some(messages),
            invites: Some(invites),
            widget,
            vanity,
            threads: Some(threads),
        }
    }

    /// `[presets.<name>]`: named sets of overwrites.
    fn presets(&mut self, fields: &Fields<'_, '_>) -> Option<Sp<RawPresets>> {
        let (table, span) = self.table(fields, "presets")?;
        let mut presets = Vec::new();
        for (name, value) in table.iter() {
            let name = Sp::new(name.get_ref().to_string(), name.span());
            let DeValue::Table(preset) = value.get_ref() else {
                self.error(
                    format!(
                        "preset `{}` must be a table, found {}",
                        name.value,
                        article(value.get_ref().type_str())
                    ),
                    value.span(),
                )
                .hint = Some(format!(
                    "write it as `[presets.{}]` with `overwrites = [...]`",
                    name.value
                ));
                continue;
            };
            let preset_fields = self.fields(preset, PRESET_KEYS, "a preset");
            let overwrites = self.overwrites(&preset_fields, "overwrites");
            self.require(
                &overwrites,
                &preset_fields,
                "overwrites",
                "preset",
                &value.span(),
            );
            presets.push((name, Sp::new(RawPreset { overwrites }, value.span())));
        }
        Some(Sp::new(presets, span))
    }

    fn assertion(&mut self, table: &DeTable<'_>, span: Range<usize>) -> Sp<RawAssertion> {
        let fields = self.fields(table, ASSERTION_KEYS, "an access assertion");
        let assertion = RawAssertion {
            only_visible_to: self.string_list(&fields, "only_visible_to"),
            not_visible_to: self.string_list(&fields, "not_visible_to"),
            read_only_except: self.string_list(&fields, "read_only_except"),
            categories: self.string_list(&fields, "categories"),
            channels: self.string_list(&fields, "channels"),
        };
        Sp::new(assertion, span)
    }

    fn role(&mut self, table: &DeTable<'_>, span: Range<usize>) -> Sp<RawRole> {
        let fields = self.fields(table, ROLE_KEYS, "a role");
        let role = RawRole {
            key: self.string(&fields, "key"),
            name: self.string(&fields, "name"),
            color: self.string(&fields, "color"),
            colors: self.string_list(&fields, "colors"),
            holographic: self.boolean(&fields, "holographic"),
            emoji: self.string(&fields, "emoji"),
            icon: self.string(&fields, "icon"),
            hoist: self.boolean(&fields, "hoist"),
            mentionable: self.boolean(&fields, "mentionable"),
            permissions: self.permissions(&fields, "permissions"),
            previously: self.string_list(&fields, "previously"),
            id: self.id(&fields, "id"),
            protect: self.boolean(&fields, "protect"),
            roster: self.boolean(&fields, "roster"),
            members: self.roster_members(&fields),
        };
        self.require(&role.key, &fields, "key", "role", &span);
        self.require(&role.name, &fields, "name", "role", &span);
        Sp::new(role, span)
    }

    fn channel(&mut self, table: &DeTable<'_>, span: Range<usize>) -> Sp<RawChannel> {
        let fields = self.fields(table, CHANNEL_KEYS, "a channel");
        let channel = RawChannel {
            name: self.string(&fields, "name"),
            kind: self.channel_type(&fields),
            topic: self.string(&fields, "topic"),
            slowmode: self.integer(&fields, "slowmode"),
            nsfw: self.boolean(&fields, "nsfw"),
            bitrate: self.integer(&fields, "bitrate"),
            user_limit: self.integer(&fields, "user_limit"),
            rtc_region: self.string(&fields, "rtc_region"),
            video_quality: self.string(&fields, "video_quality"),
            default_auto_archive: self.integer(&fields, "default_auto_archive"),
            default_thread_slowmode: self.integer(&fields, "default_thread_slowmode"),
            tags: self.tags(&fields),
            default_reaction: self.string(&fields, "default_reaction"),
            default_sort_order: self.string(&fields, "default_sort_order"),
            default_layout: self.string(&fields, "default_layout"),
            require_tag: self.boolean(&fields, "require_tag"),
            hide_media_download_options: self.boolean(&fields, "hide_media_download_options"),
            sync: self.boolean(&fields, "sync"),
            overwrites: self.overwrites(&fields, "overwrites"),
            overwrites_extend: self.overwrites(&fields, "overwrites_extend"),
            preset: self.string(&fields, "preset"),
            previously: self.formers(&fields),
            id: self.id(&fields, "id"),
            protect: self.boolean(&fields, "protect"),
        };
        self.require(&channel.name, &fields, "name", "channel", &span);
        Sp::new(channel, span)
    }

    fn channel_type(&mut self, fields: &Fields<'_, '_>) -> Option<Sp<RawChannelType>> {
        let text = self.string(fields, "type")?;
        let kind = match text.value.as_str() {
            "text" => RawChannelType::Text,
            "voice" => RawChannelType::Voice,
            "announcement" => RawChannelType::Announcement,
            "stage" => RawChannelType::Stage,
            "forum" => RawChannelType::Forum,
            "media" => RawChannelType::Media,
            other => {
                let (message, hint) = match other {
                    "news" => (
                        "unknown channel type `news`".to_owned(),
                        "Discord's news channels are `announcement` channels".to_owned(),
                    ),
                    "directory" | "thread" => (
                        format!("channel type `{other}` is not supported"),
                        "this version manages text, voice, announcement, stage, forum and media channels; keep this channel out of the file (it is left alone)".to_owned(),
                    ),
                    "category" => (
                        "a category is not a channel type here".to_owned(),
                        "write categories as `[[categories]]` with their channels under `[[categories.channels]]`"
                            .to_owned(),
                    ),
                    _ => (
                        format!("unknown channel type `{other}`"),
                        match suggest(other, CHANNEL_TYPES.iter().copied()) {
                            Some(close) => format!("did you mean `{close}`?"),
                            None => format!("the channel types are {}", quoted_list(CHANNEL_TYPES)),
                        },
                    ),
                };
                self.error(message, text.span.clone()).hint = Some(hint);
                return None;
            }
        };
        Some(Sp {
            value: kind,
            span: text.span,
            key_span: text.key_span,
        })
    }

    fn category(&mut self, table: &DeTable<'_>, span: Range<usize>) -> Sp<RawCategory> {
        let fields = self.fields(table, CATEGORY_KEYS, "a category");
        let channels = self
            .tables(&fields, "channels")
            .into_iter()
            .map(|(table, span)| self.channel(table, span))
            .collect();
        let category = RawCategory {
            name: self.string(&fields, "name"),
            previously: self.string_list(&fields, "previously"),
            id: self.id(&fields, "id"),
            overwrites: self.overwrites(&fields, "overwrites"),
            preset: self.string(&fields, "preset"),
            unlisted: self.string(&fields, "unlisted"),
            channels: Some(channels),
            protect: self.boolean(&fields, "protect"),
        };
        self.require(&category.name, &fields, "name", "category", &span);
        Sp::new(category, span)
    }

    /// A list of tables under `key`, each read by `read`, located as a whole.
    fn table_list<T>(
        &mut self,
        fields: &Fields<'_, '_>,
        key: &str,
        mut read: impl FnMut(&mut Self, &DeTable<'_>, Range<usize>) -> T,
    ) -> Option<Sp<Vec<Sp<T>>>> {
        let (key_span, value) = fields.get(key)?;
        if !matches!(value.get_ref(), DeValue::Array(_)) {
            self.tables(fields, key);
            return None;
        }
        let items = self
            .tables(fields, key)
            .into_iter()
            .map(|(table, span)| Sp::new(read(self, table, span.clone()), span))
            .collect();
        Some(located(items, value, key_span))
    }

    fn overwrites(
        &mut self,
        fields: &Fields<'_, '_>,
        key: &str,
    ) -> Option<Sp<Vec<Sp<RawOverwrite>>>> {
        self.table_list(fields, key, |reader, table, _| {
            let fields = reader.fields(table, OVERWRITE_KEYS, "an overwrite");
            RawOverwrite {
                role: reader.string(&fields, "role"),
                roles: reader.string_list(&fields, "roles"),
                member: reader.id(&fields, "member"),
                allow: reader.permissions(&fields, "allow"),
                deny: reader.permissions(&fields, "deny"),
            }
        })
    }

    /// `roster` or `members` in `[everyone]`: said plainly instead of "unknown key".
    fn everyone_has_no_roster(&mut self, table: &DeTable<'_>) {
        for (key, _) in table.iter() {
            let name: &str = key.get_ref();
            if !matches!(name, "roster" | "members") {
                continue;
            }
            let unknown = format!("unknown key `{name}` in `[everyone]`");
            if let Some(diagnostic) = self
                .diagnostics
                .iter_mut()
                .rev()
                .find(|d| d.message == unknown)
            {
                diagnostic.message = format!("`[everyone]` cannot have a `{name}`");
                diagnostic.hint = Some(
                    "every member holds @everyone; put `roster = true` and `members` on a role in `[[roles]]`".into(),
                );
            }
        }
    }

    /// A role's `members`: user ids, or `{ id, name }` tables.
    fn roster_members(&mut self, fields: &Fields<'_, '_>) -> Option<Sp<Vec<Sp<RawRosterMember>>>> {
        let (key_span, value) = fields.get("members")?;
        let DeValue::Array(items) = value.get_ref() else {
            self.type_error("members", "a list of strings", value);
            return None;
        };
        let mut members = Vec::new();
        for item in items.iter() {
            match item.get_ref() {
                DeValue::String(text) => members.push(Sp::new(
                    RawRosterMember {
                        id: Some(Sp::new(text.to_string(), item.span())),
                        name: None,
                    },
                    item.span(),
                )),
                DeValue::Table(table) => {
                    let fields = self.fields(table, ROSTER_MEMBER_KEYS, "a roster member");
                    let member = RawRosterMember {
                        id: self.id(&fields, "id"),
                        name: self.string(&fields, "name"),
                    };
                    let span = item.span();
                    self.require(&member.id, &fields, "id", "roster member", &span);
                    members.push(Sp::new(member, span));
                }
                DeValue::Integer(number) => {
                    self.error(
                        "`members` must list user ids as strings, found an integer",
                        item.span(),
                    )
                    .hint = Some(format!(
                        "write ids in quotes: `\"{}\"` (a TOML integer cannot hold every Discord id)",
                        number.as_str()
                    ));
                }
                other => {
                    let found = article(other.type_str());
                    self.error(
                        format!(
                            "`members` must list user ids or `{{ id, name }}` tables, found {found}"
                        ),
                        item.span(),
                    );
                }
            }
        }
        Some(located(members, value, key_span))
    }

    /// A channel's `previously`: names, or `{ category, name }` tables.
    fn formers(&mut self, fields: &Fields<'_, '_>) -> Option<Sp<Vec<Sp<RawFormer>>>> {
        let (key_span, value) = fields.get("previously")?;
        let DeValue::Array(items) = value.get_ref() else {
            self.type_error("previously", "a list of strings", value);
            return None;
        };
        let mut formers = Vec::new();
        for item in items.iter() {
            match item.get_ref() {
                DeValue::String(text) => {
                    formers.push(Sp::new(RawFormer::Name(text.to_string()), item.span()));
                }
                DeValue::Table(table) => {
                    let fields = self.fields(table, FORMER_PLACE_KEYS, "a former place");
                    let place = RawFormerPlace {
                        category: self.string(&fields, "category"),
                        name: self.string(&fields, "name"),
                    };
                    let span = item.span();
                    self.require(&place.category, &fields, "category", "former place", &span);
                    self.require(&place.name, &fields, "name", "former place", &span);
                    formers.push(Sp::new(RawFormer::Place(place), span));
                }
                other => {
                    let found = article(other.type_str());
                    self.error(
                        format!("`previously` must list names or `{{ category, name }}` tables, found {found}"),
                        item.span(),
                    );
                }
            }
        }
        Some(located(formers, value, key_span))
    }

    fn tags(&mut self, fields: &Fields<'_, '_>) -> Option<Sp<Vec<Sp<RawTag>>>> {
        self.table_list(fields, "tags", |reader, table, span| {
            let fields = reader.fields(table, TAG_KEYS, "a tag");
            let tag = RawTag {
                key: reader.string(&fields, "key"),
                name: reader.string(&fields, "name"),
                emoji: reader.string(&fields, "emoji"),
                moderated: reader.boolean(&fields, "moderated"),
                previously: reader.string_list(&fields, "previously"),
            };
            reader.require(&tag.key, &fields, "key", "tag", &span);
            reader.require(&tag.name, &fields, "name", "tag", &span);
            tag
        })
    }
}

fn located<T>(value: T, at: &Value<'_>, key_span: Range<usize>) -> Sp<T> {
    Sp {
        value,
        span: at.span(),
        key_span: Some(key_span),
    }
}

fn article(type_name: &str) -> String {
    match type_name {
        "integer" => "an integer".into(),
        "array" => "a list".into(),
        other => format!("a {other}"),
    }
}

fn quoted_list(names: &[&str]) -> String {
    names
        .iter()
        .map(|name| format!("`{name}`"))
        .collect::<Vec<_>>()
        .join(", ")
}
