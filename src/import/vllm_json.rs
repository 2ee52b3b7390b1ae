//! The JSON `vllm bench serve --save-result` writes: one file, or a folder of them such as
//! `vllm bench sweep serve` leaves (`<experiment>/SERVE-<params>-BENCH-<params>/run=N.json`,
//! beside a `summary.json` of the same runs and a `warmup.json`).

use std::path::{Path, PathBuf};

use serde_json::Value as Json;

use super::json::{Document, DocumentError, FieldError, json_documents, measurement, shown};
use super::{Imported, Shape, Source, file_record, has_extension, read_source_as, walk};
use crate::results::name::is_timestamp;
use crate::results::{Record, Row, SWEEP_FIELDS, Value, model_slug, sanitize, sanitize_gpu_name};

/// Why a file, or a result in it, is not a vLLM bench result that can be filed.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum VllmError {
    #[error(transparent)]
    Document(#[from] DocumentError),
    #[error(transparent)]
    Field(#[from] FieldError),
    /// The JSON type it is instead (`array`).
    #[error("not a vLLM bench result (a JSON {0}, not an object)")]
    NotAnObject(&'static str),
    #[error("a failed sweep run ({kind}: {error}), not a result")]
    FailedSweepRun { kind: String, error: String },
    /// The keys every result has that it lacks.
    #[error("not a vLLM bench result (no `{}`)", either(.0))]
    NotAResult(Vec<&'static str>),
    #[error("no `{0}`")]
    Missing(&'static str),
    #[error("`date` is `{0}`, expected YYYYMMDD-HHMMSS")]
    BadDate(String),
    /// `index`: the result's place in a file of several, from 1.
    #[error("result {index}: {error}")]
    InResult { index: usize, error: Box<VllmError> },
}

/// `a` or `a` or `b` (within the backquotes the message puts around them).
fn either(keys: &[&str]) -> String {
    keys.join("` or `")
}

/// One run read from a file.
#[derive(Debug, Clone)]
pub struct Run {
    /// `--gpu-name`, else the file's `device` metadata, else unknown.
    pub gpu: Option<String>,
    pub record: Record,
    pub sha256: String,
}

/// What one JSON file holds.
#[derive(Debug, Default)]
pub struct FileRuns {
    pub runs: Vec<Run>,
    /// Results in the file left out on purpose (warm-ups), and why.
    pub passed_over: Vec<String>,
    /// Results in the file that measured nothing (every request failed), and why.
    pub failed: Vec<String>,
}

/// Imports the results in `path` (a file, or every `*.json` under a folder) for `gpu_name`
/// (else each result's `device` metadata) into `dest`. A file that is not a vLLM result, or
/// that does not name the GPU, is reported and skipped when a folder is imported, and an error
/// when it was named itself. Each file's runs are filed before the next file is read.
pub fn import_vllm_json(
    path: &Path,
    gpu_name: Option<&str>,
    dest: &Path,
    done: &mut Imported,
) -> anyhow::Result<()> {
    if path.is_dir() {
        let files = walk(path, &|p| has_extension(p, "json"), "JSON files", done)?;
        // Whether any file held a result, filed or not.
        let mut results = false;
        for file in &files {
            if is_sweep_summary(file) {
                done.pass_over(
                    file,
                    "the sweep's summary of the run=N.json files beside it, imported from those",
                );
                continue;
            }
            let bytes = match read_source_as(file, Shape::Json) {
                Ok(bytes) => bytes,
                Err(e) => {
                    done.reject(file, format!("{e:#}"));
                    continue;
                }
            };
            match parse_file(&context_path(file), &bytes, gpu_name) {
                Ok(parsed) if parsed.runs.iter().any(|run| run.gpu.is_none()) => {
                    results = true;
                    done.reject(file, NO_GPU);
                }
                Ok(parsed) => results |= file_runs(parsed, file, path, dest, done)?,
                Err(why) => done.reject(file, why),
            }
        }
        if !results && !done.skipped.iter().any(|s| !s.problem) {
            let first = done
                .skipped
                .first()
                .map(|s| format!(" (`{}`: {})", s.path.display(), s.reason))
                .unwrap_or_default();
            anyhow::bail!(
                "`{}` holds no vLLM bench results: {} JSON file{}, none a result{first}",
                path.display(),
                files.len(),
                if files.len() == 1 { "" } else { "s" }
            );
        }
    } else if path.is_file() {
        if is_sweep_summary(path) {
            done.pass_over(
                path,
                "the sweep's summary of the run=N.json files beside it; import those, or the folder",
            );
            return Ok(());
        }
        let bytes = read_source_as(path, Shape::Json)?;
        let parsed = parse_file(&context_path(path), &bytes, gpu_name)
            .map_err(|why| anyhow::anyhow!("{}: {why}", path.display()))?;
        // Every run needs a GPU; find out before anything is written.
        if parsed.runs.iter().any(|run| run.gpu.is_none()) {
            anyhow::bail!("{}: {NO_GPU}", path.display());
        }
        file_runs(parsed, path, path, dest, done)?;
    } else {
        anyhow::bail!("`{}` does not exist", path.display());
    }
    Ok(())
}

/// Why the runs of a file without `device` metadata cannot be filed without `--gpu-name`.
const NO_GPU: &str = "the file does not name the GPU; pass --gpu-name";

/// Files the runs `parsed` from `file` (found under `root`) into `dest`, and lists the results
/// it passed over or that failed; whether it held a run.
fn file_runs(
    parsed: FileRuns,
    file: &Path,
    root: &Path,
    dest: &Path,
    done: &mut Imported,
) -> anyhow::Result<bool> {
    for why in parsed.passed_over {
        done.pass_over(file, why);
    }
    for why in parsed.failed {
        done.reject(file, why);
    }
    let held = !parsed.runs.is_empty();
    for run in parsed.runs {
        let source = Source::new(file, root, run.sha256.clone());
        let gpu = run.gpu.as_deref().unwrap_or_default();
        file_record(dest, gpu, &run.record, &source, done)?;
    }
    Ok(held)
}

/// The path with its folders resolved, so that `.` or `..` still name the sweep's folders.
fn context_path(path: &Path) -> PathBuf {
    std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf())
}

/// `summary.json` beside `run=N.json` files: the same runs again, as a list.
fn is_sweep_summary(path: &Path) -> bool {
    if path.file_name().and_then(|n| n.to_str()) != Some("summary.json") {
        return false;
    }
    let Some(dir) = path.parent() else {
        return false;
    };
    std::fs::read_dir(dir).is_ok_and(|entries| {
        entries.flatten().any(|e| {
            e.file_name()
                .to_str()
                .is_some_and(|n| n.starts_with("run=") && n.ends_with(".json"))
        })
    })
}

/// Reads the results in one file's `bytes`. `path` is only read for what its folders say:
/// the parameters of a `vllm bench sweep serve` combination (`SERVE-…-BENCH-…` folders) and
/// the sweep (`YYYYMMDD_HHMMSS` above them). Errors say what is wrong, not which file.
pub fn parse_file(
    path: &Path,
    bytes: &[u8],
    gpu_name: Option<&str>,
) -> Result<FileRuns, VllmError> {
    let docs = json_documents(bytes)?;
    let folder = FolderParams::of(path);
    let warm_up_file = path.file_name().and_then(|n| n.to_str()) == Some("warmup.json");
    let several = docs.len() > 1;
    let mut out = FileRuns::default();
    for Document {
        value,
        sha256,
        index,
    } in docs
    {
        let at = |why: VllmError| {
            if several {
                VllmError::InResult {
                    index,
                    error: Box::new(why),
                }
            } else {
                why
            }
        };
        // Reasons a result is not filed, said of it as errors are.
        let said = |why: String| {
            if several {
                format!("result {index}: {why}")
            } else {
                why
            }
        };
        let value = normalized(value).map_err(at)?;
        if warm_up_file || value.get("run_number").and_then(Json::as_i64) == Some(-1) {
            out.passed_over
                .push(said("a warm-up run, not a measurement".into()));
            continue;
        }
        if let Some(why) = all_failed(&value) {
            // Its zeros are not latencies, and no chart may show them as the best run.
            out.failed.push(said(why));
            continue;
        }
        let gpu = gpu_name
            .map(str::to_string)
            .or_else(|| text(&value, "device"))
            .filter(|g| !sanitize_gpu_name(g).is_empty());
        let record = to_record(&value, gpu.as_deref().unwrap_or("unknown"), &folder).map_err(at)?;
        out.runs.push(Run {
            gpu,
            record,
            sha256,
        });
    }
    Ok(out)
}

/// Why a result in which no request succeeded is no measurement; `None` for any other.
fn all_failed(value: &Json) -> Option<String> {
    let completed = measurement(value, "completed").ok()??.0;
    (completed == 0.0).then(|| {
        let failed = text(value, "failed").unwrap_or_else(|| "not given".into());
        format!("no request succeeded (`completed` is 0, `failed` is {failed}): not a measurement")
    })
}

/// The result as an object with `-` in keys read as `_` (sweep parameters keep the spelling
/// they were given in); what is not a vLLM result is an error saying what it is instead.
fn normalized(value: Json) -> Result<Json, VllmError> {
    let Json::Object(map) = value else {
        return Err(VllmError::NotAnObject(kind(&value)));
    };
    let mut out = serde_json::Map::new();
    for (k, v) in map {
        let key = k.replace('-', "_");
        if !out.contains_key(&key) {
            out.insert(key, v);
        }
    }
    let value = Json::Object(out);
    if value.get("model_id").is_none() || value.get("date").is_none() {
        if let (Some(kind), Some(error)) = (text(&value, "error_type"), text(&value, "error")) {
            return Err(VllmError::FailedSweepRun { kind, error });
        }
        let missing: Vec<&str> = ["model_id", "date"]
            .into_iter()
            .filter(|k| value.get(k).is_none())
            .collect();
        return Err(VllmError::NotAResult(missing));
    }
    Ok(value)
}

fn kind(v: &Json) -> &'static str {
    match v {
        Json::Null => "null",
        Json::Bool(_) => "boolean",
        Json::Number(_) => "number",
        Json::String(_) => "string",
        Json::Array(_) => "array",
        Json::Object(_) => "object",
    }
}

/// What the folders around a result say about it.
#[derive(Debug, Default, Clone)]
struct FolderParams {
    /// `key=value` pairs of the sweep combination's folder, keys with `_` for `-`.
    params: Vec<(String, String)>,
    /// The sweep's folder name when it is its start time (`YYYYMMDD_HHMMSS`, the default).
    sweep_id: Option<String>,
}

impl FolderParams {
    fn of(path: &Path) -> FolderParams {
        let name = |p: Option<&Path>| {
            p.and_then(|p| p.file_name())
                .and_then(|n| n.to_str())
                .map(str::to_string)
        };
        let parent = path.parent();
        let Some(comb) =
            name(parent).filter(|n| n.starts_with("SERVE-") || n.starts_with("BENCH-"))
        else {
            return FolderParams::default();
        };
        FolderParams {
            params: comb_params(&comb),
            sweep_id: name(parent.and_then(Path::parent)).filter(|n| is_timestamp(n)),
        }
    }

    fn get(&self, key: &str) -> Option<&str> {
        self.params
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }
}

/// `SERVE--max_num_seqs=32-max_num_batched_tokens=1024-BENCH--max_concurrency=8` →
/// `max_num_seqs=32`, `max_num_batched_tokens=1024`, `max_concurrency=8`. vLLM joins the
/// parameters with `-`, so words before a `key=` that look like a key's (`max-concurrency=8`)
/// belong to it, and other words continue the value before them (`model=Qwen-3B`).
fn comb_params(name: &str) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = Vec::new();
    let mut open = false;
    let mut pending: Vec<&str> = Vec::new();
    let key_word = |w: &str| {
        w.chars().next().is_some_and(|c| c.is_ascii_lowercase())
            && w.chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '_' | '.'))
    };
    let flush = |pending: &mut Vec<&str>, out: &mut Vec<(String, String)>, open: bool| {
        if open && let Some(last) = out.last_mut() {
            for w in pending.iter() {
                last.1.push('-');
                last.1.push_str(w);
            }
        }
        pending.clear();
    };
    for word in name.split('-') {
        if matches!(word, "SERVE" | "BENCH" | "") {
            flush(&mut pending, &mut out, open);
            open = false;
            continue;
        }
        match word.split_once('=') {
            Some((k, v)) if key_word(k) => {
                let split = pending
                    .iter()
                    .rposition(|w| !key_word(w))
                    .map_or(0, |i| i + 1);
                let key_words: Vec<&str> = pending.drain(split..).collect();
                flush(&mut pending, &mut out, open);
                let mut key = key_words.join("_");
                if !key.is_empty() {
                    key.push('_');
                }
                key.push_str(k);
                out.push((key, v.to_string()));
                open = true;
            }
            _ => pending.push(word),
        }
    }
    flush(&mut pending, &mut out, open);
    out.retain(|(k, _)| !k.starts_with('_'));
    out
}

fn text(v: &Json, key: &str) -> Option<String> {
    match v.get(key)? {
        Json::String(s) => Some(s.clone()),
        Json::Number(n) => Some(n.to_string()),
        Json::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

/// A setting (not a measurement): a number, or a numeric string; anything else is left out.
fn setting(v: &Json, key: &str) -> Option<f64> {
    match v.get(key)? {
        Json::Number(n) => n.as_f64().filter(|x| x.is_finite()),
        Json::String(s) => s.trim().parse().ok().filter(|x: &f64| x.is_finite()),
        _ => None,
    }
}

/// Where a key of the result (or of a sweep folder) ends up among the rows.
fn row_name(key: &str) -> &str {
    match key {
        "random_input_len" => "input_len",
        "random_output_len" => "output_len",
        "random_range_ratio" => "range_ratio",
        "run_number" => "iteration",
        "completed" => "successful_requests",
        "failed" => "failed_requests",
        other => other,
    }
}

/// The record of the result `v`, run on `gpu`, with what its folders say.
fn to_record(v: &Json, gpu: &str, folder: &FolderParams) -> Result<Record, VllmError> {
    // Sweep parameters the result lacks come from the folder's name.
    let mut v = v.clone();
    if let Json::Object(map) = &mut v {
        for (k, value) in &folder.params {
            if !map.contains_key(k) {
                map.insert(k.clone(), Json::String(value.clone()));
            }
        }
    }
    let v = &v;
    let model = text(v, "model_id").ok_or(VllmError::Missing("model_id"))?;
    let date = text(v, "date").ok_or(VllmError::Missing("date"))?;
    let timestamp = date.replace('-', "_");
    if !is_timestamp(&timestamp) {
        return Err(VllmError::BadDate(date));
    }
    let duration = measurement(v, "duration")?
        .map(|(x, _)| x)
        .ok_or(VllmError::Missing("duration"))?;
    let test_type = text(v, "test_type").unwrap_or_else(|| "text_only".into());
    let num_prompts = setting(v, "num_prompts");

    let mut rows: Vec<Row> = vec![
        Row::text("device", gpu),
        Row::text("device_sanitized", sanitize_gpu_name(gpu)),
        Row::text("model", model.clone()),
        Row::text("timestamp", timestamp.clone()),
        Row::text("test_type", test_type.clone()),
    ];
    rows.extend(setting_rows(v, num_prompts));
    let measured = measured_rows(v, duration)?;
    rows.extend(sweep_rows(v, folder, &rows, &measured));
    if let Some(id) = &folder.sweep_id {
        rows.push(Row::text("sweep_id", id.as_str()));
    }
    rows.extend(measured);
    let samples = num_prompts.map_or(String::new(), |n| format!("_samples_{n}"));
    Ok(Record {
        family: "vLLM".into(),
        benchmark: format!(
            "vLLM_{}_{}{samples}",
            model_slug(&model),
            sanitize(&test_type)
        ),
        timestamp,
        rows,
    })
}

/// The rows of what the run was asked to do: its request rate, prompts, concurrency, lengths,
/// seed and iteration (settings vLLM does not save itself arrive as `--metadata KEY=VALUE`).
fn setting_rows(v: &Json, num_prompts: Option<f64>) -> Vec<Row> {
    let mut rows = Vec::new();
    if let Some(rate) = v.get("request_rate") {
        let rate = match rate {
            Json::Number(n) => n.to_string(),
            Json::String(s) if s.trim_start_matches('+').eq_ignore_ascii_case("infinity") => {
                "inf".into()
            }
            Json::String(s) => s.clone(),
            _ => "inf".into(),
        };
        rows.push(Row::new("request_rate", Value::parse(&rate), "req/s"));
    }
    let mut add = |metric: &str, value: Option<f64>, unit: &str| {
        if let Some(x) = value {
            rows.push(Row::measured(metric, x, unit));
        }
    };
    add("num_prompts", num_prompts, "");
    add("max_concurrency", setting(v, "max_concurrency"), "");
    add("num_warmups", setting(v, "num_warmups"), "");
    add(
        "input_len",
        setting(v, "input_len").or(setting(v, "random_input_len")),
        "tokens",
    );
    add(
        "output_len",
        setting(v, "output_len").or(setting(v, "random_output_len")),
        "tokens",
    );
    add(
        "range_ratio",
        setting(v, "range_ratio").or(setting(v, "random_range_ratio")),
        "",
    );
    add("seed", setting(v, "seed"), "");
    // `vllm bench sweep serve` numbers the runs of a combination from 0.
    add("iteration", setting(v, "run_number"), "");
    rows
}

/// The rows of what the run measured: counts, totals, throughputs and latencies (in ms).
fn measured_rows(v: &Json, duration: f64) -> Result<Vec<Row>, FieldError> {
    let m = |key: &str| measurement(v, key).map(|x| x.map(|(x, _)| x));
    let completed = m("completed")?;
    let input = m("total_input_tokens")?;
    let measured: [(&str, Option<f64>, &str); 11] = [
        ("successful_requests", completed, ""),
        ("failed_requests", m("failed")?, ""),
        ("benchmark_duration", Some(duration), "s"),
        ("total_input_tokens", input, "tokens"),
        (
            "total_generated_tokens",
            m("total_output_tokens")?,
            "tokens",
        ),
        ("request_throughput", m("request_throughput")?, "req/s"),
        ("output_token_throughput", m("output_throughput")?, "tok/s"),
        (
            "input_token_throughput",
            input.filter(|_| duration > 0.0).map(|i| i / duration),
            "tok/s",
        ),
        (
            "peak_output_throughput",
            m("max_output_tokens_per_s")?,
            "tok/s",
        ),
        (
            "peak_concurrent_requests",
            m("max_concurrent_requests")?,
            "",
        ),
        (
            "total_token_throughput",
            m("total_token_throughput")?,
            "tok/s",
        ),
    ];
    let mut rows = Vec::new();
    for (metric, value, unit) in measured {
        if let Some(x) = value {
            rows.push(Row::measured(metric, x, unit));
        }
    }
    for stat in ["ttft", "tpot", "itl", "e2el"] {
        for (ours, theirs) in [("mean", "mean"), ("median", "median"), ("p99", "p99")] {
            if let Some(x) = m(&format!("{theirs}_{stat}_ms"))? {
                rows.push(Row::measured(&format!("{stat}_{ours}"), x, "ms"));
            }
        }
    }
    Ok(rows)
}

/// Rows for the sweep fields the result carries, and every parameter its sweep folder names,
/// that are not among `rows` or `measured` already.
fn sweep_rows(v: &Json, folder: &FolderParams, rows: &[Row], measured: &[Row]) -> Vec<Row> {
    let mut extra: Vec<&str> = SWEEP_FIELDS
        .iter()
        .copied()
        .chain(["max_num_seqs"])
        .filter(|k| *k != "sweep_id")
        .collect();
    extra.extend(folder.params.iter().map(|(k, _)| k.as_str()));
    let mut out: Vec<Row> = Vec::new();
    for key in extra {
        let name = row_name(key);
        if rows
            .iter()
            .chain(measured)
            .chain(&out)
            .any(|r| r.metric == name)
        {
            continue;
        }
        let value = match v.get(key) {
            Some(Json::Number(n)) => n.to_string(),
            Some(Json::Bool(b)) => b.to_string(),
            Some(Json::String(s)) => s.clone(),
            Some(Json::Null) | None => match folder.get(key) {
                Some(text) => text.to_string(),
                None => continue,
            },
            Some(other) => shown(other),
        };
        out.push(Row::new(name, Value::parse(&value), ""));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_sweep_parameters_from_vllm_folder_names() {
        let p = comb_params(
            "SERVE--max_num_seqs=32-max_num_batched_tokens=1024-BENCH--max_concurrency=8",
        );
        assert_eq!(
            p,
            [
                ("max_num_seqs".to_string(), "32".to_string()),
                ("max_num_batched_tokens".into(), "1024".into()),
                ("max_concurrency".into(), "8".into()),
            ]
        );
        let p = comb_params("BENCH--max-concurrency=8-request_rate=inf-model=Qwen-3B");
        assert_eq!(
            p,
            [
                ("max_concurrency".to_string(), "8".to_string()),
                ("request_rate".into(), "inf".into()),
                ("model".into(), "Qwen-3B".into()),
            ]
        );
        assert!(comb_params("SERVE--my_named_setting").is_empty());
    }

    #[test]
    fn folders_give_parameters_and_the_sweep() {
        let f = FolderParams::of(Path::new(
            "/x/20260301_101500/SERVE--max_num_seqs=64-BENCH--max_concurrency=8/run=1.json",
        ));
        assert_eq!(f.get("max_num_seqs"), Some("64"));
        assert_eq!(f.sweep_id.as_deref(), Some("20260301_101500"));
        let f = FolderParams::of(Path::new("/x/20260301_101500/run=1.json"));
        assert!(f.params.is_empty() && f.sweep_id.is_none());
    }
}
