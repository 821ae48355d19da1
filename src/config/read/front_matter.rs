//! A message's front matter: the TOML block between two `+++` lines at the start of one message
//! of a message file (`pin`, `suppress_embeds`, `[[embeds]]`), read like the server file, with
//! every mistake located in the message file.
//!
//! The TOML is parsed from a copy of the whole message file in which every byte outside the block
//! is blanked (newlines kept): spans then point into the message file itself, so diagnostics
//! carry the message file's line and column without any offset arithmetic.

use std::ops::Range;

use toml::de::DeTable;

use super::Reader;
use crate::config::Source;
use crate::config::diagnostic::Diagnostic;
use crate::config::raw::Sp;

pub(crate) const FRONT_MATTER_KEYS: &[&str] = &["pin", "suppress_embeds", "embeds"];
pub(crate) const EMBED_KEYS: &[&str] =
    &["title", "description", "color", "fields", "footer", "image"];
pub(crate) const EMBED_FIELD_KEYS: &[&str] = &["name", "value", "inline"];

#[derive(Debug, Default)]
pub(crate) struct RawFrontMatter {
    pub pin: Option<Sp<bool>>,
    pub suppress_embeds: Option<Sp<bool>>,
    pub embeds: Vec<Sp<RawEmbed>>,
}

#[derive(Debug)]
pub(crate) struct RawEmbed {
    pub title: Option<Sp<String>>,
    pub description: Option<Sp<String>>,
    /// `"#rrggbb"`, like role colours.
    pub color: Option<Sp<String>>,
    pub fields: Vec<Sp<RawEmbedField>>,
    pub footer: Option<Sp<String>>,
    /// An `https://` URL.
    pub image: Option<Sp<String>>,
}

#[derive(Debug)]
pub(crate) struct RawEmbedField {
    pub name: Option<Sp<String>>,
    pub value: Option<Sp<String>>,
    pub inline: Option<Sp<bool>>,
}

/// The front matter in `block` (byte range of its lines between the `+++` lines) of `source`.
/// `None` after a TOML syntax error (reported).
pub(crate) fn read_front_matter(
    source: &Source,
    block: Range<usize>,
    diagnostics: &mut Vec<Diagnostic>,
) -> Option<RawFrontMatter> {
    let blanked: String = source
        .text
        .char_indices()
        .flat_map(|(at, c)| {
            let keep = block.contains(&at) || c == '\n';
            let width = if keep { 0 } else { c.len_utf8() };
            std::iter::repeat_n(' ', width).chain(keep.then_some(c))
        })
        .collect();
    let document = match DeTable::parse(&blanked) {
        Ok(document) => document,
        Err(error) => {
            let span = error.span().unwrap_or(block.start..block.start);
            let message = error.message().trim().to_owned();
            diagnostics.push(
                Diagnostic::error(
                    format!("invalid TOML in front matter: {message}"),
                    source,
                    span,
                )
                .with_hint("the block between the `+++` lines is TOML, like server.toml"),
            );
            return None;
        }
    };
    let mut reader = Reader {
        source,
        diagnostics,
    };
    Some(reader.front_matter(document.get_ref()))
}

impl Reader<'_> {
    fn front_matter(&mut self, table: &DeTable<'_>) -> RawFrontMatter {
        let fields = self.fields(table, FRONT_MATTER_KEYS, "a message's front matter");
        let embeds = self
            .tables(&fields, "embeds")
            .into_iter()
            .map(|(table, span)| {
                let fields = self.fields(table, EMBED_KEYS, "an `[[embeds]]` entry");
                let embed_fields = self
                    .tables(&fields, "fields")
                    .into_iter()
                    .map(|(table, span)| {
                        let fields = self.fields(table, EMBED_FIELD_KEYS, "an embed field");
                        let field = RawEmbedField {
                            name: self.string(&fields, "name"),
                            value: self.string(&fields, "value"),
                            inline: self.boolean(&fields, "inline"),
                        };
                        self.require(&field.name, &fields, "name", "embed field", &span);
                        self.require(&field.value, &fields, "value", "embed field", &span);
                        Sp::new(field, span)
                    })
                    .collect();
                let embed = RawEmbed {
                    title: self.string(&fields, "title"),
                    description: self.string(&fields, "description"),
                    color: self.string(&fields, "color"),
                    fields: embed_fields,
                    footer: self.string(&fields, "footer"),
                    image: self.string(&fields, "image"),
                };
                Sp::new(embed, span)
            })
            .collect();
        RawFrontMatter {
            pin: self.boolean(&fields, "pin"),
            suppress_embeds: self.boolean(&fields, "suppress_embeds"),
            embeds,
        }
    }
}
