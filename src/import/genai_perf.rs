//! The JSON summaries genai-perf and aiperf write for a run: genai-perf's
//! `profile_export_genai_perf.json` (`JsonExporter` in perf_analyzer's `genai-perf/`) and
//! aiperf's `profile_export_aiperf.json` (`MetricsJsonExporter`; aiperf copies genai-perf's
//! layout), each in an artifacts folder of its own per run, so that a sweep is a folder of
//! them (`artifacts/<model>-openai-chat-concurrency8/…`).
//!
//! Each metric is an object `{unit, avg, p50, p90, p95, p99, min, max, std, …}` (throughputs
//! and counts only `avg`); `input_config` holds the settings the tool ran with, laid out as
//! each version's configuration is. Both tools' `inter_token_latency` is
//! `(request_latency - time_to_first_token) / (output tokens - 1)` per request, what vLLM
//! calls TPOT, so it is filed as `tpot_*`; aiperf's `inter_chunk_latency` (the gaps between
//! streamed chunks) is vLLM's ITL, `itl_*`.

use std::path::Path;

use serde_json::Value as Json;

use super::json::{DocumentError, FieldError, one_document};
use super::serving::{
    Format, Run, Runs, STATS, at, head_rows, import_runs, iso_time, measured_at, ms_shift,
    setting_at, text_at,
};
use super::{Imported, Shape};
use crate::results::{Record, model_slug};

/// Why an export is not a genai-perf or aiperf run that can be filed.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum GenaiPerfError {
    #[error(transparent)]
    Document(#[from] DocumentError),
    #[error(transparent)]
    Field(#[from] FieldError),
    #[error("not a genai-perf or aiperf export (not a JSON object)")]
    NotAnObject,
    #[error(
        "not a genai-perf or aiperf export (no `input_config` and no metrics such as `request_throughput`)"
    )]
    NoMetrics,
    /// `failed`: how many requests failed, when the export says.
    #[error("no request completed{}; not a measurement", failed_note(.failed))]
    NothingCompleted { failed: Option<f64> },
    #[error("the export does not name the model (no `input_config` model names)")]
    NoModel,
    /// `expected`: the units the metric may have, joined by ` or `.
    #[error("`{metric}.unit` is `{unit}`, expected {expected}")]
    Unit {
        metric: &'static str,
        unit: String,
        expected: String,
    },
    #[error("`{metric}.unit` is `{unit}`, not a unit of time (ns, us, ms, s)")]
    NotATimeUnit { metric: &'static str, unit: String },
}

/// ` (N failed)`, when the export says how many requests failed.
fn failed_note(failed: &Option<f64>) -> String {
    failed.map(|n| format!(" ({n} failed)")).unwrap_or_default()
}

/// Imports the exports in `path` (one, or every export under an artifacts folder) for the GPU
/// `gpu` into `dest`.
pub fn import_genai_perf(
    path: &Path,
    gpu: &str,
    dest: &Path,
    done: &mut Imported,
) -> anyhow::Result<()> {
    let parse =
        |path: &Path, bytes: &[u8], modified: &str| parse_export(path, bytes, gpu, modified);
    let format = Format {
        what: "genai-perf or aiperf exports (profile_export_genai_perf.json, \
               profile_export_aiperf.json)",
        wanted: &is_export,
        shape: Shape::Json,
        parse: &parse,
    };
    import_runs(path, gpu, dest, done, &format)
}

/// `profile_export_genai_perf.json` (or `<prefix>_genai_perf.json` with
/// `--profile-export-file <prefix>.json`) and `profile_export_aiperf.json`.
fn is_export(path: &Path) -> bool {
    path.file_name()
        .and_then(|n| n.to_str())
        .map(str::to_ascii_lowercase)
        .is_some_and(|n| n.ends_with("_genai_perf.json") || n.ends_with("_aiperf.json"))
}

/// Which tool wrote an export, by its name, else by what it holds.
fn family(path: &Path, v: &Json) -> &'static str {
    let name = path
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or_default()
        .to_ascii_lowercase();
    if name.ends_with("_aiperf.json") {
        "aiperf"
    } else if name.ends_with("_genai_perf.json") {
        "genai_perf"
    } else if v.get("aiperf_version").is_some()
        || v.get("was_cancelled").is_some()
        || at(v, &["input_config", "loadgen"]).is_some()
    {
        "aiperf"
    } else {
        "genai_perf"
    }
}

/// Reads the run in one export's `bytes`. `path` gives the tool (by its name) and, when
/// `input_config` lacks it, the concurrency or rate (its folder, `…-concurrency8`);
/// `modified` (`YYYYMMDD_HHMMSS`) is the run's time when the export has no `start_time`.
pub fn parse_export(
    path: &Path,
    bytes: &[u8],
    gpu: &str,
    modified: &str,
) -> Result<Runs<GenaiPerfError>, GenaiPerfError> {
    let doc = one_document(bytes, "a genai-perf or aiperf export")?;
    let v = &doc.value;
    if !v.is_object() {
        return Err(GenaiPerfError::NotAnObject);
    }
    let known = METRICS.iter().any(|(theirs, ..)| v.get(theirs).is_some())
        || LATENCIES.iter().any(|(theirs, _)| v.get(theirs).is_some());
    if v.get("input_config").is_none() && !known {
        return Err(GenaiPerfError::NoMetrics);
    }
    let record = to_record(path, v, gpu, modified).map(|record| Run {
        record,
        sha256: doc.sha256,
    });
    Ok(vec![record])
}

/// Latencies, each a distribution: (theirs, ours).
const LATENCIES: [(&str, &str); 4] = [
    ("time_to_first_token", "ttft"),
    ("inter_token_latency", "tpot"),
    ("inter_chunk_latency", "itl"),
    ("request_latency", "e2el"),
];

/// Figures of the whole run (their `avg`): (theirs, ours, our unit, the units they may have).
const METRICS: [(&str, &str, &str, &[&str]); 12] = [
    (
        "request_count",
        "successful_requests",
        "",
        &["count", "requests", ""],
    ),
    (
        "error_request_count",
        "failed_requests",
        "",
        &["count", "requests", ""],
    ),
    (
        "benchmark_duration",
        "benchmark_duration",
        "s",
        &["sec", "s"],
    ),
    (
        "request_throughput",
        "request_throughput",
        "req/s",
        &["requests/sec", "per sec", "req/s", "requests/s"],
    ),
    (
        "output_token_throughput",
        "output_token_throughput",
        "tok/s",
        &["tokens/sec", "tok/s", "tokens/s"],
    ),
    (
        "output_token_throughput_per_user",
        "output_token_throughput_per_user",
        "tok/s",
        &["tokens/sec/user", "tokens/sec", "tok/s"],
    ),
    (
        "goodput",
        "request_goodput",
        "req/s",
        &["requests/sec", "per sec", "req/s"],
    ),
    (
        "request_goodput",
        "request_goodput",
        "req/s",
        &["requests/sec", "per sec", "req/s"],
    ),
    (
        "input_token_throughput",
        "input_token_throughput",
        "tok/s",
        &["tokens/sec", "tok/s", "tokens/s"],
    ),
    (
        "total_token_throughput",
        "total_token_throughput",
        "tok/s",
        &["tokens/sec", "tok/s", "tokens/s"],
    ),
    ("total_isl", "total_input_tokens", "tokens", &["tokens"]),
    ("total_osl", "total_generated_tokens", "tokens", &["tokens"]),
];

fn to_record(path: &Path, v: &Json, gpu: &str, modified: &str) -> Result<Record, GenaiPerfError> {
    let family = family(path, v);
    let successful = measured_at(v, &["request_count", "avg"])?.unwrap_or(0.0);
    if successful == 0.0 {
        let failed = measured_at(v, &["error_request_count", "avg"])?;
        return Err(GenaiPerfError::NothingCompleted { failed });
    }
    let config = Config::of(path, v)?;
    let model = config.model.clone().ok_or(GenaiPerfError::NoModel)?;
    let timestamp = match text_at(v, &["start_time"]) {
        Some(start) => iso_time(&start, "start_time")?,
        None => modified.to_string(),
    };

    let mut rows = head_rows(gpu, &model, &timestamp);
    if let Some(kind) = &config.endpoint_type {
        rows.text("endpoint_type", kind.as_str());
    }
    if let Some(endpoint) = &config.endpoint {
        rows.text("endpoint", endpoint.as_str());
    }
    if let Some(streaming) = config.streaming {
        rows.text("streaming", streaming.to_string());
    }
    rows.setting("max_concurrency", config.concurrency, "");
    if let Some(rate) = &config.request_rate {
        rows.request_rate(Some(rate), "input_config request rate")?;
    }
    rows.setting("input_len", config.input_len, "tokens");
    rows.setting("output_len", config.output_len, "tokens");
    rows.setting("num_prompts", config.num_prompts, "");

    for (theirs, ours, unit, units) in METRICS {
        let Some(metric) = v.get(theirs) else {
            continue;
        };
        let their_unit = text_at(metric, &["unit"]).unwrap_or_default();
        if !units.iter().any(|u| u.eq_ignore_ascii_case(&their_unit)) {
            return Err(GenaiPerfError::Unit {
                metric: theirs,
                unit: their_unit,
                expected: units.join(" or "),
            });
        }
        let field = format!("{theirs}.avg");
        rows.figure(ours, measured_at(v, &[theirs, "avg"])?, 0, unit, &field)?;
    }
    for (theirs, ours) in LATENCIES {
        let Some(metric) = v.get(theirs) else {
            continue;
        };
        let unit = text_at(metric, &["unit"]).unwrap_or_default();
        let Some(shift) = ms_shift(&unit) else {
            return Err(GenaiPerfError::NotATimeUnit {
                metric: theirs,
                unit,
            });
        };
        for (stat, our_stat) in STATS {
            let key = match stat {
                "mean" => "avg",
                "median" => "p50",
                other => other,
            };
            let field = format!("{theirs}.{key}");
            rows.figure(
                &format!("{ours}_{our_stat}"),
                measured_at(v, &[theirs, key])?,
                shift,
                "ms",
                &field,
            )?;
        }
    }
    Ok(Record {
        family: family.into(),
        benchmark: format!("{family}_{}", model_slug(&model)),
        timestamp,
        rows: rows.rows,
    })
}

/// The settings of a run, from `input_config` as each version lays it out, else from the
/// artifacts folder's name.
#[derive(Debug, Default)]
struct Config {
    model: Option<String>,
    endpoint_type: Option<String>,
    endpoint: Option<String>,
    streaming: Option<bool>,
    concurrency: Option<f64>,
    request_rate: Option<Json>,
    input_len: Option<f64>,
    output_len: Option<f64>,
    num_prompts: Option<f64>,
}

impl Config {
    /// Where each version keeps a setting: aiperf 0.13 on (`models.items`, `phases`,
    /// `datasets`), aiperf before (`endpoint`, `loadgen`, `input.prompt`), genai-perf 0.0.13
    /// on (`model_names`, `perf_analyzer.stimulus`, `input.synthetic_tokens`), and
    /// genai-perf's command-line arguments before that (`model`, `concurrency`, …).
    fn of(path: &Path, v: &Json) -> Result<Config, FieldError> {
        let Some(c) = v.get("input_config").filter(|c| c.is_object()) else {
            return Ok(Config::from_folder(path));
        };
        // aiperf 0.13 lists phases (warm-up, profiling) and datasets; the profiling phase and
        // the main dataset are the run's.
        let phase = list_item(c, "phases", |p| {
            text_at(p, &["kind"]).as_deref() == Some("profiling")
        });
        let dataset = list_item(c, "datasets", |d| {
            text_at(d, &["name"]).as_deref() == Some("main")
        });
        let in_phase = |key: &str| -> Result<Option<f64>, FieldError> {
            match &phase {
                Some((i, _)) => setting_at(v, &["input_config", "phases", i, key]),
                None => Ok(None),
            }
        };
        let in_dataset = |path: &[&str]| -> Result<Option<f64>, FieldError> {
            match &dataset {
                Some((i, _)) => {
                    let full: Vec<&str> =
                        [&["input_config", "datasets", i.as_str()][..], path].concat();
                    setting_at(v, &full)
                }
                None => Ok(None),
            }
        };
        let first = |paths: &[&[&str]]| paths.iter().find_map(|p| first_text(c, p));
        let number = |paths: &[&[&str]]| -> Result<Option<f64>, FieldError> {
            for p in paths {
                let full: Vec<&str> = [&["input_config"][..], p].concat();
                if let Some(x) = setting_at(v, &full)? {
                    return Ok(Some(x));
                }
            }
            Ok(None)
        };
        let phase_rate = phase
            .as_ref()
            .and_then(|(_, p)| p.get("rate"))
            .filter(|r| !r.is_null())
            .cloned();
        let mut config = Config {
            model: first(&[
                &["models", "items"],
                &["endpoint", "model_names"],
                &["model_names"],
                &["model"],
            ]),
            endpoint_type: first(&[&["endpoint", "type"], &["endpoint_type"]]),
            endpoint: first(&[&["endpoint", "custom_endpoint"], &["endpoint", "custom"]]),
            streaming: [&["endpoint", "streaming"][..], &["streaming"]]
                .iter()
                .find_map(|p| at(c, p).and_then(Json::as_bool)),
            concurrency: match in_phase("concurrency")? {
                Some(x) => Some(x),
                None => number(&[
                    &["loadgen", "concurrency"],
                    &["perf_analyzer", "stimulus", "concurrency"],
                    &["concurrency"],
                ])?,
            },
            request_rate: phase_rate.or_else(|| {
                [
                    &["loadgen", "request_rate"][..],
                    &["perf_analyzer", "stimulus", "request_rate"],
                    &["request_rate"],
                ]
                .iter()
                .find_map(|p| {
                    at(c, p)
                        .filter(|r| !r.is_null() && r.as_str().is_none_or(|s| !s.trim().is_empty()))
                })
                .cloned()
            }),
            input_len: match in_dataset(&["prompts", "isl", "mean"])? {
                Some(x) => Some(x),
                None => number(&[
                    &["input", "prompt", "input_tokens", "mean"],
                    &["input", "synthetic_tokens", "mean"],
                    &["synthetic_input_tokens_mean"],
                ])?,
            },
            output_len: match in_dataset(&["prompts", "osl", "mean"])? {
                Some(x) => Some(x),
                None => number(&[
                    &["input", "prompt", "output_tokens", "mean"],
                    &["input", "output_tokens", "mean"],
                    &["output_tokens_mean"],
                ])?,
            },
            num_prompts: match in_phase("requests")? {
                Some(x) => Some(x),
                None => number(&[&["loadgen", "request_count"]])?,
            },
        };
        let folder = Config::from_folder(path);
        if config.concurrency.is_none() && config.request_rate.is_none() {
            config.concurrency = folder.concurrency;
            config.request_rate = folder.request_rate;
        }
        Ok(config)
    }

    /// genai-perf names a run's artifacts folder `<model>-<service>-<backend>-concurrency<N>`
    /// (or `-request_rate<R>`), aiperf a sweep's `concurrency_<N>` (or `request_rate_<R>`).
    fn from_folder(path: &Path) -> Config {
        let mut config = Config::default();
        let Some(name) = path
            .parent()
            .and_then(|p| p.file_name())
            .and_then(|n| n.to_str())
        else {
            return config;
        };
        let last = name.rsplit('-').next().unwrap_or(name);
        let number = |s: &str| {
            s.trim_start_matches('_')
                .parse::<f64>()
                .ok()
                .filter(|x| x.is_finite() && *x >= 0.0)
        };
        if let Some(n) = last.strip_prefix("concurrency").and_then(number) {
            config.concurrency = Some(n);
        } else if let Some(r) = last.strip_prefix("request_rate").and_then(number) {
            config.request_rate = serde_json::Number::from_f64(r).map(Json::Number);
        }
        config
    }
}

/// The item of the list `key` of `v` that `wanted` picks, else its first item, with its index
/// (as text, a step of a path).
fn list_item<'v>(
    v: &'v Json,
    key: &str,
    wanted: impl Fn(&Json) -> bool,
) -> Option<(String, &'v Json)> {
    let items = v.get(key)?.as_array()?;
    let i = items
        .iter()
        .position(wanted)
        .or((!items.is_empty()).then_some(0))?;
    Some((i.to_string(), &items[i]))
}

/// The text at `path`, or the first item of a list there (a name, or an object's `name`).
fn first_text(v: &Json, path: &[&str]) -> Option<String> {
    match at(v, path)? {
        Json::Array(items) => items.iter().find_map(|i| match i {
            Json::String(s) if !s.trim().is_empty() => Some(s.trim().to_string()),
            Json::Object(_) => text_at(i, &["name"]),
            _ => None,
        }),
        Json::String(s) if !s.trim().is_empty() => Some(s.trim().to_string()),
        _ => None,
    }
}
