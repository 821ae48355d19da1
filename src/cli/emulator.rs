//! `miyabi-guild emulator`

use std::path::PathBuf;

use clap::Args;

use super::Exit;
use crate::emulator::{EmulatorConfig, standalone};

/// Run the Discord API emulator on 127.0.0.1, for testing CI or scripts without Discord.
///
/// Point the tool at it with `--api-url http://127.0.0.1:PORT` and the token it prints in
/// DISCORD_TOKEN. The guild is saved to the state file after every change. Stop with Ctrl-C.
#[derive(Args, Debug)]
pub struct EmulatorArgs {
    /// The port to listen on (0 picks a free one).
    #[arg(long, default_value_t = 3210)]
    port: u16,

    /// The guild file: loaded if it exists, created from an empty guild otherwise.
    #[arg(
        long,
        value_name = "FILE",
        default_value = ".miyabi-guild/emulator.json"
    )]
    state: PathBuf,
}

pub async fn run(args: EmulatorArgs) -> anyhow::Result<Exit> {
    if let Some(directory) = args.state.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(directory)?;
    }
    standalone::run(args.port, &args.state, EmulatorConfig::default()).await?;
    Ok(Exit::Success)
}
