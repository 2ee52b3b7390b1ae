//! The plot of a scatter chart: axes of two metrics (see [`super::plot_area`]); each series'
//! points joined in their order; the Pareto frontier over those lines as a thin dashed line,
//! named by a label of its own; whiskers over repeated runs and a marker at each point; and a
//! label beside each point (see [`super::point_labels`]).

use super::axes::{MAX_X_TICKS, MAX_Y_TICKS, value_ticks};
use super::marker::{MARKER_HALO, MARKER_RADIUS, marker};
use super::plot_area::{Axes, Plot, place_axes};
use super::point_labels::{
    LABEL_GAP, POINT_LABEL_SIZE, PointText, Side, around, place_free, place_labels,
};
use super::whisker::point_whisker;
use super::{Axis, Element, ElementId, Frame, Ink, Rect, Shape, TextRole, TextSpec, Weight};
use crate::chart::{PointLabels, ScatterPlot};

// Sizes in reference pixels (a 1920×1080 frame).
/// The lines joining a series' points: thinner than a line chart's, the points are the data.
const LINE_WIDTH: f32 = 3.0;
/// The frontier: as thin as the lines, dashed by the renderer, so it reads as a bound drawn
/// through the data rather than as data or a shadow.
const FRONTIER_WIDTH: f32 = 3.0;
/// What the frontier's label reads.
pub const FRONTIER_NAME: &str = "Pareto frontier";

pub(super) fn place_scatter(plot: &ScatterPlot, frame: &mut Frame, top: f32, bottom: f32) {
    let u = frame.unit;
    let x_ticks = value_ticks(&plot.x, plot.x_extent(), MAX_X_TICKS);
    let y_ticks = value_ticks(&plot.y, plot.y_extent(), MAX_Y_TICKS);
    let radius = (MARKER_RADIUS + MARKER_HALO) * u;
    // Markers at the ends of the x axis stay on the plot.
    let inset = radius;
    let axes = Axes {
        x_ticks: &x_ticks,
        y_ticks: &y_ticks,
        x_title: &plot.x.title,
        y_title: &plot.y.title,
        x_span: (
            x_ticks.first().map_or(0.0, |t| t.at),
            x_ticks.last().map_or(1.0, |t| t.at),
        ),
        inset,
        end_room: inset,
    };
    let geometry = place_axes(frame, &axes, top, bottom);
    let at = |s: usize, i: usize| {
        let p = &plot.series[s].points[i];
        (geometry.x(p.x), geometry.y(p.y))
    };

    if plot.connect {
        for (s, series) in plot.series.iter().enumerate() {
            let points = (0..series.points.len()).map(|i| at(s, i)).collect();
            let reached = series
                .points
                .iter()
                .map(|p| plot.level_fraction(p.level) as f32)
                .collect();
            let (id, ink) = (ElementId::Line(s), Ink::Series(series.color));
            push_path(frame, id, points, reached, LINE_WIDTH * u, ink);
        }
    }
    // Over the lines it runs along, beneath the markers.
    if let Some(frontier) = &plot.frontier {
        let points: Vec<(f32, f32)> = frontier.iter().map(|f| at(f.series, f.point)).collect();
        let pace = even_pace(&points);
        let width = FRONTIER_WIDTH * u;
        push_path(
            frame,
            ElementId::Frontier,
            points,
            pace,
            width,
            Ink::Frontier,
        );
    }
    // Whiskers over repeated runs, beneath the markers.
    for (s, series) in plot.series.iter().enumerate() {
        for (i, p) in series.points.iter().enumerate() {
            let (x, y) = at(s, i);
            let spans = [
                (
                    Axis::X,
                    p.x_whisker.map(|(a, b)| (geometry.x(a), geometry.x(b))),
                    y,
                ),
                (
                    Axis::Y,
                    p.y_whisker.map(|(a, b)| (geometry.y(a), geometry.y(b))),
                    x,
                ),
            ];
            for (axis, span, across) in spans {
                let Some(span) = span else { continue };
                let id = ElementId::PointWhisker { series: s, i, axis };
                frame
                    .elements
                    .push(point_whisker(id, axis, span, across, u, series.color));
            }
        }
    }
    for (s, series) in plot.series.iter().enumerate() {
        for i in 0..series.points.len() {
            let (x, y) = at(s, i);
            frame.elements.push(marker(
                ElementId::Point { series: s, i },
                (x, y),
                series.color,
                u,
            ));
        }
    }
    if plot.frontier.is_some() {
        place_frontier_label(plot, frame, &geometry);
    }
    place_point_labels(plot, frame, &geometry);
}

/// "Pareto frontier" beside the first of the frontier's points, going along it, where the label
/// fits: placed before the points' labels, since without it the dashed line means nothing.
fn place_frontier_label(plot: &ScatterPlot, frame: &mut Frame, geometry: &Plot) {
    let u = frame.unit;
    let fitted = frame.fit(
        FRONTIER_NAME,
        POINT_LABEL_SIZE * u,
        Weight::Regular,
        geometry.room.w,
    );
    let gap = (MARKER_RADIUS + MARKER_HALO + LABEL_GAP) * u;
    let frontier = plot.frontier.as_deref().unwrap_or_default();
    let points: Vec<(f32, f32)> = frontier
        .iter()
        .map(|f| {
            let p = &plot.series[f.series].points[f.point];
            (geometry.x(p.x), geometry.y(p.y))
        })
        .collect();
    // The middle of each stretch between frontier points, then the points themselves.
    let anchors = points
        .windows(2)
        .map(|w| ((w[0].0 + w[1].0) / 2.0, (w[0].1 + w[1].1) / 2.0))
        .chain(points.iter().copied());
    let spots: Vec<(f32, f32)> = anchors
        .flat_map(|at| around(at, gap, &fitted, Side::Below))
        .collect();
    let element = Element {
        id: ElementId::FrontierLabel,
        rect: Rect::new(0.0, 0.0, fitted.width, fitted.height()),
        shape: Shape::Text(TextSpec {
            text: fitted.text,
            size: fitted.size,
            weight: Weight::Regular,
            role: TextRole::Annotation,
            tint: None,
        }),
    };
    place_free(frame, element, &spots, geometry.room);
}

/// The points' labels (unless labels are off; with `last`, only each series' last point's),
/// taken in turn from each series so that every series gets its share of the room: a series'
/// frontier points first, then its last and first points, then the rest from the last back.
/// A label that fits nowhere is left out (and `check` counts it).
fn place_point_labels(plot: &ScatterPlot, frame: &mut Frame, geometry: &Plot) {
    if plot.point_labels == PointLabels::None {
        return;
    }
    let u = frame.unit;
    let label = |frame: &mut Frame, s: usize, i: usize| {
        let series = &plot.series[s];
        let p = &series.points[i];
        let fitted = frame.fit(
            &p.label,
            POINT_LABEL_SIZE * u,
            Weight::Regular,
            geometry.room.w,
        );
        PointText {
            id: ElementId::PointLabel { series: s, i },
            at: (geometry.x(p.x), geometry.y(p.y)),
            gap: (MARKER_RADIUS + MARKER_HALO + LABEL_GAP) * u,
            fitted,
            color: series.color,
        }
    };
    let queues: Vec<Vec<usize>> = (0..plot.series.len())
        .map(|s| label_priority(plot, s))
        .collect();
    let longest = queues.iter().map(Vec::len).max().unwrap_or(0);
    let mut order = Vec::new();
    for turn in 0..longest {
        for (s, queue) in queues.iter().enumerate() {
            if let Some(&i) = queue.get(turn) {
                order.push(label(frame, s, i));
            }
        }
    }
    place_labels(
        frame,
        order,
        Side::Above,
        Vec::new(),
        Side::Above,
        geometry.room,
    );
}

/// The points of series `s` whose labels are asked for, most wanted first: those on the
/// frontier (in their order), the last, the first, then the rest from the last back.
fn label_priority(plot: &ScatterPlot, s: usize) -> Vec<usize> {
    let n = plot.series[s].points.len();
    if n == 0 {
        return Vec::new();
    }
    if plot.point_labels == PointLabels::Last {
        return vec![n - 1];
    }
    let on_frontier = (0..n).filter(|&i| plot.frontier.is_some() && !plot.dominated(s, i));
    let mut order: Vec<usize> = Vec::with_capacity(n);
    for i in on_frontier.chain([n - 1, 0]).chain((1..n - 1).rev()) {
        if !order.contains(&i) {
            order.push(i);
        }
    }
    order
}

/// The labels [`place_point_labels`] tries to place: none, each series' last point's, or with
/// `all` every point's.
pub(super) fn asked_labels(plot: &ScatterPlot) -> Vec<ElementId> {
    let mut asked = Vec::new();
    for (s, series) in plot.series.iter().enumerate() {
        let n = series.points.len();
        let first = match plot.point_labels {
            PointLabels::None => n,
            PointLabels::Last => n.saturating_sub(1),
            PointLabels::All => 0,
        };
        asked.extend((first..n).map(|i| ElementId::PointLabel { series: s, i }));
    }
    asked
}

/// A path through `points`, `width` wide, reached as `at` says.
fn push_path(
    frame: &mut Frame,
    id: ElementId,
    points: Vec<(f32, f32)>,
    at: Vec<f32>,
    width: f32,
    ink: Ink,
) {
    let (mut x0, mut y0, mut x1, mut y1) = (f32::MAX, f32::MAX, f32::MIN, f32::MIN);
    for &(x, y) in &points {
        (x0, y0, x1, y1) = (x0.min(x), y0.min(y), x1.max(x), y1.max(y));
    }
    if points.is_empty() {
        return;
    }
    let pad = width / 2.0;
    frame.elements.push(Element {
        id,
        rect: Rect::new(x0 - pad, y0 - pad, x1 - x0 + width, y1 - y0 + width),
        shape: Shape::Path {
            points,
            at,
            width,
            ink,
        },
    });
}

/// How far along a path (0 to 1) each of its points lies, by length: a pen at an even pace.
fn even_pace(points: &[(f32, f32)]) -> Vec<f32> {
    let mut run = vec![0.0f32];
    for w in points.windows(2) {
        let step = (w[1].0 - w[0].0).hypot(w[1].1 - w[0].1);
        run.push(run.last().copied().unwrap_or(0.0) + step);
    }
    let total = run.last().copied().unwrap_or(0.0);
    run.iter()
        .map(|d| if total > 0.0 { d / total } else { 0.0 })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_pen_at_an_even_pace_reaches_points_by_length() {
        assert_eq!(
            even_pace(&[(0.0, 0.0), (3.0, 4.0), (3.0, 14.0), (3.0, 19.0)]),
            [0.0, 0.25, 0.75, 1.0]
        );
        assert_eq!(even_pace(&[(1.0, 1.0)]), [0.0]);
        assert_eq!(even_pace(&[(1.0, 1.0), (1.0, 1.0)]), [0.0, 0.0]);
    }
}
