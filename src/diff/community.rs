//! The diff of the community's front door and routines: welcome screen, onboarding, AutoMod
//! rules, scheduled events, webhooks and posted messages.
//!
//! Both sides are brought into the plan's spec types, with channels and roles named the same way
//! on both sides (a matched object carries the file's name), so the derived equality compares
//! meaning, not labels. Sets (exempt roles, option roles, default channels) are sorted first.
//!
//! Events compare their *definition*: a recurring event is its weekday, local time, duration and
//! rhythm in the file's time zone, so an event that simply advanced to its next date is not
//! drift. One-off events in the past are not recreated. "Now" is an input of the diff.

use std::collections::HashSet;

use jiff::tz::TimeZone;
use jiff::{Timestamp, ToSpan};

use super::Differ;
use crate::model::community::{
    AutoModAction, AutoModRule, Event, EventLocation, LiveEvent, Onboarding, Prompt, PromptOption,
    Recurrence, Schedule, Webhook, WelcomeChannel, WelcomeScreen,
};
use crate::model::{ChannelId, ChannelKey, RoleId};
use crate::plan::{
    AutoModSpec, Change, ChannelPick, ChannelRef, EventSpec, EventWhen, Kept, OnboardingSpec,
    ParentSpec, RolePick, RoleRef, WebhookSpec, WelcomeSpec,
};

impl Differ<'_> {
    /// Creates and updates go to `changes`, deletes to `deletes` (run last), unmanaged objects to
    /// `kept`.
    pub(super) fn community_changes(
        &self,
        changes: &mut Vec<Change>,
        deletes: &mut Vec<Change>,
        kept: &mut Vec<Kept>,
        warnings: &mut Vec<String>,
    ) {
        self.welcome_screen(changes);
        self.onboarding(changes);
        self.automod(changes, deletes, kept);
        self.events(changes, deletes, kept, warnings);
        self.webhooks(changes, deletes, kept);
        self.messages(changes);
        self.emojis(changes, deletes, kept);
        self.sounds(changes, deletes, kept);
        self.stickers(changes, deletes, kept);
    }

    // -- naming both sides alike ---------------------------------------------------------------

    /// A channel the file names (validation made sure it is declared).
    pub(super) fn pick_desired_channel(&self, key: &ChannelKey) -> ChannelPick {
        match self.desired.channel_index(key) {
            Some(index) => self.pick_declared(index),
            None => ParentSpec {
                channel: ChannelRef::New {
                    name: key.name.clone(),
                    kind: key.kind,
                    category: key.category.clone(),
                },
                name: key.name.clone(),
                category: None,
            },
        }
    }

    /// A live channel, named as the file names it when the file declares it.
    pub(super) fn pick_live_channel(&self, id: ChannelId) -> ChannelPick {
        let live_index = self.live.channels.iter().position(|c| c.id == id);
        let declared =
            live_index.and_then(|live| self.channel_matches.iter().position(|m| *m == Some(live)));
        if let Some(desired) = declared {
            return self.pick_declared(desired);
        }
        let name = match live_index {
            Some(live) => self.live.channels[live].name.clone(),
            None => id.to_string(),
        };
        ParentSpec {
            channel: ChannelRef::Id(id),
            name,
            category: None,
        }
    }

    pub(super) fn pick_desired_role(&self, key: &str) -> RolePick {
        let name = self
            .desired
            .roles
            .iter()
            .find(|role| role.key == key)
            .map_or_else(|| key.to_owned(), |role| role.settings.name.clone());
        RolePick {
            role: self.role_ref(key),
            name,
        }
    }

    pub(super) fn pick_live_role(&self, id: RoleId) -> RolePick {
        if id == self.live.everyone_role_id() {
            return RolePick {
                role: RoleRef::Id(id),
                name: "@everyone".to_owned(),
            };
        }
        let live_index = self.live.roles.iter().position(|r| r.id == id);
        let declared =
            live_index.and_then(|live| self.role_matches.iter().position(|m| *m == Some(live)));
        let name = match (declared, live_index) {
            (Some(desired), _) => self.desired.roles[desired].settings.name.clone(),
            (None, Some(live)) => self.live.roles[live].settings.name.clone(),
            (None, None) => format!("role {id}"),
        };
        RolePick {
            role: RoleRef::Id(id),
            name,
        }
    }

    fn desired_channels(&self, keys: &[ChannelKey]) -> Vec<ChannelPick> {
        sorted(
            keys.iter()
                .map(|key| self.pick_desired_channel(key))
                .collect(),
        )
    }

    fn live_channels(&self, ids: &[ChannelId]) -> Vec<ChannelPick> {
        sorted(ids.iter().map(|id| self.pick_live_channel(*id)).collect())
    }

    fn desired_roles(&self, keys: &[String]) -> Vec<RolePick> {
        sorted(keys.iter().map(|key| self.pick_desired_role(key)).collect())
    }

    fn live_roles(&self, ids: &[RoleId]) -> Vec<RolePick> {
        sorted(ids.iter().map(|id| self.pick_live_role(*id)).collect())
    }

    // -- welcome screen ------------------------------------------------------------------------

    fn welcome_screen(&self, changes: &mut Vec<Change>) {
        let Some(wanted) = &self.desired.community.welcome_screen else {
            return;
        };
        let after: WelcomeSpec = WelcomeScreen {
            enabled: wanted.enabled,
            description: wanted.description.clone(),
            channels: wanted
                .channels
                .iter()
                .map(|c| WelcomeChannel {
                    channel: self.pick_desired_channel(&c.channel),
                    description: c.description.clone(),
                    emoji: c.emoji.clone(),
                })
                .collect(),
        };
        let before: Option<WelcomeSpec> =
            self.live
                .community
                .welcome_screen
                .as_ref()
                .map(|live| WelcomeScreen {
                    enabled: live.enabled,
                    description: live.description.clone(),
                    channels: live
                        .channels
                        .iter()
                        .map(|c| WelcomeChannel {
                            channel: self.pick_live_channel(c.channel),
                            description: c.description.clone(),
                            emoji: c.emoji.clone(),
                        })
                        .collect(),
                });
        if before.as_ref() != Some(&after) {
            changes.push(Change::UpdateWelcomeScreen { before, after });
        }
    }

    // -- onboarding ----------------------------------------------------------------------------

    fn onboarding(&self, changes: &mut Vec<Change>) {
        let Some(wanted) = &self.desired.community.onboarding else {
            return;
        };
        let after: OnboardingSpec = Onboarding {
            enabled: wanted.enabled,
            mode: wanted.mode,
            default_channels: self.desired_channels(&wanted.default_channels),
            prompts: wanted
                .prompts
                .iter()
                .map(|prompt| Prompt {
                    title: prompt.title.clone(),
                    kind: prompt.kind,
                    single_select: prompt.single_select,
                    required: prompt.required,
                    in_onboarding: prompt.in_onboarding,
                    options: prompt
                        .options
                        .iter()
                        .map(|option| PromptOption {
                            title: option.title.clone(),
                            description: option.description.clone(),
                            emoji: option.emoji.clone(),
                            roles: self.desired_roles(&option.roles),
                            channels: self.desired_channels(&option.channels),
                        })
                        .collect(),
                })
                .collect(),
        };
        let live = self.live.community.onboarding.as_ref();
        let before: Option<OnboardingSpec> = live.map(|live| {
            let onboarding = &live.onboarding;
            Onboarding {
                enabled: onboarding.enabled,
                mode: onboarding.mode,
                default_channels: self.live_channels(&onboarding.default_channels),
                prompts: onboarding
                    .prompts
                    .iter()
                    .map(|prompt| Prompt {
                        title: prompt.title.clone(),
                        kind: prompt.kind,
                        single_select: prompt.single_select,
                        required: prompt.required,
                        in_onboarding: prompt.in_onboarding,
                        options: prompt
                            .options
                            .iter()
                            .map(|option| PromptOption {
                                title: option.title.clone(),
                                description: option.description.clone(),
                                emoji: option.emoji.clone(),
                                roles: self.live_roles(&option.roles),
                                channels: self.live_channels(&option.channels),
                            })
                            .collect(),
                    })
                    .collect(),
            }
        });
        if before.as_ref() == Some(&after) {
            return;
        }
        // Prompts keep their ids by title, options by title within their prompt.
        let mut prompt_ids = Vec::new();
        let mut option_ids = Vec::new();
        for prompt in &after.prompts {
            let found = live.and_then(|live| {
                let at = live
                    .onboarding
                    .prompts
                    .iter()
                    .position(|p| p.title == prompt.title)?;
                Some((at, live))
            });
            prompt_ids.push(found.map(|(at, live)| live.prompt_ids[at]));
            option_ids.push(
                prompt
                    .options
                    .iter()
                    .map(|option| {
                        let (at, live) = found?;
                        let option_at = live.onboarding.prompts[at]
                            .options
                            .iter()
                            .position(|o| o.title == option.title)?;
                        live.option_ids[at].get(option_at).copied()
                    })
                    .collect(),
            );
        }
        changes.push(Change::UpdateOnboarding {
            before,
            after,
            prompt_ids,
            option_ids,
        });
    }

    // -- AutoMod -------------------------------------------------------------------------------

    fn automod_spec_desired(&self, rule: &AutoModRule<ChannelKey, String>) -> AutoModSpec {
        AutoModRule {
            name: rule.name.clone(),
            trigger: rule.trigger.clone(),
            actions: rule
                .actions
                .iter()
                .map(|action| match action {
                    AutoModAction::Alert { channel } => AutoModAction::Alert {
                        channel: self.pick_desired_channel(channel),
                    },
                    AutoModAction::Block { message } => AutoModAction::Block {
                        message: message.clone(),
                    },
                    AutoModAction::Timeout { seconds } => {
                        AutoModAction::Timeout { seconds: *seconds }
                    }
                    AutoModAction::BlockMemberInteraction => AutoModAction::BlockMemberInteraction,
                })
                .collect(),
            enabled: rule.enabled,
            exempt_roles: self.desired_roles(&rule.exempt_roles),
            exempt_channels: self.desired_channels(&rule.exempt_channels),
        }
    }

    fn automod_spec_live(&self, rule: &AutoModRule<ChannelId, RoleId>) -> AutoModSpec {
        AutoModRule {
            name: rule.name.clone(),
            trigger: rule.trigger.clone(),
            actions: rule
                .actions
                .iter()
                .map(|action| match action {
                    AutoModAction::Alert { channel } => AutoModAction::Alert {
                        channel: self.pick_live_channel(*channel),
                    },
                    AutoModAction::Block { message } => AutoModAction::Block {
                        message: message.clone(),
                    },
                    AutoModAction::Timeout { seconds } => {
                        AutoModAction::Timeout { seconds: *seconds }
                    }
                    AutoModAction::BlockMemberInteraction => AutoModAction::BlockMemberInteraction,
                })
                .collect(),
            enabled: rule.enabled,
            exempt_roles: self.live_roles(&rule.exempt_roles),
            exempt_channels: self.live_channels(&rule.exempt_channels),
        }
    }

    fn automod(&self, changes: &mut Vec<Change>, deletes: &mut Vec<Change>, kept: &mut Vec<Kept>) {
        let live = &self.live.community.automod;
        let mut matched = HashSet::new();
        for rule in &self.desired.community.automod {
            let after = self.automod_spec_desired(rule);
            let found = live
                .iter()
                .find(|l| l.rule.name == rule.name && !matched.contains(&l.id));
            match found {
                None => changes.push(Change::CreateAutoModRule { rule: after }),
                Some(existing) => {
                    matched.insert(existing.id);
                    let before = self.automod_spec_live(&existing.rule);
                    if before == after {
                        continue;
                    }
                    if before.trigger.discord_type() != after.trigger.discord_type() {
                        // Discord cannot change a rule's trigger type: replace the rule.
                        deletes.push(Change::DeleteAutoModRule {
                            id: existing.id,
                            rule: before,
                        });
                        changes.push(Change::CreateAutoModRule { rule: after });
                    } else {
                        changes.push(Change::UpdateAutoModRule {
                            id: existing.id,
                            before,
                            after,
                        });
                    }
                }
            }
        }
        for rule in live.iter().filter(|rule| !matched.contains(&rule.id)) {
            if self.desired.prune.automod {
                deletes.push(Change::DeleteAutoModRule {
                    id: rule.id,
                    rule: self.automod_spec_live(&rule.rule),
                });
            } else {
                kept.push(Kept::AutoModRule {
                    id: rule.id,
                    name: rule.rule.name.clone(),
                });
            }
        }
        // A replaced rule must be gone before its successor is created (per-type limits).
        let replaced: Vec<Change> = deletes
            .iter()
            .filter(|d| matches!(d, Change::DeleteAutoModRule { .. }))
            .filter(|d| changes.iter().any(|c| same_rule_name(c, d)))
            .cloned()
            .collect();
        deletes.retain(|d| !replaced.contains(d));
        for delete in replaced.into_iter().rev() {
            let at = changes
                .iter()
                .position(|c| same_rule_name(c, &delete))
                .unwrap_or(0);
            changes.insert(at, delete);
        }
    }

    // -- events --------------------------------------------------------------------------------

    fn event_location_desired(
        &self,
        location: &EventLocation<ChannelKey>,
    ) -> EventLocation<ChannelPick> {
        match location {
            EventLocation::Stage(name) => EventLocation::Stage(self.pick_desired_channel(name)),
            EventLocation::Voice(name) => EventLocation::Voice(self.pick_desired_channel(name)),
            EventLocation::External(place) => EventLocation::External(place.clone()),
        }
    }

    fn event_location_live(
        &self,
        location: &EventLocation<ChannelId>,
    ) -> EventLocation<ChannelPick> {
        match location {
            EventLocation::Stage(id) => EventLocation::Stage(self.pick_live_channel(*id)),
            EventLocation::Voice(id) => EventLocation::Voice(self.pick_live_channel(*id)),
            EventLocation::External(place) => EventLocation::External(place.clone()),
        }
    }

    fn events(
        &self,
        changes: &mut Vec<Change>,
        deletes: &mut Vec<Change>,
        kept: &mut Vec<Kept>,
        warnings: &mut Vec<String>,
    ) {
        // Completed and canceled events are history: never matched, kept or deleted.
        let live: Vec<&LiveEvent> = self
            .live
            .community
            .events
            .iter()
            .filter(|e| e.status <= 2)
            .collect();
        let mut matched = HashSet::new();
        for event in &self.desired.community.events {
            let Some(after) = event_spec(event, self.event_location_desired(&event.location))
            else {
                warnings.push(format!(
                    "event \"{}\": unknown time zone `{}`; it is left alone",
                    event.name, event.schedule.timezone
                ));
                continue;
            };
            let next = next_occurrence(&event.schedule, self.now);
            let found = live
                .iter()
                .find(|l| l.name == event.name && !matched.contains(&l.id));
            match (found, next) {
                (None, None) => warnings.push(format!(
                    "event \"{}\" is a one-off in the past; it is not created",
                    event.name
                )),
                (None, Some((start, end))) => changes.push(Change::CreateEvent {
                    event: after,
                    start,
                    end,
                }),
                (Some(existing), next) => {
                    matched.insert(existing.id);
                    let before = live_event_spec(
                        existing,
                        self.event_location_live(&existing.location),
                        &event.schedule.timezone,
                    );
                    if before == after {
                        continue;
                    }
                    // A changed one-off in the past keeps its date; the rest move to the next
                    // occurrence of their new definition.
                    let (start, end) =
                        next.unwrap_or((existing.start, existing.end.unwrap_or(existing.start)));
                    changes.push(Change::UpdateEvent {
                        id: existing.id,
                        before,
                        after,
                        start,
                        end,
                    });
                }
            }
        }
        for event in live.iter().filter(|e| !matched.contains(&e.id)) {
            if self.desired.prune.events {
                let spec = live_event_spec(event, self.event_location_live(&event.location), "UTC");
                deletes.push(Change::DeleteEvent {
                    id: event.id,
                    event: spec,
                });
            } else {
                kept.push(Kept::Event {
                    id: event.id,
                    name: event.name.clone(),
                });
            }
        }
    }

    // -- webhooks ------------------------------------------------------------------------------

    fn webhooks(&self, changes: &mut Vec<Change>, deletes: &mut Vec<Change>, kept: &mut Vec<Kept>) {
        let live = &self.live.community.webhooks;
        let mut matched = HashSet::new();
        for (webhook, _) in &self.desired.community.webhooks {
            let after: WebhookSpec = Webhook {
                channel: self.pick_desired_channel(&webhook.channel),
                name: webhook.name.clone(),
                // The file's image as its `sha256:` label (the bytes stay in the assets).
                avatar: webhook
                    .avatar
                    .as_deref()
                    .and_then(super::images::upload_label),
            };
            // `avatar = "discord:<hash>"` (written by import) keeps the current avatar.
            let keeps_avatar = webhook
                .avatar
                .as_deref()
                .is_some_and(|a| a.starts_with("discord:"));
            // In its channel first; otherwise the only unmatched one of that name (a move).
            let in_channel = live.iter().find(|l| {
                !matched.contains(&l.id)
                    && l.name == webhook.name
                    && after.channel.channel == ChannelRef::Id(l.channel)
            });
            let elsewhere = || {
                let same_name: Vec<_> = live
                    .iter()
                    .filter(|l| !matched.contains(&l.id) && l.name == webhook.name)
                    .collect();
                (same_name.len() == 1).then(|| same_name[0])
            };
            match in_channel.or_else(elsewhere) {
                None => {
                    let mut after = after;
                    if keeps_avatar {
                        after.avatar = None;
                    }
                    changes.push(Change::CreateWebhook { webhook: after })
                }
                Some(existing) => {
                    matched.insert(existing.id);
                    let before = Webhook {
                        channel: self.pick_live_channel(existing.channel),
                        name: existing.name.clone(),
                        avatar: existing.avatar.clone(),
                    };
                    let mut after = after;
                    // Kept, or the same bytes as the file (compared by content).
                    let same = match (&webhook.avatar, &existing.avatar) {
                        (Some(uri), Some(hash)) => crate::images::same_content(
                            self.live,
                            &crate::images::webhook_avatar_key(existing.id, hash),
                            uri,
                        ),
                        _ => false,
                    };
                    if keeps_avatar || same {
                        after.avatar = before.avatar.clone();
                    }
                    if before != after {
                        changes.push(Change::UpdateWebhook {
                            id: existing.id,
                            before,
                            after,
                        });
                    }
                }
            }
        }
        for webhook in live.iter().filter(|w| !matched.contains(&w.id)) {
            let channel = self.pick_live_channel(webhook.channel);
            if self.desired.prune.webhooks {
                let spec = Webhook {
                    channel,
                    name: webhook.name.clone(),
                    avatar: None,
                };
                deletes.push(Change::DeleteWebhook {
                    id: webhook.id,
                    webhook: spec,
                });
            } else {
                kept.push(Kept::Webhook {
                    id: webhook.id,
                    name: webhook.name.clone(),
                    channel: channel.name,
                });
            }
        }
    }
}

fn same_rule_name(change: &Change, delete: &Change) -> bool {
    match (change, delete) {
        (Change::CreateAutoModRule { rule }, Change::DeleteAutoModRule { rule: old, .. }) => {
            rule.name == old.name
        }
        _ => false,
    }
}

fn sorted<T: Ord>(mut list: Vec<T>) -> Vec<T> {
    list.sort();
    list.dedup();
    list
}

/// The definition of a desired event; `None` for an unknown time zone.
fn event_spec<C>(event: &Event<C>, location: EventLocation<ChannelPick>) -> Option<EventSpec> {
    let schedule = &event.schedule;
    let timezone = TimeZone::get(&schedule.timezone).ok()?;
    let first = schedule.start.to_zoned_datetime(timezone).ok()?;
    let minutes = schedule.duration_minutes;
    let when = match schedule.recurrence {
        None => EventWhen::Once {
            start: first.timestamp(),
            minutes,
        },
        Some(Recurrence::Weekly) => EventWhen::Weekly {
            weekday: monday_zero(first.weekday()),
            time: first.strftime("%H:%M").to_string(),
            timezone: schedule.timezone.clone(),
            minutes,
        },
        Some(Recurrence::MonthlyNthWeekday { week }) => EventWhen::Monthly {
            week,
            weekday: monday_zero(first.weekday()),
            time: first.strftime("%H:%M").to_string(),
            timezone: schedule.timezone.clone(),
            minutes,
        },
    };
    Some(EventSpec {
        name: event.name.clone(),
        description: event.description.clone(),
        location,
        when,
    })
}

/// The definition of a live event, seen from `timezone` (the file's, when it declares the event).
fn live_event_spec(
    event: &LiveEvent,
    location: EventLocation<ChannelPick>,
    timezone: &str,
) -> EventSpec {
    let zone = TimeZone::get(timezone).unwrap_or(TimeZone::UTC);
    let start = event.start.to_zoned_datetime(zone);
    let minutes = event
        .end
        .and_then(|end| end.as_second().checked_sub(event.start.as_second()))
        .map_or(0, |seconds| u32::try_from(seconds / 60).unwrap_or(0));
    let time = start.strftime("%H:%M").to_string();
    let weekday = monday_zero(start.weekday());
    let when = match event.recurrence {
        None => EventWhen::Once {
            start: event.start,
            minutes,
        },
        Some(Recurrence::Weekly) => EventWhen::Weekly {
            weekday,
            time,
            timezone: timezone.to_owned(),
            minutes,
        },
        // The n-th weekday as the file's time zone sees it.
        Some(Recurrence::MonthlyNthWeekday { .. }) => EventWhen::Monthly {
            week: u8::try_from((start.day() - 1) / 7 + 1).unwrap_or(1),
            weekday,
            time,
            timezone: timezone.to_owned(),
            minutes,
        },
    };
    EventSpec {
        name: event.name.clone(),
        description: event.description.clone(),
        location,
        when,
    }
}

fn monday_zero(weekday: jiff::civil::Weekday) -> u8 {
    u8::try_from(weekday.to_monday_zero_offset()).unwrap_or(0)
}

/// The first start (and its end) at or after `now`; `None` for a one-off in the past.
pub fn next_occurrence(schedule: &Schedule, now: Timestamp) -> Option<(Timestamp, Timestamp)> {
    let timezone = TimeZone::get(&schedule.timezone).ok()?;
    let first = schedule.start.to_zoned_datetime(timezone.clone()).ok()?;
    let start = match schedule.recurrence {
        _ if first.timestamp() >= now => first.timestamp(),
        None => return None,
        Some(Recurrence::Weekly) => {
            let mut candidate = first;
            while candidate.timestamp() < now {
                candidate = candidate.checked_add(1.week()).ok()?;
            }
            candidate.timestamp()
        }
        Some(Recurrence::MonthlyNthWeekday { week }) => {
            let weekday = first.weekday();
            let time = first.time();
            let mut month = first.date().first_of_month();
            loop {
                month = month.checked_add(1.month()).ok()?;
                let Ok(day) = month.nth_weekday_of_month(i8::try_from(week).ok()?, weekday) else {
                    continue;
                };
                let candidate = day
                    .to_datetime(time)
                    .to_zoned_datetime(timezone.clone())
                    .ok()?;
                if candidate.timestamp() >= now {
                    break candidate.timestamp();
                }
            }
        }
    };
    let end = start
        .checked_add(i64::from(schedule.duration_minutes).minutes())
        .ok()?;
    Some((start, end))
}
