//! The cells of line and scatter charts' points, found once by series and level, and the
//! heading each series' table gets.

use std::collections::HashMap;
use std::fmt::Write;

use crate::chart::{XKey, XValue};
use crate::scene::ResolvedCell;
use crate::terminal::printable;

/// The cells of a chart's points by series and level (for a scatter chart, its y metric's):
/// found once, so printing stays linear in the points.
pub(super) struct PointCells<'c>(HashMap<&'c str, HashMap<XKey, &'c ResolvedCell>>);

impl<'c> PointCells<'c> {
    pub(super) fn of(cells: &'c [ResolvedCell]) -> PointCells<'c> {
        let mut map: HashMap<&str, HashMap<XKey, &ResolvedCell>> = HashMap::new();
        for cell in cells {
            if let Some(level) = &cell.level {
                // The first cell of a point is its own, as a search from the start finds.
                map.entry(cell.series.as_str())
                    .or_default()
                    .entry(level.key())
                    .or_insert(cell);
            }
        }
        PointCells(map)
    }

    /// The cell a point of `series` at `level` comes from.
    pub(super) fn get(&self, series: &str, level: &XValue) -> Option<&'c ResolvedCell> {
        self.0.get(series)?.get(&level.key()).copied()
    }
}

/// A blank line between series, then the series' label when it has one.
pub(super) fn series_heading(out: &mut String, index: usize, label: &str) {
    if index > 0 {
        out.push('\n');
    }
    if !label.is_empty() {
        let _ = writeln!(out, "{}", printable(label));
    }
}
