//! The bot's threads, imported: a `[[threads]]` entry per thread the bot started in a channel
//! the file holds, its first message written to `messages/<channel>/<title>.md` beside the
//! output, so importing and planning shows no changes. Members' threads are not the file's and
//! are left out; so is a thread whose title another of the bot's threads in the channel has
//! (the file finds a thread by its title) or whose first message the file cannot say back
//! exactly.

use std::collections::HashSet;

use super::{Importer, slug, string, unique};
use crate::model::ChannelKind;
use crate::model::community::MESSAGE_MAX;
use crate::model::threads::TITLE_MAX;

impl Importer<'_> {
    pub(super) fn threads(&mut self) {
        let live = self.live;
        let bot = live.bot.user_id;
        let mut taken: HashSet<String> = HashSet::new();
        let mut threads: Vec<_> = live
            .community
            .threads
            .iter()
            .filter(|thread| thread.owner == Some(bot))
            .collect();
        threads.sort_by_key(|thread| {
            (
                live.channel(thread.parent).map(|c| (c.position, c.id)),
                thread.id,
            )
        });
        for thread in threads {
            let Some(channel) = live.channel(thread.parent) else {
                continue;
            };
            let what = format!("the bot's thread \"{}\" in #{}", thread.title, channel.name);
            let reference = self.written_reference(
                channel.id,
                &[ChannelKind::Forum, ChannelKind::Media, ChannelKind::Text],
            );
            let content = thread.first_message.as_ref().map(|(_, text)| text.as_str());
            let twice = live.community.threads.iter().any(|other| {
                other.id != thread.id
                    && other.owner == Some(bot)
                    && other.parent == thread.parent
                    && other.title == thread.title
            });
            let problem = match (&reference, content) {
                (Err(reason), _) => Some(reason.clone()),
                (_, None) => Some("it has no first message of the bot's".to_owned()),
                (_, Some(text)) if text.trim() != text || text.is_empty() => Some(
                    "its first message cannot be written to a file that posts it back exactly"
                        .to_owned(),
                ),
                (_, Some(text)) if text.chars().count() > MESSAGE_MAX => {
                    Some("its first message is longer than one message".to_owned())
                }
                _ if twice => {
                    Some("another of the bot's threads there has the same title".to_owned())
                }
                _ if thread.title.trim().is_empty() || thread.title.chars().count() > TITLE_MAX => {
                    Some("its title breaks Discord's limits".to_owned())
                }
                _ if !self.with_messages => Some(
                    "`import --out FILE` writes its first message to a file beside FILE".to_owned(),
                ),
                _ => None,
            };
            if let Some(problem) = problem {
                self.line("");
                self.line(format!("# Not managed: {what}: {problem}."));
                continue;
            }
            let (Ok(reference), Some(content)) = (reference, content) else {
                continue;
            };
            let folder = slug(&channel.name, "channel");
            let file = unique(
                format!("{folder}/{}", slug(&thread.title, "thread")),
                &mut taken,
            );
            let path = format!("messages/{file}.md");
            self.line("");
            self.line("[[threads]]");
            self.line(format!("channel = {}", string(&reference)));
            self.line(format!("title = {}", string(&thread.title)));
            self.line(format!("file = {}", string(&path)));
            let tags = self.thread_tags(thread);
            if !tags.is_empty() {
                let list: Vec<String> = tags.iter().map(|tag| string(tag)).collect();
                self.line(format!("tags = [{}]", list.join(", ")));
            }
            let post = channel.kind.is_thread_only();
            if post && thread.pinned {
                self.line("pinned = true");
            }
            if thread.locked {
                self.line("locked = true");
            }
            if thread.archived {
                self.line("archived = true");
            }
            self.line(format!("auto_archive = {}", thread.auto_archive));
            self.files.push((path, format!("{content}\n")));
        }
    }

    /// The names of a thread's tags, in the channel's order.
    fn thread_tags(&self, thread: &crate::model::threads::LiveThread) -> Vec<String> {
        let Some(channel) = self.live.channel(thread.parent) else {
            return Vec::new();
        };
        let tags = channel
            .settings
            .forum
            .as_ref()
            .map(|forum| forum.tags.as_slice())
            .unwrap_or_default();
        channel
            .tag_ids
            .iter()
            .zip(tags)
            .filter(|(id, _)| thread.applied_tags.contains(id))
            .map(|(_, tag)| tag.name.clone())
            .collect()
    }
}
