//! `fmt`: the server file in its canonical layout, with every comment kept.
//!
//! The file is edited in place with `toml_edit`, which keeps comments and blank lines attached
//! to the keys and list items they precede, so moving a key moves its comment with it. The
//! canonical layout:
//!
//! - keys inside a table or inline table in the schema's order (the order the reference in the
//!   README and the schema document them); keys the schema does not know keep their order, last;
//!   the order of sections and of list entries (roles, channels) is the file's meaning and is
//!   never changed;
//! - `key = value` with one space each side of `=`;
//! - permission lists in Discord's bit order (the order `import` and the plan list them);
//! - a list on one line when it fits in [`WIDTH`] columns and holds no comment, else one item
//!   per line, indented two spaces, with a trailing comma; comments inside a list stay on their
//!   own lines above the item they preceded;
//! - inline tables as `{ key = value, other = value }`, and in a list of inline tables laid out
//!   one per line, the second keys aligned in one column when every entry starts with the same
//!   key.
//!
//! Formatting is idempotent: formatting a formatted file gives it back byte for byte.

use serde_json::Value as Json;
use toml_edit::{Array, DocumentMut, InlineTable, Item, RawString, Table, Value};
use unicode_width::UnicodeWidthStr;

/// Lines longer than this break a list into one item per line.
pub const WIDTH: usize = 100;

/// A file `fmt` cannot read as TOML.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FormatError {
    pub message: String,
    /// 1-based.
    pub line: usize,
    /// 1-based, in characters.
    pub column: usize,
}

/// `text` in the canonical layout.
pub fn format(text: &str) -> Result<String, FormatError> {
    let mut document: DocumentMut = text.parse().map_err(|error: toml_edit::TomlError| {
        let mut offset = error.span().map_or(0, |span| span.start).min(text.len());
        while !text.is_char_boundary(offset) {
            offset -= 1;
        }
        let before = &text[..offset];
        let line = before.matches('\n').count() + 1;
        let column = before.rsplit('\n').next().unwrap_or("").chars().count() + 1;
        FormatError {
            message: error.message().to_owned(),
            line,
            column,
        }
    })?;
    let schema: Json = serde_json::from_str(&super::json_schema()).unwrap_or(Json::Null);
    let formatter = Formatter {
        definitions: &schema["definitions"],
    };
    formatter.table(document.as_table_mut(), Some(&schema), true);
    Ok(document.to_string())
}

struct Formatter<'a> {
    definitions: &'a Json,
}

impl<'a> Formatter<'a> {
    /// Follows `$ref`s, and for a choice of shapes the first that is a table or a list.
    fn resolve(&self, node: &'a Json) -> &'a Json {
        let mut node = node;
        for _ in 0..16 {
            if let Some(reference) = node.get("$ref").and_then(Json::as_str) {
                let name = reference.trim_start_matches("#/definitions/");
                node = &self.definitions[name];
                continue;
            }
            if node.get("properties").is_none() && node.get("items").is_none() {
                let choices = node
                    .get("anyOf")
                    .or_else(|| node.get("oneOf"))
                    .and_then(Json::as_array);
                if let Some(choice) = choices.into_iter().flatten().find(|choice| {
                    let choice = self.resolve(choice);
                    choice.get("properties").is_some() || choice.get("items").is_some()
                }) {
                    node = choice;
                    continue;
                }
            }
            break;
        }
        node
    }

    fn property(&self, schema: Option<&'a Json>, key: &str) -> Option<&'a Json> {
        schema?
            .get("properties")?
            .get(key)
            .map(|node| self.resolve(node))
    }

    /// Where `key` goes among the keys of a table of this shape.
    fn rank(schema: Option<&Json>, key: &str) -> usize {
        schema
            .and_then(|schema| schema.get("properties"))
            .and_then(Json::as_object)
            .and_then(|properties| properties.keys().position(|known| known == key))
            .unwrap_or(usize::MAX)
    }

    fn table(&self, table: &mut Table, schema: Option<&'a Json>, root: bool) {
        if !root {
            table.sort_values_by(|left, _, right, _| {
                Self::rank(schema, left.get()).cmp(&Self::rank(schema, right.get()))
            });
        }
        for (mut key, item) in table.iter_mut() {
            let shape = self.property(schema, key.get());
            match item {
                Item::Table(table) => self.table(table, shape, false),
                Item::ArrayOfTables(tables) => {
                    let items = shape.and_then(|s| s.get("items")).map(|n| self.resolve(n));
                    for table in tables.iter_mut() {
                        self.table(table, items, false);
                    }
                }
                Item::Value(value) => {
                    key.leaf_decor_mut().set_suffix(" ");
                    value.decor_mut().set_prefix(" ");
                    let width = key.display_repr().width() + 3;
                    self.value(value, shape, width);
                }
                Item::None => {}
            }
        }
    }

    /// A value of a table; `before` is the width of `key = ` in front of it.
    fn value(&self, value: &mut Value, shape: Option<&'a Json>, before: usize) {
        match value {
            Value::Array(array) => self.array(array, shape, before),
            Value::InlineTable(table) => self.inline_table(table, shape),
            _ => {}
        }
    }

    fn array(&self, array: &mut Array, shape: Option<&'a Json>, before: usize) {
        let (mut entries, trailing) = entries(array);
        if is_permission_list(shape) {
            entries.sort_by_key(|entry| permission_rank(&entry.value));
        }
        let items = shape.and_then(|s| s.get("items")).map(|n| self.resolve(n));
        for entry in &mut entries {
            match &mut entry.value {
                Value::InlineTable(table) => self.inline_table(table, items),
                Value::Array(inner) => self.array(inner, items, before + 2),
                _ => {}
            }
        }

        let mut one_line = Array::new();
        for entry in &entries {
            one_line.push_formatted(entry.value.clone());
        }
        one_line.fmt();
        let fits = before + one_line.to_string().trim().width() <= WIDTH;
        let commented = !trailing.is_empty()
            || entries
                .iter()
                .any(|entry| !entry.above.is_empty() || entry.after.is_some());
        if fits && !commented && !one_line.to_string().contains('\n') {
            *one_line.decor_mut() = array.decor().clone();
            *array = one_line;
            return;
        }
        let mut laid_out = Array::new();
        let mut after_previous: Option<String> = None;
        for mut entry in entries {
            let mut prefix = match after_previous.take() {
                Some(comment) => format!(" {comment}\n"),
                None => String::from("\n"),
            };
            for line in &entry.above {
                prefix.push_str("  ");
                prefix.push_str(line);
                prefix.push('\n');
            }
            prefix.push_str("  ");
            entry.value.decor_mut().set_prefix(prefix);
            entry.value.decor_mut().set_suffix("");
            after_previous = entry.after;
            laid_out.push_formatted(entry.value);
        }
        let mut end = match after_previous {
            Some(comment) => format!(" {comment}"),
            None => String::new(),
        };
        for line in &trailing {
            end.push_str("\n  ");
            end.push_str(line);
        }
        end.push('\n');
        laid_out.set_trailing_comma(!laid_out.is_empty());
        laid_out.set_trailing(end);
        *laid_out.decor_mut() = array.decor().clone();
        align(&mut laid_out);
        *array = laid_out;
    }

    fn inline_table(&self, table: &mut InlineTable, shape: Option<&'a Json>) {
        table.sort_values_by(|left, _, right, _| {
            Self::rank(shape, left.get()).cmp(&Self::rank(shape, right.get()))
        });
        for (key, value) in table.iter_mut() {
            let shape = self.property(shape, key.get());
            match value {
                Value::Array(array) => {
                    if is_permission_list(shape) {
                        array.sort_by_key(permission_rank);
                    }
                    let items = shape.and_then(|s| s.get("items")).map(|n| self.resolve(n));
                    for item in array.iter_mut() {
                        if let Value::InlineTable(inner) = item {
                            self.inline_table(inner, items);
                        }
                    }
                    array.fmt();
                    array.set_trailing_comma(false);
                    array.set_trailing("");
                }
                Value::InlineTable(inner) => self.inline_table(inner, shape),
                _ => {}
            }
        }
        table.fmt();
    }
}

/// One item of a list with the comments around it.
struct Entry {
    value: Value,
    /// Comment lines above the item.
    above: Vec<String>,
    /// A comment on the item's own line, after its comma.
    after: Option<String>,
}

/// The items of `array` with their comments, and the comment lines after the last item. A
/// comment on the line of an item (after its comma) belongs to that item, as people read it;
/// `toml_edit` keeps it in front of the next item.
fn entries(array: &Array) -> (Vec<Entry>, Vec<String>) {
    let mut entries: Vec<Entry> = Vec::new();
    let mut carried = Vec::new();
    for item in array.iter() {
        let decor = item.decor();
        let prefix = decor.prefix().and_then(RawString::as_str).unwrap_or("");
        let (same_line, rest) = split_first_line(prefix);
        let mut above = std::mem::take(&mut carried);
        match (entries.last_mut(), comment_lines(same_line).pop()) {
            (Some(previous), Some(comment)) if previous.after.is_none() => {
                previous.after = Some(comment);
            }
            (_, Some(comment)) => above.push(comment),
            _ => {}
        }
        above.extend(comment_lines(rest));
        carried = comment_lines(decor.suffix().and_then(RawString::as_str).unwrap_or(""));
        let mut value = item.clone();
        value.decor_mut().clear();
        entries.push(Entry {
            value,
            above,
            after: None,
        });
    }
    let trailing = array.trailing().as_str().unwrap_or("");
    let (same_line, rest) = split_first_line(trailing);
    let mut after = carried;
    match (entries.last_mut(), comment_lines(same_line).pop()) {
        (Some(last), Some(comment)) if last.after.is_none() => last.after = Some(comment),
        (_, Some(comment)) => after.push(comment),
        _ => {}
    }
    after.extend(comment_lines(rest));
    (entries, after)
}

/// `text` up to its first line break, and the rest; all of it is the rest when it has none
/// (whitespace before an item on the same line as the previous one holds no line break).
fn split_first_line(text: &str) -> (&str, &str) {
    match text.split_once('\n') {
        Some((first, rest)) => (first, rest),
        None => ("", text),
    }
}

/// The comment lines of whitespace and comments between items.
fn comment_lines(raw: &str) -> Vec<String> {
    raw.lines()
        .map(str::trim)
        .filter(|line| line.starts_with('#'))
        .map(str::to_owned)
        .collect()
}

fn is_permission_list(shape: Option<&Json>) -> bool {
    shape
        .and_then(|s| s.get("items"))
        .and_then(|items| items.get("$ref"))
        .and_then(Json::as_str)
        == Some("#/definitions/Permission")
}

/// Discord's bit of a permission name; names that are not permissions go last, in order.
fn permission_rank(value: &Value) -> u32 {
    value
        .as_str()
        .and_then(crate::permissions::Permissions::parse_name)
        .map_or(u32::MAX, |bit| bit.bits().trailing_zeros())
}

/// In a list of inline tables one per line that all start with the same key, pads the first
/// pair so the second keys line up.
fn align(array: &mut Array) {
    let mut first_key: Option<String> = None;
    let mut widths = Vec::new();
    for item in array.iter() {
        let Value::InlineTable(table) = item else {
            return;
        };
        let Some((key, value)) = table.iter().next() else {
            return;
        };
        if table.len() < 2 || first_key.as_deref().is_some_and(|first| first != key) {
            return;
        }
        first_key = Some(key.to_owned());
        let key = table
            .key(key)
            .map_or_else(String::new, |k| k.display_repr().into_owned());
        widths.push(key.width() + 3 + value.to_string().trim().width() + 1);
    }
    let widest = widths.iter().copied().max().unwrap_or(0);
    for (item, width) in array.iter_mut().zip(widths) {
        if let Value::InlineTable(table) = item
            && let Some((mut key, _)) = table.iter_mut().nth(1)
        {
            key.leaf_decor_mut()
                .set_prefix(format!(" {}", " ".repeat(widest - width)));
        }
    }
}

/// The comments of `before` that `after` does not hold (as many times as `before` does), in
/// order: what formatting would lose. Empty for every file `format` handles.
pub fn lost_comments(before: &str, after: &str) -> Vec<String> {
    let mut kept = comments(after);
    let mut lost = Vec::new();
    for comment in comments(before) {
        match kept.iter().position(|k| *k == comment) {
            Some(index) => {
                kept.swap_remove(index);
            }
            None => lost.push(comment),
        }
    }
    lost
}

/// Every comment of a TOML text, trimmed: `#` to the end of its line, outside strings.
pub fn comments(text: &str) -> Vec<String> {
    let mut found = Vec::new();
    let mut rest = text;
    while let Some(at) = rest.find(['#', '"', '\'']) {
        let tail = &rest[at..];
        if tail.starts_with('#') {
            let end = tail.find('\n').unwrap_or(tail.len());
            found.push(tail[..end].trim_end().to_owned());
            rest = &tail[end..];
            continue;
        }
        let quote = if tail.starts_with("\"\"\"") {
            "\"\"\""
        } else if tail.starts_with("'''") {
            "'''"
        } else if tail.starts_with('"') {
            "\""
        } else {
            "'"
        };
        let body = &tail[quote.len()..];
        let mut end = None;
        let mut index = 0;
        while index < body.len() {
            if body[index..].starts_with(quote) {
                end = Some(index + quote.len());
                break;
            }
            if quote.starts_with('"') && body[index..].starts_with('\\') {
                index += 1;
            }
            index += body[index..].chars().next().map_or(1, char::len_utf8);
        }
        rest = match end {
            Some(end) => &body[end..],
            None => "",
        };
    }
    found
}

#[cfg(test)]
mod tests;
