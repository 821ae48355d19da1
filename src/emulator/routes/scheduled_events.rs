//! Guild scheduled events: `GET|POST /guilds/{guild_id}/scheduled-events`,
//! `GET|PATCH|DELETE .../scheduled-events/{guild_scheduled_event_id}`
//! (`guild-scheduled-event.mdx`; notes §2.14).
//!
//! Design notes:
//! - Permissions are checked at guild level: CREATE_EVENTS or MANAGE_EVENTS (50013); the
//!   channel-level checks of the docs are not modelled.
//! - Entity types: STAGE_INSTANCE (1) needs a stage `channel_id`, VOICE (2) a voice
//!   `channel_id`; both store `entity_metadata: null`. EXTERNAL (3) needs `channel_id` null,
//!   `entity_metadata.location` (1-100) and `scheduled_end_time`. Violations are 50035 on the
//!   field. `scheduled_end_time` must be after the start. Times are not compared with the clock.
//! - `recurrence_rule` follows the docs' restrictions: `count`, `end`, `by_year_day` must be
//!   null or absent; at most one of `by_weekday`, `by_n_weekday`, `by_month`+`by_month_day`;
//!   `by_weekday` only DAILY (one of the documented sets) or WEEKLY (one day); `by_n_weekday`
//!   only MONTHLY (one entry, n 1-5); `by_month`+`by_month_day` only YEARLY (one each);
//!   `interval` 1, or 2 for WEEKLY. Errors are 50035 under `recurrence_rule.<field>`.
//! - At most 100 SCHEDULED or ACTIVE events (30038). Status moves SCHEDULED → ACTIVE →
//!   COMPLETED or SCHEDULED → CANCELED (others: 50035 on `status` [inferred]); a COMPLETED or
//!   CANCELED event cannot be changed (180000).
//! - `with_user_count` adds `user_count: 0`.

use serde_json::{Value, json};
use twilight_model::id::Id;
use twilight_model::id::marker::GenericMarker;

use super::{Call, Reply};
use crate::emulator::error::{ApiError, FormErrors};
use crate::emulator::image;
use crate::emulator::state::{
    EntityMetadata, GuildState, NWeekday, RecurrenceRule, ScheduledEvent, channel_type, permission,
    user_json,
};
use crate::emulator::time;
use crate::emulator::validate::{Field, Fields};

pub const MAX_ACTIVE: usize = 100;
const DAILY_WEEKDAY_SETS: [&[u8]; 6] = [
    &[0, 1, 2, 3, 4],
    &[1, 2, 3, 4, 5],
    &[6, 0, 1, 2, 3],
    &[4, 5],
    &[5, 6],
    &[6, 0],
];

fn event_json(state: &GuildState, event: &ScheduledEvent, with_count: bool) -> Value {
    let mut body = json!(event);
    body["guild_id"] = json!(state.guild_id().to_string());
    body["guild_scheduled_event_exceptions"] = json!([]);
    if let Some(user) = event.creator_id.and_then(|id| state.user(id)) {
        body["creator"] = user_json(user);
    }
    if with_count {
        body["user_count"] = json!(0);
    }
    body
}

fn require_events(state: &GuildState) -> Result<(), ApiError> {
    let bot = state.bot_permissions();
    if bot.contains(permission::CREATE_EVENTS) || bot.contains(permission::MANAGE_EVENTS) {
        Ok(())
    } else {
        Err(ApiError::missing_permissions())
    }
}

fn find(state: &GuildState, call: &Call) -> Result<usize, ApiError> {
    let id: Id<GenericMarker> = call.id(
        "guild_scheduled_event_id",
        ApiError::unknown_scheduled_event,
    )?;
    state
        .scheduled_events
        .iter()
        .position(|event| event.id == id)
        .ok_or_else(ApiError::unknown_scheduled_event)
}

/// `GET /guilds/{guild_id}/scheduled-events`.
pub fn list(state: &mut GuildState, call: &Call) -> Result<Reply, ApiError> {
    call.check_guild(state)?;
    let with_count = call.query_flag("with_user_count");
    let list = state
        .scheduled_events
        .iter()
        .map(|event| event_json(state, event, with_count))
        .collect();
    Ok(Reply::ok(Value::Array(list)))
}

/// `GET /guilds/{guild_id}/scheduled-events/{guild_scheduled_event_id}`.
pub fn get(state: &mut GuildState, call: &Call) -> Result<Reply, ApiError> {
    call.check_guild(state)?;
    let index = find(state, call)?;
    let with_count = call.query_flag("with_user_count");
    Ok(Reply::ok(event_json(
        state,
        &state.scheduled_events[index],
        with_count,
    )))
}

fn timestamp(fields: &Fields<'_>, key: &str, errors: &mut FormErrors) -> Field<String> {
    match fields.string(key, 1, 64, errors) {
        Field::Value(text) => match time::normalise(&text) {
            Some(text) => Field::Value(text),
            None => {
                errors.add(
                    &fields.path(key),
                    "DATE_TIME_TYPE_PARSE",
                    &format!("Could not parse {text}. Should be ISO8601."),
                );
                Field::Invalid
            }
        },
        other => other,
    }
}

/// Applies a create or modify body to `event` (a fresh event for create).
fn apply_body(
    state: &mut GuildState,
    event: &mut ScheduledEvent,
    fields: &Fields<'_>,
    creating: bool,
) -> Result<(), ApiError> {
    let mut errors = FormErrors::default();
    if creating {
        for key in [
            "name",
            "privacy_level",
            "scheduled_start_time",
            "entity_type",
        ] {
            fields.require(key, &mut errors);
        }
    }
    let name = fields.string("name", 1, 100, &mut errors);
    if matches!(name, Field::Null) && !creating {
        errors.add(&["name"], "BASE_TYPE_REQUIRED", "This field is required");
    }
    let privacy = fields.choice("privacy_level", &[2], &mut errors);
    let start = timestamp(fields, "scheduled_start_time", &mut errors);
    let end = timestamp(fields, "scheduled_end_time", &mut errors);
    let description = fields.string("description", 1, 1000, &mut errors);
    let entity_type = fields.choice("entity_type", &[1, 2, 3], &mut errors);
    let channel = fields.snowflake("channel_id", &mut errors);
    let location = match fields.raw("entity_metadata") {
        Field::Value(Value::Object(object)) => Fields::new(object, fields.path("entity_metadata"))
            .string("location", 1, 100, &mut errors),
        Field::Value(_) => {
            errors.add(
                &["entity_metadata"],
                "DICT_TYPE_CONVERT",
                "Only dictionaries may be used in a DictType",
            );
            Field::Invalid
        }
        Field::Absent => Field::Absent,
        _ => Field::Null,
    };
    let image = image::field(fields, "image", &mut errors);
    let status = fields.choice("status", &[1, 2, 3, 4], &mut errors);
    let recurrence = match fields.raw("recurrence_rule") {
        Field::Value(Value::Object(object)) => parse_rule(
            &Fields::new(object, fields.path("recurrence_rule")),
            &mut errors,
        ),
        Field::Value(_) => {
            errors.add(
                &["recurrence_rule"],
                "DICT_TYPE_CONVERT",
                "Only dictionaries may be used in a DictType",
            );
            Field::Invalid
        }
        Field::Absent => Field::Absent,
        _ => Field::Null,
    };
    std::mem::take(&mut errors).finish()?;
    if creating && matches!(status, Field::Value(_)) {
        errors.add(
            &["status"],
            "BASE_TYPE_CHOICES",
            "Value must be one of {1}.",
        );
    }
    if let Field::Value(next) = status {
        let next = u8::try_from(next).unwrap_or(0);
        let allowed =
            matches!((event.status, next), (1, 2) | (2, 3) | (1, 4)) || next == event.status;
        if !allowed {
            errors.add(
                &["status"],
                "GUILD_SCHEDULED_EVENT_INVALID_STATUS_TRANSITION",
                &format!("Cannot change status from {} to {next}.", event.status),
            );
        }
        event.status = next;
    }
    if let Some(name) = name.value() {
        event.name = name;
    }
    let _ = privacy;
    if let Some(start) = start.value() {
        event.scheduled_start_time = start;
    }
    match end {
        Field::Value(end) => event.scheduled_end_time = Some(end),
        Field::Null => event.scheduled_end_time = None,
        _ => {}
    }
    match description {
        Field::Value(text) => event.description = Some(text),
        Field::Null => event.description = None,
        _ => {}
    }
    if let Some(kind) = entity_type.value() {
        event.entity_type = u8::try_from(kind).unwrap_or(3);
    }
    match channel {
        Field::Value(id) => event.channel_id = Id::new_checked(id),
        Field::Null => event.channel_id = None,
        _ => {}
    }
    match location {
        Field::Value(location) => event.entity_metadata = Some(EntityMetadata { location }),
        Field::Null => event.entity_metadata = None,
        _ => {}
    }
    match image {
        Field::Value(hash) => event.image = Some(hash),
        Field::Null => event.image = None,
        _ => {}
    }
    match recurrence {
        Field::Value(rule) => event.recurrence_rule = Some(rule),
        Field::Null => event.recurrence_rule = None,
        _ => {}
    }
    // The event as it would be: check the entity type's requirements.
    if event.entity_type == 3 {
        if event.channel_id.is_some() {
            errors.add(
                &["channel_id"],
                "GUILD_SCHEDULED_EVENT_CHANNEL_NOT_ALLOWED",
                "External events cannot have a channel.",
            );
        }
        if event.entity_metadata.is_none() {
            errors.add(
                &["entity_metadata", "location"],
                "BASE_TYPE_REQUIRED",
                "This field is required",
            );
        }
        if event.scheduled_end_time.is_none() {
            errors.add(
                &["scheduled_end_time"],
                "BASE_TYPE_REQUIRED",
                "This field is required",
            );
        }
    } else {
        // Discord silently drops entity_metadata for stage and voice events.
        event.entity_metadata = None;
        let wanted = if event.entity_type == 1 {
            channel_type::STAGE
        } else {
            channel_type::VOICE
        };
        match event.channel_id.map(|id| state.channel(id)) {
            None => errors.add(
                &["channel_id"],
                "BASE_TYPE_REQUIRED",
                "This field is required",
            ),
            Some(None) => errors.add(&["channel_id"], "CHANNEL_UNKNOWN", "Unknown channel."),
            Some(Some(channel)) if channel.kind != wanted => errors.add(
                &["channel_id"],
                "CHANNEL_TYPE_INVALID",
                "The channel does not match the entity type.",
            ),
            Some(Some(_)) => {}
        }
    }
    if let (Some(start), Some(end)) = (
        time::parse(&event.scheduled_start_time),
        event.scheduled_end_time.as_deref().and_then(time::parse),
    ) && end <= start
    {
        errors.add(
            &["scheduled_end_time"],
            "GUILD_SCHEDULED_EVENT_END_BEFORE_START",
            "The end time must be after the start time.",
        );
    }
    errors.finish()
}

fn weekday_list(
    fields: &Fields<'_>,
    key: &str,
    max_value: i64,
    min_value: i64,
    errors: &mut FormErrors,
) -> Option<Vec<i64>> {
    let list = fields.list(key, 12, errors).value()?;
    let mut values = Vec::new();
    for (index, item) in list.iter().enumerate() {
        let mut path = fields.path(key);
        path.push(index.to_string());
        match item.as_i64() {
            Some(value) if (min_value..=max_value).contains(&value) && !values.contains(&value) => {
                values.push(value);
            }
            _ => errors.add(&path, "BASE_TYPE_CHOICES", "Invalid value."),
        }
    }
    Some(values)
}

fn parse_rule(fields: &Fields<'_>, errors: &mut FormErrors) -> Field<RecurrenceRule> {
    let before = errors.clone();
    let start = if fields.require("start", errors) {
        timestamp(fields, "start", errors).value()
    } else {
        None
    };
    let frequency = if fields.require("frequency", errors) {
        fields.choice("frequency", &[0, 1, 2, 3], errors).value()
    } else {
        None
    };
    let interval = fields
        .integer("interval", 1, 2, errors)
        .value()
        .unwrap_or(1);
    for key in ["end", "count", "by_year_day"] {
        if !matches!(fields.raw(key), Field::Absent | Field::Null) {
            errors.add(
                &fields.path(key),
                "BASE_TYPE_READ_ONLY",
                "This field cannot be set by clients.",
            );
        }
    }
    let by_weekday = weekday_list(fields, "by_weekday", 6, 0, errors);
    let by_month = weekday_list(fields, "by_month", 12, 1, errors);
    let by_month_day = weekday_list(fields, "by_month_day", 31, 1, errors);
    let by_n_weekday = fields.list("by_n_weekday", 7, errors).value().map(|list| {
        list.iter()
            .enumerate()
            .filter_map(|(index, item)| {
                let n = item
                    .get("n")
                    .and_then(Value::as_u64)
                    .filter(|n| (1..=5).contains(n));
                let day = item.get("day").and_then(Value::as_u64).filter(|d| *d <= 6);
                if n.is_none() || day.is_none() {
                    let mut path = fields.path("by_n_weekday");
                    path.push(index.to_string());
                    errors.add(&path, "BASE_TYPE_CHOICES", "n must be 1-5 and day 0-6.");
                }
                Some(NWeekday {
                    n: u8::try_from(n?).ok()?,
                    day: u8::try_from(day?).ok()?,
                })
            })
            .collect::<Vec<_>>()
    });
    let Some(frequency) = frequency else {
        return Field::Invalid;
    };
    let kinds = [
        by_weekday.is_some(),
        by_n_weekday.is_some(),
        by_month.is_some() || by_month_day.is_some(),
    ];
    let mut wrong = |key: &str, message: &str| {
        errors.add(&fields.path(key), "RECURRENCE_RULE_INVALID", message);
    };
    if kinds.iter().filter(|kind| **kind).count() > 1 {
        wrong(
            "by_weekday",
            "by_weekday, by_n_weekday and by_month/by_month_day exclude each other.",
        );
    }
    if let Some(days) = &by_weekday {
        let days: Vec<u8> = days.iter().filter_map(|d| u8::try_from(*d).ok()).collect();
        match frequency {
            3 if !DAILY_WEEKDAY_SETS.contains(&days.as_slice()) => {
                wrong(
                    "by_weekday",
                    "Daily events recur on one of the documented sets of days.",
                );
            }
            2 if days.len() != 1 => wrong("by_weekday", "Weekly events recur on exactly one day."),
            0 | 1 => wrong(
                "by_weekday",
                "by_weekday is only valid for daily and weekly events.",
            ),
            _ => {}
        }
    }
    if let Some(list) = &by_n_weekday
        && (frequency != 1 || list.len() != 1)
    {
        wrong(
            "by_n_weekday",
            "by_n_weekday is only valid for monthly events, with one entry.",
        );
    }
    if (by_month.is_some() || by_month_day.is_some())
        && (frequency != 0
            || by_month.as_ref().is_none_or(|m| m.len() != 1)
            || by_month_day.as_ref().is_none_or(|d| d.len() != 1))
    {
        wrong(
            "by_month",
            "by_month and by_month_day go together, one each, on yearly events.",
        );
    }
    if interval == 2 && frequency != 2 {
        wrong("interval", "Only weekly events may have an interval of 2.");
    }
    if *errors != before {
        return Field::Invalid;
    }
    let to_u8 = |list: Option<Vec<i64>>| {
        list.map(|l| l.into_iter().filter_map(|v| u8::try_from(v).ok()).collect())
    };
    Field::Value(RecurrenceRule {
        start: start.unwrap_or_default(),
        end: None,
        frequency: u8::try_from(frequency).unwrap_or(0),
        interval: u32::try_from(interval).unwrap_or(1),
        by_weekday: to_u8(by_weekday),
        by_n_weekday,
        by_month: to_u8(by_month),
        by_month_day: by_month_day
            .map(|l| l.into_iter().filter_map(|v| i8::try_from(v).ok()).collect()),
        by_year_day: None,
        count: None,
    })
}

/// `POST /guilds/{guild_id}/scheduled-events` → 200 event.
pub fn create(state: &mut GuildState, call: &Call) -> Result<Reply, ApiError> {
    call.check_guild(state)?;
    require_events(state)?;
    let object = call.object()?;
    let fields = Fields::new(object, Vec::new());
    let mut event = ScheduledEvent {
        id: Id::new(1),
        name: String::new(),
        description: None,
        channel_id: None,
        creator_id: Some(state.bot_user_id),
        image: None,
        scheduled_start_time: String::new(),
        scheduled_end_time: None,
        status: 1,
        entity_type: 3,
        entity_id: None,
        entity_metadata: None,
        recurrence_rule: None,
        privacy_level: 2,
    };
    apply_body(state, &mut event, &fields, true)?;
    let active = state
        .scheduled_events
        .iter()
        .filter(|e| matches!(e.status, 1 | 2))
        .count();
    if active >= MAX_ACTIVE {
        return Err(ApiError::max_scheduled_events());
    }
    event.id = Id::new(state.next_id());
    let body = event_json(state, &event, false);
    state.scheduled_events.push(event);
    Ok(Reply::ok(body))
}

/// `PATCH /guilds/{guild_id}/scheduled-events/{guild_scheduled_event_id}` → 200 event.
pub fn modify(state: &mut GuildState, call: &Call) -> Result<Reply, ApiError> {
    call.check_guild(state)?;
    let index = find(state, call)?;
    require_events(state)?;
    let mut event = state.scheduled_events[index].clone();
    if matches!(event.status, 3 | 4) {
        return Err(ApiError::finished_event());
    }
    let object = call.object()?;
    let fields = Fields::new(object, Vec::new());
    apply_body(state, &mut event, &fields, false)?;
    let body = event_json(state, &event, false);
    state.scheduled_events[index] = event;
    Ok(Reply::ok(body))
}

/// `DELETE /guilds/{guild_id}/scheduled-events/{guild_scheduled_event_id}` → 204.
pub fn delete(state: &mut GuildState, call: &Call) -> Result<Reply, ApiError> {
    call.check_guild(state)?;
    let index = find(state, call)?;
    require_events(state)?;
    state.scheduled_events.remove(index);
    Ok(Reply::no_content())
}
