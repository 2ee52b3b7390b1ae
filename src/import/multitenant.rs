//! Multi-tenant experiments (several models sharing one GPU, as `bench_multitenants.py` runs
//! them): each tenant writes `<experiment>/<tenant>/events.jsonl`, a `run_start` event with its
//! config, an `iteration` event per timed iteration (`latency_ms`), a `run_end` event with its
//! figures and a `time_elapsed` event; the experiment's YAML config is copied beside them.
//!
//! Each tenant becomes a result file (its config, latency percentiles, throughput, wall time,
//! how busy its iterations kept the GPU, and its latencies as a `# series latency_ms by
//! iteration` section), and each experiment one more (`multitenant_experiment`: the GPU's
//! throughput over the longest tenant's wall time, and the worst p99).

use std::path::{Path, PathBuf};

use serde_json::Value as Json;

use super::json::{MAX_JSON_DEPTH, quote_non_finite, within_depth};
use super::{Imported, Shape, Source, file_record, read_source_as, sha256_hex, walk};
use crate::results::stats::{mean, percentile};
use crate::results::{
    Record, Row, Value, Warning, model_slug, sanitize, sanitize_gpu_name, series_title,
};

const FAMILY: &str = "multitenant";
const EVENTS: &str = "events.jsonl";

/// How to import experiments: what their files do not say.
#[derive(Debug, Clone, Default)]
pub struct MultitenantImport {
    /// The GPU the tenants shared.
    pub gpu: String,
    /// `--set mps=…`: used when an experiment's YAML config does not say.
    pub mps: Option<bool>,
    /// A folder of YAML configs, `<experiment>.yaml` (any case), kept apart from the logs.
    pub config_dir: Option<PathBuf>,
}

/// Imports every experiment under `path`: an experiment folder, or a folder of them. An
/// experiment that cannot be imported is listed in `done` with the reason and the others are
/// imported all the same.
pub fn import_multitenant(
    path: &Path,
    how: &MultitenantImport,
    dest: &Path,
    done: &mut Imported,
) -> anyhow::Result<()> {
    let gpu = how.gpu.as_str();
    if sanitize_gpu_name(gpu).is_empty() {
        anyhow::bail!("--gpu-name `{gpu}` has no letters or digits");
    }
    if !path.is_dir() {
        anyhow::bail!(
            "`{}` is not a folder; give the experiment's folder (data/<experiment>, with <tenant>/events.jsonl in it) or a folder of them",
            path.display()
        );
    }
    let what = "tenant event logs (<tenant>/events.jsonl)";
    let logs = walk(
        path,
        &|p| p.file_name().is_some_and(|n| n == EVENTS),
        what,
        done,
    )?;
    // Experiments by folder: a log's tenant folder's parent.
    let mut experiments: Vec<(PathBuf, Vec<PathBuf>)> = Vec::new();
    for log in logs {
        let Some(folder) = log.parent().and_then(Path::parent) else {
            continue;
        };
        match experiments.iter_mut().find(|(f, _)| f == folder) {
            Some((_, logs)) => logs.push(log),
            None => experiments.push((folder.to_path_buf(), vec![log])),
        }
    }
    for (folder, logs) in &experiments {
        let config = match experiment_config(folder, how.config_dir.as_deref()) {
            Ok(config) => config,
            Err(e) => {
                done.reject(folder, format!("{e:#}"));
                continue;
            }
        };
        let Some(mps) = config.mps.or(how.mps) else {
            let yaml = config.file.as_ref().map_or_else(
                || match &how.config_dir {
                    Some(dir) => format!(
                        "there is none in the folder, nor a `{}.yaml` in `{}`",
                        folder_name(folder),
                        dir.display()
                    ),
                    None => "there is none in the folder; --config-dir names a folder of them"
                        .to_string(),
                },
                |f| format!("`{}`", f.display()),
            );
            done.reject(
                folder,
                format!(
                    "whether MPS was on is not known: its YAML config has no `mps:` ({yaml}); pass --set mps=true or --set mps=false"
                ),
            );
            continue;
        };
        let name = config.name.clone().unwrap_or_else(|| folder_name(folder));
        let mut tenants = Vec::new();
        for log in logs {
            let bytes = match read_source_as(log, Shape::Lines) {
                Ok(bytes) => bytes,
                Err(e) => {
                    done.reject(log, format!("{e:#}"));
                    continue;
                }
            };
            match Tenant::read(log, &bytes, &mut done.warnings) {
                Ok(tenant) => tenants.push((tenant, Source::new(log, path, sha256_hex(&bytes)))),
                Err(why) => done.reject(log, why.to_string()),
            }
        }
        if tenants.is_empty() {
            continue;
        }
        let count = tenants.len();
        let experiment = Experiment {
            name: &name,
            tenants: count,
            mps,
            gpu,
        };
        // Each experiment is filed before the next is read: only one is ever held.
        for (tenant, source) in &tenants {
            file_record(dest, gpu, &tenant.record(&experiment), source, done)?;
        }
        let summary = experiment.record(tenants.iter().map(|(t, _)| t));
        // The experiment is what its tenants' logs are: it is the same when they are.
        let joined: String = tenants.iter().map(|(_, s)| s.sha256.as_str()).collect();
        let source = Source {
            path: folder.clone(),
            name: format!("{}/", Source::new(folder, path, String::new()).name),
            sha256: sha256_hex(joined.as_bytes()),
        };
        file_record(dest, gpu, &summary, &source, done)?;
    }
    Ok(())
}

/// The result file of one tenant's log (`bytes`, read from `path`), as an experiment of one
/// would file it, with the warnings its lines gave; an error when it is no tenant's log.
pub fn tenant_record(
    path: &Path,
    bytes: &[u8],
    gpu: &str,
) -> Result<(Record, Vec<Warning>), LogError> {
    let mut warnings = Vec::new();
    let tenant = Tenant::read(path, bytes, &mut warnings)?;
    let experiment = Experiment {
        name: "experiment",
        tenants: 1,
        mps: false,
        gpu,
    };
    Ok((tenant.record(&experiment), warnings))
}

/// Why a tenant's event log cannot be filed: each names the line it found it at.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum LogError {
    #[error("not UTF-8 text")]
    NotUtf8,
    #[error("line {line}: `timestamp` is {value}, not a time")]
    NotATime { line: usize, value: String },
    #[error(
        "line {line}: its `timestamp` {time} is earlier than line {before_line}'s {before}: the events are out of order"
    )]
    OutOfOrder {
        line: usize,
        time: f64,
        before_line: usize,
        before: f64,
    },
    #[error("a second `run_start` at line {line} (the first is at line {first}): one log per run")]
    SecondStart { line: usize, first: usize },
    #[error(
        "line {line}: `run_start` has `timestamp` {value}, not a Unix time between 1970 and 2100"
    )]
    StartTime { line: usize, value: String },
    #[error("iteration {iteration} at line {line} is already at line {first}: one log per run")]
    RepeatedIteration {
        iteration: f64,
        line: usize,
        first: usize,
    },
    #[error("no `run_start` event: not a tenant's event log")]
    NoStart,
    #[error(
        "its iterations take {busy:.1}% of its wall time ({wall_s} s): more than the whole run"
    )]
    BusierThanTheRun { busy: f64, wall_s: f64 },
}

/// What an experiment's copied YAML config says that the logs do not.
struct Config {
    file: Option<PathBuf>,
    name: Option<String>,
    mps: Option<bool>,
}

/// Reads `experiment_name:` and `mps:` from the one `*.yaml`/`*.yml` in `folder`, else from
/// `<experiment>.yaml` (any case) in `config_dir` (nothing else is needed: the rest is in the
/// logs).
fn experiment_config(folder: &Path, config_dir: Option<&Path>) -> anyhow::Result<Config> {
    let mut yamls = yaml_files(folder)?;
    if yamls.is_empty()
        && let Some(dir) = config_dir
    {
        let name = folder_name(folder);
        yamls = yaml_files(dir)?
            .into_iter()
            .filter(|p| {
                p.file_stem()
                    .is_some_and(|s| s.to_string_lossy().eq_ignore_ascii_case(&name))
            })
            .collect();
    }
    let file = match yamls.as_slice() {
        [] => {
            return Ok(Config {
                file: None,
                name: None,
                mps: None,
            });
        }
        [one] => one.clone(),
        several => anyhow::bail!(
            "{}: several YAML configs ({}); keep the one the experiment ran with",
            folder.display(),
            several
                .iter()
                .filter_map(|p| p.file_name())
                .map(|n| n.to_string_lossy())
                .collect::<Vec<_>>()
                .join(", ")
        ),
    };
    // Told by its size before it is read.
    let size = std::fs::metadata(&file).map_or(0, |m| m.len());
    if size > YAML_MAX_BYTES as u64 {
        anyhow::bail!(
            "{}: {size} bytes; a config of more than {YAML_MAX_BYTES} bytes is refused",
            file.display()
        );
    }
    let text = String::from_utf8(read_source_as(&file, Shape::Lines)?)
        .map_err(|_| anyhow::anyhow!("`{}` is not UTF-8 text", file.display()))?;
    let (name, mps) = yaml_keys(&text)
        .map_err(|(line, why)| anyhow::anyhow!("{}:{line}: {why}", file.display()))?;
    Ok(Config {
        file: Some(file),
        name,
        mps,
    })
}

/// The `*.yaml` and `*.yml` files in `folder`, sorted.
fn yaml_files(folder: &Path) -> anyhow::Result<Vec<PathBuf>> {
    let mut yamls: Vec<PathBuf> = std::fs::read_dir(folder)
        .map_err(|e| anyhow::anyhow!("cannot list `{}`: {e}", folder.display()))?
        .flatten()
        .map(|e| e.path())
        .filter(|p| {
            p.is_file() && (super::has_extension(p, "yaml") || super::has_extension(p, "yml"))
        })
        .collect();
    yamls.sort();
    Ok(yamls)
}

/// `experiment_name` and `mps` from a YAML document's top level (YAML 1.2: `mps: False` is a
/// boolean, `mps: no` is text); an error (line, why) for YAML that does not parse or an `mps`
/// that is not a boolean.
fn yaml_keys(text: &str) -> Result<(Option<String>, Option<bool>), (usize, String)> {
    use yaml_rust2::{Yaml, YamlLoader};
    yaml_within_limits(text)?;
    let docs = YamlLoader::load_from_str(text)
        .map_err(|e| (e.marker().line(), format!("not YAML: {e}")))?;
    let Some(doc) = docs.first() else {
        return Ok((None, None));
    };
    let name = match &doc["experiment_name"] {
        Yaml::String(s) if !s.trim().is_empty() => Some(s.trim().to_string()),
        Yaml::Integer(i) => Some(i.to_string()),
        _ => None,
    };
    let mps = match &doc["mps"] {
        Yaml::Boolean(b) => Some(*b),
        Yaml::BadValue | Yaml::Null => None,
        other => {
            let line = text
                .lines()
                .position(|l| l.trim_start().starts_with("mps:") && !l.starts_with([' ', '\t']))
                .map_or(0, |i| i + 1);
            return Err((
                line,
                format!("`mps: {}` is neither true nor false", shown(other)),
            ));
        }
    };
    Ok((name, mps))
}

/// The most a config may hold: a YAML file's size, the values it holds once its aliases are
/// expanded, and its nesting.
const YAML_MAX_BYTES: usize = 1 << 20;
const YAML_MAX_VALUES: u64 = 100_000;
const YAML_MAX_DEPTH: usize = 64;

/// Refuses YAML whose loading would take far more memory than its text: an alias repeats all
/// it names, so a few lines of nested aliases (a "billion laughs") grow to gigabytes. The
/// events are read without building anything, counting the values each anchor stands for, so
/// the check costs no more than the text.
fn yaml_within_limits(text: &str) -> Result<(), (usize, String)> {
    use std::collections::HashMap;
    use yaml_rust2::parser::{Event, Parser};
    if text.len() > YAML_MAX_BYTES {
        return Err((
            0,
            format!(
                "{} bytes; a config of more than {YAML_MAX_BYTES} bytes is refused",
                text.len()
            ),
        ));
    }
    let mut parser = Parser::new_from_str(text);
    // Values each anchor stands for; per open list or map, its anchor and values so far.
    let mut anchors: HashMap<usize, u64> = HashMap::new();
    let mut open: Vec<(usize, u64)> = Vec::new();
    let mut total: u64 = 0;
    loop {
        let (event, at) = parser
            .next_token()
            .map_err(|e| (e.marker().line(), format!("not YAML: {e}")))?;
        let done = match event {
            Event::StreamEnd => return Ok(()),
            Event::Scalar(_, _, anchor, _) => {
                if anchor > 0 {
                    anchors.insert(anchor, 1);
                }
                Some(1)
            }
            Event::Alias(id) => Some(anchors.get(&id).copied().unwrap_or(1)),
            Event::MappingStart(anchor, _) | Event::SequenceStart(anchor, _) => {
                open.push((anchor, 1));
                if open.len() > YAML_MAX_DEPTH {
                    return Err((
                        at.line(),
                        format!("nested more than {YAML_MAX_DEPTH} levels deep; refused"),
                    ));
                }
                None
            }
            Event::MappingEnd | Event::SequenceEnd => {
                let (anchor, values) = open.pop().unwrap_or((0, 1));
                if anchor > 0 {
                    anchors.insert(anchor, values);
                }
                Some(values)
            }
            _ => None,
        };
        if let Some(values) = done {
            match open.last_mut() {
                Some((_, parent)) => *parent = parent.saturating_add(values),
                None => total = total.saturating_add(values),
            }
            let held = open
                .iter()
                .fold(total, |sum, (_, v)| sum.saturating_add(*v));
            if held > YAML_MAX_VALUES {
                return Err((
                    at.line(),
                    format!(
                        "its aliases (`*name`) expand to more than {YAML_MAX_VALUES} values; refused, as loading them could take gigabytes"
                    ),
                ));
            }
        }
    }
}

/// A YAML scalar as written.
fn shown(value: &yaml_rust2::Yaml) -> String {
    use yaml_rust2::Yaml;
    match value {
        Yaml::String(s) | Yaml::Real(s) => s.clone(),
        Yaml::Integer(i) => i.to_string(),
        other => format!("{other:?}"),
    }
}

fn folder_name(folder: &Path) -> String {
    std::fs::canonicalize(folder)
        .ok()
        .as_deref()
        .unwrap_or(folder)
        .file_name()
        .map_or_else(
            || "experiment".to_string(),
            |n| n.to_string_lossy().into_owned(),
        )
}

/// The event a log's line holds, or why it holds none.
fn event_on(line: &str) -> Result<Json, String> {
    if within_depth(line).is_err() {
        return Err(format!("nested more than {MAX_JSON_DEPTH} levels deep"));
    }
    match serde_json::from_str(&quote_non_finite(line)) {
        Ok(Json::Object(o)) => Ok(Json::Object(o)),
        Ok(_) => Err("not an event (a JSON object)".into()),
        Err(e) => Err(format!("not JSON ({e})")),
    }
}

/// One tenant's log, read.
struct Tenant {
    name: String,
    start: Json,
    /// Per iteration: its number and latency in ms.
    iterations: Vec<(f64, f64)>,
    end: Option<Json>,
    /// From the `time_elapsed` event.
    elapsed_s: Option<f64>,
}

impl Tenant {
    /// Reads `bytes`, the log at `path`. A line that is not an event, or an event with a value
    /// of the wrong type, is a warning naming its line; a log without `run_start` is an error.
    fn read(path: &Path, bytes: &[u8], warnings: &mut Vec<Warning>) -> Result<Tenant, LogError> {
        let text = std::str::from_utf8(bytes).map_err(|_| LogError::NotUtf8)?;
        let mut warn = |line: usize, message: String| {
            warnings.push(Warning {
                path: path.to_path_buf(),
                line: Some(line),
                message,
            });
        };
        let (mut start, mut end, mut elapsed_s) = (None, None, None);
        let mut start_line = 0;
        let mut iterations = Vec::new();
        // Line of each iteration number seen, and the last event time, to refuse logs that
        // hold two runs or events out of order: their figures would mean nothing.
        let mut seen: std::collections::HashMap<u64, usize> = std::collections::HashMap::new();
        let mut last_time: Option<(f64, usize)> = None;
        for (i, line) in text.lines().enumerate() {
            let n = i + 1;
            if line.trim().is_empty() {
                continue;
            }
            let event = match event_on(line) {
                Ok(event) => event,
                Err(why) => {
                    warn(n, format!("{why}; skipped"));
                    continue;
                }
            };
            let finite = |key: &str| {
                event
                    .get(key)
                    .and_then(Json::as_f64)
                    .filter(|x| x.is_finite())
            };
            if let Some(time) = event.get("timestamp") {
                let Some(t) = time.as_f64().filter(|t| t.is_finite()) else {
                    return Err(LogError::NotATime {
                        line: n,
                        value: time.to_string(),
                    });
                };
                if let Some((before, at)) = last_time.filter(|(before, _)| t < *before) {
                    return Err(LogError::OutOfOrder {
                        line: n,
                        time: t,
                        before_line: at,
                        before,
                    });
                }
                last_time = Some((t, n));
            }
            match event.get("type").and_then(Json::as_str) {
                Some("run_start") if start.is_some() => {
                    return Err(LogError::SecondStart {
                        line: n,
                        first: start_line,
                    });
                }
                Some("run_start") => {
                    if start_time(&event).is_none() {
                        let value = event.get("timestamp").unwrap_or(&Json::Null).to_string();
                        return Err(LogError::StartTime { line: n, value });
                    }
                    start = Some(event.clone());
                    start_line = n;
                }
                Some("iteration") => match (finite("iter"), finite("latency_ms")) {
                    (Some(iter), Some(ms)) if ms >= 0.0 => {
                        if let Some(first) = seen.insert(iter.to_bits(), n) {
                            return Err(LogError::RepeatedIteration {
                                iteration: iter,
                                line: n,
                                first,
                            });
                        }
                        iterations.push((iter, ms));
                    }
                    _ => warn(
                        n,
                        "an iteration without a number `iter` and a latency `latency_ms` of 0 or more; skipped".into(),
                    ),
                },
                Some("run_end") => end = Some(event.clone()),
                Some("time_elapsed") => match finite("sec") {
                    Some(s) if s > 0.0 => elapsed_s = Some(s),
                    _ => warn(n, "`time_elapsed` without a positive `sec`; skipped".into()),
                },
                Some(other) => warn(n, format!("unknown event type `{other}`; skipped")),
                None => warn(n, "an event without a `type`; skipped".into()),
            }
        }
        let start = start.ok_or(LogError::NoStart)?;
        let name = text_of(&start, "tag")
            .or_else(|| {
                path.parent()
                    .and_then(Path::file_name)
                    .map(|n| n.to_string_lossy().into_owned())
            })
            .unwrap_or_else(|| "tenant".into());
        let tenant = Tenant {
            name,
            start,
            iterations,
            end,
            elapsed_s,
        };
        if let Some(busy) = tenant.busy_pct().filter(|b| *b > 100.0) {
            return Err(LogError::BusierThanTheRun {
                busy,
                wall_s: tenant.wall_time_s(),
            });
        }
        Ok(tenant)
    }

    fn latencies(&self) -> Vec<f64> {
        self.iterations.iter().map(|(_, ms)| *ms).collect()
    }

    /// The run's wall time: `time_elapsed`, else from `run_start` to `run_end`, else the sum of
    /// its iterations.
    fn wall_time_s(&self) -> f64 {
        let at = |e: &Json| e.get("timestamp").and_then(Json::as_f64);
        self.elapsed_s
            .or_else(|| Some(at(self.end.as_ref()?)? - at(&self.start)?).filter(|s| *s > 0.0))
            .unwrap_or_else(|| self.latencies().iter().sum::<f64>() / 1000.0)
    }

    /// How much of its wall time its iterations kept the GPU busy, in %.
    fn busy_pct(&self) -> Option<f64> {
        let wall = self.wall_time_s();
        (wall > 0.0 && !self.iterations.is_empty())
            .then(|| self.latencies().iter().sum::<f64>() / (wall * 1000.0) * 100.0)
    }

    fn tokens(&self) -> Option<f64> {
        let end = self.end.as_ref()?;
        end.get("tokens_processed").and_then(Json::as_f64)
    }

    /// `run_end`'s figure, else `computed` from the iterations.
    fn figure(&self, key: &str, computed: f64) -> f64 {
        self.end
            .as_ref()
            .and_then(|e| e.get(key))
            .and_then(Json::as_f64)
            .filter(|x| x.is_finite())
            .unwrap_or(computed)
    }

    fn p99(&self) -> f64 {
        self.figure("p99_ms", percentile(&self.latencies(), 99.0))
    }

    /// The tenant's result file.
    fn record(&self, experiment: &Experiment) -> Record {
        let model = text_of(&self.start, "model_name").unwrap_or_else(|| self.name.clone());
        let number = |key: &str| self.start.get(key).and_then(Json::as_f64);
        let batch = number("batch_size");
        let seq = number("seq_len");
        let mut benchmark = format!("{FAMILY}_{}", model_slug(&model));
        if let Some(b) = batch {
            benchmark += &format!("_b{b}");
        }
        if let Some(l) = seq {
            benchmark += &format!("_L{l}");
        }
        let timestamp = start_time(&self.start).unwrap_or_default();
        let mut rows = experiment.head(&timestamp);
        rows.push(Row::text("tenant", self.name.as_str()));
        rows.push(Row::text("model_name", model.as_str()));
        for key in ["batch_size", "seq_len", "num_iters", "num_warmup"] {
            if let Some(x) = number(key) {
                rows.push(Row::measured(key, x, ""));
            }
        }
        if self.end.is_none() {
            rows.push(Row::new("partial", Value::Bool(true), ""));
        }
        let latencies = self.latencies();
        if !latencies.is_empty() {
            let ms = |metric: &str, key: &str, computed: f64| {
                Row::measured(metric, self.figure(key, computed), "ms")
            };
            rows.push(ms("latency_mean_ms", "avg_ms", mean(&latencies)));
            for p in [50, 90, 95, 99] {
                let computed = percentile(&latencies, f64::from(p));
                rows.push(ms(
                    &format!("latency_p{p}_ms"),
                    &format!("p{p}_ms"),
                    computed,
                ));
            }
        }
        let wall = self.wall_time_s();
        if let Some(tokens) = self.tokens() {
            let throughput = self.figure("throughput_tokens_per_s", tokens / wall);
            rows.push(Row::measured(
                "throughput_tokens_per_s",
                throughput,
                "tok/s",
            ));
            rows.push(Row::measured("tokens_processed", tokens, "tokens"));
        }
        rows.push(Row::measured("wall_time_s", wall, "s"));
        if let Some(busy) = self.busy_pct() {
            rows.push(Row::measured("gpu_busy_pct", busy, "%"));
        }
        for &(iter, ms) in &self.iterations {
            let mut row = Row::measured(&format!("{iter}"), ms, "ms");
            row.section = Some(series_title("latency_ms", "iteration"));
            rows.push(row);
        }
        Record {
            family: FAMILY.into(),
            benchmark: sanitize(&benchmark),
            timestamp,
            rows,
        }
    }
}

/// What an experiment's files share.
struct Experiment<'a> {
    name: &'a str,
    tenants: usize,
    mps: bool,
    gpu: &'a str,
}

impl Experiment<'_> {
    /// The rows every file of the experiment starts with.
    fn head(&self, timestamp: &str) -> Vec<Row> {
        vec![
            Row::text("device", self.gpu),
            Row::text("device_sanitized", sanitize_gpu_name(self.gpu)),
            Row::text("timestamp", timestamp),
            Row::text("experiment", self.name),
            Row::measured("tenants", self.tenants as f64, ""),
            Row::new("mps", Value::Bool(self.mps), ""),
        ]
    }

    /// The experiment's own file: the GPU's throughput (every tenant's tokens over the longest
    /// wall time), the longest wall time and the worst p99.
    fn record<'t>(&self, tenants: impl Iterator<Item = &'t Tenant> + Clone) -> Record {
        let timestamp = tenants
            .clone()
            .filter_map(|t| start_time(&t.start))
            .min()
            .unwrap_or_default();
        let mut rows = self.head(&timestamp);
        let longest = tenants.clone().map(Tenant::wall_time_s).fold(0.0, f64::max);
        let tokens: Option<f64> = tenants.clone().map(Tenant::tokens).sum();
        let worst = tenants
            .filter(|t| !t.iterations.is_empty())
            .map(Tenant::p99)
            .reduce(f64::max);
        rows.extend(crate::results::experiment::figures(tokens, longest, worst));
        Record {
            family: FAMILY.into(),
            benchmark: format!("{FAMILY}_experiment"),
            timestamp,
            rows,
        }
    }
}

fn text_of(event: &Json, key: &str) -> Option<String> {
    event
        .get(key)
        .and_then(Json::as_str)
        .map(|s| s.split_whitespace().collect::<Vec<_>>().join(" "))
        .filter(|s| !s.is_empty())
}

/// `run_start`'s Unix time as UTC `YYYYMMDD_HHMMSS`; `None` when it has none, or one before
/// 1970 or after 2100.
fn start_time(start: &Json) -> Option<String> {
    const YEAR_2101: f64 = 4_133_980_800.0;
    let seconds = start
        .get("timestamp")?
        .as_f64()
        .filter(|t| t.is_finite() && (0.0..YEAR_2101).contains(t))?;
    // Within 1970..2101, always a time jiff can hold.
    Some(
        jiff::Timestamp::from_second(seconds as i64)
            .unwrap_or(jiff::Timestamp::UNIX_EPOCH)
            .to_zoned(jiff::tz::TimeZone::UTC)
            .strftime("%Y%m%d_%H%M%S")
            .to_string(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unix_time_reads_as_utc() {
        let at = |t: Json| start_time(&serde_json::json!({ "timestamp": t }));
        assert_eq!(at(0.into()).unwrap(), "19700101_000000");
        assert_eq!(at(1_765_226_457.79.into()).unwrap(), "20251208_204057");
        assert_eq!(at(951_782_400.into()).unwrap(), "20000229_000000");
        // None, or out of range: no time.
        assert_eq!(at(Json::Null), None);
        assert_eq!(at(1e12.into()), None);
        assert_eq!(at((-5).into()), None);
    }

    #[test]
    fn a_line_nested_too_deep_holds_no_event() {
        let deep = format!("{{\"type\": {}", "[".repeat(1000));
        assert_eq!(
            event_on(&deep).unwrap_err(),
            "nested more than 64 levels deep"
        );
        assert!(event_on("{\"type\": [[1]]}").is_ok());
    }

    #[test]
    fn the_yaml_config_says_name_and_mps() {
        let yaml =
            "experiment_name: 2_llama_1_mistral\nmps: False # no daemon\ntenants:\n  - mps: true\n";
        assert_eq!(
            yaml_keys(yaml).unwrap(),
            (Some("2_llama_1_mistral".to_string()), Some(false))
        );
        assert_eq!(yaml_keys("mps: maybe\n").unwrap_err().0, 1);
        assert_eq!(yaml_keys("name: x\nmps: yes\n").unwrap_err().0, 2);
        assert_eq!(yaml_keys("name: x\n").unwrap(), (None, None));
        assert!(yaml_keys("mps: [\n").unwrap_err().1.starts_with("not YAML"));
    }

    #[test]
    fn a_yaml_bomb_is_refused_before_it_is_loaded() {
        // Nine levels of ten aliases each: 10^9 strings once loaded.
        let mut bomb = String::from("a0: &a0 [\"lol\"]\n");
        for i in 1..10 {
            let refs = vec![format!("*a{}", i - 1); 10].join(", ");
            bomb += &format!("a{i}: &a{i} [{refs}]\n");
        }
        bomb += "mps: true\n";
        let (line, why) = yaml_keys(&bomb).unwrap_err();
        assert!(why.contains("expand to more than"), "{why}");
        assert!(line > 0);
        let deep = format!("mps: {}{}\n", "[".repeat(100), "]".repeat(100));
        assert!(yaml_keys(&deep).unwrap_err().1.contains("nested"));
        // A few anchors, as configs use them, are fine.
        let fine = "base: &base {batch_size: 8}\na: *base\nb: *base\nmps: false\n";
        assert_eq!(yaml_keys(fine).unwrap(), (None, Some(false)));
    }
}
