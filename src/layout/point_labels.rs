//! Labels beside points: each goes to the first of a few spots around its point where it lies
//! inside the room for text and hits nothing placed so far.

use super::clash::clash;
use super::{Element, ElementId, Fitted, Frame, Rect, Shape, TextRole, TextSpec, Weight};
use crate::chart::Rgb;

// Sizes in reference pixels (a 1920×1080 frame).
pub const POINT_LABEL_SIZE: f32 = 27.0;
/// Between a point's marker (or ring) and its label.
pub(super) const LABEL_GAP: f32 = 8.0;

/// A label for a point, fitted but not yet placed.
pub(super) struct PointText {
    pub id: ElementId,
    /// The point, in frame pixels.
    pub at: (f32, f32),
    /// How far the label keeps from the point's centre.
    pub gap: f32,
    pub fitted: Fitted,
    /// The series' colour, which tints the text.
    pub color: Rgb,
}

/// Places every label of `must` where it fits (one that fits nowhere is left out), trying
/// `must_side` first; then each group of `rest`, trying `rest_side` first: the whole group if
/// every one of its labels finds a place, else none of it, so that no label of a group goes
/// missing unnoticed.
pub(super) fn place_labels(
    frame: &mut Frame,
    must: Vec<PointText>,
    must_side: Side,
    rest: Vec<Vec<PointText>>,
    rest_side: Side,
    room: Rect,
) {
    for label in must {
        let spots = around(label.at, label.gap, &label.fitted, must_side);
        let element = text(label.id, label.fitted, TextRole::PointLabel, label.color);
        place_free(frame, element, &spots, room);
    }
    for group in rest {
        let placed = frame.elements.len();
        for label in group {
            let spots = around(label.at, label.gap, &label.fitted, rest_side);
            let element = text(label.id, label.fitted, TextRole::PointLabel, label.color);
            if !place_free(frame, element, &spots, room) {
                frame.elements.truncate(placed);
                break;
            }
        }
    }
}

/// Which side of its point a label tries first.
#[derive(Clone, Copy, PartialEq)]
pub(super) enum Side {
    Right,
    Above,
    Below,
}

/// Top-left corners for `label` around `point`, `gap` pixels from it, best first.
pub(super) fn around(point: (f32, f32), gap: f32, label: &Fitted, side: Side) -> Vec<(f32, f32)> {
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
pub(super) fn text(id: ElementId, fitted: Fitted, role: TextRole, tint: Rgb) -> Element {
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
pub(super) fn place_free(
    frame: &mut Frame,
    mut element: Element,
    spots: &[(f32, f32)],
    room: Rect,
) -> bool {
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
