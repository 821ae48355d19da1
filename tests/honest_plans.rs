//! Honest renames and access lines: a rename without `previously` says so, a text channel that
//! becomes an announcement channel is the same channel for access, Discord's own side effects
//! are shown as predicted beside the live value, and a reorder lists what moves.

mod common;

use common::library::{Guild, described, desired};
use miyabi_guild::access::{View, changes};
use miyabi_guild::emulator::GuildState;
use miyabi_guild::plan::{Change, Plan};
use miyabi_guild::render::Style;

const STAFF: &str = r##"
[[roles]]
key = "moderator"
name = "NAME"
color = "#e67e22"
permissions = ["kick_members"]

[[channels]]
name = "staff"
topic = "Staff only"
overwrites = [
  { role = "everyone", deny = ["view_channel"] },
  { role = "moderator", allow = ["view_channel"] },
]
"##;

fn human(plan: &Plan) -> String {
    let mut out = Vec::new();
    miyabi_guild::render::human::plan(plan, Style::PLAIN, &mut out).unwrap();
    String::from_utf8(out).unwrap()
}

/// Access lines of applying `file` to the guild.
async fn access_lines(guild: &Guild, file: &miyabi_guild::model::DesiredGuild) -> Vec<String> {
    let live = guild.live(Some(file)).await;
    changes(
        &View::from_live(&live, Some(file)),
        &View::from_desired_on(file, &live),
    )
    .iter()
    .map(ToString::to_string)
    .collect()
}

#[tokio::test(flavor = "multi_thread")]
async fn a_role_renamed_without_previously_is_a_warning_and_its_members_lose_access() {
    let guild = Guild::start(GuildState::new_empty("Renames")).await;
    guild
        .apply(&desired(&STAFF.replace("NAME", "Moderator")))
        .await;

    let renamed = desired(&STAFF.replace("NAME", "🟠 Moderator"));
    let plan = guild.plan(&renamed).await;
    assert!(
        plan.warnings.iter().any(|w| w.contains(
            "did you rename \"Moderator\"? add `previously = [\"Moderator\"]` to role `moderator`"
        )),
        "{:#?}",
        plan.warnings
    );
    let lines = access_lines(&guild, &renamed).await;
    assert!(
        lines.contains(&"#staff is no longer visible to Moderator".to_owned()),
        "{lines:#?}"
    );

    // With `previously`, it is a rename: no warning, nobody loses anything.
    let honest = desired(
        &STAFF
            .replace("NAME", "🟠 Moderator")
            .replace("color =", "previously = [\"Moderator\"]\ncolor ="),
    );
    let plan = guild.plan(&honest).await;
    assert!(
        plan.warnings.iter().all(|w| !w.contains("did you rename")),
        "{:#?}",
        plan.warnings
    );
    assert!(access_lines(&guild, &honest).await.is_empty());
}

#[tokio::test(flavor = "multi_thread")]
async fn a_channel_renamed_without_previously_is_a_warning() {
    let guild = Guild::start(GuildState::new_empty("Renames")).await;
    guild
        .apply(&desired(&STAFF.replace("NAME", "Moderator")))
        .await;
    let plan = guild
        .plan(&desired(
            &STAFF
                .replace("NAME", "Moderator")
                .replace("name = \"staff\"", "name = \"staff-room\""),
        ))
        .await;
    assert!(
        plan.warnings.iter().any(|w| w.contains(
            "#staff-room is created, and #staff in the same place with the same topic is not in the file: did you rename it? add `previously = [\"staff\"]`"
        )),
        "{:#?}",
        plan.warnings
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_text_channel_that_becomes_an_announcement_channel_is_the_same_channel_for_access() {
    let mut state = GuildState::new_empty("Convert");
    state.guild.features = vec!["COMMUNITY".to_owned(), "NEWS".to_owned()];
    let guild = Guild::start(state).await;
    let text = "[[channels]]\nname = \"news\"\noverwrites = [{ role = \"everyone\", deny = [\"send_messages\"] }]\n";
    guild.apply(&desired(text)).await;
    let converted = desired(&text.replace(
        "name = \"news\"",
        "name = \"news\"\ntype = \"announcement\"",
    ));
    let plan = guild.plan(&converted).await;
    assert_eq!(plan.changes.len(), 1, "{}", described(&plan));
    let lines = access_lines(&guild, &converted).await;
    assert!(lines.is_empty(), "no false widening: {lines:#?}");
}

#[tokio::test(flavor = "multi_thread")]
async fn discords_copy_of_a_categorys_overwrites_is_predicted_beside_the_live_value() {
    let guild = Guild::start(GuildState::new_empty("Predicted")).await;
    let text = r#"
[[categories]]
name = "Info"
overwrites = [{ role = "everyone", deny = ["send_messages"] }]

[[categories.channels]]
name = "rules"
topic = "Read me"
"#;
    guild.apply(&desired(text)).await;
    let changed = desired(
        &text
            .replace(
                "deny = [\"send_messages\"]",
                "deny = [\"send_messages\", \"connect\"]",
            )
            .replace("Read me", "Read me first"),
    );
    let plan = guild.plan(&changed).await;
    let update = plan
        .changes
        .iter()
        .find_map(|change| match change {
            Change::UpdateChannel {
                before,
                after,
                predicted_overwrites,
                ..
            } if after.name == "rules" => Some((before, predicted_overwrites)),
            _ => None,
        })
        .expect("#rules is updated");
    let (before, predicted) = update;
    // `before` is what the channel has now; the prediction is the category's new overwrites.
    assert_eq!(before.overwrites.len(), 1);
    assert_eq!(
        before.overwrites[0].deny,
        miyabi_guild::permissions::Permissions::SEND_MESSAGES
    );
    let predicted = predicted.as_ref().expect("a prediction");
    assert!(
        predicted[0]
            .deny
            .contains(miyabi_guild::permissions::Permissions::CONNECT)
    );
    let json = serde_json::to_value(&plan).unwrap();
    let rules = json["changes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["after"]["name"] == "rules")
        .unwrap();
    assert!(rules["before"]["overwrites"].is_array());
    assert!(rules["predicted_overwrites"].is_array());
    let shown = human(&plan);
    assert!(
        shown.contains("Discord copies the category's new overwrites here first (predicted)"),
        "{shown}"
    );
    // Applying it converges: the prediction was right.
    guild.apply(&changed).await;
    let again = guild.plan(&changed).await;
    assert!(again.is_empty(), "{}", described(&again));
}

#[tokio::test(flavor = "multi_thread")]
async fn swapping_two_of_44_roles_lists_those_two() {
    let roles = |order: &[usize]| -> String {
        order
            .iter()
            .map(|i| format!("[[roles]]\nkey = \"r{i}\"\nname = \"Role {i}\"\n\n"))
            .collect()
    };
    let guild = Guild::start(GuildState::new_empty("Roles")).await;
    let mut order: Vec<usize> = (0..44).collect();
    guild.apply(&desired(&roles(&order))).await;
    order.swap(10, 30);
    let plan = guild.plan(&desired(&roles(&order))).await;
    assert_eq!(plan.changes.len(), 1, "{}", described(&plan));
    let shown = human(&plan);
    let moved: Vec<&str> = shown.lines().filter(|line| line.contains('→')).collect();
    assert_eq!(moved.len(), 2, "{shown}");
    assert!(shown.contains("2 of 44 declared roles move"), "{shown}");
    assert!(moved[0].contains("Role 30 (now 12th, was 32nd)"), "{shown}");
    assert!(moved[1].contains("Role 10 (now 32nd, was 12th)"), "{shown}");
}
