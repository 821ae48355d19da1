//! Bots' and integrations' roles: overwrites name them (`role = "@carl-bot"`) without declaring
//! them; they are matched by name against managed roles only, never created or edited.

mod common;

use common::library::{Guild, described, desired};
use miyabi_guild::emulator::GuildState;
use miyabi_guild::model::{DesiredOverwrites, DesiredTarget};

/// An empty guild where `carl-bot` is already invited.
fn with_carl() -> GuildState {
    let mut state = GuildState::new_empty("Bots");
    common::add_bot(&mut state, "carl-bot", "8192");
    state.normalise();
    state
}

const FILE: &str = r#"
[[roles]]
key = "mod"
name = "Moderator"

[[categories]]
name = "Tickets"
overwrites = [
  { role = "everyone", deny = ["view_channel"] },
  { role = "@carl-bot", allow = ["view_channel", "send_messages", "manage_messages"] },
  { role = "mod", allow = ["view_channel"] },
]

[[categories.channels]]
name = "open-a-ticket"
"#;

#[test]
fn an_overwrite_names_a_bots_role_with_an_at() {
    let file = desired(FILE);
    let DesiredOverwrites::Explicit(overwrites) = &file.channels[0].overwrites else {
        panic!("explicit")
    };
    assert_eq!(
        overwrites[1].target,
        DesiredTarget::Managed("carl-bot".into())
    );
    assert!(
        file.roles
            .iter()
            .all(|role| role.settings.name != "carl-bot")
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_bots_role_gets_access_is_never_touched_and_imports_back() {
    let guild = Guild::start(with_carl()).await;
    let file = desired(FILE);
    let before = guild
        .emulator
        .state()
        .role_named("carl-bot")
        .cloned()
        .unwrap();
    guild.apply(&file).await;
    let plan = guild.plan(&file).await;
    assert!(plan.is_empty(), "{}", described(&plan));

    let state = guild.emulator.state();
    assert_eq!(
        state.roles.iter().filter(|r| r.name == "carl-bot").count(),
        1,
        "no second, plain role"
    );
    let after = state.role_named("carl-bot").unwrap();
    assert_eq!(
        (after.permissions, after.managed),
        (before.permissions, true),
        "never edited"
    );
    let tickets = state
        .channels()
        .into_iter()
        .find(|c| c.name == "open-a-ticket")
        .unwrap();
    assert!(
        tickets
            .permission_overwrites
            .iter()
            .any(|o| o.id.get() == before.id.get()),
        "the bot's role has its overwrite"
    );

    // Access: both sides know the bot's role by the name the file uses, with its live
    // permissions, so applying the file changes nobody's access.
    let live = guild.live(Some(&file)).await;
    let found = miyabi_guild::access::View::from_live(&live, Some(&file));
    let planned = miyabi_guild::access::View::from_desired_on(&file, &live);
    let bot = |view: &miyabi_guild::access::View| {
        view.role("@carl-bot")
            .map(|role| (role.permissions, role.managed))
    };
    assert_eq!(bot(&found), Some((before.permissions, true)));
    assert_eq!(bot(&found), bot(&planned));
    assert!(miyabi_guild::access::changes(&found, &planned).is_empty());

    let imported = guild.import().await;
    assert!(
        imported.contains("{ role = \"@carl-bot\", allow = ["),
        "{imported}"
    );
    let reimported = desired(&imported);
    let plan = guild.plan(&reimported).await;
    assert!(plan.is_empty(), "{}", described(&plan));
}

#[tokio::test(flavor = "multi_thread")]
async fn declaring_a_role_with_a_bots_role_name_is_a_plan_error_naming_both() {
    let guild = Guild::start(with_carl()).await;
    let file = desired("[[roles]]\nkey = \"carl\"\nname = \"carl-bot\"\n");
    let live = guild.live(Some(&file)).await;
    let errors = miyabi_guild::diff::plan(&file, &live, jiff::Timestamp::now())
        .expect_err("a bot's role cannot be declared");
    assert_eq!(errors.len(), 1);
    let message = errors[0].to_string();
    assert!(
        message.starts_with("role `carl` (\"carl-bot\") has the name of a role Discord manages"),
        "{message}"
    );
    assert!(
        errors[0]
            .hint()
            .contains("`{ role = \"@carl-bot\", allow = [...] }`")
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_bots_role_not_in_the_guild_names_the_bot_to_invite() {
    let guild = Guild::start(GuildState::new_empty("No bots")).await;
    let file = desired(FILE);
    let live = guild.live(Some(&file)).await;
    let errors = miyabi_guild::diff::plan(&file, &live, jiff::Timestamp::now())
        .expect_err("carl-bot is not invited");
    assert_eq!(
        errors[0].to_string(),
        "overwrites name the bot's role `@carl-bot`, but the guild has no role of that name managed by a bot or integration"
    );
    assert!(
        errors[0]
            .hint()
            .starts_with("invite the bot whose role is `carl-bot` first")
    );
    assert_eq!(guild.take_writes(), 0);
}

#[test]
fn a_bots_role_cannot_share_a_declared_roles_name() {
    let text = format!("[[roles]]\nkey = \"carl\"\nname = \"carl-bot\"\n{FILE}");
    let source = miyabi_guild::config::Source::new("server.toml", text);
    let (_, diagnostics) = miyabi_guild::config::parse(source).expect_err("invalid");
    let error = diagnostics.iter().find(|d| d.is_error()).unwrap();
    assert_eq!(
        error.message,
        "`@carl-bot` names a bot's role, but `[[roles]]` declares a role named `carl-bot`"
    );
}
