//! `fmt`: canonical layout, every comment kept, idempotent; `--check` for CI; on the repo's own
//! files and on generated files with comments everywhere.

mod common;

use std::fmt::Write as _;

use common::{repo, run};
use miyabi_guild::config::format::{comments, format, lost_comments};
use proptest::prelude::*;

const UNFORMATTED: &str = r#"[guild]
name = "Demo"

# Posting comes with the member role.
[everyone]
permissions = ["send_messages", "view_channel"]   # the basics

[[roles]]
name =   "Admin"
key = "admin"
permissions = ["administrator"]
"#;

#[tokio::test(flavor = "multi_thread")]
async fn check_prints_the_diff_exits_1_and_writes_nothing_then_fmt_formats() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("server.toml");
    std::fs::write(&file, UNFORMATTED).unwrap();

    let check = run(dir.path(), None, &["fmt", "--check"]).await;
    assert_eq!(check.code, 1, "{}", check.stderr);
    insta::assert_snapshot!("fmt_check_diff", check.snapshot());
    assert_eq!(std::fs::read_to_string(&file).unwrap(), UNFORMATTED);

    let fmt = run(dir.path(), None, &["fmt"]).await;
    assert_eq!(fmt.code, 0, "{}", fmt.stderr);
    let formatted = std::fs::read_to_string(&file).unwrap();
    insta::assert_snapshot!("fmt_formatted", formatted);
    assert!(lost_comments(UNFORMATTED, &formatted).is_empty());

    let again = run(dir.path(), None, &["fmt", "--check"]).await;
    assert_eq!(again.code, 0, "{}", again.stderr);
    assert_eq!(again.stdout, "server.toml is formatted.\n");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_syntax_error_is_shown_in_context_and_nothing_is_written() {
    let dir = tempfile::tempdir().unwrap();
    let text = "[guild]\nname = \"Demo\n";
    std::fs::write(dir.path().join("server.toml"), text).unwrap();
    let output = run(dir.path(), None, &["fmt"]).await;
    assert_eq!(output.code, 1);
    assert!(
        output.stderr.contains("server.toml:2:"),
        "{}",
        output.stderr
    );
    assert_eq!(
        std::fs::read_to_string(dir.path().join("server.toml")).unwrap(),
        text
    );
}

/// Every TOML file of the repository: formatting keeps its comments and is idempotent; the
/// server file and the examples are formatted (the broken fixtures are left as they are).
#[test]
fn every_toml_file_in_the_repo_round_trips() {
    let mut files = Vec::new();
    let mut stack = vec![repo().join("examples"), repo().join("tests/fixtures")];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "toml") {
                files.push(path);
            }
        }
    }
    files.push(repo().join("server.toml"));
    let mut formatted_files = 0;
    for path in files {
        let text = std::fs::read_to_string(&path).unwrap();
        let Ok(once) = format(&text) else {
            assert!(
                path.starts_with(repo().join("tests/fixtures")),
                "{}",
                path.display()
            );
            continue;
        };
        assert_eq!(
            lost_comments(&text, &once),
            Vec::<String>::new(),
            "{}",
            path.display()
        );
        assert_eq!(format(&once).unwrap(), once, "{}", path.display());
        if !path.starts_with(repo().join("tests/fixtures")) {
            assert!(
                once == text,
                "{} is not formatted: run `miyabi-guild fmt --config {}`",
                path.display(),
                path.display()
            );
            formatted_files += 1;
        }
    }
    assert!(formatted_files >= 5);
}

const PERMISSIONS: &[&str] = &[
    "view_channel",
    "send_messages",
    "add_reactions",
    "manage_messages",
    "read_message_history",
    "connect",
    "speak",
    "kick_members",
    "create_public_threads",
    "use_external_emojis",
    "change_nickname",
    "pin_messages",
];

/// A generated server file with a numbered comment in every place a comment can go.
struct Generated {
    text: String,
    comment: usize,
}

impl Generated {
    fn comment(&mut self, rng: &mut fastrand::Rng) -> Option<String> {
        rng.bool().then(|| {
            self.comment += 1;
            format!("# note {}", self.comment)
        })
    }

    fn line_comment(&mut self, rng: &mut fastrand::Rng) {
        if let Some(comment) = self.comment(rng) {
            let _ = writeln!(self.text, "{comment}");
        }
    }

    fn end_of_line(&mut self, rng: &mut fastrand::Rng) {
        match self.comment(rng) {
            Some(comment) => {
                let _ = writeln!(self.text, "  {comment}");
            }
            None => self.text.push('\n'),
        }
    }

    fn permission_list(&mut self, rng: &mut fastrand::Rng, multi_line: bool) {
        let mut names: Vec<&str> = PERMISSIONS.to_vec();
        rng.shuffle(&mut names);
        names.truncate(rng.usize(0..=names.len()));
        self.text.push('[');
        for name in names {
            if multi_line {
                self.text.push('\n');
                if let Some(comment) = self.comment(rng) {
                    let _ = writeln!(self.text, "    {comment}");
                }
                let _ = write!(self.text, "    \"{name}\",");
                if let Some(comment) = self.comment(rng) {
                    let _ = write!(self.text, " {comment}");
                }
            } else {
                let _ = write!(self.text, "\"{name}\", ");
            }
        }
        if multi_line {
            self.text.push('\n');
        }
        self.text.push(']');
    }

    fn file(seed: u64) -> String {
        let mut rng = fastrand::Rng::with_seed(seed);
        let mut file = Generated {
            text: String::new(),
            comment: 0,
        };
        file.line_comment(&mut rng);
        file.text.push_str("[everyone]\n");
        file.line_comment(&mut rng);
        file.text.push_str("permissions = ");
        let multi = rng.bool();
        file.permission_list(&mut rng, multi);
        file.end_of_line(&mut rng);
        for role in 0..rng.usize(0..4) {
            file.text.push('\n');
            file.line_comment(&mut rng);
            file.text.push_str("[[roles]]\n");
            let mut keys = vec!["key", "name", "hoist", "color", "permissions"];
            rng.shuffle(&mut keys);
            for key in keys {
                file.line_comment(&mut rng);
                match key {
                    "key" => file.text.push_str(&format!("key = \"role-{role}\"")),
                    "name" => file.text.push_str(&format!("name   =   \"Role {role}\"")),
                    "hoist" => file.text.push_str("hoist=true"),
                    "color" => file.text.push_str("color = \"#00ff00\""),
                    _ => {
                        file.text.push_str("permissions = ");
                        let multi = rng.bool();
                        file.permission_list(&mut rng, multi);
                    }
                }
                file.end_of_line(&mut rng);
            }
        }
        for category in 0..rng.usize(0..3) {
            file.text.push('\n');
            file.line_comment(&mut rng);
            file.text.push_str("[[categories]]\n");
            file.text
                .push_str(&format!("name = \"Category {category}\"\n"));
            file.text.push_str("overwrites = [");
            for overwrite in 0..rng.usize(0..4) {
                file.text.push('\n');
                if let Some(comment) = file.comment(&mut rng) {
                    file.text.push_str(&format!("{comment}\n"));
                }
                let role = if overwrite == 0 {
                    "everyone".to_owned()
                } else {
                    format!("role-{overwrite}")
                };
                file.text.push_str("{ deny = ");
                file.permission_list(&mut rng, false);
                file.text.push_str(&format!(", role = \"{role}\" }},"));
            }
            file.text.push_str("\n]");
            file.end_of_line(&mut rng);
            for channel in 0..rng.usize(0..3) {
                file.line_comment(&mut rng);
                file.text.push_str("[[categories.channels]]\n");
                file.text
                    .push_str(&format!("topic = \"Topic # not a comment {channel}\"\n"));
                file.text
                    .push_str(&format!("name = \"channel-{category}-{channel}\""));
                file.end_of_line(&mut rng);
            }
        }
        file.line_comment(&mut rng);
        file.text
    }
}

/// The file's values, with permission lists sorted (the one reordering fmt may do).
fn values(text: &str) -> toml::Value {
    fn normalise(value: &mut toml::Value, key: Option<&str>) {
        match value {
            toml::Value::Table(table) => {
                for (key, value) in table.iter_mut() {
                    normalise(value, Some(key));
                }
            }
            toml::Value::Array(items) => {
                if matches!(key, Some("permissions" | "allow" | "deny")) {
                    items.sort_by_key(|item| item.as_str().unwrap_or("").to_owned());
                }
                for item in items {
                    normalise(item, None);
                }
            }
            _ => {}
        }
    }
    let mut value: toml::Value = toml::from_str(text).expect("valid TOML");
    normalise(&mut value, None);
    value
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 96, ..ProptestConfig::default() })]

    #[test]
    fn formatting_keeps_values_and_every_comment_and_is_idempotent(seed in any::<u64>()) {
        let text = Generated::file(seed);
        let once = format(&text).expect("formats");
        prop_assert_eq!(lost_comments(&text, &once), Vec::<String>::new());
        prop_assert_eq!(comments(&once).len(), comments(&text).len(), "{}", once);
        prop_assert_eq!(values(&once), values(&text));
        prop_assert_eq!(format(&once).expect("formats again"), once);
    }
}
