//! The steps of a bar chart (and of panels, whose rows are numbered on from panel to panel):
//! row labels, bars growing, value labels, delta pills.

use super::step::{BodyPlan, StepKind, VALUE_LAG};
use crate::chart::{ChartRow, Durations};

/// In a lagged start, each item starts this fraction of one item's duration after the previous.
const LABEL_LAG: f64 = 0.15;
const BAR_LAG: f64 = 0.1;

pub(super) fn plan(rows: &[&ChartRow], d: &Durations) -> BodyPlan {
    let n = rows.len();
    let bars_per_row = rows.iter().map(|r| r.bars.len()).max().unwrap_or(0);
    let has_deltas = rows.iter().any(|r| r.delta.is_some());
    let steps = vec![
        (StepKind::Labels, n > 0, d.labels, n, LABEL_LAG),
        (
            StepKind::Bars,
            bars_per_row > 0,
            d.bars,
            n * bars_per_row,
            BAR_LAG,
        ),
        (
            StepKind::Values,
            bars_per_row > 0,
            d.values,
            n * bars_per_row,
            VALUE_LAG,
        ),
        (StepKind::Deltas, has_deltas, d.deltas, n, VALUE_LAG),
    ];
    BodyPlan {
        steps,
        rows: n,
        ..BodyPlan::default()
    }
}
