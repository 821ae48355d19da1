//! Drift: the plan seen from the other side.
//!
//! `drift` answers "what was done to the guild behind the file's back?" with the same diff
//! `plan` uses, read in reverse. Each change the plan would make becomes one [`DriftItem`]:
//!
//! - a planned update or reorder: the object was **changed by hand**;
//! - a planned create: the object is **missing** from the guild;
//! - a planned delete (only ever made when the file prunes that collection, or for the tool's
//!   own leftover messages): the object was **added outside the file**.
//!
//! Live objects the file neither declares nor prunes are not drift: they stay in
//! [`Drift::unmanaged`], listed apart. The guild is in sync exactly when the plan is empty.
//!
//! Items keep the plan's change as `fix` (what `apply` would do to restore the file);
//! [`as_found`] turns an update around (file → live) for reports that show what happened.
//! [`AccessNotes`] carries the access module's "who can see what" changes for the reports.

use serde::Serialize;

use crate::model::GuildId;
use crate::plan::{Change, ChangeKind, DeleteReason, Kept, Plan};

/// What kind of difference one item is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DriftKind {
    /// Declared in the file and present, but different: someone changed it by hand.
    Changed,
    /// Declared in the file, absent from the guild.
    Missing,
    /// Present in the guild, not in the file, and the file prunes its collection.
    Added,
}

impl DriftKind {
    pub const ALL: [Self; 3] = [Self::Changed, Self::Missing, Self::Added];

    fn of(change: &Change) -> Self {
        match change {
            // A live channel of another kind stands where the file wants its channel: the kind
            // was changed by hand.
            Change::DeleteChannel {
                reason: DeleteReason::Replaced { .. },
                ..
            } => Self::Changed,
            // Welcome screen and onboarding are "updated" even when the guild has none yet.
            Change::UpdateWelcomeScreen { before: None, .. }
            | Change::UpdateOnboarding { before: None, .. } => Self::Missing,
            _ => match change.kind() {
                ChangeKind::Update | ChangeKind::Reorder => Self::Changed,
                ChangeKind::Create => Self::Missing,
                ChangeKind::Delete => Self::Added,
            },
        }
    }
}

/// One difference between the file and the guild.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct DriftItem {
    pub drift: DriftKind,
    /// A short description: `update #general`, `create role "VIP"`.
    pub object: String,
    /// The plan's change: what `apply` would do to bring the guild back to the file.
    pub fix: Change,
}

/// Every difference between the file and the live guild, grouped by kind.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Drift {
    pub guild_id: GuildId,
    pub guild_name: String,
    /// Read from the built-in sandbox, not a real server.
    pub sandbox: bool,
    /// Changed, then missing, then added; within each, the plan's order.
    pub items: Vec<DriftItem>,
    /// Live objects the file does not declare and does not prune: not drift.
    pub unmanaged: Vec<Kept>,
}

/// How many items of each kind.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct DriftSummary {
    pub changed: usize,
    pub missing: usize,
    pub added: usize,
    pub unmanaged: usize,
}

impl Drift {
    /// The drift a plan shows. Pure: no I/O, the plan's order kept within each kind.
    pub fn from_plan(plan: &Plan) -> Self {
        let mut items: Vec<DriftItem> = plan
            .changes
            .iter()
            .map(|change| DriftItem {
                drift: DriftKind::of(change),
                object: change.describe(),
                fix: change.clone(),
            })
            .collect();
        // Stable: keeps the plan's order within each kind; the staff roster first in each.
        items.sort_by_key(|item| (item.drift, !crate::access::roster::is_roster(&item.fix)));
        Self {
            guild_id: plan.guild_id,
            guild_name: plan.guild_name.clone(),
            sandbox: plan.sandbox,
            items,
            unmanaged: plan.kept.clone(),
        }
    }

    pub fn in_sync(&self) -> bool {
        self.items.is_empty()
    }

    pub fn of_kind(&self, kind: DriftKind) -> impl Iterator<Item = &DriftItem> {
        self.items.iter().filter(move |item| item.drift == kind)
    }

    pub fn summary(&self) -> DriftSummary {
        let count = |kind| self.of_kind(kind).count();
        DriftSummary {
            changed: count(DriftKind::Changed),
            missing: count(DriftKind::Missing),
            added: count(DriftKind::Added),
            unmanaged: self.unmanaged.len(),
        }
    }
}

/// A changed-by-hand item as it was found: before is what the file says, after what the guild
/// has now. Other changes are returned as they are.
pub fn as_found(change: &Change) -> Change {
    let mut found = change.clone();
    match &mut found {
        Change::UpdateRole { before, after, .. } => std::mem::swap(before, after),
        Change::UpdateEveryone { before, after } => std::mem::swap(before, after),
        Change::UpdateChannel {
            before,
            after,
            predicted_overwrites,
            ..
        } => {
            *before = crate::plan::predicted_before(before, predicted_overwrites.as_deref());
            *predicted_overwrites = None;
            std::mem::swap(before, after);
        }
        Change::UpdateGuild { before, after, .. } => std::mem::swap(before, after),
        Change::UpdateAutoModRule { before, after, .. } => std::mem::swap(before, after),
        Change::UpdateEvent { before, after, .. } => std::mem::swap(before, after),
        Change::UpdateWebhook { before, after, .. } => std::mem::swap(before, after),
        Change::UpdateWidget { before, after } => std::mem::swap(before, after),
        Change::UpdateEmoji { before, after, .. } | Change::ReplaceEmoji { before, after, .. } => {
            std::mem::swap(before, after)
        }
        Change::UpdateSound { before, after, .. } | Change::ReplaceSound { before, after, .. } => {
            std::mem::swap(before, after)
        }
        Change::UpdateSticker { before, after, .. }
        | Change::ReplaceSticker { before, after, .. } => std::mem::swap(before, after),
        Change::UpdateThread { before, after, .. } => std::mem::swap(before, after),
        Change::EditMessage {
            before,
            after,
            before_look,
            after_look,
            ..
        } => {
            std::mem::swap(before, after);
            std::mem::swap(before_look, after_look);
        }
        // Drift says what the live message is: pinned where the file unpins, and so on.
        Change::PinMessage { pin, .. } => *pin = !*pin,
        Change::ReorderRoles { before, after } => std::mem::swap(before, after),
        Change::ReorderChannels { before, after, .. } => std::mem::swap(before, after),
        Change::UpdateWelcomeScreen {
            before: Some(before),
            after,
        } => std::mem::swap(before, after),
        Change::UpdateOnboarding {
            before: Some(before),
            after,
            ..
        } => std::mem::swap(before, after),
        _ => {}
    }
    found
}

/// Who-can-see changes, shown before everything else in reports for GitHub.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct AccessNotes {
    /// One line per channel and target whose access changes, the widening ones first (the same
    /// shape as the plan's `access`).
    pub lines: Vec<crate::plan::AccessLine>,
    /// Someone gains sight of a channel they could not see before.
    pub widens: bool,
}

impl AccessNotes {
    pub fn is_empty(&self) -> bool {
        self.lines.is_empty()
    }

    /// Notes from the access module's changes (Discord's whole permission algorithm): the
    /// widening ones first.
    pub fn from_lines(lines: &[crate::plan::AccessLine]) -> Self {
        let mut ordered: Vec<&crate::plan::AccessLine> =
            lines.iter().filter(|l| l.widens).collect();
        ordered.extend(lines.iter().filter(|l| !l.widens));
        Self {
            lines: ordered.into_iter().cloned().collect(),
            widens: lines.iter().any(|line| line.widens),
        }
    }
}

#[cfg(test)]
mod tests;
