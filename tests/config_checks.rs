//! One test per check: each small file must produce exactly the problem it is about.

use miyabi_guild::config::{self, Diagnostic, Severity, Source};
use miyabi_guild::model::{ChannelKind, ChannelSettings, DesiredOverwrites, DesiredTarget};
use miyabi_guild::permissions::Permissions;

fn parse(text: &str) -> Result<config::Loaded, Vec<Diagnostic>> {
    let source = Source::new("server.toml", text);
    config::parse(source).map_err(|(_, diagnostics)| diagnostics)
}

/// The only diagnostic of `text`, which must be an error.
fn the_error(text: &str) -> Diagnostic {
    let diagnostics = parse(text).expect_err("expected an error");
    assert_eq!(
        diagnostics.len(),
        1,
        "expected one diagnostic, got: {diagnostics:#?}"
    );
    assert_eq!(diagnostics[0].severity, Severity::Error);
    diagnostics[0].clone()
}

fn the_warning(text: &str) -> Diagnostic {
    let loaded = parse(text).unwrap_or_else(|diagnostics| panic!("invalid: {diagnostics:#?}"));
    assert_eq!(loaded.warnings.len(), 1, "{:#?}", loaded.warnings);
    loaded.warnings[0].clone()
}

fn hint(diagnostic: &Diagnostic) -> &str {
    diagnostic.hint.as_deref().unwrap_or("")
}

fn role(key: &str, name: &str) -> String {
    format!("[[roles]]\nkey = \"{key}\"\nname = \"{name}\"\n")
}

fn category_with(channels: &str) -> String {
    format!("[[categories]]\nname = \"Cat\"\n{channels}")
}

// ---- structure ------------------------------------------------------------------------------

#[test]
fn unknown_keys_get_a_did_you_mean() {
    let error = the_error(&format!("{}colour = \"#ffffff\"\n", role("a", "A")));
    assert_eq!(error.message, "unknown key `colour` in a role");
    assert_eq!(hint(&error), "did you mean `color`?");
    assert_eq!((error.line, error.column), (4, 1));
}

#[test]
fn unknown_keys_far_from_any_list_the_valid_ones() {
    let error = the_error("[prune]\nzzz = true\n");
    assert_eq!(
        hint(&error),
        "`[prune]` keys are: `roles`, `channels`, `automod`, `events`, `webhooks`, `invites`, `threads`, `emojis`, `soundboard`, `stickers`"
    );
}

#[test]
fn wrong_types_point_at_the_value() {
    let error = the_error(&format!("{}hoist = \"true\"\n", role("a", "A")));
    assert_eq!(
        error.message,
        "`hoist` must be true or false, found a string"
    );
    assert_eq!((error.line, error.column), (4, 9));
    assert_eq!(hint(&error), "write `hoist = true` without quotes");
}

#[test]
fn a_single_table_where_a_list_is_expected_suggests_double_brackets() {
    let error = the_error("[roles]\nkey = \"a\"\nname = \"A\"\n");
    assert_eq!(
        hint(&error),
        "write `[[roles]]` (double brackets): there can be several"
    );
}

#[test]
fn missing_required_keys_point_at_the_table() {
    let error = the_error("[[roles]]\nkey = \"a\"\n");
    assert_eq!(error.message, "role is missing `name`");
    assert_eq!(error.span, 0..9);
}

#[test]
fn everyone_needs_permissions() {
    assert_eq!(
        the_error("[everyone]\n").message,
        "`[everyone]` is missing `permissions`"
    );
}

#[test]
fn every_bad_role_is_reported_not_just_the_first() {
    let text = "[[roles]]\nkey = \"A\"\nname = \"A\"\n[[roles]]\nkey = \"b\"\n[[roles]]\nkey = \"c\"\nname = \"C\"\nhoist = 1\n";
    let diagnostics = parse(text).expect_err("invalid");
    let lines: Vec<usize> = diagnostics.iter().map(|d| d.line).collect();
    assert_eq!(lines, [2, 4, 9]);
}

#[test]
fn unsupported_channel_types_say_so() {
    let error = the_error("[[channels]]\nname = \"faq\"\ntype = \"directory\"\n");
    assert_eq!(error.message, "channel type `directory` is not supported");
    let error = the_error("[[channels]]\nname = \"faq\"\ntype = \"voise\"\n");
    assert_eq!(hint(&error), "did you mean `voice`?");
    let error = the_error("[[channels]]\nname = \"faq\"\ntype = \"news\"\n");
    assert_eq!(
        hint(&error),
        "Discord's news channels are `announcement` channels"
    );
}

// ---- roles ----------------------------------------------------------------------------------

#[test]
fn role_keys_must_be_lowercase_slugs() {
    let error = the_error(&role("Core Contributor", "A"));
    assert_eq!(error.message, "invalid role key `Core Contributor`");
    assert_eq!(
        hint(&error),
        "keys use lowercase letters, digits, `-` and `_`: try `core-contributor`"
    );
}

#[test]
fn role_keys_are_unique() {
    let error = the_error(&format!("{}{}", role("a", "A"), role("a", "B")));
    assert_eq!(error.message, "duplicate role key `a`");
    assert_eq!(error.line, 5);
}

#[test]
fn everyone_is_not_a_role_key() {
    assert_eq!(
        the_error(&role("everyone", "E")).message,
        "the role key `everyone` is reserved for @everyone"
    );
}

#[test]
fn role_names_are_unique() {
    let error = the_error(&format!("{}{}", role("a", "Same"), role("b", "Same")));
    assert_eq!(error.message, "two roles are named `Same`");
}

#[test]
fn a_former_name_cannot_be_another_roles_name() {
    let text = format!("{}previously = [\"B\"]\n{}", role("a", "A"), role("b", "B"));
    assert_eq!(
        the_error(&text).message,
        "`B` is listed in `previously` but another role has that name"
    );
}

#[test]
fn a_former_name_belongs_to_one_role() {
    let text = format!(
        "{}previously = [\"Old\"]\n{}previously = [\"Old\"]\n",
        role("a", "A"),
        role("b", "B")
    );
    assert_eq!(
        the_error(&text).message,
        "two roles list `Old` in `previously`"
    );
}

#[test]
fn colours_are_hash_rrggbb() {
    let error = the_error(&format!("{}color = \"orange\"\n", role("a", "A")));
    assert_eq!(error.message, "invalid colour `orange`");
    let loaded = parse(&format!("{}color = \"#E67E22\"\n", role("a", "A"))).expect("valid");
    assert_eq!(loaded.desired.roles[0].settings.color, 0xe67e22);
}

#[test]
fn unknown_permissions_get_a_did_you_mean() {
    let error = the_error(&format!(
        "{}permissions = [\"send_mesages\"]\n",
        role("a", "A")
    ));
    assert_eq!(error.message, "unknown permission `send_mesages`");
    assert_eq!(hint(&error), "did you mean `send_messages`?");
    assert_eq!((error.line, error.column), (4, 16));
}

#[test]
fn permissions_from_other_tools_get_discords_name() {
    let error = the_error(&format!(
        "{}permissions = [\"manage_server\"]\n",
        role("a", "A")
    ));
    assert_eq!(hint(&error), "Discord calls it `manage_guild`");
}

#[test]
fn a_permission_listed_twice_is_a_warning() {
    let warning = the_warning(&format!(
        "{}permissions = [\"stream\", \"stream\"]\n",
        role("a", "A")
    ));
    assert_eq!(warning.message, "permission `stream` is listed twice");
}

#[test]
fn too_many_roles() {
    let text: String = (0..251)
        .map(|i| role(&format!("r{i}"), &format!("R{i}")))
        .collect();
    let error = the_error(&text);
    assert_eq!(
        error.message,
        "too many roles: 251 (Discord allows at most 250)"
    );
    assert_eq!(error.line, 250 * 3 + 1);
}

#[test]
fn names_are_one_to_one_hundred_characters() {
    assert_eq!(the_error(&role("a", "")).message, "role name is empty");
    let long = "x".repeat(101);
    assert_eq!(
        the_error(&role("a", &long)).message,
        "role name is 101 characters long (Discord allows at most 100)"
    );
    // Characters, not bytes.
    parse(&role("a", &"🟠".repeat(100))).expect("100 emoji are 100 characters");
    assert_eq!(
        the_error(&role("a", " A")).message,
        "role name starts or ends with spaces"
    );
}

// ---- ids ------------------------------------------------------------------------------------

#[test]
fn ids_are_decimal_snowflakes_in_quotes() {
    assert_eq!(
        the_error(&format!("{}id = \"abc\"\n", role("a", "A"))).message,
        "`abc` is not a Discord id"
    );
    assert_eq!(
        the_error(&format!("{}id = \"0\"\n", role("a", "A"))).message,
        "`0` is not a Discord id"
    );
    let error = the_error(&format!("{}id = 42\n", role("a", "A")));
    assert_eq!(hint(&error), "write ids in quotes: `id = \"42\"`");
}

#[test]
fn an_id_is_pinned_once_in_the_whole_file() {
    let text = format!(
        "{}id = \"123\"\n[[channels]]\nname = \"x\"\nid = \"123\"\n",
        role("a", "A")
    );
    assert_eq!(the_error(&text).message, "id `123` is pinned twice");
}

// ---- channels -------------------------------------------------------------------------------

#[test]
fn text_channel_names_must_be_stored_form() {
    let error = the_error("[[channels]]\nname = \"General Chat\"\n");
    assert_eq!(hint(&error), "write `\"general-chat\"`");
    parse("[[channels]]\nname = \"General Chat\"\ntype = \"voice\"\n")
        .expect("voice names are free-form");
}

#[test]
fn fields_must_apply_to_the_channel_kind() {
    let error = the_error("[[channels]]\nname = \"v\"\ntype = \"voice\"\ntopic = \"x\"\n");
    assert_eq!(error.message, "`topic` does not apply to voice channels");
    assert_eq!(
        the_error("[[channels]]\nname = \"t\"\nbitrate = 64000\n").message,
        "`bitrate` does not apply to text channels"
    );
    assert_eq!(
        the_error("[[channels]]\nname = \"t\"\nuser_limit = 5\n").message,
        "`user_limit` does not apply to text channels"
    );
}

#[test]
fn discord_limits_on_channel_settings() {
    let cases = [
        (
            "slowmode = 21601",
            "`slowmode` must be between 0 and 21600 seconds, found 21601",
        ),
        (
            "slowmode = -1",
            "`slowmode` must be between 0 and 21600 seconds, found -1",
        ),
    ];
    for (line, message) in cases {
        assert_eq!(
            the_error(&format!("[[channels]]\nname = \"t\"\n{line}\n")).message,
            message
        );
    }
    let voice = |line: &str| format!("[[channels]]\nname = \"v\"\ntype = \"voice\"\n{line}\n");
    assert_eq!(
        the_error(&voice("bitrate = 7999")).message,
        "`bitrate` must be between 8000 and 384000, found 7999"
    );
    assert_eq!(
        the_error(&voice("user_limit = 100")).message,
        "`user_limit` must be between 0 and 99, found 100"
    );
    let topic = format!("topic = \"{}\"", "x".repeat(1025));
    assert_eq!(
        the_error(&format!("[[channels]]\nname = \"t\"\n{topic}\n")).message,
        "topic is 1025 characters long (Discord allows at most 1024)"
    );
    let warning = the_warning(&voice("bitrate = 128000"));
    assert_eq!(warning.message, "bitrate 128000 needs a boosted server");
}

#[test]
fn channel_identity_is_name_and_kind_in_a_category() {
    let text = "[[categories]]\nname = \"C\"\n[[categories.channels]]\nname = \"chat\"\n[[categories.channels]]\nname = \"chat\"\n";
    assert_eq!(
        the_error(text).message,
        "two text channels are named `chat`"
    );
    let text = "[[channels]]\nname = \"chat\"\n[[categories]]\nname = \"C\"\n[[categories.channels]]\nname = \"chat\"\n";
    parse(text).expect("a name may repeat in another category");
    let text = "[[channels]]\nname = \"chat\"\n[[channels]]\nname = \"chat\"\ntype = \"voice\"\n";
    parse(text).expect("a text and a voice channel may share a name");
    let text =
        "[[channels]]\nname = \"chat\"\n[[channels]]\nname = \"chat\"\ntype = \"announcement\"\n";
    parse(text).expect("a text and an announcement channel may share a name");
}

#[test]
fn category_names_are_unique() {
    let text = "[[categories]]\nname = \"C\"\n[[categories]]\nname = \"C\"\n";
    assert_eq!(the_error(text).message, "two categories are named `C`");
}

#[test]
fn a_channels_former_name_cannot_be_another_channels_name() {
    let text = "[[channels]]\nname = \"a\"\nprevious = []\n";
    assert_eq!(hint(&the_error(text)), "did you mean `previously`?");
    let text = "[[channels]]\nname = \"a\"\npreviously = [\"b\"]\n[[channels]]\nname = \"b\"\n";
    assert_eq!(
        the_error(text).message,
        "`b` is listed in `previously` but another text channel has that name"
    );
}

#[test]
fn sync_true_and_overwrites_do_not_mix() {
    let text =
        category_with("[[categories.channels]]\nname = \"c\"\nsync = true\noverwrites = []\n");
    assert_eq!(
        the_error(&text).message,
        "`sync = true` cannot be combined with `overwrites`"
    );
}

#[test]
fn sync_is_only_for_channels_in_a_category() {
    let error = the_error("[[channels]]\nname = \"c\"\nsync = false\n");
    assert_eq!(
        error.message,
        "`sync` only applies to channels in a category"
    );
}

#[test]
fn too_many_channels_in_a_category() {
    let channels: String = (0..51)
        .map(|i| format!("[[categories.channels]]\nname = \"c{i}\"\n"))
        .collect();
    assert_eq!(
        the_error(&category_with(&channels)).message,
        "category `Cat` has 51 channels (Discord allows at most 50)"
    );
}

#[test]
fn too_many_categories_and_channels() {
    let categories: String = (0..51)
        .map(|i| format!("[[categories]]\nname = \"C{i}\"\n"))
        .collect();
    assert_eq!(
        the_error(&categories).message,
        "too many categories: 51 (Discord allows at most 50)"
    );

    let mut text = String::new();
    for category in 0..10 {
        text.push_str(&format!("[[categories]]\nname = \"C{category}\"\n"));
        for channel in 0..50 {
            text.push_str(&format!(
                "[[categories.channels]]\nname = \"c{category}-{channel}\"\n"
            ));
        }
    }
    assert_eq!(
        the_error(&text).message,
        "too many channels: 510 counting categories (Discord allows at most 500)"
    );
}

#[test]
fn voice_before_text_is_a_warning() {
    let text = category_with(
        "[[categories.channels]]\nname = \"Talk\"\ntype = \"voice\"\n[[categories.channels]]\nname = \"chat\"\n",
    );
    let warning = the_warning(&text);
    assert_eq!(
        warning.message,
        "text channel `chat` is listed after voice channel `Talk` in category `Cat`"
    );
}

// ---- overwrites -----------------------------------------------------------------------------

fn with_overwrites(roles: &str, overwrites: &str) -> String {
    format!("{roles}[[channels]]\nname = \"c\"\noverwrites = [\n{overwrites}\n]\n")
}

#[test]
fn overwrites_reference_role_keys() {
    let text = with_overwrites(
        &role("moderator", "🟠 Moderator"),
        "{ role = \"modrator\", allow = [\"view_channel\"] }",
    );
    let error = the_error(&text);
    assert_eq!(error.message, "unknown role `modrator`");
    assert_eq!(hint(&error), "did you mean `moderator`?");

    let text = with_overwrites(
        &role("moderator", "🟠 Moderator"),
        "{ role = \"🟠 Moderator\", allow = [\"view_channel\"] }",
    );
    assert_eq!(
        hint(&the_error(&text)),
        "roles are referenced by `key`, not name: write `role = \"moderator\"`"
    );

    let text = with_overwrites("", "{ role = \"@everyone\", allow = [\"view_channel\"] }");
    assert_eq!(hint(&the_error(&text)), "write `role = \"everyone\"`");
}

#[test]
fn an_overwrite_targets_a_role_or_a_member() {
    let text = with_overwrites(
        &role("a", "A"),
        "{ role = \"a\", member = \"1\", allow = [\"view_channel\"] }",
    );
    assert_eq!(
        the_error(&text).message,
        "an overwrite names both a `role` and a `member`"
    );
    let text = with_overwrites("", "{ allow = [\"view_channel\"] }");
    assert_eq!(
        the_error(&text).message,
        "an overwrite needs a `role` or a `member`"
    );
    let text = with_overwrites("", "{ member = \"x1\", allow = [\"view_channel\"] }");
    assert_eq!(the_error(&text).message, "`x1` is not a Discord id");
}

#[test]
fn the_same_target_twice_in_one_list() {
    let text = with_overwrites(
        "",
        "{ role = \"everyone\", deny = [\"send_messages\"] },\n{ role = \"everyone\", deny = [\"add_reactions\"] },",
    );
    let error = the_error(&text);
    assert_eq!(
        error.message,
        "a second overwrite for `everyone` in the same list"
    );
    assert_eq!(error.line, 5);
}

#[test]
fn a_permission_both_allowed_and_denied() {
    let text = with_overwrites(
        "",
        "{ role = \"everyone\", allow = [\"speak\"], deny = [\"speak\"] }",
    );
    assert_eq!(
        the_error(&text).message,
        "`speak` is both allowed and denied"
    );
}

#[test]
fn an_empty_overwrite_is_a_warning() {
    let text = with_overwrites("", "{ role = \"everyone\", allow = [] }");
    assert_eq!(
        the_warning(&text).message,
        "this overwrite allows and denies nothing"
    );
}

#[test]
fn too_many_overwrites_on_one_channel() {
    let members: String = (1..=101)
        .map(|id| format!("{{ member = \"{id}\", allow = [\"view_channel\"] }},\n"))
        .collect();
    assert_eq!(
        the_error(&with_overwrites("", &members)).message,
        "101 overwrites on one channel (Discord allows at most 100)"
    );
}

// ---- the model ------------------------------------------------------------------------------

#[test]
fn the_file_maps_to_the_model_in_file_order() {
    let text = r##"
[everyone]
permissions = ["view_channel"]

[prune]
channels = true

[[roles]]
key = "mod"
name = "Mod"
previously = ["Moderator"]
color = "#010203"
hoist = true
permissions = ["kick_members"]

[[roles]]
key = "member"
name = "Member"

[[channels]]
name = "lobby"

[[categories]]
name = "Voice"
overwrites = [{ role = "member", allow = ["connect"] }]

[[categories.channels]]
name = "chat"
topic = ""
slowmode = 5

[[categories.channels]]
name = "private"
sync = false

[[categories.channels]]
name = "mods"
overwrites = [{ role = "mod", allow = ["view_channel"] }, { member = "42", deny = ["view_channel"] }]

[[categories.channels]]
name = "Room"
type = "voice"
user_limit = 4
"##;
    let desired = parse(text).expect("valid").desired;
    assert_eq!(
        desired.everyone_permissions,
        Some(Permissions::VIEW_CHANNEL)
    );
    assert!(desired.prune.channels && !desired.prune.roles);
    assert_eq!(desired.roles.len(), 2);
    assert_eq!(desired.roles[0].key, "mod");
    assert_eq!(desired.roles[0].previously, ["Moderator"]);
    assert_eq!(desired.roles[0].settings.color, 0x010203);
    assert!(desired.roles[0].settings.hoist && !desired.roles[0].settings.mentionable);
    assert!(!desired.roles[1].settings.hoist);

    let names: Vec<(&str, ChannelKind, Option<&str>)> = desired
        .channels
        .iter()
        .map(|channel| {
            (
                channel.name.as_str(),
                channel.kind,
                channel.parent.as_deref(),
            )
        })
        .collect();
    assert_eq!(
        names,
        [
            ("lobby", ChannelKind::Text, None),
            ("Voice", ChannelKind::Category, None),
            ("chat", ChannelKind::Text, Some("Voice")),
            ("private", ChannelKind::Text, Some("Voice")),
            ("mods", ChannelKind::Text, Some("Voice")),
            ("Room", ChannelKind::Voice, Some("Voice")),
        ]
    );
    let channels = &desired.channels;
    assert_eq!(channels[0].overwrites, DesiredOverwrites::Explicit(vec![]));
    let DesiredOverwrites::Explicit(category) = &channels[1].overwrites else {
        panic!("categories have explicit overwrites");
    };
    assert_eq!(category[0].target, DesiredTarget::Role("member".into()));
    assert_eq!(channels[2].overwrites, DesiredOverwrites::SyncWithParent);
    assert_eq!(
        channels[2].settings.topic, None,
        "an empty topic is no topic"
    );
    assert_eq!(channels[2].settings.slowmode, 5);
    assert_eq!(channels[3].overwrites, DesiredOverwrites::Explicit(vec![]));
    let DesiredOverwrites::Explicit(mods) = &channels[4].overwrites else {
        panic!("explicit");
    };
    assert_eq!(
        mods[1].target,
        DesiredTarget::Member(twilight_model::id::Id::new(42))
    );
    assert_eq!(
        channels[5].settings,
        ChannelSettings {
            user_limit: Some(4),
            ..ChannelSettings::defaults_for(ChannelKind::Voice)
        }
    );
}

#[test]
fn load_reports_missing_files_and_invalid_ones() {
    let dir = tempfile::tempdir().expect("tempdir");
    let missing = dir.path().join("nope.toml");
    let error = config::load(&missing).expect_err("missing");
    assert!(matches!(error, config::LoadError::Io { .. }));
    assert!(error.to_string().starts_with("cannot read "));

    let invalid = dir.path().join("server.toml");
    std::fs::write(&invalid, "[[roles]]\nkey = \"a\"\n").expect("write");
    let error = config::load(&invalid).expect_err("invalid");
    let config::LoadError::Invalid(diagnostics) = &error else {
        panic!("expected Invalid");
    };
    assert_eq!(diagnostics.len(), 1);
    assert!(
        error
            .to_string()
            .contains("server.toml:1:1: error: role is missing `name`")
    );
}

#[test]
fn toml_integer_forms_are_read_as_numbers() {
    let text =
        "[[channels]]\nname = \"v\"\ntype = \"voice\"\nbitrate = 64_000\nuser_limit = 0x0a\n";
    let desired = parse(text).expect("valid").desired;
    assert_eq!(desired.channels[0].settings.bitrate, Some(64_000));
    assert_eq!(desired.channels[0].settings.user_limit, Some(10));
    let error = the_error("[[channels]]\nname = \"t\"\nslowmode = 99999999999999999999\n");
    assert_eq!(error.line, 3);
}

// ---- the newer channel kinds, the guild, role looks ---------------------------------------

fn community_guild(extra: &str) -> String {
    format!(
        "[guild]\nverification_level = \"low\"\nexplicit_content_filter = \"all_members\"\nrules_channel = \"rules\"\npublic_updates_channel = \"mods\"\ncommunity = true\n{extra}\n[[channels]]\nname = \"rules\"\n[[channels]]\nname = \"mods\"\n"
    )
}

#[test]
fn every_kind_maps_to_its_settings() {
    use miyabi_guild::model::{
        Emoji, ForumLayout, ForumSettings, ForumSortOrder, ForumTag, TagIdentity, VideoQuality,
    };
    let text = community_guild(
        r#"
[[channels]]
name = "news"
type = "announcement"
topic = "Releases"
default_auto_archive = 10080
default_thread_slowmode = 30

[[channels]]
name = "help"
type = "forum"
topic = "Guidelines"
slowmode = 5
default_reaction = "<:thumbs:123456789012345678>"
default_sort_order = "creation_date"
default_layout = "gallery"
require_tag = true
tags = [
  { key = "solved", name = "Solved", emoji = "✅", moderated = true, previously = ["Fixed"] },
  { key = "bug", name = "Bug", emoji = "<a:bug:42>" },
  { key = "question", name = "Question" },
]

[[channels]]
name = "Lounge"
type = "voice"
rtc_region = "japan"
video_quality = "full"
user_limit = 0

[[channels]]
name = "Stage"
type = "stage"
bitrate = 64000
user_limit = 500
rtc_region = "automatic"
video_quality = "auto"
"#,
    );
    let desired = parse(&text).expect("valid").desired;
    let channel = |name: &str| {
        desired
            .channels
            .iter()
            .find(|channel| channel.name == name)
            .unwrap()
    };
    let news = channel("news");
    assert_eq!(news.kind, ChannelKind::Announcement);
    assert_eq!(
        news.settings,
        ChannelSettings {
            topic: Some("Releases".into()),
            default_auto_archive: Some(10080),
            default_thread_slowmode: 30,
            ..ChannelSettings::defaults_for(ChannelKind::Announcement)
        }
    );
    let help = channel("help");
    assert_eq!(help.kind, ChannelKind::Forum);
    assert_eq!(
        help.settings.forum,
        Some(ForumSettings {
            tags: vec![
                ForumTag {
                    name: "Solved".into(),
                    emoji: Some(Emoji::Unicode("✅".into())),
                    moderated: true,
                },
                ForumTag {
                    name: "Bug".into(),
                    emoji: Some(Emoji::Custom(twilight_model::id::Id::new(42))),
                    moderated: false,
                },
                ForumTag {
                    name: "Question".into(),
                    emoji: None,
                    moderated: false,
                },
            ],
            default_reaction: Some(Emoji::Custom(twilight_model::id::Id::new(
                123_456_789_012_345_678
            ))),
            default_sort_order: Some(ForumSortOrder::CreationDate),
            default_layout: ForumLayout::Gallery,
            require_tag: true,
            hide_media_download_options: false,
        })
    );
    assert_eq!(help.settings.topic.as_deref(), Some("Guidelines"));
    assert_eq!(help.settings.slowmode, 5);
    assert_eq!(
        help.tags,
        [
            TagIdentity {
                key: "solved".into(),
                previously: vec!["Fixed".into()],
            },
            TagIdentity {
                key: "bug".into(),
                previously: vec![],
            },
            TagIdentity {
                key: "question".into(),
                previously: vec![],
            },
        ]
    );
    let lounge = channel("Lounge");
    assert_eq!(lounge.settings.rtc_region.as_deref(), Some("japan"));
    assert_eq!(lounge.settings.video_quality, Some(VideoQuality::Full));
    assert_eq!(lounge.settings.user_limit, Some(0));
    assert_eq!(
        channel("Stage").settings,
        ChannelSettings {
            user_limit: Some(500),
            ..ChannelSettings::defaults_for(ChannelKind::Stage)
        }
    );
}

#[test]
fn forum_topics_may_be_longer() {
    let topic = "x".repeat(4000);
    parse(&format!(
        "[[channels]]\nname = \"f\"\ntype = \"forum\"\ntopic = \"{topic}\"\n"
    ))
    .expect("a forum topic may be 4096 characters");
    let error = the_error(&format!(
        "[[channels]]\nname = \"t\"\ntopic = \"{topic}\"\n"
    ));
    assert_eq!(
        hint(&error),
        "only forum and media channels allow up to 4096"
    );
    let topic = "x".repeat(4097);
    let error = the_error(&format!(
        "[[channels]]\nname = \"f\"\ntype = \"forum\"\ntopic = \"{topic}\"\n"
    ));
    assert_eq!(
        error.message,
        "topic is 4097 characters long (Discord allows at most 4096)"
    );
}

#[test]
fn text_like_names_are_normalised_for_every_text_like_kind() {
    for kind in ["announcement", "forum"] {
        let diagnostics = parse(&format!(
            "[[channels]]\nname = \"Help Me\"\ntype = \"{kind}\"\n"
        ))
        .expect_err("invalid");
        assert_eq!(hint(&diagnostics[0]), "write `\"help-me\"`");
    }
    parse("[[channels]]\nname = \"Main Stage\"\ntype = \"stage\"\n").expect("stage is free-form");
}

#[test]
fn a_forum_has_at_most_twenty_tags() {
    let tags: Vec<String> = (0..21)
        .map(|i| format!("{{ key = \"t{i}\", name = \"Tag {i}\" }}"))
        .collect();
    let error = the_error(&format!(
        "[[channels]]\nname = \"f\"\ntype = \"forum\"\ntags = [{}]\n",
        tags.join(", ")
    ));
    assert_eq!(
        error.message,
        "21 tags on one forum (Discord allows at most 20)"
    );
}

#[test]
fn require_tag_needs_tags() {
    let error = the_error("[[channels]]\nname = \"f\"\ntype = \"forum\"\nrequire_tag = true\n");
    assert_eq!(
        error.message,
        "`require_tag = true` on a forum without tags"
    );
}

#[test]
fn announcement_and_stage_channels_without_community_are_a_warning() {
    let warning = the_warning("[[channels]]\nname = \"news\"\ntype = \"announcement\"\n");
    assert_eq!(
        warning.message,
        "announcement channels need a Community server, and `[guild]` does not turn Community on"
    );
    assert_eq!((warning.line, warning.column), (3, 8));
    let loaded = parse(&community_guild(
        "[[categories]]\nname = \"C\"\n[[categories.channels]]\nname = \"Stage\"\ntype = \"stage\"\n",
    ))
    .expect("valid");
    assert!(loaded.warnings.is_empty(), "{:#?}", loaded.warnings);
}

#[test]
fn community_needs_each_precondition_in_the_file() {
    let diagnostics = parse("[guild]\ncommunity = true\n").expect_err("invalid");
    let messages: Vec<&str> = diagnostics.iter().map(|d| d.message.as_str()).collect();
    assert_eq!(
        messages,
        [
            "Community needs a verification level of at least `low`",
            "Community needs the explicit content filter on for all members",
            "Community needs a rules channel",
            "Community needs a community updates channel for moderators",
        ]
    );
    assert!(diagnostics.iter().all(|d| d.line == 2));
    assert_eq!(
        hint(&diagnostics[0]),
        "add `verification_level = \"low\"` (or higher) to `[guild]`"
    );
    parse("[guild]\ncommunity = false\n").expect("off needs nothing");
}

#[test]
fn guild_settings_map_to_the_model() {
    let text = community_guild(
        r#"name = "Miyabi"
description = ""
default_notifications = "only_mentions"
afk_channel = "AFK"
afk_timeout = 900
system_channel = ""
system_channel_flags = ["suppress_join_notifications", "suppress_join_notification_replies"]
safety_alerts_channel = "mods"
preferred_locale = "ja"

[[channels]]
name = "AFK"
type = "voice"
"#,
    );
    let settings = parse(&text).expect("valid").desired.settings;
    assert_eq!(settings.name.as_deref(), Some("Miyabi"));
    assert_eq!(settings.description, Some(None));
    assert_eq!(settings.verification_level, Some(1));
    assert_eq!(settings.explicit_content_filter, Some(2));
    assert_eq!(settings.default_notifications, Some(1));
    assert_eq!(channel_name(&settings.afk_channel), Some(Some("AFK")));
    assert_eq!(settings.afk_timeout, Some(900));
    assert_eq!(settings.system_channel, Some(None));
    assert_eq!(settings.system_channel_flags, Some(0b1001));
    assert_eq!(channel_name(&settings.rules_channel), Some(Some("rules")));
    assert_eq!(
        channel_name(&settings.public_updates_channel),
        Some(Some("mods"))
    );
    assert_eq!(
        channel_name(&settings.safety_alerts_channel),
        Some(Some("mods"))
    );
    assert_eq!(settings.preferred_locale.as_deref(), Some("ja"));
    assert_eq!(settings.community, Some(true));

    let empty = parse("[guild]\n").expect("valid").desired.settings;
    assert_eq!(empty, Default::default(), "absent keys are not managed");
}

#[test]
fn guild_channel_references_resolve_to_the_right_kind() {
    let error = the_error(
        "[guild]\nafk_channel = \"chat\"\n[[channels]]\nname = \"chat\"\n[[channels]]\nname = \"Lounge\"\ntype = \"voice\"\n",
    );
    assert_eq!(
        error.message,
        "`afk_channel` must be a voice channel, but `chat` is a text channel"
    );
    let error = the_error(
        "[guild]\nafk_channel = \"Lounje\"\n[[channels]]\nname = \"Lounge\"\ntype = \"voice\"\n",
    );
    assert_eq!(
        error.message,
        "no voice channel named `Lounje` in this file"
    );
    assert_eq!(hint(&error), "did you mean `Lounge`?");
}

#[test]
fn role_looks_map_to_the_model() {
    let text = r##"
[[roles]]
key = "a"
name = "A"
colors = ["#112233", "#445566"]
emoji = "🛡️"

[[roles]]
key = "b"
name = "B"
holographic = true

[[roles]]
key = "c"
name = "C"
icon = "discord:abcdef0123"
"##;
    let roles = parse(text).expect("valid").desired.roles;
    let a = &roles[0].settings;
    assert_eq!(
        (a.color, a.secondary_color, a.tertiary_color),
        (0x112233, Some(0x445566), None)
    );
    assert_eq!(a.unicode_emoji.as_deref(), Some("🛡️"));
    let b = &roles[1].settings;
    assert_eq!(
        (b.color, b.secondary_color, b.tertiary_color),
        (11127295, Some(16759788), Some(16761760))
    );
    assert_eq!(
        roles[2].settings.icon.as_deref(),
        Some("discord:abcdef0123")
    );
}

#[test]
fn role_icons_are_read_next_to_the_file() {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::create_dir(dir.path().join("icons")).expect("mkdir");
    std::fs::write(dir.path().join("icons/mod.png"), b"\x89PNG\r\n\x1a\nrest").expect("write");
    std::fs::write(dir.path().join("icons/big.png"), vec![0x89; 300 * 1024]).expect("write");
    std::fs::write(dir.path().join("icons/text.png"), b"hello").expect("write");
    let file = dir.path().join("server.toml");
    std::fs::write(
        &file,
        "[[roles]]\nkey = \"a\"\nname = \"A\"\nicon = \"icons/mod.png\"\n",
    )
    .expect("write");
    let loaded = config::load(&file).expect("valid");
    assert_eq!(
        loaded.desired.roles[0].settings.icon.as_deref(),
        Some("data:image/png;base64,iVBORw0KGgpyZXN0")
    );
    for (icon, message) in [
        (
            "icons/big.png",
            "icon `icons/big.png` is 300 KiB (Discord allows at most 256 KiB)",
        ),
        (
            "icons/text.png",
            "icon `icons/text.png` is not a PNG, JPEG, GIF or WebP image",
        ),
    ] {
        std::fs::write(
            &file,
            format!("[[roles]]\nkey = \"a\"\nname = \"A\"\nicon = \"{icon}\"\n"),
        )
        .expect("write");
        let config::LoadError::Invalid(diagnostics) = config::load(&file).expect_err("invalid")
        else {
            panic!("expected Invalid");
        };
        assert_eq!(diagnostics[0].message, message);
        assert_eq!(diagnostics[0].line, 4);
    }
}

#[test]
fn a_role_emoji_is_unicode() {
    let error = the_error(&format!("{}emoji = \"<:shield:123>\"\n", role("a", "A")));
    assert_eq!(error.message, "a role's `emoji` must be a unicode emoji");
}

// ---- community features ---------------------------------------------------------------------

fn community_header() -> String {
    "[guild]\ncommunity = true\nverification_level = \"low\"\nexplicit_content_filter = \"all_members\"\nrules_channel = \"c1\"\npublic_updates_channel = \"c2\"\n".into()
}

fn text_channels(count: usize) -> String {
    (1..=count)
        .map(|n| format!("[[channels]]\nname = \"c{n}\"\n"))
        .collect()
}

#[test]
fn a_seventh_keyword_rule_is_one_too_many() {
    let rule = "[[automod]]\nname = \"R{n}\"\ntrigger = \"keyword\"\nkeywords = [\"x\"]\nactions = [{ type = \"block\" }]\n";
    let text: String = (1..=7)
        .map(|n| rule.replace("{n}", &n.to_string()))
        .collect();
    let error = the_error(&text);
    assert_eq!(
        error.message,
        "too many `keyword` rules: Discord allows at most 6"
    );
    assert_eq!(error.line, 6 * 5 + 3, "at the seventh rule's trigger");
}

#[test]
fn a_monthly_event_must_start_on_its_nth_weekday() {
    let text = format!(
        "{}[[events]]\nname = \"Day\"\nvoice = \"Room\"\nstart = \"2026-12-19T10:00\"\ntimezone = \"Asia/Tokyo\"\nduration = 60\nrepeat = \"monthly\"\nweek = 1\n",
        "[[channels]]\nname = \"Room\"\ntype = \"voice\"\n"
    );
    let error = the_error(&text);
    assert_eq!(
        error.message,
        "2026-12-19 is the third Saturday of its month, not the first"
    );
    assert_eq!(
        hint(&error),
        "the start is the first occurrence: start on a first Saturday, like 2026-12-05"
    );
    let fixed = text.replace("week = 1", "week = 3");
    let loaded = parse(&fixed).expect("valid");
    let schedule = &loaded.desired.community.events[0].schedule;
    assert_eq!(
        schedule.recurrence,
        Some(miyabi_guild::model::community::Recurrence::MonthlyNthWeekday { week: 3 })
    );
    assert_eq!(schedule.start.to_string(), "2026-12-19T10:00:00");
}

#[test]
fn enabled_onboarding_needs_channels_everyone_can_post_in() {
    let base = format!(
        "{}[everyone]\npermissions = [\"view_channel\"]\n{}[onboarding]\ndefault_channels = [\"c1\", \"c2\", \"c3\", \"c4\", \"c5\", \"c6\", \"c7\"]\n",
        community_header(),
        text_channels(7)
    );
    let warning = the_warning(&base);
    assert!(
        warning
            .message
            .contains("@everyone can view and post in only 0 of its default channels"),
        "{}",
        warning.message
    );
    let open = base.replace(
        "[\"view_channel\"]",
        "[\"view_channel\", \"send_messages\"]",
    );
    assert!(parse(&open).expect("valid").warnings.is_empty());
    let off = base.replace("[onboarding]\n", "[onboarding]\nenabled = false\n");
    assert!(parse(&off).expect("valid").warnings.is_empty());
}

#[test]
fn the_welcome_screen_warns_when_community_is_not_managed() {
    let text = format!(
        "{}[welcome_screen]\nchannels = [{{ channel = \"c1\", description = \"Start here\", emoji = \"👋\" }}]\n",
        text_channels(1)
    );
    let warning = the_warning(&text);
    assert_eq!(
        warning.message,
        "the welcome screen needs a Community server, and this file does not manage Community"
    );
}

#[test]
fn a_channel_holds_at_most_fifteen_webhooks() {
    let text: String = text_channels(1)
        + &(1..=16)
            .map(|n| format!("[[webhooks]]\nname = \"Hook {n}\"\nchannel = \"c1\"\n"))
            .collect::<String>();
    let error = the_error(&text);
    assert_eq!(
        error.message,
        "`c1` has more than 15 webhooks (Discord's limit per channel)"
    );
}

#[test]
fn posted_messages_are_read_next_to_the_file_and_split() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("messages")).unwrap();
    let paragraph = "word ".repeat(300);
    std::fs::write(
        dir.path().join("messages/long.md"),
        format!("{paragraph}\n\n{paragraph}\n"),
    )
    .unwrap();
    std::fs::write(dir.path().join("messages/empty.md"), "\n  \n").unwrap();
    let file = dir.path().join("server.toml");
    std::fs::write(
        &file,
        format!(
            "{}[[messages]]\nchannel = \"c1\"\nfile = \"messages/long.md\"\n",
            text_channels(2)
        ),
    )
    .unwrap();
    let loaded = config::load(&file).expect("valid");
    assert_eq!(loaded.desired.community.messages[0].parts.len(), 2);
    std::fs::write(
        &file,
        format!(
            "{}[[messages]]\nchannel = \"c2\"\nfile = \"messages/empty.md\"\n",
            text_channels(2)
        ),
    )
    .unwrap();
    let Err(config::LoadError::Invalid(diagnostics)) = config::load(&file) else {
        panic!("an empty file is an error");
    };
    assert_eq!(diagnostics[0].message, "`messages/empty.md` is empty");
}

/// The name of a `[guild]` channel setting.
fn channel_name(setting: &Option<Option<miyabi_guild::model::ChannelKey>>) -> Option<Option<&str>> {
    setting
        .as_ref()
        .map(|channel| channel.as_ref().map(|key| key.name.as_str()))
}
