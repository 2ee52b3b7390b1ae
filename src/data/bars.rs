//! A bar or compare chart's data: rows × series, and each row's delta.

use crate::chart::Bars;
use crate::results::Aggregate;
use crate::scene::ResolvedCell;
use crate::terminal::{aligned_table, printable};

/// Each row of a chart with deltas: its direction, both values, and the delta.
pub(super) fn delta_rows_json(bars: &Bars, cells: &[ResolvedCell]) -> serde_json::Value {
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

pub(super) fn text_table(bars: &Bars, cells: &[ResolvedCell]) -> String {
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
