//! Images and emojis: role icons and avatars read from files beside the server file, unicode
//! and custom emojis.

use super::{Validator, limits};
use crate::config::raw::Sp;
use crate::model::Emoji;

/// How an image file is checked.
pub(super) struct Image {
    pub what: &'static str,
    pub max_bytes: usize,
    pub too_big: &'static str,
    pub accepted: &'static str,
}

impl Validator<'_> {
    /// A unicode emoji, or a custom one as `<:name:id>` / `<a:name:id>`.
    pub(super) fn emoji(&mut self, value: &Sp<String>) -> Option<Emoji> {
        let text = value.value.as_str();
        if text.starts_with('<') {
            let id = text
                .strip_prefix("<a:")
                .or_else(|| text.strip_prefix("<:"))
                .and_then(|rest| rest.strip_suffix('>'))
                .and_then(|rest| rest.split_once(':'))
                .filter(|(name, _)| {
                    (2..=32).contains(&name.len())
                        && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
                })
                .and_then(|(_, id)| {
                    Some(id)
                        .filter(|id| id.chars().all(|c| c.is_ascii_digit()))
                        .and_then(|id| id.parse::<u64>().ok())
                })
                .filter(|id| *id > 0);
            return match id {
                Some(id) => Some(Emoji::Custom(twilight_model::id::Id::new(id))),
                None => {
                    self.error(
                        format!("`{text}` is not a custom emoji"),
                        value.span.clone(),
                    )
                    .hint = Some(
                        "write custom emojis as `<:name:id>` (`<a:name:id>` when animated), as typing `\\:name:` in Discord shows them".into(),
                    );
                    None
                }
            };
        }
        self.unicode_emoji(value).map(Emoji::Unicode)
    }

    pub(super) fn unicode_emoji(&mut self, value: &Sp<String>) -> Option<String> {
        let text = value.value.as_str();
        if is_unicode_emoji(text) {
            return Some(text.to_owned());
        }
        let hint = if text.starts_with(':') && text.ends_with(':') && text.len() > 2 {
            "Discord's `:shortcodes:` are not accepted here: paste the emoji itself, like `\"✅\"`"
        } else {
            "write a unicode emoji, like `\"✅\"`, or a custom emoji as `<:name:id>`"
        };
        self.error(format!("`{text}` is not an emoji"), value.span.clone())
            .hint = Some(hint.into());
        None
    }

    /// A role icon: an image file next to the server file, as a `data:` URI; or `discord:<hash>`
    /// for the icon the role already has.
    pub(super) fn icon(&mut self, icon: &Sp<String>) -> Option<String> {
        self.image(
            icon,
            &Image {
                what: "icon",
                max_bytes: limits::ICON_BYTES_MAX,
                too_big: "shrink the image; role icons show at 64×64 at most",
                accepted: "Discord accepts PNG, JPEG, GIF and WebP role icons",
            },
        )
    }

    /// An image file next to the server file, as a `data:` URI; or `discord:<hash>` for the
    /// image the object already has.
    pub(super) fn image(&mut self, value: &Sp<String>, image: &Image) -> Option<String> {
        let what = image.what;
        let text = value.value.as_str();
        if let Some(hash) = text.strip_prefix("discord:") {
            if !hash.is_empty() && hash.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
                return Some(text.to_owned());
            }
            self.error(
                format!("`{text}` is not an {what} hash"),
                value.span.clone(),
            )
            .hint = Some(format!(
                "`discord:<hash>` keeps the current {what} (as `import` writes it); otherwise give an image file"
            ));
            return None;
        }
        let path = self.inside_file(value)?;
        let bytes = match crate::config::files::read_capped(&path, image.max_bytes as u64) {
            Ok(bytes) => bytes,
            Err(crate::config::files::FileProblem::TooBig { size, .. }) => {
                self.error(
                    format!(
                        "{what} `{text}` is {} KiB (Discord allows at most {} KiB)",
                        size.div_ceil(1024),
                        image.max_bytes / 1024
                    ),
                    value.span.clone(),
                )
                .hint = Some(image.too_big.into());
                return None;
            }
            Err(problem) => {
                let hint = match &problem {
                    crate::config::files::FileProblem::Io(error)
                        if error.kind() == std::io::ErrorKind::NotFound =>
                    {
                        format!(
                            "{what} paths are relative to the folder of {}",
                            self.source.name
                        )
                    }
                    other => other.hint().to_owned(),
                };
                self.error(
                    format!("cannot read {what} `{}`: {problem}", path.display()),
                    value.span.clone(),
                )
                .hint = Some(hint);
                return None;
            }
        };
        let Some(mime) = image_type(&bytes) else {
            self.error(
                format!("{what} `{text}` is not a PNG, JPEG, GIF or WebP image"),
                value.span.clone(),
            )
            .hint = Some(image.accepted.into());
            return None;
        };
        Some(format!("data:{mime};base64,{}", base64(&bytes)))
    }

    /// A path written in the file, relative to the file's folder.
    pub(super) fn beside_file(&self, path: &str) -> std::path::PathBuf {
        std::path::Path::new(&self.source.name)
            .parent()
            .unwrap_or(std::path::Path::new(""))
            .join(path)
    }

    /// The file a path written in the file names, when it stays inside the file's folder; an
    /// error otherwise. What the tool reads it may show (a message's first line in a plan, a
    /// snippet under an error), so a pull request must not point it at a file elsewhere on the
    /// CI runner: no absolute path, no `..`, no symbolic link leading out.
    pub(super) fn inside_file(&mut self, value: &Sp<String>) -> Option<std::path::PathBuf> {
        let written = std::path::Path::new(&value.value);
        let leaves = written.is_absolute()
            || value.value.starts_with(['/', '\\'])
            || written.components().any(|part| {
                matches!(
                    part,
                    std::path::Component::ParentDir
                        | std::path::Component::RootDir
                        | std::path::Component::Prefix(_)
                )
            });
        let path = self.beside_file(&value.value);
        let escapes = || {
            let folder = self.beside_file("");
            let folder = if folder.as_os_str().is_empty() {
                std::path::PathBuf::from(".")
            } else {
                folder
            };
            let folder = std::fs::canonicalize(folder).ok()?;
            let target = std::fs::canonicalize(&path).ok()?;
            Some(!target.starts_with(folder))
        };
        if leaves || escapes() == Some(true) {
            self.error(
                format!(
                    "`{}` is outside the folder of {}",
                    value.value, self.source.name
                ),
                value.span.clone(),
            )
            .hint = Some(
                "paths are relative to the server file's folder and stay inside it: no absolute path, no `..`, no symbolic link leading out"
                    .into(),
            );
            return None;
        }
        Some(path)
    }
}

/// A unicode emoji as Discord stores it: one short run of non-ASCII symbols (keycaps like `1️⃣`
/// have an ASCII digit before U+20E3).
pub(crate) fn is_unicode_emoji(text: &str) -> bool {
    let keycap = text.contains('\u{20e3}');
    !text.is_empty()
        && text.chars().count() <= limits::EMOJI_MAX
        && !text.is_ascii()
        && text.chars().all(|c| {
            !c.is_whitespace()
                && (!c.is_ascii() || (keycap && (c.is_ascii_digit() || c == '#' || c == '*')))
        })
}

/// The MIME type of an image Discord accepts as a role icon, from its first bytes.
pub(super) fn image_type(bytes: &[u8]) -> Option<&'static str> {
    if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        Some("image/png")
    } else if bytes.starts_with(&[0xff, 0xd8, 0xff]) {
        Some("image/jpeg")
    } else if bytes.starts_with(b"GIF87a") || bytes.starts_with(b"GIF89a") {
        Some("image/gif")
    } else if bytes.len() >= 12 && &bytes[..4] == b"RIFF" && &bytes[8..12] == b"WEBP" {
        Some("image/webp")
    } else {
        None
    }
}

/// Standard base64 with padding.
pub(super) fn base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            chunk.get(1).copied().unwrap_or(0),
            chunk.get(2).copied().unwrap_or(0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for (i, shift) in [18, 12, 6, 0].into_iter().enumerate() {
            if i <= chunk.len() {
                out.push(char::from(ALPHABET[((n >> shift) & 63) as usize]));
            } else {
                out.push('=');
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn base64_matches_the_rfc_examples() {
        let cases = [
            ("", ""),
            ("f", "Zg=="),
            ("fo", "Zm8="),
            ("foo", "Zm9v"),
            ("foob", "Zm9vYg=="),
            ("fooba", "Zm9vYmE="),
            ("foobar", "Zm9vYmFy"),
        ];
        for (input, output) in cases {
            assert_eq!(super::base64(input.as_bytes()), output);
        }
    }

    #[test]
    fn unicode_emojis_are_recognised() {
        for emoji in ["✅", "🛡️", "👍🏽", "1️⃣", "#️⃣", "🏳️‍🌈"] {
            assert!(super::is_unicode_emoji(emoji), "{emoji}");
        }
        for text in ["", "ok", ":smile:", "✅ ✅", "1"] {
            assert!(!super::is_unicode_emoji(text), "{text}");
        }
    }
}
