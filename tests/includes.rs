//! `include = [...]`: a server kept in several files reads as one, and every diagnostic points
//! at the file and line it is about.

mod common;

use std::path::Path;

use common::{repo, run};

/// Writes `files` (relative path, text) into a new temporary directory.
fn layout(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for (path, text) in files {
        let path = dir.path().join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
    dir
}

const MAIN: &str = r#"include = ["roles.toml", "channels/*.toml"]

[guild]
name = "Layout"
"#;

const ROLES: &str = r#"[[roles]]
key = "mod"
name = "Moderator"
permissions = ["kick_members"]
"#;

#[tokio::test(flavor = "multi_thread")]
async fn an_error_in_an_included_file_is_shown_at_its_own_line() {
    let dir = layout(&[
        ("server.toml", MAIN),
        ("roles.toml", ROLES),
        (
            "channels/01-info.toml",
            "[[categories]]\nname = \"Info\"\n\n[[categories.channels]]\nname = \"rules\"\nslowmode = \"fast\"\n",
        ),
    ]);
    let output = run(dir.path(), None, &["validate"]).await;
    assert_eq!(output.code, 1);
    insta::assert_snapshot!("include_error_in_included_file", output.snapshot());
}

/// A directory stands for its `.toml` files, in order.
#[test]
fn a_directory_includes_its_toml_files_in_order() {
    let dir = layout(&[
        ("server.toml", "include = [\"roles\"]\n"),
        (
            "roles/02-members.toml",
            "[[roles]]\nkey = \"member\"\nname = \"Member\"\n",
        ),
        (
            "roles/01-staff.toml",
            "[[roles]]\nkey = \"staff\"\nname = \"Staff\"\n",
        ),
        ("roles/notes.md", "not a server file\n"),
    ]);
    let loaded = miyabi_guild::config::load(&dir.path().join("server.toml")).unwrap();
    let keys: Vec<&str> = loaded
        .desired
        .roles
        .iter()
        .map(|r| r.key.as_str())
        .collect();
    assert_eq!(keys, ["staff", "member"]);
    assert_eq!(loaded.files.len(), 3);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_name_declared_in_two_files_names_both_places() {
    let dir = layout(&[
        ("server.toml", MAIN),
        ("roles.toml", ROLES),
        (
            "channels/01-more-roles.toml",
            "# Roles may live anywhere, but a name once.\n[[roles]]\nkey = \"mod2\"\nname = \"Moderator\"\n",
        ),
    ]);
    let output = run(dir.path(), None, &["validate"]).await;
    assert_eq!(output.code, 1);
    assert!(
        output.stderr.contains("channels/01-more-roles.toml:4:8")
            && output.stderr.contains("line 3 of roles.toml"),
        "{}",
        output.stderr
    );
    insta::assert_snapshot!("include_duplicate_across_files", output.snapshot());
}

#[tokio::test(flavor = "multi_thread")]
async fn a_key_written_in_two_files_is_an_error_naming_both() {
    let dir = layout(&[
        ("server.toml", MAIN),
        ("roles.toml", "[guild]\nname = \"Other\"\n"),
        (
            "channels/a.toml",
            "[guild]\ndescription = \"a table may spread over files\"\n",
        ),
    ]);
    let output = run(dir.path(), None, &["validate"]).await;
    assert_eq!(output.code, 1);
    assert!(
        output
            .stderr
            .contains("`guild.name` is written in two files")
            && output.stderr.contains("server.toml:4"),
        "{}",
        output.stderr
    );
    assert!(!output.stderr.contains("description"), "{}", output.stderr);
}

#[tokio::test(flavor = "multi_thread")]
async fn includes_stay_inside_the_directory_and_name_real_files() {
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(outside.path().join("secret.toml"), "token = \"hunter2\"\n").unwrap();
    let absolute = outside.path().join("secret.toml");
    let main = format!(
        "include = [\"../secret.toml\", {:?}, \"missing.toml\", \"none/*.toml\"]\n",
        absolute.display().to_string()
    );
    let dir = layout(&[("server.toml", &main)]);
    let output = run(dir.path(), None, &["validate"]).await;
    assert_eq!(output.code, 1);
    for expected in [
        "the path leaves the main file's directory",
        "the path is absolute",
        "missing.toml does not exist",
        "`none/*.toml` matches no file",
    ] {
        assert!(
            output.stderr.contains(expected),
            "{expected}: {}",
            output.stderr
        );
    }
    assert!(!output.stderr.contains("hunter2"), "{}", output.stderr);
}

#[tokio::test(flavor = "multi_thread")]
async fn only_the_main_file_includes_or_declares_environments() {
    let dir = layout(&[
        ("server.toml", "include = [\"roles.toml\"]\n"),
        (
            "roles.toml",
            "include = [\"more.toml\"]\n\n[environments.staging]\nguild = \"1\"\n",
        ),
    ]);
    let output = run(dir.path(), None, &["validate"]).await;
    assert_eq!(output.code, 1);
    assert_eq!(
        output
            .stderr
            .matches("may only be written in the main file")
            .count(),
        2,
        "{}",
        output.stderr
    );
}

/// The Miyabi layout in `examples/miyabi/` is the repository's `server.toml` split by concern:
/// its production environment is the same server.
#[test]
fn the_miyabi_layout_in_production_is_the_single_file_server() {
    let single = miyabi_guild::config::load(&repo().join("server.toml")).unwrap();
    let layout = miyabi_guild::config::load_environment(
        &repo().join("examples/miyabi/server.toml"),
        Some("production"),
    )
    .unwrap();
    assert_eq!(layout.files.len(), 13);
    assert!(layout.warnings.is_empty(), "{:?}", layout.warnings);
    // Paths of images and messages are relative to each main file; compare what they hold.
    // Assertions keep the line they are written on, which differs between the layouts.
    let strip = |desired: &miyabi_guild::model::DesiredGuild, base: &Path| {
        let mut desired = desired.clone();
        for assertion in &mut desired.assertions {
            assertion.line = 0;
            assertion.file = None;
        }
        format!("{desired:?}").replace(&base.display().to_string(), "<dir>")
    };
    assert_eq!(
        strip(&layout.desired, &repo().join("examples/miyabi")),
        strip(&single.desired, &repo()),
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn fmt_checks_every_file_of_a_layout() {
    let dir = layout(&[
        ("server.toml", MAIN),
        ("roles.toml", ROLES),
        (
            "channels/01-info.toml",
            "[[categories]]\nname   =   \"Info\"\n",
        ),
    ]);
    let output = run(dir.path(), None, &["fmt", "--check"]).await;
    assert_eq!(output.code, 1);
    assert!(output.stdout.contains("server.toml is formatted."));
    assert!(
        output
            .stdout
            .contains("+++ channels/01-info.toml (formatted)")
    );
    let output = run(dir.path(), None, &["fmt"]).await;
    assert_eq!(output.code, 0, "{}", output.stderr);
    let output = run(dir.path(), None, &["fmt", "--check"]).await;
    assert_eq!(output.code, 0, "{}", output.stdout);
}

/// `text` spread over a main file and `parts` included files, as `seed` decides: each list of
/// tables cut into runs kept in order (the main file's run first), every other top-level item
/// in one file. Returns (relative path, text) of each file.
fn spread(text: &str, parts: usize, seed: u64) -> Vec<(String, String)> {
    let mut random = fastrand::Rng::with_seed(seed);
    let document: toml_edit::DocumentMut = text.parse().unwrap();
    let mut files: Vec<toml_edit::DocumentMut> =
        (0..=parts).map(|_| toml_edit::DocumentMut::new()).collect();
    for (key, item) in document.iter() {
        match item {
            toml_edit::Item::ArrayOfTables(tables) => {
                let mut cuts: Vec<usize> =
                    (0..parts).map(|_| random.usize(0..=tables.len())).collect();
                cuts.sort_unstable();
                cuts.push(tables.len());
                let mut start = 0;
                for (file, end) in cuts.into_iter().enumerate() {
                    if end > start {
                        let mut run = toml_edit::ArrayOfTables::new();
                        for table in tables.iter().skip(start).take(end - start) {
                            run.push(table.clone());
                        }
                        files[file].insert(key, toml_edit::Item::ArrayOfTables(run));
                    }
                    start = end;
                }
            }
            other => {
                files[random.usize(0..=parts)].insert(key, other.clone());
            }
        }
    }
    let names: Vec<String> = (1..=parts).map(|n| format!("parts/{n:02}.toml")).collect();
    let mut main = toml_edit::DocumentMut::new();
    main.insert(
        "include",
        toml_edit::value(toml_edit::Array::from_iter(["parts/*.toml"])),
    );
    for (key, item) in files[0].iter() {
        main.insert(key, item.clone());
    }
    let mut out = vec![("server.toml".to_owned(), main.to_string())];
    out.extend(
        names
            .into_iter()
            .zip(files.iter().skip(1))
            .map(|(name, file)| (name, file.to_string())),
    );
    out
}

/// What a file asks for, without where its assertions are written.
fn comparable(loaded: &miyabi_guild::config::Loaded) -> String {
    let mut desired = loaded.desired.clone();
    for assertion in &mut desired.assertions {
        assertion.line = 0;
        assertion.file = None;
    }
    format!("{desired:?}")
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig { cases: 24, ..Default::default() })]

    /// A file spread over included files in any way that keeps its order asks for exactly what
    /// the single file asks for.
    #[test]
    fn a_file_spread_over_included_files_reads_the_same(seed in proptest::prelude::any::<u64>(), parts in 1usize..4) {
        let files = common::server_files();
        let original = &files[(seed % files.len() as u64) as usize];
        let single = miyabi_guild::config::load(original).unwrap();
        let dir = tempfile::tempdir().unwrap();
        let beside = original.parent().unwrap();
        for folder in ["messages", "assets", "icons", "images"] {
            common::copy_tree(&beside.join(folder), &dir.path().join(folder));
        }
        for (path, text) in spread(&std::fs::read_to_string(original).unwrap(), parts, seed) {
            let path = dir.path().join(path);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, text).unwrap();
        }
        let layout = miyabi_guild::config::load(&dir.path().join("server.toml"))
            .unwrap_or_else(|error| panic!("{}: {error}", original.display()));
        proptest::prop_assert_eq!(comparable(&layout), comparable(&single), "{}", original.display());
    }
}

/// Files the server file names (messages, images, thread posts, sounds, stickers) stay inside
/// its folder, like included files: what the tool reads, a plan may show.
#[cfg(unix)]
#[tokio::test(flavor = "multi_thread")]
async fn referenced_files_stay_inside_the_folder() {
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(outside.path().join("secret.md"), "hunter2\n").unwrap();
    let dir = layout(&[(
        "server.toml",
        "[[channels]]\nname = \"rules\"\n\n[[messages]]\nchannel = \"rules\"\nfile = \"../secret.md\"\n\n[[messages]]\nchannel = \"rules\"\nfile = \"link.md\"\n",
    )]);
    std::os::unix::fs::symlink(outside.path().join("secret.md"), dir.path().join("link.md"))
        .unwrap();
    let output = run(dir.path(), None, &["validate"]).await;
    assert_eq!(output.code, 1);
    assert!(
        output
            .stderr
            .contains("`../secret.md` is outside the folder"),
        "{}",
        output.stderr
    );
    assert!(
        output.stderr.contains("`link.md` is outside the folder"),
        "{}",
        output.stderr
    );
    assert!(!output.stderr.contains("hunter2"), "{}", output.stderr);
}
