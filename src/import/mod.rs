//! Every importer: result files from elsewhere (`import results`) and what other tools saved
//! (`vllm bench serve`, `llama-bench`), turned into result files in the usual place and format.

mod llama_bench;
mod results;
mod vllm_json;

use std::path::{Path, PathBuf};

use anyhow::Context;
use serde_json::Value as Json;

use crate::results::{Record, Warning, sanitize_gpu_name};

pub use llama_bench::import_llama_bench;
pub use results::import_results;
pub use vllm_json::import_vllm_json;

/// What an import did.
#[derive(Debug, Default)]
pub struct Imported {
    pub written: Vec<PathBuf>,
    /// Runs already in the results folder.
    pub skipped: Vec<PathBuf>,
    /// Files or rows that could not be read; the rest was imported.
    pub warnings: Vec<Warning>,
}

/// Every JSON value in a file: one document, a JSON array's items, or JSON lines
/// (`--append-result`, `-o jsonl`).
fn read_json_values(path: &Path) -> anyhow::Result<Vec<Json>> {
    let size = std::fs::metadata(path)
        .with_context(|| format!("cannot read `{}`", path.display()))?
        .len();
    if size > 256 * 1024 * 1024 {
        anyhow::bail!(
            "`{}` is {} MB; not a benchmark result",
            path.display(),
            size / 1_000_000
        );
    }
    let text = std::fs::read_to_string(path)
        .with_context(|| format!("cannot read `{}`", path.display()))?;
    let mut values = Vec::new();
    for value in serde_json::Deserializer::from_str(&text).into_iter::<Json>() {
        match value.with_context(|| format!("`{}` is not valid JSON", path.display()))? {
            Json::Array(items) => values.extend(items),
            other => values.push(other),
        }
    }
    if values.is_empty() {
        anyhow::bail!("`{}` holds no JSON", path.display());
    }
    Ok(values)
}

/// Files `record` under `dest/<GPU>/` unless that run is already there.
fn file_record(dest: &Path, gpu: &str, record: &Record, done: &mut Imported) -> anyhow::Result<()> {
    let gpu = sanitize_gpu_name(gpu);
    let path = record.path(dest, &gpu);
    if path.exists() {
        done.skipped.push(path);
        return Ok(());
    }
    done.written.push(record.write(dest, &gpu)?);
    Ok(())
}
