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
    /// The text the snippet is cut from when the problem is in another file than the one being
    /// rendered (a message file named by `[[messages]]`).
    pub(crate) snippet_from: Option<std::sync::Arc<Source>>,
}

impl Diagnostic {
    pub(crate) fn new(
        severity: Severity,
        message: impl Into<String>,
        source: &Source,
        span: Range<usize>,
    ) -> Self {
        // In a layout of several files, the diagnostic belongs to the file the span falls in.
        if let Some((start, part)) = source.part_at(span.start) {
            let local = span.start - start..span.end.saturating_sub(start);
            let mut diagnostic = Self::new(severity, message, part, local);
            diagnostic.snippet_from = Some(part.clone());
            return diagnostic;
        }
        let span = clamp_span(&source.text, span);
        let (line, column) = source.line_and_column(span.start);
        Self {
            severity,
            message: message.into(),
            file: source.name.clone(),
            line,
            column,
            span,
            hint: None,
            snippet_from: None,
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

/// Diagnostics of one shape shown before the rest are folded into one line.
const SHOWN_PER_SHAPE: usize = 3;
/// Diagnostics shown at most, whatever their shapes.
const SHOWN_AT_MOST: usize = 100;
/// Characters of a message shown; past that it is cut with `…` (a message may quote a value
/// of any size).
const TEXT_MAX: usize = 300;
/// Characters of a hint shown (a hint may list every key a table takes).
const HINT_MAX: usize = 1_000;

/// What a person is shown of `diagnostics`, bounded whatever the input: messages and hints cut
/// to a few hundred characters, at most three diagnostics of one shape (the message with its
/// quoted values and numbers left out: "duplicate permission `…`") before one "… and N more"
/// line, and at most a hundred in all. Every renderer prints this, never the raw list, so no
/// file of any size prints more than about 100 KB.
pub fn bounded(diagnostics: &[Diagnostic]) -> Vec<Diagnostic> {
    let mut shown: Vec<Diagnostic> = Vec::new();
    // (shape, how many, index of the first folded one in `shown`).
    let mut shapes: Vec<(String, usize, Option<usize>)> = Vec::new();
    let mut left_out = 0usize;
    for diagnostic in diagnostics {
        let shape = shape(&diagnostic.message);
        let entry = match shapes.iter().position(|(known, _, _)| *known == shape) {
            Some(index) => index,
            None => {
                shapes.push((shape, 0, None));
                shapes.len() - 1
            }
        };
        shapes[entry].1 += 1;
        let count = shapes[entry].1;
        if count > SHOWN_PER_SHAPE {
            if count == SHOWN_PER_SHAPE + 1 && shown.len() < SHOWN_AT_MOST {
                let mut fold = clipped(diagnostic);
                fold.hint = None;
                shapes[entry].2 = Some(shown.len());
                shown.push(fold);
            }
            if let Some(index) = shapes[entry].2 {
                let more = count - SHOWN_PER_SHAPE;
                shown[index].message = format!(
                    "… and {} more like this: {}",
                    thousands(more),
                    clip(&diagnostic.message, TEXT_MAX)
                );
            }
            continue;
        }
        if shown.len() >= SHOWN_AT_MOST {
            left_out += 1;
            continue;
        }
        shown.push(clipped(diagnostic));
    }
    if left_out > 0
        && let Some(last) = shown.last().cloned()
    {
        shown.push(Diagnostic {
            message: format!("… and {} more problems not shown", thousands(left_out)),
            hint: Some("fix the ones above and run again".to_owned()),
            ..last
        });
    }
    shown
}

/// The message without what varies between diagnostics of one kind: text in backticks or
/// quotes, and numbers.
fn shape(message: &str) -> String {
    let mut shape = String::new();
    let mut quote: Option<char> = None;
    for character in message.chars() {
        match quote {
            Some(open) if character == open => {
                quote = None;
                shape.push(character);
            }
            Some(_) => {}
            None if matches!(character, '`' | '"') => {
                quote = Some(character);
                shape.push(character);
            }
            None if character.is_ascii_digit() => {
                if !shape.ends_with('#') {
                    shape.push('#');
                }
            }
            None => shape.push(character),
        }
    }
    shape
}

fn clipped(diagnostic: &Diagnostic) -> Diagnostic {
    Diagnostic {
        message: clip(&diagnostic.message, TEXT_MAX),
        hint: diagnostic.hint.as_deref().map(|hint| clip(hint, HINT_MAX)),
        ..diagnostic.clone()
    }
}

/// At most `max` characters of `text`, `…` marking the cut.
pub fn clip(text: &str, max: usize) -> String {
    match text.char_indices().nth(max) {
        Some((end, _)) => format!("{}…", &text[..end]),
        None => text.to_owned(),
    }
}

/// `1996` → `1,996`.
fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (index, digit) in digits.chars().enumerate() {
        if index > 0 && (digits.len() - index).is_multiple_of(3) {
            out.push(',');
        }
        out.push(digit);
    }
    out
}

/// The byte offset where each line of a text starts (0 first), computed on first use; equal
/// and cloned as nothing, since it follows from the text.
#[derive(Default)]
pub(crate) struct LineStarts(std::sync::OnceLock<Vec<usize>>);

impl LineStarts {
    pub(crate) fn of(&self, text: &str) -> &[usize] {
        self.0.get_or_init(|| {
            std::iter::once(0)
                .chain(text.match_indices('\n').map(|(offset, _)| offset + 1))
                .collect()
        })
    }
}

impl Clone for LineStarts {
    fn clone(&self) -> Self {
        Self::default()
    }
}

impl PartialEq for LineStarts {
    fn eq(&self, _: &Self) -> bool {
        true
    }
}

impl Eq for LineStarts {}

impl fmt::Debug for LineStarts {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("LineStarts")
    }
}

/// A snippet line longer than this many characters is shown as a window: this many
/// characters before the start of the span, and this many from it.
const SNIPPET_LINE_MAX: usize = 200;
const SNIPPET_BEFORE: usize = 80;
const SNIPPET_AFTER: usize = 120;

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
    for diagnostic in &bounded(diagnostics) {
        render_one(diagnostic, source, out, &style)?;
        writeln!(out)?;
    }
    let errors = diagnostics.iter().filter(|d| d.is_error()).count();
    let warnings = diagnostics.len() - errors;
    let file = diagnostics
        .first()
        .map_or(source.name.as_str(), |d| d.file.as_str());
    let count =
        |n: usize, what: &str| format!("{} {what}{}", thousands(n), if n == 1 { "" } else { "s" });
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
    let source = diagnostic.snippet_from.as_deref().unwrap_or(source);
    let text = source.text.as_str();
    let span = clamp_span(text, diagnostic.span.clone());
    let (line_number, _) = source.line_and_column(span.start);
    let line_start = source.line_start(line_number);
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
    // Tabs as spaces, other control characters (a NUL byte, a bare CR) as `�`.
    let shown = |part: &str| -> String {
        part.chars()
            .map(|c| match c {
                '\t' => "    ".to_owned(),
                c if c.is_control() => "\u{fffd}".to_owned(),
                c => c.to_string(),
            })
            .collect()
    };
    // A long line (a 5 MB name) is shown as a window around the span.
    let long = line.chars().nth(SNIPPET_LINE_MAX).is_some();
    let before = &text[line_start..span.start];
    let (cut_before, lead_text) = match before.char_indices().rev().nth(SNIPPET_BEFORE) {
        Some((start, _)) if long => (true, &before[start..]),
        _ => (false, before),
    };
    let after = &text[span.start..line_start + line.len()];
    let (cut_after, rest_text) = match after.char_indices().nth(SNIPPET_AFTER) {
        Some((end, _)) if long => (true, &after[..end]),
        _ => (false, after),
    };
    let ellipsis = |cut: bool| if cut { "…" } else { "" };
    writeln!(
        out,
        "{} {}{}{}{}",
        style.paint(BLUE, &format!("{line_number} |")),
        ellipsis(cut_before),
        shown(lead_text),
        shown(rest_text),
        ellipsis(cut_after)
    )?;
    let lead = shown(lead_text).width() + usize::from(cut_before);
    let underline_end = underline_end.min(span.start + rest_text.len());
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
        Source::new("server.toml", text)
    }

    #[test]
    fn columns_count_characters_and_lines_start_at_one() {
        let text = "a = 1\nname = \"🟠 x\" # 🟠\n";
        let offset = text.rfind('#').unwrap();
        let source = source(text);
        assert_eq!(source.line_and_column(offset), (2, 14));
        assert_eq!(source.line_and_column(0), (1, 1));
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
