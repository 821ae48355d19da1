//! Identity: which live role or channel each declared one is, without a state file.
//!
//! Roles match by pinned `id`, then name, then former names. Categories match the same way.
//! Channels match by pinned `id`, then by name and kind, then by former names and former
//! places, with one rule for *where* a name is looked for:
//!
//! - a name that is **unique** (one declared channel of that name and kind family, and at most
//!   one live one) is looked for anywhere in the guild, so moving such a channel to another
//!   category is a move;
//! - a name that **repeats** (in the file or in the guild: `general` in every team's category)
//!   is looked for in the channel's own category only, so forty `general`s line up one to one.
//!   Moving one of them needs `previously = [{ category = "Team 3", name = "general" }]` (a
//!   former place, always looked for in that category) or an `id` pin.
//!
//! Kinds: a text and an announcement channel convert into each other in place, so they are
//! one *family*. Every lookup first takes a live channel of the exact kind, and only then one
//! of the family (a conversion). So a text and an announcement channel of one name (twins,
//! which validation accepts) each find their own live channel after they are created, and a
//! single channel whose `type` changes is still found and converted. The other rule, one
//! identity per family with twins forbidden, would make `import` of a guild holding twins
//! write a file that cannot be valid; matching exact kinds first keeps both working.
//!
//! Rounds go lookup by lookup for everybody (all current names before any former name; exact
//! kinds before families), so a channel's former name never takes the live channel another
//! channel still has by its current name. Two live candidates for one lookup are an error that
//! names both; integration-managed roles and kinds the tool does not manage never match.

use std::collections::{HashMap, HashSet};

use super::DiffError;
use crate::model::{ChannelKind, DesiredGuild, DesiredOverwrites, DesiredTarget, LiveGuild};
use crate::plan::MatchedBy;

/// Which live object each declared one is: indexes into the live lists, by desired index.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Matches {
    pub roles: Vec<Option<usize>>,
    pub channels: Vec<Option<usize>>,
    /// For each matched channel, the rule that found it.
    pub channel_rules: Vec<Option<MatchedBy>>,
}

/// Where a lookup looks for a live channel.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Scope {
    Anywhere,
    /// Under this live parent (`None`: outside any category).
    In(Option<u64>),
    /// The category it would be in does not exist yet.
    Nowhere,
}

struct Lookup<'a> {
    name: &'a str,
    scope: Scope,
    rule: MatchedBy,
}

struct Wanted<'a> {
    pin: Option<u64>,
    lookups: Vec<Lookup<'a>>,
    kind: ChannelKind,
}

struct Candidate<'a> {
    id: u64,
    name: &'a str,
    kind: ChannelKind,
    parent: Option<u64>,
    eligible: bool,
}

enum MatchError {
    Ambiguous {
        wanted: usize,
        live: Vec<u64>,
    },
    PinMissing {
        wanted: usize,
        id: u64,
    },
    PinIneligible {
        wanted: usize,
        id: u64,
        kind: ChannelKind,
    },
}

/// Lines wanted objects up with candidates; returns (match, rule) per wanted object.
fn match_identities(
    wanted: &[Wanted<'_>],
    candidates: &[Candidate<'_>],
    errors: &mut Vec<MatchError>,
) -> Vec<Option<(usize, MatchedBy)>> {
    let mut matched: Vec<Option<(usize, MatchedBy)>> = vec![None; wanted.len()];
    let mut taken: HashSet<usize> = HashSet::new();

    for (index, want) in wanted.iter().enumerate() {
        let Some(pin) = want.pin else { continue };
        match candidates.iter().position(|candidate| candidate.id == pin) {
            None => errors.push(MatchError::PinMissing {
                wanted: index,
                id: pin,
            }),
            Some(found)
                if !candidates[found].eligible
                    || candidates[found].kind.family() != want.kind.family() =>
            {
                errors.push(MatchError::PinIneligible {
                    wanted: index,
                    id: pin,
                    kind: candidates[found].kind,
                });
            }
            Some(found) => {
                matched[index] = Some((found, MatchedBy::Id));
                taken.insert(found);
            }
        }
    }

    let rounds = wanted.iter().map(|want| want.lookups.len()).max();
    let mut ambiguous: HashSet<usize> = HashSet::new();
    // Candidates by name, in their order: a lookup scans only its name's (linear in the guild,
    // not wanted × candidates).
    let mut by_name: std::collections::HashMap<&str, Vec<usize>> = std::collections::HashMap::new();
    for (index, candidate) in candidates.iter().enumerate() {
        by_name.entry(candidate.name).or_default().push(index);
    }
    for round in 0..rounds.unwrap_or(0) {
        for exact in [true, false] {
            for (index, want) in wanted.iter().enumerate() {
                if matched[index].is_some() || want.pin.is_some() || ambiguous.contains(&index) {
                    continue;
                }
                let Some(lookup) = want.lookups.get(round) else {
                    continue;
                };
                let hits: Vec<usize> = by_name
                    .get(lookup.name)
                    .into_iter()
                    .flatten()
                    .copied()
                    .filter(|i| {
                        let c = &candidates[*i];
                        c.eligible
                            && !taken.contains(i)
                            && in_scope(lookup.scope, c.parent)
                            && if exact {
                                c.kind == want.kind
                            } else {
                                c.kind.family() == want.kind.family()
                            }
                    })
                    .collect();
                match hits.as_slice() {
                    [] => {}
                    [one] => {
                        matched[index] = Some((*one, lookup.rule));
                        taken.insert(*one);
                    }
                    many => {
                        ambiguous.insert(index);
                        errors.push(MatchError::Ambiguous {
                            wanted: index,
                            live: many.iter().map(|i| candidates[*i].id).collect(),
                        });
                    }
                }
            }
        }
    }
    matched
}

fn in_scope(scope: Scope, parent: Option<u64>) -> bool {
    match scope {
        Scope::Anywhere => true,
        Scope::In(wanted) => parent == wanted,
        Scope::Nowhere => false,
    }
}

/// Lines the file up with the guild. Errors name what could not be lined up; the matches are
/// still as complete as they can be (for access views of a guild that cannot be planned).
pub fn identify(desired: &DesiredGuild, live: &LiveGuild) -> (Matches, Vec<DiffError>) {
    let mut errors = Vec::new();
    bot_roles(desired, live, &mut errors);
    let roles = match_roles(desired, live, &mut errors);
    let (channels, channel_rules) = match_channels(desired, live, &mut errors);
    (
        Matches {
            roles,
            channels,
            channel_rules,
        },
        errors,
    )
}

/// Bots' and integrations' roles: the file names them in overwrites (`role = "@carl-bot"`),
/// matched by name against managed roles only, and never declares them. A declared role with a
/// managed role's name would otherwise become a second, plain role that gets the bot's access.
fn bot_roles(desired: &DesiredGuild, live: &LiveGuild, errors: &mut Vec<DiffError>) {
    let managed = |name: &str| -> Vec<u64> {
        live.roles
            .iter()
            .filter(|role| role.managed && role.settings.name == name)
            .map(|role| role.id.get())
            .collect()
    };
    for role in &desired.roles {
        if let Some(id) = managed(&role.settings.name).first() {
            errors.push(DiffError::DeclaredBotRole {
                key: role.key.clone(),
                name: role.settings.name.clone(),
                id: *id,
            });
        }
    }
    let mut named: Vec<&str> = desired
        .channels
        .iter()
        .filter_map(|channel| match &channel.overwrites {
            DesiredOverwrites::Explicit(list) => Some(list),
            DesiredOverwrites::SyncWithParent => None,
        })
        .flatten()
        .filter_map(|overwrite| match &overwrite.target {
            DesiredTarget::Managed(name) => Some(name.as_str()),
            _ => None,
        })
        .collect();
    named.sort_unstable();
    named.dedup();
    for name in named {
        match managed(name).as_slice() {
            [] => errors.push(DiffError::BotRoleMissing {
                name: name.to_owned(),
            }),
            [_] => {}
            ids => errors.push(DiffError::AmbiguousBotRole {
                name: name.to_owned(),
                ids: ids.to_vec(),
            }),
        }
    }
}

fn match_roles(
    desired: &DesiredGuild,
    live: &LiveGuild,
    errors: &mut Vec<DiffError>,
) -> Vec<Option<usize>> {
    let group = ChannelKind::Other(u8::MAX);
    let wanted: Vec<Wanted<'_>> = desired
        .roles
        .iter()
        .map(|role| Wanted {
            pin: role.id.map(|id| id.get()),
            lookups: std::iter::once(role.settings.name.as_str())
                .chain(role.previously.iter().map(String::as_str))
                .map(|name| Lookup {
                    name,
                    scope: Scope::Anywhere,
                    rule: MatchedBy::Name,
                })
                .collect(),
            kind: group,
        })
        .collect();
    let candidates: Vec<Candidate<'_>> = live
        .roles
        .iter()
        .map(|role| Candidate {
            id: role.id.get(),
            name: &role.settings.name,
            kind: group,
            parent: None,
            eligible: !role.managed,
        })
        .collect();
    let mut failures = Vec::new();
    let matched = match_identities(&wanted, &candidates, &mut failures);
    errors.extend(failures.into_iter().map(|error| match error {
        MatchError::Ambiguous { wanted, live } => DiffError::AmbiguousRole {
            key: desired.roles[wanted].key.clone(),
            name: desired.roles[wanted].settings.name.clone(),
            ids: live,
        },
        MatchError::PinMissing { wanted, id } => DiffError::PinnedRoleMissing {
            key: desired.roles[wanted].key.clone(),
            id,
        },
        MatchError::PinIneligible { wanted, id, .. } => DiffError::PinnedRoleManaged {
            key: desired.roles[wanted].key.clone(),
            id,
        },
    }));
    matched
        .into_iter()
        .map(|m| m.map(|(live, _)| live))
        .collect()
}

fn channel_candidates(live: &LiveGuild) -> Vec<Candidate<'_>> {
    live.channels
        .iter()
        .map(|channel| Candidate {
            id: channel.id.get(),
            name: &channel.name,
            kind: channel.kind,
            parent: channel.parent_id.map(|id| id.get()),
            eligible: channel.kind.is_managed(),
        })
        .collect()
}

/// Categories first (by name, like roles), then the other channels, whose lookups depend on
/// where their categories matched.
fn match_channels(
    desired: &DesiredGuild,
    live: &LiveGuild,
    errors: &mut Vec<DiffError>,
) -> (Vec<Option<usize>>, Vec<Option<MatchedBy>>) {
    let candidates = channel_candidates(live);
    let is_category = |index: &usize| desired.channels[*index].kind == ChannelKind::Category;
    let (categories, others): (Vec<usize>, Vec<usize>) =
        (0..desired.channels.len()).partition(is_category);

    let mut matched: Vec<Option<(usize, MatchedBy)>> = vec![None; desired.channels.len()];
    let mut failures = Vec::new();
    let wanted: Vec<Wanted<'_>> = categories
        .iter()
        .map(|index| {
            let category = &desired.channels[*index];
            Wanted {
                pin: category.id.map(|id| id.get()),
                lookups: std::iter::once(category.name.as_str())
                    .chain(category.previously.iter().map(String::as_str))
                    .enumerate()
                    .map(|(round, name)| Lookup {
                        name,
                        scope: Scope::Anywhere,
                        rule: if round == 0 {
                            MatchedBy::Name
                        } else {
                            MatchedBy::FormerName
                        },
                    })
                    .collect(),
                kind: ChannelKind::Category,
            }
        })
        .collect();
    for (at, found) in match_identities(&wanted, &candidates, &mut failures)
        .into_iter()
        .enumerate()
    {
        matched[categories[at]] = found;
    }
    let mut category_failures: Vec<MatchError> = failures
        .drain(..)
        .map(|error| remap(error, &categories))
        .collect();

    let scopes = Scopes::new(desired, live, &matched);
    let wanted: Vec<Wanted<'_>> = others.iter().map(|index| scopes.wanted(*index)).collect();
    for (at, found) in match_identities(&wanted, &candidates, &mut failures)
        .into_iter()
        .enumerate()
    {
        matched[others[at]] = found;
    }
    category_failures.extend(failures.into_iter().map(|error| remap(error, &others)));

    errors.extend(category_failures.into_iter().map(|error| {
        let channel = |wanted: usize| &desired.channels[wanted];
        match error {
            MatchError::Ambiguous { wanted, live } => DiffError::AmbiguousChannel {
                name: channel(wanted).name.clone(),
                kind: channel(wanted).kind,
                ids: live,
            },
            MatchError::PinMissing { wanted, id } => DiffError::PinnedChannelMissing {
                name: channel(wanted).name.clone(),
                kind: channel(wanted).kind,
                id,
            },
            MatchError::PinIneligible { wanted, id, kind } => DiffError::PinnedChannelKind {
                name: channel(wanted).name.clone(),
                kind: channel(wanted).kind,
                id,
                found: kind,
            },
        }
    }));
    matched
        .into_iter()
        .map(|m| match m {
            Some((live, rule)) => (Some(live), Some(rule)),
            None => (None, None),
        })
        .unzip()
}

/// A failure about the `at`-th of `indexes`, made about the desired channel itself.
fn remap(error: MatchError, indexes: &[usize]) -> MatchError {
    match error {
        MatchError::Ambiguous { wanted, live } => MatchError::Ambiguous {
            wanted: indexes[wanted],
            live,
        },
        MatchError::PinMissing { wanted, id } => MatchError::PinMissing {
            wanted: indexes[wanted],
            id,
        },
        MatchError::PinIneligible { wanted, id, kind } => MatchError::PinIneligible {
            wanted: indexes[wanted],
            id,
            kind,
        },
    }
}

/// Where each channel name is looked for: anywhere when it is unique, in the channel's category
/// when it repeats (see the module doc).
pub(super) struct Scopes<'a> {
    desired: &'a DesiredGuild,
    live: &'a LiveGuild,
    /// Live id of the category each desired category matched.
    categories: HashMap<&'a str, u64>,
    desired_counts: HashMap<(&'a str, ChannelKind), usize>,
    live_counts: HashMap<(&'a str, ChannelKind), usize>,
}

impl<'a> Scopes<'a> {
    pub(super) fn new(
        desired: &'a DesiredGuild,
        live: &'a LiveGuild,
        matched: &[Option<(usize, MatchedBy)>],
    ) -> Self {
        let categories = desired
            .channels
            .iter()
            .zip(matched)
            .filter(|(channel, _)| channel.kind == ChannelKind::Category)
            .filter_map(|(channel, found)| {
                found.map(|(live_index, _)| {
                    (channel.name.as_str(), live.channels[live_index].id.get())
                })
            })
            .collect();
        let mut desired_counts = HashMap::new();
        for channel in &desired.channels {
            if channel.kind != ChannelKind::Category {
                *desired_counts
                    .entry((channel.name.as_str(), channel.kind.family()))
                    .or_default() += 1;
            }
        }
        let mut live_counts = HashMap::new();
        for channel in &live.channels {
            if channel.kind != ChannelKind::Category && channel.kind.is_managed() {
                *live_counts
                    .entry((channel.name.as_str(), channel.kind.family()))
                    .or_default() += 1;
            }
        }
        Self {
            desired,
            live,
            categories,
            desired_counts,
            live_counts,
        }
    }

    /// Whether `name` repeats among the file's or the guild's channels of `family`.
    pub(super) fn repeats(&self, name: &str, family: ChannelKind) -> bool {
        let count = |counts: &HashMap<(&str, ChannelKind), usize>| {
            counts.get(&(name, family)).copied().unwrap_or(0)
        };
        count(&self.desired_counts) > 1 || count(&self.live_counts) > 1
    }

    /// The live parent a desired category name stands for.
    fn category_scope(&self, category: Option<&str>) -> Scope {
        match category {
            None => Scope::In(None),
            Some(name) => self
                .categories
                .get(name)
                .map_or(Scope::Nowhere, |id| Scope::In(Some(*id))),
        }
    }

    /// A former place's category: the file's category of that name where it matched, else the
    /// one live category of that name.
    fn former_category_scope(&self, name: &str) -> Scope {
        if let Some(id) = self.categories.get(name) {
            return Scope::In(Some(*id));
        }
        let live: Vec<u64> = self
            .live
            .channels
            .iter()
            .filter(|c| c.kind == ChannelKind::Category && c.name == name)
            .map(|c| c.id.get())
            .collect();
        match live.as_slice() {
            [one] => Scope::In(Some(*one)),
            _ => Scope::Nowhere,
        }
    }

    /// Every lookup of the desired channel at `index`, in round order.
    fn lookups(&self, index: usize) -> Vec<Lookup<'a>> {
        let channel = &self.desired.channels[index];
        let family = channel.kind.family();
        let own = self.category_scope(channel.parent.as_deref());
        let mut lookups = Vec::new();
        let names = std::iter::once(channel.name.as_str())
            .chain(channel.previously.iter().map(String::as_str));
        for (round, name) in names.enumerate() {
            let repeats = self.repeats(name, family);
            let rule = match (round == 0, repeats) {
                (true, false) => MatchedBy::Name,
                (true, true) => MatchedBy::NameInCategory,
                (false, false) => MatchedBy::FormerName,
                (false, true) => MatchedBy::FormerNameInCategory,
            };
            lookups.push(Lookup {
                name,
                scope: if repeats { own } else { Scope::Anywhere },
                rule,
            });
        }
        for place in &channel.previously_at {
            lookups.push(Lookup {
                name: &place.name,
                scope: self.former_category_scope(&place.category),
                rule: MatchedBy::FormerPlace,
            });
        }
        lookups
    }

    fn wanted(&self, index: usize) -> Wanted<'a> {
        let channel = &self.desired.channels[index];
        Wanted {
            pin: channel.id.map(|id| id.get()),
            lookups: self.lookups(index),
            kind: channel.kind,
        }
    }

    /// Live channels (by index) any lookup of the desired channel at `index` would accept when
    /// kinds are not compared: what a channel of another kind would replace.
    pub(super) fn places(&self, index: usize) -> Vec<usize> {
        let lookups = self.lookups(index);
        self.live
            .channels
            .iter()
            .enumerate()
            .filter(|(_, c)| {
                lookups.iter().any(|lookup| {
                    c.name == lookup.name && in_scope(lookup.scope, c.parent_id.map(|id| id.get()))
                })
            })
            .map(|(i, _)| i)
            .collect()
    }
}

/// Unmatched desired channels whose name matches exactly one unmatched live channel of another
/// kind in the same sort bucket (voice → stage, text → forum) that cannot convert in place: the
/// live one is replaced (deleted, then created anew). Kinds from different buckets (a text and a
/// voice channel) are different identities and never replace each other. Names are looked for
/// where identity looks for them.
pub(super) fn find_replacements(
    desired: &DesiredGuild,
    live: &LiveGuild,
    matches: &[Option<usize>],
) -> HashMap<usize, usize> {
    let matched_pairs: Vec<Option<(usize, MatchedBy)>> = matches
        .iter()
        .map(|m| m.map(|live| (live, MatchedBy::Name)))
        .collect();
    let scopes = Scopes::new(desired, live, &matched_pairs);
    let matched: HashSet<usize> = matches.iter().flatten().copied().collect();
    let mut replaced = HashMap::new();
    for (index, channel) in desired.channels.iter().enumerate() {
        if matches[index].is_some() || channel.id.is_some() || channel.kind == ChannelKind::Category
        {
            continue;
        }
        let candidates: Vec<usize> = scopes
            .places(index)
            .into_iter()
            .filter(|i| {
                let c = &live.channels[*i];
                !matched.contains(i)
                    && !replaced.contains_key(i)
                    && c.kind.is_managed()
                    && c.kind != ChannelKind::Category
                    && c.kind.family() != channel.kind.family()
                    && c.kind.sort_bucket() == channel.kind.sort_bucket()
            })
            .collect();
        if let [only] = candidates.as_slice() {
            replaced.insert(*only, index);
        }
    }
    replaced
}
