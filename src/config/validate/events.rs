//! `[[events]]`: scheduled events, where they happen and when they repeat.

use std::ops::Range;

use jiff::civil::DateTime;
use jiff::tz::TimeZone;

use super::community::{Text, community_limits as cl};
use super::{Claim, Validator};
use crate::config::raw::{REPEATS, RawEvent, Sp};
use crate::config::suggest;
use crate::model::community::{Event, EventLocation, Recurrence, Schedule};
use crate::model::{ChannelKey, ChannelKind, DesiredChannel};

impl Validator<'_> {
    pub(super) fn events(
        &mut self,
        raw: &[Sp<RawEvent>],
        channels: &[DesiredChannel],
    ) -> Vec<Event<ChannelKey>> {
        let mut names: Vec<Claim> = Vec::new();
        let mut events = Vec::new();
        for event in raw {
            let span = event.span.clone();
            let event = &event.value;
            let name = event.name.as_ref().and_then(|name| {
                let ok = self.check_name(name, "event name");
                self.unique(
                    name,
                    &mut names,
                    "two events are named",
                    "events are matched by name",
                );
                ok.then(|| name.value.clone())
            });
            let description = event.description.as_ref().and_then(|description| {
                self.text(
                    description,
                    &Text {
                        what: "event description",
                        min: 0,
                        max: cl::EVENT_DESCRIPTION_MAX,
                    },
                );
                Some(description.value.clone()).filter(|text| !text.is_empty())
            });
            let location = self.event_location(event, span, channels);
            let schedule = self.schedule(event);
            if let (Some(name), Some(location), Some(schedule)) = (name, location, schedule) {
                events.push(Event {
                    name,
                    description,
                    location,
                    schedule,
                });
            }
        }
        events
    }

    pub(super) fn event_location(
        &mut self,
        event: &RawEvent,
        span: Range<usize>,
        channels: &[DesiredChannel],
    ) -> Option<EventLocation<ChannelKey>> {
        let given: Vec<(&str, &Sp<String>)> = [
            ("stage", &event.stage),
            ("voice", &event.voice),
            ("location", &event.location),
        ]
        .into_iter()
        .filter_map(|(key, value)| Some((key, value.as_ref()?)))
        .collect();
        match given.as_slice() {
            [] => {
                // A place of the wrong type was reported by the reader.
                if event.stage.is_none() && event.voice.is_none() && event.location.is_none() {
                    self.error("an event needs a place", span).hint = Some(
                        "add `stage = \"<stage channel>\"`, `voice = \"<voice channel>\"` or `location = \"<place or URL>\"`".into(),
                    );
                }
                None
            }
            [("stage", name)] => self
                .channel_named(name, "`stage`", &[ChannelKind::Stage], channels)
                .map(EventLocation::Stage),
            [("voice", name)] => self
                .channel_named(name, "`voice`", &[ChannelKind::Voice], channels)
                .map(EventLocation::Voice),
            [(_, place)] => self
                .text(
                    place,
                    &Text {
                        what: "location",
                        min: 1,
                        max: cl::LOCATION_MAX,
                    },
                )
                .then(|| EventLocation::External(place.value.clone())),
            [(first, _), rest @ ..] => {
                for (key, value) in rest {
                    self.error(
                        format!("`{key}` cannot be combined with `{first}`"),
                        value.whole(),
                    )
                    .hint = Some("an event happens in one place: keep one of `stage`, `voice` and `location`".into());
                }
                None
            }
        }
    }

    pub(super) fn schedule(&mut self, event: &RawEvent) -> Option<Schedule> {
        let timezone = event.timezone.as_ref().and_then(|zone| {
            if TimeZone::get(&zone.value).is_ok() {
                return Some(zone.value.clone());
            }
            let names: Vec<String> = jiff::tz::db()
                .available()
                .map(|name| name.to_string())
                .collect();
            let hint = match suggest(&zone.value, names.iter().map(String::as_str)) {
                Some(close) => format!("did you mean `{close}`?"),
                None => "write an IANA time zone name, like `Asia/Tokyo`, `Europe/Berlin` or `UTC`"
                    .into(),
            };
            self.error(
                format!("unknown time zone `{}`", zone.value),
                zone.span.clone(),
            )
            .hint = Some(hint);
            None
        });
        let start = event.start.as_ref().and_then(|start| self.start(start));
        let duration = event.duration.as_ref().and_then(|minutes| {
            if minutes.value < 1 {
                let error = self.error(
                    format!(
                        "`duration` must be at least 1 minute, found {}",
                        minutes.value
                    ),
                    minutes.span.clone(),
                );
                if event.location.is_some() {
                    error.hint =
                        Some("Discord needs an end time for events outside the server".into());
                }
                return None;
            }
            u32::try_from(minutes.value).ok().or_else(|| {
                self.error("`duration` is too long", minutes.span.clone());
                None
            })
        });
        let recurrence = match (&event.repeat, &event.week) {
            (None, None) => Some(None),
            (None, Some(week)) => {
                self.error("`week` only applies to monthly events", week.whole())
                    .hint = Some("add `repeat = \"monthly\"`, or remove `week`".into());
                None
            }
            (Some(repeat), week) => match repeat.value.as_str() {
                "weekly" => {
                    if let Some(week) = week {
                        self.error("`week` only applies to monthly events", week.whole())
                            .hint = Some(
                            "weekly events repeat on the start's weekday; remove `week`".into(),
                        );
                    }
                    Some(Some(Recurrence::Weekly))
                }
                "monthly" => match week {
                    None => {
                        self.error("a monthly event needs `week`", repeat.whole())
                            .hint = Some("add `week = 1` for the first of the start's weekday in each month (1-5)".into());
                        None
                    }
                    Some(week) => {
                        let value = self
                            .in_range(week, "week", 1, 5, "")
                            .and_then(|value| u8::try_from(value).ok());
                        if let (Some(value), Some(start)) = (value, start) {
                            self.nth_weekday(start, value, week);
                        }
                        value.map(|week| Some(Recurrence::MonthlyNthWeekday { week }))
                    }
                },
                other => {
                    let error =
                        self.error(format!("unknown repeat `{other}`"), repeat.span.clone());
                    error.hint = Some(match suggest(other, REPEATS.iter().copied()) {
                        Some(close) => format!("did you mean `{close}`?"),
                        None => "write `weekly` or `monthly` (with `week`), or leave `repeat` out for a one-off event".into(),
                    });
                    None
                }
            },
        };
        Some(Schedule {
            start: start?,
            timezone: timezone?,
            duration_minutes: duration?,
            recurrence: recurrence?,
        })
    }

    pub(super) fn start(&mut self, start: &Sp<String>) -> Option<DateTime> {
        let text = start.value.as_str();
        let time_part = text
            .split_once(['T', 't', ' '])
            .map_or("", |(_, time)| time);
        if time_part.contains(['+', '-', 'Z', 'z', '[']) {
            self.error(
                format!("`{text}` has an offset or a time zone"),
                start.span.clone(),
            )
            .hint = Some(
                "write the local date and time alone, like `2026-12-07T18:00`, and the zone in `timezone`".into(),
            );
            return None;
        }
        match text.parse::<DateTime>() {
            Ok(datetime) if !time_part.is_empty() => Some(datetime),
            _ => {
                self.error(
                    format!("`{text}` is not a date and time"),
                    start.span.clone(),
                )
                .hint = Some("write it as `YYYY-MM-DDTHH:MM`, like `2026-12-07T18:00`".into());
                None
            }
        }
    }

    /// A monthly event on the n-th weekday must start on such a day.
    pub(super) fn nth_weekday(&mut self, start: DateTime, week: u8, at: &Sp<i64>) {
        let date = start.date();
        let actual = (date.day() - 1) / 7 + 1;
        if i64::from(actual) == i64::from(week) {
            return;
        }
        let weekday = date.weekday();
        let ordinal = |n: i64| match n {
            1 => "first",
            2 => "second",
            3 => "third",
            4 => "fourth",
            _ => "fifth",
        };
        // Such a day in the start's month, or the first month that has one.
        let mut month = date.first_of_month();
        let mut proposal = None;
        for _ in 0..12 {
            if let Ok(day) = month.nth_weekday_of_month(i8::try_from(week).unwrap_or(1), weekday) {
                proposal = Some(day);
                break;
            }
            match month.checked_add(jiff::Span::new().months(1)) {
                Ok(next) => month = next,
                Err(_) => break,
            }
        }
        let weekday_name = format!("{weekday:?}");
        self.error(
            format!(
                "{date} is the {} {weekday_name} of its month, not the {}",
                ordinal(i64::from(actual)),
                ordinal(i64::from(week))
            ),
            at.whole(),
        )
        .hint = Some(match proposal {
            Some(day) => format!(
                "the start is the first occurrence: start on a {} {weekday_name}, like {day}",
                ordinal(i64::from(week))
            ),
            None => format!("start on a {} {weekday_name}", ordinal(i64::from(week))),
        });
    }

    // ---- webhooks ----------------------------------------------------------------------------
}
