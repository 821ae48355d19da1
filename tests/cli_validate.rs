//! `validate` and `schema`: offline, every error at once, stable output.

mod common;

use common::{repo, run};

#[tokio::test(flavor = "multi_thread")]
async fn the_miyabi_file_is_valid() {
    let output = run(&repo(), None, &["validate"]).await;
    insta::assert_snapshot!("validate_miyabi", output.snapshot());
    assert_eq!(output.code, 0);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_broken_file_shows_every_error_with_location_snippet_and_hint() {
    // An unreachable API proves validate makes no request.
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(
        repo().join("tests/fixtures/broken.toml"),
        dir.path().join("server.toml"),
    )
    .unwrap();
    let output = run(
        dir.path(),
        None,
        &["validate", "--api-url", "http://127.0.0.1:9"],
    )
    .await;
    assert_eq!(output.code, 1);
    insta::assert_snapshot!("validate_broken", output.snapshot());
}

#[tokio::test(flavor = "multi_thread")]
async fn a_missing_file_says_how_to_point_at_one() {
    let dir = tempfile::tempdir().unwrap();
    let output = run(dir.path(), None, &["validate"]).await;
    assert_eq!(output.code, 1);
    insta::assert_snapshot!("validate_missing_file", output.snapshot());
}

#[tokio::test(flavor = "multi_thread")]
async fn schema_prints_the_committed_schema() {
    let output = run(&repo(), None, &["schema"]).await;
    assert_eq!(output.code, 0);
    let committed = std::fs::read_to_string(repo().join("schemas/server.schema.json")).unwrap();
    assert_eq!(output.stdout, committed);
}
