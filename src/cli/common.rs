//! Steps several commands share: load the file, connect, fetch and diff.

use std::io::Write;

use anyhow::Context;

use super::{Hinted, Reported};
use crate::config::{self, Loaded};
use crate::discord::{ApiTarget, Discord};
use crate::model::GuildId;
use crate::plan::Plan;
use crate::sandbox::Sandbox;
use crate::settings::{Connection, Settings};

/// Loads the server file for a command that works on a guild: as the selected environment's
/// effective file; refused when the file declares environments and none was selected.
pub fn load_for_guild(settings: &Settings) -> anyhow::Result<Loaded> {
    let loaded = load_config(settings)?;
    require_environment(&loaded)?;
    Ok(loaded)
}

/// Refuses to work on a guild with a file that declares environments when none was selected.
pub fn require_environment(loaded: &Loaded) -> anyhow::Result<()> {
    if loaded.environment.is_none() && !loaded.environments.is_empty() {
        return Err(Hinted {
            message: format!(
                "{} declares environments ({}): say which guild to work on",
                loaded.source.name,
                environment_names(loaded)
            ),
            hint: format!(
                "pass --env {} (or set MIYABI_ENV){}",
                loaded.environments[0].name,
                if loaded.environments.len() > 1 {
                    "; `plan` and `drift` also take --all-envs"
                } else {
                    ""
                }
            ),
        }
        .into());
    }
    Ok(())
}

/// `staging, production`.
pub fn environment_names(loaded: &Loaded) -> String {
    loaded
        .environments
        .iter()
        .map(|environment| environment.name.as_str())
        .collect::<Vec<_>>()
        .join(", ")
}

/// Loads and validates the server file (as `--env`'s effective file when one is selected);
/// prints warnings, or every error and returns `Reported`.
pub fn load_config(settings: &Settings) -> anyhow::Result<Loaded> {
    load_environment(settings, settings.environment.as_deref())
}

/// Loads and validates the server file as `environment`'s effective file; prints warnings, or
/// every error and returns `Reported`.
pub fn load_environment(settings: &Settings, environment: Option<&str>) -> anyhow::Result<Loaded> {
    let (source, problems) = read_config(settings)?;
    let parsed = if problems.is_empty() {
        config::parse_environment(source, environment)
    } else {
        Err((source, problems))
    };
    match parsed {
        Ok(loaded) => {
            if !settings.quiet {
                show_diagnostics(&loaded.warnings, &loaded.source, settings)?;
            }
            Ok(loaded)
        }
        Err((source, diagnostics)) => {
            show_diagnostics(&diagnostics, &source, settings)?;
            Err(Reported.into())
        }
    }
}

/// The server file's text and its encoding problems; a file that cannot be read is an error
/// with a hint.
pub fn read_config(
    settings: &Settings,
) -> anyhow::Result<(config::Source, Vec<config::Diagnostic>)> {
    Ok(config::read_file(&settings.config).map_err(|error| {
        let hint = match &error {
            config::LoadError::Io {
                problem: config::files::FileProblem::Io(io),
                ..
            } if io.kind() == std::io::ErrorKind::NotFound => {
                "pass the server file with --config PATH (default: ./server.toml)"
            }
            config::LoadError::Io { problem, .. } => problem.hint(),
            config::LoadError::Invalid(_) => "fix the file",
        };
        Hinted {
            message: error.to_string(),
            hint: hint.to_owned(),
        }
    })?)
}

/// Prints diagnostics with their snippets on stderr (and as workflow annotations in GitHub
/// Actions); nothing when there are none.
pub fn show_diagnostics(
    diagnostics: &[config::Diagnostic],
    source: &config::Source,
    settings: &Settings,
) -> anyhow::Result<()> {
    if diagnostics.is_empty() {
        return Ok(());
    }
    let mut stderr = std::io::stderr().lock();
    config::render_diagnostics(diagnostics, source, &mut stderr, settings.err_style.color)?;
    if settings.github_actions {
        crate::render::annotations::write(diagnostics, &mut stderr)?;
    }
    Ok(())
}

/// A connection to the guild: Discord, an emulator elsewhere, or the in-process sandbox.
pub struct Session {
    /// Shared by the sessions of environments that use the same token and API, so one rate
    /// limiter paces them all (`plan --all-envs`).
    pub discord: std::sync::Arc<Discord>,
    pub guild_id: GuildId,
    sandbox: Option<Sandbox>,
}

impl Session {
    /// The guild of the flags and environment, without a server file's environment.
    pub async fn open(settings: &Settings) -> anyhow::Result<Self> {
        Self::connect(settings, settings.connection.as_ref(), &[]).await
    }

    /// The guild `loaded` is for: its environment's guild and token when it has one.
    pub async fn open_for(settings: &Settings, loaded: &Loaded) -> anyhow::Result<Self> {
        let connection = settings.connection_for(loaded.environment.as_ref());
        Self::connect(settings, connection.as_ref(), &[]).await
    }

    /// A session for each of `loaded` (one per environment), reusing the client of an earlier
    /// one with the same API and token: one rate limiter for one bot.
    pub async fn open_each(settings: &Settings, loaded: &[Loaded]) -> Vec<anyhow::Result<Self>> {
        let mut sessions: Vec<anyhow::Result<Self>> = Vec::new();
        let mut clients: Vec<(Connection, std::sync::Arc<Discord>)> = Vec::new();
        for loaded in loaded {
            let connection = settings.connection_for(loaded.environment.as_ref());
            let shared: Vec<_> = clients.iter().map(|(c, d)| (c, d.clone())).collect();
            let session = Self::connect(settings, connection.as_ref(), &shared).await;
            if let (Ok(session), Ok(connection)) = (&session, &connection)
                && session.sandbox.is_none()
            {
                clients.push((connection.clone(), session.discord.clone()));
            }
            sessions.push(session);
        }
        sessions
    }

    async fn connect(
        settings: &Settings,
        connection: Result<&Connection, &crate::settings::Unconnected>,
        clients: &[(&Connection, std::sync::Arc<Discord>)],
    ) -> anyhow::Result<Self> {
        let connection = connection.map_err(|error| match &error.hint {
            Some(hint) => anyhow::Error::new(Hinted {
                message: error.message.clone(),
                hint: hint.clone(),
            }),
            None => anyhow::anyhow!("{}", error.message),
        })?;
        match connection {
            Connection::Sandbox { state_file, notice } => {
                // Even with --quiet: output from a fake guild must never pass unnoticed.
                if let Some(notice) = notice {
                    eprintln!("{} {notice}", settings.err_style.hint("note:"));
                }
                let sandbox = Sandbox::start(state_file).await?;
                let target = ApiTarget::Host {
                    host: sandbox.host(),
                    use_http: true,
                };
                let discord = std::sync::Arc::new(Discord::new(&sandbox.token(), target));
                Ok(Self {
                    discord,
                    guild_id: sandbox.guild_id(),
                    sandbox: Some(sandbox),
                })
            }
            Connection::Api {
                target,
                token,
                guild,
            } => {
                let same_client = clients.iter().find_map(|(other, discord)| match other {
                    Connection::Api {
                        target: other_target,
                        token: other_token,
                        ..
                    } if other_target == target && other_token.expose() == token.expose() => {
                        Some(discord.clone())
                    }
                    _ => None,
                });
                let discord = same_client.unwrap_or_else(|| {
                    std::sync::Arc::new(Discord::new(token.expose(), target.clone()))
                });
                let guild_id = match guild {
                    Some(guild) => *guild,
                    None => only_guild(&discord).await?,
                };
                Ok(Self {
                    discord,
                    guild_id,
                    sandbox: None,
                })
            }
        }
    }

    /// The plan's new member overwrites that name users who are not in the guild (one read per
    /// member named), as refusals.
    pub async fn absent_members(&self, plan: &Plan) -> anyhow::Result<Vec<crate::safety::Refusal>> {
        let mut refusals = Vec::new();
        for (id, channel) in crate::safety::new_member_targets(plan) {
            match self.discord.guild_member(self.guild_id, id).await {
                Ok(_) => {}
                // Unknown Member, Unknown User.
                Err(error) if matches!(error.code(), Some(10007 | 10013)) => {
                    refusals.push(crate::safety::absent_member(id, &channel));
                }
                Err(error) => {
                    return Err(anyhow::Error::new(error)
                        .context(format!("cannot check that member {id} is in the server")));
                }
            }
        }
        Ok(refusals)
    }

    /// Works on the built-in sandbox, not a real server.
    pub fn is_sandbox(&self) -> bool {
        self.sandbox.is_some()
    }

    /// Saves the sandbox guild, if this session runs one.
    pub async fn close(self) -> anyhow::Result<()> {
        if let Some(sandbox) = self.sandbox {
            sandbox.save_and_stop().await?;
        }
        Ok(())
    }

    /// Reads the guild as `scope` says.
    pub async fn live(
        &self,
        scope: &crate::live::Scope,
    ) -> anyhow::Result<crate::model::LiveGuild> {
        crate::live::fetch(&self.discord, self.guild_id, scope)
            .await
            .with_context(|| {
                format!(
                    "cannot read guild {} from {}",
                    self.guild_id,
                    self.discord.target().describe()
                )
            })
    }

    /// Fetches the live guild and diffs it with the file; prints identity errors in full.
    /// (Commands that write, or show what would be written, then call [`report_preflight`].)
    pub async fn plan(
        &self,
        loaded: &Loaded,
        settings: &Settings,
    ) -> anyhow::Result<(Plan, crate::model::LiveGuild)> {
        let scope = crate::live::Scope::of(&loaded.desired);
        let live = self.live(&scope).await?;
        let style = settings.err_style;
        let mut plan = crate::diff::plan(&loaded.desired, &live, jiff::Timestamp::now()).map_err(
            |errors| {
                let mut stderr = std::io::stderr().lock();
                for error in &errors {
                    let _ = writeln!(stderr, "{} {error}", style.error("error:"));
                    let _ = writeln!(stderr, "  {} {}", style.hint("hint:"), error.hint());
                }
                let _ = writeln!(
                    stderr,
                    "{} {} cannot be matched to the live guild; nothing was changed",
                    style.error("error:"),
                    loaded.source.name
                );
                anyhow::Error::new(Reported)
            },
        )?;
        plan.access = crate::access::roster::plan_lines(&plan);
        plan.access.extend(access_lines(&loaded.desired, &live));
        plan.sandbox = self.is_sandbox();
        Ok((plan, live))
    }
}

/// Everything that stops a plan from the file before any write: preflight, protected objects,
/// and the file's access assertions on the guild as it will be after applying.
pub fn report_plan_checks(
    plan: &Plan,
    live: &crate::model::LiveGuild,
    loaded: &Loaded,
    absent: Vec<crate::safety::Refusal>,
    settings: &Settings,
) -> anyhow::Result<()> {
    let style = settings.err_style;
    let mut stderr = std::io::stderr().lock();
    let protected = crate::safety::protected(plan, &loaded.desired);
    for refusal in &protected {
        let _ = writeln!(stderr, "{} {}", style.error("error:"), refusal.message);
        let _ = writeln!(stderr, "  {} {}", style.hint("hint:"), refusal.hint);
    }
    let unmanaged_everyone = loaded
        .desired
        .everyone_permissions
        .unwrap_or(live.everyone_permissions);
    let broken = crate::config::check_assertions(&loaded.desired, unmanaged_everyone);
    for message in &broken {
        let _ = writeln!(
            stderr,
            "{} {}: access assertion broken: {message}",
            style.error("error:"),
            loaded.source.name
        );
    }
    drop(stderr);
    if !protected.is_empty() || !broken.is_empty() {
        let _ = writeln!(
            std::io::stderr(),
            "{} the plan is refused; nothing was changed",
            style.error("error:")
        );
        return Err(Reported.into());
    }
    report_preflight(plan, live, absent, settings)
}

/// Fails at plan time, not halfway through an apply: prints every preflight refusal (`absent`:
/// the member overwrites [`Session::absent_members`] found for users not in the guild).
pub fn report_preflight(
    plan: &Plan,
    live: &crate::model::LiveGuild,
    absent: Vec<crate::safety::Refusal>,
    settings: &Settings,
) -> anyhow::Result<()> {
    let style = settings.err_style;
    {
        let mut refusals = crate::safety::preflight(plan, live);
        refusals.extend(absent);
        if !refusals.is_empty() {
            let mut stderr = std::io::stderr().lock();
            for refusal in &refusals {
                let _ = writeln!(stderr, "{} {}", style.error("error:"), refusal.message);
                let _ = writeln!(stderr, "  {} {}", style.hint("hint:"), refusal.hint);
            }
            let _ = writeln!(
                stderr,
                "{} the bot cannot carry out this plan ({} problem{}); nothing was changed",
                style.error("error:"),
                refusals.len(),
                if refusals.len() == 1 { "" } else { "s" }
            );
            return Err(Reported.into());
        }
    }
    Ok(())
}

/// Who gains or loses access by applying the file, in words.
fn access_lines(
    desired: &crate::model::DesiredGuild,
    live: &crate::model::LiveGuild,
) -> Vec<crate::plan::AccessLine> {
    let before = crate::access::View::from_live(live, Some(desired));
    let after = crate::access::View::from_desired_on(desired, live);
    access_between(&before, &after)
}

/// Access changes from `before` to `after` on channels and roles both sides have: new channels
/// and roles are shown by their creates, gone ones by their deletes.
pub fn access_between(
    before: &crate::access::View,
    after: &crate::access::View,
) -> Vec<crate::plan::AccessLine> {
    let existing_channel = |key: &str| before.channels.iter().any(|c| c.key == key);
    let existing_subject =
        |key: &str| key == "everyone" || before.roles.iter().any(|r| r.key == key);
    crate::access::changes(before, after)
        .into_iter()
        .filter(|change| {
            existing_channel(&change.channel.key) && existing_subject(&change.subject.key)
        })
        .map(|change| crate::plan::AccessLine {
            text: change.to_string(),
            widens: change.widens(),
        })
        .collect()
}

/// The one guild the bot is in; an error that lists them when there are several.
async fn only_guild(discord: &Discord) -> anyhow::Result<GuildId> {
    let guilds = discord
        .current_user_guilds()
        .await
        .context("cannot list the bot's servers to pick one")?;
    match guilds.as_slice() {
        [only] => Ok(only.id),
        [] => Err(Hinted {
            message: "the bot is not in any server".to_owned(),
            hint: "invite it with the OAuth2 URL from the Developer Portal (scope `bot`), then run again".to_owned(),
        }
        .into()),
        many => Err(Hinted {
            message: format!(
                "the bot is in {} servers: {}",
                many.len(),
                many.iter().map(|g| format!("\"{}\" ({})", g.name, g.id)).collect::<Vec<_>>().join(", ")
            ),
            hint: "choose one with --guild ID or MIYABI_GUILD_ID".to_owned(),
        }
        .into()),
    }
}
