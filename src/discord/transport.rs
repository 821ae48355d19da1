//! Sending one HTTP request and reading the whole answer: status, headers, body.
//!
//! twilight-http builds the requests (route paths, JSON bodies, the audit-log header), but it does
//! not send them: its response future retries every 429 by itself, at once and forever when its
//! rate limiter is off, and turns other failures into errors without the answer's headers
//! (twilight-http 0.18 `response/future.rs`). The scheduler in [`super::ratelimit`] must see every
//! answer, 429s included, with its headers, so requests go out here over the same HTTP stack
//! twilight uses (hyper 1 with rustls and the platform's certificate verifier).

use std::time::Duration;

use http::{HeaderMap, HeaderValue, header};
use http_body_util::{BodyExt, Full};
use hyper::body::Bytes;
use hyper_rustls::{ConfigBuilderExt, HttpsConnector};
use hyper_util::client::legacy::Client;
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::rt::TokioExecutor;
use twilight_http::request::{Method, Request};

use super::ApiTarget;

/// Discord wants `DiscordBot ($url, $versionNumber)`.
const USER_AGENT: &str = concat!(
    "DiscordBot (https://crates.io/crates/miyabi-guild, ",
    env!("CARGO_PKG_VERSION"),
    ")"
);

/// One answer, read to the end.
#[derive(Debug)]
pub struct Answer {
    pub status: u16,
    pub headers: HeaderMap,
    pub body: Vec<u8>,
}

/// The HTTP client of one [`super::Discord`].
pub struct Transport {
    client: Client<HttpsConnector<HttpConnector>, Full<Bytes>>,
    /// `https://discord.com/api/v10` or the emulator's.
    base: String,
    authorization: Option<HeaderValue>,
    timeout: Duration,
}

impl Transport {
    pub fn new(token: &str, target: &ApiTarget, timeout: Duration) -> Self {
        // The process installs one in `main`; tests and library users may not have.
        let _ = rustls::crypto::ring::default_provider().install_default();
        let mut http = HttpConnector::new();
        http.enforce_http(false);
        let connector = match rustls::ClientConfig::builder().try_with_platform_verifier() {
            Ok(config) => hyper_rustls::HttpsConnectorBuilder::new()
                .with_tls_config(config.with_no_client_auth())
                .https_or_http()
                .enable_http1()
                .enable_http2()
                .wrap_connector(http),
            // No usable certificate store: plain HTTP (the emulator) still works, HTTPS fails
            // with a transport error naming the request.
            Err(_) => hyper_rustls::HttpsConnectorBuilder::new()
                .with_tls_config(
                    rustls::ClientConfig::builder()
                        .with_root_certificates(rustls::RootCertStore::empty())
                        .with_no_client_auth(),
                )
                .https_or_http()
                .enable_http1()
                .wrap_connector(http),
        };
        let base = match target {
            ApiTarget::Discord => "https://discord.com".to_owned(),
            ApiTarget::Host { host, use_http } => {
                format!("{}://{host}", if *use_http { "http" } else { "https" })
            }
        };
        let token = if token.starts_with("Bot ") || token.starts_with("Bearer ") {
            token.to_owned()
        } else {
            format!("Bot {token}")
        };
        let authorization = HeaderValue::from_str(&token).ok().map(|mut value| {
            value.set_sensitive(true);
            value
        });
        Self {
            client: Client::builder(TokioExecutor::new()).build(connector),
            base: format!("{base}/api/v10"),
            authorization,
            timeout,
        }
    }

    /// `GET url` without the token (the CDN is public and must never see it), reading at most
    /// `max` bytes of the answer.
    pub async fn get_public(&self, url: &str, max: usize) -> Result<Answer, String> {
        let request = hyper::Request::builder()
            .method("GET")
            .uri(url)
            .header(header::USER_AGENT, USER_AGENT)
            .body(Full::default())
            .map_err(|e| e.to_string())?;
        let exchange = async {
            let response = self
                .client
                .request(request)
                .await
                .map_err(|e| describe_error(&e))?;
            let (parts, body) = response.into_parts();
            let body = http_body_util::Limited::new(body, max)
                .collect()
                .await
                .map_err(|e| format!("the answer is larger than {max} bytes or broke off: {e}"))?
                .to_bytes();
            Ok(Answer {
                status: parts.status.as_u16(),
                headers: parts.headers,
                body: body.to_vec(),
            })
        };
        match tokio::time::timeout(self.timeout, exchange).await {
            Ok(answer) => answer,
            Err(_) => Err(format!(
                "no answer within {} seconds",
                self.timeout.as_secs()
            )),
        }
    }

    /// Sends `request` and reads the answer; `Err` carries what went wrong on the way (no
    /// connection, a timeout), never the token.
    pub async fn send(&self, request: &Request) -> Result<Answer, String> {
        let url = format!("{}/{}", self.base, request.path());
        let mut builder = hyper::Request::builder()
            .method(request.method().name())
            .uri(url)
            .header(header::USER_AGENT, USER_AGENT);
        if let Some(authorization) = &self.authorization {
            builder = builder.header(header::AUTHORIZATION, authorization.clone());
        }
        if let Some(headers) = request.headers() {
            for (name, value) in headers {
                builder = builder.header(name, value.clone());
            }
        }
        let body = match (request.form(), request.body()) {
            // A multipart upload (stickers): twilight-http's form, with its boundary.
            (Some(form), _) => {
                let content_type = form.content_type();
                let bytes = form.clone().build();
                builder = builder
                    .header(header::CONTENT_TYPE, content_type)
                    .header(header::CONTENT_LENGTH, bytes.len());
                Full::from(bytes)
            }
            (None, Some(body)) => {
                builder = builder
                    .header(header::CONTENT_TYPE, "application/json")
                    .header(header::CONTENT_LENGTH, body.len());
                Full::from(body.to_vec())
            }
            (None, None) => {
                if matches!(request.method(), Method::Put | Method::Post | Method::Patch) {
                    builder = builder.header(header::CONTENT_LENGTH, 0);
                }
                Full::default()
            }
        };
        let request = builder.body(body).map_err(|e| e.to_string())?;
        let exchange = async {
            let response = self
                .client
                .request(request)
                .await
                .map_err(|e| describe_error(&e))?;
            let (parts, body) = response.into_parts();
            let body = body.collect().await.map_err(|e| e.to_string())?.to_bytes();
            Ok(Answer {
                status: parts.status.as_u16(),
                headers: parts.headers,
                body: body.to_vec(),
            })
        };
        match tokio::time::timeout(self.timeout, exchange).await {
            Ok(answer) => answer,
            Err(_) => Err(format!(
                "no answer within {} seconds",
                self.timeout.as_secs()
            )),
        }
    }
}

/// hyper's error with its cause (`client error (Connect): tcp connect error: Connection refused`).
fn describe_error(error: &dyn std::error::Error) -> String {
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}
