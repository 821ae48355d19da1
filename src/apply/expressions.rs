//! Writing custom emoji: `POST /guilds/{id}/emojis` (name, image as a data URI, roles), `PATCH
//! …/emojis/{id}` (roles), `DELETE …/emojis/{id}`; a replacement is the delete, then the
//! create. A create whose answer was lost is looked up by name before it is sent again.

use serde_json::{Value, json};
use twilight_http::request::Method;

use super::{Executor, StepResult};
use crate::discord::DiscordError;
use crate::plan::{Change, EmojiSpec};

impl Executor<'_> {
    fn emoji_roles(&self, emoji: &EmojiSpec) -> Result<Value, DiscordError> {
        let ids: Result<Vec<String>, DiscordError> = emoji
            .roles
            .iter()
            .map(|pick| self.role_id_of(pick))
            .collect();
        Ok(json!(ids?))
    }

    async fn create_emoji(&self, emoji: &EmojiSpec, reason: &str) -> StepResult {
        let label = emoji.image.as_deref().unwrap_or_default();
        let Some(image) = self.images.get(label) else {
            return Err(DiscordError::Impossible {
                request: "POST guilds/{guild_id}/emojis".to_owned(),
                detail: format!(
                    "the plan uploads emoji :{}:, whose image it does not carry",
                    emoji.name
                ),
            });
        };
        let body = json!({
            "name": emoji.name,
            "image": image,
            "roles": self.emoji_roles(emoji)?,
        });
        self.create(
            format!("guilds/{}/emojis", self.guild_id),
            &body,
            reason,
            |list| {
                list.as_array()?
                    .iter()
                    .filter(|found| found["name"] == emoji.name.as_str())
                    .filter_map(|found| found["id"].as_str()?.parse().ok())
                    .max()
            },
        )
        .await?;
        Ok(())
    }

    pub(super) async fn emoji(&self, change: &Change, reason: &str) -> StepResult {
        let guild = self.guild_id;
        match change {
            Change::CreateEmoji { emoji } => self.create_emoji(emoji, reason).await?,
            Change::UpdateEmoji { id, after, .. } => {
                let body = json!({ "roles": self.emoji_roles(after)? });
                self.discord
                    .write(
                        Method::Patch,
                        format!("guilds/{guild}/emojis/{id}"),
                        Some(&body),
                        reason,
                    )
                    .await?;
            }
            Change::ReplaceEmoji { id, after, .. } => {
                self.delete_emoji(*id, reason).await?;
                self.create_emoji(after, reason).await?;
            }
            Change::DeleteEmoji { id, .. } => self.delete_emoji(*id, reason).await?,
            Change::CreateSound { sound } => self.create_sound(sound, reason).await?,
            Change::UpdateSound { id, after, .. } => {
                let body = sound_settings(after);
                self.discord
                    .write(
                        Method::Patch,
                        format!("guilds/{guild}/soundboard-sounds/{id}"),
                        Some(&body),
                        reason,
                    )
                    .await?;
            }
            Change::ReplaceSound { id, after, .. } => {
                self.delete_sound(*id, reason).await?;
                self.create_sound(after, reason).await?;
            }
            Change::DeleteSound { id, .. } => self.delete_sound(*id, reason).await?,
            Change::CreateSticker { sticker } => self.create_sticker(sticker, reason).await?,
            Change::UpdateSticker { id, after, .. } => {
                let body = json!({ "description": after.description, "tags": after.tags });
                self.discord
                    .write(
                        Method::Patch,
                        format!("guilds/{guild}/stickers/{id}"),
                        Some(&body),
                        reason,
                    )
                    .await?;
            }
            Change::ReplaceSticker { id, after, .. } => {
                self.delete_sticker(*id, reason).await?;
                self.create_sticker(after, reason).await?;
            }
            Change::DeleteSticker { id, .. } => self.delete_sticker(*id, reason).await?,
            _ => {}
        }
        Ok(())
    }

    /// A delete; an emoji already gone (10014, a rerun after a lost answer) is done.
    async fn delete_emoji(&self, id: u64, reason: &str) -> StepResult {
        let guild = self.guild_id;
        match self
            .discord
            .write(
                Method::Delete,
                format!("guilds/{guild}/emojis/{id}"),
                None,
                reason,
            )
            .await
        {
            Ok(_) => Ok(()),
            Err(error) if error.code() == Some(10014) => Ok(()),
            Err(error) => Err(error),
        }
    }
}

/// Volume and emoji as Discord takes them (`emoji_id` or `emoji_name`, the other null).
fn sound_settings(sound: &crate::model::expressions::Sound) -> Value {
    let (emoji_id, emoji_name) = match &sound.emoji {
        Some(crate::model::Emoji::Custom(id)) => (json!(id.to_string()), Value::Null),
        Some(crate::model::Emoji::Unicode(text)) => (Value::Null, json!(text)),
        None => (Value::Null, Value::Null),
    };
    json!({
        "volume": sound.volume.as_f64(),
        "emoji_id": emoji_id,
        "emoji_name": emoji_name,
    })
}

impl Executor<'_> {
    /// `POST /guilds/{id}/soundboard-sounds`; after a lost answer the sound is looked up by name
    /// before it is sent again (its answer names the id `sound_id`).
    async fn create_sound(
        &self,
        sound: &crate::model::expressions::Sound,
        reason: &str,
    ) -> StepResult {
        let label = sound.sound.as_deref().unwrap_or_default();
        let Some(data) = self.images.get(label) else {
            return Err(DiscordError::Impossible {
                request: "POST guilds/{guild_id}/soundboard-sounds".to_owned(),
                detail: format!(
                    "the plan uploads sound \"{}\", whose file it does not carry",
                    sound.name
                ),
            });
        };
        let mut body = sound_settings(sound);
        body["name"] = json!(sound.name);
        body["sound"] = json!(data);
        let path = format!("guilds/{}/soundboard-sounds", self.guild_id);
        match self
            .discord
            .write(Method::Post, path.clone(), Some(&body), reason)
            .await
        {
            Ok(_) => Ok(()),
            Err(error) if error.outcome_unknown() => {
                let sounds = self.discord.guild_sounds(self.guild_id).await?;
                if sounds.iter().any(|found| found.name == sound.name) {
                    return Ok(());
                }
                self.discord
                    .write(Method::Post, path, Some(&body), reason)
                    .await?;
                Ok(())
            }
            Err(error) => Err(error),
        }
    }

    /// A delete; a sound already gone (10097, a rerun after a lost answer) is done.
    async fn delete_sound(&self, id: u64, reason: &str) -> StepResult {
        let guild = self.guild_id;
        match self
            .discord
            .write(
                Method::Delete,
                format!("guilds/{guild}/soundboard-sounds/{id}"),
                None,
                reason,
            )
            .await
        {
            Ok(_) => Ok(()),
            Err(error) if error.code() == Some(10097) => Ok(()),
            Err(error) => Err(error),
        }
    }
}

impl Executor<'_> {
    /// `POST /guilds/{id}/stickers` as multipart form data (name, description, tags, and the
    /// file as a file part); after a lost answer the sticker is looked up by name first.
    async fn create_sticker(
        &self,
        sticker: &crate::model::expressions::Sticker,
        reason: &str,
    ) -> StepResult {
        let label = sticker.file.as_deref().unwrap_or_default();
        let bytes = self
            .images
            .get(label)
            .and_then(|uri| crate::images::data_uri_bytes(uri));
        let Some(bytes) = bytes else {
            return Err(DiscordError::Impossible {
                request: "POST guilds/{guild_id}/stickers".to_owned(),
                detail: format!(
                    "the plan uploads sticker \"{}\", whose file it does not carry",
                    sticker.name
                ),
            });
        };
        let filename = format!(
            "sticker.{}",
            crate::images::sticker_extension(sticker.format)
        );
        let form = || {
            twilight_http::request::Form::new()
                .part(b"name", sticker.name.as_bytes())
                .part(b"description", sticker.description.as_bytes())
                .part(b"tags", sticker.tags.as_bytes())
                .file_part(b"file", filename.as_bytes(), &bytes)
        };
        let sent = json!({ "name": sticker.name });
        let path = format!("guilds/{}/stickers", self.guild_id);
        match self
            .discord
            .write_form(path.clone(), form(), &sent, reason)
            .await
        {
            Ok(_) => Ok(()),
            Err(error) if error.outcome_unknown() => {
                let stickers = self.discord.guild_stickers(self.guild_id).await?;
                if stickers.iter().any(|found| found.name == sticker.name) {
                    return Ok(());
                }
                self.discord.write_form(path, form(), &sent, reason).await?;
                Ok(())
            }
            Err(error) => Err(error),
        }
    }

    /// A delete; a sticker already gone (10060, a rerun after a lost answer) is done.
    async fn delete_sticker(&self, id: u64, reason: &str) -> StepResult {
        let guild = self.guild_id;
        match self
            .discord
            .write(
                Method::Delete,
                format!("guilds/{guild}/stickers/{id}"),
                None,
                reason,
            )
            .await
        {
            Ok(_) => Ok(()),
            Err(error) if error.code() == Some(10060) => Ok(()),
            Err(error) => Err(error),
        }
    }
}
