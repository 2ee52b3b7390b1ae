//! A timeline's steps: what each animates, when it starts and how its items follow one
//! another; and the plan of steps a chart's body adds.

/// In a lagged start, each value label starts this fraction of one label's duration after the
/// previous.
pub(super) const VALUE_LAG: f64 = 0.1;

/// A step a body asks for: its kind, whether the chart has anything for it, its duration,
/// how many items it starts one after another, and the lag between them.
pub(super) type PlannedStep = (StepKind, bool, f64, usize, f64);

/// What a chart's body adds to the timeline: its steps and what they animate.
#[derive(Debug, Default)]
pub(super) struct BodyPlan {
    pub steps: Vec<PlannedStep>,
    /// Bars are started series by series, each top to bottom.
    pub rows: usize,
    /// Line and scatter charts: where each point of each series lies along the pen's way.
    pub points: Vec<Vec<f64>>,
    /// Scatter charts: each point's label fades in as item (its level) of the labels' step.
    pub label_items: Option<Vec<Vec<usize>>>,
    /// Scatter charts: which points of each series the frontier beats, and which series it
    /// beats everywhere.
    pub dominated: Vec<Vec<bool>>,
    pub all_dominated: Vec<bool>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum StepKind {
    Title,
    Subtitle,
    Metadata,
    Legend,
    Labels,
    Bars,
    Values,
    Deltas,
    Axes,
    Lines,
    Annotations,
    Footer,
}

impl StepKind {
    /// Steps that draw the frame the data is shown in, rather than the data.
    pub(super) fn opens(self) -> bool {
        matches!(
            self,
            StepKind::Title
                | StepKind::Subtitle
                | StepKind::Metadata
                | StepKind::Legend
                | StepKind::Labels
                | StepKind::Axes
        )
    }
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) struct Step {
    pub(super) kind: StepKind,
    pub(super) start: f64,
    pub(super) duration: f64,
    /// Items started one after another (1 for a step that animates everything at once).
    pub(super) items: usize,
    pub(super) lag: f64,
    /// How long things the step set off keep moving after it ends (markers the pen reached
    /// last still popping).
    pub(super) tail: f64,
}

impl Step {
    pub(super) fn end(&self) -> f64 {
        self.start + self.duration
    }

    /// When the last thing the step set off stops moving.
    pub(super) fn settled(&self) -> f64 {
        self.end() + self.tail
    }

    /// Progress (0 to 1) of item `i` at time `t`. Each item runs for `L` seconds and starts
    /// `lag × L` after the previous one, so that the last ends with the step.
    pub(super) fn progress(&self, i: usize, t: f64) -> f64 {
        let n = self.items.max(1) as f64;
        let item = self.duration / (1.0 + (n - 1.0) * self.lag);
        if item <= 0.0 {
            return if t >= self.start { 1.0 } else { 0.0 };
        }
        let start = self.start + i as f64 * self.lag * item;
        ((t - start) / item).clamp(0.0, 1.0)
    }
}
