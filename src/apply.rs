//! Executing a plan: one write per changed object, one bulk reorder per list kind.
//!
//! The plan is a list in execution order (roles, categories, channels, updates, reorders,
//! deletes); [`order`] derives which changes wait for which, and independent changes run at the
//! same time, at most `parallel` of them, each request waiting for Discord's rate limits in
//! [`crate::discord::ratelimit`]. With `parallel` 1 the plan runs strictly in order. References to
//! objects created earlier in the run are resolved to the ids Discord returned. All channel
//! reorders of a plan go out together in one `PATCH /guilds/{id}/channels`.
//!
//! On a failed write nothing new starts, the changes in flight finish, and the [`ApplyReport`]
//! lists what was done and what was not, in plan order; nothing is rolled back, and a rerun
//! plans only what is left (identity is by name, so nothing is created twice). When a create gets
//! no answer (5xx, timeout), the object is looked up by name before the create is retried once,
//! so a lost answer does not leave a duplicate.

mod bodies;
pub mod explain;
mod expressions;
mod invites;
mod lookup;
mod messages;
mod order;
use lookup::{find_channel, find_named, find_role};
mod roster;
mod threads;

use std::cell::{Cell, RefCell};
use std::collections::HashMap;
use std::future::Future;
use std::pin::Pin;
use std::task::Poll;

use serde_json::{Value, json};
use twilight_http::request::Method;

use self::bodies::{emoji_pair, role_body};
use crate::discord::{Discord, DiscordError};
use crate::model::{ChannelId, ChannelKind, GuildId, RoleId};
use crate::plan::{Change, ChannelRef, Field, Plan, RoleRef, role_fields};

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
    /// In plan order.
    pub done: Vec<Change>,
    /// The first failure in plan order (its change is also in `not_done`).
    pub failed: Option<(Change, DiscordError)>,
    /// Interrupted (Ctrl-C): the changes in flight were abandoned (`NotDone::InFlight`).
    pub interrupted: bool,
    /// Everything not done, in plan order, with why.
    pub not_done: Vec<(Change, NotDone)>,
    /// Creates whose answer was lost but whose object was found afterwards.
    pub recovered: Vec<String>,
}

/// Why a change of an incomplete apply was not done.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NotDone {
    /// The first failure: `ApplyReport::failed` holds its error.
    Failed,
    /// Failed too, while the first failure's neighbours finished; the error in words.
    AlsoFailed(String),
    /// Abandoned in flight by Ctrl-C: it may or may not have reached Discord.
    InFlight,
    /// Never started.
    NotStarted,
}

impl ApplyReport {
    pub fn succeeded(&self) -> bool {
        self.failed.is_none() && !self.interrupted
    }
}

/// How an apply runs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Options {
    /// Changes in flight at once; 1 runs the plan strictly in order.
    pub parallel: usize,
}

impl Default for Options {
    fn default() -> Self {
        Self { parallel: 8 }
    }
}

/// Why a single change failed.
type StepResult = Result<(), DiscordError>;

/// What the plan refers to but does not carry: file contents too large for a plan.
#[derive(Clone, Debug, Default)]
pub struct Assets {
    /// Webhook avatars (`data:` URIs) by webhook name.
    pub webhook_avatars: HashMap<String, String>,
    /// The guild's images (`data:` URIs) by the `sha256:` label the plan names them with.
    pub images: HashMap<String, String>,
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
            images: desired
                .settings
                .images
                .values()
                .flatten()
                .chain(desired.community.emojis.iter().map(|emoji| &emoji.data_uri))
                .chain(desired.community.sounds.iter().map(|sound| &sound.data_uri))
                .chain(
                    desired
                        .community
                        .stickers
                        .iter()
                        .map(|sticker| &sticker.data_uri),
                )
                .filter_map(|uri| Some((crate::images::data_uri_digest(uri)?, uri.clone())))
                .collect(),
        }
    }
}

pub async fn execute(
    discord: &Discord,
    plan: &Plan,
    assets: &Assets,
    options: Options,
    progress: &dyn Progress,
    interrupt: &Interrupt,
) -> ApplyReport {
    let executor = Executor {
        discord,
        guild_id: plan.guild_id,
        roles: RefCell::new(HashMap::new()),
        channels: RefCell::new(HashMap::new()),
        recovered: RefCell::new(Vec::new()),
        avatars: assets.webhook_avatars.clone(),
        images: assets.images.clone(),
        snowflakes: Cell::new(0),
        posted: RefCell::new(HashMap::new()),
    };
    let steps = order::steps(plan);
    progress.start(plan.changes.len(), steps.len());
    let mut state: Vec<StepState> = steps.iter().map(|_| StepState::Waiting).collect();
    let mut running: Vec<(usize, Running<'_>)> = Vec::new();
    let parallel = options.parallel.max(1);
    let mut stopped = false;
    let mut interrupted = false;
    loop {
        if interrupt.fired() {
            interrupted = true;
        }
        // Start what is ready, in plan order, while there is room.
        for index in 0..steps.len() {
            if stopped || interrupted || running.len() >= parallel {
                break;
            }
            let ready = matches!(state[index], StepState::Waiting)
                && steps[index]
                    .after
                    .iter()
                    .all(|before| matches!(state[*before], StepState::Done));
            if !ready {
                continue;
            }
            let changes: Vec<&Change> = steps[index]
                .changes
                .iter()
                .map(|c| &plan.changes[*c])
                .collect();
            let description = match changes.as_slice() {
                [single] => single.describe(),
                many => format!("reorder channels ({} lists)", many.len()),
            };
            progress.step(&description);
            state[index] = StepState::Running;
            let executor = &executor;
            running.push((
                index,
                Box::pin(async move {
                    match changes.as_slice() {
                        [single] if !matches!(single, Change::ReorderChannels { .. }) => {
                            executor.run(single).await
                        }
                        many => executor.reorder_channels(many).await,
                    }
                }),
            ));
        }
        if running.is_empty() || interrupted {
            break;
        }
        let finished = tokio::select! {
            finished = next_finished(&mut running) => Some(finished),
            () = interrupt.wait() => None,
        };
        let Some((index, result)) = finished else {
            interrupted = true;
            break;
        };
        match result {
            Ok(()) => {
                progress.advance(steps[index].changes.len());
                state[index] = StepState::Done;
            }
            Err(error) => {
                state[index] = StepState::Failed(error);
                stopped = true;
            }
        }
    }
    // Abandoned: dropping a request frees its place with the rate limiter.
    let in_flight: Vec<usize> = running.iter().map(|(index, _)| *index).collect();
    drop(running);
    progress.finish();
    report(
        plan,
        &steps,
        state,
        &in_flight,
        interrupted,
        executor.recovered.into_inner(),
    )
}

/// A step's requests on their way.
type Running<'a> = Pin<Box<dyn Future<Output = StepResult> + 'a>>;

#[derive(Debug)]
enum StepState {
    Waiting,
    Running,
    Done,
    Failed(DiscordError),
}

/// Waits for the first of `running` to finish and takes it out.
async fn next_finished<F: Future<Output = StepResult> + ?Sized>(
    running: &mut Vec<(usize, Pin<Box<F>>)>,
) -> (usize, StepResult) {
    std::future::poll_fn(|context| {
        for position in 0..running.len() {
            if let Poll::Ready(result) = running[position].1.as_mut().poll(context) {
                let (index, _) = running.swap_remove(position);
                return Poll::Ready((index, result));
            }
        }
        Poll::Pending
    })
    .await
}

/// The report in plan order: what was done, the first failure, and why the rest was not done.
fn report(
    plan: &Plan,
    steps: &[order::Step],
    state: Vec<StepState>,
    in_flight: &[usize],
    interrupted: bool,
    recovered: Vec<String>,
) -> ApplyReport {
    let mut why: Vec<Option<NotDone>> = vec![None; plan.changes.len()];
    let mut failed = None;
    for (index, state) in state.into_iter().enumerate() {
        let changes = &steps[index].changes;
        let note = match state {
            StepState::Done => continue,
            StepState::Failed(error) if failed.is_none() => {
                let first = changes[0];
                failed = Some((plan.changes[first].clone(), error));
                why[first] = Some(NotDone::Failed);
                for change in &changes[1..] {
                    why[*change] = Some(NotDone::NotStarted);
                }
                continue;
            }
            StepState::Failed(error) => NotDone::AlsoFailed(error.to_string()),
            StepState::Running | StepState::Waiting if in_flight.contains(&index) => {
                NotDone::InFlight
            }
            StepState::Running | StepState::Waiting => NotDone::NotStarted,
        };
        for change in changes {
            why[*change] = Some(note.clone());
        }
    }
    let mut done = Vec::new();
    let mut not_done = Vec::new();
    for (change, why) in plan.changes.iter().zip(why) {
        match why {
            None => done.push(change.clone()),
            Some(why) => not_done.push((change.clone(), why)),
        }
    }
    ApplyReport {
        done,
        failed,
        interrupted,
        not_done,
        recovered,
    }
}

/// A channel created in this run: name, kind and category name (names repeat across
/// categories).
type CreatedChannel = (String, ChannelKind, Option<String>);

struct Executor<'a> {
    discord: &'a Discord,
    guild_id: GuildId,
    /// Keys of roles created in this run.
    roles: RefCell<HashMap<String, RoleId>>,
    /// Channels created in this run, by name, kind and category name.
    channels: RefCell<HashMap<CreatedChannel, ChannelId>>,
    recovered: RefCell<Vec<String>>,
    /// Webhook avatars (data URIs) by webhook name, from the file.
    avatars: HashMap<String, String>,
    /// The file's guild images (data URIs) by their `sha256:` label.
    images: HashMap<String, String>,
    /// Counter for client-made snowflakes.
    snowflakes: Cell<u64>,
    /// Messages posted in this run, by channel, file and part (for their pins).
    posted: RefCell<HashMap<(ChannelId, String, usize), u64>>,
}

impl Executor<'_> {
    async fn run(&self, change: &Change) -> StepResult {
        let reason = format!("miyabi-guild: {}", change.describe());
        let guild = self.guild_id;
        match change {
            Change::CreateEmoji { .. }
            | Change::UpdateEmoji { .. }
            | Change::ReplaceEmoji { .. }
            | Change::DeleteEmoji { .. }
            | Change::CreateSound { .. }
            | Change::UpdateSound { .. }
            | Change::ReplaceSound { .. }
            | Change::DeleteSound { .. }
            | Change::CreateSticker { .. }
            | Change::UpdateSticker { .. }
            | Change::ReplaceSticker { .. }
            | Change::DeleteSticker { .. } => self.emoji(change, &reason).await?,
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
                self.roles.borrow_mut().insert(key.clone(), created.cast());
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
            Change::CreateChannel { channel, position } => {
                let mut body = self.create_channel_body(channel)?;
                if let Some(position) = position {
                    body["position"] = json!(position);
                }
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
                self.channels.borrow_mut().insert(
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
                self.create(
                    format!("guilds/{guild}/auto-moderation/rules"),
                    &body,
                    &reason,
                    |list| find_named(list, &rule.name),
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
                self.create(
                    format!("guilds/{guild}/scheduled-events"),
                    &body,
                    &reason,
                    |list| find_named(list, &event.name),
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
                let channel_text = channel.to_string();
                self.create(
                    format!("channels/{channel}/webhooks"),
                    &body,
                    &reason,
                    |list| {
                        list.as_array()?
                            .iter()
                            .filter(|hook| {
                                hook["name"] == webhook.name.as_str()
                                    && hook["channel_id"] == channel_text.as_str()
                            })
                            .filter_map(|hook| hook["id"].as_str()?.parse().ok())
                            .max()
                    },
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
            Change::CreateInvite { invite, .. } => self.create_invite(invite, &reason).await?,
            Change::DeleteInvite {
                invite,
                inviter,
                created_at,
                ..
            } => {
                self.delete_invite(invite, *inviter, created_at, &reason)
                    .await?
            }
            Change::UpdateWidget { after, .. } => self.update_widget(after, &reason).await?,
            Change::PostMessage {
                channel,
                source,
                part,
                content,
                look,
                mentions,
                ..
            } => {
                // Posted text never pings: `@everyone` in the rules is words, not a mention.
                let channel = self.channel_id(&channel.channel)?;
                let id = self
                    .post_message(channel, content, look, mentions, &reason)
                    .await?;
                self.posted
                    .borrow_mut()
                    .insert((channel, source.clone(), *part), id);
            }
            Change::EditMessage {
                channel,
                message_id,
                after,
                after_look,
                mentions,
                ..
            } => {
                let channel = self.channel_id(&channel.channel)?;
                self.edit_message(channel, *message_id, after, after_look, mentions, &reason)
                    .await?;
            }
            Change::PinMessage {
                channel,
                source,
                part,
                message_id,
                pin,
                ..
            } => {
                let channel = self.channel_id(&channel.channel)?;
                let posted = self
                    .posted
                    .borrow()
                    .get(&(channel, source.clone(), *part))
                    .copied();
                let Some(message_id) = message_id.or(posted) else {
                    return Err(unresolved(&format!("message {part} of {source}")));
                };
                self.pin_message(channel, message_id, *pin, &reason).await?;
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
            Change::CreateThread { .. }
            | Change::UpdateThread { .. }
            | Change::DeleteThread { .. } => return self.thread_change(change, &reason).await,
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
            Change::AssignRole { member, role, .. } | Change::UnassignRole { member, role, .. } => {
                let method = if matches!(change, Change::AssignRole { .. }) {
                    Method::Put
                } else {
                    Method::Delete
                };
                let path = self.assignment_path(member, role)?;
                self.discord.write(method, path, None, &reason).await?;
            }
        }
        Ok(())
    }

    async fn reorder_channels(&self, changes: &[&Change]) -> StepResult {
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

    fn role_id(&self, reference: &RoleRef) -> Result<RoleId, DiscordError> {
        match reference {
            RoleRef::Id(id) => Ok(*id),
            RoleRef::New(key) => self
                .roles
                .borrow()
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
                .borrow()
                .get(&(name.clone(), *kind, category.clone()))
                .copied()
                .ok_or_else(|| unresolved(&crate::plan::channel_label(*kind, name))),
        }
    }
}

fn unresolved(what: &str) -> DiscordError {
    DiscordError::Decode {
        request: "apply".to_owned(),
        detail: format!(
            "{what} was to be created earlier in this run but was not; nothing was sent for this step"
        ),
    }
}
