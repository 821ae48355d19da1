//! `miyabi-guild drift`

use std::io::Write;

use clap::Args;

use super::Exit;
use super::common::{Session, load_config};
use crate::drift::{Drift, access_notes, as_found};
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
    let plan = session.plan(&loaded, settings).await;
    session.close().await?;
    let drift = Drift::from_plan(&plan?);
    let found: Vec<_> = drift
        .of_kind(crate::drift::DriftKind::Changed)
        .map(|item| as_found(&item.fix))
        .collect();
    let access = access_notes(&found, drift.guild_id);

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
