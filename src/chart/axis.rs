//! An axis of values, shared by line and scatter charts.

use serde::Serialize;

use crate::results::Direction;

/// An axis of values (a metric): a line chart's y axis, either axis of a scatter chart.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ValueAxis {
    /// The axis title: for a line chart the metric's unit, for a scatter chart the metric's
    /// name and unit, unless the scene says.
    pub title: String,
    /// Which way is better; `None` when neither the scene nor the metric says.
    pub direction: Option<Direction>,
    /// The axis starts at zero (or below, for negative values) rather than near the data.
    pub from_zero: bool,
    /// Tick labels: fixed decimal places (else enough for the tick step) and the text after.
    pub decimals: Option<usize>,
    pub suffix: String,
}
