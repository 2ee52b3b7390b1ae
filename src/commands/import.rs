//! `benchanim import`: result files and other tools' outputs into the results folder.

use std::path::PathBuf;

use clap::{Subcommand, ValueEnum};

use super::inputs::{ResultsArgs, warn};
use crate::import::{self, GroupCenter, Imported, LlmOnRay, MultitenantImport, TableImport};

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
    #[command(verbatim_doc_comment)]
    GenaiPerf {
        /// An export, or a folder searched at any depth for `*_genai_perf.json` and
        /// `*_aiperf.json`.
        #[arg(value_name = "PATH")]
        path: PathBuf,
        /// The GPU the server ran on (the exports do not say).
        #[arg(long, value_name = "NAME")]
        gpu_name: String,
        #[command(flatten)]
        output: ResultsArgs,
    },
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
    #[command(verbatim_doc_comment)]
    Sglang {
        /// The JSON lines file, or a folder searched at any depth for `*.jsonl`.
        #[arg(value_name = "FILE")]
        path: PathBuf,
        /// The GPU the server ran on (the lines do not say).
        #[arg(long, value_name = "NAME")]
        gpu_name: String,
        /// The model served, for lines that do not name it (a server other than sglang's).
        #[arg(long, value_name = "NAME")]
        model: Option<String>,
        #[command(flatten)]
        output: ResultsArgs,
    },
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
    #[command(verbatim_doc_comment)]
    Guidellm {
        /// The report, or a folder searched at any depth for `*.json` reports.
        #[arg(value_name = "FILE")]
        path: PathBuf,
        /// The GPU the server ran on (the report does not say).
        #[arg(long, value_name = "NAME")]
        gpu_name: String,
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
    /// Turn a wide table (a CSV file with a header row, or JSON objects one per line) into
    /// result files: one run per row, or one per group of rows with --group-by.
    ///
    /// Columns named with --config or --group-by, sweep fields (batch_size, max_concurrency,
    /// tensor_parallel_size, ...), index columns (run, iteration, idx, id), success/error
    /// columns and columns with text in them are config; every other column is a metric, and each of its cells must then be a finite number (or empty: not
    /// measured). NaN, infinities, text in a number column, negative values of metrics that
    /// say which way is better (latencies, throughputs) and rows with more or fewer cells than
    /// the header are refused, naming the line and the column, and then nothing is written. A `device` or `gpu` column names each run's GPU, a `timestamp`
    /// column its time (else --timestamp, else the file's modification time). Nested JSON
    /// objects become `outer.inner` columns.
    ///
    /// Rows that failed (a `success`/`ok` column that is false, an `error` column that is not
    /// empty, or --failed-if) are counted in failed_requests and left out of every figure; a
    /// run whose rows all failed is not filed, and the import then exits 1.
    ///
    /// Files are named `<family>_<GPU>_<name>_<time>.csv`: the benchmark id is the family
    /// (--family, else the file's name without the time in it) and the --name template filled
    /// in, sanitized (`exo_bench_llama_3_2_1b`).
    ///
    /// Known by their columns, with no options needed but --gpu-name:
    ///   exo-lab's benchmark_results.csv (model, prompt, latency, memory_usage, output_length,
    ///   tokens_per_second): family exo_bench, units s, MB, chars and chars/s (exo counts
    ///   characters); and plot_model_comparison.py's <Model>/benchmark_results_summary.csv:
    ///   family vllm_latency_sweep, TP/DP/PP as tensor/data/pipeline_parallel_size, the model
    ///   from the folder's name.
    ///
    /// Importing the same rows again writes nothing. To import them again with other options,
    /// remove the files the first import wrote.
    ///
    /// Examples:
    ///   benchanim import table benchmark_results.csv --gpu-name "NVIDIA GeForce RTX 4090" \
    ///       --group-by model --aggregate mean --set engine=tinygrad
    ///   benchanim import table runs.jsonl --gpu-name "NVIDIA GB10" --family my_bench \
    ///       --name "{model}_c{concurrency}" --config concurrency --unit tps=tok/s
    #[command(verbatim_doc_comment)]
    Table {
        /// The table: CSV with a header row (pandas' index column is left out; tab-separated
        /// works too), or JSON lines (one object per line; a JSON array of objects also works).
        #[arg(required = true, value_name = "FILE")]
        files: Vec<PathBuf>,
        /// The GPU the runs were on, for every row; needed unless the table has a `device` or
        /// `gpu` column.
        #[arg(long, value_name = "NAME")]
        gpu_name: Option<String>,
        /// One run per group of rows that share these columns' values (a `device`/`gpu` column
        /// is always part of the group), e.g. `--group-by model` for one run per model over its
        /// prompts. Text columns that differ within a group (exo's `prompt`) are left out; the
        /// run records how many rows it is made of (`runs`).
        #[arg(long, value_name = "COL[,COL]", value_delimiter = ',')]
        group_by: Vec<String>,
        /// What a group's metrics become: mean (the default with --group-by) or median. Each
        /// metric also gets `<metric>_min`, `_max`, `_stdev` (sample, 3 significant digits) and
        /// `_n` rows in a `# Spread` section. Example: `--aggregate median`.
        #[arg(long, value_name = "HOW", requires = "group_by")]
        aggregate: Option<Aggregate>,
        /// Columns that are config rather than metrics, optionally renamed, e.g.
        /// `--config TP=tensor_parallel_size,seed`. By default text columns and sweep fields
        /// are config and number columns are metrics.
        #[arg(long, value_name = "COL[=FIELD],…", value_delimiter = ',')]
        config: Vec<String>,
        /// The unit of a metric column, e.g. `--unit latency=s --unit tps=tok/s` (repeatable).
        /// Without it, a name's ending says: `_ms` → ms, `_s` → s, `_tokens_per_sec` → tok/s,
        /// `_pct` → %, `_mb` → MB.
        #[arg(long = "unit", value_name = "COL=UNIT")]
        units: Vec<String>,
        /// A config row added to every run, e.g. `--set engine=tinygrad` (repeatable). Its key
        /// may appear in --name: `--set quant=awq --name "{model}_{quant}"`.
        #[arg(long, value_name = "KEY=VALUE")]
        set: Vec<String>,
        /// The first part of the file names and benchmark ids, e.g. `--family exo_bench`
        /// [default: exo_bench or vllm_latency_sweep for their tables, else the file's name
        /// without its extension].
        #[arg(long, value_name = "NAME")]
        family: Option<String>,
        /// The benchmark id after the family: text with `{COLUMN}` (or `{KEY}` of --set) filled
        /// in from each run, e.g. `--name "{model}_tp{TP}"` [default: the --group-by columns
        /// joined by `_`, else `{model}` when there is a model, else nothing].
        #[arg(long, value_name = "TEMPLATE")]
        name: Option<String>,
        /// The runs' time, e.g. `--timestamp 20250612_143015` or `2025-06-12T14:30:15`
        /// [default: a `timestamp` column, else a YYYYMMDD_HHMMSS in the file's name, else the
        /// file's modification time].
        #[arg(long, value_name = "TIME")]
        timestamp: Option<String>,
        /// Rows whose COLUMN holds VALUE failed, e.g. `--failed-if status=timeout`
        /// (repeatable). Failed rows are counted in failed_requests and left out of every
        /// figure; a run whose rows all failed is not filed. [default: a `success` or `ok`
        /// column that is false, or an `error` column that is not empty]
        #[arg(long = "failed-if", value_name = "COLUMN=VALUE")]
        failed_if: Vec<String>,
        #[command(flatten)]
        output: ResultsArgs,
    },
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
    #[command(verbatim_doc_comment)]
    SweepConfigs {
        /// The base folder (searched at any depth for benchmark_results.json), one model's
        /// folder, or one benchmark_results.json.
        #[arg(value_name = "PATH")]
        path: PathBuf,
        /// The GPU the runs were on (the files do not say).
        #[arg(long, value_name = "NAME")]
        gpu_name: String,
        #[command(flatten)]
        output: ResultsArgs,
    },
    /// Turn multi-tenant experiments (several models sharing one GPU, each tenant's
    /// `<experiment>/<tenant>/events.jsonl`) into a result file per tenant and one per
    /// experiment.
    ///
    /// DIR is an experiment's folder (`data/<experiment>`, with the YAML config it ran with
    /// copied in) or a folder of them. A tenant's file is `multitenant_<model>_b<batch>_L<seq>`
    /// with its config (experiment, tenant, tenants, mps, model_name, batch_size, seq_len,
    /// num_iters, num_warmup), its latency mean and p50/p90/p95/p99 in ms (from `run_end`,
    /// else computed from the iterations as numpy does), throughput_tokens_per_s,
    /// tokens_processed, wall_time_s, gpu_busy_pct (its iterations' time over its wall time),
    /// and its latencies as a `# series latency_ms by iteration` section. A log without
    /// `run_end` is imported with `partial,true`; a broken line is a warning naming it. The
    /// experiment's file, `multitenant_experiment`, has gpu_throughput_tokens_per_s (every
    /// tenant's tokens over the longest wall time), max_wall_time_s and max_latency_p99_ms.
    /// `mps` comes from the YAML config's `mps:`, else `--set mps=true|false`. The time is
    /// `run_start`'s, in UTC.
    ///
    /// A log with two `run_start` events, an iteration number twice, events out of time order,
    /// or iterations that add up to more than its wall time is refused, naming the line. An
    /// experiment that cannot be imported (no YAML saying `mps:`, a broken YAML) is listed
    /// with the reason and the others are imported; the exit code is then 1.
    ///
    /// Example:
    ///   benchanim import multitenant data/2_llama_1_mistral --gpu-name "NVIDIA A100-SXM4-40GB"
    ///   benchanim import multitenant data --config-dir configs --gpu-name "NVIDIA A100-SXM4-40GB"
    #[command(verbatim_doc_comment)]
    Multitenant {
        /// An experiment's folder, or a folder of experiment folders.
        #[arg(value_name = "DIR")]
        path: PathBuf,
        /// The GPU the tenants shared (the logs do not say).
        #[arg(long, value_name = "NAME")]
        gpu_name: String,
        /// What the YAML config does not say: `--set mps=true` or `--set mps=false`.
        #[arg(long, value_name = "mps=BOOL", value_parser = parse_mps)]
        set: Option<bool>,
        /// A folder of the experiments' YAML configs, kept apart from their logs: an
        /// experiment folder without a YAML of its own uses `<experiment>.yaml` (or `.yml`,
        /// any case) from here.
        #[arg(long, value_name = "DIR")]
        config_dir: Option<PathBuf>,
        #[command(flatten)]
        output: ResultsArgs,
    },
}

/// `--aggregate`'s values: what a group's metrics become.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Aggregate {
    Mean,
    Median,
}

impl From<Aggregate> for GroupCenter {
    fn from(aggregate: Aggregate) -> GroupCenter {
        match aggregate {
            Aggregate::Mean => GroupCenter::Mean,
            Aggregate::Median => GroupCenter::Median,
        }
    }
}

/// `mps=true` or `mps=false`.
fn parse_mps(text: &str) -> Result<bool, String> {
    match text.trim().split_once('=') {
        Some(("mps", v)) => match v.trim().to_ascii_lowercase().as_str() {
            "true" | "yes" | "on" | "1" => Ok(true),
            "false" | "no" | "off" | "0" => Ok(false),
            _ => Err(format!("`{v}` is neither true nor false")),
        },
        _ => Err(format!(
            "`{text}`: only `mps=true` or `mps=false` can be set (the logs carry the rest)"
        )),
    }
}

pub fn run(command: ImportCommand) -> anyhow::Result<u8> {
    // Stopped, it keeps every result file already written and leaves no half-written one.
    crate::atomic::exit_cleanly_on_signal()?;
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
        ImportCommand::GenaiPerf {
            path,
            gpu_name,
            output,
        } => (
            import::import_genai_perf(&path, &gpu_name, &output.results, &mut done),
            output,
        ),
        ImportCommand::Sglang {
            path,
            gpu_name,
            model,
            output,
        } => (
            import::import_sglang(
                &path,
                &gpu_name,
                model.as_deref(),
                &output.results,
                &mut done,
            ),
            output,
        ),
        ImportCommand::Guidellm {
            path,
            gpu_name,
            output,
        } => (
            import::import_guidellm(&path, &gpu_name, &output.results, &mut done),
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
        ImportCommand::Table {
            files,
            gpu_name,
            group_by,
            aggregate,
            config,
            units,
            set,
            family,
            name,
            timestamp,
            failed_if,
            output,
        } => {
            let how = TableImport {
                failed_if,
                gpu: gpu_name,
                family,
                name,
                group_by,
                aggregate: aggregate.map(GroupCenter::from),
                config,
                units,
                set,
                timestamp,
            };
            (
                import::import_table(&files, &how, &output.results, &mut done),
                output,
            )
        }
        ImportCommand::SweepConfigs {
            path,
            gpu_name,
            output,
        } => (
            import::import_sweep_configs(&path, &gpu_name, &output.results, &mut done),
            output,
        ),
        ImportCommand::Multitenant {
            path,
            gpu_name,
            set,
            config_dir,
            output,
        } => {
            let how = MultitenantImport {
                gpu: gpu_name,
                mps: set,
                config_dir,
            };
            (
                import::import_multitenant(&path, &how, &output.results, &mut done),
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

/// Says what was written, what was already there and what was skipped; the exit code is 1
/// when a source could not be imported, or with `--strict` when anything was warned about.
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
    let refused = done.skipped.iter().filter(|s| s.problem).count();
    if refused > 0 {
        let rest = if done.written.is_empty() && done.already.is_empty() {
            "nothing else was there to import"
        } else {
            "the rest is imported"
        };
        eprintln!(
            "error: {refused} source{} could not be imported (listed above); {rest}",
            plural(refused)
        );
        1
    } else if output.strict && !problems.is_empty() {
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
