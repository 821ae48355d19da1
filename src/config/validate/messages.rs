//! A message file (`[[messages]] file = ...`) read into Discord messages: explicit boundaries,
//! front matter (embeds, `pin`, `suppress_embeds`), mentions by name; every mistake located in the
//! message file itself (file:line:col).
//!
//! - No `<!-- next message -->` line and no front matter: the text is split at 2000 characters
//!   between paragraphs, as it always was ([`split_message`]).
//! - Otherwise the file is explicit: every separator ends a message, and each message is exactly
//!   its text, trimmed; more than 2000 characters is an error, not a silent split.
//! - A message may start with a `+++` … `+++` TOML block (`crate::config::read::RawFrontMatter`).
//! - `{#name}` names a channel of this file as other tables do (`general in Team 3`), `{@key}` a
//!   role by key; they become `<#id>` / `<@&id>` when posted. Lengths are checked with the longest
//!   id in their place, so a rendered message never exceeds a limit Discord enforces.
//!
//! Limits: `message.mdx` (content 2000, embed limits, 10 embeds per message).

use std::collections::HashMap;
use std::ops::Range;

use super::Validator;
use super::references::places;
use crate::config::Source;
use crate::config::diagnostic::Diagnostic;
use crate::config::names::{self, ANY};
use crate::config::raw::Sp;
use crate::config::read::{RawEmbed, RawFrontMatter, read_front_matter};
use crate::config::suggest;
use crate::model::community::{MESSAGE_BREAK, MESSAGE_MAX, split_message};
use crate::model::messages::{
    Embed, EmbedField, Mention, MentionToken, MessageLook, MessagePart, channel_mention,
    embed_limits as limits, render, role_mention,
};
use crate::model::{ChannelKey, DesiredChannel};

/// The line that opens and closes a message's front matter.
pub const FRONT_MATTER_FENCE: &str = "+++";

/// A name inside `{#…}` / `{@…}` is at most this long (a reference with its category).
const TOKEN_NAME_MAX: usize = 250;

/// The longest id Discord could put in a mention's place (`u64::MAX`).
const LONGEST_ID: u64 = u64::MAX;

/// One message's place in the file.
struct Chunk {
    /// The message's text (after its front matter).
    body: Range<usize>,
    /// The TOML between the `+++` lines.
    front_matter: Option<Range<usize>>,
}

impl Validator<'_> {
    /// `text` of the message file `written` (as `[[messages]]` names it) as Discord messages;
    /// `None` when it has errors (reported).
    pub(super) fn message_parts(
        &mut self,
        written: &Sp<String>,
        text: String,
        channels: &[DesiredChannel],
    ) -> Option<Vec<MessagePart<ChannelKey, String>>> {
        let name = self.beside_file(&written.value).display().to_string();
        let source = Source::new(name, text);
        let errors = self.error_count();
        let first = self.diagnostics.len();
        let chunks = self.chunks(&source);
        let explicit = chunks.len() > 1 || chunks.iter().any(|c| c.front_matter.is_some());
        let tokens = self.mention_tokens(&source, channels);
        let text = source.text.as_str();
        let mentions_in = |texts: &[&str]| -> Vec<MentionToken<ChannelKey, String>> {
            let mut found: Vec<MentionToken<ChannelKey, String>> = tokens
                .iter()
                .filter(|(token, _)| texts.iter().any(|text| text.contains(token.as_str())))
                .map(|(token, target)| MentionToken {
                    token: token.clone(),
                    target: target.clone(),
                })
                .collect();
            found.sort();
            found
        };
        let mut parts = Vec::new();
        if explicit {
            for (index, chunk) in chunks.iter().enumerate() {
                let content = text[chunk.body.clone()].trim().to_owned();
                let matter = chunk
                    .front_matter
                    .clone()
                    .and_then(|block| read_front_matter(&source, block, self.diagnostics));
                let look = matter
                    .as_ref()
                    .map(|matter| self.look(&source, matter))
                    .unwrap_or_default();
                let at = chunk.front_matter.clone().map_or_else(
                    || first_text(text, &chunk.body),
                    |block| block.start.saturating_sub(4)..block.start.saturating_sub(1),
                );
                // Embeds refused above, or front matter that did not parse, are reported already.
                let reported = chunk.front_matter.is_some()
                    && matter
                        .as_ref()
                        .is_none_or(|matter| !matter.embeds.is_empty());
                if content.is_empty() && look.embeds.is_empty() && !reported {
                    self.push(
                        Diagnostic::error(
                            format!("message {} of this file is empty", index + 1),
                            &source,
                            at.clone(),
                        )
                        .with_hint("Discord cannot post an empty message: write its text or an embed, or remove the extra `<!-- next message -->` line"),
                    );
                    continue;
                }
                if content.is_empty() && look.embeds.is_empty() {
                    continue;
                }
                let mut texts: Vec<&str> = vec![content.as_str()];
                for embed in &look.embeds {
                    texts.extend(embed.description.as_deref());
                    texts.extend(embed.fields.iter().map(|field| field.value.as_str()));
                }
                let mentions = mentions_in(&texts);
                let pin = matter
                    .as_ref()
                    .and_then(|matter| matter.pin.as_ref())
                    .map(|pin| pin.value);
                let part = MessagePart {
                    content,
                    mentions,
                    embeds: look.embeds,
                    pin,
                    suppress_embeds: look.suppress_embeds,
                };
                self.rendered_lengths(&source, &part, index + 1, at);
                parts.push(part);
            }
        } else {
            for content in split_message(text) {
                let mentions = mentions_in(&[content.as_str()]);
                let part = MessagePart {
                    mentions,
                    ..MessagePart::text(content)
                };
                let at = first_text(text, &(0..text.len()));
                self.rendered_lengths(&source, &part, parts.len() + 1, at);
                parts.push(part);
            }
        }
        if parts.is_empty() && self.error_count() == errors {
            self.error(format!("`{}` is empty", written.value), written.span.clone())
                .hint = Some("Discord cannot post an empty message; write the text, or remove this `[[messages]]`".into());
        }
        // Problems found in the message file show their snippet from it.
        let source = std::sync::Arc::new(source);
        for diagnostic in &mut self.diagnostics[first..] {
            if diagnostic.file == source.name && diagnostic.snippet_from.is_none() {
                diagnostic.snippet_from = Some(source.clone());
            }
        }
        (self.error_count() == errors && !parts.is_empty()).then_some(parts)
    }

    fn error_count(&self) -> usize {
        self.diagnostics.iter().filter(|d| d.is_error()).count()
    }

    /// The file cut at separator lines (outside code fences), each piece's front matter found.
    fn chunks(&mut self, source: &Source) -> Vec<Chunk> {
        let text = source.text.as_str();
        let mut bodies: Vec<Range<usize>> = Vec::new();
        let mut start = 0;
        let mut in_fence = false;
        for (at, line) in lines(text) {
            if line.trim_start().starts_with("```") {
                in_fence = !in_fence;
            }
            if !in_fence && line.trim() == MESSAGE_BREAK {
                bodies.push(start..at);
                start = at + line.len();
            }
        }
        bodies.push(start..text.len());
        bodies
            .into_iter()
            .map(|body| self.front_matter_of(source, body))
            .collect()
    }

    /// `body` with its front matter (a `+++` line first, up to the next `+++` line) taken out.
    fn front_matter_of(&mut self, source: &Source, body: Range<usize>) -> Chunk {
        let text = &source.text[body.clone()];
        let mut lines = lines(text).skip_while(|(_, line)| line.trim().is_empty());
        let Some((open, line)) = lines.next().filter(|(_, l)| l.trim() == FRONT_MATTER_FENCE)
        else {
            return Chunk {
                body,
                front_matter: None,
            };
        };
        let block_start = body.start + open + line.len();
        match lines.find(|(_, line)| line.trim() == FRONT_MATTER_FENCE) {
            Some((close, line)) => Chunk {
                body: body.start + close + line.len()..body.end,
                front_matter: Some(block_start..body.start + close),
            },
            None => {
                let at = body.start + open;
                self.push(
                    Diagnostic::error("this front matter is not closed", source, at..at + 3)
                        .with_hint(
                            "end the TOML block with a line `+++` before the message's text",
                        ),
                );
                Chunk {
                    body: body.end..body.end,
                    front_matter: None,
                }
            }
        }
    }

    /// Every `{#name}` and `{@key}` of the file, resolved (unknown names reported).
    fn mention_tokens(
        &mut self,
        source: &Source,
        channels: &[DesiredChannel],
    ) -> HashMap<String, Mention<ChannelKey, String>> {
        let mut resolved = HashMap::new();
        let places = places(channels);
        for (span, role, name) in tokens(&source.text) {
            let token = source.text[span.clone()].to_owned();
            if resolved.contains_key(&token) {
                continue;
            }
            let target = if role {
                self.mentioned_role(source, span, name).map(Mention::Role)
            } else {
                let found = names::resolve(name, &places, ANY);
                match found.as_slice() {
                    [one] => Some(Mention::Channel(ChannelKey::of(&channels[*one]))),
                    [] => {
                        let candidates = channels.iter().map(|channel| channel.name.as_str());
                        let hint = match suggest(name, candidates) {
                            Some(close) => format!("did you mean `{{#{close}}}`?"),
                            None => "name a channel declared in the server file".to_owned(),
                        };
                        self.push(
                            Diagnostic::error(
                                format!("no channel named `{name}` in this server"),
                                source,
                                span,
                            )
                            .with_hint(hint),
                        );
                        None
                    }
                    many => {
                        let listed: Vec<String> = many
                            .iter()
                            .take(5)
                            .map(|index| {
                                format!("`{{#{}}}`", names::reference(*index, &places, ANY))
                            })
                            .collect();
                        self.push(
                            Diagnostic::error(
                                format!("`{name}` could mean {} channels", many.len()),
                                source,
                                span,
                            )
                            .with_hint(format!("write one of {}", listed.join(", "))),
                        );
                        None
                    }
                }
            };
            if let Some(target) = target {
                resolved.insert(token, target);
            }
        }
        resolved
    }

    fn mentioned_role(&mut self, source: &Source, span: Range<usize>, key: &str) -> Option<String> {
        if self.role_keys.iter().any(|(known, _)| known == key) {
            return Some(key.to_owned());
        }
        let hint = if key == "everyone" || key == "here" {
            format!("write `@{key}` as text: posted messages never ping, so it shows as words")
        } else if let Some((known, _)) = self
            .role_keys
            .iter()
            .find(|(_, name)| name.as_deref() == Some(key))
        {
            format!("roles are mentioned by `key`, not name: write `{{@{known}}}`")
        } else {
            match suggest(key, self.role_keys.iter().map(|(known, _)| known.as_str())) {
                Some(close) => format!("did you mean `{{@{close}}}`?"),
                None => "mention a role by its `key` from `[[roles]]`".to_owned(),
            }
        };
        self.push(Diagnostic::error(format!("unknown role `{key}`"), source, span).with_hint(hint));
        None
    }

    /// The embeds and flags of a front matter, checked against Discord's limits.
    fn look(&mut self, source: &Source, matter: &RawFrontMatter) -> MessageLook {
        if matter.embeds.len() > limits::PER_MESSAGE {
            let extra = &matter.embeds[limits::PER_MESSAGE];
            self.push(
                Diagnostic::error(
                    format!(
                        "{} embeds in one message; Discord takes at most {}",
                        matter.embeds.len(),
                        limits::PER_MESSAGE
                    ),
                    source,
                    extra.span.clone(),
                )
                .with_hint("move some to the next message (after a `<!-- next message -->` line)"),
            );
        }
        let embeds: Vec<Embed> = matter
            .embeds
            .iter()
            .filter_map(|embed| self.embed(source, embed))
            .collect();
        let suppress_embeds = matter
            .suppress_embeds
            .as_ref()
            .is_some_and(|flag| flag.value);
        if let Some(flag) = matter.suppress_embeds.as_ref().filter(|f| f.value)
            && !matter.embeds.is_empty()
        {
            self.push(
                Diagnostic::error(
                    "`suppress_embeds` would hide this message's own embeds",
                    source,
                    flag.whole(),
                )
                .with_hint("Discord's SUPPRESS_EMBEDS flag hides every embed: use it on messages without `[[embeds]]`"),
            );
        }
        MessageLook {
            embeds,
            suppress_embeds,
        }
    }

    fn embed(&mut self, source: &Source, raw: &Sp<RawEmbed>) -> Option<Embed> {
        let embed = &raw.value;
        let errors = self.error_count();
        let title = self.embed_text(source, embed.title.as_ref(), "title", limits::TITLE);
        let description = self.embed_text(
            source,
            embed.description.as_ref(),
            "description",
            limits::DESCRIPTION,
        );
        let footer = self.embed_text(source, embed.footer.as_ref(), "footer", limits::FOOTER);
        let color = embed.color.as_ref().and_then(|color| {
            let parsed = color
                .value
                .strip_prefix('#')
                .filter(|hex| hex.len() == 6 && hex.chars().all(|c| c.is_ascii_hexdigit()))
                .and_then(|hex| u32::from_str_radix(hex, 16).ok());
            if parsed.is_none() {
                self.push(
                    Diagnostic::error(
                        format!("invalid colour `{}`", color.value),
                        source,
                        color.span.clone(),
                    )
                    .with_hint("write colours as `\"#rrggbb\"`, for example `\"#5865f2\"`"),
                );
            }
            parsed
        });
        let image = embed.image.as_ref().and_then(|image| {
            let url = image.value.trim();
            let fine = (url.starts_with("https://") || url.starts_with("http://"))
                && url.len() > "https://".len()
                && url.len() <= limits::URL
                && !url.chars().any(char::is_whitespace);
            if !fine {
                self.push(
                    Diagnostic::error("`image` must be an http(s) URL", source, image.span.clone())
                        .with_hint(format!(
                            "Discord shows an image from a URL of at most {} characters, like `https://example.org/banner.png`",
                            limits::URL
                        )),
                );
            }
            fine.then(|| url.to_owned())
        });
        if embed.fields.len() > limits::FIELDS {
            self.push(
                Diagnostic::error(
                    format!(
                        "{} fields in one embed; Discord takes at most {}",
                        embed.fields.len(),
                        limits::FIELDS
                    ),
                    source,
                    embed.fields[limits::FIELDS].span.clone(),
                )
                .with_hint("split them over two embeds"),
            );
        }
        let fields: Vec<EmbedField> = embed
            .fields
            .iter()
            .filter_map(|field| {
                let name = self.embed_text(
                    source,
                    field.value.name.as_ref(),
                    "name",
                    limits::FIELD_NAME,
                );
                let value = self.embed_text(
                    source,
                    field.value.value.as_ref(),
                    "value",
                    limits::FIELD_VALUE,
                );
                Some(EmbedField {
                    name: name?,
                    value: value?,
                    inline: field.value.inline.as_ref().is_some_and(|flag| flag.value),
                })
            })
            .collect();
        let built = Embed {
            title,
            description,
            color,
            fields,
            footer,
            image,
        };
        if self.error_count() != errors {
            return None;
        }
        if built.title.is_none()
            && built.description.is_none()
            && built.fields.is_empty()
            && built.footer.is_none()
            && built.image.is_none()
        {
            self.push(
                Diagnostic::error("this embed shows nothing", source, raw.span.clone())
                    .with_hint("give it a `title`, `description`, `fields`, `footer` or `image`"),
            );
            return None;
        }
        Some(built)
    }

    /// A trimmed embed text (Discord trims them), 1-`max` characters.
    fn embed_text(
        &mut self,
        source: &Source,
        value: Option<&Sp<String>>,
        key: &str,
        max: usize,
    ) -> Option<String> {
        let value = value?;
        let text = value.value.trim();
        if text.is_empty() {
            self.push(
                Diagnostic::error(format!("`{key}` is empty"), source, value.span.clone())
                    .with_hint("Discord refuses empty embed texts: write it, or remove the key"),
            );
            return None;
        }
        let length = text.chars().count();
        if length > max {
            self.push(
                Diagnostic::error(
                    format!("`{key}` is {length} characters; Discord takes at most {max}"),
                    source,
                    value.span.clone(),
                )
                .with_hint("shorten it, or move text to the message or another field"),
            );
            return None;
        }
        Some(text.to_owned())
    }

    /// The part with every mention as the longest id Discord could give: within the message
    /// and embed limits.
    fn rendered_lengths(
        &mut self,
        source: &Source,
        part: &MessagePart<ChannelKey, String>,
        number: usize,
        at: Range<usize>,
    ) {
        let (content, look) = render(&part.content, &part.look(), &part.mentions, |mention| {
            Some(match mention {
                Mention::Channel(_) => channel_mention(LONGEST_ID),
                Mention::Role(_) => role_mention(LONGEST_ID),
            })
        });
        let length = content.chars().count();
        if length > MESSAGE_MAX {
            let with = if part.mentions.is_empty() {
                String::new()
            } else {
                " (mentions counted as ids)".to_owned()
            };
            self.push(
                Diagnostic::error(
                    format!("message {number} is {length} characters{with}; Discord takes at most {MESSAGE_MAX}"),
                    source,
                    at.clone(),
                )
                .with_hint("with `<!-- next message -->` lines the file says where each message ends: add one, or shorten this message"),
            );
        }
        let total: usize = look.embeds.iter().map(Embed::counted).sum();
        if total > limits::TOTAL {
            self.push(
                Diagnostic::error(
                    format!(
                        "the embeds of message {number} hold {total} characters; Discord takes at most {} per message",
                        limits::TOTAL
                    ),
                    source,
                    at.clone(),
                )
                .with_hint("titles, descriptions, field names and values and footers count together: move an embed to the next message"),
            );
        }
        for embed in &look.embeds {
            let too_long = embed
                .description
                .as_ref()
                .is_some_and(|d| d.chars().count() > limits::DESCRIPTION)
                || embed
                    .fields
                    .iter()
                    .any(|f| f.value.chars().count() > limits::FIELD_VALUE);
            if too_long {
                self.push(
                    Diagnostic::error(
                        format!("an embed of message {number} is over Discord's limits once its mentions are ids"),
                        source,
                        at.clone(),
                    )
                    .with_hint("a mention becomes up to 23 characters: shorten the description or field"),
                );
            }
        }
    }
}

/// Lines with their byte offsets, each with its line ending.
fn lines(text: &str) -> impl Iterator<Item = (usize, &str)> {
    text.split_inclusive('\n').scan(0, |at, line| {
        let start = *at;
        *at += line.len();
        Some((start, line))
    })
}

/// The span of the first non-blank line in `range`, for messages about a whole message.
fn first_text(text: &str, range: &Range<usize>) -> Range<usize> {
    let piece = &text[range.clone()];
    let offset = piece.len() - piece.trim_start().len();
    let start = range.start + offset;
    let end = text[start..range.end]
        .find('\n')
        .map_or(range.end, |newline| start + newline);
    start..end.max(start)
}

/// `{#name}` / `{@key}` in `text`: (span, is a role, name).
fn tokens(text: &str) -> Vec<(Range<usize>, bool, &str)> {
    let mut found = Vec::new();
    let mut from = 0;
    while let Some(at) = text[from..].find('{').map(|at| from + at) {
        from = at + 1;
        let role = match text[at + 1..].chars().next() {
            Some('#') => false,
            Some('@') => true,
            _ => continue,
        };
        let inner_start = at + 2;
        let Some(close) = text[inner_start..]
            .char_indices()
            .take(TOKEN_NAME_MAX + 1)
            .find(|(_, c)| *c == '}' || *c == '\n' || *c == '{')
            .filter(|(_, c)| *c == '}')
            .map(|(offset, _)| inner_start + offset)
        else {
            continue;
        };
        let name = &text[inner_start..close];
        if name.trim().is_empty() || name.trim() != name {
            continue;
        }
        found.push((at..close + 1, role, name));
        from = close + 1;
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_channel_and_role_names_in_braces() {
        let text = "See {#rules} and {@moderator}; {not} {# spaced} {#} {#a in B}";
        let found: Vec<(bool, &str)> = tokens(text).into_iter().map(|(_, r, n)| (r, n)).collect();
        assert_eq!(
            found,
            [(false, "rules"), (true, "moderator"), (false, "a in B")]
        );
    }
}
