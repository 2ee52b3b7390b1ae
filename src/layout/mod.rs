//! Layout: where every element of a chart goes on a frame of a given size, in pixels.
//!
//! Pure geometry: it measures text (through [`Measure`]) but draws nothing and knows nothing of
//! time. Sizes scale with the frame; text that does not fit shrinks a little and is then
//! ellipsized, so nothing ever leaves the frame or runs into anything else, which
//! [`Layout::collisions`] and [`Layout::outside_frame`] let tests check.
//!
//! Wide frames (16:9 and the like) get the chart as designed at 1920×1080, scaled. Narrow ones
//! (square, 4:5, 9:16) get a layout of their own: text sized from the width as well as the
//! height, the title and other centred text wrapped onto several lines, the legend in a grid,
//! and, where the rows have the height for it, row labels above their bars so the bars get the
//! whole width.
//!
//! A line chart's plot has axes (ticks, gridlines, titles), one polyline per series with a
//! marker at each point, value labels and callouts placed where they hit nothing. A scatter
//! chart's has the same axes, each series' points joined in their order, the Pareto frontier
//! beneath them and a label beside each point.

pub mod axes;
mod clash;
mod fit;
mod header;
mod line_labels;
mod lines;
mod panels;
mod pills;
mod bars;
mod plot_area;
mod point_labels;
mod rect;
mod scatter;
mod whisker;

pub use fit::{Fitted, fit};
pub use lines::decimate;
pub use rect::Rect;

use crate::chart::{Body, Chart, Rgb};
use fit::Wrapping;

/// Line box height of every text element, as a multiple of its font size (Inter's ascent plus
/// descent is 1.21 em, so glyphs stay inside their box).
pub const LINE_HEIGHT: f32 = 1.2;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Weight {
    Regular,
    Bold,
}

/// Text measurement: the advance width of a line of text, in pixels.
pub trait Measure {
    fn advance(&mut self, text: &str, size: f32, weight: Weight) -> f32;
}

/// Names every element on a chart; the timeline uses the same names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ElementId {
    Title,
    Subtitle,
    Metadata(usize),
    LegendSwatch(usize),
    LegendLabel(usize),
    RowLabel(usize),
    /// A panel's heading (charts of panels; their rows are numbered on across panels).
    PanelTitle(usize),
    /// The bar of cell `bar` (index into the row's bars) in row `row`; absent for NA cells.
    Bar {
        row: usize,
        bar: usize,
    },
    /// The value label of a cell, `NA` for a missing one.
    Value {
        row: usize,
        bar: usize,
    },
    /// The whisker over a cell's repeated runs (`spread`).
    Whisker {
        row: usize,
        bar: usize,
    },
    /// A row's delta pill (compare charts, and bar charts with `delta = true`), and the text
    /// on it.
    DeltaPill(usize),
    Delta(usize),
    /// Line charts: the x axis' line (there is no y axis line; gridlines carry the values).
    Axis(Axis),
    /// A tick mark on an axis, its label, and the gridline across the plot.
    Tick {
        axis: Axis,
        i: usize,
    },
    TickLabel {
        axis: Axis,
        i: usize,
    },
    Grid {
        axis: Axis,
        i: usize,
    },
    AxisTitle(Axis),
    /// The curve of series `s`.
    Line(usize),
    /// The marker of a point of a series (index into the series' points), and its value label.
    Point {
        series: usize,
        i: usize,
    },
    PointLabel {
        series: usize,
        i: usize,
    },
    /// The whisker over a point's repeated runs along an axis (`spread`).
    PointWhisker {
        series: usize,
        i: usize,
        axis: Axis,
    },
    /// The ring around an annotated point, its callout (index into the plot's annotations),
    /// and the line from one to the other when the callout had to go further out.
    Ring(usize),
    Annotation(usize),
    Leader(usize),
    /// A scatter chart's Pareto frontier.
    Frontier,
    Footer(usize),
}

/// One of the two axes of a line chart.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Axis {
    X,
    Y,
}

/// What a text element is, which decides its colour in a theme.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TextRole {
    Title,
    Subtitle,
    Metadata,
    Legend,
    RowLabel,
    /// A panel's heading.
    PanelTitle,
    /// A value label right of its bar.
    Value,
    /// A value label drawn inside its bar, because it would leave the frame otherwise.
    ValueInside,
    /// The `NA` of a cell without a value.
    Missing,
    /// A delta on its pill, in the pill's ink.
    Delta,
    /// Numbers along an axis, and the axis' title.
    TickLabel,
    AxisTitle,
    /// A point's value on a line chart, and a callout: drawn on the plot, over the gridlines.
    PointLabel,
    Annotation,
    Footer,
}

impl TextRole {
    /// Text drawn on a plot, with the background showing around it so gridlines stop short.
    pub fn on_plot(self) -> bool {
        matches!(self, TextRole::PointLabel | TextRole::Annotation)
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct TextSpec {
    /// One line, or several separated by `\n`, each centred in the element's box.
    pub text: String,
    pub size: f32,
    pub weight: Weight,
    pub role: TextRole,
    /// The colour of the series the text speaks for (a line's value or callout); the theme
    /// shades it to read well on its background. `None`: the role's colour.
    pub tint: Option<Rgb>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Shape {
    /// Text whose line boxes, stacked, are the element's rect (x, y snapped to whole pixels).
    Text(TextSpec),
    /// A bar; the rect is the fully grown bar, which grows rightwards from its left edge.
    Bar { color: Rgb },
    /// A legend colour swatch.
    Swatch { color: Rgb },
    /// A delta's rounded box; its text is an element of its own, inside it.
    Pill { color: Rgb },
    /// A straight rule (axis line, tick mark, gridline); the rect is the rule itself.
    Rule { role: RuleRole },
    /// A curve through points in frame pixels, in pieces where the series has gaps, each gap
    /// bridged by a dotted segment. A pen draws it from left to right, sweeping from `pen.0` to
    /// `pen.1` (the same for every series).
    Polyline {
        pieces: Vec<Vec<(f32, f32)>>,
        bridges: Vec<[(f32, f32); 2]>,
        color: Rgb,
        width: f32,
        pen: (f32, f32),
    },
    /// A dot on a curve, ringed with `halo` pixels of background so it stands out from the
    /// lines behind it; the rect is its bounding square, halo included.
    Marker { color: Rgb, halo: f32 },
    /// A ring around a called-out point; the rect is its bounding square.
    Ring { color: Rgb, width: f32 },
    /// A path drawn along its length, from its first point to its last; `at` says how far
    /// through the drawing (0 to 1, never decreasing) each point is reached. A scatter chart's
    /// line through a series (each point reached as its level comes) and its frontier. The
    /// rect is its bounding box.
    Path {
        points: Vec<(f32, f32)>,
        at: Vec<f32>,
        width: f32,
        ink: Ink,
    },
    /// A whisker: a line `width` wide along `along` across the rect, with a cap across each
    /// end as long as the rect is across.
    Whisker { along: Axis, width: f32, ink: Ink },
}

/// What colour a path or whisker is drawn in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ink {
    Series(Rgb),
    /// The theme's highlight: a wide translucent band beneath the points.
    Frontier,
    /// The theme's text colour: a whisker over a bar.
    Foreground,
}

/// What a rule is, which decides its colour in a theme.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RuleRole {
    Axis,
    Tick,
    Grid,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Element {
    pub id: ElementId,
    pub rect: Rect,
    pub shape: Shape,
}

/// Every element of a chart placed on a `width × height` frame.
#[derive(Debug, Clone, PartialEq)]
pub struct Layout {
    pub width: u32,
    pub height: u32,
    /// Pixels per reference pixel (a 1920×1080 frame has 1.0).
    pub unit: f32,
    /// Width of the light outline around bars and swatches.
    pub outline: f32,
    pub elements: Vec<Element>,
}

impl Layout {
    pub fn new(chart: &Chart, width: u32, height: u32, measure: &mut dyn Measure) -> Layout {
        let mut frame = Frame::new(width, height, measure);
        let plot_top = header::place_header(chart, &mut frame);
        let plot_bottom = header::place_footer(chart, &mut frame);
        match &chart.body {
            Body::Bars(bars) => bars::place_plot(bars, &mut frame, plot_top, plot_bottom),
            Body::Lines(lines) => lines::place_lines(lines, &mut frame, plot_top, plot_bottom),
            Body::Scatter(scatter) => {
                scatter::place_scatter(scatter, &mut frame, plot_top, plot_bottom)
            }
            Body::Panels(panels) => panels::place_panels(panels, &mut frame, plot_top, plot_bottom),
        }
        Layout {
            width,
            height,
            unit: frame.unit,
            outline: frame.unit.max(1.0).round(),
            elements: frame.elements,
        }
    }

    /// Every element's box, for tests and debugging.
    pub fn boxes(&self) -> Vec<(ElementId, Rect)> {
        self.elements.iter().map(|e| (e.id, e.rect)).collect()
    }

    pub fn element(&self, id: ElementId) -> Option<&Element> {
        self.elements.iter().find(|e| e.id == id)
    }

    /// Pairs of elements that get in each other's way: their boxes overlap, or a curve
    /// crosses a box. What may overlap by nature is exempt (see [`clash::clash`]): a value
    /// label inside its own bar, and on a line chart the rules under the plot and the data's
    /// own curves and markers meeting where the data says.
    pub fn collisions(&self) -> Vec<(ElementId, ElementId)> {
        let mut found = Vec::new();
        for (i, a) in self.elements.iter().enumerate() {
            for b in &self.elements[i + 1..] {
                if clash::clash(a, b) {
                    found.push((a.id, b.id));
                }
            }
        }
        found
    }

    /// Elements that do not lie wholly inside the frame.
    pub fn outside_frame(&self) -> Vec<ElementId> {
        let frame = Rect::new(0.0, 0.0, self.width as f32, self.height as f32);
        self.elements
            .iter()
            .filter(|e| !frame.contains(&e.rect))
            .map(|e| e.id)
            .collect()
    }
}

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

/// The frame being laid out: its size, margins and the elements placed so far.
struct Frame<'m> {
    width: f32,
    height: f32,
    /// Pixels per reference pixel: sizes are designed at 1920×1080 and scale with the frame's
    /// height, or with its width when the frame is narrower than 16:9. Narrow frames use
    /// 1080 pixels of width as the reference instead (see [`NARROW_HEIGHT`]).
    unit: f32,
    /// A frame narrower than [`NARROW_ASPECT`]: centred text wraps, the legend forms a grid.
    narrow: bool,
    /// Left and right margin.
    margin: f32,
    /// Where a plot may go across the frame: between the margins, or a panel's cell.
    left: f32,
    right: f32,
    measure: &'m mut dyn Measure,
    elements: Vec<Element>,
}

impl<'m> Frame<'m> {
    fn new(width: u32, height: u32, measure: &'m mut dyn Measure) -> Frame<'m> {
        let (w, h) = (width as f32, height as f32);
        let narrow = w < h * NARROW_ASPECT;
        let unit = if narrow {
            (w / 1080.0).min(h / NARROW_HEIGHT)
        } else {
            h.min(w * 9.0 / 16.0) / 1080.0
        };
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
        }
    }

    /// The width a plot may take: between the margins, or across a panel's cell.
    fn content_width(&self) -> f32 {
        (self.right - self.left).max(1.0)
    }

    fn fit(&mut self, text: &str, size: f32, weight: Weight, max_width: f32) -> Fitted {
        fit(self.measure, text, size, weight, max_width)
    }

    /// Places text with its line box's top-left corner at (`x`, `y`), snapped to whole pixels so
    /// glyphs stay crisp.
    fn text(
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
    fn fit_centered(&mut self, text: &str, size: f32, weight: Weight, role: TextRole) -> Fitted {
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
    fn centered_text(
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

#[cfg(test)]
mod tests;
