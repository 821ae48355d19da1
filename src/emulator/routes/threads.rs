//! Threads: `GET /guilds/{guild_id}/threads/active`, `GET /channels/{channel_id}/threads/archived/public`,
//! `POST /channels/{channel_id}/threads`, and `GET|PATCH|DELETE /channels/{thread_id}` for a
//! thread (`channel.mdx`, "Start Thread in Forum or Media Channel", "Start Thread without
//! Message", "Modify Channel" (thread), "List Active Guild Threads", "List Public Archived
//! Threads"; `threads.mdx`).
//!
//! Design notes, strict like Discord:
//! - Seeing a thread is seeing its parent (VIEW_CHANNEL, else 50001); archived lists also need
//!   READ_MESSAGE_HISTORY (50013).
//! - A post in a forum or media channel needs SEND_MESSAGES and a `message` (content 1-2000;
//!   empty: 50006); its first message has the thread's id. `applied_tags`: at most 5 (50035
//!   `BASE_TYPE_MAX_LENGTH`), each a tag of the channel (50035 `BASE_TYPE_CHOICES`), moderated
//!   tags need MANAGE_THREADS (50013), and a channel with REQUIRE_TAG refuses a post without one
//!   (40067). A thread of a text channel needs CREATE_PUBLIC_THREADS (type 11, the default
//!   being 12, private: CREATE_PRIVATE_THREADS); announcement channels make type 10. Forum and
//!   media channels take no `type`; other channel kinds are 50024.
//! - `name` 1-100 (50035 `BASE_TYPE_BAD_LENGTH`), `auto_archive_duration` 60/1440/4320/10080
//!   (50035 `BASE_TYPE_CHOICES`).
//! - Modify: the owner may rename, re-tag, archive and unarchive its thread; `locked`, the
//!   PINNED flag and anything on another's thread need MANAGE_THREADS (50013). `flags` may only
//!   hold PINNED, and only on threads of forum and media channels (50035). An archived thread
//!   takes no change but one that unarchives it (`archived: false`; 400 50083), and a locked
//!   archived thread only from MANAGE_THREADS. Pinning a post unpins the channel's other pinned
//!   post (one per channel).
//! - Delete needs MANAGE_THREADS and takes the thread's messages with it.
//! - Messages in a thread (`messages.rs`): the parent's permissions, SEND_MESSAGES_IN_THREADS to
//!   post, and nothing is posted or edited in an archived thread (50083).

use axum::http::StatusCode;
use serde_json::{Value, json};
use twilight_model::id::Id;
use twilight_model::id::marker::{ChannelMarker, TagMarker};

use super::{Call, Reply};
use crate::emulator::error::{ApiError, FormErrors};
use crate::emulator::state::{GuildState, Message, Thread, channel_type, permission};
use crate::emulator::time;
use crate::emulator::validate::{Field, Fields};
use crate::permissions::Permissions;

pub const MANAGE_THREADS: Permissions = Permissions::from_bits(1 << 34);
pub const CREATE_PUBLIC_THREADS: Permissions = Permissions::from_bits(1 << 35);
pub const CREATE_PRIVATE_THREADS: Permissions = Permissions::from_bits(1 << 36);
pub const SEND_MESSAGES_IN_THREADS: Permissions = Permissions::from_bits(1 << 38);
pub const PINNED: u64 = 1 << 1;
const REQUIRE_TAG: u64 = 1 << 4;
const AUTO_ARCHIVE: [i64; 4] = [60, 1440, 4320, 10080];
const APPLIED_TAGS_MAX: usize = 5;

pub fn archived_thread() -> ApiError {
    ApiError::new(StatusCode::BAD_REQUEST, 50083, "Thread is archived")
}

fn tag_required() -> ApiError {
    ApiError::new(
        StatusCode::BAD_REQUEST,
        40067,
        "A tag is required to create a forum post in this channel",
    )
}

fn missing_access() -> ApiError {
    ApiError::new(StatusCode::FORBIDDEN, 50001, "Missing Access")
}

/// The bot's permissions in the thread's parent, after checking it may see it.
pub fn parent_permissions(
    state: &GuildState,
    parent: Id<ChannelMarker>,
) -> Result<Permissions, ApiError> {
    let channel = state
        .channel(parent)
        .ok_or_else(ApiError::unknown_channel)?;
    let permissions = state.channel_permissions(state.bot_user_id, channel);
    if !permissions.contains(Permissions::VIEW_CHANNEL) {
        return Err(missing_access());
    }
    Ok(permissions)
}

fn message_count(state: &GuildState, thread: Id<ChannelMarker>) -> usize {
    state
        .messages
        .iter()
        .filter(|message| message.channel_id == thread)
        .count()
}

fn thread_json(state: &GuildState, thread: &Thread) -> Value {
    thread.json(state.guild_id(), message_count(state, thread.id))
}

fn now(state: &mut GuildState) -> String {
    time::format(time::snowflake_millis(state.next_id()))
}

/// `GET /guilds/{guild_id}/threads/active`: every unarchived thread the bot can see, newest
/// first.
pub fn active(state: &mut GuildState, call: &Call) -> Result<Reply, ApiError> {
    call.check_guild(state)?;
    let mut threads: Vec<&Thread> = state
        .threads
        .iter()
        .filter(|thread| !thread.archived)
        .filter(|thread| parent_permissions(state, thread.parent_id).is_ok())
        .collect();
    threads.sort_by_key(|thread| std::cmp::Reverse(thread.id));
    let list: Vec<Value> = threads.iter().map(|t| thread_json(state, t)).collect();
    Ok(Reply::ok(
        json!({ "threads": list, "members": [], "has_more": false }),
    ))
}

/// `GET /channels/{channel_id}/threads/archived/public?before=&limit=`: archived public
/// threads, most recently archived first.
pub fn archived_public(state: &mut GuildState, call: &Call) -> Result<Reply, ApiError> {
    let parent: Id<ChannelMarker> = call.id("channel_id", ApiError::unknown_channel)?;
    let permissions = parent_permissions(state, parent)?;
    if !permissions.contains(permission::READ_MESSAGE_HISTORY) {
        return Err(ApiError::missing_permissions());
    }
    let query: serde_json::Map<String, Value> = call
        .query
        .iter()
        .map(|(key, value)| {
            let value = match key.as_str() {
                "limit" => value
                    .parse::<i64>()
                    .map_or_else(|_| Value::String(value.clone()), Value::from),
                _ => Value::String(value.clone()),
            };
            (key.clone(), value)
        })
        .collect();
    let fields = Fields::new(&query, Vec::new());
    let mut errors = FormErrors::default();
    let limit = fields
        .integer("limit", 1, 100, &mut errors)
        .value()
        .unwrap_or(50);
    let before = match fields.string("before", 1, 64, &mut errors) {
        Field::Value(text) => match time::parse(&text) {
            Some(millis) => Some(millis),
            None => {
                errors.add(
                    &["before"],
                    "DATE_TYPE_PARSE",
                    &format!("Could not interpret \"{text}\" as a date or time."),
                );
                None
            }
        },
        _ => None,
    };
    errors.finish()?;
    let archived_at = |thread: &Thread| {
        thread
            .archive_timestamp
            .as_deref()
            .and_then(time::parse)
            .unwrap_or(0)
    };
    let mut threads: Vec<&Thread> = state
        .threads
        .iter()
        .filter(|thread| thread.parent_id == parent && thread.archived)
        .filter(|thread| thread.kind != 12)
        .filter(|thread| before.is_none_or(|before| archived_at(thread) < before))
        .collect();
    threads.sort_by_key(|thread| std::cmp::Reverse((archived_at(thread), thread.id)));
    let limit = usize::try_from(limit).unwrap_or(50);
    let has_more = threads.len() > limit;
    threads.truncate(limit);
    let list: Vec<Value> = threads.iter().map(|t| thread_json(state, t)).collect();
    Ok(Reply::ok(
        json!({ "threads": list, "members": [], "has_more": has_more }),
    ))
}

/// The tags of `list` checked against the parent's: each one of them, moderated ones only
/// with MANAGE_THREADS.
fn applied_tags(
    state: &GuildState,
    parent: Id<ChannelMarker>,
    fields: &Fields<'_>,
    permissions: Permissions,
    errors: &mut FormErrors,
) -> Result<Option<Vec<Id<TagMarker>>>, ApiError> {
    let Field::Value(ids) = fields.snowflake_list("applied_tags", APPLIED_TAGS_MAX, errors) else {
        return Ok(None);
    };
    let tags = state
        .channel(parent)
        .and_then(|channel| channel.available_tags.clone())
        .unwrap_or_default();
    let mut applied = Vec::new();
    for (index, id) in ids.iter().enumerate() {
        match tags.iter().find(|tag| tag.id.get() == *id) {
            Some(tag) => {
                if tag.moderated && !permissions.contains(MANAGE_THREADS) {
                    return Err(ApiError::missing_permissions());
                }
                applied.push(tag.id);
            }
            None => errors.add(
                &["applied_tags".to_owned(), index.to_string()],
                "BASE_TYPE_CHOICES",
                &format!("Value \"{id}\" is not a valid tag of this channel."),
            ),
        }
    }
    Ok(Some(applied))
}

/// `POST /channels/{channel_id}/threads` → 201 the thread (a post: with its `message`).
pub fn create(state: &mut GuildState, call: &Call) -> Result<Reply, ApiError> {
    let parent_id: Id<ChannelMarker> = call.id("channel_id", ApiError::unknown_channel)?;
    let permissions = parent_permissions(state, parent_id)?;
    let parent = state
        .channel(parent_id)
        .ok_or_else(ApiError::unknown_channel)?;
    let (parent_kind, parent_flags) = (parent.kind, parent.flags);
    let post = matches!(parent_kind, channel_type::FORUM | channel_type::MEDIA);
    if !post && !matches!(parent_kind, channel_type::TEXT | channel_type::ANNOUNCEMENT) {
        return Err(ApiError::invalid_channel_type());
    }
    let object = call.object()?;
    let fields = Fields::new(object, Vec::new());
    let mut errors = FormErrors::default();
    let name = if fields.require("name", &mut errors) {
        fields.string("name", 1, 100, &mut errors).value()
    } else {
        None
    };
    let auto_archive = fields
        .choice("auto_archive_duration", &AUTO_ARCHIVE, &mut errors)
        .value();
    let slowmode = fields
        .integer("rate_limit_per_user", 0, 21_600, &mut errors)
        .value();
    let mut content = None;
    let mut tags = Vec::new();
    let kind;
    if post {
        kind = 11;
        if fields.require("message", &mut errors) {
            match object.get("message") {
                Some(Value::Object(message)) => {
                    let inner = Fields::new(message, vec!["message".to_owned()]);
                    content = inner.string("content", 0, 2000, &mut errors).value();
                }
                Some(_) => errors.add(
                    &["message"],
                    "DICT_TYPE_CONVERT",
                    "Only dictionaries may be used in a DictType",
                ),
                None => {}
            }
        }
        tags =
            applied_tags(state, parent_id, &fields, permissions, &mut errors)?.unwrap_or_default();
    } else {
        let allowed: &[i64] = if parent_kind == channel_type::ANNOUNCEMENT {
            &[10]
        } else {
            &[11, 12]
        };
        kind = fields
            .choice("type", allowed, &mut errors)
            .value()
            .and_then(|kind| u8::try_from(kind).ok())
            .unwrap_or(if parent_kind == channel_type::ANNOUNCEMENT {
                10
            } else {
                12
            });
    }
    errors.finish()?;
    let Some(name) = name else {
        return Err(ApiError::form(
            &["name"],
            "BASE_TYPE_REQUIRED",
            "This field is required",
        ));
    };
    let needed = if post {
        Permissions::SEND_MESSAGES
    } else if kind == 12 {
        CREATE_PRIVATE_THREADS
    } else {
        CREATE_PUBLIC_THREADS
    };
    if !permissions.contains(needed) {
        return Err(ApiError::missing_permissions());
    }
    if post {
        if content.as_deref().is_none_or(str::is_empty) {
            return Err(ApiError::empty_message());
        }
        if parent_flags & REQUIRE_TAG != 0 && tags.is_empty() {
            return Err(tag_required());
        }
    }
    let id = state.next_id();
    let default_archive = state
        .channel(parent_id)
        .and_then(|channel| channel.default_auto_archive_duration)
        .unwrap_or(1440);
    let thread = Thread {
        id: Id::new(id),
        kind,
        parent_id,
        owner_id: state.bot_user_id,
        name,
        applied_tags: tags,
        flags: 0,
        archived: false,
        locked: false,
        auto_archive_duration: auto_archive
            .and_then(|minutes| u32::try_from(minutes).ok())
            .unwrap_or(default_archive),
        archive_timestamp: Some(time::format(time::snowflake_millis(id))),
        rate_limit_per_user: slowmode.and_then(|s| u32::try_from(s).ok()).unwrap_or(0),
    };
    let mut body;
    if let Some(content) = content {
        // A post's first message has the thread's id.
        let message = Message {
            id: Id::new(id),
            channel_id: thread.id,
            author_id: state.bot_user_id,
            content,
            timestamp: Some(time::format(time::snowflake_millis(id))),
            edited_timestamp: None,
            pinned: false,
            kind: 0,
            embeds: Vec::new(),
            flags: 0,
            pinned_at: None,
            allowed_mentions: Vec::new(),
            reference: None,
        };
        state.messages.push(message.clone());
        body = thread_json(state, &thread);
        body["message"] = super::messages::message_json(state, &message);
    } else {
        body = thread_json(state, &thread);
    }
    state.threads.push(thread);
    Ok(Reply::created(body))
}

fn thread_index(state: &GuildState, call: &Call) -> Option<usize> {
    let id: Id<ChannelMarker> = call.id("channel_id", ApiError::unknown_channel).ok()?;
    state.threads.iter().position(|thread| thread.id == id)
}

/// Whether `GET|PATCH|DELETE /channels/{channel_id}` names a thread.
pub fn is_thread(state: &GuildState, call: &Call) -> bool {
    thread_index(state, call).is_some()
}

/// `GET /channels/{thread_id}`.
pub fn get(state: &mut GuildState, call: &Call) -> Result<Reply, ApiError> {
    let index = thread_index(state, call).ok_or_else(ApiError::unknown_channel)?;
    parent_permissions(state, state.threads[index].parent_id)?;
    Ok(Reply::ok(thread_json(state, &state.threads[index])))
}

/// `PATCH /channels/{thread_id}`.
pub fn modify(state: &mut GuildState, call: &Call) -> Result<Reply, ApiError> {
    let index = thread_index(state, call).ok_or_else(ApiError::unknown_channel)?;
    let thread = state.threads[index].clone();
    let permissions = parent_permissions(state, thread.parent_id)?;
    let moderator = permissions.contains(MANAGE_THREADS);
    if thread.owner_id != state.bot_user_id && !moderator {
        return Err(ApiError::missing_permissions());
    }
    let parent = state
        .channel(thread.parent_id)
        .ok_or_else(ApiError::unknown_channel)?;
    let (parent_kind, parent_flags) = (parent.kind, parent.flags);
    let post = matches!(parent_kind, channel_type::FORUM | channel_type::MEDIA);
    let object = call.object()?;
    let fields = Fields::new(object, Vec::new());
    let mut errors = FormErrors::default();
    let name = fields.string("name", 1, 100, &mut errors).value();
    let archived = fields.boolean("archived", &mut errors).value();
    let locked = fields.boolean("locked", &mut errors).value();
    let auto_archive = fields
        .choice("auto_archive_duration", &AUTO_ARCHIVE, &mut errors)
        .value();
    let slowmode = fields
        .integer("rate_limit_per_user", 0, 21_600, &mut errors)
        .value();
    let flags = match fields.integer("flags", 0, i64::from(u32::MAX), &mut errors) {
        Field::Value(bits) => {
            let bits = u64::try_from(bits).unwrap_or(u64::MAX);
            if bits & !PINNED != 0 || (bits & PINNED != 0 && !post) {
                errors.add(
                    &["flags"],
                    "BASE_TYPE_CHOICES",
                    if post {
                        "Only PINNED (2) may be set on a thread."
                    } else {
                        "PINNED may only be set on threads of forum and media channels."
                    },
                );
                None
            } else {
                Some(bits)
            }
        }
        _ => None,
    };
    let tags = if post {
        applied_tags(state, thread.parent_id, &fields, permissions, &mut errors)?
    } else {
        None
    };
    errors.finish()?;
    if thread.archived && archived != Some(false) {
        return Err(archived_thread());
    }
    if thread.archived && thread.locked && !moderator {
        return Err(ApiError::missing_permissions());
    }
    let pins = flags.is_some_and(|bits| bits & PINNED != thread.flags & PINNED);
    if (locked.is_some_and(|l| l != thread.locked) || pins) && !moderator {
        return Err(ApiError::missing_permissions());
    }
    if let Some(tags) = &tags
        && tags.is_empty()
        && parent_flags & REQUIRE_TAG != 0
    {
        return Err(tag_required());
    }
    let stamp = now(state);
    if flags.is_some_and(|bits| bits & PINNED != 0) {
        for other in state
            .threads
            .iter_mut()
            .filter(|other| other.parent_id == thread.parent_id && other.id != thread.id)
        {
            other.flags &= !PINNED;
        }
    }
    let thread = &mut state.threads[index];
    if let Some(name) = name {
        thread.name = name;
    }
    if let Some(archived) = archived
        && archived != thread.archived
    {
        thread.archived = archived;
        thread.archive_timestamp = Some(stamp);
    }
    if let Some(locked) = locked {
        thread.locked = locked;
    }
    if let Some(minutes) = auto_archive {
        thread.auto_archive_duration = u32::try_from(minutes).unwrap_or(1440);
    }
    if let Some(slowmode) = slowmode {
        thread.rate_limit_per_user = u32::try_from(slowmode).unwrap_or(0);
    }
    if let Some(bits) = flags {
        thread.flags = bits;
    }
    if let Some(tags) = tags {
        thread.applied_tags = tags;
    }
    let thread = thread.clone();
    Ok(Reply::ok(thread_json(state, &thread)))
}

/// `DELETE /channels/{thread_id}` → 200 the thread; its messages go with it.
pub fn delete(state: &mut GuildState, call: &Call) -> Result<Reply, ApiError> {
    let index = thread_index(state, call).ok_or_else(ApiError::unknown_channel)?;
    let permissions = parent_permissions(state, state.threads[index].parent_id)?;
    if !permissions.contains(MANAGE_THREADS) {
        return Err(ApiError::missing_permissions());
    }
    let body = thread_json(state, &state.threads[index]);
    let thread = state.threads.remove(index);
    state
        .messages
        .retain(|message| message.channel_id != thread.id);
    Ok(Reply::ok(body))
}
