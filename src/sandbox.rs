//! The sandbox: the emulator run in this process on a guild kept in a file.
//!
//! The first run starts from a hand-built guild ([`SEED`]): a realistic server where some roles
//! and channels already match the Miyabi `server.toml`, some drifted by hand, and some are not in
//! the file at all, so `plan`, `apply`, `plan` tells the whole story without a token. Every write
//! and every run saves the guild back, so the sandbox remembers what was applied; deleting the file starts over.

use std::path::{Path, PathBuf};

use anyhow::Context;

use crate::emulator::{Emulator, EmulatorConfig, GuildState};
use crate::model::GuildId;

/// The hand-built starting guild, in the emulator's state format.
pub const SEED: &str = include_str!("sandbox_seed.json");

pub struct Sandbox {
    emulator: Emulator,
    state_file: PathBuf,
}

impl Sandbox {
    pub async fn start(state_file: &Path) -> anyhow::Result<Self> {
        let state = if state_file.exists() {
            let text = std::fs::read_to_string(state_file).with_context(|| {
                format!("cannot read the sandbox state {}", state_file.display())
            })?;
            GuildState::from_json(&text).with_context(|| {
                format!("the sandbox state {} is damaged; delete it to start from a fresh sandbox guild", state_file.display())
            })?
        } else {
            GuildState::from_json(SEED)
                .context("the built-in sandbox guild does not load (a bug)")?
        };
        // Saved after every write too, so an interrupted apply (Ctrl-C) loses nothing it did.
        let config = EmulatorConfig {
            persist_to: Some(state_file.to_owned()),
            ..EmulatorConfig::default()
        };
        let emulator = Emulator::start(state, config)
            .await
            .context("cannot start the sandbox emulator on 127.0.0.1")?;
        Ok(Self {
            emulator,
            state_file: state_file.to_owned(),
        })
    }

    pub fn host(&self) -> String {
        self.emulator.host()
    }

    pub fn token(&self) -> String {
        self.emulator.state().token().to_owned()
    }

    pub fn guild_id(&self) -> GuildId {
        self.emulator.state().guild_id()
    }

    pub fn state_file(&self) -> &Path {
        &self.state_file
    }

    /// Writes the guild back to the state file and stops the emulator.
    pub async fn save_and_stop(self) -> anyhow::Result<()> {
        let state = self.emulator.state();
        if let Some(directory) = self.state_file.parent() {
            std::fs::create_dir_all(directory)
                .with_context(|| format!("cannot create {}", directory.display()))?;
        }
        std::fs::write(&self.state_file, state.to_json()).with_context(|| {
            format!(
                "cannot save the sandbox state to {}",
                self.state_file.display()
            )
        })?;
        self.emulator.shutdown().await;
        Ok(())
    }
}
