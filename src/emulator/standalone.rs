//! `miyabi-guild emulator`: the emulator as a long-running local server for testing CI.

use std::net::{Ipv4Addr, SocketAddr};
use std::path::Path;

use super::Emulator;
use super::config::EmulatorConfig;
use super::server::save_state;
use super::state::GuildState;

/// Serves the guild in `state_file` on `127.0.0.1:port` until Ctrl-C.
///
/// A missing state file is created from [`GuildState::new_empty`]`("Sandbox")`. The state is saved
/// back after every successful write. Prints the API host, guild id and token on stderr.
pub async fn run(port: u16, state_file: &Path, config: EmulatorConfig) -> std::io::Result<()> {
    let state = if state_file.exists() {
        let text = std::fs::read_to_string(state_file)?;
        GuildState::from_json(&text).map_err(|error| {
            std::io::Error::new(
                std::io::ErrorKind::InvalidData,
                format!("{}: {error}", state_file.display()),
            )
        })?
    } else {
        let state = GuildState::new_empty("Sandbox");
        save_state(&state_file.to_path_buf(), &state)?;
        state
    };
    let guild_id = state.guild_id();
    let token = state.token().to_owned();
    let config = EmulatorConfig {
        persist_to: Some(state_file.to_path_buf()),
        ..config
    };
    let addr = SocketAddr::from((Ipv4Addr::LOCALHOST, port));
    let emulator = Emulator::start_on(state, config, addr).await?;
    eprintln!(
        "Discord API emulator listening on http://{}/api/v10",
        emulator.host()
    );
    eprintln!("  guild id:   {guild_id}");
    eprintln!("  bot token:  {token}");
    eprintln!("  state file: {}", state_file.display());
    eprintln!("Press Ctrl-C to stop.");
    tokio::signal::ctrl_c().await?;
    eprintln!("Stopping the emulator.");
    emulator.shutdown().await;
    Ok(())
}
