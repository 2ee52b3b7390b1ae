//! The plot of a line chart: axes with ticks, titles and gridlines; one curve per series with a
//! marker at each point; rings around called-out points. The text on the plot is placed by
//! [`super::line_labels`].

use super::axes::{Tick, x_ticks, y_ticks};
use super::line_labels::{LABEL_GAP, POINT_LABEL_SIZE, place_callouts, place_point_labels};
use super::{
    Axis, Element, ElementId, Fitted, Frame, LINE_HEIGHT, Rect, RuleRole, Shape, TextRole, Weight,
};
use crate::chart::{LinePlot, PointLabels};

// Sizes in reference pixels (a 1920×1080 frame).
const TICK_SIZE: f32 = 26.0;
const AXIS_TITLE_SIZE: f32 = 28.0;
const LINE_WIDTH: f32 = 4.5;
pub(super) const MARKER_RADIUS: f32 = 7.5;
pub(super) const MARKER_HALO: f32 = 2.5;
pub(super) const RING_RADIUS: f32 = 17.0;
const RING_WIDTH: f32 = 3.0;
const GRID_WIDTH: f32 = 1.0;
const AXIS_WIDTH: f32 = 2.0;
const TICK_LENGTH: f32 = 8.0;
/// Between a tick mark (or the plot's left edge) and its label.
const TICK_GAP: f32 = 8.0;
/// Between an axis title and the tick labels.
const TITLE_GAP: f32 = 14.0;
/// A series with more points than this has no markers: the curve alone reads better.
const MAX_MARKERS: usize = 60;

/// Where values land on the frame.
pub(super) struct Plot {
    /// The plot's edges: gridlines run from `left` to `right`, the axis line along `bottom`.
    left: f32,
    right: f32,
    top: f32,
    bottom: f32,
    /// Where the first and last x value go.
    x0: f32,
    x1: f32,
    x_span: (f64, f64),
    y_span: (f64, f64),
}

impl Plot {
    fn x(&self, at: f64) -> f32 {
        let (min, max) = self.x_span;
        if max > min {
            self.x0 + ((at - min) / (max - min)) as f32 * (self.x1 - self.x0)
        } else {
            (self.x0 + self.x1) / 2.0
        }
    }

    fn y(&self, v: f64) -> f32 {
        let (min, max) = self.y_span;
        let p = if max > min {
            (v - min) / (max - min)
        } else {
            0.0
        };
        self.bottom - p as f32 * (self.bottom - self.top)
    }

    /// Where point `i` of series `s` lies on the frame.
    pub(super) fn point(&self, plot: &LinePlot, s: usize, i: usize) -> (f32, f32) {
        let p = &plot.series[s].points[i];
        (self.x(plot.x.levels[p.level].at), self.y(p.y))
    }
}

pub(super) fn place_lines(plot: &LinePlot, frame: &mut Frame, top: f32, bottom: f32) {
    let u = frame.unit;
    let content = frame.content_width();
    let y_ticks = y_ticks(plot);
    let x_ticks = x_ticks(plot);
    let tick_size = TICK_SIZE * u;
    let tick_height = tick_size * LINE_HEIGHT;
    let y_labels: Vec<Fitted> = y_ticks
        .iter()
        .map(|t| frame.fit(&t.label, tick_size, Weight::Regular, content * 0.25))
        .collect();
    let y_label_width = y_labels.iter().map(|l| l.width).fold(0.0, f32::max);
    let y_title = fitted_title(frame, &plot.y.title, content * 0.6);
    let x_title = fitted_title(frame, &plot.x.title, content);
    let ring = RING_RADIUS * u;

    // Room right of the last x value for the lines' end labels.
    let end_labels: Vec<Option<Fitted>> = plot
        .series
        .iter()
        .map(|s| {
            let last = s.points.last()?;
            (plot.point_labels != PointLabels::None).then(|| {
                frame.fit(
                    &last.label,
                    POINT_LABEL_SIZE * u,
                    Weight::Regular,
                    content * 0.2,
                )
            })
        })
        .collect();
    let end_room = end_labels
        .iter()
        .flatten()
        // A pixel spare each side: labels snap to whole pixels.
        .map(|l| ring + LABEL_GAP * u + l.width + 2.0)
        .fold(ring, f32::max);

    let left = frame.margin + y_label_width + TICK_GAP * u;
    let right = (frame.width - frame.margin - end_room + ring).max(left + 2.0 * ring);
    let y_title_height = y_title.as_ref().map_or(0.0, |t| t.height() + TITLE_GAP * u);
    let x_title_height = x_title.as_ref().map_or(0.0, |t| t.height() + TITLE_GAP * u);
    let plot_top = top + y_title_height + tick_height / 2.0;
    let plot_bottom =
        (bottom - x_title_height - tick_height - (TICK_GAP + TICK_LENGTH + AXIS_WIDTH / 2.0) * u)
            .max(plot_top + 1.0);
    let geometry = Plot {
        left,
        right,
        top: plot_top,
        bottom: plot_bottom,
        x0: left + ring,
        x1: right - ring,
        x_span: plot.x_span(),
        y_span: (
            y_ticks.first().map_or(0.0, |t| t.at),
            y_ticks.last().map_or(1.0, |t| t.at),
        ),
    };

    place_axes(frame, &geometry, &y_ticks, y_labels, &x_ticks);
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
        let x = (geometry.x0 + geometry.x1 - title.width) / 2.0;
        let x = x.clamp(frame.margin, frame.width - frame.margin - title.width);
        let y = bottom - title.height();
        let id = ElementId::AxisTitle(Axis::X);
        frame.text(id, title, x, y, Weight::Regular, TextRole::AxisTitle);
    }
    place_curves(plot, frame, &geometry);
    // Text may go anywhere on the plot, up into the room above it and into the room right of it.
    let room = Rect::new(
        left,
        top,
        frame.width - frame.margin - left,
        plot_bottom - top,
    );
    place_point_labels(plot, frame, &geometry, end_labels, room);
    place_callouts(plot, frame, &geometry, room);
}

fn fitted_title(frame: &mut Frame, text: &str, max_width: f32) -> Option<Fitted> {
    let size = AXIS_TITLE_SIZE * frame.unit;
    (!text.trim().is_empty()).then(|| frame.fit(text, size, Weight::Regular, max_width))
}

/// Gridlines, the x axis line, tick marks and tick labels.
fn place_axes(
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

/// One curve per series (in pieces where it has gaps), then the markers on top.
fn place_curves(plot: &LinePlot, frame: &mut Frame, geometry: &Plot) {
    let u = frame.unit;
    let width = LINE_WIDTH * u;
    let pen = (geometry.x0, geometry.x1);
    let columns = (geometry.x1 - geometry.x0).round().max(1.0) as usize;
    for (s, series) in plot.series.iter().enumerate() {
        let mut pieces: Vec<Vec<(f32, f32)>> = Vec::new();
        let mut previous: Option<usize> = None;
        for p in &series.points {
            let at = (geometry.x(plot.x.levels[p.level].at), geometry.y(p.y));
            // A level between two points that the series lacks breaks the curve.
            match (previous, pieces.last_mut()) {
                (Some(prev), Some(piece)) if p.level == prev + 1 => piece.push(at),
                _ => pieces.push(vec![at]),
            }
            previous = Some(p.level);
        }
        // Gaps are bridged by a dotted segment, so the curve still reads as one series.
        let bridges: Vec<[(f32, f32); 2]> = pieces
            .windows(2)
            .filter_map(|w| Some([*w[0].last()?, *w[1].first()?]))
            .collect();
        let pieces: Vec<Vec<(f32, f32)>> = pieces
            .iter()
            .map(|piece| decimate(piece, geometry.x0, columns))
            .collect();
        let Some(bounds) = bounding_box(&pieces, width / 2.0) else {
            continue;
        };
        frame.elements.push(Element {
            id: ElementId::Line(s),
            rect: bounds,
            shape: Shape::Polyline {
                pieces,
                bridges,
                color: series.color,
                width,
                pen,
            },
        });
    }
    let radius = (MARKER_RADIUS + MARKER_HALO) * u;
    for (s, series) in plot.series.iter().enumerate() {
        if series.points.len() > MAX_MARKERS {
            continue;
        }
        for (i, p) in series.points.iter().enumerate() {
            let (x, y) = (geometry.x(plot.x.levels[p.level].at), geometry.y(p.y));
            frame.elements.push(Element {
                id: ElementId::Point { series: s, i },
                rect: Rect::new(x - radius, y - radius, 2.0 * radius, 2.0 * radius),
                shape: Shape::Marker {
                    color: series.color,
                    halo: MARKER_HALO * u,
                },
            });
        }
    }
    let ring = RING_RADIUS * u;
    for (a, annotation) in plot.annotations.iter().enumerate() {
        let series = &plot.series[annotation.series];
        let p = &series.points[annotation.point];
        let (x, y) = (geometry.x(plot.x.levels[p.level].at), geometry.y(p.y));
        frame.elements.push(Element {
            id: ElementId::Ring(a),
            rect: Rect::new(x - ring, y - ring, 2.0 * ring, 2.0 * ring),
            shape: Shape::Ring {
                color: series.color,
                width: RING_WIDTH * u,
            },
        });
    }
}

fn bounding_box(pieces: &[Vec<(f32, f32)>], pad: f32) -> Option<Rect> {
    let points = pieces.iter().flatten();
    let (mut x0, mut y0, mut x1, mut y1) = (f32::MAX, f32::MAX, f32::MIN, f32::MIN);
    for &(x, y) in points {
        (x0, y0, x1, y1) = (x0.min(x), y0.min(y), x1.max(x), y1.max(y));
    }
    (x0 <= x1).then(|| Rect::new(x0 - pad, y0 - pad, x1 - x0 + 2.0 * pad, y1 - y0 + 2.0 * pad))
}

/// Points in x order reduced, when there are more than `columns` pixel columns from `left`,
/// to the lowest and highest of each column (in their order), plus the first and last point:
/// a curve of any length then costs a few thousand segments per frame and looks the same.
pub fn decimate(points: &[(f32, f32)], left: f32, columns: usize) -> Vec<(f32, f32)> {
    if points.len() <= columns.max(1) {
        return points.to_vec();
    }
    let column = |x: f32| ((x - left).floor().max(0.0) as usize).min(columns);
    let mut out = Vec::with_capacity(2 * columns + 2);
    let mut start = 0;
    while start < points.len() {
        let c = column(points[start].0);
        let end = points[start..]
            .iter()
            .position(|p| column(p.0) != c)
            .map_or(points.len(), |n| start + n);
        let group = &points[start..end];
        let lowest = (0..group.len()).min_by(|&a, &b| group[a].1.total_cmp(&group[b].1));
        let highest = (0..group.len()).max_by(|&a, &b| group[a].1.total_cmp(&group[b].1));
        let mut keep: Vec<usize> = lowest.into_iter().chain(highest).collect();
        if start == 0 {
            keep.push(0);
        }
        if end == points.len() {
            keep.push(group.len() - 1);
        }
        keep.sort_unstable();
        keep.dedup();
        out.extend(keep.into_iter().map(|i| group[i]));
        start = end;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decimation_keeps_each_columns_lowest_and_highest_point() {
        // 1,000 points over 10 columns: a sawtooth between 0 and 99 in every column.
        let points: Vec<(f32, f32)> = (0..1000)
            .map(|i| (i as f32 / 100.0, (i % 100) as f32))
            .collect();
        let kept = decimate(&points, 0.0, 10);
        assert!(kept.len() <= 2 * 10 + 2, "{}", kept.len());
        for c in 0..10 {
            let column: Vec<f32> = kept
                .iter()
                .filter(|p| p.0.floor() as usize == c)
                .map(|p| p.1)
                .collect();
            assert!(
                column.contains(&0.0) && column.contains(&99.0),
                "column {c}: {column:?}"
            );
        }
        // In x order, with the first and last points kept.
        assert!(kept.windows(2).all(|w| w[0].0 <= w[1].0));
        assert_eq!(kept.first(), points.first());
        assert_eq!(kept.last(), points.last());
        // Few points are left alone.
        assert_eq!(decimate(&points[..10], 0.0, 10), &points[..10]);
    }
}
