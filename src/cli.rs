//! Command-line arguments.

use std::path::PathBuf;

use clap::{Parser, Subcommand};

use crate::report::Format;

/// Turns GPU benchmark results into animated bar-chart videos.
///
/// Results are CSV files in `benchmark_results/<GPU>/`, one per run. `report` collates them into
/// tables; `import` brings in result files you already have.
#[derive(Debug, Parser)]
#[command(name = "benchanim", version, about, long_about)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Collate the results into a table per benchmark (Markdown, JSON or CSV).
    ///
    /// One section per category, one table per benchmark with its config, a column per GPU.
    /// The best value of each row is bold; NA marks a GPU without a result. When a GPU has
    /// several runs of a benchmark, the newest counts.
    Report(ReportArgs),
    /// Bring existing result files or tool outputs into the results folder.
    #[command(subcommand)]
    Import(ImportCommand),
    /// Run a benchmark against a server or program and write a result file.
    Bench(crate::bench::BenchArgs),
    /// Print the HTML, Markdown and image snippets that put a rendered scene in a post.
    Embed(crate::gallery::EmbedArgs),
}

/// Where results are read from, and how strictly.
#[derive(Debug, clap::Args)]
pub struct ResultsArgs {
    /// Folder of result files, laid out as `<GPU>/*.csv`.
    #[arg(long, value_name = "DIR", default_value = "benchmark_results")]
    pub results: PathBuf,
    /// Fail (exit code 1) when any file or row could not be read, instead of only warning.
    #[arg(long)]
    pub strict: bool,
}

#[derive(Debug, clap::Args)]
pub struct ReportArgs {
    #[command(flatten)]
    pub input: ResultsArgs,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Markdown)]
    pub format: Format,
    /// Write to FILE instead of standard output.
    #[arg(long, short, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Show these metrics (comma-separated) instead of each family's headline ones.
    #[arg(long, value_delimiter = ',', value_name = "a,b")]
    pub metrics: Option<Vec<String>>,
    /// A column per run instead of only the newest run per GPU.
    #[arg(long)]
    pub all_runs: bool,
}

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
