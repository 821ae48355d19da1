//! The access matrix: channels × subjects (`@everyone`, then each role), and two matrices lined
//! up for `access --compare`.

use serde::Serialize;

use crate::model::{ChannelKind, SortBucket};
use crate::permissions::Permissions;

use super::compute::{
    MANAGE_CHANNELS, MANAGE_MESSAGES, MANAGE_ROLES, Member, SEND_MESSAGES, SPEAK, apply_implicit,
    apply_overwrites, base_permissions, channel_permissions,
};
use super::view::{Subject, View, ViewChannel};

/// What one subject can do in one channel; see the module doc of [`super`] for the definitions.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize)]
pub struct Access {
    pub view: bool,
    pub post: bool,
    pub manage: bool,
}

impl Access {
    /// Reads effective permissions (after the implicit rules) of a channel of `kind`.
    pub fn of(kind: ChannelKind, permissions: Permissions) -> Self {
        let view = permissions.contains(Permissions::VIEW_CHANNEL);
        let post = match kind {
            ChannelKind::Category => false,
            kind if kind.sort_bucket() == SortBucket::VoiceLike => {
                permissions.contains(Permissions::CONNECT.union(SPEAK))
            }
            _ => permissions.contains(SEND_MESSAGES),
        };
        let manage = !permissions
            .intersection(MANAGE_CHANNELS.union(MANAGE_ROLES).union(MANAGE_MESSAGES))
            .is_empty();
        Self {
            view,
            post: view && post,
            manage: view && manage,
        }
    }

    /// `VPM` with `-` for what is missing: `V--` is read-only, `---` is hidden.
    pub fn symbols(self) -> String {
        [(self.view, 'V'), (self.post, 'P'), (self.manage, 'M')]
            .into_iter()
            .map(|(can, symbol)| if can { symbol } else { '-' })
            .collect()
    }

    /// Whether `self` allows something `other` does not.
    pub fn exceeds(self, other: Self) -> bool {
        (self.view && !other.view) || (self.post && !other.post) || (self.manage && !other.manage)
    }
}

/// One cell: the effective permissions and what they mean.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Cell {
    pub permissions: Permissions,
    pub access: Access,
}

/// A matrix column.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct SubjectInfo {
    /// `everyone` or the role's key.
    pub key: String,
    /// `@everyone` or the role's name.
    pub name: String,
    /// Holds `ADMINISTRATOR` (with `@everyone`): sees and does everything everywhere.
    pub administrator: bool,
    /// An integration's role (a bot's).
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub managed: bool,
}

impl SubjectInfo {
    pub fn subject(&self) -> Subject {
        Subject::from_key(&self.key)
    }
}

/// A matrix row.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ChannelInfo {
    pub key: String,
    pub name: String,
    pub kind: ChannelKind,
    pub category: Option<String>,
}

impl ChannelInfo {
    fn of(channel: &ViewChannel) -> Self {
        Self {
            key: channel.key.clone(),
            name: channel.name.clone(),
            kind: channel.kind,
            category: channel.category.clone(),
        }
    }

    pub fn same_channel(&self, other: &Self) -> bool {
        self.key == other.key && self.kind == other.kind
    }

    /// `#general`, `voice channel "🔊 Lounge"`, `category "STAFF"`: for sentences; with the
    /// category (`#general in "Team 3"`) when the name repeats.
    pub fn label(&self) -> String {
        let label = crate::plan::channel_label(self.kind, &self.name);
        match (&self.category, self.key == self.name) {
            (_, true) => label,
            (Some(category), false) => format!("{label} in \"{category}\""),
            (None, false) => format!("{label} outside categories"),
        }
    }

    /// `#general`, `🔊 Lounge (voice)`, `STAFF`: for a matrix row.
    pub fn short_label(&self) -> String {
        match self.kind {
            ChannelKind::Category => self.name.clone(),
            ChannelKind::Text => format!("#{}", self.name),
            ChannelKind::Announcement => format!("#{} (announcement)", self.name),
            ChannelKind::Forum => format!("#{} (forum)", self.name),
            ChannelKind::Media => format!("#{} (media)", self.name),
            ChannelKind::Voice => format!("{} (voice)", self.name),
            ChannelKind::Stage => format!("{} (stage)", self.name),
            ChannelKind::Other(kind) => format!("{} (type {kind})", self.name),
        }
    }
}

/// Access of every subject in every channel of one view.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Matrix {
    pub subjects: Vec<SubjectInfo>,
    pub channels: Vec<ChannelInfo>,
    /// `cells[channel][subject]`.
    pub cells: Vec<Vec<Cell>>,
}

impl Matrix {
    pub fn subject_index(&self, key: &str) -> Option<usize> {
        self.subjects.iter().position(|subject| subject.key == key)
    }

    pub fn channel_index(&self, channel: &ChannelInfo) -> Option<usize> {
        self.channels
            .iter()
            .position(|other| other.same_channel(channel))
    }

    /// The row of `channel` (a row of `other`) in this matrix: the same channel, or the one it
    /// converts from or to in place (text and announcement) when `other` has no row of that
    /// exact channel: a conversion is the same channel, not a new one.
    pub fn counterpart(&self, channel: &ChannelInfo, other: &Matrix) -> Option<usize> {
        self.channel_index(channel).or_else(|| {
            self.channels.iter().position(|candidate| {
                candidate.key == channel.key
                    && candidate.kind.family() == channel.kind.family()
                    && other.channel_index(candidate).is_none()
            })
        })
    }
}

impl View {
    /// The member a column stands for.
    pub fn member_for(subject: &Subject) -> Member {
        match subject {
            Subject::Everyone => Member::everyone(),
            Subject::Role(key) => Member::with_role(key),
        }
    }

    /// What `subject` can do in `channel`.
    pub fn cell(&self, subject: &Subject, channel: &ViewChannel) -> Cell {
        let permissions = channel_permissions(self, &Self::member_for(subject), channel);
        Cell {
            permissions,
            access: Access::of(channel.kind, permissions),
        }
    }

    pub fn subject_info(&self, subject: &Subject) -> SubjectInfo {
        SubjectInfo {
            key: subject.key().to_owned(),
            name: self.subject_name(subject),
            administrator: base_permissions(self, &Self::member_for(subject))
                .contains(Permissions::ADMINISTRATOR),
            managed: match subject {
                Subject::Everyone => false,
                Subject::Role(key) => self.role(key).is_some_and(|role| role.managed),
            },
        }
    }

    /// Every subject in every channel. Each subject's guild-level permissions are computed once,
    /// so the matrix costs one overwrite pass per cell: linear in channels × subjects.
    pub fn matrix(&self) -> Matrix {
        let subjects = self.subjects();
        let members: Vec<Member> = subjects.iter().map(Self::member_for).collect();
        let bases: Vec<Permissions> = members
            .iter()
            .map(|member| base_permissions(self, member))
            .collect();
        Matrix {
            subjects: subjects.iter().map(|s| self.subject_info(s)).collect(),
            channels: self.channels.iter().map(ChannelInfo::of).collect(),
            cells: self
                .channels
                .iter()
                .map(|channel| {
                    members
                        .iter()
                        .zip(&bases)
                        .map(|(member, base)| {
                            let permissions = apply_implicit(
                                channel.kind,
                                apply_overwrites(*base, member, channel),
                            );
                            Cell {
                                permissions,
                                access: Access::of(channel.kind, permissions),
                            }
                        })
                        .collect()
                })
                .collect(),
        }
    }
}

/// On which side of a comparison a row or column exists.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Presence {
    Both,
    /// Only in the live guild (not described by the file).
    LiveOnly,
    /// Only in the file (not created yet).
    DesiredOnly,
}

/// One cell of a comparison.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Compared {
    pub live: Option<Access>,
    pub desired: Option<Access>,
}

impl Compared {
    /// Both sides exist and disagree.
    pub fn differs(self) -> bool {
        matches!((self.live, self.desired), (Some(live), Some(desired)) if live != desired)
    }
}

/// The live matrix and the file's, lined up: the file's rows and columns in its order, with live
/// ones the file does not know placed after their category (rows) or at the end (columns).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Comparison {
    pub subjects: Vec<(SubjectInfo, Presence)>,
    pub channels: Vec<(ChannelInfo, Presence)>,
    /// `cells[channel][subject]`.
    pub cells: Vec<Vec<Compared>>,
    /// What applying the file would change, live → desired.
    pub changes: Vec<super::AccessChange>,
}

/// Lines up the live guild's access with the file's.
pub fn compare(live: &View, desired: &View) -> Comparison {
    let live_matrix = live.matrix();
    let desired_matrix = desired.matrix();

    let mut subjects: Vec<(SubjectInfo, Presence)> = desired_matrix
        .subjects
        .iter()
        .map(|subject| {
            let presence = if live_matrix.subject_index(&subject.key).is_some() {
                Presence::Both
            } else {
                Presence::DesiredOnly
            };
            (subject.clone(), presence)
        })
        .collect();
    for subject in &live_matrix.subjects {
        if desired_matrix.subject_index(&subject.key).is_none() {
            subjects.push((subject.clone(), Presence::LiveOnly));
        }
    }

    let mut channels: Vec<(ChannelInfo, Presence)> = desired_matrix
        .channels
        .iter()
        .map(|channel| {
            let presence = if live_matrix.counterpart(channel, &desired_matrix).is_some() {
                Presence::Both
            } else {
                Presence::DesiredOnly
            };
            (channel.clone(), presence)
        })
        .collect();
    for channel in &live_matrix.channels {
        if desired_matrix.counterpart(channel, &live_matrix).is_some() {
            continue;
        }
        // After the last row of its category (or the category itself), else at the end.
        let anchor = channels.iter().rposition(|(row, _)| {
            channel.category.is_some()
                && (row.category == channel.category
                    || (row.kind == ChannelKind::Category
                        && Some(&row.key) == channel.category.as_ref()))
        });
        let at = anchor.map_or(channels.len(), |index| index + 1);
        channels.insert(at, (channel.clone(), Presence::LiveOnly));
    }

    let cells = channels
        .iter()
        .map(|(channel, _)| {
            let live_row = live_matrix.counterpart(channel, &desired_matrix);
            let desired_row = desired_matrix.counterpart(channel, &live_matrix);
            subjects
                .iter()
                .map(|(subject, _)| Compared {
                    live: live_row
                        .zip(live_matrix.subject_index(&subject.key))
                        .map(|(row, column)| live_matrix.cells[row][column].access),
                    desired: desired_row
                        .zip(desired_matrix.subject_index(&subject.key))
                        .map(|(row, column)| desired_matrix.cells[row][column].access),
                })
                .collect()
        })
        .collect();

    Comparison {
        subjects,
        channels,
        cells,
        changes: super::changes(live, desired),
    }
}
