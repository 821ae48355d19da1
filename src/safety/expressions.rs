//! Custom emoji before any write: the guild's slots for its boost level (static and animated
//! counted apart, Discord's 30008/30018 mid-apply otherwise) and the bot's permissions
//! (CREATE_GUILD_EXPRESSIONS to upload, MANAGE_GUILD_EXPRESSIONS to edit or delete emoji it did
//! not upload: the read does not say who uploaded one, so editing asks for MANAGE).

use super::Refusal;
use crate::model::LiveGuild;
use crate::model::expressions::emoji_slots;
use crate::permissions::Permissions;
use crate::plan::{Change, Plan};

const MANAGE_GUILD_EXPRESSIONS: Permissions = Permissions::from_bits(1 << 30);
const CREATE_GUILD_EXPRESSIONS: Permissions = Permissions::from_bits(1 << 43);

pub(super) fn refusals(
    plan: &Plan,
    live: &LiveGuild,
    admin: bool,
    bot: Permissions,
) -> Vec<Refusal> {
    let mut refusals = Vec::new();
    let (mut still, mut animated) =
        live.community
            .emojis
            .iter()
            .fold((0usize, 0usize), |(s, a), emoji| {
                if emoji.emoji.animated {
                    (s, a + 1)
                } else {
                    (s + 1, a)
                }
            });
    let mut creates = false;
    let mut edits = false;
    let (mut sounds_created, mut sounds_deleted) = (0usize, 0usize);
    for change in &plan.changes {
        let count = |animated_one: bool, still: &mut usize, animated: &mut usize, delta: isize| {
            let slot = if animated_one { animated } else { still };
            *slot = slot.saturating_add_signed(delta);
        };
        match change {
            Change::CreateEmoji { emoji } => {
                creates = true;
                count(emoji.animated, &mut still, &mut animated, 1);
            }
            Change::ReplaceEmoji { before, after, .. } => {
                creates = true;
                edits = true;
                count(before.animated, &mut still, &mut animated, -1);
                count(after.animated, &mut still, &mut animated, 1);
            }
            Change::DeleteEmoji { emoji, .. } => {
                edits = true;
                count(emoji.animated, &mut still, &mut animated, -1);
            }
            Change::UpdateEmoji { .. } | Change::UpdateSound { .. } => edits = true,
            Change::CreateSound { .. } => {
                creates = true;
                sounds_created += 1;
            }
            Change::ReplaceSound { .. } => {
                creates = true;
                edits = true;
            }
            Change::DeleteSound { .. } => {
                edits = true;
                sounds_deleted += 1;
            }
            _ => {}
        }
    }
    let stickers_created = plan
        .changes
        .iter()
        .filter(|c| matches!(c, Change::CreateSticker { .. }))
        .count();
    let stickers_deleted = plan
        .changes
        .iter()
        .filter(|c| matches!(c, Change::DeleteSticker { .. }))
        .count();
    for change in &plan.changes {
        match change {
            Change::CreateSticker { .. } | Change::ReplaceSticker { .. } => creates = true,
            Change::UpdateSticker { .. } | Change::DeleteSticker { .. } => edits = true,
            _ => {}
        }
        if let Change::CreateSticker { sticker: lottie }
        | Change::ReplaceSticker { after: lottie, .. } = change
            && lottie.format == 3
            && !live.has_feature("VERIFIED")
            && !live.has_feature("PARTNERED")
        {
            refusals.push(Refusal {
                message: format!(
                    "{}: a Lottie sticker, which Discord accepts only on VERIFIED or PARTNERED servers",
                    change.describe()
                ),
                hint: "use a PNG, APNG or GIF file".to_owned(),
            });
        }
    }
    let stickers =
        (live.community.stickers.len() + stickers_created).saturating_sub(stickers_deleted);
    let sticker_limit = crate::model::expressions::sticker_slots(live.settings.premium_tier);
    if stickers_created > 0 && stickers > sticker_limit {
        refusals.push(Refusal {
            message: format!(
                "after this plan the guild would have {stickers} stickers; at boost level {} Discord allows {sticker_limit} (30039)",
                live.settings.premium_tier
            ),
            hint: "declare fewer stickers, prune stickers the file does not list (`[prune] stickers = true`), or boost the server (levels 1-3: 15, 30, 60)".to_owned(),
        });
    }
    let sounds = (live.community.sounds.len() + sounds_created).saturating_sub(sounds_deleted);
    let sound_limit = crate::model::expressions::sound_slots(live.settings.premium_tier);
    if sounds_created > 0 && sounds > sound_limit {
        refusals.push(Refusal {
            message: format!(
                "after this plan the guild would have {sounds} soundboard sounds; at boost level {} Discord allows {sound_limit} (30045)",
                live.settings.premium_tier
            ),
            hint: "declare fewer sounds, prune sounds the file does not list (`[prune] soundboard = true`), or boost the server (levels 1-3: 24, 36, 48)".to_owned(),
        });
    }
    let limit = emoji_slots(live.settings.premium_tier);
    for (kind, count) in [("static", still), ("animated", animated)] {
        if creates && count > limit {
            refusals.push(Refusal {
                message: format!(
                    "after this plan the guild would have {count} {kind} emoji; at boost level {} Discord allows {limit} ({})",
                    live.settings.premium_tier,
                    if kind == "static" { 30008 } else { 30018 }
                ),
                hint: "declare fewer emoji, prune emoji the file does not list (`[prune] emojis = true`), or boost the server (levels 1-3: 100, 150, 250)".to_owned(),
            });
        }
    }
    if !admin {
        let mut needs = Permissions::from_bits(0);
        if creates {
            needs = needs.union(CREATE_GUILD_EXPRESSIONS);
        }
        if edits {
            needs = needs.union(MANAGE_GUILD_EXPRESSIONS);
        }
        let missing = needs.difference(bot);
        if !missing.is_empty() {
            refusals.push(Refusal {
                message: format!("the plan changes custom emoji or sounds, which needs {missing}; the bot does not have it"),
                hint: "give the bot's role Create Expressions and Manage Expressions (or Administrator)".to_owned(),
            });
        }
    }
    refusals
}
