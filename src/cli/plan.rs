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

    /// Also save the plan as JSON to FILE.
    #[arg(long, value_name = "FILE")]
    out: Option<PathBuf>,
}

pub async fn run(args: PlanArgs, settings: &Settings) -> anyhow::Result<Exit> {
    let loaded = load_config(settings)?;
    let session = Session::open(settings).await?;
    let plan = session.plan(&loaded, settings).await;
    session.close().await?;
    let plan = plan?;

    let mut stdout = std::io::stdout().lock();
    if args.json {
        render::json::plan(&plan, &mut stdout)?;
    } else if args.markdown {
        let access = crate::drift::access_notes(&plan.changes, plan.guild_id);
        render::markdown::plan(&plan, &access, &mut stdout)?;
    } else {
        render::human::plan(&plan, settings.style, &mut stdout)?;
    }
    stdout.flush()?;
    if let Some(path) = &args.out {
        let mut file = std::fs::File::create(path)
            .with_context(|| format!("cannot write the plan to {}", path.display()))?;
        render::json::plan(&plan, &mut file)?;
    }
    Ok(if args.detailed_exitcode && !plan.is_empty() {
        Exit::Changes
    } else {
        Exit::Success
    })
}
