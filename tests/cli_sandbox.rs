//! The first thing a new user does: plan, apply and plan again on the built-in sandbox, with no
//! token. Snapshots of stdout, stderr and exit code together.

mod common;

use common::{repo, run, workspace};

#[tokio::test(flavor = "multi_thread")]
async fn plan_apply_plan_on_the_sandbox_tells_the_whole_story() {
    let dir = workspace(&repo().join("server.toml"));

    let plan = run(
        dir.path(),
        None,
        &["plan", "--sandbox", "--detailed-exitcode"],
    )
    .await;
    assert_eq!(plan.code, 2, "{}", plan.stderr);
    insta::assert_snapshot!("sandbox_1_plan", plan.snapshot());

    let apply = run(dir.path(), None, &["apply", "--sandbox", "--auto-approve"]).await;
    assert_eq!(apply.code, 0, "{}", apply.stderr);
    insta::assert_snapshot!("sandbox_2_apply", apply.snapshot());

    let again = run(
        dir.path(),
        None,
        &["plan", "--sandbox", "--detailed-exitcode"],
    )
    .await;
    assert_eq!(again.code, 0, "{}", again.stdout);
    insta::assert_snapshot!("sandbox_3_plan_after_apply", again.snapshot());

    let second_apply = run(dir.path(), None, &["apply", "--sandbox", "--auto-approve"]).await;
    assert_eq!(second_apply.code, 0);
    assert!(
        second_apply.stdout.contains("No changes."),
        "{}",
        second_apply.stdout
    );
    assert!(
        !second_apply.stdout.contains("Apply complete"),
        "a converged guild needs no apply"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn without_a_token_and_without_a_terminal_the_sandbox_is_refused() {
    // (At a terminal the sandbox is used with a note: tests/cli_trust.rs.)
    let dir = workspace(&repo().join("server.toml"));
    let plan = run(dir.path(), None, &["plan"]).await;
    assert_eq!(plan.code, 1, "{}", plan.stderr);
    assert!(
        plan.stderr
            .contains("refusing to fall back to the built-in sandbox"),
        "{}",
        plan.stderr
    );
    assert!(!dir.path().join(".miyabi-guild").exists());
}

#[tokio::test(flavor = "multi_thread")]
async fn apply_refuses_to_prompt_without_a_terminal_and_changes_nothing() {
    let dir = workspace(&repo().join("server.toml"));
    let apply = run(dir.path(), None, &["apply", "--sandbox"]).await;
    assert_eq!(apply.code, 1);
    let stderr = common::filter(&apply.stderr);
    insta::assert_snapshot!("apply_without_terminal_stderr", stderr);
    // Nothing was written: the next plan still has every change.
    let plan = run(
        dir.path(),
        None,
        &["plan", "--sandbox", "--detailed-exitcode"],
    )
    .await;
    assert_eq!(plan.code, 2);
}

#[tokio::test(flavor = "multi_thread")]
async fn plan_json_is_the_plan_as_data() {
    let dir = workspace(&repo().join("server.toml"));
    let plan = run(
        dir.path(),
        None,
        &["plan", "--sandbox", "--json", "--out", "plan.json"],
    )
    .await;
    assert_eq!(plan.code, 0, "{}", plan.stderr);
    let printed: serde_json::Value = serde_json::from_str(&plan.stdout).expect("stdout is JSON");
    let saved: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.path().join("plan.json")).unwrap()).unwrap();
    assert_eq!(printed, saved);
    assert_eq!(printed["format_version"], 1);
    let summary = &printed["summary"];
    let changes = printed["changes"].as_array().unwrap();
    let total = ["create", "update", "delete", "reorder"]
        .iter()
        .map(|k| summary[k].as_u64().unwrap())
        .sum::<u64>();
    assert_eq!(total as usize, changes.len());
    assert!(changes.iter().any(|c| c["action"] == "create_role"));
}
