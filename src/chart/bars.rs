//! A bar chart's body: rows of bars, one per series, and the panels that hold several.

use serde::Serialize;

use super::{Delta, Rgb, Scale};
use crate::results::Direction;

/// One bar: a cell of the grid.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Bar {
    /// Index into the chart's series.
    pub series: usize,
    pub color: Rgb,
    /// `None`: the GPU has no result here (NA), drawn as missing.
    pub value: Option<f64>,
    /// The value as shown: `4,849`, `897 ± 7` or `NA`.
    pub label: String,
    /// Where the whisker over repeated runs starts and ends (`spread`), if it has one.
    pub whisker: Option<(f64, f64)>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ChartRow {
    pub label: String,
    pub bars: Vec<Bar>,
    /// Which way is better for this row's metric, when rows have metrics of their own (a
    /// compare chart); else the chart's.
    pub direction: Option<Direction>,
    /// The second bar against the first, when the chart shows deltas.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub delta: Option<Delta>,
}

/// The panels of a chart, in reading order.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Panels {
    pub panels: Vec<Panel>,
    /// Panels per row of the grid, when the scene says; else the layout picks by the frame.
    pub columns: Option<usize>,
}

/// One panel: its heading and its bars.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Panel {
    /// The panel's title, and on a second line which way is better when known.
    pub title: String,
    pub bars: Bars,
    /// The scene's `{panel}` footer lines as they read for this panel, drawn under its bars.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<String>,
}

impl Panels {
    /// Every panel's rows, numbered on from the previous panel's: how layout and timeline
    /// name them.
    pub fn row_offsets(&self) -> Vec<usize> {
        let mut at = 0;
        self.panels
            .iter()
            .map(|p| {
                let first = at;
                at += p.bars.rows.len();
                first
            })
            .collect()
    }
}

/// The grid of a bar chart.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Bars {
    pub rows: Vec<ChartRow>,
    /// Which way is better; `None` when neither the scene nor the metric says, or when rows
    /// have directions of their own.
    pub direction: Option<Direction>,
    pub scale: Scale,
}

impl Bar {
    /// How far along the scale the bar reaches: its value, or its whisker's end past it.
    pub fn reach(&self) -> Option<f64> {
        let value = self.value?;
        Some(self.whisker.map_or(value, |(_, hi)| hi.max(value)))
    }
}

impl ChartRow {
    /// The furthest any of the row's bars or whiskers reaches.
    pub fn reach(&self) -> f64 {
        self.bars.iter().filter_map(Bar::reach).fold(0.0, f64::max)
    }
}

impl Bars {
    /// The furthest any bar or whisker reaches: the full width of the bars.
    pub fn max_value(&self) -> f64 {
        self.rows.iter().map(ChartRow::reach).fold(0.0, f64::max)
    }

    /// The value that spans the bars' width in each row: the chart's furthest reach, or the
    /// row's own with a scale per row.
    pub fn full_scales(&self) -> Vec<f64> {
        match self.scale {
            Scale::Chart => vec![self.max_value(); self.rows.len()],
            Scale::Row => self.rows.iter().map(ChartRow::reach).collect(),
        }
    }

    /// True when some row has a delta pill.
    pub fn has_deltas(&self) -> bool {
        self.rows.iter().any(|r| r.delta.is_some())
    }
}
