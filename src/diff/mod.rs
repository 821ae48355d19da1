//! The diff: `(desired, live) -> Plan`, a pure function.
//!
//! Steps, each deterministic (no I/O, no clock, no hash-map order in the output):
//!
//! 1. **Identity** ([`identity`]). Desired roles and channels are matched to live ones without
//!    any state file: first by pinned `id`, then by current name, then by `previously` names.
//!    Channels match by name *and* kind, anywhere in the guild when the name is unique (moving a
//!    channel between categories is a move), in their category when the name repeats. Two live
//!    objects that both match are an error naming both ids. Integration-managed roles never
//!    match and are never touched.
//! 2. **Fields.** Matched objects are compared field by field on the shared settings model;
//!    overwrites compare as sets of (target, allow, deny), with desired role keys resolved to the
//!    matched live role ids.
//! 3. **Server-side effects.** When a category's overwrites change, Discord copies the change to
//!    the children that were synced with it. A child's update keeps the live value as "before"
//!    and carries the predicted overwrites beside it (`predicted_overwrites`); fields compare
//!    from the prediction, so a rerun does not flip-flop.
//! 4. **Order** ([`order`]). Creations land at the bottom of their list (roles at position 1 below every
//!    existing role; channels last in their sort bucket) unless they send a position. The
//!    after-state order is simulated from live positions; when the relative order of the
//!    *managed* siblings differs from the file's, the list's channel creates carry positions
//!    that place them, or, where positions cannot, one reorder is planned for that list,
//!    refilling only the managed slots so unmanaged objects keep their places.
//!
//! Before all of this, live objects the file ignores (`[ignore]`) are taken out of the live side:
//! see [`without_ignored`].

use std::collections::{HashMap, HashSet};

use crate::plan::predicted_before;

use crate::model::{
    ChannelKey, ChannelKind, DesiredChannel, DesiredGuild, DesiredOverwrites, DesiredTarget,
    LiveChannel, LiveGuild, LiveTarget, Overwrite, RoleSettings, TagId, Unlisted,
};
use crate::plan::{
    Change, ChannelRef, ChannelSpec, DeleteReason, Field, GuildSpec, Kept, MatchedBy, ParentSpec,
    Plan, PlannedOverwrite, RoleRef, TargetRef, channel_fields, channel_label, guild_fields,
    role_fields, same_overwrites,
};

/// Why two sides could not be lined up. Each names the objects so the user can fix the file.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum DiffError {
    #[error("role `{key}` (\"{name}\") matches {} live roles: {}", ids.len(), join_ids(ids))]
    AmbiguousRole {
        key: String,
        name: String,
        ids: Vec<u64>,
    },
    #[error("{} matches {} live channels: {}", channel_label(*kind, name), ids.len(), join_ids(ids))]
    AmbiguousChannel {
        name: String,
        kind: ChannelKind,
        ids: Vec<u64>,
    },
    #[error(
        "role `{key}` (\"{name}\") has the name of a role Discord manages for a bot or integration (id {id})"
    )]
    DeclaredBotRole { key: String, name: String, id: u64 },
    #[error(
        "overwrites name the bot's role `@{name}`, but the guild has no role of that name managed by a bot or integration"
    )]
    BotRoleMissing { name: String },
    #[error("`@{name}` matches {} roles managed by bots or integrations: {}", ids.len(), join_ids(ids))]
    AmbiguousBotRole { name: String, ids: Vec<u64> },
    #[error("role `{key}` is pinned to id {id}, but the guild has no such role")]
    PinnedRoleMissing { key: String, id: u64 },
    #[error("role `{key}` is pinned to id {id}, which is managed by an integration")]
    PinnedRoleManaged { key: String, id: u64 },
    #[error("{} is pinned to id {id}, but the guild has no such channel", channel_label(*kind, name))]
    PinnedChannelMissing {
        name: String,
        kind: ChannelKind,
        id: u64,
    },
    #[error("{} is pinned to id {id}, which is a {}", channel_label(*kind, name), found.describe())]
    PinnedChannelKind {
        name: String,
        kind: ChannelKind,
        id: u64,
        found: ChannelKind,
    },
}

impl DiffError {
    pub fn hint(&self) -> String {
        match self {
            Self::AmbiguousRole { .. } | Self::AmbiguousChannel { .. } => {
                "pin the one you mean with `id = \"...\"`, or rename or delete the other in Discord".to_owned()
            }
            Self::PinnedRoleMissing { .. } | Self::PinnedChannelMissing { .. } => {
                "remove the `id` pin to match by name, or copy the right id from Discord (Developer Mode → Copy ID)"
                    .to_owned()
            }
            Self::PinnedRoleManaged { .. } => {
                "roles of bots and integrations are managed by Discord; remove this role from the file".to_owned()
            }
            Self::PinnedChannelKind { .. } => "fix the channel's `type`, or pin the right id".to_owned(),
            Self::DeclaredBotRole { name, .. } => format!(
                "a bot's role is made by Discord and cannot be declared: remove this role from `[[roles]]`, and give the bot access with `{{ role = \"@{name}\", allow = [...] }}` in overwrites"
            ),
            Self::BotRoleMissing { name } => format!(
                "invite the bot whose role is `{name}` first: Discord creates a bot's role when the bot joins the server. Then plan again"
            ),
            Self::AmbiguousBotRole { .. } => {
                "two bots' roles have this name; rename one of them in Discord".to_owned()
            }
        }
    }
}

fn join_ids(ids: &[u64]) -> String {
    ids.iter()
        .map(u64::to_string)
        .collect::<Vec<_>>()
        .join(" and ")
}

/// Computes the plan that makes `live` look like `desired`.
///
/// `now` only matters for scheduled events: a new recurring event starts at its next occurrence,
/// and a one-off event in the past is not created.
pub fn plan(
    desired: &DesiredGuild,
    live: &LiveGuild,
    now: jiff::Timestamp,
) -> Result<Plan, Vec<DiffError>> {
    let filtered;
    let live = if desired.ignore.is_empty() {
        live
    } else {
        filtered = without_ignored(live, &desired.ignore);
        &filtered
    };
    let (matches, errors) = identity::identify(desired, live);
    if !errors.is_empty() {
        return Err(errors);
    }
    let replaced = identity::find_replacements(desired, live, &matches.channels);
    Ok(Differ {
        desired,
        live,
        role_matches: matches.roles,
        channel_matches: matches.channels,
        channel_rules: matches.channel_rules,
        replaced,
        now,
    }
    .run())
}

// ---------------------------------------------------------------------------------------------
// Comparison

struct Differ<'a> {
    desired: &'a DesiredGuild,
    live: &'a LiveGuild,
    /// Desired role index → live role index.
    role_matches: Vec<Option<usize>>,
    /// Desired channel index → live channel index.
    channel_matches: Vec<Option<usize>>,
    /// How each matched channel was found.
    channel_rules: Vec<Option<MatchedBy>>,
    /// Live channel index → desired channel index, for channels replaced by one of another kind.
    replaced: HashMap<usize, usize>,
    /// When the plan is made (scheduled events only).
    now: jiff::Timestamp,
}

impl Differ<'_> {
    fn run(&self) -> Plan {
        let mut changes = Vec::new();
        let mut kept = Vec::new();
        let mut warnings = Vec::new();

        self.role_changes(&mut changes, &mut warnings);
        let channel_specs: Vec<ChannelSpec> = (0..self.desired.channels.len())
            .map(|i| self.desired_spec(i))
            .collect();
        let guild_update = self.guild_change(&mut warnings);
        let deleted_channels = self.channel_changes(
            &channel_specs,
            guild_update,
            &mut changes,
            &mut kept,
            &mut warnings,
        );
        self.move_hints(&mut warnings);
        self.rename_hints(&mut warnings);
        let deleted_roles = self.unmanaged_roles(&mut kept);

        if let Some(reorder) = self.role_reorder(&deleted_roles) {
            changes.push(reorder);
        }
        let (reorders, positions) = self.channel_reorders(&channel_specs, &deleted_channels);
        let creates = changes.iter_mut().filter_map(|change| match change {
            Change::CreateChannel { position, .. } => Some(position),
            _ => None,
        });
        for (position, placed) in creates.zip(positions) {
            *position = placed;
        }
        changes.extend(reorders);

        let mut community_deletes = Vec::new();
        self.community_changes(
            &mut changes,
            &mut community_deletes,
            &mut kept,
            &mut warnings,
        );
        self.invite_changes(
            &mut changes,
            &mut community_deletes,
            &mut kept,
            &mut warnings,
        );
        self.thread_changes(&mut changes, &mut community_deletes, &mut warnings);
        changes.extend(community_deletes);
        self.roster_changes(&mut changes);

        for channel in deleted_channels.iter().filter(|c| !self.is_replaced(c)) {
            changes.push(Change::DeleteChannel {
                id: channel.id,
                channel: self.live_spec(channel),
                reason: DeleteReason::Pruned,
            });
            warnings.push(format!(
                "{} will be deleted with all its messages; this cannot be undone",
                self.live_label(channel)
            ));
        }
        for role in &deleted_roles {
            changes.push(Change::DeleteRole {
                id: role.id,
                role: role.settings.clone(),
            });
        }

        kept.sort_by_key(kept_sort_key);
        let managed = self.role_matches.iter().flatten().count()
            + self.channel_matches.iter().flatten().count()
            + deleted_roles.len()
            + deleted_channels.len();
        Plan {
            managed,
            access: Vec::new(),
            guild_id: self.live.id,
            guild_name: self.live.name.clone(),
            sandbox: false,
            changes,
            kept,
            warnings,
            partial: false,
            targets: Vec::new(),
        }
    }

    /// `#general`, with its category when its name repeats in the guild: for warnings.
    fn live_label(&self, channel: &LiveChannel) -> String {
        let label = channel_label(channel.kind, &channel.name);
        let repeats = self.live.channels.iter().any(|other| {
            other.id != channel.id
                && other.name == channel.name
                && other.kind.family() == channel.kind.family()
        });
        match channel.parent_id.and_then(|id| self.live.channel(id)) {
            Some(parent) if repeats => format!("{label} in \"{}\"", parent.name),
            _ => label,
        }
    }

    fn role_ref(&self, key: &str) -> RoleRef {
        let index = self.desired.roles.iter().position(|role| role.key == key);
        match index.and_then(|i| self.role_matches[i]) {
            Some(live) => RoleRef::Id(self.live.roles[live].id),
            None => RoleRef::New(key.to_owned()),
        }
    }

    fn role_changes(&self, changes: &mut Vec<Change>, warnings: &mut Vec<String>) {
        for (index, role) in self.desired.roles.iter().enumerate() {
            if self.role_matches[index].is_none() {
                let role = self.gate_role_features(&role.settings, None, warnings);
                changes.push(Change::CreateRole {
                    key: self.desired.roles[index].key.clone(),
                    role,
                });
            }
        }
        if let Some(after) = self.desired.everyone_permissions {
            let before = self.live.everyone_permissions;
            if before != after {
                changes.push(Change::UpdateEveryone { before, after });
            }
        }
        for (index, role) in self.desired.roles.iter().enumerate() {
            if let Some(live) = self.role_matches[index] {
                let live = &self.live.roles[live];
                let wanted = images::same_role_icon(self.live, &role.settings, live);
                let after = self.gate_role_features(&wanted, Some(&live.settings), warnings);
                if !role_fields(&live.settings, &after).is_empty() {
                    changes.push(Change::UpdateRole {
                        id: live.id,
                        key: role.key.clone(),
                        before: live.settings.clone(),
                        after,
                    });
                }
            }
        }
    }

    /// Role icons need `ROLE_ICONS` and gradients `ENHANCED_ROLE_COLORS` (server boosts). Without
    /// them the plan keeps what the role has and warns, rather than failing in the middle of
    /// an apply.
    fn gate_role_features(
        &self,
        wanted: &RoleSettings,
        live: Option<&RoleSettings>,
        warnings: &mut Vec<String>,
    ) -> RoleSettings {
        let mut role = wanted.clone();
        let fallback = live
            .cloned()
            .unwrap_or_else(|| RoleSettings::named(&wanted.name));
        // `icon = "discord:<hash>"` (written by import) keeps the icon the role has; there is no
        // image to upload for a role that has none.
        if role
            .icon
            .as_deref()
            .is_some_and(|icon| icon.starts_with("discord:"))
        {
            if fallback.icon.is_none() {
                warnings.push(format!(
                    "role \"{}\": `icon = \"discord:…\"` keeps an existing icon, but the role has none; point `icon` at an image file",
                    wanted.name
                ));
            }
            role.icon = fallback.icon.clone();
        }
        let wants_icon = wanted.unicode_emoji.is_some() || wanted.icon.is_some();
        let icon_changes =
            wanted.unicode_emoji != fallback.unicode_emoji || role.icon != fallback.icon;
        if wants_icon && icon_changes && !self.live.has_feature("ROLE_ICONS") {
            role.unicode_emoji = fallback.unicode_emoji.clone();
            role.icon = fallback.icon.clone();
            warnings.push(format!(
                "role \"{}\": its icon is not applied, because role icons need the server at boost level 2 (feature ROLE_ICONS)",
                wanted.name
            ));
        }
        let gradient = |r: &RoleSettings| (r.secondary_color, r.tertiary_color);
        if wanted.secondary_color.is_some()
            && gradient(wanted) != gradient(&fallback)
            && !self.live.has_feature("ENHANCED_ROLE_COLORS")
        {
            role.secondary_color = fallback.secondary_color;
            role.tertiary_color = fallback.tertiary_color;
            warnings.push(format!(
                "role \"{}\": its gradient colours are not applied, because they need the server feature ENHANCED_ROLE_COLORS (server boosts)",
                wanted.name
            ));
        }
        role
    }

    /// Unmatched live roles: deleted when roles are pruned, otherwise kept. Integration roles are
    /// neither.
    fn unmanaged_roles(&self, kept: &mut Vec<Kept>) -> Vec<&crate::model::LiveRole> {
        let matched: HashSet<usize> = self.role_matches.iter().flatten().copied().collect();
        let mut deleted = Vec::new();
        for (index, role) in self.live.roles.iter().enumerate() {
            if role.managed || matched.contains(&index) {
                continue;
            }
            if self.desired.prune.roles {
                deleted.push(role);
            } else {
                kept.push(Kept::Role {
                    id: role.id,
                    name: role.settings.name.clone(),
                });
            }
        }
        deleted
    }

    fn channel_ref(&self, index: usize) -> ChannelRef {
        match self.channel_matches[index] {
            Some(live) => ChannelRef::Id(self.live.channels[live].id),
            None => ChannelRef::New {
                name: self.desired.channels[index].name.clone(),
                kind: self.desired.channels[index].kind,
                category: self.desired.channels[index].parent.clone(),
            },
        }
    }

    fn desired_category_index(&self, name: &str) -> Option<usize> {
        self.desired
            .channels
            .iter()
            .position(|channel| channel.kind == ChannelKind::Category && channel.name == name)
    }

    fn desired_overwrites(&self, channel: &DesiredChannel) -> Vec<PlannedOverwrite> {
        let overwrites = match &channel.overwrites {
            DesiredOverwrites::Explicit(overwrites) => overwrites,
            DesiredOverwrites::SyncWithParent => {
                let parent = channel
                    .parent
                    .as_deref()
                    .and_then(|name| self.desired_category_index(name))
                    .map(|index| &self.desired.channels[index]);
                match parent {
                    Some(parent) => return self.desired_overwrites(parent),
                    None => return Vec::new(),
                }
            }
        };
        let mut planned: Vec<PlannedOverwrite> = overwrites
            .iter()
            .filter(|overwrite| !(overwrite.allow.is_empty() && overwrite.deny.is_empty()))
            .map(|overwrite| self.plan_desired_overwrite(overwrite))
            .collect();
        planned.sort();
        planned
    }

    fn plan_desired_overwrite(&self, overwrite: &Overwrite<DesiredTarget>) -> PlannedOverwrite {
        let (target, label) = match &overwrite.target {
            DesiredTarget::Everyone => (
                TargetRef::Role(RoleRef::Id(self.live.everyone_role_id())),
                "@everyone".to_owned(),
            ),
            DesiredTarget::Role(key) => {
                let label = self
                    .desired
                    .roles
                    .iter()
                    .find(|role| &role.key == key)
                    .map_or_else(|| key.clone(), |role| role.settings.name.clone());
                (TargetRef::Role(self.role_ref(key)), label)
            }
            DesiredTarget::Managed(name) => {
                // `plan` made sure exactly one managed role has this name.
                let id = self
                    .live
                    .roles
                    .iter()
                    .find(|role| role.managed && role.settings.name == *name)
                    .map_or_else(|| self.live.everyone_role_id(), |role| role.id);
                (TargetRef::Role(RoleRef::Id(id)), name.clone())
            }
            DesiredTarget::Member(id) => (TargetRef::Member(*id), format!("member {id}")),
        };
        PlannedOverwrite {
            target,
            label,
            allow: overwrite.allow,
            deny: overwrite.deny,
        }
    }

    fn live_overwrites(&self, overwrites: &[Overwrite<LiveTarget>]) -> Vec<PlannedOverwrite> {
        let mut planned: Vec<PlannedOverwrite> = overwrites
            .iter()
            .filter(|overwrite| !(overwrite.allow.is_empty() && overwrite.deny.is_empty()))
            .map(|overwrite| {
                let (target, label) = match overwrite.target {
                    LiveTarget::Role(id) if id == self.live.everyone_role_id() => {
                        (TargetRef::Role(RoleRef::Id(id)), "@everyone".to_owned())
                    }
                    LiveTarget::Role(id) => {
                        let label = self.live.role(id).map_or_else(
                            || format!("role {id}"),
                            |role| role.settings.name.clone(),
                        );
                        (TargetRef::Role(RoleRef::Id(id)), label)
                    }
                    LiveTarget::Member(id) => (TargetRef::Member(id), format!("member {id}")),
                };
                PlannedOverwrite {
                    target,
                    label,
                    allow: overwrite.allow,
                    deny: overwrite.deny,
                }
            })
            .collect();
        planned.sort();
        planned
    }

    fn desired_spec(&self, index: usize) -> ChannelSpec {
        let channel = &self.desired.channels[index];
        let parent = channel.parent.as_deref().and_then(|name| {
            self.desired_category_index(name).map(|parent| ParentSpec {
                channel: self.channel_ref(parent),
                name: name.to_owned(),
                category: None,
            })
        });
        ChannelSpec {
            name: channel.name.clone(),
            kind: channel.kind,
            parent,
            settings: channel.settings.clone(),
            overwrites: self.with_untouchable_overwrites(index, self.desired_overwrites(channel)),
            synced: channel.overwrites == DesiredOverwrites::SyncWithParent,
            tag_ids: self.desired_tag_ids(index),
        }
    }

    /// The file cannot name roles managed by an integration (a bot's own role) or ignored by the
    /// file, so their overwrites on a declared channel are kept as they are: replacing the
    /// channel's overwrites must never drop them.
    fn with_untouchable_overwrites(
        &self,
        index: usize,
        mut overwrites: Vec<PlannedOverwrite>,
    ) -> Vec<PlannedOverwrite> {
        let Some(live) = self.channel_matches[index].map(|live| &self.live.channels[live]) else {
            return overwrites;
        };
        let untouchable = |overwrite: &Overwrite<LiveTarget>| match overwrite.target {
            LiveTarget::Role(id) => self.live.role(id).is_some_and(|role| role.managed),
            LiveTarget::Member(_) => false,
        };
        let kept: Vec<Overwrite<LiveTarget>> = live
            .overwrites
            .iter()
            .filter(|o| untouchable(o))
            .cloned()
            .collect();
        for overwrite in self.live_overwrites(&kept) {
            if !overwrites.iter().any(|o| o.target == overwrite.target) {
                overwrites.push(overwrite);
            }
        }
        overwrites.sort();
        overwrites
    }

    /// The live id each desired forum tag keeps: a live tag of the same name, else of one of its
    /// former names. Tags without one are created.
    fn desired_tag_ids(&self, index: usize) -> Vec<Option<TagId>> {
        let channel = &self.desired.channels[index];
        let Some(forum) = &channel.settings.forum else {
            return Vec::new();
        };
        let live = self.channel_matches[index].map(|live| &self.live.channels[live]);
        let live_tags: Vec<(&str, TagId)> = live
            .and_then(|live| {
                let tags = &live.settings.forum.as_ref()?.tags;
                Some(
                    tags.iter()
                        .map(|tag| tag.name.as_str())
                        .zip(live.tag_ids.iter().copied())
                        .collect(),
                )
            })
            .unwrap_or_default();
        let mut taken: HashSet<TagId> = HashSet::new();
        let mut ids: Vec<Option<TagId>> = vec![None; forum.tags.len()];
        let identity = |i: usize| channel.tags.get(i).cloned().unwrap_or_default();
        // Current names first, then former names, so a renamed tag never steals another's id.
        for round in 0..2 {
            for (i, tag) in forum.tags.iter().enumerate() {
                if ids[i].is_some() {
                    continue;
                }
                let names: Vec<String> = if round == 0 {
                    vec![tag.name.clone()]
                } else {
                    identity(i).previously
                };
                let found = live_tags
                    .iter()
                    .find(|(name, id)| !taken.contains(id) && names.iter().any(|n| n == name));
                if let Some((_, id)) = found {
                    taken.insert(*id);
                    ids[i] = Some(*id);
                }
            }
        }
        ids
    }

    fn is_replaced(&self, channel: &LiveChannel) -> bool {
        self.live
            .channels
            .iter()
            .position(|c| c.id == channel.id)
            .is_some_and(|index| self.replaced.contains_key(&index))
    }

    /// The declared channel at `index`, as guild settings and community features pick it.
    pub(super) fn pick_declared(&self, index: usize) -> ParentSpec {
        let channel = &self.desired.channels[index];
        ParentSpec {
            channel: self.channel_ref(index),
            name: channel.name.clone(),
            category: self.repeat_category(index),
        }
    }

    /// The category of the declared channel at `index` when its name repeats in the file, so
    /// people can tell the channels apart.
    pub(super) fn repeat_category(&self, index: usize) -> Option<String> {
        let channel = &self.desired.channels[index];
        if self.desired.name_repeats(channel) {
            channel.parent.clone()
        } else {
            None
        }
    }

    /// A declared channel by key.
    fn pick_channel(&self, key: &ChannelKey) -> Option<ParentSpec> {
        let index = self.desired.channel_index(key)?;
        Some(self.pick_declared(index))
    }

    fn live_pick(&self, id: Option<crate::model::ChannelId>) -> Option<ParentSpec> {
        let id = id?;
        Some(ParentSpec {
            channel: ChannelRef::Id(id),
            name: self
                .live
                .channel(id)
                .map_or_else(|| id.to_string(), |c| c.name.clone()),
            category: None,
        })
    }

    /// The guild's own settings: the live ones with every field the file manages replaced.
    fn guild_change(&self, warnings: &mut Vec<String>) -> Option<Change> {
        let live = &self.live.settings;
        let wanted = &self.desired.settings;
        let before = GuildSpec {
            name: live.name.clone(),
            description: live.description.clone(),
            verification_level: live.verification_level,
            explicit_content_filter: live.explicit_content_filter,
            default_notifications: live.default_notifications,
            afk_channel: self.live_pick(live.afk_channel),
            afk_timeout: live.afk_timeout,
            system_channel: self.live_pick(live.system_channel),
            system_channel_flags: live.system_channel_flags,
            rules_channel: self.live_pick(live.rules_channel),
            public_updates_channel: self.live_pick(live.public_updates_channel),
            safety_alerts_channel: self.live_pick(live.safety_alerts_channel),
            preferred_locale: live.preferred_locale.clone(),
            community: live.community,
            icon: live.icon.clone(),
            banner: live.banner.clone(),
            splash: live.splash.clone(),
            discovery_splash: live.discovery_splash.clone(),
        };
        let pick = |wanted: &Option<Option<ChannelKey>>, current: &Option<ParentSpec>| match wanted
        {
            None => current.clone(),
            Some(None) => None,
            Some(Some(key)) => self.pick_channel(key),
        };
        let after = GuildSpec {
            name: wanted.name.clone().unwrap_or_else(|| before.name.clone()),
            description: wanted
                .description
                .clone()
                .unwrap_or_else(|| before.description.clone()),
            verification_level: wanted
                .verification_level
                .unwrap_or(before.verification_level),
            explicit_content_filter: wanted
                .explicit_content_filter
                .unwrap_or(before.explicit_content_filter),
            default_notifications: wanted
                .default_notifications
                .unwrap_or(before.default_notifications),
            afk_channel: pick(&wanted.afk_channel, &before.afk_channel),
            afk_timeout: wanted.afk_timeout.unwrap_or(before.afk_timeout),
            system_channel: pick(&wanted.system_channel, &before.system_channel),
            system_channel_flags: wanted
                .system_channel_flags
                .unwrap_or(before.system_channel_flags),
            rules_channel: pick(&wanted.rules_channel, &before.rules_channel),
            public_updates_channel: pick(
                &wanted.public_updates_channel,
                &before.public_updates_channel,
            ),
            safety_alerts_channel: pick(
                &wanted.safety_alerts_channel,
                &before.safety_alerts_channel,
            ),
            preferred_locale: wanted
                .preferred_locale
                .clone()
                .unwrap_or_else(|| before.preferred_locale.clone()),
            community: wanted.community.unwrap_or(before.community),
            icon: before.icon.clone(),
            banner: before.banner.clone(),
            splash: before.splash.clone(),
            discovery_splash: before.discovery_splash.clone(),
        };
        let mut after = after;
        images::guild_images(self.live, wanted, &mut after, warnings);
        if guild_fields(&before, &after).is_empty() {
            return None;
        }
        let features = (before.community != after.community).then(|| {
            let mut features: Vec<String> = self
                .live
                .features
                .iter()
                .filter(|f| *f != "COMMUNITY")
                .cloned()
                .collect();
            if after.community {
                features.push("COMMUNITY".to_owned());
            }
            features
        });
        Some(Change::UpdateGuild {
            before,
            after,
            features,
        })
    }

    fn live_spec(&self, channel: &LiveChannel) -> ChannelSpec {
        ChannelSpec {
            name: channel.name.clone(),
            kind: channel.kind,
            parent: channel.parent_id.map(|id| ParentSpec {
                channel: ChannelRef::Id(id),
                name: self
                    .live
                    .channel(id)
                    .map_or_else(|| id.to_string(), |parent| parent.name.clone()),
                category: None,
            }),
            settings: channel.settings.clone(),
            overwrites: self.live_overwrites(&channel.overwrites),
            synced: false,
            tag_ids: channel.tag_ids.iter().copied().map(Some).collect(),
        }
    }

    /// The desired channels to create, in the order they are created: categories, then the
    /// other channels, each in file order; announcement and stage channels need the guild's
    /// COMMUNITY (and NEWS) features, so they come second, after the guild's settings.
    fn creation_order(&self, specs: &[ChannelSpec]) -> (Vec<usize>, Vec<usize>) {
        let new = |index: &usize| self.channel_matches[*index].is_none();
        let gated = |index: &usize| {
            specs[*index].kind == ChannelKind::Announcement || specs[*index].kind.needs_community()
        };
        let category = |index: &usize| specs[*index].kind == ChannelKind::Category;
        let all = 0..specs.len();
        let first = all
            .clone()
            .filter(|i| new(i) && category(i))
            .chain(all.clone().filter(|i| new(i) && !category(i) && !gated(i)))
            .collect();
        let second = all.filter(|i| new(i) && gated(i)).collect();
        (first, second)
    }

    /// Creates and updates (categories first), then returns the live channels to delete.
    fn channel_changes<'a>(
        &'a self,
        specs: &[ChannelSpec],
        guild_update: Option<Change>,
        changes: &mut Vec<Change>,
        kept: &mut Vec<Kept>,
        warnings: &mut Vec<String>,
    ) -> Vec<&'a LiveChannel> {
        // Categories whose overwrites change, with their new overwrites: Discord copies the change
        // to every child that was synced with the category.
        let mut propagated: HashMap<u64, &[PlannedOverwrite]> = HashMap::new();
        for (index, spec) in specs.iter().enumerate() {
            if let (ChannelKind::Category, Some(live)) = (spec.kind, self.channel_matches[index]) {
                let live = &self.live.channels[live];
                if !same_overwrites(&self.live_overwrites(&live.overwrites), &spec.overwrites) {
                    propagated.insert(live.id.get(), &spec.overwrites);
                }
            }
        }
        let matched: HashSet<usize> = self.channel_matches.iter().flatten().copied().collect();
        let follows_category = |channel: &LiveChannel| -> Option<&[PlannedOverwrite]> {
            let parent = self.live.channel(channel.parent_id?)?;
            let new = propagated.get(&parent.id.get())?;
            let synced = same_overwrites(
                &self.live_overwrites(&channel.overwrites),
                &self.live_overwrites(&parent.overwrites),
            );
            synced.then_some(*new)
        };

        let categories_first = |pass: bool| {
            specs
                .iter()
                .enumerate()
                .filter(move |(_, spec)| (spec.kind == ChannelKind::Category) == pass)
        };
        // Channels being replaced by one of another kind go first, so the new one takes over.
        let mut replaced: Vec<(&usize, &usize)> = self.replaced.iter().collect();
        replaced.sort();
        for (live, desired) in replaced {
            let channel = &self.live.channels[*live];
            let by = specs[*desired].kind;
            changes.push(Change::DeleteChannel {
                id: channel.id,
                channel: self.live_spec(channel),
                reason: DeleteReason::Replaced { by },
            });
            warnings.push(format!(
                "{} is deleted with all its messages and created again as a {}: Discord cannot change a {} into a {}",
                self.live_label(channel),
                by.describe(),
                channel.kind.describe(),
                by.describe()
            ));
        }
        let (before_guild, after_guild) = self.creation_order(specs);
        for index in before_guild {
            changes.push(Change::CreateChannel {
                channel: specs[index].clone(),
                position: None,
            });
        }
        changes.extend(guild_update);
        for index in after_guild {
            changes.push(Change::CreateChannel {
                channel: specs[index].clone(),
                position: None,
            });
        }
        for pass in [true, false] {
            for (index, spec) in categories_first(pass) {
                let Some(live) = self.channel_matches[index] else {
                    continue;
                };
                let live = &self.live.channels[live];
                let before = self.live_spec(live);
                let predicted_overwrites = follows_category(live).map(<[_]>::to_vec);
                let effective = predicted_before(&before, predicted_overwrites.as_deref());
                let fields = channel_fields(&effective, spec);
                if fields.is_empty() {
                    continue;
                }
                if fields.contains(&Field::Name) {
                    warnings.push(format!(
                        "{} is renamed to \"{}\": Discord allows 2 renames per channel every 10 minutes",
                        self.live_label(live),
                        spec.name
                    ));
                }
                changes.push(Change::UpdateChannel {
                    id: live.id,
                    before,
                    after: spec.clone(),
                    predicted_overwrites,
                    matched_by: self.channel_rules[index].unwrap_or_default(),
                });
            }
        }

        let mut deleted = Vec::new();
        for (index, channel) in self.live.channels.iter().enumerate() {
            if matched.contains(&index) {
                continue;
            }
            if follows_category(channel).is_some() {
                warnings.push(format!(
                    "{} is not in the file but is synced with its category, so it follows the category's new overwrites",
                    self.live_label(channel)
                ));
            }
            let unlisted = self.unlisted_rule(channel, specs);
            if self.replaced.contains_key(&index)
                || (self.desired.prune.channels && channel.kind.is_managed())
                || (unlisted.map(|(rule, _)| rule) == Some(Unlisted::Prune)
                    && channel.kind.is_managed())
            {
                deleted.push(channel);
            } else {
                if let Some((Unlisted::Sync, category)) = unlisted
                    && channel.kind.is_managed()
                {
                    let before = self.live_spec(channel);
                    let predicted_overwrites = follows_category(channel).map(<[_]>::to_vec);
                    let effective = predicted_before(&before, predicted_overwrites.as_deref());
                    if !same_overwrites(&effective.overwrites, &category.overwrites) {
                        let mut after = effective;
                        after.overwrites = category.overwrites.clone();
                        after.synced = true;
                        changes.push(Change::UpdateChannel {
                            id: channel.id,
                            before,
                            after,
                            predicted_overwrites,
                            matched_by: MatchedBy::Name,
                        });
                    }
                }
                kept.push(Kept::Channel {
                    id: channel.id,
                    name: channel.name.clone(),
                    kind: channel.kind,
                    parent: channel
                        .parent_id
                        .and_then(|id| self.live.channel(id))
                        .map(|parent| parent.name.clone()),
                });
            }
        }
        // Children before their categories, so no channel is orphaned on the way.
        deleted.sort_by_key(|channel| {
            (
                channel.kind == ChannelKind::Category,
                channel.position,
                channel.id,
            )
        });
        deleted
    }

    /// The `unlisted` rule of the declared category a live channel the file does not list sits
    /// in, with that category's spec.
    fn unlisted_rule<'s>(
        &self,
        channel: &LiveChannel,
        specs: &'s [ChannelSpec],
    ) -> Option<(Unlisted, &'s ChannelSpec)> {
        if channel.kind == ChannelKind::Category {
            return None;
        }
        let parent = self
            .live
            .channels
            .iter()
            .position(|live| Some(live.id) == channel.parent_id)?;
        let desired = self
            .channel_matches
            .iter()
            .position(|m| *m == Some(parent))?;
        let rule = self
            .desired
            .unlisted
            .get(&self.desired.channels[desired].name)?;
        Some((*rule, &specs[desired]))
    }
}

fn kept_sort_key(kept: &Kept) -> (u8, String, u64) {
    match kept {
        Kept::Role { id, name } => (0, name.clone(), id.get()),
        Kept::Channel { id, name, .. } => (1, name.clone(), id.get()),
        Kept::AutoModRule { id, name } => (2, name.clone(), *id),
        Kept::Event { id, name } => (3, name.clone(), *id),
        Kept::Webhook { id, name, .. } => (4, name.clone(), *id),
        Kept::Invites { channel, count } => (5, channel.clone(), *count as u64),
        Kept::Emoji { id, name } => (6, name.clone(), *id),
        Kept::Sound { id, name } => (7, name.clone(), *id),
        Kept::Sticker { id, name } => (8, name.clone(), *id),
    }
}

mod community;
mod expressions;
mod hints;
pub mod identity;
mod ignore;
mod images;
mod invites;
mod messages;
mod order;
mod roster;
pub mod target;
mod threads;

pub use ignore::without_ignored;
#[cfg(test)]
mod tests;
