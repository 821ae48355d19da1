//! `--all-envs`: the steps `plan` and `drift` share to work on every environment of the file in
//! one run.

use std::future::Future;
use std::io::Write;

use anyhow::Context;

use super::common::{Session, load_config, load_environment};
use super::{Exit, Hinted, Reported};
use crate::config::Loaded;
use crate::render::markdown::Scope;
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

/// Runs `work` on every environment at the same time (each on its own task, so one slow guild
/// does not hold the others), closing each session after; results in file order.
pub async fn run_each<T, F, Fut>(
    runs: Vec<Run>,
    settings: &Settings,
    work: F,
) -> anyhow::Result<Vec<(String, anyhow::Result<T>)>>
where
    T: Send + 'static,
    F: Fn(Loaded, Settings, std::sync::Arc<Session>) -> Fut,
    Fut: Future<Output = anyhow::Result<T>> + Send + 'static,
{
    let mut tasks = Vec::new();
    for run in runs {
        let task = match run.opened {
            Ok((loaded, session)) => {
                let session = std::sync::Arc::new(session);
                let done = work(loaded, settings.clone(), session.clone());
                tokio::spawn(async move {
                    let result = done.await;
                    let closed = match std::sync::Arc::try_unwrap(session) {
                        Ok(session) => session.close().await,
                        Err(_) => Ok(()),
                    };
                    result.and_then(|result| closed.map(|()| result))
                })
            }
            Err(error) => tokio::spawn(async move { Err(error) }),
        };
        tasks.push((run.name, task));
    }
    let mut results = Vec::new();
    for (name, task) in tasks {
        let result = task
            .await
            .with_context(|| format!("environment `{name}` stopped"))?;
        results.push((name, result));
    }
    Ok(results)
}

/// How `print_each` shows one environment's result.
pub struct Printer<'a, T> {
    /// The document's marker (`<!-- miyabi-guild:plan -->`), written once before the sections.
    pub marker: &'a str,
    /// The result's key in the JSON document (`plan`, `drift`).
    pub key: &'a str,
    pub print: &'a dyn Fn(&T, Scope<'_>, &mut dyn Write) -> anyhow::Result<()>,
    pub json: &'a dyn Fn(&T) -> anyhow::Result<serde_json::Value>,
    pub exit: &'a dyn Fn(&T) -> Exit,
}

/// Prints every environment's result, in order (text: under a heading; Markdown: one section
/// each under one marker; JSON: `{"environments": [...]}`), and returns the worst exit.
pub fn print_each<T>(
    results: &[(String, anyhow::Result<T>)],
    output: Output,
    settings: &Settings,
    printer: &Printer<'_, T>,
) -> anyhow::Result<Exit> {
    let mut stdout = std::io::stdout().lock();
    let mut worst = Exit::Success;
    let mut json = Vec::new();
    if output == Output::Markdown {
        writeln!(stdout, "{}", printer.marker)?;
    }
    for (index, (name, result)) in results.iter().enumerate() {
        if index > 0 && output == Output::Text {
            writeln!(stdout)?;
        }
        match result {
            Ok(result) => {
                worst = worse(worst, (printer.exit)(result));
                match output {
                    Output::Json => json.push(serde_json::json!({
                        "environment": name,
                        printer.key: (printer.json)(result)?,
                    })),
                    Output::Text => {
                        heading(name, settings, &mut stdout)?;
                        (printer.print)(result, Scope::Section(name), &mut stdout)?;
                    }
                    Output::Markdown => {
                        (printer.print)(result, Scope::Section(name), &mut stdout)?;
                        writeln!(stdout)?;
                    }
                }
            }
            Err(error) => {
                worst = Exit::Failure;
                failed(name, error, settings, output, &mut stdout)?;
                if output == Output::Json {
                    json.push(serde_json::json!({
                        "environment": name,
                        "error": format!("{error:#}"),
                    }));
                }
            }
        }
    }
    if output == Output::Json {
        serde_json::to_writer_pretty(&mut stdout, &serde_json::json!({ "environments": json }))?;
        writeln!(stdout)?;
    }
    stdout.flush()?;
    Ok(worst)
}

#[cfg(test)]
mod tests {
    use clap::Parser;

    use super::*;
    use crate::settings::{Environment, GlobalArgs};

    #[derive(Parser)]
    struct Args {
        #[command(flatten)]
        global: GlobalArgs,
    }

    /// Environments of one bot (same API, same token) share one client, so one rate limiter
    /// paces all their requests; another bot's environment gets its own.
    #[tokio::test]
    async fn environments_of_one_bot_share_one_client() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("server.toml");
        std::fs::write(
            &path,
            "[environments.a]\nguild = \"1\"\n\n[environments.b]\nguild = \"2\"\n\n[environments.other]\nguild = \"3\"\n",
        )
        .unwrap();
        let args = Args::parse_from(["miyabi-guild", "--config", path.to_str().unwrap()]).global;
        let env = Environment {
            discord_token: Some("one-bot".to_owned()),
            environment_tokens: [("DISCORD_TOKEN_OTHER".to_owned(), "another-bot".to_owned())]
                .into(),
            ci: true,
            ..Environment::default()
        };
        let settings = Settings::resolve(&args, &env).unwrap();
        let loaded: Vec<Loaded> = ["a", "b", "other"]
            .iter()
            .map(|name| crate::config::load_environment(&path, Some(name)).unwrap())
            .collect();
        let sessions: Vec<Session> = Session::open_each(&settings, &loaded)
            .await
            .into_iter()
            .map(Result::unwrap)
            .collect();
        let guilds: Vec<u64> = sessions.iter().map(|s| s.guild_id.get()).collect();
        assert_eq!(guilds, [1, 2, 3]);
        assert!(std::sync::Arc::ptr_eq(
            &sessions[0].discord,
            &sessions[1].discord
        ));
        assert!(!std::sync::Arc::ptr_eq(
            &sessions[0].discord,
            &sessions[2].discord
        ));
    }

    #[test]
    fn the_worst_exit_wins() {
        assert_eq!(worse(Exit::Success, Exit::Changes), Exit::Changes);
        assert_eq!(worse(Exit::Failure, Exit::Changes), Exit::Failure);
        assert_eq!(worse(Exit::Changes, Exit::Success), Exit::Changes);
    }
}
