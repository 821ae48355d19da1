//! Talking to Discord (or the emulator).
//!
//! One [`Discord`] value holds one HTTP client ([`transport`]) and one rate-limit scheduler
//! ([`ratelimit`]) that every request goes through, so concurrent requests share the limits
//! Discord announces. Pointing the tool at the emulator or a proxy is only a different host
//! ([`ApiTarget`]). twilight-http builds the requests (its raw request builder: paths, JSON bodies,
//! headers) but does not send them: its response future retries 429s itself and hides them from
//! any scheduler in front of it (see [`ratelimit`] for why its own limiter is not used either).
//!
//! Reads parse the raw body ([`wire`]), keeping every permission bit. Writes send bodies built
//! here: twilight 0.18's typed builders cannot send `SET_VOICE_CHANNEL_STATUS` (bit 48), cannot
//! clear a topic, and lack fields later kinds need (DISCORD-API-NOTES §5.5); one write path keeps
//! every body visible and tested. Every write carries `X-Audit-Log-Reason`.

pub mod error;
pub mod members;
pub mod ratelimit;
pub mod threads;
mod transport;
mod verify;
pub mod wire;

use std::time::Duration;

use percent_encoding::{NON_ALPHANUMERIC, utf8_percent_encode};
use serde::de::DeserializeOwned;
use serde_json::Value;
use twilight_http::request::{Method, Request, RequestBuilder};

pub use self::error::DiscordError;
use self::ratelimit::{Limits, Refusal, Route, Scheduler};
use self::transport::Transport;
use crate::model::{ChannelId, GuildId, UserId};

/// Pages of 50 pins read at most: Discord's limit is 250 pins per channel (error 30003).
const PIN_PAGES: usize = 5;

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
    transport: Transport,
    scheduler: Scheduler,
    target: ApiTarget,
}

impl Discord {
    pub fn new(token: &str, target: ApiTarget) -> Self {
        Self::with_limits(token, target, Limits::default())
    }

    pub fn with_limits(token: &str, target: ApiTarget, limits: Limits) -> Self {
        Self {
            transport: Transport::new(token, &target, Duration::from_secs(30)),
            scheduler: Scheduler::new(limits),
            target,
        }
    }

    pub fn target(&self) -> &ApiTarget {
        &self.target
    }

    /// Requests sent, 429s and invalid answers received so far.
    pub fn counts(&self) -> ratelimit::Counts {
        self.scheduler.counts()
    }

    /// The bot user the token belongs to.
    pub async fn current_user(&self) -> Result<wire::CurrentUser, DiscordError> {
        self.read("users/@me".to_owned()).await
    }

    /// The guilds the bot is in (first page: 200, enough to pick the only one).
    pub async fn current_user_guilds(&self) -> Result<Vec<wire::PartialGuild>, DiscordError> {
        self.read("users/@me/guilds".to_owned()).await
    }

    pub async fn guild(&self, guild_id: GuildId) -> Result<wire::Guild, DiscordError> {
        self.read(format!("guilds/{guild_id}")).await
    }

    pub async fn guild_channels(
        &self,
        guild_id: GuildId,
    ) -> Result<Vec<wire::Channel>, DiscordError> {
        self.read(format!("guilds/{guild_id}/channels")).await
    }

    pub async fn guild_member(
        &self,
        guild_id: GuildId,
        user_id: UserId,
    ) -> Result<wire::Member, DiscordError> {
        self.read(format!("guilds/{guild_id}/members/{user_id}"))
            .await
    }

    /// The welcome screen; `None` when the guild never configured one (Discord's 10069).
    pub async fn welcome_screen(
        &self,
        guild_id: GuildId,
    ) -> Result<Option<wire::WelcomeScreen>, DiscordError> {
        match self.read(format!("guilds/{guild_id}/welcome-screen")).await {
            Ok(screen) => Ok(Some(screen)),
            Err(error) if error.code() == Some(10069) => Ok(None),
            Err(error) => Err(error),
        }
    }

    pub async fn onboarding(&self, guild_id: GuildId) -> Result<wire::Onboarding, DiscordError> {
        self.read(format!("guilds/{guild_id}/onboarding")).await
    }

    pub async fn automod_rules(
        &self,
        guild_id: GuildId,
    ) -> Result<Vec<wire::AutoModRule>, DiscordError> {
        self.read(format!("guilds/{guild_id}/auto-moderation/rules"))
            .await
    }

    pub async fn scheduled_events(
        &self,
        guild_id: GuildId,
    ) -> Result<Vec<wire::ScheduledEvent>, DiscordError> {
        self.read(format!("guilds/{guild_id}/scheduled-events"))
            .await
    }

    /// Every webhook of the guild. Their tokens are read here and nowhere kept but in
    /// [`wire::Webhook`], which has no `Debug` or `Serialize` that could print them.
    pub async fn guild_webhooks(
        &self,
        guild_id: GuildId,
    ) -> Result<Vec<wire::Webhook>, DiscordError> {
        self.read(format!("guilds/{guild_id}/webhooks")).await
    }

    /// Every invite of the guild, with metadata (needs Manage Server). Codes are read here and
    /// kept only in [`wire::Invite`], which cannot be printed.
    pub async fn guild_invites(
        &self,
        guild_id: GuildId,
    ) -> Result<Vec<wire::Invite>, DiscordError> {
        self.read(format!("guilds/{guild_id}/invites")).await
    }

    /// A channel's invites, with metadata (needs Manage Channels).
    pub async fn channel_invites(
        &self,
        channel_id: ChannelId,
    ) -> Result<Vec<wire::Invite>, DiscordError> {
        self.read(format!("channels/{channel_id}/invites")).await
    }

    /// The widget's settings (needs Manage Server).
    pub async fn widget(&self, guild_id: GuildId) -> Result<wire::WidgetSettings, DiscordError> {
        self.read(format!("guilds/{guild_id}/widget")).await
    }

    /// The vanity invite and its uses (needs Manage Server and the VANITY_URL feature).
    pub async fn vanity_url(&self, guild_id: GuildId) -> Result<wire::VanityUrl, DiscordError> {
        self.read(format!("guilds/{guild_id}/vanity-url")).await
    }

    /// Deletes an invite by its code. The request is named `DELETE invites/<code>` in every
    /// error, never with the code.
    pub async fn delete_invite(&self, code: &str, reason: &str) -> Result<Value, DiscordError> {
        self.write_as(
            "DELETE invites/<code>".to_owned(),
            Method::Delete,
            format!("invites/{code}"),
            None,
            reason,
        )
        .await
    }

    /// Sends one multipart write (a sticker upload) with an audit-log reason; returns the
    /// answer's JSON. Its text parts are verified like a JSON body's fields.
    pub async fn write_form(
        &self,
        path: String,
        form: twilight_http::request::Form,
        sent: &Value,
        reason: &str,
    ) -> Result<Value, DiscordError> {
        let label = format!("POST {path}");
        let mut builder = RequestBuilder::raw(Method::Post, path).form(form);
        if let Ok(value) = http::HeaderValue::from_str(&audit_reason(reason)) {
            builder = builder.headers(std::iter::once((
                http::HeaderName::from_static("x-audit-log-reason"),
                value,
            )));
        }
        let request = builder
            .build()
            .map_err(|e| DiscordError::from_twilight(&label, e))?;
        let answer: Value = read_body(&label, self.send(&label, &request).await?)?;
        verify::kept(&label, sent, &answer)?;
        Ok(answer)
    }

    /// The guild's stickers.
    pub async fn guild_stickers(
        &self,
        guild_id: GuildId,
    ) -> Result<Vec<wire::Sticker>, DiscordError> {
        self.read(format!("guilds/{guild_id}/stickers")).await
    }

    /// The guild's soundboard sounds.
    pub async fn guild_sounds(
        &self,
        guild_id: GuildId,
    ) -> Result<Vec<wire::SoundboardSound>, DiscordError> {
        let sounds: wire::SoundboardSounds = self
            .read(format!("guilds/{guild_id}/soundboard-sounds"))
            .await?;
        Ok(sounds.items)
    }

    /// The guild's custom emoji.
    pub async fn guild_emojis(&self, guild_id: GuildId) -> Result<Vec<wire::Emoji>, DiscordError> {
        self.read(format!("guilds/{guild_id}/emojis")).await
    }

    /// The newest 100 messages of a channel, newest first.
    pub async fn recent_messages(
        &self,
        channel_id: ChannelId,
    ) -> Result<Vec<wire::Message>, DiscordError> {
        self.read(format!("channels/{channel_id}/messages?limit=100"))
            .await
    }

    /// Where Discord's CDN is: `https://cdn.discordapp.com` for Discord, the same host as the
    /// API otherwise (the emulator serves the CDN's routes beside `/api/v10`).
    pub fn cdn_base(&self) -> String {
        match &self.target {
            ApiTarget::Discord => "https://cdn.discordapp.com".to_owned(),
            other => other.describe(),
        }
    }

    /// The bytes of one CDN asset (`icons/{guild_id}/{hash}.png`), at most
    /// [`crate::images::CDN_BYTES_MAX`]. Sent without the token and outside the API's rate
    /// limits (the CDN has none of the API's buckets).
    pub async fn cdn_asset(&self, path: String) -> Result<Vec<u8>, DiscordError> {
        let label = format!("GET CDN {path}");
        // GIF stickers are served from the media host, not the CDN (`reference.mdx`).
        let base = match &self.target {
            ApiTarget::Discord if path.starts_with("stickers/") && path.ends_with(".gif") => {
                "https://media.discordapp.net".to_owned()
            }
            _ => self.cdn_base(),
        };
        let url = format!("{base}/{path}");
        let answer = self
            .transport
            .get_public(&url, crate::images::CDN_BYTES_MAX)
            .await
            .map_err(|detail| DiscordError::Transport {
                request: label.clone(),
                detail,
            })?;
        if answer.status != 200 {
            return Err(DiscordError::Impossible {
                request: label,
                detail: format!(
                    "the CDN answered {} for an image the API names",
                    answer.status
                ),
            });
        }
        Ok(answer.body)
    }

    /// How many messages of a channel are pinned, counted up to Discord's limit of 250 (pages
    /// of 50, `before` the oldest pin seen).
    pub async fn pin_count(&self, channel_id: ChannelId) -> Result<usize, DiscordError> {
        let mut count = 0;
        let mut before: Option<String> = None;
        for _ in 0..PIN_PAGES {
            let path = match &before {
                Some(at) => format!(
                    "channels/{channel_id}/messages/pins?limit=50&before={}",
                    utf8_percent_encode(at, NON_ALPHANUMERIC)
                ),
                None => format!("channels/{channel_id}/messages/pins?limit=50"),
            };
            let page: wire::ChannelPins = self.read(path).await?;
            count += page.items.len();
            match page.items.last() {
                Some(last) if page.has_more => before = Some(last.pinned_at.clone()),
                _ => break,
            }
        }
        Ok(count)
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
        self.write_as(label, method, path, body, reason).await
    }

    /// [`Discord::write`], named `label` in errors (for paths that hold a secret).
    async fn write_as(
        &self,
        label: String,
        method: Method,
        path: String,
        body: Option<&Value>,
        reason: &str,
    ) -> Result<Value, DiscordError> {
        let request = build_request(method, path, body, Some(reason))
            .map_err(|e| DiscordError::from_twilight(&label, e))?;
        let bytes = self.send(&label, &request).await?;
        if bytes.is_empty() {
            return Ok(Value::Null);
        }
        let answer: Value = read_body(&label, bytes)?;
        if let Some(body) = body {
            verify::kept(&label, body, &answer)?;
        }
        Ok(answer)
    }

    /// A GET, parsed.
    async fn read<T: DeserializeOwned>(&self, path: String) -> Result<T, DiscordError> {
        let label = format!("GET {}", path.split('?').next().unwrap_or_default());
        let request = build_request(Method::Get, path, None, None)
            .map_err(|e| DiscordError::from_twilight(&label, e))?;
        read_body(&label, self.send(&label, &request).await?)
    }

    /// Sends `request` when the scheduler lets it go, again after each 429 (up to the cap), and
    /// returns the body of a 2xx answer.
    async fn send(&self, label: &str, request: &Request) -> Result<Vec<u8>, DiscordError> {
        let route = Route::of(method_name(request.method()), request.path());
        let mut rate_limited = 0;
        loop {
            let flight = self
                .scheduler
                .acquire(&route)
                .await
                .map_err(|refusal| refused(label, refusal))?;
            let answer = match self.transport.send(request).await {
                Ok(answer) => answer,
                // `flight` is dropped: its place is freed, nothing learned.
                Err(detail) => {
                    return Err(DiscordError::Transport {
                        request: label.to_owned(),
                        detail,
                    });
                }
            };
            let limited =
                self.scheduler
                    .complete(flight, answer.status, &answer.headers, &answer.body);
            if let Some(limited) = limited {
                rate_limited += 1;
                if rate_limited >= self.scheduler.max_rate_limited() {
                    return Err(DiscordError::RateLimited {
                        request: label.to_owned(),
                        attempts: rate_limited,
                        retry_after: limited.retry_after,
                        scope: limited.scope.describe(),
                    });
                }
                continue;
            }
            if (200..300).contains(&answer.status) {
                return Ok(answer.body);
            }
            if answer.status == 401 {
                return Err(DiscordError::Unauthorized {
                    request: label.to_owned(),
                });
            }
            return Err(DiscordError::from_body(
                label.to_owned(),
                answer.status,
                &answer.body,
            ));
        }
    }
}

fn refused(label: &str, refusal: Refusal) -> DiscordError {
    let request = label.to_owned();
    match refusal {
        Refusal::TokenRejected => DiscordError::Unauthorized { request },
        Refusal::TooManyInvalid { count, window } => DiscordError::TooManyInvalid {
            request,
            count,
            minutes: window.as_secs() / 60,
        },
        Refusal::WaitTooLong { wait } => DiscordError::WaitTooLong { request, wait },
    }
}

fn build_request(
    method: Method,
    path: String,
    body: Option<&Value>,
    reason: Option<&str>,
) -> Result<Request, twilight_http::Error> {
    let mut builder = RequestBuilder::raw(method, path);
    if let Some(body) = body {
        builder = builder.json(body);
    }
    if let Some(reason) = reason
        && let Ok(value) = http::HeaderValue::from_str(&audit_reason(reason))
    {
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

/// Parses an answer; a shape Discord never sends is an error naming the field
/// (`[3].available_tags[0].emoji_id: expected a snowflake, got ""`), never a guess.
fn read_body<T: DeserializeOwned>(label: &str, bytes: Vec<u8>) -> Result<T, DiscordError> {
    let mut deserializer = serde_json::Deserializer::from_slice(&bytes);
    serde_path_to_error::deserialize(&mut deserializer).map_err(|error| {
        let path = error.path().to_string();
        let inner = error.into_inner();
        // serde_json appends " at line 1 column 523"; the path says more.
        let detail = inner.to_string();
        let detail = detail
            .rsplit_once(" at line ")
            .map_or(detail.as_str(), |(message, _)| message);
        DiscordError::Decode {
            request: label.to_owned(),
            detail: if path == "." || inner.is_eof() || inner.is_syntax() {
                crate::config::clip(&format!("{detail} (not valid JSON)"), 300)
            } else {
                crate::config::clip(&format!("{path}: {detail}"), 300)
            },
        }
    })
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
