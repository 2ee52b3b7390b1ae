//! Timeline: when each element appears and how, as a pure function of time.
//!
//! The steps play one after another with a short wait between them, as in manim: the title
//! fades in sliding down, then subtitle, metadata, legend; row labels fade in sliding right with
//! a lagged start; bars grow from zero (ease-out cubic) with a lagged start; value labels fade
//! in, lagged; the footer fades in; everything holds, and optionally fades out.

use crate::chart::{Chart, Durations};
use crate::layout::ElementId;

/// How far the title drops while fading in, in frame heights.
const TITLE_DROP: f32 = 0.025;
/// How far row labels travel rightwards while fading in, in frame heights.
const LABEL_TRAVEL: f32 = 0.03;
/// In a lagged start, each item starts this fraction of one item's duration after the previous.
const LABEL_LAG: f64 = 0.15;
const BAR_LAG: f64 = 0.1;
const VALUE_LAG: f64 = 0.1;

/// How an element looks at one moment.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ElementState {
    /// 0 (invisible) to 1.
    pub opacity: f32,
    /// Displacement from the element's place in the layout, in frame heights (x right, y down).
    pub shift: (f32, f32),
    /// How much of a bar has grown, 0 to 1 (1 for everything that is not a bar).
    pub grow: f32,
}

impl ElementState {
    pub const HIDDEN: ElementState = ElementState {
        opacity: 0.0,
        shift: (0.0, 0.0),
        grow: 0.0,
    };
    pub const SHOWN: ElementState = ElementState {
        opacity: 1.0,
        shift: (0.0, 0.0),
        grow: 1.0,
    };
}

/// manim's `smooth`-like ease for fades: slow start, slow end.
pub fn ease_in_out_cubic(p: f64) -> f64 {
    let p = p.clamp(0.0, 1.0);
    if p < 0.5 {
        4.0 * p * p * p
    } else {
        1.0 - (-2.0 * p + 2.0).powi(3) / 2.0
    }
}

/// Fast start, gentle landing: how bars grow.
pub fn ease_out_cubic(p: f64) -> f64 {
    1.0 - (1.0 - p.clamp(0.0, 1.0)).powi(3)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum StepKind {
    Title,
    Subtitle,
    Metadata,
    Legend,
    Labels,
    Bars,
    Values,
    Footer,
}

#[derive(Debug, Clone, Copy, PartialEq)]
struct Step {
    kind: StepKind,
    start: f64,
    duration: f64,
    /// Items started one after another (1 for a step that animates everything at once).
    items: usize,
    lag: f64,
}

impl Step {
    fn end(&self) -> f64 {
        self.start + self.duration
    }

    /// Progress (0 to 1) of item `i` at time `t`. Each item runs for `L` seconds and starts
    /// `lag × L` after the previous one, so that the last ends with the step.
    fn progress(&self, i: usize, t: f64) -> f64 {
        let n = self.items.max(1) as f64;
        let item = self.duration / (1.0 + (n - 1.0) * self.lag);
        if item <= 0.0 {
            return if t >= self.start { 1.0 } else { 0.0 };
        }
        let start = self.start + i as f64 * self.lag * item;
        ((t - start) / item).clamp(0.0, 1.0)
    }
}

/// The animation of one chart.
#[derive(Debug, Clone, PartialEq)]
pub struct Timeline {
    steps: Vec<Step>,
    /// Bars are started series by series, each top to bottom.
    rows: usize,
    /// When everything is on screen and the hold begins.
    complete: f64,
    /// The fade-out, `(start, duration)`, when asked for.
    fadeout: Option<(f64, f64)>,
    duration: f64,
}

impl Timeline {
    pub fn new(chart: &Chart, durations: &Durations, fadeout: bool) -> Timeline {
        let rows = chart.rows.len();
        let bars_per_row = chart.rows.iter().map(|r| r.bars.len()).max().unwrap_or(0);
        let d = durations;
        let plan = [
            (
                StepKind::Title,
                !chart.title.trim().is_empty(),
                d.title,
                1,
                0.0,
            ),
            (
                StepKind::Subtitle,
                !chart.subtitle.trim().is_empty(),
                d.subtitle,
                1,
                0.0,
            ),
            (
                StepKind::Metadata,
                !chart.metadata.is_empty(),
                d.metadata,
                1,
                0.0,
            ),
            (StepKind::Legend, !chart.legend.is_empty(), d.legend, 1, 0.0),
            (StepKind::Labels, rows > 0, d.labels, rows, LABEL_LAG),
            (
                StepKind::Bars,
                bars_per_row > 0,
                d.bars,
                rows * bars_per_row,
                BAR_LAG,
            ),
            (
                StepKind::Values,
                bars_per_row > 0,
                d.values,
                rows * bars_per_row,
                VALUE_LAG,
            ),
            (StepKind::Footer, !chart.footer.is_empty(), d.footer, 1, 0.0),
        ];
        let mut steps = Vec::new();
        let mut t = 0.0;
        for (kind, present, duration, items, lag) in plan {
            if !present {
                continue;
            }
            if !steps.is_empty() {
                t += seconds(d.wait);
            }
            let duration = seconds(duration);
            steps.push(Step {
                kind,
                start: t,
                duration,
                items,
                lag,
            });
            t += duration;
        }
        let complete = t;
        let hold_end = complete + seconds(d.hold);
        let fadeout = fadeout.then(|| (hold_end, seconds(d.fadeout)));
        let duration = hold_end + fadeout.map_or(0.0, |(_, f)| f);
        Timeline {
            steps,
            rows,
            complete,
            fadeout,
            duration,
        }
    }

    /// Length of the whole animation in seconds.
    pub fn duration(&self) -> f64 {
        self.duration
    }

    /// When every element has finished appearing (the start of the hold).
    pub fn complete(&self) -> f64 {
        self.complete
    }

    /// How element `id` looks at time `t` (seconds from the start).
    pub fn state(&self, id: ElementId, t: f64) -> ElementState {
        let (kind, item) = match id {
            ElementId::Title => (StepKind::Title, 0),
            ElementId::Subtitle => (StepKind::Subtitle, 0),
            ElementId::Metadata(_) => (StepKind::Metadata, 0),
            ElementId::LegendSwatch(_) | ElementId::LegendLabel(_) => (StepKind::Legend, 0),
            ElementId::RowLabel(row) => (StepKind::Labels, row),
            ElementId::Bar { row, bar } => (StepKind::Bars, bar * self.rows + row),
            ElementId::Value { row, bar } => (StepKind::Values, bar * self.rows + row),
            ElementId::Footer(_) => (StepKind::Footer, 0),
        };
        let Some(step) = self.steps.iter().find(|s| s.kind == kind) else {
            return ElementState::HIDDEN;
        };
        let p = step.progress(item.min(step.items.saturating_sub(1)), t);
        let mut state = match kind {
            StepKind::Bars => {
                let grow = ease_out_cubic(p) as f32;
                // A bar that has not started is not drawn at all.
                ElementState {
                    opacity: if p > 0.0 { 1.0 } else { 0.0 },
                    shift: (0.0, 0.0),
                    grow,
                }
            }
            StepKind::Title => fade_in(p, (0.0, -TITLE_DROP)),
            StepKind::Labels => fade_in(p, (-LABEL_TRAVEL, 0.0)),
            _ => fade_in(p, (0.0, 0.0)),
        };
        if let Some((start, duration)) = self.fadeout {
            let p = if duration > 0.0 {
                ((t - start) / duration).clamp(0.0, 1.0)
            } else if t >= start {
                1.0
            } else {
                0.0
            };
            state.opacity *= 1.0 - ease_in_out_cubic(p) as f32;
        }
        state
    }

    /// True when nothing moves between `t0` and `t1` (`t0 ≤ t1`): frames at the two times are
    /// identical, so the later one can repeat the earlier.
    pub fn is_static_between(&self, t0: f64, t1: f64) -> bool {
        let moving = |start: f64, end: f64| t1 > start && t0 < end;
        !self.steps.iter().any(|s| moving(s.start, s.end()))
            && !self.fadeout.is_some_and(|(s, d)| moving(s, s + d))
    }
}

/// Fades in from `from` (a shift in frame heights) to the element's place.
fn fade_in(p: f64, from: (f32, f32)) -> ElementState {
    let e = ease_in_out_cubic(p) as f32;
    ElementState {
        opacity: e,
        shift: (from.0 * (1.0 - e), from.1 * (1.0 - e)),
        grow: 1.0,
    }
}

/// A duration from a scene file: negative or non-finite values count as zero.
fn seconds(s: f64) -> f64 {
    if s.is_finite() { s.max(0.0) } else { 0.0 }
}

#[cfg(test)]
mod tests;
