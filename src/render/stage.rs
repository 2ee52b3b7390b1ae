//! The stage: a chart laid out on a frame with its text already rasterized, ready to draw any
//! moment of its timeline. Built once per render; shared read-only by the frame workers.

use tiny_skia::{
    BlendMode, FillRule, FilterQuality, LineCap, LineJoin, Paint, PathBuilder, Pixmap, PixmapMut,
    PixmapPaint, PremultipliedColorU8, Stroke, StrokeDash, Transform,
};

use super::draw::{
    backdrop, drawn_path, fill_circle, fill_pill, paint, pixel_snapped, stroke_path, whisker_parts,
};
use super::path;
pub use super::pixel_rect::PixelRect;
use super::text::{TextMask, Typesetter};
use super::theme::Theme;
use crate::chart::{Chart, Durations, Rgb};
use crate::layout::{Ink, Layout, Rect, Shape, TextRole};
use crate::timeline::Timeline;

/// One element as drawn at one moment, in whole pixel terms: two equal looks give equal pixels.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Look {
    /// Opacity, 0 (not drawn) to 255.
    pub alpha: u8,
    /// Displacement in pixels.
    pub dx: i32,
    pub dy: i32,
    /// In 1/64 pixel: the drawn length of a bar, how far the pen has come across a line or
    /// along a path, a marker's or ring's drawn radius (0 for other elements).
    pub length: u32,
}

/// Sub-pixel steps of a length that count as different pictures.
pub(super) const LENGTH_STEPS: f32 = 64.0;

/// A text element's pixels in its colour, premultiplied, and where they sit relative to the
/// element's line box.
struct Sprite {
    pixmap: Pixmap,
    left: i32,
    top: i32,
}

impl Sprite {
    fn new(mask: TextMask, color: Rgb) -> Option<Sprite> {
        let mut pixmap = Pixmap::new(mask.width, mask.height)?;
        for (px, &a) in pixmap.pixels_mut().iter_mut().zip(&mask.alpha) {
            let premultiply = |c: u8| ((c as u16 * a as u16 + 127) / 255) as u8;
            if let Some(p) = PremultipliedColorU8::from_rgba(
                premultiply(color.0),
                premultiply(color.1),
                premultiply(color.2),
                a,
            ) {
                *px = p;
            }
        }
        Some(Sprite {
            pixmap,
            left: mask.left,
            top: mask.top,
        })
    }
}

pub struct Stage {
    pub layout: Layout,
    pub timeline: Timeline,
    theme: Theme,
    /// What is behind the chart: the theme's colour, or nothing (`None`) for a transparent frame
    /// to lay over footage.
    background: Option<Rgb>,
    /// One per layout element; text elements only.
    sprites: Vec<Option<Sprite>>,
}

impl Stage {
    pub fn new(
        chart: &Chart,
        durations: &Durations,
        width: u32,
        height: u32,
        theme: Theme,
        fadeout: bool,
        transparent: bool,
    ) -> Stage {
        let mut typesetter = Typesetter::new();
        let layout = Layout::new(chart, width, height, &mut typesetter);
        let sprites = layout
            .elements
            .iter()
            .map(|e| match &e.shape {
                Shape::Text(spec) => Sprite::new(
                    typesetter.rasterize(&spec.text, spec.size, spec.weight),
                    theme.text_color(spec),
                ),
                _ => None,
            })
            .collect();
        Stage {
            timeline: Timeline::new(chart, durations, fadeout),
            layout,
            theme,
            background: (!transparent).then(|| theme.background()),
            sprites,
        }
    }

    /// What is behind the chart; `None` for a transparent frame.
    pub fn background(&self) -> Option<Rgb> {
        self.background
    }

    pub fn theme(&self) -> Theme {
        self.theme
    }

    pub fn frame_rect(&self) -> PixelRect {
        PixelRect {
            x0: 0,
            y0: 0,
            x1: self.layout.width as i32,
            y1: self.layout.height as i32,
        }
    }

    /// How every element looks at time `t`.
    pub fn looks_at(&self, t: f64) -> Vec<Look> {
        let h = self.layout.height as f32;
        self.layout
            .elements
            .iter()
            .map(|e| {
                let s = self.timeline.state(e.id, t);
                let alpha = (s.opacity.clamp(0.0, 1.0) * 255.0).round() as u8;
                let steps = |pixels: f32| (pixels * LENGTH_STEPS).round() as u32;
                let length = match &e.shape {
                    Shape::Bar { .. } => steps(e.rect.w * s.grow.clamp(0.0, 1.0)),
                    // At least a step once started, so a pen with no way to go still draws.
                    Shape::Polyline { pen, .. } if s.grow > 0.0 => {
                        steps((pen.1 - pen.0) * s.grow.clamp(0.0, 1.0)).max(1)
                    }
                    Shape::Path { points, .. } if s.grow > 0.0 => {
                        steps(path::length(points) * s.grow.clamp(0.0, 1.0)).max(1)
                    }
                    Shape::Marker { .. } | Shape::Ring { .. } => {
                        steps(e.rect.w / 2.0 * s.grow.max(0.0))
                    }
                    _ => 0,
                };
                let grows = matches!(
                    e.shape,
                    Shape::Bar { .. }
                        | Shape::Polyline { .. }
                        | Shape::Path { .. }
                        | Shape::Marker { .. }
                        | Shape::Ring { .. }
                );
                if alpha == 0 || grows && length == 0 {
                    return Look::default();
                }
                Look {
                    alpha,
                    dx: (s.shift.0 * h).round() as i32,
                    dy: (s.shift.1 * h).round() as i32,
                    length,
                }
            })
            .collect()
    }

    /// The pixels element `i` covers when it looks like `look`; `None` when it is not drawn.
    pub fn bounds(&self, i: usize, look: &Look) -> Option<PixelRect> {
        if look.alpha == 0 {
            return None;
        }
        let e = &self.layout.elements[i];
        let r = match &e.shape {
            Shape::Text(spec) => {
                let sprite = self.sprites[i].as_ref()?;
                let x0 = e.rect.x as i32 + sprite.left + look.dx;
                let y0 = e.rect.y as i32 + sprite.top + look.dy;
                let glyphs = PixelRect {
                    x0,
                    y0,
                    x1: x0 + sprite.pixmap.width() as i32,
                    y1: y0 + sprite.pixmap.height() as i32,
                };
                if spec.role.on_plot() {
                    glyphs.union(&PixelRect::around(&shifted(&e.rect, look), 0))
                } else {
                    glyphs
                }
            }
            Shape::Rule { .. } => PixelRect::around(&e.rect, 1),
            Shape::Polyline { pen, width, .. } => {
                let reach = pen.0 + look.length as f32 / LENGTH_STEPS + width;
                let drawn = Rect {
                    w: (reach - e.rect.x).clamp(0.0, e.rect.w),
                    ..e.rect
                };
                PixelRect::around(&drawn, 1)
            }
            Shape::Path {
                points, at, width, ..
            } => {
                let drawn = path::stretch(points, at, 0.0, path_progress(points, look));
                PixelRect::around(&path::bounds(&drawn, width / 2.0)?, 1)
            }
            Shape::Marker { .. } | Shape::Ring { .. } => {
                PixelRect::around(&circle_box(&e.rect, look), 1)
            }
            Shape::Bar { .. } => {
                let drawn = Rect {
                    w: look.length as f32 / LENGTH_STEPS,
                    ..e.rect
                };
                PixelRect::around(&drawn, 1)
            }
            Shape::Swatch { .. } | Shape::Whisker { .. } | Shape::Pill { .. } => {
                PixelRect::around(&e.rect, 1)
            }
        };
        Some(r)
    }

    /// True when element `i` must be redrawn whole or not at all: tiny-skia clips the curves
    /// of a path cut by a region's edge, and its antialiased pixels then come out a little
    /// differently from those of the whole frame. Markers and rings are small; a line is
    /// redrawn whole only where a region touches it (see [`Stage::touches`]).
    pub fn drawn_whole(&self, i: usize) -> bool {
        matches!(
            self.layout.elements[i].shape,
            Shape::Marker { .. }
                | Shape::Ring { .. }
                | Shape::Polyline { .. }
                | Shape::Path { .. }
                | Shape::Pill { .. }
        )
    }

    /// True when element `i`, looking like `look`, may draw pixels inside `area`: its bounds
    /// meet it, and for a line one of its drawn segments does (its bounds span most of a plot).
    pub fn touches(&self, i: usize, look: &Look, area: &PixelRect) -> bool {
        let Some(bounds) = self.bounds(i, look) else {
            return false;
        };
        if !bounds.intersects(area) {
            return false;
        }
        if let Shape::Path {
            points, at, width, ..
        } = &self.layout.elements[i].shape
        {
            let drawn = path::stretch(points, at, 0.0, path_progress(points, look));
            return drawn.windows(2).any(|w| {
                path::bounds(w, width / 2.0)
                    .is_some_and(|b| PixelRect::around(&b, 1).intersects(area))
            });
        }
        let Shape::Polyline {
            pieces,
            bridges,
            width,
            pen,
            ..
        } = &self.layout.elements[i].shape
        else {
            return true;
        };
        let reach = pen.0 + look.length as f32 / LENGTH_STEPS;
        let segment = |a: (f32, f32), b: (f32, f32)| {
            let (x0, x1) = (a.0.min(b.0), a.0.max(b.0).min(reach));
            let (y0, y1) = (a.1.min(b.1), a.1.max(b.1));
            x0 <= reach
                && PixelRect::around(
                    &Rect::new(x0, y0, x1 - x0, y1 - y0),
                    width.ceil() as i32 + 1,
                )
                .intersects(area)
        };
        pieces
            .iter()
            .flat_map(|p| p.windows(2).map(|w| (w[0], w[1])))
            .chain(bridges.iter().map(|b| (b[0], b[1])))
            .any(|(a, b)| segment(a, b))
    }

    /// The pixels that change when element `i` goes from looking like `from` to `to`.
    pub fn change(&self, i: usize, from: &Look, to: &Look) -> Option<PixelRect> {
        let e = &self.layout.elements[i];
        let only_grew = from.alpha == to.alpha && from.dx == to.dx && from.dy == to.dy;
        if let (Shape::Bar { .. }, true, true) = (&e.shape, only_grew, from.alpha > 0) {
            // The bar's start stays put: only its end moves, with the outline around it.
            let (a, b) = (from.length.min(to.length), from.length.max(to.length));
            let x = e.rect.x + a as f32 / LENGTH_STEPS - self.layout.outline;
            let w = (b - a) as f32 / LENGTH_STEPS + self.layout.outline;
            return Some(PixelRect::around(&Rect::new(x, e.rect.y, w, e.rect.h), 1));
        }
        if let (Shape::Polyline { pen, width, .. }, true, true) =
            (&e.shape, only_grew, from.alpha > 0)
        {
            // Only the stretch between the pen's two positions changes, round cap included.
            let (a, b) = (from.length.min(to.length), from.length.max(to.length));
            let x = pen.0 + a as f32 / LENGTH_STEPS - width;
            let w = (b - a) as f32 / LENGTH_STEPS + 2.0 * width;
            return Some(PixelRect::around(&Rect::new(x, e.rect.y, w, e.rect.h), 1));
        }
        if let (
            Shape::Path {
                points, at, width, ..
            },
            true,
            true,
        ) = (&e.shape, only_grew, from.alpha > 0)
        {
            // Only the stretch the pen drew in between changes.
            let (a, b) = (path_progress(points, from), path_progress(points, to));
            let drawn = path::stretch(points, at, a.min(b), a.max(b));
            return path::bounds(&drawn, width / 2.0).map(|r| PixelRect::around(&r, 1));
        }
        match (self.bounds(i, from), self.bounds(i, to)) {
            (Some(a), Some(b)) => Some(a.union(&b)),
            (a, b) => a.or(b),
        }
    }

    /// Draws the part of the frame inside `area` into `target`, whose top-left pixel is `area`'s
    /// top-left corner: background first (or nothing, when transparent), then every element
    /// that reaches into `area`. Pixels are premultiplied, as tiny-skia keeps them.
    pub fn draw(&self, looks: &[Look], area: PixelRect, target: &mut PixmapMut) {
        target.fill(match self.background {
            Some(bg) => tiny_skia::Color::from_rgba8(bg.0, bg.1, bg.2, 255),
            None => tiny_skia::Color::TRANSPARENT,
        });
        let origin = (area.x0 as f32, area.y0 as f32);
        for (i, (element, look)) in self.layout.elements.iter().zip(looks).enumerate() {
            let Some(bounds) = self.bounds(i, look) else {
                continue;
            };
            if !bounds.intersects(&area) {
                continue;
            }
            match &element.shape {
                Shape::Text(spec) => {
                    if spec.role.on_plot() {
                        // A patch of background, so gridlines stop short of the text.
                        let patch = shifted(&element.rect, look);
                        let fill = backdrop(self.background, look.alpha);
                        fill_rect(&patch, &fill, origin, target);
                    }
                    if let Some(sprite) = &self.sprites[i] {
                        let paint = PixmapPaint {
                            opacity: look.alpha as f32 / 255.0,
                            blend_mode: BlendMode::SourceOver,
                            quality: FilterQuality::Nearest,
                        };
                        target.draw_pixmap(
                            bounds.x0 - area.x0,
                            bounds.y0 - area.y0,
                            sprite.pixmap.as_ref(),
                            &paint,
                            Transform::identity(),
                            None,
                        );
                    }
                }
                Shape::Bar { color } => {
                    let drawn = Rect {
                        w: look.length as f32 / LENGTH_STEPS,
                        ..element.rect
                    };
                    self.draw_box(&drawn, *color, look.alpha, origin, target);
                }
                Shape::Swatch { color } => {
                    self.draw_box(&element.rect, *color, look.alpha, origin, target);
                }
                Shape::Pill { color } => {
                    fill_pill(target, &element.rect, *color, look.alpha, origin);
                }
                Shape::Rule { role } => {
                    let fill = paint(self.theme.rule(*role), look.alpha);
                    fill_rect(&pixel_snapped(&element.rect), &fill, origin, target);
                }
                Shape::Polyline { .. } => draw_polyline(&element.shape, look, origin, target),
                Shape::Path {
                    points,
                    at,
                    width,
                    ink,
                } => {
                    let (color, alpha) = self.ink(*ink, look.alpha);
                    let drawn = path::stretch(points, at, 0.0, path_progress(points, look));
                    let dashed = *ink == Ink::Frontier;
                    stroke_path(target, &drawn, (*width, dashed), color, alpha, origin);
                }
                Shape::Whisker { along, width, ink } => {
                    let (color, alpha) = self.ink(*ink, look.alpha);
                    for part in whisker_parts(&element.rect, *along, *width) {
                        fill_rect(&part, &paint(color, alpha), origin, target);
                    }
                }
                Shape::Marker { color, halo } => {
                    let r = look.length as f32 / LENGTH_STEPS;
                    let scale = r / (element.rect.w / 2.0);
                    let (cx, cy) = center(&element.rect);
                    // A halo of background parts the dot from the lines beneath it.
                    let halo_paint = backdrop(self.background, look.alpha);
                    fill_circle(target, (cx, cy), r, &halo_paint, origin);
                    let dot = r - halo * scale;
                    fill_circle(target, (cx, cy), dot, &paint(*color, look.alpha), origin);
                }
                Shape::Ring { color, width } => {
                    draw_ring(&element.rect, *color, *width, look, origin, target);
                }
            }
        }
    }

    /// The colour and opacity of `ink` in the theme, at `alpha`.
    pub(super) fn ink(&self, ink: Ink, alpha: u8) -> (Rgb, u8) {
        match ink {
            Ink::Series(color) => (color, alpha),
            Ink::Foreground => (self.theme.text(TextRole::Value), alpha),
            Ink::Frontier => {
                let (color, share) = self.theme.frontier();
                (color, (alpha as f32 * share).round() as u8)
            }
        }
    }

    /// A filled rectangle with the theme's thin outline just inside its edge.
    /// `origin` is the frame position of the target's top-left pixel.
    fn draw_box(
        &self,
        r: &Rect,
        color: Rgb,
        alpha: u8,
        origin: (f32, f32),
        target: &mut PixmapMut,
    ) {
        // On a 1/64 pixel grid, moving by whole pixels is exact in floating point, so a region
        // redrawn on its own gets the very same antialiasing as the whole frame. (Moving the
        // rectangle rather than passing a transform keeps tiny-skia on its rectangle path.)
        let snap = |v: f32| (v * LENGTH_STEPS).round() / LENGTH_STEPS;
        let r = Rect::new(
            snap(r.x) - origin.0,
            snap(r.y) - origin.1,
            snap(r.w),
            snap(r.h),
        );
        let transform = Transform::identity();
        let Some(outer) = tiny_skia::Rect::from_xywh(r.x, r.y, r.w, r.h) else {
            return;
        };
        let mut fill = paint(color, alpha);
        target.fill_rect(outer, &fill, transform, None);

        let (outline, outline_alpha) = self.theme.outline();
        fill.set_color_rgba8(
            outline.0,
            outline.1,
            outline.2,
            (outline_alpha * alpha as f32).round() as u8,
        );
        let o = self.layout.outline;
        let mut ring = PathBuilder::new();
        ring.push_rect(outer);
        if let Some(inner) =
            tiny_skia::Rect::from_xywh(r.x + o, r.y + o, r.w - 2.0 * o, r.h - 2.0 * o)
        {
            ring.push_rect(inner);
        }
        if let Some(path) = ring.finish() {
            target.fill_path(&path, &fill, FillRule::EvenOdd, transform, None);
        }
    }
}

/// A filled rectangle without outline. `origin` is the frame position of the target's top-left
/// pixel.
fn fill_rect(r: &Rect, paint: &Paint, origin: (f32, f32), target: &mut PixmapMut) {
    if let Some(rect) = tiny_skia::Rect::from_xywh(r.x - origin.0, r.y - origin.1, r.w, r.h) {
        target.fill_rect(rect, paint, Transform::identity(), None);
    }
}

/// `r` moved by the look's displacement.
fn shifted(r: &Rect, look: &Look) -> Rect {
    Rect::new(r.x + look.dx as f32, r.y + look.dy as f32, r.w, r.h)
}

pub(super) fn center(r: &Rect) -> (f32, f32) {
    (r.x + r.w / 2.0, r.center_y())
}

/// The square a marker or ring covers at its drawn radius.
fn circle_box(r: &Rect, look: &Look) -> Rect {
    let (cx, cy) = center(r);
    let radius = look.length as f32 / LENGTH_STEPS;
    Rect::new(cx - radius, cy - radius, 2.0 * radius, 2.0 * radius)
}

/// How far through its drawing (0 to 1) a path looking like `look` is.
pub(super) fn path_progress(points: &[(f32, f32)], look: &Look) -> f32 {
    let length = path::length(points);
    if length > 0.0 {
        (look.length as f32 / LENGTH_STEPS / length).min(1.0)
    } else {
        1.0
    }
}

/// A line chart's curve as far as the pen has come (`look.length`), dotted over gaps in the
/// data.
fn draw_polyline(shape: &Shape, look: &Look, origin: (f32, f32), target: &mut PixmapMut) {
    let Shape::Polyline {
        pieces,
        bridges,
        color,
        width,
        pen,
    } = shape
    else {
        return;
    };
    let reach = pen.0 + look.length as f32 / LENGTH_STEPS;
    let paint = paint(*color, look.alpha);
    let stroke = Stroke {
        width: *width,
        line_cap: LineCap::Round,
        line_join: LineJoin::Round,
        ..Stroke::default()
    };
    let transform = Transform::from_translate(-origin.0, -origin.1);
    for piece in pieces {
        if let Some(path) = drawn_path(piece, reach) {
            target.stroke_path(&path, &paint, &stroke, transform, None);
        }
    }
    // Round dots, a little thinner than the line, over a gap in the data.
    let dotted = Stroke {
        width: width * 0.7,
        dash: StrokeDash::new(vec![0.0, width * 1.8], 0.0),
        ..stroke
    };
    for bridge in bridges {
        if let Some(path) = drawn_path(bridge, reach) {
            target.stroke_path(&path, &paint, &dotted, transform, None);
        }
    }
}

/// A ring around an annotated point, popped to its radius `look.length`.
fn draw_ring(
    rect: &Rect,
    color: Rgb,
    width: f32,
    look: &Look,
    origin: (f32, f32),
    target: &mut PixmapMut,
) {
    let r = look.length as f32 / LENGTH_STEPS;
    let scale = r / (rect.w / 2.0);
    let (cx, cy) = center(rect);
    let Some(path) = PathBuilder::from_circle(
        cx - origin.0,
        cy - origin.1,
        (r - width * scale / 2.0).max(0.1),
    ) else {
        return;
    };
    let stroke = Stroke {
        width: width * scale,
        ..Stroke::default()
    };
    let paint = paint(color, look.alpha);
    target.stroke_path(&path, &paint, &stroke, Transform::identity(), None);
}
