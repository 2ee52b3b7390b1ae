//! A path drawn along its length (see [`crate::layout::Shape::Path`]): which stretch of it is
//! drawn when the drawing is some way through.

/// The length of the path through `points`, in pixels.
pub fn length(points: &[(f32, f32)]) -> f32 {
    points
        .windows(2)
        .map(|w| (w[1].0 - w[0].0).hypot(w[1].1 - w[0].1))
        .sum()
}

/// The stretch of a path between the moments its drawing is `from` and `to` of the way through
/// (0 to 1), where `at` says when each point is reached: the pen's place at `from`, the points
/// passed, the pen's place at `to`. Empty before the first point is reached.
pub fn stretch(points: &[(f32, f32)], at: &[f32], from: f32, to: f32) -> Vec<(f32, f32)> {
    let Some(&first) = at.first() else {
        return Vec::new();
    };
    if to < first || points.len() != at.len() {
        return Vec::new();
    }
    let from = from.max(first);
    let mut out = vec![position(points, at, from)];
    out.extend(
        points
            .iter()
            .zip(at)
            .filter(|&(_, &a)| a > from && a < to)
            .map(|(p, _)| *p),
    );
    out.push(position(points, at, to));
    out
}

/// Where the pen is when the drawing is `g` of the way through.
fn position(points: &[(f32, f32)], at: &[f32], g: f32) -> (f32, f32) {
    let k = at.iter().rposition(|&a| a <= g).unwrap_or(0);
    match (points.get(k + 1), at.get(k + 1)) {
        (Some(&next), Some(&reached)) if reached > at[k] => {
            let t = ((g - at[k]) / (reached - at[k])).clamp(0.0, 1.0);
            let here = points[k];
            (
                here.0 + t * (next.0 - here.0),
                here.1 + t * (next.1 - here.1),
            )
        }
        _ => points[k],
    }
}

/// The box around `points`, grown by `pad` all round; `None` without points.
pub fn bounds(points: &[(f32, f32)], pad: f32) -> Option<crate::layout::Rect> {
    let (&(x, y), rest) = points.split_first()?;
    let (mut x0, mut y0, mut x1, mut y1) = (x, y, x, y);
    for &(x, y) in rest {
        (x0, y0, x1, y1) = (x0.min(x), y0.min(y), x1.max(x), y1.max(y));
    }
    Some(crate::layout::Rect::new(
        x0 - pad,
        y0 - pad,
        x1 - x0 + 2.0 * pad,
        y1 - y0 + 2.0 * pad,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_stretch_drawn_runs_from_pen_to_pen_through_the_points_passed() {
        // Three points reached at 0.25, 0.5 and 1: the path starts late, like a series lacking
        // the first level.
        let points = [(0.0, 0.0), (10.0, 0.0), (10.0, 20.0)];
        let at = [0.25, 0.5, 1.0];
        assert!(stretch(&points, &at, 0.0, 0.125).is_empty());
        assert_eq!(stretch(&points, &at, 0.0, 0.25), [(0.0, 0.0), (0.0, 0.0)]);
        assert_eq!(stretch(&points, &at, 0.0, 0.375), [(0.0, 0.0), (5.0, 0.0)]);
        assert_eq!(
            stretch(&points, &at, 0.0, 0.75),
            [(0.0, 0.0), (10.0, 0.0), (10.0, 10.0)]
        );
        assert_eq!(
            stretch(&points, &at, 0.375, 1.0),
            [(5.0, 0.0), (10.0, 0.0), (10.0, 20.0)]
        );
        assert_eq!(length(&points), 30.0);
        let b = bounds(&points, 1.0).unwrap();
        assert_eq!((b.x, b.y, b.w, b.h), (-1.0, -1.0, 12.0, 22.0));
        // A path of one point is a dot once reached.
        assert_eq!(
            stretch(&[(3.0, 4.0)], &[0.0], 0.0, 1.0),
            [(3.0, 4.0), (3.0, 4.0)]
        );
    }
}
