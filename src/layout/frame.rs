//! The frame being laid out: its size, unit and margins, the elements placed so far, and
//! how text is fitted and placed on it.

use super::element::{Element, ElementId, Measure, Shape, TextRole, TextSpec, Weight};
use super::fit::{self, Fitted, Wrapping, fit};
use super::rect::Rect;

/// Frames narrower than this (width / height) get the narrow layout; 4:3 and wider keep the
/// wide one.
const NARROW_ASPECT: f32 = 1.3;
/// The narrow layout is designed for frames 1080 pixels wide and at least this tall; shorter
/// ones scale it down with their height.
const NARROW_HEIGHT: f32 = 1350.0;
/// How the title wraps on a narrow frame: a title shrunk a little reads better than a wrapped
/// one, and one shrunk a little more better than one on three lines.
const TITLE_WRAPPING: Wrapping = Wrapping {
    max_lines: 3,
    one_line_shrink: 0.9,
    wrapped_shrink: 0.83,
    min_shrink: fit::TITLE_MIN_SHRINK,
};
/// How the subtitle wraps on a narrow frame: it is large enough to shrink a little further.
const SUBTITLE_WRAPPING: Wrapping = Wrapping {
    one_line_shrink: 0.8,
    wrapped_shrink: 0.8,
    ..TEXT_WRAPPING
};
/// How metadata and footer lines wrap on a narrow frame.
const TEXT_WRAPPING: Wrapping = Wrapping {
    max_lines: 3,
    one_line_shrink: 0.9,
    wrapped_shrink: 0.9,
    min_shrink: fit::MIN_SHRINK,
};

/// Pixels per reference pixel on a `width × height` frame (see [`Frame::unit`]).
pub(super) fn unit_of(width: u32, height: u32) -> f32 {
    let (w, h) = (width as f32, height as f32);
    if w < h * NARROW_ASPECT {
        (w / 1080.0).min(h / NARROW_HEIGHT)
    } else {
        h.min(w * 9.0 / 16.0) / 1080.0
    }
}

/// The frame being laid out: its size, margins and the elements placed so far.
pub(super) struct Frame<'m> {
    pub(super) width: f32,
    pub(super) height: f32,
    /// Pixels per reference pixel: sizes are designed at 1920×1080 and scale with the frame's
    /// height, or with its width when the frame is narrower than 16:9. Narrow frames use
    /// 1080 pixels of width as the reference instead (see [`NARROW_HEIGHT`]).
    pub(super) unit: f32,
    /// A frame narrower than [`NARROW_ASPECT`]: centred text wraps, the legend forms a grid.
    pub(super) narrow: bool,
    /// Left and right margin.
    pub(super) margin: f32,
    /// Where a plot may go across the frame: between the margins, or a panel's cell.
    pub(super) left: f32,
    pub(super) right: f32,
    pub(super) measure: &'m mut dyn Measure,
    pub(super) elements: Vec<Element>,
    /// See [`super::Layout::notes`].
    pub(super) notes: Vec<String>,
}

impl<'m> Frame<'m> {
    pub(super) fn new(width: u32, height: u32, measure: &'m mut dyn Measure) -> Frame<'m> {
        let (w, h) = (width as f32, height as f32);
        let narrow = w < h * NARROW_ASPECT;
        let unit = unit_of(width, height);
        let margin = (w * 0.04).max(4.0);
        Frame {
            width: w,
            height: h,
            unit,
            narrow,
            margin,
            left: margin,
            right: w - margin,
            measure,
            elements: Vec::new(),
            notes: Vec::new(),
        }
    }

    /// The width a plot may take: between the margins, or across a panel's cell.
    pub(super) fn content_width(&self) -> f32 {
        (self.right - self.left).max(1.0)
    }

    pub(super) fn fit(&mut self, text: &str, size: f32, weight: Weight, max_width: f32) -> Fitted {
        fit(self.measure, text, size, weight, max_width)
    }

    /// Places text with its line box's top-left corner at (`x`, `y`), snapped to whole pixels so
    /// glyphs stay crisp.
    pub(super) fn text(
        &mut self,
        id: ElementId,
        fitted: Fitted,
        x: f32,
        y: f32,
        weight: Weight,
        role: TextRole,
    ) {
        let rect = Rect::new(x.round(), y.round(), fitted.width, fitted.height());
        self.elements.push(Element {
            id,
            rect,
            shape: Shape::Text(TextSpec {
                text: fitted.text,
                size: fitted.size,
                weight,
                role,
                tint: None,
            }),
        });
    }

    /// Fits centred text to the content width: on one line, or wrapped on a narrow frame.
    pub(super) fn fit_centered(
        &mut self,
        text: &str,
        size: f32,
        weight: Weight,
        role: TextRole,
    ) -> Fitted {
        let room = self.content_width();
        let wrapping = match role {
            TextRole::Title => TITLE_WRAPPING,
            TextRole::Subtitle => SUBTITLE_WRAPPING,
            _ => TEXT_WRAPPING,
        };
        if self.narrow {
            fit::wrap(self.measure, text, size, weight, room, wrapping)
        } else {
            fit::fit_shrinking(self.measure, text, size, weight, room, wrapping.min_shrink)
        }
    }

    /// Places text centred horizontally with its top at `y`; returns its bottom.
    pub(super) fn centered_text(
        &mut self,
        id: ElementId,
        text: &str,
        size: f32,
        weight: Weight,
        role: TextRole,
        y: f32,
    ) -> f32 {
        let fitted = self.fit_centered(text, size, weight, role);
        let x = (self.width - fitted.width) / 2.0;
        let bottom = y + fitted.height();
        self.text(id, fitted, x, y, weight, role);
        bottom
    }
}
