//! `miyabi-guild apply`

use std::io::{BufRead, Write};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use clap::Args;
use indicatif::{ProgressBar, ProgressState, ProgressStyle};

use super::common::{Session, load_config};
use super::{Exit, Hinted};
use crate::apply::{Progress, Silent, execute};
use crate::render;
use crate::settings::Settings;

/// Plan, ask for confirmation, apply the changes with progress, and report what was done.
///
/// On a failed write it stops and reports what was done and what remains; running it again
/// finishes the job without creating anything twice.
#[derive(Args, Debug)]
pub struct ApplyArgs {
    /// Apply without asking (for CI, after the plan was reviewed).
    #[arg(long)]
    auto_approve: bool,
}

pub async fn run(args: ApplyArgs, settings: &Settings) -> anyhow::Result<Exit> {
    let loaded = load_config(settings)?;
    let session = Session::open(settings).await?;
    let result = apply(&args, settings, &session, &loaded).await;
    session.close().await?;
    result
}

async fn apply(
    args: &ApplyArgs,
    settings: &Settings,
    session: &Session,
    loaded: &crate::config::Loaded,
) -> anyhow::Result<Exit> {
    let plan = session.plan(loaded, settings).await?;
    let mut stdout = std::io::stdout().lock();
    render::human::plan(&plan, settings.style, &mut stdout)?;
    stdout.flush()?;
    if plan.is_empty() {
        return Ok(Exit::Success);
    }
    if !args.auto_approve && !confirm(settings, &plan.guild_name)? {
        writeln!(stdout, "Apply cancelled; nothing was changed.")?;
        return Ok(Exit::Failure);
    }
    drop(stdout);

    let bar = (settings.stderr_is_terminal && !settings.quiet).then(Bar::new);
    let progress: &dyn Progress = match &bar {
        Some(bar) => bar,
        None => &Silent,
    };
    let assets = crate::apply::Assets::of(&loaded.desired);
    let report = execute(&session.discord, &plan, &assets, progress).await;
    let mut stdout = std::io::stdout().lock();
    writeln!(stdout)?;
    render::human::report(&report, settings.style, &mut stdout)?;
    match report.failed {
        None => Ok(Exit::Success),
        Some((_, error)) => Err(anyhow::Error::new(error)),
    }
}

/// Asks for `yes` on the terminal; refuses to guess without one.
fn confirm(settings: &Settings, guild: &str) -> anyhow::Result<bool> {
    if !settings.stdin_is_terminal {
        return Err(Hinted {
            message: "apply needs confirmation, but standard input is not a terminal".to_owned(),
            hint: "review the plan above, then run `miyabi-guild apply --auto-approve`".to_owned(),
        }
        .into());
    }
    let style = settings.err_style;
    eprint!(
        "\n{} Apply these changes to \"{guild}\"? Only `yes` is accepted: ",
        style.bold("Confirm:")
    );
    std::io::stderr().flush()?;
    let mut answer = String::new();
    std::io::stdin().lock().read_line(&mut answer)?;
    Ok(answer.trim() == "yes")
}

/// One progress bar on stderr, shown only on a terminal: the current step, and how long it has
/// been waiting once a step takes more than a second (Discord's rate limits pace writes, and
/// the HTTP client waits them out silently).
struct Bar {
    bar: ProgressBar,
    step_started: Arc<Mutex<Instant>>,
}

impl Bar {
    fn new() -> Self {
        let bar = ProgressBar::new(0);
        let step_started = Arc::new(Mutex::new(Instant::now()));
        let started = Arc::clone(&step_started);
        let wait = move |_: &ProgressState, out: &mut dyn std::fmt::Write| {
            let elapsed = started.lock().map(|s| s.elapsed()).unwrap_or_default();
            if let Some(note) = wait_note(elapsed) {
                let _ = out.write_str(&note);
            }
        };
        if let Ok(style) = ProgressStyle::with_template("{spinner} [{pos}/{len}]{wait} {wide_msg}")
        {
            bar.set_style(style.with_key("wait", wait));
        }
        bar.enable_steady_tick(Duration::from_millis(120));
        Self { bar, step_started }
    }
}

/// ` waiting 9 s for Discord's rate limits:` once a step has waited more than a second.
fn wait_note(elapsed: Duration) -> Option<String> {
    let seconds = elapsed.as_secs();
    (seconds >= 1).then(|| format!(" waiting {seconds} s for Discord's rate limits:"))
}

impl Progress for Bar {
    fn start(&self, total: usize) {
        self.bar.set_length(total as u64);
    }

    fn step(&self, description: &str) {
        if let Ok(mut started) = self.step_started.lock() {
            *started = Instant::now();
        }
        if !self.bar.message().is_empty() {
            self.bar.inc(1);
        }
        self.bar.set_message(description.to_owned());
    }

    fn finish(&self) {
        self.bar.finish_and_clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_wait_is_shown_only_after_a_second() {
        assert_eq!(wait_note(Duration::from_millis(900)), None);
        assert_eq!(
            wait_note(Duration::from_millis(9_400)).as_deref(),
            Some(" waiting 9 s for Discord's rate limits:")
        );
    }
}
