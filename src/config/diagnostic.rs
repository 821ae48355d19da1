//! Diagnostics: what is wrong in `server.toml`, where, and how to fix it.
//!
//! A [`Diagnostic`] carries its location twice: as a byte span (for tools and for underlining) and
//! as a 1-based line and column (for people). Columns count characters, not bytes, like rustc.
//! [`render_diagnostics`] prints them rustc-style; the output reads the same without colour.

use std::fmt;
use std::io::{self, Write};
use std::ops::Range;

use unicode_width::UnicodeWidthStr;

use super::Source;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    /// The file cannot be applied.
    Error,
    /// The file is valid, but probably does not do what its author thinks.
    Warning,
}

impl Severity {
    fn label(self) -> &'static str {
        match self {
            Self::Error => "error",
            Self::Warning => "warning",
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label())
    }
}

/// One problem found in the file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diagnostic {
    pub severity: Severity,
    pub message: String,
    /// The file's name as the user gave it.
    pub file: String,
    /// 1-based.
    pub line: usize,
    /// 1-based, in characters.
    pub column: usize,
    /// Byte range in the source text.
    pub span: Range<usize>,
    /// What to do about it.
    pub hint: Option<String>,
}

impl Diagnostic {
    pub(crate) fn new(
        severity: Severity,
        message: impl Into<String>,
        source: &Source,
        span: Range<usize>,
    ) -> Self {
        let span = clamp_span(&source.text, span);
        let (line, column) = line_and_column(&source.text, span.start);
        Self {
            severity,
            message: message.into(),
            file: source.name.clone(),
            line,
            column,
            span,
            hint: None,
        }
    }

    pub(crate) fn error(message: impl Into<String>, source: &Source, span: Range<usize>) -> Self {
        Self::new(Severity::Error, message, source, span)
    }

    pub(crate) fn warning(message: impl Into<String>, source: &Source, span: Range<usize>) -> Self {
        Self::new(Severity::Warning, message, source, span)
    }

    pub(crate) fn with_hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

/// One line, without the snippet: `server.toml:42:17: error: unknown permission ... (hint: ...)`.
impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}:{}:{}: {}: {}",
            self.file, self.line, self.column, self.severity, self.message
        )?;
        if let Some(hint) = &self.hint {
            write!(f, " (hint: {hint})")?;
        }
        Ok(())
    }
}

/// Keeps a span inside the text and on character boundaries, so slicing never panics.
fn clamp_span(text: &str, span: Range<usize>) -> Range<usize> {
    let mut start = span.start.min(text.len());
    while !text.is_char_boundary(start) {
        start -= 1;
    }
    let mut end = span.end.clamp(start, text.len());
    while !text.is_char_boundary(end) {
        end += 1;
    }
    start..end
}

fn line_and_column(text: &str, offset: usize) -> (usize, usize) {
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |newline| newline + 1);
    let column = text[line_start..offset].chars().count() + 1;
    (line, column)
}

const RESET: &str = "\x1b[0m";
const BOLD: &str = "\x1b[1m";
const BLUE: &str = "\x1b[1;34m";
const RED: &str = "\x1b[1;31m";
const YELLOW: &str = "\x1b[1;33m";

struct Style {
    color: bool,
}

impl Style {
    fn paint(&self, code: &str, text: &str) -> String {
        if self.color {
            format!("{code}{text}{RESET}")
        } else {
            text.to_owned()
        }
    }

    fn severity(&self, severity: Severity) -> &'static str {
        match severity {
            Severity::Error => RED,
            Severity::Warning => YELLOW,
        }
    }
}

/// Prints `diagnostics` rustc-style with a snippet of `source` under each, then a count line
/// (`error: server.toml has 3 errors`). Prints nothing when there is nothing to say.
pub fn render_diagnostics(
    diagnostics: &[Diagnostic],
    source: &Source,
    out: &mut dyn Write,
    color: bool,
) -> io::Result<()> {
    let style = Style { color };
    for diagnostic in diagnostics {
        render_one(diagnostic, source, out, &style)?;
        writeln!(out)?;
    }
    let errors = diagnostics.iter().filter(|d| d.is_error()).count();
    let warnings = diagnostics.len() - errors;
    let file = diagnostics
        .first()
        .map_or(source.name.as_str(), |d| d.file.as_str());
    let count = |n: usize, what: &str| format!("{n} {what}{}", if n == 1 { "" } else { "s" });
    let summary = match (errors, warnings) {
        (0, 0) => return Ok(()),
        (0, w) => (
            Severity::Warning,
            format!("{file} has {}", count(w, "warning")),
        ),
        (e, 0) => (Severity::Error, format!("{file} has {}", count(e, "error"))),
        (e, w) => (
            Severity::Error,
            format!(
                "{file} has {} and {}",
                count(e, "error"),
                count(w, "warning")
            ),
        ),
    };
    writeln!(
        out,
        "{}{}",
        style.paint(style.severity(summary.0), summary.0.label()),
        style.paint(BOLD, &format!(": {}", summary.1))
    )
}

fn render_one(
    diagnostic: &Diagnostic,
    source: &Source,
    out: &mut dyn Write,
    style: &Style,
) -> io::Result<()> {
    let text = source.text.as_str();
    let span = clamp_span(text, diagnostic.span.clone());
    let (line_number, _) = line_and_column(text, span.start);
    let line_start = text[..span.start]
        .rfind('\n')
        .map_or(0, |newline| newline + 1);
    let line_end = text[line_start..]
        .find('\n')
        .map_or(text.len(), |newline| line_start + newline);
    let line = text[line_start..line_end].trim_end_matches('\r');
    let underline_end = span.end.min(line_start + line.len()).max(span.start);

    let width = line_number.to_string().len();
    let pad = " ".repeat(width);
    let gutter = style.paint(BLUE, &format!("{pad} |"));
    let severity_style = style.severity(diagnostic.severity);

    writeln!(
        out,
        "{}{}",
        style.paint(severity_style, diagnostic.severity.label()),
        style.paint(BOLD, &format!(": {}", diagnostic.message))
    )?;
    writeln!(
        out,
        "{pad}{} {}:{}:{}",
        style.paint(BLUE, "-->"),
        diagnostic.file,
        diagnostic.line,
        diagnostic.column
    )?;
    writeln!(out, "{gutter}")?;
    let shown = |part: &str| part.replace('\t', "    ");
    writeln!(
        out,
        "{} {}",
        style.paint(BLUE, &format!("{line_number} |")),
        shown(line)
    )?;
    let lead = shown(&text[line_start..span.start]).width();
    let carets = shown(&text[span.start..underline_end]).width().max(1);
    writeln!(
        out,
        "{gutter} {}{}",
        " ".repeat(lead),
        style.paint(severity_style, &"^".repeat(carets))
    )?;
    if let Some(hint) = &diagnostic.hint {
        writeln!(out, "{pad} {} {hint}", style.paint(BLUE, "= hint:"))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn source(text: &str) -> Source {
        Source {
            name: "server.toml".into(),
            text: text.into(),
        }
    }

    #[test]
    fn columns_count_characters_and_lines_start_at_one() {
        let text = "a = 1\nname = \"🟠 x\" # 🟠\n";
        let offset = text.rfind('#').unwrap();
        assert_eq!(line_and_column(text, offset), (2, 14));
        assert_eq!(line_and_column(text, 0), (1, 1));
    }

    #[test]
    fn renders_like_rustc_without_colour() {
        let src = source("[[roles]]\n  allow = [\"send_mesages\"]\n");
        let start = src.text.find("\"send").unwrap();
        let diagnostic =
            Diagnostic::error("unknown permission `send_mesages`", &src, start..start + 14)
                .with_hint("did you mean `send_messages`?");
        let mut out = Vec::new();
        render_diagnostics(&[diagnostic], &src, &mut out, false).unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "error: unknown permission `send_mesages`\n \
             --> server.toml:2:12\n  \
             |\n\
             2 |   allow = [\"send_mesages\"]\n  \
             |            ^^^^^^^^^^^^^^\n  \
             = hint: did you mean `send_messages`?\n\
             \n\
             error: server.toml has 1 error\n"
        );
    }

    #[test]
    fn carets_line_up_under_wide_characters() {
        let src = source("name = \"🟠 Mod\" x\n");
        let start = src.text.find('x').unwrap();
        let diagnostic = Diagnostic::warning("here", &src, start..start + 1);
        let mut out = Vec::new();
        render_diagnostics(&[diagnostic], &src, &mut out, false).unwrap();
        let out = String::from_utf8(out).unwrap();
        let lines: Vec<&str> = out.lines().collect();
        assert_eq!(lines[3], "1 | name = \"🟠 Mod\" x");
        assert_eq!(lines[4], "  |                 ^");
        assert_eq!(lines.last().unwrap(), &"warning: server.toml has 1 warning");
    }

    #[test]
    fn spans_past_the_end_do_not_panic() {
        let src = source("a = \"🟠");
        let diagnostic = Diagnostic::error("odd", &src, 5..500);
        let mut out = Vec::new();
        render_diagnostics(&[diagnostic], &src, &mut out, true).unwrap();
        assert!(!out.is_empty());
    }
}
