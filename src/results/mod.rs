//! Reading `benchmark_results/<GPU>/*.csv` and collating it into one table.

mod aggregate;
mod catalog;
mod collate;
pub mod display;
pub mod experiment;
pub mod family;
mod file;
mod load;
pub mod metric;
pub mod name;
mod sanitize;
pub(crate) mod select;
pub mod stats;
mod value;
mod warning;
mod write;

pub use aggregate::{Aggregate, Measured, Spread, repeats};
pub use catalog::{CATALOG_FILE, MetricCatalog, MetricEntry};
pub use collate::{Benchmark, Cell, PARTIAL_NOTE, Table, cell_of};
pub use file::{MAX_FILE_BYTES, ResultFile, Row, merge_rows, series_title};
pub use load::{load, result_paths};
pub use metric::Direction;
pub use name::{FileName, model_name, model_slug};
pub use sanitize::{sanitize, sanitize_gpu_name};
pub use select::{Level, SWEEP_FIELDS, Wanted, Where, distinct, level_fields, level_text};
pub use value::{Number, Value};
pub use warning::Warning;
pub use write::{Record, RecordError, next_second, write_result_file};
