use super::*;
use crate::model::{ChannelSettings, DesiredRole, GuildId, RoleSettings};
use crate::permissions::Permissions;
use crate::plan::{ChannelSpec, ParentSpec, PlannedOverwrite, TargetRef};

fn plan(changes: Vec<Change>) -> Plan {
    Plan {
        guild_id: GuildId::new(1),
        guild_name: "Test".into(),
        sandbox: false,
        changes,
        kept: vec![],
        warnings: vec![],
        managed: 0,
        access: vec![],
        partial: false,
        targets: vec![],
    }
}

fn spec(name: &str, kind: ChannelKind, parent: Option<&str>) -> ChannelSpec {
    ChannelSpec {
        name: name.into(),
        kind,
        parent: parent.map(|category| ParentSpec {
            channel: ChannelRef::New {
                name: category.into(),
                kind: ChannelKind::Category,
                category: None,
            },
            name: category.into(),
            category: None,
        }),
        settings: ChannelSettings::defaults_for(kind),
        overwrites: vec![],
        synced: false,
        tag_ids: vec![],
    }
}

fn create_role(key: &str) -> Change {
    Change::CreateRole {
        key: key.into(),
        role: RoleSettings::named(key),
    }
}

fn target_channel(name: &str, category: Option<&str>) -> Targets {
    Targets {
        texts: vec![format!("channel:#{name}")],
        resolved: vec![Target::Channel(ChannelKey {
            name: name.into(),
            kind: ChannelKind::Text,
            category: category.map(Into::into),
        })],
    }
}

/// A new channel in a new category, with an overwrite for a new role, and a webhook in it.
fn staff_plan() -> Plan {
    let mut channel = spec("mod-log", ChannelKind::Text, Some("STAFF"));
    channel.overwrites.push(PlannedOverwrite {
        target: TargetRef::Role(RoleRef::New("moderator".into())),
        label: "moderator".into(),
        allow: Permissions::VIEW_CHANNEL,
        deny: Permissions::NONE,
    });
    let pick = ParentSpec {
        channel: channel.new_ref(),
        name: "mod-log".into(),
        category: None,
    };
    plan(vec![
        create_role("moderator"),
        create_role("vip"),
        Change::CreateChannel {
            channel: spec("STAFF", ChannelKind::Category, None),
            position: None,
        },
        Change::CreateChannel {
            channel: channel.clone(),
            position: None,
        },
        Change::CreateChannel {
            channel: spec("lounge", ChannelKind::Text, None),
            position: None,
        },
        Change::ReorderRoles {
            before: vec![],
            after: vec![
                Slot {
                    reference: RoleRef::New("vip".into()),
                    name: "vip".into(),
                    managed: true,
                },
                Slot {
                    reference: RoleRef::New("moderator".into()),
                    name: "moderator".into(),
                    managed: true,
                },
            ],
        },
        Change::CreateWebhook {
            webhook: crate::plan::WebhookSpec {
                channel: pick,
                name: "CI".into(),
                avatar: None,
            },
        },
    ])
}

#[test]
fn a_targeted_channel_brings_its_new_category_and_roles_but_not_its_webhooks() {
    let mut plan = staff_plan();
    filter(&mut plan, &target_channel("mod-log", Some("STAFF")));
    let kept: Vec<String> = plan.changes.iter().map(Change::describe).collect();
    assert_eq!(
        kept,
        [
            "create role \"moderator\"",
            "create category \"STAFF\"",
            "create #mod-log",
        ]
    );
    assert!(plan.partial);
    assert_eq!(plan.targets, ["channel:#mod-log"]);
}

#[test]
fn a_kept_reorder_loses_the_new_objects_the_partial_plan_does_not_create() {
    let mut plan = staff_plan();
    let targets = Targets {
        texts: vec!["role:moderator".into()],
        resolved: vec![Target::Role {
            key: "moderator".into(),
            name: "moderator".into(),
        }],
    };
    filter(&mut plan, &targets);
    assert_eq!(plan.changes.len(), 2, "{:?}", plan.changes);
    let Change::ReorderRoles { after, .. } = &plan.changes[1] else {
        panic!("{:?}", plan.changes[1]);
    };
    let names: Vec<&str> = after.iter().map(|slot| slot.name.as_str()).collect();
    assert_eq!(names, ["moderator"]);
}

#[test]
fn a_target_that_is_not_in_the_file_suggests_a_close_one() {
    let desired = DesiredGuild {
        roles: vec![DesiredRole {
            key: "moderator".into(),
            id: None,
            previously: vec![],
            settings: RoleSettings::named("Moderator"),
        }],
        ..DesiredGuild::default()
    };
    let error = resolve(&["role:moderater".into()], &desired, &plan(vec![])).unwrap_err();
    assert_eq!(error.hint, "did you mean `role:moderator`?");
    let error = resolve(&["rol:moderator".into()], &desired, &plan(vec![])).unwrap_err();
    assert_eq!(error.hint, "did you mean `role:moderator`?");
    let resolved = resolve(
        &[
            "role:moderator".into(),
            "role:moderator".into(),
            "guild".into(),
        ],
        &desired,
        &plan(vec![]),
    )
    .unwrap();
    assert_eq!(resolved.texts, ["role:moderator", "guild"]);
    assert_eq!(resolved.resolved.len(), 2);
}

#[test]
fn a_channel_replaced_by_another_kind_brings_the_old_ones_delete() {
    let mut plan = plan(vec![
        Change::CreateChannel {
            channel: spec("news", ChannelKind::Announcement, None),
            position: None,
        },
        Change::DeleteChannel {
            id: crate::model::ChannelId::new(5),
            channel: spec("news", ChannelKind::Text, None),
            reason: crate::plan::DeleteReason::Replaced {
                by: ChannelKind::Announcement,
            },
        },
        Change::DeleteChannel {
            id: crate::model::ChannelId::new(6),
            channel: spec("old", ChannelKind::Text, None),
            reason: crate::plan::DeleteReason::Pruned,
        },
    ]);
    let targets = Targets {
        texts: vec!["channel:#news".into()],
        resolved: vec![Target::Channel(ChannelKey {
            name: "news".into(),
            kind: ChannelKind::Announcement,
            category: None,
        })],
    };
    filter(&mut plan, &targets);
    let kept: Vec<String> = plan.changes.iter().map(Change::describe).collect();
    assert_eq!(
        kept,
        ["create announcement channel \"news\"", "delete #news"]
    );
}

#[test]
fn a_synced_channel_without_its_categorys_update_is_compared_with_the_live_channel() {
    let mut before = spec("welcome", ChannelKind::Text, None);
    before.parent = Some(ParentSpec {
        channel: ChannelRef::Id(crate::model::ChannelId::new(7)),
        name: "WELCOME".into(),
        category: None,
    });
    let overwrite = PlannedOverwrite {
        target: TargetRef::Role(RoleRef::Id(crate::model::RoleId::new(1))),
        label: "@everyone".into(),
        allow: Permissions::NONE,
        deny: Permissions::VIEW_CHANNEL,
    };
    let mut after = before.clone();
    after.overwrites = vec![overwrite.clone()];
    let update = |before: &ChannelSpec, after: &ChannelSpec| Change::UpdateChannel {
        id: crate::model::ChannelId::new(8),
        before: before.clone(),
        after: after.clone(),
        predicted_overwrites: Some(vec![]),
        matched_by: crate::plan::MatchedBy::Name,
    };
    let targets = Targets {
        texts: vec!["channel:#welcome".into()],
        resolved: vec![Target::Channel(ChannelKey {
            name: "welcome".into(),
            kind: ChannelKind::Text,
            category: Some("WELCOME".into()),
        })],
    };
    // Differs from the live channel: kept, without the prediction.
    let mut differs = plan(vec![update(&before, &after)]);
    filter(&mut differs, &targets);
    assert!(matches!(
        &differs.changes[..],
        [Change::UpdateChannel {
            predicted_overwrites: None,
            ..
        }]
    ));
    // Equal to the live channel once Discord copies nothing: nothing to do.
    let mut same = plan(vec![update(&after, &after)]);
    filter(&mut same, &targets);
    assert!(same.changes.is_empty(), "{:?}", same.changes);
}
