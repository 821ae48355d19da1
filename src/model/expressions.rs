//! Custom emoji: declared in `[[emojis]]` (name, image file, roles allowed to use it), read from
//! `GET /guilds/{id}/emojis`, matched by name. Generic over how roles are named (file: keys;
//! live: ids; plan: picks).

use serde::{Deserialize, Serialize};

/// One custom emoji.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CustomEmoji<R> {
    /// 2-32 characters: letters, digits, `_`.
    pub name: String,
    /// Roles allowed to use it; empty: everyone.
    pub roles: Vec<R>,
    /// Desired side: the image's `sha256:` digest (the bytes are in the assets); live side: the
    /// digest of the CDN's bytes when they were read (`None`: not compared).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub image: Option<String>,
    /// A GIF (Discord's `animated`).
    #[serde(default)]
    pub animated: bool,
}

/// A declared emoji: the model and its image as a `data:` URI.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DesiredEmoji {
    pub emoji: CustomEmoji<String>,
    pub data_uri: String,
}

/// A live emoji.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LiveEmoji {
    pub id: u64,
    pub emoji: CustomEmoji<crate::model::RoleId>,
    /// Managed by an integration (Twitch subscriber emoji): never touched.
    #[serde(default)]
    pub managed: bool,
}

/// How many custom emoji of each kind (static, animated) a guild may have at its boost level.
/// The reference pages (`emoji.mdx`) do not give the numbers; these are Discord's published ones
/// (Help Center "Server Boosting FAQ": 50, 100, 150, 250) [inferred from outside the reference].
pub fn emoji_slots(premium_tier: u8) -> usize {
    match premium_tier {
        0 => 50,
        1 => 100,
        2 => 150,
        _ => 250,
    }
}

/// Discord's rule for emoji names: 2-32 letters, digits and `_`.
pub fn is_emoji_name(name: &str) -> bool {
    (2..=32).contains(&name.len()) && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// Emoji images are at most 256 KiB (`emoji.mdx`, "Create Guild Emoji").
pub const EMOJI_BYTES_MAX: usize = 256 * 1024;
