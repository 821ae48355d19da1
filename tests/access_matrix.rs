//! `miyabi-guild access`: the matrix of a small hand-written file in each format, one end-to-end
//! run on the sandbox, and the Miyabi file's intended access rules checked with `access::check`.

mod common;

use common::{repo, run, workspace};
use miyabi_guild::access::{
    self, Assertion, ChannelSelector, Member, View, changes, channel_permissions, check, render,
};
use miyabi_guild::config::{self, Source};
use miyabi_guild::discord::{ApiTarget, Discord};
use miyabi_guild::model::{DesiredGuild, LiveGuild};
use miyabi_guild::permissions::Permissions;
use miyabi_guild::render::Style;

const SMALL: &str = r##"
[everyone]
permissions = ["view_channel", "read_message_history", "add_reactions"]

[[roles]]
key = "owner"
name = "Owner"
permissions = ["administrator"]

[[roles]]
key = "moderator"
name = "Moderator"
permissions = ["manage_messages", "kick_members"]

[[roles]]
key = "member"
name = "Member"
permissions = ["send_messages", "connect", "speak"]

[[categories]]
name = "INFO"
overwrites = [
  { role = "everyone", deny = ["send_messages"] },
  { role = "moderator", allow = ["send_messages"] },
]

[[categories.channels]]
name = "announcements"

[[categories.channels]]
name = "introductions"
overwrites = [{ role = "everyone", allow = ["send_messages"] }]

[[categories]]
name = "CHAT"

[[categories.channels]]
name = "general"

[[categories.channels]]
name = "Lounge"
type = "voice"

[[categories]]
name = "STAFF"
overwrites = [
  { role = "everyone", deny = ["view_channel"] },
  { role = "moderator", allow = ["view_channel"] },
]

[[categories.channels]]
name = "mod-log"
"##;

fn parse(name: &str, text: &str) -> DesiredGuild {
    let source = Source::new(name, text);
    match config::parse(source) {
        Ok(loaded) => loaded.desired,
        Err((_, diagnostics)) => panic!("{name} is invalid: {diagnostics:?}"),
    }
}

fn small() -> View {
    View::from_desired(
        &parse("small.toml", SMALL),
        access::default_everyone_permissions(),
    )
}

fn rendered(write: impl FnOnce(&mut Vec<u8>) -> std::io::Result<()>) -> String {
    let mut out = Vec::new();
    write(&mut out).expect("rendering into a buffer");
    String::from_utf8(out).expect("UTF-8")
}

#[test]
fn matrix_of_a_small_file_as_text() {
    let matrix = small().matrix();
    insta::assert_snapshot!(rendered(|out| render::human(
        &matrix,
        "small.toml",
        Style::PLAIN,
        out
    )));
}

#[test]
fn matrix_of_a_small_file_as_markdown() {
    let matrix = small().matrix();
    insta::assert_snapshot!(rendered(|out| render::markdown(&matrix, "small.toml", out)));
}

#[test]
fn matrix_of_a_small_file_as_json() {
    let matrix = small().matrix();
    insta::assert_snapshot!(rendered(|out| render::json(&matrix, "desired", false, out)));
}

/// The small file against a "live" version of itself where the staff category was opened and
/// members lost posting in #general: every format of the comparison.
fn small_comparison() -> access::Comparison {
    let desired = small();
    let mut live = desired.clone();
    for channel in &mut live.channels {
        if channel.category.as_deref() == Some("STAFF") || channel.key == "STAFF" {
            channel.overwrites.clear();
        }
        if channel.key == "general" {
            channel.overwrites = vec![miyabi_guild::model::Overwrite {
                target: access::Target::Role("member".into()),
                allow: Permissions::NONE,
                deny: Permissions::SEND_MESSAGES,
            }];
        }
    }
    access::compare(&live, &desired)
}

#[test]
fn comparison_of_a_small_file_in_every_format() {
    let comparison = small_comparison();
    let text =
        rendered(|out| render::human_comparison(&comparison, "small.toml", Style::PLAIN, out));
    let markdown = rendered(|out| render::markdown_comparison(&comparison, "small.toml", out));
    let json = rendered(|out| render::json_comparison(&comparison, "desired", false, out));
    insta::assert_snapshot!(format!(
        "{text}\n===== markdown =====\n{markdown}\n===== json =====\n{json}"
    ));
}

#[tokio::test(flavor = "multi_thread")]
async fn access_on_the_sandbox_prints_the_files_matrix() {
    let dir = workspace(&repo().join("server.toml"));
    let output = run(dir.path(), None, &["access", "--sandbox"]).await;
    assert_eq!(output.code, 0, "{}", output.stderr);
    insta::assert_snapshot!("sandbox_access", output.snapshot());
}

#[tokio::test(flavor = "multi_thread")]
async fn access_compare_reads_the_sandbox_guild() {
    let dir = workspace(&repo().join("server.toml"));
    let output = run(
        dir.path(),
        None,
        &["access", "--sandbox", "--compare", "--json"],
    )
    .await;
    assert_eq!(output.code, 0, "{}", output.stderr);
    let document: serde_json::Value =
        serde_json::from_str(&output.stdout).expect("--json prints JSON");
    let roles = document["roles"].as_array().expect("roles");
    // The sandbox's bot role is live only; the file's roles line up with live ones by name.
    assert!(roles.iter().any(|r| r["presence"] == "live_only"));
    assert!(
        roles
            .iter()
            .any(|r| r["key"] == "moderator" && r["presence"] == "both"),
        "{roles:?}"
    );
    assert!(!document["changes"].as_array().expect("changes").is_empty());

    // After apply, the live guild has the file's access: nothing differs any more.
    let apply = run(dir.path(), None, &["apply", "--sandbox", "--auto-approve"]).await;
    assert_eq!(apply.code, 0, "{}", apply.stderr);
    let again = run(dir.path(), None, &["access", "--sandbox", "--compare"]).await;
    assert_eq!(again.code, 0, "{}", again.stderr);
    assert!(
        again
            .stdout
            .contains("Applying the file would not change who can view, post or manage."),
        "{}",
        again.stdout
    );
}

fn miyabi() -> DesiredGuild {
    let text = std::fs::read_to_string(repo().join("server.toml")).expect("server.toml");
    parse("server.toml", &text)
}

/// The rules the Miyabi file's comments promise.
fn miyabi_rules() -> Vec<Assertion> {
    let staff = || vec!["team".to_owned(), "moderator".to_owned()];
    vec![
        // "Staff and moderators only": the staff category and every channel in it.
        Assertion::OnlyVisibleTo {
            channels: ChannelSelector::category("🔐 PRIVATE STAFF AREAS"),
            roles: staff(),
        },
        // New members "cannot access enterprise channels".
        Assertion::NotVisibleTo {
            channels: ChannelSelector::category("🏢 ENTERPRISE & BUSINESS"),
            roles: vec!["new-member".to_owned()],
        },
        // The restricted enterprise channels: enterprise customers and staff.
        Assertion::OnlyVisibleTo {
            channels: ChannelSelector::channels(&[
                "enterprise-general",
                "pricing-licensing",
                "compliance-security",
            ]),
            roles: vec![
                "enterprise".to_owned(),
                "team".to_owned(),
                "moderator".to_owned(),
            ],
        },
        // Announcements and the rest of the welcome area: read-only except staff.
        Assertion::ReadOnlyExcept {
            channels: ChannelSelector::channels(&[
                "announcements",
                "community-updates",
                "rules",
                "getting-started",
                "events",
                "webinars",
            ]),
            roles: staff(),
        },
    ]
}

#[test]
fn the_miyabi_files_access_rules_hold() {
    let view = View::from_desired(&miyabi(), access::default_everyone_permissions());
    let failures = check(&view, &miyabi_rules());
    let texts: Vec<String> = failures.iter().map(ToString::to_string).collect();
    assert!(texts.is_empty(), "{texts:#?}");
}

#[test]
fn the_miyabi_rules_catch_a_staff_channel_left_open() {
    let mut desired = miyabi();
    let moderation = desired
        .channels
        .iter_mut()
        .find(|channel| channel.name == "moderation")
        .expect("#moderation");
    moderation.overwrites = miyabi_guild::model::DesiredOverwrites::Explicit(vec![]);
    let view = View::from_desired(&desired, access::default_everyone_permissions());
    let failures = check(&view, &miyabi_rules());
    assert!(!failures.is_empty());
    assert!(failures.iter().all(|f| {
        f.assertion == 0 && f.channel.as_ref().is_some_and(|c| c.name == "moderation")
    }));
    assert_eq!(
        failures[0].to_string(),
        "@everyone can see #moderation, which only the listed roles may see"
    );
    let before = View::from_desired(&miyabi(), access::default_everyone_permissions());
    let widened: Vec<String> = changes(&before, &view)
        .iter()
        .filter(|change| change.widens())
        .map(ToString::to_string)
        .collect();
    assert_eq!(
        widened.first().map(String::as_str),
        Some("#moderation becomes visible to @everyone")
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_live_guild_lines_up_with_the_file() {
    let _ = rustls::crypto::ring::default_provider().install_default();
    let emulator = common::start(common::sandbox_seed()).await;
    let state = emulator.state();
    let discord = Discord::new(
        state.token(),
        ApiTarget::Host {
            host: emulator.host(),
            use_http: true,
        },
    );
    let live: LiveGuild = miyabi_guild::live::fetch(
        &discord,
        state.guild_id(),
        &miyabi_guild::live::Scope::default(),
    )
    .await
    .expect("the sandbox guild reads");
    let desired = miyabi();
    let view = View::from_live(&live, Some(&desired));
    // Live roles the file describes carry the file's keys; the others an id key.
    assert!(view.role("moderator").is_some(), "{:?}", view.roles);
    assert!(view.role("member").is_some(), "{:?}", view.roles);
    assert!(view.roles.iter().any(|role| role.key.starts_with("id:")));
    // Channels the file describes keep their names as keys, with their live category.
    let general = view
        .channels
        .iter()
        .find(|channel| channel.key == "general-chat")
        .expect("#general-chat is live");
    assert_eq!(general.category.as_deref(), Some("💬 GENERAL COMMUNITY"));
    // The owner can do anything anywhere.
    let owner = Member {
        user: Some(live.owner_id),
        roles: vec![],
    };
    for channel in &view.channels {
        assert_eq!(
            channel_permissions(&view, &owner, channel),
            Permissions::all()
        );
    }
}
