//! The keys each table of the file takes, in the schema's order (a test checks they match).

pub(crate) const FILE_KEYS: &[&str] = &[
    "include",
    "environments",
    "guild",
    "everyone",
    "prune",
    "roles",
    "channels",
    "categories",
    "welcome_screen",
    "onboarding",
    "automod",
    "events",
    "webhooks",
    "emojis",
    "soundboard",
    "stickers",
    "messages",
    "invites",
    "widget",
    "vanity",
    "threads",
    "ignore",
    "protect",
    "access",
    "presets",
];
pub(crate) const PRESET_KEYS: &[&str] = &["overwrites"];
pub(crate) const IGNORE_KEYS: &[&str] = &["roles", "channels"];
pub(crate) const PROTECT_KEYS: &[&str] = &["roles", "channels", "threads"];
pub(crate) const ACCESS_KEYS: &[&str] = &["assert"];
pub(crate) const ASSERTION_KEYS: &[&str] = &[
    "only_visible_to",
    "not_visible_to",
    "read_only_except",
    "categories",
    "channels",
];
pub(crate) const GUILD_KEYS: &[&str] = &[
    "name",
    "description",
    "verification_level",
    "explicit_content_filter",
    "default_notifications",
    "afk_channel",
    "afk_timeout",
    "system_channel",
    "system_channel_flags",
    "rules_channel",
    "public_updates_channel",
    "safety_alerts_channel",
    "preferred_locale",
    "community",
    "icon",
    "banner",
    "invite_splash",
    "discovery_splash",
];
pub(crate) const EVERYONE_KEYS: &[&str] = &["permissions"];
pub(crate) const PRUNE_KEYS: &[&str] = &[
    "roles",
    "channels",
    "automod",
    "events",
    "webhooks",
    "invites",
    "threads",
    "emojis",
    "soundboard",
    "stickers",
];
pub(crate) const THREAD_KEYS: &[&str] = &[
    "channel",
    "title",
    "file",
    "tags",
    "pinned",
    "locked",
    "archived",
    "auto_archive",
];
pub(crate) const STICKER_KEYS: &[&str] = &["name", "description", "tags", "file"];
pub(crate) const SOUND_KEYS: &[&str] = &["name", "file", "volume", "emoji"];
pub(crate) const EMOJI_KEYS: &[&str] = &["name", "file", "roles"];
pub(crate) const ROLE_KEYS: &[&str] = &[
    "key",
    "name",
    "color",
    "colors",
    "holographic",
    "emoji",
    "icon",
    "hoist",
    "mentionable",
    "permissions",
    "previously",
    "id",
    "protect",
    "roster",
    "members",
];
pub(crate) const ROSTER_MEMBER_KEYS: &[&str] = &["id", "name"];
pub(crate) const CHANNEL_KEYS: &[&str] = &[
    "name",
    "type",
    "topic",
    "slowmode",
    "nsfw",
    "bitrate",
    "user_limit",
    "rtc_region",
    "video_quality",
    "default_auto_archive",
    "default_thread_slowmode",
    "tags",
    "default_reaction",
    "default_sort_order",
    "default_layout",
    "require_tag",
    "hide_media_download_options",
    "sync",
    "overwrites",
    "overwrites_extend",
    "preset",
    "previously",
    "id",
    "protect",
];
pub(crate) const CATEGORY_KEYS: &[&str] = &[
    "name",
    "previously",
    "id",
    "overwrites",
    "preset",
    "unlisted",
    "channels",
    "protect",
];
pub(crate) const CHANNEL_TYPES: &[&str] =
    &["text", "voice", "announcement", "stage", "forum", "media"];
pub(crate) const TAG_KEYS: &[&str] = &["key", "name", "emoji", "moderated", "previously"];
pub(crate) const FORMER_PLACE_KEYS: &[&str] = &["category", "name"];
pub(crate) const OVERWRITE_KEYS: &[&str] = &["role", "roles", "member", "allow", "deny"];
pub(crate) const WELCOME_SCREEN_KEYS: &[&str] = &["enabled", "description", "channels"];
pub(crate) const WELCOME_CHANNEL_KEYS: &[&str] = &["channel", "description", "emoji"];
pub(crate) const ONBOARDING_KEYS: &[&str] = &["enabled", "mode", "default_channels", "prompts"];
pub(crate) const PROMPT_KEYS: &[&str] = &[
    "title",
    "type",
    "single_select",
    "required",
    "in_onboarding",
    "options",
];
pub(crate) const OPTION_KEYS: &[&str] = &["title", "description", "emoji", "roles", "channels"];
pub(crate) const AUTOMOD_KEYS: &[&str] = &[
    "name",
    "trigger",
    "keywords",
    "regex",
    "allow",
    "presets",
    "mention_limit",
    "raid_protection",
    "actions",
    "enabled",
    "exempt_roles",
    "exempt_channels",
];
pub(crate) const ACTION_KEYS: &[&str] = &["type", "message", "channel", "duration"];
pub(crate) const EVENT_KEYS: &[&str] = &[
    "name",
    "description",
    "stage",
    "voice",
    "location",
    "start",
    "timezone",
    "duration",
    "repeat",
    "week",
];
pub(crate) const WEBHOOK_KEYS: &[&str] = &["name", "channel", "avatar", "github"];
pub(crate) const MESSAGES_KEYS: &[&str] = &["channel", "file"];
pub(crate) const INVITE_KEYS: &[&str] = &["channel", "max_age", "max_uses", "temporary"];
pub(crate) const WIDGET_KEYS: &[&str] = &["enabled", "channel"];
pub(crate) const VANITY_KEYS: &[&str] = &["code"];
