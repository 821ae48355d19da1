//! How the community parts of a plan read: welcome screen, onboarding, AutoMod rules, events
//! and posted messages. Creates list what will exist; updates show only what changes.

use std::io::{self, Write};

use super::Style;
use super::human::{emoji_text, field_line};
use crate::model::community::{
    AutoModAction, EventLocation, KeywordPreset, OnboardingMode, PromptKind, Trigger,
};
use crate::plan::{
    AutoModSpec, ChannelPick, EventSpec, EventWhen, OnboardingSpec, RolePick, WelcomeSpec,
    pick_label,
};

const WEEKDAYS: [&str; 7] = [
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
];

fn channels(picks: &[ChannelPick]) -> String {
    if picks.is_empty() {
        return "(none)".to_owned();
    }
    picks.iter().map(pick_label).collect::<Vec<_>>().join(", ")
}

fn roles(picks: &[RolePick]) -> String {
    if picks.is_empty() {
        return "(none)".to_owned();
    }
    picks
        .iter()
        .map(|pick| pick.name.clone())
        .collect::<Vec<_>>()
        .join(", ")
}

/// `value` when creating, `before → after` when they differ, nothing when equal.
fn compare(
    label: &str,
    before: Option<String>,
    after: String,
    out: &mut dyn Write,
) -> io::Result<()> {
    match before {
        None => field_line(label, &after, out),
        Some(before) if before != after => field_line(label, &format!("{before} → {after}"), out),
        Some(_) => Ok(()),
    }
}

pub fn welcome_screen(
    before: Option<&WelcomeSpec>,
    after: &WelcomeSpec,
    style: Style,
    out: &mut dyn Write,
) -> io::Result<()> {
    compare(
        "enabled",
        before.map(|b| b.enabled.to_string()),
        after.enabled.to_string(),
        out,
    )?;
    let description = |d: &Option<String>| {
        d.clone()
            .map_or_else(|| "(none)".to_owned(), |d| format!("\"{d}\""))
    };
    compare(
        "description",
        before.map(|b| description(&b.description)),
        description(&after.description),
        out,
    )?;
    let line = |c: &crate::model::community::WelcomeChannel<ChannelPick>| {
        let emoji = c
            .emoji
            .as_ref()
            .map(|e| format!("{} ", emoji_text(e)))
            .unwrap_or_default();
        format!("{emoji}{}: {}", pick_label(&c.channel), c.description)
    };
    let old: Vec<String> = before
        .map(|b| b.channels.iter().map(line).collect())
        .unwrap_or_default();
    let new: Vec<String> = after.channels.iter().map(line).collect();
    if old != new {
        writeln!(out, "      channels")?;
        for entry in &new {
            let mark = if old.contains(entry) {
                " ".to_owned()
            } else {
                style.create("+")
            };
            writeln!(out, "        {mark} {entry}")?;
        }
        for entry in old.iter().filter(|entry| !new.contains(entry)) {
            writeln!(out, "        {} {entry}", style.delete("-"))?;
        }
    }
    Ok(())
}

pub fn onboarding(
    before: Option<&OnboardingSpec>,
    after: &OnboardingSpec,
    style: Style,
    out: &mut dyn Write,
) -> io::Result<()> {
    compare(
        "enabled",
        before.map(|b| b.enabled.to_string()),
        after.enabled.to_string(),
        out,
    )?;
    let mode = |m: OnboardingMode| match m {
        OnboardingMode::Default => "default".to_owned(),
        OnboardingMode::Advanced => "advanced".to_owned(),
    };
    compare("mode", before.map(|b| mode(b.mode)), mode(after.mode), out)?;
    compare(
        "default channels",
        before.map(|b| channels(&b.default_channels)),
        channels(&after.default_channels),
        out,
    )?;
    let old_prompts = before.map(|b| b.prompts.as_slice()).unwrap_or_default();
    for prompt in &after.prompts {
        let previous = old_prompts.iter().find(|p| p.title == prompt.title);
        if previous == Some(prompt) {
            continue;
        }
        let mark = if previous.is_some() {
            style.update("~")
        } else {
            style.create("+")
        };
        let kind = match prompt.kind {
            PromptKind::MultipleChoice => "multiple choice",
            PromptKind::Dropdown => "dropdown",
        };
        let mut flags = vec![kind];
        if prompt.single_select {
            flags.push("one answer");
        }
        if prompt.required {
            flags.push("required");
        }
        if !prompt.in_onboarding {
            flags.push("not in onboarding");
        }
        writeln!(
            out,
            "      {mark} question \"{}\" ({})",
            prompt.title,
            flags.join(", ")
        )?;
        for option in &prompt.options {
            let emoji = option
                .emoji
                .as_ref()
                .map(|e| format!("{} ", emoji_text(e)))
                .unwrap_or_default();
            writeln!(
                out,
                "          {emoji}{}: roles {}; channels {}",
                option.title,
                roles(&option.roles),
                channels(&option.channels)
            )?;
        }
    }
    for prompt in old_prompts
        .iter()
        .filter(|p| !after.prompts.iter().any(|n| n.title == p.title))
    {
        writeln!(
            out,
            "      {} question \"{}\"",
            style.delete("-"),
            prompt.title
        )?;
    }
    Ok(())
}

fn trigger_text(trigger: &Trigger) -> String {
    let list = |items: &[String]| items.join(", ");
    match trigger {
        Trigger::Keyword {
            keywords,
            regex,
            allow,
        }
        | Trigger::MemberProfile {
            keywords,
            regex,
            allow,
        } => {
            let what = if matches!(trigger, Trigger::Keyword { .. }) {
                "keywords"
            } else {
                "member profiles"
            };
            let mut parts = vec![format!("{what}: {}", list(keywords))];
            if !regex.is_empty() {
                parts.push(format!("patterns: {}", list(regex)));
            }
            if !allow.is_empty() {
                parts.push(format!("allowed: {}", list(allow)));
            }
            parts.join("; ")
        }
        Trigger::Spam => "suspected spam".to_owned(),
        Trigger::KeywordPreset { presets, allow } => {
            let names: Vec<&str> = presets
                .iter()
                .map(|p| match p {
                    KeywordPreset::Profanity => "profanity",
                    KeywordPreset::SexualContent => "sexual content",
                    KeywordPreset::Slurs => "slurs",
                })
                .collect();
            let mut text = format!("Discord's lists: {}", names.join(", "));
            if !allow.is_empty() {
                text.push_str(&format!("; allowed: {}", list(allow)));
            }
            text
        }
        Trigger::MentionSpam {
            limit,
            raid_protection,
        } => format!(
            "more than {limit} mentions per message{}",
            if *raid_protection {
                ", with raid protection"
            } else {
                ""
            }
        ),
    }
}

fn actions_text(actions: &[AutoModAction<ChannelPick>]) -> String {
    actions
        .iter()
        .map(|action| match action {
            AutoModAction::Block {
                message: Some(message),
            } => format!("block (\"{message}\")"),
            AutoModAction::Block { message: None } => "block".to_owned(),
            AutoModAction::Alert { channel } => format!("alert in {}", pick_label(channel)),
            AutoModAction::Timeout { seconds } => format!("timeout {}", duration(*seconds)),
            AutoModAction::BlockMemberInteraction => "block interactions".to_owned(),
        })
        .collect::<Vec<_>>()
        .join(", ")
}

fn duration(seconds: u32) -> String {
    match seconds {
        s if s % 86_400 == 0 => format!("{} d", s / 86_400),
        s if s % 3600 == 0 => format!("{} h", s / 3600),
        s if s % 60 == 0 => format!("{} min", s / 60),
        s => format!("{s} s"),
    }
}

pub fn automod_rule(
    before: Option<&AutoModSpec>,
    after: &AutoModSpec,
    _style: Style,
    out: &mut dyn Write,
) -> io::Result<()> {
    compare(
        "enabled",
        before.map(|b| b.enabled.to_string()),
        after.enabled.to_string(),
        out,
    )?;
    compare(
        "trigger",
        before.map(|b| trigger_text(&b.trigger)),
        trigger_text(&after.trigger),
        out,
    )?;
    compare(
        "actions",
        before.map(|b| actions_text(&b.actions)),
        actions_text(&after.actions),
        out,
    )?;
    if before.is_some() || !after.exempt_roles.is_empty() {
        compare(
            "exempt roles",
            before.map(|b| roles(&b.exempt_roles)),
            roles(&after.exempt_roles),
            out,
        )?;
    }
    if before.is_some() || !after.exempt_channels.is_empty() {
        compare(
            "exempt channels",
            before.map(|b| channels(&b.exempt_channels)),
            channels(&after.exempt_channels),
            out,
        )?;
    }
    Ok(())
}

fn when_text(when: &EventWhen) -> String {
    match when {
        EventWhen::Once { start, minutes } => format!("once, {start}, {minutes} min"),
        EventWhen::Weekly {
            weekday,
            time,
            timezone,
            minutes,
        } => format!(
            "every {} at {time} ({timezone}), {minutes} min",
            WEEKDAYS.get(usize::from(*weekday)).unwrap_or(&"?")
        ),
        EventWhen::Monthly {
            week,
            weekday,
            time,
            timezone,
            minutes,
        } => {
            let nth = match week {
                1 => "first",
                2 => "second",
                3 => "third",
                4 => "fourth",
                _ => "fifth",
            };
            format!(
                "the {nth} {} of every month at {time} ({timezone}), {minutes} min",
                WEEKDAYS.get(usize::from(*weekday)).unwrap_or(&"?")
            )
        }
    }
}

fn where_text(location: &EventLocation<ChannelPick>) -> String {
    match location {
        EventLocation::Stage(pick) | EventLocation::Voice(pick) => pick_label(pick),
        EventLocation::External(place) => place.clone(),
    }
}

pub fn event(
    before: Option<&EventSpec>,
    after: &EventSpec,
    next: Option<jiff::Timestamp>,
    out: &mut dyn Write,
) -> io::Result<()> {
    compare(
        "when",
        before.map(|b| when_text(&b.when)),
        when_text(&after.when),
        out,
    )?;
    compare(
        "where",
        before.map(|b| where_text(&b.location)),
        where_text(&after.location),
        out,
    )?;
    let description = |d: &Option<String>| d.clone().unwrap_or_else(|| "(none)".to_owned());
    compare(
        "description",
        before.map(|b| description(&b.description)),
        description(&after.description),
        out,
    )?;
    if let (None, Some(next), false) = (before, next, matches!(after.when, EventWhen::Once { .. }))
    {
        field_line("first", &next.to_string(), out)?;
    }
    Ok(())
}

/// The first line of a message and its length, never the whole text.
pub fn message_preview(content: &str, out: &mut dyn Write) -> io::Result<()> {
    let first = content.lines().next().unwrap_or_default();
    let first: String = first.chars().take(80).collect();
    field_line(
        "text",
        &format!("\"{first}…\" ({} characters)", content.chars().count()),
        out,
    )
}
