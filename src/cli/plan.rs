//! `miyabi-guild plan`

use std::io::Write;
use std::path::PathBuf;

use anyhow::Context;
use clap::Args;

use super::Exit;
use super::common::{Session, load_for_guild};
use crate::config::Loaded;
use crate::render;
use crate::render::markdown::Scope;
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
    #[arg(long, value_name = "FILE", conflicts_with = "all_envs")]
    out: Option<PathBuf>,

    /// Plan every environment the file declares, in one run (their guilds read at the same
    /// time, one rate limiter per bot): one section per environment, and the exit code of the
    /// worst (1 for an error, else 2 for changes with --detailed-exitcode).
    #[arg(long)]
    all_envs: bool,

    #[command(flatten)]
    target: super::target::TargetArgs,
}

/// A plan made, with what it was made from.
pub(super) struct Planned {
    pub plan: crate::plan::Plan,
    pub document: crate::saved::SavedPlan,
}

pub async fn run(args: PlanArgs, settings: &Settings) -> anyhow::Result<Exit> {
    if args.all_envs {
        return all(args, settings).await;
    }
    let loaded = load_for_guild(settings)?;
    let session = Session::open_for(settings, &loaded).await?;
    let planned = plan_with(&args.target, &session, &loaded, settings).await;
    session.close().await?;
    let planned = planned?;
    let mut stdout = std::io::stdout().lock();
    let scope = match &loaded.environment {
        Some(environment) => Scope::Environment(&environment.name),
        None => Scope::Single,
    };
    if let (Some(environment), false, false) = (&loaded.environment, args.json, args.markdown) {
        super::environments::heading(&environment.name, settings, &mut stdout)?;
    }
    print(&args, settings, &planned, scope, &mut stdout)?;
    stdout.flush()?;
    if let Some(path) = &args.out {
        let mut file = std::fs::File::create(path)
            .with_context(|| format!("cannot write the plan to {}", path.display()))?;
        render::json::plan(&planned.document, &mut file)?;
    }
    Ok(exit(&args, &planned))
}

fn exit(args: &PlanArgs, planned: &Planned) -> Exit {
    if args.detailed_exitcode && !planned.plan.is_empty() {
        Exit::Changes
    } else {
        Exit::Success
    }
}

/// Reads the guild, diffs, narrows to the targets, and runs every check that refuses a plan.
async fn plan_with(
    target: &super::target::TargetArgs,
    session: &Session,
    loaded: &Loaded,
    settings: &Settings,
) -> anyhow::Result<Planned> {
    let (mut plan, live) = session.plan(loaded, settings).await?;
    target.narrow(&mut plan, loaded, &live)?;
    let absent = session.absent_members(&plan).await?;
    super::common::report_plan_checks(&plan, &live, loaded, absent, settings)?;
    if let Some(refusal) = crate::safety::ChangeGuard::default().judge(&plan) {
        let environment = loaded
            .environment
            .as_ref()
            .map(|environment| format!("environment `{}`: ", environment.name))
            .unwrap_or_default();
        eprintln!(
            "{} {environment}{}; apply will refuse it without --force",
            settings.err_style.warning("warning:"),
            refusal.message
        );
    }
    let document = saved_plan(&plan, loaded, &live);
    Ok(Planned { plan, document })
}

fn print(
    args: &PlanArgs,
    settings: &Settings,
    planned: &Planned,
    scope: Scope<'_>,
    out: &mut dyn Write,
) -> anyhow::Result<()> {
    let plan = &planned.plan;
    if args.json {
        render::json::plan(&planned.document, out)?;
    } else if args.markdown {
        let access = crate::drift::AccessNotes::from_lines(&plan.access);
        render::markdown::plan(plan, &access, Some(&planned.document.checksum), scope, out)?;
    } else if settings.quiet {
        render::human::summary(plan, settings.style, out)?;
    } else {
        render::human::plan(plan, settings.style, out)?;
    }
    Ok(())
}

/// `plan --all-envs`: every environment planned at the same time, printed in file order.
async fn all(args: PlanArgs, settings: &Settings) -> anyhow::Result<Exit> {
    let runs = super::environments::open_all(settings).await?;
    let targets = args.target.targets.clone();
    let results = super::environments::run_each(runs, settings, |loaded, settings, session| {
        let target = super::target::TargetArgs {
            targets: targets.clone(),
        };
        async move { plan_with(&target, &session, &loaded, &settings).await }
    })
    .await?;
    let printer = super::environments::Printer {
        marker: render::markdown::PLAN_MARKER,
        key: "plan",
        print: &|planned: &Planned, scope, out| print(&args, settings, planned, scope, out),
        json: &|planned: &Planned| Ok(serde_json::to_value(&planned.document)?),
        exit: &|planned: &Planned| exit(&args, planned),
    };
    let output = super::environments::Output::of(args.json, args.markdown);
    super::environments::print_each(&results, output, settings, &printer)
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
