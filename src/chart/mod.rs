//! The resolved chart: a title, a legend and a body (bars: rows × series; lines; or a scatter
//! of two metrics) with values, labels and colours, ready to lay out. Produced from a scene and
//! the collated table; knows nothing of pixels or time.

mod axis;
mod bars;
mod color;
mod compare;
mod lines;
mod palette;
mod scatter;
mod vision;

use serde::{Deserialize, Serialize};

use crate::results::Direction;

pub use axis::ValueAxis;
pub use bars::{Bar, Bars, ChartRow, Panel, Panels};
pub use color::Rgb;
pub use compare::{
    Delta, DeltaForm, DeltaStyle, MIN_CONTRAST, Scale, Verdict, contrast, ink_on, readable,
    signed_percent,
};
pub use lines::{
    AnnotationKind, LineAnnotation, LinePlot, LinePoint, LineSeries, PointLabels, XAxis, XKey,
    XLevel, XScale, XValue, knee, peak,
};
pub use palette::{Recolored, TAB10, avoid_verdicts, sequential};
pub use scatter::{FrontierPoint, ScatterPlot, ScatterPoint, ScatterSeries, frontier};

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LegendEntry {
    pub label: String,
    pub color: Rgb,
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
    /// How the opening unfolds: all at once so the data comes within the first second, or
    /// one step after another.
    pub pace: Pace,
}

/// How a chart's opening unfolds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Pace {
    /// For a page that loops the animation: title, legend, labels and axes fade in together
    /// within [`BLOG_OPENING`] seconds, and the data comes in the first second.
    #[default]
    Blog,
    /// For a talk: the title, subtitle, legend and labels one after another, then the data.
    Talk,
}

impl Pace {
    pub const NAMES: [&'static str; 2] = ["blog", "talk"];
}

impl std::str::FromStr for Pace {
    type Err = String;

    fn from_str(name: &str) -> Result<Pace, String> {
        match name {
            "blog" => Ok(Pace::Blog),
            "talk" => Ok(Pace::Talk),
            _ => Err(format!("unknown pace `{name}`: blog or talk")),
        }
    }
}

/// The longest a blog-paced opening takes, in seconds.
pub const BLOG_OPENING: f64 = 0.6;

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
            pace: Pace::default(),
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
    /// The title's size on a wide frame as a share of its full size: below 1 when the chart is
    /// one of a set whose titles share the size of the longest (see
    /// [`crate::layout::share_title_size`]).
    #[serde(skip)]
    pub title_scale: f32,
    /// What the reader of the scene should know about how it was drawn (a series recoloured
    /// away from a verdict's colour); printed as warnings, never drawn.
    #[serde(skip)]
    pub warnings: Vec<String>,
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

impl Body {
    /// Which way is better along the values: the bars', the y axis', or the first panel's.
    pub fn direction(&self) -> Option<Direction> {
        match self {
            Body::Bars(bars) => bars.direction,
            Body::Lines(plot) => plot.y.direction,
            Body::Scatter(plot) => plot.y.direction,
            Body::Panels(panels) => panels.panels.first().and_then(|p| p.bars.direction),
        }
    }

    /// The texts of the body, each with the place it is shown.
    pub fn texts(&self) -> Vec<(&'static str, &String)> {
        fn bar_texts(bars: &Bars) -> Vec<(&'static str, &String)> {
            bars.rows
                .iter()
                .map(|r| ("label", &r.label))
                .chain(
                    bars.rows
                        .iter()
                        .flat_map(|r| r.bars.iter().map(|b| ("value label", &b.label))),
                )
                .collect()
        }
        match self {
            Body::Bars(bars) => bar_texts(bars),
            Body::Panels(panels) => panels
                .panels
                .iter()
                .flat_map(|p| std::iter::once(("panel title", &p.title)).chain(bar_texts(&p.bars)))
                .collect(),
            Body::Lines(plot) => std::iter::once(("axis title", &plot.x.title))
                .chain(std::iter::once(("axis title", &plot.y.title)))
                .chain(plot.x.levels.iter().map(|l| ("tick label", &l.label)))
                .chain(
                    plot.series
                        .iter()
                        .flat_map(|s| s.points.iter().map(|p| ("value label", &p.label))),
                )
                .chain(plot.annotations.iter().map(|a| ("callout", &a.text)))
                .collect(),
            Body::Scatter(plot) => [("axis title", &plot.x.title), ("axis title", &plot.y.title)]
                .into_iter()
                .chain(
                    plot.series
                        .iter()
                        .flat_map(|s| s.points.iter().map(|p| ("point label", &p.label))),
                )
                .collect(),
        }
    }
}
