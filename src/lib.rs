//! miyabi-guild: keep a Discord server as code.
//!
//! See `ARCHITECTURE.md` for where each concern lives and how data flows.

pub mod access;
pub mod apply;
pub mod cli;
pub mod config;
pub mod diff;
pub mod discord;
pub mod drift;
pub mod emulator;
pub mod images;
pub mod live;
pub mod model;
pub mod permissions;
pub mod plan;
pub mod render;
pub mod safety;
pub mod sandbox;
pub mod saved;
pub mod settings;
