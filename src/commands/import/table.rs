//! `benchanim import table`: a wide table of runs (CSV or JSON lines).

use std::path::PathBuf;

use super::super::inputs::ResultsArgs;
use clap::ValueEnum;

use crate::import::{self, GroupCenter, Imported, TableImport};

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
#[derive(Debug, clap::Args)]
#[command(verbatim_doc_comment)]
pub struct TableArgs {
    /// The table: CSV with a header row (pandas' index column is left out; tab-separated
    /// works too), or JSON lines (one object per line; a JSON array of objects also works).
    #[arg(required = true, value_name = "FILE")]
    pub files: Vec<PathBuf>,
    /// The GPU the runs were on, for every row; needed unless the table has a `device` or
    /// `gpu` column.
    #[arg(long, value_name = "NAME")]
    pub gpu_name: Option<String>,
    /// One run per group of rows that share these columns' values (a `device`/`gpu` column
    /// is always part of the group), e.g. `--group-by model` for one run per model over its
    /// prompts. Text columns that differ within a group (exo's `prompt`) are left out; the
    /// run records how many rows it is made of (`runs`).
    #[arg(long, value_name = "COL[,COL]", value_delimiter = ',')]
    pub group_by: Vec<String>,
    /// What a group's metrics become: mean (the default with --group-by) or median. Each
    /// metric also gets `<metric>_min`, `_max`, `_stdev` (sample, 3 significant digits) and
    /// `_n` rows in a `# Spread` section. Example: `--aggregate median`.
    #[arg(long, value_name = "HOW", requires = "group_by")]
    pub aggregate: Option<Aggregate>,
    /// Columns that are config rather than metrics, optionally renamed, e.g.
    /// `--config TP=tensor_parallel_size,seed`. By default text columns and sweep fields
    /// are config and number columns are metrics.
    #[arg(long, value_name = "COL[=FIELD],…", value_delimiter = ',')]
    pub config: Vec<String>,
    /// The unit of a metric column, e.g. `--unit latency=s --unit tps=tok/s` (repeatable).
    /// Without it, a name's ending says: `_ms` → ms, `_s` → s, `_tokens_per_sec` → tok/s,
    /// `_pct` → %, `_mb` → MB.
    #[arg(long = "unit", value_name = "COL=UNIT")]
    pub units: Vec<String>,
    /// A config row added to every run, e.g. `--set engine=tinygrad` (repeatable). Its key
    /// may appear in --name: `--set quant=awq --name "{model}_{quant}"`.
    #[arg(long, value_name = "KEY=VALUE")]
    pub set: Vec<String>,
    /// The first part of the file names and benchmark ids, e.g. `--family exo_bench`
    /// [default: exo_bench or vllm_latency_sweep for their tables, else the file's name
    /// without its extension].
    #[arg(long, value_name = "NAME")]
    pub family: Option<String>,
    /// The benchmark id after the family: text with `{COLUMN}` (or `{KEY}` of --set) filled
    /// in from each run, e.g. `--name "{model}_tp{TP}"` [default: the --group-by columns
    /// joined by `_`, else `{model}` when there is a model, else nothing].
    #[arg(long, value_name = "TEMPLATE")]
    pub name: Option<String>,
    /// The runs' time, e.g. `--timestamp 20250612_143015` or `2025-06-12T14:30:15`
    /// [default: a `timestamp` column, else a YYYYMMDD_HHMMSS in the file's name, else the
    /// file's modification time].
    #[arg(long, value_name = "TIME")]
    pub timestamp: Option<String>,
    /// Rows whose COLUMN holds VALUE failed, e.g. `--failed-if status=timeout`
    /// (repeatable). Failed rows are counted in failed_requests and left out of every
    /// figure; a run whose rows all failed is not filed. [default: a `success` or `ok`
    /// column that is false, or an `error` column that is not empty]
    #[arg(long = "failed-if", value_name = "COLUMN=VALUE")]
    pub failed_if: Vec<String>,
    #[command(flatten)]
    pub output: ResultsArgs,
}

impl TableArgs {
    /// Imports the tables into the results folder.
    pub fn import(&self, done: &mut Imported) -> anyhow::Result<()> {
        let how = TableImport {
            failed_if: self.failed_if.clone(),
            gpu: self.gpu_name.clone(),
            family: self.family.clone(),
            name: self.name.clone(),
            group_by: self.group_by.clone(),
            aggregate: self.aggregate.map(GroupCenter::from),
            config: self.config.clone(),
            units: self.units.clone(),
            set: self.set.clone(),
            timestamp: self.timestamp.clone(),
        };
        import::import_table(&self.files, &how, &self.output.results, done)
    }
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
