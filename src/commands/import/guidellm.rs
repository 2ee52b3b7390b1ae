//! `benchanim import guidellm`: guidellm's report.

use std::path::PathBuf;

use super::super::inputs::ResultsArgs;
use crate::import::{self, Imported};

/// Turn guidellm's report (`benchmarks.json`, as `guidellm run` saves it) into
/// `guidellm` result files, one per benchmark: one per level of a sweep.
///
/// The benchmark id is `guidellm_<model>`; each benchmark's strategy is a config row,
/// `strategy` (synchronous, throughput, concurrent, constant, poisson), with its level:
/// synchronous → max_concurrency 1, concurrent → max_concurrency (its streams),
/// constant and poisson → request_rate (its rate), throughput → request_rate inf; the
/// synthetic data's input_len and output_len and the backend's endpoint too. Metrics
/// of the successful requests, named as vLLM results are: time_to_first_token_ms →
/// ttft_*, inter_token_latency_ms (after the first token: vLLM's TPOT) → tpot_*,
/// time_per_output_token_ms (the first token included) → latency_per_token_*,
/// request_latency → e2el_* (s to ms), each as _mean, _median, _p90, _p95, _p99, _min,
/// _max, _std; requests_per_second → request_throughput (req/s),
/// output_tokens_per_second, prompt_tokens_per_second, tokens_per_second →
/// output/input/total_token_throughput (tok/s, means), successful/errored requests. The
/// time is each benchmark's start. A benchmark with no successful request is named in a
/// warning and not filed.
///
/// Example:
///   benchanim import guidellm benchmarks.json --gpu-name "NVIDIA H100 80GB HBM3"
#[derive(Debug, clap::Args)]
#[command(verbatim_doc_comment)]
pub struct GuidellmArgs {
    /// The report, or a folder searched at any depth for `*.json` reports.
    #[arg(value_name = "FILE")]
    pub path: PathBuf,
    /// The GPU the server ran on (the report does not say).
    #[arg(long, value_name = "NAME")]
    pub gpu_name: String,
    #[command(flatten)]
    pub output: ResultsArgs,
}

impl GuidellmArgs {
    /// Imports what the arguments name into the results folder.
    pub fn import(&self, done: &mut Imported) -> anyhow::Result<()> {
        import::import_guidellm(&self.path, &self.gpu_name, &self.output.results, done)
    }
}
