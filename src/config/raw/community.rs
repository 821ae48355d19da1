//! The community tables of the file (welcome screen, onboarding, AutoMod, events, webhooks,
//! invites, expressions, posted messages, threads): raw structs with their schema docs.

use schemars::JsonSchema;

use super::*;

/// The welcome screen of a Community server.
#[derive(Clone, Debug, JsonSchema)]
#[schemars(rename = "WelcomeScreen", deny_unknown_fields)]
pub(crate) struct RawWelcomeScreen {
    /// Show the welcome screen to new members.
    #[schemars(with = "Option<bool>", extend("default" = true))]
    pub enabled: Option<Sp<bool>>,
    /// What the server is about, up to 140 characters.
    #[schemars(with = "Option<String>", length(max = 140))]
    pub description: Option<Sp<String>>,
    /// Up to 5 channels shown on the screen, in order.
    #[schemars(with = "Option<Vec<RawWelcomeChannel>>", length(max = 5))]
    pub channels: Option<Sp<Vec<Sp<RawWelcomeChannel>>>>,
}

/// A channel on the welcome screen.
#[derive(Clone, Debug, JsonSchema)]
#[schemars(rename = "WelcomeChannel", deny_unknown_fields)]
pub(crate) struct RawWelcomeChannel {
    /// The name of a text, announcement or forum channel in this file.
    #[schemars(required, with = "String")]
    pub channel: Option<Sp<String>>,
    /// Why to visit it, 1-50 characters.
    #[schemars(required, with = "String", length(min = 1, max = 50))]
    pub description: Option<Sp<String>>,
    /// Shown next to the channel.
    #[schemars(with = "Option<EmojiValue>")]
    pub emoji: Option<Sp<String>>,
}

/// Onboarding of a Community server.
#[derive(Clone, Debug, JsonSchema)]
#[schemars(rename = "Onboarding", deny_unknown_fields)]
pub(crate) struct RawOnboarding {
    /// Turn onboarding on. Discord then requires at least 7 default channels, 5 of which
    /// `@everyone` can view and post in.
    #[schemars(with = "Option<bool>", extend("default" = true))]
    pub enabled: Option<Sp<bool>>,
    /// `default`: only default channels count towards Discord's requirements; `advanced`: the
    /// channels of the onboarding questions count too.
    #[schemars(with = "Option<OnboardingModeName>", extend("default" = "default"))]
    pub mode: Option<Sp<String>>,
    /// Channels every new member starts in, by name (channels of this file).
    #[schemars(with = "Option<Vec<String>>", extend("default" = []))]
    pub default_channels: Option<Sp<Vec<Sp<String>>>>,
    /// Questions, in display order (at most 15); identified by title.
    #[schemars(with = "Option<Vec<RawPrompt>>", length(max = 15))]
    pub prompts: Option<Sp<Vec<Sp<RawPrompt>>>>,
}

/// An onboarding question.
#[derive(Clone, Debug, JsonSchema)]
#[schemars(rename = "Prompt", deny_unknown_fields)]
pub(crate) struct RawPrompt {
    /// The question, 1-100 characters, unique among the prompts.
    #[schemars(required, with = "String", length(min = 1, max = 100))]
    pub title: Option<Sp<String>>,
    /// How the answers are shown.
    #[schemars(rename = "type")]
    #[schemars(with = "Option<PromptTypeName>", extend("default" = "multiple_choice"))]
    pub kind: Option<Sp<String>>,
    /// Members pick one answer only.
    #[schemars(with = "Option<bool>", extend("default" = false))]
    pub single_select: Option<Sp<bool>>,
    /// Members must answer.
    #[schemars(with = "Option<bool>", extend("default" = false))]
    pub required: Option<Sp<bool>>,
    /// Asked during onboarding; `false` shows it only in Channels & Roles.
    #[schemars(with = "Option<bool>", extend("default" = true))]
    pub in_onboarding: Option<Sp<bool>>,
    /// The answers, 1-50, titles unique within the question.
    #[schemars(required, with = "Vec<RawPromptOption>", length(min = 1, max = 50))]
    pub options: Option<Sp<Vec<Sp<RawPromptOption>>>>,
}

/// An answer to an onboarding question.
#[derive(Clone, Debug, JsonSchema)]
#[schemars(rename = "PromptOption", deny_unknown_fields)]
pub(crate) struct RawPromptOption {
    /// 1-50 characters.
    #[schemars(required, with = "String", length(min = 1, max = 50))]
    pub title: Option<Sp<String>>,
    /// Up to 100 characters.
    #[schemars(with = "Option<String>", length(max = 100))]
    pub description: Option<Sp<String>>,
    #[schemars(with = "Option<EmojiValue>")]
    pub emoji: Option<Sp<String>>,
    /// Roles (by key) members get when they pick this answer (at most 50).
    #[schemars(with = "Option<Vec<String>>", length(max = 50))]
    pub roles: Option<Sp<Vec<Sp<String>>>>,
    /// Channels (by name) members see when they pick this answer (at most 50).
    #[schemars(with = "Option<Vec<String>>", length(max = 50))]
    pub channels: Option<Sp<Vec<Sp<String>>>>,
}

/// An AutoMod rule. Discord allows at most 6 `keyword` rules and one of each other trigger.
#[derive(Clone, Debug, JsonSchema)]
#[schemars(rename = "AutoModRule", deny_unknown_fields)]
pub(crate) struct RawAutoModRule {
    /// 1-100 characters, unique among rules: rules are matched by name.
    #[schemars(required, with = "String", length(min = 1, max = 100))]
    pub name: Option<Sp<String>>,
    /// What makes the rule fire. A rule's trigger cannot change on Discord: changing it here
    /// replaces the rule.
    #[schemars(required, with = "TriggerName")]
    pub trigger: Option<Sp<String>>,
    /// `keyword` and `member_profile`: words and phrases to match (at most 1000, each 1-60
    /// characters; `*` is a wildcard).
    #[schemars(with = "Option<Vec<String>>", length(max = 1000))]
    pub keywords: Option<Sp<Vec<Sp<String>>>>,
    /// `keyword` and `member_profile`: Rust regular expressions (at most 10, each 1-260
    /// characters).
    #[schemars(with = "Option<Vec<String>>", length(max = 10))]
    pub regex: Option<Sp<Vec<Sp<String>>>>,
    /// `keyword`, `member_profile` (at most 100) and `keyword_preset` (at most 1000): words that
    /// never trigger the rule, each 1-60 characters.
    #[schemars(with = "Option<Vec<String>>", length(max = 1000))]
    pub allow: Option<Sp<Vec<Sp<String>>>>,
    /// `keyword_preset`: Discord's word lists.
    #[schemars(with = "Option<Vec<PresetName>>", length(min = 1, max = 3))]
    pub presets: Option<Sp<Vec<Sp<String>>>>,
    /// `mention_spam`: how many distinct mentions (users and roles) one message may hold, 0-50.
    #[schemars(with = "Option<u8>", range(max = 50))]
    pub mention_limit: Option<Sp<i64>>,
    /// `mention_spam`: also detect mention raids.
    #[schemars(with = "Option<bool>", extend("default" = false))]
    pub raid_protection: Option<Sp<bool>>,
    /// What happens when the rule fires, 1-5 actions.
    #[schemars(required, with = "Vec<RawAction>", length(min = 1, max = 5))]
    pub actions: Option<Sp<Vec<Sp<RawAction>>>>,
    #[schemars(with = "Option<bool>", extend("default" = true))]
    pub enabled: Option<Sp<bool>>,
    /// Roles (by key) the rule ignores, at most 20.
    #[schemars(with = "Option<Vec<String>>", length(max = 20))]
    pub exempt_roles: Option<Sp<Vec<Sp<String>>>>,
    /// Channels or categories (by name) the rule ignores, at most 50.
    #[schemars(with = "Option<Vec<String>>", length(max = 50))]
    pub exempt_channels: Option<Sp<Vec<Sp<String>>>>,
}

/// An AutoMod action.
#[derive(Clone, Debug, JsonSchema)]
#[schemars(rename = "AutoModAction", deny_unknown_fields)]
pub(crate) struct RawAction {
    /// `block` the message, `alert` a channel, `timeout` the member (`keyword` and
    /// `mention_spam` rules), `block_interaction` (`member_profile` rules).
    #[schemars(rename = "type")]
    #[schemars(required, with = "ActionName")]
    pub kind: Option<Sp<String>>,
    /// `block`: what the member is told, up to 150 characters.
    #[schemars(with = "Option<String>", length(max = 150))]
    pub message: Option<Sp<String>>,
    /// `alert`: a text or announcement channel of this file, by name.
    #[schemars(with = "Option<String>")]
    pub channel: Option<Sp<String>>,
    /// `timeout`: seconds, up to 2419200 (28 days).
    #[schemars(with = "Option<u32>", range(max = 2_419_200))]
    pub duration: Option<Sp<i64>>,
}

/// A scheduled event. Give exactly one of `stage`, `voice` and `location`.
#[derive(Clone, Debug, JsonSchema)]
#[schemars(
    rename = "Event",
    deny_unknown_fields,
    extend("oneOf" = [{ "required": ["stage"] }, { "required": ["voice"] }, { "required": ["location"] }])
)]
pub(crate) struct RawEvent {
    /// 1-100 characters, unique among events: events are matched by name.
    #[schemars(required, with = "String", length(min = 1, max = 100))]
    pub name: Option<Sp<String>>,
    /// Up to 1000 characters.
    #[schemars(with = "Option<String>", length(max = 1000))]
    pub description: Option<Sp<String>>,
    /// In a stage channel of this file, by name.
    #[schemars(with = "Option<String>")]
    pub stage: Option<Sp<String>>,
    /// In a voice channel of this file, by name.
    #[schemars(with = "Option<String>")]
    pub voice: Option<Sp<String>>,
    /// Somewhere else: a place or a URL, 1-100 characters.
    #[schemars(with = "Option<String>", length(min = 1, max = 100))]
    pub location: Option<Sp<String>>,
    /// The first (or only) start, a date and time without offset (`2026-12-07T18:00`), in
    /// `timezone`.
    #[schemars(
        required,
        with = "String",
        regex(pattern = r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2})?$")
    )]
    pub start: Option<Sp<String>>,
    /// An IANA time zone (`Asia/Tokyo`, `Europe/Berlin`, `UTC`).
    #[schemars(required, with = "String")]
    pub timezone: Option<Sp<String>>,
    /// Minutes, at least 1.
    #[schemars(required, with = "u32", range(min = 1))]
    pub duration: Option<Sp<i64>>,
    /// Leave out for a one-off event. `weekly`: every week on the start's weekday. `monthly`
    /// (with `week`): every month on the n-th of the start's weekday.
    #[schemars(with = "Option<RepeatName>")]
    pub repeat: Option<Sp<String>>,
    /// With `repeat = "monthly"`: which occurrence of the weekday, 1-5 ("first Saturday" is 1).
    /// The start date must be that occurrence.
    #[schemars(with = "Option<u8>", range(min = 1, max = 5))]
    pub week: Option<Sp<i64>>,
}

/// An incoming webhook of a channel.
#[derive(Clone, Debug, JsonSchema)]
#[schemars(rename = "Webhook", deny_unknown_fields)]
pub(crate) struct RawWebhook {
    /// 1-80 characters, without "clyde" or "discord"; unique in its channel.
    #[schemars(required, with = "String", length(min = 1, max = 80))]
    pub name: Option<Sp<String>>,
    /// A text, announcement or forum channel of this file, by name (at most 15 webhooks each).
    #[schemars(required, with = "String")]
    pub channel: Option<Sp<String>>,
    /// An image file (PNG, JPEG, GIF or WebP), relative to this file's folder. `discord:<hash>`
    /// (written by `import`) keeps the avatar the webhook already has.
    #[schemars(with = "Option<String>")]
    pub avatar: Option<Sp<String>>,
    /// GitHub repositories (`owner/name`) that post to this webhook.
    #[schemars(
        with = "Option<Vec<String>>",
        inner(regex(pattern = r"^[A-Za-z0-9-]+/[A-Za-z0-9._-]+$"))
    )]
    pub github: Option<Sp<Vec<Sp<String>>>>,
}

/// An invite the community publishes. Discord cannot edit an invite: changing a setting makes
/// a new invite (a new link) and deletes the old one.
#[derive(Clone, Debug, JsonSchema)]
#[schemars(rename = "Invite", deny_unknown_fields)]
pub(crate) struct RawInvite {
    /// The channel it opens on: any channel of this file but a category, by name.
    #[schemars(required, with = "String")]
    pub channel: Option<Sp<String>>,
    /// Seconds before it expires, 0-604800 (7 days); 0 (the default here) never expires.
    #[schemars(with = "Option<u32>", range(min = 0, max = 604_800), extend("default" = 0))]
    pub max_age: Option<Sp<i64>>,
    /// Uses before it expires, 0-100; 0 (the default) is unlimited.
    #[schemars(with = "Option<u32>", range(min = 0, max = 100), extend("default" = 0))]
    pub max_uses: Option<Sp<i64>>,
    /// Members who join through it are removed when they disconnect, unless given a role.
    #[schemars(with = "Option<bool>", extend("default" = false))]
    pub temporary: Option<Sp<bool>>,
}

/// The server widget (Server Settings → Widget).
#[derive(Clone, Debug, Default, JsonSchema)]
#[schemars(rename = "Widget", deny_unknown_fields)]
pub(crate) struct RawWidget {
    /// Whether the widget (and its JSON API) is on.
    #[schemars(required, with = "bool")]
    pub enabled: Option<Sp<bool>>,
    /// The channel its invite leads to: any channel of this file but a category, by name; `""`
    /// (or left out) for none.
    #[schemars(with = "Option<String>")]
    pub channel: Option<Sp<String>>,
}

/// The vanity invite (`discord.gg/<code>`).
#[derive(Clone, Debug, Default, JsonSchema)]
#[schemars(rename = "Vanity", deny_unknown_fields)]
pub(crate) struct RawVanity {
    /// The code: 2-32 lowercase letters, digits and `-`.
    #[schemars(required, with = "String", regex(pattern = r"^[a-z0-9-]{2,32}$"))]
    pub code: Option<Sp<String>>,
}

/// A custom emoji of the server.
#[derive(Clone, Debug, JsonSchema)]
#[schemars(rename = "Emoji", deny_unknown_fields)]
pub(crate) struct RawEmoji {
    /// 2-32 letters, digits or `_`, unique in the file: what members type between colons.
    #[schemars(required, with = "String", regex(pattern = r"^[A-Za-z0-9_]{2,32}$"))]
    pub name: Option<Sp<String>>,
    /// The image: a PNG, JPEG, WebP or GIF (animated) file of at most 256 KiB, relative to this
    /// file's folder. Discord cannot change an emoji's image: a changed file replaces the emoji
    /// (it gets a new id).
    #[schemars(required, with = "String")]
    pub file: Option<Sp<String>>,
    /// Keys of the roles allowed to use it; left out or `[]`: everyone.
    #[schemars(with = "Option<Vec<String>>")]
    pub roles: Option<Sp<Vec<Sp<String>>>>,
}

/// A soundboard sound of the server.
#[derive(Clone, Debug, JsonSchema)]
#[schemars(rename = "Sound", deny_unknown_fields)]
pub(crate) struct RawSound {
    /// 2-32 characters, unique in the file.
    #[schemars(required, with = "String", length(min = 2, max = 32))]
    pub name: Option<Sp<String>>,
    /// The sound: an MP3 or Ogg file of at most 512 KiB and 5.2 seconds (the length is not
    /// checked: that needs decoding), relative to this file's folder. A changed file replaces
    /// the sound (Discord cannot change a sound's file).
    #[schemars(required, with = "String")]
    pub file: Option<Sp<String>>,
    /// 0 to 1; 1 when left out.
    #[schemars(with = "Option<f64>", range(min = 0.0, max = 1.0))]
    pub volume: Option<Sp<f64>>,
    /// A unicode emoji, or a custom one as `<:name:id>`.
    #[schemars(with = "Option<String>")]
    pub emoji: Option<Sp<String>>,
}

/// A sticker of the server.
#[derive(Clone, Debug, JsonSchema)]
#[schemars(rename = "Sticker", deny_unknown_fields)]
pub(crate) struct RawSticker {
    /// 2-30 characters, unique in the file.
    #[schemars(required, with = "String", length(min = 2, max = 30))]
    pub name: Option<Sp<String>>,
    /// Empty or 2-100 characters.
    #[schemars(with = "Option<String>", length(max = 100))]
    pub description: Option<Sp<String>>,
    /// Autocomplete tags (Discord's client uses one unicode emoji), 1-200 characters.
    #[schemars(required, with = "String", length(min = 1, max = 200))]
    pub tags: Option<Sp<String>>,
    /// A PNG, APNG, GIF or Lottie JSON file of at most 512 KiB, relative to this file's folder
    /// (Lottie needs a VERIFIED or PARTNERED server). A changed file replaces the sticker.
    #[schemars(required, with = "String")]
    pub file: Option<Sp<String>>,
}

/// Messages the tool keeps posted in a channel. The tool edits its own messages to match the
/// file, posts missing ones and deletes its extra ones; others' messages are never touched.
#[derive(Clone, Debug, JsonSchema)]
#[schemars(rename = "Messages", deny_unknown_fields)]
pub(crate) struct RawMessages {
    /// A text or announcement channel of this file, by name; one `[[messages]]` per channel.
    #[schemars(required, with = "String")]
    pub channel: Option<Sp<String>>,
    /// A Markdown file, relative to this file's folder. Longer than 2000 characters, it is split
    /// between paragraphs into several messages; with `<!-- next message -->` lines, each line
    /// ends one message. A message may start with `+++` front matter (`pin`, `suppress_embeds`,
    /// `[[embeds]]`); `{#channel}` and `{@role-key}` are mentions by name.
    #[schemars(required, with = "String")]
    pub file: Option<Sp<String>>,
}

/// A thread the bot keeps: a post in a forum or media channel, or a thread of a text or
/// announcement channel. Matched by `title` among the bot's own threads of the channel; a
/// member's thread is never matched, edited or deleted.
#[derive(Clone, Debug, JsonSchema)]
#[schemars(rename = "Thread", deny_unknown_fields)]
pub(crate) struct RawThread {
    /// A forum, media or text channel of this file, by name.
    #[schemars(required, with = "String")]
    pub channel: Option<Sp<String>>,
    /// The thread's name, 1-100 characters, unique in its channel.
    #[schemars(required, with = "String", length(min = 1, max = 100))]
    pub title: Option<Sp<String>>,
    /// A Markdown file, relative to this file's folder: the first message (at most 2000
    /// characters).
    #[schemars(required, with = "String")]
    pub file: Option<Sp<String>>,
    /// Forum and media posts: tags by name (at most 5), from the channel's `tags`.
    #[schemars(with = "Option<Vec<String>>", length(max = 5))]
    pub tags: Option<Sp<Vec<Sp<String>>>>,
    /// Forum and media posts: pinned to the top of the channel (at most one per channel).
    #[schemars(with = "Option<bool>", extend("default" = false))]
    pub pinned: Option<Sp<bool>>,
    /// Only moderators (Manage Threads) can reply or unarchive it.
    #[schemars(with = "Option<bool>", extend("default" = false))]
    pub locked: Option<Sp<bool>>,
    /// Archived: closed until someone posts in it (a locked archived thread stays closed).
    #[schemars(with = "Option<bool>", extend("default" = false))]
    pub archived: Option<Sp<bool>>,
    /// Minutes of inactivity before Discord archives it: 60, 1440, 4320 or 10080. Left out,
    /// it is not managed.
    #[schemars(with = "Option<AutoArchive>")]
    pub auto_archive: Option<Sp<i64>>,
}
