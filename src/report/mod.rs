//! `benchanim report`: the collated table as one table per benchmark, grouped by category.

mod csv;
mod json;
mod markdown;
mod model;

use crate::results::{
    Aggregate, Cell, Direction, Measured, ResultFile, Table, Value, cell_of, level_fields,
    level_text,
};

pub use model::{BenchmarkTable, Format, MetricRow, Options, Report, SCREENFUL, Section};

/// One column of a benchmark's table: its runs (newest first) and the levels they share.
struct Column<'r> {
    name: String,
    config: Vec<(String, String)>,
    runs: Vec<&'r ResultFile>,
}

impl<'r> Column<'r> {
    fn of(name: String, runs: Vec<&'r ResultFile>) -> Column<'r> {
        Column {
            name,
            config: Vec::new(),
            runs,
        }
    }

    /// The column's value of `metric`: its run's, or the mean of its repeats, shown with as
    /// many decimals as the most precise of them.
    fn cell(&self, metric: &str) -> Option<Cell> {
        let newest = cell_of(self.runs.first()?, metric)?;
        if self.runs.len() < 2 {
            return Some(newest);
        }
        let measured = Measured::of(&self.runs, metric, Aggregate::Mean)?;
        if measured.n < 2 {
            return Some(newest);
        }
        let decimals = self
            .runs
            .iter()
            .filter_map(|r| match &r.get(metric)?.value {
                Value::Number(n) => Some(n.decimals()),
                _ => None,
            })
            .max()
            .unwrap_or(0);
        Some(Cell {
            value: measured.value,
            text: format!("{:.decimals$}", measured.value),
            unit: measured.unit,
            partial: measured.partial,
        })
    }
}

/// The level fields whose values differ among `runs` (or that some runs lack and others
/// have): each combination of their values is a measurement of its own.
fn split_fields(runs: &[&ResultFile]) -> Vec<&'static str> {
    level_fields()
        .filter(|field| {
            let mut levels = runs.iter().map(|r| level_text(r, field));
            let first = levels.next().flatten();
            levels.any(|l| l != first)
        })
        .collect()
}

/// A column per combination of `split`'s levels among one GPU's runs (newest first), in
/// order of the levels (numbers ascending, `inf` last, then text; a run lacking a field first).
fn level_columns<'r>(gpu: &str, runs: &[&'r ResultFile], split: &[&str]) -> Vec<Column<'r>> {
    let mut combos: Vec<(Vec<Option<String>>, Vec<&'r ResultFile>)> = Vec::new();
    for &run in runs {
        let key: Vec<Option<String>> = split.iter().map(|f| level_text(run, f)).collect();
        match combos.iter_mut().find(|(k, _)| *k == key) {
            Some((_, of)) => of.push(run),
            None => combos.push((key, vec![run])),
        }
    }
    combos.sort_by(|(a, _), (b, _)| {
        a.iter()
            .zip(b)
            .map(|(x, y)| level_order(x.as_deref(), y.as_deref()))
            .find(|o| o.is_ne())
            .unwrap_or(std::cmp::Ordering::Equal)
    });
    combos
        .into_iter()
        .map(|(key, runs)| {
            let config: Vec<(String, String)> = split
                .iter()
                .zip(key)
                .filter_map(|(f, v)| Some((f.to_string(), v?)))
                .collect();
            let levels: Vec<String> = config.iter().map(|(f, v)| format!("{f}={v}")).collect();
            let name = if levels.is_empty() {
                gpu.to_string()
            } else {
                format!("{gpu} · {}", levels.join(" · "))
            };
            Column {
                name,
                config,
                runs: numbered_repeats(runs),
            }
        })
        .collect()
}

/// Fields that number the repeats of one measurement in its runs.
const NUMBERED_REPEATS: [&str; 2] = ["iteration", "run"];

/// `runs` (newest first) when they are numbered repeats of one measurement, to be averaged;
/// else only the newest, which counts.
fn numbered_repeats(mut runs: Vec<&ResultFile>) -> Vec<&ResultFile> {
    let numbered = NUMBERED_REPEATS.iter().any(|f| {
        let first = runs.first().and_then(|r| level_text(r, f));
        runs.iter().any(|r| level_text(r, f) != first)
    });
    if !numbered {
        runs.truncate(1);
    }
    runs
}

/// Missing first, then numbers ascending, then text.
fn level_order(a: Option<&str>, b: Option<&str>) -> std::cmp::Ordering {
    let rank = |x: Option<&str>| match x {
        None => (0, f64::NEG_INFINITY),
        Some(t) => match t.parse::<f64>() {
            Ok(n) if !n.is_nan() => (1, n),
            _ => (2, 0.0),
        },
    };
    let (ra, rb) = (rank(a), rank(b));
    ra.0.cmp(&rb.0)
        .then(ra.1.total_cmp(&rb.1))
        .then_with(|| a.cmp(&b))
}

impl Report {
    pub fn build(table: &Table, options: &Options) -> Report {
        let mut sections: Vec<Section> = Vec::new();
        for benchmark in &table.benchmarks {
            // A column per GPU (the run that counts), per GPU and level when the runs differ
            // in a setting (repeats of a level combined), or per run with --all-runs.
            let runs_of: Vec<&ResultFile> = benchmark
                .runs
                .iter()
                .filter(|r| options.filter.matches(r))
                .collect();
            if runs_of.is_empty() {
                continue;
            }
            let split = if options.all_runs {
                Vec::new()
            } else {
                split_fields(&runs_of)
            };
            let mut columns: Vec<Column> = Vec::new();
            if options.all_runs {
                for run in &runs_of {
                    columns.push(Column::of(
                        format!("{} @ {}", run.gpu, run.timestamp),
                        vec![run],
                    ));
                }
            } else if !split.is_empty() {
                for gpu in &table.gpus {
                    let of_gpu: Vec<&ResultFile> =
                        runs_of.iter().copied().filter(|r| &r.gpu == gpu).collect();
                    columns.extend(level_columns(gpu, &of_gpu, &split));
                }
            } else {
                for gpu in &table.gpus {
                    let of_gpu = runs_of.iter().copied().filter(|r| &r.gpu == gpu).collect();
                    columns.push(Column::of(gpu.clone(), numbered_repeats(of_gpu)));
                }
            }
            let metrics = match &options.metrics {
                Some(list) => list
                    .iter()
                    .filter(|m| benchmark.has_metric(m))
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
                    let cells: Vec<Option<Cell>> = columns.iter().map(|c| c.cell(metric)).collect();
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
                let newest: Vec<Option<&ResultFile>> =
                    columns.iter().map(|c| c.runs.first().copied()).collect();
                rows.extend(series_rows(&newest));
            }
            let title = benchmark.category().title().to_string();
            let entry = BenchmarkTable {
                benchmark: benchmark.id.clone(),
                family: benchmark.family.clone(),
                config: benchmark.config(),
                split_by: split.iter().map(|f| f.to_string()).collect(),
                column_runs: columns.iter().map(|c| c.runs.len()).collect(),
                column_config: if split.is_empty() {
                    Vec::new()
                } else {
                    columns.iter().map(|c| c.config.clone()).collect()
                },
                columns: columns.into_iter().map(|c| c.name).collect(),
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
