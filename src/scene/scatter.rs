//! Resolving a scatter scene: each series' points are the distinct values of the `order` field
//! among the runs its pins select, each at (x metric, y metric) of the run that counts there;
//! with `frontier = true`, the Pareto frontier of all the points.

use anyhow::{Context, bail};

use super::cell::ResolvedCell;
use super::footer::compares;
use super::levels::{Sample, cell, order, samples};
use super::model::{Pins, ScatterBody, Scene};
use super::parts::{
    chart, given_direction, metric_unit, scene_direction, series_colors, series_legend,
};
use super::run_template::fill_from_run;
use super::select::{Selection, select};
use crate::chart::{
    Body, Chart, FrontierPoint, PointLabels, Rgb, ScatterPlot, ScatterPoint, ScatterSeries,
    ValueAxis, XLevel, XValue, frontier,
};
use crate::results::{Direction, PARTIAL_NOTE, Table};

/// A point before the levels are known.
struct Found {
    value: XValue,
    /// The level as tables show it.
    level: String,
    label: String,
    x: f64,
    y: f64,
    n: usize,
    x_whisker: Option<(f64, f64)>,
    y_whisker: Option<(f64, f64)>,
}

pub(super) fn resolve(
    scene: &Scene,
    body: &ScatterBody,
    table: &Table,
) -> anyhow::Result<(Chart, Vec<ResolvedCell>)> {
    let file = scene.file().to_string();
    let (Some(x_metric), Some(field)) = (body.x_metric.as_deref(), body.order.as_deref()) else {
        bail!("{file}: a scatter chart needs `x_metric` and `order`");
    };
    if scene.common.series.is_empty() {
        bail!("{file}: a scatter chart needs at least one [[series]]");
    }
    let colors = series_colors(scene)?;
    let (found, cells, partial) = find_points(scene, body, x_metric, field, table)?;

    // Which way is better on each axis: the scene's word, else the metric's.
    let unit = |i: usize| {
        cells
            .get(i)
            .map(|c| metric_unit(table, c))
            .unwrap_or_default()
    };
    let (y_unit, x_unit) = (unit(0), unit(1));
    let y_metric = cells.first().map_or("", |c| c.metric.as_str());
    let y_direction = match scene_direction(scene)? {
        Some(d) => Some(d),
        None => table.catalog.direction(y_metric, &y_unit),
    };
    let x_direction = match given_direction(scene, "x_direction", body.x_direction.as_deref())? {
        Some(d) => Some(d),
        None => table.catalog.direction(x_metric, &x_unit),
    };
    let want_frontier = body.frontier.unwrap_or(false);
    if want_frontier {
        for (metric, direction, key) in [
            (x_metric, x_direction, "x_direction"),
            (y_metric, y_direction, "direction"),
        ] {
            if direction.is_none() {
                bail!(
                    "{file}: `frontier` needs to know which way is better on both axes, but for `{metric}` it is not known; add `{key} = \"higher\"` or `{key} = \"lower\"` to the scene"
                );
            }
        }
    }
    if let Some(template) = scene.common.footer.iter().find(|t| compares(t)) {
        bail!(
            "{file}: footer `{template}` compares values, which a scatter chart's footer does not; write the line out"
        );
    }

    let levels = levels(&found);
    let series = placed_series(scene, &colors, found, &levels);
    let frontier = match (want_frontier, x_direction, y_direction) {
        (true, Some(x), Some(y)) => Some(frontier_of(&series, x, y)),
        _ => None,
    };
    let axis =
        |title: String, direction, from_zero: Option<bool>, decimals, suffix: &str| ValueAxis {
            title,
            direction,
            from_zero: from_zero.unwrap_or(true),
            decimals,
            suffix: suffix.to_string(),
        };
    let x_title = body.x.as_ref().and_then(|x| x.label.as_deref());
    let y_title = body.y.as_ref().and_then(|y| y.label.as_deref());
    let format = &scene.common.format;
    let plot = ScatterPlot {
        x: axis(
            axis_title(table, x_title, x_metric, &x_unit),
            x_direction,
            body.x_from_zero,
            None,
            "",
        ),
        y: axis(
            axis_title(table, y_title, y_metric, &y_unit),
            y_direction,
            body.y_from_zero,
            format.decimals,
            &format.suffix,
        ),
        order: field.to_string(),
        levels,
        series,
        connect: body.connect.unwrap_or(true),
        point_labels: body.point_labels.unwrap_or(PointLabels::All),
        frontier,
    };
    let mut footer = scene.common.footer.clone();
    if partial {
        footer.push(format!("* {PARTIAL_NOTE}"));
    }
    let legend = series_legend(scene, &colors);
    let phrase = better_phrase(x_direction, y_direction);
    Ok((
        chart(scene, phrase, legend, footer, Body::Scatter(plot)),
        cells,
    ))
}

/// Each series' points (where both metrics have a value), every cell (y then x at each
/// level), and whether any value is from a partial run.
fn find_points(
    scene: &Scene,
    body: &ScatterBody,
    x_metric: &str,
    field: &str,
    table: &Table,
) -> anyhow::Result<(Vec<Vec<Found>>, Vec<ResolvedCell>, bool)> {
    let file = scene.file();
    let mut found: Vec<Vec<Found>> = Vec::new();
    let mut cells = Vec::new();
    let mut partial = false;
    for (s, spec) in scene.common.series.iter().enumerate() {
        let at = || format!("{file}: series[{s}] (\"{}\")", spec.label);
        let selection =
            select(table, scene.common.pins(), Pins::none(), spec.pins()).with_context(at)?;
        has_metric(table, &selection, x_metric).with_context(at)?;
        let samples = samples(&selection, field, "order").with_context(at)?;
        let mut points = Vec::new();
        for sample in &samples {
            let y = cell(table, &selection, sample, field, &selection.metric);
            let x = cell(table, &selection, sample, field, x_metric);
            if let (Some(xv), Some(yv)) = (x.value, y.value) {
                let mark = if x.partial || y.partial { "*" } else { "" };
                partial |= !mark.is_empty();
                points.push(Found {
                    value: sample.value.clone(),
                    level: sample.label.clone(),
                    label: point_label(body, sample).with_context(at)? + mark,
                    x: xv,
                    y: yv,
                    n: y.n,
                    x_whisker: x.whisker,
                    y_whisker: y.whisker,
                });
            }
            for c in [y, x] {
                cells.push(ResolvedCell {
                    series: spec.label.clone(),
                    ..c
                });
            }
        }
        found.push(points);
    }
    Ok((found, cells, partial))
}

/// Each series with its points placed at their levels, in level order.
fn placed_series(
    scene: &Scene,
    colors: &[Rgb],
    found: Vec<Vec<Found>>,
    levels: &[XLevel],
) -> Vec<ScatterSeries> {
    scene
        .common
        .series
        .iter()
        .zip(colors)
        .zip(found)
        .map(|((spec, &color), points)| {
            let mut points: Vec<ScatterPoint> = points
                .into_iter()
                .map(|p| ScatterPoint {
                    level: levels
                        .iter()
                        .position(|l| l.value == p.value)
                        .expect("every point's value is a level"),
                    x: p.x,
                    y: p.y,
                    label: p.label,
                    n: p.n,
                    x_whisker: p.x_whisker,
                    y_whisker: p.y_whisker,
                })
                .collect();
            points.sort_by_key(|p| p.level);
            ScatterSeries {
                label: spec.label.clone(),
                color,
                points,
            }
        })
        .collect()
}

/// The metric along the x axis must be one the benchmark measures.
fn has_metric(table: &Table, selection: &Selection, metric: &str) -> anyhow::Result<()> {
    let benchmark = selection.benchmark;
    if !benchmark.has_metric(metric) {
        bail!(
            "x_metric: benchmark `{}` has no metric `{metric}`; it has: {}",
            benchmark.id,
            benchmark.headline_metrics(&table.catalog).join(", ")
        );
    }
    Ok(())
}

/// The scene's `point_label` filled from the run that counts at the level, else the level.
fn point_label(body: &ScatterBody, sample: &Sample) -> anyhow::Result<String> {
    match &body.point_label {
        Some(template) => fill_from_run(template, sample.runs[0]).context("point_label"),
        None => Ok(sample.label.clone()),
    }
}

/// Every level some series has a point at, in order.
fn levels(found: &[Vec<Found>]) -> Vec<XLevel> {
    let mut values: Vec<(XValue, String)> = Vec::new();
    for p in found.iter().flatten() {
        if !values.iter().any(|(v, _)| *v == p.value) {
            values.push((p.value.clone(), p.level.clone()));
        }
    }
    values.sort_by(|a, b| order(&a.0, &b.0));
    values
        .into_iter()
        .enumerate()
        .map(|(i, (value, label))| XLevel {
            value,
            at: i as f64,
            label,
        })
        .collect()
}

/// The points of all series that no other point beats on both axes, left to right.
fn frontier_of(series: &[ScatterSeries], x: Direction, y: Direction) -> Vec<FrontierPoint> {
    let all: Vec<FrontierPoint> = series
        .iter()
        .enumerate()
        .flat_map(|(s, series)| {
            (0..series.points.len()).map(move |point| FrontierPoint { series: s, point })
        })
        .collect();
    let xy: Vec<(f64, f64)> = all
        .iter()
        .map(|f| {
            let p = &series[f.series].points[f.point];
            (p.x, p.y)
        })
        .collect();
    frontier(&xy, x, y).into_iter().map(|i| all[i]).collect()
}

/// An axis title: the scene's label, else the metric's display name; with the unit in
/// parentheses unless the title already names it.
fn axis_title(table: &Table, given: Option<&str>, metric: &str, unit: &str) -> String {
    let name = given.map_or_else(|| table.catalog.display_name(metric), str::to_string);
    if unit.is_empty() || name.contains(unit) {
        name
    } else {
        format!("{name} ({unit})")
    }
}

/// Which way is better on the plot, as the subtitle says it: `↖ Up and to the left is better`.
fn better_phrase(x: Option<Direction>, y: Option<Direction>) -> Option<&'static str> {
    use Direction::{Higher, Lower};
    Some(match (x, y) {
        (Some(Lower), Some(Higher)) => "↖ Up and to the left is better",
        (Some(Higher), Some(Higher)) => "↗ Up and to the right is better",
        (Some(Lower), Some(Lower)) => "↙ Down and to the left is better",
        (Some(Higher), Some(Lower)) => "↘ Down and to the right is better",
        (None, Some(y)) => y.arrow_phrase(),
        (Some(Lower), None) => "← Further left is better",
        (Some(Higher), None) => "→ Further right is better",
        (None, None) => return None,
    })
}
