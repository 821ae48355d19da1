//! Import keeps everything it manages: the bot's posted messages go into `messages/*.md` beside
//! the file, and importing then planning shows no changes; so do repeated names, bots' roles in
//! overwrites and text and announcement twins.

mod common;

use std::path::Path;

use common::library::{Guild, described, desired_at};
use miyabi_guild::emulator::GuildState;

/// Writes `text` as `server.toml` and `files` beside it in `dir`; returns the file's path.
fn write(dir: &Path, text: &str, files: &[(String, String)]) -> String {
    for (file, contents) in files {
        let path = dir.join(file);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, contents).unwrap();
    }
    let path = dir.join("server.toml");
    std::fs::write(&path, text).unwrap();
    path.display().to_string()
}

const FILE: &str = r#"
[[roles]]
key = "helper"
name = "Helper"

[[categories]]
name = "Team 1"
overwrites = [{ role = "@ticket-bot", allow = ["view_channel"] }, { roles = ["everyone"], deny = ["send_messages"] }]

[[categories.channels]]
name = "general"

[[categories.channels]]
name = "general"
type = "announcement"

[[categories]]
name = "Team 2"

[[categories.channels]]
name = "general"

[[messages]]
channel = "general (text) in Team 1"
file = "messages/rules.md"

[[messages]]
channel = "general in Team 2"
file = "messages/welcome.md"
"#;

#[tokio::test(flavor = "multi_thread")]
async fn import_writes_posted_messages_and_every_layout_round_trips() {
    let mut state = GuildState::new_empty("Keeps");
    state.guild.features = vec!["COMMUNITY".to_owned(), "NEWS".to_owned()];
    common::add_bot(&mut state, "ticket-bot", "0");
    state.normalise();
    let guild = Guild::start(state).await;

    let paragraph = "Be kind to each other; this is a long rule. ".repeat(20);
    let rules = [paragraph.trim(); 6].join("\n\n");
    let files = vec![
        (
            "messages/rules.md".to_owned(),
            format!("# Rules\n\n{rules}\n"),
        ),
        (
            "messages/welcome.md".to_owned(),
            "Welcome, Team 2!\n".to_owned(),
        ),
    ];
    let written = tempfile::tempdir().unwrap();
    let path = write(written.path(), FILE, &files);
    let file = desired_at(&path, FILE);
    assert!(
        file.community.messages[0].parts.len() > 1,
        "several messages"
    );
    guild.apply(&file).await;
    let plan = guild.plan(&file).await;
    assert!(plan.is_empty(), "{}", described(&plan));

    let imported = guild.import_with_messages().await;
    let names: Vec<&str> = imported
        .files
        .iter()
        .map(|(name, _)| name.as_str())
        .collect();
    assert_eq!(
        names,
        ["messages/team-1-general.md", "messages/team-2-general.md"],
        "{}",
        imported.text
    );
    assert!(
        imported.text.contains("role = \"@ticket-bot\""),
        "{}",
        imported.text
    );
    assert!(
        imported
            .text
            .contains("channel = \"general (text) in Team 1\""),
        "{}",
        imported.text
    );
    let again = tempfile::tempdir().unwrap();
    let path = write(again.path(), &imported.text, &imported.files);
    let reimported = desired_at(&path, &imported.text);
    let parts = |file: &miyabi_guild::model::DesiredGuild| -> Vec<Vec<String>> {
        file.community
            .messages
            .iter()
            .map(|m| m.parts.iter().map(|part| part.content.clone()).collect())
            .collect()
    };
    assert_eq!(parts(&reimported), parts(&file), "nothing lost");
    let plan = guild.plan(&reimported).await;
    assert!(plan.is_empty(), "{}\n{}", described(&plan), imported.text);
}

#[tokio::test(flavor = "multi_thread")]
async fn messages_that_packing_would_cut_differently_keep_their_breaks() {
    let guild = Guild::start(GuildState::new_empty("Breaks")).await;
    let dir = tempfile::tempdir().unwrap();
    let text = "[[channels]]\nname = \"rules\"\n\n[[messages]]\nchannel = \"rules\"\nfile = \"messages/rules.md\"\n";
    // Two short messages that packing alone would merge into one.
    let files = vec![(
        "messages/rules.md".to_owned(),
        "One.\n\n<!-- next message -->\n\nTwo.\n".to_owned(),
    )];
    let path = write(dir.path(), text, &files);
    let file = desired_at(&path, text);
    let contents: Vec<&str> = file.community.messages[0]
        .parts
        .iter()
        .map(|part| part.content.as_str())
        .collect();
    assert_eq!(contents, ["One.", "Two."]);
    guild.apply(&file).await;
    let imported = guild.import_with_messages().await;
    assert_eq!(
        imported.files,
        [(
            "messages/rules.md".to_owned(),
            "One.\n\n<!-- next message -->\n\nTwo.\n".to_owned()
        )]
    );
    let again = tempfile::tempdir().unwrap();
    let path = write(again.path(), &imported.text, &imported.files);
    let plan = guild.plan(&desired_at(&path, &imported.text)).await;
    assert!(plan.is_empty(), "{}", described(&plan));
}
