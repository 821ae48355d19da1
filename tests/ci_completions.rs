//! Shell completions and the man page are generated from the clap definitions and know every
//! command, including the ones CI uses.

mod common;

use std::process::Command;

use common::BIN;

fn stdout_of(args: &[&str]) -> String {
    let output = Command::new(BIN).args(args).output().unwrap();
    assert!(output.status.success(), "{args:?}: {output:?}");
    String::from_utf8(output.stdout).unwrap()
}

#[test]
fn completions_for_each_shell_know_drift_and_markdown() {
    for shell in ["bash", "zsh", "fish"] {
        let script = stdout_of(&["completions", shell]);
        for word in [
            "drift",
            "plan",
            "markdown",
            "detailed-exitcode",
            "completions",
        ] {
            assert!(script.contains(word), "{shell} completions lack {word}");
        }
    }
    assert!(stdout_of(&["completions", "zsh"]).starts_with("#compdef miyabi-guild"));
}

#[test]
fn the_man_page_lists_the_commands_and_one_page_per_command_can_be_written() {
    let page = stdout_of(&["man"]);
    assert!(page.contains(".TH miyabi-guild 1"), "{page}");
    assert!(page.contains("drift"), "{page}");
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("man1");
    stdout_of(&["man", "--out-dir", out.to_str().unwrap()]);
    for page in [
        "miyabi-guild.1",
        "miyabi-guild-drift.1",
        "miyabi-guild-plan.1",
    ] {
        assert!(out.join(page).exists(), "{page} missing");
    }
}
