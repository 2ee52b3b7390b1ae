//! Rows and series generated from the values of a field (`rows_from`, `series_from`): one per
//! distinct value among the runs the scene's pins select, so that a chart over many models,
//! GPUs or settings needs no hand-written row for each.

use anyhow::{Context, bail};

use super::cell::ResolvedCell;
use super::levels::{order, x_value};
use super::model::{ByFamily, FromField, FromOrder, GroupSpec, Palette, Pins, Scene};
use super::run_template::fill_from_run;
use super::sort::sort_best_first;
use crate::chart::{Chart, TAB10, XValue, sequential};
use crate::results::{ResultFile, Table, Wanted, Where};

/// One generated row or series: its label, and the pins that select its runs.
struct Generated {
    label: String,
    /// Where its value comes among all of them in the field's order.
    rank: usize,
    benchmark: Option<ByFamily>,
    gpu: Option<String>,
    where_: Where,
}

impl Generated {
    /// The row or series it stands for, coloured `color`.
    fn into_spec(self, color: Option<String>) -> GroupSpec {
        GroupSpec {
            label: self.label,
            name: None,
            color,
            benchmark: self.benchmark,
            gpu: self.gpu,
            family: None,
            metric: None,
            where_: self.where_,
            aggregate: None,
            spread: None,
            generated: true,
        }
    }
}

/// `scene` with its `rows_from` and `series_from` turned into rows and series (series first,
/// then rows among the runs some series selects), in the order of the field's values or by
/// label. Ordering by value needs the chart: see [`by_value`].
pub(super) fn expand(scene: &Scene, table: &Table) -> anyhow::Result<Scene> {
    let file = scene.file();
    let mut out = scene.clone();
    if let Some(from) = &scene.common.series_from {
        let others: Vec<Pins> = scene.rows().iter().map(|r| r.pins()).collect();
        let (made, levels) = generate(scene, table, from, &others)
            .with_context(|| format!("{file}: series_from"))?;
        // Series of numbers are levels in order: a sequential palette unless another is asked.
        let palette = from.colors.or(levels.then_some(Palette::Viridis));
        let n = made.len();
        out.common.series = made
            .into_iter()
            .enumerate()
            .map(|(i, g)| {
                let c = color(palette, i, g.rank, n);
                g.into_spec(c)
            })
            .collect();
    }
    if let Some(from) = scene.body.rows().and_then(|t| t.rows_from.as_ref()) {
        let others: Vec<Pins> = out.common.series.iter().map(|s| s.pins()).collect();
        let (made, _) =
            generate(scene, table, from, &others).with_context(|| format!("{file}: rows_from"))?;
        let Some(rows) = out.body.rows_mut() else {
            bail!(
                "{file}: rows_from: a {} chart has no rows",
                scene.body.kind().noun()
            );
        };
        let n = made.len();
        rows.rows = made
            .into_iter()
            .enumerate()
            .map(|(i, g)| {
                let c = color(from.colors, i, g.rank, n);
                g.into_spec(c)
            })
            .collect();
    }
    Ok(out)
}

/// With `order = "value"`, the expanded scene's generated rows and series reordered best value
/// first by the resolved chart's direction (rows by their first cell's value, series by their
/// best), those without a value last; `None` when nothing is ordered by value.
pub(super) fn by_value(
    scene: &Scene,
    chart: &Chart,
    cells: &[ResolvedCell],
) -> anyhow::Result<Option<Scene>> {
    let by_value = |from: Option<&FromField>| from.is_some_and(|f| f.order == FromOrder::Value);
    let rows_from = scene.body.rows().and_then(|t| t.rows_from.as_ref());
    let (rows, series) = (
        by_value(rows_from),
        by_value(scene.common.series_from.as_ref()),
    );
    if !rows && !series {
        return Ok(None);
    }
    let Some(direction) = chart.body.direction() else {
        bail!(
            "{}: `order = \"value\"` puts the best first, but which way is better is not known; add `direction = \"higher\"` or `direction = \"lower\"` to the scene",
            scene.file()
        );
    };
    let mut out = scene.clone();
    if rows {
        let first = |label: &str| cells.iter().find(|c| c.row == label).and_then(|c| c.value);
        if let Some(table_rows) = out.body.rows_mut() {
            sort_best_first(&mut table_rows.rows, |r| first(&r.label), direction);
        }
    }
    if series {
        // A scatter's series have two metrics: their first cell's (the y metric) counts.
        let best = |label: &str| {
            let of_series = || cells.iter().filter(move |c| c.series == label);
            let metric = of_series().next()?.metric.as_str();
            of_series()
                .filter(|c| c.metric == metric)
                .filter_map(|c| c.value)
                .reduce(|a, b| if direction.better(b, a) { b } else { a })
        };
        sort_best_first(&mut out.common.series, |s| best(&s.label), direction);
    }
    Ok(Some(out))
}

/// The colour of item `i` (whose value is `rank`th of `n` in the field's order) from
/// `palette`, if any: tab10 by place, the sequential palette by the value's rank.
fn color(palette: Option<Palette>, i: usize, rank: usize, n: usize) -> Option<String> {
    palette.map(|p| match p {
        Palette::Tab10 => TAB10[i % TAB10.len()].hex(),
        Palette::Viridis => sequential(rank, n).hex(),
    })
}

/// One row or series per distinct value of `from.field` among the runs the scene's pins select
/// (and, when `others` are given, one of them too); and whether the values are all numbers
/// (ordered levels, such as concurrency 1 to 32).
fn generate(
    scene: &Scene,
    table: &Table,
    from: &FromField,
    others: &[Pins],
) -> anyhow::Result<(Vec<Generated>, bool)> {
    let field = from.field.as_str();
    let runs: Vec<&ResultFile> = table
        .benchmarks
        .iter()
        .flat_map(|b| &b.runs)
        .filter(|run| {
            let scene_pins = scene.common.pins();
            if others.is_empty() {
                selects(scene_pins, None, run)
            } else {
                others.iter().any(|&o| selects(scene_pins, Some(o), run))
            }
        })
        .collect();
    // Each value with the newest run that has it.
    let mut values: Vec<(XValue, String, &ResultFile)> = Vec::new();
    for &run in &runs {
        let Some((value, shown)) = value_of(run, field) else {
            continue;
        };
        match values.iter_mut().find(|(v, ..)| *v == value) {
            Some(entry) if run.timestamp > entry.2.timestamp => entry.2 = run,
            Some(_) => {}
            None => values.push((value, shown, run)),
        }
    }
    if values.is_empty() {
        bail!("no run the scene's pins select has a value of `{field}`");
    }
    if !matches!(field, "gpu" | "benchmark") {
        values.sort_by(|a, b| order(&a.0, &b.0));
    }
    let numbers = values
        .iter()
        .all(|(v, ..)| matches!(v, XValue::Number(_) | XValue::Infinity));
    let mut made: Vec<Generated> = Vec::new();
    for (rank, (value, shown, run)) in values.into_iter().enumerate() {
        let label = match &from.label {
            Some(template) => fill_from_run(template, run).context("label")?,
            None => shown,
        };
        if made.iter().any(|g| g.label == label) {
            bail!(
                "two of them would be labelled `{label}`; put `{{{field}}}` in the label to tell them apart"
            );
        }
        let mut generated = Generated {
            label,
            rank,
            benchmark: None,
            gpu: None,
            where_: Where::default(),
        };
        match (field, value) {
            ("gpu", XValue::Text(gpu)) => generated.gpu = Some(gpu),
            ("benchmark", XValue::Text(id)) => generated.benchmark = Some(ByFamily::One(id)),
            (_, value) => {
                let level = super::levels::level_of(&value);
                generated
                    .where_
                    .0
                    .insert(field.to_string(), Wanted::One(level));
            }
        }
        made.push(generated);
    }
    if from.order == FromOrder::Label {
        made.sort_by(|a, b| a.label.cmp(&b.label));
    }
    Ok((made, numbers))
}

/// The run's value of `field` with the text a label shows: its GPU or benchmark for those
/// names, else its config field's.
fn value_of(run: &ResultFile, field: &str) -> Option<(XValue, String)> {
    match field {
        "gpu" => Some((XValue::Text(run.gpu.clone()), run.gpu.clone())),
        "benchmark" => Some((XValue::Text(run.benchmark.clone()), run.benchmark.clone())),
        _ => x_value(run.field(field)?),
    }
}

/// True when `run` is one the scene's pins, with `other`'s (a row's or a series') over them,
/// select: its benchmark, GPU, family and config fields (the metric does not matter).
pub(super) fn selects(scene: Pins, other: Option<Pins>, run: &ResultFile) -> bool {
    let (o_gpu, o_family, o_benchmark, o_where) = match other {
        Some(o) => (o.gpu, o.family, o.benchmark, Some(o.where_)),
        None => (None, None, None, None),
    };
    let benchmark = o_benchmark.or(scene.benchmark);
    let wanted = match o_where {
        Some(w) => scene.where_.and(w),
        None => scene.where_.clone(),
    };
    o_gpu.or(scene.gpu).is_none_or(|g| run.gpu == g)
        && o_family.or(scene.family).is_none_or(|f| run.family == f)
        && benchmark.is_none_or(|b| match b {
            ByFamily::One(id) => run.benchmark == *id,
            ByFamily::PerFamily(map) => map.get(&run.family) == Some(&run.benchmark),
        })
        && wanted.matches(run)
}
