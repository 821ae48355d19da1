//! The parts of a posted message besides its text, for the human plan: embeds (one line each,
//! then what changes in them), link previews, pins. Plain messages print nothing here, so plans
//! of files that use none of it read as before.

use std::io::{self, Write};

use super::Style;
use super::human::{field_line, text_field};
use crate::model::messages::{Embed, MessageLook};

/// `text` with each mention of a live channel or role shown by name (`<#id>` → `#help`); a
/// mention the file does not make (a stale id) stays as it is, so it stands out.
pub fn labelled(text: &str, labels: &[(String, String)]) -> String {
    let mut text = text.to_owned();
    for (mention, label) in labels {
        if text.contains(mention.as_str()) {
            text = text.replace(mention.as_str(), label);
        }
    }
    text
}

/// [`labelled`] on the texts of the embeds that show mentions.
pub fn labelled_look(look: &MessageLook, labels: &[(String, String)]) -> MessageLook {
    let mut look = look.clone();
    for embed in &mut look.embeds {
        embed.description = embed.description.as_deref().map(|d| labelled(d, labels));
        for field in &mut embed.fields {
            field.value = labelled(&field.value, labels);
        }
    }
    look
}

/// What a new message shows besides its text.
pub fn posted(look: &MessageLook, out: &mut dyn Write) -> io::Result<()> {
    for embed in &look.embeds {
        field_line("embed", &summary(embed), out)?;
    }
    if look.suppress_embeds {
        field_line("link previews", "suppressed", out)?;
    }
    Ok(())
}

/// What changes in an edited message besides its text.
pub fn edited(
    before: &MessageLook,
    after: &MessageLook,
    style: Style,
    out: &mut dyn Write,
) -> io::Result<()> {
    let count = before.embeds.len().max(after.embeds.len());
    for index in 0..count {
        let label = format!("embed {}", index + 1);
        match (before.embeds.get(index), after.embeds.get(index)) {
            (Some(old), Some(new)) if old == new => {}
            (Some(old), Some(new)) => embed_changes(&label, old, new, style, out)?,
            (None, Some(new)) => {
                field_line(
                    &label,
                    &format!("{} {}", style.create("+"), summary(new)),
                    out,
                )?;
            }
            (Some(old), None) => {
                field_line(
                    &label,
                    &format!("{} {}", style.delete("-"), summary(old)),
                    out,
                )?;
            }
            (None, None) => {}
        }
    }
    if before.suppress_embeds != after.suppress_embeds {
        let shown = |suppressed: bool| if suppressed { "suppressed" } else { "shown" };
        field_line(
            "link previews",
            &format!(
                "{} → {}",
                shown(before.suppress_embeds),
                shown(after.suppress_embeds)
            ),
            out,
        )?;
    }
    Ok(())
}

/// A pin or unpin.
pub fn pinned(pin: bool, style: Style, out: &mut dyn Write) -> io::Result<()> {
    let (before, after) = if pin { ("no", "yes") } else { ("yes", "no") };
    field_line(
        "pinned",
        &format!("{} → {}", style.delete(before), style.create(after)),
        out,
    )
}

fn embed_changes(
    label: &str,
    old: &Embed,
    new: &Embed,
    style: Style,
    out: &mut dyn Write,
) -> io::Result<()> {
    let texts = [
        ("title", &old.title, &new.title),
        ("description", &old.description, &new.description),
        ("footer", &old.footer, &new.footer),
        ("image", &old.image, &new.image),
    ];
    for (key, before, after) in texts {
        if before != after {
            text_field(
                &format!("{label} {key}"),
                before.as_deref(),
                after.as_deref(),
                style,
                out,
            )?;
        }
    }
    if old.color != new.color {
        let color = |c: Option<u32>| c.map_or_else(|| "(none)".to_owned(), |c| format!("#{c:06x}"));
        field_line(
            &format!("{label} colour"),
            &format!("{} → {}", color(old.color), color(new.color)),
            out,
        )?;
    }
    if old.fields != new.fields {
        let names = |embed: &Embed| {
            embed
                .fields
                .iter()
                .map(|field| format!("\"{}\"", field.name))
                .collect::<Vec<_>>()
                .join(", ")
        };
        field_line(
            &format!("{label} fields"),
            &format!("{} → {}", bracketed(&names(old)), bracketed(&names(new))),
            out,
        )?;
    }
    Ok(())
}

fn bracketed(text: &str) -> String {
    format!("[{text}]")
}

/// `"Rules" (3 fields, #5865f2, image)`: one line for an embed.
fn summary(embed: &Embed) -> String {
    let mut parts: Vec<String> = Vec::new();
    if !embed.fields.is_empty() {
        let count = embed.fields.len();
        parts.push(format!(
            "{count} field{}",
            if count == 1 { "" } else { "s" }
        ));
    }
    if let Some(color) = embed.color {
        parts.push(format!("#{color:06x}"));
    }
    if embed.image.is_some() {
        parts.push("image".to_owned());
    }
    if embed.footer.is_some() {
        parts.push("footer".to_owned());
    }
    let title = embed.title.as_deref().map_or_else(
        || {
            let text = embed.description.as_deref().unwrap_or_default();
            let first: String = text
                .lines()
                .next()
                .unwrap_or_default()
                .chars()
                .take(60)
                .collect();
            format!("\"{first}…\"")
        },
        |title| format!("\"{}\"", title.chars().take(80).collect::<String>()),
    );
    if parts.is_empty() {
        title
    } else {
        format!("{title} ({})", parts.join(", "))
    }
}
