//! What a change of the guild does to access: one [`AccessChange`] per (channel, subject) whose
//! view, post or manage differs between two views.
//!
//! Baselines, so that new objects are judged by what they open up:
//! - a channel only in `after` is new: before it existed nobody could do anything in it;
//! - a role only in `after` is new: before, a member given it was just `@everyone`, so its
//!   cells are compared with `@everyone`'s cells of `before`;
//! - channels and roles only in `before` are deleted (or not described by the file): the plan
//!   shows that already, and no change is reported for them.
//!
//! Folding, so that one change to `@everyone` is not repeated for every role: a role whose cell
//! equals `@everyone`'s on both sides only follows `@everyone`, and its change is left out
//! (`@everyone`'s own change, which is then reported, stands for it). Narrowings of roles that
//! only exist in `after` are left out too: nobody holds such a role yet, so nobody loses
//! anything. Roles that hold `ADMINISTRATOR` on both sides can do everything everywhere: a new
//! channel changes nothing for them and is not reported.

use std::collections::HashMap;
use std::fmt;

use serde::Serialize;

use crate::model::ChannelKind;

use super::matrix::{Access, ChannelInfo, SubjectInfo};
use super::view::{EVERYONE, View};

/// One cell of the access matrix that differs between two views. A change to `@everyone` also
/// stands for every role that only follows `@everyone` in that channel (see the module doc).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct AccessChange {
    pub channel: ChannelInfo,
    /// As named in `after`.
    pub subject: SubjectInfo,
    pub before: Access,
    pub after: Access,
}

impl AccessChange {
    /// Whether someone can do something they could not before: see, post in or manage the
    /// channel. A plan that widens access deserves a second look.
    #[must_use]
    pub fn widens(&self) -> bool {
        self.after.exceeds(self.before)
    }

    /// Whether someone loses something they could do before.
    #[must_use]
    pub fn narrows(&self) -> bool {
        self.before.exceeds(self.after)
    }
}

fn capabilities(post: bool, manage: bool) -> Option<&'static str> {
    match (post, manage) {
        (true, true) => Some("posting and managing"),
        (true, false) => Some("posting"),
        (false, true) => Some("managing"),
        (false, false) => None,
    }
}

impl fmt::Display for AccessChange {
    /// `#moderation becomes visible to @everyone`, `⚪ Member loses posting in #help-general`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (before, after) = (self.before, self.after);
        let channel = self.channel.label();
        let who = &self.subject.name;
        if !before.view && after.view {
            write!(f, "{channel} becomes visible to {who}")?;
            return match (after.post, after.manage) {
                (true, true) => f.write_str(", who can post and manage it"),
                (true, false) => f.write_str(", who can post"),
                (false, true) => f.write_str(", who can manage it"),
                (false, false) => Ok(()),
            };
        }
        if before.view && !after.view {
            return write!(f, "{channel} is no longer visible to {who}");
        }
        let gained = capabilities(after.post && !before.post, after.manage && !before.manage);
        let lost = capabilities(before.post && !after.post, before.manage && !after.manage);
        match (gained, lost) {
            (Some(gained), Some(lost)) => {
                write!(f, "{who} gains {gained} and loses {lost} in {channel}")
            }
            (Some(gained), None) => write!(f, "{who} gains {gained} in {channel}"),
            (None, Some(lost)) => write!(f, "{who} loses {lost} in {channel}"),
            (None, None) => write!(f, "{who}'s access to {channel} is unchanged"),
        }
    }
}

/// Every access difference from `before` to `after`, in `after`'s channel order, then subject
/// order. See the module doc for new and deleted objects.
pub fn changes(before: &View, after: &View) -> Vec<AccessChange> {
    let before_matrix = before.matrix();
    let after_matrix = after.matrix();
    let before_everyone = before_matrix.subject_index(EVERYONE);
    let after_everyone = after_matrix.subject_index(EVERYONE);
    // Indexed once: looking rows and columns up by scanning would make this quadratic.
    let before_subjects: HashMap<&str, usize> = before_matrix
        .subjects
        .iter()
        .enumerate()
        .map(|(index, subject)| (subject.key.as_str(), index))
        .collect();
    let before_channels: HashMap<(&str, ChannelKind), usize> = before_matrix
        .channels
        .iter()
        .enumerate()
        .map(|(index, channel)| ((channel.key.as_str(), channel.kind), index))
        .collect();
    let mut changes = Vec::new();
    for (row, channel) in after_matrix.channels.iter().enumerate() {
        // The same key and kind (indexed), else the same channel converted in place.
        let before_row = before_channels
            .get(&(channel.key.as_str(), channel.kind))
            .copied()
            .or_else(|| before_matrix.counterpart(channel, &after_matrix));
        let before_cell = |column: Option<usize>| match (before_row, column) {
            (Some(row), Some(column)) => before_matrix.cells[row][column].access,
            _ => Access::default(),
        };
        let everyone = (
            before_cell(before_everyone),
            after_everyone.map(|column| after_matrix.cells[row][column].access),
        );
        for (column, subject) in after_matrix.subjects.iter().enumerate() {
            let after_access = after_matrix.cells[row][column].access;
            let known_before = before_subjects.get(subject.key.as_str()).copied();
            let before_access = before_cell(known_before.or(before_everyone));
            let follows_everyone =
                subject.key != EVERYONE && everyone == (before_access, Some(after_access));
            let new_role_narrowing = known_before.is_none() && !after_access.exceeds(before_access);
            // Administrators can do everything everywhere; a channel being created does not
            // change that.
            let still_administrator = subject.administrator
                && subject.key != EVERYONE
                && (before_row.is_none()
                    || known_before.is_some_and(|c| before_matrix.subjects[c].administrator));
            if before_access != after_access
                && !follows_everyone
                && !new_role_narrowing
                && !still_administrator
            {
                changes.push(AccessChange {
                    channel: channel.clone(),
                    subject: subject.clone(),
                    before: before_access,
                    after: after_access,
                });
            }
        }
    }
    changes
}
