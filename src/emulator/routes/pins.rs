//! Pins: `GET /channels/{channel_id}/messages/pins`, `PUT|DELETE
//! /channels/{channel_id}/messages/pins/{message_id}` (`message.mdx`: Get Channel Pins, Pin
//! Message, Unpin Message).
//!
//! Design notes: all three need VIEW_CHANNEL (50001 without); pinning and unpinning need
//! PIN_MESSAGES (1 << 51; enforced apart from MANAGE_MESSAGES since 2026-02-23, notes §
//! permissions), ADMINISTRATOR covers it; without READ_MESSAGE_HISTORY the list is empty, as the
//! docs say. At most 250 pins per channel (30003, `opcodes-and-status-codes.mdx`); pinning a
//! pinned message changes nothing; a system message cannot be pinned (50021). A pin posts
//! Discord's "pinned a message" notice (type 6, by the pinner, pointing at the message). The list
//! is newest pin first, `limit` 1-50 (default 50), `before` an ISO 8601 time, `has_more` when more
//! are older.

use axum::http::StatusCode;
use serde_json::{Value, json};
use twilight_model::id::Id;
use twilight_model::id::marker::{ChannelMarker, GenericMarker};

use super::messages::message_json;
use super::{Call, Reply};
use crate::emulator::error::{ApiError, FormErrors};
use crate::emulator::state::{GuildState, Message, permission};
use crate::emulator::time;
use crate::emulator::validate::Fields;
use crate::permissions::Permissions;

/// Discord's limit of pins per channel (error 30003).
pub const MAX_PINS: usize = 250;
const PIN_MESSAGES: Permissions = Permissions::from_bits(1 << 51);

fn channel(
    state: &GuildState,
    call: &Call,
    needed: Permissions,
) -> Result<(Id<ChannelMarker>, Permissions), ApiError> {
    let id: Id<ChannelMarker> = call.id("channel_id", ApiError::unknown_channel)?;
    let channel = state.channel(id).ok_or_else(ApiError::unknown_channel)?;
    let permissions = state.channel_permissions(state.bot_user_id, channel);
    if !permissions.contains(Permissions::VIEW_CHANNEL) {
        return Err(ApiError::new(
            StatusCode::FORBIDDEN,
            50001,
            "Missing Access",
        ));
    }
    if !permissions.contains(needed) {
        return Err(ApiError::missing_permissions());
    }
    Ok((id, permissions))
}

fn message_index(
    state: &GuildState,
    call: &Call,
    channel: Id<ChannelMarker>,
) -> Result<usize, ApiError> {
    let id: Id<GenericMarker> = call.id("message_id", ApiError::unknown_message)?;
    state
        .messages
        .iter()
        .position(|m| m.id == id && m.channel_id == channel)
        .ok_or_else(ApiError::unknown_message)
}

/// `GET /channels/{channel_id}/messages/pins` → `{items: [{pinned_at, message}], has_more}`.
pub fn list(state: &mut GuildState, call: &Call) -> Result<Reply, ApiError> {
    let (channel, permissions) = channel(state, call, Permissions::NONE)?;
    let mut errors = FormErrors::default();
    let query: serde_json::Map<String, Value> = call
        .query
        .iter()
        .map(|(key, value)| (key.clone(), Value::String(value.clone())))
        .collect();
    let fields = Fields::new(&query, Vec::new());
    let limit = fields
        .integer("limit", 1, 50, &mut errors)
        .value()
        .unwrap_or(50);
    let before = fields.string("before", 1, 64, &mut errors).value();
    if let Some(before) = &before
        && time::parse(before).is_none()
    {
        errors.add(
            &["before"],
            "DATE_TYPE_PARSE",
            "Could not parse date. Should be ISO8601.",
        );
    }
    errors.finish()?;
    if !permissions.contains(permission::READ_MESSAGE_HISTORY) {
        return Ok(Reply::ok(json!({ "items": [], "has_more": false })));
    }
    let before = before.and_then(|at| time::parse(&at));
    let mut pinned: Vec<(&Message, i64)> = state
        .messages
        .iter()
        .filter(|m| m.channel_id == channel && m.pinned)
        .filter_map(|m| Some((m, time::parse(m.pinned_at.as_deref()?)?)))
        .filter(|(_, at)| before.is_none_or(|before| *at < before))
        .collect();
    pinned.sort_by_key(|(m, at)| std::cmp::Reverse((*at, m.id.get())));
    let limit = usize::try_from(limit).unwrap_or(50);
    let has_more = pinned.len() > limit;
    let items: Vec<Value> = pinned
        .iter()
        .take(limit)
        .map(|(message, _)| {
            json!({
                "pinned_at": message.pinned_at,
                "message": message_json(state, message),
            })
        })
        .collect();
    Ok(Reply::ok(json!({ "items": items, "has_more": has_more })))
}

/// `PUT /channels/{channel_id}/messages/pins/{message_id}` → 204.
pub fn pin(state: &mut GuildState, call: &Call) -> Result<Reply, ApiError> {
    let (channel, _) = channel(state, call, PIN_MESSAGES)?;
    let index = message_index(state, call, channel)?;
    if state.messages[index].pinned {
        return Ok(Reply::no_content());
    }
    if state.messages[index].kind != 0 && state.messages[index].kind != 19 {
        return Err(ApiError::new(
            StatusCode::BAD_REQUEST,
            50021,
            "Cannot execute action on a system message",
        ));
    }
    let pins = state
        .messages
        .iter()
        .filter(|m| m.channel_id == channel && m.pinned)
        .count();
    if pins >= MAX_PINS {
        return Err(ApiError::new(
            StatusCode::BAD_REQUEST,
            30003,
            format!("Maximum number of pins reached ({MAX_PINS})"),
        ));
    }
    let id = state.next_id();
    let at = time::format(time::snowflake_millis(id));
    let pinned_id = state.messages[index].id;
    let message = &mut state.messages[index];
    message.pinned = true;
    message.pinned_at = Some(at.clone());
    let notice = Message {
        id: Id::new(id),
        channel_id: channel,
        author_id: state.bot_user_id,
        content: String::new(),
        timestamp: Some(at),
        edited_timestamp: None,
        pinned: false,
        kind: 6,
        embeds: Vec::new(),
        flags: 0,
        pinned_at: None,
        allowed_mentions: Vec::new(),
        reference: Some(pinned_id),
    };
    state.messages.push(notice);
    Ok(Reply::no_content())
}

/// `DELETE /channels/{channel_id}/messages/pins/{message_id}` → 204.
pub fn unpin(state: &mut GuildState, call: &Call) -> Result<Reply, ApiError> {
    let (channel, _) = channel(state, call, PIN_MESSAGES)?;
    let index = message_index(state, call, channel)?;
    let message = &mut state.messages[index];
    message.pinned = false;
    message.pinned_at = None;
    Ok(Reply::no_content())
}
