//! The plan and the apply report as a person reads them, terraform-style.

use std::collections::HashSet;
use std::io::{self, Write};

use similar::{ChangeTag, TextDiff};

use super::Style;
use crate::apply::{ApplyReport, NotDone};
use crate::model::guild_values::{
    CONTENT_FILTERS, NOTIFICATIONS, SYSTEM_CHANNEL_FLAGS, VERIFICATION_LEVELS, name_of,
};
use crate::model::{
    ChannelKind, ChannelSettings, DEFAULT_AUTO_ARCHIVE, DEFAULT_BITRATE, Emoji, ForumLayout,
    ForumSortOrder, ForumTag, RoleSettings, VideoQuality,
};
use crate::permissions::Permissions;
use crate::plan::{
    Change, ChangeKind, ChannelSpec, DeleteReason, Field, GuildSpec, Kept, MatchedBy, Plan,
    PlannedOverwrite, Reference, Slot, bucket_label, channel_fields, channel_label, guild_fields,
    pick_label, predicted_before, role_fields, same_overwrites,
};

mod fields;
pub(super) use fields::emoji_text;
use fields::*;

/// Width of the field-name column under a change: the longest setting name.
const FIELD_WIDTH: usize = 23;

/// Narrowing access changes shown before the rest are summed up.
const ACCESS_SHOWN: usize = 12;

/// Who gains or loses access: every widening (a warning), the first narrowings, then a count.
fn access_section(plan: &Plan, style: Style, out: &mut dyn Write) -> io::Result<()> {
    if plan.access.is_empty() {
        return Ok(());
    }
    writeln!(out, "{}", style.bold("Access:"))?;
    let (widening, narrowing): (Vec<_>, Vec<_>) = plan.access.iter().partition(|line| line.widens);
    for line in &widening {
        writeln!(out, "  {} {}", style.warning("!"), line.text)?;
    }
    for line in narrowing.iter().take(ACCESS_SHOWN) {
        writeln!(out, "    {}", line.text)?;
    }
    if narrowing.len() > ACCESS_SHOWN {
        writeln!(
            out,
            "    {}",
            style.dim(&format!(
                "… and {} more (`miyabi-guild access --compare` shows them all)",
                narrowing.len() - ACCESS_SHOWN
            ))
        )?;
    }
    if !widening.is_empty() {
        writeln!(
            out,
            "  {} this plan opens up access ({} change{} marked !): check them before you confirm",
            style.warning("!"),
            widening.len(),
            if widening.len() == 1 { "" } else { "s" }
        )?;
    }
    writeln!(out)
}

/// The sections of a plan, in the order they print.
pub(super) const SECTIONS: &[&str] = &[
    "Guild",
    "Roles",
    "Staff roster",
    "Channels",
    "Welcome screen and onboarding",
    "AutoMod",
    "Events",
    "Webhooks",
    "Invites and the widget",
    "Posted messages",
    "Threads",
    "Emojis",
    "Soundboard",
    "Stickers",
];

pub(super) fn section_of(change: &Change) -> &'static str {
    match change {
        Change::UpdateGuild { .. } => "Guild",
        Change::CreateRole { .. }
        | Change::UpdateRole { .. }
        | Change::UpdateEveryone { .. }
        | Change::DeleteRole { .. }
        | Change::ReorderRoles { .. } => "Roles",
        Change::CreateChannel { .. }
        | Change::UpdateChannel { .. }
        | Change::DeleteChannel { .. }
        | Change::ReorderChannels { .. } => "Channels",
        Change::UpdateWelcomeScreen { .. } | Change::UpdateOnboarding { .. } => {
            "Welcome screen and onboarding"
        }
        Change::CreateAutoModRule { .. }
        | Change::UpdateAutoModRule { .. }
        | Change::DeleteAutoModRule { .. } => "AutoMod",
        Change::CreateEvent { .. } | Change::UpdateEvent { .. } | Change::DeleteEvent { .. } => {
            "Events"
        }
        Change::CreateWebhook { .. }
        | Change::UpdateWebhook { .. }
        | Change::DeleteWebhook { .. } => "Webhooks",
        Change::CreateInvite { .. } | Change::DeleteInvite { .. } | Change::UpdateWidget { .. } => {
            "Invites and the widget"
        }
        Change::PostMessage { .. }
        | Change::EditMessage { .. }
        | Change::PinMessage { .. }
        | Change::DeleteMessage { .. } => "Posted messages",
        Change::AssignRole { .. } | Change::UnassignRole { .. } => "Staff roster",
        Change::CreateThread { .. } | Change::UpdateThread { .. } | Change::DeleteThread { .. } => {
            "Threads"
        }
        Change::CreateEmoji { .. }
        | Change::UpdateEmoji { .. }
        | Change::ReplaceEmoji { .. }
        | Change::DeleteEmoji { .. } => "Emojis",
        Change::CreateSound { .. }
        | Change::UpdateSound { .. }
        | Change::ReplaceSound { .. }
        | Change::DeleteSound { .. } => "Soundboard",
        Change::CreateSticker { .. }
        | Change::UpdateSticker { .. }
        | Change::ReplaceSticker { .. }
        | Change::DeleteSticker { .. } => "Stickers",
    }
}

pub fn plan(plan: &Plan, style: Style, out: &mut dyn Write) -> io::Result<()> {
    if plan.sandbox {
        sandbox_header("Plan", &plan.guild_name, style, out)?;
    }
    if plan.partial {
        partial_header(plan, style, out)?;
    }
    for section in SECTIONS {
        let changes: Vec<&Change> = plan
            .changes
            .iter()
            .filter(|c| section_of(c) == *section)
            .collect();
        if changes.is_empty() {
            continue;
        }
        writeln!(out, "{}", style.bold(&format!("{section}:")))?;
        for change in changes {
            change_block(change, style, out)?;
        }
        writeln!(out)?;
    }
    access_section(plan, style, out)?;
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
    summary(plan, style, out)
}

/// `Partial plan: only channel:#rules and what it needs; …` (`--target`).
fn partial_header(plan: &Plan, style: Style, out: &mut dyn Write) -> io::Result<()> {
    writeln!(
        out,
        "{} only {} and what {}; the rest of the file is not compared.",
        style.bold("Partial plan:"),
        plan.targets.join(", "),
        if plan.targets.len() == 1 {
            "it needs"
        } else {
            "they need"
        },
    )?;
    if plan.changes.iter().any(|c| c.kind() == ChangeKind::Reorder) {
        writeln!(
            out,
            "  {}",
            style.dim("A reorder that holds a target applies its whole list's order.")
        )?;
    }
    writeln!(out)
}

/// The plan's last line: `Plan: 3 to create, …`, or `No changes. …` (all that `--quiet` prints).
pub fn summary(plan: &Plan, style: Style, out: &mut dyn Write) -> io::Result<()> {
    let sandbox = match (plan.sandbox, plan.partial) {
        (true, true) => " (sandbox) (partial)",
        (true, false) => " (sandbox)",
        (false, true) => " (partial)",
        (false, false) => "",
    };
    if plan.is_empty() && plan.partial {
        writeln!(
            out,
            "No changes. The targeted objects of \"{}\"{} match the file.",
            plan.guild_name,
            if plan.sandbox { " (sandbox)" } else { "" }
        )
    } else if plan.is_empty() {
        writeln!(
            out,
            "No changes. The guild \"{}\"{sandbox} matches the file.",
            plan.guild_name
        )
    } else {
        let summary = plan.summary();
        writeln!(
            out,
            "{} {} to create, {} to update, {} to delete, {} to reorder.{sandbox}",
            style.bold("Plan:"),
            summary.create,
            summary.update,
            summary.delete,
            summary.reorder
        )
    }
}

/// `Plan for "Miyabi" (sandbox): …`, so output made against the sandbox is never mistaken for
/// a real server's.
pub(super) fn sandbox_header(
    what: &str,
    guild: &str,
    style: Style,
    out: &mut dyn Write,
) -> io::Result<()> {
    writeln!(
        out,
        "{} {}",
        style.bold(&format!("{what} for \"{guild}\" (sandbox):")),
        style.dim("the built-in emulator guild, not a real Discord server")
    )?;
    writeln!(out)
}

pub(super) fn marker(kind: ChangeKind, style: Style) -> String {
    match kind {
        ChangeKind::Create => style.create("+"),
        ChangeKind::Update => style.update("~"),
        ChangeKind::Delete => style.delete("-"),
        ChangeKind::Reorder => style.reorder("↕"),
    }
}

pub(super) fn change_block(change: &Change, style: Style, out: &mut dyn Write) -> io::Result<()> {
    let mark = marker(change.kind(), style);
    if super::expressions::emoji_block(change, &mark, style, out)? {
        return Ok(());
    }
    match change {
        // Written by `emoji_block` above.
        Change::CreateEmoji { .. }
        | Change::UpdateEmoji { .. }
        | Change::ReplaceEmoji { .. }
        | Change::DeleteEmoji { .. }
        | Change::CreateSound { .. }
        | Change::UpdateSound { .. }
        | Change::ReplaceSound { .. }
        | Change::DeleteSound { .. }
        | Change::CreateSticker { .. }
        | Change::UpdateSticker { .. }
        | Change::ReplaceSticker { .. }
        | Change::DeleteSticker { .. } => {}
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
            list_field(
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
        Change::AssignRole { .. } | Change::UnassignRole { .. } => {
            super::roster::change_block(change, &mark, style, out)?;
        }
        Change::ReorderRoles { before, after } => {
            let moved = moved_roles(before, after);
            let declared = after.iter().filter(|slot| slot.managed).count();
            writeln!(
                out,
                "  {mark} order of roles, top to bottom: {} of {declared} declared role{} move{}; the others keep their order",
                moved.len(),
                if declared == 1 { "" } else { "s" },
                if moved.len() == 1 { "s" } else { "" },
            )?;
            for index in moved {
                let slot = &after[index];
                let from = before
                    .iter()
                    .position(|old| old.reference == slot.reference)
                    .map_or_else(
                        || "new".to_owned(),
                        |was| format!("was {}", ordinal(was + 1)),
                    );
                writeln!(
                    out,
                    "      {} {} {}",
                    style.reorder("→"),
                    slot.name,
                    style.dim(&format!("(now {}, {from})", ordinal(index + 1)))
                )?;
            }
        }
        Change::CreateChannel { channel, .. } => {
            writeln!(
                out,
                "  {mark} {}{}",
                channel_label(channel.kind, &channel.name),
                parent_suffix(channel)
            )?;
            new_channel_fields(channel, style, out)?;
        }
        Change::UpdateChannel {
            before,
            after,
            matched_by,
            predicted_overwrites,
            ..
        } => {
            // Where a name repeats, the category is part of the channel's identity: say where
            // it is and which rule found it.
            let rule = match matched_by {
                MatchedBy::NameInCategory
                | MatchedBy::FormerNameInCategory
                | MatchedBy::FormerPlace => matched_by.describe(),
                _ => None,
            };
            match rule {
                Some(rule) => writeln!(
                    out,
                    "  {mark} {}{} {}",
                    channel_label(before.kind, &before.name),
                    parent_suffix(before),
                    style.dim(&format!("({rule})"))
                )?,
                None => writeln!(out, "  {mark} {}", channel_label(before.kind, &before.name))?,
            }
            // The live value is `before`; Discord's own copy of the category's overwrites comes
            // first, so the fields compare from there, and the plan says so.
            let effective = predicted_before(before, predicted_overwrites.as_deref());
            if predicted_overwrites
                .as_deref()
                .is_some_and(|predicted| !same_overwrites(predicted, &before.overwrites))
            {
                writeln!(
                    out,
                    "      {}",
                    style.dim(
                        "overwrites: synced with its category, so Discord copies the category's new overwrites here first (predicted)"
                    )
                )?;
            }
            for field in channel_fields(&effective, after) {
                channel_field(field, &effective, after, style, out)?;
            }
        }
        Change::DeleteChannel {
            channel, reason, ..
        } => {
            let why = match reason {
                DeleteReason::Pruned => "(not in the file; channels are pruned)".to_owned(),
                DeleteReason::Replaced { by } => format!("(replaced by a {})", by.describe()),
            };
            writeln!(
                out,
                "  {mark} {}{} {}",
                style.delete(&channel_label(channel.kind, &channel.name)),
                parent_suffix(channel),
                style.dim(&why)
            )?;
        }
        Change::UpdateWelcomeScreen { before, after } => {
            writeln!(out, "  {mark} welcome screen")?;
            super::community::welcome_screen(before.as_ref(), after, style, out)?;
        }
        Change::UpdateOnboarding { before, after, .. } => {
            writeln!(out, "  {mark} onboarding")?;
            super::community::onboarding(before.as_ref(), after, style, out)?;
        }
        Change::CreateAutoModRule { rule } => {
            writeln!(out, "  {mark} rule \"{}\"", rule.name)?;
            super::community::automod_rule(None, rule, style, out)?;
        }
        Change::UpdateAutoModRule { before, after, .. } => {
            writeln!(out, "  {mark} rule \"{}\"", after.name)?;
            super::community::automod_rule(Some(before), after, style, out)?;
        }
        Change::DeleteAutoModRule { rule, .. } => {
            writeln!(
                out,
                "  {mark} rule \"{}\" {}",
                style.delete(&rule.name),
                style.dim(
                    "(not in the file; AutoMod rules are pruned, or its trigger type changes)"
                )
            )?;
        }
        Change::CreateEvent { event, start, .. } => {
            writeln!(out, "  {mark} event \"{}\"", event.name)?;
            super::community::event(None, event, Some(*start), out)?;
        }
        Change::UpdateEvent {
            before,
            after,
            start,
            ..
        } => {
            writeln!(out, "  {mark} event \"{}\"", after.name)?;
            super::community::event(Some(before), after, Some(*start), out)?;
        }
        Change::DeleteEvent { event, .. } => {
            writeln!(
                out,
                "  {mark} event \"{}\" {}",
                style.delete(&event.name),
                style.dim("(not in the file; events are pruned)")
            )?;
        }
        Change::CreateWebhook { webhook } => {
            writeln!(
                out,
                "  {mark} webhook \"{}\" in {}",
                webhook.name,
                pick_label(&webhook.channel)
            )?;
            if webhook.avatar.is_some() {
                field_line("avatar", "an image", out)?;
            }
        }
        Change::UpdateWebhook { before, after, .. } => {
            writeln!(out, "  {mark} webhook \"{}\"", before.name)?;
            if before.name != after.name {
                field_line(
                    "name",
                    &format!("\"{}\" → \"{}\"", before.name, after.name),
                    out,
                )?;
            }
            if before.channel.channel != after.channel.channel {
                field_line(
                    "channel",
                    &format!(
                        "{} → {}",
                        pick_label(&before.channel),
                        pick_label(&after.channel)
                    ),
                    out,
                )?;
            }
            if before.avatar != after.avatar {
                let image = |value: &Option<String>| super::images::image_label(value.as_deref());
                field_line(
                    "avatar",
                    &format!("{} → {}", image(&before.avatar), image(&after.avatar)),
                    out,
                )?;
            }
        }
        Change::DeleteWebhook { webhook, .. } => {
            writeln!(
                out,
                "  {mark} webhook \"{}\" in {} {}",
                style.delete(&webhook.name),
                pick_label(&webhook.channel),
                style.dim("(not in the file; webhooks are pruned)")
            )?;
        }
        Change::CreateInvite { .. } | Change::DeleteInvite { .. } | Change::UpdateWidget { .. } => {
            super::invites::change_block(change, &mark, style, out)?;
        }
        Change::PostMessage {
            channel,
            source,
            part,
            of,
            content,
            look,
            labels,
            ..
        } => {
            writeln!(
                out,
                "  {mark} message {part}/{of} from {source} in {}",
                pick_label(channel)
            )?;
            if !content.is_empty() {
                let content = super::messages::labelled(content, labels);
                super::community::message_preview(&content, out)?;
            }
            let look = super::messages::labelled_look(look, labels);
            super::messages::posted(&look, out)?;
        }
        Change::EditMessage {
            channel,
            source,
            part,
            of,
            before,
            after,
            before_look,
            after_look,
            labels,
            ..
        } => {
            writeln!(
                out,
                "  {mark} message {part}/{of} from {source} in {}",
                pick_label(channel)
            )?;
            if before != after {
                let before = super::messages::labelled(before, labels);
                let after = super::messages::labelled(after, labels);
                text_field("content", Some(&before), Some(&after), style, out)?;
            }
            let before_look = super::messages::labelled_look(before_look, labels);
            let after_look = super::messages::labelled_look(after_look, labels);
            super::messages::edited(&before_look, &after_look, style, out)?;
        }
        Change::PinMessage {
            channel,
            source,
            part,
            of,
            pin,
            ..
        } => {
            writeln!(
                out,
                "  {mark} message {part}/{of} from {source} in {}",
                pick_label(channel)
            )?;
            super::messages::pinned(*pin, style, out)?;
        }
        Change::DeleteMessage {
            channel, content, ..
        } => {
            writeln!(
                out,
                "  {mark} an earlier message of the tool in {} {}",
                pick_label(channel),
                style.dim("(the file needs fewer messages now)")
            )?;
            super::community::message_preview(content, out)?;
        }
        Change::CreateThread { .. } | Change::UpdateThread { .. } | Change::DeleteThread { .. } => {
            super::threads::thread_block(change, &mark, style, out)?;
        }
        Change::UpdateGuild { before, after, .. } => {
            writeln!(out, "  {mark} the guild's settings")?;
            for field in guild_fields(before, after) {
                field_line(
                    field.label(),
                    &format!(
                        "{} → {}",
                        guild_value(field, before),
                        guild_value(field, after)
                    ),
                    out,
                )?;
            }
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

pub(super) fn field_line(label: &str, value: &str, out: &mut dyn Write) -> io::Result<()> {
    writeln!(out, "      {label:<FIELD_WIDTH$} {value}")
}

/// Past this many characters a list field prints one item per line.
const LIST_WIDTH: usize = 72;

/// Columns `text` takes on a terminal, colour codes (`ESC [ … m`) left out.
fn visible_width(text: &str) -> usize {
    let mut plain = String::with_capacity(text.len());
    let mut in_escape = false;
    for character in text.chars() {
        match (in_escape, character) {
            (false, '\x1b') => in_escape = true,
            (true, 'm') => in_escape = false,
            (true, _) => {}
            (false, c) => plain.push(c),
        }
    }
    unicode_width::UnicodeWidthStr::width(plain.as_str())
}

/// A field whose value is a list (permissions): on one line when it fits, otherwise one item
/// per line, aligned under the first.
fn list_field(label: &str, items: &[String], out: &mut dyn Write) -> io::Result<()> {
    let joined = items.join(", ");
    if items.len() < 2 || visible_width(&joined) <= LIST_WIDTH {
        return field_line(label, &joined, out);
    }
    for (index, item) in items.iter().enumerate() {
        let comma = if index + 1 < items.len() { "," } else { "" };
        let label = if index == 0 { label } else { "" };
        field_line(label, &format!("{item}{comma}"), out)?;
    }
    Ok(())
}

/// Short text inline (`"a" → "b"`), long or multi-line text as a line diff.
pub(super) fn text_field(
    label: &str,
    before: Option<&str>,
    after: Option<&str>,
    style: Style,
    out: &mut dyn Write,
) -> io::Result<()> {
    let short = |text: Option<&str>| text.is_none_or(is_short);
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
    // Only the changed lines with two lines of context around them; `…` between hunks.
    for (index, group) in diff.grouped_ops(2).iter().enumerate() {
        if index > 0 {
            writeln!(out, "          {}", style.dim("…"))?;
        }
        for op in group {
            for change in diff.iter_changes(op) {
                let line = change.value().trim_end_matches('\n');
                match change.tag() {
                    ChangeTag::Delete => {
                        writeln!(out, "        {}", style.delete(&format!("- {line}")))?
                    }
                    ChangeTag::Insert => {
                        writeln!(out, "        {}", style.create(&format!("+ {line}")))?
                    }
                    ChangeTag::Equal => writeln!(out, "          {line}")?,
                }
            }
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

/// Indexes in `after` of the declared roles whose relative order changes: the fewest roles
/// that, moved, turn `before` into `after` (every declared role outside one longest run that
/// keeps its order). Swapping two roles of 44 lists those, not the whole list.
fn moved_roles<R: Reference>(before: &[Slot<R>], after: &[Slot<R>]) -> Vec<usize> {
    // (index in after, index in before) of declared roles that existed before.
    let placed: Vec<(usize, usize)> = after
        .iter()
        .enumerate()
        .filter(|(_, slot)| slot.managed)
        .filter_map(|(index, slot)| {
            let was = before
                .iter()
                .position(|old| old.reference == slot.reference)?;
            Some((index, was))
        })
        .collect();
    // Longest increasing run of `was`, by patience sorting with back links.
    let mut tails: Vec<usize> = Vec::new();
    let mut links: Vec<Option<usize>> = vec![None; placed.len()];
    for (i, (_, was)) in placed.iter().enumerate() {
        let at = tails.partition_point(|&t| placed[t].1 < *was);
        links[i] = at.checked_sub(1).map(|previous| tails[previous]);
        if at == tails.len() {
            tails.push(i);
        } else {
            tails[at] = i;
        }
    }
    let mut keeps: HashSet<usize> = HashSet::new();
    let mut next = tails.last().copied();
    while let Some(i) = next {
        keeps.insert(placed[i].0);
        next = links[i];
    }
    after
        .iter()
        .enumerate()
        .filter(|(index, slot)| slot.managed && !keeps.contains(index))
        .map(|(index, _)| index)
        .collect()
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

pub(super) fn kept_label(kept: &Kept) -> String {
    match kept {
        Kept::Role { name, .. } => format!("role \"{name}\""),
        Kept::AutoModRule { name, .. } => format!("AutoMod rule \"{name}\""),
        Kept::Event { name, .. } => format!("event \"{name}\""),
        Kept::Webhook { name, channel, .. } => format!("webhook \"{name}\" in #{channel}"),
        Kept::Invites { channel, count } => format!(
            "{count} invite{} to {channel} made by members",
            if *count == 1 { "" } else { "s" }
        ),
        Kept::Emoji { name, .. } => format!("emoji :{name}:"),
        Kept::Sound { name, .. } => format!("sound \"{name}\""),
        Kept::Sticker { name, .. } => format!("sticker \"{name}\""),
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
    let headline = match (&report.failed, report.interrupted) {
        (Some((change, _)), _) => format!("stopped at: {}", change.describe()),
        (None, true) => "interrupted (Ctrl-C)".to_owned(),
        (None, false) => {
            return writeln!(
                out,
                "{} {} created, {} updated, {} deleted, {} reordered.",
                style.bold("Apply complete:"),
                count(ChangeKind::Create),
                count(ChangeKind::Update),
                count(ChangeKind::Delete),
                count(ChangeKind::Reorder)
            );
        }
    };
    writeln!(out, "{} {headline}", style.error("Apply incomplete:"))?;
    writeln!(out, "  done ({}):", report.done.len())?;
    for change in &report.done {
        writeln!(
            out,
            "    {} {}",
            marker(change.kind(), style),
            change.describe()
        )?;
    }
    writeln!(out, "  not done ({}):", report.not_done.len())?;
    for (change, why) in &report.not_done {
        let note = match why {
            NotDone::Failed => " (failed)".to_owned(),
            NotDone::AlsoFailed(error) => format!(" (failed too: {error})"),
            NotDone::InFlight => " (in flight: it may or may not have been applied)".to_owned(),
            NotDone::NotStarted => String::new(),
        };
        writeln!(
            out,
            "    {} {}{note}",
            marker(change.kind(), style),
            change.describe()
        )?;
    }
    if report.interrupted {
        writeln!(
            out,
            "Run apply again to finish: it plans only what is left, and creates nothing twice."
        )
    } else {
        writeln!(
            out,
            "Fix the cause below and run apply again: it plans only what is left, and creates nothing twice."
        )
    }
}
