//! `import --out`: the guild's images, role icons and webhook avatars downloaded from the CDN
//! (by `crate::images::download`) are written as files under `images/` beside the file, which
//! names them; planning the result compares them by content and finds them unchanged. Without
//! a downloaded file (standard output, or bytes in no format the file accepts) the file keeps
//! `discord:<hash>`.

use super::Importer;

impl Importer<'_> {
    /// The path to write for the image at CDN `key` (`images/<stem>.<ext>`), queued to be
    /// written; `None` when it was not downloaded.
    pub(super) fn image_file(&mut self, key: &str, stem: &str) -> Option<String> {
        let bytes = self.downloads?.get(key)?;
        let ext = crate::images::extension_of(bytes)?;
        let path = format!("images/{stem}.{ext}");
        if !self.image_files.iter().any(|(taken, _)| *taken == path) {
            self.image_files.push((path.clone(), bytes.clone()));
        }
        Some(path)
    }
}

/// A file-name stem from a name: ASCII letters and digits, runs of anything else as `-`.
pub(super) fn stem(name: &str) -> String {
    let mut out = String::new();
    for c in name.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.ends_with('-') {
            out.push('-');
        }
    }
    let out = out.trim_matches('-');
    if out.is_empty() {
        "image".to_owned()
    } else {
        out.chars().take(40).collect()
    }
}

impl Importer<'_> {
    /// `[[emojis]]`: the guild's custom emoji (not integrations'), each with its downloaded
    /// image under `images/emojis/`. Without the image (standard output) an emoji is written as
    /// a comment: its image cannot be kept by reference.
    pub(super) fn emojis(&mut self) {
        let live = self.live;
        let emojis: Vec<_> = live
            .community
            .emojis
            .iter()
            .filter(|emoji| !emoji.managed)
            .collect();
        if emojis.is_empty() {
            return;
        }
        self.line("");
        self.line("# Custom emoji, matched by name.");
        for emoji in emojis {
            self.line("");
            let file = self.image_file(
                &format!("emojis/{}", emoji.id),
                &format!("emojis/{}", emoji.emoji.name),
            );
            let roles: Vec<String> = emoji
                .emoji
                .roles
                .iter()
                .filter_map(|id| self.role_keys.get(id).cloned())
                .collect();
            let prefix =
                if file.is_some() && crate::model::expressions::is_emoji_name(&emoji.emoji.name) {
                    ""
                } else {
                    self.line(
                    "# Not imported: `import --out FILE` downloads the emoji's image beside FILE.",
                );
                    "# "
                };
            self.line(format!("{prefix}[[emojis]]"));
            self.line(format!(
                "{prefix}name = {}",
                super::string(&emoji.emoji.name)
            ));
            self.line(format!(
                "{prefix}file = {}",
                super::string(
                    &file.unwrap_or_else(|| format!("images/emojis/{}.png", emoji.emoji.name))
                )
            ));
            if !roles.is_empty() {
                let list: Vec<String> = roles.iter().map(|key| super::string(key)).collect();
                self.line(format!("{prefix}roles = [{}]", list.join(", ")));
            }
        }
    }
}

impl Importer<'_> {
    /// `[[soundboard]]`: the guild's sounds with their downloaded files under `sounds/`;
    /// commented out without a file (standard output).
    pub(super) fn sounds(&mut self) {
        let live = self.live;
        if live.community.sounds.is_empty() {
            return;
        }
        self.line("");
        self.line("# Soundboard sounds, matched by name.");
        for sound in &live.community.sounds {
            self.line("");
            let bytes = self
                .downloads
                .and_then(|downloads| downloads.get(&format!("soundboard-sounds/{}", sound.id)));
            let ext = bytes.and_then(|bytes| match crate::model::expressions::sound_type(bytes) {
                Some("audio/ogg") => Some("ogg"),
                Some(_) => Some("mp3"),
                None => None,
            });
            let file = match (bytes, ext) {
                (Some(bytes), Some(ext)) => {
                    let path = format!("sounds/{}-{}.{ext}", stem(&sound.sound.name), sound.id);
                    self.image_files.push((path.clone(), bytes.clone()));
                    Some(path)
                }
                _ => None,
            };
            let prefix = if file.is_some() {
                ""
            } else {
                self.line("# Not imported: `import --out FILE` downloads the sound beside FILE.");
                "# "
            };
            self.line(format!("{prefix}[[soundboard]]"));
            self.line(format!(
                "{prefix}name = {}",
                super::string(&sound.sound.name)
            ));
            self.line(format!(
                "{prefix}file = {}",
                super::string(&file.unwrap_or_else(|| "sounds/….mp3".to_owned()))
            ));
            self.line(format!("{prefix}volume = {}", sound.sound.volume.as_f64()));
            match &sound.sound.emoji {
                Some(crate::model::Emoji::Unicode(text)) => {
                    self.line(format!("{prefix}emoji = {}", super::string(text)));
                }
                Some(crate::model::Emoji::Custom(id)) => {
                    let name = live
                        .community
                        .emojis
                        .iter()
                        .find(|emoji| emoji.id == id.get())
                        .map_or("emoji", |emoji| emoji.emoji.name.as_str());
                    self.line(format!(
                        "{prefix}emoji = {}",
                        super::string(&format!("<:{name}:{id}>"))
                    ));
                }
                None => {}
            }
        }
    }
}

impl Importer<'_> {
    /// `[[stickers]]`: the guild's stickers with their downloaded files under `stickers/`;
    /// commented out without a file (standard output).
    pub(super) fn stickers(&mut self) {
        let live = self.live;
        if live.community.stickers.is_empty() {
            return;
        }
        self.line("");
        self.line("# Stickers, matched by name.");
        for sticker in &live.community.stickers {
            self.line("");
            let bytes = self
                .downloads
                .and_then(|downloads| downloads.get(&format!("stickers/{}", sticker.id)));
            let file = bytes.map(|bytes| {
                let path = format!(
                    "stickers/{}-{}.{}",
                    stem(&sticker.sticker.name),
                    sticker.id,
                    crate::images::sticker_extension(sticker.sticker.format)
                );
                self.image_files.push((path.clone(), bytes.clone()));
                path
            });
            let prefix = if file.is_some() {
                ""
            } else {
                self.line("# Not imported: `import --out FILE` downloads the sticker beside FILE.");
                "# "
            };
            self.line(format!("{prefix}[[stickers]]"));
            self.line(format!(
                "{prefix}name = {}",
                super::string(&sticker.sticker.name)
            ));
            if !sticker.sticker.description.is_empty() {
                self.line(format!(
                    "{prefix}description = {}",
                    super::string(&sticker.sticker.description)
                ));
            }
            self.line(format!(
                "{prefix}tags = {}",
                super::string(&sticker.sticker.tags)
            ));
            self.line(format!(
                "{prefix}file = {}",
                super::string(&file.unwrap_or_else(|| "stickers/….png".to_owned()))
            ));
        }
    }
}
