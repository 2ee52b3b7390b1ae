//! The runs plot_model_comparison.py compares: `<base>/<Model>/run_<YYYYmmdd_HHMMSS>/
//! benchmark_results.json`, as its vLLM latency benchmark saves them (`benchmark_config` with the
//! engine's settings, `benchmark_stats` with the summary and latency percentiles in ms,
//! `individual_requests`), one run per TP/DP/PP and `max_num_batched_tokens` combination.

use std::path::{Path, PathBuf};

use serde_json::Value as Json;

use super::json::{DocumentError, FieldError, Number as JsonNumber, number, one_document};
use super::serving::{at, measured_at};
use super::source::FileError;
use super::{
    Imported, Shape, Source, file_record_named, modified_time, read_source_as, sha256_hex, walk,
};
use crate::results::{Number, Record, Row, Value, sanitize, sanitize_gpu_name};

/// The family of the runs, and the first part of their benchmark ids.
pub const FAMILY: &str = "vllm_latency_sweep";

/// The file each run folder holds.
const FILE_NAME: &str = "benchmark_results.json";

/// Why a file is not a run of a sweep that can be filed.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum SweepConfigsError {
    #[error(transparent)]
    Document(#[from] DocumentError),
    #[error(transparent)]
    Field(#[from] FieldError),
    #[error(
        "not a {file} of a sweep (no `benchmark_config` and `benchmark_stats` objects)",
        file = FILE_NAME
    )]
    NoConfigAndStats,
    #[error("neither the folder nor `benchmark_config.model_name` names the model")]
    NoModel,
    #[error("not a {file} of a sweep (no `benchmark_config.{0}`)", file = FILE_NAME)]
    NoSetting(&'static str),
    #[error(
        "not a {file} of a sweep (no `benchmark_stats.summary.overall_throughput_tokens_per_sec`)",
        file = FILE_NAME
    )]
    NoThroughput,
}

/// Imports every `benchmark_results.json` under `path` (or `path` itself) into `dest`, for the
/// GPU `gpu`. A file that cannot be read is reported and skipped when a folder is imported, and
/// an error when it was named itself. Each run is filed before the next is read.
pub fn import_sweep_configs(
    path: &Path,
    gpu: &str,
    dest: &Path,
    done: &mut Imported,
) -> anyhow::Result<()> {
    if sanitize_gpu_name(gpu).is_empty() {
        anyhow::bail!("--gpu-name `{gpu}` has no letters or digits");
    }
    let file_run = |record: &Record, source: &Source, done: &mut Imported| {
        // The id is the model folder's name: folders that sanitize alike must not merge.
        let folder = model_folder(&context_path(&source.path));
        file_record_named(dest, gpu, record, source, folder.as_deref(), done)
    };
    if path.is_dir() {
        let wanted = |p: &Path| p.file_name().and_then(|n| n.to_str()) == Some(FILE_NAME);
        let what = format!("{FILE_NAME} files (laid out as <Model>/run_*/{FILE_NAME})");
        let files = walk(path, &wanted, &what, done)?;
        for file in files {
            let read = read_source_as(&file, Shape::Json)
                .map_err(FileError::Unreadable)
                .and_then(|bytes| {
                    let time = modified_time(&file)?;
                    let record = parse_run(&context_path(&file), &bytes, gpu, &time)
                        .map_err(FileError::Format)?;
                    Ok((record, sha256_hex(&bytes)))
                });
            match read {
                Ok((record, sha)) => file_run(&record, &Source::new(&file, path, sha), done)?,
                Err(why) => done.reject(&file, why),
            }
        }
    } else if path.is_file() {
        let bytes = read_source_as(path, Shape::Json)?;
        let time = modified_time(path)?;
        let record = parse_run(&context_path(path), &bytes, gpu, &time)
            .map_err(|why| anyhow::anyhow!("{}: {why}", path.display()))?;
        file_run(&record, &Source::new(path, path, sha256_hex(&bytes)), done)?;
    } else {
        anyhow::bail!("`{}` does not exist", path.display());
    }
    Ok(())
}

/// The path with its folders resolved, so that `.` or `..` still name the model's folder.
fn context_path(path: &Path) -> PathBuf {
    std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf())
}

/// `run_20250612_143015` → `20250612_143015`: the time the benchmark named its run folder by.
fn run_folder_time(path: &Path) -> Option<String> {
    let name = path.parent()?.file_name()?.to_str()?;
    let stamp = name.strip_prefix("run_")?;
    (stamp.len() == 15 && jiff::civil::DateTime::strptime("%Y%m%d_%H%M%S", stamp).is_ok())
        .then(|| stamp.to_string())
}

/// The model's folder: the one holding the `run_*` folder (or the file, when it is not in one).
fn model_folder(path: &Path) -> Option<String> {
    let parent = path.parent()?;
    let in_run = parent
        .file_name()
        .and_then(|n| n.to_str())
        .is_some_and(|n| n.starts_with("run_"));
    let folder = if in_run { parent.parent()? } else { parent };
    folder
        .file_name()
        .and_then(|n| n.to_str())
        .map(str::to_string)
}

/// The seven metrics plot_model_comparison.py compares: (path in `benchmark_stats`, name, unit).
pub const METRICS: [(&[&str], &str, &str); 7] = [
    (
        &["summary", "overall_throughput_tokens_per_sec"],
        "overall_throughput_tokens_per_sec",
        "tok/s",
    ),
    (
        &[
            "latency_percentiles_ms",
            "total_generation_latency",
            "total_p50",
        ],
        "total_latency_p50_ms",
        "ms",
    ),
    (
        &[
            "latency_percentiles_ms",
            "total_generation_latency",
            "total_p99",
        ],
        "total_latency_p99_ms",
        "ms",
    ),
    (
        &[
            "latency_percentiles_ms",
            "time_to_first_token",
            "first_token_p50",
        ],
        "ttft_p50_ms",
        "ms",
    ),
    (
        &[
            "latency_percentiles_ms",
            "time_to_first_token",
            "first_token_p99",
        ],
        "ttft_p99_ms",
        "ms",
    ),
    (
        &[
            "latency_percentiles_ms",
            "inter_token_latency",
            "inter_token_p50",
        ],
        "inter_token_p50_ms",
        "ms",
    ),
    (
        &[
            "latency_percentiles_ms",
            "inter_token_latency",
            "inter_token_p99",
        ],
        "inter_token_p99_ms",
        "ms",
    ),
];

/// The summary's counts, under the names vLLM results give them.
const COUNTS: [(&str, &str); 3] = [
    ("total_requests", "successful_requests"),
    ("total_input_tokens", "total_input_tokens"),
    ("total_output_tokens", "total_generated_tokens"),
];

/// The engine settings every run of the sweep records.
const SETTINGS: [&str; 4] = [
    "tensor_parallel_size",
    "data_parallel_size",
    "pipeline_parallel_size",
    "max_num_batched_tokens",
];

/// Reads one `benchmark_results.json`. `path` is read for its folders (the model's folder names
/// the benchmark; a `run_YYYYmmdd_HHMMSS` folder gives the time, else `default_time`). Errors
/// say what is wrong, and in which field, not which file.
pub fn parse_run(
    path: &Path,
    bytes: &[u8],
    gpu: &str,
    default_time: &str,
) -> Result<Record, SweepConfigsError> {
    let doc = one_document(bytes, &format!("a {FILE_NAME} of a sweep"))?;
    let v = &doc.value;
    let (Some(config), Some(stats)) = (
        v.get("benchmark_config").filter(|c| c.is_object()),
        v.get("benchmark_stats").filter(|s| s.is_object()),
    ) else {
        return Err(SweepConfigsError::NoConfigAndStats);
    };
    let folder = model_folder(path).unwrap_or_default();
    let model = match config.get("model_name") {
        Some(Json::String(m)) if !m.trim().is_empty() => one_line(m),
        _ => folder.clone(),
    };
    let slug = match sanitize(&folder) {
        s if s.is_empty() => sanitize(&model),
        s => s,
    };
    if slug.is_empty() {
        return Err(SweepConfigsError::NoModel);
    }
    let timestamp = run_folder_time(path).unwrap_or_else(|| default_time.to_string());
    let mut rows = vec![
        Row::text("device", gpu),
        Row::text("device_sanitized", sanitize_gpu_name(gpu)),
        Row::text("model", model.as_str()),
        Row::text("timestamp", timestamp.as_str()),
    ];
    for key in SETTINGS {
        match measured_at(v, &["benchmark_config", key])? {
            Some(x) => rows.push(Row::measured(key, x, "")),
            None => {
                return Err(SweepConfigsError::NoSetting(key));
            }
        }
    }
    // The other settings, as they are.
    if let Some(object) = config.as_object() {
        for (key, value) in object {
            if key == "model_name" || SETTINGS.contains(&key.as_str()) || !plain_name(key) {
                continue;
            }
            let value = match value {
                Json::Null => Value::Missing,
                Json::Bool(b) => Value::Bool(*b),
                Json::String(s) => Value::Text(one_line(s)),
                Json::Number(_) => match number(config, key) {
                    Ok(JsonNumber::Value(x, _)) => Value::Number(Number::measured(x)),
                    _ => continue,
                },
                // Lists and objects say nothing a chart can pick runs by.
                _ => continue,
            };
            rows.push(Row::new(key, value, ""));
        }
    }
    for (theirs, ours) in COUNTS {
        if let Some(x) = measured_at(v, &["benchmark_stats", "summary", theirs])? {
            rows.push(Row::measured(ours, x, ""));
        }
    }
    if at(stats, &["summary", "overall_throughput_tokens_per_sec"]).is_none() {
        return Err(SweepConfigsError::NoThroughput);
    }
    for (path, name, unit) in METRICS {
        match measured_at(v, &[&["benchmark_stats"], path].concat())? {
            Some(x) => rows.push(Row::measured(name, x, unit)),
            // No inter-token latency when every answer was one token: `{}`.
            None => rows.push(Row::new(name, Value::Missing, unit)),
        }
    }
    Ok(Record {
        family: FAMILY.into(),
        benchmark: format!("{FAMILY}_{slug}"),
        timestamp,
        rows,
    })
}

/// A key that can be a row name of a result file as it is.
fn plain_name(key: &str) -> bool {
    !key.is_empty()
        && key.len() <= 100
        && key
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.'))
}

fn one_line(text: &str) -> String {
    text.split(char::is_control)
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folders_give_the_model_and_the_time() {
        let p = Path::new("/b/Qwen_Qwen3-4B-AWQ/run_20250612_143015/benchmark_results.json");
        assert_eq!(model_folder(p).as_deref(), Some("Qwen_Qwen3-4B-AWQ"));
        assert_eq!(run_folder_time(p).as_deref(), Some("20250612_143015"));
        let p = Path::new("/b/Qwen_Qwen3-4B/benchmark_results.json");
        assert_eq!(model_folder(p).as_deref(), Some("Qwen_Qwen3-4B"));
        assert_eq!(run_folder_time(p), None);
        assert_eq!(
            run_folder_time(Path::new("/b/m/run_20251399_000000/benchmark_results.json")),
            None
        );
    }

    #[test]
    fn a_bad_value_is_named_by_its_whole_path() {
        let json = br#"{"benchmark_config": {"tensor_parallel_size": 1, "data_parallel_size": 1,
            "pipeline_parallel_size": 1, "max_num_batched_tokens": 4096},
            "benchmark_stats": {"summary": {"overall_throughput_tokens_per_sec": NaN}}}"#;
        let err = parse_run(
            Path::new("/b/m/run_20250612_143015/benchmark_results.json"),
            json,
            "G",
            "20240101_000000",
        )
        .unwrap_err();
        assert_eq!(
            err.to_string(),
            "`benchmark_stats.summary.overall_throughput_tokens_per_sec` is NaN, not a finite number"
        );
    }
}
