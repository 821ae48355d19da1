//! Messages the tool keeps posted: `GET|POST /channels/{channel_id}/messages`,
//! `GET|PATCH|DELETE /channels/{channel_id}/messages/{message_id}` (`message.mdx`).
//!
//! Design notes: the bot needs VIEW_CHANNEL in the channel to read and also SEND_MESSAGES to post
//! (after overwrites; ADMINISTRATOR covers both); reading history also needs
//! READ_MESSAGE_HISTORY. Posting needs a text-like channel other than a forum (50008), content
//! 1-2000 characters (empty: 50006). In a thread (`threads.rs`) the parent's permissions count,
//! posting needs SEND_MESSAGES_IN_THREADS, and an archived thread takes no message or edit
//! (50083). Only the bot's own messages can be edited (403 50005); deleting another author's
//! message needs MANAGE_MESSAGES. Lists are newest first, `limit`
//! 1-100 (default 50), `before` / `after` by id. Timestamps come from the message id.
//! Embeds, flags and `allowed_mentions` are checked in `embeds.rs`; a message needs content or
//! an embed (50006); the `allowed_mentions` of every post and edit is recorded on the message.
//! A message with SUPPRESS_EMBEDS answers with no embeds, as Discord serialises it.

use serde_json::{Value, json};
use twilight_model::id::Id;
use twilight_model::id::marker::{ChannelMarker, GenericMarker};

use super::{Call, Reply, embeds};
use crate::emulator::error::{ApiError, FormErrors};
use crate::emulator::state::{GuildState, Message, channel_type, permission, user_json};
use crate::emulator::time;
use crate::emulator::validate::Fields;
use crate::permissions::Permissions;

pub const MAX_CONTENT: usize = 2000;
const MANAGE_MESSAGES: Permissions = Permissions::from_bits(1 << 13);

pub(super) fn message_json(state: &GuildState, message: &Message) -> Value {
    let author = state.user(message.author_id).map_or_else(
        || {
            json!({"id": message.author_id.to_string(), "username": "unknown", "avatar": null,
                   "discriminator": "0", "public_flags": 0, "flags": 0, "global_name": null,
                   "primary_guild": null})
        },
        user_json,
    );
    let embeds = if message.flags & embeds::SUPPRESS_EMBEDS == 0 {
        message.embeds.clone()
    } else {
        Vec::new()
    };
    let mut body = json!({
        "type": message.kind,
        "id": message.id.to_string(),
        "channel_id": message.channel_id.to_string(),
        "author": author,
        "content": message.content,
        "timestamp": message.timestamp.clone().unwrap_or_else(|| {
            time::format(time::snowflake_millis(message.id.get()))
        }),
        "edited_timestamp": message.edited_timestamp,
        "tts": false,
        "mention_everyone": false,
        "mentions": [],
        "mention_roles": [],
        "attachments": [],
        "embeds": embeds,
        "components": [],
        "pinned": message.pinned,
        "flags": message.flags,
    });
    if let Some(pinned) = message.reference {
        body["message_reference"] = json!({
            "type": 0,
            "message_id": pinned.to_string(),
            "channel_id": message.channel_id.to_string(),
            "guild_id": state.guild.id.to_string(),
        });
    }
    body
}

/// Where messages go: a channel, or a thread (seen through its parent).
struct Target {
    id: Id<ChannelMarker>,
    kind: u8,
    permissions: Permissions,
    /// For threads: archived (nothing is posted or edited in it).
    archived: bool,
}

/// The channel, after checking the bot may see it (and read its history / send in it). In a
/// thread the parent's permissions count, and posting needs SEND_MESSAGES_IN_THREADS.
fn channel(state: &GuildState, call: &Call, needed: Permissions) -> Result<Target, ApiError> {
    let id: Id<ChannelMarker> = call.id("channel_id", ApiError::unknown_channel)?;
    if let Some(thread) = state.threads.iter().find(|thread| thread.id == id) {
        let permissions = super::threads::parent_permissions(state, thread.parent_id)?;
        let needed = if needed.contains(Permissions::SEND_MESSAGES) {
            needed
                .difference(Permissions::SEND_MESSAGES)
                .union(super::threads::SEND_MESSAGES_IN_THREADS)
        } else {
            needed
        };
        if !permissions.contains(needed) {
            return Err(ApiError::missing_permissions());
        }
        return Ok(Target {
            id,
            kind: thread.kind,
            permissions,
            archived: thread.archived,
        });
    }
    let channel = state.channel(id).ok_or_else(ApiError::unknown_channel)?;
    let permissions = state.channel_permissions(state.bot_user_id, channel);
    if !permissions.contains(Permissions::VIEW_CHANNEL) {
        return Err(ApiError::new(
            axum::http::StatusCode::FORBIDDEN,
            50001,
            "Missing Access",
        ));
    }
    if !permissions.contains(needed) {
        return Err(ApiError::missing_permissions());
    }
    Ok(Target {
        id: channel.id,
        kind: channel.kind,
        permissions,
        archived: false,
    })
}

fn find(state: &GuildState, call: &Call, channel: Id<ChannelMarker>) -> Result<usize, ApiError> {
    let id: Id<GenericMarker> = call.id("message_id", ApiError::unknown_message)?;
    state
        .messages
        .iter()
        .position(|m| m.id == id && m.channel_id == channel)
        .ok_or_else(ApiError::unknown_message)
}

/// `GET /channels/{channel_id}/messages`.
pub fn list(state: &mut GuildState, call: &Call) -> Result<Reply, ApiError> {
    let channel = channel(state, call, permission::READ_MESSAGE_HISTORY)?.id;
    let mut errors = FormErrors::default();
    let query: serde_json::Map<String, Value> = call
        .query
        .iter()
        .map(|(key, value)| (key.clone(), Value::String(value.clone())))
        .collect();
    let fields = Fields::new(&query, Vec::new());
    let limit = fields
        .integer("limit", 1, 100, &mut errors)
        .value()
        .unwrap_or(50);
    let before = fields.snowflake("before", &mut errors).value();
    let after = fields.snowflake("after", &mut errors).value();
    errors.finish()?;
    let mut messages: Vec<&Message> = state
        .messages
        .iter()
        .filter(|m| m.channel_id == channel)
        .filter(|m| before.is_none_or(|before| m.id.get() < before))
        .filter(|m| after.is_none_or(|after| m.id.get() > after))
        .collect();
    messages.sort_by_key(|m| std::cmp::Reverse(m.id.get()));
    if after.is_some() && before.is_none() {
        // `after` pages forward: the oldest `limit` messages after the id, still newest first.
        let skip = messages
            .len()
            .saturating_sub(usize::try_from(limit).unwrap_or(50));
        messages.drain(..skip);
    } else {
        messages.truncate(usize::try_from(limit).unwrap_or(50));
    }
    let list = messages.iter().map(|m| message_json(state, m)).collect();
    Ok(Reply::ok(Value::Array(list)))
}

/// `GET /channels/{channel_id}/messages/{message_id}`.
pub fn get(state: &mut GuildState, call: &Call) -> Result<Reply, ApiError> {
    let channel = channel(state, call, permission::READ_MESSAGE_HISTORY)?.id;
    let index = find(state, call, channel)?;
    Ok(Reply::ok(message_json(state, &state.messages[index])))
}

/// What a create or edit body sets.
struct Sent {
    content: Option<String>,
    embeds: Option<Vec<Value>>,
    flags: Option<u64>,
    allowed_mentions: Value,
}

fn sent(call: &Call) -> Result<Sent, ApiError> {
    let object = call.object()?;
    let fields = Fields::new(object, Vec::new());
    let mut errors = FormErrors::default();
    let content = fields
        .string("content", 0, MAX_CONTENT, &mut errors)
        .value();
    let embeds = match embeds::embeds(&fields, &mut errors) {
        crate::emulator::validate::Field::Value(list) => Some(list),
        crate::emulator::validate::Field::Null => Some(Vec::new()),
        _ => None,
    };
    let flags = embeds::flags(&fields, &mut errors);
    let allowed_mentions = embeds::allowed_mentions(&fields, &mut errors);
    errors.finish()?;
    Ok(Sent {
        content,
        embeds,
        flags,
        allowed_mentions,
    })
}

/// `POST /channels/{channel_id}/messages` → 200 message authored by the bot.
pub fn create(state: &mut GuildState, call: &Call) -> Result<Reply, ApiError> {
    let channel = channel(state, call, Permissions::SEND_MESSAGES)?;
    let thread = matches!(channel.kind, 10..=12);
    if !thread
        && (!channel_type::is_text_like(channel.kind)
            || matches!(channel.kind, channel_type::FORUM | channel_type::MEDIA))
    {
        return Err(ApiError::non_text_channel());
    }
    if channel.archived {
        return Err(super::threads::archived_thread());
    }
    let channel_id = channel.id;
    let sent = sent(call)?;
    let content = sent.content.unwrap_or_default();
    let embeds = sent.embeds.unwrap_or_default();
    if content.is_empty() && embeds.is_empty() {
        return Err(ApiError::empty_message());
    }
    let id = state.next_id();
    let message = Message {
        id: Id::new(id),
        channel_id,
        author_id: state.bot_user_id,
        content,
        timestamp: Some(time::format(time::snowflake_millis(id))),
        edited_timestamp: None,
        pinned: false,
        kind: 0,
        embeds,
        flags: sent.flags.unwrap_or(0),
        pinned_at: None,
        allowed_mentions: vec![sent.allowed_mentions],
        reference: None,
    };
    let body = message_json(state, &message);
    state.messages.push(message);
    Ok(Reply::ok(body))
}

/// `PATCH /channels/{channel_id}/messages/{message_id}` → 200 message (own messages only).
pub fn modify(state: &mut GuildState, call: &Call) -> Result<Reply, ApiError> {
    let target = channel(state, call, Permissions::NONE)?;
    if target.archived {
        return Err(super::threads::archived_thread());
    }
    let channel = target.id;
    let index = find(state, call, channel)?;
    if state.messages[index].author_id != state.bot_user_id {
        return Err(ApiError::not_author());
    }
    let sent = sent(call)?;
    let edited = time::format(time::snowflake_millis(state.next_id()));
    let message = &mut state.messages[index];
    let content = sent.content.unwrap_or_else(|| message.content.clone());
    let embeds = sent.embeds.unwrap_or_else(|| message.embeds.clone());
    if content.is_empty() && embeds.is_empty() {
        return Err(ApiError::empty_message());
    }
    message.content = content;
    message.embeds = embeds;
    if let Some(flags) = sent.flags {
        // Only SUPPRESS_EMBEDS can be set or unset on an edit.
        message.flags =
            (message.flags & !embeds::SUPPRESS_EMBEDS) | (flags & embeds::SUPPRESS_EMBEDS);
    }
    message.allowed_mentions.push(sent.allowed_mentions);
    message.edited_timestamp = Some(edited);
    let message = message.clone();
    Ok(Reply::ok(message_json(state, &message)))
}

/// `DELETE /channels/{channel_id}/messages/{message_id}` → 204.
pub fn delete(state: &mut GuildState, call: &Call) -> Result<Reply, ApiError> {
    let target = channel(state, call, Permissions::NONE)?;
    let channel = target.id;
    let index = find(state, call, channel)?;
    if state.messages[index].author_id != state.bot_user_id
        && !target.permissions.contains(MANAGE_MESSAGES)
    {
        return Err(ApiError::missing_permissions());
    }
    state.messages.remove(index);
    Ok(Reply::no_content())
}
