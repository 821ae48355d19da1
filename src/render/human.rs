//! The plan and the apply report as a person reads them, terraform-style.

use std::io::{self, Write};

use similar::{ChangeTag, TextDiff};

use super::Style;
use crate::apply::ApplyReport;
use crate::model::{ChannelKind, ChannelSettings, DEFAULT_BITRATE, RoleSettings};
use crate::permissions::Permissions;
use crate::plan::{
    Change, ChangeKind, ChannelSpec, Field, Kept, Plan, PlannedOverwrite, Reference, Slot,
    bucket_label, channel_fields, channel_label, role_fields,
};

/// Width of the field-name column under a change.
const FIELD_WIDTH: usize = 12;

pub fn plan(plan: &Plan, style: Style, out: &mut dyn Write) -> io::Result<()> {
    let role_changes: Vec<&Change> = plan.changes.iter().filter(|c| is_role_change(c)).collect();
    let channel_changes: Vec<&Change> =
        plan.changes.iter().filter(|c| !is_role_change(c)).collect();
    if !role_changes.is_empty() {
        writeln!(out, "{}", style.bold("Roles:"))?;
        for change in role_changes {
            change_block(change, style, out)?;
        }
        writeln!(out)?;
    }
    if !channel_changes.is_empty() {
        writeln!(out, "{}", style.bold("Channels:"))?;
        for change in channel_changes {
            change_block(change, style, out)?;
        }
        writeln!(out)?;
    }
    if !plan.kept.is_empty() {
        writeln!(
            out,
            "{}",
            style.bold("Kept as they are (not in the file, and not pruned):")
        )?;
        for kept in &plan.kept {
            writeln!(out, "    {}", style.dim(&kept_label(kept)))?;
        }
        writeln!(out)?;
    }
    if !plan.warnings.is_empty() {
        writeln!(out, "{}", style.bold("Warnings:"))?;
        for warning in &plan.warnings {
            writeln!(out, "  {} {warning}", style.warning("!"))?;
        }
        writeln!(out)?;
    }
    if plan.is_empty() {
        writeln!(
            out,
            "No changes. The guild \"{}\" matches the file.",
            plan.guild_name
        )
    } else {
        let summary = plan.summary();
        writeln!(
            out,
            "{} {} to create, {} to update, {} to delete, {} to reorder.",
            style.bold("Plan:"),
            summary.create,
            summary.update,
            summary.delete,
            summary.reorder
        )
    }
}

fn is_role_change(change: &Change) -> bool {
    matches!(
        change,
        Change::CreateRole { .. }
            | Change::UpdateRole { .. }
            | Change::UpdateEveryone { .. }
            | Change::DeleteRole { .. }
            | Change::ReorderRoles { .. }
    )
}

fn marker(kind: ChangeKind, style: Style) -> String {
    match kind {
        ChangeKind::Create => style.create("+"),
        ChangeKind::Update => style.update("~"),
        ChangeKind::Delete => style.delete("-"),
        ChangeKind::Reorder => style.reorder("↕"),
    }
}

fn change_block(change: &Change, style: Style, out: &mut dyn Write) -> io::Result<()> {
    let mark = marker(change.kind(), style);
    match change {
        Change::CreateRole { key, role } => {
            writeln!(
                out,
                "  {mark} role \"{}\" {}",
                role.name,
                style.dim(&format!("[{key}]"))
            )?;
            new_role_fields(role, out)?;
        }
        Change::UpdateRole {
            key, before, after, ..
        } => {
            writeln!(
                out,
                "  {mark} role \"{}\" {}",
                after.name,
                style.dim(&format!("[{key}]"))
            )?;
            for field in role_fields(before, after) {
                role_field(field, before, after, style, out)?;
            }
        }
        Change::UpdateEveryone { before, after } => {
            writeln!(out, "  {mark} @everyone")?;
            field_line(
                "permissions",
                &permission_delta(*before, *after, style),
                out,
            )?;
        }
        Change::DeleteRole { role, .. } => {
            writeln!(
                out,
                "  {mark} role \"{}\" {}",
                style.delete(&role.name),
                style.dim("(not in the file; roles are pruned)")
            )?;
        }
        Change::ReorderRoles { before, after } => {
            writeln!(out, "  {mark} order of roles, top to bottom:")?;
            order_lines(before, after, style, out)?;
        }
        Change::CreateChannel { channel } => {
            writeln!(
                out,
                "  {mark} {}{}",
                channel_label(channel.kind, &channel.name),
                parent_suffix(channel)
            )?;
            new_channel_fields(channel, style, out)?;
        }
        Change::UpdateChannel { before, after, .. } => {
            writeln!(out, "  {mark} {}", channel_label(before.kind, &before.name))?;
            for field in channel_fields(before, after) {
                channel_field(field, before, after, style, out)?;
            }
        }
        Change::DeleteChannel { channel, .. } => {
            writeln!(
                out,
                "  {mark} {}{} {}",
                style.delete(&channel_label(channel.kind, &channel.name)),
                parent_suffix(channel),
                style.dim("(not in the file; channels are pruned)")
            )?;
        }
        Change::ReorderChannels {
            parent,
            bucket,
            before,
            after,
        } => {
            writeln!(
                out,
                "  {mark} order of {}:",
                bucket_label(parent.as_ref(), *bucket)
            )?;
            order_lines(before, after, style, out)?;
        }
    }
    Ok(())
}

fn parent_suffix(channel: &ChannelSpec) -> String {
    channel
        .parent
        .as_ref()
        .map_or_else(String::new, |parent| format!(" in \"{}\"", parent.name))
}

fn field_line(label: &str, value: &str, out: &mut dyn Write) -> io::Result<()> {
    writeln!(out, "      {label:<FIELD_WIDTH$} {value}")
}

fn new_role_fields(role: &RoleSettings, out: &mut dyn Write) -> io::Result<()> {
    if role.color != 0 {
        field_line("color", &color(role.color), out)?;
    }
    if role.hoist {
        field_line("hoist", "true", out)?;
    }
    if role.mentionable {
        field_line("mentionable", "true", out)?;
    }
    field_line("permissions", &role.permissions.to_string(), out)
}

fn role_field(
    field: Field,
    before: &RoleSettings,
    after: &RoleSettings,
    style: Style,
    out: &mut dyn Write,
) -> io::Result<()> {
    let value = match field {
        Field::Name => format!("\"{}\" → \"{}\"", before.name, after.name),
        Field::Color => format!("{} → {}", color(before.color), color(after.color)),
        Field::Hoist => format!("{} → {}", before.hoist, after.hoist),
        Field::Mentionable => format!("{} → {}", before.mentionable, after.mentionable),
        Field::Permissions => permission_delta(before.permissions, after.permissions, style),
        _ => return Ok(()),
    };
    field_line(field.label(), &value, out)
}

fn color(value: u32) -> String {
    if value == 0 {
        "none".to_owned()
    } else {
        format!("#{value:06x}")
    }
}

/// `+ kick_members, - ban_members`
fn permission_delta(before: Permissions, after: Permissions, style: Style) -> String {
    let added = after.difference(before);
    let removed = before.difference(after);
    let mut parts: Vec<String> = added
        .names()
        .iter()
        .map(|name| style.create(&format!("+ {name}")))
        .collect();
    parts.extend(
        removed
            .names()
            .iter()
            .map(|name| style.delete(&format!("- {name}"))),
    );
    parts.join(", ")
}

fn new_channel_fields(channel: &ChannelSpec, style: Style, out: &mut dyn Write) -> io::Result<()> {
    let defaults = ChannelSettings::defaults_for(channel.kind);
    let settings = &channel.settings;
    match &settings.topic {
        Some(topic) if topic.chars().count() <= 120 && !topic.contains('\n') => {
            field_line("topic", &format!("\"{topic}\""), out)?
        }
        Some(topic) => text_field("topic", None, Some(topic), style, out)?,
        None => {}
    }
    if settings.nsfw != defaults.nsfw {
        field_line("nsfw", "true", out)?;
    }
    if settings.slowmode != defaults.slowmode {
        field_line("slowmode", &seconds(settings.slowmode), out)?;
    }
    if settings.bitrate != defaults.bitrate {
        field_line("bitrate", &bitrate(settings.bitrate), out)?;
    }
    if settings.user_limit != defaults.user_limit {
        field_line("user_limit", &user_limit(settings.user_limit), out)?;
    }
    if channel.synced {
        field_line("overwrites", "synced with the category", out)?;
    } else if !channel.overwrites.is_empty() {
        writeln!(out, "      overwrites")?;
        for overwrite in &channel.overwrites {
            writeln!(
                out,
                "        {} {}",
                style.create("+"),
                overwrite_text(overwrite)
            )?;
        }
    }
    Ok(())
}

fn channel_field(
    field: Field,
    before: &ChannelSpec,
    after: &ChannelSpec,
    style: Style,
    out: &mut dyn Write,
) -> io::Result<()> {
    let (b, a) = (&before.settings, &after.settings);
    let value = match field {
        Field::Name => format!("\"{}\" → \"{}\"", before.name, after.name),
        Field::Parent => {
            let name = |spec: &ChannelSpec| {
                spec.parent
                    .as_ref()
                    .map_or_else(|| "(none)".to_owned(), |p| format!("\"{}\"", p.name))
            };
            format!("{} → {}", name(before), name(after))
        }
        Field::Topic => {
            return text_field("topic", b.topic.as_deref(), a.topic.as_deref(), style, out);
        }
        Field::Nsfw => format!("{} → {}", b.nsfw, a.nsfw),
        Field::Slowmode => format!("{} → {}", seconds(b.slowmode), seconds(a.slowmode)),
        Field::Bitrate => format!("{} → {}", bitrate(b.bitrate), bitrate(a.bitrate)),
        Field::UserLimit => format!(
            "{} → {}",
            user_limit(b.user_limit),
            user_limit(a.user_limit)
        ),
        Field::Overwrites => return overwrite_delta(before, after, style, out),
        _ => return Ok(()),
    };
    field_line(field.label(), &value, out)
}

fn seconds(value: u32) -> String {
    if value == 0 {
        "off".to_owned()
    } else {
        format!("{value}s")
    }
}

fn bitrate(value: Option<u32>) -> String {
    format!("{} kbps", value.unwrap_or(DEFAULT_BITRATE) / 1000)
}

fn user_limit(value: Option<u32>) -> String {
    match value.unwrap_or(0) {
        0 => "unlimited".to_owned(),
        limit => limit.to_string(),
    }
}

/// Short text inline (`"a" → "b"`), long or multi-line text as a line diff.
fn text_field(
    label: &str,
    before: Option<&str>,
    after: Option<&str>,
    style: Style,
    out: &mut dyn Write,
) -> io::Result<()> {
    let short =
        |text: Option<&str>| text.is_none_or(|t| t.chars().count() <= 120 && !t.contains('\n'));
    let quoted =
        |text: Option<&str>| text.map_or_else(|| "(none)".to_owned(), |t| format!("\"{t}\""));
    if short(before) && short(after) {
        return field_line(
            label,
            &format!("{} → {}", quoted(before), quoted(after)),
            out,
        );
    }
    writeln!(out, "      {label}")?;
    let (old, new) = (before.unwrap_or(""), after.unwrap_or(""));
    let diff = TextDiff::from_lines(old, new);
    for change in diff.iter_all_changes() {
        let line = change.value().trim_end_matches('\n');
        match change.tag() {
            ChangeTag::Delete => writeln!(out, "        {}", style.delete(&format!("- {line}")))?,
            ChangeTag::Insert => writeln!(out, "        {}", style.create(&format!("+ {line}")))?,
            ChangeTag::Equal => writeln!(out, "          {line}")?,
        }
    }
    Ok(())
}

fn overwrite_text(overwrite: &PlannedOverwrite) -> String {
    let mut parts = Vec::new();
    if !overwrite.allow.is_empty() {
        parts.push(format!("allow {}", overwrite.allow));
    }
    if !overwrite.deny.is_empty() {
        parts.push(format!("deny {}", overwrite.deny));
    }
    format!("{}: {}", overwrite.label, parts.join("; "))
}

fn overwrite_delta(
    before: &ChannelSpec,
    after: &ChannelSpec,
    style: Style,
    out: &mut dyn Write,
) -> io::Result<()> {
    let suffix = if after.synced {
        " (synced with the category)"
    } else {
        ""
    };
    writeln!(out, "      overwrites{suffix}")?;
    for new in &after.overwrites {
        match before
            .overwrites
            .iter()
            .find(|old| old.target == new.target)
        {
            None => writeln!(out, "        {} {}", style.create("+"), overwrite_text(new))?,
            Some(old) if !old.same_effect(new) => {
                let rest = |o: &PlannedOverwrite| {
                    overwrite_text(o)
                        .split_once(": ")
                        .map(|(_, r)| r.to_owned())
                        .unwrap_or_default()
                };
                writeln!(
                    out,
                    "        {} {}: {} → {}",
                    style.update("~"),
                    new.label,
                    rest(old),
                    rest(new)
                )?;
            }
            Some(_) => {}
        }
    }
    for old in &before.overwrites {
        if !after.overwrites.iter().any(|new| new.target == old.target) {
            writeln!(out, "        {} {}", style.delete("-"), overwrite_text(old))?;
        }
    }
    Ok(())
}

/// The list after the reorder; moved entries marked with where they were.
fn order_lines<R: Reference>(
    before: &[Slot<R>],
    after: &[Slot<R>],
    style: Style,
    out: &mut dyn Write,
) -> io::Result<()> {
    for (index, slot) in after.iter().enumerate() {
        let was = before
            .iter()
            .position(|old| old.reference == slot.reference);
        let moved = was != Some(index);
        let name = if slot.managed {
            slot.name.clone()
        } else {
            style.dim(&format!("{} (not in the file, keeps its place)", slot.name))
        };
        if moved {
            let from = was.map_or_else(
                || "new".to_owned(),
                |was| format!("was {}", ordinal(was + 1)),
            );
            writeln!(
                out,
                "      {} {name} {}",
                style.reorder("→"),
                style.dim(&format!("({from})"))
            )?;
        } else {
            writeln!(out, "        {name}")?;
        }
    }
    Ok(())
}

fn ordinal(n: usize) -> String {
    let suffix = match (n % 10, n % 100) {
        (_, 11..=13) => "th",
        (1, _) => "st",
        (2, _) => "nd",
        (3, _) => "rd",
        _ => "th",
    };
    format!("{n}{suffix}")
}

fn kept_label(kept: &Kept) -> String {
    match kept {
        Kept::Role { name, .. } => format!("role \"{name}\""),
        Kept::Channel {
            name, kind, parent, ..
        } => {
            let label = match kind {
                ChannelKind::Other(_) => format!(
                    "{} (a kind this version does not manage)",
                    channel_label(*kind, name)
                ),
                _ => channel_label(*kind, name),
            };
            match parent {
                Some(parent) => format!("{label} in \"{parent}\""),
                None => label,
            }
        }
    }
}

/// What `apply` did, or how far it got.
pub fn report(report: &ApplyReport, style: Style, out: &mut dyn Write) -> io::Result<()> {
    let count = |kind: ChangeKind| report.done.iter().filter(|c| c.kind() == kind).count();
    for note in &report.recovered {
        writeln!(out, "{} {note}", style.hint("note:"))?;
    }
    match &report.failed {
        None => writeln!(
            out,
            "{} {} created, {} updated, {} deleted, {} reordered.",
            style.bold("Apply complete:"),
            count(ChangeKind::Create),
            count(ChangeKind::Update),
            count(ChangeKind::Delete),
            count(ChangeKind::Reorder)
        ),
        Some((change, _)) => {
            writeln!(
                out,
                "{} stopped at: {}",
                style.error("Apply incomplete:"),
                change.describe()
            )?;
            writeln!(out, "  done ({}):", report.done.len())?;
            for change in &report.done {
                writeln!(
                    out,
                    "    {} {}",
                    marker(change.kind(), style),
                    change.describe()
                )?;
            }
            writeln!(out, "  not done ({}):", report.remaining.len() + 1)?;
            writeln!(
                out,
                "    {} {} (failed)",
                marker(change.kind(), style),
                change.describe()
            )?;
            for change in &report.remaining {
                writeln!(
                    out,
                    "    {} {}",
                    marker(change.kind(), style),
                    change.describe()
                )?;
            }
            writeln!(
                out,
                "Fix the cause below and run apply again: it plans only what is left, and creates nothing twice."
            )
        }
    }
}
