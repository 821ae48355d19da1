//! Targeted plans (`plan --target`, `apply --target`), as Terraform's `-target`: the plan is
//! made as usual, then limited to the targeted objects and what they need.
//!
//! A target is `role:<key>` (`role:everyone` for @everyone), `channel:<name>` and
//! `category:<name>` (a channel as the file's other tables name it: `#rules`, `general in Team 3`,
//! see `config::names`), `automod:<name>`, `event:<name>`, `webhook:<name>`, `guild`,
//! `welcome_screen` or `onboarding`. Objects the plan deletes (not in the file) are targeted by
//! their live name.
//!
//! Kept: every change of a targeted object (its create, update or delete), and, transitively,
//! the creates those changes need: a new channel's new category, the new roles its overwrites
//! name, the new channel a webhook or event uses. Not kept: what merely depends on a target
//! (the webhooks, messages and threads of a targeted channel), unless targeted too. A reorder
//! is kept when its list holds a targeted object; it applies the whole list's order, without
//! the new objects the partial plan does not create. Everything here is pure.

use std::collections::BTreeSet;

use crate::config::names::{self, Place};
use crate::model::{ChannelKey, ChannelKind, DesiredGuild};
use crate::plan::{Change, ChannelRef, Plan, RoleRef, Slot};

/// One resolved target.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Target {
    /// A role by its key and its name (the name finds it in reorders); `everyone` for
    /// @everyone; a role the plan deletes by its live name as both.
    Role {
        key: String,
        name: String,
    },
    /// A channel or category (kind `Category`, no category).
    Channel(ChannelKey),
    AutoMod(String),
    Event(String),
    Webhook(String),
    Guild,
    WelcomeScreen,
    Onboarding,
}

/// The targets of one run: what was typed, and what it names.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Targets {
    pub texts: Vec<String>,
    pub resolved: Vec<Target>,
}

/// A target that names nothing (or several things): a usage error.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TargetError {
    pub message: String,
    pub hint: String,
}

const KINDS: &str = "role:<key>, channel:<name>, category:<name>, automod:<name>, event:<name>, webhook:<name>, guild, welcome_screen, onboarding";

/// Resolves `texts` against the file and the objects `plan` deletes.
pub fn resolve(
    texts: &[String],
    desired: &DesiredGuild,
    plan: &Plan,
) -> Result<Targets, TargetError> {
    let mut targets = Targets::default();
    for text in texts {
        let target = resolve_one(text.trim(), desired, plan)?;
        if !targets.resolved.contains(&target) {
            targets.resolved.push(target);
        }
        if !targets.texts.contains(text) {
            targets.texts.push(text.clone());
        }
    }
    Ok(targets)
}

fn unknown(text: &str, what: &str, close: Option<&str>, prefix: &str) -> TargetError {
    TargetError {
        message: format!("--target {text}: no {what} of that name in the file or the plan"),
        hint: match close {
            Some(close) => format!("did you mean `{prefix}{close}`?"),
            None => format!("a target is one of {KINDS}"),
        },
    }
}

fn resolve_one(text: &str, desired: &DesiredGuild, plan: &Plan) -> Result<Target, TargetError> {
    match text {
        "guild" => return Ok(Target::Guild),
        "welcome_screen" => return Ok(Target::WelcomeScreen),
        "onboarding" => return Ok(Target::Onboarding),
        _ => {}
    }
    let Some((kind, name)) = text.split_once(':') else {
        let words = [
            "guild",
            "welcome_screen",
            "onboarding",
            "role:",
            "channel:",
            "category:",
        ];
        return Err(TargetError {
            message: format!("--target {text}: not a target"),
            hint: match crate::config::suggest(text, words) {
                Some(close) => format!("did you mean `{close}`? (a target is one of {KINDS})"),
                None => format!("a target is one of {KINDS}"),
            },
        });
    };
    let name = name.trim();
    match kind {
        "role" => resolve_role(text, name, desired, plan),
        "channel" => resolve_channel(
            text,
            name.strip_prefix('#').unwrap_or(name),
            false,
            desired,
            plan,
        ),
        "category" => resolve_channel(text, name, true, desired, plan),
        "automod" | "event" | "webhook" => {
            let mut names: Vec<&str> = match kind {
                "automod" => desired
                    .community
                    .automod
                    .iter()
                    .map(|r| r.name.as_str())
                    .collect(),
                "event" => desired
                    .community
                    .events
                    .iter()
                    .map(|e| e.name.as_str())
                    .collect(),
                _ => desired
                    .community
                    .webhooks
                    .iter()
                    .map(|(w, _)| w.name.as_str())
                    .collect(),
            };
            names.extend(
                plan.changes
                    .iter()
                    .filter_map(|change| match (kind, change) {
                        ("automod", Change::DeleteAutoModRule { rule, .. }) => {
                            Some(rule.name.as_str())
                        }
                        ("event", Change::DeleteEvent { event, .. }) => Some(event.name.as_str()),
                        ("webhook", Change::DeleteWebhook { webhook, .. }) => {
                            Some(webhook.name.as_str())
                        }
                        _ => None,
                    }),
            );
            if names.contains(&name) {
                Ok(match kind {
                    "automod" => Target::AutoMod(name.to_owned()),
                    "event" => Target::Event(name.to_owned()),
                    _ => Target::Webhook(name.to_owned()),
                })
            } else {
                let what = match kind {
                    "automod" => "AutoMod rule",
                    "event" => "event",
                    _ => "webhook",
                };
                Err(unknown(
                    text,
                    what,
                    crate::config::suggest(name, names),
                    &format!("{kind}:"),
                ))
            }
        }
        _ => Err(TargetError {
            message: format!("--target {text}: `{kind}` is not a kind of target"),
            hint: match crate::config::suggest(
                kind,
                ["role", "channel", "category", "automod", "event", "webhook"],
            ) {
                Some(close) => format!("did you mean `{close}:{name}`?"),
                None => format!("a target is one of {KINDS}"),
            },
        }),
    }
}

fn resolve_role(
    text: &str,
    key: &str,
    desired: &DesiredGuild,
    plan: &Plan,
) -> Result<Target, TargetError> {
    if key == "everyone" || key == "@everyone" {
        return Ok(Target::Role {
            key: "everyone".to_owned(),
            name: "@everyone".to_owned(),
        });
    }
    if let Some(role) = desired.roles.iter().find(|role| role.key == key) {
        return Ok(Target::Role {
            key: role.key.clone(),
            name: role.settings.name.clone(),
        });
    }
    let deleted = plan.changes.iter().find_map(|change| match change {
        Change::DeleteRole { role, .. } if role.name == key => Some(role.name.clone()),
        _ => None,
    });
    if let Some(name) = deleted {
        return Ok(Target::Role {
            key: name.clone(),
            name,
        });
    }
    let keys = desired
        .roles
        .iter()
        .map(|role| role.key.as_str())
        .chain(std::iter::once("everyone"));
    Err(unknown(
        text,
        "role",
        crate::config::suggest(key, keys),
        "role:",
    ))
}

fn resolve_channel(
    text: &str,
    name: &str,
    category: bool,
    desired: &DesiredGuild,
    plan: &Plan,
) -> Result<Target, TargetError> {
    let places: Vec<Place<'_>> = desired
        .channels
        .iter()
        .map(|channel| Place {
            name: &channel.name,
            kind: channel.kind,
            category: channel.parent.as_deref(),
        })
        .collect();
    let kinds = if category {
        &[ChannelKind::Category][..]
    } else {
        names::NOT_CATEGORY
    };
    let found = names::resolve(name, &places, kinds);
    match found.as_slice() {
        [one] => return Ok(Target::Channel(ChannelKey::of(&desired.channels[*one]))),
        [] => {}
        many => {
            let texts: Vec<String> = many
                .iter()
                .map(|index| format!("`{}`", names::reference(*index, &places, kinds)))
                .collect();
            return Err(TargetError {
                message: format!("--target {text} names {} channels", many.len()),
                hint: format!("name one: {}", texts.join(", ")),
            });
        }
    }
    let deleted = plan.changes.iter().find_map(|change| match change {
        Change::DeleteChannel { channel, .. }
            if channel.name == name && (channel.kind == ChannelKind::Category) == category =>
        {
            Some(ChannelKey {
                name: channel.name.clone(),
                kind: channel.kind,
                category: channel.parent.as_ref().map(|parent| parent.name.clone()),
            })
        }
        _ => None,
    });
    if let Some(key) = deleted {
        return Ok(Target::Channel(key));
    }
    let candidates: Vec<String> = (0..places.len())
        .filter(|index| kinds.contains(&places[*index].kind))
        .map(|index| names::reference(index, &places, kinds))
        .collect();
    let (what, prefix) = if category {
        ("category", "category:")
    } else {
        ("channel", "channel:#")
    };
    Err(unknown(
        text,
        what,
        crate::config::suggest(name, candidates.iter().map(String::as_str)),
        prefix,
    ))
}

/// A reference to an object this plan creates.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum NewRef {
    Role(RoleRef),
    Channel(ChannelRef),
}

/// What `change` creates, for the changes that others may need.
fn creates(change: &Change) -> Option<NewRef> {
    match change {
        Change::CreateRole { key, .. } => Some(NewRef::Role(RoleRef::New(key.clone()))),
        Change::CreateChannel { channel, .. } => Some(NewRef::Channel(channel.new_ref())),
        _ => None,
    }
}

/// Every reference to a new role or channel in `change`, wherever it sits (overwrites, parents,
/// community tables, mentions): found in its serialised form, where they are `{"new": …}`.
fn needs(change: &Change) -> Vec<NewRef> {
    fn walk(value: &serde_json::Value, found: &mut Vec<NewRef>) {
        match value {
            serde_json::Value::Object(map) => {
                if map.len() == 1 && map.contains_key("new") {
                    if let Ok(role) = serde_json::from_value::<RoleRef>(value.clone()) {
                        found.push(NewRef::Role(role));
                        return;
                    }
                    if let Ok(channel) = serde_json::from_value::<ChannelRef>(value.clone()) {
                        found.push(NewRef::Channel(channel));
                        return;
                    }
                }
                map.values().for_each(|inner| walk(inner, found));
            }
            serde_json::Value::Array(items) => items.iter().for_each(|inner| walk(inner, found)),
            _ => {}
        }
    }
    let mut found = Vec::new();
    if let Ok(value) = serde_json::to_value(change) {
        walk(&value, &mut found);
    }
    found
}

fn channel_is(target: &ChannelKey, name: &str, kind: ChannelKind, category: Option<&str>) -> bool {
    target.name == name && target.kind == kind && target.category.as_deref() == category
}

fn spec_is(target: &ChannelKey, spec: &crate::plan::ChannelSpec) -> bool {
    channel_is(
        target,
        &spec.name,
        spec.kind,
        spec.parent.as_ref().map(|parent| parent.name.as_str()),
    )
}

/// Whether `change` is a change of `target` itself (reorders aside).
fn is_of(change: &Change, target: &Target) -> bool {
    match (target, change) {
        (
            Target::Role { key: wanted, .. },
            Change::CreateRole { key, .. } | Change::UpdateRole { key, .. },
        ) => wanted == key,
        (Target::Role { key, .. }, Change::UpdateEveryone { .. }) => key == "everyone",
        (Target::Role { name, .. }, Change::DeleteRole { role, .. }) => *name == role.name,
        // A channel replaced by one of another kind: the old one goes with the new one.
        (
            Target::Channel(key),
            Change::DeleteChannel {
                channel,
                reason: crate::plan::DeleteReason::Replaced { by },
                ..
            },
        ) => {
            spec_is(key, channel)
                || (*by == key.kind
                    && channel.name == key.name
                    && channel.parent.as_ref().map(|parent| &parent.name) == key.category.as_ref())
        }
        (
            Target::Channel(key),
            Change::CreateChannel { channel, .. } | Change::DeleteChannel { channel, .. },
        ) => spec_is(key, channel),
        (Target::Channel(key), Change::UpdateChannel { after, before, .. }) => {
            spec_is(key, after) || spec_is(key, before)
        }
        (Target::Guild, Change::UpdateGuild { .. }) => true,
        (Target::WelcomeScreen, Change::UpdateWelcomeScreen { .. }) => true,
        (Target::Onboarding, Change::UpdateOnboarding { .. }) => true,
        (
            Target::AutoMod(name),
            Change::CreateAutoModRule { rule } | Change::DeleteAutoModRule { rule, .. },
        ) => *name == rule.name,
        (Target::AutoMod(name), Change::UpdateAutoModRule { after, .. }) => *name == after.name,
        (
            Target::Event(name),
            Change::CreateEvent { event, .. } | Change::DeleteEvent { event, .. },
        ) => *name == event.name,
        (Target::Event(name), Change::UpdateEvent { after, .. }) => *name == after.name,
        (
            Target::Webhook(name),
            Change::CreateWebhook { webhook } | Change::DeleteWebhook { webhook, .. },
        ) => *name == webhook.name,
        (Target::Webhook(name), Change::UpdateWebhook { after, .. }) => *name == after.name,
        _ => false,
    }
}

/// Whether a reorder's list holds a target.
fn reorder_holds(change: &Change, target: &Target) -> bool {
    match (target, change) {
        (Target::Role { key, name }, Change::ReorderRoles { after, .. }) => after
            .iter()
            .any(|slot| slot.reference == RoleRef::New(key.clone()) || slot.name == *name),
        (
            Target::Channel(key),
            Change::ReorderChannels {
                parent,
                bucket,
                after,
                ..
            },
        ) => {
            let parent = parent.as_ref().map(|parent| parent.name.as_str());
            key.kind.sort_bucket() == *bucket
                && key.category.as_deref() == parent
                && after.iter().any(|slot| slot.name == key.name)
        }
        _ => false,
    }
}

/// Keeps in `slots` only what exists or is created by the partial plan.
fn without_uncreated<R: Clone + crate::plan::Reference>(
    slots: &mut Vec<Slot<R>>,
    created: &dyn Fn(&R) -> bool,
) {
    slots.retain(|slot| !slot.reference.is_new() || created(&slot.reference));
}

/// Limits `plan` to `targets` and what they need, and marks it partial.
pub fn filter(plan: &mut Plan, targets: &Targets) {
    let changes = std::mem::take(&mut plan.changes);
    let is_reorder = |change: &Change| {
        matches!(
            change,
            Change::ReorderRoles { .. } | Change::ReorderChannels { .. }
        )
    };
    let mut keep: Vec<bool> = changes
        .iter()
        .map(|change| {
            targets.resolved.iter().any(|target| {
                if is_reorder(change) {
                    reorder_holds(change, target)
                } else {
                    is_of(change, target)
                }
            })
        })
        .collect();
    // The creates the kept changes need, transitively (reorders excepted: they lose the new
    // objects that are not created instead).
    loop {
        let needed: BTreeSet<NewRef> = changes
            .iter()
            .zip(&keep)
            .filter(|(change, kept)| **kept && !is_reorder(change))
            .flat_map(|(change, _)| needs(change))
            .collect();
        let mut grew = false;
        for (change, kept) in changes.iter().zip(keep.iter_mut()) {
            if !*kept && creates(change).is_some_and(|made| needed.contains(&made)) {
                *kept = true;
                grew = true;
            }
        }
        if !grew {
            break;
        }
    }
    let created: BTreeSet<NewRef> = changes
        .iter()
        .zip(&keep)
        .filter(|(_, kept)| **kept)
        .filter_map(|(change, _)| creates(change))
        .collect();
    plan.changes = changes
        .into_iter()
        .zip(keep)
        .filter(|(_, kept)| *kept)
        .map(|(mut change, _)| {
            match &mut change {
                Change::ReorderRoles { before, after } => {
                    let made = |role: &RoleRef| created.contains(&NewRef::Role(role.clone()));
                    without_uncreated(before, &made);
                    without_uncreated(after, &made);
                }
                Change::ReorderChannels { before, after, .. } => {
                    let made =
                        |channel: &ChannelRef| created.contains(&NewRef::Channel(channel.clone()));
                    without_uncreated(before, &made);
                    without_uncreated(after, &made);
                }
                _ => {}
            }
            change
        })
        .collect();
    without_unplanned_predictions(&mut plan.changes);
    without_empty_reorders(&mut plan.changes);
    // The rest of the file was not compared: what it keeps is not this plan's business.
    plan.kept.clear();
    plan.partial = true;
    plan.targets = targets.texts.clone();
}

/// A synced channel's update predicts that Discord copies its category's new overwrites to it
/// first; without the category's update in the plan, Discord copies nothing, so the update is
/// compared with the live channel again (and dropped when nothing else differs).
fn without_unplanned_predictions(changes: &mut Vec<Change>) {
    let updated: BTreeSet<crate::model::ChannelId> = changes
        .iter()
        .filter_map(|change| match change {
            Change::UpdateChannel { id, .. } => Some(*id),
            _ => None,
        })
        .collect();
    changes.retain_mut(|change| {
        let Change::UpdateChannel {
            before,
            after,
            predicted_overwrites,
            ..
        } = change
        else {
            return true;
        };
        let parent_updated = match before.parent.as_ref().map(|parent| &parent.channel) {
            Some(ChannelRef::Id(parent)) => updated.contains(parent),
            _ => false,
        };
        if predicted_overwrites.is_some() && !parent_updated {
            *predicted_overwrites = None;
            return !crate::plan::channel_fields(before, after).is_empty();
        }
        true
    });
}

/// The guild as it will be after the partial plan `plan`, as far as access goes: `before` (the
/// live guild), with the roles and channels the partial plan creates or updates as in `after`
/// (the whole file), and the channels synced with a category it updates (Discord copies the
/// category's overwrites to them; `full`, the whole plan, leaves them alone otherwise).
pub fn partial_view(
    plan: &Plan,
    full: &[Change],
    before: &crate::access::View,
    after: &crate::access::View,
) -> crate::access::View {
    let mut view = before.clone();
    let is = |spec: &crate::plan::ChannelSpec, channel: &crate::access::ViewChannel| {
        spec.name == channel.name
            && spec.kind == channel.kind
            && spec.parent.as_ref().map(|parent| &parent.name) == channel.category.as_ref()
    };
    let mut roles: BTreeSet<&str> = BTreeSet::new();
    let mut categories: BTreeSet<&str> = BTreeSet::new();
    let mut channels: Vec<&crate::plan::ChannelSpec> = Vec::new();
    for change in &plan.changes {
        match change {
            Change::UpdateEveryone { .. } => view.everyone = after.everyone,
            Change::CreateRole { key, .. } | Change::UpdateRole { key, .. } => {
                roles.insert(key);
            }
            Change::CreateChannel { channel, .. }
            | Change::UpdateChannel { after: channel, .. } => {
                channels.push(channel);
                if channel.kind == ChannelKind::Category {
                    categories.insert(&channel.name);
                }
            }
            _ => {}
        }
    }
    for role in after
        .roles
        .iter()
        .filter(|role| roles.contains(role.key.as_str()))
    {
        match view.roles.iter_mut().find(|other| other.key == role.key) {
            Some(other) => *other = role.clone(),
            None => view.roles.push(role.clone()),
        }
    }
    let planned_in_full = |channel: &crate::access::ViewChannel| {
        full.iter().any(|change| match change {
            Change::CreateChannel { channel: spec, .. }
            | Change::UpdateChannel { after: spec, .. } => is(spec, channel),
            _ => false,
        })
    };
    for channel in after.channels.iter().filter(|channel| {
        channels.iter().any(|spec| is(spec, channel))
            || channel
                .category
                .as_deref()
                .is_some_and(|category| categories.contains(category) && !planned_in_full(channel))
    }) {
        match view
            .channels
            .iter_mut()
            .find(|other| other.key == channel.key && other.kind == channel.kind)
        {
            Some(other) => *other = channel.clone(),
            None => view.channels.push(channel.clone()),
        }
    }
    view
}

/// Drops a kept reorder that, without the new objects the partial plan does not create, moves
/// nothing.
fn without_empty_reorders(changes: &mut Vec<Change>) {
    fn moves<R: PartialEq + crate::plan::Reference>(before: &[Slot<R>], after: &[Slot<R>]) -> bool {
        after.iter().any(|slot| slot.reference.is_new())
            || before.len() != after.len()
            || before
                .iter()
                .zip(after)
                .any(|(b, a)| b.reference != a.reference)
    }
    changes.retain(|change| match change {
        Change::ReorderRoles { before, after } => moves(before, after),
        Change::ReorderChannels { before, after, .. } => moves(before, after),
        _ => true,
    });
}

#[cfg(test)]
mod tests;
