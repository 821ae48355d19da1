//! Discord's permission algorithm, step by step.
//!
//! Source: `permissions.mdx`, "Permission Overwrites" (the pseudo-code `compute_base_permissions`
//! and `compute_overwrites`) and "Implicit Permissions". Each step is its own function so tests
//! can name the rule they check; [`channel_permissions`] runs them in order. A straight
//! transcription of the pseudo-code lives in `tests/access_rules.rs` and must agree with this
//! one on random guilds.

use crate::model::{ChannelKind, UserId};
use crate::permissions::Permissions;

use super::view::{Target, View, ViewChannel};

/// A member of the guild: the roles it holds (by key, never `@everyone`, which everybody holds)
/// and, when it is a real user, its id (for the owner rule and member overwrites).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Member {
    pub user: Option<UserId>,
    pub roles: Vec<String>,
}

impl Member {
    /// Someone who holds no role: `@everyone` alone.
    pub fn everyone() -> Self {
        Self::default()
    }

    /// Someone who holds exactly one role.
    pub fn with_role(key: &str) -> Self {
        Self {
            user: None,
            roles: vec![key.to_owned()],
        }
    }

    fn holds(&self, key: &str) -> bool {
        self.roles.iter().any(|role| role == key)
    }
}

const fn bit(n: u8) -> Permissions {
    Permissions::from_bits(1 << n)
}

// Flags the implicit rules and the matrix use, by their bit in `permissions::FLAGS` (a unit
// test checks each against its name).
pub(super) const MANAGE_CHANNELS: Permissions = bit(4);
pub(super) const PRIORITY_SPEAKER: Permissions = bit(8);
pub(super) const STREAM: Permissions = bit(9);
pub(super) const VIEW_CHANNEL: Permissions = bit(10);
pub(super) const SEND_MESSAGES: Permissions = bit(11);
pub(super) const SEND_TTS_MESSAGES: Permissions = bit(12);
pub(super) const MANAGE_MESSAGES: Permissions = bit(13);
pub(super) const EMBED_LINKS: Permissions = bit(14);
pub(super) const ATTACH_FILES: Permissions = bit(15);
pub(super) const MENTION_EVERYONE: Permissions = bit(17);
pub(super) const CONNECT: Permissions = bit(20);
pub(super) const SPEAK: Permissions = bit(21);
pub(super) const MUTE_MEMBERS: Permissions = bit(22);
pub(super) const DEAFEN_MEMBERS: Permissions = bit(23);
pub(super) const MOVE_MEMBERS: Permissions = bit(24);
pub(super) const USE_VAD: Permissions = bit(25);
pub(super) const MANAGE_ROLES: Permissions = bit(28);
pub(super) const REQUEST_TO_SPEAK: Permissions = bit(32);
pub(super) const USE_EMBEDDED_ACTIVITIES: Permissions = bit(39);
pub(super) const USE_SOUNDBOARD: Permissions = bit(42);
pub(super) const USE_EXTERNAL_SOUNDS: Permissions = bit(45);
pub(super) const SET_VOICE_CHANNEL_STATUS: Permissions = bit(48);

/// What `SEND_MESSAGES` carries: without it these do not count.
pub const NEEDS_SEND_MESSAGES: Permissions = MENTION_EVERYONE
    .union(SEND_TTS_MESSAGES)
    .union(ATTACH_FILES)
    .union(EMBED_LINKS);

/// What `CONNECT` carries in voice and stage channels: the voice permissions, and (the docs'
/// example) `MANAGE_CHANNELS`.
pub const NEEDS_CONNECT: Permissions = SPEAK
    .union(STREAM)
    .union(USE_VAD)
    .union(PRIORITY_SPEAKER)
    .union(MUTE_MEMBERS)
    .union(DEAFEN_MEMBERS)
    .union(MOVE_MEMBERS)
    .union(REQUEST_TO_SPEAK)
    .union(USE_EMBEDDED_ACTIVITIES)
    .union(USE_SOUNDBOARD)
    .union(USE_EXTERNAL_SOUNDS)
    .union(SET_VOICE_CHANNEL_STATUS)
    .union(MANAGE_CHANNELS);

/// Step 1, guild level (`compute_base_permissions`): the owner gets everything; otherwise
/// `@everyone` OR each role the member holds, and everything when that includes
/// `ADMINISTRATOR`. Roles the view does not know add nothing.
pub fn base_permissions(view: &View, member: &Member) -> Permissions {
    if member.user.is_some() && member.user == view.owner {
        return Permissions::all();
    }
    let permissions = view
        .roles
        .iter()
        .filter(|role| member.holds(&role.key))
        .fold(view.everyone, |acc, role| acc.union(role.permissions));
    if permissions.contains(Permissions::ADMINISTRATOR) {
        Permissions::all()
    } else {
        permissions
    }
}

/// Step 2, channel level (`compute_overwrites`): administrators skip it; otherwise the
/// `@everyone` overwrite, then all the member's role overwrites together (every deny, then
/// every allow), then the member's own overwrite.
pub fn apply_overwrites(base: Permissions, member: &Member, channel: &ViewChannel) -> Permissions {
    if base.contains(Permissions::ADMINISTRATOR) {
        return Permissions::all();
    }
    let mut everyone = (Permissions::NONE, Permissions::NONE);
    let mut roles = (Permissions::NONE, Permissions::NONE);
    let mut own = (Permissions::NONE, Permissions::NONE);
    for overwrite in &channel.overwrites {
        let slot = match &overwrite.target {
            Target::Everyone => &mut everyone,
            Target::Role(key) if member.holds(key) => &mut roles,
            Target::Member(user) if member.user == Some(*user) => &mut own,
            Target::Role(_) | Target::Member(_) => continue,
        };
        slot.0 = slot.0.union(overwrite.allow);
        slot.1 = slot.1.union(overwrite.deny);
    }
    [everyone, roles, own]
        .into_iter()
        .fold(base, |permissions, (allow, deny)| {
            permissions.difference(deny).union(allow)
        })
}

/// Step 3: what Discord ignores even though it is set (Implicit Permissions). Without
/// `VIEW_CHANNEL` nothing counts; in anything but a category, without `SEND_MESSAGES` the
/// [`NEEDS_SEND_MESSAGES`] flags do not count; in voice and stage channels, without `CONNECT`
/// the [`NEEDS_CONNECT`] flags do not count.
pub fn apply_implicit(kind: ChannelKind, permissions: Permissions) -> Permissions {
    if !permissions.contains(VIEW_CHANNEL) {
        return Permissions::NONE;
    }
    let mut permissions = permissions;
    if kind != ChannelKind::Category && !permissions.contains(SEND_MESSAGES) {
        permissions = permissions.difference(NEEDS_SEND_MESSAGES);
    }
    if kind.is_voice_like() && !permissions.contains(CONNECT) {
        permissions = permissions.difference(NEEDS_CONNECT);
    }
    permissions
}

/// What `member` may do in `channel`: the three steps in order.
pub fn channel_permissions(view: &View, member: &Member, channel: &ViewChannel) -> Permissions {
    let base = base_permissions(view, member);
    apply_implicit(channel.kind, apply_overwrites(base, member, channel))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_flag_constants_are_the_named_flags() {
        let named = [
            (MANAGE_CHANNELS, "manage_channels"),
            (PRIORITY_SPEAKER, "priority_speaker"),
            (STREAM, "stream"),
            (VIEW_CHANNEL, "view_channel"),
            (SEND_MESSAGES, "send_messages"),
            (SEND_TTS_MESSAGES, "send_tts_messages"),
            (MANAGE_MESSAGES, "manage_messages"),
            (EMBED_LINKS, "embed_links"),
            (ATTACH_FILES, "attach_files"),
            (MENTION_EVERYONE, "mention_everyone"),
            (CONNECT, "connect"),
            (SPEAK, "speak"),
            (MUTE_MEMBERS, "mute_members"),
            (DEAFEN_MEMBERS, "deafen_members"),
            (MOVE_MEMBERS, "move_members"),
            (USE_VAD, "use_vad"),
            (MANAGE_ROLES, "manage_roles"),
            (REQUEST_TO_SPEAK, "request_to_speak"),
            (USE_EMBEDDED_ACTIVITIES, "use_embedded_activities"),
            (USE_SOUNDBOARD, "use_soundboard"),
            (USE_EXTERNAL_SOUNDS, "use_external_sounds"),
            (SET_VOICE_CHANNEL_STATUS, "set_voice_channel_status"),
        ];
        for (flag, name) in named {
            assert_eq!(Some(flag), Permissions::from_name(name), "{name}");
        }
        assert_eq!(VIEW_CHANNEL, Permissions::VIEW_CHANNEL);
        assert_eq!(CONNECT, Permissions::CONNECT);
    }
}
