//! `[[threads]]` and media channels end to end, through the library against the emulator:
//! convergence (from empty and from the sandbox guild), an archived post edited in the order
//! Discord accepts, members' posts never touched, a lost create answer found before it is
//! retried, pruning only the bot's threads, exact request counts, drift and the import round
//! trip.

mod common;

use std::path::Path;

use common::library::{Guild, described, desired_at};
use common::{repo, sandbox_seed};
use miyabi_guild::emulator::state::Thread;
use miyabi_guild::emulator::{Fault, GuildState, RequestsExt};
use miyabi_guild::plan::Change;
use serde_json::{Value, json};

// `Guild::live` and `Fault` variants are used by some tests only.
use twilight_model::id::Id;

const EXAMPLE: &str = "examples/knowledge-base.toml";

fn community(mut state: GuildState) -> GuildState {
    for feature in ["COMMUNITY", "NEWS"] {
        if !state.guild.features.iter().any(|f| f == feature) {
            state.guild.features.push(feature.to_owned());
        }
    }
    state
}

fn example() -> miyabi_guild::model::DesiredGuild {
    let path = repo().join(EXAMPLE);
    desired_at(
        path.to_str().unwrap(),
        &std::fs::read_to_string(&path).unwrap(),
    )
}

/// A copy of the example in a temporary folder, with its thread files, to edit.
fn example_copy() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    common::copy_tree(
        &repo().join("examples/messages"),
        &dir.path().join("messages"),
    );
    std::fs::copy(repo().join(EXAMPLE), dir.path().join("server.toml")).unwrap();
    dir
}

fn load(dir: &Path) -> miyabi_guild::model::DesiredGuild {
    let path = dir.join("server.toml");
    desired_at(
        path.to_str().unwrap(),
        &std::fs::read_to_string(&path).unwrap(),
    )
}

fn thread<'s>(state: &'s GuildState, title: &str) -> &'s Thread {
    state
        .threads
        .iter()
        .find(|thread| thread.name == title)
        .unwrap_or_else(|| panic!("no thread {title}"))
}

async fn assert_converged(guild: &Guild, desired: &miyabi_guild::model::DesiredGuild) {
    guild.take_writes();
    let plan = guild.plan(desired).await;
    assert!(plan.is_empty(), "not converged:\n{}", described(&plan));
    guild.apply(desired).await;
    assert_eq!(guild.take_writes(), 0, "the second apply wrote");
}

#[tokio::test]
async fn posts_threads_and_a_media_channel_converge_from_empty_and_from_the_sandbox() {
    for state in [GuildState::new_empty("Empty"), sandbox_seed()] {
        let guild = Guild::start(community(state)).await;
        let desired = example();
        guild.apply(&desired).await;
        assert_converged(&guild, &desired).await;

        let state = guild.emulator.state();
        let help = state.channel_named("help").unwrap();
        let guide_tag = help
            .available_tags
            .iter()
            .flatten()
            .find(|tag| tag.name == "Guide")
            .unwrap()
            .id;
        let guide = thread(&state, "How to ask a good question");
        assert_eq!(guide.parent_id, help.id);
        assert_eq!(guide.owner_id, state.bot_user_id);
        assert_eq!(guide.flags & 2, 2, "pinned");
        assert_eq!(guide.applied_tags, vec![guide_tag]);
        // A post's first message has the thread's id.
        let starter = state
            .messages
            .iter()
            .find(|m| m.id.get() == guide.id.get())
            .expect("the guide's first message");
        assert!(
            starter
                .content
                .starts_with("**How to ask a good question**")
        );

        let known = thread(&state, "Known issues");
        assert!(known.archived && known.locked);
        assert_eq!(known.auto_archive_duration, 10080);

        let intro = thread(&state, "Introduce yourself");
        assert_eq!(intro.kind, 11);
        assert_eq!(intro.parent_id, state.channel_named("general").unwrap().id);
        let first = state
            .messages
            .iter()
            .find(|m| m.channel_id == intro.id)
            .expect("the thread's first message");
        assert!(first.content.starts_with("Welcome!"));

        let media = state.channel_named("screenshots").unwrap();
        assert_eq!(media.kind, 16);
        assert_eq!(media.flags, 1 << 15, "HIDE_MEDIA_DOWNLOAD_OPTIONS");
        assert_eq!(media.default_sort_order, Some(1));
    }
}

#[tokio::test]
async fn an_archived_post_is_reopened_edited_and_archived_again_in_that_order() {
    let guild = Guild::start(community(GuildState::new_empty("Edit"))).await;
    let dir = example_copy();
    guild.apply(&load(dir.path())).await;

    std::fs::write(
        dir.path().join("messages/knowledge-base/known-issues.md"),
        "**Known issues**\n\nNone right now.\n",
    )
    .unwrap();
    let text = std::fs::read_to_string(dir.path().join("server.toml"))
        .unwrap()
        .replace("title = \"Known issues\"", "title = \"Known issues (2.0)\"");
    std::fs::write(dir.path().join("server.toml"), &text).unwrap();
    let desired = load(dir.path());
    // A new title is a new thread: the old one is the bot's and `[prune] threads` deletes it.
    let plan = guild.plan(&desired).await;
    assert_eq!(
        described(&plan),
        "create post \"Known issues (2.0)\" in #help\ndelete thread \"Known issues\" in #help"
    );

    // Same title, new text: one update, sent as Discord takes it.
    let text = text.replace("Known issues (2.0)", "Known issues");
    std::fs::write(dir.path().join("server.toml"), &text).unwrap();
    let desired = load(dir.path());
    let plan = guild.plan(&desired).await;
    assert_eq!(described(&plan), "update post \"Known issues\" in #help");
    guild.emulator.clear_requests();
    guild.apply(&desired).await;
    let writes: Vec<(String, Option<Value>)> = guild
        .emulator
        .requests()
        .iter()
        .filter(|request| request.is_write())
        .map(|request| (request.route.clone(), request.body.clone()))
        .collect();
    let routes: Vec<&str> = writes.iter().map(|(route, _)| route.as_str()).collect();
    assert_eq!(
        routes,
        [
            "PATCH /channels/{channel_id}",
            "PATCH /channels/{channel_id}/messages/{message_id}",
            "PATCH /channels/{channel_id}",
        ]
    );
    assert_eq!(writes[0].1, Some(json!({ "archived": false })));
    assert_eq!(writes[2].1, Some(json!({ "archived": true })));
    assert_converged(&guild, &desired).await;
    let state = guild.emulator.state();
    let known = thread(&state, "Known issues");
    assert!(known.archived && known.locked);
}

#[tokio::test]
async fn members_posts_are_never_matched_edited_or_pruned() {
    let mut state = community(GuildState::new_empty("Members"));
    let member = Id::new(state.next_id());
    state.users.push(
        serde_json::from_value(json!({ "id": member.to_string(), "username": "alice" })).unwrap(),
    );
    let guild = Guild::start(state).await;
    let desired = example();
    guild.apply(&desired).await;

    // A member's post with the guide's title, and another the file does not list.
    let mut state = guild.emulator.state();
    let help = state.channel_named("help").unwrap().id;
    for title in ["How to ask a good question", "My question"] {
        let id = Id::new(state.next_id());
        state.threads.push(Thread {
            id,
            kind: 11,
            parent_id: help,
            owner_id: member,
            name: title.to_owned(),
            applied_tags: Vec::new(),
            flags: 0,
            archived: false,
            locked: false,
            auto_archive_duration: 1440,
            archive_timestamp: None,
            rate_limit_per_user: 0,
        });
    }
    let guild = Guild::start(state).await;
    // Nothing to do: the bot's guide is matched, the members' posts are not the file's.
    assert_converged(&guild, &desired).await;

    // Without the bot's own guide, the plan starts its own and says why.
    let mut state = guild.emulator.state();
    let bot_guide = thread(&state, "How to ask a good question").id;
    state.threads.retain(|thread| thread.id != bot_guide);
    state
        .messages
        .retain(|message| message.channel_id != bot_guide);
    let guild = Guild::start(state).await;
    let plan = guild.plan(&desired).await;
    assert_eq!(
        described(&plan),
        "create post \"How to ask a good question\" in #help"
    );
    assert!(
        plan.warnings
            .iter()
            .any(|w| w.contains("a member's thread in #help is also titled")),
        "{:?}",
        plan.warnings
    );
    guild.apply(&desired).await;
    assert_converged(&guild, &desired).await;
    let state = guild.emulator.state();
    let members: Vec<&str> = state
        .threads
        .iter()
        .filter(|thread| thread.owner_id == member)
        .map(|thread| thread.name.as_str())
        .collect();
    assert_eq!(members, ["How to ask a good question", "My question"]);
}

#[tokio::test]
async fn a_lost_create_answer_is_found_not_posted_twice() {
    let guild = Guild::start(community(GuildState::new_empty("Lost"))).await;
    let desired = example();
    guild.emulator.inject(Fault::LoseAnswer {
        method: "POST".into(),
        route: "/channels/{channel_id}/threads".into(),
    });
    guild.apply(&desired).await;
    assert_converged(&guild, &desired).await;
    let state = guild.emulator.state();
    for title in [
        "How to ask a good question",
        "Known issues",
        "Introduce yourself",
    ] {
        let count = state.threads.iter().filter(|t| t.name == title).count();
        assert_eq!(count, 1, "{title}");
    }
}

#[tokio::test]
async fn a_rerun_after_a_failed_first_message_posts_it() {
    let guild = Guild::start(community(GuildState::new_empty("Half"))).await;
    let desired = example();
    guild.emulator.inject(Fault::Fail {
        method: "POST".into(),
        route: "/channels/{channel_id}/messages".into(),
        status: 403,
    });
    let plan = guild.plan(&desired).await;
    let report = miyabi_guild::apply::execute(
        &guild.discord,
        &plan,
        &miyabi_guild::apply::Assets::of(&desired),
        miyabi_guild::apply::Options::default(),
        &miyabi_guild::apply::Silent,
        &miyabi_guild::apply::Interrupt::never(),
    )
    .await;
    assert!(report.failed.is_some());
    // The thread exists without its message: the rerun posts it into that thread.
    let plan = guild.plan(&desired).await;
    assert!(
        plan.changes.iter().any(|change| matches!(
            change,
            Change::UpdateThread { message_id: None, after, .. } if after.title == "Introduce yourself"
        )),
        "{}",
        described(&plan)
    );
    guild.apply(&desired).await;
    assert_converged(&guild, &desired).await;
    let state = guild.emulator.state();
    assert_eq!(
        state
            .threads
            .iter()
            .filter(|t| t.name == "Introduce yourself")
            .count(),
        1
    );
}

#[tokio::test]
async fn reads_are_one_for_active_threads_one_per_channel_and_one_per_declared_thread() {
    let guild = Guild::start(community(GuildState::new_empty("Counts"))).await;
    let desired = example();
    guild.apply(&desired).await;

    // The same file without threads: the base reads.
    let mut without = desired.clone();
    without.community.threads.clear();
    without.prune.threads = false;
    guild.emulator.clear_requests();
    guild.plan(&without).await;
    let base = guild.emulator.requests().len();

    guild.emulator.clear_requests();
    guild.plan(&desired).await;
    let requests = guild.emulator.requests();
    assert_eq!(requests.len(), base + 1 + 2 + 3, "{requests:#?}");
    assert_eq!(
        requests.count_route("GET /guilds/{guild_id}/threads/active"),
        1
    );
    assert_eq!(
        requests.count_route("GET /channels/{channel_id}/threads/archived/public"),
        2,
        "help and general"
    );
    assert_eq!(
        requests.count_route("GET /channels/{channel_id}/messages"),
        3,
        "one per declared thread"
    );
}

#[tokio::test]
async fn drift_names_a_guide_edited_by_hand() {
    let guild = Guild::start(community(GuildState::new_empty("Drift"))).await;
    let desired = example();
    guild.apply(&desired).await;
    let mut state = guild.emulator.state();
    let guide = thread(&state, "How to ask a good question").id;
    let starter = state
        .messages
        .iter_mut()
        .find(|m| m.id.get() == guide.get())
        .unwrap();
    starter.content = "Just ask.".to_owned();
    let guide = state.threads.iter_mut().find(|t| t.id == guide).unwrap();
    guide.flags = 0;
    let emulator = common::start(state).await;
    let dir = common::workspace(&repo().join(EXAMPLE));
    let drift = common::run(dir.path(), Some(&emulator), &["drift"]).await;
    assert_eq!(drift.code, 2, "{}", drift.stderr);
    insta::assert_snapshot!(drift.snapshot());
}

#[tokio::test]
async fn import_writes_the_bots_threads_and_their_files_and_plans_no_changes() {
    let guild = Guild::start(community(GuildState::new_empty("Import"))).await;
    guild.apply(&example()).await;
    let imported = guild.import_with_messages().await;
    assert!(imported.text.contains("[[threads]]"), "{}", imported.text);
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("server.toml"), &imported.text).unwrap();
    for (path, content) in &imported.files {
        let path = dir.path().join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, content).unwrap();
    }
    let desired = load(dir.path());
    assert_eq!(desired.community.threads.len(), 3);
    let plan = guild.plan(&desired).await;
    assert!(plan.is_empty(), "{}", described(&plan));
}

#[test]
fn a_broken_threads_file_reports_every_error_where_it_is() {
    let path = repo().join("tests/fixtures/broken-threads.toml");
    let text = std::fs::read_to_string(&path).unwrap();
    let source = miyabi_guild::config::Source::new(path.to_str().unwrap(), &text);
    let Err((source, diagnostics)) = miyabi_guild::config::parse(source) else {
        panic!("the broken file parsed");
    };
    let mut out = Vec::new();
    miyabi_guild::config::render_diagnostics(&diagnostics, &source, &mut out, false).unwrap();
    let shown = String::from_utf8(out)
        .unwrap()
        .replace(repo().to_str().unwrap(), "[repo]");
    insta::assert_snapshot!(shown);
}

/// The plan for threads changed by hand, as people (terminal, pull-request comment) and
/// machines (JSON) read it.
#[tokio::test]
async fn thread_changes_render_for_people_and_machines() {
    let guild = Guild::start(community(GuildState::new_empty("Render"))).await;
    guild.apply(&example()).await;
    let mut state = guild.emulator.state();
    let general = state.channel_named("general").unwrap().id;
    let intro = thread(&state, "Introduce yourself").id;
    if let Some(message) = state.messages.iter_mut().find(|m| m.channel_id == intro) {
        message.content = "Say hi.".to_owned();
    }
    let known = thread(&state, "Known issues").id;
    if let Some(known) = state.threads.iter_mut().find(|t| t.id == known) {
        known.archived = false;
        known.name = "Known issues".to_owned();
    }
    // A thread the bot started once that the file no longer lists: `[prune] threads`.
    let old = Id::new(state.next_id());
    state.threads.push(Thread {
        id: old,
        kind: 11,
        parent_id: general,
        owner_id: state.bot_user_id,
        name: "Old thread".to_owned(),
        applied_tags: Vec::new(),
        flags: 0,
        archived: true,
        locked: false,
        auto_archive_duration: 1440,
        archive_timestamp: None,
        rate_limit_per_user: 0,
    });
    let emulator = common::start(state).await;
    let dir = common::workspace(&repo().join(EXAMPLE));
    let human = common::run(
        dir.path(),
        Some(&emulator),
        &["plan", "--detailed-exitcode"],
    )
    .await;
    assert_eq!(human.code, 2, "{}", human.stderr);
    insta::assert_snapshot!("plan_human", human.snapshot());
    let markdown = common::run(dir.path(), Some(&emulator), &["plan", "--markdown"]).await;
    insta::assert_snapshot!("plan_markdown", markdown.snapshot());
    let json = common::run(dir.path(), Some(&emulator), &["plan", "--json"]).await;
    let plan: Value = serde_json::from_str(&json.stdout).unwrap();
    let actions: Vec<&str> = plan["changes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|change| change["action"].as_str().unwrap())
        .collect();
    assert_eq!(actions, ["update_thread", "update_thread", "delete_thread"]);
    let update = &plan["changes"][0];
    assert_eq!(update["after"]["title"], "Known issues");
    assert_eq!(update["after"]["archived"], true);
    assert_eq!(update["before"]["archived"], false);
}

/// What the bot could only fail at mid-apply is refused at plan time, with zero writes: here a
/// pinned, locked guide without Manage Threads.
#[tokio::test]
async fn a_bot_without_manage_threads_is_refused_before_any_write() {
    use miyabi_guild::permissions::Permissions;
    let mut state = community(GuildState::new_empty("Refused"));
    // Everything but Administrator and Manage Threads.
    let everything = Permissions::all()
        .difference(Permissions::ADMINISTRATOR)
        .difference(Permissions::from_bits(1 << 34));
    let bot_roles = state.member(state.bot_user_id).unwrap().roles.clone();
    for role in state.roles.iter_mut().filter(|r| bot_roles.contains(&r.id)) {
        role.permissions = everything;
    }
    let emulator = common::start(state).await;
    let dir = common::workspace(&repo().join(EXAMPLE));
    let apply = common::run(dir.path(), Some(&emulator), &["apply", "--auto-approve"]).await;
    assert_eq!(apply.code, 1, "{}\n{}", apply.stdout, apply.stderr);
    assert!(
        apply
            .stderr
            .contains("create post \"How to ask a good question\" in forum channel \"help\": the bot lacks manage_threads there"),
        "{}",
        apply.stderr
    );
    assert_eq!(emulator.requests().writes(), 0);
}

/// A saved plan is refused when the threads it touches changed since it was made, and applies
/// exactly when they did not: the threads of its channels are fingerprinted.
#[tokio::test]
async fn a_saved_plan_refuses_threads_changed_since() {
    let guild = Guild::start(community(GuildState::new_empty("Saved"))).await;
    guild.apply(&example()).await;
    let mut state = guild.emulator.state();
    let intro = thread(&state, "Introduce yourself").id;
    if let Some(message) = state.messages.iter_mut().find(|m| m.channel_id == intro) {
        message.content = "Say hi.".to_owned();
    }
    let emulator = common::start(state.clone()).await;
    let dir = common::workspace(&repo().join(EXAMPLE));
    let plan = common::run(dir.path(), Some(&emulator), &["plan", "--out", "plan.json"]).await;
    assert_eq!(plan.code, 0, "{}", plan.stderr);

    // Someone renames the thread by hand after the review.
    let renamed = state.threads.iter_mut().find(|t| t.id == intro).unwrap();
    renamed.name = "Introductions".to_owned();
    let stale = common::start(state).await;
    let apply = common::run(
        dir.path(),
        Some(&stale),
        &["apply", "plan.json", "--auto-approve"],
    )
    .await;
    assert_eq!(apply.code, 1, "{}", apply.stderr);
    assert_eq!(stale.requests().writes(), 0);

    let apply = common::run(
        dir.path(),
        Some(&emulator),
        &["apply", "plan.json", "--auto-approve"],
    )
    .await;
    assert_eq!(apply.code, 0, "{}", apply.stderr);
    assert_eq!(emulator.requests().writes(), 1, "one message edit");
}

/// `[protect] threads`: a pruned thread of the bot whose title is protected is a plan error.
#[tokio::test]
async fn a_protected_thread_is_not_pruned() {
    let guild = Guild::start(community(GuildState::new_empty("Protect"))).await;
    let dir = example_copy();
    let text = std::fs::read_to_string(dir.path().join("server.toml")).unwrap();
    guild.apply(&load(dir.path())).await;
    // The file drops "Known issues" and protects it.
    let start = text.find("# A reference post").unwrap();
    let end = text.find("# A standing thread").unwrap();
    let text = format!(
        "{}{}\n[protect]\nthreads = [\"Known issues\"]\n",
        &text[..start],
        &text[end..]
    );
    std::fs::write(dir.path().join("server.toml"), text).unwrap();
    let emulator = common::start(guild.emulator.state()).await;
    let apply = common::run(
        dir.path(),
        Some(&emulator),
        &["apply", "--auto-approve", "--allow-delete"],
    )
    .await;
    assert_eq!(apply.code, 1, "{}\n{}", apply.stdout, apply.stderr);
    assert!(
        apply
            .stderr
            .contains("delete thread \"Known issues\" in #help: the thread is protected"),
        "{}",
        apply.stderr
    );
    assert_eq!(emulator.requests().writes(), 0);
}
