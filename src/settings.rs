//! Flags and environment, resolved once into [`Settings`]; nothing downstream reads either again.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};

use anyhow::{Context, bail};
use clap::Args;

use crate::discord::ApiTarget;
use crate::model::GuildId;
use crate::render::Style;

/// Options every subcommand takes.
#[derive(Args, Debug, Clone)]
pub struct GlobalArgs {
    /// The server file.
    #[arg(
        long,
        global = true,
        value_name = "PATH",
        default_value = "server.toml"
    )]
    pub config: PathBuf,

    /// The guild (server) id. Optional when the bot is in exactly one server.
    #[arg(long, global = true, value_name = "ID", env = "MIYABI_GUILD_ID")]
    pub guild: Option<u64>,

    /// Read the bot token from this file instead of DISCORD_TOKEN. (The token is never taken on
    /// the command line: it would show in `ps` and CI logs.)
    #[arg(long, global = true, value_name = "FILE")]
    pub token_file: Option<PathBuf>,

    /// Work on the built-in sandbox guild (an emulator in this process; no token, no Discord).
    /// State lives in `.miyabi-guild/sandbox.json` beside the server file.
    #[arg(long, global = true)]
    pub sandbox: bool,

    /// Send API requests here instead of https://discord.com (a standalone emulator, a proxy).
    #[arg(long, global = true, value_name = "URL", env = "MIYABI_API_URL")]
    pub api_url: Option<String>,

    /// No colours (also when NO_COLOR is set, or when output is not a terminal).
    #[arg(long, global = true)]
    pub no_color: bool,

    /// Print only errors and the command's result.
    #[arg(long, short, global = true)]
    pub quiet: bool,
}

/// A bot token. Its `Debug` never shows it.
#[derive(Clone)]
pub struct Token(String);

impl Token {
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for Token {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Token(<redacted>)")
    }
}

/// Where the guild is.
#[derive(Debug, Clone)]
pub enum Connection {
    /// The in-process emulator. `notice` says why when the user did not ask for it.
    Sandbox {
        state_file: PathBuf,
        notice: Option<String>,
    },
    Api {
        target: ApiTarget,
        token: Token,
        guild: Option<GuildId>,
    },
}

#[derive(Debug, Clone)]
pub struct Settings {
    pub config: PathBuf,
    /// Where the guild is; an error only commands that connect report (`validate` and `schema`
    /// work without a token or a reachable API).
    pub connection: Result<Connection, String>,
    /// For stdout.
    pub style: Style,
    /// For stderr.
    pub err_style: Style,
    pub quiet: bool,
    pub stdin_is_terminal: bool,
    pub stderr_is_terminal: bool,
    /// Running in GitHub Actions (`GITHUB_ACTIONS=true`): diagnostics are also printed as
    /// workflow annotations.
    pub github_actions: bool,
}

/// The environment variables the tool reads, read once.
#[derive(Debug, Default, Clone)]
pub struct Environment {
    pub discord_token: Option<String>,
    pub no_color: bool,
    /// `GITHUB_ACTIONS=true`.
    pub github_actions: bool,
}

impl Environment {
    pub fn read() -> Self {
        Self {
            discord_token: std::env::var("DISCORD_TOKEN")
                .ok()
                .filter(|token| !token.trim().is_empty()),
            no_color: std::env::var_os("NO_COLOR").is_some_and(|value| !value.is_empty()),
            github_actions: std::env::var("GITHUB_ACTIONS").is_ok_and(|value| value == "true"),
        }
    }
}

impl Settings {
    pub fn resolve(args: &GlobalArgs, env: &Environment) -> anyhow::Result<Self> {
        let colors_allowed = !args.no_color && !env.no_color;
        let stdout_is_terminal = std::io::stdout().is_terminal();
        let stderr_is_terminal = std::io::stderr().is_terminal();
        Ok(Self {
            config: args.config.clone(),
            connection: resolve_connection(args, env).map_err(|error| format!("{error:#}")),
            style: Style {
                color: colors_allowed && stdout_is_terminal,
            },
            err_style: Style {
                color: colors_allowed && stderr_is_terminal,
            },
            quiet: args.quiet,
            stdin_is_terminal: std::io::stdin().is_terminal(),
            stderr_is_terminal,
            github_actions: env.github_actions,
        })
    }
}

/// `.miyabi-guild/sandbox.json` in the directory of the server file.
pub fn sandbox_state_file(config: &Path) -> PathBuf {
    let directory = config
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    directory.join(".miyabi-guild").join("sandbox.json")
}

fn resolve_connection(args: &GlobalArgs, env: &Environment) -> anyhow::Result<Connection> {
    let guild = match args.guild {
        Some(0) => bail!("--guild / MIYABI_GUILD_ID must be a guild id (a number above 0)"),
        Some(id) => Some(GuildId::new(id)),
        None => None,
    };
    let state_file = sandbox_state_file(&args.config);
    if args.sandbox {
        if args.api_url.is_some() {
            bail!(
                "--sandbox and --api-url / MIYABI_API_URL exclude each other: the sandbox is its own API"
            );
        }
        return Ok(Connection::Sandbox {
            state_file,
            notice: None,
        });
    }
    let token = match &args.token_file {
        Some(path) => {
            let text = std::fs::read_to_string(path)
                .with_context(|| format!("cannot read the token file {}", path.display()))?;
            let token = text.trim().to_owned();
            if token.is_empty() {
                bail!("the token file {} is empty", path.display());
            }
            Some(token)
        }
        None => env
            .discord_token
            .as_ref()
            .map(|token| token.trim().to_owned()),
    };
    let target = match &args.api_url {
        Some(url) => ApiTarget::parse(url).map_err(|e| anyhow::anyhow!("--api-url: {e}"))?,
        None => ApiTarget::Discord,
    };
    match token {
        Some(token) => Ok(Connection::Api { target, token: Token(token), guild }),
        None if args.api_url.is_some() => {
            bail!("{} needs a bot token: set DISCORD_TOKEN or pass --token-file (a standalone emulator prints its token)", target.describe())
        }
        None => Ok(Connection::Sandbox {
            state_file,
            notice: Some("no DISCORD_TOKEN set: using the built-in sandbox guild (pass --sandbox to say so, or set DISCORD_TOKEN for a real server)".to_owned()),
        }),
    }
}
