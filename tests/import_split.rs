//! `import --split DIR`: the imported guild as a layout of files joined by `include`. The layout
//! says what the single file says (its files concatenated in include order give the single
//! file's tables), keeps every comment, and puts messages, images and the schema under DIR as
//! `import --out DIR/server.toml` would.

mod common;

use std::collections::BTreeMap;
use std::path::Path;

use common::{repo, run, start, with_members_of, workspace};
use miyabi_guild::emulator::{Emulator, Fault, GuildState};

/// An emulator holding the guild `file` makes, applied from a copy of it.
async fn applied(file: &Path) -> Emulator {
    let emulator = start(with_members_of(GuildState::new_empty("Fresh"), file)).await;
    let dir = workspace(file);
    let apply = run(dir.path(), Some(&emulator), &["apply", "--auto-approve"]).await;
    assert_eq!(apply.code, 0, "{}: {}", file.display(), apply.stderr);
    emulator
}

/// Every file under `dir`, by `/`-separated path relative to it.
fn tree(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    fn walk(root: &Path, dir: &Path, out: &mut BTreeMap<String, Vec<u8>>) {
        let Ok(entries) = std::fs::read_dir(dir) else {
            return;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                walk(root, &path, out);
            } else {
                let relative = path.strip_prefix(root).unwrap();
                let name = relative
                    .components()
                    .map(|part| part.as_os_str().to_string_lossy().into_owned())
                    .collect::<Vec<_>>()
                    .join("/");
                out.insert(name, std::fs::read(&path).unwrap());
            }
        }
    }
    let mut out = BTreeMap::new();
    walk(dir, dir, &mut out);
    out
}

/// The files `include` names, in include order: globs (a `*` in the file name) expand sorted by
/// path, as the format says.
fn included(dir: &Path, main: &str) -> Vec<String> {
    let table: toml::Table = toml::from_str(main).expect("server.toml parses");
    let Some(include) = table.get("include") else {
        return Vec::new();
    };
    let mut files = Vec::new();
    for entry in include.as_array().expect("include is a list") {
        let entry = entry.as_str().expect("include entries are strings");
        let Some((before, after)) = entry.split_once('*') else {
            files.push(entry.to_owned());
            continue;
        };
        let (folder, prefix) = before.rsplit_once('/').unwrap_or(("", before));
        let mut matched: Vec<String> = std::fs::read_dir(dir.join(folder))
            .unwrap()
            .flatten()
            .map(|entry| entry.file_name().to_string_lossy().into_owned())
            .filter(|name| name.starts_with(prefix) && name.ends_with(after))
            .map(|name| {
                if folder.is_empty() {
                    name
                } else {
                    format!("{folder}/{name}")
                }
            })
            .collect();
        matched.sort();
        files.extend(matched);
    }
    files
}

/// The layout in `dir` as one text: server.toml without its `include` line, then each included
/// file in include order without its `#:schema` line.
fn concatenated(dir: &Path) -> String {
    let main = std::fs::read_to_string(dir.join("server.toml")).unwrap();
    let mut joined = String::new();
    let mut in_include = false;
    for line in main.lines() {
        // `include` on one line, or (long) one entry per line up to `]`.
        if line.starts_with("include = ") {
            in_include = !line.trim_end().ends_with(']');
            continue;
        }
        if in_include {
            in_include = line.trim() != "]";
            continue;
        }
        joined.push_str(line);
        joined.push('\n');
    }
    for file in included(dir, &main) {
        let text = std::fs::read_to_string(dir.join(&file))
            .unwrap_or_else(|error| panic!("{file}: {error}"));
        for line in text.lines().filter(|line| !line.starts_with("#:schema")) {
            joined.push_str(line);
            joined.push('\n');
        }
    }
    joined
}

/// The layout read the way the format reads it: each file parsed, lists of tables concatenated
/// in include order, a plain table (or value) in one file only.
fn merged(dir: &Path) -> toml::Table {
    let main_text = std::fs::read_to_string(dir.join("server.toml")).unwrap();
    let mut main: toml::Table = toml::from_str(&main_text).unwrap();
    main.remove("include");
    for file in included(dir, &main_text) {
        let text = std::fs::read_to_string(dir.join(&file)).unwrap();
        let part: toml::Table = toml::from_str(&text).unwrap_or_else(|e| panic!("{file}: {e}"));
        assert!(!part.contains_key("include"), "{file} has include");
        for (key, value) in part {
            match (main.get_mut(&key), value) {
                (Some(toml::Value::Array(items)), toml::Value::Array(more)) => items.extend(more),
                (Some(_), _) => panic!("{file}: `{key}` is written in two files"),
                (None, value) => {
                    main.insert(key, value);
                }
            }
        }
    }
    main
}

/// Imports the guild `emulator` holds twice, as `single/server.toml` (`--out`) and as `layout/`
/// (`--split`), and checks the layout says what the single file says. Returns the work folder
/// and the `--split` run's output.
async fn import_both(emulator: &Emulator, label: &str) -> (tempfile::TempDir, common::Output) {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("single")).unwrap();
    let single = run(
        dir.path(),
        Some(emulator),
        &["import", "--out", "single/server.toml"],
    )
    .await;
    assert_eq!(single.code, 0, "{label}: {}", single.stderr);
    let split = run(dir.path(), Some(emulator), &["import", "--split", "layout"]).await;
    assert_eq!(split.code, 0, "{label}: {}", split.stderr);

    let single_dir = dir.path().join("single");
    let layout = dir.path().join("layout");
    let single_text = std::fs::read_to_string(single_dir.join("server.toml")).unwrap();
    let single_table: toml::Table = toml::from_str(&single_text).unwrap();

    // Concatenated in include order, the files are the single file.
    let joined = concatenated(&layout);
    let joined_table: toml::Table = toml::from_str(&joined)
        .unwrap_or_else(|error| panic!("{label}: the concatenation is not TOML: {error}"));
    assert_eq!(joined_table, single_table, "{label}: concatenation");
    // And read as the format reads a layout.
    assert_eq!(merged(&layout), single_table, "{label}: merged");

    // Every comment is kept, as often as the single file has it.
    let comments = |text: &str| {
        let mut lines: Vec<String> = text
            .lines()
            .map(str::trim)
            .filter(|line| line.starts_with('#') && !line.starts_with("#:schema"))
            .map(str::to_owned)
            .collect();
        lines.sort();
        lines
    };
    assert_eq!(
        comments(&joined),
        comments(&single_text),
        "{label}: comments"
    );

    // Every file is in `fmt`'s layout and starts with a `#:schema` line that resolves from its
    // own folder to the schema written under DIR.
    let files = tree(&layout);
    for (path, bytes) in &files {
        if !path.ends_with(".toml") || path.starts_with("messages/") {
            continue;
        }
        let text = String::from_utf8(bytes.clone()).unwrap();
        assert_eq!(
            miyabi_guild::config::format::format(&text).as_deref(),
            Ok(text.as_str()),
            "{label}: {path} is not formatted"
        );
        let schema = text
            .lines()
            .next()
            .and_then(|line| line.strip_prefix("#:schema "))
            .unwrap_or_else(|| panic!("{label}: {path} has no #:schema line"));
        let folder = layout.join(path).parent().unwrap().to_owned();
        assert_eq!(
            std::fs::read_to_string(folder.join(schema)).ok(),
            Some(miyabi_guild::config::json_schema()),
            "{label}: {path}: `#:schema {schema}`"
        );
    }

    // Messages, images and the schema are what `--out DIR/server.toml` writes.
    let beside = |files: &BTreeMap<String, Vec<u8>>| -> BTreeMap<String, Vec<u8>> {
        files
            .iter()
            .filter(|(path, _)| !path.ends_with(".toml") || path.starts_with("messages/"))
            .map(|(path, bytes)| (path.clone(), bytes.clone()))
            .collect()
    };
    assert_eq!(
        beside(&files),
        beside(&tree(&single_dir)),
        "{label}: messages/, images/ and the schema"
    );
    (dir, split)
}

#[tokio::test(flavor = "multi_thread")]
async fn the_miyabi_server_splits_into_a_layout() {
    let emulator = applied(&repo().join("server.toml")).await;
    let (dir, split) = import_both(&emulator, "Miyabi").await;
    insta::assert_snapshot!("import_split_miyabi_output", split.snapshot());
    let layout = dir.path().join("layout");
    let main = std::fs::read_to_string(layout.join("server.toml")).unwrap();
    insta::assert_snapshot!("import_split_miyabi_server_toml", common::filter(&main));

    // The sections are where the layout promises, with their comments.
    let roles = std::fs::read_to_string(layout.join("roles.toml")).unwrap();
    assert!(roles.starts_with("#:schema ./server.schema.json\n\n# Roles, top to bottom."));
    assert!(!main.contains("[[roles]]") && !main.contains("[[categories]]"));
    let files = tree(&layout);
    for (path, bytes) in files.iter().filter(|(p, _)| p.starts_with("channels/0")) {
        let text = String::from_utf8_lossy(bytes);
        assert!(
            text.starts_with("#:schema ../server.schema.json\n"),
            "{path}"
        );
        if path != "channels/00-uncategorised.toml" {
            assert_eq!(text.matches("[[categories]]").count(), 1, "{path}");
        }
    }
    // Categories in Discord's order, by file name.
    let live = emulator.state();
    let mut categories: Vec<_> = live
        .channels()
        .into_iter()
        .filter(|channel| channel.kind == 4)
        .collect();
    categories.sort_by_key(|channel| (channel.position, channel.id));
    let in_files: Vec<String> = files
        .iter()
        .filter(|(path, _)| {
            path.starts_with("channels/") && path != &"channels/00-uncategorised.toml"
        })
        .map(|(_, bytes)| {
            let table: toml::Table = toml::from_str(&String::from_utf8_lossy(bytes)).unwrap();
            table["categories"][0]["name"].as_str().unwrap().to_owned()
        })
        .collect();
    let names: Vec<String> = categories.iter().map(|c| c.name.clone()).collect();
    assert_eq!(in_files, names);
}

#[tokio::test(flavor = "multi_thread")]
async fn notes_on_what_was_not_imported_stay_at_the_top_of_server_toml() {
    let emulator = start(common::sandbox_seed()).await;
    emulator.inject(Fault::Fail {
        method: "GET".into(),
        route: "/guilds/{guild_id}/onboarding".into(),
        status: 404,
    });
    let dir = tempfile::tempdir().unwrap();
    let split = run(
        dir.path(),
        Some(&emulator),
        &["import", "--split", "layout"],
    )
    .await;
    assert_eq!(split.code, 0, "{}", split.stderr);
    let main = std::fs::read_to_string(dir.path().join("layout/server.toml")).unwrap();
    assert!(
        main.starts_with(
            "#:schema ./server.schema.json\n# Not imported: onboarding (Discord answered 404).\n"
        ),
        "{main}"
    );
    let rest: String = tree(&dir.path().join("layout"))
        .into_iter()
        .filter(|(path, _)| path != "server.toml")
        .map(|(_, bytes)| String::from_utf8_lossy(&bytes).into_owned())
        .collect();
    assert!(!rest.contains("Not imported: onboarding"));
}

#[tokio::test(flavor = "multi_thread")]
async fn a_note_on_a_channel_left_out_stays_with_the_channels() {
    // The Miyabi guild with a directory channel (a kind the file cannot hold) last in its last
    // category: import notes it where it would be, just before the community sections.
    let mut state = applied(&repo().join("server.toml")).await.state();
    let last = state
        .channels()
        .into_iter()
        .filter(|channel| channel.kind == 4)
        .max_by_key(|channel| (channel.position, channel.id))
        .map(|channel| channel.id)
        .unwrap();
    let id = state.next_id();
    state.channels.push(
        serde_json::from_value(serde_json::json!({
            "id": id, "type": 14, "name": "directory", "position": 99, "parent_id": last,
            "permission_overwrites": []
        }))
        .unwrap(),
    );
    state.normalise();
    let emulator = start(state).await;
    let (dir, _) = import_both(&emulator, "Miyabi with a directory channel").await;
    let files = tree(&dir.path().join("layout"));
    let holding: Vec<&String> = files
        .iter()
        .filter(|(_, bytes)| {
            String::from_utf8_lossy(bytes).contains("# Not managed: channel of type 14")
        })
        .map(|(path, _)| path)
        .collect();
    let last_file = files
        .keys()
        .filter(|path| path.starts_with("channels/"))
        .max()
        .unwrap();
    assert_eq!(holding, [last_file]);
    assert!(String::from_utf8_lossy(&files[last_file]).ends_with(&format!(
        "# Not managed: channel of type 14 \"directory\" (id {id}): this version does not manage this kind of channel.\n"
    )));
}

#[tokio::test(flavor = "multi_thread")]
async fn every_example_splits_into_the_same_tables() {
    for entry in std::fs::read_dir(repo().join("examples")).unwrap() {
        let file = entry.unwrap().path();
        if file.extension().is_none_or(|ext| ext != "toml") {
            continue;
        }
        let emulator = applied(&file).await;
        import_both(&emulator, &file.display().to_string()).await;
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_folder_that_is_not_empty_is_refused_and_nothing_is_read_or_written() {
    let emulator = start(common::sandbox_seed()).await;
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("layout/channels")).unwrap();
    std::fs::write(dir.path().join("layout/channels/09-old.toml"), "# old\n").unwrap();
    emulator.clear_requests();
    let refused = run(
        dir.path(),
        Some(&emulator),
        &["import", "--split", "layout"],
    )
    .await;
    insta::assert_snapshot!("import_split_not_empty", refused.snapshot());
    assert_eq!(refused.code, 1);
    assert_eq!(
        emulator.requests().len(),
        0,
        "a refused import read the guild"
    );
    assert_eq!(
        tree(&dir.path().join("layout"))
            .into_keys()
            .collect::<Vec<_>>(),
        ["channels/09-old.toml"]
    );

    // A file in the way is refused too.
    std::fs::write(dir.path().join("file"), "").unwrap();
    let file = run(dir.path(), Some(&emulator), &["import", "--split", "file"]).await;
    assert_eq!(file.code, 1);
    assert!(
        file.stderr.contains("file exists and is not a folder"),
        "{}",
        file.stderr
    );

    // With --force it writes, and removes the channel file the glob would otherwise include.
    let forced = run(
        dir.path(),
        Some(&emulator),
        &["import", "--split", "layout", "--force"],
    )
    .await;
    assert_eq!(forced.code, 0, "{}", forced.stderr);
    assert!(
        forced
            .stderr
            .contains("Removed layout/channels/09-old.toml: `channels/*.toml` would include it."),
        "{}",
        forced.stderr
    );
    let files = tree(&dir.path().join("layout"));
    assert!(!files.contains_key("channels/09-old.toml"));
    assert!(files.contains_key("server.toml") && files.contains_key("roles.toml"));
}

#[tokio::test(flavor = "multi_thread")]
async fn split_and_out_together_are_a_usage_error() {
    let dir = tempfile::tempdir().unwrap();
    let both = run(
        dir.path(),
        None,
        &["import", "--split", "layout", "--out", "server.toml"],
    )
    .await;
    assert_eq!(both.code, 1, "{}", both.stderr);
    assert!(
        both.stderr
            .contains("the argument '--split <DIR>' cannot be used with '--out <FILE>'"),
        "{}",
        both.stderr
    );
    assert!(tree(dir.path()).is_empty(), "a usage error wrote something");
}

#[tokio::test(flavor = "multi_thread")]
async fn the_layout_plans_without_changes() {
    let emulator = applied(&repo().join("server.toml")).await;
    let (dir, _) = import_both(&emulator, "Miyabi").await;
    emulator.clear_requests();
    let plan = run(
        dir.path(),
        Some(&emulator),
        &[
            "plan",
            "--config",
            "layout/server.toml",
            "--detailed-exitcode",
        ],
    )
    .await;
    assert_eq!(plan.code, 0, "{}\n{}", plan.stdout, plan.stderr);
    assert!(
        emulator.requests().iter().all(|r| r.method == "GET"),
        "plan wrote something"
    );
    let validate = run(
        dir.path(),
        None,
        &["validate", "--config", "layout/server.toml"],
    )
    .await;
    assert_eq!(validate.code, 0, "{}", validate.stderr);
}
