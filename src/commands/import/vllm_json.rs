//! `benchanim import vllm-json`: what `vllm bench serve --save-result` writes.

use std::path::PathBuf;

use super::super::inputs::ResultsArgs;
use crate::import::{self, Imported};

/// Turn the JSON `vllm bench serve --save-result` writes into `vLLM` result files: one
/// file, or every `*.json` under a folder, such as what `vllm bench sweep serve` leaves
/// (`<experiment>/SERVE-…-BENCH-…/run=N.json`).
///
/// Settings vLLM does not save (input_len, output_len, range_ratio, seed, test_type,
/// device) are taken from `--metadata KEY=VALUE` entries when present. In a sweep's
/// folders, the parameters its folder names give (max_num_seqs=64, max_concurrency=8, …)
/// become config rows where the result lacks them, `run=N` becomes `iteration`, and a
/// `YYYYMMDD_HHMMSS` experiment folder becomes `sweep_id`; warm-up runs and the sweep's
/// `summary.json` are left out. In a folder, files that are not vLLM results, or whose
/// results do not name the GPU, are reported and skipped (an error with --strict).
#[derive(Debug, clap::Args)]
#[command(verbatim_doc_comment)]
pub struct VllmJsonArgs {
    /// The JSON file (one result, or several with `--append-result`) or a folder of them.
    #[arg(value_name = "PATH")]
    pub file: PathBuf,
    /// The GPU the runs were on; needed unless each result has `device` metadata.
    #[arg(long, value_name = "NAME")]
    pub gpu_name: Option<String>,
    #[command(flatten)]
    pub output: ResultsArgs,
}

impl VllmJsonArgs {
    /// Imports what the arguments name into the results folder.
    pub fn import(&self, done: &mut Imported) -> anyhow::Result<()> {
        import::import_vllm_json(
            &self.file,
            self.gpu_name.as_deref(),
            &self.output.results,
            done,
        )
    }
}
