//! A line chart's data: each series' points with their runs.

use std::fmt::Write;

use super::points::{PointCells, series_heading};
use crate::chart::{LinePlot, LineSeries};
use crate::scene::ResolvedCell;
use crate::terminal::{aligned_table, printable};

/// Every series' points (x, y, how many runs were at that x and their files), peak and knee.
pub(super) fn line_series_json(plot: &LinePlot, cells: &[ResolvedCell]) -> serde_json::Value {
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

/// One table per series: x, value, runs at that x; then its peak and knee.
pub(super) fn line_tables(plot: &LinePlot, cells: &[ResolvedCell]) -> String {
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
