//! `miyabi-guild import`

use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::Context;
use clap::Args;

use super::common::Session;
use super::{Exit, Hinted};
use crate::settings::Settings;

/// Write a server.toml for the live guild: roles, categories and channels in Discord's order,
/// permissions by name, keys derived from names. Planning the result against the same guild
/// shows no changes, so this is how an existing server comes under management. `--split DIR`
/// writes the same as a layout of files joined by `include`. Reads only.
#[derive(Args, Debug)]
pub struct ImportArgs {
    /// Write to FILE instead of standard output.
    #[arg(long, value_name = "FILE", conflicts_with = "split")]
    out: Option<PathBuf>,

    /// Write a layout of files into DIR instead: DIR/server.toml with `include = [...]` and
    /// [guild], [everyone], [prune]; roles.toml; channels/NN-<category>.toml, one per category
    /// in Discord's order (channels/00-uncategorised.toml for channels outside any);
    /// community.toml; expressions.toml; access.toml. Files that would be empty are left out.
    /// Messages, images and the schema go under DIR as `--out DIR/server.toml` writes them.
    /// DIR must be empty or missing.
    #[arg(long, value_name = "DIR")]
    split: Option<PathBuf>,

    /// Overwrite FILE if it exists; with --split, write into DIR even if it is not empty.
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
    if let Some(dir) = &args.split {
        refuse_split_into(dir, args.force)?;
    }
    // Writing files (not standard output): messages and images go into files beside the file.
    let to_files = args.out.is_some() || args.split.is_some();
    // `--env NAME` imports that environment's guild, with its token: the server file names it.
    let session = match &settings.environment {
        Some(_) => {
            let loaded = super::common::load_config(settings)?;
            Session::open_for(settings, &loaded).await?
        }
        None => Session::open(settings).await?,
    };
    let session_was_sandbox = session.is_sandbox();
    // With a file to write, the bot's posted messages go into files beside it.
    let scope = crate::live::Scope {
        all_messages: to_files,
        all_threads: true,
        ..crate::live::Scope::everything()
    };
    let live = session.live(&scope).await;
    // With a file to write, the images go into files beside it too.
    let downloads = match &live {
        Ok(live) if to_files => crate::images::download(&session.discord, live).await,
        _ => Default::default(),
    };
    session.close().await?;
    let live = live?;
    let imported = crate::config::import::import_with_images(&live, &downloads);
    let mut text = if to_files {
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
    if let Some(dir) = &args.split {
        let parts = crate::config::import::split::split(&text)
            .context("cannot split the imported file into a layout")?;
        write_split(dir, &parts, &imported.files, &imported.images, args.force)?;
        if !settings.quiet {
            let main = dir.join(crate::config::import::split::MAIN);
            let mut note = format!(
                "Wrote {} from \"{}\": {} roles, {} channels, in {} files:\n",
                dir.display(),
                live.name,
                live.roles.iter().filter(|role| !role.managed).count(),
                live.channels.len(),
                parts.len()
            );
            for (file, _) in &parts {
                note.push_str(&format!("  {}\n", dir.join(file).display()));
            }
            if !imported.files.is_empty() {
                note.push_str(&format!(
                    "  {} message files under {}\n",
                    imported.files.len(),
                    dir.join("messages").display()
                ));
            }
            if !imported.images.is_empty() {
                note.push_str(&format!(
                    "  {} images under {}\n",
                    imported.images.len(),
                    dir.join("images").display()
                ));
            }
            note.push_str(&format!(
                "  {}\n`miyabi-guild plan --config {}` should now show no changes.",
                dir.join(crate::config::import::SCHEMA_FILE_NAME).display(),
                main.display()
            ));
            eprintln!("{note}");
        }
        return Ok(Exit::Success);
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

/// `import --split DIR` writes only into an empty or missing folder, unless `--force`.
fn refuse_split_into(dir: &Path, force: bool) -> anyhow::Result<()> {
    if dir.exists() && !dir.is_dir() {
        return Err(Hinted {
            message: format!("{} exists and is not a folder", dir.display()),
            hint: "--split names a folder to write the layout into; choose another".to_owned(),
        }
        .into());
    }
    let not_empty = std::fs::read_dir(dir).is_ok_and(|mut entries| entries.next().is_some());
    if not_empty && !force {
        return Err(Hinted {
            message: format!("{} is not empty", dir.display()),
            hint: "pass --force to write into it, or choose another --split folder".to_owned(),
        }
        .into());
    }
    Ok(())
}

/// Writes the layout `parts`, the imported messages and images and the schema under `dir`.
/// With `--force` into a folder that has one, the channel files the new layout does not write
/// are removed: `channels/*.toml` would include them.
fn write_split(
    dir: &Path,
    parts: &[(String, String)],
    messages: &[(String, String)],
    images: &[(String, Vec<u8>)],
    force: bool,
) -> anyhow::Result<()> {
    std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    if force {
        let channels = dir.join("channels");
        if let Ok(entries) = std::fs::read_dir(&channels) {
            for entry in entries.flatten() {
                let path = entry.path();
                let name = entry.file_name().to_string_lossy().into_owned();
                let written = parts
                    .iter()
                    .any(|(file, _)| file.strip_prefix("channels/") == Some(name.as_str()));
                if path.extension().is_some_and(|ext| ext == "toml") && path.is_file() && !written {
                    std::fs::remove_file(&path)
                        .with_context(|| format!("cannot remove {}", path.display()))?;
                    eprintln!(
                        "Removed {}: `channels/*.toml` would include it.",
                        path.display()
                    );
                }
            }
        }
    }
    let texts = parts
        .iter()
        .chain(messages)
        .map(|(file, text)| (file, text.as_bytes()));
    let images = images.iter().map(|(file, bytes)| (file, bytes.as_slice()));
    for (file, bytes) in texts.chain(images) {
        let path = dir.join(file);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)
                .with_context(|| format!("cannot create {}", parent.display()))?;
        }
        std::fs::write(&path, bytes).with_context(|| format!("cannot write {}", path.display()))?;
    }
    let schema = dir.join(crate::config::import::SCHEMA_FILE_NAME);
    std::fs::write(&schema, crate::config::json_schema())
        .with_context(|| format!("cannot write {}", schema.display()))?;
    Ok(())
}
