//! `miyabi-guild man`
//!
//! Pages are rendered section by section with clap_mangen so each carries the EXIT STATUS and
//! ENVIRONMENT sections of [`super::docs`] in place of clap_mangen's EXTRA section (which would
//! repeat the same text from `after_long_help`).

use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::Context;
use clap::Args;
use clap_mangen::Man;

use super::{Exit, docs};

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
    // clap's `help` subcommand needs no page of its own, nor a line on the main page.
    let mut command = super::command().disable_help_subcommand(true);
    command.build();
    match args.out_dir {
        None => {
            let mut page = Vec::new();
            render(&command, &mut page)?;
            std::io::stdout().lock().write_all(&page)?;
        }
        Some(dir) => {
            std::fs::create_dir_all(&dir)
                .with_context(|| format!("cannot create {}", dir.display()))?;
            write_pages(&command, &dir)
                .with_context(|| format!("cannot write the pages to {}", dir.display()))?;
        }
    }
    Ok(Exit::Success)
}

/// Writes the page of `command` and of each of its visible subcommands into `dir`.
fn write_pages(command: &clap::Command, dir: &Path) -> std::io::Result<()> {
    for subcommand in command.get_subcommands().filter(|c| !c.is_hide_set()) {
        write_pages(subcommand, dir)?;
    }
    let name = Man::new(command.clone()).get_filename();
    let mut page = Vec::new();
    render(command, &mut page)?;
    std::fs::write(dir.join(name), page)
}

/// One page: clap_mangen's sections in its order, with EXIT STATUS and ENVIRONMENT before
/// VERSION.
fn render(command: &clap::Command, out: &mut dyn Write) -> std::io::Result<()> {
    let man = Man::new(command.clone());
    man.render_title(out)?;
    man.render_name_section(out)?;
    man.render_synopsis_section(out)?;
    man.render_description_section(out)?;
    if command.get_arguments().any(|arg| !arg.is_hide_set()) {
        man.render_options_section(out)?;
    }
    if command.get_subcommands().any(|sub| !sub.is_hide_set()) {
        man.render_subcommands_section(out)?;
    }
    docs::man_sections(command.get_name()).to_writer(out)?;
    if command.get_version().is_some() || command.get_long_version().is_some() {
        man.render_version_section(out)?;
    }
    if command.get_author().is_some() {
        man.render_authors_section(out)?;
    }
    Ok(())
}
