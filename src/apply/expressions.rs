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
