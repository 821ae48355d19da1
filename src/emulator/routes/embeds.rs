//! The `embeds`, `flags` and `allowed_mentions` of a create / edit message body, checked as
//! Discord checks them (`message.mdx`: embed object, embed limits, message flags, allowed
//! mentions object), and embeds stored as Discord answers them.
//!
//! Design notes: texts are trimmed before their limits are counted (the docs: "leading and
//! trailing whitespace characters are not included"); each problem is a 50035 leaf at its path
//! (`embeds.0.fields.3.value`); more than 6000 counted characters over all embeds is one error at
//! `embeds` (`MAX_EMBED_SIZE_EXCEEDED`). Only SUPPRESS_EMBEDS (1 << 2) and SUPPRESS_NOTIFICATIONS
//! (1 << 12) may be set by a bot on a message here. Images answer with a `proxy_url` on
//! Discord's media proxy; the emulator fetches nothing, so width and height are 0.

use serde_json::{Map, Value, json};

use crate::emulator::error::FormErrors;
use crate::emulator::validate::{Field, Fields};

pub const MAX_EMBEDS: usize = 10;
const TITLE: usize = 256;
const DESCRIPTION: usize = 4096;
const FIELDS: usize = 25;
const FIELD_NAME: usize = 256;
const FIELD_VALUE: usize = 1024;
const FOOTER: usize = 2048;
const AUTHOR_NAME: usize = 256;
const TOTAL: usize = 6000;
const URL: usize = 2048;
/// SUPPRESS_EMBEDS and SUPPRESS_NOTIFICATIONS.
const SETTABLE_FLAGS: u64 = (1 << 2) | (1 << 12);
pub const SUPPRESS_EMBEDS: u64 = 1 << 2;

/// `embeds` of the body: `Absent` / `Null` as given, else the embeds as Discord stores them.
pub fn embeds(fields: &Fields<'_>, errors: &mut FormErrors) -> Field<Vec<Value>> {
    let list = match fields.list("embeds", MAX_EMBEDS, errors) {
        Field::Value(list) => list,
        Field::Absent => return Field::Absent,
        Field::Null => return Field::Null,
        Field::Invalid => return Field::Invalid,
    };
    let before = errors.clone();
    let mut stored = Vec::new();
    let mut counted = 0;
    for (index, embed) in list.iter().enumerate() {
        let path = vec!["embeds".to_owned(), index.to_string()];
        let Value::Object(object) = embed else {
            errors.add(
                &path,
                "MODEL_TYPE_CONVERT",
                "Only dictionaries may be used in a ModelType",
            );
            continue;
        };
        let (embed, count) = one(object, path, errors);
        counted += count;
        stored.push(embed);
    }
    if counted > TOTAL {
        errors.add(
            &["embeds"],
            "MAX_EMBED_SIZE_EXCEEDED",
            &format!("Embed size exceeds maximum size of {TOTAL}"),
        );
    }
    if *errors == before {
        Field::Value(stored)
    } else {
        Field::Invalid
    }
}

/// One embed as stored, and its counted characters.
fn one(object: &Map<String, Value>, path: Vec<String>, errors: &mut FormErrors) -> (Value, usize) {
    let fields = Fields::new(object, path.clone());
    let mut counted = 0;
    let mut stored = json!({ "type": "rich", "content_scan_version": 0 });
    let mut text = |key: &str, max: usize, fields: &Fields<'_>, errors: &mut FormErrors| {
        let value = trimmed(fields, key, max, errors)?;
        counted += value.chars().count();
        Some(value)
    };
    if let Some(title) = text("title", TITLE, &fields, errors) {
        stored["title"] = title.into();
    }
    if let Some(description) = text("description", DESCRIPTION, &fields, errors) {
        stored["description"] = description.into();
    }
    if let Some(kind) = fields.string("type", 0, 32, errors).value()
        && kind != "rich"
    {
        errors.add(
            &fields.path("type"),
            "EMBED_TYPE_INVALID",
            "Embed type must be \"rich\"",
        );
    }
    if let Some(url) = fields.string("url", 0, URL, errors).value() {
        url_check(&fields.path("url"), &url, errors);
        stored["url"] = url.into();
    }
    if let Some(color) = fields.integer("color", 0, 0xFF_FFFF, errors).value() {
        stored["color"] = color.into();
    }
    if let Field::Value(Value::Object(footer)) = fields.raw("footer") {
        let inner = Fields::new(footer, fields.path("footer"));
        inner.require("text", errors);
        if let Some(value) = text("text", FOOTER, &inner, errors) {
            stored["footer"] = json!({ "text": value });
        }
    }
    if let Field::Value(Value::Object(author)) = fields.raw("author") {
        let inner = Fields::new(author, fields.path("author"));
        inner.require("name", errors);
        if let Some(name) = text("name", AUTHOR_NAME, &inner, errors) {
            stored["author"] = json!({ "name": name });
        }
    }
    for key in ["image", "thumbnail"] {
        if let Field::Value(Value::Object(image)) = fields.raw(key) {
            let inner = Fields::new(image, fields.path(key));
            inner.require("url", errors);
            if let Some(url) = inner.string("url", 0, URL, errors).value() {
                url_check(&inner.path("url"), &url, errors);
                stored[key] = json!({
                    "url": url,
                    "proxy_url": format!("https://images-ext-1.discordapp.net/external/emulated/{}", url.len()),
                    "width": 0,
                    "height": 0,
                    "flags": 0,
                });
            }
        }
    }
    if let Field::Value(list) = fields.list("fields", FIELDS, errors) {
        let mut kept = Vec::new();
        for (index, field) in list.iter().enumerate() {
            let mut field_path = fields.path("fields");
            field_path.push(index.to_string());
            let Value::Object(field) = field else {
                errors.add(
                    &field_path,
                    "MODEL_TYPE_CONVERT",
                    "Only dictionaries may be used in a ModelType",
                );
                continue;
            };
            let inner = Fields::new(field, field_path);
            inner.require("name", errors);
            inner.require("value", errors);
            let name = text("name", FIELD_NAME, &inner, errors);
            let value = text("value", FIELD_VALUE, &inner, errors);
            let inline = inner.boolean("inline", errors).value().unwrap_or(false);
            if let (Some(name), Some(value)) = (name, value) {
                kept.push(json!({ "name": name, "value": value, "inline": inline }));
            }
        }
        if !kept.is_empty() {
            stored["fields"] = kept.into();
        }
    }
    (stored, counted)
}

/// A text, trimmed, 1-`max` characters after trimming (present but empty: required).
fn trimmed(fields: &Fields<'_>, key: &str, max: usize, errors: &mut FormErrors) -> Option<String> {
    let Field::Value(Value::String(text)) = fields.raw(key) else {
        // Wrong types are reported by `string`.
        fields.string(key, 0, max, errors);
        return None;
    };
    let text = text.trim();
    if text.is_empty() {
        errors.add(
            &fields.path(key),
            "BASE_TYPE_REQUIRED",
            "This field is required",
        );
        return None;
    }
    if text.chars().count() > max {
        errors.add(
            &fields.path(key),
            "BASE_TYPE_MAX_LENGTH",
            &format!("Must be {max} or fewer in length."),
        );
        return None;
    }
    Some(text.to_owned())
}

fn url_check(path: &[String], url: &str, errors: &mut FormErrors) {
    let scheme = url.starts_with("https://")
        || url.starts_with("http://")
        || url.starts_with("attachment://");
    if !scheme || url.chars().any(char::is_whitespace) {
        errors.add(path, "URL_TYPE_INVALID_URL", "Not a well formed URL.");
    }
}

/// `flags` of the body, only the ones a bot may set.
pub fn flags(fields: &Fields<'_>, errors: &mut FormErrors) -> Option<u64> {
    let flags = fields
        .integer("flags", 0, i64::from(u32::MAX), errors)
        .value()?;
    let flags = u64::try_from(flags).ok()?;
    if flags & !SETTABLE_FLAGS != 0 {
        errors.add(
            &fields.path("flags"),
            "MESSAGE_FLAGS_INVALID",
            "Invalid flags: only SUPPRESS_EMBEDS and SUPPRESS_NOTIFICATIONS can be set",
        );
        return None;
    }
    Some(flags)
}

/// `allowed_mentions`: `parse` of `roles`, `users`, `everyone`; `roles` / `users` lists of at
/// most 100 ids, not together with their `parse` entry. The value as sent (`null` if absent).
pub fn allowed_mentions(fields: &Fields<'_>, errors: &mut FormErrors) -> Value {
    let Field::Value(value) = fields.raw("allowed_mentions") else {
        return Value::Null;
    };
    let Value::Object(object) = value else {
        errors.add(
            &fields.path("allowed_mentions"),
            "MODEL_TYPE_CONVERT",
            "Only dictionaries may be used in a ModelType",
        );
        return Value::Null;
    };
    let inner = Fields::new(object, fields.path("allowed_mentions"));
    let parse = inner
        .string_list("parse", 3, 0, 32, errors)
        .value()
        .unwrap_or_default();
    for (index, kind) in parse.iter().enumerate() {
        if !matches!(kind.as_str(), "roles" | "users" | "everyone") {
            let mut path = inner.path("parse");
            path.push(index.to_string());
            errors.add(
                &path,
                "BASE_TYPE_CHOICES",
                "Value must be one of {'roles', 'users', 'everyone'}.",
            );
        }
    }
    for key in ["roles", "users"] {
        if inner
            .snowflake_list(key, 100, errors)
            .value()
            .is_some_and(|l| !l.is_empty())
            && parse.iter().any(|kind| kind == key)
        {
            errors.add(
                &inner.path("parse"),
                "MESSAGE_ALLOWED_MENTIONS_PARSE_EXCLUSIVE",
                &format!("parse:[\"{key}\"] and {key}: [ids] are mutually exclusive."),
            );
        }
    }
    value.clone()
}
