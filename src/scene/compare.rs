//! What compare charts (and bar charts with `delta = true`) add to a bar chart: two series,
//! baseline then candidate; rows named by their metrics with their own direction; a delta per
//! row; and the footer's counts of better and worse rows.

use anyhow::bail;

use super::cell::ResolvedCell;
use super::model::{BarKeys, RowTable, Scene};
use super::parts::color;
use crate::chart::{ChartRow, Delta, DeltaStyle, Verdict};
use crate::results::{Direction, Table};

/// The placeholders that count rows by their verdict.
const COUNTS: [&str; 3] = ["{better}", "{worse}", "{rows}"];

/// The deltas' style from the scene's `[compare]`; `None` when the rows have no deltas: those
/// of a compare chart (no `bar_keys`) have, and a bar chart's with `delta = true`. Deltas need
/// exactly two series.
pub(super) fn delta_style(
    scene: &Scene,
    rows: &RowTable,
    bar_keys: Option<&BarKeys>,
) -> anyhow::Result<Option<DeltaStyle>> {
    let file = scene.file();
    let series = &scene.common.series;
    if bar_keys.is_some_and(|keys| keys.delta != Some(true)) {
        return Ok(None);
    }
    if series.len() != 2 {
        let what = if bar_keys.is_none() {
            "a compare chart"
        } else {
            "`delta = true`"
        };
        bail!(
            "{file}: {what} needs exactly two [[series]], the baseline and then the candidate; this scene has {}",
            series.len()
        );
    }
    let mut style = DeltaStyle::default();
    if let Some(spec) = &rows.compare {
        style.form = spec.delta;
        style.neutral_band = spec.neutral_band.unwrap_or(style.neutral_band);
        for (key, given, slot) in [
            ("better", &spec.better, &mut style.better),
            ("worse", &spec.worse, &mut style.worse),
            ("neutral", &spec.neutral, &mut style.neutral),
        ] {
            if let Some(c) = color(given.as_deref(), &format!("{file}: compare.{key}"))? {
                *slot = c;
            }
        }
    }
    Ok(Some(style))
}

/// The subtitle's phrase for a compare chart: what the pills' colours mean.
pub(super) fn verdict_phrase(style: &DeltaStyle) -> &'static str {
    let defaults = DeltaStyle::default();
    if (style.better, style.worse) == (defaults.better, defaults.worse) {
        "Green = better, red = worse"
    } else {
        "✓ better, ✗ worse"
    }
}

/// A compare chart's row label: the scene's, else the metric's display name with its unit; then the arrow of the row's direction.
pub(super) fn row_label(
    table: &Table,
    given: &str,
    cell: &ResolvedCell,
    unit: &str,
    direction: Option<Direction>,
) -> String {
    let name = if given.trim().is_empty() {
        let name = table.catalog.display_name(&cell.metric);
        if unit.is_empty() || name.contains(unit) {
            name
        } else {
            format!("{name} ({unit})")
        }
    } else {
        given.to_string()
    };
    match direction {
        Some(Direction::Higher) => format!("{name} ↑"),
        Some(Direction::Lower) => format!("{name} ↓"),
        None => name,
    }
}

/// The candidate (second bar) against the baseline (first) in `row`.
pub(super) fn row_delta(row: &ChartRow, style: &DeltaStyle) -> Delta {
    let value = |i: usize| row.bars.get(i).and_then(|b| b.value);
    Delta::of(value(0), value(1), row.direction, style)
}

/// One direction for the whole chart when every row that has one agrees.
pub(super) fn common_direction(rows: &[ChartRow]) -> Option<Direction> {
    let mut known = rows.iter().filter_map(|r| r.direction);
    let first = known.next()?;
    known.all(|d| d == first).then_some(first)
}

/// `{better}`, `{worse}` and `{rows}` filled with the counts of rows by verdict.
pub(super) fn fill_counts(template: &str, rows: &[ChartRow]) -> String {
    if !counts(template) {
        return template.to_string();
    }
    let count = |v: Verdict| {
        rows.iter()
            .filter(|r| r.delta.as_ref().is_some_and(|d| d.verdict == v))
            .count()
            .to_string()
    };
    template
        .replace("{better}", &count(Verdict::Better))
        .replace("{worse}", &count(Verdict::Worse))
        .replace("{rows}", &rows.len().to_string())
}

/// True when `template` counts rows by verdict, which only charts with deltas can.
pub(super) fn counts(template: &str) -> bool {
    COUNTS.iter().any(|p| template.contains(p))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::chart::Bar;
    use crate::chart::Rgb;

    fn row(base: f64, cand: f64, direction: Direction) -> ChartRow {
        let bar = |series, value| Bar {
            series,
            color: Rgb(0, 0, 0),
            value: Some(value),
            label: String::new(),
            whisker: None,
        };
        let mut row = ChartRow {
            label: String::new(),
            bars: vec![bar(0, base), bar(1, cand)],
            direction: Some(direction),
            delta: None,
        };
        row.delta = Some(row_delta(&row, &DeltaStyle::default()));
        row
    }

    #[test]
    fn footers_count_rows_by_verdict() {
        let rows = [
            row(1000.0, 1150.0, Direction::Higher),
            row(100.0, 120.0, Direction::Lower),
            row(300.0, 270.0, Direction::Lower),
            row(500.0, 500.2, Direction::Lower),
        ];
        assert_eq!(
            fill_counts(
                "AWQ is better on {better} of {rows} metrics, worse on {worse}",
                &rows
            ),
            "AWQ is better on 2 of 4 metrics, worse on 1"
        );
        assert_eq!(common_direction(&rows), None);
        assert_eq!(common_direction(&rows[1..]), Some(Direction::Lower));
        assert!(counts("{better}") && !counts("{fastest}"));
    }
}
