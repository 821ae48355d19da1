//! `import`: a live guild rendered as server.toml parses cleanly and says what the guild is.

use miyabi_guild::config::{self, Source, import};
use miyabi_guild::model::{
    BotMember, ChannelKind, ChannelSettings, DesiredChannel, DesiredGuild, DesiredOverwrites,
    DesiredTarget, Emoji, ForumLayout, ForumSettings, ForumSortOrder, ForumTag, LiveChannel,
    LiveGuild, LiveGuildSettings, LiveRole, LiveTarget, Overwrite, RoleSettings, VideoQuality,
    normalise_overwrites,
};
use miyabi_guild::permissions::Permissions;
use twilight_model::id::Id;

const GUILD: u64 = 1000;

fn perms(names: &[&str]) -> Permissions {
    names.iter().fold(Permissions::NONE, |set, name| {
        set.union(Permissions::parse_name(name).expect("permission"))
    })
}

fn role(id: u64, position: i64, name: &str) -> LiveRole {
    LiveRole {
        id: Id::new(id),
        position,
        managed: false,
        settings: RoleSettings::named(name),
    }
}

fn channel(
    id: u64,
    kind: ChannelKind,
    name: &str,
    parent: Option<u64>,
    position: i64,
) -> LiveChannel {
    LiveChannel {
        id: Id::new(id),
        name: name.into(),
        kind,
        parent_id: parent.map(Id::new),
        position,
        settings: ChannelSettings::defaults_for(kind),
        overwrites: Vec::new(),
        tag_ids: Vec::new(),
    }
}

fn ow(target: LiveTarget, allow: &[&str], deny: &[&str]) -> Overwrite<LiveTarget> {
    Overwrite {
        target,
        allow: perms(allow),
        deny: perms(deny),
    }
}

fn everyone() -> LiveTarget {
    LiveTarget::Role(Id::new(GUILD))
}

fn r(id: u64) -> LiveTarget {
    LiveTarget::Role(Id::new(id))
}

fn guild(roles: Vec<LiveRole>, channels: Vec<LiveChannel>) -> LiveGuild {
    LiveGuild {
        id: Id::new(GUILD),
        name: "Test Guild".into(),
        owner_id: Id::new(1),
        everyone_permissions: perms(&["view_channel", "send_messages"]),
        roles,
        channels,
        bot: BotMember {
            user_id: Id::new(2),
            role_ids: vec![Id::new(10)],
        },
        settings: LiveGuildSettings {
            name: "Test Guild".into(),
            preferred_locale: "en-US".into(),
            afk_timeout: 300,
            ..Default::default()
        },
        features: Vec::new(),
        community: Default::default(),
        members: None,
        images: Default::default(),
    }
}

/// A guild with every feature the file can hold, and a few it cannot.
fn every_feature() -> LiveGuild {
    let mut bot = role(10, 9, "Helper Bot");
    bot.managed = true;
    let mut admin = role(11, 8, "👑 Admin");
    admin.settings.color = 0xffd700;
    admin.settings.hoist = true;
    admin.settings.permissions = perms(&["administrator"]);
    admin.settings.unicode_emoji = Some("🛡️".into());
    let mut moderator = role(12, 7, "🟠 Moderator");
    moderator.settings.color = 0x112233;
    moderator.settings.secondary_color = Some(0x445566);
    moderator.settings.mentionable = true;
    moderator.settings.permissions = perms(&[
        "kick_members",
        "ban_members",
        "manage_messages",
        "manage_threads",
        "moderate_members",
        "mute_members",
        "move_members",
        "view_audit_log",
    ]);
    let mut vip = role(13, 6, "VIP");
    vip.settings.color = 11127295;
    vip.settings.secondary_color = Some(16759788);
    vip.settings.tertiary_color = Some(16761760);
    let mut artist = role(14, 5, "Artist");
    artist.settings.icon = Some("a1b2c3d4".into());
    let member = role(15, 4, "Member");
    let twin_a = role(16, 3, "Twin");
    let twin_b = role(17, 2, "Twin");
    let padded = role(18, 1, " Padded ");

    let mut rules = channel(100, ChannelKind::Text, "rules", None, 0);
    rules.settings.topic = Some("Read \"this\" first\nthen chat".into());
    rules.overwrites = normalise_overwrites(vec![ow(everyone(), &[], &["send_messages"])]);
    let afk = channel(101, ChannelKind::Voice, "AFK", None, 0);

    let mut info = channel(200, ChannelKind::Category, "📢 Info", None, 0);
    info.overwrites = normalise_overwrites(vec![
        ow(everyone(), &[], &["send_messages"]),
        ow(r(12), &["send_messages"], &[]),
        ow(r(10), &["view_channel"], &[]),
    ]);
    let mut news = channel(201, ChannelKind::Announcement, "news", Some(200), 1);
    news.overwrites = info.overwrites.clone();
    news.settings.default_auto_archive = Some(10080);
    let mut updates = channel(202, ChannelKind::Text, "mod-updates", Some(200), 2);
    updates.settings.slowmode = 30;
    updates.settings.nsfw = true;
    updates.settings.default_thread_slowmode = 60;
    let mut open = channel(203, ChannelKind::Text, "open", Some(200), 3);
    open.overwrites = Vec::new();
    updates.overwrites = normalise_overwrites(vec![
        ow(everyone(), &[], &["view_channel"]),
        ow(r(12), &["view_channel"], &[]),
        ow(
            LiveTarget::Member(Id::new(555)),
            &["view_channel"],
            &["add_reactions"],
        ),
        ow(r(999), &["view_channel"], &[]),
    ]);
    let mut stage = channel(204, ChannelKind::Stage, "Town Hall", Some(200), 0);
    stage.settings.bitrate = Some(48000);
    stage.settings.user_limit = Some(300);
    stage.overwrites = info.overwrites.clone();
    let mut media = channel(205, ChannelKind::Other(16), "gallery", Some(200), 4);
    media.overwrites = info.overwrites.clone();
    let mut bad_name = channel(206, ChannelKind::Text, "Bad Name", Some(200), 5);
    bad_name.overwrites = info.overwrites.clone();

    let mut help = channel(300, ChannelKind::Category, "Help", None, 1);
    help.overwrites = Vec::new();
    let mut forum = channel(301, ChannelKind::Forum, "📚-faq", Some(300), 0);
    forum.settings.topic = Some("Search before posting.".into());
    forum.settings.slowmode = 10;
    forum.settings.forum = Some(ForumSettings {
        tags: vec![
            ForumTag {
                name: "✅ Solved".into(),
                emoji: Some(Emoji::Unicode("✅".into())),
                moderated: true,
            },
            ForumTag {
                name: "Bug".into(),
                emoji: Some(Emoji::Custom(Id::new(777))),
                moderated: false,
            },
            ForumTag {
                name: "bug!".into(),
                emoji: None,
                moderated: false,
            },
        ],
        default_reaction: Some(Emoji::Unicode("👍".into())),
        default_sort_order: Some(ForumSortOrder::CreationDate),
        default_layout: ForumLayout::Gallery,
        require_tag: true,
        hide_media_download_options: false,
    });
    forum.tag_ids = vec![Id::new(1), Id::new(2), Id::new(3)];
    let mut lounge = channel(302, ChannelKind::Voice, "Lounge", Some(300), 0);
    lounge.settings.bitrate = Some(96000);
    lounge.settings.user_limit = Some(5);
    lounge.settings.rtc_region = Some("japan".into());
    lounge.settings.video_quality = Some(VideoQuality::Full);
    let mut private = channel(303, ChannelKind::Text, "private", Some(300), 1);
    private.overwrites = normalise_overwrites(vec![
        ow(everyone(), &[], &["view_channel"]),
        ow(r(16), &["view_channel"], &[]),
    ]);
    let twin_chat = channel(304, ChannelKind::Text, "chat", Some(300), 2);
    let twin_chat2 = channel(305, ChannelKind::Text, "chat", Some(300), 3);
    let twin_chat_voice = channel(306, ChannelKind::Voice, "chat", Some(300), 1);

    let mut closed = channel(400, ChannelKind::Category, "Staff", None, 2);
    closed.overwrites = normalise_overwrites(vec![
        ow(everyone(), &[], &["view_channel"]),
        ow(r(12), &["view_channel"], &[]),
    ]);
    let mut unsynced = channel(401, ChannelKind::Text, "staff-open", Some(400), 0);
    unsynced.overwrites = Vec::new();
    let mut synced = channel(402, ChannelKind::Text, "staff-chat", Some(400), 1);
    synced.overwrites = closed.overwrites.clone();

    let mut live = guild(
        vec![
            bot, admin, moderator, vip, artist, member, twin_a, twin_b, padded,
        ],
        vec![
            rules,
            afk,
            info,
            news,
            updates,
            open,
            stage,
            media,
            bad_name,
            help,
            forum,
            lounge,
            private,
            twin_chat,
            twin_chat2,
            twin_chat_voice,
            closed,
            unsynced,
            synced,
        ],
    );
    live.settings = LiveGuildSettings {
        name: "Test Guild".into(),
        description: Some("A guild with \"everything\".".into()),
        verification_level: 2,
        explicit_content_filter: 2,
        default_notifications: 1,
        afk_channel: Some(Id::new(101)),
        afk_timeout: 900,
        system_channel: Some(Id::new(304)),
        system_channel_flags: 0b1001,
        rules_channel: Some(Id::new(100)),
        public_updates_channel: Some(Id::new(202)),
        safety_alerts_channel: Some(Id::new(201)),
        preferred_locale: "ja".into(),
        community: true,
        ..Default::default()
    };
    live.features = vec!["COMMUNITY".into(), "NEWS".into()];
    live
}

fn parse(text: &str) -> config::Loaded {
    let source = Source::new("imported.toml", text);
    match config::parse(source) {
        Ok(loaded) => loaded,
        Err((source, diagnostics)) => {
            let mut out = Vec::new();
            config::render_diagnostics(&diagnostics, &source, &mut out, false).expect("render");
            panic!(
                "the imported file is invalid:\n{}\n---\n{text}",
                String::from_utf8_lossy(&out)
            );
        }
    }
}

fn find<'d>(desired: &'d DesiredGuild, name: &str, kind: ChannelKind) -> &'d DesiredChannel {
    desired
        .channels
        .iter()
        .find(|channel| channel.name == name && channel.kind == kind)
        .unwrap_or_else(|| panic!("no {kind:?} `{name}`"))
}

#[test]
fn every_feature_imports_to_a_valid_file() {
    let live = every_feature();
    let text = import::render(&live);
    insta::assert_snapshot!(text);
    assert_eq!(text, import::render(&live), "deterministic");
    let loaded = parse(&text);
    assert!(loaded.warnings.is_empty(), "{:#?}", loaded.warnings);
    let desired = loaded.desired;

    // Roles: managed and unnamable ones are left out; the twin is pinned.
    let keys: Vec<&str> = desired.roles.iter().map(|role| role.key.as_str()).collect();
    assert_eq!(
        keys,
        ["admin", "moderator", "vip", "artist", "member", "twin"]
    );
    let live_settings = |id: u64| &live.role(Id::new(id)).unwrap().settings;
    for (index, id) in [11, 12, 13, 15, 16].into_iter().enumerate() {
        let index = if index >= 3 { index + 1 } else { index };
        assert_eq!(&desired.roles[index].settings, live_settings(id));
    }
    assert!(desired.roles[3].settings.icon.is_some(), "the icon is kept");
    assert_eq!(desired.roles[5].id, Some(Id::new(16)));
    assert_eq!(
        desired.everyone_permissions,
        Some(live.everyone_permissions)
    );

    // Channel settings equal the live ones.
    for channel in &live.channels {
        let Some(desired) = desired
            .channels
            .iter()
            .find(|d| d.name == channel.name && d.kind == channel.kind)
        else {
            continue;
        };
        assert_eq!(desired.settings, channel.settings, "{}", channel.name);
    }
    let forum = find(&desired, "📚-faq", ChannelKind::Forum);
    let keys: Vec<&str> = forum.tags.iter().map(|tag| tag.key.as_str()).collect();
    assert_eq!(keys, ["solved", "bug", "bug-2"]);

    // Overwrites: synced, explicit, or none.
    assert_eq!(
        find(&desired, "news", ChannelKind::Announcement).overwrites,
        DesiredOverwrites::SyncWithParent
    );
    assert_eq!(
        find(&desired, "open", ChannelKind::Text).overwrites,
        DesiredOverwrites::Explicit(vec![])
    );
    assert_eq!(
        find(&desired, "staff-open", ChannelKind::Text).overwrites,
        DesiredOverwrites::Explicit(vec![])
    );
    assert_eq!(
        find(&desired, "staff-chat", ChannelKind::Text).overwrites,
        DesiredOverwrites::SyncWithParent
    );
    let DesiredOverwrites::Explicit(updates) =
        &find(&desired, "mod-updates", ChannelKind::Text).overwrites
    else {
        panic!("explicit");
    };
    let targets: Vec<&DesiredTarget> = updates.iter().map(|o| &o.target).collect();
    assert_eq!(
        targets,
        [
            &DesiredTarget::Everyone,
            &DesiredTarget::Role("moderator".into()),
            &DesiredTarget::Member(Id::new(555)),
        ]
    );
    let chat = find(&desired, "chat", ChannelKind::Text);
    assert_eq!(chat.id, Some(Id::new(304)));
    assert!(
        !desired
            .channels
            .iter()
            .any(|c| c.name == "gallery" || c.name == "Bad Name"),
        "unmanaged kinds and unnamable channels are left out"
    );

    // The guild's settings.
    let settings = &desired.settings;
    assert_eq!(settings.name.as_deref(), Some("Test Guild"));
    assert_eq!(settings.verification_level, Some(2));
    assert_eq!(channel_name(&settings.afk_channel), Some(Some("AFK")));
    assert_eq!(settings.afk_timeout, Some(900));
    assert_eq!(
        channel_name(&settings.system_channel),
        Some(Some("chat")),
        "the written one of two `chat`s in one category"
    );
    assert_eq!(settings.system_channel_flags, Some(0b1001));
    assert_eq!(channel_name(&settings.rules_channel), Some(Some("rules")));
    assert_eq!(
        channel_name(&settings.public_updates_channel),
        Some(Some("mod-updates"))
    );
    assert_eq!(
        settings.safety_alerts_channel, None,
        "an announcement channel is left out"
    );
    assert_eq!(settings.preferred_locale.as_deref(), Some("ja"));
    assert_eq!(settings.community, Some(true));
}

#[test]
fn community_is_left_out_when_its_preconditions_cannot_be_written() {
    let mut live = guild(
        vec![],
        vec![channel(1, ChannelKind::Other(16), "x", None, 0)],
    );
    live.settings.community = true;
    live.settings.verification_level = 1;
    live.settings.explicit_content_filter = 2;
    live.settings.rules_channel = Some(Id::new(1));
    live.settings.public_updates_channel = Some(Id::new(1));
    let text = import::render(&live);
    let desired = parse(&text).desired;
    assert_eq!(desired.settings.community, None);
    assert!(text.contains("# community = true: left out"));
}

/// Hundreds of channels, overwrites everywhere.
fn large_guild() -> LiveGuild {
    let mut roles = Vec::new();
    for i in 0..60u64 {
        let mut role = role(100 + i, 100 - i as i64, &format!("Role {}", i % 50));
        role.settings.color = (i as u32) * 0x010101;
        role.settings.hoist = i % 3 == 0;
        role.settings.permissions = Permissions::from_bits(1 << (i % 40));
        roles.push(role);
    }
    let mut channels = Vec::new();
    let mut next = 10_000u64;
    for c in 0..40u64 {
        let category_id = next;
        next += 1;
        let mut category = channel(
            category_id,
            ChannelKind::Category,
            &format!("Category {c}"),
            None,
            c as i64,
        );
        category.overwrites = normalise_overwrites(vec![
            ow(everyone(), &[], &["view_channel"]),
            ow(r(100 + c), &["view_channel"], &[]),
        ]);
        for n in 0..11u64 {
            let kind = match n % 6 {
                0 => ChannelKind::Voice,
                1 => ChannelKind::Forum,
                2 => ChannelKind::Announcement,
                3 => ChannelKind::Stage,
                _ => ChannelKind::Text,
            };
            let name = if kind.is_voice_like() {
                format!("Room {c}-{n}")
            } else {
                format!("channel-{c}-{n}")
            };
            let mut child = channel(next, kind, &name, Some(category_id), (n as i64) % 4);
            next += 1;
            child.overwrites = match n % 3 {
                0 => category.overwrites.clone(),
                1 => Vec::new(),
                _ => normalise_overwrites(vec![
                    ow(everyone(), &["view_channel"], &[]),
                    ow(
                        r(100 + (n * 7 + c) % 60),
                        &["send_messages"],
                        &["add_reactions"],
                    ),
                    ow(
                        LiveTarget::Member(Id::new(5000 + n)),
                        &["view_channel"],
                        &[],
                    ),
                ]),
            };
            if kind == ChannelKind::Text {
                child.settings.topic = Some(format!("Topic of {name}"));
                child.settings.slowmode = (n as u32) * 5;
            }
            if kind == ChannelKind::Forum {
                let mut forum = ForumSettings::default();
                for t in 0..(n % 5 + 1) {
                    forum.tags.push(ForumTag {
                        name: format!("Tag {t}"),
                        emoji: None,
                        moderated: t == 0,
                    });
                }
                child.settings.forum = Some(forum);
            }
            channels.push(child);
        }
        channels.push(category);
    }
    guild(roles, channels)
}

#[test]
fn a_large_guild_imports_to_a_valid_file() {
    let live = large_guild();
    let text = import::render(&live);
    let loaded = parse(&text);
    let desired = loaded.desired;
    // A second role with the same name is left out; the first is pinned.
    assert_eq!(desired.roles.len(), 50);
    assert_eq!(desired.roles[0].key, "role-0");
    assert_eq!(desired.roles[0].id, Some(Id::new(100)));
    assert_eq!(desired.roles[10].id, None);
    assert!(text.contains("# Role \"Role 0\" (id 150) is left out"));
    assert_eq!(desired.channels.len(), live.channels.len());
    // Discord's order: categories by position, children text-like first by (position, id).
    assert_eq!(desired.channels[0].name, "Category 0");
    let first_children: Vec<&str> = desired.channels[1..12]
        .iter()
        .map(|channel| channel.name.as_str())
        .collect();
    assert_eq!(
        first_children,
        [
            "channel-0-4",
            "channel-0-8",
            "channel-0-1",
            "channel-0-5",
            "channel-0-2",
            "channel-0-10",
            "channel-0-7",
            "Room 0-0",
            "Room 0-9",
            "Room 0-6",
            "Room 0-3",
        ]
    );
    for live_channel in &live.channels {
        let desired = find(&desired, &live_channel.name, live_channel.kind);
        assert_eq!(
            desired.settings, live_channel.settings,
            "{}",
            live_channel.name
        );
    }
}

/// The community features of `every_feature`, with a few the file cannot state.
fn with_community(mut live: LiveGuild) -> LiveGuild {
    use miyabi_guild::model::community::*;
    let id = |n: u64| -> miyabi_guild::model::ChannelId { Id::new(n) };
    let ts = |text: &str| -> jiff::Timestamp { text.parse().expect("timestamp") };
    live.community = LiveCommunity {
        welcome_screen: Some(WelcomeScreen {
            enabled: true,
            description: Some("Welcome to the \"test\" guild".into()),
            channels: vec![
                WelcomeChannel {
                    channel: id(100),
                    description: "Read the rules".into(),
                    emoji: Some(Emoji::Unicode("📜".into())),
                },
                WelcomeChannel {
                    channel: id(201),
                    description: "News".into(),
                    emoji: Some(Emoji::Custom(Id::new(778))),
                },
            ],
        }),
        onboarding: Some(LiveOnboarding {
            onboarding: Onboarding {
                enabled: false,
                mode: OnboardingMode::Advanced,
                default_channels: vec![id(100), id(201), id(301)],
                prompts: vec![Prompt {
                    title: "What brings you here?".into(),
                    kind: PromptKind::Dropdown,
                    single_select: true,
                    required: true,
                    in_onboarding: false,
                    options: vec![
                        PromptOption {
                            title: "Art".into(),
                            description: Some("I draw".into()),
                            emoji: Some(Emoji::Unicode("🎨".into())),
                            roles: vec![Id::new(14)],
                            channels: vec![id(302)],
                        },
                        PromptOption {
                            title: "Lurking".into(),
                            description: None,
                            emoji: None,
                            roles: Vec::new(),
                            channels: Vec::new(),
                        },
                    ],
                }],
            },
            prompt_ids: vec![900],
            option_ids: vec![vec![901, 902]],
        }),
        automod: vec![
            LiveAutoModRule {
                id: 500,
                rule: AutoModRule {
                    name: "Links".into(),
                    trigger: Trigger::Keyword {
                        keywords: vec!["*bit.ly/*".into()],
                        regex: vec![r"https?://\S+\.(zip|mov)\b".into()],
                        allow: vec!["github.com".into()],
                    },
                    actions: vec![
                        AutoModAction::Block {
                            message: Some("No shorteners".into()),
                        },
                        AutoModAction::Alert { channel: id(202) },
                        AutoModAction::Timeout { seconds: 600 },
                    ],
                    enabled: true,
                    exempt_roles: vec![Id::new(12)],
                    exempt_channels: vec![id(400)],
                },
            },
            LiveAutoModRule {
                id: 501,
                rule: AutoModRule {
                    name: "Spam".into(),
                    trigger: Trigger::Spam,
                    actions: vec![AutoModAction::Block { message: None }],
                    enabled: false,
                    exempt_roles: Vec::new(),
                    exempt_channels: Vec::new(),
                },
            },
            LiveAutoModRule {
                id: 502,
                rule: AutoModRule {
                    name: "Language".into(),
                    trigger: Trigger::KeywordPreset {
                        presets: vec![KeywordPreset::Profanity, KeywordPreset::Slurs],
                        allow: vec!["scunthorpe".into()],
                    },
                    actions: vec![AutoModAction::Block { message: None }],
                    enabled: true,
                    exempt_roles: Vec::new(),
                    exempt_channels: Vec::new(),
                },
            },
            LiveAutoModRule {
                id: 503,
                rule: AutoModRule {
                    name: "Mentions".into(),
                    trigger: Trigger::MentionSpam {
                        limit: 5,
                        raid_protection: true,
                    },
                    actions: vec![AutoModAction::Block { message: None }],
                    enabled: true,
                    // The managed bot role has no key: the rule cannot be written.
                    exempt_roles: vec![Id::new(10)],
                    exempt_channels: Vec::new(),
                },
            },
            LiveAutoModRule {
                id: 504,
                rule: AutoModRule {
                    name: "Profiles".into(),
                    trigger: Trigger::MemberProfile {
                        keywords: vec!["free nitro".into()],
                        regex: Vec::new(),
                        allow: Vec::new(),
                    },
                    actions: vec![AutoModAction::BlockMemberInteraction],
                    enabled: true,
                    exempt_roles: Vec::new(),
                    // Two text channels are named `chat` in one category: the first is
                    // written (pinned), so a reference names it.
                    exempt_channels: vec![id(304)],
                },
            },
        ],
        events: vec![
            LiveEvent {
                id: 600,
                name: "Town hall".into(),
                description: Some("Monthly, first Saturday".into()),
                location: EventLocation::Stage(id(204)),
                start: ts("2026-12-05T12:00:00Z"),
                end: Some(ts("2026-12-05T14:00:00Z")),
                recurrence: Some(Recurrence::MonthlyNthWeekday { week: 1 }),
                status: 1,
            },
            LiveEvent {
                id: 601,
                name: "Lounge night".into(),
                description: None,
                location: EventLocation::Voice(id(302)),
                start: ts("2026-12-09T20:30:00Z"),
                end: Some(ts("2026-12-09T21:30:00Z")),
                recurrence: Some(Recurrence::Weekly),
                status: 1,
            },
            LiveEvent {
                id: 602,
                name: "Meetup".into(),
                description: None,
                location: EventLocation::External("Tokyo, Shibuya".into()),
                start: ts("2027-01-15T09:00:00Z"),
                end: Some(ts("2027-01-15T12:00:00Z")),
                recurrence: None,
                status: 1,
            },
            LiveEvent {
                id: 603,
                name: "Open end".into(),
                description: None,
                location: EventLocation::Voice(id(302)),
                start: ts("2027-01-16T09:00:00Z"),
                end: None,
                recurrence: None,
                status: 1,
            },
            LiveEvent {
                id: 604,
                name: "Old".into(),
                description: None,
                location: EventLocation::Voice(id(302)),
                start: ts("2026-01-16T09:00:00Z"),
                end: Some(ts("2026-01-16T10:00:00Z")),
                recurrence: None,
                status: 3,
            },
        ],
        webhooks: vec![
            LiveWebhook {
                id: 700,
                channel: id(201),
                name: "GitHub".into(),
                avatar: Some("0123abcd".into()),
            },
            LiveWebhook {
                id: 701,
                channel: id(100),
                name: "Feeds".into(),
                avatar: None,
            },
            LiveWebhook {
                id: 702,
                channel: id(304),
                name: "Twin feed".into(),
                avatar: None,
            },
        ],
        messages: Vec::new(),
        invites: Default::default(),
        unread: Vec::new(),
        threads: Vec::new(),
        emojis: Vec::new(),
        sounds: Vec::new(),
        stickers: Vec::new(),
    };
    live
}

#[test]
fn community_features_import_and_plan_without_changes() {
    let live = with_community(every_feature());
    let text = import::render(&live);
    insta::assert_snapshot!(text);
    let desired = parse(&text).desired;
    let community = &desired.community;
    let screen = community.welcome_screen.as_ref().expect("welcome screen");
    assert_eq!(screen.channels.len(), 2);
    let onboarding = community.onboarding.as_ref().expect("onboarding");
    assert_eq!(onboarding.prompts[0].options[0].roles, ["artist"]);
    let rules: Vec<&str> = community.automod.iter().map(|r| r.name.as_str()).collect();
    assert_eq!(rules, ["Links", "Spam", "Language", "Profiles"]);
    let events: Vec<&str> = community.events.iter().map(|e| e.name.as_str()).collect();
    assert_eq!(events, ["Town hall", "Lounge night", "Meetup"]);
    let webhooks: Vec<&str> = community
        .webhooks
        .iter()
        .map(|(w, _)| w.name.as_str())
        .collect();
    assert_eq!(webhooks, ["GitHub", "Feeds", "Twin feed"]);
    assert!(text.contains("# Not managed: the AutoMod rule \"Mentions\""));
    assert!(text.contains("# Not managed: the event \"Open end\""));

    let now: jiff::Timestamp = "2026-11-20T00:00:00Z".parse().unwrap();
    let plan = miyabi_guild::diff::plan(&desired, &live, now).expect("plan");
    let community_changes: Vec<String> = plan
        .changes
        .iter()
        .map(|change| format!("{change:?}"))
        .filter(|change| {
            [
                "UpdateWelcomeScreen",
                "UpdateOnboarding",
                "CreateAutoModRule",
                "UpdateAutoModRule",
                "DeleteAutoModRule",
                "CreateEvent",
                "UpdateEvent",
                "DeleteEvent",
                "CreateWebhook",
                "UpdateWebhook",
                "DeleteWebhook",
            ]
            .iter()
            .any(|name| change.starts_with(name))
        })
        .collect();
    assert!(community_changes.is_empty(), "{community_changes:#?}");
}

/// The name of a `[guild]` channel setting.
fn channel_name(setting: &Option<Option<miyabi_guild::model::ChannelKey>>) -> Option<Option<&str>> {
    setting
        .as_ref()
        .map(|channel| channel.as_ref().map(|key| key.name.as_str()))
}
