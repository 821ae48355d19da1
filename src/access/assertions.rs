//! Assertions about access, checked against a [`View`]: "the staff area is visible only to
//! staff", "new members cannot see the enterprise channels", "announcements are read-only
//! except for staff".
//!
//! # Intended file syntax
//!
//! Not parsed by `config` yet. Each assertion is one table; an [`Assertion`] deserialises from
//! exactly this shape (serde), so the config can read `[[access.assert]]` (or whatever name it
//! settles on) straight into `Vec<Assertion>`:
//!
//! ```toml
//! [[access.assert]]
//! only_visible_to = ["team", "moderator"]
//! categories = ["🔐 PRIVATE STAFF AREAS"]
//!
//! [[access.assert]]
//! not_visible_to = ["new-member"]
//! categories = ["🏢 ENTERPRISE & BUSINESS"]
//!
//! [[access.assert]]
//! read_only_except = ["team", "moderator"]
//! channels = ["announcements", "community-updates"]
//! ```
//!
//! Exactly one of `only_visible_to`, `not_visible_to`, `read_only_except` (role keys; `everyone`
//! is `@everyone`), and at least one of `categories` (a category and every channel in it) and
//! `channels` (channel names, any kind; a leading `#` is ignored).
//!
//! # Semantics
//!
//! Each role is judged as a member holding only that role, like a column of the matrix.
//! - `only_visible_to`: every listed role can see each selected channel, and no other role nor
//!   `@everyone` can.
//! - `not_visible_to`: no listed role can see any selected channel.
//! - `read_only_except`: in each selected channel (categories themselves aside: nothing is posted
//!   in a category), every listed role can post and no other role nor `@everyone` can.
//!
//! Roles holding `ADMINISTRATOR` bypass every overwrite by Discord's design, so no channel can
//! be closed to them: "no other role" does not count them. Listing such a role in
//! `not_visible_to` does fail, and says why.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::model::ChannelKind;

use super::matrix::{ChannelInfo, Matrix, SubjectInfo};
use super::view::{EVERYONE, View};

/// Which channels an assertion is about.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ChannelSelector {
    /// Category names: the category and every channel in it.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub categories: Vec<String>,
    /// Channel names (any kind); a leading `#` is ignored.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub channels: Vec<String>,
}

impl ChannelSelector {
    pub fn category(name: &str) -> Self {
        Self {
            categories: vec![name.to_owned()],
            channels: Vec::new(),
        }
    }

    pub fn channels(names: &[&str]) -> Self {
        Self {
            categories: Vec::new(),
            channels: names.iter().map(|name| (*name).to_owned()).collect(),
        }
    }

    /// Indexes of the selected rows of `matrix`, in matrix order, and the names that select
    /// nothing.
    fn select(&self, matrix: &Matrix) -> (Vec<usize>, Vec<Problem>) {
        let mut problems = Vec::new();
        let mut selected = vec![false; matrix.channels.len()];
        for category in &self.categories {
            let mut found = false;
            for (index, channel) in matrix.channels.iter().enumerate() {
                let is_category = channel.kind == ChannelKind::Category && &channel.key == category;
                if is_category || channel.category.as_ref() == Some(category) {
                    found |= is_category;
                    selected[index] = true;
                }
            }
            if !found {
                problems.push(Problem::UnknownCategory(category.clone()));
            }
        }
        for name in &self.channels {
            let name = name.strip_prefix('#').unwrap_or(name);
            let mut found = false;
            for (index, channel) in matrix.channels.iter().enumerate() {
                if channel.key == name {
                    found = true;
                    selected[index] = true;
                }
            }
            if !found {
                problems.push(Problem::UnknownChannel(name.to_owned()));
            }
        }
        let rows = selected
            .iter()
            .enumerate()
            .filter_map(|(index, selected)| selected.then_some(index))
            .collect();
        (rows, problems)
    }
}

impl fmt::Display for ChannelSelector {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let parts: Vec<String> = self
            .categories
            .iter()
            .map(|name| format!("category \"{name}\""))
            .chain(
                self.channels
                    .iter()
                    .map(|name| format!("#{}", name.strip_prefix('#').unwrap_or(name))),
            )
            .collect();
        f.write_str(&parts.join(", "))
    }
}

/// A statement about access that must hold. Role lists hold role keys (`everyone` is
/// `@everyone`). Deserialises from the table shape in the module doc.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "AssertionTable", into = "AssertionTable")]
pub enum Assertion {
    /// The listed roles can see the channels, and nobody else can (administrators aside).
    OnlyVisibleTo {
        channels: ChannelSelector,
        roles: Vec<String>,
    },
    /// None of the listed roles can see the channels.
    NotVisibleTo {
        channels: ChannelSelector,
        roles: Vec<String>,
    },
    /// The listed roles can post in the channels, and nobody else can (administrators aside).
    ReadOnlyExcept {
        channels: ChannelSelector,
        roles: Vec<String>,
    },
}

impl Assertion {
    pub fn channels(&self) -> &ChannelSelector {
        match self {
            Self::OnlyVisibleTo { channels, .. }
            | Self::NotVisibleTo { channels, .. }
            | Self::ReadOnlyExcept { channels, .. } => channels,
        }
    }

    pub fn roles(&self) -> &[String] {
        match self {
            Self::OnlyVisibleTo { roles, .. }
            | Self::NotVisibleTo { roles, .. }
            | Self::ReadOnlyExcept { roles, .. } => roles,
        }
    }
}

impl fmt::Display for Assertion {
    /// `only_visible_to team, moderator: category "STAFF"`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let what = match self {
            Self::OnlyVisibleTo { .. } => "only_visible_to",
            Self::NotVisibleTo { .. } => "not_visible_to",
            Self::ReadOnlyExcept { .. } => "read_only_except",
        };
        write!(f, "{what} {}: {}", self.roles().join(", "), self.channels())
    }
}

/// The table form of an [`Assertion`], as the file writes it.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct AssertionTable {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    only_visible_to: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    not_visible_to: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    read_only_except: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    categories: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    channels: Vec<String>,
}

impl TryFrom<AssertionTable> for Assertion {
    type Error = String;

    fn try_from(table: AssertionTable) -> Result<Self, Self::Error> {
        if table.categories.is_empty() && table.channels.is_empty() {
            return Err("an access assertion needs `categories` or `channels`".to_owned());
        }
        let channels = ChannelSelector {
            categories: table.categories,
            channels: table.channels,
        };
        match (
            table.only_visible_to,
            table.not_visible_to,
            table.read_only_except,
        ) {
            (Some(roles), None, None) => Ok(Self::OnlyVisibleTo { channels, roles }),
            (None, Some(roles), None) => Ok(Self::NotVisibleTo { channels, roles }),
            (None, None, Some(roles)) => Ok(Self::ReadOnlyExcept { channels, roles }),
            _ => Err(
                "an access assertion needs exactly one of `only_visible_to`, `not_visible_to`, `read_only_except`"
                    .to_owned(),
            ),
        }
    }
}

impl From<Assertion> for AssertionTable {
    fn from(assertion: Assertion) -> Self {
        let mut table = Self::default();
        let channels = match assertion {
            Assertion::OnlyVisibleTo { channels, roles } => {
                table.only_visible_to = Some(roles);
                channels
            }
            Assertion::NotVisibleTo { channels, roles } => {
                table.not_visible_to = Some(roles);
                channels
            }
            Assertion::ReadOnlyExcept { channels, roles } => {
                table.read_only_except = Some(roles);
                channels
            }
        };
        table.categories = channels.categories;
        table.channels = channels.channels;
        table
    }
}

/// What is wrong, for one channel and role where it applies.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case", tag = "kind", content = "name")]
pub enum Problem {
    /// `only_visible_to`: a role not listed (or `@everyone`) can see the channel.
    VisibleToOther,
    /// `only_visible_to`: a listed role cannot see the channel.
    HiddenFromListed,
    /// `not_visible_to`: a listed role can see the channel.
    Visible,
    /// `read_only_except`: a role not listed (or `@everyone`) can post.
    PostableByOther,
    /// `read_only_except`: a listed role cannot post.
    NotPostableByListed,
    /// A role key that names no role.
    UnknownRole(String),
    /// A category name that names no category.
    UnknownCategory(String),
    /// A channel name that names no channel.
    UnknownChannel(String),
}

/// One way an assertion does not hold: which assertion (index in the list given to [`check`]),
/// the channel and the role that break it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct AssertionFailure {
    pub assertion: usize,
    pub channel: Option<ChannelInfo>,
    pub role: Option<SubjectInfo>,
    pub problem: Problem,
}

impl fmt::Display for AssertionFailure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let channel = self
            .channel
            .as_ref()
            .map_or_else(|| "the channel".to_owned(), ChannelInfo::label);
        let role = self.role.as_ref().map_or_else(
            || "a role".to_owned(),
            |role| {
                if role.administrator && role.key != EVERYONE {
                    format!("{} (administrator)", role.name)
                } else {
                    role.name.clone()
                }
            },
        );
        match &self.problem {
            Problem::VisibleToOther => {
                write!(
                    f,
                    "{role} can see {channel}, which only the listed roles may see"
                )
            }
            Problem::HiddenFromListed => write!(f, "{role} is listed but cannot see {channel}"),
            Problem::Visible => write!(f, "{role} can see {channel}, which must be hidden from it"),
            Problem::PostableByOther => write!(
                f,
                "{role} can post in {channel}, which is read-only except for the listed roles"
            ),
            Problem::NotPostableByListed => {
                write!(f, "{role} is listed but cannot post in {channel}")
            }
            Problem::UnknownRole(key) => write!(f, "no role has the key `{key}`"),
            Problem::UnknownCategory(name) => write!(f, "no category is named \"{name}\""),
            Problem::UnknownChannel(name) => write!(f, "no channel is named \"{name}\""),
        }
    }
}

/// Every way `assertions` fail on `view`, in assertion order, then channel order, then subject
/// order. Empty when all hold.
#[must_use]
pub fn check(view: &View, assertions: &[Assertion]) -> Vec<AssertionFailure> {
    let matrix = view.matrix();
    let mut failures = Vec::new();
    for (index, assertion) in assertions.iter().enumerate() {
        let failure =
            |channel: Option<&ChannelInfo>, role: Option<&SubjectInfo>, problem| AssertionFailure {
                assertion: index,
                channel: channel.cloned(),
                role: role.cloned(),
                problem,
            };
        let (rows, problems) = assertion.channels().select(&matrix);
        failures.extend(problems.into_iter().map(|p| failure(None, None, p)));
        let mut listed = vec![false; matrix.subjects.len()];
        for key in assertion.roles() {
            match matrix.subject_index(key) {
                Some(column) => listed[column] = true,
                None => failures.push(failure(None, None, Problem::UnknownRole(key.clone()))),
            }
        }
        for row in rows {
            let channel = &matrix.channels[row];
            for (column, subject) in matrix.subjects.iter().enumerate() {
                let access = matrix.cells[row][column].access;
                // Administrators pass every overwrite: "nobody else" cannot mean them.
                let exempt = subject.administrator && subject.key != EVERYONE;
                let problem = match assertion {
                    Assertion::OnlyVisibleTo { .. } => match (listed[column], access.view) {
                        (true, false) => Some(Problem::HiddenFromListed),
                        (false, true) if !exempt => Some(Problem::VisibleToOther),
                        _ => None,
                    },
                    Assertion::NotVisibleTo { .. } => {
                        (listed[column] && access.view).then_some(Problem::Visible)
                    }
                    Assertion::ReadOnlyExcept { .. } if channel.kind == ChannelKind::Category => {
                        None
                    }
                    Assertion::ReadOnlyExcept { .. } => match (listed[column], access.post) {
                        (true, false) => Some(Problem::NotPostableByListed),
                        (false, true) if !exempt => Some(Problem::PostableByOther),
                        _ => None,
                    },
                };
                if let Some(problem) = problem {
                    failures.push(failure(Some(channel), Some(subject), problem));
                }
            }
        }
    }
    failures
}
