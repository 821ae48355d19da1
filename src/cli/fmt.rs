//! `miyabi-guild fmt`

use std::io::Write;

use anyhow::Context;
use clap::Args;

use super::{Exit, Hinted};
use crate::config;
use crate::settings::Settings;

/// Rewrite the server file (`--config`) in its canonical layout, keeping every comment: keys
/// in the schema's order, permission lists in Discord's order, one list item per line past 100
/// columns, aligned lists of inline tables. Sections, roles and channels keep their order.
/// `import` writes files in this layout.
#[derive(Args, Debug)]
pub struct FmtArgs {
    /// Write nothing: print the diff and exit 1 when the file is not formatted (for CI).
    #[arg(long)]
    check: bool,
}

pub fn run(args: FmtArgs, settings: &Settings) -> anyhow::Result<Exit> {
    let files = match config::layout_files(&settings.config) {
        Ok(files) => files,
        // Missing file, encoding problems, an include that names nothing: the same messages
        // as every other command.
        Err(_) => return super::common::load_config(settings).map(|_| Exit::Failure),
    };
    let mut exit = Exit::Success;
    for path in &files {
        if format_one(&args, settings, path)? != Exit::Success {
            exit = Exit::Failure;
        }
    }
    Ok(exit)
}

/// Formats one file of the layout (the main file or an included one).
fn format_one(args: &FmtArgs, settings: &Settings, path: &std::path::Path) -> anyhow::Result<Exit> {
    let source = match config::read_source(path) {
        Ok(source) => source,
        // Missing file, encoding problems: the same messages as every other command.
        Err(_) => return super::common::load_config(settings).map(|_| Exit::Failure),
    };
    let formatted = match config::format::format(&source.text) {
        Ok(formatted) => formatted,
        Err(error) => {
            // A syntax error is shown in context, as `validate` shows it.
            super::common::load_config(settings)?;
            return Err(Hinted {
                message: format!(
                    "{}:{}:{}: fmt cannot read the file: {}",
                    source.name,
                    error.line,
                    error.column,
                    error.message.trim()
                ),
                hint: "fmt reads TOML 1.0: write inline tables on one line".to_owned(),
            }
            .into());
        }
    };
    let lost = config::format::lost_comments(&source.text, &formatted);
    if let Some(comment) = lost.first() {
        return Err(Hinted {
            message: format!(
                "fmt would lose a comment of {}: `{comment}`; nothing was written",
                source.name
            ),
            hint: "move the comment above the key or list it belongs to, then run fmt again"
                .to_owned(),
        }
        .into());
    }
    if formatted == source.text {
        if !settings.quiet {
            writeln!(std::io::stdout(), "{} is formatted.", source.name)?;
        }
        return Ok(Exit::Success);
    }
    if args.check {
        let diff = similar::TextDiff::from_lines(&source.text, &formatted);
        let mut stdout = std::io::stdout().lock();
        write!(
            stdout,
            "{}",
            diff.unified_diff()
                .context_radius(2)
                .header(&source.name, &format!("{} (formatted)", source.name))
        )?;
        eprintln!(
            "error: {} is not formatted\nhint: run `miyabi-guild fmt --config {}`",
            source.name, source.name
        );
        return Ok(Exit::Failure);
    }
    // Written beside the file, then renamed over it: an interrupted fmt never leaves half a file.
    let temporary = path.with_extension("toml.fmt-tmp");
    std::fs::write(&temporary, formatted.as_bytes())
        .with_context(|| format!("cannot write {}", temporary.display()))?;
    std::fs::rename(&temporary, path)
        .with_context(|| format!("cannot replace {}", path.display()))?;
    if !settings.quiet {
        writeln!(std::io::stdout(), "Formatted {}.", source.name)?;
    }
    Ok(Exit::Success)
}
