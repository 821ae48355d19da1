//! `[[threads]]`: forum and media posts and threads of text and announcement channels.
//!
//! Checked against Discord's rules before any request (`channel.mdx`, "Start Thread in Forum or
//! Media Channel", "Modify Channel" for threads): a title of 1-100 characters, unique among the
//! file's threads of the channel (the title is the identity); a first message of 1-2000
//! characters; tags only in forum and media channels, by a tag name of that channel, at most 5
//! and each once, at least one when the channel has `require_tag`; `pinned` only in forum and
//! media channels (the PINNED flag exists only there) and at most one pinned post per channel
//! (Discord keeps one: pinning a second unpins the first, so a file with two would never
//! converge); `auto_archive` one of Discord's four durations.

use std::ops::Range;

use super::Validator;
use crate::config::raw::{AUTO_ARCHIVE_MINUTES, RawThread, Sp};
use crate::config::suggest;
use crate::model::community::MESSAGE_MAX;
use crate::model::threads::{APPLIED_TAGS_MAX, TITLE_MAX, Thread};
use crate::model::{ChannelKey, ChannelKind, DesiredChannel};

/// Where the file may declare threads: forum and media posts, and public threads of text
/// channels (announcement threads are left to people).
pub(super) const THREAD_CHANNELS: &[ChannelKind] =
    &[ChannelKind::Forum, ChannelKind::Media, ChannelKind::Text];

impl Validator<'_> {
    pub(super) fn threads(
        &mut self,
        raw: &[Sp<RawThread>],
        channels: &[DesiredChannel],
    ) -> Vec<Thread<ChannelKey>> {
        let mut titles: Vec<(ChannelKey, String, Range<usize>)> = Vec::new();
        let mut pinned: Vec<(ChannelKey, Range<usize>)> = Vec::new();
        let mut threads = Vec::new();
        for entry in raw {
            let entry = &entry.value;
            let channel = entry.channel.as_ref().and_then(|written| {
                self.channel_named(written, "a thread's channel", THREAD_CHANNELS, channels)
            });
            let declared = channel.as_ref().and_then(|key| {
                channels
                    .iter()
                    .find(|candidate| ChannelKey::of(candidate) == *key)
            });
            let thread_only = channel
                .as_ref()
                .is_some_and(|key| key.kind.is_thread_only());
            let title = entry.title.as_ref().and_then(|title| {
                let length = title.value.chars().count();
                if title.value.trim().is_empty() {
                    self.error("a thread's title is empty", title.span.clone())
                        .hint = Some(format!("Discord needs 1-{TITLE_MAX} characters"));
                    return None;
                }
                if length > TITLE_MAX {
                    self.error(
                        format!(
                            "a thread's title is {length} characters long (Discord allows at most {TITLE_MAX})"
                        ),
                        title.span.clone(),
                    );
                    return None;
                }
                Some(title.value.clone())
            });
            if let (Some(key), Some(title), Some(written)) = (&channel, &title, &entry.title) {
                if let Some((_, _, first)) = titles
                    .iter()
                    .find(|(other, name, _)| other == key && name == title)
                {
                    let line = self.line_of(first);
                    self.error(
                        format!("`{}` already has a thread titled `{title}`", key.name),
                        written.span.clone(),
                    )
                    .hint = Some(format!(
                        "the other is on line {line}; a thread is found by its title, so titles are unique in a channel"
                    ));
                } else {
                    titles.push((key.clone(), title.clone(), written.span.clone()));
                }
            }
            let content = entry.file.as_ref().and_then(|file| self.thread_file(file));

            let mut tags = Vec::new();
            if let Some(list) = &entry.tags {
                if !thread_only && channel.is_some() {
                    self.error(
                        "`tags` apply to forum and media posts only",
                        list.span.clone(),
                    )
                    .hint = Some("threads of text channels have no tags; remove `tags`".into());
                } else if let Some(declared) = declared {
                    let available: Vec<&str> = declared
                        .settings
                        .forum
                        .iter()
                        .flat_map(|forum| &forum.tags)
                        .map(|tag| tag.name.as_str())
                        .collect();
                    if list.value.len() > APPLIED_TAGS_MAX {
                        self.error(
                            format!(
                                "{} tags on one post (Discord allows at most {APPLIED_TAGS_MAX})",
                                list.value.len()
                            ),
                            list.value[APPLIED_TAGS_MAX].span.clone(),
                        );
                    }
                    for tag in &list.value {
                        if tags.contains(&tag.value) {
                            self.error(
                                format!("tag `{}` is listed twice", tag.value),
                                tag.span.clone(),
                            );
                        } else if available.contains(&tag.value.as_str()) {
                            tags.push(tag.value.clone());
                        } else {
                            let hint = match suggest(&tag.value, available.iter().copied()) {
                                Some(close) => format!("did you mean `{close}`?"),
                                None if available.is_empty() => {
                                    format!("`{}` declares no tags", declared.name)
                                }
                                None => format!(
                                    "the tags of `{}` are {}",
                                    declared.name,
                                    super::quoted(available.iter().copied())
                                ),
                            };
                            self.error(
                                format!("`{}` has no tag named `{}`", declared.name, tag.value),
                                tag.span.clone(),
                            )
                            .hint = Some(hint);
                        }
                    }
                    // In the channel's tag order, as Discord lists them.
                    tags.sort_by_key(|name| available.iter().position(|tag| tag == name));
                }
            }
            if let (Some(declared), Some(written)) = (declared, &entry.title)
                && thread_only
                && tags.is_empty()
                && entry.tags.is_none()
                && declared
                    .settings
                    .forum
                    .as_ref()
                    .is_some_and(|f| f.require_tag)
            {
                self.error(
                    format!(
                        "`{}` has `require_tag = true`, and this post has no tags",
                        declared.name
                    ),
                    written.span.clone(),
                )
                .hint =
                    Some("Discord refuses a post without a tag there: add `tags = [...]`".into());
            }
            let mut is_pinned = false;
            if let Some(flag) = &entry.pinned
                && flag.value
            {
                if !thread_only && channel.is_some() {
                    self.error(
                        "`pinned` applies to forum and media posts only",
                        flag.whole(),
                    )
                    .hint = Some(
                        "Discord pins posts to the top of forum and media channels; a text channel's thread cannot be pinned".into(),
                    );
                } else if let Some(key) = &channel {
                    if let Some((_, first)) = pinned.iter().find(|(other, _)| other == key) {
                        let line = self.line_of(first);
                        self.error(
                            format!("`{}` already has a pinned post", key.name),
                            flag.whole(),
                        )
                        .hint = Some(format!(
                            "the other is on line {line}; Discord pins one post per channel"
                        ));
                    } else {
                        pinned.push((key.clone(), flag.whole()));
                        is_pinned = true;
                    }
                }
            }
            let auto_archive = entry.auto_archive.as_ref().and_then(|minutes| {
                let allowed = AUTO_ARCHIVE_MINUTES
                    .iter()
                    .any(|allowed| i64::from(*allowed) == minutes.value);
                if !allowed {
                    self.error(
                        format!(
                            "`auto_archive` must be 60, 1440, 4320 or 10080 minutes, found {}",
                            minutes.value
                        ),
                        minutes.span.clone(),
                    )
                    .hint = Some("1 hour, 1 day, 3 days or 1 week, in minutes".into());
                }
                u32::try_from(minutes.value).ok().filter(|_| allowed)
            });
            if let (Some(channel), Some(title), Some((content, source))) = (channel, title, content)
            {
                threads.push(Thread {
                    channel,
                    title,
                    source,
                    content,
                    tags,
                    pinned: is_pinned,
                    locked: entry.locked.as_ref().is_some_and(|flag| flag.value),
                    archived: entry.archived.as_ref().is_some_and(|flag| flag.value),
                    auto_archive,
                });
            }
        }
        threads
    }

    /// The first message: the Markdown file's text, at most one Discord message.
    fn thread_file(&mut self, file: &Sp<String>) -> Option<(String, String)> {
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
                                "thread files are relative to the folder of {}",
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
        let content = text.trim().to_owned();
        let length = content.chars().count();
        if content.is_empty() {
            self.error(format!("`{}` is empty", file.value), file.span.clone())
                .hint = Some("a thread starts with a message: write its text".into());
            return None;
        }
        if length > MESSAGE_MAX {
            self.error(
                format!(
                    "`{}` is {length} characters long: a thread's first message holds at most {MESSAGE_MAX}",
                    file.value
                ),
                file.span.clone(),
            )
            .hint = Some(
                "shorten it, or keep the guide in `[[messages]]` of a text channel, which splits long files".into(),
            );
            return None;
        }
        Some((content, file.value.clone()))
    }
}
