//! Rectangles of whole pixels: what a frame redraws.

use crate::layout::Rect;

/// A rectangle of whole pixels, `x0..x1 × y0..y1`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PixelRect {
    pub x0: i32,
    pub y0: i32,
    pub x1: i32,
    pub y1: i32,
}

impl PixelRect {
    pub fn width(&self) -> i32 {
        self.x1 - self.x0
    }

    pub fn height(&self) -> i32 {
        self.y1 - self.y0
    }

    pub fn area(&self) -> i64 {
        self.width().max(0) as i64 * self.height().max(0) as i64
    }

    pub fn is_empty(&self) -> bool {
        self.x1 <= self.x0 || self.y1 <= self.y0
    }

    pub fn intersects(&self, o: &PixelRect) -> bool {
        self.x0 < o.x1 && o.x0 < self.x1 && self.y0 < o.y1 && o.y0 < self.y1
    }

    pub fn union(&self, o: &PixelRect) -> PixelRect {
        PixelRect {
            x0: self.x0.min(o.x0),
            y0: self.y0.min(o.y0),
            x1: self.x1.max(o.x1),
            y1: self.y1.max(o.y1),
        }
    }

    pub fn clamp_to(&self, o: &PixelRect) -> PixelRect {
        PixelRect {
            x0: self.x0.clamp(o.x0, o.x1),
            y0: self.y0.clamp(o.y0, o.y1),
            x1: self.x1.clamp(o.x0, o.x1),
            y1: self.y1.clamp(o.y0, o.y1),
        }
    }

    /// The whole pixels touched by `r`, plus `pad` pixels all round for antialiasing.
    pub fn around(r: &Rect, pad: i32) -> PixelRect {
        PixelRect {
            x0: r.x.floor() as i32 - pad,
            y0: r.y.floor() as i32 - pad,
            x1: r.right().ceil() as i32 + pad,
            y1: r.bottom().ceil() as i32 + pad,
        }
    }
}
