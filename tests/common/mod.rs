//! Shared harness for end-to-end tests: an emulator in the test process, the real binary
//! pointed at it, and output normalised for snapshots.

#![allow(dead_code)]

pub mod library;

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use miyabi_guild::emulator::state::{Member, Role, User};
use miyabi_guild::emulator::{Emulator, EmulatorConfig, GuildState};
use miyabi_guild::model::{DesiredOverwrites, DesiredTarget};
use serde_json::json;

pub const BIN: &str = env!("CARGO_BIN_EXE_miyabi-guild");

/// The repository root (where `server.toml` and `examples/` live).
pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// `server.toml` and `examples/*.toml`: every single-file server of the repository.
pub fn server_files() -> Vec<PathBuf> {
    let mut files = vec![repo().join("server.toml")];
    let mut examples: Vec<PathBuf> = std::fs::read_dir(repo().join("examples"))
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "toml"))
        .collect();
    examples.sort();
    files.extend(examples);
    files
}

/// The sandbox's hand-built starting guild.
pub fn sandbox_seed() -> GuildState {
    GuildState::from_json(miyabi_guild::sandbox::SEED).expect("the sandbox seed loads")
}

pub async fn start(state: GuildState) -> Emulator {
    Emulator::start(state, EmulatorConfig::default())
        .await
        .expect("emulator starts")
}

/// What one run of the binary printed.
#[derive(Debug)]
pub struct Output {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Output {
    /// stdout, stderr and exit code together, ids and ports filtered, for a snapshot.
    pub fn snapshot(&self) -> String {
        format!(
            "exit code: {}\n----- stdout -----\n{}----- stderr -----\n{}",
            self.code,
            filter(&self.stdout),
            filter(&self.stderr)
        )
    }
}

/// Replaces what changes between runs: snowflake ids, ports, temporary paths.
pub fn filter(text: &str) -> String {
    // Before ids: a checksum may hold a run of digits.
    let text = &filter_checksum(text);
    let mut out = String::with_capacity(text.len());
    let mut digits = String::new();
    let flush = |digits: &mut String, out: &mut String| {
        if digits.len() >= 15 {
            out.push_str("[id]");
        } else {
            out.push_str(digits);
        }
        digits.clear();
    };
    for character in text.chars() {
        if character.is_ascii_digit() {
            digits.push(character);
        } else {
            flush(&mut digits, &mut out);
            out.push(character);
        }
    }
    flush(&mut digits, &mut out);
    let mut filtered = String::new();
    for line in out.split_inclusive('\n') {
        filtered.push_str(&filter_time(&filter_port(line)));
    }
    filtered
}

/// A plan's checksum (64 hex digits) covers ids: `[checksum]`.
fn filter_checksum(line: &str) -> String {
    let mut out = String::new();
    let mut run = String::new();
    let flush = |run: &mut String, out: &mut String| {
        if run.len() == 64 {
            out.push_str("[checksum]");
        } else {
            out.push_str(run);
        }
        run.clear();
    };
    for character in line.chars() {
        if character.is_ascii_hexdigit() && !character.is_ascii_uppercase() {
            run.push(character);
        } else {
            flush(&mut run, &mut out);
            out.push(character);
        }
    }
    flush(&mut run, &mut out);
    out
}

/// An event's next occurrence depends on the day the test runs: `2026-12-07T12:00:00Z` and
/// `2026-12-07T12:00:00+00:00` become `[time]`.
fn filter_time(line: &str) -> String {
    let bytes: Vec<char> = line.chars().collect();
    let mut out = String::new();
    let mut i = 0;
    while i < bytes.len() {
        let window: String = bytes[i..bytes.len().min(i + 19)].iter().collect();
        let shape = window.len() == 19
            && window.chars().enumerate().all(|(k, c)| match k {
                4 | 7 => c == '-',
                10 => c == 'T',
                13 | 16 => c == ':',
                _ => c.is_ascii_digit(),
            });
        if shape {
            out.push_str("[time]");
            i += 19;
            while i < bytes.len()
                && (bytes[i].is_ascii_digit() || matches!(bytes[i], '.' | 'Z' | '+' | ':'))
            {
                i += 1;
            }
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    out
}

fn filter_port(line: &str) -> String {
    match line.find("127.0.0.1:") {
        Some(start) => {
            let rest = &line[start + "127.0.0.1:".len()..];
            let end = rest
                .find(|c: char| !c.is_ascii_digit())
                .unwrap_or(rest.len());
            format!(
                "{}127.0.0.1:[port]{}",
                &line[..start],
                filter_port(&rest[end..])
            )
        }
        None => line.to_owned(),
    }
}

/// Runs the binary in `dir` with `args`, pointed at `emulator` (when given) through the
/// environment a CI job would set. Blocking work runs off the async runtime so the in-process
/// emulator keeps answering.
pub async fn run(dir: &Path, emulator: Option<&Emulator>, args: &[&str]) -> Output {
    run_env(dir, emulator, args, &[]).await
}

/// [`run`], with `env` set on top (after the emulator's variables).
pub async fn run_env(
    dir: &Path,
    emulator: Option<&Emulator>,
    args: &[&str],
    env: &[(&str, &str)],
) -> Output {
    let mut command = Command::new(BIN);
    command
        .current_dir(dir)
        .args(args)
        .env_remove("DISCORD_TOKEN")
        .env_remove("MIYABI_GUILD_ID")
        .env_remove("MIYABI_API_URL")
        .env_remove("GITHUB_ACTIONS")
        .env("NO_COLOR", "1")
        .stdin(Stdio::null());
    if let Some(emulator) = emulator {
        let state = emulator.state();
        command
            .env("DISCORD_TOKEN", state.token())
            .env("MIYABI_API_URL", format!("http://{}", emulator.host()))
            .env("MIYABI_GUILD_ID", state.guild_id().to_string());
    }
    for (name, value) in env {
        command.env(name, value);
    }
    let output = tokio::task::spawn_blocking(move || command.output())
        .await
        .expect("the run finishes")
        .expect("the binary starts");
    Output {
        code: output.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    }
}

/// A temporary directory holding a copy of `file` as `server.toml`, with the folders of files
/// it refers to (`messages/`, `assets/`, `icons/`) copied beside it.
pub fn workspace(file: &Path) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temporary directory");
    std::fs::copy(file, dir.path().join("server.toml")).expect("copy the server file");
    let beside = file.parent().unwrap_or(Path::new("."));
    for folder in ["messages", "assets", "icons"] {
        copy_tree(&beside.join(folder), &dir.path().join(folder));
    }
    dir
}

/// Copies a folder with everything in it; nothing when it does not exist.
pub fn copy_tree(from: &Path, to: &Path) {
    let Ok(entries) = std::fs::read_dir(from) else {
        return;
    };
    std::fs::create_dir_all(to).expect("create a folder");
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            copy_tree(&path, &to.join(entry.file_name()));
        } else {
            std::fs::copy(&path, to.join(entry.file_name())).expect("copy a file");
        }
    }
}

/// The members and bots a file names in overwrites exist in the guild: Discord refuses
/// overwrites for unknown users, and a bot's role exists once the bot is invited.
pub fn with_members_of(mut state: GuildState, file: &Path) -> GuildState {
    let loaded = miyabi_guild::config::load(file).expect("the file is valid");
    for channel in &loaded.desired.channels {
        let DesiredOverwrites::Explicit(overwrites) = &channel.overwrites else {
            continue;
        };
        for overwrite in overwrites {
            if let DesiredTarget::Managed(name) = &overwrite.target {
                if !state
                    .roles
                    .iter()
                    .any(|role| role.managed && role.name == *name)
                {
                    add_bot(&mut state, name, "0");
                }
                continue;
            }
            if let DesiredTarget::Member(id) = overwrite.target {
                if state.users.iter().any(|user| user.id == id) {
                    continue;
                }
                state.users.push(
                    serde_json::from_value::<User>(
                        json!({ "id": id, "username": format!("user{id}") }),
                    )
                    .unwrap(),
                );
                state.members.push(
                    serde_json::from_value::<Member>(json!({ "user_id": id, "roles": [] }))
                        .unwrap(),
                );
            }
        }
    }
    // The staff roster names members: a roster member not in the guild is a plan error.
    for rostered in &loaded.desired.roster {
        for member in &rostered.members {
            if state.users.iter().any(|user| user.id == member.id) {
                continue;
            }
            let name = member
                .name
                .clone()
                .unwrap_or_else(|| format!("user{}", member.id));
            state.users.push(
                serde_json::from_value::<User>(json!({ "id": member.id, "username": name }))
                    .unwrap(),
            );
            state.members.push(
                serde_json::from_value::<Member>(json!({ "user_id": member.id, "roles": [] }))
                    .unwrap(),
            );
        }
    }
    state
}

/// Convergence: `plan --detailed-exitcode` against `emulator` finds no changes and sends no
/// write. Clears the emulator's record first, so the count is the plan's alone.
pub async fn assert_converged(dir: &Path, emulator: &Emulator) {
    emulator.clear_requests();
    let again = run(dir, Some(emulator), &["plan", "--detailed-exitcode"]).await;
    assert_eq!(
        again.code, 0,
        "not converged:\n{}\n{}",
        again.stdout, again.stderr
    );
    assert_eq!(
        miyabi_guild::emulator::RequestsExt::writes(emulator.requests().as_slice()),
        0,
        "a plan wrote"
    );
}

/// A bot that is in the guild: its role, which Discord manages, named `name`, with
/// `permissions` (a decimal bit set). Returns the role's id.
pub fn add_bot(state: &mut GuildState, name: &str, permissions: &str) -> u64 {
    let id = state.next_id();
    state.roles.push(
        serde_json::from_value::<Role>(json!({
            "id": id, "name": name, "managed": true, "position": 1, "permissions": permissions,
            "tags": { "bot_id": id.to_string() },
        }))
        .unwrap(),
    );
    id
}
