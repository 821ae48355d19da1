//! The guild's images in `PATCH /guilds/{guild_id}`: `icon`, `banner`, `splash`,
//! `discovery_splash`, each `null` (remove) or image data, in the formats and with the features
//! `guild.mdx` ("Modify Guild") documents: icon PNG/JPEG/GIF (GIF needs ANIMATED_ICON), banner
//! PNG/JPEG with BANNER (GIF with ANIMATED_BANNER), splash PNG/JPEG with INVITE_SPLASH,
//! discovery splash PNG/JPEG with DISCOVERABLE. A missing feature is a 50035 under the field
//! [inferred: Discord's wording for it is not documented].

use crate::emulator::error::FormErrors;
use crate::emulator::image;
use crate::emulator::state::GuildState;
use crate::emulator::validate::{Field, Fields};

/// `(field, hash or null)` for each image field present and valid.
pub type Images = Vec<(&'static str, Option<String>)>;

pub fn parse(fields: &Fields<'_>, state: &GuildState, errors: &mut FormErrors) -> Images {
    let mut images = Vec::new();
    for key in ["icon", "banner", "splash", "discovery_splash"] {
        let value = image::field(fields, key, errors);
        let hash = match value {
            Field::Value(hash) => hash,
            Field::Null => {
                images.push((key, None));
                continue;
            }
            _ => continue,
        };
        let animated = hash.starts_with("a_");
        let media_type = match fields.raw(key) {
            Field::Value(serde_json::Value::String(text)) => image::decode_data_uri(text)
                .map(|(media_type, _)| media_type.to_owned())
                .unwrap_or_default(),
            _ => String::new(),
        };
        let static_ok = matches!(media_type.as_str(), "image/png" | "image/jpeg");
        let (feature, animated_feature) = match key {
            "icon" => (None, Some("ANIMATED_ICON")),
            "banner" => (Some("BANNER"), Some("ANIMATED_BANNER")),
            "splash" => (Some("INVITE_SPLASH"), None),
            _ => (Some("DISCOVERABLE"), None),
        };
        if let Some(feature) = feature
            && !state.has_feature(feature)
        {
            errors.add(
                &[key],
                "GUILD_FEATURE_REQUIRED",
                &format!("This server needs the {feature} feature to set this."),
            );
            continue;
        }
        if animated {
            match animated_feature {
                Some(feature) if state.has_feature(feature) => {}
                Some(feature) => {
                    errors.add(
                        &[key],
                        "GUILD_FEATURE_REQUIRED",
                        &format!("This server needs the {feature} feature for an animated image."),
                    );
                    continue;
                }
                None => {
                    errors.add(&[key], "IMAGE_INVALID", "Invalid image data");
                    continue;
                }
            }
        } else if !static_ok {
            errors.add(&[key], "IMAGE_INVALID", "Invalid image data");
            continue;
        }
        images.push((key, Some(hash)));
    }
    images
}

pub fn apply(state: &mut GuildState, images: Images) {
    for (key, hash) in images {
        let slot = match key {
            "icon" => &mut state.guild.icon,
            "banner" => &mut state.guild.banner,
            "splash" => &mut state.guild.splash,
            _ => &mut state.guild.discovery_splash,
        };
        *slot = hash;
    }
}
