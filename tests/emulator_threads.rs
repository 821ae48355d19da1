//! The emulator's thread routes and media channels, strict like Discord: permissions (50001,
//! 50013), validation (50035 with field paths), the tag rules (40067), archived threads
//! (50083), one pinned post per channel, members' threads, and threads kept apart from the
//! channel list.

mod emulator_support;

use emulator_support::{Server, assert_error, set_bot_permissions, state_with};
use serde_json::{Value, json};

const VIEW: u64 = 1 << 10;
const SEND: u64 = 1 << 11;
const HISTORY: u64 = 1 << 16;
const MANAGE_CHANNELS: u64 = 1 << 4;
const MANAGE_THREADS: u64 = 1 << 34;
const CREATE_PUBLIC_THREADS: u64 = 1 << 35;
const SEND_IN_THREADS: u64 = 1 << 38;

/// `@everyone` (the role whose id is the guild's) may do nothing.
fn no_everyone(value: &mut Value) {
    let guild = value["guild"]["id"].clone();
    for role in value["roles"].as_array_mut().unwrap() {
        if role["id"] == guild {
            role["permissions"] = json!("0");
        }
    }
}

fn community(value: &mut Value) {
    value["guild"]["features"] = json!(["COMMUNITY", "NEWS"]);
}

/// A community guild with a forum `help` (tags Guide (moderated) and Question, REQUIRE_TAG) and
/// a text channel `general`; returns the server and the ids.
async fn guild(permissions: Option<u64>) -> (Server, String, String, String, String) {
    let server = Server::start(state_with(|value| {
        community(value);
        if let Some(bits) = permissions {
            set_bot_permissions(value, bits);
            no_everyone(value);
        }
    }))
    .await;
    let id = |value: &Value| value["id"].as_str().unwrap().to_owned();
    let help = server
        .ok(
            "POST",
            "/guilds/{guild}/channels",
            Some(
                json!({"name": "help", "type": 15, "flags": 16, "available_tags": [
                {"name": "Guide", "moderated": true}, {"name": "Question"}]}),
            ),
        )
        .await;
    let general = server
        .ok(
            "POST",
            "/guilds/{guild}/channels",
            Some(json!({"name": "general"})),
        )
        .await;
    let tags = help["available_tags"].as_array().unwrap();
    let guide = id(&tags[0]);
    let question = id(&tags[1]);
    (server, id(&help), id(&general), guide, question)
}

#[tokio::test]
async fn forum_posts_are_validated_like_discord() {
    let (server, help, _, guide, question) = guild(None).await;
    let path = format!("/channels/{help}/threads");
    let post = |name: Value, tags: Value| json!({"name": name, "message": {"content": "Hi"}, "applied_tags": tags});

    let too_long = server
        .send(
            "POST",
            &path,
            Some(post(json!("x".repeat(101)), json!([question]))),
        )
        .await;
    assert_error(&too_long, 400, 50035);
    assert_eq!(
        too_long.field_code(&["name"]).as_deref(),
        Some("BASE_TYPE_BAD_LENGTH")
    );
    let empty = server
        .send("POST", &path, Some(post(json!(""), json!([question]))))
        .await;
    assert_eq!(
        empty.field_code(&["name"]).as_deref(),
        Some("BASE_TYPE_BAD_LENGTH")
    );

    let six = json!([question, question, question, question, question, question]);
    let many = server
        .send("POST", &path, Some(post(json!("Q"), six)))
        .await;
    assert_error(&many, 400, 50035);
    assert_eq!(
        many.field_code(&["applied_tags"]).as_deref(),
        Some("BASE_TYPE_MAX_LENGTH")
    );
    let unknown = server
        .send("POST", &path, Some(post(json!("Q"), json!(["42"]))))
        .await;
    assert_eq!(
        unknown.field_code(&["applied_tags", "0"]).as_deref(),
        Some("BASE_TYPE_CHOICES")
    );
    // REQUIRE_TAG: a post needs a tag.
    let untagged = server
        .send("POST", &path, Some(post(json!("Q"), json!([]))))
        .await;
    assert_error(&untagged, 400, 40067);
    // A post needs its first message.
    let silent = server
        .send(
            "POST",
            &path,
            Some(json!({"name": "Q", "applied_tags": [question]})),
        )
        .await;
    assert_eq!(
        silent.field_code(&["message"]).as_deref(),
        Some("BASE_TYPE_REQUIRED")
    );
    let blank = server
        .send(
            "POST",
            &path,
            Some(json!({"name": "Q", "message": {"content": ""}, "applied_tags": [question]})),
        )
        .await;
    assert_error(&blank, 400, 50006);
    let archive = server
        .send(
            "POST",
            &path,
            Some(json!({"name": "Q", "message": {"content": "Hi"}, "applied_tags": [question], "auto_archive_duration": 30})),
        )
        .await;
    assert_eq!(
        archive.field_code(&["auto_archive_duration"]).as_deref(),
        Some("BASE_TYPE_CHOICES")
    );

    let created = server
        .send("POST", &path, Some(post(json!("Guide"), json!([guide]))))
        .await;
    assert_eq!(created.status, 201, "{:#}", created.body);
    let thread = created.body["id"].as_str().unwrap();
    assert_eq!(
        created.body["message"]["id"], thread,
        "the first message has the thread's id"
    );
    assert_eq!(
        created.body["owner_id"],
        server.state().bot_user_id.to_string()
    );
    // Threads are not channels of the guild's list.
    let channels = server.ok("GET", "/guilds/{guild}/channels", None).await;
    assert!(
        channels
            .as_array()
            .unwrap()
            .iter()
            .all(|c| c["id"] != thread)
    );
    let active = server
        .ok("GET", "/guilds/{guild}/threads/active", None)
        .await;
    assert_eq!(active["threads"][0]["id"], thread);
}

#[tokio::test]
async fn posting_needs_send_messages_and_moderated_tags_need_manage_threads() {
    let (server, help, general, _, question) = guild(Some(VIEW | HISTORY | MANAGE_CHANNELS)).await;
    let post = json!({"name": "Q", "message": {"content": "Hi"}, "applied_tags": [question]});
    let refused = server
        .send("POST", &format!("/channels/{help}/threads"), Some(post))
        .await;
    assert_error(&refused, 403, 50013);
    let thread = server
        .send(
            "POST",
            &format!("/channels/{general}/threads"),
            Some(json!({"name": "Intro", "type": 11})),
        )
        .await;
    assert_error(&thread, 403, 50013);

    let (server, help, general, guide, _) = guild(Some(
        VIEW | HISTORY | MANAGE_CHANNELS | SEND | CREATE_PUBLIC_THREADS,
    ))
    .await;
    let moderated = server
        .send(
            "POST",
            &format!("/channels/{help}/threads"),
            Some(json!({"name": "Q", "message": {"content": "Hi"}, "applied_tags": [guide]})),
        )
        .await;
    assert_error(&moderated, 403, 50013);
    // A public thread of a text channel: type 11, no message.
    let intro = server
        .send(
            "POST",
            &format!("/channels/{general}/threads"),
            Some(json!({"name": "Intro", "type": 11})),
        )
        .await;
    assert_eq!(intro.status, 201, "{:#}", intro.body);
    assert_eq!(intro.body["type"], 11);
    let id = intro.body["id"].as_str().unwrap().to_owned();
    // Posting in it needs SEND_MESSAGES_IN_THREADS.
    let message = server
        .send(
            "POST",
            &format!("/channels/{id}/messages"),
            Some(json!({"content": "Hello"})),
        )
        .await;
    assert_error(&message, 403, 50013);
    // Locking and pinning need MANAGE_THREADS; PINNED is for forum posts only.
    let lock = server
        .send(
            "PATCH",
            &format!("/channels/{id}"),
            Some(json!({"locked": true})),
        )
        .await;
    assert_error(&lock, 403, 50013);
    let pin = server
        .send(
            "PATCH",
            &format!("/channels/{id}"),
            Some(json!({"flags": 2})),
        )
        .await;
    assert_error(&pin, 400, 50035);
    assert_eq!(
        pin.field_code(&["flags"]).as_deref(),
        Some("BASE_TYPE_CHOICES")
    );
    // Deleting a thread needs MANAGE_THREADS, even the bot's own.
    let delete = server
        .send("DELETE", &format!("/channels/{id}"), None)
        .await;
    assert_error(&delete, 403, 50013);

    // With SEND_MESSAGES_IN_THREADS the message goes in; with MANAGE_THREADS the lock too.
    let (server, _, general, _, _) = guild(Some(
        VIEW | HISTORY | MANAGE_CHANNELS | CREATE_PUBLIC_THREADS | SEND_IN_THREADS | MANAGE_THREADS,
    ))
    .await;
    let intro = server
        .ok(
            "POST",
            &format!("/channels/{general}/threads"),
            Some(json!({"name": "Intro", "type": 11})),
        )
        .await;
    let id = intro["id"].as_str().unwrap().to_owned();
    server
        .ok(
            "POST",
            &format!("/channels/{id}/messages"),
            Some(json!({"content": "Hello"})),
        )
        .await;
    server
        .ok(
            "PATCH",
            &format!("/channels/{id}"),
            Some(json!({"locked": true})),
        )
        .await;
    server.ok("DELETE", &format!("/channels/{id}"), None).await;
}

#[tokio::test]
async fn an_archived_thread_takes_only_its_unarchiving() {
    let (server, help, _, _, question) = guild(None).await;
    let created = server
        .ok(
            "POST",
            &format!("/channels/{help}/threads"),
            Some(json!({"name": "Known issues", "message": {"content": "None"}, "applied_tags": [question]})),
        )
        .await;
    let id = created["id"].as_str().unwrap().to_owned();
    let thread = format!("/channels/{id}");
    server
        .ok(
            "PATCH",
            &thread,
            Some(json!({"archived": true, "locked": true})),
        )
        .await;
    // Archived: not in the active list, in the archived one.
    let active = server
        .ok("GET", "/guilds/{guild}/threads/active", None)
        .await;
    assert!(active["threads"].as_array().unwrap().is_empty());
    let archived = server
        .ok(
            "GET",
            &format!("/channels/{help}/threads/archived/public"),
            None,
        )
        .await;
    assert_eq!(archived["threads"][0]["id"], id.as_str());
    assert_eq!(archived["has_more"], false);

    let rename = server
        .send("PATCH", &thread, Some(json!({"name": "Known issues (2)"})))
        .await;
    assert_error(&rename, 400, 50083);
    let edit = server
        .send(
            "PATCH",
            &format!("{thread}/messages/{id}"),
            Some(json!({"content": "Some"})),
        )
        .await;
    assert_error(&edit, 400, 50083);
    // Unarchiving with other changes in the same request is accepted.
    let reopened = server
        .ok(
            "PATCH",
            &thread,
            Some(json!({"archived": false, "name": "Known issues (2)"})),
        )
        .await;
    assert_eq!(reopened["thread_metadata"]["archived"], false);
    assert_eq!(reopened["name"], "Known issues (2)");
    server
        .ok(
            "PATCH",
            &format!("{thread}/messages/{id}"),
            Some(json!({"content": "Some"})),
        )
        .await;
}

#[tokio::test]
async fn one_post_is_pinned_per_channel_and_members_threads_are_theirs() {
    let (server, help, _, _, question) = guild(None).await;
    let mut ids = Vec::new();
    for name in ["A", "B"] {
        let created = server
            .ok(
                "POST",
                &format!("/channels/{help}/threads"),
                Some(
                    json!({"name": name, "message": {"content": name}, "applied_tags": [question]}),
                ),
            )
            .await;
        ids.push(created["id"].as_str().unwrap().to_owned());
    }
    server
        .ok(
            "PATCH",
            &format!("/channels/{}", ids[0]),
            Some(json!({"flags": 2})),
        )
        .await;
    let b = server
        .ok(
            "PATCH",
            &format!("/channels/{}", ids[1]),
            Some(json!({"flags": 2})),
        )
        .await;
    assert_eq!(b["flags"], 2);
    let a = server
        .ok("GET", &format!("/channels/{}", ids[0]), None)
        .await;
    assert_eq!(a["flags"], 0, "pinning B unpinned A");
    // Removing the last tag of a REQUIRE_TAG post is refused.
    let untag = server
        .send(
            "PATCH",
            &format!("/channels/{}", ids[1]),
            Some(json!({"applied_tags": []})),
        )
        .await;
    assert_error(&untag, 400, 40067);
}

#[tokio::test]
async fn a_members_thread_needs_manage_threads_to_edit() {
    let server = Server::start(state_with(|value| {
        community(value);
        set_bot_permissions(value, VIEW | HISTORY | SEND | MANAGE_CHANNELS);
        no_everyone(value);
        value["users"].as_array_mut().unwrap().push(json!({"id": "900", "username": "alice"}));
        value["channels"].as_array_mut().unwrap().push(json!({"id": "800", "name": "help", "type": 15}));
        value["threads"] = json!([{"id": "801", "type": 11, "parent_id": "800", "owner_id": "900", "name": "Mine"}]);
    }))
    .await;
    let rename = server
        .send("PATCH", "/channels/801", Some(json!({"name": "Ours"})))
        .await;
    assert_error(&rename, 403, 50013);
    let thread = server.ok("GET", "/channels/801", None).await;
    assert_eq!(thread["owner_id"], "900");
}

#[tokio::test]
async fn media_channels_need_community_and_keep_their_flags() {
    let server = Server::start(state_with(|_| {})).await;
    let refused = server
        .send(
            "POST",
            "/guilds/{guild}/channels",
            Some(json!({"name": "gallery", "type": 16})),
        )
        .await;
    assert_error(&refused, 400, 50024);

    let server = Server::start(state_with(community)).await;
    let media = server
        .ok(
            "POST",
            "/guilds/{guild}/channels",
            Some(
                json!({"name": "Gallery", "type": 16, "flags": (1 << 15) | 16,
                        "available_tags": [{"name": "Desktop"}], "default_sort_order": 1}),
            ),
        )
        .await;
    assert_eq!(media["type"], 16);
    assert_eq!(media["name"], "gallery");
    assert_eq!(media["flags"], (1 << 15) | 16);
    // HIDE_MEDIA_DOWNLOAD_OPTIONS is for media channels only.
    let forum = server
        .send(
            "POST",
            "/guilds/{guild}/channels",
            Some(json!({"name": "f", "type": 15, "flags": 1 << 15})),
        )
        .await;
    assert_error(&forum, 400, 50035);
    assert_eq!(
        forum.field_code(&["flags"]).as_deref(),
        Some("BASE_TYPE_CHOICES")
    );
}
