//! `[[channels]]` and `[[categories]]`: names, identities, categories and overwrites, with
//! each channel's settings read by [`super::channel_settings`].

use std::collections::{BTreeMap, HashMap};
use std::ops::Range;

use super::{Claim, Validator, formers, limits};
use crate::config::normalise_text_channel_name;
use crate::config::raw::{
    RawCategory, RawChannel, RawChannelType, RawFile, RawFormer, RawFormerPlace, Sp, UNLISTED,
};
use crate::config::suggest;
use crate::model::{
    ChannelKind, ChannelSettings, DesiredChannel, DesiredOverwrites, DesiredTarget, FormerPlace,
    Overwrite, SortBucket, Unlisted,
};

/// A former name or place of a channel, for uniqueness checks.
struct Former {
    name: String,
    /// `Some` for a former place.
    category: Option<String>,
    span: Range<usize>,
    /// Index of the channel it belongs to.
    owner: usize,
}

/// Where a channel's name is written (the table when the name is missing).
fn name_span(raw: &Sp<RawChannel>) -> Range<usize> {
    raw.value
        .name
        .as_ref()
        .map_or_else(|| raw.span.clone(), |name| name.span.clone())
}

impl Validator<'_> {
    pub(super) fn channels(
        &mut self,
        top_level: &[Sp<RawChannel>],
        categories: &[Sp<RawCategory>],
    ) -> Vec<DesiredChannel> {
        let mut channels = Vec::new();
        let mut spans: Vec<Range<usize>> = Vec::new();
        let mut formers: Vec<Former> = Vec::new();
        let mut category_names: Vec<Claim> = Vec::new();
        let mut category_formers: Vec<(Claim, String)> = Vec::new();

        for raw in top_level {
            let channel = self.channel(raw, None);
            self.note_formers(&raw.value.previously, channels.len(), &mut formers);
            self.channel_spans.push(name_span(raw));
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
            if let Some(name) = &raw.value.name {
                if let Some(first) = category_names.iter().find(|claim| claim.name == name.value) {
                    let line = self.line_of(&first.span);
                    self.error(
                        format!("two categories are named `{}`", name.value),
                        name.span.clone(),
                    )
                    .hint = Some(format!(
                        "the first is on line {line}; categories are matched by name, so names must be unique"
                    ));
                } else {
                    category_names.push(Claim {
                        name: name.value.clone(),
                        span: name.span.clone(),
                    });
                }
            }
            for former in raw
                .value
                .previously
                .iter()
                .flat_map(|list| list.value.iter())
            {
                category_formers.push((
                    Claim {
                        name: former.value.clone(),
                        span: former.span.clone(),
                    },
                    category.name.clone(),
                ));
            }
            self.channel_spans.push(
                raw.value
                    .name
                    .as_ref()
                    .map_or_else(|| raw.span.clone(), |name| name.span.clone()),
            );
            spans.push(raw.span.clone());
            let parent = category.name.clone();
            let inherited = match &category.overwrites {
                DesiredOverwrites::Explicit(list) => list.clone(),
                DesiredOverwrites::SyncWithParent => Vec::new(),
            };
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
                let channel = self.channel(child, Some((&parent, &inherited)));
                self.note_formers(&child.value.previously, channels.len(), &mut formers);
                self.channel_spans.push(name_span(child));
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
        self.former_names(&category_names, &category_formers, "category", "categories");
        self.same_place_twice(&channels);
        self.channel_formers(&channels, &formers);
        channels
    }

    /// A channel's identity is its name and kind in its category (names may repeat across
    /// categories): a second channel of one kind and name in one place is an error. A text and
    /// an announcement channel may share a name: they are matched by their exact kind first
    /// (see `diff::identity`).
    fn same_place_twice(&mut self, channels: &[DesiredChannel]) {
        let mut seen: HashMap<(Option<&str>, ChannelKind, &str), usize> = HashMap::new();
        for (index, channel) in channels.iter().enumerate() {
            if channel.kind == ChannelKind::Category || channel.name.is_empty() {
                continue;
            }
            let place = (
                channel.parent.as_deref(),
                channel.kind,
                channel.name.as_str(),
            );
            let Some(first) = seen.get(&place).copied() else {
                seen.insert(place, index);
                continue;
            };
            let line = self.line_of(&self.channel_spans[first].clone());
            let place = match &channel.parent {
                Some(category) => format!("in category `{category}`"),
                None => "outside any category".to_owned(),
            };
            self.error(
                format!(
                    "two {}s are named `{}`",
                    channel.kind.describe(),
                    channel.name
                ),
                self.channel_spans[index].clone(),
            )
            .hint = Some(format!(
                "the first is on line {line}, also {place}; a name can be used once per kind in one category (it may repeat in other categories)"
            ));
        }
    }

    /// Remembers the former names and places of the channel at `owner`.
    fn note_formers(
        &mut self,
        list: &Option<Sp<Vec<Sp<RawFormer>>>>,
        owner: usize,
        formers: &mut Vec<Former>,
    ) {
        for entry in list.iter().flat_map(|list| list.value.iter()) {
            match &entry.value {
                RawFormer::Name(name) => formers.push(Former {
                    name: name.clone(),
                    category: None,
                    span: entry.span.clone(),
                    owner,
                }),
                RawFormer::Place(RawFormerPlace {
                    category: Some(category),
                    name: Some(name),
                }) => formers.push(Former {
                    name: name.value.clone(),
                    category: Some(category.value.clone()),
                    span: entry.span.clone(),
                    owner,
                }),
                // A missing key was reported by the reader.
                RawFormer::Place(_) => {}
            }
        }
    }

    /// Former names that are someone's current name, or claimed twice. A former name is looked
    /// up where the current name is: anywhere when it is unique in the file, else in the
    /// channel's category; a former place is looked up in its category.
    fn channel_formers(&mut self, channels: &[DesiredChannel], formers: &[Former]) {
        let repeats = |name: &str, family: ChannelKind| {
            channels
                .iter()
                .filter(|c| c.name == name && c.kind.family() == family)
                .count()
                > 1
        };
        for (index, former) in formers.iter().enumerate() {
            let owner = &channels[former.owner];
            let family = owner.kind.family();
            let what = owner.kind.describe();
            let plural = format!("{what}s");
            // Where a live channel of this former name would be looked for.
            let category = match &former.category {
                Some(category) => Some(category.as_str()),
                None => owner.parent.as_deref(),
            };
            let scoped = former.category.is_some() || repeats(&former.name, family);
            let here = |channel: &DesiredChannel| {
                channel.name == former.name
                    && channel.kind.family() == family
                    && (!scoped || channel.parent.as_deref() == category)
            };
            let (message, hint) = if here(owner) {
                let message = match &former.category {
                    Some(category) => format!(
                        "`{}` in `{category}` is already where this {what} is",
                        former.name
                    ),
                    None => format!("`{}` is already this {what}'s name", former.name),
                };
                (message, "remove it from `previously`".to_owned())
            } else if channels.iter().any(here) {
                (
                    format!(
                        "`{}` is listed in `previously` but another {what} has that name",
                        former.name
                    ),
                    format!(
                        "a live {what} named `{}` would match both {plural}; remove it from `previously`",
                        former.name
                    ),
                )
            } else if let Some(first) = formers[..index].iter().find(|other| {
                other.name == former.name
                    && channels[other.owner].kind.family() == family
                    && (!scoped
                        || other
                            .category
                            .as_deref()
                            .or(channels[other.owner].parent.as_deref())
                            == category)
            }) {
                let line = self.line_of(&first.span);
                (
                    format!("two {plural} list `{}` in `previously`", former.name),
                    format!(
                        "it is also listed on line {line}; a former name can belong to one {what} only"
                    ),
                )
            } else {
                continue;
            };
            self.error(message, former.span.clone()).hint = Some(hint);
        }
    }

    /// A channel, outside any category or in `parent` (name and resolved overwrites).
    pub(super) fn channel(
        &mut self,
        raw: &Sp<RawChannel>,
        parent: Option<(&str, &[Overwrite<DesiredTarget>])>,
    ) -> DesiredChannel {
        let channel = &raw.value;
        let kind = kind_of(channel);
        if let Some(name) = &channel.name {
            self.channel_name(name, kind, "channel name");
        }
        for former in channel.previously.iter().flat_map(|list| list.value.iter()) {
            match &former.value {
                RawFormer::Name(name) => {
                    self.channel_name(
                        &Sp::new(name.clone(), former.span.clone()),
                        kind,
                        "former channel name",
                    );
                }
                RawFormer::Place(place) => {
                    if let Some(name) = &place.name {
                        self.channel_name(name, kind, "former channel name");
                    }
                    if let Some(category) = &place.category {
                        self.check_name(category, "former category name");
                    }
                }
            }
        }
        let (settings, tags) = self.settings(channel, kind);
        let overwrites = self.channel_overwrites(channel, parent);
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
            previously: channel
                .previously
                .iter()
                .flat_map(|list| list.value.iter())
                .filter_map(|former| match &former.value {
                    RawFormer::Name(name) => Some(name.clone()),
                    RawFormer::Place(_) => None,
                })
                .collect(),
            previously_at: channel
                .previously
                .iter()
                .flat_map(|list| list.value.iter())
                .filter_map(|former| match &former.value {
                    RawFormer::Place(RawFormerPlace {
                        category: Some(category),
                        name: Some(name),
                    }) => Some(FormerPlace {
                        category: category.value.clone(),
                        name: name.value.clone(),
                    }),
                    _ => None,
                })
                .collect(),
            parent: parent.map(|(name, _)| name.to_owned()),
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
            previously_at: Vec::new(),
            parent: None,
            settings: ChannelSettings::defaults_for(ChannelKind::Category),
            overwrites: DesiredOverwrites::Explicit(
                self.with_preset(category.preset.as_ref(), category.overwrites.as_ref()),
            ),
            tags: Vec::new(),
        }
    }

    /// Each category's `unlisted` rule, where it is not `keep`.
    pub(super) fn unlisted(&mut self, raw: &RawFile) -> BTreeMap<String, Unlisted> {
        let mut rules = BTreeMap::new();
        for category in raw.categories.iter().flatten() {
            let (Some(name), Some(rule)) = (&category.value.name, &category.value.unlisted) else {
                continue;
            };
            let rule = match rule.value.as_str() {
                "keep" => Unlisted::Keep,
                "prune" => Unlisted::Prune,
                "sync" => Unlisted::Sync,
                other => {
                    let hint = match suggest(other, UNLISTED.iter().copied()) {
                        Some(close) => format!("did you mean `{close}`?"),
                        None => "write `keep`, `prune` or `sync`".to_owned(),
                    };
                    self.error(
                        format!("unknown `unlisted` rule `{other}`"),
                        rule.span.clone(),
                    )
                    .hint = Some(hint);
                    continue;
                }
            };
            if rule != Unlisted::Keep {
                rules.insert(name.value.clone(), rule);
            }
        }
        rules
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
        Some(RawChannelType::Media) => ChannelKind::Media,
        Some(RawChannelType::Text) | None => ChannelKind::Text,
    }
}
