//! Posting, editing and pinning the bot's messages: bodies with mentions of objects created in
//! this run resolved, `allowed_mentions: {"parse": []}` on every post and edit (a posted rules
//! text never pings anyone), and the answer's embeds and flags checked against what was sent
//! (`discord::verify` compares the text).
//!
//! Lookup before retry: a post whose answer was lost is looked for among the channel's recent
//! messages by its text and embeds before it is sent again. A new message's pin is the next
//! change, which finds the id here.

use serde_json::{Value, json};
use twilight_http::request::Method;

use super::Executor;
use crate::discord::DiscordError;
use crate::model::ChannelId;
use crate::model::messages::{
    LiveMessage, Mention, MessageLook, channel_mention, render, role_mention,
};
use crate::plan::PendingMention;

impl Executor<'_> {
    /// The text and look with this run's new ids in place of their tokens.
    fn resolved(
        &self,
        content: &str,
        look: &MessageLook,
        mentions: &[PendingMention],
    ) -> Result<(String, MessageLook), DiscordError> {
        let mut texts = Vec::with_capacity(mentions.len());
        for mention in mentions {
            texts.push(match &mention.target {
                Mention::Channel(channel) => channel_mention(self.channel_id(channel)?.get()),
                Mention::Role(role) => role_mention(self.role_id(role)?.get()),
            });
        }
        Ok(render(content, look, mentions, |target| {
            let index = mentions.iter().position(|m| m.target == *target)?;
            texts.get(index).cloned()
        }))
    }

    /// `POST /channels/{id}/messages`; the new message's id.
    pub(super) async fn post_message(
        &self,
        channel: ChannelId,
        content: &str,
        look: &MessageLook,
        mentions: &[PendingMention],
        reason: &str,
    ) -> Result<u64, DiscordError> {
        let (content, look) = self.resolved(content, look, mentions)?;
        let body = body(&content, &look, true);
        let path = format!("channels/{channel}/messages");
        let first = self
            .discord
            .write(Method::Post, path.clone(), Some(&body), reason)
            .await;
        let answer = match first {
            Ok(answer) => Some(answer),
            Err(error) if error.outcome_unknown() => {
                let list = self.list(&path).await?;
                let found = list.as_array().and_then(|list| {
                    list.iter()
                        .filter(|message| {
                            message["content"] == content.as_str()
                                && message["embeds"] == json!(look.embeds)
                                && message["suppress_embeds"] == look.suppress_embeds
                        })
                        .filter_map(|message| message["id"].as_str()?.parse::<u64>().ok())
                        .max()
                });
                match found {
                    Some(id) => {
                        self.recovered
                            .borrow_mut()
                            .push(format!("{reason} (found after a lost answer)"));
                        return Ok(id);
                    }
                    None => Some(
                        self.discord
                            .write(Method::Post, path.clone(), Some(&body), reason)
                            .await?,
                    ),
                }
            }
            Err(error) => return Err(error),
        };
        let request = format!("POST {path}");
        kept_look(&request, &look, answer.unwrap_or_default())
    }

    /// `PATCH /channels/{id}/messages/{message.id}`: text, embeds and flags, all of them.
    pub(super) async fn edit_message(
        &self,
        channel: ChannelId,
        message_id: u64,
        content: &str,
        look: &MessageLook,
        mentions: &[PendingMention],
        reason: &str,
    ) -> Result<(), DiscordError> {
        let (content, look) = self.resolved(content, look, mentions)?;
        let body = body(&content, &look, false);
        let path = format!("channels/{channel}/messages/{message_id}");
        let answer = self
            .discord
            .write(Method::Patch, path.clone(), Some(&body), reason)
            .await?;
        kept_look(&format!("PATCH {path}"), &look, answer)?;
        Ok(())
    }

    /// `PUT` / `DELETE /channels/{id}/messages/pins/{message.id}` (204).
    pub(super) async fn pin_message(
        &self,
        channel: ChannelId,
        message_id: u64,
        pin: bool,
        reason: &str,
    ) -> Result<(), DiscordError> {
        let method = if pin { Method::Put } else { Method::Delete };
        self.discord
            .write(
                method,
                format!("channels/{channel}/messages/pins/{message_id}"),
                None,
                reason,
            )
            .await?;
        Ok(())
    }
}

/// A create or edit body. Embeds and flags are always sent on an edit, so removing the last
/// embed or showing previews again is a write like any other.
fn body(content: &str, look: &MessageLook, create: bool) -> Value {
    let mut body = json!({
        "content": content,
        "allowed_mentions": { "parse": [] },
    });
    if !create || !look.embeds.is_empty() {
        body["embeds"] = look
            .embeds
            .iter()
            .map(crate::model::messages::Embed::to_json)
            .collect();
    }
    if !create || look.suppress_embeds {
        body["flags"] = look.flags().into();
    }
    body
}

/// The answer must hold the embeds and the flag that were sent; the message's id.
fn kept_look(request: &str, sent: &MessageLook, answer: Value) -> Result<u64, DiscordError> {
    let message: crate::discord::wire::Message =
        serde_json::from_value(answer).map_err(|e| DiscordError::Decode {
            request: request.to_owned(),
            detail: e.to_string(),
        })?;
    let live: LiveMessage = message.into_live();
    if live.look.suppress_embeds != sent.suppress_embeds {
        return Err(DiscordError::NotKept {
            request: request.to_owned(),
            field: "flags".to_owned(),
            sent: format!("suppress_embeds {}", sent.suppress_embeds),
            answered: format!("suppress_embeds {}", live.look.suppress_embeds),
        });
    }
    if live.look.embeds != sent.embeds {
        return Err(DiscordError::NotKept {
            request: request.to_owned(),
            field: "embeds".to_owned(),
            sent: serde_json::to_string(&sent.embeds).unwrap_or_default(),
            answered: serde_json::to_string(&live.look.embeds).unwrap_or_default(),
        });
    }
    Ok(live.id)
}
