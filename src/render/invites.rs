//! Invites and the widget in a plan: an invite by its channel and settings in words, never its
//! code ("invite to #welcome (permanent, unlimited uses)").

use std::io::{self, Write};

use super::Style;
use super::human::field_line;
use crate::model::invites::describe_age;
use crate::plan::{Change, InviteDeleteReason, InviteSpec, WidgetSpec, pick_label};

/// The block of one invite or widget change; `mark` is its `+`/`~`/`-`.
pub(super) fn change_block(
    change: &Change,
    mark: &str,
    style: Style,
    out: &mut dyn Write,
) -> io::Result<()> {
    match change {
        Change::CreateInvite { invite, replaces } => {
            writeln!(out, "  {mark} invite to {}", pick_label(&invite.channel))?;
            settings(invite, out)?;
            if let Some(old) = replaces {
                field_line(
                    "replaces",
                    &format!(
                        "the bot's invite there ({}): Discord cannot edit an invite, so this one is created and the old one deleted; the link changes",
                        old.describe_settings()
                    ),
                    out,
                )?;
            }
        }
        Change::DeleteInvite { invite, reason, .. } => {
            let why = match reason {
                InviteDeleteReason::Replaced => "(replaced by the new invite above)",
                InviteDeleteReason::NotInFile => "(the bot's invite, no longer in the file)",
                InviteDeleteReason::Pruned => "(not in the file; invites are pruned)",
            };
            writeln!(
                out,
                "  {mark} {} ({}) {}",
                style.delete(&format!("invite to {}", pick_label(&invite.channel))),
                invite.describe_settings(),
                style.dim(why)
            )?;
        }
        Change::UpdateWidget { before, after } => {
            writeln!(out, "  {mark} server widget")?;
            if before.enabled != after.enabled {
                field_line(
                    "enabled",
                    &format!("{} → {}", before.enabled, after.enabled),
                    out,
                )?;
            }
            if widget_channel(before) != widget_channel(after) {
                field_line(
                    "channel",
                    &format!("{} → {}", widget_channel(before), widget_channel(after)),
                    out,
                )?;
            }
        }
        _ => {}
    }
    Ok(())
}

fn settings(invite: &InviteSpec, out: &mut dyn Write) -> io::Result<()> {
    let age = match invite.max_age {
        0 => "never expires".to_owned(),
        seconds => format!("expires after {}", describe_age(seconds)),
    };
    field_line("max_age", &age, out)?;
    let uses = match invite.max_uses {
        0 => "unlimited".to_owned(),
        n => n.to_string(),
    };
    field_line("max_uses", &uses, out)?;
    if invite.temporary {
        field_line(
            "temporary",
            "true (members leave when they disconnect)",
            out,
        )?;
    }
    Ok(())
}

fn widget_channel(widget: &WidgetSpec) -> String {
    widget
        .channel
        .as_ref()
        .map_or_else(|| "(none)".to_owned(), pick_label)
}
