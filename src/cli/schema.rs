//! `miyabi-guild schema`

use std::io::Write;

use clap::Args;

use super::Exit;

/// Print the JSON Schema of the server file (the copy committed at
/// `schemas/server.schema.json`; editors use it through the file's `#:schema` comment).
#[derive(Args, Debug)]
pub struct SchemaArgs {}

pub fn run(_args: SchemaArgs) -> anyhow::Result<Exit> {
    std::io::stdout()
        .lock()
        .write_all(crate::config::json_schema().as_bytes())?;
    Ok(Exit::Success)
}
