//! The server under test: where it is, whether it answers, and its JSON endpoints.

use std::time::Duration;

use anyhow::Context;
use hyper::Method;
use hyper::body::Bytes;
use serde_json::Value as Json;

use super::client::{Client, Error};
use super::stamped_tcp::Stamps;

/// The server could not be reached before the benchmark started (exit code 2).
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct Unreachable(pub String);

/// A request got no answer within its deadline: the server is stuck, not merely lacking an
/// endpoint, so there is no point asking it something else instead.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct NoAnswer(pub String);

impl NoAnswer {
    /// Whether `error` is, or was caused by, a request that got no answer.
    pub fn caused(error: &anyhow::Error) -> bool {
        error.chain().any(|e| e.is::<NoAnswer>())
    }
}

/// Responses read whole (not streamed) are capped: a server does not send more than this.
const MAX_BODY_BYTES: usize = 64 * 1024 * 1024;
/// Longest a JSON endpoint (models, props, tokenize) or the first answer may take, however
/// long `--timeout` allows a request.
const JSON_DEADLINE: Duration = Duration::from_secs(60);
/// How long connecting may take before the server counts as unreachable.
const PROBE_DEADLINE: Duration = Duration::from_secs(10);
/// What the reachability probe asks for: any HTTP answer will do, even a 404.
const PROBE_PATH: &str = "/health";
/// How long connecting may take before the server counts as gone, after a request failed.
const ALIVE_DEADLINE: Duration = Duration::from_secs(2);

#[derive(Clone)]
pub struct Server {
    /// `http://127.0.0.1:8080`, without a trailing slash.
    pub base: String,
    /// The base URL's path (`""` or `/prefix`), which every request target starts with.
    base_path: String,
    /// Every request goes through it; streamed ones are stamped with when each piece arrived.
    pub http: Client,
    /// `host:port`, for the reachability probes.
    address: String,
    /// How long a request may take (`--timeout`).
    timeout: Duration,
}

impl Server {
    /// The server at `url`, with room for `max_connections` kept-alive connections, whose
    /// requests may take up to `timeout` (`--timeout`).
    pub fn new(url: &str, max_connections: usize, timeout: Duration) -> anyhow::Result<Server> {
        let parsed: hyper::Uri = url
            .parse()
            .with_context(|| format!("`{url}` is not a URL (expected http://HOST:PORT)"))?;
        if parsed.scheme_str() != Some("http") {
            anyhow::bail!("`{url}`: only http:// servers are supported");
        }
        let host = parsed
            .host()
            .with_context(|| format!("`{url}` has no host"))?;
        let address = format!("{host}:{}", parsed.port_u16().unwrap_or(80));
        Ok(Server {
            base: url.trim_end_matches('/').to_string(),
            base_path: parsed.path().trim_end_matches('/').to_string(),
            http: Client::new(address.clone(), max_connections, Stamps::Kernel),
            address,
            timeout,
        })
    }

    /// How long the probe and the JSON endpoints may take: `--timeout`, at most a minute.
    fn deadline(&self) -> Duration {
        self.timeout.min(JSON_DEADLINE)
    }

    /// `no answer within 3 s (--timeout)`: what a request that ran past
    /// [`deadline`](Self::deadline) is told.
    fn no_answer(&self) -> String {
        let deadline = self.deadline();
        let flag = if deadline == self.timeout {
            " (--timeout)"
        } else {
            ""
        };
        format!(
            "no answer within {} s{flag}",
            crate::terminal::number(deadline.as_secs_f64())
        )
    }

    /// The request target for `path` under the base URL.
    pub fn target(&self, path: &str) -> String {
        format!("{}{path}", self.base_path)
    }

    /// Fails with [`Unreachable`] when nothing answers at the address: no connection, or a
    /// connection that gets no HTTP answer (of any status) within the deadline.
    pub async fn ensure_reachable(&self) -> anyhow::Result<()> {
        let unreachable = |why: String| {
            Err(Unreachable(format!("cannot reach the server at {}: {why}", self.base)).into())
        };
        match tokio::time::timeout(
            PROBE_DEADLINE,
            tokio::net::TcpStream::connect(&self.address),
        )
        .await
        {
            Ok(Ok(_)) => {}
            Ok(Err(e)) => return unreachable(format!("{e}; is it running?")),
            Err(_) => {
                return unreachable(format!(
                    "no connection within {} s",
                    PROBE_DEADLINE.as_secs()
                ));
            }
        }
        let target = self.target(PROBE_PATH);
        let probe = self.http.send(Method::GET, &target, None);
        match tokio::time::timeout(self.deadline(), probe).await {
            Ok(Ok(_)) => Ok(()),
            Ok(Err(e)) => unreachable(format!("{e}; is it an HTTP server?")),
            Err(_) => unreachable(format!(
                "it accepts connections but sent {}; is it stuck?",
                self.no_answer()
            )),
        }
    }

    /// Whether the server still accepts connections (asked after a request failed).
    pub async fn alive(&self) -> bool {
        matches!(
            tokio::time::timeout(
                ALIVE_DEADLINE,
                tokio::net::TcpStream::connect(&self.address)
            )
            .await,
            Ok(Ok(_))
        )
    }

    /// Sends a request to `path` under the base URL and reads the whole answer: its status
    /// and body. The caller sets the deadline.
    pub async fn fetch(
        &self,
        method: Method,
        path: &str,
        json: Option<Bytes>,
    ) -> Result<(u16, Vec<u8>), Error> {
        let (_, response) = self.http.send(method, &self.target(path), json).await?;
        let status = response.status;
        let body = response.read_capped(MAX_BODY_BYTES + 1).await?;
        if body.len() > MAX_BODY_BYTES {
            return Err(Error::Malformed(format!(
                "the response is over {MAX_BODY_BYTES} bytes"
            )));
        }
        Ok((status, body))
    }

    pub async fn get_json(&self, path: &str) -> anyhow::Result<Json> {
        self.json(Method::GET, path, None).await
    }

    pub async fn post_json(&self, path: &str, body: &Json) -> anyhow::Result<Json> {
        let body = Bytes::from(serde_json::to_vec(body)?);
        self.json(Method::POST, path, Some(body)).await
    }

    async fn json(&self, method: Method, path: &str, body: Option<Bytes>) -> anyhow::Result<Json> {
        let url = format!("{}{path}", self.base);
        let (status, body) = tokio::time::timeout(self.deadline(), self.fetch(method, path, body))
            .await
            .map_err(|_| NoAnswer(format!("{url}: {}", self.no_answer())))?
            .map_err(|e| anyhow::anyhow!("{url}: {e}"))?;
        if !(200..300).contains(&status) {
            anyhow::bail!("{url}: HTTP {status}: {}", excerpt(&body));
        }
        serde_json::from_slice(&body)
            .with_context(|| format!("{url}: response is not JSON: {}", excerpt(&body)))
    }
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
