//! `[environments.NAME]`: one server file for several guilds (a staging server and the real one).
//!
//! ```toml
//! [environments.staging]
//! guild = "222222222222222222"
//! omit = ["events", "webhook:github-feed"]
//!
//! [environments.staging.overrides.guild]
//! name = "[staging] Miyabi"
//!
//! [[environments.staging.overrides.roles]]
//! key = "admin"
//! members = []
//! ```
//!
//! An environment's effective file is the file with its `overrides` laid over it, then its
//! `omit` entries taken out. The overrides have the file's shape and are merged where they are
//! read, before the reader, so they are checked like the rest of the file (unknown keys, wrong
//! types, every location in the override's own lines):
//!
//! - a table (`[guild]`, `[onboarding]`, ...) takes the override's keys, table by table;
//! - a list of tables (`[[roles]]`, `[[channels]]`, ...) takes each override item into the item
//!   it names (roles by `key`, else `name`; threads by `title`; messages and invites by
//!   `channel`; the rest by `name`; channels wherever they are, in a category or not); an item
//!   that names nothing in the file is added;
//! - `omit` leaves out whole tables (`"events"`) or objects (`"webhook:github-feed"`).
//!
//! The token is never in the file: `DISCORD_TOKEN_STAGING`, else `DISCORD_TOKEN`.

use std::borrow::Cow;
use std::ops::Range;

use toml::Spanned;
use toml::de::{DeArray, DeTable, DeValue};

use super::diagnostic::Diagnostic;
use super::{Source, normalise_text_channel_name, suggest};
use crate::model::GuildId;

/// An environment the file declares.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Environment {
    pub name: String,
    /// Its guild, when the file names it.
    pub guild: Option<GuildId>,
}

impl Environment {
    /// The variable holding this environment's token: `DISCORD_TOKEN_STAGING` for `staging`.
    pub fn token_variable(&self) -> String {
        token_variable(&self.name)
    }
}

pub fn token_variable(name: &str) -> String {
    format!(
        "DISCORD_TOKEN_{}",
        name.to_ascii_uppercase().replace('-', "_")
    )
}

const ENVIRONMENT_KEYS: &[&str] = &["guild", "omit", "overrides"];
const NAME_MAX: usize = 32;
/// Environments a file may declare: `validate` reads the file once for each.
pub(crate) const ENVIRONMENTS_MAX: usize = 32;
/// Override items and `omit` entries one environment may have (each is matched against the
/// file's lists).
pub(crate) const DIFFERENCES_MAX: usize = 1_000;

/// The lists of tables an override can take items into: the kind used in `omit`, the file's
/// key, and the keys that name an item, in order of preference.
const LISTS: &[(&str, &str, &[&str])] = &[
    ("role", "roles", &["key", "name"]),
    ("category", "categories", &["name"]),
    ("channel", "channels", &["name"]),
    ("automod", "automod", &["name"]),
    ("event", "events", &["name"]),
    ("webhook", "webhooks", &["name"]),
    ("emoji", "emojis", &["name"]),
    ("sticker", "stickers", &["name"]),
    ("sound", "soundboard", &["name"]),
    ("messages", "messages", &["channel"]),
    ("invite", "invites", &["channel"]),
    ("thread", "threads", &["title"]),
];

/// The file's declarations, read.
pub(crate) struct Declarations<'i> {
    pub all: Vec<Declared<'i>>,
    /// Where `environments` is written, for errors about the declarations as a whole.
    at: Option<Range<usize>>,
}

/// One declaration, read.
pub(crate) struct Declared<'i> {
    pub info: Environment,
    omit: Vec<(String, Range<usize>)>,
    overrides: Option<DeTable<'i>>,
}

/// The names of the environments the main file declares, in file order; none when the file
/// is not TOML (the reader reports that).
pub fn declared_names(source: &Source) -> Vec<String> {
    let Ok(document) = DeTable::parse(&source.text) else {
        return Vec::new();
    };
    let Some(DeValue::Table(table)) = document.get_ref().get("environments").map(Spanned::get_ref)
    else {
        return Vec::new();
    };
    let mut names: Vec<(usize, String)> = table
        .iter()
        .map(|(name, _)| (name.span().start, name.get_ref().to_string()))
        .collect();
    names.sort();
    names.truncate(ENVIRONMENTS_MAX);
    names.into_iter().map(|(_, name)| name).collect()
}

/// Takes `environments` out of the file and reads every declaration, reporting mistakes.
pub(crate) fn take<'i>(
    tree: &mut DeTable<'i>,
    source: &Source,
    diagnostics: &mut Vec<Diagnostic>,
) -> Declarations<'i> {
    let Some((key, value)) = tree.remove_entry("environments") else {
        return Declarations {
            all: Vec::new(),
            at: None,
        };
    };
    let at = Some(key.span());
    let all = read_all(value, source, diagnostics);
    Declarations { all, at }
}

fn read_all<'i>(
    value: Spanned<DeValue<'i>>,
    source: &Source,
    diagnostics: &mut Vec<Diagnostic>,
) -> Vec<Declared<'i>> {
    let span = value.span();
    let DeValue::Table(table) = value.into_inner() else {
        diagnostics.push(
            Diagnostic::error("`environments` must be a table", source, span)
                .with_hint("write one `[environments.NAME]` section per guild"),
        );
        return Vec::new();
    };
    if table.len() > ENVIRONMENTS_MAX {
        diagnostics.push(
            Diagnostic::error(
                format!(
                    "the file declares {} environments; at most {ENVIRONMENTS_MAX} are read",
                    table.len()
                ),
                source,
                span,
            )
            .with_hint("keep one environment per guild the file is applied to"),
        );
        return Vec::new();
    }
    let mut declared = Vec::new();
    for (name, value) in table {
        let name_span = name.span();
        let name = name.into_inner().into_owned();
        if let Some(problem) = name_problem(&name) {
            diagnostics.push(
                Diagnostic::error(format!("environment name `{name}` {problem}"), source, name_span.clone())
                    .with_hint("use lowercase letters, digits, `-` and `_` (it names the token variable, DISCORD_TOKEN_NAME)"),
            );
        }
        let value_span = value.span();
        let DeValue::Table(table) = value.into_inner() else {
            diagnostics.push(
                Diagnostic::error(
                    format!("environment `{name}` must be a table"),
                    source,
                    value_span,
                )
                .with_hint(format!(
                    "write `[environments.{name}]` with `guild = \"…\"` under it"
                )),
            );
            continue;
        };
        let declared_at = name_span.start..value_span.end;
        declared.push((
            name_span.start,
            read_one(name, table, declared_at, source, diagnostics),
        ));
    }
    // In file order (the table is read sorted by name).
    declared.sort_by_key(|(at, _)| *at);
    declared.into_iter().map(|(_, declared)| declared).collect()
}

fn name_problem(name: &str) -> Option<&'static str> {
    if name.is_empty() {
        Some("is empty")
    } else if name.len() > NAME_MAX {
        Some("is longer than 32 characters")
    } else if !name
        .bytes()
        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'_')
    {
        Some("has characters other than lowercase letters, digits, `-` and `_`")
    } else {
        None
    }
}

fn read_one<'i>(
    name: String,
    table: DeTable<'i>,
    declared_at: Range<usize>,
    source: &Source,
    diagnostics: &mut Vec<Diagnostic>,
) -> Declared<'i> {
    let mut guild = None;
    let mut omit = Vec::new();
    let mut overrides = None;
    for (key, value) in table {
        let key_span = key.span();
        let span = value.span();
        match (key.get_ref().as_ref(), value.into_inner()) {
            ("guild", DeValue::String(id)) => match id.parse::<u64>() {
                Ok(id) if id > 0 => guild = Some(GuildId::new(id)),
                _ => diagnostics.push(
                    Diagnostic::error(
                        format!("`guild` must be a guild id, found `{id}`"),
                        source,
                        span,
                    )
                    .with_hint(
                        "Discord: enable Developer Mode, right-click the server, Copy Server ID",
                    ),
                ),
            },
            ("guild", DeValue::Integer(number)) => diagnostics.push(
                Diagnostic::error("`guild` must be an id as a string", source, span).with_hint(
                    format!("write ids in quotes: `guild = \"{}\"`", number.as_str()),
                ),
            ),
            ("omit", DeValue::Array(items)) => {
                for item in items.iter() {
                    match item.get_ref() {
                        DeValue::String(entry) => omit.push((entry.to_string(), item.span())),
                        _ => diagnostics.push(Diagnostic::error(
                            "`omit` must list strings",
                            source,
                            item.span(),
                        )),
                    }
                }
            }
            ("overrides", DeValue::Table(table)) => overrides = Some(table),
            ("guild" | "omit" | "overrides", other) => {
                let expected = match key.get_ref().as_ref() {
                    "guild" => "an id as a string",
                    "omit" => "a list of strings",
                    _ => "a table",
                };
                diagnostics.push(Diagnostic::error(
                    format!(
                        "`{}` must be {expected}, found a {}",
                        key.get_ref(),
                        other.type_str()
                    ),
                    source,
                    span,
                ));
            }
            (other, _) => {
                let hint = if other.contains("token") {
                    format!(
                        "a token never goes in the file: set {} (or DISCORD_TOKEN) in the environment",
                        token_variable(&name)
                    )
                } else {
                    match suggest(other, ENVIRONMENT_KEYS.iter().copied()) {
                        Some(close) => format!("did you mean `{close}`?"),
                        None => format!(
                            "an environment takes `guild`, `omit` and `[environments.{name}.overrides]`"
                        ),
                    }
                };
                diagnostics.push(
                    Diagnostic::error(
                        format!("unknown key `{other}` in environment `{name}`"),
                        source,
                        key_span,
                    )
                    .with_hint(hint),
                );
            }
        }
    }
    let differences = omit.len()
        + overrides.as_ref().map_or(0, |table: &DeTable<'_>| {
            table
                .iter()
                .map(|(_, value)| match value.get_ref() {
                    DeValue::Array(items) => items.len(),
                    _ => 1,
                })
                .sum()
        });
    if differences > DIFFERENCES_MAX {
        diagnostics.push(
            Diagnostic::error(
                format!("environment `{name}` has {differences} overrides and omissions; at most {DIFFERENCES_MAX} are read"),
                source,
                declared_at,
            )
            .with_hint("an environment holds its differences from the file, not a second file"),
        );
        omit.clear();
        overrides = None;
    }
    for (entry, span) in &omit {
        if let Some(problem) = omit_problem(entry) {
            diagnostics.push(
                Diagnostic::error(format!("`omit` entry `{entry}`: {problem}"), source, span.clone())
                    .with_hint("write a table of the file (`events`) or an object as `kind:name` (`webhook:github-feed`, `channel:#bot-test`)"),
            );
        }
    }
    Declared {
        info: Environment { name, guild },
        omit,
        overrides,
    }
}

fn omit_problem(entry: &str) -> Option<String> {
    match entry.split_once(':') {
        Some((kind, name)) => {
            if name.trim().is_empty() {
                Some("no name after the kind".to_owned())
            } else if !LISTS.iter().any(|(known, _, _)| *known == kind) {
                let kinds = LISTS.iter().map(|(kind, _, _)| *kind);
                Some(match suggest(kind, kinds) {
                    Some(close) => format!("unknown kind `{kind}` (did you mean `{close}`?)"),
                    None => format!("unknown kind `{kind}`"),
                })
            } else {
                None
            }
        }
        None if omittable(entry) => None,
        None => Some(
            match suggest(entry, super::read::FILE_KEYS.iter().copied()) {
                Some(close) => format!("the file has no table `{entry}` (did you mean `{close}`?)"),
                None => format!("the file has no table `{entry}`"),
            },
        ),
    }
}

fn omittable(key: &str) -> bool {
    super::read::FILE_KEYS.contains(&key) && !matches!(key, "include" | "environments")
}

/// Picks the environment asked for; a name the file does not declare is an error at the
/// declarations (or at the top of a file that declares none).
pub(crate) fn select<'i>(
    declarations: Declarations<'i>,
    wanted: Option<&str>,
    source: &Source,
    diagnostics: &mut Vec<Diagnostic>,
) -> Option<Declared<'i>> {
    let wanted = wanted?;
    let Declarations { all: declared, at } = declarations;
    let names: Vec<String> = declared.iter().map(|d| d.info.name.clone()).collect();
    if let Some(found) = declared.into_iter().find(|d| d.info.name == wanted) {
        return Some(found);
    }
    let hint = if names.is_empty() {
        "declare `[environments.NAME]` with its `guild`, or run without --env / MIYABI_ENV"
            .to_owned()
    } else {
        let close = suggest(wanted, names.iter().map(String::as_str))
            .map(|close| format!("did you mean `{close}`? "))
            .unwrap_or_default();
        format!(
            "{close}the file declares: {}",
            names
                .iter()
                .map(|name| format!("`{name}`"))
                .collect::<Vec<_>>()
                .join(", ")
        )
    };
    diagnostics.push(
        Diagnostic::error(
            format!("no environment `{wanted}` in {}", source.name),
            source,
            at.unwrap_or(0..0),
        )
        .with_hint(hint),
    );
    None
}

/// Lays the environment's overrides over the file, then takes out what it omits.
pub(crate) fn apply<'i>(
    tree: &mut DeTable<'i>,
    environment: Declared<'i>,
    source: &Source,
    diagnostics: &mut Vec<Diagnostic>,
) {
    let name = environment.info.name.clone();
    for (key, value) in environment.overrides.unwrap_or_default() {
        let key_name = key.get_ref().to_string();
        if matches!(key_name.as_str(), "include" | "environments") {
            diagnostics.push(
                Diagnostic::error(
                    format!("`{key_name}` cannot be overridden per environment"),
                    source,
                    key.span(),
                )
                .with_hint("write it at the top of the main file"),
            );
            continue;
        }
        let list = LISTS.iter().find(|(_, file_key, _)| *file_key == key_name);
        match (list, value.get_ref()) {
            (Some((kind, _, identity)), DeValue::Array(items)) => {
                for item in items.iter() {
                    let list = (*kind, *identity);
                    override_item(tree, list, &key, item, &name, source, diagnostics);
                }
            }
            _ => replace_into(tree, key, value),
        }
    }
    for (entry, span) in environment.omit {
        if omit_problem(&entry).is_some() {
            continue; // reported when the declaration was read
        }
        match entry.split_once(':') {
            None => {
                tree.remove(entry.as_str());
            }
            Some((kind, wanted)) => {
                let (_, list, identity) = LISTS
                    .iter()
                    .find(|(known, _, _)| *known == kind)
                    .copied()
                    .unwrap_or(LISTS[0]);
                let found = locate(tree, kind, list, identity, wanted.trim());
                match found.as_slice() {
                    [one] => remove_at(tree, list, *one),
                    [] => diagnostics.push(
                        Diagnostic::error(
                            format!("`omit`: the file has no {kind} `{}`", wanted.trim()),
                            source,
                            span,
                        )
                        .with_hint(format!(
                            "omit names a {kind} by its {}",
                            identity.join(" or ")
                        )),
                    ),
                    _ => diagnostics.push(
                        Diagnostic::error(
                            format!("`omit`: {} {kind}s are `{}`", found.len(), wanted.trim()),
                            source,
                            span,
                        )
                        .with_hint("omit names exactly one object; give them different names"),
                    ),
                }
            }
        }
    }
}

/// Where an item of a list sits: in the file's list, or in a category's `channels`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Place {
    Top(usize),
    InCategory(usize, usize),
}

/// Takes one override item into the item of the file's list it names (`list`: the kind, as
/// `omit` writes it, and the keys that name an item), or adds it.
fn override_item<'i>(
    tree: &mut DeTable<'i>,
    (kind, identity): (&str, &[&str]),
    list_key: &Spanned<Cow<'i, str>>,
    item: &Spanned<DeValue<'i>>,
    environment: &str,
    source: &Source,
    diagnostics: &mut Vec<Diagnostic>,
) {
    let list = list_key.get_ref().to_string();
    let DeValue::Table(fields) = item.get_ref() else {
        // Not a table: the reader reports the wrong type at the override's place.
        append(tree, list_key, item.clone());
        return;
    };
    let Some((by, wanted)) = identity.iter().find_map(|key| {
        fields.get(*key).and_then(|value| match value.get_ref() {
            DeValue::String(text) => Some((*key, text.to_string())),
            _ => None,
        })
    }) else {
        diagnostics.push(
            Diagnostic::error(
                format!("this override of `{list}` names no {kind}"),
                source,
                item.span(),
            )
            .with_hint(format!(
                "give it the {} of the {kind} it changes (or of a new {kind} for `{environment}` only)",
                identity.join(" or ")
            )),
        );
        return;
    };
    let found = locate(tree, kind, &list, &[by], &wanted);
    match found.as_slice() {
        [] => append(tree, list_key, item.clone()),
        [place] => {
            if let Some(target) = item_mut(tree, &list, *place) {
                for (key, value) in fields.clone() {
                    if key.get_ref() != by {
                        replace_into(target, key, value);
                    }
                }
            }
        }
        _ => diagnostics.push(
            Diagnostic::error(
                format!(
                    "{} {kind}s are `{wanted}`; an override changes one",
                    found.len()
                ),
                source,
                fields.get(by).map_or(item.span(), Spanned::span),
            )
            .with_hint("give them different names in the file"),
        ),
    }
}

/// Puts `value` at `key`: tables merge key by key, anything else replaces what was there (with
/// the override's location).
fn replace_into<'i>(
    table: &mut DeTable<'i>,
    key: Spanned<Cow<'i, str>>,
    value: Spanned<DeValue<'i>>,
) {
    if let (Some(existing), DeValue::Table(_)) =
        (table.get_mut(key.get_ref().as_ref()), value.get_ref())
        && let DeValue::Table(inner) = existing.get_mut()
    {
        let DeValue::Table(more) = value.into_inner() else {
            return;
        };
        for (key, value) in more {
            replace_into(inner, key, value);
        }
        return;
    }
    table.remove(key.get_ref().as_ref());
    table.insert(key, value);
}

fn append<'i>(tree: &mut DeTable<'i>, key: &Spanned<Cow<'i, str>>, item: Spanned<DeValue<'i>>) {
    if let Some(existing) = tree.get_mut(key.get_ref().as_ref())
        && let DeValue::Array(items) = existing.get_mut()
    {
        items.push(item);
        return;
    }
    let mut items = DeArray::new();
    let span = item.span();
    items.push(item);
    tree.remove(key.get_ref().as_ref());
    tree.insert(key.clone(), Spanned::new(span, DeValue::Array(items)));
}

fn same(kind: &str, written: &str, wanted: &str) -> bool {
    if written == wanted {
        return true;
    }
    if !matches!(kind, "channel" | "messages" | "invite") {
        return false;
    }
    let wanted = wanted.trim_start_matches('#');
    let written = written.trim_start_matches('#');
    written == wanted || normalise_text_channel_name(written) == normalise_text_channel_name(wanted)
}

/// Every item of `list` whose `by` key is `wanted` (channels also inside categories).
fn locate(tree: &DeTable<'_>, kind: &str, list: &str, by: &[&str], wanted: &str) -> Vec<Place> {
    let matches = |value: &Spanned<DeValue<'_>>| match value.get_ref() {
        DeValue::Table(fields) => by.iter().any(|key| {
            fields.get(*key).is_some_and(|written| {
                matches!(written.get_ref(), DeValue::String(text) if same(kind, text, wanted))
            })
        }),
        _ => false,
    };
    let mut found = Vec::new();
    if let Some(DeValue::Array(items)) = tree.get(list).map(Spanned::get_ref) {
        found.extend(
            items
                .iter()
                .enumerate()
                .filter(|(_, item)| matches(item))
                .map(|(index, _)| Place::Top(index)),
        );
    }
    if list == "channels"
        && let Some(DeValue::Array(categories)) = tree.get("categories").map(Spanned::get_ref)
    {
        for (category, value) in categories.iter().enumerate() {
            if let DeValue::Table(fields) = value.get_ref()
                && let Some(DeValue::Array(channels)) = fields.get("channels").map(Spanned::get_ref)
            {
                found.extend(
                    channels
                        .iter()
                        .enumerate()
                        .filter(|(_, item)| matches(item))
                        .map(|(index, _)| Place::InCategory(category, index)),
                );
            }
        }
    }
    found
}

fn list_mut<'a, 'i>(table: &'a mut DeTable<'i>, key: &str) -> Option<&'a mut DeArray<'i>> {
    match table.get_mut(key)?.get_mut() {
        DeValue::Array(items) => Some(items),
        _ => None,
    }
}

fn item_mut<'a, 'i>(
    tree: &'a mut DeTable<'i>,
    list: &str,
    place: Place,
) -> Option<&'a mut DeTable<'i>> {
    let item = match place {
        Place::Top(index) => list_mut(tree, list)?.get_mut(index)?,
        Place::InCategory(category, index) => {
            let DeValue::Table(fields) = list_mut(tree, "categories")?.get_mut(category)?.get_mut()
            else {
                return None;
            };
            list_mut(fields, "channels")?.get_mut(index)?
        }
    };
    match item.get_mut() {
        DeValue::Table(fields) => Some(fields),
        _ => None,
    }
}

fn remove_at(tree: &mut DeTable<'_>, list: &str, place: Place) {
    let (items, index) = match place {
        Place::Top(index) => (list_mut(tree, list), index),
        Place::InCategory(category, index) => {
            let channels = list_mut(tree, "categories")
                .and_then(|categories| categories.get_mut(category))
                .and_then(|category| match category.get_mut() {
                    DeValue::Table(fields) => list_mut(fields, "channels"),
                    _ => None,
                });
            (channels, index)
        }
    };
    if let Some(items) = items {
        let mut kept = DeArray::new();
        for (at, item) in items.iter().enumerate() {
            if at != index {
                kept.push(item.clone());
            }
        }
        *items = kept;
    }
}

#[cfg(test)]
mod tests;
