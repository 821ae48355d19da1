//! How the file names its channels and roles from elsewhere: `[guild]` channel settings and
//! the community features' channel and role references.

use super::{Validator, with_article};
pub(super) use crate::config::names::ANY;
use crate::config::names::{self, NOT_CATEGORY, POSTABLE, Place, TEXT_LIKE};
use crate::config::raw::Sp;
use crate::config::{normalise_text_channel_name, suggest};
use crate::model::{ChannelKey, ChannelKind, DesiredChannel};

/// How many of the channels an ambiguous reference could mean are listed.
const AMBIGUOUS_LISTED: usize = 10;

/// What a channel reference names.
pub(super) enum Resolved {
    One(ChannelKey),
    /// Nothing of the kinds wanted (not reported yet: the caller says why).
    None,
    /// Several: reported.
    Reported,
}

/// The declared channels as references see them.
pub(super) fn places(channels: &[DesiredChannel]) -> Vec<Place<'_>> {
    channels
        .iter()
        .map(|channel| Place {
            name: &channel.name,
            kind: channel.kind,
            category: channel.parent.as_deref(),
        })
        .collect()
}

/// The kinds a reference takes, as a person reads them.
pub(super) fn describe_kinds(kinds: &[ChannelKind]) -> &'static str {
    match kinds {
        [ChannelKind::Stage] => "stage channel",
        [ChannelKind::Voice] => "voice channel",
        _ if kinds == TEXT_LIKE => "text, announcement, forum or media channel",
        _ if kinds == POSTABLE => "text or announcement channel",
        _ if kinds == super::threads::THREAD_CHANNELS => "forum, media or text channel",
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
    ) -> Option<Option<ChannelKey>> {
        let name = value.value.as_str();
        if name.is_empty() {
            return Some(None);
        }
        match self.resolve_channel(value, &format!("`{key}`"), &[kind], channels) {
            Resolved::One(channel) => return Some(Some(channel)),
            Resolved::Reported => return None,
            Resolved::None => {}
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

    /// `value` read as a reference (see [`crate::config::names`]) among the channels of `kinds`:
    /// the one it names; a text that could mean several is reported here, listing them.
    pub(super) fn resolve_channel(
        &mut self,
        value: &Sp<String>,
        what: &str,
        kinds: &[ChannelKind],
        channels: &[DesiredChannel],
    ) -> Resolved {
        let places = places(channels);
        let found = names::resolve(&value.value, &places, kinds);
        match found.as_slice() {
            [] => Resolved::None,
            [one] => Resolved::One(ChannelKey::of(&channels[*one])),
            many => {
                let listed: Vec<String> = many
                    .iter()
                    .take(AMBIGUOUS_LISTED)
                    .map(|index| {
                        let at = self.position_of(&self.channel_spans[*index].clone());
                        format!("`{}` ({at})", names::reference(*index, &places, kinds))
                    })
                    .collect();
                let more = match many.len().saturating_sub(AMBIGUOUS_LISTED) {
                    0 => String::new(),
                    more => format!(" and {more} more"),
                };
                self.error(
                    format!(
                        "{what} `{}` could mean {} channels: {}{more}",
                        value.value,
                        many.len(),
                        listed.join(", ")
                    ),
                    value.span.clone(),
                )
                .hint = Some(
                    "the name repeats: write `\"<name> in <category>\"` (or `\"<name> outside categories\"`, and a kind in parentheses for a text and an announcement channel of one name), as listed".into(),
                );
                Resolved::Reported
            }
        }
    }

    /// A channel declared in this file, of one of `kinds`.
    pub(super) fn channel_named(
        &mut self,
        value: &Sp<String>,
        what: &str,
        kinds: &[ChannelKind],
        channels: &[DesiredChannel],
    ) -> Option<ChannelKey> {
        let name = value.value.as_str();
        match self.resolve_channel(value, what, kinds, channels) {
            Resolved::One(channel) => return Some(channel),
            Resolved::Reported => return None,
            Resolved::None => {}
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
    ) -> Vec<ChannelKey> {
        let mut keys: Vec<ChannelKey> = Vec::new();
        for value in list {
            let Some(key) = self.channel_named(value, what, kinds, channels) else {
                continue;
            };
            if keys.contains(&key) {
                self.warning(
                    format!("`{}` is listed twice", value.value),
                    value.span.clone(),
                )
                .hint = Some("remove one of them".into());
                continue;
            }
            keys.push(key);
        }
        keys
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

    /// What to say about an unknown role `key`: `@everyone` is `everyone`, a role's name is
    /// not its key, or the closest key; `written` shows a key as the place writes it.
    pub(super) fn unknown_role_hint(
        &self,
        key: &str,
        written: fn(&str) -> String,
        otherwise: &str,
    ) -> String {
        if key == "@everyone" {
            return format!("write `{}`", written("everyone"));
        }
        if let Some((known, _)) = self
            .role_keys
            .iter()
            .find(|(_, name)| name.as_deref() == Some(key))
        {
            return format!(
                "roles are referenced by `key`, not name: write `{}`",
                written(known)
            );
        }
        let candidates: Vec<&str> = self
            .role_keys
            .iter()
            .map(|(known, _)| known.as_str())
            .chain(["everyone"])
            .collect();
        match suggest(key, candidates) {
            Some(close) => format!("did you mean `{close}`?"),
            None => otherwise.to_owned(),
        }
    }

    pub(super) fn assertion_role(&mut self, key: &Sp<String>) -> bool {
        let text = key.value.as_str();
        if text == "everyone" || self.role_keys.iter().any(|(known, _)| known == text) {
            return true;
        }
        // A bot's role, as overwrites name it.
        if text.len() > 1 && text.starts_with('@') && text != "@everyone" {
            return true;
        }
        let hint = self.unknown_role_hint(
            text,
            |key| match key {
                "everyone" => key.to_owned(),
                _ => format!("\"{key}\""),
            },
            "use a role's `key` from `[[roles]]`, or `everyone`",
        );
        self.error(format!("unknown role `{text}`"), key.span.clone())
            .hint = Some(hint);
        false
    }
}
