//! `miyabi-guild plan`

use std::io::Write;
use std::path::PathBuf;

use anyhow::Context;
use clap::Args;

use super::Exit;
use super::common::{Session, load_config};
use crate::render;
use crate::settings::Settings;

/// Fetch the live guild, compare it with the server file, and print what apply would change.
/// Reads only.
#[derive(Args, Debug)]
pub struct PlanArgs {
    /// Exit 2 when there are changes, 0 when there are none (1 is always an error).
    #[arg(long)]
    detailed_exitcode: bool,

    /// Print the plan as JSON on stdout instead of text.
    #[arg(long, conflicts_with = "markdown")]
    json: bool,

    /// Print the plan as GitHub Markdown for a pull-request comment (starts with the marker
    /// `<!-- miyabi-guild:plan -->`, so a workflow can update its own comment).
    #[arg(long)]
    markdown: bool,

    /// Also save the plan to FILE, for `miyabi-guild apply FILE` to carry out exactly (it refuses
    /// when the guild changed in the meantime).
    #[arg(long, value_name = "FILE")]
    out: Option<PathBuf>,

    #[command(flatten)]
    target: super::target::TargetArgs,
}

pub async fn run(args: PlanArgs, settings: &Settings) -> anyhow::Result<Exit> {
    let loaded = load_config(settings)?;
    let session = Session::open(settings).await?;
    let planned = match session.plan(&loaded, settings).await {
        Ok((mut plan, live)) => match args.target.narrow(&mut plan, &loaded, &live) {
            Ok(()) => session
                .absent_members(&plan)
                .await
                .map(|absent| (plan, live, absent)),
            Err(error) => Err(error),
        },
        Err(error) => Err(error),
    };
    session.close().await?;
    let (plan, live, absent) = planned?;
    super::common::report_plan_checks(&plan, &live, &loaded, absent, settings)?;

    if let Some(refusal) = crate::safety::ChangeGuard::default().judge(&plan) {
        eprintln!(
            "{} {}; apply will refuse it without --force",
            settings.err_style.warning("warning:"),
            refusal.message
        );
    }
    let mut stdout = std::io::stdout().lock();
    let document = saved_plan(&plan, &loaded, &live);
    if args.json {
        render::json::plan(&document, &mut stdout)?;
    } else if args.markdown {
        let access = crate::drift::AccessNotes::from_lines(&plan.access);
        render::markdown::plan(&plan, &access, Some(&document.checksum), &mut stdout)?;
    } else if settings.quiet {
        render::human::summary(&plan, settings.style, &mut stdout)?;
    } else {
        render::human::plan(&plan, settings.style, &mut stdout)?;
    }
    stdout.flush()?;
    if let Some(path) = &args.out {
        let mut file = std::fs::File::create(path)
            .with_context(|| format!("cannot write the plan to {}", path.display()))?;
        render::json::plan(&document, &mut file)?;
    }
    Ok(if args.detailed_exitcode && !plan.is_empty() {
        Exit::Changes
    } else {
        Exit::Success
    })
}

/// The plan as `plan --out` saves it: with the fingerprints and the checksum that `apply PLAN`
/// and `apply --expect-checksum` verify.
pub(super) fn saved_plan(
    plan: &crate::plan::Plan,
    loaded: &crate::config::Loaded,
    live: &crate::model::LiveGuild,
) -> crate::saved::SavedPlan {
    let scope = crate::live::Scope::of(&loaded.desired);
    let assets = crate::apply::Assets::of(&loaded.desired);
    crate::saved::SavedPlan::new(plan.clone(), scope, &assets, live)
}
