//! `benchanim import genai-perf`: genai-perf's and aiperf's exports.

use std::path::PathBuf;

use super::super::inputs::ResultsArgs;
use crate::import::{self, Imported};

/// Turn genai-perf's `profile_export_genai_perf.json` or aiperf's
/// `profile_export_aiperf.json` into `genai_perf` or `aiperf` result files: one export, or
/// every export under a folder, such as the artifacts folder of a sweep (one run folder per
/// concurrency or request rate).
///
/// The benchmark id is `<family>_<model>`, so a sweep's levels share it; the level is a
/// config row, `max_concurrency` or `request_rate`, with `input_len`, `output_len`,
/// `num_prompts`, `endpoint_type` and `streaming` where `input_config` gives them. Metrics
/// get the names vLLM results use, latencies in ms whatever unit the export gives
/// (ns, ms): time_to_first_token → ttft_*, inter_token_latency (per request, after the
/// first token: what vLLM calls TPOT) → tpot_*, aiperf's inter_chunk_latency → itl_*,
/// request_latency → e2el_*, each as _mean, _median, _p90, _p95, _p99, _min, _max, _std;
/// output/input/total_token_throughput (tok/s), request_throughput (req/s), request_count →
/// successful_requests, error_request_count → failed_requests, benchmark_duration (s),
/// total_isl/total_osl → total_input_tokens/total_generated_tokens. The time is aiperf's
/// `start_time`, else the file's modification time. A run with no successful request is
/// not filed (a warning names it); in a folder, files that are not exports are reported
/// and skipped (an error with --strict).
///
/// Example:
///   benchanim import genai-perf artifacts/ --gpu-name "NVIDIA H100 80GB HBM3"
#[derive(Debug, clap::Args)]
#[command(verbatim_doc_comment)]
pub struct GenaiPerfArgs {
    /// An export, or a folder searched at any depth for `*_genai_perf.json` and
    /// `*_aiperf.json`.
    #[arg(value_name = "PATH")]
    pub path: PathBuf,
    /// The GPU the server ran on (the exports do not say).
    #[arg(long, value_name = "NAME")]
    pub gpu_name: String,
    #[command(flatten)]
    pub output: ResultsArgs,
}

impl GenaiPerfArgs {
    /// Imports what the arguments name into the results folder.
    pub fn import(&self, done: &mut Imported) -> anyhow::Result<()> {
        import::import_genai_perf(&self.path, &self.gpu_name, &self.output.results, done)
    }
}
