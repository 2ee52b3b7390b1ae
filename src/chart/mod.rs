//! The resolved chart: a title, a legend and a body (bars: rows × series; lines; or a scatter
//! of two metrics) with values, labels and colours, ready to lay out. Produced from a scene and
//! the collated table; knows nothing of pixels or time.

mod compare;
mod lines;
mod scatter;

use serde::{Deserialize, Serialize};

use crate::results::Direction;

pub use compare::{
    Delta, DeltaForm, DeltaStyle, MIN_CONTRAST, Scale, Verdict, contrast, readable, signed_percent,
};
pub use lines::{
    AnnotationKind, LineAnnotation, LinePlot, LinePoint, LineSeries, PointLabels, XAxis, XKey,
    XLevel, XScale, XValue, knee, peak,
};
pub use scatter::{FrontierPoint, ScatterPlot, ScatterPoint, ScatterSeries, frontier};

/// An sRGB colour.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Rgb(pub u8, pub u8, pub u8);

impl Rgb {
    /// `#1f77b4` or `1f77b4`.
    pub fn parse(s: &str) -> Option<Rgb> {
        let hex = s.trim().strip_prefix('#').unwrap_or(s.trim());
        if hex.len() != 6 || !hex.chars().all(|c| c.is_ascii_hexdigit()) {
            return None;
        }
        let byte = |i: usize| u8::from_str_radix(&hex[i..i + 2], 16).ok();
        Some(Rgb(byte(0)?, byte(2)?, byte(4)?))
    }

    pub fn hex(self) -> String {
        format!("#{:02x}{:02x}{:02x}", self.0, self.1, self.2)
    }
}

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

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LegendEntry {
    pub label: String,
    pub color: Rgb,
}

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

/// How long each step of the animation takes, in seconds at 1x speed.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Durations {
    pub title: f64,
    pub subtitle: f64,
    pub metadata: f64,
    pub legend: f64,
    pub labels: f64,
    pub bars: f64,
    pub values: f64,
    /// Compare charts and bar charts with `delta = true`: the delta pills fade in, lagged.
    pub deltas: f64,
    /// Line charts: the axes fade in, the pen draws the lines, then peak and knee are called out.
    /// Scatter charts: the axes fade in, the points pop in their order (`lines`), their labels
    /// fade in (`values`), then the frontier is drawn (`annotations`).
    pub axes: f64,
    pub lines: f64,
    pub annotations: f64,
    pub footer: f64,
    /// The still at the end.
    pub hold: f64,
    pub fadeout: f64,
    /// The short pause between steps.
    pub wait: f64,
}

impl Default for Durations {
    fn default() -> Self {
        Durations {
            title: 0.6,
            subtitle: 0.4,
            metadata: 0.4,
            legend: 0.4,
            labels: 1.2,
            bars: 2.0,
            values: 0.8,
            deltas: 0.6,
            axes: 0.6,
            lines: 2.5,
            annotations: 0.8,
            footer: 0.4,
            hold: 3.0,
            fadeout: 0.8,
            wait: 0.2,
        }
    }
}

/// Everything that is drawn, with its text already formatted.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Chart {
    pub title: String,
    /// Includes the direction phrase when the direction is known, e.g.
    /// `Input Tokens per Second (tok/s) · ↑ Higher is better`.
    pub subtitle: String,
    pub metadata: Vec<String>,
    /// Empty when there is one series and bars are coloured per row.
    pub legend: Vec<LegendEntry>,
    pub footer: Vec<String>,
    pub durations: Durations,
    /// What is plotted between the header and the footer.
    #[serde(flatten)]
    pub body: Body,
}

/// The plot of a chart: one kind per chart.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind")]
pub enum Body {
    /// Rows × series of horizontal bars.
    #[serde(rename = "bars")]
    Bars(Bars),
    /// Sweeps drawn as curves over a shared x axis.
    #[serde(rename = "line")]
    Lines(LinePlot),
    /// Two metrics against each other, one point per level of a config field.
    #[serde(rename = "scatter")]
    Scatter(ScatterPlot),
    /// Small multiples: bar charts side by side, sharing rows, series and legend.
    #[serde(rename = "panels")]
    Panels(Panels),
}

/// The panels of a chart, in reading order.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Panels {
    pub panels: Vec<Panel>,
    /// Panels per row of the grid.
    pub columns: usize,
}

/// One panel: its heading and its bars.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Panel {
    /// The panel's title, and on a second line which way is better when known.
    pub title: String,
    pub bars: Bars,
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

    /// The most panels that lay out on a `width × height` frame: 8 from 1280×720 up, else 4.
    pub fn max_on(width: u32, height: u32) -> usize {
        if width >= 1280 && height >= 720 { 8 } else { 4 }
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

impl Chart {
    /// The bars of a bar chart.
    pub fn bars(&self) -> Option<&Bars> {
        match &self.body {
            Body::Bars(bars) => Some(bars),
            _ => None,
        }
    }

    pub fn bars_mut(&mut self) -> Option<&mut Bars> {
        match &mut self.body {
            Body::Bars(bars) => Some(bars),
            _ => None,
        }
    }

    /// The lines of a line chart.
    pub fn lines(&self) -> Option<&LinePlot> {
        match &self.body {
            Body::Lines(lines) => Some(lines),
            _ => None,
        }
    }

    /// The panels of a chart of panels.
    pub fn panels(&self) -> Option<&Panels> {
        match &self.body {
            Body::Panels(panels) => Some(panels),
            _ => None,
        }
    }

    /// The points of a scatter chart.
    pub fn scatter(&self) -> Option<&ScatterPlot> {
        match &self.body {
            Body::Scatter(scatter) => Some(scatter),
            _ => None,
        }
    }

    /// True when the series are drawn as lines, so their legend keys are short lines too.
    pub fn draws_lines(&self) -> bool {
        match &self.body {
            Body::Bars(_) | Body::Panels(_) => false,
            Body::Lines(_) => true,
            Body::Scatter(scatter) => scatter.connect,
        }
    }
}
