//! Discord permission flags by name.
//!
//! Owns the table of every permission Discord defines (bits 0-52, bit 47 is unassigned), the
//! `Permissions` bitset used everywhere in the tool, and name parsing with "did you mean" hints.
//!
//! We keep our own bitset instead of `twilight_model::guild::Permissions` because twilight 0.18
//! truncates unknown bits on deserialisation and does not know `SET_VOICE_CHANNEL_STATUS`
//! (bit 48): a diff built on it could never converge on that flag.
//! Source: `permissions.mdx`, "Bitwise Permission Flags".

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// Every permission flag Discord defines: `(bit, snake_case name)`, in bit order.
pub const FLAGS: &[(u8, &str)] = &[
    (0, "create_instant_invite"),
    (1, "kick_members"),
    (2, "ban_members"),
    (3, "administrator"),
    (4, "manage_channels"),
    (5, "manage_guild"),
    (6, "add_reactions"),
    (7, "view_audit_log"),
    (8, "priority_speaker"),
    (9, "stream"),
    (10, "view_channel"),
    (11, "send_messages"),
    (12, "send_tts_messages"),
    (13, "manage_messages"),
    (14, "embed_links"),
    (15, "attach_files"),
    (16, "read_message_history"),
    (17, "mention_everyone"),
    (18, "use_external_emojis"),
    (19, "view_guild_insights"),
    (20, "connect"),
    (21, "speak"),
    (22, "mute_members"),
    (23, "deafen_members"),
    (24, "move_members"),
    (25, "use_vad"),
    (26, "change_nickname"),
    (27, "manage_nicknames"),
    (28, "manage_roles"),
    (29, "manage_webhooks"),
    (30, "manage_guild_expressions"),
    (31, "use_application_commands"),
    (32, "request_to_speak"),
    (33, "manage_events"),
    (34, "manage_threads"),
    (35, "create_public_threads"),
    (36, "create_private_threads"),
    (37, "use_external_stickers"),
    (38, "send_messages_in_threads"),
    (39, "use_embedded_activities"),
    (40, "moderate_members"),
    (41, "view_creator_monetization_analytics"),
    (42, "use_soundboard"),
    (43, "create_guild_expressions"),
    (44, "create_events"),
    (45, "use_external_sounds"),
    (46, "send_voice_messages"),
    (48, "set_voice_channel_status"),
    (49, "send_polls"),
    (50, "use_external_apps"),
    (51, "pin_messages"),
    (52, "bypass_slowmode"),
];

/// A set of Discord permissions. Serialises as a sorted list of flag names, so plans and JSON
/// output read as words; bits Discord may add later are kept and shown as `bit_N`.
#[derive(Clone, Copy, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Permissions(u64);

impl Permissions {
    pub const NONE: Self = Self(0);
    pub const ADMINISTRATOR: Self = Self(1 << 3);
    pub const MANAGE_CHANNELS: Self = Self(1 << 4);
    pub const VIEW_CHANNEL: Self = Self(1 << 10);
    pub const SEND_MESSAGES: Self = Self(1 << 11);
    pub const CONNECT: Self = Self(1 << 20);
    pub const MANAGE_ROLES: Self = Self(1 << 28);

    /// Every permission Discord defines.
    pub fn all() -> Self {
        Self(FLAGS.iter().fold(0, |bits, (bit, _)| bits | (1u64 << bit)))
    }

    pub const fn from_bits(bits: u64) -> Self {
        Self(bits)
    }

    pub const fn bits(self) -> u64 {
        self.0
    }

    pub const fn is_empty(self) -> bool {
        self.0 == 0
    }

    pub const fn contains(self, other: Self) -> bool {
        self.0 & other.0 == other.0
    }

    pub const fn union(self, other: Self) -> Self {
        Self(self.0 | other.0)
    }

    pub const fn intersection(self, other: Self) -> Self {
        Self(self.0 & other.0)
    }

    pub const fn difference(self, other: Self) -> Self {
        Self(self.0 & !other.0)
    }

    /// The flag with this snake_case name (case-insensitive; `SEND_MESSAGES` works too).
    pub fn from_name(name: &str) -> Option<Self> {
        let wanted = name.trim().to_ascii_lowercase();
        FLAGS
            .iter()
            .find(|(_, flag)| *flag == wanted)
            .map(|(bit, _)| Self(1 << bit))
    }

    /// The known flag name closest to `name`, for "did you mean" hints.
    pub fn suggest(name: &str) -> Option<&'static str> {
        let wanted = name.trim().to_ascii_lowercase();
        FLAGS
            .iter()
            .map(|(_, flag)| (strsim::jaro_winkler(&wanted, flag), *flag))
            .filter(|(score, _)| *score >= 0.8)
            .max_by(|a, b| a.0.total_cmp(&b.0))
            .map(|(_, flag)| flag)
    }

    /// Flag names in bit order; unknown bits as `bit_N`.
    pub fn names(self) -> Vec<String> {
        (0..64)
            .filter(|bit| self.0 & (1u64 << bit) != 0)
            .map(|bit| match FLAGS.iter().find(|(b, _)| u32::from(*b) == bit) {
                Some((_, name)) => (*name).to_owned(),
                None => format!("bit_{bit}"),
            })
            .collect()
    }

    /// Parses one name as written in a file or plan: a flag name or `bit_N`.
    pub fn parse_name(name: &str) -> Option<Self> {
        if let Some(bit) = name.strip_prefix("bit_") {
            return bit.parse::<u32>().ok().filter(|b| *b < 64).map(|b| Self(1 << b));
        }
        Self::from_name(name)
    }
}

impl fmt::Debug for Permissions {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Permissions({})", self.names().join(" | "))
    }
}

impl fmt::Display for Permissions {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.is_empty() {
            f.write_str("(none)")
        } else {
            f.write_str(&self.names().join(", "))
        }
    }
}

impl Serialize for Permissions {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.names().serialize(serializer)
    }
}

impl<'de> Deserialize<'de> for Permissions {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let names = Vec::<String>::deserialize(deserializer)?;
        names.iter().try_fold(Self::NONE, |acc, name| {
            Self::parse_name(name)
                .map(|flag| acc.union(flag))
                .ok_or_else(|| serde::de::Error::custom(format!("unknown permission `{name}`")))
        })
    }
}

/// Discord's wire form: a decimal string (`"2048"`); requests may also carry an integer.
pub mod wire {
    use serde::{Deserialize, Deserializer, Serializer};

    use super::Permissions;

    pub fn serialize<S: Serializer>(value: &Permissions, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&value.bits().to_string())
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Permissions, D::Error> {
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Raw {
            Text(String),
            Number(u64),
        }
        match Raw::deserialize(deserializer)? {
            Raw::Number(bits) => Ok(Permissions::from_bits(bits)),
            Raw::Text(text) => text
                .parse::<u64>()
                .map(Permissions::from_bits)
                .map_err(|_| serde::de::Error::custom(format!("`{text}` is not a permission bitset"))),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_documented_bit_has_a_name_and_bit_47_does_not() {
        assert_eq!(FLAGS.len(), 52);
        assert!(Permissions::all().contains(Permissions::from_bits(1 << 48)));
        assert!(!Permissions::all().contains(Permissions::from_bits(1 << 47)));
        assert_eq!(Permissions::all().bits() >> 53, 0);
    }

    #[test]
    fn names_round_trip_in_bit_order() {
        let set = Permissions::from_name("send_messages")
            .unwrap()
            .union(Permissions::from_name("VIEW_CHANNEL").unwrap())
            .union(Permissions::from_bits(1 << 60));
        assert_eq!(set.names(), ["view_channel", "send_messages", "bit_60"]);
        let json = serde_json::to_string(&set).unwrap();
        assert_eq!(serde_json::from_str::<Permissions>(&json).unwrap(), set);
    }

    #[test]
    fn typos_get_a_suggestion() {
        assert_eq!(Permissions::suggest("send_mesages"), Some("send_messages"));
        assert_eq!(Permissions::suggest("veiw_channel"), Some("view_channel"));
        assert_eq!(Permissions::suggest("zzzz"), None);
    }
}
