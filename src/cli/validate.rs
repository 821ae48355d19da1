//! `miyabi-guild validate`

use std::collections::HashSet;
use std::io::Write;

use clap::Args;

use super::common::{read_config, show_diagnostics};
use super::{Exit, Reported};
use crate::config::{self, Diagnostic, Loaded};
use crate::model::ChannelKind;
use crate::settings::Settings;

/// Check the server file offline: every error at once, each with file:line:col, the offending
/// snippet and a hint. With `[environments]`, every environment's effective file is checked
/// (only `--env`'s when one is given). Exit 0 when valid, 1 when not. Makes no network request.
#[derive(Args, Debug)]
pub struct ValidateArgs {}

pub fn run(_args: ValidateArgs, settings: &Settings) -> anyhow::Result<Exit> {
    let (source, problems) = read_config(settings)?;
    if !problems.is_empty() {
        show_diagnostics(&problems, &source, settings)?;
        return Err(Reported.into());
    }
    let (shown, mut diagnostics, file) =
        match config::parse_environment(source.clone(), settings.environment.as_deref()) {
            Ok(loaded) => (loaded.source.clone(), loaded.warnings.clone(), Some(loaded)),
            Err((source, diagnostics)) => (source, diagnostics, None),
        };
    // Each environment's effective file too, even when the file itself has errors: what every
    // environment reports alike is reported once, the rest named by environment.
    let names = match settings.environment {
        Some(_) => Vec::new(),
        None => config::environments::declared_names(&source),
    };
    let key = |d: &Diagnostic| (d.file.clone(), d.span.clone(), d.message.clone());
    let mut seen: HashSet<_> = diagnostics.iter().map(key).collect();
    let mut valid = Vec::new();
    for name in &names {
        let (found, result) = match config::parse_environment(source.clone(), Some(name)) {
            Ok(loaded) => (loaded.warnings.clone(), Some(loaded)),
            Err((_, found)) => (found, None),
        };
        for mut diagnostic in found {
            if !seen.insert(key(&diagnostic)) {
                continue;
            }
            diagnostic.message = format!("{} (in environment `{name}`)", diagnostic.message);
            diagnostics.push(diagnostic);
        }
        valid.extend(result);
    }
    diagnostics.sort_by_key(|d| (shown.file_order(&d.file), d.span.start));
    let failed = diagnostics.iter().any(Diagnostic::is_error);
    if failed || !settings.quiet {
        show_diagnostics(&diagnostics, &shown, settings)?;
    }
    if failed {
        return Err(Reported.into());
    }
    match (file, names.is_empty()) {
        (Some(file), true) => print_valid(&file)?,
        _ => {
            for environment in &valid {
                print_valid(environment)?;
            }
        }
    }
    Ok(Exit::Success)
}

fn print_valid(loaded: &Loaded) -> std::io::Result<()> {
    let desired = &loaded.desired;
    let count = |wanted: fn(ChannelKind) -> bool| {
        desired.channels.iter().filter(|c| wanted(c.kind)).count()
    };
    let what = match &loaded.environment {
        Some(environment) => format!(", environment `{}`,", environment.name),
        None => String::new(),
    };
    let files = match loaded.files.len() {
        1 => String::new(),
        n => format!(" ({n} files)"),
    };
    writeln!(
        std::io::stdout(),
        "{}{files}{what} is valid: {} roles, {} categories, {} channels.",
        loaded.source.name,
        desired.roles.len(),
        count(|kind| kind == ChannelKind::Category),
        count(|kind| kind != ChannelKind::Category),
    )
}
