//! Permission overwrites of categories and channels: targets (role keys, `everyone`, members)
//! and their allowed and denied permissions.

use std::ops::Range;

use super::{Validator, limits, resolve_permission};
use crate::config::raw::{RawOverwrite, Sp};
use crate::config::suggest;
use crate::model::{DesiredTarget, Overwrite};

impl Validator<'_> {
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
            let Some((target, target_span)) = self.target(entry) else {
                continue;
            };
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

    pub(super) fn target(
        &mut self,
        entry: &Sp<RawOverwrite>,
    ) -> Option<(DesiredTarget, Range<usize>)> {
        match (&entry.value.role, &entry.value.member) {
            (Some(role), None) => {
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
                let by_name = self
                    .role_keys
                    .iter()
                    .find(|(_, name)| name.as_deref() == Some(key))
                    .map(|(known, _)| known.clone());
                let hint = if key == "@everyone" {
                    "write `role = \"everyone\"`".to_owned()
                } else if let Some(known) = by_name {
                    format!("roles are referenced by `key`, not name: write `role = \"{known}\"`")
                } else {
                    let candidates: Vec<String> = self
                        .role_keys
                        .iter()
                        .map(|(known, _)| known.clone())
                        .chain(["everyone".to_owned()])
                        .collect();
                    match suggest(key, candidates.iter().map(String::as_str)) {
                        Some(close) => format!("did you mean `{close}`?"),
                        None => "use a role's `key` from `[[roles]]`, `everyone`, or `@name` for a bot's role".to_owned(),
                    }
                };
                self.error(format!("unknown role `{key}`"), role.span.clone())
                    .hint = Some(hint);
                None
            }
            (None, Some(member)) => {
                let id = self.snowflake(member, "member")?;
                Some((
                    DesiredTarget::Member(twilight_model::id::Id::new(id)),
                    member.span.clone(),
                ))
            }
            (Some(_), Some(member)) => {
                self.error(
                    "an overwrite names both a `role` and a `member`",
                    member.whole(),
                )
                .hint = Some("write one overwrite for the role and another for the member".into());
                None
            }
            (None, None) => {
                // A wrongly typed `role` or `member` was reported already.
                let note = if entry.value.allow.is_some() || entry.value.deny.is_some() {
                    "add `role = \"<key>\"` (or `\"everyone\"`) or `member = \"<user id>\"`"
                } else {
                    "an overwrite needs `role` or `member`, and `allow` and/or `deny`"
                };
                self.error(
                    "an overwrite needs a `role` or a `member`",
                    entry.span.clone(),
                )
                .hint = Some(note.into());
                None
            }
        }
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
