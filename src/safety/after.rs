//! The guild as it will be once the plan has run, for the checks Discord makes on the whole
//! guild rather than on one request: its limits (250 roles, 500 channels, 50 per category, the
//! AutoMod rules per trigger type), the channels a Community server cannot lose, and the
//! onboarding requirements. Each would otherwise fail mid-apply (30005, 30013, 50074, 350000)
//! with part of the plan written, and fail the same way on every rerun.
//!
//! Pure: the plan and the live guild in, refusals out. Objects the file does not manage count
//! as they are live.

use crate::config::limits;
use crate::model::community::Trigger;
use crate::model::{ChannelKind, LiveGuild, RoleId};
use crate::permissions::Permissions;
use crate::plan::{Change, ChannelRef, ChannelSpec, GuildSpec, Plan, RoleRef, TargetRef};

use super::Refusal;

/// Discord's onboarding needs this many default channels (onboarding docs) ...
pub const ONBOARDING_MIN_DEFAULT_CHANNELS: usize = 7;
/// ... of which @everyone can view and post in this many.
pub const ONBOARDING_MIN_WRITABLE: usize = 5;

/// The guild update of the plan, if any (it runs before the channels that need it).
fn guild_update(plan: &Plan) -> Option<&GuildSpec> {
    plan.changes.iter().find_map(|change| match change {
        Change::UpdateGuild { after, .. } => Some(after),
        _ => None,
    })
}

/// Whether the guild is a Community server once the plan's guild update has run.
pub fn community_after(plan: &Plan, live: &LiveGuild) -> bool {
    guild_update(plan).map_or(live.settings.community, |guild| guild.community)
}

/// One channel of the guild after the plan.
struct ChannelAfter {
    reference: ChannelRef,
    name: String,
    kind: ChannelKind,
    parent: Option<ChannelRef>,
    /// `@everyone`'s overwrite: (allow, deny).
    everyone: Option<(Permissions, Permissions)>,
}

fn everyone_overwrite_of(
    spec: &ChannelSpec,
    everyone: RoleId,
) -> Option<(Permissions, Permissions)> {
    spec.overwrites
        .iter()
        .find(|o| o.target == TargetRef::Role(RoleRef::Id(everyone)))
        .map(|o| (o.allow, o.deny))
}

fn channels_after(plan: &Plan, live: &LiveGuild) -> Vec<ChannelAfter> {
    let everyone = RoleId::new(live.id.get());
    let mut channels = Vec::new();
    for channel in &live.channels {
        let deleted = plan
            .changes
            .iter()
            .any(|c| matches!(c, Change::DeleteChannel { id, .. } if *id == channel.id));
        if deleted {
            continue;
        }
        let updated = plan.changes.iter().find_map(|change| match change {
            Change::UpdateChannel { id, after, .. } if *id == channel.id => Some(after),
            _ => None,
        });
        channels.push(match updated {
            Some(after) => ChannelAfter {
                reference: ChannelRef::Id(channel.id),
                name: after.name.clone(),
                kind: after.kind,
                parent: after.parent.as_ref().map(|p| p.channel.clone()),
                everyone: everyone_overwrite_of(after, everyone),
            },
            None => ChannelAfter {
                reference: ChannelRef::Id(channel.id),
                name: channel.name.clone(),
                kind: channel.kind,
                parent: channel.parent_id.map(ChannelRef::Id),
                everyone: channel
                    .overwrites
                    .iter()
                    .find(|o| o.target == crate::model::LiveTarget::Role(everyone))
                    .map(|o| (o.allow, o.deny)),
            },
        });
    }
    for change in &plan.changes {
        if let Change::CreateChannel { channel, .. } = change {
            channels.push(ChannelAfter {
                reference: channel.new_ref(),
                name: channel.name.clone(),
                kind: channel.kind,
                parent: channel.parent.as_ref().map(|p| p.channel.clone()),
                everyone: everyone_overwrite_of(channel, everyone),
            });
        }
    }
    channels
}

fn everyone_after(plan: &Plan, live: &LiveGuild) -> Permissions {
    plan.changes
        .iter()
        .find_map(|change| match change {
            Change::UpdateEveryone { after, .. } => Some(*after),
            _ => None,
        })
        .unwrap_or(live.everyone_permissions)
}

/// Every check of the guild after the plan.
pub fn refusals(plan: &Plan, live: &LiveGuild) -> Vec<Refusal> {
    let channels = channels_after(plan, live);
    let mut refusals = Vec::new();
    community_channels(plan, live, &mut refusals);
    counts(plan, live, &channels, &mut refusals);
    automod(plan, live, &mut refusals);
    onboarding(plan, live, &channels, &mut refusals);
    refusals
}

/// A Community server's rules and community-updates channels cannot be deleted (50074): unless
/// the same plan points the guild at other channels first (the guild update runs before
/// deletes), deleting one is refused.
fn community_channels(plan: &Plan, live: &LiveGuild, refusals: &mut Vec<Refusal>) {
    if !community_after(plan, live) {
        return;
    }
    let update = guild_update(plan);
    let rules = update.map_or(live.settings.rules_channel.map(ChannelRef::Id), |guild| {
        guild.rules_channel.as_ref().map(|p| p.channel.clone())
    });
    let updates = update.map_or(
        live.settings.public_updates_channel.map(ChannelRef::Id),
        |guild| {
            guild
                .public_updates_channel
                .as_ref()
                .map(|p| p.channel.clone())
        },
    );
    for change in &plan.changes {
        let Change::DeleteChannel { id, channel, .. } = change else {
            continue;
        };
        let reference = Some(ChannelRef::Id(*id));
        let (role, key) = if reference == rules {
            ("rules channel", "rules_channel")
        } else if reference == updates {
            ("community updates channel", "public_updates_channel")
        } else {
            continue;
        };
        refusals.push(Refusal {
            message: format!(
                "{}: it is the Community server's {role}, which Discord does not let anyone delete (50074)",
                change.describe()
            ),
            hint: format!(
                "declare #{} in the file to keep it, or set `{key}` in [guild] to another channel (the guild update runs before the delete)",
                channel.name
            ),
        });
    }
}

/// Roles, channels, and channels per category, counted after the plan.
fn counts(plan: &Plan, live: &LiveGuild, channels: &[ChannelAfter], refusals: &mut Vec<Refusal>) {
    let created = |f: fn(&Change) -> bool| plan.changes.iter().filter(|c| f(c)).count();
    let roles = live.roles.len() + created(|c| matches!(c, Change::CreateRole { .. }))
        - created(|c| matches!(c, Change::DeleteRole { .. }));
    if roles > limits::ROLES {
        refusals.push(Refusal {
            message: format!(
                "after this plan the guild would have {roles} roles besides @everyone; Discord allows {} (30005)",
                limits::ROLES
            ),
            hint: "declare fewer roles, or prune roles the file does not list (`[prune] roles = true`) after checking who holds them".to_owned(),
        });
    }
    if channels.len() > limits::CHANNELS {
        refusals.push(Refusal {
            message: format!(
                "after this plan the guild would have {} channels (categories included); Discord allows {} (30013)",
                channels.len(),
                limits::CHANNELS
            ),
            hint: "declare fewer channels, or prune channels the file does not list (`[prune] channels = true`)".to_owned(),
        });
    }
    for category in channels.iter().filter(|c| c.kind == ChannelKind::Category) {
        let children = channels
            .iter()
            .filter(|c| c.parent.as_ref() == Some(&category.reference))
            .count();
        if children > limits::CHANNELS_PER_CATEGORY {
            refusals.push(Refusal {
                message: format!(
                    "after this plan the category \"{}\" would hold {children} channels; Discord allows {} (50035)",
                    category.name,
                    limits::CHANNELS_PER_CATEGORY
                ),
                hint: "move some of its channels to another category; channels the file does not list count too".to_owned(),
            });
        }
    }
}

/// AutoMod rules per trigger type after the plan (keyword 6, the others 1 each), unmanaged live
/// rules included.
fn automod(plan: &Plan, live: &LiveGuild, refusals: &mut Vec<Refusal>) {
    let deleted = |id: u64| {
        plan.changes
            .iter()
            .any(|c| matches!(c, Change::DeleteAutoModRule { id: gone, .. } if *gone == id))
    };
    let mut triggers: Vec<&Trigger> = live
        .community
        .automod
        .iter()
        .filter(|rule| !deleted(rule.id))
        .map(|rule| &rule.rule.trigger)
        .collect();
    triggers.extend(plan.changes.iter().filter_map(|change| match change {
        Change::CreateAutoModRule { rule } => Some(&rule.trigger),
        _ => None,
    }));
    let mut seen: Vec<u8> = Vec::new();
    for trigger in &triggers {
        let kind = trigger.discord_type();
        if seen.contains(&kind) {
            continue;
        }
        seen.push(kind);
        let count = triggers.iter().filter(|t| t.discord_type() == kind).count();
        if count > trigger.max_per_guild() {
            refusals.push(Refusal {
                message: format!(
                    "after this plan the guild would have {count} AutoMod rules of trigger type {kind}; Discord allows {} (30034)",
                    trigger.max_per_guild()
                ),
                hint: "the guild already has rules the file does not list: declare them in the file (matched by name), or prune them (`[prune] automod = true`)".to_owned(),
            });
        }
    }
}

/// Enabled onboarding needs 7 default channels, 5 of them where @everyone can view and post
/// (in advanced mode the channels of onboarding questions count too), on the guild after the
/// plan: otherwise Discord refuses the onboarding update (350000).
fn onboarding(
    plan: &Plan,
    live: &LiveGuild,
    channels: &[ChannelAfter],
    refusals: &mut Vec<Refusal>,
) {
    let Some(after) = plan.changes.iter().find_map(|change| match change {
        Change::UpdateOnboarding { after, .. } => Some(after),
        _ => None,
    }) else {
        return;
    };
    if !after.enabled {
        return;
    }
    let mut counted: Vec<&ChannelRef> = after.default_channels.iter().map(|p| &p.channel).collect();
    if after.mode == crate::model::community::OnboardingMode::Advanced {
        for pick in after
            .prompts
            .iter()
            .filter(|prompt| prompt.in_onboarding)
            .flat_map(|prompt| prompt.options.iter())
            .flat_map(|option| option.channels.iter())
        {
            if !counted.contains(&&pick.channel) {
                counted.push(&pick.channel);
            }
        }
    }
    let base = everyone_after(plan, live);
    let writable: Vec<&str> = counted
        .iter()
        .filter_map(|reference| channels.iter().find(|c| &c.reference == *reference))
        .filter(|channel| {
            let permissions = if base.contains(Permissions::ADMINISTRATOR) {
                Permissions::all()
            } else {
                match channel.everyone {
                    Some((allow, deny)) => base.difference(deny).union(allow),
                    None => base,
                }
            };
            permissions.contains(Permissions::VIEW_CHANNEL.union(Permissions::SEND_MESSAGES))
        })
        .map(|channel| channel.name.as_str())
        .collect();
    if counted.len() < ONBOARDING_MIN_DEFAULT_CHANNELS {
        refusals.push(Refusal {
            message: format!(
                "update onboarding: it is enabled with {} default channels; Discord requires at least {ONBOARDING_MIN_DEFAULT_CHANNELS} (350000)",
                counted.len()
            ),
            hint: format!(
                "list at least {ONBOARDING_MIN_DEFAULT_CHANNELS} channels in [onboarding] `default_channels`, or set `enabled = false`"
            ),
        });
    } else if writable.len() < ONBOARDING_MIN_WRITABLE {
        refusals.push(Refusal {
            message: format!(
                "update onboarding: after this plan @everyone can view and post in only {} of its default channels ({}); Discord requires at least {ONBOARDING_MIN_WRITABLE} (350000)",
                writable.len(),
                if writable.is_empty() { "none".to_owned() } else { writable.iter().map(|n| format!("#{n}")).collect::<Vec<_>>().join(", ") }
            ),
            hint: "pick default channels where @everyone has `view_channel` and `send_messages` (after [everyone] and each channel's overwrites), or set `enabled = false`".to_owned(),
        });
    }
}
