//! Image data in request bodies: `data:image/png;base64,...` in, a 32-hex hash out.
//!
//! Discord stores uploads and answers with a hash (`reference.mdx`, "Image Data"; notes §1).
//! The emulator decodes the data URI (so malformed uploads fail like they do on Discord) and
//! derives the hash from the decoded bytes: the same image always gets the same hash, which is
//! what a diff needs to tell "unchanged" from "changed". GIFs get Discord's `a_` prefix.

use serde_json::Value;

use super::error::FormErrors;
use super::validate::{Field, Fields};

/// Media types Discord accepts for icons, avatars and event covers.
const MEDIA_TYPES: [&str; 4] = ["image/png", "image/jpeg", "image/gif", "image/webp"];

/// The bytes and media type of a `data:<type>;base64,<payload>` URI.
pub fn decode_data_uri(text: &str) -> Option<(&str, Vec<u8>)> {
    let rest = text.strip_prefix("data:")?;
    let (media_type, payload) = rest.split_once(";base64,")?;
    if !MEDIA_TYPES.contains(&media_type) {
        return None;
    }
    let bytes = decode_base64(payload)?;
    (!bytes.is_empty()).then_some((media_type, bytes))
}

/// The hash Discord would answer with for these bytes (FNV-1a, 128 bits, as 32 hex digits).
pub fn hash(media_type: &str, bytes: &[u8]) -> String {
    let mut hash: u128 = 0x6c62_272e_07bb_0142_62b8_2175_6295_c58d;
    for byte in bytes {
        hash ^= u128::from(*byte);
        hash = hash.wrapping_mul(0x0000_0000_0100_0000_0000_0000_0000_013b);
    }
    if media_type == "image/gif" {
        format!("a_{hash:032x}")
    } else {
        format!("{hash:032x}")
    }
}

/// An image field: absent, `null` (clear) or a data URI, read as its hash. Anything else is a
/// 50035 `IMAGE_INVALID` "Invalid image data" under the field [inferred wording].
pub fn field(fields: &Fields<'_>, key: &str, errors: &mut FormErrors) -> Field<String> {
    match fields.raw(key) {
        Field::Value(Value::String(text)) => match decode_data_uri(text) {
            Some((media_type, bytes)) => {
                let hash = hash(media_type, &bytes);
                uploaded(&hash, text);
                Field::Value(hash)
            }
            None => {
                errors.add(&fields.path(key), "IMAGE_INVALID", "Invalid image data");
                Field::Invalid
            }
        },
        Field::Value(_) => {
            errors.add(&fields.path(key), "IMAGE_INVALID", "Invalid image data");
            Field::Invalid
        }
        Field::Absent => Field::Absent,
        _ => Field::Null,
    }
}

thread_local! {
    /// Images decoded while handling the current request; kept in the state when the request
    /// succeeds as a write (`take_uploads`). Requests are handled one at a time, synchronously,
    /// on the thread holding the state's lock.
    static UPLOADS: std::cell::RefCell<Vec<(String, String)>> =
        const { std::cell::RefCell::new(Vec::new()) };
}

/// Notes an image of the current request: its hash and its data URI.
pub fn uploaded(hash: &str, data_uri: &str) {
    UPLOADS.with(|uploads| {
        uploads
            .borrow_mut()
            .push((hash.to_owned(), data_uri.to_owned()));
    });
}

/// The images of the request just handled (and forgets them).
pub fn take_uploads() -> Vec<(String, String)> {
    UPLOADS.with(|uploads| std::mem::take(&mut *uploads.borrow_mut()))
}

/// Standard base64 with padding (the emulator's form-data files become data URIs).
pub fn encode_base64(bytes: &[u8]) -> String {
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

fn decode_base64(text: &str) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(text.len() / 4 * 3);
    let mut buffer: u32 = 0;
    let mut bits = 0;
    let trimmed = text.trim_end_matches('=');
    if text.len() - trimmed.len() > 2 {
        return None;
    }
    for byte in trimmed.bytes() {
        let value = match byte {
            b'A'..=b'Z' => byte - b'A',
            b'a'..=b'z' => byte - b'a' + 26,
            b'0'..=b'9' => byte - b'0' + 52,
            b'+' => 62,
            b'/' => 63,
            _ => return None,
        };
        buffer = (buffer << 6) | u32::from(value);
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push(u8::try_from((buffer >> bits) & 0xFF).ok()?);
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn data_uris_decode_and_hash_stably() {
        let (kind, bytes) = decode_data_uri("data:image/png;base64,aGVsbG8=").unwrap();
        assert_eq!(kind, "image/png");
        assert_eq!(bytes, b"hello");
        let first = hash(kind, &bytes);
        assert_eq!(first.len(), 32);
        assert_eq!(first, hash(kind, b"hello"));
        assert_ne!(first, hash(kind, b"hellp"));
        assert!(hash("image/gif", &bytes).starts_with("a_"));
        assert!(decode_data_uri("https://example.com/a.png").is_none());
        assert!(decode_data_uri("data:image/png;base64,!!").is_none());
        assert!(decode_data_uri("data:text/plain;base64,aGVsbG8=").is_none());
    }
}
