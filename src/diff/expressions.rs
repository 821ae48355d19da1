//! Custom emoji: matched by name; the roles allowed to use one are updated in place; a changed
//! image (compared by content, see `crate::images`) replaces the emoji, since Discord cannot
//! change an emoji's image. Integrations' emoji are never touched.

use std::collections::HashSet;

use super::Differ;
use crate::plan::{Change, EmojiSpec, Kept, RolePick};

/// The CDN path (without extension) of an emoji's image: the key of `LiveGuild::images`.
pub fn emoji_key(id: u64) -> String {
    format!("emojis/{id}")
}

fn same_roles(a: &[RolePick], b: &[RolePick]) -> bool {
    let set = |list: &[RolePick]| {
        let mut refs: Vec<String> = list.iter().map(|pick| format!("{:?}", pick.role)).collect();
        refs.sort();
        refs
    };
    set(a) == set(b)
}

impl Differ<'_> {
    pub(super) fn emojis(
        &self,
        changes: &mut Vec<Change>,
        deletes: &mut Vec<Change>,
        kept: &mut Vec<Kept>,
    ) {
        let live = &self.live.community.emojis;
        let mut matched = HashSet::new();
        for desired in &self.desired.community.emojis {
            let wanted = &desired.emoji;
            let after = EmojiSpec {
                name: wanted.name.clone(),
                roles: wanted
                    .roles
                    .iter()
                    .map(|key| self.pick_desired_role(key))
                    .collect(),
                image: wanted.image.clone(),
                animated: wanted.animated,
            };
            let existing = live.iter().find(|emoji| {
                !emoji.managed && !matched.contains(&emoji.id) && emoji.emoji.name == wanted.name
            });
            let Some(existing) = existing else {
                changes.push(Change::CreateEmoji { emoji: after });
                continue;
            };
            matched.insert(existing.id);
            let before = EmojiSpec {
                name: existing.emoji.name.clone(),
                roles: existing
                    .emoji
                    .roles
                    .iter()
                    .map(|id| self.pick_live_role(*id))
                    .collect(),
                image: self.live.images.get(&emoji_key(existing.id)).cloned(),
                animated: existing.emoji.animated,
            };
            if before.image != after.image || before.animated != after.animated {
                changes.push(Change::ReplaceEmoji {
                    id: existing.id,
                    before,
                    after,
                });
            } else if !same_roles(&before.roles, &after.roles) {
                changes.push(Change::UpdateEmoji {
                    id: existing.id,
                    before,
                    after,
                });
            }
        }
        for emoji in live
            .iter()
            .filter(|emoji| !emoji.managed && !matched.contains(&emoji.id))
        {
            if self.desired.prune.emojis {
                deletes.push(Change::DeleteEmoji {
                    id: emoji.id,
                    emoji: EmojiSpec {
                        name: emoji.emoji.name.clone(),
                        roles: Vec::new(),
                        image: None,
                        animated: emoji.emoji.animated,
                    },
                });
            } else {
                kept.push(Kept::Emoji {
                    id: emoji.id,
                    name: emoji.emoji.name.clone(),
                });
            }
        }
    }
}

impl Differ<'_> {
    /// Soundboard sounds, matched by name: volume and emoji change in place, a changed file
    /// (compared by content) replaces the sound.
    pub(super) fn sounds(
        &self,
        changes: &mut Vec<Change>,
        deletes: &mut Vec<Change>,
        kept: &mut Vec<Kept>,
    ) {
        let live = &self.live.community.sounds;
        let mut matched = HashSet::new();
        for desired in &self.desired.community.sounds {
            let after = desired.sound.clone();
            let existing = live
                .iter()
                .find(|sound| !matched.contains(&sound.id) && sound.sound.name == after.name);
            let Some(existing) = existing else {
                changes.push(Change::CreateSound { sound: after });
                continue;
            };
            matched.insert(existing.id);
            let mut before = existing.sound.clone();
            before.sound = self.live.images.get(&sound_key(existing.id)).cloned();
            if before.sound != after.sound {
                changes.push(Change::ReplaceSound {
                    id: existing.id,
                    before,
                    after,
                });
            } else if before.volume != after.volume || before.emoji != after.emoji {
                changes.push(Change::UpdateSound {
                    id: existing.id,
                    before,
                    after,
                });
            }
        }
        for sound in live.iter().filter(|sound| !matched.contains(&sound.id)) {
            if self.desired.prune.soundboard {
                deletes.push(Change::DeleteSound {
                    id: sound.id,
                    sound: sound.sound.clone(),
                });
            } else {
                kept.push(Kept::Sound {
                    id: sound.id,
                    name: sound.sound.name.clone(),
                });
            }
        }
    }
}

/// The CDN path of a sound (`soundboard-sounds/{id}`): the key of `LiveGuild::images`.
pub fn sound_key(id: u64) -> String {
    format!("soundboard-sounds/{id}")
}

impl Differ<'_> {
    /// Stickers, matched by name: description and tags change in place, a changed file
    /// (compared by content) replaces the sticker.
    pub(super) fn stickers(
        &self,
        changes: &mut Vec<Change>,
        deletes: &mut Vec<Change>,
        kept: &mut Vec<Kept>,
    ) {
        let live = &self.live.community.stickers;
        let mut matched = HashSet::new();
        for desired in &self.desired.community.stickers {
            let after = desired.sticker.clone();
            let existing = live.iter().find(|sticker| {
                !matched.contains(&sticker.id) && sticker.sticker.name == after.name
            });
            let Some(existing) = existing else {
                changes.push(Change::CreateSticker { sticker: after });
                continue;
            };
            matched.insert(existing.id);
            let mut before = existing.sticker.clone();
            before.file = self.live.images.get(&sticker_key(existing.id)).cloned();
            if before.file != after.file || before.format != after.format {
                changes.push(Change::ReplaceSticker {
                    id: existing.id,
                    before,
                    after,
                });
            } else if before.tags != after.tags || before.description != after.description {
                changes.push(Change::UpdateSticker {
                    id: existing.id,
                    before,
                    after,
                });
            }
        }
        for sticker in live.iter().filter(|sticker| !matched.contains(&sticker.id)) {
            if self.desired.prune.stickers {
                deletes.push(Change::DeleteSticker {
                    id: sticker.id,
                    sticker: sticker.sticker.clone(),
                });
            } else {
                kept.push(Kept::Sticker {
                    id: sticker.id,
                    name: sticker.sticker.name.clone(),
                });
            }
        }
    }
}

/// The CDN path of a sticker without extension (`stickers/{id}`): the key of
/// `LiveGuild::images`.
pub fn sticker_key(id: u64) -> String {
    format!("stickers/{id}")
}
