//! `server.toml` and every file in `examples/` are valid, and say what they mean to say.

use std::path::{Path, PathBuf};

use miyabi_guild::config::{self, Loaded};
use miyabi_guild::model::{ChannelKind, DesiredOverwrites, DesiredTarget};
use miyabi_guild::permissions::Permissions;

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// Loads a file, failing with the rendered diagnostics if it has errors.
fn load(path: &Path) -> Loaded {
    let source = config::read_source(path).expect("readable");
    match config::parse(source) {
        Ok(loaded) => loaded,
        Err((source, diagnostics)) => {
            let mut out = Vec::new();
            config::render_diagnostics(&diagnostics, &source, &mut out, false).expect("render");
            panic!(
                "{} is invalid:\n{}",
                path.display(),
                String::from_utf8_lossy(&out)
            );
        }
    }
}

fn examples() -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(root().join("examples"))
        .expect("examples/")
        .map(|entry| entry.expect("entry").path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "toml"))
        .collect();
    files.sort();
    files
}

#[test]
fn every_example_is_valid_without_warnings() {
    let files = examples();
    assert!(files.len() >= 2, "expected at least two examples");
    for path in files {
        let loaded = load(&path);
        let warnings: Vec<String> = loaded.warnings.iter().map(ToString::to_string).collect();
        assert!(
            warnings.is_empty(),
            "{} has warnings:\n{}",
            path.display(),
            warnings.join("\n")
        );
        assert!(
            !loaded.desired.channels.is_empty(),
            "{} describes no channels",
            path.display()
        );
    }
}

#[test]
fn server_toml_is_valid_without_warnings() {
    let loaded = load(&root().join("server.toml"));
    let warnings: Vec<String> = loaded.warnings.iter().map(ToString::to_string).collect();
    assert!(
        warnings.is_empty(),
        "server.toml has warnings:\n{}",
        warnings.join("\n")
    );
    assert!(
        loaded
            .source
            .text
            .starts_with("#:schema ./schemas/server.schema.json\n")
    );
}

#[test]
fn server_toml_describes_the_miyabi_community() {
    let desired = load(&root().join("server.toml")).desired;

    let roles: Vec<&str> = desired
        .roles
        .iter()
        .map(|role| role.settings.name.as_str())
        .collect();
    assert_eq!(
        roles,
        [
            "👑 Founder/Owner",
            "🔴 Admin",
            "🔮 Team Member",
            "🟠 Moderator",
            "🏢 Enterprise Customer",
            "💎 Professional User",
            "🟣 Core Contributor",
            "🔵 Contributor",
            "🟢 Active Member",
            "⚪ Member",
            "🟡 New Member",
        ]
    );
    assert!(desired.roles.iter().all(|role| role.settings.color != 0));

    let count = |kind: ChannelKind| {
        desired
            .channels
            .iter()
            .filter(|channel| channel.kind == kind)
            .count()
    };
    assert_eq!(count(ChannelKind::Category), 8);
    // The seed's 44 text channels (two of them announcement channels), and 4 it implies
    // (professional and contributor channels).
    assert_eq!(count(ChannelKind::Text), 46);
    assert_eq!(count(ChannelKind::Announcement), 2);
    // The seed's 8 voice rooms (the main stage a stage), and an AFK room.
    assert_eq!(count(ChannelKind::Voice), 8);
    assert_eq!(count(ChannelKind::Stage), 1);
    // The three knowledge-base forums, each with a moderated tag for solution marking or
    // featuring.
    assert_eq!(count(ChannelKind::Forum), 3);
    for channel in desired
        .channels
        .iter()
        .filter(|channel| channel.kind == ChannelKind::Forum)
    {
        let forum = channel.settings.forum.as_ref().expect("forum settings");
        assert!(forum.require_tag && forum.tags.iter().any(|tag| tag.moderated));
        assert_eq!(channel.tags.len(), forum.tags.len());
    }
    assert!(
        desired
            .channels
            .iter()
            .all(|channel| channel.kind == ChannelKind::Category || channel.parent.is_some())
    );

    let channel = |name: &str| {
        desired
            .channels
            .iter()
            .find(|channel| channel.name == name)
            .unwrap_or_else(|| panic!("no channel `{name}`"))
    };
    for name in ["welcome", "rules", "getting-started", "feedback-review"] {
        assert_eq!(channel(name).kind, ChannelKind::Text);
    }
    for name in ["announcements", "community-updates"] {
        assert_eq!(channel(name).kind, ChannelKind::Announcement);
    }
    assert_eq!(channel("🎤 Main Stage").kind, ChannelKind::Stage);

    // The server's own settings: a Community server with its preconditions.
    let settings = &desired.settings;
    assert_eq!(settings.name.as_deref(), Some("Miyabi"));
    assert_eq!(settings.community, Some(true));
    assert_eq!(channel_name(&settings.rules_channel), Some(Some("rules")));
    assert_eq!(
        channel_name(&settings.system_channel),
        Some(Some("welcome"))
    );
    assert_eq!(settings.default_notifications, Some(1));
    assert!(settings.afk_channel.is_some() && settings.afk_timeout.is_some());
    assert_eq!(
        channel("feedback-review").parent.as_deref(),
        Some("🔐 PRIVATE STAFF AREAS")
    );
    assert_eq!(
        channel("🔊 Study Hall").parent.as_deref(),
        Some("💬 GENERAL COMMUNITY")
    );
    assert_eq!(
        channel("🎤 Main Stage").parent.as_deref(),
        Some("🎓 LEARNING & EVENTS")
    );
    assert_eq!(
        channel("rules").overwrites,
        DesiredOverwrites::SyncWithParent
    );

    // Staff areas are closed to @everyone.
    let DesiredOverwrites::Explicit(staff) = &channel("🔐 PRIVATE STAFF AREAS").overwrites else {
        panic!("the staff category has explicit overwrites");
    };
    assert!(
        staff
            .iter()
            .any(|overwrite| overwrite.target == DesiredTarget::Everyone
                && overwrite.deny.contains(Permissions::VIEW_CHANNEL))
    );

    // @everyone cannot post; members can.
    let everyone = desired.everyone_permissions.expect("@everyone is managed");
    assert!(everyone.contains(Permissions::VIEW_CHANNEL));
    assert!(!everyone.contains(Permissions::SEND_MESSAGES));
    let member = desired
        .roles
        .iter()
        .find(|role| role.key == "member")
        .expect("member role");
    assert!(
        member
            .settings
            .permissions
            .contains(Permissions::SEND_MESSAGES)
    );
}

#[test]
fn the_large_example_has_every_kind_and_community() {
    let desired = load(&root().join("examples/large-education.toml")).desired;
    for kind in [
        ChannelKind::Category,
        ChannelKind::Text,
        ChannelKind::Voice,
        ChannelKind::Announcement,
        ChannelKind::Stage,
        ChannelKind::Forum,
    ] {
        assert!(
            desired.channels.iter().any(|channel| channel.kind == kind),
            "no {kind:?}"
        );
    }
    let categories = desired
        .channels
        .iter()
        .filter(|channel| channel.kind == ChannelKind::Category)
        .count();
    assert!(categories >= 15 && desired.channels.len() - categories >= 100);
    assert!(desired.roles.len() >= 20);
    assert_eq!(desired.settings.community, Some(true));
}

#[test]
fn server_toml_has_the_front_door_and_routines_of_the_seed() {
    use miyabi_guild::model::community::{
        AutoModAction, EventLocation, KeywordPreset, Recurrence, Trigger,
    };
    let desired = load(&root().join("server.toml")).desired;
    let community = &desired.community;

    let screen = community.welcome_screen.as_ref().expect("welcome screen");
    let shown: Vec<&str> = screen
        .channels
        .iter()
        .map(|c| c.channel.name.as_str())
        .collect();
    assert_eq!(
        shown,
        [
            "rules",
            "getting-started",
            "introductions",
            "help-general",
            "general-chat"
        ]
    );

    let onboarding = community.onboarding.as_ref().expect("onboarding");
    assert!(onboarding.default_channels.len() >= 7);
    let titles: Vec<&str> = onboarding
        .prompts
        .iter()
        .map(|p| p.title.as_str())
        .collect();
    assert_eq!(
        titles,
        [
            "What brings you to Miyabi?",
            "Your experience level",
            "Are you using Miyabi at work?"
        ]
    );
    // Onboarding is on: five of its default channels let @everyone post (Discord's rule).
    assert!(onboarding.enabled);
    assert!(onboarding.default_channels.len() >= 7);

    let rule = |name: &str| {
        community
            .automod
            .iter()
            .find(|rule| rule.name == name)
            .unwrap_or_else(|| panic!("no rule {name}"))
    };
    assert_eq!(rule("Spam").trigger, Trigger::Spam);
    assert!(matches!(
        &rule("Inappropriate language").trigger,
        Trigger::KeywordPreset { presets, .. }
            if presets.contains(&KeywordPreset::Profanity) && presets.contains(&KeywordPreset::Slurs)
    ));
    assert!(matches!(
        &rule("Malicious links").trigger,
        Trigger::Keyword { regex, .. } if !regex.is_empty()
    ));
    assert!(matches!(
        rule("Mention spam and raids").trigger,
        Trigger::MentionSpam {
            raid_protection: true,
            ..
        }
    ));
    for rule in &community.automod {
        assert!(
            rule.actions.iter().any(|action| matches!(
                action,
                AutoModAction::Alert { channel } if channel.name == "moderation"
            )),
            "{} does not alert #moderation",
            rule.name
        );
    }

    let event = |name: &str| {
        community
            .events
            .iter()
            .find(|event| event.name == name)
            .unwrap_or_else(|| panic!("no event {name}"))
    };
    let first: jiff::civil::DateTime = "2026-12-01T00:00".parse().unwrap();
    for (name, weekday, minutes) in [
        ("Community Standup", jiff::civil::Weekday::Monday, Some(30)),
        ("Office Hours", jiff::civil::Weekday::Tuesday, Some(60)),
        (
            "Workshop Wednesday",
            jiff::civil::Weekday::Wednesday,
            Some(90),
        ),
        ("Showcase Thursday", jiff::civil::Weekday::Thursday, None),
        ("Innovation Friday", jiff::civil::Weekday::Friday, None),
    ] {
        let schedule = &event(name).schedule;
        assert_eq!(schedule.recurrence, Some(Recurrence::Weekly), "{name}");
        assert_eq!(schedule.start.weekday(), weekday, "{name}");
        assert!(schedule.start >= first, "{name}");
        if let Some(minutes) = minutes {
            assert_eq!(schedule.duration_minutes, minutes, "{name}");
        }
    }
    assert!(matches!(
        &event("Community Standup").location,
        EventLocation::Stage(stage) if stage.name == "🎤 Main Stage"
    ));
    for (name, week) in [("Community Day", 1), ("Partner Showcase", 3)] {
        let schedule = &event(name).schedule;
        assert_eq!(
            schedule.recurrence,
            Some(Recurrence::MonthlyNthWeekday { week }),
            "{name}"
        );
        assert_eq!(
            schedule.start.weekday(),
            jiff::civil::Weekday::Saturday,
            "{name}"
        );
        assert!(schedule.start >= first, "{name}");
    }

    let hooks: Vec<(&str, &str)> = community
        .webhooks
        .iter()
        .map(|(hook, _)| (hook.name.as_str(), hook.channel.name.as_str()))
        .collect();
    assert_eq!(
        hooks,
        [
            ("GitHub Issues", "development-discussion"),
            ("GitHub Pull Requests", "code-review"),
            ("GitHub Releases", "announcements"),
        ]
    );
    for (hook, sources) in &community.webhooks {
        assert!(
            hook.avatar
                .as_deref()
                .is_some_and(|a| a.starts_with("data:image/png"))
        );
        assert_eq!(
            sources.github,
            [
                "miyabi-ai/core",
                "miyabi-ai/dashboard",
                "miyabi-ai/github-app"
            ]
        );
    }

    let posted: Vec<(&str, usize)> = community
        .messages
        .iter()
        .map(|m| (m.channel.name.as_str(), m.parts.len()))
        .collect();
    assert_eq!(posted[0].0, "rules");
    assert!(posted[0].1 >= 2, "the rules fit in one message");
    assert_eq!(posted[1].0, "getting-started");
}

#[test]
fn an_example_uses_the_community_features_differently() {
    use miyabi_guild::model::community::{AutoModAction, EventLocation, Trigger};
    let desired = load(&root().join("examples/small-open-source.toml")).desired;
    let community = &desired.community;
    assert!(community.welcome_screen.is_none() && community.onboarding.is_none());
    assert!(desired.prune.automod);
    assert!(community.automod.iter().any(|rule| {
        matches!(rule.trigger, Trigger::MemberProfile { .. })
            && rule
                .actions
                .contains(&AutoModAction::BlockMemberInteraction)
    }));
    assert!(
        community
            .events
            .iter()
            .any(|event| matches!(event.location, EventLocation::External(_)))
    );
    assert!(
        community
            .webhooks
            .iter()
            .all(|(_, sources)| sources.github.is_empty())
    );
    assert_eq!(community.messages.len(), 1);
}

/// The name of a `[guild]` channel setting.
fn channel_name(setting: &Option<Option<miyabi_guild::model::ChannelKey>>) -> Option<Option<&str>> {
    setting
        .as_ref()
        .map(|channel| channel.as_ref().map(|key| key.name.as_str()))
}
