//! `import --split DIR`: an imported server file as a layout of files joined by `include`.
//!
//! [`split`] takes the single file `import` writes (in `fmt`'s layout) and moves its sections,
//! as `toml_edit` items with their comments, into:
//!
//! - `server.toml`: the file's header comments (the `#:schema` line, what was not imported),
//!   `include = [...]`, then `[guild]`, `[everyone]`, `[prune]`, `[vanity]` and anything this
//!   module does not place elsewhere;
//! - `roles.toml`: the `[[roles]]`, top to bottom;
//! - `channels/00-uncategorised.toml`: the `[[channels]]` outside any category;
//! - `channels/NN-<slug>.toml`: one per `[[categories]]` entry with its channels, numbered from
//!   01 in Discord's order, so the glob `channels/*.toml` (expanded sorted by path) keeps that
//!   order; the number has as many digits as the count of categories needs, at least two;
//! - `community.toml`: welcome screen, onboarding, AutoMod, events, webhooks, invites, widget,
//!   threads and messages;
//! - `expressions.toml`: emojis, stickers and soundboard sounds;
//! - `access.toml`: `[ignore]`, `[protect]`, `[access]` and `[presets]`.
//!
//! A file that would be empty is left out, and so is its `include` entry. Every part is moved
//! whole, so concatenating the files in include order (without the `include` line and the
//! repeated `#:schema` lines) gives back the single file's tables. A comment travels with the
//! table it precedes (that is how `toml_edit` and `fmt` attach it); comments after the last
//! table stay at the end of the file holding that table, and `import`'s `# Not managed: ...`
//! notes after the last category stay at the end of the last channel file. Each file starts with the `#:schema`
//! line of the single file, its relative path adjusted for files in `channels/`.

use toml_edit::{Array, ArrayOfTables, DocumentMut, Item, Table, Value};

/// The folder of the per-category files, and the glob `include` names them by.
const CHANNELS: &str = "channels";

/// The file each top-level key of the single file goes to; keys not listed stay in
/// `server.toml`.
const PLACES: &[(&str, &str)] = &[
    ("roles", "roles.toml"),
    ("welcome_screen", "community.toml"),
    ("onboarding", "community.toml"),
    ("automod", "community.toml"),
    ("events", "community.toml"),
    ("webhooks", "community.toml"),
    ("invites", "community.toml"),
    ("widget", "community.toml"),
    ("threads", "community.toml"),
    ("messages", "community.toml"),
    ("emojis", "expressions.toml"),
    ("stickers", "expressions.toml"),
    ("soundboard", "expressions.toml"),
    ("ignore", "access.toml"),
    ("protect", "access.toml"),
    ("access", "access.toml"),
    ("presets", "access.toml"),
];

/// The flat files in include order (the channel files go between roles and community).
const FLAT_ORDER: &[&str] = &[
    "roles.toml",
    "community.toml",
    "expressions.toml",
    "access.toml",
];

/// The name of the file for channels outside any category.
pub const UNCATEGORISED: &str = "channels/00-uncategorised.toml";

/// The main file of a layout.
pub const MAIN: &str = "server.toml";

/// Why a file cannot be split.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SplitError(pub String);

impl std::fmt::Display for SplitError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for SplitError {}

/// A part being built: its path relative to the layout's folder and its items.
struct Part {
    path: String,
    document: DocumentMut,
    /// The highest document position of a table in it, to know which file ends the layout.
    last: Option<isize>,
}

impl Part {
    fn new(path: String) -> Self {
        Self {
            path,
            document: DocumentMut::new(),
            last: None,
        }
    }

    fn insert(&mut self, key: toml_edit::Key, item: Item) {
        self.last = self.last.max(last_position(&item));
        self.document.as_table_mut().insert_formatted(&key, item);
    }
}

/// `text` (a server file, as `import` writes it) as a layout: `(path, text)` with `/` separated
/// paths relative to the layout's folder, `server.toml` first, then the included files in
/// include order.
pub fn split(text: &str) -> Result<Vec<(String, String)>, SplitError> {
    let (header, body) = header(text);
    let schema = header
        .lines()
        .next()
        .and_then(|line| line.strip_prefix("#:schema "))
        .map(str::trim);
    let mut document: DocumentMut = body
        .parse()
        .map_err(|error: toml_edit::TomlError| SplitError(error.message().to_owned()))?;
    if document.contains_key("include") {
        return Err(SplitError(
            "the file already has `include`: it is a layout already".to_owned(),
        ));
    }
    let trailing = document.trailing().as_str().unwrap_or("").to_owned();
    document.set_trailing("");

    let mut flat: Vec<Part> = FLAT_ORDER
        .iter()
        .map(|path| Part::new((*path).to_owned()))
        .collect();
    let mut channels: Vec<Part> = Vec::new();
    let root = document.as_table_mut();

    if let Some((key, item)) = root.remove_entry("channels") {
        let mut part = Part::new(UNCATEGORISED.to_owned());
        part.insert(key, item);
        channels.push(part);
    }
    if let Some((key, item)) = root.remove_entry("categories") {
        match item {
            Item::ArrayOfTables(categories) => {
                let width = categories.len().to_string().len().max(2);
                for (index, category) in categories.into_iter().enumerate() {
                    let name = category
                        .get("key")
                        .and_then(Item::as_str)
                        .or_else(|| category.get("name").and_then(Item::as_str))
                        .unwrap_or("");
                    let path = format!("{CHANNELS}/{:0width$}-{}.toml", index + 1, file_slug(name));
                    let mut one = ArrayOfTables::new();
                    one.push(category);
                    let mut part = Part::new(path);
                    part.insert(key.clone(), Item::ArrayOfTables(one));
                    channels.push(part);
                }
            }
            // Not a list of tables (`categories = [...]` inline, or wrong): one file, as it is.
            other => {
                let mut part = Part::new(format!("{CHANNELS}/01-categories.toml"));
                part.insert(key, other);
                channels.push(part);
            }
        }
    }
    for (name, path) in PLACES {
        if let Some((key, item)) = root.remove_entry(name) {
            let part = flat
                .iter_mut()
                .find(|part| part.path == *path)
                .expect("every place is a flat file");
            part.insert(key, item);
        }
    }

    let roles = flat.remove(0);
    let mut parts: Vec<Part> = std::iter::once(roles)
        .chain(channels)
        .chain(flat)
        .filter(|part| !part.document.as_table().is_empty())
        .collect();

    let mut include = Array::new();
    let mut channels_listed = false;
    for part in &parts {
        if part.path.starts_with(&format!("{CHANNELS}/")) {
            if !channels_listed {
                include.push(format!("{CHANNELS}/*.toml"));
                channels_listed = true;
            }
        } else {
            include.push(part.path.as_str());
        }
    }

    keep_channel_notes_with_channels(&mut parts);

    // Comments after the last table stay after it, in whichever file holds it.
    let main_last = last_position(document.as_item());
    let ends = parts
        .iter_mut()
        .filter(|part| part.last > main_last)
        .max_by_key(|part| part.last);
    match ends {
        Some(part) => {
            let before = part.document.trailing().as_str().unwrap_or("").to_owned();
            part.document.set_trailing(before + &trailing);
        }
        None => document.set_trailing(trailing),
    }

    let mut main = String::new();
    main.push_str(&header);
    if !include.is_empty() {
        main.push_str(&format!("include = {}\n", Value::Array(include)));
    }
    let rest = without_leading_blank_lines(&document.to_string());
    if !rest.is_empty() {
        if !main.is_empty() && !main.ends_with("\n\n") {
            main.push('\n');
        }
        main.push_str(&rest);
    }
    // `include` in `fmt`'s layout (a long list one entry per line).
    let main = super::super::format::format(&main).unwrap_or(main);

    let mut files = vec![(MAIN.to_owned(), main)];
    for part in parts.drain(..) {
        let mut text = String::new();
        if let Some(schema) = schema {
            let depth = part.path.matches('/').count();
            text.push_str(&format!("#:schema {}\n\n", schema_from(schema, depth)));
        }
        text.push_str(&without_leading_blank_lines(&part.document.to_string()));
        files.push((part.path, text));
    }
    Ok(files)
}

/// `import` notes the channels it leaves out (`# Not managed: ...`) where they would be, and
/// notes after the last category precede the next section's first table: move them to the end
/// of the last channel file, so they do not land in `community.toml`.
fn keep_channel_notes_with_channels(parts: &mut [Part]) {
    let is_channels = |part: &Part| part.path.starts_with(&format!("{CHANNELS}/"));
    let Some(last) = parts
        .iter()
        .filter(|part| is_channels(part))
        .filter_map(|part| part.last)
        .max()
    else {
        return;
    };
    let next = parts
        .iter()
        .filter(|part| !is_channels(part))
        .flat_map(|part| part.document.as_table().iter())
        .filter_map(|(_, item)| first_position_after(item, last))
        .min();
    let Some(next) = next else {
        return;
    };
    let Some(table) = parts
        .iter_mut()
        .filter(|part| !is_channels(part))
        .flat_map(|part| part.document.as_table_mut().iter_mut())
        .find_map(|(_, item)| table_at(item, next))
    else {
        return;
    };
    let prefix = table
        .decor()
        .prefix()
        .and_then(|raw| raw.as_str())
        .unwrap_or("");
    let mut taken = 0;
    let mut notes = 0;
    for line in prefix.split_inclusive('\n') {
        if line.trim().is_empty() {
            taken += line.len();
        } else if line.starts_with("# Not managed: ") {
            taken += line.len();
            notes = taken;
        } else {
            break;
        }
    }
    if notes == 0 {
        return;
    }
    let moved = prefix[..notes].to_owned();
    let rest = format!("\n{}", without_leading_blank_lines(&prefix[notes..]));
    table.decor_mut().set_prefix(rest);
    if let Some(part) = parts
        .iter_mut()
        .filter(|part| is_channels(part))
        .max_by_key(|part| part.last)
    {
        let before = part.document.trailing().as_str().unwrap_or("").to_owned();
        part.document.set_trailing(before + &moved);
    }
}

/// The lowest document position of a table in `item` after `after`.
fn first_position_after(item: &Item, after: isize) -> Option<isize> {
    fn table(table: &Table, after: isize) -> Option<isize> {
        let own = table
            .position()
            .filter(|p| *p > after && !table.is_implicit());
        table
            .iter()
            .filter_map(|(_, item)| first_position_after(item, after))
            .chain(own)
            .min()
    }
    match item {
        Item::Table(t) => table(t, after),
        Item::ArrayOfTables(tables) => tables.iter().filter_map(|t| table(t, after)).min(),
        _ => None,
    }
}

/// The table at document position `position` in `item`.
fn table_at(item: &mut Item, position: isize) -> Option<&mut Table> {
    fn table(table: &mut Table, position: isize) -> Option<&mut Table> {
        if table.position() == Some(position) && !table.is_implicit() {
            return Some(table);
        }
        table
            .iter_mut()
            .find_map(|(_, item)| table_at(item, position))
    }
    match item {
        Item::Table(t) => table(t, position),
        Item::ArrayOfTables(tables) => tables.iter_mut().find_map(|t| table(t, position)),
        _ => None,
    }
}

/// Splits off the file's header: the leading comment lines up to the last blank line before
/// the first table or key (comments right above it are its own), and always the `#:schema`
/// line. Returns (header, rest).
fn header(text: &str) -> (String, &str) {
    let mut end = 0;
    let mut offset = 0;
    for (index, line) in text.split_inclusive('\n').enumerate() {
        let trimmed = line.trim();
        if trimmed.is_empty() {
            end = offset + line.len();
        } else if !trimmed.starts_with('#') {
            break;
        } else if index == 0 && trimmed.starts_with("#:schema") {
            end = offset + line.len();
        }
        offset += line.len();
    }
    (text[..end].to_owned(), &text[end..])
}

/// The `#:schema` target as seen from a file `depth` folders below the main file's: a relative
/// path gets `../` for each level; a URL or an absolute path stays as it is.
fn schema_from(schema: &str, depth: usize) -> String {
    let relative = !schema.contains("://") && !schema.starts_with('/');
    if !relative || depth == 0 {
        return schema.to_owned();
    }
    let path = schema.strip_prefix("./").unwrap_or(schema);
    format!("{}{path}", "../".repeat(depth))
}

/// A category's part of a file name: its key (or name) as a slug, at most 40 characters.
fn file_slug(name: &str) -> String {
    let slug = super::slug(name, "category");
    let cut: String = slug.chars().take(40).collect();
    let cut = cut.trim_end_matches('-');
    if cut.is_empty() {
        "category".to_owned()
    } else {
        cut.to_owned()
    }
}

fn without_leading_blank_lines(text: &str) -> String {
    let mut rest = text;
    while let Some(end) = rest.find('\n') {
        if rest[..end].trim().is_empty() {
            rest = &rest[end + 1..];
        } else {
            break;
        }
    }
    if rest.trim().is_empty() {
        String::new()
    } else {
        rest.to_owned()
    }
}

/// The highest document position of any table in `item`.
fn last_position(item: &Item) -> Option<isize> {
    fn table(table: &Table) -> Option<isize> {
        table
            .iter()
            .map(|(_, item)| last_position(item))
            .fold(table.position(), Option::max)
    }
    match item {
        Item::Table(t) => table(t),
        Item::ArrayOfTables(tables) => tables.iter().map(table).fold(None, Option::max),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SINGLE: &str = r##"#:schema ./server.schema.json
# Not imported: onboarding.
#
# The Discord server "Test" (id 1), as imported by `miyabi-guild import`.

[guild]
name = "Test"

[everyone]
permissions = []

# Objects this file does not describe are kept.
[prune]
roles = false

# Roles, top to bottom.

[[roles]]
key = "admin"
name = "Admin"

[[roles]]
key = "member"
name = "Member"

# Channels outside any category.

[[channels]]
name = "memes"

[[categories]]
name = "📢 WELCOME & RULES"

[[categories.channels]]
name = "welcome"

[[categories]]
name = "Voice"

[[categories.channels]]
name = "lounge"
type = "voice"

# AutoMod rules, matched by name.

[[automod]]
name = "No spam"

# Custom emoji, matched by name.

[[emojis]]
name = "wave"
# a last word
"##;

    fn files(text: &str) -> Vec<(String, String)> {
        split(text).expect("splits")
    }

    fn file<'a>(files: &'a [(String, String)], path: &str) -> &'a str {
        &files
            .iter()
            .find(|(p, _)| p == path)
            .unwrap_or_else(|| panic!("no {path}"))
            .1
    }

    #[test]
    fn the_parts_are_named_in_include_order() {
        let files = files(SINGLE);
        let paths: Vec<&str> = files.iter().map(|(path, _)| path.as_str()).collect();
        assert_eq!(
            paths,
            [
                "server.toml",
                "roles.toml",
                "channels/00-uncategorised.toml",
                "channels/01-welcome-rules.toml",
                "channels/02-voice.toml",
                "community.toml",
                "expressions.toml",
            ]
        );
    }

    #[test]
    fn the_main_file_keeps_the_header_and_includes_the_rest() {
        let files = files(SINGLE);
        assert_eq!(
            file(&files, "server.toml"),
            r#"#:schema ./server.schema.json
# Not imported: onboarding.
#
# The Discord server "Test" (id 1), as imported by `miyabi-guild import`.

include = ["roles.toml", "channels/*.toml", "community.toml", "expressions.toml"]

[guild]
name = "Test"

[everyone]
permissions = []

# Objects this file does not describe are kept.
[prune]
roles = false
"#
        );
    }

    #[test]
    fn each_part_starts_with_a_schema_line_valid_from_its_folder() {
        let files = files(SINGLE);
        assert_eq!(
            file(&files, "roles.toml"),
            "#:schema ./server.schema.json\n\n# Roles, top to bottom.\n\n[[roles]]\nkey = \"admin\"\nname = \"Admin\"\n\n[[roles]]\nkey = \"member\"\nname = \"Member\"\n"
        );
        assert_eq!(
            file(&files, "channels/01-welcome-rules.toml"),
            "#:schema ../server.schema.json\n\n[[categories]]\nname = \"📢 WELCOME & RULES\"\n\n[[categories.channels]]\nname = \"welcome\"\n"
        );
        assert!(file(&files, "channels/00-uncategorised.toml").starts_with(
            "#:schema ../server.schema.json\n\n# Channels outside any category.\n\n[[channels]]"
        ));
    }

    #[test]
    fn comments_after_the_last_table_end_its_file() {
        let files = files(SINGLE);
        assert!(
            file(&files, "expressions.toml").ends_with("name = \"wave\"\n# a last word\n"),
            "{}",
            file(&files, "expressions.toml")
        );
        assert!(file(&files, "community.toml").contains("# AutoMod rules, matched by name."));
    }

    #[test]
    fn concatenating_the_parts_gives_the_single_file() {
        let files = files(SINGLE);
        let mut joined = String::new();
        for (index, (_, text)) in files.iter().enumerate() {
            for line in text.lines() {
                if line.starts_with("include = ") || (index > 0 && line.starts_with("#:schema")) {
                    continue;
                }
                joined.push_str(line);
                joined.push('\n');
            }
        }
        let single: toml::Table = toml::from_str(SINGLE).unwrap();
        let joined: toml::Table = toml::from_str(&joined).unwrap();
        assert_eq!(joined, single);
    }

    #[test]
    fn empty_parts_are_left_out() {
        let files = files("#:schema ./s.json\n\n[guild]\nname = \"x\"\n");
        assert_eq!(files.len(), 1);
        assert_eq!(files[0].1, "#:schema ./s.json\n\n[guild]\nname = \"x\"\n");
    }

    #[test]
    fn many_categories_get_wider_numbers_that_sort() {
        let text: String = (0..120)
            .map(|n| format!("[[categories]]\nname = \"c{n}\"\n\n"))
            .collect();
        let files = files(&text);
        assert_eq!(files[1].0, "channels/001-c0.toml");
        assert_eq!(files[120].0, "channels/120-c119.toml");
        let mut sorted: Vec<&str> = files[1..].iter().map(|(p, _)| p.as_str()).collect();
        sorted.sort();
        assert_eq!(
            sorted,
            files[1..]
                .iter()
                .map(|(p, _)| p.as_str())
                .collect::<Vec<_>>()
        );
    }

    #[test]
    fn schema_paths_climb_out_of_folders() {
        assert_eq!(
            schema_from("./server.schema.json", 1),
            "../server.schema.json"
        );
        assert_eq!(
            schema_from("server.schema.json", 1),
            "../server.schema.json"
        );
        assert_eq!(schema_from("../s.json", 1), "../../s.json");
        assert_eq!(schema_from("https://x/s.json", 1), "https://x/s.json");
        assert_eq!(schema_from("./s.json", 0), "./s.json");
    }

    #[test]
    fn file_names_are_slugs_with_a_fallback() {
        assert_eq!(file_slug("🛡️"), "category");
        assert!(file_slug(&"a ".repeat(60)).len() <= 40);
        assert!(!file_slug(&"ab ".repeat(30)).ends_with('-'));
    }

    #[test]
    fn access_rules_presets_and_the_small_tables_have_their_files() {
        let text = "[guild]\nname = \"x\"\n\n[vanity]\ncode = \"x\"\n\n[widget]\nenabled = true\n\n\
            # kept\n[ignore]\nroles = [\"Bot\"]\n\n[presets.read]\nallow = []\n\n\
            [[access.assert]]\nrole = \"everyone\"\n\n[[stickers]]\nname = \"s\"\n";
        let files = files(text);
        let paths: Vec<&str> = files.iter().map(|(path, _)| path.as_str()).collect();
        assert_eq!(
            paths,
            [
                "server.toml",
                "community.toml",
                "expressions.toml",
                "access.toml"
            ]
        );
        assert!(file(&files, "server.toml").contains("[vanity]"));
        assert!(file(&files, "server.toml").starts_with(
            "include = [\"community.toml\", \"expressions.toml\", \"access.toml\"]\n\n[guild]"
        ));
        assert_eq!(
            file(&files, "access.toml"),
            "# kept\n[ignore]\nroles = [\"Bot\"]\n\n[presets.read]\nallow = []\n\n\
             [[access.assert]]\nrole = \"everyone\"\n"
        );
    }

    #[test]
    fn notes_on_channels_left_out_stay_in_the_channel_files() {
        let text = "[[categories]]\nname = \"A\"\n\n[[categories.channels]]\nname = \"a\"\n\n\
            # Not managed: media channel \"m\" (id 2): this version does not manage this kind of channel.\n\n\
            # AutoMod rules, matched by name.\n\n[[automod]]\nname = \"r\"\n";
        let files = files(text);
        assert_eq!(
            file(&files, "channels/01-a.toml"),
            "[[categories]]\nname = \"A\"\n\n[[categories.channels]]\nname = \"a\"\n\n\
             # Not managed: media channel \"m\" (id 2): this version does not manage this kind of channel.\n"
        );
        assert_eq!(
            file(&files, "community.toml"),
            "# AutoMod rules, matched by name.\n\n[[automod]]\nname = \"r\"\n"
        );
    }

    #[test]
    fn a_layout_is_not_split_again() {
        assert!(split("include = [\"a.toml\"]\n").is_err());
    }
}
