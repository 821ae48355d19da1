//! `miyabi-guild emulator`

use std::path::PathBuf;

use clap::Args;

use super::Exit;
use crate::emulator::{EmulatorConfig, RateLimits, standalone};

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

    /// Rate limits: `uniform` (50 requests per second in every bucket, headers on every answer)
    /// or `discord` (Discord's known per-route limits, the global 50 per second, headers exactly
    /// as Discord sends them).
    #[arg(long, value_enum, default_value_t = ProfileArg::Uniform)]
    profile: ProfileArg,

    /// Wait this long before answering each request, like a network round trip to Discord.
    #[arg(long, value_name = "MS", default_value_t = 0)]
    latency_ms: u64,

    /// Act as a bot without the Server Members Intent: listing members answers 403 Missing
    /// Access, as Discord does (what a file with a staff roster then reports).
    #[arg(long)]
    no_members_intent: bool,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
enum ProfileArg {
    Uniform,
    Discord,
}

pub async fn run(args: EmulatorArgs) -> anyhow::Result<Exit> {
    if let Some(directory) = args.state.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(directory)?;
    }
    let config = EmulatorConfig {
        rate_limits: match args.profile {
            ProfileArg::Uniform => RateLimits::default(),
            ProfileArg::Discord => RateLimits::discord(),
        },
        latency: std::time::Duration::from_millis(args.latency_ms),
        members_intent: !args.no_members_intent,
        ..EmulatorConfig::default()
    };
    standalone::run(args.port, &args.state, config).await?;
    Ok(Exit::Success)
}
