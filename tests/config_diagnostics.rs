//! What users see when `server.toml` is wrong: every error at once, in file order.

use miyabi_guild::config::{self, Severity, Source};

fn source(name: &str, text: &str) -> Source {
    Source::new(name, text)
}

fn render(source: &Source, diagnostics: &[config::Diagnostic]) -> String {
    let mut out = Vec::new();
    config::render_diagnostics(diagnostics, source, &mut out, false).expect("render");
    String::from_utf8(out).expect("UTF-8")
}

#[test]
fn a_broken_file_reports_every_error_in_file_order() {
    let text = include_str!("fixtures/broken.toml");
    let Err((source, diagnostics)) = config::parse(source("broken.toml", text)) else {
        panic!("the broken file parsed");
    };
    let starts: Vec<usize> = diagnostics.iter().map(|d| d.span.start).collect();
    assert!(starts.is_sorted(), "diagnostics are not in file order");
    insta::assert_snapshot!(render(&source, &diagnostics));
}

#[test]
fn a_toml_syntax_error_stops_with_one_located_error() {
    let text = "[[roles]]\nkey = \"a\"\nname = \"A\nhoist = true\n";
    let Err((source, diagnostics)) = config::parse(source("server.toml", text)) else {
        panic!("parsed");
    };
    assert_eq!(diagnostics.len(), 1);
    insta::assert_snapshot!(render(&source, &diagnostics));
}

#[test]
fn warnings_alone_do_not_fail_the_file() {
    let text = r#"
[[categories]]
name = "Hangout"

[[categories.channels]]
name = "Lounge"
type = "voice"
bitrate = 128000

[[categories.channels]]
name = "chat"
"#;
    let loaded = config::parse(source("server.toml", text)).expect("valid");
    assert_eq!(loaded.warnings.len(), 2);
    assert!(
        loaded
            .warnings
            .iter()
            .all(|w| w.severity == Severity::Warning)
    );
    insta::assert_snapshot!(render(&loaded.source, &loaded.warnings));
}

#[test]
fn a_broken_file_with_the_newer_features_reports_every_error() {
    let text = include_str!("fixtures/broken-kinds.toml");
    let Err((source, diagnostics)) = config::parse(source("broken-kinds.toml", text)) else {
        panic!("the broken file parsed");
    };
    let starts: Vec<usize> = diagnostics.iter().map(|d| d.span.start).collect();
    assert!(starts.is_sorted(), "diagnostics are not in file order");
    insta::assert_snapshot!(render(&source, &diagnostics));
}

#[test]
fn a_broken_file_with_the_community_features_reports_every_error() {
    let text = include_str!("fixtures/broken-community.toml");
    let Err((source, diagnostics)) = config::parse(source("broken-community.toml", text)) else {
        panic!("the broken file parsed");
    };
    let starts: Vec<usize> = diagnostics.iter().map(|d| d.span.start).collect();
    assert!(starts.is_sorted(), "diagnostics are not in file order");
    insta::assert_snapshot!(render(&source, &diagnostics));
}
