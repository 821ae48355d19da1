//! `server.toml`: the file model, parsing with locations, validation, and the JSON Schema.
//!
//! Reading a file goes in three steps, each in its own module:
//!
//! 1. [`read`]: TOML text to the [`raw`] structs, which mirror the file table for table and keep
//!    every value's byte span. Wrong types and unknown keys are reported here. Only a TOML
//!    syntax error stops the run; everything else is collected, so the user sees every problem
//!    at once.
//! 2. [`validate`]: the raw structs to a [`DesiredGuild`], checking names, Discord's limits
//!    (`DISCORD-API-NOTES.md` §4.8), permission names, role keys and identities.
//! 3. [`diagnostic`]: rustc-style rendering of what was found.
//!
//! The JSON Schema ([`json_schema`]) is derived from the raw structs, so editors see the same
//! keys and doc comments the reader accepts; `schemas/server.schema.json` is a committed copy.
//!
//! Invariant: a [`Loaded`] only exists for a file with no errors; its `desired` guild satisfies
//! the invariants in [`crate::model`].

mod assertions;
mod diagnostic;
pub mod environments;
pub mod files;
pub mod format;
pub mod import;
mod layout;
pub(crate) mod names;
mod raw;
mod read;
mod validate;

use std::path::{Path, PathBuf};

pub use assertions::{BrokenAssertion, check_assertions, judge as judge_assertions};
pub use diagnostic::{Diagnostic, Severity, bounded, clip, render_diagnostics};
pub use environments::Environment;
pub use raw::json_schema;
pub use validate::limits;

use crate::model::DesiredGuild;

/// A file's text and the name to show in messages (the path as the user gave it).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Source {
    pub name: String,
    pub text: String,
    /// Where each line starts, computed once on first use: locating a diagnostic is then a
    /// binary search, not a scan of the text (20,000 diagnostics in a 1 MB file took minutes).
    lines: diagnostic::LineStarts,
    /// For a layout of several files ([`layout`]): where each file starts in `text`, and the file.
    /// Empty for a single file.
    pub(crate) parts: std::sync::Arc<[(usize, std::sync::Arc<Source>)]>,
}

impl Source {
    pub fn new(name: impl Into<String>, text: impl Into<String>) -> Self {
        Self {
            name: name.into(),
            text: text.into(),
            lines: diagnostic::LineStarts::default(),
            parts: std::sync::Arc::new([]),
        }
    }

    /// 1-based line and column (in characters) of a byte offset on a character boundary.
    pub(crate) fn line_and_column(&self, offset: usize) -> (usize, usize) {
        let starts = self.lines.of(&self.text);
        let line = starts.partition_point(|start| *start <= offset);
        let line_start = starts[line - 1];
        (line, self.text[line_start..offset].chars().count() + 1)
    }

    /// The byte offset where a 1-based line starts.
    pub(crate) fn line_start(&self, line: usize) -> usize {
        self.lines.of(&self.text)[line - 1]
    }
}

/// A valid file: what it asks for, and the warnings to show anyway.
#[derive(Clone, Debug)]
pub struct Loaded {
    /// The file, or the main file and its included files as one text ([`layout`]).
    pub source: Source,
    pub desired: DesiredGuild,
    pub warnings: Vec<Diagnostic>,
    /// The files read, the main file first (more than one with `include`).
    pub files: Vec<PathBuf>,
    /// Every environment the file declares, in file order.
    pub environments: Vec<Environment>,
    /// The environment this is the effective file of, when one was selected.
    pub environment: Option<Environment>,
}

#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    #[error("cannot read {}: {problem}", path.display())]
    Io {
        path: PathBuf,
        problem: files::FileProblem,
    },
    /// Every diagnostic found, errors and warnings, in file order.
    #[error("{}", describe_invalid(.0))]
    Invalid(Vec<Diagnostic>),
}

fn describe_invalid(diagnostics: &[Diagnostic]) -> String {
    let errors = diagnostics.iter().filter(|d| d.is_error()).count();
    let file = diagnostics.first().map_or("the file", |d| d.file.as_str());
    let mut text = format!(
        "{file} has {errors} error{}",
        if errors == 1 { "" } else { "s" }
    );
    for diagnostic in &bounded(diagnostics) {
        text.push_str("\n  ");
        text.push_str(&diagnostic.to_string());
    }
    text
}

/// Reads the file at `path`, naming it as given: its text, and its encoding problems (UTF-16,
/// invalid UTF-8, NUL bytes, bare CR line endings), each located, with the text decoded
/// lossily so snippets still show.
pub fn read_file(path: &Path) -> Result<(Source, Vec<Diagnostic>), LoadError> {
    let bytes =
        files::read_capped(path, files::SERVER_FILE_MAX).map_err(|problem| LoadError::Io {
            path: path.to_owned(),
            problem,
        })?;
    Ok(files::decode(&path.display().to_string(), &bytes))
}

/// Reads the file at `path`, naming it as given; an encoding problem is `LoadError::Invalid`.
pub fn read_source(path: &Path) -> Result<Source, LoadError> {
    let (source, problems) = read_file(path)?;
    if problems.is_empty() {
        Ok(source)
    } else {
        Err(LoadError::Invalid(problems))
    }
}

/// The files of the layout at `path`: the main file, then each file it includes, in order.
/// An error when a file cannot be read or an include names nothing.
pub fn layout_files(path: &Path) -> Result<Vec<PathBuf>, LoadError> {
    let layout = layout::assemble(read_source(path)?, path);
    if layout.problems.iter().any(Diagnostic::is_error) {
        return Err(LoadError::Invalid(layout.problems));
    }
    Ok(layout.files)
}

/// Reads, parses and validates the file at `path` (and the files it includes), without an
/// environment.
///
/// `LoadError::Invalid` does not carry the text; a caller that wants snippets under the errors
/// uses [`read_source`] and [`parse`], then [`render_diagnostics`].
pub fn load(path: &Path) -> Result<Loaded, LoadError> {
    load_environment(path, None)
}

/// Reads, parses and validates the file at `path` as the effective file of `environment`.
pub fn load_environment(path: &Path, environment: Option<&str>) -> Result<Loaded, LoadError> {
    parse_environment(read_source(path)?, environment)
        .map_err(|(_, diagnostics)| LoadError::Invalid(diagnostics))
}

/// Parses and validates `source` (no I/O but the files it includes, relative to its name). On
/// failure, returns the source back with every diagnostic (errors and warnings) in file order.
pub fn parse(source: Source) -> Result<Loaded, (Source, Vec<Diagnostic>)> {
    parse_environment(source, None)
}

/// [`parse`], as the effective file of `environment` (its overrides laid over the file).
pub fn parse_environment(
    source: Source,
    environment: Option<&str>,
) -> Result<Loaded, (Source, Vec<Diagnostic>)> {
    let path = PathBuf::from(&source.name);
    let layout::Layout {
        source,
        files,
        problems,
    } = layout::assemble(source, &path);
    let mut diagnostics = problems;
    let read = {
        match layout::parse_files(&source, &mut diagnostics) {
            Ok(tables) => {
                let mut tree = layout::merge_files(tables, &source, &mut diagnostics);
                let declared = environments::take(&mut tree, &source, &mut diagnostics);
                let all: Vec<Environment> = declared.all.iter().map(|d| d.info.clone()).collect();
                let selected =
                    environments::select(declared, environment, &source, &mut diagnostics);
                let info = selected.as_ref().map(|d| d.info.clone());
                if let Some(selected) = selected {
                    environments::apply(&mut tree, selected, &source, &mut diagnostics);
                }
                let raw = read::read_table(&source, &tree, &mut diagnostics);
                Some((raw, all, info))
            }
            Err(()) => None,
        }
    };
    let desired = read.map(|(raw, all, info)| {
        (
            validate::validate(&raw, &source, &mut diagnostics),
            all,
            info,
        )
    });
    diagnostics
        .sort_by_key(|diagnostic| (source.file_order(&diagnostic.file), diagnostic.span.start));
    match desired {
        Some((desired, environments, environment))
            if !diagnostics.iter().any(Diagnostic::is_error) =>
        {
            Ok(Loaded {
                source,
                desired,
                warnings: diagnostics,
                files,
                environments,
                environment,
            })
        }
        _ => Err((source, diagnostics)),
    }
}

/// How Discord stores a text channel's name: lowercase, spaces as `-`.
pub fn normalise_text_channel_name(name: &str) -> String {
    name.trim()
        .to_lowercase()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join("-")
}

/// The candidate closest to `word`, if any is close enough to be what was meant.
pub(crate) fn suggest<'a>(
    word: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    candidates
        .into_iter()
        .map(|candidate| (strsim::jaro_winkler(word, candidate), candidate))
        .filter(|(score, _)| *score >= 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, candidate)| candidate)
}

#[cfg(test)]
mod tests {
    use super::read;

    /// The reader's key lists and the schema's properties are the same, so what editors offer
    /// is what the reader accepts.
    #[test]
    fn reader_keys_match_schema_properties() {
        let schema: serde_json::Value = serde_json::from_str(&super::json_schema()).unwrap();
        let keys = |pointer: &str| -> Vec<String> {
            let mut keys: Vec<String> = schema
                .pointer(pointer)
                .and_then(|properties| properties.as_object())
                .unwrap_or_else(|| panic!("no {pointer}"))
                .keys()
                .cloned()
                .collect();
            keys.sort();
            keys
        };
        let sorted = |list: &[&str]| {
            let mut list: Vec<String> = list.iter().map(|key| (*key).to_owned()).collect();
            list.sort();
            list
        };
        assert_eq!(keys("/properties"), sorted(read::FILE_KEYS));
        assert_eq!(
            keys("/definitions/Guild/properties"),
            sorted(read::GUILD_KEYS)
        );
        assert_eq!(keys("/definitions/Tag/properties"), sorted(read::TAG_KEYS));
        assert_eq!(
            keys("/definitions/Everyone/properties"),
            sorted(read::EVERYONE_KEYS)
        );
        assert_eq!(
            keys("/definitions/Prune/properties"),
            sorted(read::PRUNE_KEYS)
        );
        assert_eq!(
            keys("/definitions/Role/properties"),
            sorted(read::ROLE_KEYS)
        );
        assert_eq!(
            keys("/definitions/Channel/properties"),
            sorted(read::CHANNEL_KEYS)
        );
        assert_eq!(
            keys("/definitions/Category/properties"),
            sorted(read::CATEGORY_KEYS)
        );
        assert_eq!(
            keys("/definitions/Overwrite/properties"),
            sorted(read::OVERWRITE_KEYS)
        );
        for (definition, list) in [
            ("WelcomeScreen", read::WELCOME_SCREEN_KEYS),
            ("WelcomeChannel", read::WELCOME_CHANNEL_KEYS),
            ("Onboarding", read::ONBOARDING_KEYS),
            ("Prompt", read::PROMPT_KEYS),
            ("PromptOption", read::OPTION_KEYS),
            ("AutoModRule", read::AUTOMOD_KEYS),
            ("AutoModAction", read::ACTION_KEYS),
            ("Event", read::EVENT_KEYS),
            ("Webhook", read::WEBHOOK_KEYS),
            ("Messages", read::MESSAGES_KEYS),
            ("Invite", read::INVITE_KEYS),
            ("Widget", read::WIDGET_KEYS),
            ("Vanity", read::VANITY_KEYS),
            ("Ignore", read::IGNORE_KEYS),
            ("Protect", read::PROTECT_KEYS),
            ("Access", read::ACCESS_KEYS),
            ("Assertion", read::ASSERTION_KEYS),
            ("FormerPlace", read::FORMER_PLACE_KEYS),
            ("Preset", read::PRESET_KEYS),
        ] {
            assert_eq!(
                keys(&format!("/definitions/{definition}/properties")),
                sorted(list),
                "{definition}"
            );
        }
    }

    #[test]
    fn text_channel_names_normalise_like_discord() {
        assert_eq!(
            super::normalise_text_channel_name("General Chat"),
            "general-chat"
        );
        assert_eq!(
            super::normalise_text_channel_name("help-agents"),
            "help-agents"
        );
        assert_eq!(
            super::normalise_text_channel_name("Ünïcode  Name"),
            "ünïcode-name"
        );
    }
}
