//! A live guild as `server.toml` text: what `miyabi-guild import` writes.
//!
//! The goal is a file that, parsed and planned against the same guild, shows no changes. So
//! everything the file can hold is written exactly (every setting that differs from Discord's
//! default for the kind, every overwrite), and anything it cannot hold is left out of the file
//! with a comment saying why. With `[prune]` off, something left out is simply not managed, so it
//! stays as it is. The output is deterministic: no timestamps, Discord's order throughout.
//!
//! What is left out, and why:
//! - Managed roles (bots' own roles, the booster role): never touched by the tool.
//! - Channels of kinds the file cannot hold (media, directory, ...).
//! - A second role with the same name, a second category with the same name, or a second
//!   channel with the same name and kind in the same category: the file matches by name (channels
//!   in their category when names repeat), so the first one is pinned with `id` and the others
//!   are commented out (with a category's channels). Names that repeat across categories are
//!   written as they are, and references to them say which (`"general in Team 3"`).
//! - A name the file would reject (a text channel name Discord would not store as written, a
//!   name with spaces around it): that object is commented out.
//! - `[guild]` settings whose value the file cannot state (an unknown enumeration value, a
//!   channel that is not in the file or of a kind the setting does not take).
//! - Overwrites naming a role that no longer exists, or a managed role the file cannot name
//!   (another managed or written role has its name): no key can name them. These are the one
//!   loss that shows up in a plan (see [`render`]). Other bots' roles are written `@name`.

mod channels;
mod community;
mod images;
mod invites;
mod messages;
mod roster;
pub mod split;
mod threads;

use std::collections::{HashMap, HashSet};
use std::fmt::Write as _;

use crate::model::{
    ChannelId, ChannelKind, Emoji, LiveChannel, LiveGuild, LiveRole, RoleId, SortBucket,
    guild_values,
};
use crate::permissions::Permissions;

use super::names::{self, Place};
use super::normalise_text_channel_name;
use super::raw::LOCALES;
use super::validate::limits;

/// Renders a live guild as a server.toml that, parsed and planned against the same guild, shows
/// no changes.
///
/// One thing cannot round-trip: an overwrite for a role that was deleted (or a managed role whose
/// name another role shares) has no key to name it, so it is left out with a comment.
pub fn render(live: &LiveGuild) -> String {
    Importer::new(live, false).render().text
}

/// Why a channel is not written.
#[derive(Clone, Debug)]
enum Skip {
    Kind,
    Name(String),
    Duplicate,
    Parent(String),
}

struct Importer<'g> {
    live: &'g LiveGuild,
    /// Keys of the roles written (unmanaged, not commented out).
    role_keys: HashMap<RoleId, String>,
    /// Roles that are pinned by id because another role has the same name.
    pinned_roles: HashSet<RoleId>,
    /// Roles commented out, and why.
    skipped_roles: HashMap<RoleId, String>,
    /// Channels (and categories) commented out, and why.
    skipped_channels: HashMap<ChannelId, Skip>,
    pinned_channels: HashSet<ChannelId>,
    /// What `[guild]` says about Community: `None` when it is left out.
    community: Option<bool>,
    out: String,
    /// Whether the bot's posted messages are written as files beside the output.
    with_messages: bool,
    /// Message files to write beside the output (`messages/<channel>.md`).
    files: Vec<(String, String)>,
    /// Images downloaded from the CDN, by CDN path without extension (`import --out`).
    downloads: Option<&'g std::collections::BTreeMap<String, Vec<u8>>>,
    /// Image files to write beside the output (`images/...`).
    image_files: Vec<(String, Vec<u8>)>,
}

/// An imported guild: the file, and the Markdown files of the bot's posted messages it refers
/// to, by path relative to the file's folder.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Imported {
    pub text: String,
    pub files: Vec<(String, String)>,
    /// Image files (`images/...`), from [`import_with_images`].
    pub images: Vec<(String, Vec<u8>)>,
}

/// [`render`], with the bot's posted messages (read with `live::Scope::all_messages`) written
/// as `messages/<channel>.md` files that the file's `[[messages]]` refer to, so importing and
/// planning shows no changes and loses nothing.
pub fn import(live: &LiveGuild) -> Imported {
    Importer::new(live, true).render()
}

/// [`import`], with the images downloaded from the CDN (`crate::images::download`) written as
/// files under `images/` that the file names.
pub fn import_with_images(
    live: &LiveGuild,
    downloads: &std::collections::BTreeMap<String, Vec<u8>>,
) -> Imported {
    let mut importer = Importer::new(live, true);
    importer.downloads = Some(downloads);
    importer.render()
}

impl<'g> Importer<'g> {
    fn new(live: &'g LiveGuild, with_messages: bool) -> Self {
        let mut importer = Self {
            live,
            role_keys: HashMap::new(),
            pinned_roles: HashSet::new(),
            skipped_roles: HashMap::new(),
            skipped_channels: HashMap::new(),
            pinned_channels: HashSet::new(),
            community: None,
            out: String::new(),
            with_messages,
            files: Vec::new(),
            downloads: None,
            image_files: Vec::new(),
        };
        importer.plan_roles();
        importer.plan_channels();
        importer
    }

    // ---- what goes in ------------------------------------------------------------------------

    fn plan_roles(&mut self) {
        let mut taken: HashSet<String> = HashSet::from(["everyone".to_owned()]);
        let mut names: HashSet<&str> = HashSet::new();
        let mut counts: HashMap<&str, usize> = HashMap::new();
        for role in self.live.roles.iter().filter(|role| !role.managed) {
            *counts.entry(role.settings.name.as_str()).or_default() += 1;
        }
        for role in self.live.roles.iter().filter(|role| !role.managed) {
            let name = role.settings.name.as_str();
            if let Some(problem) = name_problem(name) {
                self.skipped_roles.insert(role.id, problem);
                continue;
            }
            if !names.insert(name) {
                self.skipped_roles.insert(
                    role.id,
                    "another role above has the same name, and the file matches roles by name"
                        .into(),
                );
                continue;
            }
            if counts[name] > 1 {
                self.pinned_roles.insert(role.id);
            }
            let key = unique(slug(name, "role"), &mut taken);
            self.role_keys.insert(role.id, key);
        }
    }

    /// The channels in output order: top-level text-like, top-level voice-like, then each
    /// category followed by its text-like and voice-like channels.
    fn ordered(&self) -> Vec<(&'g LiveChannel, Vec<&'g LiveChannel>)> {
        let live = self.live;
        let mut groups = Vec::new();
        for channel in live
            .sorted_children(None, SortBucket::TextLike)
            .into_iter()
            .chain(live.sorted_children(None, SortBucket::VoiceLike))
        {
            groups.push((channel, Vec::new()));
        }
        for category in live.sorted_children(None, SortBucket::Category) {
            let children = live
                .sorted_children(Some(category.id), SortBucket::TextLike)
                .into_iter()
                .chain(live.sorted_children(Some(category.id), SortBucket::VoiceLike))
                .collect();
            groups.push((category, children));
        }
        groups
    }

    fn plan_channels(&mut self) {
        let groups = self.ordered();
        // A channel's identity is its name and kind in its category (categories: name alone).
        let identity = |channel: &'g LiveChannel| {
            let parent = match channel.kind {
                ChannelKind::Category => None,
                _ => channel.parent_id,
            };
            (parent, channel.kind, channel.name.as_str())
        };
        let mut counts: HashMap<(Option<ChannelId>, ChannelKind, &str), usize> = HashMap::new();
        for channel in &self.live.channels {
            *counts.entry(identity(channel)).or_default() += 1;
        }
        let mut seen: HashSet<(Option<ChannelId>, ChannelKind, &str)> = HashSet::new();
        let mut check = |channel: &'g LiveChannel, this: &mut Self| -> Option<Skip> {
            if !channel.kind.is_managed() {
                return Some(Skip::Kind);
            }
            if let Some(problem) = channel_name_problem(channel) {
                return Some(Skip::Name(problem));
            }
            let identity = identity(channel);
            if !seen.insert(identity) {
                return Some(Skip::Duplicate);
            }
            if counts[&identity] > 1 {
                this.pinned_channels.insert(channel.id);
            }
            None
        };
        for (top, children) in &groups {
            if let Some(skip) = check(top, self) {
                for child in children {
                    self.skipped_channels.insert(
                        child.id,
                        Skip::Parent(format!("its category `{}` is left out", top.name)),
                    );
                }
                self.skipped_channels.insert(top.id, skip);
                continue;
            }
            for child in children {
                if let Some(skip) = check(child, self) {
                    self.skipped_channels.insert(child.id, skip);
                }
            }
        }
        // Channels under something that is not a category of this guild.
        let placed: HashSet<ChannelId> = groups
            .iter()
            .flat_map(|(top, children)| {
                std::iter::once(top.id).chain(children.iter().map(|c| c.id))
            })
            .collect();
        for channel in &self.live.channels {
            if !placed.contains(&channel.id) {
                self.skipped_channels.insert(
                    channel.id,
                    Skip::Parent("its parent is not a category of this server".into()),
                );
            }
        }
    }

    /// The text a `[guild]` key can use for this channel: it is written, with the wanted kind.
    fn reference(&self, id: ChannelId, kind: ChannelKind) -> Result<String, String> {
        let Some(channel) = self.live.channel(id) else {
            return Err(format!("channel {id} does not exist"));
        };
        if channel.kind != kind && !self.skipped_channels.contains_key(&id) {
            return Err(format!(
                "`{}` is {}, which this key does not take",
                channel.name,
                with_article(&channel.kind.describe())
            ));
        }
        self.written_reference(id, &[kind])
    }

    /// The text that names a written channel among the written channels of `kinds` (see
    /// `config::names`): its name, with its category or kind when the name repeats.
    fn written_reference(&self, id: ChannelId, kinds: &[ChannelKind]) -> Result<String, String> {
        let live = self.live;
        let Some(channel) = live.channel(id) else {
            return Err(format!("channel {id} does not exist"));
        };
        if self.skipped_channels.contains_key(&id) {
            return Err(format!("`{}` (id {id}) is not in this file", channel.name));
        }
        let written: Vec<&LiveChannel> = self
            .ordered()
            .into_iter()
            .flat_map(|(top, children)| std::iter::once(top).chain(children))
            .filter(|channel| !self.skipped_channels.contains_key(&channel.id))
            .collect();
        let places: Vec<Place<'_>> = written
            .iter()
            .map(|channel| Place {
                name: &channel.name,
                kind: channel.kind,
                category: channel
                    .parent_id
                    .and_then(|parent| live.channel(parent))
                    .filter(|_| channel.kind != ChannelKind::Category)
                    .map(|parent| parent.name.as_str()),
            })
            .collect();
        let Some(target) = written.iter().position(|written| written.id == id) else {
            return Err(format!("`{}` (id {id}) is not in this file", channel.name));
        };
        Ok(names::reference(target, &places, kinds))
    }

    // ---- writing -----------------------------------------------------------------------------

    fn line(&mut self, text: impl AsRef<str>) {
        self.out.push_str(text.as_ref());
        self.out.push('\n');
    }

    fn render(mut self) -> Imported {
        let live = self.live;
        // `import --out FILE` writes the schema beside FILE (`schema --out` does it by hand).
        self.line(format!("#:schema ./{SCHEMA_FILE_NAME}"));
        self.line("#");
        self.line(format!(
            "# The Discord server {} (id {}), as imported by `miyabi-guild import`.",
            string(&live.name),
            live.id
        ));
        self.line("# `miyabi-guild plan` against the same server shows no changes. Roles are listed top to");
        self.line(
            "# bottom; categories and channels in Discord's order; keys are derived from names.",
        );
        self.line("");
        self.guild();
        self.line("[everyone]");
        self.permissions("permissions", live.everyone_permissions);
        self.line("");
        self.line("# Objects this file does not describe are kept.");
        self.line("[prune]");
        self.line("roles = false");
        self.line("channels = false");
        self.line("automod = false");
        self.line("events = false");
        self.line("webhooks = false");
        self.roles();
        self.channels();
        self.community();
        self.invites();
        self.messages();
        self.threads();
        self.emojis();
        self.sounds();
        self.stickers();
        // In `fmt`'s layout, so `fmt --check` passes on a fresh import.
        let text = super::format::format(&self.out).unwrap_or(self.out);
        Imported {
            text,
            files: self.files,
            images: self.image_files,
        }
    }

    fn guild(&mut self) {
        let settings = &self.live.settings;
        self.line("[guild]");
        if name_problem(&settings.name).is_none()
            && settings.name.chars().count() >= limits::GUILD_NAME_MIN
        {
            self.line(format!("name = {}", string(&settings.name)));
        } else {
            self.line(format!(
                "# name = {}  (not a name the file accepts: 2-100 characters, no spaces around it)",
                string(&settings.name)
            ));
        }
        let description = settings.description.as_deref().unwrap_or("");
        if description.chars().count() <= limits::DESCRIPTION_MAX {
            self.line(format!("description = {}", string(description)));
        } else {
            self.line("# description: longer than 300 characters; left out");
        }
        let level = self.named(
            "verification_level",
            guild_values::VERIFICATION_LEVELS,
            settings.verification_level,
        );
        let filter = self.named(
            "explicit_content_filter",
            guild_values::CONTENT_FILTERS,
            settings.explicit_content_filter,
        );
        self.named(
            "default_notifications",
            guild_values::NOTIFICATIONS,
            settings.default_notifications,
        );
        self.channel_key("afk_channel", settings.afk_channel, ChannelKind::Voice);
        if guild_values::AFK_TIMEOUTS.contains(&settings.afk_timeout) {
            self.line(format!("afk_timeout = {}", settings.afk_timeout));
        } else {
            self.line(format!(
                "# afk_timeout = {}  (not one of 60, 300, 900, 1800, 3600; left out)",
                settings.afk_timeout
            ));
        }
        self.channel_key("system_channel", settings.system_channel, ChannelKind::Text);
        let known: u64 = guild_values::SYSTEM_CHANNEL_FLAGS
            .iter()
            .fold(0, |bits, (bit, _)| bits | 1 << bit);
        let flags = settings.system_channel_flags;
        let names: Vec<String> = guild_values::SYSTEM_CHANNEL_FLAGS
            .iter()
            .filter(|(bit, _)| flags & (1 << bit) != 0)
            .map(|(_, name)| string(name))
            .collect();
        if flags & !known == 0 {
            self.line(format!("system_channel_flags = [{}]", names.join(", ")));
        } else {
            self.line(format!(
                "# system_channel_flags: {flags:#b} has bits this version cannot name; left out"
            ));
        }
        let rules = self.channel_key("rules_channel", settings.rules_channel, ChannelKind::Text);
        let updates = self.channel_key(
            "public_updates_channel",
            settings.public_updates_channel,
            ChannelKind::Text,
        );
        self.channel_key(
            "safety_alerts_channel",
            settings.safety_alerts_channel,
            ChannelKind::Text,
        );
        if LOCALES.contains(&settings.preferred_locale.as_str()) {
            self.line(format!(
                "preferred_locale = {}",
                string(&settings.preferred_locale)
            ));
        } else {
            self.line(format!(
                "# preferred_locale = {}  (not one of Discord's locale codes; left out)",
                string(&settings.preferred_locale)
            ));
        }
        let ready = level.is_some_and(|level| level >= 1)
            && filter == Some(2)
            && rules == Some(true)
            && updates == Some(true);
        if !settings.community || ready {
            self.community = Some(settings.community);
            self.line(format!("community = {}", settings.community));
        } else {
            self.line("# community = true: left out, because the file cannot state all of its preconditions");
            self.line(
                "# (verification level, content filter, rules and updates channels; see above).",
            );
        }
        for image in crate::images::GUILD_IMAGES {
            let Some(hash) = self.live.settings.image(image).cloned() else {
                continue;
            };
            let key = crate::images::guild_key(self.live, image, &hash);
            let value = self
                .image_file(&key, &format!("guild-{}", image.key().replace('_', "-")))
                .unwrap_or_else(|| format!("discord:{hash}"));
            self.line(format!("{} = {}", image.key(), string(&value)));
        }
        self.line("");
    }

    /// Writes `key = "name"` and returns the value, or a comment and `None`.
    fn named(&mut self, key: &str, table: &[(u8, &str)], value: u8) -> Option<u8> {
        match table.iter().find(|(number, _)| *number == value) {
            Some((_, name)) => {
                self.line(format!("{key} = {}", string(name)));
                Some(value)
            }
            None => {
                self.line(format!(
                    "# {key} = {value}  (a value this version has no name for; left out)"
                ));
                None
            }
        }
    }

    /// Writes a channel reference; returns whether one is set (`None` when left out).
    fn channel_key(&mut self, key: &str, id: Option<ChannelId>, kind: ChannelKind) -> Option<bool> {
        let Some(id) = id else {
            self.line(format!("{key} = \"\""));
            return Some(false);
        };
        match self.reference(id, kind) {
            Ok(name) => {
                self.line(format!("{key} = {}", string(&name)));
                Some(true)
            }
            Err(reason) => {
                self.line(format!("# {key}: {reason}; left out"));
                None
            }
        }
    }

    fn permissions(&mut self, key: &str, permissions: Permissions) {
        let names: Vec<String> = permissions.names().iter().map(|n| string(n)).collect();
        let one_line = format!("{key} = [{}]", names.join(", "));
        if one_line.chars().count() <= 100 {
            self.line(one_line);
        } else {
            self.line(format!("{key} = ["));
            for name in names {
                self.line(format!("  {name},"));
            }
            self.line("]");
        }
    }

    fn roles(&mut self) {
        let live = self.live;
        let managed: Vec<&LiveRole> = live.roles.iter().filter(|role| role.managed).collect();
        self.line("");
        self.line("# Roles, top to bottom.");
        if !managed.is_empty() {
            let names: Vec<String> = managed
                .iter()
                .map(|role| string(&role.settings.name))
                .collect();
            self.line(format!(
                "# Managed by an integration and left alone: {}.",
                names.join(", ")
            ));
        }
        for role in live.roles.iter().filter(|role| !role.managed) {
            self.line("");
            if let Some(reason) = self.skipped_roles.get(&role.id).cloned() {
                self.line(format!(
                    "# Role {} (id {}) is left out: {reason}.",
                    string(&role.settings.name),
                    role.id
                ));
                continue;
            }
            self.role(role);
        }
    }

    fn role(&mut self, role: &LiveRole) {
        let settings = &role.settings;
        self.line("[[roles]]");
        self.line(format!("key = {}", string(&self.role_keys[&role.id])));
        self.line(format!("name = {}", string(&settings.name)));
        if self.pinned_roles.contains(&role.id) {
            self.line("# Another role has the same name: pinned by id.");
            self.line(format!("id = \"{}\"", role.id));
        }
        let (holo_primary, holo_secondary, holo_tertiary) = limits::HOLOGRAPHIC;
        match (settings.secondary_color, settings.tertiary_color) {
            (Some(secondary), Some(tertiary))
                if (settings.color, secondary, tertiary)
                    == (holo_primary, holo_secondary, holo_tertiary) =>
            {
                self.line("holographic = true");
            }
            (Some(secondary), tertiary) => {
                if tertiary.is_some() {
                    self.line("# A third colour other than Discord's holographic style cannot be written.");
                }
                self.line(format!(
                    "colors = [{}, {}]",
                    color(settings.color),
                    color(secondary)
                ));
            }
            (None, _) if settings.color != 0 => {
                self.line(format!("color = {}", color(settings.color)));
            }
            (None, _) => {}
        }
        if settings.hoist {
            self.line("hoist = true");
        }
        if settings.mentionable {
            self.line("mentionable = true");
        }
        match (&settings.icon, &settings.unicode_emoji) {
            (Some(hash), emoji) => {
                let hash = hash.strip_prefix("discord:").unwrap_or(hash);
                let stem = format!("role-{}", images::stem(&self.role_keys[&role.id]));
                let file =
                    self.image_file(&crate::images::role_icon_key(role.id.get(), hash), &stem);
                if file.is_none() {
                    self.line(
                        "# The role has an image icon; `discord:<hash>` keeps it as it is (`import --out`",
                    );
                    self.line(
                        "# downloads it); to manage it, save the image next to this file and write its path.",
                    );
                }
                if let Some(emoji) = emoji {
                    self.line(format!(
                        "# It also has the emoji {}, which a role with an icon cannot state here.",
                        string(emoji)
                    ));
                }
                let value = file.unwrap_or_else(|| format!("discord:{hash}"));
                self.line(format!("icon = {}", string(&value)));
            }
            (None, Some(emoji)) => self.line(format!("emoji = {}", string(emoji))),
            (None, None) => {}
        }
        self.permissions("permissions", settings.permissions);
        self.roster(role);
    }
}

/// The file name of the JSON Schema the imported file's `#:schema` line points at, beside it.
pub const SCHEMA_FILE_NAME: &str = "server.schema.json";

/// Why the file would reject `name` as a display name, if it would.
fn name_problem(name: &str) -> Option<String> {
    if name.trim().is_empty() {
        Some("its name is empty".into())
    } else if name.chars().count() > limits::NAME_MAX {
        Some("its name is longer than 100 characters".into())
    } else if name.trim() != name {
        Some("its name starts or ends with spaces, which the file does not accept".into())
    } else {
        None
    }
}

fn channel_name_problem(channel: &LiveChannel) -> Option<String> {
    if let Some(problem) = name_problem(&channel.name) {
        return Some(problem);
    }
    let normalised = normalise_text_channel_name(&channel.name);
    if channel.kind.sort_bucket() == SortBucket::TextLike && normalised != channel.name {
        return Some(format!(
            "{} names in the file are lowercase with `-` for spaces, and this one is not (it would be `{normalised}`)",
            channel.kind.describe()
        ));
    }
    None
}

/// A key from a name: lowercase ASCII letters and digits, other runs as `-`.
pub(crate) fn slug(name: &str, fallback: &str) -> String {
    let mut key = String::new();
    for c in name.chars() {
        if c.is_ascii_alphanumeric() {
            key.push(c.to_ascii_lowercase());
        } else if !key.is_empty() && !key.ends_with('-') {
            key.push('-');
        }
    }
    let key = key.trim_end_matches('-');
    if key.is_empty() {
        fallback.to_owned()
    } else {
        key.to_owned()
    }
}

/// `key`, or `key-2`, `key-3`, ... the first not yet taken; marks it taken.
fn unique(key: String, taken: &mut HashSet<String>) -> String {
    let mut candidate = key.clone();
    let mut n = 2;
    while taken.contains(&candidate) {
        candidate = format!("{key}-{n}");
        n += 1;
    }
    taken.insert(candidate.clone());
    candidate
}

fn color(value: u32) -> String {
    format!("\"#{value:06x}\"")
}

fn list(permissions: Permissions) -> String {
    let names: Vec<String> = permissions.names().iter().map(|n| string(n)).collect();
    format!("[{}]", names.join(", "))
}

fn emoji(value: &Emoji) -> String {
    match value {
        Emoji::Unicode(text) => string(text),
        // The custom emoji's name is not kept in the model; the file reads only the id.
        Emoji::Custom(id) => string(&format!("<:emoji:{id}>")),
    }
}

fn with_article(noun: &str) -> String {
    if noun.starts_with(['a', 'e', 'i', 'o', 'u']) {
        format!("an {noun}")
    } else {
        format!("a {noun}")
    }
}

/// A TOML basic string.
fn string(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if c.is_control() => {
                let _ = write!(out, "\\u{:04X}", u32::from(c));
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_are_lowercase_ascii_with_dashes() {
        assert_eq!(slug("👑 Founder/Owner", "role"), "founder-owner");
        assert_eq!(slug("🔴 Admin", "role"), "admin");
        assert_eq!(slug("  Core  Contributor ", "role"), "core-contributor");
        assert_eq!(slug("🛡️", "role"), "role");
        assert_eq!(slug("Ünïcode Name", "role"), "n-code-name");
    }

    #[test]
    fn keys_are_deduplicated() {
        let mut taken = HashSet::from(["everyone".to_owned()]);
        assert_eq!(unique("mod".into(), &mut taken), "mod");
        assert_eq!(unique("mod".into(), &mut taken), "mod-2");
        assert_eq!(unique("mod".into(), &mut taken), "mod-3");
        assert_eq!(unique("everyone".into(), &mut taken), "everyone-2");
    }

    #[test]
    fn strings_are_escaped() {
        assert_eq!(
            string("a \"b\" \\ c\nd\u{1}"),
            "\"a \\\"b\\\" \\\\ c\\nd\\u0001\""
        );
    }
}
