//! The JSON Schema of `server.toml`: generated from the raw structs, then adjusted for what
//! schemars cannot say (TOML has no null; an environment's overrides take the file's tables
//! with partial items).

use schemars::JsonSchema;

use super::RawFile;

/// One guild the file is applied to: its id, what it leaves out, and how it differs. (Read by
/// `config::environments`; this struct is the schema's.)
#[derive(JsonSchema)]
#[schemars(rename = "Environment", deny_unknown_fields)]
#[allow(dead_code)]
pub(crate) struct RawEnvironment {
    /// The environment's guild id, in quotes.
    guild: Option<String>,
    /// What this environment leaves out: tables of the file (`"events"`) or objects as
    /// `kind:name` (`"webhook:github-feed"`, `"channel:#bot-test"`; kinds: role, category,
    /// channel, automod, event, webhook, emoji, sticker, sound, messages, invite, thread).
    omit: Option<Vec<String>>,
    /// Differences from the file, in the file's shape: tables take these keys; an item of a
    /// list changes the item it names (roles by `key` or `name`, threads by `title`, messages
    /// and invites by `channel`, the rest by `name`), or is added when it names none.
    overrides: Option<serde_json::Value>,
}

/// The JSON Schema of `server.toml`, pretty-printed with a trailing newline.
pub fn json_schema() -> String {
    let generator = schemars::generate::SchemaSettings::draft07().into_generator();
    let mut schema = generator.into_root_schema_for::<RawFile>().to_value();
    strip_null(&mut schema);
    overrides_schema(&mut schema);
    let mut text = serde_json::to_string_pretty(&schema).unwrap_or_default();
    text.push('\n');
    text
}

/// An environment's `overrides` take the file's tables but `include` and `environments`:
/// the root's properties, as their own definition.
fn overrides_schema(schema: &mut serde_json::Value) {
    let mut properties = schema
        .get("properties")
        .cloned()
        .unwrap_or(serde_json::Value::Null);
    if let Some(properties) = properties.as_object_mut() {
        properties.remove("include");
        properties.remove("environments");
    }
    // An override item names the item it changes and holds only what differs: the items of
    // the file's lists, without their required keys (`[[roles]]` with `key` and `members`).
    let mut relaxed = Vec::new();
    if let Some(properties) = properties.as_object_mut() {
        for property in properties.values_mut() {
            let Some(reference) = property
                .pointer("/items/$ref")
                .and_then(serde_json::Value::as_str)
                .map(str::to_owned)
            else {
                continue;
            };
            let name = reference.trim_start_matches("#/definitions/").to_owned();
            let Some(mut definition) = schema.pointer(&format!("/definitions/{name}")).cloned()
            else {
                continue;
            };
            if let Some(definition) = definition.as_object_mut() {
                definition.remove("required");
            }
            property["items"]["$ref"] = format!("#/definitions/{name}Override").into();
            relaxed.push((format!("{name}Override"), definition));
        }
    }
    let overrides = serde_json::json!({
        "description": "Differences from the file for one environment, in the file's shape.",
        "type": "object",
        "properties": properties,
        "additionalProperties": false,
    });
    if let Some(definitions) = schema
        .get_mut("definitions")
        .and_then(serde_json::Value::as_object_mut)
    {
        definitions.insert("Overrides".to_owned(), overrides);
        definitions.extend(relaxed);
    }
    if let Some(field) = schema.pointer_mut("/definitions/Environment/properties/overrides") {
        let description = field.get("description").cloned();
        *field = serde_json::json!({ "$ref": "#/definitions/Overrides" });
        if let Some(description) = description {
            field["description"] = description;
        }
    }
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
