//! `[guild]` images: icon, banner, invite splash, discovery splash, read from files beside the
//! server file in the formats Discord documents for each (`guild.mdx`, "Modify Guild").

use super::Validator;
use super::images::Image;
use crate::config::raw::{RawGuild, Sp};
use crate::images::GuildImage;
use crate::model::DesiredGuildSettings;

/// Discord's upload limit for guild images [inferred: the docs give none; 10 MiB is the
/// general upload limit].
pub const GUILD_IMAGE_BYTES_MAX: usize = 10 * 1024 * 1024;

impl Validator<'_> {
    pub(super) fn guild_images(&mut self, raw: &RawGuild, settings: &mut DesiredGuildSettings) {
        let images = [
            (GuildImage::Icon, &raw.icon),
            (GuildImage::Banner, &raw.banner),
            (GuildImage::InviteSplash, &raw.invite_splash),
            (GuildImage::DiscoverySplash, &raw.discovery_splash),
        ];
        for (image, value) in images {
            let Some(value) = value else { continue };
            if value.value.is_empty() {
                settings.images.insert(image, None);
                continue;
            }
            if let Some(uri) = self.guild_image(image, value) {
                settings.images.insert(image, Some(uri));
            }
        }
    }

    fn guild_image(&mut self, image: GuildImage, value: &Sp<String>) -> Option<String> {
        let (accepted, formats): (&'static str, &[&str]) = match image {
            GuildImage::Icon | GuildImage::Banner => (
                "Discord accepts PNG, JPEG and GIF (animated: needs the ANIMATED_* feature) for this",
                &["image/png", "image/jpeg", "image/gif"],
            ),
            GuildImage::InviteSplash | GuildImage::DiscoverySplash => (
                "Discord accepts PNG and JPEG splashes",
                &["image/png", "image/jpeg"],
            ),
        };
        let uri = self.image(
            value,
            &Image {
                what: image.key(),
                max_bytes: GUILD_IMAGE_BYTES_MAX,
                too_big: "shrink the image; Discord shows it at most 1024 pixels wide for icons, 960×540 for banners and splashes",
                accepted,
            },
        )?;
        if uri.starts_with("discord:") {
            return Some(uri);
        }
        let media_type = uri
            .strip_prefix("data:")
            .and_then(|rest| rest.split_once(';'))
            .map(|(media_type, _)| media_type)
            .unwrap_or_default();
        if !formats.contains(&media_type) {
            self.error(
                format!("{} `{}` is a {media_type} image", image.key(), value.value),
                value.span.clone(),
            )
            .hint = Some(accepted.into());
            return None;
        }
        Some(uri)
    }
}
