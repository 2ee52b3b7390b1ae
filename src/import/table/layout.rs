//! Tables other tools write, known by their columns: their family, config names and units
//! come without options.

use super::wide::WideTable;

/// A table another tool writes, known by its columns.
pub(super) struct Layout {
    pub columns: &'static [&'static str],
    pub family: &'static str,
    /// Columns that are config under another name.
    pub renames: &'static [(&'static str, &'static str)],
    pub units: &'static [(&'static str, &'static str)],
    /// The model is the name of the folder the file is in.
    pub model_from_folder: bool,
}

const LAYOUTS: [Layout; 2] = [
    // exo-lab's benchmark.py: one row per model and prompt. Its `tokens_per_second` is the
    // decoded text's length over the time, so characters per second.
    Layout {
        columns: &[
            "model",
            "prompt",
            "latency",
            "memory_usage",
            "output_length",
            "tokens_per_second",
        ],
        family: "exo_bench",
        renames: &[],
        units: &[
            ("latency", "s"),
            ("memory_usage", "MB"),
            ("output_length", "chars"),
            ("tokens_per_second", "chars/s"),
        ],
        model_from_folder: false,
    },
    // The summary plot_model_comparison.py's sweeps write beside their runs,
    // `<Model>/benchmark_results_summary.csv`.
    Layout {
        columns: &[
            "TP",
            "DP",
            "PP",
            "max_num_batched_tokens",
            "overall_throughput_tokens_per_sec",
            "total_latency_p50_ms",
            "total_latency_p99_ms",
            "ttft_p50_ms",
            "ttft_p99_ms",
            "inter_token_p50_ms",
            "inter_token_p99_ms",
        ],
        family: "vllm_latency_sweep",
        renames: &[
            ("TP", "tensor_parallel_size"),
            ("DP", "data_parallel_size"),
            ("PP", "pipeline_parallel_size"),
        ],
        units: &[],
        model_from_folder: true,
    },
];

impl Layout {
    pub(super) fn of(table: &WideTable) -> Option<&'static Layout> {
        LAYOUTS.iter().find(|l| {
            l.columns.len() == table.columns.len()
                && l.columns
                    .iter()
                    .all(|c| table.columns.iter().any(|t| t.name == *c))
        })
    }
}
