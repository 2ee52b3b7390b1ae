//! The plot area of a line or scatter chart: where its edges go, its gridlines, the x axis
//! line with its tick marks, the tick labels and the axis titles; and where values land in it.

use super::axes::Tick;
use super::{
    Axis, Element, ElementId, Fitted, Frame, LINE_HEIGHT, Rect, RuleRole, Shape, TextRole, Weight,
};

// Sizes in reference pixels (a 1920×1080 frame).
const TICK_SIZE: f32 = 26.0;
const AXIS_TITLE_SIZE: f32 = 28.0;
const GRID_WIDTH: f32 = 1.0;
const AXIS_WIDTH: f32 = 2.0;
const TICK_LENGTH: f32 = 8.0;
/// Between a tick mark (or the plot's left edge) and its label.
const TICK_GAP: f32 = 8.0;
/// Between an axis title and the tick labels.
const TITLE_GAP: f32 = 14.0;

/// What the axes of a plot show.
pub(super) struct Axes<'a> {
    pub x_ticks: &'a [Tick],
    pub y_ticks: &'a [Tick],
    pub x_title: &'a str,
    /// Shown above the plot, left-aligned.
    pub y_title: &'a str,
    /// The x values at `x0` and `x1` (see [`Plot`]); y values span the y ticks.
    pub x_span: (f64, f64),
    /// How far inside the plot's left and right edges `x0` and `x1` lie, so that markers and
    /// rings at the ends stay on the plot.
    pub inset: f32,
    /// Room kept right of `x1` up to the frame's margin (for labels at the lines' ends); at
    /// least `inset`.
    pub end_room: f32,
}

/// Where values land on the frame.
pub(super) struct Plot {
    /// The plot's edges: gridlines run from `left` to `right`, the axis line along `bottom`.
    pub left: f32,
    pub right: f32,
    pub top: f32,
    pub bottom: f32,
    /// Where the first and last x value go.
    pub x0: f32,
    pub x1: f32,
    x_span: (f64, f64),
    y_span: (f64, f64),
    /// Where text on the plot may go: the plot, the room above it up to the y axis title and
    /// the room right of it up to the margin.
    pub room: Rect,
}

impl Plot {
    pub fn x(&self, at: f64) -> f32 {
        let (min, max) = self.x_span;
        if max > min {
            self.x0 + ((at - min) / (max - min)) as f32 * (self.x1 - self.x0)
        } else {
            (self.x0 + self.x1) / 2.0
        }
    }

    pub fn y(&self, v: f64) -> f32 {
        let (min, max) = self.y_span;
        let p = if max > min {
            (v - min) / (max - min)
        } else {
            0.0
        };
        self.bottom - p as f32 * (self.bottom - self.top)
    }
}

/// Lays out the axes between `top` and `bottom`, and returns where values land.
pub(super) fn place_axes(frame: &mut Frame, axes: &Axes, top: f32, bottom: f32) -> Plot {
    let u = frame.unit;
    let content = frame.content_width();
    let tick_size = TICK_SIZE * u;
    let tick_height = tick_size * LINE_HEIGHT;
    let y_labels: Vec<Fitted> = axes
        .y_ticks
        .iter()
        .map(|t| frame.fit(&t.label, tick_size, Weight::Regular, content * 0.25))
        .collect();
    let y_label_width = y_labels.iter().map(|l| l.width).fold(0.0, f32::max);
    let y_title = fitted_title(frame, axes.y_title, content * 0.6);
    let x_title = fitted_title(frame, axes.x_title, content);
    let inset = axes.inset;

    let left = frame.margin + y_label_width + TICK_GAP * u;
    let right = (frame.width - frame.margin - axes.end_room + inset).max(left + 2.0 * inset);
    let y_title_height = y_title.as_ref().map_or(0.0, |t| t.height() + TITLE_GAP * u);
    let x_title_height = x_title.as_ref().map_or(0.0, |t| t.height() + TITLE_GAP * u);
    let plot_top = top + y_title_height + tick_height / 2.0;
    let plot_bottom =
        (bottom - x_title_height - tick_height - (TICK_GAP + TICK_LENGTH + AXIS_WIDTH / 2.0) * u)
            .max(plot_top + 1.0);
    let plot = Plot {
        left,
        right,
        top: plot_top,
        bottom: plot_bottom,
        x0: left + inset,
        x1: right - inset,
        x_span: axes.x_span,
        y_span: (
            axes.y_ticks.first().map_or(0.0, |t| t.at),
            axes.y_ticks.last().map_or(1.0, |t| t.at),
        ),
        room: Rect::new(
            left,
            top,
            frame.width - frame.margin - left,
            plot_bottom - top,
        ),
    };

    place_ticks(frame, &plot, axes.y_ticks, y_labels, axes.x_ticks);
    if let Some(title) = y_title {
        let id = ElementId::AxisTitle(Axis::Y);
        frame.text(
            id,
            title,
            frame.margin,
            top,
            Weight::Regular,
            TextRole::AxisTitle,
        );
    }
    if let Some(title) = x_title {
        let x = (plot.x0 + plot.x1 - title.width) / 2.0;
        let x = x.clamp(frame.margin, frame.width - frame.margin - title.width);
        let y = bottom - title.height();
        let id = ElementId::AxisTitle(Axis::X);
        frame.text(id, title, x, y, Weight::Regular, TextRole::AxisTitle);
    }
    plot
}

fn fitted_title(frame: &mut Frame, text: &str, max_width: f32) -> Option<Fitted> {
    let size = AXIS_TITLE_SIZE * frame.unit;
    (!text.trim().is_empty()).then(|| frame.fit(text, size, Weight::Regular, max_width))
}

/// Gridlines, the x axis line, tick marks and tick labels.
fn place_ticks(
    frame: &mut Frame,
    plot: &Plot,
    y_ticks: &[Tick],
    y_labels: Vec<Fitted>,
    x_ticks: &[Tick],
) {
    let u = frame.unit;
    let grid = (GRID_WIDTH * u).max(1.0);
    let axis = (AXIS_WIDTH * u).max(1.0);
    for (i, (tick, label)) in y_ticks.iter().zip(y_labels).enumerate() {
        let y = plot.y(tick.at);
        // The lowest tick's gridline would lie on the axis line.
        if i > 0 {
            frame.elements.push(Element {
                id: ElementId::Grid { axis: Axis::Y, i },
                rect: Rect::new(plot.left, y - grid / 2.0, plot.right - plot.left, grid),
                shape: Shape::Rule {
                    role: RuleRole::Grid,
                },
            });
        }
        let x = plot.left - TICK_GAP * u - label.width;
        let top = y - label.height() / 2.0;
        let id = ElementId::TickLabel { axis: Axis::Y, i };
        frame.text(id, label, x, top, Weight::Regular, TextRole::TickLabel);
    }
    frame.elements.push(Element {
        id: ElementId::Axis(Axis::X),
        rect: Rect::new(
            plot.left,
            plot.bottom - axis / 2.0,
            plot.right - plot.left,
            axis,
        ),
        shape: Shape::Rule {
            role: RuleRole::Axis,
        },
    });
    let tick_top = plot.bottom + axis / 2.0;
    let label_top = tick_top + (TICK_LENGTH + TICK_GAP) * u;
    let size = TICK_SIZE * u;
    let labels: Vec<(f32, Fitted)> = x_ticks
        .iter()
        .map(|t| {
            let max = frame.content_width() / 4.0;
            (
                plot.x(t.at),
                frame.fit(&t.label, size, Weight::Regular, max),
            )
        })
        .collect();
    let stride = label_stride(&labels, frame.margin, frame.width - frame.margin, u);
    for (i, (x, label)) in labels.into_iter().enumerate() {
        frame.elements.push(Element {
            id: ElementId::Tick { axis: Axis::X, i },
            rect: Rect::new(x - axis / 2.0, tick_top, axis, TICK_LENGTH * u),
            shape: Shape::Rule {
                role: RuleRole::Tick,
            },
        });
        if i % stride != 0 {
            continue;
        }
        let left =
            (x - label.width / 2.0).clamp(frame.margin, frame.width - frame.margin - label.width);
        let id = ElementId::TickLabel { axis: Axis::X, i };
        frame.text(
            id,
            label,
            left,
            label_top,
            Weight::Regular,
            TextRole::TickLabel,
        );
    }
}

/// Label every `stride`-th x tick, the smallest stride whose labels keep apart.
fn label_stride(labels: &[(f32, Fitted)], min_x: f32, max_x: f32, unit: f32) -> usize {
    let span = |(x, l): &(f32, Fitted)| {
        let left = (x - l.width / 2.0).clamp(min_x, max_x - l.width);
        (left, left + l.width)
    };
    (1..labels.len().max(1))
        .find(|&stride| {
            let kept: Vec<(f32, f32)> = labels.iter().step_by(stride).map(span).collect();
            kept.windows(2).all(|w| w[0].1 + 12.0 * unit <= w[1].0)
        })
        .unwrap_or(labels.len().max(1))
}
