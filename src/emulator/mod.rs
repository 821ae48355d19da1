//! A Discord REST API emulator: a real HTTP server on 127.0.0.1 that keeps one guild.
//!
//! It serves the part of `/api/v10` miyabi-guild uses, strict like Discord (notes in
//! `reference/DISCORD-API-NOTES.md`): validation errors 50035 with every nested field error at once,
//! 50013 for missing permissions and role hierarchy, unknown-id errors, limits, position and
//! permission-sync semantics, and per-route rate limits with Discord's headers. Responses follow
//! Discord's wire shapes, deserialize with twilight-model 0.18 and validate against Discord's
//! OpenAPI spec (tests/emulator_conformance.rs). It is what the project's tests run against, what
//! `--sandbox` runs in process and what `miyabi-guild emulator` serves.
//!
//! Layout: [`state`] (the world), `routes/` (one file per resource, plain functions over the
//! state), `validate` and `error` (Discord-style 400s), `ratelimit`, [`record`] (recording and
//! faults), `server` (HTTP wiring), [`standalone`].
//!
//! # Routes
//! `GET /users/@me`, `GET /users/@me/guilds`, `GET|PATCH /guilds/{guild_id}`,
//! `GET|POST|PATCH /guilds/{guild_id}/channels`, `GET|PATCH|DELETE /channels/{channel_id}`,
//! `PUT|DELETE /channels/{channel_id}/permissions/{overwrite_id}`,
//! `GET|POST|PATCH /guilds/{guild_id}/roles`, `GET|PATCH|DELETE /guilds/{guild_id}/roles/{role_id}`,
//! `GET /guilds/{guild_id}/members/{user_id}`, `GET /guilds/{guild_id}/members` (needs
//! `EmulatorConfig::members_intent`), `PUT|DELETE /guilds/{guild_id}/members/{user_id}/roles/{role_id}`,
//! `GET|PATCH /guilds/{guild_id}/welcome-screen`,
//! `GET|PUT /guilds/{guild_id}/onboarding`, `GET|POST /guilds/{guild_id}/auto-moderation/rules`,
//! `GET|PATCH|DELETE /guilds/{guild_id}/auto-moderation/rules/{rule_id}`,
//! `GET|POST /guilds/{guild_id}/scheduled-events`,
//! `GET|PATCH|DELETE /guilds/{guild_id}/scheduled-events/{guild_scheduled_event_id}`,
//! `GET|POST /channels/{channel_id}/webhooks`, `GET /guilds/{guild_id}/webhooks`,
//! `GET|PATCH|DELETE /webhooks/{webhook_id}`, `GET /guilds/{guild_id}/invites`,
//! `GET|POST /channels/{channel_id}/invites`, `DELETE /invites/{code}`,
//! `GET|PATCH /guilds/{guild_id}/widget`, `GET /guilds/{guild_id}/vanity-url`, `GET|POST /channels/{channel_id}/messages`,
//! `GET|PATCH|DELETE /channels/{channel_id}/messages/{message_id}`,
//! `GET|POST /guilds/{guild_id}/emojis`, `GET|PATCH|DELETE /guilds/{guild_id}/emojis/{emoji_id}`,
//! `GET|POST /guilds/{guild_id}/stickers` (create as form data), `GET|PATCH|DELETE
//! /guilds/{guild_id}/stickers/{sticker_id}`, `GET|POST /guilds/{guild_id}/soundboard-sounds`,
//! `GET|PATCH|DELETE /guilds/{guild_id}/soundboard-sounds/{sound_id}`; beside `/api/v10`, the
//! CDN's `GET /icons/…`, `/banners/…`, `/splashes/…`, `/discovery-splashes/…`, `/role-icons/…`,
//! `/avatars/…`, `/emojis/…`, `/stickers/…`, `/soundboard-sounds/…` (`cdn`). Anything else: 404 `{"message": "404: Not Found",
//! "code": 0}`, or 405 for a known path with another method.
//!
//! # State file format
//! Discord's own JSON shapes, so a guild can be written by hand. Required: `token`, `bot_user_id`,
//! `guild.id`, `guild.name`, `guild.owner_id`, and `id` + `name` of each role and channel (plus
//! `user_id` of members, `id` + `username` of users). Everything else defaults: `@everyone` is
//! added when missing (id = guild id, position 0), `colors` derived from `color`, `guild_id` and
//! per-type defaults filled in on channels (`type` defaults to 0), `next_snowflake` raised above
//! every id, guild settings take Discord's defaults (`afk_timeout` 300, `preferred_locale`
//! `en-US`, levels 0, no features, `premium_tier` 0):
//!
//! ```json
//! {
//!   "token": "my-token",
//!   "bot_user_id": "200",
//!   "guild": { "id": "100", "name": "Sandbox", "owner_id": "201",
//!              "features": ["COMMUNITY", "NEWS"], "premium_tier": 1 },
//!   "roles": [
//!     { "id": "100", "name": "@everyone", "permissions": "1024", "position": 0 },
//!     { "id": "300", "name": "Miyabi Guild", "permissions": "8", "position": 2,
//!       "managed": true, "tags": { "bot_id": "200" } },
//!     { "id": "301", "name": "Moderator", "permissions": "268435456", "position": 1,
//!       "color": 15105570, "hoist": true }
//!   ],
//!   "channels": [
//!     { "id": "400", "type": 4, "name": "Info", "position": 0,
//!       "permission_overwrites": [ { "id": "100", "type": 0, "allow": "0", "deny": "2048" } ] },
//!     { "id": "401", "type": 0, "name": "rules", "position": 0, "parent_id": "400",
//!       "topic": "Read me" },
//!     { "id": "402", "type": 2, "name": "Lounge", "position": 1, "bitrate": 64000 }
//!   ],
//!   "users": [ { "id": "200", "username": "miyabi", "bot": true },
//!              { "id": "201", "username": "owner" } ],
//!   "members": [ { "user_id": "200", "roles": ["300"] }, { "user_id": "201", "roles": [] } ],
//!   "next_snowflake": 1000
//! }
//! ```
//! Ids may be strings or integers. Users listed as `bot_user_id` and `guild.owner_id` are added
//! (with membership) when missing.
//!
//! Optional sections for the other resources, each in Discord's shape (`guild_id` is never
//! stored; `creator_id` / webhook `user_id` default to the bot, webhook `token` is derived from
//! the id, a message's `timestamp` from its id, an invite's `code` and `created_at` from its id; an
//! invite's `inviter_id` is nobody unless given). Messages name their author by `author_id`, any
//! user of `users`; `welcome_screen` / `onboarding` absent means "never configured":
//!
//! ```json
//! {
//!   "welcome_screen": { "description": "Hi", "welcome_channels": [
//!       { "channel_id": "401", "description": "Start here", "emoji_name": "👋" } ] },
//!   "onboarding": { "enabled": false, "mode": 0, "default_channel_ids": ["401"], "prompts": [
//!       { "id": "600", "title": "Pick", "type": 0, "options": [
//!           { "id": "601", "title": "News", "channel_ids": ["401"], "role_ids": [],
//!             "emoji": { "name": "📰" }, "description": "" } ] } ] },
//!   "auto_moderation_rules": [ { "id": "700", "name": "words", "trigger_type": 1,
//!       "trigger_metadata": { "keyword_filter": ["bad"] }, "actions": [ { "type": 1 } ],
//!       "enabled": true } ],
//!   "scheduled_events": [ { "id": "800", "name": "Party", "entity_type": 3,
//!       "scheduled_start_time": "2030-01-01T10:00:00.000000+00:00",
//!       "scheduled_end_time": "2030-01-01T12:00:00.000000+00:00",
//!       "entity_metadata": { "location": "Park" } } ],
//!   "webhooks": [ { "id": "900", "channel_id": "401", "name": "Announcer" } ],
//!   "messages": [ { "id": "950", "channel_id": "401", "author_id": "201", "content": "Hello" } ],
//!   "invites": [ { "id": "960", "channel_id": "401", "inviter_id": "201", "max_age": 0 } ]
//! }
//! ```

mod cdn;
mod config;
mod error;
mod image;
mod multipart;
mod ratelimit;
pub mod record;
mod routes;
mod server;
pub mod standalone;
pub mod state;
mod time;
mod validate;

use std::net::{Ipv4Addr, SocketAddr};
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use tokio::net::TcpListener;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

pub use config::{EmulatorConfig, HeadersMode, Profile, RateLimits};
pub use record::{Fault, RateLimitScope, RecordedRequest, RequestsExt};
pub use state::GuildState;

use server::Shared;

/// A running emulator. Dropping it stops the server.
pub struct Emulator {
    addr: SocketAddr,
    shared: Arc<Shared>,
    stop: Option<oneshot::Sender<()>>,
    task: Option<JoinHandle<()>>,
}

impl Emulator {
    /// Starts serving `state` on `127.0.0.1` with a free port.
    pub async fn start(state: GuildState, config: EmulatorConfig) -> std::io::Result<Emulator> {
        Self::start_on(state, config, SocketAddr::from((Ipv4Addr::LOCALHOST, 0))).await
    }

    /// Starts serving `state` on `addr`.
    pub async fn start_on(
        state: GuildState,
        config: EmulatorConfig,
        addr: SocketAddr,
    ) -> std::io::Result<Emulator> {
        let listener = TcpListener::bind(addr).await?;
        let addr = listener.local_addr()?;
        let shared = Arc::new(Shared::new(state, config));
        let router = Router::new()
            .fallback(server::handle)
            .with_state(Arc::clone(&shared));
        let (stop, stopped) = oneshot::channel::<()>();
        let task = tokio::spawn(async move {
            let serve = axum::serve(listener, router).with_graceful_shutdown(async move {
                let _ = stopped.await;
            });
            if let Err(error) = serve.await {
                eprintln!("emulator: server error: {error}");
            }
        });
        Ok(Emulator {
            addr,
            shared,
            stop: Some(stop),
            task: Some(task),
        })
    }

    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// `127.0.0.1:PORT`: what `twilight_http::Client::builder().proxy(host, true)` takes.
    pub fn host(&self) -> String {
        self.addr.to_string()
    }

    /// A snapshot of the current state.
    pub fn state(&self) -> GuildState {
        self.shared.lock().state.clone()
    }

    /// Every request so far, oldest first.
    pub fn requests(&self) -> Vec<RecordedRequest> {
        self.shared.lock().requests.clone()
    }

    pub fn clear_requests(&self) {
        self.shared.lock().requests.clear();
    }

    /// The most requests that were in flight at once since the start (received, not yet
    /// answered; the configured latency included).
    pub fn max_in_flight(&self) -> usize {
        self.shared.max_in_flight()
    }

    /// Arms a one-shot fault for the next matching request.
    pub fn inject(&self, fault: Fault) {
        self.shared.lock().faults.push(fault);
    }

    /// Stops the server, letting open connections finish (at most a second).
    pub async fn shutdown(mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(mut task) = self.task.take()
            && tokio::time::timeout(Duration::from_secs(1), &mut task)
                .await
                .is_err()
        {
            task.abort();
        }
    }
}

impl Drop for Emulator {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(task) = self.task.take() {
            task.abort();
        }
    }
}
