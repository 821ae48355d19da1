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

impl Validator<'_> {
    /// `[[soundboard]]`: MP3 or Ogg files (by their first bytes), at most 512 KiB; the 5.2
    /// seconds Discord allows cannot be checked without decoding the audio, so Discord checks it.
    pub(super) fn sounds(
        &mut self,
        raw: &[Sp<crate::config::raw::RawSound>],
    ) -> Vec<crate::model::expressions::DesiredSound> {
        use crate::model::expressions::{DesiredSound, SOUND_BYTES_MAX, Sound, Volume, sound_type};
        let mut sounds: Vec<DesiredSound> = Vec::new();
        let mut seen: Vec<(String, std::ops::Range<usize>)> = Vec::new();
        for entry in raw {
            let (Some(name), Some(file)) = (&entry.value.name, &entry.value.file) else {
                continue;
            };
            let mut valid = true;
            let length = name.value.chars().count();
            if !(2..=32).contains(&length) {
                self.error(
                    format!(
                        "sound name `{}` is {length} characters long (Discord needs 2-32)",
                        name.value
                    ),
                    name.span.clone(),
                );
                valid = false;
            }
            if let Some((_, first)) = seen.iter().find(|(other, _)| *other == name.value) {
                let line = self.position_of(first);
                self.error(
                    format!("two sounds are named `{}`", name.value),
                    name.span.clone(),
                )
                .hint = Some(format!(
                    "the first is on {line}; sounds are matched by name"
                ));
                valid = false;
            }
            seen.push((name.value.clone(), name.span.clone()));
            let volume = match &entry.value.volume {
                Some(volume) if !(0.0..=1.0).contains(&volume.value) => {
                    self.error(
                        format!("volume {} is not between 0 and 1", volume.value),
                        volume.span.clone(),
                    )
                    .hint = Some("1 is full volume, 0.5 half".into());
                    valid = false;
                    Volume::from_f64(1.0)
                }
                Some(volume) => Volume::from_f64(volume.value),
                None => Volume::from_f64(1.0),
            };
            let emoji = entry.value.emoji.as_ref().and_then(|emoji| {
                let parsed = self.emoji(emoji);
                valid &= parsed.is_some();
                parsed
            });
            let Some(path) = self.inside_file(file) else {
                continue;
            };
            let bytes = match crate::config::files::read_capped(&path, SOUND_BYTES_MAX as u64) {
                Ok(bytes) => bytes,
                Err(crate::config::files::FileProblem::TooBig { size, .. }) => {
                    self.error(
                        format!(
                            "sound `{}` is {} KiB (Discord allows at most 512 KiB)",
                            file.value,
                            size.div_ceil(1024)
                        ),
                        file.span.clone(),
                    )
                    .hint =
                        Some("shorten or re-encode it; sounds play for 5.2 seconds at most".into());
                    continue;
                }
                Err(problem) => {
                    self.error(
                        format!("cannot read sound `{}`: {problem}", path.display()),
                        file.span.clone(),
                    )
                    .hint = Some(problem.hint().into());
                    continue;
                }
            };
            let Some(media_type) = sound_type(&bytes) else {
                self.error(
                    format!("sound `{}` is not an MP3 or Ogg file", file.value),
                    file.span.clone(),
                )
                .hint = Some("Discord accepts MP3 and Ogg sounds".into());
                continue;
            };
            if !valid {
                continue;
            }
            let data_uri = format!("data:{media_type};base64,{}", super::images::base64(&bytes));
            sounds.push(DesiredSound {
                sound: Sound {
                    name: name.value.clone(),
                    volume,
                    emoji,
                    sound: Some(crate::images::digest(&bytes)),
                },
                data_uri,
            });
        }
        sounds
    }
}

impl Validator<'_> {
    /// `[[stickers]]`: PNG, APNG, GIF or Lottie JSON (by content), at most 512 KiB.
    pub(super) fn stickers(
        &mut self,
        raw: &[Sp<crate::config::raw::RawSticker>],
    ) -> Vec<crate::model::expressions::DesiredSticker> {
        use crate::model::expressions::{
            DesiredSticker, STICKER_BYTES_MAX, Sticker, sticker_format,
        };
        let mut stickers = Vec::new();
        let mut seen: Vec<(String, std::ops::Range<usize>)> = Vec::new();
        for entry in raw {
            let (Some(name), Some(tags), Some(file)) =
                (&entry.value.name, &entry.value.tags, &entry.value.file)
            else {
                continue;
            };
            let mut valid = true;
            let mut length_check = |validator: &mut Self,
                                    value: &Sp<String>,
                                    what: &str,
                                    range: std::ops::RangeInclusive<usize>,
                                    empty_ok: bool| {
                let length = value.value.chars().count();
                if !(range.contains(&length) || (empty_ok && length == 0)) {
                    validator.error(
                        format!(
                            "sticker {what} is {length} characters long (Discord needs {}{}-{})",
                            if empty_ok { "none or " } else { "" },
                            range.start(),
                            range.end()
                        ),
                        value.span.clone(),
                    );
                    valid = false;
                }
            };
            length_check(self, name, "name", 2..=30, false);
            length_check(self, tags, "tags", 1..=200, false);
            if let Some(description) = &entry.value.description {
                length_check(self, description, "description", 2..=100, true);
            }
            if let Some((_, first)) = seen.iter().find(|(other, _)| *other == name.value) {
                let line = self.position_of(first);
                self.error(
                    format!("two stickers are named `{}`", name.value),
                    name.span.clone(),
                )
                .hint = Some(format!(
                    "the first is on {line}; stickers are matched by name"
                ));
                valid = false;
            }
            seen.push((name.value.clone(), name.span.clone()));
            let Some(path) = self.inside_file(file) else {
                continue;
            };
            let bytes = match crate::config::files::read_capped(&path, STICKER_BYTES_MAX as u64) {
                Ok(bytes) => bytes,
                Err(crate::config::files::FileProblem::TooBig { size, .. }) => {
                    self.error(
                        format!(
                            "sticker `{}` is {} KiB (Discord allows at most 512 KiB)",
                            file.value,
                            size.div_ceil(1024)
                        ),
                        file.span.clone(),
                    )
                    .hint = Some("shrink the image; stickers show at 320×320".into());
                    continue;
                }
                Err(problem) => {
                    self.error(
                        format!("cannot read sticker `{}`: {problem}", path.display()),
                        file.span.clone(),
                    )
                    .hint = Some(problem.hint().into());
                    continue;
                }
            };
            let Some((format, media_type)) = sticker_format(&bytes) else {
                self.error(
                    format!(
                        "sticker `{}` is not a PNG, APNG, GIF or Lottie JSON file",
                        file.value
                    ),
                    file.span.clone(),
                )
                .hint = Some("Discord accepts PNG, APNG, GIF and Lottie stickers".into());
                continue;
            };
            if !valid {
                continue;
            }
            stickers.push(DesiredSticker {
                sticker: Sticker {
                    name: name.value.clone(),
                    description: entry
                        .value
                        .description
                        .as_ref()
                        .map(|d| d.value.clone())
                        .unwrap_or_default(),
                    tags: tags.value.clone(),
                    format,
                    file: Some(crate::images::digest(&bytes)),
                },
                data_uri: format!("data:{media_type};base64,{}", super::images::base64(&bytes)),
            });
        }
        stickers
    }
}
