//! `benchanim bench openai`: streaming `/v1/completions` against any OpenAI-compatible server
//! (vLLM, llama-server, SGLang, TGI), measured and reported as `vllm bench serve` does.

mod metrics;
pub mod request;

use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::Context;
use clap::Args;
use rand::rngs::StdRng;
use rand::{RngExt, SeedableRng};
use rand_distr::{Distribution, Exp};
use serde_json::{Value as Json, json};
use tokio::sync::{Semaphore, mpsc};

pub use metrics::{ServeMetrics, Spread, Timed};
pub use request::{Completion, Failure, stream_completion};

use super::common::CommonArgs;
use super::gpu::{number, row};
use super::prompt::{LlamaTokenizer, TokenCounter, VllmTokenizer, WordCount, fit_prompt};
use super::record::{Record, finish, model_slug};
use super::server::Server;
use super::stop::{Stop, StopSignal};
use super::{clock, progress};
use crate::results::Value;

/// Benchmark an OpenAI-compatible server with streaming `/v1/completions` requests.
///
/// Every request streams (`stream: true`, usage included) with `ignore_eos`, so it produces
/// exactly its output length. Token counts come from the server's `usage`, not from counting
/// chunks. Metrics follow `vllm bench serve`, so numbers are comparable:
///
///   TTFT  time to first token: from sending the request to the first streamed chunk that
///         carries `choices`.
///
///   ITL   inter-token latency: the time between consecutive chunks with `choices`, pooled over
///         all requests (a chunk holding several tokens is one gap).
///
///   TPOT  time per output token, excluding the first: (E2EL − TTFT) / (output tokens − 1),
///         per request with more than one output token.
///
///   E2EL  end-to-end latency: from sending the request to its last chunk with `choices`.
///
/// Each is reported as mean, median and 99th percentile (linear interpolation, as numpy) in ms.
/// A chunk's time is when its bytes reached this machine (the kernel's receive timestamp on
/// Linux), so the client's own scheduling at high concurrency does not inflate ITL.
/// benchmark_duration is the wall time of the measured requests (warmups excluded);
/// request_throughput = successful requests / duration; output_token_throughput = generated
/// tokens / duration (input_ and total_token_throughput likewise); peak_output_throughput is
/// the most chunks received in one whole second of the run; peak_concurrent_requests the most
/// requests in flight at once.
///
/// Prompts are deterministic for a seed; input and output lengths are drawn uniformly from
/// [len·(1 − range_ratio), len·(1 + range_ratio)] as vLLM's random dataset draws them, and
/// prompts are cut to length with the server's /tokenize when it has one.
#[derive(Debug, Args)]
#[command(verbatim_doc_comment)]
pub struct OpenAiArgs {
    /// Base URL of the server.
    #[arg(long, default_value = "http://127.0.0.1:8000")]
    pub url: String,
    /// Model name to request; by default the first one `/v1/models` lists.
    #[arg(long)]
    pub model: Option<String>,
    /// Requests measured.
    #[arg(long, default_value_t = 100, value_parser = clap::value_parser!(u32).range(1..))]
    pub prompts: u32,
    /// Requests sent first and not measured.
    #[arg(long, default_value_t = 10)]
    pub warmups: u32,
    /// Most requests in flight at once.
    #[arg(long, default_value_t = 10, value_parser = clap::value_parser!(u32).range(1..))]
    pub max_concurrency: u32,
    /// Requests per second, arriving as a Poisson process; all at once if not given.
    #[arg(long)]
    pub request_rate: Option<f64>,
    /// Mean input length in tokens.
    #[arg(long, default_value_t = 1000, value_parser = clap::value_parser!(u32).range(1..))]
    pub input_len: u32,
    /// Mean output length in tokens.
    #[arg(long, default_value_t = 300, value_parser = clap::value_parser!(u32).range(1..))]
    pub output_len: u32,
    /// Lengths vary uniformly by this fraction around the mean.
    #[arg(long, default_value_t = 0.3)]
    pub range_ratio: f64,
    #[arg(long, default_value_t = 42)]
    pub seed: u64,
    /// Seconds before a request counts as failed.
    #[arg(long, default_value_t = 600.0)]
    pub timeout: f64,
    #[command(flatten)]
    pub common: CommonArgs,
}

/// One request to send.
struct Planned {
    body: Json,
}

pub async fn run(args: OpenAiArgs) -> anyhow::Result<i32> {
    check(&args)?;
    let server = Server::new(&args.url, args.max_concurrency as usize)?;
    server.ensure_reachable().await?;
    let (model, owner) = model_of(&server, args.model.as_deref()).await?;
    let mut device = args.common.device();
    let timestamp = clock::timestamp_now();
    let stop = StopSignal::with_ctrl_c();

    eprintln!("preparing {} prompts for {model}", args.prompts);
    let plan = plan(&server, &model, &args).await?;
    let target = server.target("/v1/completions");
    let timeout = Duration::from_secs_f64(args.timeout);
    let run = Runner {
        server: &server,
        target: &target,
        timeout,
        concurrency: args.max_concurrency as usize,
        verbose: args.common.verbose,
        stop: &stop,
    };

    if args.warmups > 0 {
        let warmups: Vec<Planned> = (0..args.warmups)
            .map(|_| Planned {
                body: plan[0].body.clone(),
            })
            .collect();
        run.send_all(warmups, None, "warmup", 0).await;
        if let Some(s) = stop.get() {
            return finish_early(&s);
        }
    }

    let sampler = device.start_sampler();
    let (done, failed, duration) = run
        .send_all(plan, args.request_rate, "requests", args.seed)
        .await;
    let telemetry = sampler.map(|s| s.finish());
    let stopped = stop.get();

    let m = ServeMetrics::compute(&done, failed, duration.as_secs_f64());
    let mut rows = device.rows();
    rows.push(row("model", Value::Text(model.clone()), ""));
    if let Some(owner) = owner {
        rows.push(row("server", Value::Text(owner), ""));
    }
    rows.push(row("server_url", Value::Text(server.base.clone()), ""));
    rows.push(row("timestamp", Value::Text(timestamp.clone()), ""));
    rows.push(row("test_type", Value::Text("text_only".into()), ""));
    rows.push(number("num_prompts", f64::from(args.prompts), 0, ""));
    rows.push(number(
        "max_concurrency",
        f64::from(args.max_concurrency),
        0,
        "",
    ));
    rows.push(match args.request_rate {
        Some(r) => number("request_rate", r, 2, "req/s"),
        None => row("request_rate", Value::Text("inf".into()), "req/s"),
    });
    rows.push(number("num_warmups", f64::from(args.warmups), 0, ""));
    rows.push(number("input_len", f64::from(args.input_len), 0, "tokens"));
    rows.push(number(
        "output_len",
        f64::from(args.output_len),
        0,
        "tokens",
    ));
    rows.push(row(
        "range_ratio",
        Value::Text(args.range_ratio.to_string()),
        "",
    ));
    rows.push(number("seed", args.seed as f64, 0, ""));
    rows.extend(m.rows());
    if let Some(t) = &telemetry {
        rows.extend(t.rows_with_tokens(m.total_output));
    }
    if m.successful > 0 {
        print!(
            "{}",
            m.summary(args.max_concurrency as usize, args.request_rate)
        );
    }
    let record = Record {
        family: "vLLM".into(),
        benchmark: format!(
            "vLLM_{}_text_only_samples_{}",
            model_slug(&model),
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

fn check(args: &OpenAiArgs) -> anyhow::Result<()> {
    if !(0.0..1.0).contains(&args.range_ratio) {
        anyhow::bail!(
            "--range-ratio must be at least 0 and below 1, not {}",
            args.range_ratio
        );
    }
    if let Some(r) = args.request_rate
        && !(r.is_finite() && r > 0.0)
    {
        anyhow::bail!("--request-rate must be a positive number of requests per second, not {r}");
    }
    if !(args.timeout.is_finite() && args.timeout > 0.0) {
        anyhow::bail!(
            "--timeout must be a positive number of seconds, not {}",
            args.timeout
        );
    }
    Ok(())
}

fn finish_early(stop: &Stop) -> anyhow::Result<i32> {
    eprintln!("{} during warmup; no result written", stop.reason());
    Ok(stop.exit_code())
}

/// The model to request and who serves it (`owned_by`: `vllm`, `llamacpp`, ...).
async fn model_of(
    server: &Server,
    given: Option<&str>,
) -> anyhow::Result<(String, Option<String>)> {
    let listed = server.get_json("/v1/models").await;
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

async fn plan(server: &Server, model: &str, args: &OpenAiArgs) -> anyhow::Result<Vec<Planned>> {
    let mut rng = StdRng::seed_from_u64(args.seed);
    let (in_low, in_high) = length_range(args.input_len, args.range_ratio);
    let (out_low, out_high) = length_range(args.output_len, args.range_ratio);
    let lengths: Vec<(usize, usize)> = (0..args.prompts)
        .map(|_| {
            (
                rng.random_range(in_low..=in_high),
                rng.random_range(out_low..=out_high),
            )
        })
        .collect();
    // vLLM answers `prompt`, llama.cpp `content`; without either, lengths are estimated.
    let vllm = VllmTokenizer(server, model);
    let llama = LlamaTokenizer(server);
    // A server that ignores the other one's field answers with no tokens.
    let probe = "hello world";
    let which: u8 = if vllm.count(probe).await.is_ok_and(|n| n > 0) {
        0
    } else if llama.count(probe).await.is_ok_and(|n| n > 0) {
        1
    } else {
        eprintln!(
            "warning: the server has no /tokenize; prompt lengths are estimated at one token per word"
        );
        2
    };
    let mut plan = Vec::with_capacity(lengths.len());
    for (i, (input, output)) in lengths.into_iter().enumerate() {
        let (prompt, _) = match which {
            0 => fit_prompt(&vllm, args.seed, i, input).await,
            1 => fit_prompt(&llama, args.seed, i, input).await,
            _ => fit_prompt(&WordCount, args.seed, i, input).await,
        }
        .with_context(|| format!("preparing prompt {i}"))?;
        plan.push(Planned {
            body: json!({
                "model": model,
                "prompt": prompt,
                "max_tokens": output,
                "temperature": 0.0,
                "ignore_eos": true,
                "stream": true,
                "stream_options": { "include_usage": true },
            }),
        });
    }
    Ok(plan)
}

/// Sends requests and collects what came back.
struct Runner<'a> {
    server: &'a Server,
    target: &'a str,
    timeout: Duration,
    concurrency: usize,
    verbose: bool,
    stop: &'a StopSignal,
}

impl Runner<'_> {
    /// Sends every request (at `rate` per second as a Poisson process, else all at once),
    /// at most `concurrency` in flight, until all are back or the run is stopped.
    /// Returns the successes, the number of failures and the wall time.
    async fn send_all(
        &self,
        plan: Vec<Planned>,
        rate: Option<f64>,
        what: &str,
        seed: u64,
    ) -> (Vec<Timed>, usize, Duration) {
        let total = plan.len();
        let bar = progress::bar(total, what);
        let (tx, mut rx) = mpsc::unbounded_channel();
        let start = Instant::now();
        let dispatcher = tokio::spawn(dispatch(
            plan,
            rate,
            seed,
            Arc::new(Semaphore::new(self.concurrency)),
            self.server.clone(),
            self.target.to_string(),
            self.timeout,
            self.stop.clone(),
            tx,
        ));
        let mut done = Vec::with_capacity(total);
        let mut failed = 0;
        let mut first_failure = None;
        for _ in 0..total {
            let received = tokio::select! {
                biased;
                _ = self.stop.stopped() => break,
                r = rx.recv() => r,
            };
            let Some((sent, result)) = received else {
                break;
            };
            bar.inc(1);
            match result {
                Ok(completion) => done.push(Timed {
                    start: Instant::duration_since(&sent, start).as_secs_f64(),
                    completion,
                }),
                Err(failure) => {
                    failed += 1;
                    if self.verbose {
                        bar.suspend(|| eprintln!("{what}: request failed: {failure}"));
                    }
                    first_failure.get_or_insert(failure);
                }
            }
        }
        let elapsed = start.elapsed();
        dispatcher.abort();
        bar.finish_and_clear();
        if let Some(f) = first_failure
            && !self.verbose
        {
            eprintln!(
                "{what}: {failed} of {total} requests failed, the first with: {f} (--verbose shows all)"
            );
        }
        (done, failed, elapsed)
    }
}

type Outcome = (Instant, Result<Completion, Failure>);

#[allow(clippy::too_many_arguments)]
async fn dispatch(
    plan: Vec<Planned>,
    rate: Option<f64>,
    seed: u64,
    slots: Arc<Semaphore>,
    server: Server,
    target: String,
    timeout: Duration,
    stop: StopSignal,
    tx: mpsc::UnboundedSender<Outcome>,
) {
    let mut arrivals = StdRng::seed_from_u64(seed.wrapping_add(1));
    let gaps = rate.and_then(|r| Exp::new(r).ok());
    let mut next = tokio::time::Instant::now();
    let mut tasks = tokio::task::JoinSet::new();
    for planned in plan {
        if let Some(exp) = &gaps {
            next += Duration::from_secs_f64(exp.sample(&mut arrivals));
            tokio::time::sleep_until(next).await;
        }
        let (slots, server, target, stop, tx) = (
            slots.clone(),
            server.clone(),
            target.clone(),
            stop.clone(),
            tx.clone(),
        );
        tasks.spawn(async move {
            let Ok(_slot) = slots.acquire_owned().await else {
                return;
            };
            let sent = Instant::now();
            let result = match tokio::time::timeout(
                timeout,
                stream_completion(&server.stream, &target, &planned.body),
            )
            .await
            {
                Ok(r) => r,
                Err(_) => Err(Failure::TimedOut(timeout.as_secs_f64())),
            };
            if let Err(f) = &result
                && f.is_transport()
                && !server.alive().await
            {
                stop.trigger(Stop::ServerLost(format!(
                    "the server at {} stopped accepting connections ({f})",
                    server.base
                )));
            }
            let _ = tx.send((sent, result));
        });
    }
    // Keep the tasks owned until they end; aborting the dispatcher aborts them all.
    while tasks.join_next().await.is_some() {}
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
