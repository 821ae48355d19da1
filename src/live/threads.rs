//! Reading the threads of the channels the file declares threads in: the guild's active threads
//! (one request), the archived public threads of each of those channels (one request per 100),
//! and the first messages of the bot's threads the file declares (one request each). Nothing is
//! read for a file without `[[threads]]`.

use super::Scope;
use crate::discord::threads::Thread as WireThread;
use crate::discord::{Discord, DiscordError};
use crate::model::threads::{
    ANNOUNCEMENT_THREAD, LiveThread, PINNED, PRIVATE_THREAD, PUBLIC_THREAD,
};
use crate::model::{ChannelId, LiveGuild};

/// The channels whose threads are read: by name, of a kind that holds threads.
fn channels(live: &LiveGuild, scope: &Scope) -> Vec<ChannelId> {
    live.channels
        .iter()
        .filter(|channel| channel.kind.has_threads())
        .filter(|channel| scope.all_threads || scope.thread_channels.contains(&channel.name))
        .map(|channel| channel.id)
        .collect()
}

pub(super) async fn fetch(
    discord: &Discord,
    live: &LiveGuild,
    scope: &Scope,
) -> Result<Vec<LiveThread>, DiscordError> {
    let channels = channels(live, scope);
    if channels.is_empty() {
        return Ok(Vec::new());
    }
    let mut wire: Vec<WireThread> = discord
        .active_threads(live.id)
        .await?
        .into_iter()
        .filter(|thread| {
            thread
                .parent_id
                .is_some_and(|parent| channels.contains(&parent))
        })
        .collect();
    let archived = channels
        .iter()
        .map(|channel| Box::pin(discord.archived_public_threads(*channel)));
    for page in super::join_all(archived.collect()).await {
        for thread in page? {
            if !wire.iter().any(|known| known.id == thread.id) {
                wire.push(thread);
            }
        }
    }
    let mut threads: Vec<LiveThread> = wire
        .into_iter()
        .filter(|thread| {
            matches!(
                thread.kind,
                ANNOUNCEMENT_THREAD | PUBLIC_THREAD | PRIVATE_THREAD
            )
        })
        .filter_map(|thread| {
            Some(LiveThread {
                id: thread.id,
                parent: thread.parent_id?,
                owner: thread.owner_id,
                kind: thread.kind,
                title: thread.name,
                applied_tags: thread.applied_tags,
                pinned: thread.flags & PINNED != 0,
                locked: thread.thread_metadata.locked,
                archived: thread.thread_metadata.archived,
                auto_archive: thread.thread_metadata.auto_archive_duration,
                first_message: None,
            })
        })
        .collect();
    threads.sort_by_key(|thread| thread.id);

    // The first message of each of the bot's threads the file may declare.
    let bot = live.bot.user_id;
    let wanted: Vec<usize> = threads
        .iter()
        .enumerate()
        .filter(|(_, thread)| thread.owner == Some(bot))
        .filter(|(_, thread)| scope.all_threads || scope.thread_titles.contains(&thread.title))
        .map(|(index, _)| index)
        .collect();
    let reads = wanted
        .iter()
        .map(|index| Box::pin(discord.first_messages(threads[*index].id)));
    let answers = super::join_all(reads.collect()).await;
    for (index, messages) in wanted.into_iter().zip(answers) {
        threads[index].first_message = messages?
            .into_iter()
            .filter(|message| message.author.id == bot)
            .map(|message| (message.id.get(), message.content))
            .min_by_key(|(id, _)| *id);
    }
    Ok(threads)
}
