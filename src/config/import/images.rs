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
