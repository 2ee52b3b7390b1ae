//! Resolving a scene against the collated table into a chart.

use std::path::PathBuf;

use anyhow::{Context, anyhow, bail};
use serde::Serialize;

use super::file::{ByFamily, Pins, Scene};
use super::footer::{Named, compares, fill};
use super::format::format_value;
use crate::chart::{Bar, Chart, ChartRow, LegendEntry, Rgb};
use crate::results::{
    Direction, PARTIAL_NOTE, ResultFile, SWEEP_FIELDS, Table, Where, cell_of, distinct,
};

/// Matplotlib's default colours, for series that name none.
const TAB10: [Rgb; 4] = [
    Rgb(0x1f, 0x77, 0xb4),
    Rgb(0xff, 0x7f, 0x0e),
    Rgb(0x2c, 0xa0, 0x2c),
    Rgb(0xd6, 0x27, 0x28),
];

const NA_NOTE: &str = "NA = model did not fit in GPU memory";

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
}

/// The chart a scene shows with `table`'s data, and where each value came from.
/// Errors name the scene file, the key and what exists instead.
pub fn resolve(scene: &Scene, table: &Table) -> anyhow::Result<(Chart, Vec<ResolvedCell>)> {
    let file = scene.path.display().to_string();
    if scene.rows.is_empty() || scene.series.is_empty() {
        bail!("{file}: a scene needs at least one [[rows]] and one [[series]]");
    }
    let series_colors: Vec<Rgb> = scene
        .series
        .iter()
        .enumerate()
        .map(|(i, s)| {
            color(s.color.as_deref(), &format!("{file}: series[{i}].color"))
                .map(|c| c.unwrap_or(TAB10[i % TAB10.len()]))
        })
        .collect::<anyhow::Result<_>>()?;
    let mut cells = Vec::new();
    let mut rows = Vec::new();
    let mut direction = match scene.direction.as_deref() {
        None => None,
        Some("higher") => Some(Direction::Higher),
        Some("lower") => Some(Direction::Lower),
        Some(other) => bail!("{file}: direction: `{other}` is neither `higher` nor `lower`"),
    };
    for (r, row) in scene.rows.iter().enumerate() {
        let row_color = color(row.color.as_deref(), &format!("{file}: rows[{r}].color"))?;
        let mut bars = Vec::new();
        for (s, series) in scene.series.iter().enumerate() {
            let at = format!(
                "{file}: rows[{r}] (\"{}\") × series[{s}] (\"{}\")",
                row.label, series.label
            );
            let cell = resolve_cell(table, scene.pins(), row.pins(), series.pins())
                .with_context(|| at.clone())?;
            // The scene's word, else the first cell whose metric has a known direction.
            if direction.is_none() {
                direction = table
                    .catalog
                    .direction(&cell.metric, &metric_unit(table, &cell));
            }
            let color = match (row_color, scene.series.len()) {
                (Some(c), 1) => c,
                _ => series_colors[s],
            };
            let label = match cell.value {
                Some(v) if cell.partial => {
                    format_value(v, scene.format.decimals, &scene.format.suffix) + "*"
                }
                Some(v) => format_value(v, scene.format.decimals, &scene.format.suffix),
                None => "NA".to_string(),
            };
            bars.push(Bar {
                series: s,
                color,
                value: cell.value,
                label,
            });
            cells.push(ResolvedCell {
                row: row.label.clone(),
                series: series.label.clone(),
                ..cell
            });
        }
        rows.push(ChartRow {
            label: row.label.clone(),
            bars,
        });
    }
    if direction.is_none()
        && let Some(template) = scene.footer.iter().find(|t| compares(t))
    {
        let mut metrics: Vec<&str> = Vec::new();
        for cell in &cells {
            if !metrics.contains(&cell.metric.as_str()) {
                metrics.push(&cell.metric);
            }
        }
        bail!(
            "{file}: footer `{template}` compares values, but which way is better for {} is not known; \
             add `direction = \"higher\"` or `direction = \"lower\"` to the scene",
            metrics
                .iter()
                .map(|m| format!("`{m}`"))
                .collect::<Vec<_>>()
                .join(", ")
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
    let chart = Chart {
        title: scene.title.clone(),
        subtitle: match direction {
            Some(d) => format!("{} · {}", scene.subtitle, d.arrow_phrase()),
            None => scene.subtitle.clone(),
        },
        metadata: scene.metadata.clone(),
        legend,
        rows,
        footer,
        direction,
        durations: scene.timing,
    };
    Ok((chart, cells))
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
fn metric_unit(table: &Table, cell: &ResolvedCell) -> String {
    if !cell.unit.is_empty() {
        return cell.unit.clone();
    }
    table
        .benchmark(&cell.benchmark)
        .and_then(|b| b.runs.iter().find_map(|r| r.get(&cell.metric)))
        .map(|r| r.unit.clone())
        .unwrap_or_default()
}

fn color(value: Option<&str>, key: &str) -> anyhow::Result<Option<Rgb>> {
    match value {
        None => Ok(None),
        Some(v) => Rgb::parse(v).map(Some).ok_or_else(|| {
            anyhow!("{key}: `{v}` is not a colour; expected `#rrggbb`, e.g. `#1f77b4`")
        }),
    }
}

/// Merges scene ← row ← series pins; a row and a series may not pin the same thing differently.
fn resolve_cell(
    table: &Table,
    scene: Pins,
    row: Pins,
    series: Pins,
) -> anyhow::Result<ResolvedCell> {
    let family = pick("family", scene.family, row.family, series.family)?;
    let gpu = pick("gpu", scene.gpu, row.gpu, series.gpu)?
        .ok_or_else(|| anyhow!("no `gpu` pinned on the scene, row or series"))?;
    let benchmark = pick_by_family(
        "benchmark",
        scene.benchmark,
        row.benchmark,
        series.benchmark,
        family,
    )?
    .ok_or_else(|| anyhow!("no `benchmark` pinned on the scene, row or series"))?;
    let Some(found) = table.benchmark(&benchmark) else {
        let known: Vec<&str> = table
            .benchmarks
            .iter()
            .filter(|b| family.is_none_or(|f| b.family == f))
            .map(|b| b.id.as_str())
            .collect();
        bail!(
            "benchmark: no benchmark `{benchmark}` in the results; there are: {}",
            known.join(", ")
        );
    };
    if let Some(f) = family
        && f != found.family
    {
        bail!(
            "family: `{f}` is pinned but benchmark `{benchmark}` is of family `{}`",
            found.family
        );
    }
    if !table.gpus.iter().any(|g| g == gpu) {
        bail!(
            "gpu: no results for GPU `{gpu}`; GPUs with results: {}",
            table.gpus.join(", ")
        );
    }
    let metric = pick_by_family(
        "metric",
        scene.metric,
        row.metric,
        series.metric,
        Some(&found.family),
    )?
    .ok_or_else(|| anyhow!("no `metric` pinned on the scene, row or series"))?;
    if !found.all_metrics().contains(&metric) {
        bail!(
            "metric: benchmark `{benchmark}` has no metric `{metric}`; it has: {}",
            found.headline_metrics(&table.catalog).join(", ")
        );
    }
    let wanted = merge_where(scene.where_, row.where_, series.where_)?;
    let runs: Vec<&ResultFile> = found.runs_where(gpu, &wanted).collect();
    if runs.is_empty() && !wanted.is_empty() && found.latest(gpu).is_some() {
        let (field, _) = wanted.0.iter().next().expect("where is not empty");
        let has = distinct(found.runs.iter().filter(|r| r.gpu == gpu), field);
        bail!(
            "where: no run of `{benchmark}` on `{gpu}` has {wanted}; {}",
            if has.is_empty() {
                format!("its runs have no `{field}`")
            } else {
                format!("it has {field} {}", has.join(", "))
            }
        );
    }
    let cell = runs.first().and_then(|run| cell_of(run, &metric));
    Ok(ResolvedCell {
        row: String::new(),
        series: String::new(),
        ambiguous: ambiguity(&runs, &wanted),
        run: cell.as_ref().and(runs.first().map(|r| r.path.clone())),
        where_: wanted,
        benchmark,
        gpu: gpu.to_string(),
        value: cell.as_ref().map(|c| c.value),
        partial: cell.as_ref().is_some_and(|c| c.partial),
        unit: table
            .catalog
            .unit(&metric, &cell.map(|c| c.unit).unwrap_or_default())
            .to_string(),
        metric,
    })
}

/// Scene, row and series `where` merged, most specific last; the row and the series may not
/// want different values of one field.
fn merge_where(scene: &Where, row: &Where, series: &Where) -> anyhow::Result<Where> {
    for (field, r) in &row.0 {
        if let Some(s) = series.0.get(field)
            && r != s
        {
            bail!("where.{field}: the row pins `{r}` and the series pins `{s}`");
        }
    }
    Ok(scene.and(row).and(series))
}

/// Why the cell's run may not be the one meant: `runs` (the candidates, the shown one first)
/// differ in a sweep field that `wanted` does not pin.
fn ambiguity(runs: &[&ResultFile], wanted: &Where) -> Option<String> {
    let shown = runs.first()?;
    SWEEP_FIELDS.iter().find_map(|&field| {
        if wanted.pins(field) {
            return None;
        }
        let values = distinct(runs.iter().copied(), field);
        (values.len() > 1).then(|| {
            let this = shown.field(field).map_or("none".into(), |v| v.to_text());
            format!(
                "shows the newest run ({field} = {this}) among runs with {field} {}; pin `where = {{ {field} = … }}`",
                values.join(", ")
            )
        })
    })
}

fn pick<'a>(
    key: &str,
    scene: Option<&'a str>,
    row: Option<&'a str>,
    series: Option<&'a str>,
) -> anyhow::Result<Option<&'a str>> {
    if let (Some(r), Some(s)) = (row, series)
        && r != s
    {
        bail!("{key}: the row pins `{r}` and the series pins `{s}`");
    }
    Ok(series.or(row).or(scene))
}

fn pick_by_family(
    key: &str,
    scene: Option<&ByFamily>,
    row: Option<&ByFamily>,
    series: Option<&ByFamily>,
    family: Option<&str>,
) -> anyhow::Result<Option<String>> {
    let one = |v: Option<&ByFamily>| -> anyhow::Result<Option<String>> {
        match v {
            None => Ok(None),
            Some(ByFamily::One(s)) => Ok(Some(s.clone())),
            Some(ByFamily::PerFamily(map)) => {
                let Some(f) = family else {
                    bail!(
                        "{key} is given per family ({}) but no `family` is pinned",
                        map.keys().cloned().collect::<Vec<_>>().join(", ")
                    );
                };
                map.get(f).cloned().map(Some).ok_or_else(|| {
                    anyhow!(
                        "{key} has no entry for family `{f}`; it has: {}",
                        map.keys().cloned().collect::<Vec<_>>().join(", ")
                    )
                })
            }
        }
    };
    let (scene, row, series) = (one(scene)?, one(row)?, one(series)?);
    Ok(pick(key, scene.as_deref(), row.as_deref(), series.as_deref())?.map(str::to_string))
}
