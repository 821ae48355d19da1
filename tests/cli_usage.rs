//! Usage errors exit 1 on every command, never 2 (exit 2 means "changes" or "drift" and nothing
//! else), and say what was wrong; `--help` and `--version` exit 0; the long help carries the
//! exit-status and environment sections.

mod common;

use std::process::{Command, Stdio};

use common::BIN;

const SUBCOMMANDS: &[&str] = &[
    "validate",
    "plan",
    "access",
    "apply",
    "drift",
    "import",
    "schema",
    "emulator",
    "webhooks",
    "completions",
    "man",
];

struct Run {
    code: Option<i32>,
    stdout: String,
    stderr: String,
}

/// Runs the binary in an empty folder with no token, no guild, no terminal and the default help
/// width; `env` is set on top of that.
fn miyabi_guild(args: &[&str], env: &[(&str, &str)]) -> Run {
    let dir = tempfile::tempdir().unwrap();
    let mut command = Command::new(BIN);
    command
        .args(args)
        .current_dir(dir.path())
        .stdin(Stdio::null());
    for name in [
        "DISCORD_TOKEN",
        "MIYABI_GUILD_ID",
        "MIYABI_API_URL",
        "GITHUB_ACTIONS",
        "COLUMNS",
    ] {
        command.env_remove(name);
    }
    command.envs(env.iter().copied());
    let output = command.output().unwrap();
    Run {
        code: output.status.code(),
        stdout: String::from_utf8(output.stdout).unwrap(),
        stderr: String::from_utf8(output.stderr).unwrap(),
    }
}

/// Asserts that `args` (with `env`) is a usage error: exit 1, and `error:` on stderr naming
/// each of `named`.
fn assert_usage_error(args: &[&str], env: &[(&str, &str)], named: &[&str]) {
    let run = miyabi_guild(args, env);
    assert_eq!(run.code, Some(1), "{args:?} {env:?}: {}", run.stderr);
    assert!(run.stderr.starts_with("error:"), "{args:?}: {}", run.stderr);
    for word in named {
        assert!(
            run.stderr.contains(word),
            "{args:?} {env:?}: stderr does not name {word}: {}",
            run.stderr
        );
    }
    assert!(run.stdout.is_empty(), "{args:?}: {}", run.stdout);
}

#[test]
fn an_unknown_flag_exits_1_on_every_command() {
    assert_usage_error(&["--no-such-flag"], &[], &["'--no-such-flag'"]);
    for subcommand in SUBCOMMANDS {
        assert_usage_error(&[subcommand, "--no-such-flag"], &[], &["'--no-such-flag'"]);
    }
}

#[test]
fn a_bad_guild_id_exits_1_on_every_command() {
    for subcommand in SUBCOMMANDS {
        assert_usage_error(
            &[subcommand, "--guild", "notanumber"],
            &[],
            &["'notanumber'", "--guild"],
        );
        assert_usage_error(&[subcommand], &[("MIYABI_GUILD_ID", "")], &["--guild"]);
    }
}

#[test]
fn a_bad_value_or_a_missing_argument_exits_1() {
    let cases: &[(&[&str], &[&str])] = &[
        (&["completions", "notashell"], &["'notashell'", "bash"]),
        (&["completions"], &["<SHELL>"]),
        (
            &["emulator", "--port", "notaport"],
            &["'notaport'", "--port"],
        ),
        (&["emulator", "--port", "65536"], &["'65536'", "--port"]),
        (&["webhooks"], &["--out"]),
        (&["webhooks", "--out", "-", "--format", "yaml"], &["'yaml'"]),
        (
            &["access", "--json", "--markdown"],
            &["--json", "--markdown"],
        ),
        (&["access", "--live", "--compare"], &["--live", "--compare"]),
        (&["man", "--out-dir"], &["--out-dir"]),
        (&["schema", "extra"], &["'extra'"]),
        (&["plan", "--config"], &["--config"]),
        (&["apply", "one.json", "two.json"], &["'two.json'"]),
        (&["no-such-command"], &["'no-such-command'"]),
    ];
    for (args, named) in cases {
        assert_usage_error(args, &[], named);
    }
}

#[test]
fn no_command_prints_the_help_on_stderr_and_exits_1() {
    let run = miyabi_guild(&[], &[]);
    assert_eq!(run.code, Some(1), "{}", run.stderr);
    assert!(run.stderr.contains("Usage: miyabi-guild"), "{}", run.stderr);
    assert!(run.stdout.is_empty(), "{}", run.stdout);
}

#[test]
fn help_and_version_exit_0_on_stdout() {
    let version = miyabi_guild(&["--version"], &[]);
    assert_eq!(version.code, Some(0), "{}", version.stderr);
    assert_eq!(
        version.stdout,
        format!("miyabi-guild {}\n", env!("CARGO_PKG_VERSION"))
    );
    for args in [&["--help"][..], &["-h"], &["help"], &["help", "plan"]] {
        let help = miyabi_guild(args, &[]);
        assert_eq!(help.code, Some(0), "{args:?}: {}", help.stderr);
        assert!(help.stdout.contains("Usage:"), "{args:?}: {}", help.stdout);
    }
    for subcommand in SUBCOMMANDS {
        for flag in ["--help", "-h", "--version"] {
            let run = miyabi_guild(&[subcommand, flag], &[]);
            assert_eq!(run.code, Some(0), "{subcommand} {flag}: {}", run.stderr);
            assert!(!run.stdout.is_empty(), "{subcommand} {flag}");
        }
    }
}

#[test]
fn the_long_help_of_every_command_has_exit_status_and_environment() {
    for args in std::iter::once(vec!["--help"]).chain(
        SUBCOMMANDS
            .iter()
            .map(|subcommand| vec![*subcommand, "--help"]),
    ) {
        let help = miyabi_guild(&args, &[]).stdout;
        for section in ["Exit status:\n  0 ", "Environment:\n  DISCORD_TOKEN "] {
            assert!(
                help.contains(section),
                "{args:?} lacks {section:?}:\n{help}"
            );
        }
    }
    // The summary (`-h`) stays short.
    let short = miyabi_guild(&["plan", "-h"], &[]).stdout;
    assert!(!short.contains("Exit status:"), "{short}");
}

#[test]
fn plan_help_exit_status_and_environment() {
    let help = miyabi_guild(&["plan", "--help"], &[]).stdout;
    let start = help.find("Exit status:").expect("an exit status section");
    insta::assert_snapshot!(&help[start..]);
}
