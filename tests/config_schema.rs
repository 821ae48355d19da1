//! The committed JSON Schema is what the code generates, and it agrees with the reader.

use std::path::Path;

use miyabi_guild::config;

const SCHEMA_PATH: &str = "schemas/server.schema.json";

/// Fails when `schemas/server.schema.json` is stale. Regenerate with
/// `UPDATE_SCHEMA=1 cargo test --test config_schema` (or `cargo run -- schema > schemas/server.schema.json`).
#[test]
fn committed_schema_is_up_to_date() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(SCHEMA_PATH);
    let generated = config::json_schema();
    if std::env::var_os("UPDATE_SCHEMA").is_some() {
        std::fs::write(&path, &generated).expect("write the schema");
        return;
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        committed == generated,
        "{SCHEMA_PATH} is stale; regenerate it with:\n\n    UPDATE_SCHEMA=1 cargo test --test config_schema\n\n\
         (or `cargo run -- schema > {SCHEMA_PATH}` once the `schema` subcommand exists)"
    );
}

fn schema_value() -> serde_json::Value {
    serde_json::from_str(&config::json_schema()).expect("the schema is JSON")
}

fn toml_as_json(path: &Path) -> serde_json::Value {
    let text = std::fs::read_to_string(path).expect("read");
    toml::from_str(&text).expect("TOML")
}

fn toml_files() -> Vec<std::path::PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = vec![root.join("server.toml")];
    let mut examples: Vec<_> = std::fs::read_dir(root.join("examples"))
        .expect("examples/")
        .map(|entry| entry.expect("entry").path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "toml"))
        .collect();
    examples.sort();
    files.extend(examples);
    // A split layout: the main file and every included file validate on their own.
    let layout = root.join("examples/miyabi/server.toml");
    files.extend(config::layout_files(&layout).expect("the layout's files"));
    files
}

#[test]
fn every_valid_file_also_satisfies_the_schema() {
    let schema = schema_value();
    let validator = jsonschema::validator_for(&schema).expect("a valid JSON Schema");
    for path in toml_files() {
        let instance = toml_as_json(&path);
        let errors: Vec<String> = validator
            .iter_errors(&instance)
            .map(|error| format!("{} at {}", error, error.instance_path))
            .collect();
        assert!(
            errors.is_empty(),
            "{} does not satisfy the schema:\n{}",
            path.display(),
            errors.join("\n")
        );
    }
}

#[test]
fn the_schema_rejects_what_the_reader_rejects() {
    let schema = schema_value();
    let validator = jsonschema::validator_for(&schema).expect("a valid JSON Schema");
    let cases = [
        r##"[[roles]]
key = "mod"
name = "Mod"
colour = "#ffffff""##,
        r##"[[roles]]
key = "mod"
name = "Mod"
permissions = ["send_mesages"]"##,
        r##"[[roles]]
name = "no key""##,
        r##"[[channels]]
name = "x"
type = "directory""##,
        r##"[[categories]]
name = "x"
overwrites = [{ allow = ["view_channel"] }]"##,
    ];
    for case in cases {
        let instance: serde_json::Value = toml::from_str(case).expect("TOML");
        assert!(
            !validator.is_valid(&instance),
            "the schema accepts:\n{case}"
        );
        let source = config::Source::new("case.toml", case);
        assert!(
            config::parse(source).is_err(),
            "the reader accepts:\n{case}"
        );
    }
}

#[test]
fn permission_names_are_an_enum_for_completion() {
    let schema = config::json_schema();
    for (_, name) in miyabi_guild::permissions::FLAGS {
        assert!(
            schema.contains(&format!("\"{name}\"")),
            "`{name}` missing from the schema"
        );
    }
}
