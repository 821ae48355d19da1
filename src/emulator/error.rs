//! Discord-shaped error answers.
//!
//! Every failure the emulator reports is an [`ApiError`]: an HTTP status plus Discord's JSON body
//! `{"code": <int>, "message": "..."}`, and for code 50035 ("Invalid Form Body") the nested `errors`
//! tree built with [`FormErrors`]. Shapes follow `reference.mdx` "Error Messages" and
//! `opcodes-and-status-codes.mdx` (notes §3).

use axum::http::StatusCode;
use serde_json::{Map, Value, json};

/// An error answer: status, Discord JSON code, message and (for 50035) the field errors.
#[derive(Debug, Clone, PartialEq)]
pub struct ApiError {
    pub status: StatusCode,
    pub code: u32,
    pub message: String,
    pub errors: Option<Value>,
}

impl ApiError {
    pub fn new(status: StatusCode, code: u32, message: impl Into<String>) -> Self {
        Self {
            status,
            code,
            message: message.into(),
            errors: None,
        }
    }

    pub fn unauthorized() -> Self {
        Self::new(StatusCode::UNAUTHORIZED, 0, "401: Unauthorized")
    }

    pub fn not_found_route() -> Self {
        Self::new(StatusCode::NOT_FOUND, 0, "404: Not Found")
    }

    pub fn method_not_allowed() -> Self {
        Self::new(StatusCode::METHOD_NOT_ALLOWED, 0, "405: Method Not Allowed")
    }

    pub fn unknown_channel() -> Self {
        Self::new(StatusCode::NOT_FOUND, 10003, "Unknown Channel")
    }

    pub fn unknown_guild() -> Self {
        Self::new(StatusCode::NOT_FOUND, 10004, "Unknown Guild")
    }

    pub fn unknown_member() -> Self {
        Self::new(StatusCode::NOT_FOUND, 10007, "Unknown Member")
    }

    pub fn unknown_overwrite() -> Self {
        Self::new(StatusCode::NOT_FOUND, 10009, "Unknown Overwrite")
    }

    pub fn unknown_role() -> Self {
        Self::new(StatusCode::NOT_FOUND, 10011, "Unknown Role")
    }

    pub fn unknown_user() -> Self {
        Self::new(StatusCode::NOT_FOUND, 10013, "Unknown User")
    }

    pub fn missing_permissions() -> Self {
        Self::new(StatusCode::FORBIDDEN, 50013, "Missing Permissions")
    }

    /// 50001: the bot cannot see the resource (for the member list: it lacks the GUILD_MEMBERS
    /// privileged intent).
    pub fn missing_access() -> Self {
        Self::new(StatusCode::FORBIDDEN, 50001, "Missing Access")
    }

    pub fn invalid_role() -> Self {
        Self::new(StatusCode::BAD_REQUEST, 50028, "Invalid Role")
    }

    pub fn invalid_channel_type() -> Self {
        Self::new(
            StatusCode::BAD_REQUEST,
            50024,
            "Cannot execute action on this channel type",
        )
    }

    pub fn invalid_json() -> Self {
        Self::new(
            StatusCode::BAD_REQUEST,
            50109,
            "The request body contains invalid JSON.",
        )
    }

    pub fn max_roles() -> Self {
        Self::new(
            StatusCode::BAD_REQUEST,
            30005,
            "Maximum number of guild roles reached (250)",
        )
    }

    pub fn max_channels() -> Self {
        Self::new(
            StatusCode::BAD_REQUEST,
            30013,
            "Maximum number of guild channels reached (500)",
        )
    }

    pub fn max_categories() -> Self {
        Self::new(
            StatusCode::BAD_REQUEST,
            30030,
            "Maximum number of server categories has been reached (50)",
        )
    }

    pub fn max_overwrites() -> Self {
        Self::new(
            StatusCode::BAD_REQUEST,
            30060,
            "Maximum number of channel permission overwrites reached (1000)",
        )
    }

    pub fn one_parent_change() -> Self {
        Self::new(
            StatusCode::BAD_REQUEST,
            40009,
            "Only one channel can have a parent_id modified at a time",
        )
    }

    pub fn community_channel_type() -> Self {
        Self::new(
            StatusCode::BAD_REQUEST,
            50086,
            "Community server channels must be text channels",
        )
    }

    pub fn community_channel_delete() -> Self {
        Self::new(
            StatusCode::BAD_REQUEST,
            50074,
            "Cannot delete a channel required for Community guilds",
        )
    }

    pub fn unknown_message() -> Self {
        Self::new(StatusCode::NOT_FOUND, 10008, "Unknown Message")
    }

    pub fn unknown_webhook() -> Self {
        Self::new(StatusCode::NOT_FOUND, 10015, "Unknown Webhook")
    }

    pub fn unknown_welcome_screen() -> Self {
        Self::new(StatusCode::NOT_FOUND, 10069, "Unknown Guild Welcome Screen")
    }

    pub fn unknown_scheduled_event() -> Self {
        Self::new(
            StatusCode::NOT_FOUND,
            10070,
            "Unknown Guild Scheduled Event",
        )
    }

    /// No code is documented for an unknown rule [inferred]: a general 404.
    pub fn unknown_auto_moderation_rule() -> Self {
        Self::new(StatusCode::NOT_FOUND, 0, "Unknown Auto Moderation Rule")
    }

    pub fn max_webhooks() -> Self {
        Self::new(
            StatusCode::BAD_REQUEST,
            30007,
            "Maximum number of webhooks reached (15)",
        )
    }

    pub fn max_guild_webhooks() -> Self {
        Self::new(
            StatusCode::BAD_REQUEST,
            30058,
            "Maximum number of webhooks per guild reached (1000)",
        )
    }

    pub fn max_scheduled_events() -> Self {
        Self::new(
            StatusCode::BAD_REQUEST,
            30038,
            "Maximum number of uncompleted guild scheduled events reached (100)",
        )
    }

    pub fn finished_event() -> Self {
        Self::new(
            StatusCode::BAD_REQUEST,
            180_000,
            "Cannot update a finished event",
        )
    }

    pub fn onboarding_requirements(already_enabled: bool) -> Self {
        if already_enabled {
            Self::new(
                StatusCode::BAD_REQUEST,
                350_001,
                "Cannot update onboarding while below requirements",
            )
        } else {
            Self::new(
                StatusCode::BAD_REQUEST,
                350_000,
                "Cannot enable onboarding, requirements are not met",
            )
        }
    }

    pub fn not_author() -> Self {
        Self::new(
            StatusCode::FORBIDDEN,
            50005,
            "Cannot edit a message authored by another user",
        )
    }

    pub fn empty_message() -> Self {
        Self::new(
            StatusCode::BAD_REQUEST,
            50006,
            "Cannot send an empty message",
        )
    }

    pub fn non_text_channel() -> Self {
        Self::new(
            StatusCode::BAD_REQUEST,
            50008,
            "Cannot send messages in a non-text channel",
        )
    }

    /// A feature-gated endpoint in a guild without the feature: 50035 with a request-level
    /// `GUILD_FEATURE_REQUIRED` error (Discord's answer is undocumented [inferred]).
    pub fn feature_required(feature: &str) -> Self {
        Self::form(
            &[] as &[&str],
            "GUILD_FEATURE_REQUIRED",
            &format!("The guild needs the {feature} feature."),
        )
    }

    /// A 400 50035 with a single field error.
    pub fn form(path: &[&str], code: &str, message: &str) -> Self {
        let mut errors = FormErrors::default();
        errors.add(path, code, message);
        errors.into_error()
    }

    /// The JSON body Discord sends for this error.
    pub fn body(&self) -> Value {
        let mut body = json!({ "code": self.code, "message": self.message });
        if let (Some(errors), Some(object)) = (&self.errors, body.as_object_mut()) {
            object.insert("errors".to_owned(), errors.clone());
        }
        body
    }
}

/// Field errors collected while validating one request body, reported all at once.
///
/// Paths are JSON paths with array indices written as strings (`["permission_overwrites", "0",
/// "type"]`); each leaf holds `{"_errors": [{"code", "message"}]}`. An empty path puts the error at
/// `errors._errors` (a request-level error).
#[derive(Debug, Default, Clone, PartialEq)]
pub struct FormErrors {
    tree: Map<String, Value>,
}

impl FormErrors {
    pub fn add<S: AsRef<str>>(&mut self, path: &[S], code: &str, message: &str) {
        let mut node = &mut self.tree;
        for segment in path {
            let child = node
                .entry(segment.as_ref().to_owned())
                .or_insert_with(|| Value::Object(Map::new()));
            if !child.is_object() {
                *child = Value::Object(Map::new());
            }
            let Value::Object(child) = child else {
                return;
            };
            node = child;
        }
        let leaf = node
            .entry("_errors".to_owned())
            .or_insert_with(|| Value::Array(Vec::new()));
        if let Value::Array(list) = leaf {
            list.push(json!({ "code": code, "message": message }));
        }
    }

    pub fn is_empty(&self) -> bool {
        self.tree.is_empty()
    }

    /// `Ok(())` when nothing was collected, else the 50035 error carrying every field error.
    pub fn finish(self) -> Result<(), ApiError> {
        if self.is_empty() {
            Ok(())
        } else {
            Err(self.into_error())
        }
    }

    pub fn into_error(self) -> ApiError {
        ApiError {
            status: StatusCode::BAD_REQUEST,
            code: 50035,
            message: "Invalid Form Body".to_owned(),
            errors: Some(Value::Object(self.tree)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn form_errors_nest_by_path_and_collect_everything() {
        let mut errors = FormErrors::default();
        errors.add(
            &["name"],
            "BASE_TYPE_BAD_LENGTH",
            "Must be between 1 and 100 in length.",
        );
        errors.add(
            &["permission_overwrites", "0", "type"],
            "BASE_TYPE_CHOICES",
            "x",
        );
        errors.add(
            &["permission_overwrites", "1", "id"],
            "BASE_TYPE_REQUIRED",
            "y",
        );
        let body = errors.into_error().body();
        assert_eq!(body["code"], 50035);
        assert_eq!(
            body["errors"]["name"]["_errors"][0]["code"],
            "BASE_TYPE_BAD_LENGTH"
        );
        assert_eq!(
            body["errors"]["permission_overwrites"]["0"]["type"]["_errors"][0]["code"],
            "BASE_TYPE_CHOICES"
        );
        assert_eq!(
            body["errors"]["permission_overwrites"]["1"]["id"]["_errors"][0]["message"],
            "y"
        );
    }
}
