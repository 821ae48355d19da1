//! How the file names its channels and roles from elsewhere: `[guild]` channel settings and
//! the community features' channel and role references.

use super::{Validator, with_article};
use crate::config::raw::Sp;
use crate::config::{normalise_text_channel_name, suggest};
use crate::model::{ChannelKind, DesiredChannel};

pub(super) const TEXT_LIKE: &[ChannelKind] = &[
    ChannelKind::Text,
    ChannelKind::Announcement,
    ChannelKind::Forum,
];
pub(super) const POSTABLE: &[ChannelKind] = &[ChannelKind::Text, ChannelKind::Announcement];
pub(super) const NOT_CATEGORY: &[ChannelKind] = &[
    ChannelKind::Text,
    ChannelKind::Announcement,
    ChannelKind::Forum,
    ChannelKind::Voice,
    ChannelKind::Stage,
];
pub(super) const ANY: &[ChannelKind] = &[
    ChannelKind::Category,
    ChannelKind::Text,
    ChannelKind::Announcement,
    ChannelKind::Forum,
    ChannelKind::Voice,
    ChannelKind::Stage,
];

/// The kinds a reference takes, as a person reads them.
pub(super) fn describe_kinds(kinds: &[ChannelKind]) -> &'static str {
    match kinds {
        [ChannelKind::Stage] => "stage channel",
        [ChannelKind::Voice] => "voice channel",
        _ if kinds == TEXT_LIKE => "text, announcement or forum channel",
        _ if kinds == POSTABLE => "text or announcement channel",
        _ if kinds == NOT_CATEGORY => "channel",
        _ => "channel or category",
    }
}

impl Validator<'_> {
    /// A `[guild]` channel reference: `""` for none, else a channel of `kind` in the file.
    pub(super) fn channel_ref(
        &mut self,
        value: &Sp<String>,
        key: &str,
        kind: ChannelKind,
        channels: &[DesiredChannel],
    ) -> Option<Option<String>> {
        let name = value.value.as_str();
        if name.is_empty() {
            return Some(None);
        }
        if channels
            .iter()
            .any(|channel| channel.kind == kind && channel.name == name)
        {
            return Some(Some(name.to_owned()));
        }
        if let Some(other) = channels.iter().find(|channel| channel.name == name) {
            self.error(
                format!(
                    "`{key}` must be {}, but `{name}` is {}",
                    with_article(&kind.describe()),
                    with_article(&other.kind.describe())
                ),
                value.span.clone(),
            )
            .hint = Some(format!(
                "name a {} declared in this file, or `\"\"` for none",
                kind.describe()
            ));
            return None;
        }
        let candidates: Vec<&str> = channels
            .iter()
            .filter(|channel| channel.kind == kind)
            .map(|channel| channel.name.as_str())
            .collect();
        let normalised = normalise_text_channel_name(name);
        let hint = if kind == ChannelKind::Text && candidates.contains(&normalised.as_str()) {
            format!("write `\"{normalised}\"`")
        } else {
            match suggest(name, candidates.iter().copied()) {
                Some(close) => format!("did you mean `{close}`?"),
                None => format!(
                    "`{key}` names a {} declared in this file, or `\"\"` for none",
                    kind.describe()
                ),
            }
        };
        self.error(
            format!("no {} named `{name}` in this file", kind.describe()),
            value.span.clone(),
        )
        .hint = Some(hint);
        None
    }

    /// A channel declared in this file, of one of `kinds`.
    pub(super) fn channel_named(
        &mut self,
        value: &Sp<String>,
        what: &str,
        kinds: &[ChannelKind],
        channels: &[DesiredChannel],
    ) -> Option<String> {
        let name = value.value.as_str();
        if channels
            .iter()
            .any(|channel| kinds.contains(&channel.kind) && channel.name == name)
        {
            return Some(name.to_owned());
        }
        let wanted = describe_kinds(kinds);
        if let Some(other) = channels.iter().find(|channel| channel.name == name) {
            self.error(
                format!(
                    "{what} must be {}, but `{name}` is {}",
                    with_article(wanted),
                    with_article(&other.kind.describe())
                ),
                value.span.clone(),
            )
            .hint = Some(format!("name a {wanted} declared in this file"));
            return None;
        }
        let candidates: Vec<&str> = channels
            .iter()
            .filter(|channel| kinds.contains(&channel.kind))
            .map(|channel| channel.name.as_str())
            .collect();
        let normalised = normalise_text_channel_name(name);
        let hint = if normalised != name && candidates.contains(&normalised.as_str()) {
            format!("write `\"{normalised}\"`")
        } else if let Some(bare) = name
            .strip_prefix('#')
            .filter(|bare| candidates.contains(bare))
        {
            format!("write the name without `#`: `\"{bare}\"`")
        } else {
            match suggest(name, candidates.iter().copied()) {
                Some(close) => format!("did you mean `{close}`?"),
                None => format!("name a {wanted} declared in this file"),
            }
        };
        self.error(
            format!("no {wanted} named `{name}` in this file"),
            value.span.clone(),
        )
        .hint = Some(hint);
        None
    }

    /// Channel names, each checked; listed twice is a warning and kept once.
    pub(super) fn channel_list(
        &mut self,
        list: &[Sp<String>],
        what: &str,
        kinds: &[ChannelKind],
        channels: &[DesiredChannel],
    ) -> Vec<String> {
        let mut names: Vec<String> = Vec::new();
        for value in list {
            let Some(name) = self.channel_named(value, what, kinds, channels) else {
                continue;
            };
            if names.contains(&name) {
                self.warning(format!("`{name}` is listed twice"), value.span.clone())
                    .hint = Some("remove one of them".into());
                continue;
            }
            names.push(name);
        }
        names
    }

    /// Role keys, each checked; listed twice is a warning and kept once.
    pub(super) fn role_list(&mut self, list: &[Sp<String>], what: &str) -> Vec<String> {
        let mut keys: Vec<String> = Vec::new();
        for value in list {
            let Some(key) = self.role_named(value, what) else {
                continue;
            };
            if keys.contains(&key) {
                self.warning(format!("`{key}` is listed twice"), value.span.clone())
                    .hint = Some("remove one of them".into());
                continue;
            }
            keys.push(key);
        }
        keys
    }

    pub(super) fn role_named(&mut self, value: &Sp<String>, what: &str) -> Option<String> {
        let key = value.value.as_str();
        if self.role_keys.iter().any(|(known, _)| known == key) {
            return Some(key.to_owned());
        }
        if key == "everyone" || key == "@everyone" {
            self.error(format!("{what} cannot be @everyone"), value.span.clone())
                .hint =
                Some("every member has @everyone already; name a role of `[[roles]]`".into());
            return None;
        }
        let by_name = self
            .role_keys
            .iter()
            .find(|(_, name)| name.as_deref() == Some(key))
            .map(|(known, _)| known.clone());
        let hint = match by_name {
            Some(known) => format!("roles are referenced by `key`, not name: write `\"{known}\"`"),
            None => match suggest(key, self.role_keys.iter().map(|(known, _)| known.as_str())) {
                Some(close) => format!("did you mean `{close}`?"),
                None => "use a role's `key` from `[[roles]]`".to_owned(),
            },
        };
        self.error(format!("unknown role `{key}`"), value.span.clone())
            .hint = Some(hint);
        None
    }

    pub(super) fn assertion_role(&mut self, key: &Sp<String>) -> bool {
        let text = key.value.as_str();
        if text == "everyone" || self.role_keys.iter().any(|(known, _)| known == text) {
            return true;
        }
        let by_name = self
            .role_keys
            .iter()
            .find(|(_, name)| name.as_deref() == Some(text))
            .map(|(known, _)| known.clone());
        let hint = if text == "@everyone" {
            "write `everyone`".to_owned()
        } else if let Some(known) = by_name {
            format!("roles are referenced by `key`, not name: write `\"{known}\"`")
        } else {
            let candidates: Vec<String> = self
                .role_keys
                .iter()
                .map(|(known, _)| known.clone())
                .chain(["everyone".to_owned()])
                .collect();
            match suggest(text, candidates.iter().map(String::as_str)) {
                Some(close) => format!("did you mean `{close}`?"),
                None => "use a role's `key` from `[[roles]]`, or `everyone`".to_owned(),
            }
        };
        self.error(format!("unknown role `{text}`"), key.span.clone())
            .hint = Some(hint);
        false
    }
}
