//! Writing threads: forum and media posts are one request with their first message
//! (`POST /channels/{forum}/threads` with `message`); a text channel's thread is the thread
//! (`type` 11), then its first message. Pinning, locking and archiving are a `PATCH` of the
//! thread afterwards (a create cannot set them).
//!
//! Discord refuses every edit of an archived thread except the one that unarchives it, and
//! refuses editing messages in it, so an update of an archived thread unarchives it in its
//! first request (with the other field changes), edits the first message, and archives it again
//! last when the file keeps it archived. Tags are named in the plan and turned into ids here,
//! from the channel as it is now (a forum created in the same run has ids only now).
//!
//! Lookup before retry: a create whose answer was lost looks for the bot's thread of that title
//! in the channel before it is sent again.

use serde_json::{Value, json};
use twilight_http::request::Method;

use super::{Executor, StepResult};
use crate::discord::DiscordError;
use crate::model::ChannelId;
use crate::model::threads::PINNED;
use crate::plan::{Change, ThreadSpec};

impl Executor<'_> {
    pub(super) async fn thread_change(&self, change: &Change, reason: &str) -> StepResult {
        match change {
            Change::CreateThread { thread, post } => {
                self.create_thread(thread, *post, reason).await
            }
            Change::UpdateThread {
                id,
                post,
                message_id,
                before,
                after,
            } => {
                self.update_thread(*id, *post, *message_id, before, after, reason)
                    .await
            }
            Change::DeleteThread { id, .. } => {
                self.discord
                    .write(Method::Delete, format!("channels/{id}"), None, reason)
                    .await?;
                Ok(())
            }
            _ => Ok(()),
        }
    }

    async fn create_thread(&self, thread: &ThreadSpec, post: bool, reason: &str) -> StepResult {
        let channel = self.channel_id(&thread.channel.channel)?;
        let message = json!({ "content": thread.content, "allowed_mentions": { "parse": [] } });
        let mut body = json!({ "name": thread.title });
        if post {
            body["message"] = message.clone();
            body["applied_tags"] = self.tag_ids(channel, &thread.tags).await?;
        } else {
            body["type"] = json!(crate::model::threads::PUBLIC_THREAD);
        }
        if let Some(minutes) = thread.auto_archive {
            body["auto_archive_duration"] = json!(minutes);
        }
        let path = format!("channels/{channel}/threads");
        let created = match self
            .discord
            .write(Method::Post, path.clone(), Some(&body), reason)
            .await
        {
            Ok(answer) => created_id(&path, &answer)?,
            Err(error) if error.outcome_unknown() => {
                match self.find_thread(channel, &thread.title).await? {
                    Some(id) => {
                        self.recovered
                            .borrow_mut()
                            .push(format!("{reason} (found after a lost answer)"));
                        id
                    }
                    None => {
                        let answer = self
                            .discord
                            .write(Method::Post, path.clone(), Some(&body), reason)
                            .await?;
                        created_id(&path, &answer)?
                    }
                }
            }
            Err(error) => return Err(error),
        };
        if !post {
            let content = thread.content.clone();
            self.create(
                format!("channels/{created}/messages"),
                &message,
                reason,
                move |list| {
                    list.as_array()?
                        .iter()
                        .filter(|message| message["content"] == content.as_str())
                        .filter_map(|message| message["id"].as_str()?.parse().ok())
                        .min()
                },
            )
            .await?;
        }
        if thread.pinned || thread.locked || thread.archived {
            let mut patch = json!({});
            if thread.pinned {
                patch["flags"] = json!(PINNED);
            }
            if thread.locked {
                patch["locked"] = json!(true);
            }
            if thread.archived {
                patch["archived"] = json!(true);
            }
            self.discord
                .write(
                    Method::Patch,
                    format!("channels/{created}"),
                    Some(&patch),
                    reason,
                )
                .await?;
        }
        Ok(())
    }

    async fn update_thread(
        &self,
        id: ChannelId,
        post: bool,
        message_id: Option<u64>,
        before: &ThreadSpec,
        after: &ThreadSpec,
        reason: &str,
    ) -> StepResult {
        let mut patch = serde_json::Map::new();
        if before.title != after.title {
            patch.insert("name".into(), json!(after.title));
        }
        if post && before.tags != after.tags {
            let channel = self.channel_id(&after.channel.channel)?;
            patch.insert(
                "applied_tags".into(),
                self.tag_ids(channel, &after.tags).await?,
            );
        }
        if post && before.pinned != after.pinned {
            patch.insert("flags".into(), json!(if after.pinned { PINNED } else { 0 }));
        }
        if before.locked != after.locked {
            patch.insert("locked".into(), json!(after.locked));
        }
        if after.auto_archive.is_some() && before.auto_archive != after.auto_archive {
            patch.insert("auto_archive_duration".into(), json!(after.auto_archive));
        }
        let message = json!({ "content": after.content, "allowed_mentions": { "parse": [] } });
        let content_changes = message_id.is_none() || before.content != after.content;
        let thread = format!("channels/{id}");

        // An archived thread takes no edit but the one that unarchives it.
        let reopen = before.archived && (content_changes || !patch.is_empty() || !after.archived);
        if reopen {
            patch.insert("archived".into(), json!(false));
            let body = Value::Object(std::mem::take(&mut patch));
            self.discord
                .write(Method::Patch, thread.clone(), Some(&body), reason)
                .await?;
        }
        if content_changes {
            match message_id {
                Some(message_id) => {
                    self.discord
                        .write(
                            Method::Patch,
                            format!("channels/{id}/messages/{message_id}"),
                            Some(&message),
                            reason,
                        )
                        .await?;
                }
                None => {
                    let content = after.content.clone();
                    self.create(
                        format!("channels/{id}/messages"),
                        &message,
                        reason,
                        move |list| {
                            list.as_array()?
                                .iter()
                                .filter(|message| message["content"] == content.as_str())
                                .filter_map(|message| message["id"].as_str()?.parse().ok())
                                .min()
                        },
                    )
                    .await?;
                }
            }
        }
        let archived_now = before.archived && !reopen;
        if after.archived != archived_now {
            patch.insert("archived".into(), json!(after.archived));
        }
        if !patch.is_empty() {
            self.discord
                .write(Method::Patch, thread, Some(&Value::Object(patch)), reason)
                .await?;
        }
        Ok(())
    }

    /// The ids of `names` among the channel's tags as they are now.
    async fn tag_ids(&self, channel: ChannelId, names: &[String]) -> Result<Value, DiscordError> {
        if names.is_empty() {
            return Ok(json!([]));
        }
        let live = self.discord.channel(channel).await?;
        names
            .iter()
            .map(|name| {
                live.available_tags
                    .iter()
                    .find(|tag| tag.name == *name)
                    .map(|tag| json!(tag.id.to_string()))
                    .ok_or_else(|| DiscordError::Impossible {
                        request: format!("GET channels/{channel}"),
                        detail: format!("the channel has no tag named \"{name}\""),
                    })
            })
            .collect::<Result<Vec<Value>, DiscordError>>()
            .map(Value::Array)
    }

    /// The bot's thread of `title` in `channel`, active or archived.
    async fn find_thread(
        &self,
        channel: ChannelId,
        title: &str,
    ) -> Result<Option<ChannelId>, DiscordError> {
        let bot = self.discord.current_user().await?.id;
        let mut threads = self.discord.active_threads(self.guild_id).await?;
        threads.extend(self.discord.archived_public_threads(channel).await?);
        Ok(threads
            .into_iter()
            .filter(|thread| {
                thread.parent_id == Some(channel)
                    && thread.owner_id == Some(bot)
                    && thread.name == title
            })
            .map(|thread| thread.id)
            .min())
    }
}

fn created_id(path: &str, answer: &Value) -> Result<ChannelId, DiscordError> {
    answer["id"]
        .as_str()
        .and_then(|id| id.parse::<u64>().ok())
        .and_then(ChannelId::new_checked)
        .ok_or_else(|| DiscordError::Decode {
            request: format!("POST {path}"),
            detail: "the answer has no thread `id`".to_owned(),
        })
}
