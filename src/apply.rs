//! Executing a plan: one write per changed object, one bulk reorder per list kind.
//!
//! Changes run in the plan's order (roles, categories, channels, updates, reorders, deletes).
//! References to objects created earlier in the run are resolved to the ids Discord returned.
//! All channel reorders of a plan go out together in one `PATCH /guilds/{id}/channels`.
//!
//! On a failed write the run stops and the [`ApplyReport`] says what was done and what remains;
//! nothing is rolled back, and a rerun plans only what is left (identity is by name, so nothing
//! is created twice). When a create gets no answer (5xx, timeout), the object is looked up by
//! name before the create is retried once, so a lost answer does not leave a duplicate.

use std::collections::HashMap;

use serde_json::{Value, json};
use twilight_http::request::Method;

use crate::discord::{Discord, DiscordError};
use crate::live::REQUIRE_TAG;
use crate::model::community::{AutoModAction, EventLocation, OnboardingMode, PromptKind, Trigger};
use crate::model::{
    ChannelId, ChannelKind, Emoji, ForumLayout, ForumSortOrder, GuildId, RoleId, RoleSettings,
    VideoQuality,
};
use crate::plan::{
    AutoModSpec, Change, ChannelPick, ChannelRef, ChannelSpec, EventSpec, EventWhen, Field,
    GuildSpec, OnboardingSpec, Plan, PlannedOverwrite, RolePick, RoleRef, TargetRef, WebhookSpec,
    channel_fields, guild_fields, role_fields,
};

/// Told about each step, for progress display. Progress counts the plan's changes (a step may
/// carry several: all channel reorders go out in one request).
pub trait Progress {
    /// `changes` in all, carried out in `steps` requests.
    fn start(&self, changes: usize, steps: usize);
    fn step(&self, description: &str);
    /// The step just started is done; it carried `changes` changes.
    fn advance(&self, changes: usize);
    fn finish(&self);
}

/// No progress display.
pub struct Silent;

impl Progress for Silent {
    fn start(&self, _: usize, _: usize) {}
    fn step(&self, _: &str) {}
    fn advance(&self, _: usize) {}
    fn finish(&self) {}
}

/// Asks a running apply to stop (Ctrl-C): the request in flight is abandoned (its outcome is
/// unknown, and the rerun's lookup-before-create makes that safe), nothing new starts, and the
/// report says what was done and what remains.
#[derive(Clone, Debug)]
pub struct Interrupt(tokio::sync::watch::Receiver<bool>);

impl Interrupt {
    /// Never fires.
    pub fn never() -> Self {
        let (sender, receiver) = tokio::sync::watch::channel(false);
        // Keep the channel open for the life of the process, so `wait` pends forever.
        std::mem::forget(sender);
        Self(receiver)
    }

    /// Fires when `sender` sends `true` (or is dropped after sending).
    pub fn from_receiver(receiver: tokio::sync::watch::Receiver<bool>) -> Self {
        Self(receiver)
    }

    fn fired(&self) -> bool {
        *self.0.borrow()
    }

    /// Resolves once fired; pends forever otherwise (also when the sender is gone unfired).
    async fn wait(&self) {
        let mut receiver = self.0.clone();
        if receiver.wait_for(|fired| *fired).await.is_err() {
            std::future::pending::<()>().await;
        }
    }
}

#[derive(Debug)]
pub struct ApplyReport {
    pub done: Vec<Change>,
    pub failed: Option<(Change, DiscordError)>,
    /// Interrupted (Ctrl-C): these changes were in flight and abandoned; each may or may not
    /// have reached Discord.
    pub interrupted: Option<Vec<Change>>,
    pub remaining: Vec<Change>,
    /// Creates whose answer was lost but whose object was found afterwards.
    pub recovered: Vec<String>,
}

impl ApplyReport {
    pub fn succeeded(&self) -> bool {
        self.failed.is_none() && self.interrupted.is_none()
    }
}

/// Why a single change failed.
type StepResult = Result<(), DiscordError>;

/// What the plan refers to but does not carry: file contents too large for a plan.
#[derive(Clone, Debug, Default)]
pub struct Assets {
    /// Webhook avatars (`data:` URIs) by webhook name.
    pub webhook_avatars: HashMap<String, String>,
}

impl Assets {
    pub fn of(desired: &crate::model::DesiredGuild) -> Self {
        Self {
            webhook_avatars: desired
                .community
                .webhooks
                .iter()
                .filter_map(|(webhook, _)| Some((webhook.name.clone(), webhook.avatar.clone()?)))
                .filter(|(_, avatar)| !avatar.starts_with("discord:"))
                .collect(),
        }
    }
}

pub async fn execute(
    discord: &Discord,
    plan: &Plan,
    assets: &Assets,
    progress: &dyn Progress,
    interrupt: &Interrupt,
) -> ApplyReport {
    let mut executor = Executor {
        discord,
        guild_id: plan.guild_id,
        roles: HashMap::new(),
        channels: HashMap::new(),
        recovered: Vec::new(),
        avatars: assets.webhook_avatars.clone(),
        snowflakes: 0,
    };
    // Channel reorders run as one request at the place of the first one.
    let reorders: Vec<&Change> = plan
        .changes
        .iter()
        .filter(|c| matches!(c, Change::ReorderChannels { .. }))
        .collect();
    let mut steps: Vec<Vec<&Change>> = Vec::new();
    let mut reorders_placed = false;
    for change in &plan.changes {
        match change {
            Change::ReorderChannels { .. } if !reorders_placed => {
                reorders_placed = true;
                steps.push(reorders.clone());
            }
            Change::ReorderChannels { .. } => {}
            other => steps.push(vec![other]),
        }
    }

    progress.start(plan.changes.len(), steps.len());
    let mut done = Vec::new();
    let mut failed = None;
    let mut interrupted = None;
    let mut remaining = Vec::new();
    for step in steps {
        if failed.is_some() || interrupted.is_some() {
            remaining.extend(step.into_iter().cloned());
            continue;
        }
        if interrupt.fired() {
            interrupted = Some(Vec::new());
            remaining.extend(step.into_iter().cloned());
            continue;
        }
        let description = match step.as_slice() {
            [single] => single.describe(),
            many => format!("reorder channels ({} lists)", many.len()),
        };
        progress.step(&description);
        let write = async {
            match step.as_slice() {
                [single] if !matches!(single, Change::ReorderChannels { .. }) => {
                    executor.run(single).await
                }
                many => executor.reorder_channels(many).await,
            }
        };
        let result = tokio::select! {
            result = write => Some(result),
            () = interrupt.wait() => None,
        };
        match result {
            Some(Ok(())) => {
                progress.advance(step.len());
                done.extend(step.into_iter().cloned());
            }
            Some(Err(error)) => {
                let mut step = step.into_iter().cloned();
                if let Some(first) = step.next() {
                    failed = Some((first, error));
                }
                remaining.extend(step);
            }
            None => interrupted = Some(step.into_iter().cloned().collect()),
        }
    }
    progress.finish();
    ApplyReport {
        done,
        failed,
        interrupted,
        remaining,
        recovered: executor.recovered,
    }
}

struct Executor<'a> {
    discord: &'a Discord,
    guild_id: GuildId,
    /// Keys of roles created in this run.
    roles: HashMap<String, RoleId>,
    /// Channels created in this run, by name, kind and category name.
    channels: HashMap<(String, ChannelKind, Option<String>), ChannelId>,
    recovered: Vec<String>,
    /// Webhook avatars (data URIs) by webhook name, from the file.
    avatars: HashMap<String, String>,
    /// Counter for client-made snowflakes.
    snowflakes: u64,
}

impl Executor<'_> {
    async fn run(&mut self, change: &Change) -> StepResult {
        let reason = format!("miyabi-guild: {}", change.describe());
        let guild = self.guild_id;
        match change {
            Change::CreateRole { key, role } => {
                let mut fields = vec![
                    Field::Name,
                    Field::Color,
                    Field::Hoist,
                    Field::Mentionable,
                    Field::Permissions,
                ];
                if role.secondary_color.is_some() {
                    fields.push(Field::Colors);
                }
                if role.unicode_emoji.is_some() {
                    fields.push(Field::UnicodeEmoji);
                }
                if role.icon.is_some() {
                    fields.push(Field::Icon);
                }
                let body = role_body(role, &fields);
                let created = self
                    .create(format!("guilds/{guild}/roles"), &body, &reason, |value| {
                        find_role(value, &role.name)
                    })
                    .await?;
                self.roles.insert(key.clone(), created.cast());
            }
            Change::UpdateEveryone { after, .. } => {
                let body = json!({ "permissions": after.bits().to_string() });
                self.discord
                    .write(
                        Method::Patch,
                        format!("guilds/{guild}/roles/{guild}"),
                        Some(&body),
                        &reason,
                    )
                    .await?;
            }
            Change::UpdateRole {
                id, before, after, ..
            } => {
                let body = role_body(after, &role_fields(before, after));
                self.discord
                    .write(
                        Method::Patch,
                        format!("guilds/{guild}/roles/{id}"),
                        Some(&body),
                        &reason,
                    )
                    .await?;
            }
            Change::CreateChannel { channel } => {
                let body = self.create_channel_body(channel)?;
                let name = channel.name.clone();
                let kind = channel.kind;
                let parent = body["parent_id"].clone();
                let created = self
                    .create(
                        format!("guilds/{guild}/channels"),
                        &body,
                        &reason,
                        move |value| find_channel(value, &name, kind, &parent),
                    )
                    .await?;
                let category = channel.parent.as_ref().map(|parent| parent.name.clone());
                self.channels.insert(
                    (channel.name.clone(), channel.kind, category),
                    created.cast(),
                );
            }
            Change::UpdateChannel {
                id,
                before,
                after,
                predicted_overwrites,
                ..
            } => {
                let before = crate::plan::predicted_before(before, predicted_overwrites.as_deref());
                let body = self.update_channel_body(&before, after)?;
                self.discord
                    .write(
                        Method::Patch,
                        format!("channels/{id}"),
                        Some(&body),
                        &reason,
                    )
                    .await?;
            }
            Change::ReorderRoles { after, .. } => {
                let count = after.len();
                let entries = after
                    .iter()
                    .enumerate()
                    .map(|(index, slot)| Ok(json!({ "id": self.role_id(&slot.reference)?.to_string(), "position": count - index })))
                    .collect::<Result<Vec<Value>, DiscordError>>()?;
                self.discord
                    .write(
                        Method::Patch,
                        format!("guilds/{guild}/roles"),
                        Some(&Value::Array(entries)),
                        &reason,
                    )
                    .await?;
            }
            Change::ReorderChannels { .. } => return self.reorder_channels(&[change]).await,
            Change::DeleteChannel { id, .. } => {
                self.discord
                    .write(Method::Delete, format!("channels/{id}"), None, &reason)
                    .await?;
            }
            Change::UpdateGuild {
                before,
                after,
                features,
            } => {
                let body = self.guild_body(before, after, features.as_ref())?;
                self.discord
                    .write(
                        Method::Patch,
                        format!("guilds/{guild}"),
                        Some(&body),
                        &reason,
                    )
                    .await?;
            }
            Change::UpdateWelcomeScreen { after, .. } => {
                let channels = after
                    .channels
                    .iter()
                    .map(|c| {
                        let (emoji_id, emoji_name) = emoji_pair(c.emoji.as_ref());
                        Ok(json!({
                            "channel_id": self.channel_id(&c.channel.channel)?.to_string(),
                            "description": c.description,
                            "emoji_id": emoji_id,
                            "emoji_name": emoji_name,
                        }))
                    })
                    .collect::<Result<Vec<Value>, DiscordError>>()?;
                let body = json!({
                    "enabled": after.enabled,
                    "description": after.description,
                    "welcome_channels": channels,
                });
                self.discord
                    .write(
                        Method::Patch,
                        format!("guilds/{guild}/welcome-screen"),
                        Some(&body),
                        &reason,
                    )
                    .await?;
            }
            Change::UpdateOnboarding {
                after,
                prompt_ids,
                option_ids,
                ..
            } => {
                let body = self.onboarding_body(after, prompt_ids, option_ids)?;
                self.discord
                    .write(
                        Method::Put,
                        format!("guilds/{guild}/onboarding"),
                        Some(&body),
                        &reason,
                    )
                    .await?;
            }
            Change::CreateAutoModRule { rule } => {
                let mut body = self.automod_body(rule)?;
                body["trigger_type"] = json!(rule.trigger.discord_type());
                self.discord
                    .write(
                        Method::Post,
                        format!("guilds/{guild}/auto-moderation/rules"),
                        Some(&body),
                        &reason,
                    )
                    .await?;
            }
            Change::UpdateAutoModRule { id, after, .. } => {
                let body = self.automod_body(after)?;
                self.discord
                    .write(
                        Method::Patch,
                        format!("guilds/{guild}/auto-moderation/rules/{id}"),
                        Some(&body),
                        &reason,
                    )
                    .await?;
            }
            Change::DeleteAutoModRule { id, .. } => {
                self.discord
                    .write(
                        Method::Delete,
                        format!("guilds/{guild}/auto-moderation/rules/{id}"),
                        None,
                        &reason,
                    )
                    .await?;
            }
            Change::CreateEvent { event, start, end } => {
                let body = self.event_body(event, *start, *end)?;
                self.discord
                    .write(
                        Method::Post,
                        format!("guilds/{guild}/scheduled-events"),
                        Some(&body),
                        &reason,
                    )
                    .await?;
            }
            Change::UpdateEvent {
                id,
                after,
                start,
                end,
                ..
            } => {
                let body = self.event_body(after, *start, *end)?;
                self.discord
                    .write(
                        Method::Patch,
                        format!("guilds/{guild}/scheduled-events/{id}"),
                        Some(&body),
                        &reason,
                    )
                    .await?;
            }
            Change::DeleteEvent { id, .. } => {
                self.discord
                    .write(
                        Method::Delete,
                        format!("guilds/{guild}/scheduled-events/{id}"),
                        None,
                        &reason,
                    )
                    .await?;
            }
            Change::CreateWebhook { webhook } => {
                let channel = self.channel_id(&webhook.channel.channel)?;
                let body = json!({ "name": webhook.name, "avatar": self.avatar(webhook) });
                // The answer holds the webhook's token: it is parsed for nothing and dropped.
                self.discord
                    .write(
                        Method::Post,
                        format!("channels/{channel}/webhooks"),
                        Some(&body),
                        &reason,
                    )
                    .await?;
            }
            Change::UpdateWebhook { id, before, after } => {
                let mut body = json!({});
                if before.name != after.name {
                    body["name"] = json!(after.name);
                }
                if before.avatar != after.avatar {
                    body["avatar"] = json!(self.avatar(after));
                }
                if before.channel.channel != after.channel.channel {
                    body["channel_id"] =
                        json!(self.channel_id(&after.channel.channel)?.to_string());
                }
                self.discord
                    .write(
                        Method::Patch,
                        format!("webhooks/{id}"),
                        Some(&body),
                        &reason,
                    )
                    .await?;
            }
            Change::DeleteWebhook { id, .. } => {
                self.discord
                    .write(Method::Delete, format!("webhooks/{id}"), None, &reason)
                    .await?;
            }
            Change::PostMessage {
                channel, content, ..
            } => {
                let channel = self.channel_id(&channel.channel)?;
                // Posted text never pings: `@everyone` in the rules is words, not a mention.
                let body = json!({ "content": content, "allowed_mentions": { "parse": [] } });
                self.discord
                    .write(
                        Method::Post,
                        format!("channels/{channel}/messages"),
                        Some(&body),
                        &reason,
                    )
                    .await?;
            }
            Change::EditMessage {
                channel,
                message_id,
                after,
                ..
            } => {
                let channel = self.channel_id(&channel.channel)?;
                let body = json!({ "content": after, "allowed_mentions": { "parse": [] } });
                self.discord
                    .write(
                        Method::Patch,
                        format!("channels/{channel}/messages/{message_id}"),
                        Some(&body),
                        &reason,
                    )
                    .await?;
            }
            Change::DeleteMessage {
                channel,
                message_id,
                ..
            } => {
                let channel = self.channel_id(&channel.channel)?;
                self.discord
                    .write(
                        Method::Delete,
                        format!("channels/{channel}/messages/{message_id}"),
                        None,
                        &reason,
                    )
                    .await?;
            }
            Change::DeleteRole { id, .. } => {
                self.discord
                    .write(
                        Method::Delete,
                        format!("guilds/{guild}/roles/{id}"),
                        None,
                        &reason,
                    )
                    .await?;
            }
        }
        Ok(())
    }

    async fn reorder_channels(&mut self, changes: &[&Change]) -> StepResult {
        let mut entries = Vec::new();
        for change in changes {
            if let Change::ReorderChannels { after, .. } = change {
                for (position, slot) in after.iter().enumerate() {
                    entries.push(json!({ "id": self.channel_id(&slot.reference)?.to_string(), "position": position }));
                }
            }
        }
        let reason = "miyabi-guild: reorder channels";
        self.discord
            .write(
                Method::Patch,
                format!("guilds/{}/channels", self.guild_id),
                Some(&Value::Array(entries)),
                reason,
            )
            .await?;
        Ok(())
    }

    /// POSTs a create; when the answer is lost, looks the object up in the list at the same path
    /// before retrying once.
    async fn create(
        &mut self,
        path: String,
        body: &Value,
        reason: &str,
        find: impl Fn(&Value) -> Option<u64>,
    ) -> Result<twilight_model::id::Id<twilight_model::id::marker::GenericMarker>, DiscordError>
    {
        let first = self
            .discord
            .write(Method::Post, path.clone(), Some(body), reason)
            .await;
        let answer = match first {
            Ok(answer) => answer,
            Err(error) if error.outcome_unknown() => {
                let list = self.list(&path).await?;
                if let Some(id) = find(&list) {
                    self.recovered
                        .push(format!("{reason} (found after a lost answer)"));
                    return Ok(twilight_model::id::Id::new(id));
                }
                self.discord
                    .write(Method::Post, path.clone(), Some(body), reason)
                    .await?
            }
            Err(error) => return Err(error),
        };
        serde_json::from_value::<crate::discord::wire::Created>(answer)
            .map(|created| created.id)
            .map_err(|e| DiscordError::Decode {
                request: format!("POST {path}"),
                detail: e.to_string(),
            })
    }

    async fn list(&self, path: &str) -> Result<Value, DiscordError> {
        if path.ends_with("/roles") {
            let guild = self.discord.guild(self.guild_id).await?;
            Ok(Value::Array(
                guild
                    .roles
                    .iter()
                    .map(|role| json!({ "id": role.id.to_string(), "name": role.name }))
                    .collect(),
            ))
        } else {
            let channels = self.discord.guild_channels(self.guild_id).await?;
            Ok(Value::Array(
                channels
                    .iter()
                    .map(|channel| json!({ "id": channel.id.to_string(), "name": channel.name, "type": channel.kind, "parent_id": channel.parent_id.map(|id| id.to_string()) }))
                    .collect(),
            ))
        }
    }

    fn role_id(&self, reference: &RoleRef) -> Result<RoleId, DiscordError> {
        match reference {
            RoleRef::Id(id) => Ok(*id),
            RoleRef::New(key) => self
                .roles
                .get(key)
                .copied()
                .ok_or_else(|| unresolved(&format!("role `{key}`"))),
        }
    }

    fn channel_id(&self, reference: &ChannelRef) -> Result<ChannelId, DiscordError> {
        match reference {
            ChannelRef::Id(id) => Ok(*id),
            ChannelRef::New {
                name,
                kind,
                category,
            } => self
                .channels
                .get(&(name.clone(), *kind, category.clone()))
                .copied()
                .ok_or_else(|| unresolved(&crate::plan::channel_label(*kind, name))),
        }
    }

    fn overwrites_json(&self, overwrites: &[PlannedOverwrite]) -> Result<Value, DiscordError> {
        overwrites
            .iter()
            .map(|overwrite| {
                let (id, kind) = match &overwrite.target {
                    TargetRef::Role(role) => (self.role_id(role)?.get(), 0),
                    TargetRef::Member(user) => (user.get(), 1),
                };
                Ok(json!({
                    "id": id.to_string(),
                    "type": kind,
                    "allow": overwrite.allow.bits().to_string(),
                    "deny": overwrite.deny.bits().to_string(),
                }))
            })
            .collect::<Result<Vec<Value>, DiscordError>>()
            .map(Value::Array)
    }

    fn create_channel_body(&self, channel: &ChannelSpec) -> Result<Value, DiscordError> {
        let mut body = json!({
            "name": channel.name,
            "type": channel.kind.discord_type(),
            "permission_overwrites": self.overwrites_json(&channel.overwrites)?,
        });
        if let Some(parent) = &channel.parent {
            body["parent_id"] = json!(self.channel_id(&parent.channel)?.to_string());
        }
        for field in settings_fields_for(channel.kind) {
            self.put_channel_field(&mut body, field, channel)?;
        }
        Ok(body)
    }

    fn update_channel_body(
        &self,
        before: &ChannelSpec,
        after: &ChannelSpec,
    ) -> Result<Value, DiscordError> {
        let mut body = json!({});
        for field in channel_fields(before, after) {
            self.put_channel_field(&mut body, field, after)?;
        }
        Ok(body)
    }

    /// Writes one field of `channel` into a create or modify body, in Discord's names.
    fn put_channel_field(
        &self,
        body: &mut Value,
        field: Field,
        channel: &ChannelSpec,
    ) -> Result<(), DiscordError> {
        let settings = &channel.settings;
        let forum = settings.forum.clone().unwrap_or_default();
        match field {
            Field::Name => body["name"] = json!(channel.name),
            Field::Kind => body["type"] = json!(channel.kind.discord_type()),
            Field::Parent => {
                body["parent_id"] = match &channel.parent {
                    Some(parent) => json!(self.channel_id(&parent.channel)?.to_string()),
                    None => Value::Null,
                }
            }
            Field::Topic => body["topic"] = json!(settings.topic),
            Field::Nsfw => body["nsfw"] = json!(settings.nsfw),
            Field::Slowmode => body["rate_limit_per_user"] = json!(settings.slowmode),
            Field::Bitrate => body["bitrate"] = json!(settings.bitrate),
            Field::UserLimit => body["user_limit"] = json!(settings.user_limit),
            Field::DefaultAutoArchive => {
                body["default_auto_archive_duration"] = json!(settings.default_auto_archive)
            }
            Field::DefaultThreadSlowmode => {
                body["default_thread_rate_limit_per_user"] = json!(settings.default_thread_slowmode)
            }
            Field::RtcRegion => body["rtc_region"] = json!(settings.rtc_region),
            Field::VideoQuality => {
                body["video_quality_mode"] =
                    json!(VideoQuality::discord_value(settings.video_quality))
            }
            Field::Tags => {
                let tags: Vec<Value> = forum
                    .tags
                    .iter()
                    .enumerate()
                    .map(|(index, tag)| {
                        let mut value = json!({ "name": tag.name, "moderated": tag.moderated });
                        let (emoji_id, emoji_name) = emoji_pair(tag.emoji.as_ref());
                        value["emoji_id"] = emoji_id;
                        value["emoji_name"] = emoji_name;
                        if let Some(Some(id)) = channel.tag_ids.get(index) {
                            value["id"] = json!(id.to_string());
                        }
                        value
                    })
                    .collect();
                body["available_tags"] = Value::Array(tags);
            }
            Field::DefaultReaction => {
                body["default_reaction_emoji"] = match &forum.default_reaction {
                    Some(emoji) => {
                        let (emoji_id, emoji_name) = emoji_pair(Some(emoji));
                        json!({ "emoji_id": emoji_id, "emoji_name": emoji_name })
                    }
                    None => Value::Null,
                }
            }
            Field::DefaultSortOrder => {
                body["default_sort_order"] = match forum.default_sort_order {
                    Some(ForumSortOrder::LatestActivity) => json!(0),
                    Some(ForumSortOrder::CreationDate) => json!(1),
                    None => Value::Null,
                }
            }
            Field::DefaultLayout => {
                body["default_forum_layout"] = json!(match forum.default_layout {
                    ForumLayout::NotSet => 0,
                    ForumLayout::List => 1,
                    ForumLayout::Gallery => 2,
                })
            }
            Field::RequireTag => {
                body["flags"] = json!(if forum.require_tag { REQUIRE_TAG } else { 0 })
            }
            // Replaced in the same request, never "delete all, then add": no window in which a
            // private channel is open.
            Field::Overwrites => {
                body["permission_overwrites"] = self.overwrites_json(&channel.overwrites)?
            }
            _ => {}
        }
        Ok(())
    }

    fn guild_body(
        &self,
        before: &GuildSpec,
        after: &GuildSpec,
        features: Option<&Vec<String>>,
    ) -> Result<Value, DiscordError> {
        let mut body = json!({});
        let pick = |pick: &Option<crate::plan::ParentSpec>| -> Result<Value, DiscordError> {
            Ok(match pick {
                Some(pick) => json!(self.channel_id(&pick.channel)?.to_string()),
                None => Value::Null,
            })
        };
        for field in guild_fields(before, after) {
            match field {
                Field::Name => body["name"] = json!(after.name),
                Field::Description => body["description"] = json!(after.description),
                Field::VerificationLevel => {
                    body["verification_level"] = json!(after.verification_level)
                }
                Field::ExplicitContentFilter => {
                    body["explicit_content_filter"] = json!(after.explicit_content_filter)
                }
                Field::DefaultNotifications => {
                    body["default_message_notifications"] = json!(after.default_notifications)
                }
                Field::AfkChannel => body["afk_channel_id"] = pick(&after.afk_channel)?,
                Field::AfkTimeout => body["afk_timeout"] = json!(after.afk_timeout),
                Field::SystemChannel => body["system_channel_id"] = pick(&after.system_channel)?,
                Field::SystemChannelFlags => {
                    body["system_channel_flags"] = json!(after.system_channel_flags)
                }
                Field::RulesChannel => body["rules_channel_id"] = pick(&after.rules_channel)?,
                Field::PublicUpdatesChannel => {
                    body["public_updates_channel_id"] = pick(&after.public_updates_channel)?
                }
                Field::SafetyAlertsChannel => {
                    body["safety_alerts_channel_id"] = pick(&after.safety_alerts_channel)?
                }
                Field::PreferredLocale => body["preferred_locale"] = json!(after.preferred_locale),
                Field::Community => {
                    if let Some(features) = features {
                        body["features"] = json!(features);
                    }
                }
                _ => {}
            }
        }
        Ok(body)
    }
}

impl Executor<'_> {
    fn role_id_of(&self, pick: &RolePick) -> Result<String, DiscordError> {
        Ok(self.role_id(&pick.role)?.to_string())
    }

    fn channel_ids(&self, picks: &[ChannelPick]) -> Result<Vec<String>, DiscordError> {
        picks
            .iter()
            .map(|pick| Ok(self.channel_id(&pick.channel)?.to_string()))
            .collect()
    }

    /// The desired avatar's data URI, looked up by webhook name (the plan holds only its
    /// presence).
    fn avatar(&self, webhook: &WebhookSpec) -> Value {
        match &webhook.avatar {
            Some(_) => json!(self.avatars.get(&webhook.name)),
            None => Value::Null,
        }
    }

    fn onboarding_body(
        &mut self,
        onboarding: &OnboardingSpec,
        prompt_ids: &[Option<u64>],
        option_ids: &[Vec<Option<u64>>],
    ) -> Result<Value, DiscordError> {
        let mut prompts = Vec::new();
        for (index, prompt) in onboarding.prompts.iter().enumerate() {
            // Discord wants an id on every prompt; new ones get a fresh snowflake.
            let id = prompt_ids
                .get(index)
                .copied()
                .flatten()
                .unwrap_or_else(|| self.fresh_snowflake());
            let mut options = Vec::new();
            for (option_index, option) in prompt.options.iter().enumerate() {
                let (emoji_id, emoji_name) = emoji_pair(option.emoji.as_ref());
                let mut value = json!({
                    "title": option.title,
                    "description": option.description,
                    "emoji_id": emoji_id,
                    "emoji_name": emoji_name,
                    "role_ids": option.roles.iter().map(|r| self.role_id_of(r)).collect::<Result<Vec<_>, _>>()?,
                    "channel_ids": self.channel_ids(&option.channels)?,
                });
                if let Some(Some(id)) = option_ids.get(index).and_then(|ids| ids.get(option_index))
                {
                    value["id"] = json!(id.to_string());
                }
                options.push(value);
            }
            prompts.push(json!({
                "id": id.to_string(),
                "type": match prompt.kind { PromptKind::MultipleChoice => 0, PromptKind::Dropdown => 1 },
                "title": prompt.title,
                "single_select": prompt.single_select,
                "required": prompt.required,
                "in_onboarding": prompt.in_onboarding,
                "options": options,
            }));
        }
        Ok(json!({
            "prompts": prompts,
            "default_channel_ids": self.channel_ids(&onboarding.default_channels)?,
            "enabled": onboarding.enabled,
            "mode": match onboarding.mode { OnboardingMode::Default => 0, OnboardingMode::Advanced => 1 },
        }))
    }

    /// A snowflake for an object Discord wants the client to name (onboarding prompts): the
    /// current time in Discord's epoch, with a counter against collisions.
    fn fresh_snowflake(&mut self) -> u64 {
        const DISCORD_EPOCH_MS: u64 = 1_420_070_400_000;
        let now =
            u64::try_from(jiff::Timestamp::now().as_millisecond()).unwrap_or(DISCORD_EPOCH_MS);
        self.snowflakes += 1;
        (now.saturating_sub(DISCORD_EPOCH_MS) << 22) + self.snowflakes
    }

    fn automod_body(&self, rule: &AutoModSpec) -> Result<Value, DiscordError> {
        let metadata = match &rule.trigger {
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
                json!({ "keyword_filter": keywords, "regex_patterns": regex, "allow_list": allow })
            }
            Trigger::Spam => json!({}),
            Trigger::KeywordPreset { presets, allow } => json!({
                "presets": presets.iter().map(|p| p.discord_value()).collect::<Vec<_>>(),
                "allow_list": allow,
            }),
            Trigger::MentionSpam {
                limit,
                raid_protection,
            } => json!({
                "mention_total_limit": limit,
                "mention_raid_protection_enabled": raid_protection,
            }),
        };
        let actions = rule
            .actions
            .iter()
            .map(|action| {
                Ok(match action {
                    AutoModAction::Block { message } => {
                        json!({ "type": 1, "metadata": { "custom_message": message } })
                    }
                    AutoModAction::Alert { channel } => json!({
                        "type": 2,
                        "metadata": { "channel_id": self.channel_id(&channel.channel)?.to_string() },
                    }),
                    AutoModAction::Timeout { seconds } => {
                        json!({ "type": 3, "metadata": { "duration_seconds": seconds } })
                    }
                    AutoModAction::BlockMemberInteraction => json!({ "type": 4, "metadata": {} }),
                })
            })
            .collect::<Result<Vec<Value>, DiscordError>>()?;
        Ok(json!({
            "name": rule.name,
            "event_type": rule.trigger.event_type(),
            "trigger_metadata": metadata,
            "actions": actions,
            "enabled": rule.enabled,
            "exempt_roles": rule.exempt_roles.iter().map(|r| self.role_id_of(r)).collect::<Result<Vec<_>, _>>()?,
            "exempt_channels": self.channel_ids(&rule.exempt_channels)?,
        }))
    }

    fn event_body(
        &self,
        event: &EventSpec,
        start: jiff::Timestamp,
        end: jiff::Timestamp,
    ) -> Result<Value, DiscordError> {
        let (entity_type, channel, location) = match &event.location {
            EventLocation::Stage(pick) => (1, Some(pick), None),
            EventLocation::Voice(pick) => (2, Some(pick), None),
            EventLocation::External(place) => (3, None, Some(place)),
        };
        let channel_id = match channel {
            Some(pick) => json!(self.channel_id(&pick.channel)?.to_string()),
            None => Value::Null,
        };
        let utc = start.to_zoned_datetime(jiff::tz::TimeZone::UTC);
        let day = u8::try_from(utc.weekday().to_monday_zero_offset()).unwrap_or(0);
        let recurrence = match &event.when {
            EventWhen::Once { .. } => Value::Null,
            EventWhen::Weekly { .. } => json!({
                "start": discord_time(start), "frequency": 2, "interval": 1, "by_weekday": [day],
            }),
            EventWhen::Monthly { .. } => json!({
                "start": discord_time(start),
                "frequency": 1,
                "interval": 1,
                "by_n_weekday": [{ "n": (utc.day() - 1) / 7 + 1, "day": day }],
            }),
        };
        Ok(json!({
            "name": event.name,
            "description": event.description,
            "privacy_level": 2,
            "entity_type": entity_type,
            "channel_id": channel_id,
            "entity_metadata": location.map(|place| json!({ "location": place })),
            "scheduled_start_time": discord_time(start),
            "scheduled_end_time": discord_time(end),
            "recurrence_rule": recurrence,
        }))
    }
}

/// Discord's timestamp form (`+00:00`, not `Z`).
fn discord_time(at: jiff::Timestamp) -> String {
    at.to_zoned_datetime(jiff::tz::TimeZone::UTC)
        .strftime("%Y-%m-%dT%H:%M:%S%.6f+00:00")
        .to_string()
}

/// The settings fields a channel of `kind` is created with.
fn settings_fields_for(kind: ChannelKind) -> Vec<Field> {
    let mut fields = Vec::new();
    if kind.has_topic() {
        fields.push(Field::Topic);
    }
    if kind != ChannelKind::Category {
        fields.push(Field::Nsfw);
    }
    if kind.has_slowmode() {
        fields.push(Field::Slowmode);
    }
    if kind.is_voice_like() {
        fields.extend([
            Field::Bitrate,
            Field::UserLimit,
            Field::RtcRegion,
            Field::VideoQuality,
        ]);
    }
    if kind.has_threads() {
        fields.extend([Field::DefaultAutoArchive, Field::DefaultThreadSlowmode]);
    }
    if kind == ChannelKind::Forum {
        fields.extend([
            Field::Tags,
            Field::DefaultReaction,
            Field::DefaultSortOrder,
            Field::DefaultLayout,
            Field::RequireTag,
        ]);
    }
    fields
}

/// Discord's `(emoji_id, emoji_name)` pair.
fn emoji_pair(emoji: Option<&Emoji>) -> (Value, Value) {
    match emoji {
        Some(Emoji::Custom(id)) => (json!(id.to_string()), Value::Null),
        Some(Emoji::Unicode(name)) => (Value::Null, json!(name)),
        None => (Value::Null, Value::Null),
    }
}

fn role_body(role: &RoleSettings, fields: &[Field]) -> Value {
    let mut body = json!({});
    for field in fields {
        match field {
            Field::Name => body["name"] = json!(role.name),
            Field::Color => body["color"] = json!(role.color),
            Field::Hoist => body["hoist"] = json!(role.hoist),
            Field::Mentionable => body["mentionable"] = json!(role.mentionable),
            Field::Permissions => body["permissions"] = json!(role.permissions.bits().to_string()),
            Field::Colors => {
                body["colors"] = json!({
                    "primary_color": role.color,
                    "secondary_color": role.secondary_color,
                    "tertiary_color": role.tertiary_color,
                })
            }
            Field::UnicodeEmoji => body["unicode_emoji"] = json!(role.unicode_emoji),
            Field::Icon => body["icon"] = json!(role.icon),
            _ => {}
        }
    }
    body
}

fn find_role(list: &Value, name: &str) -> Option<u64> {
    list.as_array()?
        .iter()
        .filter(|role| role["name"] == name)
        .filter_map(|role| role["id"].as_str()?.parse().ok())
        .max()
}

/// The newest channel of this name and kind under `parent` (a JSON id string, or null).
fn find_channel(list: &Value, name: &str, kind: ChannelKind, parent: &Value) -> Option<u64> {
    list.as_array()?
        .iter()
        .filter(|channel| {
            channel["name"] == name
                && channel["type"] == kind.discord_type()
                && channel["parent_id"] == *parent
        })
        .filter_map(|channel| channel["id"].as_str()?.parse().ok())
        .max()
}

fn unresolved(what: &str) -> DiscordError {
    DiscordError::Decode {
        request: "apply".to_owned(),
        detail: format!(
            "{what} was to be created earlier in this run but was not; nothing was sent for this step"
        ),
    }
}
