//! `benchanim import table`: a wide table (a CSV file with a header row, or JSON objects, one per
//! line) filed as result files: one run per row, or one per group of rows (`--group-by`) with
//! each metric's mean or median and its spread.
//!
//! Columns are config or metrics. Named with `--config` or `--group-by`, a sweep field
//! (`batch_size`, `tensor_parallel_size`, …) or any column with a cell that is not a number is
//! config; every other column is a metric, and then each of its cells must be a finite number
//! (or empty: not measured). A `device` or `gpu` column names the GPU, a `timestamp` column the
//! run's time. Two layouts are known by their columns and get their family, config names and
//! units without options: exo-lab's `benchmark_results.csv` and the summary CSV of
//! plot_model_comparison.py's sweeps.

mod cell;
mod delimited;
mod error;
mod files;
mod json_lines;
mod layout;
mod options;
mod plan;
mod read;
mod roles;
mod run;
mod summary;
mod template;
mod time;
mod units;
mod wide;

#[cfg(test)]
mod tests;

pub use cell::At;
pub use error::{OptionError, ReadError, RunError, TableError, TemplateError};
pub use files::{import_table, parse_table};
pub use options::{GroupCenter, TableImport};
pub use run::TableRun;
pub use wide::NameProblem;
