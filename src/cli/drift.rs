//! `miyabi-guild drift`

use std::io::Write;

use clap::Args;

use super::Exit;
use super::common::{Session, load_for_guild};
use crate::config::Loaded;
use crate::drift::{AccessNotes, Drift};
use crate::render;
use crate::render::markdown::Scope;
use crate::settings::Settings;

/// Report every difference between the server file and the live guild, for schedules: what was
/// changed by hand, what is missing, and what was added outside the file (when the file prunes
/// that collection; otherwise it is listed apart, not as drift). Reads only.
///
/// Exit 0 in sync, 2 on drift, 1 on an error.
#[derive(Args, Debug)]
pub struct DriftArgs {
    /// Print the report as JSON on stdout (format documented in the README).
    #[arg(long, conflicts_with = "markdown")]
    json: bool,

    /// Print the report as GitHub Markdown, for an issue body or $GITHUB_STEP_SUMMARY.
    #[arg(long)]
    markdown: bool,

    /// Check every environment the file declares, in one run: one section per environment,
    /// and the exit code of the worst (1 for an error, else 2 for drift).
    #[arg(long)]
    all_envs: bool,
}

/// What drift found in one guild.
struct Found {
    drift: Drift,
    access: AccessNotes,
}

pub async fn run(args: DriftArgs, settings: &Settings) -> anyhow::Result<Exit> {
    if args.all_envs {
        return all(args, settings).await;
    }
    let loaded = load_for_guild(settings)?;
    let session = Session::open_for(settings, &loaded).await?;
    let found = check(&session, &loaded, settings).await;
    session.close().await?;
    let found = found?;
    let scope = match &loaded.environment {
        Some(environment) => Scope::Environment(&environment.name),
        None => Scope::Single,
    };
    let mut stdout = std::io::stdout().lock();
    if let (Some(environment), false, false) = (&loaded.environment, args.json, args.markdown) {
        super::environments::heading(&environment.name, settings, &mut stdout)?;
    }
    print(&args, settings, &found, scope, &mut stdout)?;
    stdout.flush()?;
    Ok(exit(&found))
}

fn exit(found: &Found) -> Exit {
    if found.drift.in_sync() {
        Exit::Success
    } else {
        Exit::Changes
    }
}

async fn check(session: &Session, loaded: &Loaded, settings: &Settings) -> anyhow::Result<Found> {
    let (plan, live) = session.plan(loaded, settings).await?;
    let drift = Drift::from_plan(&plan);
    // Drift is the other way round from the plan: from the file to what the guild has now.
    let file = crate::access::View::from_desired_on(&loaded.desired, &live);
    let found = crate::access::View::from_live(&live, Some(&loaded.desired));
    // The roster first: who holds the powerful roles is the first thing a report must say.
    let mut lines = crate::access::roster::drift_lines(&plan);
    lines.extend(super::common::access_between(&file, &found));
    let access = AccessNotes::from_lines(&lines);
    Ok(Found { drift, access })
}

fn print(
    args: &DriftArgs,
    settings: &Settings,
    found: &Found,
    scope: Scope<'_>,
    out: &mut dyn Write,
) -> anyhow::Result<()> {
    if args.json {
        render::drift::json(&found.drift, &found.access, out)?;
    } else if args.markdown {
        render::markdown::drift(&found.drift, &found.access, scope, out)?;
    } else {
        render::drift::human(&found.drift, &found.access, settings.style, out)?;
    }
    Ok(())
}

/// `drift --all-envs`: every environment checked at the same time, printed in file order.
async fn all(args: DriftArgs, settings: &Settings) -> anyhow::Result<Exit> {
    let runs = super::environments::open_all(settings).await?;
    let results =
        super::environments::run_each(runs, settings, |loaded, settings, session| async move {
            check(&session, &loaded, &settings).await
        })
        .await?;
    let printer = super::environments::Printer {
        marker: render::markdown::DRIFT_MARKER,
        key: "drift",
        print: &|found: &Found, scope, out| print(&args, settings, found, scope, out),
        json: &|found: &Found| {
            let mut report = Vec::new();
            render::drift::json(&found.drift, &found.access, &mut report)?;
            Ok(serde_json::from_slice(&report)?)
        },
        exit: &exit,
    };
    let output = super::environments::Output::of(args.json, args.markdown);
    super::environments::print_each(&results, output, settings, &printer)
}
