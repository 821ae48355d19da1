//! Errors from talking to Discord, and what to do about them.
//!
//! Every failed request becomes a [`DiscordError`] naming the request (method and route, never
//! the token) and, for API errors, Discord's code, message and the field errors of a 50035
//! answer. [`DiscordError::hint`] turns known codes into advice.

use std::fmt;

use serde_json::Value;

#[derive(Debug, thiserror::Error)]
pub enum DiscordError {
    #[error("Discord rejected the bot token (401 Unauthorized) on {request}")]
    Unauthorized { request: String },
    #[error(
        "{request} failed: {status} {message} (code {code}){}",
        fields_suffix(fields)
    )]
    Api {
        request: String,
        status: u16,
        code: u64,
        message: String,
        /// `path: message` for each field error of a 50035 answer.
        fields: Vec<String>,
    },
    #[error("{request} failed: {detail}")]
    Transport { request: String, detail: String },
    #[error("{request}: could not read Discord's answer: {detail}")]
    Decode { request: String, detail: String },
    /// A well-formed answer that Discord would never send (a guild without `@everyone`...).
    #[error("{request}: the API is not behaving like Discord: {detail}")]
    Impossible { request: String, detail: String },
    /// A write's answer does not hold what was sent.
    #[error(
        "Discord answered `{field}: {answered}` to {request}, which sent `{field}: {sent}`: the server did not keep the {field}"
    )]
    NotKept {
        request: String,
        field: String,
        sent: String,
        answered: String,
    },
    /// Discord answered 429 to every try; the request was not carried out.
    #[error(
        "{request} was rate-limited {attempts} times in a row ({scope} limit; Discord asked to wait {:.1} s more)",
        retry_after.as_secs_f64()
    )]
    RateLimited {
        request: String,
        attempts: u32,
        retry_after: std::time::Duration,
        scope: &'static str,
    },
    /// The request's rate limit resets later than the tool waits; nothing was sent.
    #[error(
        "{request} was not sent: its rate limit resets in {}, longer than miyabi-guild waits",
        describe_wait(*wait)
    )]
    WaitTooLong {
        request: String,
        wait: std::time::Duration,
    },
    /// Listing members was refused (403 Missing Access): the bot lacks the Server Members
    /// Intent, which the staff roster needs.
    #[error(
        "{request} was refused (403 Missing Access): reading the roster needs the bot's Server Members Intent"
    )]
    MembersIntent { request: String },
    /// Too many 401, 403 and 429 answers lately; nothing more is sent.
    #[error(
        "{request} was not sent: {count} requests were refused (401, 403 or 429) in the last {minutes} minutes, and Discord bans the address of a client that reaches 10,000"
    )]
    TooManyInvalid {
        request: String,
        count: u32,
        minutes: u64,
    },
}

/// `45 s`, `8 min`, `47 h`.
fn describe_wait(wait: std::time::Duration) -> String {
    let seconds = wait.as_secs();
    match seconds {
        0..120 => format!("{} s", seconds.max(1)),
        120..7200 => format!("{} min", seconds.div_ceil(60)),
        _ => format!("{} h", seconds.div_ceil(3600)),
    }
}

fn fields_suffix(fields: &[String]) -> String {
    if fields.is_empty() {
        String::new()
    } else {
        format!(": {}", fields.join("; "))
    }
}

impl DiscordError {
    /// Discord's JSON error code, for API errors.
    pub fn code(&self) -> Option<u64> {
        match self {
            Self::Api { code, .. } => Some(*code),
            _ => None,
        }
    }

    /// Whether the request may have been carried out although no answer arrived (a 5xx, a
    /// timeout or a dropped connection): a create must then be looked up before it is retried.
    pub fn outcome_unknown(&self) -> bool {
        match self {
            Self::Api { status, .. } => *status >= 500,
            Self::Transport { .. } => true,
            Self::Unauthorized { .. }
            | Self::Decode { .. }
            | Self::Impossible { .. }
            | Self::NotKept { .. }
            | Self::RateLimited { .. }
            | Self::WaitTooLong { .. }
            | Self::TooManyInvalid { .. }
            | Self::MembersIntent { .. } => false,
        }
    }

    /// What the user can do about it.
    pub fn hint(&self) -> Option<String> {
        let hint = match self {
            Self::Unauthorized { .. } => {
                "check DISCORD_TOKEN (or --token-file): it must be the bot token from the Developer Portal → your application → Bot"
            }
            Self::Transport { .. } => {
                "check the network, or --api-url / MIYABI_API_URL if you point the tool at an emulator or a proxy"
            }
            Self::Impossible { .. } => {
                "nothing was changed: the tool stops rather than plan from an answer Discord never sends; if --api-url / MIYABI_API_URL points at a proxy or another implementation, check it"
            }
            Self::NotKept { .. } => {
                "the write was sent but the answer does not hold it, so the apply stopped: check the object in Discord, then run `miyabi-guild plan` to see what is left; if --api-url points at a proxy or another implementation, check it"
            }
            Self::Decode { .. } => {
                "the API answered something Discord never sends (the field named above), so the tool stopped instead of guessing: if --api-url / MIYABI_API_URL points at a proxy or another implementation, check it; against discord.com, report it with the request shown"
            }
            Self::RateLimited { retry_after, .. } => {
                return Some(format!(
                    "Discord kept this request waiting; nothing was changed by it. Run the command again in {}: it does only what is left",
                    describe_wait(*retry_after)
                ));
            }
            Self::WaitTooLong { wait, .. } => {
                return Some(format!(
                    "Discord limits some changes over long windows (a channel's name or topic: 2 changes per 10 minutes; role creation: 250 per 48 hours). Run the command again in {}: it does only what is left",
                    describe_wait(*wait)
                ));
            }
            Self::MembersIntent { .. } => {
                "a rostered role (`roster = true`) needs the member list: in the Discord Developer Portal → your application → Bot → Privileged Gateway Intents, turn on Server Members Intent, then run again; nothing was changed"
            }
            Self::TooManyInvalid { .. } => {
                "the errors before this one say why requests were refused (a wrong token, missing permissions, rate limits): fix that, wait 10 minutes, and run the command again"
            }
            Self::Api {
                status, code: 0, ..
            } if *status >= 500 => {
                "Discord (or the gateway in front of it) is unavailable, and whether this request was carried out is unknown: run the command again in a minute; it looks up what exists before creating anything, so nothing is created twice"
            }
            Self::Api { code, .. } => match code {
                10004 => {
                    "check --guild / MIYABI_GUILD_ID, and that the bot was invited to that server"
                }
                10003 | 10011 => "someone deleted it while the tool ran; run the command again",
                50001 => {
                    "the bot cannot see this object: invite it to the server, and give it View Channel where it must work"
                }
                50013 => {
                    "the bot lacks a permission, or the role it edits is not below the bot's highest role: in Server Settings → Roles, drag the bot's role above every role in server.toml and give it Manage Roles, Manage Channels and every permission the file grants (Administrator covers them)"
                }
                50035 => {
                    "Discord refused a value: fix the field named above in server.toml (`miyabi-guild validate` checks Discord's limits)"
                }
                30005 => {
                    "the server has 250 roles, Discord's maximum: remove roles before adding more"
                }
                30013 => {
                    "the server has 500 channels, Discord's maximum: remove channels before adding more"
                }
                30030 => "the server has 50 categories, Discord's maximum",
                40009 => {
                    "only one channel can change category per bulk reorder; this is a bug in the tool, please report it"
                }
                _ => return None,
            },
        };
        Some(hint.to_owned())
    }

    pub(crate) fn from_twilight(request: &str, error: twilight_http::Error) -> Self {
        use twilight_http::error::ErrorType;
        let request = request.to_owned();
        let detail = error.to_string();
        match error.into_parts() {
            (ErrorType::Unauthorized, _) => Self::Unauthorized { request },
            (ErrorType::Response { body, status, .. }, _) => {
                if status.get() == 401 {
                    return Self::Unauthorized { request };
                }
                Self::from_body(request, status.get(), &body)
            }
            (ErrorType::Parsing { .. } | ErrorType::Json, _) => Self::Decode { request, detail },
            (_, source) => Self::Transport {
                request,
                detail: source.map_or(detail.clone(), |source| format!("{detail}: {source}")),
            },
        }
    }

    pub(crate) fn from_body(request: String, status: u16, body: &[u8]) -> Self {
        let value: Value = serde_json::from_slice(body).unwrap_or(Value::Null);
        let code = value.get("code").and_then(Value::as_u64).unwrap_or(0);
        let message = match value.get("message").and_then(Value::as_str) {
            Some(message) => crate::config::clip(message, 300),
            // A gateway's page (Cloudflare's HTML for a 502) or nothing at all: not Discord's
            // answer, so the outcome is unknown (a 5xx) or the request was refused before
            // Discord saw it.
            None if status >= 500 => format!(
                "{}: Discord is unavailable (the answer is a gateway's page, not Discord's JSON)",
                reason(status)
            ),
            None => format!(
                "{}: the answer is not Discord's JSON ({})",
                reason(status),
                crate::config::clip(String::from_utf8_lossy(body).trim(), 120)
            ),
        };
        let mut fields = Vec::new();
        if let Some(errors) = value.get("errors") {
            collect_field_errors(errors, &mut String::new(), &mut fields);
        }
        Self::Api {
            request,
            status,
            code,
            message,
            fields,
        }
    }
}

fn reason(status: u16) -> &'static str {
    match status {
        400 => "Bad Request",
        403 => "Forbidden",
        404 => "Not Found",
        500 => "Internal Server Error",
        502 => "Bad Gateway",
        503 => "Service Unavailable",
        504 => "Gateway Timeout",
        _ => "HTTP error",
    }
}

/// Flattens Discord's nested form errors into `path.to.field: message` lines.
fn collect_field_errors(value: &Value, path: &mut String, out: &mut Vec<String>) {
    let Value::Object(map) = value else { return };
    for (key, child) in map {
        if key == "_errors" {
            for error in child.as_array().into_iter().flatten() {
                let message = error
                    .get("message")
                    .and_then(Value::as_str)
                    .unwrap_or("invalid");
                let at = if path.is_empty() {
                    "(body)"
                } else {
                    path.as_str()
                };
                out.push(format!("{at}: {message}"));
            }
            continue;
        }
        let length = path.len();
        if !path.is_empty() {
            path.push('.');
        }
        path.push_str(key);
        collect_field_errors(child, path, out);
        path.truncate(length);
    }
}

/// A request as shown in errors and reports: `PATCH channels/123`.
pub struct RequestLabel<'a>(pub &'a str, pub &'a str);

impl fmt::Display for RequestLabel<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.0, self.1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nested_form_errors_are_flattened_with_paths() {
        let body = br#"{"code":50035,"message":"Invalid Form Body","errors":{"name":{"_errors":[{"code":"BASE_TYPE_BAD_LENGTH","message":"Must be between 1 and 100 in length."}]},"permission_overwrites":{"0":{"type":{"_errors":[{"code":"BASE_TYPE_CHOICES","message":"Value must be one of (0, 1)."}]}}}}}"#;
        let error = DiscordError::from_body("POST guilds/1/channels".into(), 400, body);
        assert_eq!(
            error.to_string(),
            "POST guilds/1/channels failed: 400 Invalid Form Body (code 50035): name: Must be between 1 and 100 in length.; permission_overwrites.0.type: Value must be one of (0, 1)."
        );
        assert!(error.hint().is_some());
    }

    #[test]
    fn missing_permissions_says_where_to_drag_the_bot_role() {
        let error = DiscordError::from_body(
            "PATCH guilds/1/roles/2".into(),
            403,
            br#"{"code":50013,"message":"Missing Permissions"}"#,
        );
        assert!(error.hint().unwrap().contains("drag the bot's role"));
        assert!(!error.outcome_unknown());
    }
}
