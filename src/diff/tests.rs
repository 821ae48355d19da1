//! Diff units: one case per kind of change, built from small hand-written guilds.

use super::*;
use crate::model::{
    BotMember, ChannelSettings, DesiredChannel, DesiredRole, LiveRole, Prune, RoleSettings, UserId,
};
use crate::model::{RoleId, SortBucket, TagId};
use crate::permissions::Permissions;
use crate::plan::{ChangeKind, DeleteReason};

const GUILD: u64 = 1000;

/// The diff at a fixed time, so tests never depend on the clock.
pub(super) fn run_diff(desired: &DesiredGuild, live: &LiveGuild) -> Result<Plan, Vec<DiffError>> {
    super::plan(desired, live, "2026-11-24T00:00:00Z".parse().unwrap())
}

fn perms(names: &[&str]) -> Permissions {
    names.iter().fold(Permissions::NONE, |acc, name| {
        acc.union(Permissions::from_name(name).expect(name))
    })
}

fn role_settings(name: &str) -> RoleSettings {
    RoleSettings::named(name)
}

fn live_role(id: u64, position: i64, name: &str) -> LiveRole {
    LiveRole {
        id: RoleId::new(id),
        position,
        managed: false,
        settings: role_settings(name),
    }
}

fn desired_role(key: &str, name: &str) -> DesiredRole {
    DesiredRole {
        key: key.into(),
        id: None,
        previously: vec![],
        settings: role_settings(name),
    }
}

pub(super) fn live_channel(
    id: u64,
    kind: ChannelKind,
    name: &str,
    parent: Option<u64>,
    position: i64,
) -> LiveChannel {
    LiveChannel {
        id: crate::model::ChannelId::new(id),
        name: name.into(),
        kind,
        parent_id: parent.map(crate::model::ChannelId::new),
        position,
        settings: ChannelSettings::defaults_for(kind),
        overwrites: vec![],
        tag_ids: vec![],
    }
}

pub(super) fn desired_channel(
    kind: ChannelKind,
    name: &str,
    parent: Option<&str>,
) -> DesiredChannel {
    DesiredChannel {
        name: name.into(),
        kind,
        id: None,
        previously: vec![],
        previously_at: vec![],
        parent: parent.map(Into::into),
        settings: ChannelSettings::defaults_for(kind),
        overwrites: if parent.is_some() {
            DesiredOverwrites::SyncWithParent
        } else {
            DesiredOverwrites::Explicit(vec![])
        },
        tags: vec![],
    }
}

pub(super) fn guild(roles: Vec<LiveRole>, channels: Vec<LiveChannel>) -> LiveGuild {
    LiveGuild {
        id: crate::model::GuildId::new(GUILD),
        name: "Test".into(),
        owner_id: UserId::new(1),
        everyone_permissions: perms(&["view_channel"]),
        roles,
        channels,
        bot: BotMember {
            user_id: UserId::new(2),
            role_ids: vec![],
        },
        settings: crate::model::LiveGuildSettings {
            name: "Test".into(),
            ..Default::default()
        },
        features: vec![],
        community: Default::default(),
        members: None,
        images: Default::default(),
    }
}

pub(super) fn desired(roles: Vec<DesiredRole>, channels: Vec<DesiredChannel>) -> DesiredGuild {
    DesiredGuild {
        everyone_permissions: None,
        roles,
        channels,
        prune: Prune::default(),
        settings: Default::default(),
        community: Default::default(),
        ..Default::default()
    }
}

pub(super) fn kinds(plan: &Plan) -> Vec<(ChangeKind, String)> {
    plan.changes
        .iter()
        .map(|change| (change.kind(), change.describe()))
        .collect()
}

fn everyone_deny(names: &[&str]) -> Overwrite<DesiredTarget> {
    Overwrite {
        target: DesiredTarget::Everyone,
        allow: Permissions::NONE,
        deny: perms(names),
    }
}

fn live_everyone_deny(names: &[&str]) -> Overwrite<LiveTarget> {
    Overwrite {
        target: LiveTarget::Role(RoleId::new(GUILD)),
        allow: Permissions::NONE,
        deny: perms(names),
    }
}

#[test]
fn an_empty_file_changes_nothing_and_lists_what_it_keeps() {
    let live = guild(
        vec![live_role(10, 1, "Mods")],
        vec![live_channel(20, ChannelKind::Text, "general", None, 0)],
    );
    let plan = run_diff(&desired(vec![], vec![]), &live).unwrap();
    assert!(plan.is_empty());
    assert_eq!(plan.kept.len(), 2);
}

#[test]
fn new_roles_in_file_order_at_the_bottom_need_no_reorder() {
    let live = guild(vec![live_role(10, 1, "A")], vec![]);
    let plan = run_diff(
        &desired(vec![desired_role("a", "A"), desired_role("b", "B")], vec![]),
        &live,
    )
    .unwrap();
    assert_eq!(
        kinds(&plan),
        [(ChangeKind::Create, "create role \"B\"".into())]
    );
}

#[test]
fn a_new_role_above_an_existing_one_is_created_then_reordered() {
    let live = guild(vec![live_role(10, 1, "A")], vec![]);
    let plan = run_diff(
        &desired(vec![desired_role("b", "B"), desired_role("a", "A")], vec![]),
        &live,
    )
    .unwrap();
    assert_eq!(
        kinds(&plan),
        [
            (ChangeKind::Create, "create role \"B\"".into()),
            (ChangeKind::Reorder, "reorder roles".into())
        ]
    );
    let Change::ReorderRoles { after, .. } = &plan.changes[1] else {
        panic!()
    };
    assert_eq!(
        after
            .iter()
            .map(|slot| slot.name.as_str())
            .collect::<Vec<_>>(),
        ["B", "A"]
    );
}

#[test]
fn reorder_only_roles_refill_managed_slots_and_leave_others_in_place() {
    let mut bot = live_role(9, 4, "Bot");
    bot.managed = true;
    let live = guild(
        vec![
            bot,
            live_role(10, 3, "A"),
            live_role(11, 2, "Other"),
            live_role(12, 1, "B"),
        ],
        vec![],
    );
    let plan = run_diff(
        &desired(vec![desired_role("b", "B"), desired_role("a", "A")], vec![]),
        &live,
    )
    .unwrap();
    let [Change::ReorderRoles { after, .. }] = plan.changes.as_slice() else {
        panic!("{plan:?}")
    };
    let names: Vec<&str> = after.iter().map(|slot| slot.name.as_str()).collect();
    assert_eq!(names, ["Bot", "B", "Other", "A"]);
}

#[test]
fn role_fields_are_compared_one_by_one() {
    let live = guild(vec![live_role(10, 1, "Mods")], vec![]);
    let mut role = desired_role("mods", "Mods");
    role.settings.color = 0xe67e22;
    role.settings.permissions = perms(&["kick_members"]);
    let plan = run_diff(&desired(vec![role], vec![]), &live).unwrap();
    let [Change::UpdateRole { before, after, .. }] = plan.changes.as_slice() else {
        panic!("{plan:?}")
    };
    assert_eq!(
        crate::plan::role_fields(before, after),
        [Field::Color, Field::Permissions]
    );
}

#[test]
fn previously_renames_instead_of_recreating() {
    let live = guild(vec![live_role(10, 1, "Mod")], vec![]);
    let mut role = desired_role("moderator", "🟠 Moderator");
    role.previously = vec!["Mod".into()];
    let plan = run_diff(&desired(vec![role], vec![]), &live).unwrap();
    assert_eq!(
        kinds(&plan),
        [(ChangeKind::Update, "update role \"🟠 Moderator\"".into())]
    );
}

#[test]
fn two_live_roles_with_the_name_are_an_error_naming_both() {
    let live = guild(
        vec![live_role(10, 2, "Mods"), live_role(11, 1, "Mods")],
        vec![],
    );
    let errors = run_diff(&desired(vec![desired_role("mods", "Mods")], vec![]), &live).unwrap_err();
    assert_eq!(errors.len(), 1);
    assert_eq!(
        errors[0].to_string(),
        "role `mods` (\"Mods\") matches 2 live roles: 10 and 11"
    );
}

#[test]
fn an_id_pin_wins_over_names_and_must_exist() {
    let live = guild(
        vec![live_role(10, 2, "Mods"), live_role(11, 1, "Mods")],
        vec![],
    );
    let mut role = desired_role("mods", "Mods");
    role.id = Some(RoleId::new(11));
    let plan = run_diff(&desired(vec![role.clone()], vec![]), &live).unwrap();
    assert!(plan.is_empty(), "{plan:?}");
    role.id = Some(RoleId::new(99));
    let errors = run_diff(&desired(vec![role], vec![]), &live).unwrap_err();
    assert!(matches!(
        errors[0],
        DiffError::PinnedRoleMissing { id: 99, .. }
    ));
}

#[test]
fn integration_roles_are_never_matched_kept_or_deleted() {
    let mut booster = live_role(10, 1, "Server Booster");
    booster.managed = true;
    let live = guild(vec![booster], vec![]);
    let mut file = desired(vec![], vec![]);
    file.prune.roles = true;
    let plan = run_diff(&file, &live).unwrap();
    assert!(plan.is_empty() && plan.kept.is_empty(), "{plan:?}");
}

#[test]
fn everyone_permissions_are_managed_only_when_declared() {
    let live = guild(vec![], vec![]);
    assert!(
        run_diff(&desired(vec![], vec![]), &live)
            .unwrap()
            .is_empty()
    );
    let mut file = desired(vec![], vec![]);
    file.everyone_permissions = Some(perms(&["view_channel", "send_messages"]));
    assert_eq!(
        kinds(&run_diff(&file, &live).unwrap()),
        [(ChangeKind::Update, "update @everyone".into())]
    );
}

#[test]
fn channels_in_a_new_category_are_created_in_order_without_a_reorder() {
    let live = guild(vec![], vec![]);
    let file = desired(
        vec![],
        vec![
            desired_channel(ChannelKind::Category, "INFO", None),
            desired_channel(ChannelKind::Text, "rules", Some("INFO")),
            desired_channel(ChannelKind::Text, "welcome", Some("INFO")),
            desired_channel(ChannelKind::Voice, "Lounge", Some("INFO")),
        ],
    );
    let plan = run_diff(&file, &live).unwrap();
    assert_eq!(
        kinds(&plan),
        [
            (ChangeKind::Create, "create category \"INFO\"".into()),
            (ChangeKind::Create, "create #rules".into()),
            (ChangeKind::Create, "create #welcome".into()),
            (ChangeKind::Create, "create voice channel \"Lounge\"".into()),
        ]
    );
    let Change::CreateChannel { channel, .. } = &plan.changes[1] else {
        panic!()
    };
    let parent = channel.parent.as_ref().unwrap();
    assert_eq!(
        parent.channel,
        ChannelRef::New {
            name: "INFO".into(),
            kind: ChannelKind::Category,
            category: None,
        }
    );
}

#[test]
fn moving_a_channel_between_categories_is_one_update() {
    let live = guild(
        vec![],
        vec![
            live_channel(1, ChannelKind::Category, "A", None, 0),
            live_channel(2, ChannelKind::Category, "B", None, 1),
            live_channel(3, ChannelKind::Text, "chat", Some(1), 0),
        ],
    );
    let file = desired(
        vec![],
        vec![
            desired_channel(ChannelKind::Category, "A", None),
            desired_channel(ChannelKind::Category, "B", None),
            desired_channel(ChannelKind::Text, "chat", Some("B")),
        ],
    );
    let plan = run_diff(&file, &live).unwrap();
    let [Change::UpdateChannel { before, after, .. }] = plan.changes.as_slice() else {
        panic!("{plan:?}")
    };
    assert_eq!(crate::plan::channel_fields(before, after), [Field::Parent]);
}

#[test]
fn overwrite_only_changes_and_set_comparison() {
    let mut chat = live_channel(3, ChannelKind::Text, "chat", None, 0);
    chat.overwrites = vec![live_everyone_deny(&["send_messages"])];
    let live = guild(vec![live_role(10, 1, "Mods")], vec![chat]);
    let mut wanted = desired_channel(ChannelKind::Text, "chat", None);
    let mods = Overwrite {
        target: DesiredTarget::Role("mods".into()),
        allow: perms(&["send_messages"]),
        deny: Permissions::NONE,
    };
    // Same set in another order: no change.
    wanted.overwrites = DesiredOverwrites::Explicit(vec![everyone_deny(&["send_messages"])]);
    let file = desired(vec![desired_role("mods", "Mods")], vec![wanted.clone()]);
    assert!(run_diff(&file, &live).unwrap().is_empty());
    // One more overwrite: only the overwrites field changes.
    wanted.overwrites = DesiredOverwrites::Explicit(vec![mods, everyone_deny(&["send_messages"])]);
    let file = desired(vec![desired_role("mods", "Mods")], vec![wanted]);
    let plan = run_diff(&file, &live).unwrap();
    let [Change::UpdateChannel { before, after, .. }] = plan.changes.as_slice() else {
        panic!("{plan:?}")
    };
    assert_eq!(
        crate::plan::channel_fields(before, after),
        [Field::Overwrites]
    );
    assert_eq!(
        after.overwrites[0].target,
        TargetRef::Role(RoleRef::Id(RoleId::new(10)))
    );
}

#[test]
fn overwrites_for_a_new_role_reference_it_by_key() {
    let live = guild(vec![], vec![]);
    let mut chat = desired_channel(ChannelKind::Text, "staff", None);
    chat.overwrites = DesiredOverwrites::Explicit(vec![Overwrite {
        target: DesiredTarget::Role("staff".into()),
        allow: perms(&["view_channel"]),
        deny: Permissions::NONE,
    }]);
    let plan = run_diff(
        &desired(vec![desired_role("staff", "Staff")], vec![chat]),
        &live,
    )
    .unwrap();
    let Change::CreateChannel { channel, .. } = &plan.changes[1] else {
        panic!("{plan:?}")
    };
    assert_eq!(
        channel.overwrites[0].target,
        TargetRef::Role(RoleRef::New("staff".into()))
    );
}

#[test]
fn synced_children_follow_their_category_without_their_own_update() {
    let mut category = live_channel(1, ChannelKind::Category, "STAFF", None, 0);
    category.overwrites = vec![live_everyone_deny(&["send_messages"])];
    let mut child = live_channel(2, ChannelKind::Text, "plans", Some(1), 0);
    child.overwrites = category.overwrites.clone();
    let live = guild(vec![], vec![category, child]);
    let mut wanted_category = desired_channel(ChannelKind::Category, "STAFF", None);
    wanted_category.overwrites =
        DesiredOverwrites::Explicit(vec![everyone_deny(&["view_channel"])]);
    let file = desired(
        vec![],
        vec![
            wanted_category,
            desired_channel(ChannelKind::Text, "plans", Some("STAFF")),
        ],
    );
    let plan = run_diff(&file, &live).unwrap();
    assert_eq!(
        kinds(&plan),
        [(ChangeKind::Update, "update category \"STAFF\"".into())]
    );
}

#[test]
fn a_child_leaving_sync_is_repinned_after_its_category_changes() {
    let mut category = live_channel(1, ChannelKind::Category, "STAFF", None, 0);
    category.overwrites = vec![live_everyone_deny(&["send_messages"])];
    let mut child = live_channel(2, ChannelKind::Text, "plans", Some(1), 0);
    child.overwrites = category.overwrites.clone();
    let live = guild(vec![], vec![category, child]);
    let mut wanted_category = desired_channel(ChannelKind::Category, "STAFF", None);
    wanted_category.overwrites =
        DesiredOverwrites::Explicit(vec![everyone_deny(&["view_channel"])]);
    // The child keeps the category's old overwrites explicitly: Discord would copy the new ones
    // onto it, so the plan must set them back.
    let mut wanted_child = desired_channel(ChannelKind::Text, "plans", Some("STAFF"));
    wanted_child.overwrites = DesiredOverwrites::Explicit(vec![everyone_deny(&["send_messages"])]);
    let plan = run_diff(&desired(vec![], vec![wanted_category, wanted_child]), &live).unwrap();
    assert_eq!(
        kinds(&plan),
        [
            (ChangeKind::Update, "update category \"STAFF\"".into()),
            (ChangeKind::Update, "update #plans".into())
        ]
    );
}

#[test]
fn reorder_only_channels_is_one_reorder_keeping_unmanaged_slots() {
    let live = guild(
        vec![],
        vec![
            live_channel(1, ChannelKind::Text, "b", None, 0),
            live_channel(2, ChannelKind::Text, "mine", None, 1),
            live_channel(3, ChannelKind::Text, "a", None, 2),
            live_channel(4, ChannelKind::Voice, "Lounge", None, 0),
        ],
    );
    let file = desired(
        vec![],
        vec![
            desired_channel(ChannelKind::Text, "a", None),
            desired_channel(ChannelKind::Text, "b", None),
            desired_channel(ChannelKind::Voice, "Lounge", None),
        ],
    );
    let plan = run_diff(&file, &live).unwrap();
    let [Change::ReorderChannels { after, bucket, .. }] = plan.changes.as_slice() else {
        panic!("{plan:?}")
    };
    assert_eq!(*bucket, SortBucket::TextLike);
    assert_eq!(
        after.iter().map(|s| s.name.as_str()).collect::<Vec<_>>(),
        ["a", "mine", "b"]
    );
}

#[test]
fn prune_deletes_unmanaged_channels_children_first_and_never_other_kinds() {
    let live = guild(
        vec![],
        vec![
            live_channel(1, ChannelKind::Category, "OLD", None, 0),
            live_channel(2, ChannelKind::Text, "old-chat", Some(1), 0),
            live_channel(3, ChannelKind::Other(15), "forum", None, 0),
        ],
    );
    let mut file = desired(vec![], vec![]);
    assert!(run_diff(&file, &live).unwrap().is_empty());
    file.prune.channels = true;
    let plan = run_diff(&file, &live).unwrap();
    assert_eq!(
        kinds(&plan),
        [
            (ChangeKind::Delete, "delete #old-chat".into()),
            (ChangeKind::Delete, "delete category \"OLD\"".into())
        ]
    );
    assert_eq!(plan.kept.len(), 1, "the forum is kept: {plan:?}");
}

#[test]
fn text_and_voice_channels_with_one_name_are_two_identities() {
    let live = guild(
        vec![],
        vec![live_channel(1, ChannelKind::Voice, "help", None, 0)],
    );
    let file = desired(
        vec![],
        vec![desired_channel(ChannelKind::Text, "help", None)],
    );
    let plan = run_diff(&file, &live).unwrap();
    assert_eq!(kinds(&plan), [(ChangeKind::Create, "create #help".into())]);
    assert_eq!(plan.kept.len(), 1);
}

#[test]
fn the_diff_is_deterministic() {
    let live = guild(
        vec![live_role(10, 2, "B"), live_role(11, 1, "A")],
        vec![
            live_channel(1, ChannelKind::Text, "z", None, 0),
            live_channel(2, ChannelKind::Text, "y", None, 1),
        ],
    );
    let file = desired(
        vec![
            desired_role("a", "A"),
            desired_role("b", "B"),
            desired_role("c", "C"),
        ],
        vec![
            desired_channel(ChannelKind::Text, "y", None),
            desired_channel(ChannelKind::Text, "x", None),
        ],
    );
    let first = run_diff(&file, &live).unwrap();
    for _ in 0..5 {
        assert_eq!(run_diff(&file, &live).unwrap(), first);
    }
}

#[test]
fn text_becomes_announcement_in_place() {
    let live = guild(
        vec![],
        vec![live_channel(1, ChannelKind::Text, "news", None, 0)],
    );
    let file = desired(
        vec![],
        vec![desired_channel(ChannelKind::Announcement, "news", None)],
    );
    let plan = run_diff(&file, &live).unwrap();
    let [Change::UpdateChannel { before, after, .. }] = plan.changes.as_slice() else {
        panic!("{plan:?}")
    };
    assert!(crate::plan::channel_fields(before, after).contains(&Field::Kind));
}

#[test]
fn voice_becoming_stage_is_a_replace_shown_as_delete_and_create() {
    let live = guild(
        vec![],
        vec![live_channel(1, ChannelKind::Voice, "Main Stage", None, 0)],
    );
    let file = desired(
        vec![],
        vec![desired_channel(ChannelKind::Stage, "Main Stage", None)],
    );
    let plan = run_diff(&file, &live).unwrap();
    assert_eq!(
        kinds(&plan),
        [
            (
                ChangeKind::Delete,
                "delete voice channel \"Main Stage\"".into()
            ),
            (
                ChangeKind::Create,
                "create stage channel \"Main Stage\"".into()
            ),
        ]
    );
    assert!(matches!(
        plan.changes[0],
        Change::DeleteChannel {
            reason: DeleteReason::Replaced {
                by: ChannelKind::Stage
            },
            ..
        }
    ));
    assert!(plan.kept.is_empty());
}

#[test]
fn forum_tags_keep_their_ids_through_renames_and_reorders() {
    use crate::model::{ForumSettings, ForumTag, TagIdentity};
    let tag = |name: &str| ForumTag {
        name: name.into(),
        emoji: None,
        moderated: false,
    };
    let mut forum = live_channel(1, ChannelKind::Forum, "help", None, 0);
    forum.settings.forum = Some(ForumSettings {
        tags: vec![tag("bug"), tag("fixed")],
        ..Default::default()
    });
    forum.tag_ids = vec![TagId::new(50), TagId::new(51)];
    let live = guild(vec![], vec![forum]);
    let mut wanted = desired_channel(ChannelKind::Forum, "help", None);
    wanted.settings.forum = Some(ForumSettings {
        tags: vec![tag("solved"), tag("bug"), tag("question")],
        ..Default::default()
    });
    wanted.tags = vec![
        TagIdentity {
            key: "solved".into(),
            previously: vec!["fixed".into()],
        },
        TagIdentity {
            key: "bug".into(),
            previously: vec![],
        },
        TagIdentity {
            key: "question".into(),
            previously: vec![],
        },
    ];
    let plan = run_diff(&desired(vec![], vec![wanted]), &live).unwrap();
    let [Change::UpdateChannel { after, .. }] = plan.changes.as_slice() else {
        panic!("{plan:?}")
    };
    assert_eq!(
        after.tag_ids,
        [Some(TagId::new(51)), Some(TagId::new(50)), None]
    );
}

#[test]
fn guild_settings_referencing_new_channels_apply_after_they_exist_and_before_stage_channels() {
    let live = guild(vec![], vec![]);
    let mut file = desired(
        vec![],
        vec![
            desired_channel(ChannelKind::Text, "rules", None),
            desired_channel(ChannelKind::Stage, "Town Hall", None),
        ],
    );
    file.settings.rules_channel = Some(Some(ChannelKey {
        name: "rules".into(),
        kind: ChannelKind::Text,
        category: None,
    }));
    file.settings.community = Some(true);
    let plan = run_diff(&file, &live).unwrap();
    assert_eq!(
        kinds(&plan),
        [
            (ChangeKind::Create, "create #rules".into()),
            (ChangeKind::Update, "update the guild \"Test\"".into()),
            (
                ChangeKind::Create,
                "create stage channel \"Town Hall\"".into()
            ),
        ]
    );
    let Change::UpdateGuild {
        after, features, ..
    } = &plan.changes[1]
    else {
        panic!()
    };
    assert_eq!(
        after.rules_channel.as_ref().unwrap().channel,
        ChannelRef::New {
            name: "rules".into(),
            kind: ChannelKind::Text,
            category: None,
        }
    );
    assert_eq!(features.as_deref(), Some(&["COMMUNITY".to_owned()][..]));
}

#[test]
fn role_icons_without_boosts_warn_instead_of_failing() {
    let live = guild(vec![live_role(10, 1, "Mods")], vec![]);
    let mut role = desired_role("mods", "Mods");
    role.settings.unicode_emoji = Some("🛡️".into());
    let plan = run_diff(&desired(vec![role.clone()], vec![]), &live).unwrap();
    assert!(plan.is_empty(), "{plan:?}");
    assert_eq!(plan.warnings.len(), 1);
    let mut boosted = guild(vec![live_role(10, 1, "Mods")], vec![]);
    boosted.features = vec!["ROLE_ICONS".into()];
    let plan = run_diff(&desired(vec![role], vec![]), &boosted).unwrap();
    assert_eq!(
        kinds(&plan),
        [(ChangeKind::Update, "update role \"Mods\"".into())]
    );
}

#[test]
fn ignored_objects_are_neither_matched_kept_pruned_nor_reordered() {
    let mut live = guild(
        vec![
            live_role(10, 3, "MEE6 Bot"),
            live_role(11, 2, "Mods"),
            live_role(12, 1, "Old"),
        ],
        vec![
            live_channel(1, ChannelKind::Text, "a", None, 0),
            live_channel(2, ChannelKind::Text, "tmp-notes", None, 1),
            live_channel(3, ChannelKind::Text, "b", None, 2),
            live_channel(4, ChannelKind::Text, "c", None, 3),
            live_channel(5, ChannelKind::Category, "ARCHIVE", None, 0),
            live_channel(6, ChannelKind::Text, "old-chat", Some(5), 0),
        ],
    );
    let mut file = desired(
        vec![desired_role("mods", "Mods")],
        vec![
            desired_channel(ChannelKind::Text, "c", None),
            desired_channel(ChannelKind::Text, "a", None),
            desired_channel(ChannelKind::Text, "b", None),
        ],
    );
    file.prune.roles = true;
    file.prune.channels = true;
    file.ignore = crate::model::Ignore {
        roles: vec!["MEE6*".into()],
        channels: vec!["tmp-*".into(), "ARCHIVE".into()],
    };
    let plan = run_diff(&file, &live).unwrap();
    assert_eq!(
        kinds(&plan),
        [
            (
                ChangeKind::Reorder,
                "reorder text channels outside categories".into()
            ),
            (ChangeKind::Delete, "delete role \"Old\"".into()),
        ],
        "{plan:#?}"
    );
    assert!(
        plan.kept.is_empty(),
        "ignored objects are not kept: {plan:?}"
    );
    let Change::ReorderChannels { after, .. } = &plan.changes[0] else {
        panic!()
    };
    assert_eq!(
        after.iter().map(|s| s.name.as_str()).collect::<Vec<_>>(),
        ["c", "a", "b"],
        "the ignored channel is not in the reorder"
    );
    // Apply the reorder as `apply` does (position = index in the list, only for the listed
    // channels) and the role deletion: the next plan is empty, and `tmp-notes` still sits
    // between managed channels.
    for (position, slot) in after.iter().enumerate() {
        let crate::plan::ChannelRef::Id(id) = &slot.reference else {
            panic!()
        };
        let channel = live.channels.iter_mut().find(|c| c.id == *id).unwrap();
        channel.position = position as i64;
    }
    live.roles.retain(|role| role.settings.name != "Old");
    assert!(run_diff(&file, &live).unwrap().is_empty());
    let order: Vec<&str> = live
        .sorted_children(None, SortBucket::TextLike)
        .iter()
        .map(|c| c.name.as_str())
        .collect();
    assert_eq!(order, ["c", "a", "tmp-notes", "b"]);
}

#[test]
fn glob_patterns_match_with_stars_only() {
    use crate::model::glob_matches;
    assert!(glob_matches("MEE6*", "MEE6"));
    assert!(glob_matches("MEE6*", "MEE6 Bot"));
    assert!(!glob_matches("MEE6*", "The MEE6"));
    assert!(glob_matches("*-old", "chat-old"));
    assert!(glob_matches("a*b*c", "a-b-c"));
    assert!(!glob_matches("a*b*c", "a-c-b"));
    assert!(!glob_matches("ab*ba", "aba"));
    assert!(glob_matches("🔒 archive", "🔒 archive"));
    assert!(!glob_matches("tmp-?", "tmp-1"));
}

#[test]
fn overwrites_for_a_bots_own_role_are_kept_when_a_channel_is_updated() {
    let mut bot = live_role(9, 2, "Some Bot");
    bot.managed = true;
    let mut chat = live_channel(3, ChannelKind::Text, "chat", None, 0);
    chat.overwrites = vec![Overwrite {
        target: LiveTarget::Role(RoleId::new(9)),
        allow: perms(&["view_channel", "send_messages"]),
        deny: Permissions::NONE,
    }];
    let live = guild(vec![bot], vec![chat]);
    let mut wanted = desired_channel(ChannelKind::Text, "chat", None);
    // Unchanged: no plan at all.
    assert!(
        run_diff(&desired(vec![], vec![wanted.clone()]), &live)
            .unwrap()
            .is_empty()
    );
    // A new @everyone overwrite: the bot's overwrite is sent along, not dropped.
    wanted.overwrites = DesiredOverwrites::Explicit(vec![everyone_deny(&["send_messages"])]);
    let plan = run_diff(&desired(vec![], vec![wanted]), &live).unwrap();
    let [Change::UpdateChannel { after, .. }] = plan.changes.as_slice() else {
        panic!("{plan:?}")
    };
    assert!(
        after
            .overwrites
            .iter()
            .any(|o| o.target == TargetRef::Role(RoleRef::Id(RoleId::new(9))))
    );
    assert_eq!(after.overwrites.len(), 2);
}
