//! Which changes of a plan wait for which: the plan stays a list in execution order, and this
//! derives the dependencies that let independent changes run at the same time.
//!
//! Each change *reads* and *writes* resources: a role or channel (existing, or created in this
//! run), the order of a sibling list, the guild's settings, the posted messages of a channel. A
//! change waits for every earlier change that writes what it reads or writes, and for every
//! earlier change that reads what it writes, so any two changes that touch the same thing keep
//! the plan's order, and the plan's order of everything else does not matter:
//!
//! - a create writes its new object; whatever names that object (overwrites naming a new role,
//!   channels in a new category, webhooks, messages, events, AutoMod, onboarding, the welcome
//!   screen and the guild settings naming a new channel) reads it, so it waits for the create;
//! - a channel reads its category, so it waits for the category's update (Discord copies a
//!   category's new overwrites to its synced children);
//! - creations decide the order of their list (new roles and channels land at the bottom, in the
//!   order they arrive): when the plan has no reorder for that list, its creates write the list's
//!   order and keep the plan's order; when it has one, the reorder reads every object it places
//!   and runs after their creates and moves, so the creates may race;
//! - announcement and stage channels and every community feature read the guild's settings
//!   (`COMMUNITY` must be on first);
//! - the posted messages of one channel are written in order;
//! - deletes run last: a delete waits for every change before it that is not a delete, and
//!   every change after a delete waits for it (the plan puts replaced channels' deletes first);
//!   among themselves deletes keep only the orders above (children before their category).
//!
//! All channel reorders of a plan go out as one request, so they form one step, at the place of
//! the first.

use crate::model::messages::Mention;
use std::collections::{HashMap, HashSet};

use crate::model::{ChannelKind, SortBucket};
use crate::plan::{
    AutoModSpec, Change, ChangeKind, ChannelPick, ChannelRef, ChannelSpec, EventSpec,
    OnboardingSpec, ParentSpec, Plan, PlannedOverwrite, RolePick, RoleRef, TargetRef, WelcomeSpec,
};

/// One request's worth of the plan: usually one change, all channel reorders together.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Step {
    /// Indices into the plan's changes, ascending.
    pub changes: Vec<usize>,
    /// Indices of the steps this one waits for, ascending.
    pub after: Vec<usize>,
}

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
enum Resource {
    Role(RoleRef),
    Channel(ChannelRef),
    /// The order of the roles, which creations decide when no reorder follows.
    RoleOrder,
    /// The order of one sibling list.
    ChannelOrder(Option<ChannelRef>, SortBucket),
    Guild,
    Messages(ChannelRef),
    /// @everyone's own permissions.
    Everyone,
}

#[derive(Default)]
struct Access {
    reads: Vec<Resource>,
    writes: Vec<Resource>,
}

impl Access {
    fn read_role(&mut self, role: &RoleRef) {
        if let RoleRef::New(_) = role {
            self.reads.push(Resource::Role(role.clone()));
        }
    }

    fn read_channel(&mut self, channel: &ChannelRef) {
        if let ChannelRef::New { .. } = channel {
            self.reads.push(Resource::Channel(channel.clone()));
        }
    }

    fn read_picks<'a>(&mut self, picks: impl IntoIterator<Item = &'a ChannelPick>) {
        for pick in picks {
            self.read_channel(&pick.channel);
        }
    }

    fn read_roles<'a>(&mut self, picks: impl IntoIterator<Item = &'a RolePick>) {
        for pick in picks {
            self.read_role(&pick.role);
        }
    }

    fn read_overwrites(&mut self, overwrites: &[PlannedOverwrite]) {
        for overwrite in overwrites {
            if let TargetRef::Role(role) = &overwrite.target {
                self.read_role(role);
            }
        }
    }

    /// A channel's category (created or updated in this run) and the roles its overwrites name.
    fn read_channel_spec(&mut self, channel: &ChannelSpec) {
        if let Some(parent) = &channel.parent {
            self.reads.push(Resource::Channel(parent.channel.clone()));
        }
        self.read_overwrites(&channel.overwrites);
        if channel.kind == ChannelKind::Announcement || channel.kind.needs_community() {
            self.reads.push(Resource::Guild);
        }
    }

    fn read_welcome(&mut self, screen: &WelcomeSpec) {
        self.read_picks(screen.channels.iter().map(|c| &c.channel));
    }

    fn read_onboarding(&mut self, onboarding: &OnboardingSpec) {
        self.read_picks(&onboarding.default_channels);
        for prompt in &onboarding.prompts {
            for option in &prompt.options {
                self.read_picks(&option.channels);
                self.read_roles(&option.roles);
            }
        }
    }

    fn read_automod(&mut self, rule: &AutoModSpec) {
        self.read_picks(&rule.exempt_channels);
        self.read_roles(&rule.exempt_roles);
        for action in &rule.actions {
            if let crate::model::community::AutoModAction::Alert { channel } = action {
                self.read_channel(&channel.channel);
            }
        }
    }

    fn read_event(&mut self, event: &EventSpec) {
        use crate::model::community::EventLocation;
        if let EventLocation::Stage(pick) | EventLocation::Voice(pick) = &event.location {
            self.read_channel(&pick.channel);
        }
    }

    fn read_guild_picks<'a>(&mut self, picks: impl IntoIterator<Item = &'a Option<ParentSpec>>) {
        self.read_picks(picks.into_iter().flatten());
    }
}

/// The reference the rest of the plan uses for a channel this run creates.
fn created_channel(channel: &ChannelSpec) -> ChannelRef {
    channel.new_ref()
}

/// What one change touches. `reordered` says which lists the plan reorders.
fn access(change: &Change, reordered: &Reordered) -> Access {
    let mut access = Access::default();
    match change {
        Change::CreateRole { key, .. } => {
            access
                .writes
                .push(Resource::Role(RoleRef::New(key.clone())));
            if !reordered.roles {
                access.writes.push(Resource::RoleOrder);
            }
        }
        Change::UpdateRole { id, .. } | Change::DeleteRole { id, .. } => {
            access.writes.push(Resource::Role(RoleRef::Id(*id)));
        }
        Change::UpdateEveryone { .. } => access.writes.push(Resource::Everyone),
        // An assignment waits for the create of a new role (and for an update of the role).
        Change::AssignRole { role, .. } | Change::UnassignRole { role, .. } => {
            access.read_role(&role.role);
        }
        Change::CreateChannel { channel, .. } => {
            access.read_channel_spec(channel);
            access
                .writes
                .push(Resource::Channel(created_channel(channel)));
            let list = (
                channel.parent.as_ref().map(|p| p.channel.clone()),
                channel.kind.sort_bucket(),
            );
            if !reordered.channels.contains(&list) {
                access.writes.push(Resource::ChannelOrder(list.0, list.1));
            }
        }
        Change::UpdateChannel { id, after, .. } => {
            access.read_channel_spec(after);
            access.writes.push(Resource::Channel(ChannelRef::Id(*id)));
        }
        Change::DeleteChannel { id, channel, .. } => {
            if let Some(parent) = &channel.parent {
                access.reads.push(Resource::Channel(parent.channel.clone()));
            }
            access.writes.push(Resource::Channel(ChannelRef::Id(*id)));
        }
        Change::ReorderRoles { after, .. } => {
            for slot in after {
                access.reads.push(Resource::Role(slot.reference.clone()));
            }
            access.writes.push(Resource::RoleOrder);
        }
        Change::ReorderChannels {
            parent,
            bucket,
            after,
            ..
        } => {
            let parent = parent.as_ref().map(|p| p.channel.clone());
            if let Some(parent) = &parent {
                access.reads.push(Resource::Channel(parent.clone()));
            }
            for slot in after {
                access.reads.push(Resource::Channel(slot.reference.clone()));
            }
            access.writes.push(Resource::ChannelOrder(parent, *bucket));
        }
        Change::UpdateGuild { after, .. } => {
            access.read_guild_picks([
                &after.afk_channel,
                &after.system_channel,
                &after.rules_channel,
                &after.public_updates_channel,
                &after.safety_alerts_channel,
            ]);
            access.writes.push(Resource::Guild);
        }
        Change::UpdateWelcomeScreen { after, .. } => {
            access.reads.push(Resource::Guild);
            access.read_welcome(after);
        }
        Change::UpdateOnboarding { after, .. } => {
            access.reads.push(Resource::Guild);
            access.read_onboarding(after);
            if after.enabled {
                access
                    .reads
                    .extend(reordered.channel_access.iter().cloned());
            }
        }
        Change::CreateAutoModRule { rule }
        | Change::UpdateAutoModRule { after: rule, .. }
        | Change::DeleteAutoModRule { rule, .. } => {
            access.reads.push(Resource::Guild);
            access.read_automod(rule);
        }
        Change::CreateEvent { event, .. }
        | Change::UpdateEvent { after: event, .. }
        | Change::DeleteEvent { event, .. } => {
            access.reads.push(Resource::Guild);
            access.read_event(event);
        }
        Change::CreateWebhook { webhook }
        | Change::UpdateWebhook { after: webhook, .. }
        | Change::DeleteWebhook { webhook, .. } => {
            access.reads.push(Resource::Guild);
            access.read_channel(&webhook.channel.channel);
        }
        Change::CreateInvite { invite, .. } | Change::DeleteInvite { invite, .. } => {
            access.reads.push(Resource::Guild);
            access.read_channel(&invite.channel.channel);
        }
        Change::UpdateWidget { after, .. } => {
            access.reads.push(Resource::Guild);
            if let Some(channel) = &after.channel {
                access.read_channel(&channel.channel);
            }
        }
        Change::CreateEmoji { emoji }
        | Change::UpdateEmoji { after: emoji, .. }
        | Change::ReplaceEmoji { after: emoji, .. }
        | Change::DeleteEmoji { emoji, .. } => {
            access.reads.push(Resource::Guild);
            access.read_roles(&emoji.roles);
        }
        Change::CreateSound { .. }
        | Change::UpdateSound { .. }
        | Change::ReplaceSound { .. }
        | Change::DeleteSound { .. }
        | Change::CreateSticker { .. }
        | Change::UpdateSticker { .. }
        | Change::ReplaceSticker { .. }
        | Change::DeleteSticker { .. } => access.reads.push(Resource::Guild),
        Change::PostMessage {
            channel, mentions, ..
        }
        | Change::EditMessage {
            channel, mentions, ..
        } => {
            access.read_channel(&channel.channel);
            // A mention of a channel or role this run creates waits for its id.
            for mention in mentions {
                match &mention.target {
                    Mention::Channel(target) => access.read_channel(target),
                    Mention::Role(target) => access.read_role(target),
                }
            }
            access
                .writes
                .push(Resource::Messages(channel.channel.clone()));
        }
        Change::PinMessage { channel, .. } | Change::DeleteMessage { channel, .. } => {
            access.read_channel(&channel.channel);
            access
                .writes
                .push(Resource::Messages(channel.channel.clone()));
        }
        // After the channel's own changes (its tags); one at a time per channel (one pinned
        // post per channel).
        Change::CreateThread { thread, .. }
        | Change::UpdateThread { after: thread, .. }
        | Change::DeleteThread { thread, .. } => {
            access.read_channel(&thread.channel.channel);
            access
                .writes
                .push(Resource::Messages(thread.channel.channel.clone()));
        }
    }
    access
}

/// What the plan as a whole says about the changes: the lists it reorders explicitly, and
/// what decides who may post where.
struct Reordered {
    roles: bool,
    channels: HashSet<(Option<ChannelRef>, SortBucket)>,
    /// Every channel a create or update writes, and @everyone when its permissions change:
    /// Discord judges enabled onboarding on the channels' access at the time of the request
    /// (5 default channels where @everyone can post), so onboarding waits for all of them.
    channel_access: Vec<Resource>,
}

impl Reordered {
    fn of(plan: &Plan) -> Self {
        let mut reordered = Self {
            roles: false,
            channels: HashSet::new(),
            channel_access: Vec::new(),
        };
        for change in &plan.changes {
            match change {
                Change::CreateChannel { channel, .. } => reordered
                    .channel_access
                    .push(Resource::Channel(created_channel(channel))),
                Change::UpdateChannel { id, .. } => reordered
                    .channel_access
                    .push(Resource::Channel(ChannelRef::Id(*id))),
                Change::UpdateEveryone { .. } => reordered.channel_access.push(Resource::Everyone),
                Change::ReorderRoles { .. } => reordered.roles = true,
                Change::ReorderChannels { parent, bucket, .. } => {
                    reordered
                        .channels
                        .insert((parent.as_ref().map(|p| p.channel.clone()), *bucket));
                }
                _ => {}
            }
        }
        reordered
    }
}

/// The plan's steps in plan order, each with the steps it waits for.
pub fn steps(plan: &Plan) -> Vec<Step> {
    let mut steps: Vec<Step> = Vec::new();
    let mut reorder_step = None;
    for (index, change) in plan.changes.iter().enumerate() {
        if matches!(change, Change::ReorderChannels { .. }) {
            match reorder_step {
                Some(step) => {
                    let step: &mut Step = &mut steps[step];
                    step.changes.push(index);
                }
                None => {
                    reorder_step = Some(steps.len());
                    steps.push(Step {
                        changes: vec![index],
                        after: Vec::new(),
                    });
                }
            }
            continue;
        }
        steps.push(Step {
            changes: vec![index],
            after: Vec::new(),
        });
    }

    let reordered = Reordered::of(plan);
    let mut last_writer: HashMap<Resource, usize> = HashMap::new();
    let mut readers: HashMap<Resource, Vec<usize>> = HashMap::new();
    let mut deletes: Vec<usize> = Vec::new();
    let mut others: Vec<usize> = Vec::new();
    for (step_index, step) in steps.iter_mut().enumerate() {
        let mut access = Access::default();
        for change in &step.changes {
            let one = self::access(&plan.changes[*change], &reordered);
            access.reads.extend(one.reads);
            access.writes.extend(one.writes);
        }
        let mut after: HashSet<usize> = HashSet::new();
        for resource in access.reads.iter().chain(&access.writes) {
            if let Some(writer) = last_writer.get(resource) {
                after.insert(*writer);
            }
        }
        for resource in &access.writes {
            after.extend(readers.remove(resource).unwrap_or_default());
        }
        let is_delete = step
            .changes
            .iter()
            .all(|change| plan.changes[*change].kind() == ChangeKind::Delete);
        if is_delete {
            after.extend(others.iter().copied());
            deletes.push(step_index);
        } else {
            after.extend(deletes.iter().copied());
            others.push(step_index);
        }
        for resource in access.reads {
            readers.entry(resource).or_default().push(step_index);
        }
        for resource in access.writes {
            readers.remove(&resource);
            last_writer.insert(resource, step_index);
        }
        after.remove(&step_index);
        let mut after: Vec<usize> = after.into_iter().collect();
        after.sort_unstable();
        step.after = after;
    }
    steps
}

#[cfg(test)]
mod tests;
