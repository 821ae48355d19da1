//! `[[automod]]`: AutoMod rules, their triggers and actions, within Discord's limits.

use super::community::{Text, community_limits as cl};
use super::{Claim, Validator, quoted};
use crate::config::names::{ANY, POSTABLE};
use crate::config::raw::{ACTIONS, PRESETS, RawAction, RawAutoModRule, Sp, TRIGGERS};
use crate::model::community::{AutoModAction, AutoModRule, KeywordPreset, Trigger};
use crate::model::{ChannelKey, DesiredChannel};

impl Validator<'_> {
    pub(super) fn automod(
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
    pub(super) fn trigger(
        &mut self,
        rule: &RawAutoModRule,
        trigger: &Sp<String>,
    ) -> Option<Trigger> {
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

    pub(super) fn action(
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
}
