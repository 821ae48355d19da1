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
    let session_was_sandbox = session.is_sandbox();
    // With a file to write, the bot's posted messages go into files beside it.
    let scope = crate::live::Scope {
        all_messages: args.out.is_some(),
        all_threads: true,
        ..crate::live::Scope::everything()
    };
    let live = session.live(&scope).await;
    // With a file to write, the images go into files beside it too.
    let downloads = match (&live, &args.out) {
        (Ok(live), Some(_)) => crate::images::download(&session.discord, live).await,
        _ => Default::default(),
    };
    session.close().await?;
    let live = live?;
    let imported = crate::config::import::import_with_images(&live, &downloads);
    let mut text = if args.out.is_some() {
        imported.text
    } else {
        crate::config::import::render(&live)
    };
    for part in &live.community.unread {
        eprintln!(
            "{} {part}: not imported, the section is left out of the file",
            settings.err_style.warning("warning:")
        );
    }
    if !live.community.unread.is_empty() {
        let first_line = text.find('\n').map_or(0, |end| end + 1);
        let notes: String = live
            .community
            .unread
            .iter()
            .map(|part| format!("# Not imported: {part}.\n"))
            .collect();
        text.insert_str(first_line, &notes);
    }
    if session_was_sandbox {
        // After the `#:schema` line, which editors read only as the first line.
        let first_line = text.find('\n').map_or(0, |end| end + 1);
        text.insert_str(
            first_line,
            "# Imported from the built-in sandbox guild, not a real Discord server.\n",
        );
    }
    match &args.out {
        Some(path) => {
            let folder = path.parent().unwrap_or(std::path::Path::new(""));
            let written = imported
                .files
                .iter()
                .map(|(file, _)| file)
                .chain(imported.images.iter().map(|(file, _)| file));
            for file in written {
                let beside = folder.join(file);
                if beside.exists() && !args.force {
                    return Err(Hinted {
                        message: format!("{} already exists", beside.display()),
                        hint: "pass --force to overwrite it, or import into another folder"
                            .to_owned(),
                    }
                    .into());
                }
            }
            std::fs::write(path, &text)
                .with_context(|| format!("cannot write {}", path.display()))?;
            for (file, contents) in &imported.files {
                let beside = folder.join(file);
                if let Some(parent) = beside.parent() {
                    std::fs::create_dir_all(parent)
                        .with_context(|| format!("cannot create {}", parent.display()))?;
                }
                std::fs::write(&beside, contents)
                    .with_context(|| format!("cannot write {}", beside.display()))?;
            }
            for (file, bytes) in &imported.images {
                let beside = folder.join(file);
                if let Some(parent) = beside.parent() {
                    std::fs::create_dir_all(parent)
                        .with_context(|| format!("cannot create {}", parent.display()))?;
                }
                std::fs::write(&beside, bytes)
                    .with_context(|| format!("cannot write {}", beside.display()))?;
            }
            // The `#:schema` line points beside the file: put the schema there.
            let schema = path
                .parent()
                .unwrap_or(std::path::Path::new(""))
                .join(crate::config::import::SCHEMA_FILE_NAME);
            std::fs::write(&schema, crate::config::json_schema())
                .with_context(|| format!("cannot write {}", schema.display()))?;
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
        None => {
            std::io::stdout().lock().write_all(text.as_bytes())?;
            if !settings.quiet {
                eprintln!(
                    "note: the file's `#:schema ./{0}` line is for editors: write the schema beside it with `miyabi-guild schema --out {0}`",
                    crate::config::import::SCHEMA_FILE_NAME
                );
            }
        }
    }
    Ok(Exit::Success)
}
