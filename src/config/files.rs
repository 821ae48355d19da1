//! Reading files from disk: the server file itself and the files it refers to (images, message
//! files). Only regular files are opened (a FIFO would block forever, `/dev/zero` never ends),
//! and the size is checked before reading and capped while reading. The server file's bytes are
//! decoded here: a UTF-8 byte-order mark is accepted, UTF-16, invalid UTF-8, NUL bytes and bare
//! CR line endings are located diagnostics.

use std::io::Read;
use std::path::Path;

use super::{Diagnostic, Source};

/// The largest server file read (a 500-channel, 250-role server with comments is ~200 KB).
pub const SERVER_FILE_MAX: u64 = 8 * 1024 * 1024;
/// The largest message file read (a message file becomes at most a few dozen 2,000-character
/// messages).
pub const MESSAGE_FILE_MAX: u64 = 1024 * 1024;

/// Why a file could not be read.
#[derive(Debug, thiserror::Error)]
pub enum FileProblem {
    #[error("{0}")]
    Io(#[from] std::io::Error),
    #[error("it is {0}, not a regular file")]
    NotRegular(&'static str),
    #[error("it is {size} bytes; at most {max} are read")]
    TooBig { size: u64, max: u64 },
    #[error("it is not UTF-8 text (byte {offset} is not valid UTF-8)")]
    NotUtf8 { offset: usize },
}

impl FileProblem {
    /// What to do about it.
    pub fn hint(&self) -> &'static str {
        match self {
            Self::Io(error) if error.kind() == std::io::ErrorKind::PermissionDenied => {
                "the file exists but cannot be read: check its permissions"
            }
            Self::Io(error) if error.kind() == std::io::ErrorKind::NotFound => {
                "check the path: it is relative to the folder of the server file"
            }
            Self::Io(_) => "check the path and the file",
            Self::NotRegular(_) => "name a regular file (not a directory, FIFO or device)",
            Self::TooBig { .. } => "use a smaller file",
            Self::NotUtf8 { .. } => "save the file as UTF-8",
        }
    }
}

fn kind_of(metadata: &std::fs::Metadata) -> &'static str {
    let kind = metadata.file_type();
    if kind.is_dir() {
        return "a directory";
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if kind.is_fifo() {
            return "a FIFO (named pipe)";
        }
        if kind.is_socket() {
            return "a socket";
        }
        if kind.is_char_device() || kind.is_block_device() {
            return "a device";
        }
    }
    "not a regular file"
}

/// The bytes of the regular file at `path`, at most `max` of them.
pub fn read_capped(path: &Path, max: u64) -> Result<Vec<u8>, FileProblem> {
    // Before opening: opening a FIFO blocks until someone writes to it.
    let metadata = std::fs::metadata(path)?;
    if !metadata.is_file() {
        return Err(FileProblem::NotRegular(kind_of(&metadata)));
    }
    if metadata.len() > max {
        return Err(FileProblem::TooBig {
            size: metadata.len(),
            max,
        });
    }
    let mut bytes = Vec::new();
    // The file may grow between the check and the read.
    std::fs::File::open(path)?
        .take(max + 1)
        .read_to_end(&mut bytes)?;
    if bytes.len() as u64 > max {
        return Err(FileProblem::TooBig {
            size: bytes.len() as u64,
            max,
        });
    }
    Ok(bytes)
}

/// The UTF-8 text of the regular file at `path` (a byte-order mark dropped).
pub fn read_text(path: &Path, max: u64) -> Result<String, FileProblem> {
    let bytes = read_capped(path, max)?;
    let bytes = bytes.strip_prefix(b"\xef\xbb\xbf").unwrap_or(&bytes);
    String::from_utf8(bytes.to_vec()).map_err(|error| FileProblem::NotUtf8 {
        offset: error.utf8_error().valid_up_to(),
    })
}

/// The server file's bytes as text to parse, and the encoding problems found, each located
/// (the text is decoded lossily so that snippets still show): a UTF-8 byte-order mark is
/// dropped; UTF-16, invalid UTF-8, NUL bytes and bare CR line endings are errors.
pub fn decode(name: &str, bytes: &[u8]) -> (Source, Vec<Diagnostic>) {
    let source = |text: String| Source::new(name, text);
    if bytes.starts_with(b"\xff\xfe") || bytes.starts_with(b"\xfe\xff") {
        let shown = source(String::new());
        let diagnostic = Diagnostic::error(
            "the file is UTF-16 text (it starts with a UTF-16 byte-order mark)",
            &shown,
            0..0,
        )
        .with_hint("save it as UTF-8 (in most editors: File → Save with Encoding → UTF-8)");
        return (shown, vec![diagnostic]);
    }
    let bytes = bytes.strip_prefix(b"\xef\xbb\xbf").unwrap_or(bytes);
    let text = String::from_utf8_lossy(bytes).into_owned();
    let shown = source(text);
    let mut diagnostics = Vec::new();
    if let Err(error) = std::str::from_utf8(bytes) {
        // Up to the first bad byte the lossy text is the file itself, so the offset holds.
        let offset = error.valid_up_to();
        diagnostics.push(
            Diagnostic::error(
                format!("the file is not valid UTF-8 (byte 0x{:02x})", bytes[offset]),
                &shown,
                offset..offset + 1,
            )
            .with_hint("save it as UTF-8"),
        );
    }
    if let Some(offset) = shown.text.find('\0') {
        diagnostics.push(
            Diagnostic::error("a NUL byte (0x00) in the file", &shown, offset..offset + 1)
                .with_hint("the file is probably binary or was saved in another encoding: save it as UTF-8 text"),
        );
    }
    let bare_cr = shown
        .text
        .match_indices('\r')
        .map(|(offset, _)| offset)
        .find(|offset| shown.text.as_bytes().get(offset + 1) != Some(&b'\n'));
    if let Some(offset) = bare_cr {
        diagnostics.push(
            Diagnostic::error(
                "a bare carriage return (CR) ends this line; TOML lines end with LF or CRLF",
                &shown,
                offset..offset + 1,
            )
            .with_hint("save the file with LF (Unix) or CRLF (Windows) line endings"),
        );
    }
    (shown, diagnostics)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_byte_order_mark_is_accepted() {
        let (source, problems) = decode("s.toml", b"\xef\xbb\xbfa = 1\n");
        assert_eq!(source.text, "a = 1\n");
        assert!(problems.is_empty());
    }

    #[test]
    fn encoding_problems_are_located() {
        let (_, problems) = decode("s.toml", b"a = 1\nb = \"\xff\"\n");
        assert_eq!((problems[0].line, problems[0].column), (2, 6));
        let (_, problems) = decode("s.toml", b"a = 1\rb = 2\r");
        assert_eq!((problems[0].line, problems[0].column), (1, 6));
        let (_, problems) = decode("s.toml", b"a = \"\0\"\n");
        assert_eq!((problems[0].line, problems[0].column), (1, 6));
        let (_, problems) = decode("s.toml", b"\xff\xfea\0");
        assert!(problems[0].message.contains("UTF-16"));
        assert_eq!((problems[0].line, problems[0].column), (1, 1));
    }

    #[test]
    fn only_regular_files_are_read() {
        let problem = read_capped(Path::new("/"), 10).unwrap_err();
        assert!(matches!(problem, FileProblem::NotRegular("a directory")));
        #[cfg(unix)]
        {
            let problem = read_capped(Path::new("/dev/zero"), 10).unwrap_err();
            assert!(matches!(problem, FileProblem::NotRegular("a device")));
        }
    }
}
