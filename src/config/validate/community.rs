//! The community's front door and routines: `[welcome_screen]`, `[onboarding]`, `[[automod]]`,
//! `[[events]]`, `[[webhooks]]` and `[[messages]]`.
//!
//! Everything here refers to roles by key and to channels by the name they have in this file;
//! references are checked against the declared roles and channels, with the kinds each feature
//! takes. Limits follow `DISCORD-API-NOTES.md` §2.11-2.15 and §4.8.

use std::ops::Range;

use jiff::civil::DateTime;
use jiff::tz::TimeZone;

use super::images::Image;
use super::{Claim, Validator, quoted};
use crate::config::names::{ANY, NOT_CATEGORY, POSTABLE, TEXT_LIKE};
use crate::config::raw::{
    ACTIONS, ONBOARDING_MODES, PRESETS, PROMPT_TYPES, REPEATS, RawAction, RawAutoModRule, RawEvent,
    RawFile, RawMessages, RawOnboarding, RawPrompt, RawWebhook, RawWelcomeScreen, Sp, TRIGGERS,
};
use crate::config::suggest;
use crate::model::community::{
    AutoModAction, AutoModRule, Event, EventLocation, KeywordPreset, Onboarding, OnboardingMode,
    PostedMessages, Prompt, PromptKind, PromptOption, Recurrence, Schedule, Trigger, Webhook,
    WebhookSources, WelcomeChannel, WelcomeScreen,
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

use community_limits as cl;

/// How a limited text is checked.
struct Text {
    what: &'static str,
    min: usize,
    max: usize,
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
    fn needs_community(
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

    fn automod(
        &mut self,
        raw: &[Sp<RawAutoModRule>],
        channels: &[DesiredChannel],
    ) -> Vec<AutoModRule<ChannelKey, String>> {
        let mut names: Vec<Claim> = Vec::new();
        // Rules per trigger type so far, for Discord's caps.
        let mut per_type: Vec<(u8, usize)> = Vec::new();
        let mut rules = Vec::new();
        for rule in raw {
            let rule = &rule.value;
            let name = rule.name.as_ref().and_then(|name| {
                let ok = self.check_name(name, "rule name");
                self.unique(
                    name,
                    &mut names,
                    "two AutoMod rules are named",
                    "rules are matched by name",
                );
                ok.then(|| name.value.clone())
            });
            let trigger = rule
                .trigger
                .as_ref()
                .and_then(|trigger| self.trigger(rule, trigger));
            if let (Some(trigger), Some(written)) = (&trigger, &rule.trigger) {
                let kind = trigger.discord_type();
                let count = match per_type.iter_mut().find(|(t, _)| *t == kind) {
                    Some((_, count)) => {
                        *count += 1;
                        *count
                    }
                    None => {
                        per_type.push((kind, 1));
                        1
                    }
                };
                if count == trigger.max_per_guild() + 1 {
                    let max = trigger.max_per_guild();
                    self.error(
                        format!(
                            "too many `{}` rules: Discord allows {}",
                            written.value,
                            if max == 1 {
                                "one".to_owned()
                            } else {
                                format!("at most {max}")
                            }
                        ),
                        written.whole(),
                    )
                    .hint = Some(if max == 1 {
                        "merge this rule into the other one".into()
                    } else {
                        "merge some of these rules: one rule holds up to 1000 keywords and 10 patterns".into()
                    });
                }
            }
            let actions = rule.actions.as_ref().map_or_else(Vec::new, |list| {
                if list.value.is_empty() {
                    self.error("a rule needs at least one action", list.whole())
                        .hint = Some("add `{ type = \"block\" }`, `{ type = \"alert\", channel = \"...\" }` or `{ type = \"timeout\", duration = 600 }`".into());
                }
                self.at_most(list, cl::RULE_ACTIONS, "actions in one rule", "action");
                list.value
                    .iter()
                    .filter_map(|action| self.action(&action.value, trigger.as_ref(), channels))
                    .collect()
            });
            let exempt_roles = rule.exempt_roles.as_ref().map_or_else(Vec::new, |list| {
                self.at_most_values(list, cl::EXEMPT_ROLES, "exempt roles");
                self.role_list(&list.value, "an exempt role")
            });
            let exempt_channels = rule.exempt_channels.as_ref().map_or_else(Vec::new, |list| {
                self.at_most_values(list, cl::EXEMPT_CHANNELS, "exempt channels");
                self.channel_list(&list.value, "an exempt channel", ANY, channels)
            });
            if let (Some(name), Some(trigger)) = (name, trigger) {
                rules.push(AutoModRule {
                    name,
                    trigger,
                    actions,
                    enabled: rule.enabled.as_ref().is_none_or(|flag| flag.value),
                    exempt_roles,
                    exempt_channels,
                });
            }
        }
        rules
    }

    /// The trigger and its metadata; keys of other triggers are errors.
    fn trigger(&mut self, rule: &RawAutoModRule, trigger: &Sp<String>) -> Option<Trigger> {
        let kind = trigger.value.as_str();
        if !TRIGGERS.contains(&kind) {
            self.unknown_name(trigger, "trigger", TRIGGERS);
            return None;
        }
        let keys: [(&str, bool, &[&str]); 6] = [
            (
                "keywords",
                rule.keywords.is_some(),
                &["keyword", "member_profile"],
            ),
            (
                "regex",
                rule.regex.is_some(),
                &["keyword", "member_profile"],
            ),
            (
                "allow",
                rule.allow.is_some(),
                &["keyword", "member_profile", "keyword_preset"],
            ),
            ("presets", rule.presets.is_some(), &["keyword_preset"]),
            (
                "mention_limit",
                rule.mention_limit.is_some(),
                &["mention_spam"],
            ),
            (
                "raid_protection",
                rule.raid_protection.is_some(),
                &["mention_spam"],
            ),
        ];
        let spans = [
            rule.keywords.as_ref().map(Sp::whole),
            rule.regex.as_ref().map(Sp::whole),
            rule.allow.as_ref().map(Sp::whole),
            rule.presets.as_ref().map(Sp::whole),
            rule.mention_limit.as_ref().map(Sp::whole),
            rule.raid_protection.as_ref().map(Sp::whole),
        ];
        for ((key, present, applies), span) in keys.iter().zip(spans) {
            if *present && !applies.contains(&kind) {
                let for_whom = applies
                    .iter()
                    .map(|t| format!("`{t}`"))
                    .collect::<Vec<_>>()
                    .join(" and ");
                self.error(
                    format!("`{key}` does not apply to `{kind}` rules"),
                    span.unwrap_or_else(|| trigger.whole()),
                )
                .hint = Some(format!("`{key}` is for {for_whom} rules only; remove it"));
            }
        }
        let strings = |this: &mut Self, list: &Option<Sp<Vec<Sp<String>>>>, what, count, max| {
            list.as_ref().map_or_else(Vec::new, |list| {
                this.at_most_values(list, count, what);
                for item in &list.value {
                    this.text(
                        item,
                        &Text {
                            what: "an entry",
                            min: 1,
                            max,
                        },
                    );
                }
                list.value.iter().map(|item| item.value.clone()).collect()
            })
        };
        Some(match kind {
            "keyword" | "member_profile" => {
                let keywords = strings(
                    self,
                    &rule.keywords,
                    "keywords",
                    cl::KEYWORDS,
                    cl::KEYWORD_MAX,
                );
                let regex = strings(
                    self,
                    &rule.regex,
                    "regex patterns",
                    cl::REGEXES,
                    cl::REGEX_MAX,
                );
                let allow = strings(
                    self,
                    &rule.allow,
                    "allowed words",
                    cl::ALLOW,
                    cl::KEYWORD_MAX,
                );
                if keywords.is_empty() && regex.is_empty() {
                    self.error(
                        format!("a `{kind}` rule needs `keywords` or `regex`"),
                        trigger.whole(),
                    )
                    .hint = Some("without either it can never fire".into());
                }
                if kind == "keyword" {
                    Trigger::Keyword {
                        keywords,
                        regex,
                        allow,
                    }
                } else {
                    Trigger::MemberProfile {
                        keywords,
                        regex,
                        allow,
                    }
                }
            }
            "keyword_preset" => {
                let allow = strings(
                    self,
                    &rule.allow,
                    "allowed words",
                    cl::PRESET_ALLOW,
                    cl::KEYWORD_MAX,
                );
                let mut presets = Vec::new();
                match &rule.presets {
                    None => {
                        self.error("a `keyword_preset` rule needs `presets`", trigger.whole())
                            .hint = Some(format!(
                            "add `presets = [...]` with some of {}",
                            quoted(PRESETS.iter().copied())
                        ));
                    }
                    Some(list) if list.value.is_empty() => {
                        self.error("`presets` is empty", list.whole()).hint =
                            Some(format!("list some of {}", quoted(PRESETS.iter().copied())));
                    }
                    Some(list) => {
                        for preset in &list.value {
                            let value = match preset.value.as_str() {
                                "profanity" => KeywordPreset::Profanity,
                                "sexual_content" => KeywordPreset::SexualContent,
                                "slurs" => KeywordPreset::Slurs,
                                _ => {
                                    self.unknown_name(preset, "keyword preset", PRESETS);
                                    continue;
                                }
                            };
                            if presets.contains(&value) {
                                self.error(
                                    format!("preset `{}` is listed twice", preset.value),
                                    preset.span.clone(),
                                )
                                .hint = Some("Discord wants each preset once; remove one".into());
                                continue;
                            }
                            presets.push(value);
                        }
                    }
                }
                Trigger::KeywordPreset { presets, allow }
            }
            "mention_spam" => {
                let limit = match &rule.mention_limit {
                    None => {
                        self.error("a `mention_spam` rule needs `mention_limit`", trigger.whole())
                            .hint = Some("add `mention_limit = <0-50>`: the most distinct mentions one message may hold".into());
                        0
                    }
                    Some(limit) => self
                        .in_range(limit, "mention_limit", 0, cl::MENTION_LIMIT_MAX, "")
                        .and_then(|value| u8::try_from(value).ok())
                        .unwrap_or(0),
                };
                Trigger::MentionSpam {
                    limit,
                    raid_protection: rule.raid_protection.as_ref().is_some_and(|flag| flag.value),
                }
            }
            _ => Trigger::Spam,
        })
    }

    fn action(
        &mut self,
        raw: &RawAction,
        trigger: Option<&Trigger>,
        channels: &[DesiredChannel],
    ) -> Option<AutoModAction<ChannelKey>> {
        let kind = raw.kind.as_ref()?;
        let name = kind.value.as_str();
        if !ACTIONS.contains(&name) {
            self.unknown_name(kind, "action type", ACTIONS);
            return None;
        }
        for (key, span, owner) in [
            ("message", raw.message.as_ref().map(Sp::whole), "block"),
            ("channel", raw.channel.as_ref().map(Sp::whole), "alert"),
            ("duration", raw.duration.as_ref().map(Sp::whole), "timeout"),
        ] {
            if let Some(span) = span
                && name != owner
            {
                self.error(format!("`{key}` does not apply to `{name}` actions"), span)
                    .hint = Some(format!("`{key}` is for `{owner}` actions only; remove it"));
            }
        }
        let trigger_name = |trigger: &Trigger| match trigger {
            Trigger::Keyword { .. } => "keyword",
            Trigger::Spam => "spam",
            Trigger::KeywordPreset { .. } => "keyword_preset",
            Trigger::MentionSpam { .. } => "mention_spam",
            Trigger::MemberProfile { .. } => "member_profile",
        };
        match name {
            "block" => {
                let message = raw.message.as_ref().and_then(|message| {
                    self.text(
                        message,
                        &Text {
                            what: "block message",
                            min: 0,
                            max: cl::BLOCK_MESSAGE_MAX,
                        },
                    );
                    Some(message.value.clone()).filter(|text| !text.is_empty())
                });
                Some(AutoModAction::Block { message })
            }
            "alert" => match &raw.channel {
                None => {
                    self.error("an `alert` action needs `channel`", kind.whole())
                        .hint =
                        Some("add `channel = \"<text channel>\"`: where alerts are posted".into());
                    None
                }
                Some(channel) => self
                    .channel_named(channel, "an alert channel", POSTABLE, channels)
                    .map(|channel| AutoModAction::Alert { channel }),
            },
            "timeout" => {
                if let Some(trigger) = trigger
                    && !matches!(
                        trigger,
                        Trigger::Keyword { .. } | Trigger::MentionSpam { .. }
                    )
                {
                    self.error(
                        format!(
                            "`timeout` actions are not available on `{}` rules",
                            trigger_name(trigger)
                        ),
                        kind.whole(),
                    )
                    .hint = Some(
                        "Discord times members out only for `keyword` and `mention_spam` rules"
                            .into(),
                    );
                }
                match &raw.duration {
                    None => {
                        self.error("a `timeout` action needs `duration`", kind.whole())
                            .hint =
                            Some("add `duration = <seconds>`, at most 2419200 (28 days)".into());
                        None
                    }
                    Some(duration) => self
                        .in_range(duration, "duration", 0, cl::TIMEOUT_MAX, " seconds")
                        .map(|seconds| AutoModAction::Timeout { seconds }),
                }
            }
            _ => {
                if let Some(trigger) = trigger
                    && !matches!(trigger, Trigger::MemberProfile { .. })
                {
                    self.error(
                        format!(
                            "`block_interaction` actions are not available on `{}` rules",
                            trigger_name(trigger)
                        ),
                        kind.whole(),
                    )
                    .hint = Some("it keeps members with a matching profile from interacting: `member_profile` rules only".into());
                }
                Some(AutoModAction::BlockMemberInteraction)
            }
        }
    }

    // ---- events ------------------------------------------------------------------------------

    fn events(
        &mut self,
        raw: &[Sp<RawEvent>],
        channels: &[DesiredChannel],
    ) -> Vec<Event<ChannelKey>> {
        let mut names: Vec<Claim> = Vec::new();
        let mut events = Vec::new();
        for event in raw {
            let span = event.span.clone();
            let event = &event.value;
            let name = event.name.as_ref().and_then(|name| {
                let ok = self.check_name(name, "event name");
                self.unique(
                    name,
                    &mut names,
                    "two events are named",
                    "events are matched by name",
                );
                ok.then(|| name.value.clone())
            });
            let description = event.description.as_ref().and_then(|description| {
                self.text(
                    description,
                    &Text {
                        what: "event description",
                        min: 0,
                        max: cl::EVENT_DESCRIPTION_MAX,
                    },
                );
                Some(description.value.clone()).filter(|text| !text.is_empty())
            });
            let location = self.event_location(event, span, channels);
            let schedule = self.schedule(event);
            if let (Some(name), Some(location), Some(schedule)) = (name, location, schedule) {
                events.push(Event {
                    name,
                    description,
                    location,
                    schedule,
                });
            }
        }
        events
    }

    fn event_location(
        &mut self,
        event: &RawEvent,
        span: Range<usize>,
        channels: &[DesiredChannel],
    ) -> Option<EventLocation<ChannelKey>> {
        let given: Vec<(&str, &Sp<String>)> = [
            ("stage", &event.stage),
            ("voice", &event.voice),
            ("location", &event.location),
        ]
        .into_iter()
        .filter_map(|(key, value)| Some((key, value.as_ref()?)))
        .collect();
        match given.as_slice() {
            [] => {
                // A place of the wrong type was reported by the reader.
                if event.stage.is_none() && event.voice.is_none() && event.location.is_none() {
                    self.error("an event needs a place", span).hint = Some(
                        "add `stage = \"<stage channel>\"`, `voice = \"<voice channel>\"` or `location = \"<place or URL>\"`".into(),
                    );
                }
                None
            }
            [("stage", name)] => self
                .channel_named(name, "`stage`", &[ChannelKind::Stage], channels)
                .map(EventLocation::Stage),
            [("voice", name)] => self
                .channel_named(name, "`voice`", &[ChannelKind::Voice], channels)
                .map(EventLocation::Voice),
            [(_, place)] => self
                .text(
                    place,
                    &Text {
                        what: "location",
                        min: 1,
                        max: cl::LOCATION_MAX,
                    },
                )
                .then(|| EventLocation::External(place.value.clone())),
            [(first, _), rest @ ..] => {
                for (key, value) in rest {
                    self.error(
                        format!("`{key}` cannot be combined with `{first}`"),
                        value.whole(),
                    )
                    .hint = Some("an event happens in one place: keep one of `stage`, `voice` and `location`".into());
                }
                None
            }
        }
    }

    fn schedule(&mut self, event: &RawEvent) -> Option<Schedule> {
        let timezone = event.timezone.as_ref().and_then(|zone| {
            if TimeZone::get(&zone.value).is_ok() {
                return Some(zone.value.clone());
            }
            let names: Vec<String> = jiff::tz::db()
                .available()
                .map(|name| name.to_string())
                .collect();
            let hint = match suggest(&zone.value, names.iter().map(String::as_str)) {
                Some(close) => format!("did you mean `{close}`?"),
                None => "write an IANA time zone name, like `Asia/Tokyo`, `Europe/Berlin` or `UTC`"
                    .into(),
            };
            self.error(
                format!("unknown time zone `{}`", zone.value),
                zone.span.clone(),
            )
            .hint = Some(hint);
            None
        });
        let start = event.start.as_ref().and_then(|start| self.start(start));
        let duration = event.duration.as_ref().and_then(|minutes| {
            if minutes.value < 1 {
                let error = self.error(
                    format!(
                        "`duration` must be at least 1 minute, found {}",
                        minutes.value
                    ),
                    minutes.span.clone(),
                );
                if event.location.is_some() {
                    error.hint =
                        Some("Discord needs an end time for events outside the server".into());
                }
                return None;
            }
            u32::try_from(minutes.value).ok().or_else(|| {
                self.error("`duration` is too long", minutes.span.clone());
                None
            })
        });
        let recurrence = match (&event.repeat, &event.week) {
            (None, None) => Some(None),
            (None, Some(week)) => {
                self.error("`week` only applies to monthly events", week.whole())
                    .hint = Some("add `repeat = \"monthly\"`, or remove `week`".into());
                None
            }
            (Some(repeat), week) => match repeat.value.as_str() {
                "weekly" => {
                    if let Some(week) = week {
                        self.error("`week` only applies to monthly events", week.whole())
                            .hint = Some(
                            "weekly events repeat on the start's weekday; remove `week`".into(),
                        );
                    }
                    Some(Some(Recurrence::Weekly))
                }
                "monthly" => match week {
                    None => {
                        self.error("a monthly event needs `week`", repeat.whole())
                            .hint = Some("add `week = 1` for the first of the start's weekday in each month (1-5)".into());
                        None
                    }
                    Some(week) => {
                        let value = self
                            .in_range(week, "week", 1, 5, "")
                            .and_then(|value| u8::try_from(value).ok());
                        if let (Some(value), Some(start)) = (value, start) {
                            self.nth_weekday(start, value, week);
                        }
                        value.map(|week| Some(Recurrence::MonthlyNthWeekday { week }))
                    }
                },
                other => {
                    let error =
                        self.error(format!("unknown repeat `{other}`"), repeat.span.clone());
                    error.hint = Some(match suggest(other, REPEATS.iter().copied()) {
                        Some(close) => format!("did you mean `{close}`?"),
                        None => "write `weekly` or `monthly` (with `week`), or leave `repeat` out for a one-off event".into(),
                    });
                    None
                }
            },
        };
        Some(Schedule {
            start: start?,
            timezone: timezone?,
            duration_minutes: duration?,
            recurrence: recurrence?,
        })
    }

    fn start(&mut self, start: &Sp<String>) -> Option<DateTime> {
        let text = start.value.as_str();
        let time_part = text
            .split_once(['T', 't', ' '])
            .map_or("", |(_, time)| time);
        if time_part.contains(['+', '-', 'Z', 'z', '[']) {
            self.error(
                format!("`{text}` has an offset or a time zone"),
                start.span.clone(),
            )
            .hint = Some(
                "write the local date and time alone, like `2026-12-07T18:00`, and the zone in `timezone`".into(),
            );
            return None;
        }
        match text.parse::<DateTime>() {
            Ok(datetime) if !time_part.is_empty() => Some(datetime),
            _ => {
                self.error(
                    format!("`{text}` is not a date and time"),
                    start.span.clone(),
                )
                .hint = Some("write it as `YYYY-MM-DDTHH:MM`, like `2026-12-07T18:00`".into());
                None
            }
        }
    }

    /// A monthly event on the n-th weekday must start on such a day.
    fn nth_weekday(&mut self, start: DateTime, week: u8, at: &Sp<i64>) {
        let date = start.date();
        let actual = (date.day() - 1) / 7 + 1;
        if i64::from(actual) == i64::from(week) {
            return;
        }
        let weekday = date.weekday();
        let ordinal = |n: i64| match n {
            1 => "first",
            2 => "second",
            3 => "third",
            4 => "fourth",
            _ => "fifth",
        };
        // Such a day in the start's month, or the first month that has one.
        let mut month = date.first_of_month();
        let mut proposal = None;
        for _ in 0..12 {
            if let Ok(day) = month.nth_weekday_of_month(i8::try_from(week).unwrap_or(1), weekday) {
                proposal = Some(day);
                break;
            }
            match month.checked_add(jiff::Span::new().months(1)) {
                Ok(next) => month = next,
                Err(_) => break,
            }
        }
        let weekday_name = format!("{weekday:?}");
        self.error(
            format!(
                "{date} is the {} {weekday_name} of its month, not the {}",
                ordinal(i64::from(actual)),
                ordinal(i64::from(week))
            ),
            at.whole(),
        )
        .hint = Some(match proposal {
            Some(day) => format!(
                "the start is the first occurrence: start on a {} {weekday_name}, like {day}",
                ordinal(i64::from(week))
            ),
            None => format!("start on a {} {weekday_name}", ordinal(i64::from(week))),
        });
    }

    // ---- webhooks ----------------------------------------------------------------------------

    fn webhooks(
        &mut self,
        raw: &[Sp<RawWebhook>],
        channels: &[DesiredChannel],
    ) -> Vec<(Webhook<ChannelKey>, WebhookSources)> {
        // (channel, name) claims, and the number per channel.
        let mut claims: Vec<(ChannelKey, Claim)> = Vec::new();
        let mut webhooks = Vec::new();
        for webhook in raw {
            let webhook = &webhook.value;
            let name = webhook
                .name
                .as_ref()
                .and_then(|name| self.webhook_name(name));
            let channel = webhook.channel.as_ref().and_then(|channel| {
                self.channel_named(channel, "a webhook's channel", TEXT_LIKE, channels)
            });
            if let (Some(name), Some(channel), Some(written), Some(channel_text)) =
                (&name, &channel, &webhook.name, &webhook.channel)
            {
                let channel_text = &channel_text.value;
                if let Some((_, first)) = claims
                    .iter()
                    .find(|(c, claim)| c == channel && claim.name == *name)
                {
                    let line = self.line_of(&first.span);
                    self.error(
                        format!("two webhooks of `{channel_text}` are named `{name}`"),
                        written.span.clone(),
                    )
                    .hint = Some(format!(
                        "the first is on line {line}; webhooks are matched by name in their channel"
                    ));
                }
                claims.push((
                    channel.clone(),
                    Claim {
                        name: name.clone(),
                        span: written.span.clone(),
                    },
                ));
                let count = claims.iter().filter(|(c, _)| c == channel).count();
                if count == cl::WEBHOOKS_PER_CHANNEL + 1 {
                    self.error(
                        format!(
                            "`{channel_text}` has more than {} webhooks (Discord's limit per channel)",
                            cl::WEBHOOKS_PER_CHANNEL
                        ),
                        written.span.clone(),
                    )
                    .hint = Some(
                        "post from several sources through one webhook, or use another channel"
                            .into(),
                    );
                }
            }
            let avatar = webhook.avatar.as_ref().and_then(|avatar| {
                self.image(
                    avatar,
                    &Image {
                        what: "avatar",
                        max_bytes: cl::AVATAR_BYTES_MAX,
                        too_big: "shrink the image; avatars show at 128×128 at most",
                        accepted: "Discord accepts PNG, JPEG, GIF and WebP avatars",
                    },
                )
            });
            let mut github: Vec<String> = Vec::new();
            for repository in webhook.github.iter().flat_map(|list| list.value.iter()) {
                let text = repository.value.as_str();
                let valid = text.split_once('/').is_some_and(|(owner, name)| {
                    !owner.is_empty()
                        && !name.is_empty()
                        && owner.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
                        && name
                            .chars()
                            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
                });
                if !valid {
                    let hint = match text
                        .strip_prefix("https://github.com/")
                        .map(|rest| rest.trim_end_matches('/'))
                    {
                        Some(rest) => format!("write `{rest}`"),
                        None => "write repositories as `owner/name`, like `miyabi-ai/core`".into(),
                    };
                    self.error(
                        format!("`{text}` is not a GitHub repository"),
                        repository.span.clone(),
                    )
                    .hint = Some(hint);
                } else if github.iter().any(|seen| seen.eq_ignore_ascii_case(text)) {
                    self.warning(
                        format!("repository `{text}` is listed twice"),
                        repository.span.clone(),
                    )
                    .hint = Some("remove one of them".into());
                } else {
                    github.push(text.to_owned());
                }
            }
            if let (Some(name), Some(channel)) = (name, channel) {
                webhooks.push((
                    Webhook {
                        channel,
                        name,
                        avatar,
                    },
                    WebhookSources { github },
                ));
            }
        }
        webhooks
    }

    fn webhook_name(&mut self, name: &Sp<String>) -> Option<String> {
        if !self.check_name(name, "webhook name") {
            return None;
        }
        let length = name.value.chars().count();
        if length > cl::WEBHOOK_NAME_MAX {
            self.error(
                format!(
                    "webhook name is {length} characters long (Discord allows at most {})",
                    cl::WEBHOOK_NAME_MAX
                ),
                name.span.clone(),
            );
            return None;
        }
        let lower = name.value.to_lowercase();
        if let Some(word) = ["clyde", "discord"]
            .into_iter()
            .find(|word| lower.contains(word))
        {
            self.error(
                format!("webhook names cannot contain \"{word}\""),
                name.span.clone(),
            )
            .hint = Some("Discord rejects them, in any case; pick another name".into());
            return None;
        }
        Some(name.value.clone())
    }

    // ---- posted messages ---------------------------------------------------------------------

    fn messages(
        &mut self,
        raw: &[Sp<RawMessages>],
        channels: &[DesiredChannel],
    ) -> Vec<PostedMessages<ChannelKey>> {
        let mut seen: Vec<(ChannelKey, Range<usize>)> = Vec::new();
        let mut posted = Vec::new();
        for entry in raw {
            let entry = &entry.value;
            let channel = entry.channel.as_ref().and_then(|written| {
                let name = self.channel_named(written, "a channel for messages", POSTABLE, channels)?;
                if let Some((_, first)) = seen.iter().find(|(seen, _)| *seen == name) {
                    let line = self.line_of(first);
                    self.error(
                        format!("`{}` already has its messages", written.value),
                        written.span.clone(),
                    )
                    .hint = Some(format!(
                        "the other `[[messages]]` is on line {line}; one file per channel: merge the two files"
                    ));
                    return None;
                }
                seen.push((name.clone(), written.span.clone()));
                Some(name)
            });
            let parts = entry
                .file
                .as_ref()
                .and_then(|file| self.message_file(file, channels));
            if let (Some(channel), Some(parts), Some(file)) = (channel, parts, &entry.file) {
                posted.push(PostedMessages {
                    channel,
                    source: file.value.clone(),
                    parts,
                });
            }
        }
        posted
    }

    /// The Markdown file's text, as Discord messages (see `messages.rs`).
    fn message_file(
        &mut self,
        file: &Sp<String>,
        channels: &[DesiredChannel],
    ) -> Option<Vec<crate::model::messages::MessagePart<ChannelKey, String>>> {
        let path = self.beside_file(&file.value);
        let text =
            match crate::config::files::read_text(&path, crate::config::files::MESSAGE_FILE_MAX) {
                Ok(text) => text,
                Err(problem) => {
                    let hint = match &problem {
                        crate::config::files::FileProblem::Io(error)
                            if error.kind() == std::io::ErrorKind::NotFound =>
                        {
                            format!(
                                "message files are relative to the folder of {}",
                                self.source.name
                            )
                        }
                        other => other.hint().to_owned(),
                    };
                    self.error(
                        format!("cannot read `{}`: {problem}", path.display()),
                        file.span.clone(),
                    )
                    .hint = Some(hint);
                    return None;
                }
            };
        self.message_parts(file, text, channels)
    }

    // ---- shared ------------------------------------------------------------------------------

    /// A limited text; `false` when it is out of bounds (reported).
    fn text(&mut self, value: &Sp<String>, text: &Text) -> bool {
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
    fn unique(&mut self, name: &Sp<String>, claims: &mut Vec<Claim>, message: &str, why: &str) {
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
    fn at_most<T>(&mut self, list: &Sp<Vec<Sp<T>>>, max: usize, what: &str, one: &str) {
        if list.value.len() > max {
            self.error(
                format!("{} {what} (Discord allows at most {max})", list.value.len()),
                list.value[max].span.clone(),
            )
            .hint = Some(format!("this is {one} number {}", max + 1));
        }
    }

    /// A list of values with a cap.
    fn at_most_values(&mut self, list: &Sp<Vec<Sp<String>>>, max: usize, what: &str) {
        if list.value.len() > max {
            self.error(
                format!("{} {what} (Discord allows at most {max})", list.value.len()),
                list.value[max].span.clone(),
            );
        }
    }

    fn unknown_name(&mut self, value: &Sp<String>, what: &str, names: &[&str]) {
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
