//! Discord's CDN, emulated beside the API: `GET /icons/{guild_id}/{hash}.{ext}`,
//! `/banners/…`, `/splashes/…`, `/discovery-splashes/…` (the guild's images),
//! `/role-icons/{role_id}/{hash}.{ext}`, `/avatars/{webhook_id}/{hash}.{ext}` (webhooks'
//! avatars), as `reference.mdx` ("CDN Endpoints") lists them. No token is needed, like
//! Discord's CDN.
//!
//! The bytes served are the bytes uploaded: the emulator keeps every uploaded image by its hash
//! ([`GuildState::images`]). Discord converts to the extension asked for; the emulator cannot
//! convert, so it serves the stored bytes whatever the extension (with their own media type).
//! A hash the object does not have now is a 404, like a stale CDN link.

use super::image::decode_data_uri;
use super::state::GuildState;

/// The route template of a CDN path, for recordings (`GET /icons/{guild_id}/{hash}`).
pub fn route(path: &str) -> Option<&'static str> {
    let folder = path.trim_start_matches('/').split('/').next()?;
    Some(match folder {
        "icons" => "GET /icons/{guild_id}/{hash}",
        "banners" => "GET /banners/{guild_id}/{hash}",
        "splashes" => "GET /splashes/{guild_id}/{hash}",
        "discovery-splashes" => "GET /discovery-splashes/{guild_id}/{hash}",
        "role-icons" => "GET /role-icons/{role_id}/{hash}",
        "avatars" => "GET /avatars/{webhook_id}/{hash}",
        "emojis" => "GET /emojis/{emoji_id}",
        "soundboard-sounds" => "GET /soundboard-sounds/{sound_id}",
        "stickers" => "GET /stickers/{sticker_id}",
        _ => return None,
    })
}

/// The media type and bytes at `path`, if the guild has that image now.
pub fn serve(state: &GuildState, path: &str) -> Option<(String, Vec<u8>)> {
    let stored = |key: String| -> Option<(String, Vec<u8>)> {
        let uri = state.images.get(&key)?;
        let media_type = uri.strip_prefix("data:")?.split_once(";base64,")?.0;
        Some((media_type.to_owned(), crate::images::data_uri_bytes(uri)?))
    };
    if let Some(file) = path.strip_prefix("/stickers/") {
        let id = file.split_once('.').map_or(file, |(id, _)| id);
        return stored(format!("sticker:{id}"));
    }
    if let Some(id) = path.strip_prefix("/soundboard-sounds/") {
        let uri = state.images.get(&format!("sound:{id}"))?;
        let (media_type, rest) = uri.strip_prefix("data:")?.split_once(";base64,")?;
        let bytes = crate::images::data_uri_bytes(&format!("data:{media_type};base64,{rest}"))?;
        return Some((media_type.to_owned(), bytes));
    }
    if let Some(file) = path.strip_prefix("/emojis/") {
        let id = file.split_once('.').map_or(file, |(id, _)| id);
        let (media_type, bytes) = decode_data_uri(state.images.get(&format!("emoji:{id}"))?)?;
        return Some((media_type.to_owned(), bytes));
    }
    let mut parts = path.trim_start_matches('/').split('/');
    let (folder, owner, file) = (parts.next()?, parts.next()?, parts.next()?);
    if parts.next().is_some() {
        return None;
    }
    let hash = file.split_once('.').map_or(file, |(hash, _)| hash);
    let owner: u64 = owner.parse().ok()?;
    let guild = &state.guild;
    let current = match folder {
        "icons" | "banners" | "splashes" | "discovery-splashes" if owner == guild.id.get() => {
            match folder {
                "icons" => guild.icon.clone(),
                "banners" => guild.banner.clone(),
                "splashes" => guild.splash.clone(),
                _ => guild.discovery_splash.clone(),
            }
        }
        "role-icons" => state
            .roles
            .iter()
            .find(|role| role.id.get() == owner)
            .and_then(|role| role.icon.clone()),
        "avatars" => state
            .webhooks
            .iter()
            .find(|webhook| webhook.id.get() == owner)
            .and_then(|webhook| webhook.avatar.clone()),
        _ => None,
    }?;
    if current != hash {
        return None;
    }
    let (media_type, bytes) = decode_data_uri(state.images.get(hash)?)?;
    Some((media_type.to_owned(), bytes))
}
