//! Images compared by content: the guild's icon, banner and splashes, role icons and webhook
//! avatars.
//!
//! Discord answers an upload with a hash (`reference.mdx`, "Image Formatting") that cannot be
//! computed from the file: it is not documented as a digest of the bytes. What can be compared is
//! the image itself: the CDN serves it at `{cdn}/{kind}/{owner_id}/{hash}.{ext}`. For every image
//! the file declares (a file, not `discord:<hash>`) whose object has one on Discord, the live read
//! fetches it once in the file's own format and keeps its SHA-256; the diff then compares that
//! digest with the file's. Equal bytes: unchanged; different bytes: the image is uploaded again.
//! Nothing is fetched for a file that declares no images, or for an object that has no image
//! (then presence alone says it changes).
//!
//! Discord's CDN converts to the extension asked for, and may re-encode an upload (it resizes
//! large guild icons, for one): then the bytes it serves never equal the file's, and the plan
//! shows the image as changed after every apply. `import` writes the CDN's bytes, which compare
//! equal by construction; the README says so.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::discord::{Discord, DiscordError};
use crate::model::LiveGuild;

/// The largest CDN answer read (Discord's uploads are at most 10 MiB).
pub const CDN_BYTES_MAX: usize = 16 * 1024 * 1024;

/// The guild's images, by the `[guild]` key that sets them.
pub const GUILD_IMAGES: [GuildImage; 4] = [
    GuildImage::Icon,
    GuildImage::Banner,
    GuildImage::InviteSplash,
    GuildImage::DiscoverySplash,
];

/// One of the guild's own images.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum GuildImage {
    Icon,
    Banner,
    InviteSplash,
    DiscoverySplash,
}

impl GuildImage {
    /// The `[guild]` key.
    pub fn key(self) -> &'static str {
        match self {
            Self::Icon => "icon",
            Self::Banner => "banner",
            Self::InviteSplash => "invite_splash",
            Self::DiscoverySplash => "discovery_splash",
        }
    }

    /// The field of Discord's guild object (and of `PATCH /guilds/{id}`).
    pub fn wire_field(self) -> &'static str {
        match self {
            Self::Icon => "icon",
            Self::Banner => "banner",
            Self::InviteSplash => "splash",
            Self::DiscoverySplash => "discovery_splash",
        }
    }

    /// The CDN folder (`reference.mdx`, "CDN Endpoints").
    pub fn cdn_folder(self) -> &'static str {
        match self {
            Self::Icon => "icons",
            Self::Banner => "banners",
            Self::InviteSplash => "splashes",
            Self::DiscoverySplash => "discovery-splashes",
        }
    }

    /// The feature Discord requires to set it, and what a person calls it.
    pub fn feature(self) -> Option<&'static str> {
        match self {
            Self::Icon => None,
            Self::Banner => Some("BANNER"),
            Self::InviteSplash => Some("INVITE_SPLASH"),
            Self::DiscoverySplash => Some("DISCOVERABLE"),
        }
    }

    pub fn describe(self) -> &'static str {
        match self {
            Self::Icon => "server icon",
            Self::Banner => "server banner",
            Self::InviteSplash => "invite splash",
            Self::DiscoverySplash => "discovery splash",
        }
    }
}

/// Which live images the read fetches from the CDN: those the file declares as files. Each
/// entry holds the extension of the file's format, the one the CDN is asked for.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImageScope {
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub guild: BTreeMap<GuildImage, String>,
    /// Role icons, by every name the role may have live (its name and former names) and by
    /// `#<id>` for a pinned role.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub roles: BTreeMap<String, String>,
    /// Webhook avatars, by webhook name.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub webhooks: BTreeMap<String, String>,
    /// Custom emoji, by name.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub emojis: BTreeMap<String, String>,
    /// Soundboard sounds, by name (the CDN serves them without extension).
    #[serde(default, skip_serializing_if = "std::collections::BTreeSet::is_empty")]
    pub sounds: std::collections::BTreeSet<String>,
    /// Stickers, by name.
    #[serde(default, skip_serializing_if = "std::collections::BTreeSet::is_empty")]
    pub stickers: std::collections::BTreeSet<String>,
}

impl ImageScope {
    pub fn is_empty(&self) -> bool {
        self.guild.is_empty()
            && self.roles.is_empty()
            && self.webhooks.is_empty()
            && self.emojis.is_empty()
            && self.sounds.is_empty()
            && self.stickers.is_empty()
    }

    /// What `desired` declares as image files.
    pub fn of(desired: &crate::model::DesiredGuild) -> Self {
        let mut scope = Self::default();
        for (image, value) in &desired.settings.images {
            if let Some(ext) = value.as_deref().and_then(data_uri_extension) {
                scope.guild.insert(*image, ext.to_owned());
            }
        }
        for role in &desired.roles {
            let Some(ext) = role.settings.icon.as_deref().and_then(data_uri_extension) else {
                continue;
            };
            scope
                .roles
                .insert(role.settings.name.clone(), ext.to_owned());
            for name in &role.previously {
                scope.roles.insert(name.clone(), ext.to_owned());
            }
            if let Some(id) = role.id {
                scope.roles.insert(format!("#{id}"), ext.to_owned());
            }
        }
        for (webhook, _) in &desired.community.webhooks {
            if let Some(ext) = webhook.avatar.as_deref().and_then(data_uri_extension) {
                scope.webhooks.insert(webhook.name.clone(), ext.to_owned());
            }
        }
        for sound in &desired.community.sounds {
            scope.sounds.insert(sound.sound.name.clone());
        }
        for sticker in &desired.community.stickers {
            scope.stickers.insert(sticker.sticker.name.clone());
        }
        for emoji in &desired.community.emojis {
            if let Some(ext) = data_uri_extension(&emoji.data_uri) {
                scope
                    .emojis
                    .insert(emoji.emoji.name.clone(), ext.to_owned());
            }
        }
        scope
    }
}

/// The CDN path of a guild image, without extension: the key of [`LiveGuild::images`].
pub fn guild_key(guild: &LiveGuild, image: GuildImage, hash: &str) -> String {
    format!("{}/{}/{hash}", image.cdn_folder(), guild.id)
}

pub fn role_icon_key(role_id: u64, hash: &str) -> String {
    format!("role-icons/{role_id}/{hash}")
}

pub fn webhook_avatar_key(webhook_id: u64, hash: &str) -> String {
    format!("avatars/{webhook_id}/{hash}")
}

/// Fetches, from the CDN, every live image `scope` names; `CDN path → digest`. All at once.
pub async fn fetch(
    discord: &Discord,
    live: &LiveGuild,
    scope: &ImageScope,
) -> Result<BTreeMap<String, String>, DiscordError> {
    let mut wanted: Vec<(String, String)> = Vec::new();
    for (image, ext) in &scope.guild {
        if let Some(hash) = live.settings.image(*image) {
            wanted.push((guild_key(live, *image, hash), ext.clone()));
        }
    }
    for role in &live.roles {
        let Some(hash) = &role.settings.icon else {
            continue;
        };
        let ext = scope
            .roles
            .get(&role.settings.name)
            .or_else(|| scope.roles.get(&format!("#{}", role.id)));
        if let Some(ext) = ext {
            wanted.push((role_icon_key(role.id.get(), hash), ext.clone()));
        }
    }
    for webhook in &live.community.webhooks {
        if let (Some(hash), Some(ext)) = (&webhook.avatar, scope.webhooks.get(&webhook.name)) {
            wanted.push((webhook_avatar_key(webhook.id, hash), ext.clone()));
        }
    }
    for emoji in &live.community.emojis {
        if let Some(ext) = scope.emojis.get(&emoji.emoji.name) {
            wanted.push((format!("emojis/{}", emoji.id), ext.clone()));
        }
    }
    for sound in &live.community.sounds {
        if scope.sounds.contains(&sound.sound.name) {
            wanted.push((format!("soundboard-sounds/{}", sound.id), String::new()));
        }
    }
    for sticker in &live.community.stickers {
        if scope.stickers.contains(&sticker.sticker.name) {
            wanted.push((
                format!("stickers/{}", sticker.id),
                sticker_extension(sticker.sticker.format).to_owned(),
            ));
        }
    }
    wanted.sort();
    wanted.dedup_by(|a, b| a.0 == b.0);
    let reads = wanted.iter().map(|(key, ext)| {
        let path = if ext.is_empty() {
            key.clone()
        } else {
            format!("{key}.{ext}")
        };
        Box::pin(discord.cdn_asset(path))
    });
    let answers = crate::live::join_all(reads.collect()).await;
    let mut images = BTreeMap::new();
    for ((key, _), answer) in wanted.into_iter().zip(answers) {
        images.insert(key, digest(&answer?));
    }
    Ok(images)
}

/// Downloads every image of the live guild `import` writes (the guild's, unmanaged roles'
/// icons, webhooks' avatars): `CDN path → bytes`. Asked as PNG (GIF for animated hashes), the
/// formats every kind has on Discord's CDN. An image the CDN does not serve is left out (the
/// file then keeps `discord:<hash>`).
pub async fn download(discord: &Discord, live: &LiveGuild) -> BTreeMap<String, Vec<u8>> {
    let mut keys: Vec<String> = Vec::new();
    for image in GUILD_IMAGES {
        if let Some(hash) = live.settings.image(image) {
            keys.push(guild_key(live, image, hash));
        }
    }
    for role in live.roles.iter().filter(|role| !role.managed) {
        if let Some(hash) = &role.settings.icon {
            keys.push(role_icon_key(role.id.get(), hash));
        }
    }
    for webhook in &live.community.webhooks {
        if let Some(hash) = &webhook.avatar {
            keys.push(webhook_avatar_key(webhook.id, hash));
        }
    }
    let mut animated = std::collections::HashSet::new();
    for emoji in live.community.emojis.iter().filter(|emoji| !emoji.managed) {
        let key = format!("emojis/{}", emoji.id);
        if emoji.emoji.animated {
            animated.insert(key.clone());
        }
        keys.push(key);
    }
    for sound in &live.community.sounds {
        keys.push(format!("soundboard-sounds/{}", sound.id));
    }
    let mut sticker_ext = std::collections::HashMap::new();
    for sticker in &live.community.stickers {
        let key = format!("stickers/{}", sticker.id);
        sticker_ext.insert(key.clone(), sticker_extension(sticker.sticker.format));
        keys.push(key);
    }
    let reads = keys.iter().map(|key| {
        if key.starts_with("soundboard-sounds/") {
            return Box::pin(discord.cdn_asset(key.clone()));
        }
        if let Some(ext) = sticker_ext.get(key) {
            return Box::pin(discord.cdn_asset(format!("{key}.{ext}")));
        }
        let ext = if animated.contains(key)
            || key
                .rsplit('/')
                .next()
                .is_some_and(|hash| hash.starts_with("a_"))
        {
            "gif"
        } else {
            "png"
        };
        Box::pin(discord.cdn_asset(format!("{key}.{ext}")))
    });
    let answers = crate::live::join_all(reads.collect()).await;
    keys.into_iter()
        .zip(answers)
        .filter_map(|(key, answer)| Some((key, answer.ok()?)))
        .collect()
}

/// The extension a sticker is served with (`reference.mdx`: PNG and APNG as `.png`, Lottie as
/// `.json`, GIF as `.gif`, from `media.discordapp.net`).
pub fn sticker_extension(format: u8) -> &'static str {
    match format {
        3 => "json",
        4 => "gif",
        _ => "png",
    }
}

/// Whether the live image at CDN path `key` has the bytes of `data_uri`. An image that was not
/// fetched compares unequal (it is then uploaded again, which is harmless).
pub fn same_content(live: &LiveGuild, key: &str, data_uri: &str) -> bool {
    match (live.images.get(key), data_uri_digest(data_uri)) {
        (Some(live), Some(file)) => *live == file,
        _ => false,
    }
}

/// `sha256:<hex>` of `bytes`.
pub fn digest(bytes: &[u8]) -> String {
    let hash = Sha256::digest(bytes);
    let mut text = String::with_capacity(7 + 64);
    text.push_str("sha256:");
    for byte in hash {
        text.push_str(&format!("{byte:02x}"));
    }
    text
}

/// The digest of the bytes a `data:` URI holds.
pub fn data_uri_digest(uri: &str) -> Option<String> {
    data_uri_bytes(uri).map(|bytes| digest(&bytes))
}

/// The media type and bytes of a `data:<type>;base64,<payload>` URI.
pub fn data_uri_bytes(uri: &str) -> Option<Vec<u8>> {
    let (_, payload) = uri.strip_prefix("data:")?.split_once(";base64,")?;
    decode_base64(payload)
}

/// The file extension of the format a `data:` URI holds (`png`, `jpg`, `gif`, `webp`).
pub fn data_uri_extension(uri: &str) -> Option<&'static str> {
    let media_type = uri.strip_prefix("data:")?.split_once(";base64,")?.0;
    Some(match media_type {
        "image/png" => "png",
        "image/jpeg" => "jpg",
        "image/gif" => "gif",
        "image/webp" => "webp",
        _ => return None,
    })
}

/// The extension for bytes, by their magic number (`import` names downloaded files so).
pub fn extension_of(bytes: &[u8]) -> Option<&'static str> {
    if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        Some("png")
    } else if bytes.starts_with(&[0xff, 0xd8, 0xff]) {
        Some("jpg")
    } else if bytes.starts_with(b"GIF87a") || bytes.starts_with(b"GIF89a") {
        Some("gif")
    } else if bytes.len() >= 12 && &bytes[..4] == b"RIFF" && &bytes[8..12] == b"WEBP" {
        Some("webp")
    } else {
        None
    }
}

fn decode_base64(text: &str) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(text.len() / 4 * 3);
    let mut buffer: u32 = 0;
    let mut bits = 0;
    for byte in text.trim_end_matches('=').bytes() {
        let value = match byte {
            b'A'..=b'Z' => byte - b'A',
            b'a'..=b'z' => byte - b'a' + 26,
            b'0'..=b'9' => byte - b'0' + 52,
            b'+' => 62,
            b'/' => 63,
            _ => return None,
        };
        buffer = ((buffer << 6) | u32::from(value)) & 0xFF_FFFF;
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push(((buffer >> bits) & 0xFF) as u8);
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    #[test]
    fn data_uris_decode_to_their_bytes() {
        assert_eq!(
            super::data_uri_bytes("data:image/png;base64,Zm9vYmFy").unwrap(),
            b"foobar"
        );
        assert_eq!(
            super::data_uri_bytes("data:image/png;base64,Zm9vYg==").unwrap(),
            b"foob"
        );
        assert_eq!(
            super::data_uri_digest("data:image/png;base64,Zm9vYmFy"),
            Some(super::digest(b"foobar"))
        );
        assert!(super::data_uri_bytes("discord:abc").is_none());
        assert_eq!(
            super::data_uri_extension("data:image/jpeg;base64,AA=="),
            Some("jpg")
        );
    }
}
