//! Text on a line chart's plot: the value at each line's end (or at every point) and the peak
//! and knee callouts. Each goes to the first of a few spots around its point where it hits
//! nothing (see [`super::point_labels`]); a callout that had to go further out gets a thin
//! leader line back to its ring.

use super::clash::clash;
use super::marker::{MARKER_HALO, MARKER_RADIUS, RING_RADIUS, point_at};
use super::plot_area::Plot;
use super::point_labels::{
    LABEL_GAP, POINT_LABEL_SIZE, PointText, Side, around, place_labels, text,
};
use super::{Element, ElementId, Fitted, Frame, Rect, Shape, TextRole, Weight};
use crate::chart::{AnnotationKind, LinePlot, PointLabels, Rgb};
use crate::results::Direction;

// Sizes in reference pixels (a 1920×1080 frame).
const ANNOTATION_SIZE: f32 = 25.0;
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
) {
    let u = frame.unit;
    let annotated = |s: usize, i: usize| {
        plot.annotations
            .iter()
            .any(|a| a.series == s && a.point == i)
    };
    let label = |s: usize, i: usize, fitted: Fitted| {
        let radius = if annotated(s, i) {
            RING_RADIUS
        } else {
            MARKER_RADIUS + MARKER_HALO
        };
        PointText {
            id: ElementId::PointLabel { series: s, i },
            at: point_at(geometry, plot, s, i),
            gap: (radius + LABEL_GAP) * u,
            fitted,
            color: plot.series[s].color,
        }
    };
    let ends: Vec<PointText> = end_labels
        .into_iter()
        .enumerate()
        .filter_map(|(s, fitted)| Some(label(s, plot.series[s].points.len() - 1, fitted?)))
        .collect();
    let mut rest = Vec::new();
    if plot.point_labels == PointLabels::All {
        for (s, series) in plot.series.iter().enumerate() {
            for (i, p) in series.points.iter().enumerate().rev().skip(1) {
                let size = POINT_LABEL_SIZE * u;
                let fitted = frame.fit(&p.label, size, Weight::Regular, geometry.room.w);
                rest.push(label(s, i, fitted));
            }
        }
    }
    // One group: every line's labels or none.
    place_labels(
        frame,
        ends,
        Side::Right,
        vec![rest],
        Side::Above,
        geometry.room,
    );
}

/// The labels [`place_point_labels`] and [`place_callouts`] try to place: each line's end
/// label (unless labels are off), with `all` every other point's, and every callout.
pub(super) fn asked_labels(plot: &LinePlot) -> Vec<ElementId> {
    let mut asked = Vec::new();
    if plot.point_labels != PointLabels::None {
        for (s, series) in plot.series.iter().enumerate() {
            let n = series.points.len();
            let first = match plot.point_labels {
                PointLabels::All => 0,
                _ => n.saturating_sub(1),
            };
            asked.extend((first..n).map(|i| ElementId::PointLabel { series: s, i }));
        }
    }
    asked.extend((0..plot.annotations.len()).map(ElementId::Annotation));
    asked
}

/// Peak and knee callouts, each beside its ring: a peak on the side of the plot it stands out
/// toward (above for higher-is-better), a knee on the other, where the curve has flattened.
/// A callout with no room is left out with its ring, so no ring is drawn without its words.
pub(super) fn place_callouts(plot: &LinePlot, frame: &mut Frame, geometry: &Plot) {
    let mut left_out = Vec::new();
    let u = frame.unit;
    let room = geometry.room;
    let gap = (RING_RADIUS + LABEL_GAP) * u;
    let higher = plot.y.direction != Some(Direction::Lower);
    for (a, annotation) in plot.annotations.iter().enumerate() {
        let series = &plot.series[annotation.series];
        let at = point_at(geometry, plot, annotation.series, annotation.point);
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
        if frame.elements.last().map(|e| e.id) != Some(ElementId::Annotation(a)) {
            left_out.push(ElementId::Ring(a));
        }
    }
    frame.elements.retain(|e| !left_out.contains(&e.id));
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
