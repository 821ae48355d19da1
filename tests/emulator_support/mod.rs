//! Helpers shared by the emulator test binaries: a twilight client pointed at an emulator and a
//! minimal raw HTTP/1.1 client for requests twilight would refuse to send (bad tokens, bad JSON).

#![allow(dead_code)]

use miyabi_guild::emulator::{Emulator, EmulatorConfig, GuildState, RateLimits};
use serde_json::Value;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

pub fn install_crypto() {
    let _ = rustls::crypto::ring::default_provider().install_default();
}

/// An emulator with rate limits off (tests of rate limits configure their own).
pub async fn start(state: GuildState) -> Emulator {
    let config = EmulatorConfig {
        rate_limits: RateLimits::disabled(),
        ..EmulatorConfig::default()
    };
    Emulator::start(state, config).await.unwrap()
}

/// A twilight client for the emulator, as the CLI builds it.
pub fn client(emulator: &Emulator, token: &str) -> twilight_http::Client {
    install_crypto();
    twilight_http::Client::builder()
        .token(token.to_owned())
        .proxy(emulator.host(), true)
        .build()
}

/// A raw response: status, lowercase header pairs and the JSON body (`Null` when empty).
pub struct Raw {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Value,
}

impl Raw {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(key, _)| key == name)
            .map(|(_, value)| value.as_str())
    }

    /// The `_errors[0].code` at a JSON path under `errors`.
    pub fn field_code(&self, path: &[&str]) -> Option<String> {
        let mut node = &self.body["errors"];
        for segment in path {
            node = &node[*segment];
        }
        node["_errors"][0]["code"].as_str().map(str::to_owned)
    }
}

/// Sends one request over a fresh connection. `token: None` sends no Authorization header.
pub async fn raw(
    emulator: &Emulator,
    method: &str,
    path: &str,
    token: Option<&str>,
    body: Option<&str>,
) -> Raw {
    let mut stream = TcpStream::connect(emulator.addr()).await.unwrap();
    let mut request = format!(
        "{method} {path} HTTP/1.1\r\nHost: {}\r\nConnection: close\r\n",
        emulator.host()
    );
    if let Some(token) = token {
        request.push_str(&format!("Authorization: Bot {token}\r\n"));
    }
    let body = body.unwrap_or("");
    request.push_str(&format!(
        "Content-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    ));
    stream.write_all(request.as_bytes()).await.unwrap();
    let mut response = Vec::new();
    stream.read_to_end(&mut response).await.unwrap();
    let text = String::from_utf8(response).unwrap();
    let (head, rest) = text.split_once("\r\n\r\n").unwrap();
    let mut lines = head.lines();
    let status = lines
        .next()
        .unwrap()
        .split(' ')
        .nth(1)
        .unwrap()
        .parse()
        .unwrap();
    let headers: Vec<(String, String)> = lines
        .filter_map(|line| line.split_once(':'))
        .map(|(key, value)| (key.trim().to_ascii_lowercase(), value.trim().to_owned()))
        .collect();
    let chunked = headers
        .iter()
        .any(|(key, value)| key == "transfer-encoding" && value.contains("chunked"));
    let payload = if chunked {
        dechunk(rest)
    } else {
        rest.to_owned()
    };
    let body = if payload.is_empty() {
        Value::Null
    } else {
        serde_json::from_str(&payload).unwrap()
    };
    Raw {
        status,
        headers,
        body,
    }
}

fn dechunk(mut text: &str) -> String {
    let mut out = String::new();
    while let Some((size, rest)) = text.split_once("\r\n") {
        let size = usize::from_str_radix(size.trim(), 16).unwrap_or(0);
        if size == 0 {
            break;
        }
        out.push_str(&rest[..size]);
        text = &rest[size + 2..];
    }
    out
}

/// A new empty guild edited as JSON (the hand-written state format), then loaded.
pub fn state_with(edit: impl FnOnce(&mut Value)) -> GuildState {
    let mut value: Value = serde_json::from_str(&GuildState::new_empty("Test").to_json()).unwrap();
    edit(&mut value);
    GuildState::from_json(&value.to_string()).unwrap()
}

/// Sets the bot's role permissions (so it is no longer an administrator).
pub fn set_bot_permissions(value: &mut Value, bits: u64) {
    let roles = value["roles"].as_array_mut().unwrap();
    let bot_role = roles
        .iter_mut()
        .find(|role| role["managed"] == true)
        .unwrap();
    bot_role["permissions"] = serde_json::json!(bits.to_string());
}

/// A running emulator plus what raw requests need; `{guild}` in paths is the guild id.
pub struct Server {
    pub emulator: Emulator,
    pub token: String,
    pub id: String,
}

impl Server {
    pub async fn start(state: GuildState) -> Self {
        let token = state.token().to_owned();
        let id = state.guild_id().to_string();
        Self {
            emulator: start(state).await,
            token,
            id,
        }
    }

    pub async fn send(&self, method: &str, path: &str, body: Option<Value>) -> Raw {
        let path = format!("/api/v10{}", path.replace("{guild}", &self.id));
        let body = body.map(|body| body.to_string());
        raw(
            &self.emulator,
            method,
            &path,
            Some(&self.token),
            body.as_deref(),
        )
        .await
    }

    /// Sends and expects a 2xx, returning the body.
    pub async fn ok(&self, method: &str, path: &str, body: Option<Value>) -> Value {
        let response = self.send(method, path, body).await;
        assert!(
            response.status < 300,
            "{method} {path}: {} {:#}",
            response.status,
            response.body
        );
        response.body
    }

    pub fn state(&self) -> GuildState {
        self.emulator.state()
    }
}

#[track_caller]
pub fn assert_error(response: &Raw, status: u16, code: u64) {
    assert_eq!(response.status, status, "{:#}", response.body);
    assert_eq!(response.body["code"], code, "{:#}", response.body);
}
