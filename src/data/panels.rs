//! Panels' data: each panel's rows, its cells being the chart's in panel order.

use super::bars::delta_rows_json;
use crate::chart::Panels;
use crate::scene::ResolvedCell;

/// Each panel's cells: the chart's cells, which run panel by panel, row by row.
pub(super) fn panel_cells<'c>(
    panels: &Panels,
    cells: &'c [ResolvedCell],
) -> Vec<&'c [ResolvedCell]> {
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
pub(super) fn panels_json(panels: &Panels, cells: &[ResolvedCell]) -> serde_json::Value {
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
