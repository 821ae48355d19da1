//! Overwrites written once: one entry for several roles, a channel extending its category's,
//! named presets, and what a category does with channels the file does not list. All of it is
//! resolved before the diff: the plan and `access` show the overwrites in effect.

mod common;

use common::library::{Guild, described, desired};
use miyabi_guild::emulator::GuildState;
use miyabi_guild::emulator::state::Channel;
use miyabi_guild::model::{DesiredOverwrites, DesiredTarget, Overwrite};
use miyabi_guild::permissions::Permissions;
use miyabi_guild::plan::{Change, Field};
use serde_json::json;

const ROLES: &str = r#"
[[roles]]
key = "admin"
name = "Admin"

[[roles]]
key = "moderator"
name = "Moderator"

[[roles]]
key = "team"
name = "Team"
"#;

fn overwrites_of(
    file: &miyabi_guild::model::DesiredGuild,
    name: &str,
) -> Vec<Overwrite<DesiredTarget>> {
    let channel = file.channels.iter().find(|c| c.name == name).unwrap();
    match &channel.overwrites {
        DesiredOverwrites::Explicit(list) => list.clone(),
        DesiredOverwrites::SyncWithParent => panic!("{name} is synced"),
    }
}

fn role(key: &str) -> DesiredTarget {
    DesiredTarget::Role(key.to_owned())
}

const VIEW: Permissions = Permissions::VIEW_CHANNEL;

#[test]
fn one_entry_for_several_roles_is_one_overwrite_each() {
    let file = desired(&format!(
        "{ROLES}\n[[channels]]\nname = \"staff\"\noverwrites = [{{ role = \"everyone\", deny = [\"view_channel\"] }}, {{ roles = [\"admin\", \"moderator\"], allow = [\"view_channel\"] }}]\n"
    ));
    let targets: Vec<(DesiredTarget, Permissions)> = overwrites_of(&file, "staff")
        .into_iter()
        .map(|o| (o.target, o.allow))
        .collect();
    assert_eq!(
        targets,
        [
            (DesiredTarget::Everyone, Permissions::NONE),
            (role("admin"), VIEW),
            (role("moderator"), VIEW),
        ]
    );
}

const EXTENDED: &str = r#"
[[categories]]
name = "Staff"
overwrites = [
  { role = "everyone", deny = ["view_channel"] },
  { roles = ["admin", "moderator"], allow = ["view_channel"] },
]

[[categories.channels]]
name = "mod-chat"

[[categories.channels]]
name = "announcements"
overwrites_extend = [
  { role = "team", allow = ["view_channel"] },
  { role = "moderator", allow = ["send_messages"], deny = ["view_channel"] },
]
"#;

#[test]
fn a_channel_extends_its_categorys_overwrites() {
    let file = desired(&format!("{ROLES}{EXTENDED}"));
    let effective: Vec<(DesiredTarget, Permissions, Permissions)> =
        overwrites_of(&file, "announcements")
            .into_iter()
            .map(|o| (o.target, o.allow, o.deny))
            .collect();
    assert_eq!(
        effective,
        [
            (DesiredTarget::Everyone, Permissions::NONE, VIEW),
            (role("admin"), VIEW, Permissions::NONE),
            // Tightened: the moderator keeps the entry, now denied the view it had.
            (role("moderator"), Permissions::SEND_MESSAGES, VIEW),
            (role("team"), VIEW, Permissions::NONE),
        ]
    );
    // `access` reads the effective overwrites.
    let view = miyabi_guild::access::View::from_desired(
        &file,
        miyabi_guild::access::default_everyone_permissions(),
    );
    let matrix = view.matrix();
    let row = matrix
        .channels
        .iter()
        .position(|c| c.name == "announcements")
        .unwrap();
    let column = |key: &str| matrix.subject_index(key).unwrap();
    assert!(matrix.cells[row][column("team")].access.view);
    assert!(!matrix.cells[row][column("moderator")].access.view);
    assert!(!matrix.cells[row][column("everyone")].access.view);
}

#[test]
fn presets_are_written_once_and_used_by_categories_and_channels() {
    let text = format!(
        r#"{ROLES}
[presets.staff-only]
overwrites = [
  {{ role = "everyone", deny = ["view_channel"] }},
  {{ roles = ["admin", "moderator"], allow = ["view_channel"] }},
]

[[categories]]
name = "Staff"
preset = "staff-only"

[[categories.channels]]
name = "mod-chat"

[[channels]]
name = "team-room"
preset = "staff-only"
overwrites = [{{ role = "team", allow = ["view_channel"] }}]
"#
    );
    let file = desired(&text);
    let category = overwrites_of(&file, "Staff");
    assert_eq!(category.len(), 3);
    let room = overwrites_of(&file, "team-room");
    assert_eq!(room.len(), 4);
    assert_eq!(room[..3], category[..]);

    let typo = text.replacen("preset = \"staff-only\"", "preset = \"staff-onyl\"", 1);
    let source = miyabi_guild::config::Source::new("server.toml", typo);
    let (_, diagnostics) = miyabi_guild::config::parse(source).expect_err("unknown preset");
    let error = diagnostics.iter().find(|d| d.is_error()).unwrap();
    assert_eq!(error.message, "unknown preset `staff-onyl`");
    assert_eq!(error.hint.as_deref(), Some("did you mean `staff-only`?"));
}

#[test]
fn an_unused_preset_is_a_warning() {
    let source = miyabi_guild::config::Source::new(
        "server.toml",
        "[presets.quiet]\noverwrites = [{ role = \"everyone\", deny = [\"send_messages\"] }]\n",
    );
    let loaded = miyabi_guild::config::parse(source).expect("valid");
    assert_eq!(loaded.warnings[0].message, "preset `quiet` is not used");
}

#[test]
fn overwrites_extend_is_for_channels_in_a_category_alone() {
    let check = |text: &str, message: &str| {
        let source = miyabi_guild::config::Source::new("server.toml", format!("{ROLES}{text}"));
        let (_, diagnostics) = miyabi_guild::config::parse(source).expect_err(message);
        assert!(
            diagnostics.iter().any(|d| d.message == message),
            "{message}: {diagnostics:#?}"
        );
    };
    check(
        "[[channels]]\nname = \"a\"\noverwrites_extend = [{ role = \"team\", allow = [\"view_channel\"] }]\n",
        "`overwrites_extend` only applies to channels in a category",
    );
    check(
        "[[categories]]\nname = \"C\"\n[[categories.channels]]\nname = \"a\"\noverwrites = []\noverwrites_extend = [{ role = \"team\", allow = [\"view_channel\"] }]\n",
        "`overwrites_extend` cannot be combined with `overwrites`",
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn extended_and_preset_overwrites_apply_and_converge() {
    let guild = Guild::start(GuildState::new_empty("Once")).await;
    let text = format!("{ROLES}{EXTENDED}");
    guild.apply(&desired(&text)).await;
    let plan = guild.plan(&desired(&text)).await;
    assert!(plan.is_empty(), "{}", described(&plan));
}

/// A guild with category `Archive` holding `old-notes`, whose overwrites differ from the
/// category's, and `Archive` as a file describes it with `unlisted = rule`.
async fn archive(rule: &str) -> (Guild, String) {
    let mut state = GuildState::new_empty("Archive");
    let category = state.next_id();
    let everyone = state.guild_id();
    state.channels.push(
        serde_json::from_value::<Channel>(
            json!({ "id": category, "type": 4, "name": "Archive", "position": 0 }),
        )
        .unwrap(),
    );
    let old = state.next_id();
    state.channels.push(
        serde_json::from_value::<Channel>(json!({
            "id": old, "type": 0, "name": "old-notes", "position": 0, "parent_id": category,
            "permission_overwrites": [{ "id": everyone, "type": 0, "allow": "0", "deny": "2048" }],
        }))
        .unwrap(),
    );
    state.normalise();
    let text = format!(
        "[[categories]]\nname = \"Archive\"\nunlisted = \"{rule}\"\noverwrites = [{{ role = \"everyone\", deny = [\"view_channel\"] }}]\n\n[[categories.channels]]\nname = \"listed\"\n"
    );
    (Guild::start(state).await, text)
}

#[tokio::test(flavor = "multi_thread")]
async fn a_category_keeps_prunes_or_syncs_the_channels_the_file_does_not_list() {
    let unlisted = |plan: &miyabi_guild::plan::Plan| -> Vec<String> {
        plan.changes
            .iter()
            .filter(|change| change.describe().contains("old-notes"))
            .map(Change::describe)
            .collect()
    };
    for (rule, expected) in [
        ("keep", vec![]),
        ("prune", vec!["delete #old-notes".to_owned()]),
        ("sync", vec!["update #old-notes".to_owned()]),
    ] {
        let (guild, text) = archive(rule).await;
        let file = desired(&text);
        let plan = guild.apply(&file).await;
        assert_eq!(unlisted(&plan), expected, "{rule}: {}", described(&plan));
        if rule == "sync" {
            let update = plan
                .changes
                .iter()
                .find_map(|change| match change {
                    Change::UpdateChannel { before, after, .. } if after.name == "old-notes" => {
                        Some(miyabi_guild::plan::channel_fields(before, after))
                    }
                    _ => None,
                })
                .unwrap();
            assert_eq!(update, [Field::Overwrites]);
        }
        let again = guild.plan(&file).await;
        assert!(again.is_empty(), "{rule}: {}", described(&again));
    }
}
