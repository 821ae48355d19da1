//! A 50035 ("Invalid Form Body") in the file's words: Discord names the fields of its request
//! body (`default_reaction_emoji`, `rate_limit_per_user`); the admin wrote `default_reaction`
//! and `slowmode` in `server.toml`. The hint names the file's key, the object, and where the
//! object is declared (`server.toml:412`) when its name is declared once.

use crate::config::Source;
use crate::discord::DiscordError;
use crate::plan::Change;

/// Discord's body fields and the file's keys for them (where they differ, or to say the key).
const FILE_KEYS: &[(&str, &str)] = &[
    ("name", "name"),
    ("topic", "topic"),
    ("nsfw", "nsfw"),
    ("rate_limit_per_user", "slowmode"),
    ("bitrate", "bitrate"),
    ("user_limit", "user_limit"),
    ("rtc_region", "rtc_region"),
    ("video_quality_mode", "video_quality"),
    ("parent_id", "the category it is listed under"),
    ("permission_overwrites", "overwrites"),
    ("available_tags", "tags"),
    ("default_reaction_emoji", "default_reaction"),
    ("default_sort_order", "default_sort_order"),
    ("default_forum_layout", "default_layout"),
    ("default_auto_archive_duration", "default_auto_archive"),
    (
        "default_thread_rate_limit_per_user",
        "default_thread_slowmode",
    ),
    ("color", "color"),
    ("colors", "color"),
    ("hoist", "hoist"),
    ("mentionable", "mentionable"),
    ("permissions", "permissions"),
    ("unicode_emoji", "unicode_emoji"),
    ("icon", "icon"),
    ("description", "description"),
    ("verification_level", "verification_level"),
    ("explicit_content_filter", "explicit_content_filter"),
    ("default_message_notifications", "default_notifications"),
    ("afk_channel_id", "afk_channel"),
    ("afk_timeout", "afk_timeout"),
    ("system_channel_id", "system_channel"),
    ("system_channel_flags", "system_channel_flags"),
    ("rules_channel_id", "rules_channel"),
    ("public_updates_channel_id", "public_updates_channel"),
    ("safety_alerts_channel_id", "safety_alerts_channel"),
    ("preferred_locale", "preferred_locale"),
    ("keyword_filter", "keywords"),
    ("regex_patterns", "regex"),
    ("allow_list", "allow"),
    ("exempt_roles", "exempt_roles"),
    ("exempt_channels", "exempt_channels"),
    ("actions", "actions"),
    ("scheduled_start_time", "start"),
    ("scheduled_end_time", "duration"),
    ("location", "location"),
    ("recurrence_rule", "repeat"),
    ("welcome_channels", "channels"),
    ("default_channel_ids", "default_channels"),
    ("prompts", "prompts"),
    ("options", "options"),
    ("title", "title"),
    ("content", "the message file"),
    ("avatar", "avatar"),
];

/// What the change is about, as the file names it: (what, name).
fn object(change: &Change) -> Option<(String, String)> {
    let channel = |kind: crate::model::ChannelKind, name: &str| {
        (format!("{} channel", kind.describe()), name.to_owned())
    };
    Some(match change {
        Change::CreateRole { role, .. } => ("role".to_owned(), role.name.clone()),
        Change::UpdateRole { after, .. } => ("role".to_owned(), after.name.clone()),
        Change::CreateChannel { channel: spec, .. } => channel(spec.kind, &spec.name),
        Change::UpdateChannel { after, .. } => channel(after.kind, &after.name),
        Change::CreateAutoModRule { rule } => ("AutoMod rule".to_owned(), rule.name.clone()),
        Change::UpdateAutoModRule { after, .. } => ("AutoMod rule".to_owned(), after.name.clone()),
        Change::CreateEvent { event, .. } => ("event".to_owned(), event.name.clone()),
        Change::UpdateEvent { after, .. } => ("event".to_owned(), after.name.clone()),
        Change::CreateWebhook { webhook } => ("webhook".to_owned(), webhook.name.clone()),
        Change::UpdateWebhook { after, .. } => ("webhook".to_owned(), after.name.clone()),
        Change::UpdateGuild { .. } => ("guild".to_owned(), "[guild]".to_owned()),
        _ => return None,
    })
}

/// The line where `name = "<name>"` is written, when it is written exactly once.
fn declared_at(source: &Source, name: &str) -> Option<usize> {
    let quoted = format!("\"{}\"", name.replace('\\', "\\\\").replace('"', "\\\""));
    let mut lines = source.text.lines().enumerate().filter(|(_, line)| {
        let line = line.trim_start();
        line.strip_prefix("name")
            .map(str::trim_start)
            .and_then(|rest| rest.strip_prefix('='))
            .is_some_and(|value| {
                value.trim() == quoted || value.trim().starts_with(&format!("{quoted} "))
            })
    });
    let first = lines.next()?;
    lines.next().is_none().then_some(first.0 + 1)
}

/// The file's key for a Discord field path (`available_tags.0.emoji_id` → `tags[0]`, the key
/// that holds the emoji).
fn file_key(path: &str) -> String {
    let mut parts = path.split('.');
    let first = parts.next().unwrap_or_default();
    let key = FILE_KEYS
        .iter()
        .find(|(discord, _)| *discord == first)
        .map_or(first, |(_, file)| file);
    let rest: Vec<&str> = parts.collect();
    match rest.first() {
        Some(index) if index.bytes().all(|b| b.is_ascii_digit()) => {
            let inner: Vec<&str> = rest[1..]
                .iter()
                .map(|part| {
                    FILE_KEYS
                        .iter()
                        .find(|(discord, _)| discord == part)
                        .map_or(*part, |(_, file)| file)
                })
                .collect();
            if inner.is_empty() {
                format!(
                    "`{key}` (entry {})",
                    index.parse::<usize>().unwrap_or(0) + 1
                )
            } else {
                format!(
                    "`{}` of `{key}` entry {}",
                    inner.join("."),
                    index.parse::<usize>().unwrap_or(0) + 1
                )
            }
        }
        Some(_) => format!("`{key}` ({})", rest.join(".")),
        None => format!("`{key}`"),
    }
}

/// A hint for a 50035 on `change`, in the file's words; `None` for other errors.
pub fn form_error_hint(
    change: &Change,
    error: &DiscordError,
    source: Option<&Source>,
) -> Option<String> {
    let DiscordError::Api {
        code: 50035,
        fields,
        ..
    } = error
    else {
        return None;
    };
    let (what, name) = object(change)?;
    let place = source
        .and_then(|source| Some((source, declared_at(source, &name)?)))
        .map_or_else(String::new, |(source, line)| {
            format!(" ({}:{line})", source.name)
        });
    let subject = if what == "guild" {
        format!("[guild]{place}")
    } else {
        format!("{what} \"{name}\"{place}")
    };
    let mut keys: Vec<String> = Vec::new();
    let mut whole = false;
    for field in fields {
        let path = field.split(": ").next().unwrap_or_default();
        if path == "(body)" {
            whole = true;
        } else {
            let key = file_key(path);
            if !keys.contains(&key) {
                keys.push(key);
            }
        }
    }
    Some(if keys.is_empty() {
        let why = if whole {
            "Discord rejected the whole request"
        } else {
            "Discord named no field"
        };
        format!(
            "{why} for {subject}: check its settings against Discord's limits (`miyabi-guild validate` checks most of them), then run apply again"
        )
    } else {
        format!(
            "Discord refused {} of {subject}: fix it in the file (`miyabi-guild validate` checks Discord's limits), then run apply again",
            keys.join(", ")
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn discord_field_paths_become_the_file_s_keys() {
        assert_eq!(file_key("default_reaction_emoji"), "`default_reaction`");
        assert_eq!(
            file_key("available_tags.0.emoji_id"),
            "`emoji_id` of `tags` entry 1"
        );
        assert_eq!(
            file_key("permission_overwrites.2"),
            "`overwrites` (entry 3)"
        );
        assert_eq!(file_key("rate_limit_per_user"), "`slowmode`");
    }

    #[test]
    fn a_form_error_names_the_file_s_key_the_object_and_its_line() {
        let source = Source::new(
            "server.toml",
            "[[roles]]\nkey = \"mod\"\nname = \"Moderator\"\n",
        );
        let change = Change::CreateRole {
            key: "mod".into(),
            role: crate::model::RoleSettings::named("Moderator"),
        };
        let error = DiscordError::from_body(
            "POST guilds/1/roles".into(),
            400,
            br#"{"code":50035,"message":"Invalid Form Body","errors":{"unicode_emoji":{"_errors":[{"code":"X","message":"Invalid emoji"}]}}}"#,
        );
        assert_eq!(
            form_error_hint(&change, &error, Some(&source)).unwrap(),
            "Discord refused `unicode_emoji` of role \"Moderator\" (server.toml:3): fix it in the file (`miyabi-guild validate` checks Discord's limits), then run apply again"
        );
        let whole = DiscordError::from_body(
            "POST guilds/1/roles".into(),
            400,
            br#"{"code":50035,"message":"Invalid Form Body","errors":{"_errors":[{"code":"X","message":"Bad"}]}}"#,
        );
        assert!(
            form_error_hint(&change, &whole, None)
                .unwrap()
                .starts_with("Discord rejected the whole request for role \"Moderator\":")
        );
    }

    #[test]
    fn the_declaration_is_found_when_it_is_unique() {
        let source = Source::new(
            "server.toml",
            "[[channels]]\nname = \"FAQ\"\n\n[[roles]]\nname = \"Mod\"\n[[roles]]\nname = \"Mod\"\n",
        );
        assert_eq!(declared_at(&source, "FAQ"), Some(2));
        assert_eq!(declared_at(&source, "Mod"), None);
        assert_eq!(declared_at(&source, "Nope"), None);
    }
}
