//! The file's safety features: `[ignore]`, `[protect]` with `protect = true`, and
//! `[[access.assert]]`.

use std::ops::Range;

use super::Validator;
use crate::access::{Assertion, ChannelSelector};
use crate::config::raw::{RawAssertion, RawChannel, RawFile, Sp};
use crate::config::suggest;
use crate::model::{ChannelKind, DesiredChannel, DesiredGuild, Ignore, LocatedAssertion, Protect};

type List = Option<Sp<Vec<Sp<String>>>>;

fn values(list: &List) -> impl Iterator<Item = &Sp<String>> {
    list.iter().flat_map(|list| list.value.iter())
}

impl Validator<'_> {
    /// `[ignore]`, and declared objects that a pattern matches (an error at the name).
    pub(super) fn ignore(&mut self, raw: &RawFile) -> Ignore {
        let Some(table) = &raw.ignore else {
            return Ignore::default();
        };
        let mut patterns = |list: &List, what: &str| -> Vec<String> {
            values(list)
                .filter_map(|pattern| {
                    if pattern.value.trim().is_empty() || pattern.value.chars().all(|c| c == '*') {
                        self.error(
                            format!(
                                "the {what} pattern `{}` would ignore every {what}",
                                pattern.value
                            ),
                            pattern.span.clone(),
                        )
                        .hint = Some(
                            "write a name, with `*` for any run of characters (`tmp-*`)".into(),
                        );
                        return None;
                    }
                    Some(pattern.value.clone())
                })
                .collect()
        };
        let ignore = Ignore {
            roles: patterns(&table.value.roles, "role"),
            channels: patterns(&table.value.channels, "channel"),
        };
        for role in raw.roles.iter().flatten() {
            if let Some(name) = &role.value.name
                && let Some(pattern) = ignore.role(&name.value)
            {
                self.ignored_declared(name, pattern, "role", "roles");
            }
        }
        let mut channel_names: Vec<&Sp<String>> = Vec::new();
        for channel in raw.channels.iter().flatten() {
            channel_names.extend(&channel.value.name);
        }
        for category in raw.categories.iter().flatten() {
            channel_names.extend(&category.value.name);
            for channel in category.value.channels.iter().flatten() {
                channel_names.extend(&channel.value.name);
            }
        }
        for name in channel_names {
            if let Some(pattern) = ignore.channel(&name.value) {
                self.ignored_declared(name, pattern, "channel", "channels");
            }
        }
        ignore
    }

    fn ignored_declared(&mut self, name: &Sp<String>, pattern: &str, what: &str, list: &str) {
        let pattern = pattern.to_owned();
        self.error(
            format!(
                "`{}` is declared here, but `[ignore] {list}` ignores it (pattern `{pattern}`)",
                name.value
            ),
            name.span.clone(),
        )
        .hint = Some(format!(
            "an ignored {what} is left out of management entirely: remove the pattern from `[ignore] {list}` to manage it, or remove this {what} from the file"
        ));
    }

    /// `[protect]` and every `protect = true`: the names no plan may delete.
    pub(super) fn protect(&mut self, raw: &RawFile) -> Protect {
        let mut protect = Protect::default();
        if let Some(table) = &raw.protect {
            protect.roles = values(&table.value.roles)
                .map(|name| name.value.clone())
                .collect();
            protect.channels = values(&table.value.channels)
                .map(|name| name.value.clone())
                .collect();
            protect.threads = values(&table.value.threads)
                .map(|name| name.value.clone())
                .collect();
        }
        let on = |flag: &Option<Sp<bool>>| flag.as_ref().is_some_and(|flag| flag.value);
        let names = |name: &Option<Sp<String>>, former: &List| -> Vec<String> {
            name.iter()
                .chain(values(former))
                .map(|name| name.value.clone())
                .collect()
        };
        for role in raw.roles.iter().flatten() {
            if on(&role.value.protect) {
                protect
                    .roles
                    .extend(names(&role.value.name, &role.value.previously));
            }
        }
        let channel_names = |channel: &RawChannel| -> Vec<String> {
            let formers = channel.previously.iter().flat_map(|list| list.value.iter());
            channel
                .name
                .iter()
                .map(|name| name.value.clone())
                .chain(formers.filter_map(|former| former.value.name().map(str::to_owned)))
                .collect()
        };
        for channel in raw.channels.iter().flatten() {
            if on(&channel.value.protect) {
                protect.channels.extend(channel_names(&channel.value));
            }
        }
        for category in raw.categories.iter().flatten() {
            if on(&category.value.protect) {
                protect
                    .channels
                    .extend(names(&category.value.name, &category.value.previously));
            }
            for channel in category.value.channels.iter().flatten() {
                if on(&channel.value.protect) {
                    protect.channels.extend(channel_names(&channel.value));
                }
            }
        }
        // `[protect]` names are live names: nothing to check against the file.
        protect.roles.sort();
        protect.roles.dedup();
        protect.channels.sort();
        protect.channels.dedup();
        protect
    }

    /// `[[access.assert]]`, with every reference checked; `None` for an assertion that cannot be
    /// judged. The second value is where to report a failure (the kind's key).
    pub(super) fn assertions(
        &mut self,
        raw: &RawFile,
        channels: &[DesiredChannel],
    ) -> Vec<(LocatedAssertion, Range<usize>)> {
        let Some(access) = &raw.access else {
            return Vec::new();
        };
        let mut assertions = Vec::new();
        for entry in access.value.assertions.iter().flatten() {
            if let Some(assertion) = self.assertion(entry, channels) {
                assertions.push(assertion);
            }
        }
        assertions
    }

    fn assertion(
        &mut self,
        entry: &Sp<RawAssertion>,
        channels: &[DesiredChannel],
    ) -> Option<(LocatedAssertion, Range<usize>)> {
        let table = &entry.value;
        let kinds: Vec<(&str, &Sp<Vec<Sp<String>>>)> = [
            ("only_visible_to", &table.only_visible_to),
            ("not_visible_to", &table.not_visible_to),
            ("read_only_except", &table.read_only_except),
        ]
        .into_iter()
        .filter_map(|(name, list)| list.as_ref().map(|list| (name, list)))
        .collect();
        let mut valid = true;
        let (kind, roles) = match kinds.as_slice() {
            [one] => *one,
            [] => {
                self.error("an access assertion needs a kind", entry.span.clone())
                    .hint = Some(
                    "add one of `only_visible_to = [...]`, `not_visible_to = [...]`, `read_only_except = [...]` (role keys)".into(),
                );
                return None;
            }
            [_, second, ..] => {
                self.error(
                    "an access assertion has exactly one kind",
                    second.1.key_or_value(),
                )
                .hint = Some(
                    "split it: write one `[[access.assert]]` per `only_visible_to`, `not_visible_to` or `read_only_except`".into(),
                );
                return None;
            }
        };
        if roles.value.is_empty() {
            self.error(format!("`{kind}` lists no role"), roles.span.clone())
                .hint = Some("list role keys from `[[roles]]`, or `everyone`".into());
            valid = false;
        }
        for key in &roles.value {
            valid &= self.assertion_role(key);
        }
        let categories: Vec<&str> = channels
            .iter()
            .filter(|c| c.kind == ChannelKind::Category)
            .map(|c| c.name.as_str())
            .collect();
        let names: Vec<&str> = channels
            .iter()
            .filter(|c| c.kind != ChannelKind::Category)
            .map(|c| c.name.as_str())
            .collect();
        let selected = values(&table.categories).count() + values(&table.channels).count();
        if selected == 0 {
            self.error(
                "an access assertion selects no channel",
                roles.key_or_value(),
            )
            .hint = Some(
                "add `categories = [...]` and/or `channels = [...]` (names in this file)".into(),
            );
            valid = false;
        }
        for category in values(&table.categories) {
            if !categories.contains(&category.value.as_str()) {
                let hint = match suggest(&category.value, categories.iter().copied()) {
                    Some(close) => format!("did you mean `{close}`?"),
                    None if names.contains(&category.value.as_str()) => {
                        format!(
                            "`{}` is a channel: list it under `channels`",
                            category.value
                        )
                    }
                    None => "use the name of a `[[categories]]` entry in this file".to_owned(),
                };
                self.error(
                    format!("no category is named `{}`", category.value),
                    category.span.clone(),
                )
                .hint = Some(hint);
                valid = false;
            }
        }
        let keys = crate::access::channel_keys(channels);
        let mut selected_keys: Vec<String> = Vec::new();
        for channel in values(&table.channels) {
            let name = channel.value.strip_prefix('#').unwrap_or(&channel.value);
            let bare = Sp::new(name.to_owned(), channel.span.clone());
            let found = crate::config::names::resolve(
                name,
                &super::references::places(channels),
                super::references::ANY,
            );
            let mut found_keys: Vec<&String> = found.iter().map(|index| &keys[*index]).collect();
            found_keys.sort();
            found_keys.dedup();
            if found_keys.len() > 1 {
                // Names repeat across categories: say which one.
                let _ = self.resolve_channel(
                    &bare,
                    "a channel of an assertion",
                    super::references::ANY,
                    channels,
                );
                valid = false;
                continue;
            }
            if let Some(key) = found_keys.first() {
                selected_keys.push((*key).clone());
                continue;
            }
            if !names.contains(&name) && !categories.contains(&name) {
                let hint = match suggest(name, names.iter().copied()) {
                    Some(close) => format!("did you mean `{close}`?"),
                    None => "use the name of a channel in this file".to_owned(),
                };
                self.error(
                    format!("no channel is named `{name}`"),
                    channel.span.clone(),
                )
                .hint = Some(hint);
                valid = false;
            }
        }
        if !valid {
            return None;
        }
        let selector = ChannelSelector {
            categories: values(&table.categories).map(|c| c.value.clone()).collect(),
            channels: selected_keys,
        };
        let roles: Vec<String> = roles.value.iter().map(|key| key.value.clone()).collect();
        let assertion = match kind {
            "only_visible_to" => Assertion::OnlyVisibleTo {
                channels: selector,
                roles,
            },
            "not_visible_to" => Assertion::NotVisibleTo {
                channels: selector,
                roles,
            },
            _ => Assertion::ReadOnlyExcept {
                channels: selector,
                roles,
            },
        };
        let at = kinds[0].1.key_or_value();
        Some((
            LocatedAssertion {
                assertion,
                line: self.line_number_of(&entry.span),
                file: self.file_of(&entry.span),
            },
            at,
        ))
    }

    /// Judges the assertions on the guild the file describes and reports each failure at its
    /// assertion. Only run on an otherwise valid file, so a typo elsewhere does not show up as
    /// an access failure.
    pub(super) fn judge_assertions(&mut self, desired: &DesiredGuild, at: &[Range<usize>]) {
        if self.diagnostics.iter().any(|d| d.is_error()) {
            return;
        }
        let everyone = crate::access::default_everyone_permissions();
        for broken in crate::config::assertions::judge(desired, everyone) {
            let assertion = &desired.assertions[broken.assertion].assertion;
            self.error(broken.message, at[broken.assertion].clone())
                .hint = Some(format!("{} (assertion: `{assertion}`)", broken.hint));
        }
    }
}
