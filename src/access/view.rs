//! The neutral guild picture access is computed on, and how it is built from either side.
//!
//! Identity: a role is its *key*: the file's key on the desired side, the key of the file role a
//! live role matches on the live side (as `diff::identity` lines them up), and `id:<snowflake>`
//! for a live role the file does not describe. A channel is its key and kind: the file's name
//! (`general in Team 3` when another channel of its kind has the name), or on the live side the
//! key of the file channel it matches, else its own name (with its category when that name is
//! taken). Two views of one guild therefore name the same objects the same way, which
//! [`super::changes`] and [`super::compare`] rely on.

use std::collections::HashSet;
use std::fmt;

use serde::Serialize;

use crate::diff::identity::Matches;
use crate::model::{
    ChannelId, ChannelKind, DesiredGuild, DesiredOverwrites, DesiredTarget, LiveChannel, LiveGuild,
    LiveTarget, Overwrite, RoleId, SortBucket, UserId,
};
use crate::permissions::Permissions;

/// The key that names `@everyone`, in overwrites of the file and in assertions.
pub const EVERYONE: &str = "everyone";

/// Who an overwrite applies to.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Target {
    Everyone,
    /// A role by key.
    Role(String),
    Member(UserId),
}

/// Whose access a matrix column shows: a member with no role, or with exactly one role.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Subject {
    Everyone,
    /// A role by key.
    Role(String),
}

impl Subject {
    /// The key: [`EVERYONE`] or the role's key.
    pub fn key(&self) -> &str {
        match self {
            Self::Everyone => EVERYONE,
            Self::Role(key) => key,
        }
    }

    /// The subject named by `key` (`everyone` is `@everyone`).
    pub fn from_key(key: &str) -> Self {
        if key == EVERYONE {
            Self::Everyone
        } else {
            Self::Role(key.to_owned())
        }
    }
}

impl fmt::Display for Subject {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.key())
    }
}

/// A role as far as access goes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ViewRole {
    pub key: String,
    pub name: String,
    pub permissions: Permissions,
    /// Managed by an integration (a bot's role): shown, never matched to the file.
    pub managed: bool,
}

/// A channel or category as far as access goes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ViewChannel {
    /// Identity, with `kind`: see the module doc.
    pub key: String,
    /// The name as it is on this side.
    pub name: String,
    pub kind: ChannelKind,
    /// Key of the category it sits in.
    pub category: Option<String>,
    /// At most one per target; `sync` channels already hold their category's.
    pub overwrites: Vec<Overwrite<Target>>,
}

/// A guild reduced to what decides access.
///
/// Invariants: role keys are unique; channel (key, kind) pairs are unique; each channel has at
/// most one overwrite per target.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct View {
    /// `@everyone`'s guild permissions.
    pub everyone: Permissions,
    /// The guild owner, when known (never on the desired side).
    pub owner: Option<UserId>,
    /// Top to bottom.
    pub roles: Vec<ViewRole>,
    /// In display order: channels outside categories, then each category followed by its
    /// channels.
    pub channels: Vec<ViewChannel>,
}

impl View {
    /// The guild the file describes. `unmanaged_everyone` is `@everyone`'s permissions when the
    /// file does not manage them: the live guild's, or [`super::default_everyone_permissions`].
    pub fn from_desired(desired: &DesiredGuild, unmanaged_everyone: Permissions) -> Self {
        let mut roles: Vec<ViewRole> = desired
            .roles
            .iter()
            .map(|role| ViewRole {
                key: role.key.clone(),
                name: role.settings.name.clone(),
                permissions: role.settings.permissions,
                managed: false,
            })
            .collect();
        // Bots' roles the overwrites name, below the declared ones; their server-wide
        // permissions are Discord's business (see `from_desired_on` for a live guild's).
        for channel in &desired.channels {
            let DesiredOverwrites::Explicit(overwrites) = &channel.overwrites else {
                continue;
            };
            for overwrite in overwrites {
                if let DesiredTarget::Managed(name) = &overwrite.target
                    && !roles.iter().any(|role| role.managed && role.name == *name)
                {
                    roles.push(ViewRole {
                        key: bot_key(name),
                        name: name.clone(),
                        permissions: Permissions::NONE,
                        managed: true,
                    });
                }
            }
        }
        let explicit = |overwrites: &[Overwrite<DesiredTarget>]| -> Vec<Overwrite<Target>> {
            overwrites
                .iter()
                .map(|overwrite| Overwrite {
                    target: match &overwrite.target {
                        DesiredTarget::Everyone => Target::Everyone,
                        DesiredTarget::Role(key) => Target::Role(key.clone()),
                        DesiredTarget::Managed(name) => Target::Role(bot_key(name)),
                        DesiredTarget::Member(user) => Target::Member(*user),
                    },
                    allow: overwrite.allow,
                    deny: overwrite.deny,
                })
                .collect()
        };
        let keys = desired_keys(desired);
        let channels = desired
            .channels
            .iter()
            .zip(keys)
            .map(|(channel, key)| {
                let overwrites = match &channel.overwrites {
                    DesiredOverwrites::Explicit(overwrites) => explicit(overwrites),
                    // "Synced" means: the same overwrites as the category (Permission Syncing).
                    DesiredOverwrites::SyncWithParent => desired
                        .channels
                        .iter()
                        .find(|category| {
                            category.kind == ChannelKind::Category
                                && Some(&category.name) == channel.parent.as_ref()
                        })
                        .map(|category| match &category.overwrites {
                            DesiredOverwrites::Explicit(overwrites) => explicit(overwrites),
                            DesiredOverwrites::SyncWithParent => Vec::new(),
                        })
                        .unwrap_or_default(),
                };
                ViewChannel {
                    key,
                    name: channel.name.clone(),
                    kind: channel.kind,
                    category: channel.parent.clone(),
                    overwrites,
                }
            })
            .collect();
        Self {
            everyone: desired.everyone_permissions.unwrap_or(unmanaged_everyone),
            owner: None,
            roles,
            channels,
        }
    }

    /// The guild the file describes, applied to `live`: `@everyone`'s permissions and bots'
    /// roles' server-wide permissions are the live ones where the file does not manage them.
    pub fn from_desired_on(desired: &DesiredGuild, live: &LiveGuild) -> Self {
        let mut view = Self::from_desired(desired, live.everyone_permissions);
        // Live roles the file neither declares nor prunes stay, with their permissions, and
        // lose their overwrites on the file's channels (their lists are authoritative): a role
        // renamed without `previously` shows its members losing access.
        if !desired.prune.roles {
            let matches = crate::diff::identity::identify(desired, live).0;
            let kept = live.roles.iter().enumerate().filter(|(index, role)| {
                !role.managed
                    && !matches.roles.contains(&Some(*index))
                    && desired.ignore.role(&role.settings.name).is_none()
            });
            let kept: Vec<ViewRole> = kept
                .map(|(_, role)| ViewRole {
                    key: format!("id:{}", role.id),
                    name: role.settings.name.clone(),
                    permissions: role.settings.permissions,
                    managed: false,
                })
                .collect();
            view.roles.extend(kept);
        }
        for role in view.roles.iter_mut().filter(|role| role.managed) {
            if let Some(found) = live
                .roles
                .iter()
                .find(|found| found.managed && found.settings.name == role.name)
            {
                role.permissions = found.settings.permissions;
            }
        }
        view
    }

    /// The live guild. With `desired`, live roles and channels take the keys of the file's
    /// objects they match (see the module doc), so this view lines up with
    /// [`View::from_desired`] of the same file.
    pub fn from_live(live: &LiveGuild, desired: Option<&DesiredGuild>) -> Self {
        let matches = desired.map(|desired| crate::diff::identity::identify(desired, live).0);
        let role_keys = match_roles(live, desired, matches.as_ref());
        let role_key = |id: RoleId| -> String {
            if let Some((_, key)) = role_keys.iter().find(|(live_id, _)| *live_id == id) {
                return key.clone();
            }
            // A bot's role, by the name the file uses for it when no other bot's role has it.
            match live.role(id) {
                Some(role)
                    if role.managed
                        && live
                            .roles
                            .iter()
                            .filter(|other| {
                                other.managed && other.settings.name == role.settings.name
                            })
                            .count()
                            == 1 =>
                {
                    bot_key(&role.settings.name)
                }
                _ => format!("id:{id}"),
            }
        };
        let roles = live
            .roles
            .iter()
            .map(|role| ViewRole {
                key: role_key(role.id),
                name: role.settings.name.clone(),
                permissions: role.settings.permissions,
                managed: role.managed,
            })
            .collect();

        let channel_keys = live_channel_keys(live, desired, matches.as_ref());
        let channel_key = |channel: &LiveChannel| -> String {
            channel_keys
                .iter()
                .find(|(id, _)| *id == channel.id)
                .map_or_else(|| channel.name.clone(), |(_, key)| key.clone())
        };
        let everyone_id = live.everyone_role_id();
        let view_channel = |channel: &LiveChannel| ViewChannel {
            key: channel_key(channel),
            name: channel.name.clone(),
            kind: channel.kind,
            category: channel
                .parent_id
                .and_then(|parent| live.channel(parent))
                .map(channel_key),
            overwrites: channel
                .overwrites
                .iter()
                .map(|overwrite| Overwrite {
                    target: match overwrite.target {
                        LiveTarget::Role(id) if id == everyone_id => Target::Everyone,
                        LiveTarget::Role(id) => Target::Role(role_key(id)),
                        LiveTarget::Member(user) => Target::Member(user),
                    },
                    allow: overwrite.allow,
                    deny: overwrite.deny,
                })
                .collect(),
        };
        // Discord's display order: channels outside categories, then each category (by
        // position) with its text-like channels above its voice-like ones.
        let mut channels = Vec::with_capacity(live.channels.len());
        let push_children = |parent: Option<ChannelId>, channels: &mut Vec<ViewChannel>| {
            for bucket in [SortBucket::TextLike, SortBucket::VoiceLike] {
                channels.extend(
                    live.sorted_children(parent, bucket)
                        .into_iter()
                        .map(view_channel),
                );
            }
        };
        push_children(None, &mut channels);
        for category in live.sorted_children(None, SortBucket::Category) {
            channels.push(view_channel(category));
            push_children(Some(category.id), &mut channels);
        }
        // Channels under a parent that is not a category (never on Discord) are still shown.
        let placed: HashSet<ChannelId> = live
            .channels
            .iter()
            .filter(|channel| {
                channel.parent_id.is_none_or(|parent| {
                    live.channel(parent)
                        .is_some_and(|p| p.kind == ChannelKind::Category && p.parent_id.is_none())
                })
            })
            .map(|channel| channel.id)
            .collect();
        let mut rest: Vec<&LiveChannel> = live
            .channels
            .iter()
            .filter(|channel| !placed.contains(&channel.id))
            .collect();
        rest.sort_by_key(|channel| (channel.position, channel.id));
        channels.extend(rest.into_iter().map(view_channel));

        Self {
            everyone: live.everyone_permissions,
            owner: Some(live.owner_id),
            roles,
            channels,
        }
    }

    pub fn role(&self, key: &str) -> Option<&ViewRole> {
        self.roles.iter().find(|role| role.key == key)
    }

    /// The display name of a subject: `@everyone` or the role's name.
    pub fn subject_name(&self, subject: &Subject) -> String {
        match subject {
            Subject::Everyone => "@everyone".to_owned(),
            Subject::Role(key) => self
                .role(key)
                .map_or_else(|| key.clone(), |role| role.name.clone()),
        }
    }

    /// `@everyone`, then every role top to bottom.
    pub fn subjects(&self) -> Vec<Subject> {
        std::iter::once(Subject::Everyone)
            .chain(
                self.roles
                    .iter()
                    .map(|role| Subject::Role(role.key.clone())),
            )
            .collect()
    }
}

/// The key of a bot's role: `@` and its name, as overwrites in the file write it.
fn bot_key(name: &str) -> String {
    format!("@{name}")
}

/// Live role id → file key, as the diff lines them up (`diff::identity`).
fn match_roles(
    live: &LiveGuild,
    desired: Option<&DesiredGuild>,
    matches: Option<&Matches>,
) -> Vec<(RoleId, String)> {
    let (Some(desired), Some(matches)) = (desired, matches) else {
        return Vec::new();
    };
    desired
        .roles
        .iter()
        .zip(&matches.roles)
        .filter_map(|(role, found)| found.map(|index| (live.roles[index].id, role.key.clone())))
        .collect()
}

/// The key of each declared channel: its name, or `name in Category` (`name outside
/// categories`) when another declared channel of its kind has the name. Unique with the kind,
/// and the text a reference to the channel may use.
pub(crate) fn desired_keys(desired: &DesiredGuild) -> Vec<String> {
    channel_keys(&desired.channels)
}

/// [`desired_keys`] of a list of declared channels.
pub(crate) fn channel_keys(channels: &[crate::model::DesiredChannel]) -> Vec<String> {
    channels
        .iter()
        .map(|channel| {
            let repeats = channels
                .iter()
                .filter(|other| other.kind == channel.kind && other.name == channel.name)
                .count()
                > 1;
            match (&channel.parent, repeats) {
                (_, false) => channel.name.clone(),
                (Some(category), true) => format!("{} in {category}", channel.name),
                (None, true) => format!("{} outside categories", channel.name),
            }
        })
        .collect()
}

/// Live channel id → key: the key of the file channel it matches (as the diff lines them up),
/// else its own name, with its category when that name is taken by another channel of its kind.
fn live_channel_keys(
    live: &LiveGuild,
    desired: Option<&DesiredGuild>,
    matches: Option<&Matches>,
) -> Vec<(ChannelId, String)> {
    let mut keys: Vec<(ChannelId, String)> = Vec::new();
    if let (Some(desired), Some(matches)) = (desired, matches) {
        for (key, found) in desired_keys(desired).into_iter().zip(&matches.channels) {
            if let Some(index) = found {
                keys.push((live.channels[*index].id, key));
            }
        }
    }
    let taken = |keys: &[(ChannelId, String)], key: &str, kind: ChannelKind| {
        keys.iter().any(|(id, k)| {
            k == key
                && live
                    .channel(*id)
                    .is_some_and(|channel| channel.kind == kind)
        })
    };
    let mut rest: Vec<&LiveChannel> = live
        .channels
        .iter()
        .filter(|channel| keys.iter().all(|(id, _)| *id != channel.id))
        .collect();
    rest.sort_by_key(|channel| (channel.position, channel.id));
    for channel in rest {
        let shared = live.channels.iter().any(|other| {
            other.id != channel.id && other.kind == channel.kind && other.name == channel.name
        });
        let mut key = channel.name.clone();
        if shared || taken(&keys, &key, channel.kind) {
            key = match channel.parent_id.and_then(|parent| live.channel(parent)) {
                Some(parent) => format!("{} in {}", channel.name, parent.name),
                None => format!("{} outside categories", channel.name),
            };
        }
        if taken(&keys, &key, channel.kind) {
            key = format!("{key} ({})", channel.id);
        }
        keys.push((channel.id, key));
    }
    keys
}
