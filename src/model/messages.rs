//! What one posted message is, beyond its text: embeds, mentions by name, pinned, link previews
//! suppressed (`message.mdx`: message object, embed object and its limits, message flags).
//!
//! A message part is generic over how it names channels (`C`) and roles (`R`) in its mentions:
//! the file writes `{#rules}` / `{@moderator}`, the plan holds a [`crate::plan::ChannelRef`] /
//! [`crate::plan::RoleRef`] for each. Mentions are kept as tokens (`{#rules}`) in the text and
//! replaced by [`render`] once the ids are known: the diff renders with live ids and compares the
//! result with the live text (a channel recreated under a new id makes the message stale); apply
//! renders tokens of objects created in the same run with their new ids.
//!
//! Invariant: a live message is compared as Discord stores it: text trimmed, only `rich` embeds
//! (link previews are Discord's), embed texts trimmed (Discord trims them), the
//! SUPPRESS_EMBEDS flag (1 << 2) alone of the flags.

use serde::{Deserialize, Serialize};

/// The SUPPRESS_EMBEDS message flag: no link previews (and no embeds at all) shown.
pub const SUPPRESS_EMBEDS: u64 = 1 << 2;

/// Discord's embed limits (`message.mdx`, "Embed Limits"), in characters.
pub mod embed_limits {
    pub const TITLE: usize = 256;
    pub const DESCRIPTION: usize = 4096;
    pub const FIELDS: usize = 25;
    pub const FIELD_NAME: usize = 256;
    pub const FIELD_VALUE: usize = 1024;
    pub const FOOTER: usize = 2048;
    /// Title, description, field names and values, footer texts of all embeds of one message.
    pub const TOTAL: usize = 6000;
    pub const PER_MESSAGE: usize = 10;
    /// A URL Discord accepts for an embed's image [inferred: the spec's `uri` max length].
    pub const URL: usize = 2048;
    pub const COLOR_MAX: u32 = 0xFF_FFFF;
}

/// A rich embed, as the file declares it and as Discord returns it (the fields this tool
/// manages).
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Embed {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// `0xRRGGBB`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub color: Option<u32>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub fields: Vec<EmbedField>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub footer: Option<String>,
    /// The image's URL.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub image: Option<String>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct EmbedField {
    pub name: String,
    pub value: String,
    #[serde(default)]
    pub inline: bool,
}

impl Embed {
    /// The characters Discord counts towards the 6000 of a message.
    pub fn counted(&self) -> usize {
        let count = |text: &Option<String>| text.as_deref().map_or(0, |t| t.chars().count());
        count(&self.title)
            + count(&self.description)
            + count(&self.footer)
            + self
                .fields
                .iter()
                .map(|field| field.name.chars().count() + field.value.chars().count())
                .sum::<usize>()
    }

    /// The body Discord takes (`embeds[]` of create / edit message).
    pub fn to_json(&self) -> serde_json::Value {
        let mut body = serde_json::json!({ "type": "rich" });
        if let Some(title) = &self.title {
            body["title"] = title.as_str().into();
        }
        if let Some(description) = &self.description {
            body["description"] = description.as_str().into();
        }
        if let Some(color) = self.color {
            body["color"] = color.into();
        }
        if !self.fields.is_empty() {
            body["fields"] = self
                .fields
                .iter()
                .map(|field| {
                    serde_json::json!({
                        "name": field.name, "value": field.value, "inline": field.inline
                    })
                })
                .collect();
        }
        if let Some(footer) = &self.footer {
            body["footer"] = serde_json::json!({ "text": footer });
        }
        if let Some(image) = &self.image {
            body["image"] = serde_json::json!({ "url": image });
        }
        body
    }

    /// Every text of the embed in which Discord shows mentions (description, field values).
    fn mention_texts_mut(&mut self) -> impl Iterator<Item = &mut String> {
        self.description
            .iter_mut()
            .chain(self.fields.iter_mut().map(|field| &mut field.value))
    }
}

/// A mention written by name: `{#rules}` (a channel) or `{@moderator}` (a role, by key).
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Mention<C, R> {
    Channel(C),
    Role(R),
}

impl<C, R> Mention<C, R> {
    pub fn map<C2, R2>(
        &self,
        channel: impl FnOnce(&C) -> C2,
        role: impl FnOnce(&R) -> R2,
    ) -> Mention<C2, R2> {
        match self {
            Self::Channel(c) => Mention::Channel(channel(c)),
            Self::Role(r) => Mention::Role(role(r)),
        }
    }
}

/// A token as written in the file (`{#rules}`) and what it names.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct MentionToken<C, R> {
    pub token: String,
    pub target: Mention<C, R>,
}

/// One Discord message of a message file.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(bound(deserialize = "C: Deserialize<'de>, R: Deserialize<'de>"))]
pub struct MessagePart<C, R> {
    /// The text, with mentions as their tokens; ≤2000 characters once rendered.
    pub content: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub mentions: Vec<MentionToken<C, R>>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub embeds: Vec<Embed>,
    /// `Some(true)` pins it, `Some(false)` unpins it; `None` leaves it as moderators set it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pin: Option<bool>,
    #[serde(default, skip_serializing_if = "is_false")]
    pub suppress_embeds: bool,
}

impl<C, R> MessagePart<C, R> {
    /// Its embeds and flags.
    pub fn look(&self) -> MessageLook {
        MessageLook {
            embeds: self.embeds.clone(),
            suppress_embeds: self.suppress_embeds,
        }
    }

    /// A plain part: text only.
    pub fn text(content: impl Into<String>) -> Self {
        Self {
            content: content.into(),
            mentions: Vec::new(),
            embeds: Vec::new(),
            pin: None,
            suppress_embeds: false,
        }
    }
}

#[allow(clippy::trivially_copy_pass_by_ref)]
fn is_false(value: &bool) -> bool {
    !*value
}

/// What a message looks like besides its text, as compared and sent: its embeds and whether
/// link previews are suppressed. The default (no embeds, previews shown) is a plain message.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct MessageLook {
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub embeds: Vec<Embed>,
    #[serde(default, skip_serializing_if = "is_false")]
    pub suppress_embeds: bool,
}

impl MessageLook {
    pub fn is_plain(&self) -> bool {
        *self == Self::default()
    }

    /// `flags` of a create / edit body.
    pub fn flags(&self) -> u64 {
        if self.suppress_embeds {
            SUPPRESS_EMBEDS
        } else {
            0
        }
    }
}

/// One of the bot's own messages as Discord has it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct LiveMessage {
    pub id: u64,
    pub content: String,
    #[serde(default, skip_serializing_if = "MessageLook::is_plain")]
    pub look: MessageLook,
    #[serde(default)]
    pub pinned: bool,
}

/// `text` and the embeds' mention texts with each token replaced by what `resolve` says it
/// stands for; a token `resolve` cannot say (an object not created yet) stays as written.
pub fn render<C, R>(
    content: &str,
    look: &MessageLook,
    mentions: &[MentionToken<C, R>],
    mut resolve: impl FnMut(&Mention<C, R>) -> Option<String>,
) -> (String, MessageLook) {
    let replacements: Vec<(&str, String)> = mentions
        .iter()
        .filter_map(|mention| Some((mention.token.as_str(), resolve(&mention.target)?)))
        .collect();
    let apply = |text: &mut String| {
        for (token, value) in &replacements {
            if text.contains(token) {
                *text = text.replace(token, value);
            }
        }
    };
    let mut content = content.to_owned();
    apply(&mut content);
    let mut look = look.clone();
    for embed in &mut look.embeds {
        embed.mention_texts_mut().for_each(apply);
    }
    (content, look)
}

/// `<#id>`, the text Discord shows as a link to a channel.
pub fn channel_mention(id: u64) -> String {
    format!("<#{id}>")
}

/// `<@&id>`, the text Discord shows as a role mention.
pub fn role_mention(id: u64) -> String {
    format!("<@&{id}>")
}

/// Mentions of channels and roles in a live text (`<#id>`, `<@&id>`), in order, with their byte
/// ranges: for `import`, which writes them back by name.
pub fn live_mentions(text: &str) -> Vec<(std::ops::Range<usize>, Mention<u64, u64>)> {
    let mut found = Vec::new();
    let mut rest = 0;
    while let Some(start) = text[rest..].find("<").map(|at| rest + at) {
        let after = &text[start + 1..];
        let (prefix_len, role) = if after.starts_with("@&") {
            (2, true)
        } else if after.starts_with('#') {
            (1, false)
        } else {
            rest = start + 1;
            continue;
        };
        let digits: String = after[prefix_len..]
            .chars()
            .take_while(char::is_ascii_digit)
            .collect();
        let end = start + 1 + prefix_len + digits.len();
        if !digits.is_empty()
            && text[end..].starts_with('>')
            && let Ok(id) = digits.parse::<u64>()
        {
            let mention = if role {
                Mention::Role(id)
            } else {
                Mention::Channel(id)
            };
            found.push((start..end + 1, mention));
            rest = end + 1;
        } else {
            rest = start + 1;
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_replaced_in_text_description_and_field_values_only() {
        let look = MessageLook {
            embeds: vec![Embed {
                title: Some("{#rules}".into()),
                description: Some("see {#rules}".into()),
                fields: vec![EmbedField {
                    name: "{@mod}".into(),
                    value: "ask {@mod}".into(),
                    inline: false,
                }],
                ..Embed::default()
            }],
            suppress_embeds: false,
        };
        let mentions = vec![
            MentionToken {
                token: "{#rules}".to_owned(),
                target: Mention::Channel(1_u64),
            },
            MentionToken {
                token: "{@mod}".to_owned(),
                target: Mention::Role(2_u64),
            },
        ];
        let (text, look) = render("{#rules} and {@mod}", &look, &mentions, |m| match m {
            Mention::Channel(id) => Some(channel_mention(*id)),
            Mention::Role(_) => None,
        });
        assert_eq!(text, "<#1> and {@mod}");
        assert_eq!(look.embeds[0].title.as_deref(), Some("{#rules}"));
        assert_eq!(look.embeds[0].description.as_deref(), Some("see <#1>"));
        assert_eq!(look.embeds[0].fields[0].value, "ask {@mod}");
    }

    #[test]
    fn live_mentions_are_found_with_their_ranges() {
        let text = "a <#12> b <@&34> <@56> <#x> <#7";
        let found = live_mentions(text);
        assert_eq!(
            found,
            vec![(2..7, Mention::Channel(12)), (10..16, Mention::Role(34))]
        );
    }
}
