//! What a comparison is asked for, and the configuration fields it knows by short names.

use crate::results::Level;

/// The configuration fields the comparison workflow filters on, with their short names.
pub(super) const PARALLELISM: [(&str, &str); 3] = [
    ("tensor_parallel_size", "tp"),
    ("data_parallel_size", "dp"),
    ("pipeline_parallel_size", "pp"),
];

/// What the user asked to compare, as named on the command line.
#[derive(Debug, Clone, Default)]
pub struct Request {
    pub baseline: String,
    pub candidate: String,
    /// The GPU whose runs are compared; by default the only one with runs of both.
    pub gpu: Option<String>,
    /// Metrics to chart; by default those both have that have a direction.
    pub metrics: Vec<String>,
    /// Config values the runs must have (`--where`).
    pub wheres: Vec<(String, Level)>,
    /// A chart for every combination of these fields (`--all-configs`; empty: TP, DP, PP).
    pub all_configs: Option<Vec<String>>,
    /// Also one chart with every metric as a row.
    pub combined: bool,
    /// The charts' title (default: `BASELINE vs CANDIDATE`).
    pub title: Option<String>,
}

/// `tp` for `tensor_parallel_size`; other fields as they are.
pub(super) fn short_name(field: &str) -> &str {
    PARALLELISM
        .iter()
        .find(|(f, _)| *f == field)
        .map_or(field, |(_, short)| short)
}
