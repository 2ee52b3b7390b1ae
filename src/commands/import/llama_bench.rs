//! `benchanim import llama-bench`: what `llama-bench -o json` prints.

use std::path::PathBuf;

use super::super::inputs::ResultsArgs;
use crate::import::{self, Imported};

/// Turn the output of `llama-bench -o json` (or `-o jsonl`) into `llama_bench` result
/// files: one per model and settings, `<test>_tokens_per_second` rows (pp512, tg128, ...).
#[derive(Debug, clap::Args)]
pub struct LlamaBenchArgs {
    /// The JSON file.
    pub file: PathBuf,
    /// The GPU the run was on, instead of the file's `gpu_info` (or `cpu_info`).
    #[arg(long, value_name = "NAME")]
    pub gpu_name: Option<String>,
    #[command(flatten)]
    pub output: ResultsArgs,
}

impl LlamaBenchArgs {
    /// Imports what the arguments name into the results folder.
    pub fn import(&self, done: &mut Imported) -> anyhow::Result<()> {
        import::import_llama_bench(
            &self.file,
            self.gpu_name.as_deref(),
            &self.output.results,
            done,
        )
    }
}
