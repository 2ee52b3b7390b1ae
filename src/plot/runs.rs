//! The runs a plot is of (those its `--benchmark`, `--gpu` and `--where` select), and what
//! they offer: the config fields to group and sweep by, and the metrics to plot. Every name the
//! user gives is checked here, and an error lists the names there are.

use anyhow::bail;

use super::request::Request;
use crate::comparison::find_benchmark;
use crate::results::family::config_fields;
use crate::results::{
    Level, ResultFile, SWEEP_FIELDS, Table, Value, Wanted, Where, distinct, level_fields,
    sanitize_gpu_name,
};

/// The pins the options make, and the runs they select.
pub(super) struct Selection<'t> {
    /// The benchmark id `--benchmark` names.
    pub benchmark: Option<String>,
    /// The GPU `--gpu` names, as its results folder spells it.
    pub gpu: Option<String>,
    pub wanted: Where,
    pub runs: Vec<&'t ResultFile>,
    pub table: &'t Table,
}

/// What `field` names to group runs by: a config field of the runs, or their GPU or benchmark.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Grouping {
    Gpu,
    Benchmark,
    Field,
}

impl<'t> Selection<'t> {
    /// The runs of `table` the request's pins select; an error names the pin no run has.
    pub fn new(request: &Request, table: &'t Table) -> anyhow::Result<Selection<'t>> {
        if table.benchmarks.is_empty() {
            bail!("there are no results to plot; import or run some first");
        }
        let benchmark = match &request.benchmark {
            Some(name) => Some(find_benchmark(table, name)?.id.clone()),
            None => None,
        };
        let gpu = match &request.gpu {
            Some(name) => Some(known_gpu(table, name)?),
            None => None,
        };
        let pinned = |r: &&ResultFile| {
            benchmark.as_ref().is_none_or(|b| r.benchmark == *b)
                && gpu.as_ref().is_none_or(|g| r.gpu == *g)
        };
        let mut runs: Vec<&ResultFile> = (table.benchmarks.iter())
            .flat_map(|b| &b.runs)
            .filter(pinned)
            .collect();
        if runs.is_empty() {
            bail!(
                "no run of `{}` on `{}`; pick another --gpu or --benchmark",
                benchmark.as_deref().unwrap_or_default(),
                gpu.as_deref().unwrap_or_default()
            );
        }
        let wanted = wanted(&request.wheres);
        for (field, want) in &wanted.0 {
            let kept: Vec<&ResultFile> = (runs.iter().copied())
                .filter(|r| r.field(field).is_some_and(|v| want.matches(v)))
                .collect();
            if kept.is_empty() {
                let values = distinct(runs.iter().copied(), field);
                if values.is_empty() {
                    bail!(
                        "--where {field}: no run has a field `{field}`; the fields are: {}",
                        Selection::listed(&runs, table).0.join(", ")
                    );
                }
                bail!(
                    "--where {field} = {want}: no run has it; they have {field} {}",
                    values.join(", ")
                );
            }
            runs = kept;
        }
        // Runs all of one benchmark or GPU pin it, as a scene must for its cells.
        let only = |name: fn(&ResultFile) -> &String| {
            let first = name(runs[0]);
            runs.iter().all(|r| name(r) == first).then(|| first.clone())
        };
        let benchmark = benchmark.or_else(|| only(|r| &r.benchmark));
        let gpu = gpu.or_else(|| only(|r| &r.gpu));
        Ok(Selection {
            benchmark,
            gpu,
            wanted,
            runs,
            table,
        })
    }

    /// The config fields and the metrics the selected runs have, in the order they come.
    pub fn fields_and_metrics(&self) -> (Vec<String>, Vec<String>) {
        Selection::listed(&self.runs, self.table)
    }

    fn listed(runs: &[&ResultFile], table: &Table) -> (Vec<String>, Vec<String>) {
        let mut fields = vec!["gpu".to_string(), "benchmark".to_string()];
        let mut metrics: Vec<String> = Vec::new();
        for run in runs {
            for row in run.rows.iter().filter(|r| r.section.is_none()) {
                let name = &row.metric;
                if fields.contains(name) || metrics.contains(name) {
                    continue;
                }
                if is_field(run, name) {
                    fields.push(name.clone());
                } else if table.catalog.direction(name, &row.unit).is_some() {
                    metrics.push(name.clone());
                }
            }
        }
        (fields, metrics)
    }

    /// Checks that `metric` is a number some selected run has, for option `option`.
    pub fn check_metric(&self, option: &str, metric: &str) -> anyhow::Result<()> {
        let numeric = |r: &&ResultFile| matches!(r.field(metric), Some(Value::Number(_)));
        if !self.runs.iter().any(numeric) {
            let (_, metrics) = self.fields_and_metrics();
            bail!(
                "{option} {metric}: no run{} has a metric `{metric}`; the metrics are: {}",
                self.scope(),
                metrics.join(", ")
            );
        }
        Ok(())
    }

    /// What `field` groups by, checked to be one the runs have, for option `option`.
    pub fn grouping(&self, option: &str, field: &str) -> anyhow::Result<Grouping> {
        match field {
            "gpu" => return Ok(Grouping::Gpu),
            "benchmark" => return Ok(Grouping::Benchmark),
            _ => {}
        }
        if !self.runs.iter().any(|r| r.field(field).is_some()) {
            let (fields, metrics) = self.fields_and_metrics();
            let also = if metrics.iter().any(|m| m == field) {
                format!(" (`{field}` is a metric)")
            } else {
                String::new()
            };
            bail!(
                "{option} {field}: no run{} has a field `{field}`{also}; the fields are: {}",
                self.scope(),
                fields.join(", ")
            );
        }
        Ok(Grouping::Field)
    }

    /// True when `name` is a measured metric of the runs rather than a config field: a number
    /// with a direction, which no sweep or config field is.
    pub fn is_metric(&self, name: &str) -> bool {
        self.runs.iter().any(|run| {
            !is_field(run, name)
                && run.get(name).is_some_and(|row| {
                    matches!(row.value, Value::Number(_))
                        && self.table.catalog.direction(name, &row.unit).is_some()
                })
        })
    }

    /// The distinct values of a grouping among the runs.
    pub fn values(&self, field: &str) -> Vec<String> {
        let named = |name: fn(&ResultFile) -> &String| {
            let mut out: Vec<String> = Vec::new();
            for run in &self.runs {
                if !out.contains(name(run)) {
                    out.push(name(run).clone());
                }
            }
            out
        };
        match field {
            "gpu" => named(|r| &r.gpu),
            "benchmark" => named(|r| &r.benchmark),
            _ => distinct(self.runs.iter().copied(), field),
        }
    }

    /// The first sweep or level field whose value differs among the runs, other than
    /// those in `taken`: what the runs measure apart.
    pub fn varying_field(&self, taken: &[&str]) -> Option<String> {
        SWEEP_FIELDS
            .into_iter()
            .filter(|f| !matches!(*f, "iteration" | "sweep_id"))
            .chain(level_fields())
            .filter(|f| !taken.contains(f))
            .find(|f| self.values(f).len() > 1)
            .map(String::from)
    }

    /// The unit of `metric` in the runs, empty when none says.
    pub fn unit(&self, metric: &str) -> String {
        (self.runs.iter())
            .find_map(|r| r.get(metric).filter(|row| !row.unit.is_empty()))
            .map(|row| self.table.catalog.unit(metric, &row.unit).to_string())
            .unwrap_or_default()
    }

    /// ` of BENCHMARK on GPU`, for the pins given.
    fn scope(&self) -> String {
        let mut out = String::new();
        if let Some(b) = &self.benchmark {
            out += &format!(" of `{b}`");
        }
        if let Some(g) = &self.gpu {
            out += &format!(" on `{g}`");
        }
        if !self.wanted.is_empty() {
            out += &format!(" with {}", self.wanted);
        }
        out
    }
}

/// A config field of `run`: a sweep, level or family config field, or a value that is not a
/// number.
fn is_field(run: &ResultFile, name: &str) -> bool {
    SWEEP_FIELDS.contains(&name)
        || level_fields().any(|f| f == name)
        || config_fields(&run.family).contains(&name)
        || run
            .field(name)
            .is_some_and(|v| !matches!(v, Value::Number(_) | Value::Missing))
}

/// The `--where` pins as a `where`: a field given twice is any of its values.
fn wanted(wheres: &[(String, Level)]) -> Where {
    let mut wanted = Where::default();
    for (field, level) in wheres {
        let merged = match wanted.0.remove(field) {
            None => Wanted::One(level.clone()),
            Some(Wanted::One(first)) => Wanted::AnyOf(vec![first, level.clone()]),
            Some(Wanted::AnyOf(mut levels)) => {
                levels.push(level.clone());
                Wanted::AnyOf(levels)
            }
        };
        wanted.0.insert(field.clone(), merged);
    }
    wanted
}

/// The GPU `name` names (as typed or as its results folder spells it); an error lists them.
fn known_gpu(table: &Table, name: &str) -> anyhow::Result<String> {
    let gpu = sanitize_gpu_name(name);
    if table.gpus.contains(&gpu) {
        return Ok(gpu);
    }
    bail!(
        "--gpu {name}: no results of that GPU; there are: {}",
        table.gpus.join(", ")
    )
}
