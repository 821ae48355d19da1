//! `[[webhooks]]` and `[[messages]]`: channel webhooks and the files of kept messages.

use std::ops::Range;

use super::community::community_limits as cl;
use super::images::Image;
use super::{Claim, Validator};
use crate::config::names::{POSTABLE, TEXT_LIKE};
use crate::config::raw::{RawMessages, RawWebhook, Sp};
use crate::model::community::{PostedMessages, Webhook, WebhookSources};
use crate::model::{ChannelKey, DesiredChannel};

impl Validator<'_> {
    pub(super) fn webhooks(
        &mut self,
        raw: &[Sp<RawWebhook>],
        channels: &[DesiredChannel],
    ) -> Vec<(Webhook<ChannelKey>, WebhookSources)> {
        // (channel, name) claims, and the number per channel.
        let mut claims: Vec<(ChannelKey, Claim)> = Vec::new();
        let mut webhooks = Vec::new();
        for webhook in raw {
            let webhook = &webhook.value;
            let name = webhook
                .name
                .as_ref()
                .and_then(|name| self.webhook_name(name));
            let channel = webhook.channel.as_ref().and_then(|channel| {
                self.channel_named(channel, "a webhook's channel", TEXT_LIKE, channels)
            });
            if let (Some(name), Some(channel), Some(written), Some(channel_text)) =
                (&name, &channel, &webhook.name, &webhook.channel)
            {
                let channel_text = &channel_text.value;
                if let Some((_, first)) = claims
                    .iter()
                    .find(|(c, claim)| c == channel && claim.name == *name)
                {
                    let line = self.line_of(&first.span);
                    self.error(
                        format!("two webhooks of `{channel_text}` are named `{name}`"),
                        written.span.clone(),
                    )
                    .hint = Some(format!(
                        "the first is on line {line}; webhooks are matched by name in their channel"
                    ));
                }
                claims.push((
                    channel.clone(),
                    Claim {
                        name: name.clone(),
                        span: written.span.clone(),
                    },
                ));
                let count = claims.iter().filter(|(c, _)| c == channel).count();
                if count == cl::WEBHOOKS_PER_CHANNEL + 1 {
                    self.error(
                        format!(
                            "`{channel_text}` has more than {} webhooks (Discord's limit per channel)",
                            cl::WEBHOOKS_PER_CHANNEL
                        ),
                        written.span.clone(),
                    )
                    .hint = Some(
                        "post from several sources through one webhook, or use another channel"
                            .into(),
                    );
                }
            }
            let avatar = webhook.avatar.as_ref().and_then(|avatar| {
                self.image(
                    avatar,
                    &Image {
                        what: "avatar",
                        max_bytes: cl::AVATAR_BYTES_MAX,
                        too_big: "shrink the image; avatars show at 128×128 at most",
                        accepted: "Discord accepts PNG, JPEG, GIF and WebP avatars",
                    },
                )
            });
            let mut github: Vec<String> = Vec::new();
            for repository in webhook.github.iter().flat_map(|list| list.value.iter()) {
                let text = repository.value.as_str();
                let valid = text.split_once('/').is_some_and(|(owner, name)| {
                    !owner.is_empty()
                        && !name.is_empty()
                        && owner.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
                        && name
                            .chars()
                            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
                });
                if !valid {
                    let hint = match text
                        .strip_prefix("https://github.com/")
                        .map(|rest| rest.trim_end_matches('/'))
                    {
                        Some(rest) => format!("write `{rest}`"),
                        None => "write repositories as `owner/name`, like `miyabi-ai/core`".into(),
                    };
                    self.error(
                        format!("`{text}` is not a GitHub repository"),
                        repository.span.clone(),
                    )
                    .hint = Some(hint);
                } else if github.iter().any(|seen| seen.eq_ignore_ascii_case(text)) {
                    self.warning(
                        format!("repository `{text}` is listed twice"),
                        repository.span.clone(),
                    )
                    .hint = Some("remove one of them".into());
                } else {
                    github.push(text.to_owned());
                }
            }
            if let (Some(name), Some(channel)) = (name, channel) {
                webhooks.push((
                    Webhook {
                        channel,
                        name,
                        avatar,
                    },
                    WebhookSources { github },
                ));
            }
        }
        webhooks
    }

    pub(super) fn webhook_name(&mut self, name: &Sp<String>) -> Option<String> {
        if !self.check_name(name, "webhook name") {
            return None;
        }
        let length = name.value.chars().count();
        if length > cl::WEBHOOK_NAME_MAX {
            self.error(
                format!(
                    "webhook name is {length} characters long (Discord allows at most {})",
                    cl::WEBHOOK_NAME_MAX
                ),
                name.span.clone(),
            );
            return None;
        }
        let lower = name.value.to_lowercase();
        if let Some(word) = ["clyde", "discord"]
            .into_iter()
            .find(|word| lower.contains(word))
        {
            self.error(
                format!("webhook names cannot contain \"{word}\""),
                name.span.clone(),
            )
            .hint = Some("Discord rejects them, in any case; pick another name".into());
            return None;
        }
        Some(name.value.clone())
    }

    // ---- posted messages ---------------------------------------------------------------------

    pub(super) fn messages(
        &mut self,
        raw: &[Sp<RawMessages>],
        channels: &[DesiredChannel],
    ) -> Vec<PostedMessages<ChannelKey>> {
        let mut seen: Vec<(ChannelKey, Range<usize>)> = Vec::new();
        let mut posted = Vec::new();
        for entry in raw {
            let entry = &entry.value;
            let channel = entry.channel.as_ref().and_then(|written| {
                let name = self.channel_named(written, "a channel for messages", POSTABLE, channels)?;
                if let Some((_, first)) = seen.iter().find(|(seen, _)| *seen == name) {
                    let line = self.line_of(first);
                    self.error(
                        format!("`{}` already has its messages", written.value),
                        written.span.clone(),
                    )
                    .hint = Some(format!(
                        "the other `[[messages]]` is on line {line}; one file per channel: merge the two files"
                    ));
                    return None;
                }
                seen.push((name.clone(), written.span.clone()));
                Some(name)
            });
            let parts = entry
                .file
                .as_ref()
                .and_then(|file| self.message_file(file, channels));
            if let (Some(channel), Some(parts), Some(file)) = (channel, parts, &entry.file) {
                posted.push(PostedMessages {
                    channel,
                    source: file.value.clone(),
                    parts,
                });
            }
        }
        posted
    }

    /// The Markdown file's text, as Discord messages (see `messages.rs`).
    pub(super) fn message_file(
        &mut self,
        file: &Sp<String>,
        channels: &[DesiredChannel],
    ) -> Option<Vec<crate::model::messages::MessagePart<ChannelKey, String>>> {
        let path = self.inside_file(file)?;
        let text =
            match crate::config::files::read_text(&path, crate::config::files::MESSAGE_FILE_MAX) {
                Ok(text) => text,
                Err(problem) => {
                    let hint = match &problem {
                        crate::config::files::FileProblem::Io(error)
                            if error.kind() == std::io::ErrorKind::NotFound =>
                        {
                            format!(
                                "message files are relative to the folder of {}",
                                self.source.name
                            )
                        }
                        other => other.hint().to_owned(),
                    };
                    self.error(
                        format!("cannot read `{}`: {problem}", path.display()),
                        file.span.clone(),
                    )
                    .hint = Some(hint);
                    return None;
                }
            };
        self.message_parts(file, text, channels)
    }

    // ---- shared ------------------------------------------------------------------------------
}
