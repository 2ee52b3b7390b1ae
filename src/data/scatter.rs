//! A scatter chart's data: each series' points on both metrics, and the frontier.

use std::fmt::Write;

use super::points::{PointCells, series_heading};
use crate::chart::ScatterPlot;
use crate::scene::ResolvedCell;
use crate::terminal::{aligned_table, printable};

/// Every series' points in their order: level, x, y, how many runs were at that level and
/// their files, whether the frontier has it.
pub(super) fn scatter_series_json(plot: &ScatterPlot, cells: &[ResolvedCell]) -> serde_json::Value {
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
pub(super) fn frontier_json(plot: &ScatterPlot) -> serde_json::Value {
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
pub(super) fn scatter_tables(plot: &ScatterPlot, cells: &[ResolvedCell]) -> String {
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
