//! Import of the community features: welcome screen, onboarding, AutoMod rules, scheduled
//! events and webhooks (posted messages are not imported: their text belongs in Markdown files
//! the import cannot name).
//!
//! Each object is written whole or not at all: something the file cannot state (a role it has no
//! key for, a channel it cannot name unambiguously, a value outside the file's limits) leaves the
//! object out with a comment, so it is not managed and a plan shows no change for it.
//!
//! Events are written in UTC: `start` is the live start as a UTC civil time, so a recurring
//! event's weekday, time and week compare equal to what Discord holds.

use std::collections::HashSet;

use jiff::tz::TimeZone;

use super::{Importer, emoji, name_problem, string};
use crate::config::names::{ANY, NOT_CATEGORY, POSTABLE, TEXT_LIKE};
use crate::model::community::{
    AutoModAction, EventLocation, KeywordPreset, LiveEvent, OnboardingMode, PromptKind, Recurrence,
    Trigger,
};
use crate::model::{ChannelId, ChannelKind, RoleId};

/// A line that fits the file's 100-column style, or the list one item per line.
fn string_list(key: &str, items: &[String]) -> Vec<String> {
    let quoted: Vec<String> = items.iter().map(|item| string(item)).collect();
    let one_line = format!("{key} = [{}]", quoted.join(", "));
    if one_line.chars().count() <= 100 {
        return vec![one_line];
    }
    let mut lines = vec![format!("{key} = [")];
    lines.extend(quoted.into_iter().map(|item| format!("  {item},")));
    lines.push("]".into());
    lines
}

fn inline_list(items: &[String]) -> String {
    let quoted: Vec<String> = items.iter().map(|item| string(item)).collect();
    format!("[{}]", quoted.join(", "))
}

impl Importer<'_> {
    pub(super) fn community(&mut self) {
        self.welcome_screen();
        self.onboarding();
        self.automod();
        self.events();
        self.webhooks();
    }

    fn lines(&mut self, lines: Vec<String>) {
        for line in lines {
            self.line(line);
        }
    }

    /// The text the file can use for a channel in a community reference.
    fn community_channel(&self, id: ChannelId, kinds: &[ChannelKind]) -> Result<String, String> {
        let Some(channel) = self.live.channel(id) else {
            return Err(format!("channel {id} does not exist"));
        };
        if !kinds.contains(&channel.kind) && !self.skipped_channels.contains_key(&id) {
            return Err(format!(
                "`{}` is {}, which it cannot be here",
                channel.name,
                super::with_article(&channel.kind.describe())
            ));
        }
        self.written_reference(id, kinds)
    }

    fn community_channels(
        &self,
        ids: &[ChannelId],
        kinds: &[ChannelKind],
    ) -> Result<Vec<String>, String> {
        ids.iter()
            .map(|id| self.community_channel(*id, kinds))
            .collect()
    }

    fn community_role(&self, id: RoleId) -> Result<String, String> {
        if let Some(key) = self.role_keys.get(&id) {
            return Ok(key.clone());
        }
        Err(match self.live.role(id) {
            Some(role) if role.managed => format!(
                "the managed role {} (id {id}) has no key in this file",
                string(&role.settings.name)
            ),
            Some(role) => format!(
                "the role {} (id {id}) is left out of this file",
                string(&role.settings.name)
            ),
            None => format!("role id {id} no longer exists"),
        })
    }

    fn community_roles(&self, ids: &[RoleId]) -> Result<Vec<String>, String> {
        ids.iter().map(|id| self.community_role(*id)).collect()
    }

    /// `Some(reason)` when the Community setting of this file rules the feature out.
    fn community_gate(&self) -> Option<&'static str> {
        (self.community == Some(false))
            .then_some("it needs a Community server, and this file turns Community off")
    }

    // ---- welcome screen ----------------------------------------------------------------------

    fn welcome_screen(&mut self) {
        let Some(screen) = &self.live.community.welcome_screen else {
            return;
        };
        self.line("");
        if let Some(reason) = self.community_gate() {
            self.line(format!("# The welcome screen is not managed: {reason}."));
            return;
        }
        let mut entries = Vec::new();
        let mut problem = None;
        if screen
            .description
            .as_ref()
            .is_some_and(|d| d.chars().count() > 140)
        {
            problem = Some("its description is longer than 140 characters".to_owned());
        }
        for channel in &screen.channels {
            match self.community_channel(channel.channel, TEXT_LIKE) {
                Ok(name) => {
                    let length = channel.description.chars().count();
                    if !(1..=50).contains(&length) {
                        problem = Some(format!(
                            "the description of `{name}` is not 1-50 characters long"
                        ));
                    }
                    let mut fields = vec![
                        format!("channel = {}", string(&name)),
                        format!("description = {}", string(&channel.description)),
                    ];
                    if let Some(value) = &channel.emoji {
                        fields.push(format!("emoji = {}", emoji(value)));
                    }
                    entries.push(format!("  {{ {} }},", fields.join(", ")));
                }
                Err(reason) => problem = Some(reason),
            }
        }
        if let Some(reason) = problem {
            self.line(format!("# The welcome screen is not managed: {reason}."));
            return;
        }
        self.line("[welcome_screen]");
        self.line(format!("enabled = {}", screen.enabled));
        if let Some(description) = &screen.description {
            self.line(format!("description = {}", string(description)));
        }
        if !entries.is_empty() {
            self.line("channels = [");
            self.lines(entries);
            self.line("]");
        }
    }

    // ---- onboarding --------------------------------------------------------------------------

    fn onboarding(&mut self) {
        let Some(live) = &self.live.community.onboarding else {
            return;
        };
        let onboarding = &live.onboarding;
        self.line("");
        if let Some(reason) = self.community_gate() {
            self.line(format!("# Onboarding is not managed: {reason}."));
            return;
        }
        match self.onboarding_lines(onboarding) {
            Ok(lines) => self.lines(lines),
            Err(reason) => self.line(format!("# Onboarding is not managed: {reason}.")),
        }
    }

    fn onboarding_lines(
        &self,
        onboarding: &crate::model::community::Onboarding<ChannelId, RoleId>,
    ) -> Result<Vec<String>, String> {
        let mut lines = vec!["[onboarding]".to_owned()];
        lines.push(format!("enabled = {}", onboarding.enabled));
        if onboarding.mode == OnboardingMode::Advanced {
            lines.push("mode = \"advanced\"".into());
        }
        let defaults = self.community_channels(&onboarding.default_channels, NOT_CATEGORY)?;
        lines.extend(string_list("default_channels", &defaults));
        let mut titles = HashSet::new();
        for prompt in &onboarding.prompts {
            if !titles.insert(prompt.title.as_str()) {
                return Err(format!(
                    "two prompts have the title {}, and the file matches prompts by title",
                    string(&prompt.title)
                ));
            }
            if !(1..=100).contains(&prompt.title.chars().count()) || prompt.options.is_empty() {
                return Err(format!(
                    "the prompt {} breaks the file's limits",
                    string(&prompt.title)
                ));
            }
            lines.push(String::new());
            lines.push("[[onboarding.prompts]]".into());
            lines.push(format!("title = {}", string(&prompt.title)));
            if prompt.kind == PromptKind::Dropdown {
                lines.push("type = \"dropdown\"".into());
            }
            if prompt.single_select {
                lines.push("single_select = true".into());
            }
            if prompt.required {
                lines.push("required = true".into());
            }
            if !prompt.in_onboarding {
                lines.push("in_onboarding = false".into());
            }
            lines.push("options = [".into());
            let mut option_titles = HashSet::new();
            for option in &prompt.options {
                if !option_titles.insert(option.title.as_str()) {
                    return Err(format!(
                        "two options of the prompt {} have the title {}, and the file matches options by title",
                        string(&prompt.title),
                        string(&option.title)
                    ));
                }
                let mut fields = vec![format!("title = {}", string(&option.title))];
                if let Some(description) = &option.description {
                    fields.push(format!("description = {}", string(description)));
                }
                if let Some(value) = &option.emoji {
                    fields.push(format!("emoji = {}", emoji(value)));
                }
                let roles = self.community_roles(&option.roles)?;
                if !roles.is_empty() {
                    fields.push(format!("roles = {}", inline_list(&roles)));
                }
                let channels = self.community_channels(&option.channels, NOT_CATEGORY)?;
                if !channels.is_empty() {
                    fields.push(format!("channels = {}", inline_list(&channels)));
                }
                lines.push(format!("  {{ {} }},", fields.join(", ")));
            }
            lines.push("]".into());
        }
        Ok(lines)
    }

    // ---- AutoMod -----------------------------------------------------------------------------

    fn automod(&mut self) {
        let live = self.live;
        if live.community.automod.is_empty() {
            return;
        }
        self.line("");
        self.line("# AutoMod rules, matched by name.");
        let mut names = HashSet::new();
        for rule in &live.community.automod {
            self.line("");
            let rule = &rule.rule;
            let lines = if let Some(problem) = name_problem(&rule.name) {
                Err(problem)
            } else if !names.insert(rule.name.as_str()) {
                Err("an earlier rule has the same name, and the file matches rules by name".into())
            } else {
                self.rule_lines(rule)
            };
            match lines {
                Ok(lines) => self.lines(lines),
                Err(reason) => self.line(format!(
                    "# Not managed: the AutoMod rule {}: {reason}.",
                    string(&rule.name)
                )),
            }
        }
    }

    fn rule_lines(
        &self,
        rule: &crate::model::community::AutoModRule<ChannelId, RoleId>,
    ) -> Result<Vec<String>, String> {
        let mut lines = vec![
            "[[automod]]".to_owned(),
            format!("name = {}", string(&rule.name)),
        ];
        match &rule.trigger {
            Trigger::Keyword {
                keywords,
                regex,
                allow,
            }
            | Trigger::MemberProfile {
                keywords,
                regex,
                allow,
            } => {
                let kind = if matches!(rule.trigger, Trigger::Keyword { .. }) {
                    "keyword"
                } else {
                    "member_profile"
                };
                if keywords.is_empty() && regex.is_empty() {
                    return Err(format!(
                        "a `{kind}` rule without keywords or patterns cannot be written"
                    ));
                }
                lines.push(format!("trigger = \"{kind}\""));
                for (key, list) in [("keywords", keywords), ("regex", regex), ("allow", allow)] {
                    if !list.is_empty() {
                        lines.extend(string_list(key, list));
                    }
                }
            }
            Trigger::Spam => lines.push("trigger = \"spam\"".into()),
            Trigger::KeywordPreset { presets, allow } => {
                if presets.is_empty() {
                    return Err("a keyword preset rule without presets cannot be written".into());
                }
                lines.push("trigger = \"keyword_preset\"".into());
                let names: Vec<String> = presets
                    .iter()
                    .map(|preset| {
                        match preset {
                            KeywordPreset::Profanity => "profanity",
                            KeywordPreset::SexualContent => "sexual_content",
                            KeywordPreset::Slurs => "slurs",
                        }
                        .to_owned()
                    })
                    .collect();
                lines.push(format!("presets = {}", inline_list(&names)));
                if !allow.is_empty() {
                    lines.extend(string_list("allow", allow));
                }
            }
            Trigger::MentionSpam {
                limit,
                raid_protection,
            } => {
                lines.push("trigger = \"mention_spam\"".into());
                lines.push(format!("mention_limit = {limit}"));
                if *raid_protection {
                    lines.push("raid_protection = true".into());
                }
            }
        }
        if rule.actions.is_empty() {
            return Err("a rule without actions cannot be written".into());
        }
        lines.push("actions = [".into());
        for action in &rule.actions {
            let fields = match action {
                AutoModAction::Block { message: None } => "type = \"block\"".to_owned(),
                AutoModAction::Block {
                    message: Some(message),
                } => format!("type = \"block\", message = {}", string(message)),
                AutoModAction::Alert { channel } => format!(
                    "type = \"alert\", channel = {}",
                    string(&self.community_channel(*channel, POSTABLE)?)
                ),
                AutoModAction::Timeout { seconds } => {
                    format!("type = \"timeout\", duration = {seconds}")
                }
                AutoModAction::BlockMemberInteraction => "type = \"block_interaction\"".to_owned(),
            };
            lines.push(format!("  {{ {fields} }},"));
        }
        lines.push("]".into());
        if !rule.enabled {
            lines.push("enabled = false".into());
        }
        let roles = self.community_roles(&rule.exempt_roles)?;
        if !roles.is_empty() {
            lines.extend(string_list("exempt_roles", &roles));
        }
        let channels = self.community_channels(&rule.exempt_channels, ANY)?;
        if !channels.is_empty() {
            lines.extend(string_list("exempt_channels", &channels));
        }
        Ok(lines)
    }

    // ---- events ------------------------------------------------------------------------------

    fn events(&mut self) {
        let live = self.live;
        if live.community.events.is_empty() {
            return;
        }
        self.line("");
        self.line(
            "# Scheduled events, matched by name. Times are in UTC: `start` is the next (or only)",
        );
        self.line("# start Discord holds.");
        let mut names = HashSet::new();
        for event in &live.community.events {
            self.line("");
            let lines = if event.status > 2 {
                Err("it is over or canceled".to_owned())
            } else if let Some(problem) = name_problem(&event.name) {
                Err(problem)
            } else if !names.insert(event.name.as_str()) {
                Err(
                    "an earlier event has the same name, and the file matches events by name"
                        .into(),
                )
            } else {
                self.event_lines(event)
            };
            match lines {
                Ok(lines) => self.lines(lines),
                Err(reason) => self.line(format!(
                    "# Not managed: the event {}: {reason}.",
                    string(&event.name)
                )),
            }
        }
    }

    fn event_lines(&self, event: &LiveEvent) -> Result<Vec<String>, String> {
        let mut lines = vec![
            "[[events]]".to_owned(),
            format!("name = {}", string(&event.name)),
        ];
        if let Some(description) = &event.description {
            lines.push(format!("description = {}", string(description)));
        }
        match &event.location {
            EventLocation::Stage(id) => lines.push(format!(
                "stage = {}",
                string(&self.community_channel(*id, &[ChannelKind::Stage])?)
            )),
            EventLocation::Voice(id) => lines.push(format!(
                "voice = {}",
                string(&self.community_channel(*id, &[ChannelKind::Voice])?)
            )),
            EventLocation::External(place) => {
                if !(1..=100).contains(&place.chars().count()) {
                    return Err("its location is not 1-100 characters long".into());
                }
                lines.push(format!("location = {}", string(place)));
            }
        }
        let minutes = event
            .end
            .and_then(|end| end.as_second().checked_sub(event.start.as_second()))
            .map_or(0, |seconds| seconds / 60);
        if minutes < 1 {
            return Err("it has no end time (or ends within a minute of its start), and the file needs a duration".into());
        }
        let start = event.start.to_zoned_datetime(TimeZone::UTC).datetime();
        lines.push(format!("start = \"{start}\""));
        lines.push("timezone = \"UTC\"".into());
        lines.push(format!("duration = {minutes}"));
        match event.recurrence {
            None => {}
            Some(Recurrence::Weekly) => lines.push("repeat = \"weekly\"".into()),
            Some(Recurrence::MonthlyNthWeekday { .. }) => {
                // The n-th weekday as UTC sees the start (what the plan compares).
                let week = (start.day() - 1) / 7 + 1;
                lines.push("repeat = \"monthly\"".into());
                lines.push(format!("week = {week}"));
            }
        }
        Ok(lines)
    }

    // ---- webhooks ----------------------------------------------------------------------------

    fn webhooks(&mut self) {
        let live = self.live;
        if live.community.webhooks.is_empty() {
            return;
        }
        self.line("");
        self.line("# Webhooks, matched by name in their channel. Their URLs are secrets and never written.");
        let mut seen = HashSet::new();
        for webhook in &live.community.webhooks {
            self.line("");
            let lower = webhook.name.to_lowercase();
            let channel = self.community_channel(webhook.channel, TEXT_LIKE);
            let reason = if let Some(problem) = name_problem(&webhook.name) {
                Some(problem)
            } else if webhook.name.chars().count() > 80
                || lower.contains("clyde")
                || lower.contains("discord")
            {
                Some("its name breaks Discord's rules for webhook names".to_owned())
            } else if !seen.insert((webhook.channel, webhook.name.as_str())) {
                Some("an earlier webhook of its channel has the same name".to_owned())
            } else {
                channel.as_ref().err().cloned()
            };
            if let Some(reason) = reason {
                self.line(format!(
                    "# Not managed: the webhook {} (id {}): {reason}.",
                    string(&webhook.name),
                    webhook.id
                ));
                continue;
            }
            self.line("[[webhooks]]");
            self.line(format!("name = {}", string(&webhook.name)));
            self.line(format!(
                "channel = {}",
                string(&channel.unwrap_or_default())
            ));
            if let Some(hash) = &webhook.avatar {
                let hash = hash.strip_prefix("discord:").unwrap_or(hash);
                let file = self.image_file(
                    &crate::images::webhook_avatar_key(webhook.id, hash),
                    &format!(
                        "webhook-{}-{}",
                        super::images::stem(&webhook.name),
                        webhook.id
                    ),
                );
                if file.is_none() {
                    self.line("# The avatar's file cannot be exported. `discord:<hash>` keeps it as it is; to");
                    self.line(
                        "# manage it, save the image next to this file and write its path instead.",
                    );
                }
                let value = file.unwrap_or_else(|| format!("discord:{hash}"));
                self.line(format!("avatar = {}", string(&value)));
            }
        }
    }
}
