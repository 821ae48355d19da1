//! Talking to Discord (or the emulator) through twilight-http.
//!
//! One [`Discord`] value wraps one `twilight_http::Client`, so every request shares twilight's
//! rate limiter, authentication and base URL. Pointing the tool at the emulator or a proxy is
//! only a different host ([`ApiTarget`]).
//!
//! Reads use twilight's typed routes but parse the raw body ([`wire`]), keeping every permission
//! bit. Writes use twilight's raw request builder with bodies built here: twilight 0.18's typed
//! builders cannot send `SET_VOICE_CHANNEL_STATUS` (bit 48), cannot clear a topic, and lack fields
//! later kinds need (DISCORD-API-NOTES §5.5); one write path keeps every body visible and tested.
//! Every write carries `X-Audit-Log-Reason`.

pub mod error;
pub mod wire;

use std::time::Duration;

use percent_encoding::{NON_ALPHANUMERIC, utf8_percent_encode};
use serde::de::DeserializeOwned;
use serde_json::Value;
use twilight_http::Client;
use twilight_http::request::{Method, Request, RequestBuilder};
use twilight_http::response::marker::EmptyBody;

pub use self::error::DiscordError;
use crate::model::{ChannelId, GuildId, UserId};

/// Where the API lives.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ApiTarget {
    /// `https://discord.com/api/v10`.
    Discord,
    /// Another host (`127.0.0.1:8080`), over plain HTTP or HTTPS.
    Host { host: String, use_http: bool },
}

impl ApiTarget {
    /// Parses `--api-url`: `http://127.0.0.1:8080`, `https://proxy.example`, or a bare
    /// `host:port` (plain HTTP). A trailing `/api/v10` is accepted and ignored.
    pub fn parse(url: &str) -> Result<Self, String> {
        let url = url.trim().trim_end_matches('/');
        let (use_http, rest) = if let Some(rest) = url.strip_prefix("http://") {
            (true, rest)
        } else if let Some(rest) = url.strip_prefix("https://") {
            (false, rest)
        } else if url.contains("://") {
            return Err(format!("`{url}` is not an http:// or https:// URL"));
        } else {
            (true, url)
        };
        let host = rest.trim_end_matches("/api/v10").trim_end_matches('/');
        if host.is_empty() {
            return Err(format!("`{url}` has no host"));
        }
        if host == "discord.com" && !use_http {
            return Ok(Self::Discord);
        }
        Ok(Self::Host {
            host: host.to_owned(),
            use_http,
        })
    }

    pub fn describe(&self) -> String {
        match self {
            Self::Discord => "https://discord.com".to_owned(),
            Self::Host {
                host,
                use_http: true,
            } => format!("http://{host}"),
            Self::Host {
                host,
                use_http: false,
            } => format!("https://{host}"),
        }
    }
}

/// A connection to one Discord API.
pub struct Discord {
    client: Client,
    target: ApiTarget,
}

impl Discord {
    pub fn new(token: &str, target: ApiTarget) -> Self {
        let mut builder = Client::builder()
            .token(token.to_owned())
            .timeout(Duration::from_secs(30));
        if let ApiTarget::Host { host, use_http } = &target {
            builder = builder.proxy(host.clone(), *use_http);
        }
        Self {
            client: builder.build(),
            target,
        }
    }

    pub fn target(&self) -> &ApiTarget {
        &self.target
    }

    /// The bot user the token belongs to.
    pub async fn current_user(&self) -> Result<wire::CurrentUser, DiscordError> {
        read("GET users/@me", self.client.current_user()).await
    }

    /// The guilds the bot is in (first page: 200, enough to pick the only one).
    pub async fn current_user_guilds(&self) -> Result<Vec<wire::PartialGuild>, DiscordError> {
        read("GET users/@me/guilds", self.client.current_user_guilds()).await
    }

    pub async fn guild(&self, guild_id: GuildId) -> Result<wire::Guild, DiscordError> {
        read(
            &format!("GET guilds/{guild_id}"),
            self.client.guild(guild_id),
        )
        .await
    }

    pub async fn guild_channels(
        &self,
        guild_id: GuildId,
    ) -> Result<Vec<wire::Channel>, DiscordError> {
        read(
            &format!("GET guilds/{guild_id}/channels"),
            self.client.guild_channels(guild_id),
        )
        .await
    }

    pub async fn guild_member(
        &self,
        guild_id: GuildId,
        user_id: UserId,
    ) -> Result<wire::Member, DiscordError> {
        let label = format!("GET guilds/{guild_id}/members/{user_id}");
        read(&label, self.client.guild_member(guild_id, user_id)).await
    }

    /// The welcome screen; `None` when the guild never configured one (Discord's 10069).
    pub async fn welcome_screen(
        &self,
        guild_id: GuildId,
    ) -> Result<Option<wire::WelcomeScreen>, DiscordError> {
        let label = format!("GET guilds/{guild_id}/welcome-screen");
        match read(&label, self.client.guild_welcome_screen(guild_id)).await {
            Ok(screen) => Ok(Some(screen)),
            Err(error) if error.code() == Some(10069) => Ok(None),
            Err(error) => Err(error),
        }
    }

    pub async fn onboarding(&self, guild_id: GuildId) -> Result<wire::Onboarding, DiscordError> {
        read(
            &format!("GET guilds/{guild_id}/onboarding"),
            self.client.guild_onboarding(guild_id),
        )
        .await
    }

    pub async fn automod_rules(
        &self,
        guild_id: GuildId,
    ) -> Result<Vec<wire::AutoModRule>, DiscordError> {
        let label = format!("GET guilds/{guild_id}/auto-moderation/rules");
        read(&label, self.client.auto_moderation_rules(guild_id)).await
    }

    pub async fn scheduled_events(
        &self,
        guild_id: GuildId,
    ) -> Result<Vec<wire::ScheduledEvent>, DiscordError> {
        let label = format!("GET guilds/{guild_id}/scheduled-events");
        read(&label, self.client.guild_scheduled_events(guild_id)).await
    }

    /// Every webhook of the guild. Their tokens are read here and nowhere kept but in
    /// [`wire::Webhook`], which has no `Debug` or `Serialize` that could print them.
    pub async fn guild_webhooks(
        &self,
        guild_id: GuildId,
    ) -> Result<Vec<wire::Webhook>, DiscordError> {
        read(
            &format!("GET guilds/{guild_id}/webhooks"),
            self.client.guild_webhooks(guild_id),
        )
        .await
    }

    /// The newest 100 messages of a channel, newest first.
    pub async fn recent_messages(
        &self,
        channel_id: ChannelId,
    ) -> Result<Vec<wire::Message>, DiscordError> {
        let label = format!("GET channels/{channel_id}/messages");
        read(&label, self.client.channel_messages(channel_id).limit(100)).await
    }

    /// Sends one write with a JSON body (or none) and an audit-log reason; returns the answer's
    /// JSON (`Value::Null` for 204).
    pub async fn write(
        &self,
        method: Method,
        path: String,
        body: Option<&Value>,
        reason: &str,
    ) -> Result<Value, DiscordError> {
        let label = format!("{} {path}", method_name(method));
        let request = build_request(method, path, body, reason)
            .map_err(|e| DiscordError::from_twilight(&label, e))?;
        let response = self
            .client
            .request::<EmptyBody>(request)
            .await
            .map_err(|e| DiscordError::from_twilight(&label, e))?;
        let bytes = response.bytes().await.map_err(|e| decode(&label, e))?;
        if bytes.is_empty() {
            return Ok(Value::Null);
        }
        read_body(&label, bytes)
    }
}

fn build_request(
    method: Method,
    path: String,
    body: Option<&Value>,
    reason: &str,
) -> Result<Request, twilight_http::Error> {
    let mut builder = RequestBuilder::raw(method, path);
    if let Some(body) = body {
        builder = builder.json(body);
    }
    let reason = audit_reason(reason);
    if let Ok(value) = http::HeaderValue::from_str(&reason) {
        builder = builder.headers(std::iter::once((
            http::HeaderName::from_static("x-audit-log-reason"),
            value,
        )));
    }
    builder.build()
}

/// Discord takes 1-512 characters, percent-encoded.
fn audit_reason(reason: &str) -> String {
    let reason: String = reason.chars().take(512).collect();
    utf8_percent_encode(&reason, NON_ALPHANUMERIC).to_string()
}

fn method_name(method: Method) -> &'static str {
    match method {
        Method::Delete => "DELETE",
        Method::Get => "GET",
        Method::Patch => "PATCH",
        Method::Post => "POST",
        Method::Put => "PUT",
        _ => "REQUEST",
    }
}

fn decode(label: &str, error: impl std::fmt::Display) -> DiscordError {
    DiscordError::Decode {
        request: label.to_owned(),
        detail: error.to_string(),
    }
}

/// Sends a typed twilight request and parses the raw answer.
async fn read<T: DeserializeOwned, M>(
    label: &str,
    request: impl std::future::IntoFuture<
        Output = Result<twilight_http::Response<M>, twilight_http::Error>,
    >,
) -> Result<T, DiscordError> {
    let response = request
        .await
        .map_err(|e| DiscordError::from_twilight(label, e))?;
    read_body(label, response.bytes().await.map_err(|e| decode(label, e))?)
}

fn read_body<T: DeserializeOwned>(label: &str, bytes: Vec<u8>) -> Result<T, DiscordError> {
    serde_json::from_slice(&bytes).map_err(|e| decode(label, e))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn api_urls_become_targets() {
        assert_eq!(
            ApiTarget::parse("http://127.0.0.1:8080/api/v10/").unwrap(),
            ApiTarget::Host {
                host: "127.0.0.1:8080".into(),
                use_http: true
            }
        );
        assert_eq!(
            ApiTarget::parse("localhost:9").unwrap(),
            ApiTarget::Host {
                host: "localhost:9".into(),
                use_http: true
            }
        );
        assert_eq!(
            ApiTarget::parse("https://discord.com").unwrap(),
            ApiTarget::Discord
        );
        assert!(ApiTarget::parse("ftp://x").is_err());
    }

    #[test]
    fn audit_reasons_are_percent_encoded_and_bounded() {
        assert_eq!(audit_reason("a b-c"), "a%20b%2Dc");
        assert_eq!(audit_reason(&"x".repeat(600)).len(), 512);
    }
}
