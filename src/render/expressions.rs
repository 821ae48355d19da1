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
        Change::CreateSound { sound } => {
            writeln!(out, "  {mark} sound \"{}\"", sound.name)?;
            sound_fields(None, sound, out)?;
        }
        Change::UpdateSound { before, after, .. } => {
            writeln!(out, "  {mark} sound \"{}\"", after.name)?;
            sound_fields(Some(before), after, out)?;
        }
        Change::ReplaceSound { before, after, .. } => {
            writeln!(
                out,
                "  {mark} sound \"{}\" {}",
                after.name,
                style.dim("(replaced: Discord cannot change a sound's file)")
            )?;
            field("file", "the file's and Discord's differ", out)?;
            sound_fields(Some(before), after, out)?;
        }
        Change::DeleteSound { sound, .. } => {
            writeln!(
                out,
                "  {mark} sound \"{}\" {}",
                style.delete(&sound.name),
                style.dim("(not in the file; the soundboard is pruned)")
            )?;
        }
        Change::CreateSticker { sticker } => {
            writeln!(out, "  {mark} sticker \"{}\"", sticker.name)?;
            field("file", sticker_kind(sticker.format), out)?;
            field("tags", &sticker.tags, out)?;
            if !sticker.description.is_empty() {
                field("description", &format!("\"{}\"", sticker.description), out)?;
            }
        }
        Change::UpdateSticker { before, after, .. }
        | Change::ReplaceSticker { before, after, .. } => {
            let replaced = matches!(change, Change::ReplaceSticker { .. });
            writeln!(
                out,
                "  {mark} sticker \"{}\"{}",
                after.name,
                if replaced {
                    format!(
                        " {}",
                        style.dim("(replaced: Discord cannot change a sticker's file)")
                    )
                } else {
                    String::new()
                }
            )?;
            if replaced {
                field("file", "the file's and Discord's differ", out)?;
            }
            if before.tags != after.tags {
                field("tags", &format!("{} → {}", before.tags, after.tags), out)?;
            }
            if before.description != after.description {
                field(
                    "description",
                    &format!("\"{}\" → \"{}\"", before.description, after.description),
                    out,
                )?;
            }
        }
        Change::DeleteSticker { sticker, .. } => {
            writeln!(
                out,
                "  {mark} sticker \"{}\" {}",
                style.delete(&sticker.name),
                style.dim("(not in the file; stickers are pruned)")
            )?;
        }
        _ => return Ok(false),
    }
    Ok(true)
}

fn sticker_kind(format: u8) -> &'static str {
    match format {
        2 => "an animated PNG",
        3 => "a Lottie animation",
        4 => "a GIF",
        _ => "a PNG",
    }
}

/// Volume and emoji: all of them for a new sound, those that differ otherwise.
fn sound_fields(
    before: Option<&crate::model::expressions::Sound>,
    after: &crate::model::expressions::Sound,
    out: &mut dyn Write,
) -> io::Result<()> {
    let emoji = |sound: &crate::model::expressions::Sound| match &sound.emoji {
        Some(crate::model::Emoji::Unicode(text)) => text.clone(),
        Some(crate::model::Emoji::Custom(id)) => format!("custom emoji {id}"),
        None => "(none)".to_owned(),
    };
    match before {
        None => {
            writeln!(out, "      {:<24}{}", "volume", after.volume.as_f64())?;
            writeln!(out, "      {:<24}{}", "emoji", emoji(after))?;
        }
        Some(before) => {
            if before.volume != after.volume {
                writeln!(
                    out,
                    "      {:<24}{} → {}",
                    "volume",
                    before.volume.as_f64(),
                    after.volume.as_f64()
                )?;
            }
            if before.emoji != after.emoji {
                writeln!(
                    out,
                    "      {:<24}{} → {}",
                    "emoji",
                    emoji(before),
                    emoji(after)
                )?;
            }
        }
    }
    Ok(())
}
