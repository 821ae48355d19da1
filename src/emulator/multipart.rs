//! `multipart/form-data` bodies (sticker uploads) read into the JSON object the routes take:
//! each text part a string, each file part (one with a `filename`, or named `file`) a `data:` URI of its bytes
//! with the media type sniffed from them, and `"__multipart": true` so a route can tell a form
//! from JSON (Discord takes sticker files only as form data).

use serde_json::{Map, Value, json};

/// The boundary of a `multipart/form-data; boundary=...` content type.
pub fn boundary(content_type: &str) -> Option<&str> {
    let rest = content_type.strip_prefix("multipart/form-data")?;
    rest.split(';')
        .filter_map(|part| part.trim().strip_prefix("boundary="))
        .map(|b| b.trim_matches('"'))
        .next()
}

/// The parts of `body`, or `None` when it is not well-formed form data.
pub fn parse(body: &[u8], boundary: &str) -> Option<Value> {
    let delimiter = format!("--{boundary}");
    let delimiter = delimiter.as_bytes();
    let mut object = Map::new();
    object.insert("__multipart".to_owned(), json!(true));
    let mut rest = body;
    let start = find(rest, delimiter)?;
    rest = &rest[start + delimiter.len()..];
    loop {
        if rest.starts_with(b"--") {
            return Some(Value::Object(object));
        }
        rest = rest.strip_prefix(b"\r\n")?;
        let head_end = find(rest, b"\r\n\r\n")?;
        let head = std::str::from_utf8(&rest[..head_end]).ok()?;
        rest = &rest[head_end + 4..];
        let end = find(rest, delimiter)?;
        let content = rest[..end].strip_suffix(b"\r\n").unwrap_or(&rest[..end]);
        rest = &rest[end + delimiter.len()..];
        let disposition = head.lines().find(|line| {
            line.to_ascii_lowercase()
                .starts_with("content-disposition:")
        })?;
        let name = attribute(disposition, "name")?;
        // twilight-http 0.18's sticker request sends `file` without a filename: still a file.
        let value = if attribute(disposition, "filename").is_some() || name == "file" {
            let media_type = crate::model::expressions::sticker_format(content)
                .map_or("application/octet-stream", |(_, media_type)| media_type);
            json!(format!(
                "data:{media_type};base64,{}",
                crate::emulator::image::encode_base64(content)
            ))
        } else {
            json!(String::from_utf8_lossy(content))
        };
        object.insert(name.to_owned(), value);
    }
}

fn attribute<'a>(header: &'a str, key: &str) -> Option<&'a str> {
    header.split(';').find_map(|part| {
        let (name, value) = part.trim().split_once('=')?;
        (name == key).then(|| value.trim_matches('"'))
    })
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack
        .windows(needle.len())
        .position(|window| window == needle)
}
