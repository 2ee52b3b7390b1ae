//! `benchanim import`: result files and other tools' outputs into the results folder.

use std::path::PathBuf;

use clap::Subcommand;

use super::inputs::{ResultsArgs, warn};
use crate::import::{self, Imported, LlmOnRay};

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
    /// Turn the JSON `vllm bench serve --save-result` writes into `vLLM` result files: one
    /// file, or every `*.json` under a folder, such as what `vllm bench sweep serve` leaves
    /// (`<experiment>/SERVE-…-BENCH-…/run=N.json`).
    ///
    /// Settings vLLM does not save (input_len, output_len, range_ratio, seed, test_type,
    /// device) are taken from `--metadata KEY=VALUE` entries when present. In a sweep's
    /// folders, the parameters its folder names give (max_num_seqs=64, max_concurrency=8, …)
    /// become config rows where the result lacks them, `run=N` becomes `iteration`, and a
    /// `YYYYMMDD_HHMMSS` experiment folder becomes `sweep_id`; warm-up runs and the sweep's
    /// `summary.json` are left out. In a folder, files that are not vLLM results are reported
    /// and skipped (an error with --strict).
    #[command(verbatim_doc_comment)]
    VllmJson {
        /// The JSON file (one result, or several with `--append-result`) or a folder of them.
        #[arg(value_name = "PATH")]
        file: PathBuf,
        /// The GPU the runs were on; needed unless each result has `device` metadata.
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
    #[command(verbatim_doc_comment)]
    LlmOnRay {
        /// A folder of results (searched at any depth for summary_*.json) or one summary.
        #[arg(value_name = "PATH")]
        path: PathBuf,
        /// The GPU the server ran on (the summaries do not say).
        #[arg(long, value_name = "NAME")]
        gpu_name: String,
        /// The model the server ran (the summaries do not say); run_benchmark.sh serves
        /// llama-2-7b-chat-hf.
        #[arg(long, value_name = "NAME", default_value = "llama-2-7b-chat-hf")]
        model: String,
        /// Server replicas, for the batch size of `num_prompts_N` folders (N / replicas);
        /// run_benchmark.sh uses 4.
        #[arg(long, value_name = "N", default_value_t = 4)]
        replicas: u32,
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
        ImportCommand::LlmOnRay {
            path,
            gpu_name,
            model,
            replicas,
            output,
        } => {
            let how = LlmOnRay {
                gpu: gpu_name,
                model,
                replicas,
            };
            (
                import::import_llm_on_ray(&path, &how, &output.results, &mut done),
                output,
            )
        }
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

/// Says what was written, what was already there and what was skipped; the exit code follows
/// `--strict`.
fn summarize(done: &Imported, output: &ResultsArgs) -> u8 {
    for path in &done.written {
        eprintln!("wrote {}", path.display());
    }
    for (source, there) in &done.already {
        eprintln!(
            "already imported: {} (as {})",
            source.display(),
            there.display()
        );
    }
    for skipped in done.skipped.iter().filter(|s| !s.problem) {
        eprintln!("skipped {}: {}", skipped.path.display(), skipped.reason);
    }
    let problems = done.problems();
    warn(&problems, false);
    let plural = |n: usize| if n == 1 { "" } else { "s" };
    eprintln!(
        "imported {} run{} into {} ({} already there, {} skipped)",
        done.written.len(),
        plural(done.written.len()),
        output.results.display(),
        done.already.len(),
        done.skipped.len()
    );
    if output.strict && !problems.is_empty() {
        eprintln!(
            "error: {} warning{} and --strict was given",
            problems.len(),
            plural(problems.len())
        );
        1
    } else {
        0
    }
}
