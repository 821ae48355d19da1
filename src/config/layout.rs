//! A server file and the files it includes, read as one document.
//!
//! `include = ["roles.toml", "channels/*.toml"]` in the main file names other files of the same
//! shape. They are read as one text: each file's bytes sit at their own offset of one address
//! space (the main file at 0, then each included file after the one before), so every span the
//! reader and the validator keep is unique across the files, and a
//! [`Diagnostic`](super::Diagnostic) made from a span names the file it falls in, with that file's
//! line, column and snippet (see [`Source::part_at`]).
//!
//! Merging: lists of tables (`[[roles]]`, `[[categories]]`, ...) are concatenated, the main
//! file's items first, then each included file's in include order; a table may spread over
//! files (`[presets.staff]` in one, `[presets.bots]` in another), but a key written in two files
//! is an error that names both places. Only the main file may `include` or declare
//! `[environments]`.
//!
//! Included paths are relative to the main file's directory and must stay inside it (a pull
//! request must not make CI print lines of a file elsewhere on the runner in a diagnostic).

use std::ops::Range;
use std::path::{Component, Path, PathBuf};
use std::sync::Arc;

use toml::Spanned;
use toml::de::{DeArray, DeTable, DeValue};

use super::diagnostic::Diagnostic;
use super::files::SERVER_FILE_MAX;
use super::{LoadError, Source};

/// Included files at most (after glob expansion).
pub(crate) const INCLUDED_FILES_MAX: usize = 256;
/// Bytes of all files of a layout together.
pub(crate) const LAYOUT_BYTES_MAX: usize = 4 * SERVER_FILE_MAX as usize;

/// The main file and its included files as one [`Source`], with the files' paths.
pub(crate) struct Layout {
    /// The composite text (the main file alone when nothing is included).
    pub source: Source,
    /// The files on disk, the main file first.
    pub files: Vec<PathBuf>,
    /// Problems found while finding and reading the files, each in its own file.
    pub problems: Vec<Diagnostic>,
}

/// Finds and reads every file `main` includes. Problems (a pattern matching nothing, a path
/// outside the directory, an encoding problem of an included file) are located at the pattern
/// or in the included file; reading goes on past them.
pub(crate) fn assemble(main: Source, main_path: &Path) -> Layout {
    let mut problems = Vec::new();
    let patterns = include_patterns(&main, &mut problems);
    if patterns.is_empty() {
        return Layout {
            source: main,
            files: vec![main_path.to_owned()],
            problems,
        };
    }
    let directory = main_path.parent().unwrap_or(Path::new(""));
    let canonical_directory = std::fs::canonicalize(listing_dir(directory)).ok();
    let canonical_main = std::fs::canonicalize(main_path).ok();
    let mut seen: Vec<PathBuf> = canonical_main.into_iter().collect();
    let mut files = vec![main_path.to_owned()];
    let main = Arc::new(main);
    let mut sources = vec![main.clone()];
    let mut total = main.text.len();
    for (pattern, span) in patterns {
        let at = |message: String, hint: &str| {
            let mut diagnostic = Diagnostic::error(message, &main, span.clone()).with_hint(hint);
            diagnostic.snippet_from = Some(main.clone());
            diagnostic
        };
        let found = match expand(directory, &pattern) {
            Ok(found) => found,
            Err(problem) => {
                problems.push(at(
                    format!("include `{pattern}`: {problem}"),
                    "include paths are relative to the main file's directory and stay inside it",
                ));
                continue;
            }
        };
        if found.is_empty() {
            problems.push(at(
                format!("include `{pattern}` matches no file"),
                "check the path: it is relative to the main file's directory",
            ));
            continue;
        }
        for path in found {
            let canonical = std::fs::canonicalize(&path).ok();
            if let (Some(canonical), Some(directory)) = (&canonical, &canonical_directory)
                && !canonical.starts_with(directory)
            {
                problems.push(at(
                    format!("include `{pattern}`: {} leads outside the main file's directory", path.display()),
                    "include files inside the directory of the main file (a symbolic link may point elsewhere)",
                ));
                continue;
            }
            if canonical.as_ref().is_some_and(|c| seen.contains(c)) {
                continue;
            }
            if sources.len() > INCLUDED_FILES_MAX {
                problems.push(at(
                    format!("more than {INCLUDED_FILES_MAX} included files"),
                    "include fewer, larger files",
                ));
                break;
            }
            let (source, encoding) = match super::read_file(&path) {
                Ok(read) => read,
                Err(LoadError::Io { problem, .. }) => {
                    problems.push(at(
                        format!("cannot read {}: {problem}", path.display()),
                        problem.hint(),
                    ));
                    continue;
                }
                Err(LoadError::Invalid(found)) => {
                    problems.extend(found);
                    continue;
                }
            };
            total += source.text.len() + 1;
            if total > LAYOUT_BYTES_MAX {
                problems.push(at(
                    format!(
                        "the included files hold more than {} MiB together",
                        LAYOUT_BYTES_MAX >> 20
                    ),
                    "a server file of this size is not a server's configuration",
                ));
                break;
            }
            let source = Arc::new(source);
            problems.extend(encoding.into_iter().map(|mut diagnostic| {
                diagnostic.snippet_from = Some(source.clone());
                diagnostic
            }));
            seen.extend(canonical);
            files.push(path);
            sources.push(source);
        }
    }
    Layout {
        source: Source::composite(sources),
        files,
        problems,
    }
}

/// The strings of the main file's `include`, with their spans; a wrong shape is reported (the
/// rest of the file is read anyway). A syntax error leaves it empty: the reader reports it.
fn include_patterns(main: &Source, problems: &mut Vec<Diagnostic>) -> Vec<(String, Range<usize>)> {
    // Most files include nothing: do not parse them twice.
    if !main.text.contains("include") {
        return Vec::new();
    }
    let Ok(document) = DeTable::parse(&main.text) else {
        return Vec::new();
    };
    let Some(value) = document.get_ref().get("include") else {
        return Vec::new();
    };
    let wrong = |span: Range<usize>| {
        Diagnostic::error("`include` must be a list of file names", main, span)
            .with_hint(r#"write `include = ["roles.toml", "channels/*.toml"]`"#)
    };
    let DeValue::Array(items) = value.get_ref() else {
        problems.push(wrong(value.span()));
        return Vec::new();
    };
    let mut patterns = Vec::new();
    for item in items.iter() {
        match item.get_ref() {
            DeValue::String(pattern) => patterns.push((pattern.to_string(), item.span())),
            _ => problems.push(wrong(item.span())),
        }
    }
    patterns
}

fn listing_dir(directory: &Path) -> &Path {
    if directory.as_os_str().is_empty() {
        Path::new(".")
    } else {
        directory
    }
}

/// The regular files `pattern` names under `directory`, sorted by path. `*` stands for any run
/// of characters and `?` for one, within one path segment; `**` is not special. A directory
/// named without wildcards stands for the `.toml` files in it (`"channels"` is
/// `"channels/*.toml"`).
fn expand(directory: &Path, pattern: &str) -> Result<Vec<PathBuf>, String> {
    let relative = Path::new(pattern);
    if pattern.trim().is_empty() {
        return Err("the path is empty".to_owned());
    }
    if relative.is_absolute() || pattern.starts_with(['/', '\\']) {
        return Err("the path is absolute".to_owned());
    }
    let mut segments = Vec::new();
    for component in relative.components() {
        match component {
            Component::Normal(segment) => segments.push(segment.to_string_lossy().into_owned()),
            Component::CurDir => {}
            _ => return Err("the path leaves the main file's directory (`..`)".to_owned()),
        }
    }
    let mut found = vec![directory.to_owned()];
    for (index, segment) in segments.iter().enumerate() {
        let last = index + 1 == segments.len();
        let mut next = Vec::new();
        for base in &found {
            if !segment.contains(['*', '?']) {
                next.push(base.join(segment));
                continue;
            }
            let Ok(entries) = std::fs::read_dir(listing_dir(base)) else {
                continue;
            };
            let mut names: Vec<String> = entries
                .filter_map(Result::ok)
                .map(|entry| entry.file_name().to_string_lossy().into_owned())
                .filter(|name| !name.starts_with('.') || segment.starts_with('.'))
                .filter(|name| wildcard_match(segment, name))
                .collect();
            names.sort();
            next.extend(names.into_iter().map(|name| base.join(name)));
            if next.len() > INCLUDED_FILES_MAX * 4 {
                return Err(format!(
                    "matches more than {} paths",
                    INCLUDED_FILES_MAX * 4
                ));
            }
        }
        // Only the last segment names files; a wildcard directory that is a file is dropped.
        found = if last {
            next
        } else {
            next.into_iter().filter(|path| path.is_dir()).collect()
        };
    }
    if !pattern.contains(['*', '?']) {
        return match found.first() {
            Some(path) if path.is_file() => Ok(found),
            // A directory stands for the `.toml` files in it.
            Some(path) if path.is_dir() => {
                let pattern = Path::new(pattern).join("*.toml");
                expand(directory, &pattern.to_string_lossy())
            }
            Some(path) if path.exists() => Err(format!("{} is not a file", path.display())),
            _ => Err(format!(
                "{} does not exist",
                found
                    .first()
                    .map_or(pattern.into(), |path| path.display().to_string())
            )),
        };
    }
    let mut files: Vec<PathBuf> = found.into_iter().filter(|path| path.is_file()).collect();
    files.sort();
    Ok(files)
}

/// `*` any run of characters, `?` one character, everything else itself.
fn wildcard_match(pattern: &str, name: &str) -> bool {
    let pattern: Vec<char> = pattern.chars().collect();
    let name: Vec<char> = name.chars().collect();
    let (mut p, mut n) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    while n < name.len() {
        if p < pattern.len() && (pattern[p] == '?' || pattern[p] == name[n]) {
            p += 1;
            n += 1;
        } else if p < pattern.len() && pattern[p] == '*' {
            star = Some((p, n));
            p += 1;
        } else if let Some((star_p, star_n)) = star {
            p = star_p + 1;
            n = star_n + 1;
            star = Some((star_p, star_n + 1));
        } else {
            return false;
        }
    }
    pattern[p..].iter().all(|c| *c == '*')
}

/// Each file of `source` parsed, with spans moved to the composite's address space; `Err` with
/// every file's syntax error.
pub(crate) fn parse_files<'i>(
    source: &'i Source,
    diagnostics: &mut Vec<Diagnostic>,
) -> Result<Vec<DeTable<'i>>, ()> {
    let parts: Vec<(usize, &'i str)> = if source.parts.is_empty() {
        vec![(0, source.text.as_str())]
    } else {
        source
            .parts
            .iter()
            .map(|(start, part)| (*start, &source.text[*start..*start + part.text.len()]))
            .collect()
    };
    let mut tables = Vec::new();
    let mut failed = false;
    for (start, text) in parts {
        match DeTable::parse(text) {
            Ok(table) => tables.push(shift_table(table.into_inner(), start)),
            Err(error) => {
                failed = true;
                let span = error.span().unwrap_or(0..0);
                let message = error.message().trim().to_owned();
                diagnostics.push(
                    Diagnostic::error(
                        format!("invalid TOML: {message}"),
                        source,
                        span.start + start..span.end + start,
                    )
                    .with_hint("fix the syntax first; the rest of the file is checked after that"),
                );
            }
        }
    }
    if failed { Err(()) } else { Ok(tables) }
}

fn shift_table(table: DeTable<'_>, by: usize) -> DeTable<'_> {
    if by == 0 {
        return table;
    }
    let mut shifted = DeTable::new();
    for (key, value) in table {
        let span = key.span();
        shifted.insert(
            Spanned::new(span.start + by..span.end + by, key.into_inner()),
            shift(value, by),
        );
    }
    shifted
}

fn shift(value: Spanned<DeValue<'_>>, by: usize) -> Spanned<DeValue<'_>> {
    let span = value.span();
    let inner = match value.into_inner() {
        DeValue::Table(table) => DeValue::Table(shift_table(table, by)),
        DeValue::Array(items) => {
            let mut shifted = DeArray::new();
            for item in items.iter() {
                shifted.push(shift(item.clone(), by));
            }
            DeValue::Array(shifted)
        }
        other => other,
    };
    Spanned::new(span.start + by..span.end + by, inner)
}

/// Merges the included files' tables into the main file's (the first), reporting keys written
/// twice and `include` or `environments` outside the main file.
pub(crate) fn merge_files<'i>(
    mut tables: Vec<DeTable<'i>>,
    source: &Source,
    diagnostics: &mut Vec<Diagnostic>,
) -> DeTable<'i> {
    let mut main = if tables.is_empty() {
        DeTable::new()
    } else {
        tables.remove(0)
    };
    main.remove("include");
    for table in tables {
        for (key, value) in table {
            if matches!(key.get_ref().as_ref(), "include" | "environments") {
                diagnostics.push(
                    Diagnostic::error(
                        format!("`{}` may only be written in the main file", key.get_ref()),
                        source,
                        key.span(),
                    )
                    .with_hint(format!(
                        "move it to {}, the file the others are included from",
                        source.name
                    )),
                );
                continue;
            }
            merge_entry(&mut main, key, value, "", source, diagnostics);
        }
    }
    main
}

fn merge_entry<'i>(
    into: &mut DeTable<'i>,
    key: Spanned<std::borrow::Cow<'i, str>>,
    value: Spanned<DeValue<'i>>,
    path: &str,
    source: &Source,
    diagnostics: &mut Vec<Diagnostic>,
) {
    let name = key.get_ref().to_string();
    let dotted = if path.is_empty() {
        name.clone()
    } else {
        format!("{path}.{name}")
    };
    let Some(existing_key) = into.get_key_value(name.as_str()).map(|(k, _)| k.span()) else {
        into.insert(key, value);
        return;
    };
    let Some(existing) = into.get_mut(name.as_str()) else {
        return;
    };
    let existing_span = existing.span();
    match (existing.get_mut(), value.into_inner()) {
        (DeValue::Array(items), DeValue::Array(more))
            if tables_only(items) && tables_only(&more) =>
        {
            for item in more.iter() {
                items.push(item.clone());
            }
        }
        (DeValue::Table(inner), DeValue::Table(more)) => {
            for (key, value) in more {
                merge_entry(inner, key, value, &dotted, source, diagnostics);
            }
        }
        _ => {
            let first = source.place(existing_key.start.min(existing_span.start));
            diagnostics.push(
                Diagnostic::error(
                    format!("`{dotted}` is written in two files"),
                    source,
                    key.span(),
                )
                .with_hint(format!(
                    "it is also written at {first}; keep one of them (lists of tables such as `[[roles]]` may be spread over files, single values may not)"
                )),
            );
        }
    }
}

fn tables_only(items: &DeArray<'_>) -> bool {
    items
        .iter()
        .all(|item| matches!(item.get_ref(), DeValue::Table(_)))
}

impl Source {
    /// A text made of several files: each file's text followed by a newline, in order.
    pub(crate) fn composite(parts: Vec<Arc<Source>>) -> Self {
        let mut text = String::new();
        let mut located = Vec::new();
        for part in parts {
            located.push((text.len(), part.clone()));
            text.push_str(&part.text);
            text.push('\n');
        }
        let name = located
            .first()
            .map_or(String::new(), |(_, part)| part.name.clone());
        let mut source = Source::new(name, text);
        source.parts = located.into();
        source
    }

    /// The file a byte offset of a composite text falls in, and where that file starts; `None`
    /// for a single file.
    pub(crate) fn part_at(&self, offset: usize) -> Option<(usize, &Arc<Source>)> {
        let index = self.parts.partition_point(|(start, _)| *start <= offset);
        let (start, part) = self.parts.get(index.checked_sub(1)?)?;
        Some((*start, part))
    }

    /// Where an offset is, for a hint: `line 12` in a single file, `roles.toml:12` in a layout.
    pub(crate) fn place(&self, offset: usize) -> String {
        match self.part_at(offset) {
            Some((start, part)) => {
                let (line, _) = part.line_and_column(clamp_offset(&part.text, offset - start));
                format!("{}:{line}", part.name)
            }
            None => {
                let (line, _) = self.line_and_column(clamp_offset(&self.text, offset));
                format!("line {line}")
            }
        }
    }

    /// The position of each file in the layout, for sorting diagnostics (files not in it first).
    pub(crate) fn file_order(&self, name: &str) -> usize {
        self.parts
            .iter()
            .position(|(_, part)| part.name == name)
            .unwrap_or(0)
    }
}

fn clamp_offset(text: &str, offset: usize) -> usize {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

#[cfg(test)]
mod tests;
