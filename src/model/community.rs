//! The community's front door and routines: welcome screen, onboarding, AutoMod rules,
//! scheduled events, webhooks and messages the tool keeps posted.
//!
//! Each type is generic over how it names channels (`C`) and roles (`R`): the file names them
//! (`String`: a channel's name, a role's key), the live guild by id. The diff resolves one into
//! the other, as it does for permission overwrites.

use serde::{Deserialize, Serialize};

use super::{ChannelId, Emoji, RoleId};

/// The screen new members see before entering a community guild.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct WelcomeScreen<C> {
    pub enabled: bool,
    /// ≤140 characters.
    pub description: Option<String>,
    /// ≤5.
    pub channels: Vec<WelcomeChannel<C>>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct WelcomeChannel<C> {
    pub channel: C,
    /// 1-50 characters.
    pub description: String,
    pub emoji: Option<Emoji>,
}

/// Discord's onboarding: default channels and the questions new members answer.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Onboarding<C, R> {
    pub enabled: bool,
    pub mode: OnboardingMode,
    pub default_channels: Vec<C>,
    /// In display order; ≤15.
    pub prompts: Vec<Prompt<C, R>>,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OnboardingMode {
    /// Discord counts only default channels towards the requirements.
    #[default]
    Default,
    /// Default channels and questions both count.
    Advanced,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Prompt<C, R> {
    /// 1-100 characters; a prompt is identified by its title.
    pub title: String,
    pub kind: PromptKind,
    pub single_select: bool,
    pub required: bool,
    /// Asked during onboarding (otherwise only in Channels & Roles).
    pub in_onboarding: bool,
    /// 1-50.
    pub options: Vec<PromptOption<C, R>>,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PromptKind {
    #[default]
    MultipleChoice,
    Dropdown,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PromptOption<C, R> {
    /// 1-50 characters; an option is identified by its title within its prompt.
    pub title: String,
    /// ≤100 characters.
    pub description: Option<String>,
    pub emoji: Option<Emoji>,
    /// Roles granted when chosen.
    pub roles: Vec<R>,
    /// Channels shown when chosen.
    pub channels: Vec<C>,
}

/// An AutoMod rule; rules are identified by name.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AutoModRule<C, R> {
    /// ≤100 characters.
    pub name: String,
    pub trigger: Trigger,
    /// 1-5.
    pub actions: Vec<AutoModAction<C>>,
    pub enabled: bool,
    /// ≤20.
    pub exempt_roles: Vec<R>,
    /// ≤50.
    pub exempt_channels: Vec<C>,
}

/// What makes a rule fire, with its metadata. The event type follows from it (member profile
/// rules run on member updates, the others on messages).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Trigger {
    /// ≤6 per guild. Keywords ≤1000 (each ≤60), regex ≤10 (each ≤260), allow ≤100 (each ≤60).
    Keyword {
        keywords: Vec<String>,
        regex: Vec<String>,
        allow: Vec<String>,
    },
    /// ≤1 per guild.
    Spam,
    /// ≤1 per guild. Allow ≤1000.
    KeywordPreset {
        presets: Vec<KeywordPreset>,
        allow: Vec<String>,
    },
    /// ≤1 per guild. Limit 0-50 mentions per message.
    MentionSpam { limit: u8, raid_protection: bool },
    /// ≤1 per guild; checks names and bios.
    MemberProfile {
        keywords: Vec<String>,
        regex: Vec<String>,
        allow: Vec<String>,
    },
}

impl Trigger {
    /// Discord's `trigger_type`.
    pub fn discord_type(&self) -> u8 {
        match self {
            Self::Keyword { .. } => 1,
            Self::Spam => 3,
            Self::KeywordPreset { .. } => 4,
            Self::MentionSpam { .. } => 5,
            Self::MemberProfile { .. } => 6,
        }
    }

    /// Discord's `event_type`: 1 message send, 2 member update.
    pub fn event_type(&self) -> u8 {
        match self {
            Self::MemberProfile { .. } => 2,
            _ => 1,
        }
    }

    /// How many rules of this trigger a guild may have.
    pub fn max_per_guild(&self) -> usize {
        match self {
            Self::Keyword { .. } => 6,
            _ => 1,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum KeywordPreset {
    Profanity,
    SexualContent,
    Slurs,
}

impl KeywordPreset {
    pub fn discord_value(self) -> u8 {
        match self {
            Self::Profanity => 1,
            Self::SexualContent => 2,
            Self::Slurs => 3,
        }
    }

    pub fn from_discord(value: u8) -> Option<Self> {
        match value {
            1 => Some(Self::Profanity),
            2 => Some(Self::SexualContent),
            3 => Some(Self::Slurs),
            _ => None,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum AutoModAction<C> {
    /// Block the message, optionally telling the member why (≤150 characters).
    Block { message: Option<String> },
    /// Post an alert in a channel.
    Alert { channel: C },
    /// Time the member out (keyword and mention-spam rules only; ≤28 days).
    Timeout { seconds: u32 },
    /// Keep the member from interacting (member-profile rules).
    BlockMemberInteraction,
}

/// A scheduled event as the file defines it: where, when, how long, how often. The plan compares
/// this definition, not the next occurrence Discord shows.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Event<C> {
    /// 1-100 characters; events are identified by name.
    pub name: String,
    /// ≤1000 characters.
    pub description: Option<String>,
    pub location: EventLocation<C>,
    pub schedule: Schedule,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EventLocation<C> {
    Stage(C),
    Voice(C),
    /// Somewhere else: a place or a URL (1-100 characters).
    External(String),
}

/// When an event happens.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Schedule {
    /// The first (or only) start, as a civil time in `timezone`.
    pub start: jiff::civil::DateTime,
    /// An IANA time zone (`Asia/Tokyo`).
    pub timezone: String,
    pub duration_minutes: u32,
    pub recurrence: Option<Recurrence>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "every", rename_all = "snake_case")]
pub enum Recurrence {
    /// Every week on the start's weekday.
    Weekly,
    /// Every month on the n-th (1-5) weekday of the start's weekday ("first Saturday").
    MonthlyNthWeekday { week: u8 },
}

/// A channel webhook the file declares; identified by name within its channel. Its URL holds a
/// secret and never appears in plans.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Webhook<C> {
    pub channel: C,
    /// 1-80 characters, without "clyde" or "discord".
    pub name: String,
    /// Desired: a `data:` URI of the image; live: Discord's hash. Compared by presence only.
    pub avatar: Option<String>,
}

/// GitHub repositories that post to a declared webhook (for `miyabi-guild webhooks`).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct WebhookSources {
    /// `owner/name` of each repository.
    pub github: Vec<String>,
}

/// Messages the tool keeps posted in a channel, from a Markdown file, already split into
/// Discord messages of at most 2000 characters.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PostedMessages<C> {
    pub channel: C,
    /// The file the content comes from, as written in `server.toml`.
    pub source: String,
    /// In posting order; mentions name channels like `C` and roles by key.
    pub parts: Vec<super::messages::MessagePart<C, String>>,
}

/// The live side of the things above, with the ids Discord gave them.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct LiveCommunity {
    /// `None` when the guild never configured one (Discord answers 404).
    pub welcome_screen: Option<WelcomeScreen<ChannelId>>,
    pub onboarding: Option<LiveOnboarding>,
    pub automod: Vec<LiveAutoModRule>,
    pub events: Vec<LiveEvent>,
    /// Incoming webhooks only; tokens are kept out of this model.
    pub webhooks: Vec<LiveWebhook>,
    /// The bot's own messages per channel that declares posted messages, oldest first.
    pub messages: Vec<LiveMessages>,
    /// Invites, the widget and the vanity code, as far as they were read.
    #[serde(default)]
    pub invites: super::invites::LiveInvites,
    /// Every thread (the bot's and members') of the channels that declare threads.
    #[serde(default)]
    pub threads: Vec<super::threads::LiveThread>,
    /// Parts a lenient read (`import`) could not read, and why: left out, not empty.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub unread: Vec<String>,
    /// Custom emoji, when the file manages them.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub emojis: Vec<super::expressions::LiveEmoji>,
    /// Soundboard sounds, when the file manages them.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub sounds: Vec<super::expressions::LiveSound>,
    /// Guild stickers, when the file manages them.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub stickers: Vec<super::expressions::LiveSticker>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LiveOnboarding {
    pub onboarding: Onboarding<ChannelId, RoleId>,
    /// The id of each prompt, and of each option of each prompt, same order.
    pub prompt_ids: Vec<u64>,
    pub option_ids: Vec<Vec<u64>>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LiveAutoModRule {
    pub id: u64,
    pub rule: AutoModRule<ChannelId, RoleId>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LiveEvent {
    pub id: u64,
    pub name: String,
    pub description: Option<String>,
    pub location: EventLocation<ChannelId>,
    pub start: jiff::Timestamp,
    pub end: Option<jiff::Timestamp>,
    /// Discord's recurrence, reduced to what the file can say; `None` for one-off events.
    pub recurrence: Option<Recurrence>,
    /// 1 scheduled, 2 active, 3 completed, 4 canceled.
    pub status: u8,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LiveWebhook {
    pub id: u64,
    pub channel: ChannelId,
    pub name: String,
    pub avatar: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LiveMessages {
    pub channel: ChannelId,
    /// The bot's own messages (type 0), oldest first.
    pub own: Vec<super::messages::LiveMessage>,
    /// How many messages of the channel are pinned, read only when the file pins one there.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pins: Option<usize>,
}

/// Discord's limit on one message.
pub const MESSAGE_MAX: usize = 2000;

/// A line that ends one message and starts the next, whatever their lengths (`import` writes
/// it between messages that packing alone would not reproduce).
pub const MESSAGE_BREAK: &str = "<!-- next message -->";

/// Splits Markdown into messages of at most [`MESSAGE_MAX`] characters, deterministically:
/// whole paragraphs (separated by blank lines) are packed together; a paragraph too long for one
/// message is split between lines; a line too long is split between characters. Code fences are
/// kept whole where they fit. A [`MESSAGE_BREAK`] line outside code fences always starts a new
/// message.
pub fn split_message(text: &str) -> Vec<String> {
    let mut chunks: Vec<String> = vec![String::new()];
    let mut in_fence = false;
    for line in text.lines() {
        if line.trim_start().starts_with("```") {
            in_fence = !in_fence;
        }
        if !in_fence && line.trim() == MESSAGE_BREAK {
            chunks.push(String::new());
            continue;
        }
        if let Some(chunk) = chunks.last_mut() {
            chunk.push_str(line);
            chunk.push('\n');
        }
    }
    chunks.iter().flat_map(|chunk| pack(chunk)).collect()
}

/// [`split_message`] of text without breaks.
fn pack(text: &str) -> Vec<String> {
    let text = text.trim();
    if text.is_empty() {
        return Vec::new();
    }
    let mut pieces: Vec<String> = Vec::new();
    for paragraph in paragraphs(text) {
        if paragraph.chars().count() <= MESSAGE_MAX {
            pieces.push(paragraph);
            continue;
        }
        for line in paragraph.lines() {
            let mut line: Vec<char> = line.chars().collect();
            while line.len() > MESSAGE_MAX {
                let rest = line.split_off(MESSAGE_MAX);
                pieces.push(line.into_iter().collect());
                line = rest;
            }
            pieces.push(line.into_iter().collect());
        }
    }
    // Pack pieces: paragraphs joined by a blank line, lines of one split paragraph by a newline
    // would be nicer, but one separator keeps the rule simple and the result stable.
    let mut messages: Vec<String> = Vec::new();
    for piece in pieces {
        match messages.last_mut() {
            Some(current) if current.chars().count() + 2 + piece.chars().count() <= MESSAGE_MAX => {
                current.push_str("\n\n");
                current.push_str(&piece);
            }
            _ => messages.push(piece),
        }
    }
    messages
}

/// Paragraphs separated by blank lines, keeping fenced code blocks (```) in one piece.
fn paragraphs(text: &str) -> Vec<String> {
    let mut paragraphs = Vec::new();
    let mut current: Vec<&str> = Vec::new();
    let mut in_fence = false;
    for line in text.lines() {
        if line.trim_start().starts_with("```") {
            in_fence = !in_fence;
        }
        if line.trim().is_empty() && !in_fence {
            if !current.is_empty() {
                paragraphs.push(current.join("\n"));
                current.clear();
            }
        } else {
            current.push(line);
        }
    }
    if !current.is_empty() {
        paragraphs.push(current.join("\n"));
    }
    paragraphs
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_text_is_one_message() {
        assert_eq!(
            split_message("# Rules\n\nBe kind.\n"),
            ["# Rules\n\nBe kind."]
        );
        assert!(split_message("  \n").is_empty());
    }

    #[test]
    fn long_text_splits_between_paragraphs_deterministically() {
        let paragraph = "word ".repeat(150).trim().to_owned(); // 749 characters
        let text = vec![paragraph.clone(); 5].join("\n\n");
        let messages = split_message(&text);
        assert_eq!(messages.len(), 3);
        assert!(messages.iter().all(|m| m.chars().count() <= MESSAGE_MAX));
        assert_eq!(messages[0], format!("{paragraph}\n\n{paragraph}"));
        assert_eq!(split_message(&text), messages);
    }

    #[test]
    fn an_overlong_line_is_cut_between_characters() {
        let text = "é".repeat(4500);
        let messages = split_message(&text);
        assert_eq!(
            messages
                .iter()
                .map(|m| m.chars().count())
                .collect::<Vec<_>>(),
            [2000, 2000, 500]
        );
    }

    #[test]
    fn a_break_line_starts_a_new_message() {
        let text = format!("One\n{MESSAGE_BREAK}\nTwo\n\nThree\n");
        assert_eq!(split_message(&text), ["One", "Two\n\nThree"]);
        let fenced = format!("```\n{MESSAGE_BREAK}\n```");
        assert_eq!(split_message(&fenced), std::slice::from_ref(&fenced));
    }

    #[test]
    fn code_fences_stay_whole() {
        let text = "Intro\n\n```\nfn main() {\n\n}\n```\n\nOutro";
        assert_eq!(split_message(text), [text]);
    }
}
