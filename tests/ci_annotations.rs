//! In GitHub Actions, errors in `server.toml` are also workflow annotations, so they show on
//! the changed line of a pull request; elsewhere they are not.

mod common;

use std::process::{Command, Stdio};

use common::{BIN, repo};

fn validate_broken(github_actions: Option<&str>) -> (i32, String) {
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(
        repo().join("tests/fixtures/broken.toml"),
        dir.path().join("server.toml"),
    )
    .unwrap();
    let mut command = Command::new(BIN);
    command
        .current_dir(dir.path())
        .arg("validate")
        .env_remove("GITHUB_ACTIONS")
        .env("NO_COLOR", "1")
        .stdin(Stdio::null());
    if let Some(value) = github_actions {
        command.env("GITHUB_ACTIONS", value);
    }
    let output = command.output().unwrap();
    (
        output.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

#[test]
fn in_github_actions_every_error_is_also_an_annotation() {
    let (code, stderr) = validate_broken(Some("true"));
    assert_eq!(code, 1);
    let annotations: Vec<&str> = stderr
        .lines()
        .filter(|line| line.starts_with("::"))
        .collect();
    let located = stderr
        .lines()
        .filter(|l| l.trim_start().starts_with("--> server.toml:"))
        .count();
    assert!(
        annotations
            .iter()
            .any(|a| a.starts_with("::error file=server.toml,line=")),
        "{stderr}"
    );
    assert_eq!(annotations.len(), located, "one per diagnostic: {stderr}");
    insta::assert_snapshot!("broken_annotations", annotations.join("\n"));
}

#[test]
fn outside_github_actions_there_are_no_annotations() {
    let (code, stderr) = validate_broken(None);
    assert_eq!(code, 1);
    assert!(!stderr.contains("::error"), "{stderr}");
    let (_, stderr) = validate_broken(Some("false"));
    assert!(!stderr.contains("::error"), "{stderr}");
}
