//! Axis-aligned rectangles in frame pixels.

/// A rectangle in frame pixels; `x`, `y` is the top-left corner.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Rect {
    pub x: f32,
    pub y: f32,
    pub w: f32,
    pub h: f32,
}

impl Rect {
    pub fn new(x: f32, y: f32, w: f32, h: f32) -> Rect {
        Rect { x, y, w, h }
    }

    pub fn right(&self) -> f32 {
        self.x + self.w
    }

    pub fn bottom(&self) -> f32 {
        self.y + self.h
    }

    pub fn center_y(&self) -> f32 {
        self.y + self.h / 2.0
    }

    /// True when the two share some area (touching edges do not count).
    pub fn overlaps(&self, other: &Rect) -> bool {
        const EPS: f32 = 1e-3;
        self.x + EPS < other.right()
            && other.x + EPS < self.right()
            && self.y + EPS < other.bottom()
            && other.y + EPS < self.bottom()
    }

    /// True when `other` lies wholly inside `self`.
    pub fn contains(&self, other: &Rect) -> bool {
        const EPS: f32 = 1e-3;
        other.x + EPS >= self.x
            && other.y + EPS >= self.y
            && other.right() <= self.right() + EPS
            && other.bottom() <= self.bottom() + EPS
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn touching_rects_do_not_overlap() {
        let a = Rect::new(0.0, 0.0, 10.0, 10.0);
        assert!(!a.overlaps(&Rect::new(10.0, 0.0, 5.0, 5.0)));
        assert!(!a.overlaps(&Rect::new(0.0, 10.0, 5.0, 5.0)));
        assert!(a.overlaps(&Rect::new(9.0, 9.0, 5.0, 5.0)));
    }

    #[test]
    fn containment() {
        let a = Rect::new(0.0, 0.0, 10.0, 10.0);
        assert!(a.contains(&Rect::new(2.0, 2.0, 8.0, 8.0)));
        assert!(!a.contains(&Rect::new(2.0, 2.0, 9.0, 8.0)));
    }
}
