//! How the file names one of its channels from elsewhere: `[guild]` settings, the community
//! tables and access assertions.
//!
//! - `"general"`: the one declared channel of that name (among the kinds the setting takes);
//! - `"general in Team 3"`: the one in category `Team 3` (quotes around the category are
//!   allowed: `general in "Team 3"`), for names that repeat across categories;
//! - `"general outside categories"`: the one outside any category;
//! - a kind in parentheses tells a text and an announcement channel of one name apart:
//!   `"general (announcement) in Team 3"`.
//!
//! A text is read every way it can be (a channel may be called `Lounge in Tokyo`), and it must
//! name exactly one channel: a text that could mean two is an error listing them, never a guess.
//! [`reference`] writes the shortest text that names one channel, for hints and `import`.

use crate::model::ChannelKind;

/// A declared channel as references see it.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Place<'a> {
    pub name: &'a str,
    pub kind: ChannelKind,
    pub category: Option<&'a str>,
}

// The kinds each kind of reference takes, shared by validation and `import` so a reference
// import writes resolves the same way when the file is read.
pub(crate) const TEXT_LIKE: &[ChannelKind] = &[
    ChannelKind::Text,
    ChannelKind::Announcement,
    ChannelKind::Forum,
    ChannelKind::Media,
];
pub(crate) const POSTABLE: &[ChannelKind] = &[ChannelKind::Text, ChannelKind::Announcement];
pub(crate) const NOT_CATEGORY: &[ChannelKind] = &[
    ChannelKind::Text,
    ChannelKind::Announcement,
    ChannelKind::Forum,
    ChannelKind::Media,
    ChannelKind::Voice,
    ChannelKind::Stage,
];
pub(crate) const ANY: &[ChannelKind] = &[
    ChannelKind::Category,
    ChannelKind::Text,
    ChannelKind::Announcement,
    ChannelKind::Forum,
    ChannelKind::Media,
    ChannelKind::Voice,
    ChannelKind::Stage,
];

const OUTSIDE: &str = " outside categories";

/// The kind word a reference uses in parentheses.
fn kind_word(kind: ChannelKind) -> &'static str {
    match kind {
        ChannelKind::Category => "category",
        ChannelKind::Voice => "voice",
        ChannelKind::Announcement => "announcement",
        ChannelKind::Stage => "stage",
        ChannelKind::Forum => "forum",
        ChannelKind::Media => "media",
        ChannelKind::Text | ChannelKind::Other(_) => "text",
    }
}

/// Where a reading looks for the channel.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Where<'t> {
    Anywhere,
    Outside,
    In(&'t str),
}

/// Every way `text` can be read: (name, kind if written, where).
fn readings(text: &str) -> Vec<(&str, Option<ChannelKind>, Where<'_>)> {
    let mut places: Vec<(&str, Where<'_>)> = vec![(text, Where::Anywhere)];
    if let Some(name) = text.strip_suffix(OUTSIDE) {
        places.push((name, Where::Outside));
    }
    for (at, _) in text.match_indices(" in ") {
        let category = text[at + 4..].trim();
        let category = category
            .strip_prefix('"')
            .and_then(|rest| rest.strip_suffix('"'))
            .unwrap_or(category);
        places.push((&text[..at], Where::In(category)));
    }
    let mut readings = Vec::new();
    for (name, place) in places {
        readings.push((name, None, place));
        for kind in [
            ChannelKind::Text,
            ChannelKind::Voice,
            ChannelKind::Announcement,
            ChannelKind::Stage,
            ChannelKind::Forum,
            ChannelKind::Media,
            ChannelKind::Category,
        ] {
            if let Some(bare) = name
                .strip_suffix(&format!(" ({})", kind_word(kind)))
                .filter(|bare| !bare.is_empty())
            {
                readings.push((bare, Some(kind), place));
            }
        }
    }
    readings
}

/// The indexes of every channel of `kinds` that some reading of `text` names, in `channels`
/// order: exactly one for a good reference.
pub(crate) fn resolve(text: &str, channels: &[Place<'_>], kinds: &[ChannelKind]) -> Vec<usize> {
    let readings = readings(text);
    channels
        .iter()
        .enumerate()
        .filter(|(_, channel)| kinds.contains(&channel.kind))
        .filter(|(_, channel)| {
            readings.iter().any(|(name, kind, place)| {
                channel.name == *name
                    && kind.is_none_or(|kind| kind == channel.kind)
                    && match place {
                        Where::Anywhere => true,
                        Where::Outside => {
                            channel.category.is_none() && channel.kind != ChannelKind::Category
                        }
                        Where::In(category) => channel.category == Some(*category),
                    }
            })
        })
        .map(|(index, _)| index)
        .collect()
}

/// The shortest text that names `channels[target]` alone among `kinds`: its name when that is
/// enough, else with its category, then with its kind.
pub(crate) fn reference(target: usize, channels: &[Place<'_>], kinds: &[ChannelKind]) -> String {
    let channel = channels[target];
    let place = match channel.category {
        Some(category) => format!(" in {category}"),
        None if channel.kind == ChannelKind::Category => String::new(),
        None => OUTSIDE.to_owned(),
    };
    let kind = format!(" ({})", kind_word(channel.kind));
    let candidates = [
        channel.name.to_owned(),
        format!("{}{place}", channel.name),
        format!("{}{kind}", channel.name),
        format!("{}{kind}{place}", channel.name),
    ];
    candidates
        .iter()
        .find(|text| resolve(text, channels, kinds) == [target])
        .unwrap_or(&candidates[3])
        .clone()
}

#[cfg(test)]
mod tests {
    use super::{Place, reference, resolve};
    use crate::model::ChannelKind::{self, Announcement, Category, Text, Voice};

    fn place(
        name: &'static str,
        kind: ChannelKind,
        category: Option<&'static str>,
    ) -> Place<'static> {
        Place {
            name,
            kind,
            category,
        }
    }

    fn channels() -> Vec<Place<'static>> {
        vec![
            place("general", Text, None),
            place("Team 1", Category, None),
            place("general", Text, Some("Team 1")),
            place("general", Announcement, Some("Team 1")),
            place("Team 2", Category, None),
            place("general", Text, Some("Team 2")),
            place("Lounge in Tokyo", Voice, Some("Team 2")),
            place("Lounge", Voice, Some("Tokyo")),
            place("rules", Text, None),
        ]
    }

    const ANY: &[ChannelKind] = &[Text, Announcement, Voice, Category];

    #[test]
    fn every_reading_of_a_reference_is_tried() {
        let channels = channels();
        assert_eq!(resolve("rules", &channels, ANY), [8]);
        assert_eq!(resolve("general", &channels, ANY), [0, 2, 3, 5]);
        assert_eq!(resolve("general in Team 2", &channels, ANY), [5]);
        assert_eq!(resolve("general in \"Team 2\"", &channels, ANY), [5]);
        assert_eq!(resolve("general in Team 1", &channels, ANY), [2, 3]);
        assert_eq!(
            resolve("general (announcement) in Team 1", &channels, ANY),
            [3]
        );
        assert_eq!(resolve("general outside categories", &channels, ANY), [0]);
        assert_eq!(resolve("general in Team 1", &channels, &[Text]), [2]);
        // A name that holds " in " is read both ways.
        assert_eq!(resolve("Lounge in Tokyo", &channels, ANY), [6, 7]);
        assert_eq!(resolve("Lounge in Tokyo in Team 2", &channels, ANY), [6]);
        assert!(resolve("nothing", &channels, ANY).is_empty());
    }

    #[test]
    fn references_are_the_shortest_text_naming_one_channel() {
        let channels = channels();
        let named: Vec<String> = (0..channels.len())
            .map(|index| reference(index, &channels, ANY))
            .collect();
        assert_eq!(
            named,
            [
                "general outside categories",
                "Team 1",
                "general (text) in Team 1",
                "general (announcement)",
                "Team 2",
                "general in Team 2",
                "Lounge in Tokyo in Team 2",
                "Lounge",
                "rules",
            ]
        );
        for (index, text) in named.iter().enumerate() {
            assert_eq!(resolve(text, &channels, ANY), [index], "{text}");
        }
    }
}
