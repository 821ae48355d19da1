//! The emulator's guild images and CDN: formats and features checked like Discord documents
//! them, uploads served back byte for byte at the CDN paths, stale hashes 404.

mod emulator_support;

use emulator_support::{Server, assert_error, state_with};
use miyabi_guild::discord::{ApiTarget, Discord};
use serde_json::json;

const PNG: &str = "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==";
const GIF: &str =
    "data:image/gif;base64,R0lGODlhAQABAIAAAP8AAAAAACH5BAAAAAAALAAAAAABAAEAAAICRAEAOw==";

fn client(server: &Server) -> Discord {
    Discord::new(
        &server.token,
        ApiTarget::Host {
            host: server.emulator.host(),
            use_http: true,
        },
    )
}

#[tokio::test]
async fn images_need_their_features_and_formats() {
    let server = Server::start(state_with(|_| {})).await;
    let response = server
        .send(
            "PATCH",
            "/guilds/{guild}",
            Some(json!({
                "icon": GIF,
                "banner": PNG,
                "splash": PNG,
                "discovery_splash": PNG,
            })),
        )
        .await;
    assert_error(&response, 400, 50035);
    for field in ["icon", "banner", "splash", "discovery_splash"] {
        assert_eq!(
            response.field_code(&[field]).as_deref(),
            Some("GUILD_FEATURE_REQUIRED"),
            "{field}: {:#}",
            response.body
        );
    }
    assert_eq!(server.state().guild.icon, None, "nothing was applied");

    // With the features: a GIF splash is still not an accepted format; not image data at all is
    // IMAGE_INVALID.
    let server = Server::start(state_with(|value| {
        value["guild"]["features"] = json!(["INVITE_SPLASH", "BANNER"]);
    }))
    .await;
    let response = server
        .send(
            "PATCH",
            "/guilds/{guild}",
            Some(json!({ "splash": GIF, "banner": "https://example.com/a.png" })),
        )
        .await;
    assert_error(&response, 400, 50035);
    assert_eq!(
        response.field_code(&["splash"]).as_deref(),
        Some("IMAGE_INVALID")
    );
    assert_eq!(
        response.field_code(&["banner"]).as_deref(),
        Some("IMAGE_INVALID")
    );
}

#[tokio::test]
async fn the_cdn_serves_what_was_uploaded_and_nothing_stale() {
    let server = Server::start(state_with(|_| {})).await;
    let body = server
        .ok("PATCH", "/guilds/{guild}", Some(json!({ "icon": PNG })))
        .await;
    let hash = body["icon"].as_str().expect("an icon hash").to_owned();
    assert_eq!(hash.len(), 32);
    let discord = client(&server);
    let bytes = discord
        .cdn_asset(format!("icons/{}/{hash}.png", server.id))
        .await
        .expect("the CDN serves the icon");
    assert_eq!(
        miyabi_guild::images::digest(&bytes),
        miyabi_guild::images::data_uri_digest(PNG).unwrap()
    );
    let recorded = server.emulator.requests();
    let cdn = recorded.last().unwrap();
    assert_eq!(cdn.route, "GET /icons/{guild_id}/{hash}");
    assert_eq!(cdn.status, 200);

    // Removed: the old hash is a 404, which the client reports as an impossible answer.
    server
        .ok("PATCH", "/guilds/{guild}", Some(json!({ "icon": null })))
        .await;
    let error = discord
        .cdn_asset(format!("icons/{}/{hash}.png", server.id))
        .await
        .expect_err("stale");
    assert!(error.to_string().contains("404"), "{error}");
    // Another guild's path, an unknown folder.
    assert!(
        discord
            .cdn_asset(format!("icons/1/{hash}.png"))
            .await
            .is_err()
    );
}
