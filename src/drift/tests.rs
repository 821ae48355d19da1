//! Drift from hand-built plans: classification, order, reversal, and the interim access notes.

use super::*;
use crate::model::{ChannelId, ChannelKind, ChannelSettings, RoleId, RoleSettings};
use crate::plan::ChannelSpec;
use crate::plan::PlannedOverwrite;

const GUILD: u64 = 1000;

fn guild() -> GuildId {
    GuildId::new(GUILD)
}

fn plan(changes: Vec<Change>, kept: Vec<Kept>) -> Plan {
    Plan {
        guild_id: guild(),
        guild_name: "Test".into(),
        sandbox: false,
        changes,
        kept,
        warnings: vec![],
        managed: 0,
        access: vec![],
        partial: false,
        targets: vec![],
    }
}

fn channel(name: &str, overwrites: Vec<PlannedOverwrite>) -> ChannelSpec {
    ChannelSpec {
        name: name.into(),
        kind: ChannelKind::Text,
        parent: None,
        settings: ChannelSettings::defaults_for(ChannelKind::Text),
        overwrites,
        synced: false,
        tag_ids: vec![],
    }
}

fn rename_role(from: &str, to: &str) -> Change {
    Change::UpdateRole {
        id: RoleId::new(5),
        key: "mod".into(),
        before: RoleSettings::named(from),
        after: RoleSettings::named(to),
    }
}

#[test]
fn an_empty_plan_is_in_sync_even_with_unmanaged_objects() {
    let kept = Kept::Role {
        id: RoleId::new(9),
        name: "Bots".into(),
    };
    let drift = Drift::from_plan(&plan(vec![], vec![kept.clone()]));
    assert!(drift.in_sync());
    assert_eq!(drift.unmanaged, vec![kept]);
    assert_eq!(drift.summary().unmanaged, 1);
}

#[test]
fn updates_are_changed_creates_missing_prune_deletes_added_in_that_order() {
    let create = Change::CreateRole {
        key: "vip".into(),
        role: RoleSettings::named("VIP"),
    };
    let delete = Change::DeleteChannel {
        id: ChannelId::new(3),
        channel: channel("intruder", vec![]),
        reason: DeleteReason::Pruned,
    };
    let update = rename_role("Mod", "Moderator");
    let drift = Drift::from_plan(&plan(
        vec![create.clone(), delete.clone(), update.clone()],
        vec![],
    ));
    let kinds: Vec<DriftKind> = drift.items.iter().map(|item| item.drift).collect();
    assert_eq!(
        kinds,
        [DriftKind::Changed, DriftKind::Missing, DriftKind::Added]
    );
    assert_eq!(drift.items[0].fix, update);
    assert_eq!(drift.items[1].object, "create role \"VIP\"");
    assert_eq!(drift.items[2].fix, delete);
    assert_eq!(
        drift.summary(),
        DriftSummary {
            changed: 1,
            missing: 1,
            added: 1,
            unmanaged: 0
        }
    );
}

#[test]
fn a_channel_replaced_by_another_kind_was_changed_by_hand() {
    let replaced = Change::DeleteChannel {
        id: ChannelId::new(3),
        channel: channel("lounge", vec![]),
        reason: DeleteReason::Replaced {
            by: ChannelKind::Voice,
        },
    };
    let drift = Drift::from_plan(&plan(vec![replaced], vec![]));
    assert_eq!(drift.items[0].drift, DriftKind::Changed);
}

#[test]
fn as_found_turns_an_update_around_and_leaves_creates_alone() {
    let found = as_found(&rename_role("Hand-made", "Moderator"));
    let Change::UpdateRole { before, after, .. } = found else {
        panic!("still a role update");
    };
    assert_eq!(before.name, "Moderator", "before is the file");
    assert_eq!(after.name, "Hand-made", "after is the guild");
    let create = Change::CreateRole {
        key: "vip".into(),
        role: RoleSettings::named("VIP"),
    };
    assert_eq!(as_found(&create), create);
}
