//! The drift report for people (terminal) and machines (`drift --json`).
//!
//! Changed-by-hand items are shown as found (the file → the guild now); missing and added
//! items as the plan's create and delete, since that is what `apply` would do about them.

use std::io::{self, Write};

use serde::Serialize;

use super::Style;
use super::human::{change_block, kept_label};
use crate::drift::{AccessNotes, Drift, DriftKind, DriftSummary, as_found};

/// The heading of each kind of drift.
pub(super) fn heading(kind: DriftKind) -> &'static str {
    match kind {
        DriftKind::Changed => "Changed by hand",
        DriftKind::Missing => "Missing from the guild",
        DriftKind::Added => "Added outside the file",
    }
}

/// What the items under a heading show.
pub(super) fn reading(kind: DriftKind) -> &'static str {
    match kind {
        DriftKind::Changed => "the file → the guild now",
        DriftKind::Missing => "apply would create",
        DriftKind::Added => "the file prunes these; apply would delete",
    }
}

/// `1 changed by hand, 2 missing, 0 added outside the file`
pub(super) fn counts(summary: DriftSummary) -> String {
    format!(
        "{} changed by hand, {} missing, {} added outside the file",
        summary.changed, summary.missing, summary.added
    )
}

/// The item's change as the report shows it.
pub(super) fn shown(item: &crate::drift::DriftItem) -> crate::plan::Change {
    match item.drift {
        DriftKind::Changed => as_found(&item.fix),
        DriftKind::Missing | DriftKind::Added => item.fix.clone(),
    }
}

pub fn human(
    drift: &Drift,
    access: &AccessNotes,
    style: Style,
    out: &mut dyn Write,
) -> io::Result<()> {
    if drift.sandbox {
        super::human::sandbox_header("Drift", &drift.guild_name, style, out)?;
    }
    if !access.is_empty() {
        let title = if access.widens {
            style.warning("Who can see what (access was widened by hand):")
        } else {
            style.bold("Who can see what:")
        };
        writeln!(out, "{title}")?;
        for line in &access.lines {
            writeln!(out, "  {} {}", style.warning("!"), line.text)?;
        }
        writeln!(out)?;
    }
    for kind in DriftKind::ALL {
        let items: Vec<_> = drift.of_kind(kind).collect();
        if items.is_empty() {
            continue;
        }
        writeln!(
            out,
            "{} {}",
            style.bold(heading(kind)),
            style.dim(&format!("({}):", reading(kind)))
        )?;
        for item in items {
            change_block(&shown(item), style, out)?;
        }
        writeln!(out)?;
    }
    if !drift.unmanaged.is_empty() {
        writeln!(
            out,
            "{}",
            style.bold("Not in the file and not pruned (not drift):")
        )?;
        for kept in &drift.unmanaged {
            writeln!(out, "    {}", style.dim(&kept_label(kept)))?;
        }
        writeln!(out)?;
    }
    if drift.in_sync() {
        writeln!(
            out,
            "No drift. The guild \"{}\" matches the file.",
            drift.guild_name
        )
    } else {
        writeln!(
            out,
            "{} {}. `miyabi-guild plan` shows how apply would restore the file.",
            style.bold("Drift:"),
            counts(drift.summary())
        )
    }
}

#[derive(Serialize)]
struct DriftDocument<'a> {
    format_version: u32,
    in_sync: bool,
    summary: DriftSummary,
    access: &'a [crate::plan::AccessLine],
    #[serde(flatten)]
    drift: &'a Drift,
}

/// The JSON document `drift --json` prints (documented in the README).
pub fn json(drift: &Drift, access: &AccessNotes, out: &mut dyn Write) -> io::Result<()> {
    let document = DriftDocument {
        format_version: 1,
        in_sync: drift.in_sync(),
        summary: drift.summary(),
        access: &access.lines,
        drift,
    };
    serde_json::to_writer_pretty(&mut *out, &document)?;
    writeln!(out)
}
