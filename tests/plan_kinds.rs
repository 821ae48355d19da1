//! The plan for a change of each kind, as a person reads it: one base server applied once, then
//! one plan per variant of the file, snapshot-tested.

mod common;

use common::{run, start};
use miyabi_guild::emulator::GuildState;

const BASE: &str = r##"#:schema ./schemas/server.schema.json
[guild]
name = "Plan Kinds"
verification_level = "low"
explicit_content_filter = "all_members"
rules_channel = "rules"
public_updates_channel = "mod-log"
community = true

[everyone]
permissions = ["view_channel", "read_message_history", "send_messages"]

[[roles]]
key = "admin"
name = "Admin"
color = "#e74c3c"
hoist = true
permissions = ["administrator"]

[[roles]]
key = "mod"
name = "Moderator"
color = "#e67e22"
permissions = ["kick_members", "manage_messages"]

[[roles]]
key = "member"
name = "Member"
permissions = ["send_messages"]

[[categories]]
name = "INFO"
overwrites = [{ role = "everyone", deny = ["send_messages"] }, { role = "mod", allow = ["send_messages"] }]

[[categories.channels]]
name = "rules"
topic = "Read these first"

[[categories.channels]]
name = "news"
topic = "What is new"

[[categories]]
name = "COMMUNITY"

[[categories.channels]]
name = "general"
topic = "Talk about anything"
slowmode = 5

[[categories.channels]]
name = "help"
type = "forum"
topic = "Ask for help"
tags = [{ key = "bug", name = "Bug", emoji = "🐛" }, { key = "question", name = "Question" }]

[[categories.channels]]
name = "Lounge"
type = "voice"
user_limit = 10

[[categories.channels]]
name = "Town Hall"
type = "voice"

[[categories]]
name = "STAFF"
overwrites = [{ role = "everyone", deny = ["view_channel"] }, { role = "mod", allow = ["view_channel"] }]

[[categories.channels]]
name = "mod-log"
"##;

/// `(name, [(find, replace)])`: each variant is the base file with these edits.
const VARIANTS: &[(&str, &[(&str, &str)])] = &[
    (
        "role_fields",
        &[(
            "color = \"#e67e22\"\npermissions = [\"kick_members\", \"manage_messages\"]",
            "color = \"#d35400\"\nhoist = true\npermissions = [\"kick_members\", \"ban_members\"]",
        )],
    ),
    (
        "role_rename",
        &[(
            "name = \"Moderator\"",
            "name = \"🟠 Moderator\"\npreviously = [\"Moderator\"]",
        )],
    ),
    (
        "role_create_and_reorder",
        &[(
            "[[roles]]\nkey = \"member\"",
            "[[roles]]\nkey = \"vip\"\nname = \"VIP\"\ncolor = \"#f1c40f\"\n\n[[roles]]\nkey = \"member\"",
        )],
    ),
    (
        "role_reorder",
        &[
            (
                "[[roles]]\nkey = \"mod\"\nname = \"Moderator\"\ncolor = \"#e67e22\"\npermissions = [\"kick_members\", \"manage_messages\"]\n\n",
                "",
            ),
            (
                "permissions = [\"send_messages\"]\n",
                "permissions = [\"send_messages\"]\n\n[[roles]]\nkey = \"mod\"\nname = \"Moderator\"\ncolor = \"#e67e22\"\npermissions = [\"kick_members\", \"manage_messages\"]\n",
            ),
        ],
    ),
    (
        "role_delete",
        &[
            (
                "[[roles]]\nkey = \"member\"\nname = \"Member\"\npermissions = [\"send_messages\"]\n",
                "",
            ),
            ("[everyone]", "[prune]\nroles = true\n\n[everyone]"),
        ],
    ),
    (
        "everyone_permissions",
        &[(
            "permissions = [\"view_channel\", \"read_message_history\", \"send_messages\"]",
            "permissions = [\"view_channel\", \"read_message_history\", \"add_reactions\"]",
        )],
    ),
    (
        "text_settings",
        &[(
            "topic = \"Talk about anything\"\nslowmode = 5",
            "topic = \"\"\"\nTalk about anything.\nBe kind; no spam.\nEnglish please.\"\"\"\nslowmode = 30\nnsfw = true\ndefault_auto_archive = 10080",
        )],
    ),
    (
        "voice_settings",
        &[(
            "user_limit = 10",
            "user_limit = 25\nbitrate = 96000\nrtc_region = \"japan\"\nvideo_quality = \"full\"",
        )],
    ),
    (
        "channel_moves_category",
        &[
            (
                "[[categories.channels]]\nname = \"general\"\ntopic = \"Talk about anything\"\nslowmode = 5\n",
                "",
            ),
            (
                "[[categories.channels]]\nname = \"news\"",
                "[[categories.channels]]\nname = \"general\"\ntopic = \"Talk about anything\"\nslowmode = 5\n\n[[categories.channels]]\nname = \"news\"",
            ),
        ],
    ),
    (
        "category_overwrites_with_synced_children",
        &[(
            "{ role = \"mod\", allow = [\"send_messages\"] }]",
            "{ role = \"mod\", allow = [\"send_messages\", \"manage_messages\"] }, { role = \"admin\", allow = [\"mention_everyone\"] }]",
        )],
    ),
    (
        "text_becomes_announcement",
        &[(
            "name = \"news\"",
            "name = \"news\"\ntype = \"announcement\"",
        )],
    ),
    (
        "voice_replaced_by_stage",
        &[(
            "name = \"Town Hall\"\ntype = \"voice\"",
            "name = \"Town Hall\"\ntype = \"stage\"",
        )],
    ),
    (
        "forum_settings_and_tags",
        &[(
            "tags = [{ key = \"bug\", name = \"Bug\", emoji = \"🐛\" }, { key = \"question\", name = \"Question\" }]",
            "tags = [{ key = \"question\", name = \"Question\" }, { key = \"bug\", name = \"Defect\", emoji = \"🐛\", previously = [\"Bug\"] }, { key = \"solved\", name = \"Solved\", emoji = \"✅\", moderated = true }]\ndefault_reaction = \"👍\"\ndefault_layout = \"list\"\ndefault_sort_order = \"creation_date\"\nrequire_tag = true",
        )],
    ),
    (
        "channel_create_and_prune",
        &[
            (
                "[[categories.channels]]\nname = \"mod-log\"",
                "[[categories.channels]]\nname = \"mod-log\"\n\n[[categories.channels]]\nname = \"reports\"\ntopic = \"Member reports\"",
            ),
            (
                "[[categories.channels]]\nname = \"Lounge\"\ntype = \"voice\"\nuser_limit = 10\n",
                "",
            ),
            ("[everyone]", "[prune]\nchannels = true\n\n[everyone]"),
        ],
    ),
    (
        "channel_reorder",
        &[
            (
                "name = \"rules\"\ntopic = \"Read these first\"",
                "name = \"TMP\"",
            ),
            (
                "name = \"news\"\ntopic = \"What is new\"",
                "name = \"rules\"\ntopic = \"Read these first\"",
            ),
            ("name = \"TMP\"", "name = \"news\"\ntopic = \"What is new\""),
        ],
    ),
    (
        "category_rename",
        &[(
            "name = \"COMMUNITY\"",
            "name = \"💬 COMMUNITY\"\npreviously = [\"COMMUNITY\"]",
        )],
    ),
    (
        "guild_settings",
        &[
            (
                "name = \"Plan Kinds\"",
                "name = \"Plan Kinds Reloaded\"\ndescription = \"A server to show every kind of change\"\ndefault_notifications = \"only_mentions\"\nafk_channel = \"Lounge\"\nafk_timeout = 900",
            ),
            (
                "verification_level = \"low\"",
                "verification_level = \"medium\"",
            ),
        ],
    ),
];

fn variant(edits: &[(&str, &str)]) -> String {
    edits.iter().fold(BASE.to_owned(), |text, (find, replace)| {
        assert!(
            text.contains(find),
            "the variant's edit does not apply: {find}"
        );
        text.replacen(find, replace, 1)
    })
}

#[tokio::test(flavor = "multi_thread")]
async fn the_plan_for_each_kind_of_change() {
    let emulator = start(GuildState::new_empty("Plan Kinds")).await;
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("server.toml"), BASE).unwrap();
    // In plan order, so every run gives the channels the same positions: the plans below
    // (a move between categories) depend on where created channels landed, not only in what
    // order.
    let apply = run(
        dir.path(),
        Some(&emulator),
        &["apply", "--auto-approve", "--parallel", "1"],
    )
    .await;
    assert_eq!(apply.code, 0, "{}\n{}", apply.stdout, apply.stderr);
    let plan = run(
        dir.path(),
        Some(&emulator),
        &["plan", "--detailed-exitcode"],
    )
    .await;
    assert_eq!(plan.code, 0, "the base converges:\n{}", plan.stdout);

    for (name, edits) in VARIANTS {
        std::fs::write(dir.path().join("server.toml"), variant(edits)).unwrap();
        let plan = run(
            dir.path(),
            Some(&emulator),
            &["plan", "--detailed-exitcode"],
        )
        .await;
        assert_eq!(
            plan.code, 2,
            "{name}: expected changes\n{}\n{}",
            plan.stdout, plan.stderr
        );
        insta::assert_snapshot!(*name, plan.snapshot());
    }
}
