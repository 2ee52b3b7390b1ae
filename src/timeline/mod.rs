//! Timeline: when each element appears and how, as a pure function of time.
//!
//! The steps play one after another with a short wait between them, as in manim: the title
//! fades in sliding down, then subtitle, metadata, legend; row labels fade in sliding right with
//! a lagged start; bars grow from zero (ease-out cubic) with a lagged start; value labels (and
//! whiskers) fade in, lagged; delta pills, if any, fade in row by row; the footer fades in; everything holds, and optionally fades out.
//!
//! A line chart has axes instead of row labels: they fade in; then one pen sweeps across the
//! x axis drawing every series at once, markers popping and value labels fading in as it
//! passes them; then the peak and knee rings pop and their callouts fade in, lagged.
//!
//! A scatter chart's axes fade in; then every series' points pop in their order, level by
//! level, each line drawn on to the next point as it comes; the points' labels fade in, level
//! by level; then the frontier is drawn along its length while the points it beats dim.

mod bars;
mod lines;
mod scatter;
mod step;

use crate::chart::{BLOG_OPENING, Body, Chart, ChartRow, Durations, Pace};
use crate::layout::ElementId;
use step::{Step, StepKind};

/// How far the title drops while fading in, in frame heights.
const TITLE_DROP: f32 = 0.025;
/// How far row labels travel rightwards while fading in, in frame heights.
const LABEL_TRAVEL: f32 = 0.03;
/// How long a marker takes to pop (scale 0 → 1.15 → 1) once the pen reaches it.
const POP_SECONDS: f64 = 0.25;
/// How far past full size a marker pops.
const POP_OVERSHOOT: f64 = 1.15;
/// How long a point's value label takes to fade in once the pen reaches it.
const POINT_LABEL_FADE: f64 = 0.4;
/// The opacity a scatter point beaten by the frontier dims to: half, so that it still reads on
/// the dark theme. Only its opacity changes, never its hue, so it still matches the legend.
const DIMMED: f64 = 0.5;
/// The opacity such a point's label dims to: enough to keep every palette colour, tinted as
/// text is, at 3:1 against the background in either theme (0.75 leaves viridis' dark end at
/// 2.9:1).
pub const DIMMED_LABEL: f64 = 0.8;

/// How an element looks at one moment.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ElementState {
    /// 0 (invisible) to 1.
    pub opacity: f32,
    /// Displacement from the element's place in the layout, in frame heights (x right, y down).
    pub shift: (f32, f32),
    /// How much of a bar has grown or of a line has been drawn (the pen's share of the way
    /// across the x axis), 0 to 1; a marker's or ring's scale as it pops (up to 1.15); 1 for
    /// everything else.
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

/// The progress at which [`ease_in_out_cubic`] reaches `e`: when the pen passes a point.
fn ease_in_out_cubic_inverse(e: f64) -> f64 {
    let e = e.clamp(0.0, 1.0);
    if e < 0.5 {
        (e / 4.0).cbrt()
    } else {
        1.0 - (2.0 * (1.0 - e)).cbrt() / 2.0
    }
}

/// A marker's scale `q` (0 to 1) into its pop: up past full size, then settling back.
fn pop(q: f64) -> f64 {
    const RISE: f64 = 0.6;
    if q < RISE {
        POP_OVERSHOOT * ease_out_cubic(q / RISE)
    } else {
        POP_OVERSHOOT - (POP_OVERSHOOT - 1.0) * ease_in_out_cubic((q - RISE) / (1.0 - RISE))
    }
}

/// The animation of one chart.
#[derive(Debug, Clone, PartialEq)]
pub struct Timeline {
    steps: Vec<Step>,
    /// Bars are started series by series, each top to bottom.
    rows: usize,
    /// Line and scatter charts: where each point of each series lies along the pen's way, 0 to
    /// 1: the pen reaches it when it has come that far.
    points: Vec<Vec<f64>>,
    /// Scatter charts: each point's label fades in as item (its level) of the labels' step,
    /// rather than as the pen passes.
    label_items: Option<Vec<Vec<usize>>>,
    /// Scatter charts: which points of each series the frontier beats, and which series it
    /// beats everywhere: they dim as the frontier is drawn.
    dominated: Vec<Vec<bool>>,
    all_dominated: Vec<bool>,
    /// When everything is on screen and the hold begins.
    complete: f64,
    /// The fade-out, `(start, duration)`, when asked for.
    fadeout: Option<(f64, f64)>,
    duration: f64,
}

impl Timeline {
    pub fn new(chart: &Chart, durations: &Durations, fadeout: bool) -> Timeline {
        let d = durations;
        let header = [
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
        ];
        let panel_notes = chart
            .panels()
            .is_some_and(|p| p.panels.iter().any(|p| !p.notes.is_empty()));
        let footer = (
            StepKind::Footer,
            !chart.footer.is_empty() || panel_notes,
            d.footer,
            1,
            0.0,
        );
        let body = match &chart.body {
            Body::Bars(bars) => bars::plan(&bars.rows.iter().collect::<Vec<_>>(), d),
            // The rows of panels are numbered on from one panel to the next.
            Body::Panels(panels) => {
                let rows: Vec<&ChartRow> =
                    panels.panels.iter().flat_map(|p| &p.bars.rows).collect();
                bars::plan(&rows, d)
            }
            Body::Lines(plot) => lines::plan(plot, d),
            Body::Scatter(plot) => scatter::plan(plot, d),
        };
        let plan = header.into_iter().chain(body.steps).chain([footer]);
        let mut steps = Vec::new();
        let mut t = 0.0;
        for (kind, present, duration, items, lag) in plan {
            if !present {
                continue;
            }
            let mut duration = seconds(duration);
            let start = if d.pace == Pace::Blog && kind.opens() {
                // The frame the data is drawn in appears at once, together.
                duration = duration.min(BLOG_OPENING);
                0.0
            } else if steps.is_empty() {
                t
            } else {
                t + seconds(d.wait)
            };
            let tail = match kind {
                StepKind::Lines => POP_SECONDS.max(POINT_LABEL_FADE),
                _ => 0.0,
            };
            steps.push(Step {
                kind,
                start,
                duration,
                items,
                lag,
                tail,
            });
            t = t.max(start + duration);
        }
        let complete = steps.iter().map(Step::settled).fold(t, f64::max);
        let hold_end = complete + seconds(d.hold);
        let fadeout = fadeout.then(|| (hold_end, seconds(d.fadeout)));
        let duration = hold_end + fadeout.map_or(0.0, |(_, f)| f);
        Timeline {
            steps,
            rows: body.rows,
            points: body.points,
            label_items: body.label_items,
            dominated: body.dominated,
            all_dominated: body.all_dominated,
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
            ElementId::PanelTitle(_) => (StepKind::Labels, 0),
            ElementId::Bar { row, bar } => (StepKind::Bars, bar * self.rows + row),
            ElementId::Value { row, bar } | ElementId::Whisker { row, bar } => {
                (StepKind::Values, bar * self.rows + row)
            }
            ElementId::DeltaPill(row) | ElementId::Delta(row) => (StepKind::Deltas, row),
            ElementId::Axis(_)
            | ElementId::Tick { .. }
            | ElementId::TickLabel { .. }
            | ElementId::Grid { .. }
            | ElementId::AxisTitle(_) => (StepKind::Axes, 0),
            ElementId::PointLabel { series, i } if self.label_items.is_some() => {
                let level = self
                    .label_items
                    .as_ref()
                    .and_then(|l| l.get(series)?.get(i));
                (StepKind::Values, level.copied().unwrap_or(0))
            }
            ElementId::Line(_)
            | ElementId::Point { .. }
            | ElementId::PointLabel { .. }
            | ElementId::PointWhisker { .. } => (StepKind::Lines, 0),
            ElementId::Ring(a) | ElementId::Annotation(a) | ElementId::Leader(a) => {
                (StepKind::Annotations, a)
            }
            ElementId::Frontier | ElementId::FrontierLabel => (StepKind::Annotations, 0),
            ElementId::Footer(_) | ElementId::PanelNote { .. } => (StepKind::Footer, 0),
        };
        let Some(step) = self.steps.iter().find(|s| s.kind == kind) else {
            return ElementState::HIDDEN;
        };
        let p = step.progress(item.min(step.items.saturating_sub(1)), t);
        let mut state = match (kind, id) {
            (StepKind::Lines, ElementId::Point { series, i }) => {
                let q = (t - self.pen_reaches(step, series, i)) / POP_SECONDS;
                popped(q)
            }
            (StepKind::Lines, ElementId::PointLabel { series, i })
            | (StepKind::Lines, ElementId::PointWhisker { series, i, .. }) => {
                let q = (t - self.pen_reaches(step, series, i)) / POINT_LABEL_FADE;
                fade_in(q.clamp(0.0, 1.0), (0.0, 0.0))
            }
            (StepKind::Lines, _) => ElementState {
                opacity: if p > 0.0 { 1.0 } else { 0.0 },
                shift: (0.0, 0.0),
                grow: ease_in_out_cubic(p) as f32,
            },
            (StepKind::Annotations, ElementId::Ring(_)) => popped(p),
            (StepKind::Annotations, ElementId::Frontier) => ElementState {
                opacity: if p > 0.0 { 1.0 } else { 0.0 },
                shift: (0.0, 0.0),
                grow: ease_in_out_cubic(p) as f32,
            },
            _ => self.plain_state(kind, p),
        };
        if self.dims(id)
            && let Some(frontier) = self.steps.iter().find(|s| s.kind == StepKind::Annotations)
        {
            let floor = match id {
                ElementId::PointLabel { .. } => DIMMED_LABEL,
                _ => DIMMED,
            };
            let dim = ease_in_out_cubic(frontier.progress(0, t)) * (1.0 - floor);
            state.opacity *= (1.0 - dim) as f32;
        }
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

    /// True when `id` is a scatter point the frontier beats, its label or whisker, or the line
    /// of a series it beats everywhere.
    fn dims(&self, id: ElementId) -> bool {
        match id {
            ElementId::Point { series, i }
            | ElementId::PointLabel { series, i }
            | ElementId::PointWhisker { series, i, .. } => self
                .dominated
                .get(series)
                .and_then(|s| s.get(i))
                .copied()
                .unwrap_or(false),
            ElementId::Line(series) => self.all_dominated.get(series).copied().unwrap_or(false),
            _ => false,
        }
    }

    /// When the pen reaches point `i` of `series` during the Lines step.
    fn pen_reaches(&self, step: &Step, series: usize, i: usize) -> f64 {
        let fraction = self
            .points
            .get(series)
            .and_then(|s| s.get(i))
            .copied()
            .unwrap_or(1.0);
        step.start + ease_in_out_cubic_inverse(fraction) * step.duration
    }

    /// Elements that fade in (or grow, for bars) with their step's progress `p`.
    fn plain_state(&self, kind: StepKind, p: f64) -> ElementState {
        match kind {
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
        }
    }

    /// True when nothing moves between `t0` and `t1` (`t0 ≤ t1`): frames at the two times are
    /// identical, so the later one can repeat the earlier.
    pub fn is_static_between(&self, t0: f64, t1: f64) -> bool {
        let moving = |start: f64, end: f64| t1 > start && t0 < end;
        !self.steps.iter().any(|s| moving(s.start, s.settled()))
            && !self.fadeout.is_some_and(|(s, d)| moving(s, s + d))
    }
}

/// A marker or ring `q` of the way through its pop (hidden before it starts).
fn popped(q: f64) -> ElementState {
    if q < 0.0 {
        return ElementState::HIDDEN;
    }
    ElementState {
        opacity: 1.0,
        shift: (0.0, 0.0),
        grow: pop(q.min(1.0)) as f32,
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
