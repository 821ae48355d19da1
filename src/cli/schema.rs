//! `miyabi-guild schema`

use std::io::Write;
use std::path::PathBuf;

use anyhow::Context;
use clap::Args;

use super::Exit;

/// Print the JSON Schema of the server file (the copy committed at
/// `schemas/server.schema.json`; editors use it through the file's `#:schema` comment).
#[derive(Args, Debug)]
pub struct SchemaArgs {
    /// Write the schema to FILE instead of standard output (for example `server.schema.json`
    /// beside a server file whose first line is `#:schema ./server.schema.json`).
    #[arg(long, value_name = "FILE")]
    out: Option<PathBuf>,
}

pub fn run(args: SchemaArgs) -> anyhow::Result<Exit> {
    let schema = crate::config::json_schema();
    match &args.out {
        Some(path) => std::fs::write(path, schema.as_bytes())
            .with_context(|| format!("cannot write the schema to {}", path.display()))?,
        None => std::io::stdout().lock().write_all(schema.as_bytes())?,
    }
    Ok(Exit::Success)
}
