//! The plot of a line chart: axes (see [`super::plot_area`]); one curve per series with a
//! marker at each point; rings around called-out points. The text on the plot is placed by
//! [`super::line_labels`].

use super::axes::{x_axis_span, x_ticks, y_ticks};
use super::line_labels::{place_callouts, place_point_labels};
use super::marker::{RING_RADIUS, marker};
use super::plot_area::{Axes, Plot, place_axes};
use super::point_labels::{LABEL_GAP, POINT_LABEL_SIZE};
use super::whisker::point_whisker;
use super::{Axis, Element, ElementId, Fitted, Frame, Rect, Shape, Weight};
use crate::chart::{LinePlot, PointLabels, XScale};

// Sizes in reference pixels (a 1920×1080 frame).
const LINE_WIDTH: f32 = 4.5;
const RING_WIDTH: f32 = 3.0;
/// A series with more points than this has no markers, nor does any series on an axis of more
/// x values (where they would touch): the curve alone reads better.
const MAX_MARKERS: usize = 60;

pub(super) fn place_lines(plot: &LinePlot, frame: &mut Frame, top: f32, bottom: f32) {
    let u = frame.unit;
    let content = frame.content_width();
    let y_ticks = y_ticks(plot);
    let x_ticks = x_ticks(plot);
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

    let axes = Axes {
        x_ticks: &x_ticks,
        y_ticks: &y_ticks,
        x_title: &scale_marked(&plot.x.title, plot.x.scale),
        y_title: &plot.y.title,
        x_span: x_axis_span(plot),
        inset: ring,
        end_room,
    };
    let geometry = place_axes(frame, &axes, top, bottom);
    place_curves(plot, frame, &geometry);
    // Text may go anywhere on the plot, up into the room above it and into the room right of it.
    place_point_labels(plot, frame, &geometry, end_labels);
    place_callouts(plot, frame, &geometry);
}

/// One curve per series (in pieces where it has gaps), then the whiskers and markers on top.
fn place_curves(plot: &LinePlot, frame: &mut Frame, geometry: &Plot) {
    let u = frame.unit;
    let width = LINE_WIDTH * u;
    // The pen sweeps the values, not the axis: on an axis rounded out past them it still
    // reaches the last point as the step ends.
    let (first, last) = plot.x_span();
    let pen = (geometry.x(first), geometry.x(last));
    let columns = (geometry.x1 - geometry.x0).round().max(1.0) as usize;
    for (s, series) in plot.series.iter().enumerate() {
        let mut pieces: Vec<Vec<(f32, f32)>> = Vec::new();
        let mut previous: Option<usize> = None;
        for p in &series.points {
            let at = (geometry.x(plot.x.levels[p.level].at), geometry.y(p.y));
            // A level between two points that the series lacks breaks the curve.
            match (previous, pieces.last_mut()) {
                (Some(prev), Some(piece)) if p.level == prev + 1 || plot.x.continuous => {
                    piece.push(at)
                }
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
        if series.points.len() > columns {
            frame.notes.push(format!(
                "series \"{}\" has {} points, more than the plot's {columns} pixel columns: drawn as each column's lowest and highest value",
                series.label,
                series.points.len()
            ));
        }
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
    // Whiskers over repeated runs, beneath the markers.
    for (s, series) in plot.series.iter().enumerate() {
        for (i, p) in series.points.iter().enumerate() {
            let Some((lo, hi)) = p.whisker else { continue };
            let x = geometry.x(plot.x.levels[p.level].at);
            let id = ElementId::PointWhisker {
                series: s,
                i,
                axis: Axis::Y,
            };
            let span = (geometry.y(lo), geometry.y(hi));
            frame
                .elements
                .push(point_whisker(id, Axis::Y, span, x, u, series.color));
        }
    }
    for (s, series) in plot.series.iter().enumerate() {
        if series.points.len() > MAX_MARKERS || plot.x.levels.len() > MAX_MARKERS {
            continue;
        }
        for (i, p) in series.points.iter().enumerate() {
            let (x, y) = (geometry.x(plot.x.levels[p.level].at), geometry.y(p.y));
            frame.elements.push(marker(
                ElementId::Point { series: s, i },
                (x, y),
                series.color,
                u,
            ));
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

/// An x axis title that says when the axis is logarithmic, since its even steps are not.
fn scale_marked(title: &str, scale: XScale) -> String {
    let mark = match scale {
        XScale::Log2 => "log₂ scale",
        XScale::Log10 => "log scale",
        XScale::Linear | XScale::Category => return title.to_string(),
    };
    if title.is_empty() {
        mark.to_string()
    } else {
        format!("{title} ({mark})")
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
