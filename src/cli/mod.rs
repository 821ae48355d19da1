//! The command line: arguments, dispatch, and the one place errors become exit codes.
//!
//! Each subcommand lives in its own file: an args struct whose doc comment is the help text, and
//! one `run` that turns args into calls to the core. Shared steps (load the file, open a
//! session, plan) live in [`common`].

mod access;
mod apply;
mod common;
mod completions;
pub mod docs;
mod drift;
mod emulator;
mod environments;
mod fmt;
mod import;
mod invites;
mod man;
mod plan;
mod schema;
mod target;
mod validate;
mod webhooks;

use std::io::Write;
use std::process::ExitCode;

use clap::{CommandFactory, FromArgMatches, Parser, Subcommand};

use crate::discord::DiscordError;
use crate::render::Style;
use crate::settings::{Environment, GlobalArgs, Settings};

/// Keep a Discord server as code: server.toml → plan → apply.
///
/// Try the whole loop with no Discord at all on the built-in sandbox guild:
/// `miyabi-guild apply --sandbox`. Against a real server, set DISCORD_TOKEN; without it, only a
/// person at a terminal gets the sandbox (with a note), and CI gets an error.
#[derive(Parser, Debug)]
#[command(name = "miyabi-guild", version, propagate_version = true)]
pub struct Cli {
    #[command(flatten)]
    global: GlobalArgs,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    Validate(validate::ValidateArgs),
    Plan(plan::PlanArgs),
    Access(access::AccessArgs),
    Apply(apply::ApplyArgs),
    Drift(drift::DriftArgs),
    Import(import::ImportArgs),
    Schema(schema::SchemaArgs),
    Fmt(fmt::FmtArgs),
    Emulator(emulator::EmulatorArgs),
    Webhooks(webhooks::WebhooksArgs),
    Invites(invites::InvitesArgs),
    Completions(completions::CompletionsArgs),
    Man(man::ManArgs),
}

/// How a command ended, as an exit code.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Exit {
    /// 0: done, or no changes.
    Success,
    /// 1: an error, or an invalid file.
    Failure,
    /// 2: `plan --detailed-exitcode` found changes, or `drift` found drift.
    Changes,
    /// 130: apply interrupted by Ctrl-C (after reporting what was done and what remains).
    Interrupted,
}

impl From<Exit> for ExitCode {
    fn from(exit: Exit) -> Self {
        match exit {
            Exit::Success => ExitCode::SUCCESS,
            Exit::Failure => ExitCode::from(1),
            Exit::Changes => ExitCode::from(2),
            Exit::Interrupted => ExitCode::from(130),
        }
    }
}

/// An error already shown to the user in full (for example every validation error): only the
/// exit code is left to decide.
#[derive(Debug, thiserror::Error)]
#[error("already reported")]
pub struct Reported;

/// An error with advice.
#[derive(Debug, thiserror::Error)]
#[error("{message}")]
pub struct Hinted {
    pub message: String,
    pub hint: String,
}

/// The command line as clap knows it, with the exit-status and environment sections every
/// `--help`, man page and completion script shares ([`docs`]).
pub fn command() -> clap::Command {
    docs::document(Cli::command())
}

pub fn main() -> ExitCode {
    let cli = match parse(std::env::args_os()) {
        Ok(cli) => cli,
        Err(exit) => return exit,
    };
    // twilight-http builds rustls without a crypto provider; it panics at start-up without one.
    let _ = rustls::crypto::ring::default_provider().install_default();
    let env = Environment::read();
    let settings = match Settings::resolve(&cli.global, &env) {
        Ok(settings) => settings,
        Err(error) => return report_error(&error, Style { color: false }),
    };
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(error) => return report_error(&anyhow::Error::new(error), settings.err_style),
    };
    let result = runtime.block_on(run(cli.command, &settings));
    match result {
        Ok(exit) => exit.into(),
        Err(error) => report_error(&error, settings.err_style),
    }
}

/// Parses the arguments. `--help` and `--version` print and exit 0; a usage error prints
/// clap's message and exits 1, never 2: exit 2 means "changes" or "drift" and nothing else.
fn parse(args: impl IntoIterator<Item = std::ffi::OsString>) -> Result<Cli, ExitCode> {
    let parsed = command()
        .try_get_matches_from(args)
        .and_then(|mut matches| Cli::from_arg_matches_mut(&mut matches));
    parsed.map_err(|error| {
        let _ = error.print();
        if error.use_stderr() {
            Exit::Failure.into()
        } else {
            ExitCode::SUCCESS
        }
    })
}

async fn run(command: Command, settings: &Settings) -> anyhow::Result<Exit> {
    match command {
        Command::Validate(args) => validate::run(args, settings),
        Command::Plan(args) => plan::run(args, settings).await,
        Command::Access(args) => access::run(args, settings).await,
        Command::Apply(args) => apply::run(args, settings).await,
        Command::Drift(args) => drift::run(args, settings).await,
        Command::Import(args) => import::run(args, settings).await,
        Command::Schema(args) => schema::run(args),
        Command::Fmt(args) => fmt::run(args, settings),
        Command::Emulator(args) => emulator::run(args).await,
        Command::Webhooks(args) => webhooks::run(args, settings).await,
        Command::Invites(args) => invites::run(args, settings).await,
        Command::Completions(args) => completions::run(args),
        Command::Man(args) => man::run(args),
    }
}

/// Prints `error:`, the causes, and a `hint:`; a closed pipe is a quiet success.
fn report_error(error: &anyhow::Error, style: Style) -> ExitCode {
    if error.chain().any(|cause| {
        cause
            .downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
    }) {
        return ExitCode::SUCCESS;
    }
    if error.downcast_ref::<Reported>().is_none() {
        print_error(error, "", style);
    }
    Exit::Failure.into()
}

/// Prints `error:` (after `prefix`), the causes, and a `hint:`.
pub(crate) fn print_error(error: &anyhow::Error, prefix: &str, style: Style) {
    let mut stderr = std::io::stderr().lock();
    let _ = writeln!(stderr, "{} {prefix}{error}", style.error("error:"));
    let mut hint = None;
    for cause in error.chain() {
        if let Some(discord) = cause.downcast_ref::<DiscordError>() {
            hint = hint.or_else(|| discord.hint());
        }
        if let Some(hinted) = cause.downcast_ref::<Hinted>() {
            hint = hint.or_else(|| Some(hinted.hint.clone()));
        }
    }
    for cause in error.chain().skip(1) {
        let _ = writeln!(stderr, "  {} {cause}", style.dim("caused by:"));
    }
    if let Some(hint) = hint {
        let _ = writeln!(stderr, "{} {hint}", style.hint("hint:"));
    }
}
