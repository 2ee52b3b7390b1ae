//! What every kind's resolve shares: colours, the legend, which way is better, and the
//! chart's texts around its body.

use anyhow::{anyhow, bail};

use super::cell::ResolvedCell;
use super::model::Scene;
use crate::chart::{Body, Chart, LegendEntry, Rgb, TAB10};
use crate::results::{Direction, Table};

pub(super) const NA_NOTE: &str = "NA = model did not fit in GPU memory";

/// The scene's colour for each series, else matplotlib's next default.
pub(super) fn series_colors(scene: &Scene) -> anyhow::Result<Vec<Rgb>> {
    let file = scene.file();
    scene
        .common
        .series
        .iter()
        .enumerate()
        .map(|(i, s)| {
            color(s.color.as_deref(), &format!("{file}: series[{i}].color"))
                .map(|c| c.unwrap_or(TAB10[i % TAB10.len()]))
        })
        .collect()
}

/// A line or scatter chart's legend: one entry per series, none for a single one (the title
/// says what it is; a key of one entry only takes the plot's room).
pub(super) fn series_legend(scene: &Scene, colors: &[Rgb]) -> Vec<LegendEntry> {
    if scene.common.series.len() == 1 {
        return Vec::new();
    }
    scene
        .common
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
    given_direction(scene, "direction", scene.common.direction.as_deref())
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
            scene.file()
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
        title: scene.common.title.clone(),
        subtitle: match phrase {
            Some(phrase) => format!("{} · {phrase}", scene.common.subtitle),
            None => scene.common.subtitle.clone(),
        },
        metadata: scene.common.metadata.clone(),
        legend,
        footer,
        durations: scene.common.timing,
        title_scale: 1.0,
        warnings: Vec::new(),
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
