//! No input of any size makes `validate` hang, panic or print without bound, and every
//! diagnostic has file:line:col: hostile files through the real binary, and a property test of
//! the library over mutated and random files.

mod common;

use std::process::{Command, Stdio};
use std::time::Duration;

use common::{BIN, repo};
use miyabi_guild::config::{self, Source};
use proptest::prelude::*;

/// What `validate` prints at most, stdout and stderr together.
const OUTPUT_MAX: usize = 100 * 1024;

/// Runs `validate` on `dir/name`; a run that does not end within a minute fails the test (it
/// would be a hang: the largest case takes well under a second).
fn validate(dir: &std::path::Path, name: &str) -> (i32, String) {
    let mut child = Command::new(BIN)
        .current_dir(dir)
        .args(["validate", "--config", name])
        .env("NO_COLOR", "1")
        .env_remove("GITHUB_ACTIONS")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    for _ in 0..600 {
        if child.try_wait().unwrap().is_some() {
            let output = child.wait_with_output().unwrap();
            let mut text = String::from_utf8_lossy(&output.stdout).into_owned();
            text.push_str(&String::from_utf8_lossy(&output.stderr));
            return (output.status.code().unwrap_or(-1), text);
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    let _ = child.kill();
    panic!("validate --config {name} did not end: a hang");
}

/// Every `-->` line names the file with a line and a column.
fn every_diagnostic_is_located(output: &str, name: &str) {
    let arrows: Vec<&str> = output
        .lines()
        .filter(|line| line.trim_start().starts_with("-->"))
        .collect();
    assert!(!arrows.is_empty(), "no located diagnostic:\n{output}");
    for arrow in arrows {
        let location = arrow.trim_start().trim_start_matches("--> ");
        let mut parts = location.rsplitn(3, ':');
        let column = parts.next().unwrap_or_default();
        let line = parts.next().unwrap_or_default();
        assert!(
            parts.next() == Some(name)
                && column.parse::<usize>().is_ok()
                && line.parse::<usize>().is_ok(),
            "not file:line:col: {arrow}"
        );
    }
}

#[test]
fn hostile_files_are_errors_with_a_location_and_bounded_output() {
    let dir = tempfile::tempdir().unwrap();
    let permissions = vec!["\"view_channel\""; 2_000].join(", ");
    let cases: Vec<(&str, Vec<u8>)> = vec![
        (
            "repeated.toml",
            format!("[everyone]\npermissions = [{permissions}]\n").into_bytes(),
        ),
        (
            "huge-name.toml",
            format!(
                "[[roles]]\nkey = \"a\"\nname = \"{}\"\n",
                "x".repeat(5_000_000)
            )
            .into_bytes(),
        ),
        (
            "many-roles.toml",
            (0..20_000)
                .map(|i| {
                    format!(
                        "[[roles]]\nkey = \"r{i}\"\nname = \"Role\"\npermissions = [\"nope\"]\n"
                    )
                })
                .collect::<String>()
                .into_bytes(),
        ),
        (
            "invalid-utf8.toml",
            b"[guild]\nname = \"caf\xe9\"\n".to_vec(),
        ),
        ("utf16.toml", b"\xff\xfe[\0g\0u\0i\0l\0d\0]\0".to_vec()),
        ("nul.toml", b"[guild]\nname = \"a\0b\"\n".to_vec()),
        ("bare-cr.toml", b"[guild]\rname = \"Miyabi\"\r".to_vec()),
        (
            "deep.toml",
            format!("a = {}{}\n", "[".repeat(100_000), "]".repeat(100_000)).into_bytes(),
        ),
    ];
    for (name, bytes) in &cases {
        std::fs::write(dir.path().join(name), bytes).unwrap();
        let (code, output) = validate(dir.path(), name);
        // Repeated permissions are only a warning.
        let expected = if *name == "repeated.toml" { 0 } else { 1 };
        assert_eq!(code, expected, "{name}: {output}");
        assert!(
            output.len() <= OUTPUT_MAX,
            "{name}: {} bytes of output",
            output.len()
        );
        every_diagnostic_is_located(&output, name);
    }
    let (_, repeated) = validate(dir.path(), "repeated.toml");
    assert!(
        repeated.contains("… and 1,996 more like this"),
        "{repeated}"
    );
    assert!(repeated.contains("has 1,999 warnings"), "{repeated}");
}

#[test]
fn a_byte_order_mark_is_accepted() {
    let dir = tempfile::tempdir().unwrap();
    let mut bytes = b"\xef\xbb\xbf".to_vec();
    bytes.extend(b"[[roles]]\nkey = \"a\"\nname = \"A\"\n");
    std::fs::write(dir.path().join("bom.toml"), bytes).unwrap();
    let (code, output) = validate(dir.path(), "bom.toml");
    assert_eq!(code, 0, "{output}");
}

#[cfg(unix)]
#[test]
fn referenced_files_that_are_not_regular_files_are_errors_not_hangs() {
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("fifo.md");
    let made = Command::new("mkfifo").arg(&fifo).status().unwrap();
    assert!(made.success());
    let file = "[[channels]]\nname = \"rules\"\n\n[[messages]]\nchannel = \"rules\"\nfile = \"fifo.md\"\n\n[[messages]]\nchannel = \"rules\"\nfile = \"/dev/zero\"\n\n[[webhooks]]\nname = \"Bot\"\nchannel = \"rules\"\navatar = \"/dev/zero\"\n";
    std::fs::write(dir.path().join("server.toml"), file).unwrap();
    let (code, output) = validate(dir.path(), "server.toml");
    assert_eq!(code, 1, "{output}");
    assert!(
        output.contains("it is a FIFO (named pipe), not a regular file"),
        "{output}"
    );
    // A device elsewhere is never read: paths stay inside the server file's folder.
    assert!(
        output.contains("`/dev/zero` is outside the folder of server.toml"),
        "{output}"
    );
    every_diagnostic_is_located(&output, "server.toml");
    // A server file that is not a regular file: a one-line error that says what it is.
    let (code, output) = validate(dir.path(), "fifo.md");
    assert_eq!(code, 1);
    assert!(output.contains("not a regular file"), "{output}");
    assert!(
        !output.contains("--config PATH"),
        "the file was found: {output}"
    );
}

/// The diagnostics of `text` as `validate` prints them.
fn rendered(text: String) -> String {
    let source = Source::new("fuzz.toml", text);
    match config::parse(source) {
        Ok(loaded) => {
            let mut out = Vec::new();
            config::render_diagnostics(&loaded.warnings, &loaded.source, &mut out, false).unwrap();
            String::from_utf8(out).unwrap()
        }
        Err((source, diagnostics)) => {
            assert!(diagnostics.iter().any(|d| d.is_error()));
            for diagnostic in &diagnostics {
                assert!(diagnostic.line >= 1 && diagnostic.column >= 1);
                assert!(diagnostic.span.start <= source.text.len());
            }
            let mut out = Vec::new();
            config::render_diagnostics(&diagnostics, &source, &mut out, false).unwrap();
            String::from_utf8(out).unwrap()
        }
    }
}

/// The repository's server files, as seeds for mutation.
fn seeds() -> Vec<String> {
    let mut files = vec![std::fs::read_to_string(repo().join("server.toml")).unwrap()];
    for entry in std::fs::read_dir(repo().join("examples"))
        .unwrap()
        .flatten()
    {
        if entry.path().extension().is_some_and(|ext| ext == "toml") {
            files.push(std::fs::read_to_string(entry.path()).unwrap());
        }
    }
    files
}

#[derive(Debug, Clone)]
enum Mutation {
    /// Replace the byte range at (position, length) with text.
    Splice(usize, usize, String),
    /// Repeat the line at position this many times.
    Repeat(usize, usize),
    Truncate(usize),
}

fn mutation() -> impl Strategy<Value = Mutation> {
    let text = prop_oneof![
        Just(String::new()),
        Just("\"".to_owned()),
        Just("[".to_owned()),
        Just("]]\n[[roles]]\n".to_owned()),
        Just("= ".to_owned()),
        Just("\u{1f7e0}".to_owned()),
        Just("\n[[channels]]\nname = \"general\"\n".to_owned()),
        "[ -~]{0,12}",
        "\\PC{0,6}",
    ];
    prop_oneof![
        (any::<usize>(), 0usize..40, text).prop_map(|(p, l, t)| Mutation::Splice(p, l, t)),
        (any::<usize>(), 2usize..400).prop_map(|(p, n)| Mutation::Repeat(p, n)),
        any::<usize>().prop_map(Mutation::Truncate),
    ]
}

fn apply(mut text: String, mutation: &Mutation) -> String {
    let boundary = |text: &str, mut at: usize| {
        at %= text.len().max(1);
        while at > 0 && !text.is_char_boundary(at) {
            at -= 1;
        }
        at
    };
    match mutation {
        Mutation::Splice(position, length, insert) => {
            let start = boundary(&text, *position);
            let end = boundary(&text, (start + length).min(text.len()).max(start));
            let end = end.max(start);
            text.replace_range(start..end, insert);
            text
        }
        Mutation::Repeat(position, times) => {
            let start = boundary(&text, *position);
            let line_start = text[..start].rfind('\n').map_or(0, |i| i + 1);
            let line_end = text[start..]
                .find('\n')
                .map_or(text.len(), |i| start + i + 1);
            let line = text[line_start..line_end].to_owned();
            text.insert_str(line_end, &line.repeat(*times));
            text
        }
        Mutation::Truncate(position) => {
            let at = boundary(&text, *position);
            text.truncate(at);
            text
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]

    /// Mutated real files: no panic, every diagnostic located, output bounded.
    #[test]
    fn validating_a_mutated_file_never_panics_and_prints_a_bounded_report(
        seed in 0usize..16,
        mutations in proptest::collection::vec(mutation(), 1..6),
    ) {
        let seeds = seeds();
        let mut text = seeds[seed % seeds.len()].clone();
        for mutation in &mutations {
            text = apply(text, mutation);
        }
        let output = rendered(text);
        prop_assert!(output.len() <= OUTPUT_MAX, "{} bytes", output.len());
    }

    /// Random text: the same.
    #[test]
    fn validating_random_text_never_panics(text in "\\PC{0,400}") {
        let output = rendered(text);
        prop_assert!(output.len() <= OUTPUT_MAX);
    }
}

/// The Miyabi layout (`examples/miyabi/`): every file's path and text.
fn layout_files() -> Vec<(std::path::PathBuf, String)> {
    let root = repo().join("examples/miyabi");
    config::layout_files(&root.join("server.toml"))
        .unwrap()
        .into_iter()
        .map(|path| {
            let text = std::fs::read_to_string(&path).unwrap();
            (path.strip_prefix(&root).unwrap().to_owned(), text)
        })
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    /// A mutated file of a layout with environments (the main file with its overrides, or an
    /// included file): each environment's effective file and the file itself read without a
    /// panic, every diagnostic in a file of the layout at a real place, the report bounded.
    #[test]
    fn a_mutated_layout_reads_in_every_environment_without_panics(
        which in 0usize..13,
        mutations in proptest::collection::vec(mutation(), 1..4),
    ) {
        let files = layout_files();
        let which = which % files.len();
        let dir = tempfile::tempdir().unwrap();
        common::copy_tree(&repo().join("examples/miyabi"), dir.path());
        let (path, text) = &files[which];
        let mut text = text.clone();
        for mutation in &mutations {
            text = apply(text, mutation);
        }
        std::fs::write(dir.path().join(path), &text).unwrap();
        let main = dir.path().join("server.toml");
        for environment in [None, Some("staging"), Some("production")] {
            let source = config::read_source(&main).unwrap();
            let (source, diagnostics) = match config::parse_environment(source, environment) {
                Ok(loaded) => (loaded.source, loaded.warnings),
                Err(failed) => failed,
            };
            for diagnostic in &diagnostics {
                prop_assert!(diagnostic.line >= 1 && diagnostic.column >= 1);
                let file = std::path::Path::new(&diagnostic.file);
                prop_assert!(file.starts_with(dir.path()) || file.is_relative(), "{}", diagnostic.file);
            }
            let mut out = Vec::new();
            config::render_diagnostics(&diagnostics, &source, &mut out, false).unwrap();
            prop_assert!(out.len() <= OUTPUT_MAX, "{} bytes", out.len());
        }
    }
}
