//! Writing invites and the widget.
//!
//! An invite's code never enters the plan: a create keeps the code Discord answers with only
//! long enough to drop it, and a delete finds its invite again in the channel's invites by
//! inviter, creation time and settings (`GET /channels/{id}/invites`, Manage Channels), then
//! sends `DELETE /invites/{code}` under a name without the code. An invite already gone is done.
//!
//! A create whose answer is lost is looked up before it is retried: the bot's invite in that
//! channel with the same settings is the one just made (the file never declares two alike, and
//! the plan matched every invite the bot had before).

use serde_json::{Value, json};
use twilight_http::request::Method;

use super::{Executor, StepResult};
use crate::discord::{DiscordError, wire};
use crate::model::{ChannelId, UserId};
use crate::plan::{InviteSpec, WidgetSpec};

impl Executor<'_> {
    pub(super) async fn create_invite(&self, invite: &InviteSpec, reason: &str) -> StepResult {
        let channel = self.channel_id(&invite.channel.channel)?;
        let path = format!("channels/{channel}/invites");
        let body = json!({
            "max_age": invite.max_age,
            "max_uses": invite.max_uses,
            "temporary": invite.temporary,
        });
        match self
            .discord
            .write(Method::Post, path.clone(), Some(&body), reason)
            .await
        {
            Ok(answer) => answered_invite(&path, answer),
            Err(error) if error.outcome_unknown() => {
                let bot = self.discord.current_user().await?.id;
                let existing = self.discord.channel_invites(channel).await?;
                if existing
                    .iter()
                    .any(|live| is_same(live, invite, Some(bot), None))
                {
                    self.recovered
                        .borrow_mut()
                        .push(format!("{reason} (found after a lost answer)"));
                    return Ok(());
                }
                let answer = self
                    .discord
                    .write(Method::Post, path.clone(), Some(&body), reason)
                    .await?;
                answered_invite(&path, answer)
            }
            Err(error) => Err(error),
        }
    }

    pub(super) async fn delete_invite(
        &self,
        invite: &InviteSpec,
        inviter: Option<UserId>,
        created_at: &str,
        reason: &str,
    ) -> StepResult {
        let channel: ChannelId = self.channel_id(&invite.channel.channel)?;
        let existing = match self.discord.channel_invites(channel).await {
            Ok(existing) => existing,
            // The channel is gone, and its invites with it.
            Err(error) if error.code() == Some(10003) => return Ok(()),
            Err(error) => return Err(error),
        };
        let Some(found) = existing
            .iter()
            .find(|live| is_same(live, invite, inviter, Some(created_at)))
        else {
            return Ok(());
        };
        match self.discord.delete_invite(&found.code, reason).await {
            Ok(_) => Ok(()),
            // Deleted meanwhile (it expired, or someone revoked it).
            Err(error) if error.code() == Some(10006) => Ok(()),
            Err(error) => Err(error),
        }
    }

    pub(super) async fn update_widget(&self, after: &WidgetSpec, reason: &str) -> StepResult {
        let channel = match &after.channel {
            Some(pick) => Value::String(self.channel_id(&pick.channel)?.to_string()),
            None => Value::Null,
        };
        let body = json!({ "enabled": after.enabled, "channel_id": channel });
        self.discord
            .write(
                Method::Patch,
                format!("guilds/{}/widget", self.guild_id),
                Some(&body),
                reason,
            )
            .await?;
        Ok(())
    }
}

/// Whether a live invite is the planned one: same settings and inviter (and creation time when
/// given).
fn is_same(
    live: &wire::Invite,
    invite: &InviteSpec,
    inviter: Option<UserId>,
    created_at: Option<&str>,
) -> bool {
    live.max_age == invite.max_age
        && live.max_uses == invite.max_uses
        && live.temporary == invite.temporary
        && live.inviter.as_ref().map(|user| user.id) == inviter
        && created_at.is_none_or(|at| live.created_at == at)
}

/// A create's answer must be an invite (its code is read and dropped).
fn answered_invite(path: &str, answer: Value) -> StepResult {
    serde_json::from_value::<wire::Invite>(answer)
        .map(drop)
        .map_err(|error| DiscordError::Decode {
            request: format!("POST {path}"),
            detail: error.to_string(),
        })
}
