//! The README matches the real tool: its "JSON output" examples have exactly the top-level keys
//! of the real documents, and its exit-status and environment tables are the help texts.

mod common;

use std::collections::BTreeSet;

use common::{repo, run, workspace};
use serde_json::Value;

/// The JSON block that follows the README paragraph starting with `**`heading`**`.
fn readme_example(heading: &str) -> Value {
    let readme = std::fs::read_to_string(repo().join("README.md")).unwrap();
    let section = &readme[readme.find("## JSON output").expect("a JSON section")..];
    let start = section
        .find(&format!("**`{heading}`**"))
        .unwrap_or_else(|| panic!("the README documents `{heading}`"));
    let block = &section[start..];
    let open = block.find("```json\n").expect("an example") + "```json\n".len();
    let close = open + block[open..].find("```").expect("the example ends");
    serde_json::from_str(&block[open..close])
        .unwrap_or_else(|error| panic!("the `{heading}` example is not JSON: {error}"))
}

fn keys(value: &Value) -> BTreeSet<String> {
    value
        .as_object()
        .expect("an object")
        .keys()
        .cloned()
        .collect()
}

#[tokio::test(flavor = "multi_thread")]
async fn the_readme_examples_have_the_real_documents_keys() {
    let dir = workspace(&repo().join("server.toml"));
    for (heading, args) in [
        ("plan --json", vec!["plan", "--sandbox", "--json"]),
        ("drift --json", vec!["drift", "--sandbox", "--json"]),
        ("access --json", vec!["access", "--json"]),
    ] {
        let output = run(dir.path(), None, &args).await;
        let real: Value = serde_json::from_str(&output.stdout)
            .unwrap_or_else(|error| panic!("{args:?}: {error}\n{}", output.stderr));
        assert_eq!(
            keys(&readme_example(heading)),
            keys(&real),
            "README's `{heading}` example vs the real output"
        );
        assert_eq!(real["format_version"], 1, "{heading}");
    }
}

/// The README's exit-status and environment tables are the ones `--help` and `man` print.
#[test]
fn the_readme_tables_of_exit_statuses_and_variables_are_the_help_texts() {
    let readme = std::fs::read_to_string(repo().join("README.md")).unwrap();
    for table in [
        miyabi_guild::cli::docs::exit_status_markdown(),
        miyabi_guild::cli::docs::environment_markdown(),
    ] {
        assert!(
            readme.contains(&table),
            "README.md lacks this table (from src/cli/docs.rs):\n{table}"
        );
    }
}
