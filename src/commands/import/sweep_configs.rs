//! `benchanim import sweep-configs`: the runs plot_model_comparison.py compares.

use std::path::PathBuf;

use super::super::inputs::ResultsArgs;
use crate::import::{self, Imported};

/// Turn the runs plot_model_comparison.py compares (`<Model>/run_*/benchmark_results.json`)
/// into `vllm_latency_sweep` result files, one per run.
///
/// PATH is the comparison's base folder (benchmarks/llm/vllm/latency/sweep_configs), one
/// model's folder or one file.
/// The benchmark id is `vllm_latency_sweep_<model folder>` (Qwen_Qwen3-4B-AWQ →
/// vllm_latency_sweep_Qwen_Qwen3_4B_AWQ); `model` is the config's model_name. Every
/// setting in `benchmark_config` is a config row (tensor_parallel_size,
/// data_parallel_size, pipeline_parallel_size, max_num_batched_tokens, ...). The metrics
/// are the seven the comparison plots, in ms and tok/s: overall_throughput_tokens_per_sec,
/// total_latency_p50_ms, total_latency_p99_ms, ttft_p50_ms, ttft_p99_ms,
/// inter_token_p50_ms, inter_token_p99_ms; the summary's counts become
/// successful_requests, total_input_tokens and total_generated_tokens. The time is the run
/// folder's (run_20250612_143015), else the file's modification time.
///
/// Example:
///   benchanim import sweep-configs benchmarks/llm/vllm/latency/sweep_configs \
///       --gpu-name "NVIDIA H100 80GB HBM3"
#[derive(Debug, clap::Args)]
#[command(verbatim_doc_comment)]
pub struct SweepConfigsArgs {
    /// The base folder (searched at any depth for benchmark_results.json), one model's
    /// folder, or one benchmark_results.json.
    #[arg(value_name = "PATH")]
    pub path: PathBuf,
    /// The GPU the runs were on (the files do not say).
    #[arg(long, value_name = "NAME")]
    pub gpu_name: String,
    #[command(flatten)]
    pub output: ResultsArgs,
}

impl SweepConfigsArgs {
    /// Imports what the arguments name into the results folder.
    pub fn import(&self, done: &mut Imported) -> anyhow::Result<()> {
        import::import_sweep_configs(&self.path, &self.gpu_name, &self.output.results, done)
    }
}
