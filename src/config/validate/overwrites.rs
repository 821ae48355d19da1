//! Permission overwrites of categories and channels: targets (role keys, `everyone`, members)
//! and their allowed and denied permissions.

use std::ops::Range;

use super::{Validator, is_valid_key, limits, propose_key, resolve_permission};
use crate::config::raw::{RawChannel, RawFile, RawOverwrite, Sp};
use crate::config::suggest;
use crate::model::{DesiredOverwrites, DesiredTarget, Overwrite};

/// A preset of `[presets]`: its overwrites, where it is named, and whether anything uses it.
pub(super) struct Preset {
    overwrites: Vec<Overwrite<DesiredTarget>>,
    span: Range<usize>,
    used: bool,
}

/// `base` with `top` applied on top: a target of `top` that `base` has keeps `base`'s bits
/// except where `top` says otherwise (what `top` allows is no longer denied, and the other way
/// round); other targets of `top` are added.
pub(super) fn merged(
    mut base: Vec<Overwrite<DesiredTarget>>,
    top: Vec<Overwrite<DesiredTarget>>,
) -> Vec<Overwrite<DesiredTarget>> {
    for overwrite in top {
        match base.iter_mut().find(|o| o.target == overwrite.target) {
            Some(found) => {
                found.allow = found
                    .allow
                    .difference(overwrite.deny)
                    .union(overwrite.allow);
                found.deny = found.deny.difference(overwrite.allow).union(overwrite.deny);
            }
            None => base.push(overwrite),
        }
    }
    base
}

impl Validator<'_> {
    /// `[presets]`, each read once; a preset that nothing uses is a warning (see
    /// [`Self::unused_presets`]).
    pub(super) fn read_presets(&mut self, raw: &RawFile) {
        for (name, preset) in raw.presets.iter().flat_map(|presets| presets.value.iter()) {
            if !is_valid_key(&name.value) {
                let proposal = propose_key(&name.value);
                self.error(
                    format!("invalid preset name `{}`", name.value),
                    name.span.clone(),
                )
                .hint = Some(if proposal.is_empty() {
                    "preset names use lowercase letters, digits, `-` and `_`".to_owned()
                } else {
                    format!(
                        "preset names use lowercase letters, digits, `-` and `_`: try `{proposal}`"
                    )
                });
            }
            let overwrites = self.overwrites(preset.value.overwrites.as_ref());
            self.presets.insert(
                name.value.clone(),
                Preset {
                    overwrites,
                    span: name.span.clone(),
                    used: false,
                },
            );
        }
    }

    pub(super) fn unused_presets(&mut self) {
        let mut unused: Vec<(String, Range<usize>)> = self
            .presets
            .iter()
            .filter(|(_, preset)| !preset.used)
            .map(|(name, preset)| (name.clone(), preset.span.clone()))
            .collect();
        unused.sort_by_key(|(_, span)| span.start);
        for (name, span) in unused {
            self.warning(format!("preset `{name}` is not used"), span)
                .hint = Some(
                "use it with `preset = \"...\"` on a category or channel, or remove it".into(),
            );
        }
    }

    /// `preset = "name"`: that preset's overwrites.
    fn preset(&mut self, name: &Sp<String>) -> Vec<Overwrite<DesiredTarget>> {
        if let Some(preset) = self.presets.get_mut(&name.value) {
            preset.used = true;
            return preset.overwrites.clone();
        }
        let known: Vec<&str> = self.presets.keys().map(String::as_str).collect();
        let hint = match suggest(&name.value, known.iter().copied()) {
            Some(close) => format!("did you mean `{close}`?"),
            None => "declare it as `[presets.<name>]` with `overwrites = [...]`".to_owned(),
        };
        self.error(
            format!("unknown preset `{}`", name.value),
            name.span.clone(),
        )
        .hint = Some(hint);
        Vec::new()
    }

    /// A preset's overwrites (if any), with `overwrites` applied on top.
    pub(super) fn with_preset(
        &mut self,
        preset: Option<&Sp<String>>,
        overwrites: Option<&Sp<Vec<Sp<RawOverwrite>>>>,
    ) -> Vec<Overwrite<DesiredTarget>> {
        let base = preset.map(|name| self.preset(name)).unwrap_or_default();
        let top = self.overwrites(overwrites);
        merged(base, top)
    }

    /// A channel's overwrites: synced with its category (the default in a category), the
    /// category's extended (`overwrites_extend`), or its own (`overwrites`, `preset`).
    pub(super) fn channel_overwrites(
        &mut self,
        channel: &RawChannel,
        parent: Option<(&str, &[Overwrite<DesiredTarget>])>,
    ) -> DesiredOverwrites {
        let own = channel.overwrites.is_some() || channel.preset.is_some();
        let Some((_, inherited)) = parent else {
            if let Some(sync) = &channel.sync {
                self.error("`sync` only applies to channels in a category", sync.whole())
                    .hint = Some(
                    "a channel outside any category has no category to copy overwrites from; remove `sync`".into(),
                );
            }
            if let Some(extend) = &channel.overwrites_extend {
                self.error(
                    "`overwrites_extend` only applies to channels in a category",
                    extend.key_or_value(),
                )
                .hint = Some("there is no category to extend: write `overwrites = [...]`".into());
            }
            return DesiredOverwrites::Explicit(
                self.with_preset(channel.preset.as_ref(), channel.overwrites.as_ref()),
            );
        };
        if let Some(extend) = &channel.overwrites_extend {
            let clash = match (&channel.sync, own) {
                (Some(sync), _) if sync.value => Some(("`sync = true`", sync.whole())),
                (_, true) => Some((
                    if channel.preset.is_some() {
                        "`preset`"
                    } else {
                        "`overwrites`"
                    },
                    extend.key_or_value(),
                )),
                _ => None,
            };
            if let Some((other, span)) = clash {
                self.error(
                    format!("`overwrites_extend` cannot be combined with {other}"),
                    span,
                )
                .hint = Some(
                    "`overwrites_extend` keeps the category's overwrites and adds to them; `overwrites` and `preset` replace them".into(),
                );
            }
            let top = self.overwrites(Some(extend));
            return DesiredOverwrites::Explicit(merged(inherited.to_vec(), top));
        }
        match (&channel.sync, own) {
            (Some(sync), true) if sync.value => {
                let with = if channel.overwrites.is_some() {
                    "`overwrites`"
                } else {
                    "`preset`"
                };
                self.error(format!("`sync = true` cannot be combined with {with}"), sync.whole())
                    .hint = Some(
                    "remove `sync = true` to use this list, or remove `overwrites` to copy the category's".into(),
                );
                DesiredOverwrites::SyncWithParent
            }
            (_, true) => DesiredOverwrites::Explicit(
                self.with_preset(channel.preset.as_ref(), channel.overwrites.as_ref()),
            ),
            (Some(sync), false) if !sync.value => DesiredOverwrites::Explicit(Vec::new()),
            _ => DesiredOverwrites::SyncWithParent,
        }
    }

    pub(super) fn overwrites(
        &mut self,
        list: Option<&Sp<Vec<Sp<RawOverwrite>>>>,
    ) -> Vec<Overwrite<DesiredTarget>> {
        let Some(list) = list else {
            return Vec::new();
        };
        if list.value.len() > limits::OVERWRITES_PER_CHANNEL {
            self.error(
                format!(
                    "{} overwrites on one channel (Discord allows at most {})",
                    list.value.len(),
                    limits::OVERWRITES_PER_CHANNEL
                ),
                list.key_or_value(),
            );
        }
        let mut targets: Vec<(DesiredTarget, Range<usize>)> = Vec::new();
        let mut overwrites = Vec::new();
        for entry in &list.value {
            let entry_targets = self.targets(entry);
            if entry_targets.is_empty() {
                continue;
            }
            let allow = self.permissions(entry.value.allow.as_ref());
            let deny = self.permissions(entry.value.deny.as_ref());
            let both = allow.intersection(deny);
            if !both.is_empty() {
                for name in entry.value.deny.iter().flat_map(|deny| deny.value.iter()) {
                    if resolve_permission(&name.value).is_ok_and(|flag| both.contains(flag)) {
                        self.error(
                            format!("`{}` is both allowed and denied", name.value),
                            name.span.clone(),
                        )
                        .hint = Some("keep it in `allow` or in `deny`, not both".into());
                    }
                }
            }
            if allow.is_empty()
                && deny.is_empty()
                && (entry.value.allow.is_some() || entry.value.deny.is_some())
            {
                self.warning(
                    "this overwrite allows and denies nothing",
                    entry.span.clone(),
                )
                .hint = Some("it has no effect; remove it or list permissions".into());
            } else if allow.is_empty() && deny.is_empty() {
                self.warning(
                    "this overwrite has no `allow` or `deny`",
                    entry.span.clone(),
                )
                .hint = Some("it has no effect; add `allow = [...]` or `deny = [...]`".into());
            }
            for (target, target_span) in entry_targets {
                if let Some((_, first)) = targets.iter().find(|(seen, _)| *seen == target) {
                    let line = self.line_of(first);
                    self.error(
                        format!(
                            "a second overwrite for {} in the same list",
                            describe_target(&target)
                        ),
                        target_span,
                    )
                    .hint = Some(format!("the first is on line {line}; merge the two"));
                    continue;
                }
                targets.push((target.clone(), target_span));
                overwrites.push(Overwrite {
                    target,
                    allow,
                    deny,
                });
            }
        }
        overwrites
    }

    /// `role = "@carl-bot"`: a role a bot or integration manages, by its name on Discord. The
    /// file cannot declare such a role, only grant it access.
    fn bot_role(
        &mut self,
        name: &str,
        written: &Sp<String>,
    ) -> Option<(DesiredTarget, Range<usize>)> {
        if !self.check_name(
            &Sp::new(name.to_owned(), written.span.clone()),
            "bot role name",
        ) {
            return None;
        }
        if let Some((key, _)) = self
            .role_keys
            .iter()
            .find(|(_, declared)| declared.as_deref() == Some(name))
        {
            self.error(
                format!(
                    "`@{name}` names a bot's role, but `[[roles]]` declares a role named `{name}`"
                ),
                written.span.clone(),
            )
            .hint = Some(format!(
                "a bot's role is made by Discord and cannot be declared: remove the role `{key}` from `[[roles]]`, or write `role = \"{key}\"` for the declared one"
            ));
            return None;
        }
        Some((
            DesiredTarget::Managed(name.to_owned()),
            written.span.clone(),
        ))
    }

    /// One role of an overwrite: a key, `everyone`, or `@name` for a bot's role.
    fn role_target(&mut self, role: &Sp<String>) -> Option<(DesiredTarget, Range<usize>)> {
        let key = role.value.as_str();
        if key == "everyone" {
            return Some((DesiredTarget::Everyone, role.span.clone()));
        }
        if self.role_keys.iter().any(|(known, _)| known == key) {
            return Some((DesiredTarget::Role(key.to_owned()), role.span.clone()));
        }
        if let Some(bot) = key.strip_prefix('@').filter(|bot| *bot != "everyone") {
            return self.bot_role(bot, role);
        }
        let hint = self.unknown_role_hint(
            key,
            |key| format!("role = \"{key}\""),
            "use a role's `key` from `[[roles]]`, `everyone`, or `@name` for a bot's role",
        );
        self.error(format!("unknown role `{key}`"), role.span.clone())
            .hint = Some(hint);
        None
    }

    /// Who an overwrite entry is for: one role, several (`roles = [...]`, one overwrite each),
    /// or a member.
    pub(super) fn targets(
        &mut self,
        entry: &Sp<RawOverwrite>,
    ) -> Vec<(DesiredTarget, Range<usize>)> {
        let value = &entry.value;
        let both = match (&value.role, &value.roles, &value.member) {
            (Some(_), _, Some(member)) | (_, Some(_), Some(member)) => Some((
                if value.role.is_some() {
                    "an overwrite names both a `role` and a `member`"
                } else {
                    "an overwrite names both `roles` and a `member`"
                },
                member.whole(),
                "write one overwrite for the role and another for the member",
            )),
            (Some(_), Some(roles), None) => Some((
                "an overwrite names both `role` and `roles`",
                roles.whole(),
                "list every role under `roles`",
            )),
            _ => None,
        };
        if let Some((message, span, hint)) = both {
            self.error(message, span).hint = Some(hint.into());
            return Vec::new();
        }
        if let Some(role) = &value.role {
            return self.role_target(role).into_iter().collect();
        }
        if let Some(roles) = &value.roles {
            if roles.value.is_empty() {
                self.error("`roles` lists no role", roles.whole()).hint =
                    Some("list role keys, `everyone` or `@name`, or remove this overwrite".into());
            }
            return roles
                .value
                .iter()
                .filter_map(|role| self.role_target(role))
                .collect();
        }
        if let Some(member) = &value.member {
            let Some(id) = self.snowflake(member, "member") else {
                return Vec::new();
            };
            return vec![(
                DesiredTarget::Member(twilight_model::id::Id::new(id)),
                member.span.clone(),
            )];
        }
        // A wrongly typed `role` or `member` was reported already.
        let note = if value.allow.is_some() || value.deny.is_some() {
            "add `role = \"<key>\"` (or `\"everyone\"`) or `member = \"<user id>\"`"
        } else {
            "an overwrite needs `role`, `roles` or `member`, and `allow` and/or `deny`"
        };
        self.error(
            "an overwrite needs a `role` or a `member`",
            entry.span.clone(),
        )
        .hint = Some(note.into());
        Vec::new()
    }
}

fn describe_target(target: &DesiredTarget) -> String {
    match target {
        DesiredTarget::Everyone => "`everyone`".into(),
        DesiredTarget::Role(key) => format!("role `{key}`"),
        DesiredTarget::Managed(name) => format!("the bot's role `@{name}`"),
        DesiredTarget::Member(id) => format!("member `{id}`"),
    }
}
