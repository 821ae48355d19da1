//! Lookup before retry: a create whose answer was lost may have been carried out, so the
//! object is looked for in the list at the same path (by name, kind and place) before the
//! create is sent once more. Reruns after any failure therefore make no duplicates.

use serde_json::{Value, json};
use twilight_http::request::Method;

use super::Executor;
use crate::discord::DiscordError;
use crate::model::{ChannelId, ChannelKind};

impl Executor<'_> {
    /// POSTs a create; when the answer is lost, looks the object up in the list at the same path
    /// before retrying once.
    pub(super) async fn create(
        &self,
        path: String,
        body: &Value,
        reason: &str,
        find: impl Fn(&Value) -> Option<u64>,
    ) -> Result<twilight_model::id::Id<twilight_model::id::marker::GenericMarker>, DiscordError>
    {
        let first = self
            .discord
            .write(Method::Post, path.clone(), Some(body), reason)
            .await;
        let answer = match first {
            Ok(answer) => answer,
            Err(error) if error.outcome_unknown() => {
                let list = self.list(&path).await?;
                if let Some(id) = find(&list) {
                    self.recovered
                        .borrow_mut()
                        .push(format!("{reason} (found after a lost answer)"));
                    return Ok(twilight_model::id::Id::new(id));
                }
                self.discord
                    .write(Method::Post, path.clone(), Some(body), reason)
                    .await?
            }
            Err(error) => return Err(error),
        };
        serde_json::from_value::<crate::discord::wire::Created>(answer)
            .map(|created| created.id)
            .map_err(|e| DiscordError::Decode {
                request: format!("POST {path}"),
                detail: e.to_string(),
            })
    }

    /// What exists now at the path a create was sent to, as `{id, name, ...}` objects: the
    /// lookup before a create whose answer was lost is retried.
    pub(super) async fn list(&self, path: &str) -> Result<Value, DiscordError> {
        let guild = self.guild_id;
        let objects: Vec<Value> = if path.ends_with("/roles") {
            let guild = self.discord.guild(guild).await?;
            guild
                .roles
                .iter()
                .map(|role| json!({ "id": role.id.to_string(), "name": role.name }))
                .collect()
        } else if path.ends_with("/auto-moderation/rules") {
            let rules = self.discord.automod_rules(guild).await?;
            rules
                .iter()
                .map(|rule| json!({ "id": rule.id.to_string(), "name": rule.name }))
                .collect()
        } else if path.ends_with("/scheduled-events") {
            let events = self.discord.scheduled_events(guild).await?;
            events
                .iter()
                .map(|event| json!({ "id": event.id.to_string(), "name": event.name }))
                .collect()
        } else if path.ends_with("/soundboard-sounds") {
            let sounds = self.discord.guild_sounds(guild).await?;
            sounds
                .iter()
                .map(|sound| json!({ "id": sound.sound_id.to_string(), "name": sound.name }))
                .collect()
        } else if path.ends_with("/emojis") {
            let emojis = self.discord.guild_emojis(guild).await?;
            emojis
                .iter()
                .map(|emoji| json!({ "id": emoji.id.to_string(), "name": emoji.name }))
                .collect()
        } else if path.ends_with("/webhooks") {
            let webhooks = self.discord.guild_webhooks(guild).await?;
            webhooks
                .iter()
                .map(|webhook| {
                    json!({
                        "id": webhook.id.to_string(),
                        "name": webhook.name,
                        "channel_id": webhook.channel_id.map(|id| id.to_string()),
                    })
                })
                .collect()
        } else if let Some(channel) = path
            .strip_prefix("channels/")
            .and_then(|rest| rest.strip_suffix("/messages"))
            .and_then(|id| id.parse::<u64>().ok())
            .and_then(ChannelId::new_checked)
        {
            let bot = self.discord.current_user().await?;
            let messages = self.discord.recent_messages(channel).await?;
            messages
                .into_iter()
                .filter(|message| message.author.id == bot.id && message.kind == 0)
                .map(|message| {
                    let live = crate::discord::wire::Message::into_live(message);
                    json!({
                        "id": live.id.to_string(),
                        "content": live.content,
                        "embeds": live.look.embeds,
                        "suppress_embeds": live.look.suppress_embeds,
                    })
                })
                .collect()
        } else {
            let channels = self.discord.guild_channels(guild).await?;
            channels
                .iter()
                .map(|channel| json!({ "id": channel.id.to_string(), "name": channel.name, "type": channel.kind, "parent_id": channel.parent_id.map(|id| id.to_string()) }))
                .collect()
        };
        Ok(Value::Array(objects))
    }
}

pub(super) fn find_role(list: &Value, name: &str) -> Option<u64> {
    list.as_array()?
        .iter()
        .filter(|role| role["name"] == name)
        .filter_map(|role| role["id"].as_str()?.parse().ok())
        .max()
}

/// The newest object named `name` (AutoMod rules, events).
pub(super) fn find_named(list: &Value, name: &str) -> Option<u64> {
    list.as_array()?
        .iter()
        .filter(|object| object["name"] == name)
        .filter_map(|object| object["id"].as_str()?.parse().ok())
        .max()
}

/// The newest channel of this name and kind under `parent` (a JSON id string, or null).
pub(super) fn find_channel(
    list: &Value,
    name: &str,
    kind: ChannelKind,
    parent: &Value,
) -> Option<u64> {
    list.as_array()?
        .iter()
        .filter(|channel| {
            channel["name"] == name
                && channel["type"] == kind.discord_type()
                && channel["parent_id"] == *parent
        })
        .filter_map(|channel| channel["id"].as_str()?.parse().ok())
        .max()
}
