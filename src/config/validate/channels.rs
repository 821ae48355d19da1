//! `[[channels]]` and `[[categories]]`: names, identities, categories and overwrites, with
//! each channel's settings read by [`super::channel_settings`].

use std::collections::HashMap;
use std::ops::Range;

use super::{Claim, Validator, formers, limits};
use crate::config::normalise_text_channel_name;
use crate::config::raw::{RawCategory, RawChannel, RawChannelType, Sp};
use crate::model::{ChannelKind, ChannelSettings, DesiredChannel, DesiredOverwrites, SortBucket};

impl Validator<'_> {
    pub(super) fn channels(
        &mut self,
        top_level: &[Sp<RawChannel>],
        categories: &[Sp<RawCategory>],
    ) -> Vec<DesiredChannel> {
        let mut channels = Vec::new();
        // Identity: (kind, name) for current names, and for former names.
        let mut names: HashMap<ChannelKind, Vec<Claim>> = HashMap::new();
        let mut previous: HashMap<ChannelKind, Vec<(Claim, String)>> = HashMap::new();
        let mut spans: Vec<Range<usize>> = Vec::new();

        for raw in top_level {
            let channel = self.channel(raw, None);
            self.claim(
                &channel,
                &raw.value.name,
                &raw.value.previously,
                &mut names,
                &mut previous,
            );
            spans.push(raw.span.clone());
            channels.push(channel);
        }
        self.text_above_voice(top_level, "outside any category");

        if categories.len() > limits::CATEGORIES {
            self.error(
                format!(
                    "too many categories: {} (Discord allows at most {})",
                    categories.len(),
                    limits::CATEGORIES
                ),
                categories[limits::CATEGORIES].span.clone(),
            );
        }
        for raw in categories {
            let category = self.category(raw);
            self.claim(
                &category,
                &raw.value.name,
                &raw.value.previously,
                &mut names,
                &mut previous,
            );
            spans.push(raw.span.clone());
            let parent = category.name.clone();
            channels.push(category);
            let children = raw.value.channels.as_deref().unwrap_or_default();
            if children.len() > limits::CHANNELS_PER_CATEGORY {
                self.error(
                    format!(
                        "category `{parent}` has {} channels (Discord allows at most {})",
                        children.len(),
                        limits::CHANNELS_PER_CATEGORY
                    ),
                    raw.span.clone(),
                )
                .hint = Some("split it into two categories".into());
            }
            for child in children {
                let channel = self.channel(child, Some(&parent));
                self.claim(
                    &channel,
                    &child.value.name,
                    &child.value.previously,
                    &mut names,
                    &mut previous,
                );
                spans.push(child.span.clone());
                channels.push(channel);
            }
            self.text_above_voice(children, &format!("in category `{parent}`"));
        }
        if spans.len() > limits::CHANNELS {
            self.error(
                format!(
                    "too many channels: {} counting categories (Discord allows at most {})",
                    spans.len(),
                    limits::CHANNELS
                ),
                spans[limits::CHANNELS].clone(),
            );
        }
        let mut kinds: Vec<ChannelKind> = names.keys().chain(previous.keys()).copied().collect();
        kinds.sort();
        kinds.dedup();
        for kind in kinds {
            let (what, plural) = match kind {
                ChannelKind::Category => ("category".to_owned(), "categories".to_owned()),
                _ => (kind.describe(), format!("{}s", kind.describe())),
            };
            let current = names.remove(&kind).unwrap_or_default();
            let former = previous.remove(&kind).unwrap_or_default();
            self.former_names(&current, &former, &what, &plural);
        }
        channels
    }

    /// Records the channel's identity, reporting a second channel with the same name and kind.
    pub(super) fn claim(
        &mut self,
        channel: &DesiredChannel,
        name: &Option<Sp<String>>,
        former: &Option<Sp<Vec<Sp<String>>>>,
        names: &mut HashMap<ChannelKind, Vec<Claim>>,
        previous: &mut HashMap<ChannelKind, Vec<(Claim, String)>>,
    ) {
        if let Some(name) = name {
            let claims = names.entry(channel.kind).or_default();
            if let Some(first) = claims.iter().find(|claim| claim.name == name.value) {
                let line = self.line_of(&first.span);
                let (message, hint) = if channel.kind == ChannelKind::Category {
                    (
                        format!("two categories are named `{}`", name.value),
                        format!(
                            "the first is on line {line}; categories are matched by name, so names must be unique"
                        ),
                    )
                } else {
                    (
                        format!(
                            "two {}s are named `{}`",
                            channel.kind.describe(),
                            name.value
                        ),
                        format!(
                            "the first is on line {line}; channels are matched by name and kind anywhere in the server, so a {} name can be used once",
                            channel.kind.describe()
                        ),
                    )
                };
                self.error(message, name.span.clone()).hint = Some(hint);
            } else {
                claims.push(Claim {
                    name: name.value.clone(),
                    span: name.span.clone(),
                });
            }
        }
        let claims = previous.entry(channel.kind).or_default();
        for entry in former.iter().flat_map(|list| list.value.iter()) {
            claims.push((
                Claim {
                    name: entry.value.clone(),
                    span: entry.span.clone(),
                },
                channel.name.clone(),
            ));
        }
    }

    pub(super) fn channel(&mut self, raw: &Sp<RawChannel>, parent: Option<&str>) -> DesiredChannel {
        let channel = &raw.value;
        let kind = kind_of(channel);
        if let Some(name) = &channel.name {
            self.channel_name(name, kind, "channel name");
        }
        for former in channel.previously.iter().flat_map(|list| list.value.iter()) {
            self.channel_name(former, kind, "former channel name");
        }
        let (settings, tags) = self.settings(channel, kind);
        let overwrites = match parent {
            None => {
                if let Some(sync) = &channel.sync {
                    self.error("`sync` only applies to channels in a category", sync.whole())
                        .hint = Some(
                        "a channel outside any category has no category to copy overwrites from; remove `sync`".into(),
                    );
                }
                DesiredOverwrites::Explicit(self.overwrites(channel.overwrites.as_ref()))
            }
            Some(_) => match (&channel.sync, &channel.overwrites) {
                (Some(sync), Some(_)) if sync.value => {
                    self.error("`sync = true` cannot be combined with `overwrites`", sync.whole())
                        .hint = Some(
                        "remove `sync = true` to use this list, or remove `overwrites` to copy the category's".into(),
                    );
                    DesiredOverwrites::SyncWithParent
                }
                (_, Some(list)) => DesiredOverwrites::Explicit(self.overwrites(Some(list))),
                (Some(sync), None) if !sync.value => DesiredOverwrites::Explicit(Vec::new()),
                _ => DesiredOverwrites::SyncWithParent,
            },
        };
        DesiredChannel {
            name: channel
                .name
                .as_ref()
                .map(|name| name.value.clone())
                .unwrap_or_default(),
            kind,
            id: channel
                .id
                .as_ref()
                .and_then(|id| self.pin(id))
                .map(twilight_model::id::Id::new),
            previously: formers(&channel.previously),
            parent: parent.map(str::to_owned),
            settings,
            overwrites,
            tags,
        }
    }

    pub(super) fn channel_name(&mut self, name: &Sp<String>, kind: ChannelKind, what: &str) {
        if !self.check_name(name, what) || kind.sort_bucket() != SortBucket::TextLike {
            return;
        }
        let normalised = normalise_text_channel_name(&name.value);
        if normalised != name.value {
            self.error(
                format!(
                    "{} names are lowercase without spaces: Discord would store `{}` as `{normalised}`",
                    kind.describe(),
                    name.value
                ),
                name.span.clone(),
            )
            .hint = Some(format!("write `\"{normalised}\"`"));
        }
    }

    pub(super) fn category(&mut self, raw: &Sp<RawCategory>) -> DesiredChannel {
        let category = &raw.value;
        if let Some(name) = &category.name {
            self.check_name(name, "category name");
        }
        for former in category
            .previously
            .iter()
            .flat_map(|list| list.value.iter())
        {
            self.check_name(former, "former category name");
        }
        DesiredChannel {
            name: category
                .name
                .as_ref()
                .map(|name| name.value.clone())
                .unwrap_or_default(),
            kind: ChannelKind::Category,
            id: category
                .id
                .as_ref()
                .and_then(|id| self.pin(id))
                .map(twilight_model::id::Id::new),
            previously: formers(&category.previously),
            parent: None,
            settings: ChannelSettings::defaults_for(ChannelKind::Category),
            overwrites: DesiredOverwrites::Explicit(self.overwrites(category.overwrites.as_ref())),
            tags: Vec::new(),
        }
    }

    /// Discord shows text-like channels (text, announcement, forum) above voice-like channels
    /// (voice, stage) whatever their positions, so a file listing a voice channel first cannot
    /// be shown in its order.
    pub(super) fn text_above_voice(&mut self, channels: &[Sp<RawChannel>], place: &str) {
        let voice_like = |channel: &Sp<RawChannel>| kind_of(&channel.value).is_voice_like();
        let Some(first_voice) = channels.iter().position(voice_like) else {
            return;
        };
        let late_text = channels[first_voice..]
            .iter()
            .find(|channel| !voice_like(channel));
        if let Some(text) = late_text {
            let name = |channel: &Sp<RawChannel>| {
                channel
                    .value
                    .name
                    .as_ref()
                    .map(|name| name.value.clone())
                    .unwrap_or_default()
            };
            let voice = &channels[first_voice];
            self.warning(
                format!(
                    "{} `{}` is listed after {} `{}` {place}",
                    kind_of(&text.value).describe(),
                    name(text),
                    kind_of(&voice.value).describe(),
                    name(voice),
                ),
                text.span.clone(),
            )
            .hint = Some(
                "Discord always shows text, announcement and forum channels above voice and stage channels; list those last so the file reads in Discord's order".into(),
            );
        }
    }
}

pub(super) fn kind_of(channel: &RawChannel) -> ChannelKind {
    match channel.kind.as_ref().map(|kind| kind.value) {
        Some(RawChannelType::Voice) => ChannelKind::Voice,
        Some(RawChannelType::Announcement) => ChannelKind::Announcement,
        Some(RawChannelType::Stage) => ChannelKind::Stage,
        Some(RawChannelType::Forum) => ChannelKind::Forum,
        Some(RawChannelType::Text) | None => ChannelKind::Text,
    }
}
