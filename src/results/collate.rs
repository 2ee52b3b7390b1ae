//! Collating result files into one table: benchmark × GPU × metric, newest run wins.

use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, Mutex};

use super::catalog::MetricCatalog;
use super::family::{Category, KNOWN_FAMILIES, config_fields};
use super::file::{ResultFile, Row};
use super::select::{Level, Wanted, Where};
use super::select::{SWEEP_FIELDS, level_fields};
use super::value::{Number, Value};

/// The keys a value answers to in an index: every `Level` that matches the value (see
/// `Level::matches`) has one of them as its `level_key`. Numbers, and text that reads as one,
/// by value; other text trimmed; booleans also as the text they are written as.
fn value_keys(value: &Value) -> Vec<String> {
    let number = |x: f64| format!("n:{}", if x == 0.0 { 0.0 } else { x });
    match value {
        Value::Number(n) => vec![number(n.value)],
        Value::Text(t) => match t.trim().parse::<f64>() {
            Ok(x) => vec![number(x)],
            Err(_) => vec![format!("t:{}", t.trim())],
        },
        Value::Bool(b) => vec![format!("b:{b}"), format!("t:{}", value.to_text())],
        Value::Missing => Vec::new(),
    }
}

/// The key a wanted level is looked up by; `None` for a boolean, which numbers match too, so
/// its runs are found by reading them all.
fn level_key(level: &Level) -> Option<String> {
    match level {
        Level::Number(x) => Some(format!("n:{}", if *x == 0.0 { 0.0 } else { *x })),
        Level::Text(s) => Some(match s.trim().parse::<f64>() {
            Ok(x) => format!("n:{}", if x == 0.0 { 0.0 } else { x }),
            Err(_) => format!("t:{}", s.trim()),
        }),
        Level::Bool(_) => None,
    }
}

/// Numbers a run records that count or number things rather than measure them.
const NOT_MEASURED: [&str; 9] = [
    "source_line",
    "runs",
    "run",
    "idx",
    "id",
    "index",
    "run_id",
    "seed",
    "iteration",
];

/// The footnote for values marked `*`: they come from a run that did not finish.
pub const PARTIAL_NOTE: &str = "partial run: stopped before every request finished";

/// A measured number with its unit, as one cell of the table.
#[derive(Debug, Clone, PartialEq)]
pub struct Cell {
    pub value: f64,
    /// The figure as published (`2703.36`), for reports.
    pub text: String,
    pub unit: String,
    /// From a run that was stopped before it finished, because no complete run exists.
    pub partial: bool,
}

/// Every run of one benchmark, on every GPU.
#[derive(Debug, Clone)]
pub struct Benchmark {
    pub id: String,
    pub family: String,
    /// Within each GPU complete runs first, then partial ones, each newest first; GPUs in
    /// name order.
    pub runs: Vec<ResultFile>,
    /// Every metric any run carries (not the points of series sections), to look up once
    /// per chart cell rather than read every run again.
    metrics: std::collections::HashSet<String>,
    /// The runs by their value of a field, built the first time a `where` asks for it.
    by_value: FieldIndexes,
}

/// The runs (their places in `runs`) under each key their value of one field answers to (see
/// `value_keys`).
type FieldIndex = HashMap<String, Vec<usize>>;

/// A `FieldIndex` for each field asked about.
#[derive(Debug, Default)]
struct FieldIndexes(Mutex<HashMap<String, Arc<FieldIndex>>>);

impl Clone for FieldIndexes {
    /// An index is rebuilt when asked for, never copied.
    fn clone(&self) -> FieldIndexes {
        FieldIndexes::default()
    }
}

impl Benchmark {
    pub fn category(&self) -> Category {
        Category::of(&self.family)
    }

    /// The run that counts for a GPU: its newest complete run, else its newest partial one.
    pub fn latest(&self, gpu: &str) -> Option<&ResultFile> {
        self.runs.iter().find(|r| r.gpu == gpu)
    }

    /// The runs of a GPU that have the wanted config fields, the one that counts first. A
    /// pinned field is looked up in an index of the runs by their value of it, so that a
    /// chart of many levels costs in proportion to its runs, not their square.
    pub fn runs_where<'a>(&'a self, gpu: &str, wanted: &Where) -> Vec<&'a ResultFile> {
        let candidates = wanted.0.iter().find_map(|(field, want)| {
            let levels: Vec<&Level> = match want {
                Wanted::One(level) => vec![level],
                Wanted::AnyOf(levels) => levels.iter().collect(),
            };
            let keys: Option<Vec<String>> = levels.iter().map(|l| level_key(l)).collect();
            let index = self.index_of(field);
            let mut places: Vec<usize> = keys?
                .iter()
                .flat_map(|k| index.get(k).into_iter().flatten().copied())
                .collect();
            places.sort_unstable();
            places.dedup();
            Some(places)
        });
        let keep = |r: &&ResultFile| r.gpu == gpu && wanted.matches(r);
        match candidates {
            Some(places) => places.iter().map(|&i| &self.runs[i]).filter(keep).collect(),
            None => self.runs.iter().filter(keep).collect(),
        }
    }

    /// The index of the runs by their value of `field`, built once.
    fn index_of(&self, field: &str) -> Arc<FieldIndex> {
        let mut indexes = self.by_value.0.lock().unwrap_or_else(|p| p.into_inner());
        indexes
            .entry(field.to_string())
            .or_insert_with(|| {
                let mut index = FieldIndex::new();
                for (i, run) in self.runs.iter().enumerate() {
                    for key in run.field(field).map(value_keys).unwrap_or_default() {
                        index.entry(key).or_default().push(i);
                    }
                }
                Arc::new(index)
            })
            .clone()
    }

    /// The run that counts for each GPU, in GPU order.
    pub fn latest_runs(&self) -> impl Iterator<Item = &ResultFile> {
        self.runs
            .iter()
            .enumerate()
            .filter(|(i, r)| *i == 0 || self.runs[i - 1].gpu != r.gpu)
            .map(|(_, r)| r)
    }

    /// The family's config fields with their values, from the newest runs (`a / b` where GPUs differ).
    pub fn config(&self) -> Vec<(String, String)> {
        config_fields(&self.family)
            .iter()
            .filter_map(|field| {
                let mut values: Vec<String> = Vec::new();
                for run in self.latest_runs() {
                    if let Some(row) = run.get(field) {
                        let v = row.value.to_text();
                        if !values.contains(&v) {
                            values.push(v);
                        }
                    }
                }
                (!values.is_empty()).then(|| (field.to_string(), values.join(" / ")))
            })
            .collect()
    }

    /// The metrics worth a table row: measured ones with a known direction (from `catalog` or
    /// the naming rules), outside per-bucket sections, in the order the files list them. A
    /// family the program does not know (an imported table's) shows every number that is not
    /// a setting: nobody chose its headline metrics.
    pub fn headline_metrics(&self, catalog: &MetricCatalog) -> Vec<String> {
        let every = !KNOWN_FAMILIES.contains(&self.family.as_str());
        let setting = |metric: &str| {
            SWEEP_FIELDS.contains(&metric)
                || level_fields().any(|f| f == metric)
                || config_fields(&self.family).contains(&metric)
                || NOT_MEASURED.contains(&metric)
        };
        let mut out: Vec<String> = Vec::new();
        for run in self.latest_runs() {
            for row in &run.rows {
                let numeric = matches!(row.value, Value::Number(_) | Value::Missing);
                let shown = catalog.direction(&row.metric, &row.unit).is_some()
                    || (every && !setting(&row.metric));
                if row.section.is_none() && shown && numeric && !out.contains(&row.metric) {
                    out.push(row.metric.clone());
                }
            }
        }
        out
    }

    /// True when some run carries a series section of `metric` (`# series latency_ms by
    /// iteration`).
    pub fn has_series(&self, metric: &str) -> bool {
        self.runs.iter().any(|run| {
            run.rows
                .iter()
                .any(|r| r.series_of().is_some_and(|(m, _)| m == metric))
        })
    }

    /// Whether some run carries `metric` (outside series sections).
    pub fn has_metric(&self, metric: &str) -> bool {
        self.metrics.contains(metric)
    }

    /// Every metric any run carries, in file order; the points of series sections are
    /// not metrics (their x stands in the metric column).
    pub fn all_metrics(&self) -> Vec<String> {
        let mut seen = std::collections::HashSet::new();
        self.runs
            .iter()
            .flat_map(|run| &run.rows)
            .filter(|row| row.series_of().is_none() && seen.insert(row.metric.as_str()))
            .map(|row| row.metric.clone())
            .collect()
    }
}

/// Everything that was measured, by benchmark.
#[derive(Debug, Clone, Default)]
pub struct Table {
    /// Sorted by category, then id.
    pub benchmarks: Vec<Benchmark>,
    /// Every GPU with at least one result, in name order.
    pub gpus: Vec<String>,
    /// What the project's `metrics.toml` says about metrics; empty unless given with
    /// [`Table::with_catalog`].
    pub catalog: MetricCatalog,
}

impl Table {
    pub fn collate(files: Vec<ResultFile>) -> Table {
        let mut by_id: BTreeMap<String, Benchmark> = BTreeMap::new();
        let mut gpus: Vec<String> = Vec::new();
        for mut file in files {
            add_derived_metrics(&mut file);
            if !gpus.contains(&file.gpu) {
                gpus.push(file.gpu.clone());
            }
            by_id
                .entry(file.benchmark.clone())
                .or_insert_with(|| Benchmark {
                    id: file.benchmark.clone(),
                    family: file.family.clone(),
                    runs: Vec::new(),
                    metrics: Default::default(),
                    by_value: FieldIndexes::default(),
                })
                .runs
                .push(file);
        }
        let mut benchmarks: Vec<Benchmark> = by_id.into_values().collect();
        for b in &mut benchmarks {
            b.metrics = b.all_metrics().into_iter().collect();
            // A partial run never supersedes a complete one. Newest first per GPU; the path
            // breaks ties so the order never depends on the file system.
            b.runs.sort_by(|x, y| {
                x.gpu
                    .cmp(&y.gpu)
                    .then(x.is_partial().cmp(&y.is_partial()))
                    .then(y.timestamp.cmp(&x.timestamp))
                    .then(y.path.cmp(&x.path))
            });
        }
        benchmarks.sort_by(|a, b| a.category().cmp(&b.category()).then(a.id.cmp(&b.id)));
        gpus.sort();
        Table {
            benchmarks,
            gpus,
            catalog: MetricCatalog::default(),
        }
    }

    /// The same table, judging metrics by `catalog` before the naming rules.
    pub fn with_catalog(self, catalog: MetricCatalog) -> Table {
        Table { catalog, ..self }
    }

    pub fn benchmark(&self, id: &str) -> Option<&Benchmark> {
        self.benchmarks.iter().find(|b| b.id == id)
    }

    /// The value that counts for (benchmark, GPU, metric): from the GPU's run that counts.
    pub fn cell(&self, benchmark: &str, gpu: &str, metric: &str) -> Option<Cell> {
        let run = self.benchmark(benchmark)?.latest(gpu)?;
        cell_of(run, metric)
    }
}

pub fn cell_of(run: &ResultFile, metric: &str) -> Option<Cell> {
    let row = run.get(metric)?;
    match &row.value {
        Value::Number(n) => Some(Cell {
            value: n.value,
            text: n.text.clone(),
            unit: row.unit.clone(),
            partial: run.is_partial(),
        }),
        _ => None,
    }
}

/// vLLM files give total and output throughput but not input: input = total − output.
/// A file that carries its own value keeps it.
fn add_derived_metrics(file: &mut ResultFile) {
    if file.get("input_token_throughput").is_some() {
        return;
    }
    let number = |m: &str| match file.get(m).map(|r| &r.value) {
        Some(Value::Number(n)) => Some(n.clone()),
        _ => None,
    };
    let (Some(total), Some(output)) = (
        number("total_token_throughput"),
        number("output_token_throughput"),
    ) else {
        return;
    };
    let decimals = total.decimals().max(output.decimals());
    let unit = file
        .get("total_token_throughput")
        .map(|r| r.unit.clone())
        .unwrap_or_else(|| "tok/s".into());
    let at = file
        .rows
        .iter()
        .position(|r| r.metric == "total_token_throughput")
        .map_or(file.rows.len(), |i| i + 1);
    file.rows.insert(
        at,
        Row {
            metric: "input_token_throughput".into(),
            value: Value::Number(Number::computed(
                (total.value - output.value).max(0.0),
                decimals,
            )),
            unit: if unit.is_empty() {
                "tok/s".into()
            } else {
                unit
            },
            section: None,
            line: 0,
        },
    );
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::results::select::tests::run;

    #[test]
    fn runs_found_by_index_are_those_a_reading_of_every_run_finds() {
        let values = [
            "4", "4.0", "-0", "0", "inf", "Infinity", " 8 ", "vllm", "True", "False", "1", "NaN",
            "",
        ];
        let mut files = Vec::new();
        for (i, v) in values.iter().enumerate() {
            let mut file = run(&format!("max_concurrency,{v},\nengine,{v},\n"));
            file.path = format!("G/vLLM_G_m_20260101_0000{i:02}.csv").into();
            file.timestamp = format!("20260101_0000{i:02}");
            files.push(file);
        }
        let table = Table::collate(files);
        let benchmark = &table.benchmarks[0];
        let wants = [
            "max_concurrency = 4",
            "max_concurrency = 0",
            "max_concurrency = \"4\"",
            "max_concurrency = \"inf\"",
            "max_concurrency = inf",
            "max_concurrency = true",
            "max_concurrency = [1, \"8\", \"vllm\"]",
            "engine = \"True\"",
            "engine = \"vllm\"",
            "engine = \"nan\"",
            "engine = 8",
        ];
        for toml in wants {
            let wanted: Where = toml::from_str(toml).unwrap();
            let scanned: Vec<&ResultFile> = benchmark
                .runs
                .iter()
                .filter(|r| r.gpu == "G" && wanted.matches(r))
                .collect();
            let found = benchmark.runs_where("G", &wanted);
            let paths =
                |runs: &[&ResultFile]| -> Vec<_> { runs.iter().map(|r| r.path.clone()).collect() };
            assert_eq!(paths(&found), paths(&scanned), "{toml}");
        }
    }
}
