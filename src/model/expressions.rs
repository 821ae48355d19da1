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

/// A soundboard sound's volume, 0-1, kept in thousandths so plans compare exactly; written as
/// Discord's double.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct Volume(pub u16);

impl Volume {
    pub fn from_f64(value: f64) -> Self {
        Self((value.clamp(0.0, 1.0) * 1000.0).round() as u16)
    }

    pub fn as_f64(self) -> f64 {
        f64::from(self.0) / 1000.0
    }
}

impl Serialize for Volume {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_f64(self.as_f64())
    }
}

impl<'de> Deserialize<'de> for Volume {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        f64::deserialize(deserializer).map(Self::from_f64)
    }
}

/// A soundboard sound.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Sound {
    /// 2-32 characters.
    pub name: String,
    pub volume: Volume,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub emoji: Option<crate::model::Emoji>,
    /// Desired: the `sha256:` digest of the file; live: of the CDN's bytes when read.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sound: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DesiredSound {
    pub sound: Sound,
    pub data_uri: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LiveSound {
    pub id: u64,
    pub sound: Sound,
}

/// Soundboard slots per boost level. Not in the reference pages (`soundboard.mdx`); Discord's
/// published numbers (Help Center "Soundboard FAQ": 8, 24, 36, 48) [inferred from outside the
/// reference].
pub fn sound_slots(premium_tier: u8) -> usize {
    match premium_tier {
        0 => 8,
        1 => 24,
        2 => 36,
        _ => 48,
    }
}

/// Sounds are at most 512 KB (`soundboard.mdx`, "Create Guild Soundboard Sound"; read as KiB).
pub const SOUND_BYTES_MAX: usize = 512 * 1024;

/// The media type of an MP3 or Ogg file, by its first bytes: `ID3` or an MPEG frame sync for
/// MP3, `OggS` for Ogg.
pub fn sound_type(bytes: &[u8]) -> Option<&'static str> {
    if bytes.starts_with(b"ID3")
        || (bytes.len() >= 2 && bytes[0] == 0xff && bytes[1] & 0xe0 == 0xe0)
    {
        Some("audio/mpeg")
    } else if bytes.starts_with(b"OggS") {
        Some("audio/ogg")
    } else {
        None
    }
}

/// A guild sticker.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Sticker {
    /// 2-30 characters.
    pub name: String,
    /// Empty or 2-100 characters.
    #[serde(default)]
    pub description: String,
    /// Autocomplete tags, at most 200 characters (Discord's client wants one unicode emoji).
    pub tags: String,
    /// Discord's format type: 1 PNG, 2 APNG, 3 Lottie, 4 GIF.
    pub format: u8,
    /// Desired: `sha256:` of the file; live: of the CDN's bytes when read.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub file: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DesiredSticker {
    pub sticker: Sticker,
    pub data_uri: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LiveSticker {
    pub id: u64,
    pub sticker: Sticker,
}

/// Sticker slots per boost level [inferred: Discord's published 5, 15, 30, 60; not in
/// `sticker.mdx`].
pub fn sticker_slots(premium_tier: u8) -> usize {
    match premium_tier {
        0 => 5,
        1 => 15,
        2 => 30,
        _ => 60,
    }
}

/// Sticker files are at most 512 KiB (`sticker.mdx`, "Create Guild Sticker").
pub const STICKER_BYTES_MAX: usize = 512 * 1024;

/// The format type and media type of a sticker file by its bytes: PNG (APNG when an `acTL`
/// chunk comes before the image data), GIF, or Lottie JSON (a JSON object).
pub fn sticker_format(bytes: &[u8]) -> Option<(u8, &'static str)> {
    if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        let head = &bytes[..bytes.len().min(4096)];
        let actl = head.windows(4).position(|w| w == b"acTL");
        let idat = head.windows(4).position(|w| w == b"IDAT");
        let animated = matches!((actl, idat), (Some(a), Some(i)) if a < i)
            || (actl.is_some() && idat.is_none());
        Some(if animated {
            (2, "image/apng")
        } else {
            (1, "image/png")
        })
    } else if bytes.starts_with(b"GIF87a") || bytes.starts_with(b"GIF89a") {
        Some((4, "image/gif"))
    } else if bytes.iter().find(|b| !b.is_ascii_whitespace()) == Some(&b'{')
        && serde_json::from_slice::<serde_json::Value>(bytes).is_ok_and(|v| v.is_object())
    {
        Some((3, "application/json"))
    } else {
        None
    }
}
