//! `--all-envs`: the steps `plan` and `drift` share to work on every environment of the file in
//! one run.

use std::io::Write;

use super::common::{Session, load_config, load_environment};
use super::{Exit, Hinted, Reported};
use crate::config::Loaded;
use crate::settings::Settings;

/// One environment: its effective file and its session, or why there is none.
pub struct Run {
    pub name: String,
    pub opened: anyhow::Result<(Loaded, Session)>,
}

/// Loads every environment's effective file (printing its diagnostics) and opens its session;
/// sessions of one bot share its client and rate limiter. An environment that fails to load or
/// connect is a `Run` with the error: the others still run.
pub async fn open_all(settings: &Settings) -> anyhow::Result<Vec<Run>> {
    if let Some(name) = &settings.environment {
        return Err(Hinted {
            message: format!("--all-envs and --env {name} (or MIYABI_ENV) exclude each other"),
            hint: "drop one: --env works on one environment, --all-envs on every one".to_owned(),
        }
        .into());
    }
    let base = load_config(settings)?;
    if base.environments.is_empty() {
        return Err(Hinted {
            message: format!("--all-envs: {} declares no environments", base.source.name),
            hint: "declare `[environments.NAME]` with its `guild`, or run without --all-envs"
                .to_owned(),
        }
        .into());
    }
    let mut loaded = Vec::new();
    let mut failed = Vec::new();
    for environment in &base.environments {
        match load_environment(settings, Some(&environment.name)) {
            Ok(file) => loaded.push(file),
            Err(error) => failed.push((environment.name.clone(), error)),
        }
    }
    let sessions = Session::open_each(settings, &loaded).await;
    let mut runs: Vec<Run> = loaded
        .into_iter()
        .zip(sessions)
        .map(|(loaded, session)| Run {
            name: loaded
                .environment
                .as_ref()
                .map_or(String::new(), |e| e.name.clone()),
            opened: session.map(|session| (loaded, session)),
        })
        .collect();
    runs.extend(failed.into_iter().map(|(name, error)| Run {
        name,
        opened: Err(error),
    }));
    // File order, whatever failed where.
    let order = |name: &str| {
        base.environments
            .iter()
            .position(|environment| environment.name == name)
    };
    runs.sort_by_key(|run| order(&run.name));
    Ok(runs)
}

/// The worse of two outcomes: an error, then changes or drift, then nothing to do.
pub fn worse(a: Exit, b: Exit) -> Exit {
    let rank = |exit: Exit| match exit {
        Exit::Success => 0,
        Exit::Changes => 1,
        Exit::Failure | Exit::Interrupted => 2,
    };
    if rank(b) > rank(a) { b } else { a }
}

/// The line above an environment's output in text.
pub fn heading(name: &str, settings: &Settings, out: &mut dyn Write) -> std::io::Result<()> {
    writeln!(
        out,
        "{}",
        settings.style.bold(&format!(
            "━━ Environment {name} ━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━"
        ))
    )
}

/// How a command prints its result.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Output {
    Text,
    Markdown,
    Json,
}

impl Output {
    pub fn of(json: bool, markdown: bool) -> Self {
        match (json, markdown) {
            (true, _) => Self::Json,
            (false, true) => Self::Markdown,
            (false, false) => Self::Text,
        }
    }
}

/// Reports an environment that failed: the error on stderr (unless it was reported in full
/// already), and its section in the output.
pub fn failed(
    name: &str,
    error: &anyhow::Error,
    settings: &Settings,
    output: Output,
    out: &mut dyn Write,
) -> std::io::Result<()> {
    let reported = error.downcast_ref::<Reported>().is_some();
    if !reported {
        super::print_error(
            error,
            &format!("environment `{name}`: "),
            settings.err_style,
        );
    }
    if output == Output::Json {
        return Ok(()); // the caller writes the error into the document
    }
    if output == Output::Markdown {
        let what = if reported {
            "see the job's log for the errors".to_owned()
        } else {
            crate::render::markdown::inline(&crate::config::clip(&error.to_string(), 1_000))
        };
        writeln!(
            out,
            "## Environment `{name}`\n\n> [!CAUTION]\n> **Failed:** {what}\n"
        )
    } else {
        heading(name, settings, out)?;
        writeln!(out, "Failed: see the errors above.\n")
    }
}
