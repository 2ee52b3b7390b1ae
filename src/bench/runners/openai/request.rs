//! One streaming completion request, timed as `vllm bench serve` times it: the clock starts
//! when the request is sent, and every chunk that carries a token (any `choices` for
//! `/v1/completions`; a `delta` with text for `/v1/chat/completions`) is stamped with when its
//! bytes reached this machine (the kernel's receive time), so the client's own scheduling
//! under hundreds of concurrent streams stays out of the inter-token latencies.

use std::time::{Duration, Instant};

use hyper::Method;
use hyper::body::Bytes;
use serde::Deserialize;
use serde::de::{Deserializer, SeqAccess, Visitor};

use crate::bench::driver::Failure;
use crate::bench::transport::{Client, SseDecoder, SseError, SseEvent, excerpt};

/// Which OpenAI endpoint requests go to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Api {
    /// `/v1/completions`: a prompt; every chunk with `choices` is a token chunk.
    #[default]
    Completions,
    /// `/v1/chat/completions`: one user message; every chunk whose `delta` carries text
    /// (`content`, or a reasoning model's `reasoning_content`) is a token chunk.
    Chat,
}

impl Api {
    /// The request target under the server's base URL.
    pub fn path(self) -> &'static str {
        match self {
            Api::Completions => "/v1/completions",
            Api::Chat => "/v1/chat/completions",
        }
    }

    /// As `--api` and the `api` row name it.
    pub fn name(self) -> &'static str {
        match self {
            Api::Completions => "completions",
            Api::Chat => "chat",
        }
    }
}

/// A request ready to send: its body, and its prompt's length in tokens as measured when it
/// was made (what a chat stream without `usage` is estimated with).
#[derive(Debug, Clone)]
pub struct Prompt {
    pub body: Bytes,
    pub tokens: u64,
}

/// A request that streamed to its end.
#[derive(Debug, Clone, PartialEq)]
pub struct Completion {
    /// When the request was sent.
    pub sent: Instant,
    /// Seconds from sending to the first chunk with `choices`.
    pub ttft: f64,
    /// Seconds between consecutive chunks with `choices`.
    pub itl: Vec<f64>,
    /// Seconds from sending to the last chunk with `choices`.
    pub latency: f64,
    /// From the server's `usage`.
    pub prompt_tokens: u64,
    pub output_tokens: u64,
    /// A chat stream without `usage`: the prompt's length as measured when it was made, and
    /// one token per chunk.
    pub usage_estimated: bool,
}

/// One chunk of the stream, read in place: nothing it holds is copied out of the event.
#[derive(Deserialize)]
struct Chunk {
    #[serde(default)]
    choices: Choices,
    #[serde(default)]
    usage: Option<Usage>,
    #[serde(default)]
    error: Option<serde_json::Value>,
}

/// What a chunk's `choices` hold, counted as they are read rather than kept: whether there
/// is any choice, and whether any choice's delta (chat only) carries text.
#[derive(Default)]
struct Choices {
    any: bool,
    text: bool,
}

impl<'de> Deserialize<'de> for Choices {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Choices, D::Error> {
        struct List;
        impl<'de> Visitor<'de> for List {
            type Value = Choices;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a list of choices")
            }
            fn visit_unit<E>(self) -> Result<Choices, E> {
                Ok(Choices::default())
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Choices, A::Error> {
                let mut seen = Choices::default();
                while let Some(choice) = seq.next_element::<Choice>()? {
                    seen.any = true;
                    seen.text |= choice.delta.is_some_and(|d| d.has_text());
                }
                Ok(seen)
            }
        }
        d.deserialize_any(List)
    }
}

#[derive(Deserialize)]
struct Choice {
    /// Chat only.
    #[serde(default)]
    delta: Option<Delta>,
}

#[derive(Deserialize)]
struct Delta {
    #[serde(default)]
    content: HasText,
    #[serde(default)]
    reasoning_content: HasText,
    #[serde(default)]
    reasoning: HasText,
}

impl Delta {
    fn has_text(&self) -> bool {
        self.content.0 || self.reasoning_content.0 || self.reasoning.0
    }
}

/// Whether a string field is there and not empty (`null` is empty), read without copying it.
#[derive(Default)]
struct HasText(bool);

impl<'de> Deserialize<'de> for HasText {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<HasText, D::Error> {
        struct Text;
        impl Visitor<'_> for Text {
            type Value = HasText;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a string or null")
            }
            fn visit_str<E>(self, text: &str) -> Result<HasText, E> {
                Ok(HasText(!text.is_empty()))
            }
            fn visit_unit<E>(self) -> Result<HasText, E> {
                Ok(HasText(false))
            }
        }
        d.deserialize_any(Text)
    }
}

impl Chunk {
    /// Whether the chunk carries a token: any choice for completions; for chat, a choice whose
    /// delta has text (not the role announcement, nor the closing empty delta).
    fn has_token(&self, api: Api) -> bool {
        match api {
            Api::Completions => self.choices.any,
            Api::Chat => self.choices.text,
        }
    }
}

#[derive(Deserialize)]
struct Usage {
    prompt_tokens: Option<u64>,
    completion_tokens: Option<u64>,
}

/// The state of one stream as chunks arrive.
struct Timing {
    api: Api,
    sent: Instant,
    first: Option<Instant>,
    last: Option<Instant>,
    itl: Vec<f64>,
    usage: Option<(u64, u64)>,
    done: bool,
}

impl Timing {
    fn new(sent: Instant, api: Api) -> Timing {
        Timing {
            api,
            sent,
            first: None,
            last: None,
            itl: Vec::new(),
            usage: None,
            done: false,
        }
    }

    fn event(&mut self, event: SseEvent<'_>, at: Instant) -> Result<(), Failure> {
        let payload = match event {
            SseEvent::Error(e) => {
                return Err(Failure::Malformed(format!("server error in stream: {e}")));
            }
            SseEvent::Data(d) => d,
        };
        if payload.trim() == "[DONE]" {
            self.done = true;
            return Ok(());
        }
        let chunk: Chunk = serde_json::from_str(payload).map_err(|e| {
            Failure::Malformed(format!(
                "invalid JSON in stream ({e}): {}",
                excerpt(payload.as_bytes())
            ))
        })?;
        if let Some(error) = chunk.error {
            return Err(Failure::Malformed(format!(
                "server error in stream: {error}"
            )));
        }
        if chunk.has_token(self.api) {
            match self.last {
                None => self.first = Some(at),
                Some(last) => self.itl.push(at.duration_since(last).as_secs_f64()),
            }
            self.last = Some(at);
        }
        if let Some(u) = chunk.usage
            && let Some(out) = u.completion_tokens
        {
            self.usage = Some((u.prompt_tokens.unwrap_or(0), out));
        }
        Ok(())
    }

    /// The completion, once `[DONE]` came. `prompt_tokens` is the prompt's measured length,
    /// used when a chat stream reports no usage.
    fn finish(self, prompt_tokens: u64) -> Result<Completion, Failure> {
        if !self.done {
            return Err(Failure::Malformed("stream ended without [DONE]".into()));
        }
        let (Some(first), Some(last)) = (self.first, self.last) else {
            return Err(Failure::Malformed(
                "no completion chunk before [DONE]".into(),
            ));
        };
        let (usage, usage_estimated) = match (self.usage, self.api) {
            (Some(usage), _) => (usage, false),
            (None, Api::Chat) => ((prompt_tokens, self.itl.len() as u64 + 1), true),
            (None, Api::Completions) => {
                return Err(Failure::Malformed(
                    "the stream reported no usage (completion_tokens)".into(),
                ));
            }
        };
        Ok(Completion {
            sent: self.sent,
            ttft: first.duration_since(self.sent).as_secs_f64(),
            itl: self.itl,
            latency: last.duration_since(self.sent).as_secs_f64(),
            prompt_tokens: usage.0,
            output_tokens: usage.1,
            usage_estimated,
        })
    }
}

/// Longest wait for the end of a body after `[DONE]`, before the connection is dropped
/// instead of reused.
const RELEASE_LIMIT: Duration = Duration::from_secs(2);
/// An error response is quoted up to this many bytes.
const ERROR_BODY_BYTES: usize = 64 * 1024;

/// Sends `body` to `target` (a `/v1/completions` path) and times the stream.
pub async fn stream_completion(
    client: &Client,
    target: &str,
    body: Bytes,
) -> Result<Completion, Failure> {
    stream(client, Api::Completions, target, Prompt { body, tokens: 0 }).await
}

/// Sends `prompt` to `target` (the `api`'s path under the base URL) and times the stream.
pub async fn stream(
    client: &Client,
    api: Api,
    target: &str,
    prompt: Prompt,
) -> Result<Completion, Failure> {
    let (sent, mut response) = client.send(Method::POST, target, Some(prompt.body)).await?;
    if !(200..300).contains(&response.status) {
        let status = response.status;
        let text = response
            .read_capped(ERROR_BODY_BYTES)
            .await
            .unwrap_or_default();
        return Err(Failure::Status(status, excerpt(&text)));
    }
    let mut timing = Timing::new(sent, api);
    let mut decoder = SseDecoder::default();
    while let Some((piece, at)) = response.next().await? {
        decoder.feed(&piece, |event| timing.event(event, at))?;
        if timing.done {
            let result = timing.finish(prompt.tokens);
            response.release(RELEASE_LIMIT).await;
            return result;
        }
    }
    let at = Instant::now();
    decoder.finish(|event| timing.event(event, at))?;
    timing.finish(prompt.tokens)
}

impl From<SseError> for Failure {
    fn from(e: SseError) -> Failure {
        Failure::Malformed(e.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn data(s: &str) -> SseEvent<'_> {
        SseEvent::Data(s)
    }

    #[test]
    fn times_chunks_with_choices_only() {
        let t0 = Instant::now();
        let ms = |n| t0 + Duration::from_millis(n);
        let mut t = Timing::new(t0, Api::Completions);
        t.event(data(r#"{"choices":[{"text":"a"}]}"#), ms(100))
            .unwrap();
        t.event(data(r#"{"choices":[{"text":""}]}"#), ms(130))
            .unwrap();
        t.event(data(r#"{"choices":[{"text":"b"}]}"#), ms(180))
            .unwrap();
        // The usage chunk has no choices: it is not a token.
        t.event(
            data(r#"{"choices":[],"usage":{"prompt_tokens":12,"completion_tokens":3}}"#),
            ms(900),
        )
        .unwrap();
        t.event(data("[DONE]"), ms(950)).unwrap();
        let c = t.finish(0).unwrap();
        assert!((c.ttft - 0.1).abs() < 1e-9);
        assert_eq!(c.itl.len(), 2);
        assert!((c.itl[0] - 0.03).abs() < 1e-9 && (c.itl[1] - 0.05).abs() < 1e-9);
        assert!((c.latency - 0.18).abs() < 1e-9);
        assert_eq!((c.prompt_tokens, c.output_tokens), (12, 3));
    }

    #[test]
    fn malformed_streams_fail_with_a_reason() {
        let t0 = Instant::now();
        let mut t = Timing::new(t0, Api::Completions);
        let e = t.event(data("{not json"), t0).unwrap_err();
        assert!(e.to_string().contains("invalid JSON"), "{e}");

        let mut t = Timing::new(t0, Api::Completions);
        t.event(data(r#"{"choices":[{"text":"a"}]}"#), t0).unwrap();
        assert_eq!(
            t.finish(0).unwrap_err(),
            Failure::Malformed("stream ended without [DONE]".into())
        );

        let mut t = Timing::new(t0, Api::Completions);
        t.event(data(r#"{"choices":[{"text":"a"}]}"#), t0).unwrap();
        t.event(data("[DONE]"), t0).unwrap();
        assert!(t.finish(0).unwrap_err().to_string().contains("no usage"));

        let mut t = Timing::new(t0, Api::Completions);
        let e = t
            .event(data(r#"{"error":{"message":"context overflow"}}"#), t0)
            .unwrap_err();
        assert!(e.to_string().contains("context overflow"), "{e}");

        // Text that is not a string, and choices that are not a list, are not a stream.
        let mut t = Timing::new(t0, Api::Chat);
        let e = t
            .event(data(r#"{"choices":[{"delta":{"content":5}}]}"#), t0)
            .unwrap_err();
        assert!(e.to_string().contains("invalid JSON"), "{e}");
        let e = t.event(data(r#"{"choices":"a"}"#), t0).unwrap_err();
        assert!(e.to_string().contains("invalid JSON"), "{e}");
    }

    #[test]
    fn chat_times_deltas_with_text_only() {
        let t0 = Instant::now();
        let ms = |n| t0 + Duration::from_millis(n);
        let mut t = Timing::new(t0, Api::Chat);
        // llama-server and vLLM announce the role first; it is not a token.
        let role = r#"{"choices":[{"index":0,"delta":{"role":"assistant","content":null}}]}"#;
        t.event(data(role), ms(90)).unwrap();
        t.event(data(r#"{"choices":[{"delta":{"content":"Hi"}}]}"#), ms(100))
            .unwrap();
        t.event(data(r#"{"choices":[{"delta":{"content":""}}]}"#), ms(110))
            .unwrap();
        t.event(
            data(r#"{"choices":[{"delta":{"reasoning_content":"hmm"}}]}"#),
            ms(150),
        )
        .unwrap();
        t.event(
            data(r#"{"choices":[{"delta":{},"finish_reason":"length"}]}"#),
            ms(160),
        )
        .unwrap();
        t.event(
            data(r#"{"choices":[],"usage":{"prompt_tokens":30,"completion_tokens":2}}"#),
            ms(170),
        )
        .unwrap();
        t.event(data("[DONE]"), ms(180)).unwrap();
        let c = t.finish(20).unwrap();
        assert!((c.ttft - 0.1).abs() < 1e-9);
        assert_eq!(c.itl.len(), 1);
        assert!((c.itl[0] - 0.05).abs() < 1e-9);
        assert!((c.latency - 0.15).abs() < 1e-9);
        assert_eq!((c.prompt_tokens, c.output_tokens), (30, 2));
        assert!(!c.usage_estimated);
    }

    #[test]
    fn a_chat_stream_without_usage_is_estimated() {
        let t0 = Instant::now();
        let mut t = Timing::new(t0, Api::Chat);
        for text in ["a", "b", "c"] {
            let chunk = format!(r#"{{"choices":[{{"delta":{{"content":"{text}"}}}}]}}"#);
            t.event(data(&chunk), t0).unwrap();
        }
        t.event(data("[DONE]"), t0).unwrap();
        let c = t.finish(17).unwrap();
        assert_eq!((c.prompt_tokens, c.output_tokens), (17, 3));
        assert!(c.usage_estimated);
    }
}
