//! `miyabi-guild apply`

use std::io::{BufRead, Write};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use clap::Args;
use indicatif::{ProgressBar, ProgressState, ProgressStyle};

use super::common::{Session, load_for_guild};
use super::{Exit, Hinted};
use anyhow::Context;

use crate::apply::{Assets, Progress, Silent, execute};
use crate::plan::{Change, Plan};
use crate::render;
use crate::saved::SavedPlan;
use crate::settings::Settings;

/// Plan, ask for confirmation, apply the changes with progress, and report what was done.
///
/// With PLAN (from `plan --out`), apply exactly that plan without planning again; it is refused,
/// naming what changed, when the guild changed since the plan was made. On a failed write it
/// stops and reports what was done and what remains; running it again finishes the job without
/// creating anything twice.
#[derive(Args, Debug)]
pub struct ApplyArgs {
    /// A plan saved with `miyabi-guild plan --out FILE`.
    #[arg(value_name = "PLAN")]
    plan: Option<std::path::PathBuf>,

    /// Apply without asking (for CI, after the plan was reviewed).
    #[arg(long)]
    auto_approve: bool,

    /// With --auto-approve: allow the plan to delete channels (interactively you type how many).
    #[arg(long)]
    allow_delete: bool,

    /// Apply even when the plan updates or deletes more than 30% of the objects the file manages.
    #[arg(long)]
    force: bool,

    /// Apply only if the plan made now has this checksum: the one `plan --markdown` printed (and
    /// `plan --out` saved) for the plan that was reviewed. Otherwise nothing is written and the
    /// apply fails, showing the new plan: the server or the file changed since the review.
    #[arg(long, value_name = "SHA256", conflicts_with = "plan")]
    expect_checksum: Option<String>,

    /// Changes in flight at once. Changes that depend on each other (a channel on its category,
    /// an overwrite on its role) still wait for each other, and every request waits for Discord's
    /// rate limits; 1 applies the plan strictly in order.
    #[arg(long, value_name = "N", default_value_t = 8, value_parser = clap::value_parser!(u16).range(1..=64))]
    parallel: u16,

    #[command(flatten)]
    target: super::target::TargetArgs,
}

pub async fn run(args: ApplyArgs, settings: &Settings) -> anyhow::Result<Exit> {
    if let Some(path) = &args.plan {
        if !args.target.targets.is_empty() {
            return Err(Hinted {
                message: "--target cannot be used with a saved plan".to_owned(),
                hint: "a saved plan is applied as it was made: make it with `miyabi-guild plan --target … --out FILE`".to_owned(),
            }
            .into());
        }
        let text = std::fs::read_to_string(path)
            .with_context(|| format!("cannot read the plan {}", path.display()))?;
        let saved = SavedPlan::load(&text).map_err(|error| Hinted {
            message: format!("{}: {error}", path.display()),
            hint: "make a new plan with `miyabi-guild plan --out FILE`".to_owned(),
        })?;
        // With environments, `--env` picks the token; the plan names its guild, and applying
        // it to another is refused.
        let session = match &settings.environment {
            Some(_) => {
                let loaded = super::common::load_config(settings)?;
                Session::open_for(settings, &loaded).await?
            }
            None => Session::open(settings).await?,
        };
        let result = apply_saved(&args, settings, &session, saved).await;
        session.close().await?;
        return result;
    }
    let loaded = load_for_guild(settings)?;
    let session = Session::open_for(settings, &loaded).await?;
    let result = apply(&args, settings, &session, &loaded).await;
    session.close().await?;
    result
}

/// Applies a saved plan after checking that the guild is still as it was.
async fn apply_saved(
    args: &ApplyArgs,
    settings: &Settings,
    session: &Session,
    saved: SavedPlan,
) -> anyhow::Result<Exit> {
    let live = session.live(&saved.scope).await?;
    saved.verify(&live).map_err(|error| Hinted {
        message: error.to_string(),
        hint: "nothing was changed; plan again (`miyabi-guild plan --out FILE`), review, and apply the new plan".to_owned(),
    })?;
    let absent = session.absent_members(&saved.plan).await?;
    super::common::report_preflight(&saved.plan, &live, absent, settings)?;
    let assets = Assets {
        webhook_avatars: saved.webhook_avatars.into_iter().collect(),
        images: saved.images.into_iter().collect(),
    };
    confirm_and_execute(args, settings, session, &saved.plan, &assets, None).await
}

async fn apply(
    args: &ApplyArgs,
    settings: &Settings,
    session: &Session,
    loaded: &crate::config::Loaded,
) -> anyhow::Result<Exit> {
    let (mut plan, live) = session.plan(loaded, settings).await?;
    args.target.narrow(&mut plan, loaded, &live)?;
    let absent = session.absent_members(&plan).await?;
    super::common::report_plan_checks(&plan, &live, loaded, absent, settings)?;
    if let Some(expected) = &args.expect_checksum {
        let checksum = super::plan::saved_plan(&plan, loaded, &live).checksum;
        if !checksum.eq_ignore_ascii_case(expected.trim()) {
            let mut stdout = std::io::stdout().lock();
            render::human::plan(&plan, settings.style, &mut stdout)?;
            stdout.flush()?;
            return Err(Hinted {
                message: format!(
                    "the plan changed since review: the reviewed plan's checksum is {}, the plan now is {checksum}; nothing was changed",
                    expected.trim()
                ),
                hint: "the server or the file changed after the plan was reviewed: review the plan above (post it with `miyabi-guild plan --markdown`), then apply with its checksum".to_owned(),
            }
            .into());
        }
    }
    let assets = Assets::of(&loaded.desired);
    confirm_and_execute(
        args,
        settings,
        session,
        &plan,
        &assets,
        Some(&loaded.source),
    )
    .await
}

/// Shows the plan, applies the safety gates, asks, executes and reports.
async fn confirm_and_execute(
    args: &ApplyArgs,
    settings: &Settings,
    session: &Session,
    plan: &Plan,
    assets: &Assets,
    source: Option<&crate::config::Source>,
) -> anyhow::Result<Exit> {
    let mut stdout = std::io::stdout().lock();
    if settings.quiet {
        if plan.is_empty() {
            render::human::summary(plan, settings.style, &mut stdout)?;
        }
    } else {
        render::human::plan(plan, settings.style, &mut stdout)?;
    }
    stdout.flush()?;
    if plan.is_empty() {
        return Ok(Exit::Success);
    }
    if let Some(refusal) = crate::safety::ChangeGuard::default()
        .judge(plan)
        .filter(|_| !args.force)
    {
        return Err(Hinted {
            message: refusal.message,
            hint: refusal.hint,
        }
        .into());
    }
    let channel_deletes = plan
        .changes
        .iter()
        .filter(|c| matches!(c, Change::DeleteChannel { .. }))
        .count();
    if args.auto_approve && channel_deletes > 0 && !args.allow_delete {
        return Err(Hinted {
            message: format!(
                "the plan deletes {channel_deletes} channel{} with all their messages, and --allow-delete was not given",
                if channel_deletes == 1 { "" } else { "s" }
            ),
            hint: "review the deletes in the plan above; if they are meant, run again with --auto-approve --allow-delete".to_owned(),
        }
        .into());
    }
    if !args.auto_approve && !confirm(settings, &plan.guild_name, channel_deletes)? {
        writeln!(stdout, "Apply cancelled; nothing was changed.")?;
        return Ok(Exit::Failure);
    }
    drop(stdout);

    let bar = (settings.stderr_is_terminal && !settings.quiet).then(Bar::new);
    let progress: &dyn Progress = match &bar {
        Some(bar) => bar,
        None => &Silent,
    };
    let interrupt = on_ctrl_c();
    let options = crate::apply::Options {
        parallel: usize::from(args.parallel),
    };
    let report = execute(
        &session.discord,
        plan,
        assets,
        options,
        progress,
        &interrupt,
    )
    .await;
    let mut stdout = std::io::stdout().lock();
    if !settings.quiet {
        writeln!(stdout)?;
    }
    render::human::report(&report, settings.style, &mut stdout)?;
    match (report.failed, report.interrupted) {
        (Some((change, error)), _) => {
            match crate::apply::explain::form_error_hint(&change, &error, source) {
                Some(hint) => Err(Hinted {
                    message: error.to_string(),
                    hint,
                }
                .into()),
                None => Err(anyhow::Error::new(error)),
            }
        }
        (None, true) => Ok(Exit::Interrupted),
        (None, false) => Ok(Exit::Success),
    }
}

/// Ctrl-C (SIGINT) from here on stops the apply with its report instead of killing the process.
/// (Before the writes start, Ctrl-C keeps its default: nothing has been done.)
fn on_ctrl_c() -> crate::apply::Interrupt {
    let (sender, receiver) = tokio::sync::watch::channel(false);
    tokio::spawn(async move {
        if tokio::signal::ctrl_c().await.is_ok() {
            let _ = sender.send(true);
            // Keep the sender until the process ends, so the apply sees the flag.
            std::future::pending::<()>().await;
        }
    });
    crate::apply::Interrupt::from_receiver(receiver)
}

/// Asks for `yes` on the terminal, or for the number of channels to delete when the plan
/// deletes channels; refuses to guess without a terminal.
fn confirm(settings: &Settings, guild: &str, channel_deletes: usize) -> anyhow::Result<bool> {
    if !settings.stdin_is_terminal {
        return Err(Hinted {
            message: "apply needs confirmation, but standard input is not a terminal".to_owned(),
            hint: "review the plan above, then run `miyabi-guild apply --auto-approve`".to_owned(),
        }
        .into());
    }
    let style = settings.err_style;
    let expected = if channel_deletes > 0 {
        eprint!(
            "\n{} This plan DELETES {channel_deletes} channel{} of \"{guild}\" with all their messages. Type the number of channels to delete ({channel_deletes}) to apply: ",
            style.error("Confirm:"),
            if channel_deletes == 1 { "" } else { "s" }
        );
        channel_deletes.to_string()
    } else {
        eprint!(
            "\n{} Apply these changes to \"{guild}\"? Only `yes` is accepted: ",
            style.bold("Confirm:")
        );
        "yes".to_owned()
    };
    std::io::stderr().flush()?;
    let mut answer = String::new();
    std::io::stdin().lock().read_line(&mut answer)?;
    Ok(answer.trim() == expected)
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
        if let Ok(style) =
            ProgressStyle::with_template("{spinner} [{pos}/{len}]{prefix}{wait} {wide_msg}")
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
    fn start(&self, changes: usize, steps: usize) {
        self.bar.set_length(changes as u64);
        if steps != changes {
            self.bar
                .set_prefix(format!(" ({changes} changes in {steps} steps)"));
        }
    }

    fn step(&self, description: &str) {
        if let Ok(mut started) = self.step_started.lock() {
            *started = Instant::now();
        }
        self.bar.set_message(description.to_owned());
    }

    fn advance(&self, changes: usize) {
        self.bar.inc(changes as u64);
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
