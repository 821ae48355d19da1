//! Discord's permission rules, one test each, and a property test: the structured algorithm in
//! `access::compute` must agree with a straight transcription of the docs' pseudo-code
//! (`permissions.mdx`, "Permission Overwrites" and "Implicit Permissions") on random guilds.

use std::collections::HashMap;

use miyabi_guild::access::compute::{apply_implicit, base_permissions};
use miyabi_guild::access::{
    Access, Assertion, ChannelSelector, Member, Problem, Subject, Target, View, ViewChannel,
    ViewRole, changes, channel_permissions, check,
};
use miyabi_guild::model::{
    ChannelKind, ChannelSettings, DesiredChannel, DesiredGuild, DesiredOverwrites, DesiredRole,
    DesiredTarget, Overwrite, RoleSettings, UserId,
};
use miyabi_guild::permissions::Permissions;
use proptest::prelude::*;

fn perms(names: &[&str]) -> Permissions {
    names.iter().fold(Permissions::NONE, |acc, name| {
        acc.union(Permissions::from_name(name).expect("a known flag"))
    })
}

fn role(key: &str, names: &[&str]) -> ViewRole {
    ViewRole {
        key: key.to_owned(),
        name: key.to_owned(),
        permissions: perms(names),
        managed: false,
    }
}

fn overwrite(target: Target, allow: &[&str], deny: &[&str]) -> Overwrite<Target> {
    Overwrite {
        target,
        allow: perms(allow),
        deny: perms(deny),
    }
}

fn everyone_ow(allow: &[&str], deny: &[&str]) -> Overwrite<Target> {
    overwrite(Target::Everyone, allow, deny)
}

fn role_ow(key: &str, allow: &[&str], deny: &[&str]) -> Overwrite<Target> {
    overwrite(Target::Role(key.to_owned()), allow, deny)
}

fn channel(name: &str, kind: ChannelKind, overwrites: Vec<Overwrite<Target>>) -> ViewChannel {
    ViewChannel {
        key: name.to_owned(),
        name: name.to_owned(),
        kind,
        category: None,
        overwrites,
    }
}

fn text(overwrites: Vec<Overwrite<Target>>) -> ViewChannel {
    channel("general", ChannelKind::Text, overwrites)
}

fn view(everyone: &[&str], roles: Vec<ViewRole>, channels: Vec<ViewChannel>) -> View {
    View {
        everyone: perms(everyone),
        owner: None,
        roles,
        channels,
    }
}

fn member(roles: &[&str]) -> Member {
    Member {
        user: None,
        roles: roles.iter().map(|r| (*r).to_owned()).collect(),
    }
}

fn user(id: u64) -> UserId {
    UserId::new(id)
}

const CHAT: &[&str] = &["view_channel", "send_messages", "read_message_history"];

#[test]
fn administrator_bypasses_every_overwrite() {
    let guild = view(
        CHAT,
        vec![role("admin", &["administrator"])],
        vec![text(vec![
            everyone_ow(&[], &["view_channel", "send_messages"]),
            role_ow("admin", &[], &["view_channel"]),
        ])],
    );
    let permissions = channel_permissions(&guild, &member(&["admin"]), &guild.channels[0]);
    assert_eq!(permissions, Permissions::all());
}

#[test]
fn administrator_on_everyone_gives_everybody_everything() {
    let guild = view(
        &["administrator"],
        vec![],
        vec![text(vec![everyone_ow(&[], &["view_channel"])])],
    );
    let permissions = channel_permissions(&guild, &Member::everyone(), &guild.channels[0]);
    assert_eq!(permissions, Permissions::all());
}

#[test]
fn the_owner_gets_everything_whatever_the_overwrites() {
    let mut guild = view(
        &[],
        vec![],
        vec![text(vec![
            everyone_ow(&[], &["view_channel"]),
            overwrite(
                Target::Member(user(7)),
                &[],
                &["view_channel", "send_messages"],
            ),
        ])],
    );
    guild.owner = Some(user(7));
    let owner = Member {
        user: Some(user(7)),
        roles: vec![],
    };
    assert_eq!(base_permissions(&guild, &owner), Permissions::all());
    assert_eq!(
        channel_permissions(&guild, &owner, &guild.channels[0]),
        Permissions::all()
    );
    let someone_else = Member {
        user: Some(user(8)),
        roles: vec![],
    };
    assert_eq!(
        channel_permissions(&guild, &someone_else, &guild.channels[0]),
        Permissions::NONE
    );
}

#[test]
fn the_everyone_overwrite_is_applied_before_role_overwrites() {
    // @everyone's overwrite hides the channel, the role's shows it again: the role comes later.
    let guild = view(
        CHAT,
        vec![role("staff", &[])],
        vec![text(vec![
            everyone_ow(&["send_messages"], &["view_channel"]),
            role_ow("staff", &["view_channel"], &["send_messages"]),
        ])],
    );
    let channel = &guild.channels[0];
    let staff = channel_permissions(&guild, &member(&["staff"]), channel);
    assert!(staff.contains(Permissions::VIEW_CHANNEL));
    assert!(
        !staff.contains(Permissions::SEND_MESSAGES),
        "the role's deny comes last"
    );
    assert_eq!(
        channel_permissions(&guild, &Member::everyone(), channel),
        Permissions::NONE
    );
}

#[test]
fn a_role_allow_beats_another_roles_deny_whatever_their_positions() {
    // The docs' example: A denies VIEW_CHANNEL, B allows it; a member with both can view. The
    // order of the roles (A above B, or B above A) does not matter.
    for roles in [
        vec![role("a", &[]), role("b", &[])],
        vec![role("b", &[]), role("a", &[])],
    ] {
        let guild = view(
            CHAT,
            roles,
            vec![text(vec![
                role_ow("a", &[], &["view_channel"]),
                role_ow("b", &["view_channel"], &[]),
            ])],
        );
        let channel = &guild.channels[0];
        let both = channel_permissions(&guild, &member(&["a", "b"]), channel);
        assert!(both.contains(Permissions::VIEW_CHANNEL));
        let only_a = channel_permissions(&guild, &member(&["a"]), channel);
        assert_eq!(only_a, Permissions::NONE);
    }
}

#[test]
fn the_member_overwrite_is_applied_last() {
    let guild = view(
        CHAT,
        vec![role("muted", &[])],
        vec![text(vec![
            role_ow("muted", &[], &["send_messages"]),
            overwrite(Target::Member(user(5)), &["send_messages"], &[]),
            overwrite(Target::Member(user(6)), &[], &["view_channel"]),
        ])],
    );
    let channel = &guild.channels[0];
    let five = Member {
        user: Some(user(5)),
        roles: vec!["muted".to_owned()],
    };
    assert!(channel_permissions(&guild, &five, channel).contains(Permissions::SEND_MESSAGES));
    let six = Member {
        user: Some(user(6)),
        roles: vec![],
    };
    assert_eq!(
        channel_permissions(&guild, &six, channel),
        Permissions::NONE
    );
}

#[test]
fn without_view_channel_nothing_else_counts() {
    let guild = view(
        &[
            "send_messages",
            "attach_files",
            "manage_messages",
            "add_reactions",
        ],
        vec![],
        vec![text(vec![])],
    );
    let permissions = channel_permissions(&guild, &Member::everyone(), &guild.channels[0]);
    assert_eq!(permissions, Permissions::NONE);
    assert_eq!(
        Access::of(ChannelKind::Text, permissions),
        Access::default()
    );
}

#[test]
fn without_send_messages_attach_embed_tts_and_mention_everyone_do_not_count() {
    let guild = view(
        &[
            "view_channel",
            "send_messages",
            "attach_files",
            "embed_links",
            "send_tts_messages",
            "mention_everyone",
            "add_reactions",
        ],
        vec![],
        vec![text(vec![everyone_ow(&[], &["send_messages"])])],
    );
    let permissions = channel_permissions(&guild, &Member::everyone(), &guild.channels[0]);
    assert_eq!(permissions, perms(&["view_channel", "add_reactions"]));
}

#[test]
fn voice_without_connect_loses_voice_permissions_and_manage_channels() {
    let all_voice = [
        "view_channel",
        "speak",
        "stream",
        "use_vad",
        "mute_members",
        "manage_channels",
        "send_messages",
    ];
    let without_connect = apply_implicit(ChannelKind::Voice, perms(&all_voice));
    assert_eq!(without_connect, perms(&["view_channel", "send_messages"]));
    // A text channel has no such rule.
    let text_channel = apply_implicit(ChannelKind::Text, perms(&all_voice));
    assert_eq!(text_channel, perms(&all_voice));
    // With CONNECT nothing is taken.
    let mut with_connect = all_voice.to_vec();
    with_connect.push("connect");
    assert_eq!(
        apply_implicit(ChannelKind::Voice, perms(&with_connect)),
        perms(&with_connect)
    );
}

#[test]
fn voice_posting_is_connect_and_speak() {
    let connect_only = perms(&["view_channel", "connect"]);
    assert!(!Access::of(ChannelKind::Voice, connect_only).post);
    let both = perms(&["view_channel", "connect", "speak"]);
    assert!(Access::of(ChannelKind::Voice, both).post);
    assert!(!Access::of(ChannelKind::Text, both).post);
}

fn desired_channel(
    name: &str,
    kind: ChannelKind,
    parent: Option<&str>,
    overwrites: DesiredOverwrites,
) -> DesiredChannel {
    DesiredChannel {
        name: name.to_owned(),
        kind,
        id: None,
        previously: vec![],
        previously_at: vec![],
        parent: parent.map(str::to_owned),
        settings: ChannelSettings::defaults_for(kind),
        overwrites,
        tags: vec![],
    }
}

fn desired_role(key: &str, names: &[&str]) -> DesiredRole {
    let mut settings = RoleSettings::named(key);
    settings.permissions = perms(names);
    DesiredRole {
        key: key.to_owned(),
        id: None,
        previously: vec![],
        settings,
    }
}

fn staff_guild() -> DesiredGuild {
    let category_overwrites = vec![
        Overwrite {
            target: DesiredTarget::Everyone,
            allow: Permissions::NONE,
            deny: perms(&["view_channel"]),
        },
        Overwrite {
            target: DesiredTarget::Role("staff".into()),
            allow: perms(&["view_channel"]),
            deny: Permissions::NONE,
        },
    ];
    DesiredGuild {
        everyone_permissions: Some(perms(CHAT)),
        roles: vec![desired_role("staff", &["manage_messages"])],
        channels: vec![
            desired_channel(
                "STAFF",
                ChannelKind::Category,
                None,
                DesiredOverwrites::Explicit(category_overwrites),
            ),
            desired_channel(
                "staff-chat",
                ChannelKind::Text,
                Some("STAFF"),
                DesiredOverwrites::SyncWithParent,
            ),
            desired_channel(
                "staff-open-day",
                ChannelKind::Text,
                Some("STAFF"),
                DesiredOverwrites::Explicit(vec![]),
            ),
        ],
        ..DesiredGuild::default()
    }
}

#[test]
fn a_synced_channel_takes_its_categorys_overwrites() {
    let guild = View::from_desired(&staff_guild(), Permissions::NONE);
    let category = &guild.channels[0];
    let synced = &guild.channels[1];
    assert_eq!(synced.overwrites, category.overwrites);
    assert_eq!(synced.category.as_deref(), Some("STAFF"));
    assert!(
        !channel_permissions(&guild, &Member::everyone(), synced)
            .contains(Permissions::VIEW_CHANNEL)
    );
    // An explicit empty list is not synced: the channel is open.
    let open = &guild.channels[2];
    assert!(open.overwrites.is_empty());
    assert!(
        channel_permissions(&guild, &Member::everyone(), open).contains(Permissions::VIEW_CHANNEL)
    );
}

#[test]
fn unmanaged_everyone_permissions_come_from_the_caller() {
    let mut desired = staff_guild();
    desired.everyone_permissions = None;
    let guild = View::from_desired(&desired, perms(&["view_channel"]));
    assert_eq!(guild.everyone, perms(&["view_channel"]));
    let defaults = View::from_desired(
        &desired,
        miyabi_guild::access::default_everyone_permissions(),
    );
    assert!(defaults.everyone.contains(Permissions::SEND_MESSAGES));
}

#[test]
fn opening_a_staff_channel_to_everyone_widens_access() {
    let before = View::from_desired(&staff_guild(), Permissions::NONE);
    let mut opened = staff_guild();
    opened.channels[1].overwrites = DesiredOverwrites::Explicit(vec![]);
    let after = View::from_desired(&opened, Permissions::NONE);
    let found = changes(&before, &after);
    let texts: Vec<String> = found.iter().map(ToString::to_string).collect();
    assert_eq!(
        texts,
        ["#staff-chat becomes visible to @everyone, who can post"]
    );
    assert!(found[0].widens());
    let back = changes(&after, &before);
    assert_eq!(back.len(), 1);
    assert!(!back[0].widens());
    assert!(back[0].narrows());
    assert_eq!(
        back[0].to_string(),
        "#staff-chat is no longer visible to @everyone"
    );
}

#[test]
fn losing_posting_is_a_narrowing_named_after_the_role() {
    let before = view(
        &["view_channel"],
        vec![role("member", &["send_messages"])],
        vec![text(vec![])],
    );
    let mut after = before.clone();
    after.channels[0].overwrites = vec![role_ow("member", &[], &["send_messages"])];
    let found = changes(&before, &after);
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].to_string(), "member loses posting in #general");
    assert!(!found[0].widens());
}

#[test]
fn changes_that_only_follow_everyone_are_folded_into_everyones() {
    let before = view(
        &["view_channel", "send_messages"],
        vec![
            role("a", &[]),
            role("b", &[]),
            role("mod", &["manage_messages"]),
        ],
        vec![text(vec![])],
    );
    let mut after = before.clone();
    after.channels[0].overwrites = vec![everyone_ow(&[], &["view_channel"])];
    let texts: Vec<String> = changes(&before, &after)
        .iter()
        .map(ToString::to_string)
        .collect();
    assert_eq!(
        texts,
        [
            "#general is no longer visible to @everyone",
            "#general is no longer visible to mod",
        ]
    );
}

#[test]
fn assertions_name_the_channel_and_the_role_that_break_them() {
    let guild = View::from_desired(&staff_guild(), Permissions::NONE);
    let assertions = vec![
        Assertion::OnlyVisibleTo {
            channels: ChannelSelector::category("STAFF"),
            roles: vec!["staff".into()],
        },
        Assertion::NotVisibleTo {
            channels: ChannelSelector::channels(&["#staff-chat"]),
            roles: vec!["everyone".into()],
        },
    ];
    assert_eq!(check(&guild, &assertions[..1]).len(), 1);
    let failures = check(&guild, &assertions);
    let texts: Vec<String> = failures.iter().map(ToString::to_string).collect();
    assert_eq!(
        texts,
        ["@everyone can see #staff-open-day, which only the listed roles may see"]
    );
    assert_eq!(failures[0].assertion, 0);
    assert_eq!(failures[0].problem, Problem::VisibleToOther);
    assert_eq!(
        failures[0].role.as_ref().map(|r| r.subject()),
        Some(Subject::Everyone)
    );
}

#[test]
fn assertions_report_names_that_select_nothing() {
    let guild = View::from_desired(&staff_guild(), Permissions::NONE);
    let failures = check(
        &guild,
        &[Assertion::ReadOnlyExcept {
            channels: ChannelSelector {
                categories: vec!["NOPE".into()],
                channels: vec!["missing".into()],
            },
            roles: vec!["ghost".into()],
        }],
    );
    let problems: Vec<Problem> = failures.into_iter().map(|f| f.problem).collect();
    assert_eq!(
        problems,
        [
            Problem::UnknownCategory("NOPE".into()),
            Problem::UnknownChannel("missing".into()),
            Problem::UnknownRole("ghost".into()),
        ]
    );
}

#[test]
fn assertions_read_from_the_documented_toml_shape() {
    #[derive(serde::Deserialize)]
    struct File {
        assert: Vec<Assertion>,
    }
    let file: File = toml::from_str(
        r##"
        [[assert]]
        only_visible_to = ["team", "moderator"]
        categories = ["STAFF"]

        [[assert]]
        not_visible_to = ["new-member"]
        channels = ["#pricing"]

        [[assert]]
        read_only_except = ["team"]
        channels = ["announcements"]
        "##,
    )
    .expect("the documented shape parses");
    assert_eq!(
        file.assert,
        [
            Assertion::OnlyVisibleTo {
                channels: ChannelSelector::category("STAFF"),
                roles: vec!["team".into(), "moderator".into()],
            },
            Assertion::NotVisibleTo {
                channels: ChannelSelector::channels(&["#pricing"]),
                roles: vec!["new-member".into()],
            },
            Assertion::ReadOnlyExcept {
                channels: ChannelSelector::channels(&["announcements"]),
                roles: vec!["team".into()],
            },
        ]
    );
    let two_kinds = toml::from_str::<File>(
        "[[assert]]\nonly_visible_to = [\"a\"]\nnot_visible_to = [\"b\"]\nchannels = [\"x\"]\n",
    );
    assert!(two_kinds.is_err());
    let no_channels = toml::from_str::<File>("[[assert]]\nonly_visible_to = [\"a\"]\n");
    assert!(no_channels.is_err());
}

// ---------------------------------------------------------------------------------------------
// The reference: the docs' pseudo-code, transcribed with raw bits and maps keyed by snowflake.
// ---------------------------------------------------------------------------------------------

const GUILD_ID: u64 = 1;

fn bits(name: &str) -> u64 {
    Permissions::from_name(name).expect("known").bits()
}

struct RefGuild {
    owner: Option<u64>,
    /// role id → permissions; the @everyone role has the guild id.
    roles: HashMap<u64, u64>,
}

struct RefChannel {
    kind: ChannelKind,
    /// overwrite id → (allow, deny); role and member ids never collide here.
    overwrites: HashMap<u64, (u64, u64)>,
}

struct RefMember {
    user_id: u64,
    roles: Vec<u64>,
}

fn compute_base_permissions(member: &RefMember, guild: &RefGuild) -> u64 {
    let all = Permissions::all().bits();
    if guild.owner == Some(member.user_id) {
        return all;
    }
    let mut permissions = guild.roles[&GUILD_ID];
    for role in &member.roles {
        permissions |= guild.roles[role];
    }
    let administrator = bits("administrator");
    if permissions & administrator == administrator {
        return all;
    }
    permissions
}

fn compute_overwrites(base: u64, member: &RefMember, channel: &RefChannel) -> u64 {
    let administrator = bits("administrator");
    if base & administrator == administrator {
        return Permissions::all().bits();
    }
    let mut permissions = base;
    if let Some((allow, deny)) = channel.overwrites.get(&GUILD_ID) {
        permissions &= !deny;
        permissions |= allow;
    }
    let (mut allow, mut deny) = (0, 0);
    for role_id in &member.roles {
        if let Some((role_allow, role_deny)) = channel.overwrites.get(role_id) {
            allow |= role_allow;
            deny |= role_deny;
        }
    }
    permissions &= !deny;
    permissions |= allow;
    if let Some((allow, deny)) = channel.overwrites.get(&member.user_id) {
        permissions &= !deny;
        permissions |= allow;
    }
    permissions
}

/// "Implicit Permissions", read literally.
fn implicit(kind: ChannelKind, permissions: u64) -> u64 {
    if permissions & bits("view_channel") == 0 {
        return 0;
    }
    let mut permissions = permissions;
    if kind != ChannelKind::Category && permissions & bits("send_messages") == 0 {
        for name in [
            "mention_everyone",
            "send_tts_messages",
            "attach_files",
            "embed_links",
        ] {
            permissions &= !bits(name);
        }
    }
    if matches!(kind, ChannelKind::Voice | ChannelKind::Stage) && permissions & bits("connect") == 0
    {
        for name in [
            "speak",
            "stream",
            "use_vad",
            "priority_speaker",
            "mute_members",
            "deafen_members",
            "move_members",
            "request_to_speak",
            "use_embedded_activities",
            "use_soundboard",
            "use_external_sounds",
            "set_voice_channel_status",
            "manage_channels",
        ] {
            permissions &= !bits(name);
        }
    }
    permissions
}

fn compute_permissions(member: &RefMember, guild: &RefGuild, channel: &RefChannel) -> u64 {
    let base = compute_base_permissions(member, guild);
    implicit(channel.kind, compute_overwrites(base, member, channel))
}

// Random small guilds: up to 5 roles, 4 channels, 3 users. Role ids are 10.., users 100...

const ROLE_BASE: u64 = 10;
const USER_BASE: u64 = 100;

fn any_permissions() -> impl Strategy<Value = u64> {
    // Administrator is rare, so that overwrites matter in most cases.
    (any::<u64>(), 0..8u8).prop_map(|(raw, admin_dice)| {
        let known = Permissions::all().bits() & raw;
        if admin_dice == 0 {
            known
        } else {
            known & !bits("administrator")
        }
    })
}

fn any_kind() -> impl Strategy<Value = ChannelKind> {
    prop_oneof![
        Just(ChannelKind::Text),
        Just(ChannelKind::Voice),
        Just(ChannelKind::Category),
        Just(ChannelKind::Announcement),
        Just(ChannelKind::Stage),
        Just(ChannelKind::Forum),
    ]
}

/// A channel of a random case: its kind, and an optional (allow, deny) for @everyone, each
/// role and each user, in that order.
type CaseChannel = (ChannelKind, Vec<Option<(u64, u64)>>);

#[derive(Debug, Clone)]
struct Case {
    everyone: u64,
    roles: Vec<u64>,
    owner: Option<u64>,
    channels: Vec<CaseChannel>,
    /// Per member: user index and which roles it holds.
    members: Vec<(u64, Vec<bool>)>,
}

const USERS: usize = 3;

fn any_case() -> impl Strategy<Value = Case> {
    (0..=5usize).prop_flat_map(|role_count| {
        let targets = 1 + role_count + USERS;
        (
            any_permissions(),
            proptest::collection::vec(any_permissions(), role_count),
            proptest::option::of(0..USERS as u64),
            proptest::collection::vec(
                (
                    any_kind(),
                    proptest::collection::vec(
                        proptest::option::weighted(0.5, (any_permissions(), any_permissions())),
                        targets,
                    ),
                ),
                1..=4,
            ),
            proptest::collection::vec(
                (
                    0..USERS as u64,
                    proptest::collection::vec(any::<bool>(), role_count),
                ),
                1..=4,
            ),
        )
            .prop_map(|(everyone, roles, owner, channels, members)| Case {
                everyone,
                roles,
                owner,
                channels,
                members,
            })
    })
}

fn role_key(index: usize) -> String {
    format!("role-{index}")
}

impl Case {
    fn view(&self) -> View {
        View {
            everyone: Permissions::from_bits(self.everyone),
            owner: self.owner.map(|u| user(USER_BASE + u)),
            roles: self
                .roles
                .iter()
                .enumerate()
                .map(|(index, bits)| ViewRole {
                    key: role_key(index),
                    name: role_key(index),
                    permissions: Permissions::from_bits(*bits),
                    managed: false,
                })
                .collect(),
            channels: self
                .channels
                .iter()
                .enumerate()
                .map(|(index, (kind, overwrites))| ViewChannel {
                    key: format!("channel-{index}"),
                    name: format!("channel-{index}"),
                    kind: *kind,
                    category: None,
                    overwrites: overwrites
                        .iter()
                        .enumerate()
                        .filter_map(|(target, overwrite)| {
                            let (allow, deny) = (*overwrite)?;
                            let target = if target == 0 {
                                Target::Everyone
                            } else if target <= self.roles.len() {
                                Target::Role(role_key(target - 1))
                            } else {
                                Target::Member(user(
                                    USER_BASE + (target - 1 - self.roles.len()) as u64,
                                ))
                            };
                            Some(Overwrite {
                                target,
                                allow: Permissions::from_bits(allow),
                                deny: Permissions::from_bits(deny),
                            })
                        })
                        .collect(),
                })
                .collect(),
        }
    }

    fn reference(&self) -> (RefGuild, Vec<RefChannel>) {
        let mut roles: HashMap<u64, u64> = HashMap::new();
        roles.insert(GUILD_ID, self.everyone);
        for (index, bits) in self.roles.iter().enumerate() {
            roles.insert(ROLE_BASE + index as u64, *bits);
        }
        let channels = self
            .channels
            .iter()
            .map(|(kind, overwrites)| RefChannel {
                kind: *kind,
                overwrites: overwrites
                    .iter()
                    .enumerate()
                    .filter_map(|(target, overwrite)| {
                        let id = if target == 0 {
                            GUILD_ID
                        } else if target <= self.roles.len() {
                            ROLE_BASE + (target - 1) as u64
                        } else {
                            USER_BASE + (target - 1 - self.roles.len()) as u64
                        };
                        overwrite.map(|o| (id, o))
                    })
                    .collect(),
            })
            .collect();
        (
            RefGuild {
                owner: self.owner.map(|u| USER_BASE + u),
                roles,
            },
            channels,
        )
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn the_algorithm_agrees_with_the_docs_pseudo_code(case in any_case()) {
        let view = case.view();
        let (guild, channels) = case.reference();
        for (user_index, holds) in &case.members {
            let member = Member {
                user: Some(user(USER_BASE + user_index)),
                roles: holds
                    .iter()
                    .enumerate()
                    .filter(|(_, held)| **held)
                    .map(|(index, _)| role_key(index))
                    .collect(),
            };
            let reference_member = RefMember {
                user_id: USER_BASE + user_index,
                roles: holds
                    .iter()
                    .enumerate()
                    .filter(|(_, held)| **held)
                    .map(|(index, _)| ROLE_BASE + index as u64)
                    .collect(),
            };
            for (channel, reference_channel) in view.channels.iter().zip(&channels) {
                let ours = channel_permissions(&view, &member, channel).bits();
                let theirs = compute_permissions(&reference_member, &guild, reference_channel);
                prop_assert_eq!(ours, theirs, "member {:?} in {:?}", member, channel);
            }
        }
    }

    #[test]
    fn the_matrix_is_the_algorithm_for_one_role(case in any_case()) {
        let view = case.view();
        let matrix = view.matrix();
        for (column, subject) in matrix.subjects.iter().enumerate() {
            let member = View::member_for(&subject.subject());
            for (row, channel) in view.channels.iter().enumerate() {
                let permissions = channel_permissions(&view, &member, channel);
                prop_assert_eq!(matrix.cells[row][column].permissions, permissions);
                prop_assert_eq!(
                    matrix.cells[row][column].access,
                    Access::of(channel.kind, permissions)
                );
            }
        }
    }

    #[test]
    fn a_view_compared_with_itself_has_no_changes(case in any_case()) {
        let view = case.view();
        prop_assert!(changes(&view, &view).is_empty());
    }
}
