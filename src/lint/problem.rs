//! What a check finds: problems of a kind, per chart, size and theme.

use serde::Serialize;

use super::elements::ElementReport;

/// What a problem is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    /// Two elements in each other's way: text over text, or text over a bar, line or marker.
    Overlap,
    /// An element not wholly inside the frame.
    OutsideFrame,
    /// Text below [`super::MIN_FONT`].
    SmallText,
    /// Text ellipsized to fit.
    Truncated,
    /// Point labels or callouts the layout found no room for.
    DroppedLabels,
    /// A plot below [`super::MIN_PLOT_SHARE`] of the frame's height.
    SmallPlot,
    /// Text below WCAG AA contrast against what it is drawn on.
    LowContrast,
    /// More panels than the frame takes: the chart does not render at this size.
    TooManyPanels,
    /// More rows than the frame holds at the smallest text: the chart does not render at this
    /// size.
    TooManyRows,
}

impl Kind {
    pub fn name(self) -> &'static str {
        match self {
            Kind::Overlap => "overlap",
            Kind::OutsideFrame => "outside_frame",
            Kind::SmallText => "small_text",
            Kind::Truncated => "truncated",
            Kind::DroppedLabels => "dropped_labels",
            Kind::SmallPlot => "small_plot",
            Kind::LowContrast => "low_contrast",
            Kind::TooManyPanels => "too_many_panels",
            Kind::TooManyRows => "too_many_rows",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub struct Problem {
    pub kind: Kind,
    pub message: String,
}

impl Problem {
    pub(super) fn new(kind: Kind, message: String) -> Problem {
        Problem { kind, message }
    }
}

/// One chart at one size in one theme: every element of its final frame and its problems.
#[derive(Debug, Clone, Serialize)]
pub struct Checked {
    pub chart: String,
    pub width: u32,
    pub height: u32,
    pub theme: &'static str,
    /// The band the plot was given between the header and the footer (left, top, right,
    /// bottom); none when the chart does not lay out at this size.
    pub plot: Option<[f64; 4]>,
    pub elements: Vec<ElementReport>,
    pub problems: Vec<Problem>,
    /// What the layout drew other than as given (not a problem): a line of more points than
    /// pixel columns drawn as each column's lowest and highest value.
    pub notes: Vec<String>,
}

/// Every chart checked at every size in every theme, in that order.
#[derive(Debug, Clone, Serialize)]
pub struct Report {
    pub charts: Vec<Checked>,
}

impl Report {
    /// Problems over every layout.
    pub fn problem_count(&self) -> usize {
        self.charts.iter().map(|c| c.problems.len()).sum()
    }
}
