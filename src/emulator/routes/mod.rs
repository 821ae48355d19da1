//! The route table: which method and path template goes to which handler.
//!
//! Handlers are plain functions over `&mut GuildState`; they never see HTTP. Each resource has its
//! own file (users, guilds, channels, overwrites, roles, members), so new resources (welcome
//! screen, onboarding, automod, events, webhooks) are one file and a few table rows each.

mod auto_moderation;
mod channels;
mod embeds;
mod emojis;
mod guild_images;
mod guilds;
mod invites;
mod members;
mod messages;
mod onboarding;
mod overwrites;
mod pins;
mod roles;
mod scheduled_events;
mod soundboard;
mod stickers;
mod threads;
mod users;
mod webhooks;
mod welcome_screen;

use std::collections::HashMap;
use std::sync::LazyLock;

use axum::http::{Method, StatusCode};
use serde_json::{Map, Value};
use twilight_model::id::Id;

use super::config::EmulatorConfig;
use super::error::ApiError;
use super::state::GuildState;

/// What a handler gets: path parameters, query and body.
#[derive(Debug)]
pub struct Call {
    pub params: HashMap<&'static str, String>,
    pub query: HashMap<String, String>,
    /// The parsed JSON body; `Value::Null` when there was none.
    pub body: Value,
    /// The emulator's settings (thresholds some handlers need).
    pub config: EmulatorConfig,
}

static EMPTY_OBJECT: LazyLock<Map<String, Value>> = LazyLock::new(Map::new);

impl Call {
    /// The body as an object (an empty body reads as `{}`).
    pub fn object(&self) -> Result<&Map<String, Value>, ApiError> {
        if self.body.is_null() {
            Ok(&EMPTY_OBJECT)
        } else {
            super::validate::object(&self.body)
        }
    }

    /// A snowflake path parameter; `unknown` when it is missing or not a snowflake.
    pub fn id<T>(&self, name: &str, unknown: fn() -> ApiError) -> Result<Id<T>, ApiError> {
        self.params
            .get(name)
            .and_then(|text| text.parse::<u64>().ok())
            .and_then(Id::new_checked)
            .ok_or_else(unknown)
    }

    /// Checks `{guild_id}` names the emulated guild (10004 otherwise).
    pub fn check_guild(&self, state: &GuildState) -> Result<(), ApiError> {
        let id = self.id("guild_id", ApiError::unknown_guild)?;
        if id == state.guild_id() {
            Ok(())
        } else {
            Err(ApiError::unknown_guild())
        }
    }

    /// A boolean query parameter (`true`, `True`, `1`).
    pub fn query_flag(&self, name: &str) -> bool {
        self.query
            .get(name)
            .is_some_and(|value| matches!(value.as_str(), "true" | "True" | "1"))
    }
}

/// A handler's success: status and optional JSON body.
#[derive(Debug)]
pub struct Reply {
    pub status: StatusCode,
    pub body: Option<Value>,
}

impl Reply {
    pub fn ok(body: Value) -> Self {
        Self {
            status: StatusCode::OK,
            body: Some(body),
        }
    }

    pub fn created(body: Value) -> Self {
        Self {
            status: StatusCode::CREATED,
            body: Some(body),
        }
    }

    pub fn no_content() -> Self {
        Self {
            status: StatusCode::NO_CONTENT,
            body: None,
        }
    }
}

pub type Handler = fn(&mut GuildState, &Call) -> Result<Reply, ApiError>;

/// One row of the route table.
pub struct Route {
    pub method: Method,
    /// Path under `/api/v10`, with `{name}` parameters.
    pub template: &'static str,
    pub handler: Handler,
}

impl Route {
    /// `PATCH /channels/{channel_id}`: how recordings and faults name a route.
    pub fn name(&self) -> String {
        format!("{} {}", self.method, self.template)
    }
}

/// Every route the emulator serves.
pub static ROUTES: LazyLock<Vec<Route>> = LazyLock::new(|| {
    let route = |method: Method, template: &'static str, handler: Handler| Route {
        method,
        template,
        handler,
    };
    vec![
        route(Method::GET, "/users/@me", users::current_user),
        route(Method::GET, "/users/@me/guilds", users::current_user_guilds),
        route(Method::GET, "/guilds/{guild_id}", guilds::get),
        route(Method::PATCH, "/guilds/{guild_id}", guilds::modify),
        route(Method::GET, "/guilds/{guild_id}/channels", channels::list),
        route(
            Method::POST,
            "/guilds/{guild_id}/channels",
            channels::create,
        ),
        route(
            Method::PATCH,
            "/guilds/{guild_id}/channels",
            channels::positions,
        ),
        route(Method::GET, "/channels/{channel_id}", channels::get),
        route(Method::PATCH, "/channels/{channel_id}", channels::modify),
        route(Method::DELETE, "/channels/{channel_id}", channels::delete),
        route(
            Method::PUT,
            "/channels/{channel_id}/permissions/{overwrite_id}",
            overwrites::put,
        ),
        route(
            Method::DELETE,
            "/channels/{channel_id}/permissions/{overwrite_id}",
            overwrites::delete,
        ),
        route(
            Method::GET,
            "/guilds/{guild_id}/threads/active",
            threads::active,
        ),
        route(
            Method::GET,
            "/channels/{channel_id}/threads/archived/public",
            threads::archived_public,
        ),
        route(
            Method::POST,
            "/channels/{channel_id}/threads",
            threads::create,
        ),
        route(Method::GET, "/guilds/{guild_id}/roles", roles::list),
        route(Method::POST, "/guilds/{guild_id}/roles", roles::create),
        route(Method::PATCH, "/guilds/{guild_id}/roles", roles::positions),
        route(
            Method::GET,
            "/guilds/{guild_id}/roles/{role_id}",
            roles::get,
        ),
        route(
            Method::PATCH,
            "/guilds/{guild_id}/roles/{role_id}",
            roles::modify,
        ),
        route(
            Method::DELETE,
            "/guilds/{guild_id}/roles/{role_id}",
            roles::delete,
        ),
        route(
            Method::GET,
            "/guilds/{guild_id}/members/{user_id}",
            members::get,
        ),
        route(Method::GET, "/guilds/{guild_id}/members", members::list),
        route(
            Method::PUT,
            "/guilds/{guild_id}/members/{user_id}/roles/{role_id}",
            members::add_role,
        ),
        route(
            Method::DELETE,
            "/guilds/{guild_id}/members/{user_id}/roles/{role_id}",
            members::remove_role,
        ),
        route(
            Method::GET,
            "/guilds/{guild_id}/welcome-screen",
            welcome_screen::get,
        ),
        route(
            Method::PATCH,
            "/guilds/{guild_id}/welcome-screen",
            welcome_screen::modify,
        ),
        route(
            Method::GET,
            "/guilds/{guild_id}/onboarding",
            onboarding::get,
        ),
        route(
            Method::PUT,
            "/guilds/{guild_id}/onboarding",
            onboarding::put,
        ),
        route(
            Method::GET,
            "/guilds/{guild_id}/auto-moderation/rules",
            auto_moderation::list,
        ),
        route(
            Method::POST,
            "/guilds/{guild_id}/auto-moderation/rules",
            auto_moderation::create,
        ),
        route(
            Method::GET,
            "/guilds/{guild_id}/auto-moderation/rules/{rule_id}",
            auto_moderation::get,
        ),
        route(
            Method::PATCH,
            "/guilds/{guild_id}/auto-moderation/rules/{rule_id}",
            auto_moderation::modify,
        ),
        route(
            Method::DELETE,
            "/guilds/{guild_id}/auto-moderation/rules/{rule_id}",
            auto_moderation::delete,
        ),
        route(
            Method::GET,
            "/guilds/{guild_id}/scheduled-events",
            scheduled_events::list,
        ),
        route(
            Method::POST,
            "/guilds/{guild_id}/scheduled-events",
            scheduled_events::create,
        ),
        route(
            Method::GET,
            "/guilds/{guild_id}/scheduled-events/{guild_scheduled_event_id}",
            scheduled_events::get,
        ),
        route(
            Method::PATCH,
            "/guilds/{guild_id}/scheduled-events/{guild_scheduled_event_id}",
            scheduled_events::modify,
        ),
        route(
            Method::DELETE,
            "/guilds/{guild_id}/scheduled-events/{guild_scheduled_event_id}",
            scheduled_events::delete,
        ),
        route(
            Method::POST,
            "/channels/{channel_id}/webhooks",
            webhooks::create,
        ),
        route(
            Method::GET,
            "/channels/{channel_id}/webhooks",
            webhooks::list_channel,
        ),
        route(
            Method::GET,
            "/guilds/{guild_id}/webhooks",
            webhooks::list_guild,
        ),
        route(Method::GET, "/guilds/{guild_id}/emojis", emojis::list),
        route(Method::POST, "/guilds/{guild_id}/emojis", emojis::create),
        route(
            Method::GET,
            "/guilds/{guild_id}/emojis/{emoji_id}",
            emojis::get,
        ),
        route(
            Method::PATCH,
            "/guilds/{guild_id}/emojis/{emoji_id}",
            emojis::modify,
        ),
        route(
            Method::DELETE,
            "/guilds/{guild_id}/emojis/{emoji_id}",
            emojis::delete,
        ),
        route(
            Method::GET,
            "/guilds/{guild_id}/soundboard-sounds",
            soundboard::list,
        ),
        route(
            Method::POST,
            "/guilds/{guild_id}/soundboard-sounds",
            soundboard::create,
        ),
        route(
            Method::GET,
            "/guilds/{guild_id}/soundboard-sounds/{sound_id}",
            soundboard::get,
        ),
        route(
            Method::PATCH,
            "/guilds/{guild_id}/soundboard-sounds/{sound_id}",
            soundboard::modify,
        ),
        route(
            Method::DELETE,
            "/guilds/{guild_id}/soundboard-sounds/{sound_id}",
            soundboard::delete,
        ),
        route(Method::GET, "/guilds/{guild_id}/stickers", stickers::list),
        route(
            Method::POST,
            "/guilds/{guild_id}/stickers",
            stickers::create,
        ),
        route(
            Method::GET,
            "/guilds/{guild_id}/stickers/{sticker_id}",
            stickers::get,
        ),
        route(
            Method::PATCH,
            "/guilds/{guild_id}/stickers/{sticker_id}",
            stickers::modify,
        ),
        route(
            Method::DELETE,
            "/guilds/{guild_id}/stickers/{sticker_id}",
            stickers::delete,
        ),
        route(Method::GET, "/webhooks/{webhook_id}", webhooks::get),
        route(Method::PATCH, "/webhooks/{webhook_id}", webhooks::modify),
        route(Method::DELETE, "/webhooks/{webhook_id}", webhooks::delete),
        route(
            Method::GET,
            "/guilds/{guild_id}/invites",
            invites::list_guild,
        ),
        route(
            Method::GET,
            "/channels/{channel_id}/invites",
            invites::list_channel,
        ),
        route(
            Method::POST,
            "/channels/{channel_id}/invites",
            invites::create,
        ),
        route(Method::DELETE, "/invites/{code}", invites::delete),
        route(
            Method::GET,
            "/guilds/{guild_id}/widget",
            invites::get_widget,
        ),
        route(
            Method::PATCH,
            "/guilds/{guild_id}/widget",
            invites::modify_widget,
        ),
        route(
            Method::GET,
            "/guilds/{guild_id}/vanity-url",
            invites::vanity_url,
        ),
        route(
            Method::GET,
            "/channels/{channel_id}/messages",
            messages::list,
        ),
        route(
            Method::POST,
            "/channels/{channel_id}/messages",
            messages::create,
        ),
        route(
            Method::GET,
            "/channels/{channel_id}/messages/pins",
            pins::list,
        ),
        route(
            Method::PUT,
            "/channels/{channel_id}/messages/pins/{message_id}",
            pins::pin,
        ),
        route(
            Method::DELETE,
            "/channels/{channel_id}/messages/pins/{message_id}",
            pins::unpin,
        ),
        route(
            Method::GET,
            "/channels/{channel_id}/messages/{message_id}",
            messages::get,
        ),
        route(
            Method::PATCH,
            "/channels/{channel_id}/messages/{message_id}",
            messages::modify,
        ),
        route(
            Method::DELETE,
            "/channels/{channel_id}/messages/{message_id}",
            messages::delete,
        ),
    ]
});

/// The result of looking a request up in the table.
pub enum Lookup {
    Found(&'static Route, HashMap<&'static str, String>),
    /// The path exists, but not with this method.
    WrongMethod,
    NotFound,
}

/// Finds the route for `method` and `path` (the part after `/api/v10`).
pub fn lookup(method: &Method, path: &str) -> Lookup {
    let segments: Vec<&str> = path.trim_end_matches('/').split('/').collect();
    let mut path_exists = false;
    for route in ROUTES.iter() {
        let Some(params) = match_template(route.template, &segments) else {
            continue;
        };
        if route.method == *method {
            return Lookup::Found(route, params);
        }
        path_exists = true;
    }
    if path_exists {
        Lookup::WrongMethod
    } else {
        Lookup::NotFound
    }
}

fn match_template(
    template: &'static str,
    segments: &[&str],
) -> Option<HashMap<&'static str, String>> {
    let parts: Vec<&'static str> = template.split('/').collect();
    if parts.len() != segments.len() {
        return None;
    }
    let mut params = HashMap::new();
    for (part, segment) in parts.iter().zip(segments) {
        if let Some(name) = part
            .strip_prefix('{')
            .and_then(|rest| rest.strip_suffix('}'))
        {
            if segment.is_empty() {
                return None;
            }
            params.insert(name, (*segment).to_owned());
        } else if part != segment {
            return None;
        }
    }
    Some(params)
}

/// The top-level resource of a request, which (with the template) keys its rate-limit bucket.
pub fn top_level_resource(template: &str, params: &HashMap<&'static str, String>) -> String {
    if template.starts_with("/guilds/{guild_id}") {
        params.get("guild_id").cloned().unwrap_or_default()
    } else if template.starts_with("/channels/{channel_id}") {
        params.get("channel_id").cloned().unwrap_or_default()
    } else if template.starts_with("/webhooks/{webhook_id}") {
        params.get("webhook_id").cloned().unwrap_or_default()
    } else {
        String::new()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lookup_tells_unknown_paths_from_wrong_methods() {
        let Lookup::Found(route, params) = lookup(&Method::PUT, "/channels/1/permissions/2") else {
            panic!("expected a route");
        };
        assert_eq!(
            route.name(),
            "PUT /channels/{channel_id}/permissions/{overwrite_id}"
        );
        assert_eq!(params["overwrite_id"], "2");
        assert!(matches!(
            lookup(&Method::POST, "/users/@me"),
            Lookup::WrongMethod
        ));
        assert!(matches!(lookup(&Method::GET, "/nope"), Lookup::NotFound));
        assert!(matches!(
            lookup(&Method::GET, "/users/@me/"),
            Lookup::Found(..)
        ));
    }
}
