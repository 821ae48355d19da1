//! `miyabi-guild import`

use std::io::Write;
use std::path::PathBuf;

use anyhow::Context;
use clap::Args;

use super::common::Session;
use super::{Exit, Hinted};
use crate::settings::Settings;

/// Write a server.toml for the live guild: roles, categories and channels in Discord's order,
/// permissions by name, keys derived from names. Planning the result against the same guild
/// shows no changes, so this is how an existing server comes under management. Reads only.
#[derive(Args, Debug)]
pub struct ImportArgs {
    /// Write to FILE instead of standard output.
    #[arg(long, value_name = "FILE")]
    out: Option<PathBuf>,

    /// Overwrite FILE if it exists.
    #[arg(long)]
    force: bool,
}

pub async fn run(args: ImportArgs, settings: &Settings) -> anyhow::Result<Exit> {
    if let Some(path) = args
        .out
        .as_ref()
        .filter(|path| path.exists() && !args.force)
    {
        return Err(Hinted {
            message: format!("{} already exists", path.display()),
            hint: "pass --force to overwrite it, or choose another --out".to_owned(),
        }
        .into());
    }
    let session = Session::open(settings).await?;
    let live = session.live(&crate::live::Scope::everything()).await;
    session.close().await?;
    let live = live?;
    let text = crate::config::import::render(&live);
    match &args.out {
        Some(path) => {
            std::fs::write(path, &text)
                .with_context(|| format!("cannot write {}", path.display()))?;
            if !settings.quiet {
                eprintln!(
                    "Wrote {} from \"{}\": {} roles, {} channels. `miyabi-guild plan --config {}` should now show no changes.",
                    path.display(),
                    live.name,
                    live.roles.iter().filter(|role| !role.managed).count(),
                    live.channels.len(),
                    path.display()
                );
            }
        }
        None => std::io::stdout().lock().write_all(text.as_bytes())?,
    }
    Ok(Exit::Success)
}
