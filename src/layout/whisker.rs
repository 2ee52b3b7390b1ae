//! Whiskers over repeated runs (`spread`): a thin line from the least to the most (or a
//! standard deviation either side), with a cap across each end.

use super::{Axis, Element, ElementId, Ink, Rect, Shape};

// Sizes in reference pixels (a 1920×1080 frame).
/// How thick a whisker's line and caps are.
pub(super) const WHISKER_WIDTH: f32 = 2.0;
/// How long the caps across a point's whisker are.
pub(super) const POINT_CAP: f32 = 14.0;
/// How long the caps across a bar's whisker are, as a share of the bar's thickness.
pub(super) const BAR_CAP: f32 = 0.6;

/// A whisker along `along` from `from` to `to` (frame pixels along that axis), through
/// `across` (the other coordinate), with caps `cap` long and lines `width` thick.
pub(super) fn whisker(
    id: ElementId,
    along: Axis,
    (from, to): (f32, f32),
    across: f32,
    cap: f32,
    width: f32,
    ink: Ink,
) -> Element {
    let (start, length) = (from.min(to) - width / 2.0, (to - from).abs() + width);
    let rect = match along {
        Axis::X => Rect::new(start, across - cap / 2.0, length, cap),
        Axis::Y => Rect::new(across - cap / 2.0, start, cap, length),
    };
    Element {
        id,
        rect,
        shape: Shape::Whisker { along, width, ink },
    }
}

/// The whisker of a point of a series coloured `color`, from `from` to `to` along `along`.
pub(super) fn point_whisker(
    id: ElementId,
    along: Axis,
    span: (f32, f32),
    across: f32,
    unit: f32,
    color: crate::chart::Rgb,
) -> Element {
    let width = (WHISKER_WIDTH * unit).max(1.0);
    whisker(
        id,
        along,
        span,
        across,
        POINT_CAP * unit,
        width,
        Ink::Series(color),
    )
}
