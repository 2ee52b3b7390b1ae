//! Bar and compare charts: rows × series of bars, each cell resolved from the scene's, the
//! row's and the series' pins; a compare chart's rows each have a metric and direction of
//! their own.

use anyhow::{Context, bail};

use super::cell::{ResolvedCell, resolve_cell};
use super::compare;
use super::footer::{Named, Repeated, compares, fill, fold_repeated, ratio};
use super::model::{BarKeys, RowSpec, RowTable, Scene};
use super::parts::{
    NA_NOTE, chart, color, metric_unit, scene_direction, series_colors, unknown_direction,
};
use crate::chart::{Bar, Bars, Body, Chart, ChartRow, LegendEntry, Rgb, Scale, avoid_verdicts};
use crate::results::{Direction, PARTIAL_NOTE, Table};

/// A bar chart (given its `bar_keys`) or a compare chart (whose rows each have a metric, and
/// so a direction, of their own).
pub(super) fn resolve(
    scene: &Scene,
    table_rows: &RowTable,
    bar_keys: Option<&BarKeys>,
    table: &Table,
) -> anyhow::Result<(Chart, Vec<ResolvedCell>)> {
    let file = scene.file();
    let series = &scene.common.series;
    if table_rows.rows.is_empty() || series.is_empty() {
        bail!("{file}: a scene needs at least one [[rows]] and one [[series]]");
    }
    let mut colors = series_colors(scene)?;
    let style = compare::delta_style(scene, table_rows, bar_keys)?;
    // Beside green and red pills a green or red series would read as a verdict.
    let recolored = match &style {
        Some(style) => {
            let labels: Vec<&str> = series.iter().map(|s| s.label.as_str()).collect();
            avoid_verdicts(&labels, &mut colors, style.better, style.worse)
        }
        None => Vec::new(),
    };
    let per_row = bar_keys.is_none();
    let given = scene_direction(scene)?;
    let mut cells = Vec::new();
    let mut rows = Vec::new();
    let mut direction = given;
    for (r, row) in table_rows.rows.iter().enumerate() {
        let (mut chart_row, row_cells) =
            resolve_row(scene, (r, row), &colors, given, per_row, table)?;
        direction = direction.or(chart_row.direction);
        if !per_row {
            chart_row.direction = None;
        }
        cells.extend(row_cells);
        rows.push(chart_row);
    }
    if per_row {
        direction = compare::common_direction(&rows);
    }
    // Each row's delta by the direction it ends with: its own, else the whole chart's.
    for row in &mut rows {
        row.direction = row.direction.or(direction);
        if let Some(style) = &style {
            row.delta = Some(compare::row_delta(row, style));
        }
    }
    check_footer(scene, direction, style.is_some(), per_row, &cells)?;
    let single_series_by_row =
        series.len() == 1 && table_rows.rows.iter().any(|r| r.color.is_some());
    let legend = if single_series_by_row {
        Vec::new()
    } else {
        series
            .iter()
            .zip(&colors)
            .map(|(s, &color)| LegendEntry {
                label: s.label.clone(),
                color,
            })
            .collect()
    };
    let mut footer = footer_lines(scene, &table_rows.rows, &rows, direction)
        .with_context(|| scene.file().to_string())?;
    if cells.iter().any(|c| c.partial) {
        footer.push(format!("* {PARTIAL_NOTE}"));
    }
    let phrase = match (&style, per_row) {
        (Some(style), true) => Some(compare::verdict_phrase(style)),
        _ => direction.map(Direction::arrow_phrase),
    };
    let scale = match bar_keys {
        None => Scale::Row,
        Some(keys) => keys.scale.unwrap_or_default(),
    };
    let body = Body::Bars(Bars {
        rows,
        direction,
        scale,
    });
    let mut chart = chart(scene, phrase, legend, footer, body);
    chart.warnings = recolored.iter().map(ToString::to_string).collect();
    Ok((chart, cells))
}

/// Row `r`'s bars, one per series, and its cells. The row's direction is the scene's
/// (`given`), else that of the first cell whose metric has a known one.
fn resolve_row(
    scene: &Scene,
    (r, row): (usize, &RowSpec),
    series_colors: &[Rgb],
    given: Option<Direction>,
    per_row: bool,
    table: &Table,
) -> anyhow::Result<(ChartRow, Vec<ResolvedCell>)> {
    let file = scene.file();
    let series = &scene.common.series;
    let row_color = color(row.color.as_deref(), &format!("{file}: rows[{r}].color"))?;
    let mut direction = given;
    let mut bars = Vec::new();
    let mut cells = Vec::new();
    for (s, one) in series.iter().enumerate() {
        let at = || {
            format!(
                "{file}: rows[{r}] (\"{}\") × series[{s}] (\"{}\")",
                row.label, one.label
            )
        };
        let cell =
            resolve_cell(table, scene.common.pins(), row.pins(), one.pins()).with_context(at)?;
        if direction.is_none() {
            direction = table
                .catalog
                .direction(&cell.metric, &metric_unit(table, &cell));
        }
        let color = match (row_color, series.len()) {
            (Some(c), 1) => c,
            _ => series_colors[s],
        };
        let label = cell
            .label(&scene.common.format)
            .unwrap_or_else(|| "NA".to_string());
        bars.push(Bar {
            series: s,
            whisker: cell.whisker,
            color,
            value: cell.value,
            label,
        });
        cells.push(cell);
    }
    let label = if per_row {
        let unit = metric_unit(table, &cells[0]);
        compare::row_label(table, &row.label, &cells[0], &unit, direction)
    } else {
        row.label.clone()
    };
    let cells = cells
        .into_iter()
        .zip(series)
        .map(|(cell, series)| ResolvedCell {
            row: label.clone(),
            series: series.label.clone(),
            ..cell
        })
        .collect();
    let row = ChartRow {
        label,
        bars,
        direction,
        delta: None,
    };
    Ok((row, cells))
}

/// Footer lines that compare values need a direction, and those that count deltas need them.
fn check_footer(
    scene: &Scene,
    direction: Option<Direction>,
    deltas: bool,
    per_row: bool,
    cells: &[ResolvedCell],
) -> anyhow::Result<()> {
    let file = scene.file();
    let footer = &scene.common.footer;
    if direction.is_none()
        && let Some(template) = footer.iter().find(|t| compares(t))
    {
        let why = if per_row {
            "its rows are better in different directions, so no one value is the best".to_string()
        } else {
            unknown_direction(cells)
        };
        bail!("{file}: footer `{template}` compares values, but {why}");
    }
    if !deltas && let Some(template) = footer.iter().find(|t| compare::counts(t)) {
        bail!(
            "{file}: footer `{template}` counts rows by their delta; add `delta = true` (two series) or use `kind = \"compare\"`"
        );
    }
    Ok(())
}

fn footer_lines(
    scene: &Scene,
    specs: &[RowSpec],
    rows: &[ChartRow],
    direction: Option<Direction>,
) -> anyhow::Result<Vec<String>> {
    // Bars are named by their series, or by their row when the rows are the things compared.
    let series = &scene.common.series;
    let by_row = series.len() == 1;
    let row_names: Vec<&str> = specs
        .iter()
        .map(|r| r.name.as_deref().unwrap_or(&r.label))
        .collect();
    // The bars of row `r` that have a value, by the name footers call them.
    let row_names = &row_names;
    let named = |r: usize| {
        rows[r].bars.iter().filter_map(move |b| {
            let name = if by_row {
                row_names[r]
            } else {
                series[b.series].label.as_str()
            };
            Some(Named {
                name,
                value: b.value?,
            })
        })
    };
    let mut lines = Vec::new();
    let any_na = rows
        .iter()
        .any(|r| r.bars.iter().any(|b| b.value.is_none()));
    if any_na && !scene.common.footer.iter().any(|l| l.starts_with("NA")) {
        lines.push(NA_NOTE.to_string());
    }
    for template in &scene.common.footer {
        let template = &compare::fill_counts(template, rows);
        if template.contains("{row}") {
            let repeated = rows.iter().enumerate().filter_map(|(r, row)| {
                let values: Vec<Named> = named(r).collect();
                let line = fill(template, Some(&row.label), &values, direction)?;
                let rank = compares(template)
                    .then(|| ratio(&values, direction))
                    .flatten();
                Some(Repeated { line, rank })
            });
            lines.extend(fold_repeated(
                template,
                repeated.collect(),
                "rows",
                "the largest",
            )?);
        } else {
            let values: Vec<Named> = (0..rows.len()).flat_map(named).collect();
            lines.extend(fill(template, None, &values, direction));
        }
    }
    Ok(lines)
}
