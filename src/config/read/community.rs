//! Reading the community tables: welcome screen, onboarding, AutoMod rules, events,
//! webhooks, invites and the widget, posted messages, threads.

use super::*;

impl Reader<'_> {
    pub(super) fn welcome_screen(&mut self, table: &DeTable<'_>) -> RawWelcomeScreen {
        let fields = self.fields(table, WELCOME_SCREEN_KEYS, "`[welcome_screen]`");
        RawWelcomeScreen {
            enabled: self.boolean(&fields, "enabled"),
            description: self.string(&fields, "description"),
            channels: self.table_list(&fields, "channels", |reader, table, span| {
                let fields = reader.fields(table, WELCOME_CHANNEL_KEYS, "a welcome channel");
                let channel = RawWelcomeChannel {
                    channel: reader.string(&fields, "channel"),
                    description: reader.string(&fields, "description"),
                    emoji: reader.string(&fields, "emoji"),
                };
                reader.require(
                    &channel.channel,
                    &fields,
                    "channel",
                    "welcome channel",
                    &span,
                );
                reader.require(
                    &channel.description,
                    &fields,
                    "description",
                    "welcome channel",
                    &span,
                );
                channel
            }),
        }
    }

    pub(super) fn onboarding(&mut self, table: &DeTable<'_>) -> RawOnboarding {
        let fields = self.fields(table, ONBOARDING_KEYS, "`[onboarding]`");
        RawOnboarding {
            enabled: self.boolean(&fields, "enabled"),
            mode: self.string(&fields, "mode"),
            default_channels: self.string_list(&fields, "default_channels"),
            prompts: self.table_list(&fields, "prompts", |reader, table, span| {
                let fields = reader.fields(table, PROMPT_KEYS, "a prompt");
                let prompt = RawPrompt {
                    title: reader.string(&fields, "title"),
                    kind: reader.string(&fields, "type"),
                    single_select: reader.boolean(&fields, "single_select"),
                    required: reader.boolean(&fields, "required"),
                    in_onboarding: reader.boolean(&fields, "in_onboarding"),
                    options: reader.table_list(&fields, "options", |reader, table, span| {
                        let fields = reader.fields(table, OPTION_KEYS, "a prompt option");
                        let option = RawPromptOption {
                            title: reader.string(&fields, "title"),
                            description: reader.string(&fields, "description"),
                            emoji: reader.string(&fields, "emoji"),
                            roles: reader.string_list(&fields, "roles"),
                            channels: reader.string_list(&fields, "channels"),
                        };
                        reader.require(&option.title, &fields, "title", "prompt option", &span);
                        option
                    }),
                };
                reader.require(&prompt.title, &fields, "title", "prompt", &span);
                reader.require(&prompt.options, &fields, "options", "prompt", &span);
                prompt
            }),
        }
    }

    pub(super) fn automod_rule(
        &mut self,
        table: &DeTable<'_>,
        span: Range<usize>,
    ) -> Sp<RawAutoModRule> {
        let fields = self.fields(table, AUTOMOD_KEYS, "an AutoMod rule");
        let rule = RawAutoModRule {
            name: self.string(&fields, "name"),
            trigger: self.string(&fields, "trigger"),
            keywords: self.string_list(&fields, "keywords"),
            regex: self.string_list(&fields, "regex"),
            allow: self.string_list(&fields, "allow"),
            presets: self.string_list(&fields, "presets"),
            mention_limit: self.integer(&fields, "mention_limit"),
            raid_protection: self.boolean(&fields, "raid_protection"),
            actions: self.table_list(&fields, "actions", |reader, table, span| {
                let fields = reader.fields(table, ACTION_KEYS, "an AutoMod action");
                let action = RawAction {
                    kind: reader.string(&fields, "type"),
                    message: reader.string(&fields, "message"),
                    channel: reader.string(&fields, "channel"),
                    duration: reader.integer(&fields, "duration"),
                };
                reader.require(&action.kind, &fields, "type", "AutoMod action", &span);
                action
            }),
            enabled: self.boolean(&fields, "enabled"),
            exempt_roles: self.string_list(&fields, "exempt_roles"),
            exempt_channels: self.string_list(&fields, "exempt_channels"),
        };
        self.require(&rule.name, &fields, "name", "AutoMod rule", &span);
        self.require(&rule.trigger, &fields, "trigger", "AutoMod rule", &span);
        self.require(&rule.actions, &fields, "actions", "AutoMod rule", &span);
        Sp::new(rule, span)
    }

    pub(super) fn event(&mut self, table: &DeTable<'_>, span: Range<usize>) -> Sp<RawEvent> {
        let fields = self.fields(table, EVENT_KEYS, "an event");
        let event = RawEvent {
            name: self.string(&fields, "name"),
            description: self.string(&fields, "description"),
            stage: self.string(&fields, "stage"),
            voice: self.string(&fields, "voice"),
            location: self.string(&fields, "location"),
            start: self.string(&fields, "start"),
            timezone: self.string(&fields, "timezone"),
            duration: self.integer(&fields, "duration"),
            repeat: self.string(&fields, "repeat"),
            week: self.integer(&fields, "week"),
        };
        self.require(&event.name, &fields, "name", "event", &span);
        self.require(&event.start, &fields, "start", "event", &span);
        self.require(&event.timezone, &fields, "timezone", "event", &span);
        self.require(&event.duration, &fields, "duration", "event", &span);
        Sp::new(event, span)
    }

    pub(super) fn webhook(&mut self, table: &DeTable<'_>, span: Range<usize>) -> Sp<RawWebhook> {
        let fields = self.fields(table, WEBHOOK_KEYS, "a webhook");
        let webhook = RawWebhook {
            name: self.string(&fields, "name"),
            channel: self.string(&fields, "channel"),
            avatar: self.string(&fields, "avatar"),
            github: self.string_list(&fields, "github"),
        };
        self.require(&webhook.name, &fields, "name", "webhook", &span);
        self.require(&webhook.channel, &fields, "channel", "webhook", &span);
        Sp::new(webhook, span)
    }

    /// `[[invites]]`, `[widget]` and `[vanity]`.
    #[allow(clippy::type_complexity)]
    pub(super) fn invites(
        &mut self,
        fields: &Fields<'_, '_>,
    ) -> (
        Vec<Sp<RawInvite>>,
        Option<Sp<RawWidget>>,
        Option<Sp<RawVanity>>,
    ) {
        let invites = self
            .tables(fields, "invites")
            .into_iter()
            .map(|(table, span)| {
                let fields = self.fields(table, INVITE_KEYS, "an invite");
                let invite = RawInvite {
                    channel: self.string(&fields, "channel"),
                    max_age: self.integer(&fields, "max_age"),
                    max_uses: self.integer(&fields, "max_uses"),
                    temporary: self.boolean(&fields, "temporary"),
                };
                self.require(&invite.channel, &fields, "channel", "invite", &span);
                Sp::new(invite, span)
            })
            .collect();
        let widget = self.table(fields, "widget").map(|(table, span)| {
            let fields = self.fields(table, WIDGET_KEYS, "`[widget]`");
            let widget = RawWidget {
                enabled: self.boolean(&fields, "enabled"),
                channel: self.string(&fields, "channel"),
            };
            self.require(&widget.enabled, &fields, "enabled", "`[widget]`", &span);
            Sp::new(widget, span)
        });
        let vanity = self.table(fields, "vanity").map(|(table, span)| {
            let fields = self.fields(table, VANITY_KEYS, "`[vanity]`");
            let vanity = RawVanity {
                code: self.string(&fields, "code"),
            };
            self.require(&vanity.code, &fields, "code", "`[vanity]`", &span);
            Sp::new(vanity, span)
        });
        (invites, widget, vanity)
    }

    pub(super) fn messages(&mut self, table: &DeTable<'_>, span: Range<usize>) -> Sp<RawMessages> {
        let fields = self.fields(table, MESSAGES_KEYS, "`[[messages]]`");
        let messages = RawMessages {
            channel: self.string(&fields, "channel"),
            file: self.string(&fields, "file"),
        };
        self.require(
            &messages.channel,
            &fields,
            "channel",
            "`[[messages]]` entry",
            &span,
        );
        self.require(
            &messages.file,
            &fields,
            "file",
            "`[[messages]]` entry",
            &span,
        );
        Sp::new(messages, span)
    }

    pub(super) fn thread(&mut self, table: &DeTable<'_>, span: Range<usize>) -> Sp<RawThread> {
        let fields = self.fields(table, THREAD_KEYS, "`[[threads]]`");
        let thread = RawThread {
            channel: self.string(&fields, "channel"),
            title: self.string(&fields, "title"),
            file: self.string(&fields, "file"),
            tags: self.string_list(&fields, "tags"),
            pinned: self.boolean(&fields, "pinned"),
            locked: self.boolean(&fields, "locked"),
            archived: self.boolean(&fields, "archived"),
            auto_archive: self.integer(&fields, "auto_archive"),
        };
        for key in ["channel", "title", "file"] {
            let value = match key {
                "channel" => &thread.channel,
                "title" => &thread.title,
                _ => &thread.file,
            };
            self.require(value, &fields, key, "`[[threads]]` entry", &span);
        }
        Sp::new(thread, span)
    }
}
