//! Fetching the live guild and normalising it into [`LiveGuild`].
//!
//! A constant number of reads whatever the guild's size: the bot user, the guild (which carries
//! all roles), all channels, and the bot's own member (for its place in the role hierarchy).

mod roster;
mod threads;

use crate::discord::{Discord, DiscordError, wire};
use crate::model::community::{
    AutoModAction, AutoModRule, EventLocation, KeywordPreset, LiveAutoModRule, LiveCommunity,
    LiveEvent, LiveMessages, LiveOnboarding, LiveWebhook, Onboarding, OnboardingMode, Prompt,
    PromptKind, PromptOption, Recurrence, Trigger, WelcomeChannel, WelcomeScreen,
};
use crate::model::{
    BotMember, ChannelKind, ChannelSettings, DesiredGuild, Emoji, ForumLayout, ForumSettings,
    ForumSortOrder, ForumTag, GuildId, LiveChannel, LiveGuild, LiveGuildSettings, LiveRole,
    LiveTarget, Overwrite, RoleSettings, VideoQuality, normalise_overwrites,
};

/// Channel flag: forum posts must carry a tag.
pub const REQUIRE_TAG: u64 = 1 << 4;
/// Channel flag of media channels: download options of embedded media are hidden.
pub const HIDE_MEDIA_DOWNLOAD_OPTIONS: u64 = 1 << 15;

/// Which parts of the guild beyond roles and channels to read. Reading only what the file
/// manages keeps requests few and needs no permission the file does not use (webhooks need
/// Manage Webhooks, AutoMod needs Manage Server).
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Scope {
    pub welcome_screen: bool,
    pub onboarding: bool,
    pub automod: bool,
    pub events: bool,
    pub webhooks: bool,
    /// Every invite of the guild (the file declares or prunes invites).
    #[serde(default)]
    pub invites: bool,
    /// The widget's settings.
    #[serde(default)]
    pub widget: bool,
    /// Names of channels whose posted messages the file manages.
    pub message_channels: Vec<String>,
    /// For `import`: a community part Discord does not serve for this guild (404, or 403 for a
    /// permission the bot lacks) is left out with a note (`LiveCommunity::unread`) instead of
    /// failing the whole read. Never for plans, which must not mistake "unread" for "empty".
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub lenient: bool,
    /// Read the bot's messages in every text and announcement channel (`import --out`).
    #[serde(default)]
    pub all_messages: bool,
    /// Read the member list: the file rosters a role (`roster = true`).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub roster: bool,
    /// Names of channels whose threads the file declares (`[[threads]]`), and the titles
    /// whose first messages are read (of the bot's threads only).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub thread_channels: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub thread_titles: Vec<String>,
    /// Read the threads of every channel, and the first message of each of the bot's
    /// (`import --out`).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub all_threads: bool,
    /// Custom emoji (`[[emojis]]` or `[prune] emojis`).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub emojis: bool,
    /// Soundboard sounds (`[[soundboard]]` or `[prune] soundboard`).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub sounds: bool,
    /// Stickers (`[[stickers]]` or `[prune] stickers`).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub stickers: bool,
    /// The images the file declares as files, fetched from the CDN to compare by content.
    #[serde(default, skip_serializing_if = "crate::images::ImageScope::is_empty")]
    pub images: crate::images::ImageScope,
    /// Names of channels where the file pins a message: their pins are counted (Discord's
    /// limit per channel is checked at plan time).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub pin_channels: Vec<String>,
}

impl Scope {
    /// What the file manages.
    pub fn of(desired: &DesiredGuild) -> Self {
        let community = &desired.community;
        Self {
            welcome_screen: community.welcome_screen.is_some(),
            onboarding: community.onboarding.is_some(),
            automod: !community.automod.is_empty() || desired.prune.automod,
            events: !community.events.is_empty() || desired.prune.events,
            webhooks: !community.webhooks.is_empty() || desired.prune.webhooks,
            invites: !community.invites.invites.is_empty() || desired.prune.invites,
            widget: community.invites.widget.is_some(),
            message_channels: community
                .messages
                .iter()
                .map(|m| m.channel.name.clone())
                .collect(),
            lenient: false,
            all_messages: false,
            roster: !desired.roster.is_empty(),
            thread_channels: community
                .threads
                .iter()
                .map(|thread| thread.channel.name.clone())
                .collect(),
            thread_titles: community
                .threads
                .iter()
                .map(|thread| thread.title.clone())
                .collect(),
            all_threads: false,
            emojis: !community.emojis.is_empty() || desired.prune.emojis,
            sounds: !community.sounds.is_empty() || desired.prune.soundboard,
            stickers: !community.stickers.is_empty() || desired.prune.stickers,
            images: crate::images::ImageScope::of(desired),
            pin_channels: community
                .messages
                .iter()
                .filter(|m| m.parts.iter().any(|part| part.pin == Some(true)))
                .map(|m| m.channel.name.clone())
                .collect(),
        }
    }

    /// Everything but messages, for `import`, leniently.
    pub fn everything() -> Self {
        Self {
            welcome_screen: true,
            onboarding: true,
            automod: true,
            events: true,
            webhooks: true,
            invites: true,
            widget: true,
            message_channels: Vec::new(),
            lenient: true,
            all_messages: false,
            roster: true,
            thread_channels: Vec::new(),
            thread_titles: Vec::new(),
            all_threads: false,
            emojis: true,
            sounds: true,
            stickers: true,
            images: crate::images::ImageScope::default(),
            pin_channels: Vec::new(),
        }
    }
}

/// Reads the guild: four requests (bot user, guild with roles, channels, bot member), plus one
/// per part of `scope` and one per channel with posted messages, whatever the guild's size.
/// Everything after the bot user goes out at once (the rate-limit scheduler still paces them);
/// the messages follow the channels they are read from.
pub async fn fetch(
    discord: &Discord,
    guild_id: GuildId,
    scope: &Scope,
) -> Result<LiveGuild, DiscordError> {
    let bot = discord.current_user().await?;
    let unread = std::sync::Mutex::new(Vec::new());
    let part = |wanted: bool, name: &'static str| Part {
        wanted,
        name,
        lenient: scope.lenient,
        unread: &unread,
    };
    let (
        (guild, channels, member, welcome_screen, onboarding, automod, events, webhooks),
        (invites, widget, emojis, sounds, stickers),
    ) = tokio::try_join!(
        async {
            tokio::try_join!(
                discord.guild(guild_id),
                discord.guild_channels(guild_id),
                discord.guild_member(guild_id, bot.id),
                part(scope.welcome_screen, "welcome screen").read(discord.welcome_screen(guild_id)),
                part(scope.onboarding, "onboarding").read(discord.onboarding(guild_id)),
                part(scope.automod, "AutoMod rules").read(discord.automod_rules(guild_id)),
                part(scope.events, "scheduled events").read(discord.scheduled_events(guild_id)),
                part(scope.webhooks, "webhooks").read(discord.guild_webhooks(guild_id)),
            )
        },
        async {
            tokio::try_join!(
                part(scope.invites, "invites").read(discord.guild_invites(guild_id)),
                part(scope.widget, "widget").read(discord.widget(guild_id)),
                part(scope.emojis, "emojis").read(discord.guild_emojis(guild_id)),
                part(scope.sounds, "soundboard sounds").read(discord.guild_sounds(guild_id)),
                part(scope.stickers, "stickers").read(discord.guild_stickers(guild_id)),
            )
        },
    )?;
    let vanity = guild.vanity_url_code.clone();
    check_answers(guild_id, &guild, &channels, &member.roles)?;
    let mut live = normalise(
        guild,
        channels,
        BotMember {
            user_id: bot.id,
            role_ids: member.roles,
        },
    );
    let parts = CommunityParts {
        welcome_screen: welcome_screen.flatten(),
        onboarding,
        automod,
        events,
        webhooks,
    };
    live.community = fetch_community(discord, &live, scope, parts).await?;
    live.community.invites = crate::model::invites::LiveInvites {
        invites: invites
            .unwrap_or_default()
            .into_iter()
            .filter_map(normalise_invite)
            .collect(),
        widget: widget.map(|widget| crate::model::invites::Widget {
            enabled: widget.enabled,
            channel: widget.channel_id,
        }),
        vanity,
    };
    if scope.roster {
        live.members = match roster::read_members(discord, guild_id).await {
            Ok(members) => Some(members),
            Err(
                error @ (DiscordError::MembersIntent { .. }
                | DiscordError::Api {
                    status: 403 | 404, ..
                }),
            ) if scope.lenient => {
                if let Ok(mut unread) = unread.lock() {
                    unread.push(format!("the member list, for rosters ({error})"));
                }
                None
            }
            Err(error) => return Err(error),
        };
    }
    let wants_threads = scope.all_threads || !scope.thread_channels.is_empty();
    live.community.threads = part(wants_threads, "threads")
        .read(threads::fetch(discord, &live, scope))
        .await?
        .unwrap_or_default();
    live.community.emojis = emojis
        .unwrap_or_default()
        .into_iter()
        .map(|emoji| crate::model::expressions::LiveEmoji {
            id: emoji.id.get(),
            emoji: crate::model::expressions::CustomEmoji {
                name: emoji.name,
                roles: emoji.roles,
                image: None,
                animated: emoji.animated,
            },
            managed: emoji.managed,
        })
        .collect();
    live.community.sounds = sounds
        .unwrap_or_default()
        .into_iter()
        .map(|sound| crate::model::expressions::LiveSound {
            id: sound.sound_id.get(),
            sound: crate::model::expressions::Sound {
                name: sound.name,
                volume: crate::model::expressions::Volume::from_f64(sound.volume),
                emoji: emoji(sound.emoji_id, sound.emoji_name),
                sound: None,
            },
        })
        .collect();
    live.community.stickers = stickers
        .unwrap_or_default()
        .into_iter()
        .map(|sticker| crate::model::expressions::LiveSticker {
            id: sticker.id.get(),
            sticker: crate::model::expressions::Sticker {
                name: sticker.name,
                description: sticker.description.unwrap_or_default(),
                tags: sticker.tags,
                format: sticker.format_type,
                file: None,
            },
        })
        .collect();
    live.community.unread = unread.into_inner().unwrap_or_default();
    live.images = crate::images::fetch(discord, &live, &scope.images).await?;
    Ok(live)
}

/// A guild invite without its code; invites without a channel (none in a guild) are left out.
fn normalise_invite(invite: wire::Invite) -> Option<crate::model::invites::LiveInvite> {
    Some(crate::model::invites::LiveInvite {
        invite: crate::model::invites::Invite {
            channel: invite.channel?.id,
            max_age: invite.max_age,
            max_uses: invite.max_uses,
            temporary: invite.temporary,
        },
        inviter: invite.inviter.map(|user| user.id),
        created_at: invite.created_at,
        uses: invite.uses,
    })
}

/// One optional part of the read.
struct Part<'a> {
    wanted: bool,
    name: &'static str,
    lenient: bool,
    unread: &'a std::sync::Mutex<Vec<String>>,
}

impl Part<'_> {
    /// `read` when wanted (a future does nothing until awaited: an unwanted read sends
    /// nothing); leniently, a 403 or 404 is noted and read as not there.
    async fn read<T>(
        self,
        read: impl std::future::Future<Output = Result<T, DiscordError>>,
    ) -> Result<Option<T>, DiscordError> {
        if !self.wanted {
            return Ok(None);
        }
        match read.await {
            Ok(value) => Ok(Some(value)),
            Err(DiscordError::Api { status, .. })
                if self.lenient && matches!(status, 403 | 404) =>
            {
                if let Ok(mut unread) = self.unread.lock() {
                    unread.push(format!("{} (Discord answered {status})", self.name));
                }
                Ok(None)
            }
            Err(error) => Err(error),
        }
    }
}

/// Stops before any write when an answer is not one Discord would send: the wrong guild, no
/// `@everyone` role, the same id twice, the bot holding a role the guild does not have. Read
/// as they are, each would make the plan re-create or delete objects that exist.
fn check_answers(
    guild_id: GuildId,
    guild: &wire::Guild,
    channels: &[wire::Channel],
    bot_roles: &[crate::model::RoleId],
) -> Result<(), DiscordError> {
    let impossible = |request: String, detail: String| DiscordError::Impossible { request, detail };
    let request = format!("GET guilds/{guild_id}");
    if guild.id != guild_id {
        return Err(impossible(
            request,
            format!("the answer is guild {}", guild.id),
        ));
    }
    if !guild
        .roles
        .iter()
        .any(|role| role.id.get() == guild_id.get())
    {
        return Err(impossible(
            request,
            "the guild has no @everyone role (the role whose id is the guild's)".to_owned(),
        ));
    }
    let mut role_ids: Vec<u64> = guild.roles.iter().map(|role| role.id.get()).collect();
    role_ids.sort_unstable();
    if let Some(pair) = role_ids.windows(2).find(|pair| pair[0] == pair[1]) {
        return Err(impossible(
            request,
            format!("role {} is listed twice", pair[0]),
        ));
    }
    if let Some(missing) = bot_roles
        .iter()
        .find(|id| !guild.roles.iter().any(|role| role.id == **id))
    {
        return Err(DiscordError::Impossible {
            request: format!("GET guilds/{guild_id}/members/@me"),
            detail: format!(
                "the bot holds role {missing}, which the guild's role list does not have"
            ),
        });
    }
    let mut channel_ids: Vec<u64> = channels.iter().map(|channel| channel.id.get()).collect();
    channel_ids.sort_unstable();
    if let Some(pair) = channel_ids.windows(2).find(|pair| pair[0] == pair[1]) {
        return Err(DiscordError::Impossible {
            request: format!("GET guilds/{guild_id}/channels"),
            detail: format!("channel {} is listed twice", pair[0]),
        });
    }
    Ok(())
}

/// The community reads, as they came back (`None`: not in the scope).
struct CommunityParts {
    welcome_screen: Option<wire::WelcomeScreen>,
    onboarding: Option<wire::Onboarding>,
    automod: Option<Vec<wire::AutoModRule>>,
    events: Option<Vec<wire::ScheduledEvent>>,
    webhooks: Option<Vec<wire::Webhook>>,
}

async fn fetch_community(
    discord: &Discord,
    live: &LiveGuild,
    scope: &Scope,
    parts: CommunityParts,
) -> Result<LiveCommunity, DiscordError> {
    let mut community = LiveCommunity {
        welcome_screen: parts.welcome_screen.map(|screen| WelcomeScreen {
            enabled: live.has_feature("WELCOME_SCREEN_ENABLED"),
            description: screen.description.filter(|d| !d.is_empty()),
            channels: screen
                .welcome_channels
                .into_iter()
                .map(|channel| WelcomeChannel {
                    channel: channel.channel_id,
                    description: channel.description,
                    emoji: emoji(channel.emoji_id, channel.emoji_name),
                })
                .collect(),
        }),
        onboarding: parts.onboarding.map(normalise_onboarding),
        automod: parts
            .automod
            .unwrap_or_default()
            .into_iter()
            .map(normalise_rule)
            .collect(),
        events: parts
            .events
            .unwrap_or_default()
            .into_iter()
            .filter_map(normalise_event)
            .collect(),
        webhooks: parts
            .webhooks
            .unwrap_or_default()
            .into_iter()
            .filter(|webhook| webhook.kind == 1)
            .filter_map(|webhook| {
                Some(LiveWebhook {
                    id: webhook.id.get(),
                    channel: webhook.channel_id?,
                    name: webhook.name.unwrap_or_default(),
                    avatar: webhook.avatar,
                })
            })
            .collect(),
        ..LiveCommunity::default()
    };
    // Every text-like channel of each name: names repeat across categories.
    let channels: Vec<crate::model::ChannelId> = live
        .channels
        .iter()
        .filter(|channel| {
            let postable = matches!(
                channel.kind,
                crate::model::ChannelKind::Text | crate::model::ChannelKind::Announcement
            );
            (scope.message_channels.contains(&channel.name)
                && channel.kind.sort_bucket() == crate::model::SortBucket::TextLike)
                || (scope.all_messages && postable)
        })
        .map(|channel| channel.id)
        .collect();
    let reads = channels
        .iter()
        .map(|channel| Box::pin(discord.recent_messages(*channel)));
    let messages = join_all(reads.collect()).await;
    let pinning: Vec<bool> = channels
        .iter()
        .map(|id| {
            live.channel(*id)
                .is_some_and(|channel| scope.pin_channels.contains(&channel.name))
        })
        .collect();
    let pin_reads = channels
        .iter()
        .zip(&pinning)
        .filter(|(_, pins)| **pins)
        .map(|(channel, _)| Box::pin(discord.pin_count(*channel)));
    let mut pins = join_all(pin_reads.collect()).await.into_iter();
    for ((channel, messages), pinning) in channels.into_iter().zip(messages).zip(pinning) {
        let mut own: Vec<crate::model::messages::LiveMessage> = messages?
            .into_iter()
            .filter(|message| message.author.id == live.bot.user_id && message.kind == 0)
            .map(crate::discord::wire::Message::into_live)
            .collect();
        own.sort_by_key(|message| message.id);
        let pins = match pinning.then(|| pins.next()).flatten() {
            Some(count) => Some(count?),
            None => None,
        };
        community.messages.push(LiveMessages { channel, own, pins });
    }
    Ok(community)
}

/// Runs `futures` at once; their outputs in order.
pub(crate) async fn join_all<F: std::future::Future + Unpin>(
    mut futures: Vec<F>,
) -> Vec<F::Output> {
    let mut outputs: Vec<Option<F::Output>> = futures.iter().map(|_| None).collect();
    std::future::poll_fn(|context| {
        let mut pending = false;
        for (future, output) in futures.iter_mut().zip(outputs.iter_mut()) {
            if output.is_none() {
                match std::pin::Pin::new(future).poll(context) {
                    std::task::Poll::Ready(value) => *output = Some(value),
                    std::task::Poll::Pending => pending = true,
                }
            }
        }
        if pending {
            std::task::Poll::Pending
        } else {
            std::task::Poll::Ready(())
        }
    })
    .await;
    outputs.into_iter().flatten().collect()
}

fn normalise_onboarding(onboarding: wire::Onboarding) -> LiveOnboarding {
    let prompt_ids = onboarding
        .prompts
        .iter()
        .map(|prompt| prompt.id.get())
        .collect();
    let option_ids = onboarding
        .prompts
        .iter()
        .map(|prompt| {
            prompt
                .options
                .iter()
                .map(|option| option.id.get())
                .collect()
        })
        .collect();
    let prompts = onboarding
        .prompts
        .into_iter()
        .map(|prompt| Prompt {
            title: prompt.title,
            kind: if prompt.kind == 1 {
                PromptKind::Dropdown
            } else {
                PromptKind::MultipleChoice
            },
            single_select: prompt.single_select,
            required: prompt.required,
            in_onboarding: prompt.in_onboarding,
            options: prompt
                .options
                .into_iter()
                .map(|option| {
                    let (id, name) = match option.emoji {
                        Some(emoji) => (emoji.id, emoji.name),
                        None => (option.emoji_id, option.emoji_name),
                    };
                    PromptOption {
                        title: option.title,
                        description: option.description.filter(|d| !d.is_empty()),
                        emoji: emoji(id, name),
                        roles: option.role_ids,
                        channels: option.channel_ids,
                    }
                })
                .collect(),
        })
        .collect();
    LiveOnboarding {
        onboarding: Onboarding {
            enabled: onboarding.enabled,
            mode: if onboarding.mode == 1 {
                OnboardingMode::Advanced
            } else {
                OnboardingMode::Default
            },
            default_channels: onboarding.default_channel_ids,
            prompts,
        },
        prompt_ids,
        option_ids,
    }
}

fn normalise_rule(rule: wire::AutoModRule) -> LiveAutoModRule {
    let meta = rule.trigger_metadata;
    let trigger = match rule.trigger_type {
        3 => Trigger::Spam,
        4 => Trigger::KeywordPreset {
            presets: meta
                .presets
                .iter()
                .filter_map(|p| KeywordPreset::from_discord(*p))
                .collect(),
            allow: meta.allow_list,
        },
        5 => Trigger::MentionSpam {
            limit: meta.mention_total_limit.unwrap_or(0),
            raid_protection: meta.mention_raid_protection_enabled.unwrap_or(false),
        },
        6 => Trigger::MemberProfile {
            keywords: meta.keyword_filter,
            regex: meta.regex_patterns,
            allow: meta.allow_list,
        },
        _ => Trigger::Keyword {
            keywords: meta.keyword_filter,
            regex: meta.regex_patterns,
            allow: meta.allow_list,
        },
    };
    let actions = rule
        .actions
        .into_iter()
        .filter_map(|action| {
            let metadata = action.metadata.unwrap_or_default();
            Some(match action.kind {
                1 => AutoModAction::Block {
                    message: metadata.custom_message.filter(|m| !m.is_empty()),
                },
                2 => AutoModAction::Alert {
                    channel: metadata.channel_id?,
                },
                3 => AutoModAction::Timeout {
                    seconds: metadata.duration_seconds.unwrap_or(0),
                },
                4 => AutoModAction::BlockMemberInteraction,
                _ => return None,
            })
        })
        .collect();
    let mut exempt_roles = rule.exempt_roles;
    exempt_roles.sort();
    let mut exempt_channels = rule.exempt_channels;
    exempt_channels.sort();
    LiveAutoModRule {
        id: rule.id.get(),
        rule: AutoModRule {
            name: rule.name,
            trigger,
            actions,
            enabled: rule.enabled,
            exempt_roles,
            exempt_channels,
        },
    }
}

fn normalise_event(event: wire::ScheduledEvent) -> Option<LiveEvent> {
    let location = match event.entity_type {
        1 => EventLocation::Stage(event.channel_id?),
        2 => EventLocation::Voice(event.channel_id?),
        _ => EventLocation::External(
            event
                .entity_metadata
                .and_then(|m| m.location)
                .unwrap_or_default(),
        ),
    };
    let recurrence = event.recurrence_rule.and_then(|rule| match rule.frequency {
        2 if rule.interval.unwrap_or(1) == 1 => Some(Recurrence::Weekly),
        1 => rule.by_n_weekday.and_then(|days| {
            days.first()
                .map(|d| Recurrence::MonthlyNthWeekday { week: d.n })
        }),
        _ => None,
    });
    Some(LiveEvent {
        id: event.id.get(),
        name: event.name,
        description: event.description.filter(|d| !d.is_empty()),
        location,
        start: event.scheduled_start_time.parse().ok()?,
        end: event.scheduled_end_time.and_then(|end| end.parse().ok()),
        recurrence,
        status: event.status,
    })
}

/// Turns Discord's JSON into the model the diff compares.
pub fn normalise(guild: wire::Guild, channels: Vec<wire::Channel>, bot: BotMember) -> LiveGuild {
    let everyone_id = guild.id.cast();
    let everyone_permissions = guild
        .roles
        .iter()
        .find(|role| role.id == everyone_id)
        .map(|role| role.permissions)
        .unwrap_or_default();
    let mut roles: Vec<LiveRole> = guild
        .roles
        .into_iter()
        .filter(|role| role.id != everyone_id)
        .map(|role| LiveRole {
            id: role.id,
            position: role.position,
            managed: role.managed,
            settings: RoleSettings {
                name: role.name,
                color: role.color,
                secondary_color: role
                    .colors
                    .as_ref()
                    .and_then(|colors| colors.secondary_color),
                tertiary_color: role
                    .colors
                    .as_ref()
                    .and_then(|colors| colors.tertiary_color),
                hoist: role.hoist,
                mentionable: role.mentionable,
                permissions: role.permissions,
                unicode_emoji: role.unicode_emoji.filter(|emoji| !emoji.is_empty()),
                icon: role.icon,
            },
        })
        .collect();
    // Top to bottom: higher position first; on a tie the older (lower id) role is higher.
    roles.sort_by(|a, b| b.position.cmp(&a.position).then(a.id.cmp(&b.id)));

    let channels = channels.into_iter().map(normalise_channel).collect();
    let settings = LiveGuildSettings {
        name: guild.name.clone(),
        description: guild.description.filter(|text| !text.is_empty()),
        verification_level: guild.verification_level,
        explicit_content_filter: guild.explicit_content_filter,
        default_notifications: guild.default_message_notifications,
        afk_channel: guild.afk_channel_id,
        afk_timeout: guild.afk_timeout,
        system_channel: guild.system_channel_id,
        system_channel_flags: guild.system_channel_flags,
        rules_channel: guild.rules_channel_id,
        public_updates_channel: guild.public_updates_channel_id,
        safety_alerts_channel: guild.safety_alerts_channel_id,
        preferred_locale: guild.preferred_locale,
        community: guild.features.iter().any(|feature| feature == "COMMUNITY"),
        icon: guild.icon,
        banner: guild.banner,
        splash: guild.splash,
        discovery_splash: guild.discovery_splash,
        premium_tier: guild.premium_tier,
    };
    LiveGuild {
        id: guild.id,
        name: guild.name,
        owner_id: guild.owner_id,
        everyone_permissions,
        roles,
        channels,
        bot,
        settings,
        features: guild.features,
        community: Default::default(),
        members: None,
        images: Default::default(),
    }
}

fn normalise_channel(channel: wire::Channel) -> LiveChannel {
    let kind = ChannelKind::from_discord(channel.kind);
    let overwrites = channel
        .permission_overwrites
        .into_iter()
        .map(|overwrite| Overwrite {
            target: if overwrite.kind == 1 {
                LiveTarget::Member(overwrite.id.cast())
            } else {
                LiveTarget::Role(overwrite.id.cast())
            },
            allow: overwrite.allow,
            deny: overwrite.deny,
        })
        .collect();
    let tag_ids = channel.available_tags.iter().map(|tag| tag.id).collect();
    let forum = ForumSettings {
        tags: channel
            .available_tags
            .into_iter()
            .map(|tag| ForumTag {
                name: tag.name,
                emoji: emoji(tag.emoji_id, tag.emoji_name),
                moderated: tag.moderated,
            })
            .collect(),
        default_reaction: channel
            .default_reaction_emoji
            .and_then(|reaction| emoji(reaction.emoji_id, reaction.emoji_name)),
        default_sort_order: match channel.default_sort_order {
            Some(0) => Some(ForumSortOrder::LatestActivity),
            Some(1) => Some(ForumSortOrder::CreationDate),
            _ => None,
        },
        default_layout: match channel.default_forum_layout {
            Some(1) => ForumLayout::List,
            Some(2) => ForumLayout::Gallery,
            _ => ForumLayout::NotSet,
        },
        require_tag: channel.flags & REQUIRE_TAG != 0,
        hide_media_download_options: channel.flags & HIDE_MEDIA_DOWNLOAD_OPTIONS != 0,
    };
    let settings = ChannelSettings {
        topic: channel.topic,
        nsfw: channel.nsfw,
        slowmode: channel.rate_limit_per_user.unwrap_or(0),
        bitrate: channel.bitrate,
        user_limit: channel.user_limit,
        default_auto_archive: channel.default_auto_archive_duration,
        default_thread_slowmode: channel.default_thread_rate_limit_per_user.unwrap_or(0),
        rtc_region: channel.rtc_region,
        video_quality: channel
            .video_quality_mode
            .and_then(VideoQuality::from_discord),
        forum: Some(forum),
    };
    LiveChannel {
        id: channel.id,
        name: channel.name.unwrap_or_default(),
        kind,
        parent_id: channel.parent_id,
        position: channel.position,
        settings: settings.for_kind(kind),
        overwrites: normalise_overwrites(overwrites),
        tag_ids: if kind.is_thread_only() {
            tag_ids
        } else {
            Vec::new()
        },
    }
}

/// Discord's `{emoji_id, emoji_name}` pair: a custom emoji wins over a unicode one.
fn emoji(id: Option<crate::model::EmojiId>, name: Option<String>) -> Option<Emoji> {
    match (id, name) {
        (Some(id), _) => Some(Emoji::Custom(id)),
        (None, Some(name)) if !name.is_empty() => Some(Emoji::Unicode(name)),
        _ => None,
    }
}
