//! Flags and environment, resolved once into [`Settings`]; nothing downstream reads either again.

use std::io::IsTerminal as _;
use std::path::{Path, PathBuf};

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

    /// The guild (server) id. Optional when the bot is in exactly one server, or when the
    /// environment (`--env`) names its guild.
    #[arg(long, global = true, value_name = "ID", env = "MIYABI_GUILD_ID")]
    pub guild: Option<u64>,

    /// The environment of the server file to work on (`[environments.NAME]`): its guild, its
    /// overrides, and its token `DISCORD_TOKEN_NAME` (else DISCORD_TOKEN). Required when the
    /// file declares environments.
    #[arg(long = "env", global = true, value_name = "NAME", env = "MIYABI_ENV")]
    pub environment: Option<String>,

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

    /// No colours (the same as `--color never`; also when NO_COLOR is set).
    #[arg(long, global = true)]
    pub no_color: bool,

    /// When to colour output: `auto` (on a terminal, unless NO_COLOR is set or TERM=dumb;
    /// CLICOLOR_FORCE=1 forces it), `always` (for CI logs), `never`.
    #[arg(long, global = true, value_name = "WHEN", default_value = "auto")]
    pub color: ColorChoice,

    /// Print only errors and the command's result.
    #[arg(long, short, global = true)]
    pub quiet: bool,
}

/// `--color`.
#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
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

/// Why there is no connection: an error only commands that connect report.
#[derive(Debug, Clone)]
pub struct Unconnected {
    pub message: String,
    pub hint: Option<String>,
}

#[derive(Debug, Clone)]
pub struct Settings {
    pub config: PathBuf,
    /// `--env` / `MIYABI_ENV`.
    pub environment: Option<String>,
    /// Where the guild is; an error only commands that connect report (`validate` and `schema`
    /// work without a token or a reachable API).
    pub connection: Result<Connection, Unconnected>,
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
    /// What the connection of an environment is resolved from.
    args: GlobalArgs,
    env: Environment,
}

/// The environment variables the tool reads, read once.
#[derive(Debug, Default, Clone)]
pub struct Environment {
    pub discord_token: Option<String>,
    /// `DISCORD_TOKEN_<NAME>` variables (environments' tokens) by name, blank ones left out.
    pub environment_tokens: std::collections::BTreeMap<String, String>,
    /// `DISCORD_TOKEN` is set but holds only blanks (a secret that resolved to nothing).
    pub discord_token_blank: bool,
    pub no_color: bool,
    /// `CLICOLOR_FORCE` set to anything but `0`.
    pub clicolor_force: bool,
    /// `TERM=dumb`: a terminal that shows escape codes as text.
    pub term_dumb: bool,
    /// `CI` set to anything but empty, `false` or `0` (GitHub Actions, GitLab, Buildkite... set
    /// it): never fall back to the sandbox.
    pub ci: bool,
    /// `GITHUB_ACTIONS=true`.
    pub github_actions: bool,
    /// Standard input and standard error are both terminals: a person is there.
    pub interactive: bool,
    pub stdout_is_terminal: bool,
    pub stderr_is_terminal: bool,
    pub stdin_is_terminal: bool,
}

impl Environment {
    pub fn read() -> Self {
        let token = std::env::var("DISCORD_TOKEN").ok();
        let set = |name: &str| std::env::var_os(name).is_some_and(|value| !value.is_empty());
        let stdin_is_terminal = std::io::stdin().is_terminal();
        let stderr_is_terminal = std::io::stderr().is_terminal();
        let environment_tokens = std::env::vars_os()
            .filter_map(|(name, value)| Some((name.into_string().ok()?, value.into_string().ok()?)))
            .filter(|(name, value)| name.starts_with("DISCORD_TOKEN_") && !value.trim().is_empty())
            .collect();
        Self {
            environment_tokens,
            discord_token_blank: token.as_ref().is_some_and(|t| t.trim().is_empty()),
            discord_token: token.filter(|token| !token.trim().is_empty()),
            no_color: set("NO_COLOR"),
            clicolor_force: std::env::var("CLICOLOR_FORCE")
                .is_ok_and(|v| !v.is_empty() && v != "0"),
            term_dumb: std::env::var("TERM").is_ok_and(|term| term == "dumb"),
            ci: std::env::var("CI")
                .is_ok_and(|v| !v.is_empty() && v != "0" && !v.eq_ignore_ascii_case("false")),
            github_actions: std::env::var("GITHUB_ACTIONS").is_ok_and(|value| value == "true"),
            interactive: stdin_is_terminal && stderr_is_terminal,
            stdout_is_terminal: std::io::stdout().is_terminal(),
            stderr_is_terminal,
            stdin_is_terminal,
        }
    }
}

/// Whether a stream gets colour: `--color`/`--no-color` first, then `NO_COLOR`, then
/// `CLICOLOR_FORCE`, then a terminal that is not `TERM=dumb`.
fn colors(args: &GlobalArgs, env: &Environment, is_terminal: bool) -> bool {
    match (args.no_color, args.color) {
        (true, _) | (_, ColorChoice::Never) => false,
        (false, ColorChoice::Always) => true,
        (false, ColorChoice::Auto) => {
            !env.no_color && (env.clicolor_force || (is_terminal && !env.term_dumb))
        }
    }
}

impl Settings {
    pub fn resolve(args: &GlobalArgs, env: &Environment) -> anyhow::Result<Self> {
        Ok(Self {
            config: args.config.clone(),
            environment: args
                .environment
                .clone()
                .filter(|name| !name.trim().is_empty()),
            connection: resolve_connection(args, env, None),
            args: args.clone(),
            env: env.clone(),
            style: Style {
                color: colors(args, env, env.stdout_is_terminal),
            },
            err_style: Style {
                color: colors(args, env, env.stderr_is_terminal),
            },
            quiet: args.quiet,
            stdin_is_terminal: env.stdin_is_terminal,
            stderr_is_terminal: env.stderr_is_terminal,
            github_actions: env.github_actions,
        })
    }

    /// Where an environment's guild is: its guild id, its token (`DISCORD_TOKEN_NAME`, else
    /// `DISCORD_TOKEN`), its own sandbox state. Without an environment, `connection`.
    pub fn connection_for(
        &self,
        environment: Option<&crate::config::Environment>,
    ) -> Result<Connection, Unconnected> {
        match environment {
            None => self.connection.clone(),
            Some(environment) => resolve_connection(&self.args, &self.env, Some(environment)),
        }
    }
}

/// `.miyabi-guild/sandbox.json` in the directory of the server file (`sandbox-NAME.json` for an
/// environment: each environment has its own sandbox guild).
pub fn sandbox_state_file(config: &Path, environment: Option<&str>) -> PathBuf {
    let directory = config
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let name = match environment {
        Some(environment) => format!("sandbox-{environment}.json"),
        None => "sandbox.json".to_owned(),
    };
    directory.join(".miyabi-guild").join(name)
}

/// Where the guild is. The sandbox runs only when asked (`--sandbox`), or for a person at a
/// terminal who gave no token and no sign of meaning a real server (`--guild`, `--api-url`, `CI`):
/// a missing or misnamed secret in CI must fail, not plan against a fake guild and pass.
fn resolve_connection(
    args: &GlobalArgs,
    env: &Environment,
    environment: Option<&crate::config::Environment>,
) -> Result<Connection, Unconnected> {
    let fail = |message: String, hint: Option<&str>| Unconnected {
        message,
        hint: hint.map(str::to_owned),
    };
    let given = match args.guild {
        Some(0) => {
            return Err(fail(
                "--guild / MIYABI_GUILD_ID must be a guild id (a number above 0)".to_owned(),
                None,
            ));
        }
        Some(id) => Some(GuildId::new(id)),
        None => None,
    };
    let declared = environment.and_then(|environment| environment.guild);
    let guild = match (given, declared, environment) {
        (Some(given), Some(declared), Some(environment)) if given != declared => {
            return Err(fail(
                format!(
                    "--guild / MIYABI_GUILD_ID is {given}, but environment `{}` is guild {declared}",
                    environment.name
                ),
                Some("drop --guild / MIYABI_GUILD_ID: the environment names its guild"),
            ));
        }
        (given, declared, _) => declared.or(given),
    };
    let state_file = sandbox_state_file(&args.config, environment.map(|e| e.name.as_str()));
    if args.sandbox {
        if args.api_url.is_some() {
            return Err(fail(
                "--sandbox and --api-url / MIYABI_API_URL exclude each other: the sandbox is its own API".to_owned(),
                None,
            ));
        }
        return Ok(Connection::Sandbox {
            state_file,
            notice: None,
        });
    }
    let token = match &args.token_file {
        Some(path) => {
            let text = std::fs::read_to_string(path).map_err(|error| {
                fail(
                    format!("cannot read the token file {}: {error}", path.display()),
                    None,
                )
            })?;
            let token = text.trim().to_owned();
            if token.is_empty() {
                return Err(fail(
                    format!("the token file {} is empty", path.display()),
                    None,
                ));
            }
            Some(token)
        }
        None => environment
            .and_then(|environment| env.environment_tokens.get(&environment.token_variable()))
            .or(env.discord_token.as_ref())
            .map(|token| token.trim().to_owned()),
    };
    let target = match &args.api_url {
        Some(url) => ApiTarget::parse(url).map_err(|e| fail(format!("--api-url: {e}"), None))?,
        None => ApiTarget::Discord,
    };
    if let Some(token) = token {
        return Ok(Connection::Api {
            target,
            token: Token(token),
            guild,
        });
    }
    let variable = match (environment, env.discord_token_blank) {
        (Some(environment), _) => format!(
            "neither {} nor DISCORD_TOKEN is set",
            environment.token_variable()
        ),
        (None, true) => "DISCORD_TOKEN is empty".to_owned(),
        (None, false) => "DISCORD_TOKEN is not set".to_owned(),
    };
    let name = environment.map_or("DISCORD_TOKEN".to_owned(), |e| e.token_variable());
    if args.api_url.is_some() {
        return Err(fail(
            format!("{variable}: {} needs a bot token", target.describe()),
            Some(&format!(
                "set {name} or pass --token-file FILE (a standalone emulator prints its token)"
            )),
        ));
    }
    let reason = if env.ci {
        Some("CI is set")
    } else if args.guild.is_some() {
        Some("a guild was given (--guild / MIYABI_GUILD_ID)")
    } else if declared.is_some() {
        Some("the environment names a guild")
    } else if !env.interactive {
        Some("no one is at a terminal to see a sandbox notice")
    } else {
        None
    };
    match reason {
        Some(reason) => Err(fail(
            format!("{variable}, and {reason}: refusing to fall back to the built-in sandbox"),
            Some(&if env.github_actions {
                format!("set the repository secret {name} (Settings → Secrets and variables → Actions) and pass it to the job as `env: {name}: ${{{{ secrets.{name} }}}}`; pull requests from forks and Dependabot get no secrets. To try the tool on its built-in sandbox, pass --sandbox")
            } else {
                format!("set {name} to the bot's token (in CI: the repository or environment secret) or pass --token-file FILE; to try the tool on its built-in sandbox, pass --sandbox")
            }),
        )),
        None => Ok(Connection::Sandbox {
            state_file,
            notice: Some("no DISCORD_TOKEN set: using the built-in sandbox guild (pass --sandbox to say so, or set DISCORD_TOKEN for a real server)".to_owned()),
        }),
    }
}

#[cfg(test)]
mod tests {
    use clap::Parser;

    use super::*;

    #[derive(Parser)]
    struct Args {
        #[command(flatten)]
        global: GlobalArgs,
    }

    fn args(flags: &[&str]) -> GlobalArgs {
        let mut argv = vec!["miyabi-guild"];
        argv.extend(flags);
        Args::parse_from(argv).global
    }

    #[test]
    fn colour_follows_flags_then_no_color_then_clicolor_force_then_the_terminal() {
        let terminal = Environment {
            stdout_is_terminal: true,
            ..Environment::default()
        };
        assert!(colors(&args(&[]), &terminal, true));
        assert!(!colors(&args(&[]), &terminal, false), "not a terminal");
        let dumb = Environment {
            term_dumb: true,
            ..terminal.clone()
        };
        assert!(!colors(&args(&[]), &dumb, true), "TERM=dumb");
        let forced = Environment {
            clicolor_force: true,
            ..Environment::default()
        };
        assert!(
            colors(&args(&[]), &forced, false),
            "CLICOLOR_FORCE=1 in CI logs"
        );
        let no_color = Environment {
            no_color: true,
            clicolor_force: true,
            ..Environment::default()
        };
        assert!(
            !colors(&args(&[]), &no_color, true),
            "NO_COLOR wins over CLICOLOR_FORCE"
        );
        assert!(colors(&args(&["--color", "always"]), &no_color, false));
        assert!(!colors(&args(&["--color", "never"]), &terminal, true));
        assert!(!colors(&args(&["--no-color"]), &forced, true));
    }

    #[test]
    fn the_sandbox_runs_only_when_asked_or_for_a_person_at_a_terminal() {
        let person = Environment {
            interactive: true,
            ..Environment::default()
        };
        let sandbox = |connection: Result<Connection, Unconnected>| {
            matches!(connection, Ok(Connection::Sandbox { .. }))
        };
        assert!(sandbox(resolve_connection(&args(&[]), &person, None)));
        assert!(sandbox(resolve_connection(
            &args(&["--sandbox"]),
            &Environment::default(),
            None
        )));
        let ci = Environment {
            ci: true,
            ..person.clone()
        };
        for (flags, env) in [
            (vec![], &ci),
            (vec![], &Environment::default()),
            (vec!["--guild", "5"], &person),
            (vec!["--api-url", "http://127.0.0.1:9"], &person),
        ] {
            let connection = resolve_connection(&args(&flags), env, None);
            let Err(error) = connection else {
                panic!("{flags:?}: connected without a token");
            };
            assert!(
                error.message.starts_with("DISCORD_TOKEN is not set"),
                "{}",
                error.message
            );
        }
        let blank = Environment {
            discord_token_blank: true,
            ci: true,
            ..Environment::default()
        };
        let Err(error) = resolve_connection(&args(&[]), &blank, None) else {
            panic!("a blank token connected");
        };
        assert!(
            error.message.starts_with("DISCORD_TOKEN is empty"),
            "{}",
            error.message
        );
    }
}
