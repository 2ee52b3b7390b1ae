//! `benchanim bench openai`: its arguments.

use clap::Args;

use super::{CommonArgs, RequestArgs};
use crate::bench::runners::openai::{OpenAi, OpenAiOptions};

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
    #[command(flatten)]
    pub requests: RequestArgs,
    /// Most requests in flight at once.
    #[arg(long, default_value_t = 10, value_parser = clap::value_parser!(u32).range(1..=4096))]
    pub max_concurrency: u32,
    /// Requests per second, arriving as a Poisson process; all at once if not given.
    #[arg(long)]
    pub request_rate: Option<f64>,
    /// Mean input length in tokens.
    #[arg(long, default_value_t = 1000, value_parser = clap::value_parser!(u32).range(1..=1_000_000))]
    pub input_len: u32,
    /// Mean output length in tokens.
    #[arg(long, default_value_t = 300, value_parser = clap::value_parser!(u32).range(1..=1_000_000))]
    pub output_len: u32,
    /// Lengths vary uniformly by this fraction around the mean.
    #[arg(long, default_value_t = 0.3)]
    pub range_ratio: f64,
    #[command(flatten)]
    pub common: CommonArgs,
}

impl OpenAiArgs {
    /// The runner these arguments describe, once they are checked.
    pub fn runner(self) -> anyhow::Result<(CommonArgs, OpenAi)> {
        if !(0.0..1.0).contains(&self.range_ratio) {
            anyhow::bail!(
                "--range-ratio must be at least 0 and below 1, not {}",
                self.range_ratio
            );
        }
        if let Some(r) = self.request_rate
            && !(0.001..=1_000_000.0).contains(&r)
        {
            anyhow::bail!(
                "--request-rate {} is out of range: 0.001 to 1000000 requests per second",
                crate::terminal::number(r)
            );
        }
        let options = OpenAiOptions {
            timeout: self.requests.timeout()?,
            url: self.url,
            model: self.model,
            prompts: self.requests.prompts as usize,
            warmups: self.requests.warmups as usize,
            max_concurrency: self.max_concurrency as usize,
            request_rate: self.request_rate,
            input_len: self.input_len,
            output_len: self.output_len,
            range_ratio: self.range_ratio,
            seed: self.requests.seed,
        };
        Ok((self.common, OpenAi::new(options)?))
    }
}
