//! Resolving a scene against the collated table into a chart.

use std::path::PathBuf;

use anyhow::{Context, anyhow, bail};
use serde::Serialize;

use super::compare;
use super::file::{Kind, Pins, Scene, ValueFormat};
use super::footer::{Named, compares, fill};
use super::format::{format_spread, format_value};
use super::generate;
use super::select::{Selection, select};
use crate::chart::{Bar, Bars, Body, Chart, ChartRow, LegendEntry, Rgb, Scale, XValue};
use crate::results::{
    Aggregate, Direction, Measured, PARTIAL_NOTE, ResultFile, SWEEP_FIELDS, Spread, Table, Where,
    distinct,
};

/// Matplotlib's default colours, for series that name none and generated rows.
pub(super) const TAB10: [Rgb; 10] = [
    Rgb(0x1f, 0x77, 0xb4),
    Rgb(0xff, 0x7f, 0x0e),
    Rgb(0x2c, 0xa0, 0x2c),
    Rgb(0xd6, 0x27, 0x28),
    Rgb(0x94, 0x67, 0xbd),
    Rgb(0x8c, 0x56, 0x4b),
    Rgb(0xe3, 0x77, 0xc2),
    Rgb(0x7f, 0x7f, 0x7f),
    Rgb(0xbc, 0xbd, 0x22),
    Rgb(0x17, 0xbe, 0xcf),
];

pub(super) const NA_NOTE: &str = "NA = model did not fit in GPU memory";

/// Where a cell's value came from, for `benchanim data`.
#[derive(Debug, Clone, Serialize)]
pub struct ResolvedCell {
    pub row: String,
    pub series: String,
    pub benchmark: String,
    pub gpu: String,
    pub metric: String,
    pub value: Option<f64>,
    pub unit: String,
    /// The value is from a run that did not finish (no complete run exists).
    pub partial: bool,
    /// The result file the value comes from.
    pub run: Option<PathBuf>,
    /// The config fields its run was chosen by.
    #[serde(rename = "where", skip_serializing_if = "Where::is_empty")]
    pub where_: Where,
    /// Set when runs differing in a sweep field could have given the value (see `ambiguity`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ambiguous: Option<String>,
    /// A point of a line or scatter chart: the value of the field that makes it (a line's x,
    /// a scatter's `order`); its `where` is the series' plus this.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub level: Option<XValue>,
    /// A point of a line or scatter chart: every run at its level, newest first (`run` is the
    /// one shown).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub runs: Vec<PathBuf>,
    /// How many runs measured the value: the run that counts and those that repeat it (0 for
    /// NA).
    pub n: usize,
    /// How the value was made from them (left out for `newest`).
    #[serde(skip_serializing_if = "is_newest")]
    pub aggregate: Aggregate,
    /// Over those runs, when there are several: the smallest and largest value and the sample
    /// standard deviation.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub min: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub stdev: Option<f64>,
    /// The spread the scene asks for (left out for none), and where its whisker starts and
    /// ends when there are several runs.
    #[serde(skip_serializing_if = "is_none")]
    pub spread: Spread,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub whisker: Option<(f64, f64)>,
}

fn is_newest(aggregate: &Aggregate) -> bool {
    *aggregate == Aggregate::Newest
}

fn is_none(spread: &Spread) -> bool {
    *spread == Spread::None
}

impl ResolvedCell {
    /// The value of `metric` that `runs` (the selection's, or those at a level; the one that
    /// counts first) give by the selection's `aggregate`, and where it came from. Row, series,
    /// level and runs are left for the caller.
    pub(super) fn measure(
        table: &Table,
        selection: &Selection,
        runs: &[&ResultFile],
        wanted: Where,
        metric: &str,
    ) -> ResolvedCell {
        let measured = Measured::of(runs, metric, selection.aggregate);
        let several = measured.as_ref().filter(|m| m.n > 1);
        ResolvedCell {
            row: String::new(),
            series: String::new(),
            benchmark: selection.benchmark.id.clone(),
            gpu: selection.gpu.clone(),
            metric: metric.to_string(),
            value: measured.as_ref().map(|m| m.value),
            unit: table
                .catalog
                .unit(metric, measured.as_ref().map_or("", |m| m.unit.as_str()))
                .to_string(),
            partial: measured.as_ref().is_some_and(|m| m.partial),
            run: measured.as_ref().and(runs.first().map(|r| r.path.clone())),
            ambiguous: ambiguity(runs, &wanted, selection.aggregate),
            where_: wanted,
            level: None,
            runs: Vec::new(),
            n: measured.as_ref().map_or(0, |m| m.n),
            aggregate: selection.aggregate,
            min: several.map(|m| m.min),
            max: several.map(|m| m.max),
            stdev: several.and_then(|m| m.stdev),
            spread: selection.spread,
            whisker: measured.as_ref().and_then(|m| m.whisker(selection.spread)),
        }
    }

    /// The value as a chart labels it: `4,849`, `897 ± 7` with a spread of a standard deviation,
    /// `*` after a partial run's.
    pub(super) fn label(&self, format: &ValueFormat) -> Option<String> {
        let value = self.value?;
        let text = match (self.spread, self.stdev) {
            (Spread::Stdev, Some(sd)) => format_spread(value, sd, format.decimals, &format.suffix),
            _ => format_value(value, format.decimals, &format.suffix),
        };
        Some(if self.partial { text + "*" } else { text })
    }
}

/// The chart a scene shows with `table`'s data, and where each value came from.
/// Errors name the scene file, the key and what exists instead.
pub fn resolve(scene: &Scene, table: &Table) -> anyhow::Result<(Chart, Vec<ResolvedCell>)> {
    let scene = generate::expand(scene, table)?;
    if scene.panels.is_empty() {
        resolve_ordered(&scene, table)
    } else {
        super::panels::resolve_panels(&scene, table)
    }
}

/// The chart of an expanded scene, its rows in the order asked for.
pub(super) fn resolve_ordered(
    scene: &Scene,
    table: &Table,
) -> anyhow::Result<(Chart, Vec<ResolvedCell>)> {
    let (mut chart, mut cells) = resolve_kind(scene, table)?;
    // Orders that need the values: resolved once to find them, then again in that order.
    let mut scene = std::borrow::Cow::Borrowed(scene);
    if let Some(reordered) = generate::by_value(&scene, &chart, &cells)? {
        scene = std::borrow::Cow::Owned(reordered);
        (chart, cells) = resolve_kind(&scene, table)?;
    }
    if let Some(sorted) = super::sort::sorted(&scene, &chart)? {
        (chart, cells) = resolve_kind(&sorted, table)?;
    }
    Ok((chart, cells))
}

fn resolve_kind(scene: &Scene, table: &Table) -> anyhow::Result<(Chart, Vec<ResolvedCell>)> {
    match scene.kind {
        Kind::Bars | Kind::Compare => resolve_bars(scene, table),
        Kind::Line => super::lines::resolve_lines(scene, table),
        Kind::Scatter => super::scatter::resolve_scatter(scene, table),
    }
}

fn resolve_bars(scene: &Scene, table: &Table) -> anyhow::Result<(Chart, Vec<ResolvedCell>)> {
    let file = scene.path.display().to_string();
    if scene.rows.is_empty() || scene.series.is_empty() {
        bail!("{file}: a scene needs at least one [[rows]] and one [[series]]");
    }
    let series_colors = series_colors(scene)?;
    let style = compare::delta_style(scene)?;
    // A compare chart's rows each have a metric, and so a direction, of their own.
    let per_row = scene.kind == Kind::Compare;
    let given = scene_direction(scene)?;
    let mut cells = Vec::new();
    let mut rows = Vec::new();
    let mut direction = given;
    for (r, row) in scene.rows.iter().enumerate() {
        let row_color = color(row.color.as_deref(), &format!("{file}: rows[{r}].color"))?;
        let mut bars = Vec::new();
        let mut row_direction = given;
        let mut row_cells = Vec::new();
        for (s, series) in scene.series.iter().enumerate() {
            let at = format!(
                "{file}: rows[{r}] (\"{}\") × series[{s}] (\"{}\")",
                row.label, series.label
            );
            let cell = resolve_cell(table, scene.pins(), row.pins(), series.pins())
                .with_context(|| at.clone())?;
            // The scene's word, else the first cell whose metric has a known direction.
            let known = || {
                table
                    .catalog
                    .direction(&cell.metric, &metric_unit(table, &cell))
            };
            if direction.is_none() {
                direction = known();
            }
            if row_direction.is_none() {
                row_direction = known();
            }
            let color = match (row_color, scene.series.len()) {
                (Some(c), 1) => c,
                _ => series_colors[s],
            };
            let label = cell
                .label(&scene.format)
                .unwrap_or_else(|| "NA".to_string());
            bars.push(Bar {
                series: s,
                whisker: cell.whisker,
                color,
                value: cell.value,
                label,
            });
            row_cells.push(cell);
        }
        let label = if per_row {
            let unit = metric_unit(table, &row_cells[0]);
            compare::row_label(table, &row.label, &row_cells[0], &unit, row_direction)
        } else {
            row.label.clone()
        };
        cells.extend(
            row_cells
                .into_iter()
                .zip(&scene.series)
                .map(|(cell, series)| ResolvedCell {
                    row: label.clone(),
                    series: series.label.clone(),
                    ..cell
                }),
        );
        rows.push(ChartRow {
            label,
            bars,
            direction: if per_row { row_direction } else { None },
            delta: None,
        });
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
    if direction.is_none()
        && let Some(template) = scene.footer.iter().find(|t| compares(t))
    {
        let why = if per_row {
            "its rows are better in different directions, so no one value is the best".to_string()
        } else {
            unknown_direction(&cells)
        };
        bail!("{file}: footer `{template}` compares values, but {why}");
    }
    if style.is_none()
        && let Some(template) = scene.footer.iter().find(|t| compare::counts(t))
    {
        bail!(
            "{file}: footer `{template}` counts rows by their delta; add `delta = true` (two series) or use `kind = \"compare\"`"
        );
    }
    let single_series_by_row =
        scene.series.len() == 1 && scene.rows.iter().any(|r| r.color.is_some());
    let legend = if single_series_by_row {
        Vec::new()
    } else {
        scene
            .series
            .iter()
            .zip(&series_colors)
            .map(|(s, &color)| LegendEntry {
                label: s.label.clone(),
                color,
            })
            .collect()
    };
    let mut footer = footer_lines(scene, &rows, direction);
    if cells.iter().any(|c| c.partial) {
        footer.push(format!("* {PARTIAL_NOTE}"));
    }
    let phrase = match (&style, per_row) {
        (Some(style), true) => Some(compare::verdict_phrase(style)),
        _ => direction.map(Direction::arrow_phrase),
    };
    let scale = if per_row {
        Scale::Row
    } else {
        scene.scale.unwrap_or_default()
    };
    let body = Body::Bars(Bars {
        rows,
        direction,
        scale,
    });
    Ok((chart(scene, phrase, legend, footer, body), cells))
}

/// The scene's colour for each series, else matplotlib's next default.
pub(super) fn series_colors(scene: &Scene) -> anyhow::Result<Vec<Rgb>> {
    let file = scene.path.display();
    scene
        .series
        .iter()
        .enumerate()
        .map(|(i, s)| {
            color(s.color.as_deref(), &format!("{file}: series[{i}].color"))
                .map(|c| c.unwrap_or(TAB10[i % TAB10.len()]))
        })
        .collect()
}

/// A line or scatter chart's legend: one entry per series, none for a single unnamed one.
pub(super) fn series_legend(scene: &Scene, colors: &[Rgb]) -> Vec<LegendEntry> {
    if scene.series.len() == 1 && scene.series[0].label.trim().is_empty() {
        return Vec::new();
    }
    scene
        .series
        .iter()
        .zip(colors)
        .map(|(s, &color)| LegendEntry {
            label: s.label.clone(),
            color,
        })
        .collect()
}

/// The scene's `direction`, if it gives one.
pub(super) fn scene_direction(scene: &Scene) -> anyhow::Result<Option<Direction>> {
    given_direction(scene, "direction", scene.direction.as_deref())
}

/// A direction the scene gives under `key`, if it does.
pub(super) fn given_direction(
    scene: &Scene,
    key: &str,
    value: Option<&str>,
) -> anyhow::Result<Option<Direction>> {
    match value {
        None => Ok(None),
        Some("higher") => Ok(Some(Direction::Higher)),
        Some("lower") => Ok(Some(Direction::Lower)),
        Some(other) => bail!(
            "{}: {key}: `{other}` is neither `higher` nor `lower`",
            scene.path.display()
        ),
    }
}

/// The chart of `scene` with its body: the scene's texts and timing, and `phrase` (which way
/// is better, when known) after the subtitle.
pub(super) fn chart(
    scene: &Scene,
    phrase: Option<&str>,
    legend: Vec<LegendEntry>,
    footer: Vec<String>,
    body: Body,
) -> Chart {
    Chart {
        title: scene.title.clone(),
        subtitle: match phrase {
            Some(phrase) => format!("{} · {phrase}", scene.subtitle),
            None => scene.subtitle.clone(),
        },
        metadata: scene.metadata.clone(),
        legend,
        footer,
        durations: scene.timing,
        body,
    }
}

/// Says that which way is better is not known for the cells' metrics, and how to tell.
pub(super) fn unknown_direction(cells: &[ResolvedCell]) -> String {
    let mut metrics: Vec<&str> = Vec::new();
    for cell in cells {
        if !metrics.contains(&cell.metric.as_str()) {
            metrics.push(&cell.metric);
        }
    }
    format!(
        "which way is better for {} is not known; add `direction = \"higher\"` or `direction = \"lower\"` to the scene",
        metrics
            .iter()
            .map(|m| format!("`{m}`"))
            .collect::<Vec<_>>()
            .join(", ")
    )
}

fn footer_lines(scene: &Scene, rows: &[ChartRow], direction: Option<Direction>) -> Vec<String> {
    // Bars are named by their series, or by their row when the rows are the things compared.
    let by_row = scene.series.len() == 1;
    let row_names: Vec<&str> = scene
        .rows
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
                scene.series[b.series].label.as_str()
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
    if any_na && !scene.footer.iter().any(|l| l.starts_with("NA")) {
        lines.push(NA_NOTE.to_string());
    }
    for template in &scene.footer {
        let template = &compare::fill_counts(template, rows);
        if template.contains("{row}") {
            for (r, row) in rows.iter().enumerate() {
                let values: Vec<Named> = named(r).collect();
                lines.extend(fill(template, Some(&row.label), &values, direction));
            }
        } else {
            let values: Vec<Named> = (0..rows.len()).flat_map(named).collect();
            lines.extend(fill(template, None, &values, direction));
        }
    }
    lines
}

/// The cell's unit, or for an NA cell the unit another run of the benchmark gives the metric.
pub(super) fn metric_unit(table: &Table, cell: &ResolvedCell) -> String {
    if !cell.unit.is_empty() {
        return cell.unit.clone();
    }
    table
        .benchmark(&cell.benchmark)
        .and_then(|b| b.runs.iter().find_map(|r| r.get(&cell.metric)))
        .map(|r| r.unit.clone())
        .unwrap_or_default()
}

pub(super) fn color(value: Option<&str>, key: &str) -> anyhow::Result<Option<Rgb>> {
    match value {
        None => Ok(None),
        Some(v) => Rgb::parse(v).map(Some).ok_or_else(|| {
            anyhow!("{key}: `{v}` is not a colour; expected `#rrggbb`, e.g. `#1f77b4`")
        }),
    }
}

/// The cell the merged pins select: the value of the run that counts, or of it and its
/// repeats.
fn resolve_cell(
    table: &Table,
    scene: Pins,
    row: Pins,
    series: Pins,
) -> anyhow::Result<ResolvedCell> {
    let selection = select(table, scene, row, series)?;
    let wanted = selection.wanted.clone();
    Ok(ResolvedCell::measure(
        table,
        &selection,
        &selection.runs,
        wanted,
        &selection.metric,
    ))
}

/// Why the cell's run may not be the one meant: `runs` (the candidates, the shown one first)
/// differ in a sweep field that `wanted` does not pin. Runs that differ only in their repeat's
/// number are what an aggregate other than `newest` is for.
pub(super) fn ambiguity(
    runs: &[&ResultFile],
    wanted: &Where,
    aggregate: Aggregate,
) -> Option<String> {
    let shown = runs.first()?;
    SWEEP_FIELDS.iter().find_map(|&field| {
        let repeat = field == "iteration";
        if wanted.pins(field) || repeat && aggregate != Aggregate::Newest {
            return None;
        }
        let values = distinct(runs.iter().copied(), field);
        (values.len() > 1).then(|| {
            let this = shown.field(field).map_or("none".into(), |v| v.to_text());
            let hint = if repeat {
                "aggregate them with `aggregate = \"mean\"`".to_string()
            } else {
                format!("pin `where = {{ {field} = … }}`")
            };
            format!(
                "shows the newest run ({field} = {this}) among runs with {field} {}; {hint}",
                values.join(", ")
            )
        })
    })
}
