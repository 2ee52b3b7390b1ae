//! What `benchanim data` prints of a resolved chart: its values and where each came from, as
//! a table to read or as JSON; one file per kind of chart.

mod bars;
mod lines;
mod panels;
mod points;
mod scatter;

use std::fmt::Write;

use crate::chart::{Body, Chart};
use crate::scene::ResolvedCell;
use crate::terminal::printable;

/// A chart's data as JSON: the chart, its cells, and its rows, series or panels as read.
pub fn chart_json(name: &str, chart: &Chart, cells: &[ResolvedCell]) -> serde_json::Value {
    let mut value = serde_json::json!({ "scene": name, "chart": chart, "cells": cells });
    match &chart.body {
        Body::Bars(bars) if bars.has_deltas() => value["rows"] = bars::delta_rows_json(bars, cells),
        Body::Bars(_) => {}
        Body::Panels(panels) => value["panels"] = panels::panels_json(panels, cells),
        Body::Lines(plot) => value["series"] = lines::line_series_json(plot, cells),
        Body::Scatter(plot) => {
            value["series"] = scatter::scatter_series_json(plot, cells);
            value["frontier"] = scatter::frontier_json(plot);
        }
    }
    value
}

/// A chart's data as text: its title, a table per body (rows × series, each series' points),
/// the unit when there is one, and the footer.
pub fn chart_text(chart: &Chart, cells: &[ResolvedCell]) -> String {
    let mut out = format!(
        "{}\n{}\n\n",
        printable(&chart.title),
        printable(&chart.subtitle)
    );
    match &chart.body {
        Body::Bars(bars) => out.push_str(&bars::text_table(bars, cells)),
        Body::Panels(panels) => {
            for (panel, cells) in panels.panels.iter().zip(panels::panel_cells(panels, cells)) {
                let _ = writeln!(out, "{}", printable(&panel.title.replace('\n', " · ")));
                out.push_str(&bars::text_table(&panel.bars, cells));
                out.push('\n');
            }
        }
        Body::Lines(plot) => out.push_str(&lines::line_tables(plot, cells)),
        Body::Scatter(plot) => out.push_str(&scatter::scatter_tables(plot, cells)),
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
    out
}
