//! GitHub Actions workflow commands for diagnostics, so errors in `server.toml` appear on the
//! changed line of a pull request: `::error file=server.toml,line=12,col=5,title=…::message`.
//!
//! Printed in addition to the normal diagnostics when `GITHUB_ACTIONS=true`, on stderr: the
//! runner reads workflow commands from both streams, and stdout is often redirected to a file
//! (`plan --markdown > plan.md`), where they would be lost. Escaping follows the runner's rules:
//! `%`, `\r` and `\n` in the message; those and `:` and `,` in properties.

use std::io::{self, Write};

use crate::config::{Diagnostic, Severity};

/// One workflow command per diagnostic; the hint joins the message on a new line.
/// Bounded like the diagnostics themselves ([`crate::config::bounded`]).
pub fn write(diagnostics: &[Diagnostic], out: &mut dyn Write) -> io::Result<()> {
    for diagnostic in &crate::config::bounded(diagnostics) {
        let command = match diagnostic.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        let mut message = diagnostic.message.clone();
        if let Some(hint) = &diagnostic.hint {
            message.push_str("\nhint: ");
            message.push_str(hint);
        }
        writeln!(
            out,
            "::{command} file={},line={},col={},title={}::{}",
            property(&diagnostic.file),
            diagnostic.line,
            diagnostic.column,
            property(&format!("miyabi-guild: {command} in {}", diagnostic.file)),
            data(&message)
        )?;
    }
    Ok(())
}

/// A message: `%`, `\r`, `\n` escaped.
fn data(text: &str) -> String {
    text.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// A property value: also `:` and `,`.
fn property(text: &str) -> String {
    data(text).replace(':', "%3A").replace(',', "%2C")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn diagnostic(severity: Severity, message: &str, hint: Option<&str>) -> Diagnostic {
        Diagnostic {
            severity,
            message: message.into(),
            file: "conf,ig/server:1.toml".into(),
            line: 12,
            column: 5,
            span: 0..1,
            hint: hint.map(str::to_owned),
            snippet_from: None,
        }
    }

    #[test]
    fn an_error_names_file_line_and_column_with_the_hint_on_a_new_line() {
        let mut out = Vec::new();
        write(
            &[diagnostic(
                Severity::Error,
                "unknown permission `view_chanel`",
                Some("did you mean `view_channel`?"),
            )],
            &mut out,
        )
        .unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "::error file=conf%2Cig/server%3A1.toml,line=12,col=5,title=miyabi-guild%3A error in conf%2Cig/server%3A1.toml::unknown permission `view_chanel`%0Ahint: did you mean `view_channel`?\n"
        );
    }

    #[test]
    fn warnings_are_warnings_and_percent_signs_and_newlines_are_escaped() {
        let mut out = Vec::new();
        write(
            &[diagnostic(Severity::Warning, "100% sure\r\nreally", None)],
            &mut out,
        )
        .unwrap();
        let line = String::from_utf8(out).unwrap();
        assert!(line.starts_with("::warning file="), "{line}");
        assert!(line.ends_with("::100%25 sure%0D%0Areally\n"), "{line}");
    }
}
