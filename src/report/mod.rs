//! `benchanim report`: the collated table as one table per benchmark, grouped by category.

mod csv;
mod json;
mod markdown;

use crate::results::{
    Benchmark, Cell, Direction, Level, ResultFile, SWEEP_FIELDS, Table, Wanted, Where, cell_of,
    distinct,
};

/// The report, in the shape every output format writes.
#[derive(Debug)]
pub struct Report {
    pub sections: Vec<Section>,
}

#[derive(Debug)]
pub struct Section {
    pub category: String,
    pub benchmarks: Vec<BenchmarkTable>,
}

#[derive(Debug)]
pub struct BenchmarkTable {
    pub benchmark: String,
    pub family: String,
    pub config: Vec<(String, String)>,
    /// One per GPU, per GPU and sweep level, or per run with `--all-runs`.
    pub columns: Vec<String>,
    /// The sweep level of each column, when the columns are split by one; else empty.
    pub column_config: Vec<Vec<(String, String)>>,
    pub rows: Vec<MetricRow>,
}

#[derive(Debug)]
pub struct MetricRow {
    pub metric: String,
    /// How the catalog names the metric, if it does; Markdown shows it instead of the name.
    pub label: Option<String>,
    pub unit: String,
    pub direction: Option<Direction>,
    /// One per column; `None` is NA.
    pub cells: Vec<Option<Cell>>,
    /// Columns holding the best value (ties all count).
    pub best: Vec<usize>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Markdown,
    Json,
    Csv,
}

#[derive(Debug, Clone, Default)]
pub struct Options {
    /// Metrics to show instead of each family's headline ones.
    pub metrics: Option<Vec<String>>,
    /// A column per run rather than per GPU.
    pub all_runs: bool,
}

impl Report {
    pub fn build(table: &Table, options: &Options) -> Report {
        let mut sections: Vec<Section> = Vec::new();
        for benchmark in &table.benchmarks {
            // A column per GPU (the run that counts), per GPU and sweep level when the runs
            // differ in a sweep field, or per run with --all-runs.
            let split = (!options.all_runs)
                .then(|| sweep_split(benchmark))
                .flatten();
            let mut runs: Vec<Option<&ResultFile>> = Vec::new();
            let mut columns: Vec<String> = Vec::new();
            let mut column_config: Vec<Vec<(String, String)>> = Vec::new();
            if options.all_runs {
                for run in &benchmark.runs {
                    runs.push(Some(run));
                    columns.push(format!("{} @ {}", run.gpu, run.timestamp));
                }
            } else if let Some(field) = split {
                for gpu in &table.gpus {
                    let of_gpu: Vec<&ResultFile> =
                        benchmark.runs.iter().filter(|r| &r.gpu == gpu).collect();
                    for level in distinct(of_gpu.iter().copied(), field) {
                        let wanted = Where(
                            [(field.to_string(), Wanted::One(Level::Text(level.clone())))].into(),
                        );
                        runs.push(of_gpu.iter().copied().find(|r| wanted.matches(r)));
                        columns.push(format!("{gpu} · {field}={level}"));
                        column_config.push(vec![(field.to_string(), level)]);
                    }
                    if of_gpu.iter().any(|r| r.field(field).is_none()) {
                        runs.push(of_gpu.iter().copied().find(|r| r.field(field).is_none()));
                        columns.push(gpu.clone());
                        column_config.push(Vec::new());
                    }
                }
            } else {
                runs = table.gpus.iter().map(|g| benchmark.latest(g)).collect();
                columns = table.gpus.clone();
            }
            let metrics = match &options.metrics {
                Some(list) => list
                    .iter()
                    .filter(|m| benchmark.all_metrics().contains(m))
                    .cloned()
                    .collect(),
                None => benchmark.headline_metrics(&table.catalog),
            };
            if metrics.is_empty() {
                continue;
            }
            let mut rows: Vec<MetricRow> = metrics
                .iter()
                .map(|metric| {
                    let cells: Vec<Option<Cell>> =
                        runs.iter().map(|r| cell_of(r.as_ref()?, metric)).collect();
                    let unit = cells
                        .iter()
                        .flatten()
                        .map(|c| c.unit.as_str())
                        .find(|u| !u.is_empty())
                        .unwrap_or_default();
                    let unit = table.catalog.unit(metric, unit).to_string();
                    let direction = table.catalog.direction(metric, &unit);
                    let best = best_columns(&cells, direction);
                    MetricRow {
                        metric: metric.clone(),
                        label: table.catalog.label(metric).map(str::to_string),
                        unit,
                        direction,
                        cells,
                        best,
                    }
                })
                .collect();
            if options.metrics.is_none() {
                rows.extend(series_rows(&runs));
            }
            let title = benchmark.category().title().to_string();
            let entry = BenchmarkTable {
                benchmark: benchmark.id.clone(),
                family: benchmark.family.clone(),
                config: benchmark.config(),
                columns,
                column_config,
                rows,
            };
            match sections.iter_mut().find(|s| s.category == title) {
                Some(s) => s.benchmarks.push(entry),
                None => sections.push(Section {
                    category: title,
                    benchmarks: vec![entry],
                }),
            }
        }
        Report { sections }
    }

    pub fn render(&self, format: Format) -> String {
        match format {
            Format::Markdown => markdown::render(self),
            Format::Json => json::render(self),
            Format::Csv => csv::render(self),
        }
    }

    pub fn benchmark_count(&self) -> usize {
        self.sections.iter().map(|s| s.benchmarks.len()).sum()
    }
}

/// The first sweep field whose value differs between runs of `benchmark` on one GPU or
/// across GPUs: those runs are different measurements, each worth a column.
fn sweep_split(benchmark: &Benchmark) -> Option<&'static str> {
    SWEEP_FIELDS
        .iter()
        .copied()
        .find(|field| distinct(&benchmark.runs, field).len() > 1)
}

/// The columns with the best value; none when fewer than two values can be compared.
fn best_columns(cells: &[Option<Cell>], direction: Option<Direction>) -> Vec<usize> {
    let Some(direction) = direction else {
        return Vec::new();
    };
    let values: Vec<(usize, f64)> = cells
        .iter()
        .enumerate()
        .filter_map(|(i, c)| Some((i, c.as_ref()?.value)))
        .collect();
    if values.len() < 2 {
        return Vec::new();
    }
    let best = values
        .iter()
        .map(|&(_, v)| v)
        .reduce(|a, b| if direction.better(b, a) { b } else { a });
    values
        .iter()
        .filter(|&&(_, v)| Some(v) == best)
        .map(|&(i, _)| i)
        .collect()
}

/// A row per series section the columns' runs carry (a tenant's latency per iteration): how
/// many points it holds, so the table says what is there without listing it.
fn series_rows(runs: &[Option<&ResultFile>]) -> Vec<MetricRow> {
    let mut titles: Vec<&str> = Vec::new();
    for run in runs.iter().flatten() {
        for row in &run.rows {
            if let Some(title) = row.section.as_deref().filter(|_| row.series_of().is_some())
                && !titles.contains(&title)
            {
                titles.push(title);
            }
        }
    }
    titles
        .into_iter()
        .map(|title| MetricRow {
            metric: title.to_string(),
            label: None,
            unit: "points".into(),
            direction: None,
            cells: runs
                .iter()
                .map(|run| {
                    let run = run.as_ref()?;
                    let n = run
                        .rows
                        .iter()
                        .filter(|r| r.section.as_deref() == Some(title))
                        .count();
                    (n > 0).then(|| Cell {
                        value: n as f64,
                        text: n.to_string(),
                        unit: "points".into(),
                        partial: run.is_partial(),
                    })
                })
                .collect(),
            best: Vec::new(),
        })
        .collect()
}
