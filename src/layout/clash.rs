//! When two elements get in each other's way, for [`super::Layout::collisions`] and for placing
//! labels where they hit nothing.
//!
//! Boxes that overlap clash, and a curve clashes with a box it crosses (its bounding box spans
//! most of the plot, so that is never compared). Exempt, because they overlap by nature:
//! - a value label drawn inside its own bar, a whisker over its own bar, and a delta on its own
//!   pill;
//! - rules (gridlines, the axis line, tick marks) with each other and with what is drawn on the
//!   plot: curves, markers and rings go over them, and text on the plot is drawn on a patch of
//!   background that interrupts them;
//! - the data's own shapes with each other (curves, paths, markers, rings, whiskers): two
//!   series meet where their values do, and a marker sits on its curve.

use super::{Element, ElementId, Rect, Shape, TextRole, TextSpec};

/// What an element is, as far as overlapping goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Layer {
    /// Rules under the plot.
    Rule,
    /// Curves, markers, rings.
    Data,
    /// Text on the plot (point labels, callouts).
    OnPlot,
    /// Everything else: titles, legend, bars, tick labels, footer.
    Other,
}

fn layer(e: &Element) -> Layer {
    match &e.shape {
        Shape::Rule { .. } => Layer::Rule,
        Shape::Polyline { .. }
        | Shape::Path { .. }
        | Shape::Marker { .. }
        | Shape::Ring { .. }
        | Shape::Whisker { .. } => Layer::Data,
        Shape::Text(spec) if spec.role.on_plot() => Layer::OnPlot,
        _ => Layer::Other,
    }
}

/// True when `a` and `b` get in each other's way.
pub fn clash(a: &Element, b: &Element) -> bool {
    use Layer::*;
    match (layer(a), layer(b)) {
        (Rule, Rule | Data | OnPlot) | (Data | OnPlot, Rule) | (Data, Data) => return false,
        _ => {}
    }
    match (&a.shape, &b.shape) {
        (Shape::Polyline { .. } | Shape::Path { .. }, _) => curve_crosses(a, &b.rect),
        (_, Shape::Polyline { .. } | Shape::Path { .. }) => curve_crosses(b, &a.rect),
        _ => {
            a.rect.overlaps(&b.rect)
                && !inside_own_bar(a, b)
                && !inside_own_bar(b, a)
                && !over_own_bar(a, b)
                && !over_own_bar(b, a)
                && !on_own_pill(a, b)
                && !on_own_pill(b, a)
        }
    }
}

/// True when `whisker` is the whisker of `bar`, which it crosses by nature.
fn over_own_bar(whisker: &Element, bar: &Element) -> bool {
    match (whisker.id, bar.id) {
        (ElementId::Whisker { row, bar: b }, ElementId::Bar { row: r2, bar: b2 }) => {
            row == r2 && b == b2
        }
        _ => false,
    }
}

/// True when `text` is the delta written on `pill`, and stays inside it.
fn on_own_pill(text: &Element, pill: &Element) -> bool {
    match (text.id, pill.id) {
        (ElementId::Delta(r), ElementId::DeltaPill(r2)) => {
            r == r2 && pill.rect.contains(&text.rect)
        }
        _ => false,
    }
}

/// True when `label` is a value label drawn inside `bar`, its own bar, and stays inside it.
fn inside_own_bar(label: &Element, bar: &Element) -> bool {
    match (label.id, bar.id, &label.shape) {
        (
            ElementId::Value { row, bar: b },
            ElementId::Bar { row: r2, bar: b2 },
            Shape::Text(TextSpec {
                role: TextRole::ValueInside,
                ..
            }),
        ) => row == r2 && b == b2 && bar.rect.contains(&label.rect),
        _ => false,
    }
}

/// True when `curve`, a polyline or a path, crosses `rect` (a polyline with a piece or a
/// bridge over a gap).
fn curve_crosses(curve: &Element, rect: &Rect) -> bool {
    match &curve.shape {
        Shape::Polyline {
            pieces,
            bridges,
            width,
            ..
        } => {
            crosses(pieces, *width, rect)
                || bridges.iter().any(|b| crosses(&[b.to_vec()], *width, rect))
        }
        Shape::Path { points, width, .. } => piece_crosses(points, *width, rect),
        _ => false,
    }
}

/// True when a curve `width` pixels wide through `pieces` crosses `rect`.
pub fn crosses(pieces: &[Vec<(f32, f32)>], width: f32, rect: &Rect) -> bool {
    pieces.iter().any(|piece| piece_crosses(piece, width, rect))
}

/// True when a curve `width` pixels wide through `points` crosses `rect`.
fn piece_crosses(points: &[(f32, f32)], width: f32, rect: &Rect) -> bool {
    let half = width / 2.0;
    let grown = Rect::new(rect.x - half, rect.y - half, rect.w + width, rect.h + width);
    match points {
        [only] => segment_hits(*only, *only, &grown),
        points => points.windows(2).any(|w| segment_hits(w[0], w[1], &grown)),
    }
}

/// True when the segment from `a` to `b` passes through the inside of `r` (touching its edge
/// does not count): Liang–Barsky clipping.
fn segment_hits(a: (f32, f32), b: (f32, f32), r: &Rect) -> bool {
    const EPS: f32 = 1e-3;
    let (dx, dy) = (b.0 - a.0, b.1 - a.1);
    let (mut t0, mut t1) = (0.0f32, 1.0f32);
    let edges = [
        (-dx, a.0 - (r.x + EPS)),
        (dx, (r.right() - EPS) - a.0),
        (-dy, a.1 - (r.y + EPS)),
        (dy, (r.bottom() - EPS) - a.1),
    ];
    for (p, q) in edges {
        if p == 0.0 {
            if q < 0.0 {
                return false;
            }
        } else {
            let t = q / p;
            if p < 0.0 {
                t0 = t0.max(t);
            } else {
                t1 = t1.min(t);
            }
            if t0 > t1 {
                return false;
            }
        }
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_curve_clashes_only_with_boxes_it_passes_through() {
        let diagonal = vec![vec![(0.0, 0.0), (100.0, 100.0)]];
        // On the diagonal, and just off it on either side.
        assert!(crosses(&diagonal, 2.0, &Rect::new(40.0, 40.0, 10.0, 10.0)));
        assert!(!crosses(&diagonal, 2.0, &Rect::new(60.0, 10.0, 20.0, 20.0)));
        assert!(!crosses(&diagonal, 2.0, &Rect::new(10.0, 60.0, 20.0, 20.0)));
        // The line's width counts: a box one pixel off a 4-pixel line is hit.
        let flat = vec![vec![(0.0, 50.0), (100.0, 50.0)]];
        assert!(crosses(&flat, 4.0, &Rect::new(10.0, 51.0, 10.0, 10.0)));
        assert!(!crosses(&flat, 4.0, &Rect::new(10.0, 53.0, 10.0, 10.0)));
        // Past the curve's end, nothing.
        assert!(!crosses(&flat, 4.0, &Rect::new(110.0, 45.0, 10.0, 10.0)));
        // A gap between pieces is no curve.
        let gapped = vec![
            vec![(0.0, 50.0), (40.0, 50.0)],
            vec![(60.0, 50.0), (100.0, 50.0)],
        ];
        assert!(!crosses(&gapped, 4.0, &Rect::new(45.0, 40.0, 10.0, 20.0)));
        assert!(crosses(
            &[vec![(50.0, 50.0)]],
            4.0,
            &Rect::new(45.0, 45.0, 4.0, 4.0)
        ));
    }
}
