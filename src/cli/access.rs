//! `miyabi-guild access`

use std::io::Write;

use clap::{ArgGroup, Args};

use super::Exit;
use super::common::{Session, load_config};
use crate::access::{self, View, render};
use crate::settings::Settings;

/// Show who can view, post and manage each channel: Discord's permission algorithm evaluated for
/// @everyone and for a member holding each role. Reads only.
///
/// By default the server file is evaluated offline (no token, no guild). `--live` reads the
/// guild instead; `--compare` shows both, marks the cells that differ and lists what applying
/// the file would change, marking with `!` what widens access.
#[derive(Args, Debug)]
#[command(group(ArgGroup::new("source").args(["desired", "live", "compare"])))]
#[command(group(ArgGroup::new("format").args(["json", "markdown"])))]
pub struct AccessArgs {
    /// Evaluate the server file (the default). When the file does not manage @everyone's
    /// permissions, Discord's defaults for a new server are assumed.
    #[arg(long)]
    desired: bool,

    /// Evaluate the live guild.
    #[arg(long)]
    live: bool,

    /// Show the live guild and the file side by side.
    #[arg(long)]
    compare: bool,

    /// Print JSON on stdout instead of text.
    #[arg(long)]
    json: bool,

    /// Print a Markdown table on stdout instead of text.
    #[arg(long)]
    markdown: bool,
}

pub async fn run(args: AccessArgs, settings: &Settings) -> anyhow::Result<Exit> {
    let loaded = load_config(settings)?;
    let source = loaded.source.name.as_str();
    let mut stdout = std::io::stdout().lock();

    if !args.live && !args.compare {
        let view = View::from_desired(&loaded.desired, access::default_everyone_permissions());
        let matrix = view.matrix();
        if args.json {
            render::json(&matrix, "desired", false, &mut stdout)?;
        } else if args.markdown {
            render::markdown(&matrix, source, &mut stdout)?;
        } else {
            render::human(&matrix, source, settings.style, &mut stdout)?;
        }
        stdout.flush()?;
        return Ok(Exit::Success);
    }

    super::common::require_environment(&loaded)?;
    let session = Session::open_for(settings, &loaded).await?;
    let sandbox = session.is_sandbox();
    let live_label = if sandbox {
        "the live guild (sandbox)"
    } else {
        "the live guild"
    };
    let scope = crate::live::Scope::of(&loaded.desired);
    let live = session.live(&scope).await;
    session.close().await?;
    let live = live?;
    let live_view = View::from_live(&live, Some(&loaded.desired));

    if args.live {
        let matrix = live_view.matrix();
        if args.json {
            render::json(&matrix, "live", sandbox, &mut stdout)?;
        } else if args.markdown {
            render::markdown(&matrix, live_label, &mut stdout)?;
        } else {
            render::human(&matrix, live_label, settings.style, &mut stdout)?;
        }
    } else {
        // What the file would make of this guild: unmanaged @everyone permissions stay as they are.
        let desired_view = View::from_desired_on(&loaded.desired, &live);
        let comparison = access::compare(&live_view, &desired_view);
        if args.json {
            render::json_comparison(&comparison, "desired", sandbox, &mut stdout)?;
        } else if args.markdown {
            render::markdown_comparison(&comparison, source, &mut stdout)?;
        } else {
            render::human_comparison(&comparison, source, settings.style, &mut stdout)?;
        }
    }
    stdout.flush()?;
    Ok(Exit::Success)
}
