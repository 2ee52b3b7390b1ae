//! `benchanim bench openai`: streaming `/v1/completions` (or `/v1/chat/completions`) against
//! any OpenAI-compatible server (vLLM, llama-server, SGLang, TGI), measured and reported as
//! `vllm bench serve` does. Lists of concurrencies, request rates and shapes make a sweep: one
//! level after another, each filed on its own.

mod events;
mod metrics;
mod request;
mod sweep;

use std::time::Duration;

use anyhow::Context;
use hyper::body::Bytes;
use rand::rngs::StdRng;
use rand::{RngExt, SeedableRng};
use serde_json::json;

pub use events::EventLog;
pub use metrics::ServeMetrics;
pub use request::{Api, Completion, Prompt, stream, stream_completion};
pub use sweep::{Level, Rate, Shape, Sweep};

use super::prompt::{LlamaTokenizer, TokenCounter, VllmTokenizer, WordCount, fit_prompt};
use crate::bench::driver::{Failure, Load, Plan, Report, Run, Runner, stop::StopSignal};
use crate::bench::transport::{NoAnswer, Server};
use crate::results::family::serving_family;
use crate::results::{Row, Value, model_name, model_slug};

/// What to send, and how.
#[derive(Debug, Clone)]
pub struct OpenAiOptions {
    /// Base URL of the server.
    pub url: String,
    /// Model name to request; by default the first one `/v1/models` lists.
    pub model: Option<String>,
    /// Requests measured per level.
    pub prompts: usize,
    /// Requests sent first and not measured, before the first level of each shape.
    pub warmups: usize,
    /// The concurrencies, request rates and shapes, and how often each level runs.
    pub sweep: Sweep,
    /// Lengths vary uniformly by this fraction around the mean (0 ≤ ratio < 1).
    pub range_ratio: f64,
    pub seed: u64,
    /// How long a request may take before it counts as failed.
    pub timeout: Duration,
    /// Which endpoint requests go to.
    pub api: Api,
    /// Where each measured request's events go, when kept (an experiment's tenants).
    pub events: Option<EventLog>,
    /// The family to file runs under, instead of the engine the server names.
    pub family: Option<String>,
}

/// The `openai` benchmark.
pub struct OpenAi {
    options: OpenAiOptions,
    levels: Vec<Level>,
    server: Server,
    /// The request target of the endpoint.
    target: String,
    /// The model requested and who serves it (`owned_by`: `vllm`, `llamacpp`, ...).
    model: String,
    owner: Option<String>,
    /// How prompts are measured, found once.
    tokenizer: Tokenizer,
}

impl OpenAi {
    pub fn new(options: OpenAiOptions) -> anyhow::Result<OpenAi> {
        let server = Server::new(
            &options.url,
            options.sweep.peak_concurrency(),
            options.timeout,
        )?;
        Ok(OpenAi {
            target: server.target(options.api.path()),
            levels: options.sweep.levels(),
            server,
            model: String::new(),
            owner: None,
            tokenizer: Tokenizer::Words,
            options,
        })
    }

    /// Warm-ups go before the first level of each shape only: the server is warm after.
    fn warmups(&self, level: usize) -> usize {
        let shape = self.levels[level].shape;
        if self.levels[..level].iter().any(|l| l.shape == shape) {
            0
        } else {
            self.options.warmups
        }
    }
}

impl Runner for OpenAi {
    type Request = Prompt;
    type Outcome = Completion;

    fn server(&self) -> Option<&Server> {
        Some(&self.server)
    }

    fn levels(&self) -> usize {
        self.levels.len()
    }

    fn settings(&self, level: usize) -> Vec<(String, String)> {
        self.options.sweep.settings(&self.levels[level])
    }

    fn headline(&self) -> Vec<(&'static str, &'static str)> {
        vec![
            ("output_token_throughput", "output tok/s"),
            ("ttft_median", "TTFT p50 ms"),
            ("tpot_median", "TPOT p50 ms"),
            ("itl_median", "ITL p50 ms"),
        ]
    }

    fn load(&self, level: usize) -> Load {
        let l = &self.levels[level];
        Load {
            concurrency: l.max_concurrency,
            rate: l.request_rate,
            seed: self.options.seed,
            timeout: Some(self.options.timeout),
        }
    }

    async fn prepare(&mut self) -> anyhow::Result<()> {
        (self.model, self.owner) = model_of(&self.server, self.options.model.as_deref()).await?;
        self.tokenizer = Tokenizer::of(&self.server, &self.model).await?;
        Ok(())
    }

    async fn plan(&self, level: usize) -> anyhow::Result<Plan<Prompt>> {
        stderr_line!(
            "preparing {} prompts for {}",
            self.options.prompts,
            self.model
        );
        let counter = Counter {
            kind: self.tokenizer,
            server: &self.server,
            model: &self.model,
        };
        let measured = plan(
            &counter,
            &self.model,
            &self.options,
            self.levels[level].shape,
            level,
        )
        .await?;
        // Warm-ups repeat the first request.
        let warmups = vec![measured[0].clone(); self.warmups(level)];
        Ok(Plan { warmups, measured })
    }

    async fn send(&self, prompt: Prompt, _: &StopSignal) -> Result<Completion, Failure> {
        stream(&self.server.http, self.options.api, &self.target, prompt).await
    }

    fn report(&self, run: &Run<Completion>) -> Report {
        let o = &self.options;
        let l = &self.levels[run.level];
        let m = ServeMetrics::compute(&run.done, run.failed, run.duration);
        if let Some(log) = &o.events {
            log.record(run.started_unix, &run.done);
        }
        // The model's name: a server started with `-m /path/x.gguf` lists the path.
        let model = model_name(&self.model);
        let mut rows = vec![Row::text("model", model.as_str())];
        if let Some(owner) = &self.owner {
            rows.push(Row::text("server", owner.as_str()));
        }
        rows.extend([
            Row::text("server_url", self.server.base.as_str()),
            Row::text("timestamp", run.timestamp.as_str()),
            Row::text("test_type", "text_only"),
        ]);
        if o.api != Api::Completions {
            rows.push(Row::text("api", o.api.name()));
        }
        rows.extend([
            Row::number("num_prompts", o.prompts as f64, 0, ""),
            Row::number("max_concurrency", l.max_concurrency as f64, 0, ""),
            match l.request_rate {
                Some(r) => Row::number("request_rate", r, 2, "req/s"),
                None => Row::new("request_rate", Value::Text("inf".into()), "req/s"),
            },
            Row::number("num_warmups", self.warmups(run.level) as f64, 0, ""),
            Row::number("input_len", f64::from(l.shape.input_len), 0, "tokens"),
            Row::number("output_len", f64::from(l.shape.output_len), 0, "tokens"),
            Row::text("range_ratio", o.range_ratio.to_string()),
            Row::number("seed", o.seed as f64, 0, ""),
        ]);
        if let Some(i) = l.iteration {
            rows.push(Row::number("iteration", i as f64, 0, ""));
        }
        rows.extend(m.rows());
        if run.done.iter().any(|t| t.outcome.usage_estimated) {
            stderr_line!(
                "warning: the server sent no usage; token counts are estimated (usage_estimated,true)"
            );
            rows.push(Row::text("usage_estimated", "true"));
        }
        let api = match o.api {
            Api::Completions => "",
            Api::Chat => "_chat",
        };
        // Measured with other tenants: each request's latency by when it ended, on the run's
        // clock, so that the tenants' lines can be drawn on one clock.
        if o.events.is_some() {
            rows.extend(latency_series(&run.done));
        }
        // Filed under the engine that answered, not the request format it speaks.
        let family = o
            .family
            .clone()
            .or_else(|| self.owner.as_deref().and_then(serving_family))
            .unwrap_or_else(|| UNKNOWN_ENGINE.to_string());
        Report {
            benchmark: format!(
                "{family}_{}{api}_text_only_samples_{}",
                model_slug(&model),
                o.prompts
            ),
            family,
            rows,
            tokens: Some(m.total_output),
            summary: Some(m.summary(l.max_concurrency, l.request_rate)),
        }
    }
}

/// The family of runs against a server that does not say which engine it runs.
pub const UNKNOWN_ENGINE: &str = "openai_api";

/// A `# series e2el_ms by time_s` section: each request's latency at the second it ended,
/// counted from the start of the measured requests.
fn latency_series(done: &[crate::bench::driver::Timed<Completion>]) -> Vec<Row> {
    let mut points: Vec<(f64, f64)> = done
        .iter()
        .map(|t| (t.start + t.outcome.latency, t.outcome.latency * 1000.0))
        .collect();
    points.sort_by(|a, b| a.0.total_cmp(&b.0));
    points
        .into_iter()
        .map(|(at, ms)| {
            let mut row = Row::number(&format!("{at:.3}"), ms, 2, "ms");
            row.section = Some(crate::results::series_title("e2el_ms", "time_s"));
            row
        })
        .collect()
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
#[derive(Debug, Clone, Copy)]
enum Tokenizer {
    Vllm,
    Llama,
    Words,
}

impl Tokenizer {
    /// The server's tokenizer; an error only when the server does not answer at all.
    async fn of(server: &Server, model: &str) -> anyhow::Result<Tokenizer> {
        // A server that ignores the other one's field answers with no tokens.
        let probe = "hello world";
        let works = |count: anyhow::Result<usize>| match count {
            Ok(n) => Ok(n > 0),
            Err(e) if NoAnswer::caused(&e) => Err(e.context("asking the server's /tokenize")),
            Err(_) => Ok(false),
        };
        if works(VllmTokenizer(server, model).count(probe).await)? {
            return Ok(Tokenizer::Vllm);
        }
        if works(LlamaTokenizer(server).count(probe).await)? {
            return Ok(Tokenizer::Llama);
        }
        stderr_line!(
            "warning: the server has no /tokenize; prompt lengths are estimated at one token per word"
        );
        Ok(Tokenizer::Words)
    }
}

/// Counts tokens with the server's tokenizer.
struct Counter<'a> {
    kind: Tokenizer,
    server: &'a Server,
    model: &'a str,
}

impl TokenCounter for Counter<'_> {
    async fn count(&self, text: &str) -> anyhow::Result<usize> {
        match self.kind {
            Tokenizer::Vllm => VllmTokenizer(self.server, self.model).count(text).await,
            Tokenizer::Llama => LlamaTokenizer(self.server).count(text).await,
            Tokenizer::Words => WordCount.count(text).await,
        }
    }
}

/// The measured requests of `level`: bodies of prompts cut to their drawn lengths. Every
/// level draws the same lengths for a shape but has prompts of its own, so no level is served
/// from a prompt cache another level filled.
async fn plan(
    counter: &Counter<'_>,
    model: &str,
    o: &OpenAiOptions,
    shape: Shape,
    level: usize,
) -> anyhow::Result<Vec<Prompt>> {
    let mut rng = StdRng::seed_from_u64(o.seed);
    let (in_low, in_high) = length_range(shape.input_len, o.range_ratio);
    let (out_low, out_high) = length_range(shape.output_len, o.range_ratio);
    let lengths: Vec<(usize, usize)> = (0..o.prompts)
        .map(|_| {
            (
                rng.random_range(in_low..=in_high),
                rng.random_range(out_low..=out_high),
            )
        })
        .collect();
    let mut plan = Vec::with_capacity(lengths.len());
    for (i, (input, output)) in lengths.into_iter().enumerate() {
        let index = level * o.prompts + i;
        let (prompt, tokens) = fit_prompt(counter, o.seed, index, input)
            .await
            .with_context(|| format!("preparing prompt {index}"))?;
        let mut body = json!({ "model": model });
        match o.api {
            Api::Completions => body["prompt"] = json!(prompt),
            Api::Chat => body["messages"] = json!([{ "role": "user", "content": prompt }]),
        }
        for (key, value) in [
            ("max_tokens", json!(output)),
            ("temperature", json!(0.0)),
            ("ignore_eos", json!(true)),
            ("stream", json!(true)),
            ("stream_options", json!({ "include_usage": true })),
        ] {
            body[key] = value;
        }
        plan.push(Prompt {
            body: Bytes::from(body.to_string()),
            tokens: tokens as u64,
        });
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
