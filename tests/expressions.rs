//! Custom emoji: from files beside `server.toml`, matched by name, roles updated in place, a
//! changed image replaced, slots per boost level refused before any write, lost create answers
//! never duplicated, import round trip.

mod common;

use common::library::{Guild, described, desired_at};
use miyabi_guild::emulator::{GuildState, RequestsExt};
use miyabi_guild::plan::Change;

const STATE: &str = r#"{
  "token": "t", "bot_user_id": "200",
  "guild": { "id": "100", "name": "Emoji", "owner_id": "201" },
  "roles": [
    { "id": "300", "name": "Bot", "permissions": "8", "position": 2, "managed": true,
      "tags": { "bot_id": "200" } },
    { "id": "301", "name": "Helper", "permissions": "0", "position": 1 }
  ],
  "members": [ { "user_id": "200", "roles": ["300"] } ]
}"#;

fn state() -> GuildState {
    GuildState::from_json(STATE).expect("state")
}

struct Files(tempfile::TempDir);

impl Files {
    fn new() -> Self {
        let dir = tempfile::tempdir().expect("temp dir");
        common::copy_tree(
            &common::repo().join("tests/fixtures/images"),
            &dir.path().join("images"),
        );
        Self(dir)
    }

    fn copy(&self, from: &str, name: &str) {
        std::fs::copy(
            common::repo().join("tests/fixtures/images").join(from),
            self.0.path().join("images").join(name),
        )
        .expect("copy");
    }

    fn desired(&self, text: &str) -> miyabi_guild::model::DesiredGuild {
        let path = self.0.path().join("server.toml");
        std::fs::write(&path, text).expect("write");
        desired_at(path.to_str().expect("utf-8 path"), text)
    }
}

const FILE: &str = "[[roles]]\nkey = \"helper\"\nname = \"Helper\"\n\n[[emojis]]\nname = \"miyabi\"\nfile = \"images/wave.png\"\nroles = [\"helper\"]\n\n[[emojis]]\nname = \"party\"\nfile = \"images/dot.gif\"\n";

#[tokio::test]
async fn emoji_converge_and_a_changed_image_replaces_one() {
    let guild = Guild::start(state()).await;
    let files = Files::new();
    files.copy("red.png", "wave.png");
    let desired = files.desired(FILE);
    let plan = guild.apply(&desired).await;
    assert_eq!(
        described(&plan),
        "create emoji :miyabi:\ncreate emoji :party:"
    );
    assert_eq!(guild.take_writes(), 2);
    let emulated = guild.emulator.state();
    assert_eq!(emulated.emojis.len(), 2);
    assert_eq!(emulated.emojis[0].roles.len(), 1);
    assert!(emulated.emojis[1].animated);

    // Unchanged: no change; the emoji list and each declared emoji's image are read.
    let plan = guild.plan(&desired).await;
    assert!(plan.changes.is_empty(), "{}", described(&plan));
    let requests = guild.emulator.requests();
    assert_eq!(requests.count_route("GET /guilds/{guild_id}/emojis"), 1);
    assert_eq!(requests.count_route("GET /emojis/{emoji_id}"), 2);
    guild.apply(&desired).await;
    assert_eq!(guild.take_writes(), 0, "a second apply writes nothing");

    // Roles change in place; a changed image replaces the emoji (delete, then create).
    files.copy("blue.png", "wave.png");
    let desired = files.desired(&FILE.replace("roles = [\"helper\"]\n", ""));
    let plan = guild.plan(&desired).await;
    assert!(
        matches!(plan.changes.as_slice(), [Change::ReplaceEmoji { .. }]),
        "{}",
        described(&plan)
    );
    guild.apply(&desired).await;
    assert_eq!(guild.take_writes(), 2, "one delete, one create");
    assert!(guild.plan(&desired).await.changes.is_empty());
    let desired = files.desired(FILE);
    let plan = guild.plan(&desired).await;
    assert!(
        matches!(plan.changes.as_slice(), [Change::UpdateEmoji { .. }]),
        "{}",
        described(&plan)
    );
    guild.apply(&desired).await;
    assert_eq!(guild.take_writes(), 1);
    assert!(guild.plan(&desired).await.changes.is_empty());
}

#[tokio::test]
async fn unlisted_emoji_are_kept_unless_pruned() {
    let guild = Guild::start(state()).await;
    let files = Files::new();
    files.copy("red.png", "wave.png");
    guild.apply(&files.desired(FILE)).await;
    let only_one = "[[emojis]]\nname = \"party\"\nfile = \"images/dot.gif\"\n";
    let plan = guild.plan(&files.desired(only_one)).await;
    assert!(plan.changes.is_empty(), "{}", described(&plan));
    assert_eq!(
        plan.kept
            .iter()
            .filter(|kept| matches!(kept, miyabi_guild::plan::Kept::Emoji { .. }))
            .count(),
        1
    );
    let pruned = format!("[prune]\nemojis = true\n\n{only_one}");
    let plan = guild.apply(&files.desired(&pruned)).await;
    assert_eq!(described(&plan), "delete emoji :miyabi:");
    assert_eq!(guild.emulator.state().emojis.len(), 1);
}

#[tokio::test]
async fn a_file_without_emoji_does_not_read_them() {
    let guild = Guild::start(state()).await;
    let files = Files::new();
    guild
        .plan(&files.desired("[guild]\nname = \"Emoji\"\n"))
        .await;
    let requests = guild.emulator.requests();
    assert_eq!(requests.count_route("GET /guilds/{guild_id}/emojis"), 0);
    assert_eq!(requests.len(), 4);
}

#[tokio::test]
async fn slots_are_checked_before_any_write() {
    let mut seeded = state();
    for n in 0..50 {
        seeded.emojis.push(
            serde_json::from_value(serde_json::json!({
                "id": (5000 + n).to_string(), "name": format!("old_{n}")
            }))
            .unwrap(),
        );
    }
    let guild = Guild::start(seeded).await;
    let files = Files::new();
    files.copy("red.png", "wave.png");
    let desired = files.desired("[[emojis]]\nname = \"miyabi\"\nfile = \"images/wave.png\"\n");
    let plan = guild.plan(&desired).await;
    let live = guild.live(Some(&desired)).await;
    let refusals = miyabi_guild::safety::preflight(&plan, &live);
    assert!(
        refusals
            .iter()
            .any(|refusal| refusal.message.contains("51 static emoji")),
        "{refusals:?}"
    );
    // The emulator, like Discord, would refuse the upload mid-apply.
    let report = miyabi_guild::apply::execute(
        &guild.discord,
        &plan,
        &miyabi_guild::apply::Assets::of(&desired),
        miyabi_guild::apply::Options::default(),
        &miyabi_guild::apply::Silent,
        &miyabi_guild::apply::Interrupt::never(),
    )
    .await;
    let (_, error) = report.failed.expect("refused");
    assert_eq!(error.code(), Some(30008), "{error}");
}

#[tokio::test]
async fn a_lost_create_answer_is_found_before_retrying() {
    let guild = Guild::start(state()).await;
    let files = Files::new();
    files.copy("red.png", "wave.png");
    let desired = files.desired("[[emojis]]\nname = \"miyabi\"\nfile = \"images/wave.png\"\n");
    guild
        .emulator
        .inject(miyabi_guild::emulator::Fault::LoseAnswer {
            method: "POST".to_owned(),
            route: "/guilds/{guild_id}/emojis".to_owned(),
        });
    guild.apply(&desired).await;
    assert_eq!(guild.emulator.state().emojis.len(), 1, "no duplicate");
    assert!(guild.plan(&desired).await.changes.is_empty());
}

#[tokio::test]
async fn import_downloads_emoji_and_plans_no_changes() {
    let guild = Guild::start(state()).await;
    let files = Files::new();
    files.copy("red.png", "wave.png");
    guild.apply(&files.desired(FILE)).await;
    let out = tempfile::tempdir().expect("temp dir");
    let imported = common::run(
        out.path(),
        Some(&guild.emulator),
        &["import", "--out", "server.toml"],
    )
    .await;
    assert_eq!(imported.code, 0, "{}", imported.stderr);
    let file = std::fs::read_to_string(out.path().join("server.toml")).unwrap();
    assert!(file.contains("[[emojis]]\nname = \"miyabi\"\nfile = \"images/emojis/miyabi.png\"\nroles = [\"helper\"]"), "{file}");
    assert!(
        file.contains("file = \"images/emojis/party.gif\""),
        "{file}"
    );
    common::assert_converged(out.path(), &guild.emulator).await;
}

#[tokio::test]
async fn plan_and_drift_show_emoji_changes() {
    let guild = Guild::start(state()).await;
    let files = Files::new();
    files.copy("red.png", "wave.png");
    std::fs::write(files.0.path().join("server.toml"), FILE).unwrap();
    let dir = files.0.path();
    let plan = common::run(dir, Some(&guild.emulator), &["plan"]).await;
    insta::assert_snapshot!("emoji_plan_new", plan.snapshot());
    let applied = common::run(dir, Some(&guild.emulator), &["apply", "--auto-approve"]).await;
    assert_eq!(applied.code, 0, "{}", applied.stderr);
    common::assert_converged(dir, &guild.emulator).await;

    files.copy("blue.png", "wave.png");
    std::fs::write(
        files.0.path().join("server.toml"),
        FILE.replace("roles = [\"helper\"]\n", "").replace(
            "name = \"party\"\nfile = \"images/dot.gif\"\n",
            "name = \"party\"\nfile = \"images/dot.gif\"\nroles = [\"helper\"]\n",
        ),
    )
    .unwrap();
    let plan = common::run(dir, Some(&guild.emulator), &["plan"]).await;
    insta::assert_snapshot!("emoji_plan_changed", plan.snapshot());
    let markdown = common::run(dir, Some(&guild.emulator), &["plan", "--markdown"]).await;
    assert!(
        markdown.stdout.contains("emoji :miyabi:"),
        "{}",
        markdown.stdout
    );
    let drift = common::run(dir, Some(&guild.emulator), &["drift"]).await;
    insta::assert_snapshot!("emoji_drift", drift.snapshot());
}

const SOUNDS: &str =
    "[[soundboard]]\nname = \"chime\"\nfile = \"sounds/chime.mp3\"\nvolume = 0.5\nemoji = \"🔔\"\n";

fn sound_files() -> Files {
    let files = Files::new();
    common::copy_tree(
        &common::repo().join("tests/fixtures/sounds"),
        &files.0.path().join("sounds"),
    );
    files
}

#[tokio::test]
async fn sounds_converge_update_in_place_and_replace_a_changed_file() {
    let guild = Guild::start(state()).await;
    let files = sound_files();
    let desired = files.desired(SOUNDS);
    let plan = guild.apply(&desired).await;
    assert_eq!(described(&plan), "create sound \"chime\"");
    assert_eq!(guild.take_writes(), 1);
    let sound = guild.emulator.state().sounds[0].clone();
    assert_eq!(
        (sound.volume, sound.emoji_name.as_deref()),
        (0.5, Some("🔔"))
    );
    let plan = guild.plan(&desired).await;
    assert!(plan.changes.is_empty(), "{}", described(&plan));
    assert_eq!(
        guild
            .emulator
            .requests()
            .count_route("GET /soundboard-sounds/{sound_id}"),
        1
    );
    guild.apply(&desired).await;
    assert_eq!(guild.take_writes(), 0);

    let louder = files.desired(&SOUNDS.replace("0.5", "0.8"));
    let plan = guild.apply(&louder).await;
    assert!(matches!(
        plan.changes.as_slice(),
        [Change::UpdateSound { .. }]
    ));
    assert_eq!(guild.take_writes(), 1);

    std::fs::copy(
        files.0.path().join("sounds/bell.ogg"),
        files.0.path().join("sounds/chime.mp3"),
    )
    .unwrap();
    let changed = files.desired(&SOUNDS.replace("0.5", "0.8"));
    let plan = guild.apply(&changed).await;
    assert!(
        matches!(plan.changes.as_slice(), [Change::ReplaceSound { .. }]),
        "{}",
        described(&plan)
    );
    assert_eq!(guild.take_writes(), 2);
    assert!(guild.plan(&changed).await.changes.is_empty());

    // Import downloads the sound and plans no changes.
    let out = tempfile::tempdir().expect("temp dir");
    let imported = common::run(
        out.path(),
        Some(&guild.emulator),
        &["import", "--out", "server.toml"],
    )
    .await;
    assert_eq!(imported.code, 0, "{}", imported.stderr);
    let file = std::fs::read_to_string(out.path().join("server.toml")).unwrap();
    assert!(
        file.contains("[[soundboard]]\nname = \"chime\"\nfile = \"sounds/chime-"),
        "{file}"
    );
    assert!(
        file.contains(".ogg\"\nvolume = 0.8\nemoji = \"🔔\""),
        "{file}"
    );
    common::assert_converged(out.path(), &guild.emulator).await;
}

#[tokio::test]
async fn sound_files_and_slots_are_checked() {
    let files = sound_files();
    std::fs::write(files.0.path().join("sounds/fake.mp3"), b"not audio").unwrap();
    let path = files.0.path().join("server.toml");
    let text = "[[soundboard]]\nname = \"x\"\nfile = \"sounds/fake.mp3\"\nvolume = 2\n";
    std::fs::write(&path, text).unwrap();
    let checked = common::run(files.0.path(), None, &["validate"]).await;
    assert_ne!(checked.code, 0);
    for expected in [
        "sound name `x` is 1 characters long",
        "volume 2 is not between 0 and 1",
        "is not an MP3 or Ogg file",
    ] {
        assert!(checked.stderr.contains(expected), "{}", checked.stderr);
    }

    let mut seeded = state();
    for n in 0..8 {
        seeded.sounds.push(
            serde_json::from_value(
                serde_json::json!({ "id": (7000 + n).to_string(), "name": format!("old {n}") }),
            )
            .unwrap(),
        );
    }
    let guild = Guild::start(seeded).await;
    let desired = files.desired(SOUNDS);
    let plan = guild.plan(&desired).await;
    let live = guild.live(Some(&desired)).await;
    let refusals = miyabi_guild::safety::preflight(&plan, &live);
    assert!(
        refusals
            .iter()
            .any(|r| r.message.contains("9 soundboard sounds")),
        "{refusals:?}"
    );
}

const STICKERS: &str = "[[stickers]]\nname = \"miyabi wave\"\ndescription = \"Hello from Miyabi\"\ntags = \"👋\"\nfile = \"images/sticker.png\"\n";

#[tokio::test]
async fn stickers_upload_as_form_data_converge_and_replace_a_changed_file() {
    let guild = Guild::start(state()).await;
    let files = Files::new();
    files.copy("red.png", "sticker.png");
    let desired = files.desired(STICKERS);
    let plan = guild.apply(&desired).await;
    assert_eq!(described(&plan), "create sticker \"miyabi wave\"");
    assert_eq!(guild.take_writes(), 1);
    let sticker = guild.emulator.state().stickers[0].clone();
    assert_eq!((sticker.tags.as_str(), sticker.format_type), ("👋", 1));
    let plan = guild.plan(&desired).await;
    assert!(plan.changes.is_empty(), "{}", described(&plan));
    assert_eq!(
        guild
            .emulator
            .requests()
            .count_route("GET /stickers/{sticker_id}"),
        1
    );
    guild.apply(&desired).await;
    assert_eq!(guild.take_writes(), 0);

    let retagged = files.desired(&STICKERS.replace("👋", "🌊"));
    let plan = guild.apply(&retagged).await;
    assert!(matches!(
        plan.changes.as_slice(),
        [Change::UpdateSticker { .. }]
    ));
    assert_eq!(guild.take_writes(), 1);

    files.copy("spin.apng", "sticker.png");
    let changed = files.desired(&STICKERS.replace("👋", "🌊"));
    let plan = guild.apply(&changed).await;
    assert!(
        matches!(plan.changes.as_slice(), [Change::ReplaceSticker { .. }]),
        "{}",
        described(&plan)
    );
    assert_eq!(guild.take_writes(), 2);
    assert_eq!(guild.emulator.state().stickers[0].format_type, 2, "an APNG");
    assert!(guild.plan(&changed).await.changes.is_empty());

    let out = tempfile::tempdir().expect("temp dir");
    let imported = common::run(
        out.path(),
        Some(&guild.emulator),
        &["import", "--out", "server.toml"],
    )
    .await;
    assert_eq!(imported.code, 0, "{}", imported.stderr);
    let file = std::fs::read_to_string(out.path().join("server.toml")).unwrap();
    assert!(file.contains("[[stickers]]\nname = \"miyabi wave\"\ndescription = \"Hello from Miyabi\"\ntags = \"🌊\"\nfile = \"stickers/miyabi-wave-"), "{file}");
    common::assert_converged(out.path(), &guild.emulator).await;
}

#[tokio::test]
async fn sticker_slots_and_lottie_are_refused_before_any_write() {
    let mut seeded = state();
    for n in 0..5 {
        seeded.stickers.push(
            serde_json::from_value(serde_json::json!({ "id": (8000 + n).to_string(), "name": format!("old {n}"), "tags": "x" }))
                .unwrap(),
        );
    }
    let guild = Guild::start(seeded).await;
    let files = Files::new();
    let desired = files.desired(&STICKERS.replace("images/sticker.png", "images/wave.json"));
    let plan = guild.plan(&desired).await;
    let live = guild.live(Some(&desired)).await;
    let refusals: Vec<String> = miyabi_guild::safety::preflight(&plan, &live)
        .into_iter()
        .map(|refusal| refusal.message)
        .collect();
    assert!(
        refusals.iter().any(|r| r.contains("6 stickers")),
        "{refusals:?}"
    );
    assert!(
        refusals.iter().any(|r| r.contains("Lottie")),
        "{refusals:?}"
    );
}
