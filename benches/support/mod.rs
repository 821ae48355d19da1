//! Generated guilds for the benchmarks: a `server.toml` of any size, and that file applied to an
//! emulator and read back, so the diff has a real live guild to compare with.

#![allow(dead_code)]

use std::fmt::Write;

use miyabi_guild::apply::{self, ApplyReport, Assets, Interrupt, Options, Silent};
use miyabi_guild::config::{Loaded, Source};
use miyabi_guild::discord::{ApiTarget, Discord};
use miyabi_guild::emulator::{Emulator, EmulatorConfig, GuildState, RateLimits};
use miyabi_guild::model::{GuildId, LiveGuild};
use miyabi_guild::plan::Plan;

/// A file with `channels` channels (categories of up to 25, text and voice, overwrites on every
/// category and on every third channel) and `roles` roles. With `drift`, every tenth channel has
/// another topic and the first role another colour: what a plan then finds to update.
pub fn server_toml(channels: usize, roles: usize, drift: bool) -> String {
    let mut file = String::from("[guild]\nname = \"Generated\"\n\n");
    for role in 0..roles {
        let color = if drift && role == 0 {
            "#112233"
        } else {
            "#3498db"
        };
        let permissions = if role % 5 == 0 {
            r#"["view_channel", "send_messages", "manage_messages"]"#
        } else {
            r#"["view_channel", "send_messages"]"#
        };
        writeln!(
            file,
            "[[roles]]\nkey = \"r{role}\"\nname = \"Role {role}\"\ncolor = \"{color}\"\npermissions = {permissions}\n"
        )
        .unwrap();
    }
    let categories = channels.div_ceil(25).max(1);
    let children = channels.saturating_sub(categories);
    let role = |index: usize| format!("r{}", index % roles.max(1));
    for category in 0..categories {
        writeln!(file, "[[categories]]\nname = \"Category {category}\"").unwrap();
        if roles > 0 {
            writeln!(
                file,
                "overwrites = [\n  {{ role = \"everyone\", deny = [\"view_channel\"] }},\n  {{ role = \"{}\", allow = [\"view_channel\"] }},\n]",
                role(category)
            )
            .unwrap();
        }
        file.push('\n');
        let own = (category..children).step_by(categories);
        for channel in own {
            let voice = channel % 7 == 6;
            write!(
                file,
                "[[categories.channels]]\nname = \"channel-{channel}\"\n"
            )
            .unwrap();
            if voice {
                file.push_str("type = \"voice\"\n");
            } else {
                let topic = if drift && channel % 10 == 0 {
                    "changed"
                } else {
                    "generated"
                };
                writeln!(file, "topic = \"{topic}\"").unwrap();
            }
            if channel % 3 == 0 && roles > 0 {
                writeln!(
                    file,
                    "overwrites = [\n  {{ role = \"everyone\", deny = [\"view_channel\"] }},\n  {{ role = \"{}\", allow = [\"view_channel\", \"send_messages\"] }},\n  {{ role = \"{}\", deny = [\"send_messages\"] }},\n]",
                    role(channel),
                    role(channel + 1)
                )
                .unwrap();
            }
            file.push('\n');
        }
    }
    file
}

/// Parses a generated file.
pub fn parse(text: String) -> Loaded {
    let source = Source::new("generated.toml", text);
    match miyabi_guild::config::parse(source) {
        Ok(loaded) => loaded,
        Err((_, diagnostics)) => panic!("the generated file is invalid: {diagnostics:#?}"),
    }
}

/// An empty emulator guild served with `config`, a client for it, and its id.
pub async fn empty_guild(config: EmulatorConfig) -> (Emulator, Discord, GuildId) {
    let state = GuildState::new_empty("Generated");
    let guild = state.guild_id();
    let token = state.token().to_owned();
    let emulator = Emulator::start(state, config)
        .await
        .expect("the emulator starts");
    let discord = Discord::new(
        &token,
        ApiTarget::Host {
            host: emulator.host(),
            use_http: true,
        },
    );
    (emulator, discord, guild)
}

/// Reads the guild, plans `loaded` against it and applies the plan, as `apply` does.
pub async fn plan_and_apply(
    discord: &Discord,
    guild: GuildId,
    loaded: &Loaded,
    options: Options,
) -> (Plan, ApplyReport) {
    let scope = miyabi_guild::live::Scope::of(&loaded.desired);
    let live = miyabi_guild::live::fetch(discord, guild, &scope)
        .await
        .expect("the guild reads");
    let plan = miyabi_guild::diff::plan(&loaded.desired, &live, jiff::Timestamp::now())
        .expect("the file plans");
    let report = apply::execute(
        discord,
        &plan,
        &Assets::of(&loaded.desired),
        options,
        &Silent,
        &Interrupt::never(),
    )
    .await;
    (plan, report)
}

/// The file applied to an empty emulator guild (no rate limits), read back.
pub async fn applied(loaded: &Loaded) -> LiveGuild {
    let config = EmulatorConfig {
        rate_limits: RateLimits::disabled(),
        ..EmulatorConfig::default()
    };
    let (_emulator, discord, guild) = empty_guild(config).await;
    let (_, report) = plan_and_apply(&discord, guild, loaded, Options::default()).await;
    assert!(report.succeeded(), "{:?}", report.failed);
    let scope = miyabi_guild::live::Scope::of(&loaded.desired);
    miyabi_guild::live::fetch(&discord, guild, &scope)
        .await
        .expect("the guild reads")
}
