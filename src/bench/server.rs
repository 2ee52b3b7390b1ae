//! Talking to the server under test: one HTTP client, JSON helpers, and whether it is alive.

use std::time::{Duration, Instant};

use anyhow::Context;
use serde_json::Value as Json;

use super::http1::{Stamps, StreamClient};

/// The server could not be reached before the benchmark started (exit code 2).
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct Unreachable(pub String);

/// Responses read whole (not streamed) are capped: a server does not send more than this.
const MAX_BODY_BYTES: usize = 64 * 1024 * 1024;

#[derive(Clone)]
pub struct Server {
    /// `http://127.0.0.1:8080`, without a trailing slash.
    pub base: String,
    /// The base URL's path (`""` or `/prefix`), for requests sent by `stream`.
    base_path: String,
    pub client: reqwest::Client,
    /// For streamed completions: stamps each token with when it arrived.
    pub stream: StreamClient,
    /// `host:port`, for the liveness probe.
    address: String,
}

impl Server {
    pub fn new(url: &str, max_connections: usize) -> anyhow::Result<Server> {
        let parsed = reqwest::Url::parse(url)
            .with_context(|| format!("`{url}` is not a URL (expected http://HOST:PORT)"))?;
        if parsed.scheme() != "http" {
            anyhow::bail!("`{url}`: only http:// servers are supported");
        }
        let host = parsed
            .host_str()
            .with_context(|| format!("`{url}` has no host"))?;
        let port = parsed.port_or_known_default().unwrap_or(80);
        let client = reqwest::Client::builder()
            // The server under test is addressed directly; a proxy would distort timings.
            .no_proxy()
            .tcp_nodelay(true)
            .connect_timeout(Duration::from_secs(10))
            .pool_max_idle_per_host(max_connections.max(1))
            .build()
            .context("cannot set up the HTTP client")?;
        let address = format!("{host}:{port}");
        Ok(Server {
            base: url.trim_end_matches('/').to_string(),
            base_path: parsed.path().trim_end_matches('/').to_string(),
            client,
            stream: StreamClient::new(address.clone(), max_connections, Stamps::Kernel),
            address,
        })
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// The request target for `path` under the base URL, for `stream`.
    pub fn target(&self, path: &str) -> String {
        format!("{}{path}", self.base_path)
    }

    /// Fails with [`Unreachable`] when nothing answers at the address.
    pub async fn ensure_reachable(&self) -> anyhow::Result<()> {
        match tokio::time::timeout(
            Duration::from_secs(10),
            tokio::net::TcpStream::connect(&self.address),
        )
        .await
        {
            Ok(Ok(_)) => Ok(()),
            Ok(Err(e)) => Err(Unreachable(format!(
                "cannot reach the server at {}: {e}; is it running?",
                self.base
            ))
            .into()),
            Err(_) => Err(Unreachable(format!(
                "cannot reach the server at {}: no answer within 10 s",
                self.base
            ))
            .into()),
        }
    }

    /// Whether the server still accepts connections (asked after a request failed).
    pub async fn alive(&self) -> bool {
        matches!(
            tokio::time::timeout(
                Duration::from_secs(2),
                tokio::net::TcpStream::connect(&self.address)
            )
            .await,
            Ok(Ok(_))
        )
    }

    pub async fn get_json(&self, path: &str) -> anyhow::Result<Json> {
        let response = self.client.get(self.url(path)).send().await;
        read_json(&self.url(path), response).await
    }

    pub async fn post_json(&self, path: &str, body: &Json) -> anyhow::Result<Json> {
        let response = self.client.post(self.url(path)).json(body).send().await;
        read_json(&self.url(path), response).await
    }
}

async fn read_json(
    url: &str,
    response: reqwest::Result<reqwest::Response>,
) -> anyhow::Result<Json> {
    let response = response.map_err(|e| anyhow::anyhow!("{url}: {}", error_chain(&e)))?;
    let status = response.status();
    let body = read_capped(response)
        .await
        .map_err(|e| anyhow::anyhow!("{url}: {e}"))?;
    if !status.is_success() {
        anyhow::bail!("{url}: HTTP {status}: {}", excerpt(&body));
    }
    serde_json::from_slice(&body)
        .with_context(|| format!("{url}: response is not JSON: {}", excerpt(&body)))
}

/// The body, refusing more than [`MAX_BODY_BYTES`].
pub async fn read_capped(mut response: reqwest::Response) -> Result<Vec<u8>, String> {
    let mut body = Vec::new();
    while let Some(chunk) = response.chunk().await.map_err(|e| error_chain(&e))? {
        if body.len() + chunk.len() > MAX_BODY_BYTES {
            return Err(format!("response is over {MAX_BODY_BYTES} bytes"));
        }
        body.extend_from_slice(&chunk);
    }
    Ok(body)
}

/// Sends a request built by `build`, once more if a kept-alive connection turned out to be
/// closed by the server before it answered (a race every HTTP client meets). Returns when the
/// request that got an answer was sent.
pub async fn send(
    build: impl Fn() -> reqwest::RequestBuilder,
) -> (Instant, reqwest::Result<reqwest::Response>) {
    let mut sent = Instant::now();
    let mut result = build().send().await;
    if let Err(e) = &result
        && !e.is_connect()
        && !e.is_timeout()
        && e.is_request()
    {
        sent = Instant::now();
        result = build().send().await;
    }
    (sent, result)
}

/// The start of a body, for error messages.
pub fn excerpt(body: &[u8]) -> String {
    let text = String::from_utf8_lossy(body);
    let text = text.trim();
    match text.char_indices().nth(200) {
        Some((i, _)) => format!("{}…", &text[..i]),
        None => text.to_string(),
    }
}

/// An error with its causes: reqwest's own message alone rarely says what happened.
pub fn error_chain(e: &dyn std::error::Error) -> String {
    let mut out = e.to_string();
    let mut source = e.source();
    while let Some(s) = source {
        let text = s.to_string();
        if !out.contains(&text) {
            out.push_str(": ");
            out.push_str(&text);
        }
        source = s.source();
    }
    out
}
