//! Trustworthy in CI: never a silent sandbox, outputs that say when they were made on the
//! sandbox, the checksum gate that applies only what was reviewed, and Ctrl-C during an apply.
//! Every case runs the real binary; writes are counted by the emulator.

mod common;

use std::process::{Command, Stdio};
use std::time::Duration;

use common::{BIN, repo, run, sandbox_seed, start, with_members_of, workspace};
use miyabi_guild::emulator::{Emulator, EmulatorConfig, GuildState, RequestsExt};
use serde_json::Value;

/// Runs the binary with `env` set on top of the harness's clean environment.
async fn run_with(dir: &std::path::Path, args: &[&str], env: &[(&str, &str)]) -> common::Output {
    common::run_env(dir, None, args, env).await
}

#[tokio::test(flavor = "multi_thread")]
async fn a_missing_token_in_ci_is_an_error_that_names_the_variable_and_sends_nothing() {
    let dir = workspace(&repo().join("server.toml"));
    let emulator = start(sandbox_seed()).await;
    let api = format!("http://{}", emulator.host());
    for (label, args, env) in [
        ("CI=true", vec!["plan"], vec![("CI", "true")]),
        (
            "GitHub Actions",
            vec!["apply", "--auto-approve"],
            vec![("CI", "true"), ("GITHUB_ACTIONS", "true")],
        ),
        (
            "an empty secret",
            vec!["drift"],
            vec![("DISCORD_TOKEN", "")],
        ),
        ("--guild", vec!["plan", "--guild", "123"], vec![]),
        (
            "--api-url",
            vec!["apply", "--auto-approve", "--api-url", api.as_str()],
            vec![],
        ),
        ("no terminal", vec!["import"], vec![]),
    ] {
        let output = run_with(dir.path(), &args, &env).await;
        assert_eq!(output.code, 1, "{label}: {}", output.stderr);
        assert!(
            output.stderr.contains("DISCORD_TOKEN is"),
            "{label}: {}",
            output.stderr
        );
        assert!(output.stdout.is_empty(), "{label}: {}", output.stdout);
        assert!(
            !dir.path().join(".miyabi-guild").exists(),
            "{label}: the sandbox was started"
        );
    }
    assert!(
        emulator.requests().is_empty(),
        "requests were sent: {:?}",
        emulator.requests()
    );
    let actions = run_with(
        dir.path(),
        &["plan"],
        &[("CI", "true"), ("GITHUB_ACTIONS", "true")],
    )
    .await;
    insta::assert_snapshot!("missing_token_in_github_actions", actions.snapshot());
}

#[tokio::test(flavor = "multi_thread")]
async fn at_a_terminal_without_a_token_the_sandbox_is_used_and_the_user_is_told() {
    let dir = workspace(&repo().join("server.toml"));
    // `script` gives the binary a terminal, as a person's shell would.
    let command = format!("{BIN} plan --quiet");
    let output = tokio::task::spawn_blocking({
        let dir = dir.path().to_owned();
        move || {
            Command::new("script")
                .args(["-qec", &command, "/dev/null"])
                .current_dir(dir)
                .env_remove("DISCORD_TOKEN")
                .env_remove("MIYABI_GUILD_ID")
                .env_remove("MIYABI_API_URL")
                .env_remove("CI")
                .env_remove("GITHUB_ACTIONS")
                .env("NO_COLOR", "1")
                .stdin(Stdio::null())
                .output()
        }
    })
    .await
    .unwrap();
    let Ok(output) = output else {
        eprintln!("`script` (util-linux) is not installed: skipped");
        return;
    };
    let text = String::from_utf8_lossy(&output.stdout);
    assert!(
        text.contains("no DISCORD_TOKEN set: using the built-in sandbox guild"),
        "{text}"
    );
    assert!(text.contains("(sandbox)"), "{text}");
    assert!(dir.path().join(".miyabi-guild/sandbox.json").exists());
}

/// The first lines of every output made on the sandbox name it.
#[tokio::test(flavor = "multi_thread")]
async fn every_output_made_on_the_sandbox_says_so() {
    let dir = workspace(&repo().join("server.toml"));
    let human = run(dir.path(), None, &["plan", "--sandbox"]).await;
    assert!(
        human
            .stdout
            .starts_with("Plan for \"Miyabi (sandbox)\" (sandbox):"),
        "{}",
        human.stdout
    );
    let markdown = run(dir.path(), None, &["plan", "--sandbox", "--markdown"]).await;
    let header = markdown.stdout.lines().nth(1).unwrap_or_default();
    assert!(header.ends_with("(sandbox)"), "{header}");
    let quiet = run(dir.path(), None, &["plan", "--sandbox", "--quiet"]).await;
    assert_eq!(quiet.stdout.lines().count(), 1, "{}", quiet.stdout);
    assert!(quiet.stdout.starts_with("Plan: "), "{}", quiet.stdout);

    for args in [
        vec!["plan", "--sandbox", "--json"],
        vec!["drift", "--sandbox", "--json"],
        vec!["access", "--sandbox", "--live", "--json"],
        vec!["access", "--sandbox", "--compare", "--json"],
    ] {
        let output = run(dir.path(), None, &args).await;
        let json: Value = serde_json::from_str(&output.stdout)
            .unwrap_or_else(|e| panic!("{args:?}: {e}\n{}", output.stderr));
        assert_eq!(json["sandbox"], true, "{args:?}");
        assert_eq!(json["format_version"], 1, "{args:?}");
    }
    let drift = run(dir.path(), None, &["drift", "--sandbox"]).await;
    assert!(
        drift
            .stdout
            .starts_with("Drift for \"Miyabi (sandbox)\" (sandbox):"),
        "{}",
        drift.stdout
    );
    let drift = run(dir.path(), None, &["drift", "--sandbox", "--markdown"]).await;
    assert!(
        drift
            .stdout
            .lines()
            .nth(1)
            .unwrap_or_default()
            .ends_with("(sandbox)"),
        "{}",
        drift.stdout
    );
}

/// `Plan checksum: `HEX`` from `plan --markdown`.
fn checksum_of(markdown: &str) -> String {
    let marker = miyabi_guild::render::markdown::CHECKSUM_MARKER;
    let start = markdown.find(marker).expect("the Markdown has a checksum") + marker.len();
    markdown[start..start + 64].to_owned()
}

#[tokio::test(flavor = "multi_thread")]
async fn the_checksum_gate_applies_the_reviewed_plan_and_refuses_a_changed_one() {
    let file = repo().join("examples/small-open-source.toml");
    let dir = workspace(&file);
    let emulator = start(with_members_of(GuildState::new_empty("Gate"), &file)).await;

    let review = run(dir.path(), Some(&emulator), &["plan", "--markdown"]).await;
    assert_eq!(review.code, 0, "{}", review.stderr);
    let reviewed = checksum_of(&review.stdout);
    let saved = run(dir.path(), Some(&emulator), &["plan", "--out", "plan.json"]).await;
    assert_eq!(saved.code, 0, "{}", saved.stderr);
    let document: Value =
        serde_json::from_str(&std::fs::read_to_string(dir.path().join("plan.json")).unwrap())
            .unwrap();
    assert_eq!(document["checksum"], reviewed.as_str());

    // The file changes after review: the plan is not the one reviewed.
    let text = std::fs::read_to_string(dir.path().join("server.toml")).unwrap();
    let changed = text.replacen("name = \"", "name = \"Renamed ", 1);
    assert_ne!(changed, text);
    std::fs::write(dir.path().join("server.toml"), &changed).unwrap();
    emulator.clear_requests();
    let refused = run(
        dir.path(),
        Some(&emulator),
        &["apply", "--auto-approve", "--expect-checksum", &reviewed],
    )
    .await;
    assert_eq!(refused.code, 1, "{}", refused.stderr);
    assert!(
        refused.stderr.contains("the plan changed since review"),
        "{}",
        refused.stderr
    );
    assert_eq!(emulator.requests().writes(), 0);

    // The reviewed file: applied, then converged.
    std::fs::write(dir.path().join("server.toml"), &text).unwrap();
    let applied = run(
        dir.path(),
        Some(&emulator),
        &["apply", "--auto-approve", "--expect-checksum", &reviewed],
    )
    .await;
    assert_eq!(applied.code, 0, "{}\n{}", applied.stdout, applied.stderr);
    assert!(emulator.requests().writes() > 0);
    common::assert_converged(dir.path(), &emulator).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn ctrl_c_during_an_apply_reports_exits_130_and_a_rerun_converges() {
    let file = repo().join("server.toml");
    let dir = workspace(&file);
    let config = EmulatorConfig {
        latency: Duration::from_millis(60),
        ..EmulatorConfig::default()
    };
    let state = with_members_of(GuildState::new_empty("Interrupted"), &file);
    let emulator = Emulator::start(state, config).await.unwrap();
    let child = Command::new(BIN)
        .current_dir(dir.path())
        .args(["apply", "--auto-approve"])
        .env_remove("CI")
        .env_remove("GITHUB_ACTIONS")
        .env("NO_COLOR", "1")
        .env("DISCORD_TOKEN", emulator.state().token())
        .env("MIYABI_API_URL", format!("http://{}", emulator.host()))
        .env("MIYABI_GUILD_ID", emulator.state().guild_id().to_string())
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // Interrupt once a few writes have landed (bounded: at most 30 s of polling).
    let mut waited = 0;
    while emulator.requests().writes() < 5 && waited < 600 {
        tokio::time::sleep(Duration::from_millis(50)).await;
        waited += 1;
    }
    assert!(emulator.requests().writes() >= 5, "the apply never wrote");
    let kill = Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(kill.success());
    let output = tokio::task::spawn_blocking(move || child.wait_with_output())
        .await
        .unwrap()
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert_eq!(output.status.code(), Some(130), "{stdout}");
    assert!(
        stdout.contains("Apply incomplete: interrupted (Ctrl-C)"),
        "{stdout}"
    );
    assert!(stdout.contains("not done ("), "{stdout}");
    assert!(stdout.contains("Run apply again"), "{stdout}");

    let rerun = run(dir.path(), Some(&emulator), &["apply", "--auto-approve"]).await;
    assert_eq!(rerun.code, 0, "{}\n{}", rerun.stdout, rerun.stderr);
    common::assert_converged(dir.path(), &emulator).await;
    let names: Vec<String> = emulator
        .state()
        .channels
        .iter()
        .map(|c| format!("{}/{}", c.name, c.kind))
        .collect();
    let mut unique = names.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), names.len(), "duplicates after the rerun");
}
