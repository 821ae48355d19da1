//! `miyabi-guild drift`

use std::io::Write;

use clap::Args;

use super::Exit;
use super::common::{Session, load_config};
use crate::drift::{AccessNotes, Drift};
use crate::render;
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
}

pub async fn run(args: DriftArgs, settings: &Settings) -> anyhow::Result<Exit> {
    let loaded = load_config(settings)?;
    let session = Session::open(settings).await?;
    let planned = session.plan(&loaded, settings).await;
    session.close().await?;
    let (plan, live) = planned?;
    let drift = Drift::from_plan(&plan);
    // Drift is the other way round from the plan: from the file to what the guild has now.
    let file = crate::access::View::from_desired_on(&loaded.desired, &live);
    let found = crate::access::View::from_live(&live, Some(&loaded.desired));
    // The roster first: who holds the powerful roles is the first thing a report must say.
    let mut lines = crate::access::roster::drift_lines(&plan);
    lines.extend(super::common::access_between(&file, &found));
    let access = AccessNotes::from_lines(&lines);

    let mut stdout = std::io::stdout().lock();
    if args.json {
        render::drift::json(&drift, &access, &mut stdout)?;
    } else if args.markdown {
        render::markdown::drift(&drift, &access, &mut stdout)?;
    } else {
        render::drift::human(&drift, &access, settings.style, &mut stdout)?;
    }
    stdout.flush()?;
    Ok(if drift.in_sync() {
        Exit::Success
    } else {
        Exit::Changes
    })
}
