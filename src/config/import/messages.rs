//! The bot's posted messages, imported: one `messages/<channel>.md` file per channel beside the
//! output, and a `[[messages]]` entry referring to it, so importing and planning shows no
//! changes. The file holds the messages in order; where packing paragraphs would not cut them
//! the same way again, a `<!-- next message -->` line says where one ends. Embeds, pins and
//! suppressed previews are written back as each message's front matter, and mentions of the
//! file's channels and roles by name (`{#rules}`, `{@moderator}`): see `messages/text.rs`.

use std::collections::HashSet;

use super::{Importer, slug, string, unique};

mod text;
use crate::model::ChannelKind;

impl Importer<'_> {
    pub(super) fn messages(&mut self) {
        let live = self.live;
        let mut taken: HashSet<String> = HashSet::new();
        let mut posted: Vec<_> = live
            .community
            .messages
            .iter()
            .filter(|messages| !messages.own.is_empty())
            .collect();
        // Discord's order of the channels, so the output is stable.
        posted.sort_by_key(|messages| {
            live.channel(messages.channel)
                .map(|channel| (channel.position, channel.id))
        });
        for messages in posted {
            let Some(channel) = live.channel(messages.channel) else {
                continue;
            };
            let count = messages.own.len();
            let what = format!(
                "the bot's {count} message{} in #{}",
                if count == 1 { "" } else { "s" },
                channel.name
            );
            let reference =
                self.written_reference(channel.id, &[ChannelKind::Text, ChannelKind::Announcement]);
            let reference = match (reference, self.with_messages) {
                (Err(reason), _) => {
                    self.line("");
                    self.line(format!("# Not managed: {what}: {reason}."));
                    continue;
                }
                (Ok(_), false) => {
                    self.line("");
                    self.line(format!(
                        "# Not managed: {what}: `import --out FILE` writes them to a file beside FILE."
                    ));
                    continue;
                }
                (Ok(reference), true) => reference,
            };
            let mut name = slug(&channel.name, "channel");
            if let Some(category) = channel.parent_id.and_then(|id| live.channel(id))
                && live
                    .channels
                    .iter()
                    .any(|other| other.id != channel.id && other.name == channel.name)
            {
                name = format!("{}-{name}", slug(&category.name, "category"));
            }
            let path = format!("messages/{}.md", unique(name, &mut taken));
            let Some(text) = self.message_file_text(&messages.own) else {
                self.line("");
                self.line(format!(
                    "# Not managed: {what}: their text cannot be written to a file that posts it back exactly."
                ));
                continue;
            };
            self.line("");
            self.line("[[messages]]");
            self.line(format!("channel = {}", string(&reference)));
            self.line(format!("file = {}", string(&path)));
            self.files.push((path, format!("{text}\n")));
        }
    }
}
