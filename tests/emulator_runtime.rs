//! Runtime behaviour: rate limits as twilight experiences them, recording, fault injection, the
//! state file format and the standalone server.

mod emulator_support;

use std::time::Duration;

use emulator_support::{client, install_crypto, start};
use miyabi_guild::emulator::{
    Emulator, EmulatorConfig, Fault, GuildState, HeadersMode, RateLimits, RequestsExt, standalone,
};
use serde_json::json;
use twilight_http::request::AuditLogReason;

fn limited(headers: HeadersMode) -> EmulatorConfig {
    EmulatorConfig {
        rate_limits: RateLimits {
            enabled: true,
            limit: 2,
            window: Duration::from_millis(200),
            headers,
            ..RateLimits::default()
        },
        ..EmulatorConfig::default()
    }
}

async fn ten_role_creates(config: EmulatorConfig) -> Emulator {
    let state = GuildState::new_empty("Limits");
    let guild_id = state.guild_id();
    let token = state.token().to_owned();
    let emulator = Emulator::start(state, config).await.unwrap();
    let client = client(&emulator, &token);
    for index in 0..10 {
        let name = format!("role {index}");
        client.create_role(guild_id).name(&name).await.unwrap();
    }
    emulator
}

#[tokio::test]
async fn twilight_survives_real_429s_when_it_cannot_pace_itself() {
    let emulator = ten_role_creates(limited(HeadersMode::On429Only)).await;
    let requests = emulator.requests();
    assert_eq!(requests.writes(), 10);
    assert!(requests.rate_limited() >= 1, "{requests:#?}");
    assert_eq!(emulator.state().roles.len(), 12);
}

#[tokio::test]
async fn twilight_paces_itself_when_headers_are_always_sent() {
    let emulator = ten_role_creates(limited(HeadersMode::Always)).await;
    let requests = emulator.requests();
    assert_eq!(requests.writes(), 10);
    assert_eq!(requests.rate_limited(), 0, "{requests:#?}");
}

#[tokio::test]
async fn a_429_carries_every_header_twilight_needs() {
    let state = GuildState::new_empty("Headers");
    let token = state.token().to_owned();
    let emulator = Emulator::start(state, limited(HeadersMode::On429Only))
        .await
        .unwrap();
    let first =
        emulator_support::raw(&emulator, "GET", "/api/v10/users/@me", Some(&token), None).await;
    assert_eq!(
        first.header("x-ratelimit-limit"),
        None,
        "On429Only sends no headers on success"
    );
    emulator_support::raw(&emulator, "GET", "/api/v10/users/@me", Some(&token), None).await;
    let limited =
        emulator_support::raw(&emulator, "GET", "/api/v10/users/@me", Some(&token), None).await;
    assert_eq!(limited.status, 429);
    assert_eq!(limited.header("x-ratelimit-scope"), Some("user"));
    assert_eq!(limited.header("x-ratelimit-limit"), Some("2"));
    assert_eq!(limited.header("x-ratelimit-remaining"), Some("0"));
    assert!(limited.header("x-ratelimit-bucket").is_some());
    assert!(limited.header("x-ratelimit-reset").is_some());
    let reset_after: f64 = limited
        .header("x-ratelimit-reset-after")
        .unwrap()
        .parse()
        .unwrap();
    assert!(reset_after > 0.0 && reset_after <= 0.2);
    let retry_after: u64 = limited.header("retry-after").unwrap().parse().unwrap();
    assert_eq!(retry_after, 1);
    assert_eq!(limited.body["message"], "You are being rate limited.");
    assert_eq!(limited.body["global"], false);
    assert!(limited.body["retry_after"].as_f64().unwrap() > 0.0);
    // Another bucket is untouched.
    let other = emulator_support::raw(
        &emulator,
        "GET",
        "/api/v10/users/@me/guilds",
        Some(&token),
        None,
    )
    .await;
    assert_eq!(other.status, 200);
}

#[tokio::test]
async fn requests_are_recorded_with_routes_reasons_and_bodies() {
    let state = GuildState::new_empty("Recording");
    let guild_id = state.guild_id();
    let token = state.token().to_owned();
    let emulator = start(state).await;
    let client = client(&emulator, &token);
    client.roles(guild_id).await.unwrap();
    client
        .create_guild_channel(guild_id, "news desk")
        .reason("miyabi-guild apply: create #news-desk (100% safe)")
        .await
        .unwrap();
    let requests = emulator.requests();
    assert_eq!(requests.len(), 2);
    assert_eq!(requests[0].route, "GET /guilds/{guild_id}/roles");
    assert!(!requests[0].is_write());
    let create = &requests[1];
    assert_eq!(create.method, "POST");
    assert_eq!(create.path, format!("/api/v10/guilds/{guild_id}/channels"));
    assert_eq!(create.route, "POST /guilds/{guild_id}/channels");
    assert_eq!(create.status, 201);
    assert_eq!(
        create.audit_log_reason.as_deref(),
        Some("miyabi-guild apply: create #news-desk (100% safe)")
    );
    assert_eq!(create.body.as_ref().unwrap()["name"], "news desk");
    assert!(create.is_write());
    assert_eq!(requests.writes(), 1);
    assert_eq!(requests.count_route("POST /guilds/{guild_id}/channels"), 1);
    emulator.clear_requests();
    assert!(emulator.requests().is_empty());
}

#[tokio::test]
async fn injected_faults_fire_once() {
    let state = GuildState::new_empty("Faults");
    let guild_id = state.guild_id();
    let token = state.token().to_owned();
    let emulator = start(state).await;
    let client = client(&emulator, &token);

    emulator.inject(Fault::Fail {
        method: "POST".into(),
        route: "/guilds/{guild_id}/roles".into(),
        status: 500,
    });
    let error = client.create_role(guild_id).name("a").await.unwrap_err();
    assert!(error.to_string().contains("500"), "{error}");
    assert_eq!(
        emulator.state().roles.len(),
        2,
        "a failed request is not applied"
    );
    client.create_role(guild_id).name("a").await.unwrap();
    assert_eq!(emulator.state().roles.len(), 3);

    emulator.inject(Fault::LoseAnswer {
        method: "POST".into(),
        route: "POST /guilds/{guild_id}/roles".into(),
    });
    client.create_role(guild_id).name("b").await.unwrap_err();
    assert_eq!(
        emulator.state().roles.len(),
        4,
        "a lost answer was still applied"
    );
    client.create_role(guild_id).name("c").await.unwrap();
    let statuses: Vec<u16> = emulator
        .requests()
        .iter()
        .map(|request| request.status)
        .collect();
    assert_eq!(statuses, [500, 200, 500, 200]);
    assert_eq!(emulator.requests().writes(), 2);
}

#[tokio::test]
async fn state_json_round_trips_and_hand_written_state_loads() {
    let state = GuildState::new_empty("Round trip");
    let guild_id = state.guild_id();
    let token = state.token().to_owned();
    let emulator = start(state).await;
    let client = client(&emulator, &token);
    let category = client
        .create_guild_channel(guild_id, "Cat")
        .kind(twilight_model::channel::ChannelType::GuildCategory)
        .await
        .unwrap()
        .model()
        .await
        .unwrap();
    client
        .create_guild_channel(guild_id, "text")
        .parent_id(category.id)
        .await
        .unwrap();
    client
        .create_role(guild_id)
        .name("Mod")
        .color(0xff0000)
        .await
        .unwrap();
    let snapshot = emulator.state();
    let reloaded = GuildState::from_json(&snapshot.to_json()).unwrap();
    assert_eq!(reloaded, snapshot);

    let hand_written = json!({
        "token": "t",
        "bot_user_id": "200",
        "guild": {"id": "100", "name": "Hand", "owner_id": "201"},
        "roles": [{"id": "300", "name": "Bot", "permissions": 8, "position": 1, "managed": true}],
        "channels": [{"id": "400", "type": 4, "name": "Info"}, {"id": "401", "name": "rules", "parent_id": "400"}],
        "members": [{"user_id": "200", "roles": ["300"]}],
    });
    let state = GuildState::from_json(&hand_written.to_string()).unwrap();
    assert_eq!(state.roles().first().unwrap().id, state.everyone_role_id());
    assert!(state.next_snowflake > 401);
    assert!(
        state.user(state.bot_user_id()).is_some() && state.member(state.guild.owner_id).is_some()
    );
    let emulator = start(state).await;
    let client = emulator_support::client(&emulator, "t");
    let guild = client
        .guild(twilight_model::id::Id::new(100))
        .await
        .unwrap()
        .model()
        .await
        .unwrap();
    assert_eq!(guild.roles.len(), 2);
    let channels = client
        .guild_channels(guild.id)
        .await
        .unwrap()
        .models()
        .await
        .unwrap();
    assert_eq!(channels.len(), 2);
}

#[tokio::test]
async fn the_standalone_server_saves_state_after_writes() {
    install_crypto();
    let directory = tempfile::tempdir().unwrap();
    let state_file = directory.path().join("sandbox.json");
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let path = state_file.clone();
    let server =
        tokio::spawn(async move { standalone::run(port, &path, EmulatorConfig::default()).await });
    // Wait until the file exists and the port answers.
    let mut ready = false;
    for _ in 0..200 {
        if state_file.exists()
            && tokio::net::TcpStream::connect(("127.0.0.1", port))
                .await
                .is_ok()
        {
            ready = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    assert!(ready, "standalone server did not start");
    let state = GuildState::from_json(&std::fs::read_to_string(&state_file).unwrap()).unwrap();
    let client = twilight_http::Client::builder()
        .token(state.token().to_owned())
        .proxy(format!("127.0.0.1:{port}"), true)
        .build();
    client
        .create_guild_channel(state.guild_id(), "from ci")
        .await
        .unwrap();
    let saved = GuildState::from_json(&std::fs::read_to_string(&state_file).unwrap()).unwrap();
    assert!(saved.channel_named("from-ci").is_some());
    server.abort();
}
