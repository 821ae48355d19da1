//! The staff roster end to end: `roster = true` and `members` on a role, through plan (human,
//! JSON, Markdown), apply (one PUT or DELETE per assignment, audit-log reason), drift (first in
//! the report), import round trip, the refusals at plan time (intent, absent member,
//! hierarchy, bot lockout, last administrator) and exact request counts.

mod common;

use std::path::Path;

use common::{assert_converged, repo, run, sandbox_seed, start, with_members_of, workspace};
use miyabi_guild::emulator::state::{Member, User};
use miyabi_guild::emulator::{Emulator, EmulatorConfig, Fault, GuildState, RequestsExt};
use serde_json::json;

const ASSIGN: &str = "PUT /guilds/{guild_id}/members/{user_id}/roles/{role_id}";
const UNASSIGN: &str = "DELETE /guilds/{guild_id}/members/{user_id}/roles/{role_id}";
const LIST: &str = "GET /guilds/{guild_id}/members";

fn example() -> std::path::PathBuf {
    repo().join("examples/staff-roster.toml")
}

/// A person in the guild, holding no role.
fn add_person(state: &mut GuildState, id: u64, username: &str) {
    state.users.push(
        serde_json::from_value::<User>(json!({ "id": id.to_string(), "username": username }))
            .unwrap(),
    );
    state.members.push(
        serde_json::from_value::<Member>(json!({ "user_id": id.to_string(), "roles": [] }))
            .unwrap(),
    );
}

/// Gives `user` the role named `role`, as someone would by hand.
fn give(state: &mut GuildState, user: u64, role: &str) {
    let role = state.role_named(role).expect("the role exists").id;
    let member = state
        .members
        .iter_mut()
        .find(|m| m.user_id.get() == user)
        .expect("a member");
    member.roles.push(role);
}

fn holders(state: &GuildState, role: &str) -> Vec<u64> {
    let Some(role) = state.role_named(role).map(|r| r.id) else {
        return Vec::new();
    };
    let mut ids: Vec<u64> = state
        .members
        .iter()
        .filter(|m| m.roles.contains(&role))
        .map(|m| m.user_id.get())
        .collect();
    ids.sort_unstable();
    ids
}

/// The example applied to an empty guild holding its members (and `dave`, who is in no
/// roster); the request record cleared.
async fn applied() -> (Emulator, tempfile::TempDir) {
    let mut state = with_members_of(GuildState::new_empty("Roster"), &example());
    add_person(&mut state, 100_000_000_000_000_004, "dave");
    let emulator = start(state).await;
    let dir = workspace(&example());
    let apply = run(dir.path(), Some(&emulator), &["apply", "--auto-approve"]).await;
    assert_eq!(apply.code, 0, "{}\n{}", apply.stdout, apply.stderr);
    emulator.clear_requests();
    (emulator, dir)
}

#[tokio::test(flavor = "multi_thread")]
async fn a_roster_converges_from_an_empty_guild_with_one_request_per_assignment() {
    let mut state = with_members_of(GuildState::new_empty("Roster"), &example());
    add_person(&mut state, 100_000_000_000_000_004, "dave");
    let emulator = start(state).await;
    let dir = workspace(&example());
    let apply = run(dir.path(), Some(&emulator), &["apply", "--auto-approve"]).await;
    assert_eq!(apply.code, 0, "{}\n{}", apply.stdout, apply.stderr);
    let requests = emulator.requests();
    // Three members in two rosters: three PUTs, each after its role's create (new ids).
    assert_eq!(requests.count_route(ASSIGN), 3);
    assert_eq!(requests.count_route(UNASSIGN), 0);
    assert_eq!(requests.count_route(LIST), 1);
    for request in requests.iter().filter(|r| r.route == ASSIGN) {
        let reason = request.audit_log_reason.as_deref().unwrap_or_default();
        assert!(reason.starts_with("miyabi-guild: give user "), "{reason}");
        assert_eq!(request.status, 204);
    }
    let state = emulator.state();
    assert_eq!(holders(&state, "🔴 Admin"), [100_000_000_000_000_001]);
    assert_eq!(
        holders(&state, "🟠 Moderator"),
        [100_000_000_000_000_002, 100_000_000_000_000_003]
    );
    assert!(holders(&state, "Role Manager").is_empty());
    assert_converged(dir.path(), &emulator).await;
    let again = run(dir.path(), Some(&emulator), &["apply", "--auto-approve"]).await;
    assert_eq!(again.code, 0, "{}", again.stderr);
    assert_eq!(emulator.requests().writes(), 0, "a second apply wrote");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_roster_converges_on_the_sandbox_guild() {
    let emulator = start(with_members_of(sandbox_seed(), &example())).await;
    let dir = workspace(&example());
    let apply = run(
        dir.path(),
        Some(&emulator),
        &["apply", "--auto-approve", "--force", "--allow-delete"],
    )
    .await;
    assert_eq!(apply.code, 0, "{}\n{}", apply.stdout, apply.stderr);
    // alice (the sandbox's 🟠 Moderator) is not in this file's moderator roster: taken away.
    assert_eq!(emulator.requests().count_route(UNASSIGN), 1);
    assert_converged(dir.path(), &emulator).await;
    let again = run(dir.path(), Some(&emulator), &["apply", "--auto-approve"]).await;
    assert_eq!(again.code, 0, "{}", again.stderr);
    assert_eq!(emulator.requests().writes(), 0);
}

/// The plan after someone changed the roster by hand: dave was given 🔴 Admin, bob lost 🟠
/// Moderator.
async fn changed_by_hand() -> (Emulator, tempfile::TempDir) {
    let (emulator, dir) = applied().await;
    let mut state = emulator.state();
    give(&mut state, 100_000_000_000_000_004, "🔴 Admin");
    let moderator = state.role_named("🟠 Moderator").unwrap().id;
    for member in &mut state.members {
        if member.user_id.get() == 100_000_000_000_000_002 {
            member.roles.retain(|r| *r != moderator);
        }
    }
    emulator.shutdown().await;
    (start(state).await, dir)
}

#[tokio::test(flavor = "multi_thread")]
async fn plan_shows_who_gains_and_loses_a_role_in_words_in_every_format() {
    let (emulator, dir) = changed_by_hand().await;
    let plan = run(dir.path(), Some(&emulator), &["plan"]).await;
    assert_eq!(plan.code, 0, "{}", plan.stderr);
    insta::assert_snapshot!("roster_plan", plan.snapshot());
    assert!(
        plan.stdout.contains("(bob) gains 🟠 Moderator: "),
        "{}",
        plan.stdout
    );
    assert!(plan.stdout.contains("  ! user"), "a gain is marked !");

    let markdown = run(dir.path(), Some(&emulator), &["plan", "--markdown"]).await;
    insta::assert_snapshot!("roster_plan_markdown", markdown.snapshot());

    let json = run(dir.path(), Some(&emulator), &["plan", "--json"]).await;
    let value: serde_json::Value = serde_json::from_str(&json.stdout).unwrap();
    let actions: Vec<&str> = value["changes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["action"].as_str().unwrap())
        .collect();
    assert_eq!(actions, ["assign_role", "unassign_role"]);
    let assign = &value["changes"][0];
    assert_eq!(assign["member"]["id"], "100000000000000002");
    assert_eq!(assign["member"]["name"], "bob");
    assert_eq!(assign["role"]["name"], "🟠 Moderator");
    let unassign = &value["changes"][1];
    assert_eq!(unassign["member"]["id"], "100000000000000004");
    assert!(
        value["access"]
            .as_array()
            .unwrap()
            .iter()
            .any(|line| line["widens"] == true && line["text"].as_str().unwrap().contains("gains"))
    );
    assert_eq!(emulator.requests().writes(), 0);
}

#[tokio::test(flavor = "multi_thread")]
async fn drift_reports_a_role_given_by_hand_first() {
    let (emulator, dir) = changed_by_hand().await;
    // Something else drifted too: the roster still comes first.
    let mut state = emulator.state();
    state
        .channels
        .iter_mut()
        .find(|c| c.name == "general")
        .unwrap()
        .topic = Some("changed by hand".into());
    emulator.shutdown().await;
    let emulator = start(state).await;
    let drift = run(dir.path(), Some(&emulator), &["drift"]).await;
    assert_eq!(drift.code, 2, "{}", drift.stderr);
    insta::assert_snapshot!("roster_drift", drift.snapshot());
    let first = drift.stdout.lines().nth(1).unwrap_or_default();
    assert!(
        first.contains("(dave) holds 🔴 Admin (administrator) but is not in its roster"),
        "{}",
        drift.stdout
    );
    let markdown = run(dir.path(), Some(&emulator), &["drift", "--markdown"]).await;
    insta::assert_snapshot!("roster_drift_markdown", markdown.snapshot());
    let apply = run(dir.path(), Some(&emulator), &["apply", "--auto-approve"]).await;
    assert_eq!(apply.code, 0, "{}", apply.stderr);
    assert_eq!(emulator.requests().count_route(ASSIGN), 1);
    assert_eq!(emulator.requests().count_route(UNASSIGN), 1);
    assert_converged(dir.path(), &emulator).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_file_without_rosters_never_lists_members_and_roles_without_one_are_never_touched() {
    let (emulator, dir) = applied().await;
    // Regular is handed out by a bot: no roster, so the tool leaves its holders alone.
    let mut state = emulator.state();
    give(&mut state, 100_000_000_000_000_004, "Regular");
    emulator.shutdown().await;
    let emulator = start(state).await;
    assert_converged(dir.path(), &emulator).await;
    assert_eq!(emulator.requests().count_route(LIST), 1);

    // The same file without `roster`/`members`: exactly the reads it made before rosters.
    let text = std::fs::read_to_string(dir.path().join("server.toml")).unwrap();
    let plain: String = strip_rosters(&text);
    std::fs::write(dir.path().join("server.toml"), plain).unwrap();
    emulator.clear_requests();
    let plan = run(
        dir.path(),
        Some(&emulator),
        &["plan", "--detailed-exitcode"],
    )
    .await;
    assert_eq!(plan.code, 0, "{}\n{}", plan.stdout, plan.stderr);
    let requests = emulator.requests();
    assert_eq!(requests.count_route(LIST), 0);
    // Bot user, guild, channels, bot member: the reads of a file without community parts.
    assert_eq!(requests.len(), 4, "{requests:#?}");
}

/// The file without its rosters (the `roster = true` lines and the `members` lists).
fn strip_rosters(text: &str) -> String {
    let mut out = String::new();
    let mut in_members = false;
    for line in text.lines() {
        if in_members {
            in_members = !line.starts_with(']');
            continue;
        }
        if line.starts_with("roster = ") {
            continue;
        }
        if line.starts_with("members = [") {
            in_members = !line.contains(']');
            continue;
        }
        out.push_str(line);
        out.push('\n');
    }
    out
}

#[tokio::test(flavor = "multi_thread")]
async fn members_are_read_in_pages_of_a_thousand() {
    let mut state = with_members_of(GuildState::new_empty("Big"), &example());
    for index in 0..2_500u64 {
        add_person(
            &mut state,
            200_000_000_000_000_000 + index,
            &format!("member{index}"),
        );
    }
    let emulator = start(state).await;
    let dir = workspace(&example());
    let apply = run(dir.path(), Some(&emulator), &["apply", "--auto-approve"]).await;
    assert_eq!(apply.code, 0, "{}", apply.stderr);
    // 2,505 members (3 rostered, owner, bot, 2,500): pages after 0, and after the 1,000th and
    // the 2,000th member.
    let lists: Vec<String> = emulator
        .requests()
        .iter()
        .filter(|r| r.route == LIST)
        .map(|r| r.path.clone())
        .collect();
    assert_eq!(lists.len(), 3, "{lists:#?}");
    assert_converged(dir.path(), &emulator).await;
    assert_eq!(emulator.requests().count_route(LIST), 3);
}

#[tokio::test(flavor = "multi_thread")]
async fn without_the_server_members_intent_plan_fails_with_the_instruction_and_writes_nothing() {
    let state = with_members_of(GuildState::new_empty("No intent"), &example());
    let config = EmulatorConfig {
        members_intent: false,
        ..EmulatorConfig::default()
    };
    let emulator = Emulator::start(state, config).await.unwrap();
    let dir = workspace(&example());
    let plan = run(dir.path(), Some(&emulator), &["plan"]).await;
    assert_eq!(plan.code, 1);
    insta::assert_snapshot!("roster_without_intent", plan.snapshot());
    assert!(plan.stderr.contains("Server Members Intent"));
    let apply = run(dir.path(), Some(&emulator), &["apply", "--auto-approve"]).await;
    assert_eq!(apply.code, 1);
    assert_eq!(emulator.requests().writes(), 0);
}

/// `plan` against `state` for the example edited by `edit`: its exit code and stderr; asserts
/// nothing was written.
async fn refused(state: GuildState, edit: impl Fn(&str) -> String) -> String {
    let emulator = start(state).await;
    let dir = workspace(&example());
    let text = std::fs::read_to_string(dir.path().join("server.toml")).unwrap();
    std::fs::write(dir.path().join("server.toml"), edit(&text)).unwrap();
    let plan = run(dir.path(), Some(&emulator), &["plan"]).await;
    assert_eq!(plan.code, 1, "{}\n{}", plan.stdout, plan.stderr);
    let apply = run(dir.path(), Some(&emulator), &["apply", "--auto-approve"]).await;
    assert_eq!(apply.code, 1, "{}", apply.stderr);
    assert_eq!(emulator.requests().writes(), 0, "a refused plan wrote");
    common::filter(&plan.stderr)
}

#[tokio::test(flavor = "multi_thread")]
async fn a_roster_member_not_in_the_server_is_a_plan_error_with_id_and_label() {
    let state = with_members_of(GuildState::new_empty("Absent"), &example());
    let stderr = refused(state, |text| {
        text.replace(
            "{ id = \"100000000000000001\", name = \"alice\" },",
            "{ id = \"100000000000000001\", name = \"alice\" },\n  { id = \"100000000000000009\", name = \"zoe\" },",
        )
    })
    .await;
    insta::assert_snapshot!("roster_absent_member", stderr);
}

#[tokio::test(flavor = "multi_thread")]
async fn assigning_a_role_at_or_above_the_bots_highest_role_is_refused_at_plan_time() {
    let (emulator, dir) = applied().await;
    let mut state = emulator.state();
    emulator.shutdown().await;
    // 🔴 Admin moved above the bot's role by hand, and someone new must get it.
    let top = state.roles.iter().map(|r| r.position).max().unwrap();
    state
        .roles
        .iter_mut()
        .find(|r| r.name == "🔴 Admin")
        .unwrap()
        .position = top + 1;
    drop(dir);
    let stderr = refused(state, |text| {
        text.replace(
            "{ id = \"100000000000000001\", name = \"alice\" },",
            "{ id = \"100000000000000001\", name = \"alice\" },\n  { id = \"100000000000000004\", name = \"dave\" },",
        )
    })
    .await;
    assert!(
        stderr.contains("the role \"🔴 Admin\" is not below the bot's highest role"),
        "{stderr}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn taking_a_role_the_bot_depends_on_from_the_bot_is_refused() {
    let (emulator, dir) = applied().await;
    let mut state = emulator.state();
    emulator.shutdown().await;
    drop(dir);
    // The bot's own role loses Administrator; its powers come from Role Manager.
    let bot = state.bot_user_id().get();
    for role in state.roles.iter_mut().filter(|r| r.managed) {
        role.permissions = miyabi_guild::permissions::Permissions::from_bits(1 << 10);
    }
    give(&mut state, bot, "Role Manager");
    let stderr = refused(state, |text| text.to_owned()).await;
    assert!(
        stderr.contains("that is the bot itself, and without \"Role Manager\""),
        "{stderr}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn taking_administrator_from_its_last_holder_is_refused() {
    let (emulator, dir) = applied().await;
    let state = emulator.state();
    emulator.shutdown().await;
    drop(dir);
    let stderr = refused(state, |text| {
        text.replace(
            "members = [\n  { id = \"100000000000000001\", name = \"alice\" }, # placeholder id\n]",
            "members = []",
        )
    })
    .await;
    assert!(
        stderr.contains("the plan takes administrator from everyone who holds it"),
        "{stderr}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_rerun_after_a_failed_assignment_finishes_the_job() {
    let mut state = with_members_of(GuildState::new_empty("Rerun"), &example());
    add_person(&mut state, 100_000_000_000_000_004, "dave");
    let emulator = start(state).await;
    let dir = workspace(&example());
    emulator.inject(Fault::Fail {
        method: "PUT".into(),
        route: "/guilds/{guild_id}/members/{user_id}/roles/{role_id}".into(),
        status: 500,
    });
    let first = run(
        dir.path(),
        Some(&emulator),
        &["apply", "--auto-approve", "--parallel", "1"],
    )
    .await;
    assert_eq!(first.code, 1, "{}", first.stdout);
    emulator.inject(Fault::LoseAnswer {
        method: "PUT".into(),
        route: "/guilds/{guild_id}/members/{user_id}/roles/{role_id}".into(),
    });
    let second = run(dir.path(), Some(&emulator), &["apply", "--auto-approve"]).await;
    assert_eq!(second.code, 1, "{}", second.stdout);
    let third = run(dir.path(), Some(&emulator), &["apply", "--auto-approve"]).await;
    assert_eq!(third.code, 0, "{}\n{}", third.stdout, third.stderr);
    let state = emulator.state();
    assert_eq!(
        holders(&state, "🟠 Moderator"),
        [100_000_000_000_000_002, 100_000_000_000_000_003]
    );
    assert_eq!(
        state.roles.iter().filter(|r| r.name == "🔴 Admin").count(),
        1
    );
    assert_converged(dir.path(), &emulator).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn import_writes_the_staff_rosters_and_plans_no_changes() {
    let emulator = start(sandbox_seed()).await;
    let dir = tempfile::tempdir().unwrap();
    let import = run(dir.path(), Some(&emulator), &["import"]).await;
    assert_eq!(import.code, 0, "{}", import.stderr);
    // 👑 Founder/Owner (administrator, held by shunsuke) and 🔴 Admin (administrator, held by
    // nobody) are staff roles; 🟠 Moderator (no administrator, manage_roles or manage_guild) and
    // ⚪ Member are not.
    let text = import.stdout;
    let owner = section(&text, "name = \"👑 Founder/Owner\"");
    assert!(
        owner.contains(
            "roster = true\nmembers = [{ id = \"1180000000000000002\", name = \"shunsuke\" }]"
        ),
        "{owner}"
    );
    let admin = section(&text, "name = \"🔴 Admin\"");
    assert!(admin.contains("roster = true\nmembers = []"), "{admin}");
    assert!(!section(&text, "name = \"🟠 Moderator\"").contains("roster"));
    assert!(!section(&text, "name = \"⚪ Member\"").contains("roster"));
    insta::assert_snapshot!("roster_import_admin", admin);
    std::fs::write(dir.path().join("server.toml"), &text).unwrap();
    assert_converged(dir.path(), &emulator).await;
    // Without the intent, import leaves rosters out and says so.
    let config = EmulatorConfig {
        members_intent: false,
        ..EmulatorConfig::default()
    };
    let emulator = Emulator::start(sandbox_seed(), config).await.unwrap();
    let import = run(dir.path(), Some(&emulator), &["import"]).await;
    assert_eq!(import.code, 0, "{}", import.stderr);
    assert!(!import.stdout.contains("roster = true"));
    assert!(import.stderr.contains("member list"), "{}", import.stderr);
}

/// The `[[roles]]` table holding `line`, up to the next table.
fn section<'t>(text: &'t str, line: &str) -> &'t str {
    let start = text
        .find(line)
        .unwrap_or_else(|| panic!("no {line} in\n{text}"));
    let rest = &text[start..];
    let end = rest.find("\n[").unwrap_or(rest.len());
    &rest[..end]
}

#[test]
fn the_example_is_valid_and_rosters_three_roles() {
    let loaded = miyabi_guild::config::load(Path::new(&example())).expect("valid");
    let keys: Vec<&str> = loaded
        .desired
        .roster
        .iter()
        .map(|r| r.key.as_str())
        .collect();
    assert_eq!(keys, ["admin", "moderator", "role-manager"]);
    assert_eq!(loaded.desired.roster[1].members[1].name, None);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_saved_plan_is_refused_when_someone_changed_who_holds_a_rostered_role() {
    let (emulator, dir) = changed_by_hand().await;
    let saved = run(dir.path(), Some(&emulator), &["plan", "--out", "plan.json"]).await;
    assert_eq!(saved.code, 0, "{}", saved.stderr);
    // Meanwhile carol loses 🟠 Moderator by hand.
    let mut state = emulator.state();
    let moderator = state.role_named("🟠 Moderator").unwrap().id;
    for member in &mut state.members {
        if member.user_id.get() == 100_000_000_000_000_003 {
            member.roles.retain(|r| *r != moderator);
        }
    }
    emulator.shutdown().await;
    let emulator = start(state).await;
    let apply = run(
        dir.path(),
        Some(&emulator),
        &["apply", "plan.json", "--auto-approve"],
    )
    .await;
    assert_eq!(apply.code, 1, "{}\n{}", apply.stdout, apply.stderr);
    assert!(
        apply.stderr.contains("who holds role") && apply.stderr.contains("changed"),
        "{}",
        apply.stderr
    );
    assert_eq!(emulator.requests().writes(), 0);
}

/// `server.toml` with the staff roster proposed in `tests/fixtures/roster/miyabi-staff.toml`
/// (unless it rosters already): each block after the `permissions` of its role.
fn miyabi_with_roster() -> String {
    let text = std::fs::read_to_string(repo().join("server.toml")).unwrap();
    if text.contains("\nroster = true") {
        return text;
    }
    let proposal =
        std::fs::read_to_string(repo().join("tests/fixtures/roster/miyabi-staff.toml")).unwrap();
    let mut lines: Vec<String> = text.lines().map(str::to_owned).collect();
    for block in proposal.split("\n---\n") {
        let key = block
            .lines()
            .find_map(|line| line.strip_prefix("after = "))
            .unwrap()
            .trim_matches('"');
        let body: Vec<&str> = block
            .lines()
            .skip_while(|line| !line.starts_with("after = "))
            .skip(1)
            .collect();
        let start = lines
            .iter()
            .position(|line| *line == format!("key = \"{key}\""))
            .unwrap_or_else(|| panic!("server.toml has no role `{key}`"));
        let permissions = start
            + lines[start..]
                .iter()
                .position(|line| line.starts_with("permissions = "))
                .unwrap();
        let end = if lines[permissions].ends_with(']') {
            permissions
        } else {
            permissions + lines[permissions..].iter().position(|l| l == "]").unwrap()
        };
        for (offset, line) in body.iter().enumerate() {
            lines.insert(end + 1 + offset, (*line).to_owned());
        }
    }
    lines.join("\n") + "\n"
}

#[tokio::test(flavor = "multi_thread")]
async fn the_miyabi_staff_roster_plans_and_converges_on_the_sandbox() {
    let dir = workspace(&repo().join("server.toml"));
    std::fs::write(dir.path().join("server.toml"), miyabi_with_roster()).unwrap();
    let plan = run(dir.path(), None, &["plan", "--sandbox"]).await;
    assert_eq!(plan.code, 0, "{}\n{}", plan.stdout, plan.stderr);
    assert!(
        plan.stdout
            .contains("! user 1180000000000000005 (bob) gains 🔴 Admin: administrator"),
        "{}",
        plan.stdout
    );
    let apply = run(dir.path(), None, &["apply", "--sandbox", "--auto-approve"]).await;
    assert_eq!(apply.code, 0, "{}\n{}", apply.stdout, apply.stderr);
    let again = run(
        dir.path(),
        None,
        &["plan", "--sandbox", "--detailed-exitcode"],
    )
    .await;
    assert_eq!(again.code, 0, "{}\n{}", again.stdout, again.stderr);
}

#[tokio::test(flavor = "multi_thread")]
async fn roster_mistakes_in_the_file_are_located_with_a_hint() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("server.toml"),
        r#"[everyone]
permissions = []
members = ["1"]

[[roles]]
key = "admin"
name = "Admin"
roster = true
members = ["12ab", { id = "5", name = "alice" }, "5", 7, { name = "bob" }, { id = "6", name = "" }]

[[roles]]
key = "mod"
name = "Moderator"
members = ["1"]

[[roles]]
key = "helper"
name = "Helper"
roster = true
"#,
    )
    .unwrap();
    let validate = run(dir.path(), None, &["validate"]).await;
    assert_eq!(validate.code, 1);
    insta::assert_snapshot!("roster_invalid_file", validate.snapshot());
}

#[tokio::test(flavor = "multi_thread")]
async fn taking_a_rostered_role_from_many_members_at_once_needs_force() {
    let (emulator, dir) = applied().await;
    let mut state = emulator.state();
    emulator.shutdown().await;
    // Eleven people were given 🟠 Moderator by hand.
    for index in 0..11u64 {
        let id = 300_000_000_000_000_000 + index;
        add_person(&mut state, id, &format!("helper{index}"));
        give(&mut state, id, "🟠 Moderator");
    }
    let emulator = start(state).await;
    let plan = run(dir.path(), Some(&emulator), &["plan"]).await;
    assert_eq!(plan.code, 0, "{}", plan.stderr);
    assert!(
        plan.stderr
            .contains("takes rostered roles from 11 members at once"),
        "{}",
        plan.stderr
    );
    let refused = run(dir.path(), Some(&emulator), &["apply", "--auto-approve"]).await;
    assert_eq!(refused.code, 1, "{}", refused.stdout);
    assert_eq!(emulator.requests().writes(), 0);
    let forced = run(
        dir.path(),
        Some(&emulator),
        &["apply", "--auto-approve", "--force"],
    )
    .await;
    assert_eq!(forced.code, 0, "{}", forced.stderr);
    assert_eq!(emulator.requests().count_route(UNASSIGN), 11);
    assert_converged(dir.path(), &emulator).await;
}
