//! `benchanim import`: result files and other tools' outputs into the results folder.

use std::path::PathBuf;

use clap::Subcommand;

use super::inputs::{ResultsArgs, warn};
use crate::import::{self, Imported};

#[derive(Debug, Subcommand)]
pub enum ImportCommand {
    /// Copy result CSV files (folders laid out as `<GPU>/*.csv`, or single files) into the
    /// results folder, normalized and without machine-local fields (model_path, server_url).
    /// Runs already there are skipped; nothing is overwritten.
    Results {
        /// Folders or files to import.
        #[arg(required = true)]
        sources: Vec<PathBuf>,
        #[command(flatten)]
        output: ResultsArgs,
    },
    /// Turn the JSON `vllm bench serve --save-result` writes into a `vLLM` result file.
    /// Settings vLLM does not save (input_len, output_len, range_ratio, seed, test_type,
    /// device) are taken from `--metadata KEY=VALUE` entries when present.
    VllmJson {
        /// The JSON file (one result, or several with `--append-result`).
        file: PathBuf,
        /// The GPU the run was on; needed unless the file has `device` metadata.
        #[arg(long, value_name = "NAME")]
        gpu_name: Option<String>,
        #[command(flatten)]
        output: ResultsArgs,
    },
    /// Turn the output of `llama-bench -o json` (or `-o jsonl`) into `llama_bench` result
    /// files: one per model and settings, `<test>_tokens_per_second` rows (pp512, tg128, ...).
    LlamaBench {
        /// The JSON file.
        file: PathBuf,
        /// The GPU the run was on, instead of the file's `gpu_info` (or `cpu_info`).
        #[arg(long, value_name = "NAME")]
        gpu_name: Option<String>,
        #[command(flatten)]
        output: ResultsArgs,
    },
}

pub fn run(command: ImportCommand) -> anyhow::Result<u8> {
    let mut done = Imported::default();
    let (imported, output) = match command {
        ImportCommand::Results { sources, output } => (
            import::import_results(&sources, &output.results, &mut done),
            output,
        ),
        ImportCommand::VllmJson {
            file,
            gpu_name,
            output,
        } => (
            import::import_vllm_json(&file, gpu_name.as_deref(), &output.results, &mut done),
            output,
        ),
        ImportCommand::LlamaBench {
            file,
            gpu_name,
            output,
        } => (
            import::import_llama_bench(&file, gpu_name.as_deref(), &output.results, &mut done),
            output,
        ),
    };
    match imported {
        Ok(()) => Ok(summarize(&done, &output)),
        Err(e) => {
            // What was read before the error is told as it would have been.
            warn(&done.warnings, false);
            Err(with_written(e, &done))
        }
    }
}

/// `error`, followed by the files written before it: they stay, and the user should know.
fn with_written(error: anyhow::Error, done: &Imported) -> anyhow::Error {
    let count = done.written.len();
    if count == 0 {
        return error;
    }
    let mut message = format!(
        "{error:#}\n{count} result file{} written before the error and {}:",
        if count == 1 { " was" } else { "s were" },
        if count == 1 { "stays" } else { "stay" },
    );
    for path in &done.written {
        message.push_str(&format!("\n  {}", path.display()));
    }
    anyhow::anyhow!(message)
}

/// Says what was written and what was already there; the exit code follows `--strict`.
fn summarize(done: &Imported, output: &ResultsArgs) -> u8 {
    for path in &done.written {
        eprintln!("wrote {}", path.display());
    }
    for path in &done.skipped {
        eprintln!("already there: {}", path.display());
    }
    eprintln!(
        "imported {} result file{} into {} ({} already there)",
        done.written.len(),
        if done.written.len() == 1 { "" } else { "s" },
        output.results.display(),
        done.skipped.len()
    );
    warn(&done.warnings, output.strict)
}
