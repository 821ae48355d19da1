//! The dependencies of the Miyabi file's plan against an empty guild, and of hand-made plans.

use serde_json::json;

use super::*;
use crate::model::{BotMember, UserId};

/// The plan for `server.toml` against an empty guild, at a fixed time.
fn miyabi_from_empty() -> Plan {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("server.toml");
    let loaded = crate::config::load(&path).expect("server.toml is valid");
    let guild: crate::discord::wire::Guild = serde_json::from_value(json!({
        "id": "1000", "name": "Empty", "owner_id": "1",
        "roles": [{ "id": "1000", "name": "@everyone", "permissions": "0", "position": 0 }],
    }))
    .unwrap();
    let live = crate::live::normalise(
        guild,
        Vec::new(),
        BotMember {
            user_id: UserId::new(2),
            role_ids: Vec::new(),
        },
    );
    crate::diff::plan(
        &loaded.desired,
        &live,
        "2026-11-24T00:00:00Z".parse().unwrap(),
    )
    .expect("the plan")
}

fn step_of(plan: &Plan, steps: &[Step], describe: &str) -> usize {
    steps
        .iter()
        .position(|step| {
            step.changes
                .iter()
                .any(|c| plan.changes[*c].describe() == describe)
        })
        .unwrap_or_else(|| {
            let all: Vec<String> = plan.changes.iter().map(Change::describe).collect();
            panic!("no step {describe} in {all:#?}")
        })
}

/// Whether step `later` waits, directly or not, for step `earlier`.
fn waits_for(steps: &[Step], later: usize, earlier: usize) -> bool {
    let mut stack = vec![later];
    let mut seen = HashSet::new();
    while let Some(step) = stack.pop() {
        for before in &steps[step].after {
            if *before == earlier {
                return true;
            }
            if seen.insert(*before) {
                stack.push(*before);
            }
        }
    }
    false
}

#[test]
fn steps_cover_the_plan_once_and_wait_only_for_earlier_steps() {
    let plan = miyabi_from_empty();
    let steps = steps(&plan);
    let mut covered: Vec<usize> = steps.iter().flat_map(|s| s.changes.clone()).collect();
    covered.sort_unstable();
    assert_eq!(covered, (0..plan.changes.len()).collect::<Vec<_>>());
    for (index, step) in steps.iter().enumerate() {
        assert!(step.after.iter().all(|before| *before < index), "{step:?}");
    }
    let reorders: Vec<&Step> = steps
        .iter()
        .filter(|s| {
            s.changes
                .iter()
                .any(|c| matches!(plan.changes[*c], Change::ReorderChannels { .. }))
        })
        .collect();
    assert_eq!(
        reorders.len(),
        0,
        "creates carry their positions: no channel reorder from empty"
    );
}

#[test]
fn what_names_a_new_object_waits_for_its_create() {
    let plan = miyabi_from_empty();
    let steps = steps(&plan);
    let step = |describe: &str| step_of(&plan, &steps, describe);
    let category = step("create category \"📢 WELCOME & RULES\"");
    let rules = step("create #rules");
    assert!(waits_for(&steps, rules, category));
    let guild = step("update the guild \"Miyabi\"");
    assert!(waits_for(&steps, guild, rules), "the guild names #rules");
    let announcements = step("create announcement channel \"announcements\"");
    assert!(
        waits_for(&steps, announcements, guild),
        "announcement channels need COMMUNITY"
    );
    let second = step("post messages/rules.md (2/4) in #rules");
    let first = step("post messages/rules.md (1/4) in #rules");
    assert!(
        waits_for(&steps, second, first),
        "messages keep their order"
    );
    let webhook =
        step("create webhook \"GitHub Releases\" in announcement channel \"announcements\"");
    assert!(waits_for(&steps, webhook, announcements));
}

#[test]
fn enabled_onboarding_waits_for_every_channel_write_and_everyone() {
    // Discord checks, when the onboarding update arrives, that 5 default channels let
    // @everyone post: every channel create and update and @everyone's update come first.
    let plan = miyabi_from_empty();
    let steps = steps(&plan);
    let onboarding = step_of(&plan, &steps, "update onboarding");
    let mut channel_writes = 0;
    for (index, step) in steps.iter().enumerate() {
        let change = &plan.changes[step.changes[0]];
        if matches!(
            change,
            Change::CreateChannel { .. }
                | Change::UpdateChannel { .. }
                | Change::UpdateEveryone { .. }
        ) {
            channel_writes += 1;
            assert!(
                waits_for(&steps, onboarding, index),
                "{}",
                change.describe()
            );
        }
    }
    assert!(channel_writes > 50);
}

#[test]
fn independent_changes_do_not_wait_for_each_other() {
    let plan = miyabi_from_empty();
    let steps = steps(&plan);
    let step = |describe: &str| step_of(&plan, &steps, describe);
    // A text and a voice channel of one category wait for the category, not for each other.
    let general = step("create #general-chat");
    let study = step("create voice channel \"🔊 Study Hall\"");
    assert!(!waits_for(&steps, general, study) && !waits_for(&steps, study, general));
    let roots = steps.iter().filter(|s| s.after.is_empty()).count();
    assert!(roots >= 2, "{roots} steps can start at once");
    // The longest chain is much shorter than the plan.
    let mut depth = vec![0usize; steps.len()];
    for (index, step) in steps.iter().enumerate() {
        depth[index] = step.after.iter().map(|b| depth[*b] + 1).max().unwrap_or(0);
    }
    let longest = depth.iter().max().copied().unwrap_or(0);
    assert!(
        longest * 2 < steps.len(),
        "longest chain {longest} of {} steps",
        steps.len()
    );
}

#[test]
fn creations_keep_their_order_in_lists_no_reorder_fixes() {
    let plan = miyabi_from_empty();
    let steps = steps(&plan);
    let reordered = Reordered::of(&plan);
    let roles: Vec<usize> = steps
        .iter()
        .enumerate()
        .filter(|(_, s)| matches!(plan.changes[s.changes[0]], Change::CreateRole { .. }))
        .map(|(index, _)| index)
        .collect();
    assert!(roles.len() > 2);
    for pair in roles.windows(2) {
        assert_eq!(
            waits_for(&steps, pair[1], pair[0]),
            !reordered.roles,
            "role creates race only when a reorder follows"
        );
    }
    // Creates of one list wait for each other: equal positions are sorted by id, so ids must
    // follow the plan's order.
    let mut last_in_list: HashMap<(Option<ChannelRef>, SortBucket), usize> = HashMap::new();
    let mut placed = 0;
    for (index, step) in steps.iter().enumerate() {
        if let Change::CreateChannel { channel, position } = &plan.changes[step.changes[0]] {
            placed += usize::from(position.is_some());
            let list = (
                channel.parent.as_ref().map(|p| p.channel.clone()),
                channel.kind.sort_bucket(),
            );
            assert!(!reordered.channels.contains(&list));
            if let Some(previous) = last_in_list.insert(list, index) {
                assert!(waits_for(&steps, index, previous), "{}", channel.name);
            }
        }
    }
    assert!(placed > 0, "announcement channels are placed by position");
}

#[test]
fn deletes_wait_for_everything_before_them_and_everything_after_waits_for_them() {
    let mut plan = miyabi_from_empty();
    let role = crate::model::RoleSettings::named("old");
    plan.changes.insert(
        3,
        Change::DeleteRole {
            id: crate::model::RoleId::new(77),
            role: role.clone(),
        },
    );
    plan.changes.push(Change::DeleteRole {
        id: crate::model::RoleId::new(78),
        role,
    });
    let steps = steps(&plan);
    let first = steps.iter().position(|s| s.changes == [3]).unwrap();
    assert_eq!(steps[first].after, vec![0, 1, 2]);
    for later in first + 1..steps.len() {
        assert!(waits_for(&steps, later, first));
    }
    let last = steps.len() - 1;
    assert_eq!(steps[last].after.len(), steps.len() - 2);
}
