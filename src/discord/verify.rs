//! Checking a write's answer: Discord answers a create or an edit with the object as it now is,
//! so every field the request set must come back as sent. A field that does not is a server
//! that did not keep the write (or is not Discord), and the apply stops with
//! [`DiscordError::NotKept`] instead of reporting "Apply complete".
//!
//! Only fields whose answer Discord gives back unchanged are compared: images (sent as data
//! URIs, answered as hashes), timestamps (answered in another notation), lists whose order is
//! Discord's, and flags Discord adds to are left out. Text channel names are compared the way
//! Discord stores them (lowercase, spaces as `-`).

use serde_json::Value;

use super::DiscordError;

/// The top-level fields compared.
const ECHOED: &[&str] = &[
    "name",
    "color",
    "hoist",
    "mentionable",
    "permissions",
    "unicode_emoji",
    "topic",
    "nsfw",
    "rate_limit_per_user",
    "bitrate",
    "user_limit",
    "parent_id",
    "rtc_region",
    "video_quality_mode",
    "default_auto_archive_duration",
    "default_thread_rate_limit_per_user",
    "permission_overwrites",
    "description",
    "verification_level",
    "explicit_content_filter",
    "default_message_notifications",
    "afk_channel_id",
    "afk_timeout",
    "system_channel_id",
    "system_channel_flags",
    "rules_channel_id",
    "public_updates_channel_id",
    "safety_alerts_channel_id",
    "preferred_locale",
    "enabled",
    "event_type",
    "trigger_type",
    "entity_type",
    "privacy_level",
    "channel_id",
    "content",
    "max_age",
    "max_uses",
    "temporary",
];

/// Channel types whose names Discord stores lowercase with `-` for spaces: text,
/// announcement, forum, media.
const TEXT_LIKE: &[u64] = &[0, 5, 15, 16];

/// Compares what `body` set with what `answer` holds; the first field not kept is the error.
pub fn kept(request: &str, body: &Value, answer: &Value) -> Result<(), DiscordError> {
    let (Value::Object(sent), Value::Object(now)) = (body, answer) else {
        return Ok(());
    };
    let text_like = now
        .get("type")
        .and_then(Value::as_u64)
        .is_some_and(|kind| TEXT_LIKE.contains(&kind));
    for field in ECHOED {
        let (Some(sent_value), Some(answered)) = (sent.get(*field), now.get(*field)) else {
            continue;
        };
        let same = match *field {
            "name" if text_like => match (sent_value.as_str(), answered.as_str()) {
                (Some(sent), Some(answered)) => text_channel_name(sent) == answered,
                _ => same_value(sent_value, answered),
            },
            "permission_overwrites" => same_overwrites(sent_value, answered),
            _ => same_value(sent_value, answered),
        };
        if !same {
            return Err(DiscordError::NotKept {
                request: request.to_owned(),
                field: (*field).to_owned(),
                sent: shown(sent_value),
                answered: shown(answered),
            });
        }
    }
    Ok(())
}

fn text_channel_name(name: &str) -> String {
    name.split_whitespace()
        .map(str::to_lowercase)
        .collect::<Vec<_>>()
        .join("-")
}

/// Equal as Discord means it: `"8"` and `8` are one number, `""` and `null` are "none".
fn same_value(sent: &Value, answered: &Value) -> bool {
    let none = |value: &Value| value.is_null() || value.as_str() == Some("");
    if none(sent) && none(answered) {
        return true;
    }
    match (number(sent), number(answered)) {
        (Some(a), Some(b)) => a == b,
        _ => sent == answered,
    }
}

fn number(value: &Value) -> Option<u128> {
    match value {
        Value::Number(number) => number.as_u64().map(u128::from),
        Value::String(text) if !text.is_empty() && text.bytes().all(|b| b.is_ascii_digit()) => {
            text.parse().ok()
        }
        _ => None,
    }
}

/// The same overwrites in any order (an overwrite that allows and denies nothing counts as
/// none).
fn same_overwrites(sent: &Value, answered: &Value) -> bool {
    let set = |value: &Value| -> Option<Vec<(u128, u64, u128, u128)>> {
        let mut entries = Vec::new();
        for entry in value.as_array()? {
            let allow = number(&entry["allow"]).unwrap_or(0);
            let deny = number(&entry["deny"]).unwrap_or(0);
            if allow == 0 && deny == 0 {
                continue;
            }
            entries.push((
                number(&entry["id"])?,
                entry["type"].as_u64().unwrap_or(0),
                allow,
                deny,
            ));
        }
        entries.sort_unstable();
        Some(entries)
    };
    set(sent) == set(answered)
}

fn shown(value: &Value) -> String {
    let text = match value {
        Value::String(text) => text.clone(),
        other => other.to_string(),
    };
    crate::config::clip(&text, 120)
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn fields_sent_must_come_back() {
        let body = json!({ "name": "Members", "permissions": "1024", "color": 0 });
        assert!(
            kept(
                "PATCH r",
                &body,
                &json!({ "name": "Members", "permissions": "1024", "color": 0, "id": "5" })
            )
            .is_ok()
        );
        let error = kept(
            "PATCH r",
            &body,
            &json!({ "name": "Members", "permissions": "0" }),
        )
        .unwrap_err();
        assert_eq!(
            error.to_string(),
            "Discord answered `permissions: 0` to PATCH r, which sent `permissions: 1024`: the server did not keep the permissions"
        );
    }

    #[test]
    fn discord_s_own_forms_are_the_same() {
        let body = json!({ "name": "Dev Chat", "topic": "", "permission_overwrites": [
            { "id": "1", "type": 0, "allow": "0", "deny": "1024" },
            { "id": "2", "type": 1, "allow": "0", "deny": "0" }
        ] });
        let answer = json!({ "type": 0, "name": "dev-chat", "topic": null, "permission_overwrites": [
            { "id": "1", "type": 0, "allow": "0", "deny": "1024" }
        ] });
        assert!(kept("POST c", &body, &answer).is_ok());
        // A voice channel keeps its name as written.
        let voice = json!({ "type": 2, "name": "dev-chat" });
        assert!(kept("POST c", &json!({ "name": "Dev Chat" }), &voice).is_err());
    }
}
