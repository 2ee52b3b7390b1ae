//! `benchanim import sglang`: what sglang's `bench_serving` appends to its output file.

use std::path::PathBuf;

use super::super::inputs::ResultsArgs;
use crate::import::{self, Imported};

/// Turn what `python -m sglang.bench_serving --output-file FILE` appends to FILE (JSON
/// lines, one run per line) into `sglang_bench` result files, one per line.
///
/// The benchmark id is `sglang_bench_<model>_<dataset>` (and `_<tag>` with sglang's --tag);
/// the model is the sglang server's (`server_info.model_path`), else --model. Config rows:
/// backend, dataset_name, tag, request_rate (inf when all at once), max_concurrency, and
/// for the random datasets input_len, output_len, range_ratio. Metrics, named as vLLM
/// results are: duration → benchmark_duration (s), completed → successful_requests,
/// total_input_tokens, total_output_tokens → total_generated_tokens,
/// request_throughput (req/s), input/output/total_throughput →
/// input/output/total_token_throughput (tok/s), {mean,median,p90,p95,p99,std}_ttft_ms,
/// _tpot_ms, _itl_ms and _e2e_latency_ms → ttft_mean, …, e2el_std (ms),
/// max_output_tokens_per_s → peak_output_throughput, max_concurrent_requests →
/// peak_concurrent_requests, concurrency and accept_length as they are. The lines do not
/// say when they ran: the file's modification time does, one second apart per line. A
/// line with no completed request, or a NaN where a figure belongs, is named by its line
/// in a warning and not filed (an error with --strict).
///
/// Example:
///   benchanim import sglang results.jsonl --gpu-name "NVIDIA H100 80GB HBM3"
#[derive(Debug, clap::Args)]
#[command(verbatim_doc_comment)]
pub struct SglangArgs {
    /// The JSON lines file, or a folder searched at any depth for `*.jsonl`.
    #[arg(value_name = "FILE")]
    pub path: PathBuf,
    /// The GPU the server ran on (the lines do not say).
    #[arg(long, value_name = "NAME")]
    pub gpu_name: String,
    /// The model served, for lines that do not name it (a server other than sglang's).
    #[arg(long, value_name = "NAME")]
    pub model: Option<String>,
    #[command(flatten)]
    pub output: ResultsArgs,
}

impl SglangArgs {
    /// Imports what the arguments name into the results folder.
    pub fn import(&self, done: &mut Imported) -> anyhow::Result<()> {
        import::import_sglang(
            &self.path,
            &self.gpu_name,
            self.model.as_deref(),
            &self.output.results,
            done,
        )
    }
}
