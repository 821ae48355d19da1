//! Images compared by content (see `crate::images`): a declared image file is unchanged when
//! the CDN's bytes of the live image are the file's bytes.

use crate::images::{self, GUILD_IMAGES, GuildImage};
use crate::model::{DesiredGuildSettings, LiveGuild, LiveRole, RoleSettings};
use crate::plan::GuildSpec;

/// The declared role with its icon file replaced by the live hash when the live icon has the
/// file's bytes (then nothing is uploaded).
pub(super) fn same_role_icon(
    live: &LiveGuild,
    wanted: &RoleSettings,
    role: &LiveRole,
) -> RoleSettings {
    let mut wanted = wanted.clone();
    if let (Some(uri), Some(hash)) = (&wanted.icon, &role.settings.icon)
        && uri.starts_with("data:")
        && images::same_content(live, &images::role_icon_key(role.id.get(), hash), uri)
    {
        wanted.icon = Some(hash.clone());
    }
    wanted
}

/// The plan's value of an image uploaded from a file: `sha256:<hex>` of its bytes (the plan
/// does not carry the bytes; `apply::Assets::images` holds them by this label).
pub fn upload_label(data_uri: &str) -> Option<String> {
    images::data_uri_digest(data_uri)
}

/// Sets the guild images of `after` the file manages: kept when the live image has the file's
/// bytes, the file's label when it differs, `None` to remove. What needs a feature the guild
/// lacks is left as it is, with a warning (Discord would refuse the whole guild update).
pub(super) fn guild_images(
    live: &LiveGuild,
    wanted: &DesiredGuildSettings,
    after: &mut GuildSpec,
    warnings: &mut Vec<String>,
) {
    for image in GUILD_IMAGES {
        let Some(value) = wanted.images.get(&image) else {
            continue;
        };
        let current = live.settings.image(image).cloned();
        let planned = match value.as_deref() {
            None => None,
            Some(keep) if keep.starts_with("discord:") => {
                if current.is_none() {
                    warnings.push(format!(
                        "[guild] {}: `discord:…` keeps the current {}, but the server has none; point `{}` at an image file",
                        image.key(),
                        image.describe(),
                        image.key()
                    ));
                }
                current.clone()
            }
            Some(uri) => match &current {
                Some(hash)
                    if images::same_content(live, &images::guild_key(live, image, hash), uri) =>
                {
                    current.clone()
                }
                _ => upload_label(uri),
            },
        };
        if planned != current
            && planned.is_some()
            && let Some(missing) = missing_feature(live, image, value.as_deref().unwrap_or(""))
        {
            warnings.push(format!(
                "[guild] {}: the {} is not applied, because it needs the server feature {missing}{}",
                image.key(),
                image.describe(),
                boost_hint(missing)
            ));
            continue;
        }
        *spec_image(after, image) = planned;
    }
}

/// The feature Discord requires for this upload that the guild does not have.
fn missing_feature(live: &LiveGuild, image: GuildImage, uri: &str) -> Option<&'static str> {
    if let Some(feature) = image.feature()
        && !live.has_feature(feature)
    {
        return Some(feature);
    }
    let animated = uri.starts_with("data:image/gif;");
    match image {
        GuildImage::Icon if animated && !live.has_feature("ANIMATED_ICON") => Some("ANIMATED_ICON"),
        GuildImage::Banner if animated && !live.has_feature("ANIMATED_BANNER") => {
            Some("ANIMATED_BANNER")
        }
        _ => None,
    }
}

fn boost_hint(feature: &str) -> &'static str {
    match feature {
        "BANNER" => " (boost level 2)",
        "INVITE_SPLASH" | "ANIMATED_ICON" => " (boost level 1)",
        "ANIMATED_BANNER" => " (boost level 3)",
        "DISCOVERABLE" => " (server discovery, turned on in the server's settings)",
        _ => "",
    }
}

/// The field of `spec` holding `image`.
pub fn spec_image(spec: &mut GuildSpec, image: GuildImage) -> &mut Option<String> {
    match image {
        GuildImage::Icon => &mut spec.icon,
        GuildImage::Banner => &mut spec.banner,
        GuildImage::InviteSplash => &mut spec.splash,
        GuildImage::DiscoverySplash => &mut spec.discovery_splash,
    }
}
