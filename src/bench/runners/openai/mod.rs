//! `benchanim bench openai`: streaming `/v1/completions` against any OpenAI-compatible server
//! (vLLM, llama-server, SGLang, TGI), measured and reported as `vllm bench serve` does.

mod metrics;
mod request;

use std::time::Duration;

use anyhow::Context;
use hyper::body::Bytes;
use rand::rngs::StdRng;
use rand::{RngExt, SeedableRng};
use serde_json::json;

pub use metrics::{ServeMetrics, Spread};
pub use request::{Completion, stream_completion};

use super::prompt::{LlamaTokenizer, TokenCounter, VllmTokenizer, WordCount, fit_prompt};
use crate::bench::driver::{Failure, Load, Plan, Report, Run, Runner, stop::StopSignal};
use crate::bench::transport::{NoAnswer, Server};
use crate::results::{Row, Value, model_slug};

/// What to send, and how.
#[derive(Debug, Clone)]
pub struct OpenAiOptions {
    /// Base URL of the server.
    pub url: String,
    /// Model name to request; by default the first one `/v1/models` lists.
    pub model: Option<String>,
    /// Requests measured.
    pub prompts: usize,
    /// Requests sent first and not measured.
    pub warmups: usize,
    /// Most requests in flight at once.
    pub max_concurrency: usize,
    /// Requests per second, arriving as a Poisson process; all at once if `None`.
    pub request_rate: Option<f64>,
    /// Mean input and output lengths, in tokens.
    pub input_len: u32,
    pub output_len: u32,
    /// Lengths vary uniformly by this fraction around the mean (0 ≤ ratio < 1).
    pub range_ratio: f64,
    pub seed: u64,
    /// How long a request may take before it counts as failed.
    pub timeout: Duration,
}

/// The `openai` benchmark.
pub struct OpenAi {
    options: OpenAiOptions,
    server: Server,
    /// The `/v1/completions` request target.
    target: String,
    /// The model requested and who serves it (`owned_by`: `vllm`, `llamacpp`, ...).
    model: String,
    owner: Option<String>,
}

impl OpenAi {
    pub fn new(options: OpenAiOptions) -> anyhow::Result<OpenAi> {
        let server = Server::new(&options.url, options.max_concurrency, options.timeout)?;
        Ok(OpenAi {
            target: server.target("/v1/completions"),
            server,
            model: String::new(),
            owner: None,
            options,
        })
    }
}

impl Runner for OpenAi {
    /// A `/v1/completions` request body.
    type Request = Bytes;
    type Outcome = Completion;

    fn server(&self) -> Option<&Server> {
        Some(&self.server)
    }

    fn load(&self) -> Load {
        Load {
            concurrency: self.options.max_concurrency,
            rate: self.options.request_rate,
            seed: self.options.seed,
            timeout: Some(self.options.timeout),
        }
    }

    async fn prepare(&mut self) -> anyhow::Result<Plan<Bytes>> {
        (self.model, self.owner) = model_of(&self.server, self.options.model.as_deref()).await?;
        eprintln!(
            "preparing {} prompts for {}",
            self.options.prompts, self.model
        );
        let measured = plan(&self.server, &self.model, &self.options).await?;
        // Warm-ups repeat the first request.
        let warmups = vec![measured[0].clone(); self.options.warmups];
        Ok(Plan { warmups, measured })
    }

    async fn send(&self, body: Bytes, _: &StopSignal) -> Result<Completion, Failure> {
        stream_completion(&self.server.http, &self.target, body).await
    }

    fn report(&self, run: &Run<Completion>) -> Report {
        let o = &self.options;
        let m = ServeMetrics::compute(&run.done, run.failed, run.duration);
        let mut rows = vec![Row::text("model", self.model.as_str())];
        if let Some(owner) = &self.owner {
            rows.push(Row::text("server", owner.as_str()));
        }
        rows.extend([
            Row::text("server_url", self.server.base.as_str()),
            Row::text("timestamp", run.timestamp.as_str()),
            Row::text("test_type", "text_only"),
            Row::number("num_prompts", o.prompts as f64, 0, ""),
            Row::number("max_concurrency", o.max_concurrency as f64, 0, ""),
            match o.request_rate {
                Some(r) => Row::number("request_rate", r, 2, "req/s"),
                None => Row::new("request_rate", Value::Text("inf".into()), "req/s"),
            },
            Row::number("num_warmups", o.warmups as f64, 0, ""),
            Row::number("input_len", f64::from(o.input_len), 0, "tokens"),
            Row::number("output_len", f64::from(o.output_len), 0, "tokens"),
            Row::text("range_ratio", o.range_ratio.to_string()),
            Row::number("seed", o.seed as f64, 0, ""),
        ]);
        rows.extend(m.rows());
        Report {
            family: "vLLM".into(),
            benchmark: format!(
                "vLLM_{}_text_only_samples_{}",
                model_slug(&self.model),
                o.prompts
            ),
            rows,
            tokens: Some(m.total_output),
            summary: Some(m.summary(o.max_concurrency, o.request_rate)),
        }
    }
}

/// The model to request and who serves it (`owned_by`: `vllm`, `llamacpp`, ...).
async fn model_of(
    server: &Server,
    given: Option<&str>,
) -> anyhow::Result<(String, Option<String>)> {
    let listed = match server.get_json("/v1/models").await {
        // A server that does not answer would not answer the completions either.
        Err(e) if NoAnswer::caused(&e) => return Err(e.context("cannot list the server's models")),
        listed => listed,
    };
    let first = listed
        .as_ref()
        .ok()
        .and_then(|l| l.get("data")?.as_array()?.first().cloned());
    let owner = first
        .as_ref()
        .and_then(|m| m.get("owned_by")?.as_str().map(str::to_string));
    match given {
        Some(m) => Ok((m.to_string(), owner)),
        None => {
            let id = first
                .as_ref()
                .and_then(|m| m.get("id")?.as_str().map(str::to_string));
            match (id, listed) {
                (Some(id), _) => Ok((id, owner)),
                (None, Err(e)) => Err(e.context("cannot list the server's models; pass --model")),
                (None, Ok(_)) => {
                    anyhow::bail!("{}/v1/models lists no model; pass --model", server.base)
                }
            }
        }
    }
}

/// Lengths as vLLM's random dataset draws them: uniform over
/// [⌊len·(1−r)⌋, ⌈len·(1+r)⌉], at least one token.
fn length_range(len: u32, ratio: f64) -> (usize, usize) {
    let low = ((f64::from(len) * (1.0 - ratio)).floor() as usize).max(1);
    let high = ((f64::from(len) * (1.0 + ratio)).ceil() as usize).max(low);
    (low, high)
}

/// How the server counts tokens: vLLM's `/tokenize` answers `prompt`, llama.cpp's `content`;
/// without either, lengths are estimated.
enum Tokenizer<'a> {
    Vllm(VllmTokenizer<'a>),
    Llama(LlamaTokenizer<'a>),
    Words,
}

impl<'a> Tokenizer<'a> {
    /// The server's tokenizer; an error only when the server does not answer at all.
    async fn of(server: &'a Server, model: &'a str) -> anyhow::Result<Tokenizer<'a>> {
        // A server that ignores the other one's field answers with no tokens.
        let probe = "hello world";
        let works = |count: anyhow::Result<usize>| match count {
            Ok(n) => Ok(n > 0),
            Err(e) if NoAnswer::caused(&e) => Err(e.context("asking the server's /tokenize")),
            Err(_) => Ok(false),
        };
        let vllm = VllmTokenizer(server, model);
        if works(vllm.count(probe).await)? {
            return Ok(Tokenizer::Vllm(vllm));
        }
        let llama = LlamaTokenizer(server);
        if works(llama.count(probe).await)? {
            return Ok(Tokenizer::Llama(llama));
        }
        eprintln!(
            "warning: the server has no /tokenize; prompt lengths are estimated at one token per word"
        );
        Ok(Tokenizer::Words)
    }
}

impl TokenCounter for Tokenizer<'_> {
    async fn count(&self, text: &str) -> anyhow::Result<usize> {
        match self {
            Tokenizer::Vllm(t) => t.count(text).await,
            Tokenizer::Llama(t) => t.count(text).await,
            Tokenizer::Words => WordCount.count(text).await,
        }
    }
}

/// The measured requests: bodies of prompts cut to their drawn lengths.
async fn plan(server: &Server, model: &str, o: &OpenAiOptions) -> anyhow::Result<Vec<Bytes>> {
    let mut rng = StdRng::seed_from_u64(o.seed);
    let (in_low, in_high) = length_range(o.input_len, o.range_ratio);
    let (out_low, out_high) = length_range(o.output_len, o.range_ratio);
    let lengths: Vec<(usize, usize)> = (0..o.prompts)
        .map(|_| {
            (
                rng.random_range(in_low..=in_high),
                rng.random_range(out_low..=out_high),
            )
        })
        .collect();
    let tokenizer = Tokenizer::of(server, model).await?;
    let mut plan = Vec::with_capacity(lengths.len());
    for (i, (input, output)) in lengths.into_iter().enumerate() {
        let (prompt, _) = fit_prompt(&tokenizer, o.seed, i, input)
            .await
            .with_context(|| format!("preparing prompt {i}"))?;
        let body = json!({
            "model": model,
            "prompt": prompt,
            "max_tokens": output,
            "temperature": 0.0,
            "ignore_eos": true,
            "stream": true,
            "stream_options": { "include_usage": true },
        });
        plan.push(Bytes::from(body.to_string()));
    }
    Ok(plan)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn draws_lengths_like_vllm() {
        assert_eq!(length_range(1000, 0.3), (700, 1300));
        assert_eq!(length_range(300, 0.3), (210, 390));
        assert_eq!(length_range(1, 0.5), (1, 2));
        assert_eq!(length_range(10, 0.0), (10, 10));
    }
}
