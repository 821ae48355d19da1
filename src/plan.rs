//! The plan: what `apply` will do, as plain data.
//!
//! A [`Plan`] is produced by `diff::plan`, rendered by `render`, and executed by `apply`. It is
//! serialisable (`plan --json`), sorted in execution order, and countable ([`Plan::summary`]).
//! References to objects that do not exist yet are by key ([`RoleRef::New`], [`ChannelRef::New`]);
//! the executor resolves them to ids as it creates them. Nothing here does I/O.

use serde::{Deserialize, Serialize};

use crate::model::community::{AutoModRule, EventLocation, Onboarding, Webhook, WelcomeScreen};
use crate::model::{
    ChannelId, ChannelKind, ChannelSettings, GuildId, RoleId, RoleSettings, SortBucket, TagId,
    UserId,
};
use crate::permissions::Permissions;

mod fields;
pub use fields::*;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Plan {
    pub guild_id: GuildId,
    pub guild_name: String,
    /// Made against the built-in sandbox, not a real server: every output says so.
    #[serde(default)]
    pub sandbox: bool,
    /// In execution order.
    pub changes: Vec<Change>,
    /// Live objects the file does not mention, left as they are.
    pub kept: Vec<Kept>,
    pub warnings: Vec<String>,
    /// Existing roles and channels the file manages (matched or pruned): the base of the
    /// change-size guard.
    #[serde(default)]
    pub managed: usize,
    /// Who gains or loses access, in words (filled by the CLI from the access module).
    #[serde(default)]
    pub access: Vec<AccessLine>,
    /// Limited to some objects and what they need (`--target`, see `diff::target`): the rest
    /// of the file was not compared.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub partial: bool,
    /// The `--target` texts of a partial plan, as given.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub targets: Vec<String>,
}

/// One change of who can see or post where: "`#moderation` becomes visible to @everyone".
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccessLine {
    pub text: String,
    /// Opens something up (a warning before confirming).
    pub widens: bool,
}

/// A role, existing or about to be created (by its key in the file).
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RoleRef {
    Id(RoleId),
    New(String),
}

/// A channel, existing or about to be created (identified by name, kind and category, unique in
/// a valid file).
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ChannelRef {
    Id(ChannelId),
    New {
        name: String,
        kind: ChannelKind,
        /// The category it is created in (names repeat across categories).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        category: Option<String>,
    },
}

/// How a declared channel was found among the live ones (see `diff::identity`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MatchedBy {
    /// Its `id` pin.
    Id,
    /// Its name, anywhere in the guild (the name is unique).
    #[default]
    Name,
    /// Its name in its category (the name repeats).
    NameInCategory,
    /// A former name, anywhere.
    FormerName,
    /// A former name in its category (the name repeats).
    FormerNameInCategory,
    /// A former place, `previously = [{ category, name }]`.
    FormerPlace,
}

impl MatchedBy {
    pub fn is_name(&self) -> bool {
        *self == Self::Name
    }

    /// How a plan says it, when it is not the plain name rule.
    pub fn describe(self) -> Option<&'static str> {
        match self {
            Self::Name | Self::FormerName => None,
            Self::Id => Some("matched by its id pin"),
            Self::NameInCategory => Some("matched in its category: the name repeats"),
            Self::FormerNameInCategory => {
                Some("matched by a former name in its category: the name repeats")
            }
            Self::FormerPlace => Some("matched at its former place (`previously`)"),
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TargetRef {
    /// `@everyone` is the role whose id is the guild id.
    Role(RoleRef),
    Member(UserId),
}

/// One permission overwrite, with the label a person reads (`@everyone`, `🟠 Moderator`).
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct PlannedOverwrite {
    pub target: TargetRef,
    pub label: String,
    pub allow: Permissions,
    pub deny: Permissions,
}

impl PlannedOverwrite {
    /// Equal in effect: same target, same bits (labels may differ, e.g. a role being renamed).
    pub fn same_effect(&self, other: &Self) -> bool {
        self.target == other.target && self.allow == other.allow && self.deny == other.deny
    }
}

/// Overwrite lists compare as sets of (target, allow, deny).
pub fn same_overwrites(a: &[PlannedOverwrite], b: &[PlannedOverwrite]) -> bool {
    a.len() == b.len() && a.iter().all(|x| b.iter().any(|y| x.same_effect(y)))
}

#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct ParentSpec {
    pub channel: ChannelRef,
    pub name: String,
    /// For people: the category of a channel whose name repeats in the file.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub category: Option<String>,
}

/// Everything the tool manages about one channel.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChannelSpec {
    pub name: String,
    pub kind: ChannelKind,
    pub parent: Option<ParentSpec>,
    pub settings: ChannelSettings,
    /// Sorted by target.
    pub overwrites: Vec<PlannedOverwrite>,
    /// The file says "same overwrites as my category" (display only; `overwrites` holds them).
    pub synced: bool,
    /// For forums: the live id of each tag in `settings.forum.tags` (same order); `None` for a
    /// tag to create.
    pub tag_ids: Vec<Option<TagId>>,
}

impl ChannelSpec {
    /// How the plan refers to this channel while it does not exist yet.
    pub fn new_ref(&self) -> ChannelRef {
        ChannelRef::New {
            name: self.name.clone(),
            kind: self.kind,
            category: self.parent.as_ref().map(|parent| parent.name.clone()),
        }
    }
}

/// A channel update's `before` as it will be when the update runs: the live channel, with the
/// overwrites Discord will have copied from its category when the plan predicts that.
pub fn predicted_before(
    before: &ChannelSpec,
    predicted_overwrites: Option<&[PlannedOverwrite]>,
) -> ChannelSpec {
    let mut before = before.clone();
    if let Some(predicted) = predicted_overwrites {
        before.overwrites = predicted.to_vec();
    }
    before
}

/// A role as the community features reference it: a reference for the executor, a name for
/// people.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct RolePick {
    pub role: RoleRef,
    pub name: String,
}

/// A channel as the community features reference it.
pub type ChannelPick = ParentSpec;

/// A mention of a channel or role this run creates, as its token in a posted message: apply
/// puts the new id in its place.
pub type PendingMention = crate::model::messages::MentionToken<ChannelRef, RoleRef>;
pub use crate::model::messages::MessageLook;

pub type WelcomeSpec = WelcomeScreen<ChannelPick>;
pub type OnboardingSpec = Onboarding<ChannelPick, RolePick>;
pub type AutoModSpec = AutoModRule<ChannelPick, RolePick>;
pub type WebhookSpec = Webhook<ChannelPick>;
pub type InviteSpec = crate::model::invites::Invite<ChannelPick>;
pub type WidgetSpec = crate::model::invites::Widget<ChannelPick>;

/// Why an invite is deleted.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum InviteDeleteReason {
    /// The bot's invite whose settings the file changed: Discord cannot edit an invite, so a
    /// new one is created first.
    Replaced,
    /// The bot's invite the file no longer declares.
    NotInFile,
    /// Someone else's invite, and the file prunes invites.
    Pruned,
}

/// A thread as planned: its channel picked like the community features' channels.
pub type ThreadSpec = crate::model::threads::Thread<ChannelPick>;

pub type EmojiSpec = crate::model::expressions::CustomEmoji<RolePick>;

/// A scheduled event's definition as compared: recurring events by weekday and local time, not
/// by the next occurrence Discord shows.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct EventSpec {
    pub name: String,
    pub description: Option<String>,
    pub location: EventLocation<ChannelPick>,
    pub when: EventWhen,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "every", rename_all = "snake_case")]
pub enum EventWhen {
    Once {
        start: jiff::Timestamp,
        minutes: u32,
    },
    /// `weekday` 0 = Monday (Discord's numbering); `time` is `HH:MM` in `timezone`.
    Weekly {
        weekday: u8,
        time: String,
        timezone: String,
        minutes: u32,
    },
    /// The `week`-th `weekday` of every month.
    Monthly {
        week: u8,
        weekday: u8,
        time: String,
        timezone: String,
        minutes: u32,
    },
}

/// Why a channel is deleted.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DeleteReason {
    /// Not in the file, and the file prunes channels.
    Pruned,
    /// The file wants a channel of another kind with this name; Discord cannot convert it.
    Replaced { by: ChannelKind },
}

/// Whether a reference names an object created by this plan.
pub trait Reference: PartialEq {
    fn is_new(&self) -> bool;
}

impl Reference for RoleRef {
    fn is_new(&self) -> bool {
        matches!(self, Self::New(_))
    }
}

impl Reference for ChannelRef {
    fn is_new(&self) -> bool {
        matches!(self, Self::New { .. })
    }
}

/// A place in an ordered list, as shown in reorders.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Slot<R> {
    pub reference: R,
    pub name: String,
    /// Declared in the file (only these are reordered; the others keep their places).
    pub managed: bool,
}

// A plan holds a few hundred changes at most; boxing the channel specs would complicate every
// consumer for no measurable gain.
#[allow(clippy::large_enum_variant)]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "action", rename_all = "snake_case")]
pub enum Change {
    CreateRole {
        key: String,
        role: RoleSettings,
    },
    UpdateRole {
        id: RoleId,
        key: String,
        before: RoleSettings,
        after: RoleSettings,
    },
    /// `@everyone`'s permissions.
    UpdateEveryone {
        before: Permissions,
        after: Permissions,
    },
    CreateChannel {
        channel: ChannelSpec,
        /// Sent in the create body so the channel lands in its place among its siblings (Discord
        /// stores the position as sent and sorts ties by id); `None` lets Discord put it last.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        position: Option<i64>,
    },
    UpdateChannel {
        id: ChannelId,
        /// The live channel.
        before: ChannelSpec,
        after: ChannelSpec,
        /// Discord's own side effect, predicted: when this channel is synced with a category
        /// whose overwrites this plan changes, Discord copies the category's new overwrites to
        /// it before this change runs. `before` keeps the live value; see [`predicted_before`].
        #[serde(default, skip_serializing_if = "Option::is_none")]
        predicted_overwrites: Option<Vec<PlannedOverwrite>>,
        /// How the live channel was found.
        #[serde(default, skip_serializing_if = "MatchedBy::is_name")]
        matched_by: MatchedBy,
    },
    /// All roles top to bottom, before and after; executed as one bulk request.
    ReorderRoles {
        before: Vec<Slot<RoleRef>>,
        after: Vec<Slot<RoleRef>>,
    },
    /// The siblings of one sort bucket under one parent; all channel reorders of a plan are
    /// executed together as one bulk request.
    ReorderChannels {
        parent: Option<ParentSpec>,
        bucket: SortBucket,
        before: Vec<Slot<ChannelRef>>,
        after: Vec<Slot<ChannelRef>>,
    },
    DeleteChannel {
        id: ChannelId,
        channel: ChannelSpec,
        reason: DeleteReason,
    },
    UpdateWelcomeScreen {
        before: Option<WelcomeSpec>,
        after: WelcomeSpec,
    },
    /// Onboarding is replaced as a whole (`PUT`); prompts and options keep their live ids
    /// (`None`: new).
    UpdateOnboarding {
        before: Option<OnboardingSpec>,
        after: OnboardingSpec,
        prompt_ids: Vec<Option<u64>>,
        option_ids: Vec<Vec<Option<u64>>>,
    },
    CreateAutoModRule {
        rule: AutoModSpec,
    },
    UpdateAutoModRule {
        id: u64,
        before: AutoModSpec,
        after: AutoModSpec,
    },
    DeleteAutoModRule {
        id: u64,
        rule: AutoModSpec,
    },
    /// `start` and `end` are the first occurrence at or after the time the plan was made.
    CreateEvent {
        event: EventSpec,
        start: jiff::Timestamp,
        end: jiff::Timestamp,
    },
    UpdateEvent {
        id: u64,
        before: EventSpec,
        after: EventSpec,
        start: jiff::Timestamp,
        end: jiff::Timestamp,
    },
    DeleteEvent {
        id: u64,
        event: EventSpec,
    },
    CreateWebhook {
        webhook: WebhookSpec,
    },
    UpdateWebhook {
        id: u64,
        before: WebhookSpec,
        after: WebhookSpec,
    },
    DeleteWebhook {
        id: u64,
        webhook: WebhookSpec,
    },
    /// An invite; `replaces` is the bot's invite with other settings that is deleted after it.
    CreateInvite {
        invite: InviteSpec,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        replaces: Option<InviteSpec>,
    },
    /// An invite, found again at apply time by channel, settings, inviter and creation time
    /// (the plan never holds its code).
    DeleteInvite {
        invite: InviteSpec,
        inviter: Option<UserId>,
        created_at: String,
        reason: InviteDeleteReason,
    },
    UpdateWidget {
        before: WidgetSpec,
        after: WidgetSpec,
    },
    /// One part (`part` of `of`) of a Markdown file the tool keeps posted.
    PostMessage {
        channel: ChannelPick,
        source: String,
        part: usize,
        of: usize,
        content: String,
        /// Embeds and flags; a plain message has none.
        #[serde(default, skip_serializing_if = "MessageLook::is_plain")]
        look: MessageLook,
        /// Mentions of objects this run creates: tokens in `content` and the embeds.
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        mentions: Vec<PendingMention>,
        /// `(<#id>, #name)` of each mention with a live id, for people reading the plan.
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        labels: Vec<(String, String)>,
    },
    EditMessage {
        channel: ChannelPick,
        source: String,
        part: usize,
        of: usize,
        message_id: u64,
        before: String,
        after: String,
        #[serde(default, skip_serializing_if = "MessageLook::is_plain")]
        before_look: MessageLook,
        #[serde(default, skip_serializing_if = "MessageLook::is_plain")]
        after_look: MessageLook,
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        mentions: Vec<PendingMention>,
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        labels: Vec<(String, String)>,
    },
    /// Pin (or unpin) one of the bot's posted messages; `message_id` is `None` for the message
    /// this run posts for the same part (the `PostMessage` just before it).
    PinMessage {
        channel: ChannelPick,
        source: String,
        part: usize,
        of: usize,
        message_id: Option<u64>,
        pin: bool,
    },
    /// One of the bot's own messages that the file no longer needs.
    DeleteMessage {
        channel: ChannelPick,
        message_id: u64,
        content: String,
    },
    /// The guild's own settings; `features` is the full feature list to send when COMMUNITY
    /// changes.
    UpdateGuild {
        before: GuildSpec,
        after: GuildSpec,
        features: Option<Vec<String>>,
    },
    DeleteRole {
        id: RoleId,
        role: RoleSettings,
    },
    /// The staff roster: `member` gets the rostered role (`permissions`: what the role grants
    /// after the plan, for people).
    AssignRole {
        member: crate::model::roster::RosterMember,
        role: RolePick,
        permissions: Permissions,
    },
    /// The staff roster: `member` holds the rostered role but the file does not list them.
    UnassignRole {
        member: crate::model::roster::RosterMember,
        role: RolePick,
        permissions: Permissions,
    },
    /// A forum or media post (`post`: one request with its first message), or a thread of a
    /// text channel (a request for the thread, then its first message).
    CreateThread {
        thread: ThreadSpec,
        post: bool,
    },
    /// One of the bot's threads; `message_id` is its first message (`None`: it has none, and
    /// one is posted).
    UpdateThread {
        id: ChannelId,
        post: bool,
        message_id: Option<u64>,
        before: ThreadSpec,
        after: ThreadSpec,
    },
    /// One of the bot's threads the file no longer declares (`[prune] threads = true`).
    DeleteThread {
        id: ChannelId,
        thread: ThreadSpec,
    },
    CreateEmoji {
        emoji: EmojiSpec,
    },
    /// The roles allowed to use it changed.
    UpdateEmoji {
        id: u64,
        before: EmojiSpec,
        after: EmojiSpec,
    },
    /// Its image changed: Discord cannot change an emoji's image (`PATCH` takes name and roles
    /// only), so it is deleted and uploaded again, in one step (it gets a new id).
    ReplaceEmoji {
        id: u64,
        before: EmojiSpec,
        after: EmojiSpec,
    },
    DeleteEmoji {
        id: u64,
        emoji: EmojiSpec,
    },
    CreateSound {
        sound: crate::model::expressions::Sound,
    },
    /// Volume or emoji changed.
    UpdateSound {
        id: u64,
        before: crate::model::expressions::Sound,
        after: crate::model::expressions::Sound,
    },
    /// The file changed: Discord cannot change a sound's file, so it is deleted and uploaded
    /// again, in one step.
    ReplaceSound {
        id: u64,
        before: crate::model::expressions::Sound,
        after: crate::model::expressions::Sound,
    },
    DeleteSound {
        id: u64,
        sound: crate::model::expressions::Sound,
    },
    CreateSticker {
        sticker: crate::model::expressions::Sticker,
    },
    /// Description or tags changed.
    UpdateSticker {
        id: u64,
        before: crate::model::expressions::Sticker,
        after: crate::model::expressions::Sticker,
    },
    /// The file changed: Discord cannot change a sticker's file, so it is deleted and uploaded
    /// again, in one step.
    ReplaceSticker {
        id: u64,
        before: crate::model::expressions::Sticker,
        after: crate::model::expressions::Sticker,
    },
    DeleteSticker {
        id: u64,
        sticker: crate::model::expressions::Sticker,
    },
}

impl Change {
    pub fn kind(&self) -> ChangeKind {
        match self {
            Self::CreateRole { .. }
            | Self::CreateChannel { .. }
            | Self::CreateAutoModRule { .. }
            | Self::CreateEvent { .. }
            | Self::CreateWebhook { .. }
            | Self::CreateInvite { .. }
            | Self::CreateEmoji { .. }
            | Self::CreateSound { .. }
            | Self::CreateSticker { .. }
            | Self::PostMessage { .. }
            | Self::AssignRole { .. }
            | Self::CreateThread { .. } => ChangeKind::Create,
            Self::UpdateWelcomeScreen { .. }
            | Self::UpdateOnboarding { .. }
            | Self::UpdateAutoModRule { .. }
            | Self::UpdateEvent { .. }
            | Self::UpdateWebhook { .. }
            | Self::UpdateWidget { .. }
            | Self::UpdateEmoji { .. }
            | Self::ReplaceEmoji { .. }
            | Self::UpdateSound { .. }
            | Self::ReplaceSound { .. }
            | Self::UpdateSticker { .. }
            | Self::ReplaceSticker { .. }
            | Self::EditMessage { .. }
            | Self::UpdateThread { .. }
            | Self::PinMessage { .. } => ChangeKind::Update,
            Self::DeleteAutoModRule { .. }
            | Self::DeleteEvent { .. }
            | Self::DeleteWebhook { .. }
            | Self::DeleteInvite { .. }
            | Self::DeleteEmoji { .. }
            | Self::DeleteSound { .. }
            | Self::DeleteSticker { .. }
            | Self::DeleteMessage { .. }
            | Self::UnassignRole { .. }
            | Self::DeleteThread { .. } => ChangeKind::Delete,
            Self::UpdateRole { .. }
            | Self::UpdateEveryone { .. }
            | Self::UpdateChannel { .. }
            | Self::UpdateGuild { .. } => ChangeKind::Update,
            Self::DeleteRole { .. } | Self::DeleteChannel { .. } => ChangeKind::Delete,
            Self::ReorderRoles { .. } | Self::ReorderChannels { .. } => ChangeKind::Reorder,
        }
    }

    /// A short description for progress and reports: `create role "🟠 Moderator"`.
    pub fn describe(&self) -> String {
        match self {
            Self::CreateRole { role, .. } => format!("create role \"{}\"", role.name),
            Self::UpdateRole { after, .. } => format!("update role \"{}\"", after.name),
            Self::UpdateEveryone { .. } => "update @everyone".to_owned(),
            Self::UpdateGuild { after, .. } => format!("update the guild \"{}\"", after.name),
            Self::UpdateWelcomeScreen { .. } => "update the welcome screen".to_owned(),
            Self::UpdateOnboarding { .. } => "update onboarding".to_owned(),
            Self::CreateAutoModRule { rule } => format!("create AutoMod rule \"{}\"", rule.name),
            Self::UpdateAutoModRule { after, .. } => {
                format!("update AutoMod rule \"{}\"", after.name)
            }
            Self::DeleteAutoModRule { rule, .. } => {
                format!("delete AutoMod rule \"{}\"", rule.name)
            }
            Self::CreateEvent { event, .. } => format!("create event \"{}\"", event.name),
            Self::UpdateEvent { after, .. } => format!("update event \"{}\"", after.name),
            Self::DeleteEvent { event, .. } => format!("delete event \"{}\"", event.name),
            Self::CreateWebhook { webhook } => {
                format!(
                    "create webhook \"{}\" in {}",
                    webhook.name,
                    pick_label(&webhook.channel)
                )
            }
            Self::UpdateWebhook { after, .. } => {
                format!(
                    "update webhook \"{}\" in {}",
                    after.name,
                    pick_label(&after.channel)
                )
            }
            Self::DeleteWebhook { webhook, .. } => {
                format!(
                    "delete webhook \"{}\" in {}",
                    webhook.name,
                    pick_label(&webhook.channel)
                )
            }
            Self::CreateInvite { invite, .. } => format!("create {}", invite_label(invite)),
            Self::DeleteInvite { invite, .. } => format!("delete {}", invite_label(invite)),
            Self::UpdateWidget { .. } => "update the server widget".to_owned(),
            Self::PostMessage {
                channel,
                source,
                part,
                of,
                ..
            } => {
                format!("post {source} ({part}/{of}) in {}", pick_label(channel))
            }
            Self::EditMessage {
                channel,
                source,
                part,
                of,
                ..
            } => {
                format!("edit {source} ({part}/{of}) in {}", pick_label(channel))
            }
            Self::PinMessage {
                channel,
                source,
                part,
                of,
                pin,
                ..
            } => {
                let verb = if *pin { "pin" } else { "unpin" };
                format!("{verb} {source} ({part}/{of}) in {}", pick_label(channel))
            }
            Self::DeleteMessage { channel, .. } => {
                format!("delete an old message in {}", pick_label(channel))
            }
            Self::DeleteRole { role, .. } => format!("delete role \"{}\"", role.name),
            Self::AssignRole { member, role, .. } => {
                format!("give {} the role \"{}\"", member.label(), role.name)
            }
            Self::UnassignRole { member, role, .. } => {
                format!("take the role \"{}\" from {}", role.name, member.label())
            }
            Self::CreateThread { thread, post } => {
                format!("create {} {}", thread_word(*post), thread_label(thread))
            }
            Self::UpdateThread { after, post, .. } => {
                format!("update {} {}", thread_word(*post), thread_label(after))
            }
            Self::DeleteThread { thread, .. } => {
                format!("delete thread {}", thread_label(thread))
            }
            Self::CreateEmoji { emoji } => format!("create emoji :{}:", emoji.name),
            Self::UpdateEmoji { after, .. } => format!("update emoji :{}:", after.name),
            Self::ReplaceEmoji { after, .. } => format!("replace emoji :{}:", after.name),
            Self::DeleteEmoji { emoji, .. } => format!("delete emoji :{}:", emoji.name),
            Self::CreateSound { sound } => format!("create sound \"{}\"", sound.name),
            Self::UpdateSound { after, .. } => format!("update sound \"{}\"", after.name),
            Self::ReplaceSound { after, .. } => format!("replace sound \"{}\"", after.name),
            Self::DeleteSound { sound, .. } => format!("delete sound \"{}\"", sound.name),
            Self::CreateSticker { sticker } => format!("create sticker \"{}\"", sticker.name),
            Self::UpdateSticker { after, .. } => format!("update sticker \"{}\"", after.name),
            Self::ReplaceSticker { after, .. } => format!("replace sticker \"{}\"", after.name),
            Self::DeleteSticker { sticker, .. } => format!("delete sticker \"{}\"", sticker.name),
            Self::CreateChannel { channel, .. } => {
                format!("create {}", channel_label(channel.kind, &channel.name))
            }
            Self::UpdateChannel { after, .. } => {
                format!("update {}", channel_label(after.kind, &after.name))
            }
            Self::DeleteChannel { channel, .. } => {
                format!("delete {}", channel_label(channel.kind, &channel.name))
            }
            Self::ReorderRoles { .. } => "reorder roles".to_owned(),
            Self::ReorderChannels { parent, bucket, .. } => {
                format!("reorder {}", bucket_label(parent.as_ref(), *bucket))
            }
        }
    }
}

/// `invite to #welcome (permanent, unlimited uses)`: an invite in words, never its code.
pub fn invite_label(invite: &InviteSpec) -> String {
    format!(
        "invite to {} ({})",
        pick_label(&invite.channel),
        invite.describe_settings()
    )
}

/// `post` for forum and media posts, `thread` for threads of text channels.
pub fn thread_word(post: bool) -> &'static str {
    if post { "post" } else { "thread" }
}

/// `"How to ask" in #faq`.
pub fn thread_label(thread: &ThreadSpec) -> String {
    format!("\"{}\" in {}", thread.title, pick_label(&thread.channel))
}

/// `#name` for a channel picked by a community feature; `#general in "Team 3"` when its name
/// repeats.
pub fn pick_label(pick: &ChannelPick) -> String {
    let label = match &pick.channel {
        ChannelRef::New { kind, .. } => channel_label(*kind, &pick.name),
        ChannelRef::Id(_) => format!("#{}", pick.name),
    };
    match &pick.category {
        Some(category) => format!("{label} in \"{category}\""),
        None => label,
    }
}

/// `#general`, `voice channel "🔊 Lounge"`, `category "STAFF"`.
pub fn channel_label(kind: ChannelKind, name: &str) -> String {
    match kind {
        ChannelKind::Text => format!("#{name}"),
        other => format!("{} \"{name}\"", other.describe()),
    }
}

/// `channels in "📢 WELCOME"`, `voice channels outside categories`, `categories`.
pub fn bucket_label(parent: Option<&ParentSpec>, bucket: SortBucket) -> String {
    let what = match bucket {
        SortBucket::Category => return "categories".to_owned(),
        SortBucket::TextLike => "text channels",
        SortBucket::VoiceLike => "voice channels",
    };
    match parent {
        Some(parent) => format!("{what} in \"{}\"", parent.name),
        None => format!("{what} outside categories"),
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ChangeKind {
    Create,
    Update,
    Delete,
    Reorder,
}

/// A live object the file does not declare.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "object", rename_all = "snake_case")]
pub enum Kept {
    Role {
        id: RoleId,
        name: String,
    },
    Channel {
        id: ChannelId,
        name: String,
        kind: ChannelKind,
        parent: Option<String>,
    },
    AutoModRule {
        id: u64,
        name: String,
    },
    Event {
        id: u64,
        name: String,
    },
    Webhook {
        id: u64,
        name: String,
        channel: String,
    },
    /// Invites members made to one channel (not in the file, invites not pruned).
    Invites {
        channel: String,
        count: usize,
    },
    Emoji {
        id: u64,
        name: String,
    },
    Sound {
        id: u64,
        name: String,
    },
    Sticker {
        id: u64,
        name: String,
    },
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Summary {
    pub create: usize,
    pub update: usize,
    pub delete: usize,
    pub reorder: usize,
}

impl Summary {
    pub fn total(self) -> usize {
        self.create + self.update + self.delete + self.reorder
    }
}

impl Plan {
    pub fn summary(&self) -> Summary {
        let mut summary = Summary::default();
        for change in &self.changes {
            match change.kind() {
                ChangeKind::Create => summary.create += 1,
                ChangeKind::Update => summary.update += 1,
                ChangeKind::Delete => summary.delete += 1,
                ChangeKind::Reorder => summary.reorder += 1,
            }
        }
        summary
    }

    pub fn is_empty(&self) -> bool {
        self.changes.is_empty()
    }
}
