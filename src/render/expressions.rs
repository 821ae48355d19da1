//! Custom emoji in the human plan.

use std::io::{self, Write};

use super::Style;
use crate::plan::{Change, EmojiSpec};

fn roles(emoji: &EmojiSpec) -> String {
    if emoji.roles.is_empty() {
        "everyone".to_owned()
    } else {
        emoji
            .roles
            .iter()
            .map(|pick| format!("\"{}\"", pick.name))
            .collect::<Vec<_>>()
            .join(", ")
    }
}

fn kind(emoji: &EmojiSpec) -> &'static str {
    if emoji.animated {
        "an animated image"
    } else {
        "an image"
    }
}

/// The block of an emoji change; `false` when `change` is not one.
pub(super) fn emoji_block(
    change: &Change,
    mark: &str,
    style: Style,
    out: &mut dyn Write,
) -> io::Result<bool> {
    let field =
        |name: &str, value: &str, out: &mut dyn Write| writeln!(out, "      {name:<24}{value}");
    match change {
        Change::CreateEmoji { emoji } => {
            writeln!(out, "  {mark} emoji :{}:", emoji.name)?;
            field("image", kind(emoji), out)?;
            field("roles", &roles(emoji), out)?;
        }
        Change::UpdateEmoji { before, after, .. } => {
            writeln!(out, "  {mark} emoji :{}:", after.name)?;
            field(
                "roles",
                &format!("{} → {}", roles(before), roles(after)),
                out,
            )?;
        }
        Change::ReplaceEmoji { before, after, .. } => {
            writeln!(
                out,
                "  {mark} emoji :{}: {}",
                after.name,
                style.dim("(replaced: Discord cannot change an emoji's image; it gets a new id)")
            )?;
            // The same words either way round (plan: file after; drift: file before).
            let animated = if before.animated != after.animated {
                format!(
                    " ({} → {})",
                    kind(before).trim_start_matches("an "),
                    kind(after).trim_start_matches("an ")
                )
            } else {
                String::new()
            };
            field(
                "image",
                &format!("the file's and Discord's differ{animated}"),
                out,
            )?;
            if roles(before) != roles(after) {
                field(
                    "roles",
                    &format!("{} → {}", roles(before), roles(after)),
                    out,
                )?;
            }
        }
        Change::DeleteEmoji { emoji, .. } => {
            writeln!(
                out,
                "  {mark} emoji :{}: {}",
                style.delete(&emoji.name),
                style.dim("(not in the file; emojis are pruned)")
            )?;
        }
        _ => return Ok(false),
    }
    Ok(true)
}
