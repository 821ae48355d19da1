//! `miyabi-guild man`

use std::path::PathBuf;

use anyhow::Context;
use clap::Args;

use super::Exit;

/// Print the manual page (roff), generated from the command line's own definition.
///
/// `miyabi-guild man | man -l -` reads it; `--out-dir DIR` writes one page per command
/// (`miyabi-guild.1`, `miyabi-guild-plan.1`, ...) for packaging.
#[derive(Args, Debug)]
pub struct ManArgs {
    /// Write every page into this folder instead of printing the main page.
    #[arg(long, value_name = "DIR")]
    out_dir: Option<PathBuf>,
}

pub fn run(args: ManArgs) -> anyhow::Result<Exit> {
    let command = super::command();
    match args.out_dir {
        None => {
            clap_mangen::Man::new(command).render(&mut std::io::stdout().lock())?;
        }
        Some(dir) => {
            std::fs::create_dir_all(&dir)
                .with_context(|| format!("cannot create {}", dir.display()))?;
            clap_mangen::generate_to(command, &dir)
                .with_context(|| format!("cannot write the pages to {}", dir.display()))?;
        }
    }
    Ok(Exit::Success)
}
