//! `benchanim bench llama-server`: llama.cpp's native `/completion` API, one request at a
//! time, measured by the server's own `timings`.

use std::time::{Duration, Instant};

use anyhow::Context;
use clap::Args;
use rand::rngs::StdRng;
use rand::{RngExt, SeedableRng};
use serde::Deserialize;
use serde_json::json;

use super::common::CommonArgs;
use super::gpu::{number, row};
use super::openai::Failure;
use super::prompt::{LlamaTokenizer, fit_prompt};
use super::record::{Record, finish, model_slug};
use super::server::{Server, error_chain, excerpt, read_capped, send};
use super::stop::{Stop, StopSignal};
use super::summary::Summary;
use super::{clock, progress, stats};
use crate::results::{Row, Value};

/// Benchmark llama.cpp's llama-server through its native `/completion` API.
///
/// Requests go one at a time with `cache_prompt: false` and `ignore_eos`, so every prompt is
/// processed in full and every answer has its requested length. The server's `timings` give
/// the figures: true_prompt_throughput is all prompt tokens over the summed prompt time
/// (Σ prompt_n / prompt_per_second), true_gen_throughput likewise for generated tokens;
/// avg_prompt_speed and avg_gen_speed are plain means of the per-request speeds;
/// total_runtime is the wall time of the measured requests.
#[derive(Debug, Args)]
pub struct LlamaServerArgs {
    /// Base URL of the server.
    #[arg(long, default_value = "http://127.0.0.1:8080")]
    pub url: String,
    /// Requests measured.
    #[arg(long, default_value_t = 100, value_parser = clap::value_parser!(u32).range(1..))]
    pub prompts: u32,
    /// Requests sent first and not measured.
    #[arg(long, default_value_t = 10)]
    pub warmups: u32,
    /// Smallest and largest prompt, in tokens.
    #[arg(long, num_args = 2, value_names = ["MIN", "MAX"], default_values_t = [50, 1000])]
    pub input_range: Vec<u32>,
    /// Smallest and largest answer, in tokens.
    #[arg(long, num_args = 2, value_names = ["MIN", "MAX"], default_values_t = [50, 1000])]
    pub output_range: Vec<u32>,
    #[arg(long, default_value_t = 42)]
    pub seed: u64,
    /// Seconds before a request counts as failed.
    #[arg(long, default_value_t = 600.0)]
    pub timeout: f64,
    #[command(flatten)]
    pub common: CommonArgs,
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

fn range(values: &[u32], flag: &str) -> anyhow::Result<(usize, usize)> {
    match values {
        [min, max] if 1 <= *min && min <= max => Ok((*min as usize, *max as usize)),
        _ => anyhow::bail!("{flag} takes MIN MAX with 1 ≤ MIN ≤ MAX, not {values:?}"),
    }
}

pub async fn run(args: LlamaServerArgs) -> anyhow::Result<i32> {
    let input = range(&args.input_range, "--input-range")?;
    let output = range(&args.output_range, "--output-range")?;
    if !(args.timeout.is_finite() && args.timeout > 0.0) {
        anyhow::bail!(
            "--timeout must be a positive number of seconds, not {}",
            args.timeout
        );
    }
    let server = Server::new(&args.url, 1)?;
    server.ensure_reachable().await?;
    let (model_name, model_path) = model_of(&server).await?;
    let mut device = args.common.device();
    let timestamp = clock::timestamp_now();
    let stop = StopSignal::with_ctrl_c();

    let total = (args.warmups + args.prompts) as usize;
    eprintln!("preparing {total} prompts for {model_name}");
    let mut rng = StdRng::seed_from_u64(args.seed);
    let mut requests = Vec::with_capacity(total);
    for i in 0..total {
        let (input_len, output_len) = (
            rng.random_range(input.0..=input.1),
            rng.random_range(output.0..=output.1),
        );
        let (prompt, _) = fit_prompt(&LlamaTokenizer(&server), args.seed, i, input_len)
            .await
            .with_context(|| format!("cutting prompt {i} to length with the server's /tokenize"))?;
        requests.push(json!({
            "prompt": prompt,
            "n_predict": output_len,
            "ignore_eos": true,
            "cache_prompt": false,
            "seed": args.seed,
        }));
    }
    let measured = requests.split_off(args.warmups as usize);
    let client = Client {
        server: &server,
        timeout: Duration::from_secs_f64(args.timeout),
        verbose: args.common.verbose,
        stop: &stop,
    };
    if !requests.is_empty() {
        client.send_all(&requests, "warmup").await;
        if let Some(s) = stop.get() {
            eprintln!("{} during warmup; no result written", s.reason());
            return Ok(s.exit_code());
        }
    }

    let sampler = device.start_sampler();
    let started = Instant::now();
    let (timings, failed) = client.send_all(&measured, "requests").await;
    let runtime = started.elapsed().as_secs_f64();
    let telemetry = sampler.map(|s| s.finish());
    let stopped = stop.get();

    let m = ServerMetrics::compute(&timings, failed, runtime);
    let mut rows = device.rows();
    rows.push(row("server", Value::Text("llama-server".into()), ""));
    rows.push(row("server_url", Value::Text(server.base.clone()), ""));
    rows.push(row("model_name", Value::Text(model_name.clone()), ""));
    if let Some(p) = model_path {
        rows.push(row("model_path", Value::Text(p), ""));
    }
    rows.push(row("timestamp", Value::Text(timestamp.clone()), ""));
    rows.push(row("test_type", Value::Text("text_only".into()), ""));
    rows.push(number("num_prompts", f64::from(args.prompts), 0, ""));
    rows.push(number("warmup_runs", f64::from(args.warmups), 0, ""));
    let span = |r: (usize, usize)| Value::Text(format!("{}-{}", r.0, r.1));
    rows.push(row("input_token_range", span(input), "tokens"));
    rows.push(row("output_token_range", span(output), "tokens"));
    rows.push(number("seed", args.seed as f64, 0, ""));
    rows.extend(m.rows());
    if let Some(t) = &telemetry {
        rows.extend(t.rows_with_tokens(m.total_generated));
    }
    if m.successful > 0 {
        print!("{}", m.summary());
    }
    let record = Record {
        family: "llama_server".into(),
        benchmark: format!(
            "llama_server_{}_samples_{}",
            model_slug(&model_name),
            args.prompts
        ),
        timestamp,
        rows,
    };
    finish(
        &args.common.output_dir,
        &device,
        record,
        stopped.as_ref(),
        m.successful,
    )
}

/// The model's file name and path from `/props`, else its id from `/v1/models`.
async fn model_of(server: &Server) -> anyhow::Result<(String, Option<String>)> {
    if let Ok(props) = server.get_json("/props").await
        && let Some(path) = props.get("model_path").and_then(|p| p.as_str())
    {
        let name = path.rsplit(['/', '\\']).next().unwrap_or(path);
        return Ok((name.to_string(), Some(path.to_string())));
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

struct Client<'a> {
    server: &'a Server,
    timeout: Duration,
    verbose: bool,
    stop: &'a StopSignal,
}

impl Client<'_> {
    /// Sends the requests one after another until done or stopped; returns the timings of
    /// those that succeeded and how many failed.
    async fn send_all(&self, requests: &[serde_json::Value], what: &str) -> (Vec<Timings>, usize) {
        let bar = progress::bar(requests.len(), what);
        let mut timings = Vec::with_capacity(requests.len());
        let mut failed = 0;
        let mut first_failure = None;
        for body in requests {
            let result = tokio::select! {
                biased;
                _ = self.stop.stopped() => break,
                r = tokio::time::timeout(self.timeout, self.complete(body)) => r,
            };
            let result = result.unwrap_or(Err(Failure::TimedOut(self.timeout.as_secs_f64())));
            if let Err(f) = &result
                && f.is_transport()
                && !self.server.alive().await
            {
                self.stop.trigger(Stop::ServerLost(format!(
                    "the server at {} stopped accepting connections ({f})",
                    self.server.base
                )));
                break;
            }
            bar.inc(1);
            match result {
                Ok(t) => timings.push(t),
                Err(f) => {
                    failed += 1;
                    if self.verbose {
                        bar.suspend(|| eprintln!("{what}: request failed: {f}"));
                    }
                    first_failure.get_or_insert(f);
                }
            }
        }
        bar.finish_and_clear();
        if let Some(f) = first_failure
            && !self.verbose
        {
            eprintln!(
                "{what}: {failed} of {} requests failed, the first with: {f} (--verbose shows all)",
                requests.len()
            );
        }
        (timings, failed)
    }

    async fn complete(&self, body: &serde_json::Value) -> Result<Timings, Failure> {
        let url = self.server.url("/completion");
        let (_, response) = send(|| self.server.client.post(&url).json(body)).await;
        let response = response.map_err(|e| Failure::Transport(error_chain(&e)))?;
        let status = response.status();
        let bytes = read_capped(response).await.map_err(Failure::Transport)?;
        if !status.is_success() {
            return Err(Failure::Status(status.as_u16(), excerpt(&bytes)));
        }
        let reply: CompletionReply = serde_json::from_slice(&bytes)
            .map_err(|e| Failure::Malformed(format!("invalid JSON ({e}): {}", excerpt(&bytes))))?;
        reply
            .timings
            .ok_or_else(|| Failure::Malformed("the response has no `timings`".into()))
    }
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
            number("successful_requests", self.successful as f64, 0, ""),
            number("failed_requests", self.failed as f64, 0, ""),
            number("total_prompt_tokens", self.total_prompt as f64, 0, "tokens"),
            number(
                "total_generated_tokens",
                self.total_generated as f64,
                0,
                "tokens",
            ),
            number(
                "true_prompt_throughput",
                self.true_prompt_throughput,
                2,
                "tok/s",
            ),
            number("true_gen_throughput", self.true_gen_throughput, 2, "tok/s"),
            number("total_runtime", self.runtime, 2, "seconds"),
            number("avg_prompt_speed", self.avg_prompt_speed, 2, "tok/s"),
            number("avg_gen_speed", self.avg_gen_speed, 2, "tok/s"),
        ]
    }

    pub fn summary(&self) -> String {
        let mut s = Summary::new("llama-server Benchmark Result");
        s.field("Successful requests:", self.successful)
            .field("Failed requests:", self.failed)
            .field("Total runtime (s):", format!("{:.2}", self.runtime))
            .field("Total prompt tokens:", self.total_prompt)
            .field("Total generated tokens:", self.total_generated)
            .section("Prompt processing")
            .field(
                "True throughput (tok/s):",
                format!("{:.2}", self.true_prompt_throughput),
            )
            .field(
                "Mean per-request speed (tok/s):",
                format!("{:.2}", self.avg_prompt_speed),
            )
            .section("Generation")
            .field(
                "True throughput (tok/s):",
                format!("{:.2}", self.true_gen_throughput),
            )
            .field(
                "Mean per-request speed (tok/s):",
                format!("{:.2}", self.avg_gen_speed),
            );
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

    #[test]
    fn checks_ranges() {
        assert_eq!(range(&[50, 1000], "--input-range").unwrap(), (50, 1000));
        assert!(range(&[10, 5], "--input-range").is_err());
        assert!(range(&[0, 5], "--input-range").is_err());
    }
}
