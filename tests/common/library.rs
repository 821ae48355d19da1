//! The library driven in process against an emulator: read the guild, plan, apply, import,
//! without spawning the binary (for tests that run many scenarios).

use miyabi_guild::apply::{self, Assets, Interrupt, Silent};
use miyabi_guild::discord::{ApiTarget, Discord};
use miyabi_guild::emulator::{Emulator, EmulatorConfig, GuildState, RateLimits};
use miyabi_guild::live::{self, Scope};
use miyabi_guild::model::{DesiredGuild, LiveGuild};
use miyabi_guild::plan::Plan;

/// An emulator (rate limits off) and a client for it.
pub struct Guild {
    pub emulator: Emulator,
    pub discord: Discord,
}

impl Guild {
    pub async fn start(state: GuildState) -> Self {
        let _ = rustls::crypto::ring::default_provider().install_default();
        let config = EmulatorConfig {
            rate_limits: RateLimits::disabled(),
            ..EmulatorConfig::default()
        };
        let emulator = Emulator::start(state, config)
            .await
            .expect("emulator starts");
        let discord = Discord::new(
            emulator.state().token(),
            ApiTarget::Host {
                host: emulator.host(),
                use_http: true,
            },
        );
        Self { emulator, discord }
    }

    /// The live guild, as far as `desired` manages it (everything with `None`, as `import`).
    pub async fn live(&self, desired: Option<&DesiredGuild>) -> LiveGuild {
        let scope = desired.map_or_else(Scope::everything, Scope::of);
        live::fetch(&self.discord, self.emulator.state().guild_id(), &scope)
            .await
            .expect("the guild reads")
    }

    /// The plan for `desired`; a diff error is a panic naming it.
    pub async fn plan(&self, desired: &DesiredGuild) -> Plan {
        self.try_plan(desired)
            .await
            .unwrap_or_else(|error| panic!("{error}"))
    }

    /// The plan for `desired`, or why the guild could not be read or planned.
    pub async fn try_plan(&self, desired: &DesiredGuild) -> Result<Plan, String> {
        let guild = self.emulator.state().guild_id();
        let live = live::fetch(&self.discord, guild, &Scope::of(desired))
            .await
            .map_err(|error| format!("the guild cannot be read: {error}"))?;
        miyabi_guild::diff::plan(desired, &live, jiff::Timestamp::now()).map_err(|errors| {
            format!(
                "the guild cannot be planned: {}",
                errors
                    .iter()
                    .map(ToString::to_string)
                    .collect::<Vec<_>>()
                    .join("; ")
            )
        })
    }

    /// Plans and applies `desired`; returns the plan that was applied. A failed write panics.
    pub async fn apply(&self, desired: &DesiredGuild) -> Plan {
        let plan = self.plan(desired).await;
        let report = apply::execute(
            &self.discord,
            &plan,
            &Assets::of(desired),
            apply::Options::default(),
            &Silent,
            &Interrupt::never(),
        )
        .await;
        if let Some((change, error)) = &report.failed {
            panic!("apply failed at {}: {error}", change.describe());
        }
        plan
    }

    /// Writes made since the last call.
    pub fn take_writes(&self) -> usize {
        use miyabi_guild::emulator::RequestsExt;
        let writes = self.emulator.requests().writes();
        self.emulator.clear_requests();
        writes
    }

    /// `import` of the guild as it is now (to standard output: no message files).
    pub async fn import(&self) -> String {
        miyabi_guild::config::import::render(&self.live(None).await)
    }

    /// `import --out`: the file and the message files beside it.
    pub async fn import_with_messages(&self) -> miyabi_guild::config::import::Imported {
        let scope = Scope {
            all_messages: true,
            all_threads: true,
            ..Scope::everything()
        };
        let live = live::fetch(&self.discord, self.emulator.state().guild_id(), &scope)
            .await
            .expect("the guild reads");
        miyabi_guild::config::import::import(&live)
    }
}

/// A file's text, validated; invalid text panics with every diagnostic.
pub fn desired(text: &str) -> DesiredGuild {
    desired_at("server.toml", text)
}

/// A file's text as if read from `path` (files it names are beside it), validated.
pub fn desired_at(path: &str, text: &str) -> DesiredGuild {
    let source = miyabi_guild::config::Source::new(path, text);
    match miyabi_guild::config::parse(source) {
        Ok(loaded) => loaded.desired,
        Err((source, diagnostics)) => {
            let mut shown = Vec::new();
            miyabi_guild::config::render_diagnostics(&diagnostics, &source, &mut shown, false)
                .expect("render");
            panic!(
                "invalid file:\n{}\n{}",
                String::from_utf8_lossy(&shown),
                source.text
            )
        }
    }
}

/// `plan` in words, one change per line, for assertion messages.
pub fn described(plan: &Plan) -> String {
    plan.changes
        .iter()
        .map(|change| change.describe())
        .collect::<Vec<_>>()
        .join("\n")
}
