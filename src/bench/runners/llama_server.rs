//! `benchanim bench llama-server`: llama.cpp's native `/completion` API, one request at a
//! time, measured by the server's own `timings`.

use std::time::Duration;

use anyhow::Context;
use hyper::Method;
use hyper::body::Bytes;
use rand::rngs::StdRng;
use rand::{RngExt, SeedableRng};
use serde::Deserialize;
use serde_json::json;

use super::prompt::{LlamaTokenizer, fit_prompt};
use crate::bench::driver::summary::Summary;
use crate::bench::driver::{Failure, Load, Plan, Report, Run, Runner, stop::StopSignal};
use crate::bench::transport::{NoAnswer, Server, excerpt};
use crate::results::stats;
use crate::results::{Row, Value, model_slug};

/// What to send.
#[derive(Debug, Clone)]
pub struct LlamaServerOptions {
    /// Base URL of the server.
    pub url: String,
    /// Requests measured.
    pub prompts: usize,
    /// Requests sent first and not measured.
    pub warmups: usize,
    /// Smallest and largest prompt, in tokens (1 ≤ min ≤ max).
    pub input_range: (usize, usize),
    /// Smallest and largest answer, in tokens (1 ≤ min ≤ max).
    pub output_range: (usize, usize),
    pub seed: u64,
    /// How long a request may take before it counts as failed.
    pub timeout: Duration,
}

/// The `llama-server` benchmark: requests go one at a time with `cache_prompt: false` and
/// `ignore_eos`, so every prompt is processed in full and every answer has its requested
/// length.
pub struct LlamaServer {
    options: LlamaServerOptions,
    server: Server,
    /// The model's file name, and its path where the server tells it.
    model_name: String,
    model_path: Option<String>,
}

impl LlamaServer {
    pub fn new(options: LlamaServerOptions) -> anyhow::Result<LlamaServer> {
        Ok(LlamaServer {
            server: Server::new(&options.url, 1, options.timeout)?,
            model_name: String::new(),
            model_path: None,
            options,
        })
    }
}

/// The part of llama.cpp's `timings` the figures come from.
#[derive(Debug, Clone, Copy, PartialEq, Deserialize)]
pub struct Timings {
    pub prompt_n: u64,
    pub prompt_ms: f64,
    pub prompt_per_second: f64,
    pub predicted_n: u64,
    pub predicted_ms: f64,
    pub predicted_per_second: f64,
}

#[derive(Deserialize)]
struct CompletionReply {
    timings: Option<Timings>,
}

impl Runner for LlamaServer {
    /// A `/completion` request body.
    type Request = Bytes;
    type Outcome = Timings;

    fn server(&self) -> Option<&Server> {
        Some(&self.server)
    }

    /// One request at a time.
    fn load(&self, _: usize) -> Load {
        Load {
            timeout: Some(self.options.timeout),
            ..Load::default()
        }
    }

    async fn prepare(&mut self) -> anyhow::Result<()> {
        (self.model_name, self.model_path) = model_of(&self.server).await?;
        Ok(())
    }

    async fn plan(&self, _: usize) -> anyhow::Result<Plan<Bytes>> {
        let o = &self.options;
        let total = o.warmups + o.prompts;
        stderr_line!("preparing {total} prompts for {}", self.model_name);
        let mut rng = StdRng::seed_from_u64(o.seed);
        let mut requests = Vec::with_capacity(total);
        for i in 0..total {
            let (input_len, output_len) = (
                rng.random_range(o.input_range.0..=o.input_range.1),
                rng.random_range(o.output_range.0..=o.output_range.1),
            );
            let (prompt, _) = fit_prompt(&LlamaTokenizer(&self.server), o.seed, i, input_len)
                .await
                .with_context(|| {
                    format!("cutting prompt {i} to length with the server's /tokenize")
                })?;
            let body = json!({
                "prompt": prompt,
                "n_predict": output_len,
                "ignore_eos": true,
                "cache_prompt": false,
                "seed": o.seed,
            });
            requests.push(Bytes::from(body.to_string()));
        }
        let measured = requests.split_off(o.warmups);
        Ok(Plan {
            warmups: requests,
            measured,
        })
    }

    async fn send(&self, body: Bytes, _: &StopSignal) -> Result<Timings, Failure> {
        let (status, bytes) = self
            .server
            .fetch(Method::POST, "/completion", Some(body))
            .await?;
        if !(200..300).contains(&status) {
            return Err(Failure::Status(status, excerpt(&bytes)));
        }
        let reply: CompletionReply = serde_json::from_slice(&bytes)
            .map_err(|e| Failure::Malformed(format!("invalid JSON ({e}): {}", excerpt(&bytes))))?;
        reply
            .timings
            .ok_or_else(|| Failure::Malformed("the response has no `timings`".into()))
    }

    fn report(&self, run: &Run<Timings>) -> Report {
        let o = &self.options;
        let timings: Vec<Timings> = run.done.iter().map(|t| t.outcome).collect();
        let m = ServerMetrics::compute(&timings, run.failed, run.duration);
        let mut rows = vec![
            Row::text("server", "llama-server"),
            Row::text("server_url", self.server.base.as_str()),
            Row::text("model_name", self.model_name.as_str()),
        ];
        if let Some(p) = &self.model_path {
            rows.push(Row::text("model_path", p.as_str()));
        }
        let span = |r: (usize, usize)| Value::Text(format!("{}-{}", r.0, r.1));
        rows.extend([
            Row::text("timestamp", run.timestamp.as_str()),
            Row::text("test_type", "text_only"),
            Row::number("num_prompts", o.prompts as f64, 0, ""),
            Row::number("warmup_runs", o.warmups as f64, 0, ""),
            Row::new("input_token_range", span(o.input_range), "tokens"),
            Row::new("output_token_range", span(o.output_range), "tokens"),
            Row::number("seed", o.seed as f64, 0, ""),
        ]);
        rows.extend(m.rows());
        Report {
            family: "llama_server".into(),
            benchmark: format!(
                "llama_server_{}_samples_{}",
                model_slug(&self.model_name),
                o.prompts
            ),
            rows,
            tokens: Some(m.total_generated),
            summary: Some(m.summary()),
        }
    }
}

/// The model's file name and path from `/props`, else its id from `/v1/models`.
async fn model_of(server: &Server) -> anyhow::Result<(String, Option<String>)> {
    match server.get_json("/props").await {
        Ok(props) => {
            if let Some(path) = props.get("model_path").and_then(|p| p.as_str()) {
                let name = path.rsplit(['/', '\\']).next().unwrap_or(path);
                return Ok((name.to_string(), Some(path.to_string())));
            }
        }
        // A server that does not answer /props would not answer /v1/models either.
        Err(e) if NoAnswer::caused(&e) => {
            return Err(e.context("cannot tell which model the server runs"));
        }
        Err(_) => {}
    }
    let models = server
        .get_json("/v1/models")
        .await
        .context("cannot tell which model the server runs (neither /props nor /v1/models)")?;
    let id = models
        .get("data")
        .and_then(|d| d.as_array()?.first()?.get("id")?.as_str())
        .context("/v1/models lists no model")?;
    Ok((id.to_string(), None))
}

/// The llama_server figures, named as the reference result files name them.
#[derive(Debug, Clone, PartialEq)]
pub struct ServerMetrics {
    pub successful: usize,
    pub failed: usize,
    pub total_prompt: u64,
    pub total_generated: u64,
    pub true_prompt_throughput: f64,
    pub true_gen_throughput: f64,
    pub avg_prompt_speed: f64,
    pub avg_gen_speed: f64,
    pub runtime: f64,
}

impl ServerMetrics {
    pub fn compute(timings: &[Timings], failed: usize, runtime: f64) -> ServerMetrics {
        let total_prompt: u64 = timings.iter().map(|t| t.prompt_n).sum();
        let total_generated: u64 = timings.iter().map(|t| t.predicted_n).sum();
        // Seconds spent, as n / speed; the milliseconds field when the speed is not given.
        let seconds = |n: u64, per_second: f64, ms: f64| {
            if per_second > 0.0 {
                n as f64 / per_second
            } else {
                ms / 1000.0
            }
        };
        let prompt_s: f64 = timings
            .iter()
            .map(|t| seconds(t.prompt_n, t.prompt_per_second, t.prompt_ms))
            .sum();
        let gen_s: f64 = timings
            .iter()
            .map(|t| seconds(t.predicted_n, t.predicted_per_second, t.predicted_ms))
            .sum();
        let ratio = |n: u64, s: f64| if s > 0.0 { n as f64 / s } else { 0.0 };
        let prompt_speeds: Vec<f64> = timings.iter().map(|t| t.prompt_per_second).collect();
        let gen_speeds: Vec<f64> = timings.iter().map(|t| t.predicted_per_second).collect();
        ServerMetrics {
            successful: timings.len(),
            failed,
            total_prompt,
            total_generated,
            true_prompt_throughput: ratio(total_prompt, prompt_s),
            true_gen_throughput: ratio(total_generated, gen_s),
            avg_prompt_speed: stats::mean(&prompt_speeds),
            avg_gen_speed: stats::mean(&gen_speeds),
            runtime,
        }
    }

    pub fn rows(&self) -> Vec<Row> {
        vec![
            Row::number("successful_requests", self.successful as f64, 0, ""),
            Row::number("failed_requests", self.failed as f64, 0, ""),
            Row::number("total_prompt_tokens", self.total_prompt as f64, 0, "tokens"),
            Row::number(
                "total_generated_tokens",
                self.total_generated as f64,
                0,
                "tokens",
            ),
            Row::number(
                "true_prompt_throughput",
                self.true_prompt_throughput,
                2,
                "tok/s",
            ),
            Row::number("true_gen_throughput", self.true_gen_throughput, 2, "tok/s"),
            Row::number("total_runtime", self.runtime, 2, "seconds"),
            Row::number("avg_prompt_speed", self.avg_prompt_speed, 2, "tok/s"),
            Row::number("avg_gen_speed", self.avg_gen_speed, 2, "tok/s"),
        ]
    }

    pub fn summary(&self) -> String {
        let mut s = Summary::new("llama-server Benchmark Result");
        s.field("Successful requests:", self.successful)
            .field("Failed requests:", self.failed)
            .figure("Total runtime (s):", self.runtime)
            .field("Total prompt tokens:", self.total_prompt)
            .field("Total generated tokens:", self.total_generated)
            .section("Prompt processing")
            .figure("True throughput (tok/s):", self.true_prompt_throughput)
            .figure("Mean per-request speed (tok/s):", self.avg_prompt_speed)
            .section("Generation")
            .figure("True throughput (tok/s):", self.true_gen_throughput)
            .figure("Mean per-request speed (tok/s):", self.avg_gen_speed);
        s.render()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(prompt_n: u64, prompt_ps: f64, predicted_n: u64, predicted_ps: f64) -> Timings {
        Timings {
            prompt_n,
            prompt_ms: prompt_n as f64 / prompt_ps * 1000.0,
            prompt_per_second: prompt_ps,
            predicted_n,
            predicted_ms: predicted_n as f64 / predicted_ps * 1000.0,
            predicted_per_second: predicted_ps,
        }
    }

    #[test]
    fn true_throughput_weights_by_time_and_averages_do_not() {
        // 100 tokens at 100 tok/s (1 s) and 300 tokens at 300 tok/s (1 s): 200 tok/s true,
        // also 200 mean; generation 10 at 10 (1 s) and 90 at 30 (3 s): 25 true, 20 mean.
        let m = ServerMetrics::compute(&[t(100, 100.0, 10, 10.0), t(300, 300.0, 90, 30.0)], 1, 9.5);
        assert_eq!((m.successful, m.failed), (2, 1));
        assert_eq!((m.total_prompt, m.total_generated), (400, 100));
        assert_eq!(m.true_prompt_throughput, 200.0);
        assert_eq!(m.avg_prompt_speed, 200.0);
        assert_eq!(m.true_gen_throughput, 25.0);
        assert_eq!(m.avg_gen_speed, 20.0);
        let names: Vec<String> = m.rows().into_iter().map(|r| r.metric).collect();
        for n in [
            "total_prompt_tokens",
            "total_generated_tokens",
            "true_prompt_throughput",
            "true_gen_throughput",
            "total_runtime",
            "avg_prompt_speed",
            "avg_gen_speed",
        ] {
            assert!(names.iter().any(|x| x == n), "missing {n}");
        }
    }

    #[test]
    fn parses_real_timings() {
        let reply: CompletionReply = serde_json::from_str(
            r#"{"content":"x","timings":{"cache_n":0,"prompt_n":21,"prompt_ms":30.5,
            "prompt_per_token_ms":1.45,"prompt_per_second":688.5,"predicted_n":8,
            "predicted_ms":60.1,"predicted_per_token_ms":7.5,"predicted_per_second":133.1}}"#,
        )
        .unwrap();
        let t = reply.timings.unwrap();
        assert_eq!((t.prompt_n, t.predicted_n), (21, 8));
        let missing: CompletionReply = serde_json::from_str(r#"{"content":"x"}"#).unwrap();
        assert!(missing.timings.is_none());
    }
}
