//! `miyabi-guild validate`

use std::io::Write;

use clap::Args;

use super::common::load_config;
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
    let loaded = load_config(settings)?;
    if settings.environment.is_some() || loaded.environments.is_empty() {
        print_valid(&loaded, None)?;
        return Ok(Exit::Success);
    }
    // The file is valid as written; now each environment's effective file. What every
    // environment reports alike was reported above; the rest is named by environment.
    let key = |d: &Diagnostic| (d.file.clone(), d.span.clone(), d.message.clone());
    let base: std::collections::HashSet<_> = loaded.warnings.iter().map(key).collect();
    let mut found: Vec<Diagnostic> = Vec::new();
    let mut valid = Vec::new();
    for environment in &loaded.environments {
        let source = config::read_source(&settings.config)?;
        let (diagnostics, result) = match config::parse_environment(source, Some(&environment.name))
        {
            Ok(loaded) => (loaded.warnings.clone(), Some(loaded)),
            Err((_, diagnostics)) => (diagnostics, None),
        };
        for mut diagnostic in diagnostics {
            if base.contains(&key(&diagnostic)) {
                continue;
            }
            diagnostic.message = format!(
                "{} (in environment `{}`)",
                diagnostic.message, environment.name
            );
            found.push(diagnostic);
        }
        valid.extend(result);
    }
    if !found.is_empty() && !settings.quiet || found.iter().any(Diagnostic::is_error) {
        let mut stderr = std::io::stderr().lock();
        config::render_diagnostics(
            &found,
            &loaded.source,
            &mut stderr,
            settings.err_style.color,
        )?;
        if settings.github_actions {
            crate::render::annotations::write(&found, &mut stderr)?;
        }
    }
    if found.iter().any(Diagnostic::is_error) {
        return Err(Reported.into());
    }
    for environment in &valid {
        print_valid(environment, environment.environment.as_ref())?;
    }
    Ok(Exit::Success)
}

fn print_valid(loaded: &Loaded, environment: Option<&config::Environment>) -> std::io::Result<()> {
    let desired = &loaded.desired;
    let count = |wanted: fn(ChannelKind) -> bool| {
        desired.channels.iter().filter(|c| wanted(c.kind)).count()
    };
    let what = match environment {
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
