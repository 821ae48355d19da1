//! Threads in the human plan (and the Markdown plan, which shares its blocks): a created post
//! with its tags, flags and a preview of its first message; an update field by field (the
//! first message as a line diff when long); a pruned thread with its title.

use std::io::{self, Write};

use super::Style;
use super::human::{field_line, text_field};
use crate::plan::{Change, ThreadSpec, pick_label, thread_word};

pub(super) fn thread_block(
    change: &Change,
    mark: &str,
    style: Style,
    out: &mut dyn Write,
) -> io::Result<()> {
    match change {
        Change::CreateThread { thread, post } => {
            writeln!(
                out,
                "  {mark} {} \"{}\" in {}",
                thread_word(*post),
                thread.title,
                pick_label(&thread.channel)
            )?;
            if !thread.source.is_empty() {
                field_line("message", &format!("from {}", thread.source), out)?;
            }
            super::community::message_preview(&thread.content, out)?;
            if !thread.tags.is_empty() {
                field_line("tags", &thread.tags.join(", "), out)?;
            }
            for (on, label) in [
                (thread.pinned, "pinned"),
                (thread.locked, "locked"),
                (thread.archived, "archived"),
            ] {
                if on {
                    field_line(label, "true", out)?;
                }
            }
            if let Some(minutes) = thread.auto_archive {
                field_line("auto_archive", &format!("{minutes} minutes"), out)?;
            }
        }
        Change::UpdateThread {
            post,
            message_id,
            before,
            after,
            ..
        } => {
            writeln!(
                out,
                "  {mark} {} \"{}\" in {}",
                thread_word(*post),
                after.title,
                pick_label(&after.channel)
            )?;
            if before.title != after.title {
                text_field("title", Some(&before.title), Some(&after.title), style, out)?;
            }
            if message_id.is_none() {
                field_line(
                    "message",
                    &format!("(missing) → from {}", after.source),
                    out,
                )?;
            } else if before.content != after.content {
                text_field(
                    "message",
                    Some(&before.content),
                    Some(&after.content),
                    style,
                    out,
                )?;
            }
            if before.tags != after.tags {
                field_line(
                    "tags",
                    &format!("{} → {}", list(&before.tags), list(&after.tags)),
                    out,
                )?;
            }
            flag_changes(before, after, out)?;
        }
        Change::DeleteThread { thread, .. } => {
            writeln!(
                out,
                "  {mark} thread \"{}\" in {} {}",
                style.delete(&thread.title),
                pick_label(&thread.channel),
                style.dim("(the bot's, not in the file; threads are pruned)")
            )?;
        }
        _ => {}
    }
    Ok(())
}

fn list(tags: &[String]) -> String {
    if tags.is_empty() {
        "(none)".to_owned()
    } else {
        tags.join(", ")
    }
}

fn flag_changes(before: &ThreadSpec, after: &ThreadSpec, out: &mut dyn Write) -> io::Result<()> {
    for (b, a, label) in [
        (before.pinned, after.pinned, "pinned"),
        (before.locked, after.locked, "locked"),
        (before.archived, after.archived, "archived"),
    ] {
        if b != a {
            field_line(label, &format!("{b} → {a}"), out)?;
        }
    }
    if let (Some(b), Some(a)) = (before.auto_archive, after.auto_archive)
        && b != a
    {
        field_line("auto_archive", &format!("{b} → {a} minutes"), out)?;
    }
    Ok(())
}
