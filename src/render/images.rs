//! How an image reads in a plan: the file's, Discord's, or none (images compare by content,
//! see `crate::images`).

/// `(none)`, `an image` (from the file: a `data:` URI or `sha256:` label), or `the image on
/// Discord` (Discord's hash).
pub(crate) fn image_label(value: Option<&str>) -> &'static str {
    match value {
        None => "(none)",
        Some(text) if text.starts_with("data:") || text.starts_with("sha256:") => "an image",
        Some(_) => "the image on Discord",
    }
}
