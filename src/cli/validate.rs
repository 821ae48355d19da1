//! `miyabi-guild validate`

use clap::Args;

use super::Exit;
use super::common::load_config;
use crate::model::ChannelKind;
use crate::settings::Settings;

/// Check the server file offline: every error at once, each with file:line:col, the offending
/// snippet and a hint. Exit 0 when valid, 1 when not. Makes no network request.
#[derive(Args, Debug)]
pub struct ValidateArgs {}

pub fn run(_args: ValidateArgs, settings: &Settings) -> anyhow::Result<Exit> {
    let loaded = load_config(settings)?;
    let desired = &loaded.desired;
    let count = |wanted: fn(ChannelKind) -> bool| {
        desired.channels.iter().filter(|c| wanted(c.kind)).count()
    };
    println!(
        "{} is valid: {} roles, {} categories, {} channels.",
        loaded.source.name,
        desired.roles.len(),
        count(|kind| kind == ChannelKind::Category),
        count(|kind| kind != ChannelKind::Category),
    );
    Ok(Exit::Success)
}
