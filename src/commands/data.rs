//! `benchanim data`: the values a scene shows, as a table for people or JSON for programs.

use std::collections::HashMap;
use std::fmt::Write;
use std::path::Path;

use super::inputs::{ResultsArgs, ScenesArgs, resolved};
use super::stdout;
use crate::chart::{Bars, Body, Chart, LinePlot, LineSeries, Panels, ScatterPlot, XKey, XValue};
use crate::results::{Aggregate, Table};
use crate::scene::{ResolvedCell, Scene, chart_name_parts, load_charts};
use crate::terminal::aligned_table;
use crate::terminal::printable;

#[derive(Debug, clap::Args)]
pub struct DataArgs {
    /// The scene's name (see `benchanim list`).
    pub scene: String,
    #[command(flatten)]
    pub scenes: ScenesArgs,
    #[command(flatten)]
    pub input: ResultsArgs,
    /// `table` for people, `json` for programs.
    #[arg(long, value_enum, default_value_t = DataFormat::Table)]
    pub format: DataFormat,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum DataFormat {
    Table,
    Json,
}

pub fn run(args: DataArgs) -> anyhow::Result<u8> {
    crate::atomic::exit_cleanly_on_signal()?;
    let table = args.input.table()?;
    let json = args.format == DataFormat::Json;
    let text = data(
        &args.scenes.dir,
        &args.scene,
        &table,
        json,
        args.input.strict,
    )?;
    stdout::print(&text)?;
    Ok(0)
}

/// The resolved chart as a table (rows × series, or each series' points), or as JSON. A
/// `for_each` scene gives each of its charts, and the combinations it skipped.
fn data(dir: &Path, name: &str, table: &Table, json: bool, strict: bool) -> anyhow::Result<String> {
    let expanded = load_charts(dir, name, table)?;
    // One chart: a plain scene, or one chart of a `for_each` scene asked for by name.
    let asked_for_one = chart_name_parts(name).1.is_some();
    if expanded.charts.len() == 1 && (asked_for_one || expanded.charts[0].0 == name) {
        let (name, scene) = &expanded.charts[0];
        return chart_data(name, scene, table, json, strict);
    }
    if json {
        let mut charts = Vec::new();
        for (chart_name, scene) in &expanded.charts {
            let (chart, cells) = resolved(chart_name, scene, table, strict)?;
            charts.push(chart_json(chart_name, &chart, &cells));
        }
        let value = serde_json::json!({
            "scene": name,
            "charts": charts,
            "skipped": expanded.skipped,
        });
        return Ok(serde_json::to_string_pretty(&value)? + "\n");
    }
    let mut out = String::new();
    for (chart_name, scene) in &expanded.charts {
        let part = chart_data(chart_name, scene, table, false, strict)?;
        let _ = writeln!(out, "== {} ==\n{part}", printable(chart_name));
    }
    for skipped in &expanded.skipped {
        let _ = writeln!(out, "skipped {}", printable(skipped));
    }
    Ok(out)
}

/// A chart's data as JSON: the chart, its cells, and its rows, series or panels as read.
fn chart_json(name: &str, chart: &Chart, cells: &[ResolvedCell]) -> serde_json::Value {
    let mut value = serde_json::json!({ "scene": name, "chart": chart, "cells": cells });
    match &chart.body {
        Body::Bars(bars) if bars.has_deltas() => value["rows"] = delta_rows_json(bars, cells),
        Body::Bars(_) => {}
        Body::Panels(panels) => value["panels"] = panels_json(panels, cells),
        Body::Lines(plot) => value["series"] = line_series_json(plot, cells),
        Body::Scatter(plot) => {
            value["series"] = scatter_series_json(plot, cells);
            value["frontier"] = frontier_json(plot);
        }
    }
    value
}

/// One chart's data.
fn chart_data(
    name: &str,
    scene: &Scene,
    table: &Table,
    json: bool,
    strict: bool,
) -> anyhow::Result<String> {
    let (chart, cells) = resolved(name, scene, table, strict)?;
    if json {
        let value = chart_json(name, &chart, &cells);
        return Ok(serde_json::to_string_pretty(&value)? + "\n");
    }
    let mut out = format!(
        "{}\n{}\n\n",
        printable(&chart.title),
        printable(&chart.subtitle)
    );
    match &chart.body {
        Body::Bars(bars) => out.push_str(&text_table(bars, &cells)),
        Body::Panels(panels) => {
            for (panel, cells) in panels.panels.iter().zip(panel_cells(panels, &cells)) {
                let _ = writeln!(out, "{}", printable(&panel.title.replace('\n', " · ")));
                out.push_str(&text_table(&panel.bars, cells));
                out.push('\n');
            }
        }
        Body::Lines(plot) => out.push_str(&line_tables(plot, &cells)),
        Body::Scatter(plot) => out.push_str(&scatter_tables(plot, &cells)),
    }
    let units: Vec<&str> = cells
        .iter()
        .map(|c| c.unit.as_str())
        .filter(|u| !u.is_empty())
        .collect();
    // A scatter chart's axis titles carry their units, and rows of different metrics theirs.
    let one_unit = units.windows(2).all(|w| w[0] == w[1]);
    if let (Some(unit), false, true) = (
        units.first(),
        matches!(chart.body, Body::Scatter(_)),
        one_unit,
    ) {
        let _ = writeln!(out, "\nunit: {}", printable(unit));
    }
    for line in &chart.footer {
        let _ = writeln!(out, "{}", printable(line));
    }
    Ok(out)
}

/// The cells of a chart's points by series and level (for a scatter chart, its y metric's):
/// found once, so printing stays linear in the points.
struct PointCells<'c>(HashMap<&'c str, HashMap<XKey, &'c ResolvedCell>>);

impl<'c> PointCells<'c> {
    fn of(cells: &'c [ResolvedCell]) -> PointCells<'c> {
        let mut map: HashMap<&str, HashMap<XKey, &ResolvedCell>> = HashMap::new();
        for cell in cells {
            if let Some(level) = &cell.level {
                // The first cell of a point is its own, as a search from the start finds.
                map.entry(cell.series.as_str())
                    .or_default()
                    .entry(level.key())
                    .or_insert(cell);
            }
        }
        PointCells(map)
    }

    /// The cell a point of `series` at `level` comes from.
    fn get(&self, series: &str, level: &XValue) -> Option<&'c ResolvedCell> {
        self.0.get(series)?.get(&level.key()).copied()
    }
}

/// Every series' points in their order: level, x, y, how many runs were at that level and
/// their files, whether the frontier has it.
fn scatter_series_json(plot: &ScatterPlot, cells: &[ResolvedCell]) -> serde_json::Value {
    let cells = PointCells::of(cells);
    plot.series
        .iter()
        .enumerate()
        .map(|(s, series)| {
            let points: Vec<serde_json::Value> = series
                .points
                .iter()
                .enumerate()
                .map(|(i, p)| {
                    let level = &plot.levels[p.level].value;
                    let cell = cells.get(&series.label, level);
                    let mut point = serde_json::json!({
                        "level": level,
                        "x": p.x,
                        "y": p.y,
                        "label": p.label,
                        "n": p.n,
                        "runs": cell.map(|c| c.runs.clone()).unwrap_or_default(),
                    });
                    if plot.frontier.is_some() {
                        point["frontier"] = (!plot.dominated(s, i)).into();
                    }
                    point
                })
                .collect();
            serde_json::json!({ "label": series.label, "points": points })
        })
        .collect()
}

/// The frontier's points, left to right; null when the scene does not ask for it.
fn frontier_json(plot: &ScatterPlot) -> serde_json::Value {
    let Some(frontier) = &plot.frontier else {
        return serde_json::Value::Null;
    };
    frontier
        .iter()
        .map(|f| {
            let series = &plot.series[f.series];
            let p = &series.points[f.point];
            serde_json::json!({
                "series": series.label,
                "level": plot.levels[p.level].value,
                "x": p.x,
                "y": p.y,
                "label": p.label,
            })
        })
        .collect()
}

/// One table per series: level, x, y, runs at that level (and `*` for the frontier's points);
/// then the frontier, left to right.
fn scatter_tables(plot: &ScatterPlot, cells: &[ResolvedCell]) -> String {
    let cells = PointCells::of(cells);
    let mut out = String::new();
    for (s, series) in plot.series.iter().enumerate() {
        series_heading(&mut out, s, &series.label);
        let mut header = vec![
            printable(&plot.order).into_owned(),
            printable(&plot.x.title).into_owned(),
            printable(&plot.y.title).into_owned(),
            "Runs".to_string(),
        ];
        if plot.frontier.is_some() {
            header.push("Frontier".to_string());
        }
        let mut lines = vec![header];
        for (i, p) in series.points.iter().enumerate() {
            let level = &plot.levels[p.level];
            let partial = cells
                .get(&series.label, &level.value)
                .is_some_and(|c| c.partial);
            let mark = if partial { "*" } else { "" };
            let mut line = vec![
                printable(&level.label).into_owned(),
                format!("{:.2}", p.x),
                format!("{:.2}{mark}", p.y),
                p.n.to_string(),
            ];
            if plot.frontier.is_some() {
                line.push(if plot.dominated(s, i) { "" } else { "yes" }.to_string());
            }
            lines.push(line);
        }
        out.push_str(&aligned_table(&lines));
    }
    if let Some(frontier) = &plot.frontier {
        let points: Vec<String> = frontier
            .iter()
            .map(|f| {
                let series = &plot.series[f.series];
                let p = &series.points[f.point];
                format!("{} {}", printable(&series.label), printable(&p.label))
            })
            .collect();
        let _ = writeln!(out, "\nfrontier: {}", points.join(", "));
    }
    out
}

/// Every series' points (x, y, how many runs were at that x and their files), peak and knee.
fn line_series_json(plot: &LinePlot, cells: &[ResolvedCell]) -> serde_json::Value {
    let cells = PointCells::of(cells);
    let point = |series: &LineSeries, i: Option<usize>| {
        i.map(|i| {
            let p = &series.points[i];
            serde_json::json!({ "x": plot.x.levels[p.level].value, "y": p.y })
        })
    };
    plot.series
        .iter()
        .map(|s| {
            let points: Vec<serde_json::Value> = s
                .points
                .iter()
                .map(|p| {
                    let cell = cells.get(&s.label, &plot.x.levels[p.level].value);
                    serde_json::json!({
                        "x": plot.x.levels[p.level].value,
                        "y": p.y,
                        "n": p.n,
                        "runs": cell.map(|c| c.runs.clone()).unwrap_or_default(),
                    })
                })
                .collect();
            serde_json::json!({
                "label": s.label,
                "points": points,
                "peak": point(s, s.peak),
                "knee": point(s, s.knee),
            })
        })
        .collect()
}

/// A blank line between series, then the series' label when it has one.
fn series_heading(out: &mut String, index: usize, label: &str) {
    if index > 0 {
        out.push('\n');
    }
    if !label.is_empty() {
        let _ = writeln!(out, "{}", printable(label));
    }
}

/// One table per series: x, value, runs at that x; then its peak and knee.
fn line_tables(plot: &LinePlot, cells: &[ResolvedCell]) -> String {
    let cells = PointCells::of(cells);
    let mut out = String::new();
    for (k, series) in plot.series.iter().enumerate() {
        series_heading(&mut out, k, &series.label);
        let mut lines = vec![vec![
            printable(&plot.x.title).into_owned(),
            "Value".to_string(),
            "Runs".to_string(),
        ]];
        for p in &series.points {
            let level = &plot.x.levels[p.level].value;
            let partial = cells.get(&series.label, level).is_some_and(|c| c.partial);
            lines.push(vec![
                printable(&plot.x.levels[p.level].label).into_owned(),
                format!("{:.2}{}", p.y, if partial { "*" } else { "" }),
                p.n.to_string(),
            ]);
        }
        out.push_str(&aligned_table(&lines));
        let at = |i: usize| {
            let p = &series.points[i];
            format!("{:.2} at {}", p.y, printable(&plot.x.levels[p.level].label))
        };
        if let Some(peak) = series.peak {
            let knee = series.knee.map(|k| format!("; knee {}", at(k)));
            let _ = writeln!(out, "peak {}{}", at(peak), knee.unwrap_or_default());
        }
    }
    out
}

/// Each panel's cells: the chart's cells, which run panel by panel, row by row.
fn panel_cells<'c>(panels: &Panels, cells: &'c [ResolvedCell]) -> Vec<&'c [ResolvedCell]> {
    let mut rest = cells;
    panels
        .panels
        .iter()
        .map(|p| {
            let n: usize = p.bars.rows.iter().map(|r| r.bars.len()).sum();
            let (mine, others) = rest.split_at(n.min(rest.len()));
            rest = others;
            mine
        })
        .collect()
}

/// Each panel's title and rows: label, values, direction (and deltas when it has them).
fn panels_json(panels: &Panels, cells: &[ResolvedCell]) -> serde_json::Value {
    panels
        .panels
        .iter()
        .zip(panel_cells(panels, cells))
        .map(|(panel, cells)| {
            let rows = if panel.bars.has_deltas() {
                delta_rows_json(&panel.bars, cells)
            } else {
                panel
                    .bars
                    .rows
                    .iter()
                    .map(|r| {
                        serde_json::json!({
                            "label": r.label,
                            "values": r.bars.iter().map(|b| b.value).collect::<Vec<_>>(),
                            "direction": r.direction,
                        })
                    })
                    .collect()
            };
            serde_json::json!({
                "title": panel.title,
                "direction": panel.bars.direction,
                "rows": rows,
                "cells": cells,
            })
        })
        .collect()
}

/// Each row of a chart with deltas: its direction, both values, and the delta.
fn delta_rows_json(bars: &Bars, cells: &[ResolvedCell]) -> serde_json::Value {
    let per_row = bars.rows.first().map_or(1, |r| r.bars.len()).max(1);
    bars.rows
        .iter()
        .zip(cells.chunks(per_row))
        .map(|(row, row_cells)| {
            let delta = row.delta.as_ref();
            serde_json::json!({
                "label": row.label,
                "metric": row_cells.first().map(|c| c.metric.as_str()),
                "direction": row.direction,
                "baseline": { "series": row_cells.first().map(|c| c.series.as_str()), "value": row.bars.first().and_then(|b| b.value) },
                "candidate": { "series": row_cells.get(1).map(|c| c.series.as_str()), "value": row.bars.get(1).and_then(|b| b.value) },
                "delta_percent": delta.and_then(|d| d.percent),
                "verdict": delta.map(|d| d.verdict),
                "delta": delta.map(|d| d.text.as_str()),
            })
        })
        .collect()
}

fn text_table(bars: &Bars, cells: &[ResolvedCell]) -> String {
    let series: Vec<&str> = cells
        .iter()
        .take(bars.rows.first().map_or(0, |r| r.bars.len()))
        .map(|c| c.series.as_str())
        .collect();
    // Labels are the scene author's text: printed with their control characters escaped.
    let deltas = bars.has_deltas();
    let mut lines: Vec<Vec<String>> = vec![
        std::iter::once("Row".to_string())
            .chain(series.iter().map(|s| printable(s).into_owned()))
            .chain(deltas.then(|| "Delta".to_string()))
            .collect(),
    ];
    for (row, row_cells) in bars.rows.iter().zip(cells.chunks(series.len().max(1))) {
        lines.push(
            std::iter::once(printable(&row.label).into_owned())
                .chain(row.bars.iter().zip(row_cells).map(|(b, c)| {
                    let mark = if c.partial { "*" } else { "" };
                    // How many runs stand behind a value that aggregates them or spreads.
                    let n = if c.aggregate != Aggregate::Newest || c.whisker.is_some() {
                        format!(" (n={})", c.n)
                    } else {
                        String::new()
                    };
                    match b.value {
                        Some(v) => format!("{v:.2}{mark}{n}"),
                        None => "NA".to_string(),
                    }
                }))
                .chain(deltas.then(|| row.delta.as_ref().map_or("", |d| &d.text).to_string()))
                .collect(),
        );
    }
    aligned_table(&lines)
}
