//! Where creates land: positions sent with the creates instead of a trailing reorder, and the
//! reorder kept where positions cannot do it.

use crate::diff::tests::{desired, desired_channel, guild, kinds, live_channel, run_diff};
use crate::model::ChannelKind;
use crate::plan::{Change, ChangeKind, Plan};

fn positions(plan: &Plan) -> Vec<(String, Option<i64>)> {
    plan.changes
        .iter()
        .filter_map(|change| match change {
            Change::CreateChannel { channel, position } => Some((channel.name.clone(), *position)),
            _ => None,
        })
        .collect()
}

#[test]
fn announcements_created_after_community_land_in_place_by_position() {
    let live = guild(vec![], vec![]);
    let mut file = desired(
        vec![],
        vec![
            desired_channel(ChannelKind::Category, "INFO", None),
            desired_channel(ChannelKind::Announcement, "news", Some("INFO")),
            desired_channel(ChannelKind::Text, "rules", Some("INFO")),
        ],
    );
    file.settings.community = Some(true);
    file.settings.rules_channel = Some(Some(crate::model::ChannelKey {
        name: "rules".into(),
        kind: ChannelKind::Text,
        category: Some("INFO".into()),
    }));
    file.settings.public_updates_channel = file.settings.rules_channel.clone();
    let plan = run_diff(&file, &live).unwrap();
    // #rules is created before the guild update (which names it), #news after (it needs
    // COMMUNITY), yet #news is first in the file: it is placed by its position, not reordered.
    assert!(
        !plan
            .changes
            .iter()
            .any(|change| matches!(change, Change::ReorderChannels { .. })),
        "{:#?}",
        kinds(&plan)
    );
    assert_eq!(
        positions(&plan),
        [
            ("INFO".into(), None),
            ("rules".into(), Some(2)),
            ("news".into(), Some(1)),
        ]
    );
}

#[test]
fn creates_after_live_channels_take_the_position_of_the_channel_before_them() {
    let live = guild(
        vec![],
        vec![
            live_channel(1, ChannelKind::Text, "a", None, 4),
            live_channel(2, ChannelKind::Text, "c", None, 9),
        ],
    );
    let file = desired(
        vec![],
        vec![
            desired_channel(ChannelKind::Text, "a", None),
            desired_channel(ChannelKind::Text, "b", None),
            desired_channel(ChannelKind::Text, "c", None),
            desired_channel(ChannelKind::Text, "d", None),
        ],
    );
    let plan = run_diff(&file, &live).unwrap();
    assert_eq!(
        kinds(&plan),
        [
            (ChangeKind::Create, "create #b".into()),
            (ChangeKind::Create, "create #d".into()),
        ]
    );
    // b sorts after a (same position, higher id) and before c; d after c likewise.
    assert_eq!(
        positions(&plan),
        [("b".into(), Some(4)), ("d".into(), Some(9))]
    );
}

#[test]
fn no_room_between_live_positions_keeps_the_reorder() {
    let live = guild(
        vec![],
        vec![
            live_channel(1, ChannelKind::Text, "a", None, 1),
            live_channel(2, ChannelKind::Text, "c", None, 1),
        ],
    );
    let file = desired(
        vec![],
        vec![
            desired_channel(ChannelKind::Text, "a", None),
            desired_channel(ChannelKind::Text, "b", None),
            desired_channel(ChannelKind::Text, "c", None),
        ],
    );
    let plan = run_diff(&file, &live).unwrap();
    assert_eq!(positions(&plan), [("b".into(), None)]);
    assert!(matches!(
        plan.changes.last(),
        Some(Change::ReorderChannels { .. })
    ));
}

#[test]
fn live_channels_out_of_order_keep_the_reorder_and_creates_send_no_position() {
    let live = guild(
        vec![],
        vec![
            live_channel(1, ChannelKind::Text, "b", None, 0),
            live_channel(2, ChannelKind::Text, "a", None, 1),
        ],
    );
    let file = desired(
        vec![],
        vec![
            desired_channel(ChannelKind::Text, "new", None),
            desired_channel(ChannelKind::Text, "a", None),
            desired_channel(ChannelKind::Text, "b", None),
        ],
    );
    let plan = run_diff(&file, &live).unwrap();
    assert_eq!(positions(&plan), [("new".into(), None)]);
    let Some(Change::ReorderChannels { after, .. }) = plan.changes.last() else {
        panic!("{:#?}", kinds(&plan))
    };
    assert_eq!(
        after.iter().map(|s| s.name.as_str()).collect::<Vec<_>>(),
        ["new", "a", "b"]
    );
}
