//! llm-on-ray's benchmark output: `benchmark_serving.py --results-dir DIR` saves
//! `summary_<YYYYmmdd-HHMMSS>.json` (with `latency_tracking_*.json` beside it), and
//! `run_benchmark.sh` puts each run in folders that say what it measured:
//! `choice_1/bs_<N>/`, `choice_2/{vllm,wo_vllm}/bs_<N>/`,
//! `choice_3/tokens_<in>_<out>/iter_<i>/num_prompts_<N>/`, `choice_4/iter_<i>/tokens_<in>_<out>/`.
//! Latencies there are in seconds; here they are in ms under the names vLLM results use.

use std::path::{Path, PathBuf};

use super::json::{DocumentError, FieldError, Number, measurement, number, one_document};
use super::{Imported, Shape, Source, file_record, read_source_as, sha256_hex, walk};
use crate::results::name::is_timestamp;
use crate::results::{Record, Row, Value, model_slug, sanitize_gpu_name};

/// Why a file is not an llm-on-ray summary that can be filed.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum LlmOnRayError {
    #[error(
        "the name `{0}` does not give the run's time (llm-on-ray names summaries summary_YYYYmmdd-HHMMSS.json)"
    )]
    NameWithoutTime(String),
    #[error(transparent)]
    Document(#[from] DocumentError),
    #[error(transparent)]
    Field(#[from] FieldError),
    #[error("not an llm-on-ray summary (not a JSON object)")]
    NotAnObject,
    #[error("not an llm-on-ray summary (no `benchmark_time` or `output_throughput_tokens_per_s`)")]
    NoFigures,
}

/// How llm-on-ray's summaries are filed.
#[derive(Debug, Clone)]
pub struct LlmOnRay {
    /// The GPU the server ran on (the summaries do not say).
    pub gpu: String,
    /// The model served (the summaries do not say either).
    pub model: String,
    /// Server replicas: a `num_prompts_<N>` folder's N requests are sent at once to this many
    /// replicas, so each batches N / replicas.
    pub replicas: u32,
}

/// Imports every `summary_*.json` under `path` (or `path` itself, a summary) into `dest`.
/// A summary that cannot be read is reported and skipped when a folder is imported, and an
/// error when it was named itself. Each summary is filed before the next is read.
pub fn import_llm_on_ray(
    path: &Path,
    how: &LlmOnRay,
    dest: &Path,
    done: &mut Imported,
) -> anyhow::Result<()> {
    if sanitize_gpu_name(&how.gpu).is_empty() {
        anyhow::bail!("--gpu-name `{}` has no letters or digits", how.gpu);
    }
    if how.replicas == 0 {
        anyhow::bail!("--replicas must be at least 1");
    }
    if path.is_dir() {
        let what = "llm-on-ray summaries (summary_*.json, as benchmark_serving.py --results-dir writes them)";
        let files = walk(path, &is_summary, what, done)?;
        for file in files {
            match read_source_as(&file, Shape::Json) {
                Ok(bytes) => match parse_summary(&context_path(&file), &bytes, how) {
                    Ok(record) => {
                        let source = Source::new(&file, path, sha256_hex(&bytes));
                        file_record(dest, &how.gpu, &record, &source, done)?;
                    }
                    Err(why) => done.reject(&file, why),
                },
                Err(e) => done.reject(&file, format!("{e:#}")),
            }
        }
    } else if path.is_file() {
        let bytes = read_source_as(path, Shape::Json)?;
        let record = parse_summary(&context_path(path), &bytes, how)
            .map_err(|why| anyhow::anyhow!("{}: {why}", path.display()))?;
        let source = Source::new(path, path, sha256_hex(&bytes));
        file_record(dest, &how.gpu, &record, &source, done)?;
    } else {
        anyhow::bail!("`{}` does not exist", path.display());
    }
    Ok(())
}

fn is_summary(path: &Path) -> bool {
    path.file_name()
        .and_then(|n| n.to_str())
        .is_some_and(|n| n.starts_with("summary_") && n.to_ascii_lowercase().ends_with(".json"))
}

/// The path with its folders resolved, so that `.` or `..` still name the run's folders.
fn context_path(path: &Path) -> PathBuf {
    std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf())
}

/// What the folders of a summary's path say about its run; the innermost folder of a kind wins.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct PathValues {
    pub choice: Option<u64>,
    /// `bs_<N>`: the server's batch size (vLLM's `max_num_seqs`, or llm-on-ray's
    /// `max_ongoing_requests` without vLLM).
    pub batch_size: Option<u64>,
    /// `vllm` or `wo_vllm` (choice 2).
    pub engine: Option<&'static str>,
    pub iteration: Option<u64>,
    /// `num_prompts_<N>`: N requests sent at once (choice 3).
    pub concurrency: Option<u64>,
    /// `tokens_<in>_<out>`.
    pub tokens: Option<(u64, u64)>,
}

impl PathValues {
    pub fn of(path: &Path) -> PathValues {
        let mut v = PathValues::default();
        let folders = path.parent().into_iter().flat_map(Path::components);
        for folder in folders {
            let Some(name) = folder.as_os_str().to_str() else {
                continue;
            };
            let n = |prefix: &str| {
                name.strip_prefix(prefix)
                    .filter(|d| {
                        !d.is_empty() && d.len() <= 12 && d.bytes().all(|b| b.is_ascii_digit())
                    })
                    .and_then(|d| d.parse::<u64>().ok())
            };
            if let Some(x) = n("choice_") {
                v.choice = Some(x);
            } else if let Some(x) = n("bs_") {
                v.batch_size = Some(x);
            } else if let Some(x) = n("iter_") {
                v.iteration = Some(x);
            } else if let Some(x) = n("num_prompts_") {
                v.concurrency = Some(x);
            } else if name == "vllm" {
                v.engine = Some("vllm");
            } else if name == "wo_vllm" {
                v.engine = Some("llm_on_ray");
            } else if let Some((a, b)) =
                name.strip_prefix("tokens_").and_then(|t| t.split_once('_'))
            {
                let num = |s: &str| {
                    (!s.is_empty() && s.len() <= 12 && s.bytes().all(|c| c.is_ascii_digit()))
                        .then(|| s.parse::<u64>().ok())
                        .flatten()
                };
                if let (Some(a), Some(b)) = (num(a), num(b)) {
                    v.tokens = Some((a, b));
                }
            }
        }
        v
    }
}

/// `summary_20240101-000001.json` → `20240101_000001`.
fn timestamp_of(path: &Path) -> Result<String, LlmOnRayError> {
    let name = path
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or_default();
    let ts = name
        .strip_prefix("summary_")
        .and_then(|s| s.get(..15))
        .map(|s| s.replace('-', "_"))
        .filter(|t| is_timestamp(t) && name.len() == "summary_".len() + 15 + ".json".len())
        .filter(|t| jiff::civil::DateTime::strptime("%Y%m%d_%H%M%S", t).is_ok());
    ts.ok_or_else(|| LlmOnRayError::NameWithoutTime(name.to_string()))
}

/// Summary fields and the rows they become: (theirs, ours, unit, seconds → ms).
const METRICS: [(&str, &str, &str, bool); 8] = [
    ("benchmark_time", "benchmark_duration", "s", false),
    (
        "throughput_requests_per_s",
        "request_throughput",
        "req/s",
        false,
    ),
    (
        "input_throughput_tokens_per_s",
        "input_token_throughput",
        "tok/s",
        false,
    ),
    (
        "output_throughput_tokens_per_s",
        "output_token_throughput",
        "tok/s",
        false,
    ),
    ("avg_latency", "e2el_mean", "ms", true),
    (
        "avg_per_token_latency",
        "latency_per_token_mean",
        "ms",
        true,
    ),
    ("avg_first_token_latency", "ttft_mean", "ms", true),
    ("avg_next_token_latency", "tpot_mean", "ms", true),
];

/// Reads one summary's `bytes` into a result. `path` is read for its name (the run's time)
/// and folders (batch size, engine, iteration, token lengths). Errors say what is wrong, and
/// in which field, not which file.
pub fn parse_summary(path: &Path, bytes: &[u8], how: &LlmOnRay) -> Result<Record, LlmOnRayError> {
    let timestamp = timestamp_of(path)?;
    let doc = one_document(bytes, "an llm-on-ray summary")?;
    let v = &doc.value;
    if !v.is_object() {
        return Err(LlmOnRayError::NotAnObject);
    }
    if v.get("benchmark_time").is_none() && v.get("output_throughput_tokens_per_s").is_none() {
        return Err(LlmOnRayError::NoFigures);
    }
    let at = PathValues::of(path);
    let gpu = how.gpu.as_str();
    let mut rows = vec![
        Row::text("device", gpu),
        Row::text("device_sanitized", sanitize_gpu_name(gpu)),
        Row::text("model", how.model.as_str()),
        Row::text("timestamp", timestamp.as_str()),
        Row::text("engine", at.engine.unwrap_or("vllm")),
    ];
    let count = |metric: &str, x: u64, unit: &str| Row::measured(metric, x as f64, unit);
    if let Some(bs) = at.batch_size {
        rows.push(count("batch_size", bs, ""));
    }
    if let Some(c) = at.concurrency {
        let replicas = u64::from(how.replicas);
        if at.batch_size.is_none() && c % replicas == 0 {
            rows.push(count("batch_size", c / replicas, ""));
        }
        rows.push(count("max_concurrency", c, ""));
        rows.push(count("replicas", replicas, ""));
    }
    if let Some((input, output)) = at.tokens {
        rows.push(count("input_len", input, "tokens"));
        rows.push(count("output_len", output, "tokens"));
    }
    if let Some(i) = at.iteration {
        rows.push(count("iteration", i, ""));
    }
    for (theirs, ours, unit) in [
        ("num_prompts", "num_prompts", ""),
        ("min_prompt_len", "min_prompt_len", "tokens"),
        ("med_prompt_len", "median_prompt_len", "tokens"),
        ("max_prompt_len", "max_prompt_len", "tokens"),
    ] {
        if let Some((x, _)) = measurement(v, theirs)? {
            rows.push(Row::measured(ours, x, unit));
        }
    }
    for (theirs, ours, unit, to_ms) in METRICS {
        match number(v, theirs)? {
            Number::Absent => {}
            Number::Null => rows.push(Row::new(ours, Value::Missing, unit)),
            Number::Value(..) => {
                let (x, _) = measurement(v, theirs)?.unwrap_or_default();
                rows.push(Row::measured_scaled(
                    ours,
                    x,
                    if to_ms { 3 } else { 0 },
                    unit,
                ));
            }
        }
    }
    let mut benchmark = format!("llm_on_ray_{}", model_slug(&how.model));
    if let Some(choice) = at.choice {
        benchmark.push_str(&format!("_choice{choice}"));
    }
    Ok(Record {
        family: "llm_on_ray".into(),
        benchmark,
        timestamp,
        rows,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folders_of_each_choice_give_their_values() {
        let v = PathValues::of(Path::new(
            "results/choice_2/wo_vllm/bs_16/summary_20240101-000001.json",
        ));
        assert_eq!(v.choice, Some(2));
        assert_eq!(v.engine, Some("llm_on_ray"));
        assert_eq!(v.batch_size, Some(16));
        let v = PathValues::of(Path::new(
            "choice_3/tokens_32_64/iter_2/num_prompts_16/summary_20240101-000001.json",
        ));
        assert_eq!(
            (v.tokens, v.iteration, v.concurrency),
            (Some((32, 64)), Some(2), Some(16))
        );
        let v = PathValues::of(Path::new(
            "bs_x/tokens_1_/iter_/summary_20240101-000001.json",
        ));
        assert_eq!(v, PathValues::default());
    }

    #[test]
    fn the_name_gives_the_time() {
        assert_eq!(
            timestamp_of(Path::new("a/summary_20240101-000007.json")).unwrap(),
            "20240101_000007"
        );
        for bad in [
            "summary_2024.json",
            "summary_20241301-000000.json",
            "summary_20240101-000001x.json",
        ] {
            assert!(
                timestamp_of(Path::new(bad))
                    .unwrap_err()
                    .to_string()
                    .contains(bad),
                "{bad}"
            );
        }
    }
}
