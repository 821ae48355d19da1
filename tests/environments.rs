//! `[environments.NAME]`: one file for a staging and a production guild.

mod common;

use std::path::Path;

use common::{repo, run, run_env, start};
use miyabi_guild::emulator::{Emulator, GuildState};

/// A copy of `examples/miyabi` (the split layout with its environments) in a new directory.
fn miyabi_layout() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    common::copy_tree(&repo().join("examples/miyabi"), dir.path());
    dir
}

/// The sandbox's guild as guild `id` (its @everyone role follows).
fn guild_with_id(id: u64) -> GuildState {
    let seed = common::sandbox_seed();
    let old = seed.guild.id.get().to_string();
    let text = seed
        .to_json()
        .replace(&format!("\"{old}\""), &format!("\"{id}\""));
    GuildState::from_json(&text).expect("the renumbered guild loads")
}

/// Runs the binary against `emulator` with only the environment's own token variable set
/// (DISCORD_TOKEN holds a wrong token: the environment's must win).
async fn run_in(dir: &Path, emulator: &Emulator, env: &str, args: &[&str]) -> common::Output {
    let token = emulator.state().token;
    let variable = format!("DISCORD_TOKEN_{}", env.to_uppercase());
    let mut all = vec!["--env", env];
    all.extend(args);
    run_env(
        dir,
        None,
        &all,
        &[
            ("DISCORD_TOKEN", "not-the-token"),
            (variable.as_str(), token.as_str()),
            ("MIYABI_API_URL", &format!("http://{}", emulator.host())),
            ("CI", "true"),
        ],
    )
    .await
}

/// Both environments of the Miyabi layout applied in one test to two emulator guilds (each
/// with the guild id its environment names, each reached with its own token): each converges,
/// neither touches the other, and each holds its own differences.
#[tokio::test(flavor = "multi_thread")]
async fn staging_and_production_apply_to_their_own_guilds_and_converge() {
    let dir = miyabi_layout();
    let staging = start(guild_with_id(1_100_000_000_000_000_002)).await;
    let production = start(guild_with_id(1_100_000_000_000_000_001)).await;

    let applied = run_in(
        dir.path(),
        &staging,
        "staging",
        &["apply", "--auto-approve"],
    )
    .await;
    assert_eq!(applied.code, 0, "{}\n{}", applied.stdout, applied.stderr);
    assert!(
        production.requests().is_empty(),
        "staging's apply reached production"
    );
    let staging_after = staging.state().to_json();

    let applied = run_in(
        dir.path(),
        &production,
        "production",
        &["apply", "--auto-approve"],
    )
    .await;
    assert_eq!(applied.code, 0, "{}\n{}", applied.stdout, applied.stderr);
    assert_eq!(
        staging.state().to_json(),
        staging_after,
        "production's apply changed staging"
    );

    for (emulator, env) in [(&staging, "staging"), (&production, "production")] {
        emulator.clear_requests();
        let again = run_in(dir.path(), emulator, env, &["plan", "--detailed-exitcode"]).await;
        assert_eq!(
            again.code, 0,
            "{env} not converged:\n{}\n{}",
            again.stdout, again.stderr
        );
        assert_eq!(
            miyabi_guild::emulator::RequestsExt::writes(emulator.requests().as_slice()),
            0,
            "{env}: a plan wrote"
        );
    }

    let staging = staging.state();
    let production = production.state();
    assert_eq!(staging.guild.name, "[staging] Miyabi");
    assert_eq!(production.guild.name, "Miyabi");
    assert!(staging.scheduled_events.is_empty(), "staging omits events");
    assert_eq!(production.scheduled_events.len(), 7);
    assert!(staging.invites.is_empty() && !production.invites.is_empty());
    let sink = staging
        .channels
        .iter()
        .find(|channel| channel.name == "webhook-sink")
        .expect("staging has its sink channel");
    assert!(staging.webhooks.iter().all(|w| w.channel_id == sink.id));
    assert!(
        !production
            .channels
            .iter()
            .any(|channel| channel.name == "webhook-sink")
    );
    // The roster: on staging the founder alone holds the staff roles.
    let holders = |state: &GuildState, role: &str| {
        let role = state.roles.iter().find(|r| r.name == role).unwrap().id;
        state
            .members
            .iter()
            .filter(|member| member.roles.contains(&role))
            .count()
    };
    assert_eq!(holders(&staging, "🔴 Admin"), 0);
    assert_eq!(holders(&production, "🔴 Admin"), 1);
}

/// `--all-envs` plans every environment in one run: here two sandbox guilds, one per
/// environment, both converged after each environment's apply.
#[tokio::test(flavor = "multi_thread")]
async fn all_envs_plans_every_environment_in_one_run_with_the_worst_exit_code() {
    let dir = miyabi_layout();
    let before = run(
        dir.path(),
        None,
        &[
            "plan",
            "--sandbox",
            "--all-envs",
            "--markdown",
            "--detailed-exitcode",
        ],
    )
    .await;
    assert_eq!(before.code, 2, "{}", before.stderr);
    let markdown = &before.stdout;
    assert!(markdown.starts_with("<!-- miyabi-guild:plan -->\n## Environment `production`\n"));
    let staging_at = markdown
        .find("## Environment `staging`")
        .expect("a staging section");
    assert!(markdown[..staging_at].contains("<!-- miyabi-guild:checksum:production "));
    assert!(markdown[staging_at..].contains("<!-- miyabi-guild:checksum:staging "));
    assert!(markdown[staging_at..].contains("[staging] Miyabi"));

    for env in ["staging", "production"] {
        let applied = run(
            dir.path(),
            None,
            &["apply", "--sandbox", "--env", env, "--auto-approve"],
        )
        .await;
        assert_eq!(applied.code, 0, "{env}: {}", applied.stderr);
    }
    let after = run(
        dir.path(),
        None,
        &[
            "plan",
            "--sandbox",
            "--all-envs",
            "--detailed-exitcode",
            "--quiet",
        ],
    )
    .await;
    assert_eq!(after.code, 0, "{}\n{}", after.stdout, after.stderr);
    let drift = run(
        dir.path(),
        None,
        &["drift", "--sandbox", "--all-envs", "--json"],
    )
    .await;
    assert_eq!(drift.code, 0, "{}", drift.stderr);
    let report: serde_json::Value = serde_json::from_str(&drift.stdout).unwrap();
    let names: Vec<&str> = report["environments"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["environment"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["production", "staging"]);
    // Each environment has its own sandbox guild.
    assert!(
        dir.path()
            .join(".miyabi-guild/sandbox-staging.json")
            .exists()
    );
    assert!(
        dir.path()
            .join(".miyabi-guild/sandbox-production.json")
            .exists()
    );
}

const ENVIRONMENTS: &str = r#"[guild]
name = "Envs"

[[roles]]
key = "mod"
name = "Moderator"

[environments.staging]
guild = "1100000000000000002"

[environments.production]
guild = "1100000000000000001"
"#;

#[tokio::test(flavor = "multi_thread")]
async fn commands_that_touch_a_guild_refuse_without_an_environment() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("server.toml"), ENVIRONMENTS).unwrap();
    let output = run(dir.path(), None, &["plan", "--sandbox"]).await;
    assert_eq!(output.code, 1);
    insta::assert_snapshot!("environments_none_selected", output.snapshot());
    let output = run(dir.path(), None, &["plan", "--sandbox", "--env", "stagin"]).await;
    assert_eq!(output.code, 1);
    assert!(
        output.stderr.contains("did you mean `staging`?"),
        "{}",
        output.stderr
    );
    let output = run_env(
        dir.path(),
        None,
        &["plan", "--sandbox"],
        &[("MIYABI_ENV", "staging")],
    )
    .await;
    assert_eq!(output.code, 0, "{}", output.stderr);
    // validate needs no environment: it checks each.
    let output = run(dir.path(), None, &["validate"]).await;
    assert_eq!(output.code, 0, "{}", output.stderr);
    assert!(output.stdout.contains("environment `staging`"));
    // Without environments, --all-envs has nothing to do.
    std::fs::write(dir.path().join("server.toml"), "[guild]\nname = \"One\"\n").unwrap();
    let output = run(dir.path(), None, &["plan", "--sandbox", "--all-envs"]).await;
    assert_eq!(output.code, 1);
    assert!(
        output.stderr.contains("declares no environments"),
        "{}",
        output.stderr
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn overrides_are_checked_like_the_file_at_their_own_lines() {
    let dir = tempfile::tempdir().unwrap();
    let text = format!(
        "{ENVIRONMENTS}token = \"x\"\nomit = [\"evnts\", \"role:nobody\"]\n\n[environments.staging.overrides.guild]\nnmae = \"typo\"\n\n[[environments.staging.overrides.roles]]\nkey = \"mod\"\nhoist = \"yes\"\n"
    );
    std::fs::write(dir.path().join("server.toml"), &text).unwrap();
    let output = run(dir.path(), None, &["validate"]).await;
    assert_eq!(output.code, 1);
    insta::assert_snapshot!("environments_bad_declarations", output.snapshot());
    // With the declarations right, each environment's effective file is read: the overrides'
    // mistakes at the overrides' own lines, named by environment.
    let text = text.replace("token = \"x\"\nomit = [\"evnts\", \"role:nobody\"]\n", "");
    std::fs::write(dir.path().join("server.toml"), &text).unwrap();
    let output = run(dir.path(), None, &["validate"]).await;
    assert_eq!(output.code, 1);
    insta::assert_snapshot!("environments_bad_overrides", output.snapshot());
}

/// The environment's guild and token: a different `--guild` is refused, and the token of
/// another environment is never used.
#[tokio::test(flavor = "multi_thread")]
async fn an_environment_brings_its_guild_and_its_token() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("server.toml"), ENVIRONMENTS).unwrap();
    let emulator = start(guild_with_id(1_100_000_000_000_000_002)).await;
    let output = run_in(dir.path(), &emulator, "staging", &["plan"]).await;
    assert_eq!(output.code, 0, "{}", output.stderr);
    assert!(!output.stdout.contains(&emulator.state().token));
    assert!(
        output.stdout.starts_with("━━ Environment staging"),
        "{}",
        output.stdout
    );
    // One environment's comment and issue carry its name, so environments never share one.
    let output = run_in(dir.path(), &emulator, "staging", &["plan", "--markdown"]).await;
    assert!(
        output
            .stdout
            .starts_with("<!-- miyabi-guild:plan:staging -->\n## Environment `staging`\n"),
        "{}",
        output.stdout
    );
    assert!(
        output
            .stdout
            .contains("<!-- miyabi-guild:checksum:staging ")
    );
    let output = run_in(dir.path(), &emulator, "staging", &["drift", "--markdown"]).await;
    assert!(
        output
            .stdout
            .starts_with("<!-- miyabi-guild:drift:staging -->\n"),
        "{}",
        output.stdout
    );
    let output = run_in(dir.path(), &emulator, "staging", &["plan", "--guild", "5"]).await;
    assert_eq!(output.code, 1);
    assert!(
        output.stderr.contains("environment `staging` is guild"),
        "{}",
        output.stderr
    );
    // Production's variable is not set: DISCORD_TOKEN is used, and it is wrong here.
    let output = run_env(
        dir.path(),
        None,
        &["plan", "--env", "production"],
        &[
            ("DISCORD_TOKEN_STAGING", emulator.state().token.as_str()),
            ("MIYABI_API_URL", &format!("http://{}", emulator.host())),
            ("CI", "true"),
        ],
    )
    .await;
    assert_eq!(output.code, 1);
    assert!(
        output
            .stderr
            .contains("neither DISCORD_TOKEN_PRODUCTION nor DISCORD_TOKEN is set"),
        "{}",
        output.stderr
    );
}

/// The effective file of `environment` for `text`, or its error messages.
fn effective(text: &str, environment: &str) -> Result<miyabi_guild::model::DesiredGuild, String> {
    let source = miyabi_guild::config::Source::new("server.toml", text);
    miyabi_guild::config::parse_environment(source, Some(environment))
        .map(|loaded| loaded.desired)
        .map_err(|(_, diagnostics)| {
            diagnostics
                .iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join("\n")
        })
}

const BASE: &str = r##"
[[roles]]
key = "mod"
name = "Moderator"
color = "#ff0000"

[[roles]]
key = "bots"
name = "Bots"

[[channels]]
name = "lobby"

[[categories]]
name = "Info"

[[categories.channels]]
name = "rules"
topic = "Read me"

[[categories.channels]]
name = "bot-test"

[[events]]
name = "Weekly sync"
location = "https://meet.example.org"
start = "2030-01-07T17:00"
timezone = "UTC"
duration = 60
"##;

#[test]
fn overrides_change_the_items_they_name_and_add_the_others() {
    let text = format!(
        "{BASE}
[environments.staging]
guild = \"2\"
omit = [\"role:bots\", \"channel:#bot-test\", \"events\"]

[[environments.staging.overrides.roles]]
key = \"mod\"
color = \"#00ff00\"

[[environments.staging.overrides.channels]]
name = \"rules\"
topic = \"Staging rules\"

[[environments.staging.overrides.channels]]
name = \"sandbox-only\"
"
    );
    let desired = effective(&text, "staging").unwrap();
    let roles: Vec<(&str, u32)> = desired
        .roles
        .iter()
        .map(|role| (role.key.as_str(), role.settings.color))
        .collect();
    assert_eq!(roles, [("mod", 0x00ff00)]);
    let channels: Vec<(&str, Option<&str>, Option<&str>)> = desired
        .channels
        .iter()
        .map(|channel| {
            (
                channel.name.as_str(),
                channel.parent.as_deref(),
                channel.settings.topic.as_deref(),
            )
        })
        .collect();
    assert!(channels.contains(&("rules", Some("Info"), Some("Staging rules"))));
    assert!(channels.contains(&("sandbox-only", None, None)));
    assert!(!channels.iter().any(|(name, _, _)| *name == "bot-test"));
    assert!(desired.community.events.is_empty());
    // The file itself is unchanged by the environment.
    let source = miyabi_guild::config::Source::new("server.toml", text.as_str());
    let base = miyabi_guild::config::parse(source)
        .map_err(|_| "invalid")
        .unwrap();
    assert_eq!(base.desired.roles.len(), 2);
    assert_eq!(base.environments.len(), 1);
}

#[test]
fn an_override_or_omission_that_cannot_be_placed_is_an_error() {
    let ambiguous = format!(
        "{BASE}
[[channels]]
name = \"rules\"
type = \"voice\"

[environments.staging]
omit = [\"role:nobody\"]

[[environments.staging.overrides.channels]]
name = \"rules\"
topic = \"which one?\"

[[environments.staging.overrides.roles]]
color = \"#00ff00\"

[environments.staging.overrides]
include = [\"x.toml\"]
"
    );
    let errors = effective(&ambiguous, "staging").unwrap_err();
    for expected in [
        "2 channels are `rules`; an override changes one",
        "`omit`: the file has no role `nobody`",
        "this override of `roles` names no role",
        "`include` cannot be overridden per environment",
    ] {
        assert!(errors.contains(expected), "{expected}:\n{errors}");
    }
}

/// Hostile sizes stop with an error instead of reading the file once per environment or
/// matching every override against every item.
#[tokio::test(flavor = "multi_thread")]
async fn too_many_environments_or_overrides_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let many: String = (0..100)
        .map(|n| format!("[environments.e{n}]\nguild = \"{}\"\n", n + 1))
        .collect();
    std::fs::write(dir.path().join("server.toml"), &many).unwrap();
    let output = run(dir.path(), None, &["validate"]).await;
    assert_eq!(output.code, 1);
    assert!(
        output
            .stderr
            .contains("declares 100 environments; at most 32"),
        "{}",
        output.stderr
    );
    let overrides: String = (0..5_000)
        .map(|n| format!("[[environments.big.overrides.roles]]\nkey = \"r{n}\"\nname = \"R{n}\"\n"))
        .collect();
    std::fs::write(dir.path().join("server.toml"), &overrides).unwrap();
    let output = run(dir.path(), None, &["validate"]).await;
    assert_eq!(output.code, 1);
    assert!(
        output
            .stderr
            .contains("5000 overrides and omissions; at most 1000"),
        "{}",
        output.stderr
    );
}

/// One environment that fails does not stop the others: its section says so, and the run exits 1.
#[tokio::test(flavor = "multi_thread")]
async fn a_failing_environment_is_reported_and_the_others_still_plan() {
    let dir = tempfile::tempdir().unwrap();
    let text = format!("{ENVIRONMENTS}\n[environments.staging.overrides.guild]\nname = \"x\"\n");
    std::fs::write(dir.path().join("server.toml"), text).unwrap();
    let output = run(
        dir.path(),
        None,
        &["plan", "--sandbox", "--all-envs", "--json"],
    )
    .await;
    assert_eq!(output.code, 1, "{}", output.stderr);
    assert!(
        output.stderr.contains("server name is 1 character long"),
        "{}",
        output.stderr
    );
    let document: serde_json::Value = serde_json::from_str(&output.stdout).unwrap();
    let environments = document["environments"].as_array().unwrap();
    assert_eq!(environments[0]["environment"], "staging");
    assert!(environments[0]["error"].is_string());
    assert_eq!(environments[1]["environment"], "production");
    assert_eq!(environments[1]["plan"]["guild_name"], "Miyabi (sandbox)");
    let markdown = run(
        dir.path(),
        None,
        &["plan", "--sandbox", "--all-envs", "--markdown"],
    )
    .await;
    assert_eq!(markdown.code, 1);
    assert!(
        markdown
            .stdout
            .contains("## Environment `staging`\n\n> [!CAUTION]\n> **Failed:**"),
        "{}",
        markdown.stdout
    );
    assert!(
        markdown
            .stdout
            .contains("<!-- miyabi-guild:checksum:production ")
    );
}
