//! Apply, then plan again: no changes, no writes. For `server.toml` and every example, on an
//! empty guild and on the hand-built sandbox guild, through the real binary and real HTTP.
//! Also: exact request counts, rate limits, and failures in the middle of an apply. The apply
//! runs with `--parallel 1` (strictly in plan order) and with the default concurrency.

mod common;

use std::path::Path;

use common::{Output, repo, run, sandbox_seed, start, with_members_of, workspace};
use miyabi_guild::emulator::state::Channel;
use miyabi_guild::emulator::{
    Emulator, EmulatorConfig, Fault, GuildState, HeadersMode, RateLimits, RequestsExt,
};
use serde_json::json;

/// The two ways an apply runs: strictly in plan order, and with the default concurrency.
const PARALLEL: [&[&str]; 2] = [&["--parallel", "1"], &[]];

/// `apply --auto-approve` with `extra` arguments.
fn apply_args<'a>(extra: &[&'a str]) -> Vec<&'a str> {
    let mut args = vec!["apply", "--auto-approve"];
    args.extend_from_slice(extra);
    args
}

async fn converges(file: &Path, state: GuildState, label: &str, parallel: &[&str]) {
    let emulator = start(with_members_of(state, file)).await;
    let dir = workspace(file);

    // Convergence, not the safety gates, is under test: a drifted guild may need --force.
    let mut args = apply_args(&["--force", "--allow-delete"]);
    args.extend_from_slice(parallel);
    let apply = run(dir.path(), Some(&emulator), &args).await;
    assert_eq!(
        apply.code, 0,
        "{label}: apply failed\n{}\n{}",
        apply.stdout, apply.stderr
    );
    assert!(
        emulator.requests().writes() > 0,
        "{label}: the first apply wrote nothing"
    );
    let every_write_has_a_reason = emulator
        .requests()
        .iter()
        .filter(|request| request.is_write())
        .all(|request| {
            request
                .audit_log_reason
                .as_deref()
                .is_some_and(|r| r.starts_with("miyabi-guild"))
        });
    assert!(
        every_write_has_a_reason,
        "{label}: a write without X-Audit-Log-Reason"
    );

    emulator.clear_requests();
    let plan = run(
        dir.path(),
        Some(&emulator),
        &["plan", "--detailed-exitcode"],
    )
    .await;
    assert_eq!(
        plan.code, 0,
        "{label}: not converged after one apply:\n{}",
        plan.stdout
    );
    assert!(
        plan.stdout.contains("No changes."),
        "{label}: {}",
        plan.stdout
    );

    let again = run(dir.path(), Some(&emulator), &apply_args(parallel)).await;
    assert_eq!(again.code, 0, "{label}: {}", again.stderr);
    assert_eq!(
        emulator.requests().writes(),
        0,
        "{label}: the second apply wrote something"
    );

    let loaded = miyabi_guild::config::load(file).unwrap();
    let state = emulator.state();
    for role in &loaded.desired.roles {
        assert!(
            state.role_named(&role.settings.name).is_some(),
            "{label}: role {} missing",
            role.settings.name
        );
    }
    // Once per place: names may repeat across categories.
    let channels = state.channels();
    let parent_name = |parent: Option<u64>| {
        parent.and_then(|id| {
            channels
                .iter()
                .find(|c| c.id.get() == id)
                .map(|c| c.name.clone())
        })
    };
    for channel in &loaded.desired.channels {
        let found = channels
            .iter()
            .filter(|c| {
                c.name == channel.name
                    && c.kind == channel.kind.discord_type()
                    && (channel.kind == miyabi_guild::model::ChannelKind::Category
                        || parent_name(c.parent_id.map(|id| id.get())) == channel.parent)
            })
            .count();
        assert_eq!(
            found, 1,
            "{label}: channel {} in {:?} exists {found} times",
            channel.name, channel.parent
        );
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn every_file_converges_on_an_empty_guild() {
    let files = common::server_files();
    assert!(
        files
            .iter()
            .any(|file| file.ends_with("examples/course.toml")),
        "the course-style example (repeated names, bots' roles, presets) is among them"
    );
    for parallel in PARALLEL {
        for file in &files {
            converges(
                file,
                GuildState::new_empty("Empty"),
                &format!("{} on an empty guild {parallel:?}", file.display()),
                parallel,
            )
            .await;
        }
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn every_file_converges_on_the_hand_built_sandbox_guild() {
    for parallel in PARALLEL {
        for file in common::server_files() {
            converges(
                &file,
                sandbox_seed(),
                &format!("{} on the sandbox guild {parallel:?}", file.display()),
                parallel,
            )
            .await;
        }
    }
}

/// A guild with `categories` categories of `per_category` text channels each.
fn generated_guild(categories: usize, per_category: usize) -> GuildState {
    let mut state = GuildState::new_empty("Generated");
    for c in 0..categories {
        let category = state.next_id();
        state.channels.push(
            serde_json::from_value::<Channel>(json!({ "id": category, "type": 4, "name": format!("Category {c}"), "position": c }))
                .unwrap(),
        );
        for n in 0..per_category {
            let id = state.next_id();
            let everyone = state.guild_id();
            state.channels.push(
                serde_json::from_value::<Channel>(json!({
                    "id": id, "type": 0, "name": format!("channel-{c}-{n}"), "position": n, "parent_id": category,
                    "topic": "generated", "permission_overwrites": [{ "id": everyone, "type": 0, "allow": "0", "deny": "2048" }]
                }))
                .unwrap(),
            );
        }
    }
    state.normalise();
    state
}

#[tokio::test(flavor = "multi_thread")]
async fn plan_reads_the_same_few_times_whatever_the_guild_size() {
    let file = repo().join("server.toml");
    let mut counts = Vec::new();
    for (categories, per_category) in [(2, 4), (8, 49)] {
        let emulator = start(with_members_of(
            generated_guild(categories, per_category),
            &file,
        ))
        .await;
        let channels = emulator.state().channels().len();
        let dir = workspace(&file);
        let plan = run(dir.path(), Some(&emulator), &["plan"]).await;
        assert_eq!(plan.code, 0, "{}", plan.stderr);
        let requests = emulator.requests();
        assert!(
            requests.iter().all(|r| r.method == "GET"),
            "plan only reads"
        );
        counts.push((channels, requests.len()));
    }
    assert_eq!(counts[0].0, 10);
    assert_eq!(counts[1].0, 400);
    // Bot user, guild, channels, bot member; then one read each for the welcome screen,
    // onboarding, AutoMod rules, events, webhooks, invites, the widget, emoji and the member
    // list (rosters) that server.toml manages. (The forums its threads live in do not exist in
    // these guilds, so no thread is read; the guild has no icon to fetch from the CDN.)
    assert_eq!(counts[0].1, 13);
    assert_eq!(counts[1].1, 13);
}

#[tokio::test(flavor = "multi_thread")]
async fn apply_writes_once_per_change_plus_one_bulk_reorder_per_list_kind() {
    let file = repo().join("server.toml");
    let emulator = start(sandbox_seed()).await;
    let dir = workspace(&file);
    let plan = run(dir.path(), Some(&emulator), &["plan", "--json"]).await;
    let plan: serde_json::Value = serde_json::from_str(&plan.stdout).unwrap();
    let changes = plan["changes"].as_array().unwrap();
    let singles = changes
        .iter()
        .filter(|c| !c["action"].as_str().unwrap().starts_with("reorder"))
        .count();
    let role_reorders = changes
        .iter()
        .filter(|c| c["action"] == "reorder_roles")
        .count();
    let channel_reorders = changes
        .iter()
        .filter(|c| c["action"] == "reorder_channels")
        .count();
    assert_eq!(role_reorders, 1);
    assert!(
        channel_reorders > 1,
        "the sandbox needs several channel lists reordered"
    );

    emulator.clear_requests();
    let apply = run(dir.path(), Some(&emulator), &["apply", "--auto-approve"]).await;
    assert_eq!(apply.code, 0, "{}", apply.stderr);
    let requests = emulator.requests();
    // A new thread is one write more when it is pinned, locked or archived (a PATCH after the
    // create: Discord's create takes none of them), and one more when it is a text channel's
    // thread (the thread, then its first message).
    let thread_follow_ups: usize = changes
        .iter()
        .filter(|c| c["action"] == "create_thread")
        .map(|c| {
            let thread = &c["thread"];
            let flagged = ["pinned", "locked", "archived"]
                .iter()
                .any(|flag| thread[*flag] == true);
            usize::from(flagged) + usize::from(c["post"] == false)
        })
        .sum();
    assert!(thread_follow_ups > 0, "the guides are pinned");
    assert_eq!(
        requests.writes(),
        singles + thread_follow_ups + 1 + 1,
        "one write per change (threads: their follow-ups), one bulk role reorder, one bulk channel reorder"
    );
    assert_eq!(requests.count_route("PATCH /guilds/{guild_id}/channels"), 1);
    assert_eq!(requests.count_route("PATCH /guilds/{guild_id}/roles"), 1);
    assert_eq!(
        requests.count_route("PUT /channels/{channel_id}/permissions/{overwrite_id}"),
        0,
        "overwrites are replaced in one PATCH"
    );
    assert_eq!(
        requests.count_route("DELETE /channels/{channel_id}/permissions/{overwrite_id}"),
        0
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_rate_limited_apply_waits_for_discord_and_still_converges() {
    let file = repo().join("server.toml");
    let config = EmulatorConfig {
        rate_limits: RateLimits {
            enabled: true,
            limit: 4,
            window: std::time::Duration::from_millis(100),
            headers: HeadersMode::On429Only,
            ..RateLimits::default()
        },
        ..EmulatorConfig::default()
    };
    let emulator = Emulator::start(
        with_members_of(GuildState::new_empty("Busy"), &file),
        config,
    )
    .await
    .unwrap();
    let dir = workspace(&file);
    let apply = run(dir.path(), Some(&emulator), &["apply", "--auto-approve"]).await;
    assert_eq!(apply.code, 0, "{}", apply.stderr);
    assert!(
        emulator.requests().rate_limited() > 0,
        "the budget was small enough to hit 429s"
    );
    emulator.clear_requests();
    let plan = run(
        dir.path(),
        Some(&emulator),
        &["plan", "--detailed-exitcode"],
    )
    .await;
    assert_eq!(plan.code, 0, "{}", plan.stdout);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_failed_write_stops_reports_and_a_rerun_finishes_without_duplicates() {
    let file = repo().join("server.toml");
    let emulator = start(sandbox_seed()).await;
    let dir = workspace(&file);
    emulator.inject(Fault::Fail {
        method: "POST".into(),
        route: "/guilds/{guild_id}/channels".into(),
        status: 403,
    });
    let apply = run(
        dir.path(),
        Some(&emulator),
        &apply_args(&["--parallel", "1"]),
    )
    .await;
    assert_eq!(apply.code, 1);
    let report = apply
        .stdout
        .split("Apply incomplete")
        .nth(1)
        .expect("an incomplete report");
    insta::assert_snapshot!(
        "failed_apply_report",
        common::filter(&format!("Apply incomplete{report}"))
    );
    insta::assert_snapshot!("failed_apply_stderr", common::filter(&apply.stderr));
    reruns_without_duplicates(&emulator, dir.path()).await;
}

/// A rerun finishes the job: nothing created twice, then no changes.
async fn reruns_without_duplicates(emulator: &Emulator, dir: &Path) {
    let rerun = run(dir, Some(emulator), &apply_args(&[])).await;
    assert_eq!(rerun.code, 0, "{}", rerun.stderr);
    assert!(
        !rerun.stdout.contains("create role"),
        "roles made before the failure are not recreated"
    );
    let plan = run(dir, Some(emulator), &["plan", "--detailed-exitcode"]).await;
    assert_eq!(plan.code, 0, "{}", plan.stdout);
    let state = emulator.state();
    let mut names: Vec<(&str, u8)> = state
        .channels()
        .iter()
        .map(|c| (c.name.as_str(), c.kind))
        .collect();
    let total = names.len();
    names.sort();
    names.dedup();
    assert_eq!(names.len(), total, "no channel exists twice");
}

/// The lines of the report's `done` and `not done` lists, without their markers.
fn report_lists(stdout: &str) -> (Vec<String>, Vec<String>) {
    let report = stdout.split("Apply incomplete").nth(1).expect("a report");
    let mut done = Vec::new();
    let mut not_done = Vec::new();
    let mut list = &mut done;
    for line in report.lines() {
        if line.starts_with("  not done (") {
            list = &mut not_done;
        } else if let Some(entry) = line.strip_prefix("    ") {
            list.push(entry.to_owned());
        }
    }
    (done, not_done)
}

/// Applies `server.toml` to the sandbox guild with the first channel create failing.
async fn apply_with_a_failed_create(parallel: &[&str]) -> (Emulator, tempfile::TempDir, Output) {
    let emulator = start(sandbox_seed()).await;
    let dir = workspace(&repo().join("server.toml"));
    emulator.inject(Fault::Fail {
        method: "POST".into(),
        route: "/guilds/{guild_id}/channels".into(),
        status: 403,
    });
    let apply = run(dir.path(), Some(&emulator), &apply_args(parallel)).await;
    assert_eq!(apply.code, 1, "{}", apply.stdout);
    (emulator, dir, apply)
}

#[tokio::test(flavor = "multi_thread")]
async fn a_failed_write_under_concurrency_lets_the_others_finish_and_reports_in_plan_order() {
    // Strictly in order, the report lists the whole plan in its order.
    let (_, _, sequential) = apply_with_a_failed_create(&["--parallel", "1"]).await;
    let (done, not_done) = report_lists(&sequential.stdout);
    let plan: Vec<String> = done
        .iter()
        .chain(&not_done)
        .map(|line| line.trim_end_matches(" (failed)").to_owned())
        .collect();

    let (emulator, dir, concurrent) = apply_with_a_failed_create(&[]).await;
    let (done, not_done) = report_lists(&concurrent.stdout);
    assert_eq!(done.len() + not_done.len(), plan.len());
    let failed = not_done.iter().filter(|l| l.ends_with("(failed)")).count();
    assert_eq!(failed, 1, "{not_done:#?}");
    assert!(
        done.len() > 6,
        "changes independent of the failed one finished: {done:#?}"
    );
    for list in [&done, &not_done] {
        let positions: Vec<usize> = list
            .iter()
            .map(|line| {
                let line = line.trim_end_matches(" (failed)");
                plan.iter()
                    .position(|planned| planned == line)
                    .unwrap_or_else(|| panic!("{line} is not in the plan"))
            })
            .collect();
        assert!(
            positions.windows(2).all(|pair| pair[0] < pair[1]),
            "in plan order: {list:#?}"
        );
    }
    reruns_without_duplicates(&emulator, dir.path()).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_create_whose_answer_is_lost_is_found_not_duplicated() {
    for parallel in PARALLEL {
        a_lost_answer_is_found(parallel).await;
    }
}

async fn a_lost_answer_is_found(parallel: &[&str]) {
    let file = repo().join("server.toml");
    let emulator = start(with_members_of(GuildState::new_empty("Flaky"), &file)).await;
    let dir = workspace(&file);
    emulator.inject(Fault::LoseAnswer {
        method: "POST".into(),
        route: "/guilds/{guild_id}/roles".into(),
    });
    let apply = run(dir.path(), Some(&emulator), &apply_args(parallel)).await;
    assert_eq!(apply.code, 0, "{}\n{}", apply.stdout, apply.stderr);
    assert!(
        apply.stdout.contains("found after a lost answer"),
        "{}",
        apply.stdout
    );
    let state = emulator.state();
    let founders = state
        .roles()
        .iter()
        .filter(|role| role.name == "👑 Founder/Owner")
        .count();
    assert_eq!(founders, 1);
    let plan = run(
        dir.path(),
        Some(&emulator),
        &["plan", "--detailed-exitcode"],
    )
    .await;
    assert_eq!(plan.code, 0, "{}", plan.stdout);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_role_above_the_bot_is_refused_at_plan_time_and_nothing_is_written() {
    // The bot's role sits below 🔴 Admin, whose colour the file changes.
    let mut state = sandbox_seed();
    let bot_role = state
        .roles
        .iter_mut()
        .find(|role| role.name == "miyabi-guild")
        .unwrap();
    bot_role.position = 5;
    state.normalise();
    let emulator = start(state).await;
    let dir = workspace(&repo().join("server.toml"));
    let apply = run(
        dir.path(),
        Some(&emulator),
        &["apply", "--auto-approve", "--force"],
    )
    .await;
    assert_eq!(apply.code, 1);
    insta::assert_snapshot!("hierarchy_refusal_stderr", common::filter(&apply.stderr));
    assert_eq!(
        emulator.requests().writes(),
        0,
        "preflight refuses before any write"
    );
}
