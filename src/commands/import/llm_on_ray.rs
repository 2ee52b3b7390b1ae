//! `benchanim import llm-on-ray`: llm-on-ray's benchmark summaries.

use std::path::PathBuf;

use super::super::inputs::ResultsArgs;
use crate::import::{self, Imported, LlmOnRay};

/// Turn llm-on-ray's benchmark output (`summary_<YYYYmmdd-HHMMSS>.json` files that
/// `benchmark_serving.py --results-dir` writes, in the folders `run_benchmark.sh` makes)
/// into `llm_on_ray` result files, one per summary.
///
/// The benchmark id is `llm_on_ray_<model>_choice<N>` (from a `choice_N` folder). Folders
/// become config rows: `bs_N` → batch_size, `vllm`/`wo_vllm` → engine (vllm/llm_on_ray;
/// vllm elsewhere), `iter_N` → iteration, `tokens_IN_OUT` → input_len and output_len,
/// `num_prompts_N` → max_concurrency (and batch_size N / --replicas). Latencies become ms:
/// avg_latency → e2el_mean, avg_per_token_latency → latency_per_token_mean,
/// avg_first_token_latency → ttft_mean, avg_next_token_latency → tpot_mean (null: N/A);
/// throughputs → request_throughput, input_token_throughput, output_token_throughput.
#[derive(Debug, clap::Args)]
#[command(verbatim_doc_comment)]
pub struct LlmOnRayArgs {
    /// A folder of results (searched at any depth for summary_*.json) or one summary.
    #[arg(value_name = "PATH")]
    pub path: PathBuf,
    /// The GPU the server ran on (the summaries do not say).
    #[arg(long, value_name = "NAME")]
    pub gpu_name: String,
    /// The model the server ran (the summaries do not say); run_benchmark.sh serves
    /// llama-2-7b-chat-hf.
    #[arg(long, value_name = "NAME", default_value = "llama-2-7b-chat-hf")]
    pub model: String,
    /// Server replicas, for the batch size of `num_prompts_N` folders (N / replicas);
    /// run_benchmark.sh uses 4.
    #[arg(long, value_name = "N", default_value_t = 4)]
    pub replicas: u32,
    #[command(flatten)]
    pub output: ResultsArgs,
}

impl LlmOnRayArgs {
    /// Imports what the arguments name into the results folder.
    pub fn import(&self, done: &mut Imported) -> anyhow::Result<()> {
        let how = LlmOnRay {
            gpu: self.gpu_name.clone(),
            model: self.model.clone(),
            replicas: self.replicas,
        };
        import::import_llm_on_ray(&self.path, &how, &self.output.results, done)
    }
}
