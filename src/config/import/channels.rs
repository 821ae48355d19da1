//! Categories and channels as the file writes them: in Discord's order, with their settings
//! and overwrites by role key.

use std::collections::HashSet;

use crate::config::raw::RTC_REGIONS;
use crate::config::validate::limits;
use crate::model::{
    ChannelKind, ChannelSettings, ForumLayout, ForumSortOrder, LiveChannel, LiveTarget, Overwrite,
    RoleId, VideoQuality,
};

use super::{Importer, Skip, emoji, list, name_problem, slug, string, unique};

impl<'g> Importer<'g> {
    pub(super) fn channels(&mut self) {
        let groups = self.ordered();
        let live = self.live;
        let top_level: Vec<&LiveChannel> = groups
            .iter()
            .filter(|(channel, _)| channel.kind != ChannelKind::Category)
            .map(|(channel, _)| *channel)
            .collect();
        if !top_level.is_empty() {
            self.line("");
            self.line("# Channels outside any category.");
            for channel in top_level {
                self.channel(channel, None, "[[channels]]");
            }
        }
        for (category, children) in groups
            .iter()
            .filter(|(channel, _)| channel.kind == ChannelKind::Category)
        {
            self.line("");
            if self.skip_comment(category) {
                for child in children {
                    self.skip_comment(child);
                }
                continue;
            }
            self.line("[[categories]]");
            self.line(format!("name = {}", string(&category.name)));
            self.pin(category);
            self.overwrites(&category.overwrites);
            for child in children {
                self.channel(child, Some(category), "[[categories.channels]]");
            }
        }
        let mut orphans: Vec<&LiveChannel> = live
            .channels
            .iter()
            .filter(|channel| {
                matches!(
                    self.skipped_channels.get(&channel.id),
                    Some(Skip::Parent(_))
                ) && channel.parent_id.is_none_or(|parent| {
                    live.channel(parent)
                        .is_none_or(|p| p.kind != ChannelKind::Category)
                })
            })
            .collect();
        orphans.sort_by_key(|channel| (channel.position, channel.id));
        if !orphans.is_empty() {
            self.line("");
            for channel in orphans {
                self.skip_comment(channel);
            }
        }
    }

    /// Writes a comment for a channel that is left out; `false` when it is written.
    pub(super) fn skip_comment(&mut self, channel: &LiveChannel) -> bool {
        let Some(skip) = self.skipped_channels.get(&channel.id).cloned() else {
            return false;
        };
        let what = channel.kind.describe();
        let reason = match skip {
            Skip::Kind => "this version does not manage this kind of channel".to_owned(),
            Skip::Name(problem) => problem,
            Skip::Duplicate => format!(
                "an earlier {what} in the same place has the same name, and the file matches channels by name and kind in their category"
            ),
            Skip::Parent(reason) => reason,
        };
        self.line(format!(
            "# Not managed: {what} {} (id {}): {reason}.",
            string(&channel.name),
            channel.id
        ));
        true
    }

    pub(super) fn pin(&mut self, channel: &LiveChannel) {
        if self.pinned_channels.contains(&channel.id) {
            self.line(format!(
                "# Another {} has the same name: pinned by id.",
                channel.kind.describe()
            ));
            self.line(format!("id = \"{}\"", channel.id));
        }
    }

    pub(super) fn channel(
        &mut self,
        channel: &LiveChannel,
        category: Option<&LiveChannel>,
        header: &str,
    ) {
        self.line("");
        if self.skip_comment(channel) {
            return;
        }
        self.line(header);
        self.line(format!("name = {}", string(&channel.name)));
        let kind_name = match channel.kind {
            ChannelKind::Voice => Some("voice"),
            ChannelKind::Announcement => Some("announcement"),
            ChannelKind::Stage => Some("stage"),
            ChannelKind::Forum => Some("forum"),
            ChannelKind::Media => Some("media"),
            _ => None,
        };
        if let Some(kind) = kind_name {
            self.line(format!("type = \"{kind}\""));
        }
        self.pin(channel);
        self.settings(channel);
        match category {
            None => self.overwrites(&channel.overwrites),
            Some(category) => {
                if same_set(&channel.overwrites, &category.overwrites) {
                    // Synced: the default for a channel in a category.
                } else if channel.overwrites.is_empty() {
                    self.line("sync = false");
                } else {
                    self.overwrites(&channel.overwrites);
                }
            }
        }
    }

    pub(super) fn settings(&mut self, channel: &LiveChannel) {
        let kind = channel.kind;
        let defaults = ChannelSettings::defaults_for(kind);
        let settings = channel.settings.clone().for_kind(kind);
        if settings.topic != defaults.topic
            && let Some(topic) = &settings.topic
        {
            self.line(format!("topic = {}", string(topic)));
        }
        if settings.nsfw {
            self.line("nsfw = true");
        }
        if settings.slowmode != defaults.slowmode {
            self.line(format!("slowmode = {}", settings.slowmode));
        }
        if settings.bitrate != defaults.bitrate
            && let Some(bitrate) = settings.bitrate
        {
            self.line(format!("bitrate = {bitrate}"));
        }
        if settings.user_limit != defaults.user_limit
            && let Some(limit) = settings.user_limit
        {
            self.line(format!("user_limit = {limit}"));
        }
        if let Some(region) = &settings.rtc_region {
            if !RTC_REGIONS.contains(&region.as_str()) {
                self.line("# A voice region this version does not know: the file will not validate until it is removed or the region list is updated.");
            }
            self.line(format!("rtc_region = {}", string(region)));
        }
        if settings.video_quality == Some(VideoQuality::Full) {
            self.line("video_quality = \"full\"");
        }
        if settings.default_auto_archive != defaults.default_auto_archive
            && let Some(minutes) = settings.default_auto_archive
        {
            self.line(format!("default_auto_archive = {minutes}"));
        }
        if settings.default_thread_slowmode != defaults.default_thread_slowmode {
            self.line(format!(
                "default_thread_slowmode = {}",
                settings.default_thread_slowmode
            ));
        }
        let Some(forum) = &settings.forum else {
            return;
        };
        if let Some(reaction) = &forum.default_reaction {
            self.line(format!("default_reaction = {}", emoji(reaction)));
        }
        match forum.default_sort_order {
            Some(ForumSortOrder::LatestActivity) => {
                self.line("default_sort_order = \"latest_activity\"");
            }
            Some(ForumSortOrder::CreationDate) => {
                self.line("default_sort_order = \"creation_date\"");
            }
            None => {}
        }
        match forum.default_layout {
            ForumLayout::List => self.line("default_layout = \"list\""),
            ForumLayout::Gallery => self.line("default_layout = \"gallery\""),
            ForumLayout::NotSet => {}
        }
        if forum.require_tag {
            self.line("require_tag = true");
        }
        if forum.hide_media_download_options {
            self.line("hide_media_download_options = true");
        }
        if !forum.tags.is_empty() {
            let mut taken = HashSet::new();
            self.line("tags = [");
            for tag in &forum.tags {
                if tag.name.chars().count() > limits::TAG_NAME_MAX
                    || name_problem(&tag.name).is_some()
                {
                    self.line("  # This name breaks the file's rules for tags (1-20 characters): the file will not validate until it is shortened.");
                }
                let key = unique(slug(&tag.name, "tag"), &mut taken);
                let mut fields = vec![
                    format!("key = {}", string(&key)),
                    format!("name = {}", string(&tag.name)),
                ];
                if let Some(value) = &tag.emoji {
                    fields.push(format!("emoji = {}", emoji(value)));
                }
                if tag.moderated {
                    fields.push("moderated = true".into());
                }
                self.line(format!("  {{ {} }},", fields.join(", ")));
            }
            self.line("]");
        }
    }

    /// The name a bot's (managed) role is written with, `@name`: when no other managed role and
    /// no written role has it, and the file can hold it.
    pub(super) fn bot_role_name(&self, id: RoleId) -> Option<&'g str> {
        let live = self.live;
        let role = live.role(id).filter(|role| role.managed)?;
        let name = role.settings.name.as_str();
        let managed = live
            .roles
            .iter()
            .filter(|other| other.managed && other.settings.name == name)
            .count();
        let declared = live
            .roles
            .iter()
            .any(|other| self.role_keys.contains_key(&other.id) && other.settings.name == name);
        (managed == 1 && !declared && name_problem(name).is_none()).then_some(name)
    }

    pub(super) fn overwrites(&mut self, overwrites: &[Overwrite<LiveTarget>]) {
        if overwrites.is_empty() {
            return;
        }
        let live = self.live;
        let everyone = live.everyone_role_id();
        let rank = |target: &LiveTarget| match target {
            LiveTarget::Role(id) if *id == everyone => (0, 0, 0),
            LiveTarget::Role(id) => (
                1,
                live.roles
                    .iter()
                    .position(|role| role.id == *id)
                    .unwrap_or(usize::MAX),
                id.get(),
            ),
            LiveTarget::Member(id) => (2, 0, id.get()),
        };
        let mut sorted: Vec<&Overwrite<LiveTarget>> = overwrites.iter().collect();
        sorted.sort_by_key(|overwrite| rank(&overwrite.target));
        let mut lines = Vec::new();
        let mut notes = Vec::new();
        for overwrite in sorted {
            let target = match overwrite.target {
                LiveTarget::Role(id) if id == everyone => "role = \"everyone\"".to_owned(),
                LiveTarget::Role(id) => match self.role_keys.get(&id) {
                    Some(key) => format!("role = {}", string(key)),
                    None if self.bot_role_name(id).is_some() => {
                        let name = self.bot_role_name(id).unwrap_or_default();
                        format!("role = {}", string(&format!("@{name}")))
                    }
                    None => {
                        let why = match live.role(id) {
                            Some(role) if role.managed => format!(
                                "the managed role {} (id {id})",
                                string(&role.settings.name)
                            ),
                            Some(role) => format!(
                                "the role {} (id {id}), which is left out",
                                string(&role.settings.name)
                            ),
                            None => format!("role id {id}, which no longer exists"),
                        };
                        notes.push(format!(
                            "# Left out: an overwrite for {why} (allow [{}], deny [{}]); the file cannot name that role.",
                            overwrite.allow.names().join(", "),
                            overwrite.deny.names().join(", ")
                        ));
                        continue;
                    }
                },
                LiveTarget::Member(id) => format!("member = \"{id}\""),
            };
            let mut fields = vec![target];
            if !overwrite.allow.is_empty() {
                fields.push(format!("allow = {}", list(overwrite.allow)));
            }
            if !overwrite.deny.is_empty() {
                fields.push(format!("deny = {}", list(overwrite.deny)));
            }
            lines.push(format!("  {{ {} }},", fields.join(", ")));
        }
        for note in notes {
            self.line(note);
        }
        if lines.len() > limits::OVERWRITES_PER_CHANNEL {
            self.line("# More overwrites than the file allows (100): it will not validate until some are removed.");
        }
        if lines.is_empty() {
            self.line("overwrites = []");
            return;
        }
        self.line("overwrites = [");
        for line in lines {
            self.line(line);
        }
        self.line("]");
    }
}

fn same_set(a: &[Overwrite<LiveTarget>], b: &[Overwrite<LiveTarget>]) -> bool {
    let mut a = a.to_vec();
    let mut b = b.to_vec();
    a.sort();
    b.sort();
    a == b
}
