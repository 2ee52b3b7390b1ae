//! Points on a line or scatter chart: their markers and where they lie.

use super::plot_area::Plot;
use super::{Element, ElementId, Rect, Shape};
use crate::chart::LinePlot;

// Sizes in reference pixels (a 1920×1080 frame).
pub(super) const MARKER_RADIUS: f32 = 7.5;
pub(super) const MARKER_HALO: f32 = 2.5;
pub(super) const RING_RADIUS: f32 = 17.0;

/// Where point `i` of series `s` lies on the frame.
pub(super) fn point_at(geometry: &Plot, plot: &LinePlot, s: usize, i: usize) -> (f32, f32) {
    let p = &plot.series[s].points[i];
    (geometry.x(plot.x.levels[p.level].at), geometry.y(p.y))
}

/// A point's marker centred on `(x, y)`, its halo included, at layout unit `u`.
pub(super) fn marker(
    id: ElementId,
    (x, y): (f32, f32),
    color: crate::chart::Rgb,
    u: f32,
) -> Element {
    let radius = (MARKER_RADIUS + MARKER_HALO) * u;
    Element {
        id,
        rect: Rect::new(x - radius, y - radius, 2.0 * radius, 2.0 * radius),
        shape: Shape::Marker {
            color,
            halo: MARKER_HALO * u,
        },
    }
}
