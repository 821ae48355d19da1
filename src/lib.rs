//! miyabi-guild: keep a Discord server as code.
//!
//! See `ARCHITECTURE.md` for where each concern lives and how data flows.

pub mod config;
pub mod emulator;
pub mod model;
pub mod permissions;
