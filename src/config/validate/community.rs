//! The community's front door: `[welcome_screen]` and `[onboarding]`, with the checks the
//! community features share (texts within limits, unique names, Community required). AutoMod,
//! events, and webhooks with kept messages are read in `automod.rs`, `events.rs` and
//! `webhooks.rs` beside this file.
//!
//! Everything here refers to roles by key and to channels by the name they have in this file;
//! references are checked against the declared roles and channels, with the kinds each feature
//! takes. Limits follow `DISCORD-API-NOTES.md` §2.11-2.15 and §4.8.

use std::ops::Range;

use super::{Claim, Validator, quoted};
use crate::config::names::{NOT_CATEGORY, TEXT_LIKE};
use crate::config::raw::{
    ONBOARDING_MODES, PROMPT_TYPES, RawFile, RawOnboarding, RawPrompt, RawWelcomeScreen, Sp,
};
use crate::config::suggest;
use crate::model::community::{
    Onboarding, OnboardingMode, Prompt, PromptKind, PromptOption, WelcomeChannel, WelcomeScreen,
};
use crate::model::{
    ChannelKey, ChannelKind, DesiredChannel, DesiredCommunity, DesiredGuildSettings,
    DesiredOverwrites, DesiredTarget,
};
use crate::permissions::Permissions;

/// Discord's limits on the community features.
pub mod community_limits {
    pub const WELCOME_DESCRIPTION_MAX: usize = 140;
    pub const WELCOME_CHANNELS: usize = 5;
    pub const WELCOME_CHANNEL_DESCRIPTION_MAX: usize = 50;
    pub const PROMPTS: usize = 15;
    pub const PROMPT_TITLE_MAX: usize = 100;
    pub const OPTIONS: usize = 50;
    pub const OPTION_TITLE_MAX: usize = 50;
    pub const OPTION_DESCRIPTION_MAX: usize = 100;
    /// Roles and channels per option.
    pub const OPTION_REFERENCES: usize = 50;
    pub const DEFAULT_CHANNELS: usize = 500;
    /// Discord's documented minimum of default channels for enabled onboarding ...
    pub const ONBOARDING_MIN_DEFAULT_CHANNELS: usize = 7;
    /// ... of which this many must let `@everyone` view and send messages.
    pub const ONBOARDING_MIN_WRITABLE: usize = 5;
    pub const RULE_ACTIONS: usize = 5;
    pub const EXEMPT_ROLES: usize = 20;
    pub const EXEMPT_CHANNELS: usize = 50;
    pub const KEYWORDS: usize = 1000;
    pub const KEYWORD_MAX: usize = 60;
    pub const REGEXES: usize = 10;
    pub const REGEX_MAX: usize = 260;
    pub const ALLOW: usize = 100;
    pub const PRESET_ALLOW: usize = 1000;
    pub const MENTION_LIMIT_MAX: i64 = 50;
    pub const BLOCK_MESSAGE_MAX: usize = 150;
    /// 28 days.
    pub const TIMEOUT_MAX: i64 = 2_419_200;
    pub const EVENT_DESCRIPTION_MAX: usize = 1000;
    pub const LOCATION_MAX: usize = 100;
    pub const WEBHOOK_NAME_MAX: usize = 80;
    pub const WEBHOOKS_PER_CHANNEL: usize = 15;
    /// Discord's upload limit for avatars [inferred: the notes give none for webhooks].
    pub const AVATAR_BYTES_MAX: usize = 10 * 1024 * 1024;
}

pub(super) use community_limits as cl;

/// How a limited text is checked.
pub(super) struct Text {
    pub what: &'static str,
    pub min: usize,
    pub max: usize,
}

impl Validator<'_> {
    pub(super) fn community(
        &mut self,
        raw: &RawFile,
        channels: &[DesiredChannel],
        settings: &DesiredGuildSettings,
        everyone: Option<Permissions>,
    ) -> DesiredCommunity {
        let welcome_screen = raw.welcome_screen.as_ref().map(|screen| {
            self.needs_community(
                screen.span.clone(),
                "the welcome screen",
                "[welcome_screen]",
                settings,
            );
            self.welcome_screen(&screen.value, channels)
        });
        let onboarding = raw.onboarding.as_ref().map(|onboarding| {
            self.needs_community(
                onboarding.span.clone(),
                "onboarding",
                "[onboarding]",
                settings,
            );
            self.onboarding(onboarding, channels, everyone)
        });
        let automod = self.automod(raw.automod.as_deref().unwrap_or_default(), channels);
        let events = self.events(raw.events.as_deref().unwrap_or_default(), channels);
        let webhooks = self.webhooks(raw.webhooks.as_deref().unwrap_or_default(), channels);
        let messages = self.messages(raw.messages.as_deref().unwrap_or_default(), channels);
        let emojis = self.emojis(raw.emojis.as_deref().unwrap_or_default());
        let sounds = self.sounds(raw.soundboard.as_deref().unwrap_or_default());
        let stickers = self.stickers(raw.stickers.as_deref().unwrap_or_default());
        DesiredCommunity {
            welcome_screen,
            onboarding,
            automod,
            events,
            webhooks,
            messages,
            invites: Default::default(),
            threads: Vec::new(),
            emojis,
            sounds,
            stickers,
        }
    }

    /// The welcome screen and onboarding exist on Community servers only.
    pub(super) fn needs_community(
        &mut self,
        span: Range<usize>,
        what: &str,
        table: &str,
        settings: &DesiredGuildSettings,
    ) {
        match settings.community {
            Some(true) => {}
            Some(false) => {
                self.error(
                    format!("{what} needs a Community server, and `[guild]` turns Community off"),
                    span,
                )
                .hint = Some(format!(
                    "set `community = true` in `[guild]` (with its preconditions), or remove `{table}`"
                ));
            }
            None => {
                self.warning(
                    format!("{what} needs a Community server, and this file does not manage Community"),
                    span,
                )
                .hint = Some(
                    "add `community = true` to `[guild]` (with its preconditions), or ignore this if the server already is one".into(),
                );
            }
        }
    }

    // ---- welcome screen ----------------------------------------------------------------------

    fn welcome_screen(
        &mut self,
        raw: &RawWelcomeScreen,
        channels: &[DesiredChannel],
    ) -> WelcomeScreen<ChannelKey> {
        let description = raw.description.as_ref().and_then(|description| {
            self.text(
                description,
                &Text {
                    what: "welcome screen description",
                    min: 0,
                    max: cl::WELCOME_DESCRIPTION_MAX,
                },
            );
            Some(description.value.clone()).filter(|text| !text.is_empty())
        });
        let mut list = Vec::new();
        if let Some(entries) = &raw.channels {
            self.at_most(
                entries,
                cl::WELCOME_CHANNELS,
                "welcome channels",
                "welcome channel",
            );
            let mut seen: Vec<(ChannelKey, Range<usize>)> = Vec::new();
            for entry in &entries.value {
                let entry = &entry.value;
                let channel = entry.channel.as_ref().and_then(|name| {
                    let found =
                        self.channel_named(name, "a welcome channel", TEXT_LIKE, channels)?;
                    if let Some((_, first)) = seen.iter().find(|(seen, _)| *seen == found) {
                        let line = self.line_of(first);
                        self.error(
                            format!("`{}` is on the welcome screen twice", name.value),
                            name.span.clone(),
                        )
                        .hint = Some(format!("it is also listed on line {line}"));
                        return None;
                    }
                    seen.push((found.clone(), name.span.clone()));
                    Some(found)
                });
                let description = entry.description.as_ref().map(|description| {
                    self.text(
                        description,
                        &Text {
                            what: "welcome channel description",
                            min: 1,
                            max: cl::WELCOME_CHANNEL_DESCRIPTION_MAX,
                        },
                    );
                    description.value.clone()
                });
                let emoji = entry.emoji.as_ref().and_then(|emoji| self.emoji(emoji));
                if let (Some(channel), Some(description)) = (channel, description) {
                    list.push(WelcomeChannel {
                        channel,
                        description,
                        emoji,
                    });
                }
            }
        }
        WelcomeScreen {
            enabled: raw.enabled.as_ref().is_none_or(|flag| flag.value),
            description,
            channels: list,
        }
    }

    // ---- onboarding --------------------------------------------------------------------------

    fn onboarding(
        &mut self,
        raw: &Sp<RawOnboarding>,
        channels: &[DesiredChannel],
        everyone: Option<Permissions>,
    ) -> Onboarding<ChannelKey, String> {
        let table = &raw.value;
        let enabled = table.enabled.as_ref().is_none_or(|flag| flag.value);
        let mode = match table.mode.as_ref() {
            None => OnboardingMode::Default,
            Some(mode) => match mode.value.as_str() {
                "default" => OnboardingMode::Default,
                "advanced" => OnboardingMode::Advanced,
                _ => {
                    self.unknown_name(mode, "onboarding mode", ONBOARDING_MODES);
                    OnboardingMode::Default
                }
            },
        };
        let default_channels = table
            .default_channels
            .as_ref()
            .map_or_else(Vec::new, |list| {
                if list.value.len() > cl::DEFAULT_CHANNELS {
                    self.error(
                        format!(
                            "{} default channels (Discord allows at most {})",
                            list.value.len(),
                            cl::DEFAULT_CHANNELS
                        ),
                        list.key_or_value(),
                    );
                }
                self.channel_list(&list.value, "a default channel", NOT_CATEGORY, channels)
            });
        let mut prompts = Vec::new();
        if let Some(list) = &table.prompts {
            self.at_most(list, cl::PROMPTS, "onboarding prompts", "prompt");
            let mut titles: Vec<Claim> = Vec::new();
            for prompt in &list.value {
                if let Some(prompt) = self.prompt(&prompt.value, &mut titles, channels) {
                    prompts.push(prompt);
                }
            }
        }
        if enabled {
            self.onboarding_requirements(
                raw,
                mode,
                &default_channels,
                &prompts,
                channels,
                everyone,
            );
        }
        Onboarding {
            enabled,
            mode,
            default_channels,
            prompts,
        }
    }

    /// Discord refuses to enable onboarding without 7 default channels, 5 of which `@everyone`
    /// can view and post in (advanced mode also counts the channels of onboarding questions).
    fn onboarding_requirements(
        &mut self,
        raw: &Sp<RawOnboarding>,
        mode: OnboardingMode,
        default_channels: &[ChannelKey],
        prompts: &[Prompt<ChannelKey, String>],
        channels: &[DesiredChannel],
        everyone: Option<Permissions>,
    ) {
        let mut counted: Vec<&ChannelKey> = default_channels.iter().collect();
        if mode == OnboardingMode::Advanced {
            for name in prompts
                .iter()
                .filter(|prompt| prompt.in_onboarding)
                .flat_map(|prompt| prompt.options.iter())
                .flat_map(|option| option.channels.iter())
            {
                if !counted.contains(&name) {
                    counted.push(name);
                }
            }
        }
        let span = raw
            .value
            .default_channels
            .as_ref()
            .map_or_else(|| raw.span.clone(), Sp::whole);
        let what = match (mode, counted.len()) {
            (OnboardingMode::Default, 1) => "default channel",
            (OnboardingMode::Default, _) => "default channels",
            (OnboardingMode::Advanced, _) => {
                "default channels and channels of onboarding questions"
            }
        };
        if counted.len() < cl::ONBOARDING_MIN_DEFAULT_CHANNELS {
            self.warning(
                format!(
                    "onboarding is enabled with {} {what}; Discord requires at least {}",
                    counted.len(),
                    cl::ONBOARDING_MIN_DEFAULT_CHANNELS
                ),
                span.clone(),
            )
            .hint = Some(format!(
                "Discord refuses to enable onboarding below that: list at least {} channels, or set `enabled = false`",
                cl::ONBOARDING_MIN_DEFAULT_CHANNELS
            ));
            return;
        }
        // Only the file's own permission model can tell who may post.
        let Some(everyone) = everyone else {
            return;
        };
        let writable = counted
            .iter()
            .filter(|key| {
                channels
                    .iter()
                    .find(|channel| key.names(channel))
                    .is_some_and(|channel| everyone_can_post(everyone, channel, channels))
            })
            .count();
        if writable < cl::ONBOARDING_MIN_WRITABLE {
            self.warning(
                format!(
                    "onboarding is enabled, but @everyone can view and post in only {writable} of its {what}; Discord requires at least {}",
                    cl::ONBOARDING_MIN_WRITABLE
                ),
                span,
            )
            .hint = Some(
                "with this file's `[everyone]` permissions and overwrites Discord refuses to enable onboarding: pick channels where @everyone has `view_channel` and `send_messages`, or set `enabled = false`".into(),
            );
        }
    }

    fn prompt(
        &mut self,
        raw: &RawPrompt,
        titles: &mut Vec<Claim>,
        channels: &[DesiredChannel],
    ) -> Option<Prompt<ChannelKey, String>> {
        let title = raw.title.as_ref().and_then(|title| {
            let ok = self.text(
                title,
                &Text {
                    what: "prompt title",
                    min: 1,
                    max: cl::PROMPT_TITLE_MAX,
                },
            );
            self.unique(
                title,
                titles,
                "two onboarding prompts have the title",
                "prompts are matched by title",
            );
            ok.then(|| title.value.clone())
        });
        let kind = match raw.kind.as_ref() {
            None => PromptKind::MultipleChoice,
            Some(kind) => match kind.value.as_str() {
                "multiple_choice" => PromptKind::MultipleChoice,
                "dropdown" => PromptKind::Dropdown,
                _ => {
                    self.unknown_name(kind, "prompt type", PROMPT_TYPES);
                    PromptKind::MultipleChoice
                }
            },
        };
        let mut options = Vec::new();
        if let Some(list) = &raw.options {
            if list.value.is_empty() {
                self.error("a prompt needs at least one option", list.whole())
                    .hint = Some("add `options = [{ title = \"...\" }]`".into());
            }
            self.at_most(list, cl::OPTIONS, "options in one prompt", "option");
            let mut option_titles: Vec<Claim> = Vec::new();
            for option in &list.value {
                let option = &option.value;
                let title = option.title.as_ref().and_then(|title| {
                    let ok = self.text(
                        title,
                        &Text {
                            what: "option title",
                            min: 1,
                            max: cl::OPTION_TITLE_MAX,
                        },
                    );
                    self.unique(
                        title,
                        &mut option_titles,
                        "two options of this prompt have the title",
                        "options are matched by title within their prompt",
                    );
                    ok.then(|| title.value.clone())
                });
                let description = option.description.as_ref().and_then(|description| {
                    self.text(
                        description,
                        &Text {
                            what: "option description",
                            min: 0,
                            max: cl::OPTION_DESCRIPTION_MAX,
                        },
                    );
                    Some(description.value.clone()).filter(|text| !text.is_empty())
                });
                let emoji = option.emoji.as_ref().and_then(|emoji| self.emoji(emoji));
                let roles = option.roles.as_ref().map_or_else(Vec::new, |list| {
                    self.at_most_values(list, cl::OPTION_REFERENCES, "roles in one option");
                    self.role_list(&list.value, "a role an option grants")
                });
                let option_channels = option.channels.as_ref().map_or_else(Vec::new, |list| {
                    self.at_most_values(list, cl::OPTION_REFERENCES, "channels in one option");
                    self.channel_list(
                        &list.value,
                        "a channel an option shows",
                        NOT_CATEGORY,
                        channels,
                    )
                });
                if let Some(title) = title {
                    options.push(PromptOption {
                        title,
                        description,
                        emoji,
                        roles,
                        channels: option_channels,
                    });
                }
            }
        }
        Some(Prompt {
            title: title?,
            kind,
            single_select: raw.single_select.as_ref().is_some_and(|flag| flag.value),
            required: raw.required.as_ref().is_some_and(|flag| flag.value),
            in_onboarding: raw.in_onboarding.as_ref().is_none_or(|flag| flag.value),
            options,
        })
    }

    // ---- AutoMod -----------------------------------------------------------------------------

    /// A limited text; `false` when it is out of bounds (reported).
    pub(super) fn text(&mut self, value: &Sp<String>, text: &Text) -> bool {
        let length = value.value.chars().count();
        if length < text.min {
            let what = text.what;
            let message = if what == "an entry" {
                "an entry is empty".to_owned()
            } else {
                format!("{what} is empty")
            };
            self.error(message, value.span.clone()).hint = Some(format!(
                "Discord needs {}-{} characters",
                text.min, text.max
            ));
            return false;
        }
        if length > text.max {
            let what = if text.what == "an entry" {
                "this entry"
            } else {
                text.what
            };
            self.error(
                format!(
                    "{what} is {length} characters long (Discord allows at most {})",
                    text.max
                ),
                value.span.clone(),
            );
            return false;
        }
        true
    }

    /// Reports a second claim on the same name.
    pub(super) fn unique(
        &mut self,
        name: &Sp<String>,
        claims: &mut Vec<Claim>,
        message: &str,
        why: &str,
    ) {
        if let Some(first) = claims.iter().find(|claim| claim.name == name.value) {
            let line = self.line_of(&first.span);
            self.error(format!("{message} `{}`", name.value), name.span.clone())
                .hint = Some(format!(
                "the first is on line {line}; {why}, so they must be unique"
            ));
            return;
        }
        claims.push(Claim {
            name: name.value.clone(),
            span: name.span.clone(),
        });
    }

    /// A list of tables with a cap: the first one over it is reported.
    pub(super) fn at_most<T>(&mut self, list: &Sp<Vec<Sp<T>>>, max: usize, what: &str, one: &str) {
        if list.value.len() > max {
            self.error(
                format!("{} {what} (Discord allows at most {max})", list.value.len()),
                list.value[max].span.clone(),
            )
            .hint = Some(format!("this is {one} number {}", max + 1));
        }
    }

    /// A list of values with a cap.
    pub(super) fn at_most_values(&mut self, list: &Sp<Vec<Sp<String>>>, max: usize, what: &str) {
        if list.value.len() > max {
            self.error(
                format!("{} {what} (Discord allows at most {max})", list.value.len()),
                list.value[max].span.clone(),
            );
        }
    }

    pub(super) fn unknown_name(&mut self, value: &Sp<String>, what: &str, names: &[&str]) {
        let hint = match suggest(&value.value, names.iter().copied()) {
            Some(close) => format!("did you mean `{close}`?"),
            None => format!("write one of {}", quoted(names.iter().copied())),
        };
        self.error(
            format!("unknown {what} `{}`", value.value),
            value.span.clone(),
        )
        .hint = Some(hint);
    }
}

/// Whether `@everyone` can view `channel` and send messages in it, by the file's permissions.
fn everyone_can_post(
    everyone: Permissions,
    channel: &DesiredChannel,
    channels: &[DesiredChannel],
) -> bool {
    if everyone.contains(Permissions::ADMINISTRATOR) {
        return true;
    }
    let overwrites = match &channel.overwrites {
        DesiredOverwrites::Explicit(list) => Some(list),
        DesiredOverwrites::SyncWithParent => channel
            .parent
            .as_ref()
            .and_then(|parent| {
                channels
                    .iter()
                    .find(|c| c.kind == ChannelKind::Category && c.name == *parent)
            })
            .and_then(|parent| match &parent.overwrites {
                DesiredOverwrites::Explicit(list) => Some(list),
                DesiredOverwrites::SyncWithParent => None,
            }),
    };
    let mut permissions = everyone;
    if let Some(overwrite) = overwrites
        .into_iter()
        .flatten()
        .find(|overwrite| overwrite.target == DesiredTarget::Everyone)
    {
        permissions = permissions
            .difference(overwrite.deny)
            .union(overwrite.allow);
    }
    permissions.contains(Permissions::VIEW_CHANNEL.union(Permissions::SEND_MESSAGES))
}
