//! What `python -m sglang.bench_serving --output-file FILE` appends to FILE: JSON lines, one
//! object per run (`benchmark()` in `sglang/benchmark/serving.py`, sglang 0.5; older versions
//! wrote the same keys less `tag`, `server_info`, the p90/p95 percentiles and the peaks).
//!
//! A line names the backend, the dataset, `request_rate` (Python's `Infinity` when every
//! request is sent at once, `"trace"` for a trace's own times), `max_concurrency` (null: not
//! set) and the random dataset's lengths; then `duration`, `completed`, token totals,
//! throughputs in tok/s and req/s, and `{mean,median,std,p90,p95,p99}_{ttft,tpot,itl}_ms` and
//! `_e2e_latency_ms`, all in ms. It does not say when it ran (the file's modification time
//! stands in, each line a second after the one before when they share it) nor always which
//! model: `server_info` does for an sglang server (`model_path`), `--model` otherwise.

use std::path::Path;

use serde_json::Value as Json;

use super::json::{DocumentError, FieldError, json_documents};
use super::serving::{
    Format, Run, Runs, STATS, head_rows, import_runs, measured_at, setting_at, text_at,
};
use super::{Imported, Shape};
use crate::results::{Record, model_slug, sanitize};

/// The family of the runs, and the first part of their benchmark ids.
pub const FAMILY: &str = "sglang_bench";

/// Why a line, or the whole file, is not a run of sglang's `bench_serving` that can be filed.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum SglangError {
    #[error(transparent)]
    Document(#[from] DocumentError),
    #[error(transparent)]
    Field(#[from] FieldError),
    #[error("not one JSON object")]
    NotOneObject,
    #[error("not a run of sglang's bench_serving (no `completed` or `backend`)")]
    NotARun,
    #[error(
        "the run does not name its model (no `server_info.model_path`: not an sglang server); pass --model"
    )]
    NoServerModel,
    #[error("holds no runs")]
    NoRuns,
    #[error("no request completed (sglang warns \"All requests failed\"); not a measurement")]
    NothingCompleted,
    #[error("the run does not name its model; pass --model")]
    NoModel,
    #[error("line {line}: {error}")]
    Line {
        line: usize,
        error: Box<SglangError>,
    },
}

impl SglangError {
    /// The error, said of line `line`.
    fn at(self, line: usize) -> SglangError {
        SglangError::Line {
            line,
            error: Box::new(self),
        }
    }
}

/// Imports the runs in `path` (a JSON lines file, or every `*.jsonl` under a folder) for the
/// GPU `gpu` into `dest`; `model` names the model of runs whose line does not.
pub fn import_sglang(
    path: &Path,
    gpu: &str,
    model: Option<&str>,
    dest: &Path,
    done: &mut Imported,
) -> anyhow::Result<()> {
    let parse =
        |path: &Path, bytes: &[u8], modified: &str| parse_lines(path, bytes, gpu, model, modified);
    let format = Format {
        what: "sglang bench_serving results (*.jsonl, as --output-file writes them)",
        wanted: &|p: &Path| super::has_extension(p, "jsonl"),
        shape: Shape::Lines,
        parse: &parse,
    };
    import_runs(path, gpu, dest, done, &format)
}

/// Reads the runs in a file's `bytes`, one per line. A line that is not a run of
/// `bench_serving` (broken JSON, a NaN where a figure belongs, no request completed) is an
/// `Err` naming its line; a file with no run in it at all is an error of its own. `modified`
/// (`YYYYMMDD_HHMMSS`) is the runs' time.
pub fn parse_lines(
    _path: &Path,
    bytes: &[u8],
    gpu: &str,
    model: Option<&str>,
    modified: &str,
) -> Result<Runs<SglangError>, SglangError> {
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err(DocumentError::Empty.into());
    }
    let mut out = Runs::new();
    let mut first_problem: Option<SglangError> = None;
    let mut runs = 0;
    for (i, line) in bytes.split(|&b| b == b'\n').enumerate() {
        let line_no = i + 1;
        if line.iter().all(u8::is_ascii_whitespace) {
            continue;
        }
        let read = json_documents(line)
            .map_err(SglangError::from)
            .and_then(|docs| match docs.as_slice() {
                [doc] if doc.value.is_object() => Ok(doc.clone()),
                _ => Err(SglangError::NotOneObject),
            });
        let doc = match read {
            Ok(doc)
                if doc.value.get("completed").is_some() && doc.value.get("backend").is_some() =>
            {
                doc
            }
            Ok(_) => {
                let why = SglangError::NotARun.at(line_no);
                first_problem.get_or_insert_with(|| why.clone());
                out.push(Err(why));
                continue;
            }
            Err(why) => {
                let why = why.at(line_no);
                first_problem.get_or_insert_with(|| why.clone());
                out.push(Err(why));
                continue;
            }
        };
        runs += 1;
        // Without a model no line can be filed: an error of the file, not a warning per line.
        if model.is_none() && model_of(&doc.value).is_none() {
            return Err(SglangError::NoServerModel.at(line_no));
        }
        out.push(
            to_record(&doc.value, gpu, model, modified)
                .map(|record| Run {
                    record,
                    sha256: doc.sha256.clone(),
                })
                .map_err(|why| why.at(line_no)),
        );
    }
    if runs == 0 {
        return Err(first_problem.unwrap_or(SglangError::NoRuns));
    }
    Ok(out)
}

/// Result keys and the rows they become, as vLLM results name them: (theirs, ours, unit).
const TOTALS: [(&str, &str, &str); 11] = [
    ("duration", "benchmark_duration", "s"),
    ("completed", "successful_requests", ""),
    ("total_input_tokens", "total_input_tokens", "tokens"),
    ("total_output_tokens", "total_generated_tokens", "tokens"),
    (
        "total_output_tokens_retokenized",
        "total_output_tokens_retokenized",
        "tokens",
    ),
    ("request_throughput", "request_throughput", "req/s"),
    ("input_throughput", "input_token_throughput", "tok/s"),
    ("output_throughput", "output_token_throughput", "tok/s"),
    ("total_throughput", "total_token_throughput", "tok/s"),
    ("max_output_tokens_per_s", "peak_output_throughput", "tok/s"),
    ("max_concurrent_requests", "peak_concurrent_requests", ""),
];

/// Latencies: sglang's name in `{stat}_{name}_ms` and ours in `{ours}_{stat}`.
const LATENCIES: [(&str, &str); 4] = [
    ("ttft", "ttft"),
    ("tpot", "tpot"),
    ("itl", "itl"),
    ("e2e_latency", "e2el"),
];

/// The model a line names: an sglang server's `server_info` does.
fn model_of(v: &Json) -> Option<String> {
    text_at(v, &["model_id"])
        .or_else(|| text_at(v, &["server_info", "served_model_name"]))
        .or_else(|| text_at(v, &["server_info", "model_path"]))
}

fn to_record(
    v: &Json,
    gpu: &str,
    model: Option<&str>,
    modified: &str,
) -> Result<Record, SglangError> {
    let completed = measured_at(v, &["completed"])?.unwrap_or(0.0);
    if completed == 0.0 {
        return Err(SglangError::NothingCompleted);
    }
    let model = model_of(v)
        .or_else(|| model.map(str::to_string))
        .ok_or(SglangError::NoModel)?;
    let backend = text_at(v, &["backend"]).unwrap_or_default();
    let dataset = text_at(v, &["dataset_name"]).unwrap_or_default();
    let tag = text_at(v, &["tag"]);

    let mut rows = head_rows(gpu, &model, modified);
    rows.text("backend", backend.as_str());
    rows.text("dataset_name", dataset.as_str());
    if let Some(tag) = &tag {
        rows.text("tag", tag.as_str());
    }
    rows.request_rate(v.get("request_rate"), "request_rate")?;
    rows.setting("max_concurrency", setting_at(v, &["max_concurrency"])?, "");
    if dataset.starts_with("random") {
        rows.setting("input_len", setting_at(v, &["random_input_len"])?, "tokens");
        rows.setting(
            "output_len",
            setting_at(v, &["random_output_len"])?,
            "tokens",
        );
        rows.setting("range_ratio", setting_at(v, &["random_range_ratio"])?, "");
    } else {
        rows.setting(
            "output_len",
            setting_at(v, &["sharegpt_output_len"])?,
            "tokens",
        );
    }
    for (theirs, ours, unit) in TOTALS {
        rows.figure(ours, measured_at(v, &[theirs])?, 0, unit, theirs)?;
    }
    for (theirs, ours) in LATENCIES {
        for (stat, our_stat) in STATS {
            let key = format!("{stat}_{theirs}_ms");
            let metric = format!("{ours}_{our_stat}");
            rows.figure(&metric, measured_at(v, &[&key])?, 0, "ms", &key)?;
        }
    }
    // Requests in flight on average (the latencies' sum over the duration), and speculative
    // decoding's accepted length.
    rows.figure(
        "concurrency",
        measured_at(v, &["concurrency"])?,
        0,
        "",
        "concurrency",
    )?;
    rows.figure(
        "accept_length",
        measured_at(v, &["accept_length"])?,
        0,
        "",
        "accept_length",
    )?;
    let mut benchmark = format!("{FAMILY}_{}", model_slug(&model));
    for part in [Some(dataset.as_str()), tag.as_deref()]
        .into_iter()
        .flatten()
    {
        let part = sanitize(part);
        if !part.is_empty() {
            benchmark.push('_');
            benchmark.push_str(&part);
        }
    }
    Ok(Record {
        family: FAMILY.into(),
        benchmark,
        timestamp: modified.to_string(),
        rows: rows.rows,
    })
}
