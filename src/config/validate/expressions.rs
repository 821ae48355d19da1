//! `[[emojis]]`: custom emoji with their image files and the roles allowed to use them.

use super::Validator;
use super::images::Image;
use crate::config::raw::{RawEmoji, Sp};
use crate::model::expressions::{CustomEmoji, DesiredEmoji, EMOJI_BYTES_MAX, is_emoji_name};

impl Validator<'_> {
    pub(super) fn emojis(&mut self, raw: &[Sp<RawEmoji>]) -> Vec<DesiredEmoji> {
        let mut emojis: Vec<DesiredEmoji> = Vec::new();
        let mut seen: Vec<(String, std::ops::Range<usize>)> = Vec::new();
        for entry in raw {
            let (Some(name), Some(file)) = (&entry.value.name, &entry.value.file) else {
                continue;
            };
            let mut valid = true;
            if !is_emoji_name(&name.value) {
                self.error(
                    format!(
                        "emoji name `{}` is not 2-32 letters, digits or `_`",
                        name.value
                    ),
                    name.span.clone(),
                )
                .hint = Some(
                    "Discord's emoji names are like `miyabi_wave`: no spaces, dashes or accents"
                        .into(),
                );
                valid = false;
            }
            if let Some((_, first)) = seen
                .iter()
                .find(|(other, _)| other.eq_ignore_ascii_case(&name.value))
            {
                let line = self.position_of(first);
                self.error(
                    format!("two emoji are named `{}`", name.value),
                    name.span.clone(),
                )
                .hint = Some(format!(
                    "the first is on {line}; emoji are matched by name, so each name is used once"
                ));
                valid = false;
            }
            seen.push((name.value.clone(), name.span.clone()));
            let image = if file.value.starts_with("discord:") {
                self.error(
                    "an emoji's image is a file",
                    file.span.clone(),
                )
                .hint = Some("save the image next to this file and write its path (`import --out` downloads them)".into());
                None
            } else {
                self.image(
                    file,
                    &Image {
                        what: "emoji image",
                        max_bytes: EMOJI_BYTES_MAX,
                        too_big: "shrink the image; emoji show at 128×128 at most",
                        accepted: "Discord accepts PNG, JPEG, WebP and GIF (animated) emoji",
                    },
                )
            };
            let roles = entry
                .value
                .roles
                .as_ref()
                .map(|roles| self.role_list(&roles.value, "an emoji's role"))
                .unwrap_or_default();
            let (Some(data_uri), true) = (image, valid) else {
                continue;
            };
            emojis.push(DesiredEmoji {
                emoji: CustomEmoji {
                    name: name.value.clone(),
                    roles,
                    image: crate::images::data_uri_digest(&data_uri),
                    animated: data_uri.starts_with("data:image/gif;"),
                },
                data_uri,
            });
        }
        emojis
    }
}
