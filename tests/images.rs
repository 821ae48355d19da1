//! Images compared by content: the guild's icon, banner and splashes, role icons and webhook
//! avatars. A changed file is a change, an unchanged one is not; the CDN is read only for images
//! the file declares and the guild has.

mod common;

use common::library::{Guild, described, desired_at};
use miyabi_guild::emulator::{GuildState, RequestsExt};
use miyabi_guild::plan::{Change, Field};

const STATE: &str = r#"{
  "token": "t", "bot_user_id": "200",
  "guild": { "id": "100", "name": "Images", "owner_id": "201", "features": [] },
  "roles": [
    { "id": "300", "name": "Bot", "permissions": "8", "position": 2, "managed": true,
      "tags": { "bot_id": "200" } },
    { "id": "301", "name": "Helper", "permissions": "0", "position": 1 }
  ],
  "channels": [ { "id": "400", "type": 0, "name": "general", "position": 0 } ],
  "members": [ { "user_id": "200", "roles": ["300"] } ]
}"#;

fn state(features: &[&str]) -> GuildState {
    let mut state = GuildState::from_json(STATE).expect("state");
    state.guild.features = features.iter().map(|f| (*f).to_owned()).collect();
    state
}

/// A folder with the fixture images and `server.toml` holding `text`.
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

    /// Replaces `images/<name>` with the bytes of fixture `from`.
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

fn cdn_reads(guild: &Guild) -> usize {
    guild
        .emulator
        .requests()
        .iter()
        .filter(|request| !request.path.starts_with("/api/"))
        .count()
}

fn guild_fields(plan: &miyabi_guild::plan::Plan) -> Vec<Field> {
    plan.changes
        .iter()
        .find_map(|change| match change {
            Change::UpdateGuild { before, after, .. } => {
                Some(miyabi_guild::plan::guild_fields(before, after))
            }
            _ => None,
        })
        .unwrap_or_default()
}

#[tokio::test]
async fn a_guild_icon_converges_and_a_changed_file_is_a_change() {
    let guild = Guild::start(state(&[])).await;
    let files = Files::new();
    files.copy("red.png", "icon.png");
    let desired = files.desired("[guild]\nicon = \"images/icon.png\"\n");

    let plan = guild.apply(&desired).await;
    assert_eq!(
        guild_fields(&plan),
        vec![Field::Icon],
        "{}",
        described(&plan)
    );
    assert_eq!(guild.take_writes(), 1);
    let hash = guild.emulator.state().guild.icon.clone().expect("an icon");

    // Unchanged file: no change; the icon is read from the CDN exactly once.
    let plan = guild.plan(&desired).await;
    assert!(plan.changes.is_empty(), "{}", described(&plan));
    assert_eq!(cdn_reads(&guild), 1);
    let cdn = guild.emulator.requests();
    let read = cdn.iter().find(|r| !r.path.starts_with("/api/")).unwrap();
    assert_eq!(read.path, format!("/icons/100/{hash}.png"));
    assert_eq!(read.route, "GET /icons/{guild_id}/{hash}");
    guild.apply(&desired).await;
    assert_eq!(guild.take_writes(), 0, "a second apply writes nothing");

    // The same name, other bytes: a change, and applying it converges again.
    files.copy("blue.png", "icon.png");
    let desired = files.desired("[guild]\nicon = \"images/icon.png\"\n");
    let plan = guild.apply(&desired).await;
    assert_eq!(
        guild_fields(&plan),
        vec![Field::Icon],
        "{}",
        described(&plan)
    );
    assert_eq!(guild.take_writes(), 1);
    assert_ne!(guild.emulator.state().guild.icon, Some(hash));
    assert!(guild.plan(&desired).await.changes.is_empty());

    // `""` removes it.
    let desired = files.desired("[guild]\nicon = \"\"\n");
    let plan = guild.apply(&desired).await;
    assert_eq!(guild_fields(&plan), vec![Field::Icon]);
    assert_eq!(guild.emulator.state().guild.icon, None);
    guild.emulator.clear_requests();
    assert!(guild.plan(&desired).await.changes.is_empty());
    assert_eq!(cdn_reads(&guild), 0, "nothing to compare: no CDN read");
}

#[tokio::test]
async fn a_file_without_images_reads_nothing_from_the_cdn() {
    let mut seeded = state(&[]);
    seeded.guild.icon = Some("0123456789abcdef0123456789abcdef".to_owned());
    let guild = Guild::start(seeded).await;
    let files = Files::new();
    let desired = files.desired("[guild]\nname = \"Images\"\n");
    let plan = guild.plan(&desired).await;
    assert!(plan.changes.is_empty(), "{}", described(&plan));
    assert_eq!(cdn_reads(&guild), 0);
    assert_eq!(
        guild.emulator.requests().len(),
        3 + 1,
        "bot user, guild, channels, member"
    );
}

#[tokio::test]
async fn banner_and_splashes_need_their_features_and_are_warnings_without_them() {
    let guild = Guild::start(state(&[])).await;
    let files = Files::new();
    let text = "[guild]\nbanner = \"images/red.png\"\ninvite_splash = \"images/red.png\"\ndiscovery_splash = \"images/red.png\"\nicon = \"images/dot.gif\"\n";
    let desired = files.desired(text);
    let plan = guild.plan(&desired).await;
    assert!(plan.changes.is_empty(), "{}", described(&plan));
    let warnings = plan.warnings.join("\n");
    for feature in ["BANNER", "INVITE_SPLASH", "DISCOVERABLE", "ANIMATED_ICON"] {
        assert!(warnings.contains(feature), "{warnings}");
    }
    guild.apply(&desired).await;
    assert_eq!(
        guild.take_writes(),
        0,
        "nothing Discord would refuse is sent"
    );

    // With the features (boosts), they are set, and converge.
    let mut boosted = state(&[
        "BANNER",
        "INVITE_SPLASH",
        "DISCOVERABLE",
        "COMMUNITY",
        "ANIMATED_ICON",
    ]);
    let general = boosted.channels[0].id;
    boosted.guild.rules_channel_id = Some(general);
    boosted.guild.public_updates_channel_id = Some(general);
    let guild = Guild::start(boosted).await;
    let plan = guild.apply(&desired).await;
    assert_eq!(
        guild_fields(&plan),
        vec![
            Field::Icon,
            Field::Banner,
            Field::InviteSplash,
            Field::DiscoverySplash
        ]
    );
    assert!(plan.warnings.is_empty(), "{:?}", plan.warnings);
    assert_eq!(guild.take_writes(), 1, "one guild update");
    let state = guild.emulator.state();
    assert!(state.guild.icon.as_deref().unwrap().starts_with("a_"));
    assert!(state.guild.banner.is_some() && state.guild.splash.is_some());
    assert!(state.guild.discovery_splash.is_some());
    let plan = guild.plan(&desired).await;
    assert!(plan.changes.is_empty(), "{}", described(&plan));
    assert_eq!(cdn_reads(&guild), 4, "one CDN read per declared image");
}

#[tokio::test]
async fn role_icons_compare_by_content() {
    let guild = Guild::start(state(&["ROLE_ICONS"])).await;
    let files = Files::new();
    files.copy("red.png", "helper.png");
    let text = "[[roles]]\nkey = \"helper\"\nname = \"Helper\"\nicon = \"images/helper.png\"\n";
    let desired = files.desired(text);
    let plan = guild.apply(&desired).await;
    assert_eq!(plan.changes.len(), 1, "{}", described(&plan));
    assert_eq!(guild.take_writes(), 1);
    let plan = guild.plan(&desired).await;
    assert!(plan.changes.is_empty(), "{}", described(&plan));
    assert_eq!(cdn_reads(&guild), 1);
    assert!(
        guild
            .emulator
            .requests()
            .iter()
            .any(|r| r.route == "GET /role-icons/{role_id}/{hash}" && r.status == 200)
    );
    guild.apply(&desired).await;
    assert_eq!(guild.take_writes(), 0);

    files.copy("blue.png", "helper.png");
    let desired = files.desired(text);
    let plan = guild.plan(&desired).await;
    match plan.changes.as_slice() {
        [Change::UpdateRole { before, after, .. }] => assert_eq!(
            miyabi_guild::plan::role_fields(before, after),
            vec![Field::Icon]
        ),
        other => panic!("{other:?}"),
    }
    guild.apply(&desired).await;
    assert_eq!(guild.take_writes(), 1);
    assert!(guild.plan(&desired).await.changes.is_empty());
}

#[tokio::test]
async fn webhook_avatars_compare_by_content() {
    let guild = Guild::start(state(&[])).await;
    let files = Files::new();
    files.copy("red.png", "hook.png");
    let text = "[[channels]]\nname = \"general\"\n\n[[webhooks]]\nname = \"GitHub\"\nchannel = \"general\"\navatar = \"images/hook.png\"\n";
    let desired = files.desired(text);
    guild.apply(&desired).await;
    assert_eq!(guild.take_writes(), 1);
    let plan = guild.plan(&desired).await;
    assert!(plan.changes.is_empty(), "{}", described(&plan));
    assert_eq!(cdn_reads(&guild), 1);
    guild.apply(&desired).await;
    assert_eq!(guild.take_writes(), 0);

    files.copy("blue.png", "hook.png");
    let desired = files.desired(text);
    let plan = guild.plan(&desired).await;
    assert!(
        matches!(plan.changes.as_slice(), [Change::UpdateWebhook { .. }]),
        "{}",
        described(&plan)
    );
    guild.apply(&desired).await;
    assert_eq!(guild.take_writes(), 1);
    assert!(guild.plan(&desired).await.changes.is_empty());
}

#[tokio::test]
async fn import_downloads_the_images_and_plans_no_changes() {
    let guild = Guild::start(state(&["ROLE_ICONS", "BANNER"])).await;
    let files = Files::new();
    let text = "[guild]\nicon = \"images/red.png\"\nbanner = \"images/blue.png\"\n\n[[roles]]\nkey = \"helper\"\nname = \"Helper\"\nicon = \"images/blue.png\"\n\n[[channels]]\nname = \"general\"\n\n[[webhooks]]\nname = \"GitHub\"\nchannel = \"general\"\navatar = \"images/red.png\"\n";
    guild.apply(&files.desired(text)).await;

    let out = tempfile::tempdir().expect("temp dir");
    let imported = common::run(
        out.path(),
        Some(&guild.emulator),
        &["import", "--out", "server.toml"],
    )
    .await;
    assert_eq!(imported.code, 0, "{}", imported.stderr);
    let file = std::fs::read_to_string(out.path().join("server.toml")).unwrap();
    assert!(file.contains("icon = \"images/guild-icon.png\""), "{file}");
    assert!(
        file.contains("banner = \"images/guild-banner.png\""),
        "{file}"
    );
    assert!(file.contains("icon = \"images/role-helper.png\""), "{file}");
    assert!(file.contains("avatar = \"images/webhook-github-"), "{file}");
    assert!(!file.contains("discord:"), "{file}");
    let fixture = |name: &str| {
        std::fs::read(common::repo().join("tests/fixtures/images").join(name)).unwrap()
    };
    assert_eq!(
        std::fs::read(out.path().join("images/guild-icon.png")).unwrap(),
        fixture("red.png")
    );
    assert_eq!(
        std::fs::read(out.path().join("images/role-helper.png")).unwrap(),
        fixture("blue.png")
    );
    common::assert_converged(out.path(), &guild.emulator).await;
    let cdn = guild
        .emulator
        .requests()
        .iter()
        .filter(|request| !request.path.starts_with("/api/"))
        .count();
    assert_eq!(cdn, 4, "the plan compares the four images it declares");
}

#[tokio::test]
async fn plan_and_drift_show_a_changed_image() {
    let guild = Guild::start(state(&["ROLE_ICONS"])).await;
    let files = Files::new();
    files.copy("red.png", "icon.png");
    let text = "[guild]\nicon = \"images/icon.png\"\n\n[[roles]]\nkey = \"helper\"\nname = \"Helper\"\nicon = \"images/icon.png\"\n";
    std::fs::write(files.0.path().join("server.toml"), text).unwrap();
    let dir = files.0.path();
    let plan = common::run(dir, Some(&guild.emulator), &["plan"]).await;
    insta::assert_snapshot!("images_plan_new", plan.snapshot());
    let applied = common::run(dir, Some(&guild.emulator), &["apply", "--auto-approve"]).await;
    assert_eq!(applied.code, 0, "{}", applied.stderr);
    common::assert_converged(dir, &guild.emulator).await;

    // The file's image changes: plan (human, JSON, Markdown) shows it.
    files.copy("blue.png", "icon.png");
    let plan = common::run(dir, Some(&guild.emulator), &["plan"]).await;
    insta::assert_snapshot!("images_plan_changed", plan.snapshot());
    let json = common::run(dir, Some(&guild.emulator), &["plan", "--json"]).await;
    let value: serde_json::Value = serde_json::from_str(&json.stdout).expect("json");
    let digest = miyabi_guild::images::digest(
        &std::fs::read(common::repo().join("tests/fixtures/images/blue.png")).unwrap(),
    );
    assert!(json.stdout.contains(&digest), "{}", json.stdout);
    // The guild's image is named by its digest in the change; its bytes are in the saved plan's
    // assets (`images`), once, for `apply PLAN`.
    assert!(
        value["images"][&digest]
            .as_str()
            .is_some_and(|uri| uri.starts_with("data:image/png;base64,")),
        "{}",
        json.stdout
    );
    assert_eq!(value["summary"]["update"], 2, "{}", json.stdout);
    let markdown = common::run(dir, Some(&guild.emulator), &["plan", "--markdown"]).await;
    assert!(markdown.stdout.contains("icon"), "{}", markdown.stdout);

    // Drift: the guild's image is not the file's.
    let drift = common::run(dir, Some(&guild.emulator), &["drift"]).await;
    insta::assert_snapshot!("images_drift", drift.snapshot());
}

/// The Miyabi server with the icon and banner of `assets/` and an emoji, on the sandbox guild
/// (boost level 0, no features): the icon and the emoji are set, the banner is a warning, and
/// the result converges (the next plan reads the icon and the emoji from the CDN and finds no
/// change; a second apply writes nothing).
#[tokio::test(flavor = "multi_thread")]
async fn the_miyabi_server_with_its_icon_converges_on_the_sandbox_guild() {
    let dir = common::workspace(&common::repo().join("server.toml"));
    let path = dir.path().join("server.toml");
    let text = std::fs::read_to_string(&path).unwrap();
    // server.toml itself declares them.
    assert!(text.contains("icon = \"assets/icon.png\""));
    assert!(text.contains("banner = \"assets/banner.png\""));
    assert!(text.contains("[[emojis]]\nname = \"miyabi\"\nfile = \"assets/icon.png\""));
    let emulator = common::start(common::sandbox_seed()).await;
    let plan = common::run(dir.path(), Some(&emulator), &["plan"]).await;
    assert_eq!(plan.code, 0, "{}", plan.stderr);
    assert!(
        plan.stdout.contains("needs the server feature BANNER"),
        "{}",
        plan.stdout
    );
    let applied = common::run(dir.path(), Some(&emulator), &["apply", "--auto-approve"]).await;
    assert_eq!(applied.code, 0, "{}\n{}", applied.stdout, applied.stderr);
    let state = emulator.state();
    assert!(state.guild.icon.is_some() && state.guild.banner.is_none());
    assert_eq!(state.emojis.len(), 1);
    common::assert_converged(dir.path(), &emulator).await;
    let mut cdn: Vec<String> = emulator
        .requests()
        .iter()
        .filter(|request| !request.path.starts_with("/api/"))
        .map(|request| request.route.clone())
        .collect();
    // The reads go out together: their order is the network's.
    cdn.sort();
    // The three GitHub webhooks' avatars (`assets/github.png`), the emoji and the icon.
    assert_eq!(
        cdn,
        [
            "GET /avatars/{webhook_id}/{hash}",
            "GET /avatars/{webhook_id}/{hash}",
            "GET /avatars/{webhook_id}/{hash}",
            "GET /emojis/{emoji_id}",
            "GET /icons/{guild_id}/{hash}"
        ],
        "one CDN read per declared image the guild has"
    );
    emulator.clear_requests();
    let again = common::run(dir.path(), Some(&emulator), &["apply", "--auto-approve"]).await;
    assert_eq!(again.code, 0, "{}", again.stderr);
    assert_eq!(emulator.requests().writes(), 0);
}

/// A saved plan carries the images it uploads: `plan --out` then `apply PLAN` sets the icon and
/// an emoji from the plan file alone, and converges.
#[tokio::test]
async fn a_saved_plan_carries_its_images() {
    let guild = Guild::start(state(&[])).await;
    let files = Files::new();
    let text = "[guild]\nicon = \"images/red.png\"\n\n[[emojis]]\nname = \"red\"\nfile = \"images/blue.png\"\n";
    std::fs::write(files.0.path().join("server.toml"), text).unwrap();
    let dir = files.0.path();
    let saved = common::run(dir, Some(&guild.emulator), &["plan", "--out", "plan.json"]).await;
    assert_eq!(saved.code, 0, "{}", saved.stderr);
    // The files may be gone: the plan has what it uploads.
    std::fs::remove_dir_all(dir.join("images")).unwrap();
    let applied = common::run(
        dir,
        Some(&guild.emulator),
        &["apply", "plan.json", "--auto-approve"],
    )
    .await;
    assert_eq!(applied.code, 0, "{}\n{}", applied.stdout, applied.stderr);
    let state = guild.emulator.state();
    assert!(state.guild.icon.is_some());
    assert_eq!(state.emojis.len(), 1);
    common::copy_tree(
        &common::repo().join("tests/fixtures/images"),
        &dir.join("images"),
    );
    common::assert_converged(dir, &guild.emulator).await;
}
