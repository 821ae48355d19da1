//! Channels with the same name in different categories: every team's `general` and `Join Here`.
//! Identity is category + name + kind when a name repeats; references say which one they mean.

mod common;

use common::library::{Guild, described, desired};
use common::sandbox_seed;
use miyabi_guild::emulator::GuildState;
use miyabi_guild::plan::{Change, ChangeKind, ChannelSpec, Field, MatchedBy};

const TEAMS: usize = 40;

/// `[prune] channels = true`, then 40 categories each holding `general` and `Join Here`; `edit`
/// rewrites the categories part.
fn course(edit: impl Fn(usize, &mut String)) -> String {
    let mut text = String::from(
        "[prune]\nchannels = true\n\n[guild]\nsystem_channel = \"general in Team 2\"\n\n",
    );
    text.push_str(REFERENCES);
    for team in 1..=TEAMS {
        let mut part = format!(
            "[[categories]]\nname = \"Team {team}\"\n\n[[categories.channels]]\nname = \"general\"\ntopic = \"Team {team} talk\"\n\n[[categories.channels]]\nname = \"Join Here\"\ntype = \"voice\"\n\n"
        );
        edit(team, &mut part);
        text.push_str(&part);
    }
    text
}

/// References to repeated channels from the other tables.
const REFERENCES: &str = r#"[[roles]]
key = "mentor"
name = "Mentor"

[[webhooks]]
name = "CI"
channel = "general in Team 4"

[[automod]]
name = "Links"
trigger = "keyword"
keywords = ["*discord.gg*"]
actions = [{ type = "alert", channel = "general in Team 5" }]
exempt_channels = ["general in Team 6", "Join Here in Team 6", "Team 7"]

[[events]]
name = "Study session"
voice = 'Join Here in "Team 8"'
start = "2030-01-07T18:00"
timezone = "UTC"
duration = 60
repeat = "weekly"

[[access.assert]]
read_only_except = ["mentor"]
channels = ["general in Team 1"]

"#;

fn unchanged(team: usize, part: &mut String) {
    // Team 1's general is read-only but for mentors (the assertion above).
    if team == 1 {
        *part = part.replace(
            "topic = \"Team 1 talk\"\n",
            "topic = \"Team 1 talk\"\noverwrites = [{ role = \"everyone\", deny = [\"send_messages\"] }, { role = \"mentor\", allow = [\"send_messages\"] }]\n",
        );
    }
}

/// A channel update's before, after and rule; anything else panics.
fn update_of(change: &Change) -> (&ChannelSpec, &ChannelSpec, MatchedBy) {
    match change {
        Change::UpdateChannel {
            before,
            after,
            matched_by,
            ..
        } => (before, after, *matched_by),
        other => panic!("{}", other.describe()),
    }
}

/// The course with Team 3's general outside any category, its table ending with `extra`.
fn moved_out_of_team_3(extra: &str) -> String {
    let moved = course(|team, part| {
        unchanged(team, part);
        if team == 3 {
            *part = part.replace(
                "[[categories.channels]]\nname = \"general\"\ntopic = \"Team 3 talk\"\n\n",
                "",
            );
        }
    });
    moved.replacen(
        "[[categories]]",
        &format!(
            "[[channels]]\nname = \"general\"\ntopic = \"Team 3 talk\"\n{extra}\n[[categories]]"
        ),
        1,
    )
}

async fn converged(guild: &Guild, text: &str, label: &str) {
    let file = desired(text);
    guild.take_writes();
    let plan = guild.plan(&file).await;
    assert!(
        plan.is_empty(),
        "{label}: not converged:\n{}",
        described(&plan)
    );
    assert_eq!(guild.take_writes(), 0, "{label}: planning wrote");
}

#[tokio::test(flavor = "multi_thread")]
async fn forty_categories_with_the_same_channels_apply_converge_and_import() {
    let guild = Guild::start(GuildState::new_empty("Course")).await;
    let text = course(unchanged);
    let plan = guild.apply(&desired(&text)).await;
    let creates = plan
        .changes
        .iter()
        .filter(|c| c.kind() == ChangeKind::Create)
        .count();
    // 40 categories with two channels each, a role, a webhook, a rule and an event.
    assert_eq!(creates, TEAMS * 3 + 4, "{}", described(&plan));
    converged(&guild, &text, "after the first apply").await;

    // The system channel is Team 2's general.
    let state = guild.emulator.state();
    let system = state.guild.system_channel_id.expect("a system channel");
    let channel = state
        .channels()
        .into_iter()
        .find(|c| c.id == system)
        .unwrap();
    let parent = state
        .channels()
        .into_iter()
        .find(|c| Some(c.id) == channel.parent_id)
        .unwrap();
    assert_eq!(
        (channel.name.as_str(), parent.name.as_str()),
        ("general", "Team 2")
    );

    // Import writes the same layout back: planning it changes nothing.
    let imported = guild.import().await;
    assert!(
        imported.contains("system_channel = \"general in Team 2\""),
        "{imported}"
    );
    assert!(
        !imported.contains("id = "),
        "no pins are needed:\n{imported}"
    );
    converged(&guild, &imported, "the imported file").await;
}

/// Applies `edited` to the converged course and checks that the plan changes exactly one
/// object, as `check` expects, then converges.
async fn one_edit(edited: String, check: impl Fn(&Change)) {
    let guild = Guild::start(GuildState::new_empty("Course")).await;
    guild.apply(&desired(&course(unchanged))).await;
    let plan = guild.apply(&desired(&edited)).await;
    assert_eq!(plan.changes.len(), 1, "{}", described(&plan));
    check(&plan.changes[0]);
    converged(&guild, &edited, "after the edit").await;
}

#[tokio::test(flavor = "multi_thread")]
async fn moving_renaming_or_deleting_one_copy_changes_that_one() {
    // Move Team 3's general out of its category: the former place says where it was.
    let moved =
        moved_out_of_team_3("previously = [{ category = \"Team 3\", name = \"general\" }]\n");
    one_edit(moved, |change| {
        let (before, after, matched_by) = update_of(change);
        assert_eq!(matched_by, MatchedBy::FormerPlace);
        assert_eq!(
            before.parent.as_ref().map(|p| p.name.as_str()),
            Some("Team 3")
        );
        assert!(after.parent.is_none());
    })
    .await;

    // Rename Team 7's general: its former name is looked for in its own category.
    let renamed = course(|team, part| {
        unchanged(team, part);
        if team == 7 {
            *part = part.replace(
                "name = \"general\"\n",
                "name = \"general-7\"\npreviously = [\"general\"]\n",
            );
        }
    });
    one_edit(renamed, |change| {
        let (before, after, matched_by) = update_of(change);
        assert_eq!(matched_by, MatchedBy::FormerNameInCategory);
        assert_eq!(
            before.parent.as_ref().map(|p| p.name.as_str()),
            Some("Team 7")
        );
        assert_eq!(
            miyabi_guild::plan::channel_fields(before, after),
            [Field::Name]
        );
    })
    .await;

    // Delete Team 9's Join Here: the only change is that one delete.
    let deleted = course(|team, part| {
        unchanged(team, part);
        if team == 9 {
            *part = part.replace(
                "[[categories.channels]]\nname = \"Join Here\"\ntype = \"voice\"\n\n",
                "",
            );
        }
    });
    one_edit(deleted, |change| {
        let Change::DeleteChannel { channel, .. } = change else {
            panic!("{}", change.describe())
        };
        assert_eq!(channel.name, "Join Here");
        assert_eq!(
            channel.parent.as_ref().map(|p| p.name.as_str()),
            Some("Team 9")
        );
    })
    .await;
}

#[tokio::test(flavor = "multi_thread")]
async fn repeated_names_converge_on_a_guild_that_has_other_objects() {
    let guild = Guild::start(sandbox_seed()).await;
    // The sandbox's own channels stay as they are (no pruning here).
    let text = course(unchanged).replace("[prune]\nchannels = true\n", "");
    guild.apply(&desired(&text)).await;
    converged(&guild, &text, "on the sandbox guild").await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_move_without_previously_is_a_create_with_a_hint() {
    let guild = Guild::start(GuildState::new_empty("Course")).await;
    guild.apply(&desired(&course(unchanged))).await;
    // Team 3's general now sits outside any category, without saying where it was.
    let moved = moved_out_of_team_3("");
    let plan = guild.plan(&desired(&moved)).await;
    assert!(
        plan.warnings
            .iter()
            .any(|w| w
                .contains("add `previously = [{ category = \"Team 3\", name = \"general\" }]`")),
        "{:?}",
        plan.warnings
    );
}

#[test]
fn assertions_select_the_channel_a_reference_names() {
    let text = course(unchanged).replace(
        "channels = [\"general in Team 1\"]",
        "channels = [\"general in Team 2\"]",
    );
    let source = miyabi_guild::config::Source::new("server.toml", text);
    let (_, diagnostics) = miyabi_guild::config::parse(source).expect_err("Team 2 is open");
    let error = diagnostics.iter().find(|d| d.is_error()).expect("an error");
    assert!(
        error.message.contains("#general in \"Team 2\""),
        "{}",
        error.message
    );
}

#[test]
fn a_reference_that_could_mean_two_channels_lists_them() {
    let text = course(unchanged).replacen("general in Team 2", "general", 1);
    let source = miyabi_guild::config::Source::new("server.toml", text.clone());
    let (_, diagnostics) = miyabi_guild::config::parse(source).expect_err("ambiguous");
    let error = diagnostics.iter().find(|d| d.is_error()).expect("an error");
    assert_eq!((error.line, error.column), (5, 18));
    let line_of = |team: usize| {
        let header = format!("name = \"Team {team}\"");
        let at = text.find(&header).unwrap();
        let general = at + text[at..].find("name = \"general\"").unwrap();
        text[..general].lines().count() + 1
    };
    let listed = format!(
        "`system_channel` `general` could mean 40 channels: `general in Team 1` (line {}:8), `general in Team 2` (line {}:8)",
        line_of(1),
        line_of(2)
    );
    assert!(error.message.starts_with(&listed), "{}", error.message);
    assert!(error.message.ends_with("and 30 more"), "{}", error.message);
}

/// Regression: a text and an announcement channel of one name used to apply, and then every
/// plan failed with "#general matches 2 live channels".
#[tokio::test(flavor = "multi_thread")]
async fn text_and_announcement_twins_apply_converge_and_import() {
    let mut state = GuildState::new_empty("Twins");
    state.guild.features = vec!["COMMUNITY".to_owned(), "NEWS".to_owned()];
    let guild = Guild::start(state).await;
    let text = r#"
[[categories]]
name = "News"

[[categories.channels]]
name = "general"

[[categories.channels]]
name = "general"
type = "announcement"

[[webhooks]]
name = "Releases"
channel = "general (announcement)"
"#;
    guild.apply(&desired(text)).await;
    converged(&guild, text, "twins").await;
    let imported = guild.import().await;
    assert!(
        imported.contains("channel = \"general (announcement)\""),
        "{imported}"
    );
    converged(&guild, &imported, "imported twins").await;
}
