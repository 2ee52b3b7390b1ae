//! Drawing primitives for the stage: paints, filled circles, stroked paths, whisker parts and
//! rules snapped to whole pixels.

use tiny_skia::{
    BlendMode, FillRule, LineCap, LineJoin, Paint, PathBuilder, PixmapMut, Stroke, StrokeDash,
    Transform,
};

use crate::chart::Rgb;
use crate::layout::{Axis, Rect};

/// An antialiased paint of `color` at `alpha`.
pub fn paint(color: Rgb, alpha: u8) -> Paint<'static> {
    let mut paint = Paint {
        anti_alias: true,
        ..Paint::default()
    };
    paint.set_color_rgba8(color.0, color.1, color.2, alpha);
    paint
}

/// A paint that puts the background back at `alpha` over what is drawn: its colour on an
/// opaque frame; on a transparent one (`None`), it erases as much, so that the frame laid over
/// any footage shows the footage there, as the opaque frame shows its background.
pub fn backdrop(background: Option<Rgb>, alpha: u8) -> Paint<'static> {
    match background {
        Some(color) => paint(color, alpha),
        None => Paint {
            blend_mode: BlendMode::DestinationOut,
            ..paint(Rgb(0, 0, 0), alpha)
        },
    }
}

/// A thin rule on whole pixels, so it stays crisp wherever the layout put it.
pub fn pixel_snapped(r: &Rect) -> Rect {
    let (x0, y0) = (r.x.round(), r.y.round());
    let x1 = r.right().round().max(x0 + 1.0);
    let y1 = r.bottom().round().max(y0 + 1.0);
    Rect::new(x0, y0, x1 - x0, y1 - y0)
}

/// The part of a curve left of the pen at `reach`: its points up to there, then the point on
/// the next segment where the pen is. `None` when nothing of it is drawn yet.
pub fn drawn_path(piece: &[(f32, f32)], reach: f32) -> Option<tiny_skia::Path> {
    let (&first, rest) = piece.split_first()?;
    if first.0 > reach || rest.is_empty() {
        return None;
    }
    let mut path = PathBuilder::new();
    path.move_to(first.0, first.1);
    let mut last = first;
    for &p in rest {
        if p.0 <= reach {
            path.line_to(p.0, p.1);
            last = p;
            continue;
        }
        let t = ((reach - last.0) / (p.0 - last.0)).clamp(0.0, 1.0);
        path.line_to(last.0 + t * (p.0 - last.0), last.1 + t * (p.1 - last.1));
        break;
    }
    path.finish()
}

/// A whisker across `r` along `along`, `width` thick: its line through the middle, then a cap
/// across each end.
pub fn whisker_parts(r: &Rect, along: Axis, width: f32) -> [Rect; 3] {
    match along {
        Axis::X => [
            Rect::new(r.x, r.center_y() - width / 2.0, r.w, width),
            Rect::new(r.x, r.y, width, r.h),
            Rect::new(r.right() - width, r.y, width, r.h),
        ],
        Axis::Y => {
            let center_x = r.x + r.w / 2.0;
            [
                Rect::new(center_x - width / 2.0, r.y, width, r.h),
                Rect::new(r.x, r.y, r.w, width),
                Rect::new(r.x, r.bottom() - width, r.w, width),
            ]
        }
    }
}

/// A line `width` wide through `points`, with round ends and corners; a dot where they are all
/// one point.
/// The dashes and gaps of a dashed line `width` wide, measured as drawn with round caps (a
/// dash shows a width longer, a gap a width shorter): dashes of 4 widths, gaps of 2.5.
pub fn dashes(width: f32) -> [f32; 2] {
    [3.0 * width, 3.5 * width]
}

/// A line through `points`, dashed when `dashed`.
pub fn stroke_path(
    target: &mut PixmapMut,
    points: &[(f32, f32)],
    (width, dashed): (f32, bool),
    color: Rgb,
    alpha: u8,
    origin: (f32, f32),
) {
    let Some((&first, rest)) = points.split_first() else {
        return;
    };
    if rest.iter().all(|&p| p == first) {
        let center = (first.0, first.1);
        fill_circle(target, center, width / 2.0, &paint(color, alpha), origin);
        return;
    }
    let mut builder = PathBuilder::new();
    builder.move_to(first.0 - origin.0, first.1 - origin.1);
    for &(x, y) in rest {
        builder.line_to(x - origin.0, y - origin.1);
    }
    let Some(line) = builder.finish() else {
        return;
    };
    let stroke = Stroke {
        width,
        line_cap: LineCap::Round,
        line_join: LineJoin::Round,
        dash: dashed
            .then(|| StrokeDash::new(dashes(width).to_vec(), 0.0))
            .flatten(),
        ..Stroke::default()
    };
    let paint = paint(color, alpha);
    target.stroke_path(&line, &paint, &stroke, Transform::identity(), None);
}

pub fn fill_circle(
    target: &mut PixmapMut,
    center: (f32, f32),
    radius: f32,
    paint: &Paint,
    origin: (f32, f32),
) {
    if radius <= 0.0 {
        return;
    }
    if let Some(path) = PathBuilder::from_circle(center.0 - origin.0, center.1 - origin.1, radius) {
        target.fill_path(&path, paint, FillRule::Winding, Transform::identity(), None);
    }
}

/// A filled box with round ends: a capsule `r` in frame pixels.
pub fn fill_pill(target: &mut PixmapMut, r: &Rect, color: Rgb, alpha: u8, origin: (f32, f32)) {
    let radius = r.h.min(r.w) / 2.0;
    // How far a cubic's handles reach to draw a quarter circle.
    let k = 0.552_285 * radius;
    let (x0, y0) = (r.x - origin.0, r.y - origin.1);
    let (x1, y1) = (x0 + r.w, y0 + r.h);
    let mut path = PathBuilder::new();
    path.move_to(x0 + radius, y0);
    path.line_to(x1 - radius, y0);
    path.cubic_to(x1 - radius + k, y0, x1, y0 + radius - k, x1, y0 + radius);
    path.line_to(x1, y1 - radius);
    path.cubic_to(x1, y1 - radius + k, x1 - radius + k, y1, x1 - radius, y1);
    path.line_to(x0 + radius, y1);
    path.cubic_to(x0 + radius - k, y1, x0, y1 - radius + k, x0, y1 - radius);
    path.line_to(x0, y0 + radius);
    path.cubic_to(x0, y0 + radius - k, x0 + radius - k, y0, x0 + radius, y0);
    path.close();
    if let Some(path) = path.finish() {
        let paint = paint(color, alpha);
        target.fill_path(
            &path,
            &paint,
            FillRule::Winding,
            Transform::identity(),
            None,
        );
    }
}
