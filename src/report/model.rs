//! The report's shape, which every output format writes: sections of benchmark tables,
//! a row per metric and a column per GPU or level.

use crate::results::{Cell, Direction, Where};

/// The report, in the shape every output format writes.
#[derive(Debug)]
pub struct Report {
    pub sections: Vec<Section>,
}

#[derive(Debug)]
pub struct Section {
    pub category: String,
    pub benchmarks: Vec<BenchmarkTable>,
}

#[derive(Debug)]
pub struct BenchmarkTable {
    pub benchmark: String,
    pub family: String,
    pub config: Vec<(String, String)>,
    /// One per GPU, per GPU and level, or per run with `--all-runs`.
    pub columns: Vec<String>,
    /// The settings whose levels the columns are split by (empty when they are not).
    pub split_by: Vec<String>,
    /// The levels of each column, when the columns are split; else empty.
    pub column_config: Vec<Vec<(String, String)>>,
    /// How many runs each column's values combine (repeats of a level are averaged).
    pub column_runs: Vec<usize>,
    pub rows: Vec<MetricRow>,
}

#[derive(Debug)]
pub struct MetricRow {
    pub metric: String,
    /// How the catalog names the metric, if it does; Markdown shows it instead of the name.
    pub label: Option<String>,
    pub unit: String,
    pub direction: Option<Direction>,
    /// One per column; `None` is NA.
    pub cells: Vec<Option<Cell>>,
    /// Columns holding the best value (ties all count).
    pub best: Vec<usize>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Markdown,
    Json,
    Csv,
}

#[derive(Debug, Clone, Default)]
pub struct Options {
    /// Metrics to show instead of each family's headline ones.
    pub metrics: Option<Vec<String>>,
    /// A column per run rather than per GPU.
    pub all_runs: bool,
    /// Only the runs with these config fields (`--where`).
    pub filter: Where,
}

/// More columns than this do not fit a screen: the report says how to narrow them.
pub const SCREENFUL: usize = 12;
