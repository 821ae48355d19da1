//! The server's doors: invites the community publishes, the server widget, the vanity code.
//!
//! An invite is identified by its channel and settings (max age, max uses, temporary), never by
//! its code: the code is the door to the server, a secret-ish value that is kept out of this
//! model, out of plans and out of every output but `miyabi-guild invites`. Discord cannot edit an
//! invite, so a changed setting is a new invite (and the old one deleted). The live side keeps
//! who made each invite: the bot's own invites are the tool's, members' invites are never
//! touched unless the file prunes invites.
//!
//! Generic over how channels are named (`C`), like the other community types.

use serde::{Deserialize, Serialize};

use super::{ChannelId, UserId};

/// Discord's longest invite life: 7 days, in seconds (`channel.mdx`, Create Channel Invite).
pub const MAX_AGE_MAX: u32 = 604_800;
/// Discord's highest use limit (0 is unlimited).
pub const MAX_USES_MAX: u32 = 100;

/// An invite's settings and channel.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Invite<C> {
    pub channel: C,
    /// Seconds before it expires; 0 never expires.
    pub max_age: u32,
    /// Uses before it expires; 0 is unlimited.
    pub max_uses: u32,
    /// Members who join through it are removed when they disconnect, unless given a role.
    pub temporary: bool,
}

impl<C> Invite<C> {
    /// Whether `other` has the same settings (the channel aside).
    pub fn same_settings<D>(&self, other: &Invite<D>) -> bool {
        self.max_age == other.max_age
            && self.max_uses == other.max_uses
            && self.temporary == other.temporary
    }

    /// `permanent, unlimited uses`, `1 day, 10 uses, temporary membership`.
    pub fn describe_settings(&self) -> String {
        let age = describe_age(self.max_age);
        let uses = match self.max_uses {
            0 => "unlimited uses".to_owned(),
            1 => "1 use".to_owned(),
            n => format!("{n} uses"),
        };
        if self.temporary {
            format!("{age}, {uses}, temporary membership")
        } else {
            format!("{age}, {uses}")
        }
    }
}

/// `permanent`, `7 days`, `1 hour`, `90 minutes`, `45 seconds`.
pub fn describe_age(seconds: u32) -> String {
    let unit = |n: u32, one: &str| {
        if n == 1 {
            format!("1 {one}")
        } else {
            format!("{n} {one}s")
        }
    };
    match seconds {
        0 => "permanent".to_owned(),
        s if s % 86_400 == 0 => unit(s / 86_400, "day"),
        s if s % 3_600 == 0 => unit(s / 3_600, "hour"),
        s if s % 60 == 0 => unit(s / 60, "minute"),
        s => unit(s, "second"),
    }
}

/// The server widget's settings (`GET /guilds/{id}/widget`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Widget<C> {
    pub enabled: bool,
    /// The channel the widget's invite leads to; `None` for none.
    pub channel: Option<C>,
}

/// What the file declares.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DesiredInvites<C> {
    /// In file order; no two alike (same channel and settings).
    pub invites: Vec<Invite<C>>,
    /// `None`: the widget is not managed.
    pub widget: Option<Widget<C>>,
    /// The vanity code the guild should have (`[vanity] code`); `None`: not managed. Discord's
    /// API cannot set it: a difference is a warning saying where to set it by hand.
    pub vanity: Option<String>,
}

impl<C> Default for DesiredInvites<C> {
    fn default() -> Self {
        Self {
            invites: Vec::new(),
            widget: None,
            vanity: None,
        }
    }
}

impl<C> DesiredInvites<C> {
    pub fn is_empty(&self) -> bool {
        self.invites.is_empty() && self.widget.is_none() && self.vanity.is_none()
    }
}

/// A live invite, without its code.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LiveInvite {
    pub invite: Invite<ChannelId>,
    /// Who made it (`None`: Discord names nobody, e.g. the widget's invite).
    pub inviter: Option<UserId>,
    /// When it was made, as Discord wrote it: with the inviter and settings, how a delete finds
    /// the invite again without carrying its code.
    pub created_at: String,
    pub uses: u32,
}

/// The live side.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct LiveInvites {
    /// Every invite of the guild (read when the file declares invites or prunes them).
    #[serde(default)]
    pub invites: Vec<LiveInvite>,
    /// Read when the file manages the widget.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub widget: Option<Widget<ChannelId>>,
    /// The guild's vanity code (from the guild object, always read).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vanity: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn settings_read_in_words() {
        let invite = |max_age, max_uses, temporary| Invite {
            channel: (),
            max_age,
            max_uses,
            temporary,
        };
        assert_eq!(
            invite(0, 0, false).describe_settings(),
            "permanent, unlimited uses"
        );
        assert_eq!(
            invite(86_400, 1, true).describe_settings(),
            "1 day, 1 use, temporary membership"
        );
        assert_eq!(
            invite(604_800, 25, false).describe_settings(),
            "7 days, 25 uses"
        );
        assert_eq!(describe_age(5_400), "90 minutes");
        assert_eq!(describe_age(7_200), "2 hours");
        assert_eq!(describe_age(45), "45 seconds");
    }
}
