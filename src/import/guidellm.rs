//! guidellm's report, `benchmarks.json` as `guidellm run` (`guidellm benchmark run` in older
//! releases) saves it (`GenerativeBenchmarksReport.save_file`): a list of benchmarks, one per
//! strategy it ran (synchronous, throughput, concurrent, constant or poisson rates: a sweep's
//! levels).
//!
//! Read as guidellm 0.8.1 writes it (the release PyPI installs as of December 2026; report
//! `metadata.version` 2): each benchmark has `config` (its `strategy`, `backend`), and
//! `scheduler_metrics` (its `start_time`, in seconds since 1970) and `metrics`, and the report's
//! `config.spec` holds the arguments (the synthetic data's lengths). Older releases (0.3) kept
//! the strategy under `args`, the start time at the top or in `run_stats`, the request counts
//! in `request_totals` and the model in `worker.backend_model`; those places are read too. In
//! all of them a metric is a distribution by request status (`successful`, `errored`,
//! `incomplete`, `total`), each with `mean`, `median`, `std_dev`, `min`, `max` and
//! `percentiles` (`p90`, `p95`, `p99`, …); latencies are in ms (`time_to_first_token_ms`, …)
//! but for `request_latency`, in seconds.

use std::path::Path;

use serde_json::Value as Json;

use super::json::{DocumentError, FieldError, one_document};
use super::serving::{
    Format, Run, Runs, at, head_rows, import_runs, measured_at, setting_at, text_at, unix_time,
};
use super::{Imported, Shape, has_extension, sha256_hex};
use crate::results::{Record, model_slug};

/// The family of the runs, and the first part of their benchmark ids.
pub const FAMILY: &str = "guidellm";

/// Why a report, or one of its benchmarks, is not a guidellm run that can be filed.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum GuidellmError {
    #[error(transparent)]
    Document(#[from] DocumentError),
    #[error(transparent)]
    Field(#[from] FieldError),
    #[error("not a guidellm report (no `benchmarks` list)")]
    NotAReport,
    #[error("the report holds no benchmarks")]
    NoBenchmarks,
    #[error("not a guidellm benchmark (no `metrics`)")]
    NotABenchmark,
    /// `errored`: how many requests errored, when the report says and there were any.
    #[error("no request succeeded{}; not a measurement", errored_note(.errored))]
    NothingSucceeded { errored: Option<f64> },
    /// `path`: where the benchmark should have had it.
    #[error("no `{0}`")]
    Missing(&'static str),
    #[error("the benchmark does not name its model")]
    NoModel,
    /// `n`: 1-based.
    #[error("benchmark {n}: {error}")]
    Benchmark { n: usize, error: Box<GuidellmError> },
}

/// ` (N errored)`, when requests errored.
fn errored_note(errored: &Option<f64>) -> String {
    errored
        .filter(|n| *n > 0.0)
        .map(|n| format!(" ({n} errored)"))
        .unwrap_or_default()
}

/// Imports the benchmarks in `path` (a report, or every `*.json` report under a folder) for the
/// GPU `gpu` into `dest`.
pub fn import_guidellm(
    path: &Path,
    gpu: &str,
    dest: &Path,
    done: &mut Imported,
) -> anyhow::Result<()> {
    let parse = |path: &Path, bytes: &[u8], _modified: &str| parse_report(path, bytes, gpu);
    let format = Format {
        what: "guidellm reports (benchmarks.json)",
        wanted: &|p: &Path| has_extension(p, "json"),
        shape: Shape::Json,
        parse: &parse,
    };
    import_runs(path, gpu, dest, done, &format)
}

/// Reads the benchmarks of one report's `bytes`, each a run or why it is not filed (`benchmark
/// N: …`, N from 1). A file that is not a guidellm report is an error of its own.
pub fn parse_report(
    _path: &Path,
    bytes: &[u8],
    gpu: &str,
) -> Result<Runs<GuidellmError>, GuidellmError> {
    let doc = one_document(bytes, "a guidellm report")?;
    let report = &doc.value;
    let Some(benchmarks) = report.get("benchmarks").and_then(Json::as_array) else {
        return Err(GuidellmError::NotAReport);
    };
    if benchmarks.is_empty() {
        return Err(GuidellmError::NoBenchmarks);
    }
    let mut out = Runs::new();
    for (i, benchmark) in benchmarks.iter().enumerate() {
        let n = i + 1;
        if !benchmark.is_object() || benchmark.get("metrics").is_none() {
            out.push(Err(GuidellmError::Benchmark {
                n,
                error: Box::new(GuidellmError::NotABenchmark),
            }));
            continue;
        }
        // Each benchmark's identity is its own JSON text, so that two reports sharing a
        // benchmark, or a report saved again, file it once.
        let text = serde_json::to_string(benchmark).unwrap_or_default();
        out.push(
            to_record(report, benchmark, gpu)
                .map(|record| Run {
                    record,
                    sha256: sha256_hex(text.as_bytes()),
                })
                .map_err(|why| GuidellmError::Benchmark {
                    n,
                    error: Box::new(why),
                }),
        );
    }
    Ok(out)
}

/// Distributions of the successful requests: (theirs, ours, to ms).
const LATENCIES: [(&str, &str, i32); 4] = [
    ("time_to_first_token_ms", "ttft", 0),
    ("inter_token_latency_ms", "tpot", 0),
    ("time_per_output_token_ms", "latency_per_token", 0),
    ("request_latency", "e2el", 3),
];

/// Their statistics of a distribution, and ours.
const STATS: [(&[&str], &str); 8] = [
    (&["mean"], "mean"),
    (&["median"], "median"),
    (&["percentiles", "p90"], "p90"),
    (&["percentiles", "p95"], "p95"),
    (&["percentiles", "p99"], "p99"),
    (&["min"], "min"),
    (&["max"], "max"),
    (&["std_dev"], "std"),
];

/// Rates, their successful requests' mean: (theirs, ours, unit).
const RATES: [(&str, &str, &str); 4] = [
    ("requests_per_second", "request_throughput", "req/s"),
    (
        "output_tokens_per_second",
        "output_token_throughput",
        "tok/s",
    ),
    (
        "prompt_tokens_per_second",
        "input_token_throughput",
        "tok/s",
    ),
    ("tokens_per_second", "total_token_throughput", "tok/s"),
];

fn to_record(report: &Json, b: &Json, gpu: &str) -> Result<Record, GuidellmError> {
    // How many requests ended each way: 0.4 on under `metrics`, 0.3 at the top.
    let totals = |status: &str| -> Result<Option<f64>, FieldError> {
        for path in [
            &["metrics", "request_totals", status][..],
            &["request_totals", status],
            &["scheduler_metrics", "requests_made", status],
            &["run_stats", "requests_made", status],
        ] {
            if let Some(x) = measured_at(b, path)? {
                return Ok(Some(x));
            }
        }
        Ok(None)
    };
    let successful = totals("successful")?;
    let errored = totals("errored")?;
    if successful.unwrap_or(0.0) == 0.0 {
        return Err(GuidellmError::NothingSucceeded { errored });
    }
    let (strategy_path, strategy) = [&["config", "strategy"][..], &["args", "strategy"]]
        .into_iter()
        .find_map(|p| at(b, p).filter(|s| s.is_object()).map(|s| (p, s)))
        .ok_or(GuidellmError::Missing("config.strategy"))?;
    let kind = text_at(strategy, &["type_"])
        .or_else(|| text_at(strategy, &["type"]))
        .ok_or(GuidellmError::Missing("config.strategy.type_"))?;
    let (start, start_path) = [
        &["scheduler_metrics", "start_time"][..],
        &["start_time"],
        &["run_stats", "start_time"],
    ]
    .into_iter()
    .find_map(|p| measured_at(b, p).transpose().map(|x| (x, p.join("."))))
    .ok_or(GuidellmError::Missing("scheduler_metrics.start_time"))?;
    let timestamp = unix_time(start?, &start_path)?;
    let model = model_of(report, b).ok_or(GuidellmError::NoModel)?;

    let mut rows = head_rows(gpu, &model, &timestamp);
    rows.text("strategy", kind.as_str());
    if let Some(endpoint) = text_at(b, &["config", "backend", "request_format"]) {
        rows.text("endpoint", endpoint);
    }
    let setting = |key: &str| -> Result<Option<f64>, FieldError> {
        setting_at(b, &[strategy_path, &[key]].concat())
    };
    let rate_field = format!("{}.rate", strategy_path.join("."));
    match kind.as_str() {
        "synchronous" => rows.setting("max_concurrency", Some(1.0), ""),
        "concurrent" => rows.setting("max_concurrency", setting("streams")?, ""),
        "throughput" => {
            rows.request_rate(Some(&Json::String("inf".into())), &rate_field)?;
            rows.setting("max_concurrency", setting("max_concurrency")?, "");
        }
        _ => {
            // constant, poisson, and the rates of later kinds.
            rows.request_rate(strategy.get("rate"), &rate_field)?;
            rows.setting("max_concurrency", setting("max_concurrency")?, "");
        }
    }
    // The synthetic data's lengths, from the report's arguments (0.4 on).
    let data = [
        &["config", "spec", "data", "0"][..],
        &["config", "data", "0"],
    ]
    .into_iter()
    .find(|p| at(report, p).is_some_and(Json::is_object));
    if let Some(data) = data {
        for (theirs, ours) in [
            ("prompt_tokens", "input_len"),
            ("output_tokens", "output_len"),
        ] {
            rows.setting(
                ours,
                setting_at(report, &[data, &[theirs]].concat())?,
                "tokens",
            );
        }
    }
    rows.setting("successful_requests", successful, "");
    rows.setting("failed_requests", errored, "");
    for (theirs, ours, unit) in RATES {
        let path = ["metrics", theirs, "successful", "mean"];
        rows.figure(ours, measured_at(b, &path)?, 0, unit, &path.join("."))?;
    }
    for (theirs, ours, shift) in LATENCIES {
        for (stat, our_stat) in STATS {
            let path: Vec<&str> = [&["metrics", theirs, "successful"][..], stat].concat();
            rows.figure(
                &format!("{ours}_{our_stat}"),
                measured_at(b, &path)?,
                shift,
                "ms",
                &path.join("."),
            )?;
        }
    }
    Ok(Record {
        family: FAMILY.into(),
        benchmark: format!("{FAMILY}_{}", model_slug(&model)),
        timestamp,
        rows: rows.rows,
    })
}

/// The model a benchmark ran against: its backend's (0.4 on), the worker's (0.3), else the
/// report's arguments.
fn model_of(report: &Json, b: &Json) -> Option<String> {
    [
        &["config", "backend", "model"][..],
        &["worker", "backend_model"],
    ]
    .iter()
    .find_map(|p| text_at(b, p))
    .or_else(|| {
        [
            &["config", "spec", "backend", "model"][..],
            &["args", "model"],
            &["config", "model"],
        ]
        .iter()
        .find_map(|p| text_at(report, p))
    })
}
