//! A channel's posted messages as the text of a message file that posts them back exactly:
//! packed paragraphs when the splitter cuts them the same way, else one message per
//! `<!-- next message -->` section, each with its front matter (`pin`, `suppress_embeds`,
//! `[[embeds]]`). `<#id>` / `<@&id>` of the file's channels and roles become `{#name}` / `{@key}`.

use std::fmt::Write as _;

use super::super::{Importer, string};
use crate::config::names::ANY;
use crate::model::community::{MESSAGE_BREAK, split_message};
use crate::model::messages::{Embed, LiveMessage, Mention, live_mentions};
use crate::model::{ChannelId, RoleId};

impl Importer<'_> {
    /// `None` when Markdown cannot say it (leading blanks, an unclosed code fence, braces that
    /// would read as a mention, ...).
    pub(in crate::config::import) fn message_file_text(
        &self,
        own: &[LiveMessage],
    ) -> Option<String> {
        if own.iter().any(reads_as_mention) {
            return None;
        }
        let parts: Vec<(String, Vec<Embed>)> = own
            .iter()
            .map(|message| {
                let embeds = message
                    .look
                    .embeds
                    .iter()
                    .map(|embed| {
                        let mut embed = embed.clone();
                        embed.description = embed.description.map(|d| self.by_name(&d));
                        for field in &mut embed.fields {
                            field.value = self.by_name(&field.value);
                        }
                        embed
                    })
                    .collect();
                (self.by_name(&message.content), embeds)
            })
            .collect();
        let plain = own
            .iter()
            .all(|message| message.look.is_plain() && !message.pinned);
        if plain {
            let texts: Vec<String> = parts.iter().map(|(text, _)| text.clone()).collect();
            let packed = texts.join("\n\n");
            if split_message(&packed) == texts {
                return Some(packed);
            }
        }
        let mut sections = Vec::with_capacity(parts.len());
        for ((text, embeds), message) in parts.iter().zip(own) {
            if !explicit_safe(text) || (text.is_empty() && embeds.is_empty()) {
                return None;
            }
            let mut section = String::new();
            let matter = front_matter(message, embeds);
            if !matter.is_empty() {
                let _ = write!(section, "+++\n{matter}+++\n");
            }
            section.push_str(text);
            sections.push(section.trim_end().to_owned());
        }
        Some(sections.join(&format!("\n\n{MESSAGE_BREAK}\n\n")))
    }

    /// `<#id>` / `<@&id>` of what the file names, by name.
    fn by_name(&self, text: &str) -> String {
        let mut out = String::with_capacity(text.len());
        let mut at = 0;
        for (range, mention) in live_mentions(text) {
            let named = match mention {
                Mention::Channel(id) => ChannelId::new_checked(id)
                    .and_then(|id| self.written_reference(id, ANY).ok())
                    .map(|name| format!("{{#{name}}}")),
                Mention::Role(id) => RoleId::new_checked(id)
                    .and_then(|id| self.role_keys.get(&id))
                    .map(|key| format!("{{@{key}}}")),
            };
            if let Some(named) = named {
                out.push_str(&text[at..range.start]);
                out.push_str(&named);
                at = range.end;
            }
        }
        out.push_str(&text[at..]);
        out
    }
}

/// Text in braces that the file would read as a mention.
fn reads_as_mention(message: &LiveMessage) -> bool {
    let braces = |text: &str| text.contains("{#") || text.contains("{@");
    braces(&message.content)
        || message.look.embeds.iter().any(|embed| {
            embed.description.as_deref().is_some_and(braces)
                || embed.fields.iter().any(|field| braces(&field.value))
        })
}

/// Whether `text` reads back as exactly itself between separators.
fn explicit_safe(text: &str) -> bool {
    let fences = text
        .lines()
        .filter(|line| line.trim_start().starts_with("```"))
        .count();
    text.trim() == text
        && fences % 2 == 0
        && !text.lines().any(|line| line.trim() == MESSAGE_BREAK)
        && text
            .lines()
            .next()
            .is_none_or(|first| first.trim() != "+++")
}

/// The TOML between the `+++` lines; empty for a plain, unpinned message.
fn front_matter(message: &LiveMessage, embeds: &[Embed]) -> String {
    let mut out = String::new();
    if message.pinned {
        out.push_str("pin = true\n");
    }
    if message.look.suppress_embeds {
        out.push_str("suppress_embeds = true\n");
    }
    for embed in embeds {
        out.push_str("\n[[embeds]]\n");
        let mut key = |name: &str, value: &Option<String>| {
            if let Some(value) = value {
                let _ = writeln!(out, "{name} = {}", string(value));
            }
        };
        key("title", &embed.title);
        key("description", &embed.description);
        key("color", &embed.color.map(|color| format!("#{color:06x}")));
        key("footer", &embed.footer);
        key("image", &embed.image);
        for field in &embed.fields {
            let _ = writeln!(
                out,
                "\n[[embeds.fields]]\nname = {}\nvalue = {}",
                string(&field.name),
                string(&field.value)
            );
            if field.inline {
                out.push_str("inline = true\n");
            }
        }
    }
    out
}
