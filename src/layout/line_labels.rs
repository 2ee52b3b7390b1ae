//! Text on a line chart's plot: the value at each line's end (or at every point) and the peak
//! and knee callouts. Each goes to the first of a few spots around its point where it hits
//! nothing; a callout that had to go further out gets a thin leader line back to its ring.

use super::clash::clash;
use super::lines::{MARKER_HALO, MARKER_RADIUS, Plot, RING_RADIUS};
use super::{Element, ElementId, Fitted, Frame, Rect, Shape, TextRole, TextSpec, Weight};
use crate::chart::{AnnotationKind, LinePlot, PointLabels, Rgb};
use crate::results::Direction;

// Sizes in reference pixels (a 1920×1080 frame).
pub const POINT_LABEL_SIZE: f32 = 27.0;
const ANNOTATION_SIZE: f32 = 25.0;
/// Between a point's marker (or ring) and its label.
pub(super) const LABEL_GAP: f32 = 8.0;
/// How far out callouts may go, in steps of their nearest distance.
const REACHES: [f32; 6] = [1.0, 1.6, 2.2, 3.0, 4.0, 5.5];
/// A callout further than this from its ring (in reference pixels) gets a leader line.
const LEADER_FROM: f32 = 40.0;
const LEADER_WIDTH: f32 = 1.5;
/// Leaders stop this short of the callout, so they point at it without touching it.
const LEADER_GAP: f32 = 5.0;
/// Callouts that fit nowhere at their size try once more this much smaller.
const CALLOUT_SHRINK: f32 = 0.85;

/// Value labels: each line's end first (they must show), then with `all` every other point,
/// if every one of them finds a place (otherwise none of them, so that no label of a run
/// goes missing unnoticed). `end_labels` are the lines' end labels, already fitted.
pub(super) fn place_point_labels(
    plot: &LinePlot,
    frame: &mut Frame,
    geometry: &Plot,
    end_labels: Vec<Option<Fitted>>,
    room: Rect,
) {
    let u = frame.unit;
    let annotated = |s: usize, i: usize| {
        plot.annotations
            .iter()
            .any(|a| a.series == s && a.point == i)
    };
    let gap = |s: usize, i: usize| {
        let radius = if annotated(s, i) {
            RING_RADIUS
        } else {
            MARKER_RADIUS + MARKER_HALO
        };
        (radius + LABEL_GAP) * u
    };
    let point = |s: usize, i: usize| geometry.point(plot, s, i);
    for (s, label) in end_labels.into_iter().enumerate() {
        let Some(label) = label else { continue };
        let i = plot.series[s].points.len() - 1;
        let spots = around(point(s, i), gap(s, i), &label, Side::Right);
        let element = text(
            ElementId::PointLabel { series: s, i },
            label,
            TextRole::PointLabel,
            plot.series[s].color,
        );
        place_free(frame, element, &spots, room);
    }
    if plot.point_labels != PointLabels::All {
        return;
    }
    let placed = frame.elements.len();
    for (s, series) in plot.series.iter().enumerate() {
        for (i, p) in series.points.iter().enumerate().rev().skip(1) {
            let size = POINT_LABEL_SIZE * u;
            let label = frame.fit(&p.label, size, Weight::Regular, room.w);
            let spots = around(point(s, i), gap(s, i), &label, Side::Above);
            let id = ElementId::PointLabel { series: s, i };
            let element = text(id, label, TextRole::PointLabel, series.color);
            if !place_free(frame, element, &spots, room) {
                frame.elements.truncate(placed);
                return;
            }
        }
    }
}

/// Peak and knee callouts, each beside its ring: a peak on the side of the plot it stands out
/// toward (above for higher-is-better), a knee on the other, where the curve has flattened.
pub(super) fn place_callouts(plot: &LinePlot, frame: &mut Frame, geometry: &Plot, room: Rect) {
    let u = frame.unit;
    let gap = (RING_RADIUS + LABEL_GAP) * u;
    let higher = plot.y.direction != Some(Direction::Lower);
    for (a, annotation) in plot.annotations.iter().enumerate() {
        let series = &plot.series[annotation.series];
        let at = geometry.point(plot, annotation.series, annotation.point);
        let side = match (annotation.kind, higher) {
            (AnnotationKind::Peak, true) | (AnnotationKind::Knee, false) => Side::Above,
            _ => Side::Below,
        };
        for size in [ANNOTATION_SIZE * u, ANNOTATION_SIZE * u * CALLOUT_SHRINK] {
            let fitted = frame.fit(&annotation.text, size, Weight::Regular, room.w);
            let mut element = text(
                ElementId::Annotation(a),
                fitted.clone(),
                TextRole::Annotation,
                series.color,
            );
            let spots = REACHES
                .iter()
                .flat_map(|reach| around(at, gap * reach, &fitted, side));
            let placed = spots.into_iter().find_map(|(x, y)| {
                element.rect.x = x.round();
                element.rect.y = y.round();
                let leader = leader(a, at, &element.rect, series.color, u);
                let free = |e: &Element| {
                    room.contains(&e.rect) && !frame.elements.iter().any(|o| clash(o, e))
                };
                let fits = free(&element) && leader.as_ref().is_none_or(free);
                fits.then(|| (element.clone(), leader))
            });
            if let Some((callout, leader)) = placed {
                frame.elements.extend(leader);
                frame.elements.push(callout);
                break;
            }
        }
    }
}

/// A thin line from the ring around `point` toward the callout in `rect`, when the callout
/// sits too far from it to read as its own.
fn leader(a: usize, point: (f32, f32), rect: &Rect, color: Rgb, unit: f32) -> Option<Element> {
    let nearest = (
        point.0.clamp(rect.x, rect.right()),
        point.1.clamp(rect.y, rect.bottom()),
    );
    let (dx, dy) = (nearest.0 - point.0, nearest.1 - point.1);
    let distance = dx.hypot(dy);
    if distance < (RING_RADIUS + LEADER_FROM) * unit {
        return None;
    }
    let (ux, uy) = (dx / distance, dy / distance);
    let from = RING_RADIUS * unit + LEADER_GAP * unit;
    let to = distance - LEADER_GAP * unit;
    let start = (point.0 + ux * from, point.1 + uy * from);
    let end = (point.0 + ux * to, point.1 + uy * to);
    let width = (LEADER_WIDTH * unit).max(1.0);
    let (x0, x1) = (start.0.min(end.0), start.0.max(end.0));
    let (y0, y1) = (start.1.min(end.1), start.1.max(end.1));
    Some(Element {
        id: ElementId::Leader(a),
        rect: Rect::new(
            x0 - width / 2.0,
            y0 - width / 2.0,
            x1 - x0 + width,
            y1 - y0 + width,
        ),
        shape: Shape::Polyline {
            pieces: vec![vec![start, end]],
            bridges: Vec::new(),
            color,
            width,
            pen: (x0, x1),
        },
    })
}

/// Which side of its point a label tries first.
#[derive(Clone, Copy, PartialEq)]
enum Side {
    Right,
    Above,
    Below,
}

/// Top-left corners for `label` around `point`, `gap` pixels from it, best first.
fn around(point: (f32, f32), gap: f32, label: &Fitted, side: Side) -> Vec<(f32, f32)> {
    let (x, y) = point;
    let (w, h) = (label.width, label.height());
    let diagonal = gap * 0.75;
    let right = (x + gap, y - h / 2.0);
    let left = (x - gap - w, y - h / 2.0);
    // Above and below: centred, or ending or starting near the point.
    let above = [
        (x - diagonal - w, y - diagonal - h),
        (x - w / 2.0, y - gap - h),
        (x + diagonal, y - diagonal - h),
        (x - w + gap, y - gap - h),
        (x - gap, y - gap - h),
    ];
    let below = [
        (x + diagonal, y + diagonal),
        (x - w / 2.0, y + gap),
        (x - diagonal - w, y + diagonal),
        (x - gap, y + gap),
        (x - w + gap, y + gap),
    ];
    match side {
        // A line's end: right of it, nudged up or down if another line ends close by.
        Side::Right => {
            let mut spots = vec![right];
            for k in 1..=4 {
                let nudge = k as f32 * h * 0.5;
                spots.push((right.0, right.1 - nudge));
                spots.push((right.0, right.1 + nudge));
            }
            spots.extend(above.into_iter().chain(below));
            spots.push(left);
            spots
        }
        Side::Above => above
            .into_iter()
            .chain([left, right])
            .chain(below)
            .collect(),
        Side::Below => below
            .into_iter()
            .chain([right, left])
            .chain(above)
            .collect(),
    }
}

/// Text of the series coloured `tint`, not yet placed.
fn text(id: ElementId, fitted: Fitted, role: TextRole, tint: Rgb) -> Element {
    Element {
        id,
        rect: Rect::new(0.0, 0.0, fitted.width, fitted.height()),
        shape: Shape::Text(TextSpec {
            text: fitted.text,
            size: fitted.size,
            weight: Weight::Regular,
            role,
            tint: Some(tint),
        }),
    }
}

/// Puts `element` with its top-left corner at the first of `spots` (snapped to whole pixels)
/// where it lies inside `room` and clashes with nothing placed so far; false when there is
/// no such spot.
fn place_free(frame: &mut Frame, mut element: Element, spots: &[(f32, f32)], room: Rect) -> bool {
    for &(x, y) in spots {
        element.rect.x = x.round();
        element.rect.y = y.round();
        if room.contains(&element.rect) && !frame.elements.iter().any(|e| clash(e, &element)) {
            frame.elements.push(element);
            return true;
        }
    }
    false
}
